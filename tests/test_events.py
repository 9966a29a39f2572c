"""Event-study engine: reference numbers, test statistics, statuses, errors, real events.

Every expected number is computed here by a different route than the engine's (numpy lstsq
and the matrix form of the prediction-error variance instead of closed-form masked sums;
scipy.stats.rankdata instead of pandas ranks; hand arithmetic for the tiny example).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from babaresearch.errors import EventStudyError, InvalidTickerError
from babaresearch.events import (
    ABNORMAL_COLUMNS,
    AGGREGATE_COLUMNS,
    STATUSES,
    SUMMARY_COLUMNS,
    EventStudyResult,
    event_study,
)

# A US-looking calendar: the NYSE sessions of 2024-2025 (holidays and the 2025-01-09 closure).
NYSE_HOLIDAYS_2024_2025 = [
    "2024-01-15", "2024-02-19", "2024-03-29", "2024-05-27", "2024-06-19", "2024-07-04",
    "2024-09-02", "2024-11-28", "2024-12-25", "2025-01-01", "2025-01-09", "2025-01-20",
    "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01",
    "2025-11-27", "2025-12-25",
]
NEW_YORK = "America/New_York"
SESSIONS = pd.DatetimeIndex(pd.bdate_range("2024-01-02", "2025-12-31", freq="C",
                                           holidays=NYSE_HOLIDAYS_2024_2025)).astype("datetime64[ns]")


def synthetic_returns(seed: int = 7, tickers=("AAA", "BBB", "CCC", "DDD"), betas=None) -> pd.DataFrame:
    """Market-model returns (decimal) for a few tickers plus SPY and QQQ on NYSE sessions."""
    rng = np.random.default_rng(seed)
    n = len(SESSIONS)
    market = rng.normal(0.0005, 0.01, n)
    data = {"SPY": market, "QQQ": 1.1 * market + rng.normal(0, 0.004, n)}
    betas = betas or [0.8 + 0.3 * i for i in range(len(tickers))]
    for ticker, beta in zip(tickers, betas, strict=True):
        data[ticker] = 0.0003 + beta * market + rng.normal(0, 0.015, n)
    return pd.DataFrame(data, index=SESSIONS)


def pos(date: str) -> int:
    return int(SESSIONS.get_loc(pd.Timestamp(date)))


def reference_market_event(y_est, x_est, y_win, x_win):
    """Independent market-model event: numpy lstsq and the CLM matrix form of var(CAR)."""
    design = np.column_stack([np.ones_like(x_est), x_est])
    theta, *_ = np.linalg.lstsq(design, y_est, rcond=None)
    resid = y_est - design @ theta
    n_est = y_est.size
    sigma2 = resid @ resid / (n_est - 2)
    design_win = np.column_stack([np.ones_like(x_win), x_win])
    expected = design_win @ theta
    ar = y_win - expected
    ones = np.ones(len(y_win))
    v = sigma2 * (np.eye(len(y_win)) + design_win @ np.linalg.inv(design.T @ design) @ design_win.T)
    var_car = ones @ v @ ones
    car = ar.sum()
    t = car / np.sqrt(var_car)
    r2 = 1 - resid @ resid / np.sum((y_est - y_est.mean()) ** 2)
    return {
        "alpha": theta[0], "beta": theta[1], "sigma": np.sqrt(sigma2), "ar": ar, "car": car,
        "var_car": var_car, "t": t, "p": 2 * stats.t.sf(abs(t), n_est - 2), "resid": resid,
        "bhar": np.prod(1 + y_win) - np.prod(1 + expected), "r2": r2, "n_est": n_est,
        "expected": expected,
    }


# ---------------------------------------------------------------------------------------------
# Reference numbers, one event
# ---------------------------------------------------------------------------------------------

def test_market_model_event_matches_lstsq_and_matrix_form():
    rets = synthetic_returns()
    p0 = pos("2025-03-03")
    result = event_study([{"ticker": "BBB", "event_date": "2025-03-03"}], returns=rets,
                         window=(-2, 3), estimation=(-120, -5), min_estimation=100)
    ref = reference_market_event(rets["BBB"].to_numpy()[p0 - 120:p0 - 4], rets["SPY"].to_numpy()[p0 - 120:p0 - 4],
                                 rets["BBB"].to_numpy()[p0 - 2:p0 + 4], rets["SPY"].to_numpy()[p0 - 2:p0 + 4])
    row = result.summary.iloc[0]
    assert row["status"] == "ok", row["detail"]
    assert row["n_est"] == 116 == ref["n_est"], "estimation window (-120, -5) has 116 sessions"
    for name in ("alpha", "beta", "sigma", "car", "t", "p", "bhar", "r2"):
        assert row[name] == pytest.approx(ref[name], rel=1e-10, abs=1e-13), f"{name} differs from lstsq"
    np.testing.assert_allclose(result.abnormal["ar"], ref["ar"], rtol=1e-10, atol=1e-14,
                               err_msg="daily abnormal returns differ from lstsq")
    np.testing.assert_allclose(result.abnormal["car"], np.cumsum(ref["ar"]), rtol=1e-10, atol=1e-14)
    assert result.abnormal["rel_day"].tolist() == [-2, -1, 0, 1, 2, 3]
    assert result.abnormal["date"].iloc[2] == pd.Timestamp("2025-03-03"), "day 0 misplaced"
    assert row["raw_return_day0"] == rets.loc["2025-03-03", "BBB"]
    # the prediction-error correction makes var(CAR) exceed the naive L * sigma^2
    assert ref["var_car"] > 6 * ref["sigma"] ** 2


def test_tiny_constant_mean_example_by_hand():
    """Constant mean with 5 estimation days: every number below is pen-and-paper arithmetic."""
    dates = SESSIONS[:12]
    stock = [0.0, 0.01, -0.01, 0.02, 0.0, -0.02, 0.0, 0.01, 0.03, 0.0, 0.0, 0.0]
    rets = pd.DataFrame({"XYZ": stock, "SPY": 0.001}, index=dates)
    result = event_study([{"ticker": "XYZ", "day0": dates[8]}], returns=rets, model="constant_mean",
                         window=(-1, 1), estimation=(-7, -3), min_estimation=4)
    row = result.summary.iloc[0]
    # estimation days: 0.01, -0.01, 0.02, 0.0, -0.02 -> mean 0, SSR 0.001, sigma^2 = 0.001/4
    assert row["alpha"] == pytest.approx(0.0, abs=1e-15), "mean of the estimation window"
    assert row["sigma"] == pytest.approx(np.sqrt(0.00025), rel=1e-12), "sigma uses ddof = 1"
    # window: 0.01, 0.03, 0.0 -> CAR 0.04; var = sigma^2 (L + L^2/T) = 0.00025 * (3 + 9/5) = 0.0012
    assert row["car"] == pytest.approx(0.04, rel=1e-12)
    assert row["t"] == pytest.approx(0.04 / np.sqrt(0.0012), rel=1e-12), "t = 1.1547 expected"
    assert row["t"] == pytest.approx(1.1547005, rel=1e-7)
    assert row["p"] == pytest.approx(2 * stats.t.sf(1.1547005383792515, 4), rel=1e-9), "dof = T - 1 = 4"
    assert row["bhar"] == pytest.approx(1.01 * 1.03 * 1.0 - 1.0, rel=1e-12), "BHAR vs constant mean 0"
    assert np.isnan(row["beta"]) and np.isnan(row["r2"]), "constant mean estimates no beta"


def test_market_adjusted_by_hand():
    dates = SESSIONS[:10]
    stock = np.array([0.0, 0.02, 0.01, -0.01, 0.03, 0.0, 0.05, -0.02, 0.0, 0.0])
    bench = np.array([0.0, 0.01, 0.01, 0.0, 0.01, 0.0, 0.01, -0.01, 0.0, 0.0])
    rets = pd.DataFrame({"XYZ": stock, "SPY": bench}, index=dates)
    result = event_study([{"ticker": "XYZ", "day0": dates[6]}], returns=rets, model="market_adjusted",
                         window=(0, 1), estimation=(-5, -2), min_estimation=4)
    row = result.summary.iloc[0]
    # estimation AR: 0.01, 0, -0.01, 0.02 -> mean 0.005, deviations 0.005, -0.005, -0.015, 0.015,
    # squares sum 0.0005; Brown & Warner (1985) variance around the mean, T - 1 = 3 -> 0.0005/3
    assert row["sigma"] == pytest.approx(np.sqrt(0.0005 / 3), rel=1e-12), \
        "market-adjusted sigma must be the demeaned sample sd with T - 1 (Brown & Warner 1985)"
    # window AR: 0.04, -0.01 -> CAR 0.03, var = 2 sigma^2 = 0.001/3 -> t = 0.03/0.018257 = 1.6432
    assert row["car"] == pytest.approx(0.03, rel=1e-12)
    assert row["t"] == pytest.approx(0.03 / np.sqrt(0.001 / 3), rel=1e-12)
    assert row["t"] == pytest.approx(1.6431677, rel=1e-7)
    assert row["p"] == pytest.approx(2 * stats.t.sf(0.03 / np.sqrt(0.001 / 3), 3), rel=1e-9), "dof = T - 1 = 3"
    assert row["bhar"] == pytest.approx(1.05 * 0.98 - 1.01 * 0.99, rel=1e-12), "BHAR vs benchmark"
    assert (row["alpha"], row["beta"]) == (0.0, 1.0)


# ---------------------------------------------------------------------------------------------
# Test statistics across events, worked example
# ---------------------------------------------------------------------------------------------

def test_cross_event_statistics_match_textbook_formulas():
    rets = synthetic_returns(seed=11)
    days0 = ["2024-04-01", "2024-07-15", "2024-10-14", "2025-02-03"]
    tickers = ["AAA", "BBB", "CCC", "DDD"]
    rets.loc[SESSIONS[pos(days0[2]) - 5], "CCC"] = np.nan  # dropped estimation days: relative
    rets.loc[SESSIONS[pos(days0[0]) - 5], "AAA"] = np.nan  # day -5 seen by 2 of 4 events,
    rets.loc[SESSIONS[pos(days0[3]) - 7], "DDD"] = np.nan  # day -7 by 3 of 4
    result = event_study([{"ticker": t, "event_date": d} for t, d in zip(tickers, days0, strict=True)],
                         returns=rets, window=(-1, 1), estimation=(-8, -2), min_estimation=5)
    assert (result.summary["status"] == "ok").all(), result.summary["detail"].tolist()
    assert result.summary["n_est"].tolist() == [6, 7, 6, 6], "the NaN days must be dropped from n_est"

    cars, scars, dofs, combined, resid_signs = [], [], [], [], []
    for ticker, day in zip(tickers, days0, strict=True):
        p0 = pos(day)
        y, x = rets[ticker].to_numpy()[p0 - 8:p0 - 1], rets["SPY"].to_numpy()[p0 - 8:p0 - 1]
        keep = np.isfinite(y)
        ref = reference_market_event(y[keep], x[keep], rets[ticker].to_numpy()[p0 - 1:p0 + 2],
                                     rets["SPY"].to_numpy()[p0 - 1:p0 + 2])
        cars.append(ref["car"])
        scars.append(ref["car"] / np.sqrt(ref["var_car"]))
        dofs.append(keep.sum() - 2)
        est = np.full(7, np.nan)
        est[keep] = ref["resid"]
        combined.append(np.concatenate([est, ref["ar"]]))
        resid_signs.append(np.mean(ref["resid"] > 0))
    cars, scars, dofs, combined = map(np.asarray, (cars, scars, dofs, combined))
    agg = result.aggregate.set_index("name")

    t_cs = cars.mean() / (cars.std(ddof=1) / 2)
    assert agg.loc["caar", "value"] == pytest.approx(cars.mean(), rel=1e-10)
    assert agg.loc["cross_sectional_t", "value"] == pytest.approx(t_cs, rel=1e-9), "Brown-Warner t"
    assert agg.loc["cross_sectional_t", "p_value"] == pytest.approx(2 * stats.t.sf(abs(t_cs), 3), rel=1e-8)
    patell = scars.sum() / np.sqrt(np.sum(dofs / (dofs - 2)))  # (T-2)/(T-4) per event
    assert agg.loc["patell_z", "value"] == pytest.approx(patell, rel=1e-9), "Patell Z"
    assert agg.loc["patell_z", "p_value"] == pytest.approx(2 * stats.norm.sf(abs(patell)), rel=1e-8)
    bmp = scars.mean() / (scars.std(ddof=1) / 2)
    assert agg.loc["bmp_t", "value"] == pytest.approx(bmp, rel=1e-9), "BMP t"

    # Corrado: ranks over the 7 + 3 days of each event, U = rank / (M_i + 1); each day's squared
    # mean rank weighted by its share of observed events n_t / N (Kolari & Pynnönen 2011)
    u = np.full(combined.shape, np.nan)
    for i, row in enumerate(combined):
        keep = np.isfinite(row)
        u[i, keep] = stats.rankdata(row[keep]) / (keep.sum() + 1)
    kbar = np.nanmean(u - 0.5, axis=0)
    observed = np.isfinite(u).sum(axis=0)
    assert sorted(observed.tolist()) == [2, 3] + [4] * 8, "two days with missing events expected"
    spread = np.sqrt(sum(n_t / 4 * k ** 2 for n_t, k in zip(observed, kbar, strict=True)) / 10)
    unweighted = np.sqrt(np.mean(kbar ** 2))
    assert abs(spread / unweighted - 1) > 1e-3, "the example must tell the weighted S from Corrado's"
    assert agg.loc["corrado_rank_day0", "value"] == pytest.approx(kbar[8] / spread, rel=1e-9), \
        "Corrado day 0: S must weight each day by n_t / N (Kolari & Pynnönen 2011)"
    assert agg.loc["corrado_rank_window", "value"] == pytest.approx(
        kbar[7:].sum() / (np.sqrt(3) * spread), rel=1e-9), "Cowan multi-day rank with weighted S"

    p_hat = np.mean(resid_signs)
    wins = np.sum(cars > 0)
    sign_z = (wins - 4 * p_hat) / np.sqrt(4 * p_hat * (1 - p_hat))
    assert agg.loc["generalized_sign_z", "value"] == pytest.approx(sign_z, rel=1e-9), "generalized sign"
    assert set(agg["n"]) == {4}
    assert list(result.aggregate.columns) == list(AGGREGATE_COLUMNS)
    assert agg.loc["aar_day0", "value"] == pytest.approx(combined[:, 8].mean(), rel=1e-10)


def test_one_event_gives_undefined_cross_sectional_statistics():
    result = event_study([{"ticker": "AAA", "event_date": "2025-06-02"}], returns=synthetic_returns(),
                         estimation=(-60, -5), min_estimation=40)
    agg = result.aggregate.set_index("name")
    assert np.isnan(agg.loc["cross_sectional_t", "value"]), "no cross-sectional spread with one event"
    assert np.isnan(agg.loc["bmp_t", "value"])
    scar = result.summary["t"].iloc[0]
    dof = result.summary["n_est"].iloc[0] - 2
    assert agg.loc["patell_z", "value"] == pytest.approx(scar / np.sqrt(dof / (dof - 2)), rel=1e-12)


# ---------------------------------------------------------------------------------------------
# Vectorized path == statsmodels path
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["market", "constant_mean", "market_adjusted"])
def test_vectorized_equals_statsmodels(model):
    rets = synthetic_returns(seed=3)
    rng = np.random.default_rng(5)
    holes = rng.integers(0, len(SESSIONS), 40)
    rets.iloc[holes, 2] = np.nan  # scattered missing days in AAA (some hit estimation windows)
    rets.iloc[holes[:10], 0] = np.nan  # and in SPY
    picks = rng.integers(200, len(SESSIONS) - 5, 30)
    events = [{"ticker": ["AAA", "BBB", "CCC", "DDD"][i % 4], "day0": SESSIONS[p],
               "benchmark": "QQQ" if i % 5 == 0 else None} for i, p in enumerate(picks)]
    kwargs = dict(returns=rets, model=model, window=(-2, 2), estimation=(-150, -6), min_estimation=100)
    fast = event_study(events, method="vectorized", **kwargs)
    slow = event_study(events, method="statsmodels", **kwargs)
    assert (fast.summary["status"] == "ok").sum() >= 20, "too few usable events to compare"
    pd.testing.assert_frame_equal(fast.summary, slow.summary, rtol=0, atol=1e-9,
                                  obj="summary, vectorized vs statsmodels")
    pd.testing.assert_frame_equal(fast.abnormal, slow.abnormal, rtol=0, atol=1e-9)
    pd.testing.assert_frame_equal(fast.aggregate, slow.aggregate, rtol=0, atol=1e-9)


# ---------------------------------------------------------------------------------------------
# Statuses and errors
# ---------------------------------------------------------------------------------------------

def test_every_bad_event_gets_its_status_and_is_left_out_of_aggregates():
    rets = synthetic_returns()
    rets.loc["2025-04-21", "AAA"] = np.nan            # a filler bar turned into NaN by load_prices
    rets.loc["2025-05-12", "SPY"] = np.nan            # benchmark hole
    rets.loc[:"2024-06-28", "DDD"] = np.nan           # DDD lists on 2024-07-01
    rets.iloc[pos("2025-08-01") - 40:pos("2025-08-01") - 5, rets.columns.get_loc("CCC")] = np.nan
    rets["FLAT"] = 0.0                                # a benchmark that never moves
    rets["STALE"] = 0.0                               # a stock whose price never moves
    rets = rets.drop(pd.Timestamp("2025-11-03"))      # a source without the 2025-11-03 session
    events = pd.DataFrame([
        {"ticker": "BBB", "event_date": "2025-03-03", "event_id": "good-1"},
        {"ticker": "CCC", "event_date": "2025-06-02", "event_id": "good-2"},
        {"ticker": "ZZZ", "event_date": "2025-03-03", "event_id": "unknown"},
        {"ticker": "AAA", "event_date": "2025-04-21", "event_id": "filler"},
        {"ticker": "BBB", "event_date": "2025-05-12", "event_id": "bench-hole"},
        {"ticker": "BBB", "event_date": "2025-03-03", "benchmark": "KWEB", "event_id": "no-bench-col"},
        {"ticker": "DDD", "event_date": "2024-08-01", "event_id": "short"},
        {"ticker": "CCC", "event_date": "2025-08-01", "event_id": "holes"},
        {"ticker": "AAA", "event_date": "2025-12-31", "event_id": "window-past-end"},
        {"ticker": "AAA", "event_date": "2026-03-02", "event_id": "after-data"},
        {"ticker": "AAA", "event_date": "2023-06-01", "event_id": "before-data"},
        {"ticker": "BBB", "event_date": "2025-03-03", "benchmark": "FLAT", "event_id": "flat-bench"},
        {"ticker": "STALE", "event_date": "2025-03-03", "event_id": "stale"},
        {"ticker": "AAA", "event_date": "2025-11-03", "event_id": "day0-absent"},
    ])
    result = event_study(events, returns=rets, estimation=(-120, -6), min_estimation=80)
    status = result.summary.set_index("event")["status"].to_dict()
    assert status == {
        "good-1": "ok", "good-2": "ok", "unknown": "unknownticker", "filler": "wdatamissing",
        "bench-hole": "nobenchmark", "no-bench-col": "nobenchmark", "short": "wrongspan",
        "holes": "wrongspan", "window-past-end": "outofrange", "after-data": "outofrange",
        "before-data": "outofrange", "flat-bench": "nobenchmark", "stale": "novariance",
        "day0-absent": "wdatamissing",
    }, "wrong status for a bad event"
    assert set(status.values()) == set(STATUSES)
    summary = result.summary.set_index("event")
    # 115 estimation sessions - 35 CCC holes - 1 SPY hole (2025-05-12) = 79 usable days
    assert summary.loc["holes", "n_est"] == 79, "NaN estimation days (stock or benchmark) are dropped and counted"
    assert "2025-04-21" in summary.loc["filler", "detail"]
    assert "2025-11-03 is absent" in summary.loc["day0-absent", "detail"], summary.loc["day0-absent", "detail"]
    assert "FLAT is flat" in summary.loc["flat-bench", "detail"]
    assert "fits STALE exactly" in summary.loc["stale", "detail"]
    bad = summary[summary["status"] != "ok"]
    assert bad["car"].isna().all() and (bad["detail"] != "").all(), "bad events must say why, with no numbers"
    assert summary.loc[summary["status"] == "ok", "car"].notna().all()
    assert set(result.abnormal["event"]) == {"good-1", "good-2"}, "only ok events in .abnormal"
    assert not result.abnormal[list(ABNORMAL_COLUMNS[4:])].drop(columns="bench_ret").isna().any().any()
    agg = result.aggregate.set_index("name")
    assert agg.loc["caar", "n"] == 2
    assert agg.loc["caar", "value"] == pytest.approx(summary.loc[["good-1", "good-2"], "car"].mean(), rel=1e-12)
    assert list(result.summary.columns) == list(SUMMARY_COLUMNS)
    assert list(result.abnormal.columns) == list(ABNORMAL_COLUMNS)


def test_constant_mean_does_not_need_the_benchmark():
    rets = synthetic_returns()
    result = event_study([{"ticker": "AAA", "event_date": "2025-03-03", "benchmark": "KWEB"}],
                         returns=rets, model="constant_mean", estimation=(-100, -6), min_estimation=60)
    assert result.summary["status"].iloc[0] == "ok"
    assert result.abnormal["bench_ret"].isna().all(), "benchmark absent: shown as NaN, not used"


def test_stock_used_as_its_own_benchmark_is_flagged():
    result = event_study([{"ticker": "AAA", "event_date": "2025-03-03"},
                          {"ticker": "SPY", "event_date": "2025-03-03"}],
                         returns=synthetic_returns(), estimation=(-100, -6), min_estimation=60)
    row = result.summary.iloc[1]
    assert (row["status"], row["detail"]) == ("nobenchmark", "benchmark SPY is the event's own ticker")


def test_post_event_estimation_and_window_without_day0():
    rets = synthetic_returns()
    p0 = pos("2025-03-03")
    result = event_study([{"ticker": "CCC", "event_date": "2025-03-03"}], returns=rets,
                         window=(1, 3), estimation=(10, 130), min_estimation=100)
    ref = reference_market_event(rets["CCC"].to_numpy()[p0 + 10:p0 + 131], rets["SPY"].to_numpy()[p0 + 10:p0 + 131],
                                 rets["CCC"].to_numpy()[p0 + 1:p0 + 4], rets["SPY"].to_numpy()[p0 + 1:p0 + 4])
    row = result.summary.iloc[0]
    assert row["car"] == pytest.approx(ref["car"], rel=1e-10) and row["t"] == pytest.approx(ref["t"], rel=1e-10)
    assert row["raw_return_day0"] == rets.loc["2025-03-03", "CCC"], "day-0 return reported even outside the window"
    names = set(result.aggregate["name"])
    assert "corrado_rank_day0" not in names and "aar_day0" not in names, "day 0 is not in the window"
    assert "corrado_rank_window" in names


def test_no_usable_event_raises_with_the_reason():
    with pytest.raises(EventStudyError, match="unknownticker"):
        event_study([{"ticker": "ZZZ", "event_date": "2025-03-03"}], returns=synthetic_returns())


@pytest.mark.parametrize("kwargs, message", [
    (dict(window=(-5, 5), estimation=(-100, -3)), "overlaps"),
    (dict(window=(2, -2)), "reversed"),
    (dict(estimation=(-11, -250)), "reversed"),
    (dict(window=(0.5, 1)), "pair of integers"),
    (dict(window=None), "pair of integers"),
    (dict(model="fama_french"), "unknown model"),
    (dict(method="gpu"), "unknown method"),
    (dict(min_estimation=4), "min_estimation"),
    (dict(min_estimation=500), "exceeds"),
])
def test_bad_settings_raise(kwargs, message):
    with pytest.raises(EventStudyError, match=message):
        event_study([{"ticker": "AAA", "event_date": "2025-03-03"}], returns=synthetic_returns(), **kwargs)


@pytest.mark.parametrize("events, message", [
    ([], "no events"),
    (pd.DataFrame(columns=["ticker", "event_date"]), "no events"),
    ([{"event_date": "2025-03-03"}], "'ticker'"),
    ([{"ticker": "AAA"}], "event_date"),
    ([{"ticker": "AAA", "event_date": "not a date"}], "row 0 \\(AAA\\)"),
    ([{"ticker": "AAA", "event_date": None}], "neither"),
    ([{"ticker": "AAA", "event_date": "2025-03-03", "timing": "lunch"}], "timing"),
    ("AAA", "DataFrame"),
    ([1, 2], "list of dicts"),
])
def test_malformed_events_raise(events, message):
    with pytest.raises(EventStudyError, match=message):
        event_study(events, returns=synthetic_returns())


def test_path_like_ticker_is_rejected():
    with pytest.raises(InvalidTickerError, match="row 0"):
        event_study([{"ticker": "../etc", "event_date": "2025-03-03"}], returns=synthetic_returns())


def test_bad_returns_frame_raises():
    rets = synthetic_returns()
    with pytest.raises(EventStudyError, match="repeated date"):
        event_study([{"ticker": "AAA", "event_date": "2025-03-03"}], returns=pd.concat([rets, rets.iloc[:1]]))
    with pytest.raises(EventStudyError, match="DataFrame"):
        event_study([{"ticker": "AAA", "event_date": "2025-03-03"}], returns=rets["AAA"])
    with pytest.raises(EventStudyError, match="empty"):
        event_study([{"ticker": "AAA", "event_date": "2025-03-03"}], returns=rets.iloc[:0])


# ---------------------------------------------------------------------------------------------
# Day 0, labels, plot
# ---------------------------------------------------------------------------------------------

def test_day0_follows_timing_and_calendar():
    rets = synthetic_returns()
    events = [
        {"ticker": "AAA", "event_date": "2025-02-28", "timing": "amc", "label": "fri-amc"},   # -> Mon 03-03
        {"ticker": "AAA", "event_date": "2025-02-28", "timing": "bmo", "label": "fri-bmo"},   # -> Fri
        {"ticker": "AAA", "event_date": "2025-04-18", "label": "good-friday"},                 # holiday -> Mon 04-21
        {"ticker": "AAA", "event_date": "2025-01-09", "timing": "intraday", "label": "closure"},  # -> 01-10
        {"ticker": "AAA", "event_date": pd.Timestamp("2025-03-04 16:30", tz="America/New_York"),
         "timing": "bmo", "label": "after-close-stamp"},                                         # -> 03-05
        {"ticker": "AAA", "event_date": "2025-02-28", "day0": "2025-03-06", "label": "given"},
    ]
    result = event_study(events, returns=rets, estimation=(-100, -6), min_estimation=60)
    day0 = result.summary.set_index("event")["day0"].dt.strftime("%Y-%m-%d").to_dict()
    assert day0 == {"fri-amc": "2025-03-03", "fri-bmo": "2025-02-28", "good-friday": "2025-04-21",
                    "closure": "2025-01-10", "after-close-stamp": "2025-03-05", "given": "2025-03-06"}
    assert result.summary["event_date"].iloc[4] == pd.Timestamp("2025-03-04"), "local date kept"
    first = result.abnormal[result.abnormal["event"] == "fri-amc"]
    assert first["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-02-28", "2025-03-03", "2025-03-04"]


def test_default_labels_are_unique():
    rets = synthetic_returns()
    events = [{"ticker": "aaa", "event_date": "2025-03-03"}, {"ticker": "AAA", "event_date": "2025-03-03"}]
    result = event_study(events, returns=rets, estimation=(-100, -6), min_estimation=60)
    assert result.summary["event"].tolist() == ["AAA 2025-03-03", "AAA 2025-03-03 #2"]
    assert result.summary["ticker"].tolist() == ["AAA", "AAA"], "tickers are normalised"


def test_plot_draws_mean_car_with_band():
    import matplotlib.pyplot as plt

    rets = synthetic_returns()
    events = [{"ticker": t, "event_date": d} for t in ("AAA", "BBB", "CCC")
              for d in ("2025-03-03", "2025-06-02", "2025-09-02")]
    result = event_study(events, returns=rets, estimation=(-100, -6), min_estimation=60)
    assert isinstance(result, EventStudyResult)
    path = result.mean_car_path()
    by_day = result.abnormal.groupby("rel_day")["car"]
    half = stats.t.ppf(0.975, 8) * by_day.std(ddof=1) / 3
    np.testing.assert_allclose(path["upper"] - path["mean_car"], half, rtol=1e-10)
    narrow = result.mean_car_path(confidence=0.9)
    np.testing.assert_allclose(narrow["upper"] - narrow["mean_car"],
                               stats.t.ppf(0.95, 8) * by_day.std(ddof=1) / 3, rtol=1e-10,
                               err_msg="a 90% band uses t(0.95, n-1)")
    pd.testing.assert_series_equal(narrow["mean_car"], path["mean_car"])
    for bad in (0.0, 1.0, True, "0.9"):
        with pytest.raises(EventStudyError, match="confidence"):
            result.mean_car_path(confidence=bad)
    ax = result.plot()
    assert len(ax.lines) >= 1 and ax.collections, "mean line and band expected"
    np.testing.assert_allclose(ax.lines[0].get_ydata(), 100 * path["mean_car"].to_numpy())
    plt.close(ax.figure)


# ---------------------------------------------------------------------------------------------
# Real data (needs prices.py and the embedded snapshot)
# ---------------------------------------------------------------------------------------------

def total_returns_from_csv(ticker: str) -> pd.Series:
    """Total returns straight from the snapshot CSV, ``(close_t + dividend_t) / close_{t-1} - 1``.

    A different route from prices.returns (which back-adjusts closes): the two agree to a few
    basis points around dividends and exactly elsewhere.
    """
    from babaresearch.resources import data_dir

    bars = pd.read_csv(data_dir() / "prices" / f"{ticker}.csv", parse_dates=["date"]).set_index("date")
    return (bars["close"] + bars["dividend"].fillna(0.0)) / bars["close"].shift(1) - 1.0


def test_baba_2025_08_29_earnings_event_against_spy():
    prices = pytest.importorskip("babaresearch.prices", reason="prices.py not written yet")
    result = event_study([{"ticker": "BABA", "event_date": "2025-08-29", "timing": "bmo"}],
                         benchmark="SPY", source="snapshot")
    row = result.summary.iloc[0]
    assert row["status"] == "ok", row["detail"]
    assert row["day0"] == pd.Timestamp("2025-08-29")
    assert row["raw_return_day0"] == pytest.approx(135.00 / 119.57 - 1, abs=1e-9), "BABA closed 119.57 -> 135.00"
    assert row["raw_return_day0"] == pytest.approx(0.1290, abs=5e-5)
    assert row["n_est"] == 240, "250 - 11 + 1 sessions, none missing"
    # Same returns, independent fit (lstsq + matrix form): identical to rounding.
    rets = prices.returns(["BABA", "SPY"], adjusted=True, source="snapshot")
    p0 = rets.index.get_loc(pd.Timestamp("2025-08-29"))
    ref = reference_market_event(rets["BABA"].to_numpy()[p0 - 250:p0 - 10], rets["SPY"].to_numpy()[p0 - 250:p0 - 10],
                                 rets["BABA"].to_numpy()[p0 - 1:p0 + 2], rets["SPY"].to_numpy()[p0 - 1:p0 + 2])
    assert row["car"] == pytest.approx(ref["car"], rel=1e-10)
    assert row["t"] == pytest.approx(ref["t"], rel=1e-10)
    # Returns rebuilt from the raw CSV closes and dividends: same to a few 1e-5.
    raw = pd.DataFrame({"BABA": total_returns_from_csv("BABA"), "SPY": total_returns_from_csv("SPY")})
    q0 = raw.index.get_loc(pd.Timestamp("2025-08-29"))
    alt = reference_market_event(raw["BABA"].to_numpy()[q0 - 250:q0 - 10], raw["SPY"].to_numpy()[q0 - 250:q0 - 10],
                                 raw["BABA"].to_numpy()[q0 - 1:q0 + 2], raw["SPY"].to_numpy()[q0 - 1:q0 + 2])
    assert row["car"] == pytest.approx(alt["car"], abs=5e-5), "CAR differs from the raw-CSV computation"
    assert row["t"] == pytest.approx(alt["t"], abs=1e-3)
    # Pinned: CAR(-1, +1) = +13.55% (day 0 AR +13.17%), t = 2.735 on 238 dof, beta 0.737.
    assert row["car"] == pytest.approx(0.1355, abs=2e-4)
    assert row["t"] == pytest.approx(2.735, abs=5e-3)
    assert row["beta"] == pytest.approx(0.737, abs=2e-3)
    day0 = result.abnormal.set_index("rel_day").loc[0]
    assert day0["ar"] == pytest.approx(0.1317, abs=2e-4)


def test_all_earnings_events_of_the_snapshot():
    pytest.importorskip("babaresearch.prices", reason="prices.py not written yet")
    earnings = pytest.importorskip("babaresearch.earnings", reason="earnings.py not written yet")
    calendar = earnings.earnings_calendar()
    events = pd.DataFrame({
        "ticker": calendar["ticker"], "event_date": calendar["release_date"],
        "timing": calendar["release_time"],
        "event_id": calendar["ticker"] + " " + calendar["fiscal_period"],
    })
    assert (calendar["ticker"].value_counts().to_dict()) == {"NVDA": 15, "BABA": 12}
    result = event_study(events, benchmark="SPY", source="snapshot")
    summary = result.summary.set_index("event")
    # The snapshot starts on 2023-01-03: NVIDIA's first two releases have too short a history.
    short = summary[summary["status"] != "ok"]
    assert short["status"].to_dict() == {"NVDA FY2023Q4": "wrongspan", "NVDA FY2024Q1": "wrongspan"}
    assert short["n_est"].tolist() == [24, 88], "sessions of estimation history before each release"
    assert summary.loc["NVDA FY2027Q2", "day0"] == pd.Timestamp("2026-08-27"), "amc 2026-08-26 -> next session"
    assert summary.loc["BABA FY2026Q1", "car"] == pytest.approx(0.1355, abs=2e-4)
    assert result.aggregate.set_index("name").loc["caar", "n"] == 25
    assert (summary["day0"] == calendar.set_index(summary.index)["day0"]).all(), \
        "day 0 disagrees with earnings_calendar's own day0"
    # A shorter estimation window fits inside the snapshot for all 27 releases.
    shorter = event_study(events, benchmark="SPY", source="snapshot", estimation=(-60, -11), min_estimation=20)
    assert (shorter.summary["status"] == "ok").all(), shorter.summary.loc[shorter.summary["status"] != "ok", "detail"]


# ---------------------------------------------------------------------------------------------
# eventstats edge cases
# ---------------------------------------------------------------------------------------------

def test_standardized_ranks_average_ties_and_skip_missing():
    from babaresearch.eventstats import standardized_ranks

    got = standardized_ranks(np.array([[0.0, 0.0, 0.01, np.nan]]))
    np.testing.assert_allclose(got, [[1.5 / 4, 1.5 / 4, 3 / 4, np.nan]], err_msg="ties share the average rank")


def test_average_ranks_equal_scipy_rankdata_with_ties_and_nans():
    from babaresearch.eventstats import average_ranks

    rng = np.random.default_rng(2)
    values = rng.integers(-3, 4, size=(50, 30)).astype(float) / 100  # many ties
    values[rng.random(values.shape) < 0.1] = np.nan
    expected = np.full(values.shape, np.nan)
    for i, row in enumerate(values):
        keep = ~np.isnan(row)
        expected[i, keep] = stats.rankdata(row[keep])
    np.testing.assert_array_equal(average_ranks(values), expected, err_msg="rank of ties or NaN wrong")


def test_day0_equals_calendars_event_day0_on_every_day():
    calendars = pytest.importorskip("babaresearch.calendars", reason="calendars.py not written yet")
    days = pd.date_range("2024-03-01", "2025-10-31", freq="D")
    events = pd.DataFrame({"ticker": "AAA", "event_date": np.tile(days, 3),
                           "timing": np.repeat(["bmo", "amc", "intraday"], len(days))})
    result = event_study(events, returns=synthetic_returns(), estimation=(-40, -3), min_estimation=20)
    expected = [calendars.event_day0(d, t) for d, t in zip(events["event_date"], events["timing"], strict=True)]
    assert result.summary["day0"].tolist() == expected, "vectorized day 0 disagrees with event_day0"


def test_statistics_of_no_events_are_nan():
    from babaresearch import eventstats as es

    empty = np.array([])
    for stat, p, n in (es.cross_sectional_t(empty), es.patell_z(empty, empty), es.bmp_t(empty),
                       es.generalized_sign_z(empty, np.empty((0, 5))),
                       es.corrado_rank(np.empty((0, 8)), [7])):
        assert np.isnan(stat) and np.isnan(p) and n == 0


def _install_first_source_bars(cache, ticker: str) -> None:
    """``ticker``'s 2026-04 bars as the first source had them (the filler bar of 2026-04-20 and
    the placeholder volume of 04-17, put back from data/repairs.csv), as a cache file whose
    split basis is later than the snapshot's, so it wins those dates."""
    import hashlib
    import json

    from babaresearch import prices
    from babaresearch.resources import resource

    bars = prices.load_prices(ticker, "2026-04-01", "2026-04-30", source="snapshot", filler="keep")
    bars = bars.drop(columns=["ticker", "adj_close"]).assign(dividend=0.0, split=0.0)
    bars["volume"] = bars["volume"].astype("float64")
    repairs = pd.read_csv(resource("repairs.csv"), dtype=str)
    for row in repairs[repairs["ticker"] == ticker].itertuples():
        bars.loc[bars["date"] == pd.Timestamp(row.date), row.column] = float(row.old_value)
    body = bars.to_csv(index=False).encode()
    note = {"format": 2, "ticker": ticker, "split_adjusted_through": "2026-12-31",
            "sha256": hashlib.sha256(body).hexdigest()}
    (cache / f"{ticker}.csv").write_bytes(b"#babaresearch-cache " + json.dumps(note).encode()
                                          + b"\n" + body)


