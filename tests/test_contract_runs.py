"""AsyncAPI contracts in real behave runs: what a failure prints, the coverage summary, the real servers.

A scenario names the document (or ``ws_asyncapi`` names it for every scenario); every message
either way is then held to it. The failures here come from real servers: the demo chat, the
demo's scripted path sending a message outside its document, a local server speaking the
AsyncAPI project's own Gemini document, python-socketio and a RabbitMQ broker.
"""

import json
import shutil
import textwrap
from pathlib import Path
from urllib.parse import quote

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
from tests.test_demo_suite import ROOT

DATA = Path(__file__).parent / "data"
CHAT = ROOT / "features" / "contracts" / "chat.asyncapi.yaml"

FAILING = """\
Feature: contract sentences that fail
  Scenario: a received message outside the document fails the step that waited for it
    Given the AsyncAPI document "scripted.asyncapi.yaml"
    And user Rob connects to "{say_bad}"
    Then Rob receives {{"greeting": 1}}

  Scenario: a message outside the document fails the next step even when another was awaited
    Given the AsyncAPI document "scripted.asyncapi.yaml"
    And user Rob connects to "{say_bad_then_good}"
    Then Rob receives {{"greeting": "hi"}}

  Scenario: a message outside the document is not sent
    Given the AsyncAPI document "chat.asyncapi.yaml"
    And user Alice connects
    When Alice sends {{"text": "hi"}}

  Scenario: a message of the document that does not come
    Given the AsyncAPI document "chat.asyncapi.yaml"
    And user Alice connects
    Then Alice receives a "UserLeft" message within 0.3 seconds

  Scenario: a message the document does not have
    Given the AsyncAPI document "chat.asyncapi.yaml"
    And user Alice connects
    Then Alice receives a "Nope" message

  Scenario: an example the document does not give
    Given the AsyncAPI document "chat.asyncapi.yaml"
    And user Alice connects
    When Alice sends the example of "UserJoined"

  Scenario: a message that broke the document but no step read
    Given the AsyncAPI document "scripted.asyncapi.yaml"
    And user Rob connects to "{say_bad}"
    # The server's message comes before its answer to the close: once disconnected, Rob has read it.
    When Rob disconnects
    Then every message in this scenario conformed to the document

  Scenario: no document in use
    Then every message in this scenario conformed to the document

  Scenario: a document that is not there
    Given the AsyncAPI document "missing.yaml"

  Scenario: a channel's parameter that no step fills
    Given the AsyncAPI document "gemini-3.yml"
    And user Rob connects to the marketDataV1 endpoint
"""


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory, demo_servers):
    root = tmp_path_factory.mktemp("contracts")
    say = demo_servers.protocol.url("/say")
    bad, good = quote(json.dumps({"greeting": 1})), quote(json.dumps({"greeting": "hi"}))
    feature = FAILING.format(say_bad=f"{say}?m={bad}", say_bad_then_good=f"{say}?m={bad}&m={good}")
    project = write_project(root, feature)
    for document in (DATA / "scripted.asyncapi.yaml", CHAT, DATA / "asyncapi" / "gemini-3.yml"):
        shutil.copy(document, project / document.name)
    result = run_behave(project, *userdata_args(demo_servers.userdata()), "--junit", "--junit-directory", "reports")
    return result, junit_outcomes(project)


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        (
            "a received message outside the document fails the step that waited for it",
            [
                'Rob received a message that the AsyncAPI document does not allow (step: Rob receives {"greeting": 1}):',
                '#1: a message received on the channel "/say" breaks the AsyncAPI document: {"greeting": 1} conforms to '
                "none of the messages allowed there: as \"Greeting\", at $.greeting: 1 is not of type 'string' "
                "(schema path: properties/greeting/type).",
                "Either the server or the document is wrong.",
                '#1 received text: {"greeting": 1}',
            ],
        ),
        (
            "a message outside the document fails the next step even when another was awaited",
            ['#1: a message received on the channel "/say" breaks the AsyncAPI document: {"greeting": 1}'],
        ),
        (
            "a message outside the document is not sent",
            [
                'Alice did not send its message (step: Alice sends {"text": "hi"}): a message sent on the channel "room" '
                'breaks the AsyncAPI document: {"text": "hi"} conforms to none of the messages allowed there: as '
                "\"SendMessage\", at $: 'message' is a required property (schema path: required).",
                "Send what the document allows, or correct the document.",
            ],
        ),
        (
            "a message of the document that does not come",
            [
                'Alice did not receive a "UserLeft" message within 0.3 seconds',
                "not a match: is no \"UserLeft\": at $.message: 'Alice has connected' does not match ' has disconnected$'",
            ],
        ),
        (
            "a message the document does not have",
            ['The AsyncAPI document chat.asyncapi.yaml has no message "Nope"', 'Its messages: "SendMessage", "UserJoined"'],
        ),
        ("an example the document does not give", ['The AsyncAPI document gives no example of "UserJoined"']),
        (
            "a message that broke the document but no step read",
            [
                "1 message(s) of this scenario broke the AsyncAPI document scripted.asyncapi.yaml "
                "(step: every message in this scenario conformed to the document):",
                'Rob #1: a message received on the channel "/say" breaks the AsyncAPI document',
            ],
        ),
        ("no document in use", ["No AsyncAPI document is in use", "set ws_asyncapi"]),
        ("a document that is not there", ["There is no AsyncAPI document missing.yaml", "looked for"]),
        (
            "a channel's parameter that no step fills",
            [
                "The marketDataV1 channel's address /v1/marketdata/{symbol} has the parameter symbol, which the step does "
                'not fill: add e.g. "with the parameters {"symbol": "..."}" to the connect step.'
            ],
        ),
    ],
)
def test_each_contract_sentence_and_check_fails_in_words(failing_run, scenario, expected):
    text = failure_of(failing_run, scenario)
    for piece in expected:
        assert piece in text, f"{piece!r} missing from:\n{text}"


