"""The DfE's published figures: the reader, the lookup, and the method reproduced."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from conftest import REFERENCE, reference_file

from ehcp_check.dfe import ALL_PLANS, ENGLAND_20W, load_timeliness, published_figures
from ehcp_check.engine import Settings, evaluate
from ehcp_check.periods import Period, YearType
from ehcp_check.stats import GroupBy, group_summaries, percent, summarize

TIMELINESS = REFERENCE / "dfe-ehcp-2025" / "timeliness_20_week.csv"


@pytest.fixture
def timeliness() -> Path:
    return reference_file("dfe-ehcp-2025", "timeliness_20_week.csv")


needs_reference = pytest.mark.usefixtures("timeliness")


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return load_timeliness(reference_file("dfe-ehcp-2025", "timeliness_20_week.csv"))


@pytest.fixture(scope="module")
def all_plans(table: pd.DataFrame) -> pd.DataFrame:
    rows = table[table["breakdown"] == ALL_PLANS]
    return rows[rows["plans_issued_den"].notna() & rows["plans_issued_den_ex"].notna()]


# --- reader --------------------------------------------------------------------------------


def test_reader_handles_bom_case_and_markers(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    text = (
        "time_period,geographic_level,la_name,old_la_code,breakdown,plans_issued_den,"
        "plans_issued_den_ex,plans_issued_within_20_weeks,plans_issued_20_weeks_ex,"
        "PC_plans_issued_within_20_weeks,pc_plans_issued_20_weeks_ex\n"
        "2024,Local authority,Somewhere,012,All EHC plans issued,10,8,5,4,50,50\n"
        "2024,Local authority,Elsewhere,013,All EHC plans issued,x,z,c,low,x,z\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    t = load_timeliness(path)
    assert t.columns[0] == "time_period"
    assert "pc_plans_issued_within_20_weeks" in t.columns
    assert t["time_period"].tolist() == [2024, 2024]
    assert t["old_la_code"].tolist() == ["012", "013"]
    assert t["plans_issued_den"].iloc[0] == 10
    assert t.loc[1, ["plans_issued_den", "plans_issued_den_ex"]].isna().all()
    assert t.loc[1, ["plans_issued_within_20_weeks", "plans_issued_20_weeks_ex"]].isna().all()
    assert published_figures(t, year=2024, la="somewhere") == {
        "la": "Somewhere",
        "year": 2024,
        "plans_issued": 10,
        "within_20_weeks": 5,
        "pct_within_20_weeks": 50.0,
        "plans_issued_excl": 8,
        "within_20_weeks_excl": 4,
        "pct_within_20_weeks_excl": 50.0,
        "over_20_to_52_weeks": None,
        "over_52_weeks": None,
    }
    elsewhere = published_figures(t, year=2024, la="013")
    assert elsewhere is not None
    assert elsewhere["plans_issued"] is None
    assert elsewhere["pct_within_20_weeks"] is None


@needs_reference
def test_reader_on_the_release(table: pd.DataFrame) -> None:
    assert len(table) == 12211
    assert table["time_period"].min() == 2019
    assert table["time_period"].max() == 2024
    assert str(table["plans_issued_den"].dtype) == "float64"
    assert "pc_plans_issued_20_weeks_ex" in table.columns  # published as PC_...


@needs_reference
def test_england_series_matches_the_release(table: pd.DataFrame) -> None:
    for year, (incl, excl) in ENGLAND_20W.items():
        fig = published_figures(table, year=year)
        assert fig is not None
        assert (fig["pct_within_20_weeks"], fig["pct_within_20_weeks_excl"]) == (incl, excl)
        assert fig["la"] == "England"
    assert sorted(ENGLAND_20W) == sorted(set(table["time_period"].dropna().astype(int)))


@needs_reference
def test_published_figures_lookup(table: pd.DataFrame) -> None:
    by_name = published_figures(table, year=2023, la="  GATESHEAD ")
    assert by_name == {
        "la": "Gateshead",
        "year": 2023,
        "plans_issued": 224,
        "within_20_weeks": 191,
        "pct_within_20_weeks": 85.3,
        "plans_issued_excl": 199,
        "within_20_weeks_excl": 173,
        "pct_within_20_weeks_excl": 86.9,
        "over_20_to_52_weeks": 31,
        "over_52_weeks": 2,
    }
    assert published_figures(table, year=2023, la="E08000037") == by_name
    assert published_figures(table, year=2023, la="390") == by_name
    region = published_figures(table, year=2024, la="North East")
    assert region is not None
    assert (region["la"], region["plans_issued"]) == ("North East", 4198)
    assert published_figures(table, year=2023, la="Atlantis") is None
    assert published_figures(table, year=2018) is None
    # Footnote: Dorset classed every 2024 plan as an exception, so nothing is left excluding.
    dorset = published_figures(table, year=2024, la="Dorset")
    assert dorset is not None
    assert (dorset["plans_issued_excl"], dorset["pct_within_20_weeks_excl"]) == (0, None)


# --- the method reproduced -----------------------------------------------------------------


def _published(value: float) -> float | None:
    return None if pd.isna(value) else float(value)


@needs_reference
def test_percentages_reproduce_every_published_row(all_plans: pd.DataFrame) -> None:
    """Our percentage of the published counts equals the published percentage, every row."""
    checked = 0
    mismatches: list[str] = []
    pairs = [
        ("plans_issued_within_20_weeks", "plans_issued_den", "pc_plans_issued_within_20_weeks"),
        ("plans_issued_20_weeks_ex", "plans_issued_den_ex", "pc_plans_issued_20_weeks_ex"),
    ]
    for values in all_plans.to_dict(orient="records"):
        for num, den, pc in pairs:
            ours = percent(int(values[num]), int(values[den]))
            if ours != _published(values[pc]):
                mismatches.append(f"{values['time_period']} {values['la_name']} {pc}")
        checked += 1
    assert mismatches == []
    # 965 rows: 910 LA, 54 regional, 6 national rows less 5 LA rows with counts "x".
    assert checked == 965
    levels = all_plans["geographic_level"].value_counts().to_dict()
    assert levels == {"Local authority": 905, "Regional": 54, "National": 6}


@needs_reference
def test_bands_reproduce_where_published(all_plans: pd.DataFrame) -> None:
    rows = all_plans[all_plans["plans_issued_gt_1_year"].notna()]
    assert len(rows) == 323
    for band in ("plans_issued_gt20weeks_ltyear", "plans_issued_gt_1_year"):
        for suffix, den in (("", "plans_issued_den"), ("_ex", "plans_issued_den_ex")):
            ours = [
                percent(int(n), int(d)) for n, d in zip(rows[band + suffix], rows[den], strict=True)
            ]
            published = [_published(v) for v in rows["pc_" + band + suffix]]
            assert ours == published


@needs_reference
def test_half_up_rounding_is_the_published_method(table: pd.DataFrame) -> None:
    """Redcar and Cleveland 2022: 45 of 144 = 31.25%, published 31.3 (banker's gives 31.2)."""
    fig = published_figures(table, year=2022, la="Redcar and Cleveland")
    assert fig is not None
    assert (fig["within_20_weeks_excl"], fig["plans_issued_excl"]) == (45, 144)
    assert fig["pct_within_20_weeks_excl"] == 31.3
    assert percent(45, 144) == 31.3
    assert round(45 * 100 / 144, 1) == 31.2


def _cases_for(fig: dict[str, int], year: int) -> pd.DataFrame:
    """Synthetic cases whose plans issued in ``year`` have exactly the published counts."""
    den, within = fig["plans_issued"], fig["within_20_weeks"]
    flagged = den - fig["plans_issued_excl"]
    flagged_within = within - fig["within_20_weeks_excl"]
    over_52 = fig["over_52_weeks"]
    flagged_52 = over_52 - fig["over_52_weeks_excl"]
    rows: list[dict[str, object]] = []
    jan1 = date(year, 1, 1)
    for i in range(den):
        issued = jan1 + timedelta(days=(i * 7) % 360)
        if i < within:
            span = 60 + i % 81  # 60..140 days: within 20 weeks
            exception = "Y" if i < flagged_within else None
        elif i < within + over_52:
            k = i - within
            span = 365 + k % 200  # after 52 weeks
            exception = "Y" if k < flagged_52 else None
        else:
            k = i - within - over_52
            span = 141 + k % 224  # 141..364 days: after 20, within 52 weeks
            late_flagged = flagged - flagged_within - flagged_52
            exception = "Y" if k < late_flagged else None
        rows.append(
            {
                "case_id": f"C{i:05d}",
                "la": "Test LA",
                "request_date": pd.Timestamp(issued - timedelta(days=span)),
                "final_date": pd.Timestamp(issued),
                "exception": exception,
            }
        )
    # Plans issued the year before and after must not count in the year.
    for offset in (-1, 1):
        rows.append(
            {
                "case_id": f"X{offset}",
                "la": "Test LA",
                "request_date": pd.Timestamp(date(year + offset, 3, 1)),
                "final_date": pd.Timestamp(date(year + offset, 6, 1)),
                "exception": None,
            }
        )
    return pd.DataFrame(rows)


@needs_reference
def test_end_to_end_reproduces_an_la_year(table: pd.DataFrame) -> None:
    """Gateshead, 2023 (the first LA row of 2023): cases -> engine -> summary = published."""
    year = 2023
    first = table[
        (table["time_period"] == year)
        & (table["breakdown"] == ALL_PLANS)
        & (table["geographic_level"] == "Local authority")
    ].iloc[0]
    fig = published_figures(table, year=year, la=str(first["la_name"]))
    assert fig is not None
    assert fig["la"] == "Gateshead"
    counts = dict(fig)
    counts["over_52_weeks_excl"] = int(first["plans_issued_gt_1_year_ex"])
    cases = _cases_for(counts, year)
    settings = Settings(as_of=date(2025, 6, 30))
    verdicts = evaluate(cases, settings)
    got = summarize(
        verdicts,
        settings=settings,
        period=Period.year(year, YearType.CALENDAR),
        rows_read=len(cases),
        rows_excluded=0,
    )
    for key in (
        "plans_issued",
        "within_20_weeks",
        "pct_within_20_weeks",
        "plans_issued_excl",
        "within_20_weeks_excl",
        "pct_within_20_weeks_excl",
        "over_20_to_52_weeks",
        "over_52_weeks",
    ):
        assert got[key] == fig[key], key
    assert (got["pct_within_20_weeks"], got["pct_within_20_weeks_excl"]) == (85.3, 86.9)
    assert got["over_20_to_52_weeks"] == int(first["plans_issued_gt20weeks_ltyear"])
    assert got["exceptions_claimed"] == 224 - 199
    # The excluding bands too (not summary keys, but they follow from the same cases).
    late_excl = verdicts[
        (verdicts["final_date"].dt.year == year)
        & (verdicts["state_20w"] == "missed")
        & ~verdicts["exception_accepted"]
    ]
    assert int(late_excl["within_52w"].sum()) == int(first["plans_issued_gt20weeks_ltyear_ex"])
    assert int((~late_excl["within_52w"]).sum()) == int(first["plans_issued_gt_1_year_ex"])
    # The same figures come out of the 2023 group when grouping by year of issue.
    groups = dict(group_summaries(verdicts, settings=settings, by=GroupBy.YEAR))
    assert groups[str(year)]["pct_within_20_weeks_excl"] == fig["pct_within_20_weeks_excl"]
    assert groups[str(year)]["plans_issued"] == fig["plans_issued"]
