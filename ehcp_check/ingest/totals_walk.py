"""Walk a table of totals cell by cell: periods down the rows, or across the columns.

:func:`read_sheet` finds the layout (:func:`~ehcp_check.ingest.totals_layout.find_layout`)
and walks it: each count under a measure, for a period, becomes one record of the long
table (:class:`~ehcp_check.ingest.totals_sheet.Sheet` keeps them, with the issues found).
"""

from __future__ import annotations

from collections.abc import Mapping

from ehcp_check.ingest.periods_text import (
    Label,
    PeriodSpan,
    YearContext,
    as_context,
    parse_label,
    resolve,
)
from ehcp_check.ingest.readers import RawSheet
from ehcp_check.ingest.totals_cells import TotalsInput, TotalsIssue, label_text, title_la
from ehcp_check.ingest.totals_layout import (
    Grid,
    Layout,
    Orientation,
    find_layout,
    grid_of,
    merged_value,
    text_of,
    year_of,
)
from ehcp_check.ingest.totals_sheet import (
    Sheet,
    add_count,
    check_total,
    context_label,
    context_of,
    derive,
    duplicates,
    note_row,
    row_la,
)
from ehcp_check.ingest.totals_vocab import Measure, header_words, is_total_label
from ehcp_check.ingest.values import is_blank, is_note_text


def _periods_in_rows(sheet: Sheet, grid: Grid, layout: Layout) -> None:
    raw = sheet.raw
    ctx = context_of(raw, layout)
    la = title_la(layout.title)
    roles = {j: sheet.role(label) for j, label in layout.labels.items()}
    la_col = next((j for j, role in roles.items() if role == "la"), None)
    for j, role in roles.items():
        if role == "total":
            sheet.issue(
                None,
                layout.labels[j],
                None,
                TotalsIssue.TOTAL_COLUMN,
                f"Column {sheet.letter(j)} ({layout.labels[j]!r}) is a total, so it is left out.",
                excluded=True,
            )
        elif role == "unknown":
            sheet.unknown.append(layout.labels[j])
    measures = {j: role for j, role in roles.items() if role in {m.value for m in Measure}}
    # A matrix: years across the columns, months or quarters down, one measure (named in
    # the corner or the title) in every cell.
    years = {
        j: y for j, role in roles.items() if role == "year" and (y := year_of(layout.labels[j]))
    }
    if layout.matrix is None:
        sheet.unknown.extend(layout.labels[j] for j in years)
        years = {}
    else:
        measures.update(dict.fromkeys(years, layout.matrix))
    above: dict[int, str] = {}
    section: YearContext | None = None
    since = len(sheet.records)
    for r in range(layout.first, len(grid)):
        row = grid[r]
        parts = []
        for c in layout.axis:
            text = label_text(merged_value(raw, grid, r, c)) if c < len(row) else ""
            if text:
                above[c] = text
            elif c != layout.axis[-1] and any(text_of(row[k]) for k in layout.axis if k > c):
                text = above.get(c, "")
            if text:
                parts.append(text)
        period = " ".join(parts)
        cells = {j: row[j] for j in measures if j < len(row) and not is_blank(row[j])}
        if not period:
            first = next((text_of(v) for v in row if text_of(v)), "")
            if cells and not is_total_label(first):
                sheet.issue(
                    sheet.excel_row(r),
                    None,
                    first or None,
                    TotalsIssue.NO_PERIOD,
                    f"Row {sheet.excel_row(r)} has counts but no period, so it is not read.",
                )
            elif is_total_label(first) and cells:
                sheet.issue(
                    sheet.excel_row(r),
                    None,
                    first,
                    TotalsIssue.TOTAL_ROW,
                    f"Row {sheet.excel_row(r)} is a total, so it is left out.",
                    excluded=True,
                )
                _check_row_total(sheet, r, cells, measures, since)
                since = len(sheet.records)
            elif first and (is_note_text(first) or len(first) >= 30):
                note_row(sheet, r, first)
            continue
        if is_total_label(period) or is_total_label(parts[-1]):
            if cells:
                sheet.issue(
                    sheet.excel_row(r),
                    None,
                    period,
                    TotalsIssue.TOTAL_ROW,
                    f"Row {sheet.excel_row(r)} ({period!r}) is a total, so it is left out.",
                    excluded=True,
                )
                _check_row_total(sheet, r, cells, measures, since)
                since = len(sheet.records)
            continue
        label = parse_label(period)
        if label is None and len(parts) > 1:
            label = parse_label(parts[-1])
        if label is None:
            if cells:
                sheet.issue(
                    sheet.excel_row(r),
                    None,
                    period,
                    TotalsIssue.NO_PERIOD,
                    f"Row {sheet.excel_row(r)}: {period!r} is not a period, so its "
                    "counts are not read.",
                )
            elif is_note_text(period) or len(period) >= 30:
                note_row(sheet, r, period)
            continue
        span = resolve(label, section or ctx)
        if label.span is not None and (year := as_context(label.span)) and not cells:
            section = year
            continue
        if years and label.span is None:
            la_here = row_la(row, la_col) or la
            for j, cell in cells.items():
                if j in years and (in_year := resolve(label, years[j])) is not None:
                    name = f"{layout.labels[j]} {period}"
                    add_count(sheet, in_year, name, measures[j], la_here, cell, r, j)
            cells = {j: v for j, v in cells.items() if j not in years}
            if not cells:
                continue
        if span is None:
            sheet.issue(
                sheet.excel_row(r),
                None,
                period,
                TotalsIssue.PERIOD_WITHOUT_YEAR,
                f"Row {sheet.excel_row(r)}: {period!r} names no year, and none is "
                "given above it, so its counts are not read; put the year in the "
                "label or the title.",
            )
            continue
        if label.span is None and section is not None:
            period = f"{context_label(section)} {period}"
        for j, cell in cells.items():
            add_count(sheet, span, period, measures[j], row_la(row, la_col) or la, cell, r, j)


