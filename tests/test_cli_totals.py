"""The `totals` command, and what `audit` and `columns` do with a table of totals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ehcp_check import __version__
from ehcp_check.cli import app
from ehcp_check.ingest.totals import read_totals
from ehcp_check.report.totals_view import totals_document

runner = CliRunner()

REPLY = (
    "Northshire County Council: EHCP timeliness\n"
    ",,,,\n"
    "Quarter,Requests received,Final plans issued,Plans gone over the 20 week timescale,"
    "Data entry errors\n"
    'Q1 2019,"1,371",120,<5,2\n'
    "Q2 2019,300,130,40,0\n"
    'Total,"1,671",250,40,2\n'
)


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "80"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def reply(tmp_path: Path) -> Path:
    """The reply, named relative to the working folder so lines do not wrap."""
    (tmp_path / "reply.csv").write_text(REPLY, encoding="utf-8")
    return Path("reply.csv")


def test_terminal_view(tmp_path: Path) -> None:
    path = reply(tmp_path)
    code, out, err = run("totals", path)
    assert (code, err) == (0, "")
    lines = [line.rstrip() for line in out.splitlines()]
    assert lines == [
        f"{path}: periods in column A, measures on row 3; 2 periods, 7 figures",
        "Council: Northshire County Council",
        "Periods read as quarters: 1 Jan 2019 to 30 Jun 2019.",
        "",
        " Period    Requests   Issued   In 20w   Over 20w",
        " " + "\u2500" * 47,
        " Q1 2019      1,371      120                  <5",
        " Q2 2019        300      130      90\u2020         40",
        "",
        "\u2020 derived: plans issued minus plans over 20 weeks.",
        "A marker such as <5 is a suppressed count: never read as 0.",
        "Not understood (not read): 'Data entry errors' - name one with --map",
        '"HEADER=measure" or --map "HEADER=ignore".',
        "Left out: 'Total' (row 6).",
        "Data issues (1):",
        "  not-derived: Q1 2019: plans_issued_over_20_weeks is suppressed (<5), so plans",
        "within 20 weeks are not derived.",
    ]


def test_json_is_the_library_document(tmp_path: Path) -> None:
    path = reply(tmp_path)
    code, out, _ = run("totals", path, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc == json.loads(json.dumps(totals_document(read_totals([str(path)]))))
    assert (doc["schema"], doc["tool_version"]) == ("ehcp-check/totals/1", __version__)
    assert doc["rows"][0] == {
        "file": str(path), "sheet": None, "row": 4, "la": "Northshire County Council",
        "period": "Q1 2019", "period_kind": "quarter", "start": "2019-01-01",
        "end": "2019-03-31", "measure": "requests", "value": 1371, "suppressed": None,
        "derived": False, "column": "B",
    }  # fmt: skip
    suppressed = [r for r in doc["rows"] if r["suppressed"] == "<5"]
    assert [(r["measure"], r["value"]) for r in suppressed] == [
        ("plans_issued_over_20_weeks", None)
    ]
    assert doc["unknown_columns"] == ["Data entry errors"]
    assert doc["inputs"][0]["orientation"] == "periods-in-rows"
    assert [(i["code"], i["row"], i["excluded"]) for i in doc["issues"]] == [
        ("total-row", 6, True),
        ("not-derived", 4, False),
    ]


def test_csv_is_the_long_table(tmp_path: Path) -> None:
    path = reply(tmp_path)
    code, out, _ = run("totals", path, "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "file,sheet,row,la,period,period_kind,start,end,measure,value,suppressed,derived,column"
    )
    assert lines[1] == (
        f"{path},,4,Northshire County Council,Q1 2019,quarter,2019-01-01,2019-03-31,requests,"
        "1371,,False,B"
    )
    assert len(lines) == 1 + 7


def test_markdown(tmp_path: Path) -> None:
    code, out, _ = run("totals", reply(tmp_path), "--format", "markdown")
    assert code == 0
    assert "| Period | Requests | Issued | In 20w | Over 20w |" in out
    assert "| Q1 2019 | 1,371 | 120 |  | \\<5 |" in out
    assert "| Q2 2019 | 300 | 130 | 90\u2020 | 40 |" in out


def test_map_and_mapping_file(tmp_path: Path) -> None:
    path = reply(tmp_path)
    code, out, _ = run("totals", path, "--map", "Data entry errors=ignore", "--format", "json")
    assert code == 0
    assert json.loads(out)["unknown_columns"] == []
    toml = tmp_path / "m.toml"
    toml.write_text('[measures]\n"Final plans issued" = "plans_issued_excl"\n', encoding="utf-8")
    code, out, _ = run("totals", path, "--mapping-file", toml, "--format", "json")
    assert code == 0
    measures = {r["measure"] for r in json.loads(out)["rows"]}
    assert "plans_issued_excl" in measures
    assert "plans_issued" not in measures


def test_map_naming_no_header_exits_2(tmp_path: Path) -> None:
    code, out, err = run("totals", reply(tmp_path), "--map", "Late=plans_issued")
    assert (code, out) == (2, "")
    assert err.startswith(
        "ehcp-check: error: --map names 'Late', which is not a header of the table; its "
        "headers are: "
    )
    code, _, err = run("totals", reply(tmp_path), "--map", "Late=lateness")
    assert code == 2
    assert "unknown measure 'lateness'" in err


def test_totals_on_a_case_list_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("Case ref,Date request received\nC-1,2024-01-08\n", encoding="utf-8")
    code, out, err = run("totals", path)
    assert (code, out) == (2, "")
    assert err == (
        f"ehcp-check: error: {path} has no table of totals (period labels such as months, "
        "quarters or years with counts beside them); if it lists one row per case, read it "
        "with ehcp-check audit.\n"
    )


def test_audit_on_a_table_of_totals_exits_2_naming_the_command(tmp_path: Path) -> None:
    path = reply(tmp_path)
    code, out, err = run("audit", path)
    assert (code, out) == (2, "")
    assert err == (
        f"ehcp-check: error: {path} is a table of totals (counts per period), not a list of "
        f"cases with one row each; read it with: ehcp-check totals {path}\n"
    )


def test_columns_shows_how_a_totals_sheet_was_read(tmp_path: Path) -> None:
    path = reply(tmp_path)
    code, out, err = run("columns", path)
    assert (code, err) == (0, "")
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert f"{path}: periods in column A, measures on row 3; 2 periods, 7 figures" in lines
    assert "Requests received requests" in lines
    assert "Plans gone over the 20 week timescale plans_issued_over_20_weeks" in lines
    assert "Data entry errors not used" in lines
    code, out, _ = run("columns", path, "--format", "json")
    doc = json.loads(out)
    assert doc["sheets"] == []
    assert doc["totals"][0]["measures"]["Final plans issued"] == "plans_issued"


def test_columns_takes_a_measure_map(tmp_path: Path) -> None:
    code, out, _ = run(
        "columns", reply(tmp_path), "--map", "Data entry errors=plans_issued_excl", "--format",
        "json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["totals"][0]["measures"]["Data entry errors"] == "plans_issued_excl"


def test_library_names() -> None:
    import ehcp_check as ec

    assert ec.read_totals is read_totals
    assert "read_totals" in ec.__all__


def test_one_mapping_file_for_cases_and_totals(tmp_path: Path) -> None:
    toml = tmp_path / "council.toml"
    toml.write_text(
        '[columns]\n"Date rec\'d" = "request_date"\n[measures]\n"Data entry errors" = "ignore"\n',
        encoding="utf-8",
    )
    code, out, _ = run("columns", reply(tmp_path), "--mapping-file", toml, "--format", "json")
    assert code == 0
    assert json.loads(out)["totals"][0]["measures"]["Data entry errors"] == "ignore"
    code, out, _ = run("totals", reply(tmp_path), "--mapping-file", toml, "--format", "json")
    assert code == 0
    assert json.loads(out)["unknown_columns"] == []


# --- hostile files: the same readers and limits, the same one-sentence refusals --------------


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from hostile.make_hostile import build_corpus

    return build_corpus(tmp_path_factory.mktemp("hostile-totals"))


def _hostile_items() -> list[Any]:
    from hostile.make_hostile import CORPUS

    return [c for c in CORPUS if not c.bomb]


@pytest.mark.parametrize("item", _hostile_items(), ids=lambda c: c.name)
def test_totals_refuses_hostile_files_with_one_sentence(
    item: Any, hostile_corpus: dict[str, Path]
) -> None:
    path = hostile_corpus[item.name]
    result = runner.invoke(app, ["totals", str(path)])
    assert result.exit_code in {0, 2}, result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1
        assert lines[0].startswith("ehcp-check: error: ")
        assert not [p for p in ("C-1", "C-2", "passwd") if p in lines[0]]
