"""Sentences that send messages and expect them.

What follows "sends" or "receives" is described the same way in every sentence: JSON, a doc
string, ``the text "..."``, ``the bytes 00 ff``, ``a message with:`` and a table, and more (see
:mod:`wsitest_steps.message_specs`). Expected JSON matches as a subset for objects (extra keys are
fine, at any depth), element by element for arrays, and by type and value for scalars. Each
received message satisfies at most one expectation; messages no step used stay for later steps.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from behave import use_step_matcher
from hamcrest.core.matcher import Matcher

from ..integration.context import cast_of, finish_step
from ..language.messages import expectation, message_list, outgoing, split_pair
from ..language.values import actor_name, parse_seconds, parse_whole
from ..model.frames import Frame
from ._support import (
    NAME,
    NUMBER,
    SECONDS,
    WITHIN,
    expectation_within,
    optional_seconds,
    step,
    step_input,
    within_text,
    written,
)

use_step_matcher("re")


@step(rf"(?P<name>{NAME}) receives (?P<rest>.+ then sends.*?)\Z")
def wsitest_actor_receives_then_sends(context: Any, name: str, rest: str) -> None:
    """Wait for a message (up to ws_timeout, or the time given), then reply: a trigger, as in a conversation.

    The reply is any message a "sends" sentence accepts, also a doc string after "then sends:".

        When Rob receives {"message": "Rob has connected"} then sends {"message": "Hello, world!"}
        When Rob receives {"type": "ready"} within 2 seconds then sends the text "go"
        When Rob receives {"message": "Rob has connected"} then sends:
          \"\"\"
          {"message": "Hello, world!"}
          \"\"\"
    """
    name = actor_name(name)
    step_text = written(context, f"{name} receives {rest}")
    given = step_input(context, step_text)
    (expected, seconds), reply = split_pair(
        rest,
        " then sends",
        lambda words: expectation_within(words, given),
        lambda words: outgoing(words, given),
        step_text,
        'ACTOR receives <message> then sends <message>, e.g. Rob receives {"message": "Rob has connected"} then sends {"message": "Hi"}',
    )
    cast = cast_of(context)
    actor = cast.actor(name, step_text)
    actor.expect(expected, optional_seconds(seconds, step_text), step_text)
    actor.send(reply, step_text)
    finish_step(context)


@step(rf"(?P<name>{NAME}) receives exactly (?P<count>{NUMBER}) messages? matching (?P<words>.+?){WITHIN}:?\Z")
def wsitest_actor_receives_exactly(context: Any, name: str, count: str, words: str, seconds: str | None) -> None:
    """Exactly this many unused messages match: one too many fails, as do too few.

    With "within", the whole time is watched. Without, the step ends ws_settle seconds (default
    0.5) after the last expected one arrives, so a duplicate that follows at once is caught.

        Then Rob receives exactly 2 messages matching {"type": "trade"} within 1 second
        Then Rob receives exactly 1 message matching {"message": "Rob has connected"}
    """
    name = actor_name(name)
    step_text = written(context, f"{name} receives exactly {count} messages matching {words}{within_text(seconds)}")
    matcher = expectation(words, step_input(context, step_text))
    cast_of(context).actor(name, step_text).expect_count(
        parse_whole(count, "The number of messages", step_text, 0, 1_000_000),
        matcher,
        optional_seconds(seconds, step_text),
        step_text,
    )
    finish_step(context)


@step(rf"(?P<name>{NAME}) receives,? in this order:?\Z")
def wsitest_actor_receives_in_order(context: Any, name: str) -> None:
    """Every message listed below arrives, each after the one before it; others may come in between.

    List the messages as a doc string of JSON values (one after another) or as a table with one
    message per row. One deadline (ws_timeout) covers them all.

        Then Rob receives, in this order:
          \"\"\"
          {"message": "Alice: one"}
          {"message": "Alice: two"}
          \"\"\"
        Then Rob receives, in this order:
          | message                   |
          | {"message": "Alice: one"} |
          | {"message": "Alice: two"} |
    """
    name = actor_name(name)
    step_text = written(context, f"{name} receives, in this order:")
    cast_of(context).actor(name, step_text).expect_in_order(_listed(context, step_text), step=step_text)
    finish_step(context)


@step(rf"(?P<name>{NAME}) receives all of these,? in any order:?\Z")
def wsitest_actor_receives_in_any_order(context: Any, name: str) -> None:
    """Every message listed below arrives, each matched by a different message, in any order.

    Messages are assigned so that a loose expectation never takes the one message a stricter
    one needed. Listed as for "in this order".

        Then Rob receives all of these, in any order:
          | message                      |
          | {"message": "Bob: hi"}        |
          | {"message": "<any string>"}   |
    """
    name = actor_name(name)
    step_text = written(context, f"{name} receives all of these, in any order:")
    cast_of(context).actor(name, step_text).expect_all_of(_listed(context, step_text), step=step_text)
    finish_step(context)


@step(rf"(?P<name>{NAME}) receives no further messages within (?P<seconds>{SECONDS}) seconds?\Z")
def wsitest_actor_receives_no_further_messages(context: Any, name: str, seconds: str) -> None:
    """No message that no step used is waiting, or arrives, during the given time.

    Ignored noise, pings and pongs do not count.

        Then Rob receives no further messages within 0.5 seconds
    """
    name = actor_name(name)
    step_text = written(context, f"{name} receives no further messages within {seconds} seconds")
    cast_of(context).actor(name, step_text).expect_quiet(parse_seconds(seconds, step_text), step_text)
    finish_step(context)


@step(rf"the next message (?P<name>{NAME}) receives is (?P<words>.*?){WITHIN}:?\Z")
def wsitest_next_message_is(context: Any, name: str, words: str, seconds: str | None) -> None:
    """The very next message the actor has not yet used matches; nothing else may come first.

    Waits for one (up to ws_timeout or the given time) if none is waiting.

        Then the next message Rob receives is {"message": "Rob: Hello"}
        Then the next message Rob receives is the text "pong" within 1 second
    """
    name = actor_name(name)
    step_text = written(context, f"the next message {name} receives is {words}{within_text(seconds)}")
    matcher = expectation(words, step_input(context, step_text))
    cast_of(context).actor(name, step_text).expect_next(matcher, optional_seconds(seconds, step_text), step_text)
    finish_step(context)


@step(rf"(?P<name>{NAME}) sends(?P<words>(?: .*?)?):?\Z")
def wsitest_actor_sends(context: Any, name: str, words: str) -> None:
    """Send a message: JSON (any JSON value), text, bytes or a ping.

    When Rob sends {"message": "Hello, world!"}
    When Rob sends a message {"message": "Hello, world!"}
    When Rob sends [1, 2, 3]
    When Rob sends the text "hello"
    When Rob sends the bytes 00 ff 10
    When Rob sends the base64 bytes "AP8Q"
    When Rob sends the bytes of "fixtures/picture.png"
    When Rob sends a ping
    When Rob sends:
      \"\"\"
      {"message": "Hello, world!"}
      \"\"\"
    When Rob sends the text:
      \"\"\"
      Hello on two
      lines
      \"\"\"
    """
    name = actor_name(name)
    step_text = written(context, f"{name} sends{words}")
    message = outgoing(words, step_input(context, step_text))
    cast_of(context).actor(name, step_text).send(message, step_text)
    finish_step(context)


@step(rf"(?P<name>{NAME}) (?:eventually )?receives(?P<words>(?: .*?)?){WITHIN}:?\Z")
def wsitest_actor_receives(context: Any, name: str, words: str, seconds: str | None) -> None:
    """Wait (up to ws_timeout, default 5 s, or the given time) for a message that matches.

    Messages already received and not yet used by another step count too, so the order of
    arrival between steps does not matter. Fails at once if the connection closes. Expected
    JSON may hold expectations between angle brackets, e.g. "<any integer>".

        Then Rob eventually receives {"message": "Rob: Hello, world!"}
        Then Rob eventually receives {"message": "Rob: Hi"} within 2 seconds
        Then Rob receives a message {"id": "<any integer>", "text": "<containing \\"Hi\\">"}
        Then Rob receives the text "pong"
        Then Rob receives a text message containing "pong"
        Then Rob receives the bytes 00 ff 10
        Then Rob receives a binary message of 3 bytes
        Then Rob receives a pong within 1 second
        Then Rob receives a message matching the schema "schemas/order.json"
        Then Rob eventually receives a message with:
          | path           | expectation        |
          | $.order.id     | any integer        |
          | $.order.side   | one of "buy", "sell" |
          | $.items[*].sku | "A-1"              |
          | $.error        | absent             |
        Then Rob eventually receives:
          \"\"\"
          {"message": "Rob: Hello, world!"}
          \"\"\"
    """
    name = actor_name(name)
    step_text = written(context, f"{name} eventually receives{words}{within_text(seconds)}")
    matcher = expectation(words, step_input(context, step_text))
    cast_of(context).actor(name, step_text).expect(matcher, optional_seconds(seconds, step_text), step_text)
    finish_step(context)


@step(rf"(?P<name>{NAME}) does not receive (?P<words>.+?) within (?P<seconds>{SECONDS}) seconds?\Z")
def wsitest_actor_does_not_receive(context: Any, name: str, words: str, seconds: str) -> None:
    """Pass only if no unused message that matches arrives (or is waiting) for the given time.

    Then Rob does not receive {"message": "Rob: spam"} within 0.5 seconds
    Then Rob does not receive a binary message within 1 second
    """
    name = actor_name(name)
    step_text = written(context, f"{name} does not receive {words} within {seconds} seconds")
    forbidden = expectation(words, step_input(context, step_text))
    cast_of(context).actor(name, step_text).expect_none(forbidden, parse_seconds(seconds, step_text), step_text)
    finish_step(context)


def _listed(context: Any, step_text: str) -> list[Matcher[Frame]]:
    """A matcher for each message listed below the step (a doc string or a table)."""
    given = step_input(context, step_text)
    # Each listed message is read on its own: the step's doc string or table is the list itself.
    one_by_one = replace(given, doc=None, rows=None)
    return [expectation(text, one_by_one) for text in message_list(given)]


use_step_matcher("parse")
