"""Header detection: find the header row below title rows, blank rows and merged titles.

Each of the first :data:`SCAN_ROWS` rows is scored by how many distinct canonical fields its
cells name (:func:`ehcp_check.ingest.columns.header_field`). A row qualifies only when

* one of its cells names ``request_date``;
* every filled cell is short text (no dates, numbers or sentences): data rows and notes
  never qualify;
* it names at least two fields, or has at least two filled cells (a lone title such as
  "Requests received 2024" is not a header).

The best score wins; on a tie, the higher row. Vertically merged cells that cover the header
row lend it their text.

A header cell of several lines (the DfE template's headings with an explanatory second
line) is read by its first line, unless only the lines together name a field. A sparse or merged
*group row* just above the header ("Dates" over "Request received", "Decision to assess")
is joined onto the headers under it where the joined text names a field the header alone
does not, or names a date field when the group is about dates: "Dates / Decision to assess"
is a date column, not the yes / no decision.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ehcp_check.ingest.columns import IGNORE, header_field, normalise_header
from ehcp_check.ingest.readers import RawSheet
from ehcp_check.ingest.values import cell_text, is_blank
from ehcp_check.model import Field

#: How many rows from the top may hold the header.
SCAN_ROWS = 30
#: Header cells longer than this are sentences, not headers.
MAX_HEADER_CHARS = 80

_DATE_LIKE = re.compile(r"^\s*\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,4}")


@dataclass(frozen=True, slots=True)
class HeaderRow:
    """The header found in a sheet."""

    index: int
    """Position of the header in the sheet's frame (0-based)."""
    headers: list[str]
    """Header text per frame column ('' where blank), white space collapsed."""
    score: int
    """Number of distinct fields the headers name."""


def header_text(value: object) -> str:
    """A header cell's text, white space collapsed. A cell of several lines is read by its
    first line (the DfE template explains each heading on the lines below it), unless the
    first line names nothing and the lines together do (a heading wrapped in its cell)."""
    text = cell_text(value)
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if len(lines) <= 1:
        return lines[0] if lines else ""
    joined = " ".join(lines)
    named_alone = header_field(lines[0]) is not None
    if not named_alone and len(joined) <= MAX_HEADER_CHARS and header_field(joined) is not None:
        return joined
    return lines[0]


def row_headers(raw: RawSheet, index: int) -> list[str]:
    """The texts of frame row ``index``, filled in from vertical merges covering it."""
    values = raw.frame.iloc[index].tolist()
    texts = [header_text(v) for v in values]
    absolute = raw.first_row - 1 + index
    for r0, c0, r1, c1 in raw.merged:
        if r0 < absolute <= r1:
            top = r0 - (raw.first_row - 1)
            for col in range(c0, c1 + 1):
                j = col - raw.first_col
                if 0 <= top < raw.frame.shape[0] and 0 <= j < len(texts) and not texts[j]:
                    texts[j] = header_text(raw.frame.iat[top, c0 - raw.first_col])
    return texts


def _qualifies(values: list[object]) -> bool:
    filled = [v for v in values if not is_blank(v)]
    return all(
        isinstance(v, str) and len(header_text(v)) <= MAX_HEADER_CHARS and not _DATE_LIKE.match(v)
        for v in filled
    )


def find_header(raw: RawSheet, overrides: Mapping[str, str]) -> HeaderRow | None:
    """Find the header row of a sheet, or None when the sheet holds no case table."""
    best: HeaderRow | None = None
    for index in range(min(SCAN_ROWS, raw.frame.shape[0])):
        values = raw.frame.iloc[index].tolist()
        if not _qualifies(values):
            continue
        texts = row_headers(raw, index)
        fields = {header_field(t, overrides) for t in texts if t}
        fields.discard(None)
        fields.discard(IGNORE)
        if Field.REQUEST_DATE.value not in fields:
            continue
        filled = sum(1 for t in texts if t)
        if len(fields) < 2 and filled < 2:
            continue
        if best is None or len(fields) > best.score:
            best = HeaderRow(index=index, headers=texts, score=len(fields))
    if best is not None and best.index > 0:
        joined = _join_group_row(raw, best.index, best.headers, overrides)
        if joined is not None:
            best = HeaderRow(index=best.index, headers=joined, score=best.score)
    return best


_DATE_GROUP_WORDS = frozenset({"date", "dates", "dated", "when"})


def _group_texts(raw: RawSheet, index: int, width: int) -> list[str] | None:
    """The group heading over each column from the row above the header, or None when
    that row is no group row (blank, a lone title in the first column, or not short text)."""
    above = index - 1
    values = raw.frame.iloc[above].tolist()
    if not _qualifies(values):
        return None
    texts = [header_text(v) for v in values][:width]
    filled = [j for j, t in enumerate(texts) if t]
    if not filled or filled == [0]:
        return None
    absolute = raw.first_row - 1 + above
    spread = list(texts)
    merged_any = False
    for r0, c0, r1, c1 in raw.merged:
        if r0 <= absolute <= r1 and c1 > c0:
            j0 = c0 - raw.first_col
            if 0 <= j0 < width and texts[j0]:
                merged_any = True
                for j in range(max(j0, 0), min(c1 - raw.first_col, width - 1) + 1):
                    spread[j] = texts[j0]
    if not merged_any:
        if len(filled) * 2 > width:
            return None  # not sparse: a second table row, not a group heading
        current = ""
        for j in range(width):
            current = texts[j] or current
            spread[j] = current
    return spread


def _join_group_row(
    raw: RawSheet, index: int, headers: list[str], overrides: Mapping[str, str]
) -> list[str] | None:
    """Headers with their group heading joined on where that changes what they name."""
    groups = _group_texts(raw, index, len(headers))
    if groups is None:
        return None
    out = list(headers)
    changed = False
    for j, (group, sub) in enumerate(zip(groups, headers, strict=True)):
        if not group or not sub or group == sub:
            continue
        alone = header_field(sub, overrides)
        if alone is not None and normalise_header(sub) in overrides:
            continue
        together = header_field(f"{group} {sub}", overrides)
        about_dates = bool(set(normalise_header(group).split()) & _DATE_GROUP_WORDS)
        if together is not None and together != alone and (alone is None or about_dates):
            out[j] = f"{group} / {sub}"
            changed = True
    return out if changed else None


def likely_headers(raw: RawSheet) -> list[str]:
    """The texts of the most header-like row (most short text cells) for error messages."""
    best: list[str] = []
    for index in range(min(SCAN_ROWS, raw.frame.shape[0])):
        values = raw.frame.iloc[index].tolist()
        if not _qualifies(values):
            continue
        texts = [t for t in row_headers(raw, index) if t]
        if len(texts) > len(best):
            best = texts
    return best
