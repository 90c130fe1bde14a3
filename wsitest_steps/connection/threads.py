"""Reader threads kept for the next connection.

Starting a thread costs about 65 µs on a 2-core machine, most of it waiting for the new thread to
be scheduled (``Thread.start`` blocks until it runs); handing a parked thread its next job costs
about 4 µs, and the caller does not wait for it. A scenario that connects once pays the start once
per run instead of once per connection (docs/benchmarks.md).

A reader's job ends when its connection does; the thread then takes the name :data:`IDLE_NAME` and
parks for the next, unless :data:`KEPT` threads are parked already, in which case it ends. So
after a scenario of a thousand actors, at most :data:`KEPT` idle threads stay, each a daemon that
never delays the interpreter's exit. A forked child forgets the parked threads, which it does not
have.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

#: The name of a parked reader thread; a busy one is named after its actor.
IDLE_NAME = "wsitest-idle-reader"
#: How many threads stay parked at most.
KEPT = 16

_lock = threading.Lock()
_parked: list[_Worker] = []


class Running:
    """A job on a reader thread of its own: what ``Thread.join`` and ``is_alive`` were for it."""

    __slots__ = ("_ended", "_running", "thread")

    def __init__(self, thread: threading.Thread) -> None:
        self.thread = thread
        # Held while the job runs, as Thread.join's own lock is: a bare lock, where an Event
        # (a condition variable, its lock and a deque) was 3 KB more an actor with 1000 of them.
        self._running = threading.Lock()
        self._running.acquire()
        self._ended = False

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the job to end; whether it has."""
        if self._ended:
            return True
        if not self._running.acquire(timeout=timeout):
            return False
        self._running.release()
        return True

    def is_current(self) -> bool:
        """Whether the calling code runs in this job's thread (the job must not wait for itself)."""
        return threading.current_thread() is self.thread and not self._ended

    def _end(self) -> None:
        self._ended = True
        self._running.release()


class _Worker:
    __slots__ = ("_given", "_job", "thread")

    def __init__(self, name: str) -> None:
        # Released by the giver once a job is set: a lock used as a one-place semaphore.
        self._given = threading.Lock()
        self._given.acquire()
        self._job: tuple[Callable[[], None], Running] | None = None
        self.thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def give(self, target: Callable[[], None], name: str) -> Running:
        running = Running(self.thread)
        self.thread.name = name  # named by the giver: the job is this actor's from now on
        self._job = (target, running)
        self._given.release()
        return running

    def _loop(self) -> None:
        while True:
            self._given.acquire()
            assert self._job is not None
            (target, running), self._job = self._job, None
            finished = False
            try:
                target()
                finished = True
            finally:
                # A parked thread must not keep its last job's reader, and through it the actor
                # and every frame it received, alive until the next job.
                del target
                # Parked, or bound to end, before the job is seen to end: whoever waited for it
                # finds no reader of its actor and no thread beyond the kept ones that stays.
                with _lock:
                    self.thread.name = IDLE_NAME
                    keep = finished and len(_parked) < KEPT  # a job that raised ends its thread
                    if keep:
                        _parked.append(self)
                running._end()
                del running
            if not keep:
                return


def start(target: Callable[[], None], name: str) -> Running:
    """Run ``target`` on a parked reader thread, or a new one, named ``name`` while it runs."""
    with _lock:
        worker = _parked.pop() if _parked else None
    if worker is not None:
        return worker.give(target, name)
    worker = _Worker(name)
    running = worker.give(target, name)
    worker.thread.start()
    return running


def _forget_parked() -> None:
    global _lock
    _lock = threading.Lock()  # another thread may have held it at the fork
    _parked.clear()


if hasattr(os, "register_at_fork"):  # not on Windows
    os.register_at_fork(after_in_child=_forget_parked)
