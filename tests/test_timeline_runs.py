"""Multi-actor sentences, noise, strict inboxes and failure diagnostics, as behave prints them."""

import asyncio
import json
import xml.etree.ElementTree as ET

import pytest

from tests.behave_project import failing_first, run_behave, took_seconds, write_project
from tests.conftest import url_of


def run(tmp_path, url, feature, *args):
    project = write_project(tmp_path, feature)
    return project, run_behave(project, "-D", f"ws_url={url}", *args)


def scenario(*steps):
    body = "\n".join(f"    {line}" for line in steps)
    return f"Feature: f\n  Scenario: s\n{body}\n"


def assert_fails_with(result, *expected):
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stdout, result.stdout
    for text in expected:
        assert text in result.stdout, f"{text!r} missing from:\n{result.stdout}"


def test_the_timeline_demo_passes_on_this_behave(chat_server):
    from tests.test_demo_suite import ROOT

    result = run_behave(ROOT, "-D", f"ws_url={chat_server.url}", "features/timeline.feature")
    assert result.returncode == 0, failing_first(result.stdout)
    assert "6 scenarios passed, 0 failed" in result.stdout


def test_everyone_fails_naming_who_missed_it(tmp_path, chat_server):
    _, result = run(
        tmp_path,
        chat_server.url,
        scenario(
            "Given users Alice and Bob connect",
            "When Alice disconnects",
            "And user Carol connects",
            'Then everyone eventually receives {"message": "Alice has connected"} within 0.3 seconds',
        ),
    )
    assert_fails_with(
        result,
        '2 of 2 actors did not receive a JSON message matching {"message": "Alice has connected"} within 0.3 seconds: '
        "Bob, Carol. Received it: none of them.",
        "Carol's transcript (1 frame received, 0 sent)",
    )


def test_named_actors_fail_naming_who_missed_it(tmp_path, chat_server):
    _, result = run(
        tmp_path,
        chat_server.url,
        scenario(
            "Given users Alice and Bob connect",
            'When Alice sends {"message": "Hi"}',
            'Then Alice and Bob receive {"message": "Bob: Hi"} within 0.3 seconds',
        ),
    )
    assert_fails_with(result, "2 of 2 actors did not receive", ": Alice, Bob. Received it: none of them.")


def test_order_between_actors_is_checked(tmp_path, chat_server):
    _, result = run(
        tmp_path,
        chat_server.url,
        scenario(
            "Given user Alice connects",
            'And whenever Alice receives {"message": "Bob has connected"}, Alice replies {"message": "Welcome"}',
            "When user Bob connects",
            # Causal, so the order cannot depend on thread scheduling: Alice read her own arrival
            # before Bob's, answered that, and Bob can only read the welcome after the server has it.
            'Then Bob receives {"message": "Alice: Welcome"} before Alice receives {"message": "Alice has connected"}',
        ),
    )
    assert_fails_with(
        result,
        'Alice received a JSON message matching {"message": "Alice has connected"} (frame #1 at +',
        "before Bob received a JSON message matching",
        "the step expects Bob's first.",
    )


def test_no_one_fails_naming_who_received_it(tmp_path, chat_server):
    _, result = run(
        tmp_path,
        chat_server.url,
        scenario(
            "Given users Alice and Bob connect",
            'When Bob sends {"message": "oops"}',
            'Then no one receives {"message": "Bob: oops"} within 1 second',
        ),
    )
    assert_fails_with(result, 'Alice received a JSON message matching {"message": "Bob: oops"}, which the step forbids')
    assert took_seconds(result.stdout) < 1.0, "a forbidden message fails at once, not at the end of the window"


