"""Time the XLSX report writer alone on a synthetic caseload.

    python benchmarks/bench_xlsx.py                 # 100,000 cases, 3 runs
    python benchmarks/bench_xlsx.py --rows 10000 --runs 1

The cases are generated (fixed seed) and audited once; only :func:`write_xlsx` is timed
(median of the runs), so the figure is the writer's cost, not the audit's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import frame, write_csv  # noqa: E402

from ehcp_check.audit import audit  # noqa: E402
from ehcp_check.report.xlsx import write_xlsx  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "cases.csv"
        write_csv(frame(args.rows), src)
        result = audit([src], as_of=date(2025, 6, 30))
        times, cpu = [], []
        for i in range(args.runs):
            out = Path(tmp) / f"report-{i}.xlsx"
            start, start_cpu = time.perf_counter(), time.process_time()
            write_xlsx(result, out)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            size = out.stat().st_size
        print(
            f"{args.rows:,} cases: write_xlsx median {statistics.median(times):.2f} s wall, "
            f"{statistics.median(cpu):.2f} s CPU (runs: {', '.join(f'{t:.2f}' for t in times)}), "
            f"{size / 1e6:.1f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
