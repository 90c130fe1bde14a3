"""Sentences that remember values from messages, for ``{placeholders}`` in later steps."""

from __future__ import annotations

import re
from typing import Any

from behave import use_step_matcher

from ..errors import ExpectationFailed, StepInputError, at_step
from ..integration.context import cast_of, finish_step
from ..language.values import actor_name
from ..model.frames import NotJson
from ..model.wording import preview
from ..scenario.cast import Cast
from ._support import NAME, step, step_input, written

use_step_matcher("re")

_VARIABLE = r"[A-Za-z_][A-Za-z0-9_]*"


_SOURCE = r"(?P<source>that message|the last message|the response|its response|the last response)"


def _message_of(cast: Cast, name: str, source: str, step_text: str) -> tuple[Any, str]:
    if "response" in source:
        exchange = cast.http(name).last_exchange(step_text)
        try:
            return exchange.json(), f"{name}'s response to {exchange.method} {exchange.url}"
        except NotJson:
            raise StepInputError(
                f"{name}'s last response is not JSON, so no value can be read from it{at_step(step_text)}: "
                f"{exchange.describe(cast.recorder)}"
            ) from None
    frame = cast.actor(name, step_text).require_last_received(step_text)
    try:
        return frame.json(), f"{name}'s message #{frame.index}"
    except NotJson:
        raise StepInputError(
            f"{name}'s last message, #{frame.index}, is not JSON, so no value can be read from it{at_step(step_text)}: "
            f"{frame.describe()}"
        ) from None


@step(rf"(?P<name>{NAME}) remembers (?P<path>.+?) from {_SOURCE} as (?P<variable>{_VARIABLE})\Z")
def wsitest_actor_remembers(context: Any, name: str, path: str, source: str, variable: str) -> None:
    """Remember a value of the message the actor's last step received (or of its last HTTP response).

    The path is JSONPath (``$.order.id``, ``$.items[0].id``), or a regular expression between
    slashes, read on the message's text as it came (its first group, else the whole match): for
    text frames that are not JSON. The value of a JSONPath keeps its JSON type:
    ``{order_id}`` standing alone in JSON is a number if the value was one. Values whose names
    look secret (token, password, key ...) show as *** in every report.

        When Rob receives {"type": "order", "id": "<any integer>"}
        And Rob remembers $.id from that message as order_id
        Then Rob sends {"type": "cancel", "id": {order_id}}
        When Rob remembers $.token from the response as token
        When Rob remembers /"sid":"([^"]+)"/ from that message as sid
    """
    name = actor_name(name)
    step_text = written(context, f"{name} remembers {path} from {source} as {variable}")
    cast = cast_of(context)
    if len(path) > 1 and path.startswith("/") and path.endswith("/") and "response" not in source:
        _remember_match(cast, name, path[1:-1], variable, step_text)
    else:
        message, what = _message_of(cast, name, source, step_text)
        cast.remember(variable, path, message, what, step_text)
    finish_step(context)


def _remember_match(cast: Cast, name: str, pattern: str, variable: str, step_text: str) -> None:
    # A regular expression between slashes reads the frame's text as it came, JSON or not:
    # what a text protocol's frames (42["chat",...], 0{"sid":...}) need.
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise StepInputError(f"/{pattern}/ is not a regular expression ({exc}){at_step(step_text)}.") from None
    frame = cast.actor(name, step_text).require_last_received(step_text)
    if not frame.is_text:
        raise StepInputError(f"{name}'s last message, #{frame.index}, is not text{at_step(step_text)}: {frame.describe()}")
    found = compiled.search(frame.text)
    if found is None:
        raise ExpectationFailed(
            cast.recorder.redactor.text(
                f"/{pattern}/ finds nothing in {name}'s message #{frame.index}{at_step(step_text)}, so nothing can be "
                f"remembered as {variable}. It was: {preview(frame.text)}"
            )
        )
    cast.variables.remember(variable, found.group(1) if compiled.groups else found.group(0))


@step(rf"(?P<name>{NAME}) remembers from {_SOURCE}:?\Z")
def wsitest_actor_remembers_table(context: Any, name: str, source: str) -> None:
    """Remember several values of the message the actor's last step received (or of its last response).

    When Rob remembers from that message:
      | path          | name     |
      | $.order.id    | order_id |
      | $.order.price | price    |
    """
    name = actor_name(name)
    step_text = written(context, f"{name} remembers from {source}:")
    cast = cast_of(context)
    rows = step_input(context, step_text).table(("path", "name"), "  | path       | name     |\n  | $.order.id | order_id |")
    message, what = _message_of(cast, name, source, step_text)
    for path, variable in rows:
        cast.remember(variable.strip(), path, message, what, step_text)
    finish_step(context)


use_step_matcher("parse")
