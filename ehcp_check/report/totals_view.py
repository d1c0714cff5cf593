"""A table of totals as read (the ``totals`` command): terminal, JSON, CSV and Markdown.

One value, :class:`~ehcp_check.ingest.totals.TotalsResult`, many views. The terminal and
Markdown views pivot the long table back to one row per period and one column per measure,
so it can be set beside the reply it came from; JSON (schema ``ehcp-check/totals/1``) and
CSV give the long table itself.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import pandas as pd
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .. import __version__
from ..ingest.totals import TOTALS_COLUMNS, TotalsInput, TotalsResult
from ..ingest.totals_vocab import Measure
from .files import Data, _md_table, md
from .safe import neutralise

TOTALS_SCHEMA = "ehcp-check/totals/1"

#: Short column headings for the pivoted views, in display order.
SHORT: dict[str, str] = {
    Measure.REQUESTS.value: "Requests",
    Measure.DECISIONS_WITHIN_6_WEEKS.value: "6w decisions",
    Measure.PLANS_ISSUED.value: "Issued",
    Measure.WITHIN_20_WEEKS.value: "In 20w",
    Measure.OVER_20_WEEKS.value: "Over 20w",
    Measure.PLANS_ISSUED_EXCL.value: "Issued excl",
    Measure.WITHIN_20_WEEKS_EXCL.value: "In 20w excl",
    Measure.OPEN_CASES.value: "Open",
    Measure.OPEN_OVER_20_WEEKS.value: "Open >20w",
    Measure.MEAN_DAYS_TO_ISSUE.value: "Mean days",
}

#: Mark of a derived figure in the pivoted views.
DERIVED_MARK = "\u2020"


def _value_text(value: object, suppressed: object, derived: bool) -> str:
    if suppressed is not None and not pd.isna(suppressed):  # type: ignore[call-overload]
        text = str(suppressed)
    elif value is None or value is pd.NA or pd.isna(value):  # type: ignore[call-overload]
        text = ""
    elif isinstance(value, float) and not value.is_integer():
        text = f"{value:,.1f}"
    else:
        text = f"{int(value):,}"  # type: ignore[call-overload]
    return text + (DERIVED_MARK if derived and text else "")


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for rec in table.to_dict(orient="records"):
        row: dict[str, Any] = {}
        for name in TOTALS_COLUMNS:
            value = rec[name]
            if value is pd.NA or (isinstance(value, float) and value != value):
                value = None
            elif name in {"start", "end"}:
                value = value.isoformat()
            elif name == "row" and value is not None:
                value = int(value)
            elif name == "value" and value is not None:
                value = float(value) if rec["measure"] == Measure.MEAN_DAYS_TO_ISSUE else int(value)
            row[name] = value
        out.append(row)
    return out


def totals_document(result: TotalsResult) -> dict[str, Any]:
    """The JSON document (schema ``ehcp-check/totals/1``)."""
    return {
        "schema": TOTALS_SCHEMA,
        "tool_version": __version__,
        "inputs": [i.to_dict() for i in result.inputs],
        "rows": _records(result.table),
        "unknown_columns": list(result.unknown_columns),
        "issues": [{**i.to_dict(), "excluded": i.excluded} for i in result.issues],
    }


def render_csv(result: TotalsResult) -> str:
    """The long table as CSV, text neutralised against formula injection."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TOTALS_COLUMNS)
    for rec in _records(result.table):
        writer.writerow(["" if rec[c] is None else neutralise(rec[c]) for c in TOTALS_COLUMNS])
    return buffer.getvalue()


def pivot(table: pd.DataFrame) -> tuple[list[str], list[tuple[str, str, list[str]]]]:
    """Measures present (display order) and, per (la, period) in order, the cell texts."""
    measures = [m for m in SHORT if m in set(table["measure"])]
    rows: dict[tuple[Any, ...], dict[str, str]] = {}
    for rec in table.sort_values(["start", "end"], kind="stable").to_dict(orient="records"):
        key = (rec["file"], rec["sheet"], rec["la"] or "", rec["start"], rec["end"], rec["period"])
        cells = rows.setdefault(key, {})
        text = _value_text(rec["value"], rec["suppressed"], bool(rec["derived"]))
        if rec["measure"] in cells and cells[rec["measure"]] != text:
            text = cells[rec["measure"]] + " / " + text
        cells[rec["measure"]] = text
    out = [
        (str(key[2]), str(key[5]), [cells.get(m, "") for m in measures])
        for key, cells in rows.items()
    ]
    return measures, out


#: How each period kind is named in the views.
KIND_NAMES = {
    "month": "months",
    "quarter": "quarters",
    "calendar_year": "calendar years",
    "financial_year": "financial years (April-March)",
    "academic_year": "academic years (September-August)",
    "other": "other periods",
}


def span_line(table: pd.DataFrame) -> str:
    """What the periods were read as: their kinds and the days they cover."""
    kinds = [KIND_NAMES[k] for k in KIND_NAMES if k in set(table["period_kind"])]
    first, last = min(table["start"]), max(table["end"])
    span = f"{first.day} {first:%b %Y} to {last.day} {last:%b %Y}"
    return f"Periods read as {', '.join(kinds)}: {span}."


def _where(i: TotalsInput) -> str:
    return i.file if i.sheet is None else f"{i.file} / sheet {i.sheet!r}"


def _understood(i: TotalsInput) -> str:
    where = f"{_where(i)}: periods in {i.axis}"
    if i.orientation == "periods-in-rows":
        rows = "s " + "-".join(str(r) for r in (i.header_rows[0], i.header_rows[-1]))
        where += f", measures on row{rows if len(i.header_rows) > 1 else f' {i.header_rows[0]}'}"
    return f"{where}; {i.periods} periods, {i.values} figures"


