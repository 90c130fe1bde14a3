"""The words after "connects with" turned into :class:`~wsitest_steps.connection.options.ConnectOptions`.

Clauses are joined by "and" or commas, each starting with "the"; :data:`CLAUSES` is the one table
of them, from which the parser, its error and the steps reference are produced. Values go in
double quotes and may use placeholders. A table's first row may be the headings ``name | value``;
any other first row is data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..connection.options import ConnectOptions
from ..errors import ConfigurationError, StepInputError, at_step
from ..model.wording import as_text
from ..protocols.base import known_protocols, protocol_named
from .step_input import StepInput, decode_quoted
from .values import parse_json

_QUOTED = r'"(?:[^"\\]|\\.)*"'
_CLAUSE_START = re.compile(r"(?:,\s*|\s+and\s+)(?=the\s)", re.IGNORECASE)
_QUOTED_LIST = re.compile(rf"\s*({_QUOTED})(?:\s*(?:,|\band\b)\s*|\s*\Z)")


@dataclass(frozen=True)
class Clause:
    """One handshake option: the words after "the" that name it, how errors and the reference show it, what it sends.

    A clause either takes quoted values (``apply(options, values, clause, given)``) or, with
    ``table`` set, the step's table of name | value rows.
    """

    names: tuple[str, ...]
    shown: tuple[str, ...]
    means: str
    apply: Callable[[ConnectOptions, list[str], str, StepInput], None] | None = None
    table: Callable[[ConnectOptions, list[tuple[str, str]]], None] | None = None
    #: Takes one JSON value instead of quoted texts.
    value: Callable[[ConnectOptions, object], None] | None = None


def _header(options: ConnectOptions, values: list[str], clause: str, given: StepInput) -> None:
    for value in _single(values, clause, given):
        name, sep, header_value = value.partition(":")
        if not sep or not name.strip():
            raise _bad(clause, given, 'write a header as "Name: value"')
        options.headers.append((name.strip(), header_value.strip()))


def _query_parameter(options: ConnectOptions, values: list[str], clause: str, given: StepInput) -> None:
    for value in _single(values, clause, given):
        name, sep, parameter_value = value.partition("=")
        if not sep or not name:
            raise _bad(clause, given, 'write a query parameter as "name=value"; the value is sent URL-encoded')
        options.query.append((name, parameter_value))


def _origin(options: ConnectOptions, values: list[str], clause: str, given: StepInput) -> None:
    options.origin = _single(values, clause, given)[0]


def _parameters(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise StepInputError(f'The parameters are a JSON object of names and values, e.g. {{"symbol": "btcusd"}}, not {value!r}.')
    return {str(k): as_text(v) for k, v in value.items()}


#: Every handshake option, in the order the error and the reference list them.
CLAUSES: tuple[Clause, ...] = (
    Clause(("header",), ('the header "Name: value"',), "a header of the handshake request", apply=_header),
    Clause(
        ("headers",),
        ("the headers: (with a table)",),
        "a header for each name | value row of the step's table",
        table=lambda options, pairs: options.headers.extend(pairs),
    ),
    Clause(
        ("query parameter",),
        ('the query parameter "name=value"',),
        "a query parameter, URL-encoded and added to the URL's own query, which is kept",
        apply=_query_parameter,
    ),
    Clause(
        ("query parameters",),
        ("the query parameters: (with a table)",),
        "a query parameter for each name | value row",
        table=lambda options, pairs: options.query.extend(pairs),
    ),
    Clause(
        ("subprotocol", "subprotocols"),
        ('the subprotocol "name"', 'the subprotocols "a" and "b"'),
        "subprotocols offered, in that order (Sec-WebSocket-Protocol)",
        apply=lambda options, values, clause, given: options.subprotocols.extend(values),
    ),
    Clause(("origin",), ('the origin "https://..."',), "the Origin header, instead of websocket-client's default", apply=_origin),
    Clause(
        ("cookie", "cookies"),
        ('the cookie "name=value"',),
        "cookies sent with the handshake (shown as *** in reports)",
        apply=lambda options, values, clause, given: options.cookies.extend(values),
    ),
    Clause(
        ("namespace",),
        ('the namespace "/admin"',),
        "the Socket.IO namespace to join, instead of /",
        apply=lambda options, values, clause, given: setattr(options.opening, "channel", _single(values, clause, given)[0]),
    ),
    Clause(
        ("parameters",),
        ('the parameters {"symbol": "btcusd"}',),
        "values of the {parameters} in an AsyncAPI channel's address, when the endpoint is a channel of the document",
        value=lambda options, value: options.parameters.update(_parameters(value)),
    ),
    Clause(
        ("auth",),
        ('the auth {"token": "..."}',),
        "what the protocol's handshake carries: Socket.IO's auth, GraphQL's connection_init payload",
        value=lambda options, value: setattr(options.opening, "payload", value),
    ),
)
KNOWN = tuple(shown for clause in CLAUSES for shown in clause.shown)
_BY_NAME = {name: clause for clause in CLAUSES for name in clause.names}
_VALUE_CLAUSE = re.compile(
    r"\s*the\s+("
    + "|".join(re.escape(name) for name in sorted((n for c in CLAUSES if not c.table for n in c.names), key=len, reverse=True))
    + r")\s+(.*)\Z",
    re.IGNORECASE | re.DOTALL,
)


def parse_connect_options(text: str, given: StepInput) -> ConnectOptions:
    """Every clause of ``text`` (the words after "with"), applied in order."""
    options = ConnectOptions()
    used_table = False
    text = _protocol(text, options, given)
    if not text:
        return options
    for words in _CLAUSE_START.split(text.strip().rstrip(":").strip()):
        lower = " ".join(words.lower().split())
        clause = _BY_NAME.get(lower[len("the ") :]) if lower.startswith("the ") else None
        if clause is not None and clause.table is not None:
            if used_table:
                raise StepInputError(
                    f"A step can carry only one table; connect with one of headers or query parameters{at_step(given.step)}."
                )
            used_table = True
            clause.table(options, given.name_value_pairs())
            continue
        found = _VALUE_CLAUSE.match(words)
        if not found:
            raise _unreadable(words, given)
        kind = found.group(1).lower()
        value = _BY_NAME[kind].value
        if value is not None:
            value(options, parse_json(given.fill(found.group(2), "json"), given.step))
            continue
        values = _quoted_values(given.fill(found.group(2), "json"), words, given, f"the {kind}")
        apply = _BY_NAME[kind].apply
        assert apply is not None  # the pattern names value clauses only
        apply(options, values, words, given)
    return options


_PROTOCOL = re.compile(
    r'\s*(?!the\s)(?P<word>[^\s,]+)(?:\s+to\s+the\s+namespace\s+(?P<namespace>"[^"]*"))?\s*(?:(?:,|\band\b)\s*)?', re.I
)


def _protocol(text: str, options: ConnectOptions, given: StepInput) -> str:
    """Take a leading protocol word (``Socket.IO to the namespace "/admin"``) off ``text``; return the rest."""
    found = _PROTOCOL.match(text)
    if not found:
        return text
    try:
        options.protocol = protocol_named(found.group("word")).name
    except ConfigurationError:
        return text  # not a protocol: the clauses' reader says what it could not read
    if found.group("namespace"):
        options.opening.channel = decode_quoted(found.group("namespace"), "the namespace", given.step)
    return text[found.end() :]


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
        f"{'; '.join(KNOWN)}. Values go in double quotes. A protocol may come first, e.g. with Socket.IO "
        f"(known: {', '.join(known_protocols())})."
    )


def _bad(clause: str, given: StepInput, why: str) -> StepInputError:
    return StepInputError(f"Cannot use {clause.strip()!r}{at_step(given.step)}: {why}.")
