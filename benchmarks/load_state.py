"""What the load benchmark's users and its announcer share, in one Locust process (gevent)."""

from __future__ import annotations

import os

from gevent.event import Event

USERS = int(os.environ.get("BENCH_USERS", "0"))
DEADLINE = 120.0

connected = 0
all_connected = Event()
latencies: list[float] = []
all_heard = Event()
#: Set once the results are written: users that heard the broadcast idle until then.
finished = Event()


def joined() -> None:
    global connected
    connected += 1
    if connected == USERS:
        all_connected.set()


def heard(text: str, at: float) -> None:
    """A user's broadcast arrived at ``at`` (``time.monotonic()``); the text ends with when it was sent."""
    latencies.append(at - float(text.rsplit(" ", 1)[1]))
    if len(latencies) == USERS:
        all_heard.set()
