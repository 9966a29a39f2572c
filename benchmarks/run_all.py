"""Run every benchmark script in this folder, one fresh process each, and print their tables.

Usage: ``python benchmarks/run_all.py`` (or ``make benchmarks``). Benchmarks measure; they never
fail on a number. The figures measured on the development machine are quoted in README.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    status = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"=== {script.name}", flush=True)
        result = subprocess.run([sys.executable, str(script)], check=False)
        status = status or result.returncode
        print(flush=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
