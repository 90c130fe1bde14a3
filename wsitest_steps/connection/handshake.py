"""Opening an actor's websocket, and saying in one paragraph why it could not be opened."""

from __future__ import annotations

import base64
import hashlib
import ssl
from typing import Any
from urllib.parse import urlsplit

from ..errors import at_step
from ..model.wording import seconds
from .network import BufferedSocket, Exchange, direct_socket, no_proxy_hosts
from .options import ConnectOptions
from .transport import ConnectError, ConnectFailure, SendFailed, SendTimeout, Transport, open_transport

# RFC 6455 section 1.3: what the server appends to the client's key before hashing it.
_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

_ENDED = (ConnectFailure.CLOSED, ConnectFailure.RESET)


def open_websocket(url: str, options: ConnectOptions, timeout: float, sslopt: dict[str, Any]) -> Transport:
    """Open a websocket to ``url`` (options already applied to its query); :class:`ConnectError` if that fails.

    Plain ``ws://`` connections that no proxy applies to run the handshake over a read-ahead
    socket, which also keeps what the handshake said, to explain a failure and to refuse an
    extension or subprotocol the client did not ask for (RFC 6455 section 4.1); TLS and proxies
    are websocket-client's own. Loopback never goes through a proxy.
    """
    made: list[BufferedSocket] = []

    def connected() -> BufferedSocket | None:
        sock = direct_socket(url, timeout)
        if sock is not None:
            made.append(sock)
        return sock

    try:
        transport = open_transport(
            url,
            timeout=timeout,
            headers=options.header_lines(),
            subprotocols=options.subprotocols,
            origin=options.origin,
            cookie=options.cookie_header(),
            sslopt=sslopt,
            no_proxy=no_proxy_hosts(),
            connected_socket=connected,
        )
    except ConnectError as error:
        error.exchange = made[0].exchange() if made else None
        raise
    unasked = _unasked(made[0].exchange(), options) if made else None
    if unasked is not None:
        try:
            transport.send_close(1002)
        except (SendFailed, SendTimeout):
            pass  # failing the connection: whether the server hears the close does not matter
        transport.close()
        raise ConnectError(ConnectFailure.UNASKED, unasked)
    return transport


def _unasked(exchange: Exchange, options: ConnectOptions) -> str | None:
    headers = exchange.response_headers()
    if "sec-websocket-extensions" in headers:
        return f"the server's 101 names the extension {headers['sec-websocket-extensions']!r}, which the client did not ask for"
    chosen = headers.get("sec-websocket-protocol")
    if chosen is not None and not options.subprotocols:
        return f"the server's 101 chose the subprotocol {chosen!r}, though the client offered none"
    return None


def _invalid_101(exchange: Exchange | None, options: ConnectOptions) -> str:
    """Which header of a 101 answer websocket-client rejected, from what the server said."""
    offered = ", ".join(options.subprotocols)
    none_chosen = (
        f"the server completed the handshake without choosing any of the subprotocols offered ({offered}). "
        "Offer one the server supports, or connect without a subprotocol"
    )
    if exchange is None or not exchange.finished:
        if options.subprotocols:
            return none_chosen
        return "the server's 101 answer lacked a header a websocket handshake needs (Upgrade, Connection or Sec-WebSocket-Accept)"
    headers = exchange.response_headers()
    if headers.get("upgrade", "").lower() != "websocket":
        return f"the server's 101 answer has Upgrade: {headers.get('upgrade', '(none)')}, not websocket"
    if "upgrade" not in [part.strip().lower() for part in headers.get("connection", "").split(",")]:
        return f"the server's 101 answer has Connection: {headers.get('connection', '(none)')}, not Upgrade"
    key = exchange.request_headers().get("sec-websocket-key", "")
    expected = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
    accept = headers.get("sec-websocket-accept")
    if accept != expected:
        return (
            f"the server's 101 answer has Sec-WebSocket-Accept: {accept or '(none)'}, not {expected}, the value RFC 6455 "
            "section 4.2.2 derives from the key the client sent: something on that port does not speak websocket "
            "(a proxy or a server that answers 101 without the websocket protocol)"
        )
    chosen = headers.get("sec-websocket-protocol")
    if options.subprotocols and chosen is None:
        return none_chosen
    return f"the server chose the subprotocol {chosen!r}, which the client did not offer (it offered: {offered or 'none'})"


