"""Sealing secrets at rest (the Instagram session, the psychological records): Fernet (AES with
an HMAC) from the `cryptography` package. The key never sits in the database: it comes from
PUSPAGA_SECRET_KEY, or a key file created on first use (mode 0600).

Several keys may be given (the file's lines, or the variable's comma-separated keys): the first
seals, any opens. That is how a key is rotated (bot.cli.rotate_key): the new key goes first,
everything is sealed again with it, and then the old key is dropped and stops working."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

ENV = "PUSPAGA_SECRET_KEY"


class KeyNotMoved(RuntimeError):
    def __init__(self, old: Path, new: Path) -> None:
        super().__init__(
            f"[security] key_file = {new} belum ada, padahal kunci lama masih di {old}. "
            f"Pindahkan berkasnya: mv {old} {new} (pemilik dan izin 0600 tetap), lalu jalankan "
            "lagi. Kunci baru tidak dibuat: rekam yang sudah tersegel tidak akan terbaca."
        )


def key_not_moved(path: Path, before: Path) -> KeyNotMoved | None:
    """The key still at `before` while `path`, where it should be now, has none yet."""
    if before != path and before.exists() and not path.exists():
        return KeyNotMoved(before, path)
    return None


class SecretBox:
    def __init__(self, key: bytes | list[bytes]):
        self.keys = [key] if isinstance(key, bytes) else list(key)
        self._fernet = MultiFernet([Fernet(k) for k in self.keys])

    @classmethod
    def for_data_dir(cls, data_dir: Path, environ: dict[str, str] | None = None) -> SecretBox:
        return cls.at(data_dir / "secret.key", environ)

    @classmethod
    def at(
        cls, path: Path, environ: dict[str, str] | None = None, *, before: Path | None = None
    ) -> SecretBox:
        """The keys of PUSPAGA_SECRET_KEY, or of the key file at `path` (made if missing). A
        key still at `before` (data_dir/secret.key, when `[security] key_file` names another
        place) stops it: a new key would leave everything sealed unreadable."""
        env = os.environ if environ is None else environ
        if env.get(ENV):
            return cls([k.strip().encode() for k in env[ENV].split(",") if k.strip()])
        if before is not None and (stuck := key_not_moved(path, before)) is not None:
            raise stuck
        if not path.exists():
            # Written whole to a temporary file, then linked into place: a crash never leaves
            # an empty key, and two processes starting at once end with the same key.
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
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
        return cls(key_lines(path.read_bytes()))

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


def key_lines(raw: bytes) -> list[bytes]:
    return [line.strip() for line in raw.splitlines() if line.strip()]


def write_keys(path: Path, keys: list[bytes]) -> None:
    """Replace the key file whole (a crash leaves the old file or the new, never half)."""
    draft = path.with_name(f".secret.key.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(b"\n".join(keys) + b"\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(draft, path)
