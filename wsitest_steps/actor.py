"""An actor: one named websocket connection, its reader thread and its inbox."""

from __future__ import annotations

import json
import logging
import os
import socket
import ssl
import threading
import time
from typing import Any, Sequence
from urllib.parse import urlsplit

import websocket
from hamcrest.core.matcher import Matcher

from .errors import (
    ConfigurationError,
    ConnectionClosedError,
    ConnectionFailed,
    ExpectationFailed,
    StepInputError,
    at_step,
)
from .frames import Closure, Frame
from .inbox import Inbox
from .settings import DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, check_url
from .transcript import describe, transcript

log = logging.getLogger("wsitest_steps")

_ABNF = websocket.ABNF
# How long teardown waits for a polite close before cutting the connection. Teardown runs
# after every scenario, so it must stay short even when a server ignores close frames.
TEARDOWN_CLOSE_TIMEOUT = 1.0


class Actor:
    """One named websocket client, as a scenario sees it.

    :meth:`connect` opens the connection in the calling thread, so a refused connection or a
    rejected handshake fails the step that connected. A daemon reader thread then appends
    every message to :attr:`inbox` as it arrives and records how the connection ends.
    Sends run in the caller's thread. Every blocking call is bounded by a deadline.
    """

    def __init__(self, name: str, origin: float | None = None) -> None:
        self.name = name
        #: ``time.monotonic()`` that transcript times are relative to (the scenario's start).
        self.origin = time.monotonic() if origin is None else origin
        self.inbox = Inbox()
        self.url: str | None = None
        self._ws: websocket.WebSocket | None = None
        self._reader: threading.Thread | None = None
        self._closing = threading.Event()
        self._sent_close: tuple[int, str] = (1000, "")
        self._release_lock = threading.Lock()
        self._released = False

    # -- connecting and closing ---------------------------------------------------------

    @property
    def connected(self) -> bool:
        """True from a successful :meth:`connect` until the connection ends."""
        return self._ws is not None and self.inbox.closure is None

    def connect(
        self,
        url: str,
        *,
        timeout: float = DEFAULT_CONNECT_TIMEOUT,
        step: str | None = None,
        header: Sequence[str] | dict[str, str] | None = None,
        subprotocols: Sequence[str] | None = None,
        sslopt: dict[str, Any] | None = None,
    ) -> None:
        """Open the websocket and start reading; raise :class:`ConnectionFailed` if that fails.

        ``timeout`` bounds the TCP connect and the handshake together, and later bounds each
        send, so a server that stops reading cannot hang a step. TLS certificates are verified
        unless ``sslopt`` says otherwise. Loopback addresses never go through an HTTP proxy
        configured in the environment (``NO_PROXY`` is honoured for other hosts).
        """
        if self._ws is not None:
            raise StepInputError(
                f"{self.name} is already connected (to {self.url}){at_step(step)}. Each actor holds one "
                "connection; give the second connection another actor name."
            )
        try:
            check_url(url, source=f"The URL {self.name} was asked to connect to,")
        except ConfigurationError as exc:
            raise ConnectionFailed(f"{exc}{at_step(step)}") from None
        try:
            ws = websocket.create_connection(
                url,
                timeout=timeout,
                header=header,
                subprotocols=subprotocols,
                sslopt=sslopt,
                http_no_proxy=_no_proxy_hosts(),
                enable_multithread=True,
            )
        except Exception as exc:  # every way a connect can fail becomes one readable paragraph
            raise ConnectionFailed(_connect_failure(self.name, url, exc, timeout, step)) from None
        self.url = url
        self._ws = ws
        self._reader = threading.Thread(target=self._read, name=f"wsitest-reader-{self.name}", daemon=True)
        self._reader.start()

    def disconnect(self, code: int = 1000, reason: str = "", timeout: float = DEFAULT_CONNECT_TIMEOUT) -> None:
        """Close politely: send a close frame, wait up to ``timeout`` for the server's, release.

        Disconnecting an actor whose connection already ended just releases it.
        """
        ws = self._require_connection(step=None, doing="disconnect")
        if self.inbox.closure is None:
            self._sent_close = (code, reason)
            self._closing.set()
            try:
                ws.send_close(code, reason.encode("utf-8"))
            except Exception as exc:  # already broken: the reader records how
                log.debug("%s: sending the close frame failed: %s", self.name, exc)
            self.inbox.wait_closed(time.monotonic() + timeout)
        self._release()

    def close(self) -> None:
        """Release everything this actor holds; safe to call at any time, never raises."""
        try:
            if self.connected:
                self.disconnect(timeout=TEARDOWN_CLOSE_TIMEOUT)
        except Exception as exc:
            log.warning("%s: closing politely failed, cutting the connection: %s", self.name, exc)
        finally:
            self._release()

    def _release(self) -> None:
        with self._release_lock:
            ws, reader = self._ws, self._reader
            if ws is None or self._released:
                return
            self._released = True
            self._closing.set()
            sock = ws.sock
            if sock is not None:
                try:
                    # shutdown, unlike close, wakes a recv blocked in the reader thread.
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            if reader is not None and reader is not threading.current_thread():
                reader.join(TEARDOWN_CLOSE_TIMEOUT + 1)
                if reader.is_alive():
                    log.warning("%s: reader thread did not stop; it is a daemon and will not block exit", self.name)
            ws.shutdown()
            code, reason = self._sent_close
            self.inbox.close(Closure("client", code, reason, time.monotonic()))

    # -- sending --------------------------------------------------------------------------

    def send_json(self, value: Any, step: str | None = None) -> None:
        """Send ``value`` encoded as JSON in a text frame."""
        self.send_text(json.dumps(value, ensure_ascii=False), step)

    def send_text(self, text: str, step: str | None = None) -> None:
        """Send a text frame."""
        self._send(lambda ws: ws.send(text, _ABNF.OPCODE_TEXT), step)

    def send_bytes(self, data: bytes, step: str | None = None) -> None:
        """Send a binary frame."""
        self._send(lambda ws: ws.send_binary(data), step)

    def _send(self, action, step: str | None) -> None:
        ws = self._require_connection(step, doing="send")
        closure = self.inbox.closure
        if closure is not None:
            raise ConnectionClosedError(
                f"{self.name} cannot send: its connection was {closure.describe()} "
                f"at +{closure.at - self.origin:.3f}s{at_step(step)}. {_reconnect_hint(closure)}"
            )
        try:
            action(ws)
        except websocket.WebSocketTimeoutException:
            raise ConnectionClosedError(
                f"{self.name} could not send{at_step(step)}: the server did not accept the data within "
                f"{ws.gettimeout():g}s (ws_connect_timeout). It has stopped reading from the connection."
            ) from None
        except (OSError, websocket.WebSocketException) as exc:
            raise ConnectionClosedError(
                f"{self.name} could not send{at_step(step)}: the connection failed ({exc or type(exc).__name__})."
            ) from None

    # -- expecting ------------------------------------------------------------------------

    def expect(
        self,
        matcher: Matcher[Frame],
        timeout: float = DEFAULT_TIMEOUT,
        step: str | None = None,
        *,
        deadline: float | None = None,
        late_window: float = 0.0,
    ) -> Frame:
        """Wait for, mark as used and return the oldest unread frame that ``matcher`` accepts.

        Frames already in the inbox count. Waits until ``deadline`` (a ``time.monotonic()``
        value, for several actors sharing one), else for ``timeout`` seconds. Raises
        :class:`ExpectationFailed` when time runs out, and :class:`ConnectionClosedError` as soon
        as the connection ends with no matching frame; both list every frame this actor received,
        the closest first. After a timeout it keeps listening ``late_window`` seconds more, only
        to report whether a matching frame arrived late.
        """
        self._require_connection(step, doing="receive")
        start = time.monotonic()
        if deadline is None:
            deadline = start + timeout
        frame = self.inbox.take(matcher.matches, deadline, used_by=step or describe(matcher))
        if frame is not None:
            return frame
        closure = self.inbox.closure
        what = describe(matcher)
        if closure is not None and closure.at <= deadline:
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
            raise ConnectionClosedError(self._report(head, step, matcher))
        head = (
            f"{self.name} did not receive {what} within {timeout:g} seconds "
            f"(waited {time.monotonic() - start:.3f}s; the deadline comes from ws_timeout or "
            '"within N seconds" in the step).'
        )
        raise ExpectationFailed(self._report(head, step, matcher, self._late_arrival(matcher, deadline, late_window)))

    def _late_arrival(self, matcher: Matcher[Frame], deadline: float, window: float) -> str | None:
        if window <= 0:
            return None
        late = self.inbox.find(matcher.matches, deadline + window)
        if late is not None:
            return (
                f"A matching frame, #{late.index}, arrived {late.received_at - deadline:.3f}s after the "
                "deadline: the system is slow rather than wrong. If that delay is acceptable, give the "
                'step more time ("within N seconds" or ws_timeout).'
            )
        return f"Nothing matching arrived in the {window:g}s after the deadline either (ws_late_window)."

    def expect_none(
        self, matcher: Matcher[Frame], within: float, step: str | None = None, *, deadline: float | None = None
    ) -> None:
        """Pass only if no unread frame that ``matcher`` accepts is received for ``within`` seconds.

        ``deadline`` (a ``time.monotonic()`` value) replaces ``within`` when several actors share
        one window. Fails at once when such a frame is (or already was) received, and when the
        connection ends during the window: a closed connection receives nothing, which proves nothing.
        """
        self._require_connection(step, doing="receive")
        start = time.monotonic()
        if deadline is None:
            deadline = start + within
        frame = self.inbox.find(matcher.matches, deadline)
        what = describe(matcher)
        if frame is not None:
            head = (
                f"{self.name} received {what}, which the step forbids: frame #{frame.index}, "
                f"{frame.received_at - start:+.3f}s from the start of the step's {within:g}-second window."
            )
            raise ExpectationFailed(self._report(head, step, None))
        closure = self.inbox.closure
        if closure is not None and closure.at <= deadline:
            head = (
                f"{self.name}'s connection was {closure.describe()} during the {within:g}-second window "
                f"in which it must not receive {what}. A closed connection receives nothing, so this "
                "proves nothing: check for the absence while the connection is open."
            )
            raise ConnectionClosedError(self._report(head, step, None))

    def ignore(self, matcher: Matcher[Frame], rule: str) -> None:
        """From now on, and for frames not yet read, treat what ``matcher`` accepts as noise."""
        self.inbox.ignore(matcher.matches, rule)

    def check_no_unread(self, step: str | None = None) -> None:
        """Raise :class:`ExpectationFailed` listing every frame no step used and no rule ignored."""
        unread = self.inbox.unused()
        if unread:
            count = f"{len(unread)} message{'s' if len(unread) != 1 else ''}"
            numbers = ", ".join(f"#{frame.index}" for frame in unread)
            head = f"{self.name} has {count} that no step used ({numbers}); the step expects none."
            raise ExpectationFailed(self._report(head, step, None))

    def _report(self, head: str, step: str | None, matcher: Matcher | None, late: str | None = None) -> str:
        lines = [head]
        if late:
            lines.append(late)
        if step:
            lines.append(f"Step: {step}")
        lines.append(self.transcript(matcher))
        return "\n".join(lines)

    def transcript(self, matcher: Matcher | None = None) -> str:
        """Every frame received so far and how the connection stands, as failure reports show it."""
        return transcript(self.name, self.inbox.frames(), self.inbox.closure, self.origin, matcher)

    def _require_connection(self, step: str | None, doing: str) -> websocket.WebSocket:
        if self._ws is None:
            raise ConnectionClosedError(
                f"{self.name} cannot {doing}{at_step(step)}: {self.name} never connected. "
                f'Connect first, e.g. "Given user {self.name} connects".'
            )
        return self._ws

    # -- the reader thread ----------------------------------------------------------------

    def _read(self) -> None:
        ws = self._ws
        assert ws is not None
        try:
            while True:
                try:
                    frame = ws.recv_frame()
                except websocket.WebSocketTimeoutException:
                    continue  # the socket timeout bounds sends; silence on the read side is fine
                opcode = frame.opcode
                if opcode in (_ABNF.OPCODE_TEXT, _ABNF.OPCODE_BINARY, _ABNF.OPCODE_CONT):
                    ws.cont_frame.validate(frame)
                    ws.cont_frame.add(frame)
                    if ws.cont_frame.is_fire(frame):
                        self._deliver(ws, *ws.cont_frame.extract(frame))
                elif opcode == _ABNF.OPCODE_CLOSE:
                    self._on_close_frame(ws, frame.data)
                    return
                elif opcode == _ABNF.OPCODE_PING:
                    ws.pong(frame.data)
        except websocket.WebSocketPayloadException as exc:
            self._abort(ws, 1007, f"the server sent a text frame that is not valid UTF-8 ({exc})")
        except websocket.WebSocketProtocolException as exc:
            self._abort(ws, 1002, f"the server broke the websocket protocol ({exc})")
        except Exception as exc:  # the reader must record every end, never die silently
            if self._closing.is_set():
                code, reason = self._sent_close
                self.inbox.close(Closure("client", code, reason, time.monotonic()))
            else:
                self.inbox.close(Closure("network", None, _exception_text(exc), time.monotonic()))

    def _deliver(self, ws: websocket.WebSocket, opcode: int, frame: Any) -> None:
        if opcode == _ABNF.OPCODE_TEXT:
            self.inbox.put("text", bytes(frame.data).decode("utf-8"))
        else:
            self.inbox.put("binary", bytes(frame.data))

    def _on_close_frame(self, ws: websocket.WebSocket, data: bytes) -> None:
        now = time.monotonic()
        if self._closing.is_set():
            code, reason = self._sent_close
            self.inbox.close(Closure("client", code, reason, now))
            return
        code, reason = _parse_close_payload(data)
        # Record before replying: the reply can fail if the server already dropped the TCP connection.
        self.inbox.close(Closure("server", code, reason, now))
        try:
            ws.send_close(code if code not in (None, 1005, 1006, 1015) else 1000)
        except Exception:
            pass

    def _abort(self, ws: websocket.WebSocket, code: int, why: str) -> None:
        self.inbox.close(Closure("client", code, f"{self.name} closed the connection: {why}", time.monotonic()))
        try:
            ws.send_close(code)
        except Exception:
            pass


