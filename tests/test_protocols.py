"""The protocol codecs (Socket.IO, GraphQL) frame by frame, their table of names, and servers that break them.

Servers that speak the protocols for real are in tests/test_protocol_runs.py and the demo
features; here the packets are the ones the protocol documents describe, and servers on
127.0.0.1 send what no real server should.
"""

import re
import time

import pytest

from tests.conftest import url_of
from wsitest_steps import ConfigurationError, ConnectionClosedError, ConnectionFailed
from wsitest_steps.connection.options import ConnectOptions
from wsitest_steps.matching.json import FrameWithJson, matches_json
from wsitest_steps.model.kinds import FrameKind
from wsitest_steps.protocols.base import Opening, ProtocolViolation, known_protocols, protocol_named
from wsitest_steps.protocols.graphql import GraphQLTransportWS, GraphQLWS
from wsitest_steps.protocols.socketio import SocketIO
from wsitest_steps.settings import Settings


def socketio(namespace=None, auth=None):
    return SocketIO(Opening(payload=auth, channel=namespace))


def test_names_and_titles_find_the_protocol_and_unknown_words_are_named():
    assert protocol_named("socketio") is SocketIO
    assert protocol_named("Socket.IO") is SocketIO
    assert protocol_named("GraphQL") is GraphQLTransportWS
    assert protocol_named("graphql-ws") is GraphQLWS
    with pytest.raises(ConfigurationError, match=re.escape("'mqtt' is not a protocol wsitest-steps knows. Known: ")):
        protocol_named("mqtt")
    assert "socketio (Socket.IO)" in known_protocols()


def test_a_bad_ws_protocol_setting_names_the_key():
    with pytest.raises(ConfigurationError, match=re.escape("The ws_protocol.admin setting 'stomp2'")):
        Settings.from_userdata({"ws_protocol.admin": "stomp2"})
    settings = Settings.from_userdata({"ws_protocol": "socketio", "ws_protocol.api": "graphql"})
    assert settings.protocol_for(None) == "socketio"
    assert settings.protocol_for("api") == "graphql"
    assert settings.protocol_for("other") == "socketio"


def test_the_socketio_url_gets_its_path_and_transport():
    assert socketio().url("ws://h:1") == "ws://h:1/socket.io/?EIO=4&transport=websocket"
    assert socketio().url("ws://h:1/socket.io/?name=A") == "ws://h:1/socket.io/?name=A&EIO=4&transport=websocket"
    assert socketio().url("ws://h:1/custom/") == "ws://h:1/custom/?EIO=4&transport=websocket"


def test_the_open_packet_is_answered_by_a_connect_to_the_namespace_with_its_auth():
    protocol = socketio("/admin", {"token": "t"})
    (decoded,) = protocol.receive(FrameKind.TEXT, '0{"sid":"x","pingInterval":25000}')
    assert decoded.message.control and decoded.message.kind == "open"
    assert [f.payload for f in protocol.encode(decoded.replies[0])] == ['40/admin,{"token": "t"}']
    (accepted,) = protocol.receive(FrameKind.TEXT, '40/admin,{"sid":"y"}')
    assert protocol.settled and protocol.refusal is None and accepted.message.control


def test_a_connect_error_refuses_with_its_message_and_data():
    protocol = socketio()
    protocol.receive(FrameKind.TEXT, '44{"message":"Not authorized","data":{"hint":"token"}}')
    assert protocol.refusal is not None
    assert protocol.refusal.reason == "Not authorized"
    assert protocol.refusal.payload == {"message": "Not authorized", "data": {"hint": "token"}}


def test_events_carry_name_arguments_ack_id_and_namespace():
    protocol = socketio("/chat")
    (one,) = protocol.receive(FrameKind.TEXT, '42/chat,17["move",3,"north"]')
    assert (one.message.name, one.message.id, one.message.arguments) == ("move", 17, (3, "north"))
    assert one.message.payload == [3, "north"]
    assert one.message.channel == "/chat"
    (single,) = protocol.receive(FrameKind.TEXT, '42/chat,["chat",{"text":"hi"}]')
    assert single.message.payload == {"text": "hi"} and single.message.id is None
    (other,) = protocol.receive(FrameKind.TEXT, '42["chat","for the main namespace"]')
    assert other.message.control, "an event of another namespace is not this actor's"


def test_a_heartbeat_is_answered_until_told_not_to():
    protocol = socketio()
    (ping,) = protocol.receive(FrameKind.TEXT, "2")
    assert [f.payload for r in ping.replies for f in protocol.encode(r)] == ["3"]
    protocol.answers_heartbeats = False
    (silent,) = protocol.receive(FrameKind.TEXT, "2")
    assert silent.replies == [] and silent.message.control


