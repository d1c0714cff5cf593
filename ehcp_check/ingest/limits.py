"""Resource limits for reading input files: what a hostile or broken file may not make us do.

Every limit is checked before the expensive step it protects (a workbook's zip directory is
read before anything is unpacked; a sheet's extent is measured before calamine builds it),
so a small file that would expand to gigabytes is refused quickly and in little memory.
A file past a limit is refused with :class:`~ehcp_check.errors.InputError`, never cut
short: no rows are ever dropped silently. The message names the limit and the ``--limit``
setting that raises it; :meth:`Limits.with_settings` parses those settings.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ehcp_check.errors import UsageError

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of a file ingest is willing to read. The defaults suit any council's data.

    The largest English councils receive a few thousand assessment requests a year, so even
    a decade of case records with fifty columns is a few million cells: each default is at
    least ten times what a genuine case file needs, and well below what exhausts a laptop.
    """

    max_file_bytes: int = 2 * GIB
    """Largest input file on disk (any kind). 2 GiB of CSV is tens of millions of rows."""
    max_xml_bytes: int = 512 * MIB
    """Largest SEN2 XML return. It is parsed into a tree that needs ~10x its size in memory;
    a whole-authority return is tens of megabytes."""
    max_unpacked_bytes: int = 1 * GIB
    """Largest total size a workbook package (``.xlsx``, ``.xlsm``, ``.ods``) may declare
    once unpacked. A 100,000-row, 30-column sheet unpacks to about 100 MB."""
    max_ratio: int = 200
    """Largest compression ratio of one package part bigger than :attr:`ratio_floor_bytes`.
    Real sheets compress 5-20:1, formatting-heavy ones rarely past 100:1; a zip bomb of
    zeros reaches 1,000:1."""
    ratio_floor_bytes: int = 10 * MIB
    """Parts smaller than this unpacked are not ratio-checked (small parts are harmless)."""
    max_parts: int = 10_000
    """Most parts a workbook package may hold. Excel writes a few dozen; one per image."""
    max_rows: int = 5_000_000
    """Most rows one sheet (or text file) may have, title and header rows included."""
    max_columns: int = 500
    """Most columns one sheet may span. SEN2-style exports have under a hundred."""
    max_cells: int = 20_000_000
    """Most cells one sheet may span (rows x columns, blanks included): 400,000 cases of 50
    columns. Each cell costs memory whether or not it is blank."""

    def with_settings(self, items: Iterable[str]) -> Limits:
        """These limits with ``NAME=VALUE`` settings applied (the CLI's ``--limit``).

        Names are :data:`SETTINGS` keys (``unpacked-size``, ``rows``...). Sizes accept
        ``KB``/``MB``/``GB`` (or ``KiB``...) suffixes, counts plain or with ``_`` or ``,``
        separators. Raises :class:`~ehcp_check.errors.UsageError` on an unknown name or a
        value that is not a positive number.
        """
        changes: dict[str, int] = {}
        for item in items:
            name, sep, value = item.partition("=")
            key = name.strip().lower()
            if not sep or key not in SETTINGS:
                known = ", ".join(SETTINGS)
                raise UsageError(f"--limit {item!r} must be NAME=VALUE with NAME one of: {known}.")
            attr = SETTINGS[key]
            changes[attr] = parse_size(value) if attr.endswith("_bytes") else _count(item, value)
        return dataclasses.replace(self, **changes)


#: ``--limit`` names -> :class:`Limits` fields.
SETTINGS: dict[str, str] = {
    "file-size": "max_file_bytes",
    "xml-size": "max_xml_bytes",
    "unpacked-size": "max_unpacked_bytes",
    "ratio": "max_ratio",
    "parts": "max_parts",
    "rows": "max_rows",
    "columns": "max_columns",
    "cells": "max_cells",
}

_SIZE = re.compile(r"^\s*([0-9][0-9_,]*(?:\.[0-9]+)?)\s*([KMGT]?)(I?B)?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """Bytes from ``512MB``, ``2GiB``, ``3gb`` or ``1000000`` (binary units either way)."""
    match = _SIZE.match(text)
    if match is None or float(match.group(1).replace("_", "").replace(",", "")) <= 0:
        raise UsageError(f"--limit size {text!r} is not a size; write it like 2GB or 512MB.")
    number = float(match.group(1).replace("_", "").replace(",", ""))
    scale = {"": 1, "K": KIB, "M": MIB, "G": GIB, "T": 1024 * GIB}[match.group(2).upper()]
    return int(number * scale)


def _count(item: str, text: str) -> int:
    cleaned = text.strip().replace("_", "").replace(",", "")
    if not cleaned.isdigit() or int(cleaned) <= 0:
        raise UsageError(f"--limit {item!r}: the value must be a positive whole number.")
    return int(cleaned)


def setting_name(field: str) -> str:
    """The ``--limit`` name of a :class:`Limits` field."""
    return next(k for k, v in SETTINGS.items() if v == field)


def human_size(size: int) -> str:
    """``1.0 GiB``, ``512 MiB``, ``37 bytes``: sizes in messages."""
    for unit, scale in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if size >= scale:
            value = size / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:,.0f} {unit}"
    return f"{size} bytes"


def raise_hint(field: str, suggested: str) -> str:
    """The end of a refusal: how to raise the limit if the file is genuine."""
    return f"if you trust this file, raise the limit with --limit {setting_name(field)}={suggested}"
