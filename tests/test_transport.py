"""Every private detail of websocket-client that connection/transport.py relies on, pinned.

tox runs this file on websocket-client 1.6.0 (mindeps) and on the newest release (every other
environment), against real servers on 127.0.0.1. If an upgrade moves one of these details, the
test that names it fails, not a scenario somewhere downstream.
"""

import threading
import time

import pytest
import websocket

from chat_server_fixture.protocol_server import ProtocolServer
from wsitest_steps.connection.transport import (
    CloseReceived,
    ConnectError,
    ConnectFailure,
    ProtocolViolation,
    ReadTimeout,
    Received,
    open_transport,
)
from wsitest_steps.model.kinds import FrameKind

LONG = 30.0


@pytest.fixture(scope="module")
def server():
    with ProtocolServer() as running:
        yield running


def opened(url, subprotocols=(), timeout=LONG):
    return open_transport(
        url,
        timeout=timeout,
        headers=[],
        subprotocols=list(subprotocols),
        origin=None,
        cookie=None,
        sslopt={},
        no_proxy=["127.0.0.0/8"],
        connected_socket=lambda: None,
    )


def test_the_process_wide_cookie_jar_is_where_the_transport_clears_it():
    """websocket._handshake.CookieJar.jar: the jar that would hand one actor's cookies to the next."""
    jar = websocket._handshake.CookieJar
    assert hasattr(jar, "jar") and callable(jar.jar.clear)


def test_a_fragmented_message_is_reassembled_from_recv_frame(serve):
    """WebSocket.cont_frame (validate, add, is_fire, extract) joins the fragments recv_frame hands over."""

    async def fragments(connection):
        await connection.send(["Hel", "lo, ", "world"])
        await connection.send([b"\x00", b"\xff"])
        await connection.wait_closed()

    running = serve(fragments)
    transport = opened(f"ws://127.0.0.1:{running.port}/")
    try:
        assert transport.receive() == Received(FrameKind.TEXT, "Hello, world")
        assert transport.receive() == Received(FrameKind.BINARY, b"\x00\xff")
    finally:
        transport.close()


def test_shutting_the_socket_down_wakes_a_blocked_receive(server):
    """WebSocket.sock.shutdown ends a recv blocked in another thread (close alone does not)."""
    transport = opened(server.url("/silent"))
    reading, ended = threading.Event(), threading.Event()
    outcome = {}

    def read():
        reading.set()
        try:
            outcome["item"] = transport.receive()
        except Exception as exc:
            outcome["error"] = exc
        ended.set()

    threading.Thread(target=read, daemon=True).start()
    assert reading.wait(LONG)
    started = time.monotonic()
    transport.interrupt()
    assert ended.wait(LONG / 2), "the blocked receive did not wake"
    assert time.monotonic() - started < LONG / 2
    assert not isinstance(outcome.get("item"), Received)
    transport.close()


def test_a_101_that_names_none_of_the_offered_subprotocols_is_told_apart(server):
    """The text "Invalid WebSocket Header" is how websocket-client fails a handshake without the subprotocol."""
    with pytest.raises(ConnectError) as failure:
        opened(server.url("/echo"), subprotocols=["chat.v9"])
    assert failure.value.failure is ConnectFailure.INVALID_101
    assert "Invalid WebSocket Header" in failure.value.detail


def test_a_rejected_handshake_carries_its_status_and_body(server):
    """WebSocketBadStatusException.status_code and .resp_body: what the server answered instead of 101."""
    with pytest.raises(ConnectError) as failure:
        opened(server.url("/reject?status=401"))
    assert failure.value.failure is ConnectFailure.REJECTED
    assert failure.value.status == 401
    assert failure.value.body == "rejected with 401 by the protocol server\n"


def test_invalid_utf8_in_a_text_frame_is_a_protocol_violation_with_code_1007(server):
    transport = opened(server.url("/invalid-utf8"))
    try:
        with pytest.raises(ProtocolViolation) as violation:
            transport.receive()
        assert violation.value.code == 1007
    finally:
        transport.close()


def test_the_close_frame_comes_with_its_code_and_a_quiet_socket_times_out(server):
    transport = opened(server.url("/close?code=4001&reason=bye"))
    try:
        assert transport.receive() == CloseReceived((4001).to_bytes(2, "big") + b"bye")
    finally:
        transport.close()
    quiet = opened(server.url("/silent"), timeout=0.2)
    try:
        with pytest.raises(ReadTimeout):
            quiet.receive()
    finally:
        quiet.close()
