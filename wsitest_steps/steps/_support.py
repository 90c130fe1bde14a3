"""What every step module shares: name patterns, and reading a step's doc string and table."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import behave
from hamcrest.core.matcher import Matcher

from ..integration import behave_model
from ..integration.context import cast_of
from ..language.messages import expectation
from ..language.step_input import StepInput
from ..language.values import parse_seconds
from ..language.variables import MISSING
from ..model.frames import Frame, NotJson

StepFunction = TypeVar("StepFunction", bound=Callable[..., None])


def step(pattern: str) -> Callable[[StepFunction], StepFunction]:
    """behave's ``@step`` with its type: registers the function for ``pattern`` under the step matcher in force."""
    decorator: Callable[[StepFunction], StepFunction] = behave.step(pattern)
    return decorator


# Patterns carry no "^" and end in \Z: behave 1.3's "re" matcher rejects "^...$" and adds
# them itself, while behave 1.2.6's matches from the start but would accept any suffix.
# A name in double quotes may hold any text but a quote ("Rob Smith", "a&b=c"); step functions
# take the quotes off with actor_name.
NAME = r'(?:"[^"]+"|[\w.@-]+)'
NAMES = rf"{NAME}(?:, {NAME})* and {NAME}"
# Any word where a number goes, so that "within abc seconds" or "exactly many messages" fails as
# a bad number naming the word and the allowed range, not as bad JSON or an undefined step.
SECONDS = r"\S+"
NUMBER = r"\S+"
WITHIN = rf"(?: within (?P<seconds>{SECONDS}) seconds?)?"


def written(context: Any, rebuilt: str) -> str:
    """The running step as the user wrote it, for every report that quotes it; ``rebuilt`` from its
    parts outside a scenario's own steps.

    A sentence run by a custom step through ``context.execute_steps`` is quoted as the custom
    step that ran it: behave's model names no nested step.
    """
    return behave_model.running_step_text(context) or rebuilt


def step_input(context: Any, step: str) -> StepInput:
    """The step's doc string and table, with placeholders filled from the scenario's variables."""
    cast = cast_of(context)
    return StepInput(
        step=step,
        doc=behave_model.doc_string(context),
        rows=behave_model.table_rows(context),
        fill=lambda text, where: cast.variables.fill(text, where, step),
        feature_file=behave_model.feature_file(context),
        contract=cast.contract,
    )


def optional_seconds(text: str | None, step: str) -> float | None:
    """A deadline written in the step, or ``None`` for the configured default."""
    return None if text is None else parse_seconds(text, step)


_TRAILING_WITHIN = re.compile(rf"\s+within ({SECONDS}) seconds?\s*\Z")


def split_within(words: str) -> tuple[str, str | None]:
    """``'{"a": 1} within 2 seconds'`` -> ``('{"a": 1}', "2")``; words without a deadline are kept as they are."""
    found = _TRAILING_WITHIN.search(words)
    if not found:
        return words, None
    return words[: found.start()], found.group(1)


def within_text(seconds_text: str | None) -> str:
    return f" within {seconds_text} seconds" if seconds_text else ""


def expectation_within(words: str, given: StepInput) -> tuple[Matcher[Frame], str | None]:
    """The expectation in ``words`` and the deadline written after it, if any (``... within 2 seconds``)."""
    words, seconds = split_within(words)
    return expectation(words, given), seconds


def message_content(frame: Frame) -> Any:
    """What ``{message.NAME}`` placeholders read: the frame's JSON, else its text (binary: nothing)."""
    try:
        return frame.json()
    except NotJson:
        return frame.text if frame.is_text else MISSING
