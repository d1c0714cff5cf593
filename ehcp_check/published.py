"""The Department for Education's published EHC plan figures, shipped with the package.

Source: Department for Education, "Education, health and care plans", reporting year 2025
release (calendar years 2019-2024), SEN2 statutory return: ``timeliness_20_week.csv``,
``requests.csv`` and ``assessments.csv``;
https://explore-education-statistics.service.gov.uk/find-statistics/education-health-and-care-plans
Contains public sector information licensed under the Open Government Licence v3.0
(``ehcp_check/data/LICENCE-dfe.txt``; ``docs/dfe-data.md``).

The package file ``data/dfe-ehcp-2025.csv.gz`` (built by ``scripts/build_dfe_data.py``) holds
one row per area (England, region, local authority) and calendar year. It is read the first
time it is needed, with the standard library only (no pandas), and cached: commands that do
not use it never pay for it. This is package data, not a user's file.

Figures keep the published meaning (SEN2 counts plans by calendar year of **issue**):

* ``within_20_weeks`` counts plans issued within 20 weeks of the request (Reg. 13(2));
  ``_excl`` figures leave out the cases where an exception applied (Reg. 13(3));
* ``over_20_to_52_weeks`` / ``over_52_weeks`` are the published bands;
* ``decisions_within_6_weeks``: requests decided within 6 weeks (Reg. 4(2) and 5(1));
* ``no_plan_over_16_weeks``: decisions not to issue a plan notified after 16 weeks
  (Reg. 10(1)).

A suppressed or unavailable cell is ``None``, and the marker it had (``x``) is kept in
:attr:`YearFigures.suppressed`.
"""

from __future__ import annotations

import csv
import difflib
import functools
import gzip
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from typing import TYPE_CHECKING

from .errors import EhcpCheckError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COUNT_FIGURES",
    "DATA_FILE",
    "PERCENT_FIGURES",
    "RELEASE",
    "SOURCE",
    "Council",
    "Level",
    "Published",
    "Region",
    "UnknownArea",
    "YearFigures",
    "find_council",
    "find_region",
    "normalise_name",
    "published",
]

#: The package file and the release it comes from.
DATA_FILE = "dfe-ehcp-2025.csv.gz"
RELEASE = "Education, health and care plans, reporting year 2025 (calendar years 2019-2024)"
SOURCE = (
    "Department for Education, 'Education, health and care plans', reporting year 2025 "
    "(SEN2). Open Government Licence v3.0."
)

#: Figures that are percentages (one decimal place, as published).
PERCENT_FIGURES: frozenset[str] = frozenset(
    {"pct_within_20_weeks", "pct_within_20_weeks_excl", "pct_within_6_weeks"}
)

#: Figures that are counts, in the order of the package file.
COUNT_FIGURES: tuple[str, ...] = (
    "plans_issued",
    "plans_issued_excl",
    "within_20_weeks",
    "within_20_weeks_excl",
    "over_20_to_52_weeks",
    "over_20_to_52_weeks_excl",
    "over_52_weeks",
    "over_52_weeks_excl",
    "requests",
    "requests_not_assessed",
    "decisions_within_6_weeks",
    "decisions_over_6_weeks",
    "requests_mediation",
    "requests_tribunal",
    "assessments",
    "no_plan_decisions",
    "no_plan_within_16_weeks",
    "no_plan_over_16_weeks",
    "assessments_mediation",
    "assessments_tribunal",
)

_KEY_COLUMNS = (
    "year",
    "level",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
)

ENGLAND_CODE = "E92000001"


class Level(StrEnum):
    """The geography of a published row."""

    ENGLAND = "england"
    REGION = "region"
    LA = "la"


_LEVELS: dict[str, Level] = {
    "National": Level.ENGLAND,
    "Regional": Level.REGION,
    "Local authority": Level.LA,
}


@dataclass(frozen=True, slots=True)
class YearFigures:
    """One area's published figures for one calendar year."""

    year: int
    level: Level
    #: The 9-character code: the LA's new code that year, the region's, or England's.
    code: str
    #: The LA's 3-digit code (None for England and regions).
    old_code: str | None
    name: str
    region_code: str | None
    region_name: str | None
    #: Figure -> value (int count or float percentage); None when suppressed or absent.
    values: Mapping[str, int | float | None]
    #: Figure -> the suppression marker the cell had (e.g. ``x``); absent figures are not here.
    suppressed: Mapping[str, str]

    def get(self, figure: str) -> int | float | None:
        return self.values.get(figure)


