"""Generate a corpus of hostile and broken input files into a directory, at test time.

Run by ``tests/test_hostile.py`` (``build_corpus(tmp_dir)``), or by hand:
``python tests/hostile/make_hostile.py OUT_DIR``. Nothing large is ever materialised: the
zip bombs are assembled from one repeated compressed block, so writing the whole corpus
takes a fraction of a second and a few megabytes of disk.

Workbook packages are written byte by byte (local headers, data, central directory), so a
member may declare sizes that are not true, as an attacker's file would.
"""

from __future__ import annotations

import os
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MIB = 1 << 20

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    b'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
    b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Cases" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = b"</sheetData></worksheet>"
_SST_HEAD = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'

#: A two-column case table: shared strings 0..3 are "Case ref", "Request date", "C-1", "C-2".
_STRINGS = (b"Case ref", b"Request date", b"C-1", b"C-2")
ROWS = (
    b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    b'<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>45352</v></c></row>'
    b'<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><v>45353</v></c></row>'
)


@dataclass(frozen=True, slots=True)
class Member:
    """One zip member as it is written: its real compressed bytes and what it declares."""

    name: str
    data: bytes
    """The bytes stored in the archive (already deflated when ``method`` is 8)."""
    size: int
    """The uncompressed size the headers declare."""
    crc: int
    method: int = zipfile.ZIP_DEFLATED


def _deflated(name: str, raw: bytes) -> Member:
    pack = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = pack.compress(raw) + pack.flush()
    return Member(name, data, len(raw), zlib.crc32(raw))


def _crc_zero_square(mat: list[int]) -> list[int]:
    return [_crc_times(mat, v) for v in mat]


def _crc_times(mat: list[int], vec: int) -> int:
    out, i = 0, 0
    while vec:
        if vec & 1:
            out ^= mat[i]
        vec >>= 1
        i += 1
    return out


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A + B from crc(A), crc(B) and len(B) (zlib's ``crc32_combine``)."""
    if len2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _crc_zero_square(odd)
    odd = _crc_zero_square(even)
    while True:
        even = _crc_zero_square(odd)
        if len2 & 1:
            crc1 = _crc_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _crc_zero_square(even)
        if len2 & 1:
            crc1 = _crc_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def zeros_crc(length: int) -> int:
    """CRC-32 of ``length`` zero bytes (a whole number of MiB), by doubling."""
    crc, piece_crc, piece_len = 0, zlib.crc32(bytes(MIB)), MIB
    count = length // MIB
    while count:
        if count & 1:
            crc = crc32_combine(crc, piece_crc, piece_len)
        count >>= 1
        if count:
            piece_crc = crc32_combine(piece_crc, piece_crc, piece_len)
            piece_len *= 2
    return crc


def zeros_member(name: str, mebibytes: int, *, prefix: bytes = b"") -> Member:
    """``prefix`` then ``mebibytes`` MiB of zero bytes, deflated, never held in memory.

    Each MiB of zeros is compressed after a full flush, so every block but the first is the
    same bytes: the stream is the first block, the repeated block, and the end marker.
    Deflate cannot beat about 1030:1, so 1 GiB of zeros costs about 1 MB on disk.
    """
    pack = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(MIB)
    first = pack.compress(prefix + chunk) + pack.flush(zlib.Z_FULL_FLUSH)
    block = pack.compress(chunk) + pack.flush(zlib.Z_FULL_FLUSH)
    end = pack.flush()
    rest = (mebibytes - 1) * MIB
    crc = crc32_combine(zlib.crc32(prefix + chunk), zeros_crc(rest), rest)
    data = first + block * (mebibytes - 1) + end
    return Member(name, data, len(prefix) + mebibytes * MIB, crc)


def write_zip(path: Path, members: list[Member]) -> None:
    """Write a zip archive exactly as described (sizes as declared, no zip64)."""
    out = bytearray()
    central = bytearray()
    for m in members:
        name = m.name.encode()
        offset = len(out)
        fields = (20, 0, m.method, 0, 0x21, m.crc, len(m.data), m.size, len(name), 0)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + name + m.data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, offset
        ) + name  # fmt: skip
    start = len(out)
    out += central
    out += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0
    )
    path.write_bytes(bytes(out))