def test_real_data_statuses_filler_bar_unknown_ticker_and_end_of_data(isolated_cache, monkeypatch):
    pytest.importorskip("babaresearch.prices", reason="prices.py not written yet")
    from babaresearch import prices

    def refuse(*args, **kwargs):
        raise AssertionError("this event study must not go live")
    monkeypatch.setattr(prices, "_yf_history", refuse)
    for ticker in ("SPY", "FXI"):  # the snapshot's filler bars were repaired; put them back
        _install_first_source_bars(isolated_cache, ticker)
    events = [
        {"ticker": "BABA", "event_date": "2026-04-20", "event_id": "spy-filler"},      # SPY filler bar
        {"ticker": "FXI", "event_date": "2026-04-20", "benchmark": "QQQ", "event_id": "fxi-filler"},
        {"ticker": "ZZZZ", "event_date": "2025-08-29", "event_id": "unknown"},
        {"ticker": "BABA", "event_date": "2025-08-29", "event_id": "ok"},
    ]
    result = event_study(events, source="auto")
    summary = result.summary.set_index("event")
    assert summary["status"].to_dict() == {"spy-filler": "nobenchmark", "fxi-filler": "wdatamissing",
                                           "unknown": "unknownticker", "ok": "ok"}
    assert "2026-04-20" in summary.loc["spy-filler", "detail"], "the filler day must be named"
    assert "2026-04-20" in summary.loc["fxi-filler", "detail"]
    assert "ZZZZ" in summary.loc["unknown", "detail"]
    # the snapshot as vendored: the repaired bars make both events measurable
    repaired = event_study(events[:2], source="snapshot").summary.set_index("event")
    assert repaired["status"].to_dict() == {"spy-filler": "ok", "fxi-filler": "ok"}
    # KWEB, like every snapshot ticker, ends 2026-10-09
    ended = event_study([{"ticker": "KWEB", "event_date": "2026-10-13", "event_id": "kweb-ended"},
                         {"ticker": "BABA", "event_date": "2025-08-29", "event_id": "ok"}],
                        source="snapshot").summary.set_index("event")
    assert ended.loc["kweb-ended", "status"] == "outofrange"
    assert "2026-10-09" in ended.loc["kweb-ended", "detail"]


