"""Guard a zip-based workbook (``.xlsx``, ``.xlsm``, ``.ods``) before a reader unpacks it.

:func:`check_package` reads the zip central directory and refuses a package that declares
too many parts, too much unpacked data or an absurd compression ratio. It then streams
every XML part through ``zlib`` with the declared size as a hard ceiling (a part that
inflates past what its header says is refused the moment it does) and through expat,
refusing any document type or entity declaration (Office never writes one).

calamine allocates a sheet as one dense block, so the extent of every sheet is measured
from what the parser will see: for ``.xlsx``, every part the workbook's relationships name
as a worksheet (whatever it is called), from the declared ``<dimension>`` and from each
cell's ``r`` reference as an XML parser reads it (any quoting, spacing, prefix or letter
case; cells without a reference placed one after another); for ``.ods``, the
``number-rows-repeated`` and ``number-columns-repeated`` counts of ``content.xml``
summed before anything expands them. Error cells (``t="e"``) are collected in the same
linear pass; a stretch in which every cell is spelt plainly is measured by searches over
all its bytes at once (numpy), with expat checking it without callbacks. Memory stays
bounded by a small multiple of one chunk (1 MiB) plus what is collected.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.parsers import expat

import numpy as np
import numpy.typing as npt
from defusedxml import ElementTree

from ehcp_check.errors import InputError
from ehcp_check.ingest.describe import column_letter
from ehcp_check.ingest.limits import Limits, human_size, raise_hint
from ehcp_check.ingest.xlsx_meta import XlsxMeta, date_styles, read_meta

_CHUNK = 1 << 20
_READ = 1 << 16
_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_LOCAL_MAGIC = 0x04034B50
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
#: Largest relationship or workbook part read whole (they list sheets: a few KiB).
_SMALL_PART = 16 << 20
#: A coordinate too large to be real, used for references no spreadsheet can hold.
_HUGE = 1 << 40
_REFERENCE = re.compile(r"\s*\$?([A-Za-z]{1,12})\$?([0-9]{1,15})\s*")
_WORKSHEET_TYPES = ("/worksheet", "/macrosheet", "/dialogsheet", "/xlMacrosheet")
_OFFICE_DOCUMENT = "/officeDocument"
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
#: The start of a cell's value, formula or inline string (any prefix).
_VALUE_STARTS = (b"<v", b"<f", b"<is", b":v", b":f", b":is")
#: The plain spelling, reference first, that writers use: ``<c r="`` then 1-3 capitals,
#: 1-7 digits, a closing quote and white space, ``/`` or ``>`` (:func:`_plain_cells`).
_PLAIN_START = b' r="'
_PLAIN_DIGITS = 7
#: Bytes that may follow a plain reference's closing quote (``[\s/>]`` of a bytes regex).
_AFTER_REFERENCE = np.zeros(256, dtype=bool)
_AFTER_REFERENCE[list(b" \t\n\r\x0b\x0c/>")] = True
#: Every byte that can follow ``<c`` in an unprefixed cell start tag (XML puts the name
#: right after ``<``, then white space, ``/`` or ``>``); a prefixed one (``<x:c``) is left
#: to the parser.
_AFTER_CELL_NAME = np.zeros(256, dtype=bool)
_AFTER_CELL_NAME[list(b" >/\t\n\r")] = True
#: A number below -1e10 (eleven digits, or an exponent or infinity): it may be a
#: date-formatted cell calamine cannot convert, so only the parser's callbacks judge it.
_HUGE_NEGATIVE = re.compile(rb"<v>\s*-\s*(?:[0-9]{11}|[0-9.]*[eEiI])")
#: The longest error text kept (``#DIV/0!`` and friends are short).
_ERROR_TEXT = 32
#: A date-formatted number below this crashes calamine's date conversion (its millisecond
#: count overflows 64 bits near -1.07e11 days); it is refused, naming the cell, first.
_LOWEST_DATE_NUMBER = -1e10


@dataclass(frozen=True, slots=True)
class Extent:
    """How far a worksheet's non-empty cells reach (1-based; 0 for an empty sheet)."""

    rows: int
    columns: int


@dataclass(slots=True)
class Package:
    """What :func:`check_package` learned: sheet extents, error cells, workbook facts."""

    extents: dict[str, Extent] = field(default_factory=dict)
    """Worksheet part (``.xlsx``) or table name (``.ods``) -> extent."""
    errors: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    """Worksheet part -> (row, column) 0-based -> Excel error text such as ``#N/A``."""
    meta: XlsxMeta = field(default_factory=XlsxMeta)
    """The date system and sheet parts of an ``.xlsx``."""


