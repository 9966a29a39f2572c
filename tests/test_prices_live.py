"""Live path of babaresearch.prices, with yfinance mocked at its one boundary.

prices calls ``yfinance.Ticker(t).history(..., raise_errors=True)``. Two kinds of fakes:

* ``real_yahoo``: the real yfinance code runs and only its HTTP layer (``YfData.get`` /
  ``cache_get``) is replaced, returning Yahoo chart JSON or raising ``YFRateLimitError`` as
  Yahoo's 429 does. This pins what yfinance 1.x really does (``yf.download`` swallows the rate
  limit and returns an empty frame; ``history(raise_errors=True)`` raises it) and the real
  shape of ``history()``: flat columns ``Open, High, Low, Close, Adj Close, Volume, Dividends,
  Stock Splits`` and a tz-aware ``Date`` index.
* ``fake``: ``yfinance.Ticker`` replaced by a scripted stand-in whose ``history()`` returns
  frames of that same shape or raises (rate limit, timeout, missing prices), per ticker.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import stat
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
import yfinance
from yfinance.exceptions import YFPricesMissingError, YFRateLimitError

from babaresearch import prices
from babaresearch.errors import DataFileError, LiveDataError, OutOfRangeError, UnknownTickerError
from conftest import resource as fixture

BABA_JUNE = fixture("prices", "yf_history_BABA_2025-06.csv")
#: Column order of ``Ticker.history(auto_adjust=False, actions=True)`` for a stock.
HISTORY_COLUMNS = ["Open", "High", "Low", "Close", "Adj Close", "Volume", "Dividends", "Stock Splits"]
NEW_YORK = "America/New_York"


def _history_frame(flat: pd.DataFrame, tz: str = NEW_YORK) -> pd.DataFrame:
    """A flat table with a ``Date`` column -> the frame Ticker.history returns."""
    index = pd.DatetimeIndex(pd.to_datetime(flat["Date"]), name="Date").tz_localize(tz)
    frame = flat.drop(columns="Date").set_index(index)
    return frame.loc[:, [c for c in HISTORY_COLUMNS if c in frame.columns]]


def install_cache(cache, ticker: str, data: bytes, *, meta_ticker: str | None = None,
                  basis: str = "2026-10-20") -> None:
    """Write a cache file as prices does: a header note (ticker, SHA-256 of the CSV after the
    header line, split basis), then the CSV."""
    note = {"format": 2, "ticker": meta_ticker or ticker, "split_adjusted_through": basis,
            "sha256": hashlib.sha256(data).hexdigest()}
    (cache / f"{ticker}.csv").write_bytes(b"#babaresearch-cache " + json.dumps(note).encode()
                                          + b"\n" + data)


def cache_note(cache, ticker: str) -> dict:
    """The header note of a cache file, after checking it vouches for the CSV below it."""
    data = (cache / f"{ticker}.csv").read_bytes()
    line, body = data.split(b"\n", 1)
    assert line.startswith(b"#babaresearch-cache "), "a cache file starts with its note"
    note = json.loads(line[len(b"#babaresearch-cache "):])
    assert note["sha256"] == hashlib.sha256(body).hexdigest(), "the note vouches for the body"
    return note


class FakeYahoo:
    """Stands in for ``yfinance.Ticker``; ``script`` maps ticker -> outcomes of successive
    ``history()`` calls (an exception is raised, a callable gets (ticker, kwargs)); after the
    script, ``default`` plays."""

    def __init__(self):
        self.script: dict[str, list] = {}
        self.default = None
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, ticker, session=None):
        owner = self

        class _Ticker:
            def history(self, **kwargs):
                owner.calls.append((ticker, kwargs))
                queue = owner.script.get(ticker)
                outcome = queue.pop(0) if queue else owner.default
                if isinstance(outcome, BaseException):
                    raise outcome
                if callable(outcome):
                    outcome = outcome(ticker, kwargs)
                return outcome if outcome is not None else pd.DataFrame()

        return _Ticker()


def baba_june(ticker, kwargs, tz: str = NEW_YORK):
    flat = pd.read_csv(BABA_JUNE)
    keep = (flat["Date"] >= kwargs["start"]) & (flat["Date"] < kwargs["end"])  # end exclusive
    return _history_frame(flat[keep], tz)


def synthetic(first: str, last: str, price: float = 27.0, splits: dict | None = None):
    """A well-formed flat-price history for any ticker over the weekdays first..last."""
    def make(ticker, kwargs):
        days = pd.bdate_range(max(first, kwargs["start"]), min(last, kwargs["end"]), inclusive="left")
        flat = pd.DataFrame({"Date": days.strftime("%Y-%m-%d"), "Open": price, "High": price + 0.5,
                             "Low": price - 0.5, "Close": price, "Adj Close": price,
                             "Volume": 1_000_000, "Dividends": 0.0, "Stock Splits": 0.0})
        for day, ratio in (splits or {}).items():
            flat.loc[flat["Date"] == day, "Stock Splits"] = ratio
        return _history_frame(flat)
    return make


@pytest.fixture
def fake(monkeypatch):
    stub = FakeYahoo()
    monkeypatch.setattr(yfinance, "Ticker", stub)
    # after a completed session far beyond every test range (tests that care set their own)
    monkeypatch.setattr(prices, "_now", lambda: pd.Timestamp("2027-06-01 18:00", tz=NEW_YORK))
    return stub


@pytest.fixture
def sleeps(monkeypatch):
    record: list[float] = []
    monkeypatch.setattr(prices, "_sleep", record.append)
    return record


# --------------------------------------------------------------------------- real yfinance code
def _chart_json(days, closes, dividend=None, split=None):
    """Yahoo's v8 chart JSON for daily bars (what the HTTP layer would return)."""
    stamps = [int(pd.Timestamp(f"{day} 09:30", tz=NEW_YORK).timestamp()) for day in days]
    events = {}
    if dividend:
        at, amount = dividend
        events["dividends"] = {str(stamps[at]): {"amount": amount, "date": stamps[at]}}
    if split:
        split_at, ratio = split
        events["splits"] = {str(stamps[split_at]): {"date": stamps[split_at], "numerator": ratio,
                                              "denominator": 1, "splitRatio": f"{ratio}:1"}}
    period = {"timezone": "EDT", "start": stamps[-1], "end": stamps[-1], "gmtoffset": -14400}
    meta = {"currency": "USD", "symbol": "BABA", "exchangeName": "NYQ", "instrumentType": "EQUITY",
            "exchangeTimezoneName": NEW_YORK, "timezone": "EDT", "gmtoffset": -14400,
            "dataGranularity": "1d", "range": "", "validRanges": ["1d", "5d", "1mo", "max"],
            "regularMarketTime": stamps[-1], "firstTradeDate": 1_000_000_000, "priceHint": 2,
            "currentTradingPeriod": {"pre": period, "regular": period, "post": period}}
    adjusted = list(closes)
    if dividend:  # Yahoo's Adj Close: closes before the ex-date scaled by 1 - D / previous close
        adjusted = [c * (1 - amount / closes[at - 1]) if i < at else c for i, c in enumerate(closes)]
    quote = {"open": closes, "high": [c + 1 for c in closes], "low": [c - 1 for c in closes],
             "close": closes, "volume": [1000] * len(closes)}
    return {"chart": {"error": None, "result": [{
        "meta": meta, "timestamp": stamps, "events": events,
        "indicators": {"quote": [quote], "adjclose": [{"adjclose": adjusted}]}}]}}