# ---------------------------------------------------------------------------------------------
# Vectorized internals against naive per-event references
# ---------------------------------------------------------------------------------------------

def naive_slice(values: np.ndarray, column: int, p0: int, lo: int, hi: int) -> np.ndarray:
    """values[p0 + lo .. p0 + hi, column], one row at a time, NaN outside the data or for column -1."""
    out = np.full(hi - lo + 1, np.nan)
    for k, row in enumerate(range(p0 + lo, p0 + hi + 1)):
        if column >= 0 and 0 <= row < values.shape[0]:
            out[k] = values[row, column]
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_window_gathering_equals_naive_slices_on_random_panels_with_nans(seed):
    from babaresearch.events import _Windows

    rng = np.random.default_rng(seed)
    n_dates, n_tickers, n_events = 60, 4, 200
    values = rng.normal(0, 0.01, (n_dates, n_tickers))
    values[rng.random(values.shape) < 0.15] = np.nan
    values[:10, 3] = np.nan  # a late listing
    spans = [(-3, 2), (-25, -4), (1, 7)]
    # day 0 anywhere, including the first and last rows and n_dates (an unplaced event)
    p0 = rng.integers(0, n_dates + 1, n_events)
    p0[:3] = [0, n_dates - 1, n_dates]
    stock = rng.integers(-1, n_tickers, n_events)  # -1: unknown ticker
    bench = rng.integers(-1, n_tickers, n_events)
    windows = _Windows(values, spans)
    for lo, hi in spans:
        got = windows.take(stock, p0, (lo, hi))
        expected = np.array([naive_slice(values, c, p, lo, hi) for c, p in zip(stock, p0, strict=True)])
        np.testing.assert_array_equal(got, expected, err_msg=f"gathered window {(lo, hi)} differs from a plain slice")
        for also in (None, bench):
            counts = windows.finite_counts(stock, also, p0, (lo, hi))
            other = expected if also is None else np.array(
                [naive_slice(values, c, p, lo, hi) for c, p in zip(also, p0, strict=True)])
            naive = (np.isfinite(expected) & np.isfinite(other)).sum(axis=1)
            np.testing.assert_array_equal(counts, naive, err_msg="usable-day counts differ from counting the slices")


