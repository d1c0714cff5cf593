"""Evaluate the statutory rules over a table of cases, column by column.

One engine for one case and a million: the single-case command builds a one-row table and
calls :func:`evaluate_columns`; audits call :func:`evaluate` on a DataFrame. Both run
:func:`_judge`. Text is turned into small integer codes once per distinct value, and every
rule is a handful of numpy operations on whole columns. No clock is read here; ``as_of`` is
a parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .claims import KINDS, NOTES, TRI_STATE, kind_code, lawful_table, note_codes, plausibility
from .claims import decode as _decode
from .model import DayCount, Decision, Field, Outcome, Status, is_missing
from .rules import RULES_BY_CODE, WEEKS_52_DAYS, Closure, RuleCode

if TYPE_CHECKING:
    import pandas as pd

DateArray = npt.NDArray[np.datetime64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
Codes = npt.NDArray[np.int8]

NAT = np.datetime64("NaT", "D")


class RuleState(StrEnum):
    """Per-rule state values in the ``state_<rule>`` columns (None: the rule does not apply)."""

    MET = "met"
    MISSED = "missed"
    OVERDUE = "overdue"
    PENDING = "pending"
    """Not yet due (open, within time)."""
    NOT_JUDGED = "not_judged"
    """The limit applies but the data lacks the date to judge it."""


#: Column suffix of each rule in the verdict table.
SUFFIX: dict[RuleCode, str] = {
    RuleCode.DECISION_6W: "6w",
    RuleCode.NO_PLAN_16W: "16w",
    RuleCode.FINAL_20W: "20w",
    RuleCode.COMMENT_15D: "15d",
}

#: The end-event field of each rule.
END_FIELD: dict[RuleCode, Field] = {
    RuleCode.DECISION_6W: Field.ASSESS_DECISION_DATE,
    RuleCode.NO_PLAN_16W: Field.ISSUE_DECISION_DATE,
    RuleCode.FINAL_20W: Field.FINAL_DATE,
    RuleCode.COMMENT_15D: Field.FINAL_DATE,
}

INVALID_REASONS: tuple[str, ...] = (
    "no readable request date",
    "final plan date is before the request date",
    "decision-to-assess date is before the request date",
    "decision-to-issue date is before the request date",
    "draft plan date is before the request date",
    "final plan date is before the draft plan date",
    "outcome says a plan was issued but there is no final plan date",
    "the request was received after the as-of date",
    "no date to judge the applicable limits against",
)
_NOTHING_TO_JUDGE = len(INVALID_REASONS) - 1

OUTCOMES: tuple[Outcome, ...] = tuple(Outcome)
STATUSES: tuple[Status, ...] = tuple(Status)
STATES: tuple[RuleState, ...] = tuple(RuleState)
DECISIONS: tuple[Decision, ...] = tuple(Decision)

#: Coded verdict columns and their labels (code i is labels[i]; -1 is None).
CODED: dict[str, tuple[str, ...]] = {
    Field.OUTCOME.value: tuple(OUTCOMES),
    "status": tuple(STATUSES),
    **{f"state_{s}": tuple(STATES) for s in SUFFIX.values()},
    "exception_kind": tuple(KINDS),
    "exception_note": NOTES,
    "invalid_reason": INVALID_REASONS,
}
#: Tri-state verdict columns (-1 None, 0 False, 1 True).
TRI_STATE_COLUMNS = ("exception_lawful", "exception_plausible")

#: Columns as the engine takes them: name -> numpy array (or pandas Series) of one length.
Columns = Mapping[str, Any]

#: Above this many rows, distinct values are found with pandas' hash table.
_HASH_THRESHOLD = 2048


@dataclass(frozen=True, slots=True)
class Settings:
    """How to judge: the as-of date, the day-count convention, the closures known."""

    as_of: date
    day_count: DayCount = DayCount.WITHIN
    closures: tuple[Closure, ...] | None = None
    """School closures of 4+ weeks; None means the default approximate summer holidays."""


def evaluate(cases: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Judge every case; return the verdict table (one row per input row, same index).

    The verdict table is the case table plus the verdict columns (see :func:`_judge`);
    coded columns (``status``, ``outcome``, ``state_<r>``, ...) are pandas categoricals.
    """
    import pandas as pd

    raw = _judge({c: cases[c] for c in cases.columns}, len(cases), settings)
    new: dict[str, Any] = {}
    for name, values in raw.items():
        if name in CODED:
            new[name] = pd.Categorical.from_codes(
                np.asarray(values, dtype=np.int8), dtype=pd.CategoricalDtype(list(CODED[name]))
            )
        elif name in TRI_STATE_COLUMNS:
            new[name] = TRI_STATE[values]
        else:
            new[name] = values
    columns: dict[str, Any] = {c: cases[c] for c in cases.columns if c not in new}
    columns.update({k: pd.Series(v, index=cases.index, copy=False) for k, v in new.items()})
    return pd.DataFrame(columns, copy=False)


