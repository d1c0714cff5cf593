"""Case records: the JSON shape of one judged case (data contract section 2)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Protocol

import numpy as np

from ..engine import END_FIELD, SUFFIX, RuleState
from ..model import DATE_FIELDS, Field, Outcome, is_missing

CaseRecord = dict[str, Any]


class Table(Protocol):
    """A pandas DataFrame, or a dict of equal-length numpy arrays."""

    def __iter__(self) -> Any: ...

    def __getitem__(self, name: Any) -> Any: ...


def iso(value: object) -> str | None:
    """ISO ``YYYY-MM-DD`` of a date-like value; None for NaT / None / NaN."""
    if is_missing(value):
        return None
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        return str(value.astype("datetime64[D]"))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return None


def _opt(value: object) -> Any:
    """Plain Python value, None for missing."""
    if is_missing(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def case_records(verdicts: Table) -> list[CaseRecord]:
    """One dict per verdict row, in data-contract order. Keys are never renamed.

    ``verdicts`` is the engine's verdict table: a DataFrame or a dict of arrays.
    """
    names: Iterable[str] = list(verdicts)
    cols: dict[str, list[Any]] = {c: verdicts[c].tolist() for c in names}
    n = len(next(iter(cols.values()))) if cols else 0

    def col(name: str) -> list[Any]:
        return cols.get(name, [None] * n)

    records: list[CaseRecord] = []
    for i in range(n):
        breaches = []
        for code, s in SUFFIX.items():
            state = _opt(col(f"state_{s}")[i])
            if state in (RuleState.MISSED, RuleState.OVERDUE):
                end = col(END_FIELD[code])[i]
                breaches.append(
                    {
                        "rule": code.value,
                        "deadline": iso(col(f"deadline_{s}")[i]),
                        "date": iso(end) if state == RuleState.MISSED else None,
                        "days_late": int(col(f"days_late_{s}")[i]),
                    }
                )
        kind = _opt(col("exception_kind")[i])
        exception = None
        if kind is not None:
            exception = {
                "raw": _opt(col(Field.EXCEPTION)[i]),
                "kind": kind,
                "lawful": _opt(col("exception_lawful")[i]),
                "plausible": _opt(col("exception_plausible")[i]),
                "accepted": bool(col("exception_accepted")[i]),
                "note": _opt(col("exception_note")[i]),
            }
        outcome = _opt(col(Field.OUTCOME)[i])
        row = _opt(col("row")[i])
        record: CaseRecord = {
            "file": _opt(col("file")[i]),
            "sheet": _opt(col("sheet")[i]),
            "row": int(row) if row is not None else None,
            "case_id": _text(col(Field.CASE_ID)[i]),
            "la": _text(col(Field.LA)[i]),
            "status": _opt(col("status")[i]),
            "outcome": outcome,
        }
        for f in DATE_FIELDS:
            record[f.value] = iso(col(f)[i])
        record["deadline_6w"] = iso(col("deadline_6w")[i])
        record["deadline_16w"] = iso(col("deadline_16w")[i])
        record["deadline_20w"] = iso(col("deadline_20w")[i])
        weeks_final = _opt(col("weeks_to_final")[i])
        weeks_open = _opt(col("weeks_open")[i])
        record["weeks_to_final"] = weeks_final
        record["weeks_open"] = weeks_open if outcome == Outcome.OPEN else None
        record["days_late"] = int(_opt(col("days_late")[i]) or 0)
        record["breaches"] = breaches
        record["boundary"] = [
            code.value for code, s in SUFFIX.items() if bool(col(f"boundary_{s}")[i])
        ]
        record["exception"] = exception
        record["invalid_reason"] = _opt(col("invalid_reason")[i])
        record["after_as_of"] = bool(col("after_as_of")[i])
        records.append(record)
    return records


def _text(value: object) -> str | None:
    v = _opt(value)
    return None if v is None else str(v)
