"""What ingest made of each sheet's columns (the ``columns`` command), for people and JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..ingest.describe import ColumnReport
from ..model import Field

COLUMNS_SCHEMA = "ehcp-check/columns/1"

#: How a date column's order is shown beside its field.
ORDER_NAMES = {"dmy": "d/m/y", "mdy": "m/d/y", "ymd": "y-m-d"}


def columns_document(reports: Sequence[ColumnReport]) -> dict[str, Any]:
    return {
        "schema": COLUMNS_SCHEMA,
        "sheets": [
            {
                "file": r.file,
                "sheet": r.sheet,
                "header_row": r.header_row,
                "skipped": r.skipped,
                "columns": [
                    {
                        "letter": c.letter,
                        "header": c.header,
                        "field": c.field.value if c.field else None,
                        "match": c.match.value,
                        "date_order": c.date_order.value if c.date_order else None,
                        "samples": list(c.samples),
                        "note": c.note,
                    }
                    for c in r.columns
                ],
            }
            for r in reports
        ],
    }


def _where(r: ColumnReport) -> str:
    return r.file if r.sheet is None else f"{r.file} / sheet {r.sheet!r}"


def render_columns(reports: Sequence[ColumnReport]) -> RenderableType:
    parts: list[RenderableType] = []
    for r in reports:
        if r.skipped:
            parts.append(Text(f"{_where(r)}: skipped: {r.skipped}", style="dim"))
            parts.append(Text(""))
            continue
        parts.append(Text(f"{_where(r)}: header on row {r.header_row}", style="bold"))
        notes = any(c.note for c in r.columns)
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
        table.add_column("Col", no_wrap=True)
        table.add_column("Header", max_width=22)
        table.add_column("Used as", no_wrap=True)
        table.add_column("Samples", ratio=1)
        if notes:
            table.add_column("Note", max_width=30)
        for c in r.columns:
            used = Text(c.field.value, style="green") if c.field else Text("not used", "dim")
            if c.date_order is not None:
                used.append(f" {ORDER_NAMES.get(c.date_order.value, '')}", style="dim")
            cells: list[Text] = [
                Text(c.letter),
                Text(c.header or "(blank)"),
                used,
                Text(", ".join(c.samples)),
            ]
            if notes:
                cells.append(Text(c.note or "", style="yellow"))
            table.add_row(*cells)
        parts.append(table)
        if Field.REQUEST_DATE not in r.fields:
            parts.append(
                Text(
                    "No request-date column: tell ehcp-check which it is with "
                    '--map "HEADER=request_date".',
                    style="bold red",
                )
            )
        parts.append(Text(""))
    parts.append(
        Text(
            'Fix a mapping with --map "Header text=field" (repeatable) or --mapping-file; '
            "fields: " + ", ".join(f.value for f in Field) + ", or ignore.",
            style="dim",
        )
    )
    return Group(*parts)
