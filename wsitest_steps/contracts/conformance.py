"""Whether a message conforms to what an AsyncAPI document allows on its channel, in words.

A :class:`Contract` finds the channel of a message (a protocol's channel, such as a STOMP
destination or a Socket.IO namespace, else the path of the connection's URL, matched against the
channel addresses with their ``{parameters}``), the messages the document allows there in that
direction (a Socket.IO event only those of its name), and validates the payload, and the headers
where the protocol has them, with jsonschema against the schemas where the document has them.
Every message it sees counts toward the run's :mod:`.coverage`.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from ..errors import ConfigurationError
from ..model.frames import NO_VALUE, Frame, NotJson
from ..model.wording import preview
from .document import AsyncAPIDocument, Channel, Direction, MessageSpec

_DONE = {"sends": "sent", "receives": "received"}
#: How many of the messages a value failed to be a violation lists, the closest first.
SHOWN_PROBLEMS = 3
#: How much of a value a violation shows.
VALUE_LIMIT = 200


@dataclass(frozen=True)
class Violation:
    """Why a message broke the contract: where (``channel``), which messages it was held to, and how."""

    direction: Direction
    channel: str | None
    problem: str

    def describe(self) -> str:
        where = f' on the channel "{self.channel}"' if self.channel else ""
        return f"a message {_DONE[self.direction]}{where} breaks the AsyncAPI document: {self.problem}"


class Contract:
    """An AsyncAPI document applied to one run: the checks, and what the run has exercised."""

    def __init__(self, document: AsyncAPIDocument) -> None:
        self.document = document
        self._patterns = [(channel, _address_pattern(channel.address)) for channel in document.channels]
        self._validators: dict[str, Any] = {}
        self._lock = threading.Lock()
        #: (channel, direction, message name) -> how many conforming messages were seen.
        self.seen: Counter[tuple[str, Direction, str]] = Counter()

    def channel_for(self, url: str | None, channel: str | None) -> Channel | None:
        """The document's channel of a message: by a protocol's ``channel`` if it has one, else by ``url``'s path."""
        wanted = [channel] if channel else []
        if url:
            wanted.append(urlsplit(url).path or "/")
        for target in wanted:
            for candidate, pattern in self._patterns:
                if pattern.fullmatch(target) or candidate.name == target:
                    return candidate
        return None

    def endpoint_url(
        self, endpoint: str, actor: str, base: str | None = None, parameters: dict[str, str] | None = None
    ) -> str | None:
        """The URL of the channel ``endpoint`` names (its id, or its address without slashes) for ``actor``; ``None`` if none does.

        ``base`` (``ws_asyncapi_url``) replaces the document's first server. ``{name}`` in the
        address is the actor's name; any other parameter has no value here, and says so.
        """
        channel = next((c for c in self.document.channels if endpoint in (c.name, c.address.strip("/"))), None)
        if channel is None:
            return None
        if base is None:
            if not self.document.servers:
                raise ConfigurationError(
                    f"The AsyncAPI document {self.document.path.name} names no server, so the {endpoint} channel has no URL: "
                    "set ws_asyncapi_url (e.g. -D ws_asyncapi_url=ws://127.0.0.1:8765)."
                )
            base = next(iter(self.document.servers.values()))
        address = channel.address.replace("{name}", quote(actor, safe=""))
        for key, value in (parameters or {}).items():
            if "{" + key + "}" not in channel.address:
                raise ConfigurationError(f"The {endpoint} channel's address {channel.address} has no parameter {key}.")
            address = address.replace("{" + key + "}", quote(value, safe=""))
        unfilled = re.findall(r"\{([^}]+)\}", address)
        if unfilled:
            raise ConfigurationError(
                f"The {endpoint} channel's address {channel.address} has the parameter {', '.join(unfilled)}, which the step "
                f'does not fill: add e.g. "with the parameters {{"{unfilled[0]}": "..."}}" to the connect step.'
            )
        return base.rstrip("/") + "/" + address.lstrip("/")

    def message_named(self, name: str) -> MessageSpec | None:
        return next((m for _, _, m in self.document.every_message() if m.called(name)), None)

    def check(
        self,
        direction: Direction,
        value: Any,
        *,
        url: str | None,
        channel: str | None = None,
        name: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Violation | None:
        """Whether ``value`` (a message's JSON payload) may go ``direction`` there; ``None`` if it may.

        A message on no channel of the document is not the document's business: it passes.
        """
        found = self.channel_for(url, channel)
        if found is None:
            return None
        allowed = found.messages(direction)
        if name is not None:
            named = [m for m in allowed if m.called(name)]
            if not named:
                listed = ", ".join(f'"{m.name}"' for m in allowed) or "none"
                return Violation(
                    direction,
                    found.name,
                    f'the document has no message "{name}" to be {_DONE[direction]} there (it has: {listed}).',
                )
            allowed = named
        if not allowed:
            return Violation(direction, found.name, f"the document allows no message to be {_DONE[direction]} there.")
        problems: list[tuple[int, str]] = []
        for spec in allowed:
            problem = self._problem(spec, value, headers)
            if problem is None:
                with self._lock:
                    self.seen[(found.name, direction, spec.name)] += 1
                return None
            problems.append((problem[0], f'as "{spec.name}", {problem[1]}'))
        # The messages it came closest to first (the deepest error): a document may allow dozens.
        problems.sort(key=lambda p: -p[0])
        shown = preview(json.dumps(value, ensure_ascii=False, default=str), VALUE_LIMIT)
        listed = "; ".join(text for _, text in problems[:SHOWN_PROBLEMS])
        more = f"; and {len(problems) - SHOWN_PROBLEMS} more messages" if len(problems) > SHOWN_PROBLEMS else ""
        return Violation(direction, found.name, f"{shown} conforms to none of the messages allowed there: {listed}{more}.")

    def problem(self, spec: MessageSpec, value: Any, headers: dict[str, str] | None = None) -> str | None:
        """What is wrong with ``value`` as the message ``spec`` (and with ``headers``, when given and it has a schema)."""
        found = self._problem(spec, value, headers)
        return None if found is None else found[1]

    def _problem(self, spec: MessageSpec, value: Any, headers: dict[str, str] | None) -> tuple[int, str] | None:
        if spec.payload is not None:
            error = self._first_error(spec.payload, value)
            if error is not None:
                return error
        if spec.headers is not None and headers is not None:
            error = self._first_error(spec.headers, headers)
            if error is not None:
                return error[0], f"its headers {error[1]}"
        return None

    def _first_error(self, uri: str, value: Any) -> tuple[int, str] | None:
        validator = self._validator(uri)
        from jsonschema.exceptions import best_match

        error = best_match(validator.iter_errors(value))
        if error is None:
            return None
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        schema_path = "/".join(str(p) for p in error.absolute_schema_path)
        return len(
            error.absolute_path
        ), f"at {where}: {preview(error.message, VALUE_LIMIT)} (schema path: {schema_path or '(root)'})"

    def _validator(self, uri: str) -> Any:
        with self._lock:
            validator = self._validators.get(uri)
            if validator is None:
                from jsonschema import Draft7Validator

                # The schema is referred to where it stands, so its own $refs resolve as the document meant.
                validator = Draft7Validator({"$ref": uri}, registry=self.document.registry)
                self._validators[uri] = validator
            return validator

    def coverage(self) -> list[CoverageRow]:
        """Every message of the document, by channel and direction, with its operations and how often it was seen."""
        rows: dict[tuple[str, Direction, str], list[str]] = {}
        for channel, operation, message in self.document.every_message():
            operations = rows.setdefault((channel.name, operation.direction, message.name), [])
            if operation.name not in operations:
                operations.append(operation.name)
        return [CoverageRow(*key, tuple(operations), self.seen[key]) for key, operations in rows.items()]


@dataclass(frozen=True)
class CoverageRow:
    """One message of the document in a run's coverage: where, which way, in which operations, how many times seen."""

    channel: str
    direction: Direction
    message: str
    operations: tuple[str, ...]
    times: int


def frame_value(frame: Frame) -> Any:
    """What a received frame is held to the document as: its JSON (a protocol's payload), else its text;
    ``NO_VALUE`` for a binary frame, which no JSON Schema describes."""
    try:
        return frame.json()
    except NotJson:
        return frame.text if frame.is_text else NO_VALUE


def _address_pattern(address: str) -> re.Pattern[str]:
    # "/v1/marketdata/{symbol}": a parameter is one path segment.
    parts = re.split(r"(\{[^}]+\})", address)
    return re.compile("".join("[^/]+" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts))
