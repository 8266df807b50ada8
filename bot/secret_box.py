"""Sealing secrets at rest (the Instagram session now; the psychological records with issue 7):
Fernet (AES with an HMAC) from the `cryptography` package. The key never sits in the database:
it comes from PUSPAGA_SECRET_KEY, or a key file created on first use (mode 0600)."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

ENV = "PUSPAGA_SECRET_KEY"


class SecretBox:
    def __init__(self, key: bytes):
        self._fernet = Fernet(key)

    @classmethod
    def for_data_dir(cls, data_dir: Path, environ: dict[str, str] | None = None) -> SecretBox:
        env = os.environ if environ is None else environ
        if env.get(ENV):
            return cls(env[ENV].encode())
        path = data_dir / "secret.key"
        if not path.exists():
            # Written whole to a temporary file, then linked into place: a crash never leaves
            # an empty key, and two processes starting at once end with the same key.
            path.parent.mkdir(parents=True, exist_ok=True)
            draft = path.with_name(f".secret.key.{os.getpid()}")
            fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(Fernet.generate_key())
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(draft, path)
            except FileExistsError:
                pass  # another process was first: its key it is
            finally:
                draft.unlink()
        return cls(path.read_bytes().strip())

    @staticmethod
    def new_key() -> str:
        return Fernet.generate_key().decode()

    def seal(self, data: bytes) -> str:
        return self._fernet.encrypt(data).decode()

    def open(self, sealed: str) -> bytes:
        try:
            return self._fernet.decrypt(sealed.encode())
        except InvalidToken:
            raise ValueError("sealed with another key, or damaged") from None
