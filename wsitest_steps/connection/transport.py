"""The only module that imports websocket-client, and every detail of it the library relies on.

Besides its public API (``create_connection``, ``WebSocket.recv_frame``, ``send``, ``ping``,
``pong``, ``send_close``, ``shutdown``, ``ABNF`` and the exception classes), the library uses
these of its private parts, each pinned by ``tests/test_transport.py`` (the handshake texts also by
``tests/test_handshake_words.py``) on the lowest (1.6.0) and
the newest supported versions:

* ``websocket._handshake.CookieJar.jar``: a process-wide cookie jar that would hand one actor's
  ``Set-Cookie`` to every later actor; it is cleared before each connect.
* ``WebSocket.cont_frame`` (``validate``, ``add``, ``is_fire``, ``extract``): reassembles a
  fragmented message from ``recv_frame``, which (unlike ``recv``) also hands over pings, pongs and
  the close frame with its code.
* ``WebSocket.sock``: its ``shutdown`` wakes a ``recv`` blocked in the reader thread (``close``
  does not); a TLS connection's is replaced by a :class:`~.tls_socket.SerializedTLSSocket` around
  it, through which websocket-client then reads and writes (``tests/test_tls_socket.py`` finds
  the wrapper in place and shows the race it closes gone).
* The texts ``"Invalid WebSocket Header"`` (a 101 whose Upgrade, Connection,
  Sec-WebSocket-Accept or subprotocol is wrong) and ``"Redirect limit exhausted"`` (a redirect
  loop): how those handshakes fail; the read-ahead socket's record of the heads then says which.
* ``WebSocketBadStatusException.resp_body``: the body of a rejected handshake.
* The frame's mask bit, which ``recv_frame`` keeps in the instance attribute ``mask_value``
  (``mask`` before 1.8; the class attribute of that name is a function): a server's frame must
  not be masked.

RFC 6455's other client-side checks on received frames are websocket-client's own (reserved
bits and opcodes, a fragmented ping, a close frame of one byte or with a bad code or reason, a
continuation without a start); the ones it lacks are made here: a masked frame (section 5.1),
a control frame over 125 bytes and a fragmented pong or close (section 5.5). Each fails the
connection with 1002. docs/conformance.md lists them with their tests.

Everything here raises the module's own exceptions, so no other module needs to know
websocket-client's.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import websocket

from ..model.frames import Outgoing
from ..model.kinds import FrameKind
from ..model.wording import exception_text
from .network import Exchange
from .tls_socket import SerializedTLSSocket

_ABNF = websocket.ABNF
_DATA_OPCODES = (_ABNF.OPCODE_TEXT, _ABNF.OPCODE_BINARY, _ABNF.OPCODE_CONT)
_INVALID_HEADER_TEXT = "Invalid WebSocket Header"
_REDIRECT_LIMIT_TEXT = "Redirect limit exhausted"


class ConnectFailure(Enum):
    """Why a connection could not be opened, as far as the client can tell."""

    REJECTED = "the server answered the handshake with an HTTP status other than 101"
    REFUSED = "nothing listens on the port"
    UNRESOLVED = "the host name could not be resolved"
    TIMED_OUT = "no answer within the timeout"
    CERTIFICATE = "the server's TLS certificate was rejected"
    TLS = "the TLS handshake failed"
    INVALID_101 = "the server's 101 lacked or contradicted a header the handshake needs"
    REDIRECT_LOOP = "the server redirected more often than websocket-client follows"
    UNASKED = "the server's 101 named an extension or subprotocol the client did not ask for"
    CLOSED = "the server closed the connection during the handshake"
    RESET = "the connection was reset during the handshake"
    OTHER = "any other failure"


class ConnectError(Exception):
    """A connection could not be opened. ``detail`` is the underlying error's own text."""

    def __init__(self, failure: ConnectFailure, detail: str, status: int | None = None, body: str | None = None) -> None:
        super().__init__(detail)
        self.failure = failure
        self.detail = detail
        self.status = status
        self.body = body
        #: What the handshake said, both ways, when it ran over the read-ahead socket.
        self.exchange: Exchange | None = None


class ReadTimeout(Exception):
    """Nothing arrived within the socket timeout (which bounds sends; silence is not an error)."""


class ProtocolViolation(Exception):
    """The server broke the websocket protocol; the client fails the connection with ``code``."""

    def __init__(self, code: int, why: str) -> None:
        super().__init__(why)
        self.code = code
        self.why = why


class SendTimeout(Exception):
    """The server did not accept the data within the socket timeout."""


class SendFailed(Exception):
    """The connection failed while sending; the text says how."""


@dataclass(frozen=True)
class Received:
    """A whole message (``str`` for text, ``bytes`` for binary), or a ping or pong (``bytes``)."""

    kind: FrameKind
    payload: str | bytes


