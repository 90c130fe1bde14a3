"""Opening an actor's websocket, and saying in one paragraph why it could not be opened."""

from __future__ import annotations

import ssl
from typing import Any
from urllib.parse import urlsplit

from ..errors import at_step
from .network import direct_socket, no_proxy_hosts
from .options import ConnectOptions
from .transport import ConnectError, ConnectFailure, Transport, open_transport

_ENDED = (ConnectFailure.CLOSED, ConnectFailure.RESET)


def open_websocket(url: str, options: ConnectOptions, timeout: float, sslopt: dict[str, Any]) -> Transport:
    """Open a websocket to ``url`` (options already applied to its query); :class:`ConnectError` if that fails.

    Plain ``ws://`` connections that no proxy applies to run the handshake over a read-ahead
    socket; TLS and proxies are websocket-client's own. Loopback never goes through a proxy.
    """
    return open_transport(
        url,
        timeout=timeout,
        headers=options.header_lines(),
        subprotocols=options.subprotocols,
        origin=options.origin,
        cookie=options.cookie_header(),
        sslopt=sslopt,
        no_proxy=no_proxy_hosts(),
        connected_socket=lambda: direct_socket(url, timeout),
    )


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
    elif failure is ConnectFailure.TIMED_OUT:
        why = (
            f"no answer to the websocket handshake from {where} within {timeout:g} seconds. The server "
            "accepted nothing or answered nothing; check that it speaks websocket on that port, or "
            "raise ws_connect_timeout"
        )
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
    elif failure is ConnectFailure.NO_SUBPROTOCOL:
        offered = ", ".join(options.subprotocols)
        why = (
            f"the server completed the handshake without choosing any of the subprotocols offered ({offered}). "
            "Offer one the server supports, or connect without a subprotocol"
        )
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
