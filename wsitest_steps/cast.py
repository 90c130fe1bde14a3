"""The cast of a scenario: its actors by name, and the settings they share."""

from __future__ import annotations

import logging
import time

from .actor import Actor
from .errors import StepInputError, UnknownActor, at_step
from .settings import Settings

log = logging.getLogger("wsitest_steps")


class Cast:
    """Every actor of one scenario, created on first use and all closed by :meth:`close_all`.

    Plain Python with no behave dependency, so custom steps and tests can drive it directly.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        #: The scenario clock's zero: transcript times are seconds since this.
        self.origin = time.monotonic()
        self._actors: dict[str, Actor] = {}

    def connect(self, name: str, url: str | None = None, step: str | None = None) -> Actor:
        """Connect actor ``name`` to ``url``, or to the configured URL for that name."""
        target = url if url is not None else self.settings.url_for(name)
        previous = self._actors.get(name)
        if previous is not None and previous.connected:
            raise StepInputError(
                f"{name} is already connected (to {previous.url}){at_step(step)}. Each actor holds one "
                "connection; disconnect it first, or give the second connection another actor name."
            )
        # A reconnecting actor starts with an empty inbox: frames of its earlier connection
        # must not satisfy expectations about the new one.
        actor = Actor(name, origin=self.origin)
        actor.connect(target, timeout=self.settings.connect_timeout, step=step)
        if previous is not None:
            previous.close()
        self._actors[name] = actor
        return actor

    def actor(self, name: str, step: str | None = None) -> Actor:
        """The actor called ``name``; raises :class:`UnknownActor` if it never connected."""
        try:
            return self._actors[name]
        except KeyError:
            pass
        known = ", ".join(self._actors) or "none yet"
        raise UnknownActor(
            f"There is no actor called {name!r}{at_step(step)}: actors exist once they connect, and the ones "
            f'in this scenario are: {known}. Connect it first, e.g. "Given user {name} connects", '
            "or check the spelling (names are case-sensitive)."
        )

    def disconnect(self, name: str, step: str | None = None) -> None:
        """Close actor ``name`` politely, waiting at most ``connect_timeout`` for the server's close."""
        self.actor(name, step).disconnect(timeout=self.settings.connect_timeout)

    @property
    def actors(self) -> list[Actor]:
        """Every actor, in the order they first connected."""
        return list(self._actors.values())

    def close_all(self) -> None:
        """Close every actor and join its reader thread. Never raises: it runs as a cleanup."""
        for actor in self._actors.values():
            try:
                actor.close()
            except Exception as exc:  # a cleanup that raises would mark the scenario as errored
                log.warning("closing %s failed: %s", actor.name, exc)