def test_the_whole_run_failed_scenario_by_scenario_and_ends_with_the_coverage(failing_run):
    assert_each_scenario_failed(failing_run, FAILING)
    result, _ = failing_run
    # The one greeting that kept to the document counts; the ones that broke it do not.
    assert "AsyncAPI coverage of Greetings from the scripted path (scripted.asyncapi.yaml): 1 of 1 message exercised." in (
        result.stdout
    )
    assert 'NEVER SEEN  receives "marketData" on marketDataV1 (sendMarketData)' in result.stdout


def test_the_setting_holds_every_scenario_to_the_document_without_a_sentence(tmp_path, demo_servers):
    project = write_project(
        tmp_path,
        """\
        Feature: checked by the setting
          Scenario: a message outside the document
            Given user Alice connects
            When Alice sends {"text": "hi"}
        """,
    )
    userdata = {**demo_servers.userdata(), "ws_asyncapi": str(CHAT)}
    result = run_behave(project, *userdata_args(userdata))
    assert result.returncode == 1, result.stdout
    assert "Alice did not send its message" in result.stdout and "'message' is a required property" in result.stdout


def test_the_demo_contract_feature_prints_its_coverage_and_puts_it_in_the_html_report(tmp_path, broker_args):
    html = tmp_path / "report.html"
    result = run_behave(
        ROOT,
        *broker_args,
        "-f",
        "wsitest_steps.report:HTMLFormatter",
        "-o",
        str(html),
        "-f",
        "progress",
        "features/contract.feature",
    )
    assert result.returncode == 0, failing_first(result.stdout)
    assert "AsyncAPI coverage of Demo chat (chat.asyncapi.yaml): 4 of 5 messages exercised." in result.stdout
    assert 'NEVER SEEN  receives "BadMessage" on room (announce)' in result.stdout
    page = html.read_text()
    assert "AsyncAPI coverage: Demo chat" in page and "4 of 5 messages exercised." in page
    assert '<tr class="never"><td>room</td><td>receives</td><td>BadMessage</td><td>announce</td><td>never</td></tr>' in page


async def _gemini(connection):
    # A market-data server that speaks the AsyncAPI project's Gemini document: its own two examples.
    from wsitest_steps.contracts.document import load_document

    document = load_document(DATA / "asyncapi" / "gemini-3.yml")
    ((_, _, message),) = document.every_message()
    if connection.request.path != "/v1/marketdata/btcusd":
        await connection.close(1008, "unknown symbol")
        return
    for example in message.examples:
        await connection.send(json.dumps(example))
    await connection.wait_closed()  # the server only streams; the client closes