def _periods_in_columns(sheet: Sheet, grid: Grid, layout: Layout) -> None:
    raw = sheet.raw
    ctx = context_of(raw, layout)
    la = title_la(layout.title)
    width = max(len(grid[r]) for r in layout.axis)
    columns: dict[int, tuple[str, PeriodSpan]] = {}
    total_columns: list[tuple[int, list[int]]] = []  # (total column, the periods it sums)
    pending: dict[int, tuple[str, Label]] = {}
    for j in range(layout.first, width):
        parts = []
        bottom = label_text(grid[layout.axis[-1]][j]) if j < len(grid[layout.axis[-1]]) else ""
        for r in layout.axis[:-1]:
            text = label_text(merged_value(raw, grid, r, j))
            k = j
            while not text and bottom and k > layout.first:
                k -= 1
                text = text_of(grid[r][k]) if k < len(grid[r]) else ""
            if text:
                parts.append(text)
        if bottom:
            parts.append(bottom)
        if not parts:
            continue
        period = " ".join(parts)
        if is_total_label(parts[-1]) or is_total_label(period):
            shown = parts[-1] if is_total_label(parts[-1]) else period
            sheet.issue(
                None,
                shown,
                None,
                TotalsIssue.TOTAL_COLUMN,
                f"Column {sheet.letter(j)} ({shown!r}) is a total, so it is left out.",
                excluded=True,
            )
            after = total_columns[-1][0] if total_columns else -1
            summed = [k for k in (*columns, *pending) if k > after]
            total_columns.append((j, summed))
            continue
        label = parse_label(period)
        if label is None and len(parts) > 1:
            label = parse_label(parts[-1])
            if label is not None and label.span is None:
                upper = parse_label(" ".join(parts[:-1]))
                if upper is not None and upper.span is not None:
                    span = resolve(label, as_context(upper.span))
                    if span is not None:
                        columns[j] = (period, span)
                        continue
        if label is None:
            sheet.unknown.append(period)
            sheet.roles[period] = "unknown"
            continue
        span = resolve(label, ctx)
        if span is None and layout.matrix is not None:
            pending[j] = (period, label)  # read in the year of each row (a matrix)
            continue
        if span is None:
            sheet.issue(
                None,
                period,
                None,
                TotalsIssue.PERIOD_WITHOUT_YEAR,
                f"Column {sheet.letter(j)} ({period!r}) names no year, and none is "
                "given above it, so its counts are not read.",
            )
            continue
        columns[j] = (period, span)
    above = ""
    for r, text in layout.labels.items():
        name = text
        row = grid[r]
        first_text = text_of(row[layout.header[0]]) if layout.header else ""
        if len(layout.header) > 1 and not first_text:
            name = f"{above} {name}".strip()
        elif first_text:
            above = first_text
        cells = {j: row[j] for j in columns if j < len(row) and not is_blank(row[j])}
        if is_note_text(name) and header_words(name) not in sheet.overrides:
            note_row(sheet, r, name)
            continue
        role = sheet.role(name)
        year = year_of(name) if role == "year" else None
        if year is not None and layout.matrix is not None and pending:
            # Years down, months across: each cell is the matrix measure in the row's year.
            start = len(sheet.records)
            for j, (period, label) in pending.items():
                span = resolve(label, year)
                if span is not None and j < len(row) and not is_blank(row[j]):
                    add_count(sheet, span, f"{name} {period}", layout.matrix, la, row[j], r, j)
            _check_total_columns(sheet, r, row, total_columns, layout.matrix, start)
            continue
        if role == "year":  # a year labelling a row under periods across: not understood
            role = sheet.roles[name] = "unknown"
        if role == "total":
            if cells:
                sheet.issue(
                    sheet.excel_row(r),
                    None,
                    name,
                    TotalsIssue.TOTAL_ROW,
                    f"Row {sheet.excel_row(r)} ({name!r}) is a total, so it is left out.",
                    excluded=True,
                )
            continue
        if role not in {m.value for m in Measure}:
            if role == "unknown" and cells:
                sheet.unknown.append(name)
            elif role == "unknown":
                if is_note_text(name) or len(name) >= 30:
                    note_row(sheet, r, name)
                sheet.roles.pop(name, None)
            continue
        start = len(sheet.records)
        for j, cell in cells.items():
            period, span = columns[j]
            add_count(sheet, span, period, role, la, cell, r, j)
        _check_total_columns(sheet, r, row, total_columns, role, start)


