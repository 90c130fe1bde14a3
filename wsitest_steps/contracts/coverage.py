"""What a run exercised of each AsyncAPI document it loaded: every message, seen or never seen."""

from __future__ import annotations

from ..model.wording import plural
from .conformance import Contract


def coverage_lines(contract: Contract) -> list[str]:
    """The summary of one document, as the console shows it: a head line, then a line per message."""
    rows = contract.coverage()
    seen = sum(1 for row in rows if row.times)
    document = contract.document
    lines = [f"AsyncAPI coverage of {document.title} ({document.path.name}): {seen} of {plural(len(rows), 'message')} exercised."]
    for row in rows:
        mark = f"seen {plural(row.times, 'time')}" if row.times else "NEVER SEEN"
        lines.append(f'  {mark:>14}  {row.direction} "{row.message}" on {row.channel} ({", ".join(row.operations)})')
    return lines
