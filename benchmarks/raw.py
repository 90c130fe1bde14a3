"""What a careful engineer would write by hand with websocket-client: the baselines."""

from __future__ import annotations

import json
import sys
import time

import websocket

TIMEOUT = 10


def _recv_until(ws: websocket.WebSocket, message: str) -> None:
    while json.loads(ws.recv()).get("message") != message:
        pass


def scenario_two(url_template: str, count: int) -> float:
    """pywsitest's scenario 2, ``count`` times: seconds per scenario."""
    url = url_template.replace("{name}", "Rob")
    started = time.perf_counter()
    for _ in range(count):
        ws = websocket.create_connection(url, timeout=TIMEOUT)
        _recv_until(ws, "Rob has connected")
        ws.send(json.dumps({"message": "Hello, world!"}))
        _recv_until(ws, "Rob: Hello, world!")
        ws.close()
    return (time.perf_counter() - started) / count


def echo_round_trips(url_template: str, count: int) -> list[float]:
    """Seconds from send to the matching broadcast back, by blocking ``recv()``."""
    ws = websocket.create_connection(url_template.replace("{name}", "Raw") + "&quiet=1", timeout=TIMEOUT)
    times = []
    try:
        for i in range(count):
            started = time.perf_counter()
            ws.send(json.dumps({"message": str(i)}))
            _recv_until(ws, f"Raw: {i}")
            times.append(time.perf_counter() - started)
    finally:
        ws.close()
    return times


if __name__ == "__main__":
    # ``python -m benchmarks.raw URL COUNT``: scenario 2 by hand in a process of its own, for the
    # whole-process comparison (interpreter start-up and websocket-client's import included).
    scenario_two(sys.argv[1], int(sys.argv[2]))
