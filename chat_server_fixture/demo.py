"""Every server the demo suite (``features/``) talks to, started in-process on free ports.

:meth:`DemoServers.userdata` returns the behave userdata that points wsitest-steps at them:
``ws_url`` and ``http_url`` for the chat, and one named endpoint (``ws_url.NAME``) per path of
the :class:`~chat_server_fixture.protocol_server.ProtocolServer`, plus ``secure`` (wss://, with
a certificate from a generated CA that ``ws_ca_file`` trusts) and ``selfsigned`` (wss://, with a
certificate nobody trusts, reachable only because ``ws_insecure_skip_tls_verify`` names it).
"""

from __future__ import annotations

import threading

from .broker import BrokerUnavailable, StompBroker, broker_installed
from .certificates import GeneratedCA
from .protocol_apps import ProtocolApps
from .protocol_server import ProtocolServer
from .server import ChatServer

PATHS = ("echo", "headers", "subprotocols", "reject", "close", "ping", "say", "silent")


class DemoServers:
    """Start with :meth:`start`, stop with :meth:`stop`; ``chat=False`` leaves the chat out (when
    ``ws_url`` already names one)."""

    def __init__(self, chat: bool = True, broker: bool = False) -> None:
        self.chat = ChatServer() if chat else None
        #: The STOMP broker (RabbitMQ) when asked for: it takes seconds to start, so it starts in
        #: the background and :meth:`broker_url` waits for it.
        self._broker: StompBroker | None = StompBroker() if broker and broker_installed() else None
        self._broker_started = threading.Event()
        self._broker_failure: BrokerUnavailable | None = (
            BrokerUnavailable(StompBroker.NOT_INSTALLED) if broker and self._broker is None else None
        )
        self.protocol = ProtocolServer()
        self.trusted_ca = GeneratedCA()
        self.untrusted_ca = GeneratedCA()
        self.secure = ProtocolServer(host="localhost", ssl=self.trusted_ca.server_context("localhost"))
        self.selfsigned = ProtocolServer(host="localhost", ssl=self.untrusted_ca.server_context("localhost"))
        self.apps = ProtocolApps()

    def start(self) -> DemoServers:
        for server in self._servers():
            server.start()
        if self._broker is not None:
            threading.Thread(target=self._start_broker, name="demo-broker", daemon=True).start()
        else:
            self._broker_started.set()
        return self

    def _start_broker(self) -> None:
        assert self._broker is not None
        try:
            self._broker.start()
        except BrokerUnavailable as exc:
            self._broker_failure = exc
        finally:
            self._broker_started.set()

    def broker_url(self) -> str:
        """The STOMP broker's websocket URL, once it runs; :class:`BrokerUnavailable` says why there is none."""
        self._broker_started.wait()  # bounded: StompBroker.start gives up after its START_TIMEOUT
        if self._broker_failure is not None:
            raise self._broker_failure
        if self._broker is None:
            raise BrokerUnavailable("the demo servers were started without the STOMP broker")
        return self._broker.url

    def stop(self) -> None:
        for server in self._servers():
            server.stop()
        if self._broker is not None:
            self._broker_started.wait()
            self._broker.stop()
        self.trusted_ca.cleanup()
        self.untrusted_ca.cleanup()

    def userdata(self) -> dict[str, str]:
        data = {f"ws_url.{path}": self.protocol.url(f"/{path}?name={{name}}") for path in PATHS}
        data["ws_url.secure"] = self.secure.url("/echo?name={name}")
        data["ws_url.selfsigned"] = self.selfsigned.url("/echo?name={name}")
        data["ws_ca_file"] = self.trusted_ca.ca_file
        data["ws_insecure_skip_tls_verify"] = "selfsigned"
        # The Socket.IO chat and the GraphQL API, each speaking its protocol with no sentence saying so.
        data["ws_url.live"] = self.apps.url("/socket.io/?name={name}")
        data["ws_protocol.live"] = "socketio"
        data["ws_url.graphql"] = self.apps.url("/graphql")
        data["ws_protocol.graphql"] = "graphql"
        data["graphql_http"] = self.apps.http_url("/graphql")
        if self.chat is not None:
            data["ws_url"] = self.chat.url
            data["http_url"] = self.chat.http_url
        return data

    def _servers(self):
        return [s for s in (self.chat, self.protocol, self.secure, self.selfsigned, self.apps) if s is not None]
