"""Time the engine and the statistics on a synthetic verdict table.

    python benchmarks/bench_stats.py [--rows 1000000] [--seed 1]

Builds synthetic cases (ten years of requests, a mix of plans, refusals, no-plan
decisions, open and withdrawn cases, exception claims), judges them with
:func:`ehcp_check.engine.evaluate`, then times :func:`ehcp_check.stats.summarize` and
:func:`ehcp_check.stats.group_summaries` (by month, quarter, financial year and LA).
Nothing here is a test: it prints timings only.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from ehcp_check.engine import Settings, evaluate
from ehcp_check.periods import GroupBy, YearType
from ehcp_check.stats import group_summaries, summarize

T = TypeVar("T")

NAT = np.datetime64("NaT", "D")
NONE = np.array(None, dtype=object)


def synthetic_cases(rows: int, seed: int) -> pd.DataFrame:
    """``rows`` invented cases requested between 2015 and 2024."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2015-01-01", "D")
    req = start + rng.integers(0, 3652, rows).astype("timedelta64[D]")

    def offset(lo: int, hi: int) -> npt.NDArray[np.datetime64]:
        return np.asarray(req + rng.integers(lo, hi, rows).astype("timedelta64[D]"))

    kind = rng.choice(5, size=rows, p=[0.55, 0.15, 0.1, 0.15, 0.05])
    plan, refused, no_plan, open_, withdrawn = (kind == k for k in range(5))
    decision = np.where(open_ & (rng.random(rows) < 0.3), NAT, offset(10, 70))
    final = np.where(plan, offset(80, 500), NAT)
    draft = np.where(plan, final - rng.integers(5, 40, rows).astype("timedelta64[D]"), NAT)
    notice = np.where(no_plan, offset(60, 160), NAT)
    assess = np.select([refused, np.isnat(decision)], ["no", "pending"], default="yes").astype(
        object
    )
    exception = rng.choice(
        np.array([None, "Y", "EP shortage", "covid", "summer holiday"], dtype=object),
        size=rows,
        p=[0.85, 0.08, 0.03, 0.02, 0.02],
    )
    las = np.array([f"LA {i:03d}" for i in range(150)], dtype=object)
    return pd.DataFrame(
        {
            "case_id": np.arange(rows).astype(str),
            "la": las[rng.integers(0, len(las), rows)],
            "request_date": req,
            "assess_decision_date": decision,
            "assess_decision": assess,
            "issue_decision_date": notice,
            "issue_decision": np.where(no_plan, "no", NONE),
            "draft_date": draft,
            "final_date": final,
            "outcome": np.where(withdrawn, "withdrawn", NONE),
            "exception": exception,
        }
    )


def timed(label: str, fn: Callable[[], T], repeat: int = 3) -> T:
    """Run ``fn`` ``repeat`` times; print the best time."""
    best = float("inf")
    result: T | None = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<42} {best * 1000:9.1f} ms")
    assert result is not None
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    settings = Settings(as_of=date(2025, 6, 30))
    cases = timed("build synthetic cases", lambda: synthetic_cases(args.rows, args.seed), 1)
    print(f"{len(cases):,} cases")
    verdicts = timed("evaluate", lambda: evaluate(cases, settings), 1)
    whole = timed("summarize", lambda: summarize(verdicts, settings=settings))
    print(
        f"  plans issued {whole['plans_issued']:,}, within 20 weeks "
        f"{whole['pct_within_20_weeks']}% (excluding exceptions "
        f"{whole['pct_within_20_weeks_excl']}%)"
    )
    for by, year_type in (
        (GroupBy.MONTH, YearType.CALENDAR),
        (GroupBy.QUARTER, YearType.ACADEMIC),
        (GroupBy.YEAR, YearType.FINANCIAL),
        (GroupBy.LA, YearType.CALENDAR),
    ):

        def cut(by: GroupBy = by, year_type: YearType = year_type) -> list[tuple[str, Any]]:
            return group_summaries(verdicts, settings=settings, by=by, year_type=year_type)

        groups = timed(f"group_summaries by {by.value} ({year_type.value})", cut)
        print(f"  {len(groups)} groups")


if __name__ == "__main__":
    main()
