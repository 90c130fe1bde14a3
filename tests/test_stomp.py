"""STOMP 1.2's frame rules, as the protocol reads and writes them (stomp-specification-1.2.html).

These need no broker: the protocol's codec is given the bytes a broker may send, split and joined
as websocket messages may carry them. The broker itself is tests/test_stomp_runs.py's.
"""

import pytest

from wsitest_steps.model.kinds import FrameKind
from wsitest_steps.protocols.base import Opening, ProtocolViolation
from wsitest_steps.protocols.stomp import Stomp


def connected(heart_beat="0,0", offered=None):
    stomp = Stomp(Opening({"heart-beat": offered} if offered else None))
    stomp.opening()
    stomp.receive(FrameKind.TEXT, f"CONNECTED\nversion:1.2\nheart-beat:{heart_beat}\n\n\x00\n")
    return stomp


def messages(stomp, *payloads):
    return [d.message for payload in payloads for d in stomp.receive(FrameKind.TEXT, payload)]


def test_heart_beats_are_negotiated_each_way_as_the_larger_wish_and_off_when_either_side_says_zero():
    assert connected("0,1000", offered="300,300").negotiated == (1000, 0)
    assert connected("5000,200", offered="300,300").negotiated == (300, 5000)
    assert connected("1000,1000", offered="0,0").negotiated == (0, 0)
    assert connected("1000,1000", offered="0,0").heartbeat_every is None
    assert connected("0,1000", offered="300,0").heartbeat_every == 1.0


def test_the_broker_may_stay_silent_twice_its_heart_beat_and_a_second_more_and_forever_without_one():
    assert connected("5000,200", offered="300,300").server_heartbeat_every == 5.0
    assert connected("5000,200", offered="300,300").silence_allowed == 11.0
    assert connected("0,1000", offered="300,300").silence_allowed is None
    assert connected("1000,0", offered="300,0").silence_allowed is None


def test_a_broker_whose_heart_beats_stop_ends_the_connection_and_a_waiting_step_says_why():
    # A broker that agreed to beat every 0.1 s and then says nothing, its socket left open (a hung
    # process): the wait ends when the silence passes 1.2 s, not at its 30 s deadline.
    from tests.raw_server import RawServer, accept_key, frame
    from wsitest_steps import Cast, ConnectOptions, ExpectationFailed, Opening, Settings, json_message

    connected_frame = frame(0x1, b"CONNECTED\nversion:1.2\nheart-beat:100,0\n\n\x00")
    server = RawServer()
    server.answer = connected_frame  # once the client's CONNECT is in, as a broker answers
    server.response_for = lambda key: (
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Accept: {accept_key(key)}\r\nSec-WebSocket-Protocol: v12.stomp\r\n\r\n"
    ).encode()
    with server:
        cast = Cast(Settings(protocols={None: "stomp"}))
        try:
            ann = cast.connect("Ann", server.url, options=ConnectOptions(opening=Opening({"heart-beat": "0,100"})))
            with pytest.raises(ExpectationFailed) as failure:
                ann.expect(json_message({"never": "sent"}), 30)
        finally:
            cast.close_all()
    text = str(failure.value)
    assert "Ann gave up the connection: the server sent nothing for 1." in text
    assert "though its STOMP heartbeats were agreed every 0.1 seconds" in text


def test_a_frame_split_across_websocket_messages_and_two_in_one_are_both_read():
    stomp = connected()
    first, rest = 'MESSAGE\ndestination:/topic/a\nmessage-id:1\n\n{"n"', ': 1}\x00\nMESSAGE\ndestination:/topic/b\n\n"two"\x00'
    assert messages(stomp, first)[0].control  # a part, kept aside until the rest comes
    got = messages(stomp, rest)
    assert [(m.channel, m.payload) for m in got] == [("/topic/a", {"n": 1}), ("/topic/b", "two")]


