"""Time build_reports over every notebook (target: under 90 s on 2 cores).

Run: ``python benchmarks/bench_report.py [--docs DIR]``. Prints seconds per notebook and in
total. Timing lives here, never in the test suite.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 90.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default=None, help="documents folder passed as docs_dir")
    args = parser.parse_args()

    from babaresearch.report import build_reports

    lines: list[str] = []

    def progress(line: str) -> None:
        lines.append(line)
        print(line, flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-report-") as scratch:
        started = time.perf_counter()
        build_reports(Path(scratch) / "reports", docs=args.docs, progress=progress)
        total = time.perf_counter() - started
    print("\nnotebook                      seconds")
    for line in lines:
        match = re.match(r"\[\d+/\d+\] (\S+) \.\.\. ok \(([\d.]+) s\)", line)
        if match:
            print(f"{match.group(1):<28} {float(match.group(2)):8.1f}")
    verdict = "within" if total <= TARGET_SECONDS else "OVER"
    print(f"{'total (incl. index, commit)':<28} {total:8.1f}  ({verdict} the {TARGET_SECONDS:.0f} s target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
