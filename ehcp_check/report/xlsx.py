"""The audit as an Excel workbook: Summary (with native charts), Breaches, Cases, Data issues
and Method sheets.

The workbook is streamed (openpyxl write-only mode), so memory stays flat however many
cases there are; every styled cell is created as it is written. Dates are real date cells
shown ``dd/mm/yyyy``; percentages are numbers with one decimal place (``33.3`` means 33.3%,
as the DfE publishes them); late and overdue cases have their status and days late filled
red. Text from the input files is always a string cell: a text that a spreadsheet could
take for a formula or an error value (``=1+1``, ``@SUM(A1)``, ``#N/A``) is written as a
string with Excel's "quote prefix" (what Excel does when a user types ``'=1+1``), never as
a formula. Excel holds at most 1,048,576 rows a sheet; beyond that the Cases sheet is cut
and says so (the CSV and JSON outputs have every case).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import __version__
from ..rules import DISCLAIMER, EXCEPTIONS_BY_KIND, RULES, SCOPE
from .figures import (
    BOOL_COLUMNS,
    DATE_COLUMNS,
    breach_table,
    case_table,
    england,
    weeks_bands,
)
from .safe import atomic_write, is_risky

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from ..audit import AuditResult

PathLike = str | os.PathLike[str]

DATE_FORMAT = "dd/mm/yyyy"
PCT_FORMAT = "0.0"
COUNT_FORMAT = "#,##0"
WEEKS_FORMAT = "0.0"

#: Data rows a sheet can hold under its header row.
MAX_ROWS = 1_048_576 - 1
#: Longest text a cell can hold.
MAX_TEXT = 32_767

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
BREACH_FILL = PatternFill("solid", fgColor="F8CBCB")
BREACH_FONT = Font(bold=True, color="9C0006")
WRAP = Alignment(wrap_text=True, vertical="top")

SHEETS = ("Summary", "Breaches", "Cases", "Data issues", "Method")


class _Sheet:
    """Cell factory for one write-only sheet (styled cells are created per value)."""

    def __init__(self, ws: WriteOnlyWorksheet):
        self.ws = ws
        self.rows = 0
        """Rows written through :meth:`append`."""
        self.col_widths: list[float] = []

    def append(self, values: Sequence[Any]) -> int:
        """Write a row; a row with wrapped text gets a height that shows all its lines
        (streamed rows are not auto-fitted by every spreadsheet program). Returns its
        row number."""
        lines = 1
        for i, v in enumerate(values):
            if isinstance(v, Cell) and v.alignment.wrap_text and v.value is not None:
                width = self.col_widths[i] if i < len(self.col_widths) else 10.0
                chars = max(1.0, width - 1.0)
                lines = max(lines, -(-int(len(str(v.value)) * 1.1) // int(chars)))
        self.rows += 1
        if lines > 1:
            self.ws.row_dimensions[self.rows].height = 15 * lines
        self.ws.append(list(values))
        return self.rows

    def cell(
        self,
        value: Any,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        number_format: str | None = None,
        wrap: bool = False,
    ) -> Any:
        """A value, or a styled cell holding it; text is made safe (see module docstring)."""
        if isinstance(value, str):
            value = clean_text(value)
        needs_guard = isinstance(value, str) and text_needs_guard(value)
        if not (font or fill or number_format or wrap or needs_guard):
            return value
        c = WriteOnlyCell(self.ws, value=value)
        if needs_guard:
            c.data_type = "s"
            c.quotePrefix = True
        if font is not None:
            c.font = font
        if fill is not None:
            c.fill = fill
        if number_format is not None:
            c.number_format = number_format
        if wrap:
            c.alignment = WRAP
        return c

    def header(self, names: Iterable[str], *, wrap: bool = False) -> None:
        """A bold, shaded header row."""
        self.append([self.cell(n, font=BOLD, fill=HEADER_FILL, wrap=wrap) for n in names])

    def fit_to_width(self) -> None:
        """Print landscape, one page wide."""
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True

    def blank(self) -> None:
        self.append([])

    def widths(self, widths: Sequence[float]) -> None:
        """Column widths (before any row is written)."""
        self.col_widths = list(widths)
        for i, w in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = w


def clean_text(text: str) -> str:
    """Text a cell can hold: control characters Excel rejects removed, cut to the limit."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def text_needs_guard(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula or an error value."""
    return is_risky(text) or text in ERROR_CODES or text.startswith("=")


