"""Sentences about several actors on one timeline, about noise, and about unread messages.

Registered before the single-actor sentences, whose patterns would otherwise also match
"everyone ..." (as an actor named "everyone") and "Alice receives ... before Bob receives ...".
"""

from __future__ import annotations

from typing import Any

from behave import use_step_matcher
from hamcrest.core.matcher import Matcher

from ..integration.context import cast_of, finish_step
from ..language.messages import expectation
from ..language.values import actor_name, parse_names, parse_seconds
from ..model.frames import Frame
from ._support import NAME as _NAME
from ._support import NAMES as _NAMES
from ._support import SECONDS, optional_seconds, step, step_input, within_text, written
from ._support import WITHIN as _WITHIN

use_step_matcher("re")


def _matcher(context: Any, text: str, step_text: str) -> Matcher[Frame]:
    return expectation(text, step_input(context, step_text))


@step(rf"(?P<first>{_NAME}) receives (?P<first_expected>.+) before (?P<second>{_NAME}) receives (?P<second_expected>.+)\Z")
def wsitest_receives_before(context: Any, first: str, first_expected: str, second: str, second_expected: str) -> None:
    """Both actors receive their message (within ws_timeout), the first one strictly earlier.

    Every frame of every actor is stamped on one scenario clock, so arrivals can be compared.
    A frame is stamped when its actor reads it, and on a busy machine a reader can run some
    milliseconds late: compare arrivals that something orders (a reply, a later step), not two
    messages a server sends to two actors a moment apart.

        Then Alice receives {"message": "Bob: Hi"} before Carol receives {"message": "Bob: Hi"}
    """
    first = actor_name(first)
    second = actor_name(second)
    step_text = written(context, f"{first} receives {first_expected} before {second} receives {second_expected}")
    cast_of(context).expect_before(
        first, _matcher(context, first_expected, step_text), second, _matcher(context, second_expected, step_text), step=step_text
    )
    finish_step(context)


@step(rf"everyone (?:eventually )?receives (?P<expected>.+?){_WITHIN}\Z")
def wsitest_everyone_receives(context: Any, expected: str, seconds: str | None) -> None:
    """Every connected actor (all that have not disconnected) receives the message, before one deadline.

    Then everyone eventually receives {"message": "Rob has connected"}
    Then everyone receives {"message": "Rob: Hi"} within 2 seconds
    """
    step_text = written(context, f"everyone eventually receives {expected}{within_text(seconds)}")
    cast_of(context).expect_all(_matcher(context, expected, step_text), None, optional_seconds(seconds, step_text), step_text)
    finish_step(context)


@step(rf"(?P<names>{_NAMES}) (?:eventually )?receive (?P<expected>.+?){_WITHIN}\Z")
def wsitest_named_actors_receive(context: Any, names: str, expected: str, seconds: str | None) -> None:
    """Each of the named actors receives the message, before one deadline.

    Then Alice, Bob and Carol eventually receive {"message": "Rob: Hi"}
    Then Alice and Bob receive {"message": "Rob: Hi"} within 1 second
    """
    step_text = written(context, f"{names} eventually receive {expected}{within_text(seconds)}")
    cast_of(context).expect_all(
        _matcher(context, expected, step_text), parse_names(names), optional_seconds(seconds, step_text), step_text
    )
    finish_step(context)


@step(rf"no one receives (?P<expected>.+) within (?P<seconds>{SECONDS}) seconds?\Z")
def wsitest_no_one_receives(context: Any, expected: str, seconds: str) -> None:
    """No connected actor receives (or already holds unread) the message during one shared window.

    Then no one receives {"message": "Rob: spam"} within 1 second
    """
    step_text = written(context, f"no one receives {expected} within {seconds} seconds")
    cast_of(context).expect_nowhere(_matcher(context, expected, step_text), parse_seconds(seconds, step_text), step_text)
    finish_step(context)


@step(rf"only (?P<names>{_NAME}|{_NAMES}) (?:eventually )?receives? (?P<expected>.+)\Z")
def wsitest_only_named_actors_receive(context: Any, names: str, expected: str) -> None:
    """The named actors receive the message (within ws_timeout) and no other connected actor does.

    The others are watched until ws_settle seconds (default 0.5) after the last named actor got it.

        Then only Alice and Bob receive {"message": "Carol whispers"}
        Then only Alice receives {"message": "Welcome back"}
    """
    step_text = written(context, f"only {names} receive {expected}")
    cast_of(context).expect_only(parse_names(names), _matcher(context, expected, step_text), step=step_text)
    finish_step(context)


@step(r"everyone disconnects\Z")
def wsitest_everyone_disconnects(context: Any) -> None:
    """Every connected actor closes its connection politely (close code 1000), one after another.

    When everyone disconnects
    """
    cast_of(context).disconnect_everyone(step=written(context, "everyone disconnects"))
    finish_step(context)


@step(r"messages matching (?P<expected>.+) are ignored\Z")
def wsitest_messages_are_ignored(context: Any, expected: str) -> None:
    """Declare noise for every actor, connected now or later.

    Matching messages never satisfy, count as unread, or fail any step; transcripts show them
    as ignored.

        Given messages matching {"type": "heartbeat"} are ignored
    """
    step_text = written(context, f"messages matching {expected} are ignored")
    cast_of(context).ignore(_matcher(context, expected, step_text), f"messages matching {expected} are ignored")
    finish_step(context)


@step(rf"(?P<name>{_NAME}) ignores messages matching (?P<expected>.+)\Z")
def wsitest_actor_ignores(context: Any, name: str, expected: str) -> None:
    """Declare noise for one actor only (see "messages matching ... are ignored").

    Given Rob ignores messages matching {"type": "typing"}
    """
    name = actor_name(name)
    step_text = written(context, f"{name} ignores messages matching {expected}")
    cast_of(context).ignore(_matcher(context, expected, step_text), step_text, names=[name])
    finish_step(context)


@step(rf"(?P<name>{_NAME}) has no unread messages\Z")
def wsitest_actor_has_no_unread_messages(context: Any, name: str) -> None:
    """Every message the actor received so far was used by a step or ignored as noise.

    Catches duplicate and extra messages that "eventually receives" would pass over. To check
    every actor at the end of every scenario, run behave with -D ws_strict=fail (or warn).

        Then Rob has no unread messages
    """
    name = actor_name(name)
    step_text = written(context, f"{name} has no unread messages")
    cast_of(context).actor(name, step_text).check_no_unread(step_text)
    finish_step(context)


use_step_matcher("parse")
