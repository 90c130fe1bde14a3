"""The closed sets of words the library records and reports: each one an enum.

Every member's value is the word reports print, and ``str()`` of a member is that word on every
Python version (a ``str`` mix-in alone prints ``FrameKind.TEXT`` from Python 3.12 on).
"""

from __future__ import annotations

from enum import Enum


class Word(str, Enum):
    """An enum whose members are words: compared, hashed and printed as their value."""

    def __str__(self) -> str:
        return str(self.value)


class FrameKind(Word):
    """What one received or sent frame is: a message (text or binary) or a control frame."""

    TEXT = "text"
    BINARY = "binary"
    PING = "ping"
    PONG = "pong"

    @property
    def is_message(self) -> bool:
        """A text or binary message, as opposed to a ping or pong control frame."""
        return self in (FrameKind.TEXT, FrameKind.BINARY)


class Closer(Word):
    """Who ended a connection."""

    #: The server sent a close frame.
    SERVER = "server"
    #: This actor started the closing handshake, or failed the connection itself.
    CLIENT = "client"
    #: The connection broke without a close frame, or the stream could not be read.
    NETWORK = "network"


class EventKind(Word):
    """What an actor did, other than receiving a frame (frames live in the inbox)."""

    CONNECTED = "connected"
    REJECTED = "rejected"
    SENT = "sent"
    CLOSE_SENT = "close sent"
    REPLY_FAILED = "reply failed"
    REQUESTED = "requested"
    RESPONDED = "responded"
    REQUEST_FAILED = "request failed"
