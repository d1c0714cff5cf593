"""Count verdict rows per measure and per group, column by column.

Every figure of :mod:`ehcp_check.stats` comes from here: each measure is a boolean mask over
the verdict table with a *cohort* (the date that places a row in a period); counts come
from ``np.bincount`` over integer group codes, eight masks per pass; the weeks statistics
from one sort. No Python loop runs over rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .engine import SUFFIX, RuleState
from .model import BREACH_STATUSES, CAVEATS, Field, Outcome, Status
from .rules import RuleCode

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
DateArray = npt.NDArray[np.datetime64]

#: Statuses in the order ``statuses`` lists them.
STATUSES: tuple[Status, ...] = tuple(Status)
_P90 = 0.9


class Cohort(StrEnum):
    """The date that places a case in a period, per measure (see the module docstring)."""

    ISSUE = "issue"
    REQUEST = "request"
    NO_PLAN_NOTICE = "no_plan_notice"
    SNAPSHOT = "snapshot"
    """Open cases on the as-of date: placed by request date in groups, but a period keeps
    every case requested up to its end (all that were open when it closed)."""


#: The cohort of a limit missed (its step taken late): the same cohort as the measure the
#: limit belongs to, so a period's breach count and its measure describe the same cases.
#: A limit still running past its deadline (overdue) is in the open-case snapshot.
MISSED_COHORT: dict[RuleCode, Cohort] = {
    RuleCode.DECISION_6W: Cohort.REQUEST,
    RuleCode.NO_PLAN_16W: Cohort.NO_PLAN_NOTICE,
    RuleCode.FINAL_20W: Cohort.ISSUE,
    RuleCode.COMMENT_15D: Cohort.ISSUE,
}


# --- reading the verdict table -----------------------------------------------------------


def _dates(v: pd.DataFrame, name: str) -> DateArray:
    if name not in v.columns:
        return np.full(len(v), np.datetime64("NaT", "D"))
    col = v[name]
    if not pd.api.types.is_datetime64_any_dtype(col.dtype):
        col = pd.to_datetime(col, errors="coerce")
    return col.to_numpy(dtype="datetime64[D]")


class _Text:
    """A text column encoded once, so each value test is an integer comparison.

    A categorical column is used as it is (its codes); any other is factorised once.
    """

    def __init__(self, v: pd.DataFrame, name: str, rows: BoolArray | None = None) -> None:
        """Encode column ``name``; with ``rows``, only those rows (the others read as NA).

        A categorical's codes are used in their own (narrow) integer type, not widened."""
        self.index: dict[str, int] = {}
        self.size = 0
        self.codes: npt.NDArray[np.signedinteger[Any]] = np.full(len(v), -1, dtype=np.int8)
        if name not in v.columns:
            return
        col = v[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            codes: npt.NDArray[np.signedinteger[Any]] = np.asarray(col.cat.codes.to_numpy())
            self.codes = codes if rows is None else np.where(rows, codes, codes.dtype.type(-1))
            uniques = list(col.cat.categories)
        else:
            values = col.to_numpy(dtype=object)
            found_codes, found = pd.factorize(
                values if rows is None else values[rows], use_na_sentinel=True
            )
            if rows is None:
                self.codes = np.asarray(found_codes, dtype=np.intp)
            else:
                self.codes = np.full(len(v), -1, dtype=np.intp)
                self.codes[rows] = found_codes
            uniques = list(found)
        self.index = {str(u): i for i, u in enumerate(uniques)}
        self.size = len(uniques)

    def lookup(self, table: dict[str, int], missing: int) -> IntArray:
        """Each row's value through ``table`` (``missing`` for NA or a value not in it),
        one take over the distinct values."""
        per_value = np.full(self.size + 1, missing, dtype=np.int64)  # the last: code -1
        for text, i in self.index.items():
            per_value[i] = table.get(text, missing)
        return np.asarray(per_value[self.codes], dtype=np.int64)

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


def _bools(v: pd.DataFrame, name: str, value: bool, rows: BoolArray | None = None) -> BoolArray:
    """Where the column equals ``value`` exactly (None / NA never does); only ``rows``."""
    out = np.zeros(len(v), dtype=np.bool_)
    if name not in v.columns:
        return out
    col = v[name]
    if pd.api.types.is_bool_dtype(col.dtype):
        arr = col.to_numpy(dtype=np.bool_, na_value=False)
        out = arr if value else ~arr
        return out if rows is None else out & rows
    values = col.to_numpy(dtype=object)
    if rows is None:
        return np.asarray(values == value, dtype=np.bool_)
    out[rows] = values[rows] == value
    return out


def _ints(v: pd.DataFrame, name: str) -> IntArray:
    if name not in v.columns:
        return np.zeros(len(v), dtype=np.int64)
    if v[name].dtype == np.int64:  # the engine's columns: read as they are (no copy)
        return np.asarray(v[name].to_numpy(), dtype=np.int64)
    return np.asarray(pd.to_numeric(v[name], errors="coerce").fillna(0), dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Facts:
    """Row-level masks and values every summary is counted from."""

    masks: dict[str, tuple[Cohort, BoolArray]]
    """Counted key -> (its cohort, the rows it counts)."""
    status_code: IntArray
    """Index of each row's status in :data:`STATUSES` (request-date cohort)."""
    plan: BoolArray
    plan_days: IntArray
    overdue_days: IntArray
    open_overdue: BoolArray
    dates: dict[Cohort, DateArray]


def read_facts(v: pd.DataFrame) -> Facts:
    """Read the verdict table once into the masks and values every summary counts."""
    status = _Text(v, "status")
    outcome = _Text(v, Field.OUTCOME)
    # The 16W and 15D states matter only where they are breaches, which always have a
    # positive ``days_late_<r>``: encode just those rows.
    states = {
        code: _Text(
            v,
            f"state_{s}",
            rows=(
                None
                if code in (RuleCode.DECISION_6W, RuleCode.FINAL_20W)
                else _ints(v, f"days_late_{s}") > 0
            ),
        )
        for code, s in SUFFIX.items()
    }
    valid = ~status.isin([Status.INVALID, Status.NOT_APPLICABLE])
    final = _dates(v, Field.FINAL_DATE)
    req = _dates(v, Field.REQUEST_DATE)
    notice = _dates(v, Field.ISSUE_DECISION_DATE)
    notice = np.where(np.isnat(notice), req, notice)

    issued = valid & outcome.eq(Outcome.PLAN_ISSUED) & ~np.isnat(final)
    # The DfE's timeliness figures leave out assessments where mediation or a tribunal took
    # place (statute.md s.5): so do the 20-week figures here, when the data says so.
    mediation_tribunal = _bools(v, "mediation_tribunal", True)
    plan = issued & ~mediation_tribunal
    s20 = states[RuleCode.FINAL_20W]
    within20 = plan & s20.eq(RuleState.MET)
    accepted = _bools(v, "exception_accepted", True)
    within52 = _bools(v, "within_52w", True)
    claimed = issued & (
        v["exception_kind"].notna().to_numpy(dtype=np.bool_)
        if "exception_kind" in v.columns
        else False
    )
    s6 = states[RuleCode.DECISION_6W]
    no_plan = valid & outcome.eq(Outcome.NO_PLAN)
    is_open = valid & outcome.eq(Outcome.OPEN)
    overdue = is_open & status.isin([Status.OVERDUE, Status.OVERDUE_EXCEPTION])
    overdue_days = np.zeros(len(v), dtype=np.int64)
    for code in (RuleCode.DECISION_6W, RuleCode.FINAL_20W):
        late = _ints(v, f"days_late_{SUFFIX[code]}")
        overdue_days = np.maximum(
            overdue_days, np.where(states[code].eq(RuleState.OVERDUE), late, 0)
        )

    masks: dict[str, tuple[Cohort, BoolArray]] = {
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
        "open_cases": (Cohort.SNAPSHOT, is_open),
        "open_overdue": (Cohort.SNAPSHOT, overdue),
        "open_overdue_exception": (Cohort.SNAPSHOT, is_open & status.eq(Status.OVERDUE_EXCEPTION)),
        "exceptions_claimed": (Cohort.ISSUE, claimed),
        "exceptions_not_lawful": (Cohort.ISSUE, _bools(v, "exception_lawful", False, claimed)),
        "exceptions_implausible": (
            Cohort.ISSUE,
            _bools(v, "exception_plausible", False, claimed),
        ),
    }
    if "mediation_tribunal" in v.columns and bool(v["mediation_tribunal"].notna().any()):
        masks["dfe_excluded_mediation_tribunal"] = (Cohort.ISSUE, issued & mediation_tribunal)
    for code, state in states.items():
        masks[f"missed:{code.value}"] = (MISSED_COHORT[code], valid & state.eq(RuleState.MISSED))
        masks[f"overdue:{code.value}"] = (Cohort.SNAPSHOT, valid & state.eq(RuleState.OVERDUE))
    masks.update(caveat_masks(v, status))
    status_code = status.lookup({st.value: i for i, st in enumerate(STATUSES)}, len(STATUSES))

    return Facts(
        masks=masks,
        status_code=status_code,
        plan=plan,
        plan_days=_ints(v, "days_to_final"),
        overdue_days=overdue_days,
        open_overdue=overdue,
        dates={
            Cohort.ISSUE: final,
            Cohort.REQUEST: req,
            Cohort.SNAPSHOT: req,
            Cohort.NO_PLAN_NOTICE: notice,
        },
    )


def caveat_masks(v: pd.DataFrame, status: _Text) -> dict[str, tuple[Cohort, BoolArray]]:
    """Counted keys for the verdicts that rest on something not read cleanly.

    ``cases_with_caveats``: rows whose ``caveats`` mask is set; ``breaches_with_caveats``:
    those of them that are breaches (``late`` / ``overdue``); ``caveat:<code>``: rows per
    caveat code. All by request date, like ``statuses``. No ``caveats`` column: all zero.
    """
    n = len(v)
    mask = _ints(v, "caveats")
    any_caveat = mask != 0
    # Most rows have no caveat: each code's mask is set from the rows that have one.
    with_caveat = np.flatnonzero(any_caveat)
    set_bits = mask[with_caveat]
    out: dict[str, tuple[Cohort, BoolArray]] = {
        "cases_with_caveats": (Cohort.REQUEST, any_caveat),
        "breaches_with_caveats": (
            Cohort.REQUEST,
            any_caveat & status.isin(sorted(BREACH_STATUSES)),
        ),
    }
    for bit, caveat in enumerate(CAVEATS):
        per_code = np.zeros(n, dtype=np.bool_)
        per_code[with_caveat] = (set_bits >> bit) & 1 == 1
        out[f"caveat:{caveat.value}"] = (Cohort.REQUEST, per_code)
    return out


# --- counting ----------------------------------------------------------------------------


_BITS = 8
"""Masks counted together in one pass: each row's 8 yes/no answers form one byte."""


def count_masks(facts: Facts, codes: dict[Cohort, IntArray], n_groups: int) -> dict[str, IntArray]:
    """Per counted key, the count in each group.

    Masks of the same cohort are counted eight at a time: each row's answers form a
    byte, one ``bincount`` over (group, byte) counts every combination, and a key's count
    is the sum over the combinations with its bit set.
    """
    out: dict[str, IntArray] = {}
    by_cohort: dict[Cohort, list[tuple[str, BoolArray]]] = {}
    for key, (cohort, mask) in facts.masks.items():
        by_cohort.setdefault(cohort, []).append((key, mask))
    combos = np.arange(1 << _BITS)
    for cohort, keyed in by_cohort.items():
        c = codes[cohort]
        if n_groups == 1:  # one group (a summary): each mask counted where it is in it
            inside = c == 0
            for key, mask in keyed:
                out[key] = np.array([np.count_nonzero(mask & inside)], dtype=np.int64)
            continue
        # Rows outside every group go to an extra last bin.
        base = np.where(c >= 0, c, n_groups) << _BITS
        for first in range(0, len(keyed), _BITS):
            chunk = keyed[first : first + _BITS]
            byte = np.zeros(len(c), dtype=np.uint8)
            for bit, (_, mask) in enumerate(chunk):
                byte |= mask.view(np.uint8) << np.uint8(bit)
            table = np.bincount(base + byte, minlength=(n_groups + 1) << _BITS)
            table = table.reshape(n_groups + 1, 1 << _BITS)[:n_groups]
            for bit, (key, _) in enumerate(chunk):
                out[key] = table[:, (combos >> bit) & 1 == 1].sum(axis=1).astype(np.int64)
    # All statuses in one pass: bin = group x status.
    n_status = len(STATUSES) + 1
    req = codes[Cohort.REQUEST]
    ok = req >= 0
    table = np.bincount(
        req[ok] * n_status + facts.status_code[ok], minlength=n_groups * n_status
    ).reshape(n_groups, n_status)
    for i, st in enumerate(STATUSES):
        out[f"status:{st.value}"] = table[:, i].astype(np.int64)
    out["rows_read"] = table.sum(axis=1).astype(np.int64)
    out["rows_excluded"] = out[f"status:{Status.INVALID.value}"]
    return out


def group_max(values: IntArray, group: IntArray, mask: BoolArray, n_groups: int) -> IntArray:
    """Largest value of the masked rows per group (0 for a group without any)."""
    keep = mask & (group >= 0)
    out = np.zeros(n_groups, dtype=np.int64)
    np.maximum.at(out, group[keep], values[keep])
    return out


@dataclass(frozen=True, slots=True)
class WeeksStats:
    """Days from request to final plan, per group (NaN / 0 where a group has no plans)."""

    total_days: IntArray
    median_days: npt.NDArray[np.float64]
    p90_days: npt.NDArray[np.float64]
    max_days: IntArray


def weeks_stats(facts: Facts, group: IntArray, n_groups: int) -> WeeksStats:
    """Sum, median, 90th percentile (linear) and maximum of days to issue, per group."""
    keep = facts.plan & (group >= 0)
    g = group[keep]
    d = facts.plan_days[keep]
    if len(d):
        # One sort on group x (days + 1): cheaper than a lexsort on two keys.
        width = int(d.max()) + 2
        key = np.sort(g * width + (d + 1))
        g, d = key // width, key % width - 1
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
    return WeeksStats(
        total_days=np.rint(total).astype(np.int64),
        median_days=quantile(0.5),
        p90_days=quantile(_P90),
        max_days=max_days,
    )


def tally(
    facts: Facts, codes: dict[Cohort, IntArray], n_groups: int
) -> tuple[dict[str, IntArray], WeeksStats, IntArray]:
    """Counts per key, weeks statistics and the longest overdue case, for every group.

    ``codes`` gives, per cohort, each row's group (0..n_groups-1) or -1 for none.
    """
    counts = count_masks(facts, codes, n_groups)
    weeks = weeks_stats(facts, codes[Cohort.ISSUE], n_groups)
    max_overdue = group_max(
        facts.overdue_days, codes[Cohort.SNAPSHOT], facts.open_overdue, n_groups
    )
    return counts, weeks, max_overdue
