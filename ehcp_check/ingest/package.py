"""Guard a zip-based workbook (``.xlsx``, ``.xlsm``, ``.ods``) before a reader unpacks it.

:func:`check_package` reads the zip central directory and refuses a package that declares
too many parts, too much unpacked data or an absurd compression ratio. It then streams
every XML part through ``zlib`` with the declared size as a hard ceiling (a part that
inflates past what its header says is refused the moment it does), refuses any XML part
with a document type or entity declaration (Office never writes one), and measures the
extent of each worksheet from its cell references, because calamine allocates a sheet as
one dense block: a single cell at ``XFD1048576`` would otherwise cost it hundreds of
gigabytes. Memory stays bounded by one chunk (1 MiB) plus its matches.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ehcp_check.errors import InputError
from ehcp_check.ingest.describe import column_letter
from ehcp_check.ingest.limits import Limits, human_size, raise_hint

_CHUNK = 1 << 20
_READ = 1 << 16
_MAX_CARRY = 1 << 20
_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_LOCAL_MAGIC = 0x04034B50
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")

#: The column and the row of a cell reference where every writer puts it: first.
_CELL_COL = re.compile(rb'<c r="([A-Z]{1,4})[0-9]')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,4}([0-9]{1,9})"')
#: Any cell with a reference, whatever its attribute order or namespace prefix; group 3 is
#: ``/`` for an empty (self-closing) cell, which calamine skips.
_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"
_CELL_ANY = re.compile(_PREFIX + rb'c\s[^>]*?\br="([A-Z]{1,4})([0-9]{1,9})"[^>]*?(/?)>')
_ROW_ATTR = re.compile(_PREFIX + rb'row\s[^>]*?\br="([0-9]{1,9})"')


@dataclass(frozen=True, slots=True)
class Extent:
    """How far a worksheet's non-empty cells reach (1-based; 0 for an empty sheet)."""

    rows: int
    columns: int


class _Scan:
    """Running extent of one worksheet part, fed chunk by chunk."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.max_row = 0
        self.max_col = 0
        self.refless = False
        self.row_attr = 0
        self.row_count = 0
        self.widest_refless = 0

    def _within(self, rows: int, cols: int) -> bool:
        lim = self.limits
        return rows <= lim.max_rows and cols <= lim.max_columns and rows * cols <= lim.max_cells

    def feed(self, chunk: bytes) -> None:
        """Fast path: every cell has its reference first; empty cells count too, so a chunk
        that seems past a limit is measured again without them."""
        self.row_count += chunk.count(b"<row")
        plain = chunk.count(b'<c r="') == chunk.count(b"<c ")
        if plain and b"<c>" not in chunk and b":c " not in chunk:
            cols = set(_CELL_COL.findall(chunk))
            if not cols:
                return
            rows = set(_CELL_ROW.findall(chunk))
            top = max(self.max_row, int(max(rows, key=_magnitude)))
            right = max(self.max_col, column_number(max(cols, key=_magnitude)))
            if self._within(top, right):
                self.max_row, self.max_col = top, right
                return
        self._feed_exact(chunk)

    def _feed_exact(self, chunk: bytes) -> None:
        found = _CELL_ANY.findall(chunk)
        valued = [(col, row) for col, row, empty in found if not empty]
        if valued:
            letters = max({col for col, _ in valued}, key=_magnitude)
            digits = max({row for _, row in valued}, key=_magnitude)
            self.max_col = max(self.max_col, column_number(letters))
            self.max_row = max(self.max_row, int(digits))
        rows = _ROW_ATTR.findall(chunk)
        if rows:
            self.row_attr = max(self.row_attr, max(int(r) for r in rows))
        if b"<c>" in chunk or chunk.count(b"<c ") + chunk.count(b":c ") > len(found):
            self.refless = True
            widest = max(part.count(b"<c") for part in chunk.split(b"<row"))
            self.widest_refless = max(self.widest_refless, widest)

    def extent(self) -> Extent:
        if not self.refless:
            return Extent(self.max_row, self.max_col)
        # Cells without references are placed one after another: bound them generously.
        rows = max(self.max_row, self.row_attr, self.row_count)
        return Extent(rows, max(self.max_col, self.widest_refless))


def _magnitude(digits_or_letters: bytes) -> tuple[int, bytes]:
    """Sort key: a longer reference is larger, then alphabetical (``AA`` > ``Z``)."""
    return len(digits_or_letters), digits_or_letters


def column_number(letters: bytes) -> int:
    """1-based column number of ``b"A"``, ``b"XFD"``..."""
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number


def _is_worksheet(name: str) -> bool:
    low = name.lower()
    return low.startswith(("xl/worksheets/", "xl/macrosheets/")) and low.endswith(".xml")


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _refuse_directory(path: str, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_parts:
        raise InputError(
            f"{path} has {len(infos):,} parts inside, more than the limit of "
            f"{limits.max_parts:,} (a workbook has a few dozen); "
            f"{raise_hint('max_parts', str(len(infos)))}."
        )
    total = sum(i.file_size for i in infos)
    if total > limits.max_unpacked_bytes:
        raise InputError(
            f"{path} would unpack to {human_size(total)}, more than the "
            f"{human_size(limits.max_unpacked_bytes)} limit; it may be a zip bomb, so it was "
            f"not opened; {raise_hint('max_unpacked_bytes', _round_up(total))}."
        )
    for info in infos:
        if info.file_size < limits.ratio_floor_bytes:
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_ratio:
            raise InputError(
                f"{path} is compressed {ratio:,.0f} to 1 (part {info.filename!r} unpacks from "
                f"{human_size(info.compress_size)} to {human_size(info.file_size)}), past the "
                f"limit of {limits.max_ratio} to 1; it may be a zip bomb, so it was not "
                f"opened; {raise_hint('max_ratio', str(int(ratio) + 1))}."
            )


def _round_up(size: int) -> str:
    return f"{-(-size // (1 << 30))}GiB"


def _inflate(fh: BinaryIO, info: zipfile.ZipInfo, path: str) -> Iterator[bytes]:
    """The part's bytes, chunk by chunk; never more than one byte past its declared size."""
    fh.seek(info.header_offset)
    header = fh.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or _LOCAL_HEADER.unpack(header)[0] != _LOCAL_MAGIC:
        raise _damaged(path)
    name_len, extra_len = _LOCAL_HEADER.unpack(header)[-2:]
    fh.seek(info.header_offset + _LOCAL_HEADER.size + name_len + extra_len)
    if info.flag_bits & 0x1:
        raise InputError(
            f"{path} has encrypted parts: save an unprotected copy in Excel and try again."
        )
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        while left > 0:
            data = fh.read(min(left, _CHUNK))
            if not data:
                raise _damaged(path)
            left -= len(data)
            yield data
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise InputError(
            f"{path} uses a compression method spreadsheet programs do not write "
            f"(method {info.compress_type}); open it in Excel, save it again and try again."
        )
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    budget = info.file_size + 1
    while left > 0 and not inflater.eof:
        data = fh.read(min(left, _READ))
        if not data:
            raise _damaged(path)
        left -= len(data)
        while data and budget > 0:
            try:
                out = inflater.decompress(data, min(_CHUNK, budget))
            except zlib.error:
                raise _damaged(path) from None
            budget -= len(out)
            data = inflater.unconsumed_tail
            if out:
                yield out
        if budget <= 0:
            return


