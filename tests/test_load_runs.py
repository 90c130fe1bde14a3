"""Feature files as load on a real Locust: one master and two workers on 127.0.0.1, headless,
for a few seconds, against the chat fixture in a process of its own. Nothing here asserts a time.
"""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.behave_project import RUN_TIMEOUT, chat_server_process, write_project
from tests.test_demo_suite import ROOT

pytestmark = pytest.mark.heavy


FEATURE = """\
@load
Feature: load
  Scenario: A user says hello and hears it back
    Given user Rob connects
    When Rob receives {"message": "{actor.Rob} has connected"} then sends {"message": "Hello, world!"}
    Then Rob eventually receives {"message": "{actor.Rob}: Hello, world!"}
    When Rob disconnects

  Scenario: A standing reply answers while a step waits
    Given user Ann connects
    And user Ben connects
    And whenever Ben receives {"message": "{actor.Ann}: ping"}, Ben replies {"message": "pong"}
    When Ann eventually receives {"message": "{actor.Ben} has connected"}
    And Ann sends {"message": "ping"}
    Then Ann eventually receives {"message": "{actor.Ben}: pong"}

  @broken
  Scenario: A scenario made to fail
    Given user Zed connects
    Then Zed receives {"message": "nobody says this"} within 0.3 seconds

  @never
  Scenario: A scenario no tag selects
    Given user Nobody connects
"""

