"""How long ``import wsitest_steps.steps`` takes, read from ``python -X importtime``.

Two readings: in a fresh interpreter (what the import costs on its own), and in one that has
already imported behave's runner and formatters (what it adds to a ``behave`` run, which imports
those anyway). Each also gives the share of the dependencies the library cannot do without.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from .behave_runs import bytecode_written

ROOT = Path(__file__).resolve().parent.parent
TARGET = "wsitest_steps.steps"
DEPENDENCIES = ("hamcrest", "websocket", "behave")
BEHAVE_ALREADY = "import behave.__main__, behave.runner, behave.formatter.pretty, behave.formatter.progress; "
_LINE = re.compile(r"import time:\s+\d+ \|\s+(\d+) \|\s*(\S+)")


def cumulative(preamble: str = "") -> dict[str, float]:
    """Seconds each module's import took, its own imports included, in one fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"{preamble}import {TARGET}"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
        env=bytecode_written(),
    )
    times: dict[str, float] = {}
    for line in result.stderr.splitlines():
        found = _LINE.match(line)
        if found:
            times.setdefault(found.group(2), int(found.group(1)) / 1e6)
    return times


def measure() -> dict[str, dict[str, float]]:
    """One reading of each kind: ``alone`` and ``in_behave``, each the target's and its dependencies' times."""
    cumulative()  # writes the bytecode caches, as the first run on a user's machine does
    readings = {}
    for name, preamble in (("alone", ""), ("in_behave", BEHAVE_ALREADY)):
        times = cumulative(preamble)
        readings[name] = {module: times.get(module, 0.0) for module in (TARGET, *DEPENDENCIES)}
    return readings
