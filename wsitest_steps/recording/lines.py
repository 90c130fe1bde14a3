"""How each event reads: its line in a transcript, and its label on a sequence diagram's arrow.

Both are rendered from the event's fields, so rewording a line here rewords it everywhere and
nothing downstream depends on the wording.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..model.events import (
    CloseSent,
    Connected,
    Event,
    Rejected,
    ReplyFailed,
    Requested,
    RequestFailed,
    Responded,
    Sent,
)
from ..model.wording import preview

#: How much of an HTTP body a line shows.
BODY_LIMIT = 300


def line(event: Event) -> str:
    """The event as one transcript line, e.g. ``sent text: {"a": 1}`` or ``response 200 OK in 0.004s``."""
    if isinstance(event, Connected):
        again = f" (connection {event.connection})" if event.connection > 1 else ""
        details = f" ({'; '.join(event.details)})" if event.details else ""
        return f"connected{again} to {event.url}{details}"
    if isinstance(event, Rejected):
        if event.not_websocket:
            return f"could not connect to {event.url}: not a websocket URL"
        if event.status is not None:
            return f"rejected with HTTP {event.status}: {event.url}"
        return f"could not connect: {event.url}"
    if isinstance(event, (Sent, CloseSent, Requested, Responded)):
        verb = {Sent: "sent", CloseSent: "sent", Requested: "requested", Responded: "response"}[type(event)]
        return f"{verb} {label(event)}"
    return label(event)


def label(event: Event) -> str:
    """What an arrow for the event says: the line without its leading verb, or for a connect its path."""
    if isinstance(event, Connected):
        parts = urlsplit(event.url)
        return "connect " + parts.path + (f"?{parts.query}" if parts.query else "")
    if isinstance(event, Sent):
        if event.message is not None:
            return f"{event.message.describe()}{event.note}"
        return f"{event.outgoing.describe()}{event.note}"
    if isinstance(event, CloseSent):
        return f"close: code {event.code}" + (f', reason "{event.reason}"' if event.reason else "")
    if isinstance(event, ReplyFailed):
        return f"{event.step} could not answer #{event.index}"
    if isinstance(event, Requested):
        headers = f" (headers {', '.join(event.headers)})" if event.headers else ""
        body = f": {preview(event.body, BODY_LIMIT)}" if event.body else ""
        return f"{event.method} {event.url}{headers}{body}"
    if isinstance(event, Responded):
        body = f": {preview(event.body, BODY_LIMIT)}" if event.body else ""
        return f"{event.status} {event.reason} in {event.seconds:.3f}s{body}"
    if isinstance(event, RequestFailed):
        if event.timeout is not None:
            return f"no response to {event.method} {event.url} within {event.timeout:g}s"
        return f"{event.method} {event.url} failed: {event.cause}"
    return line(event)


def failed(event: Event) -> bool:
    """Whether the event is a failure a diagram draws in red."""
    if isinstance(event, Responded):
        return event.failed
    return isinstance(event, (Rejected, ReplyFailed, RequestFailed))
