"""Shared fixtures: real websocket servers on 127.0.0.1, started in-process on free ports."""

from __future__ import annotations

import os
import socket

import pytest

from chat_server_fixture import ChatServer, EmbeddedServer
from chat_server_fixture.broker import SERVER, BrokerUnavailable, StompBroker, broker_installed
from chat_server_fixture.demo import DemoServers
from tests.debian import find_or_install


@pytest.fixture
def chat_server():
    """The chat fixture, embedded on a free port."""
    with ChatServer() as server:
        yield server


@pytest.fixture
def serve():
    """``serve(handler, **options)`` starts a websocket server for ``handler``; all stop at test end."""
    servers = []

    def start(handler, **options):
        server = EmbeddedServer(handler, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 that nothing listens on (bound once, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def actor():
    """``actor(name)`` makes an Actor; every one made is closed at the end of the test."""
    from wsitest_steps import Actor

    made = []

    def make(name="Rob"):
        made.append(Actor(name))
        return made[-1]

    yield make
    for one in made:
        one.close()


def url_of(server, path="/"):
    return f"ws://127.0.0.1:{server.port}{path}"


@pytest.fixture(scope="session")
def demo_servers():
    """Every demo server (chat, protocol paths, wss:// trusted and self-signed), shared by a test session."""
    servers = DemoServers().start()
    yield servers
    servers.stop()


@pytest.fixture
def demo_userdata(demo_servers):
    """The behave userdata that points wsitest-steps at the demo servers."""
    return demo_servers.userdata()


@pytest.fixture(scope="session")
def stomp_broker():
    """A private RabbitMQ node with web-STOMP (Debian's rabbitmq-server, installed here when root may).

    Skipped where RabbitMQ cannot run; under WSITEST_CI that fails instead, as CI must run everything.
    """
    find_or_install("rabbitmq-server", lambda: SERVER if broker_installed() else None)
    try:
        broker = StompBroker().start()
    except BrokerUnavailable as exc:
        if os.environ.get("WSITEST_CI"):
            pytest.fail(f"WSITEST_CI is set, and the STOMP broker cannot run: {exc}")
        pytest.skip(str(exc))
    yield broker
    broker.stop()


@pytest.fixture(scope="session")
def broker_args(request):
    """``-D ws_url.broker=...`` naming the session's broker, for behave runs of the demo suite.

    Without it each run would start its own RabbitMQ node. Where none can run, nothing: the demo's
    STOMP feature then skips itself, saying why, and the rest of the suite still runs.
    """
    try:
        broker = request.getfixturevalue("stomp_broker")
    except pytest.skip.Exception:
        return []
    return ["-D", f"ws_url.broker={broker.url}"]