class _Response:
    status_code = 200
    text = "ok"

    def __init__(self, payload):
        self._payload = payload

    def json(self):
        return self._payload

    def raise_for_status(self):
        pass


@pytest.fixture
def real_yahoo(monkeypatch):
    """Real yfinance; only its HTTP calls are scripted (a list of payloads / exceptions)."""
    import yfinance.cache
    import yfinance.data

    class NoTzCache:  # keep yfinance's sqlite timezone cache out of the user's folders
        def lookup(self, key):
            return None

        def store(self, key, value):
            pass

    monkeypatch.setattr(yfinance.cache, "get_tz_cache", lambda: NoTzCache())
    script: list = []

    def get(self, url, params=None, timeout=30, **kwargs):
        outcome = script.pop(0) if len(script) > 1 else script[0]
        if isinstance(outcome, BaseException):
            raise outcome
        return _Response(outcome)

    monkeypatch.setattr(yfinance.data.YfData, "get", get)
    monkeypatch.setattr(yfinance.data.YfData, "cache_get", get)
    monkeypatch.setattr(prices, "_now", lambda: pd.Timestamp("2027-06-01 18:00", tz=NEW_YORK))
    return script


def test_premise_download_swallows_rate_limits_history_raises_them(real_yahoo):
    real_yahoo.append(YFRateLimitError())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        swallowed = yfinance.download("QQQ", start="2025-06-10", end="2025-06-13",
                                      progress=False, threads=False)
        assert swallowed.empty, "yf.download returns an empty frame on a rate limit"
        with pytest.raises(YFRateLimitError):
            yfinance.Ticker("NVDA").history(start="2025-06-10", end="2025-06-13", raise_errors=True)


def test_real_history_rate_limit_is_retried(real_yahoo, sleeps):
    days = ["2025-06-10", "2025-06-11", "2025-06-12"]
    real_yahoo += [YFRateLimitError(), YFRateLimitError(), _chart_json(days, [100.0, 101.0, 102.0])]
    frame = prices.fetch_live("BABA", "2025-06-10", "2025-06-12", write_cache=False)
    assert sleeps == [2.0, 4.0], "two rate limits -> two back-off pauses of 2 s and 4 s"
    assert frame["close"].tolist() == [100.0, 101.0, 102.0]


def test_real_history_shape_dividends_and_splits(real_yahoo, sleeps, isolated_cache):
    days = ["2025-06-10", "2025-06-11", "2025-06-12"]
    real_yahoo.append(_chart_json(days, [100.0, 101.0, 102.0], dividend=(2, 2.0), split=(1, 4)))
    frame = prices.fetch_live("BABA", "2025-06-10", "2025-06-12")
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == days, "tz-aware index -> session dates"
    assert frame["dividend"].tolist() == [0.0, 0.0, 2.0]
    assert frame["volume"].tolist() == [1000.0] * 3
    text = (isolated_cache / "BABA.csv").read_text()
    assert "\n2025-06-11,101.0,102.0,100.0,101.0,1000,0.0,4.0\n" in text, "the split is cached on its date"


def test_real_history_missing_prices_is_not_retried(real_yahoo, sleeps):
    empty = _chart_json(["2025-06-10"], [100.0])
    empty["chart"]["result"] = None  # Yahoo's answer for a range without prices
    real_yahoo += [_chart_json(["2025-06-10"], [100.0]), empty]  # timezone lookup, then history
    with pytest.raises(LiveDataError, match="BABA.*no data \\(YFPricesMissingError"):
        prices.fetch_live("BABA", "2025-06-10", "2025-06-12", write_cache=False)
    assert sleeps == []


# --------------------------------------------------------------------------- normal frames
def test_fetch_live_normal_frame_and_cache(fake, sleeps, isolated_cache):
    fake.default = baba_june
    frame = prices.fetch_live("baba", "2025-06-05", "2025-06-13")
    ticker, kwargs = fake.calls[0]
    assert ticker == "BABA" and kwargs["auto_adjust"] is False and kwargs["actions"] is True
    assert kwargs["raise_errors"] is True, "without raise_errors yfinance hides rate limits"
    assert kwargs["interval"] == "1d"
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
    meta = cache_note(isolated_cache, "BABA")
    assert meta["last_session"] == "2025-06-13" and meta["rows"] == 7
    assert meta["ticker"] == "BABA" and meta["split_adjusted_through"] == "2027-06-01"
    assert not (isolated_cache / "BABA.meta.json").exists(), "one file: the note is inside"
    assert not [p for p in os.listdir(isolated_cache) if p.endswith(".tmp")], "no temp files left"


