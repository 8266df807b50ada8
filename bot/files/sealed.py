"""A document made for staff, kept sealed with the office key on disk (under data_dir/ekspor,
removed after a month, and on erasure when it names a client) and queued to staff's private
chats: the outbox opens it only to send it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from bot.app import App
from triage.domain import notices
from triage.effects import notify


def send(app: App, content: bytes, *, folder: str, name: str, caption: str, to: Iterable[int],
         key: str, now: datetime) -> int:  # fmt: skip
    """Keep `content` sealed as data_dir/ekspor/`folder`/`name`… and queue it to each of `to`
    once (the same `key` again: the same file, queued nothing twice). Returns how many chats."""
    place = app.settings.data_dir / "ekspor" / folder
    place.mkdir(parents=True, exist_ok=True)
    path = place / f"{name}.{hashlib.sha256(key.encode()).hexdigest()[:10]}.sealed"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(app.sealer.seal(content), encoding="ascii")
    tmp.replace(path)
    chats = list(dict.fromkeys(to))
    with app.uows() as uow:
        for staff_id in chats:
            notify.queue(uow, key=f"{key}:{staff_id}", recipient=notices.staff(staff_id),
                         kind=notices.Kind.DOCUMENT, now=now, text=caption, path=str(path),
                         sealed="1", filename=name)  # fmt: skip
        uow.commit()
    app.wake.set()
    return len(chats)
