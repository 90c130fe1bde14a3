"""Actors against real servers on 127.0.0.1: close codes, reconnects, automatic replies, pacing, TLS."""

import json
import threading
import time

import pytest
from hamcrest import equal_to
from websockets.exceptions import ConnectionClosed

from chat_server_fixture.certificates import GeneratedCA
from chat_server_fixture.protocol_server import ProtocolServer
from tests.conftest import url_of
from wsitest_steps import ConnectionClosedError, ConnectionFailed, ExpectationFailed
from wsitest_steps.connection.deadline import Deadline
from wsitest_steps.connection.options import ConnectOptions
from wsitest_steps.matching.frames import FrameWithText
from wsitest_steps.matching.json import FrameWithJson, json_message, matches_json
from wsitest_steps.matching.phrases import expected_json
from wsitest_steps.model.frames import Outgoing

LONG = 30.0


def say(server, *messages):
    """The URL at which the protocol server sends ``messages`` (JSON-encoded) on connecting."""
    return ConnectOptions(query=[("m", json.dumps(m)) for m in messages]).apply_to(server.url("/say"))


@pytest.fixture
def protocol_server():
    with ProtocolServer() as server:
        yield server


def test_the_server_receives_the_close_code_and_reason_the_actor_chose(serve, actor):
    seen = {}
    closed = threading.Event()

    async def record_close(connection):
        try:
            await connection.recv()
        except ConnectionClosed as closing:
            seen["code"], seen["reason"] = closing.rcvd.code, closing.rcvd.reason
        closed.set()

    rob = actor()
    rob.connect(url_of(serve(record_close)))
    rob.disconnect(4000, "done for today", timeout=LONG)
    assert closed.wait(LONG)
    assert seen == {"code": 4000, "reason": "done for today"}
    assert 'sent close: code 4000, reason "done for today"' in rob.transcript()


def test_a_reconnect_keeps_the_transcript_and_retires_old_frames(protocol_server, actor):
    rob = actor()
    rob.connect(protocol_server.url("/echo"))
    rob.send_json({"n": 1})
    rob.inbox.wait_for(lambda frames: frames or None, Deadline.after(LONG))
    rob.reconnect()
    with pytest.raises(ExpectationFailed) as failure:
        rob.expect(json_message({"n": 1}), 0.2)
    report = str(failure.value)
    assert "from connection 1, before a reconnect: no longer counts" in report
    assert "connected (connection 2) to ws://127.0.0.1:" in report
    rob.send_json({"n": 2})
    assert rob.expect(json_message({"n": 2}), LONG).connection == 2


def test_an_automatic_reply_goes_out_while_no_step_is_waiting(protocol_server, actor):
    rob = actor()
    rob.answer(
        json_message({"type": "ping"}),
        "the rule: ping rule",
        lambda frame: Outgoing.json({"type": "pong", "n": frame.json()["n"]}),
    )
    rob.connect(say(protocol_server, {"type": "ping", "n": 1}))
    # No step waits for the ping: the reader thread answers it, the echo comes back.
    assert rob.expect(json_message({"type": "pong", "n": 1}), LONG).index == 2
    first = rob.inbox.frames()[0]
    assert first.used_by == "the rule: ping rule"
    assert "(by the rule: ping rule)" in rob.transcript()


def test_a_paced_send_waits_at_least_its_delay_and_no_sleep_loop_overruns_it(protocol_server, actor):
    rob = actor()
    rob.connect(protocol_server.url("/echo"))
    started = time.monotonic()
    rob.send_after(0.2, Outgoing.json({"late": True}))
    frame = rob.expect(json_message({"late": True}), LONG)
    assert frame.received_at - started >= 0.2
    assert "(after 0.2" in rob.transcript()


def test_any_order_assigns_frames_so_a_loose_expectation_does_not_steal_a_strict_ones(protocol_server, actor):
    rob = actor()
    rob.connect(say(protocol_server, {"user": "Bob"}, {"user": "Ann"}))
    anyone = FrameWithJson(matches_json(expected_json({"user": "<any string>"})))
    # Greedy matching would give Bob's message to "any string" and leave nothing for "Bob".
    frames = rob.expect_all_of([anyone, json_message({"user": "Bob"})], LONG)
    assert [f.json()["user"] for f in frames] == ["Ann", "Bob"]


def test_exactly_n_fails_as_soon_as_one_too_many_arrives(protocol_server, actor):
    rob = actor()
    rob.connect(say(protocol_server, {"t": 1}, {"t": 1}, {"t": 1}))
    started = time.monotonic()
    with pytest.raises(ExpectationFailed) as failure:
        rob.expect_count(2, json_message({"t": 1}), within=LONG)
    assert time.monotonic() - started < LONG / 2
    assert "received more than 2" in str(failure.value)


