"""How a connection reaches its host: the one proxy-bypass policy, and a socket that reads ahead.

**Proxies.** Loopback addresses never go through a proxy configured in the environment (a proxy
cannot reach this machine's loopback interface), nor do the hosts ``NO_PROXY`` lists. The
websocket connections and the HTTP requests both ask :func:`bypasses_proxy`.

**Reading ahead.**
websocket-client reads the HTTP handshake one byte per ``recv`` (about 200 system calls per
connection, close to half the cost of a short scenario) and each frame in two or three reads.
Handing it a socket that fetches what is available in one call and serves small reads from
memory removes those calls without changing anything it does with the bytes.

While the response's head is read, a one-byte read gets the rest of the line instead, up to its
newline, and the newline alone comes next: websocket-client's ``recv_line`` asks for one byte at a
time, keeps whatever it gets, and stops at a read that is exactly ``b"\n"``, so the lines it joins
are the same, in two Python calls a line instead of one per byte (a tenth of a short scenario's
time, docs/benchmarks.md). ``tests/test_buffered_socket.py`` pins that reading of websocket-client.

Only plain ``ws://`` connections that no proxy applies to take this path: proxies stay entirely
websocket-client's own code, and TLS connections are websocket-client's, read and written through
:mod:`.tls_socket`'s serialising wrapper once connected.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# Enough for a handshake response and a run of small frames. Larger reads cost memory: with a
# thousand actors, 16 KiB per read left 6 MB more resident than 1 KiB (docs/benchmarks.md).
READ_AHEAD = 1024
# What websocket-client sets on the sockets it opens itself.
SOCKET_OPTIONS = ((socket.IPPROTO_TCP, socket.TCP_NODELAY, 1), (socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1))
PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")
# How much of a handshake's heads is kept for explaining a failure.
HEAD_LIMIT = 16384


@dataclass(frozen=True)
class Exchange:
    """The heads of a handshake's request and response as they crossed the wire (the response's
    possibly unfinished), so that a failed handshake can be explained from what was said."""

    request: bytes
    response: bytes

    @property
    def finished(self) -> bool:
        """Whether the response's head ended (a blank line) before the handshake stopped."""
        return b"\r\n\r\n" in self.response

    def first_line(self) -> str:
        """The response's status line, as far as it arrived."""
        return self.response.split(b"\r\n", 1)[0].decode("latin-1")

    def status(self) -> int | None:
        """The response's status code, if its first line arrived."""
        words = self.first_line().split()
        return int(words[1]) if len(words) >= 2 and words[1].isdigit() else None

    def response_headers(self) -> dict[str, str]:
        """The response's headers, names in lower case; repeated ones joined with commas."""
        return _headers(self.response)

    def request_headers(self) -> dict[str, str]:
        return _headers(self.request)


def _headers(head: bytes) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]:
        name, sep, value = line.partition(":")
        if sep:
            key = name.strip().lower()
            found[key] = f"{found[key]}, {value.strip()}" if key in found else value.strip()
    return found


class BufferedSocket:
    """Wraps a connected socket; ``recv`` reads ahead, everything else goes to the socket itself.

    It also keeps the heads of the handshake's request and response (:meth:`exchange`).
    """

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._buffer = b""
        self._offset = 0
        self._request = b""
        self._response = b""
        self._reading_head = True
        # Lines at once (the module's docstring) until the blank line that ends the head is served.
        self._head_lines = True
        self._line_blank = True
        # Called once per byte of the handshake: bound here, not found through __getattr__.
        self.gettimeout = sock.gettimeout
        self.send: Callable[..., int] = self._send_request

    def exchange(self) -> Exchange:
        """What the handshake said so far, both ways."""
        head, end, _ = self._response.partition(b"\r\n\r\n")  # the frames that followed are not the head's
        return Exchange(self._request, head + end)

    def _send_request(self, data: bytes, *flags: int) -> int:
        sent = self._sock.send(data, *flags)
        self._request += bytes(data[:sent])
        if b"\r\n\r\n" in self._request or len(self._request) > HEAD_LIMIT:
            self.send = self._sock.send  # the request's head is out: sends go straight through
        return sent

    def recv(self, bufsize: int) -> bytes:
        if bufsize == 1 and self._head_lines:
            return self._head_line_part()
        if self._offset >= len(self._buffer):
            data = self._read(max(bufsize, READ_AHEAD))
            if len(data) <= bufsize:
                return data
            self._buffer, self._offset = data, 0
        # An offset instead of slicing off the front: a flood of small frames in one read must
        # not copy the rest of the buffer once per frame.
        chunk = self._buffer[self._offset : self._offset + bufsize]
        self._offset += len(chunk)
        return chunk

    def _read(self, size: int) -> bytes:
        data = self._sock.recv(size)
        if self._reading_head:
            self._response += data
            self._reading_head = b"\r\n\r\n" not in self._response and len(self._response) < HEAD_LIMIT and bool(data)
        return data

    def _head_line_part(self) -> bytes:
        if self._offset >= len(self._buffer):
            data = self._read(READ_AHEAD)
            if not data:
                return data
            self._buffer, self._offset = data, 0
        start = self._offset
        newline = self._buffer.find(b"\n", start)
        if newline == start:
            self._offset = start + 1
            if self._line_blank:
                self._head_lines = False  # the head is over: frames follow, read by their sizes
            self._line_blank = True
            return b"\n"
        end = len(self._buffer) if newline < 0 else newline
        part = self._buffer[start:end]
        self._offset = end
        if part.strip():
            self._line_blank = False
        return part

    def pending(self) -> int:
        return len(self._buffer) - self._offset

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` is this machine: a proxy configured in the environment cannot reach it."""
    return host in ("localhost", "::1") or bool(host and host.startswith("127."))


def no_proxy_hosts() -> list[str]:
    """Hosts that bypass any proxy, in websocket-client's ``http_no_proxy`` form: ``NO_PROXY``'s, plus loopback."""
    configured = os.environ.get("no_proxy") or os.environ.get("NO_PROXY") or ""
    hosts = [h.strip() for h in configured.split(",") if h.strip()]
    return [*hosts, "localhost", "127.0.0.0/8", "::1"]


def bypasses_proxy(host: str | None) -> bool:
    """Whether a connection to ``host`` goes direct whatever proxy the environment configures."""
    if not host:
        return False
    if is_loopback(host):  # proxy_bypass_environment does not read the 127.0.0.0/8 in no_proxy
        return True
    # Imported here: urllib.request (with http.client and email) is a sixth of the library's import
    # time, and only a connection to a host other than loopback asks.
    from urllib.request import proxy_bypass_environment  # type: ignore[attr-defined]  # in the module, not in typeshed

    return bool(proxy_bypass_environment(host, {"no": ",".join(no_proxy_hosts())}))


def direct_socket(url: str, timeout: float) -> BufferedSocket | None:
    """A connected read-ahead socket for a plain ``ws://`` URL that no proxy applies to, else ``None``.

    ``None`` leaves the connection to websocket-client. Connection errors (refused, unresolvable,
    timed out) are raised as the socket module raises them, as websocket-client would.
    """
    parts = urlsplit(url)
    if parts.scheme != "ws" or not parts.hostname:
        return None
    if any(os.environ.get(name) for name in PROXY_VARIABLES) and not bypasses_proxy(parts.hostname):
        return None
    sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
    try:
        for option in SOCKET_OPTIONS:
            sock.setsockopt(*option)
    except OSError:
        sock.close()
        raise
    return BufferedSocket(sock)
