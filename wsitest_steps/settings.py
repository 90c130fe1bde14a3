"""Settings read from behave userdata (``-D key=value`` or ``[behave.userdata]``)."""

from __future__ import annotations

import math
import os
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from .errors import ConfigurationError
from .model.kinds import Word
from .model.wording import seconds
from .protocols.base import protocol_named

DEFAULT_TIMEOUT = 5.0
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_SETTLE = 0.5
DEFAULT_HTTP_TIMEOUT = 10.0
# After a deadline, keep listening for this share of it (at most LATE_WINDOW_CAP seconds) so a
# failure can tell "slow" from "wrong" without lengthening a failing run by much.
LATE_WINDOW_SHARE = 0.2
LATE_WINDOW_CAP = 1.0


class StrictMode(Word):
    """What ``ws_strict`` does about messages no step used, at the end of each scenario."""

    OFF = "off"
    WARN = "warn"
    FAIL = "fail"


#: Every spelling ``ws_strict`` accepts.
STRICT_MODES = {
    "off": StrictMode.OFF,
    "false": StrictMode.OFF,
    "no": StrictMode.OFF,
    "0": StrictMode.OFF,
    "warn": StrictMode.WARN,
    "fail": StrictMode.FAIL,
    "true": StrictMode.FAIL,
    "yes": StrictMode.FAIL,
    "1": StrictMode.FAIL,
}
# A deadline longer than this is almost certainly a typo (ms for s) and would let one step
# stall a CI run for hours.
MAX_SECONDS = 3600.0


