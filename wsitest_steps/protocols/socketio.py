"""Socket.IO (protocol 5) over Engine.IO 4's websocket transport.

Engine.IO wraps every packet in a one-digit type: ``0`` open, ``1`` close, ``2`` ping, ``3`` pong,
``4`` message, ``6`` noop. A Socket.IO packet inside a message reads
``<type>[<attachments>-][<namespace>,][<ack id>][<JSON>]`` with types ``0`` connect, ``1``
disconnect, ``2`` event, ``3`` ack, ``4`` connect error, ``5`` binary event, ``6`` binary ack;
the attachments of a binary packet follow as binary frames, referred to in the JSON by
``{"_placeholder": true, "num": N}``. (github.com/socketio/socket.io-protocol, engine.io-protocol.)

Every event this client emits asks for an acknowledgement, as a client passing a callback does,
so a step can check the answer; acknowledgements are kept aside (they satisfy only the
"is acknowledged" sentence, never "receives").
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..model.frames import Outgoing
from ..model.kinds import FrameKind
from ..model.messages import Message
from .base import Decoded, Opening, Protocol, ProtocolViolation, register_protocol

_ENGINE = {"0": "open", "1": "close", "2": "ping", "3": "pong", "4": "message", "5": "upgrade", "6": "noop"}
_PACKET = {"0": "connect", "1": "disconnect", "2": "event", "3": "ack", "4": "connect error", "5": "event", "6": "ack"}
_CODE = {"connect": 0, "disconnect": 1, "event": 2, "ack": 3}


@register_protocol
class SocketIO(Protocol):
    """Socket.IO 5 over Engine.IO 4's websocket transport, as a client of one namespace (``/`` unless the connect step names one)."""

    name = "socketio"
    title = "Socket.IO"
    data_kinds = frozenset({"event"})

    def __init__(self, opening: Opening) -> None:
        super().__init__(opening)
        self.namespace = opening.channel or "/"
        self._ids: Iterator[int] = itertools.count(1)
        self._asked: dict[int, str] = {}  # ack id -> the event it was asked for
        self._pending: tuple[str, Any, int | None, int, list[bytes]] | None = None  # a binary packet awaiting attachments

    def url(self, url: str) -> str:
        parts = urlsplit(url)
        path = parts.path if parts.path not in ("", "/") else "/socket.io/"
        query = "&".join(q for q in (parts.query, "EIO=4&transport=websocket") if q)
        return urlunsplit(parts._replace(path=path, query=query))

    def plain(self, value: Any, step: str | None) -> Message:
        # socket.send(value) in every Socket.IO client: the "message" event.
        return self.event("message", (value,))

    def event(self, name: str, arguments: tuple[Any, ...]) -> Message:
        """An event to emit, asking for an acknowledgement."""
        ack = next(self._ids)
        self._asked[ack] = name
        return self.message("event", _payload(arguments), name=name, id=ack, arguments=arguments, channel=self._channel)

    def acknowledgement(self, of: Message, arguments: tuple[Any, ...]) -> Message:
        """The answer to a received event ``of`` that asked for one."""
        return self.message("ack", _payload(arguments), name=of.name, id=of.id, arguments=arguments, channel=self._channel)

    def asked(self, event: str) -> int | None:
        """The ack id of the last ``event`` emitted, if any."""
        return max((i for i, name in self._asked.items() if name == event), default=None)

    @property
    def _channel(self) -> str | None:
        return None if self.namespace == "/" else self.namespace

    # -- frames ----------------------------------------------------------------------------

    def receive(self, kind: FrameKind, payload: str | bytes) -> list[Decoded]:
        if isinstance(payload, bytes):
            return [self._attachment(payload)]
        if not payload or payload[0] not in _ENGINE:
            raise ProtocolViolation(f"the server sent {payload[:40]!r}, which is no Engine.IO packet")
        engine, rest = _ENGINE[payload[0]], payload[1:]
        if engine == "message":
            return [self._packet(rest)]
        if engine == "ping":
            replies = [self.message("pong", control=True)] if self.answers_heartbeats else []
            return [Decoded(self.message("ping", control=True), replies)]
        if engine == "open":
            handshake = _json(rest, "the Engine.IO open packet")
            connect = self.message("connect", self.opening_asked.payload, channel=self._channel, control=True)
            return [Decoded(self.message("open", handshake, control=True), [connect])]
        return [Decoded(self.message(engine, control=True))]

    def _packet(self, text: str) -> Decoded:
        if not text or text[0] not in _PACKET:
            raise ProtocolViolation(f"the server sent the Socket.IO packet {text[:40]!r} of no known type")
        code, kind, position = text[0], _PACKET[text[0]], 1
        attachments = 0
        if code in "56":
            dash = text.find("-", position)
            if dash == -1 or not text[position:dash].isdigit():
                raise ProtocolViolation(f"the binary packet {text[:40]!r} does not say how many attachments follow")
            attachments, position = int(text[position:dash]), dash + 1
        namespace = "/"
        if text.startswith("/", position):
            comma = text.find(",", position)
            namespace, position = (text[position:], len(text)) if comma == -1 else (text[position:comma], comma + 1)
        start = position
        while position < len(text) and text[position].isdigit():
            position += 1
        ack = int(text[start:position]) if position > start else None
        data = _json(text[position:], f"the Socket.IO {kind} packet") if position < len(text) else None
        if namespace != self.namespace:
            return Decoded(self.message(kind, data, channel=namespace, control=True))
        if attachments:
            self._pending = (kind, data, ack, attachments, [])
            return Decoded(self.message(f"{kind} awaiting {attachments} attachment(s)", control=True))
        return self._complete(kind, data, ack, [])

    def _attachment(self, data: bytes) -> Decoded:
        if self._pending is None:
            raise ProtocolViolation(f"the server sent a binary frame of {len(data)} bytes that no binary packet announced")
        kind, packet, ack, count, parts = self._pending
        parts.append(data)
        if len(parts) < count:
            return Decoded(self.message(f"attachment {len(parts)} of {count}", control=True))
        self._pending = None
        return self._complete(kind, packet, ack, parts)

    def _complete(self, kind: str, data: Any, ack: int | None, attachments: list[bytes]) -> Decoded:
        channel = self._channel
        if kind == "connect":
            self.accept()
            return Decoded(self.message("connect", data, channel=channel, control=True))
        if kind == "connect error":
            reason = data.get("message") if isinstance(data, dict) else None
            self.refuse(str(reason or data), data)
            return Decoded(self.message("connect error", data, channel=channel, control=True))
        if kind == "disconnect":
            return Decoded(
                self.message("disconnect", data, channel=channel, control=True), ends="the server ended the Socket.IO session"
            )
        if not isinstance(data, list) or (kind == "event" and (not data or not isinstance(data[0], str))):
            raise ProtocolViolation(f"the Socket.IO {kind} carries {json.dumps(data)[:80]}, not a list of [name, arguments...]")
        extra = {"attachments": tuple(attachments)} if attachments else {}
        if kind == "event":
            arguments = tuple(data[1:])
            return Decoded(
                self.message("event", _payload(arguments), name=data[0], id=ack, arguments=arguments, channel=channel, **extra)
            )
        arguments = tuple(data)
        name = self._asked.get(ack) if ack is not None else None
        return Decoded(
            self.message(
                "ack", _payload(arguments), name=name, id=ack, arguments=arguments, channel=channel, control=True, **extra
            )
        )

    def encode(self, message: Message) -> list[Outgoing]:
        namespace = f"{message.channel}," if message.channel else ""
        if message.kind == "pong":
            return [Outgoing.text("3")]
        if message.kind == "connect":
            body = json.dumps(message.payload) if message.payload is not None else ""
            return [Outgoing.text(f"40{namespace}{body}")]
        if message.kind == "disconnect":
            return [Outgoing.text(f"41{namespace}")]
        if message.kind not in ("event", "ack"):
            raise ValueError(f"Socket.IO cannot send a {message.kind}")
        arguments = list(message.arguments if message.arguments is not None else (message.payload,))
        if message.kind == "event":
            arguments.insert(0, message.name)
        attachments: list[bytes] = []
        data = _placeholders(arguments, attachments)
        code = _CODE[message.kind] + (3 if attachments else 0)
        count = f"{len(attachments)}-" if attachments else ""
        ack = "" if message.id is None else str(message.id)
        text = f"4{code}{count}{namespace}{ack}{json.dumps(data, ensure_ascii=False)}"
        return [Outgoing.text(text), *(Outgoing.binary(part) for part in attachments)]


def _payload(arguments: tuple[Any, ...]) -> Any:
    if not arguments:
        return None
    return arguments[0] if len(arguments) == 1 else list(arguments)


def _placeholders(value: Any, attachments: list[bytes]) -> Any:
    if isinstance(value, bytes | bytearray):
        attachments.append(bytes(value))
        return {"_placeholder": True, "num": len(attachments) - 1}
    if isinstance(value, list):
        return [_placeholders(item, attachments) for item in value]
    if isinstance(value, dict):
        return {key: _placeholders(item, attachments) for key, item in value.items()}
    return value


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise ProtocolViolation(f"{what} is not JSON: {text[:80]!r}") from None
