"""One sheet of totals into rows of the canonical long table (see :mod:`.totals`).

:func:`read_sheet` walks the layout :func:`~ehcp_check.ingest.totals_layout.find_layout`
found: each count under a measure, for a period, becomes one record; suppressed cells are
kept with their marker; totals, notes and cells that are not counts are data issues.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ehcp_check.ingest.codes import shorten
from ehcp_check.ingest.describe import column_letter
from ehcp_check.ingest.periods_text import (
    Label,
    PeriodKind,
    PeriodSpan,
    YearContext,
    as_context,
    parse_label,
    resolve,
    year_context,
)
from ehcp_check.ingest.readers import RawSheet
from ehcp_check.ingest.totals_cells import (
    TotalsInput,
    TotalsIssue,
    label_text,
    parse_count,
    title_la,
)
from ehcp_check.ingest.totals_layout import (
    Grid,
    Layout,
    Orientation,
    find_layout,
    grid_of,
    merged_value,
    role_of,
    text_of,
    year_of,
)
from ehcp_check.ingest.totals_vocab import (
    DECIMAL_MEASURES,
    Measure,
    header_words,
    is_total_label,
)
from ehcp_check.ingest.values import is_blank, is_note_text
from ehcp_check.model import DataIssue

# ---------------------------------------------------------------- one sheet


@dataclass(slots=True)
class _Sheet:
    """Rows of the canonical table from one sheet, and what was found."""

    raw: RawSheet
    overrides: Mapping[str, str]
    used: set[str]
    records: list[dict[str, object]] = field(default_factory=list)
    issues: list[DataIssue] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)

    def issue(
        self,
        r: int | None,
        column: str | None,
        value: object,
        code: TotalsIssue,
        message: str,
        *,
        excluded: bool = False,
    ) -> None:
        text = None if value is None else shorten(text_of(value))
        self.issues.append(
            DataIssue(self.raw.file, self.raw.sheet, r, column, text, code.value, message, excluded)
        )

    def excel_row(self, r: int) -> int:
        return self.raw.first_row + r

    def letter(self, c: int) -> str:
        return column_letter(self.raw.first_col + c)

    def role(self, label: str) -> str:
        key = header_words(label)
        if key in self.overrides:
            self.used.add(key)
        found = role_of(label, self.overrides) or "unknown"
        self.roles[label] = found
        return found


def _context(raw: RawSheet, layout: Layout) -> YearContext | None:
    for text in (*layout.title, raw.sheet or ""):
        label = parse_label(text)
        if label is not None and label.span is not None and (ctx := as_context(label.span)):
            return ctx
        if found := year_context(text):
            return found
    return None


def _add(
    sheet: _Sheet,
    span: PeriodSpan,
    period: str,
    measure: str,
    la: str | None,
    value: object,
    r: int,
    c: int,
) -> None:
    number, marker, problem = parse_count(value, Measure(measure) in DECIMAL_MEASURES)
    if problem is not None:
        what = (
            "says there is no figure" if problem is TotalsIssue.NOT_AVAILABLE else "is not a count"
        )
        sheet.issue(
            sheet.excel_row(r),
            measure,
            value,
            TotalsIssue(problem),
            f"Cell {sheet.letter(c)}{sheet.excel_row(r)} ({period}, {measure}) "
            f"{what}, so it is not read.",
        )
        return
    if number is None and marker is None:
        return
    sheet.records.append(
        {
            "file": sheet.raw.file,
            "sheet": sheet.raw.sheet,
            "row": sheet.excel_row(r),
            "la": la,
            "period": period,
            "period_kind": span.kind.value,
            "start": span.start,
            "end": span.end,
            "measure": measure,
            "value": number,
            "suppressed": marker,
            "derived": False,
            "column": sheet.letter(c),
        }
    )


def _periods_in_rows(sheet: _Sheet, grid: Grid, layout: Layout) -> None:
    raw = sheet.raw
    ctx = _context(raw, layout)
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
                _note(sheet, r, first)
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
                _note(sheet, r, period)
            continue
        span = resolve(label, section or ctx)
        if label.span is not None and (year := as_context(label.span)) and not cells:
            section = year
            continue
        if years and label.span is None:
            la_here = _row_la(row, la_col) or la
            for j, cell in cells.items():
                if j in years and (in_year := resolve(label, years[j])) is not None:
                    name = f"{layout.labels[j]} {period}"
                    _add(sheet, in_year, name, measures[j], la_here, cell, r, j)
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
            period = f"{_context_label(section)} {period}"
        for j, cell in cells.items():
            _add(sheet, span, period, measures[j], _row_la(row, la_col) or la, cell, r, j)


def _row_la(row: list[object], la_col: int | None) -> str:
    return text_of(row[la_col]) if la_col is not None and la_col < len(row) else ""


def _note(sheet: _Sheet, r: int, text: str) -> None:
    sheet.issue(
        sheet.excel_row(r),
        None,
        text,
        TotalsIssue.NOTE_ROW,
        f"Row {sheet.excel_row(r)} is a note under the table, so it is not read.",
        excluded=True,
    )


def _context_label(ctx: YearContext) -> str:
    if ctx.kind is PeriodKind.CALENDAR_YEAR:
        return str(ctx.first)
    return f"{ctx.first}-{(ctx.first + 1) % 100:02d}"


def _periods_in_columns(sheet: _Sheet, grid: Grid, layout: Layout) -> None:
    raw = sheet.raw
    ctx = _context(raw, layout)
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
            _note(sheet, r, name)
            continue
        role = sheet.role(name)
        year = year_of(name) if role == "year" else None
        if year is not None and layout.matrix is not None and pending:
            # Years down, months across: each cell is the matrix measure in the row's year.
            start = len(sheet.records)
            for j, (period, label) in pending.items():
                span = resolve(label, year)
                if span is not None and j < len(row) and not is_blank(row[j]):
                    _add(sheet, span, f"{name} {period}", layout.matrix, la, row[j], r, j)
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
                    _note(sheet, r, name)
                sheet.roles.pop(name, None)
            continue
        start = len(sheet.records)
        for j, cell in cells.items():
            period, span = columns[j]
            _add(sheet, span, period, role, la, cell, r, j)
        _check_total_columns(sheet, r, row, total_columns, role, start)


def _check_total_columns(
    sheet: _Sheet, r: int, row: list[object], total_columns: list[tuple[int, list[int]]],
    measure: str, start: int,
) -> None:  # fmt: skip
    """Each total column of a row against the periods left of it (records from ``start``)."""
    for tj, summed in total_columns:
        if tj < len(row) and not is_blank(row[tj]):
            letters = {sheet.letter(k) for k in summed}
            summands = [rec for rec in sheet.records[start:] if rec["column"] in letters]
            _check_total(sheet, r, tj, row[tj], measure, summands, len(summed))


def _check_row_total(
    sheet: _Sheet, r: int, cells: dict[int, object], measures: dict[int, str], since: int
) -> None:
    """A total row against the periods above it (since the previous total row)."""
    recent = sheet.records[since:]
    for j, cell in cells.items():
        if j in measures:
            letter = sheet.letter(j)
            parts = [rec for rec in recent if rec["column"] == letter and not rec["derived"]]
            _check_total(sheet, r, j, cell, measures[j], parts, len(parts))


def _check_total(
    sheet: _Sheet, r: int, j: int, cell: object, measure: str, parts: list[dict[str, object]],
    expected: int,
) -> None:  # fmt: skip
    """Say so when a reply's own total is not the sum of the periods it totals."""
    total, _, _ = parse_count(cell, False)
    if total is None or Measure(measure) in DECIMAL_MEASURES or not parts:
        return
    if len(parts) != expected or any(not isinstance(p["value"], int) for p in parts):
        return  # a suppressed, blank or unread part: the sum is not known
    found = sum(int(str(p["value"])) for p in parts)
    if found != total:
        sheet.issue(
            sheet.excel_row(r),
            measure,
            str(total),
            TotalsIssue.TOTAL_MISMATCH,
            f"Cell {sheet.letter(j)}{sheet.excel_row(r)} gives a total of {int(total):,} "
            f"{measure}, but "
            + (
                "the period it totals is"
                if len(parts) == 1
                else f"the {len(parts)} periods it totals add up to"
            )
            + f" {found:,}.",
        )


