"""Convert one mapped column (cases only) into canonical values, cell by distinct value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ehcp_check.ingest.codes import DateOrder, IssueCode
from ehcp_check.ingest.dates import EARLIEST_DATE, parse_dates
from ehcp_check.ingest.distinct import Distinct
from ehcp_check.ingest.status import CellStatus, marker_status
from ehcp_check.ingest.values import (
    Marker,
    cell_text,
    decision_of,
    marker_of,
    outcome_of,
    sen2_code_outcome,
)
from ehcp_check.model import Field


@dataclass(frozen=True, slots=True)
class Converted:
    """One canonical column and the status of each of its cells."""

    values: pd.Series
    """Canonical values, one per case (``datetime64[ns]`` or object str / None)."""
    status: npt.NDArray[np.int8]
    """:class:`CellStatus` per case."""
    order: DateOrder | None = None
    """For a date column: the day / month order used."""
    order_issue: IssueCode | None = None
    """``month-first-column`` or ``ambiguous-date-order`` when the column deserves one."""
    by_value: npt.NDArray[np.object_] | None = None
    """For a text-like column: the canonical value of each distinct value of the column
    read (``values`` is this indexed by the column's codes), so that later steps map
    distinct values instead of rows."""


def convert_dates(
    column: Distinct, *, order: DateOrder | None, date1904: bool, latest: dt.date | None
) -> Converted:
    """A date column: see :func:`ehcp_check.ingest.dates.parse_dates`."""
    parsed = parse_dates(column, order=order, date1904=date1904, latest=latest)
    issue: IssueCode | None = None
    if order is None and parsed.mdy_evidence and parsed.dmy_evidence:
        issue = IssueCode.AMBIGUOUS_DATE_ORDER
    elif order is None and parsed.order is DateOrder.MDY:
        issue = IssueCode.MONTH_FIRST_COLUMN
    values = pd.Series(parsed.dates, dtype="datetime64[ns]", copy=False)
    return Converted(values, parsed.status, parsed.order, issue)


def _by_distinct(
    column: Distinct, judge: Callable[[object], tuple[str | None, CellStatus]]
) -> Converted:
    present = column.present()
    answers = [judge(v) if seen else (None, CellStatus.BLANK)
               for v, seen in zip(column.values, present.tolist(), strict=True)]  # fmt: skip
    out = np.empty(len(answers), dtype=object)
    out[:] = [a[0] for a in answers]
    status: npt.NDArray[np.int8] = np.array([a[1] for a in answers], dtype=np.int8)
    values = column.per_row(out, None)
    return Converted(
        pd.Series(values, dtype=object, copy=False),
        column.per_row(status, CellStatus.BLANK),
        by_value=out,
    )


def _marker_answer(marker: Marker) -> tuple[str | None, CellStatus]:
    return None, marker_status(marker)


def _judge_decision(value: object) -> tuple[str | None, CellStatus]:
    decision = decision_of(value)
    if decision is not None:
        return decision.value, CellStatus.OK
    marker = marker_of(value)
    if marker is not None:
        return _marker_answer(marker)
    if sen2_code_outcome(value) is not None:
        return None, CellStatus.OK
    return None, CellStatus.UNRECOGNISED


def _judge_outcome(value: object) -> tuple[str | None, CellStatus]:
    outcome = outcome_of(value)
    if outcome is not None:
        return outcome.value, CellStatus.OK
    marker = marker_of(value)
    if marker is not None:
        return _marker_answer(marker)
    return None, CellStatus.UNRECOGNISED


def convert_decisions(column: Distinct) -> Converted:
    """A yes / no column into :class:`~ehcp_check.model.Decision` values."""
    return _by_distinct(column, _judge_decision)


def convert_outcomes(column: Distinct) -> Converted:
    """An outcome / status column into :class:`~ehcp_check.model.Outcome` values."""
    return _by_distinct(column, _judge_outcome)


def convert_text(column: Distinct) -> Converted:
    """A free-text column: text as written (trimmed), None for blanks and ``N/A``."""
    markers = column.table.markers
    status: npt.NDArray[np.int8] = np.full(len(column.values), CellStatus.OK, dtype=np.int8)
    status[(markers == CellStatus.BLANK) | (markers == CellStatus.NOT_APPLICABLE)] = (
        CellStatus.BLANK
    )
    status[markers == CellStatus.EXCEL_ERROR] = CellStatus.EXCEL_ERROR
    table = column.table
    # Nothing to trim: the distinct values are already the text (no conversion back).
    values = (
        table.values.copy()
        if table.all_text and not table.trimmed
        else table.stripped.astype(object)
    )
    for i in np.flatnonzero(~column.table.is_str & column.present()).tolist():
        values[i] = cell_text(column.values[i]).strip()
    values[status != CellStatus.OK] = None
    rows = column.per_row(values, None)
    return Converted(
        pd.Series(rows, dtype=object, copy=False),
        column.per_row(status, CellStatus.BLANK),
        by_value=values,
    )


def implied_outcomes(column: Distinct) -> pd.Series:
    """Outcomes implied by SEN2 ``W`` / ``H`` codes in a decision column (else None)."""
    found = [sen2_code_outcome(v) for v in column.values]
    out = np.empty(len(found), dtype=object)
    out[:] = [None if o is None else o.value for o in found]
    return pd.Series(column.per_row(out, None), dtype=object, copy=False)


def status_message(status: CellStatus, field: Field, value: str, latest: dt.date | None) -> str:
    """One plain sentence for a cell that became unknown."""
    if status is CellStatus.BAD:
        return f"{value!r} is not a date that can be read, so {field} is treated as unknown."
    if status is CellStatus.OUT_OF_RANGE:
        upper = "" if latest is None else f" or after {_long(latest)}"
        return (
            f"{value!r} is before {_long(EARLIEST_DATE)} (when EHC plans began){upper}, "
            f"so {field} is treated as unknown."
        )
    if status is CellStatus.REDACTED:
        return f"The {field} cell is redacted ({value!r}), so it is treated as unknown."
    if status is CellStatus.EXCEL_ERROR:
        return f"The {field} cell holds the Excel error {value!r}, so it is treated as unknown."
    return f"{value!r} is not a recognised value for {field}, so it is treated as unknown."


def _long(day: dt.date) -> str:
    """``1 September 2014``."""
    return f"{day.day} {day:%B %Y}"
