"""The audit as one self-contained HTML page: inline CSS and inline SVG charts, no scripts,
no external assets. Every text from the data is HTML-escaped, and a Content-Security-Policy
forbids scripts and remote loads as a second line of defence."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import __version__
from ..rules import DISCLAIMER
from .figures import (
    PERIOD_COLUMNS,
    Band,
    accounting_line,
    breach_total,
    exception_verdict,
    files_read,
    fmt_date,
    fmt_num,
    fmt_pct,
    headline_rows,
    issue_counts,
    period_cell,
    row_ref,
    several_sheets,
    weeks_bands,
    worst_breaches,
)
from .safe import write_text

if TYPE_CHECKING:
    from ..audit import AuditResult

PathLike = str | os.PathLike[str]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:72rem;padding:0 1rem;color:#1b1b1b;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #ccc}
.meta{color:#555}
table{border-collapse:collapse;margin:.5rem 0}
th,td{padding:.25rem .6rem;border-bottom:1px solid #e3e3e3;text-align:left;
vertical-align:top}
th{background:#f3f3f3}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.late td.days{color:#b00020;font-weight:600}
.headline td.n{font-weight:600}
svg text{font-size:12px;font-family:inherit}
.note{color:#555;font-size:.9rem}
"""


def _e(value: object) -> str:
    """HTML-escaped text (quotes too)."""
    return escape("" if value is None else str(value), quote=True)


