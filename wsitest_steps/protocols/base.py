"""What a protocol over websocket frames is to the library, and the table of protocols by name.

A :class:`Protocol` instance serves one connection. The actor asks it for the URL to open and the
messages to send once the websocket is open (:meth:`Protocol.opening`), hands it every received
frame in the reader thread (:meth:`Protocol.receive`), and turns every message a step sends into
frames with :meth:`Protocol.encode`. A protocol answers its own heartbeats by returning replies
from :meth:`~Protocol.receive`, and settles its handshake with :meth:`~Protocol.accept` or
:meth:`~Protocol.refuse`; the connect step waits for one of them.

A plug-in is a subclass registered with :func:`register_protocol`; see docs/protocols.md.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..errors import ConfigurationError, StepInputError
from ..model.frames import Outgoing
from ..model.kinds import FrameKind
from ..model.messages import Message


class ProtocolViolation(Exception):
    """The server broke the protocol; the text says how, in the protocol's own words."""


@dataclass(frozen=True)
class Decoded:
    """What one received frame was: the ``message`` it completed, and ``replies`` to send at once."""

    message: Message
    replies: Sequence[Message] = ()
    #: Set when the server ended the protocol's session (Socket.IO's disconnect): the actor closes
    #: the websocket, and the connection counts as closed by the server, for this reason.
    ends: str | None = None


@dataclass(frozen=True)
class Refusal:
    """Why the server refused a protocol's handshake: ``reason`` in words, ``payload`` as sent."""

    reason: str
    payload: Any = None


@dataclass
class Opening:
    """What a connect step asks of the protocol's handshake: ``payload`` (Socket.IO's auth,
    GraphQL's connection_init payload, STOMP's headers) and ``channel`` (a Socket.IO namespace)."""

    payload: Any = None
    channel: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


#: Seconds added to twice the server's heartbeat interval before its silence ends the connection.
SILENCE_GRACE = 1.0


class Protocol(ABC):
    """One connection's conversation in a protocol; subclass it to add one.

    ``name`` is the word userdata uses (``ws_protocol=socketio``), ``title`` the word sentences and
    reports use (``Socket.IO``), ``subprotocols`` what the handshake offers (Sec-WebSocket-Protocol).
    :meth:`receive` runs in the reader thread, everything else in the step's thread.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    subprotocols: ClassVar[tuple[str, ...]] = ()
    #: What the protocol's own close codes mean, for failure texts.
    close_codes: ClassVar[dict[int, str]] = {}
    #: The kinds of message that carry the application's data, which an AsyncAPI document describes
    #: (Socket.IO's events, STOMP's SEND and MESSAGE); ``None``: every message that is not control.
    data_kinds: ClassVar[frozenset[str] | None] = None

    def __init__(self, opening: Opening) -> None:
        self.opening_asked = opening
        #: Whether heartbeats are answered; a step turns it off to play a dead client.
        self.answers_heartbeats = True
        self._settled = threading.Event()
        self.refusal: Refusal | None = None
        #: Seconds between the heartbeats the client itself must send, once the handshake set it
        #: (STOMP's negotiated heart-beat); ``None`` when heartbeats only answer the server's.
        self.heartbeat_every: float | None = None
        #: Seconds between the heartbeats the server promised, once the handshake set it (STOMP's
        #: negotiated heart-beat from the broker); ``None`` when it promised none.
        self.server_heartbeat_every: float | None = None

    @property
    def silence_allowed(self) -> float | None:
        """Seconds the server may stay silent before the client counts the connection dead.

        STOMP 1.2 lets a receiver do so after the interval "plus some margin": twice the interval
        and a second more, so that a loaded machine holding the reader back never ends a live
        connection. ``None`` when the server promised no heartbeats.
        """
        every = self.server_heartbeat_every
        return None if not every else 2 * every + SILENCE_GRACE

    # -- the handshake ---------------------------------------------------------------------

    def url(self, url: str) -> str:
        """The URL to open for ``url``, e.g. with the protocol's path and query added."""
        return url

    def opening(self) -> list[Message]:
        """Messages to send once the websocket is open (a connect, a connection_init)."""
        return []

    @property
    def waits_for_acceptance(self) -> bool:
        """Whether the connect step waits for :meth:`accept` or :meth:`refuse` before it passes."""
        return True

    def accept(self) -> None:
        """The server accepted the handshake."""
        self._settled.set()

    def refuse(self, reason: str, payload: Any = None) -> None:
        """The server refused the handshake: the connect step fails with ``reason``."""
        self.refusal = Refusal(reason, payload)
        self._settled.set()

    @property
    def settled(self) -> bool:
        return self._settled.is_set()

    # -- messages --------------------------------------------------------------------------

    @abstractmethod
    def receive(self, kind: FrameKind, payload: str | bytes) -> list[Decoded]:
        """What one received frame was, in order; raise :class:`ProtocolViolation` if it breaks the protocol.

        A frame that only starts a message (a Socket.IO event awaiting its attachments) is
        returned as a control message saying so.
        """

    @abstractmethod
    def encode(self, message: Message) -> list[Outgoing]:
        """The frames that carry ``message``."""

    def heartbeat(self) -> Message:
        """The heartbeat sent every :attr:`heartbeat_every` seconds, where the protocol sets it."""
        raise NotImplementedError(f"{self.title} sends no heartbeat of its own")

    def plain(self, value: Any, step: str | None) -> Message:
        """What ``sends {...}`` sends under this protocol; by default, not allowed."""
        raise StepInputError(f"{self.title} has no plain JSON message{_at(step)}; use one of its own sentences (docs/steps.md).")

    def message(self, kind: str, payload: Any = None, **fields: Any) -> Message:
        """A message of this protocol."""
        return Message(protocol=self.title, kind=kind, payload=payload, **fields)


