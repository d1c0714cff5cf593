"""Views of a comparison with the published figures (:class:`~ehcp_check.compare_model.
CompareResult`): terminal text for 80 columns, CSV and Markdown. JSON is ``to_dict``.

:func:`render_published_comparison` is the short block an audit shows when it knows its
council (the audit's figure per year beside the published one); it is self-contained so the
audit's terminal report can place it where it likes.

Text that came from the reply (period labels, file and sheet names) has control characters
replaced before it reaches a terminal, and is neutralised against formula injection in CSV.
"""

from __future__ import annotations

import csv
import io
import textwrap
import unicodedata
from typing import TYPE_CHECKING, Any

from ..compare_model import signed
from .safe import neutralise

if TYPE_CHECKING:
    from ..compare_model import CompareResult, YearComparison

__all__ = [
    "compare_csv",
    "compare_markdown",
    "render_compare",
    "render_published_comparison",
]

WIDTH = 80

_LABELS = {
    "plans_issued": "plans issued",
    "plans_issued_within_20_weeks": "within 20 weeks",
    "plans_issued_excl": "plans issued, excl. exc.",
    "within_20_weeks_excl": "within 20 weeks, excl. exc.",
    "requests": "requests received",
    "decisions_within_6_weeks": "decided within 6 weeks",
    "pct_within_20_weeks": "% within 20 weeks",
    "pct_within_20_weeks_excl": "% within 20 weeks, excl.",
}

SOURCE_NOTE = (
    "Published: Department for Education, Education, health and care plans (SEN2), "
    "reporting year 2025, by calendar year of issue. Open Government Licence v3.0."
)


def clean(text: object) -> str:
    """Text safe for a terminal: control characters (escape sequences, new lines) become
    spaces."""
    return "".join(
        " " if unicodedata.category(ch).startswith("C") else ch for ch in str(text)
    ).strip()


def _count(value: int | None, low: int | None = None, high: int | None = None) -> str:
    if value is not None:
        return f"{value:,}"
    if low is None:
        return "-"
    return f"{low:,}+" if high is None else f"{low:,}-{high:,}"


def _wrap(text: str, indent: str, width: int = WIDTH) -> list[str]:
    return textwrap.wrap(
        clean(text), width=width, initial_indent=indent, subsequent_indent=indent + "  "
    )


def _year_block(y: YearComparison) -> list[str]:
    out = [f"{y.year}: {y.verdict.value.upper()}"]
    out.append(f"  {'':<27} {'Reply':>11} {'Published':>10} {'Difference':>11}  Verdict")
    for line in y.lines:
        pub = (
            _count(line.published) if line.published is not None else (line.published_marker or "-")
        )
        diff = "" if line.difference is None else signed(line.difference)
        out.append(
            f"  {_LABELS.get(line.measure, line.measure):<27} "
            f"{_count(line.reply, line.reply_low, line.reply_high):>11} {pub:>10} "
            f"{diff:>11}  {line.verdict.value}"
        )
    for p in y.percents:
        reply = "-" if p.reply is None else f"{p.reply:.1f}"
        pub = "-" if p.published is None else f"{p.published:.1f}"
        pts = "" if p.points is None else f"{signed(p.points, 1)} pts"
        out.append(f"  {_LABELS.get(p.name, p.name):<27} {reply:>11} {pub:>10} {pts:>11}")
    out.append("  Arithmetic:")
    for line in y.lines:
        out += _wrap(f"{_LABELS.get(line.measure, line.measure)}: {line.arithmetic}", "    ")
    for p in y.percents:
        out += _wrap(f"{_LABELS.get(p.name, p.name)}: {p.arithmetic}", "    ")
    for problem in y.problems:
        out += _wrap(f"IMPOSSIBLE {problem.period} ({problem.where}): {problem.message}", "  ")
    if y.reasons:
        out.append("  Likely reasons, checked one by one:")
        for r in y.reasons:
            out += _wrap(f"[{r.finding.value}] {r.code}: {r.detail}", "    ")
    return out


def render_compare(result: CompareResult) -> str:
    """The comparison for people, laid out for 80 columns (ASCII only)."""
    lines: list[str] = []
    councils = list(dict.fromkeys((y.council.name, y.council.old_code) for y in result.years))
    for name, code in councils or [("", "")]:
        if name:
            lines.append(f"{name} ({code}): the reply beside the published figures")
            lines.append("=" * min(len(lines[-1]), WIDTH))
        for y in result.years:
            if y.council.old_code == code:
                lines.append("")
                lines += _year_block(y)
    if not result.years:
        lines.append("No calendar year of the reply can be compared with the published figures.")
    if result.not_comparable:
        lines += ["", "Not comparable:"]
        for n in result.not_comparable:
            lines += _wrap(f"{n.period}: {n.reason}", "  ")
    shown = {p for y in result.years for p in y.problems}
    loose = [p for p in result.problems if p not in shown]
    if loose:
        lines += ["", "Impossible periods:"]
        for p in loose:
            lines += _wrap(f"{p.period} ({p.where}): {p.message}", "  ")
    if result.notes:
        lines += ["", "Notes:"]
        for note in result.notes:
            lines += _wrap(note, "  ")
    lines += [""]
    lines += textwrap.wrap(
        "matches: equal; consistent: the published figure lies within the range a "
        "suppressed cell leaves; differs; impossible: a period's counts cannot all be "
        "true. Difference = reply - published.",
        width=WIDTH,
    )
    lines += textwrap.wrap(SOURCE_NOTE, width=WIDTH)
    return "\n".join(lines) + "\n"


