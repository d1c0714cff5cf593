"""Settings from a configuration file, so a monthly cron line stays short.

ehcp-check looks for, in order: the file named by ``--config`` (or the ``EHCP_CHECK_CONFIG``
environment variable), ``ehcp-check.toml`` in the current folder, then a
``[tool.ehcp-check]`` table in ``pyproject.toml`` there. The first found is used; flags on
the command line override it, and :func:`settings_in_force` says where each value came
from. Paths in the file (``closures``, ``mapping-file``) are relative to the file::

    # ehcp-check.toml
    day-count = "within"            # or "day-one"
    year-type = "financial"         # calendar | financial | academic
    date-order = "dmy"              # dmy | mdy | ymd
    sheet = "Cases"
    closures = "closures.csv"
    mapping-file = "council.toml"

    [map]                           # HEADER = FIELD, as --map
    "Date rec'd" = "request_date"

    [limits]                        # NAME = VALUE, as --limit
    rows = "2000000"
    unpacked-size = "3GiB"

The file is read through ingest's guarded opener for settings files (one open, a
regular file, at most 1 MiB, TOML nesting bounded).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError

CONFIG_NAME = "ehcp-check.toml"
PYPROJECT = "pyproject.toml"
ENV_VAR = "EHCP_CHECK_CONFIG"

#: Settings a file may hold, with their allowed values (None: any text).
CHOICES: dict[str, tuple[str, ...] | None] = {
    "day-count": ("within", "day-one"),
    "year-type": ("calendar", "financial", "academic"),
    "date-order": ("dmy", "mdy", "ymd"),
    "sheet": None,
    "closures": None,
    "mapping-file": None,
}
#: Tables a file may hold.
TABLES = ("map", "limits")
#: Settings that name a file (relative to the configuration file).
PATHS = frozenset({"closures", "mapping-file"})

DEFAULTS: dict[str, str | None] = {
    "day-count": "within",
    "year-type": "calendar",
    "date-order": None,
    "sheet": None,
    "closures": None,
    "mapping-file": None,
}


@dataclass(frozen=True, slots=True)
class Config:
    """Settings read from a file, and which file (None when there is none)."""

    source: str | None = None
    """Where the settings came from, e.g. ``ehcp-check.toml`` or ``pyproject.toml
    [tool.ehcp-check]``; None when no file was found."""
    values: dict[str, str] = field(default_factory=dict)
    """Scalar settings by name (paths already resolved against the file's folder)."""
    mapping: dict[str, str] = field(default_factory=dict)
    """``[map]``: header -> field."""
    limits: dict[str, str] = field(default_factory=dict)
    """``[limits]``: name -> value."""


def _table(doc: Mapping[str, Any], where: str, base: Path) -> Config:
    values: dict[str, str] = {}
    mapping: dict[str, str] = {}
    limits: dict[str, str] = {}
    for key, value in doc.items():
        if key in TABLES:
            if not isinstance(value, dict):
                raise UsageError(f"{where}: [{key}] must be a table of NAME = VALUE.")
            target = mapping if key == "map" else limits
            for k, v in value.items():
                if not isinstance(v, str | int):
                    raise UsageError(f"{where}: {key}.{k} must be text or a number.")
                target[str(k)] = str(v)
            continue
        if key not in CHOICES:
            known = ", ".join([*CHOICES, *(f"[{t}]" for t in TABLES)])
            raise UsageError(f"{where}: unknown setting {key!r}; the settings are {known}.")
        if not isinstance(value, str):
            raise UsageError(f'{where}: {key} must be text, e.g. {key} = "...".')
        allowed = CHOICES[key]
        if allowed is not None and value.lower() not in allowed:
            raise UsageError(f"{where}: {key} = {value!r} is not one of {', '.join(allowed)}.")
        values[key] = (
            os.fspath(base / value) if key in PATHS else (value.lower() if allowed else value)
        )
    return Config(where, values, mapping, limits)


def _parse(path: Path, where: str) -> dict[str, Any]:
    """The file's TOML, read through ingest's guarded opener for settings files (open once,
    a regular file, size-bounded, nesting bounded)."""
    from .ingest.source import parse_toml, read_settings_text

    name, text = read_settings_text(path, "Configuration file")
    return parse_toml(name, text, "Configuration file")


def load_config(
    explicit: str | os.PathLike[str] | None = None,
    *,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """The configuration in force: ``explicit`` (``--config``), else ``EHCP_CHECK_CONFIG``,
    else ``ehcp-check.toml`` in ``cwd``, else ``[tool.ehcp-check]`` of its
    ``pyproject.toml``; an empty :class:`Config` when there is none."""
    env = os.environ if environ is None else environ
    folder = Path.cwd() if cwd is None else cwd
    named = explicit if explicit is not None else env.get(ENV_VAR) or None
    if named is not None:
        path = Path(named)
        if not path.is_absolute():
            path = folder / path
        return _table(_parse(path, os.fspath(named)), os.fspath(named), path.parent)
    own = folder / CONFIG_NAME
    if own.is_file():
        return _table(_parse(own, CONFIG_NAME), CONFIG_NAME, folder)
    pyproject = folder / PYPROJECT
    if pyproject.is_file():
        doc = _parse(pyproject, PYPROJECT)
        tool = doc.get("tool", {})
        section = tool.get("ehcp-check") if isinstance(tool, dict) else None
        if isinstance(section, dict):
            where = f"{PYPROJECT} [tool.ehcp-check]"
            return _table(section, where, folder)
    return Config()


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting in force: its value and where it came from."""

    name: str
    value: str | None
    source: str
    """``default``, ``command line`` or the configuration file's name."""


def settings_in_force(config: Config, flags: Mapping[str, Any]) -> list[Setting]:
    """Every setting with its value and source: a flag given on the command line (not
    None, not empty) wins, then the configuration file, then the default."""
    out: list[Setting] = []
    for name, default in DEFAULTS.items():
        flag = flags.get(name)
        if flag is not None:
            out.append(Setting(name, str(flag), "command line"))
        elif name in config.values:
            out.append(Setting(name, config.values[name], config.source or ""))
        else:
            out.append(Setting(name, default, "default"))
    for table, entries in (("map", config.mapping), ("limits", config.limits)):
        given = flags.get(table) or []
        if given:
            out.extend(Setting(table, str(item), "command line") for item in given)
        for key, value in entries.items():
            out.append(Setting(table, f"{key}={value}", config.source or ""))
    return out


__all__ = [
    "CONFIG_NAME",
    "ENV_VAR",
    "Config",
    "Setting",
    "load_config",
    "settings_in_force",
]
