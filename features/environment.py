"""This repository's own hooks: start the chat fixture in-process unless -D ws_url names a server.

The library needs no hooks; this file only provides the demo target, so that a plain
``behave features/`` works with zero configuration.
"""

from chat_server_fixture import ChatServer


def before_all(context):
    if not context.config.userdata.get("ws_url"):
        context.chat_server = ChatServer().start()
        context.config.userdata["ws_url"] = context.chat_server.url
        context.config.userdata["http_url"] = context.chat_server.http_url


def after_all(context):
    server = getattr(context, "chat_server", None)
    if server is not None:
        server.stop()
