"""What a step carries besides its sentence (a doc string, a table, where its files are), and quoted texts."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import StepInputError, at_step

if TYPE_CHECKING:  # contracts are loaded only by a run that holds messages to a document
    from ..contracts.conformance import Contract
    from ..contracts.document import MessageSpec

#: Where a placeholder's value is written, which decides how it is written (see :mod:`.variables`).
FillTarget = Literal["json", "text", "url", "header"]


@dataclass
class StepInput:
    """What a step carries besides its sentence, and how to fill placeholders.

    ``doc`` is the doc string, ``rows`` the table (every row, headings included), ``fill``
    replaces placeholders (``fill(text, where)``), ``directories`` are where files named in
    the step are looked for (the working directory, then the feature file's).
    """

    step: str
    doc: str | None = None
    rows: list[list[str]] | None = None
    fill: Callable[[str, FillTarget], str] = lambda text, where: text
    directories: Sequence[Path] | None = None
    #: The feature file's path; files are also looked for beside it.
    feature_file: str | None = None
    #: The scenario's AsyncAPI document, for the forms that name its messages.
    contract: Contract | None = None

    def needs_contract(self) -> Contract:
        if self.contract is None:
            raise StepInputError(
                f"This step names a message of an AsyncAPI document, but none is in use{at_step(self.step)}: "
                'name it first, e.g. "Given the AsyncAPI document "asyncapi.yaml"", or set ws_asyncapi.'
            )
        return self.contract

    def contract_message(self, name: str) -> MessageSpec:
        contract = self.needs_contract()
        spec = contract.message_named(name)
        if spec is None:
            names = list(dict.fromkeys(m.name for _, _, m in contract.document.every_message()))
            known = ", ".join(f'"{n}"' for n in names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
            raise StepInputError(
                f'The AsyncAPI document {contract.document.path.name} has no message "{name}"{at_step(self.step)}. '
                f"Its messages: {known}."
            )
        return spec

    def file_directories(self) -> Sequence[Path]:
        """Where files named in the step are looked for: ``directories`` if given, else the working
        directory and then the feature file's (worked out only when a step names a file)."""
        if self.directories is not None:
            return self.directories
        found = [Path.cwd()]
        if self.feature_file:
            found.append(Path(self.feature_file).resolve().parent)
        return found

    def needs_doc(self) -> str:
        if self.doc is None:
            raise StepInputError(
                "This step ends with a colon, so it needs a doc string on the following lines, between "
                'lines of three double quotes (""")' + at_step(self.step) + "."
            )
        return self.doc

    def needs_rows(self, example: str) -> list[list[str]]:
        if not self.rows:
            raise StepInputError(f"This step needs a table below it{at_step(self.step)}, e.g.\n{example}")
        return self.rows

    def table(self, headings: tuple[str, str], example: str) -> list[list[str]]:
        """The table's rows of two cells; a first row that reads ``headings`` is dropped as the headings."""
        rows = self.needs_rows(example)
        if [cell.strip().lower() for cell in rows[0]] == list(headings):
            rows = rows[1:]
        for row in rows:
            if len(row) != len(headings):
                cells = " and ".join(f"{'an' if h[0] in 'aeiou' else 'a'} {h}" for h in headings)
                raise StepInputError(f"Each row of the table needs two cells, {cells}{at_step(self.step)}.")
        return rows

    def name_value_pairs(self) -> list[tuple[str, str]]:
        """The step's table as (name, value) pairs, placeholders filled; a first row of ``name | value`` is headings."""
        rows = self.table(("name", "value"), "  | name          | value          |\n  | Authorization | Bearer {token} |")
        return [(self.fill(name, "text").strip(), self.fill(value, "text")) for name, value in rows]


def decode_quoted(literal: str, what: str, step: str | None) -> str:
    """The text a double-quoted literal in a step stands for; quoted texts follow JSON's rules."""
    try:
        text: str = json.loads(literal)
    except ValueError as exc:
        raise StepInputError(
            f'The text {literal} after "{what}"{at_step(step)} is not a valid quoted string: {getattr(exc, "msg", exc)}. '
            "Quoted texts follow JSON's rules: write a backslash as \\\\ and a quote as \\\", and no control characters."
        ) from None
    return text
