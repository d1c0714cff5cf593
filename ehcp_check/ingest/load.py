"""The public entry points: :func:`load` and :func:`inspect_columns`."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from ehcp_check.errors import InputError, UsageError
from ehcp_check.ingest.codes import DateOrder, IssueCode, make_issue, shorten
from ehcp_check.ingest.columns import merge_overrides, normalise_header, read_mapping_file
from ehcp_check.ingest.describe import ColumnReport
from ehcp_check.ingest.headers import likely_headers
from ehcp_check.ingest.limits import Limits
from ehcp_check.ingest.readers import FileKind, RawSheet, file_kind, read_text, read_workbook
from ehcp_check.ingest.sheet import (
    CaseKeys,
    Options,
    SheetResult,
    empty_cases,
    process_sheet,
    skipped,
)
from ehcp_check.ingest.source import case_file_too_big, read_source
from ehcp_check.ingest.totals_layout import looks_like_totals
from ehcp_check.model import DataIssue, Field, LoadResult

PathArg = str | os.PathLike[str]


def _totals_skipped(raw: RawSheet) -> SheetResult:
    """A sheet of totals in a case list: skipped, and why (the totals reader, which says
    so, is imported only for such a sheet)."""
    from ehcp_check.ingest.totals import TOTALS_REASON

    return skipped(raw, TOTALS_REASON)


def _options(
    mapping: Mapping[str, str] | None,
    mapping_file: PathArg | None,
    date_order: DateOrder | str | None,
    sheet: str | None,
    latest: dt.date | None,
    samples: int,
    files: int,
) -> tuple[Options, str | None]:
    from_file = read_mapping_file(mapping_file) if mapping_file is not None else None
    try:
        order = DateOrder(str(date_order).lower()) if date_order is not None else None
    except ValueError:
        raise UsageError(f"Date order {date_order!r} must be dmy, mdy or ymd.") from None
    if order is None and from_file is not None:
        order = from_file.date_order
    if sheet is None and from_file is not None:
        sheet = from_file.sheet
    overrides = merge_overrides(mapping, from_file.columns if from_file else None)
    explicit = {normalise_header(h): h for h in (mapping or {})}
    in_file = {normalise_header(h): h for h in (from_file.columns if from_file else {})}
    in_file = {k: v for k, v in in_file.items() if k not in explicit}
    options = Options(overrides, order, latest, samples, explicit, in_file, files == 1)
    return options, sheet


def _select(raws: list[RawSheet], name: str, wanted: str | None) -> list[RawSheet]:
    if wanted is None:
        return raws
    chosen = [r for r in raws if (r.sheet or "").casefold() == wanted.strip().casefold()]
    if not chosen:
        names = ", ".join(repr(r.sheet) for r in raws) or "none"
        raise InputError(f"{name} has no sheet named {wanted!r}; its sheets are: {names}.")
    return chosen


def _no_request_date(name: str, raws: list[RawSheet]) -> InputError:
    seen: list[str] = []
    for raw in raws:
        seen.extend(h for h in likely_headers(raw) if h not in seen)
    if not seen:
        return InputError(f"{name} has no table with a header row: no request-date column found.")
    guess = next((h for h in seen if "date" in h.lower() or "rec" in h.lower()), seen[0])
    shown = ", ".join(shorten(h, 30) for h in seen[:8]) + (", ..." if len(seen) > 8 else "")
    return InputError(
        f"{name} has no request-date column (headers seen: {shown}); "
        f'name it with --map "{guess}=request_date".'
    )


def _read_file(
    path: PathArg,
    opts: Options,
    sheet: str | None,
    limits: Limits,
    seen: list[str],
    tables: list[SheetResult] | None = None,
) -> list[SheetResult]:
    """Read one file's sheets; the headers of its sheets are added to ``seen``, and its
    tables (not a SEN2 return, where one child has several requests) to ``tables``."""
    source = read_source(path, limits.max_file_bytes, case_file_too_big(limits))
    name = source.name
    kind = file_kind(source)
    if kind is FileKind.SEN2:
        from ehcp_check.ingest.sen2 import read_sen2  # an XML return: its reader, when needed

        result = read_sen2(name, opts, limits, data=source.data)
        seen.extend(c.header for c in result.report.columns if c.header not in seen)
        return [result]
    if kind is FileKind.TEXT:
        raws = [read_text(source, limits)]
    else:
        raws = _select(read_workbook(source, kind, limits), name, sheet)
    results = [
        _totals_skipped(raw) if looks_like_totals(raw) else process_sheet(raw, opts) for raw in raws
    ]
    headers: list[str] = []
    for raw, result in zip(raws, results, strict=True):
        texts = [c.header for c in result.report.columns] or likely_headers(raw)
        headers.extend(t for t in texts if t and t not in headers)
    seen.extend(h for h in headers if h not in seen)
    _check_explicit(opts, seen, name, last=False)
    if all(r.cases is None for r in results):
        from ehcp_check.ingest.totals import refuse_totals

        raise refuse_totals(name, [r.report.skipped for r in results]) or _no_request_date(
            name, raws
        )
    _unmatched_file_entries(name, opts, headers, results)
    if tables is not None:
        tables.extend(results)
    return results


def _check_explicit(opts: Options, seen: list[str], name: str, *, last: bool) -> None:
    """A ``--map`` header that no sheet read has: exit 2 naming the headers that are there.

    Checked once every file is read (``last``); before that only when one file is given,
    so that the error comes before any other complaint about that file."""
    if not opts.explicit or not (last or opts.single_file):
        return
    norms = {normalise_header(h) for h in seen}
    missing = [given for norm, given in opts.explicit.items() if norm not in norms]
    if not missing:
        return
    shown = ", ".join(repr(shorten(h, 30)) for h in seen[:12]) + (", ..." if len(seen) > 12 else "")
    where = name if opts.single_file else "any file read"
    raise UsageError(
        f"--map names the header {shorten(missing[0], 40)!r}, which is not in {where}; "
        f"the headers there are: {shown or 'none'}."
    )


def _unmatched_file_entries(
    name: str, opts: Options, headers: list[str], results: list[SheetResult]
) -> None:
    """A mapping-file entry that matches no header of the file: a warning with the sheet."""
    norms = {normalise_header(h) for h in headers}
    target = next(r for r in results if r.cases is not None)
    for norm, given in opts.from_file.items():
        if norm not in norms:
            target.issues.insert(0, make_issue(
                name, target.report.sheet, None, None, given, IssueCode.MAPPING_UNMATCHED,
                f"The mapping file names the header {shorten(given)!r}, which no sheet of "
                f"this file has, so that entry was not used.",
            ))  # fmt: skip


def _case_keys(result: SheetResult) -> tuple[npt.NDArray[np.intp], list[str]]:
    """Row codes into the distinct case references of a sheet, each folded for comparison
    (trimmed, case-folded; '' for no reference)."""
    if result.case_keys is not None:  # trimmed text or None (ingest.convert.convert_text)
        keys = result.case_keys
        return keys.codes, [v.casefold() if v is not None else "" for v in keys.values.tolist()]
    # a SEN2 return: its references as loaded
    assert result.cases is not None
    found, uniques = pd.factorize(result.cases[Field.CASE_ID.value].to_numpy(dtype=object))
    codes = np.asarray(found, dtype=np.intp)
    folded = [v.strip().casefold() if isinstance(v, str) else "" for v in uniques.tolist()]
    return codes, folded


def _fold_is_one_to_one(keys: CaseKeys | None) -> bool:
    """Can no two distinct references of a sheet fold to the same key? True when they are
    distinct as read and all ASCII in one letter case (``C-0001``, ``c-0001``, ``12345``):
    then letter case cannot join two of them. Anything else is compared by hashing."""
    if keys is None or not keys.unique:
        return False
    joined = "\n".join(filter(None, keys.values.tolist()))  # None and '' left out
    return joined.isascii() and (joined.upper() == joined or joined.lower() == joined)


def _duplicates(results: list[SheetResult]) -> None:
    """Report case references seen earlier, in the same file or an earlier one, written the
    same or differing only in letter case and surrounding spaces (``c-0001`` and
    ``C-0001`` are one reference to a council's case system). Rows are kept.

    References are folded and compared once per distinct value of each sheet; rows are
    only visited when some reference repeats."""
    parts = [(k, r) for k, r in enumerate(results) if r.cases is not None and len(r.cases)]
    if not parts:
        return
    only = parts[0][1].case_keys if len(parts) == 1 else None
    if only is not None and _fold_is_one_to_one(only):
        # The distinct references of one sheet stay distinct when folded: they are their
        # own keys, with no second hashing of a million references.
        keyed = [(only.codes, only.values.tolist())]
        ids = np.arange(len(only.values), dtype=np.intp)
        ids[np.asarray([not v for v in keyed[0][1]], dtype=bool)] = -1
    else:
        keyed = [_case_keys(r) for _, r in parts]
        folded = [text for _, texts in keyed for text in texts]
        found, uniques = pd.factorize(np.array(folded, dtype=object))
        ids = np.asarray(found, dtype=np.intp)
        ids[np.asarray(uniques, dtype=object)[ids] == ""] = -1  # no reference: no key
    pieces = []
    offset = 0
    for codes, texts in keyed:
        per_value = np.append(ids[offset : offset + len(texts)], -1)
        pieces.append(per_value[codes])  # code -1 (no value) takes the last entry, -1
        offset += len(texts)
    key = np.concatenate(pieces).astype(np.int64)
    known = key >= 0
    if not known.any() or np.bincount(key[known]).max() < 2:
        return
    uniq, first_at = np.unique(key, return_index=True)
    first = first_at[np.searchsorted(uniq, key)]
    dup = known & (first != np.arange(len(key)))
    ids_frame = pd.concat(
        [
            r.cases[["file", "sheet", "row", Field.CASE_ID.value]]
            for _, r in parts
            if r.cases is not None
        ],
        ignore_index=True,
    )
    files: list[str] = ids_frame["file"].astype(str).tolist()
    sheets: list[str | None] = ids_frame["sheet"].tolist()
    rows: list[int] = ids_frame["row"].astype("int64").tolist()
    values: list[str] = ids_frame[Field.CASE_ID.value].astype(str).tolist()
    owners = np.repeat(
        [k for k, _ in parts], [len(r.cases) for _, r in parts if r.cases is not None]
    )
    by_part: dict[int, list[DataIssue]] = {}
    for i in np.flatnonzero(dup).tolist():
        j = int(first[i])
        same_file = files[j] == files[i]
        where = f"row {rows[j]}" + ("" if same_file else f" of {files[j]}")
        spelt = "" if values[j] == values[i] else f" as {shorten(values[j])!r}"
        message = (
            f"Case reference {shorten(values[i])!r} appears more than once"
            f"{' in this file' if same_file else ''} (first{spelt} at {where}); "
            "both rows are kept."
        )
        by_part.setdefault(int(owners[i]), []).append(
            make_issue(files[i], sheets[i], rows[i], Field.CASE_ID.value, values[i],
                       IssueCode.DUPLICATE_CASE_ID, message)
        )  # fmt: skip
    for k, repeated in by_part.items():
        issues = results[k].issues
        issues.extend(repeated)
        issues.sort(key=lambda x: (x.row is not None, x.row or 0))


def load(
    paths: Sequence[PathArg],
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    mapping_file: PathArg | None = None,
    date_order: DateOrder | str | None = None,
    latest: dt.date | None = None,
    limits: Limits | None = None,
    on_file: Callable[[str], None] | None = None,
) -> LoadResult:
    """Read case tables from files into one canonical case table.

    ``paths``: spreadsheets (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``), delimited text
    (``.csv``, ``.tsv``, ``.txt``) or SEN2 XML returns. ``sheet`` reads only that sheet of
    each workbook (case-insensitive). ``mapping`` maps header text to a canonical field
    (or ``ignore``), winning over ``mapping_file`` (TOML: ``[columns]``, ``date_order``,
    ``sheet``). ``date_order`` forces the order of all-numeric text dates (None: decided per
    column, day-first unless proven month-first). ``latest`` rejects later dates (None: no
    upper bound; dates before 1 September 2014 are always rejected). ``limits`` bounds
    what a file may make ingest read (None: the :class:`Limits` defaults). ``on_file`` is
    called with each path once it has been read (for a progress bar).

    Raises :class:`~ehcp_check.errors.InputError` when a file cannot be used at all,
    including a file past a limit (refused whole, never cut short).
    """
    opts, chosen = _options(mapping, mapping_file, date_order, sheet, latest, 0, len(paths))
    frames: list[pd.DataFrame] = []
    result = LoadResult(cases=empty_cases())
    seen: list[str] = []
    parts: list[SheetResult] = []
    tables: list[SheetResult] = []
    for path in paths:
        parts.extend(_read_file(path, opts, chosen, limits or Limits(), seen, tables))
        if on_file is not None:
            on_file(os.fspath(path))
    _check_explicit(opts, seen, "", last=True)
    _duplicates(tables)
    for part in parts:
        result.issues.extend(part.issues)
        if part.cases is not None and part.input is not None:
            frames.append(part.cases)
            result.inputs.append(part.input)
    if len(frames) == 1:
        result.cases = frames[0]
    elif frames:
        result.cases = pd.concat([empty_cases(), *frames], ignore_index=True)
    return result


def inspect_columns(
    paths: Sequence[PathArg],
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    mapping_file: PathArg | None = None,
    samples: int = 3,
    limits: Limits | None = None,
    date_order: DateOrder | str | None = None,
) -> list[ColumnReport]:
    """Describe how each sheet's columns map onto canonical fields (the ``columns`` command).

    Skipped sheets are included with their reason. ``limits`` and ``date_order`` as for
    :func:`load`. Raises :class:`~ehcp_check.errors.InputError` like :func:`load`.
    """
    opts, chosen = _options(mapping, mapping_file, date_order, sheet, None, samples, len(paths))
    bounds = limits or Limits()
    seen: list[str] = []
    reports = [
        part.report for path in paths for part in _read_file(path, opts, chosen, bounds, seen)
    ]
    _check_explicit(opts, seen, "", last=True)
    return reports
