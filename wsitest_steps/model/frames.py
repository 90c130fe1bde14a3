"""What an actor received (:class:`Frame`), what it sends (:class:`Outgoing`), and how a connection ended (:class:`Closure`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .kinds import Closer, FrameKind
from .messages import Message
from .wording import describe_bytes, preview

_UNPARSED = object()
#: No value at all (``None`` is JSON's null).
NO_VALUE: Any = object()

# Names from RFC 6455 section 7.4.1 and the IANA registry, so a report says what a code means.
CLOSE_CODE_NAMES = {
    1000: "normal closure",
    1001: "going away",
    1002: "protocol error",
    1003: "unsupported data",
    1005: "no status code",
    1006: "abnormal closure",
    1007: "invalid frame payload data",
    1008: "policy violation",
    1009: "message too big",
    1010: "mandatory extension",
    1011: "internal error",
    1012: "service restart",
    1013: "try again later",
    1014: "bad gateway",
    1015: "TLS handshake failure",
}


class NotJson(ValueError):
    """A frame's payload is not a JSON document; the message says why."""


@dataclass(eq=False)
class Frame:
    """One complete websocket message, or a ping or pong, received by an actor.

    ``index`` counts from 1 in arrival order within the actor's inbox. ``received_at`` is
    ``time.monotonic()`` when the reader thread finished reading the message: one clock for
    every actor, so frames of different actors can be ordered. ``used_by`` names the step that
    consumed it; a used frame never satisfies another expectation. ``ignored_by`` names the
    rule that declared it noise; an ignored frame never matches, counts or fails anything.

    The payload is ``str`` for a text frame and ``bytes`` otherwise; :attr:`text` and
    :attr:`data` read it with that type checked.
    """

    index: int
    kind: FrameKind
    payload: str | bytes
    received_at: float
    used_by: str | None = None
    #: Set when ``used_by`` is an automatic-reply rule that answered the frame, not a step.
    used_by_rule: bool = False
    ignored_by: str | None = None
    #: Which of the actor's connections it arrived on (1, then 2 after a reconnect, ...).
    connection: int = 1
    #: Set when the actor reconnected: a frame of an earlier connection satisfies nothing.
    superseded: bool = False
    #: What the connection's protocol (Socket.IO, GraphQL, ...) made of the frame, if it speaks one.
    message: Message | None = None
    _json: Any = field(default=_UNPARSED, repr=False)

    def __post_init__(self) -> None:
        if type(self.kind) is not FrameKind:  # a word from a caller's own code: "text" is FrameKind.TEXT
            self.kind = FrameKind(self.kind)

    @property
    def is_text(self) -> bool:
        return self.kind is FrameKind.TEXT

    @property
    def is_message(self) -> bool:
        """A text or binary message, as opposed to a ping or pong or a protocol's own control traffic."""
        return self.kind.is_message and (self.message is None or not self.message.control)

    @property
    def text(self) -> str:
        """The payload of a text frame; :class:`TypeError` for any other kind."""
        if isinstance(self.payload, str):
            return self.payload
        raise TypeError(f"frame #{self.index} is a {self.kind} frame, not text")

    @property
    def data(self) -> bytes:
        """The payload of a binary, ping or pong frame; :class:`TypeError` for a text frame."""
        if isinstance(self.payload, bytes):
            return self.payload
        raise TypeError(f"frame #{self.index} is a text frame, not bytes")

    @property
    def unread(self) -> bool:
        """Neither used by a step, ignored as noise, nor left behind by a reconnect."""
        return self.used_by is None and self.ignored_by is None and not self.superseded

    def json(self) -> Any:
        """The payload decoded as JSON; raises :class:`NotJson` for binary or non-JSON text.

        For a protocol's message, its payload (a Socket.IO event's argument, a GraphQL result's
        data). Decoded at most once, by whichever thread first asks, so the reader thread never
        pays for parsing frames that no step looks at.
        """
        if self._json is _UNPARSED:
            if self.message is not None:
                if self.message.control:
                    self._json = NotJson(f"{self.message.protocol}'s own traffic, not a message")
                else:
                    self._json = self.message.payload
            elif self.kind is FrameKind.BINARY:
                self._json = NotJson(f"a binary frame of {len(self.payload)} bytes, not JSON text")
            elif not self.is_message:
                self._json = NotJson(f"a {self.kind} control frame, not a message")
            else:
                try:
                    self._json = json.loads(self.text)
                except ValueError as exc:
                    self._json = NotJson(f"text that is not JSON ({exc}): {preview(self.text)}")
        if isinstance(self._json, NotJson):
            raise self._json
        return self._json

    def describe(self) -> str:
        """The payload as a report shows it: text as is, binary as hex, both shortened; a protocol's message decoded."""
        if self.message is not None:
            return self.message.describe()
        if self.is_text:
            return preview(self.text)
        if self.kind is FrameKind.BINARY or self.payload:
            return describe_bytes(self.data)
        return "(no payload)"


