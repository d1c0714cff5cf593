"""The audit as an Excel workbook for people: Summary (with native charts), Breaches, Cases,
Data issues, Inputs and Method sheets.

Written with xlsxwriter in constant-memory mode: rows stream to disk as they are written,
so memory stays flat however many cases there are, and 100,000 cases take seconds. Every
table sheet has human headers (the JSON keys stay in the JSON), a frozen header row, a
filter, column widths and a print setup (landscape, one page wide, the header row repeated
on every page). The input files are named once, on the Inputs sheet; with several, the
``Input`` column numbers them.

Dates are real date cells shown ``dd/mm/yyyy``; percentages are numbers with one decimal
place (``33.3`` means 33.3%, as the DfE publishes them); late and overdue cases have their
status and days late filled red. Text from the input files is always written as a string
cell: a text that a spreadsheet could take for a formula or an error value (``=1+1``,
``@SUM(A1)``, ``#N/A``) is a string with Excel's "quote prefix" (what Excel does when a user
types ``'=1+1``), never a formula. Charts with nothing to draw are replaced by a sentence
saying so ("No plans issued in this period"). Excel holds at most 1,048,576 rows a sheet;
beyond that the Cases sheet is cut and says so (the CSV and JSON outputs have every case).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from .. import __version__
from ..model import Field
from ..rules import DISCLAIMER, EXCEPTIONS_BY_KIND, RULES, SCOPE
from .figures import (
    BOOL_COLUMNS,
    CASE_COLUMNS,
    DATE_COLUMNS,
    breach_total,
    breaches,
    case_table,
    claim_verdict,
    england,
    weeks_bands,
)
from .safe import atomic_write, is_risky

if TYPE_CHECKING:
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

BREACH_FILL = "#F8CBCB"
BREACH_FONT = "#9C0006"
HEADER_FILL = "#DDE4EE"

SHEETS = ("Summary", "Breaches", "Cases", "Data issues", "Inputs", "Method")

#: Error values a spreadsheet shows for a text that is exactly one of them.
ERROR_CODES = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

#: Human headers of the flat case table's columns (the JSON keys stay in the JSON).
HEADERS: dict[str, str] = {
    "file": "Input",
    "sheet": "Sheet",
    "row": "Row",
    Field.CASE_ID.value: "Case",
    Field.LA.value: "LA",
    "status": "Status",
    Field.OUTCOME.value: "Outcome",
    Field.REQUEST_DATE.value: "Request received",
    Field.ASSESS_DECISION_DATE.value: "Decided whether to assess",
    Field.ASSESS_DECISION.value: "Decision to assess",
    Field.ISSUE_DECISION_DATE.value: "Decided whether to issue",
    Field.ISSUE_DECISION.value: "Decision to issue",
    Field.DRAFT_DATE.value: "Draft plan sent",
    Field.FINAL_DATE.value: "Final plan issued",
    Field.SCHOOL_ADVICE_DATE.value: "School advice requested",
    "deadline_6w": "6-week deadline",
    "deadline_16w": "16-week deadline",
    "deadline_20w": "20-week deadline",
    "weeks_to_final": "Weeks to final plan",
    "weeks_open": "Weeks open",
    "days_late": "Days late",
    "breaches": "Breaches (rule: days late)",
    "exception_raw": "Exception claimed",
    "exception_kind": "Exception kind",
    "exception_lawful": "Exception lawful",
    "exception_plausible": "Exception plausible",
    "exception_note": "Exception note",
    "exception_accepted": "Exception accepted",
    "invalid_reason": "Why not judged",
    Field.DELAY_REASON.value: "Delay reason",
    # Breaches sheet.
    "rule": "Rule",
    "rule_deadline": "Deadline",
    "rule_step": "Step taken",
    "verdict": "Exception verdict",
}

#: Columns of the Breaches sheet, one row per case and rule.
BREACH_SHEET_COLUMNS: tuple[str, ...] = (
    "file",
    "sheet",
    "row",
    Field.CASE_ID.value,
    Field.LA.value,
    "rule",
    Field.REQUEST_DATE.value,
    "rule_deadline",
    "rule_step",
    "days_late",
    "status",
    Field.OUTCOME.value,
    "exception_raw",
    "verdict",
    "exception_note",
    Field.DELAY_REASON.value,
)

_WIDTHS: dict[str, float] = {
    "file": 6,
    "sheet": 12,
    "row": 7,
    Field.CASE_ID.value: 14,
    Field.LA.value: 16,
    "status": 14,
    Field.OUTCOME.value: 12,
    "weeks_to_final": 10,
    "weeks_open": 9,
    "days_late": 8,
    "breaches": 22,
    "exception_raw": 24,
    "exception_kind": 18,
    "exception_note": 40,
    "invalid_reason": 40,
    Field.DELAY_REASON.value: 30,
    "rule": 10,
    "rule_step": 12,
    "verdict": 18,
}


def clean_text(text: str) -> str:
    """Text a cell can hold: control characters Excel rejects removed, cut to the limit."""
    if not text.isprintable():
        text = _ILLEGAL.sub("", text)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def text_needs_guard(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula or an error value."""
    return is_risky(text) or text in ERROR_CODES or text.startswith("=")


