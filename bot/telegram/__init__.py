"""The Telegram shell: the hotline, the admin group and the counselors' chats."""
