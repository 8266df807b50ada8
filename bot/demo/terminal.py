"""A `puspaga` command in its own process, its questions answered on stdin as an operator
would: the demo's setup act and the setup's tests. Waits on what the command printed (no
sleeps); a transcript shows the answers typed (secrets masked) after their questions."""

from __future__ import annotations

import os
import subprocess
import threading
import time

from bot.cli.common import PROGRAM


class TerminalFailed(Exception):
    pass


class Terminal:
    def __init__(
        self, args: list[str], env: dict[str, str], program: list[str] | None = None
    ) -> None:
        # a session of its own: no terminal to ask hidden answers on, so they come from stdin
        self.process = subprocess.Popen(
            [*(program or PROGRAM), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        self.out = ""
        self.transcript = ""
        self.seen = 0
        self.changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while chunk := os.read(self.process.stdout.fileno(), 4096):
            said = chunk.decode("utf-8", "replace")
            with self.changed:
                self.out += said
                self.transcript += said
                self.changed.notify_all()
        with self.changed:  # EOF: whoever waits looks once more, then gives up
            self.changed.notify_all()

    def expect(self, words: str, timeout: float = 30.0) -> None:
        """Wait until the command prints `words` after what was expected before."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while (at := self.out.find(words, self.seen)) < 0:
                left = deadline - time.monotonic()
                if left <= 0 or not self._reader.is_alive():  # the reader ends at EOF
                    self.process.kill()
                    raise TerminalFailed(f"never printed {words!r}; printed:\n{self.out}")
                self.changed.wait(min(left, 0.5))
            self.seen = at + len(words)

    def type(self, line: str, *, secret: bool = False) -> None:
        assert self.process.stdin is not None
        with self.changed:
            self.transcript += ("•" * 8 if secret else line) + "\n"
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()

    def finish(self, timeout: float = 60.0) -> int:
        code = self.process.wait(timeout)
        self._reader.join(5)  # what it printed last
        return code
