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

from .claims import (
    KINDS,
    NOTES,
    TRI_STATE,
    UNKNOWN,
    detail_code,
    excuse,
    kind_code,
    lawful_codes,
    plausibility,
    step_code,
)
from .claims import decode as _decode
from .model import (
    Caveat,
    DayCount,
    Decision,
    Field,
    Outcome,
    Status,
    caveat_bit,
    is_missing,
    withheld_bit,
)
from .rules import RULES_BY_CODE, WEEKS_52_DAYS, Closure, RuleCode, Step

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
    **{f"excuse_note_{s}": NOTES for s in SUFFIX.values()},
    "invalid_reason": INVALID_REASONS,
}
#: Optional input column: the day the family received the draft plan (the day it was
#: served, reg 13(1)(a)); the 15 days are counted from it when known.
DRAFT_RECEIVED = "draft_received_date"

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

    raw = _judge_in_blocks({c: cases[c] for c in cases.columns}, len(cases), settings)
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


#: Rows judged at a time: every case is judged on its own row alone, and blocks of this size
#: keep the engine's temporary arrays in the processor's cache, so the cost per row does
#: not grow with the table (a million rows in one block ran 1.4x slower).
BLOCK_ROWS = 65_536


def _judge_in_blocks(cols: Columns, n: int, settings: Settings) -> dict[str, npt.NDArray[Any]]:
    """:func:`_judge` block by block of :data:`BLOCK_ROWS` rows (the same columns)."""
    if n <= BLOCK_ROWS:
        return _judge(cols, n, settings)
    plain = {name: _plain(col) for name, col in cols.items()}
    out: dict[str, npt.NDArray[Any]] = {}
    for start in range(0, n, BLOCK_ROWS):
        stop = min(n, start + BLOCK_ROWS)
        block = {name: _rows(col, start, stop) for name, col in plain.items()}
        part = _judge(block, stop - start, settings)
        if not out:  # each verdict column once, whole: no list of parts, no concatenation
            out = {name: np.empty(n, dtype=_whole_dtype(values)) for name, values in part.items()}
        for name, values in part.items():
            whole = out[name]
            if _whole_dtype(values) != whole.dtype:  # never expected; widen, never cut
                whole = out[name] = whole.astype(np.result_type(whole, values))
            whole[start:stop] = values
    return out


def _whole_dtype(values: npt.NDArray[Any]) -> np.dtype[Any]:
    """The type of a whole verdict column: dates in days are held in seconds, the coarsest
    unit pandas holds (it would convert a column of days in a pass of its own), so each
    block is converted as it is copied in."""
    return np.dtype("datetime64[s]") if values.dtype == np.dtype("datetime64[D]") else values.dtype


def _plain(col: Any) -> Any:
    """A Series held in a numpy array as that array (no copy; slicing it per block costs
    nothing, where ``iloc`` costs a new Series each time); any other column as it is."""
    if hasattr(col, "iloc") and isinstance(col.dtype, np.dtype):
        return col.to_numpy(copy=False)
    return col


def _rows(col: Any, start: int, stop: int) -> Any:
    """Rows ``start:stop`` of a column (a Series or an array), without a copy."""
    return col.iloc[start:stop] if hasattr(col, "iloc") else col[start:stop]


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
    return _multi_codes(cols, name, n, lookup)[0]


def _multi_codes(cols: Columns, name: str, n: int, *lookups: Callable[[str], int]) -> list[Codes]:
    """Code each value of a text column by each of ``lookups``, the column factorised once."""
    col = cols.get(name)
    if col is None:
        return [np.full(n, -1, dtype=np.int8) for _ in lookups]
    if n > _HASH_THRESHOLD:
        import pandas as pd

        found, values = pd.factorize(np.asarray(col, dtype=object), use_na_sentinel=True)
        codes, uniques = np.asarray(found, dtype=np.intp), values.tolist()
        coded: list[Codes] = []
        for lookup in lookups:
            table = np.array([*(lookup(str(u)) for u in uniques), -1], dtype=np.int8)
            coded.append(np.asarray(table[codes], dtype=np.int8))
        return coded
    memos: list[dict[object, int]] = [{} for _ in lookups]
    outs = [np.full(n, -1, dtype=np.int8) for _ in lookups]
    for i, value in enumerate(np.asarray(col, dtype=object).tolist()):
        if not is_missing(value):
            for memo, lookup, coded_row in zip(memos, lookups, outs, strict=True):
                if value not in memo:
                    memo[value] = lookup(str(value))
                coded_row[i] = memo[value]
    return outs


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


