"""The protocol sentences (Socket.IO, GraphQL) as behave prints them when they fail, against the demo's real servers.

The passing cases are the demo features (features/socketio.feature, features/graphql.feature),
run by tests/test_demo_suite.py; here every sentence fails once, in one behave run, and each
failure must read as one paragraph naming the actor, the step and what came instead.
"""

import pytest

from tests.behave_project import (
    assert_each_scenario_failed,
    failing_first,
    failure_of,
    junit_outcomes,
    run_behave,
    userdata_args,
    write_project,
)

FAILING = """\
Feature: protocol sentences that fail
  Scenario: an event that never comes
    Given user Alice connects to the live endpoint
    When Alice emits "chat" with {"text": "hi"}
    Then Alice receives the event "chat" with {"text": "bye"} within 0.3 seconds

  Scenario: an acknowledgement with another answer
    Given user Alice connects to the live endpoint
    When Alice emits "join" with {"room": "lobby"}
    Then Alice's "join" is acknowledged with {"ok": false} within 0.5 seconds

  Scenario: an acknowledgement of an event never emitted
    Given user Alice connects to the live endpoint
    Then Alice's "join" is acknowledged

  Scenario: acknowledging a question never asked
    Given user Alice connects to the live endpoint
    When Alice acknowledges "question" with 42

  Scenario: a refusal that does not come
    Then connecting as Ada to the live endpoint with the namespace "/admin" and the auth {"token": "admin-secret"} is refused

  Scenario: a refusal with another payload
    Then connecting as Eve to the live endpoint with the namespace "/admin" is refused with {"message": "Go away"}

  Scenario: a handshake refused where a connection was expected
    Given user Mallory connects to the live endpoint with the namespace "/admin"

  Scenario: a subscription result that never comes
    Given user Gus connects to the graphql endpoint
    When Gus subscribes to "subscription { count(to: 2) }" as counter
    Then Gus receives {"count": 5} from counter within 0.5 seconds

  Scenario: a completion that never comes
    Given user Gus connects to the graphql endpoint
    When Gus subscribes to "subscription { echo(text: \\"x\\") }" as echo
    Then Gus receives {"echo": "x"} from echo
    When Gus subscribes to "subscription { count(to: 100000) }" as many
    Then many completes within 0.01 seconds

  Scenario: a label nobody subscribed under
    Given user Gus connects to the graphql endpoint
    Then nobody completes

  Scenario: a Socket.IO sentence on a GraphQL connection
    Given user Gus connects to the graphql endpoint
    When Gus emits "chat" with {"text": "hi"}

  Scenario: a protocol nobody knows
    Given user Zed connects with Carrier-Pigeon

  Scenario: a subscription that is not stopped goes on
    Given user Gus connects to the graphql endpoint
    When Gus subscribes to "subscription { tick(every: 0.2) }" as clock
    Then Gus does not receive {"tick": 2} from clock within 1 second

  Scenario: a subscription that fails otherwise
    Given user Gus connects to the graphql endpoint
    When Gus subscribes to "subscription { nope }" as nope
    Then nope fails with [{"message": "something else"}] within 0.5 seconds

  Scenario: unsubscribing from a label nobody subscribed under
    Given user Gus connects to the graphql endpoint
    When Gus unsubscribes from nothing

  Scenario: an attachment with other bytes
    Given user Alice connects to the live endpoint
    When Alice emits "download"
    Then Alice receives the event "file" with the attachment 00 02 within 0.5 seconds

  Scenario: a connection that does not end
    Given user Alice connects to the live endpoint
    Then Alice's connection ends within 0.3 seconds

  Scenario: a GraphQL refusal where a connection was expected
    Given user Mallory connects to the graphql endpoint with the auth {"token": "wrong"}

  Scenario: GraphQL variables without a query
    When Alice requests POST {userdata.graphql_http} with the variables {"a": 1}

  Scenario: a GraphQL query that is not quoted
    When Alice requests POST {userdata.graphql_http} with the query { hello }
"""


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory, demo_servers):
    project = write_project(tmp_path_factory.mktemp("protocols"), FAILING)
    # A default deadline of one second, not five: the one scenario that waits it out fails sooner.
    userdata = userdata_args(demo_servers.userdata())
    result = run_behave(project, *userdata, "-D", "ws_timeout=1", "--junit", "--junit-directory", "reports")
    return result, junit_outcomes(project)


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        (
            "an event that never comes",
            [
                'Alice did not receive the event "chat" with {"text": "bye"} within 0.3 seconds',
                'Step: Alice receives the event "chat" with {"text": "bye"} within 0.3 seconds',
                'received Socket.IO event "chat": {"user": "Alice", "text": "hi"}',
                'not a match: $.text was "hi", expected "bye"',
            ],
        ),
        (
            "an acknowledgement with another answer",
            [
                'Alice did not receive an acknowledgement of Alice\'s "join" with {"ok": false} within 0.5 seconds',
                'received Socket.IO ack "join" #1: {"ok": true, "room": "lobby"}',
            ],
        ),
        ("an acknowledgement of an event never emitted", ['Alice never emitted "join"', "nothing can acknowledge it"]),
        (
            "acknowledging a question never asked",
            ['Alice did not receive the event "question" asking for an acknowledgement within 1 second'],
        ),
        ("a refusal that does not come", ["Connecting as Ada", "was to be refused, but the server accepted the handshake"]),
        (
            "a refusal with another payload",
            ['Connecting as Eve was refused, but not with {"message": "Go away"}', '"message": "Not authorized"'],
        ),
        (
            "a handshake refused where a connection was expected",
            ["Mallory opened a websocket to", "the server refused Socket.IO's handshake: Not authorized", '"hint"'],
        ),
        (
            "a subscription result that never comes",
            [
                'Gus did not receive a JSON message matching {"count": 5} from counter within 0.5 seconds',
                'received GraphQL next #1 on counter: {"count": 1}',
                "received GraphQL complete #1 on counter",
            ],
        ),
        ("a completion that never comes", ["Gus did not receive the completion of many within 0.01 seconds"]),
        ("a label nobody subscribed under", ["No subscription is labelled nobody", "labels: none yet"]),
        ("a Socket.IO sentence on a GraphQL connection", ["Gus speaks GraphQL, so it cannot do this", "connects with Socket.IO"]),
        ("a protocol nobody knows", ["Cannot read 'Carrier-Pigeon'", "A protocol may come first", "socketio (Socket.IO)"]),
        (
            "a subscription that is not stopped goes on",
            ['Gus received a JSON message matching {"tick": 2} from clock, which the step forbids'],
        ),
        (
            "a subscription that fails otherwise",
            [
                'Gus did not receive an error of nope: [{"message": "something else"}] within 0.5 seconds',
                'received GraphQL error #1 on nope: [{"message": "Cannot query field \'nope\'',
            ],
        ),
        ("unsubscribing from a label nobody subscribed under", ["No subscription is labelled nothing"]),
        (
            "an attachment with other bytes",
            [
                'Alice did not receive the event "file" with the attachment <2 bytes> 00 02 within 0.5 seconds',
                "not a match: carried <3 bytes> 00 01 ff",
            ],
        ),
        ("a connection that does not end", ["Alice's connection did not end within 0.3 seconds: it is still open."]),
        (
            "a GraphQL refusal where a connection was expected",
            ["Mallory opened a websocket to", "the server refused GraphQL's handshake", "4403 (forbidden)"],
        ),
        ("GraphQL variables without a query", ['GraphQL variables need a query too, e.g. with the query "{ hello }"']),
        ("a GraphQL query that is not quoted", ["Cannot use 'the query { hello }'", "the query goes in double quotes"]),
    ],
)
def test_each_protocol_sentence_fails_in_words(failing_run, scenario, expected):
    text = failure_of(failing_run, scenario)
    for piece in expected:
        assert piece in text, f"{piece!r} missing from:\n{text}"