@dataclass(frozen=True, slots=True)
class Council:
    """A local authority across the years: named by its 3-digit code, which stays the same
    when its 9-character code changes (Buckinghamshire, 825: E10000002 and E06000060)."""

    old_code: str
    name: str
    new_codes: tuple[str, ...]
    region_code: str
    region_name: str
    years: tuple[int, ...]

    @property
    def code(self) -> str:
        """The latest 9-character code."""
        return self.new_codes[-1]


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    name: str


class UnknownArea(EhcpCheckError):
    """A council or region name that matches none, or several (exit 2)."""

    def __init__(self, message: str, query: str, candidates: tuple[str, ...]) -> None:
        super().__init__(message)
        self.query = query
        self.candidates = candidates


@dataclass(frozen=True)
class Published:
    """Every published row, with lookups by area and year."""

    rows: tuple[YearFigures, ...]
    _index: dict[tuple[Level, str, int], YearFigures] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for row in self.rows:
            key = row.old_code if row.level is Level.LA else row.code
            self._index[(row.level, key or "", row.year)] = row

    @functools.cached_property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({r.year for r in self.rows}))

    @functools.cached_property
    def councils(self) -> tuple[Council, ...]:
        """Every LA in any year, by 3-digit code (name and region from its latest year)."""
        by_code: dict[str, list[YearFigures]] = {}
        for row in self.rows:
            if row.level is Level.LA and row.old_code:
                by_code.setdefault(row.old_code, []).append(row)
        out = []
        for old_code, rows in by_code.items():
            rows.sort(key=lambda r: r.year)
            latest = rows[-1]
            new_codes = tuple(dict.fromkeys(r.code for r in rows))
            out.append(
                Council(
                    old_code=old_code,
                    name=latest.name,
                    new_codes=new_codes,
                    region_code=latest.region_code or "",
                    region_name=latest.region_name or "",
                    years=tuple(r.year for r in rows),
                )
            )
        return tuple(sorted(out, key=lambda c: c.name.lower()))

    @functools.cached_property
    def regions(self) -> tuple[Region, ...]:
        seen = {
            r.code: Region(r.code, r.name) for r in self.rows if r.level is Level.REGION and r.code
        }
        return tuple(sorted(seen.values(), key=lambda r: r.code))

    def england(self, year: int) -> YearFigures | None:
        return self._index.get((Level.ENGLAND, ENGLAND_CODE, year))

    def region(self, code: str, year: int) -> YearFigures | None:
        return self._index.get((Level.REGION, code, year))

    def la(self, old_code: str, year: int) -> YearFigures | None:
        return self._index.get((Level.LA, old_code, year))

    def las(self, year: int) -> list[YearFigures]:
        return [r for r in self.rows if r.level is Level.LA and r.year == year]


def _number(figure: str, text: str) -> int | float:
    return float(text) if figure in PERCENT_FIGURES else int(text)


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _is_number(text: str) -> bool:
    return _NUMBER.fullmatch(text) is not None


def _value(figure: str, cell: str) -> int | float | None:
    """A figure's cell as its number, or None (suppressed or empty)."""
    return _number(figure, cell) if _is_number(cell) else None


def parse(text: str) -> Published:
    """Read the package file's CSV text."""
    reader = csv.DictReader(io.StringIO(text))
    figures = [c for c in (reader.fieldnames or []) if c not in _KEY_COLUMNS]
    rows = []
    for raw in reader:
        values: dict[str, int | float | None] = {}
        suppressed: dict[str, str] = {}
        for figure in figures:
            cell = raw[figure]
            values[figure] = _value(figure, cell)
            if values[figure] is None and cell:
                suppressed[figure] = cell
        level = _LEVELS[raw["level"]]
        if level is Level.ENGLAND:
            code, name = ENGLAND_CODE, "England"
        elif level is Level.REGION:
            code, name = raw["region_code"], raw["region_name"]
        else:
            code, name = raw["new_la_code"], raw["la_name"]
        rows.append(
            YearFigures(
                year=int(raw["year"]),
                level=level,
                code=code,
                old_code=raw["old_la_code"] or None,
                name=name,
                region_code=raw["region_code"] or None,
                region_name=raw["region_name"] or None,
                values=values,
                suppressed=suppressed,
            )
        )
    return Published(tuple(rows))


