"""What calamine does not tell about an ``.xlsx``: the 1904 date system and sheet parts.

Only the package's XML parts are read (by :mod:`ehcp_check.ingest.package`, which also
collects error cells in its one pass over each sheet); parsing is with ``defusedxml``;
nothing is evaluated.
"""

from __future__ import annotations

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