def render_published_comparison(result: CompareResult) -> str:
    """The short block for an audit: per year, the audit's plans issued and % within 20
    weeks (including and excluding exceptions) beside the published ones."""
    if not result.years:
        return ""
    y0 = result.years[0]

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}"

    lines = [
        f"Beside the published figures for {clean(y0.council.name)} ({y0.council.old_code}):",
        f"  {'Year':<6}{'Plans':>7}{'DfE':>7}{'% incl':>8}{'DfE':>7}{'% excl':>8}{'DfE':>7}"
        "  Verdict",
    ]
    for y in result.years:
        plans = next((x for x in y.lines if x.measure == "plans_issued"), None)
        by = {p.name: p for p in y.percents}
        incl, excl = by.get("pct_within_20_weeks"), by.get("pct_within_20_weeks_excl")
        lines.append(
            f"  {y.year:<6}"
            f"{_count(plans.reply) if plans else '-':>7}"
            f"{_count(plans.published) if plans else '-':>7}"
            f"{pct(incl.reply if incl else None):>8}{pct(incl.published if incl else None):>7}"
            f"{pct(excl.reply if excl else None):>8}{pct(excl.published if excl else None):>7}"
            f"  {y.verdict.value}"
        )
    return "\n".join(lines) + "\n"


def _rows(result: CompareResult) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for y in result.years:
        base = {
            "council": y.council.name,
            "old_la_code": y.council.old_code,
            "year": y.year,
            "year_verdict": y.verdict.value,
        }
        for line in y.lines:
            rows.append(
                {
                    **base,
                    "measure": line.measure,
                    "reply": line.reply,
                    "reply_low": line.reply_low,
                    "reply_high": line.reply_high,
                    "published": line.published,
                    "difference": line.difference,
                    "difference_points": None,
                    "verdict": line.verdict.value,
                    "arithmetic": line.arithmetic,
                }
            )
        for p in y.percents:
            rows.append(
                {
                    **base,
                    "measure": p.name,
                    "reply": p.reply,
                    "reply_low": None,
                    "reply_high": None,
                    "published": p.published,
                    "difference": None,
                    "difference_points": p.points,
                    "verdict": "",
                    "arithmetic": p.arithmetic,
                }
            )
    return rows


_CSV_COLUMNS = (
    "council",
    "old_la_code",
    "year",
    "year_verdict",
    "measure",
    "reply",
    "reply_low",
    "reply_high",
    "published",
    "difference",
    "difference_points",
    "verdict",
    "arithmetic",
)


def compare_csv(result: CompareResult) -> str:
    """One row per council, year and measure (percentages too)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in _rows(result):
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return buffer.getvalue()


def _md(text: object) -> str:
    return clean("" if text is None else text).replace("|", "\\|")


def compare_markdown(result: CompareResult) -> str:
    lines = ["# The reply beside the Department for Education's figures", ""]
    for y in result.years:
        lines += [
            f"## {_md(y.council.name)} ({y.council.old_code}), {y.year}: {y.verdict.value}",
            "",
            "| measure | reply | published | difference | verdict | arithmetic |",
            "|---|---|---|---|---|---|",
        ]
        for row in _rows(result):
            if (row["old_la_code"], row["year"]) != (y.council.old_code, y.year):
                continue
            diff = row["difference"] if row["difference"] is not None else row["difference_points"]
            reply = row["reply"]
            if reply is None and row["reply_low"] is not None:
                high = row["reply_high"]
                reply = f"{row['reply_low']}+" if high is None else f"{row['reply_low']}-{high}"
            lines.append(
                f"| {_md(row['measure'])} | {_md(reply)} | {_md(row['published'])} | "
                f"{_md(diff)} | {_md(row['verdict'])} | {_md(row['arithmetic'])} |"
            )
        if y.problems:
            lines.append("")
            lines += [f"- **impossible**: {_md(p.period)}: {_md(p.message)}" for p in y.problems]
        if y.reasons:
            lines += ["", "Likely reasons:", ""]
            lines += [f"- {r.finding.value}: `{r.code}`: {_md(r.detail)}" for r in y.reasons]
        lines.append("")
    if result.not_comparable:
        lines += ["## Not comparable", ""]
        lines += [f"- {_md(n.period)}: {_md(n.reason)}" for n in result.not_comparable]
        lines.append("")
    if result.notes:
        lines += ["## Notes", ""]
        lines += [f"- {_md(n)}" for n in result.notes]
        lines.append("")
    lines += [SOURCE_NOTE, ""]
    return "\n".join(lines)
