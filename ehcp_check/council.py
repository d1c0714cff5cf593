"""One council's published record over the years, and the league of councils for one year.

Built from :mod:`ehcp_check.published` (the Department for Education's SEN2 figures,
Open Government Licence v3.0). The measure is the DfE's: new EHC plans issued within 20
weeks of the request (Reg. 13(2) SEND Regulations 2014), by calendar year of issue, including
and excluding the cases where an exception under Reg. 13(3) applied.

Ranks are among all councils in England with a published figure that year, by % within 20
weeks **excluding** exceptions (the DfE's headline measure): 1 = best (highest %); councils
with equal figures share a rank ("standard competition" ranking: 1, 2, 2, 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .published import Council, Published, YearFigures, find_region, published

__all__ = [
    "RANK_FIGURE",
    "CouncilRecord",
    "CouncilYear",
    "League",
    "LeagueRow",
    "LeagueSort",
    "council_record",
    "league",
    "ranks",
]

#: The figure councils are ranked by.
RANK_FIGURE = "pct_within_20_weeks_excl"


class LeagueSort(StrEnum):
    """Orders of the league table."""

    PCT_EXCL = "pct_excl"
    PCT = "pct"
    PLANS = "plans"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class Rank:
    rank: int
    of: int
    tied: bool


def ranks(data: Published, year: int) -> dict[str, Rank]:
    """3-digit code -> rank among councils that year by :data:`RANK_FIGURE` (1 = best,
    ties share the better rank); councils without a published figure are not ranked."""
    scored = [
        (float(v), r.old_code)
        for r in data.las(year)
        if r.old_code and (v := r.get(RANK_FIGURE)) is not None
    ]
    scored.sort(key=lambda t: -t[0])
    counts: dict[float, int] = {}
    for value, _ in scored:
        counts[value] = counts.get(value, 0) + 1
    out: dict[str, Rank] = {}
    first: dict[float, int] = {}
    for position, (value, code) in enumerate(scored, start=1):
        rank = first.setdefault(value, position)
        out[code] = Rank(rank, len(scored), counts[value] > 1)
    return out


def _figures(row: YearFigures | None) -> dict[str, Any]:
    keys = (
        "plans_issued",
        "plans_issued_excl",
        "within_20_weeks",
        "within_20_weeks_excl",
        "pct_within_20_weeks",
        "pct_within_20_weeks_excl",
        "over_20_to_52_weeks",
        "over_52_weeks",
    )
    return {k: None if row is None else row.get(k) for k in keys}


@dataclass(frozen=True, slots=True)
class CouncilYear:
    """One council's published figures for one calendar year, with England's and its
    region's beside them."""

    year: int
    #: Published figures (None when suppressed or not published): the keys of
    #: :func:`_figures`.
    figures: dict[str, Any]
    #: Figure -> suppression marker, for figures published as a marker.
    suppressed: dict[str, str]
    rank: int | None
    ranked: int
    tied: bool
    region: dict[str, Any]
    england: dict[str, Any]
    #: The council's 9-character code that year.
    code: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "code": self.code,
            **self.figures,
            "suppressed": dict(sorted(self.suppressed.items())),
            "rank": self.rank,
            "ranked": self.ranked,
            "rank_tied": self.tied,
            "region": self.region,
            "england": self.england,
        }


@dataclass(frozen=True, slots=True)
class CouncilRecord:
    council: Council
    years: tuple[CouncilYear, ...]

    def to_dict(self) -> dict[str, Any]:
        from . import __version__
        from .published import SOURCE

        c = self.council
        return {
            "schema": "ehcp-check/council/1",
            "tool_version": __version__,
            "source": SOURCE,
            "council": {
                "name": c.name,
                "old_la_code": c.old_code,
                "new_la_codes": list(c.new_codes),
                "region_code": c.region_code,
                "region": c.region_name,
            },
            "rank_by": RANK_FIGURE,
            "rank_note": "1 = best (highest %), ties share a rank",
            "years": [y.to_dict() for y in self.years],
        }


