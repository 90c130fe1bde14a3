"""Locust, one process: how many connected actors it holds, and how fast one broadcast reaches all.

Each size runs twice, in a Locust process of its own: simulated users running a feature file
through :class:`wsitest_steps.load.FeatureUser`, and plain Locust users written by hand with
websocket-client. The figures are the broadcast's delivery latency to every user (p50, p95,
p99) and whether every user connected and heard it: a size "held" when all did.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).with_name("load_locustfile.py")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(mode: str, users: int, url: str) -> dict:
    """One Locust process of ``users`` users of ``mode``: connected, heard, and p50/p95/p99 in seconds."""
    with tempfile.TemporaryDirectory(prefix="wsitest-load-") as folder:
        out = Path(folder) / "result.json"
        env = {**os.environ, "BENCH_MODE": mode, "BENCH_URL": url, "BENCH_USERS": str(users), "BENCH_OUT": str(out)}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(LOCUSTFILE),
                "--headless",
                f"--users={users}",
                f"--spawn-rate={max(100, users // 4)}",
                "--run-time=300s",
                "--only-summary",
                "--loglevel=ERROR",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=400,
        )
        if not out.exists():
            return {"users": users, "error": completed.stdout[-1500:]}
        found = json.loads(out.read_text())
    latencies = found["latencies"]
    result = {"users": users, "connected": found["connected"], "heard": len(latencies)}
    if latencies:
        result.update({f"p{p}": percentile(latencies, p / 100) for p in (50, 95, 99)})
    return result
