"""`puspaga check` for Meta's channels: each account's token and id asked of the Graph API as
the service would, and whether the webhook's port is served (by the running service) or free."""

from __future__ import annotations

import socket

import httpx

from channels import network
from channels.meta.graph import TOKEN_REFUSED, Graph, GraphError
from triage.texts.catalog import Lang, text

# per config section: what is asked of the account, the catalogue keys of a refused token and
# of an unknown id (check.*), and how what was found is shown
ASKED = {
    "whatsapp": ("display_phone_number,verified_name", "check.wa.token", "check.wa.number",
                 lambda f: f"{f.get('display_phone_number', '?')} ({f.get('verified_name', '?')})"),
    "messenger": ("name", "check.messenger.token", "check.messenger.page",
                  lambda f: str(f.get("name", "?"))),
    "instagram": ("username", "check.instagram_graph.token", "check.instagram_graph.account",
                  lambda f: f"@{f.get('username', '?')}"),
}  # fmt: skip


def account_problem(graph: Graph, section: str, account: str, lang: Lang
                    ) -> tuple[str | None, str]:  # fmt: skip
    """(problem, what was found) for the account of `section` (Settings.meta_accounts)."""
    fields, refused, unknown, shown = ASKED[section]
    try:
        found = graph.get(f"{account}?fields={fields}")
    except GraphError as exc:
        if exc.code in TOKEN_REFUSED:
            return text(refused, lang), ""
        return text(unknown, lang, error=str(exc)[:120]), ""
    except httpx.HTTPError as exc:
        host = httpx.URL(graph.base_url).host
        return network.explain(exc, lang, host, f"[{section}] graph_url"), ""
    finally:
        graph.close()
    return None, shown(found)


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
