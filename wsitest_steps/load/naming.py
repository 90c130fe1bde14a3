"""How a step shows in a load test's statistics: its kind, and its sentence with the values left out."""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum
from typing import Any


class StepKind(str, Enum):
    """What a step does, as Locust's "Type" column shows it."""

    CONNECT = "connect"
    SEND = "send"
    RECEIVE = "receive"
    HTTP = "HTTP"
    #: Anything else: rules, remembering values, a project's own steps.
    STEP = "step"


# The library's step functions are named for what they do (wsitest_actor_receives_then_sends):
# the first of these words found in the name says the kind. Order matters: a standing rule
# ("whenever Rob receives ..., Rob replies ...") waits for nothing; a step that receives and then
# sends waits first, so it is a receive; one that receives and then requests is HTTP.
_KIND_WORDS: tuple[tuple[StepKind, tuple[str, ...]], ...] = (
    (StepKind.STEP, ("whenever", "ignore", "does_not_answer", "stops_answering", "remembers")),
    (StepKind.HTTP, ("request", "response")),
    (StepKind.RECEIVE, ("receive", "next_message", "conformed", "confirms", "acknowledged", "completes", "subscription_fails")),
    (StepKind.CONNECT, ("connect", "disconnect", "closes", "connection_ends")),
    (StepKind.SEND, ("sends", "emits", "publishes", "subscribes", "acknowledges", "pings")),
)
_LIBRARY_STEPS = "wsitest_steps.steps."


def kind_of(function: Callable[..., Any]) -> StepKind:
    """The kind of the step that ``function`` defines; a project's own steps are :attr:`StepKind.STEP`."""
    if not str(getattr(function, "__module__", "")).startswith(_LIBRARY_STEPS):
        return StepKind.STEP
    name = getattr(function, "__name__", "")
    for kind, words in _KIND_WORDS:
        if any(word in name for word in words):
            return kind
    return StepKind.STEP


_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")


def statistics_name(sentence: str) -> str:
    """``Rob receives {…} then sends {…}`` for ``Rob receives {"a": 1} then sends {"b": 2}``.

    JSON objects and arrays become ``{…}`` and ``[…]``, quoted texts ``"…"`` and numbers ``N``, so
    that one step gives one line of statistics whatever values a run fills in.
    """
    text = _QUOTED.sub('"…"', _without_json(sentence))
    return _NUMBER.sub("N", text)


def _without_json(sentence: str) -> str:
    # Brackets are counted outside quoted texts, so a brace inside a JSON string does not end it.
    out: list[str] = []
    depth, quoted, escaped = 0, False, False
    for char in sentence:
        if depth == 0:
            if char in "{[":
                depth = 1
                out.append("{…}" if char == "{" else "[…]")
            else:
                out.append(char)
            continue
        if quoted:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
            continue
        if char == '"':
            quoted = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return "".join(out) if depth == 0 else sentence