def test_gathered_panel_equals_naive_per_event_slices():
    from babaresearch import events as ev

    rets = synthetic_returns(seed=9)
    rng = np.random.default_rng(9)
    rets = rets.mask(rng.random(rets.shape) < 0.05)  # scattered NaN in every ticker, SPY too
    picks = rng.integers(0, len(SESSIONS), 80)
    events = pd.DataFrame({"ticker": rng.choice(["AAA", "BBB", "CCC", "ZZZ"], 80),
                           "day0": SESSIONS[picks], "benchmark": rng.choice(["SPY", "QQQ"], 80)})
    window, estimation = (-2, 1), (-60, -5)
    table = ev._coerce_events(events, "SPY")
    returns = ev._clean_returns(rets)
    day0, notes = ev._map_day0(table)
    status, _, n_est, panel, _, _, _ = ev._gather(table, returns, day0, notes, {}, window, estimation,
                                                  "market", 30)
    values = returns.to_numpy()
    cols = {t: i for i, t in enumerate(returns.columns)}
    y_est, x_est, usable = panel.estimation_returns()
    ok_rows = np.flatnonzero(status == "ok")
    assert 20 <= ok_rows.size < 80, "the random panel should give both usable and excluded events"
    for k, row in enumerate(ok_rows):
        p = int(SESSIONS.get_loc(events["day0"].iat[row]))
        s, b = cols[events["ticker"].iat[row]], cols[events["benchmark"].iat[row]]
        ys, xs = naive_slice(values, s, p, *estimation), naive_slice(values, b, p, *estimation)
        np.testing.assert_array_equal(y_est[k], ys)
        np.testing.assert_array_equal(x_est[k], xs)
        np.testing.assert_array_equal(usable[k], np.isfinite(ys) & np.isfinite(xs))
        np.testing.assert_array_equal(panel.y_win[k], naive_slice(values, s, p, *window))
        assert panel.n_est[k] == n_est[row] == usable[k].sum(), "n_est is the number of usable days"
    assert (status[events["ticker"].to_numpy() == "ZZZ"] == "unknownticker").all()