def _derive(sheet: _Sheet) -> None:
    """Plans issued within 20 weeks = plans issued - plans over 20 weeks, per period."""
    by_key: dict[tuple[object, ...], dict[str, dict[str, object]]] = {}
    for rec in sheet.records:
        key = (rec["la"], rec["start"], rec["end"], rec["period_kind"])
        by_key.setdefault(key, {}).setdefault(str(rec["measure"]), rec)
    for measures in by_key.values():
        issued = measures.get(Measure.PLANS_ISSUED.value)
        over = measures.get(Measure.OVER_20_WEEKS.value)
        if issued is None or over is None or Measure.WITHIN_20_WEEKS.value in measures:
            continue
        if issued["value"] is None or over["value"] is None:
            hidden = over if over["value"] is None else issued
            sheet.issue(
                hidden["row"] if isinstance(hidden["row"], int) else None,
                str(hidden["measure"]),
                str(hidden["suppressed"]),
                TotalsIssue.NOT_DERIVED,
                f"{issued['period']}: {hidden['measure']} is suppressed "
                f"({hidden['suppressed']}), so plans within 20 weeks are not derived.",
            )
            continue
        a, b = int(str(issued["value"])), int(str(over["value"]))
        if b > a:
            sheet.issue(
                over["row"] if isinstance(over["row"], int) else None,
                Measure.OVER_20_WEEKS.value,
                str(b),
                TotalsIssue.IMPOSSIBLE_TOTALS,
                f"{issued['period']}: {b} plans over 20 weeks but only {a} plans "
                "issued, so no within-20-weeks figure is derived.",
            )
            continue
        sheet.records.append(
            {
                **issued,
                "row": None,
                "column": None,
                "derived": True,
                "measure": Measure.WITHIN_20_WEEKS.value,
                "value": a - b,
                "suppressed": None,
            }
        )


