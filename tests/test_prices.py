"""Offline tests of babaresearch.prices: snapshot, cache reading, adjustment, validation, returns.

Live (yfinance) behaviour is in test_prices_live.py. Every test here runs without network: an
autouse fixture makes any attempt to reach yfinance fail loudly.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from babaresearch import prices
from babaresearch.errors import (
    BabaResearchError,
    DataFileError,
    DataValidationError,
    DateRangeError,
    InvalidTickerError,
    NoDataError,
    OutOfRangeError,
    UnknownTickerError,
)
from conftest import resource as fixture

#: Last session of every snapshot file (all extended to 2026-10-09 from alm0421/alm0421).
SNAPSHOT_LAST = {"NVDA": "2026-10-09", "SPY": "2026-10-09", "QQQ": "2026-10-09",
                 "FXI": "2026-10-09", "BABA": "2026-10-09", "KWEB": "2026-10-09",
                 "MCHI": "2026-10-09"}


def original_bars(ticker: str, start: str, end: str) -> pd.DataFrame:
    """Storage bars of the snapshot with the values data/repairs.csv replaced put back: the
    first source's filler bar (2026-04-20) and placeholder volume (2026-04-17)."""
    bars = prices.load_prices(ticker, start, end, source="snapshot", filler="keep")
    bars = bars.drop(columns=["ticker", "adj_close"]).assign(dividend=0.0, split=0.0)
    bars["volume"] = bars["volume"].astype("float64")
    repairs = pd.read_csv(prices.resource("repairs.csv"), dtype=str)
    for row in repairs[repairs["ticker"] == ticker].itertuples():
        bars.loc[bars["date"] == pd.Timestamp(row.date), row.column] = float(row.old_value)
    return bars.reset_index(drop=True)


