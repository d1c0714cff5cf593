"""Hostile situations on the way out: control characters, file names that are not UTF-8,
concurrent writers, interrupts, full disks, library temp files and warnings.

Each test states what an attacker (or bad luck) tried and what must hold instead.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import warnings
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ehcp_check.audit import AuditResult, audit_table
from ehcp_check.cli import app
from ehcp_check.engine import Settings
from ehcp_check.errors import OutputError
from ehcp_check.ingest import load
from ehcp_check.report.files import render_markdown, write_csv, write_json, write_markdown
from ehcp_check.report.html import render_html, write_html
from ehcp_check.report.safe import atomic_write, safe_console, visible
from ehcp_check.report.terminal import render_audit
from ehcp_check.report.xlsx import write_xlsx

AS_OF = dt.date(2025, 6, 30)
runner = CliRunner()
#: Characters that must never reach a terminal or a document raw.
RAW = {chr(c) for c in (*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}
RAW |= {"\u202e", "\u2066"}
NOT_UTF8 = os.fsdecode(b"r\xe9ponse.csv")


def _cases_csv(path: Path, case_id: str = "C-1", exception: str = "") -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Case ref", "Request date", "Date final plan issued", "Exception"])
        out.writerow([case_id, "01/03/2024", "30/12/2024", exception])
        out.writerow(["C-2", "01/03/2024", "", ""])
    return path


def _audit(path: Path) -> AuditResult:
    return audit_table(load([path]), Settings(as_of=AS_OF))


def _raw_in(text: str) -> set[str]:
    return {ch for ch in text if ch in RAW or 0xD800 <= ord(ch) <= 0xDFFF}


# ---------------------------------------------------------------- group 5: one sanitiser


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("C-1\x1b[2J\x1b[3J\x1b[H", "C-1\\x1b[2J\\x1b[3J\\x1b[H"),
        ("\x1b]52;c;aGk=\x07", "\\x1b]52;c;aGk=\\x07"),
        ("\x1b]8;;http://x\x1b\\link", "\\x1b]8;;http://x\\x1b\\link"),
        ("\x9b31m", "\\x9b31m"),
        ("a\x7fb", "a\\x7fb"),
        ("abc\u202edef", "abc\\u202edef"),
        (NOT_UTF8, "r\\xe9ponse.csv"),
        ("tab\tand\nline", "tab\tand\nline"),
        ("Zoë O'Brien", "Zoë O'Brien"),
    ],
)
def test_visible_shows_every_control(text: str, shown: str) -> None:
    assert visible(text) == shown
    assert visible(shown) == shown


def test_visible_without_layout_escapes_tab_and_newline() -> None:
    assert visible("a\tb\nc", layout=False) == "a\\x09b\\x0ac"


def test_xlsx_escaped_control_reaches_no_output_raw(tmp_path: Path) -> None:
    """``_x001B_`` in a shared string is decoded by the reader to ESC: it is shown escaped."""
    from hostile.make_hostile import _sst, workbook_members, write_zip

    sst = _sst((b"Case ref", b"Request date", b"C-1_x001B_[2J", b"C-2", b"Date final EHCP issued"))
    rows = (
        b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        b'<c r="C1" t="s"><v>4</v></c></row>'
        b'<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>45352</v></c>'
        b'<c r="C2"><v>45512</v></c></row>'
        b'<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><v>45353</v></c></row>'
    )
    path = tmp_path / "escaped.xlsx"
    # A final plan 160 days after the request: C-1 is late and listed among the breaches.
    write_zip(path, workbook_members(sst=sst, sheet_rows=rows))
    result = runner.invoke(app, ["audit", "--as-of", AS_OF.isoformat(), str(path)])
    assert result.exit_code == 1
    assert not _raw_in(result.stdout)
    assert "C-1\\x1b[2J" in result.stdout


def _terminal(result: AuditResult) -> str:
    out = io.StringIO()
    console = safe_console(file=out, width=120, force_terminal=False, color_system=None)
    console.print(render_audit(result))
    return out.getvalue()


CONTROL_TEXT = st.text(
    alphabet=st.sampled_from(["a", "Z", " ", "-", "\x1b", "\x07", "\x9b", "\x85", "\x01", "\x7f"]),
    min_size=1,
    max_size=12,
).filter(lambda t: any(ch in RAW for ch in t))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=CONTROL_TEXT)
def test_control_characters_render_raw_nowhere(tmp_path: Path, text: str) -> None:
    """Any cell text with control characters: none raw in the table, Markdown, HTML or an
    error sentence."""
    path = _cases_csv(tmp_path / "cases.csv", case_id="C-1" + text, exception="School" + text)
    result = _audit(path)
    assert len(result.verdicts) == 2
    for rendered in (_terminal(result), render_markdown(result), render_html(result)):
        assert not _raw_in(rendered)
    name = ("missing" + text + ".csv").replace("\x00", "")
    failed = runner.invoke(app, ["audit", str(tmp_path / name)])
    assert failed.exit_code == 2
    assert not _raw_in(failed.stderr.rstrip("\n"))
    assert failed.stderr.count("\n") == 1


# ---------------------------------------------------------------- group 6: file names


@pytest.fixture
def odd_name(tmp_path: Path) -> Path:
    return _cases_csv(tmp_path / NOT_UTF8)


SHOWN = "r\\xe9ponse.csv"


@pytest.mark.parametrize("suffix", [".json", ".csv", ".md", ".html"])
def test_not_utf8_file_name_in_text_outputs(odd_name: Path, tmp_path: Path, suffix: str) -> None:
    writer = {".json": write_json, ".csv": write_csv, ".md": write_markdown, ".html": write_html}
    out = tmp_path / f"report{suffix}"
    writer[suffix](_audit(odd_name), out)
    text = out.read_bytes().decode("utf-8-sig")  # strict: valid UTF-8
    shown = SHOWN.replace("\\", "\\\\") if suffix in (".json", ".md") else SHOWN
    assert shown in text
    if suffix == ".json":
        assert json.loads(text)["inputs"][0]["file"].endswith(SHOWN)


def test_not_utf8_file_name_in_xlsx(odd_name: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    write_xlsx(_audit(odd_name), out)
    book = openpyxl.load_workbook(out, read_only=True)
    texts = [v for ws in book for row in ws.iter_rows(values_only=True) for v in row]
    assert any(isinstance(v, str) and v.endswith(SHOWN) for v in texts)
    assert not any(isinstance(v, str) and _raw_in(v) for v in texts)


def test_json_to_a_strict_utf8_stdout(odd_name: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    args = ["audit", "--as-of", "2025-06-30", "--format", "json", str(odd_name)]
    done = subprocess.run(
        [sys.executable, "-m", "ehcp_check", *args],
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout.decode("utf-8"))["inputs"][0]["file"].endswith(SHOWN)
    assert done.stderr == b""


def test_not_utf8_name_in_an_error_sentence(tmp_path: Path) -> None:
    path = tmp_path / os.fsdecode(b"vide\xe9.csv")
    path.write_bytes(b"")
    result = runner.invoke(app, ["audit", str(path)])
    assert result.exit_code == 2
    assert result.stderr.endswith("vide\\xe9.csv is empty (0 bytes): export or save it again.\n")


# ---------------------------------------------------------------- group 9: exclusive create


def test_a_file_that_appears_while_writing_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "same.json"

    def racing(tmp: Path) -> None:
        out.write_text("the other run's report", encoding="utf-8")  # another writer wins
        tmp.write_text("ours", encoding="utf-8")

    with pytest.raises(OutputError) as err:
        atomic_write(out, racing)
    assert str(err.value) == f"the output file {out} already exists; use --force to overwrite it."
    assert out.read_text(encoding="utf-8") == "the other run's report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["same.json"]


def test_force_replaces_what_appeared(tmp_path: Path) -> None:
    out = tmp_path / "same.json"

    def racing(tmp: Path) -> None:
        out.write_text("theirs", encoding="utf-8")
        tmp.write_text("ours", encoding="utf-8")

    atomic_write(out, racing, force=True)
    assert out.read_text(encoding="utf-8") == "ours"


def test_two_concurrent_audits_cannot_both_write(tmp_path: Path) -> None:
    path = _cases_csv(tmp_path / "cases.csv")
    args = [sys.executable, "-m", "ehcp_check", "audit", "--as-of", "2025-06-30", str(path)]
    args += ["-o", str(tmp_path / "same.xlsx"), "--exit-zero"]
    runs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    runs.append(subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    done = [(p.wait(60), *p.communicate()) for p in runs]
    codes = sorted(code for code, _, _ in done)
    assert codes == [0, 2], done
    refused = next(err for code, _, err in done if code == 2)
    assert refused.endswith("already exists; use --force to overwrite it.\n")
    assert sum(err.startswith("Wrote ") for _, _, err in done) == 1


# ---------------------------------------------------------------- group 10: temp files, signals


def test_xlsx_temp_files_stay_in_the_output_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system = tmp_path / "system-temp"
    system.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system))
    folder = tmp_path / "out"
    folder.mkdir()
    seen: list[str] = []

    def progress(done: int, total: int) -> None:
        # xlsxwriter streams rows through temp files (tmp*) while the sheets fill.
        seen.extend(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("tmp*"))

    write_xlsx(_audit(_cases_csv(tmp_path / "cases.csv")), folder / "r.xlsx", progress=progress)
    assert seen
    assert all(p.startswith("out/.r.xlsx.") for p in seen)
    assert list(system.iterdir()) == []
    assert [p.name for p in folder.iterdir()] == ["r.xlsx"]
    assert tempfile.tempdir == str(system)


_SCRIPT = """
import errno, os, signal, sys
from ehcp_check import cli
from ehcp_check.report import xlsx
original = xlsx.write_workbook