# --- the workbook ------------------------------------------------------------------------


@dataclass(slots=True)
class _Formats:
    bold: Format
    title: Format
    header: Format
    date: Format
    pct: Format
    count: Format
    weeks: Format
    guard: Format
    breach: Format
    wrap: Format
    note: Format
    italic: Format


def _formats(wb: xlsxwriter.Workbook) -> _Formats:
    add = wb.add_format
    return _Formats(
        bold=add({"bold": True}),
        title=add({"bold": True, "font_size": 14}),
        header=add({"bold": True, "bg_color": HEADER_FILL, "text_wrap": True, "valign": "top"}),
        date=add({"num_format": DATE_FORMAT}),
        pct=add({"num_format": PCT_FORMAT}),
        count=add({"num_format": COUNT_FORMAT}),
        weeks=add({"num_format": WEEKS_FORMAT}),
        guard=add({"quote_prefix": True}),
        breach=add({"bold": True, "font_color": BREACH_FONT, "bg_color": BREACH_FILL}),
        wrap=add({"text_wrap": True, "valign": "top"}),
        note=add({"bold": True, "font_color": BREACH_FONT}),
        italic=add({"italic": True}),
    )


class _Writer:
    """One sheet written top to bottom (constant-memory mode writes rows in order)."""

    def __init__(self, ws: Worksheet, fmt: _Formats):
        self.ws = ws
        self.fmt = fmt
        self.row = 0
        """The next row to write (0-based)."""

    def put(self, col: int, value: Any, cell_format: Format | None = None) -> None:
        """Write one value by its type; text never becomes a formula."""
        ws, r = self.ws, self.row
        if value is None or (isinstance(value, float) and value != value):
            if cell_format is not None:
                ws.write_blank(r, col, None, cell_format)
        elif isinstance(value, str):
            text = clean_text(value)
            guard = self.fmt.guard if text_needs_guard(text) else cell_format
            ws.write_string(r, col, text, guard)
        elif isinstance(value, bool | np.bool_):
            ws.write_boolean(r, col, bool(value), cell_format)
        elif isinstance(value, datetime | date):
            ws.write_datetime(r, col, value, cell_format or self.fmt.date)
        elif isinstance(value, int | float | np.integer | np.floating):
            ws.write_number(r, col, value, cell_format)
        else:
            ws.write_string(r, col, clean_text(str(value)), cell_format)

    def line(self, values: Sequence[Any], formats: Sequence[Format | None] = ()) -> int:
        """Write a row of values; returns its (0-based) row number."""
        for c, v in enumerate(values):
            self.put(c, v, formats[c] if c < len(formats) else None)
        self.row += 1
        return self.row - 1

    def header(self, names: Sequence[str], *, lines: int = 1) -> None:
        """A bold, shaded header row, tall enough for ``lines`` wrapped lines."""
        if lines > 1:
            self.ws.set_row(self.row, 15 * lines)
        self.line(names, [self.fmt.header] * len(names))


