"""The sentences for real websocket APIs, failing as users see them: one JUnit failure per scenario.

Each feature below holds one failing scenario per case and a passing one at the end, run once
by behave; every scenario's own failure text is then checked, so each message is pinned to
the case that produced it.
"""

import pytest

from tests.behave_project import failing_first, junit_outcomes, run_behave, userdata_args, write_project


def run_feature(tmp_path, userdata, feature, *args):
    project = write_project(tmp_path, feature)
    result = run_behave(project, *userdata_args(userdata), "--junit", "--junit-directory", "reports", *args)
    assert "Traceback" not in result.stdout, result.stdout
    return result, junit_outcomes(project)


def check(outcomes, expected):
    """``expected`` maps scenario names to the texts its failure must contain (``None``: it passes)."""
    assert set(outcomes) == set(expected), outcomes
    for name, texts in expected.items():
        if texts is None:
            assert outcomes[name] is None, f"{name} should pass, but:\n{outcomes[name]}"
            continue
        assert outcomes[name] is not None, f"{name} should fail"
        for text in texts:
            assert text in outcomes[name], f"{name}: {text!r} missing from:\n{outcomes[name]}"


CONNECTING = """
Feature: Connecting, failing
  Scenario: an option nobody knows
    Given user Rob connects to the echo endpoint with the flavour "vanilla"

  Scenario: headers promised, no table given
    Given user Rob connects to the echo endpoint with the headers:

  Scenario: a header without a colon
    Given user Rob connects to the echo endpoint with the header "Authorization Bearer x"

  Scenario: an endpoint nobody configured
    Given user Rob connects to the payments endpoint

  Scenario: the server picks another subprotocol than the step expects
    Given user Rob connects to the subprotocols endpoint with the subprotocols "chat.v2" and "chat.v1"
    Then Rob's connection uses the subprotocol "chat.v1"

  Scenario: the server accepts none of the subprotocols offered
    Given user Rob connects to the subprotocols endpoint with the subprotocol "chat.v9"

  Scenario: the server answers without choosing a subprotocol
    Given user Rob connects to the echo endpoint with the subprotocol "chat.v2"

  Scenario: a rejection that does not come
    Then connecting as Mallory to the echo endpoint is rejected with status 401

  Scenario: another rejection than expected
    Then connecting as Eve to the reject endpoint is rejected with status 401

  Scenario: a self-signed certificate is refused by default
    Given user Rob connects to the selfsigned endpoint with the header "X-Anything: 1"

  Scenario: a query parameter without a value
    Given user Rob connects to the echo endpoint with the query parameter "room"

  Scenario: two origins
    Given user Rob connects to the echo endpoint with the origin "https://a.example" and "https://b.example"

  Scenario: the actor connects twice
    Given user Rob connects to the echo endpoint
    And user Rob connects to the echo endpoint

  Scenario: a later scenario still connects
    Given user Rob connects to the echo endpoint with the query parameter "room=a&b=c"
    Then Rob's connection uses no subprotocol
"""


