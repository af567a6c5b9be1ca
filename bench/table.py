"""Figures, their statistics, and the one table the benchmark prints.

A :class:`Row` is one measured quantity: the value of each run, the target it is held to (if
any), and a note. The table shows the median of the runs with the minimum and maximum beside it.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0 to 100) by linear interpolation; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@attrs.frozen
class Row:
    section: str
    label: str
    unit: str
    values: tuple[float, ...] = ()
    target: str = ""  # e.g. "< 100"
    check: Callable[[float], bool] | None = attrs.field(default=None, eq=False)
    note: str = ""
    text: str = ""  # for rows that are not numbers (availability, yes/no answers)

    @property
    def measured(self) -> tuple[float, ...]:
        """The runs that produced a figure (a run that never reached the point measured gives NaN)."""
        return tuple(v for v in self.values if not math.isnan(v))

    @property
    def median(self) -> float:
        return statistics.median(self.measured) if self.measured else math.nan

    @property
    def met(self) -> bool | None:
        if self.check is None or not self.values or math.isnan(self.median):
            return None
        return self.check(self.median)

    def as_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "label": self.label,
            "unit": self.unit,
            "values": [None if math.isnan(v) else v for v in self.values],
            "median": None if math.isnan(self.median) else self.median,
            "target": self.target,
            "met": self.met,
            "note": self.note,
            "text": self.text,
        }


def below(limit: float) -> Callable[[float], bool]:
    return lambda value: value < limit


def at_least(limit: float) -> Callable[[float], bool]:
    return lambda value: value >= limit


def fmt(value: float) -> str:
    if math.isnan(value):
        return "—"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def render(rows: Sequence[Row]) -> str:
    header = ("section", "measure", "unit", "median", "min-max", "runs", "target", "met", "note")
    lines: list[tuple[str, ...]] = [header]
    for row in rows:
        if row.text:
            median, spread, runs = row.text, "", ""
        elif row.values:
            got = row.measured
            median = fmt(row.median)
            spread = f"{fmt(min(got))}-{fmt(max(got))}" if len(got) > 1 else ""
            runs = str(len(got)) if len(got) == len(row.values) else f"{len(got)} of {len(row.values)}"
        else:
            median, spread, runs = "n/a", "", ""
        met = {True: "yes", False: "NO", None: ""}[row.met]
        lines.append((row.section, row.label, row.unit, median, spread, runs, row.target, met, row.note))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
    out = []
    for n, line in enumerate(lines):
        cells = [cell.ljust(widths[i]) if i < len(widths) else cell for i, cell in enumerate(line)]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths) + "  ----")
    return "\n".join(out)


def save(rows: Sequence[Row], path: Path, meta: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"meta": meta, "rows": [r.as_json() for r in rows]}, indent=1), encoding="utf-8")
