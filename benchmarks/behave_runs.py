"""Real behave runs of generated features: whole processes, as a user runs behave, and timed
from behave's own ``before_all`` to ``after_all``, which leaves out start-up and imports.

:func:`behave_share` also times behave's own work between and around steps, and the CPU time
the actors' reader threads take meanwhile, to show where behave's share of a scenario goes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENVIRONMENT = """
import json, time

def before_all(context):
    context.bench_started = time.perf_counter()

def after_all(context):
    elapsed = time.perf_counter() - context.bench_started
    with open(context.config.userdata["bench_out"], "w") as out:
        json.dump({"elapsed": elapsed}, out)
"""

STEPS = """
from wsitest_steps.steps import *
from behave import step

@step("nothing happens")
def step_nothing_happens(context):
    pass
"""

# behave alone, without the library: the baseline of a whole behave process.
PLAIN_STEPS = """
from behave import step

@step("nothing happens")
def step_nothing_happens(context):
    pass
"""

SCENARIO_TWO = """
  Scenario: pywsitest scenario 2, run {i}
    Given user Rob connects
    When Rob receives {{"message": "Rob has connected"}} then sends {{"message": "Hello, world!"}}
    Then Rob eventually receives {{"message": "Rob: Hello, world!"}}
    When Rob disconnects
"""

TWO_USERS = """
  Scenario: two users talk, run {i}
    Given user user_1 connects
    And user_1 receives {{"message": "user_1 has connected"}}
    And user user_2 connects
    When user_1 receives {{"message": "user_2 has connected"}} then sends {{"message": "Hello"}}
    And user_2 receives {{"message": "user_1: Hello"}} then sends {{"message": "Hi there"}}
    Then user_1 eventually receives {{"message": "user_2: Hi there"}}
    When user_1 disconnects
    Then user_2 eventually receives {{"message": "user_1 has disconnected"}}
"""

EMPTY = """
  Scenario: empty, run {i}
"""

ONE_STEP = """
  Scenario: one step that does nothing, run {i}
    Given nothing happens
"""

NO_OP_STEPS = """
  Scenario: four steps that do nothing, run {i}
    Given nothing happens
    When nothing happens
    Then nothing happens
    And nothing happens
"""

SCENARIOS = {
    "scenario two": SCENARIO_TWO,
    "two users": TWO_USERS,
    "empty": EMPTY,
    "no-op steps": NO_OP_STEPS,
    "one step": ONE_STEP,
}

# behave's own work is what the hooks do not cover: the time between one step's after_step and
# the next one's before_step (matching the sentence, capture, formatters), and outside scenarios.
SHARE_ENVIRONMENT = """
import json, threading, time
from wsitest_steps.connection import reader

T = time.perf_counter
READERS = [0.0]
_lock = threading.Lock()
_run = reader.ReaderLoop.run

def _timed_run(self):
    started = time.thread_time()
    try:
        _run(self)
    finally:
        with _lock:
            READERS[0] += time.thread_time() - started

reader.ReaderLoop.run = _timed_run

def before_all(context):
    context.bench = {"started": T(), "steps": 0.0, "scenarios": 0.0, "between": 0.0}

def before_scenario(context, scenario):
    context.bench_scenario = context.bench_last = T()

def before_step(context, step):
    context.bench["between"] += T() - context.bench_last
    context.bench_step = T()

def after_step(context, step):
    context.bench["steps"] += T() - context.bench_step
    context.bench_last = T()

def after_scenario(context, scenario):
    context.bench["between"] += T() - context.bench_last
    context.bench["scenarios"] += T() - context.bench_scenario

def after_all(context):
    bench = context.bench
    bench["elapsed"] = T() - bench.pop("started")
    bench["readers"] = READERS[0]
    with open(context.config.userdata["bench_out"], "w") as out:
        json.dump(bench, out)
"""


def seconds_per_scenario(kind: str, count: int, url_template: str) -> float:
    """Run ``count`` scenarios of ``kind`` in one behave process; seconds per scenario, between its hooks."""
    return _run(kind, count, url_template, ENVIRONMENT)["elapsed"] / count


def whole_process(kind: str, count: int, url_template: str, *, library: bool = True) -> float:
    """Seconds the whole ``behave`` process takes for ``count`` scenarios of ``kind``, start-up
    included; with ``library=False`` its steps do not import wsitest-steps."""
    return _run(kind, count, url_template, ENVIRONMENT, STEPS if library else PLAIN_STEPS)["wall"]


def behave_share(kind: str, count: int, url_template: str) -> dict[str, float]:
    """Seconds per scenario: in steps, in behave's own work around them, and of reader-thread CPU."""
    timed = _run(kind, count, url_template, SHARE_ENVIRONMENT)
    outside = timed["elapsed"] - timed["scenarios"]
    return {
        "steps": timed["steps"] / count,
        "behave": (timed["between"] + outside) / count,
        "readers": timed["readers"] / count,
    }


def _run(kind: str, count: int, url_template: str, environment: str, steps: str = STEPS) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="wsitest-bench-") as folder:
        root = Path(folder)
        (root / "features" / "steps").mkdir(parents=True)
        (root / "features" / "environment.py").write_text(environment)
        (root / "features" / "steps" / "steps.py").write_text(steps)
        body = "".join(SCENARIOS[kind].format(i=i) for i in range(count))
        (root / "features" / "bench.feature").write_text(f"Feature: benchmark\n{body}")
        out = root / "elapsed.json"
        started = time.perf_counter()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "behave",
                "--no-color",
                "--format",
                "progress",
                "-D",
                f"ws_url={url_template}",
                "-D",
                f"bench_out={out}",
                "features",
            ],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=600,
            env=bytecode_written(),
        )
        wall = time.perf_counter() - started
        if result.returncode != 0:
            raise RuntimeError(f"the behave run of {kind!r} failed:\n{result.stdout[-3000:]}")
        return {**json.loads(out.read_text()), "wall": wall}


def bytecode_written() -> dict[str, str]:
    """The environment with bytecode caching on, as on a user's machine: with
    ``PYTHONDONTWRITEBYTECODE`` set, every run compiles the library from source again."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
