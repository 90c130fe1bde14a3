"""PyHamcrest matchers for frames that are not (only) JSON: text, binary, any message.

JSON frames are matched by :class:`~wsitest_steps.json_matching.FrameWithJson`. Every matcher
here rejects control frames (pings, pongs), and describes itself and its mismatches in the
words failure reports use.
"""

from __future__ import annotations

import json
from typing import Any

from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description
from hamcrest.core.matcher import Matcher

from ..model.frames import Frame
from ..model.kinds import FrameKind
from ..model.wording import describe_bytes, preview


def _kind_mismatch(item: Frame, wanted: FrameKind) -> str | None:
    if item.kind is wanted:
        return None
    if item.is_message:
        return f"was a {item.kind} message, not {wanted}"
    return f"was a {item.kind} control frame, not a message"


class FrameWithText(BaseMatcher[Frame]):
    """A text frame whose whole text ``text_matcher`` accepts (the text as is, JSON or not)."""

    def __init__(self, text_matcher: Matcher[Any], description: str) -> None:
        self.text_matcher = text_matcher
        self.description = description

    def _matches(self, item: Frame) -> bool:
        return item.kind is FrameKind.TEXT and self.text_matcher.matches(item.text)

    def describe_to(self, description: Description) -> None:
        description.append_text(self.description)

    def describe_mismatch(self, item: Frame, mismatch_description: Description) -> None:
        wrong_kind = _kind_mismatch(item, FrameKind.TEXT)
        if wrong_kind:
            mismatch_description.append_text(wrong_kind)
        elif isinstance(self.text_matcher, PrefixedJson):  # it can say where the text went wrong
            self.text_matcher.describe_mismatch(item.text, mismatch_description)
        else:
            mismatch_description.append_text(f"was the text {preview(item.text, 120)}")


class PrefixedJson(BaseMatcher[str]):
    """A text that starts with ``prefix`` and goes on with JSON that ``json_matcher`` accepts."""

    def __init__(self, prefix: str, json_matcher: Matcher[Any], shown: str) -> None:
        self.prefix, self.json_matcher, self.shown = prefix, json_matcher, shown

    def _rest(self, item: str) -> Any:
        if not item.startswith(self.prefix):
            return _NOT_JSON
        try:
            return json.loads(item[len(self.prefix) :])
        except ValueError:
            return _NOT_JSON

    def _matches(self, item: str) -> bool:
        rest = self._rest(item)
        return rest is not _NOT_JSON and self.json_matcher.matches(rest)

    def describe_to(self, description: Description) -> None:
        description.append_text(f"of the prefix {json.dumps(self.prefix)} and the JSON {self.shown}")

    def describe_mismatch(self, item: str, mismatch_description: Description) -> None:
        if not item.startswith(self.prefix):
            mismatch_description.append_text(f"did not start with {json.dumps(self.prefix)}: {preview(item, 120)}")
        elif self._rest(item) is _NOT_JSON:
            mismatch_description.append_text(f"was not JSON after the prefix: {preview(item, 120)}")
        else:
            self.json_matcher.describe_mismatch(self._rest(item), mismatch_description)


_NOT_JSON = object()


class FrameWithBytes(BaseMatcher[Frame]):
    """A binary frame with exactly the bytes ``expected``."""

    def __init__(self, expected: bytes) -> None:
        self.expected = expected

    def _matches(self, item: Frame) -> bool:
        return item.kind is FrameKind.BINARY and item.payload == self.expected

    def describe_to(self, description: Description) -> None:
        description.append_text(f"the bytes {describe_bytes(self.expected)}")

    def describe_mismatch(self, item: Frame, mismatch_description: Description) -> None:
        wrong_kind = _kind_mismatch(item, FrameKind.BINARY)
        if wrong_kind:
            mismatch_description.append_text(wrong_kind)
            return
        mismatch_description.append_text(f"was {describe_bytes(item.data)}")
        differ = next((i for i, (a, b) in enumerate(zip(item.data, self.expected)) if a != b), None)
        if differ is not None:
            mismatch_description.append_text(f", first differing at byte {differ}")


class BinaryFrame(BaseMatcher[Frame]):
    """Any binary frame, or one whose length ``length`` accepts."""

    def __init__(self, length: Matcher[Any] | None = None, description: str = "a binary message") -> None:
        self.length = length
        self.description = description

    def _matches(self, item: Frame) -> bool:
        return item.kind is FrameKind.BINARY and (self.length is None or self.length.matches(len(item.data)))

    def describe_to(self, description: Description) -> None:
        description.append_text(self.description)

    def describe_mismatch(self, item: Frame, mismatch_description: Description) -> None:
        mismatch_description.append_text(_kind_mismatch(item, FrameKind.BINARY) or f"was {describe_bytes(item.data)}")


class AnyMessage(BaseMatcher[Frame]):
    """Any text or binary message."""

    def _matches(self, item: Frame) -> bool:
        return item.is_message

    def describe_to(self, description: Description) -> None:
        description.append_text("any message")

    def describe_mismatch(self, item: Frame, mismatch_description: Description) -> None:
        mismatch_description.append_text(f"was a {item.kind} control frame, not a message")


class ControlFrame(BaseMatcher[Frame]):
    """A ping or pong control frame, with exactly ``payload`` if one is given."""

    def __init__(self, kind: FrameKind, payload: bytes | None = None) -> None:
        self.kind = FrameKind(kind)
        self.payload = payload

    def _matches(self, item: Frame) -> bool:
        return item.kind is self.kind and (self.payload is None or item.payload == self.payload)

    def describe_to(self, description: Description) -> None:
        carrying = f" carrying {describe_bytes(self.payload)}" if self.payload else ""
        description.append_text(f"a {self.kind}{carrying}")

    def describe_mismatch(self, item: Frame, mismatch_description: Description) -> None:
        if item.kind is not self.kind:
            mismatch_description.append_text(f"was a {item.kind} {'message' if item.is_message else 'frame'}")
        else:
            mismatch_description.append_text(f"carried {describe_bytes(item.data)}")
