"""`puspaga check` for WhatsApp: the token and the number's id asked of the Graph API as the
service would, and whether the webhook's port is served (by the running service) or free."""

from __future__ import annotations

import socket

import httpx

from channels import network
from channels.meta.graph import TOKEN_REFUSED, Graph, GraphError
from triage.texts.catalog import Lang, text


def number_problem(graph: Graph, number_id: str, lang: Lang) -> tuple[str | None, str]:
    """(problem, what was found): the number's display form and verified name."""
    try:
        found = graph.get(f"{number_id}?fields=display_phone_number,verified_name")
    except GraphError as exc:
        if exc.code in TOKEN_REFUSED:
            return text("check.wa.token", lang), ""
        return text("check.wa.number", lang, error=str(exc)[:120]), ""
    except httpx.HTTPError as exc:
        host = httpx.URL(graph.base_url).host
        return network.explain(exc, lang, host, "[whatsapp] graph_url"), ""
    finally:
        graph.close()
    shown = f"{found.get('display_phone_number', '?')} ({found.get('verified_name', '?')})"
    return None, shown


def webhook_problem(
    host: str, port: int, path: str, verify_token: str, lang: Lang
) -> tuple[str | None, str]:
    """(problem, what was found) on the webhook's port: our receiver (it answers the
    handshake) or nothing yet (`puspaga run` will listen) are fine, another program is not."""
    try:
        with socket.create_connection((host, port), timeout=2):
            pass
    except OSError:
        return None, text("check.wa.port_free", lang, port=port)
    params = {"hub.mode": "subscribe", "hub.verify_token": verify_token, "hub.challenge": "cek"}
    where = f"[{host}]" if ":" in host else host  # an IPv6 address in a URL
    try:
        answer = httpx.get(f"http://{where}:{port}{path}", params=params, timeout=5)
    except Exception:  # noqa: BLE001 - whatever answers there, it is not our receiver
        answer = None
    if answer is not None and answer.status_code == 200 and answer.text == "cek":
        return None, text("check.wa.port_ours", lang, port=port)
    return text("check.wa.port_other", lang, port=port), ""
