"""The demo's Socket.IO and GraphQL features against the protocols' npm reference servers, as well as the Python ones.

tests/npm holds the servers and their package.json and lockfile; ``.ci/run`` installs them with
``npm ci``. Where node or the packages are missing these tests skip, saying why, and under
``WSITEST_CI`` they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from tests.behave_project import failing_first, run_behave, userdata_args
from tests.test_demo_suite import ROOT

NPM = Path(__file__).resolve().parent / "npm"
START_TIMEOUT = 20.0


def _installed() -> bool:
    return (NPM / "node_modules" / "socket.io").is_dir() and (NPM / "node_modules" / "graphql-ws").is_dir()


def _install() -> str | None:
    """``npm ci`` from the lockfile, once, under a lock: tox runs environments in parallel."""
    import fcntl

    with open(NPM / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _installed():
            return None
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=NPM,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=300,
        )
        return None if done.returncode == 0 else f"npm ci failed: {done.stdout[-500:]}"


def _require_node() -> None:
    missing = None
    if shutil.which("node") is None or shutil.which("npm") is None:
        missing = "node and npm are not installed"
    elif not _installed():
        missing = _install()
    if missing is not None:
        if os.environ.get("WSITEST_CI"):
            pytest.fail(f"WSITEST_CI is set, and {missing}")
        pytest.skip(missing)


def _start(script: str) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(["node", script], cwd=NPM, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first: list[str] = []
    reader = threading.Thread(target=lambda: first.append(process.stdout.readline() if process.stdout else ""), daemon=True)
    reader.start()
    reader.join(START_TIMEOUT)  # a deadline on the first line: a node that hangs cannot hang the test
    if not first or not first[0].strip().isdigit():
        process.kill()
        pytest.fail(f"node {script} did not print its port within {START_TIMEOUT:g}s: {first!r}")
    return process, int(first[0])


@pytest.fixture(scope="module")
def npm_servers():
    _require_node()
    started = [_start("socketio_server.js"), _start("graphql_ws_server.js")]
    yield {"socketio": started[0][1], "graphql": started[1][1]}
    for process, _ in started:
        process.kill()
        process.wait(START_TIMEOUT)


def _run(npm_servers, demo_servers, feature: str, *names: str):
    userdata = {
        **demo_servers.userdata(),
        "ws_url.live": f"ws://127.0.0.1:{npm_servers['socketio']}/socket.io/?name={{name}}",
        "ws_url.graphql": f"ws://127.0.0.1:{npm_servers['graphql']}/graphql",
    }
    filters = [arg for name in names for arg in ("-n", name)]
    return run_behave(ROOT, *userdata_args(userdata), *filters, "-f", "plain", f"features/{feature}")


def test_the_socketio_feature_passes_against_the_npm_socketio_server(npm_servers, demo_servers):
    result = _run(npm_servers, demo_servers, "socketio.feature")
    assert result.returncode == 0, failing_first(result.stdout)
    assert "7 scenarios passed, 0 failed" in result.stdout


def test_the_graphql_feature_passes_against_the_npm_graphql_ws_server(npm_servers, demo_servers):
    # graphql-ws speaks graphql-transport-ws only: the scenario of the older protocol stays with Strawberry.
    result = _run(
        npm_servers,
        demo_servers,
        "graphql.feature",
        "counts to three",
        "told apart",
        "wrong token",
    )
    assert result.returncode == 0, failing_first(result.stdout)
    assert "3 scenarios passed, 0 failed" in result.stdout
