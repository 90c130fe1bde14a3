"""SIGTERM ends a behave run the way Ctrl-C does.

behave turns Ctrl-C (``KeyboardInterrupt``) into an orderly stop: the running scenario's cleanups
run, so every actor closes with 1001 ("going away"), and behave prints "ABORTED: By user." and
its summary and exits non-zero. A CI runner or a container stops a job with SIGTERM, whose default
is to kill the process with no line printed and no close frame sent; this turns it into the same
``KeyboardInterrupt``.
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType


def stop_on_sigterm() -> None:
    """Make SIGTERM raise ``KeyboardInterrupt`` in the main thread, unless a handler is set already.

    A handler of the user's own (or of a runner such as behavex) is left alone.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    print("wsitest-steps: SIGTERM received; stopping the run as Ctrl-C would.", file=sys.__stderr__, flush=True)
    raise KeyboardInterrupt("SIGTERM")
