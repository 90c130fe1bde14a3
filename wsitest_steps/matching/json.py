"""PyHamcrest matchers for JSON values and for frames that carry them.

Semantics, chosen so a step says exactly what it checks and no more:

* an expected object matches an object that has at least those keys, each matching
  recursively (extra keys are fine at every depth);
* an expected array matches an array of the same length, element by element;
* scalars match by JSON type and value: ``1`` is not ``true``, ``"1"`` is not ``1``,
  ``null`` matches only a key that is present with the value null. JSON has a single
  number type, so ``1`` and ``1.0`` are the same number;
* any value may be a hamcrest matcher instead (see :mod:`wsitest_steps.expectations` for the
  phrases steps use); one with a true ``matches_absence`` attribute is also satisfied by a
  missing key.

Mismatches name every differing path (``$.user.name was "Bob"``), not only the first,
because a CI reader gets one look at the report.
"""

from __future__ import annotations

import json
import re
from typing import Any

from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description
from hamcrest.core.matcher import Matcher

from ..model.frames import Frame, NotJson
from ..model.wording import a_or_an, plural
from .describe import describe, listed, mismatch

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_text(value: Any) -> str:
    """``value`` written as compact, readable JSON (non-ASCII kept as is)."""
    return json.dumps(value, ensure_ascii=False)


def is_json(text: str) -> bool:
    """Whether ``text`` is one JSON document."""
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def json_type(value: Any) -> str:
    """The JSON type name of a decoded value: object, array, string, number, boolean or null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def child_path(path: str, key: str | int) -> str:
    """JSONPath-style location of a child: ``$.name``, ``$["odd key"]``, ``$[2]``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _IDENTIFIER.match(key):
        return f"{path}.{key}"
    return f"{path}[{json_text(key)}]"


class JsonMatcher(BaseMatcher[Any]):
    """A matcher that can list every mismatch below a path, for precise reports."""

    def mismatches(self, item: Any, path: str) -> list[str]:
        raise NotImplementedError

    def agreement(self, item: Any) -> int:
        """How many of the expected values ``item`` has right: a report ranks the closest message first."""
        return 1 if self.matches(item) else 0

    def _matches(self, item: Any) -> bool:
        return not self.mismatches(item, "$")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        mismatch_description.append_text("; ".join(listed(self.mismatches(item, "$"))))


def _mismatches_of(matcher: Matcher[Any], item: Any, path: str) -> list[str]:
    """Mismatches of any hamcrest matcher, located at ``path``."""
    if isinstance(matcher, JsonMatcher):
        return matcher.mismatches(item, path)
    if matcher.matches(item):
        return []
    return [f"{path} {mismatch(matcher, item)}"]


class JsonScalar(JsonMatcher):
    """Matches one JSON scalar (string, number, boolean or null) by type and value."""

    def __init__(self, expected: Any) -> None:
        self.expected = expected

    def mismatches(self, item: Any, path: str) -> list[str]:
        want, got = json_type(self.expected), json_type(item)
        if want != got:
            return [f"{path} was {shown(item)} ({a_or_an(got)}), expected {shown(self.expected)} ({a_or_an(want)})"]
        if item != self.expected:
            return [f"{path} was {shown(item)}, expected {shown(self.expected)}"]
        return []

    def _matches(self, item: Any) -> bool:
        # The yes-or-no question, without wording every difference: waits ask it of every frame.
        return json_type(item) == json_type(self.expected) and item == self.expected

    def describe_to(self, description: Description) -> None:
        description.append_text(json_text(self.expected))


class JsonObjectContaining(JsonMatcher):
    """Matches an object that has every expected key, each value matching its matcher."""

    def __init__(self, entries: dict[str, Matcher[Any]]) -> None:
        self.entries = entries

    def mismatches(self, item: Any, path: str) -> list[str]:
        if not isinstance(item, dict):
            return [f"{path} was {shown(item)}, {a_or_an(json_type(item))}, not an object"]
        found: list[str] = []
        for key, matcher in self.entries.items():
            where = child_path(path, key)
            if key not in item:
                if not getattr(matcher, "matches_absence", False):
                    found.append(f"{where} is missing, expected {describe_value(matcher)}")
            else:
                found.extend(_mismatches_of(matcher, item[key], where))
        return found

    def agreement(self, item: Any) -> int:
        if not isinstance(item, dict):
            return 0
        return sum(
            _agreement(matcher, item[key]) if key in item else int(bool(getattr(matcher, "matches_absence", False)))
            for key, matcher in self.entries.items()
        )

    def _matches(self, item: Any) -> bool:
        if not isinstance(item, dict):
            return False
        for key, matcher in self.entries.items():
            if key in item:
                if not matcher.matches(item[key]):
                    return False
            elif not getattr(matcher, "matches_absence", False):
                return False
        return True

    def describe_to(self, description: Description) -> None:
        description.append_text("{")
        for i, (key, matcher) in enumerate(self.entries.items()):
            if i:
                description.append_text(", ")
            description.append_text(f"{json_text(key)}: ").append_description_of(matcher)
        description.append_text("}")