def _print_setup(ws: Worksheet, *, header_row: int | None = 0) -> None:
    """Landscape, one page wide, the header row repeated on every printed page."""
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_paper(9)  # A4
    if header_row is not None:
        ws.repeat_rows(header_row)


# --- case tables -------------------------------------------------------------------------


def _column_values(col: pd.Series, name: str) -> list[Any]:
    """Python values for one column: dates as :class:`datetime.date`, NaN/NaT as None."""
    if name in DATE_COLUMNS or name == "rule_deadline":
        arr = col.to_numpy(dtype="datetime64[D]")
        return list(arr.astype(object))  # NaT -> None, else datetime.date
    if name in BOOL_COLUMNS or _is_text(col):
        return [None if v is None or v is pd.NA or v != v else v for v in col.tolist()]
    if name in ("row", "days_late", "file"):
        return [None if pd.isna(x) else int(x) for x in col.tolist()]
    values = col.to_numpy(dtype=float, na_value=np.nan)
    return [None if x != x else x for x in values.tolist()]


def _is_text(col: pd.Series) -> bool:
    return not (
        pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_datetime64_any_dtype(col.dtype)
    )


_EXCEL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")


def _xml_text(text: str) -> str:
    """A text as an inline-string cell body (``<is><t>...</t></is>``), escaped for XML and
    for Excel's own ``_xHHHH_`` escapes."""
    text = clean_text(text)
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(r"_x005F\1", text)
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"<is><t{space}>{text}</t></is>"


_EPOCH = date(1899, 12, 30)


