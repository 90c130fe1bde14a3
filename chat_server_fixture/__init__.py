"""The chat server from pywsitest's example: the demo target of wsitest-steps.

The demo servers are built with the ``websockets`` and ``trustme`` packages, which a suite of
your own does not need: they come with the ``demo`` extra, ``pip install 'wsitest-steps[demo]'``.
"""

try:
    import websockets  # noqa: F401
except ImportError:
    raise ImportError(
        "The demo servers (chat_server_fixture) are built with the websockets package, which is not installed. "
        "Install the library with its demo extra: pip install 'wsitest-steps[demo]' (from a clone: pip install -e '.[demo]')."
    ) from None

from .embedded import EmbeddedServer
from .server import ChatRoom, ChatServer

__all__ = ["ChatRoom", "ChatServer", "EmbeddedServer"]
