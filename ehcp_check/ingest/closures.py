"""Read real school closure dates, to replace the default approximate summer holidays.

Two forms, chosen by the file's extension:

CSV (``.csv``), a header row then one closure a row::

    first,last,label
    2024-07-23,2024-09-03,Summer 2024

TOML (``.toml``)::

    [[closure]]
    first = 2024-07-23
    last = 2024-09-03
    label = "Summer 2024"

``first`` and ``last`` are the first and last closed days (ISO dates, or dd/mm/yyyy in CSV).
"""

from __future__ import annotations

import csv
import io
import os
from datetime import date, datetime
from pathlib import Path

from ..errors import InputError
from ..rules import FOUR_WEEKS_DAYS, Closure
from .source import parse_toml, read_settings_text

#: Closures must fall in these years: EHC plans began in 2014, and a date far outside them
#: is a placeholder (0001-01-01, 9999-12-31), not a school holiday.
FIRST_CLOSURE = date(2000, 1, 1)
LAST_CLOSURE = date(2099, 12, 31)


def _date(value: object, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InputError(f"{where}: {text[:20]!r} is not a date; write it as 2024-07-23.")


def _bounded(day: date, where: str) -> date:
    if not FIRST_CLOSURE <= day <= LAST_CLOSURE:
        raise InputError(
            f"{where}: {day.isoformat()} is not a school closure date; closures must fall "
            f"between {FIRST_CLOSURE.isoformat()} and {LAST_CLOSURE.isoformat()}."
        )
    return day


def load_closures(path: str | os.PathLike[str]) -> tuple[Closure, ...]:
    """Closures from a CSV or TOML file. Raises :class:`InputError` with one plain sentence."""
    p = Path(path)
    name, text = read_settings_text(path, "Closures file")
    rows: list[tuple[object, object, str, str]] = []
    if p.suffix.lower() == ".toml":
        doc = parse_toml(name, text, "Closures file")
        entries = doc.get("closure")
        if not isinstance(entries, list):
            raise InputError(f"{name} has no [[closure]] entries.")
        for i, entry in enumerate(entries, 1):
            if not isinstance(entry, dict) or "first" not in entry or "last" not in entry:
                raise InputError(f"{name}: closure {i} needs 'first' and 'last' dates.")
            rows.append((entry["first"], entry["last"], str(entry.get("label", "")), f"#{i}"))
    else:
        csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
        reader = csv.DictReader(io.StringIO(text))
        fields = [f.strip().lower() for f in reader.fieldnames or []]
        if "first" not in fields or "last" not in fields:
            raise InputError(f"{name} needs a header row with 'first' and 'last' columns.")
        reader.fieldnames = fields
        for line_no, row in enumerate(reader, 2):
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            rows.append(
                (
                    row.get("first") or "",
                    row.get("last") or "",
                    row.get("label") or "",
                    f"row {line_no}",
                )
            )
    closures = []
    for first_raw, last_raw, label, where in rows:
        first = _bounded(_date(first_raw, f"{name} {where}"), f"{name} {where}")
        last = _bounded(_date(last_raw, f"{name} {where}"), f"{name} {where}")
        if last < first:
            raise InputError(f"{name} {where}: the closure ends before it starts.")
        closures.append(Closure(first, last, label.strip()))
    if not closures:
        raise InputError(f"{name} lists no closures.")
    return tuple(sorted(closures, key=lambda c: c.first))


def short_closures(closures: tuple[Closure, ...]) -> list[Closure]:
    """Closures shorter than the 4 weeks the law requires (they cannot ground a claim)."""
    return [c for c in closures if c.days < FOUR_WEEKS_DAYS]
