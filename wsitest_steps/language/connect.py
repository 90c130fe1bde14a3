"""The words after "connects with" turned into :class:`~wsitest_steps.connect_options.ConnectOptions`.

Clauses, joined by "and" or commas, each starting with "the":

* ``the header "Authorization: Bearer {token}"``, or ``the headers:`` with a table of name | value
* ``the query parameter "room=lobby"``, or ``the query parameters:`` with a table of name | value
* ``the subprotocol "chat.v2"``, ``the subprotocols "chat.v2" and "chat.v1"`` (offered in that order)
* ``the origin "https://app.example"``
* ``the cookie "session=abc"``, ``the cookies "a=1" and "b=2"``

A table's first row may be the headings ``name | value``; any other first row is data.
"""

from __future__ import annotations

import re

from ..connection.options import ConnectOptions
from ..errors import StepInputError, at_step
from .step_input import StepInput, decode_quoted

_QUOTED = r'"(?:[^"\\]|\\.)*"'
_CLAUSE_START = re.compile(r"(?:,\s*|\s+and\s+)(?=the\s)", re.IGNORECASE)
_QUOTED_LIST = re.compile(rf"\s*({_QUOTED})(?:\s*(?:,|\band\b)\s*|\s*\Z)")
KNOWN = (
    'the header "Name: value"',
    "the headers: (with a table)",
    'the query parameter "name=value"',
    "the query parameters: (with a table)",
    'the subprotocol "name"',
    'the subprotocols "a" and "b"',
    'the origin "https://..."',
    'the cookie "name=value"',
)


def parse_connect_options(text: str, given: StepInput) -> ConnectOptions:
    """Every clause of ``text`` (the words after "with"), applied in order."""
    options = ConnectOptions()
    used_table = False
    for clause in _CLAUSE_START.split(text.strip().rstrip(":").strip()):
        lower = clause.lower().strip()
        if lower in ("the headers", "the query parameters"):
            if used_table:
                raise StepInputError(f"A step can carry only one table; connect with one of headers or query parameters{at_step(given.step)}.")
            used_table = True
            pairs = given.name_value_pairs()
            if lower == "the headers":
                options.headers.extend(pairs)
            else:
                options.query.extend(pairs)
            continue
        kind, rest = _split_kind(clause, given)
        values = _quoted_values(given.fill(rest, "json"), clause, given, f"the {kind}")
        if kind == "header":
            for value in _single(values, clause, given):
                name, sep, header_value = value.partition(":")
                if not sep or not name.strip():
                    raise _bad(clause, given, 'write a header as "Name: value"')
                options.headers.append((name.strip(), header_value.strip()))
        elif kind == "query parameter":
            for value in _single(values, clause, given):
                name, sep, parameter_value = value.partition("=")
                if not sep or not name:
                    raise _bad(clause, given, 'write a query parameter as "name=value"; the value is sent URL-encoded')
                options.query.append((name, parameter_value))
        elif kind in ("subprotocol", "subprotocols"):
            options.subprotocols.extend(values)
        elif kind == "origin":
            options.origin = _single(values, clause, given)[0]
        elif kind in ("cookie", "cookies"):
            options.cookies.extend(values)
    return options


def _split_kind(clause: str, given: StepInput) -> tuple[str, str]:
    """``("header", '"X-A: 1"')`` for ``the header "X-A: 1"``; an unknown clause fails listing the known ones."""
    found = re.match(r"\s*the\s+(header|query parameter|subprotocols?|origin|cookies?)\s+(.*)\Z", clause, re.IGNORECASE | re.DOTALL)
    if not found:
        raise _unreadable(clause, given)
    return found.group(1).lower(), found.group(2)


def _quoted_values(text: str, clause: str, given: StepInput, what: str) -> list[str]:
    values, position = [], 0
    while position < len(text):
        found = _QUOTED_LIST.match(text, position)
        if not found:
            raise _unreadable(clause, given)
        values.append(decode_quoted(found.group(1), what, given.step))
        position = found.end()
    if not values:
        raise _bad(clause, given, "it needs a value in double quotes")
    return values


def _single(values: list[str], clause: str, given: StepInput) -> list[str]:
    if len(values) != 1:
        raise _bad(clause, given, "give one value, or use the table form")
    return values


def _unreadable(clause: str, given: StepInput) -> StepInputError:
    return StepInputError(
        f"Cannot read {clause.strip()!r}{at_step(given.step)}. After connects ... with, write one or more of: "
        f"{'; '.join(KNOWN)}. Values go in double quotes."
    )


def _bad(clause: str, given: StepInput, why: str) -> StepInputError:
    return StepInputError(f"Cannot use {clause.strip()!r}{at_step(given.step)}: {why}.")
