"""AsyncAPI documents published by others, read and applied as a scenario applies them (no sockets here).

The documents are the AsyncAPI project's own examples (tests/data/asyncapi/README.md): both
versions of each, and a set of documents that share their parts across files.
"""

import copy
from pathlib import Path

import pytest

from wsitest_steps.contracts.conformance import Contract
from wsitest_steps.contracts.document import load_document
from wsitest_steps.errors import ConfigurationError

DATA = Path(__file__).parent / "data" / "asyncapi"


@pytest.mark.parametrize("name", ["slack-rtm-2.6.yml", "slack-rtm-3.yml"])
def test_slack_rtm_messages_are_told_apart_each_way(name):
    contract = Contract(load_document(DATA / name))
    assert len(contract.document.every_message()) == 47
    assert contract.check("receives", {"type": "hello"}, url="ws://127.0.0.1:1/") is None
    assert contract.seen[(contract.document.channels[0].name, "receives", "hello")] == 1
    outgoing = {"id": 1, "type": "message", "channel": "C1", "text": "hi"}
    assert contract.check("sends", outgoing, url="ws://127.0.0.1:1/") is None
    wrong = contract.check("sends", {**outgoing, "id": "one"}, url="ws://127.0.0.1:1/")
    assert wrong is not None and 'as "outgoingMessage", at $.id' in wrong.describe(), wrong


@pytest.mark.parametrize("name", ["gemini-2.6.yml", "gemini-3.yml"])
def test_every_example_of_a_published_document_conforms_to_it(name):
    contract = Contract(load_document(DATA / name))
    examples = [(c, o, m, e) for c, o, m in contract.document.every_message() for e in m.examples]
    assert examples, "the document's examples are what this test checks"
    for channel, operation, message, example in examples:
        assert contract.check(operation.direction, example, url=None, channel=channel.name) is None, (message.name, example)


@pytest.mark.parametrize("name", ["gemini-2.6.yml", "gemini-3.yml"])
def test_both_versions_read_alike_with_directions_from_the_clients_side(name):
    document = load_document(DATA / name)
    (channel,) = document.channels
    assert channel.address == "/v1/marketdata/{symbol}"
    assert [(o.direction, [m.name for m in o.messages]) for o in channel.operations] == [("receives", ["marketData"])]
    assert document.servers == {"public": "wss://api.gemini.com"}


def test_a_value_that_breaks_the_document_says_where_by_value_path_and_schema_path():
    contract = Contract(load_document(DATA / "gemini-3.yml"))
    example = copy.deepcopy(contract.message_named("marketData").examples[0])
    example["events"][0]["price"] = "cheap"
    violation = contract.check("receives", example, url="ws://127.0.0.1:1/v1/marketdata/btcusd")
    text = violation.describe()
    assert text.startswith('a message received on the channel "marketDataV1" breaks the AsyncAPI document: ')
    assert "at $.events[0].price: 'cheap' is not of type 'number'" in text
    assert "schema path: oneOf/1/allOf/0/properties/events/items/properties/price/type" in text
    assert contract.check("sends", example, url="ws://127.0.0.1:1/v1/marketdata/btcusd").problem == (
        "the document allows no message to be sent there."
    )


def test_a_document_of_many_messages_lists_only_the_closest_and_stays_short():
    contract = Contract(load_document(DATA / "slack-rtm-2.6.yml"))
    violation = contract.check("receives", {"type": "hello", "junk": "x" * 100_000}, url="ws://127.0.0.1:1/")
    assert violation is None  # hello allows more properties
    violation = contract.check("sends", {"type": 42, "text": "x" * 100_000}, url="ws://127.0.0.1:1/")
    assert violation is not None and len(violation.describe()) < 2000
    broken = contract.check("receives", [1, 2, 3], url="ws://127.0.0.1:1/")
    assert "and 43 more messages" in broken.describe() and len(broken.describe()) < 2000


def test_references_across_files_resolve_and_name_messages_where_they_are_defined():
    document = load_document(DATA / "social-media" / "backend" / "asyncapi.yaml")
    by_channel = {c.name: [(o.direction, [m.name for m in o.messages]) for o in c.operations] for c in document.channels}
    assert by_channel["newLikeComment"] == [("sends", ["likeComment"])]
    assert by_channel["commentsCountChange"] == [("sends", ["commentChanged"])]
    contract = Contract(document)
    spec = contract.message_named("likeComment")
    assert spec.payload.startswith((DATA / "social-media" / "common" / "messages.yaml").resolve().as_uri())
    assert contract.problem(spec, {"commentId": "c1"}) is None
    assert "is not of type" in contract.problem(spec, {"commentId": 12})


