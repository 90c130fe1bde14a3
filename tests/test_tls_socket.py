"""Over TLS, an actor's reader thread and the threads that send never run OpenSSL at once."""

import ssl
import threading

import pytest

from chat_server_fixture.certificates import GeneratedCA
from chat_server_fixture.protocol_server import ProtocolServer
from wsitest_steps import Actor, json_message
from wsitest_steps.connection.tls_socket import SerializedTLSSocket


@pytest.fixture(scope="module")
def wss():
    with GeneratedCA() as ca, ProtocolServer(host="localhost", ssl=ca.server_context("localhost")) as server:
        yield server.url("/echo"), {"ca_certs": ca.ca_file}


def test_sends_racing_their_echoes_over_tls_never_break_the_connection(wss):
    # Before reads and writes were serialised, 2 rounds in 80 broke as "lost" or "Bad file
    # descriptor": the reader was inside SSL_read on an echo while the step was in SSL_write.
    url, sslopt = wss
    for _ in range(80):
        rob = Actor("Rob")
        try:
            rob.connect(url, sslopt=sslopt)
            for n in range(300):
                rob.send_json({"n": n})
            rob.expect(json_message({"n": 299}), 10)
        finally:
            rob.close()


def test_a_reader_waiting_on_a_quiet_tls_connection_leaves_the_lock_to_senders(wss):
    url, sslopt = wss
    rob = Actor("Rob")
    try:
        rob.connect(url, sslopt=sslopt)
        sock = rob._transport._ws.sock  # the reader is blocked reading it now
        assert isinstance(sock, SerializedTLSSocket) and isinstance(sock._sock, ssl.SSLSocket)
        sent = threading.Event()
        sender = threading.Thread(target=lambda: (rob.send_json({"from": "another thread"}), sent.set()))
        sender.start()
        assert sent.wait(5), "a send waited for the reader's lock"
        sender.join(5)
        rob.expect(json_message({"from": "another thread"}), 10)
    finally:
        rob.close()


def test_teardown_wakes_a_reader_waiting_on_a_quiet_tls_connection(wss):
    url, sslopt = wss
    rob = Actor("Rob")
    rob.connect(url, sslopt=sslopt)
    running = rob._reader.running
    rob.close()
    assert running.wait(5)
    assert not rob.connected
