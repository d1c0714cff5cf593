"""Command-line values coerced without importing pydantic, where that is plainly safe.

Recent typer versions coerce every option value through a pydantic ``TypeAdapter``, which
costs more start-up than the ``case`` command's own work (pydantic, ``pydantic_core`` and
its plugin loader's ``importlib.metadata``). :func:`install` gives typer's parameters a
coercion for the annotations this CLI uses (``str``, ``bool``, ``int``, ``Path``, enums,
lists of ``str`` or ``Path``, and options with a ``parser``) that returns the same values
typer would (enums through typer's own choice helper).
Whenever a value is not plainly valid, or the annotation is anything else, typer's usual
coercion runs, so its errors and messages are unchanged. With a typer that does not have
this layer, :func:`install` does nothing.
"""

from __future__ import annotations

import os
import re
import stat
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

#: An integer written plainly (what int() and typer read alike); anything else: typer.
_PLAIN_INT = re.compile(r"-?[0-9]{1,18}")
#: Element types of the list options coerced here.
_ITEMS = (str, Path)


def _item(annotation: Any, value: Any, info: Any) -> Any:
    """A plain value of a simple annotation as typer gives it; raises ValueError for
    anything typer might refuse or read differently (typer then decides)."""
    if annotation is str and isinstance(value, str):
        return value
    if annotation is bool and isinstance(value, bool):
        return value
    if annotation is Path and type(value) is str and value:
        return _path(value, info)
    if annotation is int:
        number = value if type(value) is int else None
        if type(value) is str and _PLAIN_INT.fullmatch(value):
            number = int(value)
        low, high = getattr(info, "min", None), getattr(info, "max", None)
        if (
            number is not None
            and not getattr(info, "clamp", False)
            and (low is None or number >= low)
            and (high is None or number <= high)
        ):
            return number
    raise ValueError(value)


def _path(text: str, info: Any) -> Path:
    """``Path(text)`` where typer's checks of the path (``exists``, ``file_okay``,
    ``dir_okay``, ``readable``, ``writable``) all pass; ValueError otherwise."""
    if any(getattr(info, k, None) for k in ("resolve_path", "allow_dash", "path_type")):
        raise ValueError(text)
    try:
        st = os.stat(text)
    except OSError:
        if getattr(info, "exists", False):
            raise ValueError(text) from None
        return Path(text)
    if (
        (not getattr(info, "file_okay", True) and stat.S_ISREG(st.st_mode))
        or (not getattr(info, "dir_okay", True) and stat.S_ISDIR(st.st_mode))
        or (getattr(info, "readable", True) and not os.access(text, os.R_OK))
        or (getattr(info, "writable", False) and not os.access(text, os.W_OK))
    ):
        raise ValueError(text)
    return Path(text)


def _list_of(annotation: Any) -> Any:
    """The element type of ``list[str]`` / ``list[Path]`` (else None)."""
    if get_origin(annotation) is list:
        args = get_args(annotation)
        if len(args) == 1 and args[0] in _ITEMS:
            return args[0]
    return None


def install() -> None:
    """Route typer's parameter coercion through :func:`_fast` when typer has that layer."""
    try:
        from typer import _coercion, core
        from typer._param_types import coerce_cli_choice
    except ImportError:  # pragma: no cover - other typer versions
        return
    parameter = getattr(core, "_TyperParameter", None)
    original = getattr(parameter, "get_runtime_param", None)
    runtime = getattr(_coercion, "RuntimeParam", None)
    build = getattr(_coercion, "build_runtime_param", None)
    if parameter is None or original is None or runtime is None or build is None:
        return  # pragma: no cover - other typer versions
    if getattr(original, "_ehcp_fast", False):
        return

    class FastRuntimeParam(runtime):  # type: ignore[misc, valid-type]
        """Plain values as typer would give them; anything else through typer."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            annotation, info = self.annotation, self.parameter_info
            try:
                if info.parser is not None:
                    return info.parser(value)
                if annotation in (str, bool, int, Path):
                    return _item(annotation, value, info)
                element = _list_of(annotation)
                if element is not None and isinstance(value, tuple | list):
                    return [_item(element, v, info) for v in value]
                if isinstance(annotation, type) and issubclass(annotation, Enum):
                    choices = list(annotation)
                    return coerce_cli_choice(
                        value, choices=choices, case_sensitive=info.case_sensitive, ctx=ctx
                    )
            except Exception:  # typer's own coercion below gives the error
                pass
            return param._ehcp_typer_param()._coerce_value(value, param=param, ctx=ctx)

    def _plain(descriptor: Any) -> bool:
        annotation = descriptor.annotation
        if descriptor.file_annotation is not None:
            return False
        if descriptor.parameter_info.parser is not None or annotation in (str, bool, int, Path):
            return True
        if _list_of(annotation) is not None:
            return True
        return isinstance(annotation, type) and issubclass(annotation, Enum)

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            if _plain(descriptor):
                self._runtime_param = FastRuntimeParam(
                    parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
                )
            else:
                self._runtime_param = build(descriptor)
        return self._runtime_param

    def typer_param(self: Any) -> Any:
        return build(self.type_descriptor)

    get_runtime_param._ehcp_fast = True  # type: ignore[attr-defined]
    parameter.get_runtime_param = get_runtime_param
    parameter._ehcp_typer_param = typer_param
