"""The inbox: every frame an actor received, in order, and the waits on it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..model.frames import Closure, Frame
from ..model.kinds import FrameKind
from ..model.messages import Message
from .deadline import Deadline

FramePredicate = Callable[[Frame], bool]
T = TypeVar("T")


@dataclass(frozen=True)
class Rule:
    """A standing decision about frames: noise to ignore, or a message to answer.

    ``label`` says why, in transcripts. A rule with ``answers`` set marks the frames it
    accepts as used by it (the actor then sends the answer); otherwise they are ignored.
    """

    accepts: FramePredicate
    label: str
    answers: bool = False


class Inbox:
    """Frames appended by one reader thread and consumed by waiting steps.

    A waiter sleeps on a condition variable and is woken by :meth:`put` or :meth:`close`,
    so it resumes the moment a frame arrives, never on a polling interval. Each frame can
    be used by at most one expectation; frames nobody has used stay, in arrival order, for
    later steps. Matching runs outside the lock so a slow match never delays the reader;
    only :class:`Rule` predicates run inside it, so that a rule claims its frames before any
    waiting step can see them.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frames: list[Frame] = []
        self._first_unused = 0
        self._closure: Closure | None = None
        self._closures: list[Closure] = []
        self._connection = 1
        self._rules: tuple[Rule, ...] = ()
        #: How many threads are blocked waiting on this inbox right now.
        self.waiters = 0
        #: Looks at each frame before any waiter can see it (the actor's contract check).
        self.vet: Callable[[Frame], None] | None = None

    # -- the reader thread's side -------------------------------------------------------

    def put(self, kind: FrameKind, payload: str | bytes, message: Message | None = None) -> tuple[Frame, Rule | None]:
        """Append a received frame and wake every waiter. Called by the reader thread.

        Returns the frame and the answering rule that claimed it, if one did: the caller
        sends that rule's answer.
        """
        now = time.monotonic()
        with self._cond:
            frame = Frame(len(self._frames) + 1, kind, payload, now, connection=self._connection, message=message)
            if self.vet is not None:
                self.vet(frame)
            claimed_by = self._apply_rules(frame, self._rules) if frame.is_message else None
            self._frames.append(frame)
            if frame.unread:
                self._cond.notify_all()
            elif self._first_unused == len(self._frames) - 1:
                self._first_unused += 1
        return frame, claimed_by

    def close(self, closure: Closure) -> None:
        """Record how the current connection ended (only the first call counts) and wake every waiter."""
        with self._cond:
            if self._closure is None:
                self._closure = closure
                self._closures.append(closure)
            self._cond.notify_all()

    # -- rules and reconnects -------------------------------------------------------------

    def add_rule(self, rule: Rule) -> list[Frame]:
        """Apply ``rule`` from now on, and to the unread frames already received.

        Returns the frames it claimed at once; for an answering rule, the caller answers them.
        """
        with self._cond:
            self._rules += (rule,)
            claimed = [
                f for f in self._frames[self._first_unused :] if f.unread and f.is_message and self._apply_rules(f, (rule,))
            ]
            self._advance_first_unused()
            return claimed

    def ignore(self, is_noise: FramePredicate, label: str) -> None:
        """Treat messages for which ``is_noise`` is true as noise, from now on and already unread ones."""
        self.add_rule(Rule(is_noise, label))

    @staticmethod
    def _apply_rules(frame: Frame, rules: Sequence[Rule]) -> Rule | None:
        for rule in rules:
            if rule.accepts(frame):
                if rule.answers:
                    frame.used_by = rule.label
                    frame.used_by_rule = True
                    return rule
                frame.ignored_by = rule.label
                return None
        return None

    def new_connection(self) -> int:
        """Start a new connection: frames of earlier ones no longer satisfy anything.

        Returns the new connection's number. The frames stay, for transcripts.
        """
        with self._cond:
            for frame in self._frames[self._first_unused :]:
                if frame.unread:
                    frame.superseded = True
            self._first_unused = len(self._frames)
            self._connection += 1
            self._closure = None
            self._cond.notify_all()
            return self._connection

    # -- reading --------------------------------------------------------------------------

    @property
    def closure(self) -> Closure | None:
        """How the current connection ended, or ``None`` while it is open."""
        with self._cond:
            return self._closure

    @property
    def closures(self) -> list[Closure]:
        """How each connection so far ended, oldest first."""
        with self._cond:
            return list(self._closures)

    @property
    def connection(self) -> int:
        """The current connection's number, counting from 1."""
        with self._cond:
            return self._connection

    def wait_closed(self, deadline: Deadline) -> Closure | None:
        """Block until the connection has ended or ``deadline`` passes; return the closure, if any."""
        with self._cond:
            while self._closure is None and self._wait(deadline):
                pass
            return self._closure

    def frames(self) -> list[Frame]:
        """A snapshot of every frame received so far, oldest first."""
        with self._cond:
            return list(self._frames)

    def unused(self) -> list[Frame]:
        """A snapshot of the messages no step has used and no rule claimed yet, oldest first."""
        with self._cond:
            return [f for f in self._frames[self._first_unused :] if f.unread and f.is_message]

    def claim(self, frames: Sequence[Frame], used_by: str) -> bool:
        """Mark all of ``frames`` used by ``used_by``, or none if any was taken meanwhile."""
        with self._cond:
            if not all(frame.unread for frame in frames):
                return False
            for frame in frames:
                frame.used_by = used_by
            self._advance_first_unused()
            return True

    # -- waiting --------------------------------------------------------------------------

    def take(self, matches: FramePredicate, deadline: Deadline, used_by: str) -> Frame | None:
        """Mark as used and return the oldest unused frame that ``matches``.

        Blocks until such a frame arrives, the connection closes, or ``time.monotonic()``
        reaches ``deadline``; returns ``None`` in the last two cases (see :attr:`closure`).
        A frame counts if it arrived before the deadline, even if it is examined after.
        """
        return self._scan(matches, deadline, claim_for=used_by)

    def find(self, matches: FramePredicate, deadline: Deadline) -> Frame | None:
        """Like :meth:`take`, but leaves the frame unused: for steps that forbid a message."""
        return self._scan(matches, deadline, claim_for=None)

    def _scan(self, matches: FramePredicate, deadline: Deadline, claim_for: str | None) -> Frame | None:
        # Incremental: each frame is examined once, so finding the last of 100,000 frames
        # costs one pass, not one pass per arrival.
        with self._cond:
            position = self._first_unused
        while True:
            with self._cond:
                while position >= len(self._frames) and self._closure is None:
                    if not self._wait(deadline):
                        return None
                batch = self._frames[position:]
            if not batch:
                return None  # closed, and every frame has been examined
            for frame in batch:
                if frame.received_at > deadline.at:
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

    def wait_for(self, select: Callable[[list[Frame]], T | None], deadline: Deadline) -> T | None:
        """Wait until ``select`` finds what it needs among the unread frames; return what it found.

        ``select`` gets every unread frame that arrived before ``deadline``, oldest first, and
        returns ``None`` to keep waiting. It is called again on every arrival, so it is meant
        for small questions (a handful of expected messages), not for scanning floods.
        Returns ``None`` at the deadline, or once the connection has closed and ``select``
        has seen every frame.
        """
        seen = -1
        while True:
            with self._cond:
                while len(self._frames) == seen and self._closure is None:
                    if not self._wait(deadline):
                        return None
                seen = len(self._frames)
                closed = self._closure is not None
                snapshot = [f for f in self._frames[self._first_unused :] if f.unread and f.received_at <= deadline.at]
            found = select(snapshot)
            if found is not None:
                return found
            if closed or deadline.passed:
                return None

    def _wait(self, deadline: Deadline) -> bool:
        # Called with the lock held; False once the deadline has passed.
        self.waiters += 1
        try:
            return deadline.wait_on(self._cond)
        finally:
            self.waiters -= 1

    def _advance_first_unused(self) -> None:
        frames = self._frames
        i = self._first_unused
        while i < len(frames) and not frames[i].unread:
            i += 1
        self._first_unused = i
