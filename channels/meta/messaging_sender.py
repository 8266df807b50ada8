"""Replies through Messenger's Send API, for the office's Facebook Page or its Instagram
account (the same API). Both answer within 24 hours of the client's last message; after it,
a reply a person wrote may go with the HUMAN_AGENT tag for up to 7 days when Meta granted the
app that feature ([messenger] or [instagram] human_agent, docs/META.md); our automatic
messages never take the tag. Refused, the reply fails with reason `window_messaging` for
staff to send again once the client writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from channels.meta.graph import Graph, GraphError, send_error
from triage.domain.outbox import OutboxItem, parts
from triage.ports import SendResult


@dataclass
class MessagingSender:
    graph: Graph
    account: str  # the Page id; "me" for Instagram (the token's own: the Page's or the account's)
    prefix: str  # of the remote ids: "fb", "igm" (channels/meta/source.py)
    limit: int = 2000  # characters in one message (Messenger)
    human_agent: bool = False
    max_bytes: int | None = None  # Instagram counts its 1,000 in UTF-8 bytes
    metadata: bool = True  # our outbox id carried in the message (Messenger documents it)

    def send(self, item: OutboxItem) -> SendResult:
        sent = ""
        limit, size = (self.max_bytes, _utf8) if self.max_bytes else (self.limit, len)
        for part in parts(item.text, limit, size):
            message: dict[str, Any] = {"text": part}
            if self.metadata:
                message["metadata"] = f"outbox:{item.id}"
            payload = {"recipient": {"id": item.recipient}, "messaging_type": "RESPONSE",
                       "message": message}  # fmt: skip
            try:
                answer = self._post(payload, tag=not item.options.get("auto_reply"))
            except Exception as exc:  # noqa: BLE001 - classified for the outbox
                raise send_error(exc) from None
            sent = str(answer.get("message_id") or "")
        return SendResult(f"{self.prefix}:{sent}")

    def _post(self, payload: dict[str, Any], *, tag: bool) -> dict[str, Any]:
        try:
            return self.graph.post(f"{self.account}/messages", payload)
        except GraphError as exc:
            if not (exc.outside_window and tag and self.human_agent):
                raise
        # a person's reply, the 24 hours past: Meta takes it tagged until day 7
        tagged = {**payload, "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
        return self.graph.post(f"{self.account}/messages", tagged)

    def already_sent(self, item: OutboxItem) -> SendResult | None:
        """The Send API cannot be asked what was sent: cannot tell (docs/OUTBOX.md)."""
        return None


def _utf8(text: str) -> int:
    return len(text.encode("utf-8"))
