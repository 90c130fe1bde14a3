"""The one clock that sends the heartbeats protocols owe the server (STOMP's negotiated heart-beat).

Most protocols only answer the server's heartbeats, which the reader thread does as frames
arrive. STOMP has each side send on its own every so many seconds, so something has to keep
time: one daemon thread for every actor of the process, not a thread per connection. It waits
on a condition variable until the earliest beat is due, runs it, and schedules the next one
from when it was due, so beats never drift nor bunch up.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger("wsitest_steps")

#: Sends one beat; returns whether beats go on (False once the connection has ended).
Beat = Callable[[], bool]


class HeartbeatClock:
    """Runs each registered beat every ``seconds`` until it returns False."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._due: list[tuple[float, int, float, Beat]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def every(self, seconds: float, beat: Beat) -> None:
        """Run ``beat`` ``seconds`` from now, then every ``seconds``, while it returns True."""
        if seconds <= 0:
            raise ValueError(f"a heartbeat interval must be positive, not {seconds}")
        with self._condition:
            self._schedule(time.monotonic() + seconds, seconds, beat)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="wsitest-heartbeats", daemon=True)
                self._thread.start()

    def _schedule(self, when: float, seconds: float, beat: Beat) -> None:
        heapq.heappush(self._due, (when, next(self._order), seconds, beat))
        self._condition.notify()

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._due or self._due[0][0] > time.monotonic():
                    self._condition.wait(self._due[0][0] - time.monotonic() if self._due else None)
                when, _, seconds, beat = heapq.heappop(self._due)
            try:
                again = beat()
            except Exception as exc:  # a beat that fails has a connection that is ending; its closure says why
                log.debug("a heartbeat failed: %s", exc)
                again = False
            if again:
                with self._condition:
                    self._schedule(max(when + seconds, time.monotonic()), seconds, beat)


#: The process's clock.
HEARTBEATS = HeartbeatClock()