def _package_text() -> str:
    data = resources.files("ehcp_check").joinpath("data", DATA_FILE).read_bytes()
    return gzip.decompress(data).decode("utf-8")


@functools.cache
def published() -> Published:
    """The shipped figures, read once per process."""
    return parse(_package_text())


def england_figures(*figures: str) -> dict[int, tuple[int | float | None, ...]]:
    """England's ``figures`` per year from the shipped file, reading only England's rows
    (an audit's headline needs two numbers, not every council's table). The same values as
    ``published().england(year).get(figure)``."""
    national = next(k for k, v in _LEVELS.items() if v is Level.ENGLAND)
    reader = csv.reader(io.StringIO(_package_text()))
    at = {name: i for i, name in enumerate(next(reader))}
    return {
        int(raw[at["year"]]): tuple(_value(f, raw[at[f]]) if f in at else None for f in figures)
        for raw in reader
        if raw[at["level"]] == national
    }


# --- finding a council by a name people use -----------------------------------------------

#: Short names people use -> the council's 3-digit code. Only names that point at one
#: council; "Beds" (Bedford or Central Bedfordshire) is left to the ambiguity message.
ALIASES: dict[str, str] = {
    "herts": "919",
    "bucks": "825",
    "cambs": "873",
    "glos": "916",
    "hants": "850",
    "lancs": "888",
    "leics": "855",
    "lincs": "925",
    "notts": "891",
    "oxon": "931",
    "staffs": "860",
    "wilts": "865",
    "worcs": "885",
    "hull": "810",
    "durham": "840",
    "bristol": "801",
    "herefordshire": "884",
    "bcp": "839",
    "brighton": "846",
    "stoke": "861",
    "southend": "882",
    "newcastle": "391",
    "iow": "921",
    "rbkc": "207",
    "kensington": "207",
    "hammersmith": "205",
    "lbbd": "301",
    "barking": "301",
    "east riding": "811",
    "north yorks": "815",
    "telford": "894",
    "windsor": "868",
    "richmond": "318",
    "kingston": "314",
}

#: Short names that point at more than one council: listed, never guessed.
SHARED_NAMES: dict[str, tuple[str, ...]] = {
    "beds": ("822", "823"),
    "northants": ("928", "940", "941"),
}

#: Words that name the kind of council, not which one; dropped when matching.
_PREFIXES = (
    "london borough of ",
    "royal borough of ",
    "metropolitan borough of ",
    "borough of ",
    "city and county of ",
    "city of ",
    "county of ",
)
_SUFFIXES = (
    " metropolitan borough council",
    " metropolitan district council",
    " county borough council",
    " borough council",
    " county council",
    " district council",
    " city council",
    " council",
    " city of",
    " county of",
    " unitary authority",
)


def normalise_name(text: str) -> str:
    """Lower case, ``&`` read as ``and``, punctuation as spaces, one space between words:
    ``"St. Helens"`` -> ``"st helens"``; ``"Kingston upon Hull, City of"`` ->
    ``"kingston upon hull city of"``."""
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^\w]+", " ", text).replace("_", " ")
    return " ".join(text.split())


