"""The AsyncAPI documents a run has loaded, once each, so that coverage adds up across scenarios."""

from __future__ import annotations

import atexit
import sys
import threading
from pathlib import Path

from .conformance import Contract
from .document import load_document

_LOADED: dict[Path, Contract] = {}
_LOCK = threading.Lock()


def contract_at(path: Path) -> Contract:
    """The contract of the document at ``path``, read on first use."""
    key = path.resolve()
    with _LOCK:
        contract = _LOADED.get(key)
        if contract is None:
            contract = _LOADED[key] = Contract(load_document(key))
            if len(_LOADED) == 1:
                atexit.register(print_coverage)
        return contract


def loaded_contracts() -> list[Contract]:
    """Every contract the run has loaded, in the order they were first used."""
    with _LOCK:
        return list(_LOADED.values())


def print_coverage() -> None:
    """Every loaded document's coverage, after the run's own summary (behave prints that last)."""
    from .coverage import coverage_lines

    for contract in loaded_contracts():
        # sys.__stdout__: behave may still hold sys.stdout captured when the process exits.
        print("\n" + "\n".join(coverage_lines(contract)), file=sys.__stdout__ or sys.stdout, flush=True)
