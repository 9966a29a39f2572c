"""NYSE sessions, day 0 of news, and the BABA / NVDA fiscal calendars."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from babaresearch import calendars as cal
from babaresearch.calendars import (
    CalendarRangeError,
    calendar_quarter_bounds,
    event_day0,
    fiscal_period,
    fiscal_year_bounds,
    is_session,
    next_session,
    nyse_sessions,
    period_bounds,
    previous_session,
)
from babaresearch.errors import (
    CalendarError,
    DateRangeError,
    InvalidTickerError,
    OutOfRangeError,
    PeriodError,
    UnknownTickerError,
)
from babaresearch.resources import resource

T = pd.Timestamp
NY = "America/New_York"

# NYSE full-day closures on weekdays in 2025, listed by hand from the NYSE holiday notice,
# including the national day of mourning for President Carter (2025-01-09).
NYSE_CLOSURES_2025 = [
    "2025-01-01",  # New Year's Day (Wed)
    "2025-01-09",  # day of mourning, President Carter (Thu)
    "2025-01-20",  # Martin Luther King Jr. Day
    "2025-02-17",  # Washington's Birthday
    "2025-04-18",  # Good Friday
    "2025-05-26",  # Memorial Day
    "2025-06-19",  # Juneteenth (Thu)
    "2025-07-04",  # Independence Day (Fri)
    "2025-09-01",  # Labor Day
    "2025-11-27",  # Thanksgiving
    "2025-12-25",  # Christmas (Thu)
]


# --------------------------------------------------------------------------------------------
# Sessions
# --------------------------------------------------------------------------------------------

def test_sessions_2025_count_by_hand():
    # 2025 starts on a Wednesday and has 365 days = 52 weeks + 1 Wednesday -> 261 weekdays.
    weekdays = pd.bdate_range("2025-01-01", "2025-12-31")
    assert len(weekdays) == 52 * 5 + 1 == 261
    closures = pd.DatetimeIndex(NYSE_CLOSURES_2025)
    assert len(closures) == 11 and all(day.weekday() < 5 for day in closures)
    sessions = nyse_sessions("2025-01-01", "2025-12-31")
    assert len(sessions) == 261 - 11 == 250, "NYSE 2025 should have 250 sessions"
    assert sessions.equals(weekdays.difference(closures).rename("date")), (
        "sessions must be exactly the weekdays minus the hand-listed closures"
    )


def test_sessions_shape_and_dtype():
    sessions = nyse_sessions("2025-08-25", "2025-09-05")
    assert sessions.tz is None and str(sessions.dtype) == "datetime64[ns]"
    # Labor Day 2025-09-01 is missing; both bounds inclusive.
    assert list(sessions.strftime("%m-%d")) == [
        "08-25", "08-26", "08-27", "08-28", "08-29", "09-02", "09-03", "09-04", "09-05"
    ]
    assert (sessions == sessions.normalize()).all()


def test_sessions_empty_and_single():
    assert len(nyse_sessions("2025-08-30", "2025-08-31")) == 0, "a weekend has no session"
    one = nyse_sessions("2025-08-29", "2025-08-29")
    assert list(one) == [T("2025-08-29")]


def test_sessions_bad_input():
    with pytest.raises(DateRangeError, match="reversed"):
        nyse_sessions("2025-09-01", "2025-08-01")
    with pytest.raises(DateRangeError, match="not-a-date"):
        nyse_sessions("not-a-date", "2025-08-01")
    with pytest.raises(OutOfRangeError, match="1990-01-02"):
        nyse_sessions("1990-01-02", "2025-01-01")
    with pytest.raises(CalendarError, match="2035-01-02"):
        nyse_sessions("2025-01-01", "2035-01-02")


def test_calendar_covers_the_project_years():
    first, last = cal.calendar_bounds()
    assert first <= T("2020-01-02") and last >= T("2028-12-01")


def test_is_next_previous_session():
    assert is_session("2025-08-29") and not is_session("2025-08-30")
    assert not is_session("2025-01-09"), "Carter day of mourning was a closure"
    assert not is_session("2026-04-03"), "Good Friday 2026"
    assert is_session(dt.date(2025, 1, 10))
    # strictly after / before, whether or not the date is a session
    assert next_session("2025-01-08") == T("2025-01-10")
    assert next_session("2025-08-29") == T("2025-09-02"), "Labor Day skipped"
    assert previous_session("2025-01-10") == T("2025-01-08")
    assert previous_session("2025-09-01") == T("2025-08-29")
    with pytest.raises(CalendarRangeError, match="2040-01-03"):
        is_session("2040-01-03")
    with pytest.raises(OutOfRangeError):
        next_session(cal.calendar_bounds()[1])
    with pytest.raises(OutOfRangeError):
        previous_session(cal.calendar_bounds()[0])


def test_session_open_close_early_close():
    market_open, market_close = cal.session_open_close("2025-11-28")
    assert (market_open.hour, market_open.minute) == (9, 30)
    assert (market_close.hour, market_close.minute) == (13, 0), "day after Thanksgiving closes at 13:00"
    _, regular_close = cal.session_open_close("2025-08-27")
    assert regular_close.hour == 16
    with pytest.raises(CalendarError, match="2025-11-27"):
        cal.session_open_close("2025-11-27")


# --------------------------------------------------------------------------------------------
# Day 0
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "when, timing, expected, why",
    [
        ("2025-08-29", "bmo", "2025-08-29", "BABA FY2026Q1 results before the open: same day"),
        ("2025-08-27", "amc", "2025-08-28", "NVDA FY2026Q2 results after the close: next day"),
        ("2025-04-15", "amc", "2025-04-16", "NVDA H20 charge filed after the close"),
        ("2026-04-03", "bmo", "2026-04-06", "Good Friday 2026 rolls forward to Monday"),
        ("2025-01-08", "amc", "2025-01-10", "after the close, then the Carter closure on 01-09"),
        ("2025-01-09", "bmo", "2025-01-10", "news on the closure day rolls forward"),
        ("2025-05-30", "amc", "2025-06-02", "Friday after the close -> Monday"),
        ("2025-08-29", "amc", "2025-09-02", "Friday before Labor Day -> Tuesday"),
        ("2025-06-07", "amc", "2025-06-09", "Saturday amc -> Monday, never back to Friday"),
        ("2025-06-07", "bmo", "2025-06-09", "Saturday bmo -> Monday"),
        ("2025-06-08", "intraday", "2025-06-09", "Sunday -> Monday"),
        ("2025-08-27", "intraday", "2025-08-27", "during the session: same day"),
        ("2026-05-20", "unknown", "2026-05-20", "unknown timing is treated like bmo"),
        ("2025-06-07", "unknown", "2025-06-09", "unknown on a Saturday -> Monday"),
        ("2025-08-27", " AMC ", "2025-08-28", "timing is case/space insensitive"),
    ],
)
def test_event_day0_dates(when, timing, expected, why):
    assert event_day0(when, timing) == T(expected), why


def test_event_day0_default_is_bmo():
    assert event_day0("2025-08-29") == T("2025-08-29")
    assert event_day0(dt.date(2025, 8, 30)) == T("2025-09-02")


@pytest.mark.parametrize(
    "stamp, expected, why",
    [
        (T("2025-08-29 06:00", tz=NY), "2025-08-29", "before the open"),
        (T("2025-08-29 09:30", tz=NY), "2025-08-29", "at the open the session trades on it"),
        (T("2025-08-27 12:00", tz=NY), "2025-08-27", "during the session"),
        (T("2025-08-27 16:00", tz=NY), "2025-08-28", "at the close: next session"),
        (T("2025-08-27 16:20", tz=NY), "2025-08-28", "after the close"),
        (T("2025-08-27 20:20", tz="UTC"), "2025-08-28", "16:20 EDT given in UTC"),
        (T("2025-08-29 10:00", tz="UTC"), "2025-08-29", "06:00 EDT given in UTC"),
        (T("2025-08-28 03:30", tz="UTC"), "2025-08-28", "23:30 EDT on 08-27: after the close"),
        (T("2025-08-27 18:00", tz="UTC"), "2025-08-27", "14:00 EDT is intraday (18:00 read as NY would be amc)"),
        (T("2025-11-28 12:59", tz=NY), "2025-11-28", "before the 13:00 early close"),
        (T("2025-11-28 13:00", tz=NY), "2025-12-01", "at the early close: next session"),
        (T("2025-11-28 14:00", tz=NY), "2025-12-01", "after the early close (a 16:00 close would say same day)"),
        (T("2025-06-07 10:00", tz=NY), "2025-06-09", "Saturday daytime -> Monday"),
        (T("2025-01-09 11:00", tz=NY), "2025-01-10", "closure day -> next session"),
        (T("2025-08-27 16:20"), "2025-08-28", "naive time of day is New York time"),
    ],
)
def test_event_day0_timestamps(stamp, expected, why):
    # The time of day wins over the timing label (default bmo here).
    assert event_day0(stamp) == T(expected), why


def test_event_day0_midnight_means_no_time():
    # Vendors stamp "time unknown" as midnight: the timing label must then apply.
    midnight = T("2025-08-27 00:00", tz=NY)
    assert event_day0(midnight, "amc") == T("2025-08-28")
    assert event_day0(midnight, "bmo") == T("2025-08-27")


def test_event_day0_errors():
    with pytest.raises(CalendarError, match="'pre-market'"):
        event_day0("2025-08-29", "pre-market")
    with pytest.raises(CalendarError, match="None"):
        event_day0("2025-08-29", None)
    with pytest.raises(CalendarError, match="bogus"):  # timing validated even with a time of day
        event_day0(T("2025-08-29 06:00", tz=NY), "bogus")
    with pytest.raises(OutOfRangeError, match="2040-05-01"):
        event_day0("2040-05-01", "bmo")
    with pytest.raises(CalendarError, match="2040-05-01"):
        event_day0(T("2040-05-01 06:00", tz=NY))
    last = cal.calendar_bounds()[1]
    with pytest.raises(CalendarRangeError, match=str(last.date())):
        event_day0(last, "amc")  # the next session is beyond the calendar
    with pytest.raises(DateRangeError, match="yesterday"):
        event_day0("yesterday-ish", "bmo")


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2028, 6, 30)),
    timing=st.sampled_from(["bmo", "amc", "intraday", "unknown"]),
)
def test_event_day0_properties(day, timing):
    """Day 0 is a session, never before the news, and no session is skipped."""
    day0 = event_day0(day, timing)
    calendar = cal._xnys()
    assert calendar.is_session(day0), f"{day0} is not a session"
    news = T(day)
    assert day0 >= news, "day 0 must never roll backwards"
    # Cross-check with exchange_calendars' own roll-forward (a different route).
    if timing == "amc":
        expected = calendar.date_to_session(news + pd.Timedelta(days=1), direction="next")
    else:
        expected = calendar.date_to_session(news, direction="next")
    assert day0 == expected


# --------------------------------------------------------------------------------------------
# Fiscal calendars
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "fy, end",
    [(2026, "2026-01-25"), (2025, "2025-01-26"), (2024, "2024-01-28"), (2023, "2023-01-29"),
     (2021, "2021-01-31")],
)
def test_nvda_fiscal_year_ends(fy, end):
    start, stop = fiscal_year_bounds("NVDA", fy)
    assert stop == T(end) and stop.weekday() == 6, "NVIDIA's year ends on a Sunday"
    assert (stop + pd.Timedelta(days=7)).month == 2, "...the last Sunday of January"
    assert start == fiscal_year_bounds("NVDA", fy - 1)[1] + pd.Timedelta(days=1)


def test_nvda_quarters_fy2026():
    assert period_bounds("NVDA", "FY2026Q1") == (T("2025-01-27"), T("2025-04-27"))
    assert period_bounds("NVDA", "FY2026Q2") == (T("2025-04-28"), T("2025-07-27"))
    assert period_bounds("NVDA", "FY2026Q3") == (T("2025-07-28"), T("2025-10-26"))
    assert period_bounds("NVDA", "FY2026Q4") == (T("2025-10-27"), T("2026-01-25"))
    assert period_bounds("NVDA", "FY2026") == (T("2025-01-27"), T("2026-01-25"))


def test_nvda_53_week_year_puts_extra_week_in_q4():
    # FY2021 ran 2020-01-27 .. 2021-01-31: 371 days = 53 weeks.
    start, end = period_bounds("NVDA", "FY2021")
    assert (end - start).days + 1 == 53 * 7
    for quarter in (1, 2, 3):
        q_start, q_end = period_bounds("NVDA", f"FY2021Q{quarter}")
        assert (q_end - q_start).days + 1 == 13 * 7
    q4_start, q4_end = period_bounds("NVDA", "FY2021Q4")
    assert (q4_end - q4_start).days + 1 == 14 * 7, "the 14th week belongs to Q4"
    assert fiscal_period("NVDA", "2021-01-31") == "FY2021Q4"


def test_baba_fiscal_calendar():
    assert period_bounds("BABA", "FY2026") == (T("2025-04-01"), T("2026-03-31"))
    assert period_bounds("BABA", "FY2026Q1") == (T("2025-04-01"), T("2025-06-30"))
    assert period_bounds("BABA", "FY2026Q3") == (T("2025-10-01"), T("2025-12-31"))
    assert period_bounds("BABA", "FY2026Q4") == (T("2026-01-01"), T("2026-03-31"))
    assert fiscal_year_bounds("BABA", 2025) == (T("2024-04-01"), T("2025-03-31"))
    assert fiscal_period("BABA", "2025-03-31") == "FY2025Q4"
    assert fiscal_period("BABA", "2025-04-01") == "FY2026Q1"
    assert fiscal_period("BABA", "2025-08-29") == "FY2026Q2"
    assert fiscal_period("baba", "2025-12-31") == "FY2026Q3"


# Alibaba quarter ends as printed in its results announcements (month-end of Jun/Sep/Dec/Mar).
BABA_PERIOD_ENDS = {
    "FY2024Q1": "2023-06-30", "FY2024Q2": "2023-09-30", "FY2024Q3": "2023-12-31",
    "FY2024Q4": "2024-03-31", "FY2025Q4": "2025-03-31", "FY2026Q1": "2025-06-30",
    "FY2026Q2": "2025-09-30", "FY2026Q3": "2025-12-31", "FY2026Q4": "2026-03-31",
}


@pytest.mark.parametrize("label, end", sorted(BABA_PERIOD_ENDS.items()))
def test_baba_period_ends(label, end):
    assert period_bounds("BABA", label)[1] == T(end)


def test_every_period_end_in_the_vendor_file_matches():
    # Read the file with the csv module (not the library's loader) to cross-check.
    with open(resource("earnings.csv"), newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    nvda = [row for row in rows if row["ticker"] == "NVDA"]
    assert len(nvda) == 15
    for row in rows:
        end = period_bounds(row["ticker"], row["fiscal_period"])[1]
        assert end == T(row["period_end"]), f"{row['ticker']} {row['fiscal_period']}"
        assert fiscal_period(row["ticker"], row["period_end"]) == row["fiscal_period"]
        if row["ticker"] == "NVDA":
            assert end.weekday() == 6, "NVIDIA quarters end on Sundays"


@pytest.mark.parametrize("ticker", ["BABA", "NVDA"])
def test_quarters_tile_every_year(ticker):
    """Round trip over every day 2019..2028: quarters are contiguous and contain their days."""
    for fy in range(2019, 2029):
        year_start, year_end = fiscal_year_bounds(ticker, fy)
        cursor = year_start
        for quarter in range(1, 5):
            q_start, q_end = period_bounds(ticker, f"FY{fy}Q{quarter}")
            assert q_start == cursor, f"{ticker} FY{fy}Q{quarter} does not start where Q{quarter - 1} ended"
            assert 89 <= (q_end - q_start).days + 1 <= 98
            for day in (q_start, q_start + (q_end - q_start) / 2, q_end):
                assert fiscal_period(ticker, day.normalize()) == f"FY{fy}Q{quarter}"
            cursor = q_end + pd.Timedelta(days=1)
        assert cursor - pd.Timedelta(days=1) == year_end


def test_fiscal_errors():
    with pytest.raises(UnknownTickerError, match="SPY"):
        period_bounds("SPY", "FY2026Q1")
    with pytest.raises(UnknownTickerError, match="MSFT"):
        fiscal_period("MSFT", "2025-01-01")
    with pytest.raises(InvalidTickerError):
        fiscal_period("../x", "2025-01-01")
    for bad in ("FY2026Q5", "2026Q1", "FY26Q1", "Q1 FY2026", "", "FY2026Q"):
        with pytest.raises(PeriodError, match=bad if bad else "''"):
            period_bounds("BABA", bad)
    with pytest.raises(PeriodError, match="FY0226"):
        period_bounds("NVDA", "FY0226")
    with pytest.raises(PeriodError):
        period_bounds("NVDA", 2026)
    with pytest.raises(PeriodError):
        fiscal_year_bounds("NVDA", "2026")
    with pytest.raises(DateRangeError):
        fiscal_period("BABA", "someday")
    # tolerated spellings
    assert period_bounds("BABA", " fy2026 q1 ") == period_bounds("BABA", "FY2026Q1")


def test_calendar_quarter_bounds():
    assert calendar_quarter_bounds(2025, 1) == (T("2025-01-01"), T("2025-03-31"))
    assert calendar_quarter_bounds(2025, 2) == (T("2025-04-01"), T("2025-06-30"))
    assert calendar_quarter_bounds(2024, 1)[1] == T("2024-03-31")
    assert calendar_quarter_bounds(2025, 4) == (T("2025-10-01"), T("2025-12-31"))
    for year, quarter in ((2025, 0), (2025, 5), (2025, 2.0), ("2025", 1), (True, 1)):
        with pytest.raises(PeriodError):
            calendar_quarter_bounds(year, quarter)


def test_event_day0_naive_times_across_dst_changes():
    # 2025-03-09 02:30 does not exist in New York (spring forward); 2025-11-02 01:30 happens
    # twice. Both are Sundays, so the news reaches the market on Monday either way.
    assert event_day0(T("2025-03-09 02:30")) == T("2025-03-10")
    assert event_day0(T("2025-11-02 01:30")) == T("2025-11-03")


# --------------------------------------------------------------------------- vectorised day 0
def test_event_day0s_equals_event_day0_element_wise():
    # Every timing on a session, a Friday before Labor Day, a Saturday, a closure, and the
    # last calendar session (amc has no next session there: NaT where event_day0 raises).
    days = ["2025-08-27", "2025-08-29", "2025-06-07", "2025-01-09", "2025-01-08", "2026-04-03"]
    last = cal.calendar_bounds()[1]
    dates, timings = [], []
    for day in days:
        for timing in cal.TIMINGS:
            dates.append(T(day))
            timings.append(timing)
    got = cal.event_day0s(dates, timings)
    for day, timing, day0 in zip(dates, timings, got, strict=True):
        assert day0 == event_day0(day, timing), f"{day.date()} {timing}: vectorised rule differs"
    assert got.name == "day0" and str(got.dtype) == "datetime64[ns]"
    edge = cal.event_day0s([last, last, T("2040-05-01"), None], ["bmo", "amc", "bmo", "bmo"])
    assert edge[0] == last, "bmo on the last session is that session"
    assert edge[1:].isna().all(), "beyond the calendar (or missing) must be NaT, not a guess"
    with pytest.raises(CalendarRangeError):
        event_day0(last, "amc")  # ... exactly where the scalar rule raises


def test_event_day0s_one_timing_for_all_and_errors():
    got = cal.event_day0s(pd.to_datetime(["2025-08-29", "2025-08-30"]).tz_localize(NY), "amc")
    assert list(got) == [T("2025-09-02"), T("2025-09-02")], "amc: next session strictly after"
    assert len(cal.event_day0s([], "bmo")) == 0, "no dates -> empty index"
    with pytest.raises(CalendarError, match="'later'"):
        cal.event_day0s(["2025-08-29"], ["later"])
    with pytest.raises(CalendarError, match="2 timings for 1"):
        cal.event_day0s(["2025-08-29"], ["bmo", "amc"])
    with pytest.raises(DateRangeError):
        cal.event_day0s(["not a date"], "bmo")


@settings(max_examples=50, deadline=None)
@given(days=st.lists(st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2028, 12, 31)),
                     min_size=1, max_size=20),
       timing=st.sampled_from(["bmo", "amc", "intraday", "unknown"]))
def test_event_day0s_property(days, timing):
    got = cal.event_day0s(days, timing)
    for day, day0 in zip(days, got, strict=True):
        try:
            expected = event_day0(day, timing)
        except CalendarRangeError:
            assert pd.isna(day0), f"{day} {timing}: event_day0 raises, so NaT expected"
        else:
            assert day0 == expected, f"{day} {timing}"


def test_session_on_or_before():
    assert cal.session_on_or_before("2025-08-29") == T("2025-08-29"), "a session is itself"
    assert cal.session_on_or_before("2025-08-31") == T("2025-08-29"), "Sunday -> Friday"
    assert cal.session_on_or_before("2025-09-01") == T("2025-08-29"), "Labor Day -> Friday"
    assert cal.session_on_or_before("2025-01-09") == T("2025-01-08"), "Carter closure -> day before"
    first = cal.calendar_bounds()[0]
    assert cal.session_on_or_before(first) == first
    with pytest.raises(CalendarRangeError, match="2040-01-03"):
        cal.session_on_or_before("2040-01-03")
    with pytest.raises(CalendarRangeError, match=str((first - pd.Timedelta(days=1)).date())):
        cal.session_on_or_before(first - pd.Timedelta(days=1))


def test_clip_to_calendar():
    first, last = cal.calendar_bounds()
    assert cal.clip_to_calendar("2025-01-01", "2025-02-01") == (T("2025-01-01"), T("2025-02-01"))
    assert cal.clip_to_calendar("2010-01-01", "2016-01-01") == (first, T("2016-01-01"))
    assert cal.clip_to_calendar("2028-06-01", "2031-01-01") == (T("2028-06-01"), last)
    assert cal.clip_to_calendar(None, None) == (first, last)
    assert cal.clip_to_calendar("2031-01-01", "2031-02-01") is None, "wholly beyond: None"
    assert cal.clip_to_calendar("2001-01-01", "2001-02-01") is None
    with pytest.raises(DateRangeError, match="reversed"):
        cal.clip_to_calendar("2025-02-01", "2025-01-01")


def test_new_york_instant():
    assert cal.new_york_instant("2025-08-29") is None, "a bare date has no time of day"
    assert cal.new_york_instant(dt.date(2025, 8, 29)) is None
    assert cal.new_york_instant(T("2025-08-29 00:00", tz=NY)) is None, "midnight = no time"
    assert cal.new_york_instant(T("2025-08-29 04:00", tz="UTC")) is None, "04:00 UTC is NY midnight (EDT)"
    assert cal.new_york_instant(T("2025-08-27 20:20", tz="UTC")) == T("2025-08-27 16:20", tz=NY)
    assert cal.new_york_instant(T("2025-08-27 16:20")) == T("2025-08-27 16:20", tz=NY)
    assert cal.new_york_instant("garbage") is None, "unparseable: to_date raises later"


def test_session_hours():
    assert cal.session_hours("2025-08-30") is None, "Saturday: no hours"
    assert cal.session_hours("2025-01-09") is None, "Carter closure: no hours"
    opened, closed = cal.session_hours("2025-11-28")
    assert (opened, closed) == (T("2025-11-28 09:30", tz=NY), T("2025-11-28 13:00", tz=NY)), \
        "the day after Thanksgiving closes early at 13:00"
    assert cal.session_hours("2025-08-29") == cal.session_open_close("2025-08-29")
    with pytest.raises(CalendarRangeError, match="2040-01-03"):
        cal.session_hours("2040-01-03")
    with pytest.raises(CalendarError, match="2025-08-30 is not an NYSE session"):
        cal.session_open_close("2025-08-30")
