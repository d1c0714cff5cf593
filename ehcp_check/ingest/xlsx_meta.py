"""What calamine does not tell about an ``.xlsx``: the 1904 date system and error cells.

Only the package's XML parts are read, with ``zipfile`` and ``defusedxml``; nothing is
evaluated and the file is opened read-only.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree

_ERROR_CELL = re.compile(rb"<c\b([^>]*\bt=\"e\"[^>]*)>(.*?)</c>", re.DOTALL)
_CELL_REF = re.compile(rb"\br=\"([A-Z]+)([0-9]+)\"")
_VALUE = re.compile(rb"<v>([^<]*)</v>")


@dataclass(frozen=True, slots=True)
class XlsxMeta:
    """Facts read from an ``.xlsx`` package."""

    date1904: bool = False
    """True when the workbook uses the 1904 date system (Mac Excel)."""
    sheet_parts: dict[str, str] = field(default_factory=dict)
    """Sheet name -> path of its XML part inside the package."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_meta(path: str) -> XlsxMeta:
    """Read the date system and the sheet parts; an unreadable package gives the defaults."""
    try:
        with zipfile.ZipFile(path) as pkg:
            book = ElementTree.fromstring(pkg.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(pkg.read("xl/_rels/workbook.xml.rels"))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError):
        return XlsxMeta()
    date1904 = False
    ids: dict[str, str] = {}
    for el in book.iter():
        name = _local(el.tag)
        if name == "workbookPr":
            date1904 = el.get("date1904", "0").strip().lower() in {"1", "true"}
        elif name == "sheet":
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
            if rid is not None and el.get("name") is not None:
                ids[rid] = str(el.get("name"))
    parts: dict[str, str] = {}
    for rel in rels.iter():
        rid, target = rel.get("Id"), rel.get("Target")
        if rid in ids and target:
            full = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            parts[ids[rid]] = posixpath.normpath(full)
    return XlsxMeta(date1904=date1904, sheet_parts=parts)


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number - 1


def error_cells(path: str, part: str) -> dict[tuple[int, int], str]:
    """Cells holding Excel error values: (row, column) 0-based -> error text like ``#N/A``.

    calamine reads error cells as empty; this scan lets ingest report them.
    """
    try:
        with zipfile.ZipFile(path) as pkg:
            data = pkg.read(part)
    except (OSError, KeyError, zipfile.BadZipFile):
        return {}
    if b't="e"' not in data:
        return {}
    found: dict[tuple[int, int], str] = {}
    for match in _ERROR_CELL.finditer(data):
        ref = _CELL_REF.search(match.group(1))
        value = _VALUE.search(match.group(2))
        if ref is None:
            continue
        text = value.group(1).decode("utf-8", "replace") if value else "#N/A"
        found[(int(ref.group(2)) - 1, _column_number(ref.group(1)))] = text
    return found
