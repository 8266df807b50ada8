"""Meta's channels (the WhatsApp Cloud API): signed webhook posts in, the Graph API out."""
