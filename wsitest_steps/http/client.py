"""HTTP requests made by an actor, beside its websocket, and checks on their responses.

Requests go through `requests <https://requests.readthedocs.io>`_, in the calling step's
thread, each bounded by ``http_timeout``. The actor's websocket keeps receiving meanwhile:
its reader thread does not wait for anything here. Responses are checked with the same
matchers as websocket messages, so the same words work for both.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from hamcrest.core.matcher import Matcher

from ..connection.deadline import Deadline
from ..connection.network import bypasses_proxy
from ..errors import ConfigurationError, ConnectionFailed, ExpectationFailed, StepInputError, at_step
from ..matching.describe import describe, listed, mismatch
from ..matching.json import is_json
from ..model.events import Requested, RequestFailed, Responded
from ..model.frames import Frame, NotJson
from ..model.kinds import FrameKind
from ..model.wording import plural, preview, seconds
from ..recording.recorder import Recorder
from ..recording.redaction import Redactor

#: The first pause of a polling request, and the longest, in seconds.
POLL_FIRST = 0.05
POLL_MOST = 0.5


@dataclass(eq=False)
class HttpExchange:
    """One request and the response to it. ``started_at`` and ``finished_at`` are on the scenario clock."""

    method: str
    url: str
    status: int
    reason: str
    headers: Mapping[str, str]
    text: str
    started_at: float
    finished_at: float

    @property
    def seconds(self) -> float:
        return self.finished_at - self.started_at

    def as_frame(self) -> Frame:
        """The body as a text frame, so message matchers (JSON, text, tables, schemas) apply to it."""
        return Frame(0, FrameKind.TEXT, self.text, self.finished_at)

    def json(self) -> Any:
        """The body decoded as JSON; raises :class:`~wsitest_steps.frames.NotJson` if it is not."""
        return self.as_frame().json()

    def describe(self, recorder: Recorder) -> str:
        """``POST http://host/login answered 401 Unauthorized in 0.012s: {"error": ...}``, secrets hidden."""
        body = f": {preview(self.text, 500)}" if self.text else " with an empty body"
        return recorder.redactor.text(
            f"{self.method} {recorder.redactor.url(self.url)} answered {self.status} {self.reason} in {self.seconds:.3f}s{body}"
        )


