"""Sentences that connect, reconnect and disconnect actors, and check how connections open and end."""

from __future__ import annotations

from typing import Any

from behave import use_step_matcher

from ..integration.context import cast_of, finish_step
from ..language.connect import parse_connect_options
from ..language.values import actor_name, parse_names, parse_seconds, parse_whole
from ..model.kinds import FrameKind
from ._support import NAME, NAMES, NUMBER, SECONDS, WITHIN, step, step_input, within_text, written

use_step_matcher("re")

_TARGET = r'(?: to (?:the (?P<endpoint>[\w.-]+) endpoint|"(?P<url>[^"]+)"))?'


def _connect(context: Any, name: str, endpoint: str | None, url: str | None, options_text: str | None, step_text: str) -> None:
    cast = cast_of(context)
    url = cast.variables.fill(url, "url", step_text) if url else None
    options = parse_connect_options(options_text, step_input(context, step_text)) if options_text else None
    cast.connect(name, url, step_text, endpoint=endpoint, options=options)


@step(rf"(?:user )?(?P<name>{NAME}) connects\Z")
def wsitest_user_connects(context: Any, name: str) -> None:
    """Connect a new actor to the configured websocket URL (userdata ``ws_url``).

    Each ``{name}`` in ``ws_url`` becomes the actor's name, URL-encoded. The step fails at
    once, saying why, if the connection is refused or the handshake is rejected. A name with
    spaces or other signs goes in double quotes, in this and every other sentence.

    The step ends with the handshake, which is all a client can know of: a server may still be
    adding the actor to its rooms or subscriptions. When the next step depends on that (another
    actor's broadcast reaching this one), first wait for what the server sends once it has, such
    as ``Then Rob receives {"message": "Rob has connected"}``.

        Given user Rob connects
        Given Rob connects
        Given user "Rob Smith" connects
    """
    name = actor_name(name)
    _connect(context, name, None, None, None, f"user {name} connects")
    finish_step(context)


@step(rf'(?:user )?(?P<name>{NAME}) connects to "(?P<url>[^"]+)"\Z')
def wsitest_user_connects_to(context: Any, name: str, url: str) -> None:
    """Connect a new actor to the websocket URL given in the step.

    Given user Rob connects to "ws://127.0.0.1:8765/?name=Rob"
    """
    name = actor_name(name)
    _connect(context, name, None, url, None, f'user {name} connects to "{url}"')
    finish_step(context)


@step(rf"(?:user )?(?P<name>{NAME}) connects to the (?P<endpoint>[\w.-]+) endpoint\Z")
def wsitest_user_connects_to_endpoint(context: Any, name: str, endpoint: str) -> None:
    """Connect a new actor to a named endpoint: the URL in userdata ``ws_url.NAME``.

    For scenarios that use several servers or paths, e.g. ``-D ws_url.admin=ws://host/admin?user={name}``.

        Given user Alice connects to the admin endpoint
    """
    name = actor_name(name)
    _connect(context, name, endpoint, None, None, f"user {name} connects to the {endpoint} endpoint")
    finish_step(context)


@step(rf"(?:user )?(?P<name>{NAME}) connects{_TARGET} with (?P<options>.+?):?\Z")
def wsitest_user_connects_with(context: Any, name: str, endpoint: str | None, url: str | None, options: str) -> None:
    """Connect a new actor with handshake options: headers, query parameters, subprotocols, Origin, cookies.

    The clauses, joined by "and", are listed under "Handshake options" above; one of them may take
    the table below the step. Values may use ``{placeholders}``; secret headers (Authorization,
    Cookie, ...) show as *** in every report.

        Given user Rob connects with the header "Authorization: Bearer {token}"
        Given user Rob connects to the admin endpoint with the subprotocols "chat.v2" and "chat.v1"
        Given user Rob connects with the origin "https://app.example" and the cookie "session=abc"
        Given user Rob connects with the query parameters:
          | name | value     |
          | room | lobby     |
          | note | a&b=c     |
    """
    name = actor_name(name)
    target = f" to the {endpoint} endpoint" if endpoint else f' to "{url}"' if url else ""
    _connect(context, name, endpoint, url, options, f"user {name} connects{target} with {options}")
    finish_step(context)


