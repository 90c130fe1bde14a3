"""What the actors of a scenario did, on one clock, as typed events (see :mod:`~wsitest_steps.model.events`)."""

from __future__ import annotations

import threading
import time

from ..model.events import Event
from .redaction import Redactor


class Recorder:
    """The events of one scenario, on the scenario clock (``time.monotonic()`` from :attr:`origin`).

    ``redactor`` is the scenario's: whatever shows an event masks its text with it then, so a
    secret learnt later is hidden too.
    """

    def __init__(self, origin: float | None = None, redactor: Redactor | None = None) -> None:
        self.origin = time.monotonic() if origin is None else origin
        self.redactor = redactor or Redactor()
        self._events: list[Event] = []
        self._lock = threading.Lock()

    def add(self, event: Event) -> Event:
        """Record ``event``; returns it."""
        with self._lock:
            self._events.append(event)
        return event

    def events(self, actor: str | None = None) -> list[Event]:
        """A snapshot of the events, of one actor or of all, in the order they were recorded."""
        with self._lock:
            if actor is None:
                return list(self._events)
            return [event for event in self._events if event.actor == actor]