def _sst(strings: tuple[bytes, ...]) -> bytes:
    return _SST_HEAD + b"".join(b"<si><t>" + s + b"</t></si>" for s in strings) + b"</sst>"


def workbook_members(sheet_rows: bytes = ROWS, sst: bytes | None = None) -> list[Member]:
    """The parts of a one-sheet workbook with the given rows and shared strings."""
    return [
        _deflated("[Content_Types].xml", _CONTENT_TYPES),
        _deflated("_rels/.rels", _ROOT_RELS),
        _deflated("xl/workbook.xml", _WORKBOOK),
        _deflated("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        _deflated("xl/worksheets/sheet1.xml", _SHEET_HEAD + sheet_rows + _SHEET_TAIL),
        _deflated("xl/sharedStrings.xml", sst if sst is not None else _sst(_STRINGS)),
    ]


_STYLES = (
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
    b"</styleSheet>"
)
_STYLES_REL = (
    b'<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/styles" Target="styles.xml"/></Relationships>'
)


def styled_members(sheet_rows: bytes) -> list[Member]:
    """A one-sheet workbook whose cell format 1 is a date (built-in format 14)."""
    rels = _WORKBOOK_RELS.replace(b"</Relationships>", _STYLES_REL)
    return [
        *_replace(workbook_members(sheet_rows), _deflated("xl/_rels/workbook.xml.rels", rels)),
        _deflated("xl/styles.xml", _STYLES),
    ]


def renamed_sheet_members(sheet_rows: bytes, part: str) -> list[Member]:
    """A one-sheet workbook whose sheet part is ``xl/<part>``: the rels name it, not a folder."""
    rels = _WORKBOOK_RELS.replace(b"worksheets/sheet1.xml", part.encode())
    members = [m for m in workbook_members(sheet_rows) if m.name != "xl/worksheets/sheet1.xml"]
    return [
        *_replace(members, _deflated("xl/_rels/workbook.xml.rels", rels)),
        _deflated("xl/" + part, _SHEET_HEAD + sheet_rows + _SHEET_TAIL),
    ]


def _replace(members: list[Member], new: Member) -> list[Member]:
    return [new if m.name == new.name else m for m in members]


# ---------------------------------------------------------------- the corpus

LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>\n"
)


def _zip_bomb(path: Path) -> None:
    """A sheet part of 2 GiB of zeros after the XML head: about 2 MB on disk, honest sizes."""
    bomb = zeros_member("xl/worksheets/sheet1.xml", 2048, prefix=_SHEET_HEAD)
    write_zip(path, _replace(workbook_members(), bomb))


def _ratio_bomb(path: Path) -> None:
    """512 MiB of zeros in the shared strings: under the total size limit, ratio ~1000:1."""
    bomb = zeros_member("xl/sharedStrings.xml", 512, prefix=_SST_HEAD)
    write_zip(path, _replace(workbook_members(), bomb))


def _lying_sizes(path: Path) -> None:
    """The sheet part declares 1 KiB but inflates to 1 GiB: the directory check alone misses it."""
    real = zeros_member("xl/worksheets/sheet1.xml", 1024, prefix=_SHEET_HEAD)
    lying = Member(real.name, real.data, 1024, real.crc)
    write_zip(path, _replace(workbook_members(), lying))


def _many_members(path: Path) -> None:
    """A valid workbook padded with 20,000 empty parts."""
    padding = [Member(f"xl/media/pad{i}.bin", b"", 0, 0, zipfile.ZIP_STORED) for i in range(20000)]
    write_zip(path, workbook_members() + padding)


