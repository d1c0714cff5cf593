"""Start-up of the commands that must stay light: ``ehcp-check case`` and ``--help``.

    python benchmarks/bench_startup.py                # this checkout, 10 runs each
    python benchmarks/bench_startup.py --src DIR      # another copy of the package (e.g. an
                                                      # older commit: git archive REV ehcp_check)

Prints, per command, the median and fastest wall time of whole processes, and which of the
published-figures modules the process imported (none should be: they load lazily, only in
``council``, ``councils``, ``compare`` and an audit that knows its council).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

CASE = ["case", "--requested", "2024-01-01", "--final", "2024-05-21", "--as-of", "2025-01-01"]
LAZY = ("ehcp_check.published", "ehcp_check.council", "ehcp_check.compare", "ehcp_check.dfe")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: Runs the CLI from the package in sys.argv[1], past an editable install's import hook (so
#: two copies measure alike), then names the lazy modules it imported (on stderr).
RUN = (
    "import sys, runpy\n"
    "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f)]\n"
    "sys.path.insert(0, sys.argv[1]); sys.argv = ['ehcp-check', *sys.argv[2:]]\n"
    "try:\n    runpy.run_module('ehcp_check', run_name='__main__')\n"
    "except SystemExit:\n    pass\n"
    "import ehcp_check\n"
    f"print(ehcp_check.__file__, sorted(m for m in {LAZY!r} if m in sys.modules), "
    "file=sys.stderr)\n"
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--src", help="directory holding the ehcp_check package to measure")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    src = os.path.abspath(args.src or ROOT)
    for label, argv in (("case", CASE), ("--help", ["--help"])):
        walls = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", RUN, src, *argv],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            walls.append(time.perf_counter() - t0)
        probe = subprocess.run(
            [sys.executable, "-c", RUN, src, *argv],
            capture_output=True,
            text=True,
            check=False,
        )
        loaded = probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else "?"
        loaded = "package, lazy modules imported: " + loaded
        print(
            f"ehcp-check {label:<7} median {statistics.median(walls):.3f} s  "
            f"fastest {min(walls):.3f} s  ({args.runs} runs)\n    {loaded}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