@dataclass(frozen=True)
class Closure:
    """How an actor's connection ended: ``by`` whom, with which ``code`` (``None`` when no close
    frame carried one) and ``reason``, ``at`` which ``time.monotonic()``."""

    by: Closer
    code: int | None
    reason: str
    at: float
    #: What ``code`` means in the protocol spoken over the connection (GraphQL's 4401, ...).
    meaning: str | None = None

    def __post_init__(self) -> None:
        if type(self.by) is not Closer:  # a word from a caller's own code: "server" is Closer.SERVER
            object.__setattr__(self, "by", Closer(self.by))

    def describe(self) -> str:
        """E.g. ``closed by the server with code 1011 (internal error), reason "restart"``."""
        if self.by is Closer.NETWORK:
            # No close frame: the server process died, or the network dropped the connection.
            text = "lost without a close frame"
            return text + (f" ({self.reason})" if self.reason else "")
        who = "closed by the server" if self.by is Closer.SERVER else "closed by this actor"
        if self.code is None:
            text = f"{who} without a close code"
        else:
            name = self.meaning or CLOSE_CODE_NAMES.get(self.code)
            text = f"{who} with code {self.code}" + (f" ({name})" if name else "")
        if self.reason:
            text += f", reason {json.dumps(self.reason, ensure_ascii=False)}"
        return text


@dataclass(frozen=True)
class Outgoing:
    """A message or control frame for an actor to send: text (``str``), binary or ping (``bytes``).

    JSON goes out as text; build it with :meth:`json`.
    """

    kind: FrameKind
    payload: str | bytes
    #: The JSON value a sentence wrote (``sends {...}``), when it did: over a protocol, the
    #: protocol decides what carries it (Socket.IO's "message" event, a JSON-RPC request).
    plain: Any = field(default=NO_VALUE, compare=False, repr=False)

    def __post_init__(self) -> None:
        if type(self.kind) is not FrameKind:  # a word from a caller's own code: "text" is FrameKind.TEXT
            object.__setattr__(self, "kind", FrameKind(self.kind))

    @classmethod
    def json(cls, value: Any) -> Outgoing:
        return cls(FrameKind.TEXT, json.dumps(value, ensure_ascii=False))

    @classmethod
    def written(cls, value: Any) -> Outgoing:
        """The JSON value a sentence wrote: a text frame, or what the connection's protocol makes of it."""
        return cls(FrameKind.TEXT, json.dumps(value, ensure_ascii=False), plain=value)

    @classmethod
    def text(cls, text: str) -> Outgoing:
        return cls(FrameKind.TEXT, text)

    @classmethod
    def binary(cls, data: bytes) -> Outgoing:
        return cls(FrameKind.BINARY, data)

    @classmethod
    def ping(cls, data: bytes = b"") -> Outgoing:
        return cls(FrameKind.PING, data)

    def describe(self) -> str:
        """``text: {"message": "Hi"}``, ``binary: <2 bytes> 00 ff``, ``ping``, as transcripts show it."""
        if isinstance(self.payload, str):
            return f"text: {preview(self.payload)}"
        if self.kind is FrameKind.BINARY:
            return f"binary: {describe_bytes(self.payload)}"
        return f"{self.kind}: {describe_bytes(self.payload)}" if self.payload else str(self.kind)
