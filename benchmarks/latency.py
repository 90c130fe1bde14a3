"""Round trips through an actor's inbox: send, then wait for the matching frame."""

from __future__ import annotations

import time

from wsitest_steps import Actor, json_message


def echo_round_trips(url_template: str, count: int) -> list[float]:
    """Seconds from ``send_json`` to ``expect`` returning the broadcast back."""
    actor = Actor("Lib")
    actor.connect(url_template.replace("{name}", "Lib") + "&quiet=1", timeout=10)
    times = []
    try:
        for i in range(count):
            started = time.perf_counter()
            actor.send_json({"message": str(i)})
            actor.expect(json_message({"message": f"Lib: {i}"}), 10)
            times.append(time.perf_counter() - started)
    finally:
        actor.close()
    return times
