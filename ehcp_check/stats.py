"""Summary figures comparable with the Department for Education's (data contract section 3).

Input is the engine's verdict table; output is a plain dict of JSON-ready values (Python
``int``, ``float`` or None; never numpy scalars). Cases whose status is ``invalid`` or
``not_applicable`` never count in any measure.

Cohorts: each measure takes the cases whose *cohort date* falls in the period (or group):

=================================  ===========================================================
measure                            cohort date
=================================  ===========================================================
plans issued, 20-week measures,    final-plan (issue) date, as the DfE does: a plan requested
bands, weeks to issue, exceptions  in December 2023 and issued in May 2024 counts in 2024.
                                   ``exceptions_*`` count claims on these plans only.
decisions to assess (6 weeks)      request date
no-plan decisions (16 weeks)       date of the no-plan notice (``issue_decision_date``);
                                   the request date when that is missing
open cases, overdue                snapshot on the as-of date of every open case; a period
                                   (or group) keeps those whose request date falls in it
breaches per rule                  the rule's end event: decision date (6W), no-plan notice
                                   (16W), final plan (20W, 15D); a breach still running
                                   (overdue, no end event yet) goes by the request date
``rows_read``, ``rows_excluded``,  in a group: the request date (or LA) of each verdict row;
``cases``, ``statuses``            rows that ingest dropped before judging belong to no group
=================================  ===========================================================

Percentages are rounded to one decimal place half up (12.25 -> 12.3), the DfE's rounding,
with :class:`decimal.Decimal`; None when the denominator is 0. Weeks to issue are
days / 7 over plans issued, one decimal, half up; the 90th percentile uses linear
interpolation between the two nearest ranks (numpy's default: position (n - 1) x 0.9 in
the sorted list), the median is the middle value or the mean of the two middle values.
Grouping is column-wise: every figure of every group comes from ``np.bincount`` over
integer group codes, and the weeks statistics from one sort.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .engine import SUFFIX, RuleState, Settings
from .model import Field, Outcome, Status
from .periods import (
    NO_PERIOD,
    GroupBy,
    Period,
    YearType,
    code_label,
    period_codes,
    period_keys,
)
from .rules import RuleCode

__all__ = [
    "UNKNOWN_LA",
    "GroupBy",
    "Period",
    "YearType",
    "group_summaries",
    "percent",
    "period_keys",
    "round_half_up",
    "summarize",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
DateArray = npt.NDArray[np.datetime64]

#: Group key of cases with no local authority recorded.
UNKNOWN_LA = "(unknown)"

_ONE_PLACE = Decimal("0.1")
_P90 = 0.9


class Cohort(StrEnum):
    """The date that places a case in a period, per measure (see the module docstring)."""

    ISSUE = "issue"
    REQUEST = "request"
    NO_PLAN_NOTICE = "no_plan_notice"
    DECISION = "decision"


def round_half_up(value: Decimal | int | str, places: int = 1) -> float:
    """Round half away from zero to ``places`` decimals (not Python's banker's rounding)."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP))


