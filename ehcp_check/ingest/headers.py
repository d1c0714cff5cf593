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
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ehcp_check.ingest.columns import IGNORE, header_field
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


def row_headers(raw: RawSheet, index: int) -> list[str]:
    """The texts of frame row ``index``, filled in from vertical merges covering it."""
    values = raw.frame.iloc[index].tolist()
    texts = [" ".join(cell_text(v).split()) for v in values]
    absolute = raw.first_row - 1 + index
    for r0, c0, r1, c1 in raw.merged:
        if r0 < absolute <= r1:
            top = r0 - (raw.first_row - 1)
            for col in range(c0, c1 + 1):
                j = col - raw.first_col
                if 0 <= top < raw.frame.shape[0] and 0 <= j < len(texts) and not texts[j]:
                    texts[j] = " ".join(cell_text(raw.frame.iat[top, c0 - raw.first_col]).split())
    return texts


def _qualifies(values: list[object]) -> bool:
    filled = [v for v in values if not is_blank(v)]
    return all(
        isinstance(v, str) and len(v.strip()) <= MAX_HEADER_CHARS and not _DATE_LIKE.match(v)
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
    return best


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
