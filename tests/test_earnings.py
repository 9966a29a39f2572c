"""Curated earnings calendar, corporate events and the (mocked) yfinance refresh."""

from __future__ import annotations

import sys
import types
import warnings

import numpy as np
import pandas as pd
import pytest

from babaresearch.calendars import is_session
from babaresearch.earnings import (
    CONFLICT_COLUMNS,
    EARNINGS_COLUMNS,
    EVENTS_COLUMNS,
    EarningsConflictWarning,
    corporate_events,
    earnings_calendar,
    refresh_earnings_live,
    release_timing,
    reported_fiscal_period,
)
from babaresearch.errors import DataFileError, InvalidTickerError, LiveDataError, UnknownTickerError

T = pd.Timestamp
NY = "America/New_York"
HEADER = "ticker,fiscal_period,period_end,release_date,release_time,source,confidence\n"
GOOD_ROWS = (
    "BABA,FY2026Q1,2025-06-30,2025-08-29,bmo,test,high\n"
    "NVDA,FY2026Q2,2025-07-27,2025-08-27,amc,test,high\n"
)
EVENTS_HEADER = "date,ticker,kind,description,timing,source,confidence\n"


def write(tmp_path, text, name="earnings.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# The embedded calendar
# --------------------------------------------------------------------------------------------

def test_calendar_shape_and_order():
    frame = earnings_calendar()
    assert list(frame.columns) == list(EARNINGS_COLUMNS)
    assert (frame["ticker"] == "BABA").sum() == 12 and (frame["ticker"] == "NVDA").sum() == 15
    for column in ("period_end", "release_date", "day0"):
        assert str(frame[column].dtype) == "datetime64[ns]", f"{column} must be tz-naive ns dates"
    ordered = frame.sort_values(["ticker", "release_date"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(frame, ordered)
    assert isinstance(frame.index, pd.RangeIndex)
    assert not frame.duplicated(["ticker", "fiscal_period"]).any()


def test_day0_pins():
    frame = earnings_calendar().set_index(["ticker", "fiscal_period"])
    assert frame.loc[("BABA", "FY2026Q1"), "day0"] == T("2025-08-29"), "BABA bmo on a session: same day"
    assert frame.loc[("NVDA", "FY2026Q2"), "day0"] == T("2025-08-28"), "NVDA amc: next session"
    assert frame.loc[("BABA", "FY2026Q3"), "release_date"] == T("2026-03-19")


def test_every_day0_is_a_session_not_before_release():
    frame = earnings_calendar()
    for row in frame.itertuples(index=False):
        assert is_session(row.day0), f"{row.ticker} {row.fiscal_period}: day0 {row.day0} not a session"
        assert row.day0 >= row.release_date, f"{row.ticker} {row.fiscal_period}: day0 rolled backwards"
        if row.release_time == "amc":
            assert row.day0 > row.release_date
    # By hand: every NVDA release was on a Tuesday or Wednesday after the close with a session
    # the next day, and every BABA release was before the open on a session.
    nvda = frame[frame["ticker"] == "NVDA"]
    assert set(nvda["release_date"].dt.day_of_week) <= {1, 2}
    assert (nvda["day0"] - nvda["release_date"] == pd.Timedelta(days=1)).all()
    baba = frame[frame["ticker"] == "BABA"]
    assert (baba["day0"] == baba["release_date"]).all()


def test_ticker_filter():
    nvda = earnings_calendar("nvda")
    assert len(nvda) == 15 and set(nvda["ticker"]) == {"NVDA"}
    assert len(earnings_calendar(["BABA", "NVDA"])) == 27
    assert nvda["fiscal_period"].iloc[0] == "FY2023Q4" and nvda["fiscal_period"].iloc[-1] == "FY2027Q2"
    with pytest.raises(UnknownTickerError, match="SPY"):
        earnings_calendar("SPY")
    with pytest.raises(InvalidTickerError):
        earnings_calendar("../etc")


def test_returned_frame_is_a_copy():
    first = earnings_calendar()
    first.loc[0, "source"] = "tampered"
    assert earnings_calendar().loc[0, "source"] != "tampered", "the cache must not be mutable from outside"


# --------------------------------------------------------------------------------------------
# Malformed files
# --------------------------------------------------------------------------------------------

def test_loader_reads_a_given_path(tmp_path):
    friday_row = "NVDA,FY2026Q1,2025-04-27,2025-08-22,amc,test,high\n"
    path = write(tmp_path, HEADER + GOOD_ROWS + friday_row)
    frame = earnings_calendar(path=path)
    assert len(frame) == 3
    friday = frame[frame["release_date"] == T("2025-08-22")]
    assert T("2025-08-22").day_name() == "Friday"
    assert friday["day0"].iloc[0] == T("2025-08-25"), "NVDA amc on a Friday -> Monday"


def test_header_only_gives_empty_frame(tmp_path):
    frame = earnings_calendar(path=write(tmp_path, HEADER))
    assert list(frame.columns) == list(EARNINGS_COLUMNS) and len(frame) == 0
    assert str(frame["day0"].dtype) == "datetime64[ns]"


def test_file_change_is_picked_up(tmp_path):
    path = write(tmp_path, HEADER + GOOD_ROWS)
    assert len(earnings_calendar(path=path)) == 2
    write(tmp_path, HEADER + GOOD_ROWS.splitlines(keepends=True)[0])
    assert len(earnings_calendar(path=path)) == 1, "a stale cached copy was returned"


@pytest.mark.parametrize(
    "bad_row, line, fragment",
    [
        ("BABA,FY2026Q2,2025-09-30,2025-13-45,bmo,x,high\n", 4, "release_date '2025-13-45'"),
        ("BABA,FY2026Q2,2025-09-30,,bmo,x,high\n", 4, "empty release_date"),
        ("BABA,FY2026Q2,2025-09-30,2025-11-25,premarket,x,high\n", 4, "'premarket'"),
        ("BABA,FY2026Q2,2025-09-29,2025-11-25,bmo,x,high\n", 4, "ends 2025-09-30"),
        ("NVDA,FY2026Q3,2025-10-31,2025-11-19,amc,x,high\n", 4, "ends 2025-10-26"),
        ("BABA,FY2026Q9,2025-09-30,2025-11-25,bmo,x,high\n", 4, "FY2026Q9"),
        ("SPY,FY2026Q1,2025-06-30,2025-08-29,bmo,x,high\n", 4, "SPY"),
        ("BABA,FY2026Q1,2025-06-30,2025-08-29,bmo,x,high\n", 4, "duplicate BABA FY2026Q1 (first on line 2)"),
        ("BABA,FY2026Q2,2025-09-30,2025-09-15,bmo,x,high\n", 4, "not after period_end"),
        ("BABA,FY2026Q2,2025-09-30,2025-11-25,bmo,x\n", 4, "expected 7 fields, found 6"),
        # FY2029Q3 ends 2028-12-31, the calendar's last day: its release cannot be placed
        ("BABA,FY2029Q3,2028-12-31,2029-02-10,bmo,x,high\n", 4, "outside the NYSE calendar"),
        ("BABA,FY2026Q2,2025-09-30,2025-11-25 14:00,bmo,x,high\n", 4, "not an ISO date"),
        # only YYYY-MM-DD: other spellings are ambiguous (US vs European order) or loose
        ("BABA,FY2026Q2,2025-09-30,11/25/2025,bmo,x,high\n", 4, "release_date '11/25/2025' is not an ISO date"),
        ("BABA,FY2026Q2,2025-09-30,20251125,bmo,x,high\n", 4, "'20251125' is not an ISO date"),
        ('BABA,FY2026Q2,2025-09-30,"Nov 25, 2025",bmo,x,high\n', 4, "'Nov 25, 2025' is not an ISO date"),
        ("BABA,FY2026Q2,09/30/2025,2025-11-25,bmo,x,high\n", 4, "period_end '09/30/2025'"),
        # release lag: 2025-09-30 -> 2026-11-25 is 421 days (a typo in the year)
        ("BABA,FY2026Q2,2025-09-30,2026-11-25,bmo,x,high\n", 4, "is 421 days after period_end"),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path, bad_row, line, fragment):
    path = write(tmp_path, HEADER + GOOD_ROWS + bad_row)
    with pytest.raises(DataFileError) as info:
        earnings_calendar(path=path)
    assert info.value.line == line
    assert info.value.path == str(path)
    assert f"line {line}" in str(info.value) and str(path) in str(info.value)
    assert fragment in str(info.value)


def test_line_numbers_survive_blank_and_multiline_rows(tmp_path):
    text = (HEADER + "\n" + 'BABA,FY2026Q1,2025-06-30,2025-08-29,bmo,"two\nlines",high\n'
            + "NVDA,FY2026Q2,2025-07-27,2025-08-27,later,x,high\n")
    with pytest.raises(DataFileError) as info:
        earnings_calendar(path=write(tmp_path, text))
    assert info.value.line == 5, "header 1, blank 2, quoted row 3-4, bad row 5"


def test_missing_column_and_missing_file(tmp_path):
    path = write(tmp_path, "ticker,fiscal_period,period_end,release_date,source,confidence\n")
    with pytest.raises(DataFileError, match="missing column.*release_time") as info:
        earnings_calendar(path=path)
    assert info.value.line == 1
    with pytest.raises(DataFileError, match="file not found"):
        earnings_calendar(path=tmp_path / "nope.csv")
    with pytest.raises(DataFileError, match="empty file"):
        earnings_calendar(path=write(tmp_path, "", name="empty.csv"))
    binary = tmp_path / "binary.csv"
    binary.write_bytes(HEADER.encode() + b"\xff\xfe\x00bad\n")
    with pytest.raises(DataFileError, match="UTF-8"):
        earnings_calendar(path=binary)


# --------------------------------------------------------------------------------------------
# Corporate events
# --------------------------------------------------------------------------------------------

def test_corporate_events():
    events = corporate_events()
    assert list(events.columns) == list(EVENTS_COLUMNS) and len(events) == 4
    assert str(events["date"].dtype) == "datetime64[ns]" and str(events["day0"].dtype) == "datetime64[ns]"
    assert events["date"].is_monotonic_increasing
    h20 = events[events["kind"] == "export_control"].iloc[0]
    assert h20["ticker"] == "NVDA" and h20["day0"] == T("2025-04-16"), "H20 charge after the close -> next day"
    unknown = events[events["timing"] == "unknown"].iloc[0]
    assert unknown["day0"] == T("2026-05-20"), "unknown timing on a session = that session (as bmo)"
    assert len(corporate_events("NVDA")) == 1 and len(corporate_events("baba")) == 3
    assert len(corporate_events("SPY")) == 0, "no events is a valid answer"
    assert list(corporate_events("SPY").columns) == list(EVENTS_COLUMNS)


def test_events_unknown_timing_on_weekend_and_bad_rows(tmp_path):
    saturday_row = '2025-06-07,BABA,product,"a, b",unknown,x,low\n'
    path = write(tmp_path, EVENTS_HEADER + saturday_row, name="events.csv")
    events = corporate_events(path=path)
    assert events.loc[0, "day0"] == T("2025-06-09") and events.loc[0, "description"] == "a, b"
    bad = write(tmp_path, EVENTS_HEADER + "2025-06-07,BABA,product,x,noon,x,low\n", name="bad.csv")
    with pytest.raises(DataFileError, match="timing 'noon'") as info:
        corporate_events(path=bad)
    assert info.value.line == 2
    bad_date = write(tmp_path, EVENTS_HEADER + "07/06/2025x,BABA,product,x,bmo,x,low\n", name="bad2.csv")
    with pytest.raises(DataFileError, match="bad2.csv, line 2"):
        corporate_events(path=bad_date)


# --------------------------------------------------------------------------------------------
# Live refresh (yfinance mocked at get_earnings_dates)
# --------------------------------------------------------------------------------------------

def yahoo_frame(stamps, reported):
    """The shape yfinance 1.x returns: tz-aware 'Earnings Date' index and three EPS columns."""
    index = pd.DatetimeIndex([T(s) for s in stamps]).tz_localize(NY)
    index.name = "Earnings Date"
    n = len(stamps)
    return pd.DataFrame(
        {"EPS Estimate": np.full(n, 1.0), "Reported EPS": reported, "Surprise(%)": np.full(n, 2.0)},
        index=index,
    )


@pytest.fixture
def fake_yfinance(monkeypatch):
    """Replace the yfinance module: ``Ticker(t).get_earnings_dates(limit)`` returns ``state['frame']``."""
    state = {"frame": None, "calls": [], "error": None}

    class FakeTicker:
        def __init__(self, symbol):
            self.symbol = symbol

        def get_earnings_dates(self, limit=12, offset=0):
            state["calls"].append((self.symbol, limit))
            if state["error"] is not None:
                raise state["error"]
            return state["frame"]

    module = types.ModuleType("yfinance")
    module.Ticker = FakeTicker
    monkeypatch.setitem(sys.modules, "yfinance", module)
    return state


def test_refresh_adds_and_reports_conflicts(fake_yfinance):
    fake_yfinance["frame"] = yahoo_frame(
        [
            "2026-11-18 16:00",  # FY2027Q3, not in the curated file: added (scheduled)
            "2026-05-21 16:00",  # FY2027Q1: curated says 2026-05-20 -> conflict
            "2026-02-25 16:00",  # FY2026Q4 agrees
            "2025-08-27 16:00",  # FY2026Q2 agrees
            "2003-05-08 16:00",  # before the session calendar: skipped
        ],
        [np.nan, 1.0, 1.0, 1.0, 0.1],
    )
    with pytest.warns(EarningsConflictWarning, match="FY2027Q1: curated 2026-05-20 vs live 2026-05-21"):
        merged, conflicts = refresh_earnings_live("nvda", limit=20)
    assert fake_yfinance["calls"] == [("NVDA", 20)]
    assert list(conflicts.columns) == list(CONFLICT_COLUMNS) and len(conflicts) == 1
    assert conflicts.iloc[0]["curated_release_date"] == T("2026-05-20")
    assert conflicts.iloc[0]["live_release_date"] == T("2026-05-21")
    assert list(merged.columns) == list(EARNINGS_COLUMNS) and len(merged) == 16
    curated = earnings_calendar("NVDA")
    kept = merged[merged["fiscal_period"] == "FY2027Q1"].iloc[0]
    assert kept["release_date"] == T("2026-05-20") and kept["source"] != "yfinance get_earnings_dates", (
        "the curated row must never be overridden by the live one"
    )
    added = merged[~merged["fiscal_period"].isin(curated["fiscal_period"])]
    assert len(added) == 1
    row = added.iloc[0]
    assert row["fiscal_period"] == "FY2027Q3" and row["period_end"] == T("2026-10-25")
    assert row["release_time"] == "amc" and row["day0"] == T("2026-11-19")
    assert row["confidence"] == "live-scheduled"
    assert merged["release_date"].is_monotonic_increasing


def test_refresh_without_conflicts_is_quiet(fake_yfinance):
    fake_yfinance["frame"] = yahoo_frame(["2025-08-29 06:00"], [2.06])
    with warnings.catch_warnings():
        warnings.simplefilter("error", EarningsConflictWarning)
        merged, conflicts = refresh_earnings_live("BABA")
    assert len(conflicts) == 0 and list(conflicts.columns) == list(CONFLICT_COLUMNS)
    pd.testing.assert_frame_equal(merged, earnings_calendar("BABA"))


@pytest.mark.parametrize(
    "frame_or_error, fragment",
    [
        (None, "no earnings dates"),
        (pd.DataFrame(columns=["EPS Estimate", "Reported EPS", "Surprise(%)"]), "no earnings dates"),
        (ConnectionError("Yahoo unreachable"), "network unreachable: could not connect to Yahoo"),
        (ValueError("Please use limit <= 100"), "ValueError: Please use limit <= 100"),
    ],
)
def test_refresh_live_failures(fake_yfinance, frame_or_error, fragment):
    if isinstance(frame_or_error, Exception):
        fake_yfinance["error"] = frame_or_error
    else:
        fake_yfinance["frame"] = frame_or_error
    with pytest.raises(LiveDataError, match=fragment) as info:
        refresh_earnings_live("NVDA")
    assert info.value.ticker == "NVDA" and "NVDA" in str(info.value)
    if isinstance(frame_or_error, Exception):
        assert info.value.__cause__ is frame_or_error, "the vendor exception stays as __cause__"


def test_refresh_offline_is_one_short_error_and_prints_nothing(fake_yfinance, capsys, caplog):
    """Offline, yfinance logs "Cookie/crumb fetch failed" itself, then raises curl's DNS error."""
    import logging

    from curl_cffi.requests.exceptions import DNSError

    curl_text = ("Failed to perform, curl: (6) Could not resolve host: finance.yahoo.com. See "
                 "https://curl.se/libcurl/c/libcurl-errors.html first for more details.")

    def offline(limit=12, offset=0):
        logging.getLogger("yfinance").warning(
            "Cookie/crumb fetch failed (DNSError), continuing without crumb")
        raise DNSError(curl_text, 6)

    fake_yfinance["error"] = RuntimeError("unused")
    sys.modules["yfinance"].Ticker.get_earnings_dates = lambda self, limit=12, offset=0: offline()
    with pytest.raises(LiveDataError) as info:
        refresh_earnings_live("BABA")
    assert str(info.value) == ("BABA: live earnings dates could not be fetched: network "
                               "unreachable: could not resolve the Yahoo host")
    assert str(info.value.__cause__) == curl_text
    assert [r.getMessage() for r in caplog.records if r.name.startswith("yfinance")] == [], (
        "yfinance's own 'Cookie/crumb' line must be silenced")
    assert capsys.readouterr() == ("", ""), "nothing may be printed besides the error"


def test_refresh_bad_arguments_do_not_call_yahoo(fake_yfinance):
    with pytest.raises(UnknownTickerError, match="SPY"):
        refresh_earnings_live("SPY")
    for limit in (0, 101, 2.5):
        with pytest.raises(LiveDataError, match="limit"):
            refresh_earnings_live("NVDA", limit=limit)
    assert fake_yfinance["calls"] == []


@pytest.mark.parametrize(
    "stamp, date, timing",
    [
        (T("2025-08-29 06:00", tz=NY), "2025-08-29", "bmo"),
        (T("2025-08-27 16:00", tz=NY), "2025-08-27", "amc"),
        (T("2025-08-27 11:00", tz=NY), "2025-08-27", "intraday"),
        (T("2025-11-28 14:00", tz=NY), "2025-11-28", "amc"),  # early close at 13:00
        (T("2025-08-27 00:00", tz=NY), "2025-08-27", "unknown"),  # Yahoo's "no time"
        (T("2025-08-27 20:20", tz="UTC"), "2025-08-27", "amc"),
        (T("2025-06-07 17:00", tz=NY), "2025-06-07", "amc"),  # Saturday
    ],
)
def test_release_timing(stamp, date, timing):
    assert release_timing(stamp) == (T(date), timing)


def test_reported_fiscal_period():
    # BABA reports its December quarter in March, NVIDIA its July quarter in August.
    assert reported_fiscal_period("BABA", "2026-03-19") == "FY2026Q3"
    assert reported_fiscal_period("BABA", "2025-08-29") == "FY2026Q1"
    assert reported_fiscal_period("NVDA", "2025-08-27") == "FY2026Q2"
    assert reported_fiscal_period("NVDA", "2025-02-26") == "FY2025Q4"
    for row in earnings_calendar().itertuples(index=False):
        assert reported_fiscal_period(row.ticker, row.release_date) == row.fiscal_period


def test_refresh_unusable_live_frame(fake_yfinance):
    # Only rows older than the session calendar: nothing can be merged -> a clear error.
    fake_yfinance["frame"] = yahoo_frame(["2003-05-08 16:00", "2003-08-14 16:00"], [0.1, 0.1])
    with pytest.raises(LiveDataError, match="none of yfinance's 2 earnings dates is usable"):
        refresh_earnings_live("NVDA")


def test_refresh_accepts_a_naive_index_as_new_york_time(fake_yfinance):
    frame = yahoo_frame(["2026-11-18 16:00"], [np.nan])
    frame.index = frame.index.tz_localize(None)
    fake_yfinance["frame"] = frame
    merged, conflicts = refresh_earnings_live("NVDA")
    added = merged[merged["fiscal_period"] == "FY2027Q3"]
    assert len(added) == 1 and added["release_time"].iloc[0] == "amc" and len(conflicts) == 0


def test_release_lag_bound_is_inclusive(tmp_path):
    # 2025-09-30 + 120 days = 2026-01-28 (a Wednesday): accepted; one more day is refused
    ok = write(tmp_path, HEADER + "BABA,FY2026Q2,2025-09-30,2026-01-28,bmo,x,high\n")
    assert earnings_calendar(path=ok)["release_date"].iloc[0] == T("2026-01-28")
    late = write(tmp_path, HEADER + "BABA,FY2026Q2,2025-09-30,2026-01-29,bmo,x,high\n", name="late.csv")
    with pytest.raises(DataFileError, match="121 days after period_end 2025-09-30 of BABA FY2026Q2"):
        earnings_calendar(path=late)


def test_events_dates_must_be_iso(tmp_path):
    bad = write(tmp_path, EVENTS_HEADER + "20250606,BABA,product,x,bmo,x,low\n", name="ev.csv")
    with pytest.raises(DataFileError, match="line 2.*'20250606' is not an ISO date"):
        corporate_events(path=bad)
