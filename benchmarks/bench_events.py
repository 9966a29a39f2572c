"""Benchmark of the event-study engine: vectorized numpy path vs a per-event statsmodels loop.

Run: ``python benchmarks/bench_events.py [--events 5000] [--loop-sample 250] [--seed 0]``

Setup: N synthetic events (random ticker x session x bmo/amc timing) drawn over the embedded
price snapshot (a synthetic returns panel of the same shape when prices.py is unavailable),
market model vs SPY, the default 250-session estimation window (-250, -11), window (-1, 1).
The returns are loaded once and passed as ``returns=`` so that every path times the engine,
not the CSV reader. All times are wall-clock seconds, end to end (``event_study`` as a user
calls it: parsing the events, day 0, gathering, fitting, tests, building the three frames).

The "per-event statsmodels loop" is what an analyst would otherwise write: one statsmodels OLS
per event. It is timed two ways, both reported:

A. ``event_study(events, method="statsmodels")``: the engine's reference method, one
   ``statsmodels.OLS`` fit per event inside a Python loop, the rest shared with the vectorized
   path. MEASURED on all N events.
B. ``for each event: event_study(one_event_frame, method="statsmodels", returns=panel)``: the
   whole engine once per event (what a notebook loop over events does). Timed on a random
   subsample of ``--loop-sample`` events and EXTRAPOLATED linearly to N (the output says so).

Speed-up = loop time / vectorized time. Correctness: the max abs difference of every number
of ``.summary``, ``.abnormal`` and ``.aggregate`` between the vectorized path and A (all N
events), and of each event's CAR and t between the vectorized path and B (the subsample).
Targets: vectorized under 1 s for 5,000 events, at least 20x faster than the loop, the same
numbers (max abs difference under 1e-9).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from babaresearch.errors import EventStudyError
from babaresearch.events import event_study

#: Engine settings of the benchmark (the defaults of event_study).
ESTIMATION = (-250, -11)
WINDOW = (-1, 1)
MIN_ESTIMATION = 120
#: Stocks drawn as event tickers; SPY is the benchmark.
EVENT_TICKERS = ("BABA", "NVDA", "QQQ", "FXI", "KWEB", "MCHI")
TARGET_SECONDS = 1.0
TARGET_SPEEDUP = 20.0
TARGET_MAX_DIFF = 1e-9


def load_panel(seed: int) -> tuple[pd.DataFrame, str]:
    """Wide returns (date x ticker) from the snapshot, or a synthetic panel of the same shape."""
    try:
        from babaresearch.prices import returns

        panel = returns([*EVENT_TICKERS, "SPY"], adjusted=True, source="snapshot")
        return panel, "embedded snapshot"
    except Exception as exc:  # noqa: BLE001 - a benchmark should still run without prices.py
        rng = np.random.default_rng(seed)
        dates = pd.bdate_range("2023-01-03", "2026-10-07")
        market = rng.normal(0.0005, 0.011, len(dates))
        data = {"SPY": market}
        for i, ticker in enumerate(EVENT_TICKERS):
            data[ticker] = 0.0002 + (0.7 + 0.2 * i) * market + rng.normal(0, 0.02, len(dates))
        return pd.DataFrame(data, index=dates), f"synthetic panel ({type(exc).__name__}: {exc})"


def draw_events(panel: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` events with a full estimation history: random ticker, session and bmo/amc timing."""
    rng = np.random.default_rng(seed)
    first = -ESTIMATION[0] + 10
    positions = rng.integers(first, len(panel) - WINDOW[1] - 30, n)
    return pd.DataFrame({
        "ticker": rng.choice(EVENT_TICKERS, n),
        "event_date": panel.index[positions],
        "timing": rng.choice(["bmo", "amc"], n),
    })


