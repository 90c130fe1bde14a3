"""The chat's HTTP API, served from a thread of the same process as its websocket side.

- ``POST /login`` with ``{"name": "Rob"}``: ``200 {"token": "...", "name": "Rob"}``. The
  websocket handshake accepts that token as ``Authorization: Bearer ...`` (or ``?token=``) and
  rejects an unknown one with 401.
- ``POST /broadcast`` with ``Authorization: Bearer <token>`` and ``{"message": "Hi"}``: every
  connected user gets ``{"message": "Rob: Hi", "user": "Rob"}``; answers
  ``202 {"delivered_to": N}``, or 401 without a valid token.
- ``GET /users/<name>``: ``200 {"name": ..., "online": true|false}``.
- ``GET /slow?seconds=N``: tells every connected user ``{"message": "slow request started"}``,
  waits N seconds (at most 30), then answers ``200 {"waited": N}``: a slow dependency.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

MAX_SLOW = 30.0


class ChatHttpApi:
    """Serve the HTTP API of ``room`` on ``host:port`` (0 picks a free port) in a daemon thread."""

    def __init__(self, room, loop: asyncio.AbstractEventLoop, host: str = "127.0.0.1", port: int = 0) -> None:
        api = self

        class Handler(_Handler):
            chat = api

        self.room = room
        self.loop = loop
        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.host, self.port = self.server.server_address[:2]
        self._thread = threading.Thread(target=self.server.serve_forever, name="chat-http-api", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> ChatHttpApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(10)

    def tell_everyone(self, message: str, user: str | None = None) -> int:
        """Broadcast from this thread, on the websocket side's event loop; returns how many were told."""
        count = len(self.room.users)
        self.loop.call_soon_threadsafe(self.room.tell_everyone, message, user)
        return count


class _Handler(BaseHTTPRequestHandler):
    chat: ChatHttpApi
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the body waits for the
    # client's delayed ACK and every response takes 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):
        pass

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        body = self._json_body()
        if path == "/login":
            name = body.get("name") if isinstance(body, dict) else None
            if not isinstance(name, str) or not name:
                return self._reply(400, {"error": 'send {"name": "YourName"}'})
            return self._reply(200, {"token": self.chat.room.issue_token(name), "name": name})
        if path == "/broadcast":
            user = self.chat.room.user_for(_bearer(self.headers.get("Authorization")))
            if user is None:
                return self._reply(401, {"error": "log in first: POST /login, then send Authorization: Bearer <token>"})
            if not (isinstance(body, dict) and isinstance(body.get("message"), str)):
                return self._reply(400, {"error": 'send {"message": "..."}'})
            delivered = self.chat.tell_everyone(f"{user}: {body['message']}", user)
            return self._reply(202, {"delivered_to": delivered})
        self._reply(404, {"error": f"no such endpoint: POST {path}"})

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path.startswith("/users/"):
            name = unquote(parts.path[len("/users/") :])
            return self._reply(200, {"name": name, "online": name in self.chat.room.online_names()})
        if parts.path == "/slow":
            try:
                seconds = min(float((parse_qs(parts.query).get("seconds") or ["1"])[0]), MAX_SLOW)
            except ValueError:
                return self._reply(400, {"error": "seconds must be a number"})
            self.chat.tell_everyone("slow request started")
            time.sleep(seconds)  # the slowness under test, not synchronisation
            return self._reply(200, {"waited": seconds})
        self._reply(404, {"error": f"no such endpoint: GET {parts.path}"})

    def _json_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return None

    def _reply(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip()
    return None
