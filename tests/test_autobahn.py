"""Autobahn|Testsuite's fuzzingserver against an actor that echoes every message (heavy).

The suite is what websocket implementations publish conformance results with. It needs Python
2.7: the test finds one (pyenv's, or python2.7 on PATH), installs autobahntestsuite into a
virtualenv of its own under .autobahn/ once, and skips with a message where there is none (fails
under WSITEST_CI). Every case but 12.* and 13.* (permessage-deflate, which the library does not
offer) must end OK, NON-STRICT or INFORMATIONAL, and every close must be clean.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from wsitest_steps import Actor, Deadline, Outgoing, Settings
from wsitest_steps.matching.frames import AnyMessage

ROOT = Path(__file__).resolve().parents[1]
SUITE = ROOT / ".autobahn"
AGENT = "wsitest-steps"
PASSING = {"OK", "NON-STRICT", "INFORMATIONAL"}
CASE_DEADLINE = 120.0

# Minutes long, so in the "heavy" environment only; it runs no behave, so behave126 leaves it out.
pytestmark = [pytest.mark.heavy, pytest.mark.behave_free]


def python27() -> str | None:
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    for candidate in sorted(pyenv_root.glob("versions/2.7*/bin/python"), reverse=True):
        return str(candidate)
    return shutil.which("python2.7")


@pytest.fixture(scope="module")
def wstest():
    executable = SUITE / "bin" / "wstest"
    python = python27()
    if python is None and not executable.exists():
        if os.environ.get("WSITEST_CI"):
            pytest.fail("Autobahn|Testsuite needs Python 2.7, which CI must have (WSITEST_CI is set)")
        pytest.skip("Autobahn|Testsuite needs Python 2.7 (pyenv install 2.7.18, or python2.7 on PATH)")
    # tox runs this file in two environments at once: one installs, the other waits for it.
    with open(ROOT / ".autobahn.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not executable.exists():
            assert python is not None
            steps = [
                [python, "-m", "pip", "install", "--quiet", "--user", "virtualenv==20.15.1"],
                [python, "-m", "virtualenv", "--quiet", str(SUITE)],
                [str(SUITE / "bin" / "pip"), "install", "--quiet", "autobahntestsuite==25.10.1"],
            ]
            for step in steps:
                subprocess.run(step, check=True, timeout=900, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    return executable


@pytest.fixture
def fuzzingserver(wstest, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    spec = {
        "url": f"ws://127.0.0.1:{port}",
        "outdir": str(tmp_path / "reports"),
        "cases": ["*"],
        "exclude-cases": ["12.*", "13.*"],
        "exclude-agent-cases": {},
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    server = subprocess.Popen(
        [str(wstest), "-m", "fuzzingserver", "-s", "spec.json"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = Deadline.after(60)
        while True:  # bounded: the server needs a moment to listen, and nothing else says when it does
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if deadline.passed or server.poll() is not None:
                    raise RuntimeError("the fuzzingserver did not start") from None
                threading.Event().wait(0.1)
        yield f"ws://127.0.0.1:{port}", tmp_path / "reports"
    finally:
        server.terminate()
        server.wait(30)


def run_once(url: str, settings: Settings) -> Actor:
    actor = Actor("echo", settings=settings)
    actor.connect(url)
    return actor


def test_every_autobahn_client_case_passes_with_a_clean_close(fuzzingserver):
    base, reports = fuzzingserver
    settings = Settings(connect_timeout=30.0)
    counter = run_once(f"{base}/getCaseCount", settings)
    count = int(counter.expect(AnyMessage(), timeout=30).text)
    counter.close()
    for case in range(1, count + 1):
        echo = run_once(f"{base}/runCase?case={case}&agent={AGENT}", settings)
        echo.answer(AnyMessage(), "the rule: echo", lambda frame: Outgoing(frame.kind, frame.payload))
        echo.inbox.wait_closed(Deadline.after(CASE_DEADLINE))
        echo.close()
    updater = run_once(f"{base}/updateReports?agent={AGENT}", settings)
    updater.inbox.wait_closed(Deadline.after(CASE_DEADLINE))
    updater.close()
    results = json.loads((reports / "index.json").read_text())[AGENT]
    assert len(results) == count
    failed = {case: r["behavior"] for case, r in results.items() if r["behavior"] not in PASSING}
    unclean = {case: r["behaviorClose"] for case, r in results.items() if r["behaviorClose"] not in PASSING}
    print(f"Autobahn: {count - len(failed)} of {count} cases pass; unclean closes: {len(unclean)}")
    assert not failed, f"{len(failed)} of {count} cases failed: {failed}"
    assert not unclean, f"{len(unclean)} of {count} cases closed uncleanly: {unclean}"