def _sst_entity_bomb(path: Path) -> None:
    """Shared strings with a DOCTYPE declaring a billion-laughs entity, used in a cell."""
    sst = LAUGHS + _SST_HEAD + b"<si><t>Case ref</t></si><si><t>Request date</t></si>"
    sst += b"<si><t>&lol9;</t></si><si><t>C-2</t></si></sst>"
    write_zip(path, workbook_members(sst=sst))


def _sst_external_entity(path: Path) -> None:
    """Shared strings with an external entity pointing at a local file."""
    sst = (
        b'<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        + _SST_HEAD
        + b"<si><t>Case ref</t></si><si><t>Request date</t></si>"
        + b"<si><t>&xxe;</t></si><si><t>C-2</t></si></sst>"
    )
    write_zip(path, workbook_members(sst=sst))


def _far_cell(path: Path) -> None:
    """A tiny workbook with one cell in the last column of the last row (XFD1048576)."""
    rows = ROWS + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    write_zip(path, workbook_members(sheet_rows=rows))


#: The far cell written the ways valid XML allows, which a byte search for one spelling
#: misses: quoting, spacing, white space after the tag name, letter case.
FAR_CELLS = {
    "far_cell_single_quotes.xlsx": b"<c r='XFD1048576'><v>1</v></c>",
    "far_cell_spaces.xlsx": b'<c r = "XFD1048576" ><v>1</v></c>',
    "far_cell_tab.xlsx": b'<c\tr="XFD1048576"><v>1</v></c>',
    "far_cell_newline.xlsx": b'<c\nr="XFD1048576"\n><v>1</v></c>',
    "far_cell_lower_case.xlsx": b'<c r="xfd1048576"><v>1</v></c>',
    "far_cell_inline_string.xlsx": b'<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>',
}


def _far_cell_spelt(spelling: bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        rows = ROWS + b'<row r="1048576">' + spelling + b"</row>"
        write_zip(path, workbook_members(sheet_rows=rows))

    return make


def _far_cell_other_part(path: Path) -> None:
    """The far cell in a sheet part outside ``xl/worksheets/``: the workbook rels decide."""
    rows = ROWS + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    write_zip(path, renamed_sheet_members(rows, "data/cases.xml"))


def _far_dimension(path: Path) -> None:
    """A sheet that declares it spans A1:XFD1048576."""
    head = _SHEET_HEAD.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
    members = _replace(
        workbook_members(),
        _deflated("xl/worksheets/sheet1.xml", head + ROWS + _SHEET_TAIL),
    )
    write_zip(path, members)


def _negative_date_cell(path: Path) -> None:
    """A date-formatted cell holding -1e12 (calamine's date conversion panics on it)."""
    rows = ROWS.replace(b'<c r="B3"><v>45353</v></c>', b'<c r="B3" s="1"><v>-1E12</v></c>')
    write_zip(path, styled_members(rows))


def _error_cells(path: Path) -> None:
    """Thousands of empty error cells after the table, with no ``</c>`` after them: a
    regex that looks ahead to ``</c>`` rescans to the end for each (quadratic)."""
    valued = b'<row r="%d"><c r="C%d" t="e"><v>#DIV/0!</v></c></row>'
    cells = b"".join(valued % (i, i) for i in range(4, 1004))
    cells += b"".join(b'<row r="%d"><c r="C%d" t="e"/></row>' % (i, i) for i in range(1004, 8004))
    write_zip(path, workbook_members(sheet_rows=ROWS + cells))


_ODS_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
    b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    b'<office:body><office:spreadsheet><table:table table:name="Cases">'
)
_ODS_TAIL = b"</table:table></office:spreadsheet></office:body></office:document-content>"
_ODS_MANIFEST = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:'
    b'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    b'<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
    b'opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
    b'manifest:media-type="text/xml"/></manifest:manifest>'
)
_ODS_TYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _ods_row(*values: bytes) -> bytes:
    cell = b'<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>'
    return b"<table:table-row>" + b"".join(cell % v for v in values) + b"</table:table-row>"