def test_fit_and_ranks_do_not_depend_on_the_block_size(monkeypatch):
    """Blocks of 7 events (many blocks, NaN days) give the very same numbers as one block."""
    from babaresearch import events as ev, eventstats as es

    rets = synthetic_returns(seed=4)
    rng = np.random.default_rng(4)
    rets = rets.mask(rng.random(rets.shape) < 0.03)
    picks = rng.integers(150, len(SESSIONS) - 5, 60)
    events = [{"ticker": ["AAA", "BBB", "CCC", "DDD"][i % 4], "day0": SESSIONS[p]} for i, p in enumerate(picks)]
    kwargs = dict(returns=rets, window=(-2, 2), estimation=(-120, -6), min_estimation=80)
    one_block = event_study(events, **kwargs)
    monkeypatch.setattr(ev, "_BLOCK_EVENTS", 7)
    monkeypatch.setattr(es, "_RANK_BLOCK_ROWS", 5)
    small_blocks = event_study(events, **kwargs)
    reference = event_study(events, method="statsmodels", **kwargs)
    assert one_block.n_ok >= 40
    for name in ("summary", "abnormal", "aggregate"):
        pd.testing.assert_frame_equal(getattr(small_blocks, name), getattr(one_block, name), check_exact=True,
                                      obj=f"{name} with blocks of 7 events")
        pd.testing.assert_frame_equal(getattr(small_blocks, name), getattr(reference, name), rtol=0, atol=1e-9,
                                      obj=f"{name}, blocks vs statsmodels")


