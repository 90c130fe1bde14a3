"""Small websocket servers for what the chat cannot show, one behaviour per path.

One :class:`ProtocolServer` serves them all on one port:

- ``/echo``: sends back every message as it came (text as text, binary as binary).
- ``/headers``: first sends ``{"path", "query", "headers", "subprotocol"}`` describing the
  handshake it received (header names in lower case; query values as lists), then echoes.
- ``/subprotocols``: speaks ``chat.v2`` and ``chat.v1`` and picks the first of those the
  client offers; rejects the handshake with 400 if the client offers neither. Then sends
  ``{"subprotocol": ...}`` and echoes.
- ``/reject``: answers the handshake with the HTTP status ``?status=`` (default 403) and a short body.
- ``/close``: closes at once with the code ``?code=`` (default 1000) and ``?reason=``;
  ``?after=message`` waits for the client's first message first.
- ``/ping``: pings the client every ``?every=`` seconds (default 0.2), and echoes.
- ``/say``: sends each ``?m=`` value as a text message, in order (``?binary=1`` as binary,
  ``?pause=`` seconds between them), then echoes.
- ``/silent``: accepts and then says nothing, ever, until the client leaves.
- ``/flood``: sends ``?count=`` text messages ``{"n": i}`` as fast as it can, then ``{"done": true}``.
- ``/big``: sends one binary message of ``?bytes=`` bytes.
- ``/invalid-utf8``: sends a text frame whose bytes are not valid UTF-8.

Every path accepts and ignores ``name`` in the query, so ``ws_url`` templates work here too.
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed, NegotiationError

from .embedded import EmbeddedServer

SUBPROTOCOLS = ("chat.v2", "chat.v1")


def _query(connection: ServerConnection) -> dict[str, list[str]]:
    return parse_qs(urlsplit(connection.request.path).query, keep_blank_values=True)


def _path(connection: ServerConnection) -> str:
    return urlsplit(connection.request.path).path.rstrip("/") or "/"


def _first(query: dict[str, list[str]], key: str, default: str) -> str:
    return (query.get(key) or [default])[0]


def select_subprotocol(connection: ServerConnection, offered):
    if _path(connection) != "/subprotocols":
        return None
    for subprotocol in offered:
        if subprotocol in SUBPROTOCOLS:
            return subprotocol
    raise NegotiationError(f"this endpoint speaks {', '.join(SUBPROTOCOLS)}; offered: {', '.join(offered) or 'none'}")


def process_request(connection: ServerConnection, request):
    parts = urlsplit(request.path)
    if parts.path.rstrip("/") == "/reject":
        status = _first(parse_qs(parts.query), "status", "403")
        status_code = int(status) if status.isdigit() else 400
        return connection.respond(status_code, f"rejected with {status_code} by the protocol server\n")
    return None


async def _echo(connection: ServerConnection) -> None:
    async for message in connection:
        await connection.send(message)


async def handler(connection: ServerConnection) -> None:
    path, query = _path(connection), _query(connection)
    try:
        if path == "/headers":
            headers: dict[str, str] = {}
            for name, value in connection.request.headers.raw_items():
                key = name.lower()
                headers[key] = f"{headers[key]}, {value}" if key in headers else value
            described = {"path": path, "query": query, "headers": headers, "subprotocol": connection.subprotocol}
            await connection.send(json.dumps(described))
        elif path == "/subprotocols":
            await connection.send(json.dumps({"subprotocol": connection.subprotocol}))
        elif path == "/close":
            if _first(query, "after", "") == "message":
                await connection.recv()
            await connection.close(int(_first(query, "code", "1000")), _first(query, "reason", ""))
            return
        elif path == "/ping":
            every = float(_first(query, "every", "0.2"))

            async def pinger() -> None:
                while True:
                    await asyncio.sleep(every)  # the server's own pacing, not synchronisation
                    await connection.ping()

            task = asyncio.create_task(pinger())
            try:
                await _echo(connection)
            finally:
                task.cancel()
            return
        elif path == "/say":
            binary = _first(query, "binary", "") == "1"
            pause = float(_first(query, "pause", "0"))
            for i, text in enumerate(query.get("m", [])):
                if i and pause:
                    await asyncio.sleep(pause)  # the pacing under test
                await connection.send(text.encode("utf-8") if binary else text)
        elif path == "/silent":
            await connection.wait_closed()
            return
        elif path == "/flood":
            for i in range(int(_first(query, "count", "1000"))):
                await connection.send(f'{{"n": {i}}}')
            await connection.send('{"done": true}')
        elif path == "/big":
            await connection.send(b"\x5a" * int(_first(query, "bytes", "1048576")))
        elif path == "/invalid-utf8":
            await connection.send(b"caf\xc3", text=True)  # a truncated UTF-8 sequence
        await _echo(connection)
    except ConnectionClosed:
        pass


class ProtocolServer(EmbeddedServer):
    """The paths above on 127.0.0.1 (or ``host``), on a free port unless ``port`` is given.

    ``ssl`` (an :class:`ssl.SSLContext`) makes it a ``wss://`` server. :meth:`url` builds URLs.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, ssl=None) -> None:
        super().__init__(
            handler,
            host,
            port,
            ssl=ssl,
            max_size=None,
            process_request=process_request,
            select_subprotocol=select_subprotocol,
        )
        self.scheme = "wss" if ssl is not None else "ws"
        self.url_host = host

    def url(self, path: str = "/echo") -> str:
        return f"{self.scheme}://{self.url_host}:{self.port}{path}"
