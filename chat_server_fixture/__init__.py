"""The chat server from pywsitest's example: the demo target of wsitest-steps."""

from .server import ChatServer

__all__ = ["ChatServer"]
