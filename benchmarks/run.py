"""Measure ehcp-check as whole processes, beside a bare read of the same file.

    python benchmarks/run.py            # 100k and 1M CSV rows, 100k XLSX rows, start-up
    python benchmarks/run.py --quick    # 100k CSV and 10k XLSX only

Prints, per input: median wall time of several runs, peak memory (max RSS, from
/usr/bin/time), and the ratio audit / bare read. The bare read imports pandas and reads the
file with the same engine ingest uses (pandas' C CSV parser with every cell as text;
python-calamine for workbooks). Files are generated once into benchmarks/data/ (ignored by
git) with a fixed seed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PY = sys.executable
EHCP = [PY, "-m", "ehcp_check"]

BARE_CSV = (
    "import sys, pandas as pd; "
    "pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False, engine='c')"
)
BARE_XLSX = (
    "import sys, pandas as pd; from python_calamine import CalamineWorkbook; "
    "wb = CalamineWorkbook.from_path(sys.argv[1]); "
    "[pd.DataFrame(wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names]"
)


@dataclass
class Measure:
    wall: float
    rss_mb: float


def timed(cmd: list[str], runs: int) -> Measure:
    """Median wall time and the largest peak RSS of ``runs`` runs of ``cmd``."""
    time_bin = shutil.which("time") or "/usr/bin/time"
    walls, peaks = [], []
    for _ in range(runs):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
            subprocess.run(
                [time_bin, "-f", "%e %M", "-o", tf.name, *cmd],
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            wall, rss = tf.read().split()[-2:]
        walls.append(float(wall))
        peaks.append(int(rss) / 1024)
    return Measure(statistics.median(walls), max(peaks))


def audit_command(path: Path, *extra: str) -> list[str]:
    """``ehcp-check audit`` of ``path`` to a JSON summary, as the table measures it."""
    return [
        *EHCP,
        "audit",
        str(path),
        "--as-of",
        "2025-06-30",
        "--format",
        "json",
        "--no-cases",
        "--exit-zero",
        *extra,
    ]


def ensure(rows: int, ext: str) -> Path:
    name = (
        f"cases-{rows // 1000}k.{ext}" if rows < 1_000_000 else f"cases-{rows // 1_000_000}m.{ext}"
    )
    path = DATA / name
    if not path.exists():
        subprocess.run(
            [PY, str(HERE / "generate.py"), "--rows", str(rows), "--out", str(path)], check=True
        )
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small inputs only")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    plan = (
        [(100_000, "csv"), (10_000, "xlsx")]
        if args.quick
        else [(100_000, "csv"), (1_000_000, "csv"), (100_000, "xlsx")]
    )
    print(f"{'input':<22}{'bare read':>12}{'audit':>10}{'ratio':>8}{'bare MB':>10}{'audit MB':>10}")
    for rows, ext in plan:
        path = ensure(rows, ext)
        bare = timed([PY, "-c", BARE_CSV if ext == "csv" else BARE_XLSX, str(path)], args.runs)
        audit = timed(audit_command(path), args.runs)
        print(
            f"{path.name:<22}{bare.wall:>11.2f}s{audit.wall:>9.2f}s{audit.wall / bare.wall:>7.2f}x"
            f"{bare.rss_mb:>10.0f}{audit.rss_mb:>10.0f}"
        )
    csv_1m = DATA / "cases-1m.csv"
    if csv_1m.exists() and not args.quick:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "cases.csv"
            with_csv = timed(audit_command(csv_1m, "-o", str(out), "--force"), args.runs)
        print(
            f"{'1M audit + per-case CSV':<22}{'':>12}{with_csv.wall:>9.2f}s{'':>8}{'':>10}"
            f"{with_csv.rss_mb:>10.0f}"
        )
    for label, cmd in (
        ("ehcp-check --help", [*EHCP, "--help"]),
        ("ehcp-check case", [*EHCP, "case", "--requested", "2024-01-01", "--final", "2024-05-21"]),
    ):
        m = timed(cmd, 5)
        print(f"{label:<22}{'':>12}{m.wall:>9.2f}s{'':>8}{'':>10}{m.rss_mb:>10.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
