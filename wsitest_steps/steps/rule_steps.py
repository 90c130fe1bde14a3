"""Sentences about time and standing rules: paced sends and automatic replies."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from behave import use_step_matcher
from hamcrest.core.matcher import Matcher

from ..integration.context import cast_of, finish_step
from ..language.messages import expectation, outgoing, split_pair
from ..language.step_input import StepInput
from ..language.values import actor_name, parse_seconds
from ..language.variables import PLACEHOLDER
from ..model.frames import Frame, Outgoing
from ._support import NAME, SECONDS, message_content, step, step_input, written

use_step_matcher("re")

#: How an automatic-reply rule is named where it used a frame or sent one.
RULE_PREFIX = "the rule: "


@step(rf"after (?P<seconds>{SECONDS}) seconds?,? (?P<name>{NAME}) sends(?P<words>(?: .*?)?):?\Z")
def wsitest_after_delay_actor_sends(context: Any, seconds: str, name: str, words: str) -> None:
    """Send a message once the given time has passed since the step began, for protocols that need pacing.

    The wait is measured on the clock and ends early, failing the step, if the connection
    closes meanwhile. The transcript shows the delay actually taken.

        When after 0.5 seconds Rob sends {"type": "keepalive"}
        When after 2 seconds, Rob sends the text "still here"
    """
    name = actor_name(name)
    step_text = written(context, f"after {seconds} seconds {name} sends{words}")
    delay = parse_seconds(seconds, step_text)
    message = outgoing(words, step_input(context, step_text))
    cast_of(context).actor(name, step_text).send_after(delay, message, step_text)
    finish_step(context)


@step(r"whenever anyone receives (?P<rest>.+? they reply.*?):?\Z")
def wsitest_whenever_anyone_receives_replies(context: Any, rest: str) -> None:
    """A standing rule for every actor, those connected and those still to connect: each matching message is answered by its receiver.

    Given whenever anyone receives {"type": "ping"}, they reply {"type": "pong"}
    Given whenever anyone receives the event "hello", they reply {"ok": true}
    """
    step_text = written(context, f"whenever anyone receives {rest}")
    trigger, reply = _rule(
        context, rest, (", they reply", " they reply"), step_text, "whenever anyone receives <message>, they reply <message>"
    )
    cast_of(context).answer_everyone(trigger, RULE_PREFIX + step_text, reply)
    finish_step(context)


def _rule(
    context: Any, rest: str, separators: tuple[str, ...], step_text: str, example: str
) -> tuple[Matcher[Frame], Callable[[Frame], Outgoing]]:
    given = step_input(context, step_text)
    separator = next((s for s in separators if s in rest), separators[-1])
    trigger, reply_words = split_pair(
        rest, separator, lambda words: expectation(words, given), lambda words: _checked_reply(words, given), step_text, example
    )
    cast = cast_of(context)
    label = RULE_PREFIX + step_text

    def reply(frame: Frame) -> Outgoing:
        message = message_content(frame)
        return outgoing(
            reply_words, replace(given, step=label, fill=lambda text, where: cast.variables.fill(text, where, label, message))
        )

    return trigger, reply


@step(rf"whenever (?P<name>{NAME}) receives (?P<rest>.+? replies.*?):?\Z")
def wsitest_whenever_actor_receives_replies(context: Any, name: str, rest: str) -> None:
    """A standing rule, for the rest of the scenario: each matching message is answered at once.

    The actor's reader thread sends the reply the moment the message arrives (messages already
    waiting are answered too), which suits heartbeats and acknowledgement protocols. The reply
    may use the triggering message's fields: ``{message.id}``, or just ``{id}``. Answered
    messages count as used by the rule. If a reply cannot be sent, the actor's next step fails.

        Given whenever Rob receives {"type": "ping"}, Rob replies {"type": "pong"}
        Given whenever Rob receives {"type": "order", "id": "<any integer>"}, Rob replies {"ack": {message.id}}
        Given whenever Rob receives the text "ping", Rob replies the text "pong"
    """
    name = actor_name(name)
    step_text = written(context, f"whenever {name} receives {rest}")
    separators = (f", {name} replies", f" {name} replies", ", replies", " replies")
    trigger, reply = _rule(context, rest, separators, step_text, f"whenever {name} receives <message>, {name} replies <message>")
    cast_of(context).prepare(name).answer(trigger, RULE_PREFIX + step_text, reply)
    finish_step(context)


@step(rf"(?P<name>{NAME}) does not answer pings\Z")
def wsitest_does_not_answer_pings(context: Any, name: str) -> None:
    """From now on the actor leaves the server's pings unanswered (every actor answers each ping with a pong by default).

    Given Rob does not answer pings
    Then the server closes Rob's connection within 3 seconds
    """
    name = actor_name(name)
    written(context, f"{name} does not answer pings")
    cast_of(context).prepare(name).answers_pings = False
    finish_step(context)


def _checked_reply(words: str, given: StepInput) -> str:
    # Placeholders may name the triggering message, known only later: check the shape now
    # with every placeholder standing in as null, so a malformed reply fails this step.
    outgoing(words, replace(given, fill=lambda text, where: PLACEHOLDER.sub(_as_null, text)))
    return words


def _as_null(match: re.Match[str]) -> str:
    return "{" if match.group(0) == "\\{" else "null"


use_step_matcher("parse")
