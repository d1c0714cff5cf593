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

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .figures import (
    BOOL_COLUMNS,
    DATE_COLUMNS,
    PERIOD_COLUMNS,
    accounting_line,
    case_table,
    exception_verdict,
    files_read,
    fmt_date,
    fmt_num,
    fmt_pct,
    headline_rows,
    issue_counts,
    period_cell,
    weeks_bands,
    worst_breaches,
)
from .safe import atomic_write, neutralise_series, neutralise_text, write_text

if TYPE_CHECKING:
    from ..audit import AuditResult

PathLike = str | os.PathLike[str]

# --- JSON --------------------------------------------------------------------------------


def render_json(result: AuditResult) -> str:
    """The JSON document (schema ``ehcp-check/audit/1``), indented, ending in a newline."""
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"


def write_json(
    result: AuditResult, path: PathLike, *, force: bool = False, inputs: Sequence[PathLike] = ()
) -> Path:
    """Write :func:`render_json` to ``path`` atomically (UTF-8, no byte-order mark)."""
    return write_text(path, render_json(result), force=force, inputs=inputs)


# --- CSV ---------------------------------------------------------------------------------


def _iso(values: pd.Series) -> pd.Series:
    """ISO date text per row, '' for none, without per-row Python."""
    arr = values.to_numpy(dtype="datetime64[D]")
    text = arr.astype(str)
    return pd.Series(np.where(np.isnat(arr), "", text), index=values.index, dtype=object)


def csv_frame(result: AuditResult) -> pd.DataFrame:
    """The flat case table as CSV text values: ISO dates, neutralised text, 'true'/'false'."""
    table = case_table(result.verdicts)
    out: dict[str, pd.Series] = {}
    for name in table.columns:
        col = table[name]
        if name in DATE_COLUMNS:
            out[name] = _iso(col)
        elif name in BOOL_COLUMNS:
            arr = col.to_numpy(dtype=object)
            text = np.where(arr == True, "true", np.where(arr == False, "false", ""))  # noqa: E712
            out[name] = pd.Series(text, index=col.index, dtype=object)
        elif col.dtype == object:
            out[name] = neutralise_series(col)
        else:
            out[name] = col
    return pd.DataFrame(out)


def render_csv(result: AuditResult) -> str:
    """Every case with its verdict as CSV text (no byte-order mark)."""
    text = csv_frame(result).to_csv(index=False, lineterminator="\n", float_format="%.1f")
    return str(text)


def write_csv(
    result: AuditResult, path: PathLike, *, force: bool = False, inputs: Sequence[PathLike] = ()
) -> Path:
    """Write every case with its verdict to ``path`` as CSV (UTF-8 with a byte-order mark),
    atomically."""
    frame = csv_frame(result)

    def write(tmp: Path) -> None:
        frame.to_csv(
            tmp, index=False, lineterminator="\n", float_format="%.1f", encoding="utf-8-sig"
        )

    return atomic_write(path, write, force=force, inputs=inputs)


# --- Markdown ----------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\|`*_[]<"} | {"\n": " ", "\r": " ", "\t": " "})


def md(text: object) -> str:
    """Text safe in a Markdown table cell: punctuation that Markdown or HTML would act on
    is backslash-escaped, line breaks are folded to spaces."""
    return str(text).translate(_MD_SPECIAL)


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
    out += ["", f"## Worst breaches ({len(worst)} of {fmt_num(r.breach_count)})", ""]
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
            issued = fmt_date(rec["final_date"]) if pd.notna(rec["final_date"]) else "still open"
            rows.append(
                [
                    Data(rec["case_id"] or "-"),
                    "" if pd.isna(rec["row"]) else str(rec["row"]),
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
