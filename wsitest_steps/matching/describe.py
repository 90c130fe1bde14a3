"""What a matcher says of itself and of a frame it rejects, as plain strings for reports."""

from __future__ import annotations

from typing import Any

from hamcrest.core.matcher import Matcher
from hamcrest.core.string_description import StringDescription


def describe(matcher: Matcher[Any]) -> str:
    """A matcher's own description of what it expects."""
    return str(StringDescription().append_description_of(matcher))


def mismatch(matcher: Matcher[Any], item: Any) -> str:
    """The matcher's reason for not matching ``item``."""
    description = StringDescription()
    matcher.describe_mismatch(item, description)
    return str(description)