def test_content_length_allows_a_nul_in_the_body_and_a_lone_end_of_line_is_a_heart_beat():
    stomp = connected()
    body = b"a\x00b"
    frame = b"MESSAGE\ndestination:/q\ncontent-type:application/octet-stream\ncontent-length:3\n\n" + body + b"\x00"
    (decoded,) = stomp.receive(FrameKind.BINARY, frame)
    assert decoded.message.payload == "a\x00b"
    (beat,) = stomp.receive(FrameKind.TEXT, "\r\n")
    assert beat.message.kind == "heart-beat" and beat.message.control


def test_header_escapes_are_undone_except_in_connected_and_written_except_in_connect():
    stomp = connected()
    (message,) = messages(stomp, "MESSAGE\ndestination:/q\nnote:a\\cb\\nc\\\\d\n\n\x00")
    assert message.headers["note"] == "a:b\nc\\d"
    sent = stomp.encode(stomp.send_to("/q", {"x": 1}, {"note": "a:b"}))[0].payload
    assert "note:a\\cb\n" in sent and sent.endswith('{"x": 1}\x00')
    assert "content-length:8\n" in sent and "content-type:application/json\n" in sent
    connect = Stomp(Opening({"login": "a:b"})).encode(Stomp(Opening({"login": "a:b"})).opening()[0])[0].payload
    assert "login:a:b\n" in connect


def test_the_first_of_a_repeated_header_counts():
    (message,) = messages(connected(), "MESSAGE\ndestination:/q\nfoo:first\nfoo:second\n\n\x00")
    assert message.headers["foo"] == "first"


@pytest.mark.parametrize(
    ("frame", "says"),
    [
        ("MESSAGE\ndestination:/q\nbad header\n\n\x00", "which has no colon"),
        ("MESSAGE\ndestination:/q\nx:\\t\n\n\x00", "undefined escape \\t"),
        ("MESSAGE\ndestination:/q\ncontent-length:2\n\nabc\x00", "does not end with NUL"),
        ("MESSAGE\nmessage-id:1\n\n\x00", "without a destination"),
        ("SEND\ndestination:/q\n\n\x00", "a SEND frame, which STOMP brokers do not send"),
    ],
)
def test_a_broker_that_breaks_the_frame_rules_is_a_protocol_violation(frame, says):
    with pytest.raises(ProtocolViolation, match=None) as raised:
        connected().receive(FrameKind.TEXT, frame)
    assert says in str(raised.value)


def test_a_passcode_never_shows_in_what_the_client_sent():
    stomp = Stomp(Opening({"login": "guest", "passcode": "letmein"}))
    (connect,) = stomp.opening()
    assert "passcode: ***" in connect.describe() and "letmein" not in connect.describe()
    assert "passcode:letmein\n" in stomp.encode(connect)[0].payload


@pytest.mark.parametrize(
    "words",
    [
        '{"text": "hi"} from "/topic/chat" with the headers {"priority": "<any text>"}',
        '{"text": "hi"} with the headers {"priority": "<any text>"} from "/topic/chat"',
    ],
)
def test_a_destination_and_headers_narrow_any_expectation_in_either_order(words):
    from wsitest_steps.language.messages import StepInput, expectation
    from wsitest_steps.model.frames import Frame

    matcher = expectation(words, StepInput(step="the step"))
    stomp = connected()

    def frame(destination, priority):
        text = f'MESSAGE\ndestination:{destination}\npriority:{priority}\n\n{{"text": "hi"}}\x00'
        (decoded,) = stomp.receive(FrameKind.TEXT, text)
        return Frame(1, FrameKind.TEXT, text, 0.0, message=decoded.message)

    assert matcher.matches(frame("/topic/chat", "9"))
    assert not matcher.matches(frame("/topic/other", "9"))
    unheaded = Frame(
        1, FrameKind.TEXT, "", 0.0, message=messages(stomp, 'MESSAGE\ndestination:/topic/chat\n\n{"text": "hi"}\x00')[0]
    )
    assert not matcher.matches(unheaded)
    assert 'from "/topic/chat"' in str(matcher) and 'with the headers {"priority": "<any text>"}' in str(matcher)
