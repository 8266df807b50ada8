"""Why a server cannot be reached, in the words an office's IT person acts on
(channels/network.py), each failure made as the world makes it: a name no DNS knows, a closed
port, a server that accepts and never answers (a half-open link), a certificate no one signed
(an office network that opens encrypted traffic), a proxy that refuses. All on this machine."""

from __future__ import annotations

import datetime as dt
import errno
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from imapclient import IMAPClient

from bot.config.channel_settings import TelegramConfig
from bot.telegram.probe import telegram_problem
from channels.network import explain, kind


@contextmanager
def listening(serve: Callable[[socket.socket], None]) -> Iterator[int]:
    """A server on a free local port that hands each connection to `serve`; its port."""
    server = socket.create_server(("127.0.0.1", 0))
    done = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not done.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                try:
                    serve(conn)
                except OSError:
                    pass  # the client gave up: what the test wants

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        done.set()
        thread.join(timeout=5)
        server.close()


def refuse(conn: socket.socket) -> None:
    """A proxy that answers CONNECT with 502: the request goes no further."""
    conn.recv(4096)
    conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")


def test_a_name_no_dns_knows():
    with pytest.raises(OSError) as caught:
        IMAPClient("imap.tidak-ada.invalid", port=993, timeout=3)
    assert kind(caught.value) == "dns"
    said = explain(caught.value, "id", "imap.tidak-ada.invalid", "[email] imap_host")
    assert said.startswith("nama imap.tidak-ada.invalid tidak ditemukan (DNS)")
    assert "ping imap.tidak-ada.invalid" in said and "[email] imap_host" in said


def test_a_closed_port_refuses():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
    with pytest.raises(OSError) as caught:
        IMAPClient("127.0.0.1", port=port, ssl=False, timeout=3)
    assert kind(caught.value) == "refused"
    assert "menolak sambungan" in explain(caught.value, "id", f"127.0.0.1:{port}", "k")


def test_a_server_that_accepts_and_never_answers_is_a_timeout():
    quiet = threading.Event()
    with listening(lambda conn: quiet.wait(5)) as port:
        with pytest.raises(OSError) as caught:
            IMAPClient("127.0.0.1", port=port, ssl=False, timeout=0.5)
        quiet.set()
    assert kind(caught.value) == "timeout"
    said = explain(caught.value, "id", "imap.kantor", "k")
    assert "tidak menjawab dalam waktu tunggu" in said and "[network] proxy" in said
    # mail never goes through the proxy: its silence is a closed port
    said = explain(caught.value, "id", "imap.kantor", "[email] imap_port", direct=True)
    assert "membuka port 993 dan 465/587" in said and "[network] proxy" not in said


def _self_signed(folder: Path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .sign(key, hashes.SHA256())
    )
    (folder / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "k.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "c.pem", folder / "k.pem")
    return context


def test_a_certificate_no_one_signed_is_said_as_such(tmp_path):
    """What an office network that inspects TLS looks like from the server: a certificate
    the system does not trust."""
    context = _self_signed(tmp_path)
    with listening(lambda conn: context.wrap_socket(conn, server_side=True).recv(1)) as port:
        with pytest.raises(OSError) as caught:
            IMAPClient("127.0.0.1", port=port, ssl=True, timeout=3)
    assert kind(caught.value) == "tls"
    said = explain(caught.value, "id", "imap.gmail.com", "k")
    assert "tidak dapat dipercaya" in said and "jam server" in said


def test_telegram_through_a_proxy_that_refuses_says_the_proxy():
    """`[network] proxy` is used by `check`: a proxy that answers CONNECT with 502 is named
    (nothing leaves this machine: the proxy refuses)."""

    config = TelegramConfig(token="1:rahasia", admin_chat_id=-100)
    with listening(refuse) as port:
        problem, found = telegram_problem(config, "id", proxy=f"http://127.0.0.1:{port}")
    assert problem is not None and problem.startswith("proxy menolak atau gagal meneruskan")
    assert "[network] proxy" in problem and "rahasia" not in problem and found == ""


def test_no_route_as_the_libraries_wrap_it():
    no_route = OSError(errno.ENETUNREACH, "Network is unreachable")
    try:
        raise httpx.ConnectError("[Errno 101] Network is unreachable") from no_route
    except httpx.ConnectError as wrapped:
        assert kind(wrapped) == "unreachable"
    assert kind(ValueError("something else")) is None
    assert explain(ValueError("x"), "en", "h", "[k]") == "cannot reach h (ValueError). Fix: [k]"


def test_what_a_server_answers_is_not_read_as_the_network():
    """An SMTP greeting that says "timeout" or "proxy" came from a server that was reached;
    instagrapi's "ProxyAddressIsBlocked" answers a wrong user name."""
    from instagrapi.exceptions import ClientConnectionError, ProxyAddressIsBlocked

    busy = smtplib.SMTPConnectError(421, b"4.7.0 Too many connections, timeout")
    assert kind(busy) is None
    assert kind(smtplib.SMTPConnectError(554, b"5.7.1 proxy connections not allowed")) is None
    assert kind(ProxyAddressIsBlocked("username doesn't appear to belong to an account")) is None
    tunnel = ClientConnectionError("CONNECT tunnel failed, response 407")  # curl through a proxy
    assert kind(tunnel) == "proxy"


def test_a_proxy_that_is_not_there_is_named_not_telegram():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
    config = TelegramConfig(token="1:rahasia", admin_chat_id=-100)
    problem, _ = telegram_problem(config, "id", proxy=f"http://it:sandi@127.0.0.1:{port}")
    assert problem is not None and problem.startswith("127.0.0.1 menolak sambungan")
    assert problem.endswith("Perbaiki: [network] proxy") and "sandi" not in problem


def test_the_service_sends_fetches_and_logs_in_through_the_proxy(tmp_path):
    """The gateway that sends, the application that fetches updates and Instagram's client all
    take `[network] proxy`: a proxy that refuses is what each of them meets."""
    import asyncio

    from bot.bootstrap import _proxied_client, build
    from bot.config.settings import from_mapping

    with listening(refuse) as port:
        proxy = f"http://127.0.0.1:{port}"
        settings = from_mapping(
            {
                "data_dir": str(tmp_path),
                "office": {"name": "PUSPAGA Uji"},
                "telegram": {"token": "1:x", "admin_chat_id": -100},
                "network": {"proxy": proxy},
            },
            environ={},
        )
        app = build(settings)
        assert app.telegram is not None
        gateway = app.telegram.gateway
        with pytest.raises(Exception) as sent:
            gateway.call(gateway.bot.get_me())
        assert kind(sent.value) == "proxy"
        application = app.telegram._application()
        with pytest.raises(Exception) as fetched:
            asyncio.run(application.bot.get_updates(timeout=0))
        assert kind(fetched.value) == "proxy"
        app.engine.dispose()
    client = _proxied_client(proxy)
    assert client.private.proxies == {"http": proxy, "https": proxy}
