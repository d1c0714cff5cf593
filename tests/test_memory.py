"""The command line keeps the memory it frees (glibc), for the commands that read whole
case files only, and changes nothing where the C library is another."""

from __future__ import annotations

import ctypes
import signal
import sys
import warnings

import pytest

from ehcp_check import _memory, cli


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_glibc_agrees() -> None:
    try:
        ctypes.CDLL(None).gnu_get_libc_version  # noqa: B018
    except AttributeError:
        pytest.skip("not glibc")
    assert _memory.keep_freed_memory() is True


def test_nothing_changes_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert _memory.keep_freed_memory() is False


def test_nothing_changes_without_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")

    def no_library(_name: object) -> object:
        raise OSError("no C library of that name")

    monkeypatch.setattr(ctypes, "CDLL", no_library)
    assert _memory.keep_freed_memory() is False


@pytest.mark.parametrize(
    ("argv", "kept"),
    [
        (["audit", "cases.csv"], True),
        (["columns", "cases.csv"], True),
        (["--debug", "audit", "cases.csv"], True),
        (["case", "--requested", "2024-01-01", "audit"], False),
        (["case", "--requested", "2024-01-01"], False),
        (["--version"], False),
        ([], False),
    ],
)
def test_only_whole_file_commands_keep_memory(
    argv: list[str], kept: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def keep() -> bool:
        calls.append("kept")
        return True

    monkeypatch.setattr(_memory, "keep_freed_memory", keep)
    monkeypatch.setattr(cli, "app_for", lambda args: lambda: None)
    monkeypatch.setattr(sys, "argv", ["ehcp-check", *argv])
    # main() installs handlers for the process: restored after the test.
    monkeypatch.setattr(signal, "signal", lambda *_args: None)
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
    cli.main()
    assert calls == (["kept"] if kept else [])
