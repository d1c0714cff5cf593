"""Views of the Department for Education's published figures: one council over the years
(:func:`render_council`) and the councils of one year ranked (:func:`render_league`), as
terminal text, CSV and Markdown. JSON is the records' ``to_dict``.

Terminal text is laid out for 80 columns; ``plain`` (output piped, or colour off) keeps it
to ASCII: ``#`` bars and a letter sparkline instead of block characters.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from .safe import neutralise

if TYPE_CHECKING:
    from ..council import CouncilRecord, League

__all__ = [
    "council_csv",
    "council_markdown",
    "league_csv",
    "league_markdown",
    "render_council",
    "render_league",
    "sparkline",
]

_BLOCKS = "▁▂▃▄▅▆▇█"
_ASCII_LEVELS = "_.,-=+*#"

SOURCE_LINE = (
    "Source: Department for Education, Education, health and care plans (SEN2),\n"
    "reporting year 2025. Open Government Licence v3.0."
)


def sparkline(values: list[float | None], *, plain: bool, top: float = 100.0) -> str:
    """One character per value on a fixed 0..``top`` scale (so two councils' lines compare);
    a space for a missing value."""
    levels = _ASCII_LEVELS if plain else _BLOCKS
    out = []
    for value in values:
        if value is None:
            out.append(" ")
            continue
        fraction = min(max(value / top, 0.0), 1.0)
        out.append(levels[min(int(fraction * len(levels)), len(levels) - 1)])
    return "".join(out)


def _bar(fraction: float, width: int, *, plain: bool) -> str:
    fraction = min(max(fraction, 0.0), 1.0)
    if plain:
        return "#" * round(fraction * width)
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")


def _cell(value: Any, marker: str | None = None, *, pct: bool = False) -> str:
    """A figure as shown: ``1,135``, ``87.9``; the DfE marker (``x``) when suppressed, ``-``
    when not published at all."""
    if value is None:
        return marker or "-"
    if pct:
        return f"{float(value):.1f}"
    return f"{int(value):,}"


def _rank(rank: int | None, of: int, tied: bool) -> str:
    if rank is None:
        return "-"
    return f"{'=' if tied else ''}{rank} of {of}"


def _fit(text: str, width: int, *, plain: bool) -> str:
    if len(text) <= width:
        return text
    ellipsis = "..." if plain else "…"
    return text[: width - len(ellipsis)] + ellipsis


def render_council(record: CouncilRecord, *, plain: bool) -> str:
    """One council's record, for 80 columns."""
    c = record.council
    dot = " - " if plain else " · "
    codes = "/".join(c.new_codes)
    lines = [
        f"{c.name}{dot}{c.old_code}{dot}{codes}{dot}{c.region_name}",
        "New EHC plans issued within 20 weeks (Reg. 13(2)), by calendar year of issue",
        "",
        f"{'Year':<4}  {'Plans':>6}  {'% incl':>6}  {'% excl':>6}  {'Rank':>11}  "
        f"{'Region':>6}  {'England':>7}  {'20-52w':>6}  {'>52w':>5}",
    ]
    rule = "-" if plain else "─"
    lines.append(rule * len(lines[-1]))
    for y in record.years:
        f, s = y.figures, y.suppressed
        pct = _cell(f["pct_within_20_weeks"], s.get("pct_within_20_weeks"), pct=True)
        excl = _cell(f["pct_within_20_weeks_excl"], s.get("pct_within_20_weeks_excl"), pct=True)
        lines.append(
            f"{y.year:<4}  {_cell(f['plans_issued'], s.get('plans_issued')):>6}  "
            f"{pct:>6}  {excl:>6}  "
            f"{_rank(y.rank, y.ranked, y.tied):>11}  "
            f"{_cell(y.region['pct_within_20_weeks_excl'], pct=True):>6}  "
            f"{_cell(y.england['pct_within_20_weeks_excl'], pct=True):>7}  "
            f"{_cell(f['over_20_to_52_weeks'], s.get('over_20_to_52_weeks')):>6}  "
            f"{_cell(f['over_52_weeks'], s.get('over_52_weeks')):>5}"
        )
    first, last = record.years[0].year, record.years[-1].year
    mine = [y.figures["pct_within_20_weeks_excl"] for y in record.years]
    eng = [y.england["pct_within_20_weeks_excl"] for y in record.years]
    pad = max(len(c.name), len("England"))
    lines += [
        "",
        f"Trend of % excl., {first}-{last} (scale 0-100):",
        f"  {c.name:<{pad}}  [{sparkline(mine, plain=plain)}]",
        f"  {'England':<{pad}}  [{sparkline(eng, plain=plain)}]",
        "",
        "% incl / % excl: within 20 weeks, including / excluding exceptions (Reg. 13(3)).",
        "Rank: among councils in England by % excl., 1 = best; '=' marks a tie.",
        "Region, England: their % excl. the same year. 20-52w, >52w: plans issued after",
        "more than 20 weeks and up to 52, after more than 52 weeks (published from 2023).",
        "x = not available (the DfE's marker); - = no figure that year.",
        SOURCE_LINE,
    ]
    return "\n".join(lines) + "\n"


def render_league(table: League, *, plain: bool) -> str:
    """The councils of one year, ranked, for 80 columns."""
    where = f", {table.region}" if table.region else ", England"
    lines = [
        f"Councils, {table.year}{where}",
        "New EHC plans issued within 20 weeks (Reg. 13(2)), by calendar year of issue",
        f"Rank by % excl. exceptions among all {table.ranked} ranked councils in England, 1 = best",
        "",
        f"{'Rank':>5}  {'Council':<27}  {'Plans':>6}  {'% incl':>6}  {'% excl':>6}  % excl, 0-100",
    ]
    rule = "-" if plain else "─"
    width = len(lines[-1]) + 4  # the bar column is wider than its heading
    lines.append(rule * width)

    def row(rank: str, name: str, f: dict[str, Any]) -> str:
        excl = f["pct_within_20_weeks_excl"]
        drawn = _bar(float(excl) / 100, 17, plain=plain) if excl is not None else ""
        return (
            f"{rank:>5}  {_fit(name, 27, plain=plain):<27}  {_cell(f['plans_issued']):>6}  "
            f"{_cell(f['pct_within_20_weeks'], pct=True):>6}  "
            f"{_cell(excl, pct=True):>6}  {drawn}".rstrip()
        )

    for r in table.rows:
        rank = "-" if r.rank is None else f"{'=' if r.tied else ''}{r.rank}"
        lines.append(row(rank, r.name, r.figures))
    lines.append(rule * width)
    lines.append(row("", "England", table.england))
    lines += [
        "",
        "'=' marks a tie; - = no published figure. % excl. leaves out exception cases",
        "(Reg. 13(3)).",
        SOURCE_LINE,
    ]
    return "\n".join(lines) + "\n"


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return buffer.getvalue()


_FIGURE_KEYS = (
    "plans_issued",
    "plans_issued_excl",
    "within_20_weeks",
    "within_20_weeks_excl",
    "pct_within_20_weeks",
    "pct_within_20_weeks_excl",
    "over_20_to_52_weeks",
    "over_52_weeks",
)


def _council_rows(record: CouncilRecord) -> list[dict[str, Any]]:
    c = record.council
    rows = []
    for y in record.years:
        rows.append(
            {
                "council": c.name,
                "old_la_code": c.old_code,
                "new_la_code": y.code or "",
                "year": y.year,
                **{k: y.figures[k] for k in _FIGURE_KEYS},
                "rank": y.rank,
                "ranked": y.ranked,
                "rank_tied": y.tied,
                "region": y.region["name"],
                "region_pct_within_20_weeks_excl": y.region["pct_within_20_weeks_excl"],
                "england_pct_within_20_weeks_excl": y.england["pct_within_20_weeks_excl"],
                "suppressed": ";".join(f"{k}={v}" for k, v in sorted(y.suppressed.items())),
            }
        )
    return rows


def council_csv(record: CouncilRecord) -> str:
    """One row per year; empty cells where nothing is published (``suppressed`` names the
    figures published as a marker)."""
    return _csv(_council_rows(record))


def _league_rows(table: League) -> list[dict[str, Any]]:
    return [
        {
            "year": table.year,
            "rank": r.rank,
            "rank_tied": r.tied,
            "council": r.name,
            "old_la_code": r.old_code,
            "new_la_code": r.code,
            "region": r.region,
            **{k: r.figures[k] for k in _FIGURE_KEYS},
        }
        for r in table.rows
    ]


def league_csv(table: League) -> str:
    return _csv(_league_rows(table))


def _md(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value).replace("|", "\\|")


def _markdown(title: str, rows: list[dict[str, Any]], keys: list[str]) -> str:
    lines = [f"# {title}", "", "| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for row in rows:
        lines.append("| " + " | ".join(_md(row[k]) for k in keys) + " |")
    lines += ["", SOURCE_LINE, ""]
    return "\n".join(lines)


def council_markdown(record: CouncilRecord) -> str:
    keys = [
        "year",
        "plans_issued",
        "pct_within_20_weeks",
        "pct_within_20_weeks_excl",
        "rank",
        "region_pct_within_20_weeks_excl",
        "england_pct_within_20_weeks_excl",
        "over_20_to_52_weeks",
        "over_52_weeks",
    ]
    c = record.council
    title = f"{c.name} ({c.old_code}, {c.region_name}): EHC plans issued within 20 weeks"
    return _markdown(title, _council_rows(record), keys)


def league_markdown(table: League) -> str:
    keys = [
        "rank",
        "council",
        "region",
        "plans_issued",
        "pct_within_20_weeks",
        "pct_within_20_weeks_excl",
    ]
    where = f", {table.region}" if table.region else ""
    title = f"Councils ranked by EHC plans issued within 20 weeks, {table.year}{where}"
    return _markdown(title, _league_rows(table), keys)
