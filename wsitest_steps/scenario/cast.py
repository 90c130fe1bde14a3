"""The cast of a scenario: its actors by name, and the settings they share."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hamcrest.core.matcher import Matcher

from ..connection.actor import Actor, Reply
from ..connection.deadline import Deadline
from ..connection.options import ConnectOptions
from ..errors import ConnectionFailed, ExpectationFailed, StepInputError, UnknownActor, at_step
from ..language.variables import Variables
from ..matching.describe import describe
from ..matching.json import shown
from ..matching.paths import compile_path, values_at
from ..model.frames import Frame
from ..model.kinds import Closer
from ..model.wording import seconds
from ..recording.recorder import Recorder
from ..recording.redaction import Redactor
from ..recording.transcript import transcript
from ..settings import Settings

if TYPE_CHECKING:  # each loaded on first use: most runs make no HTTP request and read no contract
    from ..contracts.conformance import Contract
    from ..http.client import HttpClient

log = logging.getLogger("wsitest_steps")


class Cast:
    """Every actor of one scenario, created on first use and all closed by :meth:`close_all`.

    All actors share one clock (``time.monotonic()``, shown relative to :attr:`origin`), so
    steps can relate what different actors received. Plain Python with no behave dependency,
    so custom steps and tests can drive it directly. What one actor does (send, expect, close)
    is asked of that :class:`~wsitest_steps.connection.actor.Actor`, from :meth:`actor`; the cast
    itself does what concerns several actors, or none yet.
    """

    def __init__(self, settings: Settings | None = None, userdata: Mapping[str, Any] | None = None) -> None:
        self.settings = settings or Settings()
        #: Everything the actors did, on the scenario clock, with secrets hidden.
        self.recorder = Recorder(redactor=Redactor(self.settings.secrets))
        #: The scenario clock's zero: transcript times are seconds since this.
        self.origin = self.recorder.origin
        self._actors: dict[str, Actor] = {}
        #: GraphQL subscription labels, and the actor that subscribed under each.
        self.subscriptions: dict[str, str] = {}
        self._ignore_rules: list[tuple[Matcher[Frame], str]] = []
        self._answer_rules: list[tuple[Matcher[Frame], str, Reply]] = []
        #: Set once the end-of-scenario check for unread messages has run.
        self.unread_checked = False
        #: Values remembered by steps, for ``{placeholders}`` in later steps.
        self.variables = Variables(userdata, redactor=self.recorder.redactor, actor_suffix=self.settings.actor_suffix)
        self._http: dict[str, HttpClient] = {}
        #: The AsyncAPI document every message is held to (``ws_asyncapi``, or a sentence's).
        self.contract: Contract | None = None
        if self.settings.asyncapi:
            self.use_contract(Path(self.settings.asyncapi))

    def use_contract(self, path: Path) -> Contract:
        """Hold every message of this scenario, from now on, to the AsyncAPI document at ``path``."""
        from ..contracts.loaded import contract_at

        self.contract = contract_at(path)
        for actor in self.actors:
            actor.contract = self.contract
        return self.contract

    def raise_contract_failures(self, step: str | None = None) -> None:
        """Fail if any actor received a message that broke the contract and no step has said so yet."""
        for actor in self._actors.values():
            actor.raise_contract_failures(step)

    def check_conformed(self, step: str | None = None) -> None:
        """Fail, listing them, if any message of the scenario broke the contract."""
        if self.contract is None:
            raise StepInputError(
                f"No AsyncAPI document is in use{at_step(step)}: name one first, "
                'e.g. "Given the AsyncAPI document "asyncapi.yaml"", or set ws_asyncapi.'
            )
        violations = [v for actor in self._actors.values() for v in actor.contract_violations]
        if violations:
            for actor in self._actors.values():
                actor.settle_contract_failures()  # this failure reports them all
            listed = "\n  ".join(violations[:20]) + (f"\n  ... and {len(violations) - 20} more" if len(violations) > 20 else "")
            raise ExpectationFailed(
                self.recorder.redactor.text(
                    f"{len(violations)} message(s) of this scenario broke the AsyncAPI document "
                    f"{self.contract.document.path.name}{at_step(step)}:\n  {listed}"
                ),
                transcripts=tuple(self._actors),
            )

    def _contract_url(self, name: str, endpoint: str, options: ConnectOptions | None) -> str | None:
        # A channel of the document as an endpoint, where userdata names no URL for it.
        if self.contract is None or endpoint in self.settings.endpoints:
            return None
        parameters = options.parameters if options is not None else {}
        return self.contract.endpoint_url(endpoint, self.settings.wire_name(name), self.settings.asyncapi_url, parameters)

    def connect(
        self,
        name: str,
        url: str | None = None,
        step: str | None = None,
        *,
        endpoint: str | None = None,
        options: ConnectOptions | None = None,
    ) -> Actor:
        """Connect actor ``name`` to ``url``, or to the configured URL (of ``endpoint``, if named).

        ``options`` adds query parameters, headers, subprotocols, Origin and cookies. An actor
        whose earlier connection ended connects afresh: frames of the earlier connection stay in
        its transcript but no longer satisfy anything.
        """
        actor = self._actors.get(name)
        if actor is not None:
            actor.check_not_connected(step)  # the likelier mistake: reported before a missing ws_url is
        target = url if url is not None else self._target(name, endpoint, options)
        if actor is None:
            actor = self._new_actor(name)
        try:
            actor.connect(
                target, step=step, options=self._with_defaults(options, endpoint), sslopt=self.settings.sslopt(endpoint)
            )
        finally:
            if actor.ever_connected:  # a websocket that opened, even one whose protocol refused it, has a transcript
                self._actors[name] = actor
        return actor

    def _with_defaults(self, options: ConnectOptions | None, endpoint: str | None) -> ConnectOptions:
        # What userdata says every connection to the endpoint sends, under what the step says.
        options = options or ConnectOptions()
        protocol = options.protocol or self.settings.protocol_for(endpoint)
        subprotocols = options.subprotocols or list(self.settings.subprotocols_for(endpoint))
        headers = [*self.settings.headers_for(endpoint), *options.headers]
        return dataclasses.replace(options, protocol=protocol, subprotocols=subprotocols, headers=headers)

    def prepare(self, name: str) -> Actor:
        """Actor ``name``, created (not connected) if needed, so rules can be set before it connects."""
        actor = self._actors.get(name)
        if actor is None:
            actor = self._actors[name] = self._new_actor(name)
        return actor

    def _target(self, name: str, endpoint: str | None, options: ConnectOptions | None = None) -> str:
        contract_url = self._contract_url(name, endpoint, options) if endpoint is not None else None
        return contract_url or self.settings.url_for(name, endpoint)

    def _new_actor(self, name: str) -> Actor:
        actor = Actor(name, recorder=self.recorder, settings=self.settings)
        actor.contract = self.contract
        for matcher, rule in self._ignore_rules:  # before connecting, so no early frame escapes
            actor.ignore(matcher, rule)
        for matcher, rule, reply in self._answer_rules:
            actor.answer(matcher, rule, reply)
        return actor

    def answer_everyone(self, matcher: Matcher[Frame], rule: str, reply: Reply) -> None:
        """Every actor, now and later, answers what ``matcher`` accepts with ``reply(frame)``."""
        self._answer_rules.append((matcher, rule, reply))
        for actor in self.actors:
            actor.answer(matcher, rule, reply)

    def expect_rejected(
        self,
        name: str,
        status: int,
        url: str | None = None,
        step: str | None = None,
        *,
        endpoint: str | None = None,
        options: ConnectOptions | None = None,
    ) -> ConnectionFailed:
        """Connecting as ``name`` must be rejected with HTTP ``status``; returns the failure.

        Fails if the connection succeeds (and closes it), if it is rejected with another
        status, or if it cannot be made at all (refused, TLS, timeout).
        """
        target = url if url is not None else self._target(name, endpoint, options)
        actor = self._new_actor(name)
        try:
            actor.connect(
                target, step=step, options=self._with_defaults(options, endpoint), sslopt=self.settings.sslopt(endpoint)
            )
        except ConnectionFailed as failure:
            got = failure.status
            if got == status:
                return failure
            if got is None:
                raise ExpectationFailed(
                    f"Connecting as {name} was to be rejected with HTTP {status}, but the connection could not be "
                    f"made at all, so the server's answer is unknown:\n{failure}"
                ) from None
            body = failure.body
            raise ExpectationFailed(
                self.recorder.redactor.text(
                    f"Connecting as {name} was rejected with HTTP {got}, not {status}{at_step(step)}."
                    + (f" The response body was: {body[:300].strip()}" if body else "")
                )
            ) from None
        actor.close()
        raise ExpectationFailed(
            f"Connecting as {name} to {self.recorder.redactor.url(actor.url or target)} was to be rejected with HTTP "
            f"{status}, but the server accepted the websocket handshake{at_step(step)}. The connection was closed again."
        )

    def expect_refused(
        self,
        name: str,
        payload: Matcher[Any] | None,
        step: str | None = None,
        *,
        endpoint: str | None = None,
        options: ConnectOptions | None = None,
    ) -> ConnectionFailed:
        """Connecting as ``name`` must open the websocket and then be refused by the protocol's handshake.

        ``payload``, if given, must accept what the server refused with (Socket.IO's ``{"message": ...}``).
        """
        target = self._target(name, endpoint, options)
        options = self._with_defaults(options, endpoint)
        if options.protocol is None:
            raise StepInputError(
                f"Only a protocol's handshake can be refused this way{at_step(step)}: say which, e.g. "
                f'"connecting as {name} with Socket.IO is refused", or set ws_protocol. '
                'For a rejected websocket handshake, use "... is rejected with status 401".'
            )
        actor = self._new_actor(name)
        try:
            actor.connect(target, step=step, options=options, sslopt=self.settings.sslopt(endpoint))
        except ConnectionFailed as failure:
            if not failure.refused:
                raise ExpectationFailed(
                    f"Connecting as {name} was to be refused by the protocol's handshake, but:\n{failure}"
                ) from None
            if payload is not None and not payload.matches(failure.refusal):
                raise ExpectationFailed(
                    self.recorder.redactor.text(
                        f"Connecting as {name} was refused, but not with {describe(payload)}{at_step(step)}: "
                        f"the server refused with {shown(failure.refusal)}."
                    )
                ) from None
            return failure
        actor.close()
        raise ExpectationFailed(
            f"Connecting as {name} to {self.recorder.redactor.url(actor.url or target)} was to be refused, but the server "
            f"accepted the handshake{at_step(step)}. The connection was closed again."
        )

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

    def disconnect_everyone(self, step: str | None = None) -> None:
        """Close every connected actor politely, each waiting at most ``connect_timeout`` for its server."""
        for actor in self.actors:
            if actor.connected:
                actor.disconnect(step=step)

    @property
    def actors(self) -> list[Actor]:
        """Every actor, in the order they first connected."""
        return list(self._actors.values())

    def http(self, name: str) -> HttpClient:
        """Actor ``name``'s HTTP side, created on first use; it needs no websocket connection."""
        client = self._http.get(name)
        if client is None:
            from ..http.client import HttpClient

            client = self._http[name] = HttpClient(name, self.settings.http_url, self.settings.http_timeout, self.recorder)
        return client

    def remember(self, variable: str, path: str, source: Any, what: str, step: str | None = None) -> Any:
        """Store the value at ``path`` (JSONPath) of ``source`` as ``variable``; ``what`` names the source."""
        found = values_at(compile_path(path, step), source)
        if not found:
            raise ExpectationFailed(
                self.recorder.redactor.text(
                    f"There is nothing at {path} in {what}{at_step(step)}, so nothing can be remembered as "
                    f"{variable}. It was: {shown(source, 300)}"
                )
            )
        self.variables.remember(variable, found[0])
        return found[0]

    def ignore(self, matcher: Matcher[Frame], rule: str, names: Sequence[str] | None = None) -> None:
        """Treat frames ``matcher`` accepts as noise: for ``names``, or for every actor, now and later."""
        if names is None:
            self._ignore_rules.append((matcher, rule))
            targets = self.actors
        else:
            targets = [self.prepare(name) for name in names]
        for actor in targets:
            actor.ignore(matcher, rule)

    def listeners(self) -> list[Actor]:
        """Actors that connected and have not disconnected themselves: "everyone" in a step."""
        return [
            a for a in self._actors.values() if a.ever_connected and not (a.inbox.closure and a.inbox.closure.by is Closer.CLIENT)
        ]

    def expect_all(
        self, matcher: Matcher[Frame], names: Sequence[str] | None = None, timeout: float | None = None, step: str | None = None
    ) -> dict[str, Frame]:
        """Each of ``names`` (default: every listener) must receive a match before one shared deadline.

        Waits for all of them (one deadline, not one each) and reports every actor that missed
        it, with its transcript, in one failure.
        """
        timeout = self.settings.timeout if timeout is None else timeout
        actors = self._named(names, step)
        deadline = Deadline.after(timeout)
        received: dict[str, Frame] = {}
        failures: list[tuple[str, ExpectationFailed]] = []
        for actor in actors:
            try:
                received[actor.name] = actor.expect(matcher, timeout, step, deadline=deadline, late_window=0.0)
            except ExpectationFailed as failure:
                failures.append((actor.name, failure))
        if failures:
            missing = ", ".join(name for name, _ in failures)
            got = ", ".join(received) or "none of them"
            head = (
                f"{len(failures)} of {len(actors)} actors did not receive {describe(matcher)} within "
                f"{seconds(timeout)}: {missing}. Received it: {got}.{at_step(step)}"
            )
            raise ExpectationFailed(
                "\n\n".join([head, *(str(failure) for _, failure in failures)]),
                transcripts=[name for _, failure in failures for name in failure.transcripts],
            )
        return received

    def expect_before(
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
        deadline = Deadline.after(timeout)
        one = self.actor(first, step).expect(first_matcher, timeout, step, deadline=deadline, late_window=0.0)
        two = self.actor(second, step).expect(second_matcher, timeout, step, deadline=deadline, late_window=0.0)
        if one.received_at >= two.received_at:
            raise ExpectationFailed(
                f"{second} received {describe(second_matcher)} (frame #{two.index} at "
                f"+{two.received_at - self.origin:.3f}s) before {first} received {describe(first_matcher)} "
                f"(frame #{one.index} at +{one.received_at - self.origin:.3f}s); the step expects {first}'s "
                f"first.{at_step(step)}\n{self.actor(first).transcript()}\n{self.actor(second).transcript()}",
                transcripts=(first, second),
            )
        return one, two

    def expect_nowhere(self, matcher: Matcher[Frame], within: float, step: str | None = None) -> None:
        """No listener may receive a match during one shared window of ``within`` seconds."""
        deadline = Deadline.after(within)
        for actor in self._named(None, step):
            actor.expect_none(matcher, within, step, deadline=deadline)

    def expect_only(
        self, names: Sequence[str], matcher: Matcher[Frame], timeout: float | None = None, step: str | None = None
    ) -> dict[str, Frame]:
        """``names`` must all receive a match; every other listener must not, until ``settle``
        seconds after the last of them received it."""
        received = self.expect_all(matcher, names, timeout, step)
        quiet_until = Deadline(max(frame.received_at for frame in received.values()) + self.settings.settle)
        for actor in self.listeners():
            if actor.name not in received:
                try:
                    actor.expect_none(matcher, self.settings.settle, step, deadline=quiet_until)
                except ExpectationFailed as failure:
                    only = " and ".join(received)
                    raise ExpectationFailed(
                        f"Only {only} should receive {describe(matcher)}, but:\n{failure}", transcripts=failure.transcripts
                    ) from None
        return received

    def names(self) -> list[str]:
        """Every actor that did something in the scenario (websocket or HTTP), in the order they first did."""
        names: list[str] = []
        for event in self.recorder.events():
            if event.actor not in names:
                names.append(event.actor)
        return names

    def actor_named(self, name: str) -> Actor | None:
        """The websocket actor called ``name``, if there is one (an HTTP-only actor has none)."""
        return self._actors.get(name)

    def transcript_of(self, name: str) -> str:
        """Everything ``name`` did and received, as reports show it, secrets hidden."""
        actor = self._actors.get(name)
        if actor is not None and actor.ever_connected:
            return actor.transcript()
        return transcript(
            name, [], None, self.origin, events=self.recorder.events(name), redactor=self.recorder.redactor, connected=False
        )

    def raise_rule_failures(self, step: str | None = None) -> None:
        """Fail if an automatic reply of any actor failed since the last check."""
        for actor in self._actors.values():
            actor.raise_rule_failures(step)

    def unread_failure(self) -> ExpectationFailed | None:
        """The strict-mode failure listing every actor holding messages no step used, or ``None``."""
        reports, holders = [], []
        for actor in self._actors.values():
            unread = actor.inbox.unused()
            if unread:
                numbers = ", ".join(f"#{frame.index}" for frame in unread)
                reports.append(f"{actor.name} has {len(unread)} unread ({numbers}):\n{actor.transcript()}")
                holders.append(actor.name)
        if not reports:
            return None
        return ExpectationFailed(
            "Strict mode (ws_strict): messages arrived that no step used. Expect them in a step, or "
            'declare them noise with "Given messages matching {...} are ignored".\n' + "\n\n".join(reports),
            transcripts=holders,
        )

    def _named(self, names: Sequence[str] | None, step: str | None) -> list[Actor]:
        if names is not None:
            return [self.actor(name, step) for name in names]
        listeners = self.listeners()
        if not listeners:
            raise StepInputError(f"No actor is connected, so there is no one to check{at_step(step)}.")
        return listeners

    def close_all(self) -> None:
        """Close every actor (joining its reader thread) and HTTP session. Never raises: it runs as a cleanup."""
        closeables: list[Actor | HttpClient] = [*self._actors.values(), *self._http.values()]
        for closeable in closeables:
            try:
                closeable.close()
            except Exception as exc:  # a cleanup that raises would mark the scenario as errored
                log.warning("closing %s failed: %s", getattr(closeable, "name", closeable), exc)
