"""The chat server from pywsitest's example, on the ``websockets`` asyncio server.

Protocol: connect with ``?name=Rob``; every connected user (Rob included) then gets
``{"message": "Rob has connected", "user": "Rob"}``. When Rob sends ``{"message": "Hi"}``
every connected user gets ``{"message": "Rob: Hi", "user": "Rob"}``. When Rob leaves,
everyone still connected gets ``{"message": "Rob has disconnected", "user": "Rob"}``. A
connection without a name is closed with 1008; a frame that is not a JSON object with a
string ``message`` gets an ``{"error": ...}`` reply to its sender only.

A token from the HTTP API's ``POST /login`` may be given as ``Authorization: Bearer ...`` or
``?token=...``; it names the user, and an unknown token is rejected with HTTP 401.

``&quiet=1`` in the URL keeps that user's arrival and departure unannounced: with N users
joining, announcements alone are N*(N+1)/2 messages, which swamps load tests and benchmarks.
"""

from __future__ import annotations

import json
import secrets
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection, broadcast

from .embedded import EmbeddedServer
from .http_api import ChatHttpApi


class ChatRoom:
    """The users connected to one server, the tokens issued to them, and the handlers that serve them."""

    def __init__(self) -> None:
        self.users: dict[ServerConnection, str] = {}
        self.tokens: dict[str, str] = {}

    def tell_everyone(self, message: str, user: str | None = None) -> None:
        payload = {"message": message} if user is None else {"message": message, "user": user}
        broadcast(list(self.users), json.dumps(payload))

    def issue_token(self, name: str) -> str:
        token = secrets.token_urlsafe(16)
        self.tokens[token] = name
        return token

    def user_for(self, token: str | None) -> str | None:
        return self.tokens.get(token) if token else None

    def online_names(self) -> set[str]:
        return set(self.users.values())

    def process_request(self, connection: ServerConnection, request):
        """Reject a handshake that carries an unknown token; answer 401 before any upgrade."""
        token = _token_of(request)
        if token is not None and token not in self.tokens:
            return connection.respond(401, "Unknown token: log in with POST /login first.\n")
        return None

    async def handler(self, connection: ServerConnection) -> None:
        query = parse_qs(urlsplit(connection.request.path).query)
        name = (query.get("name") or [""])[0] or self.user_for(_token_of(connection.request)) or ""
        if not name:
            await connection.close(1008, "connect with ?name=YourName")
            return
        quiet = (query.get("quiet") or [""])[0].lower() in ("1", "true", "yes")
        self.users[connection] = name
        if not quiet:
            self.tell_everyone(f"{name} has connected", name)
        try:
            async for raw in connection:
                text = _message_text(raw)
                if text is None:
                    await connection.send(json.dumps({"error": 'send a JSON object such as {"message": "Hi"}'}))
                else:
                    self.tell_everyone(f"{name}: {text}", name)
        finally:
            del self.users[connection]
            if not quiet:
                self.tell_everyone(f"{name} has disconnected", name)


def _token_of(request) -> str | None:
    header = request.headers.get("Authorization")
    if header and header.lower().startswith("bearer "):
        return header[7:].strip()
    return (parse_qs(urlsplit(request.path).query).get("token") or [None])[0]


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
    """The chat server, websocket and HTTP sides, running in background threads of this process.

    ``ChatServer().start()`` listens on 127.0.0.1 on free ports and returns once both accept
    connections; :attr:`url` is then the ``ws_url`` and :attr:`http_url` the ``http_url`` to
    give wsitest-steps. Use it as a context manager, or call :meth:`stop`.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, http_port: int = 0) -> None:
        self.room = ChatRoom()
        super().__init__(self.room.handler, host, port, max_size=None, process_request=self.room.process_request)
        self.http_port = http_port
        self.http: ChatHttpApi | None = None

    @property
    def url(self) -> str:
        """The URL template for wsitest-steps' ``ws_url``: ``{name}`` becomes the actor's name."""
        return f"ws://{self.host}:{self.port}/?name={{name}}"

    @property
    def http_url(self) -> str:
        """The base URL of the HTTP API, for wsitest-steps' ``http_url``."""
        assert self.http is not None, "start the server first"
        return self.http.url

    def start(self) -> ChatServer:
        super().start()
        self.http = ChatHttpApi(self.room, self._loop, self.host, self.http_port).start()
        return self

    def stop(self) -> None:
        if self.http is not None:
            self.http.stop()
        super().stop()