def timed(function, repeat: int = 1):
    """Best wall time in seconds over ``repeat`` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def max_abs_diff(a: pd.DataFrame, b: pd.DataFrame) -> float:
    """Largest absolute difference between the numeric columns of two same-shaped frames
    (inf when a value is NaN on one side only)."""
    numeric = a.select_dtypes("number").columns
    diff = (a[numeric] - b[numeric]).abs().to_numpy(dtype=float)
    both_nan = a[numeric].isna().to_numpy() & b[numeric].isna().to_numpy()
    if (np.isnan(diff) & ~both_nan).any():
        return float("inf")
    return float(np.nanmax(diff)) if diff.size else 0.0


def per_event_loop(sample: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """Loop B: the whole engine once per event (statsmodels method): ``car, t, ok`` per event.

    A lone unusable event raises EventStudyError (no usable event): it is caught, as a loop
    in a notebook would, and recorded as not ok.
    """
    rows = []
    for i in range(len(sample)):
        try:
            row = event_study(sample.iloc[[i]], method="statsmodels", **settings).summary.iloc[0]
            rows.append((row["car"], row["t"], True))
        except EventStudyError:
            rows.append((np.nan, np.nan, False))
    return pd.DataFrame(rows, columns=["car", "t", "ok"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--loop-sample", type=int, default=250,
                        help="events timed in loop B (one event_study call each), extrapolated to --events")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    panel, origin = load_panel(args.seed)
    events = draw_events(panel, args.events, args.seed)
    settings = dict(returns=panel, window=WINDOW, estimation=ESTIMATION, min_estimation=MIN_ESTIMATION,
                    model="market", benchmark="SPY")
    event_study(events.iloc[:50], **settings)  # warm-up: imports, calendar, scipy
    event_study(events.iloc[:50], method="statsmodels", **settings)  # warm-up: statsmodels import

    n = len(events)
    vec_seconds, vec = timed(lambda: event_study(events, method="vectorized", **settings), repeat=5)
    engine_seconds, engine = timed(lambda: event_study(events, method="statsmodels", **settings), repeat=2)
    sample = events.sample(n=min(args.loop_sample, n), random_state=args.seed).sort_index()
    sample_seconds, single = timed(lambda: per_event_loop(sample, settings))
    per_event_seconds = sample_seconds * n / len(sample)

    diff_engine = max(max_abs_diff(vec.summary, engine.summary), max_abs_diff(vec.abnormal, engine.abnormal),
                      max_abs_diff(vec.aggregate, engine.aggregate))
    ok = single["ok"].to_numpy()
    vec_rows = vec.summary.iloc[sample.index.to_numpy()].reset_index(drop=True)
    diff_single = max_abs_diff(vec_rows.loc[ok, ["car", "t"]], single.loc[ok, ["car", "t"]])
    same_status = bool(((vec_rows["status"] == "ok").to_numpy() == ok).all())

    print(f"data: {origin}, {panel.shape[0]} sessions x {panel.shape[1]} tickers")
    print(f"events: {n} (ok: {vec.n_ok}), market model vs SPY, estimation {ESTIMATION}, window {WINDOW}")
    print()
    print(f"{'path (end to end, wall clock)':<58}{'events':>8}{'seconds':>10}{'speed-up':>10}")
    print(f"{'vectorized (best of 5)':<58}{n:>8}{vec_seconds:>10.3f}{'1.0x':>10}")
    print(f"{'A. event_study(method=statsmodels), MEASURED (best of 2)':<58}{n:>8}{engine_seconds:>10.3f}"
          f"{engine_seconds / vec_seconds:>9.1f}x")
    print(f"{'B. event_study per event, MEASURED on the subsample':<58}{len(sample):>8}{sample_seconds:>10.3f}")
    print(f"{'B. event_study per event, EXTRAPOLATED (linear)':<58}{n:>8}{per_event_seconds:>10.3f}"
          f"{per_event_seconds / vec_seconds:>9.1f}x")
    print()
    print(f"max abs difference, vectorized vs A (every number of summary/abnormal/aggregate, "
          f"{n} events): {diff_engine:.3e}")
    print(f"max abs difference, vectorized vs B (CAR and t of the {int(ok.sum())} ok sampled events): "
          f"{diff_single:.3e}; same ok/excluded split: {same_status}")
    print()
    for label, ratio in (("vs A (engine statsmodels method)", engine_seconds / vec_seconds),
                         ("vs B (per-event event_study loop)", per_event_seconds / vec_seconds)):
        print(f"speed-up {label}: {ratio:.1f}x (target >= {TARGET_SPEEDUP:.0f}x: "
              f"{'met' if ratio >= TARGET_SPEEDUP else 'MISSED'})")
    print(f"vectorized time target < {TARGET_SECONDS:.0f} s: {'met' if vec_seconds < TARGET_SECONDS else 'MISSED'}")
    same = max(diff_engine, diff_single) < TARGET_MAX_DIFF and same_status
    print(f"same numbers (max abs difference < {TARGET_MAX_DIFF:g}): {'met' if same else 'MISSED'}")


if __name__ == "__main__":
    main()