def test_connecting_failures_explain_themselves(tmp_path, demo_userdata):
    # "selfsigned" is trusted only when ws_insecure_skip_tls_verify names it; here nothing does.
    userdata = {**demo_userdata, "ws_insecure_skip_tls_verify": "false"}
    _, outcomes = run_feature(tmp_path, userdata, CONNECTING)
    check(
        outcomes,
        {
            "an option nobody knows": [
                'Cannot read \'the flavour "vanilla"\' (step: user Rob connects to the echo endpoint with the flavour "vanilla").',
                'After connects ... with, write one or more of: the header "Name: value"',
            ],
            "headers promised, no table given": [
                "This step needs a table below it (step: user Rob connects to the echo endpoint with the headers)"
            ],
            "a header without a colon": ["Cannot use 'the header \"Authorization Bearer x\"'", 'write a header as "Name: value"'],
            "an endpoint nobody configured": [
                "No URL is configured for the payments endpoint (configured endpoints: close, echo, graphql, headers, live, ping, reject, say, secure, selfsigned, silent, subprotocols).",
                "-D ws_url.payments=ws://host:port/path?name={name}",
            ],
            "the server picks another subprotocol than the step expects": [
                'The server chose the subprotocol "chat.v2" for Rob\'s connection, not "chat.v1"',
                'Rob offered: "chat.v2", "chat.v1".',
            ],
            "the server accepts none of the subprotocols offered": [
                "the server rejected the websocket handshake with HTTP 400",
                "this endpoint speaks chat.v2, chat.v1; offered: chat.v9",
            ],
            "the server answers without choosing a subprotocol": [
                "the server completed the handshake without choosing any of the subprotocols offered (chat.v2)"
            ],
            "a rejection that does not come": [
                "Connecting as Mallory to ws://127.0.0.1:",
                "was to be rejected with HTTP 401, but the server accepted the websocket handshake",
            ],
            "another rejection than expected": [
                "Connecting as Eve was rejected with HTTP 403, not 401",
                "The response body was: rejected with 403 by the protocol server",
            ],
            "a self-signed certificate is refused by default": [
                "Rob could not connect to wss://localhost:",
                "the server's TLS certificate was rejected: unable to get local issuer certificate",
                "It was checked against the CA file",
                "-D ws_ca_file=path/to/ca.pem",
            ],
            "a query parameter without a value": ['write a query parameter as "name=value"; the value is sent URL-encoded'],
            "two origins": ['Cannot use \'the origin "https://a.example" and "https://b.example"\'', "give one value"],
            "the actor connects twice": ["Rob is already connected (to ws://127.0.0.1:"],
            "a later scenario still connects": None,
        },
    )


def test_a_wrong_host_certificate_and_the_system_store_are_explained(tmp_path, demo_userdata):
    # The trusted CA signed "secure" for localhost; reached as 127.0.0.1 the name does not match.
    secure = demo_userdata["ws_url.secure"].replace("localhost", "127.0.0.1")
    userdata = {**demo_userdata, "ws_url.byaddress": secure}
    feature = """
    Feature: f
      Scenario: the certificate names another host
        Given user Rob connects to the byaddress endpoint

      Scenario: without ws_ca_file nothing private is trusted
        Given user Rob connects to the secure endpoint
    """
    _, outcomes = run_feature(tmp_path / "a", userdata, feature.replace("without ws_ca_file", "with ws_ca_file"))
    assert "IP address mismatch" in outcomes["the certificate names another host"], outcomes
    assert "and the host name '127.0.0.1'" in outcomes["the certificate names another host"]
    without_ca = {k: v for k, v in userdata.items() if k != "ws_ca_file"}
    _, outcomes = run_feature(tmp_path / "b", without_ca, feature)
    assert "It was checked against the system's trusted authorities" in outcomes["without ws_ca_file nothing private is trusted"]


def test_skipping_verification_is_visible_in_the_transcript(tmp_path, demo_userdata):
    feature = """
    Feature: f
      Scenario: a self-signed server, trusted by name
        Given user Rob connects to the selfsigned endpoint
        Then Rob receives {"never": "sent"} within 0.1 seconds
    """
    _, outcomes = run_feature(tmp_path, demo_userdata, feature)
    assert "TLS certificate NOT verified (ws_insecure_skip_tls_verify)" in outcomes["a self-signed server, trusted by name"]


