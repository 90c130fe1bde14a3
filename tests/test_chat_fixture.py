"""The chat fixture's protocol, checked with a plain websocket-client connection."""

import json
import subprocess
import sys

import websocket

from tests.test_demo_suite import ROOT


def connect(server, query):
    return websocket.create_connection(f"ws://127.0.0.1:{server.port}/?{query}", timeout=10)


def receive(ws):
    return json.loads(ws.recv())


def test_connect_message_broadcast_and_disconnect(chat_server):
    rob = connect(chat_server, "name=Rob")
    assert receive(rob) == {"message": "Rob has connected", "user": "Rob"}
    ann = connect(chat_server, "name=Ann")
    assert receive(rob) == {"message": "Ann has connected", "user": "Ann"}
    assert receive(ann) == {"message": "Ann has connected", "user": "Ann"}
    ann.send(json.dumps({"message": "Hi"}))
    assert receive(rob) == {"message": "Ann: Hi", "user": "Ann"}
    assert receive(ann) == {"message": "Ann: Hi", "user": "Ann"}
    ann.close()
    assert receive(rob) == {"message": "Ann has disconnected", "user": "Ann"}
    rob.close()


def test_quiet_users_are_not_announced(chat_server):
    rob = connect(chat_server, "name=Rob")
    assert receive(rob) == {"message": "Rob has connected", "user": "Rob"}
    lurker = connect(chat_server, "name=Lurker&quiet=1")
    lurker.close()
    rob.send(json.dumps({"message": "anyone?"}))
    assert receive(rob) == {"message": "Rob: anyone?", "user": "Rob"}, "the quiet user's arrival or departure was announced"
    rob.close()


def test_bad_messages_get_an_error_reply_to_the_sender_only(chat_server):
    rob = connect(chat_server, "name=Rob")
    receive(rob)
    rob.send("not json")
    assert "error" in receive(rob)
    rob.close()


def test_a_connection_without_a_name_is_closed_with_1008(chat_server):
    ws = connect(chat_server, "")
    opcode, frame = ws.recv_data_frame(True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE
    assert int.from_bytes(frame.data[:2], "big") == 1008
    ws.shutdown()


def test_command_line_prints_the_url_once_listening():
    server = subprocess.Popen(
        [sys.executable, "-m", "chat_server_fixture", "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        line = server.stdout.readline()
        assert line.startswith("chat server listening on ws://127.0.0.1:") and line.rstrip().endswith("/?name={name}")
    finally:
        server.terminate()
        server.wait(30)


def test_the_socketio_and_graphql_server_sends_each_write_at_once(demo_servers):
    # Nagle's algorithm on the server's side held Socket.IO's connect answer 40 ms behind the
    # "joined" broadcast written just before it (until the client's delayed ACK): asyncio leaves
    # it on for a listener created with proto 0, so the fixture turns it off on the listener.
    import socket

    apps = demo_servers.apps
    ws = websocket.create_connection(apps.url("/socket.io/?EIO=4&transport=websocket"), timeout=5)
    try:
        assert ws.recv().startswith("0{")  # Engine.IO's open packet: uvicorn holds the connection now
        accepted = [c.transport.get_extra_info("socket") for c in apps.server.server_state.connections]
        assert accepted, "uvicorn lists the connection"
        assert all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in accepted)
    finally:
        ws.close()