def _sheet_table(result: TotalsResult, i: TotalsInput) -> pd.DataFrame:
    table = result.table
    if i.sheet is None:
        keep = (table["file"] == i.file) & table["sheet"].isna()
    else:
        keep = (table["file"] == i.file) & (table["sheet"] == i.sheet)
    return table[keep]


def _leftover(result: TotalsResult) -> list[str]:
    lines = []
    if result.unknown_columns:
        lines.append(
            "Not understood (not read): "
            + "; ".join(repr(h) for h in result.unknown_columns)
            + ' - name one with --map "HEADER=measure" or --map "HEADER=ignore".'
        )
    excluded = [i for i in result.issues if i.excluded]
    if excluded:
        shown = "; ".join(
            f"{i.value or i.column!r} (row {i.row})" if i.row else f"column {i.column!r}"
            for i in excluded
        )
        lines.append(f"Left out: {shown}.")
    return lines


def render_totals(result: TotalsResult) -> RenderableType:
    """The terminal view: per sheet, a period x measure table, then what was not read."""
    parts: list[RenderableType] = []
    for i in result.inputs:
        if i.orientation is None:
            parts.append(Text(f"{_where(i)}: skipped: {i.skipped}", style="dim"))
            continue
        parts.append(Text(_understood(i), style="bold"))
        sheet_table = _sheet_table(result, i)
        measures, rows = pivot(sheet_table)
        councils = {la for la, _, _ in rows}
        has_la = len(councils) > 1
        if len(councils) == 1 and (only := councils.pop()):
            parts.append(Text(f"Council: {only}"))
        if len(sheet_table):
            parts.append(Text(span_line(sheet_table), style="dim"))
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        if has_la:
            table.add_column("LA", max_width=14)
        table.add_column("Period", max_width=20)
        for m in measures:
            table.add_column(SHORT[m], justify="right")
        for la, period, cells in rows:
            table.add_row(*([Text(la)] if has_la else []), Text(period), *(Text(c) for c in cells))
        parts.append(table)
    if any(result.table["derived"]) if len(result.table) else False:
        parts.append(
            Text(f"{DERIVED_MARK} derived: plans issued minus plans over 20 weeks.", style="dim")
        )
    if len(result.table) and result.table["suppressed"].notna().any():
        parts.append(Text("A marker such as <5 is a suppressed count: never read as 0.", "dim"))
    for line in _leftover(result):
        parts.append(Text(line, style="yellow"))
    problems = [i for i in result.issues if not i.excluded and i.code != "sheet-skipped"]
    if problems:
        parts.append(Text(f"Data issues ({len(problems)}):", style="bold"))
        for issue in problems[:20]:
            parts.append(Text(f"  {issue.code}: {issue.message}"))
        if len(problems) > 20:
            parts.append(Text(f"  ... and {len(problems) - 20} more (see --format json)."))
    return Group(*parts)


def render_markdown(result: TotalsResult) -> str:
    """The pivoted tables and what was not read, as Markdown."""
    lines = ["# Table of totals", ""]
    for i in result.inputs:
        if i.orientation is None:
            lines += [f"- {md(Data(_where(i)))}: skipped: {md(i.skipped)}", ""]
            continue
        lines += [f"## {md(Data(_understood(i)))}", ""]
        sheet_table = _sheet_table(result, i)
        measures, rows = pivot(sheet_table)
        councils = {la for la, _, _ in rows}
        has_la = len(councils) > 1
        if len(councils) == 1 and (only := councils.pop()):
            lines += [f"Council: {md(Data(only))}", ""]
        if len(sheet_table):
            lines += [md(span_line(sheet_table)), ""]
        heads = (["LA"] if has_la else []) + ["Period"] + [SHORT[m] for m in measures]
        body: list[list[object]] = [
            [*([Data(la)] if has_la else []), Data(period), *(Data(c) for c in cells)]
            for la, period, cells in rows
        ]
        align = ("l" if has_la else "") + "l" + "r" * len(measures)
        lines += [*_md_table(heads, body, align), ""]
    for line in _leftover(result):
        lines += [md(Data(line)), ""]
    problems = [i for i in result.issues if not i.excluded and i.code != "sheet-skipped"]
    if problems:
        lines += ["## Data issues", ""]
        lines += [f"- `{i.code}`: {md(Data(i.message))}" for i in problems]
        lines.append("")
    return "\n".join(lines)


def render_understood(results: Iterable[TotalsResult]) -> RenderableType:
    """How each totals sheet was understood (the ``columns`` command's view of it)."""
    parts: list[RenderableType] = []
    for result in results:
        for i in result.inputs:
            if i.orientation is None:
                continue
            parts.append(Text(_understood(i), style="bold"))
            table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
            table.add_column("Header / label", ratio=1)
            table.add_column("Read as", no_wrap=True)
            for header, role in i.measures.items():
                style = "dim" if role in {"unknown", "ignore", "total", "period"} else "green"
                shown = "not used" if role == "unknown" else role
                table.add_row(Text(header), Text(shown, style=style))
            parts.append(table)
        for line in _leftover(result):
            parts.append(Text(line, style="yellow"))
        parts.append(Text(""))
    parts.append(
        Text(
            'A table of totals: fix a measure with --map "Header text=measure" (measures: '
            + ", ".join(SHORT)
            + ", or ignore); read it with ehcp-check totals FILE.",
            style="dim",
        )
    )
    return Group(*parts)
