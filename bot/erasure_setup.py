"""Erasure from the office's configuration (triage.erasure): the retention periods, and the
removal of files, only ever inside the data directory."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from bot.config import Settings
from bot.wiring import App
from triage import erasure
from triage.model import Actor

log = logging.getLogger(__name__)


def retention(settings: Settings) -> erasure.Retention:
    kept = settings.retention
    return erasure.Retention(
        {kind: (getattr(kept, f"{kind}_days") or None) for kind in erasure.ALL_KINDS}
    )


def remover(settings: Settings) -> erasure.Remove:
    root = settings.data_dir.resolve()

    def remove(paths: Sequence[str]) -> None:
        for named in paths:
            path = Path(named).resolve()
            if not path.is_relative_to(root):  # never a file outside our data
                log.warning("erasure: a stored file outside the data directory was not removed")
                continue
            path.unlink(missing_ok=True)

    return remove


def purge(app: App) -> dict[str, int]:
    """The daily retention job."""
    done = erasure.purge(
        retention(app.settings), uow_factory=app.uows, now=app.clock(),
        remove=remover(app.settings),
    )  # fmt: skip
    log.info("retention purge: %s", ", ".join(f"{k} {n}" for k, n in done.items()) or "off")
    return done


def forget(app: App, client_id: int, actor: Actor) -> list[int]:
    """A data subject's request to erase (puspaga forget, /hapus)."""
    return erasure.forget_client(
        client_id, actor=actor, uow_factory=app.uows, now=app.clock(),
        remove=remover(app.settings),
    )  # fmt: skip