FRAMES = """
Feature: Frames, failing
  Scenario: the text differs
    Given user Rob connects to the echo endpoint
    When Rob sends the text "hello"
    Then Rob receives the text "goodbye" within 0.2 seconds

  Scenario: bytes where text was expected
    Given user Rob connects to the echo endpoint
    When Rob sends the bytes 01 02
    Then Rob receives a text message within 0.2 seconds

  Scenario: the bytes differ
    Given user Rob connects to the echo endpoint
    When Rob sends the bytes 01 02 03
    Then Rob receives the bytes 01 02 04 within 0.2 seconds

  Scenario: not hexadecimal
    Given user Rob connects to the echo endpoint
    When Rob sends the bytes 0g

  Scenario: not base64
    Given user Rob connects to the echo endpoint
    When Rob sends the base64 bytes "%%%"

  Scenario: a file that is not there
    Given user Rob connects to the echo endpoint
    When Rob sends the bytes of "nowhere/nothing.bin"

  Scenario: text without quotes
    Given user Rob connects to the echo endpoint
    When Rob sends the text hello

  Scenario: an array with one element too many
    Given user Rob connects to the echo endpoint
    When Rob sends [1, 2, 3]
    Then Rob receives [1, 2] within 0.2 seconds

  Scenario: a close code no frame may carry
    Given user Rob connects to the echo endpoint
    When Rob closes the connection with code 1006

  Scenario: the pong carries another payload
    Given user Rob connects to the echo endpoint
    When Rob sends a ping "one"
    Then Rob receives a pong "two" within 0.2 seconds

  Scenario: the server never pings
    Given user Rob connects to the echo endpoint
    Then the server pings Rob within 0.2 seconds

  Scenario: the server closes with another code
    Given user Rob connects to the close endpoint with the query parameters:
      | code   | 4002  |
      | reason | other |
    Then the server closes Rob's connection with code 4001 within 2 seconds

  Scenario: the server does not close
    Given user Rob connects to the echo endpoint
    Then the server closes Rob's connection within 0.2 seconds

  Scenario: a closed connection fails a long wait at once
    Given user Rob connects to the close endpoint with the query parameters:
      | code   | 1011           |
      | reason | database down  |
      | after  | message        |
    When Rob sends {"go": true}
    Then Rob receives {"never": true} within 60 seconds

  Scenario: frames still work afterwards
    Given user Rob connects to the echo endpoint
    When Rob sends the text "fine"
    Then Rob receives the text "fine"
"""


def test_frame_failures_explain_themselves(tmp_path, demo_userdata):
    result, outcomes = run_feature(tmp_path, demo_userdata, FRAMES)
    check(
        outcomes,
        {
            "the text differs": ['Rob did not receive the text "goodbye" within 0.2 seconds', "not a match: was the text hello"],
            "bytes where text was expected": [
                "Rob did not receive a text message",
                "not a match: was a binary message, not text",
            ],
            "the bytes differ": [
                "Rob did not receive the bytes <3 bytes> 01 02 04",
                "not a match: was <3 bytes> 01 02 03, first differing at byte 2",
            ],
            "not hexadecimal": ["The bytes '0g' (step: Rob sends the bytes 0g) are not hexadecimal"],
            "not base64": ["'%%%' is not valid base64"],
            "a file that is not there": [
                "There is no file 'nowhere/nothing.bin' (step: Rob sends the bytes of \"nowhere/nothing.bin\"); looked for "
            ],
            "text without quotes": [
                'After "the text" the step needs a text in double quotes, e.g. the text "Hello"',
                "got 'hello'",
            ],
            "an array with one element too many": ["not a match: $ had 3 elements, expected 2: [1, 2, 3]"],
            "a close code no frame may carry": [
                "Rob cannot close with code 1006 (step: Rob closes the connection with code 1006): a close frame may carry 1000-1003"
            ],
            "the pong carries another payload": [
                "Rob did not receive a pong carrying <3 bytes> 74 77 6f",
                "received pong: <3 bytes> 6f 6e 65",
            ],
            "the server never pings": ["Rob did not receive a ping from the server within 0.2 seconds."],
            "the server closes with another code": [
                'Rob\'s connection was closed by the server with code 4002, reason "other"; the step expects it closed by the server with code 4001.'
            ],
            "the server does not close": ["Rob's connection was not closed by the server within 0.2 seconds: it is still open."],
            "a closed connection fails a long wait at once": [
                'closed by the server with code 1011 (internal error), reason "database down"',
            ],
            "frames still work afterwards": None,
        },
    )
    # Fourteen failures, one of them a 60-second wait: the run ends in seconds, not minutes.
    from tests.behave_project import took_seconds

    assert took_seconds(result.stdout) < 20, result.stdout


