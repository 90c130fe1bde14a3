"""What an actor can wait for, and the reports it gives when the wait fails.

Every method waits on the actor's :class:`~wsitest_steps.inbox.Inbox` until a wall-clock
deadline (``time.monotonic()``), wakes the moment a frame arrives, and fails at once when the
connection ends. Failures are :class:`~wsitest_steps.errors.ExpectationFailed` whose text is
the whole report: what was expected, for how long, and the actor's transcript.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from hamcrest.core.matcher import Matcher

from ..errors import ConnectionClosedError, ExpectationFailed, StepInputError, at_step
from ..matching.describe import describe, mismatch
from ..matching.frames import ControlFrame
from ..model.frames import Closure, Frame
from ..model.kinds import Closer, FrameKind
from ..model.wording import plural, seconds
from ..recording.recorder import Recorder
from ..recording.transcript import transcript
from ..settings import Settings
from .deadline import Deadline
from .inbox import Inbox
from .transport import Transport

if TYPE_CHECKING:  # contracts are loaded only by a run that holds messages to a document
    from ..contracts.conformance import Contract

Failure = TypeVar("Failure", bound=ExpectationFailed)


class Receiving:
    """What every actor holds, and the waits it offers: the base of :class:`~wsitest_steps.connection.actor.Actor`.

    ``settings`` gives the default deadline (``ws_timeout``), settle time and late window of every
    wait that is not given one.
    """

    def __init__(self, name: str, recorder: Recorder, settings: Settings) -> None:
        self.name = name
        self.recorder = recorder
        self.settings = settings
        #: ``time.monotonic()`` that transcript times are relative to (the scenario's start).
        self.origin = recorder.origin
        self.inbox = Inbox()
        #: The frame most recently used by a step of this actor: "that message" in a step.
        self.last_received: Frame | None = None
        self._transport: Transport | None = None
        self._rule_failures: list[str] = []
        self._contract: Contract | None = None
        #: Every message of this actor that broke the contract, as words; and those no step has reported yet.
        self.contract_violations: list[str] = []
        self._contract_pending: list[str] = []

    @property
    def ever_connected(self) -> bool:
        return self._transport is not None

    def _require_connection(self, step: str | None, doing: str) -> Transport:
        if self._transport is None:
            raise ConnectionClosedError(
                f"{self.name} cannot {doing}{at_step(step)}: {self.name} never connected. "
                f'Connect first, e.g. "Given user {self.name} connects".'
            )
        return self._transport

    def raise_rule_failures(self, step: str | None = None) -> None:
        """Raise :class:`ExpectationFailed` if an automatic reply failed since the last check."""
        if self._rule_failures:
            failures, self._rule_failures = self._rule_failures, []
            raise ExpectationFailed(
                self.recorder.redactor.text(
                    f"An automatic reply of {self.name} failed before this step{at_step(step)}:\n  " + "\n  ".join(failures)
                )
            )

    @property
    def contract(self) -> Contract | None:
        """The AsyncAPI document every message is held to, if the scenario has one."""
        return self._contract

    @contract.setter
    def contract(self, contract: Contract | None) -> None:
        self._contract = contract
        # Only then does the inbox look at each frame on its way in: without a document, no cost per frame.
        self.inbox.vet = self._vet if contract is not None else None

    def _vet(self, frame: Frame) -> None:
        """Check ``frame`` against the contract, in the reader thread, before any waiter sees it."""

    def settle_contract_failures(self) -> None:
        """Count the contract failures not yet reported as reported: a report of all of them is being made."""
        self._contract_pending = []

    def raise_contract_failures(self, step: str | None = None) -> None:
        """Raise :class:`ExpectationFailed` if a message received since the last check broke the contract."""
        if self._contract_pending:
            pending, self._contract_pending = self._contract_pending, []
            head = (
                f"{self.name} received {'a message' if len(pending) == 1 else 'messages'} that the AsyncAPI document "
                f"does not allow{at_step(step)}:\n  " + "\n  ".join(pending) + "\nEither the server or the document is wrong."
            )
            raise self._failure(ExpectationFailed, head, None, None)

    def _begin(self, step: str | None) -> float:
        self._require_connection(step, doing="receive")
        self.raise_rule_failures(step)
        self.raise_contract_failures(step)
        return time.monotonic()

    def _timeout(self, timeout: float | None) -> float:
        return self.settings.timeout if timeout is None else timeout

    def _took(self, frame: Frame, step: str | None) -> Frame:
        self.last_received = frame
        self.raise_contract_failures(step)  # the message the step waited for may be the one that broke it
        return frame

    # -- one message ----------------------------------------------------------------------

    def expect(
        self,
        matcher: Matcher[Frame],
        timeout: float | None = None,
        step: str | None = None,
        *,
        deadline: Deadline | None = None,
        late_window: float | None = None,
    ) -> Frame:
        """Wait for, mark as used and return the oldest unread frame that ``matcher`` accepts.

        Frames already in the inbox count. Waits until ``deadline`` (shared by several actors),
        else for ``timeout`` seconds (default ``ws_timeout``). Raises
        :class:`ExpectationFailed` when time runs out, and :class:`ConnectionClosedError` as soon
        as the connection ends with no matching frame; both list every frame this actor received,
        the closest first. After a timeout it keeps listening ``late_window`` seconds more (by
        default as ``ws_late_window`` says), only to report whether a matching frame arrived late.
        """
        start = self._begin(step)
        timeout = self._timeout(timeout)
        if late_window is None:
            late_window = self.settings.late_window_for(timeout)
        shared = deadline is not None
        if deadline is None:
            deadline = Deadline(start + timeout)
        frame = self.inbox.take(matcher.matches, deadline, used_by=step or describe(matcher))
        if frame is not None:
            return self._took(frame, step)
        what = describe(matcher)
        self._fail_if_closed(start, deadline, timeout, what, step, matcher)
        used = next((f for f in self.inbox.frames() if f.is_message and f.used_by is not None and matcher.matches(f)), None)
        if used is not None:
            # Waiting 0.000s would be true but beside the point: the message came, and was spent.
            head = (
                f"{self.name} did not receive {what} within {seconds(timeout)}, other than #{used.index}, which had "
                f"been used already, by the step: {used.used_by}. A message satisfies one step only."
            )
        elif shared:
            head = f"{self.name} did not receive {what} within {seconds(timeout)} (one deadline for every actor of the step)."
        else:
            head = (
                f"{self.name} did not receive {what} within {seconds(timeout)} "
                f"(waited {time.monotonic() - start:.3f}s; the deadline comes from ws_timeout or "
                '"within N seconds" in the step).'
            )
        raise self._failure(ExpectationFailed, head, step, matcher, self._late_arrival(matcher, deadline, late_window))

    def _fail_if_closed(
        self, start: float, deadline: Deadline, timeout: float, what: str, step: str | None, matcher: Matcher[Frame] | None
    ) -> None:
        closure = self.inbox.closure
        if closure is None or closure.at > deadline.at:
            return
        if closure.at <= start:
            head = (
                f"{self.name} cannot receive {what}: its connection was {closure.describe()} "
                f"at +{closure.at - self.origin:.3f}s, before this step, and nothing it received "
                "before that matches."
            )
        else:
            head = (
                f"{self.name}'s connection was {closure.describe()} after {closure.at - start:.3f}s "
                f"of waiting for {what}; the step failed at once instead of waiting out its "
                f"{timeout:g}-second deadline."
            )
        raise self._failure(ConnectionClosedError, head, step, matcher)

    def _late_arrival(self, matcher: Matcher[Frame], deadline: Deadline, window: float) -> str | None:
        if window <= 0:
            return None
        late = self.inbox.find(matcher.matches, Deadline(deadline.at + window))
        if late is not None:
            return (
                f"A matching frame, #{late.index}, arrived {late.received_at - deadline.at:.3f}s after the "
                "deadline: the system is slow rather than wrong. If that delay is acceptable, give the "
                'step more time ("within N seconds" or ws_timeout).'
            )
        return f"Nothing matching arrived in the {window:g}s after the deadline either (ws_late_window)."

    def expect_none(
        self, matcher: Matcher[Frame], within: float, step: str | None = None, *, deadline: Deadline | None = None
    ) -> None:
        """Pass only if no unread frame that ``matcher`` accepts is received for ``within`` seconds.

        ``deadline`` replaces ``within`` when several actors share one window. Fails at once when such a frame is (or already was) received, and when the
        connection ends during the window: a closed connection receives nothing, which proves nothing.
        """
        start = self._begin(step)
        if deadline is None:
            deadline = Deadline(start + within)
        frame = self.inbox.find(matcher.matches, deadline)
        what = describe(matcher)
        if frame is not None:
            head = f"{self.name} received {what}, which the step forbids: frame #{frame.index}, " + (
                f"which was waiting already when the step began (it arrived at +{frame.received_at - self.origin:.3f}s)."
                if frame.received_at <= start
                else f"{frame.received_at - start:.3f}s into the step's {within:g}-second window."
            )
            raise self._failure(ExpectationFailed, head, step, None)
        closure = self.inbox.closure
        if closure is not None and closure.at <= deadline.at:
            head = (
                f"{self.name}'s connection was {closure.describe()} during the {within:g}-second window "
                f"in which it must not receive {what}. A closed connection receives nothing, so this "
                "proves nothing: check for the absence while the connection is open."
            )
            raise self._failure(ConnectionClosedError, head, step, None)

    def expect_next(self, matcher: Matcher[Frame], timeout: float | None = None, step: str | None = None) -> Frame:
        """The oldest unread message (waiting up to ``timeout`` for one) must match ``matcher``.

        Unlike :meth:`expect`, nothing may come before it: control frames (pings, pongs) and
        ignored noise aside, the first message no step used is the one checked.
        """
        start = self._begin(step)
        timeout = self._timeout(timeout)
        deadline = Deadline(start + timeout)
        frame = self.inbox.wait_for(lambda frames: next((f for f in frames if f.is_message), None), deadline)
        what = describe(matcher)
        if frame is None:
            self._fail_if_closed(start, deadline, timeout, f"a next message, {what}", step, None)
            head = f"{self.name} received no further message within {seconds(timeout)}; the step expected {what}."
            raise self._failure(ExpectationFailed, head, step, None)
        if not matcher.matches(frame):
            head = (
                f"The next message {self.name} received, #{frame.index}, is not {what}: "
                f"{mismatch(matcher, frame)}. The step requires it to be the very next one."
            )
            raise self._failure(ExpectationFailed, head, step, matcher)
        if not self.inbox.claim([frame], step or what):
            raise ExpectationFailed(f"Frame #{frame.index} of {self.name} was used by another step meanwhile{at_step(step)}.")
        return self._took(frame, step)

    def expect_quiet(self, within: float, step: str | None = None) -> None:
        """No message that no step used may be waiting or arrive for ``within`` seconds.

        Ignored noise, and pings and pongs, do not count.
        """
        start = self._begin(step)
        frame = self.inbox.find(lambda f: f.is_message, Deadline(start + within))
        if frame is not None:
            when = "was already waiting" if frame.received_at <= start else f"arrived after {frame.received_at - start:.3f}s"
            head = (
                f"{self.name} was to receive no further messages for {seconds(within)}, but #{frame.index} {when}: "
                f"{frame.describe()}"
            )
            raise self._failure(ExpectationFailed, head, step, None)
        closure = self.inbox.closure
        if closure is not None and closure.at <= start + within:
            head = (
                f"{self.name}'s connection was {closure.describe()} during the {within:g}-second quiet period. "
                "A closed connection receives nothing, so this proves nothing."
            )
            raise self._failure(ConnectionClosedError, head, step, None)

    # -- several messages -----------------------------------------------------------------

    def expect_in_order(
        self, matchers: Sequence[Matcher[Frame]], timeout: float | None = None, step: str | None = None
    ) -> list[Frame]:
        """Each matcher must match a distinct unread message, each arriving after the previous one.

        Other messages may come in between (use :meth:`expect_next` to forbid that). One
        deadline covers them all. On failure, the report says how far the sequence got.
        """
        start = self._begin(step)
        timeout = self._timeout(timeout)
        deadline = Deadline(start + timeout)

        def select(frames: list[Frame]) -> list[Frame] | None:
            found = _in_order(matchers, frames)
            return found if len(found) == len(matchers) else None

        return self._take_set(select, matchers, start, deadline, timeout, step, _in_order, "in this order")

    def expect_all_of(
        self, matchers: Sequence[Matcher[Frame]], timeout: float | None = None, step: str | None = None
    ) -> list[Frame]:
        """Each matcher must match a distinct unread message, in any order, before one deadline.

        Frames are assigned by maximum bipartite matching, so a loose expectation never steals
        the only frame a stricter one could use.
        """
        start = self._begin(step)
        timeout = self._timeout(timeout)
        deadline = Deadline(start + timeout)

        def select(frames: list[Frame]) -> list[Frame] | None:
            found = [f for f in _any_order(matchers, frames) if f is not None]
            return found if len(found) == len(matchers) else None

        return self._take_set(select, matchers, start, deadline, timeout, step, _any_order, "in any order")

    def _take_set(
        self,
        select: Callable[[list[Frame]], list[Frame] | None],
        matchers: Sequence[Matcher[Frame]],
        start: float,
        deadline: Deadline,
        timeout: float,
        step: str | None,
        partial: Callable[[Sequence[Matcher[Frame]], list[Frame]], Sequence[Frame | None]],
        how: str,
    ) -> list[Frame]:
        label = step or f"{len(matchers)} messages {how}"
        while True:
            found = self.inbox.wait_for(select, deadline)
            if found is None:
                break
            if self.inbox.claim(found, label):
                if found:
                    self.last_received = max(found, key=lambda f: f.received_at)
                return found
        frames = [f for f in self.inbox.frames() if f.unread and f.is_message and f.received_at <= deadline.at]
        got = partial(matchers, frames)
        # Which messages arrived at all, in any order: an in-order wait that fails may have them
        # all, only not in the order the step lists.
        anywhere = _any_order(matchers, frames)
        lines, missing, out_of_order = [], 0, 0
        for i, matcher in enumerate(matchers):
            frame = got[i] if i < len(got) else None
            if frame is not None:
                status = f"arrived as #{frame.index} at +{frame.received_at - self.origin:.3f}s"
            elif anywhere[i] is not None:
                late = anywhere[i]
                assert late is not None
                status = f"arrived as #{late.index} at +{late.received_at - self.origin:.3f}s: out of order"
                out_of_order += 1
            else:
                status = "NOT received"
                missing += 1
            lines.append(f"  {i + 1}. {describe(matcher)}: {status}")
        self._fail_if_closed(start, deadline, timeout, f"{len(matchers)} messages {how}", step, None)
        if missing:
            summary = f"{missing} of them missing" + (f", {out_of_order} out of order" if out_of_order else "")
            head = f"{self.name} did not receive {plural(len(matchers), 'message')} {how} within {seconds(timeout)}: {summary}."
        else:
            head = (
                f"{self.name} received the {plural(len(matchers), 'message')}, but out of order: the step expects each "
                f"after the one before it ({out_of_order} arrived too early)."
            )
        raise self._failure(ExpectationFailed, head + "\n" + "\n".join(lines), step, None)

    def expect_count(
        self, count: int, matcher: Matcher[Frame], within: float | None = None, step: str | None = None
    ) -> list[Frame]:
        """Exactly ``count`` unread messages must match ``matcher``.

        With ``within``, the whole window is watched. Without, the wait ends ``ws_settle`` seconds
        after the ``count``-th match (or at ``ws_timeout`` if fewer come), to catch one too many.
        Fails as soon as one too many has arrived.
        """
        start = self._begin(step)
        settle, timeout = self.settings.settle, self.settings.timeout
        what = describe(matcher)

        def matching(frames: list[Frame], until: float) -> list[Frame]:
            return [f for f in frames if f.is_message and f.received_at <= until and matcher.matches(f)]

        def at_least(n: int, until: float) -> Callable[[list[Frame]], list[Frame] | None]:
            def select(frames: list[Frame]) -> list[Frame] | None:
                found = matching(frames, until)
                return found if len(found) >= n else None

            return select

        if within is not None:
            end = start + within
        elif count == 0:
            end = start + settle
        else:
            reached = self.inbox.wait_for(at_least(count, start + timeout), Deadline(start + timeout))
            end = start + timeout if reached is None else reached[count - 1].received_at + settle
        too_many = self.inbox.wait_for(at_least(count + 1, end), Deadline(end))
        if too_many is not None:
            numbers = ", ".join(f"#{f.index}" for f in too_many)
            head = f"{self.name} received more than {count} of {what}: {len(too_many)} so far ({numbers})."
            raise self._failure(ExpectationFailed, head, step, None)
        found = matching([f for f in self.inbox.frames() if f.unread], end)
        if len(found) != count:
            self._fail_if_closed(start, Deadline(end), end - start, f"{count} of {what}", step, None)
            numbers = ", ".join(f"#{f.index}" for f in found) or "none"
            head = (
                f"{self.name} received {len(found)} of {what} within {end - start:.3f}s ({numbers}); "
                f"the step expects exactly {count}."
            )
            raise self._failure(ExpectationFailed, head, step, matcher)
        if found and not self.inbox.claim(found, step or f"exactly {count} of {what}"):
            raise ExpectationFailed(f"A frame of {self.name} was used by another step meanwhile{at_step(step)}.")
        if found:
            self.last_received = found[-1]
        return found

    # -- the connection's end -------------------------------------------------------------

    def expect_closed(
        self, code: int | None = None, reason: str | None = None, timeout: float | None = None, step: str | None = None
    ) -> Closure:
        """The server must close the connection within ``timeout``, with ``code`` and ``reason`` if given.

        Code 1006 (abnormal closure) means the connection was lost without a close frame.
        """
        self._require_connection(step, doing="be closed")
        timeout = self._timeout(timeout)
        closure = self.inbox.wait_closed(Deadline.after(timeout))
        wanted = (
            "closed by the server"
            + (f" with code {code}" if code is not None else "")
            + (f', reason "{reason}"' if reason is not None else "")
        )
        if closure is None:
            head = f"{self.name}'s connection was not {wanted} within {seconds(timeout)}: it is still open."
            raise self._failure(ExpectationFailed, head, step, None)
        lost = closure.by is Closer.NETWORK
        if closure.by is Closer.CLIENT or (lost and code != 1006):
            head = f"{self.name}'s connection was {closure.describe()}, not {wanted}."
            raise self._failure(ExpectationFailed, head, step, None)
        if (code is not None and not lost and closure.code != code) or (reason is not None and closure.reason != reason):
            head = f"{self.name}'s connection was {closure.describe()}; the step expects it {wanted}."
            raise self._failure(ExpectationFailed, head, step, None)
        return closure

    def expect_ended(self, timeout: float | None = None, step: str | None = None) -> Closure:
        """The connection must end within ``timeout`` from the server's side: by a close frame or not."""
        self._require_connection(step, doing="end")
        timeout = self._timeout(timeout)
        closure = self.inbox.wait_closed(Deadline.after(timeout))
        if closure is None:
            head = f"{self.name}'s connection did not end within {seconds(timeout)}: it is still open."
            raise self._failure(ExpectationFailed, head, step, None)
        if closure.by is Closer.CLIENT:
            head = f"{self.name}'s connection was {closure.describe()}: it ended from this side, not the server's."
            raise self._failure(ExpectationFailed, head, step, None)
        return closure

    def expect_control(self, kind: FrameKind, payload: bytes | None, timeout: float, step: str | None = None) -> Frame:
        """Wait for a ``ping`` or ``pong`` control frame (with ``payload``, if given)."""
        start = self._begin(step)
        deadline = Deadline(start + timeout)
        matcher = ControlFrame(kind, payload)
        what = describe(matcher)
        frame = self.inbox.take(matcher.matches, deadline, used_by=step or what)
        if frame is not None:
            return frame
        self._fail_if_closed(start, deadline, timeout, what, step, None)
        source = "from the server" if kind is FrameKind.PING else "answering its ping"
        head = f"{self.name} did not receive {what} {source} within {seconds(timeout)}."
        raise self._failure(ExpectationFailed, head, step, None)

    # -- unread messages and reports ------------------------------------------------------

    def check_no_unread(self, step: str | None = None) -> None:
        """Raise :class:`ExpectationFailed` listing every message no step used and no rule claimed."""
        unread = self.inbox.unused()
        if unread:
            count = plural(len(unread), "message")
            numbers = ", ".join(f"#{frame.index}" for frame in unread)
            head = f"{self.name} has {count} that no step used ({numbers}); the step expects none."
            raise self._failure(ExpectationFailed, head, step, None)

    def require_last_received(self, step: str | None = None) -> Frame:
        """The frame "that message" refers to: the one this actor's last receiving step used."""
        if self.last_received is None:
            raise StepInputError(
                f"{self.name} has not received a message through a step yet{at_step(step)}, so there is no "
                f'"that message" to read from. Expect the message first, e.g. "Then {self.name} receives {{...}}".'
            )
        return self.last_received

    def _failure(
        self, kind: type[Failure], head: str, step: str | None, matcher: Matcher[Frame] | None, late: str | None = None
    ) -> Failure:
        """``kind`` of error whose text is the whole report: ``head``, the step, and this actor's transcript."""
        return kind(self._report(head, step, matcher, late), transcripts=(self.name,))

    def _report(self, head: str, step: str | None, matcher: Matcher[Frame] | None, late: str | None = None) -> str:
        self.raise_rule_failures(step)  # the likelier cause: report it instead
        lines = [head]
        if late:
            lines.append(late)
        if step:
            lines.append(f"Step: {step}")
        lines.append(self.transcript(matcher))
        return self.recorder.redactor.text("\n".join(lines))

    def transcript(self, matcher: Matcher[Frame] | None = None) -> str:
        """Everything this actor did and received so far, as failure reports show it."""
        return transcript(
            self.name,
            self.inbox.frames(),
            self.inbox.closure,
            self.origin,
            matcher,
            events=self.recorder.events(self.name),
            closures=self.inbox.closures,
            redactor=self.recorder.redactor,
        )


def _in_order(matchers: Sequence[Matcher[Frame]], frames: list[Frame]) -> list[Frame]:
    """The longest prefix of ``matchers`` matched, in order, by distinct message frames."""
    found: list[Frame] = []
    position = 0
    for matcher in matchers:
        for i in range(position, len(frames)):
            if frames[i].is_message and matcher.matches(frames[i]):
                found.append(frames[i])
                position = i + 1
                break
        else:
            break
    return found


def _any_order(matchers: Sequence[Matcher[Frame]], frames: list[Frame]) -> list[Frame | None]:
    """A maximum matching of matchers to distinct frames (Kuhn's augmenting paths); ``None`` where unmatched."""
    candidates = [[j for j, f in enumerate(frames) if f.is_message and m.matches(f)] for m in matchers]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(matchers)):
        augment(i, set())
    result: list[Frame | None] = [None] * len(matchers)
    for j, i in owner.items():
        result[i] = frames[j]
    return result
