"""Round trips through an actor's inbox: send, then wait for the matching frame."""

from __future__ import annotations

import time

from wsitest_steps import Actor, Cast, Settings, json_message


def echo_round_trips(url_template: str, count: int) -> tuple[list[float], list[float]]:
    """Seconds from ``send_json`` to ``expect`` returning the broadcast back, and of each the
    hand-off: from the reader thread finishing the frame to the waiting call resuming."""
    actor = Actor("Lib")
    actor.connect(url_template.replace("{name}", "Lib") + "&quiet=1", timeout=10)
    times, handoffs = [], []
    try:
        for i in range(count):
            started = time.perf_counter()
            actor.send_json({"message": str(i)})
            frame = actor.expect(json_message({"message": f"Lib: {i}"}), 10)
            times.append(time.perf_counter() - started)
            handoffs.append(time.monotonic() - frame.received_at)
    finally:
        actor.close()
    return times, handoffs


def scenario_two(url_template: str, count: int) -> float:
    """pywsitest's scenario 2 through the library's Python API (no behave): seconds per scenario."""
    started = time.perf_counter()
    for _ in range(count):
        cast = Cast(Settings(url_template=url_template))
        rob = cast.connect("Rob")
        rob.expect(json_message({"message": "Rob has connected"}), 10)
        rob.send_json({"message": "Hello, world!"})
        rob.expect(json_message({"message": "Rob: Hello, world!"}), 10)
        cast.actor("Rob").disconnect()
        cast.close_all()
    return (time.perf_counter() - started) / count
