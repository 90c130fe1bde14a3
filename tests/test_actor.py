"""The Actor against real websocket servers on 127.0.0.1."""

import asyncio
import json
import re
import socket
import threading
import time

import pytest
from websockets.datastructures import Headers
from websockets.http11 import Response

from tests.conftest import url_of
from wsitest_steps import ConnectionClosedError, ConnectionFailed, ExpectationFailed, StepInputError, json_message
from wsitest_steps.connection.deadline import Deadline

LONG = 30.0


def reader_threads():
    return [t for t in threading.enumerate() if t.name.startswith("wsitest-reader-")]


async def echo(connection):
    async for message in connection:
        await connection.send(message)


def test_chat_round_trip(chat_server, actor):
    rob = actor()
    rob.connect(chat_server.url.replace("{name}", "Rob"))
    rob.expect(json_message({"message": "Rob has connected"}), LONG)
    rob.send_json({"message": "Hi"})
    frame = rob.expect(json_message({"message": "Rob: Hi"}), LONG, step="Rob eventually receives ...")
    assert frame.used_by == "Rob eventually receives ..."


def test_name_is_url_encoded_and_arrives_literally(chat_server, actor):
    from wsitest_steps import Settings

    name = "Rob Smith&admin=1"
    rob = actor(name)
    rob.connect(Settings(url_template=chat_server.url).url_for(name))
    rob.expect(json_message({"message": "Rob Smith&admin=1 has connected"}), LONG)


def test_the_same_message_twice_needs_two_frames(serve, actor):
    server = serve(echo)
    rob = actor()
    rob.connect(url_of(server))
    rob.send_json({"n": 1})
    rob.send_json({"n": 1})
    rob.expect(json_message({"n": 1}), LONG)
    rob.expect(json_message({"n": 1}), LONG)
    with pytest.raises(ExpectationFailed) as failure:
        rob.expect(json_message({"n": 1}), 0.2, step='Rob receives {"n": 1}')
    report = str(failure.value)
    assert report.startswith('Rob did not receive a JSON message matching {"n": 1} within 0.2 seconds')
    assert report.count("already used by the step") == 2


def test_non_json_and_binary_frames_never_match_and_never_stop_the_reader(serve, actor):
    async def mixed(connection):
        await connection.send("not json")
        await connection.send(b"\x00\xff")
        await connection.send(json.dumps({"ok": True}))
        await connection.wait_closed()

    rob = actor()
    rob.connect(url_of(serve(mixed)))
    rob.expect(json_message({"ok": True}), LONG)
    with pytest.raises(ExpectationFailed) as failure:
        rob.expect(json_message({"ok": False}), 0.1)
    report = str(failure.value)
    assert re.search(r"^  \+\d\.\d{3}s  #1 received text: not json$", report, re.MULTILINE), report
    assert "not a match: was text that is not JSON" in report
    assert "binary: <2 bytes> 00 ff" in report
    assert "not a match: was a binary frame of 2 bytes, not JSON text" in report


def test_fragmented_message_arrives_as_one_frame(serve, actor):
    async def fragments(connection):
        await connection.send(['{"part', 'ial": ', "true}"])
        await connection.wait_closed()

    rob = actor()
    rob.connect(url_of(serve(fragments)))
    assert rob.expect(json_message({"partial": True}), LONG).index == 1


def test_server_closing_mid_wait_fails_the_wait_at_once_with_code_and_reason(serve, actor):
    connections = {}

    async def kick_on_request(connection):
        name = connection.request.path.strip("/")
        connections[name] = connection
        if name == "Rob":
            await connection.send("noise")
        async for message in connection:
            if message == "kick Rob":
                await connections["Rob"].close(1011, "boom")
        await connection.wait_closed()

    server = serve(kick_on_request)
    rob, admin = actor("Rob"), actor("admin")
    rob.connect(url_of(server, "/Rob"))
    admin.connect(url_of(server, "/admin"))
    scanning = threading.Event()
    wanted = json_message({"never": "sent"})

    def matches(frame):
        scanning.set()  # Rob's wait is under way: now the server may close
        return wanted.matches(frame)

    wanted_while_scanning = type(wanted)(wanted.value_matcher)
    wanted_while_scanning.matches = matches
    outcome = {}

    def wait():
        try:
            rob.expect(wanted_while_scanning, LONG, step="Rob eventually receives {...}")
        except ConnectionClosedError as exc:
            outcome["error"] = exc

    waiter = threading.Thread(target=wait)
    started = time.monotonic()
    waiter.start()
    assert scanning.wait(LONG)
    admin.send_text("kick Rob")
    waiter.join(LONG)
    assert time.monotonic() - started < LONG / 2
    report = str(outcome["error"])
    assert 'closed by the server with code 1011 (internal error), reason "boom"' in report
    assert "the step failed at once instead of waiting out its 30-second deadline" in report
    assert "Step: Rob eventually receives {...}" in report