def reference(text: str) -> tuple[int, int] | None:
    """1-based (row, column) of a cell reference like ``B7``, ``xfd1048576`` or ``$C$3``;
    None when it is not one. Absurdly long references count as huge, never as small."""
    match = _REFERENCE.fullmatch(text)
    if match is None:
        return None
    letters, digits = match.group(1).upper(), match.group(2)
    column = column_number(letters.encode()) if len(letters) <= 4 else _HUGE
    return (int(digits) if len(digits) <= 12 else _HUGE), column


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _attr(attrs: dict[str, str], local: str) -> str | None:
    """An attribute by local name, whatever its prefix."""
    value = attrs.get(local)
    if value is not None:
        return value
    for key, found in attrs.items():
        if _local(key) == local:
            return found
    return None


def _style(attrs: dict[str, str]) -> int:
    """A cell's format index (``s=``), 0 when absent or unreadable."""
    text = _attr(attrs, "s")
    return int(text) if text is not None and text.strip().isdigit() and len(text) < 9 else 0


def _count(text: str | None) -> int:
    """A repeat count (``number-rows-repeated``): 1 when absent, huge when absurd."""
    if text is None:
        return 1
    digits = text.strip()
    if not digits.isdigit():
        return 1
    return int(digits) if len(digits) <= 12 else _HUGE


class _Refused(Exception):
    """Raised inside an expat callback; carries the refusal out of the parser."""

    def __init__(self, error: InputError) -> None:
        super().__init__(str(error))
        self.error = error


class _Parse:
    """Stream one XML part through expat, refusing DTDs and entity declarations."""

    def __init__(self, path: str, part: str, *, strict: bool = True) -> None:
        self.path, self.part, self.strict = path, part, strict
        self.broken = False
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = self._declared
        parser.EntityDeclHandler = self._declared
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser = parser

    def _declared(self, *_args: object) -> None:
        raise _Refused(_declares(self.path, self.part))

    def feed(self, data: bytes, final: bool = False) -> None:
        if self.broken:
            return
        try:
            self.parser.Parse(data, final)
        except _Refused as refused:
            raise refused.error from None
        except expat.ExpatError:
            if not self.strict:  # a part no reader needs: its bytes were still checked
                self.broken = True
                return
            raise InputError(
                f"{self.path} is damaged: part {self.part!r} is not well-formed XML; open it "
                "in Excel and save it again."
            ) from None


