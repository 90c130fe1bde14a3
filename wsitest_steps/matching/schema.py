"""Validating a JSON message against a JSON Schema (with the ``jsonschema`` package)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hamcrest.core.description import Description

from ..errors import StepInputError, at_step
from ..matching.json import JsonMatcher, child_path


class MatchesSchema(JsonMatcher):
    """A JSON value valid against ``schema``; every validation error is a located mismatch.

    The schema's own ``$schema`` picks the draft (the latest the package knows by default).
    """

    def __init__(self, schema: Any, source: str, step: str | None = None) -> None:
        # Imported here: only scenarios that validate a schema pay for loading jsonschema.
        import jsonschema

        validator_class = jsonschema.validators.validator_for(schema)
        try:
            validator_class.check_schema(schema)
        except jsonschema.SchemaError as exc:
            raise StepInputError(f"The schema {source}{at_step(step)} is not a valid JSON Schema: {exc.message}.") from None
        self.validator = validator_class(schema)
        self.source = source

    def mismatches(self, item: Any, path: str) -> list[str]:
        found = []
        for error in sorted(self.validator.iter_errors(item), key=lambda e: list(map(str, e.absolute_path))):
            where = path
            for key in error.absolute_path:
                where = child_path(where, key)
            found.append(f"{where}: {error.message}")
        return found

    def describe_to(self, description: Description) -> None:
        description.append_text(f"<valid against the schema {self.source}>")


def load_schema(name: str, search: Sequence[Path], step: str | None = None) -> tuple[Any, str]:
    """Read the schema file ``name``, trying each directory of ``search`` in turn; returns (schema, shown name)."""
    tried = []
    for directory in search:
        candidate = (directory / name).resolve()
        tried.append(str(candidate))
        if candidate.is_file():
            try:
                return json.loads(candidate.read_text(encoding="utf-8")), name
            except ValueError as exc:
                raise StepInputError(f"The schema file {candidate}{at_step(step)} is not JSON: {exc}.") from None
    raise StepInputError(
        f"There is no schema file {name!r}{at_step(step)}; looked for {' and '.join(tried)}. "
        "Paths are relative to the directory behave runs in, or to the feature file."
    )
