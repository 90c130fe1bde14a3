"""This repository's own hooks: start the demo servers in-process.

The library needs no hooks; this file only provides the demo targets, so that a plain
``behave features/`` works with zero configuration. The chat server starts unless
``-D ws_url`` names one; userdata given on the command line always wins.

The STOMP feature (tagged ``@stomp``) needs a real broker: RabbitMQ, started privately when
Debian's rabbitmq-server is installed and ``-D ws_url.broker`` names no other. Without one the
feature is skipped, saying why; under ``WSITEST_CI`` it fails instead, as CI must run everything.
"""

import os
import sys
from pathlib import Path

from chat_server_fixture.broker import BrokerUnavailable
from chat_server_fixture.demo import DemoServers


def before_all(context):
    userdata = context.config.userdata
    # The values features/values.feature reads with {userdata.demo_greeting} and {env.WSITEST_DEMO_ROOM}.
    userdata.setdefault("demo_greeting", "Hello from userdata")
    os.environ.setdefault("WSITEST_DEMO_ROOM", "lobby")
    broker = not userdata.get("ws_url.broker") and _runs_tag(context.config.paths, "@stomp")
    context.demo_servers = DemoServers(chat=not userdata.get("ws_url"), broker=broker).start()
    for key, value in context.demo_servers.userdata().items():
        userdata.setdefault(key, value)
    userdata.setdefault("ws_protocol.broker", "stomp")


def before_feature(context, feature):
    userdata = context.config.userdata
    if "stomp" not in feature.tags or userdata.get("ws_url.broker"):
        return
    try:
        userdata["ws_url.broker"] = context.demo_servers.broker_url()
    except BrokerUnavailable as exc:
        if os.environ.get("WSITEST_CI"):
            raise
        # behave captures hooks' output and shows it only on failure: the reason goes past the capture.
        print(f"Skipping {feature.filename}: {exc}", file=sys.__stderr__, flush=True)
        feature.skip(reason=str(exc))


def after_all(context):
    servers = getattr(context, "demo_servers", None)
    if servers is not None:
        servers.stop()


def _runs_tag(paths, tag):
    # Whether any feature file of the run carries the tag: only then is the broker worth its start-up.
    files = []
    for path in map(Path, paths or ["features"]):
        path = Path(str(path).split(":")[0])  # features/stomp.feature:12 runs one scenario of it
        files.extend(path.rglob("*.feature") if path.is_dir() else [path] if path.is_file() else [])
    return any(tag in file.read_text(encoding="utf-8") for file in files)