def test_the_whole_run_failed_scenario_by_scenario(failing_run):
    assert_each_scenario_failed(failing_run, FAILING)


def test_raw_text_frames_match_a_prefix_and_json_and_remember_with_a_pattern(tmp_path, demo_servers):
    raw = demo_servers.apps.url("/socket.io/?name=Rob&EIO=4&transport=websocket")
    feature = f"""\
Feature: Socket.IO written by hand
  Scenario: the handshake, frame by frame
    Given user Rob connects to "{raw}"
    When Rob receives a text message of the prefix "0" and the JSON {{"sid": "<any string>", "pingInterval": 1000}}
    And Rob remembers /"sid":"([^"]+)"/ from that message as engine_sid
    And Rob sends the text "40"
    Then Rob eventually receives a text message of the prefix "40" and the JSON {{"sid": "<any string>"}}
    When Rob sends the text "42[\\"chat\\",{{\\"text\\":\\"{{engine_sid}}\\"}}]"
    Then Rob eventually receives a text message of the prefix "42" and the JSON ["chat", {{"user": "Rob", "text": "{{engine_sid}}"}}]

  Scenario: a prefix or JSON that does not match
    Given user Rob connects to "{raw}"
    Then Rob receives a text message of the prefix "42" and the JSON ["chat"] within 0.3 seconds

  Scenario: a pattern that finds nothing
    Given user Rob connects to "{raw}"
    When Rob receives a text message
    And Rob remembers /"nothing":(\\d+)/ from that message as nothing
"""
    project = write_project(tmp_path, feature)
    result = run_behave(project, "--junit", "--junit-directory", "reports")
    outcomes = junit_outcomes(project)
    assert "Traceback" not in result.stdout, result.stdout
    assert outcomes["the handshake, frame by frame"] is None, result.stdout
    mismatch = outcomes["a prefix or JSON that does not match"]
    assert 'did not receive a text message of the prefix "42" and the JSON ["chat"] within 0.3 seconds' in mismatch
    assert 'not a match: did not start with "42": 0{"sid":' in mismatch
    assert '/"nothing":(\\d+)/ finds nothing in Rob\'s message #1' in outcomes["a pattern that finds nothing"]


