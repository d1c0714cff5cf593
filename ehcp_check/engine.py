"""Evaluate the statutory rules over a table of cases, column by column.

One engine for one case and a million: the single-case command builds a one-row table and
calls :func:`evaluate`. No clock is read here; ``as_of`` is a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .model import DayCount, Decision, Field, Outcome, Status

if TYPE_CHECKING:
    import pandas as pd

from .rules import (
    COVID_END,
    COVID_START,
    EXCEPTIONS_BY_KIND,
    FOUR_WEEKS_DAYS,
    RULES_BY_CODE,
    WEEKS_52_DAYS,
    Closure,
    ExceptionKind,
    RuleCode,
    classify_exception,
    default_summer_closures,
)

DateArray = npt.NDArray[np.datetime64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

NAT = np.datetime64("NaT", "D")
#: A scalar ``None`` that numpy's typed ``where`` / ``select`` accept as a choice.
NONE = np.array(None, dtype=object)
ONE_DAY = np.timedelta64(1, "D")


class RuleState:
    """Per-rule state values in the ``state_<rule>`` columns."""

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


@dataclass(frozen=True, slots=True)
class Settings:
    """How to judge: the as-of date, the day-count convention, the closures known."""

    as_of: date
    day_count: DayCount = DayCount.WITHIN
    closures: tuple[Closure, ...] | None = None
    """School closures of 4+ weeks; None means the default approximate summer holidays."""


#: Columns as the engine takes them: name -> numpy array (or pandas Series) of one length.
Columns = Mapping[str, Any]

#: Above this many rows, distinct values are found with pandas' hash table.
_HASH_THRESHOLD = 2048


def _dates(cols: Columns, name: str, n: int) -> DateArray:
    col = cols.get(name)
    if col is None:
        return np.full(n, NAT)
    arr = np.asarray(col)
    if arr.dtype.kind != "M":
        import pandas as pd

        arr = pd.to_datetime(pd.Series(col), errors="coerce").to_numpy()
    return arr.astype("datetime64[D]")


def _text(cols: Columns, name: str, n: int) -> npt.NDArray[np.object_]:
    """Object array of str or None (None, NaN, NA and NaT read as None; others as text)."""
    col = cols.get(name)
    if col is None:
        return np.full(n, None, dtype=object)
    values = np.asarray(col, dtype=object)
    if n > _HASH_THRESHOLD:
        import pandas as pd

        missing = np.asarray(pd.isna(values), dtype=bool)
    else:
        missing = np.fromiter((_is_missing(v) for v in values.tolist()), dtype=bool, count=n)
    text = np.where(missing, NONE, values)
    if str(getattr(col, "dtype", "")) in ("str", "string"):
        return np.asarray(text, dtype=object)  # a string column: every value present is str
    odd = ~missing & np.fromiter((type(v) is not str for v in text.tolist()), bool, count=n)
    if odd.any():
        text[odd] = [str(v) for v in text[odd].tolist()]
    return np.asarray(text, dtype=object)


def _is_missing(value: object) -> bool:
    return (
        value is None
        or (isinstance(value, float) and value != value)
        or type(value).__name__ in ("NAType", "NaTType")
    )


def _days(a: DateArray, b: DateArray) -> IntArray:
    """a - b in days; meaningless where either is NaT (mask it)."""
    diff = (a - b).astype("timedelta64[D]").astype(np.int64)
    return np.asarray(diff, dtype=np.int64)


def _later(a: DateArray, b: DateArray) -> DateArray:
    """Element-wise later date, ignoring NaT on one side."""
    return np.where(np.isnat(a), b, np.where(np.isnat(b), a, np.maximum(a, b)))


def evaluate(cases: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Judge every case; return the verdict table (one row per input row, same index).

    The verdict table is the case table with the columns of :func:`evaluate_columns` added.
    """
    verdict = evaluate_columns({c: cases[c] for c in cases.columns}, len(cases), settings)
    out = cases.copy()
    for name, values in verdict.items():
        out[name] = values
    return out


