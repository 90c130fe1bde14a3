"""What a matcher says of itself and of what it rejects, as strings for reports, bounded in size and time.

PyHamcrest's ``StringDescription`` grows its text by concatenation, which costs time quadratic in
the length: describing an expectation of a megabyte took seconds, past the step's deadline. The
descriptions here collect parts in a list and keep only what a report shows, in linear time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hamcrest.core.base_description import BaseDescription
from hamcrest.core.matcher import Matcher

from ..model.wording import PREVIEW_LIMIT

#: How many differences a report lists for one message; the rest are counted.
DIFFERENCES_LIMIT = 10


class _Full(Exception):
    """Raised by a full description: the rest of the matcher need not be described."""


class BoundedDescription(BaseDescription):
    """A hamcrest description that keeps its first ``limit`` characters, then stops the describing."""

    def __init__(self, limit: int = PREVIEW_LIMIT) -> None:
        self._parts: list[str] = []
        self._kept = 0
        self._limit = limit
        self.cut = False

    def append(self, string: str) -> None:
        text = str(string)
        self._parts.append(text)
        self._kept += len(text)
        if self._kept > self._limit:
            self.cut = True
            raise _Full()

    def __str__(self) -> str:
        text = "".join(self._parts)
        return f"{text[: self._limit]}..." if self.cut else text


def describe(matcher: Matcher[Any]) -> str:
    """A matcher's own description of what it expects, shortened like a received message is."""
    description = BoundedDescription()
    try:
        description.append_description_of(matcher)
    except _Full:
        pass  # the report shows no more than this of a large expectation
    return str(description)


def mismatch(matcher: Matcher[Any], item: Any) -> str:
    """The matcher's reason for not matching ``item``, shortened for a report."""
    description = BoundedDescription(4 * PREVIEW_LIMIT)
    try:
        matcher.describe_mismatch(item, description)
    except _Full:
        pass  # the rest of a long reason is left out
    return str(description)


def listed(differences: Sequence[str], limit: int = DIFFERENCES_LIMIT) -> list[str]:
    """The first ``limit`` differences, and a count of the others."""
    if len(differences) <= limit:
        return list(differences)
    return [*differences[:limit], f"... and {len(differences) - limit} more differences"]
