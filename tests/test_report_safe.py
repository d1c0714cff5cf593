"""Formula-injection neutralising and careful, atomic file writes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from ehcp_check.errors import OutputError
from ehcp_check.report.safe import (
    atomic_write,
    is_risky,
    neutralise,
    neutralise_series,
    safe_console,
    write_pieces,
    write_text,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+44 20", "'+44 20"),
        ("-x", "'-x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-3", "-3"),
        ("+4.5", "+4.5"),
        ("Smith", "Smith"),
        ("", ""),
        (-3, -3),
        (2.5, 2.5),
        (None, None),
    ],
)
def test_neutralise(value: object, expected: object) -> None:
    assert neutralise(value) == expected


def test_is_risky_ignores_plain_numbers_only() -> None:
    assert not is_risky("-3")
    assert is_risky("-3+A1")
    assert is_risky("=A1")


def test_neutralise_series_matches_scalar_and_keeps_numbers() -> None:
    values = pd.Series(["=1+1", "ok", None, -3, "-3", "@x", 4.5], dtype=object)
    out = neutralise_series(values)
    assert out.tolist() == ["'=1+1", "ok", None, -3, "-3", "'@x", 4.5]
    assert isinstance(out.iloc[3], int)


def _write(text: str):  # type: ignore[no-untyped-def]
    def writer(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return writer


def test_atomic_write_writes_and_leaves_no_temp(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    assert atomic_write(out, _write("hello")) == out
    assert out.read_text(encoding="utf-8") == "hello"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_refuses_existing_file_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(OutputError, match="already exists; use --force"):
        atomic_write(out, _write("new"))
    assert out.read_text(encoding="utf-8") == "old"
    atomic_write(out, _write("new"), force=True)
    assert out.read_text(encoding="utf-8") == "new"


def test_refuses_an_input_file_even_with_force(tmp_path: Path) -> None:
    src = tmp_path / "foi.csv"
    src.write_text("data", encoding="utf-8")
    other = tmp_path / "sub" / ".." / "foi.csv"
    (tmp_path / "sub").mkdir()
    with pytest.raises(OutputError, match="is one of the input files"):
        atomic_write(other, _write("x"), force=True, inputs=[src])
    link = tmp_path / "link.csv"
    link.symlink_to(src)
    with pytest.raises(OutputError, match="is one of the input files"):
        atomic_write(link, _write("x"), force=True, inputs=[src])
    assert src.read_text(encoding="utf-8") == "data"


def test_no_half_file_when_the_writer_fails(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    out.write_text("old", encoding="utf-8")

    def broken(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(out, broken, force=True)
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_missing_folder_and_folder_path(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist; create it first"):
        write_text(tmp_path / "nope" / "r.txt", "x")
    with pytest.raises(OutputError, match="is a folder"):
        write_text(tmp_path, "x", force=True)


def test_written_file_gets_normal_permissions(tmp_path: Path) -> None:
    out = write_text(tmp_path / "r.txt", "x")
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask


def test_write_pieces_writes_prefix_and_pieces_in_order(tmp_path: Path) -> None:
    out = tmp_path / "cases.csv"
    pieces = [f"{i},Zoë\n" * 1000 for i in range(50)]
    write_pieces(out, iter(pieces), prefix=b"\xef\xbb\xbf")
    assert out.read_bytes() == b"\xef\xbb\xbf" + "".join(pieces).encode("utf-8")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_write_pieces_raises_the_write_error() -> None:
    """A full disk stops the writer thread and the maker, and the error reaches the
    caller (atomic_write turns it into one sentence)."""
    made: list[int] = []

    def pieces() -> Iterator[str]:
        for i in range(10_000):
            made.append(i)
            yield "x" * 100_000

    with pytest.raises(OSError, match="No space left"):
        write_pieces(Path("/dev/full"), pieces())
    assert len(made) < 10_000


def test_write_pieces_stops_the_writer_when_making_fails(tmp_path: Path) -> None:
    def pieces() -> Iterator[str]:
        yield "first"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_pieces(tmp_path / "x.json", pieces())
    assert (tmp_path / "x.json").read_bytes() == b"first"


def test_the_console_shows_emoji_codes_as_written() -> None:
    console = safe_console(highlight=False, soft_wrap=False, color_system=None)
    with console.capture() as captured:
        console.print(":fire: and :smile: [bold]in[/bold] markup")
    assert captured.get() == ":fire: and :smile: in markup\n"
