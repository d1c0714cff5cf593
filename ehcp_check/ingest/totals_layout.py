"""Where a table of totals sits in a sheet: its period axis, its headers, its labels.

A table of totals has one axis of period labels (a column of quarters, or a header row of
years, perhaps a year row over a quarter row) and, across the other axis, measures named by
their headers ("Requests received", "Final plans issued"). :func:`find_layout` finds both;
:func:`looks_like_totals` tells the case path that a sheet is such a table, not a case list.

A case list is never taken for totals: its body holds dates (the request dates), case
references and free text, while a table of totals holds only counts under its headers.
Only the first :data:`SCAN_ROWS` rows decide, so telling costs the same for any size.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from ehcp_check.ingest.columns import header_field
from ehcp_check.ingest.headers import MAX_HEADER_CHARS
from ehcp_check.ingest.periods_text import YearContext, as_context, parse_label
from ehcp_check.ingest.readers import RawSheet
from ehcp_check.ingest.totals_vocab import (
    IGNORE,
    NOT_AVAILABLE,
    Measure,
    header_words,
    is_la_header,
    is_period_header,
    is_suppressed,
    is_total_label,
    marker_key,
    measure_of,
)
from ehcp_check.ingest.values import cell_text, is_blank
from ehcp_check.model import Field

#: Rows from the top that decide the layout (and whether a sheet is a table of totals).
SCAN_ROWS = 40
#: Columns from the left that may hold the period labels of a table with periods in rows.
SCAN_COLUMNS = 8
#: Share of the body's filled cells that must be counts for a sheet to be totals.
COUNT_SHARE = 0.8

_COUNT = re.compile(r"^[+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DATE_TEXT = re.compile(r"^\s*\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,4}")

Grid = list[list[object]]


class Orientation(StrEnum):
    """Which way the periods run."""

    ROWS = "periods-in-rows"
    COLUMNS = "periods-in-columns"


@dataclass(frozen=True, slots=True)
class Layout:
    """A table of totals found in a sheet (positions are 0-based in the sheet's frame)."""

    orientation: Orientation
    axis: tuple[int, ...]
    """Rows (periods in columns) or columns (periods in rows) holding the period labels,
    outermost first: a year row before the quarter row under it."""
    header: tuple[int, ...]
    """Periods in rows: the header rows over the measure columns (group row first).
    Periods in columns: the label columns left of the periods."""
    first: int
    """The first body row (periods in rows) or first period column (periods in columns)."""
    labels: dict[int, str]
    """Measure axis: column (or row) -> its header text as written."""
    title: tuple[str, ...]
    """Texts above the table: where the council and the year may be named."""
    matrix: str | None = None
    """Periods in rows with years across the columns: the one measure every cell counts,
    named in the corner cell or the title (None when not named, or not a matrix)."""


def text_of(value: object) -> str:
    """A cell as one line of text ('' for blanks)."""
    return "" if is_blank(value) else " ".join(cell_text(value).split())


def grid_of(raw: RawSheet, rows: int | None = None) -> Grid:
    """The sheet's cells as lists (the first ``rows`` rows, or all)."""
    frame = raw.frame if rows is None else raw.frame.iloc[:rows]
    cells: Grid = frame.astype(object).to_numpy().tolist()
    return cells


#: Merged ranges larger than this many cells lend their text to no other cell (a title
#: merged across a whole sheet is not a heading over every cell).
MAX_MERGED_CELLS = 5_000
#: At most this many covered cells are indexed per sheet (a hostile file may merge a lot).
MAX_MERGE_INDEX = 200_000


@functools.lru_cache(maxsize=8)
def _merge_index(
    merged: tuple[tuple[int, int, int, int], ...], first_row: int, first_col: int
) -> dict[tuple[int, int], tuple[int, int]]:
    """Frame position of each cell covered by a merge -> that of its top-left cell."""
    index: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in merged:
        if (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_MERGED_CELLS:
            continue
        top = (r0 - (first_row - 1), c0 - first_col)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                index[(r - (first_row - 1), c - first_col)] = top
        if len(index) > MAX_MERGE_INDEX:
            break
    return index


def merged_value(raw: RawSheet, grid: Grid, r: int, c: int) -> object:
    """The value shown in a cell, taking merged ranges into account."""
    value = grid[r][c] if c < len(grid[r]) else None
    if not is_blank(value) or not raw.merged:
        return value
    top = _merge_index(raw.merged, raw.first_row, raw.first_col).get((r, c))
    if top is not None and 0 <= top[0] < len(grid) and 0 <= top[1] < len(grid[top[0]]):
        return grid[top[0]][top[1]]
    return value


def is_count_cell(value: object) -> bool:
    """True for a number, a count written as text (``1,371``) or a suppression marker."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return not (isinstance(value, float) and math.isnan(value))
    if isinstance(value, str):
        text = value.strip()
        return bool(_COUNT.match(text)) or is_suppressed(text) or marker_key(text) in NOT_AVAILABLE
    return False


def is_date_cell(value: object) -> bool:
    """True for a date cell or a date typed as text (the request dates of a case list)."""
    if isinstance(value, dt.date | pd.Timestamp):
        return True
    return isinstance(value, str) and _DATE_TEXT.match(value) is not None


def _is_period(value: object) -> bool:
    return not is_blank(value) and parse_label(value) is not None


def _periodic(values: list[object]) -> bool:
    """True when the filled values are all period or total labels (and one is a period)."""
    filled = [v for v in values if not is_blank(v)]
    return (
        bool(filled)
        and all(_is_period(v) or is_total_label(text_of(v)) for v in filled)
        and any(_is_period(v) for v in filled)
    )


def _first_choice(counts: list[int]) -> int | None:
    """The first position whose count is at least 2 and half the largest."""
    best = max(counts, default=0)
    if best < 2:
        return None
    return next(i for i, n in enumerate(counts) if n >= max(2, math.ceil(best / 2)))


def _row_axis(raw: RawSheet, grid: Grid) -> Layout | None:
    """Periods across the columns: a header row (or rows) of period labels."""
    scan = grid[:SCAN_ROWS]
    counts = [sum(1 for v in row if _is_period(v)) for row in scan]
    a = _first_choice(counts)
    if a is None:
        return None
    # A year row over a quarter row: the lower, finer row is the axis.
    while (
        a + 1 < len(scan)
        and counts[a + 1] >= max(2, counts[a])
        and _periodic(grid[a + 1][next(j for j, v in enumerate(grid[a + 1]) if _is_period(v)) :])
    ):
        a += 1
    cols = [j for j, v in enumerate(grid[a]) if _is_period(v)]
    first = cols[0]
    if first == 0:
        return None
    axis = [a]
    for r in (a - 1, a - 2):
        if (
            r >= 0
            and r == axis[0] - 1
            and _periodic([merged_value(raw, grid, r, j) for j in range(first, len(grid[r]))])
        ):
            axis.insert(0, r)
    labels: dict[int, str] = {}
    for r in range(a + 1, len(grid)):
        label = " ".join(t for t in (text_of(grid[r][j]) for j in range(first)) if t)
        if label:
            labels[r] = label
    title = tuple(t for r in range(axis[0]) for t in (text_of(v) for v in grid[r]) if t)
    matrix = None
    if any(year_of(t) for t in labels.values()):
        corner = [text_of(grid[r][c]) for r in axis for c in range(first)]
        named = (measure_of(t) for t in (*corner, *title) if t)
        matrix = next((m.value for m in named if m is not None), None)
    return Layout(
        Orientation.COLUMNS, tuple(axis), tuple(range(first)), first, labels, title, matrix
    )


def _column_axis(raw: RawSheet, grid: Grid) -> Layout | None:
    """Periods down the rows: a column (or adjacent columns) of period labels."""
    width = min(SCAN_COLUMNS, max((len(r) for r in grid), default=0))
    counts = [sum(1 for row in grid if c < len(row) and _is_period(row[c])) for c in range(width)]
    c = _first_choice(counts)
    if c is None:
        return None
    head = _measure_row(grid, c)
    top = next(
        (r for r, row in enumerate(grid) if r > head and c < len(row) and _is_period(row[c])),
        None,
    )
    if top is None:
        return None
    axis = [c]
    for other in (c + 1, c - 1):
        if 0 <= other < width and counts[other] >= 1:
            column = [row[other] if other < len(row) else None for row in grid[top:]]
            if _periodic(column):
                axis.append(other)
    axis.sort()
    header = _header_rows(grid, top, set(axis), head)
    if not header:
        return None
    labels: dict[int, str] = {}
    for j in range(max(len(grid[h]) for h in header)):
        if j in axis:
            continue
        lowest = text_of(grid[header[-1]][j] if j < len(grid[header[-1]]) else None)
        parts = [
            text_of(_filled_right(raw, grid, h, j, set(axis)))
            if lowest
            else text_of(merged_value(raw, grid, h, j) if j < len(grid[h]) else None)
            for h in header[:-1]
        ]
        label = " ".join(p for p in (*parts, lowest) if p)
        if label:
            labels[j] = label
    title = tuple(t for r in range(header[0]) for t in (text_of(v) for v in grid[r]) if t)
    matrix = None
    if any(year_of(t) for t in labels.values()):
        corner = [text_of(grid[h][c]) for h in header for c in axis if c < len(grid[h])]
        named = (measure_of(t) for t in (*corner, *title) if t)
        matrix = next((m.value for m in named if m is not None), None)
    return Layout(Orientation.ROWS, tuple(axis), tuple(header), top, labels, title, matrix)


def _measure_row(grid: Grid, c: int) -> int:
    """The first row naming a measure or the council beside column ``c`` (-1 if none), so
    that a title such as "Financial year 2020-21" above the header is not a period row."""
    for r, row in enumerate(grid[:SCAN_ROWS]):
        texts = [text_of(v) for j, v in enumerate(row) if j != c and not is_blank(v)]
        if any(measure_of(t) is not None or is_la_header(t) for t in texts) and not any(
            is_count_cell(v) for j, v in enumerate(row) if j != c and not is_blank(v)
        ):
            return r
    return -1


def _header_rows(grid: Grid, top: int, axis: set[int], head: int = -1) -> list[int]:
    """The header rows: from the row naming measures (``head``) down to the first period
    (a group heading over sub-headings); without one, the row right above the first period
    (and a sparser group row above it)."""

    def filled(r: int) -> int:
        return sum(1 for j, v in enumerate(grid[r]) if j not in axis and not is_blank(v))

    if 0 <= head < top:
        rows = [r for r in range(head, top) if filled(r) > 0][:3]
        if rows:
            return rows

    h = top - 1
    while h >= 0 and filled(h) == 0 and all(is_blank(v) for v in grid[h]):
        h -= 1
    if h < 0 or filled(h) == 0:
        return []
    rows = [h]
    if h - 1 >= 0 and 0 < filled(h - 1) < filled(h) and filled(h - 1) > 1:
        rows.insert(0, h - 1)
    return rows


def _filled_right(raw: RawSheet, grid: Grid, r: int, j: int, axis: set[int]) -> object:
    """A group heading's text over column ``j``: merged, or the nearest filled cell left."""
    value = merged_value(raw, grid, r, j)
    k = j
    while is_blank(value) and k > 0 and k - 1 not in axis:
        k -= 1
        value = grid[r][k] if k < len(grid[r]) else None
    return value


def find_layout(
    raw: RawSheet, grid: Grid, overrides: Mapping[str, str] | None = None
) -> Layout | None:
    """The layout of the table of totals in ``grid``, or None when there is none."""
    if not grid or not any(grid):
        return None
    by_row, by_column = _row_axis(raw, grid), _column_axis(raw, grid)
    found = [x for x in (by_row, by_column) if x is not None]
    if len(found) < 2:
        return found[0] if found else None
    assert by_row is not None
    assert by_column is not None
    return by_row if _measures(by_row, overrides) > _measures(by_column, overrides) else by_column


def _measures(layout: Layout, overrides: Mapping[str, str] | None = None) -> int:
    """How many labels of the measure axis name a measure."""
    names = {m.value for m in Measure}
    if layout.matrix is not None:
        names.add("year")
    return sum(1 for t in layout.labels.values() if role_of(t, overrides or {}) in names)


def year_of(label: str) -> YearContext | None:
    """The year a label names on its own ("2019", "2019-20"), or None."""
    parsed = parse_label(label)
    if parsed is None or parsed.span is None:
        return None
    return as_context(parsed.span)


def role_of(label: str, overrides: Mapping[str, str]) -> str | None:
    """What a measure-axis label is: a measure, ``ignore``, ``la``, ``total``, ``period``."""
    key = header_words(label)
    if key in overrides:
        return overrides[key]
    if is_la_header(label):
        return "la"
    if is_total_label(label):
        return "total"
    if is_period_header(label):
        return "period"
    if year_of(label) is not None:
        return "year"
    found = measure_of(label)
    return None if found is None else found.value


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the first rows of a sheet show about a table of totals."""

    layout: Layout | None
    measures: int
    """Labels of the measure axis that name a measure."""
    cells: int
    """Filled cells under the labels (measures or not) of the measure axis."""
    counts: int
    """Of those, counts or suppression markers."""
    dates: bool
    """A date among those cells (a case list's request dates)."""
    measure_cells: int
    """Filled cells under the measures."""
    measure_counts: int
    """Of those, counts or suppression markers."""
    measure_dates: bool
    """A date under a measure."""
    periods: int
    """Period labels on the axis."""
    distinct: int
    """Different period labels."""

    @property
    def is_totals(self) -> bool:
        """The case path's test: strict, so that no case list is ever refused."""
        return (
            self.layout is not None
            and self.measures > 0
            and not self.dates
            and self.counts >= 2
            and self.counts >= COUNT_SHARE * self.cells
            and self.distinct >= 2
            and self.distinct >= 0.5 * self.periods
        )

    @property
    def readable(self) -> bool:
        """The ``totals`` command's test: a period axis, a measure, counts under it."""
        return (
            self.layout is not None
            and self.measures > 0
            and not self.measure_dates
            and self.measure_counts >= 1
        )


def evidence(raw: RawSheet, overrides: Mapping[str, str] | None = None) -> Evidence:
    """Look at the first :data:`SCAN_ROWS` rows of a sheet for a table of totals."""
    none = Evidence(None, 0, 0, 0, False, 0, 0, False, 0, 0)
    if raw.frame.shape[0] == 0 or raw.frame.shape[1] == 0:
        return none
    grid = grid_of(raw, SCAN_ROWS)
    layout = find_layout(raw, grid, overrides)
    if layout is None:
        return none
    names = {m.value for m in Measure} | ({"year"} if layout.matrix else set())
    roles = {k: role_of(t, overrides or {}) for k, t in layout.labels.items()}
    cells: list[object] = []
    measured: list[object] = []
    periods: list[str] = []
    if layout.orientation is Orientation.ROWS:
        # A long table repeats each period once per council: the council is part of the key.
        la = next((j for j, role in roles.items() if role == "la"), None)
        for row in grid[layout.first :]:
            label = " ".join(text_of(row[c]) for c in layout.axis if c < len(row))
            if label.strip():
                council = text_of(row[la]) if la is not None and la < len(row) else ""
                periods.append(f"{council}\t{label}")
            for j, role in roles.items():
                if j < len(row) and role not in {"la", "period"}:
                    cells.append(row[j])
                    if role in names:
                        measured.append(row[j])
    else:
        a = layout.axis[-1]
        periods = [text_of(v) for v in grid[a][layout.first :] if _is_period(v)]
        for r, role in roles.items():
            if role in names:
                cells.extend(grid[r][layout.first :])
        measured = cells
    filled = [v for v in cells if not is_blank(v)]
    under = [v for v in measured if not is_blank(v)]
    return Evidence(
        layout,
        sum(1 for role in roles.values() if role in names),
        len(filled),
        sum(1 for v in filled if is_count_cell(v)),
        any(is_date_cell(v) for v in filled),
        len(under),
        sum(1 for v in under if is_count_cell(v)),
        any(is_date_cell(v) for v in under),
        len(periods),
        len(set(periods)),
    )


def looks_like_totals(raw: RawSheet, overrides: Mapping[str, str] | None = None) -> bool:
    """True when a sheet is a table of totals (counts per period), not a list of cases.

    ``overrides`` (header words -> measure) name measures the vocabulary does not know.
    It must have a period axis with at least two different periods, a measure header
    ("Requests received", "Plans issued"), counts in at least :data:`COUNT_SHARE` of the
    filled cells under the headers, and no date among them. A sheet with a case-reference
    header is a list of cases whatever its cells hold (a table of totals has no cases).
    """
    found = evidence(raw, overrides)
    if not found.is_totals or found.layout is None:
        return False
    if any(header_field(t) == Field.CASE_ID.value for t in found.layout.labels.values()):
        return False
    return not _case_reference_header(raw)


def _case_reference_header(raw: RawSheet) -> bool:
    """Does a cell of the rows that decide the layout name case references? (The layout
    found may rest on a title row above the real headers: "EHC requests (FOI reply)"
    reads as a measure.)"""
    for index in range(min(SCAN_ROWS, raw.frame.shape[0])):
        for value in raw.frame.iloc[index].tolist():
            short = isinstance(value, str) and len(value) <= MAX_HEADER_CHARS
            if short and header_field(value) == Field.CASE_ID.value:
                return True
    return False


__all__ = [
    "IGNORE",
    "Evidence",
    "Layout",
    "Orientation",
    "evidence",
    "find_layout",
    "looks_like_totals",
]
