"""An SMTP server on loopback (aiosmtpd) that keeps what it receives, and can refuse on cue."""

from __future__ import annotations

import email
import threading
from dataclasses import dataclass, field
from email.message import Message
from email.policy import default

from aiosmtpd.controller import Controller

from bot.demo.local_mail import free_port


@dataclass
class SmtpSink:
    port: int = field(default_factory=free_port)
    received: list[Message] = field(default_factory=list)
    refuse_with: str | None = None  # e.g. "550 no such user": the next mails are refused
    lock: threading.Lock = field(default_factory=threading.Lock)
    controller: Controller | None = None

    host = "127.0.0.1"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        if self.refuse_with:
            return self.refuse_with
        with self.lock:
            self.received.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def start(self) -> SmtpSink:
        self.controller = Controller(self, hostname=self.host, port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
