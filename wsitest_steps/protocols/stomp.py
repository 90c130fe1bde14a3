"""STOMP 1.2 over websocket frames, as a client of a message broker (stomp.github.io/stomp-specification-1.2.html).

A STOMP frame is a command line, ``name:value`` header lines, an empty line and a body ended by a
NUL octet; a lone end-of-line is a heart-beat. The client sends CONNECT (login, passcode, host
and the heart-beat it offers from the connect step's auth) and the broker answers CONNECTED or
ERROR. After it: SUBSCRIBE and UNSUBSCRIBE by destination, SEND with headers and a body, and the
broker's MESSAGE, RECEIPT and ERROR frames.

Every SUBSCRIBE and SEND asks for a receipt, so a step can wait until the broker has taken it
(a subscription that is in place before anyone publishes; a message the broker confirmed). A
MESSAGE is a message whose channel is its destination and whose payload is its body, decoded as
JSON when it is JSON; receipts, heart-beats and the handshake are the protocol's own traffic.
An ERROR after the handshake ends the session, as the broker closes the connection after it.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping
from typing import Any

from ..model.frames import Outgoing
from ..model.kinds import FrameKind
from ..model.messages import Message
from ..model.wording import as_text, preview
from .base import Decoded, Opening, Protocol, ProtocolViolation, register_protocol

#: The heart-beat the client offers unless the connect step's auth says otherwise: it can send
#: every 10 s and wants the broker's every 10 s (milliseconds, as the header has them).
DEFAULT_HEART_BEAT = "10000,10000"
#: Headers a MESSAGE has by the protocol, kept as its channel and id instead of as headers.
_STRUCTURE = frozenset({"destination", "message-id", "content-length"})
#: Headers whose values are credentials: never shown.
SECRET_HEADERS = frozenset({"passcode", "authorization", "token"})
_ESCAPES = {"\\": "\\\\", "\r": "\\r", "\n": "\\n", ":": "\\c"}
_UNESCAPES = {"\\": "\\", "r": "\r", "n": "\n", "c": ":"}
_JSON_TYPES = ("application/json", "+json")


@register_protocol
class Stomp(Protocol):
    """STOMP 1.2 as message brokers speak it over websocket (tested with RabbitMQ's web-STOMP): subscribe, send, receive by destination."""

    name = "stomp"
    title = "STOMP"
    subprotocols = ("v12.stomp", "v11.stomp", "v10.stomp")
    data_kinds = frozenset({"SEND", "MESSAGE"})

    def __init__(self, opening: Opening) -> None:
        super().__init__(opening)
        self._ids: Iterator[int] = itertools.count(1)
        self._buffer = b""
        #: destination -> subscription id, for the subscriptions in place.
        self.subscriptions: dict[str, str] = {}
        #: destination -> the receipt asked for by the last SEND to it.
        self.sent: dict[str, str] = {}
        self.version: str | None = None
        self._offered = (0, 0)
        #: Milliseconds between heart-beats, client to broker and broker to client, once CONNECTED (0: none).
        self.negotiated = (0, 0)

    # -- the handshake ---------------------------------------------------------------------

    def opening(self) -> list[Message]:
        headers = {"accept-version": "1.2", "host": "/", "heart-beat": DEFAULT_HEART_BEAT}
        asked = self.opening_asked.payload
        if asked is not None and not isinstance(asked, dict):
            raise ValueError(f"STOMP's CONNECT takes headers as a JSON object, not {json.dumps(asked)}")
        headers.update({str(k): as_text(v) for k, v in (asked or {}).items()})
        self._offered = _heart_beat(headers["heart-beat"], "the heart-beat the connect step offers")
        hidden = frozenset(k for k in headers if k.lower() in SECRET_HEADERS)
        return [self.message("CONNECT", headers=headers, hidden=hidden, control=True)]

    def _connected(self, headers: Mapping[str, str]) -> None:
        self.version = headers.get("version", "1.0")
        server = _heart_beat(headers.get("heart-beat", "0,0"), "the broker's CONNECTED heart-beat")
        # STOMP 1.2 section "Heart-beating": each way is the larger of what one side can do and
        # what the other wants, and off when either says 0.
        client_sends, client_wants = self._offered
        server_sends, server_wants = server
        self.negotiated = (
            max(client_sends, server_wants) if client_sends and server_wants else 0,
            max(server_sends, client_wants) if server_sends and client_wants else 0,
        )
        if self.negotiated[0]:
            self.heartbeat_every = self.negotiated[0] / 1000
        if self.negotiated[1]:
            self.server_heartbeat_every = self.negotiated[1] / 1000
        self.accept()

    # -- what a step sends ------------------------------------------------------------------

    def subscription(self, destination: str) -> Message:
        """SUBSCRIBE to ``destination``, asking for a receipt: its id is the message's ``id``."""
        if destination in self.subscriptions:
            raise ValueError(f'there is already a subscription to "{destination}"')
        ident = f"sub-{next(self._ids)}"
        self.subscriptions[destination] = ident
        return self.message("SUBSCRIBE", id=ident, channel=destination)

    def unsubscription(self, destination: str) -> Message:
        """UNSUBSCRIBE from ``destination``, asking for a receipt; :class:`ValueError` if there is no such subscription."""
        ident = self.subscriptions.pop(destination, None)
        if ident is None:
            known = ", ".join(f'"{d}"' for d in self.subscriptions) or "none"
            raise ValueError(f'there is no subscription to "{destination}" (subscriptions: {known})')
        return self.message("UNSUBSCRIBE", id=ident, channel=destination)

    def send_to(self, destination: str, body: Any, headers: Mapping[str, str] | None = None) -> Message:
        """SEND ``body`` (JSON, a text, or bytes) to ``destination``, asking for a receipt."""
        receipt = f"send-{next(self._ids)}"
        self.sent[destination] = receipt
        return self.message("SEND", body, id=receipt, channel=destination, headers=dict(headers or {}))

    @staticmethod
    def receipt(message: Message) -> str:
        """The receipt a SUBSCRIBE, UNSUBSCRIBE or SEND asks for: the RECEIPT that answers it carries this id."""
        return f"un{message.id}" if message.kind == "UNSUBSCRIBE" else str(message.id)

    def heartbeat(self) -> Message:
        return self.message("heart-beat", control=True)

    # -- frames ----------------------------------------------------------------------------

    def receive(self, kind: FrameKind, payload: str | bytes) -> list[Decoded]:
        data = payload.encode("utf-8") if isinstance(payload, str) else payload
        if not self._buffer and not data.strip(b"\r\n"):
            return [Decoded(self.message("heart-beat", control=True))]
        self._buffer += data
        decoded: list[Decoded] = []
        while True:
            self._buffer = self._buffer.lstrip(b"\r\n")  # the end-of-lines a frame may trail
            if not self._buffer:
                break
            frame = _split_frame(self._buffer)
            if frame is None:
                break
            command, headers, body, self._buffer = frame
            decoded.append(self._decode(command, headers, body))
        if not decoded:
            return [Decoded(self.message(f"part of a frame ({len(self._buffer)} bytes so far)", control=True))]
        return decoded

    def _decode(self, command: str, headers: dict[str, str], body: bytes) -> Decoded:
        if command == "CONNECTED":
            self._connected(headers)
            return Decoded(self.message(command, headers=headers, control=True))
        if command == "RECEIPT":
            return Decoded(self.message(command, id=headers.get("receipt-id"), headers=headers, control=True))
        if command == "ERROR":
            reason = headers.get("message") or _text(body) or "the broker gave no reason"
            details = {"message": reason, **({"details": _text(body)} if body else {})}
            if not self.settled:
                self.refuse(reason, details)
                return Decoded(self.message(command, details, headers=headers, control=True))
            said = f" ({preview(details['details'], 200)})" if "details" in details else ""
            return Decoded(self.message(command, details, headers=headers), ends=f"the broker sent an ERROR: {reason}{said}")
        if command == "MESSAGE":
            if "destination" not in headers:
                raise ProtocolViolation("the broker sent a MESSAGE without a destination header")
            shown = {k: v for k, v in headers.items() if k not in _STRUCTURE}
            return Decoded(
                self.message(
                    command,
                    _body(body, headers.get("content-type")),
                    id=headers.get("message-id"),
                    channel=headers["destination"],
                    headers=shown,
                )
            )
        raise ProtocolViolation(f"the broker sent a {command} frame, which STOMP brokers do not send")

    def encode(self, message: Message) -> list[Outgoing]:
        if message.kind == "heart-beat":
            return [Outgoing.text("\n")]
        headers = dict(message.headers)
        body = b""
        if message.kind == "SUBSCRIBE":
            headers = {
                "id": str(message.id),
                "destination": str(message.channel),
                "ack": "auto",
                "receipt": self.receipt(message),
            }
        elif message.kind == "UNSUBSCRIBE":
            headers = {"id": str(message.id), "receipt": self.receipt(message)}
        elif message.kind == "SEND":
            headers = {"destination": str(message.channel), **headers, "receipt": self.receipt(message)}
            body, content_type = _encoded(message.payload)
            if content_type is not None:
                headers.setdefault("content-type", content_type)
            headers["content-length"] = str(len(body))
        # CONNECT's headers are not escaped (STOMP 1.2, "Value Encoding"); every other frame's are.
        escape = message.kind != "CONNECT"
        lines = [message.kind, *(f"{_escaped(k, escape)}:{_escaped(v, escape)}" for k, v in headers.items())]
        frame = ("\n".join(lines) + "\n\n").encode("utf-8") + body + b"\x00"
        try:
            return [Outgoing.text(frame.decode("utf-8"))]
        except UnicodeDecodeError:  # a binary body
            return [Outgoing.binary(frame)]


def _split_frame(buffer: bytes) -> tuple[str, dict[str, str], bytes, bytes] | None:
    """``(command, headers, body, rest)`` of the first frame in ``buffer``; ``None`` until it is complete."""
    end = buffer.find(b"\n\n")
    crlf = buffer.find(b"\r\n\r\n")
    if crlf != -1 and (end == -1 or crlf < end):
        end, gap = crlf, 4
    else:
        gap = 2
    if end == -1:
        return None
    try:
        head = buffer[:end].decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolViolation(f"the broker sent a frame whose headers are not UTF-8: {buffer[:60]!r}") from None
    command, *lines = head.replace("\r\n", "\n").split("\n")
    headers: dict[str, str] = {}
    for line in lines:
        name, colon, value = line.partition(":")
        if not colon:
            raise ProtocolViolation(f"the broker's {command} frame has the header line {line[:60]!r}, which has no colon")
        unescape = command != "CONNECTED"
        headers.setdefault(_unescaped(name, unescape), _unescaped(value, unescape))  # the first of a repeated header counts
    start = end + gap
    length = headers.get("content-length")
    if length is not None:
        if not length.isdigit():
            raise ProtocolViolation(f"the broker's {command} frame has the content-length {length!r}")
        stop = start + int(length)
        if len(buffer) <= stop:
            return None
        if buffer[stop : stop + 1] != b"\x00":
            raise ProtocolViolation(f"the broker's {command} frame does not end with NUL after its content-length of {length}")
    else:
        stop = buffer.find(b"\x00", start)
        if stop == -1:
            return None
    return command, headers, buffer[start:stop], buffer[stop + 1 :]


def _escaped(text: str, escape: bool) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in text) if escape else text


