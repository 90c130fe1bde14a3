"""SIGTERM ends a behave run the way Ctrl-C does.

behave turns Ctrl-C (``KeyboardInterrupt``) into an orderly stop: the running scenario's cleanups
run, so every actor closes with 1001 ("going away"), and behave prints "ABORTED: By user." and
its summary and exits non-zero. A CI runner or a container stops a job with SIGTERM, whose default
is to kill the process with no line printed and no close frame sent; this turns it into the same
``KeyboardInterrupt``, and once behave has printed its summary, makes the process's exit status
128 + 15 (143), the status of a process stopped by SIGTERM, so the job's log says it was stopped.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
from types import FrameType

_left_alone = False


def leave_sigterm_alone() -> None:
    """From now on, :func:`stop_on_sigterm` does nothing: for a runner that is not behave (Locust,
    whose own SIGTERM handling, through gevent, Python's ``signal.getsignal`` does not show)."""
    global _left_alone
    _left_alone = True


def stop_on_sigterm() -> None:
    """Make SIGTERM raise ``KeyboardInterrupt`` in the main thread, unless a handler is set already.

    A handler of the user's own (or of a runner such as behavex) is left alone.
    """
    if _left_alone or threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    print("wsitest-steps: SIGTERM received; stopping the run as Ctrl-C would.", file=sys.__stderr__, flush=True)
    atexit.register(_exit_as_stopped)
    raise KeyboardInterrupt("SIGTERM")


def _exit_as_stopped() -> None:
    # Runs after behave returned its own status (1, as for any abort), reports and JUnit written.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed stream has nothing left to flush
            pass
    os._exit(128 + signal.SIGTERM)