def test_a_channel_of_a_published_document_is_an_endpoint_and_its_messages_are_named(tmp_path, serve):
    server = serve(_gemini)
    project = write_project(
        tmp_path,
        """\
        Feature: Gemini market data, as its AsyncAPI document says
          Scenario: an update and a heartbeat
            Given the AsyncAPI document "gemini-3.yml"
            And user Rob connects to the marketDataV1 endpoint with the parameters {"symbol": "btcusd"}
            Then Rob receives a "marketData" message with {"type": "update", "events": [{"side": "bid"}]}
            And Rob receives a "marketData" message with {"type": "heartbeat"}
            And every message in this scenario conformed to the document
        """,
    )
    shutil.copy(DATA / "asyncapi" / "gemini-3.yml", project / "gemini-3.yml")
    result = run_behave(project, "-D", f"ws_asyncapi_url=ws://127.0.0.1:{server.port}")
    assert result.returncode == 0, failing_first(result.stdout)
    assert "1 scenario passed" in result.stdout
    assert "AsyncAPI coverage of Gemini Market Data Websocket API (gemini-3.yml): 1 of 1 message exercised." in result.stdout


PROTOCOLS = """\
Feature: Socket.IO events and STOMP destinations as the document's messages and channels
  Background:
    Given the AsyncAPI document "protocols.asyncapi.yaml"

  Scenario: Socket.IO events by name
    Given user Alice connects to the live endpoint
    When Alice emits "chat" with {"text": "hi"}
    Then Alice receives the event "chat" with {"text": "hi"}
    And every message in this scenario conformed to the document

  Scenario: a Socket.IO event with the wrong argument
    Given user Alice connects to the live endpoint
    When Alice emits "chat" with {"text": 5}

  Scenario: a Socket.IO event the document does not have
    Given user Alice connects to the live endpoint
    When Alice emits "dance"

  Scenario: a STOMP destination as a channel
    Given users Alice and Bob connect to the broker endpoint
    When Bob subscribes to "/topic/chat"
    And Alice publishes {"text": "hi"} to "/topic/chat"
    Then Bob receives {"text": "hi"} from "/topic/chat"
    And every message in this scenario conformed to the document

  Scenario: a STOMP message outside the document
    Given user Alice connects to the broker endpoint
    When Alice publishes {"text": 1} to "/topic/chat"
"""


def test_socketio_events_and_stomp_destinations_map_to_the_documents_messages_and_channels(tmp_path, demo_servers, stomp_broker):
    project = write_project(tmp_path, PROTOCOLS)
    shutil.copy(DATA / "protocols.asyncapi.yaml", project / "protocols.asyncapi.yaml")
    userdata = {**demo_servers.userdata(), "ws_url.broker": stomp_broker.url, "ws_protocol.broker": "stomp"}
    result = run_behave(project, *userdata_args(userdata), "--junit", "--junit-directory", "reports")
    outcomes = junit_outcomes(project)
    assert outcomes["Socket.IO events by name"] is None, result.stdout
    assert outcomes["a STOMP destination as a channel"] is None, result.stdout
    assert (
        'a message sent on the channel "live" breaks the AsyncAPI document: {"text": 5}'
        in outcomes["a Socket.IO event with the wrong argument"]
    )
    assert (
        'the document has no message "dance" to be sent there (it has: "chat")'
        in outcomes["a Socket.IO event the document does not have"]
    )
    assert (
        'a message sent on the channel "chatTopic" breaks the AsyncAPI document: {"text": 1}'
        in outcomes["a STOMP message outside the document"]
    )


def test_the_readme_contract_example_passes_against_the_demo_chat(tmp_path, demo_servers):
    from tests.test_readme import code_blocks

    scenario = next(block for block in code_blocks("gherkin") if "keeps to its document" in block)
    project = write_project(tmp_path, "Feature: the README's contract example\n" + textwrap.indent(scenario, "  "))
    (project / "contracts").mkdir()
    shutil.copy(CHAT, project / "contracts" / CHAT.name)
    result = run_behave(project, *userdata_args(demo_servers.userdata()))
    assert result.returncode == 0, failing_first(result.stdout)
    assert "1 scenario passed, 0 failed" in result.stdout, result.stdout
