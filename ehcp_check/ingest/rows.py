"""Row accounting: which rows under the header are cases, and which are excluded and why.

All work is per column over distinct values, then numpy over rows: no loop over rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ehcp_check.ingest.codes import IssueCode
from ehcp_check.ingest.values import (
    cell_text,
    is_blank,
    is_long_text,
    is_note_text,
    is_total_text,
)


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


def classify_rows(body: pd.DataFrame) -> RowKinds:
    """Classify the rows of ``body`` (the cells under the header, all columns).

    Trailing blank rows are dropped and not counted; blank rows inside the table, total /
    average rows and note rows are excluded.
    """
    n, k = body.shape
    if n == 0 or k == 0:
        return RowKinds(0, np.zeros(0, bool), np.zeros(0, np.int8), [])
    filled = np.zeros((n, k), dtype=bool)
    total = np.zeros((n, k), dtype=bool)
    note = np.zeros((n, k), dtype=bool)
    long_text = np.zeros((n, k), dtype=bool)
    for j in range(k):
        codes, uniques = pd.factorize(body.iloc[:, j])
        values = list(np.asarray(uniques, dtype=object))
        filled[:, j] = np.array([not is_blank(v) for v in values] + [False])[codes]
        total[:, j] = np.array([is_total_text(v) for v in values] + [False])[codes]
        note[:, j] = np.array([is_note_text(v) for v in values] + [False])[codes]
        long_text[:, j] = np.array([is_long_text(v) for v in values] + [False])[codes]
    any_filled: npt.NDArray[np.bool_] = np.asarray(filled.any(axis=1), dtype=bool)
    last = int(np.flatnonzero(any_filled)[-1]) + 1 if any_filled.any() else 0
    filled, total, note, long_text = filled[:last], total[:last], note[:last], long_text[:last]
    any_filled = any_filled[:last]
    first = filled.argmax(axis=1)
    at = np.arange(last)
    count = filled.sum(axis=1)
    reason = np.zeros(last, dtype=np.int8)
    is_note = note[at, first] | ((count == 1) & long_text[at, first])
    reason[is_note & any_filled] = 3
    reason[total[at, first] & any_filled] = 2
    reason[~any_filled] = 1
    excluded = np.flatnonzero(reason)
    first_text = [
        cell_text(body.iat[int(i), int(first[i])]) if reason[i] != 1 else "" for i in excluded
    ]
    return RowKinds(last, reason == 0, reason, first_text)
