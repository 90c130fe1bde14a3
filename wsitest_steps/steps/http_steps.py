"""Sentences for HTTP requests beside the websocket, checked with the same words as messages.

Relative URLs are joined to userdata ``http_url``; each request is bounded by ``http_timeout``
(default 10 seconds). While a request runs, every actor's websocket keeps receiving.
"""

from __future__ import annotations

import re
from typing import Any

from behave import use_step_matcher

from ..errors import StepInputError
from ..integration.context import cast_of, finish_step
from ..language.messages import expectation, split_pair
from ..language.request import parse_request_options
from ..language.values import actor_name, parse_seconds, parse_whole
from ..language.variables import MISSING
from ..matching.json import matches_json
from ..matching.phrases import parse_phrase
from ._support import (
    NAME,
    NUMBER,
    SECONDS,
    WITHIN,
    expectation_within,
    message_content,
    optional_seconds,
    step,
    step_input,
    within_text,
    written,
)

use_step_matcher("re")

_METHOD = r"(?P<method>GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)"
_REQUEST = rf"{_METHOD} (?P<url>\S+)(?: with(?P<options> .+?|))?:?"
_RESPONSE = rf"(?P<name>{NAME})'s (?:last )?response"
#: Who makes the requests of a sentence that names no actor.
HTTP_ONLY = "HTTP"


def _request(context: Any, name: str, method: str, url: str, options: str | None, step_text: str, message: Any = MISSING) -> None:
    cast = cast_of(context)
    given = step_input(context, step_text)
    if message is not MISSING:
        given.fill = lambda text, where: cast.variables.fill(text, where, step_text, message)
    headers, body = parse_request_options(options, given)
    target = given.fill(url, "url")
    cast.http(name).request(method, target, headers, body, step_text)


@step(rf"(?P<name>{NAME}) requests {_REQUEST}\Z")
def wsitest_actor_requests(context: Any, name: str, method: str, url: str, options: str | None) -> None:
    """Make an HTTP request; its response is "Rob's response" in later steps.

    After "with": ``the header "Name: value"``, ``the headers:`` (a table), ``the body {...}`` or a
    JSON value, and ``the body:`` (or a bare colon) with a doc string. URLs and values may use
    ``{placeholders}``; secret headers show as *** in every report.

        When Rob requests GET /users/Rob
        When Rob requests POST /login with {"name": "Rob"}
        When Rob requests POST /broadcast with the header "Authorization: Bearer {token}" and the body {"message": "Hi"}
        When Rob requests PUT /notes/1:
          \"\"\"
          {"text": "written on its own lines"}
          \"\"\"
    """
    name = actor_name(name)
    step_text = written(context, f"{name} requests {method} {url}" + (f" with{options}" if options else ""))
    _request(context, name, method, url, options, step_text)
    finish_step(context)


@step(rf"after (?P<seconds>{SECONDS}) seconds?,? (?P<name>{NAME}) requests {_REQUEST}\Z")
def wsitest_after_delay_actor_requests(context: Any, seconds: str, name: str, method: str, url: str, options: str | None) -> None:
    """Make an HTTP request once the given time has passed since the step began (pywsitest's request delay).

    The pause is measured on the clock; the actor's websocket, if it has one, keeps receiving.

        When after 0.5 seconds Rob requests POST /broadcast with {"message": "late"}
    """
    name = actor_name(name)
    step_text = written(
        context, f"after {seconds} seconds {name} requests {method} {url}" + (f" with{options}" if options else "")
    )
    cast_of(context).http(name).pause(parse_seconds(seconds, step_text))
    _request(context, name, method, url, options, step_text)
    finish_step(context)


@step(rf"(?P<name>{NAME}) receives (?P<rest>.+ then requests .+?):?\Z")
def wsitest_actor_receives_then_requests(context: Any, name: str, rest: str) -> None:
    """Wait for a message (up to ws_timeout, or the time given), then make an HTTP request that may use its fields.

    ``{message.id}`` (or just ``{id}``, when no remembered value has that name) is the field
    of the message that arrived.

        When Rob receives {"type": "order", "id": "<any integer>"} then requests GET /orders/{message.id}
        When Rob receives {"type": "invite"} within 2 seconds then requests POST /accept with {"invite": {id}}
    """
    name = actor_name(name)
    step_text = written(context, f"{name} receives {rest}")
    given = step_input(context, step_text)
    (matcher, seconds), request = split_pair(
        rest,
        " then requests ",
        lambda words: expectation_within(words, given),
        _parse_request,
        step_text,
        'ACTOR receives <message> then requests METHOD URL, e.g. Rob receives {"type": "order"} then requests GET /orders',
    )
    frame = cast_of(context).actor(name, step_text).expect(matcher, optional_seconds(seconds, step_text), step_text)
    method, url, options = request
    _request(context, name, method, url, options, step_text, message=message_content(frame))
    finish_step(context)


