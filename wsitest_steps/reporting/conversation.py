"""A scenario's conversation as a sequence of arrows between lifelines, for diagrams.

Built from a :class:`~wsitest_steps.cast.Cast` (what the actors did and received) and, when a
report formatter knows them, the steps of the scenario with their times and outcomes. The
renderers in :mod:`wsitest_steps.diagrams` draw it as Mermaid text or SVG.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from ..model.events import HTTP_EVENTS, CloseSent, Connected, Rejected, Requested, Sent
from ..model.frames import Frame
from ..model.kinds import Closer
from ..model.wording import preview
from ..recording.lines import failed, label, line
from ..recording.redaction import Redactor

if TYPE_CHECKING:
    from ..scenario.cast import Cast

#: How an arrow is drawn: see :class:`Arrow`.

ArrowKind = Literal[
    "connect", "sent", "used", "unused", "ignored", "answered", "control", "close", "request", "response", "failed"
]
# What an arrow's label holds at most; the drawing cuts it again to the room it has.
LABEL_LIMIT = 160
# A flood must not make a diagram of 100,000 arrows: keep how it began and how it ended.
KEEP_FIRST = 80
KEEP_LAST = 160


@dataclass(frozen=True)
class Arrow:
    """One message between two lifelines. ``kind`` picks the drawing style:

    ``connect``, ``sent``, ``used`` (received and used by a step), ``unused`` (received, used by
    no step), ``ignored`` (declared noise), ``answered`` (used by an automatic reply), ``control``
    (ping, pong), ``close``, ``request``, ``response``, ``failed`` (a rejected handshake, a lost
    connection, an HTTP error).
    """

    at: float
    source: str
    target: str
    label: str
    kind: ArrowKind
    detail: str = ""


@dataclass(frozen=True)
class StepMark:
    """Where a step began, across every lifeline."""

    at: float
    step: StepRecord

    @property
    def failed(self) -> bool:
        return self.step.status in ("failed", "error")

    def outcome(self) -> str:
        """``passed``, or ``failed after 0.201s`` for a failed step that ran a while."""
        lasted = f" after {self.step.duration:.3f}s" if self.failed and self.step.duration else ""
        return f"{self.step.status}{lasted}"


@dataclass(frozen=True)
class Gap:
    """Arrows left out of a long conversation."""

    at: float
    count: int


@dataclass(frozen=True)
class StepRecord:
    """A step as a report formatter saw it run; ``status`` is behave's (passed, failed, ...)."""

    text: str
    status: str
    started_at: float | None = None
    error: str = ""
    #: How long it ran, in seconds: for a failed wait, how long it waited.
    duration: float = 0.0


@dataclass
class Conversation:
    """Lifelines (actors first, then the servers they talked to) and what passed between them, in time order."""

    title: str
    status: str
    lifelines: list[str] = field(default_factory=list)
    items: list[Arrow | StepMark | Gap] = field(default_factory=list)
    origin: float = 0.0

    @property
    def arrows(self) -> list[Arrow]:
        return [item for item in self.items if isinstance(item, Arrow)]

    def mermaid(self) -> str:
        from ..reporting.diagrams import mermaid

        return mermaid(self)

    def svg(self) -> str:
        from ..reporting.diagrams import svg

        return svg(self)


def _server_of(url: str | None, scheme_word: str) -> str:
    if not url:
        return scheme_word
    parts = urlsplit(url)
    return f"{scheme_word} {parts.hostname}:{parts.port or (443 if parts.scheme in ('wss', 'https') else 80)}"


