"""The steps reference, generated from the step docstrings: ``python -m wsitest_steps.catalog``.

``--write docs/steps.md`` rewrites the reference; ``--check docs/steps.md`` exits non-zero if it
is out of date. Each step docstring is a one-sentence summary, optional detail, then example
sentences (the first line starting with Given, When or Then begins them).
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

from .language import connect as connect_clauses
from .language import messages as message_specs
from .language import variables
from .matching import phrases as expectations
from .steps import connection_steps, http_steps, message_steps, rule_steps, timeline_steps, variable_steps

# Reading order, not registration order.
SECTIONS: list[tuple[str, ModuleType]] = [
    ("Connecting and disconnecting", connection_steps),
    ("Sending and expecting messages", message_steps),
    ("Several actors, noise and unread messages", timeline_steps),
    ("Values carried between steps", variable_steps),
    ("Pacing and automatic replies", rule_steps),
    ("HTTP beside the websocket", http_steps),
]
KEYWORDS = ("Given", "When", "Then", "And", "But")

HEADER = """# Steps reference

Generated from the step docstrings by `python -m wsitest_steps.catalog --write docs/steps.md`;
do not edit by hand. `behave --dry-run --steps-catalog` prints the same documentation with the
patterns behave matches.

Wire the steps into a project with `from wsitest_steps.steps import *` in any file under
`features/steps/`. Expected JSON matches as a subset for objects, element by element for arrays,
and by type and value for scalars; see the README for the matching rules and settings.
"""


def step_functions(module: ModuleType) -> list[Callable[..., None]]:
    """The module's step functions, in source order."""
    functions = [f for name, f in inspect.getmembers(module, inspect.isfunction) if name.startswith("wsitest_")]
    return sorted(functions, key=lambda f: f.__code__.co_firstlineno)


def split_docstring(function: Callable[..., None]) -> tuple[str, list[str], list[str]]:
    """``(summary, detail lines, example lines)`` of a step function's docstring."""
    lines = (inspect.getdoc(function) or "").splitlines()
    summary, rest = lines[0], lines[1:]
    start = next((i for i, line in enumerate(rest) if line.strip().split(" ")[0] in KEYWORDS), len(rest))
    detail = list(rest[:start])
    examples = rest[start:]
    indent = min((len(line) - len(line.lstrip()) for line in examples if line.strip()), default=0)
    return summary, _trim(detail), [line[indent:] for line in _trim(examples)]


def _table(rows: Sequence[tuple[str, str]], headings: tuple[str, str]) -> str:
    lines = [f"| {headings[0]} | {headings[1]} |", "| --- | --- |"]
    for left, right in rows:
        lines.append(f"| `{left}` | {_markdown(right)} |")
    return "\n".join(lines) + "\n"


def _markdown(text: str) -> str:
    """Docstring text as Markdown for a table cell (a pipe would end the cell)."""
    return _literals(text).replace("|", "\\|")


def _literals(text: str) -> str:
    """reStructuredText literals and roles (``x``, :data:`x`) as Markdown code."""
    return re.sub(r":\w+:`([^`]+)`", r"`\1`", text.replace("``", "`"))


def _module_text(module: ModuleType) -> str:
    """A module docstring after its summary line, as Markdown paragraphs."""
    body = (inspect.getdoc(module) or "").split("\n\n", 1)[1]
    return _literals(body).strip() + "\n"


def render() -> str:
    parts = [HEADER]
    parts.append("## Describing a message\n")
    parts.append("What follows *sends* or *replies*:\n")
    parts.append(_table([(form.words, form.means) for form in message_specs.SEND_FORMS], ("Words", "Sends")))
    parts.append("What follows *receives* (in every sentence that expects a message):\n")
    parts.append(_table([(form.words, form.means) for form in message_specs.EXPECT_FORMS], ("Words", "Accepts")))
    parts.append("## Handshake options\n")
    parts.append(_module_text(connect_clauses))
    parts.append(_table([(", ".join(clause.shown), clause.means) for clause in connect_clauses.CLAUSES], ("Clause", "Sends")))
    parts.append("## Expectations in words\n")
    parts.append(_module_text(expectations))
    parts.append(_table([(phrase.heading, phrase.accepts) for phrase in expectations.VOCABULARY], ("Phrase", "Accepts")))
    parts.append("## Placeholders\n")
    parts.append(_module_text(variables))
    for title, module in SECTIONS:
        parts.append(f"## {title}\n")
        for function in step_functions(module):
            summary, detail, examples = split_docstring(function)
            parts.append(f"### {summary}\n")
            if detail:
                parts.append("\n".join(detail) + "\n")
            parts.append("```gherkin\n" + "\n".join(examples) + "\n```\n")
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m wsitest_steps.catalog", description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", type=Path, help="write the reference to this file")
    group.add_argument("--check", type=Path, help="exit 1 if this file differs from the generated reference")
    args = parser.parse_args()
    text = render()
    if args.write:
        args.write.write_text(text)
    elif args.check:
        current = args.check.read_text() if args.check.exists() else ""
        if current != text:
            print(f"{args.check} is out of date: run python -m wsitest_steps.catalog --write {args.check}", file=sys.stderr)
            sys.exit(1)
    else:
        sys.stdout.write(text)


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


if __name__ == "__main__":
    main()
