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
open cases, overdue                snapshot on the as-of date of every open case; a group
                                   keeps those whose request date falls in it, a period
                                   (``--month``, ``--from/--to``) every case requested up to
                                   its end: all that were open when it closed
breaches per rule                  the cohort of the rule's measure: request date (6W),
                                   no-plan notice (16W), final plan (20W, 15D); a breach
                                   still running (overdue, no end event yet) is in the
                                   open-case snapshot
``rows_read``, ``rows_excluded``,  in a group: the request date (or LA) of each verdict row;
``cases``, ``statuses``            rows that ingest dropped before judging belong to no group
=================================  ===========================================================

With a period, nothing dated after the as-of date is in it (on the as-of date it had not
happened), and :func:`period_scope` says which cases the summary describes: the per-case
lists and breach lists of every view are cut by it, so each breach count equals the breaches
listed for its rule.

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
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .engine import Settings
from .model import CAVEATS, Field, Status
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
from .tally import STATUSES, BoolArray, Cohort, Facts, IntArray, WeeksStats, read_facts, tally

__all__ = [
    "UNKNOWN_LA",
    "GroupBy",
    "Period",
    "Scope",
    "YearType",
    "group_summaries",
    "percent",
    "period_keys",
    "period_scope",
    "round_half_up",
    "summarize",
]

#: Group key of cases with no local authority recorded.
UNKNOWN_LA = "(unknown)"

_ONE_PLACE = Decimal("0.1")


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


def _assemble(
    counts: dict[str, IntArray],
    weeks: WeeksStats,
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
        "open_overdue_exception": c("open_overdue_exception"),
        "dfe_excluded_mediation_tribunal": (
            c("dfe_excluded_mediation_tribunal")
            if "dfe_excluded_mediation_tribunal" in counts
            else None
        ),
        "statuses": {st.value: c(f"status:{st.value}") for st in Status},
        "cases_with_caveats": c("cases_with_caveats"),
        "breaches_with_caveats": c("breaches_with_caveats"),
        "caveats": {cv.value: c(f"caveat:{cv.value}") for cv in CAVEATS},
    }


# --- public API --------------------------------------------------------------------------


def _in_period(
    cohort: Cohort, dates: npt.NDArray[np.datetime64], period: Period, as_of: date
) -> BoolArray:
    """Which rows a period keeps for a cohort. The open-case snapshot keeps every case
    requested up to the period's end: a monthly report counts all cases open and overdue
    when the month closed, not only that month's requests. Nothing dated after the as-of
    date is in any period: on the as-of date it had not happened yet."""
    days = np.asarray(dates).astype("datetime64[D]")
    last = np.datetime64(min(period.end, as_of), "D")
    if cohort is Cohort.SNAPSHOT:
        return np.asarray(~np.isnat(days) & (days <= last), dtype=np.bool_)
    return np.asarray(period.contains(days) & (days <= last), dtype=np.bool_)


@dataclass(frozen=True, slots=True)
class Scope:
    """Which verdict rows a summary describes, so every view lists the same cases.

    Without a period every row is in scope and every breach counts. With one, ``rows``
    holds the cases some measure of the period counts (its cohorts, see the module
    docstring), and ``breaches`` per rule the cases whose breach of that rule the summary's
    ``breaches`` counts: ``summary["breaches"][code] == breaches[code].sum()``.
    """

    rows: BoolArray
    breaches: dict[RuleCode, BoolArray]


def _cohort_rows(
    facts: Facts, n: int, period: Period | None, as_of: date
) -> dict[Cohort, BoolArray]:
    if period is None:
        return {cohort: np.ones(n, dtype=np.bool_) for cohort in facts.dates}
    return {
        cohort: _in_period(cohort, dates, period, as_of) for cohort, dates in facts.dates.items()
    }


def _scope(facts: Facts, inside: dict[Cohort, BoolArray], n: int) -> Scope:
    breaches: dict[RuleCode, BoolArray] = {}
    for code in RuleCode:
        missed_cohort, missed = facts.masks[f"missed:{code.value}"]
        overdue_cohort, overdue = facts.masks[f"overdue:{code.value}"]
        breaches[code] = (missed & inside[missed_cohort]) | (overdue & inside[overdue_cohort])
    rows = inside[Cohort.REQUEST].copy()
    for cohort, mask in facts.masks.values():
        rows |= mask & inside[cohort]
    return Scope(rows=rows, breaches=breaches)