def evaluate_columns(cols: Columns, n: int, settings: Settings) -> dict[str, npt.NDArray[Any]]:
    """Judge ``n`` cases given as columns; return the verdict columns (pandas not needed).

    The verdict table holds the input columns, the derived ``outcome``, ``status``, per
    rule ``deadline_<r>``, ``state_<r>``, ``days_late_<r>`` and ``boundary_<r>`` (the step
    was taken exactly on the default deadline day), the exception assessment
    (``exception_kind``, ``exception_lawful``, ``exception_plausible``,
    ``exception_accepted``, ``exception_note``), ``days_late``, ``weeks_to_final``,
    ``weeks_open`` and ``invalid_reason``.
    """
    as_of = np.datetime64(settings.as_of, "D")
    day_one = settings.day_count is DayCount.DAY_ONE

    req = _dates(cols, Field.REQUEST_DATE, n)
    dec_d = _dates(cols, Field.ASSESS_DECISION_DATE, n)
    idec_d = _dates(cols, Field.ISSUE_DECISION_DATE, n)
    draft = _dates(cols, Field.DRAFT_DATE, n)
    final = _dates(cols, Field.FINAL_DATE, n)
    advice = _dates(cols, Field.SCHOOL_ADVICE_DATE, n)
    assess = _text(cols, Field.ASSESS_DECISION, n)
    issue = _text(cols, Field.ISSUE_DECISION, n)
    stated = _text(cols, Field.OUTCOME, n)

    # --- outcome -------------------------------------------------------------------------
    has_final = ~np.isnat(final)
    stated_na = np.isin(stated, [Outcome.WITHDRAWN, Outcome.TRANSFERRED_IN])
    no_plan = (issue == Decision.NO) | (stated == Outcome.NO_PLAN)
    refused = (assess == Decision.NO) | (stated == Outcome.REFUSED)
    outcome = np.select(
        [stated_na, has_final, no_plan, refused, stated == Outcome.PLAN_ISSUED],
        [stated, Outcome.PLAN_ISSUED, Outcome.NO_PLAN, Outcome.REFUSED, Outcome.PLAN_ISSUED],
        default=Outcome.OPEN,
    ).astype(object)
    is_plan = outcome == Outcome.PLAN_ISSUED
    is_open = outcome == Outcome.OPEN
    is_na = np.isin(outcome, [Outcome.WITHDRAWN, Outcome.TRANSFERRED_IN])

    # --- validity ------------------------------------------------------------------------
    no_req = np.isnat(req)
    before: dict[str, BoolArray] = {
        name: ~np.isnat(arr) & ~no_req & (arr < req)
        for name, arr in (
            (Field.ASSESS_DECISION_DATE, dec_d),
            (Field.ISSUE_DECISION_DATE, idec_d),
            (Field.DRAFT_DATE, draft),
            (Field.FINAL_DATE, final),
        )
    }
    final_before_draft = has_final & ~np.isnat(draft) & (final < draft)
    plan_no_date = is_plan & ~has_final
    invalid_reason = np.select(
        [
            no_req,
            before[Field.FINAL_DATE],
            before[Field.ASSESS_DECISION_DATE],
            before[Field.ISSUE_DECISION_DATE],
            before[Field.DRAFT_DATE],
            final_before_draft,
            plan_no_date & ~is_na,
        ],
        [
            "no readable request date",
            "final plan date is before the request date",
            "decision-to-assess date is before the request date",
            "decision-to-issue date is before the request date",
            "draft plan date is before the request date",
            "final plan date is before the draft plan date",
            "outcome says a plan was issued but there is no final plan date",
        ],
        default="",
    ).astype(object)
    invalid = invalid_reason != ""
    judged = ~invalid & ~is_na

    # --- deadlines -----------------------------------------------------------------------
    def deadline(code: RuleCode) -> DateArray:
        rule = RULES_BY_CODE[code]
        return req + np.timedelta64(rule.days - (1 if day_one else 0), "D")

    d6 = deadline(RuleCode.DECISION_6W)
    d16 = deadline(RuleCode.NO_PLAN_16W)
    d20 = deadline(RuleCode.FINAL_20W)
    d15 = draft + np.timedelta64(RULES_BY_CODE[RuleCode.COMMENT_15D].days, "D")

    out: dict[str, npt.NDArray[Any]] = {Field.OUTCOME.value: outcome}
    states: dict[RuleCode, npt.NDArray[np.object_]] = {}
    lates: dict[RuleCode, IntArray] = {}
    missed: dict[RuleCode, BoolArray] = {}

    def judge(
        code: RuleCode,
        applies: BoolArray,
        end: DateArray,
        due: DateArray,
        open_clock: BoolArray,
    ) -> None:
        """Judge a maximum: met / missed by the end date, or overdue / pending on as_of."""
        has_end = applies & ~np.isnat(end)
        running = applies & np.isnat(end) & open_clock
        late_end = _days(end, due)
        late_open = _days(np.full(n, as_of), due)
        is_missed = has_end & (late_end > 0)
        is_overdue = running & (late_open > 0)
        state = np.select(
            [is_missed, has_end, is_overdue, running, applies],
            [
                RuleState.MISSED,
                RuleState.MET,
                RuleState.OVERDUE,
                RuleState.PENDING,
                RuleState.NOT_JUDGED,
            ],
            default=NONE,
        ).astype(object)
        days_late = np.where(is_missed, late_end, np.where(is_overdue, late_open, 0))
        states[code] = state
        lates[code] = days_late.astype(np.int64)
        missed[code] = is_missed | is_overdue
        suffix = SUFFIX[code]
        default_due = req + np.timedelta64(RULES_BY_CODE[code].days, "D")
        out[f"deadline_{suffix}"] = np.where(applies, due, NAT)
        out[f"state_{suffix}"] = state
        out[f"days_late_{suffix}"] = days_late
        out[f"boundary_{suffix}"] = has_end & (end == default_due)

    # 6W: every judged request. Running only while the decision is explicitly pending.
    judge(RuleCode.DECISION_6W, judged, dec_d, d6, is_open & (assess == Decision.PENDING))
    # 16W: assessed, no plan.
    no_plan_case = judged & (outcome == Outcome.NO_PLAN)
    judge(RuleCode.NO_PLAN_16W, no_plan_case, idec_d, d16, np.zeros(n, dtype=bool))
    # 20W: plans issued, and open cases past (or at an unknown stage of) the decision.
    open_20 = is_open & (assess != Decision.PENDING)
    judge(RuleCode.FINAL_20W, judged & (is_plan | open_20), final, d20, open_20)

    # 15D: a minimum: missed when final - draft < 15 days.
    applies_15 = judged & has_final & ~np.isnat(draft)
    short = np.where(applies_15, _days(d15, final), 0)
    miss_15 = applies_15 & (short > 0)
    states[RuleCode.COMMENT_15D] = np.where(
        applies_15, np.where(miss_15, RuleState.MISSED, RuleState.MET), NONE
    ).astype(object)
    lates[RuleCode.COMMENT_15D] = np.where(miss_15, short, 0).astype(np.int64)
    missed[RuleCode.COMMENT_15D] = miss_15
    out["deadline_15d"] = np.where(applies_15, d15, NAT)
    out["state_15d"] = states[RuleCode.COMMENT_15D]
    out["days_late_15d"] = lates[RuleCode.COMMENT_15D]
    out["boundary_15d"] = np.zeros(n, dtype=bool)

    # --- exceptions ----------------------------------------------------------------------
    raw = _text(cols, Field.EXCEPTION, n)
    kind = _classify(raw)
    has_claim = kind != None  # noqa: E711 - element-wise comparison on an object array
    main_due = np.select(
        [outcome == Outcome.NO_PLAN, outcome == Outcome.REFUSED], [d16, d6], default=d20
    )
    main_end = np.select(
        [is_open, outcome == Outcome.NO_PLAN, outcome == Outcome.REFUSED],
        [np.full(n, as_of), idec_d, dec_d],
        default=final,
    )
    win_start = req
    win_end = _later(main_due, main_end)
    plausible = _plausibility(kind, win_start, win_end, advice, settings, req)
    lawful20 = _lawful(kind, RuleCode.FINAL_20W)
    accepted = has_claim & (lawful20 != False) & (plausible != False)  # noqa: E712
    excused_any = np.zeros(n, dtype=bool)
    unexcused = np.zeros(n, dtype=bool)
    for code in (RuleCode.DECISION_6W, RuleCode.NO_PLAN_16W, RuleCode.FINAL_20W):
        lawful_here = _lawful(kind, code)
        ok = has_claim & (lawful_here != False) & (plausible != False)  # noqa: E712
        done_late = states[code] == RuleState.MISSED
        excused_any |= done_late & ok
        unexcused |= done_late & ~ok
    unexcused |= miss_15

    out["exception_kind"] = np.where(has_claim, kind, NONE)
    out["exception_lawful"] = np.where(has_claim, lawful20, NONE)
    out["exception_plausible"] = np.where(has_claim, plausible, NONE)
    out["exception_accepted"] = accepted
    out["exception_note"] = _notes(kind, plausible)

    # --- status --------------------------------------------------------------------------
    overdue = np.zeros(n, dtype=bool)
    for code in (RuleCode.DECISION_6W, RuleCode.FINAL_20W):
        overdue |= states[code] == RuleState.OVERDUE
    judged_any = np.zeros(n, dtype=bool)
    for state in states.values():
        judged_any |= np.isin(state, [RuleState.MET, RuleState.MISSED, RuleState.OVERDUE])
    nothing = judged & ~is_open & ~judged_any
    invalid_reason = np.where(
        nothing, "no date to judge the applicable limits against", invalid_reason
    )
    invalid = invalid | nothing
    status = np.select(
        [invalid, is_na, overdue, unexcused, excused_any, is_open],
        [
            Status.INVALID,
            Status.NOT_APPLICABLE,
            Status.OVERDUE,
            Status.LATE,
            Status.LATE_EXCEPTION,
            Status.OPEN,
        ],
        default=Status.ON_TIME,
    ).astype(object)
    out["status"] = status
    out["invalid_reason"] = np.where(invalid, invalid_reason, NONE)

    worst = np.zeros(n, dtype=np.int64)
    for code, days in lates.items():
        worst = np.maximum(worst, np.where(missed[code], days, 0))
    out["days_late"] = np.where(invalid | is_na, 0, worst)
    span_final = _days(final, req)
    span_open = _days(np.full(n, as_of), req)
    out["weeks_to_final"] = np.where(has_final & ~invalid, np.round(span_final / 7, 1), np.nan)
    out["weeks_open"] = np.where(is_open & ~invalid, np.round(span_open / 7, 1), np.nan)
    out["days_to_final"] = np.where(has_final & ~invalid, span_final, -1)
    out["within_52w"] = (
        has_final
        & ~invalid
        & (final <= req + np.timedelta64(WEEKS_52_DAYS - (1 if day_one else 0), "D"))
    )
    return out


