"""The worst-breaches list built for the top rows alone equals the head of the full list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp_check.audit import AuditOptions, AuditResult, audit
from ehcp_check.periods import Period
from ehcp_check.report.figures import breaches

ROOT = Path(__file__).resolve().parents[1]
MONTHLY = ROOT / "examples" / "monthly-export.csv"
FOI = ROOT / "examples" / "foi-reply-2024.xlsx"


@pytest.fixture(scope="module")
def results() -> list[AuditResult]:
    return [
        audit([MONTHLY], as_of=date(2025, 3, 31)),
        audit(
            [MONTHLY],
            as_of=date(2025, 2, 28),
            options=AuditOptions(period=Period.month("2025-02")),
        ),
        audit([FOI], as_of=date(2025, 3, 31)),
    ]


@settings(max_examples=40, deadline=None)
@given(which=st.integers(0, 2), top=st.integers(0, 200))
def test_top_rows_equal_the_head_of_every_breach(
    results: list[AuditResult], which: int, top: int
) -> None:
    result = results[which]
    full = breaches(result).head(top).reset_index(drop=True)
    pd.testing.assert_frame_equal(breaches(result, top), full)