def negotiated(
    transport: Transport, options: ConnectOptions, shown_headers: list[str], url: str, sslopt: dict[str, Any]
) -> tuple[str, ...]:
    """What a transcript says the handshake negotiated and sent: subprotocol, headers, origin, cookies, TLS."""
    details = []
    if transport.subprotocol:
        details.append(f"subprotocol {transport.subprotocol}")
    elif options.subprotocols:
        details.append("no subprotocol")
    if shown_headers:
        details.append("headers " + ", ".join(shown_headers))
    if options.origin is not None:
        details.append(f"origin {options.origin}")
    if options.cookies:
        details.append("cookies ***")
    if urlsplit(url).scheme == "wss" and sslopt.get("cert_reqs") == ssl.CERT_NONE:
        details.append("TLS certificate NOT verified (ws_insecure_skip_tls_verify)")
    return tuple(details)


def failure_text(
    name: str, url: str, error: ConnectError, timeout: float, step: str | None, options: ConnectOptions, sslopt: dict[str, Any]
) -> str:
    """One paragraph saying why ``name`` could not connect to ``url`` and what to check."""
    parts = urlsplit(url)
    where = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'wss' else 80)}"
    failure = error.failure
    exchange = error.exchange
    if failure is ConnectFailure.REJECTED:
        body_text = f" The response body was: {error.body[:300].strip()}" if error.body else ""
        why = (
            f"the server rejected the websocket handshake with HTTP {error.status}.{body_text} "
            "Check the URL's path and query, and any credentials the server requires"
        )
    elif failure is ConnectFailure.REFUSED:
        why = f"the connection was refused: nothing is listening on {where}. Start the server, or point the URL (ws_url) at the port it listens on"
    elif failure is ConnectFailure.UNRESOLVED:
        why = f"the host name {parts.hostname!r} could not be resolved ({error.detail}). Check the host in the URL (ws_url)"
    elif failure is ConnectFailure.TIMED_OUT and exchange is not None and exchange.response:
        why = (
            f"the server began its answer to the handshake ({exchange.first_line()}) but did not finish its headers "
            f"within {seconds(timeout)}. Check the server's handshake, or raise ws_connect_timeout"
        )
    elif failure is ConnectFailure.TIMED_OUT:
        why = (
            f"no answer to the websocket handshake from {where} within {seconds(timeout)}. The server "
            "accepted nothing or answered nothing; check that it speaks websocket on that port, or "
            "raise ws_connect_timeout"
        )
    elif failure is ConnectFailure.REDIRECT_LOOP:
        first = (
            f" (the first answer: HTTP {exchange.status()} to {exchange.response_headers().get('location', '(no Location)')})"
            if exchange is not None and exchange.status() is not None
            else ""
        )
        why = (
            f"the server redirected the handshake more times than websocket-client follows (3){first}: a redirect loop, "
            "or a chain too long. Point the URL at the address the redirects end at"
        )
    elif failure is ConnectFailure.UNASKED:
        why = f"{error.detail}; RFC 6455 section 4.1 says the client must fail such a connection, which it did (close code 1002)"
    elif failure is ConnectFailure.CERTIFICATE:
        trusted = (
            f"the CA file {sslopt['ca_certs']} (ws_ca_file)" if sslopt.get("ca_certs") else "the system's trusted authorities"
        )
        why = (
            f"the server's TLS certificate was rejected: {error.detail}. It was checked against {trusted} "
            f"and the host name {parts.hostname!r}. Give the server a certificate for that host signed by a trusted "
            "authority, or trust your private CA with -D ws_ca_file=path/to/ca.pem"
        )
    elif failure is ConnectFailure.TLS:
        why = f"the TLS handshake failed: {error.detail}. Check that the server speaks TLS on that port (wss://) and the client certificate settings"
    elif failure is ConnectFailure.INVALID_101:
        why = _invalid_101(exchange, options)
    elif failure in _ENDED:
        how = "closed" if failure is ConnectFailure.CLOSED else "reset"
        why = (
            f"the server {how} the connection during the handshake, without an HTTP answer. Check that {where} "
            "speaks websocket on that path, and that the URL is well formed"
        )
    else:
        why = f"the connection failed: {error.detail}"
    if parts.scheme == "wss" and failure in (*_ENDED, ConnectFailure.TLS) and not sslopt.get("certfile"):
        # With TLS 1.3 a server that wants a client certificate says so only after the handshake,
        # by an alert, a reset or a plain close, depending on timing.
        why = why.rstrip(".") + (
            ". A TLS server that requires a client certificate ends connections this way too: give one with "
            "ws_client_cert and ws_client_key"
        )
    return f"{name} could not connect to {url}{at_step(step)}: {why.rstrip('.')}."