@pytest.mark.parametrize("tz", [NEW_YORK, "Asia/Hong_Kong", "UTC"])
def test_tz_aware_index_gives_the_exchange_session_date(fake, sleeps, tz):
    # daily bars are stamped at the exchange's midnight: converting a Hong Kong midnight to
    # New York would move every bar to the previous day
    fake.default = lambda t, kw: baba_june(t, kw, tz=tz)
    frame = prices.fetch_live("BABA", "2025-06-05", "2025-06-13", write_cache=False)
    assert str(frame["date"].dtype) == "datetime64[ns]"
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist()[-2:] == ["2025-06-12", "2025-06-13"]


def test_naive_index_and_download_style_multiindex_are_accepted(fake, sleeps):
    fake.default = lambda t, kw: baba_june(t, kw).tz_localize(None)
    assert len(prices.fetch_live("BABA", "2025-06-05", "2025-06-13", write_cache=False)) == 7

    def multi(t, kw):
        frame = baba_june(t, kw)
        frame.columns = pd.MultiIndex.from_product([frame.columns, [t]], names=["Price", "Ticker"])
        return frame
    fake.default = multi
    assert len(prices.fetch_live("BABA", "2025-06-05", "2025-06-13", write_cache=False)) == 7


# --------------------------------------------------------------------------- failures
def test_empty_frame_is_a_failure_naming_the_ticker(fake, sleeps, isolated_cache):
    fake.default = pd.DataFrame()
    with pytest.raises(LiveDataError, match="BABA.*no data") as info:
        prices.fetch_live("BABA", "2025-06-05", "2025-06-13")
    assert info.value.ticker == "BABA"
    assert not (isolated_cache / "BABA.csv").exists(), "a failed fetch must not create a cache file"
    assert sleeps == [], "an empty frame is not retried (offline would only get slower)"


def test_missing_prices_error_is_reported_not_retried(fake, sleeps):
    fake.script = {"ZZZZ": [YFPricesMissingError("ZZZZ", "(1d 2025-06-05 -> 2025-06-14)")]}
    with pytest.raises(LiveDataError, match="ZZZZ.*no data"):
        prices.fetch_live("ZZZZ", "2025-06-05", "2025-06-13")
    assert sleeps == [] and len(fake.calls) == 1


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
    def other(t, kw):
        frame = baba_june(t, kw)
        frame.columns = pd.MultiIndex.from_product([frame.columns, ["NVDA"]])
        return frame
    fake.default = other
    with pytest.raises(LiveDataError, match="other tickers"):
        prices.fetch_live("BABA", "2025-06-05", "2025-06-13")


def test_live_bars_failing_validation_are_not_cached(fake, sleeps, isolated_cache):
    def broken(t, kw):
        frame = baba_june(t, kw)
        frame["High"] = 1.0  # high below open/close everywhere
        return frame
    fake.default = broken
    with pytest.raises(LiveDataError, match="high_ge_open_close"):
        prices.fetch_live("BABA", "2025-06-05", "2025-06-13")
    assert not (isolated_cache / "BABA.csv").exists()


def test_yahoo_adj_close_disagreeing_warns(fake, sleeps):
    def no_dividend(t, kw):
        frame = baba_june(t, kw)
        frame["Dividends"] = 0.0  # Yahoo's Adj Close still carries the $2 drop
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
    with pytest.raises(UnknownTickerError, match="XYZQ.*live lookup failed"):
        prices.load_prices("XYZQ")
    assert [call[0] for call in fake.calls] == ["XYZQ"]


# --------------------------------------------------------------------------- auto: partial ranges
def test_auto_partial_range_serves_what_it_has_and_warns(fake, sleeps, isolated_cache):
    install_cache(isolated_cache, "BABA", fixture("prices", "cache_BABA_extension.csv").read_bytes())
    with pytest.warns(prices.MissingDataWarning, match=r"KWEB: prices for 2026-10-10\.\.2026-10-14"):
        frame = prices.load_prices(["BABA", "KWEB"], "2026-10-05", "2026-10-14")
    assert [call[0] for call in fake.calls] == ["KWEB"], "only the missing part of KWEB is fetched"
    kweb = frame[frame["ticker"] == "KWEB"]
    assert kweb["date"].max() == pd.Timestamp("2026-10-09")
    assert frame[frame["ticker"] == "BABA"]["date"].max() == pd.Timestamp("2026-10-14")


def test_auto_fetches_the_gap_then_uses_the_cache(fake, sleeps, isolated_cache):
    fake.default = synthetic("2026-10-12", "2026-10-17")
    with warnings.catch_warnings():
        warnings.simplefilter("error", prices.MissingDataWarning)
        frame = prices.load_prices("KWEB", "2026-10-07", "2026-10-14")
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-10-07", "2026-10-08", "2026-10-09", "2026-10-12", "2026-10-13", "2026-10-14"]
    assert frame["close"].iloc[-1] == 27.0 and frame["close"].iloc[2] == 24.93  # 10-09 snapshot close
    assert (isolated_cache / "KWEB.csv").exists()
    again = prices.load_prices("KWEB", "2026-10-07", "2026-10-14")
    assert len(fake.calls) == 1, "a covered range must not go live again"
    pd.testing.assert_frame_equal(frame, again)


def test_auto_does_not_go_live_when_the_gap_has_no_session(fake, sleeps):
    assert prices.load_prices("BABA", "2026-10-03", "2026-10-04").empty  # weekend inside the data
    # 2022-12-31..2023-01-02 is a weekend plus the New Year holiday: nothing to fetch
    frame = prices.load_prices("BABA", "2022-12-31", "2023-01-04")
    assert frame["date"].iloc[0] == pd.Timestamp("2023-01-03")
    assert fake.calls == [], "no live call for a gap without NYSE sessions"


