"""The audit as one self-contained HTML page: inline CSS, inline SVG charts and one small
inline script (sorting and filtering the tables), no external assets, nothing loaded from
the network. Every text from the data is HTML-escaped, and a Content-Security-Policy allows
only that one script, by its SHA-256 hash, and forbids remote loads as a second line of
defence. The page lists every breach (one row per case and rule) and every data issue;
without the script the tables are still complete, just not sortable."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..rules import DISCLAIMER, RULES
from .figures import (
    ISSUE_WORDS,
    PERIOD_COLUMNS,
    Band,
    accounting_line,
    breaches,
    caveat_sentence,
    claim_verdict,
    end_text,
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
)
from .safe import visible, write_text

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
th.sortable{cursor:pointer;white-space:nowrap}th.sortable::after{content:" \\2195";color:#999}
th[aria-sort=ascending]::after{content:" \\2191";color:#1b1b1b}
th[aria-sort=descending]::after{content:" \\2193";color:#1b1b1b}
input.filter{margin:.3rem 0;padding:.2rem .4rem;width:20rem;max-width:100%}
.wrap{max-height:40rem;overflow:auto}table.sortable td{white-space:nowrap}
@media print{.wrap{max-height:none;overflow:visible}input.filter{display:none}}
"""

#: Sorting (click a header) and filtering (type in the box) for tables of class ``sortable``.
#: A cell's ``data-v`` holds its sort key (numbers and ISO dates sort as such).
SCRIPT = """
(function(){
function key(td){var v=td.getAttribute('data-v');if(v===null)v=td.textContent;
var n=parseFloat(v);return (v!==''&&!isNaN(n)&&/^-?[0-9.]+$/.test(v))?n:v.toLowerCase();}
document.querySelectorAll('table.sortable').forEach(function(t){
var body=t.tBodies[0];var heads=t.tHead.rows[0].cells;
Array.prototype.forEach.call(heads,function(th,i){th.classList.add('sortable');
th.tabIndex=0;function sort(){var asc=th.getAttribute('aria-sort')!=='ascending';
Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',asc?'ascending':'descending');
var rows=Array.prototype.slice.call(body.rows);rows.sort(function(a,b){
var x=key(a.cells[i]),y=key(b.cells[i]);if(x===y)return 0;
if(typeof x!==typeof y)return (typeof x==='number'?-1:1)*(asc?1:-1);
return (x<y?-1:1)*(asc?1:-1);});rows.forEach(function(r){body.appendChild(r);});}
th.addEventListener('click',sort);th.addEventListener('keydown',function(e){
if(e.key==='Enter'||e.key===' '){e.preventDefault();sort();}});});
var box=document.getElementById(t.id+'-filter');
if(box){var count=document.getElementById(t.id+'-count');
box.addEventListener('input',function(){var q=box.value.toLowerCase();var shown=0;
Array.prototype.forEach.call(body.rows,function(r){
var hit=r.textContent.toLowerCase().indexOf(q)>=0;r.hidden=!hit;if(hit)shown++;});
if(count)count.textContent=shown+' of '+body.rows.length+' rows';});}
});})();
"""
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode(
    "ascii"
)
CSP = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '{SCRIPT_HASH}'"


def _e(value: object) -> str:
    """HTML-escaped text (quotes too), control characters shown as visible escapes."""
    return escape(visible("" if value is None else str(value)), quote=True)


def _sortable(
    table_id: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    numeric: Sequence[bool],
    *,
    label: str,
) -> str:
    """A table people can sort (click a header) and filter (type in the box above it).
    A cell given as ``(text, key)`` sorts by ``key``."""
    head = "".join(
        f'<th{" class=n" if n else ""} scope="col">{_e(h)}</th>'
        for h, n in zip(headers, numeric, strict=True)
    )
    body: list[str] = []
    total = 0
    for row in rows:
        total += 1
        cells = []
        for c, n in zip(row, numeric, strict=True):
            text, sort = c if isinstance(c, tuple) else (c, None)
            attr = (" class=n" if n else "") + ("" if sort is None else f' data-v="{_e(sort)}"')
            cells.append(f"<td{attr}>{_e(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<p><label>Filter {_e(label)}: <input class="filter" type="search" '
        f'id="{table_id}-filter"></label> <span class="note" id="{table_id}-count">'
        f"{total:,} rows</span></p>"
        f'<div class="wrap"><table class="sortable" id="{table_id}"><thead><tr>{head}</tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table></div>"
    )


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


def _by_rule(summary: dict[str, Any]) -> str:
    counts: dict[str, Any] = summary.get("breaches") or {}
    return ", ".join(f"{code} {fmt_num(n)}" for code, n in counts.items())


_COHORT_TEXT: tuple[tuple[str, str], ...] = (
    ("Plans issued, 20-week measures, weeks to issue", "by the date the final plan was issued"),
    ("Decisions whether to assess (6 weeks)", "by the request date"),
    ("No-plan notices (16 weeks)", "by the date of the no-plan notice"),
    ("Open cases, overdue", "snapshot on the as-of date: every case open when the period closed"),
    ("Breaches", "in their measure's cohort; a breach still running is in the open-case snapshot"),
    ("As of", "nothing dated after the as-of date counts or shows as done"),
    ("Excluding exceptions", "leaves out plans whose exception claim is accepted"),
)