def _column_cells(
    letter: str,
    values: list[Any],
    kind: str,
    xf: dict[str, int],
    flagged: npt.NDArray[np.bool_] | None,
    rows: list[str],
) -> list[str]:
    """The ``<c>`` elements of one column, one string per row ('' where blank), built
    column-wise: each distinct value is turned into XML once. ``flagged`` rows get the
    breach style (status and days late of late and overdue cases); ``rows`` holds the row
    numbers as text."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    plain: list[str] = []
    breach: list[str] = []
    for u in uniques.tolist():
        if kind == "text" and isinstance(u, str):
            style = f' s="{xf["guard"]}"' if text_needs_guard(clean_text(u)) else ""
            body = f' t="inlineStr">{_xml_text(u)}</c>'
        elif kind in ("date", "text") and isinstance(u, date):
            day = u.date() if isinstance(u, datetime) else u
            style, body = f' s="{xf["date"]}"', f"><v>{(day - _EPOCH).days}</v></c>"
        elif kind == "bool":
            style, body = "", f' t="b"><v>{1 if u else 0}</v></c>'
        else:
            style = f' s="{xf["weeks"]}"' if kind == "weeks" else ""
            number = repr(float(u)) if isinstance(u, float) else str(int(u))
            body = f"><v>{number.removesuffix('.0')}</v></c>"
        plain.append(f'"{style}{body}')
        breach.append(f'" s="{xf["breach"]}"{body}')
    code_arr = np.asarray(codes, dtype=np.int64)
    tails = np.array([*plain, None], dtype=object)[code_arr]
    if flagged is not None:
        tails = np.where(flagged, np.array([*breach, None], dtype=object)[code_arr], tails)
    start = f'<c r="{letter}'
    return [
        "" if t is None else f"{start}{r}{t}" for r, t in zip(rows, tails.tolist(), strict=True)
    ]


def _guard_mask(values: list[Any]) -> list[bool]:
    """Which text values need the quote prefix; each distinct text is tested once."""
    seen: dict[str, bool] = {}
    out = []
    for v in values:
        if isinstance(v, str):
            hit = seen.get(v)
            if hit is None:
                hit = seen[v] = text_needs_guard(clean_text(v))
            out.append(hit)
        else:
            out.append(False)
    return out


def _width(name: str, values: Sequence[Any]) -> float:
    head = HEADERS.get(name, name)
    if name in DATE_COLUMNS or name == "rule_deadline":
        return 11.0
    if name in _WIDTHS:
        return _WIDTHS[name]
    sample = [len(str(v)) for v in values[:2000] if v is not None]
    longest = max([min(len(head), 14), *sample])
    return float(min(max(longest + 2, 8), 40))


#: Rows between two progress reports while writing a case sheet.
PROGRESS_STEP = 5000


def _write_table(
    w: _Writer,
    table: pd.DataFrame,
    *,
    freeze_after: str,
    limit: int = MAX_ROWS,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write a flat table with human headers, a filter, a frozen header and the print
    setup; late and overdue statuses and their days late are filled red."""
    ws, fmt = w.ws, w.fmt
    table = table.head(limit)
    names = list(table.columns)
    columns = [_column_values(table[n], n) for n in names]
    for i, (n, col) in enumerate(zip(names, columns, strict=True)):
        ws.set_column(i, i, _width(n, col))
    _print_setup(ws)
    ws.freeze_panes(1, names.index(freeze_after) + 1 if freeze_after in names else 0)
    w.header([HEADERS.get(n, n) for n in names])
    n_rows = len(table)
    ws.autofilter(0, 0, n_rows, len(names) - 1)

    status_i = names.index("status") if "status" in names else -1
    late_i = names.index("days_late") if "days_late" in names else -1
    breach_rows = (
        [v in ("late", "overdue") for v in columns[status_i]] if status_i >= 0 else [False] * n_rows
    )
    xf = {
        "date": fmt.date._get_xf_index(),
        "weeks": fmt.weeks._get_xf_index(),
        "guard": fmt.guard._get_xf_index(),
        "breach": fmt.breach._get_xf_index(),
    }
    cells: list[list[str]] = []
    flagged = np.asarray(breach_rows, dtype=bool)
    row_numbers = [str(k) for k in range(2, n_rows + 2)]
    for i, (n, col) in enumerate(zip(names, columns, strict=True)):
        if n in DATE_COLUMNS or n == "rule_deadline":
            kind = "date"
        elif n in BOOL_COLUMNS:
            kind = "bool"
        elif _is_text(table[n]):
            kind = "text"
        else:
            kind = "weeks" if n in ("weeks_to_final", "weeks_open") else "number"
        special = flagged if i in (status_i, late_i) else None
        cells.append(_column_cells(xl_col_to_name(i), col, kind, xf, special, row_numbers))
    ws._write_single_row(1)  # the header row goes out; the data rows follow as XML
    fh = ws.row_data_fh
    opens = [f'<row r="{k}">' for k in row_numbers]
    for first in range(0, n_rows, PROGRESS_STEP):
        last = min(first + PROGRESS_STEP, n_rows)
        part = [c[first:last] for c in cells]
        fh.write("</row>".join(map("".join, zip(opens[first:last], *part, strict=True))))
        fh.write("</row>")
        if progress is not None:
            progress(last - first)
    ws.previous_row = n_rows + 1
    ws.dim_rowmax = max(ws.dim_rowmax or 0, n_rows)
    ws.dim_colmax = max(ws.dim_colmax or 0, len(names) - 1)
    w.row = n_rows + 1
    return n_rows


def _input_numbers(table: pd.DataFrame, result: AuditResult) -> pd.Series:
    """Each row's input file as its number on the Inputs sheet (1, 2, ...)."""
    files = list(dict.fromkeys(i.file for i in result.inputs))
    lookup = {f: k for k, f in enumerate(files, 1)}
    return table["file"].map(lookup).astype("Int64")


def _sheet_columns(table: pd.DataFrame, result: AuditResult) -> pd.DataFrame:
    """The input named once: no file column for one input (a number for several), no
    sheet column when every case came from one sheet."""
    files = {i.file for i in result.inputs}
    sheets = {(i.file, i.sheet) for i in result.inputs}
    out = table.copy()
    if len(files) > 1:
        out["file"] = _input_numbers(out, result)
    else:
        out = out.drop(columns="file")
    if len(sheets) <= 1:
        out = out.drop(columns="sheet")
    return out


