"""The read-ahead socket: what websocket-client reads through it is byte for byte what was sent."""

import socket
import threading

import pytest

from wsitest_steps.connection.network import READ_AHEAD, BufferedSocket, direct_socket


@pytest.fixture
def pair():
    left, right = socket.socketpair()
    yield BufferedSocket(left), right
    left.close()
    right.close()


def test_small_reads_are_served_from_one_read_ahead(pair):
    reader, writer = pair
    writer.sendall(b"HTTP/1.1 101 Switching\r\n\r\n\x81\x02hi")
    line = b"".join(iter(lambda: reader.recv(1), b"\n"))
    assert line == b"HTTP/1.1 101 Switching\r"
    assert reader.pending() > 0
    assert reader.recv(2) == b"\r\n" and reader.recv(4) == b"\x81\x02hi"
    assert reader.pending() == 0


def test_a_flood_arrives_intact_in_order(pair):
    reader, writer = pair
    payload = bytes(range(256)) * 4000
    sender = threading.Thread(target=writer.sendall, args=(payload,))
    sender.start()
    received = bytearray()
    sizes = [1, 2, 7, READ_AHEAD - 1, READ_AHEAD * 3, 5]
    while len(received) < len(payload):
        received += reader.recv(sizes[len(received) % len(sizes)])
    sender.join()
    assert bytes(received) == payload


def test_everything_else_is_the_socket_itself(pair):
    reader, _ = pair
    reader.settimeout(1.5)
    assert reader.gettimeout() == 1.5
    assert reader.fileno() == reader._sock.fileno()


def test_only_plain_ws_without_a_proxy_takes_the_direct_path(monkeypatch, closed_port):
    assert direct_socket("wss://127.0.0.1:1/", 1) is None
    monkeypatch.setenv("http_proxy", "http://proxy.invalid:3128")
    assert direct_socket("ws://example.invalid/", 1) is None
    with pytest.raises(ConnectionRefusedError):
        direct_socket(f"ws://127.0.0.1:{closed_port}/", 1)  # loopback never goes through a proxy


def test_the_response_head_is_served_a_line_at_a_time_then_frames_byte_by_byte(pair):
    reader, writer = pair
    writer.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgr")
    assert reader.recv(1) == b"HTTP/1.1 101 Switching Protocols\r"
    assert reader.recv(1) == b"\n"
    assert reader.recv(1) == b"Upgr"  # a line split between reads: what has arrived, no newline
    writer.sendall(b"ade: websocket\r\n\r\n\x81\x01A")
    assert [reader.recv(1) for _ in range(4)] == [b"ade: websocket\r", b"\n", b"\r", b"\n"]
    # The blank line ended the head: a frame's one-byte reads get one byte each.
    assert [reader.recv(1) for _ in range(3)] == [b"\x81", b"\x01", b"A"]


def test_websocket_clients_header_reader_parses_the_head_through_it(pair):
    # Pins the reading of websocket-client that lines at once rely on: recv_line asks for one
    # byte at a time, keeps what it gets, and stops at a read that is exactly a newline.
    from websocket._http import read_headers

    reader, writer = pair
    writer.sendall(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n\x81\x01A"
    )
    status, headers, message = read_headers(reader)
    assert (status, message) == (101, "Switching Protocols")
    assert headers == {"upgrade": "websocket", "connection": "Upgrade", "sec-websocket-accept": "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="}
    assert reader.recv(1) == b"\x81"
    assert reader.exchange().response.endswith(b"\r\n\r\n")