def _parse_close_payload(data: bytes) -> tuple[int | None, str]:
    if len(data) < 2:
        return None, ""
    return int.from_bytes(data[:2], "big"), bytes(data[2:]).decode("utf-8", "replace")


def _no_proxy_hosts() -> list[str]:
    """Hosts that bypass any proxy: NO_PROXY's, plus loopback, which a proxy cannot reach."""
    configured = os.environ.get("no_proxy") or os.environ.get("NO_PROXY") or ""
    hosts = [h.strip() for h in configured.split(",") if h.strip()]
    return hosts + ["localhost", "127.0.0.0/8", "::1"]


def _reconnect_hint(closure: Closure) -> str:
    if closure.by == "client":
        return "It disconnected earlier in the scenario; connect it again first, or use another actor."
    return "Check the server's logs for why it closed the connection."


def _exception_text(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _connect_failure(name: str, url: str, exc: BaseException, timeout: float, step: str | None) -> str:
    """One paragraph saying why ``name`` could not connect to ``url`` and what to check."""
    parts = urlsplit(url)
    where = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'wss' else 80)}"
    if isinstance(exc, websocket.WebSocketBadStatusException):
        body = getattr(exc, "resp_body", None)
        body_text = ""
        if body:
            body_text = " The response body was: " + (body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body))[:300]
        why = (
            f"the server rejected the websocket handshake with HTTP {exc.status_code}.{body_text} "
            "Check the URL's path and query, and any credentials the server requires"
        )
    elif isinstance(exc, ConnectionRefusedError):
        why = f"the connection was refused: nothing is listening on {where}. Start the server, or point the URL (ws_url) at the port it listens on"
    elif isinstance(exc, (socket.gaierror, websocket.WebSocketAddressException)):
        why = f"the host name {parts.hostname!r} could not be resolved ({exc}). Check the host in the URL (ws_url)"
    elif isinstance(exc, (websocket.WebSocketTimeoutException, TimeoutError, socket.timeout)):
        why = (
            f"no answer to the websocket handshake from {where} within {timeout:g} seconds. The server "
            "accepted nothing or answered nothing; check that it speaks websocket on that port, or "
            "raise ws_connect_timeout"
        )
    elif isinstance(exc, ssl.SSLCertVerificationError):
        why = (
            f"the server's TLS certificate was rejected: {exc.verify_message or exc}. Use a certificate "
            "that a trusted authority signed for this host name"
        )
    elif isinstance(exc, ssl.SSLError):
        why = f"the TLS handshake failed: {exc}"
    else:
        why = f"the connection failed: {_exception_text(exc)}"
    return f"{name} could not connect to {url}{at_step(step)}: {why}."