def install_original_spy(cache) -> None:
    """SPY 2026-04-13..04-24 as the first source had it, installed as the SPY cache."""
    data = original_bars("SPY", "2026-04-13", "2026-04-24").to_csv(index=False).encode()
    install_cache(cache, "SPY", data)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Offline tests must never call yfinance."""
    def refuse(*args, **kwargs):
        raise AssertionError("test_prices.py tried to reach yfinance")

    monkeypatch.setattr(prices, "_yf_history", refuse)


def install_cache(cache, ticker, data: bytes, *, meta_ticker=None):
    """Write a cache CSV plus the meta note prices writes (ticker + SHA-256 of the bytes)."""
    (cache / f"{ticker}.csv").write_bytes(data)
    note = {"ticker": meta_ticker or ticker, "sha256": hashlib.sha256(data).hexdigest()}
    (cache / f"{ticker}.meta.json").write_text(json.dumps(note))


def _bars(rows):
    """Storage-form bars from (date, open, high, low, close, volume[, dividend]) tuples."""
    frame = pd.DataFrame(rows, columns=["date", "open", "high", "low", "close", "volume", "dividend"][: len(rows[0])])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


# --------------------------------------------------------------------------- reference values
def test_baba_reference_closes_around_2025_08_29():
    frame = prices.load_prices(["BABA"], "2025-08-25", "2025-09-05")
    by_date = frame.set_index("date")["close"]
    assert by_date[pd.Timestamp("2025-08-28")] == pytest.approx(119.57), "BABA 2025-08-28 close changed"
    assert by_date[pd.Timestamp("2025-08-29")] == pytest.approx(135.00), "BABA 2025-08-29 close changed"
    move = by_date[pd.Timestamp("2025-08-29")] / by_date[pd.Timestamp("2025-08-28")] - 1
    assert round(move * 100, 2) == 12.90, "the +12.90% T-Head day is not reproduced"
    assert frame["date"].iloc[0] == pd.Timestamp("2025-08-25")
    assert frame["date"].iloc[-1] == pd.Timestamp("2025-09-05")
    # 2025-09-01 was Labor Day: 9 sessions from Mon 08-25 to Fri 09-05
    assert len(frame) == 9, "session count wrong (Labor Day must be absent)"


def test_returns_pin_the_129_percent_day_even_when_start_is_that_day():
    simple = prices.returns("BABA", "2025-08-29", "2025-08-29", adjusted=False)
    assert list(simple.index) == [pd.Timestamp("2025-08-29")]
    assert simple.loc["2025-08-29", "BABA"] == pytest.approx(135.00 / 119.57 - 1, abs=1e-12), \
        "the first return of a window must use the session before start"


@pytest.mark.parametrize("ticker, last", sorted(SNAPSHOT_LAST.items()))
def test_snapshot_coverage(ticker, last):
    frame = prices.load_prices(ticker, source="snapshot")
    assert frame["date"].iloc[0] == pd.Timestamp("2023-01-03"), f"{ticker} must start 2023-01-03"
    assert frame["date"].iloc[-1] == pd.Timestamp(last), f"{ticker} must end {last}"


def test_long_form_shape_dtypes_and_order():
    frame = prices.load_prices(["spy", "BABA", "SPY"], "2025-08-27", "2025-08-29")
    assert list(frame.columns) == list(prices.BAR_COLUMNS)
    assert str(frame["date"].dtype) == "datetime64[ns]", "dates must be tz-naive datetime64[ns]"
    assert isinstance(frame.index, pd.RangeIndex)
    assert list(frame["ticker"]) == ["BABA"] * 3 + ["SPY"] * 3, "sorted by ticker then date; repeats dropped"
    assert frame.groupby("ticker")["date"].apply(lambda d: d.is_monotonic_increasing).all()


def test_exports_match_package_lazy_table():
    import babaresearch

    for name, module in babaresearch._LAZY.items():
        if module == "prices":
            assert hasattr(prices, name), f"prices must export {name} (listed in _LAZY)"
    assert prices.TICKERS == ("BABA", "NVDA", "SPY", "QQQ", "KWEB", "FXI", "MCHI")
    assert prices.BENCHMARKS == ("SPY", "QQQ", "KWEB", "FXI", "MCHI")


# --------------------------------------------------------------------------- adjustment
def test_baba_june_dividends_adjust_like_yahoo():
    frame = prices.load_prices("BABA", "2024-06-12", "2026-10-07", source="snapshot").set_index("date")
    # Independent route: Yahoo's factor 1 - D / previous close, written as (prev - D) / prev.
    f_2025 = (120.33 - 2.00) / 120.33  # $2.00 ex 2025-06-12, close 2025-06-11 = 120.33
    f_2026 = (115.38 - 1.05) / 115.38  # $1.05 ex 2026-06-11, close 2026-06-10 = 115.38
    f_2024 = (78.04 - 1.66) / 78.04  # $1.66 ex 2024-06-13, close 2024-06-12 = 78.04
    adj = frame["adj_close"]
    assert adj["2026-10-07"] == pytest.approx(107.0, abs=1e-12), "last close is the anchor"
    assert adj["2026-06-11"] == pytest.approx(frame.loc["2026-06-11", "close"], abs=1e-12)
    assert adj["2026-06-10"] == pytest.approx(115.38 * f_2026, rel=1e-12)
    assert adj["2025-06-12"] == pytest.approx(116.62 * f_2026, rel=1e-12)
    assert adj["2025-06-11"] == pytest.approx(120.33 * f_2025 * f_2026, rel=1e-12)
    assert adj["2025-06-11"] == pytest.approx(117.2531542, abs=1e-6), "hand-computed value"
    assert adj["2024-06-12"] == pytest.approx(78.04 * f_2024 * f_2025 * f_2026, rel=1e-12)
    # On the ex-date the adjusted return reinvests the dividend: close / (previous - D) - 1.
    ex_day = adj["2025-06-12"] / adj["2025-06-11"] - 1
    assert ex_day == pytest.approx(116.62 / (120.33 - 2.00) - 1, rel=1e-12)
    assert ex_day == pytest.approx(-0.0144511, abs=1e-6)
    raw_day = frame.loc["2025-06-12", "close"] / frame.loc["2025-06-11", "close"] - 1
    assert raw_day == pytest.approx(-0.0308319, abs=1e-6), "raw return must keep the dividend drop"


def test_adj_close_equals_close_after_the_last_dividend():
    nvda = prices.load_prices("NVDA", "2026-09-10", source="snapshot")
    # NVDA's last dividend ($0.25) goes ex 2026-09-10: from that day on adj_close == close
    assert np.array_equal(nvda["adj_close"].to_numpy(), nvda["close"].to_numpy())
    before = prices.load_prices("NVDA", "2026-09-09", "2026-09-09", source="snapshot")
    assert before["adj_close"].iloc[0] == pytest.approx(223.67 - 0.25, rel=1e-12), \
        "the 2026-09-10 $0.25 adjusts 09-09 by 1 - 0.25 / 223.67"


def test_adjustment_factors_small_cases():
    assert prices.adjustment_factors([], []).size == 0
    assert list(prices.adjustment_factors([10.0], [0.5])) == [1.0], "first-row dividend has no previous close"
    assert list(prices.adjustment_factors([10.0, 9.0], [np.nan, np.nan])) == [1.0, 1.0], "unknown = no adjustment"
    assert prices.adjustment_factors([10.0, 9.0], [0.0, 1.0]) == pytest.approx([0.9, 1.0])
    with pytest.raises(ValueError):
        prices.adjustment_factors([1.0, 2.0], [0.0])


price_lists = st.lists(st.floats(min_value=1.0, max_value=1000.0, allow_nan=False), min_size=2, max_size=40)


@st.composite
def closes_and_dividends(draw):
    closes_ = draw(price_lists)
    fractions = draw(st.lists(st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=0.2)),
                              min_size=len(closes_), max_size=len(closes_)))
    # dividends are a fraction (< 20 %) of the previous close, as real cash dividends are
    dividends = [0.0] + [frac * prev for frac, prev in zip(fractions[1:], closes_[:-1])]
    return np.array(closes_), np.array(dividends)


@given(closes_and_dividends())
def test_factors_lie_in_unit_interval_and_grow_towards_today(data):
    closes_, dividends = data
    factors = prices.adjustment_factors(closes_, dividends)
    assert ((factors > 0) & (factors <= 1)).all()
    assert factors[-1] == 1.0
    assert (np.diff(factors) >= -1e-15).all(), "older dates can only be adjusted more"


@given(closes_and_dividends())
def test_adjusted_returns_equal_raw_off_ex_dates_and_reinvest_on_them(data):
    closes_, dividends = data
    adj = closes_ * prices.adjustment_factors(closes_, dividends)
    adj_ret = adj[1:] / adj[:-1] - 1
    raw_ret = closes_[1:] / closes_[:-1] - 1
    ex = dividends[1:] > 0
    np.testing.assert_allclose(adj_ret[~ex], raw_ret[~ex], rtol=1e-9, atol=1e-12)
    expected = closes_[1:][ex] / (closes_[:-1][ex] - dividends[1:][ex]) - 1
    np.testing.assert_allclose(adj_ret[ex], expected, rtol=1e-9, atol=1e-12)


@given(closes_and_dividends())
def test_total_return_equals_reinvesting_dividends(data):
    closes_, dividends = data
    adj = closes_ * prices.adjustment_factors(closes_, dividends)
    # Simulate: hold one share; on each ex-date the dividend buys shares at the ex-price
    # (previous close minus the dividend), which is the convention Yahoo's factors encode.
    shares = 1.0
    for t in range(1, len(closes_)):
        if dividends[t] > 0:
            shares *= closes_[t - 1] / (closes_[t - 1] - dividends[t])
    assert adj[-1] / adj[0] == pytest.approx(shares * closes_[-1] / closes_[0], rel=1e-9)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 900), st.integers(1, 60), st.sampled_from(["BABA", "SPY", "KWEB"]))
def test_simple_and_log_returns_agree_and_compound_to_the_price_ratio(offset, length, ticker):
    start = pd.Timestamp("2023-01-03") + pd.Timedelta(days=offset)
    end = start + pd.Timedelta(days=length)
    if ticker == "KWEB" and start > pd.Timestamp(SNAPSHOT_LAST["KWEB"]):
        return
    simple = prices.returns(ticker, start, end, source="snapshot")[ticker]
    log = prices.returns(ticker, start, end, kind="log", source="snapshot")[ticker]
    np.testing.assert_allclose(np.log1p(simple.to_numpy()), log.to_numpy(), rtol=1e-10, atol=1e-12)
    adj = prices.closes(ticker, None, end, source="snapshot")[ticker]
    inside = adj[(adj.index >= start)]
    before = adj[adj.index < start]
    if len(inside) and len(before) and simple.notna().all():
        compounded = float(np.prod(1 + simple.to_numpy()))
        assert compounded == pytest.approx(inside.iloc[-1] / before.iloc[-1], rel=1e-9)


# --------------------------------------------------------------------------- filler bars
def test_repaired_bars_give_real_returns():
    ret = prices.returns(["SPY", "FXI", "BABA"], "2026-04-16", "2026-04-22", adjusted=False)
    assert ret.loc["2026-04-20", "SPY"] == pytest.approx(708.72 / 710.14 - 1, rel=1e-12), (
        "SPY 2026-04-20 is the second source's real bar, not the filler")
    assert ret.loc["2026-04-20", "FXI"] == pytest.approx(37.66 / 37.60 - 1, rel=1e-12)
    assert ret.loc["2026-04-21", "SPY"] == pytest.approx(704.08 / 708.72 - 1, rel=1e-12)
    assert ret.notna().all().all()
    bars = prices.load_prices(["SPY", "FXI"], "2026-04-17", "2026-04-20").set_index(["ticker", "date"])
    assert bars["volume"].tolist() == [31336100, 14775600, 70661900, 43546800], (
        "repaired volumes: FXI 04-17, 04-20, SPY 04-17, 04-20")


def test_filler_bars_are_missing_by_default_never_zero_returns(isolated_cache):
    install_original_spy(isolated_cache)  # the first source's filler bar, from repairs.csv
    ret = prices.returns("SPY", "2026-04-16", "2026-04-22", adjusted=False, source="cache")
    assert math.isnan(ret.loc["2026-04-20", "SPY"]), "the filler day must be NaN, not 0"
    assert math.isnan(ret.loc["2026-04-21", "SPY"]), "the day after a filler bar must be NaN"
    assert ret.loc["2026-04-17", "SPY"] == pytest.approx(710.14 / 701.66 - 1, rel=1e-12)
    bars = prices.load_prices("SPY", "2026-04-17", "2026-04-21", source="cache").set_index("date")
    assert bars.loc["2026-04-20", ["open", "high", "low", "close", "adj_close", "volume"]].isna().all()
    assert pd.isna(bars.loc["2026-04-17", "volume"]), "placeholder volume 9999999 must be missing"
    assert bars.loc["2026-04-17", "close"] == pytest.approx(710.14), "placeholder day keeps its prices"


def test_volume_is_a_nullable_integer_of_shares(isolated_cache):
    install_original_spy(isolated_cache)
    bars = prices.load_prices(["SPY", "BABA"], "2026-04-16", "2026-04-21", source="auto")
    assert str(bars["volume"].dtype) == "Int64", "volumes are whole shares, missing ones <NA>"
    spy = prices.load_prices("SPY", "2026-04-16", "2026-04-21", source="cache").set_index("date")["volume"]
    assert spy.isna().tolist() == [False, True, True, False], (
        "placeholder (04-17) and filler (04-20) volumes are missing; 04-16 and 04-21 are real")
    # the raw snapshot file, read by a different route, gives the same whole numbers
    raw = pd.read_csv(prices._snapshot_path("SPY"), index_col="date")["volume"]
    assert spy.loc["2026-04-16"] == raw.loc["2026-04-16"] and spy.loc["2026-04-21"] == raw.loc["2026-04-21"]
    assert bars[bars["ticker"] == "BABA"]["volume"].notna().all()
    kept = prices.load_prices("SPY", "2026-04-20", "2026-04-20", filler="keep", source="cache")
    assert str(kept["volume"].dtype) == "Int64" and kept["volume"].tolist() == [0]
    empty = prices.load_prices("BABA", "2025-08-30", "2025-08-31")
    assert str(empty["volume"].dtype) == "Int64", "an empty frame keeps the dtype"


def test_share_counts_rounds_float_noise_and_keeps_missing():
    volume = pd.Series([82165134.0, np.nan, 1500.0000001, 0.0], name="volume")
    out = prices._share_counts(volume)
    assert str(out.dtype) == "Int64" and out.name == "volume"
    assert out.tolist()[0] == 82165134 and pd.isna(out.iloc[1]) and out.tolist()[2:] == [1500, 0]
    assert len(prices._share_counts(pd.Series([], dtype="float64"))) == 0


def test_filler_keep_and_drop(isolated_cache):
    install_original_spy(isolated_cache)
    kept = prices.load_prices("SPY", "2026-04-17", "2026-04-21", filler="keep",
                              source="cache").set_index("date")
    assert kept.loc["2026-04-20", "close"] == pytest.approx(710.14)
    assert kept.loc["2026-04-20", "volume"] == 0
    assert kept.loc["2026-04-17", "volume"] == 9999999
    dropped = prices.load_prices("SPY", "2026-04-17", "2026-04-21", filler="drop", source="cache")
    assert pd.Timestamp("2026-04-20") not in set(dropped["date"])
    assert len(dropped) == 2


# --------------------------------------------------------------------------- ranges and errors
def test_empty_window_inside_data_gives_empty_frame():
    frame = prices.load_prices("BABA", "2025-08-30", "2025-08-31")  # a weekend
    assert frame.empty and list(frame.columns) == list(prices.BAR_COLUMNS)


def test_single_session():
    frame = prices.load_prices("BABA", "2025-08-29", "2025-08-29")
    assert len(frame) == 1 and frame["volume"].iloc[0] == 82165134


@pytest.mark.parametrize("start, end", [("2030-01-01", "2030-02-01"), ("2019-01-01", "2019-06-01")])
def test_request_entirely_outside_the_snapshot(start, end):
    with pytest.raises(OutOfRangeError, match="BABA") as info:
        prices.load_prices("BABA", start, end, source="snapshot")
    assert start in str(info.value), "the message must name the range asked for"


def test_kweb_after_its_last_session_is_out_of_range_offline():
    with pytest.raises(OutOfRangeError, match="KWEB.*2026-10-09"):
        prices.load_prices(["SPY", "KWEB"], "2026-10-12", "2026-10-16", source="snapshot")


def test_unknown_and_invalid_tickers():
    with pytest.raises(UnknownTickerError, match="ZZZZ"):
        prices.load_prices("ZZZZ", source="snapshot")
    with pytest.raises(InvalidTickerError):
        prices.load_prices("../BABA")
    with pytest.raises(InvalidTickerError):
        prices.load_prices([])


def test_reversed_or_bad_dates():
    with pytest.raises(DateRangeError):
        prices.load_prices("BABA", "2025-09-05", "2025-08-25")
    with pytest.raises(DateRangeError):
        prices.load_prices("BABA", "not a date")


@pytest.mark.parametrize("kwargs", [{"source": "yahoo"}, {"filler": "zero"}, {"source": None}])
def test_bad_options_raise_value_errors_from_the_library(kwargs):
    with pytest.raises(prices.InvalidOptionError) as info:
        prices.load_prices("BABA", **kwargs)
    assert isinstance(info.value, ValueError) and isinstance(info.value, BabaResearchError)
    with pytest.raises(prices.InvalidOptionError, match="kind"):
        prices.returns("BABA", kind="arith")


# --------------------------------------------------------------------------- cache reading
def test_cache_source_without_cache_raises_no_data(isolated_cache):
    with pytest.raises(NoDataError, match="BABA"):
        prices.load_prices("BABA", source="cache")


def test_cache_dir_follows_environment(isolated_cache, monkeypatch, tmp_path):
    assert prices.cache_dir() == isolated_cache
    monkeypatch.delenv("BABARESEARCH_CACHE")
    default = prices.cache_dir()
    assert "babaresearch" in str(default)
    assert not str(default).startswith(str(Path(prices.__file__).parent)), "never inside the package"


def test_auto_merges_cache_after_snapshot(isolated_cache):
    install_cache(isolated_cache, "BABA", fixture("prices", "cache_BABA_extension.csv").read_bytes())
    frame = prices.load_prices("BABA", "2026-10-08", "2026-10-14")
    assert list(frame["date"].dt.strftime("%Y-%m-%d")) == ["2026-10-08", "2026-10-09", "2026-10-12",
                                                           "2026-10-13", "2026-10-14"]
    assert frame["close"].tolist() == [105.7, 111.37, 107.5, 108.0, 108.5], \
        "snapshot closes through 2026-10-09, then the cache's"
    only_cache = prices.load_prices("BABA", source="cache")
    assert len(only_cache) == 3


@pytest.mark.parametrize("name, line, words", [("cache_bad_number.csv", 4, "1x9.0"),
                                               ("cache_missing_close.csv", 1, "close")])
def test_malformed_cache_names_file_and_line(isolated_cache, name, line, words):
    target = isolated_cache / "BABA.csv"
    shutil.copy(fixture("prices", name), target)
    before = target.read_bytes()
    for source in ("cache", "auto"):
        with pytest.raises(DataFileError) as info:
            prices.load_prices("BABA", source=source)
        assert info.value.line == line and info.value.path == str(target)
        assert words in str(info.value) and f"line {line}" in str(info.value)
    assert target.read_bytes() == before, "a malformed cache file must never be rewritten"


@pytest.mark.parametrize("content, line", [
    (b"", 1),
    (b"date,open,high,low,close,volume\n2026-13-01,1,2,0.5,1.5,10\n", 2),
    (b"date,open,high,low,close,volume\n2026-10-08,1,2,0.5,,10\n", 2),
    (b"date,open,high,low,close,volume\n2026-10-08,1,2,0.5,1.5,10\n2026-10-09,1,2,0.5,1.5,10,7\n", 3),
    (b"date,open,high,low,close,volume\n2026-10-08,1,2,0.5,inf,10\n", 2),
    (b"\xff\xfe\x00garbage", 1),  # not UTF-8: the first bad byte is on line 1
])
def test_parse_errors_carry_line_numbers(isolated_cache, content, line):
    (isolated_cache / "NVDA.csv").write_bytes(content)
    with pytest.raises(DataFileError) as info:
        prices.load_prices("NVDA", source="cache")
    assert info.value.line == line, str(info.value)


def test_cache_with_duplicate_dates_is_a_validation_error(isolated_cache):
    install_cache(isolated_cache, "NVDA",
                  b"date,open,high,low,close,volume\n2026-10-08,1,2,0.5,1.5,10\n2026-10-08,1,2,0.5,1.5,10\n")
    with pytest.raises(DataValidationError, match="duplicate_date"):
        prices.load_prices("NVDA", source="cache")


# --------------------------------------------------------------------------- validation
GOOD_ROWS = [("2025-08-25", 10.0, 11.0, 9.5, 10.5, 100), ("2025-08-26", 10.5, 10.8, 10.1, 10.2, 120),
             ("2025-08-27", 10.2, 10.4, 9.9, 10.0, 90)]


def test_validate_clean_bars_and_empty_frame():
    assert prices.validate_bars(_bars(GOOD_ROWS), "baba").empty
    empty = prices.validate_bars(_bars(GOOD_ROWS).iloc[:0], "BABA")
    assert empty.empty and list(empty.columns) == list(prices.ISSUE_COLUMNS)
    one = prices.validate_bars(_bars(GOOD_ROWS[:1]), "BABA")
    assert one.empty


@pytest.mark.parametrize("rows, check, date", [
    ([GOOD_ROWS[1], GOOD_ROWS[0], GOOD_ROWS[2]], "increasing_dates", "2025-08-25"),
    ([GOOD_ROWS[0], GOOD_ROWS[0]], "duplicate_date", "2025-08-25"),
    ([("2025-08-25", 10.0, 10.2, 9.5, 10.5, 100)], "high_ge_open_close", "2025-08-25"),
    ([("2025-08-25", 10.0, 11.0, 10.1, 10.5, 100)], "low_le_open_close", "2025-08-25"),
    ([("2025-08-25", 0.0, 11.0, 0.0, 10.5, 100)], "positive_prices", "2025-08-25"),
    ([("2025-08-25", 10.0, 11.0, 9.5, 10.5, -1)], "nonnegative_volume", "2025-08-25"),
])
def test_validate_hard_errors(rows, check, date):
    issues = prices.validate_bars(_bars(rows), "BABA")
    hit = issues[issues["check"] == check]
    assert len(hit) == 1 and hit["severity"].iloc[0] == "error", issues.to_string()
    assert hit["date"].iloc[0] == pd.Timestamp(date)
    with pytest.raises(DataValidationError, match=check) as info:
        prices.validate_bars(_bars(rows), "BABA", raise_on_error=True)
    assert info.value.ticker == "BABA" and str(info.value.date) == date


def test_validate_warnings_weekend_missing_session_filler_placeholder():
    rows = [("2025-08-25", 10.0, 11.0, 9.5, 10.5, 100),
            ("2025-08-26", 10.5, 10.5, 10.5, 10.5, 0),  # filler: flat at the previous close
            ("2025-08-27", 10.2, 10.4, 9.9, 10.0, 9999999),  # placeholder volume
            ("2025-08-30", 10.0, 10.1, 9.9, 10.0, 80)]  # a Saturday; 08-28 and 08-29 missing
    issues = prices.validate_bars(_bars(rows), "BABA")
    found = {(row.check, row.date.strftime("%Y-%m-%d")) for row in issues.itertuples()}
    assert found == {("filler_bar", "2025-08-26"), ("placeholder_volume", "2025-08-27"),
                     ("nyse_session", "2025-08-30"), ("missing_session", "2025-08-28"),
                     ("missing_session", "2025-08-29")}
    assert set(issues["severity"]) == {"warning"}
    prices.validate_bars(_bars(rows), "BABA", raise_on_error=True)  # warnings never raise


def test_validate_accepts_long_frames_and_rejects_missing_columns():
    long = original_bars("SPY", "2026-04-16", "2026-04-21").assign(ticker="SPY")
    long = pd.concat([long, prices.load_prices("BABA", "2026-04-16", "2026-04-21", filler="keep")])
    issues = prices.validate_bars(long, "SPY")
    assert set(issues["check"]) == {"placeholder_volume", "filler_bar"}, (
        "the repaired values, put back, are still detected")
    assert prices.validate_bars(long, "BABA").empty
    with pytest.raises(DataValidationError, match="close"):
        prices.validate_bars(pd.DataFrame({"date": [], "open": []}), "BABA")


def test_data_quality_report_lists_the_known_glitches_and_their_repairs():
    report = prices.data_quality_report()
    assert list(report.columns) == list(prices.ISSUE_COLUMNS)
    found = sorted((r.ticker, r.date.strftime("%Y-%m-%d"), r.check) for r in report.itertuples())
    assert found == [("FXI", "2026-04-17", "repaired"), ("FXI", "2026-04-20", "repaired"),
                     ("SPY", "2026-04-17", "repaired"), ("SPY", "2026-04-20", "repaired")], \
        "the snapshot's only glitches, SPY/FXI 2026-04-17 (volume) and 04-20 (filler), are listed as repairs"
    spy = report[report["ticker"] == "SPY"].set_index("date")["detail"]
    assert spy["2026-04-20"].startswith("was filler_bar in the first source; repaired from "
                                        "alm0421/alm0421 data/prices/SPY.csv@4b3ce269")
    assert "close 710.14 -> 708.72" in spy["2026-04-20"] and "volume 0 -> 43546800" in spy["2026-04-20"]
    assert "volume 9999999 -> 70661900" in spy["2026-04-17"]
    assert set(report["severity"]) == {"warning"}
    assert prices.data_quality_report("BABA").empty
    with pytest.raises(NoDataError):
        prices.data_quality_report(source="cache")


def test_quality_still_detects_filler_bars(isolated_cache):
    install_original_spy(isolated_cache)
    report = prices.data_quality_report("SPY", source="cache")
    assert [(r.date.strftime("%Y-%m-%d"), r.check) for r in report.itertuples()] == [
        ("2026-04-17", "placeholder_volume"), ("2026-04-20", "filler_bar")]


def test_snapshot_info():
    info = prices.snapshot_info().set_index("ticker")
    assert list(info.index) == list(prices.TICKERS)
    assert info.loc["BABA", "rows"] == 946 and info.loc["KWEB", "rows"] == 946
    assert (info["last_session"] == pd.Timestamp("2026-10-09")).all()
    assert (info["dividends_known_through"] == pd.Timestamp("2026-10-09")).all(), \
        "the window after 2025-09-29 now has its dividends (alm0421/alm0421)"
    assert (info["split_adjusted_through"] == pd.Timestamp("2026-10-09")).all()
    assert "+ alm0421/alm0421 data/prices/NVDA.csv@4b3ce269 (2026-09-16..2026-10-09)" in info.loc["NVDA", "source"]
    assert info.loc["NVDA", "price_basis"] == "split-adjusted"
    assert "fmorae30/base-datos-acciones" in info.loc["BABA", "source"]
    import hashlib

    digest = hashlib.sha256(prices._snapshot_path("SPY").read_bytes()).hexdigest()[:12]
    assert info.loc["SPY", "sha256"] == digest and len(digest) == 12


def test_import_babaresearch_stays_light():
    code = ("import sys, babaresearch; from babaresearch import prices; "
            "heavy = [m for m in ('yfinance', 'matplotlib', 'statsmodels', 'exchange_calendars', "
            "'tqdm', 'platformdirs') if m in sys.modules]; print(','.join(heavy))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"importing prices pulled in heavy modules: {done.stdout}"


# --------------------------------------------------------------------------- cache trust, shapes, attrs
TRUNCATED = (b"date,open,high,low,close,volume,dividend\n"
             b"2025-06-12,27.0,27.5,26.5,27.0,1000000,0.0\n"
             b"2025-06-13,27.0,27.5,26.5,27.0,10")  # cut mid-row: no volume digits, no dividend


def test_truncated_last_row_is_refused_with_its_line(isolated_cache):
    with pytest.raises(DataFileError, match="expected 7 fields, found 6") as info:
        prices._parse_bars(TRUNCATED, "x.csv")
    assert info.value.line == 3, "the cut-off row is line 3 (header is line 1)"
    install_cache(isolated_cache, "BABA", TRUNCATED)  # even with a matching meta note
    with pytest.raises(DataFileError, match="line 3"):
        prices.load_prices("BABA", source="cache")


def test_cache_copied_from_another_ticker_is_refused(isolated_cache):
    qqq = fixture("prices", "cache_BABA_extension.csv").read_bytes()
    install_cache(isolated_cache, "BABA", qqq, meta_ticker="QQQ")  # QQQ.csv + its note copied
    target = isolated_cache / "BABA.csv"
    with pytest.raises(prices.ForeignCacheError, match="'QQQ' prices, not BABA") as info:
        prices.load_prices("BABA", source="cache")
    assert info.value.path == str(target)
    # only the CSV copied over BABA's own cache: the recorded hash no longer matches
    install_cache(isolated_cache, "BABA", qqq)
    target.write_bytes(qqq.replace(b"107.5", b"207.5"))
    with pytest.raises(prices.ForeignCacheError, match="SHA-256"):
        prices.load_prices("BABA", source="cache")
    # no note at all: nothing vouches for the file
    (isolated_cache / "BABA.meta.json").unlink()
    with pytest.raises(prices.ForeignCacheError, match="no BABA.meta.json"):
        prices.load_prices("BABA", source="cache")
    before = target.read_bytes()
    with pytest.warns(prices.CacheWarning, match="BABA.*not used"):
        frame = prices.load_prices("BABA", "2026-10-05", "2026-10-09")
    assert frame["close"].iloc[-1] == 111.37, "auto falls back to the snapshot close of 2026-10-09"
    assert target.read_bytes() == before, "the user's file is never rewritten or deleted"


def test_cache_folder_that_is_a_file_is_a_typed_error(tmp_path, monkeypatch):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("x")
    monkeypatch.setenv("BABARESEARCH_CACHE", str(not_a_folder))
    for source in ("cache", "auto"):
        with pytest.raises(DataFileError, match="cache/NVDA.csv: cannot read"):
            prices.load_prices("NVDA", source=source)


def test_weekend_range_keeps_every_ticker_column():
    wide = prices.closes(["SPY", "BABA"], "2025-08-30", "2025-08-31", source="snapshot")
    assert list(wide.columns) == ["SPY", "BABA"] and len(wide) == 0, "0 rows but both columns"
    assert wide["SPY"].dtype == "float64"
    rets = prices.returns(["SPY", "BABA"], "2025-08-30", "2025-08-31", source="snapshot")
    assert list(rets.columns) == ["SPY", "BABA"] and len(rets) == 0


def test_outputs_record_how_far_dividends_are_known():
    expected = {"BABA": pd.Timestamp("2026-10-09"), "NVDA": pd.Timestamp("2026-10-09")}
    long = prices.load_prices(["BABA", "NVDA"], "2026-01-02", "2026-01-09", source="snapshot")
    assert long.attrs["dividends_known_through"] == expected, \
        "every session's dividend is recorded through the last one (data/sources.csv)"
    info = prices.snapshot_info().set_index("ticker")["dividends_known_through"]
    assert {k: info[k] for k in expected} == expected, "must agree with the provenance table"
    for frame in (prices.closes(["BABA", "NVDA"], "2026-01-02", "2026-01-09", source="snapshot"),
                  prices.returns(["BABA", "NVDA"], "2026-01-02", "2026-01-09", source="snapshot")):
        assert frame.attrs["dividends_known_through"] == expected


def test_known_through_edge_cases():
    days = pd.to_datetime(["2025-01-02", "2025-01-03", "2025-01-06"])
    frame = pd.DataFrame({"date": days, "dividend": [0.0, 0.0, 0.0]})
    assert prices._dividends_known_through(frame) == days[-1]
    assert prices._dividends_known_through(frame.assign(dividend=[0.0, np.nan, 0.0])) == days[0]
    assert pd.isna(prices._dividends_known_through(frame.assign(dividend=np.nan)))


def test_merge_rescales_older_rows_for_a_new_split_once():
    # base is split-adjusted through 2026-09-15; the newer set (basis 09-16) records a 4:1 split
    base = _bars([("2026-09-14", 200.0, 204.0, 196.0, 200.0, 1000, 0.4),
                  ("2026-09-15", 200.0, 204.0, 196.0, 202.0, 1000, 0.0)])
    newer = _bars([("2026-09-16", 50.0, 51.0, 49.0, 50.5, 4000, 0.0)]).assign(split=4.0)
    day = pd.Timestamp
    merged = prices._merge_store(base, newer, base_basis=day("2026-09-15"),
                                 newer_basis=day("2026-09-16"))
    assert merged["close"].tolist() == [50.0, 50.5, 50.5], "4:1 split: earlier closes / 4"
    assert merged["volume"].tolist() == [4000.0, 4000.0, 4000.0], "earlier volumes x 4"
    assert merged["dividend"].iloc[0] == pytest.approx(0.1), "dividends per share / 4"
    # the merged rows hold the split day's row: they have seen the split, whatever basis is passed
    again = prices._merge_store(merged, newer, base_basis=day("2026-09-15"),
                                newer_basis=day("2026-09-16"))
    pd.testing.assert_frame_equal(again, merged)
    # a base already adjusted through the split (its basis is later) is never rescaled
    seen = prices._merge_store(base.assign(close=[50.0, 50.5]), newer, base_basis=day("2026-09-20"),
                               newer_basis=day("2026-09-16"))
    assert seen["close"].tolist() == [50.0, 50.5, 50.5], "a split before the basis is not re-applied"


# --------------------------------------------------------------------------- calendar edge
def _flat_bars(days):
    return pd.DataFrame({"date": pd.to_datetime(days), "open": 10.0, "high": 11.0, "low": 9.0,
                         "close": 10.5, "volume": 1000.0})


def test_validate_bars_at_the_edge_of_the_calendar():
    # The NYSE calendar starts on 2015-01-02: the two 2014 bars cannot be checked against
    # sessions (one note), the part inside still is (Saturday 2015-01-03 flagged).
    bars = _flat_bars(["2014-12-30", "2014-12-31", "2015-01-02", "2015-01-03", "2015-01-05"])
    issues = prices.validate_bars(bars, "BABA")
    assert issues["check"].tolist() == ["outside_calendar", "nyse_session"], issues.to_string()
    outside = issues.iloc[0]
    assert outside["date"] == pd.Timestamp("2014-12-30") and outside["severity"] == "warning"
    assert "2 bar(s) from 2014-12-30 to 2014-12-31" in outside["detail"]
    assert issues.iloc[1]["date"] == pd.Timestamp("2015-01-03")


def test_validate_bars_wholly_beyond_the_calendar():
    issues = prices.validate_bars(_flat_bars(["2031-01-06", "2031-01-07", "2031-01-11"]), "BABA")
    assert issues["check"].tolist() == ["outside_calendar"], "no session checks without a calendar"
    assert "3 bar(s) from 2031-01-06 to 2031-01-11" in issues.iloc[0]["detail"]


@pytest.mark.parametrize("start, end, expected, why", [
    ("2028-12-29", "2028-12-29", True, "the calendar's last session"),
    ("2028-12-30", "2028-12-31", False, "a weekend at the calendar's end"),
    ("2028-12-30", "2029-01-02", True, "beyond the calendar a weekday stands in"),
    ("2031-01-04", "2031-01-05", False, "a weekend wholly beyond the calendar"),
    ("2025-08-30", "2025-09-01", False, "Labor Day weekend: no session"),
    ("2025-09-02", "2025-09-01", False, "an empty range"),
])
def test_sessions_exist_across_the_calendar_edge(start, end, expected, why):
    assert prices._sessions_exist(pd.Timestamp(start), pd.Timestamp(end)) is expected, why


def test_file_state_changes_with_the_file(tmp_path):
    import os

    path = tmp_path / "x.csv"
    path.write_text("date\n")
    first = prices.file_state(path)
    stat = os.stat(path)
    assert first == (str(path), 5, stat.st_mtime_ns, stat.st_ino), "(path, size, mtime_ns, inode)"
    replacement = tmp_path / "y.csv"
    replacement.write_text("date\n")
    os.replace(replacement, path)
    assert prices.file_state(path) != first, "a file replaced by os.replace is a new cache key"
    with pytest.raises(FileNotFoundError):
        prices.file_state(tmp_path / "missing.csv")