@step(rf"users (?P<names>{NAMES}) connect(?: to the (?P<endpoint>[\w.-]+) endpoint)?(?: with (?P<options>.+?))?:?\Z")
def wsitest_users_connect(context: Any, names: str, endpoint: str | None, options: str | None) -> None:
    """Connect several actors, in the order written, each to the configured URL (or a named endpoint), with the same handshake options.

    Given users Alice and Bob connect
    Given users Alice, Bob and Carol connect
    Given users Alice and Bob connect to the admin endpoint
    Given users Alice and Bob connect with Socket.IO and the auth {"token": "t"}
    """
    step_text = written(
        context,
        f"users {names} connect" + (f" to the {endpoint} endpoint" if endpoint else "") + (f" with {options}" if options else ""),
    )
    cast = cast_of(context)
    for name in parse_names(names):
        connect_options = parse_connect_options(options, step_input(context, step_text)) if options else None
        cast.connect(name, step=step_text, endpoint=endpoint, options=connect_options)
    finish_step(context)


@step(rf"connecting as (?P<name>{NAME}){_TARGET}(?: with (?P<options>.+?))? is rejected with status (?P<status>{NUMBER})\Z")
def wsitest_connecting_is_rejected(
    context: Any, name: str, endpoint: str | None, url: str | None, options: str | None, status: str
) -> None:
    """The server refuses the websocket handshake with the given HTTP status, as the step expects.

    Fails if the server accepts the connection, answers another status, or cannot be reached.
    Takes the same target and options as the connect sentences.

        Then connecting as Mallory is rejected with status 401
        Then connecting as Mallory with the header "Authorization: Bearer forged" is rejected with status 401
        Then connecting as Eve to the admin endpoint is rejected with status 403
    """
    name = actor_name(name)
    target = f" to the {endpoint} endpoint" if endpoint else f' to "{url}"' if url else ""
    step_text = written(
        context, f"connecting as {name}{target}" + (f" with {options}" if options else "") + f" is rejected with status {status}"
    )
    cast = cast_of(context)
    url = cast.variables.fill(url, "url", step_text) if url else None
    connect_options = parse_connect_options(options, step_input(context, step_text)) if options else None
    expected = parse_whole(status, "The HTTP status", step_text, 100, 599)
    cast.expect_rejected(name, expected, url, step_text, endpoint=endpoint, options=connect_options)
    finish_step(context)


@step(rf'(?P<name>{NAME})\'s connection uses (?:the subprotocol "(?P<subprotocol>[^"]+)"|(?P<none>no subprotocol))\Z')
def wsitest_connection_uses_subprotocol(context: Any, name: str, subprotocol: str | None, none: str | None) -> None:
    """The server chose this subprotocol in the handshake (or none).

    Then Rob's connection uses the subprotocol "chat.v2"
    Then Rob's connection uses no subprotocol
    """
    name = actor_name(name)
    step_text = written(
        context, f"{name}'s connection uses " + (f'the subprotocol "{subprotocol}"' if subprotocol else "no subprotocol")
    )
    cast_of(context).actor(name, step_text).expect_subprotocol(subprotocol, step_text)
    finish_step(context)


@step(rf"(?P<name>{NAME}) disconnects\Z")
def wsitest_actor_disconnects(context: Any, name: str) -> None:
    """Close the actor's connection politely (close code 1000) and wait for the server's reply.

    When Rob disconnects
    """
    name = actor_name(name)
    step_text = written(context, f"{name} disconnects")
    cast_of(context).actor(name, step_text).disconnect(step=step_text)
    finish_step(context)


