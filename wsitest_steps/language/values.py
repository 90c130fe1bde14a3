"""Turning the words of a step into values, with errors that quote the step."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from ..errors import ConfigurationError, StepInputError, at_step
from ..settings import MAX_SECONDS, check_seconds

#: One actor name in a list: in double quotes (any text but a quote), or a word.
_LISTED_NAME = re.compile(r'\s*(?:"([^"]+)"|([\w.@-]+))\s*(?:,|\band\b|\Z)')


def parse_json(text: str, step: str) -> Any:
    """Decode the JSON written in a step.

    Raises :class:`StepInputError` quoting the step and pointing at the error, for
    malformed JSON, duplicate keys (which JSON parsers silently collapse) and the
    non-standard constants ``NaN`` and ``Infinity``.
    """
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        pointer = f"{text[max(0, exc.pos - 20) : exc.pos]}>>>{text[exc.pos : exc.pos + 20]}"
        raise StepInputError(
            f"Malformed JSON{at_step(step)}: {exc.msg.removesuffix(' at')} at character {exc.pos + 1} "
            f"(marked >>>: {pointer}). Write strict JSON: double-quoted keys and strings, no "
            'trailing commas, e.g. {"message": "Hello"}.'
        ) from None
    except _BadJson as exc:
        raise StepInputError(f"Unusable JSON{at_step(step)}: {exc}") from None


def parse_names(text: str) -> list[str]:
    """``'Alice, "Rob Smith" and Carol'`` -> ``["Alice", "Rob Smith", "Carol"]``."""
    return [quoted or word for quoted, word in _LISTED_NAME.findall(text.strip())]


def actor_name(text: str) -> str:
    """An actor's name as a step wrote it, without the double quotes a name with spaces needs."""
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def parse_seconds(text: str, step: str) -> float:
    """A deadline written in a step, checked to be a finite number of seconds in the allowed range."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise StepInputError(
            f"The deadline{at_step(step)} is {text!r}, which is not a number of seconds; write a number more than 0 "
            f"and at most {MAX_SECONDS:g}, e.g. within 2 seconds."
        )
    try:
        return check_seconds(value, f"The deadline{at_step(step)}")
    except ConfigurationError as exc:
        raise StepInputError(str(exc)) from None


def parse_whole(text: str, what: str, step: str | None, lowest: int, highest: int) -> int:
    """A whole number written in a step (``what`` names it in errors), from ``lowest`` to ``highest``."""
    if not re.fullmatch(r"[+-]?\d+", text.strip()):
        raise StepInputError(
            f"{what}{at_step(step)} is {text!r}, which is not a whole number; write one from {lowest} to {highest}."
        )
    value = int(text)
    if not lowest <= value <= highest:
        raise StepInputError(f"{what}{at_step(step)} is {value}; it must be from {lowest} to {highest}.")
    return value


class _BadJson(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _BadJson(f"the key {json.dumps(key)} appears twice in one object; keep one.")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise _BadJson(f'{name} is not valid JSON; write a number, or a string such as "{name}".')
