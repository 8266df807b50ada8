"""An office with Meta's channels (WhatsApp; Messenger and Instagram through the Messaging API
when asked): the service running for real (its webhook receiver on a local port, the drains,
the outbox), the Graph API stand-in taking its sends, and `Meta` posting signed webhooks to
it, next to the local Bot API server for staff."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.demo.local_graph import GraphState, LocalGraph, Meta
from tests.support.telegram_office import Office, running_office

APP_SECRET = "app-secret-of-the-test"  # noqa: S105 - a test's own
VERIFY = "verify-token-of-the-test-0123"  # noqa: S105
CLIENT_WA = "6281234567890"
CLIENT_FB = "24871100000000001"  # a page-scoped id
CLIENT_IG = "17850000000000002"  # an Instagram-scoped id


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class WhatsAppOffice:
    office: Office
    graph: GraphState
    meta: Meta
    port: int


@contextmanager
def whatsapp_office(
    tmp_path: Path,
    *,
    whatsapp: dict[str, Any] | None = None,
    messenger: dict[str, Any] | None = None,
    instagram: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Iterator[WhatsAppOffice]:
    """WhatsApp always; [messenger] and [instagram] mode = "graph" when given (even {})."""
    port = free_port()
    with LocalGraph() as graph:
        state = graph.state
        common = {"access_token": state.token, "graph_url": graph.base_url, "poll_seconds": 0.5,
                  "mark_read": True}  # fmt: skip
        sections: dict[str, Any] = {
            "webhook": {"port": port, "verify_token": VERIFY, "app_secret": APP_SECRET},
            "whatsapp": {"phone_number_id": state.number_id, **common, **(whatsapp or {})},
        }
        if messenger is not None:
            sections["messenger"] = {"page_id": state.page_id, **common, **messenger}
        if instagram is not None:
            sections["instagram"] = {"mode": "graph", "account_id": state.ig_id, **common,
                                     "access_token": state.ig_token, **instagram}  # fmt: skip
        with running_office(tmp_path, sections=sections, **kwargs) as office:
            graph.state.clock = office.app.clock
            server = next(w for w in office.app.watchers if w.name == "webhook")
            office.wait(lambda: server.ready.is_set(), "the webhook receiver listening")
            meta = Meta(f"http://127.0.0.1:{port}/meta", APP_SECRET)
            yield WhatsAppOffice(office, graph.state, meta, port)
