"""Write a throwaway behave project that uses wsitest-steps, and run behave on it as a user would."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RUN_TIMEOUT = 120
REPOSITORY = Path(__file__).resolve().parents[1]

STEPS_IMPORT = "from wsitest_steps.steps import *\n"


def write_project(root: Path, feature: str, extra_steps: str = "", environment: str | None = None) -> Path:
    """A project whose only wiring is the one import line (plus ``extra_steps`` if given)."""
    (root / "features" / "steps").mkdir(parents=True)
    (root / "features" / "test.feature").write_text(textwrap.dedent(feature))
    (root / "features" / "steps" / "steps.py").write_text(STEPS_IMPORT + textwrap.dedent(extra_steps))
    if environment is not None:
        (root / "features" / "environment.py").write_text(textwrap.dedent(environment))
    return root


@contextmanager
def chat_server_process() -> Iterator[str]:
    """The chat server in a process of its own, so only the client's sockets are in the tested process; yields its URL template."""
    server = subprocess.Popen(
        [sys.executable, "-m", "chat_server_fixture", "--port", "0"], cwd=REPOSITORY, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        banner = server.stdout.readline()
        assert banner.startswith("chat server listening on "), banner
        yield banner.split(" on ", 1)[1].strip()
    finally:
        server.terminate()
        server.wait(RUN_TIMEOUT)


def run_behave(project: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``python -m behave`` in ``project``; stdout and stderr together in ``.stdout``."""
    return subprocess.run(
        [sys.executable, "-m", "behave", "--no-color", *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=RUN_TIMEOUT,
    )


def took_seconds(output: str) -> float:
    """The run time from behave's closing line: "Took 0min 0.536s" (1.3) or "Took 0m0.544s" (1.2.6)."""
    found = re.search(r"^Took (\d+)m(?:in)? ?(\d+(?:\.\d+)?)s$", output, re.MULTILINE)
    assert found, f"no 'Took' line in:\n{output}"
    return int(found.group(1)) * 60 + float(found.group(2))


def junit_outcomes(project: Path, directory: str = "reports") -> dict[str, str | None]:
    """Each scenario's failure or error text from behave's JUnit files (``None`` if it passed)."""
    import xml.etree.ElementTree as ET

    outcomes: dict[str, str | None] = {}
    for report in sorted((project / directory).glob("TESTS-*.xml")):
        for case in ET.parse(report).getroot().iter("testcase"):
            problem = case.find("failure")
            if problem is None:
                problem = case.find("error")
            name = case.get("name").split(" -- @")[0]
            # The element's text is the step's whole report; its message attribute, the exception alone.
            outcomes[name] = None if problem is None else (problem.text or problem.get("message") or "")
    return outcomes


def userdata_args(userdata: dict[str, str]) -> list[str]:
    """``-D key=value`` arguments for behave."""
    args: list[str] = []
    for key, value in userdata.items():
        args += ["-D", f"{key}={value}"]
    return args


def failure_of(run: tuple[subprocess.CompletedProcess, dict[str, str | None]], scenario: str) -> str:
    """The failure text of ``scenario`` in a run made to fail, scenario by scenario (no traceback, not passed)."""
    result, outcomes = run
    assert "Traceback" not in result.stdout, result.stdout
    text = outcomes[scenario]
    assert text is not None, f"{scenario!r} passed:\n{result.stdout}"
    return text


def assert_each_scenario_failed(run: tuple[subprocess.CompletedProcess, dict[str, str | None]], feature: str) -> None:
    """The run failed, and so did every scenario of ``feature``, each in JUnit."""
    result, outcomes = run
    assert result.returncode == 1
    assert all(text is not None for text in outcomes.values()), outcomes
    assert len(outcomes) == feature.count("Scenario:")


def failing_first(output: str) -> str:
    """behave's output with each failing scenario's block copied to the top.

    A long run's output is cut in the middle when CI prints it, which is where the failing step
    usually is; the scenarios named under "Failing scenarios:" are repeated first so the cause survives.
    """
    locations = re.findall(r"^\s+(\S+\.feature:\d+)\s", output.partition("Failing scenarios:")[2], re.MULTILINE)
    blocks = []
    lines = output.splitlines()
    for location in locations:
        starts = [i for i, line in enumerate(lines) if line.rstrip().endswith(f"# {location}")]
        for start in starts[:1]:
            end = next(
                (i for i in range(start + 1, len(lines)) if re.match(r"\s*(Scenario|Feature|Rule|Failing scenarios:)", lines[i])),
                len(lines),
            )
            blocks.append("\n".join(lines[start:end]))
    if not blocks:
        return output
    return "FAILING SCENARIOS FIRST:\n" + "\n\n".join(blocks) + "\n\nWHOLE OUTPUT:\n" + output
