"""The STOMP sentences as behave prints them when they fail, against a real RabbitMQ web-STOMP broker.

The passing cases are features/stomp.feature, run by tests/test_demo_suite.py (and by
test_the_stomp_feature_passes_against_the_broker below); here every sentence fails once, in one
behave run, and each failure must read as one paragraph naming the actor, the step and what came
instead.
"""

import os
import subprocess
import sys
import textwrap

import pytest

from tests.behave_project import (
    RUN_TIMEOUT,
    assert_each_scenario_failed,
    failing_first,
    failure_of,
    junit_outcomes,
    run_behave,
    userdata_args,
    write_project,
)
from tests.test_demo_suite import ROOT

FAILING = """\
Feature: STOMP sentences that fail
  Background:
    Given users Alice and Bob connect to the broker endpoint
    And Bob subscribes to "/topic/chat"

  Scenario: a body that does not match
    When Alice publishes {"text": "hi"} to "/topic/chat"
    Then Bob receives {"text": "bye"} from "/topic/chat" within 0.5 seconds

  Scenario: a message from another destination
    When Alice publishes {"text": "hi"} to "/topic/chat"
    Then Bob receives {"text": "hi"} from "/topic/other" within 0.5 seconds

  Scenario: headers that do not match
    When Alice publishes {"text": "hi"} to "/topic/chat" with the headers {"priority": "3"}
    Then Bob receives {"text": "hi"} from "/topic/chat" with the headers {"priority": "9"} within 0.5 seconds

  Scenario: a confirmation of a message never published
    Then the broker confirms Alice's message to "/topic/chat"

  Scenario: an error that never comes
    When Alice publishes {"text": "hi"} to "/topic/chat"
    Then Alice receives an error from the broker within 0.5 seconds

  Scenario: an error that says something else
    When Alice publishes {"text": "hi"} to "/nowhere/at/all"
    Then Alice receives an error from the broker containing "out of paper"

  Scenario: an error while a step waits
    When Alice subscribes to "/topic/news"
    And Alice publishes {"text": "hi"} to "/nowhere/at/all"
    Then Alice receives {"text": "hi"} from "/topic/news" within 5 seconds

  Scenario: a second subscription to the same destination
    When Bob subscribes to "/topic/chat"

  Scenario: unsubscribing from a destination never subscribed to
    When Alice unsubscribes from "/topic/chat"

  Scenario: a GraphQL subscription without a label
    Given user Gus connects to the graphql endpoint
    When Gus subscribes to "subscription { count(to: 2) }"

  Scenario: publishing on a Socket.IO connection
    Given user Carol connects to the live endpoint
    When Carol publishes {"text": "hi"} to "/topic/chat"

  Scenario: a wrong passcode where a connection was expected
    Given user Mallory connects to the broker endpoint with the auth {"login": "guest", "passcode": "not-the-passcode"}

  Scenario: a refusal that does not come
    Then connecting as Ada to the broker endpoint with the auth {"login": "guest", "passcode": "guest"} is refused

  Scenario: a client that keeps beating is not dropped
    Given user Dora connects to the broker endpoint with the auth {"heart-beat": "1000,0"}
    Then Dora's connection ends within 3 seconds
"""


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory, demo_servers, stomp_broker):
    project = write_project(tmp_path_factory.mktemp("stomp"), FAILING)
    userdata = {**demo_servers.userdata(), "ws_url.broker": stomp_broker.url, "ws_protocol.broker": "stomp"}
    result = run_behave(project, *userdata_args(userdata), "--junit", "--junit-directory", "reports")
    return result, junit_outcomes(project)


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        (
            "a body that does not match",
            [
                'Bob did not receive a JSON message matching {"text": "bye"} from "/topic/chat" within 0.5 seconds',
                'Step: Bob receives {"text": "bye"} from "/topic/chat" within 0.5 seconds',
                "received STOMP MESSAGE #T_sub-1@@session-",
                'not a match: $.text was "hi", expected "bye"',
            ],
        ),
        ("a message from another destination", ['not a match: came from "/topic/chat", not "/topic/other"']),
        ("headers that do not match", ['not a match: had headers where $.priority was "3", expected "9"']),
        (
            "a confirmation of a message never published",
            ['Alice never published to "/topic/chat" (step: the broker confirms Alice\'s message to "/topic/chat")'],
        ),
        (
            "an error that never comes",
            [
                "Alice did not receive an ERROR from the broker within 0.5 seconds",
                "received STOMP RECEIPT #send-1 (receipt-id: send-1) (the protocol's own)",
            ],
        ),
        (
            "an error that says something else",
            ['an ERROR from the broker containing "out of paper"', "the broker sent an ERROR: ", "nowhere"],
        ),
        (
            "an error while a step waits",
            [
                "Alice's connection was closed by the server",
                "the broker sent an ERROR: Unknown destination ('/nowhere/at/all' is not a valid destination",
            ],
        ),
        (
            "a second subscription to the same destination",
            ["Bob cannot subscribe", 'there is already a subscription to "/topic/chat"'],
        ),
        (
            "unsubscribing from a destination never subscribed to",
            ["Alice cannot unsubscribe", 'there is no subscription to "/topic/chat" (subscriptions: none)'],
        ),
        ("a GraphQL subscription without a label", ["Gus's subscription needs a label", "as counter"]),
        ("publishing on a Socket.IO connection", ["Carol speaks Socket.IO, so it cannot do this", "connects with STOMP"]),
        (
            "a wrong passcode where a connection was expected",
            ["Mallory opened a websocket to", "the server refused STOMP's handshake: Bad CONNECT", "Access refused"],
        ),
        ("a refusal that does not come", ["Connecting as Ada", "was to be refused, but the server accepted the handshake"]),
        (
            "a client that keeps beating is not dropped",
            ["Dora's connection did not end within 3 seconds: it is still open.", "sent STOMP heart-beat (by the protocol)"],
        ),
    ],
)
def test_each_stomp_sentence_fails_in_words(failing_run, scenario, expected):
    text = failure_of(failing_run, scenario)
    for piece in expected:
        assert piece in text, f"{piece!r} missing from:\n{text}"
    if scenario == "an error while a step waits":
        # The broker's ERROR may come before the waiting step starts or during its wait: either way
        # the step ends at once, never at its 5-second deadline.
        assert "did not receive" not in text, text


