"""A private RabbitMQ node with its web-STOMP plugin, for the STOMP scenarios: a real broker on 127.0.0.1.

Debian's ``rabbitmq-server`` package provides it (``apt-get install rabbitmq-server``); nothing
of the system's own node is used or touched. Each :class:`StompBroker` runs a node of its own
name, with its own data directory, Erlang port mapper (epmd) port and listeners, every one bound
to 127.0.0.1 on a port free when it starts, so parallel test runs never meet. ``guest`` /
``guest`` logs in, from the loopback address only, as RabbitMQ allows by default.

The node starts in about ten seconds: :meth:`start` waits for the line RabbitMQ prints once its
plugins run, up to :data:`START_TIMEOUT`, and raises :class:`BrokerUnavailable` with the node's
own output if it never comes.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import uuid
from pathlib import Path

#: The Debian package's server script, run directly so that it runs as the current user.
SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0
#: What RabbitMQ prints when the node and its plugins are up.
READY = "completed with"


class BrokerUnavailable(Exception):
    """RabbitMQ is not installed here, or its node did not start; the text says which."""


def broker_installed() -> bool:
    """Whether Debian's rabbitmq-server (and the Erlang it runs on) is installed."""
    return os.path.exists(SERVER) and shutil.which("erl") is not None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class StompBroker:
    """Start with :meth:`start`, stop with :meth:`stop`; :attr:`url` is the web-STOMP endpoint."""

    NOT_INSTALLED = (
        "RabbitMQ is not installed here: the STOMP scenarios need Debian's rabbitmq-server "
        "(apt-get install rabbitmq-server), or -D ws_url.broker naming a STOMP-over-websocket endpoint."
    )

    def __init__(self) -> None:
        self.web_stomp_port = _free_port()
        self.url = f"ws://127.0.0.1:{self.web_stomp_port}/ws"
        self._epmd_port = _free_port()
        self._node = f"wsitest-{uuid.uuid4().hex[:12]}@localhost"
        self._home: tempfile.TemporaryDirectory[str] | None = None
        self._process: subprocess.Popen[str] | None = None
        self._output: list[str] = []
        self._ready = threading.Event()
        self._ended = threading.Event()

    def start(self) -> StompBroker:
        if not broker_installed():
            raise BrokerUnavailable(self.NOT_INSTALLED)
        self._home = tempfile.TemporaryDirectory(prefix="wsitest-rabbitmq-")
        home = Path(self._home.name)
        (home / "enabled_plugins").write_text("[rabbitmq_web_stomp].\n")
        (home / "rabbitmq.conf").write_text(
            "\n".join(
                [
                    f"listeners.tcp.default = 127.0.0.1:{_free_port()}",
                    f"stomp.listeners.tcp.1 = 127.0.0.1:{_free_port()}",
                    f"web_stomp.tcp.port = {self.web_stomp_port}",
                    "web_stomp.tcp.ip = 127.0.0.1",
                    "management_agent.disable_metrics_collector = true",
                    "",
                ]
            )
        )
        env = {
            **os.environ,
            "HOME": str(home),
            "RABBITMQ_NODENAME": self._node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_DIST_PORT": str(_free_port()),
            "ERL_EPMD_PORT": str(self._epmd_port),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "RABBITMQ_MNESIA_BASE": str(home / "mnesia"),
            "RABBITMQ_LOG_BASE": str(home / "log"),
            "RABBITMQ_LOGS": "-",
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(home / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(home / "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(home / "advanced.config"),
            "RABBITMQ_CONF_ENV_FILE": str(home / "rabbitmq-env.conf"),
        }
        self._process = subprocess.Popen(
            [SERVER],
            cwd=home,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read_output, name="rabbitmq-output", daemon=True).start()
        # The node runs in a session of its own (so that stop() reaches all of it): a process that
        # ends without calling stop() must not leave it behind.
        atexit.register(self.stop)
        if not self._ready.wait(START_TIMEOUT) or (self._ended.is_set() and not self._ready.is_set()):
            output = "".join(self._output[-15:]).strip()
            self.stop()
            raise BrokerUnavailable(f"RabbitMQ's node did not start within {START_TIMEOUT:g} s. It printed:\n{output}")
        return self

    def _read_output(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            self._output.append(line)
            del self._output[:-200]
            if READY in line:
                self._ready.set()
        self._ended.set()
        self._ready.set()  # a node that died wakes start() at once

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(STOP_TIMEOUT)
        # The node's port mapper daemonises out of the node's process group; it serves only this node.
        epmd = shutil.which("epmd")
        if epmd:
            subprocess.run(
                [epmd, "-kill"],
                env={**os.environ, "ERL_EPMD_PORT": str(self._epmd_port)},
                capture_output=True,
                timeout=STOP_TIMEOUT,
                check=False,
            )
        if self._home is not None:
            self._home.cleanup()
            self._home = None