def _at(step: str | None) -> str:
    return f' (step: "{step}")' if step else ""


_PROTOCOLS: dict[str, type[Protocol]] = {}


def register_protocol(protocol: type[Protocol]) -> type[Protocol]:
    """Make ``protocol`` known by its name and title (usable as a class decorator)."""
    _PROTOCOLS[_key(protocol.name)] = protocol
    _PROTOCOLS.setdefault(_key(protocol.title), protocol)  # a title two share means the first
    return protocol


def protocol_named(word: str, source: str = "The protocol") -> type[Protocol]:
    """The protocol ``word`` names (``socketio``, ``Socket.IO``); :class:`ConfigurationError` if none does."""
    _load_builtin()
    found = _PROTOCOLS.get(_key(word))
    if found is None:
        raise ConfigurationError(
            f"{source} {word!r} is not a protocol wsitest-steps knows. Known: {', '.join(known_protocols())}; "
            "a protocol of your own is registered with wsitest_steps.register_protocol (docs/protocols.md)."
        )
    return found


def known_protocols() -> list[str]:
    """Every registered protocol as ``name (Title)``, for errors and the reference."""
    return [f"{p.name} ({p.title})" for p in _registered()]


def protocol_table() -> list[tuple[str, str]]:
    """``(name, what it is)`` of every registered protocol, for the reference."""
    rows = []
    for protocol in _registered():
        summary = (protocol.__doc__ or protocol.title).strip().splitlines()[0]
        offered = f" (subprotocol {', '.join(protocol.subprotocols)})" if protocol.subprotocols else ""
        rows.append((protocol.name, f"{protocol.title}{offered}: {summary}"))
    return rows


def _registered() -> list[type[Protocol]]:
    # Each protocol once (the table holds it under its name and its title), by name.
    _load_builtin()
    return sorted({id(p): p for p in _PROTOCOLS.values()}.values(), key=lambda p: p.name)


def _key(word: str) -> str:
    return "".join(ch for ch in word.lower() if ch.isalnum() or ch == "-")


def _load_builtin() -> None:
    # Imported on first use, so a scenario without protocols never loads them.
    from . import graphql, socketio, stomp  # noqa: F401
