"""A TLS socket that one thread reads while others write, one OpenSSL call at a time.

An actor's reader thread reads its connection while steps, standing replies and heartbeats send on
it. Over plain TCP that is safe; over TLS both directions go through one OpenSSL ``SSL`` object,
which must not be used by two threads at once, and Python's ``ssl`` module does not serialise
them. When a write ran while the reader was inside ``SSL_read`` handling a record (TLS 1.3 sends
session tickets just after the handshake, and any busy connection has records in flight both
ways), the connection now and then broke as "lost" or "Bad file descriptor": 2 rounds in 80 of
300 sends against their echoes over ``wss://`` (``tests/test_tls_socket.py`` runs that).

So every read and write takes one lock, and the reader never holds it while it waits: it polls the
descriptor first, with the socket's timeout, then reads without blocking under the lock, and polls
again if the record is not complete yet. A shutdown from another thread (teardown) still wakes it.
"""

from __future__ import annotations

import select
import socket
import ssl
import threading
import time
from typing import Any


class SerializedTLSSocket:
    """Wraps a connected ``ssl.SSLSocket``; ``recv`` and ``send`` never run OpenSSL concurrently."""

    def __init__(self, sock: ssl.SSLSocket) -> None:
        self._sock = sock
        self._lock = threading.Lock()
        self._poll = select.poll() if hasattr(select, "poll") else None  # not on Windows
        if self._poll is not None:
            self._poll.register(sock.fileno(), select.POLLIN | select.POLLPRI)

    def recv(self, bufsize: int) -> bytes:
        sock = self._sock
        timeout = sock.gettimeout()
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if not sock.pending():
                self._wait_readable(None if deadline is None else max(0.0, deadline - time.monotonic()))
            with self._lock:
                sock.setblocking(False)
                try:
                    return sock.recv(bufsize)
                except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                    pass  # part of a record: wait for the rest
                finally:
                    sock.settimeout(timeout)
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError("timed out")

    def _wait_readable(self, seconds: float | None) -> None:
        if self._poll is not None:
            ready = bool(self._poll.poll(None if seconds is None else seconds * 1000))
        else:
            ready = bool(select.select([self._sock], [], [], seconds)[0])
        if not ready:
            raise TimeoutError("timed out")  # what a blocking recv raises when the socket times out

    def send(self, data: bytes, *flags: int) -> int:
        with self._lock:
            return self._sock.send(data, *flags)

    def sendall(self, data: bytes, *flags: int) -> None:
        with self._lock:
            self._sock.sendall(data, *flags)

    def shutdown(self, how: int = socket.SHUT_RDWR) -> None:
        # Not under the lock: it must wake a reader, and a write blocked on a full buffer holds it.
        self._sock.shutdown(how)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)
