"""The values of a comparison with the published figures: measures compared, verdicts,
the reply's figures (exact or a range around suppressed cells) and the result.

See :mod:`ehcp_check.compare` for how they are made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .published import Council

__all__ = [
    "LABELS",
    "MEASURES",
    "OTHER_YEARS",
    "PERCENTAGES",
    "CompareResult",
    "Figure",
    "Finding",
    "Line",
    "NotComparable",
    "Part",
    "Percent",
    "PeriodProblem",
    "Reason",
    "Verdict",
    "YearComparison",
    "signed",
    "suppression_bound",
]


def signed(n: float, places: int | None = None) -> str:
    """``+12``, ``-3``, ``0`` (``+1.5`` / ``0.0`` with ``places``)."""
    text = f"{abs(n):,.{places}f}" if places is not None else f"{abs(int(n)):,}"
    if n == 0:
        return text
    return ("+" if n > 0 else "-") + text


#: Reply measure -> the published figure it is set against, in the order shown.
MEASURES: dict[str, str] = {
    "plans_issued": "plans_issued",
    "plans_issued_within_20_weeks": "within_20_weeks",
    "plans_issued_excl": "plans_issued_excl",
    "within_20_weeks_excl": "within_20_weeks_excl",
    "requests": "requests",
    "decisions_within_6_weeks": "decisions_within_6_weeks",
}

#: Words for each measure, for people.
LABELS: dict[str, str] = {
    "plans_issued": "plans issued",
    "plans_issued_within_20_weeks": "within 20 weeks",
    "plans_issued_excl": "plans issued, excl. exceptions",
    "within_20_weeks_excl": "within 20 weeks, excl.",
    "requests": "requests received",
    "decisions_within_6_weeks": "decided within 6 weeks",
    "plans_issued_over_20_weeks": "over 20 weeks",
}

#: The percentages compared: (name, numerator, denominator, published percentage).
PERCENTAGES: tuple[tuple[str, str, str, str], ...] = (
    ("pct_within_20_weeks", "plans_issued_within_20_weeks", "plans_issued", "pct_within_20_weeks"),
    (
        "pct_within_20_weeks_excl",
        "within_20_weeks_excl",
        "plans_issued_excl",
        "pct_within_20_weeks_excl",
    ),
)

#: Period kinds that cannot be turned into calendar years.
OTHER_YEARS = {
    "financial_year": "financial year (April-March)",
    "academic_year": "academic year (September-August)",
}


class Verdict(StrEnum):
    """How a reply's figure stands against the published one."""

    MATCHES = "matches"
    CONSISTENT = "consistent"  # the published figure lies within a suppressed range
    DIFFERS = "differs"
    IMPOSSIBLE = "impossible"
    NOT_PUBLISHED = "not published"


class Finding(StrEnum):
    """Whether a likely reason fits the difference."""

    FITS = "fits"
    MAY_FIT = "may fit"
    DOES_NOT_FIT = "does not fit"
    CANNOT_TELL = "cannot tell"


def suppression_bound(marker: str | None) -> int | None:
    """The largest value a suppressed cell can hide, when its marker says: ``<5`` and
    ``Fewer than 5`` hide at most 4, ``<=5`` at most 5; ``*`` or ``c`` say nothing (None)."""
    if not marker:
        return None
    text = marker.strip().lower()
    m = re.fullmatch(r"(?:<\s*=|≤|fewer than or equal to|up to|at most)\s*(\d+)", text)
    if m:
        return int(m.group(1))
    m = re.fullmatch(r"(?:<|fewer than|less than|under)\s*(\d+)", text)
    if m:
        return max(int(m.group(1)) - 1, 0)
    return None


@dataclass(frozen=True, slots=True)
class Part:
    """One cell of the reply that went into a figure."""

    period: str
    value: int | None
    suppressed: str | None
    where: str


