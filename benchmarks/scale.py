"""Many actors in one scenario; run as ``python -m benchmarks.scale MODE N URL`` to isolate peak memory.

MODE is ``library`` (wsitest-steps actors, each with its reader thread), ``raw`` (plain
websocket-client connections read in turn by one thread) or ``threads`` (the same connections,
each read by a thread of its own that hands each message over through a condition variable: the
least any design with a reader thread per connection can cost). Prints one JSON object.
"""

from __future__ import annotations

import json
import resource
import sys
import threading
import time

import websocket

TIMEOUT = 30


def rss_mb() -> float:
    """Resident memory now. Not ``ru_maxrss``: Linux carries the parent's peak over into a child,
    so both sides read the benchmark process's own size and no growth at all."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def library(count: int, url: str) -> dict:
    from wsitest_steps import Cast, Settings, json_message

    cast = Cast(Settings(url_template=url, connect_timeout=TIMEOUT))
    before = rss_mb()
    started = time.perf_counter()
    for i in range(count):
        cast.connect(f"u{i}")
    connected = time.perf_counter()
    cast.actor("u0").send_json({"message": "go"})
    for actor in cast.actors:
        actor.expect(json_message({"message": "u0: go"}), TIMEOUT)
    matched = time.perf_counter()
    peak = rss_mb()
    cast.close_all()
    return {"connect": connected - started, "broadcast": matched - connected, "peak_mb": peak, "grown_mb": peak - before}


def raw(count: int, url: str) -> dict:
    before = rss_mb()
    started = time.perf_counter()
    sockets = [websocket.create_connection(url.replace("{name}", f"u{i}"), timeout=TIMEOUT) for i in range(count)]
    connected = time.perf_counter()
    sockets[0].send(json.dumps({"message": "go"}))
    for ws in sockets:
        while json.loads(ws.recv()).get("message") != "u0: go":
            pass
    matched = time.perf_counter()
    peak = rss_mb()
    for ws in sockets:
        ws.close()
    return {"connect": connected - started, "broadcast": matched - connected, "peak_mb": peak, "grown_mb": peak - before}


def threads(count: int, url: str) -> dict:
    before = rss_mb()
    started = time.perf_counter()
    sockets = [websocket.create_connection(url.replace("{name}", f"u{i}"), timeout=TIMEOUT) for i in range(count)]
    latest: list[str | None] = [None] * count
    arrived = [threading.Condition() for _ in range(count)]

    def read(i: int) -> None:
        while True:
            try:
                message = sockets[i].recv()
            except Exception:
                return
            with arrived[i]:
                latest[i] = message
                arrived[i].notify_all()

    readers = [threading.Thread(target=read, args=(i,), daemon=True) for i in range(count)]
    for reader in readers:
        reader.start()
    connected = time.perf_counter()
    sockets[0].send(json.dumps({"message": "go"}))
    deadline = time.monotonic() + TIMEOUT
    for i in range(count):
        with arrived[i]:
            while latest[i] is None or json.loads(latest[i]).get("message") != "u0: go":
                if not arrived[i].wait(max(0.0, deadline - time.monotonic())):
                    raise SystemExit(f"u{i} did not receive the broadcast within {TIMEOUT} s")
    matched = time.perf_counter()
    peak = rss_mb()
    for ws in sockets:
        try:
            ws.send_close()
            ws.sock.shutdown(2)  # wakes its reader, which may have closed the socket already
        except OSError:
            pass
        ws.close()
    return {"connect": connected - started, "broadcast": matched - connected, "peak_mb": peak, "grown_mb": peak - before}


def main() -> None:
    mode, count, url = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # one socket per actor
    print(json.dumps({"library": library, "raw": raw, "threads": threads}[mode](count, url)))


if __name__ == "__main__":
    main()