def breach_sheet_table(result: AuditResult) -> pd.DataFrame:
    """The Breaches sheet's columns: one row per breach the summary counts."""
    table = breaches(result)
    missed = (table["rule_state"] == "missed").to_numpy(dtype=bool) & table[
        "rule_done"
    ].notna().to_numpy(dtype=bool)
    outcome = table[Field.OUTCOME.value].to_numpy(dtype=object)
    words = np.select(
        [
            outcome == "no_plan",
            outcome == "refused",
            (table["rule_state"] == "missed").to_numpy(dtype=bool),
        ],
        ["no plan", "refused", "date not given"],
        "still open",
    ).astype(object)
    done = table["rule_done"].to_numpy(dtype="datetime64[D]").astype(object)
    table["rule_step"] = pd.Series(np.where(missed, done, words), index=table.index, dtype=object)
    # The verdict in words: one per distinct (kind, lawful, plausible, raw present).
    keys = list(
        zip(
            table["exception_kind"].isna(),
            table["exception_raw"].isna(),
            table["exception_lawful"].astype(object),
            table["exception_plausible"].astype(object),
            strict=True,
        )
    )
    memo: dict[tuple[Any, ...], str | None] = {}
    verdicts = []
    for key in keys:
        if key not in memo:
            no_kind, _, lawful, plausible = key
            memo[key] = claim_verdict(None if no_kind else True, lawful, plausible)
        verdicts.append(memo[key])
    table["verdict"] = pd.Series(verdicts, index=table.index, dtype=object)
    return table[list(BREACH_SHEET_COLUMNS)]


# --- Summary -----------------------------------------------------------------------------

_HEADLINE: tuple[tuple[str, str, str], ...] = (
    ("Plans issued", "plans_issued", "count"),
    ("Issued within 20 weeks", "within_20_weeks", "count"),
    ("% within 20 weeks, including exceptions", "pct_within_20_weeks", "pct"),
    ("Plans issued, excluding accepted exceptions", "plans_issued_excl", "count"),
    ("Issued within 20 weeks, excluding exceptions", "within_20_weeks_excl", "count"),
    ("% within 20 weeks, excluding exceptions", "pct_within_20_weeks_excl", "pct"),
    ("Issued after 20 and up to 52 weeks", "over_20_to_52_weeks", "count"),
    ("Issued after 52 weeks", "over_52_weeks", "count"),
    ("Mean weeks to issue", "mean_weeks_to_issue", "weeks"),
    ("Median weeks to issue", "median_weeks_to_issue", "weeks"),
    ("90th percentile weeks to issue", "p90_weeks_to_issue", "weeks"),
    ("Longest weeks to issue", "max_weeks_to_issue", "weeks"),
    ("Decisions whether to assess", "decisions_to_assess", "count"),
    ("Decided within 6 weeks", "within_6_weeks", "count"),
    ("% decided within 6 weeks", "pct_within_6_weeks", "pct"),
    ("No-plan decisions", "no_plan_decisions", "count"),
    ("No-plan notices after 16 weeks", "no_plan_over_16_weeks", "count"),
    ("Open cases", "open_cases", "count"),
    ("Open cases overdue", "open_overdue", "count"),
    ("Most days overdue", "max_days_overdue", "count"),
    ("Exceptions claimed", "exceptions_claimed", "count"),
    ("Exceptions not lawful", "exceptions_not_lawful", "count"),
    ("Exceptions implausible", "exceptions_implausible", "count"),
    ("Rows read", "rows_read", "count"),
    ("Cases judged", "cases", "count"),
    ("Rows excluded", "rows_excluded", "count"),
)