MATCHING = """
Feature: Matching, failing
  Scenario: a table row that does not hold
    Given user Rob connects to the say endpoint with the query parameters:
      | m | {"type": "order", "id": 17, "price": 99.5, "items": [{"sku": "A-1"}], "note": null} |
    Then Rob receives a message with, within 0.2 seconds:
      | path           | expectation        |
      | $.id           | any integer        |
      | $.price        | greater than 100   |
      | $.items[*].sku | "B-7"              |
      | $.note         | absent             |
      | $.missing      | any string         |

  Scenario: an unknown expectation
    Given user Rob connects to the echo endpoint
    Then Rob receives {"id": "<a lucky number>"}

  Scenario: a path that is not JSONPath
    Given user Rob connects to the echo endpoint
    Then Rob receives a message with:
      | $.items[ | any value |

  Scenario: expectations inside JSON that do not hold
    Given user Rob connects to the say endpoint with the query parameters:
      | m | {"id": "17", "tags": ["a"], "seq": null} |
    Then Rob receives {"id": "<any integer>", "tags": "<containing \\"vip\\">", "seq": "<absent>"} within 0.2 seconds

  Scenario: out of order
    Given user Rob connects to the say endpoint with the query parameters:
      | m | {"step": 2} |
      | m | {"step": 1} |
    Then Rob receives, in this order:
      \"\"\"
      {"step": 1}
      {"step": 2}
      \"\"\"

  Scenario: one of any order missing
    Given user Rob connects to the say endpoint with the query parameters:
      | m | {"user": "Bob"} |
    Then Rob receives all of these, in any order:
      | {"user": "<any string>"} |
      | {"user": "Bob"}          |

  Scenario: one too many
    Given user Rob connects to the say endpoint with the query parameters:
      | m | {"type": "trade"} |
      | m | {"type": "trade"} |
      | m | {"type": "trade"} |
    Then Rob receives exactly 2 messages matching {"type": "trade"} within 0.3 seconds

  Scenario: too few
    Given user Rob connects to the say endpoint with the query parameters:
      | m | {"type": "trade"} |
    Then Rob receives exactly 2 messages matching {"type": "trade"} within 0.3 seconds

  Scenario: something else came first
    Given user Rob connects to the say endpoint with the query parameters:
      | m | {"type": "quote"} |
      | m | {"type": "trade"} |
    Then the next message Rob receives is {"type": "trade"}

  Scenario: a further message
    Given user Rob connects to the say endpoint with the query parameters:
      | m | {"type": "quote"} |
    Then Rob receives no further messages within 0.3 seconds

  Scenario: a message the schema rejects
    Given user Rob connects to the say endpoint with the query parameters:
      | m | {"type": "order", "id": 0, "side": "hold", "price": 1, "items": []} |
    Then Rob receives a message matching the schema "schema.json" within 0.2 seconds

  Scenario: a schema file that is not there
    Given user Rob connects to the echo endpoint
    Then Rob receives a message matching the schema "missing.json"

  Scenario: matching still works afterwards
    Given user Rob connects to the say endpoint with the query parameters:
      | m | {"type": "quote"} |
    Then the next message Rob receives is {"type": "<one of \\"quote\\", \\"trade\\">"}
"""

SCHEMA = '{"type": "object", "required": ["id", "side", "items"], "properties": {"id": {"type": "integer", "minimum": 1}, "side": {"enum": ["buy", "sell"]}, "items": {"type": "array", "minItems": 1}}}'


