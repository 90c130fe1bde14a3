"""The one helper every bounded wait uses: a point on the monotonic clock it must not pass."""

from __future__ import annotations

import threading
import time


class Deadline:
    """``at`` is a ``time.monotonic()`` value. Waits end there, whatever wakes them meanwhile.

    Several actors can share one deadline, so that a step over many actors waits once in all,
    not once per actor.
    """

    __slots__ = ("at",)

    def __init__(self, at: float) -> None:
        self.at = at

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        """The deadline ``seconds`` from now."""
        return cls(time.monotonic() + seconds)

    def remaining(self) -> float:
        """Seconds left, negative once passed."""
        return self.at - time.monotonic()

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def wait_on(self, condition: threading.Condition) -> bool:
        """Wait on ``condition``, whose lock the caller holds, until notified or the deadline.

        Returns ``False`` without waiting if the deadline has passed, so a caller loops as
        ``while not ready: if not deadline.wait_on(cond): break``.
        """
        remaining = self.at - time.monotonic()
        if remaining <= 0:
            return False
        condition.wait(remaining)
        return True

    def wait_for(self, event: threading.Event) -> bool:
        """Wait until ``event`` is set or the deadline passes; returns whether it was set."""
        return event.wait(max(0.0, self.at - time.monotonic()))

    def __repr__(self) -> str:
        return f"Deadline(in {self.remaining():.3f}s)"
