"""What ingest made of each sheet's columns (the ``columns`` command), for people and JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
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


#: Widths at and above which notes get a column of their own (below, a line under the table).
WIDE = 120

#: A rule under the header and nothing else, in ASCII (as the audit view when piped).
RULED = box.Box("    \n    \n -- \n    \n    \n    \n    \n    \n", ascii=True)


class ColumnsView:
    """The columns report, laid out when printed: for 80 columns first (one line per
    column: samples cut with an ellipsis, never wrapped; notes listed under the table
    below :data:`WIDE` columns), plain ASCII when piped."""

    def __init__(self, reports: Sequence[ColumnReport]):
        self.reports = list(reports)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        plain = not console.is_terminal or console.color_system is None
        opts = options
        if plain:
            opts = options.copy()
            opts.encoding = "ascii"
        yield from console.render(_build(self.reports, options.max_width, plain), opts)


def render_columns(reports: Sequence[ColumnReport]) -> RenderableType:
    """The columns report as a rich renderable (see :class:`ColumnsView`)."""
    return ColumnsView(reports)


def _build(reports: Sequence[ColumnReport], width: int, plain: bool) -> RenderableType:
    def style(name: str) -> str:
        return "" if plain else name

    parts: list[RenderableType] = []
    for r in reports:
        if r.skipped:
            parts.append(Text(f"{_where(r)}: skipped: {r.skipped}", style=style("dim")))
            parts.append(Text(""))
            continue
        parts.append(Text(f"{_where(r)}: header on row {r.header_row}", style=style("bold")))
        notes = [c for c in r.columns if c.note]
        note_column = bool(notes) and width >= WIDE
        table = Table(
            box=RULED if plain else box.SIMPLE_HEAD,
            pad_edge=False,
            show_edge=False,
            expand=True,
            padding=(0, 2, 0, 0),
        )
        table.add_column("Col", no_wrap=True)
        table.add_column("Header", max_width=24, no_wrap=True, overflow="ellipsis")
        table.add_column("Used as", no_wrap=True)
        table.add_column("Samples", ratio=1, no_wrap=True, overflow="ellipsis", min_width=12)
        if note_column:
            table.add_column("Note", ratio=1, overflow="fold")
        for c in r.columns:
            used = (
                Text(c.field.value, style=style("green"))
                if c.field
                else Text("not used", style("dim"))
            )
            if c.date_order is not None:
                used.append(f" {ORDER_NAMES.get(c.date_order.value, '')}", style=style("dim"))
            cells: list[Text] = [
                Text(c.letter),
                Text(c.header or "(blank)"),
                used,
                Text(", ".join(c.samples)),
            ]
            if note_column:
                cells.append(Text(c.note or "", style=style("yellow")))
            table.add_row(*cells)
        parts.append(table)
        if notes and not note_column:
            listed = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1, 0, 0))
            listed.add_column(no_wrap=True)
            listed.add_column(overflow="fold")
            for c in notes:
                listed.add_row(Text(f"  {c.letter}:"), Text(c.note or "", style=style("yellow")))
            parts.append(listed)
        if Field.REQUEST_DATE not in r.fields:
            parts.append(
                Text(
                    "No request-date column: tell ehcp-check which it is with "
                    '--map "HEADER=request_date".',
                    style=style("bold red"),
                )
            )
        parts.append(Text(""))
    parts.append(
        Text(
            'Fix a mapping with --map "Header text=field" (repeatable) or --mapping-file; '
            "fields: " + ", ".join(f.value for f in Field) + ", or ignore.",
            style=style("dim"),
        )
    )
    return Group(*parts)