def _unescaped(text: str, unescape: bool) -> str:
    if not unescape or "\\" not in text:
        return text
    out, chars = [], iter(text)
    for ch in chars:
        if ch == "\\":
            code = next(chars, "")
            if code not in _UNESCAPES:
                raise ProtocolViolation(f"the header {text[:60]!r} has the undefined escape \\{code}")
            out.append(_UNESCAPES[code])
        else:
            out.append(ch)
    return "".join(out)


def _heart_beat(value: str, what: str) -> tuple[int, int]:
    sends, comma, wants = value.partition(",")
    if not comma or not sends.strip().isdigit() or not wants.strip().isdigit():
        raise ProtocolViolation(f'{what} is "{value}", not two numbers of milliseconds such as "10000,10000"')
    return int(sends), int(wants)


def _encoded(body: Any) -> tuple[bytes, str | None]:
    if body is None:
        return b"", None
    if isinstance(body, bytes | bytearray):
        return bytes(body), "application/octet-stream"
    if isinstance(body, str):
        return body.encode("utf-8"), "text/plain"
    return json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json"


def _body(body: bytes, content_type: str | None) -> Any:
    """The body as a JSON value: parsed when it is JSON, else its text, else its bytes."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body
    if content_type is None or any(kind in content_type for kind in _JSON_TYPES):
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


def _text(body: bytes) -> str:
    return body.decode("utf-8", "replace").strip()
