"""Time per KB of the text layer on hostile inputs (issue 11 item 4): every path must be linear.

Run: ``.venv/bin/python benchmarks/bench_hostile.py``. Prints, per input, the seconds for 10 KB
and 40 KB of text through dating and reading, and the ratio (about 4 means linear).
"""

from __future__ import annotations

import time

from babaresearch.dating import date_document
from babaresearch.reading import read_text

INPUTS = {
    "a run of digits": "1",
    "percent claims in one sentence": "13% ",
    "money claims in one sentence": "$1 billion ",
    "quarter labels": "Q1 2025 ",
    "dates": "Nov 25, 2025 ",
    "number words": "five ",
    "headline case": "How Stock Surges To Record ",
}


def run(unit: str, size: int) -> float:
    text = (unit * (size // len(unit) + 1))[:size]
    t0 = time.perf_counter()
    date_document(text)
    read_text(text)
    return time.perf_counter() - t0


def main() -> None:
    print(f"{'input':34} {'10 KB s':>8} {'40 KB s':>8} {'ratio':>6} {'ms/KB':>7}")
    for name, unit in INPUTS.items():
        small, large = run(unit, 10_000), run(unit, 40_000)
        print(f"{name:34} {small:8.2f} {large:8.2f} {large / max(small, 1e-6):6.1f} {large / 40 * 1000:7.1f}")


if __name__ == "__main__":
    main()