def test_wss_with_a_generated_ca_verifies_and_names_what_failed(actor):
    with GeneratedCA() as trusted, GeneratedCA() as other:  # noqa: SIM117 -- the servers need both authorities first
        with (
            ProtocolServer(host="localhost", ssl=trusted.server_context("localhost")) as good,
            ProtocolServer(host="localhost", ssl=other.server_context("localhost")) as stranger,
            ProtocolServer(host="localhost", ssl=trusted.server_context("localhost", expired=True)) as expired,
        ):
            rob = actor()
            rob.connect(good.url("/echo"), sslopt={"ca_certs": trusted.ca_file})
            rob.send_text("over TLS")
            rob.expect(FrameWithText(equal_to("over TLS"), "the text"), LONG)
            for server, why in ((stranger, "unable to get local issuer certificate"), (expired, "certificate has expired")):
                with pytest.raises(ConnectionFailed) as failure:
                    actor("Eve").connect(server.url("/echo"), sslopt={"ca_certs": trusted.ca_file})
                assert f"the server's TLS certificate was rejected: {why}" in str(failure.value)


def test_sending_on_a_closed_connection_says_how_to_reconnect(protocol_server, actor):
    rob = actor()
    rob.connect(protocol_server.url("/close?code=1001&reason=bye"))
    rob.inbox.wait_closed(Deadline.after(LONG))
    with pytest.raises(ConnectionClosedError) as failure:
        rob.send_text("anyone?")
    assert '"When Rob reconnects" opens a new one.' in str(failure.value)


def test_a_cookie_one_server_set_is_not_sent_by_the_next_actor(serve, actor):
    seen = []

    def set_cookie(connection, request, response):
        seen.append(request.headers.get("Cookie"))
        response.headers["Set-Cookie"] = "session=from-the-server; Domain=127.0.0.1"
        return response

    async def idle(connection):
        await connection.wait_closed()

    server = serve(idle, process_response=set_cookie)
    actor("Rob").connect(url_of(server))
    actor("Ann").connect(url_of(server))
    # websocket-client's process-wide cookie jar would have sent Ann the cookie Rob was given.
    assert seen == [None, None]


def test_a_client_certificate_from_the_settings_is_presented_to_a_server_that_requires_one(tmp_path, actor):
    import ssl

    from wsitest_steps import Settings

    with GeneratedCA() as ca:
        context = ca.server_context("localhost")
        context.verify_mode = ssl.CERT_REQUIRED
        ca.ca.configure_trust(context)  # clients must show a certificate this CA issued
        client = ca.ca.issue_cert("rob@clients.example")
        client.cert_chain_pems[0].write_to_path(str(tmp_path / "rob.pem"))
        client.private_key_pem.write_to_path(str(tmp_path / "rob.key"))
        settings = Settings.from_userdata(
            {"ws_ca_file": ca.ca_file, "ws_client_cert": str(tmp_path / "rob.pem"), "ws_client_key": str(tmp_path / "rob.key")}
        )
        with ProtocolServer(host="localhost", ssl=context) as server:
            rob = actor("Rob")
            rob.connect(server.url("/echo"), sslopt=settings.sslopt())
            rob.send_text("with a certificate")
            rob.expect(FrameWithText(equal_to("with a certificate"), "the text"), LONG)
            with pytest.raises(ConnectionFailed) as failure:
                actor("Eve").connect(server.url("/echo"), sslopt=Settings.from_userdata({"ws_ca_file": ca.ca_file}).sslopt())
            assert "Eve could not connect to wss://localhost:" in str(failure.value)
            # The server's refusal arrives as an alert, a reset or a close, depending on timing.
            assert (
                "requires a client certificate ends connections this way too: give one with ws_client_cert and ws_client_key"
                in str(failure.value)
            )


def test_secret_names_from_userdata_are_masked_in_reports():
    from wsitest_steps import Cast, Settings

    cast = Cast(Settings.from_userdata({"ws_secrets": "X-Tenant-Key, sig"}))
    redactor = cast.recorder.redactor
    assert redactor.header("X-Tenant-Key", "tenant-secret-42") == "***"
    assert redactor.url("ws://h/feed?sig=abcdef123&room=1") == "ws://h/feed?sig=***&room=1"
    assert redactor.text("echo of tenant-secret-42") == "echo of ***"