def _parse_request(words: str) -> tuple[str, str, str | None]:
    found = re.fullmatch(_REQUEST, words.strip())
    if not found:
        raise StepInputError(f"{words.strip()!r} is not METHOD URL, e.g. GET /orders/{{id}}.")
    return found.group("method"), found.group("url"), found.group("options")


@step(rf"{_RESPONSE} has (?:the )?status (?P<status>{NUMBER})\Z")
def wsitest_response_has_status(context: Any, name: str, status: str) -> None:
    """The actor's last HTTP response has this status code.

    Then Rob's response has status 200
    """
    name = actor_name(name)
    step_text = written(context, f"{name}'s response has status {status}")
    cast_of(context).http(name).check_status(parse_whole(status, "The HTTP status", step_text, 100, 599), step_text)
    finish_step(context)


@step(rf"{_RESPONSE} (?:is|body is|matches) (?P<words>.*?):?\Z")
def wsitest_response_is(context: Any, name: str, words: str) -> None:
    """The actor's last HTTP response body matches, as a message would: JSON as a subset, text, a schema.

    Then Rob's response is {"name": "Rob", "online": true}
    Then Rob's response is {"token": "<any string>"}
    Then Rob's response is the text "pong"
    Then Rob's response matches the schema "schemas/user.json"
    """
    name = actor_name(name)
    step_text = written(context, f"{name}'s response is {words}")
    words = words if not words.startswith("the schema") else f"a message matching {words}"
    cast_of(context).http(name).check_body(expectation(words, step_input(context, step_text)), step_text)
    finish_step(context)


@step(rf"(?:(?P<name>{NAME})'s )?{_METHOD} (?P<url>\S+) eventually answers (?P<words>.+?){WITHIN}:?\Z")
def wsitest_request_eventually_answers(
    context: Any, name: str | None, method: str, url: str, words: str, seconds: str | None
) -> None:
    """Repeat a request until its response body matches, as a message would, before the deadline (ws_timeout).

    Without an actor's name, the requests are made as "HTTP".

        Then GET /clients eventually answers {"count": 1} within 2 seconds
        Then Rob's GET /users/Bob eventually answers {"online": true}
    """
    name = actor_name(name) if name else HTTP_ONLY
    shown = f"{name}'s " if name != HTTP_ONLY else ""
    step_text = written(context, f"{shown}{method} {url} eventually answers {words}{within_text(seconds)}")
    given = step_input(context, step_text)
    cast = cast_of(context)
    timeout = optional_seconds(seconds, step_text)
    matcher = expectation(words, given)
    cast.http(name).poll(
        method, given.fill(url, "url"), matcher, cast.settings.timeout if timeout is None else timeout, step=step_text
    )
    finish_step(context)


@step(rf"{_RESPONSE} has a body with:?\Z")
def wsitest_response_has_body_with(context: Any, name: str) -> None:
    """The actor's last HTTP response body holds, at each path of the table, what the row expects.

    Then Rob's response has a body with:
      | path      | expectation |
      | $.token   | any string  |
      | $.name    | "Rob"       |
    """
    name = actor_name(name)
    step_text = written(context, f"{name}'s response has a body with:")
    cast_of(context).http(name).check_body(expectation("a message with", step_input(context, step_text)), step_text)
    finish_step(context)


@step(rf'{_RESPONSE} has the header "(?P<header>[^"]+)"(?: (?P<phrase>.+))?\Z')
def wsitest_response_has_header(context: Any, name: str, header: str, phrase: str | None) -> None:
    """The actor's last HTTP response has this header: "Name: value" exactly, or "Name" and an expectation.

    Then Rob's response has the header "Content-Type: application/json"
    Then Rob's response has the header "Content-Type" containing "json"
    Then Rob's response has the header "Retry-After" absent
    """
    name = actor_name(name)
    step_text = written(context, f'{name}\'s response has the header "{header}"' + (f" {phrase}" if phrase else ""))
    cast = cast_of(context)
    if phrase is None:
        header_name, _, value = header.partition(":")
        matcher = matches_json(cast.variables.fill(value.strip(), "text", step_text))
    else:
        header_name, matcher = header, parse_phrase(cast.variables.fill(phrase, "json", step_text), step_text)
    cast.http(name).check_header(header_name.strip(), matcher, step_text)
    finish_step(context)


use_step_matcher("parse")
