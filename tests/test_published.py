"""The shipped DfE figures: rebuilt from the reference CSVs, checked cell by cell against
them, read back exactly; council names found forgivingly; ranks and the league."""

from __future__ import annotations

import gzip
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
from conftest import reference_file

from ehcp_check.council import LeagueSort, council_record, league, ranks
from ehcp_check.dfe import ENGLAND_20W
from ehcp_check.errors import UsageError
from ehcp_check.published import (
    ALIASES,
    COUNT_FIGURES,
    PERCENT_FIGURES,
    Level,
    UnknownArea,
    find_council,
    find_region,
    normalise_name,
    parse,
    published,
)

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "ehcp_check" / "data" / "dfe-ehcp-2025.csv.gz"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_dfe_data", ROOT / "scripts" / "build_dfe_data.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_dfe_data"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def source_dir() -> Path:
    return reference_file("dfe-ehcp-2025", "timeliness_20_week.csv").parent


# --- the package file is what the script makes ------------------------------------------------


def test_regenerated_file_equals_the_shipped_one(source_dir: Path, tmp_path: Path) -> None:
    script = _script()
    out = tmp_path / "dfe.csv.gz"
    script.write(source_dir, out)
    assert gzip.decompress(out.read_bytes()) == gzip.decompress(SHIPPED.read_bytes())
    script.write(source_dir, tmp_path / "again.csv.gz")
    assert (tmp_path / "again.csv.gz").read_bytes() == out.read_bytes()  # deterministic


def test_the_package_file_is_small_and_licensed() -> None:
    assert SHIPPED.stat().st_size < 200_000
    licence = (SHIPPED.parent / "LICENCE-dfe.txt").read_text(encoding="utf-8")
    assert "Open Government Licence v3.0" in licence
    assert "Department for Education" in licence
    doc = (ROOT / "docs" / "dfe-data.md").read_text(encoding="utf-8")
    assert "Open Government Licence v3.0" in doc
    assert "scripts/build_dfe_data.py" in doc


# --- every LA-year against the reference ------------------------------------------------------

_SOURCES = {
    "timeliness_20_week.csv": "All EHC plans issued",
    "requests.csv": "All requests for EHC needs assessments",
    "assessments.csv": "All EHC needs assessments",
}