def test_centred_ranks_and_joint_rank_tests_equal_scipy_and_single_tests(monkeypatch):
    from babaresearch import eventstats as es

    monkeypatch.setattr(es, "_RANK_BLOCK_ROWS", 8)  # several blocks
    rng = np.random.default_rng(12)
    values = rng.integers(-4, 5, size=(30, 25)).astype(float) / 100  # many ties
    values[rng.random(values.shape) < 0.1] = np.nan
    values[3, 4] = -0.0  # -0.0 ties with 0.0
    values[5, :3] = np.inf  # +inf present: the NaN -> +inf shortcut must not be taken in that block
    expected = np.full(values.shape, np.nan)
    for i, row in enumerate(values):
        keep = ~np.isnan(row)
        expected[i, keep] = stats.rankdata(row[keep]) / (np.isfinite(row).sum() + 1) - 0.5
    got = es.centred_ranks(values)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-15, err_msg="centred ranks differ from scipy")
    np.testing.assert_array_equal(es.average_ranks(values)[~np.isnan(values)],
                                  np.concatenate([stats.rankdata(r[~np.isnan(r)]) for r in values]))
    sets = [[20], [20, 21, 22], list(range(25))]
    joint = es.corrado_rank_tests(values, sets)
    for columns, result in zip(sets, joint, strict=True):
        assert result == es.corrado_rank(values, columns), "joint rank tests must equal one test at a time"
    empty = es.corrado_rank_tests(np.empty((0, 5)), [[1], [2]])
    assert len(empty) == 2 and all(np.isnan(s) and np.isnan(p) and n == 0 for s, p, n in empty), \
        "no events: one NaN result per test set"


def test_column_wise_event_parsing_equals_cell_by_cell_inputs():
    """A typed datetime column, strings, Timestamps in dicts and tz-aware stamps give the same study."""
    rets = synthetic_returns()
    days = SESSIONS[300:340]
    timing = np.where(np.arange(40) % 3 == 0, "amc", "bmo")
    tickers = np.array(["AAA", "bbb ", "CCC", "AAA"] * 10)
    typed = pd.DataFrame({"ticker": tickers, "event_date": days, "timing": timing})
    strings = typed.assign(event_date=days.strftime("%Y-%m-%d"))
    dicts = [{"ticker": t, "event_date": pd.Timestamp(d), "timing": m}
             for t, d, m in zip(tickers, days, timing, strict=True)]
    kwargs = dict(returns=rets, estimation=(-100, -6), min_estimation=60)
    reference = event_study(typed, **kwargs)
    for other in (strings, dicts):
        pd.testing.assert_frame_equal(event_study(other, **kwargs).summary, reference.summary, check_exact=True)
    assert reference.summary["ticker"].iloc[1] == "BBB", "tickers normalised per distinct value"
    # tz-aware typed column: 17:00 New York is after the close, so bmo rolls to the next session
    pytest.importorskip("babaresearch.calendars", reason="calendars.py places timestamps with a time of day")
    stamps = pd.DataFrame({
        "ticker": ["AAA", "AAA"], "timing": ["bmo", "bmo"],
        "event_date": pd.to_datetime(["2025-03-04 17:00", "2025-03-04 00:00"]).tz_localize(NEW_YORK),
    })
    day0 = event_study(stamps, **kwargs).summary["day0"].dt.strftime("%Y-%m-%d").tolist()
    assert day0 == ["2025-03-05", "2025-03-04"], "a New York time of day is placed by the close; midnight is a date"



