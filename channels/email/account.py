"""One mailbox's settings as the adapter needs them (the shell builds it from config.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class MailAccount:
    imap_host: str
    imap_port: int
    username: str
    password: str
    use_ssl: bool
    folder: str
    smtp_host: str
    smtp_port: int
    smtp_security: str  # ssl, starttls or plain
    from_address: str
    from_name: str
    files_dir: Path  # attachments and the raw mails are kept here
    sent_folder: str = "Sent"  # a copy of each reply; "" for none (Gmail files its own)
    mark_seen: bool = False
    backfill_days: int = 7  # on the first start, mail this recent is taken in
    max_file_bytes: int = 10 * 1024 * 1024
    timeout_seconds: float = 30.0
    language: str = "id"

    @property
    def key(self) -> str:
        return f"email:{self.username}@{self.imap_host}:{self.folder}"