def _damaged(path: str) -> InputError:
    return InputError(
        f"{path} is damaged or incomplete (perhaps cut short while copying): copy it again, "
        "or open it in Excel and save it again."
    )


def _check_part(fh: BinaryIO, info: zipfile.ZipInfo, path: str, limits: Limits) -> Extent | None:
    scan = _Scan(limits) if _is_worksheet(info.filename) else None
    carry = b""
    size = 0
    for out in _inflate(fh, info, path):
        size += len(out)
        if size > info.file_size:
            raise InputError(
                f"{path} is not a safe workbook: part {info.filename!r} unpacks to more data "
                f"than its header declares ({human_size(info.file_size)}), as zip bombs do; "
                "it was not read."
            )
        data = carry + out
        if any(mark in data for mark in _DECLARATIONS):
            raise InputError(
                f"{path} declares XML entities or a document type in part {info.filename!r}, "
                "which spreadsheet programs never write; it is refused as unsafe."
            )
        cut = data.rfind(b">") + 1
        if scan is not None:
            scan.feed(data[:cut])
        carry = data[cut:]
        if len(carry) > _MAX_CARRY:
            carry = carry[-64:]
    if scan is not None and carry:
        scan.feed(carry)
    return None if scan is None else scan.extent()


def check_package(path: str, limits: Limits) -> dict[str, Extent]:
    """Refuse a hostile zip package; return each worksheet part's extent.

    Raises :class:`InputError` for a package over a limit, one whose parts lie about their
    size, one with DTD or entity declarations, and a damaged package. A file that is not a
    zip at all raises :class:`zipfile.BadZipFile` for the caller to describe.
    """
    with open(path, "rb") as fh:
        with zipfile.ZipFile(fh) as pkg:
            infos = pkg.infolist()
        _refuse_directory(path, infos, limits)
        extents: dict[str, Extent] = {}
        for info in infos:
            if info.is_dir() or not _is_xml(info.filename):
                continue
            extent = _check_part(fh, info, path, limits)
            if extent is not None:
                extents[info.filename] = extent
        return extents


def check_extent(path: str, sheet: str | None, extent: Extent, limits: Limits) -> None:
    """Refuse a sheet (or text file) whose cells reach past the row, column or cell limits."""
    where = f"sheet {sheet!r} of {path}" if sheet is not None else path
    rows, cols = extent.rows, extent.columns
    if rows > limits.max_rows:
        raise InputError(
            f"{where} has {rows:,} rows, more than the limit of {limits.max_rows:,}; split "
            f"it, or {raise_hint('max_rows', str(rows))}."
        )
    if cols > limits.max_columns:
        raise InputError(
            f"{where} reaches column {column_letter(cols - 1)} ({cols:,} columns), more than the "
            f"limit of {limits.max_columns:,}; delete any stray cells far to the right of the "
            f"table, or {raise_hint('max_columns', str(cols))}."
        )
    if rows * cols > limits.max_cells:
        raise InputError(
            f"{where} spans {rows:,} rows by {cols:,} columns ({rows * cols:,} cells), more "
            f"than the limit of {limits.max_cells:,} cells; delete any stray cells far below "
            f"the table, or {raise_hint('max_cells', str(rows * cols))}."
        )
