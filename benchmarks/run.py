"""Measure ehcp-check as whole processes, as ratios against a bare read in the same run.

    python benchmarks/run.py                 # every row of the table (about 15 min)
    python benchmarks/run.py --quick         # 100k CSV, 10k XLSX, start-up (about 1 min)
    python benchmarks/run.py --only case     # rows whose label contains "case"

Each row runs its command and its baseline as ``--pairs`` pairs (each pair in a random
order) and reports the median of the per-pair ratios of wall time (``ratio``) and of CPU
time, user + system (``cpu``, steadier on a busy machine), so a busy, shared machine moves
both sides of each ratio alike. Peak memory is the largest maximum resident set size. A
command that runs past ``--timeout`` seconds is stopped and shown as ``>T``. Inputs are
generated once into ``benchmarks/data/`` (ignored by git) with ``generate.py`` and a fixed
seed. ehcp_check is measured as ``pip install .`` lays it out, in a temporary virtual
environment that takes its dependencies from this one (:func:`regular_install`): compiled
bytecode, no editable-install finder. ``--checkout DIR`` measures another checkout's
package the same way (before / after).

Rows (baseline in brackets):

- audit, default terminal view, 1M and 3M CSV rows [bare ``pandas.read_csv``, all text];
- ``--format json`` with cases at 10k / 100k / 1M [the same run with ``--no-cases``];
- ``-o cases.csv``, 1M [the same run without it];
- worst-breaches terminal view, 1M [``--format json --no-cases``];
- 100k XLSX input, terminal view and ``--no-cases`` JSON [bare calamine read];
- ``ehcp-check case`` [``python -c "import numpy"``].
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import venv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PY = sys.executable

BARE_CSV = (
    "import sys, pandas as pd; "
    "pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, engine='c')"
)
BARE_XLSX = (
    "import sys, pandas as pd; from python_calamine import CalamineWorkbook; "
    "wb = CalamineWorkbook.from_path(sys.argv[1]); "
    "[pd.DataFrame(wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names]"
)
#: The environment every measured command runs in: that of a user (bytecode read from
#: the install's ``__pycache__``, nothing redirected).
ENV: dict[str, str] = {
    k: v
    for k, v in os.environ.items()
    if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "PYTHONPATH")
}
#: The interpreter of the measured install (set by :func:`regular_install`).
RUN_PY = PY
#: Where measured commands run: not the checkout, whose ``ehcp_check`` folder ``-m`` would
#: import instead of the install's.
RUN_DIR = HERE


def regular_install(folder: Path, checkout: Path = HERE.parent) -> None:
    """Measure ehcp_check as ``pip install .`` lays it out: a virtual environment whose
    site-packages holds the package with its compiled bytecode, and no editable-install
    finder (which an editable checkout loads at every start, about 10 ms); its
    dependencies are this environment's. Every command, baselines included, runs with
    that environment's interpreter, in ``folder``."""
    global RUN_PY, RUN_DIR
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(folder)
    python = folder / ("Scripts" if os.name == "nt" else "bin") / "python"
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = subprocess.run(
        [str(python), "-c", purelib], capture_output=True, text=True, check=True, env=ENV
    ).stdout.strip()
    (Path(site) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    package = Path(site) / "ehcp_check"
    shutil.copytree(checkout / "ehcp_check", package, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([str(python), "-m", "compileall", "-q", str(package)], check=True, env=ENV)
    RUN_PY, RUN_DIR = str(python), folder


def ehcp(*args: str) -> list[str]:
    return [RUN_PY, "-m", "ehcp_check", *args]


@dataclass
class Run:
    wall: float | None  # None: stopped at the timeout
    cpu: float  # user + system seconds
    rss_mb: float


def once(cmd: list[str], timeout: float) -> Run:
    """One run of ``cmd``: wall time, CPU time and peak RSS (``None`` wall when it ran
    past ``timeout`` and was stopped)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, cwd=RUN_DIR
    )
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    killed = proc.returncode < 0 and wall >= timeout
    # ru_maxrss is in kilobytes on Linux.
    return Run(None if killed else wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


@dataclass
class Row:
    label: str
    command: list[str]
    baseline: list[str]
    baseline_label: str
    target: str


def input_name(rows: int, ext: str) -> str:
    """The file name of the generated input of ``rows`` rows."""
    name = f"cases-{rows // 1000}k" if rows < 1_000_000 else f"cases-{rows // 1_000_000}m"
    return f"{name}.{ext}"


def ensure(rows: int, ext: str) -> Path:
    """The generated input of ``rows`` rows (made once)."""
    path = DATA / input_name(rows, ext)
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        subprocess.run(
            [PY, str(HERE / "generate.py"), "--rows", str(rows), "--out", str(path)], check=True
        )
    return path


def audit(path: Path, *extra: str) -> list[str]:
    """``ehcp-check audit`` of ``path`` with a fixed as-of date and exit 0."""
    return ehcp("audit", str(path), "--as-of", "2025-06-30", "--exit-zero", *extra)


def plan(quick: bool, out: Path) -> list[tuple[str, Callable[[], Row]]]:
    """The table's rows as (label, builder), each built lazily (so inputs are generated
    only for the rows measured)."""

    def bare(path: Path) -> list[str]:
        return [RUN_PY, "-c", BARE_CSV if path.suffix == ".csv" else BARE_XLSX, str(path)]

    def terminal(rows: int, ext: str = "csv") -> Row:
        p = ensure(rows, ext)
        big = ["--limit", "cells=100000000"] if rows > 2_000_000 else []
        return Row(f"audit {p.name} (terminal)", audit(p, *big), bare(p), "bare read", "")

    def no_cases_xlsx(rows: int) -> Row:
        p = ensure(rows, "xlsx")
        cmd = audit(p, "--format", "json", "--no-cases")
        return Row(f"audit {p.name} (json, no cases)", cmd, bare(p), "bare read", "")

    def with_cases(rows: int) -> Row:
        p = ensure(rows, "csv")
        return Row(
            f"json with cases {p.name}",
            audit(p, "--format", "json"),
            audit(p, "--format", "json", "--no-cases"),
            "--no-cases",
            "<= 1.5x",
        )

    def cases_csv(rows: int) -> Row:
        p = ensure(rows, "csv")
        base = audit(p, "--format", "json", "--no-cases")
        return Row(
            f"-o cases.csv {p.name}",
            [*base, "-o", str(out / "cases.csv"), "--force"],
            base,
            "without -o",
            "+<= 1.5 s/M",
        )

    def worst(rows: int) -> Row:
        p = ensure(rows, "csv")
        return Row(
            f"terminal view {p.name}",
            audit(p),
            audit(p, "--format", "json", "--no-cases"),
            "json --no-cases",
            "",
        )

    def case() -> Row:
        cmd = ehcp("case", "--requested", "2024-01-01", "--final", "2024-05-21")
        numpy = [RUN_PY, "-c", "import numpy"]
        return Row("ehcp-check case", cmd, numpy, "import numpy", "<= 1.6x")

    def terminal_label(rows: int, ext: str = "csv") -> str:
        return f"audit {input_name(rows, ext)} (terminal)"

    if quick:
        return [
            (terminal_label(100_000), lambda: terminal(100_000)),
            (f"json with cases {input_name(10_000, 'csv')}", lambda: with_cases(10_000)),
            (terminal_label(10_000, "xlsx"), lambda: terminal(10_000, "xlsx")),
            ("ehcp-check case", case),
        ]
    return [
        (terminal_label(1_000_000), lambda: terminal(1_000_000)),
        (terminal_label(3_000_000), lambda: terminal(3_000_000)),
        *(
            (f"json with cases {input_name(n, 'csv')}", lambda n=n: with_cases(n))
            for n in (10_000, 100_000, 1_000_000)
        ),
        (f"-o cases.csv {input_name(1_000_000, 'csv')}", lambda: cases_csv(1_000_000)),
        (f"terminal view {input_name(1_000_000, 'csv')}", lambda: worst(1_000_000)),
        (terminal_label(100_000, "xlsx"), lambda: terminal(100_000, "xlsx")),
        (
            f"audit {input_name(100_000, 'xlsx')} (json, no cases)",
            lambda: no_cases_xlsx(100_000),
        ),
        ("ehcp-check case", case),
    ]


def _median_ratio(top: list[Run], bottom: list[Run], cpu: bool = False) -> float | None:
    """Median of the per-round ratios (wall or CPU time); None if a run timed out."""
    if any(r.wall is None for r in top + bottom):
        return None
    return statistics.median(
        (t.cpu / b.cpu) if cpu else (t.wall or 0.0) / (b.wall or 1.0)
        for t, b in zip(top, bottom, strict=True)
        if (b.cpu if cpu else b.wall)
    )


def _times(
    commands: dict[str, list[str]], rounds: int, timeout: float, order: random.Random
) -> dict[str, list[Run]]:
    """``rounds`` runs of each command, each round in a random order (on a busy machine
    the run after another is not always as fast as the first); stops after a timeout."""
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(rounds):
        names = list(commands)
        order.shuffle(names)
        for name in names:
            runs[name].append(once(commands[name], timeout))
        if any(r[-1].wall is None for r in runs.values()):
            break  # one timeout is enough to know
    return runs


def _line(row: Row, runs: dict[str, list[Run]], timeout: float) -> str:
    """One row of the table (the "before" columns when ``runs`` has them)."""

    def med(name: str) -> str:
        walls = [r.wall for r in runs[name]]
        if any(w is None for w in walls):
            return f">{timeout:.0f}s"
        return f"{statistics.median(w for w in walls if w is not None):.2f}s"

    def ratio(top: str, bottom: str, cpu: bool = False) -> str:
        found = _median_ratio(runs[top], runs[bottom], cpu)
        return ">" if found is None else f"{found:.2f}x"

    mb = max((r.rss_mb for r in runs["run"]), default=0.0)
    line = (
        f"{row.label:<38}{row.baseline_label:>16}{med('base'):>9}{med('run'):>9}"
        f"{ratio('run', 'base'):>8}{ratio('run', 'base', cpu=True):>7}{mb:>7.0f}"
    )
    if "before" in runs:
        base = "before base" if "before base" in runs else "base"
        line += f"{med('before'):>9}{ratio('before', base):>8}{ratio('run', 'before'):>7}"
    return line


def _swap(command: list[str], python: str) -> list[str]:
    """``command`` run by another install's interpreter."""
    return [python if part == RUN_PY else part for part in command]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small inputs only")
    parser.add_argument("--pairs", type=int, default=3, help="rounds per row")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per run")
    parser.add_argument("--only", default="", help="rows whose label contains this text")
    parser.add_argument(
        "--checkout",
        type=Path,
        default=HERE.parent,
        help="measure the ehcp_check of another checkout",
    )
    parser.add_argument(
        "--against",
        type=Path,
        default=None,
        metavar="CHECKOUT",
        help="also run each command from CHECKOUT (before) in the same rounds, and show "
        "after / before",
    )
    args = parser.parse_args(argv)
    extra = f"{'before':>9}{'ratio':>8}{'a/b':>7}" if args.against else ""
    print(
        f"{'row':<38}{'baseline':>16}{'base':>9}{'run':>9}{'ratio':>8}{'cpu':>7}{'MB':>7}"
        f"{extra}  target"
    )
    with tempfile.TemporaryDirectory() as tmp:
        before_py = None
        if args.against is not None:
            regular_install(Path(tmp) / "before", args.against)
            before_py = RUN_PY
        regular_install(Path(tmp) / "install", args.checkout)
        order = random.Random(0)
        for label, build in plan(args.quick, Path(tmp)):
            if args.only not in label:
                continue
            row = build()
            commands = {"base": row.baseline, "run": row.command}
            if before_py is not None:
                # The same commands from the other install; a baseline that does not run
                # ehcp_check (a bare read) serves both.
                commands["before"] = _swap(row.command, before_py)
                if "ehcp_check" in row.baseline:
                    commands["before base"] = _swap(row.baseline, before_py)
            runs = _times(commands, args.pairs, args.timeout, order)
            line = _line(row, runs, args.timeout)
            print(f"{line}  {row.target}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
