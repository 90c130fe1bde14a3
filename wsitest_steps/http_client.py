"""HTTP requests made by an actor, beside its websocket, and checks on their responses."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import requests
from hamcrest.core.matcher import Matcher

from .errors import ConfigurationError, ConnectionFailed, ExpectationFailed, StepInputError, at_step
from .frames import preview
from .json_matching import describe_value, json_mismatches

# Query parameters whose values never appear in a report.
SECRET_PARAMETERS = {"token", "access_token", "password", "secret", "api_key", "apikey", "key", "auth"}
LOOPBACK = {"localhost", "127.0.0.1", "::1"}
_UNPARSED = object()


@dataclass
class HttpExchange:
    """One request and the response to it."""

    method: str
    url: str
    status: int
    reason: str
    headers: Mapping[str, str]
    text: str
    seconds: float
    started_at: float
    _json: Any = field(default=_UNPARSED, repr=False)

    def json(self) -> Any:
        """The body decoded as JSON; raises ValueError if it is not JSON."""
        if self._json is _UNPARSED:
            self._json = json.loads(self.text)
        return self._json

    def describe(self) -> str:
        """``POST http://host/login answered 401 Unauthorized in 0.012s: {"error": ...}``."""
        return (
            f"{self.method} {redact(self.url)} answered {self.status} {self.reason} in {self.seconds:.3f}s"
            f"{': ' + preview(self.text, 500) if self.text else ' with an empty body'}"
        )


class HttpClient:
    """An actor's HTTP side: a session, a base URL for relative paths, and the last exchange.

    Each request runs in the calling thread with its own deadline; the actor's websocket keeps
    receiving meanwhile, because its reader thread is independent.
    """

    def __init__(self, actor: str, base_url: str | None, timeout: float) -> None:
        self.actor = actor
        self.base_url = base_url
        self.timeout = timeout
        self.session = requests.Session()
        self.default_headers: dict[str, str] = {}
        self.last: HttpExchange | None = None

    def request(
        self, method: str, url: str, headers: Mapping[str, str] | None = None, body: str | None = None, step: str | None = None
    ) -> HttpExchange:
        """Send a request and record the response as :attr:`last`; raise if no response came."""
        target = self._absolute(url, step)
        all_headers = {**self.default_headers, **(headers or {})}
        data = None
        if body is not None:
            data = body.encode("utf-8")
            if not any(h.lower() == "content-type" for h in all_headers):
                all_headers["Content-Type"] = "application/json" if _is_json(body) else "text/plain; charset=utf-8"
        # A proxy from the environment cannot reach this machine's loopback interface.
        proxies = {"http": "", "https": ""} if urlsplit(target).hostname in LOOPBACK else None
        started = time.monotonic()
        try:
            response = self.session.request(
                method, target, headers=all_headers, data=data, timeout=self.timeout, proxies=proxies, allow_redirects=False
            )
        except requests.Timeout:
            raise ExpectationFailed(
                f"{self.actor}'s {method} {redact(target)} got no response within {self.timeout:g} seconds"
                f"{at_step(step)}. Raise http_timeout if the endpoint is meant to be that slow."
            ) from None
        except requests.ConnectionError as exc:
            raise ConnectionFailed(
                f"{self.actor} could not {method} {redact(target)}{at_step(step)}: the connection failed "
                f"({_root_cause(exc)}). Check that the server is running and that http_url points at it."
            ) from None
        self.last = HttpExchange(
            method, target, response.status_code, response.reason or "", dict(response.headers), response.text,
            time.monotonic() - started, started,
        )
        return self.last

    def last_exchange(self, step: str | None = None) -> HttpExchange:
        if self.last is None:
            raise StepInputError(
                f"{self.actor} has made no HTTP request in this scenario{at_step(step)}; make one first, "
                f'e.g. "When {self.actor} requests GET /status".'
            )
        return self.last

    def check_status(self, expected: int, step: str | None = None) -> None:
        exchange = self.last_exchange(step)
        if exchange.status != expected:
            raise ExpectationFailed(f"{self.actor} expected status {expected}, but {exchange.describe()}{at_step(step)}.")

    def check_json(self, matcher: Matcher[Any], step: str | None = None) -> None:
        exchange = self.last_exchange(step)
        try:
            value = exchange.json()
        except ValueError:
            raise ExpectationFailed(
                f"{self.actor} expected a JSON body matching {describe_value(matcher)}, but the body is not JSON: "
                f"{exchange.describe()}{at_step(step)}."
            ) from None
        if not matcher.matches(value):
            differences = "; ".join(json_mismatches(matcher, value))
            raise ExpectationFailed(
                f"{self.actor} expected a JSON body matching {describe_value(matcher)}, but {differences}. "
                f"The exchange: {exchange.describe()}{at_step(step)}."
            )

    def check_header(self, name: str, value: str, step: str | None = None) -> None:
        exchange = self.last_exchange(step)
        found = {k.lower(): v for k, v in exchange.headers.items()}.get(name.lower())
        if found != value:
            shown = "no such header" if found is None else f"{name}: {found}"
            raise ExpectationFailed(
                f"{self.actor} expected the header {name}: {value}, but the response had {shown}. "
                f"The exchange: {exchange.describe()}{at_step(step)}."
            )

    def _absolute(self, url: str, step: str | None) -> str:
        if urlsplit(url).scheme in ("http", "https"):
            return url
        if not self.base_url:
            raise ConfigurationError(
                f"{self.actor} cannot request {url}: it is a relative URL and no http_url is configured"
                f"{at_step(step)}. Pass one with -D http_url=http://host:port, or write the full URL."
            )
        return urljoin(self.base_url.rstrip("/") + "/", url.lstrip("/"))


def redact(url: str) -> str:
    """``url`` with the values of secret-looking query parameters shown as ``***``."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = [(k, "***" if k.lower() in SECRET_PARAMETERS else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(pairs, safe="*")))


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _root_cause(exc: BaseException) -> str:
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "timed out"):
        if marker in text:
            return marker.lower()
    return type(exc).__name__

