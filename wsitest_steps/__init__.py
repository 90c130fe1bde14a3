"""wsitest-steps: readable websocket integration tests with behave and PyHamcrest.

Use the steps from a behave project with ``from wsitest_steps.steps import *``. Write your own
steps on the same actors with the names below: ``cast_of(context)`` is the scenario's
:class:`Cast`, ``cast.actor(name)`` an :class:`Actor`, and the matchers and parsers are the ones
the library's own sentences use. Everything else in the package is internal.

The names are loaded on first use (PEP 562), each from the module that defines it: a run that
never makes an HTTP request or reads a contract does not import those layers.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .connection.actor import Actor
    from .connection.deadline import Deadline
    from .connection.inbox import Inbox
    from .connection.options import ConnectOptions
    from .errors import (
        ConfigurationError,
        ConnectionClosedError,
        ConnectionFailed,
        ExpectationFailed,
        StepInputError,
        UnknownActor,
        WsitestError,
    )
    from .http.client import HttpClient, HttpExchange
    from .integration.context import cast_of, finish_step
    from .language.messages import expectation, outgoing
    from .language.step_input import StepInput
    from .language.variables import Variables
    from .matching.json import json_message, matches_json
    from .matching.phrases import expected_json, parse_phrase
    from .model.events import Event
    from .model.frames import Closure, Frame, NotJson, Outgoing
    from .model.kinds import Closer, EventKind, FrameKind
    from .model.messages import Message
    from .protocols.base import Decoded, Opening, Protocol, ProtocolViolation, register_protocol
    from .recording.recorder import Recorder
    from .recording.redaction import Redactor
    from .scenario.cast import Cast
    from .settings import Settings, StrictMode

__all__ = [
    "Actor",
    "Cast",
    "Closer",
    "Closure",
    "ConfigurationError",
    "ConnectOptions",
    "ConnectionClosedError",
    "ConnectionFailed",
    "Deadline",
    "Decoded",
    "Event",
    "EventKind",
    "ExpectationFailed",
    "Frame",
    "FrameKind",
    "HttpClient",
    "HttpExchange",
    "Inbox",
    "Message",
    "NotJson",
    "Opening",
    "Outgoing",
    "Protocol",
    "ProtocolViolation",
    "Recorder",
    "Redactor",
    "Settings",
    "StepInput",
    "StepInputError",
    "StrictMode",
    "UnknownActor",
    "Variables",
    "WsitestError",
    "cast_of",
    "expectation",
    "expected_json",
    "finish_step",
    "json_message",
    "matches_json",
    "outgoing",
    "parse_phrase",
    "register_protocol",
]

#: Where each public name is defined, relative to this package.
_HOME: dict[str, str] = {
    "Actor": "connection.actor",
    "Deadline": "connection.deadline",
    "Inbox": "connection.inbox",
    "ConnectOptions": "connection.options",
    "ConfigurationError": "errors",
    "ConnectionClosedError": "errors",
    "ConnectionFailed": "errors",
    "ExpectationFailed": "errors",
    "StepInputError": "errors",
    "UnknownActor": "errors",
    "WsitestError": "errors",
    "HttpClient": "http.client",
    "HttpExchange": "http.client",
    "cast_of": "integration.context",
    "finish_step": "integration.context",
    "expectation": "language.messages",
    "outgoing": "language.messages",
    "StepInput": "language.step_input",
    "Variables": "language.variables",
    "json_message": "matching.json",
    "matches_json": "matching.json",
    "expected_json": "matching.phrases",
    "parse_phrase": "matching.phrases",
    "Event": "model.events",
    "Closure": "model.frames",
    "Frame": "model.frames",
    "NotJson": "model.frames",
    "Outgoing": "model.frames",
    "Closer": "model.kinds",
    "EventKind": "model.kinds",
    "FrameKind": "model.kinds",
    "Message": "model.messages",
    "Decoded": "protocols.base",
    "Opening": "protocols.base",
    "Protocol": "protocols.base",
    "ProtocolViolation": "protocols.base",
    "register_protocol": "protocols.base",
    "Recorder": "recording.recorder",
    "Redactor": "recording.redaction",
    "Cast": "scenario.cast",
    "Settings": "settings",
    "StrictMode": "settings",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value  # the next lookup is a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
