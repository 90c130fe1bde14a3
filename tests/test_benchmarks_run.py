"""The benchmark command runs and reports every measure; its figures are never asserted."""

import subprocess
import sys

from tests.test_demo_suite import ROOT


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
        "| Scenario 2, per scenario (10 in one behave run) |",
        "| Echo round trip, median of 100 (wake-up latency) |",
        "| 10 actors: connect all |",
        "| 10 actors: one broadcast matched by all |",
        "| 10 actors: peak RSS (growth) |",
        "| behave alone: empty scenario |",
        "not measured: skipped (--no-pywsitest)",
    ):
        assert measure in result.stdout, f"{measure!r} missing from:\n{result.stdout}"
    written = doc.read_text()
    assert "Hand-written analysis stays." in written and "After." in written and "old" not in written
    assert "Produced by `python -m benchmarks --quick --no-pywsitest --write" in written