def council_record(council: Council, data: Published | None = None) -> CouncilRecord:
    """Every published year of ``council`` (a year it has no row shows as absent figures)."""
    data = data or published()
    years = []
    for year in data.years:
        row = data.la(council.old_code, year)
        rank = ranks(data, year)
        mine = rank.get(council.old_code)
        region_code = (row.region_code if row else None) or council.region_code
        region_row = data.region(region_code, year)
        region = {
            "name": region_row.name if region_row else council.region_name,
            "pct_within_20_weeks": region_row.get("pct_within_20_weeks") if region_row else None,
            "pct_within_20_weeks_excl": (
                region_row.get("pct_within_20_weeks_excl") if region_row else None
            ),
        }
        eng = data.england(year)
        england = {
            "pct_within_20_weeks": eng.get("pct_within_20_weeks") if eng else None,
            "pct_within_20_weeks_excl": eng.get("pct_within_20_weeks_excl") if eng else None,
        }
        figures = _figures(row)
        years.append(
            CouncilYear(
                year=year,
                figures=figures,
                suppressed={
                    k: v for k, v in (row.suppressed if row else {}).items() if k in figures
                },
                rank=mine.rank if mine else None,
                ranked=len(rank),
                tied=bool(mine and mine.tied),
                region=region,
                england=england,
                code=row.code if row else None,
            )
        )
    return CouncilRecord(council, tuple(years))


@dataclass(frozen=True, slots=True)
class LeagueRow:
    rank: int | None
    tied: bool
    name: str
    old_code: str
    code: str
    region: str
    figures: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "rank_tied": self.tied,
            "name": self.name,
            "old_la_code": self.old_code,
            "new_la_code": self.code,
            "region": self.region,
            **self.figures,
        }


@dataclass(frozen=True, slots=True)
class League:
    year: int
    sort: LeagueSort
    region: str | None
    ranked: int
    rows: tuple[LeagueRow, ...]
    england: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        from . import __version__
        from .published import SOURCE

        return {
            "schema": "ehcp-check/councils/1",
            "tool_version": __version__,
            "source": SOURCE,
            "year": self.year,
            "sort": self.sort.value,
            "region": self.region,
            "rank_by": RANK_FIGURE,
            "rank_note": "1 = best (highest %) among all councils in England, ties share a rank",
            "ranked": self.ranked,
            "england": self.england,
            "councils": [r.to_dict() for r in self.rows],
        }


def _sort_key(sort: LeagueSort) -> Any:
    def figure(row: LeagueRow, key: str) -> tuple[bool, float, str]:
        value = row.figures.get(key)
        return (value is None, -float(value or 0), row.name.lower())

    if sort is LeagueSort.NAME:
        return lambda r: r.name.lower()
    key = {
        LeagueSort.PCT_EXCL: "pct_within_20_weeks_excl",
        LeagueSort.PCT: "pct_within_20_weeks",
        LeagueSort.PLANS: "plans_issued",
    }[sort]
    return lambda r: figure(r, key)


def league(
    year: int,
    *,
    sort: LeagueSort = LeagueSort.PCT_EXCL,
    region: str | None = None,
    data: Published | None = None,
) -> League:
    """Every council's published figures for ``year``, ranked; ``region`` (a name or code,
    matched forgivingly) keeps that region's councils, with their England-wide ranks."""
    data = data or published()
    if year not in data.years:
        from .errors import UsageError

        raise UsageError(
            f"no published figures for {year}; the release covers {data.years[0]}-{data.years[-1]}."
        )
    found = find_region(region, data) if region else None
    rank = ranks(data, year)
    rows = []
    for row in data.las(year):
        if found and row.region_code != found.code:
            continue
        mine = rank.get(row.old_code or "")
        rows.append(
            LeagueRow(
                rank=mine.rank if mine else None,
                tied=bool(mine and mine.tied),
                name=row.name,
                old_code=row.old_code or "",
                code=row.code,
                region=row.region_name or "",
                figures=_figures(row),
            )
        )
    rows.sort(key=_sort_key(sort))
    eng = data.england(year)
    return League(
        year=year,
        sort=sort,
        region=found.name if found else None,
        ranked=len(rank),
        rows=tuple(rows),
        england=_figures(eng),
    )
