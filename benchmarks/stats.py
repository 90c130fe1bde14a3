"""Repeated measurements and how the table shows them."""

from __future__ import annotations

import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured quantity over repeated runs, in seconds (or another unit for memory)."""

    runs: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def show(self, unit: str = "ms") -> str:
        """``1.23 ms (1.10-1.50)``: median, then min-max over the runs."""
        scale = {"ms": 1e3, "us": 1e6, "s": 1.0, "MB": 1.0}[unit]
        low, mid, high = (min(self.runs) * scale, self.median * scale, max(self.runs) * scale)
        digits = 0 if mid >= 100 else 1 if mid >= 10 else 2
        label = "µs" if unit == "us" else unit
        return f"{mid:.{digits}f} {label} ({low:.{digits}f}-{high:.{digits}f})"


def ratio(a: Figure, b: Figure) -> float:
    """Ratio of medians."""
    return a.median / b.median