def period_scope(
    verdicts: pd.DataFrame,
    *,
    settings: Settings,
    period: Period | None,
    facts: Facts | None = None,
) -> Scope:
    """The rows and the breaches a summary of ``period`` describes (all rows when None).

    ``facts``: :func:`~ehcp_check.tally.read_facts` of ``verdicts``, when already read."""
    facts = read_facts(verdicts) if facts is None else facts
    n = len(verdicts)
    return _scope(facts, _cohort_rows(facts, n, period, settings.as_of), n)


#: Counted keys that describe the cases listed (with a period: the cases in scope).
_PER_CASE = frozenset({"cases_with_caveats", "breaches_with_caveats"})


def summarize(
    verdicts: pd.DataFrame,
    *,
    settings: Settings,
    period: Period | None = None,
    rows_read: int | None = None,
    rows_excluded: int | None = None,
    facts: Facts | None = None,
) -> dict[str, Any]:
    """The summary figures (data contract section 3) of a verdict table.

    ``period`` keeps each measure's cohort in the period (see the module docstring).
    ``rows_read`` and ``rows_excluded`` come from ingest (rows it dropped are not in the
    verdict table); when None they are the verdict rows and its invalid rows. The
    ``settings`` are those the verdicts were judged with: the open-case figures are a
    snapshot on ``settings.as_of``, and nothing dated after it is in a period. Also
    returns ``statuses``: the cases in scope (:func:`period_scope`) per status, so with a
    period they add up to the cases a per-case list of the period holds. ``facts``:
    :func:`~ehcp_check.tally.read_facts` of ``verdicts``, when already read.
    """
    facts = read_facts(verdicts) if facts is None else facts
    n = len(verdicts)
    inside = _cohort_rows(facts, n, period, settings.as_of)
    codes = {
        cohort: np.where(inside[cohort], 0, NO_PERIOD).astype(np.int64, copy=False)
        for cohort in facts.dates
    }
    counts, weeks, max_overdue = tally(facts, codes, 1)
    if period is not None:
        # Statuses and caveats count the cases in scope (the period's case list), not
        # only the period's requests.
        rows = _scope(facts, inside, n).rows
        per_status = np.bincount(facts.status_code[rows], minlength=len(STATUSES) + 1)
        for i, st in enumerate(STATUSES):
            counts[f"status:{st.value}"] = per_status[i : i + 1].astype(np.int64)
        for key, (_cohort, mask) in facts.masks.items():
            if key in _PER_CASE or key.startswith("caveat:"):
                counts[key] = np.array([int((mask & rows).sum())], dtype=np.int64)
    read = n if rows_read is None else int(rows_read)
    excluded = int(counts["rows_excluded"][0]) if rows_excluded is None else int(rows_excluded)
    return _assemble(counts, weeks, max_overdue, 0, read, excluded)


def group_summaries(
    verdicts: pd.DataFrame,
    *,
    settings: Settings,
    by: GroupBy,
    year_type: YearType = YearType.CALENDAR,
    period: Period | None = None,
    facts: Facts | None = None,
) -> list[tuple[str, dict[str, Any]]]:
    """The same figures per period or per LA, sorted by key (chronological for periods).

    A case falls in a group per measure by that measure's cohort date, so one case can
    count in two groups (plan in 2024, 6-week decision in 2023). ``rows_read``,
    ``rows_excluded`` and ``cases`` of a group count verdict rows by request date (by LA
    for ``by=la``). Cases with no LA group as ``"(unknown)"``. Groups with nothing in
    them are left out. ``facts`` as for :func:`summarize`.
    """
    del settings
    facts = read_facts(verdicts) if facts is None else facts
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
        present = [c[c >= 0] for c in raw_codes.values()]
        nonempty = [p for p in present if len(p)]
        lowest = min((int(p.min()) for p in nonempty), default=0)
        highest = max((int(p.max()) for p in nonempty), default=-1)
        seen = np.zeros(highest - lowest + 1, dtype=np.bool_)
        for p in nonempty:
            seen[p - lowest] = True
        keys = np.flatnonzero(seen).astype(np.int64) + lowest
        names = [code_label(int(k), by, year_type) for k in keys.tolist()]

    # Dense group numbers 0..G-1 in key order, through a lookup table over the code range.
    base = int(keys[0]) if len(keys) else 0
    dense = np.full(int(keys[-1]) - base + 1 if len(keys) else 0, NO_PERIOD, dtype=np.int64)
    dense[keys - base] = np.arange(len(keys), dtype=np.int64)
    codes: dict[Cohort, IntArray] = {}
    for cohort, raw_c in raw_codes.items():
        at = np.where(raw_c >= 0, raw_c - base, 0)
        codes[cohort] = np.where(raw_c >= 0, dense[at] if len(dense) else NO_PERIOD, NO_PERIOD)
    counts, weeks, max_overdue = tally(facts, codes, len(keys))
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
