"""Case records: the JSON shape of one judged case (data contract section 2)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Protocol

import numpy as np

from ..engine import END_FIELD, SUFFIX, RuleState
from ..model import CAVEATS, DATE_FIELDS, Caveat, Field, Outcome, is_missing

CaseRecord = dict[str, Any]

#: One plain sentence per caveat code (the ``caveats[].message`` of a record).
CAVEAT_MESSAGES: dict[Caveat, str] = {
    Caveat.OUTCOME_NOT_UNDERSTOOD: (
        "The status or outcome text was not understood; the case was judged as if open."
    ),
    Caveat.DATE_WITHHELD: (
        "A date was withheld (redacted or an error cell): the event happened on an unknown "
        "date, so the limit ending on it was not judged."
    ),
    Caveat.DATE_NOT_READ: (
        "A date cell could not be read (impossible or out of range): treated as unknown."
    ),
    Caveat.NO_FINAL_DATE_COLUMN: (
        "The sheet has no final-plan date column: the 20-week limit was not judged from a date."
    ),
    Caveat.STATED_20W: (
        "The 20-week verdict comes from a 'within 20 weeks?' or 'days taken' column, not "
        "from dates."
    ),
    Caveat.FLAG_REASON_CONFLICT: (
        "The exception flag says no but a reason is given: the reason was judged."
    ),
    Caveat.DATE_FROM_STATUS_TEXT: (
        "A date was taken from the status text because its date column was blank."
    ),
    Caveat.PLAN_DATE_FROM_START_DATE: (
        "The plan's start date stood in for its issue date (it can pre-date a transfer)."
    ),
    Caveat.DECISION_NOT_RECORDED: (
        "No decision whether to assess is recorded: taken as 'not told yet', so the 6-week "
        "limit is counted as running."
    ),
    Caveat.NO_DECISION_COLUMN: (
        "The sheet has no decision-to-assess column: the 6-week limit was not judged for this "
        "case, which was still waiting."
    ),
}


class Table(Protocol):
    """A pandas DataFrame, or a dict of equal-length numpy arrays."""

    def __iter__(self) -> Any: ...

    def __getitem__(self, name: Any) -> Any: ...


def iso(value: object) -> str | None:
    """ISO ``YYYY-MM-DD`` of a date-like value; None for NaT / None / NaN. Text is taken as
    already formatted (:func:`case_records` formats whole date columns at once)."""
    if type(value) is str:
        return value
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
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if kind is float:
        return None if value != value else value
    if is_missing(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def caveat_list(mask: object) -> list[dict[str, str]]:
    """The caveats of a ``caveats`` bit mask, as ``{"code", "message"}`` in bit order."""
    bits = int(_opt(mask) or 0)
    if not bits:
        return []
    return [
        {"code": c.value, "message": CAVEAT_MESSAGES[c]}
        for i, c in enumerate(CAVEATS)
        if bits & (1 << i)
    ]


def _column_list(values: Any) -> list[Any]:
    """A verdict column as a list: a date column as ISO text (None for NaT) in one numpy
    pass instead of a Timestamp per cell; any other column as it is."""
    dtype = getattr(values, "dtype", None)
    if dtype is not None and getattr(dtype, "kind", "") == "M":
        days = np.asarray(values).astype("datetime64[D]")
        text = np.datetime_as_string(days).astype(object)
        text[np.isnat(days)] = None
        out: list[Any] = text.tolist()
        return out
    plain: list[Any] = values.tolist()
    return plain


def case_records(verdicts: Table) -> list[CaseRecord]:
    """One dict per verdict row, in data-contract order. Keys are never renamed.

    ``verdicts`` is the engine's verdict table: a DataFrame or a dict of arrays. Each
    column is turned into a list once; a column the table lacks is one shared list of
    None, so the work is linear in rows.
    """
    names: Iterable[str] = list(verdicts)
    cols: dict[str, list[Any]] = {c: _column_list(verdicts[c]) for c in names}
    n = len(next(iter(cols.values()))) if cols else 0
    nothing: list[Any] = [None] * n

    def col(name: str) -> list[Any]:
        return cols.get(name, nothing)

    per_rule = [
        (
            code.value,
            col(f"state_{s}"),
            col(END_FIELD[code]),
            col(f"deadline_{s}"),
            col(f"days_late_{s}"),
            col(f"excused_{s}"),
            col(f"excuse_note_{s}"),
            col(f"boundary_{s}"),
        )
        for code, s in SUFFIX.items()
    ]
    dates = [(f.value, col(f)) for f in DATE_FIELDS]
    kind_c, raw_c = col("exception_kind"), col(Field.EXCEPTION)
    lawful_c, plausible_c = col("exception_lawful"), col("exception_plausible")
    accepted_c, note_c = col("exception_accepted"), col("exception_note")
    outcome_c, row_c = col(Field.OUTCOME), col("row")
    file_c, sheet_c, id_c, la_c, status_c = (
        col("file"),
        col("sheet"),
        col(Field.CASE_ID),
        col(Field.LA),
        col("status"),
    )
    d6, d16, d20 = col("deadline_6w"), col("deadline_16w"), col("deadline_20w")
    wf_c, wo_c, late_c = col("weeks_to_final"), col("weeks_open"), col("days_late")
    invalid_c, after_c, caveats_c = col("invalid_reason"), col("after_as_of"), col("caveats")

    records: list[CaseRecord] = []
    for i in range(n):
        breaches = []
        by_rule: dict[str, dict[str, Any]] = {}
        for rule, state_c, end_c, due_c, days_c, ok_c, why_c, _ in per_rule:
            state = _opt(state_c[i])
            if state in (RuleState.MISSED, RuleState.OVERDUE):
                breaches.append(
                    {
                        "rule": rule,
                        "deadline": iso(due_c[i]),
                        "date": iso(end_c[i]) if state == RuleState.MISSED else None,
                        "days_late": int(days_c[i]),
                    }
                )
                why = _opt(why_c[i])
                if why is not None:
                    by_rule[rule] = {"excused": bool(ok_c[i]), "why": why}
        kind = _opt(kind_c[i])
        exception = None
        if kind is not None:
            exception = {
                "raw": _opt(raw_c[i]),
                "kind": kind,
                "lawful": _opt(lawful_c[i]),
                "plausible": _opt(plausible_c[i]),
                "accepted": bool(accepted_c[i]),
                "note": _opt(note_c[i]),
                "by_rule": by_rule,
            }
        outcome = _opt(outcome_c[i])
        row = _opt(row_c[i])
        record: CaseRecord = {
            "file": _opt(file_c[i]),
            "sheet": _opt(sheet_c[i]),
            "row": int(row) if row is not None else None,
            "case_id": _text(id_c[i]),
            "la": _text(la_c[i]),
            "status": _opt(status_c[i]),
            "outcome": outcome,
        }
        for name, values in dates:
            record[name] = iso(values[i])
        record["deadline_6w"] = iso(d6[i])
        record["deadline_16w"] = iso(d16[i])
        record["deadline_20w"] = iso(d20[i])
        weeks_open = _opt(wo_c[i])
        record["weeks_to_final"] = _opt(wf_c[i])
        record["weeks_open"] = weeks_open if outcome == Outcome.OPEN else None
        record["days_late"] = int(_opt(late_c[i]) or 0)
        record["breaches"] = breaches
        record["boundary"] = [rule for rule, *_, bound_c in per_rule if bool(bound_c[i])]
        record["exception"] = exception
        record["caveats"] = caveat_list(caveats_c[i])
        record["invalid_reason"] = _opt(invalid_c[i])
        record["after_as_of"] = bool(after_c[i])
        records.append(record)
    return records


def _text(value: object) -> str | None:
    v = _opt(value)
    return None if v is None else str(v)
