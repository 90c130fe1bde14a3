"""Sentences of the protocols spoken over websocket frames: Socket.IO events and acknowledgements,
GraphQL subscriptions, STOMP destinations and receipts, heartbeats, and a refused protocol handshake.

Every other sentence (receives, does not receive, in order, everyone, remembers, ...) works on
a protocol's messages as it does on frames; these add what only a protocol has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from behave import use_step_matcher
from hamcrest import contains_string, has_value
from hamcrest.core.matcher import Matcher

from ..connection.actor import Actor
from ..errors import StepInputError, at_step
from ..integration.context import cast_of, finish_step
from ..language.connect import parse_connect_options
from ..language.messages import answer_expectation, argument_list, outgoing
from ..language.step_input import decode_quoted
from ..language.values import actor_name, parse_json
from ..matching.json import json_text, matches_json
from ..matching.messages import ProtocolMessage
from ..matching.phrases import expected_json
from ..model.frames import NO_VALUE
from ..model.messages import Message
from ..model.wording import as_text
from ..protocols.base import Protocol
from ._support import NAME, WITHIN, optional_seconds, step, step_input, within_text, written

use_step_matcher("re")

if TYPE_CHECKING:
    from ..protocols.graphql import GraphQLTransportWS
    from ..protocols.socketio import SocketIO
    from ..protocols.stomp import Stomp


# Each protocol is loaded when a step first needs it (an actor that speaks it has loaded it
# already), so that a run which speaks none never imports them.
def _socketio() -> type[SocketIO]:
    from ..protocols.socketio import SocketIO

    return SocketIO


def _graphql() -> type[GraphQLTransportWS]:
    from ..protocols.graphql import GraphQLTransportWS

    return GraphQLTransportWS


def _stomp() -> type[Stomp]:
    from ..protocols.stomp import Stomp

    return Stomp


P = TypeVar("P", bound=Protocol)
_LABEL = r"[A-Za-z_][\w-]*"


def _speaking(actor: Actor, protocol: type[P], step: str) -> P:
    if not isinstance(actor.protocol, protocol):
        speaks = f"speaks {actor.protocol.title}" if actor.protocol is not None else "speaks no protocol over its websocket"
        raise StepInputError(
            f"{actor.name} {speaks}, so it cannot do this{at_step(step)}. "
            f'Connect it with {protocol.title} first, e.g. "Given user {actor.name} connects with {protocol.title}".'
        )
    return actor.protocol


def _arguments(words: str | None, context: Any, step_text: str) -> tuple[Any, ...]:
    """``{...}`` is one argument, ``the arguments [...]`` several, ``the bytes 00 ff`` one binary one."""
    if words is None:
        return ()
    given = step_input(context, step_text)
    listed = argument_list(words, given)
    if listed is not None:
        return tuple(listed)
    if words.lower().strip().startswith(("the bytes", "the base64 bytes")):
        return (outgoing(words, given).payload,)
    return (parse_json(given.fill(words, "json"), step_text),)


def _described(arguments_words: str | None) -> str:
    return f" with {arguments_words}" if arguments_words else ""


@step(rf'(?P<name>{NAME}) emits "(?P<event>[^"]+)"(?: with (?P<arguments>.+))?\Z')
def wsitest_emits(context: Any, name: str, event: str, arguments: str | None) -> None:
    """Emit a Socket.IO event, with one argument, several, or binary data; it asks for an acknowledgement.

    When Alice emits "chat" with {"text": "hi"}
    When Alice emits "move" with the arguments [3, "north"]
    When Alice emits "upload" with the bytes 00 01 ff
    When Alice emits "ping"
    """
    name = actor_name(name)
    step_text = written(context, f'{name} emits "{event}"{_described(arguments)}')
    actor = cast_of(context).actor(name, step_text)
    protocol = _speaking(actor, _socketio(), step_text)
    actor.send_message(protocol.event(event, _arguments(arguments, context, step_text)), step_text)
    finish_step(context)


@step(rf'(?P<name>{NAME})\'s "(?P<event>[^"]+)" is acknowledged(?: with (?P<arguments>.+?))?{WITHIN}\Z')
def wsitest_is_acknowledged(context: Any, name: str, event: str, arguments: str | None, seconds: str | None) -> None:
    """The server acknowledges the actor's last emit of that event (with that answer, if given), within ws_timeout.

    Then Alice's "join" is acknowledged
    Then Alice's "join" is acknowledged with {"ok": true}
    Then Alice's "move" is acknowledged with the arguments [true, "north"] within 2 seconds
    """
    name = actor_name(name)
    step_text = written(context, f'{name}\'s "{event}" is acknowledged{_described(arguments)}{within_text(seconds)}')
    actor = cast_of(context).actor(name, step_text)
    ack = _speaking(actor, _socketio(), step_text).asked(event)
    if ack is None:
        raise StepInputError(f'{name} never emitted "{event}"{at_step(step_text)}, so nothing can acknowledge it.')
    described = f'an acknowledgement of {name}\'s "{event}"'
    matcher = answer_expectation("ack", described, arguments, step_input(context, step_text), ident=ack)
    actor.expect(matcher, optional_seconds(seconds, step_text), step_text)
    finish_step(context)


@step(rf'(?P<name>{NAME}) acknowledges "(?P<event>[^"]+)"(?: with (?P<arguments>.+))?\Z')
def wsitest_acknowledges(context: Any, name: str, event: str, arguments: str | None) -> None:
    """Answer the oldest event of that name the server emitted asking for an acknowledgement (waiting up to ws_timeout for it).

    When Alice acknowledges "question" with {"answer": 42}
    """
    name = actor_name(name)
    step_text = written(context, f'{name} acknowledges "{event}"{_described(arguments)}')
    actor = cast_of(context).actor(name, step_text)
    protocol = _speaking(actor, _socketio(), step_text)
    asking = ProtocolMessage("event", f'the event "{event}" asking for an acknowledgement', name=event, answerable=True)
    frame = actor.expect(asking, None, step_text)
    assert frame.message is not None  # the matcher accepts protocol messages only
    actor.send_message(protocol.acknowledgement(frame.message, _arguments(arguments, context, step_text)), step_text)
    finish_step(context)


@step(rf"(?P<name>{NAME}) stops answering heartbeats\Z")
def wsitest_stops_answering_heartbeats(context: Any, name: str) -> None:
    """The actor's protocol no longer answers the server's heartbeats, nor sends its own: a client gone silent, to see the server drop it.

    When Alice stops answering heartbeats
    Then the server closes Alice's connection within 4 seconds
    """
    name = actor_name(name)
    step_text = written(context, f"{name} stops answering heartbeats")
    actor = cast_of(context).actor(name, step_text)
    if actor.protocol is None:
        raise StepInputError(
            f"{name} speaks no protocol over its websocket, so it has no heartbeats to stop{at_step(step_text)}."
        )
    actor.protocol.answers_heartbeats = False
    finish_step(context)


@step(
    rf'(?P<name>{NAME}) subscribes to (?P<query>"(?:[^"\\]|\\.)*")(?: as (?P<label>{_LABEL}))?(?: with the variables (?P<variables>.+))?\Z'
)
def wsitest_subscribes(context: Any, name: str, query: str, label: str | None, variables: str | None) -> None:
    """Start a GraphQL subscription under a label (``as counter``), or subscribe to a STOMP destination until the broker confirms it.

    Later sentences name a GraphQL subscription by its label (``from counter``, ``counter completes``).
    A STOMP subscription passes once the broker's receipt arrives (within ws_timeout), so that what
    anyone publishes afterwards reaches it.

    When Alice subscribes to "subscription { count(to: 3) }" as counter
    When Alice subscribes to "subscription ($text: String!) { echo(text: $text) }" as echo with the variables {"text": "hi"}
    Then Alice receives {"count": 1} from counter
    When Bob subscribes to "/topic/chat"
    """
    name = actor_name(name)
    step_text = written(
        context,
        f"{name} subscribes to {query}"
        + (f" as {label}" if label else "")
        + (f" with the variables {variables}" if variables else ""),
    )
    cast = cast_of(context)
    actor = cast.actor(name, step_text)
    if isinstance(actor.protocol, _stomp()) and label is None and variables is None:
        destination = decode_quoted(step_input(context, step_text).fill(query, "text"), "the destination", step_text)
        _subscribe_to_destination(actor, actor.protocol, destination, step_text)
        finish_step(context)
        return
    protocol = _speaking(actor, _graphql(), step_text)
    if label is None:
        raise StepInputError(
            f"{name}'s subscription needs a label for later sentences to name it{at_step(step_text)}: "
            f'e.g. "When {name} subscribes to {query} as counter".'
        )
    values = parse_json(step_input(context, step_text).fill(variables, "json"), step_text) if variables else None
    try:
        text = decode_quoted(step_input(context, step_text).fill(query, "text"), "the subscription", step_text)
        message = protocol.subscription(label, text, values)
    except ValueError as exc:
        raise StepInputError(f"{name} cannot subscribe as {label}{at_step(step_text)}: {exc}; give it another label.") from None
    cast.subscriptions[label] = name
    actor.send_message(message, step_text)
    finish_step(context)


def _subscriber(context: Any, label: str, step_text: str) -> tuple[Actor, GraphQLTransportWS]:
    cast = cast_of(context)
    name = cast.subscriptions.get(label)
    if name is None:
        known = ", ".join(sorted(cast.subscriptions)) or "none yet"
        raise StepInputError(
            f"No subscription is labelled {label}{at_step(step_text)} (labels: {known}). "
            f'Subscribe first, e.g. "When Alice subscribes to "subscription {{ ... }}" as {label}".'
        )
    actor = cast.actor(name, step_text)
    return actor, _speaking(actor, _graphql(), step_text)


@step(rf"(?P<label>{_LABEL}) completes{WITHIN}\Z")
def wsitest_subscription_completes(context: Any, label: str, seconds: str | None) -> None:
    """The server ends the subscription (complete), within ws_timeout.

    Then counter completes
    """
    step_text = written(context, f"{label} completes{within_text(seconds)}")
    actor, _ = _subscriber(context, label, step_text)
    actor.expect(
        ProtocolMessage("complete", f"the completion of {label}", channel=label), optional_seconds(seconds, step_text), step_text
    )
    finish_step(context)


@step(rf"(?P<label>{_LABEL}) fails with (?P<errors>.+?){WITHIN}\Z")
def wsitest_subscription_fails(context: Any, label: str, errors: str, seconds: str | None) -> None:
    """The server ends the subscription with errors that match (a JSON expectation on GraphQL's list of errors).

    Then broken fails with [{"message": "<contains 'always fails'>"}]
    """
    step_text = written(context, f"{label} fails with {errors}{within_text(seconds)}")
    actor, _ = _subscriber(context, label, step_text)
    value = parse_json(step_input(context, step_text).fill(errors, "json"), step_text)
    matcher = ProtocolMessage(
        "error", f"an error of {label}: {json_text(value)}", channel=label, payload=matches_json(expected_json(value, step_text))
    )
    actor.expect(matcher, optional_seconds(seconds, step_text), step_text)
    finish_step(context)


@step(rf'(?P<name>{NAME}) unsubscribes from (?:(?P<label>{_LABEL})|(?P<destination>"[^"]+"))\Z')
def wsitest_unsubscribes(context: Any, name: str, label: str | None, destination: str | None) -> None:
    """End a GraphQL subscription, or a subscription to a STOMP destination (passing once the broker confirms it).

    When Alice unsubscribes from counter
    When Bob unsubscribes from "/topic/chat"
    """
    name = actor_name(name)
    step_text = written(context, f"{name} unsubscribes from {label or destination}")
    if destination is not None:
        actor = cast_of(context).actor(name, step_text)
        stomp = _speaking(actor, _stomp(), step_text)
        where = decode_quoted(destination, "the destination", step_text)
        try:
            message = stomp.unsubscription(where)
        except ValueError as exc:
            raise StepInputError(f"{name} cannot unsubscribe{at_step(step_text)}: {exc}.") from None
        # Once the receipt is in, nothing published afterwards reaches the subscription.
        _send_until_received(actor, message, f'the end of the subscription to "{where}"', step_text)
    else:
        assert label is not None
        actor, protocol = _subscriber(context, label, step_text)
        actor.send_message(protocol.stop(label), step_text)
    finish_step(context)


def _subscribe_to_destination(actor: Actor, stomp: Stomp, destination: str, step_text: str) -> None:
    try:
        message = stomp.subscription(destination)
    except ValueError as exc:
        raise StepInputError(f"{actor.name} cannot subscribe{at_step(step_text)}: {exc}.") from None
    # The receipt says the broker holds the subscription: what anyone publishes from now on reaches it.
    _send_until_received(actor, message, f'the subscription to "{destination}"', step_text)


def _send_until_received(actor: Actor, message: Message, what: str, step_text: str) -> None:
    # Send a STOMP frame and wait (ws_timeout) for the broker's RECEIPT of it.
    actor.send_message(message, step_text)
    receipt = ProtocolMessage("RECEIPT", f"the broker's receipt for {what}", ident=_stomp().receipt(message))
    actor.expect(receipt, None, step_text)


@step(rf'(?P<name>{NAME}) publishes (?P<body>.+?) to "(?P<destination>[^"]+)"(?: with the headers (?P<headers>\{{.*\}}))?\Z')
def wsitest_publishes(context: Any, name: str, body: str, destination: str, headers: str | None) -> None:
    """Send a STOMP message to a destination: JSON, a text or bytes (any form of "sends"), optionally with headers.

    When Alice publishes {"text": "hi"} to "/topic/chat"
    When Alice publishes the text "hello" to "/queue/inbox" with the headers {"priority": "9"}
    """
    name = actor_name(name)
    step_text = written(
        context, f'{name} publishes {body} to "{destination}"' + (f" with the headers {headers}" if headers else "")
    )
    actor = cast_of(context).actor(name, step_text)
    stomp = _speaking(actor, _stomp(), step_text)
    given = step_input(context, step_text)
    sent = outgoing(body, given)
    value: Any = sent.plain if sent.plain is not NO_VALUE else sent.payload
    extra = parse_json(given.fill(headers, "json"), step_text) if headers else {}
    if not isinstance(extra, dict):
        raise StepInputError(f'The headers{at_step(step_text)} must be a JSON object, e.g. {{"priority": "9"}}.')
    actor.send_message(stomp.send_to(destination, value, {str(k): as_text(v) for k, v in extra.items()}), step_text)
    finish_step(context)


@step(rf'the broker confirms (?P<name>{NAME})\'s message to "(?P<destination>[^"]+)"{WITHIN}\Z')
def wsitest_broker_confirms(context: Any, name: str, destination: str, seconds: str | None) -> None:
    """The broker sends the receipt of the actor's last message to that destination, within ws_timeout.

    Then the broker confirms Alice's message to "/queue/orders"
    """
    name = actor_name(name)
    step_text = written(context, f'the broker confirms {name}\'s message to "{destination}"{within_text(seconds)}')
    actor = cast_of(context).actor(name, step_text)
    receipt = _speaking(actor, _stomp(), step_text).sent.get(destination)
    if receipt is None:
        raise StepInputError(f'{name} never published to "{destination}"{at_step(step_text)}, so there is nothing to confirm.')
    matcher = ProtocolMessage("RECEIPT", f"the broker's receipt for {name}'s message to \"{destination}\"", ident=receipt)
    actor.expect(matcher, optional_seconds(seconds, step_text), step_text)
    finish_step(context)


@step(rf'(?P<name>{NAME}) receives an error from the broker(?: containing (?P<text>"[^"]*"))?{WITHIN}\Z')
def wsitest_receives_broker_error(context: Any, name: str, text: str | None, seconds: str | None) -> None:
    """The broker sends a STOMP ERROR (whose message or details contain that text), within ws_timeout; it then ends the session.

    Then Alice receives an error from the broker
    Then Alice receives an error from the broker containing "not_found"
    """
    name = actor_name(name)
    step_text = written(
        context, f"{name} receives an error from the broker" + (f" containing {text}" if text else "") + within_text(seconds)
    )
    actor = cast_of(context).actor(name, step_text)
    _speaking(actor, _stomp(), step_text)
    wanted = decode_quoted(text, "the text", step_text) if text else None
    described = "an ERROR from the broker" + (f' containing "{wanted}"' if wanted is not None else "")
    payload: Matcher[Any] | None = has_value(contains_string(wanted)) if wanted is not None else None
    actor.expect(ProtocolMessage("ERROR", described, payload=payload), optional_seconds(seconds, step_text), step_text)
    finish_step(context)


@step(
    rf"connecting as (?P<name>{NAME})(?: to the (?P<endpoint>[\w.-]+) endpoint)?(?: with (?P<options>.+?))? is refused(?: with (?P<payload>.+))?\Z"
)
def wsitest_connecting_is_refused(
    context: Any, name: str, endpoint: str | None, options: str | None, payload: str | None
) -> None:
    """The websocket opens, but the server refuses the protocol's handshake (Socket.IO's connect error, GraphQL's connection_error).

    Then connecting as Mallory with Socket.IO to the namespace "/admin" is refused with {"message": "Not authorized"}
    Then connecting as Eve to the socketio endpoint with the namespace "/admin" is refused
    """
    name = actor_name(name)
    target = f" to the {endpoint} endpoint" if endpoint else ""
    step_text = written(
        context,
        f"connecting as {name}{target}"
        + (f" with {options}" if options else "")
        + " is refused"
        + (f" with {payload}" if payload else ""),
    )
    given = step_input(context, step_text)
    connect_options = parse_connect_options(options, given) if options else None
    expected = matches_json(expected_json(parse_json(given.fill(payload, "json"), step_text), step_text)) if payload else None
    cast_of(context).expect_refused(name, expected, step_text, endpoint=endpoint, options=connect_options)
    finish_step(context)


use_step_matcher("parse")
