"""The demo's Socket.IO chat (python-socketio) and GraphQL API (Strawberry), one ASGI app under uvicorn.

Socket.IO answers at ``/socket.io/``, GraphQL at ``/graphql`` (queries over HTTP, subscriptions
over either websocket protocol). Socket.IO's heartbeat runs every second here, so a scenario can
show a silent client being dropped without waiting 45 s.

Socket.IO, namespace ``/``: the user's name is the ``name`` query parameter. ``chat`` with
``{"text": ...}`` is broadcast as ``chat`` with ``{"user": ..., "text": ...}``; ``join`` with
``{"room": ...}`` is acknowledged with ``{"ok": true, "room": ...}``; ``quiz`` makes the server ask
``question`` and, once the client acknowledges, emit ``answered`` with what it said; ``upload``
with bytes is acknowledged with ``{"size": N}``; ``download`` is answered by ``file`` with bytes;
``leave`` disconnects the client. Namespace ``/admin`` wants the auth ``{"token": "admin-secret"}``.

GraphQL: ``count(to: Int!)`` counts from 1, ``tick(every: Float!)`` counts on every ``every``
seconds until stopped, ``echo(text)`` answers its text, ``fail`` fails; connection_init with the
token ``"wrong"`` is refused.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import AsyncGenerator
from typing import Any
from urllib.parse import parse_qs

import socketio
import strawberry
import uvicorn
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError

START_TIMEOUT = 10.0
ADMIN_TOKEN = "admin-secret"


def socketio_server() -> socketio.AsyncServer:
    # A ping every second keeps the heartbeat scenario short; three seconds for the pong, not one,
    # because a CI machine running every environment at once can hold a reader thread back for a
    # second, and the server would then drop a client that did nothing wrong.
    sio = socketio.AsyncServer(async_mode="asgi", ping_interval=1, ping_timeout=3, logger=False, engineio_logger=False)
    names: dict[str, str] = {}

    @sio.event
    async def connect(sid: str, environ: dict[str, Any], auth: Any) -> None:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        names[sid] = (query.get("name") or ["someone"])[0]
        await sio.emit("joined", {"user": names[sid]})

    @sio.event
    async def disconnect(sid: str, *reason: Any) -> None:
        names.pop(sid, None)

    @sio.event
    async def chat(sid: str, data: Any) -> None:
        text = data.get("text") if isinstance(data, dict) else data
        await sio.emit("chat", {"user": names.get(sid), "text": text})

    @sio.event
    async def join(sid: str, data: Any) -> dict[str, Any]:
        room = data.get("room") if isinstance(data, dict) else None
        return {"ok": bool(room), "room": room}

    @sio.event
    async def quiz(sid: str, *args: Any) -> None:
        answer = await sio.call("question", {"question": "What is 6 times 7?"}, to=sid, timeout=5)
        await sio.emit("answered", {"user": names.get(sid), "answer": answer}, to=sid)

    @sio.event
    async def upload(sid: str, data: Any) -> dict[str, Any]:
        return {"size": len(data) if isinstance(data, bytes) else None}

    @sio.event
    async def download(sid: str, *args: Any) -> None:
        await sio.emit("file", {"name": "hello.bin", "data": b"\x00\x01\xff"}, to=sid)

    @sio.event
    async def leave(sid: str, *args: Any) -> None:
        await sio.disconnect(sid)

    @sio.on("connect", namespace="/admin")
    async def admin_connect(sid: str, environ: dict[str, Any], auth: Any) -> None:
        if not isinstance(auth, dict) or auth.get("token") != ADMIN_TOKEN:
            raise socketio.exceptions.ConnectionRefusedError("Not authorized", {"hint": "send the admin token"})

    @sio.on("status", namespace="/admin")
    async def admin_status(sid: str, *args: Any) -> dict[str, Any]:
        return {"users": len(names)}

    return sio


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, name: str = "world") -> str:
        return f"Hello, {name}!"


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def count(self, to: int) -> AsyncGenerator[int, None]:
        for number in range(1, to + 1):
            yield number
            await asyncio.sleep(0)

    @strawberry.subscription
    async def tick(self, every: float) -> AsyncGenerator[int, None]:
        number = 0
        while True:
            number += 1
            yield number
            await asyncio.sleep(every)  # the server's own pace, which the scenario observes

    @strawberry.subscription
    async def echo(self, text: str) -> AsyncGenerator[str, None]:
        yield text

    @strawberry.subscription
    async def fail(self) -> AsyncGenerator[int, None]:
        raise ValueError("this subscription always fails")
        yield 0  # pragma: no cover  (makes it a generator)


class _GraphQL(GraphQL):
    async def on_ws_connect(self, context: Any) -> Any:
        params = context.get("connection_params") or {}
        if isinstance(params, dict) and params.get("token") == "wrong":
            raise ConnectionRejectionError({"message": "Unknown token"})
        return None


def graphql_app() -> GraphQL:
    return _GraphQL(strawberry.Schema(query=Query, subscription=Subscription))


class ProtocolApps:
    """Serve both on ``host`` from a daemon thread; :meth:`start` returns once it listens."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = socketio.ASGIApp(socketio_server(), other_asgi_app=graphql_app())
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", ws="websockets-sansio", lifespan="off")
        self.server = uvicorn.Server(config)
        self.host = host
        # Bound and listening before uvicorn runs: a client that connects early waits in the
        # backlog, so starting needs no wait for uvicorn to be ready.
        self._socket = socket.create_server((host, port))
        # asyncio turns Nagle's algorithm off only for sockets whose proto is IPPROTO_TCP, and
        # create_server's is 0, so uvicorn's connections kept it on: Socket.IO's "joined" and its
        # connect answer, two writes in a row, were 40 ms apart, the client's delayed ACK. Linux
        # hands the option on from the listener to every connection it accepts.
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.port = self._socket.getsockname()[1]
        self._thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self._socket]}, name="demo-protocol-apps", daemon=True
        )

    def start(self) -> ProtocolApps:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(START_TIMEOUT)
        self._socket.close()

    def url(self, path: str) -> str:
        return f"ws://{self.host}:{self.port}{path}"

    def http_url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"