# Counts each worker's requests as the master hears them, and what each process leaves behind.
LOCUSTFILE = """\
import json, os, threading

from locust import events
from locust.runners import MasterRunner

from wsitest_steps.load import FeatureUser

OUT = os.environ["TEST_OUT"]


class Chat(FeatureUser):
    features = [os.environ["TEST_FEATURES"]]
    tags = ["@load", "~@never"]
    weights = {"@broken": 1}
    userdata = {"ws_url": os.environ["TEST_WS_URL"]}


requests_by_worker = {}


@events.worker_report.add_listener
def _count(client_id, data, **kwargs):
    stats = data.get("stats", [])
    requests_by_worker[client_id] = requests_by_worker.get(client_id, 0) + sum(s.get("num_requests", 0) for s in stats)


@events.quitting.add_listener
def _left(environment, **kwargs):
    if isinstance(environment.runner, MasterRunner):
        name, found = "master", requests_by_worker
    else:
        readers = [t.name for t in threading.enumerate() if t.name.startswith("wsitest-reader-")]
        name, found = f"worker-{os.getpid()}", {"readers": readers}
    with open(os.path.join(OUT, name + ".json"), "w") as out:
        json.dump(found, out)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def chat_url():
    with chat_server_process() as url:
        yield url


def run_load(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m wsitest_steps.load ARGS`` in ``cwd``; stdout and stderr together in ``.stdout``."""
    return subprocess.run(
        [sys.executable, "-m", "wsitest_steps.load", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=RUN_TIMEOUT,
    )


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as file:
        return list(csv.DictReader(file))


def test_a_feature_runs_as_load_on_a_master_and_two_workers(tmp_path, chat_url):
    project = write_project(tmp_path, FEATURE)
    (project / "locustfile.py").write_text(LOCUSTFILE)
    out = tmp_path / "out"
    out.mkdir()
    env = {
        **os.environ,
        "TEST_OUT": str(out),
        "TEST_FEATURES": str(project / "features" / "test.feature"),
        "TEST_WS_URL": chat_url,
    }
    port = free_port()
    locust = [sys.executable, "-m", "locust", "-f", "locustfile.py"]
    master = subprocess.Popen(
        [
            *locust,
            "--master",
            "--master-bind-host=127.0.0.1",
            f"--master-bind-port={port}",
            "--headless",
            "--expect-workers=2",
            "--users=6",
            "--spawn-rate=6",
            "--run-time=6s",
            "--csv=" + str(tmp_path / "stats"),
            "--html=" + str(tmp_path / "report.html"),
        ],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    workers = [
        subprocess.Popen(
            [*locust, "--worker", "--master-host=127.0.0.1", f"--master-port={port}"],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        output, _ = master.communicate(timeout=RUN_TIMEOUT)
        worker_output = [w.communicate(timeout=RUN_TIMEOUT)[0] for w in workers]
    finally:
        for process in (master, *workers):
            process.kill()
    assert "Traceback" not in output + "".join(worker_output), output + "\n".join(worker_output)

    stats = {(row["Type"], row["Name"]): row for row in rows(tmp_path / "stats_stats.csv")}
    expected = {
        ("connect", "user Rob connects"),
        ("receive", "Rob receives {…} then sends {…}"),
        ("receive", "Rob eventually receives {…}"),
        ("connect", "Rob disconnects"),
        ("connect", "user Zed connects"),
        ("receive", "Zed receives {…} within N seconds"),
        ("step", "whenever Ben receives {…}, Ben replies {…}"),
        ("receive", "Ann eventually receives {…}"),
    }
    assert expected <= set(stats), sorted(stats)
    assert not any("Nobody" in name for _, name in stats), "a scenario the tags leave out ran"
    assert int(stats[("connect", "user Rob connects")]["Request Count"]) > 0
    assert int(stats[("receive", "Rob eventually receives {…}")]["Failure Count"]) == 0
    assert int(stats[("receive", "Ann eventually receives {…}")]["Failure Count"]) == 0, "a standing reply under gevent"

    failures = rows(tmp_path / "stats_failures.csv")
    broken = [f for f in failures if f["Name"] == "Zed receives {…} within N seconds"]
    assert broken, failures
    assert broken[0]["Error"].startswith('Zed did not receive a JSON message matching {"message": "nobody says this"}')
    assert "within 0.3 seconds" in broken[0]["Error"] and "\n\n" not in broken[0]["Error"]

    by_worker = json.loads((out / "master.json").read_text())
    assert len(by_worker) == 2 and all(count > 0 for count in by_worker.values()), by_worker
    left = [json.loads(p.read_text()) for p in out.glob("worker-*.json")]
    assert len(left) == 2 and all(w["readers"] == [] for w in left), (left, [out[-3000:] for out in worker_output])
    assert "Zed receives" in (tmp_path / "report.html").read_text()


def test_the_readme_command_runs_a_feature_as_load_headless(tmp_path, chat_url):
    result = run_load(
        ROOT,
        "features/load.feature",
        "-D",
        f"ws_url={chat_url}",
        "--",
        "--headless",
        "--users=4",
        "--spawn-rate=4",
        "--run-time=3s",
        "--csv=" + str(tmp_path / "readme"),
    )
    assert result.returncode == 0, result.stdout
    stats = {(row["Type"], row["Name"]): row for row in rows(tmp_path / "readme_stats.csv")}
    assert ("receive", "Ben eventually receives {…}") in stats, sorted(stats)
    assert all(row["Failure Count"] == "0" for row in stats.values()), result.stdout


def test_the_command_says_what_is_wrong_with_its_arguments(tmp_path):
    result = run_load(ROOT, "features/nowhere.feature", "--weight", "@chat=many")
    assert result.returncode == 2
    assert "--weight '@chat=many': write a tag and a whole number of at least 1" in result.stdout


def test_a_locust_run_with_an_undefined_step_says_so_once_and_fails(tmp_path):
    project = write_project(tmp_path, "Feature: f\n  Scenario: s\n    Given a step nobody defined\n")
    result = run_load(project, "features", "--", "--headless", "--users=3", "--spawn-rate=3", "--run-time=20s")
    assert result.returncode == 2, result.stdout
    said = "wsitest-steps: The step at features/test.feature:3, Given a step nobody defined, has no step definition"
    assert result.stdout.count(said) == 1, result.stdout
    assert "Traceback" not in result.stdout, result.stdout


def test_an_undefined_step_is_named_before_any_user_runs(tmp_path):
    project = write_project(tmp_path, "Feature: f\n  Scenario: s\n    Given a step nobody defined\n")
    code = textwrap.dedent(
        """
        from wsitest_steps.errors import ConfigurationError
        from wsitest_steps.load.runner import plan
        try:
            plan(["features"])
        except ConfigurationError as exc:
            print(exc)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert "The step at features/test.feature:3, Given a step nobody defined, has no step definition" in result.stdout, (
        result.stdout + result.stderr
    )
