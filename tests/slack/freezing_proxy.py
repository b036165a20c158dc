"""A loopback TCP pass-through that can go silent while keeping the connection open (T14).

A half-open socket is the worst kind of network fault: no error, no close, just nothing. This
proxy forwards bytes both ways until ``freeze()``; after that it keeps reading (so the client's
writes succeed) but forwards nothing, exactly like a dead NAT entry or a stuck load balancer.
Only the connections open at the time freeze; later ones pass through normally.
"""

from __future__ import annotations

import socket
import threading


class FreezingProxy:
    """``with FreezingProxy(port) as proxy``: connect to ``proxy.port`` instead of ``port``."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._frozen: list[threading.Event] = []
        self._sockets: list[socket.socket] = []
        self.accepted = 0

    def __enter__(self) -> FreezingProxy:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._listener.close()
        for sock in self._sockets:
            sock.close()

    def freeze(self) -> None:
        """Stop forwarding on every connection open now; keep them open."""
        for flag in self._frozen:
            flag.set()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            frozen = threading.Event()
            self._frozen.append(frozen)
            self._sockets += [client, upstream]
            self.accepted += 1
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst, frozen), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket, frozen: threading.Event) -> None:
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                return
            if not data:
                return
            if frozen.is_set():
                continue  # swallowed: the peer never hears back
            try:
                dst.sendall(data)
            except OSError:
                return
