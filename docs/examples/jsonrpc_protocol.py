"""JSON-RPC 2.0 over websocket as a wsitest-steps protocol: a complete plug-in, tested by tests/test_plugin_protocol.py.

Import it from a file under ``features/steps/`` (after ``from wsitest_steps.steps import *``), then::

    Given user Alice connects with JSON-RPC
    When Alice sends {"method": "add", "params": [1, 2]}
    Then Alice receives 3 from add

``sends {...}`` becomes a request with the next id; a response is matched to its request by that
id, and carries the request's method as its channel, so ``from add`` names it. An error response
is a message too: ``Then Alice receives {"code": -32601} from frobnicate``.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from wsitest_steps import Decoded, FrameKind, Message, Outgoing, Protocol, ProtocolViolation, StepInputError, register_protocol


@register_protocol
class JsonRpc(Protocol):
    name = "jsonrpc"
    title = "JSON-RPC"

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._ids = itertools.count(1)
        self._methods: dict[int, str] = {}  # request id -> its method

    @property
    def waits_for_acceptance(self) -> bool:
        return False  # JSON-RPC has no handshake of its own

    def plain(self, value: Any, step: str | None) -> Message:
        if not isinstance(value, dict) or not isinstance(value.get("method"), str):
            raise StepInputError(f'A JSON-RPC request needs a "method", e.g. {{"method": "add", "params": [1, 2]}} (step: {step})')
        ident = next(self._ids)
        self._methods[ident] = value["method"]
        return self.message("request", value.get("params"), name=value["method"], id=ident)

    def receive(self, kind: FrameKind, payload: str | bytes) -> list[Decoded]:
        try:
            data = json.loads(payload)
        except ValueError:
            raise ProtocolViolation(f"the server sent {payload[:60]!r}, which is not JSON") from None
        if not isinstance(data, dict) or data.get("jsonrpc") != "2.0":
            raise ProtocolViolation('every JSON-RPC 2.0 message is an object with "jsonrpc": "2.0"')
        if "method" in data:  # a notification from the server
            return [Decoded(self.message("notification", data.get("params"), name=data["method"]))]
        method = self._methods.get(data.get("id"))
        if method is None:
            raise ProtocolViolation(f"the server answered the id {data.get('id')!r}, which no request had")
        if "error" in data:
            return [Decoded(self.message("error", data["error"], id=data["id"], channel=method))]
        return [Decoded(self.message("result", data.get("result"), id=data["id"], channel=method))]

    def encode(self, message: Message) -> list[Outgoing]:
        request: dict[str, Any] = {"jsonrpc": "2.0", "method": message.name, "id": message.id}
        if message.payload is not None:
            request["params"] = message.payload
        return [Outgoing.json(request)]
