"""The chat server from pywsitest's example, on the ``websockets`` asyncio server.

Protocol: connect with ``?name=Rob``; every connected user (Rob included) then gets
``{"message": "Rob has connected"}``. When Rob sends ``{"message": "Hi"}`` every connected
user gets ``{"message": "Rob: Hi"}``. When Rob leaves, everyone still connected gets
``{"message": "Rob has disconnected"}``. A connection without a name is closed with 1008;
a frame that is not a JSON object with a string ``message`` gets an ``{"error": ...}`` reply
to its sender only.

``&quiet=1`` in the URL keeps that user's arrival and departure unannounced: with N users
joining, announcements alone are N*(N+1)/2 messages, which swamps load tests and benchmarks.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection, broadcast

from .embedded import EmbeddedServer


class ChatRoom:
    """The users connected to one server and the handler that serves them."""

    def __init__(self) -> None:
        self.users: set[ServerConnection] = set()

    def _tell_everyone(self, message: str) -> None:
        broadcast(self.users, json.dumps({"message": message}))

    async def handler(self, connection: ServerConnection) -> None:
        query = parse_qs(urlsplit(connection.request.path).query)
        name = (query.get("name") or [""])[0]
        if not name:
            await connection.close(1008, "connect with ?name=YourName")
            return
        quiet = (query.get("quiet") or [""])[0].lower() in ("1", "true", "yes")
        self.users.add(connection)
        if not quiet:
            self._tell_everyone(f"{name} has connected")
        try:
            async for raw in connection:
                text = _message_text(raw)
                if text is None:
                    await connection.send(json.dumps({"error": 'send a JSON object such as {"message": "Hi"}'}))
                else:
                    self._tell_everyone(f"{name}: {text}")
        finally:
            self.users.discard(connection)
            if not quiet:
                self._tell_everyone(f"{name} has disconnected")


def _message_text(raw: str | bytes) -> str | None:
    if isinstance(raw, bytes):
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return data["message"]
    return None


class ChatServer(EmbeddedServer):
    """The chat server running in a background thread of this process.

    ``ChatServer().start()`` listens on 127.0.0.1 on a free port and returns once it
    accepts connections; :attr:`url` is then the ``ws_url`` to give wsitest-steps.
    Use it as a context manager, or call :meth:`stop`.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(ChatRoom().handler, host, port, max_size=None)

    @property
    def url(self) -> str:
        """The URL template for wsitest-steps' ``ws_url``: ``{name}`` becomes the actor's name."""
        return f"ws://{self.host}:{self.port}/?name={{name}}"