class HttpClient:
    """An actor's HTTP side: a session (cookies persist), a base URL for relative paths, the last exchange.

    ``base_url`` is userdata ``http_url``; ``timeout`` is ``http_timeout``.
    """

    def __init__(self, actor: str, base_url: str | None, timeout: float, recorder: Recorder | None = None) -> None:
        self.actor = actor
        self.base_url = base_url
        self.timeout = timeout
        self.recorder = recorder or Recorder()
        # Imported here and in request(): only scenarios that make HTTP requests pay for loading it.
        import requests

        self.session = requests.Session()
        self.last: HttpExchange | None = None

    def request(
        self,
        method: str,
        url: str,
        headers: Sequence[tuple[str, str]] = (),
        body: str | None = None,
        step: str | None = None,
    ) -> HttpExchange:
        """Send a request and record the response as :attr:`last`; raise if no response came.

        A body that is JSON goes with ``Content-Type: application/json`` unless a header says
        otherwise; any other body as ``text/plain``.
        """
        import requests

        method = method.upper()
        target = self._absolute(url, step)
        redactor = self.recorder.redactor
        shown_headers = [f"{name}: {redactor.header(name, value)}" for name, value in headers]
        all_headers = dict(headers)
        data = None
        if body is not None:
            data = body.encode("utf-8")
            if not any(name.lower() == "content-type" for name in all_headers):
                all_headers["Content-Type"] = "application/json" if is_json(body) else "text/plain; charset=utf-8"
            _remember_secret_fields(body, redactor)
        shown_url = redactor.url(target)
        shown = f"{method} {shown_url}"
        proxies = {"http": "", "https": ""} if bypasses_proxy(urlsplit(target).hostname) else None
        started = time.monotonic()
        self.recorder.add(
            Requested(
                at=started, actor=self.actor, step=step, method=method, url=shown_url, headers=tuple(shown_headers), body=body
            )
        )
        try:
            response = self.session.request(
                method, target, headers=all_headers, data=data, timeout=self.timeout, proxies=proxies, allow_redirects=False
            )
        except requests.Timeout:
            self.recorder.add(
                RequestFailed(
                    at=time.monotonic(), actor=self.actor, step=step, method=method, url=shown_url, timeout=self.timeout
                )
            )
            raise ExpectationFailed(
                redactor.text(
                    f"{self.actor}'s {shown} got no response within {seconds(self.timeout)}{at_step(step)}. "
                    "Raise http_timeout if the endpoint is meant to be that slow."
                )
            ) from None
        except requests.RequestException as exc:
            self.recorder.add(
                RequestFailed(
                    at=time.monotonic(), actor=self.actor, step=step, method=method, url=shown_url, cause=_root_cause(exc)
                )
            )
            raise ConnectionFailed(
                redactor.text(
                    f"{self.actor} could not {shown}{at_step(step)}: the connection failed ({_root_cause(exc)}). "
                    "Check that the server is running and that http_url points at it."
                )
            ) from None
        exchange = HttpExchange(
            method,
            target,
            response.status_code,
            response.reason or "",
            dict(response.headers),
            response.text,
            started,
            time.monotonic(),
        )
        _remember_secret_fields(exchange.text, redactor)
        self.recorder.add(
            Responded(
                at=exchange.finished_at,
                actor=self.actor,
                step=step,
                method=method,
                url=shown_url,
                status=exchange.status,
                reason=exchange.reason,
                seconds=exchange.seconds,
                body=exchange.text,
            )
        )
        self.last = exchange
        return exchange

    def pause(self, seconds: float) -> None:
        """Wait ``seconds`` on the clock (on an event that is never set, so nothing can cut it short or overrun it)."""
        Deadline.after(seconds).wait_for(threading.Event())

    def last_exchange(self, step: str | None = None) -> HttpExchange:
        if self.last is None:
            raise StepInputError(
                f"{self.actor} has made no HTTP request in this scenario{at_step(step)}; make one first, "
                f'e.g. "When {self.actor} requests GET /status".'
            )
        return self.last

    # -- checks on the last response ----------------------------------------------------

    def check_status(self, expected: int, step: str | None = None) -> None:
        exchange = self.last_exchange(step)
        if exchange.status != expected:
            raise ExpectationFailed(
                f"{self.actor} expected status {expected}, but {exchange.describe(self.recorder)}{at_step(step)}."
            )

    def check_body(self, matcher: Matcher[Frame], step: str | None = None) -> None:
        """The body must satisfy a message matcher (JSON with subset semantics, text, a table, a schema)."""
        exchange = self.last_exchange(step)
        frame = exchange.as_frame()
        if not matcher.matches(frame):
            raise ExpectationFailed(
                self.recorder.redactor.text(
                    f"{self.actor}'s response is not {describe(matcher)}: {_why_not(matcher, frame)}{at_step(step)}.\n"
                    f"The exchange: {exchange.describe(self.recorder)}"
                )
            )

    def poll(
        self,
        method: str,
        url: str,
        matcher: Matcher[Frame],
        timeout: float,
        headers: Sequence[tuple[str, str]] = (),
        body: str | None = None,
        step: str | None = None,
    ) -> HttpExchange:
        """Repeat the request until its response body satisfies ``matcher``, or ``timeout`` passes.

        HTTP tells nobody when a resource changes, so this asks again: soon at first, then less
        often (0.05 s doubling to 0.5 s), each pause cut short by the deadline.
        """
        deadline = Deadline.after(timeout)
        pause, asked = POLL_FIRST, 0
        while True:
            exchange = self.request(method, url, headers, body, step)
            asked += 1
            if matcher.matches(exchange.as_frame()):
                return exchange
            if deadline.passed:
                break
            self.pause(min(pause, deadline.remaining()))
            pause = min(pause * 2, POLL_MOST)
        raise ExpectationFailed(
            self.recorder.redactor.text(
                f"{method} {url} did not answer {describe(matcher)} within {seconds(timeout)}{at_step(step)}: {self.actor} "
                f"asked {plural(asked, 'time')}, and the last answer differs: {_why_not(matcher, exchange.as_frame())}."
                "\nThe last exchange: "
                f"{exchange.describe(self.recorder)}"
            )
        )

    def check_header(self, name: str, matcher: Matcher[Any], step: str | None = None) -> None:
        exchange = self.last_exchange(step)
        found = {k.lower(): v for k, v in exchange.headers.items()}.get(name.lower())
        if found is None and getattr(matcher, "matches_absence", False):
            return
        if found is None or not matcher.matches(found):
            shown = "no such header" if found is None else f"{name}: {self.recorder.redactor.header(name, found)}"
            raise ExpectationFailed(
                self.recorder.redactor.text(
                    f"{self.actor} expected the response header {name} to be {describe(matcher)}, but the response "
                    f"had {shown}{at_step(step)}. The exchange: {exchange.describe(self.recorder)}"
                )
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

    def close(self) -> None:
        self.session.close()


def _why_not(matcher: Matcher[Frame], frame: Frame) -> str:
    """Every difference a JSON matcher lists, else the matcher's own mismatch."""
    differences = getattr(matcher, "mismatch_list", lambda f: None)(frame)
    return "; ".join(listed(differences)) if differences else mismatch(matcher, frame)


def _remember_secret_fields(text: str, redactor: Redactor) -> None:
    """Mask, from now on, the values of JSON fields with secret names (a login's token, a password)."""
    try:
        value = Frame(0, FrameKind.TEXT, text, 0.0).json()
    except NotJson:
        return
    redactor.add_secret_fields(value)


def _root_cause(exc: BaseException) -> str:
    while True:
        inner = exc.__cause__ or exc.__context__
        if inner is None:
            break
        exc = inner
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "timed out"):
        if marker in text:
            return marker.lower()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
