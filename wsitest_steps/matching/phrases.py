"""The expectation vocabulary: short English phrases that stand for PyHamcrest matchers.

A phrase can stand in a table cell (``| $.price | greater than 100 |``) or, between angle
brackets, in place of any value of expected JSON (``{"id": "<any integer>"}``). Phrases are
parsed, never evaluated, and an unknown phrase fails with the list of known ones.
:data:`VOCABULARY` is the one table of them: the parser, its error and the steps reference
(docs/steps.md) are all produced from it, so adding a phrase is one entry there.

Arguments are JSON: quote texts (``containing "Rob"``); a regular expression may be written
bare, in double quotes or between slashes, and is used exactly as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hamcrest import (
    all_of,
    any_of,
    anything,
    close_to,
    ends_with,
    greater_than,
    greater_than_or_equal_to,
    less_than,
    less_than_or_equal_to,
    starts_with,
)
from hamcrest.core.description import Description
from hamcrest.core.matcher import Matcher

from ..errors import StepInputError, at_step
from ..matching.json import JsonMatcher, json_type, matches_json, shown
from ..model.wording import a_or_an

_TYPES = {
    "any string": "string",
    "any text": "string",
    "any number": "number",
    "any integer": "integer",
    "any boolean": "boolean",
    "any object": "object",
    "any array": "array",
    "any list": "array",
}
_COMPARISONS: dict[str, Callable[[Any], Matcher[Any]]] = {
    "greater than": greater_than,
    "less than": less_than,
    "at least": greater_than_or_equal_to,
    "at most": less_than_or_equal_to,
}


class Expectation(JsonMatcher):
    """A phrase of the vocabulary: a hamcrest matcher, the JSON types it applies to, and its words.

    It describes itself as ``<phrase>`` and a mismatch as ``$.path was VALUE, expected <phrase>``.
    """

    #: Whether a missing key satisfies it (``absent``, ``not present``).
    matches_absence = False

    def __init__(self, phrase: str, matcher: Matcher[Any], types: tuple[str, ...] | None = None) -> None:
        self.phrase = phrase
        self.matcher = matcher
        self.types = types

    def _type_ok(self, item: Any) -> bool:
        if self.types is None:
            return True
        kind = json_type(item)
        if kind == "number" and "integer" in self.types:
            return float(item).is_integer()
        return kind in self.types

    def mismatches(self, item: Any, path: str) -> list[str]:
        if self._type_ok(item) and self.matcher.matches(item):
            return []
        typed = "" if self.types is None or self._type_ok(item) else f" ({a_or_an(json_type(item))})"
        return [f"{path} was {shown(item)}{typed}, expected {self}"]

    def describe_to(self, description: Description) -> None:
        description.append_text(f"<{self.phrase}>")

    def __str__(self) -> str:
        return f"<{self.phrase}>"


class Absent(Expectation):
    """``absent``: the key must be missing; any value, null included, is a mismatch."""

    matches_absence = True

    def __init__(self, phrase: str = "absent") -> None:
        super().__init__(phrase, _Never())

    def mismatches(self, item: Any, path: str) -> list[str]:
        return [f"{path} was present ({shown(item)}), expected {self}"]


class Not(Expectation):
    """``not PHRASE``: whatever the inner phrase rejects."""

    def __init__(self, phrase: str, inner: Matcher[Any]) -> None:
        super().__init__(phrase, inner)
        self.matches_absence = not getattr(inner, "matches_absence", False)

    def mismatches(self, item: Any, path: str) -> list[str]:
        if not self.matcher.matches(item):
            return []
        return [f"{path} was {shown(item)}, expected {self}"]


class Length(Expectation):
    """``length PHRASE``: a string, array or object whose length the inner phrase accepts."""

    def __init__(self, phrase: str, inner: Matcher[Any]) -> None:
        super().__init__(phrase, inner, ("string", "array", "object"))

    def mismatches(self, item: Any, path: str) -> list[str]:
        if not self._type_ok(item):
            return [f"{path} was {shown(item)} ({a_or_an(json_type(item))}), expected {self}"]
        if self.matcher.matches(len(item)):
            return []
        return [f"{path} had length {len(item)}: {shown(item)}, expected {self}"]


class Containing(Expectation):
    """``containing VALUE``: a string containing a text, or an array with an element matching VALUE."""

    def __init__(self, phrase: str, value: Any) -> None:
        types: tuple[str, ...] = ("string", "array") if isinstance(value, str) else ("array",)
        super().__init__(phrase, _Contains(matches_json(value), value if isinstance(value, str) else None), types)


class _Contains(Matcher[Any]):
    """An array with an element ``element`` accepts, or a string holding ``text``.

    Not hamcrest's ``has_item``: a string is a sequence to it, so it would walk a text one
    character at a time through the JSON matcher (seconds a megabyte) before the substring test.
    """

    def __init__(self, element: Matcher[Any], text: str | None) -> None:
        self.element = element
        self.text = text

    def matches(self, item: Any, mismatch_description: Description | None = None) -> bool:
        if isinstance(item, list):
            return any(self.element.matches(value) for value in item)
        return self.text is not None and isinstance(item, str) and self.text in item

    def describe_to(self, description: Description) -> None:
        description.append_text("containing ").append_description_of(self.element)

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        mismatch_description.append_text(f"was {shown(item)}")


class _Never(Matcher[Any]):
    def matches(self, item: Any, mismatch_description: Description | None = None) -> bool:
        return False

    def describe_to(self, description: Description) -> None:
        description.append_text("nothing")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        mismatch_description.append_text("was present")


class _FullMatch(Matcher[Any]):
    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def matches(self, item: Any, mismatch_description: Description | None = None) -> bool:
        return isinstance(item, str) and self.pattern.fullmatch(item) is not None

    def describe_to(self, description: Description) -> None:
        description.append_text(f"a string matching {self.pattern.pattern}")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        mismatch_description.append_text(f"was {shown(item)}")


@dataclass(frozen=True)
class Phrase:
    """One entry of the vocabulary: how it is written, what it accepts, and how it is read.

    ``words`` are the spellings the "Known expectations" error lists, ``heading`` and ``accepts``
    the row of the steps reference. ``read(phrase, lower, step)`` returns the matcher if the phrase
    (``lower`` is it in lower case) is this entry, else ``None``.
    """

    words: tuple[str, ...]
    heading: str
    accepts: str
    read: Callable[[str, str, str | None], Matcher[Any] | None]


def _argument(phrase: str, prefix: str) -> str:
    return phrase[len(prefix) :].strip()


def _read_type(phrase: str, lower: str, step: str | None) -> Matcher[Any] | None:
    kind = _TYPES.get(lower)
    return None if kind is None else Expectation(phrase, anything(), (kind,))


def _read_matching(phrase: str, lower: str, step: str | None) -> Matcher[Any] | None:
    if not lower.startswith("matching "):
        return None
    return Expectation(phrase, _FullMatch(_regex(_argument(phrase, "matching "), phrase, step)), ("string",))


def _read_containing(phrase: str, lower: str, step: str | None) -> Matcher[Any] | None:
    if not lower.startswith("containing "):
        return None
    return Containing(phrase, _json_argument(_argument(phrase, "containing "), phrase, step))


def _read_affix(phrase: str, lower: str, step: str | None) -> Matcher[Any] | None:
    for prefix, factory in (("starting with ", starts_with), ("ending with ", ends_with)):
        if lower.startswith(prefix):
            value = _json_argument(_argument(phrase, prefix), phrase, step)
            if not isinstance(value, str):
                raise _bad(phrase, step, 'it needs a text in double quotes, e.g. starting with "Rob"')
            return Expectation(phrase, factory(value), ("string",))
    return None


def _read_comparison(phrase: str, lower: str, step: str | None) -> Matcher[Any] | None:
    for prefix, factory in _COMPARISONS.items():
        if lower.startswith(prefix + " "):
            return Expectation(phrase, factory(_number(_argument(phrase, prefix), phrase, step)), ("number",))
    return None


def _read_between(phrase: str, lower: str, step: str | None) -> Matcher[Any] | None:
    if not lower.startswith("between "):
        return None
    low, sep, high = _argument(phrase, "between ").partition(" and ")
    if not sep:
        raise _bad(phrase, step, "write it as between 1 and 10")
    bounds = all_of(greater_than_or_equal_to(_number(low, phrase, step)), less_than_or_equal_to(_number(high, phrase, step)))
    return Expectation(phrase, bounds, ("number",))


def _read_close_to(phrase: str, lower: str, step: str | None) -> Matcher[Any] | None:
    if not lower.startswith("close to "):
        return None
    value, sep, delta = _argument(phrase, "close to ").partition(" within ")
    if not sep:
        raise _bad(phrase, step, "write it as close to 3.14 within 0.01")
    return Expectation(phrase, close_to(_number(value, phrase, step), _number(delta, phrase, step)), ("number",))


def _read_one_of(phrase: str, lower: str, step: str | None) -> Matcher[Any] | None:
    if not lower.startswith("one of "):
        return None
    values = _json_argument(f"[{_argument(phrase, 'one of ')}]", phrase, step)
    return Expectation(phrase, any_of(*(matches_json(v) for v in values)))


def _read_length(phrase: str, lower: str, step: str | None) -> Matcher[Any] | None:
    for prefix in ("length ", "of length ", "with length "):
        if lower.startswith(prefix):
            return Length(phrase, parse_phrase(_argument(phrase, prefix), step))
    return None


def _read_not(phrase: str, lower: str, step: str | None) -> Matcher[Any] | None:
    if not lower.startswith("not "):
        return None
    return Not(phrase, parse_phrase(_argument(phrase, "not "), step))


def _read_json(phrase: str, lower: str, step: str | None) -> Matcher[Any] | None:
    try:
        value = json.loads(phrase)
    except ValueError:
        return None
    return matches_json(value)


#: The vocabulary, in the order the reference and the "Known expectations" error list it.
VOCABULARY: tuple[Phrase, ...] = (
    Phrase(
        ("anything", "any value"),
        "anything, any value",
        "present, with any value, null included",
        lambda phrase, lower, step: Expectation(phrase, anything()) if lower in ("anything", "any value") else None,
    ),
    Phrase(
        ("absent",),
        "absent",
        "the key is missing (null means: present, with the value null)",
        lambda phrase, lower, step: Absent(phrase) if lower in ("absent", "missing") else None,
    ),
    Phrase(
        ("present",),
        "present",
        "the key is there, with any value",
        lambda phrase, lower, step: Expectation(phrase, anything()) if lower == "present" else None,
    ),
    Phrase(
        ("any string", "any number", "any integer", "any boolean", "any object", "any array"),
        "any string, any number, any integer, any boolean, any object, any array",
        "any value of that JSON type",
        _read_type,
    ),
    Phrase(
        ("matching REGEX",),
        "matching REGEX",
        "a string the regular expression matches as a whole: matching [A-Z]{3}-\\d+",
        _read_matching,
    ),
    Phrase(
        ("containing VALUE",),
        "containing VALUE",
        'a string containing a text, or an array with an element matching VALUE: containing "vip"',
        _read_containing,
    ),
    Phrase(
        ("starting with TEXT", "ending with TEXT"),
        "starting with TEXT, ending with TEXT",
        'a string that starts (ends) with the text: starting with "Rob"',
        _read_affix,
    ),
    Phrase(
        ("greater than N", "less than N", "at least N", "at most N"),
        "greater than N, less than N, at least N, at most N",
        "a number compared with N",
        _read_comparison,
    ),
    Phrase(("between A and B",), "between A and B", "a number from A to B, both included", _read_between),
    Phrase(("close to X within D",), "close to X within D", "a number at most D away from X", _read_close_to),
    Phrase(
        ("one of A, B, ...",),
        "one of A, B, ...",
        'equal to one of the JSON values listed: one of "buy", "sell"',
        _read_one_of,
    ),
    Phrase(
        ("length N",),
        "length PHRASE",
        "a string, array or object whose length matches: length 3, length at least 1",
        _read_length,
    ),
    Phrase(("not PHRASE",), "not PHRASE", 'anything the phrase rejects: not null, not "sell"', _read_not),
    Phrase((), "a JSON value", 'that value, as expected JSON matches it: "buy", 5, true, null, {"a": 1}', _read_json),
)

#: Every spelling the "Known expectations" error lists, from :data:`VOCABULARY`.
KNOWN_PHRASES = tuple(word for entry in VOCABULARY for word in entry.words)


def parse_phrase(text: str, step: str | None = None) -> Matcher[Any]:
    """The matcher a phrase of the vocabulary stands for; :class:`StepInputError` if it is not one."""
    phrase = " ".join(text.split())
    lower = phrase.lower()
    for entry in VOCABULARY:
        matcher = entry.read(phrase, lower, step)
        if matcher is not None:
            return matcher
    raise StepInputError(
        f"Unknown expectation {phrase!r}{at_step(step)}. Known expectations: {', '.join(KNOWN_PHRASES)}; "
        'or a JSON value such as "text", 5, true or null (texts in double quotes).'
    )


def expected_json(value: Any, step: str | None = None) -> Any:
    """Decoded expected JSON with every ``"<phrase>"`` string replaced by its matcher.

    A string that should literally look like ``<b>`` is written with a backslash first:
    ``"\\\\<b>"`` in the step's JSON.
    """
    if isinstance(value, dict):
        return {key: expected_json(item, step) for key, item in value.items()}
    if isinstance(value, list):
        return [expected_json(item, step) for item in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == "<" and value[-1] == ">":
        return parse_phrase(value[1:-1], step)
    if isinstance(value, str) and value.startswith("\\<"):
        return value[1:]
    return value


def _regex(text: str, phrase: str, step: str | None) -> re.Pattern[str]:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in '"/':
        text = text[1:-1]
    try:
        return re.compile(text)
    except re.error as exc:
        raise _bad(phrase, step, f"the regular expression does not compile: {exc}") from None


def _json_argument(text: str, phrase: str, step: str | None) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise _bad(phrase, step, f'{text!r} is not a JSON value; put texts in double quotes, e.g. "{text}"') from None


def _number(text: str, phrase: str, step: str | None) -> float | int:
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _bad(phrase, step, f"{text.strip()!r} is not a number")
    return value


def _bad(phrase: str, step: str | None, why: str) -> StepInputError:
    return StepInputError(f"Cannot use the expectation {phrase!r}{at_step(step)}: {why}.")
