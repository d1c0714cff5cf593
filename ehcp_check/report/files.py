"""The audit as JSON, CSV and Markdown: string forms for stdout and atomic file writers.

CSV choices (one row per case, columns in :data:`~ehcp_check.report.figures.CASE_COLUMNS`
order): ISO dates (``YYYY-MM-DD``), empty cells for unknown values, ``true`` / ``false``
for the exception booleans, ``breaches`` as ``EHCP-20W:12;EHCP-15D:2`` (rule: days late),
``\\n`` line ends, text copied from the input neutralised against formula injection (a
leading ``'``). Files are written as UTF-8 *with* a byte-order mark, because Excel opens a
CSV without one in the local code page and garbles names like "Zoë"; the string form for
stdout has no byte-order mark, for pipes and scripts.
"""

from __future__ import annotations

import codecs
import itertools
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .cases_csv import csv_chunks
from .cases_csv import csv_field as csv_field
from .cases_json import case_json_chunks
from .figures import (
    PERIOD_COLUMNS,
    accounting_line,
    breach_total,
    caveat_sentence,
    end_text,
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
from .safe import atomic_write, neutralise_text, visible, write_pieces, write_text

if TYPE_CHECKING:
    from ..audit import AuditResult

PathLike = str | os.PathLike[str]

# --- JSON --------------------------------------------------------------------------------


def json_chunks(
    result: AuditResult, *, indent: int | None = 2, cases: bool = True
) -> Iterator[str]:
    """The JSON document (schema ``ehcp-check/audit/2``) in pieces, ending in a newline:
    the text of ``json.dumps(result.to_dict(cases=cases), indent=indent,
    ensure_ascii=False)``, with the cases written column by column and block by block
    (:mod:`~ehcp_check.report.cases_json`) instead of as a list of dicts."""
    doc = result.to_dict(cases=False)
    if not cases:
        yield json.dumps(doc, indent=indent, ensure_ascii=False) + "\n"
        return
    for attempt in itertools.count():
        mark = json.dumps(f"\ue000cases {attempt}\ue000", ensure_ascii=False)
        doc["cases"] = json.loads(mark)
        text = json.dumps(doc, indent=indent, ensure_ascii=False)
        if text.count(mark) == 1:  # a mark that no input text happens to hold
            break
    before, after = text.split(mark)
    records = case_json_chunks(result.scoped_verdicts(), indent=indent, level=1)
    yield before  # only once the records' units are built: a failure there writes nothing
    yield from records
    yield after + "\n"


def render_json(result: AuditResult) -> str:
    """The JSON document (schema ``ehcp-check/audit/2``), indented, ending in a newline."""
    return "".join(json_chunks(result))


def write_json(
    result: AuditResult, path: PathLike, *, force: bool = False, inputs: Sequence[PathLike] = ()
) -> Path:
    """Write :func:`render_json` to ``path`` atomically (UTF-8, no byte-order mark), block by
    block."""

    def write(tmp: Path) -> None:
        write_pieces(tmp, json_chunks(result))

    return atomic_write(path, write, force=force, inputs=inputs)


# --- CSV ---------------------------------------------------------------------------------


def _csv_chunks(result: AuditResult) -> Iterator[str]:
    """The CSV text in pieces: the header line, then blocks of rows
    (:mod:`~ehcp_check.report.cases_csv`)."""
    return csv_chunks(result.verdicts)


def render_csv(result: AuditResult) -> str:
    """Every case with its verdict as CSV text (no byte-order mark)."""
    return "".join(_csv_chunks(result))


def write_csv(
    result: AuditResult, path: PathLike, *, force: bool = False, inputs: Sequence[PathLike] = ()
) -> Path:
    """Write every case with its verdict to ``path`` as CSV (UTF-8 with a byte-order mark),
    atomically."""

    def write(tmp: Path) -> None:
        write_pieces(tmp, _csv_chunks(result), prefix=codecs.BOM_UTF8)

    return atomic_write(path, write, force=force, inputs=inputs)


# --- Markdown ----------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\|`*_[]<"} | {"\n": " ", "\r": " ", "\t": " "})


def md(text: object) -> str:
    """Text safe in a Markdown table cell: punctuation that Markdown or HTML would act on
    is backslash-escaped, line breaks are folded to spaces, control characters are shown
    as visible escapes."""
    return visible(str(text).translate(_MD_SPECIAL))


class Data(str):
    """Text copied from an input file: neutralised as well as escaped in Markdown."""

    __slots__ = ()


def _md_cell(value: object) -> str:
    if isinstance(value, Data):
        return md(neutralise_text(value))
    return md(value)


def _md_table(headers: Iterable[str], rows: Iterable[Iterable[object]], align: str) -> list[str]:
    """A GitHub-flavoured Markdown table; ``align`` has one 'l' or 'r' per column."""
    heads = [_md_cell(h) for h in headers]
    lines = ["| " + " | ".join(heads) + " |"]
    lines.append("|" + "|".join(":---" if a == "l" else "---:" for a in align) + "|")
    for row in rows:
        lines.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
    return lines


def render_markdown(result: AuditResult, *, top: int = 10) -> str:
    """The audit as a Markdown document: summary, periods, distribution, worst breaches,
    data issues."""
    r = result
    s = r.summary
    cohort = f"plans issued {r.options.period.label}" if r.options.period else "all cases"
    out = [
        "# EHC plan deadlines audit",
        "",
        f"As of {r.settings.as_of.isoformat()}; day count: {r.settings.day_count.value}; "
        f"cohort: {md(cohort)}.",
        "",
        "## Summary",
        "",
        *_md_table(["Measure", "Figure"], headline_rows(r), "lr"),
        "",
    ]
    if caveat_sentence(s):
        out += [f"**{md(caveat_sentence(s))}**", ""]
    if r.groups:
        out += [f"## By {r.options.by.value if r.options.by else 'period'}", ""]
        heads = ["Group", *(h for h, _, _ in PERIOD_COLUMNS)]
        rows = [
            [Data(key), *(period_cell(summary, k, kind) for _, k, kind in PERIOD_COLUMNS)]
            for key, summary in r.groups
        ]
        out += [*_md_table(heads, rows, "l" + "r" * len(PERIOD_COLUMNS)), ""]
    out += ["## Weeks from request to final plan", ""]
    out += _md_table(
        ["Weeks", "Plans", "Share"],
        [(b.label, fmt_num(b.count), fmt_pct(b.pct)) for b in weeks_bands(r)],
        "lrr",
    )
    worst = worst_breaches(r, top)
    with_sheet = several_sheets(r)
    out += ["", f"## Worst breaches ({len(worst)} of {fmt_num(breach_total(r))})", ""]
    if worst.empty:
        out.append("No case is late or overdue.")
    else:
        rows = []
        for rec in worst.to_dict("records"):
            claim = rec["exception_raw"]
            verdict = (
                exception_verdict(rec["exception_lawful"], rec["exception_plausible"])
                if rec["exception_kind"] is not None
                else ""
            )
            issued = end_text(rec["outcome"], rec["rule_state"], rec["rule_done"])
            rows.append(
                [
                    Data(rec["case_id"] or "-"),
                    row_ref(rec["sheet"], rec["row"], with_sheet),
                    rec["worst_rule"],
                    fmt_date(rec["request_date"]),
                    fmt_date(rec["worst_deadline"]),
                    issued,
                    fmt_num(int(rec["days_late"])),
                    Data(claim or ""),
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
        out += _md_table(heads, rows, "lrlllllrll"[:0] + "lrllllrll")
    counts = issue_counts(r)
    out += ["", f"## Data issues ({fmt_num(len(r.issues))})", ""]
    out.append(f"Row accounting: {accounting_line(s)}.")
    if counts:
        out += ["", *_md_table(["Issue", "Count"], [(c, fmt_num(n)) for c, n in counts], "lr")]
    if r.inputs:
        out += ["", "Read:", ""]
        out += [f"- {_md_cell(Data(line))}" for line in files_read(r)]
    out += [
        "",
        "This is information about the law and your data, not legal advice.",
        "",
    ]
    return "\n".join(out)


def write_markdown(
    result: AuditResult,
    path: PathLike,
    *,
    force: bool = False,
    inputs: Sequence[PathLike] = (),
    top: int = 10,
) -> Path:
    """Write :func:`render_markdown` to ``path`` atomically (UTF-8)."""
    return write_text(path, render_markdown(result, top=top), force=force, inputs=inputs)
