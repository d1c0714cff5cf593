"""The audit for people at a terminal: headline, periods, distribution, worst breaches,
data quality.

:func:`render_audit` returns a renderable that lays itself out when printed: at the
console's width (or ``width_hint``), with colour and block-character bars on a terminal, and
plain ASCII (``#`` bars, ``+--+`` boxes, no colour) when the output is piped or colour is
off. Text from the input files is only ever put in :class:`~rich.text.Text` objects, never
parsed as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd
from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..rules import DISCLAIMER, RuleCode
from .figures import (
    ISSUE_WORDS,
    PERIOD_COLUMNS,
    Band,
    accounting_line,
    breach_total,
    caveat_counts,
    caveat_sentence,
    claim_verdict,
    end_text,
    england,
    fmt_date,
    fmt_num,
    fmt_pct,
    issue_counts,
    period_cell,
    row_ref,
    several_sheets,
    weeks_bands,
    worst_breaches,
)

if TYPE_CHECKING:
    from ..audit import AuditResult

#: Widths at and above which the wide layout is used.
WIDE = 100

_EIGHTHS = " ▏▎▍▌▋▊▉"

#: A rule under the header and nothing else, in ASCII, so a table looks the same on a
#: terminal and piped (rich would otherwise swap a Unicode box for a full ASCII grid).
RULED = box.Box("    \n    \n -- \n    \n    \n    \n    \n    \n", ascii=True)


def long_date(d: date) -> str:
    """'Fri 31 Jan 2025'."""
    return f"{d:%a} {d.day} {d:%b %Y}"


def bar(fraction: float, width: int, *, plain: bool) -> str:
    """A horizontal bar ``fraction`` (0..1) of ``width`` cells: ``#`` when plain, else
    block characters with eighth-cell resolution."""
    fraction = min(max(fraction, 0.0), 1.0)
    if plain:
        n = round(fraction * width)
        return "#" * n
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


@dataclass(frozen=True, slots=True)
class _Layout:
    width: int
    plain: bool

    @property
    def wide(self) -> bool:
        return self.width >= WIDE

    @property
    def table_box(self) -> box.Box:
        return RULED if self.plain else box.SIMPLE_HEAD

    @property
    def panel_box(self) -> box.Box:
        return box.ASCII if self.plain else box.ROUNDED

    def style(self, style: str) -> str:
        return "" if self.plain else style


class AuditView:
    """A printable audit; lays out when rendered (see :func:`render_audit`)."""

    def __init__(self, result: AuditResult, *, width_hint: int | None = None, top: int = 10):
        self.result = result
        self.width_hint = width_hint
        self.top = top

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if self.width_hint is not None:
            width = max(40, min(width, self.width_hint))
        plain = not console.is_terminal or console.color_system is None
        layout = _Layout(width, plain)
        opts = options.update_width(width)
        if plain:
            opts = opts.copy()
            opts.encoding = "ascii"  # boxes drawn with + - | so piped text stays plain
        yield from console.render(self.build(layout), opts)

    def build(self, layout: _Layout) -> RenderableType:
        """The whole view as one group, for a given layout."""
        r = self.result
        parts: list[RenderableType] = [_headline(r, layout)]
        if r.groups:
            parts += [Text(""), _periods(r, layout)]
        period = r.options.period
        when = f" in {period.label}" if period is not None else ""
        parts += [Text(""), _distribution(weeks_bands(r), layout, when)]
        parts += [Text(""), _worst(r, layout, self.top)]
        parts += [Text(""), _quality(r, layout)]
        parts.append(Text(DISCLAIMER, style=layout.style("dim italic")))
        return Group(*parts)


def render_audit(
    result: AuditResult, *, width_hint: int | None = None, top: int = 10
) -> RenderableType:
    """The audit as a rich renderable (print it with a :class:`rich.console.Console`).

    ``width_hint`` caps the width laid out for (default: the console's width); ``top`` is
    how many of the worst breaches to list.
    """
    return AuditView(result, width_hint=width_hint, top=top)


# --- sections ------------------------------------------------------------------------------


def _heading(text: str, layout: _Layout) -> Text:
    return Text(text, style=layout.style("bold underline"))


def cohort_names(r: AuditResult) -> dict[str, str]:
    """The heading of each group of headline figures: which cases each line is about."""
    period = r.options.period
    when = f" in {period.label}" if period is not None else ""
    snapshot = r.settings.as_of if period is None else min(period.end, r.settings.as_of)
    return {
        "plans": f"Plans issued{when}",
        "requests": f"Requests received{when}",
        "no_plan": f"No-plan notices{when}",
        "open": f"Open on {long_date(snapshot)}",
    }


def _headline(r: AuditResult, layout: _Layout) -> RenderableType:
    s = r.summary
    eng = england(r)
    names = cohort_names(r)
    table = Table(box=None, show_header=True, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column("", no_wrap=True)
    table.add_column("This audit", justify="right", no_wrap=True)
    if eng is not None:
        table.add_column(f"England {eng.year}", justify="right", no_wrap=True)
    plans = fmt_num(s.get("plans_issued"))

    def row(label: str, ours: str, theirs: str = "", style: str = "") -> None:
        cells = [Text(label), Text(ours, style=layout.style(style))]
        if eng is not None:
            cells.append(Text(theirs))
        table.add_row(*cells)

    def cohort(label: str, ours: str = "") -> None:
        cells = [Text(label, style=layout.style("bold")), Text(ours)]
        if eng is not None:
            cells.append(Text(""))
        table.add_row(*cells)

    cohort(names["plans"], plans)
    row(
        "  within 20 weeks, incl. exceptions",
        f"{fmt_pct(s.get('pct_within_20_weeks'))} ({fmt_num(s.get('within_20_weeks'))}/{plans})",
        fmt_pct(eng.pct_incl) if eng else "",
    )
    row(
        "  within 20 weeks, excl. exceptions",
        f"{fmt_pct(s.get('pct_within_20_weeks_excl'))} "
        f"({fmt_num(s.get('within_20_weeks_excl'))}/{fmt_num(s.get('plans_issued_excl'))})",
        fmt_pct(eng.pct_excl) if eng else "",
        "bold",
    )
    row("  after 20, up to 52 weeks", fmt_num(s.get("over_20_to_52_weeks")))
    row("  after 52 weeks", fmt_num(s.get("over_52_weeks")))
    row("  median weeks to issue", fmt_num(s.get("median_weeks_to_issue")))
    cohort(names["requests"])
    row(
        "  decided within 6 weeks",
        f"{fmt_pct(s.get('pct_within_6_weeks'))} "
        f"({fmt_num(s.get('within_6_weeks'))}/{fmt_num(s.get('decisions_to_assess'))})",
    )
    cohort(names["no_plan"], fmt_num(s.get("no_plan_decisions")))
    row("  after 16 weeks", fmt_num(s.get("no_plan_over_16_weeks")))
    cohort(names["open"], fmt_num(s.get("open_cases")))
    row(
        "  overdue",
        fmt_num(s.get("open_overdue")),
        style="bold red" if s.get("open_overdue") else "",
    )
    row("Breaches by rule", breach_counts_text(s))
    body: list[RenderableType] = [table]
    caveat_note = caveat_sentence(s)
    if caveat_note:
        body.append(Text(caveat_note, style=layout.style("bold yellow")))
    if eng is not None and not eng.same_year:
        body.append(Text(f"{eng.note}.", style=layout.style("dim")))
    cohort_label = r.options.period.label if r.options.period is not None else "all cases"
    title = (
        f"EHC plan deadlines, as of {long_date(r.settings.as_of)} "
        f"({cohort_label}; day count {r.settings.day_count.value})"
    )
    return Panel(
        Group(*body),
        title=Text(title, style=layout.style("bold")),
        title_align="left",
        box=layout.panel_box,
        expand=False,
    )


def breach_counts_text(summary: dict[str, Any]) -> str:
    """'6W:3 16W:0 20W:37 15D:0'."""
    counts: dict[str, Any] = summary.get("breaches") or {}
    return " ".join(
        f"{code.value.removeprefix('EHCP-')}:{counts.get(code.value, 0)}" for code in RuleCode
    )


def _periods(r: AuditResult, layout: _Layout) -> RenderableType:
    from ..periods import GroupBy

    by = r.options.by
    key_head = "LA" if by is GroupBy.LA else "Period"
    table = Table(
        box=layout.table_box,
        show_edge=False,
        padding=(0, 1) if layout.wide else (0, 0, 0, 1),
        title=Text(f"By {by.value if by else 'period'}", style=layout.style("bold")),
        title_justify="left",
    )
    rows = [
        [period_cell(summary, k, kind) for _, k, kind in PERIOD_COLUMNS] for _, summary in r.groups
    ]
    # The key (an LA name can be long) folds; the figures keep their full width.
    table.add_column(key_head, overflow="fold", max_width=None if layout.wide else 20)
    for i, (head, _, _kind) in enumerate(PERIOD_COLUMNS):
        header = head if layout.wide else _two_line(head)
        widest = max([len(part) for part in header.split("\n")] + [len(row[i]) for row in rows])
        table.add_column(header, justify="right", no_wrap=True, min_width=widest)
    for (key, _), cells in zip(r.groups, rows, strict=True):
        table.add_row(Text(str(key)), *(Text(c) for c in cells))
    return table


_SHORT_HEADS = {
    "Plans": "\nPlans",
    "% in 20w incl": "% 20w\nincl",
    "% in 20w excl": "% 20w\nexcl",
    "20-52w": "20-52\nweeks",
    ">52w": ">52\nweeks",
    "Median wks": "Median\nweeks",
    "% in 6w": "%\n6 wks",
    "Open overdue": "Open\noverdue",
}


def _two_line(head: str) -> str:
    return _SHORT_HEADS.get(head, head)


def _distribution(bands: list[Band], layout: _Layout, when: str = "") -> RenderableType:
    total = sum(b.count for b in bands)
    biggest = max((b.count for b in bands), default=0)
    bar_width = max(10, min(60, layout.width - 34))
    table = Table(
        box=None,
        show_header=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        title=Text(
            f"Weeks from request to final plan ({fmt_num(total)} "
            f"plan{'' if total == 1 else 's'} issued{when})",
            style=layout.style("bold"),
        ),
        title_justify="left",
    )
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, width=bar_width)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    for b in bands:
        fraction = b.count / biggest if biggest else 0.0
        colour = "red" if b.late else "green"
        table.add_row(
            Text(b.label),
            Text(bar(fraction, bar_width, plain=layout.plain), style=layout.style(colour)),
            Text(fmt_num(b.count)),
            Text(fmt_pct(b.pct)),
        )
    return table


#: Breach-table columns from the first dropped to the last as the width narrows (the case
#: reference, rule, deadline and days late always stay).
DROP_ORDER: tuple[str, ...] = ("Row", "Claimed", "Requested", "Step taken")


def _breach_columns(width: int, case_width: int, verdict_width: int = 19) -> list[str]:
    """The breach-table columns that fit ``width``, in display order."""
    widths = {
        "Case": case_width,
        "Row": 5,
        "Rule": 4,
        "Requested": 10,
        "Deadline": 10,
        "Step taken": 10,
        "Days late": 5,
        "Claimed": 16,
        "Exception": max(9, verdict_width),
    }
    keep = list(widths)
    for name in DROP_ORDER:
        if sum(widths[c] + 3 for c in keep) <= width:
            break
        keep.remove(name)
    return keep


def _worst(r: AuditResult, layout: _Layout, top: int) -> RenderableType:
    worst = worst_breaches(r, top)
    total = breach_total(r)
    if worst.empty:
        return Group(_heading("Breaches", layout), Text("No breach counted in this audit."))
    title = f"Worst breaches: {min(top, len(worst))} of {fmt_num(total)} (a row per case and rule)"
    cols = {c: worst[c].tolist() for c in worst.columns}
    with_sheet = several_sheets(r)
    ids = [str(c or "-") for c in cols["case_id"]]
    verdicts = [
        claim_verdict(kind, lawful, plausible) or "none claimed"
        for kind, lawful, plausible in zip(
            cols["exception_kind"],
            cols["exception_lawful"],
            cols["exception_plausible"],
            strict=True,
        )
    ]
    case_width = max([4, *(len(i) for i in ids)])
    shown = _breach_columns(layout.width, case_width, max(len(v) for v in verdicts))
    table = Table(
        box=layout.table_box,
        show_edge=False,
        padding=(0, 1),
        title=Text(title, style=layout.style("bold")),
        title_justify="left",
    )
    for name in shown:
        if name == "Case":
            table.add_column(name, no_wrap=True, overflow="ellipsis", min_width=case_width)
        elif name == "Claimed":
            table.add_column(name, overflow="fold")
        elif name == "Exception":
            table.add_column(name, no_wrap=True)
        else:
            justify = "right" if name in ("Row", "Days late") else "left"
            head = name if layout.wide or name != "Days late" else "Days\nlate"
            table.add_column(head, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for i in range(len(worst)):
        raw = cols["exception_raw"][i]
        verdict = verdicts[i]
        done = end_text(cols["outcome"][i], cols["rule_state"][i], cols["rule_done"][i])
        cell = {
            "Case": Text(ids[i]),
            "Row": Text(row_ref(cols["sheet"][i], cols["row"][i], with_sheet)),
            "Rule": Text(str(cols["rule"][i]).removeprefix("EHCP-")),
            "Requested": Text(fmt_date(cols["request_date"][i])),
            "Deadline": Text(fmt_date(cols["rule_deadline"][i])),
            "Step taken": Text(done, style=layout.style("red" if done == "still open" else "")),
            "Days late": Text(fmt_num(int(cols["days_late"][i])), style=layout.style("bold red")),
            "Claimed": Text("" if raw is None else str(raw)),
            "Exception": Text(verdict),
        }
        table.add_row(*(cell[name] for name in shown))
    return table


def _known(value: object) -> bool:
    """False for None, NaN, NaT and pandas' NA."""
    if value is None or value is pd.NaT:
        return False
    return not (isinstance(value, float) and value != value)


def _quality(r: AuditResult, layout: _Layout) -> RenderableType:
    s = r.summary
    read, judged, excluded = (int(s.get(k) or 0) for k in ("rows_read", "cases", "rows_excluded"))
    balanced = read == judged + excluded
    lines: list[RenderableType] = [
        Text.assemble(
            accounting_line(s),
            (
                " (balanced)" if balanced else " (DOES NOT BALANCE)",
                layout.style("green" if balanced else "bold red"),
            ),
        )
    ]
    counts = issue_counts(r)
    caveats = caveat_counts(s)
    if caveats:
        table = Table(box=None, show_header=True, pad_edge=False, padding=(0, 2, 0, 0))
        table.add_column("Verdicts resting on", no_wrap=True)
        table.add_column("Cases", justify="right", no_wrap=True)
        for code, n in caveats:
            table.add_row(Text(code), Text(fmt_num(n)))
        lines.append(table)
    if counts:
        table = Table(box=None, show_header=True, pad_edge=False, padding=(0, 2, 0, 0))
        table.add_column("Issue", no_wrap=True)
        table.add_column("Count", justify="right", no_wrap=True)
        for code, n in counts:
            words = ISSUE_WORDS.get(code)
            table.add_row(Text(f"{code} ({words})" if words else code), Text(fmt_num(n)))
        lines.append(table)
    elif not caveats:
        lines.append(Text("No data issues."))
    for i in r.inputs:
        where = f"{i.file}{' / ' + i.sheet if i.sheet else ''}"
        lines.append(
            Text(
                f"Read {where}: header row {i.header_row}, {fmt_num(i.rows)} rows",
                style=layout.style("dim"),
            )
        )
    return Panel(
        Group(*lines),
        title=Text("Data quality", style=layout.style("bold")),
        title_align="left",
        box=layout.panel_box,
        expand=False,
    )