def test_labels_ids_and_repeats_are_numbered_in_row_order():
    rets = synthetic_returns()
    events = pd.DataFrame({
        "ticker": ["AAA"] * 6,
        "event_date": ["2025-03-03"] * 6,
        "event_id": [None, 1, None, "x", None, np.nan],
        "label": [None, None, "lab", None, None, "lab"],
    })
    names = event_study(events, returns=rets, estimation=(-100, -6), min_estimation=60).summary["event"].tolist()
    assert names == ["AAA 2025-03-03", "1", "lab", "x", "AAA 2025-03-03 #2", "lab #2"], \
        "event_id, then label, then 'TICKER date'; repeats numbered in row order"
    mixed = [{"ticker": "AAA", "event_date": "2025-03-03", "event_id": v} for v in (1, 1.0, True)]
    names = event_study(mixed, returns=rets, estimation=(-100, -6), min_estimation=60).summary["event"].tolist()
    assert names == ["1", "1.0", "True"], "1, 1.0 and True are equal in Python but distinct ids"


@pytest.mark.parametrize("tickers, row", [([None, "AAA"], 0), (["AAA", None], 1), (["AAA", "a/b", None], 1),
                                          (["AAA", np.nan], 1)])
def test_missing_or_bad_ticker_names_its_first_row(tickers, row):
    events = pd.DataFrame({"ticker": tickers, "event_date": "2025-03-03"})
    with pytest.raises(InvalidTickerError, match=f"event row {row}"):
        event_study(events, returns=synthetic_returns())


def test_centred_ranks_writes_into_out_and_rejects_a_wrong_buffer():
    from babaresearch.eventstats import centred_ranks

    values = np.array([[0.02, -0.01, np.nan, 0.0]])
    out = np.empty((1, 4))
    assert centred_ranks(values, out=out) is out
    np.testing.assert_array_equal(out, [[3 / 4 - 0.5, 1 / 4 - 0.5, np.nan, 2 / 4 - 0.5]])
    with pytest.raises(ValueError, match="C-contiguous"):
        centred_ranks(values, out=np.empty((4, 1)))
    with pytest.raises(ValueError, match="C-contiguous"):
        centred_ranks(np.zeros((2, 3)), out=np.empty((3, 2)).T)


# ---------------------------------------------------------------------------------------------
# Day 0 never moves silently; degenerate fits are excluded, not NaN
# ---------------------------------------------------------------------------------------------

def test_day0_session_absent_from_the_returns_is_flagged_not_moved():
    rets = synthetic_returns()
    gappy = rets.drop(pd.Timestamp("2025-03-03"))  # e.g. returns.dropna() after a hole that day
    events = [{"ticker": "AAA", "event_date": "2025-03-03", "event_id": "absent"},
              {"ticker": "AAA", "day0": "2025-03-01", "event_id": "saturday"},  # day0 on no session
              {"ticker": "AAA", "event_date": "2025-03-10", "event_id": "fine"}]
    result = event_study(events, returns=gappy, estimation=(-100, -6), min_estimation=60)
    summary = result.summary.set_index("event")
    assert summary["status"].to_dict() == {"absent": "wdatamissing", "saturday": "wdatamissing", "fine": "ok"}, \
        "an event whose day 0 has no row must not slide to the next row and stay ok"
    assert summary.loc["absent", "detail"] == ("day 0 session 2025-03-03 is absent from the returns data "
                                               "(its rows jump from 2025-02-28 to 2025-03-04)")
    assert "2025-03-01" in summary.loc["saturday", "detail"]
    assert summary.loc["absent", "day0"] == pd.Timestamp("2025-03-03"), "day 0 shown is the placed session"
    assert np.isnan(summary.loc["absent", "raw_return_day0"]), "the next row's return is not day 0's"
    assert set(result.abnormal["event"]) == {"fine"}
    # the same event on the complete returns is fine, and day 0 is 2025-03-03 there
    full = event_study(events[:1], returns=rets, estimation=(-100, -6), min_estimation=60).summary.iloc[0]
    assert (full["status"], full["day0"]) == ("ok", pd.Timestamp("2025-03-03"))
    assert full["raw_return_day0"] == rets.loc["2025-03-03", "AAA"]


def test_day0_before_the_tickers_first_return_is_out_of_range():
    rets = synthetic_returns()
    rets.loc[:"2024-06-28", "DDD"] = np.nan  # first DDD return on Monday 2024-07-01
    events = [{"ticker": "DDD", "day0": "2024-06-29", "event_id": "saturday-before-listing"},
              {"ticker": "AAA", "event_date": "2025-03-03", "event_id": "fine"}]
    result = event_study(events, returns=rets, window=(0, 1), estimation=(-100, -6), min_estimation=60)
    row = result.summary.set_index("event").loc["saturday-before-listing"]
    assert row["status"] == "outofrange" and row["detail"].startswith("day 0 outside DDD's data"), row["detail"]


@pytest.mark.parametrize("method", ["vectorized", "statsmodels"])
def test_flat_benchmark_and_zero_residual_variance_are_excluded_with_a_reason(method):
    rets = synthetic_returns()
    rets["FLAT"] = 0.0004                                    # constant benchmark: beta is 0/0
    rets["CLONE"] = 0.0001 + 1.5 * rets["SPY"]               # explained exactly by the market model
    rets["STALE"] = 0.001                                    # constant return: constant mean fits exactly
    rets["TRACKER"] = rets["SPY"] + 0.0002                   # AR = R - Rm is a constant
    kwargs = dict(returns=rets, estimation=(-100, -6), min_estimation=60, method=method)
    market = event_study([{"ticker": "AAA", "event_date": "2025-03-03", "benchmark": "FLAT", "event_id": "flat"},
                          {"ticker": "CLONE", "event_date": "2025-03-03", "event_id": "clone"},
                          {"ticker": "AAA", "event_date": "2025-03-03", "event_id": "a"},
                          {"ticker": "BBB", "event_date": "2025-06-02", "event_id": "b"}], **kwargs)
    summary = market.summary.set_index("event")
    assert summary["status"].to_dict() == {"flat": "nobenchmark", "clone": "novariance", "a": "ok", "b": "ok"}
    first_day, last_day = SESSIONS[pos("2025-03-03") - 100].date(), SESSIONS[pos("2025-03-03") - 6].date()
    assert (first_day, last_day) == (pd.Timestamp("2024-10-04").date(), pd.Timestamp("2025-02-21").date())
    flat_detail = summary.loc["flat", "detail"]
    assert flat_detail.startswith(f"benchmark FLAT is flat (constant return) over the estimation window "
                                  f"{first_day}..{last_day}"), flat_detail
    assert "fits CLONE exactly" in summary.loc["clone", "detail"]
    assert market.aggregate["value"].notna().all(), "a degenerate event must not turn every aggregate into NaN"
    assert market.aggregate.set_index("name").loc["caar", "n"] == 2
    # the aggregates equal a study of the two good events alone
    alone = event_study([{"ticker": "AAA", "event_date": "2025-03-03", "event_id": "a"},
                         {"ticker": "BBB", "event_date": "2025-06-02", "event_id": "b"}], **kwargs)
    pd.testing.assert_frame_equal(market.aggregate, alone.aggregate, rtol=0, atol=1e-12)
    pd.testing.assert_frame_equal(market.abnormal, alone.abnormal, check_exact=True)
    assert list(market.extras["var_car"].index) == ["a", "b"]

    stale = event_study([{"ticker": "STALE", "event_date": "2025-03-03"},
                         {"ticker": "AAA", "event_date": "2025-03-03"}], model="constant_mean", **kwargs).summary
    assert stale["status"].tolist() == ["novariance", "ok"], "constant returns fit the constant mean exactly"
    tracker = event_study([{"ticker": "TRACKER", "event_date": "2025-03-03"},
                           {"ticker": "AAA", "event_date": "2025-03-03"}], model="market_adjusted", **kwargs).summary
    assert tracker["status"].tolist() == ["novariance", "ok"], "a constant AR has zero variance around its mean"
    with pytest.raises(EventStudyError, match="nobenchmark"):
        event_study([{"ticker": "AAA", "event_date": "2025-03-03", "benchmark": "FLAT"}], **kwargs)


