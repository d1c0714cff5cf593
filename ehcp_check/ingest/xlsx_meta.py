"""What calamine does not tell about an ``.xlsx``: the 1904 date system and sheet parts.

Only the package's XML parts are read (by :mod:`ehcp_check.ingest.package`, which also
collects error cells in its one pass over each sheet); parsing is with ``defusedxml``;
nothing is evaluated.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from defusedxml import ElementTree


@dataclass(frozen=True, slots=True)
class XlsxMeta:
    """Facts read from an ``.xlsx`` package."""

    date1904: bool = False
    """True when the workbook uses the 1904 date system (Mac Excel)."""
    sheet_parts: dict[str, str] = field(default_factory=dict)
    """Sheet name -> path of its XML part inside the package."""
    date_styles: frozenset[int] = frozenset()
    """Cell formats (``s=`` indexes) that show a date."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_meta(workbook: bytes, relations: Sequence[tuple[str, str, str]]) -> XlsxMeta:
    """The date system and sheet parts from ``xl/workbook.xml`` and its relationships
    (``(Id, Type, part)`` each); an unreadable workbook part gives the defaults."""
    try:
        book = ElementTree.fromstring(workbook)
    except (ElementTree.ParseError, ValueError):
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
    parts = {ids[rid]: part for rid, _, part in relations if rid in ids}
    return XlsxMeta(date1904=date1904, sheet_parts=parts)


#: Built-in number formats that show a date or time (ECMA-376 18.8.30, and the East Asian
#: ones Excel also treats as dates).
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def is_date_format(code: str) -> bool:
    """True when a custom number format shows a date or time (quoted text, escapes,
    colours and conditions set aside), as spreadsheet readers decide."""
    bare = _QUOTED.sub("", code).lower()
    return bare != "general" and any(ch in bare for ch in "dmyhs")


def date_styles(styles: bytes) -> frozenset[int]:
    """Indexes of the cell formats (``s=`` on a cell) of ``xl/styles.xml`` that show dates."""
    try:
        root = ElementTree.fromstring(styles)
    except (ElementTree.ParseError, ValueError):
        return frozenset()
    custom: dict[int, str] = {}
    found: set[int] = set()
    for el in root.iter():
        if _local(el.tag) == "numFmt":
            with contextlib.suppress(ValueError, TypeError):
                custom[int(el.get("numFmtId", ""))] = el.get("formatCode", "")
        elif _local(el.tag) == "cellXfs":
            for index, xf in enumerate(x for x in el if _local(x.tag) == "xf"):
                try:
                    number = int(xf.get("numFmtId", "0"))
                except ValueError:
                    continue
                if number in _DATE_FORMAT_IDS or is_date_format(custom.get(number, "General")):
                    found.add(index)
    return frozenset(found)
