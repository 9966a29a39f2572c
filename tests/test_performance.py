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


def test_frame_input_gives_one_value_per_ticker():
    frame = pd.DataFrame({"A": [100.0, 120.0, 90.0, 60.0, 110.0],
                          "B": [np.nan, 50.0, 55.0, np.nan, 44.0]}, index=DATES)
    assert total_return(frame).to_dict() == pytest.approx({"A": 0.10, "B": 44 / 50 - 1})
    assert max_drawdown(frame).to_dict() == pytest.approx({"A": -0.5, "B": 44 / 55 - 1})
    depth = drawdowns(frame)
    assert depth.shape == frame.shape and math.isnan(depth.loc[DATES[3], "B"]), (
        "a missing close stays missing in the underwater curve")
    assert total_return(frame.iloc[:, :0]).empty and max_drawdown(frame.iloc[:, :0]).empty


@pytest.mark.parametrize("bad, culprit", [
    (pd.Series([100.0, 0.0, 90.0], index=DATES[:3], name="BABA"), "BABA on 2025-01-03: close 0.0"),
    (pd.DataFrame({"NVDA": [1.0, -2.0]}, index=DATES[:2]), "NVDA on 2025-01-03: close -2.0"),
    (pd.Series(["1", "2"]), "closes: closes must be numbers"),
    (pd.Series([True, False]), "closes: closes must be numbers"),
    ([100.0, 110.0], "closes: expected a pandas Series"),
])
def test_bad_closes_raise_a_typed_error_naming_the_culprit(bad, culprit):
    from babaresearch.errors import DataValidationError

    for function in (total_return, drawdowns, max_drawdown, performance_summary):
        with pytest.raises(DataValidationError) as info:
            function(bad)
        assert str(info.value).startswith(culprit), (function.__name__, str(info.value))


def test_summary_of_a_series_and_of_no_common_session():
    summary = performance_summary(pd.Series([10.0, 5.0, 15.0], index=DATES[:3], name="BABA"))
    row = summary.iloc[0]
    assert row["ticker"] == "BABA" and row["total_return"] == pytest.approx(0.5)
    assert row["max_drawdown"] == pytest.approx(-0.5) and row["max_drawdown_date"] == DATES[1]
    disjoint = pd.DataFrame({"A": [1.0, np.nan], "B": [np.nan, 2.0]}, index=DATES[:2])
    empty = performance_summary(disjoint)
    assert empty["ticker"].tolist() == ["A", "B"] and empty["start"].isna().all()
    assert empty["total_return"].isna().all()


def test_check_summary_refuses_frames_that_are_not_summaries():
    from babaresearch.errors import DataValidationError
    from babaresearch.performance import SUMMARY_COLUMNS, check_summary

    with pytest.raises(DataValidationError, match="missing column\\(s\\) ticker, start, end"):
        check_summary(pd.DataFrame())
    with pytest.raises(DataValidationError, match="got NoneType"):
        check_summary(None)
    frame = pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    assert check_summary(frame) is frame
