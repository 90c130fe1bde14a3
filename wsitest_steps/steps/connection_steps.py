"""Sentences that connect and disconnect actors."""

from behave import step, use_step_matcher

from ..behave_context import cast_of, finish_step
from ..step_text import parse_names

# Patterns carry no "^" and end in \Z: behave 1.3's "re" matcher rejects "^...$" and adds
# them itself, while behave 1.2.6's matches from the start but would accept any suffix.
use_step_matcher("re")


@step(r'(?:user )?(?P<name>[\w.@-]+) connects\Z')
def wsitest_user_connects(context, name):
    """Connect a new actor to the configured websocket URL (userdata ``ws_url``).

    Each ``{name}`` in ``ws_url`` becomes the actor's name, URL-encoded. The step fails at
    once, saying why, if the connection is refused or the handshake is rejected.

        Given user Rob connects
        Given Rob connects
    """
    cast_of(context).connect(name, step=f"user {name} connects")
    finish_step(context)


@step(r'(?:user )?(?P<name>[\w.@-]+) connects to "(?P<url>[^"]+)"\Z')
def wsitest_user_connects_to(context, name, url):
    """Connect a new actor to the websocket URL given in the step.

        Given user Rob connects to "ws://127.0.0.1:8765/?name=Rob"
    """
    cast_of(context).connect(name, url=url, step=f'user {name} connects to "{url}"')
    finish_step(context)


@step(r'users (?P<names>[\w.@-]+(?:, [\w.@-]+)* and [\w.@-]+) connect\Z')
def wsitest_users_connect(context, names):
    """Connect several actors, in the order written, each to the configured URL.

        Given users Alice and Bob connect
        Given users Alice, Bob and Carol connect
    """
    cast = cast_of(context)
    for name in parse_names(names):
        cast.connect(name, step=f"users {names} connect")
    finish_step(context)


@step(r'(?P<name>[\w.@-]+) disconnects\Z')
def wsitest_actor_disconnects(context, name):
    """Close the actor's connection politely (close code 1000) and wait for the server's reply.

        When Rob disconnects
    """
    cast_of(context).disconnect(name, step=f"{name} disconnects")
    finish_step(context)


use_step_matcher("parse")