def percent(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator`` as a percentage to one decimal, half up; None if 0 / 0.

    >>> percent(1, 400), percent(1, 8), percent(0, 0)
    (0.3, 12.5, None)
    """
    if denominator == 0:
        return None
    exact = Decimal(int(numerator)) * 100 / Decimal(int(denominator))
    return float(exact.quantize(_ONE_PLACE, rounding=ROUND_HALF_UP))


def _weeks(days: Decimal) -> float:
    return round_half_up(days / 7)


# --- reading the verdict table -----------------------------------------------------------


def _dates(v: pd.DataFrame, name: str) -> DateArray:
    if name not in v.columns:
        return np.full(len(v), np.datetime64("NaT", "D"))
    col = v[name]
    if not pd.api.types.is_datetime64_any_dtype(col.dtype):
        col = pd.to_datetime(col, errors="coerce")
    return col.to_numpy(dtype="datetime64[D]")


class _Text:
    """A text column factorised once, so each value test is an integer comparison."""

    def __init__(self, v: pd.DataFrame, name: str) -> None:
        if name in v.columns:
            codes, uniques = pd.factorize(v[name], use_na_sentinel=True)
            self.codes = np.asarray(codes, dtype=np.int64)
            self.index = {str(u): i for i, u in enumerate(uniques.tolist())}
        else:
            self.codes = np.full(len(v), -1, dtype=np.int64)
            self.index = {}

    def eq(self, value: str) -> BoolArray:
        i = self.index.get(value)
        if i is None:
            return np.zeros(len(self.codes), dtype=np.bool_)
        return np.asarray(self.codes == i, dtype=np.bool_)

    def isin(self, values: list[str]) -> BoolArray:
        out = np.zeros(len(self.codes), dtype=np.bool_)
        for value in values:
            out |= self.eq(value)
        return out

    def notna(self) -> BoolArray:
        return np.asarray(self.codes >= 0, dtype=np.bool_)


def _bools(v: pd.DataFrame, name: str, value: bool) -> BoolArray:
    """Where the column equals ``value`` exactly (None / NA never does)."""
    if name not in v.columns:
        return np.zeros(len(v), dtype=np.bool_)
    col = v[name]
    if pd.api.types.is_bool_dtype(col.dtype):
        arr = col.to_numpy(dtype=np.bool_, na_value=False)
        return arr if value else ~arr
    return np.asarray(col.astype(object).to_numpy() == value, dtype=np.bool_)


def _ints(v: pd.DataFrame, name: str) -> IntArray:
    if name not in v.columns:
        return np.zeros(len(v), dtype=np.int64)
    return np.asarray(pd.to_numeric(v[name], errors="coerce").fillna(0), dtype=np.int64)


@dataclass(frozen=True, slots=True)
class _Facts:
    """Row-level masks and values every summary is counted from."""

    masks: dict[str, tuple[Cohort, BoolArray]]
    """Counted key -> (its cohort, the rows it counts)."""
    plan: BoolArray
    plan_days: IntArray
    overdue_days: IntArray
    open_overdue: BoolArray
    dates: dict[Cohort, DateArray]


def _facts(v: pd.DataFrame) -> _Facts:
    status = _Text(v, "status")
    outcome = _Text(v, Field.OUTCOME)
    states = {code: _Text(v, f"state_{s}") for code, s in SUFFIX.items()}
    valid = ~status.isin([Status.INVALID, Status.NOT_APPLICABLE])
    final = _dates(v, Field.FINAL_DATE)
    req = _dates(v, Field.REQUEST_DATE)
    notice = _dates(v, Field.ISSUE_DECISION_DATE)
    notice = np.where(np.isnat(notice), req, notice)

    plan = valid & outcome.eq(Outcome.PLAN_ISSUED) & ~np.isnat(final)
    s20 = states[RuleCode.FINAL_20W]
    within20 = plan & s20.eq(RuleState.MET)
    accepted = _bools(v, "exception_accepted", True)
    within52 = _bools(v, "within_52w", True)
    claimed = plan & _Text(v, "exception_kind").notna()
    s6 = states[RuleCode.DECISION_6W]
    no_plan = valid & outcome.eq(Outcome.NO_PLAN)
    is_open = valid & outcome.eq(Outcome.OPEN)
    overdue = is_open & status.eq(Status.OVERDUE)
    overdue_days = np.zeros(len(v), dtype=np.int64)
    for code in (RuleCode.DECISION_6W, RuleCode.FINAL_20W):
        late = _ints(v, f"days_late_{SUFFIX[code]}")
        overdue_days = np.maximum(
            overdue_days, np.where(states[code].eq(RuleState.OVERDUE), late, 0)
        )

    masks: dict[str, tuple[Cohort, BoolArray]] = {
        "rows_read": (Cohort.REQUEST, np.ones(len(v), dtype=np.bool_)),
        "rows_excluded": (Cohort.REQUEST, status.eq(Status.INVALID)),
        "plans_issued": (Cohort.ISSUE, plan),
        "within_20_weeks": (Cohort.ISSUE, within20),
        "plans_issued_excl": (Cohort.ISSUE, plan & ~accepted),
        "within_20_weeks_excl": (Cohort.ISSUE, within20 & ~accepted),
        "over_20_to_52_weeks": (Cohort.ISSUE, plan & s20.eq(RuleState.MISSED) & within52),
        "over_52_weeks": (Cohort.ISSUE, plan & ~within52),
        "decisions_to_assess": (
            Cohort.REQUEST,
            valid & s6.isin([RuleState.MET, RuleState.MISSED]),
        ),
        "within_6_weeks": (Cohort.REQUEST, valid & s6.eq(RuleState.MET)),
        "no_plan_decisions": (Cohort.NO_PLAN_NOTICE, no_plan),
        "no_plan_over_16_weeks": (
            Cohort.NO_PLAN_NOTICE,
            no_plan & states[RuleCode.NO_PLAN_16W].eq(RuleState.MISSED),
        ),
        "open_cases": (Cohort.REQUEST, is_open),
        "open_overdue": (Cohort.REQUEST, overdue),
        "exceptions_claimed": (Cohort.ISSUE, claimed),
        "exceptions_not_lawful": (Cohort.ISSUE, claimed & _bools(v, "exception_lawful", False)),
        "exceptions_implausible": (
            Cohort.ISSUE,
            claimed & _bools(v, "exception_plausible", False),
        ),
    }
    end_cohort = {
        RuleCode.DECISION_6W: Cohort.DECISION,
        RuleCode.NO_PLAN_16W: Cohort.NO_PLAN_NOTICE,
        RuleCode.FINAL_20W: Cohort.ISSUE,
        RuleCode.COMMENT_15D: Cohort.ISSUE,
    }
    for code, state in states.items():
        masks[f"missed:{code.value}"] = (end_cohort[code], valid & state.eq(RuleState.MISSED))
        masks[f"overdue:{code.value}"] = (Cohort.REQUEST, valid & state.eq(RuleState.OVERDUE))
    for st in Status:
        masks[f"status:{st.value}"] = (Cohort.REQUEST, status.eq(st))

    return _Facts(
        masks=masks,
        plan=plan,
        plan_days=_ints(v, "days_to_final"),
        overdue_days=overdue_days,
        open_overdue=overdue,
        dates={
            Cohort.ISSUE: final,
            Cohort.REQUEST: req,
            Cohort.NO_PLAN_NOTICE: notice,
            Cohort.DECISION: _dates(v, Field.ASSESS_DECISION_DATE),
        },
    )


# --- counting ----------------------------------------------------------------------------


def _counts(facts: _Facts, codes: dict[Cohort, IntArray], n_groups: int) -> dict[str, IntArray]:
    """Per counted key, the count in each group."""
    out: dict[str, IntArray] = {}
    for key, (cohort, mask) in facts.masks.items():
        c = codes[cohort]
        out[key] = np.bincount(c[mask & (c >= 0)], minlength=n_groups).astype(np.int64)
    return out


def _group_max(values: IntArray, group: IntArray, mask: BoolArray, n_groups: int) -> IntArray:
    keep = mask & (group >= 0)
    out = np.zeros(n_groups, dtype=np.int64)
    np.maximum.at(out, group[keep], values[keep])
    return out


@dataclass(frozen=True, slots=True)
class _WeeksStats:
    total_days: IntArray
    median_days: npt.NDArray[np.float64]
    p90_days: npt.NDArray[np.float64]
    max_days: IntArray


def _weeks_stats(facts: _Facts, group: IntArray, n_groups: int) -> _WeeksStats:
    """Sum, median, 90th percentile (linear) and maximum of days to issue, per group."""
    keep = facts.plan & (group >= 0)
    g = group[keep]
    d = facts.plan_days[keep]
    order = np.lexsort((d, g))
    g, d = g[order], d[order]
    n = np.bincount(g, minlength=n_groups).astype(np.int64)
    start = np.cumsum(n) - n
    total = np.bincount(g, weights=d.astype(np.float64), minlength=n_groups)
    has = n > 0

    def quantile(q: float) -> npt.NDArray[np.float64]:
        pos = (n[has] - 1) * q
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, n[has] - 1)
        a = d[start[has] + lo].astype(np.float64)
        b = d[start[has] + hi].astype(np.float64)
        out = np.full(n_groups, np.nan)
        out[has] = a + (b - a) * (pos - lo)
        return out

    max_days = np.zeros(n_groups, dtype=np.int64)
    max_days[has] = d[start[has] + n[has] - 1]
    return _WeeksStats(
        total_days=np.rint(total).astype(np.int64),
        median_days=quantile(0.5),
        p90_days=quantile(_P90),
        max_days=max_days,
    )


def _assemble(
    counts: dict[str, IntArray],
    weeks: _WeeksStats,
    max_overdue: IntArray,
    i: int,
    rows_read: int,
    rows_excluded: int,
) -> dict[str, Any]:
    """The summary dict of group ``i``, keys in data-contract order."""

    def c(key: str) -> int:
        return int(counts[key][i])

    plans = c("plans_issued")
    has_plans = plans > 0
    breaches = {
        code.value: c(f"missed:{code.value}") + c(f"overdue:{code.value}") for code in RuleCode
    }
    return {
        "rows_read": rows_read,
        "cases": rows_read - rows_excluded,
        "rows_excluded": rows_excluded,
        "plans_issued": plans,
        "within_20_weeks": c("within_20_weeks"),
        "pct_within_20_weeks": percent(c("within_20_weeks"), plans),
        "plans_issued_excl": c("plans_issued_excl"),
        "within_20_weeks_excl": c("within_20_weeks_excl"),
        "pct_within_20_weeks_excl": percent(c("within_20_weeks_excl"), c("plans_issued_excl")),
        "over_20_to_52_weeks": c("over_20_to_52_weeks"),
        "over_52_weeks": c("over_52_weeks"),
        "mean_weeks_to_issue": (
            _weeks(Decimal(int(weeks.total_days[i])) / plans) if has_plans else None
        ),
        "median_weeks_to_issue": (
            _weeks(Decimal(repr(float(weeks.median_days[i])))) if has_plans else None
        ),
        "p90_weeks_to_issue": (
            _weeks(Decimal(repr(float(weeks.p90_days[i])))) if has_plans else None
        ),
        "max_weeks_to_issue": _weeks(Decimal(int(weeks.max_days[i]))) if has_plans else None,
        "decisions_to_assess": c("decisions_to_assess"),
        "within_6_weeks": c("within_6_weeks"),
        "pct_within_6_weeks": percent(c("within_6_weeks"), c("decisions_to_assess")),
        "no_plan_decisions": c("no_plan_decisions"),
        "no_plan_over_16_weeks": c("no_plan_over_16_weeks"),
        "open_cases": c("open_cases"),
        "open_overdue": c("open_overdue"),
        "max_days_overdue": int(max_overdue[i]),
        "breaches": breaches,
        "exceptions_claimed": c("exceptions_claimed"),
        "exceptions_not_lawful": c("exceptions_not_lawful"),
        "exceptions_implausible": c("exceptions_implausible"),
        "statuses": {st.value: c(f"status:{st.value}") for st in Status},
    }


def _summaries(
    facts: _Facts, codes: dict[Cohort, IntArray], n_groups: int
) -> tuple[dict[str, IntArray], _WeeksStats, IntArray]:
    counts = _counts(facts, codes, n_groups)
    weeks = _weeks_stats(facts, codes[Cohort.ISSUE], n_groups)
    max_overdue = _group_max(
        facts.overdue_days, codes[Cohort.REQUEST], facts.open_overdue, n_groups
    )
    return counts, weeks, max_overdue


# --- public API --------------------------------------------------------------------------


def summarize(
    verdicts: pd.DataFrame,
    *,
    settings: Settings,
    period: Period | None = None,
    rows_read: int | None = None,
    rows_excluded: int | None = None,
) -> dict[str, Any]:
    """The summary figures (data contract section 3) of a verdict table.

    ``period`` keeps each measure's cohort in the period (see the module docstring).
    ``rows_read`` and ``rows_excluded`` come from ingest (rows it dropped are not in the
    verdict table); when None they are the verdict rows and its invalid rows. The
    ``settings`` are those the verdicts were judged with: the open-case figures are a
    snapshot on ``settings.as_of``. Also returns ``statuses``: verdict rows per status
    (request-date cohort when a period is given).
    """
    del settings  # the verdicts already carry the as-of judgement
    facts = _facts(verdicts)
    codes = {
        cohort: (
            np.zeros(len(verdicts), dtype=np.int64)
            if period is None
            else np.where(period.contains(dates), 0, NO_PERIOD).astype(np.int64)
        )
        for cohort, dates in facts.dates.items()
    }
    counts, weeks, max_overdue = _summaries(facts, codes, 1)
    read = len(verdicts) if rows_read is None else int(rows_read)
    excluded = int(counts["rows_excluded"][0]) if rows_excluded is None else int(rows_excluded)
    return _assemble(counts, weeks, max_overdue, 0, read, excluded)


def group_summaries(
    verdicts: pd.DataFrame,
    *,
    settings: Settings,
    by: GroupBy,
    year_type: YearType = YearType.CALENDAR,
    period: Period | None = None,
) -> list[tuple[str, dict[str, Any]]]:
    """The same figures per period or per LA, sorted by key (chronological for periods).

    A case falls in a group per measure by that measure's cohort date, so one case can
    count in two groups (plan in 2024, 6-week decision in 2023). ``rows_read``,
    ``rows_excluded`` and ``cases`` of a group count verdict rows by request date (by LA
    for ``by=la``). Cases with no LA group as ``"(unknown)"``. Groups with nothing in
    them are left out.
    """
    del settings
    facts = _facts(verdicts)
    n = len(verdicts)
    in_period = {
        cohort: (np.ones(n, dtype=np.bool_) if period is None else period.contains(dates))
        for cohort, dates in facts.dates.items()
    }
    if by is GroupBy.LA:
        la = verdicts[Field.LA] if Field.LA in verdicts.columns else pd.Series([None] * n)
        labels_col = la.astype(object).where(la.notna() & (la.astype(str) != ""), UNKNOWN_LA)
        raw, uniques = pd.factorize(labels_col.astype(str), sort=True)
        raw = np.asarray(raw, dtype=np.int64)
        raw_codes = {cohort: np.where(ok, raw, NO_PERIOD) for cohort, ok in in_period.items()}
        keys = np.arange(len(uniques), dtype=np.int64)
        names = [str(u) for u in uniques.tolist()]
    else:
        raw_codes = {
            cohort: np.where(in_period[cohort], period_codes(dates, by, year_type), NO_PERIOD)
            for cohort, dates in facts.dates.items()
        }
        keys = np.unique(np.concatenate([c[c >= 0] for c in raw_codes.values()]))
        names = [code_label(int(k), by, year_type) for k in keys.tolist()]

    # Dense group numbers 0..G-1 in key order.
    codes: dict[Cohort, IntArray] = {}
    for cohort, raw_c in raw_codes.items():
        dense = np.searchsorted(keys, raw_c)
        codes[cohort] = np.where(raw_c >= 0, dense, NO_PERIOD).astype(np.int64)
    counts, weeks, max_overdue = _summaries(facts, codes, len(keys))
    out: list[tuple[str, dict[str, Any]]] = []
    for i, name in enumerate(names):
        summary = _assemble(
            counts,
            weeks,
            max_overdue,
            i,
            int(counts["rows_read"][i]),
            int(counts["rows_excluded"][i]),
        )
        if _empty(summary):
            continue
        out.append((name, summary))
    return out


def _empty(summary: dict[str, Any]) -> bool:
    return not any(
        summary[k]
        for k in (
            "rows_read",
            "plans_issued",
            "decisions_to_assess",
            "no_plan_decisions",
            "open_cases",
            "exceptions_claimed",
        )
    ) and not any(summary["breaches"].values())
