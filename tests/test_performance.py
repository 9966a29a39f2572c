"""Total return and drawdowns on tiny hand-built series (empyrical style), then on real data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from babaresearch.narrative import performance_findings
from babaresearch.performance import drawdowns, max_drawdown, performance_summary, total_return

DATES = pd.bdate_range("2025-01-02", periods=5)


def test_total_return_and_drawdown_by_hand():
    prices = pd.Series([100.0, 120.0, 90.0, 60.0, 110.0], index=DATES)
    assert total_return(prices) == pytest.approx(0.10)
    # running high 120, trough 60: half lost
    assert max_drawdown(prices) == pytest.approx(-0.5)
    assert list(drawdowns(prices).round(4)) == [0.0, 0.0, -0.25, -0.5, round(110 / 120 - 1, 4)]


def test_empty_one_value_and_nan_series():
    assert math.isnan(total_return(pd.Series([], dtype=float)))
    assert math.isnan(total_return(pd.Series([5.0])))
    assert max_drawdown(pd.Series([5.0])) == 0.0
    assert math.isnan(max_drawdown(pd.Series([], dtype=float)))
    with_gap = pd.Series([100.0, np.nan, 80.0], index=DATES[:3])
    assert total_return(with_gap) == pytest.approx(-0.2)


@given(st.lists(st.floats(min_value=0.01, max_value=1e6), min_size=2, max_size=50))
def test_properties(values):
    series = pd.Series(values)
    assert -1.0 < max_drawdown(series) <= 0.0
    assert total_return(series) == pytest.approx(values[-1] / values[0] - 1, rel=1e-12)
    assert (drawdowns(series) <= 1e-15).all()


def test_summary_uses_only_the_sessions_every_ticker_has():
    frame = pd.DataFrame({"A": [10.0, 11.0, 12.0, 6.0, 9.0],
                          "B": [np.nan, 20.0, 22.0, 24.0, np.nan]}, index=DATES)
    summary = performance_summary(frame).set_index("ticker")
    assert summary.loc["A", "start"] == DATES[1] and summary.loc["A", "end"] == DATES[3]
    assert summary.loc["A", "total_return"] == pytest.approx(6 / 11 - 1)
    assert summary.loc["A", "max_drawdown"] == pytest.approx(-0.5)
    assert summary.loc["A", "max_drawdown_date"] == DATES[3]
    assert summary.loc["B", "total_return"] == pytest.approx(0.2)


def test_findings_sentence_on_the_snapshot():
    from babaresearch import closes

    prices = closes(["BABA", "NVDA", "SPY"], "2023-01-03", "2025-09-29", source="snapshot")
    summary = performance_summary(prices)
    # independent route: raw closes from the CSV, no dividends in NVDA's range worth a percent
    raw = pd.read_csv("data/prices/NVDA.csv", index_col="date", parse_dates=True)["close"]
    raw_return = raw.loc["2025-09-29"] / raw.loc["2023-01-03"] - 1
    nvda = summary.set_index("ticker").loc["NVDA", "total_return"]
    assert nvda == pytest.approx(raw_return, abs=0.02), "NVDA's dividends are tiny: within 2 pp"
    text = performance_findings(summary)
    assert text.startswith("From 2023-01-03 to 2025-09-29 (the sessions every ticker has), NVDA returned")
    assert "the market (SPY) returned" in text
    assert performance_findings(summary.iloc[:0]) == "No company has prices over the common span."
