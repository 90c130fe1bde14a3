"""Values carried between steps, and the ``{placeholders}`` in step text that use them.

A placeholder is a name, or a path into a remembered value, in braces: ``{token}``,
``{order.id}``, ``{items[0].id}``. Besides the scenario's remembered values there are four
namespaces: ``{env.API_TOKEN}`` (an environment variable), ``{userdata.api_token}`` (behave
userdata, ``-D api_token=...``), ``{message.id}`` (the message that triggered an automatic
reply or a request; a bare ``{id}`` also falls back to it when no variable is called ``id``)
and ``{actor.Rob}`` (the name actor Rob goes by on the wire: ``Rob``, with ``ws_actor_suffix``
added, which a load test sets for each simulated user).

Braces that open JSON objects are never placeholders, because a JSON key starts with a quote.
To write a literal ``{word}``, put a backslash before the brace: ``\\{word}``.

How a value is written depends on where it goes: in JSON, a placeholder standing alone keeps
its JSON type (``{"count": {n}}`` sends a number, ``{"order": {order}}`` an object) and one
inside a string is interpolated (``"order {id} filled"``); in URLs it is percent-encoded, unless
it begins the URL (``{userdata.base_url}/orders``); in headers and plain text it is written as
text (strings as is, anything else as JSON).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from ..errors import StepInputError, at_step
from ..matching.paths import compile_path, values_at
from ..recording.redaction import Redactor
from .step_input import FillTarget

PLACEHOLDER = re.compile(r"\\\{|\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*)\}")
MISSING: Any = object()
NAMESPACES = ("env", "userdata", "message", "actor")


class Variables:
    """The values a scenario remembered, and the namespaces ``env``, ``userdata`` and ``message``.

    Values whose names look secret (``token``, ``API_KEY``, ``db_password`` ...) are handed to
    the ``redactor``, so they never appear in reports.
    """

    def __init__(
        self,
        userdata: Mapping[str, Any] | None = None,
        environ: Mapping[str, str] | None = None,
        redactor: Redactor | None = None,
        actor_suffix: str = "",
    ) -> None:
        self.values: dict[str, Any] = {}
        self.actor_suffix = actor_suffix
        self.userdata = dict(userdata or {})
        self.environ = os.environ if environ is None else environ
        self.redactor = redactor or Redactor()

    def remember(self, name: str, value: Any) -> None:
        """Store ``value`` as ``name`` for later placeholders."""
        if name in NAMESPACES:
            raise StepInputError(f"{name!r} is reserved for {{{name}.NAME}} placeholders; remember the value under another name.")
        self.values[name] = value
        if self.redactor.looks_secret(name):
            self.redactor.add_secret(value)

    def lookup(self, path: str, message: Any = MISSING) -> Any:
        """The value ``path`` names, or :data:`MISSING`."""
        head, _, rest = path.partition(".")
        if head in ("env", "userdata") and rest:
            source = self.environ if head == "env" else self.userdata
            if rest not in source:
                return MISSING
            value = source[rest]
            if self.redactor.looks_secret(rest):
                self.redactor.add_secret(value)
            return value
        if head == "actor" and rest and "." not in rest and "[" not in rest:
            return rest + self.actor_suffix
        if head == "message" and message is not MISSING:
            return _at(message, rest) if rest else message
        found = _at(self.values, path)
        if found is MISSING and message is not MISSING:
            found = _at(message, path)
        return found

    def fill(self, text: str, where: FillTarget, step: str | None = None, message: Any = MISSING) -> str:
        """``text`` with each placeholder replaced; ``where`` is ``"json"``, ``"text"``, ``"url"`` or ``"header"``.

        Raises :class:`StepInputError` naming the variables that exist when a placeholder
        names nothing.
        """
        if "{" not in text:
            return text

        def replace(match: re.Match[str]) -> str:
            if match.group(0) == "\\{":
                return "{"
            value = self.lookup(match.group(1), message)
            if value is MISSING:
                raise StepInputError(self._unknown(match.group(0), step, message is not MISSING))
            return _written(value, where, text, match.start())

        return PLACEHOLDER.sub(replace, text)

    def _unknown(self, placeholder: str, step: str | None, with_message: bool) -> str:
        known = ", ".join(sorted(self.values)) or "none yet"
        also = " or a field of the triggering message ({message.NAME})" if with_message else ""
        name = placeholder[1:-1]
        if name.startswith("env."):
            return (
                f"The environment variable {name[4:]} is not set, so {placeholder} has no value{at_step(step)}. "
                "Set it before running behave."
            )
        if name.startswith("userdata."):
            return (
                f"No userdata {name[9:]} is given, so {placeholder} has no value{at_step(step)}. "
                f"Pass it with -D {name[9:]}=..., or in [behave.userdata]."
            )
        return (
            f"Nothing is remembered as {placeholder}{at_step(step)}. Remembered in this scenario: {known}{also}. "
            'Remember a value first (e.g. "Rob remembers $.token from that message as token"), use {env.NAME} or '
            "{userdata.NAME}, or write \\{ for a literal brace."
        )


def _at(source: Any, path: str) -> Any:
    found = values_at(compile_path(path), source)
    return found[0] if found else MISSING


def _written(value: Any, where: FillTarget, text: str, position: int) -> str:
    if where == "url":
        if position == 0 and isinstance(value, str):
            return value  # the URL itself, or its base ({userdata.base_url}/orders): not a part to encode
        return quote(value if isinstance(value, str) else json.dumps(value), safe="")
    if where in ("header", "text"):
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    encoded = json.dumps(value, ensure_ascii=False)
    if _inside_json_string(text, position):
        return encoded[1:-1] if isinstance(value, str) else json.dumps(encoded)[1:-1]
    return encoded


def _inside_json_string(text: str, position: int) -> bool:
    """Whether ``position`` falls inside a double-quoted JSON string of ``text``."""
    inside = escaped = False
    for char in text[:position]:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = inside
        elif char == '"':
            inside = not inside
    return inside
