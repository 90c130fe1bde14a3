"""A websocket server in a process of its own, for faults inflicted on a whole process.

``python -m tests.fault_server`` prints ``listening on PORT`` once it accepts connections, then
``received TEXT`` for every message, so a test knows where the scenario is without sleeping.
``/die?after=S``: on the first message, the process kills itself (SIGKILL) S seconds later, so
no close frame is ever sent. Every other path behaves as in
:class:`chat_server_fixture.protocol_server.ProtocolServer` (``/silent``, ``/echo`` ...).
"""

import asyncio
import os
import signal
import sys
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import serve

from chat_server_fixture import protocol_server


async def handler(connection):
    parts = urlsplit(connection.request.path)
    if parts.path != "/die":
        original = connection.recv

        async def recv_and_report(*args, **kwargs):
            message = await original(*args, **kwargs)
            print(f"received {message}", flush=True)
            return message

        connection.recv = recv_and_report
        return await protocol_server.handler(connection)
    after = float((parse_qs(parts.query).get("after") or ["0.2"])[0])
    message = await connection.recv()
    print(f"received {message}", flush=True)
    asyncio.get_running_loop().call_later(after, os.kill, os.getpid(), signal.SIGKILL)
    await connection.wait_closed()


async def main():
    async with serve(handler, "127.0.0.1", 0, ping_interval=None, process_request=protocol_server.process_request) as server:
        print(f"listening on {server.sockets[0].getsockname()[1]}", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
