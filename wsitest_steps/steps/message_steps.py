"""Sentences that send messages and expect them.

Expected JSON matches as a subset for objects (extra keys are fine, at any depth),
element by element for arrays, and by type and value for scalars. Each received message
satisfies at most one expectation; messages no step used stay for later steps.
"""

from behave import step, use_step_matcher

from ..behave_context import cast_of, finish_step
from ..json_matching import json_message
from ..step_text import parse_json, parse_seconds, split_trigger
from ..errors import StepInputError, at_step

# Patterns carry no "^" and end in \Z: behave 1.3's "re" matcher rejects "^...$" and adds
# them itself, while behave 1.2.6's matches from the start but would accept any suffix.
use_step_matcher("re")

_NAME = r"(?P<name>[\w.@-]+)"
_MESSAGE = r"(?:a message )?"


def _doc_string(context, step_text):
    if context.text is None:
        raise StepInputError(
            "This step ends with a colon, so it needs the JSON as a doc string on the following "
            'lines, between lines of three double quotes (""")' + at_step(step_text) + "."
        )
    return context.text


def _send(context, name, payload_text, step_text):
    payload = parse_json(payload_text, step_text)
    cast_of(context).actor(name, step_text).send_json(payload, step_text)


def _expect(context, name, expected_text, seconds, step_text):
    expected = json_message(parse_json(expected_text, step_text))
    timeout = None if seconds is None else parse_seconds(seconds, step_text)
    return cast_of(context).expect(name, expected, timeout, step_text)


@step(rf"{_NAME} sends(?: a message)?:?\Z")
def wsitest_actor_sends_doc_string(context, name):
    """Send the JSON written in the doc string below the step.

        When Rob sends:
          \"\"\"
          {"message": "Hello, world!"}
          \"\"\"
    """
    step_text = f"{name} sends:"
    _send(context, name, _doc_string(context, step_text), step_text)
    finish_step(context)


@step(rf"{_NAME} sends {_MESSAGE}(?P<payload>.+)\Z")
def wsitest_actor_sends(context, name, payload):
    """Send a JSON message (any JSON value, usually an object) as a text frame.

        When Rob sends {"message": "Hello, world!"}
        When Rob sends a message {"message": "Hello, world!"}
    """
    _send(context, name, payload, f"{name} sends {payload}")
    finish_step(context)


@step(rf"{_NAME} receives {_MESSAGE}(?P<expected>.+) then sends(?: a message)?:?\Z")
def wsitest_actor_receives_then_sends_doc_string(context, name, expected):
    """Wait for a message (default deadline), then send the JSON in the doc string below.

        When Rob receives {"message": "Rob has connected"} then sends:
          \"\"\"
          {"message": "Hello, world!"}
          \"\"\"
    """
    step_text = f"{name} receives {expected} then sends:"
    _expect(context, name, expected, None, step_text)
    _send(context, name, _doc_string(context, step_text), step_text)
    finish_step(context)


@step(rf"{_NAME} receives {_MESSAGE}(?P<rest>.+ then sends .+)\Z")
def wsitest_actor_receives_then_sends(context, name, rest):
    """Wait for a message (default deadline), then reply: a trigger, as in a conversation.

        When Rob receives {"message": "Rob has connected"} then sends {"message": "Hello, world!"}
    """
    step_text = f"{name} receives {rest}"
    expected, payload = split_trigger(rest, step_text)
    cast = cast_of(context)
    cast.expect(name, json_message(expected), step=step_text)
    cast.actor(name, step_text).send_json(payload, step_text)
    finish_step(context)


@step(rf"{_NAME} (?:eventually )?receives(?: a message)?:?\Z")
def wsitest_actor_receives_doc_string(context, name):
    """Wait (default deadline) for a message matching the JSON in the doc string below.

        Then Rob eventually receives:
          \"\"\"
          {"message": "Rob: Hello, world!"}
          \"\"\"
    """
    step_text = f"{name} eventually receives:"
    _expect(context, name, _doc_string(context, step_text), None, step_text)
    finish_step(context)


@step(rf"{_NAME} (?:eventually )?receives {_MESSAGE}(?P<expected>.+) within (?P<seconds>\d+(?:\.\d+)?) seconds?\Z")
def wsitest_actor_receives_within(context, name, expected, seconds):
    """Wait at most the given time for a message matching the JSON.

        Then Rob eventually receives {"message": "Rob: Hello, world!"} within 2 seconds
        Then Rob receives {"message": "Rob: Hi"} within 1 second
    """
    _expect(context, name, expected, seconds, f"{name} eventually receives {expected} within {seconds} seconds")
    finish_step(context)


@step(rf"{_NAME} (?:eventually )?receives {_MESSAGE}(?P<expected>.+)\Z")
def wsitest_actor_receives(context, name, expected):
    """Wait (up to ws_timeout, default 5 s) for a message matching the JSON.

    Messages already received and not yet used by another step count too, so the order of
    arrival between steps does not matter. Fails at once if the connection closes.

        Then Rob eventually receives {"message": "Rob: Hello, world!"}
        When Rob receives a message {"message": "Rob has connected"}
    """
    _expect(context, name, expected, None, f"{name} eventually receives {expected}")
    finish_step(context)


@step(rf"{_NAME} does not receive {_MESSAGE}(?P<expected>.+) within (?P<seconds>\d+(?:\.\d+)?) seconds?\Z")
def wsitest_actor_does_not_receive(context, name, expected, seconds):
    """Pass only if no unused message matching the JSON arrives (or is waiting) for the given time.

        Then Rob does not receive {"message": "Rob: spam"} within 0.5 seconds
    """
    step_text = f"{name} does not receive {expected} within {seconds} seconds"
    forbidden = json_message(parse_json(expected, step_text))
    window = parse_seconds(seconds, step_text)
    cast_of(context).actor(name, step_text).expect_none(forbidden, window, step_text)
    finish_step(context)


use_step_matcher("parse")
