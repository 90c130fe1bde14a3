"""Where a scenario's :class:`~wsitest_steps.cast.Cast` lives on behave's context."""

from __future__ import annotations

from typing import Any

from .cast import Cast
from .settings import Settings

# One namespaced attribute, so the library never shadows behave's own context names.
ATTRIBUTE = "wsitest"


def cast_of(context: Any) -> Cast:
    """The current scenario's cast, created on first use.

    Creating it registers ``Cast.close_all`` with ``context.add_cleanup``, so every actor is
    closed and its reader thread joined when the scenario ends, failed or not, without the
    user writing a hook. Set inside a step, the attribute lives in the scenario's context
    layer, so the next scenario starts with a fresh cast.
    """
    cast = getattr(context, ATTRIBUTE, None)
    if cast is None:
        cast = Cast(Settings.from_userdata(context.config.userdata))
        setattr(context, ATTRIBUTE, cast)
        context.add_cleanup(cast.close_all)
    return cast