def test_matching_failures_explain_themselves(tmp_path, demo_userdata):
    (tmp_path / "schema.json").write_text(SCHEMA)
    _, outcomes = run_feature(tmp_path, {**demo_userdata, "ws_timeout": "0.5"}, MATCHING)
    check(
        outcomes,
        {
            "a table row that does not hold": [
                'not a match: $.price was 99.5, expected <greater than 100>; $.items[*].sku: none of its 1 values ("A-1") is "B-7"; '
                "$.note was present (null), expected <absent>; $.missing is missing, expected <any string>",
            ],
            "an unknown expectation": [
                'Unknown expectation \'a lucky number\' (step: Rob receives {"id": "<a lucky number>"}). Known expectations: '
                "anything, any value, absent, present, any string, any number, any integer",
                'or a JSON value such as "text", 5, true or null (texts in double quotes).',
            ],
            "a path that is not JSONPath": ["The path '$.items[' (step: Rob receives a message with:) is not valid JSONPath"],
            "expectations inside JSON that do not hold": [
                'not a match: $.id was "17" (a string), expected <any integer>; $.tags was ["a"], expected <containing "vip">; '
                "$.seq was present (null), expected <absent>",
            ],
            "out of order": [
                "Rob received the 2 messages, but out of order: the step expects each after the one before it (1 arrived too early).",
                '1. a JSON message matching {"step": 1}: arrived as #2 at +',
                '2. a JSON message matching {"step": 2}: arrived as #1 at +',
                "s: out of order",
                '#2 received text: {"step": 1}',
            ],
            "one of any order missing": [
                "Rob did not receive 2 messages in any order within 0.5 seconds: 1 of them missing.",
            ],
            "one too many": ['Rob received more than 2 of a JSON message matching {"type": "trade"}: 3 so far (#1, #2, #3).'],
            "too few": [
                'Rob received 1 of a JSON message matching {"type": "trade"} within 0.300s (#1); the step expects exactly 2.'
            ],
            "something else came first": [
                'The next message Rob received, #1, is not a JSON message matching {"type": "trade"}: $.type was "quote", expected "trade". '
                "The step requires it to be the very next one."
            ],
            "a further message": [
                "Rob was to receive no further messages for 0.3 seconds, but #1 ",
                '{"type": "quote"}',
            ],
            "a message the schema rejects": [
                "Rob did not receive a JSON message <valid against the schema schema.json>",
                # jsonschema words each error itself ("[] should be non-empty" or, in 4.0, "[] is too short").
                "not a match: $.id: 0 is less than the minimum of 1; $.items: [] ",
                "; $.side: 'hold' is not one of ['buy', 'sell']",
            ],
            "a schema file that is not there": [
                "There is no schema file 'missing.json' (step: Rob receives a message matching the schema \"missing.json\"); looked for "
            ],
            "matching still works afterwards": None,
        },
    )


VALUES = """
Feature: Values, failing
  Scenario: a variable nobody remembered
    Given user Rob connects to the say endpoint with the query parameters:
      | m | {"id": 5} |
    When Rob receives {"id": 5}
    And Rob remembers $.id from that message as order_id
    Then Rob sends {"cancel": {orderid}}

  Scenario: a path with nothing at it
    Given user Rob connects to the say endpoint with the query parameters:
      | m | {"id": 5} |
    When Rob receives {"id": 5}
    And Rob remembers $.order.id from that message as order_id

  Scenario: no message yet
    Given user Rob connects to the echo endpoint
    When Rob remembers $.id from that message as order_id

  Scenario: an environment variable that is not set
    Given user Rob connects to the echo endpoint
    When Rob sends {"token": "{env.WSITEST_SURELY_NOT_SET}"}

  Scenario: userdata that is not given
    Given user Rob connects to the echo endpoint
    When Rob sends {"token": "{userdata.not_given}"}

  Scenario: a literal brace
    Given user Rob connects to the echo endpoint
    When Rob sends the text "a \\{literal} brace"
    Then Rob receives the text "a \\{literal} brace"

  Scenario: a backslash that is not an escape
    Given user Rob connects to the echo endpoint
    When Rob sends the text "C:\\data"
"""


