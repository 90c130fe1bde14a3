"""Small pieces of wording that every report shares: shortened previews, byte dumps, plurals."""

from __future__ import annotations

import json
from typing import Any

#: How much of a payload a report shows on one line.
PREVIEW_LIMIT = 300


def preview(text: str, limit: int = PREVIEW_LIMIT) -> str:
    """``text`` on one line, cut to ``limit`` characters with a note of how much was left out."""
    flat = text.replace("\r", "\\r").replace("\n", "\\n")
    if len(flat) <= limit:
        return flat
    return f"{flat[:limit]}... ({len(flat) - limit} more characters)"


def describe_bytes(data: bytes) -> str:
    """``<3 bytes> 00 ff 10``, shortened like :func:`preview`."""
    return f"<{plural(len(data), 'byte')}> {preview(data.hex(' '))}".rstrip()


def plural(count: int, noun: str) -> str:
    """``1 frame``, ``2 frames``."""
    return f"{count} {noun}{'s' if count != 1 else ''}"


def seconds(value: float) -> str:
    """``1 second``, ``0.5 seconds``, ``2 seconds``."""
    return f"{value:g} second{'s' if value != 1 else ''}"


def exception_text(exc: BaseException) -> str:
    """``TypeName: text``, or the type's name alone for an exception without text."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def a_or_an(noun: str) -> str:
    """``an object``, ``a string``."""
    return f"an {noun}" if noun[:1] in ("a", "e", "i", "o", "u") else f"a {noun}"


def as_text(value: Any) -> str:
    """A JSON value as a header or a parameter carries it: a string as it is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)
