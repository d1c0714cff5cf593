"""Readers: turn one input file into raw sheets of cells, with Excel's row numbers.

Workbooks (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``) are read with python-calamine, with
openpyxl as a fallback for ``.xlsx`` files calamine cannot read. Delimited text files are
read with pandas' C parser, every cell as text. Each file arrives as a
:class:`~ehcp_check.ingest.source.Source`, read once: every step (sniffing, the package
guard, calamine, openpyxl) reads those same bytes, never the path again.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import os
import sys
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd
import python_calamine as pc

from ehcp_check.errors import InputError
from ehcp_check.ingest.limits import Limits
from ehcp_check.ingest.package import Extent, Package, check_extent, check_package
from ehcp_check.ingest.source import Source

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
_HEAD_BYTES = 65536
#: The header sample runs to the end of the line it cuts, up to this far.
_MAX_HEAD_BYTES = 16 << 20
_DELIMITERS = (",", "\t", ";", "|")
#: Bytes tested at a time for a text encoding (:func:`decodes`).
_DECODE_CHUNK = 1 << 20


class FileKind(StrEnum):
    """How a file is read."""

    XLSX = "xlsx"
    XLS = "xls"
    ODS = "ods"
    TEXT = "text"
    SEN2 = "sen2"


_EXTENSIONS = {
    ".xlsx": FileKind.XLSX, ".xlsm": FileKind.XLSX, ".xltx": FileKind.XLSX,
    ".xltm": FileKind.XLSX, ".xls": FileKind.XLS, ".xla": FileKind.XLS, ".ods": FileKind.ODS,
    ".csv": FileKind.TEXT, ".tsv": FileKind.TEXT, ".txt": FileKind.TEXT, ".tab": FileKind.TEXT,
    ".xml": FileKind.SEN2,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class RawSheet:
    """The cells of one sheet (or one text file), before header detection."""

    file: str
    """File name as the user gave it."""
    sheet: str | None
    """Sheet name, or None for a text file."""
    frame: pd.DataFrame
    """Cells with integer column labels; row 0 of the frame is spreadsheet row ``first_row``."""
    first_row: int
    """Spreadsheet row number (1-based) of the frame's first row."""
    first_col: int = 0
    """0-based spreadsheet column of the frame's first column."""
    date1904: bool = False
    """True when numbers in date columns count from 1904 (Mac Excel)."""
    merged: tuple[tuple[int, int, int, int], ...] = ()
    """Merged ranges as (first row, first column, last row, last column), 0-based, absolute."""


def file_kind(source: Source) -> FileKind:
    """Decide how to read a file from its extension, or from its first bytes."""
    ext = os.path.splitext(source.name)[1].lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    head = source.data[:512]
    if head.startswith(_ZIP_MAGIC):
        return FileKind.XLSX
    if head.startswith(_OLE_MAGIC):
        return FileKind.XLS
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return FileKind.SEN2
    return FileKind.TEXT


