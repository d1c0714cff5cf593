"""What ingest made of each sheet's columns: the value behind the ``columns`` command."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ehcp_check.ingest.codes import DateOrder
from ehcp_check.ingest.columns import MatchKind
from ehcp_check.model import Field


def column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index (0 -> ``A``, 26 -> ``AA``)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    """One input column of one sheet."""

    letter: str
    """The column's letter as Excel shows it (``A`` for a text file's first column)."""
    header: str
    """The header text as written (white space collapsed; '' when blank)."""
    field: Field | None
    """The canonical field it was mapped onto, or None."""
    match: MatchKind
    """How it was mapped: override, exact synonym, word rule, or why not."""
    samples: tuple[str, ...]
    """The first few distinct non-blank values among the cases, as text."""
    date_order: DateOrder | None = None
    """For a date column: the day / month order used."""
    note: str | None = None
    """A plain remark: month-first evidence, ambiguity, the field a rival column took."""
    role: str | None = None
    """For a column read for a role (``stated_within_20w``, ...) instead of a field."""


@dataclass(frozen=True, slots=True)
class ColumnReport:
    """The columns of one sheet (or one text file, or one SEN2 return)."""

    file: str
    """File name as the user gave it."""
    sheet: str | None
    """Sheet name, or None for a text file."""
    header_row: int | None
    """Row number of the header as Excel shows it; None when the sheet was skipped."""
    columns: tuple[ColumnInfo, ...]
    """Every column under the header, left to right (empty when skipped)."""
    skipped: str | None = None
    """Why the sheet was skipped (no case table), else None."""

    @property
    def fields(self) -> dict[Field, str]:
        """Canonical field -> header, for the mapped columns."""
        return {c.field: c.header for c in self.columns if c.field is not None}


def mapping_toml(reports: list[ColumnReport]) -> str:
    """The mapping the reports found, as a mapping file ``--mapping-file`` reads back.

    One ``[columns]`` entry per header read for a field or a role, first sheet first."""
    entries: dict[str, str] = {}
    for report in reports:
        for c in report.columns:
            target = c.field.value if c.field is not None else c.role
            if c.header and target is not None:
                entries.setdefault(c.header, target)
    lines = [
        "# Column mapping found by ehcp-check columns. Edit it, then reuse it with",
        "#   ehcp-check audit FILE --mapping-file THIS.toml",
        '# Fields: see docs/columns.md; "ignore" leaves a column unused.',
        '# date_order = "dmy"   # or "mdy" / "ymd", for text dates such as 03/04/2024',
        "",
        "[columns]",
    ]
    lines += [f"{json.dumps(h, ensure_ascii=False)} = {json.dumps(t)}" for h, t in entries.items()]
    return "\n".join(lines) + "\n"
