"""GraphQL over websocket, in both protocols servers speak.

``graphql-transport-ws`` (the graphql-ws library's protocol, github.com/enisdenjo/graphql-ws,
PROTOCOL.md): connection_init / connection_ack, subscribe, next, error, complete, ping / pong,
and its close codes. ``graphql-ws`` (the older subscriptions-transport-ws): connection_init /
connection_ack or connection_error, start, data, error, complete, stop, and the ``ka`` keep-alive.

A subscription has the label its step gave it (``as counter``): results carry it as their channel,
so ``receives {...} from counter`` matches that subscription's data only.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any, ClassVar

from ..model.frames import Outgoing
from ..model.kinds import FrameKind
from ..model.messages import Message
from .base import Decoded, Opening, Protocol, ProtocolViolation, register_protocol


@register_protocol
class GraphQLTransportWS(Protocol):
    """The graphql-ws library's protocol, which ``graphql`` also names; :class:`GraphQLWS` changes only its words."""

    name = "graphql-transport-ws"
    title = "GraphQL"
    subprotocols = ("graphql-transport-ws",)
    data_kinds = frozenset({"subscribe", "next"})
    #: The wire's word for each kind of message this client sends, where it is not the kind itself.
    words: ClassVar[dict[str, str]] = {}
    #: The wire's word for a result.
    result: ClassVar[str] = "next"
    close_codes: ClassVar[dict[int, str]] = {
        4400: "bad request",
        4401: "unauthorized: connection_init was not acknowledged",
        4403: "forbidden",
        4406: "subprotocol not acceptable",
        4408: "connection initialisation timeout",
        4409: "subscriber for this id already exists",
        4429: "too many initialisation requests",
    }

    def __init__(self, opening: Opening) -> None:
        super().__init__(opening)
        self._ids: Iterator[int] = itertools.count(1)
        self.labels: dict[str, str] = {}  # id -> label

    def opening(self) -> list[Message]:
        return [self.message("connection_init", self.opening_asked.payload, control=True)]

    def subscription(self, label: str, query: str, variables: Any = None) -> Message:
        """A subscription (or any operation) under ``label``."""
        if label in self.labels.values():
            raise ValueError(f"there is already a subscription labelled {label}")
        ident = str(next(self._ids))
        self.labels[ident] = label
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            payload["variables"] = variables
        return self.message("subscribe", payload, id=ident, channel=label)

    def stop(self, label: str) -> Message:
        ident = next((i for i, name in self.labels.items() if name == label), None)
        return self.message("complete", id=ident, channel=label, control=True)

    def receive(self, kind: FrameKind, payload: str | bytes) -> list[Decoded]:
        if isinstance(payload, bytes):
            raise ProtocolViolation(f"the server sent a binary frame of {len(payload)} bytes; GraphQL messages are text")
        try:
            data = json.loads(payload)
        except ValueError:
            raise ProtocolViolation(f"the server sent {payload[:80]!r}, which is not a JSON message") from None
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            raise ProtocolViolation(f'the server sent {payload[:80]!r}, which has no "type"')
        return [self._decode(data["type"], data)]

    def _decode(self, kind: str, data: dict[str, Any]) -> Decoded:
        ident = data.get("id")
        label = self.labels.get(str(ident)) if ident is not None else None
        body = data.get("payload")
        if kind == "connection_ack":
            self.accept()
        elif kind == "connection_error":
            self.refuse(_reason(body), body)
        elif kind == "ping":
            return Decoded(
                self.message("ping", body, control=True), [self.message("pong", control=True)] if self.answers_heartbeats else []
            )
        elif kind == self.result:
            result = body if isinstance(body, dict) else {}
            value = result.get("data") if "errors" not in result else result
            return Decoded(self.message("next", value, id=ident, channel=label))
        elif kind in ("error", "complete"):
            return Decoded(self.message(kind, body, id=ident, channel=label, control=True))
        elif kind not in ("pong", "ka"):
            raise ProtocolViolation(f'the server sent a message of type "{kind}", which {self.name} does not have')
        return Decoded(self.message(kind, body, id=ident, channel=label, control=True))

    def encode(self, message: Message) -> list[Outgoing]:
        kind = self.words.get(message.kind, message.kind)
        data: dict[str, Any] = {"type": kind}
        if message.id is not None:
            data["id"] = message.id
        if message.payload is not None:
            data["payload"] = message.payload
        return [Outgoing.json(data)]


@register_protocol
class GraphQLWS(GraphQLTransportWS):
    """The older subscriptions-transport-ws protocol, which many servers still speak."""

    name = "graphql-ws"
    subprotocols = ("graphql-ws",)
    words: ClassVar[dict[str, str]] = {"subscribe": "start", "complete": "stop"}
    result: ClassVar[str] = "data"
    close_codes: ClassVar[dict[int, str]] = {}


def _reason(body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    return json.dumps(body) if body is not None else "the server gave no reason"
