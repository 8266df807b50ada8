"""A mail server on this machine for the demo, staff training and tests: Dovecot (IMAP, from
the installed binary) and an SMTP sink (aiosmtpd). Nothing leaves the machine."""
