"""`puspaga check` for Meta's channels against the Graph API stand-in: each account's token and
id as the service would use them (the WhatsApp number, the Page, the Instagram account), and
who listens on the webhook's port."""

from __future__ import annotations

import socket
from pathlib import Path

from typer.testing import CliRunner

from bot.cli.main import app
from bot.demo.local_graph import LocalGraph
from tests.support.meta_office import free_port

runner = CliRunner()


def config(tmp_path: Path, graph: LocalGraph, token: str, number: str, port: int) -> Path:
    path = tmp_path / f"c{len(token)}{number[-3:]}.toml"
    path.write_text(
        'data_dir = "data"\n[office]\nname = "PUSPAGA Uji"\n'
        f'[webhook]\nport = {port}\nverify_token = "verify-token-of-the-check"\n'
        'app_secret = "rahasia-aplikasi"\n'
        f'[whatsapp]\nphone_number_id = "{number}"\naccess_token = "{token}"\n'
        f'graph_url = "{graph.base_url}"\n'
    )
    return path


def check(path: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["check", "--config", str(path)])
    return result.exit_code, result.output


def test_check_asks_meta_for_the_number_and_says_what_to_fix(tmp_path):
    port = free_port()
    with LocalGraph() as graph:
        state = graph.state
        code, out = check(config(tmp_path, graph, state.token, state.number_id, port))
        assert code == 0, out
        assert "OK    WhatsApp (Graph API): +6281100000000 (PUSPAGA Kabupaten Contoh)" in out
        assert f"OK    Webhook Meta: port {port} belum dipakai" in out
        code, out = check(config(tmp_path, graph, "token-yang-salah", state.number_id, port))
        assert code == 1 and "token ditolak Meta" in out and "access_token" in out
        assert "token-yang-salah" not in out  # a secret is never echoed
        code, out = check(config(tmp_path, graph, state.token, "999000", port))
        assert code == 1 and "tidak mengenal phone_number_id" in out
        with socket.create_server(("127.0.0.1", port)):  # another program holds the port
            code, out = check(config(tmp_path, graph, state.token, state.number_id, port))
        assert code == 1 and f"port {port} dipakai program lain" in out


def test_check_asks_meta_for_the_page_and_the_instagram_account(tmp_path):
    port = free_port()
    with LocalGraph() as graph:
        state = graph.state

        def write(page: str, account: str, token: str) -> Path:
            path = config(tmp_path, graph, state.token, state.number_id, port)
            path.write_text(
                path.read_text() + f'[messenger]\npage_id = "{page}"\naccess_token = "{token}"\n'
                f'graph_url = "{graph.base_url}"\n'
                f'[instagram]\nmode = "graph"\naccount_id = "{account}"\n'
                f'access_token = "{token}"\ngraph_url = "{graph.base_url}"\n'
            )
            return path

        code, out = check(write(state.page_id, state.ig_id, state.token))
        assert code == 0, out
        assert "OK    Messenger (Graph API): PUSPAGA Kabupaten Contoh" in out
        assert "OK    Instagram (Graph API): @puspaga.contoh" in out
        code, out = check(write("12345", "67890", state.token))
        assert code == 1 and "tidak mengenal page_id" in out and "tidak mengenal account_id" in out
        code, out = check(write(state.page_id, state.ig_id, "token-halaman-salah"))
        assert "PUSPAGA_MESSENGER_TOKEN" in out and "PUSPAGA_INSTAGRAM_TOKEN" in out
        assert code == 1 and "token-halaman-salah" not in out
