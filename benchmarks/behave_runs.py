"""Real behave runs of generated features, timed from behave's own before_all to after_all.

Timing inside behave leaves out interpreter start-up and imports, which are the same for
every run and would otherwise dominate small runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
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

NO_OP_STEPS = """
  Scenario: four steps that do nothing, run {i}
    Given nothing happens
    When nothing happens
    Then nothing happens
    And nothing happens
"""

SCENARIOS = {"scenario two": SCENARIO_TWO, "two users": TWO_USERS, "empty": EMPTY, "no-op steps": NO_OP_STEPS}


def seconds_per_scenario(kind: str, count: int, url_template: str) -> float:
    """Run ``count`` scenarios of ``kind`` in one behave process; seconds per scenario."""
    with tempfile.TemporaryDirectory(prefix="wsitest-bench-") as folder:
        root = Path(folder)
        (root / "features" / "steps").mkdir(parents=True)
        (root / "features" / "environment.py").write_text(ENVIRONMENT)
        (root / "features" / "steps" / "steps.py").write_text(STEPS)
        body = "".join(SCENARIOS[kind].format(i=i) for i in range(count))
        (root / "features" / "bench.feature").write_text(f"Feature: benchmark\n{body}")
        out = root / "elapsed.json"
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
        )
        if result.returncode != 0:
            raise RuntimeError(f"the behave run of {kind!r} failed:\n{result.stdout[-3000:]}")
        return json.loads(out.read_text())["elapsed"] / count
