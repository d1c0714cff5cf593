"""The words of tables of totals, as data: measures, suppression markers, total labels.

A measure header is matched by word rules tried top to bottom (:data:`MEASURE_RULES`), the
way :mod:`ehcp_check.ingest.columns` matches case headers: the header needs one word of each
group and none of the excluded words. More specific rules come first, so "Issued within 20
weeks (excluding exceptions)" is ``within_20_weeks_excl`` and never ``plans_issued``.
A header with a per-cent sign or the word "percentage" is a rate, not a count, and is left
unknown (listed, never read as a count). ``tests/test_totals_vocab.py`` holds a row per
phrasing councils write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Measure(StrEnum):
    """What a count in a table of totals counts (data contract section 6)."""

    REQUESTS = "requests"
    PLANS_ISSUED = "plans_issued"
    WITHIN_20_WEEKS = "plans_issued_within_20_weeks"
    OVER_20_WEEKS = "plans_issued_over_20_weeks"
    PLANS_ISSUED_EXCL = "plans_issued_excl"
    WITHIN_20_WEEKS_EXCL = "within_20_weeks_excl"
    DECISIONS_WITHIN_6_WEEKS = "decisions_within_6_weeks"
    OPEN_CASES = "open_cases"
    OPEN_OVER_20_WEEKS = "open_over_20_weeks"
    MEAN_DAYS_TO_ISSUE = "mean_days_to_issue"


#: Measures whose values are decimals, not whole counts.
DECIMAL_MEASURES = frozenset({Measure.MEAN_DAYS_TO_ISSUE})

#: Override target that leaves a header unread.
IGNORE = "ignore"


def _w(*words: str) -> frozenset[str]:
    return frozenset(words)


@dataclass(frozen=True, slots=True)
class MeasureRule:
    """A header is ``measure`` when it has a word of each ``all_of`` group, none of ``none_of``."""

    measure: Measure
    all_of: tuple[frozenset[str], ...]
    none_of: frozenset[str] = frozenset()


_TWENTY = _w("20", "twenty")
_SIX = _w("6", "six")
_WITHIN = _w("within", "in", "inside", "under", "timescale", "timescales", "time", "ontime")
_OVER = _w("over", "outside", "beyond", "after", "exceeding", "exceeded", "more", "gone",
           "late", "breach", "breached", "longer", "past")  # fmt: skip
_EXCLUDING = _w("excluding", "excl", "exc", "exclude", "excludes", "without", "less", "minus")
_EXCEPTIONS = _w("exception", "exceptions", "exemption", "exemptions", "exceptional")
_ISSUED = _w("issued", "finalised", "finalized", "final", "completed", "issue", "plans",
             "ehcps", "ehcp", "plan")  # fmt: skip
_OPEN = _w("open", "ongoing", "outstanding", "current", "live", "awaiting")
_RATE = _w("percentage", "percent", "pct", "proportion", "rate")
_PLAN_WORDS = _w("plan", "plans", "ehcp", "ehcps", "ehc", "issued", "issue")

#: Word rules, most specific first; the first rule that holds names the measure.
MEASURE_RULES: tuple[MeasureRule, ...] = (
    MeasureRule(Measure.MEAN_DAYS_TO_ISSUE, (_w("mean", "average", "avg"), _w("days", "day"))),
    MeasureRule(Measure.OPEN_OVER_20_WEEKS, (_OPEN, _OVER, _TWENTY)),
    MeasureRule(Measure.OPEN_CASES, (_OPEN,), _w("request", "requests")),
    MeasureRule(
        Measure.DECISIONS_WITHIN_6_WEEKS,
        (_SIX, _w("week", "weeks", "wk", "wks")),
        _OVER | _w("not"),
    ),
    MeasureRule(Measure.WITHIN_20_WEEKS_EXCL, (_WITHIN, _TWENTY, _EXCLUDING, _EXCEPTIONS), _OVER),
    MeasureRule(
        Measure.WITHIN_20_WEEKS_EXCL,
        (_WITHIN, _EXCLUDING, _EXCEPTIONS, _PLAN_WORDS),
        _OVER | _w("request", "requests"),
    ),
    MeasureRule(Measure.OVER_20_WEEKS, (_OVER, _TWENTY), _EXCLUDING | _w("not")),
    MeasureRule(Measure.WITHIN_20_WEEKS, (_WITHIN, _TWENTY), _EXCLUDING | _w("not")),
    MeasureRule(
        Measure.WITHIN_20_WEEKS,
        (_w("within"), _w("timescale", "timescales", "time")),
        _EXCLUDING | _w("not"),
    ),
    MeasureRule(
        Measure.PLANS_ISSUED_EXCL, (_ISSUED, _EXCLUDING, _EXCEPTIONS), _w("request", "requests")
    ),
    MeasureRule(
        Measure.REQUESTS,
        (_w("request", "requests", "referral", "referrals", "applications", "application"),),
        _w(
            "refused",
            "declined",
            "agreed",
            "not",
            "refusals",
            "approved",
            "issued",
            "withdrawn",
            "rejected",
        ),
    ),
    MeasureRule(
        Measure.PLANS_ISSUED,
        (_w("issued", "finalised", "finalized", "final", "completed", "new"), _PLAN_WORDS),
        _w("draft", "not", "no", "refused", "ceased"),
    ),
    MeasureRule(Measure.PLANS_ISSUED, (_w("issued", "finalised"),), _w("draft", "not", "no")),
)

_NON_WORD = re.compile(r"[^0-9a-z]+")
_SPLIT_NUMBER = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")


def header_words(text: str) -> str:
    """Lower-case words of a header, ``%`` spelt ``percent`` and digits split from letters."""
    low = text.lower().replace("%", " percent ").replace("&", " and ")
    low = low.replace("\u2019", "'").replace("'", "")
    low = _SPLIT_NUMBER.sub(" ", low)
    return " ".join(_NON_WORD.sub(" ", low).split())


def measure_of(text: str) -> Measure | None:
    """The measure a header (or a row label) names, or None when not understood."""
    words = set(header_words(text).split())
    if not words or words & _RATE:
        return None
    for rule in MEASURE_RULES:
        if all(words & group for group in rule.all_of) and not words & rule.none_of:
            return rule.measure
    return None


# ---------------------------------------------------------------- cells

#: Markers of a suppressed small number, compared lower-case with spaces removed.
SUPPRESSION_MARKERS = frozenset(
    {"*", "**", "***", "x", "c", "[x]", "[c]", "~", "supp", "suppressed", "redacted",
     "[redacted]", "withheld", "[withheld]", "<5", "<6", "<7", "<10", "<3", "fewerthan5",
     "fewerthan10", "lessthan5", "lessthan10", "under5", "1-4", "1to4", "0-5"}
)  # fmt: skip
_SUPPRESSION_PATTERN = re.compile(
    r"^(?:<=?|fewerthan|lessthan|under|below)"
    r"(?:\d{1,2}|three|four|five|six|seven|eight|nine|ten)(?:cases|plans|requests)?$"
)

#: Cells that say "no figure" without hiding one: not a count, not suppressed.
NOT_AVAILABLE = frozenset({"n/a", "na", "-", "--", "\u2013", "..", ":", "z", "[z]", "nil",
                           "notavailable", "notapplicable", "tbc", "none"})  # fmt: skip


def marker_key(text: str) -> str:
    """A cell text compared against the markers: lower-case, without spaces."""
    return "".join(text.lower().split())


def is_suppressed(text: str) -> bool:
    """True when a cell text hides a small number (``<5``, ``*``, ``Fewer than 5``, ``c``)."""
    key = marker_key(text)
    return key in SUPPRESSION_MARKERS or _SUPPRESSION_PATTERN.match(key) is not None


# ---------------------------------------------------------------- labels

_TOTAL_LABEL = re.compile(
    r"^(?:grand |sub ?|overall |annual |year |yearly |full year |period )?totals?"
    r"(?: (?:for|of|in) (?:the )?(?:year|period|quarter|all|\d{4}(?: \d{2,4})?))?"
    r"(?: \d{4}(?: \d{2,4})?)?$"
    r"|^(?:\d{4}(?: \d{2,4})? )?(?:year |annual |grand )?totals?$"
    r"|^(?:sum|all|ytd|year to date|all years|all quarters|all months)$"
)


def is_total_label(text: str) -> bool:
    """True for a "Total" / "Grand total" / "2019 total" row or column label."""
    return _TOTAL_LABEL.match(header_words(text)) is not None


#: Headers of a column naming the council.
LA_HEADERS = frozenset(
    {"la", "local authority", "council", "authority", "la name", "local authority name",
     "la code", "lea", "old la code", "new la code", "la number"}
)  # fmt: skip


def is_la_header(text: str) -> bool:
    """True when a header names the council column."""
    return header_words(text) in LA_HEADERS


#: Headers of the period column itself (never a measure).
PERIOD_HEADERS = frozenset(
    {"period", "month", "quarter", "year", "qtr", "financial year", "academic year",
     "calendar year", "reporting period", "date", "time period", "month received",
     "quarter received", "year received", "months", "quarters", "years", "date range"}
)  # fmt: skip


def is_period_header(text: str) -> bool:
    """True for a header such as "Quarter" or "Financial year" over the period labels."""
    return header_words(text) in PERIOD_HEADERS
