"""The cast of a scenario: its actors by name, and the settings they share."""

from __future__ import annotations

import logging
import time
from typing import Sequence

from hamcrest.core.matcher import Matcher

from .actor import Actor
from .errors import ExpectationFailed, StepInputError, UnknownActor, at_step
from .frames import Frame
from .settings import Settings
from .transcript import describe

log = logging.getLogger("wsitest_steps")


class Cast:
    """Every actor of one scenario, created on first use and all closed by :meth:`close_all`.

    All actors share one clock (``time.monotonic()``, shown relative to :attr:`origin`), so
    steps can relate what different actors received. Plain Python with no behave dependency,
    so custom steps and tests can drive it directly.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        #: The scenario clock's zero: transcript times are seconds since this.
        self.origin = time.monotonic()
        self._actors: dict[str, Actor] = {}
        self._ignore_rules: list[tuple[Matcher[Frame], str]] = []
        #: Set once the end-of-scenario check for unread messages has run.
        self.unread_checked = False

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
        for matcher, rule in self._ignore_rules:  # before connecting, so no early frame escapes
            actor.ignore(matcher, rule)
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

    def expect(self, name: str, matcher: Matcher[Frame], timeout: float | None = None, step: str | None = None) -> Frame:
        """``name`` must receive a match within ``timeout`` (default ``ws_timeout``); on failure the
        report says whether a match arrived within ``ws_late_window`` after the deadline."""
        timeout = self.settings.timeout if timeout is None else timeout
        late = self.settings.late_window_for(timeout)
        return self.actor(name, step).expect(matcher, timeout, step, late_window=late)

    def ignore(self, matcher: Matcher[Frame], rule: str, names: Sequence[str] | None = None) -> None:
        """Treat frames ``matcher`` accepts as noise: for ``names``, or for every actor, now and later."""
        if names is None:
            self._ignore_rules.append((matcher, rule))
            targets = self.actors
        else:
            targets = [self.actor(name) for name in names]
        for actor in targets:
            actor.ignore(matcher, rule)

    def listeners(self) -> list[Actor]:
        """Actors that connected and have not disconnected themselves: "everyone" in a step."""
        return [a for a in self._actors.values() if not (a.inbox.closure and a.inbox.closure.by == "client")]

    def expect_all(
        self, matcher: Matcher[Frame], names: Sequence[str] | None = None, timeout: float | None = None, step: str | None = None
    ) -> dict[str, Frame]:
        """Each of ``names`` (default: every listener) must receive a match before one shared deadline.

        Waits for all of them (one deadline, not one each) and reports every actor that missed
        it, with its transcript, in one failure.
        """
        timeout = self.settings.timeout if timeout is None else timeout
        actors = self._named(names, step)
        deadline = time.monotonic() + timeout
        received: dict[str, Frame] = {}
        failures: list[tuple[str, ExpectationFailed]] = []
        for actor in actors:
            try:
                received[actor.name] = actor.expect(matcher, timeout, step, deadline=deadline)
            except ExpectationFailed as failure:
                failures.append((actor.name, failure))
        if failures:
            missing = ", ".join(name for name, _ in failures)
            got = ", ".join(received) or "none of them"
            head = (
                f"{len(failures)} of {len(actors)} actors did not receive {describe(matcher)} within "
                f"{timeout:g} seconds: {missing}. Received it: {got}.{at_step(step)}"
            )
            raise ExpectationFailed("\n\n".join([head, *(str(failure) for _, failure in failures)]))
        return received

    def expect_in_order(
        self,
        first: str,
        first_matcher: Matcher[Frame],
        second: str,
        second_matcher: Matcher[Frame],
        timeout: float | None = None,
        step: str | None = None,
    ) -> tuple[Frame, Frame]:
        """Both actors must receive their match before one deadline, ``first`` strictly earlier."""
        timeout = self.settings.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        one = self.actor(first, step).expect(first_matcher, timeout, step, deadline=deadline)
        two = self.actor(second, step).expect(second_matcher, timeout, step, deadline=deadline)
        if one.received_at >= two.received_at:
            raise ExpectationFailed(
                f"{second} received {describe(second_matcher)} (frame #{two.index} at "
                f"+{two.received_at - self.origin:.3f}s) before {first} received {describe(first_matcher)} "
                f"(frame #{one.index} at +{one.received_at - self.origin:.3f}s); the step expects {first}'s "
                f"first.{at_step(step)}\n{self.actor(first).transcript()}\n{self.actor(second).transcript()}"
            )
        return one, two

    def expect_nowhere(self, matcher: Matcher[Frame], within: float, step: str | None = None) -> None:
        """No listener may receive a match during one shared window of ``within`` seconds."""
        deadline = time.monotonic() + within
        for actor in self._named(None, step):
            actor.expect_none(matcher, within, step, deadline=deadline)

    def expect_only(
        self, names: Sequence[str], matcher: Matcher[Frame], timeout: float | None = None, step: str | None = None
    ) -> dict[str, Frame]:
        """``names`` must all receive a match; every other listener must not, until ``settle``
        seconds after the last of them received it."""
        received = self.expect_all(matcher, names, timeout, step)
        quiet_until = max(frame.received_at for frame in received.values()) + self.settings.settle
        for actor in self.listeners():
            if actor.name not in received:
                try:
                    actor.expect_none(matcher, self.settings.settle, step, deadline=quiet_until)
                except ExpectationFailed as failure:
                    only = " and ".join(received)
                    raise ExpectationFailed(f"Only {only} should receive {describe(matcher)}, but:\n{failure}") from None
        return received

    def unread_report(self) -> str | None:
        """The transcripts of every actor holding messages no step used, or ``None``."""
        reports = []
        for actor in self._actors.values():
            unread = actor.inbox.unused()
            if unread:
                numbers = ", ".join(f"#{frame.index}" for frame in unread)
                reports.append(f"{actor.name} has {len(unread)} unread ({numbers}):\n{actor.transcript()}")
        if not reports:
            return None
        return (
            "Strict mode (ws_strict): messages arrived that no step used. Expect them in a step, or "
            'declare them noise with "Given messages matching {...} are ignored".\n' + "\n\n".join(reports)
        )

    def _named(self, names: Sequence[str] | None, step: str | None) -> list[Actor]:
        if names is not None:
            return [self.actor(name, step) for name in names]
        listeners = self.listeners()
        if not listeners:
            raise StepInputError(f"No actor is connected, so there is no one to check{at_step(step)}.")
        return listeners

    def close_all(self) -> None:
        """Close every actor and join its reader thread. Never raises: it runs as a cleanup."""
        for actor in self._actors.values():
            try:
                actor.close()
            except Exception as exc:  # a cleanup that raises would mark the scenario as errored
                log.warning("closing %s failed: %s", actor.name, exc)
