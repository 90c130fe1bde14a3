"""The inbox: every frame an actor received, in order, and the waits on it."""

from __future__ import annotations

import threading
import time
from typing import Callable

from .frames import Closure, Frame

FramePredicate = Callable[[Frame], bool]


class Inbox:
    """Frames appended by one reader thread and consumed by waiting steps.

    A waiter sleeps on a condition variable and is woken by :meth:`put` or :meth:`close`,
    so it resumes the moment a frame arrives, never on a polling interval. Each frame can
    be used by at most one expectation; frames nobody has used stay, in arrival order, for
    later steps. Matching runs outside the lock so a slow match never delays the reader.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frames: list[Frame] = []
        self._first_unused = 0
        self._closure: Closure | None = None
        self._ignore_rules: tuple[tuple[FramePredicate, str], ...] = ()

    def put(self, kind: str, payload: str | bytes) -> Frame:
        """Append a received message and wake every waiter. Called by the reader thread."""
        now = time.monotonic()
        with self._cond:
            frame = Frame(len(self._frames) + 1, kind, payload, now)
            for is_noise, rule in self._ignore_rules:
                if is_noise(frame):
                    frame.ignored_by = rule
                    break
            self._frames.append(frame)
            if frame.ignored_by is None:
                self._cond.notify_all()
            elif self._first_unused == len(self._frames) - 1:
                self._first_unused += 1
        return frame

    def ignore(self, is_noise: FramePredicate, rule: str) -> None:
        """Treat frames for which ``is_noise`` is true as noise, from now on and already unread ones.

        ``rule`` says why, in transcripts. Ignored frames never match, count as unread or fail anything.
        """
        with self._cond:
            self._ignore_rules += ((is_noise, rule),)
            for frame in self._frames[self._first_unused:]:
                if frame.unread and is_noise(frame):
                    frame.ignored_by = rule
            self._advance_first_unused()

    def close(self, closure: Closure) -> None:
        """Record how the connection ended (only the first call counts) and wake every waiter."""
        with self._cond:
            if self._closure is None:
                self._closure = closure
            self._cond.notify_all()

    @property
    def closure(self) -> Closure | None:
        """How the connection ended, or ``None`` while it is open."""
        with self._cond:
            return self._closure

    def wait_closed(self, deadline: float) -> Closure | None:
        """Block until the connection has ended or ``deadline`` passes; return the closure, if any."""
        with self._cond:
            while self._closure is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            return self._closure

    def frames(self) -> list[Frame]:
        """A snapshot of every frame received so far, oldest first."""
        with self._cond:
            return list(self._frames)

    def unused(self) -> list[Frame]:
        """A snapshot of the frames no step has used and no rule ignored yet, oldest first."""
        with self._cond:
            return [f for f in self._frames[self._first_unused:] if f.unread]

    def take(self, matches: FramePredicate, deadline: float, used_by: str) -> Frame | None:
        """Mark as used and return the oldest unused frame that ``matches``.

        Blocks until such a frame arrives, the connection closes, or ``time.monotonic()``
        reaches ``deadline``; returns ``None`` in the last two cases (see :attr:`closure`).
        A frame counts if it arrived before the deadline, even if it is examined after.
        """
        return self._scan(matches, deadline, claim_for=used_by)

    def find(self, matches: FramePredicate, deadline: float) -> Frame | None:
        """Like :meth:`take`, but leaves the frame unused: for steps that forbid a message."""
        return self._scan(matches, deadline, claim_for=None)

    def _scan(self, matches: FramePredicate, deadline: float, claim_for: str | None) -> Frame | None:
        with self._cond:
            position = self._first_unused
        while True:
            with self._cond:
                while position >= len(self._frames) and self._closure is None:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return None
                    self._cond.wait(remaining)
                batch = self._frames[position:]
            if not batch:
                return None  # closed, and every frame has been examined
            for frame in batch:
                if frame.received_at > deadline:
                    return None
                if frame.unread and matches(frame):
                    if claim_for is None:
                        return frame
                    with self._cond:
                        if frame.unread:  # no other waiter took it while we matched
                            frame.used_by = claim_for
                            self._advance_first_unused()
                            return frame
            position += len(batch)

    def _advance_first_unused(self) -> None:
        frames = self._frames
        i = self._first_unused
        while i < len(frames) and not frames[i].unread:
            i += 1
        self._first_unused = i