def test_waiting_on_an_already_closed_connection_fails_at_once(serve, actor):
    async def close_now(connection):
        await connection.close(1001, "bye")

    rob = actor()
    rob.connect(url_of(serve(close_now)))
    rob.inbox.wait_closed(Deadline.after(LONG))
    started = time.monotonic()
    with pytest.raises(ConnectionClosedError, match="before this step"):
        rob.expect(json_message({}), LONG)
    assert time.monotonic() - started < LONG / 2
    with pytest.raises(ConnectionClosedError, match="cannot send: its connection was closed by the server with code 1001"):
        rob.send_json({"message": "anyone?"})


def test_disconnect_runs_the_closing_handshake_and_the_server_sees_1000(serve, actor):
    seen = {}
    recorded = threading.Event()

    async def record_close(connection):
        await connection.wait_closed()
        seen["code"] = connection.protocol.close_rcvd.code
        recorded.set()

    rob = actor()
    rob.connect(url_of(serve(record_close)))
    rob.disconnect()
    assert rob.inbox.closure.by == "client" and rob.inbox.closure.code == 1000
    assert not rob.connected
    assert recorded.wait(LONG)
    assert seen == {"code": 1000}
    assert reader_threads() == []


def test_close_releases_the_reader_thread_even_when_the_server_ignores_close_frames(actor):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        accepted = {}

        def handshake_then_ignore():
            conn, _ = listener.accept()
            request = conn.recv(4096).decode()
            key = next(line.split(": ")[1] for line in request.split("\r\n") if line.lower().startswith("sec-websocket-key"))
            import base64
            import hashlib

            accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
            conn.sendall(
                f"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
            )
            accepted["conn"] = conn

        server = threading.Thread(target=handshake_then_ignore)
        server.start()
        rob = actor()
        rob.connect(f"ws://127.0.0.1:{port}/")
        server.join(LONG)
        started = time.monotonic()
        rob.close()
        assert time.monotonic() - started < LONG / 2
        assert reader_threads() == []
        accepted["conn"].close()


def test_refused_connection_is_one_readable_paragraph(closed_port, actor):
    with pytest.raises(ConnectionFailed) as failure:
        actor().connect(f"ws://127.0.0.1:{closed_port}/?name=Rob", step="user Rob connects")
    assert str(failure.value) == (
        f"Rob could not connect to ws://127.0.0.1:{closed_port}/?name=Rob (step: user Rob connects): the connection "
        f"was refused: nothing is listening on 127.0.0.1:{closed_port}. Start the server, or point the URL (ws_url) "
        "at the port it listens on."
    )


def test_rejected_handshake_names_the_http_status(serve, actor):
    def reject(connection, request):
        return Response(403, "Forbidden", Headers(), b"no entry")

    server = serve(echo, process_request=reject)
    with pytest.raises(ConnectionFailed) as failure:
        actor().connect(url_of(server))
    assert "the server rejected the websocket handshake with HTTP 403" in str(failure.value)


def test_silent_listener_fails_at_the_connect_deadline(actor):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(ConnectionFailed) as failure:
            actor().connect(f"ws://127.0.0.1:{port}/", timeout=0.3)
        assert 0.3 <= time.monotonic() - started < LONG / 2
    assert f"no answer to the websocket handshake from 127.0.0.1:{port} within 0.3 seconds" in str(failure.value)


def test_a_url_that_is_not_a_websocket_url_is_refused_before_connecting(actor):
    with pytest.raises(ConnectionFailed, match="must start with ws:// or wss://"):
        actor().connect("http://127.0.0.1:1/")


def test_connecting_twice_is_a_step_error(chat_server, actor):
    rob = actor()
    rob.connect(chat_server.url.replace("{name}", "Rob"))
    with pytest.raises(StepInputError, match="Rob is already connected"):
        rob.connect(chat_server.url.replace("{name}", "Rob"))


def test_using_an_actor_that_never_connected_says_so(actor):
    with pytest.raises(ConnectionClosedError, match="Rob never connected"):
        actor().expect(json_message({}), LONG)


def test_does_not_receive_passes_when_absent_and_fails_at_once_when_present(serve, actor):
    server = serve(echo)
    rob = actor()
    rob.connect(url_of(server))
    rob.expect_none(json_message({"spam": True}), 0.1)
    rob.send_json({"spam": True})
    started = time.monotonic()
    with pytest.raises(ExpectationFailed, match=r'Rob received a JSON message matching \{"spam": true\}, which the step forbids'):
        rob.expect_none(json_message({"spam": True}), LONG)
    assert time.monotonic() - started < LONG / 2


def test_does_not_receive_fails_when_the_connection_closes_during_the_window(serve, actor):
    async def close_soon(connection):
        await connection.recv()
        await connection.close(1000)

    rob = actor()
    rob.connect(url_of(serve(close_soon)))
    rob.send_text("go")
    with pytest.raises(ConnectionClosedError, match="A closed connection receives nothing, so this proves nothing"):
        rob.expect_none(json_message({"x": 1}), LONG)


def test_server_pings_are_answered(serve, actor):
    pong = {}

    async def ping(connection):
        waiter = await connection.ping(b"hello")
        await asyncio.wait_for(waiter, LONG)
        pong["ok"] = True
        await connection.send(json.dumps({"ponged": True}))
        await connection.wait_closed()

    rob = actor()
    rob.connect(url_of(serve(ping)))
    rob.expect(json_message({"ponged": True}), LONG)
    assert pong == {"ok": True}
