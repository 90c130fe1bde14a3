"""An actor's reader thread: every frame into the inbox, pings answered, the closing handshake, how it ended."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

from ..model.frames import Closure, Frame
from ..model.kinds import Closer, FrameKind
from ..model.messages import Message
from ..model.wording import exception_text
from ..protocols.base import Protocol
from ..protocols.base import ProtocolViolation as ProtocolBroken
from . import threads
from .inbox import Inbox, Rule
from .transport import CloseReceived, ProtocolViolation, ReadTimeout, Transport

_yield = getattr(os, "sched_yield", None)  # not on Windows

#: Called in the reader thread for each frame put in the inbox, with the answering rule that
#: claimed it and the replies its protocol sends at once.
Delivered = Callable[[Frame, "Rule | None", "tuple[Message, ...]"], None]


class ReaderLoop:
    """Reads one connection until it ends, in a daemon thread of its own (from :mod:`.threads`).

    ``closing`` is set once this actor has begun closing (a close frame sent, or teardown), and
    ``sent_close`` gives the code and reason it sent: a connection that then ends, however it
    ends, was closed by this actor.
    """

    def __init__(
        self,
        name: str,
        transport: Transport,
        inbox: Inbox,
        closing: threading.Event,
        sent_close: Callable[[], tuple[int, str]],
        delivered: Delivered,
        protocol: Protocol | None = None,
        answers_pings: Callable[[], bool] = lambda: True,
    ) -> None:
        self.name = name
        self._transport = transport
        self._inbox = inbox
        self._closing = closing
        self._sent_close = sent_close
        self._delivered = delivered
        self._protocol = protocol
        self._answers_pings = answers_pings
        self.running: threads.Running | None = None
        #: When the last frame was read (``time.monotonic()``), or the loop was made: how long the server has been silent.
        self.last_read = time.monotonic()

    def start(self) -> None:
        self.running = threads.start(self.run, f"wsitest-reader-{self.name}")

    def run(self) -> None:
        transport = self._transport
        try:
            while True:
                try:
                    item = transport.receive()
                except ReadTimeout:
                    continue  # the socket timeout bounds sends; silence on the read side is fine
                self.last_read = time.monotonic()
                if isinstance(item, CloseReceived):
                    self._on_close_frame(item.data)
                    return
                if item.kind is FrameKind.PING and isinstance(item.payload, bytes) and self._answers_pings():
                    transport.pong(item.payload)
                if self._protocol is None or not item.kind.is_message:
                    self._record(item.kind, item.payload)
                else:
                    for decoded in self._protocol.receive(item.kind, item.payload):
                        self._record(item.kind, item.payload, decoded.message, tuple(decoded.replies))
                        if decoded.ends is not None:
                            self._ended_by_protocol(decoded.ends)
        except ProtocolViolation as violation:
            self._abort(violation.code, violation.why)
        except ProtocolBroken as broken:
            assert self._protocol is not None
            self._abort(1002, f"the server broke the {self._protocol.title} protocol: {broken}")
        except Exception as exc:  # the reader must record every end, never die silently
            if self._closing.is_set():
                code, reason = self._sent_close()
                self._inbox.close(Closure(Closer.CLIENT, code, reason, time.monotonic()))
            else:
                self._inbox.close(Closure(Closer.NETWORK, None, exception_text(exc), time.monotonic()))

    def _record(
        self, kind: FrameKind, payload: str | bytes, message: Message | None = None, replies: tuple[Message, ...] = ()
    ) -> None:
        frame, rule = self._inbox.put(kind, payload, message)
        if self._inbox.waiters and _yield is not None and not self._transport.has_more():
            # Hand the interpreter to the step just woken instead of running on to the next
            # read: the waiting step resumes tens of microseconds sooner (docs/benchmarks.md).
            # Not while more frames are already read: the step then takes them in one go, where a
            # hand-over per frame doubled the time a flood takes.
            _yield()
        self._delivered(frame, rule, replies)

    def _on_close_frame(self, data: bytes) -> None:
        now = time.monotonic()
        if self._closing.is_set():
            code, reason = self._sent_close()
            self._inbox.close(Closure(Closer.CLIENT, code, reason, now))
            return
        received, text = parse_close_payload(data)
        meaning = self._protocol.close_codes.get(received) if self._protocol is not None and received is not None else None
        reply = received if received is not None and received not in (1005, 1006, 1015) else 1000
        self._close_then_record(reply, Closure(Closer.SERVER, received, text, now, meaning))

    def _ended_by_protocol(self, why: str) -> None:
        # The session is over though the websocket is open: close it as a client of the protocol
        # does, and record the end as the server's, which it was. Reading goes on to the close reply.
        self._closing.set()
        self._close_then_record(1000, Closure(Closer.SERVER, None, why, time.monotonic()))

    def _abort(self, code: int, why: str) -> None:
        self._close_then_record(code, Closure(Closer.CLIENT, code, f"{self.name} closed the connection: {why}", time.monotonic()))

    def _close_then_record(self, code: int, closure: Closure) -> None:
        # Send first, record after: recording wakes the waiting step, which may end the
        # connection at once, and a close frame not yet sent then never goes (an unclean close).
        try:
            self._transport.send_close(code)
        except Exception:  # the other side may be gone already: how the connection ended is what counts
            pass
        self._inbox.close(closure)


def parse_close_payload(data: bytes) -> tuple[int | None, str]:
    """The code and reason of a close frame's payload; ``(None, "")`` when it carries no code."""
    if len(data) < 2:
        return None, ""
    return int.from_bytes(data[:2], "big"), bytes(data[2:]).decode("utf-8", "replace")