@dataclass(frozen=True, slots=True)
class Figure:
    """The reply's figure for one measure and calendar year: exact, or a range when a cell
    was suppressed (``high`` None: no stated bound)."""

    low: int
    high: int | None
    parts: tuple[Part, ...]
    #: "the 2019 row", "4 quarters", "12 months".
    source: str

    @property
    def exact(self) -> int | None:
        return self.low if self.high == self.low else None

    def arithmetic(self) -> str:
        def one(p: Part) -> str:
            if p.value is not None:
                return f"{p.period} {p.value:,}"
            bound = suppression_bound(p.suppressed)
            shown = f"0-{bound}" if bound is not None else "?"
            return f"{p.period} {p.suppressed} ({shown})"

        if len(self.parts) == 1:
            return one(self.parts[0])
        total = f"{self.low:,}" if self.exact is not None else self.range_text()
        return " + ".join(one(p) for p in self.parts) + f" = {total}"

    def range_text(self) -> str:
        if self.exact is not None:
            return f"{self.low:,}"
        if self.high is None:
            return f"{self.low:,} or more"
        return f"{self.low:,}-{self.high:,}"


@dataclass(frozen=True, slots=True)
class Line:
    """One measure of one year: the reply's figure beside the published one."""

    measure: str
    published_figure: str
    reply: int | None
    reply_low: int
    reply_high: int | None
    published: int | None
    published_marker: str | None
    difference: int | None
    verdict: Verdict
    arithmetic: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "published_figure": self.published_figure,
            "reply": self.reply,
            "reply_low": self.reply_low,
            "reply_high": self.reply_high,
            "published": self.published,
            "published_suppressed": self.published_marker,
            "difference": self.difference,
            "verdict": self.verdict.value,
            "arithmetic": self.arithmetic,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Percent:
    """A percentage within 20 weeks from the reply's counts, beside the published one."""

    name: str
    reply: float | None
    published: float | None
    points: float | None
    arithmetic: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "reply": self.reply,
            "published": self.published,
            "difference_points": self.points,
            "arithmetic": self.arithmetic,
        }


@dataclass(frozen=True, slots=True)
class Reason:
    """A likely reason for a difference, checked."""

    code: str
    finding: Finding
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "finding": self.finding.value, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class PeriodProblem:
    """A period whose counts cannot all be true."""

    period: str
    where: str
    message: str
    year: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "where": self.where,
            "year": self.year,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class NotComparable:
    """Reply periods that cannot be set against a calendar year."""

    period: str
    kind: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "kind": self.kind, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class YearComparison:
    council: Council
    year: int
    lines: tuple[Line, ...]
    percents: tuple[Percent, ...]
    verdict: Verdict
    reasons: tuple[Reason, ...]
    problems: tuple[PeriodProblem, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "council": self.council.name,
            "old_la_code": self.council.old_code,
            "year": self.year,
            "verdict": self.verdict.value,
            "lines": [x.to_dict() for x in self.lines],
            "percentages": [p.to_dict() for p in self.percents],
            "reasons": [r.to_dict() for r in self.reasons],
            "impossible": [p.to_dict() for p in self.problems],
        }


@dataclass(frozen=True)
class CompareResult:
    """The whole comparison: every council and calendar year the reply gives."""

    years: tuple[YearComparison, ...]
    not_comparable: tuple[NotComparable, ...]
    problems: tuple[PeriodProblem, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def differs(self) -> bool:
        """True when any year differs or is impossible (exit 1 in the CLI)."""
        bad = {Verdict.DIFFERS, Verdict.IMPOSSIBLE}
        return any(y.verdict in bad for y in self.years) or bool(self.problems)

    def to_dict(self) -> dict[str, Any]:
        from . import __version__
        from .published import SOURCE

        return {
            "schema": "ehcp-check/compare/1",
            "tool_version": __version__,
            "source": SOURCE,
            "years": [y.to_dict() for y in self.years],
            "not_comparable": [n.to_dict() for n in self.not_comparable],
            "impossible": [p.to_dict() for p in self.problems],
            "notes": list(self.notes),
        }
