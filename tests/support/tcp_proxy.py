"""A TCP proxy in the test process, between the platform and RabbitMQ, that can cut the line.

`cut()` closes every connection through it and stops listening (new connections are refused,
as when the broker is down or the network is cut); `resume()` listens again on the same port.
Green threads under the suite's eventlet (plain threads elsewhere): one accept loop, two pumps
per connection. A socket is only ever closed by the thread that reads it (others shut it down,
which wakes that reader): under eventlet, closing a socket another green thread waits on
leaves a stale reader on a file descriptor the next socket reuses. `close()` ends everything.
"""

from __future__ import annotations

import contextlib
import socket
import threading

CHUNK = 65536


class TcpProxy:
    def __init__(self, upstream: tuple[str, int], host: str = "127.0.0.1"):
        self.upstream = upstream
        self.host = host
        self.port = 0
        self.accepted = 0
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._listener: socket.socket | None = None
        self._listener_gone = threading.Event()
        self._listener_gone.set()
        self._closed = False

    # --- the line --------------------------------------------------------------------------

    def start(self) -> TcpProxy:
        self._listener_gone.wait(5)
        self._listener_gone.clear()
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def cut(self) -> int:
        """Drop every open connection and refuse new ones; how many were dropped."""
        listener, self._listener = self._listener, None
        if listener is not None:
            _shutdown(listener)  # its accept loop wakes up and closes it
        with self._lock:
            pairs = list(self._pairs)
        for client, server, _ in pairs:
            _shutdown(client)
            _shutdown(server)
        return len(pairs)

    def resume(self) -> None:
        if self._listener is None:
            self.start()

    def close(self) -> None:
        self._closed = True
        self.cut()
        self._listener_gone.wait(5)

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._pairs)

    # --- inside ----------------------------------------------------------------------------

    def _accept(self, listener: socket.socket) -> None:
        while not self._closed:
            try:
                client, _ = listener.accept()
            except OSError:
                break  # cut or closed
            if self._listener is not listener:
                client.close()
                break
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            pair = (client, server, [2])  # the pumps still running
            with self._lock:
                self._pairs.append(pair)
                self.accepted += 1
            threading.Thread(target=self._pump, args=(pair, client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(pair, server, client), daemon=True).start()
        with contextlib.suppress(OSError):
            listener.close()
        self._listener_gone.set()

    def _pump(self, pair, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(CHUNK):
                target.sendall(data)
        except OSError:
            pass
        _shutdown(target)  # the other pump's reader wakes up
        _shutdown(source)
        with self._lock:
            pair[2][0] -= 1
            last = pair[2][0] == 0
            if last:
                self._pairs = [p for p in self._pairs if p is not pair]
        if last:  # both readers are done: nobody waits on these sockets any more
            source.close()
            target.close()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
