"""wsitest-steps: readable websocket integration tests with behave and PyHamcrest.

Use the steps from a behave project with ``from wsitest_steps.steps import *``; use the
classes below to write your own steps on the same actors.
"""

from .actor import Actor
from .cast import Cast
from .connect_options import ConnectOptions
from .errors import (
    ConfigurationError,
    ConnectionClosedError,
    ConnectionFailed,
    ExpectationFailed,
    StepInputError,
    UnknownActor,
    WsitestError,
)
from .expectations import expected_json, parse_phrase
from .frames import Closure, Frame, Outgoing
from .http_client import HttpClient, HttpExchange
from .inbox import Inbox
from .json_matching import json_message, matches_json
from .recorder import Recorder, Redactor
from .settings import Settings
from .variables import Variables

__all__ = [
    "Actor",
    "Cast",
    "Closure",
    "ConfigurationError",
    "ConnectOptions",
    "ConnectionClosedError",
    "ConnectionFailed",
    "ExpectationFailed",
    "Frame",
    "HttpClient",
    "HttpExchange",
    "Inbox",
    "Outgoing",
    "Recorder",
    "Redactor",
    "Settings",
    "StepInputError",
    "UnknownActor",
    "Variables",
    "WsitestError",
    "expected_json",
    "json_message",
    "matches_json",
    "parse_phrase",
]
