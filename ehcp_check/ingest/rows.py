"""Row accounting: which rows under the header are cases, and which are excluded and why.

All work is per column over distinct values, then numpy over rows: no loop over rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ehcp_check.ingest.codes import IssueCode
from ehcp_check.ingest.distinct import Distinct, two_letter_codes
from ehcp_check.ingest.values import NOTE_MIN_CHARS, cell_text, is_note_text, is_total_text


@dataclass(frozen=True, slots=True)
class RowKinds:
    """How each data row of a sheet was classified."""

    rows: int
    """Data rows under the header up to the last non-blank row."""
    kept: npt.NDArray[np.bool_]
    """True for rows that are cases (length ``rows``)."""
    reason: npt.NDArray[np.int8]
    """0 for kept rows, else the index into :data:`EXCLUSION_CODES` plus one."""
    first_text: list[str]
    """For excluded rows (same order as ``np.flatnonzero(~kept)``): the first filled cell."""


#: Why a row is excluded, in the order ``reason`` numbers them from 1.
EXCLUSION_CODES: tuple[IssueCode, ...] = (
    IssueCode.BLANK_ROW,
    IssueCode.TOTAL_ROW,
    IssueCode.NOTE_ROW,
)


_TOTAL_STARTS = ("grand", "sub", "total", "average", "mean", "median", "sum", "count", "overall")
_NOTE_STARTS = ("note", "source", "footnote", "key", "n.b", "nb")


def _starting(distinct: Distinct, words: tuple[str, ...]) -> npt.NDArray[np.bool_]:
    """Distinct values that may start with one of ``words`` (a cheap two-letter test)."""
    heads = two_letter_codes(np.array(sorted({w[:2] for w in words}), dtype="U2"))
    return np.isin(distinct.table.heads, heads)


def _verified(
    distinct: Distinct, candidates: npt.NDArray[np.bool_], test: Callable[[object], bool]
) -> npt.NDArray[np.bool_]:
    out = np.zeros(len(distinct.values), dtype=bool)
    for i in np.flatnonzero(candidates & distinct.table.is_str).tolist():
        out[i] = test(distinct.values[i])
    return out


def classify_rows(body: pd.DataFrame) -> tuple[RowKinds, list[Distinct]]:
    """Classify the rows of ``body`` (the cells under the header, all columns).

    Trailing blank rows are dropped and not counted; blank rows inside the table, total /
    average rows and note rows are excluded. Also returns each column factorised (for the
    rows counted), so that values are classified once.
    """
    n, k = body.shape
    columns = [Distinct.of(body.iloc[:, j]) for j in range(k)]
    if n == 0 or k == 0:
        return RowKinds(0, np.zeros(0, bool), np.zeros(0, np.int8), []), columns
    filled = np.zeros((n, k), dtype=bool, order="F")
    for j, col in enumerate(columns):
        filled[:, j] = col.per_row(~col.table.blank, False)
    any_filled: npt.NDArray[np.bool_] = np.asarray(filled.any(axis=1), dtype=bool)
    last = int(np.flatnonzero(any_filled)[-1]) + 1 if any_filled.any() else 0
    if last < n:  # trailing blank rows: not counted (no copy when there are none)
        filled, any_filled = filled[:last], any_filled[:last]
        columns = [c.take(np.arange(last)) for c in columns]
    first = filled.argmax(axis=1)
    count = filled.sum(axis=1)
    total = np.zeros(last, dtype=bool)
    note = np.zeros(last, dtype=bool)
    for j, col in enumerate(columns):
        rows = np.flatnonzero(any_filled & (first == j))
        if not rows.size:
            continue
        sub = col.take(rows)
        candidates = _starting(col, _TOTAL_STARTS + _NOTE_STARTS)
        is_total = _verified(col, candidates, is_total_text)
        is_note = _verified(col, candidates, is_note_text)
        table = col.table
        is_long = table.is_str & (table.lengths >= NOTE_MIN_CHARS) & table.spaced
        total[rows] = sub.per_row(is_total, False)
        note[rows] = sub.per_row(is_note, False) | (
            (count[rows] == 1) & sub.per_row(is_long, False)
        )
    reason = np.zeros(last, dtype=np.int8)
    reason[note] = 3
    reason[total] = 2
    reason[~any_filled] = 1
    excluded = np.flatnonzero(reason)
    first_text = [
        cell_text(body.iat[int(i), int(first[i])]) if reason[i] != 1 else "" for i in excluded
    ]
    return RowKinds(last, reason == 0, reason, first_text), columns