def _numbers(cols: Columns, name: str, n: int) -> npt.NDArray[np.float64]:
    """A numeric column as floats (NaN where missing or absent)."""
    col = cols.get(name)
    if col is None:
        return np.full(n, np.nan)
    arr = np.asarray(col)
    if arr.dtype.kind in "iufb":
        return arr.astype(np.float64)
    import pandas as pd

    return np.asarray(
        pd.to_numeric(pd.Series(arr, dtype=object), errors="coerce"), dtype=np.float64
    )


def _mask(cols: Columns, name: str, n: int) -> IntArray:
    """An integer bit-mask column (0 where missing or absent)."""
    values = _numbers(cols, name, n)
    return np.where(np.isnan(values), 0, values).astype(np.int64)


def _judge(cols: Columns, n: int, settings: Settings) -> dict[str, npt.NDArray[Any]]:
    """The verdict columns, coded.

    ``outcome`` (derived), ``status``, per rule ``deadline_<r>``, ``state_<r>``,
    ``days_late_<r>``, ``boundary_<r>`` (the step was taken exactly on the default
    deadline day), ``excused_<r>`` (an exception claim is accepted for that limit) and
    ``excuse_note_<r>`` (why, for every limit that applies to a case with a claim), the
    case-level exception assessment (``exception_kind``, ``exception_lawful``,
    ``exception_plausible``, ``exception_accepted``, ``exception_note``: judged on the
    case's main limit), ``days_late``, ``weeks_to_final``, ``weeks_open``,
    ``days_to_final``, ``within_52w``, ``invalid_reason``, ``after_as_of`` (a step was
    dated after the as-of date, so it was judged as not yet taken) and ``caveats`` (the
    ingest mask with the engine's own bits added). Coded columns are listed in
    :data:`CODED`.
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
    received = _dates(cols, DRAFT_RECEIVED, n)
    decision = _index_of(tuple(DECISIONS))
    assess = _codes(cols, Field.ASSESS_DECISION, n, decision)
    issue = _codes(cols, Field.ISSUE_DECISION, n, decision)
    stated = _codes(cols, Field.OUTCOME, n, _index_of(tuple(OUTCOMES)))
    d_yes, d_no = _code(DECISIONS, Decision.YES), _code(DECISIONS, Decision.NO)
    d_pending = _code(DECISIONS, Decision.PENDING)

    # --- withheld dates and the caveats ingest set (optional columns) ---------------------
    withheld = _mask(cols, "withheld", n)
    caveats = _mask(cols, "caveats", n)

    def held(f: Field) -> BoolArray:
        return np.asarray((withheld & withheld_bit(f)) != 0)

    wh_dec, wh_idec = held(Field.ASSESS_DECISION_DATE), held(Field.ISSUE_DECISION_DATE)
    wh_draft, wh_final = held(Field.DRAFT_DATE), held(Field.FINAL_DATE)
    no_final_col = (caveats & caveat_bit(Caveat.NO_FINAL_DATE_COLUMN)) != 0
    within_20 = _codes(cols, "stated_within_20w", n, decision)
    stated_span = _numbers(cols, "stated_days_to_final", n)
    has_span = ~np.isnan(stated_span)
    from_stated = no_final_col & np.isnat(final) & (has_span | (within_20 == d_yes))
    from_stated |= no_final_col & np.isnat(final) & (within_20 == d_no)
    from_stated &= ~wh_final

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
    received = np.where(after(received), NAT, received)
    future_request = after(req)

    # --- outcome -------------------------------------------------------------------------
    o = {k: _code(OUTCOMES, k) for k in OUTCOMES}
    has_final = ~np.isnat(final)
    plan_event = has_final | wh_final | from_stated
    withdrawn = stated == o[Outcome.WITHDRAWN]
    stated_na = withdrawn | (stated == o[Outcome.TRANSFERRED_IN])
    no_plan = (issue == d_no) | (stated == o[Outcome.NO_PLAN])
    refused = (assess == d_no) | (stated == o[Outcome.REFUSED])
    by_outcome = (Outcome.PLAN_ISSUED, Outcome.NO_PLAN, Outcome.REFUSED, Outcome.PLAN_ISSUED)
    outcome = np.asarray(
        np.select(
            [stated_na, plan_event, no_plan, refused, stated == o[Outcome.PLAN_ISSUED]],
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
            is_plan & ~plan_event & ~no_final_col & ~is_na,
            future_request,
        ],
        list(range(_NOTHING_TO_JUDGE)),
        default=-1,
    ).astype(np.int8)
    invalid = invalid_code >= 0
    judged = ~invalid & ~is_na
    # A withdrawn request keeps the limits already complete on known dates (statute.md s.4).
    kept = ~invalid & withdrawn

    # --- deadlines -----------------------------------------------------------------------
    def deadline(code: RuleCode) -> DateArray:
        return req + np.timedelta64(RULES_BY_CODE[code].days - (1 if day_one else 0), "D")

    d6 = deadline(RuleCode.DECISION_6W)
    d16 = deadline(RuleCode.NO_PLAN_16W)
    d20 = deadline(RuleCode.FINAL_20W)
    served: DateArray = np.where(np.isnat(received), draft, received)
    d15: DateArray = served + np.timedelta64(RULES_BY_CODE[RuleCode.COMMENT_15D].days, "D")

    out: dict[str, npt.NDArray[Any]] = {Field.OUTCOME.value: outcome}
    s = {k: _code(STATES, k) for k in STATES}
    states: dict[RuleCode, Codes] = {}
    lates: dict[RuleCode, IntArray] = {}
    zeros = np.zeros(n, dtype=bool)

    def judge(
        code: RuleCode,
        applies: BoolArray,
        end: DateArray,
        due: DateArray,
        running: BoolArray,
        unknown_end: BoolArray,
    ) -> None:
        """Judge a maximum: met / missed by the end date, or overdue / pending on as_of.
        ``unknown_end``: the end event happened on a withheld date (not judged)."""
        has_end = applies & ~np.isnat(end) & ~unknown_end
        running = applies & np.isnat(end) & running & ~unknown_end
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

    # 6W: every judged request (and a withdrawn one decided on a known date). It runs while
    # the decision is pending, or while nothing shows a decision was made (statute.md s.4).
    no_later_step = (
        np.isnat(draft) & np.isnat(idec_d) & (issue < 0) & ~wh_draft & ~wh_idec & ~wh_final
    )
    # A sheet with no decision column says nothing either way: no 6W overdue is claimed from
    # it (caveat ``no-decision-column`` kept only where that made the difference).
    no_dec_column = (caveats & caveat_bit(Caveat.NO_DECISION_COLUMN)) != 0
    silent = np.isnat(dec_d) & (assess < 0) & no_later_step
    undecided = np.isnat(dec_d) & ((assess == d_pending) | (silent & ~no_dec_column))
    caveats = np.where(
        no_dec_column & ~(is_open & silent & (today > d6)),
        caveats & ~np.int64(caveat_bit(Caveat.NO_DECISION_COLUMN)),
        caveats,
    )
    judge(
        RuleCode.DECISION_6W,
        judged | (kept & ~np.isnat(dec_d)),
        dec_d,
        d6,
        is_open & undecided,
        wh_dec,
    )
    # 16W: assessed, no plan.
    judge(
        RuleCode.NO_PLAN_16W,
        (judged & is_no_plan) | (kept & (issue == d_no) & ~np.isnat(idec_d)),
        idec_d,
        d16,
        zeros,
        wh_idec,
    )
    # 20W: plans issued, and open cases past (or at an unknown stage of) the decision. With
    # no final-date column at all, an open case is not judged on 20W.
    open_20 = is_open & (assess != d_pending)
    judge(
        RuleCode.FINAL_20W,
        (judged & (is_plan | open_20)) | (kept & has_final),
        final,
        d20,
        open_20 & ~no_final_col,
        wh_final | (no_final_col & np.isnat(final)),
    )
    # ... unless a "within 20 weeks?" / "days taken" column says how it went.
    limit_20 = RULES_BY_CODE[RuleCode.FINAL_20W].days - (1 if day_one else 0)
    stated_20 = judged & from_stated & is_plan
    span_days = np.where(has_span, stated_span, 0).round().astype(np.int64)
    stated_late = np.where(has_span, span_days > limit_20, within_20 == d_no)
    states[RuleCode.FINAL_20W] = np.where(
        stated_20,
        np.where(stated_late, s[RuleState.MISSED], s[RuleState.MET]),
        states[RuleCode.FINAL_20W],
    ).astype(np.int8)
    lates[RuleCode.FINAL_20W] = np.where(
        stated_20 & stated_late & has_span, span_days - limit_20, lates[RuleCode.FINAL_20W]
    )
    out["state_20w"] = states[RuleCode.FINAL_20W]
    out["days_late_20w"] = lates[RuleCode.FINAL_20W]

    # 15D: a minimum: missed when the final plan came fewer than 15 days after the draft
    # was served (the day the family received it, when known; else the day it was sent).
    applies_15 = (judged | kept) & has_final & ~np.isnat(draft)
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

    # --- exceptions, judged limit by limit on each limit's own window ----------------------
    kind, detail = _multi_codes(cols, Field.EXCEPTION, n, kind_code, detail_code)
    has_claim = kind >= 0
    steps = {
        RuleCode.DECISION_6W: np.where(
            is_refused, step_code(Step.REFUSAL), step_code(Step.DECISION_TO_ASSESS)
        ).astype(np.int8),
        RuleCode.NO_PLAN_16W: np.full(n, step_code(Step.NO_PLAN), dtype=np.int8),
        RuleCode.FINAL_20W: np.full(n, step_code(Step.FINAL_PLAN), dtype=np.int8),
        RuleCode.COMMENT_15D: np.full(n, step_code(Step.COMMENT), dtype=np.int8),
    }
    dues = {
        RuleCode.DECISION_6W: d6,
        RuleCode.NO_PLAN_16W: d16,
        RuleCode.FINAL_20W: d20,
        RuleCode.COMMENT_15D: d20,
    }
    plaus: dict[RuleCode, Codes] = {}
    oks: dict[RuleCode, BoolArray] = {}
    claim_ok: dict[RuleCode, BoolArray] = {}
    notes: dict[RuleCode, Codes] = {}
    # Claims are judged on the rows that make one (the rest: unknown, not excused, no note).
    at = np.flatnonzero(has_claim)
    kind_at, detail_at, req_at, advice_at = kind[at], detail[at], req[at], advice[at]
    for code in SUFFIX:
        p_at, why_at = plausibility(
            kind_at, detail_at, req_at, dues[code][at], advice_at, settings.closures
        )
        ok_at, note_at = excuse(steps[code][at], kind_at, p_at, why_at)
        p = np.full(n, UNKNOWN, dtype=np.int8)
        ok = np.zeros(n, dtype=bool)
        note = np.full(n, -1, dtype=np.int8)
        p[at], ok[at], note[at] = p_at, ok_at, note_at
        applies = states[code] >= 0
        plaus[code], oks[code], notes[code], claim_ok[code] = p, ok & applies, note, ok
        out[f"excused_{SUFFIX[code]}"] = ok & applies
        out[f"excuse_note_{SUFFIX[code]}"] = np.where(applies, note, -1).astype(np.int8)

    unexcused = np.zeros(n, dtype=bool)
    excused_any = np.zeros(n, dtype=bool)
    overdue_any = np.zeros(n, dtype=bool)
    overdue_unexcused = np.zeros(n, dtype=bool)
    for code in SUFFIX:
        missed = states[code] == s[RuleState.MISSED]
        running_late = states[code] == s[RuleState.OVERDUE]
        unexcused |= missed & ~oks[code]
        excused_any |= missed & oks[code]
        overdue_any |= running_late
        overdue_unexcused |= running_late & ~oks[code]

    # The case-level claim is judged on the case's main limit.
    main = np.select(
        [is_no_plan, is_refused | (is_open & (states[RuleCode.FINAL_20W] < 0))],
        [1, 0],
        default=2,
    )
    main_codes = (RuleCode.DECISION_6W, RuleCode.NO_PLAN_16W, RuleCode.FINAL_20W)

    def pick(arrays: dict[RuleCode, Any]) -> Any:
        return np.choose(main, [arrays[c] for c in main_codes])

    main_step = pick(steps).astype(np.int8)
    out["exception_kind"] = kind
    out["exception_lawful"] = np.where(has_claim, lawful_codes(main_step, kind), -1).astype(np.int8)
    out["exception_plausible"] = np.where(has_claim, pick(plaus), -1).astype(np.int8)
    out["exception_accepted"] = has_claim & pick(claim_ok)
    out["exception_note"] = np.where(has_claim, pick(notes), -1).astype(np.int8)

    # --- status --------------------------------------------------------------------------
    judged_any = np.zeros(n, dtype=bool)
    for state in states.values():
        judged_any |= (state >= 0) & (state <= s[RuleState.OVERDUE])
    nothing = judged & ~is_open & ~judged_any
    invalid_code = np.where(nothing, _NOTHING_TO_JUDGE, invalid_code).astype(np.int8)
    invalid |= nothing
    st = {k: _code(STATUSES, k) for k in STATUSES}
    # An open case past a deadline is overdue unless every limit it is past (running or
    # already missed) has an accepted claim: then overdue_exception (statute.md s.4).
    out["status"] = np.select(
        [
            invalid,
            overdue_any & (overdue_unexcused | unexcused),
            overdue_any,
            unexcused,
            excused_any,
            is_na,
            is_open,
        ],
        [
            st[k]
            for k in (
                Status.INVALID,
                Status.OVERDUE,
                Status.OVERDUE_EXCEPTION,
                Status.LATE,
                Status.LATE_EXCEPTION,
                Status.NOT_APPLICABLE,
                Status.OPEN,
            )
        ],
        default=st[Status.ON_TIME],
    ).astype(np.int8)
    out["invalid_reason"] = invalid_code
    out["after_as_of"] = late_dec | late_idec | late_final | after(draft_in)

    worst = np.zeros(n, dtype=np.int64)
    for days in lates.values():
        worst = np.maximum(worst, days)
    out["days_late"] = np.where(invalid, 0, worst)
    span_final = np.where(has_final, _days(final, req), span_days)
    span_open = _days(today, req)
    valid_final = (has_final | (stated_20 & has_span)) & ~invalid
    out["weeks_to_final"] = np.where(valid_final, np.round(span_final / 7, 1), np.nan)
    out["weeks_open"] = np.where(is_open & ~invalid, np.round(span_open / 7, 1), np.nan)
    out["days_to_final"] = np.where(valid_final, span_final, -1)
    edge_52 = req + np.timedelta64(WEEKS_52_DAYS - (1 if day_one else 0), "D")
    out["within_52w"] = has_final & ~invalid & (final <= edge_52)

    # --- caveats: what the verdict rests on that was not read cleanly ----------------------
    six = states[RuleCode.DECISION_6W]
    engine_bits = (
        np.where(withheld != 0, caveat_bit(Caveat.DATE_WITHHELD), 0)
        | np.where(stated_20, caveat_bit(Caveat.STATED_20W), 0)
        | np.where(
            (six == s[RuleState.OVERDUE]) & (assess < 0),
            caveat_bit(Caveat.DECISION_NOT_RECORDED),
            0,
        )
    )
    out["caveats"] = (caveats | engine_bits).astype(np.int64)
    return out
