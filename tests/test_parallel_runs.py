"""The demo suite under behavex's parallel mode: several processes, each with its own servers on free ports."""

import re
import subprocess
import sys

import pytest

from tests.behave_project import RUN_TIMEOUT, run_behave
from tests.test_demo_suite import ROOT

# Load, fuzzing and parallel runs take the longest: tox runs them in the "heavy" and "behave126"
# environments, not in every one.
pytestmark = pytest.mark.heavy


def test_the_demo_suite_passes_in_parallel_processes_under_behavex(tmp_path, broker_args):
    serial = run_behave(ROOT, *broker_args, "-f", "progress", "features/")
    expected = int(re.search(r"(\d+) scenarios? passed, 0 failed", serial.stdout).group(1))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "behavex",
            *broker_args,
            "features/",
            "--parallel-processes",
            "2",
            "--parallel-scheme",
            "feature",
            "-o",
            str(tmp_path / "behavex"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r"PARALLEL_PROCESSES\s*\|\s*2\b", result.stdout), result.stdout[:2000]
    assert f"{expected} scenarios passed, 0 failed" in result.stdout, result.stdout[-2000:]
