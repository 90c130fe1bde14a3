"""A websocket server written byte by byte, for faults no server library will commit.

It completes one handshake on 127.0.0.1 (or answers with whatever response it is given), writes
the frames a test hands it, and records every byte the client sends back, so a test can read the
client's close frame.
"""

from __future__ import annotations

import base64
import hashlib
import socket
import struct
import threading
from collections.abc import Callable

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
LONG = 30.0


def accept_key(key: str) -> str:
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def frame(opcode: int, payload: bytes = b"", *, fin: bool = True, masked: bool = False, rsv: int = 0) -> bytes:
    """One frame as a server (unmasked, unless ``masked``) would put it on the wire."""
    head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    mask_bit = 0x80 if masked else 0
    length = len(payload)
    if length < 126:
        head += bytes([mask_bit | length])
    elif length < 1 << 16:
        head += bytes([mask_bit | 126]) + struct.pack("!H", length)
    else:
        head += bytes([mask_bit | 127]) + struct.pack("!Q", length)
    if masked:
        key = b"\x01\x02\x03\x04"
        payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
        head += key
    return head + payload


def read_head(connection: socket.socket) -> bytes:
    """An HTTP request's head, read up to its blank line (or the connection's end)."""
    request = b""
    while b"\r\n\r\n" not in request:
        chunk = connection.recv(4096)
        if not chunk:
            break
        request += chunk
    return request


class RawServer:
    """Serves one connection: the handshake (or ``response``), then ``frames``; records what comes back."""

    def __init__(self, frames: bytes = b"", response: bytes | None = None, *, reads: bool = True) -> None:
        self.frames = frames
        self.response = response
        #: ``False``: after the handshake the server never reads again, until the test ends.
        self.reads = reads
        self.stop_reading = threading.Event()
        #: Builds the response from the client's Sec-WebSocket-Key, instead of ``response``.
        self.response_for: Callable[[str], bytes] | None = None
        #: Written once the client's first frame has arrived, as a server answers a handshake message.
        self.answer = b""
        self.received = b""
        self.done = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_reading.set()
        self._listener.close()
        self._thread.join(LONG)

    def _serve(self) -> None:
        self._listener.settimeout(LONG)
        try:
            connection, _ = self._listener.accept()
        except OSError:
            self.done.set()
            return
        with connection:
            connection.settimeout(LONG)
            request = read_head(connection)
            key = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in request.decode("latin-1").split("\r\n")
                    if line.lower().startswith("sec-websocket-key:")
                ),
                "",
            )
            response = self.response
            if self.response_for is not None:
                response = self.response_for(key)
            if response is None:
                response = (
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    f"Sec-WebSocket-Accept: {accept_key(key)}\r\n\r\n"
                ).encode()
            connection.sendall(response + self.frames)
            if not self.reads:
                self.stop_reading.wait(LONG)
                self.done.set()
                return
            try:
                while True:
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    self.received += chunk
                    frames = self.client_frames()
                    if self.answer and frames:
                        connection.sendall(self.answer)
                        self.answer = b""
                    if any(opcode == 0x8 for opcode, _ in frames):
                        break  # the client closed: a server drops the connection then
            except OSError:
                pass
        self.done.set()

    def client_frames(self) -> list[tuple[int, bytes]]:
        """The (opcode, unmasked payload) of every frame the client sent."""
        data, found, position = self.received, [], 0
        while position + 2 <= len(data):
            opcode, length = data[position] & 0x0F, data[position + 1] & 0x7F
            position += 2
            if length == 126:
                length, position = struct.unpack("!H", data[position : position + 2])[0], position + 2
            elif length == 127:
                length, position = struct.unpack("!Q", data[position : position + 8])[0], position + 8
            key, position = data[position : position + 4], position + 4
            payload = bytes(b ^ key[i % 4] for i, b in enumerate(data[position : position + length]))
            found.append((opcode, payload))
            position += length
        return found