def _looks_like_text(head: bytes) -> bool:
    """True when the first bytes are text: no NUL or other binary control bytes."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = head[:4096]
    binary = sum(1 for b in sample if b < 32 and b not in b"\t\n\r\x0c")
    return binary == 0


def _wrong_content(path: str, kind: FileKind, head: bytes) -> InputError:
    """Describe a workbook-named file that is not a workbook at all."""
    ext = os.path.splitext(path)[1].lower() or "workbook"
    kind_name = {FileKind.ODS: "OpenDocument spreadsheet"}.get(kind, "Excel workbook")
    if _looks_like_text(head):
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if start.startswith((b"<!doctype html", b"<html")) or b"<table" in start[:2048]:
            return InputError(
                f"{path} is a web page (HTML) named {ext}, not an {kind_name}: open it in "
                "Excel and save it as .xlsx, then try again."
            )
        if start.startswith(b"<"):
            return InputError(
                f"{path} is an XML file named {ext}, not an {kind_name}: if it is an Excel "
                "2003 XML spreadsheet, open it in Excel and save it as .xlsx; if it is a SEN2 "
                "return, name it .xml."
            )
        return InputError(
            f"{path} is a text file named {ext}, not an {kind_name}: if it is CSV, rename it "
            "to .csv and try again."
        )
    return InputError(
        f"{path} is not an {kind_name}: its contents are neither a .xlsx/.ods package nor an "
        "old .xls file; check it is the right file."
    )


# ---------------------------------------------------------------- workbooks


def _is_panic(exc: BaseException) -> bool:
    """True for a Rust panic inside a reader (pyo3's PanicException is no Exception)."""
    return type(exc).__name__ == "PanicException"


@contextlib.contextmanager
def _native_quiet() -> Iterator[None]:
    """Send file descriptor 2 to the null device while native reader code runs, so a Rust
    panic's message and backtrace (which can hold cell values) never reach the terminal;
    the panic itself still arrives as an exception and becomes one sentence."""
    try:
        saved = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        yield
        return
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def _open_calamine(source: Source, kind: FileKind) -> pc.CalamineWorkbook:
    path, data = source.name, source.data
    if kind is FileKind.XLSX and data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_STREAM in data:
            raise InputError(
                f"{path} is password-protected (encrypted): open it in Excel, remove the "
                "password, save an unprotected copy and try again."
            )
        try:
            return pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except (pc.CalamineError, ValueError, OSError):
            raise InputError(
                f"{path} is encrypted (password-protected) or is an old-format .xls file "
                "saved with an .xlsx name: remove the password, or open it in Excel and save "
                "it as .xlsx, then try again."
            ) from None
    try:
        return pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        raise InputError(
            f"{path} is password-protected: save an unprotected copy and try again."
        ) from None


def _unreadable_cell(path: str, sheet: str) -> InputError:
    return InputError(
        f"sheet {sheet!r} of {path} holds a cell the spreadsheet reader cannot convert "
        "(such as a date millions of years from now): find the cell, correct or clear it, "
        "save the workbook and try again."
    )


def _calamine_sheets(
    source: Source, kind: FileKind, package: Package, limits: Limits
) -> list[RawSheet]:
    path = source.name
    meta = package.meta
    book = _open_calamine(source, kind)
    sheets: list[RawSheet] = []
    try:
        for info in book.sheets_metadata:
            if info.typ is not pc.SheetTypeEnum.WorkSheet:
                continue
            try:
                with _native_quiet():
                    sheet = book.get_sheet_by_name(info.name)
                check_extent(path, info.name, Extent(sheet.height, sheet.width), limits)
                with _native_quiet():
                    rows = sheet.to_python(skip_empty_area=True)
            except BaseException as exc:
                if _is_panic(exc):
                    raise _unreadable_cell(path, info.name) from None
                raise
            start = sheet.start or (0, 0)
            frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
            frame.columns = pd.RangeIndex(frame.shape[1])
            part = meta.sheet_parts.get(info.name)
            for (r, c), text in package.errors.get(part or "", {}).items():
                i, j = r - start[0], c - start[1]
                if 0 <= i < frame.shape[0] and 0 <= j < frame.shape[1]:
                    frame.iat[i, j] = text
            merged = tuple((a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or []))
            sheets.append(
                RawSheet(
                    file=path,
                    sheet=info.name,
                    frame=frame,
                    first_row=start[0] + 1,
                    first_col=start[1],
                    date1904=meta.date1904,
                    merged=merged,
                )
            )
    finally:
        book.close()
    return sheets


def _openpyxl_sheets(source: Source) -> list[RawSheet]:
    """Fallback reader for ``.xlsx`` files calamine rejects."""
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = openpyxl.load_workbook(io.BytesIO(source.data), read_only=True, data_only=True)
    try:
        sheets = []
        for ws in book.worksheets:
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            frame = pd.DataFrame(rows, dtype=object) if rows else pd.DataFrame(dtype=object)
            frame.columns = pd.RangeIndex(frame.shape[1])
            sheets.append(
                RawSheet(
                    file=source.name,
                    sheet=ws.title,
                    frame=frame,
                    first_row=1,
                    date1904=book.epoch == CALENDAR_MAC_1904,
                )
            )
        return sheets
    finally:
        book.close()


def _guard(source: Source, kind: FileKind, limits: Limits) -> tuple[FileKind, Package]:
    """Check a workbook's first bytes and, for a zip package, its parts and sheet extents.

    Returns the kind to read it as and what the package check learned.
    """
    path, head = source.name, source.data[:4096]
    if head.startswith(_OLE_MAGIC):
        return (FileKind.XLSX if kind is FileKind.XLSX else FileKind.XLS), Package()
    if not head.startswith(_ZIP_MAGIC):
        raise _wrong_content(path, kind, head)
    if kind is FileKind.XLS:
        raise InputError(
            f"{path} is a .xlsx workbook saved with an .xls name: rename it to .xlsx and try again."
        )
    try:
        package = check_package(io.BytesIO(source.data), path, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise InputError(
            f"{path} is damaged or incomplete (perhaps cut short while copying): copy it "
            "again, or open it in Excel and save it again."
        ) from None
    return kind, package


def read_workbook(source: Source, kind: FileKind, limits: Limits | None = None) -> list[RawSheet]:
    """Read every worksheet of a workbook; raise :class:`InputError` if it cannot be read."""
    limits = limits or Limits()
    path = source.name
    kind, package = _guard(source, kind, limits)
    kind_name = {
        FileKind.ODS: "OpenDocument spreadsheet",
        FileKind.XLS: "old-format Excel (.xls) workbook",
    }.get(kind, "Excel workbook")
    try:
        return _calamine_sheets(source, kind, package, limits)
    except InputError:
        raise
    except (pc.CalamineError, OSError, ValueError, RuntimeError) as exc:
        first_error = exc
    if kind is FileKind.XLSX and source.data.startswith(_ZIP_MAGIC):
        try:
            return _openpyxl_sheets(source)
        except Exception:
            pass
    reason = " ".join(str(first_error).split()) or "it is damaged"
    if len(reason) > 80:
        reason = reason[:79] + "\u2026"
    advice = "open it in Excel and save it as .xlsx, then try again"
    raise InputError(f"{path} is not a readable {kind_name} ({reason}): {advice}.") from None


# ---------------------------------------------------------------- text files


def detect_encoding(data: bytes) -> str:
    """The encoding of a whole text file: BOM first, then UTF-8, then cp1252, then latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:4096]
    if len(head) >= 4 and head.count(0) >= len(head) // 4:
        return "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
    if data.isascii():  # ASCII is UTF-8 (and cp1252): nothing to decode
        return "utf-8"
    for encoding in ("utf-8", "cp1252"):
        if decodes(data, encoding):
            return encoding
    return "latin-1"


def decodes(data: bytes, encoding: str, *, chunk: int = _DECODE_CHUNK) -> bool:
    """True when the whole of ``data`` decodes as ``encoding`` (``data.decode`` would not
    raise), tested a chunk at a time without building the text: an all-ASCII chunk (valid
    in UTF-8 and cp1252) is skipped unless a multi-byte sequence is still open from the
    chunk before; any other goes through one incremental decoder, which joins a sequence
    split across chunks."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for start in range(0, len(data), chunk):
            piece = data[start : start + chunk]
            if piece.isascii() and not decoder.getstate()[0]:
                continue
            decoder.decode(piece)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff_delimiter(sample: str, ext: str) -> str:
    """Pick the delimiter that splits the first lines most consistently."""
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    preferred = "\t" if ext in {".tsv", ".tab"} else ","
    best, best_score = preferred, 0
    for delim in (preferred, *[d for d in _DELIMITERS if d != preferred]):
        rows = list(csv.reader(lines, delimiter=delim))
        counts = [len(r) for r in rows if len(r) > 1]
        if not counts:
            continue
        widest = max(counts)
        score = sum(1 for n in counts if n == widest) * (widest > 1)
        if score > best_score:
            best, best_score = delim, score
    return best


def _head_end(data: bytes) -> int:
    """Where the header sample ends: past :data:`_HEAD_BYTES`, at the end of that line (so
    a very wide header row is counted whole), but never past :data:`_MAX_HEAD_BYTES`."""
    if len(data) <= _HEAD_BYTES:
        return len(data)
    end = data.find(b"\n", _HEAD_BYTES, _MAX_HEAD_BYTES)
    return min(len(data), _MAX_HEAD_BYTES) if end < 0 else end + 1


def count_lines(data: bytes) -> int:
    """Lines in a text file: a final line break does not start another line."""
    breaks = data.count(b"\n") or data.count(b"\r")
    return breaks + (0 if data.endswith((b"\n", b"\r")) else 1)


def _wordy(text: str) -> bool:
    """Text the parser would not read as a number or a boolean (a letter beyond those of
    numbers, infinities and true / false)."""
    letters = {c for c in text.lower() if c.isalpha()}
    return bool(letters - set("e")) and text.strip().lower() not in _NOT_WORDS


_NOT_WORDS = frozenset({"true", "false", "inf", "+inf", "-inf", "infinity", "nan", "-nan"})


#: Text files of at least this size read their repetitive columns as categoricals: the C
#: parser then codes each cell against the column's distinct values instead of making a
#: Python string per cell, and ingest takes those codes instead of factorising the column
#: again (:meth:`ehcp_check.ingest.distinct.Distinct.of`). The cells read are the same.
_CATEGORY_MIN_BYTES = 4 << 20
#: A column is read as text when at least this share of its filled sampled cells differ
#: (case references, free text): a categorical pays for every distinct value once, and
#: sorts them.
_UNIQUE_SHARE = 0.95
#: ... judged on at least this many filled sampled cells.
_REPETITIVE_SAMPLE = 100


def _converted(column: pd.Series) -> bool:
    """Did the parser turn a categorical column's text into numbers or booleans? It does
    when every distinct cell reads as one ("007" would become 7): such a column is read
    again as text."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return False
    kind = column.cat.categories.dtype
    return not (isinstance(kind, pd.StringDtype) or kind.kind == "O")


def repetitive_columns(rows: list[list[str]], width: int) -> list[int]:
    """Columns whose filled cells repeat in the sample ``rows`` (the first lines of a
    file). Dates repeat (a few thousand days a decade); a column where nearly every value
    differs, such as case references, is left as text."""
    found = []
    for j in range(width):
        values = [r[j] for r in rows if len(r) > j and r[j].strip()]
        if len(values) < _REPETITIVE_SAMPLE or len(set(values)) >= _UNIQUE_SHARE * len(values):
            continue
        # A column of numbers or true / false only would be converted by the parser and
        # read again (:func:`_converted`): left as text from the start.
        if any(_wordy(v) for v in values) or any(not v.strip() for r in rows for v in r[j : j + 1]):
            found.append(j)
    return found


def read_text(source: Source, limits: Limits | None = None) -> RawSheet:
    """Read a delimited text file, every cell as text (blank lines kept as blank rows).

    A file with NUL bytes is binary, not text, and is refused rather than guessed at.
    """
    limits = limits or Limits()
    path, data = source.name, source.data
    encoding = detect_encoding(data)
    if encoding.startswith("utf-16"):
        text = data.decode(encoding, errors="replace")
        data, encoding = text.encode("utf-8"), "utf-8"
    if b"\x00" in data:
        raise InputError(
            f"{path} contains NUL bytes, so it is not a text (CSV) file: if it is a "
            "spreadsheet, give it its real extension (such as .xlsx); otherwise export it "
            "again as CSV."
        )
    head = data[: _head_end(data)].decode(encoding, errors="replace")
    delim = sniff_delimiter(head[:_HEAD_BYTES], os.path.splitext(path)[1].lower())
    with _field_limit(len(head)):
        head_rows = list(csv.reader(io.StringIO(head, newline=""), delimiter=delim))
    width = max((len(r) for r in head_rows[:200]), default=1) or 1
    check_extent(path, None, Extent(1, width), limits)
    cap = min(limits.max_rows, limits.max_cells // width)
    dtypes: dict[int, str] = dict.fromkeys(range(width), "str")
    if len(data) >= _CATEGORY_MIN_BYTES:
        dtypes.update(dict.fromkeys(repetitive_columns(head_rows, width), "category"))
    options: dict[str, Any] = {
        "sep": delim,
        "header": None,
        "names": list(range(width)),
        "index_col": False,
        "keep_default_na": False,
        "na_filter": False,
        "skip_blank_lines": False,
        "encoding": encoding,
        "engine": "c",
        "nrows": cap + 1,
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pd.read_csv(io.BytesIO(data), dtype=dtypes, **options)
            converted = [j for j in frame.columns if _converted(frame[j])]
            if converted:  # every cell was a number or true / false: read as written
                again = pd.read_csv(io.BytesIO(data), dtype=str, usecols=converted, **options)
                for j in converted:
                    frame[j] = again[j]
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError):
        # The C parser without NA filtering gives '' for missing fields; the slow
        # reader may leave NaN in short rows.
        text = data.decode(encoding, errors="replace")
        frame = _read_text_slow(text, delim, cap + 1, limits.max_columns)
        frame = frame.fillna("")
    if len(frame) > cap or frame.shape[1] > limits.max_columns:
        rows = max(count_lines(data), len(frame))
        check_extent(path, None, Extent(rows, frame.shape[1]), limits)
    return RawSheet(file=path, sheet=None, frame=frame, first_row=1)


@contextlib.contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Let the csv module read fields up to ``size`` characters, then restore its limit."""
    saved = csv.field_size_limit()
    csv.field_size_limit(min(max(size + 1, saved), sys.maxsize >> 1))
    try:
        yield
    finally:
        csv.field_size_limit(saved)


def _read_text_slow(text: str, delim: str, most: int, max_columns: int) -> pd.DataFrame:
    """Ragged files: read at most ``most`` rows with the csv module and pad short rows.

    A row wider than ``max_columns`` stops the read (the caller refuses the file), so a
    hostile row cannot make the padding cost rows x its width."""
    rows: list[list[str]] = []
    width = 1
    with _field_limit(len(text)):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        for row in itertools.islice(reader, most):
            rows.append(row)
            width = max(width, len(row))
            if width > max_columns:
                break
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