@step(rf'(?P<name>{NAME}) closes the connection with code (?P<code>{NUMBER})(?: and reason "(?P<reason>[^"]*)")?\Z')
def wsitest_actor_closes_with_code(context: Any, name: str, code: str, reason: str | None) -> None:
    """Close the actor's connection with the given close code (and reason), and wait for the server's reply.

    When Rob closes the connection with code 4000
    When Rob closes the connection with code 1001 and reason "switching rooms"
    """
    name = actor_name(name)
    step_text = written(
        context, f"{name} closes the connection with code {code}" + (f' and reason "{reason}"' if reason is not None else "")
    )
    close_code = parse_whole(code, "The close code", step_text, 1000, 4999)
    cast_of(context).actor(name, step_text).disconnect(close_code, reason or "", step=step_text)
    finish_step(context)


@step(rf"(?P<name>{NAME}) reconnects\Z")
def wsitest_actor_reconnects(context: Any, name: str) -> None:
    """Connect the actor again, to the same URL with the same options; its transcript goes on.

    An open connection is closed politely first. Messages of the earlier connection no longer
    satisfy any step.

        When Rob reconnects
    """
    name = actor_name(name)
    step_text = written(context, f"{name} reconnects")
    cast_of(context).actor(name, step_text).reconnect(step_text)
    finish_step(context)


@step(
    rf"(?:the server closes (?P<name>{NAME})\'s connection|(?P<name2>{NAME})\'s connection is closed by the server)"
    rf'(?: with code (?P<code>{NUMBER})(?: and reason "(?P<reason>[^"]*)")?)?{WITHIN}\Z'
)
def wsitest_server_closes_connection(
    context: Any, name: str | None, name2: str | None, code: str | None, reason: str | None, seconds: str | None
) -> None:
    """The server closes the actor's connection (with this code and reason, if given) before the deadline.

    Code 1006 stands for a connection lost without a close frame.

        Then the server closes Rob's connection with code 1008
        Then the server closes Rob's connection with code 4001 and reason "idle" within 2 seconds
        Then Rob's connection is closed by the server within 1 second
    """
    name = actor_name(name) if name else None
    name2 = actor_name(name2) if name2 else None
    name = name or name2 or ""
    step_text = written(
        context,
        f"the server closes {name}'s connection"
        + (f" with code {code}" if code else "")
        + (f' and reason "{reason}"' if reason is not None else "")
        + within_text(seconds),
    )
    timeout = parse_seconds(seconds, step_text) if seconds else None
    expected = parse_whole(code, "The close code", step_text, 1000, 4999) if code else None
    cast_of(context).actor(name, step_text).expect_closed(expected, reason, timeout, step_text)
    finish_step(context)


@step(rf"(?P<name>{NAME})'s connection ends{WITHIN}\Z")
def wsitest_connection_ends(context: Any, name: str, seconds: str | None) -> None:
    """The connection ends from the server's side before the deadline, with a close frame or without one.

    Then Rob's connection ends within 3 seconds
    """
    name = actor_name(name)
    step_text = written(context, f"{name}'s connection ends{within_text(seconds)}")
    timeout = parse_seconds(seconds, step_text) if seconds else None
    cast_of(context).actor(name, step_text).expect_ended(timeout, step_text)
    finish_step(context)


@step(rf"the server pings (?P<name>{NAME}) within (?P<seconds>{SECONDS}) seconds?\Z")
def wsitest_server_pings(context: Any, name: str, seconds: str) -> None:
    """The server sends the actor a ping before the deadline (the actor answers every ping with a pong).

    Then the server pings Rob within 5 seconds
    """
    name = actor_name(name)
    step_text = written(context, f"the server pings {name} within {seconds} seconds")
    cast_of(context).actor(name, step_text).expect_control(FrameKind.PING, None, parse_seconds(seconds, step_text), step_text)
    finish_step(context)


use_step_matcher("parse")
