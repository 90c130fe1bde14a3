"""What an actor received: :class:`Frame` for each message, :class:`Closure` for the end."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

_UNPARSED = object()

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
    """One complete websocket message received by an actor.

    ``index`` counts from 1 in arrival order within the actor's inbox. ``received_at`` is
    ``time.monotonic()`` when the reader thread finished reading the message: one clock for
    every actor, so frames of different actors can be ordered. ``used_by`` names the step that
    consumed it; a used frame never satisfies another expectation. ``ignored_by`` names the
    rule that declared it noise; an ignored frame never matches, counts or fails anything.
    """

    index: int
    kind: str  # "text" or "binary" for messages; "ping" or "pong" for control frames
    payload: str | bytes
    received_at: float
    used_by: str | None = None
    ignored_by: str | None = None
    #: Which of the actor's connections it arrived on (1, then 2 after a reconnect, ...).
    connection: int = 1
    #: Set when the actor reconnected: a frame of an earlier connection satisfies nothing.
    superseded: bool = False
    _json: Any = field(default=_UNPARSED, repr=False)

    @property
    def is_text(self) -> bool:
        return self.kind == "text"

    @property
    def is_message(self) -> bool:
        """A text or binary message, as opposed to a ping or pong control frame."""
        return self.kind in ("text", "binary")

    @property
    def unread(self) -> bool:
        """Neither used by a step, ignored as noise, nor left behind by a reconnect."""
        return self.used_by is None and self.ignored_by is None and not self.superseded

    def json(self) -> Any:
        """The payload decoded as JSON; raises :class:`NotJson` for binary or non-JSON text.

        Decoded at most once, by whichever thread first asks, so the reader thread never
        pays for parsing frames that no step looks at.
        """
        if self._json is _UNPARSED:
            if self.kind == "binary":
                self._json = NotJson(f"a binary frame of {len(self.payload)} bytes, not JSON text")
            elif not self.is_message:
                self._json = NotJson(f"a {self.kind} control frame, not a message")
            else:
                try:
                    self._json = json.loads(self.payload)
                except ValueError as exc:
                    self._json = NotJson(f"text that is not JSON ({exc}): {preview(self.payload)}")
        if isinstance(self._json, NotJson):
            raise self._json
        return self._json

    def describe(self) -> str:
        """The payload as a report shows it: text as is, binary as hex, both shortened."""
        if self.is_text:
            return preview(self.payload)
        if self.kind == "binary":
            return describe_bytes(self.payload)
        return describe_bytes(self.payload) if self.payload else "(no payload)"


@dataclass(frozen=True)
class Closure:
    """How an actor's connection ended.

    ``by`` is ``"server"`` (the server sent a close frame), ``"client"`` (this actor
    started the closing handshake) or ``"network"`` (the connection broke without a
    close frame, or the stream could not be read). ``code`` is ``None`` when no close
    frame carried one.
    """

    by: str
    code: int | None
    reason: str
    at: float

    def describe(self) -> str:
        """E.g. ``closed by the server with code 1011 (internal error), reason "restart"``."""
        if self.by == "network":
            # No close frame: the server process died, or the network dropped the connection.
            text = "lost without a close frame"
            return text + (f" ({self.reason})" if self.reason else "")
        who = {"server": "closed by the server", "client": "closed by this actor"}[self.by]
        if self.code is None:
            text = f"{who} without a close code"
        else:
            name = CLOSE_CODE_NAMES.get(self.code)
            text = f"{who} with code {self.code}" + (f" ({name})" if name else "")
        if self.reason:
            text += f", reason {json.dumps(self.reason, ensure_ascii=False)}"
        return text


def describe_bytes(data: bytes) -> str:
    """``<3 bytes> 00 ff 10``, shortened like :func:`preview`."""
    return f"<{len(data)} byte{'s' if len(data) != 1 else ''}> {preview(data.hex(' '))}".rstrip()


def preview(text: str, limit: int = 300) -> str:
    """``text`` on one line, cut to ``limit`` characters with a note of how much was left out."""
    flat = text.replace("\r", "\\r").replace("\n", "\\n")
    if len(flat) <= limit:
        return flat
    return f"{flat[:limit]}... ({len(flat) - limit} more characters)"


@dataclass(frozen=True)
class Outgoing:
    """A message or control frame for an actor to send.

    ``kind`` is ``"text"``, ``"binary"`` or ``"ping"``. JSON goes out as text; build it with
    :meth:`json`.
    """

    kind: str
    payload: str | bytes

    @classmethod
    def json(cls, value: Any) -> Outgoing:
        return cls("text", json.dumps(value, ensure_ascii=False))

    def describe(self) -> str:
        """``text: {"message": "Hi"}``, ``binary: <2 bytes> 00 ff``, ``ping``, as transcripts show it."""
        if self.kind == "text":
            return f"text: {preview(self.payload)}"
        if self.kind == "binary":
            return f"binary: {describe_bytes(self.payload)}"
        return f"{self.kind}: {describe_bytes(self.payload)}" if self.payload else self.kind