ODS_ROWS = _ods_row(b"Case ref", b"Request date") + _ods_row(b"C-1", b"01/03/2024")


def ods_members(rows: bytes) -> list[Member]:
    """An OpenDocument spreadsheet with one table, ``Cases``, holding ``rows``."""
    return [
        Member("mimetype", _ODS_TYPE, len(_ODS_TYPE), zlib.crc32(_ODS_TYPE), zipfile.ZIP_STORED),
        _deflated("META-INF/manifest.xml", _ODS_MANIFEST),
        _deflated("content.xml", _ODS_HEAD + rows + _ODS_TAIL),
    ]


def _ods_repeat_bomb(path: Path) -> None:
    """744 bytes of repeat counts: a million repeated rows of 95 repeated valued cells."""
    rows = ODS_ROWS + (
        b'<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
        b'table:number-columns-repeated="95" office:value-type="float" office:value="1">'
        b"<text:p>1</text:p></table:table-cell></table:table-row>"
    )
    write_zip(path, ods_members(rows))


def _ods_padded(path: Path) -> None:
    """A genuine-looking ODS: LibreOffice pads the table with a million empty rows."""
    rows = ODS_ROWS + (
        b'<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
        b'table:number-columns-repeated="1024"/></table:table-row>'
    )
    write_zip(path, ods_members(rows))


def _edge_dates_csv(path: Path) -> None:
    """Case systems' "no date" values at the edges of time."""
    path.write_text(
        "Case ref,Request date,Date final plan issued\n"
        "C-1,01/03/2024,31/12/9999\nC-2,0001-01-01,\nC-3,01/03/2024,9999-12-31\n"
        "C-4,12/04/2262,\nC-5,21/09/1677,\n",
        encoding="utf-8",
    )


def _edge_dates_xlsx(path: Path) -> None:
    """Text cells holding dates past year 2262, and a date cell of serial 2958465."""
    sst = _sst((b"Case ref", b"Request date", b"C-1", b"31/12/9999", b"C-2"))
    rows = (
        b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        b'<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
        b'<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" s="1"><v>2958465</v></c></row>'
    )
    members = styled_members(rows)
    write_zip(path, _replace(members, _deflated("xl/sharedStrings.xml", sst)))


def _edge_dates_sen2(path: Path) -> None:
    """A SEN2 return whose dates are case systems' placeholders at the edges of time."""
    path.write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Message><Persons>'
        b"<Person><UPN>A1</UPN><Requests><ReceivedDate>9999-12-31</ReceivedDate></Requests>"
        b"</Person><Person><UPN>A2</UPN><Requests><ReceivedDate>2024-03-01</ReceivedDate>"
        b"<Assessment><AssessmentOutcome>Y</AssessmentOutcome><AssessmentOutcomeDate>"
        b"0001-01-01</AssessmentOutcomeDate></Assessment></Requests></Person>"
        b"</Persons></Message>\n"
    )


def _ragged_long_field(path: Path) -> None:
    """After 200 rows, one row with extra fields and a field past csv's 131,072 limit."""
    lines = ["Case ref,Request date"] + [f"R-{i},01/03/2024" for i in range(300)]
    lines.append("R-300,01/03/2024,extra," + "x" * 200_000)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _wide_header(path: Path) -> None:
    """A header row over 64 KB (1,200 columns): counted whole, refused on columns."""
    names = [f"a column with a long descriptive name for field number {i:05d}" for i in range(1198)]
    header = ",".join(["Case ref", "Request date", *names])
    assert len(header) > 65536
    path.write_text(header + "\nC-1,01/03/2024\n", encoding="utf-8")


