"""The records and findings of one sheet of totals, and what is worked out from them.

:class:`Sheet` collects the records of the long table as the walk
(:mod:`ehcp_check.ingest.totals_walk`) finds counts, and the data issues: suppressed cells
are kept with their marker; totals, notes and cells that are not counts are issues.
:func:`derive` adds plans within 20 weeks from plans issued and plans over 20 weeks;
:func:`duplicates` keeps one record per measure and period; :func:`check_total` says when a
reply's own total does not add up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ehcp_check.ingest.codes import shorten
from ehcp_check.ingest.describe import column_letter
from ehcp_check.ingest.periods_text import (
    PeriodKind,
    PeriodSpan,
    YearContext,
    as_context,
    parse_label,
    year_context,
)
from ehcp_check.ingest.readers import RawSheet
from ehcp_check.ingest.totals_cells import (
    TotalsIssue,
    parse_count,
)
from ehcp_check.ingest.totals_layout import (
    Layout,
    role_of,
    text_of,
)
from ehcp_check.ingest.totals_vocab import (
    DECIMAL_MEASURES,
    Measure,
    header_words,
)
from ehcp_check.model import DataIssue

# ---------------------------------------------------------------- one sheet


@dataclass(slots=True)
class Sheet:
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


def context_of(raw: RawSheet, layout: Layout) -> YearContext | None:
    for text in (*layout.title, raw.sheet or ""):
        label = parse_label(text)
        if label is not None and label.span is not None and (ctx := as_context(label.span)):
            return ctx
        if found := year_context(text):
            return found
    return None


def add_count(
    sheet: Sheet,
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


def row_la(row: list[object], la_col: int | None) -> str:
    return text_of(row[la_col]) if la_col is not None and la_col < len(row) else ""


def note_row(sheet: Sheet, r: int, text: str) -> None:
    sheet.issue(
        sheet.excel_row(r),
        None,
        text,
        TotalsIssue.NOTE_ROW,
        f"Row {sheet.excel_row(r)} is a note under the table, so it is not read.",
        excluded=True,
    )


def context_label(ctx: YearContext) -> str:
    if ctx.kind is PeriodKind.CALENDAR_YEAR:
        return str(ctx.first)
    return f"{ctx.first}-{(ctx.first + 1) % 100:02d}"


def check_total(
    sheet: Sheet, r: int, j: int, cell: object, measure: str, parts: list[dict[str, object]],
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


def derive(sheet: Sheet) -> None:
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


def duplicates(sheet: Sheet) -> None:
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