def _classify(raw: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """Classify each distinct raw claim once, then map back."""
    kinds = np.full(len(raw), None, dtype=object)
    if not len(raw):
        return kinds
    if len(raw) <= _HASH_THRESHOLD:
        known = {v: classify_exception(v) for v in set(raw.tolist())}
        return np.array([known[v] for v in raw.tolist()], dtype=object)
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(raw, dtype=object), use_na_sentinel=True)
    lookup = np.array([classify_exception(str(u)) for u in uniques.tolist()] + [None], dtype=object)
    return np.asarray(lookup[codes], dtype=object)


def _lawful(kind: npt.NDArray[np.object_], code: RuleCode) -> npt.NDArray[np.object_]:
    """Per case: True / False whether the claimed kind can excuse ``code``; None when the
    claim carries no reason (accepted as claimed) or there is no claim."""
    result = np.full(len(kind), None, dtype=object)
    for k, rule in EXCEPTIONS_BY_KIND.items():
        if rule.lawful is not None:
            result[kind == k] = code in rule.excuses
    return result


def _plausibility(
    kind: npt.NDArray[np.object_],
    start: DateArray,
    end: DateArray,
    advice: DateArray,
    settings: Settings,
    req: DateArray,
) -> npt.NDArray[np.object_]:
    """True / False where the dates can test the claim, None where they cannot."""
    n = len(kind)
    result = np.full(n, None, dtype=object)
    covid = kind == ExceptionKind.COVID
    if covid.any():
        touches = (start <= np.datetime64(COVID_END, "D")) & (
            end >= np.datetime64(COVID_START, "D")
        )
        result[covid] = touches[covid]
    absence = kind == ExceptionKind.ABSENCE
    if absence.any():
        result[absence] = (_days(end, start) >= FOUR_WEEKS_DAYS)[absence]
    closure = np.isin(kind, [ExceptionKind.SCHOOL_CLOSURE, ExceptionKind.EARLY_YEARS_CLOSURE])
    if closure.any():
        closures = _closures_for(settings, req[closure], end[closure])
        overlap = np.zeros(n, dtype=bool)
        in_window = np.zeros(n, dtype=bool)
        for c in closures:
            if c.days < FOUR_WEEKS_DAYS:
                continue
            first, last = np.datetime64(c.first, "D"), np.datetime64(c.last, "D")
            w_from, w_to = (np.datetime64(d, "D") for d in c.advice_window)
            overlap |= (start <= last) & (end >= first)
            in_window |= ~np.isnat(advice) & (advice >= w_from) & (advice <= w_to)
        known = ~np.isnat(advice)
        result[closure] = np.where(known, in_window, overlap)[closure]
    return result