def _duplicates(sheet: _Sheet) -> None:
    """The same measure for the same period again: the later cell is left out (listed), so
    that a sum over the periods counts each once."""
    seen: dict[tuple[object, ...], dict[str, object]] = {}
    kept = []
    for rec in sheet.records:
        key = (rec["la"], rec["start"], rec["end"], rec["period_kind"], rec["measure"])
        if key in seen:
            first = seen[key]
            same = "the same value" if rec["value"] == first["value"] else "a different value"
            sheet.issue(
                rec["row"] if isinstance(rec["row"], int) else None,
                str(rec["measure"]),
                None if rec["value"] is None else str(rec["value"]),
                TotalsIssue.DUPLICATE_PERIOD,
                f"{rec['measure']} for {rec['period']} is given again in cell "
                f"{rec['column']}{rec['row']} ({same}; first in {first['column']}"
                f"{first['row']}), so the second is left out.",
                excluded=True,
            )
        else:
            seen[key] = rec
            kept.append(rec)
    sheet.records[:] = kept


def read_sheet(
    raw: RawSheet, overrides: Mapping[str, str], used: set[str]
) -> tuple[_Sheet, TotalsInput]:
    """Read one sheet (the caller decided it holds a table of totals, or asked for it)."""
    sheet = _Sheet(raw, overrides, used)
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
    _duplicates(sheet)
    _derive(sheet)
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
