"""Nothing leaks and nothing chokes: 1,000 scenarios in one run, 500 actors in one scenario, a flood of 100,000 frames."""

import gc
import json
import os
import time
import weakref

import pytest

from chat_server_fixture.protocol_server import ProtocolServer
from tests.behave_project import chat_server_process, run_behave, write_project
from wsitest_steps import Actor, Cast, ExpectationFailed, Settings, StepInput, expectation
from wsitest_steps.connection import threads
from wsitest_steps.matching.json import json_message

# Load, fuzzing and parallel runs take the longest: tox runs them in the "heavy" and "behave126"
# environments, not in every one.
pytestmark = pytest.mark.heavy


@pytest.fixture
def chat_process():
    """The chat server in a process of its own, so only the client's sockets are in behave's process."""
    with chat_server_process() as url:
        yield url


# Measures, in behave's own process, what the library holds: threads, sockets, and the memory
# allocated by the library and its dependencies (tracemalloc), sampled as scenarios go by.
MEASURING_ENVIRONMENT = """
import gc, json, os, threading, tracemalloc
from wsitest_steps.connection import threads

WATCHED = ("wsitest_steps", "websocket", "hamcrest", "jsonpath", "jsonschema", "drawsvg")


def open_sockets():
    found = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            found += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except FileNotFoundError:
            pass
    return found


def library_bytes():
    gc.collect()
    snapshot = tracemalloc.take_snapshot()
    return sum(stat.size for stat in snapshot.statistics("filename") if any(w in stat.traceback[0].filename for w in WATCHED))


# One dict made in before_all: attributes set in a scenario's hooks would vanish with its layer.
MEASURES = {"samples": {}, "count": 0}


def parked():
    return [t for t in threading.enumerate() if t.name == threads.IDLE_NAME]


def before_all(context):
    tracemalloc.start()
    MEASURES["threads_before"] = threading.active_count()


def after_scenario(context, scenario):
    MEASURES["count"] += 1
    if MEASURES["count"] in (100, 200, 400, 600, 800, 1000):
        MEASURES["samples"][MEASURES["count"]] = library_bytes()


def after_all(context):
    # Cleanups of the last scenario have run by now.
    result = {
        "samples": MEASURES["samples"],
        "threads": [t.name for t in threading.enumerate()],
        # A reader thread parks for the next connection once its own ends (connection/threads.py).
        "extra_threads": threading.active_count() - MEASURES["threads_before"] - len(parked()),
        "parked": len(parked()),
        "sockets": open_sockets(),
        "scenarios": MEASURES["count"],
    }
    with open("measures.json", "w") as out:
        json.dump(result, out)
"""

ONE_THOUSAND = """
Feature: A thousand scenarios
  Scenario Outline: user <n> says hello and leaves
    Given user u<n> connects
    When u<n> sends {"message": "hello <n>"}
    Then u<n> eventually receives {"message": "u<n>: hello <n>"}
    When u<n> disconnects

    Examples:
      | n |
"""


def test_a_thousand_scenarios_leave_no_thread_socket_or_growing_memory(tmp_path, chat_process):
    feature = ONE_THOUSAND + "".join(f"      | {n} |\n" for n in range(1000))
    project = write_project(tmp_path, feature, environment=MEASURING_ENVIRONMENT)
    started = time.monotonic()
    result = run_behave(project, "-D", f"ws_url={chat_process}&quiet=1", "-f", "progress")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1000 scenarios passed, 0 failed" in result.stdout
    measures = json.loads((project / "measures.json").read_text())
    assert measures["scenarios"] == 1000
    assert measures["extra_threads"] == 0, measures["threads"]
    assert 1 <= measures["parked"] <= threads.KEPT, measures["threads"]
    assert measures["sockets"] == 0
    samples = {int(k): v for k, v in measures["samples"].items()}
    # What the library holds after 1,000 scenarios is what it held after 200, give or take caches
    # filling up (compiled paths, imports): no per-scenario leak.
    growth = samples[1000] - samples[200]
    assert growth < 200_000, samples
    print(f"1000 scenarios in {time.monotonic() - started:.1f}s; library memory by scenario: {samples}")


FIVE_HUNDRED = """
import threading
from wsitest_steps.connection import threads
from behave import given, then
from wsitest_steps.integration.context import cast_of

@given("{count:d} users connect")
def step_many_connect(context, count):
    cast = cast_of(context)
    for n in range(count):
        cast.connect(f"u{n}")

@then("no reader thread is left")
def step_no_reader_left(context):
    alive = [t.name for t in threading.enumerate() if t.name.startswith("wsitest-reader-")]
    assert not alive, alive
    parked = [t.name for t in threading.enumerate() if t.name == threads.IDLE_NAME]
    assert len(parked) <= threads.KEPT, f"{len(parked)} parked reader threads"
"""


def test_five_hundred_actors_connect_all_hear_one_broadcast_and_all_close(tmp_path, chat_process):
    project = write_project(
        tmp_path,
        """
    Feature: A crowd
      Scenario: five hundred actors
        Given 500 users connect
        When u0 sends {"message": "to everyone"}
        Then everyone eventually receives {"message": "u0: to everyone"} within 60 seconds
        When everyone disconnects

      Scenario: nothing is left
        Then no reader thread is left
    """,
        extra_steps=FIVE_HUNDRED,
    )
    result = run_behave(project, "-D", f"ws_url={chat_process}&quiet=1", "-D", "ws_connect_timeout=30")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 scenarios passed, 0 failed" in result.stdout


def resident_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_a_flood_of_100000_frames_is_held_compactly_and_the_last_one_found():
    with ProtocolServer() as server:
        rob = Actor("Rob")
        try:
            before = resident_bytes()
            rob.connect(server.url("/flood?count=100000"))
            last = rob.expect(json_message({"done": True}), 60)
            held = resident_bytes() - before
            assert last.index == 100_001
            # Memory is what was received: 100,001 frames of about 12 bytes each, in Frame objects
            # with their decoded JSON (the resident size also counts the server's side, in this process).
            assert held < 100_001 * 1_000, held
            # How fast is benchmarks' business (the 200,000-frame flood row of docs/benchmarks.md).
            # A failure after a flood keeps its report readable in size.
            with pytest.raises(ExpectationFailed) as failure:
                rob.expect(json_message({"never": True}), 0.1)
            report = str(failure.value)
            assert len(report) < 60_000, len(report)
            assert "entries not shown (" in report and "#100001 received text" in report
        finally:
            rob.close()


def test_a_closed_actor_and_its_frames_are_freed_without_waiting_for_the_garbage_collector():
    # Reference cycles would keep every frame (a 64 MiB one too) until the next collection.
    with ProtocolServer() as server:
        cast = Cast(Settings(url_template=server.url("/big?bytes=1000000")))
        gc.disable()
        try:
            rob = cast.connect("Rob")
            rob.expect(expectation("a binary message of 1000000 bytes", StepInput("Then Rob receives a binary message")), 10)
            cast.close_all()
            inbox, actor = weakref.ref(rob.inbox), weakref.ref(rob)
            del rob, cast
            assert actor() is None and inbox() is None, "a reference cycle keeps the closed actor alive"
        finally:
            gc.enable()