def test_only_fails_when_someone_else_receives_it(tmp_path, chat_server):
    _, result = run(
        tmp_path,
        chat_server.url,
        scenario(
            "Given users Alice, Bob and Carol connect",
            'When Alice sends {"message": "for everyone"}',
            'Then only Alice and Bob receive {"message": "Alice: for everyone"}',
        ),
    )
    assert_fails_with(
        result,
        'Only Alice and Bob should receive a JSON message matching {"message": "Alice: for everyone"}, but:',
        "Carol received a JSON message matching",
    )


def test_ignored_messages_never_match_and_show_as_ignored(tmp_path, chat_server):
    _, result = run(
        tmp_path,
        chat_server.url,
        scenario(
            'Given messages matching {"message": "Rob has connected"} are ignored',
            "And user Rob connects",
            'Then Rob eventually receives {"message": "Rob has connected"} within 0.3 seconds',
        ),
        "-D",
        "ws_late_window=0",
    )
    assert_fails_with(
        result,
        'Rob did not receive a JSON message matching {"message": "Rob has connected"} within 0.3 seconds',
        'ignored: messages matching {"message": "Rob has connected"} are ignored',
    )


def test_no_unread_messages_lists_them(tmp_path, chat_server):
    _, result = run(
        tmp_path,
        chat_server.url,
        scenario(
            "Given user Rob connects",
            'When Rob sends {"message": "one"}',
            'Then Rob eventually receives {"message": "Rob: one"}',
            "And Rob has no unread messages",
        ),
    )
    assert_fails_with(
        result,
        "Rob has 1 message that no step used (#1); the step expects none.",
        'text: {"message": "Rob has connected", "user": "Rob"}',
        "not used by any step",
    )


STRICT_FEATURE = """
Feature: f
  Scenario: an unread message
    Given user Rob connects
    When Rob sends {"message": "one"}
    Then Rob eventually receives {"message": "Rob: one"}

  Scenario: a clean one
    Given user Ann connects
    Then Ann eventually receives {"message": "Ann has connected"}
"""


def test_strict_mode_fails_the_last_step_of_a_scenario_with_unread_messages(tmp_path, chat_server):
    project, result = run(
        tmp_path, chat_server.url, STRICT_FEATURE, "-D", "ws_strict=fail", "--junit", "--junit-directory", "reports"
    )
    assert_fails_with(
        result,
        "Strict mode (ws_strict): messages arrived that no step used.",
        "Rob has 1 unread (#1):",
        'text: {"message": "Rob has connected", "user": "Rob"}',
    )
    assert "1 scenario passed, 1 failed" in result.stdout
    failure = ET.parse(project / "reports" / "TESTS-test.xml").getroot().find("./testcase/failure")
    assert "Rob has 1 unread (#1):" in failure.text


def test_strict_warn_mode_reports_without_failing(tmp_path, chat_server):
    _, result = run(tmp_path, chat_server.url, STRICT_FEATURE, "-D", "ws_strict=warn")
    assert result.returncode == 0, failing_first(result.stdout)
    assert "wsitest-steps warning: Strict mode (ws_strict): messages arrived that no step used." in result.stdout


def test_strict_mode_also_checks_scenarios_ending_in_a_custom_step(tmp_path, chat_server):
    project = write_project(
        tmp_path,
        scenario(
            "Given user Rob connects",
            'When Rob sends {"message": "one"}',
            # The server sent "Rob has connected" before this, so it has arrived, unread.
            'Then Rob eventually receives {"message": "Rob: one"}',
            "And my own step passes",
        ),
        extra_steps='\nfrom behave import then\n\n@then("my own step passes")\ndef step_mine(context):\n    pass\n',
    )
    result = run_behave(project, "-D", f"ws_url={chat_server.url}", "-D", "ws_strict=fail")
    assert result.returncode == 1, result.stdout
    assert "Rob has 1 unread (#1):" in result.stdout


