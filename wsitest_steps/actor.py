"""An actor: one named websocket connection, its reader thread and its inbox."""

from __future__ import annotations

import logging
import os
import socket
import ssl
import threading
import time
from typing import Any, Callable
from urllib.parse import urlsplit

import websocket
from hamcrest.core.matcher import Matcher

from .buffered_socket import direct_socket
from .connect_options import ConnectOptions
from .errors import (
    ConfigurationError,
    ConnectionClosedError,
    ConnectionFailed,
    ExpectationFailed,
    StepInputError,
    at_step,
)
from .frames import Closure, Frame, Outgoing
from .inbox import Inbox, Rule
from .receiving import Receiving
from .recorder import Recorder
from .settings import DEFAULT_CONNECT_TIMEOUT, check_url

log = logging.getLogger("wsitest_steps")
frames_log = logging.getLogger("wsitest_steps.frames")

_ABNF = websocket.ABNF
# How long teardown waits for a polite close before cutting the connection. Teardown runs
# after every scenario, so it must stay short even when a server ignores close frames.
TEARDOWN_CLOSE_TIMEOUT = 1.0

_yield = getattr(os, "sched_yield", None)  # not on Windows

#: Builds an automatic reply from the frame that triggered it.
Reply = Callable[[Frame], Outgoing]


