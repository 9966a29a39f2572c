"""Benchmark of the event-study engine: vectorized numpy path vs one statsmodels OLS per event.

Run: ``python benchmarks/bench_events.py [--events 5000] [--loop-sample 250] [--seed 0]``

Draws N synthetic events (ticker x session) over the embedded price snapshot (falls back to a
synthetic returns panel of the same shape when prices.py is unavailable), with the default
250-session estimation window (-250, -11), market model vs SPY, window (-1, 1). The returns are
loaded once and passed as ``returns=`` so that both paths time the engine, not the CSV reader.

The statsmodels loop is timed on a random subsample (default 250 events) and extrapolated to N
events: the extra cost of the loop over the vectorized path on the subsample (the per-event OLS
fits) is scaled linearly to N and added to the vectorized time for N (the shared work: event
parsing, day-0 mapping, gathering, aggregates). The output says so. Both paths are then compared on that subsample
(max abs difference of every number in ``.summary``, ``.abnormal`` and ``.aggregate``).
Two speed-ups are printed: end to end (``event_study`` as a user calls it; both paths share
event parsing, day-0 mapping, gathering and the rank tests) and model fitting only (the step
the two methods implement differently, timed by wrapping the engine's fit functions).
Targets: vectorized under 1 s for 5,000 events, and at least 20x faster than the loop.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from babaresearch import events as events_module
from babaresearch.events import event_study

#: Engine settings of the benchmark (the defaults of event_study).
ESTIMATION = (-250, -11)
WINDOW = (-1, 1)
MIN_ESTIMATION = 120
#: Stocks drawn as event tickers; SPY is the benchmark.
EVENT_TICKERS = ("BABA", "NVDA", "QQQ", "FXI", "KWEB", "MCHI")
TARGET_SECONDS = 1.0
TARGET_SPEEDUP = 20.0


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


class FitTimer:
    """Wraps the engine's two fit functions to record how long each model fit took."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        for name in ("_fit_vectorized", "_fit_statsmodels"):
            setattr(events_module, name, self._wrap(name, getattr(events_module, name)))

    def _wrap(self, name, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            result = function(*args, **kwargs)
            self.seconds[name] = time.perf_counter() - start
            return result
        return wrapper


def max_abs_diff(a: pd.DataFrame, b: pd.DataFrame) -> float:
    """Largest absolute difference between the numeric columns of two same-shaped frames."""
    numeric = a.select_dtypes("number").columns
    diff = (a[numeric] - b[numeric]).abs().to_numpy()
    both_nan = a[numeric].isna().to_numpy() & b[numeric].isna().to_numpy()
    if (np.isnan(diff) & ~both_nan).any():
        return float("inf")  # NaN on one side only
    return float(np.nanmax(diff)) if diff.size else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--loop-sample", type=int, default=250)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    panel, origin = load_panel(args.seed)
    events = draw_events(panel, args.events, args.seed)
    settings = dict(returns=panel, window=WINDOW, estimation=ESTIMATION, min_estimation=MIN_ESTIMATION,
                    model="market", benchmark="SPY")
    fit_timer = FitTimer()
    event_study(events.iloc[:50], **settings)  # warm-up: imports, calendar build, scipy
    event_study(events.iloc[:50], method="statsmodels", **settings)  # warm-up: statsmodels import

    vec_seconds, vec = timed(lambda: event_study(events, method="vectorized", **settings), repeat=3)
    vec_fit_seconds = fit_timer.seconds["_fit_vectorized"]
    sample = events.sample(n=min(args.loop_sample, len(events)), random_state=args.seed)
    loop_seconds, loop = timed(lambda: event_study(sample, method="statsmodels", **settings), repeat=2)
    loop_fit_extrapolated = fit_timer.seconds["_fit_statsmodels"] * len(events) / len(sample)
    vec_sample_seconds, vec_sample = timed(
        lambda: event_study(sample, method="vectorized", **settings), repeat=3)
    fitting_per_event = max(loop_seconds - vec_sample_seconds, 0.0) / len(sample)
    loop_extrapolated = vec_seconds + fitting_per_event * len(events)
    diff = max(max_abs_diff(vec_sample.summary, loop.summary),
               max_abs_diff(vec_sample.abnormal, loop.abnormal),
               max_abs_diff(vec_sample.aggregate, loop.aggregate))
    speedup = loop_extrapolated / vec_seconds
    fit_speedup = loop_fit_extrapolated / vec_fit_seconds

    print(f"data: {origin}, {panel.shape[0]} sessions x {panel.shape[1]} tickers")
    print(f"events: {len(events)} (ok: {vec.n_ok}), market model vs SPY, estimation {ESTIMATION}, "
          f"window {WINDOW}")
    print()
    print(f"{'path':<44}{'events':>8}{'seconds':>12}")
    print(f"{'vectorized (best of 3)':<44}{len(events):>8}{vec_seconds:>12.3f}")
    print(f"{'vectorized on the subsample':<44}{len(sample):>8}{vec_sample_seconds:>12.3f}")
    print(f"{'statsmodels loop on the subsample (measured)':<44}{len(sample):>8}{loop_seconds:>12.3f}")
    print(f"{'statsmodels loop (EXTRAPOLATED, see below)':<44}{len(events):>8}{loop_extrapolated:>12.3f}")
    print(f"{'model fit only: vectorized':<44}{len(events):>8}{vec_fit_seconds:>12.3f}")
    print(f"{'model fit only: statsmodels (EXTRAPOLATED)':<44}{len(events):>8}{loop_fit_extrapolated:>12.3f}")
    print()
    print(f"extrapolation (end to end): vectorized time for {len(events)} + {len(events)} x "
          f"{1e3 * fitting_per_event:.2f} ms (loop minus vectorized per sampled event)")
    print(f"extrapolation (fit only): linear from the {len(sample)} sampled events")
    print()
    for label, ratio in (("end to end", speedup), ("model fit only", fit_speedup)):
        print(f"speed-up {label} (extrapolated loop / vectorized): {ratio:.1f}x "
              f"(target >= {TARGET_SPEEDUP:.0f}x: {'met' if ratio >= TARGET_SPEEDUP else 'MISSED'})")
    print(f"vectorized time target < {TARGET_SECONDS:.0f} s: "
          f"{'met' if vec_seconds < TARGET_SECONDS else 'MISSED'}")
    print(f"max abs difference, vectorized vs statsmodels on the {len(sample)} sampled events: {diff:.3e}")


if __name__ == "__main__":
    main()
