"""Command-line values coerced without importing pydantic, where that is plainly safe.

Recent typer versions coerce every option value through a pydantic ``TypeAdapter``, which
costs more start-up than the ``case`` command's own work (pydantic, ``pydantic_core`` and
its plugin loader's ``importlib.metadata``). :func:`install` gives typer's parameters a
coercion for the annotations this CLI uses (``str``, ``bool``, enums, and options with a
``parser``) that returns the same values typer would, through typer's own choice helper.
Whenever a value is not plainly valid, or the annotation is anything else, typer's usual
coercion runs, so its errors and messages are unchanged. With a typer that does not have
this layer, :func:`install` does nothing.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


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
                if annotation is str and isinstance(value, str):
                    return value
                if annotation is bool and isinstance(value, bool):
                    return value
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
        if descriptor.parameter_info.parser is not None or annotation in (str, bool):
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