@dataclass(frozen=True)
class Settings:
    """What the steps need to know about the system under test.

    ``url_template`` (userdata ``ws_url``) is the URL for "user X connects"; each ``{name}``
    in it is replaced by the actor's name, percent-encoded, so ``Rob Smith`` and ``a&b=c``
    arrive literally and the rest of the URL, query included, is kept as written. A URL
    without ``{name}`` is used as is by every actor. ``timeout`` (``ws_timeout``) is the
    default deadline of waiting steps; ``connect_timeout`` (``ws_connect_timeout``) bounds
    opening a connection, handshake included.

    ``late_window`` (``ws_late_window``, seconds, 0 to turn off) is how long a failed wait keeps
    listening after its deadline, to report a late arrival; by default a fifth of the deadline,
    at most a second. ``settle`` (``ws_settle``) is how long "only Alice and Bob receive ..."
    keeps watching everyone else after the last of them received it. ``strict`` (``ws_strict``:
    ``off``, ``warn`` or ``fail``) checks at the end of each scenario that no actor holds
    messages that no step used.

    ``endpoints`` (``ws_url.NAME``, e.g. ``-D ws_url.admin=ws://host/admin?user={name}``) are
    further URL templates, used by "user X connects to the admin endpoint".

    TLS: ``wss://`` certificates are verified against the system's trusted authorities, or
    against ``ca_file`` (``ws_ca_file``, a PEM bundle) instead. ``client_cert`` and ``client_key``
    (``ws_client_cert``, ``ws_client_key``) present a client certificate. Verification is skipped
    only when ``insecure_skip_tls_verify`` (``ws_insecure_skip_tls_verify``: ``true`` for every
    connection, or a comma-separated list of endpoint names) says so, and every connection made
    that way says so in its transcript.

    ``log_frames`` (``ws_log=frames``) logs every frame sent and received, as it flows, to the
    ``wsitest_steps.frames`` logger at INFO level.

    ``secrets`` (``ws_secrets``, comma-separated) names more headers and query parameters whose
    values never appear in output, besides Authorization, Cookie, token and the like.

    ``http_url`` is the base of relative URLs in HTTP steps; ``http_timeout`` (default 10) bounds
    each HTTP request.
    """

    url_template: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    late_window: float | None = None
    settle: float = DEFAULT_SETTLE
    strict: StrictMode = StrictMode.OFF
    http_url: str | None = None
    http_timeout: float = DEFAULT_HTTP_TIMEOUT
    endpoints: Mapping[str, str] = field(default_factory=dict)
    ca_file: str | None = None
    client_cert: str | None = None
    client_key: str | None = None
    insecure_skip_tls_verify: bool | frozenset[str] = False
    secrets: tuple[str, ...] = ()
    log_frames: bool = False
    #: ``ws_protocol`` (key ``None``) and ``ws_protocol.NAME``: the protocol each endpoint speaks.
    protocols: Mapping[str | None, str] = field(default_factory=dict)
    #: ``ws_subprotocols`` / ``ws_subprotocols.NAME`` (comma-separated): offered when a step offers none.
    subprotocols: Mapping[str | None, tuple[str, ...]] = field(default_factory=dict)
    #: ``ws_headers`` / ``ws_headers.NAME`` (``Name: value`` pairs separated by ``;``): sent before a step's own.
    headers: Mapping[str | None, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    #: ``ws_asyncapi``: the AsyncAPI document every scenario's messages are held to, without a sentence.
    asyncapi: str | None = None
    #: ``ws_asyncapi_url``: the base URL that replaces the document's server in its channels' URLs.
    asyncapi_url: str | None = None
    #: ``ws_actor_suffix``: added to every actor's name where it goes on the wire (``{name}`` in
    #: URLs, ``{actor.Rob}`` in step text), so that concurrent runs of one scenario (a load test's
    #: simulated users, parallel CI jobs) connect as distinct users.
    actor_suffix: str = ""

    def wire_name(self, name: str) -> str:
        """The name actor ``name`` goes by on the wire: with ``ws_actor_suffix`` added."""
        return name + self.actor_suffix

    def __post_init__(self) -> None:
        # Settings made in Python may name the mode as a word: "fail" is StrictMode.FAIL.
        object.__setattr__(self, "strict", StrictMode(self.strict))

    @classmethod
    def from_userdata(cls, userdata: Mapping[str, Any]) -> Settings:
        """Read ``ws_url``, ``ws_timeout`` and ``ws_connect_timeout``; raise on invalid values."""
        url = userdata.get("ws_url") or None
        if url is not None:
            check_url(str(url), source="the ws_url setting", template=True)
        late = userdata.get("ws_late_window")
        strict = str(userdata.get("ws_strict") or "off").strip().lower()
        if strict not in STRICT_MODES:
            raise ConfigurationError(f"The ws_strict setting is {strict!r}; use off, warn or fail (true means fail).")
        endpoints = {}
        protocols: dict[str | None, str] = {}
        subprotocols: dict[str | None, tuple[str, ...]] = {}
        headers: dict[str | None, tuple[tuple[str, str], ...]] = {}
        for key in userdata:
            base, _, endpoint_name = str(key).partition(".")
            endpoint = endpoint_name or None
            if base == "ws_subprotocols":
                subprotocols[endpoint] = tuple(p.strip() for p in str(userdata[key]).split(",") if p.strip())
            elif base == "ws_headers":
                headers[endpoint] = _headers_setting(str(key), str(userdata[key]))
            elif base == "ws_protocol" and str(userdata[key]).strip():
                protocol_named(str(userdata[key]).strip(), source=f"The {key} setting")  # a word no protocol has fails here
                protocols[endpoint] = str(userdata[key]).strip()
            if str(key).startswith("ws_url."):
                name = str(key)[len("ws_url.") :]
                check_url(str(userdata[key]), source=f"the {key} setting", template=True)
                endpoints[name] = str(userdata[key])
        return cls(
            url_template=url,
            endpoints=endpoints,
            protocols=protocols,
            subprotocols=subprotocols,
            headers=headers,
            ca_file=_existing_file(userdata, "ws_ca_file"),
            client_cert=_existing_file(userdata, "ws_client_cert"),
            client_key=_existing_file(userdata, "ws_client_key"),
            insecure_skip_tls_verify=_insecure_setting(userdata, endpoints),
            log_frames=_log_setting(userdata),
            secrets=tuple(n.strip() for n in str(userdata.get("ws_secrets") or "").split(",") if n.strip()),
            timeout=_seconds_setting(userdata, "ws_timeout", DEFAULT_TIMEOUT),
            connect_timeout=_seconds_setting(userdata, "ws_connect_timeout", DEFAULT_CONNECT_TIMEOUT),
            late_window=None if late in (None, "") else _seconds_setting(userdata, "ws_late_window", 0.0, allow_zero=True),
            settle=_seconds_setting(userdata, "ws_settle", DEFAULT_SETTLE, allow_zero=True),
            strict=STRICT_MODES[strict],
            http_url=_http_url(userdata.get("http_url")),
            http_timeout=_seconds_setting(userdata, "http_timeout", DEFAULT_HTTP_TIMEOUT),
            asyncapi=_existing_file(userdata, "ws_asyncapi"),
            asyncapi_url=_asyncapi_url(userdata.get("ws_asyncapi_url")),
            actor_suffix=str(userdata.get("ws_actor_suffix") or ""),
        )

    def late_window_for(self, timeout: float) -> float:
        """How long a wait with this deadline keeps listening after it fails."""
        if self.late_window is not None:
            return self.late_window
        return min(LATE_WINDOW_SHARE * timeout, LATE_WINDOW_CAP)

    def subprotocols_for(self, endpoint: str | None = None) -> tuple[str, ...]:
        """The subprotocols offered on the endpoint when a step offers none."""
        return self.subprotocols.get(endpoint, self.subprotocols.get(None, ()))

    def headers_for(self, endpoint: str | None = None) -> tuple[tuple[str, str], ...]:
        """The headers every handshake to the endpoint sends, before a step's own."""
        return self.headers.get(endpoint, self.headers.get(None, ()))

    def protocol_for(self, endpoint: str | None = None) -> str | None:
        """The protocol the endpoint speaks (``ws_protocol.NAME``, else ``ws_protocol``), ``None`` for raw frames."""
        return self.protocols.get(endpoint, self.protocols.get(None))

    def url_for(self, name: str, endpoint: str | None = None) -> str:
        """The URL actor ``name`` connects to when a step gives none, or names ``endpoint``."""
        if endpoint is not None:
            template = self.endpoints.get(endpoint)
            if template is None:
                known = ", ".join(sorted(self.endpoints)) or "none"
                raise ConfigurationError(
                    f"No URL is configured for the {endpoint} endpoint (configured endpoints: {known}). "
                    f"Pass one with -D ws_url.{endpoint}=ws://host:port/path?name={{name}}, or set "
                    f"ws_url.{endpoint} in the [behave.userdata] section of behave.ini."
                )
            return template.replace("{name}", quote(self.wire_name(name), safe=""))
        if not self.url_template:
            raise ConfigurationError(
                f'No websocket URL is configured, so "user {name} connects" does not know where to '
                "connect. Pass one to behave with -D ws_url=ws://host:port/path?name={name} (or set "
                "ws_url in the [behave.userdata] section of behave.ini), or name the URL in the step: "
                f'Given user {name} connects to "ws://host:port/path".'
            )
        return self.url_template.replace("{name}", quote(self.wire_name(name), safe=""))

    def sslopt(self, endpoint: str | None = None) -> dict[str, Any]:
        """The ``sslopt`` websocket-client needs for ``wss://`` URLs (of ``endpoint``, if named)."""
        options: dict[str, Any] = {}
        insecure = self.insecure_skip_tls_verify
        if insecure is True or (endpoint is not None and not isinstance(insecure, bool) and endpoint in insecure):
            options.update(cert_reqs=ssl.CERT_NONE, check_hostname=False)
        elif self.ca_file:
            options["ca_certs"] = self.ca_file
        if self.client_cert:
            options["certfile"] = self.client_cert
            if self.client_key:
                options["keyfile"] = self.client_key
        return options


def check_url(url: str, source: str, template: bool = False) -> None:
    """Raise :class:`ConfigurationError` unless ``url`` is a ws:// or wss:// URL with a host.

    With ``template``, ``{name}`` (replaced per actor, encoded) may appear in it.
    """
    shown = url
    if template:
        url = url.replace("{name}", "name")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ConfigurationError(f"{source} {shown!r} is not a valid URL ({exc}).") from None
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise ConfigurationError(
            f"{source} {shown!r} is not a websocket URL: it must start with ws:// or wss:// and name "
            "a host, e.g. ws://127.0.0.1:8765/?name={name}."
        )
    unsafe = sorted({char for char in url if char.isspace() or char in '"<>\\^`{|}' or ord(char) > 126})
    if unsafe:
        shown = ", ".join(repr(char) for char in unsafe)
        raise ConfigurationError(
            f"{source} {shown!r} contains characters that must be percent-encoded in a URL ({shown}). Encode "
            'them (a space is %20), or give query values with "connects with the query parameters:", which '
            "encodes them."
        )


def _http_url(raw: Any) -> str | None:
    if not raw:
        return None
    url = str(raw)
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise ConfigurationError(f"The http_url setting {url!r} must start with http:// or https:// and name a host.")
    return url


def _existing_file(userdata: Mapping[str, Any], key: str) -> str | None:
    raw = userdata.get(key)
    if not raw:
        return None
    path = os.path.abspath(str(raw))
    if not os.path.isfile(path):
        raise ConfigurationError(
            f"The {key} setting names {raw!r}, but there is no such file (looked for {path}). "
            "Relative paths are read from the directory behave runs in."
        )
    return path


def _log_setting(userdata: Mapping[str, Any]) -> bool:
    raw = str(userdata.get("ws_log") or "off").strip().lower()
    if raw in ("frames", "on", "true", "1", "yes"):
        return True
    if raw in ("off", "false", "0", "no", "none"):
        return False
    raise ConfigurationError(f"The ws_log setting is {raw!r}; use frames (log every frame as it flows) or off.")


def _insecure_setting(userdata: Mapping[str, Any], endpoints: Mapping[str, str]) -> bool | frozenset[str]:
    key = "ws_insecure_skip_tls_verify"
    raw = str(userdata.get(key) or "false").strip()
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off", ""):
        return False
    names = frozenset(name.strip() for name in raw.split(",") if name.strip())
    unknown = sorted(names - set(endpoints))
    if unknown:
        raise ConfigurationError(
            f"The {key} setting names {', '.join(unknown)}, which {'is not an endpoint' if len(unknown) == 1 else 'are not endpoints'} "
            f"(configured endpoints: {', '.join(sorted(endpoints)) or 'none'}). Use true, false, or names given as ws_url.NAME."
        )
    return names


def check_seconds(value: float, what: str, allow_zero: bool = False) -> float:
    """Return ``value`` if it is a usable deadline in seconds, else raise ConfigurationError."""
    too_small = value < 0 if allow_zero else value <= 0
    if not math.isfinite(value) or too_small or value > MAX_SECONDS:
        lowest = "at least 0" if allow_zero else "more than 0"
        raise ConfigurationError(f"{what} is {seconds(value)}; it must be {lowest} and at most {MAX_SECONDS:g}.")
    return value


def _seconds_setting(userdata: Mapping[str, Any], key: str, default: float, allow_zero: bool = False) -> float:
    raw = userdata.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ConfigurationError(
            f"The {key} setting is {raw!r}, which is not a number of seconds; use e.g. -D {key}=5."
        ) from None
    return check_seconds(value, f"The {key} setting", allow_zero)


def _headers_setting(key: str, value: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for part in value.split(";"):
        if not part.strip():
            continue
        name, sep, header_value = part.partition(":")
        if not sep or not name.strip():
            raise ConfigurationError(f'The {key} setting has {part.strip()!r}; write headers as "Name: value; Other: value".')
        pairs.append((name.strip(), header_value.strip()))
    return tuple(pairs)


def _asyncapi_url(value: Any) -> str | None:
    if value in (None, ""):
        return None
    check_url(str(value), source="the ws_asyncapi_url setting")
    return str(value).rstrip("/")