class _SheetScan(_Parse):
    """Extent and error cells of one ``.xlsx`` worksheet part, as calamine will see them.

    A cell counts when it has a value, formula or inline string (calamine skips empty,
    styled-only cells); one without a reference follows the cell before it, as calamine
    places it. The declared ``<dimension>`` counts too.
    """

    def __init__(
        self, path: str, part: str, name: str, limits: Limits, dates: frozenset[int] = frozenset()
    ) -> None:
        super().__init__(path, part)
        self.name, self.limits, self.dates = name, limits, dates
        self.row = self.col = 0
        self.max_row = self.max_col = 0
        self.error = self.date = False
        self.errors: dict[tuple[int, int], str] = {}
        self.text: list[str] = []
        self.carry = b""
        self.parser.StartElementHandler = self._start

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "c":
            ref = _attr(attrs, "r")
            at = reference(ref) if ref is not None else None
            if at is None:
                self.col += 1
            else:
                self.row, self.col = at
            kind = _attr(attrs, "t")
            self.error = kind == "e"
            self.date = bool(self.dates) and kind in (None, "n") and _style(attrs) in self.dates
        elif local in ("v", "f", "is"):
            if self.row > self.max_row:
                self.max_row = self.row
            if self.col > self.max_col:
                self.max_col = self.col
            if (self.error or self.date) and local == "v":
                self.text = []
                self.parser.CharacterDataHandler = self.text.append
                self.parser.EndElementHandler = self._end_error if self.error else self._end_date
        elif local == "row":
            ref = _attr(attrs, "r")
            number = _count(ref) if ref is not None and ref.strip().isdigit() else self.row + 1
            self.row, self.col = number, 0
        elif local == "dimension":
            self._dimension(_attr(attrs, "ref") or "")

    def _end_error(self, tag: str) -> None:
        self.parser.CharacterDataHandler = None
        self.parser.EndElementHandler = None
        value = "".join(self.text).strip()[:_ERROR_TEXT] or "#N/A"
        self.errors[(self.row - 1, self.col - 1)] = value
        self.error = False

    def _end_date(self, tag: str) -> None:
        self.parser.CharacterDataHandler = None
        self.parser.EndElementHandler = None
        self.date = False
        text = "".join(self.text).strip()
        try:
            number = float(text)
        except ValueError:
            return
        if number < _LOWEST_DATE_NUMBER:
            where = f"{column_letter(self.col - 1)}{self.row}"
            raise _Refused(
                InputError(
                    f"cell {where} of sheet {self.name!r} of {self.path} is formatted as a date "
                    f"but holds the number {text[:24]}, which is no date in any calendar: "
                    "correct or clear the cell, save the workbook and try again."
                )
            )

    def _dimension(self, ref: str) -> None:
        last = reference(ref.rpartition(":")[2])
        if last is not None:
            self.max_row = max(self.max_row, last[0])
            self.max_col = max(self.max_col, last[1])

    def feed(self, data: bytes, final: bool = False) -> None:
        """Parse the next bytes. A stretch of whole tags in which every cell is spelt the
        way every writer spells it (``<c r="B7"``, first) is measured by C-speed searches
        while expat checks it without callbacks; any other stretch is measured from the
        parser's callbacks."""
        data = self.carry + data
        cut = len(data) if final else data.rfind(b">") + 1
        if not final and len(data) - cut > _CHUNK:  # no tag end in a megabyte: parse as is
            cut = len(data)
        whole, self.carry = data[:cut], data[cut:]
        fast = self._measure_plain(whole)
        self.parser.StartElementHandler = None if fast else self._start
        super().feed(whole, final)
        check_extent(self.path, self.name, self.extent(), self.limits)

    def _measure_plain(self, data: bytes) -> bool:
        """Measure ``data`` by searching, if every cell start tag in it is plain (a tag
        cannot start otherwise, so finding every ``<c`` start proves none was missed) and it
        holds no error cell, dimension or huge negative number; False to parse it with
        callbacks. Empty cells count here, so a stretch that seems past a limit is parsed
        instead."""
        if self.parser.EndElementHandler is not None or _needs_callbacks(data):
            return False
        # The cell the parser saw last may get its value before the first cell here.
        first = data.find(b"<c")
        head = data if first < 0 else data[:first]
        last_row, last_col = self.max_row, self.max_col
        if any(child in head for child in _VALUE_STARTS):
            last_row, last_col = max(last_row, self.row), max(last_col, self.col)
        cells = _plain_cells(data)
        if cells is None:
            return False
        rows, cols = cells
        if not len(rows):
            if b"<row" in data or b":row" in data:
                return False
            self.max_row, self.max_col = last_row, last_col
            return True
        right = max(int(cols.max()), last_col)
        top = max(int(rows.max()), last_row)
        lim = self.limits
        if top > lim.max_rows or right > lim.max_columns or top * right > lim.max_cells:
            return False
        self.max_row, self.max_col = top, right
        self.row, self.col = int(rows[-1]), int(cols[-1])
        return True

    def extent(self) -> Extent:
        return Extent(self.max_row, self.max_col)


def _needs_callbacks(data: bytes) -> bool:
    """True for bytes holding what only the parser's callbacks handle: an error cell (a
    quoted ``e``), the declared dimension, a prefixed cell, a huge negative number. (The
    searches for ``'e'`` and ``:c`` run only where a one-byte search finds ``'`` or ``:``:
    sheets rarely hold either, and a one-byte search is many times faster.)"""
    if b'"e"' in data or (b"'" in data and b"'e'" in data) or b"dimension" in data:
        return True
    if b":" in data and b":c" in data and _PREFIXED_CELL.search(data):
        return True
    return _HUGE_NEGATIVE.search(data) is not None


#: Bytes read past a ``<`` to judge a cell reference: ``c r="``, three letters, seven
#: digits, the quote and the byte after it, and spare.
_LOOK_AHEAD = 32


