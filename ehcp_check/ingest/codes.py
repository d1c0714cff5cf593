"""Enums and small helpers shared by the ingest modules: issue codes, date orders."""

from __future__ import annotations

from enum import StrEnum

from ehcp_check.model import DataIssue

#: Longest cell text quoted in a data issue.
MAX_VALUE_CHARS = 40


class DateOrder(StrEnum):
    """The order of day, month and year in a text date such as ``03/04/2024``."""

    DMY = "dmy"
    MDY = "mdy"
    YMD = "ymd"


class IssueCode(StrEnum):
    """Stable codes of the data issues ingest reports."""

    SHEET_SKIPPED = "sheet-skipped"
    """A sheet holds no case table (notes, cover page); whole-sheet, not excluded."""
    AMBIGUOUS_COLUMN = "ambiguous-column"
    """A second column looks like a field already mapped; it is ignored."""
    MONTH_FIRST_COLUMN = "month-first-column"
    """A date column's values prove month-first order; the column is read month-first."""
    AMBIGUOUS_DATE_ORDER = "ambiguous-date-order"
    """A date column has values proving day-first and others proving month-first."""
    BAD_DATE = "bad-date"
    """A date cell cannot be read as a date (or is impossible, such as 31/02/2024)."""
    DATE_OUT_OF_RANGE = "date-out-of-range"
    """A date before EHC plans began (1 September 2014) or after the sanity bound."""
    REDACTED = "redacted"
    """A cell was redacted (``<5``, ``*``, ``[redacted]``)."""
    EXCEL_ERROR = "excel-error"
    """A cell holds an Excel error value such as ``#N/A`` or ``#REF!``."""
    UNRECOGNISED_VALUE = "unrecognised-value"
    """A yes / no or outcome cell whose text is not understood."""
    TOTAL_ROW = "total-row"
    """A total or average row under the table: excluded."""
    NOTE_ROW = "note-row"
    """A note or source line under the table: excluded."""
    BLANK_ROW = "blank-row"
    """A fully blank row inside the table: excluded."""
    DUPLICATE_CASE_ID = "duplicate-case-id"
    """A case reference seen earlier in the same file (the row is kept)."""
    DUPLICATE_ROW = "duplicate-row"
    """A row that repeats an earlier row of the sheet in every column read: excluded."""
    MAPPING_UNMATCHED = "mapping-unmatched"
    """A mapping file's entry names a header that no sheet of the file has (a warning)."""


def shorten(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """Collapse white space and cut ``text`` to at most ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1] + "\u2026"


def make_issue(
    file: str,
    sheet: str | None,
    row: int | None,
    column: str | None,
    value: str | None,
    code: IssueCode,
    message: str,
    *,
    excluded: bool = False,
) -> DataIssue:
    """Build a :class:`DataIssue` with the value shortened and the code as plain text."""
    return DataIssue(
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        value=None if value is None else shorten(value),
        code=code.value,
        message=message,
        excluded=excluded,
    )