# --- case tables -------------------------------------------------------------------------


def _column_values(col: pd.Series, name: str) -> list[Any]:
    """Python values for one column: dates as :class:`datetime.date`, NaN/NaT as None."""
    if name in DATE_COLUMNS:
        arr = col.to_numpy(dtype="datetime64[D]")
        return list(arr.astype(object))  # NaT -> None, else datetime.date
    if name in BOOL_COLUMNS or col.dtype == object:
        return col.tolist()
    if name == "row":
        return [None if pd.isna(x) else int(x) for x in col.tolist()]
    values = col.to_numpy(dtype=float, na_value=np.nan)
    return [None if x != x else x for x in values.tolist()]


def _width(name: str, values: Sequence[Any]) -> float:
    if name in DATE_COLUMNS:
        return max(11.0, len(name) + 2.0)
    sample = [len(str(v)) for v in values[:2000] if v is not None]
    longest = max([len(name), *sample])
    return float(min(max(longest + 2, 8), 60))


#: Rows between two progress reports while writing a case sheet.
PROGRESS_STEP = 5000


def _write_cases(
    ws: WriteOnlyWorksheet,
    table: pd.DataFrame,
    *,
    limit: int = MAX_ROWS,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the flat case table with a header, filter and frozen header; return rows written."""
    sheet = _Sheet(ws)
    table = table.head(limit)
    names = list(table.columns)
    columns = [_column_values(table[n], n) for n in names]
    sheet.widths([_width(n, col) for n, col in zip(names, columns, strict=True)])
    ws.freeze_panes = "E2"
    sheet.fit_to_width()
    sheet.header(names)
    date_cells = {i: WriteOnlyCell(ws) for i, n in enumerate(names) if n in DATE_COLUMNS}
    for c in date_cells.values():
        c.number_format = DATE_FORMAT
    weeks_idx = {i for i, n in enumerate(names) if n in ("weeks_to_final", "weeks_open")}
    weeks_cells = {i: WriteOnlyCell(ws) for i in weeks_idx}
    for c in weeks_cells.values():
        c.number_format = WEEKS_FORMAT
    status_i = names.index("status")
    late_i = names.index("days_late")
    flag_status = WriteOnlyCell(ws)
    flag_days = WriteOnlyCell(ws)
    for c in (flag_status, flag_days):
        c.fill = BREACH_FILL
        c.font = BREACH_FONT
    text_idx = [
        i for i, n in enumerate(names) if table[n].dtype == object and n not in BOOL_COLUMNS
    ]
    for k, values in enumerate(zip(*columns, strict=True), 1):
        if progress is not None and k % PROGRESS_STEP == 0:
            progress(PROGRESS_STEP)
        row = list(values)
        for i in text_idx:
            v = row[i]
            if isinstance(v, str):
                row[i] = sheet.cell(v)
        for i, c in date_cells.items():
            if row[i] is not None:
                c.value = row[i]
                row[i] = c
        for i, c in weeks_cells.items():
            if row[i] is not None:
                c.value = row[i]
                row[i] = c
        if row[status_i] in ("late", "overdue"):
            flag_status.value = row[status_i]
            flag_days.value = row[late_i]
            row[status_i], row[late_i] = flag_status, flag_days
        ws.append(row)
    n = len(table)
    if progress is not None and n % PROGRESS_STEP:
        progress(n % PROGRESS_STEP)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{n + 1}"
    return n


# --- Summary -----------------------------------------------------------------------------

_HEADLINE: tuple[tuple[str, str, str], ...] = (
    ("Plans issued", "plans_issued", COUNT_FORMAT),
    ("Issued within 20 weeks", "within_20_weeks", COUNT_FORMAT),
    ("% within 20 weeks, including exceptions", "pct_within_20_weeks", PCT_FORMAT),
    ("Plans issued, excluding accepted exceptions", "plans_issued_excl", COUNT_FORMAT),
    ("Issued within 20 weeks, excluding exceptions", "within_20_weeks_excl", COUNT_FORMAT),
    ("% within 20 weeks, excluding exceptions", "pct_within_20_weeks_excl", PCT_FORMAT),
    ("Issued after 20 and up to 52 weeks", "over_20_to_52_weeks", COUNT_FORMAT),
    ("Issued after 52 weeks", "over_52_weeks", COUNT_FORMAT),
    ("Mean weeks to issue", "mean_weeks_to_issue", WEEKS_FORMAT),
    ("Median weeks to issue", "median_weeks_to_issue", WEEKS_FORMAT),
    ("90th percentile weeks to issue", "p90_weeks_to_issue", WEEKS_FORMAT),
    ("Longest weeks to issue", "max_weeks_to_issue", WEEKS_FORMAT),
    ("Decisions whether to assess", "decisions_to_assess", COUNT_FORMAT),
    ("Decided within 6 weeks", "within_6_weeks", COUNT_FORMAT),
    ("% decided within 6 weeks", "pct_within_6_weeks", PCT_FORMAT),
    ("No-plan decisions", "no_plan_decisions", COUNT_FORMAT),
    ("No-plan notices after 16 weeks", "no_plan_over_16_weeks", COUNT_FORMAT),
    ("Open cases", "open_cases", COUNT_FORMAT),
    ("Open cases overdue", "open_overdue", COUNT_FORMAT),
    ("Most days overdue", "max_days_overdue", COUNT_FORMAT),
    ("Exceptions claimed", "exceptions_claimed", COUNT_FORMAT),
    ("Exceptions not lawful", "exceptions_not_lawful", COUNT_FORMAT),
    ("Exceptions implausible", "exceptions_implausible", COUNT_FORMAT),
    ("Rows read", "rows_read", COUNT_FORMAT),
    ("Cases judged", "cases", COUNT_FORMAT),
    ("Rows excluded", "rows_excluded", COUNT_FORMAT),
)

#: Per-period columns on the Summary sheet: header, summary key, number format.
_PERIOD: tuple[tuple[str, str, str], ...] = (
    ("Plans issued", "plans_issued", COUNT_FORMAT),
    ("% within 20 weeks incl. exceptions", "pct_within_20_weeks", PCT_FORMAT),
    ("% within 20 weeks excl. exceptions", "pct_within_20_weeks_excl", PCT_FORMAT),
    ("Over 20 to 52 weeks", "over_20_to_52_weeks", COUNT_FORMAT),
    ("Over 52 weeks", "over_52_weeks", COUNT_FORMAT),
    ("Median weeks", "median_weeks_to_issue", WEEKS_FORMAT),
    ("% decided within 6 weeks", "pct_within_6_weeks", PCT_FORMAT),
    ("Open overdue", "open_overdue", COUNT_FORMAT),
)


def _write_summary(ws: WriteOnlyWorksheet, result: AuditResult, cut: int | None) -> None:
    s = _Sheet(ws)
    r = result
    summary = r.summary
    s.widths([46, 16, 16, 16, 16, 16, 16, 16, 16])
    s.fit_to_width()

    def put(values: list[Any]) -> int:
        return s.append(values)

    put([s.cell("EHC plan deadlines audit", font=TITLE)])
    put(["As of", s.cell(r.settings.as_of, number_format=DATE_FORMAT)])
    put(["Day count", r.settings.day_count.value])
    cohort = f"plans issued {r.options.period.label}" if r.options.period else "all cases"
    put(["Cohort", s.cell(cohort)])
    put(["Tool", f"ehcp-check {__version__}"])
    if cut is not None:
        put(
            [
                s.cell(
                    f"Cases sheet shows the first {cut:,} cases only (Excel's row limit); "
                    "the CSV or JSON output has every case.",
                    font=BREACH_FONT,
                )
            ]
        )
    put([])
    eng = england(r)
    eng_head = f"England {eng.year} (DfE)" if eng else "England"
    put([s.cell(h, font=BOLD, fill=HEADER_FILL) for h in ("Measure", "This audit", eng_head)])
    for label, key, fmt in _HEADLINE:
        value = summary.get(key)
        cells: list[Any] = [label, s.cell(value, number_format=fmt)]
        if eng is not None and key == "pct_within_20_weeks":
            cells.append(s.cell(eng.pct_incl, number_format=PCT_FORMAT))
        elif eng is not None and key == "pct_within_20_weeks_excl":
            cells.append(s.cell(eng.pct_excl, number_format=PCT_FORMAT))
        put(cells)
    for code, n in (summary.get("breaches") or {}).items():
        put([f"Breaches of {code}", s.cell(n, number_format=COUNT_FORMAT)])
    put(["Cases late or overdue", s.cell(r.breach_count, number_format=COUNT_FORMAT)])
    if eng is not None and not eng.same_year:
        put([s.cell(f"{eng.note}.")])
    put([])

    # Weeks-to-issue bands (chart data).
    put([s.cell(h, font=BOLD, fill=HEADER_FILL) for h in ("Weeks to issue", "Plans", "% of plans")])
    band_first = s.rows + 1
    for b in weeks_bands(r):
        put(
            [
                b.label,
                s.cell(b.count, number_format=COUNT_FORMAT),
                s.cell(b.pct, number_format=PCT_FORMAT),
            ]
        )
    band_last = s.rows
    put([])

    # Per-period table (chart data); one row for the whole audit when not grouped.
    by = r.options.by.value if r.options.by else "period"
    groups = r.groups or [(r.options.period.label if r.options.period else "All", summary)]
    put(
        [
            s.cell(h, font=BOLD, fill=HEADER_FILL, wrap=True)
            for h in (by.capitalize(), *(p[0] for p in _PERIOD))
        ]
    )
    period_first = s.rows + 1
    for key, g in groups:
        put([s.cell(str(key)), *(s.cell(g.get(k), number_format=f) for _, k, f in _PERIOD)])
    period_last = s.rows

    chart = BarChart()
    chart.type = "col"
    chart.title = "% of plans issued within 20 weeks"
    chart.y_axis.title = "%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.x_axis.title = by.capitalize()
    data = Reference(ws, min_col=3, max_col=4, min_row=period_first - 1, max_row=period_last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=period_first, max_row=period_last))
    chart.y_axis.number_format = "0"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, "E2")

    dist = BarChart()
    dist.type = "bar"
    dist.title = "Plans issued by weeks to issue"
    dist.legend = None
    dist.x_axis.title = "Weeks"
    dist.y_axis.title = "Plans"
    dist.y_axis.scaling.min = 0
    dist.add_data(
        Reference(ws, min_col=2, min_row=band_first - 1, max_row=band_last), titles_from_data=True
    )
    dist.set_categories(Reference(ws, min_col=1, min_row=band_first, max_row=band_last))
    dist.x_axis.scaling.orientation = "maxMin"
    dist.x_axis.delete = False
    dist.y_axis.delete = False
    dist.height, dist.width = 8, 16
    ws.add_chart(dist, "E19")


# --- Data issues, Method -------------------------------------------------------------------


def _write_issues(ws: WriteOnlyWorksheet, result: AuditResult) -> None:
    s = _Sheet(ws)
    names = ["file", "sheet", "row", "column", "value", "code", "message", "excluded"]
    rows = [
        [i.file, i.sheet, i.row, i.column, i.value, i.code, i.message, i.excluded]
        for i in result.issues[:MAX_ROWS]
    ]
    s.widths([_width(n, [r[k] for r in rows]) for k, n in enumerate(names)])
    ws.freeze_panes = "A2"
    s.fit_to_width()
    s.header(names)
    for r in rows:
        s.append([s.cell(v) for v in r])
    ws.auto_filter.ref = f"A1:H{len(rows) + 1}"


_COHORTS: tuple[tuple[str, str], ...] = (
    (
        "Plans issued, 20-week measures, bands, weeks to issue, exceptions",
        "by the date the final plan was issued (as the DfE does)",
    ),
    ("Decisions whether to assess (6 weeks)", "by the request date"),
    ("No-plan decisions (16 weeks)", "by the date of the no-plan notice"),
    ("Open cases, overdue", "snapshot on the as-of date; a period keeps those requested in it"),
    (
        "Including / excluding exceptions",
        "'excluding' removes plans whose exception claim is accepted (a bare flag, or a lawful "
        "reason the dates do not show implausible) from numerator and denominator",
    ),
    ("Percentages", "one decimal place, rounded half up (the DfE's rounding)"),
    (
        "England figures",
        "DfE 'Education, health and care plans' (SEN2), calendar years; "
        "Open Government Licence v3.0",
    ),
)


def _write_method(ws: WriteOnlyWorksheet, result: AuditResult, cut: int | None) -> None:
    s = _Sheet(ws)
    s.widths([34, 44, 30, 30, 30, 40, 40, 40])
    s.fit_to_width()
    r = result

    def row(*values: Any) -> None:
        """A row with every cell top-aligned and wrapped."""
        s.append([s.cell(v, wrap=True) if v is not None else None for v in values])

    def section(title: str) -> None:
        s.blank()
        s.append([s.cell(title, font=TITLE)])

    s.append([s.cell("How these cases were judged", font=TITLE)])
    s.append(["As of", s.cell(r.settings.as_of, number_format=DATE_FORMAT)])
    counting = (
        "the request day is day 1; deadline = request + 7N - 1 days"
        if r.settings.day_count.value == "day-one"
        else "deadline = request + 7N days (the request day is not counted)"
    )
    row("Day count", f"{r.settings.day_count.value}: {counting}")
    row("Scope", SCOPE)
    row("Tool", f"ehcp-check {__version__}")
    if cut is not None:
        row("Cases sheet", f"first {cut:,} cases only (Excel's row limit)")

    section("Time limits")
    s.header(["Code", "What must happen", "Limit", "Clock starts", "Clock stops", "Applies to",
              "Regulation", "Exceptions"])  # fmt: skip
    for rule in RULES:
        row(rule.code.value, rule.title, rule.label, rule.start, rule.end, rule.applies_to,
            rule.regulation, rule.exceptions)  # fmt: skip

    section("Exception kinds")
    s.header(["Kind", "Title", "Condition", "Regulation", "Lawful", "Can excuse"])
    for kind, e in EXCEPTIONS_BY_KIND.items():
        lawful = "as claimed" if e.lawful is None else ("yes" if e.lawful else "no")
        excuses = ", ".join(c.code.value for c in RULES if c.code in e.excuses) or "none"
        row(kind.value, e.title, e.condition, e.regulation, lawful, excuses)

    section("Cohorts and measures")
    for label, text in _COHORTS:
        row(label, text)

    section("Files and sheets read")
    s.header(["File", "Sheet", "Header row", "Rows", "Rows excluded"])
    for i in r.inputs:
        row(i.file, i.sheet, i.header_row, i.rows, i.excluded)
    section("Column mappings")
    s.header(["File", "Sheet", "Field", "Read from column"])
    for i in r.inputs:
        for fld, head in i.columns.items():
            row(i.file, i.sheet, fld, head)
    s.blank()
    s.append([s.cell(DISCLAIMER, font=Font(italic=True))])


# --- entry point ---------------------------------------------------------------------------


def build_workbook(
    result: AuditResult,
    *,
    max_rows: int = MAX_ROWS,
    progress: Callable[[int, int], None] | None = None,
) -> Workbook:
    """The workbook, streamed sheet by sheet (save it once). ``progress`` is called with
    (rows written, rows to write) as the case sheets fill."""
    wb = Workbook(write_only=True)
    table = case_table(result.verdicts)
    cut = max_rows if len(table) > max_rows else None
    late = breach_table(table)
    total = min(len(late), max_rows) + min(len(table), max_rows)
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        done += rows
        if progress is not None:
            progress(done, total)

    summary, breaches, cases, issues, method = (wb.create_sheet(t) for t in SHEETS)
    _write_summary(summary, result, cut)
    _write_cases(breaches, late, limit=max_rows, progress=advance)
    _write_cases(cases, table, limit=max_rows, progress=advance)
    _write_issues(issues, result)
    _write_method(method, result, cut)
    return wb


def write_xlsx(
    result: AuditResult,
    path: PathLike,
    *,
    force: bool = False,
    inputs: Sequence[PathLike] = (),
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write the audit workbook to ``path`` atomically (``progress``: see
    :func:`build_workbook`)."""

    def write(tmp: Path) -> None:
        build_workbook(result, progress=progress).save(tmp)

    return atomic_write(path, write, force=force, inputs=inputs)


__all__ = ["SHEETS", "build_workbook", "clean_text", "text_needs_guard", "write_xlsx"]