def _check_total_columns(
    sheet: Sheet, r: int, row: list[object], total_columns: list[tuple[int, list[int]]],
    measure: str, start: int,
) -> None:  # fmt: skip
    """Each total column of a row against the periods left of it (records from ``start``)."""
    for tj, summed in total_columns:
        if tj < len(row) and not is_blank(row[tj]):
            letters = {sheet.letter(k) for k in summed}
            summands = [rec for rec in sheet.records[start:] if rec["column"] in letters]
            check_total(sheet, r, tj, row[tj], measure, summands, len(summed))


def _check_row_total(
    sheet: Sheet, r: int, cells: dict[int, object], measures: dict[int, str], since: int
) -> None:
    """A total row against the periods above it (since the previous total row)."""
    recent = sheet.records[since:]
    for j, cell in cells.items():
        if j in measures:
            letter = sheet.letter(j)
            parts = [rec for rec in recent if rec["column"] == letter and not rec["derived"]]
            check_total(sheet, r, j, cell, measures[j], parts, len(parts))


def read_sheet(
    raw: RawSheet, overrides: Mapping[str, str], used: set[str]
) -> tuple[Sheet, TotalsInput]:
    """Read one sheet (the caller decided it holds a table of totals, or asked for it)."""
    sheet = Sheet(raw, overrides, used)
    grid = grid_of(raw)
    layout = find_layout(raw, grid, overrides)
    if layout is None:
        reason = "it has no period labels (months, quarters or years) with counts beside them"
        sheet.issue(
            None,
            None,
            None,
            TotalsIssue.SHEET_SKIPPED,
            f"Sheet {raw.sheet!r} was skipped because {reason}.",
        )
        return sheet, TotalsInput(raw.file, raw.sheet, None, skipped=reason)
    if layout.orientation is Orientation.ROWS:
        _periods_in_rows(sheet, grid, layout)
        axis = "columns " if len(layout.axis) > 1 else "column "
        axis += "-".join(
            sheet.letter(c) for c in (layout.axis[0], layout.axis[-1])[: len(layout.axis)]
        )
        header = tuple(sheet.excel_row(h) for h in layout.header)
    else:
        _periods_in_columns(sheet, grid, layout)
        rows = [sheet.excel_row(r) for r in layout.axis]
        axis = f"row {rows[0]}" if len(rows) == 1 else f"rows {rows[0]}-{rows[-1]}"
        header = tuple(rows)
    duplicates(sheet)
    derive(sheet)
    periods = len({(r["start"], r["end"], r["period_kind"]) for r in sheet.records})
    info = TotalsInput(
        raw.file,
        raw.sheet,
        layout.orientation.value,
        axis,
        header,
        dict(sheet.roles),
        periods,
        len(sheet.records),
    )
    return sheet, info
