"""The settings in force (``ehcp-check config``), as text or a JSON document."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..config import Config, Setting

CONFIG_SCHEMA = "ehcp-check/config/1"


def config_document(config: Config, rows: list[Setting]) -> dict[str, Any]:
    """``{"schema", "file", "settings": [{"name", "value", "source"}]}``."""
    return {
        "schema": CONFIG_SCHEMA,
        "file": config.source,
        "settings": [{"name": r.name, "value": r.value, "source": r.source} for r in rows],
    }


def render_config(config: Config, rows: list[Setting]) -> RenderableType:
    """One line per setting: name, value, where it came from."""
    head = (
        f"Settings file: {config.source}"
        if config.source
        else "No settings file (ehcp-check.toml or [tool.ehcp-check] in pyproject.toml)."
    )
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column("Setting", no_wrap=True)
    table.add_column("Value", overflow="fold")
    table.add_column("From", no_wrap=True)
    for r in rows:
        table.add_row(Text(r.name), Text("-" if r.value is None else r.value), Text(r.source))
    note = Text("Flags given to audit or columns override these.")
    return Group(Text(head), table, note)
