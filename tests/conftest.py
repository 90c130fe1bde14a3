"""Shared fixtures: real websocket servers on 127.0.0.1, started in-process on free ports."""

from __future__ import annotations

import socket

import pytest

from chat_server_fixture import ChatServer, EmbeddedServer
from chat_server_fixture.demo import DemoServers


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