def evaluate_columns(cols: Columns, n: int, settings: Settings) -> dict[str, npt.NDArray[Any]]:
    """Judge ``n`` cases given as columns; return the verdict columns as plain arrays
    (labels as str or None). Needs no pandas for small tables."""
    raw = _judge(cols, n, settings)
    return {
        name: _decode(values, CODED[name])
        if name in CODED
        else TRI_STATE[values]
        if name in TRI_STATE_COLUMNS
        else values
        for name, values in raw.items()
    }


def _codes(cols: Columns, name: str, n: int, lookup: Callable[[str], int]) -> Codes:
    """Code each value of a text column by ``lookup``, once per distinct value."""
    col = cols.get(name)
    if col is None:
        return np.full(n, -1, dtype=np.int8)
    if n > _HASH_THRESHOLD:
        import pandas as pd

        codes, uniques = pd.factorize(np.asarray(col, dtype=object), use_na_sentinel=True)
        table = np.array([*(lookup(str(u)) for u in uniques), -1], dtype=np.int8)
        return np.asarray(table[codes], dtype=np.int8)
    memo: dict[object, int] = {}
    out = np.full(n, -1, dtype=np.int8)
    for i, value in enumerate(np.asarray(col, dtype=object).tolist()):
        if not is_missing(value):
            if value not in memo:
                memo[value] = lookup(str(value))
            out[i] = memo[value]
    return out


def _index_of(labels: tuple[str, ...]) -> Callable[[str], int]:
    index = {label: i for i, label in enumerate(labels)}
    return lambda text: index.get(text.strip().lower(), -1)


def _dates(cols: Columns, name: str, n: int) -> DateArray:
    col = cols.get(name)
    if col is None:
        return np.full(n, NAT)
    arr = np.asarray(col)
    if arr.dtype.kind != "M":
        import pandas as pd

        arr = pd.to_datetime(pd.Series(col), errors="coerce").to_numpy()
    return arr.astype("datetime64[D]")


def _days(a: DateArray, b: DateArray) -> IntArray:
    """a - b in days; meaningless where either is NaT (mask it)."""
    return np.asarray((a - b).astype("timedelta64[D]").astype(np.int64), dtype=np.int64)


def _later(a: DateArray, b: DateArray) -> DateArray:
    """Element-wise later date, ignoring NaT on one side."""
    return np.where(np.isnat(a), b, np.where(np.isnat(b), a, np.maximum(a, b)))


def _code(labels: tuple[Any, ...], value: Any) -> np.int8:
    return np.int8(labels.index(value))


