"""wsitest-steps: readable websocket integration tests with behave and PyHamcrest.

Use the steps from a behave project with ``from wsitest_steps.steps import *``. Write your own
steps on the same actors with the names below: ``cast_of(context)`` is the scenario's
:class:`Cast`, ``cast.actor(name)`` an :class:`Actor`, and the matchers and parsers are the ones
the library's own sentences use. Everything else in the package is internal.
"""

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