def _reference(source_dir: Path, name: str) -> pd.DataFrame:
    table = pd.read_csv(source_dir / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    table.columns = [c.strip().lower() for c in table.columns]
    return table[table["breakdown"] == _SOURCES[name]]


@pytest.mark.parametrize("name", list(_SOURCES))
def test_every_area_year_matches_the_reference(source_dir: Path, name: str) -> None:
    """Each published cell of the kept columns, read back through :func:`published`, is the
    reference cell: the same number, or None with the same marker."""
    figures = _script().FIGURES[name][1]
    data = published()
    reference = _reference(source_dir, name)
    checked = 0
    for row in reference.to_dict("records"):
        year = int(row["time_period"])
        level = row["geographic_level"]
        if level == "Local authority":
            ours = data.la(row["old_la_code"], year)
            assert ours is not None
            assert (ours.name, ours.code) == (row["la_name"], row["new_la_code"])
            assert ours.region_code == row["region_code"]
        elif level == "Regional":
            ours = data.region(row["region_code"], year)
        else:
            ours = data.england(year)
        assert ours is not None, (name, year, level)
        for figure, column in figures.items():
            cell = row[column].strip()
            value = ours.get(figure)
            if cell == "x":
                assert value is None
                assert ours.suppressed[figure] == "x"
            elif figure in PERCENT_FIGURES:
                assert value == float(cell), (figure, row)
            else:
                assert value == int(cell), (figure, row)
            checked += 1
    assert checked == len(reference) * len(figures)


def test_every_la_year_of_the_package_is_in_the_reference(source_dir: Path) -> None:
    keys = set()
    for name in _SOURCES:
        ref = _reference(source_dir, name)
        las = ref[ref["geographic_level"] == "Local authority"]
        keys |= set(zip(las["time_period"].astype(int), las["old_la_code"], strict=True))
    ours = {(r.year, r.old_code) for r in published().rows if r.level is Level.LA}
    assert ours == keys
    assert len(ours) > 900


def test_counts_and_percentages_are_typed() -> None:
    row = published().la("919", 2024)
    assert row is not None
    for figure in COUNT_FIGURES:
        assert row.get(figure) is None or type(row.get(figure)) is int
    for figure in PERCENT_FIGURES:
        assert type(row.get(figure)) is float


def test_parse_keeps_markers_and_absent_cells_apart() -> None:
    text = (
        "year,level,region_code,region_name,new_la_code,old_la_code,la_name,"
        "plans_issued,pct_within_20_weeks_excl,requests\n"
        "2024,Local authority,E12000001,North East,E06000099,999,Testshire,12,x,\n"
    )
    row = parse(text).la("999", 2024)
    assert row is not None
    assert row.values == {"plans_issued": 12, "pct_within_20_weeks_excl": None, "requests": None}
    assert row.suppressed == {"pct_within_20_weeks_excl": "x"}


@pytest.mark.parametrize(
    ("year", "excl", "incl", "plans"),
    [(2019, 87.9, 87.1, 1135), (2022, 32.6, 32.3, 1585), (2024, 56.3, 55.2, 1781)],
)
def test_hertfordshire(year: int, excl: float, incl: float, plans: int) -> None:
    row = published().la("919", year)
    assert row is not None
    assert row.get("pct_within_20_weeks_excl") == excl
    assert row.get("pct_within_20_weeks") == incl
    assert row.get("plans_issued") == plans


def test_england_20w_is_the_package_data() -> None:
    data = published()
    for year, (incl, excl) in ENGLAND_20W.items():
        row = data.england(year)
        assert row is not None
        assert (row.get("pct_within_20_weeks"), row.get("pct_within_20_weeks_excl")) == (
            incl,
            excl,
        )
    assert set(ENGLAND_20W) == set(data.years)


def test_buckinghamshire_is_one_council_under_two_new_codes() -> None:
    bucks = find_council("825")
    assert bucks.new_codes == ("E10000002", "E06000060")
    assert find_council("E06000060") == bucks == find_council("E10000002")
    assert bucks.years == (2019, 2020, 2021, 2022, 2023, 2024)


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Herts", "919"),
        ("hertfordshire", "919"),
        ("HERTFORDSHIRE", "919"),
        ("919", "919"),
        ("E10000015", "919"),
        ("e10000015", "919"),
        ("Hertfordshire County Council", "919"),
        ("  Hertfordshire  ", "919"),
        ("Kingston upon Hull, City of", "810"),
        ("Hull City Council", "810"),
        ("City of Bristol", "801"),
        ("Bristol", "801"),
        ("St Helens", "342"),
        ("St. Helens Council", "342"),
        ("Brighton & Hove", "846"),
        ("Telford & Wrekin Council", "894"),
        ("Royal Borough of Greenwich", "203"),
        ("London Borough of Barnet", "302"),
        ("City of London", "201"),
        ("Westminster City Council", "213"),
        ("Leicester City Council", "856"),
        ("Leicester", "856"),
        ("Leicestershire", "855"),
        ("York", "816"),
        ("Stockton on Tees", "808"),
        ("bath", "800"),
        ("Herefordshire", "884"),
        ("The Isles of Scilly", "420"),
        ("Bedford", "822"),
        ("Northamptonshire", "928"),
        ("Cumbria", "909"),
    ],
)
def test_find_council(query: str, code: str) -> None:
    assert find_council(query).old_code == code


@pytest.mark.parametrize(("alias", "code"), sorted(ALIASES.items()))
def test_every_alias_names_a_council(alias: str, code: str) -> None:
    council = find_council(alias)
    assert council.old_code == code
    assert normalise_name(alias) == alias  # aliases are written normalised


@pytest.mark.parametrize(
    ("query", "text", "candidates"),
    [
        ("Beds", "matches several councils", ("Bedford", "Central Bedfordshire")),
        (
            "northants",
            "matches several councils",
            ("Northamptonshire", "North Northamptonshire", "West Northamptonshire"),
        ),
        (
            "Northampton",
            "matches several councils",
            ("North Northamptonshire", "Northamptonshire", "West Northamptonshire"),
        ),
        ("Notingham", "no council called 'Notingham'", ("Nottingham", "Wokingham")),
        ("zzzz", "Closest: none close", ()),
    ],
)
def test_unknown_or_ambiguous_council(query: str, text: str, candidates: tuple[str, ...]) -> None:
    with pytest.raises(UnknownArea) as err:
        find_council(query)
    assert text in str(err.value)
    assert err.value.candidates[: len(candidates)] == candidates
    assert err.value.exit_code == 2


def test_a_region_is_not_a_council() -> None:
    with pytest.raises(UnknownArea, match=r"'London' is a region \(London\)") as err:
        find_council("London")
    assert len(err.value.candidates) == 33


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("East of England", "E12000006"),
        ("east of england", "E12000006"),
        ("E12000006", "E12000006"),
        ("Yorkshire", "E12000003"),
        ("Yorkshire & the Humber", "E12000003"),
        ("london", "E12000007"),
    ],
)
def test_find_region(query: str, code: str) -> None:
    assert find_region(query).code == code


def test_ambiguous_region() -> None:
    with pytest.raises(UnknownArea, match="matches several regions"):
        find_region("East")


