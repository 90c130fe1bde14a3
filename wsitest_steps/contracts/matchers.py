"""A PyHamcrest matcher for a message the AsyncAPI document names: ``receives a "UserJoined" message``."""

from __future__ import annotations

from typing import Any

from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description
from hamcrest.core.matcher import Matcher

from ..matching.describe import mismatch
from ..model.frames import NO_VALUE, Frame
from .conformance import Contract, frame_value
from .document import MessageSpec


def _value(frame: Frame) -> Any:
    value = frame_value(frame)
    return None if value is NO_VALUE else value


class IsDocumentMessage(BaseMatcher[Frame]):
    """A message that conforms to ``spec``'s schemas (and, if given, that ``also`` accepts as JSON)."""

    def __init__(self, contract: Contract, spec: MessageSpec, also: Matcher[Any] | None = None, shown: str = "") -> None:
        self.contract, self.spec, self.also, self.shown = contract, spec, also, shown

    def _matches(self, item: Frame) -> bool:
        if not item.is_message or (item.message is not None and item.message.name and not self.spec.called(item.message.name)):
            return False
        value = _value(item)
        return self.contract.problem(self.spec, value) is None and (self.also is None or self.also.matches(value))

    def describe_to(self, description: Description) -> None:
        description.append_text(f'a "{self.spec.name}" message' + (f" with {self.shown}" if self.also is not None else ""))

    def describe_mismatch(self, item: Frame, mismatch_description: Description) -> None:
        if not item.is_message:
            mismatch_description.append_text(f"was a {item.kind} frame, not a message")
            return
        if item.message is not None and item.message.name and not self.spec.called(item.message.name):
            mismatch_description.append_text(f'was "{item.message.name}", not "{self.spec.name}"')
            return
        value = _value(item)
        problem = self.contract.problem(self.spec, value)
        if problem is not None:
            mismatch_description.append_text(f'is no "{self.spec.name}": {problem}')
        elif self.also is not None:
            mismatch_description.append_text(mismatch(self.also, value))
