"""A small, fixed, synthetic audit for the report tests (invented cases, no real people)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from ehcp_check.audit import AuditOptions, AuditResult, audit_table
from ehcp_check.engine import Settings
from ehcp_check.model import DataIssue, LoadResult, SheetInput

AS_OF = date(2025, 1, 31)

#: (case_id, la, request, decision date, decision, final, draft, outcome, exception)
# fmt: off
ROWS: list[tuple[Any, ...]] = [
    ("C001", "North", "2024-01-02", "2024-02-01", "yes", "2024-05-01", "2024-04-10", None, None),
    ("C002", "North", "2024-01-08", "2024-02-10", "yes", "2024-08-30", "2024-08-01", None, None),
    ("C003", "North", "2024-02-01", "2024-03-20", "yes", "2024-11-15", "2024-10-20", None,
     "EP shortage"),
    ("C004", "North", "2024-02-05", "2024-03-01", "yes", "2024-07-30", "2024-07-01", None, "Y"),
    ("C005", "North", "2024-03-01", "2024-04-05", "yes", "2024-06-20", "2024-06-12", None, None),
    ("C006", "North", "2023-06-01", "2023-07-01", "yes", "2024-09-02", "2024-08-01", None, None),
    ("C007", "North", "2024-04-01", "2024-05-01", "yes", None, None, None, None),
    ("C008", "North", "2025-01-06", None, None, None, None, None, None),
    ("C009", "North", "2024-05-01", None, None, None, None, "withdrawn", None),
    ("C010", "North", None, None, None, None, None, None, None),
    ("=1+1", "[bold]Fake[/bold]", "2023-09-01", "2023-10-01", "yes", None, None, None,
     "@SUM(A1) backlog"),
    ("@SUM(A1)", "<script>alert(1)</script>", "2024-01-15", "2024-02-20", "yes", "2024-10-01",
     "2024-09-20", None, '=HYPERLINK("http://x")'),
    ("+44 20", "North | South", "2024-02-01", "2024-03-01", "yes", "2024-06-14", "2024-05-20",
     None, "-x"),
    ("-x", "North", "2024-03-04", "2024-04-01", "yes", "2024-12-20", "2024-11-25", None,
     "summer holiday"),
]
# fmt: on

COLUMNS = [
    "case_id",
    "la",
    "request_date",
    "assess_decision_date",
    "assess_decision",
    "final_date",
    "draft_date",
    "outcome",
    "exception",
]


def case_frame(rows: list[tuple[Any, ...]] | None = None, *, first_row: int = 5) -> pd.DataFrame:
    """The canonical case table for ``rows`` (default :data:`ROWS`)."""
    rows = ROWS if rows is None else rows
    df = pd.DataFrame(rows, columns=COLUMNS)
    for c in ("request_date", "assess_decision_date", "final_date", "draft_date"):
        df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
    df.insert(0, "file", "foi.xlsx")
    df.insert(1, "sheet", "2024")
    df.insert(2, "row", range(first_row, first_row + len(df)))
    return df


def make_result(
    rows: list[tuple[Any, ...]] | None = None,
    *,
    options: AuditOptions | None = None,
    as_of: date = AS_OF,
) -> AuditResult:
    """Judge the synthetic cases as if read from one sheet with a total row and a blank
    row excluded and one unreadable date reported."""
    cases = case_frame(rows)
    n = len(cases)
    excluded = [
        DataIssue(
            "foi.xlsx",
            "2024",
            5 + n,
            None,
            "Total",
            "total-row",
            "This row is a total, not a case.",
            excluded=True,
        ),
        DataIssue(
            "foi.xlsx", "2024", 6 + n, None, None, "blank-row", "This row is blank.", excluded=True
        ),
    ]
    bad_date = DataIssue(
        "foi.xlsx", "2024", 7, "draft_date", "31/02/2024", "bad-date", "31/02/2024 is not a date."
    )
    sheet = SheetInput(
        file="foi.xlsx",
        sheet="2024",
        header_row=4,
        rows=n + 2,
        columns={
            "case_id": "Case ref",
            "la": "Local authority",
            "request_date": "Date request received",
            "final_date": "Date EHCP issued",
            "exception": "Exception reason",
        },
        excluded=2,
    )
    loaded = LoadResult(cases=cases, issues=[bad_date, *excluded], inputs=[sheet])
    return audit_table(loaded, Settings(as_of=as_of), options or AuditOptions())