# ---------------------------------------------------------------------------------------------
# More events than one block; tz-aware instants; behaviour under the null
# ---------------------------------------------------------------------------------------------

def test_more_events_than_one_block_through_the_default_blocking(monkeypatch):
    """1,300 events: three fit blocks of 512 (the last partial) and three rank blocks."""
    from babaresearch import events as ev, eventstats as es

    assert ev._BLOCK_EVENTS == 512 and es._RANK_BLOCK_ROWS == 512, "defaults changed: resize this test"
    rets = synthetic_returns(seed=21)
    rng = np.random.default_rng(21)
    rets = rets.mask(rng.random(rets.shape) < 0.01)
    picks = rng.integers(160, len(SESSIONS) - 5, 1300)
    events = pd.DataFrame({"ticker": rng.choice(["AAA", "BBB", "CCC", "DDD"], 1300), "day0": SESSIONS[picks]})
    kwargs = dict(returns=rets, window=(-2, 2), estimation=(-150, -6), min_estimation=100)
    blocked = event_study(events, **kwargs)
    assert blocked.n_ok > 2 * 512, f"only {blocked.n_ok} ok events: the last block would not be reached"
    monkeypatch.setattr(ev, "_BLOCK_EVENTS", 10**6)
    monkeypatch.setattr(es, "_RANK_BLOCK_ROWS", 10**6)
    single = event_study(events, **kwargs)
    reference = event_study(events, method="statsmodels", **kwargs)
    for name in ("summary", "abnormal", "aggregate"):
        pd.testing.assert_frame_equal(getattr(blocked, name), getattr(single, name), check_exact=True,
                                      obj=f"{name}: blocks of 512 vs one block")
        pd.testing.assert_frame_equal(getattr(blocked, name), getattr(reference, name), rtol=0, atol=1e-9,
                                      obj=f"{name}: blocks of 512 vs statsmodels")


def test_tz_aware_event_dates_with_times_of_day_are_dated_and_placed_in_new_york():
    calendars = pytest.importorskip("babaresearch.calendars", reason="calendars.py places instants")
    from babaresearch.dates import to_date

    # Shanghai mornings are the previous New York evening; UTC 13:00 is 08:00/09:00 New York
    shanghai = pd.to_datetime(["2025-03-04 09:00", "2025-03-04 22:30", "2025-03-08 10:00",
                               "2025-03-11 05:00"]).tz_localize("Asia/Shanghai")
    utc = pd.to_datetime(["2025-03-04 13:00", "2025-03-04 21:30", "2025-03-10 04:00"]).tz_localize("UTC")
    kwargs = dict(returns=synthetic_returns(), estimation=(-100, -6), min_estimation=60)
    for stamps in (shanghai, utc):
        for timing in ("bmo", "amc"):
            typed = pd.DataFrame({"ticker": "AAA", "event_date": stamps, "timing": timing})
            assert isinstance(typed["event_date"].dtype, pd.DatetimeTZDtype)
            cells = typed.assign(event_date=pd.Series(list(stamps), dtype=object))
            summary = event_study(typed, **kwargs).summary
            assert summary["event_date"].tolist() == [to_date(s) for s in stamps], \
                f"{stamps.tz} event_date must be the New York day of the instant (as to_date dates it)"
            assert summary["day0"].tolist() == [calendars.event_day0(s, timing) for s in stamps], \
                f"{stamps.tz} {timing}: day 0 disagrees with calendars.event_day0"
            pd.testing.assert_frame_equal(event_study(cells, **kwargs).summary, summary, check_exact=True,
                                          obj="typed tz-aware column vs the same instants cell by cell")
    # pinned by hand: Shanghai 2025-03-04 09:00 = New York 2025-03-03 20:00 (EST, after the close)
    first = event_study(pd.DataFrame({"ticker": ["AAA"], "event_date": shanghai[:1], "timing": ["bmo"]}),
                        **kwargs).summary.iloc[0]
    assert (first["event_date"], first["day0"]) == (pd.Timestamp("2025-03-03"), pd.Timestamp("2025-03-04"))
    assert first["event"] == "AAA 2025-03-03"


def test_cross_event_tests_reject_at_their_nominal_rate_under_the_null():
    """2,000 events on i.i.d. normal market-model returns: 400 studies of 5 events each.

    Under the null each 5% test rejects Binomial(400, 0.05) times; the band is its 99.9%
    interval [7, 36]. The per-event CAR t-test (2,000 trials) must reject Binomial(2000, 0.05)
    times within [69, 133]. With this seed: 24, 22 and 24 of 400, and 109 of 2,000. A CAR
    standardised by one day's sigma instead of sqrt(var_car) would give 111 Patell and 500
    per-event rejections (BMP and the cross-sectional t are scale-free by design).
    """
    from babaresearch import eventstats as es

    rng = np.random.default_rng(20240601)
    n_days, n_tickers, n_events, group = 1500, 40, 2000, 5
    dates = pd.bdate_range("2019-01-02", periods=n_days)
    market = rng.normal(0.0004, 0.01, n_days)
    tickers = [f"S{i:02d}" for i in range(n_tickers)]
    betas = rng.uniform(0.5, 1.5, n_tickers)
    stocks = 0.0002 + market[:, None] * betas + rng.normal(0, 0.015, (n_days, n_tickers))
    rets = pd.DataFrame(stocks, index=dates, columns=tickers).assign(SPY=market)
    events = pd.DataFrame({"ticker": rng.choice(tickers, n_events),
                           "day0": dates[rng.integers(260, n_days - 5, n_events)]})
    result = event_study(events, returns=rets, window=(-1, 1), estimation=(-250, -11), min_estimation=200)
    assert result.n_ok == n_events
    summary = result.summary
    car, scar, dof = summary["car"].to_numpy(), summary["t"].to_numpy(), summary["n_est"].to_numpy() - 2
    # the one big study's statistics are the eventstats functions of the same CARs
    agg = result.aggregate.set_index("name")
    assert agg.loc["cross_sectional_t", "value"] == pytest.approx(es.cross_sectional_t(car)[0], rel=1e-12)
    assert agg.loc["patell_z", "value"] == pytest.approx(es.patell_z(scar, dof)[0], rel=1e-12)
    assert agg.loc["bmp_t", "value"] == pytest.approx(es.bmp_t(scar)[0], rel=1e-12)

    lo, hi = stats.binom.ppf([0.0005, 0.9995], n_events // group, 0.05)
    rejections = {"cross_sectional_t": 0, "patell_z": 0, "bmp_t": 0}
    for rows in np.arange(n_events).reshape(-1, group):
        rejections["cross_sectional_t"] += es.cross_sectional_t(car[rows])[1] < 0.05
        rejections["patell_z"] += es.patell_z(scar[rows], dof[rows])[1] < 0.05
        rejections["bmp_t"] += es.bmp_t(scar[rows])[1] < 0.05
    assert (lo, hi) == (7, 36)
    for name, count in rejections.items():
        assert lo <= count <= hi, f"{name} rejected {count}/400 null studies at 5%, outside [{lo:.0f}, {hi:.0f}]"
    per_event = int((summary["p"] < 0.05).sum())
    lo_event, hi_event = stats.binom.ppf([0.0005, 0.9995], n_events, 0.05)
    assert (lo_event, hi_event) == (69, 133)
    assert lo_event <= per_event <= hi_event, \
        f"per-event CAR t rejected {per_event}/2000 at 5%, outside [{lo_event:.0f}, {hi_event:.0f}]"