def test_near_misses_come_first_with_a_field_by_field_diff(tmp_path, serve):
    async def three_orders(connection):
        await connection.send(json.dumps({"type": "order", "id": 1, "status": "open", "qty": 5}))
        await connection.send("not json at all")
        await connection.send(json.dumps({"type": "order", "id": 2, "status": "filled", "qty": 4}))
        await connection.send(json.dumps({"type": "trade", "id": 9}))
        await connection.wait_closed()

    _, result = run(
        tmp_path,
        url_of(serve(three_orders)),
        scenario(
            "Given user Rob connects",
            'Then Rob eventually receives {"type": "order", "id": 2, "status": "filled", "qty": 5} within 0.3 seconds',
        ),
    )
    assert_fails_with(result, "Closest to what was expected:")
    closest = result.stdout.split("Closest to what was expected:")[1].split("transcript (4 frames received")[0]
    lines = [line.strip() for line in closest.strip().splitlines()]
    assert lines[0].startswith("#3 at +")
    assert lines[0].endswith('differs in 1 place: {"type": "order", "id": 2, "status": "filled", "qty": 4}')
    assert lines[1] == "$.qty was 4, expected 5"
    assert lines[2].startswith("#1 at +") and lines[2].endswith(
        'differs in 2 places: {"type": "order", "id": 1, "status": "open", "qty": 5}'
    )
    assert lines[3:5] == ["$.id was 1, expected 2", '$.status was "open", expected "filled"']
    assert lines[5].startswith("#4 at +") and lines[5].endswith('differs in 4 places: {"type": "trade", "id": 9}')
    assert lines[6:10] == [
        '$.type was "trade", expected "order"',
        "$.id was 9, expected 2",
        '$.status is missing, expected "filled"',
        "$.qty is missing, expected 5",
    ]
    assert "not json at all" not in closest


def test_a_late_arrival_is_reported_as_slow_not_wrong(tmp_path, serve):
    async def slow_reply(connection):
        await connection.recv()
        await asyncio.sleep(0.3)  # the system under test is slow: that is what this test is about
        await connection.send(json.dumps({"status": "done"}))
        await connection.wait_closed()

    _, result = run(
        tmp_path,
        url_of(serve(slow_reply)),
        scenario(
            "Given user Rob connects",
            'When Rob sends {"go": true}',
            'Then Rob eventually receives {"status": "done"} within 0.1 seconds',
        ),
        "-D",
        "ws_late_window=2",
    )
    assert_fails_with(result, "A matching frame, #1, arrived 0.", "s after the deadline: the system is slow rather than wrong.")
    assert took_seconds(result.stdout) < 2.0, "the late window ends as soon as the late frame arrives"


def test_no_late_arrival_is_said_too(tmp_path, chat_server):
    _, result = run(
        tmp_path,
        chat_server.url,
        scenario("Given user Rob connects", 'Then Rob eventually receives {"message": "never"} within 0.5 seconds'),
    )
    assert_fails_with(result, "Nothing matching arrived in the 0.1s after the deadline either (ws_late_window).")


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_an_unknown_strict_mode_is_explained(tmp_path, chat_server, value):
    _, result = run(tmp_path, chat_server.url, scenario("Given user Rob connects"), "-D", f"ws_strict={value}")
    assert_fails_with(result, f"The ws_strict setting is {value!r}; use off, warn or fail (true means fail).")


def test_an_actors_own_noise_rule_applies_to_that_actor_only(tmp_path, chat_server):
    _, result = run(
        tmp_path,
        chat_server.url,
        scenario(
            "Given user Ann connects",
            'And Ann ignores messages matching {"message": "Rob has connected"}',
            "And user Rob connects",
            'Then Rob eventually receives {"message": "Rob has connected"}',
            'And Ann eventually receives {"message": "Rob has connected"} within 0.3 seconds',
        ),
        "-D",
        "ws_late_window=0",
    )
    assert_fails_with(
        result,
        'Ann did not receive a JSON message matching {"message": "Rob has connected"} within 0.3 seconds',
        'ignored: Ann ignores messages matching {"message": "Rob has connected"}',
        "4 steps passed, 1 failed",
    )
