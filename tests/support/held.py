"""Holding a use case inside its transaction (PostgreSQL race tests): it runs in a thread and
stops right after a chosen repository call, with the locks it took still held, until the
`with` block ends. The other action started meanwhile must wait for those locks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class HeldInside:
    def __init__(
        self, monkeypatch: Any, repo_class: type, method: str, action: Callable[[], object],
        *, after_calls: int = 1,
    ) -> None:  # fmt: skip
        self.reached, self.release = threading.Event(), threading.Event()
        original = getattr(repo_class, method)
        calls = []

        def call_then_hold(repo: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(repo, *args, **kwargs)
            calls.append(1)
            if len(calls) == after_calls:
                self.reached.set()
                assert self.release.wait(30)
            return result

        monkeypatch.setattr(repo_class, method, call_then_hold)
        self.thread = threading.Thread(target=action)

    def __enter__(self) -> HeldInside:
        self.thread.start()
        assert self.reached.wait(30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.thread.join(30)


def run_in_thread(fn: Callable[[], object]) -> tuple[threading.Thread, dict[str, object]]:
    """Start `fn`; its return value lands in the box under "result"."""
    box: dict[str, object] = {}
    thread = threading.Thread(target=lambda: box.setdefault("result", fn()))
    thread.start()
    return thread, box
