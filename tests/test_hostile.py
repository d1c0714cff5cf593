"""Hostile and broken input files: exit 2 with one plain sentence, never a hang or a crash.

The corpus is generated at test time by ``tests/hostile/make_hostile.py``. Files that would
exhaust memory if read (zip bombs, entity bombs, a cell at XFD1048576) also run in a child
process whose address space is capped at 2 GiB, so the test proves the refusal comes before
any large allocation. A ``SIGALRM`` guard fails any test that hangs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import resource
import signal
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import openpyxl
import pytest
from hostile.make_hostile import CORPUS, ROWS, Hostile, build_corpus, workbook_members, write_zip
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ehcp_check.audit import audit_table
from ehcp_check.cli import app
from ehcp_check.engine import Settings
from ehcp_check.errors import InputError, InternalError, UsageError
from ehcp_check.ingest import Limits, inspect_columns, load
from ehcp_check.ingest.limits import human_size, parse_size

AS_OF = "2025-06-30"
AS_OF_DATE = dt.date(2025, 6, 30)
HANG_SECONDS = 30
MEMORY_CAP = 2 << 30
#: CPU seconds a capped run may take (CPU, not wall-clock time: other work on the machine
#: does not count), interpreter start-up included.
CPU_SECONDS = 5.0
#: Cell text in the corpus that must never appear in an error message.
PRIVATE = ("C-1", "C-2", "01/03/2024", "passwd", "Figures under 5")
runner = CliRunner()


@pytest.fixture(autouse=True)
def hang_guard() -> Iterator[None]:
    """Fail the test if it runs for HANG_SECONDS (a hang guard, not a speed assertion)."""

    def hung(signum: int, frame: FrameType | None) -> None:
        pytest.fail(f"hung for {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_corpus(tmp_path_factory.mktemp("hostile"))


def _pattern(item: Hostile, path: Path) -> re.Pattern[str]:
    text = "ehcp-check: error: " + item.message.replace("{path}", str(path))
    return re.compile(".+?".join(re.escape(part) for part in text.split("{*}")))


def _check_refusal(item: Hostile, path: Path, code: int, stdout: str, stderr: str) -> None:
    assert code == item.exit_code, stderr
    if not item.message:
        assert stderr == ""
        return
    assert stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert _pattern(item, path).fullmatch(lines[0]), lines[0]
    assert "Traceback" not in stderr
    assert not [p for p in PRIVATE if p in lines[0]]


@pytest.mark.parametrize("item", CORPUS, ids=[c.name for c in CORPUS])
def test_audit_refuses_with_one_sentence(item: Hostile, corpus: dict[str, Path]) -> None:
    path = corpus[item.name]
    result = runner.invoke(app, ["audit", "--as-of", AS_OF, str(path)])
    _check_refusal(item, path, result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize(
    "item",
    [c for c in CORPUS if c.exit_code == 2],
    ids=[c.name for c in CORPUS if c.exit_code == 2],
)
def test_columns_refuses_with_one_sentence(item: Hostile, corpus: dict[str, Path]) -> None:
    path = corpus[item.name]
    result = runner.invoke(app, ["columns", str(path)])
    _check_refusal(item, path, result.exit_code, result.stdout, result.stderr)


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


BOMBS = [c for c in CORPUS if c.bomb]


@pytest.mark.parametrize("item", BOMBS, ids=[c.name for c in BOMBS])
def test_bombs_are_refused_in_bounded_memory(item: Hostile, corpus: dict[str, Path]) -> None:
    path = corpus[item.name]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-m", "ehcp_check", "audit", "--as-of", AS_OF, str(path)],
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
        preexec_fn=_cap_memory,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _check_refusal(item, path, done.returncode, done.stdout, done.stderr)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    assert cpu < CPU_SECONDS, f"{cpu:.1f} CPU seconds"


def test_header_only_file_is_zero_cases(corpus: dict[str, Path]) -> None:
    loaded = load([corpus["header_only.csv"]])
    assert (len(loaded.cases), loaded.rows_read, loaded.rows_excluded) == (0, 0, 0)
    result = audit_table(loaded, Settings(as_of=AS_OF_DATE))
    assert result.summary["rows_read"] == 0
    assert result.breach_count == 0


# ---------------------------------------------------------------- limits


def _csv(tmp_path: Path, rows: int, width: int = 2) -> Path:
    path = tmp_path / "cases.csv"
    header = ",".join(["Case ref", "Request date", *[f"x{i}" for i in range(width - 2)]])
    body = [",".join([f"R-{i}", "01/03/2024", *[""] * (width - 2)]) for i in range(rows)]
    path.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    return path


def test_row_limit_counts_the_header_and_refuses_one_past(tmp_path: Path) -> None:
    path = _csv(tmp_path, 3)
    assert len(load([path], limits=Limits(max_rows=4)).cases) == 3
    with pytest.raises(InputError) as err:
        load([path], limits=Limits(max_rows=3))
    assert str(err.value) == (
        f"{path} has 4 rows, more than the limit of 3; split it, or if you trust this file, "
        "raise the limit with --limit rows=4."
    )


def test_column_and_cell_limits_on_text(tmp_path: Path) -> None:
    path = _csv(tmp_path, 3, width=4)
    with pytest.raises(InputError) as err:
        inspect_columns([path], limits=Limits(max_columns=3))
    assert str(err.value) == (
        f"{path} reaches column D (4 columns), more than the limit of 3; delete any stray "
        "cells far to the right of the table, or if you trust this file, raise the limit "
        "with --limit columns=4."
    )
    with pytest.raises(InputError) as err:
        load([path], limits=Limits(max_cells=15))
    assert str(err.value) == (
        f"{path} spans 4 rows by 4 columns (16 cells), more than the limit of 15 cells; "
        "delete any stray cells far below the table, or if you trust this file, raise the "
        "limit with --limit cells=16."
    )
    assert len(load([path], limits=Limits(max_cells=16)).cases) == 3


def test_workbook_limits_name_the_sheet(tmp_path: Path) -> None:
    path = tmp_path / "small.xlsx"
    write_zip(path, workbook_members())
    assert load([path]).cases["case_id"].tolist() == ["C-1", "C-2"]
    with pytest.raises(InputError) as err:
        load([path], limits=Limits(max_cells=5))
    assert str(err.value) == (
        f"sheet 'Cases' of {path} spans 3 rows by 2 columns (6 cells), more than the limit "
        "of 5 cells; delete any stray cells far below the table, or if you trust this file, "
        "raise the limit with --limit cells=6."
    )
    with pytest.raises(InputError) as err:
        load([path], limits=Limits(max_unpacked_bytes=1000))
    assert str(err.value).startswith(f"{path} would unpack to 2.")
    assert str(err.value).endswith(
        "more than the 1000 bytes limit; it may be a zip bomb, so it was not opened; if you "
        "trust this file, raise the limit with --limit unpacked-size=1GiB."
    )


def test_file_and_xml_size_limits(tmp_path: Path) -> None:
    path = _csv(tmp_path, 1)
    with pytest.raises(InputError) as err:
        load([path], limits=Limits(max_file_bytes=10))
    assert str(err.value) == (
        f"{path} is 37 bytes, more than the 10 bytes limit on input files; if you trust "
        "this file, raise the limit with --limit file-size=1GiB."
    )
    xml = tmp_path / "return.xml"
    xml.write_text("<Message><Person/></Message>", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load([xml], limits=Limits(max_xml_bytes=8))
    assert str(err.value) == (
        f"{xml} is 28 bytes, more than the 8 bytes limit on XML files; if you trust this "
        "file, raise the limit with --limit xml-size=1MiB."
    )


def test_limit_settings_parse() -> None:
    limits = Limits().with_settings(["unpacked-size=4GiB", "rows=6_000_000", "RATIO = 500"])
    assert limits == dataclasses.replace(
        Limits(), max_unpacked_bytes=4 << 30, max_rows=6_000_000, max_ratio=500
    )
    assert [parse_size(t) for t in ("512MB", "1.5g", "2048", "3 KiB")] == [
        512 << 20,
        3 << 29,
        2048,
        3 << 10,
    ]
    assert [human_size(n) for n in (37, 1536, 12 << 20, 1 << 30)] == [
        "37 bytes",
        "1.5 KiB",
        "12 MiB",
        "1.0 GiB",
    ]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "speed=3",
            "--limit 'speed=3' must be NAME=VALUE with NAME one of: file-size, xml-size, "
            "unpacked-size, ratio, parts, rows, columns, cells.",
        ),
        ("rows=-1", "--limit 'rows=-1': the value must be a positive whole number."),
        ("file-size=big", "--limit size 'big' is not a size; write it like 2GB or 512MB."),
        ("file-size=0", "--limit size '0' is not a size; write it like 2GB or 512MB."),
    ],
)
def test_bad_limit_settings(setting: str, message: str) -> None:
    with pytest.raises(UsageError) as err:
        Limits().with_settings([setting])
    assert str(err.value) == message


# ---------------------------------------------------------------- XML and the CLI's guards


def test_openpyxl_parses_xml_with_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert [d for d in project["project"]["dependencies"] if d.startswith("defusedxml")] == [
        "defusedxml>=0.7"
    ]


def test_cli_hides_locals_and_debug_shows_the_error(corpus: dict[str, Path]) -> None:
    assert app.pretty_exceptions_show_locals is False
    result = runner.invoke(app, ["--debug", "audit", "--as-of", AS_OF, str(corpus["empty.csv"])])
    assert isinstance(result.exception, InputError)
    assert (
        str(result.exception)
        == f"{corpus['empty.csv']} is empty (0 bytes): export or save it again."
    )


def test_broken_row_accounting_is_an_internal_error(corpus: dict[str, Path]) -> None:
    loaded = load([corpus["good.xlsx"]])
    loaded.inputs[0] = dataclasses.replace(loaded.inputs[0], rows=3)
    with pytest.raises(InternalError) as err:
        audit_table(loaded, Settings(as_of=AS_OF_DATE))
    assert str(err.value) == (
        "row accounting failed: 3 rows read but 2 judged and 0 excluded. Please report this bug."
    )
    assert err.value.exit_code == 3


@pytest.mark.parametrize(
    ("extra", "refused"),
    [
        (b'<row r="1048576"><c r="XFD1048576" s="0"/></row>', False),
        (b'<row r="1048576"><c s="0" r="XFD1048576"><v>1</v></c></row>', True),
        (b'<row r="9"><c r="CV1048576"><v>1</v></c></row>', True),
        (b'<x:row r="70000"><x:c r="ZZ70000"><v>1</v></x:c></x:row>', True),
    ],
    ids=["empty-styled-cell", "reference-not-first", "row-mismatch", "prefixed"],
)
def test_far_cells_are_measured_whatever_the_markup(
    tmp_path: Path, extra: bytes, refused: bool
) -> None:
    """calamine skips empty cells; any cell with a value extends the sheet, however written."""
    path = tmp_path / "far.xlsx"
    write_zip(path, workbook_members(sheet_rows=ROWS + extra))
    if not refused:
        assert load([path]).cases["case_id"].tolist() == ["C-1", "C-2"]
        return
    with pytest.raises(InputError) as err:
        load([path])
    assert str(err.value).startswith(f"sheet 'Cases' of {path} ")


# ---------------------------------------------------------------- issue 13: edges and spellings


def test_dates_at_the_edges_of_time_are_issues_on_their_rows(corpus: dict[str, Path]) -> None:
    loaded = load([corpus["edge_dates.csv"]], latest=dt.date(2026, 6, 30))
    found = [(i.row, i.column, i.value, i.code) for i in loaded.issues if i.code != "invalid-case"]
    assert found == [
        (2, "final_date", "31/12/9999", "date-out-of-range"),
        (3, "request_date", "0001-01-01", "date-out-of-range"),
        (4, "final_date", "9999-12-31", "date-out-of-range"),
        (5, "request_date", "12/04/2262", "date-out-of-range"),
        (6, "request_date", "21/09/1677", "date-out-of-range"),
    ]


def test_edge_dates_in_workbooks_and_columns(corpus: dict[str, Path]) -> None:
    loaded = load([corpus["edge_dates.xlsx"]])
    found = [(i.row, i.value, i.code) for i in loaded.issues if i.code != "invalid-case"]
    assert found == [(2, "31/12/9999", "date-out-of-range"), (3, "9999-12-31", "date-out-of-range")]
    sen2 = load([corpus["edge_dates.xml"]])
    found = [(i.row, i.value, i.code) for i in sen2.issues if i.code != "invalid-case"]
    assert found == [(1, "9999-12-31", "date-out-of-range"), (2, "0001-01-01", "date-out-of-range")]
    for name in ("edge_dates.csv", "edge_dates.xlsx", "edge_dates.xml"):
        result = runner.invoke(app, ["columns", str(corpus[name])])
        assert result.exit_code == 0, result.stderr


def test_ragged_csv_with_a_long_field_is_read_whole(corpus: dict[str, Path]) -> None:
    loaded = load([corpus["ragged_long_field.csv"]])
    assert len(loaded.cases) == 301
    assert loaded.rows_read == 301


def test_error_cells_are_found_in_linear_time(corpus: dict[str, Path]) -> None:
    from ehcp_check.ingest.limits import Limits as L
    from ehcp_check.ingest.package import check_package

    with open(corpus["error_cells.xlsx"], "rb") as fh:
        package = check_package(fh, "error_cells.xlsx", L())
    errors = package.errors["xl/worksheets/sheet1.xml"]
    assert len(errors) == 1000  # the 7,000 without a value are empty, as calamine reads them
    assert errors[(3, 2)] == errors[(1002, 2)] == "#DIV/0!"


def test_padded_ods_reads_and_repeats_count(tmp_path: Path, corpus: dict[str, Path]) -> None:
    assert load([corpus["ods_padded.ods"]]).cases["case_id"].tolist() == ["C-1"]
    with pytest.raises(InputError) as err:
        load([corpus["ods_repeat_bomb.ods"]], limits=Limits(max_cells=10**9, max_rows=1000))
    assert str(err.value).startswith(
        f"sheet 'Cases' of {corpus['ods_repeat_bomb.ods']} has 1,048,002 rows, more than the "
        "limit of 1,000"
    )


# ---------------------------------------------------------------- side inputs


def _capped(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ehcp_check", *args],
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
        preexec_fn=_cap_memory,
        check=False,
        cwd=cwd,
    )


def _side_inputs(tmp_path: Path) -> dict[str, Path]:
    made = {
        "deep.toml": "[[closure]]\nfirst = 2024-07-23\nlast = 2024-09-03\nx = " + "[" * 5000,
        "deep_mapping.toml": "[columns]\nx = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n",
        "ages.csv": "first,last\n0001-01-01,9999-12-31\n",
        "cl.csv": "first,last\n2024-07-23,2024-09-03\n",
        "long_field.csv": "first,last,label\n2024-07-23,2024-09-03," + "x" * 200_000 + "\n",
    }
    paths = {}
    for name, text in made.items():
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    paths["fifo.csv"] = tmp_path / "fifo.csv"
    os.mkfifo(paths["fifo.csv"])
    paths["zero.csv"] = tmp_path / "zero.csv"
    paths["zero.csv"].symlink_to("/dev/zero")
    paths["cases.xlsx"] = tmp_path / "cases.xlsx"
    write_zip(paths["cases.xlsx"], workbook_members())
    return paths


_NOT_A_FILE = (
    "is not a regular file (it is a device, pipe or socket); only ordinary files are read."
)


@pytest.mark.parametrize(
    ("option", "name", "message"),
    [
        ("--closures", "zero.csv", "zero.csv " + _NOT_A_FILE),
        ("--closures", "fifo.csv", "fifo.csv " + _NOT_A_FILE),
        ("--mapping-file", "zero.csv", "zero.csv " + _NOT_A_FILE),
        ("--mapping-file", "fifo.csv", "fifo.csv " + _NOT_A_FILE),
        (
            "--closures",
            "deep.toml",
            "Closures file deep.toml nests arrays or tables more than 32 deep, which no "
            "settings file needs; check it is the right file.",
        ),
        (
            "--mapping-file",
            "deep_mapping.toml",
            "Mapping file deep_mapping.toml nests arrays or tables more than 32 deep, which no "
            "settings file needs; check it is the right file.",
        ),
        (
            "--closures",
            "ages.csv",
            "ages.csv row 2: 0001-01-01 is not a school closure date; closures must fall "
            "between 2000-01-01 and 2099-12-31.",
        ),
        (
            "--closures",
            "missing.csv",
            "missing.csv does not exist: check the file name and folder.",
        ),
    ],
)
def test_side_inputs_are_guarded_like_case_files(
    tmp_path: Path, option: str, name: str, message: str
) -> None:
    _side_inputs(tmp_path)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = _capped(["audit", "--as-of", AS_OF, option, name, "cases.xlsx"], tmp_path)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime < CPU_SECONDS
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"ehcp-check: error: {message}\n"


def test_side_inputs_are_protected_from_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _side_inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    for option, name in (("--closures", "cl.csv"), ("--mapping-file", "deep.toml")):
        before = paths[name].read_bytes()
        args = ["audit", "--as-of", AS_OF, option, name, "cases.xlsx", "-o", name, "--force"]
        done = runner.invoke(app, args, catch_exceptions=False)
        if option == "--closures":
            assert done.exit_code == 2
            assert done.stderr == (
                f"ehcp-check: error: the output file {name} is one of the input files; choose "
                "another name so the council's data is not overwritten.\n"
            )
        assert paths[name].read_bytes() == before


def test_a_long_closure_label_is_read(tmp_path: Path) -> None:
    from ehcp_check.ingest.closures import load_closures

    paths = _side_inputs(tmp_path)
    (closure,) = load_closures(paths["long_field.csv"])
    assert (closure.first, len(closure.label)) == (dt.date(2024, 7, 23), 200_000)


def test_duplicates_across_files_and_letter_case(tmp_path: Path) -> None:
    one = tmp_path / "one.csv"
    one.write_text("Case ref,Request date\nC-0001,01/03/2024\nc-0001 ,02/03/2024\n", "utf-8")
    two = tmp_path / "two.csv"
    two.write_text("Case ref,Request date\nC-0002,01/03/2024\nC-0001,03/03/2024\n", "utf-8")
    loaded = load([one, two])
    found = [(i.file, i.row, i.value, i.message) for i in loaded.issues]
    assert found == [
        (
            str(one),
            3,
            "c-0001",
            "Case reference 'c-0001' appears more than once in this file (first as 'C-0001' "
            "at row 2); both rows are kept.",
        ),
        (
            str(two),
            3,
            "C-0001",
            f"Case reference 'C-0001' appears more than once (first at row 2 of {one}); both "
            "rows are kept.",
        ),
    ]
    assert len(loaded.cases) == 4


_SPELLINGS = (
    b'<c r="%s">%s</c>',
    b"<c r='%s'>%s</c>",
    b'<c  r = "%s" >%s</c>',
    b'<c\tr="%s">%s</c>',
    b'<c s="0" r="%s">%s</c>',
    b'<x:c r="%s">%s</x:c>',
)


@settings(max_examples=60, deadline=None)
@given(
    cells=st.lists(
        st.tuples(st.integers(1, 3000), st.integers(1, 700), st.integers(0, 5), st.booleans()),
        min_size=1,
        max_size=40,
    ),
    lower=st.booleans(),
)
def test_sheet_extent_is_exact_however_cells_are_spelt(
    cells: list[tuple[int, int, int, bool]], lower: bool
) -> None:
    """The extent is that of the cells with a value, whatever their spelling; the plain
    fast path never reports less than the parser."""
    from hostile.make_hostile import _col

    from ehcp_check.ingest.package import _SheetScan

    body = b""
    for row, col, spelling, has_value in sorted(cells):
        ref = (_col(col - 1).lower() if lower else _col(col - 1)).encode() + b"%d" % row
        body += b'<row r="%d">' % row
        body += _SPELLINGS[spelling] % (ref, b"<v>1</v>" if has_value else b"") + b"</row>"
    xml = _SHEET_HEAD_FOR_SCAN + body + b"</sheetData></worksheet>"
    wide = Limits(max_rows=10**9, max_columns=10**6, max_cells=10**15)
    scan = _SheetScan("t.xlsx", "sheet1.xml", "Cases", wide)
    for start in range(0, len(xml), 97):
        scan.feed(xml[start : start + 97])
    scan.feed(b"", True)
    valued = [(r, c) for r, c, _, v in cells if v]
    want = (max((r for r, _ in valued), default=0), max((c for _, c in valued), default=0))
    got = (scan.extent().rows, scan.extent().columns)
    assert got[0] >= want[0]
    assert got[1] >= want[1]
    if any(s != 0 for _, _, s, _ in cells) or not all(v for *_, v in cells):
        return
    assert got == want


_SHEET_HEAD_FOR_SCAN = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.'
    b'org/spreadsheetml/2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main"><sheetData>'
)


def test_a_reader_panic_is_one_sentence_and_no_rust_text(
    tmp_path: Path, corpus: dict[str, Path]
) -> None:
    """Were the date check to miss a cell, calamine's panic (and its backtrace on stderr)
    still ends as one sentence."""
    script = tmp_path / "run.py"
    script.write_text(
        "import sys\n"
        "from ehcp_check import cli\n"
        "from ehcp_check.ingest import package\n"
        "package._LOWEST_DATE_NUMBER = float('-inf')\n"
        f"sys.argv = ['ehcp-check', 'audit', {str(corpus['negative_date_cell.xlsx'])!r}]\n"
        "cli.main()\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env={**os.environ, "RUST_BACKTRACE": "1"},
        timeout=HANG_SECONDS,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"ehcp-check: error: sheet 'Cases' of {corpus['negative_date_cell.xlsx']} holds a cell "
        "the spreadsheet reader cannot convert (such as a date millions of years from now): "
        "find the cell, correct or clear it, save the workbook and try again.\n"
    )


def test_a_sen2_child_with_two_requests_is_no_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "return.xml"
    request = "<Requests><ReceivedDate>{}</ReceivedDate></Requests>"
    path.write_text(
        '<?xml version="1.0"?>\n<Message><Persons><Person><UPN>A1</UPN>'
        + request.format("2024-03-01")
        + request.format("2025-01-06")
        + "</Person></Persons></Message>\n",
        encoding="utf-8",
    )
    loaded = load([path])
    assert len(loaded.cases) == 2
    assert [i.code for i in loaded.issues if i.code == "duplicate-case-id"] == []


def test_a_title_row_above_the_case_headers_is_not_taken_for_totals(tmp_path: Path) -> None:
    """Found by the property test: a title "EHC requests (FOI reply)" above the headers
    reads as a measure, and zeros under it as counts; the "Case ref" header below it
    makes the sheet a case list."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for _ in range(3):
        sheet.append(["EHC requests (FOI reply)"])
    sheet.append(["Case ref", "Date request received", "Outcome", "Date EHCP issued", "Notes"])
    sheet.append([0, dt.date(2000, 1, 2), "", "", ""])
    sheet.append([0, dt.date(2000, 1, 1), "", "", ""])
    path = tmp_path / "cases.xlsx"
    book.save(path)
    loaded = load([path])
    assert loaded.rows_read == 2
    assert [i.code for i in loaded.issues].count("date-out-of-range") == 2


def test_a_case_list_of_blanks_and_zeros_is_not_taken_for_totals(tmp_path: Path) -> None:
    """Found by the property test: blank references and zeros under "Date EHCP issued"
    once made the case path refuse a case list as a table of totals."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Case ref", "Date request received", "Outcome", "Date EHCP issued", "Notes"])
    sheet.append(["", dt.date(2000, 1, 2), "", "", ""])
    sheet.append(["", dt.date(2000, 1, 1), "", 0, 0])
    path = tmp_path / "cases.xlsx"
    book.save(path)
    loaded = load([path])
    assert loaded.rows_read == 2
