"""Exceptions raised by wsitest-steps, and the wording they share.

Every exception here subclasses :class:`AssertionError`. behave prints any other
exception type as a full traceback, and in a CI report a traceback buries the one
paragraph that says what went wrong. The text of these exceptions is written to be
the whole report: who (the actor), where (the step) and what to do about it.
"""

from __future__ import annotations

from collections.abc import Iterable


class WsitestError(AssertionError):
    """Base class of every error wsitest-steps raises.

    ``transcripts`` names the actors whose transcripts the text already holds, so that the end of
    the scenario adds only the others' to the report.
    """

    def __init__(self, message: str = "", *, transcripts: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.transcripts = tuple(transcripts)


class ConfigurationError(WsitestError):
    """A setting (behave userdata such as ``ws_url`` or ``ws_timeout``) is missing or invalid."""


class StepInputError(WsitestError):
    """The text of a step cannot be used as written: malformed JSON, a bad number, ..."""


class UnknownActor(WsitestError):
    """A step names an actor that has not connected in this scenario."""


class ConnectionFailed(WsitestError):
    """An actor could not open its websocket: refused, unresolvable, rejected handshake, TLS, timeout.

    ``status`` and ``body`` are the HTTP status and response body when the server answered the
    handshake with something other than 101, else ``None``.
    """

    status: int | None = None
    body: str | None = None
    #: The payload the server refused a protocol's handshake with (Socket.IO's connect error), if it did.
    refusal: object = None
    refused: bool = False


class ExpectationFailed(WsitestError):
    """An actor did not receive what a step expected, or received what a step forbade."""


class ConnectionClosedError(ExpectationFailed):
    """An actor's connection closed while a step waited on it, or before a step could use it."""


def at_step(step: str | None) -> str:
    """`` (step: Rob sends {...})`` to name the step in an error, or nothing without one.

    Unquoted on purpose: step text is full of double quotes (JSON, URLs) and nested quotes
    are hard to read in a CI report.
    """
    return f" (step: {step})" if step else ""
