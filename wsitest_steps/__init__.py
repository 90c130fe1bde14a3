"""wsitest-steps: readable websocket integration tests with behave and PyHamcrest.

Use the steps from a behave project with ``from wsitest_steps.steps import *``; use the
classes below to write your own steps on the same actors.
"""

from .actor import Actor
from .cast import Cast
from .errors import (
    ConfigurationError,
    ConnectionClosedError,
    ConnectionFailed,
    ExpectationFailed,
    StepInputError,
    UnknownActor,
    WsitestError,
)
from .frames import Closure, Frame
from .inbox import Inbox
from .json_matching import json_message, matches_json
from .settings import Settings

__all__ = [
    "Actor",
    "Cast",
    "Closure",
    "ConfigurationError",
    "ConnectionClosedError",
    "ConnectionFailed",
    "ExpectationFailed",
    "Frame",
    "Inbox",
    "Settings",
    "StepInputError",
    "UnknownActor",
    "WsitestError",
    "json_message",
    "matches_json",
]