def test_the_whole_run_failed_scenario_by_scenario_and_no_passcode_shows(failing_run):
    assert_each_scenario_failed(failing_run, FAILING)
    _, outcomes = failing_run
    # behave echoes the feature file's own line ("Failing step: ..."); all the library writes masks the passcode.
    whole = outcomes["a wrong passcode where a connection was expected"]
    refused = whole[whole.index("Mallory opened a websocket") :]
    assert "not-the-passcode" not in refused and "passcode: ***" in refused, refused


def test_the_stomp_feature_passes_against_the_broker(stomp_broker):
    result = run_behave(ROOT, "-D", f"ws_url.broker={stomp_broker.url}", "features/stomp.feature")
    assert result.returncode == 0, failing_first(result.stdout)
    assert "0 failed" in result.stdout and "0 skipped" in result.stdout, result.stdout


def _run_without_erlang(ci: bool):
    # Erlang off the PATH: RabbitMQ cannot run, as on a machine without the package.
    env = {k: v for k, v in os.environ.items() if k != "WSITEST_CI"}
    env["PATH"] = os.path.dirname(sys.executable)
    if ci:
        env["WSITEST_CI"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "behave", "--no-color", "features/stomp.feature"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=RUN_TIMEOUT,
    )


def test_without_a_broker_the_stomp_feature_is_skipped_saying_why():
    result = _run_without_erlang(ci=False)
    assert result.returncode == 0, failing_first(result.stdout)
    assert "Skipping features/stomp.feature: RabbitMQ is not installed here" in result.stdout, result.stdout
    assert "-D ws_url.broker" in result.stdout
    assert "0 features passed, 0 failed, 1 skipped" in result.stdout, result.stdout


def test_without_a_broker_under_wsitest_ci_the_stomp_feature_fails():
    result = _run_without_erlang(ci=True)
    assert result.returncode != 0, result.stdout
    assert "RabbitMQ is not installed here" in result.stdout, result.stdout


def test_the_readme_stomp_example_passes_against_the_broker(tmp_path, demo_servers, stomp_broker):
    from tests.test_readme import code_blocks

    scenario = next(block for block in code_blocks("gherkin") if "STOMP broker" in block)
    project = write_project(tmp_path, "Feature: the README's STOMP example\n" + textwrap.indent(scenario, "  "))
    userdata = {"ws_url.broker": stomp_broker.url, "ws_protocol.broker": "stomp"}
    result = run_behave(project, *userdata_args(userdata))
    assert result.returncode == 0, failing_first(result.stdout)
    assert "1 scenario passed, 0 failed" in result.stdout, result.stdout


def test_the_broker_drops_a_client_that_stops_sending_heart_beats(tmp_path, stomp_broker):
    # Seconds long (RabbitMQ's shortest heart-beat is 1 s, and it waits for two), so it runs here
    # once rather than in every run of the demo suite. Its failing twin is "a client that keeps
    # beating is not dropped" above: the same client, still beating, is still connected.
    project = write_project(
        tmp_path,
        """\
        Feature: heart-beats
          Scenario: The broker drops a client that stops sending heart-beats
            Given user Alice connects to the broker endpoint with the auth {"heart-beat": "1000,0"}
            When Alice stops answering heartbeats
            Then Alice's connection ends within 8 seconds
        """,
    )
    result = run_behave(project, "-D", f"ws_url.broker={stomp_broker.url}", "-D", "ws_protocol.broker=stomp")
    assert result.returncode == 0, failing_first(result.stdout)
    assert "1 scenario passed" in result.stdout, result.stdout