def _closures_for(settings: Settings, start: DateArray, end: DateArray) -> tuple[Closure, ...]:
    if settings.closures is not None:
        return settings.closures
    valid = ~np.isnat(start)
    if not valid.any():
        return ()
    first = int(str(start[valid].min())[:4])
    ends = end[~np.isnat(end)]
    last = int(str(ends.max())[:4]) if len(ends) else first
    return default_summer_closures(first, max(first, last))


_NOTE_BY_KIND: dict[ExceptionKind, str] = {
    ExceptionKind.FLAG: "Exception recorded without a reason: accepted as claimed, not checked.",
    ExceptionKind.UNRECOGNISED: (
        "Reason not recognised: accepted as claimed. Read it; a resource reason is not lawful."
    ),
    ExceptionKind.NOT_LAWFUL: (
        "Not a lawful exception: resource pressure does not excuse a statutory time limit."
    ),
    ExceptionKind.MISSED_APPOINTMENT: (
        "Not a lawful exception here: a missed appointment excuses only late professional "
        "advice (reg 8(2)(c)), not the 6-, 16- or 20-week limits."
    ),
    ExceptionKind.PERSONAL_CIRCUMSTANCES: (
        "Exceptional personal circumstances (reg 10(4)(c)): lawful if they made the limit "
        "impractical; the dates cannot test this."
    ),
}

