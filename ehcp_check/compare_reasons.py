"""The likely reasons a reply's figure differs from the published one, checked one by one.

Each :class:`~ehcp_check.compare_model.Reason` says whether it fits, with the arithmetic:
the reply counts requests rather than plans issued; its figures are those excluding (or
including) exceptions (Reg. 13(3) SEND Regulations 2014); its year is a financial year; a
cell is suppressed; day counting moves plans issued on the 140th day (Reg. 13(2)); the
reply counts by request date, not issue date (cannot be told from totals).
"""

from __future__ import annotations

from .compare_model import (
    LABELS,
    Figure,
    Finding,
    Line,
    Reason,
    Verdict,
    signed,
)
from .published import Council, Published, YearFigures

__all__ = ["reasons"]


def _financial_year(year: int, reply: int, council: Council, data: Published) -> Reason:
    """Would the reply's "year" be a financial year? April Y-March Y+1 holds about 3/4 of
    the plans of Y and 1/4 of Y+1 (the published figures have no months to do better)."""

    def plans(y: int) -> int | None:
        row = data.la(council.old_code, y)
        value = row.get("plans_issued") if row else None
        return None if value is None else int(value)

    now, nxt, prev = plans(year), plans(year + 1), plans(year - 1)
    if now is None:
        return Reason("financial-year", Finding.CANNOT_TELL, f"no published plans for {year}.")
    guesses = []
    if nxt is not None:
        guesses.append(
            (
                f"April {year}-March {year + 1}: 3/4 x {now:,} + 1/4 x {nxt:,}",
                round(0.75 * now + 0.25 * nxt),
            )
        )
    if prev is not None:
        guesses.append(
            (
                f"April {year - 1}-March {year}: 1/4 x {prev:,} + 3/4 x {now:,}",
                round(0.25 * prev + 0.75 * now),
            )
        )
    if not guesses:
        return Reason(
            "financial-year", Finding.CANNOT_TELL, "no published figure for the years around it."
        )
    close = [g for g in guesses if abs(reply - g[1]) * 2 < abs(reply - now)]
    detail = (
        f"the reply's {year} covers January-December; were it a financial year, expect about "
        + "; ".join(f"{text} = {value:,}" for text, value in guesses)
        + f". The reply says {reply:,}, the calendar year {now:,}."
    )
    return Reason("financial-year", Finding.MAY_FIT if close else Finding.DOES_NOT_FIT, detail)


def reasons(
    year: int,
    lines: list[Line],
    figures: dict[str, Figure],
    data: Published,
    council: Council,
) -> list[Reason]:
    pub = data.la(council.old_code, year)
    out: list[Reason] = []
    by = {x.measure: x for x in lines}
    plans = by.get("plans_issued")

    def val(name: str, row: YearFigures | None = pub) -> int | None:
        v = row.get(name) if row else None
        return None if v is None else int(v)

    # 1. the reply counts requests, not plans issued
    requests = val("requests")
    if plans is not None and plans.reply is not None and requests is not None and plans.published:
        gap_req, gap_plans = abs(plans.reply - requests), abs(plans.reply - plans.published)
        if plans.reply == requests:
            finding = Finding.FITS
        elif gap_req < gap_plans:
            finding = Finding.MAY_FIT
        else:
            finding = Finding.DOES_NOT_FIT
        out.append(
            Reason(
                "requests-not-plans",
                finding,
                f"reply's 'plans issued' {plans.reply:,}; published requests received "
                f"{requests:,} (off by {signed(plans.reply - requests)}), plans issued "
                f"{plans.published:,} (off by {signed(plans.reply - plans.published)}).",
            )
        )
    # 2. exceptions included or left out
    pairs = (
        ("plans_issued", "plans_issued_excl", "plans_issued"),
        ("plans_issued_within_20_weeks", "within_20_weeks_excl", "within_20_weeks"),
    )
    checked = []
    for measure, other, same in pairs:
        f = figures.get(measure)
        if f is None or f.exact is None:
            continue
        excl, incl = val(other), val(same)
        if excl is None or incl is None:
            continue
        checked.append((measure, f.exact, incl, excl))
    if checked:
        swapped = all(exact == excl for _, exact, _, excl in checked)
        either = all(exact in (incl, excl) for _, exact, incl, excl in checked)
        detail = "; ".join(
            f"{LABELS[m]}: reply {e:,}, published incl. {i:,}, excl. {x:,}"
            for m, e, i, x in checked
        )
        finding = (
            Finding.FITS
            if swapped and any(i != x for _, _, i, x in checked)
            else Finding.MAY_FIT
            if either and not all(e == i for _, e, i, _ in checked)
            else Finding.DOES_NOT_FIT
        )
        out.append(Reason("exceptions", finding, detail + "."))
    # 3. a financial year (April-March) labelled as a calendar year
    if plans is not None and plans.reply is not None:
        out.append(_financial_year(year, plans.reply, council, data))
    # 4. suppressed cells
    hidden = [p for f in figures.values() for p in f.parts if p.value is None]
    if hidden:
        out.append(
            Reason(
                "suppressed-cells",
                Finding.FITS
                if any(x.verdict is Verdict.CONSISTENT for x in lines)
                else Finding.MAY_FIT,
                f"{len(hidden)} suppressed cell(s) ("
                + ", ".join(f"{p.period} {p.suppressed}" for p in hidden[:6])
                + "): the reply's figure is a range, not one number.",
            )
        )
    else:
        out.append(Reason("suppressed-cells", Finding.DOES_NOT_FIT, "no cell is suppressed."))
    # 5. day counting (which plans count as within 20 weeks)
    within = by.get("plans_issued_within_20_weeks") or by.get("within_20_weeks_excl")
    if within is not None and within.difference is not None and within.published is not None:
        base = plans.published if plans is not None and plans.published else within.published
        share = abs(within.difference) / base * 100 if base else 0.0
        plans_match = plans is not None and plans.verdict is Verdict.MATCHES
        if within.difference == 0:
            finding, detail = Finding.DOES_NOT_FIT, "the within-20-weeks counts agree."
        elif plans_match and share <= 2.0:
            finding = Finding.MAY_FIT
            detail = (
                f"plans issued agree and within 20 weeks differs by {signed(within.difference)} "
                f"({share:.1f}% of {base:,}): counting the request day as day 1, or a "
                "deadline on a weekend, moves plans issued on the 140th day."
            )
        else:
            finding = Finding.DOES_NOT_FIT
            detail = (
                f"within 20 weeks differs by {signed(within.difference)} ({share:.1f}% of {base:,})"
                + ("" if plans_match else " and plans issued differ too")
                + ": more than the plans on the deadline day could explain."
            )
        out.append(Reason("day-counting", finding, detail))
    # 6. a cohort by request date instead of issue date
    out.append(
        Reason(
            "cohort-by-request",
            Finding.CANNOT_TELL,
            "totals cannot show it: ask whether the reply counts plans by the year they were "
            "issued (as SEN2 does) or by the year the request was made.",
        )
    )
    return out
