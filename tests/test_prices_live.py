"""Live path of babaresearch.prices, with yfinance mocked at its one boundary (yf.download).

The fake download returns frames shaped like yfinance 1.x's: MultiIndex columns
(Price, Ticker) sorted by price label, a ``Date`` index, end date exclusive.
"""

from __future__ import annotations

import json
import os
import shutil
import warnings

import pandas as pd
import pytest
import yfinance
from yfinance.exceptions import YFRateLimitError

from babaresearch import prices
from babaresearch.errors import DataFileError, LiveDataError, UnknownTickerError
from conftest import resource as fixture

BABA_JUNE = fixture("prices", "yf_download_BABA_2025-06.csv")


def _yahoo_frame(ticker: str, flat: pd.DataFrame, *, tz: str | None = None,
                 group_by: str = "column") -> pd.DataFrame:
    """A flat OHLCV table -> the frame yf.download returns for one ticker."""
    frame = flat.set_index(pd.DatetimeIndex(pd.to_datetime(flat["Date"]), name="Date")).drop(columns="Date")
    if tz is not None:  # yfinance with ignore_tz=False: exchange-local midnight timestamps
        frame.index = frame.index.tz_localize(tz)
    frame = frame.sort_index(axis=1)
    pairs = [(column, ticker) for column in frame.columns]
    names = ["Price", "Ticker"]
    if group_by == "ticker":
        pairs = [(t, c) for c, t in pairs]
        names = names[::-1]
    frame.columns = pd.MultiIndex.from_tuples(pairs, names=names)
    return frame


class FakeDownload:
    """Stands in for yfinance.download; ``script`` maps ticker -> list of outcomes to play."""

    def __init__(self, script=None, default=None):
        self.script = {k: list(v) for k, v in (script or {}).items()}
        self.default = default
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, tickers, **kwargs):
        self.calls.append((tickers, kwargs))
        queue = self.script.get(tickers)
        outcome = queue.pop(0) if queue else self.default
        if isinstance(outcome, BaseException):
            raise outcome
        if callable(outcome):
            outcome = outcome(tickers, kwargs)
        return outcome if outcome is not None else pd.DataFrame()


def baba_june(tickers, kwargs, **shape):
    flat = pd.read_csv(BABA_JUNE)
    keep = (flat["Date"] >= kwargs["start"]) & (flat["Date"] < kwargs["end"])  # end exclusive
    return _yahoo_frame(tickers, flat[keep], **shape)


def synthetic(first: str, last: str, price: float = 27.0):
    """A well-formed flat-price download for any ticker over the weekdays first..last."""
    def make(tickers, kwargs):
        days = pd.bdate_range(max(first, kwargs["start"]), min(last, kwargs["end"]), inclusive="left")
        flat = pd.DataFrame({"Date": days.strftime("%Y-%m-%d"), "Adj Close": price, "Close": price,
                             "Dividends": 0.0, "High": price + 0.5, "Low": price - 0.5,
                             "Open": price, "Stock Splits": 0.0, "Volume": 1_000_000})
        return _yahoo_frame(tickers, flat)
    return make


@pytest.fixture
def fake(monkeypatch):
    stub = FakeDownload()
    monkeypatch.setattr(yfinance, "download", stub)
    return stub


@pytest.fixture
def sleeps(monkeypatch):
    record: list[float] = []
    monkeypatch.setattr(prices, "_sleep", record.append)
    return record


# --------------------------------------------------------------------------- normal frames
def test_fetch_live_normal_frame_and_cache(fake, sleeps, isolated_cache):
    fake.default = baba_june
    frame = prices.fetch_live("baba", "2025-06-05", "2025-06-13")
    ticker, kwargs = fake.calls[0]
    assert ticker == "BABA" and kwargs["auto_adjust"] is False and kwargs["actions"] is True
    assert kwargs["progress"] is False
    assert (kwargs["start"], kwargs["end"]) == ("2025-06-05", "2025-06-14"), "end must be made exclusive"
    assert list(frame.columns) == list(prices.LIVE_COLUMNS)
    assert len(frame) == 7 and frame["dividend"].sum() == 2.0
    assert frame.set_index("date").loc["2025-06-12", "dividend"] == 2.0
    assert sleeps == []
    cached = prices.load_prices("BABA", source="cache").set_index("date")
    assert cached["close"].tolist() == [119.96, 119.38, 121.48, 121.88, 120.33, 116.62, 112.87]
    # adjustment computed by us from raw close + dividend, anchored at the last cached day
    assert cached.loc["2025-06-11", "adj_close"] == pytest.approx(120.33 - 2.00, rel=1e-12)
    assert cached.loc["2025-06-12", "adj_close"] == 116.62
    meta = json.loads((isolated_cache / "BABA.meta.json").read_text())
    assert meta["last_session"] == "2025-06-13" and meta["rows"] == 7
    assert not [p for p in os.listdir(isolated_cache) if p.endswith(".tmp")], "no temp files left"