class JsonArrayMatching(JsonMatcher):
    """Matches an array of exactly as many elements, each matching the matcher at its index."""

    def __init__(self, elements: list[Matcher[Any]]) -> None:
        self.elements = elements

    def mismatches(self, item: Any, path: str) -> list[str]:
        if not isinstance(item, list):
            return [f"{path} was {shown(item)}, {a_or_an(json_type(item))}, not an array"]
        if len(item) != len(self.elements):
            return [f"{path} had {plural(len(item), 'element')}, expected {len(self.elements)}: {shown(item)}"]
        found: list[str] = []
        for i, (matcher, value) in enumerate(zip(self.elements, item)):
            found.extend(_mismatches_of(matcher, value, child_path(path, i)))
        return found

    def agreement(self, item: Any) -> int:
        if not isinstance(item, list):
            return 0
        return sum(_agreement(matcher, value) for matcher, value in zip(self.elements, item))

    def _matches(self, item: Any) -> bool:
        if not isinstance(item, list) or len(item) != len(self.elements):
            return False
        return all(matcher.matches(value) for matcher, value in zip(self.elements, item))

    def describe_to(self, description: Description) -> None:
        description.append_list("[", ", ", "]", self.elements)


def _agreement(matcher: Matcher[Any], item: Any) -> int:
    if isinstance(matcher, JsonMatcher):
        return matcher.agreement(item)
    return 1 if matcher.matches(item) else 0


def json_mismatches(matcher: Matcher[Any], value: Any) -> list[str]:
    """Every difference between a decoded JSON ``value`` and ``matcher``, located by path."""
    return _mismatches_of(matcher, value, "$")


def describe_value(matcher: Matcher[Any]) -> str:
    """What a matcher expects, as a short phrase (JSON text for JSON matchers)."""
    return describe(matcher)


class FrameWithJson(BaseMatcher[Frame]):
    """Matches a text frame whose payload is JSON matching ``value_matcher``.

    A binary frame or text that is not JSON never matches, and says so as its mismatch.
    """

    #: The last frame whose differences were worded, and those differences.
    _last: tuple[Frame, list[str]] | None

    def mismatch_list(self, item: Frame) -> list[str] | None:
        """Every difference between ``item`` and the expectation, or ``None`` if it is not JSON.

        The length of the list is how far the frame is from matching: report the closest first.
        """
        try:
            value = item.json()
        except NotJson:
            return None
        last = self._last
        if last is not None and last[0] is item:
            return last[1]
        differences = _mismatches_of(self.value_matcher, value, "$")
        # A failure report asks for the same frame's differences twice (to rank it, then to show
        # it): over a large message, wording them once is what keeps the report within the deadline.
        self._last = (item, differences)
        return differences

    def agreement(self, item: Frame) -> int:
        """How many expected values the frame's JSON has right (0 for a frame that is not JSON)."""
        try:
            return _agreement(self.value_matcher, item.json())
        except NotJson:
            return 0

    def __init__(self, value_matcher: Matcher[Any], prefix: str = "a JSON message matching ") -> None:
        self.value_matcher = value_matcher
        self.prefix = prefix
        self._last = None

    def _matches(self, item: Frame) -> bool:
        try:
            value = item.json()
        except NotJson:
            return False
        return self.value_matcher.matches(value)

    def describe_to(self, description: Description) -> None:
        description.append_text(self.prefix).append_description_of(self.value_matcher)

    def describe_mismatch(self, item: Frame, mismatch_description: Description) -> None:
        differences = self.mismatch_list(item)
        if differences is None:
            try:
                item.json()
            except NotJson as exc:
                mismatch_description.append_text(f"was {exc}")
            return
        mismatch_description.append_text("; ".join(listed(differences)))


def matches_json(expected: Any) -> Matcher[Any]:
    """A matcher for decoded JSON values equivalent to ``expected`` under the module's rules.

    ``expected`` is a decoded JSON value; any element of it may itself be a hamcrest
    matcher, which is used as is at that position.
    """
    if isinstance(expected, Matcher):
        return expected
    if isinstance(expected, dict):
        return JsonObjectContaining({key: matches_json(value) for key, value in expected.items()})
    if isinstance(expected, (list, tuple)):
        return JsonArrayMatching([matches_json(value) for value in expected])
    return JsonScalar(expected)


def json_message(expected: Any) -> FrameWithJson:
    """A matcher for frames carrying JSON equivalent to ``expected`` (see :func:`matches_json`)."""
    return FrameWithJson(matches_json(expected))


def shown(value: Any, limit: int = 120) -> str:
    """``value`` as JSON text, shortened to ``limit`` characters for a one-line report."""
    text = json_text(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
