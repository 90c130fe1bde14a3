"""RFC 6455's client-side MUSTs on what a server sends, each against a server that breaks it.

Every violation fails the connection at once: the actor sends a close frame with 1002 (1007 for
invalid UTF-8), and the step waiting on it fails saying why. docs/conformance.md lists them.
"""

import json
import threading
import time

import pytest

from tests.raw_server import LONG, RawServer, frame
from wsitest_steps import ConnectionClosedError, ExpectationFailed, Settings, json_message

TEXT, BINARY, CONT, CLOSE, PING, PONG = 0x1, 0x2, 0x0, 0x8, 0x9, 0xA

VIOLATIONS = {
    "a masked frame (5.1)": (frame(TEXT, b'{"a": 1}', masked=True), 1002, "masked frame"),
    "a ping of 126 bytes (5.5)": (frame(PING, b"x" * 126), 1002, "ping frame of 126 bytes"),
    "a pong of 126 bytes (5.5)": (frame(PONG, b"x" * 126), 1002, "pong frame of 126 bytes"),
    "a fragmented pong (5.5)": (frame(PONG, b"p", fin=False), 1002, "fragmented pong frame"),
    "a fragmented close (5.5)": (frame(CLOSE, b"\x03\xe8", fin=False), 1002, "fragmented close frame"),
    "a reserved bit (5.2)": (frame(TEXT, b"{}", rsv=4), 1002, "the server broke the websocket protocol"),
    "a reserved opcode (5.2)": (frame(0x3, b"{}"), 1002, "Invalid opcode"),
    "a fragmented ping (5.5)": (frame(PING, b"p", fin=False), 1002, "Invalid ping frame"),
    "a close frame of one byte (5.5.1)": (frame(CLOSE, b"\x03"), 1002, "Invalid close frame"),
    "a continuation without a start (5.4)": (frame(CONT, b"{}"), 1002, "Illegal frame"),
    "a text frame that is not UTF-8 (8.1)": (frame(TEXT, b"caf\xc3"), 1007, "not valid UTF-8"),
    "a fragmented text that is not UTF-8 once joined (8.1)": (
        frame(TEXT, b"caf\xc3", fin=False) + frame(CONT, b"\xa9\xc3", fin=True),
        1007,
        "not valid UTF-8",
    ),
    "a close reason that is not UTF-8 (5.5.1)": (frame(CLOSE, b"\x03\xe8caf\xc3"), 1007, "reason is not valid UTF-8"),
}


@pytest.mark.parametrize("violation", VIOLATIONS)
def test_a_server_that_breaks_the_protocol_fails_the_connection_and_the_waiting_step(actor, violation):
    wire, code, why = VIOLATIONS[violation]
    with RawServer(wire + frame(TEXT, b'{"a": 1}')) as server:
        rob = actor()
        rob.connect(server.url)
        with pytest.raises(ConnectionClosedError) as failure:
            rob.expect(json_message({"a": 1}), timeout=LONG)
        assert server.done.wait(LONG)
    text = str(failure.value)
    assert f"closed by this actor with code {code}" in text and why in text, text
    assert (CLOSE, code.to_bytes(2, "big")) in server.client_frames(), "the actor must send its close frame"
    assert all(opcode != PONG for opcode, _ in server.client_frames()), "a bad ping is not answered"


def test_a_well_formed_conversation_from_the_same_server_passes(actor):
    """The checks above reject the faults, not the server: proper frames, a 125-byte ping and a fragmented message pass."""
    wire = frame(PING, b"x" * 125) + frame(TEXT, b'{"a"', fin=False) + frame(CONT, b": 1}") + frame(CLOSE, b"\x03\xe8")
    with RawServer(wire) as server:
        rob = actor()
        rob.connect(server.url)
        assert rob.expect(json_message({"a": 1}), timeout=LONG).text == '{"a": 1}'
        rob.expect_closed(1000, timeout=LONG)
        assert server.done.wait(LONG)
    assert (PONG, b"x" * 125) in server.client_frames()


def test_a_send_the_server_never_reads_ends_the_connection_in_the_transcript(actor):
    """After a send fails because the server stopped reading, the transcript must not call the connection open."""
    with RawServer(reads=False) as server:
        rob = actor()
        rob.settings = Settings(connect_timeout=0.5)
        rob.connect(server.url)
        with pytest.raises(ConnectionClosedError) as failure:
            for _ in range(64):  # the kernel's buffers take a few megabytes before a send blocks
                rob.send_bytes(b"\x00" * (1 << 20))
        assert "the server did not accept the data within 0.5s" in str(failure.value)
        transcript = rob.transcript()
    assert "still open" not in transcript, transcript
    assert transcript.splitlines()[-1].startswith(
        'Rob\'s connection was closed by this actor without a close code, reason "Rob gave up the connection: the server did not accept data within 0.5s"'
    ), transcript


def test_a_failure_over_a_megabyte_message_stays_short_and_arrives_with_its_deadline(actor, serve):
    """The expected value is shortened like a received one, and describing and matching stay linear in size."""
    count = 50_000  # about 1 MB of JSON each way
    sent = {"items": [{"id": i, "v": "x"} for i in range(count)]}
    expected = {"items": [{"id": i, "v": "y"} for i in range(count)]}
    assert len(json.dumps(sent)) > 1_000_000

    async def echo(connection):
        async for message in connection:
            await connection.send(message)

    server = serve(echo, max_size=None)
    rob = actor()
    rob.settings = Settings(late_window=0.0)
    rob.connect(f"ws://127.0.0.1:{server.port}/")
    rob.send_json(sent)
    matcher = json_message(expected)
    started = time.monotonic()
    with pytest.raises(ExpectationFailed) as failure:
        rob.expect(matcher, timeout=1.0)
    took = time.monotonic() - started
    text = str(failure.value)
    assert len(text) < 10_000, len(text)
    assert 'did not receive a JSON message matching {"items": [{"id": 0, "v": "y"}' in text
    assert "... and 49990 more differences" in text
    assert took < 1.0 + 2.0, f"the failure took {took:.2f}s after a 1-second deadline"


def test_the_reply_to_a_servers_close_goes_out_before_a_step_can_end_the_connection(actor, serve):
    """Autobahn saw unclean closes in 30 of 301 cases: the close was recorded before the reply went out."""
    clean, all_closed = [], threading.Event()

    async def close_at_once(connection):
        await connection.close(1000, "bye")  # waits for the client's close frame, or times out
        clean.append(connection.protocol.close_rcvd is not None)
        if len(clean) == 40:
            all_closed.set()

    server = serve(close_at_once)
    for _ in range(40):
        rob = actor()
        rob.connect(f"ws://127.0.0.1:{server.port}/")
        rob.expect_closed(1000, timeout=LONG)
        rob.close()  # at once: the teardown a scenario ends with
    assert all_closed.wait(LONG)
    assert all(clean), f"{clean.count(False)} of 40 closes were unclean"
