"""A TCP proxy in front of a real server that can make its connections go silent without
closing them: what a NAT that forgot a connection, a router rebooted, or a firewall dropping
packets does. The client's socket stays open and nothing ever arrives (a half-open
connection), which no FIN or RST announces."""

from __future__ import annotations

import select
import socket
import threading
from dataclasses import dataclass, field


@dataclass
class _Link:
    client: socket.socket
    server: socket.socket
    silent: bool = False  # data from either side is dropped, nothing is closed


@dataclass
class TcpProxy:
    target: tuple[str, int]
    host: str = "127.0.0.1"
    port: int = 0
    accepted: int = 0
    links: list[_Link] = field(default_factory=list)
    _blackhole: bool = False
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> TcpProxy:
        self._listener = socket.create_server((self.host, 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True, name="tcp proxy").start()
        return self

    def silence_open_connections(self) -> None:
        """Every connection open now goes silent for good; new ones work."""
        for link in list(self.links):
            link.silent = True

    def blackhole(self) -> None:
        """Every connection, open or new, is silent until `heal`."""
        self._blackhole = True
        self.silence_open_connections()

    def heal(self) -> None:
        """New connections work again (the silent ones stay dead, as after a real outage)."""
        self._blackhole = False

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()
        for link in self.links:
            for sock in (link.client, link.server):
                sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.accepted += 1
            server = socket.create_connection(self.target)
            link = _Link(client, server, silent=self._blackhole)
            self.links.append(link)
            threading.Thread(target=self._pump, args=(link,), daemon=True).start()

    def _pump(self, link: _Link) -> None:
        ends = {link.client: link.server, link.server: link.client}
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select(list(ends), [], [], 0.2)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        if link.silent:  # the other side never hears of it
                            del ends[sock]
                            break
                        ends[sock].shutdown(socket.SHUT_WR)
                        return
                    if not link.silent:
                        ends[sock].sendall(data)
            except (OSError, ValueError):
                return
            if not ends:
                return
