"""Cells and findings of a table of totals: counts, markers, issue codes, what was read."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from enum import StrEnum

from ehcp_check.ingest.totals_layout import text_of
from ehcp_check.ingest.totals_vocab import NOT_AVAILABLE, is_suppressed, marker_key


class TotalsIssue(StrEnum):
    """Stable codes of the data issues of a table of totals."""

    TOTAL_ROW = "total-row"
    """A total row: left out of the table (excluded)."""
    TOTAL_COLUMN = "total-column"
    """A total column: left out of the table (excluded)."""
    NOTE_ROW = "note-row"
    """A note under the table (excluded)."""
    NOT_A_COUNT = "not-a-count"
    """A cell under a measure that is not a count (text, a decimal, a negative number)."""
    NOT_AVAILABLE = "not-available"
    """A cell saying there is no figure (``n/a``, ``-``, ``..``): no count, not suppressed."""
    PERIOD_WITHOUT_YEAR = "period-without-year"
    """A period label ("Qtr 1") with no year anywhere near it: its counts are not read."""
    NO_PERIOD = "no-period"
    """Counts on a row (or column) with no period label: not read."""
    DUPLICATE_PERIOD = "duplicate-period"
    """The same measure for the same period again in one sheet: the later is left out."""
    IMPOSSIBLE_TOTALS = "impossible-totals"
    """More plans over 20 weeks than plans issued in a period: nothing is derived."""
    TOTAL_MISMATCH = "total-mismatch"
    """A total row or column that is not the sum of the periods it totals (the periods
    are read as given; the total is left out as always)."""
    NOT_DERIVED = "not-derived"
    """Plans within 20 weeks not derived because plans issued or over 20 weeks is suppressed."""
    SHEET_SKIPPED = "sheet-skipped"
    """A sheet holds no table of totals."""


@dataclass(frozen=True, slots=True)
class TotalsInput:
    """What was read from one sheet (or text file)."""

    file: str
    sheet: str | None
    orientation: str | None
    """``periods-in-rows`` or ``periods-in-columns``; None when the sheet was skipped."""
    axis: str = ""
    """Where the period labels are: ``column A``, ``rows 3-4``."""
    header_rows: tuple[int, ...] = ()
    """Excel rows of the headers naming the measures (periods in rows) or the periods."""
    measures: dict[str, str] = field(default_factory=dict)
    """Each measure-axis header as written -> the measure, ``la``, ``ignore``, ``total``,
    ``period`` or ``unknown``."""
    periods: int = 0
    """Distinct periods read."""
    values: int = 0
    """Rows of the canonical table from this sheet (derived rows included)."""
    skipped: str | None = None
    """Why the sheet was not read, else None."""

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "orientation": self.orientation,
            "axis": self.axis,
            "header_rows": list(self.header_rows),
            "measures": dict(self.measures),
            "periods": self.periods,
            "values": self.values,
            "skipped": self.skipped,
        }


# ---------------------------------------------------------------- cells


def parse_count(value: object, decimal: bool) -> tuple[float | int | None, str | None, str | None]:
    """(value, suppression marker, issue code) of one cell under a measure."""
    if isinstance(value, bool):
        return None, None, TotalsIssue.NOT_A_COUNT
    if isinstance(value, int | float):
        number = float(value)
        if math.isnan(number):
            return None, None, None
        if decimal:
            return number, None, None
        if number < 0 or not number.is_integer():
            return None, None, TotalsIssue.NOT_A_COUNT
        return int(number), None, None
    text = text_of(value)
    if not text:
        return None, None, None
    if is_suppressed(text):
        return None, text, None
    if marker_key(text) in NOT_AVAILABLE:
        return None, None, TotalsIssue.NOT_AVAILABLE
    plain = text.replace(",", "")
    if re.fullmatch(r"\+?\d+(?:\.\d+)?", plain) and (
        decimal or re.fullmatch(r"\d{1,3}(?:,\d{3})*(?:\.0+)?|\d+(?:\.0+)?", text.lstrip("+"))
    ):
        number = float(plain)
        return (number if decimal else int(number)), None, None
    return None, None, TotalsIssue.NOT_A_COUNT


_LA_TITLE = re.compile(r"^(?:local authority|council|la|authority)\s*[:\-]\s*(.+)$", re.IGNORECASE)
_COUNCIL = re.compile(
    r"\b((?:[A-Z][\w'&.-]*\s)+(?:County |City |Borough |Metropolitan Borough |District )?Council)\b"
)


def title_la(texts: tuple[str, ...]) -> str | None:
    """The council a sheet's title names ("Local authority: X", "X County Council ...")."""
    for text in texts:
        if m := _LA_TITLE.match(text):
            return m.group(1).strip()
        if m := _COUNCIL.search(text):
            return m.group(1).strip()
    return None


def label_text(value: object) -> str:
    """A period cell as text: a date cell is its month ("Jan 2024"), as Excel shows "Jan-24"."""
    if isinstance(value, dt.date):
        return f"{value:%b %Y}"
    return text_of(value)
