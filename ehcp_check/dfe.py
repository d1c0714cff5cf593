"""The Department for Education's published EHC plan timeliness figures.

Source: Department for Education, "Education, health and care plans", reporting year 2025
release (calendar years 2019-2024), SEN2 statutory return, file ``timeliness_20_week.csv``;
https://explore-education-statistics.service.gov.uk/find-statistics/education-health-and-care-plans
Open Government Licence v3.0.

This module reads a release's CSV (:func:`load_timeliness`), for checking the Department's
method against its own files. At run time the figures come from the package data in
:mod:`ehcp_check.published`; :data:`ENGLAND_20W` is read from there.

:func:`published_figures` returns keys named like :func:`ehcp_check.stats.summarize`'s, so a
report can set an LA's audited figures beside its published ones.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

__all__ = [
    "ALL_PLANS",
    "ENGLAND_20W",
    "SOURCE",
    "SUPPRESSION_MARKERS",
    "load_timeliness",
    "published_figures",
]

SOURCE = (
    "Department for Education, 'Education, health and care plans', reporting year 2025, "
    "timeliness_20_week.csv (SEN2). Open Government Licence v3.0."
)


def _england_20w() -> dict[int, tuple[float, float]]:
    from .published import england_figures

    out: dict[int, tuple[float, float]] = {}
    for year, (incl, excl) in england_figures(
        "pct_within_20_weeks", "pct_within_20_weeks_excl"
    ).items():
        if incl is not None and excl is not None:
            out[year] = (float(incl), float(excl))
    return dict(sorted(out.items()))


#: England, % of new EHC plans issued within 20 weeks per calendar year of issue:
#: (including exceptions, excluding exceptions), from the package data
#: (:mod:`ehcp_check.published`; national rows, breakdown "All EHC plans issued").
ENGLAND_20W: dict[int, tuple[float, float]] = _england_20w()

#: Markers the DfE uses for a missing figure: x unavailable, z not applicable, c
#: confidential (suppressed), low (rounds to zero).
SUPPRESSION_MARKERS: tuple[str, ...] = ("x", "z", "c", "low", ":", "..", "")

#: The breakdown holding all plans (not split by age, sex or ethnicity).
ALL_PLANS = "All EHC plans issued"

_TEXT_COLUMNS: frozenset[str] = frozenset(
    {
        "time_identifier",
        "geographic_level",
        "country_code",
        "country_name",
        "region_code",
        "region_name",
        "new_la_code",
        "old_la_code",
        "la_name",
        "breakdown_topic",
        "breakdown",
    }
)

#: Our summary key -> the DfE column (lower-cased).
_FIGURES: dict[str, str] = {
    "plans_issued": "plans_issued_den",
    "within_20_weeks": "plans_issued_within_20_weeks",
    "pct_within_20_weeks": "pc_plans_issued_within_20_weeks",
    "plans_issued_excl": "plans_issued_den_ex",
    "within_20_weeks_excl": "plans_issued_20_weeks_ex",
    "pct_within_20_weeks_excl": "pc_plans_issued_20_weeks_ex",
    "over_20_to_52_weeks": "plans_issued_gt20weeks_ltyear",
    "over_52_weeks": "plans_issued_gt_1_year",
}


def load_timeliness(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a DfE timeliness CSV robustly.

    Handles the UTF-8 byte-order mark, column names whose case changes between releases
    (all lower-cased: ``PC_plans_issued_20_weeks_ex`` becomes
    ``pc_plans_issued_20_weeks_ex``), suppression markers (``x``, ``z``, ``c``, ``low``:
    missing) and numeric columns (counts and percentages become numbers; ``time_period``
    an integer year). Codes such as ``old_la_code`` stay text.
    """
    table = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    table.columns = [str(c).strip().lower() for c in table.columns]
    for name in table.columns:
        col = table[name].str.strip()
        missing = col.str.lower().isin(SUPPRESSION_MARKERS)
        if name in _TEXT_COLUMNS:
            table[name] = col.where(~missing, None)
        else:
            table[name] = pd.to_numeric(col.where(~missing, None), errors="coerce")
    if "time_period" in table.columns:
        table["time_period"] = table["time_period"].astype("Int64")
    return table


def published_figures(
    table: pd.DataFrame, *, year: int, la: str | None = None
) -> dict[str, Any] | None:
    """The published 20-week figures for one calendar year of issue, or None if absent.

    ``la`` matches ``la_name`` case-insensitively, or ``new_la_code`` / ``old_la_code``;
    None picks the England (national) row; a region name or code (``E12000001``) that
    matches no LA picks that region's row. Returns ``plans_issued``, ``within_20_weeks``,
    ``pct_within_20_weeks``, their ``_excl`` counterparts and the bands
    ``over_20_to_52_weeks`` / ``over_52_weeks`` (counts, including exceptions), plus
    ``la`` (the published name: LA, region or "England") and ``year``. Suppressed figures are None.
    """
    rows = table[(table["time_period"] == year) & (table["breakdown"] == ALL_PLANS)]
    if la is None:
        rows = rows[rows["geographic_level"] == "National"]
        name: str | None = "England"
    else:
        wanted = la.strip().lower()
        match = rows["la_name"].fillna("").str.strip().str.lower() == wanted
        for code in ("new_la_code", "old_la_code"):
            if code in rows.columns:
                match |= rows[code].fillna("").astype(str).str.strip().str.lower() == wanted
        la_rows = rows[match & (rows["geographic_level"] == "Local authority")]
        if la_rows.empty:
            region = rows["region_name"].fillna("").str.strip().str.lower() == wanted
            region |= rows["region_code"].fillna("").str.strip().str.lower() == wanted
            la_rows = rows[region & (rows["geographic_level"] == "Regional")]
            name = None if la_rows.empty else str(la_rows.iloc[0]["region_name"])
        else:
            name = str(la_rows.iloc[0]["la_name"])
        rows = la_rows
    if rows.empty:
        return None
    row = rows.iloc[0]
    out: dict[str, Any] = {
        "la": name,
        "year": year,
    }
    for key, column in _FIGURES.items():
        value = row[column] if column in row.index else None
        if value is None or pd.isna(value):
            out[key] = None
        elif key.startswith("pct_"):
            out[key] = float(value)
        else:
            out[key] = int(value)
    return out
