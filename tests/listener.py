"""A TCP listener on 127.0.0.1 that records every connection made to it.

The ``no_network`` fixture watches Python's own sockets; an engine written in
Rust (Oxigraph's SERVICE client) opens its sockets below Python, so a test
that must prove *no connection was made* points the query at one of these and
checks :attr:`Listener.connections` afterwards.
"""

from __future__ import annotations

import socket
import threading


class Listener:
    """Accepts connections on a free loopback port, records and closes them; use as a context manager."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections: list[tuple[str, int]] = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="test-listener", daemon=True)

    def _accept(self) -> None:
        self._socket.settimeout(0.05)
        while not self._stopped.is_set():
            try:
                connection, address = self._socket.accept()
            except (TimeoutError, OSError):
                continue
            self.connections.append(address)
            connection.close()

    def __enter__(self) -> Listener:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stopped.set()
        self._thread.join()
        self._socket.close()

    def reset(self) -> None:
        self.connections.clear()
