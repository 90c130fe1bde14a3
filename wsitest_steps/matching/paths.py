"""Expectations on parts of a JSON message, located by JSONPath (RFC 9535).

Paths are compiled by `python-jsonpath <https://pypi.org/project/python-jsonpath/>`_:
``$.order.id``, ``$.items[0].price``, ``$["odd key"]``, ``$.items[*].price`` (a wildcard:
*any* element may match), filters such as ``$.items[?@.side == "buy"].price``. The leading
``$.`` may be left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from hamcrest.core.description import Description
from hamcrest.core.matcher import Matcher

from ..errors import StepInputError, at_step
from ..matching.json import JsonMatcher, _mismatches_of, describe_value, shown

if TYPE_CHECKING:
    import jsonpath


@lru_cache(maxsize=1)
def _environment() -> jsonpath.JSONPathEnvironment:
    # Imported on the first path a step uses: python-jsonpath compiles its lexer when imported,
    # which was a third of the library's import time for every run, paths or not.
    import jsonpath

    return jsonpath.JSONPathEnvironment()


def compile_path(text: str, step: str | None = None) -> jsonpath.JSONPath:
    """A compiled JSONPath; :class:`StepInputError` quoting the path if it does not parse."""
    compiled = _compiled(text.strip())
    if isinstance(compiled, str):
        raise StepInputError(f"The path {text.strip()!r}{at_step(step)} {compiled}")
    return compiled


@lru_cache(maxsize=512)
def _compiled(path: str) -> jsonpath.JSONPath | str:
    """The compiled path, or why it cannot be used (cached: steps repeat the same paths)."""
    import jsonpath

    if not path.startswith("$"):
        path = "$." + path if not path.startswith("[") else "$" + path
    try:
        compiled = _environment().compile(path)
    except jsonpath.JSONPathError as exc:
        return (
            f"is not valid JSONPath: {str(exc).splitlines()[0]}. "
            'Write it like $.order.id, $.items[0].price, $.items[*].price or $["odd key"].'
        )
    if not isinstance(compiled, jsonpath.JSONPath):  # a compound path (a | b) has no single meaning here
        return "combines several paths; use one."
    return compiled


def values_at(path: jsonpath.JSONPath, value: Any) -> list[Any]:
    """Every value ``path`` selects in ``value`` (none if it selects nothing)."""
    import jsonpath

    try:
        return [match.obj for match in path.finditer(value)]
    except jsonpath.JSONPathError:
        return []


class JsonPathExpectation(JsonMatcher):
    """The value at ``path`` must satisfy ``matcher``.

    A path that selects nothing satisfies only matchers that accept absence (``absent``). A
    path that can select several values (wildcards, slices, filters) passes if any of them
    matches.
    """

    def __init__(self, path_text: str, matcher: Matcher[Any], step: str | None = None) -> None:
        self.path_text = path_text.strip()
        self.path = compile_path(path_text, step)
        self.matcher = matcher

    def mismatches(self, item: Any, path: str) -> list[str]:
        found = values_at(self.path, item)
        where = self.path_text
        if not found:
            if getattr(self.matcher, "matches_absence", False):
                return []
            return [f"{where} is missing, expected {describe_value(self.matcher)}"]
        if self.path.singular_query():
            return _mismatches_of(self.matcher, found[0], where)
        if any(self.matcher.matches(candidate) for candidate in found):
            return []
        listed = ", ".join(shown(candidate, 40) for candidate in found[:5]) + (", ..." if len(found) > 5 else "")
        return [f"{where}: none of its {len(found)} values ({listed}) is {describe_value(self.matcher)}"]

    def describe_to(self, description: Description) -> None:
        description.append_text(f"{self.path_text} ").append_description_of(self.matcher)


class JsonPathTable(JsonMatcher):
    """Every row (a :class:`JsonPathExpectation`) must hold; mismatches list every row that does not."""

    def __init__(self, rows: Sequence[JsonPathExpectation]) -> None:
        self.rows = list(rows)

    def mismatches(self, item: Any, path: str) -> list[str]:
        found: list[str] = []
        for row in self.rows:
            found.extend(row.mismatches(item, path))
        return found

    def describe_to(self, description: Description) -> None:
        description.append_list("", ", ", "", self.rows)
