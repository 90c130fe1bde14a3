"""Any ``websockets`` asyncio handler served from a background thread of this process."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from websockets.asyncio.server import ServerConnection, serve

START_TIMEOUT = 10.0

# The server's per-connection INFO lines would fill every captured-log section of a
# behave report with noise; warnings and errors still come through.
quiet_logger = logging.getLogger("chat_server_fixture")
quiet_logger.setLevel(logging.WARNING)

Handler = Callable[[ServerConnection], Awaitable[None]]


async def serve_until(
    handler: Handler, host: str, port: int, on_ready: Callable[[int], None], stop: asyncio.Event, **options: Any
) -> None:
    """Serve ``handler`` until ``stop`` is set; call ``on_ready(port)`` once listening."""
    # No server pings by default: a test decides when its actors talk.
    options.setdefault("ping_interval", None)
    # Stopping must not wait 10 s (the default) on a client that never answers the close.
    options.setdefault("close_timeout", 1)
    options.setdefault("logger", quiet_logger)
    async with serve(handler, host, port, **options) as server:
        on_ready(server.sockets[0].getsockname()[1])
        await stop.wait()


class EmbeddedServer:
    """A websocket server on its own event loop in a daemon thread.

    :meth:`start` returns once the server accepts connections (``port=0`` picks a free
    port, read it from :attr:`port`); :meth:`stop` closes it and joins the thread. Usable
    as a context manager. ``options`` go to ``websockets.asyncio.server.serve``.
    """

    def __init__(self, handler: Handler, host: str = "127.0.0.1", port: int = 0, **options: Any) -> None:
        self.handler = handler
        self.host = host
        self.port = port
        self.options = options
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def start(self):
        self._thread = threading.Thread(target=self._serve, name=f"{type(self).__name__}-thread", daemon=True)
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            raise RuntimeError(f"the server did not start listening within {START_TIMEOUT:g} seconds")
        if self._error is not None:
            raise RuntimeError(f"the server could not start on {self.host}:{self.port}: {self._error}")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(START_TIMEOUT)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    def _serve(self) -> None:
        def ready(port: int) -> None:
            self.port = port
            self._ready.set()

        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            await serve_until(self.handler, self.host, self.port, ready, self._stop, **self.options)

        try:
            asyncio.run(main())
        except BaseException as exc:  # reported by start(), which is waiting for us
            self._error = exc
            self._ready.set()