def _method(r: AuditResult) -> list[str]:
    counting = (
        "the request day is day 1; deadline = request + 7N - 1 days"
        if r.settings.day_count.value == "day-one"
        else "deadline = request + 7N days (the request day is not counted)"
    )
    return [
        "<h2>Method</h2>",
        f"<p>Day count {_e(r.settings.day_count.value)}: {_e(counting)}.</p>",
        _table(
            ["Code", "What must happen", "Limit", "Regulation"],
            [(rule.code.value, rule.title, rule.label, rule.regulation) for rule in RULES],
            [False, False, False, False],
        ),
        _table(["Measure", "Cohort"], _COHORT_TEXT, [False, False]),
    ]


def render_html(result: AuditResult, *, top: int = 10) -> str:
    """The audit as a self-contained HTML page (``top`` is kept for the other views'
    signature: the page lists every breach)."""
    r = result
    del top
    cohort = r.options.period.label if r.options.period else "all cases"
    body: list[str] = [
        "<h1>EHC plan deadlines audit</h1>",
        f'<p class="meta">As of {_e(r.settings.as_of.isoformat())}; day count '
        f"{_e(r.settings.day_count.value)}; period: {_e(cohort)}; ehcp-check "
        f"{_e(__version__)}.</p>",
        "<h2>Summary</h2>",
        _table(["Measure", "Figure"], headline_rows(r), [False, True], cls="headline"),
        *(
            [f'<p class="caution"><strong>{_e(caveat_sentence(r.summary))}</strong></p>']
            if caveat_sentence(r.summary)
            else []
        ),
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
    listed = breaches(r)
    with_sheet = several_sheets(r)
    body.append(
        f"<h2>Breaches ({_e(fmt_num(len(listed)))}: {_e(_by_rule(r.summary))})</h2>"
        "<p class=note>Every breach the figures count, one row per case and rule, most days "
        "late first. Click a header to sort; type to filter.</p>"
    )
    if listed.empty:
        body.append("<p>No breach counted in this audit.</p>")
    else:
        cols = {c: listed[c].tolist() for c in listed.columns}
        breach_rows: list[list[object]] = []
        for i in range(len(listed)):
            verdict = (
                claim_verdict(
                    cols["exception_kind"][i],
                    cols["exception_lawful"][i],
                    cols["exception_plausible"][i],
                )
                or ""
            )
            days = int(cols["days_late"][i])
            where = row_ref(cols["sheet"][i], cols["row"][i], with_sheet)
            breach_rows.append(
                [
                    cols["case_id"][i] or "-",
                    (where, cols["row"][i]),
                    cols["rule"][i],
                    fmt_date(cols["request_date"][i]),
                    fmt_date(cols["rule_deadline"][i]),
                    end_text(cols["outcome"][i], cols["rule_state"][i], cols["rule_done"][i]),
                    (fmt_num(days), days),
                    cols["status"][i],
                    cols["exception_raw"][i] or "",
                    verdict,
                ]
            )
        heads = ["Case", "Row", "Rule", "Requested", "Deadline", "Step taken", "Days late",
                 "Status", "Exception claimed", "Verdict"]  # fmt: skip
        numeric = [False, True, False, False, False, False, True, False, False, False]
        body.append(_sortable("breaches", heads, breach_rows, numeric, label="breaches"))
    body += [
        f"<h2>Data issues ({_e(fmt_num(len(r.issues)))})</h2>",
        f"<p>Row accounting: {_e(accounting_line(r.summary))}.</p>",
    ]
    counts = issue_counts(r)
    if counts:
        body.append(
            _table(
                ["Issue", "Count"],
                [(f"{c} ({ISSUE_WORDS[c]})" if c in ISSUE_WORDS else c, fmt_num(n))
                 for c, n in counts],
                [False, True],
            )
        )  # fmt: skip
        body.append(
            _sortable(
                "issues",
                ["File", "Sheet", "Row", "Column", "Value", "Issue", "Message"],
                (
                    [i.file, i.sheet or "", ("" if i.row is None else i.row, i.row),
                     i.column or "", i.value or "", i.code, i.message]
                    for i in r.issues
                ),
                [False, False, True, False, False, False, False],
                label="data issues",
            )
        )  # fmt: skip
    if r.inputs:
        body.append("<p>Read:</p><ul>")
        body += [f"<li>{_e(line)}</li>" for line in files_read(r)]
        body.append("</ul>")
    body += _method(r)
    body.append(f'<p class="note">{_e(DISCLAIMER)}</p>')
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" '
        f'content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>EHC plan deadlines audit, as of {_e(r.settings.as_of.isoformat())}</title>"
        f"<style>{_CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + f"\n<script>{SCRIPT}</script>\n</body></html>\n"
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