def test_binary_events_wait_for_their_attachments_and_emit_sends_them():
    protocol = socketio()
    (first,) = protocol.receive(FrameKind.TEXT, '452-["file",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]')
    assert first.message.control
    (second,) = protocol.receive(FrameKind.BINARY, b"\x00")
    assert second.message.control
    (whole,) = protocol.receive(FrameKind.BINARY, b"\x01\x02")
    assert not whole.message.control and whole.message.name == "file"
    assert whole.message.attachments == (b"\x00", b"\x01\x02")
    frames = protocol.encode(protocol.event("upload", (b"\xff", {"n": 1})))
    assert frames[0].payload == '451-1["upload", {"_placeholder": true, "num": 0}, {"n": 1}]'
    assert frames[1].payload == b"\xff"


def test_an_ack_names_the_event_it_answers():
    protocol = socketio()
    emitted = protocol.event("join", ({"room": "a"},))
    assert protocol.encode(emitted)[0].payload == '421["join", {"room": "a"}]'
    (ack,) = protocol.receive(FrameKind.TEXT, '431[{"ok":true}]')
    assert (ack.message.kind, ack.message.name, ack.message.payload) == ("ack", "join", {"ok": True})


@pytest.mark.parametrize(
    ("frame", "why"),
    [
        ("hello", "which is no Engine.IO packet"),
        ("49", "of no known type"),
        ("42{not json", "is not JSON"),
        ('42{"a":1}', "not a list of [name, arguments...]"),
        ("45[1]", "does not say how many attachments follow"),
    ],
)
def test_socketio_packets_that_break_the_protocol_say_how(frame, why):
    with pytest.raises(ProtocolViolation, match=re.escape(why)):
        socketio().receive(FrameKind.TEXT, frame)
    with pytest.raises(ProtocolViolation, match="that no binary packet announced"):
        socketio().receive(FrameKind.BINARY, b"\x00")


def test_graphql_speaks_each_protocol_in_its_own_words():
    new, old = GraphQLTransportWS(Opening(payload={"token": "t"})), GraphQLWS(Opening())
    assert new.encode(new.opening()[0])[0].payload == '{"type": "connection_init", "payload": {"token": "t"}}'
    assert new.encode(new.subscription("c", "subscription { a }"))[0].payload == (
        '{"type": "subscribe", "id": "1", "payload": {"query": "subscription { a }"}}'
    )
    assert old.encode(old.subscription("c", "subscription { a }"))[0].payload.startswith('{"type": "start"')
    assert old.encode(old.stop("c"))[0].payload == '{"type": "stop", "id": "1"}'
    (result,) = old.receive(FrameKind.TEXT, '{"type": "data", "id": "1", "payload": {"data": {"a": 1}}}')
    assert (result.message.channel, result.message.payload) == ("c", {"a": 1})
    (ping,) = new.receive(FrameKind.TEXT, '{"type": "ping"}')
    assert new.encode(ping.replies[0])[0].payload == '{"type": "pong"}'
    with pytest.raises(ProtocolViolation, match='a message of type "surprise"'):
        new.receive(FrameKind.TEXT, '{"type": "surprise"}')
    with pytest.raises(ProtocolViolation, match='has no "type"'):
        new.receive(FrameKind.TEXT, "[1]")


def test_a_server_that_breaks_socketio_fails_the_waiting_step_at_once(serve, actor):
    async def garbage(connection):
        await connection.send('0{"sid":"s"}')
        await connection.recv()
        await connection.send('40{"sid":"t"}')
        await connection.send("this is not Engine.IO")
        await connection.wait_closed()

    server = serve(garbage)
    actor = actor()
    actor.connect(url_of(server, "/socket.io/"), options=ConnectOptions(protocol="socketio"))
    started = time.monotonic()
    with pytest.raises(ConnectionClosedError) as failure:
        actor.expect(FrameWithJson(matches_json({"a": 1})), 10, 'Rob receives {"a": 1}')
    # The garbage may come before the wait begins or during it; either way the step ends at once.
    assert time.monotonic() - started < 5
    text = str(failure.value)
    assert "closed by this actor with code 1002 (protocol error)" in text
    assert (
        "the server broke the Socket.IO protocol: the server sent 'this is not Engine.IO', which is no Engine.IO packet" in text
    )


def test_a_server_that_never_finishes_the_handshake_fails_the_connect_in_time(serve, actor):
    async def silent(connection):
        await connection.wait_closed()

    server = serve(silent, subprotocols=["graphql-transport-ws"])
    actor = actor()
    with pytest.raises(
        ConnectionFailed, match=re.escape("the server did not answer GraphQL's handshake within 0.5s (ws_connect_timeout)")
    ):
        actor.connect(url_of(server, "/graphql"), timeout=0.5, options=ConnectOptions(protocol="graphql"))
