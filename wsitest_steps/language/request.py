"""The words after "requests METHOD URL with" turned into headers and a body.

Clauses, joined by "and": ``the header "Name: value"``, ``the headers:`` (a table of
name | value), ``the body {"name": "Rob"}`` (JSON) or ``the body "plain text"``, and
``the body:`` with a doc string; for GraphQL over HTTP, ``the query "{ hello }"`` (or
``the mutation "..."``) and ``the variables {...}``, sent as the JSON body. A bare JSON value after "with" is the body, and a colon
with nothing after "with" takes the doc string as the body. A quoted text is sent as plain
text (``text/plain``), any other JSON value as JSON (``application/json``).
"""

from __future__ import annotations

import json
import re

from ..errors import StepInputError, at_step
from .step_input import StepInput
from .values import parse_json

_CLAUSE_START = re.compile(r"\s+and\s+(?=the\s+(?:header|headers|body|query|mutation|variables)\b)", re.IGNORECASE)


def parse_request_options(text: str | None, given: StepInput) -> tuple[list[tuple[str, str]], str | None]:
    """``(headers, body)`` from the words after "with" (``None`` when there are none)."""
    headers: list[tuple[str, str]] = []
    body: str | None = None
    words = (text or "").strip()
    if words.endswith(":"):
        words = words[:-1].rstrip()
    if not words:
        return headers, _doc_body(given) if given.doc is not None else None
    graphql: dict[str, object] = {}
    for clause in _CLAUSE_START.split(words):
        lower = clause.strip().lower()
        if lower.startswith(("the query ", "the mutation ")):
            # GraphQL over HTTP: {"query": ..., "variables": ...} as the body, JSON.
            word = lower.split()[1]
            graphql["query"] = _quoted(given.fill(clause.strip()[len(f"the {word} ") :], "text"), clause, given, f"the {word}")
        elif lower.startswith("the variables "):
            graphql["variables"] = parse_json(given.fill(clause.strip()[len("the variables ") :], "json"), given.step)
        elif lower == "the headers":
            headers.extend(given.name_value_pairs())
        elif lower.startswith("the header "):
            value = _quoted(given.fill(clause.strip()[len("the header ") :], "json"), clause, given)
            name, sep, header_value = value.partition(":")
            if not sep or not name.strip():
                raise StepInputError(f'Cannot use {clause.strip()!r}{at_step(given.step)}: write a header as "Name: value".')
            headers.append((name.strip(), header_value.strip()))
        elif lower == "the body":
            body = _doc_body(given)
        elif lower.startswith("the body "):
            body = _inline_body(clause.strip()[len("the body ") :], given)
        else:
            body = _inline_body(clause, given)
    if graphql:
        if "query" not in graphql:
            raise StepInputError(f'GraphQL variables need a query too, e.g. with the query "{{ hello }}"{at_step(given.step)}.')
        body = json.dumps(graphql, ensure_ascii=False)
    return headers, body


def _doc_body(given: StepInput) -> str:
    doc = given.needs_doc()
    return given.fill(doc, "json" if doc.lstrip()[:1] in "[{" else "text")


def _inline_body(text: str, given: StepInput) -> str:
    # A quoted text is sent as plain text; any other JSON value as JSON.
    value = parse_json(given.fill(text.strip(), "json"), given.step)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _quoted(text: str, clause: str, given: StepInput, what: str = "the header") -> str:
    try:
        value = json.loads(text.strip())
    except ValueError:
        value = None
    if not isinstance(value, str):
        raise StepInputError(f"Cannot use {clause.strip()!r}{at_step(given.step)}: {what} goes in double quotes.")
    return value
