"""A message of a protocol spoken over websocket frames (Socket.IO, GraphQL, STOMP, ...), as data.

A :class:`Message` is what a protocol made of one or more frames, or what it will turn into
frames: its ``kind`` in the protocol's own words (``event``, ``next``, ``MESSAGE``), the name,
id, JSON payload and headers as the protocol has them. ``control`` marks the protocol's own
traffic (handshakes, heartbeats): it never matches, counts or fails an expectation, and reports
show it set apart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .wording import describe_bytes, preview


@dataclass(frozen=True, kw_only=True)
class Message:
    """One protocol message, received or to be sent.

    ``protocol`` is the protocol's title (``Socket.IO``). ``payload`` is the message's JSON value
    (what expectations such as ``receives {...}`` match); ``attachments`` are binary parts the
    payload refers to (Socket.IO's binary events). ``channel`` says where a message belongs
    beside its name: a Socket.IO namespace, a GraphQL subscription's label, a STOMP destination.
    """

    protocol: str
    kind: str
    payload: Any = None
    name: str | None = None
    id: str | int | None = None
    channel: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    #: The arguments as sent, where the protocol has several (a Socket.IO event's); ``payload``
    #: is then the only one, or all of them as a list.
    arguments: tuple[Any, ...] | None = None
    attachments: tuple[bytes, ...] = ()
    control: bool = False
    #: Names of headers whose values are credentials (STOMP's passcode): shown as ``***``.
    hidden: frozenset[str] = frozenset()

    def describe(self) -> str:
        """E.g. ``Socket.IO event "chat": {"text": "hi"}``, as transcripts and diagrams show it."""
        text = f"{self.protocol} {self.kind}"
        if self.name is not None:
            text += f' "{self.name}"'
        if self.id is not None:
            text += f" #{self.id}"
        if self.channel is not None:
            text += f" on {self.channel}"
        if self.headers:
            text += " (" + ", ".join(f"{k}: {'***' if k in self.hidden else v}" for k, v in self.headers.items()) + ")"
        if self.payload is not None:
            text += ": " + preview(json.dumps(self.payload, ensure_ascii=False, default=_shown))
        for attachment in self.attachments:
            text += f" + {describe_bytes(attachment)}"
        return text


def _shown(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    raise TypeError(f"{type(value).__name__} is not JSON")