def _judge(cols: Columns, n: int, settings: Settings) -> dict[str, npt.NDArray[Any]]:
    """The verdict columns, coded.

    ``outcome`` (derived), ``status``, per rule ``deadline_<r>``, ``state_<r>``,
    ``days_late_<r>`` and ``boundary_<r>`` (the step was taken exactly on the default
    deadline day), the exception assessment (``exception_kind``, ``exception_lawful``,
    ``exception_plausible``, ``exception_accepted``, ``exception_note``), ``days_late``,
    ``weeks_to_final``, ``weeks_open``, ``days_to_final``, ``within_52w``,
    ``invalid_reason`` and ``after_as_of`` (a step was dated after the as-of date, so it was
    judged as not yet taken). Coded columns are listed in :data:`CODED`.
    """
    as_of = np.datetime64(settings.as_of, "D")
    day_one = settings.day_count is DayCount.DAY_ONE
    today = np.full(n, as_of)

    req = _dates(cols, Field.REQUEST_DATE, n)
    dec_d = _dates(cols, Field.ASSESS_DECISION_DATE, n)
    idec_d = _dates(cols, Field.ISSUE_DECISION_DATE, n)
    draft = _dates(cols, Field.DRAFT_DATE, n)
    final = _dates(cols, Field.FINAL_DATE, n)
    advice = _dates(cols, Field.SCHOOL_ADVICE_DATE, n)
    decision = _index_of(tuple(DECISIONS))
    assess = _codes(cols, Field.ASSESS_DECISION, n, decision)
    issue = _codes(cols, Field.ISSUE_DECISION, n, decision)
    stated = _codes(cols, Field.OUTCOME, n, _index_of(tuple(OUTCOMES)))
    d_no, d_pending = _code(DECISIONS, Decision.NO), _code(DECISIONS, Decision.PENDING)

    # --- as of: a step dated after the as-of date had not happened yet on it ---------------
    def after(arr: DateArray) -> BoolArray:
        return ~np.isnat(arr) & (arr > as_of)

    late_dec, late_idec, late_final = after(dec_d), after(idec_d), after(final)
    assess = np.where(late_dec, d_pending, assess).astype(np.int8)
    issue = np.where(late_idec, d_pending, issue).astype(np.int8)
    stated = np.where(late_dec | late_idec | late_final, -1, stated).astype(np.int8)
    dec_d, idec_d = np.where(late_dec, NAT, dec_d), np.where(late_idec, NAT, idec_d)
    draft_in = draft
    draft, final = np.where(after(draft), NAT, draft), np.where(late_final, NAT, final)
    future_request = after(req)

    # --- outcome -------------------------------------------------------------------------
    o = {k: _code(OUTCOMES, k) for k in OUTCOMES}
    has_final = ~np.isnat(final)
    stated_na = (stated == o[Outcome.WITHDRAWN]) | (stated == o[Outcome.TRANSFERRED_IN])
    no_plan = (issue == d_no) | (stated == o[Outcome.NO_PLAN])
    refused = (assess == d_no) | (stated == o[Outcome.REFUSED])
    by_outcome = (Outcome.PLAN_ISSUED, Outcome.NO_PLAN, Outcome.REFUSED, Outcome.PLAN_ISSUED)
    outcome = np.asarray(
        np.select(
            [stated_na, has_final, no_plan, refused, stated == o[Outcome.PLAN_ISSUED]],
            [stated, *(np.full(n, o[k]) for k in by_outcome)],
            default=o[Outcome.OPEN],
        ),
        dtype=np.int8,
    )
    is_plan = outcome == o[Outcome.PLAN_ISSUED]
    is_open = outcome == o[Outcome.OPEN]
    is_na = stated_na
    is_no_plan = outcome == o[Outcome.NO_PLAN]
    is_refused = outcome == o[Outcome.REFUSED]

    # --- validity: codes into INVALID_REASONS, first reason wins ---------------------------
    no_req = np.isnat(req)

    def before(arr: DateArray) -> BoolArray:
        return ~np.isnat(arr) & ~no_req & (arr < req)

    invalid_code = np.select(
        [
            no_req,
            before(final),
            before(dec_d),
            before(idec_d),
            before(draft),
            has_final & ~np.isnat(draft) & (final < draft),
            is_plan & ~has_final & ~is_na,
            future_request,
        ],
        list(range(_NOTHING_TO_JUDGE)),
        default=-1,
    ).astype(np.int8)
    invalid = invalid_code >= 0
    judged = ~invalid & ~is_na

    # --- deadlines -----------------------------------------------------------------------
    def deadline(code: RuleCode) -> DateArray:
        return req + np.timedelta64(RULES_BY_CODE[code].days - (1 if day_one else 0), "D")

    d6 = deadline(RuleCode.DECISION_6W)
    d16 = deadline(RuleCode.NO_PLAN_16W)
    d20 = deadline(RuleCode.FINAL_20W)
    d15 = draft + np.timedelta64(RULES_BY_CODE[RuleCode.COMMENT_15D].days, "D")

    out: dict[str, npt.NDArray[Any]] = {Field.OUTCOME.value: outcome}
    s = {k: _code(STATES, k) for k in STATES}
    states: dict[RuleCode, Codes] = {}
    lates: dict[RuleCode, IntArray] = {}

    def judge(
        code: RuleCode, applies: BoolArray, end: DateArray, due: DateArray, running: BoolArray
    ) -> None:
        """Judge a maximum: met / missed by the end date, or overdue / pending on as_of."""
        has_end = applies & ~np.isnat(end)
        running = applies & np.isnat(end) & running
        late_end = _days(end, due)
        late_open = _days(today, due)
        is_missed = has_end & (late_end > 0)
        is_overdue = running & (late_open > 0)
        state = np.select(
            [is_missed, has_end, is_overdue, running, applies],
            [s[k] for k in (RuleState.MISSED, RuleState.MET, RuleState.OVERDUE)]
            + [s[RuleState.PENDING], s[RuleState.NOT_JUDGED]],
            default=-1,
        ).astype(np.int8)
        days_late = np.where(is_missed, late_end, np.where(is_overdue, late_open, 0))
        states[code] = state
        lates[code] = days_late
        suffix = SUFFIX[code]
        default_due = req + np.timedelta64(RULES_BY_CODE[code].days, "D")
        out[f"deadline_{suffix}"] = np.where(applies, due, NAT)
        out[f"state_{suffix}"] = state
        out[f"days_late_{suffix}"] = days_late
        out[f"boundary_{suffix}"] = has_end & (end == default_due)

    # 6W: every judged request. Running only while the decision is explicitly pending.
    judge(RuleCode.DECISION_6W, judged, dec_d, d6, is_open & (assess == d_pending))
    # 16W: assessed, no plan.
    judge(RuleCode.NO_PLAN_16W, judged & is_no_plan, idec_d, d16, np.zeros(n, dtype=bool))
    # 20W: plans issued, and open cases past (or at an unknown stage of) the decision.
    open_20 = is_open & (assess != d_pending)
    judge(RuleCode.FINAL_20W, judged & (is_plan | open_20), final, d20, open_20)

    # 15D: a minimum: missed when final - draft < 15 days.
    applies_15 = judged & has_final & ~np.isnat(draft)
    short = np.where(applies_15, _days(d15, final), 0)
    miss_15 = applies_15 & (short > 0)
    states[RuleCode.COMMENT_15D] = np.where(
        applies_15, np.where(miss_15, s[RuleState.MISSED], s[RuleState.MET]), -1
    ).astype(np.int8)
    lates[RuleCode.COMMENT_15D] = np.where(miss_15, short, 0)
    out["deadline_15d"] = np.where(applies_15, d15, NAT)
    out["state_15d"] = states[RuleCode.COMMENT_15D]
    out["days_late_15d"] = lates[RuleCode.COMMENT_15D]
    out["boundary_15d"] = np.zeros(n, dtype=bool)

    # --- exceptions ----------------------------------------------------------------------
    kind = _codes(cols, Field.EXCEPTION, n, kind_code)
    has_claim = kind >= 0
    window_due = np.select([is_no_plan, is_refused], [d16, d6], default=d20)
    window_end = np.select([is_open, is_no_plan, is_refused], [today, idec_d, dec_d], default=final)
    plausible = plausibility(kind, req, _later(window_due, window_end), advice, settings.closures)
    lawful20 = lawful_table(RuleCode.FINAL_20W)[kind]
    accepted = has_claim & (lawful20 != 0) & (plausible != 0)
    excused_any = np.zeros(n, dtype=bool)
    unexcused = miss_15.copy()
    for code in (RuleCode.DECISION_6W, RuleCode.NO_PLAN_16W, RuleCode.FINAL_20W):
        ok = has_claim & (lawful_table(code)[kind] != 0) & (plausible != 0)
        done_late = states[code] == s[RuleState.MISSED]
        excused_any |= done_late & ok
        unexcused |= done_late & ~ok
    out["exception_kind"] = kind
    out["exception_lawful"] = lawful20
    out["exception_plausible"] = np.where(has_claim, plausible, -1).astype(np.int8)
    out["exception_accepted"] = accepted
    out["exception_note"] = note_codes(kind, plausible)

    # --- status --------------------------------------------------------------------------
    overdue = (states[RuleCode.DECISION_6W] == s[RuleState.OVERDUE]) | (
        states[RuleCode.FINAL_20W] == s[RuleState.OVERDUE]
    )
    judged_any = np.zeros(n, dtype=bool)
    for state in states.values():
        judged_any |= (state >= 0) & (state <= s[RuleState.OVERDUE])
    nothing = judged & ~is_open & ~judged_any
    invalid_code = np.where(nothing, _NOTHING_TO_JUDGE, invalid_code).astype(np.int8)
    invalid |= nothing
    st = {k: _code(STATUSES, k) for k in STATUSES}
    out["status"] = np.select(
        [invalid, is_na, overdue, unexcused, excused_any, is_open],
        [st[k] for k in (Status.INVALID, Status.NOT_APPLICABLE, Status.OVERDUE, Status.LATE)]
        + [st[Status.LATE_EXCEPTION], st[Status.OPEN]],
        default=st[Status.ON_TIME],
    ).astype(np.int8)
    out["invalid_reason"] = invalid_code
    out["after_as_of"] = late_dec | late_idec | late_final | after(draft_in)

    worst = np.zeros(n, dtype=np.int64)
    for days in lates.values():
        worst = np.maximum(worst, days)
    out["days_late"] = np.where(invalid | is_na, 0, worst)
    span_final = _days(final, req)
    span_open = _days(today, req)
    valid_final = has_final & ~invalid
    out["weeks_to_final"] = np.where(valid_final, np.round(span_final / 7, 1), np.nan)
    out["weeks_open"] = np.where(is_open & ~invalid, np.round(span_open / 7, 1), np.nan)
    out["days_to_final"] = np.where(valid_final, span_final, -1)
    edge_52 = req + np.timedelta64(WEEKS_52_DAYS - (1 if day_one else 0), "D")
    out["within_52w"] = valid_final & (final <= edge_52)
    return out
