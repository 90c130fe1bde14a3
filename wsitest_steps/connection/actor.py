"""An actor: one named websocket connection, its lifecycle, its sends and its standing rules.

Its reader thread is :mod:`~wsitest_steps.connection.reader`'s, its handshake and the failure
diagnosis :mod:`~wsitest_steps.connection.handshake`'s, and its waits come from
:class:`~wsitest_steps.connection.waiting.Receiving`.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hamcrest.core.matcher import Matcher

from ..errors import ConfigurationError, ConnectionClosedError, ConnectionFailed, ExpectationFailed, StepInputError, at_step
from ..model.events import CloseSent, Connected, Rejected, ReplyFailed, Sent
from ..model.frames import NO_VALUE, Closure, Frame, Outgoing
from ..model.kinds import Closer
from ..model.messages import Message
from ..model.wording import seconds
from ..protocols.base import Protocol, protocol_named
from ..recording.recorder import Recorder
from ..settings import Settings, check_url
from .deadline import Deadline
from .handshake import failure_text, negotiated, open_websocket
from .heartbeats import HEARTBEATS
from .inbox import Rule
from .options import ConnectOptions
from .reader import ReaderLoop
from .transport import ConnectError, SendFailed, SendTimeout
from .waiting import Receiving

if TYPE_CHECKING:  # contracts are loaded only by a run that holds messages to a document
    from ..contracts.document import Direction

log = logging.getLogger("wsitest_steps")
frames_log = logging.getLogger("wsitest_steps.frames")

# How long teardown waits for a polite close before cutting the connection. Teardown runs
# after every scenario, so it must stay short even when a server ignores close frames.
TEARDOWN_CLOSE_TIMEOUT = 1.0

#: Who sent what a protocol sends by itself (heartbeat answers, handshakes), in transcripts.
PROTOCOL_ITSELF = "the protocol"

#: Builds an automatic reply from the frame that triggered it.
Reply = Callable[[Frame], Outgoing]


class Actor(Receiving):
    """One named websocket client, as a scenario sees it.

    :meth:`connect` opens the connection in the calling thread, so a refused connection or a
    rejected handshake fails the step that connected. A daemon reader thread then appends
    every frame to :attr:`inbox` as it arrives, answers pings, runs automatic replies and
    records how the connection ends. Sends run in the caller's thread. Every blocking call is
    bounded by a deadline. What the actor does is recorded in :attr:`recorder`, which
    transcripts and reports read. ``settings`` gives the default deadlines (``ws_timeout``,
    ``ws_connect_timeout``) of calls that are not given one.
    """

    def __init__(self, name: str, recorder: Recorder | None = None, settings: Settings | None = None) -> None:
        super().__init__(name, recorder or Recorder(), settings or Settings())
        self.url: str | None = None
        self.options = ConnectOptions()
        #: The subprotocol the server chose, or ``None``.
        self.subprotocol: str | None = None
        #: The protocol spoken over the current connection (Socket.IO, GraphQL, ...), or ``None``.
        self.protocol: Protocol | None = None
        self._sslopt: dict[str, Any] = {}
        self._connect_timeout = self.settings.connect_timeout
        self._reader: ReaderLoop | None = None
        self._closing = threading.Event()
        self._sent_close: tuple[int, str] = (1000, "")
        self._release_lock = threading.Lock()
        self._released = True
        self._replies: dict[Rule, Reply] = {}
        #: Whether the server's pings are answered with pongs (``Rob does not answer pings`` turns it off).
        self.answers_pings = True
        #: Whether frames are logged as they flow (userdata ``ws_log=frames``).
        self.log_frames = self.settings.log_frames
        self._contract_url: str | None = None

    # -- connecting and closing ---------------------------------------------------------

    @property
    def connected(self) -> bool:
        """True from a successful :meth:`connect` until the connection ends."""
        return self._transport is not None and not self._released and self.inbox.closure is None

    def connect(
        self,
        url: str,
        *,
        timeout: float | None = None,
        step: str | None = None,
        options: ConnectOptions | None = None,
        sslopt: dict[str, Any] | None = None,
    ) -> None:
        """Open the websocket and start reading; raise :class:`ConnectionFailed` if that fails.

        ``timeout`` (default ``ws_connect_timeout``) bounds the TCP connect and the handshake
        together, and later bounds each send, so a server that stops reading cannot hang a step. ``options`` adds
        query parameters, headers, subprotocols, Origin and cookies. TLS certificates are
        verified unless ``sslopt`` says otherwise. Loopback addresses never go through an HTTP
        proxy configured in the environment (``NO_PROXY`` is honoured for other hosts).
        """
        self.check_not_connected(step)
        if self.ever_connected:
            # A new connection of this actor: what the ended one held is released, and its
            # frames stay in the transcript but no longer satisfy any expectation.
            self._release()
            self.inbox.new_connection()
        options = options or ConnectOptions()
        sslopt = sslopt or {}
        timeout = self.settings.connect_timeout if timeout is None else timeout
        protocol = None
        target = url
        if options.protocol is not None:
            protocol = protocol_named(options.protocol, source=f"{self.name}'s protocol")(options.opening)
            target = protocol.url(url)
            if not options.subprotocols and protocol.subprotocols:
                options = dataclasses.replace(options, subprotocols=list(protocol.subprotocols))
        self.protocol = protocol
        self._contract_url = url  # before the reader starts: the server may speak first
        self._open(options.apply_to(target), options, timeout, sslopt, step)
        self.url, self.options, self._sslopt, self._connect_timeout = url, options, sslopt, timeout
        if protocol is not None:
            self._protocol_handshake(protocol, timeout, step)
            if protocol.heartbeat_every:
                self._keep_beating(protocol, protocol.heartbeat_every)
            if protocol.server_heartbeat_every:
                self._watch_silence(protocol, protocol.server_heartbeat_every)

    def _protocol_handshake(self, protocol: Protocol, timeout: float, step: str | None) -> None:
        deadline = Deadline.after(timeout)
        self.recorder.redactor.add_secret_fields(protocol.opening_asked.payload)
        for message in protocol.opening():
            self.send_message(message, step)
        if not protocol.waits_for_acceptance:
            return
        self.inbox.wait_for(lambda frames: True if protocol.settled else None, deadline)
        where = f"{self.name} opened a websocket to {self._shown(self.url)}, but"
        closure = self.inbox.closure
        if not protocol.settled and closure is not None and closure.code in protocol.close_codes:
            # The protocol's own close code before its handshake ended: that is how it refuses.
            protocol.refuse(closure.describe(), {"code": closure.code, "reason": closure.reason})
        if protocol.refusal is not None:
            payload = protocol.refusal.payload
            shown = f" ({json.dumps(payload)})" if payload not in (None, {"message": protocol.refusal.reason}) else ""
            why = f"the server refused {protocol.title}'s handshake: {protocol.refusal.reason}{shown}"
            hint = "Check the credentials or payload the connect step sends."
        elif not protocol.settled and closure is not None:
            why = f"the connection was {closure.describe()} before {protocol.title}'s handshake ended"
            hint = f"Check that the server speaks {protocol.title} at this URL, and its logs."
        elif not protocol.settled:
            why = f"the server did not answer {protocol.title}'s handshake within {timeout:g}s (ws_connect_timeout)"
            hint = f"Check that the server speaks {protocol.title} at this URL."
        else:
            return
        self.close()
        failure = ConnectionFailed(self.recorder.redactor.text(f"{where} {why}{at_step(step)}. {hint}"))
        if protocol.refusal is not None:
            failure.refused, failure.refusal = True, protocol.refusal.payload
        raise failure

    def _keep_beating(self, protocol: Protocol, every: float) -> None:
        connection = self.inbox.connection

        def beat() -> bool:
            if self.protocol is not protocol or self.inbox.connection != connection or not self.connected:
                return False
            if protocol.answers_heartbeats:
                self.send_message(protocol.heartbeat(), PROTOCOL_ITSELF, by_rule=True)
            return True

        HEARTBEATS.every(every, beat)

    def _watch_silence(self, protocol: Protocol, promised: float) -> None:
        # A server that promised heartbeats and went quiet is gone, though its socket is open (a
        # hung process, a dead link): end the connection, so that a waiting step fails at once
        # and says why, instead of at its deadline.
        connection, reader, allowed = self.inbox.connection, self._reader, protocol.silence_allowed
        assert reader is not None and allowed is not None  # a promise of heartbeats sets a limit

        def check() -> bool:
            if self.protocol is not protocol or self.inbox.connection != connection or not self.connected:
                return False
            silent = time.monotonic() - reader.last_read
            if silent <= allowed:
                return True
            self._give_up(
                f"the server sent nothing for {silent:.1f} seconds, though its {protocol.title} heartbeats were "
                f"agreed every {seconds(promised)}; it may have hung, or the network between dropped it"
            )
            return False

        HEARTBEATS.every(max(allowed / 4, 0.05), check)

    def check_not_connected(self, step: str | None = None) -> None:
        """Raise :class:`StepInputError` if this actor holds an open connection: one connection an actor."""
        if self.connected:
            raise StepInputError(
                f"{self.name} is already connected (to {self._shown(self.url)}){at_step(step)}. Each actor holds "
                "one connection; disconnect it first, or give the second connection another actor name."
            )

    def reconnect(self, step: str | None = None) -> None:
        """Connect again to the same URL with the same options, keeping name and transcript.

        A connection that is still open is closed politely first. Frames of the earlier
        connection stay in the transcript but no longer satisfy any expectation.
        """
        if self.url is None:
            raise StepInputError(
                f"{self.name} cannot reconnect{at_step(step)}: it never connected. "
                f'Connect it first, e.g. "Given user {self.name} connects".'
            )
        if self.connected:
            self.disconnect(timeout=self._connect_timeout)
        self.connect(self.url, timeout=self._connect_timeout, step=step, options=self.options, sslopt=self._sslopt)

    def _open(self, target: str, options: ConnectOptions, timeout: float, sslopt: dict[str, Any], step: str | None) -> None:
        redactor = self.recorder.redactor
        shown_headers = [f"{name}: {redactor.header(name, value)}" for name, value in options.headers]
        for cookie in options.cookies:
            redactor.add_secret(cookie)
        shown_url = redactor.url(target)
        try:
            check_url(target, source=f"The URL {self.name} was asked to connect to,")
        except ConfigurationError as exc:
            self.recorder.add(Rejected(at=time.monotonic(), actor=self.name, step=step, url=shown_url, not_websocket=True))
            raise ConnectionFailed(redactor.text(f"{exc}{at_step(step)}")) from None
        started = time.monotonic()
        try:
            transport = open_websocket(target, options, timeout, sslopt)
        except ConnectError as error:
            failure = ConnectionFailed(redactor.text(failure_text(self.name, shown_url, error, timeout, step, options, sslopt)))
            failure.status, failure.body = error.status, error.body
            self.recorder.add(Rejected(at=started, actor=self.name, step=step, url=shown_url, status=error.status))
            raise failure from None
        self.subprotocol = transport.subprotocol
        # Stamped when the handshake began: the server may send before this thread hears the answer.
        self.recorder.add(
            Connected(
                at=started,
                actor=self.name,
                step=step,
                url=shown_url,
                connection=self.inbox.connection,
                details=negotiated(transport, options, shown_headers, target, sslopt),
            )
        )
        self._transport = transport
        self._released = False
        self._closing.clear()
        self._sent_close = (1000, "")
        self._reader = ReaderLoop(
            self.name,
            transport,
            self.inbox,
            self._closing,
            lambda: self._sent_close,
            self._delivered,
            self.protocol,
            answers_pings=lambda: self.answers_pings,
        )
        self._reader.start()

    def disconnect(self, code: int = 1000, reason: str = "", timeout: float | None = None, step: str | None = None) -> None:
        """Close politely: send a close frame, wait up to ``timeout`` (default ``ws_connect_timeout``) for the server's, release.

        Disconnecting an actor whose connection already ended just releases it.
        """
        transport = self._require_connection(step=step, doing="disconnect")
        if not (code == 1000 or (1001 <= code <= 1014 and code not in (1004, 1005, 1006)) or 3000 <= code <= 4999):
            raise StepInputError(
                f"{self.name} cannot close with code {code}{at_step(step)}: a close frame may carry 1000-1003, 1007-1014 "
                "(see RFC 6455 section 7.4) or an application code from 3000 to 4999."
            )
        if len(reason.encode("utf-8")) > 123:
            raise StepInputError(f"The close reason{at_step(step)} is longer than the 123 bytes a close frame can carry.")
        if self.inbox.closure is None and not self._released:
            self._sent_close = (code, reason)
            self._closing.set()
            self.recorder.add(CloseSent(at=time.monotonic(), actor=self.name, step=step, code=code, reason=reason))
            try:
                transport.send_close(code, reason.encode("utf-8"))
            except SendFailed as exc:  # already broken: the reader records how
                log.debug("%s: sending the close frame failed: %s", self.name, exc)
            except SendTimeout:
                log.debug("%s: the server did not take the close frame in time", self.name)
            self.inbox.wait_closed(Deadline.after(self._connect_timeout if timeout is None else timeout))
        self._release()

    def close(self) -> None:
        """Release everything this actor holds; safe to call at any time, never raises."""
        try:
            if self.connected:
                self.disconnect(code=1001, reason="scenario ended", timeout=TEARDOWN_CLOSE_TIMEOUT)
        except Exception as exc:
            log.warning("%s: closing politely failed, cutting the connection: %s", self.name, exc)
        finally:
            self._release()

    def _release(self) -> None:
        with self._release_lock:
            transport, reader = self._transport, self._reader
            if transport is None or self._released:
                return
            self._released = True
            self._closing.set()
            transport.interrupt()
            running = reader.running if reader is not None else None
            if running is not None and not running.is_current():
                if not running.wait(TEARDOWN_CLOSE_TIMEOUT + 1):
                    log.warning("%s: reader thread did not stop; it is a daemon and will not block exit", self.name)
                else:
                    # The reader holds this actor through its callbacks: without this reference
                    # back, a dropped actor and every frame it received are freed at once, not
                    # at the next garbage collection (64 MiB frames held hundreds of MB).
                    self._reader = None
            transport.close()
            code, reason = self._sent_close
            self.inbox.close(Closure(Closer.CLIENT, code, reason, time.monotonic()))

    def expect_subprotocol(self, subprotocol: str | None, step: str | None = None) -> None:
        """The server must have chosen ``subprotocol`` (``None``: no subprotocol) for this connection."""
        if self.subprotocol != subprotocol:
            chosen = f'"{self.subprotocol}"' if self.subprotocol else "none"
            wanted = f'"{subprotocol}"' if subprotocol else "none"
            offered = ", ".join(f'"{p}"' for p in self.options.subprotocols) or "none"
            raise ExpectationFailed(
                f"The server chose the subprotocol {chosen} for {self.name}'s connection, not {wanted}{at_step(step)}. "
                f"{self.name} offered: {offered}."
            )

    # -- sending --------------------------------------------------------------------------

    def send_message(self, message: Message, step: str | None = None, note: str = "", *, by_rule: bool = False) -> None:
        """Send a message of the connection's protocol, in as many frames as it takes."""
        protocol = self.protocol
        if protocol is None:
            raise StepInputError(
                f"{self.name} cannot send a {message.protocol} {message.kind}{at_step(step)}: it connected without a protocol. "
                f'Connect with one, e.g. "Given user {self.name} connects with {message.protocol}".'
            )
        frames = protocol.encode(message)
        for position, outgoing in enumerate(frames):
            self.send(outgoing, step, note, by_rule=by_rule, message=message if position == 0 else None)

    def send(
        self,
        outgoing: Outgoing,
        step: str | None = None,
        note: str = "",
        *,
        by_rule: bool = False,
        message: Message | None = None,
    ) -> None:
        """Send a text, binary or ping frame; ``note`` is added to the transcript line.

        JSON a sentence wrote (:meth:`Outgoing.written`) goes as the connection's protocol carries it.
        """
        transport = self._require_connection(step, doing="send")
        if self.protocol is not None and message is None and outgoing.plain is not NO_VALUE:
            self.send_message(self.protocol.plain(outgoing.plain, step), step, note, by_rule=by_rule)
            return
        if not by_rule:  # what the reader or the heartbeat clock sends must leave them to the next step
            self.raise_rule_failures(step)
            self.raise_contract_failures(step)
        if self.contract is not None and outgoing.kind.is_message and self._carries_data(message):
            self._check_sent(outgoing, message, step)
        closure = self.inbox.closure
        if closure is not None:
            raise ConnectionClosedError(
                f"{self.name} cannot send: its connection was {closure.describe()} "
                f"at +{closure.at - self.origin:.3f}s{at_step(step)}. {_reconnect_hint(self.name, closure)}"
            )
        try:
            transport.send(outgoing)
        except SendTimeout:
            self._give_up(f"the server did not accept data within {transport.timeout:g}s")
            raise ConnectionClosedError(
                f"{self.name} could not send{at_step(step)}: the server did not accept the data within "
                f"{transport.timeout:g}s (ws_connect_timeout). It has stopped reading from the connection."
            ) from None
        except SendFailed as exc:
            self._give_up(f"sending failed ({exc})")
            raise ConnectionClosedError(f"{self.name} could not send{at_step(step)}: the connection failed ({exc}).") from None
        self.recorder.add(
            Sent(at=time.monotonic(), actor=self.name, step=step, by_rule=by_rule, outgoing=outgoing, note=note, message=message)
        )
        if self.log_frames:
            frames_log.info("%s sent %s", self.name, self.recorder.redactor.text(outgoing.describe()))

    def _carries_data(self, message: Message | None) -> bool:
        # What an AsyncAPI document describes: plain frames, and a protocol's data messages.
        if message is None:
            return True
        kinds = self.protocol.data_kinds if self.protocol is not None else None
        return not message.control and (kinds is None or message.kind in kinds)

    def _check_sent(self, outgoing: Outgoing, message: Message | None, step: str | None) -> None:
        assert self.contract is not None
        if message is not None:
            value = message.payload
        elif outgoing.plain is not NO_VALUE:
            value = outgoing.plain
        elif isinstance(outgoing.payload, str):
            try:
                value = json.loads(outgoing.payload)
            except ValueError:
                value = outgoing.payload
        else:
            return  # binary: no JSON Schema to hold it to
        violation = self._violation("sends", value, message)
        if violation is not None:
            self.contract_violations.append(f"{self.name}: {violation}")
            raise ExpectationFailed(
                self.recorder.redactor.text(
                    f"{self.name} did not send its message{at_step(step)}: {violation} "
                    "Send what the document allows, or correct the document."
                )
            )

    def _violation(self, direction: Direction, value: Any, message: Message | None) -> str | None:
        # How the message breaks the contract, in words, or None: a protocol's channel, name and headers count.
        assert self.contract is not None
        violation = self.contract.check(
            direction,
            value,
            url=self._contract_url,
            channel=message.channel if message is not None else None,
            name=message.name if message is not None else None,
            headers=dict(message.headers) if message is not None and message.headers else None,
        )
        return violation.describe() if violation is not None else None

    def _vet(self, frame: Frame) -> None:
        # Before a waiting step can take the frame, so that the step that receives it hears what was wrong with it.
        if self.contract is not None and frame.is_message and self._carries_data(frame.message):
            self._check_received(frame)

    def _check_received(self, frame: Frame) -> None:
        from ..contracts.conformance import frame_value  # only ever with a contract set

        value = frame_value(frame)
        if value is NO_VALUE:
            return
        violation = self._violation("receives", value, frame.message)
        if violation is not None:
            text = f"#{frame.index}: {violation}"
            self.contract_violations.append(f"{self.name} {text}")
            self._contract_pending.append(text)

    def _give_up(self, why: str) -> None:
        # A connection that cannot take a frame is of no more use: it ends here, by this actor,
        # so transcripts and later steps say so instead of calling it open.
        self.inbox.close(Closure(Closer.CLIENT, None, f"{self.name} gave up the connection: {why}", time.monotonic()))
        self._release()

    def send_after(self, delay: float, outgoing: Outgoing, step: str | None = None) -> None:
        """Send ``outgoing`` once ``delay`` seconds have passed since this call.

        Waits on the clock, not in a sleep loop that can overrun; fails at once if the
        connection closes meanwhile.
        """
        self._require_connection(step, doing="send")
        start = time.monotonic()
        closure = self.inbox.wait_closed(Deadline(start + delay))
        if closure is not None:
            raise ConnectionClosedError(
                f"{self.name} was to send after {delay:g}s, but its connection was {closure.describe()} "
                f"{max(0.0, closure.at - start):.3f}s into the wait{at_step(step)}. {_reconnect_hint(self.name, closure)}"
            )
        self.send(outgoing, step, note=f" (after {time.monotonic() - start:.3f}s; the step asked for {delay:g}s)")

    def send_json(self, value: Any, step: str | None = None) -> None:
        """Send ``value`` encoded as JSON in a text frame."""
        self.send(Outgoing.json(value), step)

    def send_text(self, text: str, step: str | None = None) -> None:
        """Send a text frame."""
        self.send(Outgoing.text(text), step)

    def send_bytes(self, data: bytes, step: str | None = None) -> None:
        """Send a binary frame."""
        self.send(Outgoing.binary(data), step)

    def ping(self, payload: bytes = b"", step: str | None = None) -> None:
        """Send a ping; the server's pong arrives in the inbox as a ``pong`` frame."""
        self.send(Outgoing.ping(payload), step)

    # -- standing rules -------------------------------------------------------------------

    def ignore(self, matcher: Matcher[Frame], rule: str) -> None:
        """From now on, and for messages not yet read, treat what ``matcher`` accepts as noise."""
        self.inbox.add_rule(Rule(matcher.matches, rule))

    def answer(self, matcher: Matcher[Frame], label: str, reply: Reply) -> None:
        """From now on, and for messages not yet read, answer what ``matcher`` accepts with ``reply(frame)``.

        The reader thread sends the answer the moment the message arrives. The answered
        message counts as used by the rule ``label``. If building or sending an answer fails,
        the next step on this actor fails with the reason.
        """
        rule = Rule(matcher.matches, label, answers=True)
        self._replies[rule] = reply
        for frame in self.inbox.add_rule(rule):
            self._answer(rule, frame)

    def _answer(self, rule: Rule, frame: Frame) -> None:
        try:
            outgoing = self._replies[rule](frame)
            self.send(outgoing, rule.label, note=f" (answering #{frame.index})", by_rule=True)
        except Exception as exc:  # in the reader thread: report through the next step instead
            text = str(exc) if isinstance(exc, AssertionError) else f"{type(exc).__name__}: {exc}"
            self._rule_failures.append(f"{rule.label} could not answer #{frame.index}: {text}")
            self.recorder.add(ReplyFailed(at=time.monotonic(), actor=self.name, step=rule.label, by_rule=True, index=frame.index))

    def _delivered(self, frame: Frame, rule: Rule | None, replies: tuple[Message, ...] = ()) -> None:
        # In the reader thread, for every frame it put in the inbox.
        if self.log_frames:
            frames_log.info(
                "%s received #%d %s: %s", self.name, frame.index, frame.kind, self.recorder.redactor.text(frame.describe())
            )
        for reply in replies:
            try:
                self.send_message(reply, PROTOCOL_ITSELF, by_rule=True)
            except Exception as exc:  # in the reader thread: the connection is ending, and its closure says why
                log.debug("%s: the protocol's reply failed: %s", self.name, exc)
        if rule is not None:
            self._answer(rule, frame)

    def _shown(self, url: str | None) -> str:
        return self.recorder.redactor.url(url) if url else "nothing"


def _reconnect_hint(name: str, closure: Closure) -> str:
    if closure.by is Closer.CLIENT:
        return f'It disconnected earlier in the scenario; reconnect it first ("When {name} reconnects"), or use another actor.'
    return f'Check the server\'s logs for why it closed the connection; "When {name} reconnects" opens a new one.'
