"""A handshake that fails says what happened, in words, from what the server actually answered."""

import socket
import threading

import pytest

from tests.raw_server import LONG, RawServer, accept_key, read_head
from wsitest_steps import ConnectionFailed


def answer(*lines):
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


GOOD = ("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade")


def test_a_wrong_sec_websocket_accept_is_named_with_the_value_it_should_have_been(actor):
    server = RawServer(response=answer(*GOOD, "Sec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk="))
    with server, pytest.raises(ConnectionFailed) as failure:
        actor().connect(server.url)
    text = str(failure.value)
    assert "the server's 101 answer has Sec-WebSocket-Accept: bm90IHRoZSByaWdodCBrZXk=, not " in text, text
    assert "the value RFC 6455 section 4.2.2 derives from the key the client sent" in text
    assert "Invalid WebSocket Header" not in text


def test_a_101_without_upgrade_says_so(actor):
    server = RawServer(response=answer("HTTP/1.1 101 Switching Protocols", "Connection: Upgrade"))
    with server, pytest.raises(ConnectionFailed) as failure:
        actor().connect(server.url)
    assert "the server's 101 answer has Upgrade: (none), not websocket" in str(failure.value)


def test_an_extension_the_client_did_not_ask_for_fails_the_connection(actor):
    server = RawServer()
    # The server's own 101, with the right accept key, plus an extension nobody asked for.
    server.response_for = lambda key: answer(
        *GOOD, f"Sec-WebSocket-Accept: {accept_key(key)}", "Sec-WebSocket-Extensions: permessage-deflate"
    )
    with server:
        with pytest.raises(ConnectionFailed) as failure:
            actor().connect(server.url)
        assert server.done.wait(LONG)
    text = str(failure.value)
    assert "the server's 101 names the extension 'permessage-deflate', which the client did not ask for" in text, text
    assert "RFC 6455 section 4.1 says the client must fail such a connection" in text
    assert (0x8, (1002).to_bytes(2, "big")) in server.client_frames()


def test_a_subprotocol_the_client_did_not_offer_fails_the_connection(actor):
    server = RawServer()
    server.response_for = lambda key: answer(*GOOD, f"Sec-WebSocket-Accept: {accept_key(key)}", "Sec-WebSocket-Protocol: chat.v9")
    with server, pytest.raises(ConnectionFailed) as failure:
        actor().connect(server.url)
    assert "the server's 101 chose the subprotocol 'chat.v9', though the client offered none" in str(failure.value)


def test_a_101_whose_headers_never_end_is_not_called_silence(actor):
    with RawServer(response=b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n", reads=False) as server:
        rob = actor()
        rob.settings = rob.settings.__class__(connect_timeout=0.5)
        with pytest.raises(ConnectionFailed) as failure:
            rob.connect(server.url)
    text = str(failure.value)
    assert (
        "the server began its answer to the handshake (HTTP/1.1 101 Switching Protocols) but did not finish its headers within 0.5"
        in text
    ), text
    assert "accepted nothing or answered nothing" not in text


@pytest.fixture
def redirect_loop():
    """An HTTP server on 127.0.0.1 that answers every request with a redirect to itself."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(LONG)
                read_head(connection)
                connection.sendall(answer("HTTP/1.1 302 Found", f"Location: ws://127.0.0.1:{port}/again", "Content-Length: 0"))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"ws://127.0.0.1:{port}/start"
    stop.set()
    thread.join(LONG)
    listener.close()


def test_a_redirect_loop_names_the_status_and_the_location(actor, redirect_loop):
    with pytest.raises(ConnectionFailed) as failure:
        actor().connect(redirect_loop)
    text = str(failure.value)
    assert "the server redirected the handshake more times than websocket-client follows (3)" in text, text
    assert "(the first answer: HTTP 302 to ws://127.0.0.1:" in text and "/again)" in text, text
    assert "Redirect limit exhausted" not in text
