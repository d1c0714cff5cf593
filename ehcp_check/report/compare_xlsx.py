"""A comparison with the published figures as a workbook: a Compare sheet (one row per
council, year and measure, and a chart of the % within 20 weeks, reply beside published),
and a Reasons sheet (impossible periods, likely reasons, periods not comparable, notes).

Self-contained (it does not touch the audit workbook of :mod:`ehcp_check.report.xlsx`);
text from the reply is neutralised against formula injection.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .compare_view import SOURCE_NOTE, clean
from .safe import atomic_write, neutralise

if TYPE_CHECKING:
    from ..compare_model import CompareResult

__all__ = ["write_compare_xlsx"]

PathLike = str | os.PathLike[str]

_HEADERS = (
    "Council",
    "LA code",
    "Year",
    "Year verdict",
    "Measure",
    "Reply",
    "Reply (low)",
    "Reply (high)",
    "Published",
    "Difference",
    "Difference (points)",
    "Verdict",
    "Arithmetic",
)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(clean(value))
    return value


def _compare_rows(result: CompareResult) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for y in result.years:
        base = (y.council.name, y.council.old_code, y.year, y.verdict.value)
        for x in y.lines:
            rows.append(
                (
                    *base,
                    x.measure,
                    x.reply,
                    x.reply_low,
                    x.reply_high,
                    x.published,
                    x.difference,
                    None,
                    x.verdict.value,
                    x.arithmetic,
                )
            )
        for p in y.percents:
            rows.append(
                (
                    *base,
                    p.name,
                    p.reply,
                    None,
                    None,
                    p.published,
                    None,
                    p.points,
                    "",
                    p.arithmetic,
                )
            )
    return rows


def _reason_rows(result: CompareResult) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for y in result.years:
        for r in y.reasons:
            rows.append((y.council.name, y.year, "reason", r.code, r.finding.value, r.detail))
    for p in result.problems:
        rows.append(("", p.year, "impossible", p.period, p.where, p.message))
    for n in result.not_comparable:
        rows.append(("", None, "not comparable", n.period, n.kind, n.reason))
    for note in result.notes:
        rows.append(("", None, "note", "", "", note))
    return rows


def write_compare_xlsx(
    result: CompareResult,
    path: PathLike,
    *,
    force: bool = False,
    inputs: Sequence[PathLike] = (),
) -> Path:
    """Write the workbook atomically; refuses to overwrite an input or (without ``force``)
    an existing file."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    def write(tmp: Path) -> None:
        wb = Workbook()
        ws = wb.active
        ws.title = "Compare"
        ws.append(list(_HEADERS))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        rows = _compare_rows(result)
        for values in rows:
            ws.append([_cell(v) for v in values])
        ws.freeze_panes = "A2"
        for letter, width in zip("ABCDEFGHIJKLM", (22, 8, 6, 12, 28, 9, 9, 9, 10, 10, 10, 12, 70),
                                 strict=True):  # fmt: skip
            ws.column_dimensions[letter].width = width
        # the chart: % within 20 weeks per council-year, reply and published
        pct = [(i + 2, r) for i, r in enumerate(rows) if r[4] == "pct_within_20_weeks"]
        if pct:
            top = len(rows) + 4
            ws.cell(top, 1, "% within 20 weeks (incl. exceptions)").font = Font(bold=True)
            ws.cell(top + 1, 1, "Year")
            ws.cell(top + 1, 2, "Reply")
            ws.cell(top + 1, 3, "Published")
            for k, (_, r) in enumerate(pct):
                label = f"{r[0]} {r[2]}" if len({x[1] for _, x in pct}) > 1 else str(r[2])
                ws.cell(top + 2 + k, 1, _cell(label))
                ws.cell(top + 2 + k, 2, r[5])
                ws.cell(top + 2 + k, 3, r[8])
            chart = BarChart()
            chart.title = "% of new EHC plans issued within 20 weeks"
            chart.y_axis.title = "%"
            chart.y_axis.scaling.min = 0
            chart.y_axis.scaling.max = 100
            data = Reference(ws, min_col=2, max_col=3, min_row=top + 1, max_row=top + 1 + len(pct))
            cats = Reference(ws, min_col=1, min_row=top + 2, max_row=top + 1 + len(pct))
            chart.add_data(data, titles_from_data=True)
            chart.set_categories(cats)
            chart.height, chart.width = 8, 16
            ws.add_chart(chart, f"O{2}")
        ws.cell(len(rows) + 2, 1, SOURCE_NOTE)
        reasons = wb.create_sheet("Reasons")
        reasons.append(["Council", "Year", "Kind", "Code / period", "Finding / where", "Detail"])
        for cell in reasons[1]:
            cell.font = Font(bold=True)
        for values in _reason_rows(result):
            reasons.append([_cell(v) for v in values])
        for letter, width in zip("ABCDEF", (22, 6, 14, 22, 26, 100), strict=True):
            reasons.column_dimensions[letter].width = width
        wb.save(tmp)

    return atomic_write(path, write, force=force, inputs=inputs)
