"""Timing of babaresearch.prices: import, cold and warm loads, cache write and read.

Run with ``python benchmarks/bench_prices.py``. Every "cold" number comes from a fresh
subprocess (nothing imported or parsed yet); "warm" numbers repeat a call in one process and
report the median. The cache measurements use a temporary BABARESEARCH_CACHE folder, never the
user's cache. Target: ``import babaresearch`` under 0.5 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

IMPORT_TARGET_SECONDS = 0.5
WARM_REPEATS = 20
TICKERS = ("BABA", "NVDA", "SPY", "QQQ", "KWEB", "FXI", "MCHI")


def _fresh(code: str, env: dict[str, str] | None = None) -> float:
    """Seconds reported by ``code`` (which prints one float) run in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, **(env or {})})
    return float(done.stdout.strip().splitlines()[-1])


def _median_seconds(call, repeats: int = WARM_REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    rows: list[tuple[str, float, str]] = []
    imports = [_fresh("import time; t = time.perf_counter(); import babaresearch; "
                      "print(time.perf_counter() - t)") for _ in range(5)]
    import_s = statistics.median(imports)
    rows.append(("import babaresearch (fresh process, median of 5)", import_s,
                 "ok" if import_s < IMPORT_TARGET_SECONDS else f"SLOW (> {IMPORT_TARGET_SECONDS} s)"))
    heavy = subprocess.run(
        [sys.executable, "-c", "import sys, babaresearch; from babaresearch import prices; "
         "print([m for m in ('yfinance', 'matplotlib', 'statsmodels') if m in sys.modules])"],
        capture_output=True, text=True, check=True).stdout.strip()
    rows.append(("heavy modules after importing prices", 0.0, heavy))

    tickers = repr(list(TICKERS))
    cold = _fresh("import time; from babaresearch import load_prices; t = time.perf_counter(); "
                  f"load_prices({tickers}, source='snapshot'); print(time.perf_counter() - t)")
    rows.append(("cold load, 7 tickers (first call, fresh process)", cold, "parse + validate + calendar"))

    from babaresearch import prices

    prices.load_prices(list(TICKERS), source="snapshot")
    rows.append(("warm load, 7 tickers (median)", _median_seconds(
        lambda: prices.load_prices(list(TICKERS), source="snapshot")), "parse cache hit"))
    rows.append(("warm returns(), 7 tickers (median)", _median_seconds(
        lambda: prices.returns(list(TICKERS), source="snapshot")), ""))

    with tempfile.TemporaryDirectory() as folder:
        os.environ["BABARESEARCH_CACHE"] = folder
        bars = prices.load_prices("BABA", source="snapshot")
        store = bars.rename(columns={"adj_close": "dividend"}).assign(dividend=0.0, split=0.0)
        store = store.loc[:, list(prices._STORE_COLUMNS)]

        def write() -> None:
            for path in os.listdir(folder):
                os.unlink(os.path.join(folder, path))
            prices._write_cache("BABA", store)

        rows.append(("cache write, BABA 946 rows (one atomic replace under the lock, median)", _median_seconds(write, 10), ""))
        cold_cache = _fresh("import time; from babaresearch import load_prices; "
                            "t = time.perf_counter(); load_prices('BABA', source='cache'); "
                            "print(time.perf_counter() - t)", env={"BABARESEARCH_CACHE": folder})
        rows.append(("cache read, BABA (first call, fresh process)", cold_cache, ""))
        prices.load_prices("BABA", source="cache")
        rows.append(("cache read, BABA (warm, median)", _median_seconds(
            lambda: prices.load_prices("BABA", source="cache")), ""))

    width = max(len(name) for name, _, _ in rows)
    print(f"{'measurement':<{width}}  {'ms':>9}  note")
    print("-" * (width + 30))
    for name, seconds, note in rows:
        value = f"{seconds * 1000:9.1f}" if seconds else f"{'':>9}"
        print(f"{name:<{width}}  {value}  {note}")
    return 0 if import_s < IMPORT_TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
