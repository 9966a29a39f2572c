"""Period labels -> fiscal periods and their releases (facts pinned from data/earnings.csv)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from babaresearch.errors import (
    DateRangeError, InvalidTickerError, PeriodError, UnknownTickerError,
)
from babaresearch.periods import Period, quarters_between, resolve_period

T = pd.Timestamp


def top(label, ticker, as_of=None) -> Period:
    return resolve_period(label, ticker, as_of=as_of)[0]


def fiscal_periods(label, ticker, as_of=None) -> list[str]:
    return [p.fiscal_period for p in resolve_period(label, ticker, as_of=as_of)]


# ---------------------------------------------------------------------------------------------
# the three behaviours the issue pins
# ---------------------------------------------------------------------------------------------

def test_q3_2025_for_baba_is_the_september_2025_quarter():
    best = top("Q3 2025", "BABA", as_of="2025-12-01")
    assert best.fiscal_period == "FY2026Q2", "calendar Q3 2025 must be Alibaba's FY2026Q2"
    assert (best.start, best.end) == (T("2025-07-01"), T("2025-09-30")), "wrong quarter bounds"
    assert best.release_date == T("2025-11-25"), "FY2026Q2 was released on 2025-11-25 (earnings.csv)"
    assert best.day0 == T("2025-11-25"), "a bmo release on a session is its own day 0"
    assert best.convention == "calendar"


def test_q1_earnings_is_the_latest_fiscal_q1_release_before_as_of():
    best = top("Q1 earnings", "BABA", as_of="2025-08-30")
    assert best.fiscal_period == "FY2026Q1", "the latest fiscal Q1 released by 2025-08-30 is FY2026Q1"
    assert best.release_date == T("2025-08-29")
    assert best.convention == "fiscal"
    # a year earlier the same label points at the previous fiscal Q1
    assert top("Q1 earnings", "BABA", as_of="2025-08-28").fiscal_period == "FY2025Q1", (
        "before the 2025-08-29 release the latest fiscal Q1 is FY2025Q1 (released 2024-08-15)")


def test_fy26_for_nvda_is_the_fiscal_year_ended_2026_01_25():
    best = top("FY'26", "NVDA")
    assert best.fiscal_period == "FY2026"
    assert (best.start, best.end) == (T("2025-01-27"), T("2026-01-25")), (
        "NVIDIA FY2026 runs from the Monday after FY2025's end (2025-01-26) to 2026-01-25")
    assert best.release_date == T("2026-02-25"), "a fiscal year is reported with its Q4 release"
    assert best.day0 == T("2026-02-26"), "an after-close (amc) release reacts the next session"


# ---------------------------------------------------------------------------------------------
# every label form
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("label", ["Q3 2025", "3Q25", "Q3'25", "Q3\u201925", "q3-2025",
                                   "third quarter of 2025", "third-quarter 2025", "3Q 2025"])
def test_quarter_year_spellings_agree(label):
    assert fiscal_periods(label, "BABA", as_of="2025-12-01") == ["FY2026Q2", "FY2025Q3"], (
        f"{label!r} should read as calendar Q3 2025 first, fiscal FY2025Q3 second")


def test_ambiguous_quarter_says_so_in_reason():
    candidates = resolve_period("Q3 2025", "BABA", as_of="2025-12-01")
    assert len(candidates) == 2
    assert all("ambiguous" in p.reason for p in candidates), "both readings must be flagged"
    fiscal = candidates[1]
    assert (fiscal.start, fiscal.end, fiscal.release_date) == (
        T("2024-10-01"), T("2024-12-31"), T("2025-02-20")), "fiscal FY2025Q3 = Oct-Dec 2024"


def test_as_of_before_a_release_demotes_that_reading():
    # On 2025-10-01 the September-2025 quarter had not been reported (2025-11-25).
    candidates = resolve_period("Q3 2025", "BABA", as_of="2025-10-01")
    assert [p.fiscal_period for p in candidates] == ["FY2025Q3", "FY2026Q2"], (
        "a reading released after as_of must rank below one already released")
    assert "less likely" in candidates[1].reason


def test_nvda_quarter_year_prefers_fiscal_and_maps_calendar_by_overlap():
    candidates = resolve_period("Q3 2025", "NVDA", as_of="2025-12-01")
    assert [p.fiscal_period for p in candidates] == ["FY2025Q3", "FY2026Q3"]
    calendar = candidates[1]
    assert calendar.convention == "calendar"
    # Jul-Sep 2025 overlaps FY2026Q2 (2025-04-28..07-27) by 27 days, FY2026Q3 by 65 days.
    overlap_q3 = (T("2025-09-30") - T("2025-07-28")).days + 1
    overlap_q2 = (T("2025-07-27") - T("2025-07-01")).days + 1
    assert (overlap_q3, overlap_q2) == (65, 27)
    assert (calendar.start, calendar.end) == (T("2025-07-28"), T("2025-10-26"))
    assert calendar.release_date == T("2025-11-19") and calendar.day0 == T("2025-11-20")
    fiscal = candidates[0]
    assert (fiscal.end, fiscal.release_date) == (T("2024-10-27"), T("2024-11-20"))


def test_nvda_calendar_reading_first_when_fiscal_is_not_yet_released():
    # as_of 2024-09-01: fiscal FY2025Q3 (released 2024-11-20) is in the future, so is the
    # calendar reading (2025-11-19): both demoted, the prior order (fiscal first) stays.
    assert fiscal_periods("Q3 2025", "NVDA", as_of="2024-09-01") == ["FY2025Q3", "FY2026Q3"]


@pytest.mark.parametrize("label,ticker,expected", [
    ("FY2026Q2", "BABA", "FY2026Q2"), ("Q2 FY26", "NVDA", "FY2026Q2"),
    ("second quarter of fiscal 2026", "NVDA", "FY2026Q2"), ("fiscal Q2 2026", "BABA", "FY2026Q2"),
    ("FY'26 Q2", "BABA", "FY2026Q2"),
    ("calendar Q3 2025", "BABA", "FY2026Q2"), ("calendar Q3 2025", "NVDA", "FY2026Q3"),
])
def test_explicit_conventions_are_not_ambiguous(label, ticker, expected):
    assert fiscal_periods(label, ticker) == [expected], f"{label!r} names one convention only"


def test_quarter_number_without_year():
    assert fiscal_periods("fiscal first quarter", "BABA", as_of="2025-09-01") == ["FY2026Q1"], (
        "'fiscal' rules out the calendar reading")
    candidates = resolve_period("first-quarter results", "BABA", as_of="2025-09-01")
    assert [(p.fiscal_period, p.convention) for p in candidates] == [
        ("FY2026Q1", "fiscal"), ("FY2025Q4", "calendar")], (
        "fiscal numbering first; calendar Q1 2025 (FY2025Q4, released 2025-05-15) second")
    assert "ambiguous" in candidates[0].reason
    # for NVIDIA calendar Q1 2026 mostly overlaps FY2027Q1: both readings agree, one candidate
    assert fiscal_periods("Q1 earnings", "NVDA", as_of="2026-06-01") == ["FY2027Q1"]


def test_last_quarter_is_latest_release_on_or_before_as_of():
    assert top("last quarter", "BABA", as_of="2025-08-29").fiscal_period == "FY2026Q1", (
        "a release on the as_of date itself counts (bmo, before the article)")
    assert top("last quarter", "BABA", as_of="2025-08-28").fiscal_period == "FY2025Q4"
    assert top("the latest quarter", "NVDA", as_of="2025-11-20").fiscal_period == "FY2026Q3"


def test_this_and_next_quarter():
    assert top("this quarter", "NVDA", as_of="2025-09-01").fiscal_period == "FY2026Q3"
    assert top("next quarter", "BABA", as_of="2025-09-01").fiscal_period == "FY2026Q3"


def test_month_named_quarters():
    june = top("the June quarter", "BABA", as_of="2025-09-01")
    assert (june.fiscal_period, june.release_date) == ("FY2026Q1", T("2025-08-29"))
    assert top("the June quarter", "BABA", as_of="2025-06-15").fiscal_period == "FY2025Q1", (
        "before June 2025 ends, 'the June quarter' is the June-2024 quarter (FY2025Q1)")
    september = top("September quarter 2025", "BABA")
    assert (september.fiscal_period, september.start, september.end) == (
        "FY2026Q2", T("2025-07-01"), T("2025-09-30"))
    march = top("March quarter of 2026", "BABA")
    assert (march.fiscal_period, march.release_date) == ("FY2026Q4", T("2026-05-13"))
    assert top("quarter ended June 30, 2025", "BABA").fiscal_period == "FY2026Q1"
    # NVIDIA's quarter ended 2025-10-26 mostly overlaps August-October 2025
    assert top("the October quarter", "NVDA", as_of="2025-12-01").fiscal_period == "FY2026Q3"


@pytest.mark.parametrize("label", ["fiscal 2026", "FY2026", "FY26", "FY 2026", "fiscal year 2026"])
def test_fiscal_year_spellings(label):
    year = top(label, "BABA")
    assert (year.fiscal_period, year.start, year.end) == ("FY2026", T("2025-04-01"), T("2026-03-31"))
    assert year.release_date == T("2026-05-13"), "FY2026 is reported with FY2026Q4 (2026-05-13)"


def test_fy23_for_nvda_matches_the_reference_fact():
    year = top("FY'23", "NVDA")
    assert year.end == T("2023-01-29"), "NVIDIA fiscal 2023 ended 2023-01-29 (data/README.md)"
    assert year.release_date == T("2023-02-22")


def test_halves():
    candidates = resolve_period("the first half of 2025", "BABA")
    assert [p.fiscal_period for p in candidates] == ["FY2025Q4..FY2026Q1", "FY2025H1"]
    calendar, fiscal = candidates
    assert (calendar.start, calendar.end, calendar.release_date) == (
        T("2025-01-01"), T("2025-06-30"), T("2025-08-29")), "a half is reported with its last quarter"
    assert (fiscal.start, fiscal.end) == (T("2024-04-01"), T("2024-09-30"))
    nvda = resolve_period("H1 FY2026", "NVDA")
    assert [(p.fiscal_period, p.start, p.end) for p in nvda] == [
        ("FY2026H1", T("2025-01-27"), T("2025-07-27"))]
    assert fiscal_periods("FY2026H2", "BABA") == ["FY2026H2"]
    assert fiscal_periods("H1'25", "BABA") == ["FY2025Q4..FY2026Q1", "FY2025H1"]
    assert fiscal_periods("second half of fiscal 2026", "BABA") == ["FY2026H2"]
    assert fiscal_periods("calendar H2 2025", "NVDA") == ["FY2026Q3..FY2026Q4"]
    assert fiscal_periods("fiscal H1 2026", "NVDA") == ["FY2026H1"]


def test_calendar_year():
    year = top("2025", "BABA")
    assert (year.fiscal_period, year.start, year.end) == (
        "FY2025Q4..FY2026Q3", T("2025-01-01"), T("2025-12-31"))
    assert year.convention == "calendar"


def test_presentation_date_resolves_to_nearest_release_with_offset_note():
    best = top("March 20, 2026", "BABA")
    assert best.fiscal_period == "FY2026Q3", "the December-2025 quarter came out on 2026-03-19"
    assert best.release_date == T("2026-03-19")
    assert "Hong Kong" in best.reason, "the one-day HK/US offset must be explained"
    assert top("2025-11-25", "BABA").fiscal_period == "FY2026Q2"
    assert top("20 March 2026", "BABA").fiscal_period == "FY2026Q3"


def test_period_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        top("FY2026", "BABA").label = "x"  # type: ignore[misc]


def test_quarters_between():
    assert quarters_between("FY2026Q1", "FY2026Q2") == 1
    assert quarters_between("FY2025Q4", "FY2026Q1") == 1
    assert quarters_between("FY2026Q2", "FY2024Q2") == -8
    with pytest.raises(PeriodError, match="FY2026"):
        quarters_between("FY2026", "FY2026Q1")


# ---------------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("label", ["banana", "soon", "Q5 2025"])
def test_unparseable_label_names_it(label):
    with pytest.raises(PeriodError, match=label):
        resolve_period(label, "BABA")


@pytest.mark.parametrize("label", ["", "   ", None, 2025])
def test_empty_or_non_text_label(label):
    with pytest.raises(PeriodError):
        resolve_period(label, "BABA")


@pytest.mark.parametrize("label", ["last quarter", "Q1 earnings", "the June quarter", "this quarter"])
def test_relative_labels_need_as_of(label):
    with pytest.raises(PeriodError, match="as_of"):
        resolve_period(label, "BABA")


def test_relative_label_before_any_known_release():
    with pytest.raises(PeriodError, match="no BABA release"):
        resolve_period("last quarter", "BABA", as_of="2020-01-01")


def test_date_far_from_any_release():
    with pytest.raises(PeriodError, match="within 7 days"):
        resolve_period("July 4, 2025", "BABA")
    with pytest.raises(PeriodError, match="impossible date"):
        resolve_period("February 30, 2026", "BABA")


def test_ticker_errors():
    with pytest.raises(UnknownTickerError, match="AAPL"):
        resolve_period("Q3 2025", "AAPL")
    with pytest.raises(InvalidTickerError):
        resolve_period("Q3 2025", "../baba")
    assert top("FY2026", " baba ").ticker == "BABA", "tickers are normalised"


def test_bad_as_of():
    with pytest.raises(DateRangeError, match="as_of"):
        resolve_period("Q3 2025", "BABA", as_of="not a date")


# ---------------------------------------------------------------------------------------------
# review fixes: periods named by their end, year-first fiscal quarters, halves, messages
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("label,ticker,expected,start,end,release", [
    # Alibaba: fiscal quarters end on calendar quarter ends (FY2026Q2 = Jul-Sep 2025)
    ("the three months ended September 30, 2025", "BABA", "FY2026Q2", "2025-07-01", "2025-09-30", "2025-11-25"),
    ("three months ended Sept. 30, 2025", "BABA", "FY2026Q2", "2025-07-01", "2025-09-30", "2025-11-25"),
    ("the quarter ended June 30, 2025", "BABA", "FY2026Q1", "2025-04-01", "2025-06-30", "2025-08-29"),
    # NVIDIA: FY2026Q3 ended on Sunday 2025-10-26, released 2025-11-19 after the close
    ("the three months ended October 26, 2025", "NVDA", "FY2026Q3", "2025-07-28", "2025-10-26", "2025-11-19"),
    # longer spans: two quarters that make a fiscal half, four that make the fiscal year
    ("the six months ended September 30, 2025", "BABA", "FY2026H1", "2025-04-01", "2025-09-30", "2025-11-25"),
    ("the twelve months ended March 31, 2025", "BABA", "FY2025", "2024-04-01", "2025-03-31", "2025-05-15"),
])
def test_period_named_by_its_end_date(label, ticker, expected, start, end, release):
    for as_of in (None, "2026-01-15"):
        candidates = resolve_period(label, ticker, as_of=as_of)
        assert [p.fiscal_period for p in candidates] == [expected], (
            f"{label!r} names one span ending that day; got {[p.fiscal_period for p in candidates]}")
        best = candidates[0]
        assert (best.start, best.end, best.release_date) == (T(start), T(end), T(release)), (
            f"{label!r}: wrong bounds or release {best}")


def test_end_date_off_the_fiscal_calendar_says_so():
    best = top("the quarter ended August 31, 2025", "BABA")
    # Jun-Aug 2025 overlaps FY2026Q2 (Jul-Sep) by 62 days and FY2026Q1 by 30
    assert best.fiscal_period == "FY2026Q2"
    assert "not a BABA fiscal quarter end" in best.reason and "2025-09-30" in best.reason, best.reason


@pytest.mark.parametrize("label", ["fiscal 2025 fourth quarter", "fiscal Q4 2025", "fiscal year 2025 Q4",
                                   "FY2025's fourth quarter", "fourth quarter of fiscal 2025"])
@pytest.mark.parametrize("as_of", [None, "2025-12-01"])
def test_year_first_fiscal_quarter_has_one_reading(label, as_of):
    candidates = resolve_period(label, "BABA", as_of=as_of)
    assert [p.fiscal_period for p in candidates] == ["FY2025Q4"], (
        f"{label!r} is explicitly fiscal: FY2025Q4 only (no calendar Q4 extra), got "
        f"{[p.fiscal_period for p in candidates]}")
    assert candidates[0].release_date == T("2025-05-15"), "BABA FY2025Q4 was released 2025-05-15"


@pytest.mark.parametrize("label", ["1H25", "H1 2025", "1H 2025", "first half of 2025"])
def test_first_half_spellings(label):
    calendar, fiscal = resolve_period(label, "BABA", as_of="2025-12-01")
    assert (calendar.fiscal_period, calendar.start, calendar.end) == (
        "FY2025Q4..FY2026Q1", T("2025-01-01"), T("2025-06-30")), f"{label!r}: calendar H1 2025 first"
    assert fiscal.fiscal_period == "FY2025H1" and "ambiguous" in fiscal.reason


def test_year_first_fiscal_half():
    assert fiscal_periods("fiscal 2026 first half", "BABA") == ["FY2026H1"], (
        "not the whole fiscal year FY2026")


def test_bare_quarter_end_date_error_says_what_was_expected():
    with pytest.raises(PeriodError) as info:
        resolve_period("June 30, 2025", "BABA")
    message = str(info.value)
    assert "'June 30, 2025'" in message, "the message names the label"
    assert "last day of BABA fiscal quarter FY2026Q1" in message and "quarter ended June 30, 2025" in message
    assert "within 7 days of" not in message


def test_unparseable_label_error_lists_the_expected_forms():
    with pytest.raises(PeriodError, match=r"'banana'.*expected a quarter"):
        resolve_period("banana", "BABA")
    # 2025-05-15 (FY2025Q4) -> 2025-07-04 is 16 + 30 + 4 = 50 days; 2025-08-29 is 56 days after
    with pytest.raises(PeriodError, match="nearest release is FY2025Q4 on 2025-05-15, 50 days away"):
        resolve_period("July 4, 2025", "BABA")
    with pytest.raises(PeriodError, match="impossible date"):
        resolve_period("the quarter ended June 31, 2025", "BABA")


@pytest.mark.parametrize("label,expected", [
    ("August 28, 2025", "2025-08-28"), ("on Aug. 28, 2025", "2025-08-28"), ("28 August 2025", "2025-08-28"),
    ("2025-08-28", "2025-08-28"), ("Thursday, August 28, 2025", "2025-08-28"),
    ("Friday", None), ("Q3 2025", None), ("the quarter ended June 30, 2025", None), ("", None), (None, None),
])
def test_explicit_date(label, expected):
    from babaresearch.periods import explicit_date

    assert explicit_date(label) == (None if expected is None else T(expected))


def test_explicit_date_rejects_impossible_dates():
    from babaresearch.periods import explicit_date

    with pytest.raises(PeriodError, match="February 30, 2025"):
        explicit_date("February 30, 2025")


# ---------------------------------------------------------------------------------------------
# Alibaba's own wording: the year between the month and "quarter" (data/reference_facts.csv notes)
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("label,expected,start,end,release", [
    ("September 2025 quarter", "FY2026Q2", "2025-07-01", "2025-09-30", "2025-11-25"),
    ("the September 2025 quarter", "FY2026Q2", "2025-07-01", "2025-09-30", "2025-11-25"),
    ("the September-2025 quarter", "FY2026Q2", "2025-07-01", "2025-09-30", "2025-11-25"),
    ("Sept. 2025 quarter", "FY2026Q2", "2025-07-01", "2025-09-30", "2025-11-25"),
    ("June 2025 quarter", "FY2026Q1", "2025-04-01", "2025-06-30", "2025-08-29"),
    ("the June-2025 quarter", "FY2026Q1", "2025-04-01", "2025-06-30", "2025-08-29"),
    ("June '25 quarter", "FY2026Q1", "2025-04-01", "2025-06-30", "2025-08-29"),
    ("the March 2026 quarter", "FY2026Q4", "2026-01-01", "2026-03-31", "2026-05-13"),
])
@pytest.mark.parametrize("as_of", [None, "2026-06-01"])
def test_month_year_quarter_is_alibabas_calendar_quarter(label, expected, start, end, release, as_of):
    candidates = resolve_period(label, "BABA", as_of=as_of)
    assert len(candidates) == 1, f"{label!r} names one calendar quarter, not an ambiguous one"
    best = candidates[0]
    assert (best.fiscal_period, best.start, best.end, best.release_date) == (
        expected, T(start), T(end), T(release)), f"{label!r} resolved to {best}"
    assert best.convention == "calendar"


@pytest.mark.parametrize("label,ticker,expected,end", [
    # a month without a day is the end of that month (the year's digits are not a day)
    ("quarter ending September 2025", "BABA", "FY2026Q2", "2025-09-30"),
    ("the quarter ended June 2025", "BABA", "FY2026Q1", "2025-06-30"),
    ("three months ended September 2025", "BABA", "FY2026Q2", "2025-09-30"),
    # NVIDIA's FY2026Q3 ended 2025-10-26, five days before the month's end: within the tolerance
    ("quarter ending October 2025", "NVDA", "FY2026Q3", "2025-10-26"),
])
def test_quarter_ending_a_month_without_a_day(label, ticker, expected, end):
    best = top(label, ticker)
    assert (best.fiscal_period, best.end) == (expected, T(end)), f"{label!r} resolved to {best}"
    assert "not a" not in best.reason, (
        f"a month-end within a week of the fiscal quarter end is no mismatch: {best.reason}")
    assert "-20 " not in best.reason and "09-20" not in best.reason, (
        "the year 2025 must not be read as day 20 of the month")