def _plain_cells(data: bytes) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]] | None:
    """1-based rows and columns of every cell start tag in ``data``, in order, when each
    is spelt plainly (``<c r="`` then 1-3 capitals, 1-7 digits, ``"`` and white space,
    ``/`` or ``>``); None when any is not. A cell start tag is ``<c`` then white space,
    ``/`` or ``>``. Every ``<`` is looked at at once (numpy): no object per cell."""
    size = len(data)
    buf = np.frombuffer(data + bytes(_LOOK_AHEAD), dtype=np.uint8)
    opens = np.flatnonzero(buf[:size] == ord("<"))
    named_c = opens[buf[opens + 1] == ord("c")]
    cells = named_c[_AFTER_CELL_NAME[buf[named_c + 2]]]
    if not len(cells):
        none = np.zeros(0, dtype=np.int64)
        return none, none
    for offset, byte in enumerate(_PLAIN_START, start=2):
        if not (buf[cells + offset] == byte).all():
            return None
    ref = cells + 2 + len(_PLAIN_START)  # where each reference starts
    # uint8 arithmetic wraps below zero, so one comparison tests a range of bytes
    capital = [(buf[ref + i] - ord("A")) < 26 for i in range(4)]
    letters = capital[0] * (1 + capital[1] * (1 + capital[2] * (1 + capital[3].astype(np.int64))))
    if ((letters < 1) | (letters > 3)).any():
        return None
    first_digit = ref + letters
    digit = [(buf[first_digit + i] - ord("0")) < 10 for i in range(_PLAIN_DIGITS + 1)]
    digits = np.zeros(len(cells), dtype=np.int64)
    for flag in reversed(digit):
        digits = flag * (1 + digits)
    if ((digits < 1) | (digits > _PLAIN_DIGITS)).any():
        return None
    quote = first_digit + digits
    if not ((buf[quote] == ord('"')) & _AFTER_REFERENCE[buf[quote + 1]]).all():
        return None
    column = np.zeros(len(cells), dtype=np.int64)
    for i in range(3):
        value = buf[ref + i].astype(np.int64) - (ord("A") - 1)
        column = np.where(i < letters, column * 26 + value, column)
    row = np.zeros(len(cells), dtype=np.int64)
    for i in range(_PLAIN_DIGITS):
        value = buf[first_digit + i].astype(np.int64) - ord("0")
        row = np.where(i < digits, row * 10 + value, row)
    return row, column


class _OdsScan(_Parse):
    """Extent of each table of an ``.ods`` ``content.xml``, repeat counts multiplied out.

    Only rows with a non-empty cell extend a table (LibreOffice pads every sheet with a
    million repeated empty rows, which calamine skips); a repeated row of values counts as
    many times as it repeats, and its width is where its last non-empty cell ends.
    """

    def __init__(self, path: str, part: str, limits: Limits) -> None:
        super().__init__(path, part)
        self.limits = limits
        self.tables: dict[str, Extent] = {}
        self.name = ""
        self.depth = 0
        self.row_at = self.row_end = self.widest = 0
        self.repeat = 1
        self.col_at = self.last = self.cell_end = 0
        self.in_cell = False
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local in ("table-cell", "covered-table-cell"):
            self.cell_end = self.col_at + _count(_attr(attrs, "number-columns-repeated"))
            self.col_at = self.cell_end
            self.in_cell = True
            if _attr(attrs, "value-type") is not None:
                self.last = self.cell_end
        elif self.in_cell:
            self.last = self.cell_end
        elif local == "table-row":
            self.repeat = _count(_attr(attrs, "number-rows-repeated"))
            self.col_at = self.last = 0
        elif local == "table":
            self.depth += 1
            if self.depth == 1:
                self.name = _attr(attrs, "name") or f"Sheet{len(self.tables) + 1}"
                self.row_at = self.row_end = self.widest = 0

    def _end(self, tag: str) -> None:
        local = _local(tag)
        if local in ("table-cell", "covered-table-cell"):
            self.in_cell = False
        elif local == "table-row" and not self.in_cell:
            if self.last:
                self.row_end = self.row_at + self.repeat
                self.widest = max(self.widest, self.last)
            self.row_at += self.repeat
            self.last = 0
            if self.depth == 1:
                check_extent(self.path, self.name, Extent(self.row_end, self.widest), self.limits)
        elif local == "table":
            self.depth -= 1
            if self.depth == 0:
                self.tables[self.name] = Extent(self.row_end, self.widest)


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


def _declares(path: str, part: str) -> InputError:
    return InputError(
        f"{path} declares XML entities or a document type in part {part!r}, "
        "which spreadsheet programs never write; it is refused as unsafe."
    )


def _stream(fh: BinaryIO, info: zipfile.ZipInfo, path: str) -> Iterator[bytes]:
    """The part's bytes, refused the moment they pass the declared size or declare a DTD."""
    size = 0
    tail = b""
    for out in _inflate(fh, info, path):
        size += len(out)
        if size > info.file_size:
            raise InputError(
                f"{path} is not a safe workbook: part {info.filename!r} unpacks to more data "
                f"than its header declares ({human_size(info.file_size)}), as zip bombs do; "
                "it was not read."
            )
        if any(mark in tail + out[:16] for mark in _DECLARATIONS) or (
            b"!" in out and any(mark in out for mark in _DECLARATIONS)  # one-byte search first
        ):
            raise _declares(path, info.filename)
        tail = out[-16:]
        yield out