def _table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    numeric: Sequence[bool],
    *,
    cls: str = "",
    row_class: Sequence[str] | None = None,
) -> str:
    head = "".join(
        f'<th{" class=n" if n else ""} scope="col">{_e(h)}</th>'
        for h, n in zip(headers, numeric, strict=True)
    )
    body = []
    for i, row in enumerate(rows):
        rc = f' class="{row_class[i]}"' if row_class else ""
        cells = "".join(
            f"<td{' class=n' if n else ''}>{_e(c)}</td>" for c, n in zip(row, numeric, strict=True)
        )
        body.append(f"<tr{rc}>{cells}</tr>")
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _bands_svg(bands: list[Band]) -> str:
    """Horizontal bars: plans issued per weeks band."""
    biggest = max((b.count for b in bands), default=0) or 1
    row_h, label_w, bar_w = 24, 110, 420
    height = row_h * len(bands) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 120}" '
        f'height="{height}" role="img" aria-label="Plans issued by weeks to issue">'
    ]
    for i, b in enumerate(bands):
        y = 4 + i * row_h
        w = round(bar_w * b.count / biggest)
        colour = "#b00020" if b.late else "#1a7f37"
        parts.append(f'<text x="0" y="{y + 15}">{_e(b.label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="16" fill="{colour}"/>')
        parts.append(
            f'<text x="{label_w + w + 6}" y="{y + 15}">{_e(fmt_num(b.count))} '
            f"({_e(fmt_pct(b.pct))})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _periods_svg(groups: list[tuple[str, dict[str, Any]]]) -> str:
    """Horizontal bar pairs per period: % within 20 weeks including / excluding exceptions."""
    row_h, label_w, bar_w = 40, 110, 400
    height = row_h * len(groups) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 80}" '
        f'height="{height}" role="img" aria-label="Percent of plans issued within 20 weeks">',
        '<rect x="0" y="2" width="12" height="10" fill="#9db7d5"/>'
        '<text x="16" y="12">including exceptions</text>'
        '<rect x="170" y="2" width="12" height="10" fill="#1f4e89"/>'
        '<text x="186" y="12">excluding exceptions</text>',
    ]
    for i, (key, s) in enumerate(groups):
        y = 24 + i * row_h
        parts.append(f'<text x="0" y="{y + 20}">{_e(key)}</text>')
        for j, (k, colour) in enumerate(
            (("pct_within_20_weeks", "#9db7d5"), ("pct_within_20_weeks_excl", "#1f4e89"))
        ):
            value = s.get(k)
            w = 0 if value is None else round(bar_w * float(value) / 100)
            yy = y + 4 + j * 16
            parts.append(
                f'<rect x="{label_w}" y="{yy}" width="{w}" height="14" fill="{colour}"/>'
                f'<text x="{label_w + w + 4}" y="{yy + 12}">{_e(fmt_pct(value))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def render_html(result: AuditResult, *, top: int = 10) -> str:
    """The audit as a self-contained HTML page."""
    r = result
    cohort = f"plans issued {r.options.period.label}" if r.options.period else "all cases"
    body: list[str] = [
        "<h1>EHC plan deadlines audit</h1>",
        f'<p class="meta">As of {_e(r.settings.as_of.isoformat())}; day count '
        f"{_e(r.settings.day_count.value)}; cohort: {_e(cohort)}; ehcp-check "
        f"{_e(__version__)}.</p>",
        "<h2>Summary</h2>",
        _table(["Measure", "Figure"], headline_rows(r), [False, True], cls="headline"),
        "<h2>Weeks from request to final plan</h2>",
        _bands_svg(weeks_bands(r)),
    ]
    if r.groups:
        by = r.options.by.value if r.options.by else "period"
        heads = ["Group", *(h for h, _, _ in PERIOD_COLUMNS)]
        rows = [
            [key, *(period_cell(s, k, kind) for _, k, kind in PERIOD_COLUMNS)]
            for key, s in r.groups
        ]
        body += [
            f"<h2>By {_e(by)}</h2>",
            _periods_svg(r.groups),
            _table(heads, rows, [False] + [True] * len(PERIOD_COLUMNS)),
        ]
    worst = worst_breaches(r, top)
    with_sheet = several_sheets(r)
    body.append(f"<h2>Worst breaches ({len(worst)} of {_e(fmt_num(breach_total(r)))})</h2>")
    if worst.empty:
        body.append("<p>No case is late or overdue.</p>")
    else:
        rows = []
        for rec in worst.to_dict("records"):
            verdict = (
                exception_verdict(rec["exception_lawful"], rec["exception_plausible"])
                if rec["exception_kind"] is not None
                else ""
            )
            issued = fmt_date(rec["final_date"]) if pd.notna(rec["final_date"]) else "still open"
            rows.append(
                [
                    rec["case_id"] or "-",
                    row_ref(rec["sheet"], rec["row"], with_sheet),
                    rec["worst_rule"],
                    fmt_date(rec["request_date"]),
                    fmt_date(rec["worst_deadline"]),
                    issued,
                    fmt_num(int(rec["days_late"])),
                    rec["exception_raw"] or "",
                    verdict,
                ]
            )
        heads = [
            "Case",
            "Row",
            "Rule",
            "Requested",
            "Deadline",
            "Issued",
            "Days late",
            "Exception claimed",
            "Verdict",
        ]
        numeric = [False, True, False, False, False, False, True, False, False]
        body.append(_table(heads, rows, numeric, row_class=["late"] * len(rows)))
    body += [
        f"<h2>Data issues ({_e(fmt_num(len(r.issues)))})</h2>",
        f"<p>Row accounting: {_e(accounting_line(r.summary))}.</p>",
    ]
    counts = issue_counts(r)
    if counts:
        body.append(_table(["Issue", "Count"], [(c, fmt_num(n)) for c, n in counts], [False, True]))
    if r.inputs:
        body.append("<p>Read:</p><ul>")
        body += [f"<li>{_e(line)}</li>" for line in files_read(r)]
        body.append("</ul>")
    body.append(f'<p class="note">{_e(DISCLAIMER)}</p>')
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>EHC plan deadlines audit, as of {_e(r.settings.as_of.isoformat())}</title>"
        f"<style>{_CSS}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def write_html(
    result: AuditResult,
    path: PathLike,
    *,
    force: bool = False,
    inputs: Sequence[PathLike] = (),
    top: int = 10,
) -> Path:
    """Write :func:`render_html` to ``path`` atomically (UTF-8)."""
    return write_text(path, render_html(result, top=top), force=force, inputs=inputs)