def test_a_parameter_in_an_address_matches_one_path_segment():
    contract = Contract(load_document(DATA / "gemini-3.yml"))
    assert contract.channel_for("ws://h/v1/marketdata/btcusd", None).name == "marketDataV1"
    assert contract.channel_for("ws://h/v1/marketdata/btc/usd", None) is None
    assert contract.channel_for("ws://h/elsewhere", None) is None
    assert contract.check("receives", "anything", url="ws://h/elsewhere") is None  # not the document's business


def test_a_channel_is_an_endpoint_whose_parameters_a_step_fills():
    contract = Contract(load_document(DATA / "gemini-3.yml"))
    url = contract.endpoint_url("marketDataV1", "Rob", "ws://127.0.0.1:9", {"symbol": "btcusd"})
    assert url == "ws://127.0.0.1:9/v1/marketdata/btcusd"
    assert contract.endpoint_url("nowhere", "Rob") is None
    with pytest.raises(ConfigurationError, match=r'the parameters \{"symbol": "..."\}'):
        contract.endpoint_url("marketDataV1", "Rob", "ws://127.0.0.1:9")
    with pytest.raises(ConfigurationError, match="has no parameter colour"):
        contract.endpoint_url("marketDataV1", "Rob", "ws://127.0.0.1:9", {"colour": "red"})


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("openapi: 3.0.0\n", "is not an AsyncAPI document of version 2 or 3: its asyncapi field is missing"),
        ("asyncapi: 1.2.0\n", "its asyncapi field is 1.2.0"),
        ("asyncapi: [3.0\n", "is not valid YAML"),
    ],
)
def test_a_file_that_is_not_a_readable_asyncapi_document_says_why(tmp_path, text, says):
    path = tmp_path / "api.yaml"
    path.write_text(text)
    with pytest.raises(ConfigurationError, match=None) as raised:
        load_document(path)
    assert says in str(raised.value)


def test_a_reference_to_the_network_is_refused(tmp_path):
    path = tmp_path / "api.yaml"
    path.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  c:\n    address: /\n"
        "    messages:\n      m: {$ref: 'https://example.com/messages.yaml#/m'}\n"
    )
    with pytest.raises(ConfigurationError, match="only files beside it can be read, never the network"):
        load_document(path)


def test_headers_are_held_to_the_messages_headers_schema(tmp_path):
    path = tmp_path / "api.yaml"
    path.write_text(
        """\
asyncapi: 3.0.0
info: {title: orders, version: '1'}
channels:
  orders:
    address: /queue/orders
    messages:
      order:
        headers: {type: object, required: [priority], properties: {priority: {type: string, pattern: '^[0-9]$'}}}
        payload: {type: object, required: [item]}
operations:
  take: {action: receive, channel: {$ref: '#/channels/orders'}}
"""
    )
    contract = Contract(load_document(path))
    assert contract.check("sends", {"item": "tea"}, url=None, channel="/queue/orders", headers={"priority": "9"}) is None
    wrong = contract.check("sends", {"item": "tea"}, url=None, channel="/queue/orders", headers={"priority": "high"})
    assert "its headers at $.priority: 'high' does not match '^[0-9]$'" in wrong.describe(), wrong
    assert contract.coverage()[0].operations == ("take",) and contract.coverage()[0].times == 1


def test_a_json_document_reads_as_its_yaml_twin_does(tmp_path):
    import json

    import yaml

    twin = tmp_path / "gemini.json"
    twin.write_text(json.dumps(yaml.safe_load((DATA / "gemini-3.yml").read_text())))
    from_json, from_yaml = load_document(twin), load_document(DATA / "gemini-3.yml")
    assert [(c.name, c.address) for c in from_json.channels] == [(c.name, c.address) for c in from_yaml.channels]
    assert Contract(from_json).message_named("marketData").examples == Contract(from_yaml).message_named("marketData").examples


def test_without_a_base_url_a_channel_is_at_the_documents_first_server():
    contract = Contract(load_document(DATA / "gemini-2.6.yml"))
    # Only the URL is worked out here; the tests never connect anywhere but 127.0.0.1.
    assert contract.endpoint_url("v1/marketdata/{symbol}", "Rob", None, {"symbol": "ethusd"}) == (
        "wss://api.gemini.com/v1/marketdata/ethusd"
    )
