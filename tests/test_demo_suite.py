"""The repository's own features: against the embedded fixture, and against one started separately."""

import subprocess
import sys
from pathlib import Path

from tests.behave_project import RUN_TIMEOUT, failing_first, run_behave, took_seconds

ROOT = Path(__file__).resolve().parent.parent


def test_demo_suite_passes_against_the_embedded_fixture(broker_args):
    result = run_behave(ROOT, *broker_args, "features/")
    assert result.returncode == 0, failing_first(result.stdout)
    assert "0 failed" in result.stdout


def test_demo_suite_passes_against_a_separately_started_fixture_given_by_ws_url():
    server = subprocess.Popen(
        [sys.executable, "-m", "chat_server_fixture", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        banner = server.stdout.readline()  # printed once the server accepts connections
        assert banner.startswith("chat server listening on ws://127.0.0.1:"), banner
        url = banner.split(" on ", 1)[1].strip()
        http_banner = server.stdout.readline()
        assert http_banner.startswith("chat HTTP API listening on http://127.0.0.1:"), http_banner
        http_url = http_banner.split(" on ", 1)[1].strip()
        # The protocol features talk to servers of their own, never to ws_url's: the run above has them.
        protocols = r"(socketio|graphql|stomp)\.feature"
        userdata = ("-D", f"ws_url={url}", "-D", f"http_url={http_url}")
        result = run_behave(ROOT, *userdata, "--exclude", protocols, "features/")
        assert result.returncode == 0, failing_first(result.stdout)
        assert "0 failed" in result.stdout
    finally:
        server.terminate()
        server.wait(RUN_TIMEOUT)


def test_two_user_scenario_needs_no_sleep():
    # chat.feature alone, not features/: the demo's broker starts only for runs that hold the STOMP feature.
    result = run_behave(ROOT, "features/chat.feature", "--name", "Two users talk")
    assert result.returncode == 0, failing_first(result.stdout)
    assert "1 scenario passed" in result.stdout
    # A generous bound that still catches any fixed sleep of a second or more.
    assert took_seconds(result.stdout) < 1.0, result.stdout
