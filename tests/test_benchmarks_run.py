"""The benchmark command runs and reports every measure; its figures are never asserted."""

import subprocess
import sys

import pytest

from tests.test_demo_suite import ROOT

# Benchmarks are tooling, not the library: one Python's run of the harness shows it works, so the
# heavy environments run it, not every interpreter's.
pytestmark = pytest.mark.heavy


def test_quick_benchmark_prints_every_measure_and_writes_its_section(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(
        "# Benchmarks\n\nHand-written analysis stays.\n\n<!-- results:start -->\nold\n<!-- results:end -->\n\nAfter.\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--no-pywsitest", "--write", str(doc)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout
    for measure in (
        "| Scenario 2, whole behave process (10 scenarios, start-up included) |",
        "| … softer reading: per scenario inside one behave run (10, between before_all and after_all) |",
        "| Echo round trip, median of 100 (wake-up latency) |",
        "| behave's own work a scenario, around the steps of scenario 2 |",
        "| … CPU time of the actors' reader threads a scenario, meanwhile |",
        '| 1 MiB text frame, then `receives a text message containing "END"` |',
        "| 2,000 small frames, then the expected one |",
        "| 10 actors: connect all |",
        "| 10 actors: one broadcast matched by all |",
        "| 10 actors: resident memory an actor |",
        "a thread per connection by hand:",
        "| import wsitest_steps.steps, in a fresh interpreter |",
        "| import wsitest_steps.steps, added to a behave process |",
        "| behave alone: empty scenario |",
        "| Locust, ",
        "not measured: skipped (--no-pywsitest)",
    ):
        assert measure in result.stdout, f"{measure!r} missing from:\n{result.stdout}"
    written = doc.read_text()
    assert "Hand-written analysis stays." in written and "After." in written and "old" not in written
    assert "Produced by `python -m benchmarks --quick --no-pywsitest --write" in written