def test_value_failures_explain_themselves(tmp_path, demo_userdata):
    _, outcomes = run_feature(tmp_path, demo_userdata, VALUES)
    check(
        outcomes,
        {
            "a variable nobody remembered": [
                'Nothing is remembered as {orderid} (step: Rob sends {"cancel": {orderid}}). Remembered in this scenario: order_id.'
            ],
            "a path with nothing at it": [
                "There is nothing at $.order.id in Rob's message #1 (step: Rob remembers $.order.id from that message as order_id), "
                'so nothing can be remembered as order_id. It was: {"id": 5}'
            ],
            "no message yet": [
                "Rob has not received a message through a step yet (step: Rob remembers $.id from that message as order_id)"
            ],
            "an environment variable that is not set": [
                "The environment variable WSITEST_SURELY_NOT_SET is not set, so {env.WSITEST_SURELY_NOT_SET} has no value"
            ],
            "userdata that is not given": [
                "No userdata not_given is given, so {userdata.not_given} has no value",
                "Pass it with -D not_given=...",
            ],
            "a literal brace": None,
            "a backslash that is not an escape": [
                'The text "C:\\data" after "the text" (step: Rob sends the text "C:\\data") is not a valid quoted string: Invalid \\escape.',
                "write a backslash as \\\\",
            ],
        },
    )


TIMING = """
Feature: Timing, failing
  Scenario: the connection closes during the pause
    Given user Rob connects to the close endpoint with the query parameters:
      | code   | 1001 |
      | reason | bye  |
    When after 30 seconds Rob sends {"too": "late"}

  Scenario: a reply that cannot be built
    Given whenever Rob receives {"type": "ping"}, Rob replies {"pong": {message.id}}
    And user Rob connects to the say endpoint with the query parameters:
      | m | {"type": "ping"} |
    Then Rob receives {"never": true} within 0.5 seconds

  Scenario: a malformed reply fails when declared
    Given whenever Rob receives {"type": "ping"}, Rob replies {pong}}

  Scenario: reconnecting someone who never connected
    Given user Ann connects to the echo endpoint
    When Rob reconnects

  Scenario: rules and reconnects still work
    Given user Rob connects to the echo endpoint
    And whenever Rob receives the text "ping", Rob replies the text "pong"
    When Rob reconnects
    And Rob sends the text "ping"
    Then Rob receives the text "pong"
"""


def test_timing_failures_explain_themselves(tmp_path, demo_userdata):
    result, outcomes = run_feature(tmp_path, demo_userdata, TIMING)
    check(
        outcomes,
        {
            "the connection closes during the pause": [
                'Rob was to send after 30s, but its connection was closed by the server with code 1001 (going away), reason "bye"',
                "opens a new one.",
            ],
            "a reply that cannot be built": [
                "An automatic reply of Rob failed before this step",
                'the rule: whenever Rob receives {"type": "ping"}, Rob replies {"pong": {message.id}} could not answer #1: '
                "Nothing is remembered as {message.id}",
            ],
            "a malformed reply fails when declared": ["Malformed JSON"],
            "reconnecting someone who never connected": ["There is no actor called 'Rob' (step: Rob reconnects)"],
            "rules and reconnects still work": None,
        },
    )
    from tests.behave_project import took_seconds

    assert took_seconds(result.stdout) < 15, result.stdout


@pytest.mark.parametrize(
    "sentence",
    [
        "When Rob sends the text:",
        "Then Rob receives the text:",
        "Then Rob receives a message matching the schema:",
    ],
)
def test_colon_sentences_with_doc_strings_are_defined_on_both_behave_versions(tmp_path, demo_userdata, sentence):
    doc = '{"type": "object"}' if "schema" in sentence else "hi"
    feature = f'''
    Feature: f
      Scenario: s
        Given user Rob connects to the echo endpoint
        When Rob sends the text "{doc.replace('"', chr(92) + '"')}"
        {sentence}
          """
          {doc}
          """
    '''
    project = write_project(tmp_path, feature)
    result = run_behave(project, *userdata_args(demo_userdata))
    assert result.returncode == 0, failing_first(result.stdout)