@pytest.mark.parametrize("shape", [{"tz": "America/New_York"}, {"group_by": "ticker"},
                                   {"tz": "America/New_York", "group_by": "ticker"}])
def test_tz_aware_index_and_ticker_first_columns(fake, sleeps, shape):
    fake.default = lambda t, kw: baba_june(t, kw, **shape)
    frame = prices.fetch_live("BABA", "2025-06-05", "2025-06-13", write_cache=False)
    assert str(frame["date"].dtype) == "datetime64[ns]"
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist()[-2:] == ["2025-06-12", "2025-06-13"]


def test_flat_columns_are_accepted(fake, sleeps):
    fake.default = lambda t, kw: baba_june(t, kw).droplevel("Ticker", axis=1)
    frame = prices.fetch_live("BABA", "2025-06-05", "2025-06-13", write_cache=False)
    assert len(frame) == 7


# --------------------------------------------------------------------------- failures
def test_empty_frame_is_a_failure_naming_the_ticker(fake, sleeps, isolated_cache):
    fake.default = pd.DataFrame()
    with pytest.raises(LiveDataError, match="BABA.*no data") as info:
        prices.fetch_live("BABA", "2025-06-05", "2025-06-13")
    assert info.value.ticker == "BABA"
    assert not (isolated_cache / "BABA.csv").exists(), "a failed fetch must not create a cache file"
    assert sleeps == [], "an empty frame is not retried (offline would only get slower)"


def test_rate_limit_then_success_retries_with_backoff(fake, sleeps):
    fake.script = {"BABA": [YFRateLimitError(), YFRateLimitError(), baba_june]}
    frame = prices.fetch_live("BABA", "2025-06-05", "2025-06-13", write_cache=False)
    assert len(frame) == 7 and len(fake.calls) == 3
    assert sleeps == [2.0, 4.0], "exponential back-off: 2 s then 4 s"


def test_rate_limit_forever_gives_up(fake, sleeps):
    fake.default = None
    fake.script = {"BABA": [YFRateLimitError()] * 10}
    with pytest.raises(LiveDataError, match="4 attempts"):
        prices.fetch_live("BABA", "2025-06-05", "2025-06-13")
    assert sleeps == [2.0, 4.0, 8.0] and len(fake.calls) == 4


class ReadTimeout(Exception):
    """Shaped like requests/curl_cffi timeouts: recognised by class name."""


@pytest.mark.parametrize("error", [TimeoutError("timed out"), ReadTimeout("read timed out")])
def test_timeouts_are_retried_then_reported(fake, error):
    pauses: list[float] = []
    fake.script = {"BABA": [error, error]}
    fake.default = baba_june
    assert len(prices.fetch_live("BABA", "2025-06-05", "2025-06-13", write_cache=False,
                                 sleep=pauses.append)) == 7
    assert pauses == [2.0, 4.0]
    fake.script = {"BABA": [error] * 3}
    with pytest.raises(LiveDataError, match="Timeout|timed out"):
        prices.fetch_live("BABA", "2025-06-05", "2025-06-13", retries=2, sleep=pauses.append)


def test_other_exceptions_are_not_retried(fake, sleeps):
    fake.script = {"BABA": [KeyError("chart")]}
    with pytest.raises(LiveDataError, match="KeyError"):
        prices.fetch_live("BABA", "2025-06-05", "2025-06-13")
    assert sleeps == [] and len(fake.calls) == 1