# --- ranks -----------------------------------------------------------------------------------


def test_ranks_share_ties_and_skip_after_them() -> None:
    text = (
        "year,level,region_code,region_name,new_la_code,old_la_code,la_name,"
        "pct_within_20_weeks_excl\n"
    )
    rows = [("001", "90"), ("002", "80"), ("003", "80"), ("004", "70"), ("005", "x")]
    for code, pct in rows:
        text += f"2024,Local authority,E12000001,North East,E0600{code},{code},LA {code},{pct}\n"
    got = ranks(parse(text), 2024)
    assert {k: (v.rank, v.of, v.tied) for k, v in got.items()} == {
        "001": (1, 4, False),
        "002": (2, 4, True),
        "003": (2, 4, True),
        "004": (4, 4, False),
    }


def test_hertfordshire_record() -> None:
    record = council_record(find_council("herts"))
    by_year = {y.year: y for y in record.years}
    assert [y.year for y in record.years] == [2019, 2020, 2021, 2022, 2023, 2024]
    assert by_year[2024].rank == 69
    assert by_year[2024].tied
    assert by_year[2019].england["pct_within_20_weeks_excl"] == 60.4
    assert by_year[2019].region["name"] == "East of England"
    assert by_year[2019].suppressed == {"over_20_to_52_weeks": "x", "over_52_weeks": "x"}
    assert by_year[2023].figures["over_20_to_52_weeks"] == 764
    doc = record.to_dict()
    assert doc["schema"] == "ehcp-check/council/1"
    assert doc["council"]["old_la_code"] == "919"
    assert doc["years"][-1]["pct_within_20_weeks_excl"] == 56.3


def test_a_year_without_a_row_is_absent_not_zero() -> None:
    record = council_record(find_council("Leicester"))
    y2023 = next(y for y in record.years if y.year == 2023)
    assert y2023.figures["plans_issued"] is None  # no timeliness row that year
    assert "plans_issued" not in y2023.suppressed  # absent, not a marker
    assert y2023.rank is None
    assert y2023.code == "E06000016"  # its requests row is there, all "x"
    row = published().la("856", 2023)
    assert row is not None
    assert row.get("requests") is None
    assert row.suppressed["requests"] == "x"


def test_rank_of_each_year_is_against_every_published_council() -> None:
    data = published()
    for year in data.years:
        rank = ranks(data, year)
        scored = [r for r in data.las(year) if r.get("pct_within_20_weeks_excl") is not None]
        assert len(rank) == len(scored)
        best = max(scored, key=lambda r: float(r.get("pct_within_20_weeks_excl") or 0))
        assert rank[best.old_code or ""].rank == 1


@pytest.mark.parametrize("sort", list(LeagueSort))
def test_league_sorts(sort: LeagueSort) -> None:
    table = league(2024, sort=sort, region="East of England")
    names = [r.name for r in table.rows]
    assert len(names) == 11
    if sort is LeagueSort.NAME:
        assert names == sorted(names, key=str.lower)
    else:
        key = {
            LeagueSort.PCT_EXCL: "pct_within_20_weeks_excl",
            LeagueSort.PCT: "pct_within_20_weeks",
            LeagueSort.PLANS: "plans_issued",
        }[sort]
        values = [r.figures[key] for r in table.rows]
        assert values == sorted(values, reverse=True)
    assert table.ranked == 151


def test_league_unknown_year() -> None:
    with pytest.raises(UsageError, match="no published figures for 2018"):
        league(2018)


def test_every_council_is_found_by_its_names_and_codes() -> None:
    for council in published().councils:
        for query in (
            council.name,
            council.name.upper(),
            f"{council.name} Council",
            council.name.replace(" and ", " & "),
            council.old_code,
            *council.new_codes,
        ):
            assert find_council(query) == council, query


def test_a_long_or_hostile_name_is_shortened_and_escaped() -> None:
    with pytest.raises(UnknownArea) as err:
        find_council("\x1b[2J" + "z" * 200)
    message = str(err.value)
    assert "\x1b" not in message
    assert "\\x1b" in message  # shown escaped
    assert len(message) < 160


def test_england_figures_read_alone_match_the_full_table() -> None:
    """The headline's quick read of England's rows gives what the full table holds, read
    before or after the full table is."""
    from ehcp_check import published as module

    figures = ("pct_within_20_weeks", "pct_within_20_weeks_excl", "plans_issued", "requests")
    module.published.cache_clear()
    alone = module.england_figures(*figures)
    data = module.published()
    full = {}
    for year in data.years:
        row = data.england(year)
        assert row is not None
        full[year] = tuple(row.get(f) for f in figures)
    assert alone == full
    assert module.england_figures(*figures) == full
    assert len(full) >= 6
