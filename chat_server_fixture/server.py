"""The chat server from pywsitest's example, on the ``websockets`` asyncio server.

Protocol: connect with ``?name=Rob``; every connected user (Rob included) then gets
``{"message": "Rob has connected"}``. When Rob sends ``{"message": "Hi"}`` every connected
user gets ``{"message": "Rob: Hi"}``. When Rob leaves, everyone still connected gets
``{"message": "Rob has disconnected"}``. A connection without a name is closed with 1008;
a frame that is not a JSON object with a string ``message`` gets an ``{"error": ...}`` reply
to its sender only.
"""

from __future__ import annotations

import asyncio
import json
import threading
from urllib.parse import parse_qs, urlsplit

from websockets import broadcast
from websockets.asyncio.server import ServerConnection, serve

START_TIMEOUT = 10.0


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
        self.users.add(connection)
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


async def run(host: str, port: int, on_ready, stop: asyncio.Event) -> None:
    """Serve until ``stop`` is set; call ``on_ready(port)`` once listening."""
    room = ChatRoom()
    # No server pings: a test decides when its actors talk, and the chat needs no keep-alive.
    async with serve(room.handler, host, port, ping_interval=None, max_size=None) as server:
        on_ready(server.sockets[0].getsockname()[1])
        await stop.wait()


class ChatServer:
    """The chat server running in a background thread of this process.

    ``ChatServer().start()`` listens on 127.0.0.1 on a free port and returns once it
    accepts connections; :attr:`url` is then the ``ws_url`` to give wsitest-steps.
    Use it as a context manager, or call :meth:`stop`.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The URL template for wsitest-steps' ``ws_url``: ``{name}`` becomes the actor's name."""
        return f"ws://{self.host}:{self.port}/?name={{name}}"

    def start(self) -> ChatServer:
        self._thread = threading.Thread(target=self._serve, name="chat-server-fixture", daemon=True)
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            raise RuntimeError(f"the chat server did not start listening within {START_TIMEOUT:g} seconds")
        if self._error is not None:
            raise RuntimeError(f"the chat server could not start on {self.host}:{self.port}: {self._error}")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(START_TIMEOUT)

    def __enter__(self) -> ChatServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _serve(self) -> None:
        def ready(port: int) -> None:
            self.port = port
            self._ready.set()

        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            await run(self.host, self.port, ready, self._stop)

        try:
            asyncio.run(main())
        except BaseException as exc:  # reported by start(), which is waiting for us
            self._error = exc
            self._ready.set()