def conversation_of(cast: Cast | None, title: str, status: str, steps: Sequence[StepRecord] = ()) -> Conversation:
    """The conversation of a scenario: every actor's events and frames, and the steps, in time order."""
    conversation = Conversation(title, status, origin=cast.origin if cast is not None else 0.0)
    arrows: list[Arrow] = []
    if cast is not None:
        redactor = cast.recorder.redactor
        names = cast.names()
        conversation.lifelines.extend(names)
        servers: list[str] = []

        def server(url: str | None, word: str) -> str:
            name = _server_of(url, word)
            if name not in servers:
                servers.append(name)
            return name

        for name in names:
            actor = cast.actor_named(name)
            ws_server = server(actor.url, "server") if actor is not None and actor.url else None
            http = None
            for event in cast.recorder.events(name):
                text = redactor.text(line(event))
                shown = _short(redactor.text(label(event)))
                if isinstance(event, HTTP_EVENTS):
                    if isinstance(event, Requested) or http is None:
                        http = server(event.url or cast.settings.http_url, "HTTP")
                    if isinstance(event, Requested):
                        arrows.append(Arrow(event.at, name, http, shown, "request", text))
                    else:
                        arrows.append(Arrow(event.at, http, name, shown, "failed" if failed(event) else "response", text))
                elif isinstance(event, (Connected, Rejected)):
                    kind: ArrowKind = "connect" if isinstance(event, Connected) else "failed"
                    arrows.append(Arrow(event.at, name, server(event.url, "server"), shown, kind, text))
                elif isinstance(event, (Sent, CloseSent)):
                    target = ws_server or server(None, "server")
                    arrows.append(Arrow(event.at, name, target, shown, "close" if isinstance(event, CloseSent) else "sent", text))
                else:
                    arrows.append(Arrow(event.at, name, name, shown, "failed", text))
            if actor is None or ws_server is None:
                continue
            for frame in actor.inbox.frames():
                frame_label = f"#{frame.index} {redactor.text(frame.describe())}"
                arrows.append(
                    Arrow(
                        frame.received_at,
                        ws_server,
                        name,
                        _short(frame_label),
                        _frame_kind(frame),
                        _frame_detail(frame, redactor),
                    )
                )
            for closure in actor.inbox.closures:
                if closure.by is Closer.SERVER:
                    arrows.append(
                        Arrow(
                            closure.at,
                            ws_server,
                            name,
                            _short(f"close {closure.code or ''} {closure.reason}".strip()),
                            "close",
                            closure.describe(),
                        )
                    )
                elif closure.by is Closer.NETWORK:
                    arrows.append(Arrow(closure.at, ws_server, name, "connection lost", "failed", closure.describe()))
        conversation.lifelines.extend(servers)
    marks = [StepMark(step.started_at, step) for step in steps if step.started_at is not None]
    items: list[Arrow | StepMark | Gap] = sorted([*arrows, *marks], key=lambda item: (item.at, isinstance(item, Arrow)))
    conversation.items = _shortened(items)
    return conversation


def _shortened(items: list[Arrow | StepMark | Gap]) -> list[Arrow | StepMark | Gap]:
    arrow_positions = [i for i, item in enumerate(items) if isinstance(item, Arrow)]
    if len(arrow_positions) <= KEEP_FIRST + KEEP_LAST:
        return items
    drop = set(arrow_positions[KEEP_FIRST:-KEEP_LAST])
    kept: list[Arrow | StepMark | Gap] = []
    gap_added = False
    for i, item in enumerate(items):
        if i in drop:
            if not gap_added:
                kept.append(Gap(item.at, len(drop)))
                gap_added = True
            continue
        kept.append(item)
    return kept


def _frame_kind(frame: Frame) -> ArrowKind:
    if not frame.is_message:
        return "control"
    if frame.ignored_by is not None:
        return "ignored"
    if frame.used_by is not None:
        return "answered" if frame.used_by_rule else "used"
    return "unused"


def _frame_detail(frame: Frame, redactor: Redactor) -> str:
    text = f"#{frame.index} {frame.kind}: {frame.describe()}"
    if frame.used_by:
        text += f"\nused by: {frame.used_by}"
    elif frame.ignored_by:
        text += f"\nignored: {frame.ignored_by}"
    elif frame.superseded:
        text += "\nfrom an earlier connection"
    elif frame.is_message:
        text += "\nused by no step"
    return redactor.text(text)


def _short(text: str, limit: int = LABEL_LIMIT) -> str:
    flat = preview(text, 10_000)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