def _wide_sheet(path: Path) -> None:
    """A header row 2,000 columns wide (past the column cap)."""
    cells = b"".join(b'<c r="%s1"><v>%d</v></c>' % (_col(i).encode(), i) for i in range(2, 2000))
    rows = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    rows += cells + b"</row>" + ROWS[ROWS.index(b'<row r="2"') :]
    write_zip(path, workbook_members(sheet_rows=rows))


def _col(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _notes_only(path: Path) -> None:
    """A workbook whose only sheet is notes: no case table."""
    sst = _sst((b"Notes", b"Figures under 5 are suppressed.", b"Source: case system"))
    rows = (
        b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        b'<row r="2"><c r="A2" t="s"><v>1</v></c></row>'
        b'<row r="3"><c r="A3" t="s"><v>2</v></c></row>'
    )
    write_zip(path, workbook_members(sheet_rows=rows, sst=sst))


def _good_xlsx(path: Path) -> None:
    write_zip(path, workbook_members())


def _truncated(path: Path) -> None:
    whole = Path(str(path) + ".whole")
    _good_xlsx(whole)
    data = whole.read_bytes()
    whole.unlink()
    path.write_bytes(data[: len(data) // 2])


def _random_bytes(path: Path) -> None:
    path.write_bytes(bytes((i * 7919 + 13) % 251 for i in range(4096)))


def _encrypted(path: Path) -> None:
    """An OLE compound file header, as Excel writes a password-protected .xlsx."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))


def _old_xls(path: Path) -> None:
    """An .xls that is an OLE header with nothing usable inside."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))


def _csv_as_xlsx(path: Path) -> None:
    path.write_text("Case ref,Request date\nC-1,01/03/2024\n", encoding="utf-8")


def _nul_csv(path: Path) -> None:
    path.write_bytes(b"Case ref,Request date\nC-1,01/03/2024\x00\x00\x00\nC-2,02/03/2024\n")


def _undecodable(path: Path) -> None:
    """Not text in any encoding: random-looking bytes with NULs, named .csv."""
    path.write_bytes(bytes((i * 131 + 7) % 256 for i in range(2048)))


def _billion_laughs(path: Path) -> None:
    path.write_bytes(LAUGHS + b"<Message><Person>&lol9;</Person></Message>\n")


def _xxe(path: Path) -> None:
    path.write_bytes(
        b'<?xml version="1.0"?>\n<!DOCTYPE Message [<!ENTITY xxe SYSTEM '
        b'"file:///etc/passwd">]>\n<Message><Person><UPN>&xxe;</UPN></Person></Message>\n'
    )


def _not_sen2(path: Path) -> None:
    path.write_bytes(b'<?xml version="1.0"?>\n<rss><channel><title>x</title></channel></rss>\n')


def _header_only(path: Path) -> None:
    path.write_text("Case ref,Request date,Outcome\n", encoding="utf-8")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _directory(path: Path) -> None:
    path.mkdir()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


@dataclass(frozen=True, slots=True)
class Hostile:
    """One file of the corpus and the one sentence it must give."""

    name: str
    make: Callable[[Path], None]
    message: str
    """The whole error message: ``{path}`` is the file, ``{*}`` any number that depends on
    zlib's output; empty for a file that loads."""
    exit_code: int = 2
    bomb: bool = False
    """True for files that would exhaust memory if read: run in a memory-capped process."""


_DAMAGED = (
    "{path} is damaged or incomplete (perhaps cut short while copying): copy it again, "
    "or open it in Excel and save it again."
)
_ENTITIES = (
    "{path} declares XML entities or a document type in part 'xl/sharedStrings.xml', which "
    "spreadsheet programs never write; it is refused as unsafe."
)
_DTD = (
    "{path} declares a document type (DTD) or entities, which SEN2 returns never do; it is "
    "refused as unsafe: export the return again from the case system."
)
_NUL = (
    "{path} contains NUL bytes, so it is not a text (CSV) file: if it is a spreadsheet, give "
    "it its real extension (such as .xlsx); otherwise export it again as CSV."
)
_NOT_REGULAR = (
    "{path} is not a regular file (it is a device, pipe or socket); only ordinary files are read."
)
_EMPTY = "{path} is empty (0 bytes): export or save it again."

CORPUS: tuple[Hostile, ...] = (
    Hostile(
        "zip_bomb.xlsx",
        _zip_bomb,
        "{path} would unpack to 2.0 GiB, more than the 1.0 GiB limit; it may be a zip bomb, "
        "so it was not opened; if you trust this file, raise the limit with "
        "--limit unpacked-size=3GiB.",
        bomb=True,
    ),
    Hostile(
        "ratio_bomb.xlsx",
        _ratio_bomb,
        "{path} is compressed {*} to 1 (part 'xl/sharedStrings.xml' unpacks from {*} KiB to "
        "512 MiB), past the limit of 200 to 1; it may be a zip bomb, so it was not opened; "
        "if you trust this file, raise the limit with --limit ratio={*}.",
        bomb=True,
    ),
    Hostile(
        "lying_sizes.xlsx",
        _lying_sizes,
        "{path} is not a safe workbook: part 'xl/worksheets/sheet1.xml' unpacks to more data "
        "than its header declares (1.0 KiB), as zip bombs do; it was not read.",
        bomb=True,
    ),
    Hostile(
        "many_members.xlsx",
        _many_members,
        "{path} has 20,006 parts inside, more than the limit of 10,000 (a workbook has a few "
        "dozen); if you trust this file, raise the limit with --limit parts=20006.",
    ),
    Hostile("sst_entity_bomb.xlsx", _sst_entity_bomb, _ENTITIES, bomb=True),
    Hostile("sst_external_entity.xlsx", _sst_external_entity, _ENTITIES),
    Hostile(
        "far_cell.xlsx",
        _far_cell,
        "sheet 'Cases' of {path} reaches column XFD (16,384 columns), more than the limit of "
        "500; delete any stray cells far to the right of the table, or if you trust this "
        "file, raise the limit with --limit columns=16384.",
        bomb=True,
    ),
    Hostile(
        "wide_sheet.xlsx",
        _wide_sheet,
        "sheet 'Cases' of {path} reaches column BXX (2,000 columns), more than the limit of "
        "500; delete any stray cells far to the right of the table, or if you trust this "
        "file, raise the limit with --limit columns=2000.",
    ),
    Hostile(
        "notes_only.xlsx",
        _notes_only,
        "{path} has no request-date column (headers seen: Notes); name it with "
        '--map "Notes=request_date".',
    ),
    Hostile("truncated.xlsx", _truncated, _DAMAGED),
    Hostile(
        "random.xlsx",
        _random_bytes,
        "{path} is not an Excel workbook: its contents are neither a .xlsx/.ods package nor "
        "an old .xls file; check it is the right file.",
    ),
    Hostile(
        "encrypted.xlsx",
        _encrypted,
        "{path} is encrypted (password-protected) or is an old-format .xls file saved with an "
        ".xlsx name: remove the password, or open it in Excel and save it as .xlsx, then try "
        "again.",
    ),
    Hostile(
        "old_format.xls",
        _old_xls,
        "{path} is not a readable old-format Excel (.xls) workbook (Cannot detect file "
        "format): open it in Excel and save it as .xlsx, then try again.",
    ),
    Hostile(
        "renamed_csv.xlsx",
        _csv_as_xlsx,
        "{path} is a text file named .xlsx, not an Excel workbook: if it is CSV, rename it to "
        ".csv and try again.",
    ),
    Hostile("nul_bytes.csv", _nul_csv, _NUL),
    Hostile("undecodable.csv", _undecodable, _NUL),
    Hostile("billion_laughs.xml", _billion_laughs, _DTD, bomb=True),
    Hostile("xxe.xml", _xxe, _DTD),
    Hostile(
        "not_sen2.xml",
        _not_sen2,
        "{path} is not a SEN2 return: it has no Person elements; give the XML return exported "
        "for the Department for Education, or a spreadsheet.",
    ),
    Hostile("empty.csv", _empty, _EMPTY),
    Hostile("empty.xlsx", _empty, _EMPTY),
    Hostile(
        "a_directory.csv",
        _directory,
        "{path} is a directory, not a file: give the spreadsheet inside it.",
    ),
    Hostile("fifo.csv", _fifo, _NOT_REGULAR),
    Hostile("dev_zero.xlsx", _dev_zero, _NOT_REGULAR),
    *(
        Hostile(
            name,
            _far_cell_spelt(spelling),
            "sheet 'Cases' of {path} reaches column XFD (16,384 columns), more than the limit "
            "of 500; delete any stray cells far to the right of the table, or if you trust "
            "this file, raise the limit with --limit columns=16384.",
            bomb=True,
        )
        for name, spelling in FAR_CELLS.items()
    ),
    Hostile(
        "far_cell_other_part.xlsx",
        _far_cell_other_part,
        "sheet 'Cases' of {path} reaches column XFD (16,384 columns), more than the limit "
        "of 500; delete any stray cells far to the right of the table, or if you trust "
        "this file, raise the limit with --limit columns=16384.",
        bomb=True,
    ),
    Hostile(
        "far_dimension.xlsx",
        _far_dimension,
        "sheet 'Cases' of {path} reaches column XFD (16,384 columns), more than the limit "
        "of 500; delete any stray cells far to the right of the table, or if you trust "
        "this file, raise the limit with --limit columns=16384.",
        bomb=True,
    ),
    Hostile(
        "negative_date_cell.xlsx",
        _negative_date_cell,
        "cell B3 of sheet 'Cases' of {path} is formatted as a date but holds the number -1E12, "
        "which is no date in any calendar: correct or clear the cell, save the workbook and "
        "try again.",
        bomb=True,
    ),
    Hostile(
        "ods_repeat_bomb.ods",
        _ods_repeat_bomb,
        "sheet 'Cases' of {path} spans 1,048,002 rows by 95 columns (99,560,190 cells), more "
        "than the limit of 20,000,000 cells; delete any stray cells far below the table, or "
        "if you trust this file, raise the limit with --limit cells=99560190.",
        bomb=True,
    ),
    Hostile(
        "wide_header.csv",
        _wide_header,
        "{path} reaches column ATD (1,200 columns), more than the limit of 500; delete any "
        "stray cells far to the right of the table, or if you trust this file, raise the "
        "limit with --limit columns=1200.",
    ),
    # These read open requests with neither a decision nor a final-date column: nothing to
    # judge a breach from, so a clean read exits 0.
    Hostile("error_cells.xlsx", _error_cells, "", 0, bomb=True),
    Hostile("ods_padded.ods", _ods_padded, "", 0, bomb=True),
    Hostile("edge_dates.csv", _edge_dates_csv, "", 1, bomb=True),
    Hostile("edge_dates.xlsx", _edge_dates_xlsx, "", 0, bomb=True),
    Hostile("edge_dates.xml", _edge_dates_sen2, "", 0, bomb=True),
    Hostile("ragged_long_field.csv", _ragged_long_field, "", 0, bomb=True),
    Hostile("header_only.csv", _header_only, "", 0),
    # Two open requests in a sheet with neither a decision nor a final-date column: nothing
    # was read to judge a breach from, so the run finds none.
    Hostile("good.xlsx", _good_xlsx, "", 0),
)


def build_corpus(out: Path) -> dict[str, Path]:
    """Write every file of :data:`CORPUS` into ``out``; name -> path."""
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for item in CORPUS:
        path = out / item.name
        item.make(path)
        paths[item.name] = path
    return paths


if __name__ == "__main__":
    for built in build_corpus(Path(sys.argv[1])).values():
        print(built)