@dataclass(frozen=True)
class CloseReceived:
    """The server's close frame, its payload as sent: two bytes of code, then the reason."""

    data: bytes


def _check(frame: Any) -> None:
    """The checks of RFC 6455 that websocket-client does not make on a frame from the server."""
    attributes = vars(frame)
    if attributes.get("mask_value", attributes.get("mask")):
        raise ProtocolViolation(
            1002, "the server sent a masked frame, and a client must fail the connection when it does (RFC 6455 section 5.1)"
        )
    if frame.opcode >= _ABNF.OPCODE_CLOSE:
        name = {_ABNF.OPCODE_CLOSE: "close", _ABNF.OPCODE_PING: "ping", _ABNF.OPCODE_PONG: "pong"}.get(frame.opcode, "control")
        if not frame.fin:
            raise ProtocolViolation(
                1002, f"the server sent a fragmented {name} frame; control frames must not be fragmented (RFC 6455 section 5.5)"
            )
        if len(frame.data) > 125:
            raise ProtocolViolation(
                1002,
                f"the server sent a {name} frame of {len(frame.data)} bytes; control frames carry at most 125 (RFC 6455 section 5.5)",
            )
        if frame.opcode == _ABNF.OPCODE_CLOSE:
            try:
                bytes(frame.data[2:]).decode("utf-8")
            except UnicodeDecodeError:
                # websocket-client's own check of this is skipped with its UTF-8 validation.
                raise ProtocolViolation(
                    1007, "the server sent a close frame whose reason is not valid UTF-8 (RFC 6455 section 5.5.1)"
                ) from None


class Transport:
    """One open websocket-client connection. Sends are safe from any thread."""

    def __init__(self, ws: websocket.WebSocket) -> None:
        self._ws = ws
        #: The subprotocol the server chose, or ``None``.
        self.subprotocol: str | None = ws.getsubprotocol()
        if isinstance(ws.sock, ssl.SSLSocket):
            # Read by the reader thread, written by others: one OpenSSL call at a time (tls_socket.py).
            ws.sock = SerializedTLSSocket(ws.sock)  # type: ignore[assignment]  # it is a socket to websocket-client

    @property
    def timeout(self) -> float:
        """The socket timeout in seconds: it bounds each send."""
        value = self._ws.gettimeout()
        return float(value) if value is not None else 0.0

    # -- reading (the reader thread only) -------------------------------------------------

    def receive(self) -> Received | CloseReceived:
        """Block until a whole message, a ping, a pong or the close frame has arrived.

        Raises :class:`ReadTimeout` on a quiet socket, :class:`ProtocolViolation` when the server
        broke the protocol (invalid UTF-8 included), and other exceptions when the connection broke.
        """
        try:
            return self._receive()
        except websocket.WebSocketTimeoutException:
            raise ReadTimeout() from None
        except (websocket.WebSocketPayloadException, UnicodeDecodeError) as exc:
            raise ProtocolViolation(1007, f"the server sent a text frame that is not valid UTF-8 ({exc})") from None
        except websocket.WebSocketProtocolException as exc:
            raise ProtocolViolation(1002, f"the server broke the websocket protocol ({exc})") from None

    def _receive(self) -> Received | CloseReceived:
        ws = self._ws
        while True:
            frame = ws.recv_frame()  # type: ignore[no-untyped-call]  # untyped in websocket-client
            _check(frame)
            opcode = frame.opcode
            if opcode in _DATA_OPCODES:
                ws.cont_frame.validate(frame)
                ws.cont_frame.add(frame)
                if not ws.cont_frame.is_fire(frame):
                    continue
                first_opcode, whole = ws.cont_frame.extract(frame)
                if first_opcode == _ABNF.OPCODE_TEXT:
                    return Received(FrameKind.TEXT, bytes(whole.data).decode("utf-8"))
                return Received(FrameKind.BINARY, bytes(whole.data))
            if opcode == _ABNF.OPCODE_CLOSE:
                return CloseReceived(bytes(frame.data))
            if opcode == _ABNF.OPCODE_PING:
                return Received(FrameKind.PING, bytes(frame.data))
            if opcode == _ABNF.OPCODE_PONG:
                return Received(FrameKind.PONG, bytes(frame.data))

    def has_more(self) -> bool:
        """Whether bytes already read from the network wait to be parsed (the read-ahead's or TLS's buffer)."""
        pending = getattr(self._ws.sock, "pending", None)
        return bool(pending()) if pending is not None else False

    # -- writing (any thread) -------------------------------------------------------------

    def send(self, outgoing: Outgoing) -> None:
        """Send a text, binary or ping frame; :class:`SendTimeout` or :class:`SendFailed` if that fails."""
        payload = outgoing.payload
        if outgoing.kind is FrameKind.TEXT:
            self._sending(lambda ws: ws.send(payload, _ABNF.OPCODE_TEXT))
        elif outgoing.kind is FrameKind.BINARY and isinstance(payload, bytes):
            self._sending(lambda ws: ws.send_binary(payload))
        elif outgoing.kind is FrameKind.PING:
            self._sending(lambda ws: ws.ping(payload))
        else:
            raise ValueError(f"cannot send a frame of kind {outgoing.kind}")

    def pong(self, data: bytes) -> None:
        """Answer a ping."""
        self._sending(lambda ws: ws.pong(data))

    def send_close(self, code: int, reason: bytes = b"") -> None:
        """Send a close frame; :class:`SendFailed` if the connection is already broken."""
        self._sending(lambda ws: ws.send_close(code, reason))

    def _sending(self, action: Callable[[websocket.WebSocket], Any]) -> None:
        try:
            action(self._ws)
        except websocket.WebSocketTimeoutException:
            raise SendTimeout() from None
        except (OSError, websocket.WebSocketException) as exc:
            raise SendFailed(str(exc) or type(exc).__name__) from None

    # -- ending ---------------------------------------------------------------------------

    def interrupt(self) -> None:
        """Shut the socket down both ways: a ``receive`` blocked in another thread returns at once."""
        sock = self._ws.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        """Release the socket. Never raises."""
        try:
            self._ws.shutdown()  # type: ignore[no-untyped-call]  # untyped in websocket-client
        except Exception:  # already closed by the other side: nothing left to release
            pass


