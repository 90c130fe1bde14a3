"""PyHamcrest matchers for the messages of a protocol spoken over the frames (Socket.IO, GraphQL, STOMP).

:class:`ProtocolMessage` matches by the message's kind, name, id or channel and its payload; it
also matches what a protocol keeps aside (acknowledgements, completions), which only their own
sentences look for. :class:`FromChannel` narrows any frame matcher to one channel (a GraphQL
subscription's label, a STOMP destination), :class:`WithHeaders` to messages whose headers match.
"""

from __future__ import annotations

import re
from typing import Any

from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description
from hamcrest.core.matcher import Matcher

from ..model.frames import Frame
from ..model.wording import describe_bytes
from .describe import describe, mismatch


class ProtocolMessage(BaseMatcher[Frame]):
    """A protocol message of ``kind`` (and ``name``, ``id``, ``channel`` where given) whose payload ``payload`` accepts.

    ``answerable`` asks for a message that carries an id to answer (a Socket.IO event that wants an acknowledgement).
    """

    def __init__(
        self,
        kind: str,
        description: str,
        *,
        name: str | None = None,
        ident: str | int | None = None,
        channel: str | None = None,
        payload: Matcher[Any] | None = None,
        arguments: Matcher[Any] | None = None,
        attachment: bytes | None = None,
        answerable: bool = False,
    ) -> None:
        self.kind, self.description = kind, description
        self.name, self.ident, self.channel = name, ident, channel
        self.payload, self.arguments, self.attachment = payload, arguments, attachment
        #: Only a message that asks for an answer (carries an id to answer to).
        self.answerable = answerable

    def _matches(self, item: Frame) -> bool:
        message = item.message
        return (
            message is not None
            and message.kind == self.kind
            and (self.name is None or message.name == self.name)
            and (self.ident is None or message.id == self.ident)
            and (not self.answerable or message.id is not None)
            and (self.channel is None or message.channel == self.channel)
            and (self.payload is None or self.payload.matches(message.payload))
            and (self.arguments is None or self.arguments.matches(list(message.arguments or ())))
            and (self.attachment is None or self.attachment in message.attachments)
        )

    def describe_to(self, description: Description) -> None:
        description.append_text(self.description)

    def describe_mismatch(self, item: Frame, mismatch_description: Description) -> None:
        message = item.message
        if message is None:
            mismatch_description.append_text("was a plain frame, not a protocol message")
        elif message.kind != self.kind or (self.name is not None and message.name != self.name):
            mismatch_description.append_text(f"was {message.describe()}")
        elif self.ident is not None and message.id != self.ident:
            mismatch_description.append_text(f"answered #{message.id}, not #{self.ident}")
        elif self.channel is not None and message.channel != self.channel:
            mismatch_description.append_text(f"belonged to {message.channel or 'nothing'}, not {self.channel}")
        elif self.attachment is not None and self.attachment not in message.attachments:
            carried = ", ".join(describe_bytes(a) for a in message.attachments) or "no attachment"
            mismatch_description.append_text(f"carried {carried}")
        elif self.arguments is not None:
            mismatch_description.append_text(f"had the arguments {mismatch(self.arguments, list(message.arguments or ()))}")
        elif self.payload is not None:
            mismatch_description.append_text(mismatch(self.payload, message.payload))


class WithHeaders(BaseMatcher[Frame]):
    """What ``inner`` accepts, among the messages whose headers ``headers`` accepts (``shown`` is how they were written)."""

    def __init__(self, headers: Matcher[Any], shown: str, inner: Matcher[Frame]) -> None:
        self.headers, self.shown, self.inner = headers, shown, inner

    def _matches(self, item: Frame) -> bool:
        return item.message is not None and self.headers.matches(dict(item.message.headers)) and self.inner.matches(item)

    def describe_to(self, description: Description) -> None:
        description.append_text(f"{describe(self.inner)} with the headers {self.shown}")

    def describe_mismatch(self, item: Frame, mismatch_description: Description) -> None:
        if item.message is None:
            mismatch_description.append_text("was a plain frame, with no headers")
        elif not self.headers.matches(dict(item.message.headers)):
            mismatch_description.append_text(f"had headers where {mismatch(self.headers, dict(item.message.headers))}")
        else:
            mismatch_description.append_text(mismatch(self.inner, item))


class FromChannel(BaseMatcher[Frame]):
    """What ``inner`` accepts, among the messages of ``channel`` only."""

    def __init__(self, channel: str, inner: Matcher[Frame]) -> None:
        self.channel, self.inner = channel, inner

    def _matches(self, item: Frame) -> bool:
        return item.message is not None and item.message.channel == self.channel and self.inner.matches(item)

    def describe_to(self, description: Description) -> None:
        description.append_text(f"{describe(self.inner)} from {_shown(self.channel)}")

    def describe_mismatch(self, item: Frame, mismatch_description: Description) -> None:
        if item.message is None or item.message.channel != self.channel:
            belongs = item.message.channel if item.message is not None else None
            mismatch_description.append_text(
                f"came from {_shown(belongs)}, not {_shown(self.channel)}" if belongs else f"was not from {_shown(self.channel)}"
            )
        else:
            mismatch_description.append_text(mismatch(self.inner, item))


def _shown(channel: str) -> str:
    # A subscription's label as the sentence wrote it (counter), a destination quoted ("/topic/chat").
    return channel if re.fullmatch(r"[A-Za-z_][\w-]*", channel) else f'"{channel}"'
