"""Run the chat server: ``python -m chat_server_fixture --port 8765``.

Prints one line, ``chat server listening on ws://HOST:PORT/?name={name}``, once it accepts
connections (with ``--port 0``, the port it picked), then serves until interrupted.
"""

import argparse
import asyncio
import signal

from .embedded import serve_until
from .server import ChatRoom


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m chat_server_fixture", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port to listen on; 0 picks a free one (default 8765)")
    args = parser.parse_args()

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)

        def ready(port: int) -> None:
            print(f"chat server listening on ws://{args.host}:{port}/?name={{name}}", flush=True)

        await serve_until(ChatRoom().handler, args.host, args.port, ready, stop, max_size=None)

    asyncio.run(serve())


if __name__ == "__main__":
    main()