def open_transport(
    url: str,
    *,
    timeout: float,
    headers: Sequence[str],
    subprotocols: Sequence[str],
    origin: str | None,
    cookie: str | None,
    sslopt: dict[str, Any],
    no_proxy: Sequence[str],
    connected_socket: Callable[[], Any],
) -> Transport:
    """Open a websocket to ``url`` in the calling thread; :class:`ConnectError` says why not.

    ``timeout`` bounds the TCP connect and the handshake, and later each send.
    ``connected_socket`` returns an already connected socket to run the handshake over, or
    ``None`` to let websocket-client connect (TLS and proxies).
    """
    jar = getattr(getattr(websocket, "_handshake", None), "CookieJar", None)
    if jar is not None and hasattr(jar, "jar"):
        jar.jar.clear()
    try:
        ws = websocket.create_connection(
            url,
            timeout=timeout,
            header=list(headers) or None,
            subprotocols=list(subprotocols) or None,
            origin=origin,
            cookie=cookie,
            sslopt=sslopt,
            http_no_proxy=list(no_proxy),
            enable_multithread=True,
            # Its check is pure Python, about 0.3 us a byte; receive() decodes every text message
            # in C, which fails invalid UTF-8 with 1007 all the same.
            skip_utf8_validation=True,
            socket=connected_socket(),
        )
    except Exception as exc:  # every way a connect can fail is classified here, once
        raise _classified(exc) from None
    status = ws.getstatus()
    if status != 101:
        # websocket-client before 1.8 ends a redirect loop "connected" to the last redirect.
        ws.shutdown()  # type: ignore[no-untyped-call]  # untyped in websocket-client
        raise ConnectError(ConnectFailure.REDIRECT_LOOP, f"the handshake ended with HTTP {status}")
    return Transport(ws)


def _classified(exc: BaseException) -> ConnectError:
    if isinstance(exc, websocket.WebSocketBadStatusException):
        body = getattr(exc, "resp_body", None)
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else (str(body) if body else None)
        return ConnectError(ConnectFailure.REJECTED, str(exc), status=exc.status_code, body=text or None)
    if isinstance(exc, ConnectionRefusedError):
        failure = ConnectFailure.REFUSED
    elif isinstance(exc, (socket.gaierror, websocket.WebSocketAddressException)):
        failure = ConnectFailure.UNRESOLVED
    elif isinstance(exc, (websocket.WebSocketTimeoutException, TimeoutError, socket.timeout)):
        failure = ConnectFailure.TIMED_OUT
    elif isinstance(exc, ssl.SSLCertVerificationError):
        return ConnectError(ConnectFailure.CERTIFICATE, str(exc.verify_message or exc))
    elif isinstance(exc, ssl.SSLError):
        failure = ConnectFailure.TLS
    elif isinstance(exc, websocket.WebSocketException) and _INVALID_HEADER_TEXT in str(exc):
        failure = ConnectFailure.INVALID_101
    elif isinstance(exc, websocket.WebSocketException) and _REDIRECT_LIMIT_TEXT in str(exc):
        failure = ConnectFailure.REDIRECT_LOOP
    elif isinstance(exc, websocket.WebSocketConnectionClosedException):
        failure = ConnectFailure.CLOSED
    elif isinstance(exc, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
        failure = ConnectFailure.RESET
    else:
        return ConnectError(ConnectFailure.OTHER, exception_text(exc))
    return ConnectError(failure, str(exc))