def _unsuffixed(name: str) -> str:
    """A normalised name without a trailing "Council", "County Council", "City of"..."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _bare(name: str) -> str:
    """A normalised name without "the", "City of", "Council" and the like."""
    out = name.removeprefix("the ")
    for prefix in _PREFIXES:
        if out.startswith(prefix) and len(out) > len(prefix):
            out = out[len(prefix) :]
            break
    return _unsuffixed(out)


def _unknown(
    query: str, kind: str, names: Iterable[str], near: list[str], *, several: bool = False
) -> UnknownArea:
    """The error for a name that matched none (closest names found by difflib) or
    ``several`` (the names it matched)."""
    names = list(names)
    shown_query = query if len(query) <= 40 else query[:39] + "…"
    if not near:
        wanted = _bare(normalise_name(query))
        keyed = {_bare(normalise_name(n)): n for n in names}
        near = [keyed[k] for k in difflib.get_close_matches(wanted, keyed, n=5, cutoff=0.6)]
    shown = "; ".join(near) if near else "none close"
    if several:
        message = (
            f"{shown_query!r} matches several {kind}s: {shown}. Give more of the name or a code."
        )
    else:
        message = (
            f"no {kind} called {shown_query!r} in the Department for Education's figures. "
            f"Closest: {shown}."
        )
    return UnknownArea(message, query, tuple(near))


def find_council(query: str, data: Published | None = None) -> Council:
    """The council a name or code points at: its 3-digit or 9-character code, its name in
    any case, with or without punctuation, "&" for "and", "City of", "Council" and the
    like, a short name from :data:`ALIASES`, or a part of the name that only one council
    has. Raises :class:`UnknownArea` listing the closest names when none or several match.
    """
    data = data or published()
    councils = data.councils
    text = query.strip()
    upper = text.upper()
    for council in councils:
        if text == council.old_code or upper in council.new_codes:
            return council
    if text.isdigit() and len(text) <= 3:
        for council in councils:
            if text.zfill(3) == council.old_code:
                return council
    wanted = normalise_name(text)
    bare = _bare(wanted)
    by_code = {c.old_code: c for c in councils}
    for key in (wanted, bare):
        if key in ALIASES and ALIASES[key] in by_code:
            return by_code[ALIASES[key]]
    for key in (wanted, bare):
        if key in SHARED_NAMES:
            shared = [by_code[c].name for c in SHARED_NAMES[key] if c in by_code]
            raise _unknown(query, "council", [], shared, several=True)
    full = [c for c in councils if normalise_name(c.name) == wanted]
    if len(full) == 1:
        return full[0]
    plain = _unsuffixed(wanted)
    named = [c for c in councils if _unsuffixed(normalise_name(c.name)) == plain]
    if len(named) == 1:
        return named[0]
    regions = {normalise_name(r.name): r.name for r in data.regions}
    if bare in regions:
        members = sorted(c.name for c in councils if c.region_name == regions[bare])
        raise UnknownArea(
            f"{query!r} is a region ({regions[bare]}), not one council; name one of its "
            f"{len(members)} councils (e.g. {'; '.join(members[:3])}) or use "
            f"'councils --region'.",
            query,
            tuple(members),
        )
    exact = [c for c in councils if normalise_name(c.name) in (wanted, bare)]
    if len(exact) == 1:
        return exact[0]
    bare_match = [c for c in councils if _bare(normalise_name(c.name)) == bare]
    if len(bare_match) == 1:
        return bare_match[0]
    if len(bare) >= 4:
        pattern = re.compile(rf"\b{re.escape(bare)}")
        partial = [c for c in councils if pattern.search(normalise_name(c.name))]
        if len(partial) == 1:
            return partial[0]
        if partial:
            raise _unknown(query, "council", [], [c.name for c in partial[:8]], several=True)
    raise _unknown(query, "council", [c.name for c in councils], [])


def find_region(query: str, data: Published | None = None) -> Region:
    """A region by its code (``E12000006``) or name, matched like council names."""
    data = data or published()
    text = query.strip()
    wanted = _bare(normalise_name(text))
    for region in data.regions:
        if text.upper() == region.code or normalise_name(region.name) == wanted:
            return region
    partial = [r for r in data.regions if wanted and wanted in normalise_name(r.name)]
    if len(partial) == 1:
        return partial[0]
    near = [r.name for r in partial]
    raise _unknown(query, "region", [r.name for r in data.regions], near, several=bool(near))


def audit_council(
    verdicts: pd.DataFrame, la: str | None, data: Published | None = None
) -> Council | None:
    """The council an audit is about: ``la`` (a name or code; an unknown one raises
    :class:`UnknownArea`), else the one council the case table's ``la`` column names
    throughout, else None (no column, several councils, or a name that is no council's)."""
    if la is not None:
        return find_council(la, data or published())
    if "la" not in verdicts.columns:
        return None
    distinct = {str(v).strip() for v in verdicts["la"].dropna().unique().tolist()} - {""}
    if not distinct:
        return None
    data = data or published()
    try:
        councils = {c.old_code: c for c in (find_council(n, data) for n in sorted(distinct))}
    except UnknownArea:
        return None
    return next(iter(councils.values())) if len(councils) == 1 else None