_NOTE_PLAUSIBLE: dict[tuple[ExceptionKind, bool], str] = {
    (ExceptionKind.COVID, True): "Coronavirus (SI 2020/471): the case ran during the 2020 window.",
    (ExceptionKind.COVID, False): (
        "Coronavirus claimed, but the case does not touch 1 May - 25 September 2020: not plausible."
    ),
    (ExceptionKind.SCHOOL_CLOSURE, True): (
        "School closure (reg 10(4)(a)): the case overlaps a closure of 4 weeks or more."
    ),
    (ExceptionKind.SCHOOL_CLOSURE, False): (
        "School closure claimed, but no closure of 4 weeks or more fits the case's dates "
        "(or the school's advice was not asked in the statutory window): not plausible."
    ),
    (ExceptionKind.EARLY_YEARS_CLOSURE, True): (
        "Early-years closure (reg 10(4)(b)): the case overlaps a closure of 4 weeks or more."
    ),
    (ExceptionKind.EARLY_YEARS_CLOSURE, False): (
        "Early-years closure claimed, but no closure of 4 weeks or more fits the case's "
        "dates: not plausible."
    ),
    (ExceptionKind.ABSENCE, True): (
        "Absence from the area (reg 10(4)(d)): the case is long enough for a 4-week absence."
    ),
    (ExceptionKind.ABSENCE, False): (
        "Absence claimed, but the case is shorter than the 4 weeks the law requires: not plausible."
    ),
}


def _notes(
    kind: npt.NDArray[np.object_], plausible: npt.NDArray[np.object_]
) -> npt.NDArray[np.object_]:
    notes = np.full(len(kind), None, dtype=object)
    for k, text in _NOTE_BY_KIND.items():
        notes[kind == k] = text
    for (k, p), text in _NOTE_PLAUSIBLE.items():
        notes[(kind == k) & (plausible == p)] = text
    return notes


def rule_columns(codes: Sequence[RuleCode] | None = None) -> list[str]:
    """Names of the per-rule verdict columns, for renderers."""
    names: list[str] = []
    for code in codes or list(SUFFIX):
        s = SUFFIX[code]
        names += [f"deadline_{s}", f"state_{s}", f"days_late_{s}", f"boundary_{s}"]
    return names
