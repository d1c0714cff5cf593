"""Tables of totals: FOI replies that give counts per period, not one row per case.

:func:`read_totals` reads them into the canonical long table of ``data-contract.md``
section 6: one row per count, with the period it covers (label as written, kind, first and
last day), the measure it counts and its value. Periods may run down the rows or across the
columns (with a year row over a quarter row); months, quarters, month ranges and calendar,
financial and academic years are understood (:mod:`ehcp_check.ingest.periods_text`);
measures are recognised by their headers (:mod:`ehcp_check.ingest.totals_vocab`).

Nothing is dropped silently: a suppressed cell (``<5``, ``*``, ``Fewer than 5``) is a row
with no value and the marker as written; a cell that is not a count is a data issue; a
header not understood is listed in :attr:`TotalsResult.unknown_columns`; total rows and
columns are left out and listed as excluded. When a reply gives plans issued and plans
"over 20 weeks" for a period, the plans issued within 20 weeks are derived (``derived``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ehcp_check.errors import InputError, UsageError
from ehcp_check.ingest.codes import shorten
from ehcp_check.ingest.limits import Limits
from ehcp_check.ingest.readers import (
    FileKind,
    RawSheet,
    file_kind,
    read_text,
    read_workbook,
)
from ehcp_check.ingest.source import (
    case_file_too_big,
    display_name,
    parse_toml,
    read_settings_text,
    read_source,
)
from ehcp_check.ingest.totals_cells import TotalsInput, TotalsIssue, parse_count
from ehcp_check.ingest.totals_layout import evidence, looks_like_totals
from ehcp_check.ingest.totals_vocab import (
    DECIMAL_MEASURES,
    IGNORE,
    Measure,
    header_words,
)
from ehcp_check.ingest.totals_walk import read_sheet
from ehcp_check.model import DataIssue

#: Columns of the canonical totals table that the data contract names (section 6), in order.
CONTRACT_COLUMNS: tuple[str, ...] = (
    "file",
    "sheet",
    "row",
    "la",
    "period",
    "period_kind",
    "start",
    "end",
    "measure",
    "value",
    "suppressed",
)
#: Every column of the totals table: the contract's, then the extras ``derived`` and
#: ``column``.
TOTALS_COLUMNS: tuple[str, ...] = (*CONTRACT_COLUMNS, "derived", "column")

#: What ``totals`` says of a sheet the case path refuses.
TOTALS_REASON = (
    "it is a table of totals (counts per period), not one row per case: ehcp-check totals reads it"
)


@dataclass(frozen=True, slots=True)
class TotalsResult:
    """A table of totals read into the canonical long table."""

    table: pd.DataFrame
    """Columns :data:`TOTALS_COLUMNS`; ``value`` is nullable Int64 (Float64 when the table
    has a decimal measure such as ``mean_days_to_issue``)."""
    issues: list[DataIssue]
    """Cells not read, total rows and columns left out (``excluded``), sheets skipped."""
    unknown_columns: list[str]
    """Headers (or row labels) not understood, as written."""
    inputs: list[TotalsInput]
    """Every sheet looked at, read or skipped."""


def empty_totals() -> pd.DataFrame:
    """A totals table with no rows and the canonical dtypes."""
    frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in TOTALS_COLUMNS})
    frame["row"] = frame["row"].astype("Int64")
    frame["value"] = frame["value"].astype("Int64")
    frame["derived"] = frame["derived"].astype(bool)
    return frame


# ---------------------------------------------------------------- overrides


def check_overrides(overrides: Mapping[str, str] | None, where: str = "--map") -> dict[str, str]:
    """Header words -> measure (or ``ignore``); raise :class:`UsageError` on another name."""
    known = [m.value for m in Measure]
    checked: dict[str, str] = {}
    for header, target in (overrides or {}).items():
        name = target.strip().lower()
        if name not in known and name != IGNORE:
            raise UsageError(
                f"{where} {header!r}: unknown measure {target!r}; use one of "
                f"{', '.join(known)} or {IGNORE}."
            )
        checked[header_words(header)] = name
    return checked


def parse_measure_option(text: str) -> tuple[str, str]:
    """Split ``--map "HEADER=measure"`` at its last ``=``."""
    header, sep, name = text.rpartition("=")
    if not sep or not header.strip():
        raise UsageError(f'--map {text!r} must look like "HEADER=plans_issued".')
    check_overrides({header: name})
    return header.strip(), name.strip().lower()


@dataclass(frozen=True, slots=True)
class TotalsMapping:
    """A TOML mapping file for totals: ``[measures]`` (header = measure) and ``sheet``."""

    measures: dict[str, str]
    sheet: str | None = None


def read_totals_mapping(path: str | os.PathLike[str]) -> TotalsMapping:
    """Read a mapping file's ``[measures]`` table and ``sheet`` (its case ``[columns]``
    table, if any, is for the case path and is not read here)."""
    name, text = read_settings_text(path, "Mapping file")
    data = parse_toml(name, text, "Mapping file")
    table = data.get("measures", {})
    sheet = data.get("sheet")
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise InputError(f"Mapping file {name}: [measures] must be a table of header = measure.")
    if sheet is not None and not isinstance(sheet, str):
        raise InputError(f"Mapping file {name}: sheet must be text.")
    check_overrides(table, f"Mapping file {name}:")
    return TotalsMapping({str(k): v.strip().lower() for k, v in table.items()}, sheet)


def _raw_sheets(path: str | os.PathLike[str], limits: Limits, wanted: str | None) -> list[RawSheet]:
    source = read_source(path, limits.max_file_bytes, case_file_too_big(limits))
    name = source.name
    kind = file_kind(source)
    if kind is FileKind.SEN2:
        raise InputError(
            f"{name} is a SEN2 return (one record per case): read it with "
            "ehcp-check audit, not totals."
        )
    if kind is FileKind.TEXT:
        raws = [read_text(source, limits)]
    else:
        raws = read_workbook(source, kind, limits)
    if wanted is None:
        return raws
    chosen = [r for r in raws if (r.sheet or "").casefold() == wanted.strip().casefold()]
    if not chosen:
        names = ", ".join(repr(r.sheet) for r in raws) or "none"
        raise InputError(f"{name} has no sheet named {wanted!r}; its sheets are: {names}.")
    return chosen


def _table(records: list[dict[str, object]]) -> pd.DataFrame:
    if not records:
        return empty_totals()
    frame = pd.DataFrame.from_records(records, columns=list(TOTALS_COLUMNS))
    decimal = frame["measure"].isin([m.value for m in DECIMAL_MEASURES]).any()
    frame["value"] = pd.array(frame["value"].tolist(), dtype="Float64" if decimal else "Int64")
    frame["row"] = pd.array(frame["row"].tolist(), dtype="Int64")
    frame["derived"] = frame["derived"].astype(bool)
    for name in ("la", "suppressed", "column", "sheet"):
        frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame


def read_totals(
    paths: list[str],
    *,
    sheet: str | None = None,
    overrides: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> TotalsResult:
    """Read tables of totals from files into the canonical long table (contract s.6).

    Every sheet that looks like a table of totals is read (``sheet`` reads only that one,
    whatever it looks like). ``overrides`` maps a header (or row label) as written to a
    measure name or ``ignore``; a header it names that no sheet has raises
    :class:`~ehcp_check.errors.UsageError` naming the headers seen. Raises
    :class:`~ehcp_check.errors.InputError` when a file cannot be read or holds no table of
    totals at all.
    """
    bounds = limits or Limits()
    checked = check_overrides(overrides)
    used: set[str] = set()
    records: list[dict[str, object]] = []
    issues: list[DataIssue] = []
    unknown: list[str] = []
    known: set[str] = set()
    inputs: list[TotalsInput] = []
    for path in paths:
        name = display_name(path)
        found = False
        seen: list[str] = []
        for raw in _raw_sheets(path, bounds, sheet):
            found_here = evidence(raw, checked) if sheet is None else None
            if found_here is not None and not found_here.readable:
                if found_here.layout is not None and found_here.measures == 0:
                    labels = found_here.layout.labels.values()
                    seen += [t for t in labels if t not in seen]
                reason = "it does not look like a table of totals (counts per period)"
                inputs.append(TotalsInput(raw.file, raw.sheet, None, skipped=reason))
                issues.append(
                    DataIssue(
                        raw.file,
                        raw.sheet,
                        None,
                        None,
                        None,
                        TotalsIssue.SHEET_SKIPPED.value,
                        f"Sheet {raw.sheet!r} was skipped because {reason}.",
                    )
                )
                continue
            part, info = read_sheet(raw, checked, used)
            found = found or info.orientation is not None
            records.extend(part.records)
            issues.extend(part.issues)
            unknown.extend(dict.fromkeys(u for u in part.unknown if u not in known))
            known.update(part.unknown)
            inputs.append(info)
        if not found and seen:
            shown = ", ".join(repr(shorten(h, 30)) for h in seen[:8])
            raise InputError(
                f"{name} has periods but no header naming a measure (headers seen: {shown}); "
                'name them with --map "HEADER=plans_issued" (see ehcp-check totals --help).'
            )
        if not found:
            raise InputError(
                f"{name} has no table of totals (period labels such as months, quarters or "
                "years with counts beside them); if it lists one row per case, read it with "
                "ehcp-check audit."
            )
    missing = [h for h in (overrides or {}) if header_words(h) not in used]
    if missing:
        seen = sorted({h for i in inputs for h in i.measures})
        shown = ", ".join(repr(shorten(h, 30)) for h in seen[:10]) or "none"
        raise UsageError(
            f"--map names {missing[0]!r}, which is not a header of the table; "
            f"its headers are: {shown}."
        )
    return TotalsResult(_table(records), issues, unknown, inputs)


class TotalsTableError(InputError):
    """A file given to the case path is a table of totals (exit 2)."""


def refuse_totals(name: str, reasons: list[str | None]) -> InputError | None:
    """The error the case path raises for a file whose sheets are tables of totals.

    ``reasons`` are why each sheet of the file was skipped (None for a sheet read).
    """
    if TOTALS_REASON in reasons:
        return TotalsTableError(
            f"{name} is a table of totals (counts per period), not a list of cases with one "
            f"row each; read it with: ehcp-check totals {name}"
        )
    return None


__all__ = [
    "TOTALS_COLUMNS",
    "TOTALS_REASON",
    "TotalsInput",
    "TotalsIssue",
    "TotalsResult",
    "TotalsTableError",
    "looks_like_totals",
    "parse_count",
    "read_totals",
]