def test_unexpected_columns(fake, sleeps):
    fake.default = pd.DataFrame({"Foo": [1.0], "Bar": [2.0]},
                                index=pd.DatetimeIndex(["2025-06-05"], name="Date"))
    with pytest.raises(LiveDataError, match="unexpected yfinance columns.*missing open"):
        prices.fetch_live("BABA", "2025-06-05", "2025-06-13")


def test_columns_for_another_ticker(fake, sleeps):
    fake.default = lambda t, kw: baba_june("NVDA", kw)
    with pytest.raises(LiveDataError, match="other tickers"):
        prices.fetch_live("BABA", "2025-06-05", "2025-06-13")


def test_live_bars_failing_validation_are_not_cached(fake, sleeps, isolated_cache):
    def broken(t, kw):
        frame = baba_june(t, kw)
        frame[("High", t)] = 1.0  # high below open/close everywhere
        return frame
    fake.default = broken
    with pytest.raises(LiveDataError, match="high_ge_open_close"):
        prices.fetch_live("BABA", "2025-06-05", "2025-06-13")
    assert not (isolated_cache / "BABA.csv").exists()


def test_yahoo_adj_close_disagreeing_warns(fake, sleeps):
    def no_dividend(t, kw):
        frame = baba_june(t, kw)
        frame[("Dividends", t)] = 0.0  # Yahoo's Adj Close still carries the $2 drop
        return frame
    fake.default = no_dividend
    with pytest.warns(prices.MissingDataWarning, match="BABA.*2025-06-12"):
        prices.fetch_live("BABA", "2025-06-05", "2025-06-13", write_cache=False)


def test_one_bad_ticker_among_good_ones(fake, sleeps, isolated_cache):
    fake.script = {"ZZZZ": [pd.DataFrame()]}
    fake.default = baba_june
    with pytest.raises(LiveDataError, match="ZZZZ") as info:
        prices.fetch_live(["BABA", "ZZZZ"], "2025-06-05", "2025-06-13", progress=False)
    assert info.value.ticker == "ZZZZ" and "BABA" not in str(info.value).split(":")[0]
    assert (isolated_cache / "BABA.csv").exists(), "the good ticker is cached anyway"
    assert not (isolated_cache / "ZZZZ.csv").exists()
    fake.script = {"ZZZZ": [pd.DataFrame()]}
    with pytest.raises(UnknownTickerError, match="ZZZZ"):
        prices.load_prices(["BABA", "ZZZZ"], "2025-06-05", "2025-06-13")


def test_unknown_ticker_offline_in_auto(fake, sleeps):
    with pytest.raises(UnknownTickerError, match="XYZQ.*live failed"):
        prices.load_prices("XYZQ")
    assert [call[0] for call in fake.calls] == ["XYZQ"]


# --------------------------------------------------------------------------- auto: partial ranges
def test_auto_partial_range_serves_what_it_has_and_warns(fake, sleeps):
    with pytest.warns(prices.MissingDataWarning, match=r"KWEB: prices for 2026-07-28\.\.2026-09-15"):
        frame = prices.load_prices(["BABA", "KWEB"], "2026-07-20", "2026-09-15")
    assert [call[0] for call in fake.calls] == ["KWEB"], "only the missing part of KWEB is fetched"
    kweb = frame[frame["ticker"] == "KWEB"]
    assert kweb["date"].max() == pd.Timestamp("2026-07-27")
    assert frame[frame["ticker"] == "BABA"]["date"].max() == pd.Timestamp("2026-09-15")


def test_auto_fetches_the_gap_then_uses_the_cache(fake, sleeps, isolated_cache):
    fake.default = synthetic("2026-07-28", "2026-08-01")
    with warnings.catch_warnings():
        warnings.simplefilter("error", prices.MissingDataWarning)
        frame = prices.load_prices("KWEB", "2026-07-24", "2026-07-31")
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-07-24", "2026-07-27", "2026-07-28", "2026-07-29", "2026-07-30", "2026-07-31"]
    assert frame["close"].iloc[-1] == 27.0 and frame["close"].iloc[1] == 27.0  # 07-27 snapshot close
    assert (isolated_cache / "KWEB.csv").exists()
    again = prices.load_prices("KWEB", "2026-07-24", "2026-07-31")
    assert len(fake.calls) == 1, "a covered range must not go live again"
    pd.testing.assert_frame_equal(frame, again)


