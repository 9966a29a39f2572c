"""metrics.py (empyrical-reloaded) against an independent computation by hand in numpy, and
real numbers of the snapshot pinned so a change of library or data shows up."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from babaresearch.errors import DataValidationError
from babaresearch.metrics import (TRADING_DAYS, drawdown_dates, monthly_returns,
                                  performance_metrics, rolling_volatility)


@pytest.fixture(scope="module")
def daily():
    from babaresearch import returns

    return returns(["BABA", "NVDA", "SPY"], "2023-01-04", "2025-12-31", source="snapshot")


def by_hand(r: np.ndarray, m: np.ndarray) -> dict[str, float]:
    """The textbook formulas, written out (no empyrical, no pandas)."""
    n = len(r)
    wealth = np.cumprod(1 + r)
    peak = np.maximum.accumulate(np.concatenate([[1.0], wealth]))[1:]
    downside = np.sqrt(np.mean(np.minimum(r, 0.0) ** 2)) * math.sqrt(TRADING_DAYS)
    return {
        "cagr": wealth[-1] ** (TRADING_DAYS / n) - 1,
        "annual_volatility": r.std(ddof=1) * math.sqrt(TRADING_DAYS),
        "sharpe": r.mean() / r.std(ddof=1) * math.sqrt(TRADING_DAYS),
        "sortino": r.mean() * TRADING_DAYS / downside,
        "max_drawdown": float(np.min(wealth / peak - 1)),
        "beta": float(np.mean((r - r.mean()) * (m - m.mean())) / np.var(m)),
        "correlation": float(np.corrcoef(r, m)[0, 1]),
    }


def test_metrics_match_the_formulas_by_hand(daily):
    table = performance_metrics(daily, "SPY").set_index("ticker")
    common = daily.dropna()
    for ticker in ("BABA", "NVDA"):
        expected = by_hand(common[ticker].to_numpy(), common["SPY"].to_numpy())
        for name, value in expected.items():
            assert table.loc[ticker, name] == pytest.approx(value, rel=1e-9), \
                f"{ticker} {name}: empyrical {table.loc[ticker, name]} vs by hand {value}"
    assert table.loc["SPY", "beta"] == pytest.approx(1.0) and table.loc["SPY", "correlation"] == pytest.approx(1.0)
    assert int(table.loc["BABA", "sessions"]) == len(common)


def test_real_numbers_of_the_snapshot(daily):
    table = performance_metrics(daily, "SPY").set_index("ticker")
    # 2023-01-04..2025-12-31 on the embedded snapshot: NVIDIA's boom, BABA's China beta
    assert table.loc["NVDA", "cagr"] > 1.0, "NVDA more than doubled each year on average"
    assert 0.3 < table.loc["BABA", "annual_volatility"] < 0.6
    assert table.loc["NVDA", "beta"] > table.loc["BABA", "beta"] > 0
    assert table.loc["SPY", "max_drawdown"] < -0.15, "the April 2025 sell-off"


def test_drawdown_dates_are_the_high_and_the_low():
    dates = pd.bdate_range("2025-01-06", periods=6)
    # wealth 1.10, 1.21, 0.605, 0.6655, 1.331, 1.4641: peak day 2, trough day 3, back on day 5
    r = pd.Series([0.10, 0.10, -0.50, 0.10, 1.0, 0.10], index=dates)
    depth, peak, trough, recovery = drawdown_dates(r)
    assert depth == pytest.approx(-0.5)
    assert (peak, trough, recovery) == (dates[1], dates[2], dates[4])
    falls = pd.Series([-0.10, -0.10], index=dates[:2])
    depth, peak, trough, recovery = drawdown_dates(falls)
    assert depth == pytest.approx(0.9 * 0.9 - 1) and trough == dates[1] and pd.isna(recovery)


def adj_closes(ticker: str) -> pd.Series:
    from babaresearch import closes

    return closes([ticker], source="snapshot")[ticker]


def test_monthly_returns_equal_month_end_closes(daily):
    table = monthly_returns(daily["BABA"])
    prices = adj_closes("BABA")
    month_end = prices.groupby([prices.index.year, prices.index.month]).last()
    expected = month_end.loc[(2024, 8)] / month_end.loc[(2024, 7)] - 1
    assert table.loc[2024, 8] == pytest.approx(expected, rel=1e-9), "Aug 2024 from the closes"
    assert list(table.columns) == list(range(1, 13)) and 2023 in table.index


def test_rolling_volatility_by_hand(daily):
    vol = rolling_volatility(daily[["BABA"]], window=21)
    assert daily["BABA"].iloc[0] == daily["BABA"].iloc[0], "returns() gives the first session a return"
    window = daily["BABA"].iloc[0:21].to_numpy()
    assert vol["BABA"].iloc[20] == pytest.approx(window.std(ddof=1) * math.sqrt(252), rel=1e-9)
    assert vol["BABA"].iloc[:20].isna().all(), "undefined until the window is full"


@pytest.mark.parametrize("bad, message", [
    ([1, 2], "expected a date x ticker DataFrame"),
    (pd.DataFrame({"A": ["x"]}), "returns must be numbers"),
    (pd.DataFrame({"A": [-1.5]}), "below -100%"),
])
def test_bad_input_is_a_typed_error(bad, message):
    with pytest.raises(DataValidationError, match=message):
        performance_metrics(bad, benchmark=None)


def test_unknown_benchmark_and_bad_window(daily):
    with pytest.raises(DataValidationError, match="QQQ"):
        performance_metrics(daily, "QQQ")
    with pytest.raises(DataValidationError, match="window"):
        rolling_volatility(daily, window=1)
