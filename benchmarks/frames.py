"""Large frames and floods: wsitest-steps beside the client libraries alone, against one server.

The server (``python -m benchmarks.frames serve``, its own process) writes prebuilt frames
straight to the socket, so that its own cost is close to nothing and what is timed is the client
reading. Paths: ``/big?bytes=N`` sends one JSON text frame of N bytes, ending in ``"END"``, for
every message it receives; ``/flood?count=N`` sends N small JSON frames, then ``{"done": true}``.
"""

from __future__ import annotations

import asyncio
import json
import struct
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

TIMEOUT = 120
ROOT = Path(__file__).resolve().parent.parent

#: The expectations a big frame is met with: each a sentence of the vocabulary.
BIG_FRAME_EXPECTATIONS = (
    '{"end": "END"}',
    '{"filler": "<starting with \\"zz\\">", "end": "<one of \\"END\\", \\"FIN\\">"}',
    'a text message containing "END"',
    'a text message matching ".*END.*"',
    "any message",
)


def _frame(payload: bytes) -> bytes:
    """An unmasked text frame, as a server sends it."""
    size = len(payload)
    if size < 126:
        return bytes([0x81, size]) + payload
    if size < 1 << 16:
        return bytes([0x81, 126]) + struct.pack("!H", size) + payload
    return bytes([0x81, 127]) + struct.pack("!Q", size) + payload


def big_payload(size: int) -> bytes:
    return b'{"filler": "' + b"z" * max(0, size - 30) + b'", "end": "END"}'


async def _serve() -> None:
    from websockets.asyncio.server import serve

    cache: dict[int, bytes] = {}

    async def handler(connection) -> None:  # type: ignore[no-untyped-def]
        parts = urlsplit(connection.request.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        transport = connection.transport
        if parts.path == "/flood":
            count = int(query.get("count", "1000"))
            flood = b"".join(_frame(b'{"n": %d}' % i) for i in range(count)) + _frame(b'{"done": true}')
            transport.write(flood)
            await connection.wait_closed()
        elif parts.path == "/big":
            size = int(query.get("bytes", "1048576"))
            if size not in cache:
                cache[size] = _frame(big_payload(size))
            async for _ in connection:
                transport.write(cache[size])

    async with serve(handler, "127.0.0.1", 0, max_size=None, ping_interval=None, compression=None) as server:
        print(f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


def start_server() -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.frames", "serve"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


# -- big frames ---------------------------------------------------------------------------


def big_frame_library(url: str, size: int, expectation_text: str, repeats: int) -> list[float]:
    """Seconds from asking for the frame to the expectation met, through an actor."""
    from wsitest_steps import Actor, StepInput, expectation

    matcher = expectation(expectation_text, StepInput(f"Then Big receives {expectation_text}"))
    actor = Actor("Big")
    actor.connect(f"{url}/big?bytes={size}", timeout=TIMEOUT)
    times = []
    try:
        for _ in range(repeats):
            started = time.perf_counter()
            actor.send_text("again")
            actor.expect(matcher, TIMEOUT)
            times.append(time.perf_counter() - started)
    finally:
        actor.close()
    return times


def big_frame_websockets(url: str, size: int, repeats: int) -> list[float]:
    """The same with the ``websockets`` library's sync client: receive the frame, nothing more."""
    from websockets.sync.client import connect

    times = []
    with connect(f"{url}/big?bytes={size}", max_size=None, compression=None, open_timeout=TIMEOUT) as ws:
        for _ in range(repeats):
            started = time.perf_counter()
            ws.send("again")
            text = ws.recv(timeout=TIMEOUT)
            assert isinstance(text, str) and text.endswith('"END"}')
            times.append(time.perf_counter() - started)
    return times


# -- floods -------------------------------------------------------------------------------


def flood_library(url: str, count: int) -> float:
    """Seconds from connecting to finding ``{"done": true}`` after ``count`` frames, through an actor."""
    from wsitest_steps import Actor, json_message

    actor = Actor("Flood")
    started = time.perf_counter()
    try:
        actor.connect(f"{url}/flood?count={count}", timeout=TIMEOUT)
        frame = actor.expect(json_message({"done": True}), TIMEOUT)
        elapsed = time.perf_counter() - started
        assert frame.index == count + 1
    finally:
        actor.close()
    return elapsed


def flood_websocket_client(url: str, count: int) -> float:
    """The same by hand with websocket-client: each frame read and parsed until the last."""
    import websocket

    started = time.perf_counter()
    ws = websocket.create_connection(f"{url}/flood?count={count}", timeout=TIMEOUT)
    try:
        seen = 0
        while True:
            seen += 1
            if json.loads(ws.recv()) == {"done": True}:
                break
        elapsed = time.perf_counter() - started
        assert seen == count + 1
    finally:
        ws.close()
    return elapsed


if __name__ == "__main__" and sys.argv[1:] == ["serve"]:
    asyncio.run(_serve())
