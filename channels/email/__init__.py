"""The email channel: IMAP in (IDLE or polling, a durable cursor per folder), SMTP out."""