def build(result, path, *, progress=None, **kw):
    def tick(done, total):
        if done >= 50:
            {action}
    return original(result, path, progress=tick, **kw)

xlsx.write_workbook = build
sys.argv = ["ehcp-check", "audit", "--as-of", "2025-06-30", "cases.csv", "-o", "out.xlsx"]
cli.main()
"""


def _many_cases(folder: Path, rows: int = 3000) -> None:
    lines = ["Case ref,Request date"] + [f"C-{i},01/03/2024" for i in range(rows)]
    (folder / "cases.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("action", "code", "message"),
    [
        (
            "os.kill(os.getpid(), signal.SIGTERM)",
            130,
            "ehcp-check: error: interrupted; no report file was left half-written.\n",
        ),
        (
            "os.kill(os.getpid(), signal.SIGINT)",
            130,
            "ehcp-check: error: interrupted; no report file was left half-written.\n",
        ),
        (
            "raise OSError(errno.ENOSPC, 'No space left on device')",
            2,
            "ehcp-check: error: cannot write out.xlsx: No space left on device.\n",
        ),
    ],
    ids=["sigterm", "sigint", "enospc"],
)
def test_interrupted_xlsx_write_leaves_nothing(
    tmp_path: Path, action: str, code: int, message: str
) -> None:
    _many_cases(tmp_path)
    system = tmp_path / "system-temp"
    system.mkdir()
    (tmp_path / "run.py").write_text(textwrap.dedent(_SCRIPT).replace("{action}", action))
    done = subprocess.run(
        [sys.executable, "run.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(system)},
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (code, message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.csv", "run.py", "system-temp"]
    assert list(system.iterdir()) == []


# ---------------------------------------------------------------- group 11: smaller ones


def test_timezone_warnings_never_print_cell_text(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        "Case ref,Request date\nC-1,01/03/2024\nC-2,4 March 2024 at 9am Pemberton\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load([path])
    assert not [w for w in caught if "Pemberton" in str(w.message)]
    done = subprocess.run(
        [sys.executable, "-m", "ehcp_check", "audit", "--as-of", "2025-06-30", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Pemberton" not in done.stderr
    assert "Warning" not in done.stderr


def test_unreadable_file_gets_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _cases_csv(tmp_path / "locked.csv")
    real_open = os.open

    def denied(file: object, *args: object, **kwargs: object) -> int:
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    monkeypatch.setattr(os, "open", denied)
    result = runner.invoke(app, ["audit", str(path)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"ehcp-check: error: {path} cannot be read: you do not have permission to open it.\n",
    )


def test_memory_exhaustion_is_a_plain_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    loading = importlib.import_module("ehcp_check.ingest.load")

    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(loading, "process_sheet", exhausted)
    path = _cases_csv(tmp_path / "cases.csv")
    result = runner.invoke(app, ["audit", "--limit", "rows=9000000", str(path)])
    assert (result.exit_code, result.stderr) == (
        2,
        "ehcp-check: error: ran out of memory reading or judging the cases; if you raised a "
        "--limit, lower it again, or split the file, or run on a machine with more memory.\n",
    )