#: Per-period columns on the Summary sheet: header, summary key, number format.
_PERIOD: tuple[tuple[str, str, str], ...] = (
    ("Plans issued", "plans_issued", "count"),
    ("% within 20 weeks incl. exceptions", "pct_within_20_weeks", "pct"),
    ("% within 20 weeks excl. exceptions", "pct_within_20_weeks_excl", "pct"),
    ("Over 20 to 52 weeks", "over_20_to_52_weeks", "count"),
    ("Over 52 weeks", "over_52_weeks", "count"),
    ("Median weeks", "median_weeks_to_issue", "weeks"),
    ("% decided within 6 weeks", "pct_within_6_weeks", "pct"),
    ("Open overdue", "open_overdue", "count"),
)

#: What a chart cell says when there is nothing to draw.
NO_PLANS = "No plans issued in this period: nothing to chart."


def _write_summary(
    wb: xlsxwriter.Workbook, w: _Writer, result: AuditResult, cut: int | None
) -> None:
    ws, fmt, r = w.ws, w.fmt, result
    summary = r.summary
    number = {"count": fmt.count, "pct": fmt.pct, "weeks": fmt.weeks}
    ws.set_column(0, 0, 46)
    ws.set_column(1, 8, 16)
    _print_setup(ws, header_row=None)
    ws.set_portrait()

    w.line(["EHC plan deadlines audit"], [fmt.title])
    w.line(["As of", r.settings.as_of], [None, fmt.date])
    w.line(["Day count", r.settings.day_count.value])
    period = r.options.period
    w.line(["Period", period.label if period else "all cases"])
    w.line(["Tool", f"ehcp-check {__version__}"])
    if cut is not None:
        w.line(
            [
                f"Cases sheet shows the first {cut:,} cases only (Excel's row limit); "
                "the CSV or JSON output has every case."
            ],
            [fmt.note],
        )
    w.line([])
    eng = england(r)
    eng_head = f"England {eng.year} (DfE)" if eng else "England"
    w.header(["Measure", "This audit", eng_head], lines=2)
    for label, key, kind in _HEADLINE:
        cells: list[Any] = [label, summary.get(key)]
        formats: list[Format | None] = [None, number[kind]]
        if eng is not None and key == "pct_within_20_weeks":
            cells.append(eng.pct_incl)
            formats.append(fmt.pct)
        elif eng is not None and key == "pct_within_20_weeks_excl":
            cells.append(eng.pct_excl)
            formats.append(fmt.pct)
        w.line(cells, formats)
    for code, n in (summary.get("breaches") or {}).items():
        w.line([f"Breaches of {code}", n], [None, fmt.count])
    w.line(["Breaches, all rules", breach_total(r)], [None, fmt.count])
    w.line(["Cases late or overdue", r.breach_count], [None, fmt.count])
    if eng is not None and not eng.same_year:
        w.line([f"{eng.note}."])
    w.line([])

    # Weeks-to-issue bands (chart data).
    w.header(["Weeks to issue", "Plans", "% of plans"])
    band_first = w.row
    bands = weeks_bands(r)
    for b in bands:
        w.line([b.label, b.count, b.pct], [None, fmt.count, fmt.pct])
    band_last = w.row - 1
    w.line([])

    # Per-period table (chart data); one row for the whole audit when not grouped.
    by = r.options.by.value if r.options.by else "period"
    groups = r.groups or [(period.label if period else "All", summary)]
    w.header([by.capitalize(), *(p[0] for p in _PERIOD)], lines=3)
    period_first = w.row
    for key, g in groups:
        w.line(
            [str(key), *(g.get(k) for _, k, _f in _PERIOD)],
            [None, *(number[f] for _, _k, f in _PERIOD)],
        )
    period_last = w.row - 1

    plans = int(summary.get("plans_issued") or 0)
    if plans == 0:
        ws.insert_textbox(
            1,
            4,
            NO_PLANS,
            {"width": 560, "height": 60, "font": {"bold": True, "size": 12}},
        )
        return
    name = ws.get_name()
    chart = wb.add_chart({"type": "column"})
    for col, title in ((2, _PERIOD[1][0]), (3, _PERIOD[2][0])):
        chart.add_series(
            {
                "name": title,
                "categories": [name, period_first, 0, period_last, 0],
                "values": [name, period_first, col, period_last, col],
                "data_labels": {"value": True, "num_format": "0.0"},
            }
        )
    chart.set_title({"name": "% of plans issued within 20 weeks"})
    chart.set_y_axis({"name": "%", "min": 0, "max": 100, "num_format": "0"})
    chart.set_x_axis({"name": by.capitalize()})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 560, "height": 300})
    ws.insert_chart(1, 4, chart)

    dist = wb.add_chart({"type": "bar"})
    dist.add_series(
        {
            "name": "Plans",
            "categories": [name, band_first, 0, band_last, 0],
            "values": [name, band_first, 1, band_last, 1],
            "data_labels": {"value": True},
        }
    )
    dist.set_title({"name": "Plans issued by weeks to issue"})
    biggest = max((b.count for b in bands), default=0)
    step = max(1, -(-biggest // 5))  # whole plans only: no "0 1 1" axis
    dist.set_x_axis({"name": "Plans", "min": 0, "num_format": "0", "major_unit": step})
    dist.set_y_axis({"name": "Weeks", "reverse": True})
    dist.set_legend({"none": True})
    dist.set_size({"width": 560, "height": 300})
    ws.insert_chart(17, 4, dist)


# --- Data issues, Inputs, Method -------------------------------------------------------------


def _write_issues(w: _Writer, result: AuditResult) -> None:
    names = ["Input", "Sheet", "Row", "Column", "Value", "Issue", "Message", "Row excluded"]
    files = list(dict.fromkeys(i.file for i in result.inputs))
    number = {f: k for k, f in enumerate(files, 1)}
    rows = [
        [number.get(i.file, i.file), i.sheet, i.row, i.column, i.value, i.code, i.message,
         "yes" if i.excluded else "no"]
        for i in result.issues[:MAX_ROWS]
    ]  # fmt: skip
    for k, width in enumerate([6, 12, 7, 18, 18, 18, 70, 10]):
        w.ws.set_column(k, k, width)
    _print_setup(w.ws)
    w.ws.freeze_panes(1, 0)
    w.header(names)
    for row in rows:
        w.line(row, [None] * 6 + [w.fmt.wrap])
    w.ws.autofilter(0, 0, len(rows), len(names) - 1)


def _write_inputs(w: _Writer, result: AuditResult) -> None:
    ws, fmt = w.ws, w.fmt
    for k, width in enumerate([6, 60, 16, 11, 10, 14]):
        ws.set_column(k, k, width)
    _print_setup(ws)
    ws.freeze_panes(1, 0)
    w.header(["Input", "File", "Sheet", "Header row", "Rows", "Rows excluded"])
    files = list(dict.fromkeys(i.file for i in result.inputs))
    number = {f: k for k, f in enumerate(files, 1)}
    for i in result.inputs:
        w.line(
            [number[i.file], i.file, i.sheet, i.header_row, i.rows, i.excluded],
            [None, None, None, None, fmt.count, fmt.count],
        )
    w.line([])
    w.line(["Column mappings"], [fmt.title])
    w.header(["Input", "Sheet", "Field", "Read from column"])
    for i in result.inputs:
        for fld, head in i.columns.items():
            w.line([number[i.file], i.sheet, fld, head])


_COHORTS: tuple[tuple[str, str], ...] = (
    (
        "Plans issued, 20-week measures, bands, weeks to issue, exceptions",
        "by the date the final plan was issued (as the DfE does)",
    ),
    ("Decisions whether to assess (6 weeks)", "by the request date"),
    ("No-plan decisions (16 weeks)", "by the date of the no-plan notice"),
    (
        "Open cases, overdue",
        "snapshot on the as-of date; a period keeps every case requested up to its end",
    ),
    (
        "Breaches",
        "counted in their measure's cohort: 6W by request date, 16W by no-plan notice, "
        "20W and 15D by issue date; a breach still running is in the open-case snapshot. "
        "The Breaches sheet lists exactly these, one row per case and rule",
    ),
    (
        "As of",
        "nothing dated after the as-of date is counted or shown as done: on that date it "
        "had not happened",
    ),
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


def _write_method(w: _Writer, result: AuditResult, cut: int | None) -> None:
    ws, fmt, r = w.ws, w.fmt, result
    for k, width in enumerate([34, 44, 30, 30, 30, 40, 40, 40]):
        ws.set_column(k, k, width)
    _print_setup(ws, header_row=None)

    def row(*values: Any) -> None:
        w.line(values, [fmt.wrap] * len(values))

    def section(title: str) -> None:
        w.line([])
        w.line([title], [fmt.title])

    w.line(["How these cases were judged"], [fmt.title])
    w.line(["As of", r.settings.as_of], [None, fmt.date])
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
    w.header(["Code", "What must happen", "Limit", "Clock starts", "Clock stops", "Applies to",
              "Regulation", "Exceptions"])  # fmt: skip
    for rule in RULES:
        row(rule.code.value, rule.title, rule.label, rule.start, rule.end, rule.applies_to,
            rule.regulation, rule.exceptions)  # fmt: skip

    section("Exception kinds")
    w.header(["Kind", "Title", "Condition", "Regulation", "Lawful", "Can excuse"])
    for kind, e in EXCEPTIONS_BY_KIND.items():
        lawful = "as claimed" if e.lawful is None else ("yes" if e.lawful else "no")
        excuses = ", ".join(c.code.value for c in RULES if c.code in e.excuses) or "none"
        row(kind.value, e.title, e.condition, e.regulation, lawful, excuses)

    section("Cohorts and measures")
    for label, text in _COHORTS:
        row(label, text)
    w.line([])
    w.line([DISCLAIMER], [fmt.italic])


# --- entry point ---------------------------------------------------------------------------


def write_workbook(
    result: AuditResult,
    path: PathLike,
    *,
    max_rows: int = MAX_ROWS,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write the workbook to ``path`` (streamed). ``progress`` is called with (rows
    written, rows to write) as the Breaches and Cases sheets fill."""
    table = _sheet_columns(case_table(result.scoped_verdicts(), result.settings.as_of), result)
    cut = max_rows if len(table) > max_rows else None
    late = _sheet_columns(breach_sheet_table(result), result)
    total = min(len(late), max_rows) + min(len(table), max_rows)
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        done += rows
        if progress is not None:
            progress(done, total)

    wb = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "default_date_format": DATE_FORMAT,
            # Row data streams through temp files: keep them beside the output (the
            # private folder the report is finished in), never in the system temp folder.
            "tmpdir": str(Path(path).parent),
        },
    )
    try:
        wb.set_properties({"title": "EHC plan deadlines audit", "comments": DISCLAIMER})
        fmt = _formats(wb)
        sheets = {name: _Writer(wb.add_worksheet(name), fmt) for name in SHEETS}
        _write_summary(wb, sheets["Summary"], result, cut)
        _write_table(
            sheets["Breaches"], late, freeze_after=Field.CASE_ID.value, limit=max_rows,
            progress=advance,
        )  # fmt: skip
        _write_table(
            sheets["Cases"], table, freeze_after=Field.CASE_ID.value, limit=max_rows,
            progress=advance,
        )  # fmt: skip
        _write_issues(sheets["Data issues"], result)
        _write_inputs(sheets["Inputs"], result)
        _write_method(sheets["Method"], result, cut)
    finally:
        wb.close()


def write_xlsx(
    result: AuditResult,
    path: PathLike,
    *,
    force: bool = False,
    inputs: Sequence[PathLike] = (),
    progress: Callable[[int, int], None] | None = None,
    max_rows: int = MAX_ROWS,
) -> Path:
    """Write the audit workbook to ``path`` atomically (``progress``: see
    :func:`write_workbook`)."""

    def write(tmp: Path) -> None:
        write_workbook(result, tmp, max_rows=max_rows, progress=progress)

    return atomic_write(path, write, force=force, inputs=inputs)


__all__ = [
    "CASE_COLUMNS",
    "HEADERS",
    "SHEETS",
    "clean_text",
    "text_needs_guard",
    "write_workbook",
    "write_xlsx",
]
