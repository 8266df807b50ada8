"""Replies through the WhatsApp Cloud API. Outside the 24-hour window WhatsApp takes only an
approved template: the office's (if set) asks the client to write again, once a day at most,
and the reply fails with reason `window` for staff to send again (docs/META.md)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from channels.meta.graph import WINDOW_CLOSED, Graph, GraphError, send_error
from triage.domain.outbox import OutboxItem, parts
from triage.ports import SendResult

log = logging.getLogger(__name__)
MAX_TEXT = 4096  # characters in one WhatsApp text message


@dataclass
class WhatsAppSender:
    graph: Graph
    phone_number_id: str
    reopen_template: str = ""
    template_language: str = "id"
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    # recipient -> when the template went (in this process: a restart may send one more)
    invited: dict[str, datetime] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, item: OutboxItem) -> SendResult:
        sent = ""
        for part in parts(item.text, MAX_TEXT):
            payload = {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": _number(item.recipient),
                "type": "text",
                "text": {"body": part, "preview_url": False},
                "biz_opaque_callback_data": f"outbox:{item.id}",
            }
            try:
                answer = self.graph.post(f"{self.phone_number_id}/messages", payload)
            except Exception as exc:  # noqa: BLE001 - classified for the outbox
                if isinstance(exc, GraphError) and exc.code in WINDOW_CLOSED:
                    self.invite(item.recipient)
                raise send_error(exc) from None
            sent = str(((answer.get("messages") or [{}])[0]).get("id") or "")
        return SendResult(f"wa:{sent}")

    def already_sent(self, item: OutboxItem) -> SendResult | None:
        """WhatsApp cannot be asked what was sent: cannot tell (docs/OUTBOX.md)."""
        return None

    def invite(self, recipient: str) -> None:
        """The office's template to a client whose window closed (once a day at most)."""
        now = self.clock()
        with self.lock:  # the drain's thread and the outbox's may both ask
            last = self.invited.get(recipient)
            if not self.reopen_template or (last and now - last < timedelta(hours=24)):
                return
            self.invited[recipient] = now
        payload = {
            "messaging_product": "whatsapp",
            "to": _number(recipient),
            "type": "template",
            "template": {
                "name": self.reopen_template,
                "language": {"code": self.template_language, "policy": "deterministic"},
            },
        }
        try:
            self.graph.post(f"{self.phone_number_id}/messages", payload)
        except Exception as exc:  # noqa: BLE001 - the reply fails either way; staff are told
            log.warning("templat WhatsApp tidak terkirim (%s)", type(exc).__name__)


def _number(recipient: str) -> str:
    """WhatsApp wants the country code with a plus; a business-scoped id goes as it is."""
    return f"+{recipient}" if recipient.isdigit() else recipient
