"""Run the chat server: ``python -m chat_server_fixture --port 8765``.

Prints ``chat server listening on ws://HOST:PORT/?name={name}`` and then ``chat HTTP API
listening on http://HOST:PORT`` once both accept connections (with port 0, the ports picked),
then serves until interrupted.
"""

import argparse
import asyncio
import signal

from .embedded import serve_until
from .http_api import ChatHttpApi
from .server import ChatRoom


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m chat_server_fixture", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="websocket port; 0 picks a free one (default 8765)")
    parser.add_argument("--http-port", type=int, default=0, help="HTTP API port; 0 picks a free one (the default)")
    args = parser.parse_args()

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)

        room = ChatRoom()

        def ready(port: int) -> None:
            http = ChatHttpApi(room, loop, args.host, args.http_port).start()
            print(f"chat server listening on ws://{args.host}:{port}/?name={{name}}", flush=True)
            print(f"chat HTTP API listening on {http.url}", flush=True)

        await serve_until(room.handler, args.host, args.port, ready, stop, max_size=None, process_request=room.process_request)

    asyncio.run(serve())


if __name__ == "__main__":
    main()