def test_the_raw_frame_sentences_work_unchanged_on_socketio_events(tmp_path, demo_servers):
    feature = """\
Feature: the existing sentences over Socket.IO
  Scenario: counts, only, before, noise, remembering and strict inboxes on decoded events
    Given messages matching the event "joined" are ignored
    And users Alice and Bob connect to the live endpoint
    When Alice emits "chat" with {"text": "one"}
    And Alice emits "chat" with {"text": "two"}
    Then Bob receives exactly 2 messages matching the event "chat" with {"user": "Alice"}
    And Alice receives {"text": "one"}
    And Alice remembers $.text from that message as first
    And Alice receives {"text": "two"}
    When Carol connects to the live endpoint
    And Carol emits "chat" with {"text": "{first} again"}
    Then only Alice, Bob and Carol receive {"text": "one again"}
    And Alice has no unread messages
    And Bob has no unread messages
    And Carol has no unread messages
"""
    project = write_project(tmp_path, feature)
    result = run_behave(project, *userdata_args(demo_servers.userdata()), "-D", "ws_strict=fail")
    assert result.returncode == 0, failing_first(result.stdout)

    strict = write_project(tmp_path / "strict", "Feature: f\n  Scenario: s\n    Given user Alice connects to the live endpoint\n")
    result = run_behave(strict, *userdata_args(demo_servers.userdata()), "-D", "ws_strict=fail")
    assert result.returncode == 1, result.stdout
    # Only the event is unread: the open and connect packets are the protocol's own.
    assert "Alice has 1 unread (#2):" in result.stdout
    assert '#2 received Socket.IO event "joined": {"user": "Alice"}\n' in result.stdout
