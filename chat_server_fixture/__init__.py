"""The chat server from pywsitest's example: the demo target of wsitest-steps."""

from .embedded import EmbeddedServer
from .server import ChatRoom, ChatServer

__all__ = ["ChatRoom", "ChatServer", "EmbeddedServer"]
