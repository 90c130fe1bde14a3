"""What actors did, other than receive frames, as typed data: one class per :class:`EventKind`.

Frames an actor received live in its inbox; everything else it did (connected, was rejected,
sent, closed, made an HTTP request) is an :class:`Event`. Transcripts, sequence diagrams and
Mermaid text are renderings of these records; nothing reads their text back.

Texts inside events (URLs, headers) are recorded as they may be shown (secret query values and
headers already masked); whatever shows an event masks it again with the scenario's redactor,
so a secret learnt later is hidden too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .frames import Outgoing
from .kinds import EventKind
from .messages import Message


@dataclass(frozen=True, kw_only=True)
class _Base:
    #: ``time.monotonic()`` when it happened.
    at: float
    actor: str
    #: The step (or automatic-reply rule) that caused it.
    step: str | None = None
    #: Whether ``step`` is an automatic-reply rule rather than a step.
    by_rule: bool = False


@dataclass(frozen=True, kw_only=True)
class Connected(_Base):
    """A websocket handshake succeeded. ``details`` are what the handshake negotiated or sent,
    each already worded (``subprotocol chat.v2``, ``headers X-A: 1``)."""

    kind: ClassVar[EventKind] = EventKind.CONNECTED
    url: str
    connection: int = 1
    details: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Rejected(_Base):
    """A websocket connection could not be made; ``status`` is the HTTP answer, if there was one.
    ``not_websocket`` marks a URL that is not ws:// or wss://, which was never tried."""

    kind: ClassVar[EventKind] = EventKind.REJECTED
    url: str
    status: int | None = None
    not_websocket: bool = False


@dataclass(frozen=True, kw_only=True)
class Sent(_Base):
    """A frame went out; ``note`` is what a transcript adds (``(answering #3)``, a delay)."""

    kind: ClassVar[EventKind] = EventKind.SENT
    outgoing: Outgoing
    note: str = ""
    #: The protocol message the frame carried (its first frame, if it took several).
    message: Message | None = None


@dataclass(frozen=True, kw_only=True)
class CloseSent(_Base):
    """This actor sent a close frame."""

    kind: ClassVar[EventKind] = EventKind.CLOSE_SENT
    code: int
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ReplyFailed(_Base):
    """An automatic reply (the rule named by ``step``) could not answer frame ``#index``."""

    kind: ClassVar[EventKind] = EventKind.REPLY_FAILED
    index: int


@dataclass(frozen=True, kw_only=True)
class Requested(_Base):
    """An HTTP request went out. ``headers`` are ``Name: value`` lines, secrets masked."""

    kind: ClassVar[EventKind] = EventKind.REQUESTED
    method: str
    url: str
    headers: tuple[str, ...] = ()
    body: str | None = None


@dataclass(frozen=True, kw_only=True)
class Responded(_Base):
    """An HTTP response came back, ``seconds`` after its request."""

    kind: ClassVar[EventKind] = EventKind.RESPONDED
    method: str
    url: str
    status: int
    reason: str
    seconds: float
    body: str = ""

    @property
    def failed(self) -> bool:
        return self.status >= 400


@dataclass(frozen=True, kw_only=True)
class RequestFailed(_Base):
    """An HTTP request got no response: ``timeout`` seconds ran out, or the connection failed (``cause``)."""

    kind: ClassVar[EventKind] = EventKind.REQUEST_FAILED
    method: str
    url: str
    timeout: float | None = None
    cause: str = ""


Event = Connected | Rejected | Sent | CloseSent | ReplyFailed | Requested | Responded | RequestFailed
#: Events between an actor and an HTTP server rather than its websocket server.
HTTP_EVENTS = (Requested, Responded, RequestFailed)
