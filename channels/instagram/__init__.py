"""The Instagram DM channel (instagrapi): the inbox and message requests polled with a cursor
per thread, replies with direct_send, the login session kept encrypted and reused."""