def test_auto_does_not_go_live_when_the_gap_has_no_session(fake, sleeps):
    assert prices.load_prices("BABA", "2026-10-03", "2026-10-04").empty  # weekend inside the data
    # 2022-12-31..2023-01-02 is a weekend plus the New Year holiday: nothing to fetch
    frame = prices.load_prices("BABA", "2022-12-31", "2023-01-04")
    assert frame["date"].iloc[0] == pd.Timestamp("2023-01-03")
    assert fake.calls == [], "no live call for a gap without NYSE sessions"


def test_auto_open_ended_request_after_the_data_goes_live_until_today(fake, sleeps, monkeypatch):
    monkeypatch.setattr(prices, "_today_new_york", lambda: pd.Timestamp("2026-08-07"))
    fake.default = synthetic("2026-08-03", "2026-08-08")
    frame = prices.load_prices("KWEB", "2026-08-03")
    assert fake.calls[0][1]["start"] == "2026-08-03" and fake.calls[0][1]["end"] == "2026-08-08"
    assert len(frame) == 5 and frame["date"].iloc[-1] == pd.Timestamp("2026-08-07")


def test_progress_bar_for_several_tickers(fake, sleeps, capsys):
    fake.default = baba_june
    frame = prices.fetch_live(["BABA", "MCHI"], "2025-06-05", "2025-06-13", write_cache=False)
    assert sorted(set(frame["ticker"])) == ["BABA", "MCHI"]
    assert "yfinance" in capsys.readouterr().err, "tqdm bar expected when fetching several tickers"


def test_live_source_returns_fresh_bars_and_raises_on_failure(fake, sleeps):
    fake.default = baba_june
    frame = prices.load_prices("BABA", "2025-06-09", "2025-06-13", source="live")
    assert frame["close"].tolist() == [121.48, 121.88, 120.33, 116.62, 112.87]
    fake.default = pd.DataFrame()
    with pytest.raises(LiveDataError, match="BABA"):
        prices.load_prices("BABA", "2025-06-09", "2025-06-13", source="live")


# --------------------------------------------------------------------------- cache safety
def test_failing_fetch_leaves_the_cache_unchanged(fake, sleeps, isolated_cache):
    target = isolated_cache / "BABA.csv"
    shutil.copy(fixture("prices", "cache_BABA_extension.csv"), target)
    before = target.read_bytes()
    fake.default = pd.DataFrame()
    with pytest.raises(LiveDataError):
        prices.fetch_live("BABA", "2026-10-13", "2026-10-16")
    fake.script = {"BABA": [YFRateLimitError()] * 4}
    with pytest.raises(LiveDataError):
        prices.fetch_live("BABA", "2026-10-13", "2026-10-16")
    assert target.read_bytes() == before


def test_interrupted_write_keeps_the_old_file(fake, sleeps, isolated_cache, monkeypatch):
    target = isolated_cache / "BABA.csv"
    shutil.copy(fixture("prices", "cache_BABA_extension.csv"), target)
    before = target.read_bytes()
    fake.default = baba_june

    def crash(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(prices.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        prices.fetch_live("BABA", "2025-06-05", "2025-06-13")
    assert target.read_bytes() == before, "os.replace is the only step that touches the real file"
    assert sorted(os.listdir(isolated_cache)) == ["BABA.csv"], "the temp file must be cleaned up"


def test_successful_fetch_merges_into_existing_cache(fake, sleeps, isolated_cache):
    shutil.copy(fixture("prices", "cache_BABA_extension.csv"), isolated_cache / "BABA.csv")
    fake.default = baba_june
    prices.fetch_live("BABA", "2025-06-05", "2025-06-13")
    cached = prices.load_prices("BABA", source="cache")
    assert len(cached) == 7 + 3, "old cache rows are kept next to the new ones"


def test_malformed_cache_blocks_writing_and_survives(fake, sleeps, isolated_cache):
    target = isolated_cache / "BABA.csv"
    shutil.copy(fixture("prices", "cache_bad_number.csv"), target)
    before = target.read_bytes()
    fake.default = baba_june
    with pytest.raises(DataFileError, match="line 4"):
        prices.fetch_live("BABA", "2025-06-05", "2025-06-13")
    assert target.read_bytes() == before, "a malformed cache must never be overwritten"