def _read_small(fh: BinaryIO, info: zipfile.ZipInfo, path: str) -> bytes:
    """A small part (relationships, workbook) whole, after the same checks as any part."""
    if info.file_size > _SMALL_PART:
        raise InputError(
            f"{path} is not a safe workbook: part {info.filename!r} declares "
            f"{human_size(info.file_size)}, far more than such a part ever holds; it was not read."
        )
    data = b"".join(_stream(fh, info, path))
    _Parse(path, info.filename).feed(data, True)
    return data


def _rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _targets(data: bytes, base: str) -> list[tuple[str, str, str]]:
    """(Id, Type, resolved target part) of each relationship in a ``.rels`` part."""
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError):
        return []
    found = []
    for rel in root.iter():
        rid, kind, target = rel.get("Id"), rel.get("Type") or "", rel.get("Target")
        if rid is None or not target or rel.get("TargetMode", "").lower() == "external":
            continue
        full = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        found.append((rid, kind, posixpath.normpath(full)))
    return found


def _workbook(
    fh: BinaryIO, infos: dict[str, zipfile.ZipInfo], path: str
) -> tuple[XlsxMeta, dict[str, str]]:
    """The workbook facts and every worksheet part the relationships name (part -> name)."""
    book = "xl/workbook.xml"
    if "_rels/.rels" in infos:
        for _, kind, target in _targets(_read_small(fh, infos["_rels/.rels"], path), ""):
            if kind.endswith(_OFFICE_DOCUMENT) and target in infos:
                book = target
                break
    rels = _rels_part(book)
    if book not in infos or rels not in infos:
        return XlsxMeta(), {}
    relations = _targets(_read_small(fh, infos[rels], path), posixpath.dirname(book))
    meta = read_meta(_read_small(fh, infos[book], path), relations)
    styles = [part for _, kind, part in relations if kind.endswith("/styles") and part in infos]
    # A huge styles part (years of pasted formatting) is not read for date formats: the
    # check it feeds is a courtesy, and calamine's panic on such a cell is still caught.
    if styles and infos[styles[0]].file_size <= _SMALL_PART:
        meta = dataclasses.replace(
            meta, date_styles=date_styles(_read_small(fh, infos[styles[0]], path))
        )
    sheets = {part: part for _, kind, part in relations if kind.endswith(_WORKSHEET_TYPES)}
    sheets.update({part: name for name, part in meta.sheet_parts.items()})
    return meta, sheets


def _check_part(fh: BinaryIO, info: zipfile.ZipInfo, path: str, scan: _Parse) -> None:
    for out in _stream(fh, info, path):
        scan.feed(out)
    scan.feed(b"", True)


def check_package(fh: BinaryIO, path: str, limits: Limits) -> Package:
    """Refuse a hostile zip package; return each worksheet's extent and error cells.

    ``fh`` is the open package; ``path`` names it in messages. Raises :class:`InputError`
    for a package over a limit, one whose parts lie about their size, one with DTD or
    entity declarations, a sheet past the row, column or cell limits, and a damaged
    package. A file that is not a zip at all raises :class:`zipfile.BadZipFile` for the
    caller to describe.
    """
    with zipfile.ZipFile(fh) as pkg:
        listed = pkg.infolist()
    _refuse_directory(path, listed, limits)
    infos = {i.filename: i for i in listed if not i.is_dir()}
    package = Package()
    sheets: dict[str, str] = {}
    done: set[str] = set()
    if "content.xml" in infos and "xl/workbook.xml" not in infos:
        ods = _OdsScan(path, "content.xml", limits)
        _check_part(fh, infos["content.xml"], path, ods)
        package.extents.update(ods.tables)
        done.add("content.xml")
    else:
        package.meta, sheets = _workbook(fh, infos, path)
        sheets.update({n: n for n in infos if _is_worksheet(n) and n not in sheets})
    for name, info in infos.items():
        if not _is_xml(name) or name in done:
            continue
        if name in sheets:
            scan = _SheetScan(path, name, sheets[name], limits, package.meta.date_styles)
            _check_part(fh, info, path, scan)
            package.extents[name] = scan.extent()
            if scan.errors:
                package.errors[name] = scan.errors
        else:
            _check_part(fh, info, path, _Parse(path, name, strict=False))
    return package


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