class Actor(Receiving):
    """One named websocket client, as a scenario sees it.

    :meth:`connect` opens the connection in the calling thread, so a refused connection or a
    rejected handshake fails the step that connected. A daemon reader thread then appends
    every frame to :attr:`inbox` as it arrives, answers pings, runs automatic replies and
    records how the connection ends. Sends run in the caller's thread. Every blocking call is
    bounded by a deadline. What the actor does is recorded in :attr:`recorder`, which
    transcripts and reports read; the waiting methods come from
    :class:`~wsitest_steps.receiving.Receiving`.
    """

    def __init__(self, name: str, origin: float | None = None, recorder: Recorder | None = None) -> None:
        self.name = name
        self.recorder = recorder or Recorder(origin)
        #: ``time.monotonic()`` that transcript times are relative to (the scenario's start).
        self.origin = self.recorder.origin if origin is None else origin
        self.inbox = Inbox()
        self.url: str | None = None
        self.options = ConnectOptions()
        #: The subprotocol the server chose, or ``None``.
        self.subprotocol: str | None = None
        self._timeout = DEFAULT_CONNECT_TIMEOUT
        self._sslopt: dict[str, Any] = {}
        self._ws: websocket.WebSocket | None = None
        self._reader: threading.Thread | None = None
        self._closing = threading.Event()
        self._sent_close: tuple[int, str] = (1000, "")
        self._release_lock = threading.Lock()
        self._released = True
        self._replies: dict[Rule, Reply] = {}
        self._rule_failures: list[str] = []
        #: Whether frames are logged as they flow (userdata ``ws_log=frames``).
        self.log_frames = False

    # -- connecting and closing ---------------------------------------------------------

    @property
    def connected(self) -> bool:
        """True from a successful :meth:`connect` until the connection ends."""
        return self._ws is not None and not self._released and self.inbox.closure is None

    @property
    def ever_connected(self) -> bool:
        return self._ws is not None

    def connect(
        self,
        url: str,
        *,
        timeout: float = DEFAULT_CONNECT_TIMEOUT,
        step: str | None = None,
        options: ConnectOptions | None = None,
        sslopt: dict[str, Any] | None = None,
    ) -> None:
        """Open the websocket and start reading; raise :class:`ConnectionFailed` if that fails.

        ``timeout`` bounds the TCP connect and the handshake together, and later bounds each
        send, so a server that stops reading cannot hang a step. ``options`` adds query
        parameters, headers, subprotocols, Origin and cookies. TLS certificates are verified
        unless ``sslopt`` says otherwise.
        Loopback addresses never go through an HTTP proxy configured in the environment
        (``NO_PROXY`` is honoured for other hosts).
        """
        if self.connected:
            raise StepInputError(
                f"{self.name} is already connected (to {self._shown(self.url)}){at_step(step)}. Each actor holds "
                "one connection; disconnect it first, or give the second connection another actor name."
            )
        if self.ever_connected:
            # A new connection of this actor: what the ended one held is released, and its
            # frames stay in the transcript but no longer satisfy any expectation.
            self._release()
            self.inbox.new_connection()
        options = options or ConnectOptions()
        sslopt = sslopt or {}
        self._open(options.apply_to(url), options, timeout, sslopt, step)
        self.url, self.options, self._timeout, self._sslopt = url, options, timeout, sslopt

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
            self.disconnect(timeout=self._timeout)
        self.connect(self.url, timeout=self._timeout, step=step, options=self.options, sslopt=self._sslopt)

    def _open(self, target: str, options: ConnectOptions, timeout: float, sslopt: dict[str, Any], step: str | None) -> None:
        redactor = self.recorder.redactor
        shown_headers = [f"{name}: {redactor.header(name, value)}" for name, value in options.headers]
        for cookie in options.cookies:
            redactor.add_secret(cookie)
        shown_url = redactor.url(target)
        try:
            check_url(target, source=f"The URL {self.name} was asked to connect to,")
        except ConfigurationError as exc:
            self.recorder.add(self.name, "rejected", f"could not connect to {shown_url}: not a websocket URL", step, failed=True)
            raise ConnectionFailed(redactor.text(f"{exc}{at_step(step)}")) from None
        # websocket-client keeps a process-wide cookie jar that would hand one actor's
        # Set-Cookie to every later actor: each actor sends only the cookies its step names.
        jar = getattr(getattr(websocket, "_handshake", None), "CookieJar", None)
        if jar is not None and hasattr(jar, "jar"):
            jar.jar.clear()
        started = time.monotonic()
        no_proxy = _no_proxy_hosts()
        try:
            ws = websocket.create_connection(
                target,
                timeout=timeout,
                header=options.header_lines() or None,
                subprotocols=options.subprotocols or None,
                origin=options.origin,
                cookie=options.cookie_header(),
                sslopt=sslopt,
                http_no_proxy=no_proxy,
                enable_multithread=True,
                socket=direct_socket(target, timeout, no_proxy),
            )
        except Exception as exc:  # every way a connect can fail becomes one readable paragraph
            failure = ConnectionFailed(
                redactor.text(_connect_failure(self.name, shown_url, exc, timeout, step, options, sslopt))
            )
            failure.status = getattr(exc, "status_code", None)
            failure.body = _body_of(exc)
            what = f"rejected with HTTP {failure.status}" if failure.status else "could not connect"
            self.recorder.add(self.name, "rejected", f"{what}: {shown_url}", step, failed=True, at=started)
            raise failure from None
        self.subprotocol = ws.getsubprotocol()
        details = []
        if self.subprotocol:
            details.append(f"subprotocol {self.subprotocol}")
        elif options.subprotocols:
            details.append("no subprotocol")
        if shown_headers:
            details.append("headers " + ", ".join(shown_headers))
        if options.origin is not None:
            details.append(f"origin {options.origin}")
        if options.cookies:
            details.append("cookies ***")
        if urlsplit(target).scheme == "wss" and sslopt.get("cert_reqs") == ssl.CERT_NONE:
            details.append("TLS certificate NOT verified (ws_insecure_skip_tls_verify)")
        number = self.inbox.connection
        again = f" (connection {number})" if number > 1 else ""
        # Stamped when the handshake began: the server may send before this thread hears the answer.
        self.recorder.add(
            self.name, "connected", f"connected{again} to {shown_url}" + (f" ({'; '.join(details)})" if details else ""), step, at=started
        )
        self._ws = ws
        self._released = False
        self._closing.clear()
        self._sent_close = (1000, "")
        self._reader = threading.Thread(target=self._read, name=f"wsitest-reader-{self.name}", daemon=True)
        self._reader.start()

    def disconnect(self, code: int = 1000, reason: str = "", timeout: float = DEFAULT_CONNECT_TIMEOUT, step: str | None = None) -> None:
        """Close politely: send a close frame, wait up to ``timeout`` for the server's, release.

        Disconnecting an actor whose connection already ended just releases it.
        """
        ws = self._require_connection(step=step, doing="disconnect")
        if not (code == 1000 or 1001 <= code <= 1014 and code not in (1004, 1005, 1006) or 3000 <= code <= 4999):
            raise StepInputError(
                f"{self.name} cannot close with code {code}{at_step(step)}: a close frame may carry 1000-1003, 1007-1014 "
                "(see RFC 6455 section 7.4) or an application code from 3000 to 4999."
            )
        if len(reason.encode("utf-8")) > 123:
            raise StepInputError(f"The close reason{at_step(step)} is longer than the 123 bytes a close frame can carry.")
        if self.inbox.closure is None and not self._released:
            self._sent_close = (code, reason)
            self._closing.set()
            self.recorder.add(
                self.name, "sent", f"sent close: code {code}" + (f', reason "{reason}"' if reason else ""), step
            )
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
                self.disconnect(code=1001, reason="scenario ended", timeout=TEARDOWN_CLOSE_TIMEOUT)
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

    def send(self, outgoing: Outgoing, step: str | None = None, note: str = "") -> None:
        """Send a text, binary or ping frame; ``note`` is added to the transcript line."""
        if outgoing.kind == "text":
            action = lambda ws: ws.send(outgoing.payload, _ABNF.OPCODE_TEXT)  # noqa: E731
        elif outgoing.kind == "binary":
            action = lambda ws: ws.send_binary(outgoing.payload)  # noqa: E731
        elif outgoing.kind == "ping":
            action = lambda ws: ws.ping(outgoing.payload)  # noqa: E731
        else:
            raise ValueError(f"cannot send a frame of kind {outgoing.kind!r}")
        self._send(action, step)
        self.recorder.add(self.name, "sent", f"sent {outgoing.describe()}{note}", step)
        if self.log_frames:
            frames_log.info("%s sent %s", self.name, self.recorder.redactor.text(outgoing.describe()))

    def send_after(self, delay: float, outgoing: Outgoing, step: str | None = None) -> None:
        """Send ``outgoing`` once ``delay`` seconds have passed since this call.

        Waits on the clock, not in a sleep loop that can overrun; fails at once if the
        connection closes meanwhile.
        """
        self._require_connection(step, doing="send")
        start = time.monotonic()
        closure = self.inbox.wait_closed(start + delay)
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
        self.send(Outgoing("text", text), step)

    def send_bytes(self, data: bytes, step: str | None = None) -> None:
        """Send a binary frame."""
        self.send(Outgoing("binary", data), step)

    def ping(self, payload: bytes = b"", step: str | None = None) -> None:
        """Send a ping; the server's pong arrives in the inbox as a ``pong`` frame."""
        self.send(Outgoing("ping", payload), step)

    def _send(self, action: Callable[[websocket.WebSocket], Any], step: str | None) -> None:
        ws = self._require_connection(step, doing="send")
        self.raise_rule_failures(step)
        closure = self.inbox.closure
        if closure is not None:
            raise ConnectionClosedError(
                f"{self.name} cannot send: its connection was {closure.describe()} "
                f"at +{closure.at - self.origin:.3f}s{at_step(step)}. {_reconnect_hint(self.name, closure)}"
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

    # -- standing rules -------------------------------------------------------------------

    def ignore(self, matcher: Matcher[Frame], rule: str) -> None:
        """From now on, and for messages not yet read, treat what ``matcher`` accepts as noise."""
        self.inbox.add_rule(Rule(matcher.matches, rule))

    def answer(self, matcher: Matcher[Frame], label: str, reply: Reply) -> None:
        """From now on, and for messages not yet read, answer what ``matcher`` accepts with ``reply(frame)``.

        The reader thread sends the answer the moment the message arrives. The answered
        message counts as used by the rule. If building or sending an answer fails, the next
        step on this actor fails with the reason.
        """
        rule = Rule(matcher.matches, label, answers=True)
        self._replies[rule] = reply
        for frame in self.inbox.add_rule(rule):
            self._answer(rule, frame)

    def _answer(self, rule: Rule, frame: Frame) -> None:
        try:
            outgoing = self._replies[rule](frame)
            self.send(outgoing, rule.label, note=f" (answering #{frame.index})")
        except Exception as exc:  # in the reader thread: report through the next step instead
            text = str(exc) if isinstance(exc, AssertionError) else f"{type(exc).__name__}: {exc}"
            self._rule_failures.append(f"{rule.label} could not answer #{frame.index}: {text}")
            self.recorder.add(self.name, "note", f"{rule.label} could not answer #{frame.index}", rule.label, failed=True)

    def raise_rule_failures(self, step: str | None = None) -> None:
        """Raise :class:`ExpectationFailed` if an automatic reply failed since the last check."""
        if self._rule_failures:
            failures, self._rule_failures = self._rule_failures, []
            raise ExpectationFailed(
                self.recorder.redactor.text(
                    f"An automatic reply of {self.name} failed before this step{at_step(step)}:\n  "
                    + "\n  ".join(failures)
                )
            )

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
                        self._deliver(*ws.cont_frame.extract(frame))
                elif opcode == _ABNF.OPCODE_CLOSE:
                    self._on_close_frame(ws, frame.data)
                    return
                elif opcode == _ABNF.OPCODE_PING:
                    ws.pong(frame.data)
                    self._record("ping", bytes(frame.data))
                elif opcode == _ABNF.OPCODE_PONG:
                    self._record("pong", bytes(frame.data))
        except (websocket.WebSocketPayloadException, UnicodeDecodeError) as exc:
            self._abort(ws, 1007, f"the server sent a text frame that is not valid UTF-8 ({exc})")
        except websocket.WebSocketProtocolException as exc:
            self._abort(ws, 1002, f"the server broke the websocket protocol ({exc})")
        except Exception as exc:  # the reader must record every end, never die silently
            if self._closing.is_set():
                code, reason = self._sent_close
                self.inbox.close(Closure("client", code, reason, time.monotonic()))
            else:
                self.inbox.close(Closure("network", None, _exception_text(exc), time.monotonic()))

    def _deliver(self, opcode: int, frame: Any) -> None:
        if opcode == _ABNF.OPCODE_TEXT:
            self._record("text", bytes(frame.data).decode("utf-8"))
        else:
            self._record("binary", bytes(frame.data))

    def _record(self, kind: str, payload: str | bytes) -> None:
        frame, rule = self.inbox.put(kind, payload)
        if self.inbox.waiters and _yield is not None:
            # Hand the interpreter to the step just woken instead of running on to the next
            # read: the waiting step resumes tens of microseconds sooner (docs/benchmarks.md).
            _yield()
        if self.log_frames:
            frames_log.info("%s received #%d %s: %s", self.name, frame.index, kind, self.recorder.redactor.text(frame.describe()))
        if rule is not None:
            self._answer(rule, frame)

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

    def _require_connection(self, step: str | None, doing: str) -> websocket.WebSocket:
        if self._ws is None:
            raise ConnectionClosedError(
                f"{self.name} cannot {doing}{at_step(step)}: {self.name} never connected. "
                f'Connect first, e.g. "Given user {self.name} connects".'
            )
        return self._ws

    def _shown(self, url: str | None) -> str:
        return self.recorder.redactor.url(url) if url else "nothing"


# How a server that ends a connection during the handshake shows, depending on timing.
_ENDED_DURING_HANDSHAKE = (
    websocket.WebSocketConnectionClosedException, ConnectionResetError, BrokenPipeError, ConnectionAbortedError
)


def _parse_close_payload(data: bytes) -> tuple[int | None, str]:
    if len(data) < 2:
        return None, ""
    return int.from_bytes(data[:2], "big"), bytes(data[2:]).decode("utf-8", "replace")


def _no_proxy_hosts() -> list[str]:
    """Hosts that bypass any proxy: NO_PROXY's, plus loopback, which a proxy cannot reach."""
    configured = os.environ.get("no_proxy") or os.environ.get("NO_PROXY") or ""
    hosts = [h.strip() for h in configured.split(",") if h.strip()]
    return hosts + ["localhost", "127.0.0.0/8", "::1"]


def _reconnect_hint(name: str, closure: Closure) -> str:
    if closure.by == "client":
        return f'It disconnected earlier in the scenario; reconnect it first ("When {name} reconnects"), or use another actor.'
    return f'Check the server\'s logs for why it closed the connection; "When {name} reconnects" opens a new one.'


def _exception_text(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _body_of(exc: BaseException) -> str | None:
    body = getattr(exc, "resp_body", None)
    if not body:
        return None
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)


def _connect_failure(
    name: str, url: str, exc: BaseException, timeout: float, step: str | None, options: ConnectOptions, sslopt: dict[str, Any]
) -> str:
    """One paragraph saying why ``name`` could not connect to ``url`` and what to check."""
    parts = urlsplit(url)
    where = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'wss' else 80)}"
    if isinstance(exc, websocket.WebSocketBadStatusException):
        body = _body_of(exc)
        body_text = f" The response body was: {body[:300].strip()}" if body else ""
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
        trusted = (
            f"the CA file {sslopt['ca_certs']} (ws_ca_file)" if sslopt.get("ca_certs") else "the system's trusted authorities"
        )
        why = (
            f"the server's TLS certificate was rejected: {exc.verify_message or exc}. It was checked against {trusted} "
            f"and the host name {parts.hostname!r}. Give the server a certificate for that host signed by a trusted "
            "authority, or trust your private CA with -D ws_ca_file=path/to/ca.pem"
        )
    elif isinstance(exc, ssl.SSLError):
        why = f"the TLS handshake failed: {exc}. Check that the server speaks TLS on that port (wss://) and the client certificate settings"
    elif isinstance(exc, websocket.WebSocketException) and "Invalid WebSocket Header" in str(exc) and options.subprotocols:
        offered = ", ".join(options.subprotocols)
        why = (
            f"the server completed the handshake without choosing any of the subprotocols offered ({offered}). "
            "Offer one the server supports, or connect without a subprotocol"
        )
    elif isinstance(exc, _ENDED_DURING_HANDSHAKE):
        how = "closed" if isinstance(exc, websocket.WebSocketConnectionClosedException) else "reset"
        why = (
            f"the server {how} the connection during the handshake, without an HTTP answer. Check that {where} "
            "speaks websocket on that path, and that the URL is well formed"
        )
    else:
        why = f"the connection failed: {_exception_text(exc)}"
    ended_early = isinstance(exc, _ENDED_DURING_HANDSHAKE) or (
        isinstance(exc, ssl.SSLError) and not isinstance(exc, ssl.SSLCertVerificationError)
    )
    if parts.scheme == "wss" and ended_early and not sslopt.get("certfile"):
        # With TLS 1.3 a server that wants a client certificate says so only after the handshake,
        # by an alert, a reset or a plain close, depending on timing.
        why = why.rstrip(".") + (
            ". A TLS server that requires a client certificate ends connections this way too: give one with "
            "ws_client_cert and ws_client_key"
        )
    return f"{name} could not connect to {url}{at_step(step)}: {why.rstrip('.')}."