def test_auto_open_ended_request_after_the_data_goes_live_until_today(fake, sleeps, monkeypatch):
    # Friday 2026-10-16 after the close: that session is complete
    monkeypatch.setattr(prices, "_now", lambda: pd.Timestamp("2026-10-16 16:30", tz=NEW_YORK))
    fake.default = synthetic("2026-10-12", "2026-10-17")
    frame = prices.load_prices("KWEB", "2026-10-12")
    assert fake.calls[0][1]["start"] == "2026-10-12" and fake.calls[0][1]["end"] == "2026-10-17"
    assert len(frame) == 5 and frame["date"].iloc[-1] == pd.Timestamp("2026-10-16")


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
    install_cache(isolated_cache, "BABA", fixture("prices", "cache_BABA_extension.csv").read_bytes())
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
    install_cache(isolated_cache, "BABA", fixture("prices", "cache_BABA_extension.csv").read_bytes())
    before = target.read_bytes()
    fake.default = baba_june

    def crash(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(DataFileError, match="BABA.*cannot write the price cache: disk full"):
        prices.fetch_live("BABA", "2025-06-05", "2025-06-13")
    assert target.read_bytes() == before, "os.replace is the only step that touches the real file"
    assert not [p for p in os.listdir(isolated_cache) if p.endswith(".tmp")], "temp file cleaned up"


def test_successful_fetch_merges_into_existing_cache(fake, sleeps, isolated_cache):
    install_cache(isolated_cache, "BABA", fixture("prices", "cache_BABA_extension.csv").read_bytes())
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


# --------------------------------------------------------------------------- completed sessions
@pytest.mark.parametrize("now, expected", [
    ("2026-09-17 11:00", "2026-09-16"),  # Thursday, market open: Wednesday is the last complete
    ("2026-09-17 15:59", "2026-09-16"),
    ("2026-09-17 16:00", "2026-09-17"),  # at the close the session is complete
    ("2026-09-19 12:00", "2026-09-18"),  # Saturday -> Friday
    ("2025-11-28 12:59", "2025-11-26"),  # early close at 13:00; 11-27 is Thanksgiving
    ("2025-11-28 13:00", "2025-11-28"),
])
def test_last_complete_session(now, expected):
    assert prices._last_complete_session(pd.Timestamp(now, tz=NEW_YORK)) == pd.Timestamp(expected)


def test_last_complete_session_converts_other_zones():
    # 2026-09-17 20:30 UTC = 16:30 New York: Thursday's session has closed
    assert prices._last_complete_session(pd.Timestamp("2026-09-17 20:30", tz="UTC")) == \
        pd.Timestamp("2026-09-17")


def test_unfinished_bar_is_never_fetched_or_cached(fake, sleeps, isolated_cache, monkeypatch):
    fake.default = synthetic("2026-10-12", "2026-10-30", price=200.0)
    monkeypatch.setattr(prices, "_now", lambda: pd.Timestamp("2026-10-14 11:00", tz=NEW_YORK))
    frame = prices.load_prices("NVDA", "2026-10-06", "2026-10-14")
    assert fake.calls[-1][1]["end"] == "2026-10-14", "exclusive end: only through 10-13"
    assert frame["date"].iloc[-1] == pd.Timestamp("2026-10-13")
    assert cache_note(isolated_cache, "NVDA")["last_session"] == "2026-10-13"
    # after the close the same request fetches 10-14 with its final price
    fake.default = synthetic("2026-10-14", "2026-10-30", price=180.0)
    monkeypatch.setattr(prices, "_now", lambda: pd.Timestamp("2026-10-14 17:00", tz=NEW_YORK))
    frame = prices.load_prices("NVDA", "2026-10-06", "2026-10-14")
    assert frame.set_index("date").loc["2026-10-14", "close"] == 180.0
    with pytest.raises(OutOfRangeError, match="no completed NYSE session"):
        prices.fetch_live("NVDA", "2026-10-15", "2026-10-15")


# --------------------------------------------------------------------------- unwritable caches
@pytest.fixture
def unwritable(monkeypatch):
    """Creating the temp file fails as in a read-only folder (chmod does not stop root)."""
    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied", kwargs.get("dir"))
    from babaresearch import resources  # the one atomic writer the cache goes through

    monkeypatch.setattr(resources.tempfile, "mkstemp", deny)


def test_unwritable_cache(fake, sleeps, isolated_cache, unwritable):
    fake.default = synthetic("2026-10-12", "2026-10-30", price=180.0)
    with pytest.raises(DataFileError, match="cannot write the price cache: Permission denied") as info:
        prices.fetch_live("NVDA", "2026-10-12", "2026-10-14")
    assert str(isolated_cache) in info.value.path
    with pytest.raises(DataFileError, match="Permission denied"):
        prices.load_prices("NVDA", "2026-10-08", "2026-10-14", source="live")
    with pytest.warns(prices.CacheWarning, match="NVDA: fetched prices are served but could not be cached"):
        frame = prices.load_prices("NVDA", "2026-10-08", "2026-10-14")
    assert frame["close"].tolist()[-3:] == [180.0] * 3, "auto still returns the fetched bars"
    assert len(prices.fetch_live("NVDA", "2026-10-12", "2026-10-14", write_cache=False)) == 3


def test_cache_folder_that_is_a_file(fake, sleeps, tmp_path, monkeypatch):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("x")
    monkeypatch.setenv("BABARESEARCH_CACHE", str(not_a_folder))
    fake.default = synthetic("2026-09-16", "2026-09-30")
    with pytest.raises(DataFileError, match="cache"):
        prices.fetch_live("NVDA", "2026-09-16", "2026-09-18")
    assert not_a_folder.read_text() == "x"


# --------------------------------------------------------------------------- concurrent writers
def test_concurrent_writers_keep_both_merges(isolated_cache, monkeypatch):
    import threading
    import time

    june = prices._merge_store(None, pd.DataFrame({
        "date": pd.bdate_range("2025-06-02", "2025-06-06"), "open": 27.0, "high": 27.5,
        "low": 26.5, "close": 27.0, "volume": 1e6, "dividend": 0.0}))
    july = june.assign(date=pd.bdate_range("2025-07-07", "2025-07-11"))
    from babaresearch import store

    original = store.atomic_write_text
    entered = threading.Event()

    def slow(path, text):  # widen the read-merge-replace window of whoever writes first
        entered.set()
        time.sleep(0.2)
        original(path, text)
    monkeypatch.setattr(store, "atomic_write_text", slow)
    first = threading.Thread(target=prices._write_cache, args=("BABA", june))
    first.start()
    entered.wait(5)
    prices._write_cache("BABA", july)  # reads while the first writer sleeps, without the lock
    first.join()
    cached = prices.load_prices("BABA", source="cache")
    assert len(cached) == 10, "June's 5 rows and July's 5 rows must both survive"
    assert (isolated_cache / "BABA.csv.lock").exists()


# --------------------------------------------------------------------------- splits
def test_split_in_fetched_data_rescales_older_rows(fake, sleeps, isolated_cache):
    snap = prices.load_prices("NVDA", "2026-10-08", "2026-10-09", source="snapshot").set_index("date")
    fake.default = synthetic("2026-10-12", "2026-10-16", price=45.0, splits={"2026-10-12": 4.0})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = prices.load_prices("NVDA", "2026-10-08", "2026-10-14").set_index("date")
    assert frame.loc["2026-10-09", "close"] == pytest.approx(snap.loc["2026-10-09", "close"] / 4)
    assert frame.loc["2026-10-09", "volume"] == snap.loc["2026-10-09", "volume"] * 4
    expected = 45.0 / (snap.loc["2026-10-09", "close"] / 4) - 1
    rets = prices.returns("NVDA", "2026-10-12", "2026-10-12", adjusted=False)
    assert rets.iloc[0, 0] == pytest.approx(expected, rel=1e-12), "no -75% day at a 4:1 split"
    assert rets.iloc[0, 0] > -0.5
    again = prices.load_prices("NVDA", "2026-10-08", "2026-10-14").set_index("date")
    pd.testing.assert_frame_equal(again, frame, check_exact=True)
    assert len(fake.calls) == 1, "second load comes from the cache; the split is applied once"


# --------------------------------------------------------------------------- short failure causes
# What the HTTP stacks under yfinance really raise offline (texts copied from curl_cffi 0.16 /
# requests 2.x / urllib3 2.x error output; hosts are Yahoo's).
CURL_DNS = ("Failed to perform, curl: (6) Could not resolve host: query2.finance.yahoo.com. "
            "See https://curl.se/libcurl/c/libcurl-errors.html first for more details.")
CURL_TIMEOUT = ("Failed to perform, curl: (28) Operation timed out after 20001 milliseconds with "
                "0 bytes received. See https://curl.se/libcurl/c/libcurl-errors.html first for "
                "more details.")
CURL_CONNECT = ("Failed to perform, curl: (7) Failed to connect to query2.finance.yahoo.com port "
                "443 after 2 ms: Couldn't connect to server. See "
                "https://curl.se/libcurl/c/libcurl-errors.html first for more details.")
REQUESTS_DNS = ("HTTPSConnectionPool(host='query2.finance.yahoo.com', port=443): Max retries "
                "exceeded with url: /v8/finance/chart/FOO?interval=1d (Caused by "
                "NameResolutionError(\"<urllib3.connection.HTTPSConnection object at 0x7f>: "
                "Failed to resolve 'query2.finance.yahoo.com' ([Errno -3] Temporary failure in "
                "name resolution)\"))")
DNS_CAUSE = "network unreachable: could not resolve the Yahoo host"


def _curl_dns():
    from curl_cffi.requests.exceptions import DNSError

    return DNSError(CURL_DNS, 6)


def _chained(outer: BaseException, inner: BaseException) -> BaseException:
    outer.__cause__ = inner
    return outer


def _curl(kind: str, text: str, code: int):
    from curl_cffi.requests import exceptions

    return getattr(exceptions, kind)(text, code)


@pytest.mark.parametrize("make, expected", [
    (_curl_dns, DNS_CAUSE),
    (lambda: __import__("requests").exceptions.ConnectionError(REQUESTS_DNS), DNS_CAUSE),
    (lambda: _chained(RuntimeError("wrapper"), _curl("DNSError", CURL_DNS, 6)), DNS_CAUSE),
    (lambda: _curl("DNSError", CURL_DNS.replace("query2.finance.yahoo.com", "proxy.corp.example"), 6),
     "network unreachable: could not resolve host proxy.corp.example"),
    (lambda: _curl("Timeout", CURL_TIMEOUT, 28), "timed out: Yahoo did not answer in time"),
    (lambda: _curl("ConnectionError", CURL_CONNECT, 7),
     "network unreachable: could not connect to Yahoo"),
    (lambda: ConnectionRefusedError(111, "Connection refused"),
     "network unreachable: could not connect to Yahoo"),
    (YFRateLimitError, "rate limited by Yahoo (too many requests)"),
    (lambda: KeyError("chart"), "KeyError: 'chart'"),
    (lambda: ValueError("Bad payload. See https://example.org/why for details."),
     "ValueError: Bad payload"),
    (RuntimeError, "RuntimeError"),
])
def test_summarize_exception_names_the_cause_in_a_few_words(make, expected):
    assert prices.summarize_exception(make()) == expected, (
        "the short cause of a realistic network failure changed")


def test_summarize_exception_caps_long_texts_and_survives_cycles():
    long = ValueError("x" * 500)
    text = prices.summarize_exception(long)
    assert len(text) == prices.CAUSE_MAX_CHARS == 120 and text.endswith("..."), (
        "a long message must be cut to 120 characters")
    assert text.startswith("ValueError: xxx")
    assert prices.summarize_exception(long, limit=20) == "ValueError: xxxxx..."
    first, second = ValueError("first"), ValueError("second")
    first.__context__, second.__context__ = second, first  # a cycle must not loop forever
    assert prices.summarize_exception(first) == "ValueError: first"


def test_offline_unknown_ticker_in_auto_gives_a_short_typed_error(fake, sleeps):
    fake.default = _curl_dns()
    with pytest.raises(UnknownTickerError) as info:
        prices.load_prices("FOO")
    message = str(info.value)
    assert message.startswith("unknown ticker 'FOO' in the snapshot or the cache, and the live "
                              f"lookup failed ({DNS_CAUSE}); known: BABA"), message
    assert "curl" not in message and len(message) < 200, "no raw curl text in the message"
    live_error = info.value.__cause__
    assert isinstance(live_error, LiveDataError) and live_error.ticker == "FOO"
    assert type(live_error.__cause__).__name__ == "DNSError", "the full exception stays as __cause__"
    assert CURL_DNS in str(live_error.__cause__)
    assert sleeps == [] and len(fake.calls) == 1, "a DNS failure is not retried"


def test_offline_range_past_the_snapshot_warns_with_a_short_cause(fake, sleeps):
    fake.default = _curl_dns()
    with pytest.warns(prices.MissingDataWarning) as record:
        frame = prices.load_prices("BABA", "2026-10-01", "2026-10-20")
    assert len(record) == 1
    assert str(record[0].message) == (
        f"BABA: prices for 2026-10-10..2026-10-20 are not in the snapshot data and the live "
        f"fetch failed ({DNS_CAUSE}); serving the snapshot data 2023-01-03..2026-10-09")
    assert frame["date"].iloc[-1] == pd.Timestamp("2026-10-09") and len(frame) == 7


def test_live_source_offline_error_names_ticker_range_and_cause(fake, sleeps):
    fake.default = _curl_dns()
    with pytest.raises(LiveDataError) as info:
        prices.load_prices("FOO", "2025-06-05", "2025-06-13", source="live")
    assert str(info.value) == f"FOO: live fetch 2025-06-05..2025-06-13 failed: {DNS_CAUSE}"
    assert info.value.reason == DNS_CAUSE and type(info.value.__cause__).__name__ == "DNSError"
    fake.default = _curl("Timeout", CURL_TIMEOUT, 28)
    with pytest.raises(LiveDataError) as info:
        prices.fetch_live(["BABA", "FOO"], "2025-06-05", "2025-06-13", retries=1, progress=False)
    assert str(info.value) == (
        "live fetch failed for BABA, FOO: BABA: live fetch 2025-06-05..2025-06-13 failed: timed "
        "out: Yahoo did not answer in time; gave up after 2 attempts; FOO: live fetch "
        "2025-06-05..2025-06-13 failed: timed out: Yahoo did not answer in time; gave up after 2 "
        "attempts")
    assert sleeps == [2.0, 2.0], "one back-off pause per ticker before its second attempt"


def test_quiet_yfinance_silences_and_restores_the_logger(capsys):
    import logging

    logger = logging.getLogger("yfinance")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    before = logger.level
    try:
        with prices.quiet_yfinance():
            logger.warning("Cookie/crumb fetch failed (DNSError), continuing without crumb")
            logging.getLogger("yfinance.data").error("Failed to get ticker 'FOO'")
            warnings.warn_explicit("deprecated", DeprecationWarning, "x.py", 1, module="yfinance.base")
        assert records == [], "yfinance's own log lines must not reach any handler"
        with pytest.raises(ZeroDivisionError):
            with prices.quiet_yfinance():
                1 / 0
        assert logger.level == before, "the logger's level is restored, even after an exception"
        logger.warning("after")
        assert [r.getMessage() for r in records] == ["after"]
    finally:
        logger.removeHandler(handler)
    assert capsys.readouterr().err == ""


def test_history_call_is_quiet_offline(real_yahoo, sleeps, capsys, caplog):
    """The real yfinance code, its HTTP layer failing as offline: nothing is printed or logged."""
    real_yahoo.append(_curl_dns())
    with pytest.raises(LiveDataError, match="BABA: live fetch 2025-06-10..2025-06-12 failed: "
                                            "network unreachable"):
        prices.fetch_live("BABA", "2025-06-10", "2025-06-12", write_cache=False)
    assert [r for r in caplog.records if r.name.startswith("yfinance")] == []
    assert capsys.readouterr() == ("", "")


# --------------------------------------------------------------------------- NVIDIA's real split
def nvda_from_snapshot(ticker, kwargs):
    """Yahoo's answer for NVDA built from the snapshot's own (split-adjusted) bars, with the
    real 10-for-1 split of 2024-06-10 on its day, as Yahoo sends it."""
    snap = prices.load_prices("NVDA", "2024-05-01", "2024-07-31", source="snapshot")
    keep = (snap["date"] >= kwargs["start"]) & (snap["date"] < kwargs["end"])
    snap = snap[keep]
    flat = pd.DataFrame({
        "Date": snap["date"].dt.strftime("%Y-%m-%d"), "Open": snap["open"], "High": snap["high"],
        "Low": snap["low"], "Close": snap["close"], "Adj Close": snap["adj_close"],
        "Volume": snap["volume"].astype("float64"),
        "Dividends": [0.01 if d == pd.Timestamp("2024-06-11") else 0.0 for d in snap["date"]],
        "Stock Splits": [10.0 if d == pd.Timestamp("2024-06-10") else 0.0 for d in snap["date"]],
    })
    return _history_frame(flat)


def _max_abs_return(frame):
    closes_ = frame.set_index("date")["close"]
    return float((closes_ / closes_.shift(1) - 1).abs().max())


def test_live_answer_over_nvidias_split_is_not_applied_again_to_the_snapshot(fake, sleeps, isolated_cache):
    """Issue 11 item 1: one live fetch over 2024-06-10 made every later auto load serve NVDA
    before June 2024 at a tenth of its price (a +949% day on 2024-06-03)."""
    fake.default = nvda_from_snapshot
    prices.fetch_live("NVDA", "2024-06-03", "2024-06-14")
    snap = prices.load_prices("NVDA", "2024-05-20", "2024-06-14", source="snapshot")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no disagreement warning either: the bars are equal
        auto = prices.load_prices("NVDA", "2024-05-20", "2024-06-14")
    assert auto["close"].tolist() == snap["close"].tolist(), "auto must serve the snapshot's closes"
    assert auto.set_index("date").loc["2024-05-31", "close"] == 109.63
    assert _max_abs_return(auto) < 0.1, "no +949% day on 2024-06-03"
    assert prices.returns("NVDA", "2024-06-03", "2024-06-03", adjusted=False).iloc[0, 0] == \
        pytest.approx(115.00 / 109.63 - 1, rel=1e-12)


def test_second_live_fetch_over_the_split_does_not_rewrite_the_cache(fake, sleeps, isolated_cache):
    """Issue 11 item 1, second variant: the cache file itself was rewritten (113.90 -> 11.39)."""
    fake.default = nvda_from_snapshot
    prices.fetch_live("NVDA", "2024-05-20", "2024-05-31")  # before the split: no split row
    prices.fetch_live("NVDA", "2024-06-03", "2024-06-14")  # carries the 10:1 on 2024-06-10
    text = (isolated_cache / "NVDA.csv").read_text()
    assert "\n2024-05-28,110.24,114.94,109.88,113.9," in text, "the 2024-05-28 close stays 113.90"
    assert "11.39" not in text
    cached = prices.load_prices("NVDA", source="cache")
    snap = prices.load_prices("NVDA", "2024-05-20", "2024-06-14", source="snapshot")
    assert cached["close"].tolist() == snap["close"].tolist()
    assert _max_abs_return(cached) < 0.1
    assert cache_note(isolated_cache, "NVDA")["split_adjusted_through"] == "2027-06-01"


def test_a_split_after_the_snapshot_rescales_it_once(fake, sleeps, isolated_cache):
    """A split the snapshot has not seen (after its basis) still rescales it, exactly once."""
    last = prices.snapshot_info().set_index("ticker").loc["NVDA", "split_adjusted_through"]
    first_new = pd.bdate_range(last + pd.Timedelta(days=1), periods=1)[0]
    snap = prices.load_prices("NVDA", last - pd.Timedelta(days=7), last, source="snapshot")
    fake.default = synthetic(first_new.strftime("%Y-%m-%d"), "2026-12-31", price=50.0,
                             splits={first_new.strftime("%Y-%m-%d"): 4.0})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = prices.load_prices("NVDA", last - pd.Timedelta(days=7), first_new + pd.Timedelta(days=3))
    frame = frame.set_index("date")
    assert frame.loc[last, "close"] == pytest.approx(snap.set_index("date").loc[last, "close"] / 4)
    assert frame.loc[last, "volume"] == snap.set_index("date").loc[last, "volume"] * 4
    again = prices.load_prices("NVDA", last - pd.Timedelta(days=7), first_new + pd.Timedelta(days=3))
    pd.testing.assert_frame_equal(again.set_index("date"), frame, check_exact=True)
    assert len(fake.calls) == 1, "the second load comes from the cache; the split is applied once"


def test_nan_volume_from_yahoo_is_stored_as_missing(fake, sleeps, isolated_cache):
    def nan_volume(t, kw):
        frame = baba_june(t, kw)
        frame.loc[frame.index[-1], "Volume"] = np.nan
        return frame
    fake.default = nan_volume
    frame = prices.fetch_live("BABA", "2025-06-05", "2025-06-13")
    assert pd.isna(frame["volume"].iloc[-1]), "a NaN volume is missing, not 0 shares"
    last_row = (isolated_cache / "BABA.csv").read_text().splitlines()[-1]
    assert last_row.startswith("2025-06-13,") and last_row.split(",")[5] == "", (
        "the cache writes an empty volume cell, not 0")
    cached = prices.load_prices("BABA", source="cache")
    assert pd.isna(cached["volume"].iloc[-1]) and cached["volume"].iloc[0] > 0
    assert not (cached["volume"] == 0).any()


class UnprintableError(Exception):
    def __str__(self):
        raise RuntimeError("__str__ exploded")


def test_live_exception_whose_str_raises_is_wrapped(fake, sleeps):
    fake.default = UnprintableError()
    with pytest.raises(LiveDataError, match="BABA.*UnprintableError") as info:
        prices.fetch_live("BABA", "2025-06-05", "2025-06-13")
    assert isinstance(info.value.__cause__, UnprintableError)
    fake.default = UnprintableError()
    with pytest.warns(prices.MissingDataWarning, match="UnprintableError"):
        prices.load_prices("BABA", "2026-10-01", "2026-10-30")


def test_fetch_live_refuses_negative_retries(fake, sleeps):
    from babaresearch.errors import InvalidOptionError

    for bad in (-1, 1.5, "3", True):
        with pytest.raises(InvalidOptionError, match="retries"):
            prices.fetch_live("BABA", "2025-06-05", "2025-06-13", retries=bad)
    assert fake.calls == []


# --------------------------------------------------------------------------- deadline
class FakeClock:
    """A monotonic clock that the fake Yahoo advances (a timing-out network, without waiting)."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_total_deadline_and_network_unreachable_every_time(fake, monkeypatch):
    """Issue 11 item 6: a timing-out network took ~96 s per ticker and then said "unknown or
    delisted ticker". Now one deadline bounds the fetch, and every ticker's message says the
    network is unreachable."""
    clock = FakeClock()
    monkeypatch.setattr(prices, "_clock", clock)
    pauses: list[float] = []

    def sleep(seconds):
        pauses.append(seconds)
        clock.now += seconds

    def timing_out(ticker, kwargs):
        clock.now += kwargs["timeout"]  # the request uses its whole timeout, then fails
        raise TimeoutError("timed out")
    fake.default = timing_out
    with pytest.raises(LiveDataError) as info:
        prices.fetch_live(["BABA", "NVDA", "SPY"], "2025-06-05", "2025-06-13", sleep=sleep,
                          progress=False)
    elapsed = clock.now - 1000.0
    assert elapsed <= prices.LIVE_DEADLINE_SECONDS, f"{elapsed} s: the deadline bounds the fetch"
    message = str(info.value)
    for ticker in ("BABA", "NVDA", "SPY"):
        part = message.split(f"{ticker}: live fetch", 1)[1].split("; NVDA:")[0]
        assert "network unreachable" in part or "timed out" in part, message
    assert message.count("network unreachable") >= 2, "the tickers after the deadline say so too"
    assert all(kw["timeout"] <= prices.LIVE_TIMEOUT_SECONDS for _, kw in fake.calls)


def test_yfinance_delisted_verdict_after_a_logged_network_error_says_unreachable(fake, sleeps):
    """yfinance logs the network error of its timezone lookup and then raises "possibly
    delisted; no timezone found": the logged cause wins, on every call in the process."""
    import logging

    from yfinance.exceptions import YFTzMissingError

    def offline(ticker, kwargs):
        logging.getLogger("yfinance").error(
            f"Failed to get ticker '{ticker}' reason: Failed to perform, curl: (28) Operation "
            "timed out after 20001 milliseconds with 0 bytes received")
        raise YFTzMissingError(ticker)
    fake.default = offline
    for attempt in range(3):
        with pytest.raises(LiveDataError) as info:
            prices.fetch_live("BABA", "2025-06-05", "2025-06-13", retries=0)
        assert "timed out" in str(info.value) and "delisted" not in str(info.value), (
            f"attempt {attempt + 1}: {info.value}")


def test_a_hanging_request_is_abandoned_at_the_deadline(fake, sleeps, monkeypatch):
    import threading

    release = threading.Event()
    monkeypatch.setattr(prices, "LIVE_DEADLINE_SECONDS", 0.3)

    def hang(ticker, kwargs):
        release.wait(10)
        return baba_june(ticker, kwargs)
    fake.default = hang
    import time as _time

    started = _time.monotonic()
    try:
        with pytest.raises(LiveDataError, match="network unreachable: no answer from Yahoo within"):
            prices.fetch_live("BABA", "2025-06-05", "2025-06-13", write_cache=False)
        assert _time.monotonic() - started < 3, "the call returns at the deadline"
    finally:
        release.set()


# --------------------------------------------------------------------------- crash safety
_KILL_SCRIPT = r"""
import os, sys
import pandas as pd
from babaresearch import prices
when = sys.argv[1]
real_replace = os.replace
def replace(src, dst):
    if when == "before":
        os._exit(9)  # killed with the new file written, before it replaces the old one
    real_replace(src, dst)
    os._exit(9)  # killed right after the first (and only) rename of the commit
os.replace = replace
july = pd.DataFrame({"date": pd.bdate_range("2025-07-07", "2025-07-11"), "open": 27.0,
                     "high": 27.5, "low": 26.5, "close": 27.0, "volume": 1e6, "dividend": 0.0,
                     "split": 0.0})
prices._write_cache("BABA", july)
"""


def _june_cache():
    return pd.DataFrame({"date": pd.bdate_range("2025-06-02", "2025-06-06"), "open": 27.0,
                         "high": 27.5, "low": 26.5, "close": 27.0, "volume": 1e6,
                         "dividend": 0.0, "split": 0.0})


@pytest.mark.parametrize("when, rows", [("after", 10), ("before", 5)])
def test_kill_during_the_commit_leaves_a_usable_cache(isolated_cache, when, rows):
    """Issue 11 item 2: a kill between the CSV's rename and the note's left a cache that
    source='cache' refused forever. The commit is now one rename."""
    import subprocess

    prices._write_cache("BABA", _june_cache())
    done = subprocess.run([sys.executable, "-c", _KILL_SCRIPT, when], capture_output=True,
                          text=True, env={**os.environ, "BABARESEARCH_CACHE": str(isolated_cache)})
    assert done.returncode == 9, done.stderr
    cached = prices.load_prices("BABA", source="cache")
    assert len(cached) == rows, f"killed {when} the rename: {rows} rows expected"
    debris = [p for p in os.listdir(isolated_cache) if p.endswith(".tmp")]
    assert len(debris) == (1 if when == "before" else 0)
    prices._write_cache("BABA", _june_cache().assign(date=pd.bdate_range("2025-08-04", "2025-08-08")))
    assert not [p for p in os.listdir(isolated_cache) if p.endswith(".tmp")], \
        "the next writer, under the lock, removes what the dead one left"
    assert len(prices.load_prices("BABA", source="cache")) == rows + 5


def test_writer_moves_a_damaged_cache_aside_and_repairs(isolated_cache):
    prices._write_cache("BABA", _june_cache())
    target = isolated_cache / "BABA.csv"
    target.write_bytes(target.read_bytes()[:-20])  # cut short on disk (power loss)
    with pytest.raises(prices.ForeignCacheError, match="own header note"):
        prices.load_prices("BABA", source="cache")
    with pytest.warns(prices.CacheWarning, match="moved aside"):
        prices._write_cache("BABA", _june_cache().assign(date=pd.bdate_range("2025-07-07", "2025-07-11")))
    assert len(prices.load_prices("BABA", source="cache")) == 5
    aside = [p for p in os.listdir(isolated_cache) if ".damaged-" in p]
    assert len(aside) == 1, "the damaged file is kept for the user, never deleted"


def test_cache_lock_is_a_filelock(isolated_cache):
    import filelock

    from babaresearch import store

    prices._write_cache("BABA", _june_cache())
    held = filelock.FileLock(str(isolated_cache / "BABA.csv.lock"))
    with held:
        original = store.LOCK_TIMEOUT_SECONDS
        store.LOCK_TIMEOUT_SECONDS = 0.2
        try:
            with pytest.raises(DataFileError, match="held the cache lock"):
                prices._write_cache("BABA", _june_cache())
        finally:
            store.LOCK_TIMEOUT_SECONDS = original


@pytest.fixture
def small_tmpfs(tmp_path):
    """A real 64 KiB tmpfs (needs mount rights; skipped with the reason otherwise)."""
    import subprocess

    folder = tmp_path / "tiny"
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or done.returncode})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_full_disk_keeps_the_old_cache_and_no_temp_file(small_tmpfs, monkeypatch):
    monkeypatch.setenv("BABARESEARCH_CACHE", str(small_tmpfs))
    prices._write_cache("BABA", _june_cache())
    before = (small_tmpfs / "BABA.csv").read_bytes()
    (small_tmpfs / "filler").write_bytes(b"x" * (64 * 1024 - len(before) - 8 * 1024))
    big = pd.DataFrame({"date": pd.bdate_range("2000-01-03", periods=4000), "open": 27.123456789,
                        "high": 27.523456789, "low": 26.523456789, "close": 27.123456789,
                        "volume": 1e6, "dividend": 0.0, "split": 0.0})
    with pytest.raises(DataFileError, match="No space left on device"):
        prices._write_cache("BABA", big)
    assert (small_tmpfs / "BABA.csv").read_bytes() == before, "the old file survives a full disk"
    assert not [p for p in os.listdir(small_tmpfs) if p.endswith(".tmp")]
    assert len(prices.load_prices("BABA", source="cache")) == 5
