"""Settings read from behave userdata (``-D key=value`` or ``[behave.userdata]``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import quote, urlsplit

from .errors import ConfigurationError

DEFAULT_TIMEOUT = 5.0
DEFAULT_CONNECT_TIMEOUT = 5.0
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
    """

    url_template: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT

    @classmethod
    def from_userdata(cls, userdata: Mapping[str, Any]) -> Settings:
        """Read ``ws_url``, ``ws_timeout`` and ``ws_connect_timeout``; raise on invalid values."""
        url = userdata.get("ws_url") or None
        if url is not None:
            check_url(str(url), source="the ws_url setting")
        return cls(
            url_template=url,
            timeout=_seconds_setting(userdata, "ws_timeout", DEFAULT_TIMEOUT),
            connect_timeout=_seconds_setting(userdata, "ws_connect_timeout", DEFAULT_CONNECT_TIMEOUT),
        )

    def url_for(self, name: str) -> str:
        """The URL actor ``name`` connects to when a step gives none."""
        if not self.url_template:
            raise ConfigurationError(
                f'No websocket URL is configured, so "user {name} connects" does not know where to '
                "connect. Pass one to behave with -D ws_url=ws://host:port/path?name={name} (or set "
                "ws_url in the [behave.userdata] section of behave.ini), or name the URL in the step: "
                f'Given user {name} connects to "ws://host:port/path".'
            )
        return self.url_template.replace("{name}", quote(name, safe=""))


def check_url(url: str, source: str) -> None:
    """Raise :class:`ConfigurationError` unless ``url`` is a ws:// or wss:// URL with a host."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ConfigurationError(f"{source} {url!r} is not a valid URL ({exc}).") from None
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise ConfigurationError(
            f"{source} {url!r} is not a websocket URL: it must start with ws:// or wss:// and name "
            "a host, e.g. ws://127.0.0.1:8765/?name={name}."
        )


def check_seconds(value: float, what: str) -> float:
    """Return ``value`` if it is a usable deadline in seconds, else raise ConfigurationError."""
    if not math.isfinite(value) or value <= 0 or value > MAX_SECONDS:
        raise ConfigurationError(
            f"{what} is {value:g} seconds; it must be more than 0 and at most {MAX_SECONDS:g}."
        )
    return value


def _seconds_setting(userdata: Mapping[str, Any], key: str, default: float) -> float:
    raw = userdata.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ConfigurationError(
            f"The {key} setting is {raw!r}, which is not a number of seconds; use e.g. -D {key}=5."
        ) from None
    return check_seconds(value, f"The {key} setting")
