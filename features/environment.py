"""This repository's own hooks: start the demo servers in-process.

The library needs no hooks; this file only provides the demo targets, so that a plain
``behave features/`` works with zero configuration. The chat server starts unless
``-D ws_url`` names one; userdata given on the command line always wins.
"""

import os

from chat_server_fixture.demo import DemoServers


def before_all(context):
    userdata = context.config.userdata
    # The values features/values.feature reads with {userdata.demo_greeting} and {env.WSITEST_DEMO_ROOM}.
    userdata.setdefault("demo_greeting", "Hello from userdata")
    os.environ.setdefault("WSITEST_DEMO_ROOM", "lobby")
    context.demo_servers = DemoServers(chat=not userdata.get("ws_url")).start()
    for key, value in context.demo_servers.userdata().items():
        userdata.setdefault(key, value)


def after_all(context):
    servers = getattr(context, "demo_servers", None)
    if servers is not None:
        servers.stop()
