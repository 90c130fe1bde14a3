"""Settings read from behave userdata (``-D key=value`` or ``[behave.userdata]``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import quote, urlsplit

from .errors import ConfigurationError

DEFAULT_TIMEOUT = 5.0
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_SETTLE = 0.5
# After a deadline, keep listening for this share of it (at most LATE_WINDOW_CAP seconds) so a
# failure can tell "slow" from "wrong" without lengthening a failing run by much.
LATE_WINDOW_SHARE = 0.2
LATE_WINDOW_CAP = 1.0
STRICT_MODES = {"off": "off", "false": "off", "no": "off", "0": "off",
                "warn": "warn", "fail": "fail", "true": "fail", "yes": "fail", "1": "fail"}
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
    """

    url_template: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    late_window: float | None = None
    settle: float = DEFAULT_SETTLE
    strict: str = "off"

    @classmethod
    def from_userdata(cls, userdata: Mapping[str, Any]) -> Settings:
        """Read ``ws_url``, ``ws_timeout`` and ``ws_connect_timeout``; raise on invalid values."""
        url = userdata.get("ws_url") or None
        if url is not None:
            check_url(str(url), source="the ws_url setting")
        late = userdata.get("ws_late_window")
        strict = str(userdata.get("ws_strict") or "off").strip().lower()
        if strict not in STRICT_MODES:
            raise ConfigurationError(
                f"The ws_strict setting is {strict!r}; use off, warn or fail (true means fail)."
            )
        return cls(
            url_template=url,
            timeout=_seconds_setting(userdata, "ws_timeout", DEFAULT_TIMEOUT),
            connect_timeout=_seconds_setting(userdata, "ws_connect_timeout", DEFAULT_CONNECT_TIMEOUT),
            late_window=None if late in (None, "") else _seconds_setting(userdata, "ws_late_window", 0.0, allow_zero=True),
            settle=_seconds_setting(userdata, "ws_settle", DEFAULT_SETTLE, allow_zero=True),
            strict=STRICT_MODES[strict],
        )

    def late_window_for(self, timeout: float) -> float:
        """How long a wait with this deadline keeps listening after it fails."""
        if self.late_window is not None:
            return self.late_window
        return min(LATE_WINDOW_SHARE * timeout, LATE_WINDOW_CAP)

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


def check_seconds(value: float, what: str, allow_zero: bool = False) -> float:
    """Return ``value`` if it is a usable deadline in seconds, else raise ConfigurationError."""
    too_small = value < 0 if allow_zero else value <= 0
    if not math.isfinite(value) or too_small or value > MAX_SECONDS:
        lowest = "at least 0" if allow_zero else "more than 0"
        raise ConfigurationError(
            f"{what} is {value:g} seconds; it must be {lowest} and at most {MAX_SECONDS:g}."
        )
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
