"""Resolve the period labels articles use ("Q3 2025", "the June quarter", "FY'26") to fiscal periods.

Alibaba's fiscal year ends on March 31 (FY2026Q1 = April–June 2025) and its own releases name
*calendar* quarters ("September quarter 2025"); NVIDIA's 52/53-week fiscal year ends on the last
Sunday of January (FY2026Q3 ended 2025-10-26). Analysts write both conventions, so a label such
as "Q3 2025" can mean two different quarters. :func:`resolve_period` returns every reading, best
first, each tied to the earnings release that reported it.

Ranking of ambiguous readings
-----------------------------
1. A reading whose results were released *after* the document's ``as_of`` date is less likely
   (an article cannot quote results that did not exist yet).
2. Then the convention usual for the ticker in English-language coverage: calendar quarters for
   Alibaba (its releases and most transcripts, e.g. "Q2 2023" for the June-2023 quarter), fiscal
   quarters for NVIDIA (its releases and transcripts say "Q3 FY2025" or simply "Q3 2025").
"""

from __future__ import annotations

import calendar as _calendar
import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from .dates import DateLike, to_date
from .errors import BabaResearchError, PeriodError, UnknownTickerError
from .tickers import COMPANIES, normalize_ticker

#: Convention an unqualified "Q3 2025" most likely follows, per ticker (see module docstring).
PREFERRED_CONVENTION: dict[str, str] = {"BABA": "calendar", "NVDA": "fiscal"}

#: A bare date resolves to an earnings release at most this many days away (calendar days).
MAX_RELEASE_GAP_DAYS = 7

#: What a period label may look like (quoted in PeriodError messages).
EXPECTED_FORMS = ("a quarter ('Q3 2025', 'FY2026Q2', 'fiscal Q4 2025', 'the September 2025 quarter', "
                  "'the quarter ended June 30, 2025'), "
                  "a half ('H1 2025', '1H25'), a year ('fiscal 2026', 'FY26', 'CY2025'), a relative "
                  "quarter with the document's as_of ('last quarter', 'Q1 earnings') or the date of "
                  "an earnings release ('March 20, 2026')")

#: Hong Kong (UTC+8) runs 12–13 hours ahead of New York: a date written in Asia can be one day
#: after the US release date of the same event.
HK_US_OFFSET_DAYS = 1

_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4,
                  "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "final": 4}
_HALF_WORDS = {"first": 1, "second": 2, "1st": 1, "2nd": 2}
_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[_calendar.month_name[_number].lower()] = _number
    _MONTHS[_calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9

_Q_WORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th|final)"
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")"
_YEAR = r"(?P<year>(?:19|20)\d{2}|\d{2})"
_FISCAL = r"(?:fiscal(?:[\s-]+year)?|fy)"
_CALENDAR = r"(?:calendar(?:[\s-]+year)?|cy)"

# Explicit fiscal quarter: "FY2026Q2", "FY26 Q2", "FY'26-Q2".
_RE_FY_Q = re.compile(r"\bfy\s*'?\s*" + _YEAR + r"\s*[-/ ]?\s*q(?P<q>[1-4])\b")
# "Q2 FY26", "Q2 of fiscal 2026", "2Q FY2026", "second quarter of fiscal 2026", "fiscal Q2 2026".
_RE_Q_FY = re.compile(
    r"\b(?:q(?P<q>[1-4])|(?P<q2>[1-4])q|(?P<w>" + _Q_WORD + r")[\s-]+quarter)"
    r"\s*(?:of\s+)?(?:the\s+)?" + _FISCAL + r"\s*'?\s*" + _YEAR + r"\b")
# "fiscal 2025 fourth quarter", "fiscal year 2025 Q4", "FY2025's fourth quarter".
_RE_FY_YEAR_Q = re.compile(
    r"\b" + _FISCAL + r"\s*'?\s*" + _YEAR + r"(?:'s)?[\s,-]+(?:q(?P<q>[1-4])|(?P<q2>[1-4])q|(?P<w>"
    + _Q_WORD + r")[\s-]+quarter)\b")
_RE_FISCAL_Q = re.compile(
    r"\b" + _FISCAL + r"\s+(?:q(?P<q>[1-4])|(?P<q2>[1-4])q|(?P<w>" + _Q_WORD + r")[\s-]+quarter)"
    r"\s*(?:of\s+)?'?\s*" + _YEAR + r"\b")
# Unqualified quarter and year: "Q3 2025", "3Q25", "Q3'25", "third quarter of 2025",
# optionally marked as calendar ("calendar Q3 2025", "Q3 CY2025").
_RE_Q_YEAR = re.compile(
    r"\b(?P<cal1>" + _CALENDAR + r"\s*)?(?:c?q(?P<q>[1-4])|(?P<q2>[1-4])q|(?P<w>" + _Q_WORD
    + r")[\s-]+quarter)\s*(?:of\s+)?(?P<cal2>" + _CALENDAR + r"\s*)?(?:['/-]\s*|\s*)" + _YEAR
    + r"\b")
# Quarter named by its last month: "the June quarter", "September quarter 2025",
# "March quarter of 2026", "quarter ended June 30, 2025", "quarter ending September 2025".
_RE_MONTH_Q = re.compile(
    r"\b(?P<month>" + _MONTH + r")\.?[\s-]+quarter\b(?:\s*(?:of\s+)?'?\s*" + _YEAR + r"\b)?")
# The year between month and "quarter", Alibaba's own wording: "the September 2025 quarter",
# "June-2025 quarter", "the March 2026 quarter", "September '25 quarter".
_RE_MONTH_YEAR_Q = re.compile(
    r"\b(?P<month>" + _MONTH + r")\.?[\s-]+(?:(?P<year>(?:19|20)\d{2})|'(?P<yy>\d{2}))[\s-]+quarter\b")
# A span named by its length and end: "the three months ended September 30, 2025", "six months
# ended September 30, 2025", "the year ended March 31, 2025", "quarter ending October 26, 2025".
_SPAN_MONTHS = {"three": 3, "3": 3, "six": 6, "6": 6, "nine": 9, "9": 9, "twelve": 12, "12": 12}
_RE_SPAN_ENDED = re.compile(
    r"\b(?:(?P<n>three|six|nine|twelve|3|6|9|12)[\s-]+months?|(?P<quarter>quarter)"
    r"|(?P<half>half[\s-]+year|half)|(?P<year_word>(?:fiscal\s+)?year))"
    r"\s+(?:ended|ending|to)\s+(?:on\s+)?(?P<month>" + _MONTH + r")\.?"
    r"(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?!\d))?,?\s*'?\s*" + _YEAR + r"\b")
_RE_Q_ENDED = re.compile(
    r"\bquarter\s+(?:ended|ending|to)\s+(?:on\s+)?(?P<month>" + _MONTH + r")\.?"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?(?!\d))?,?\s*'?\s*" + _YEAR + r"\b")
# Halves: "the first half of 2025", "H1 2025", "1H25", "H2 FY2026", "FY2026H1",
# "second half of fiscal 2026".
_RE_FY_H = re.compile(r"\bfy\s*'?\s*" + _YEAR + r"\s*[-/ ]?\s*h(?P<h>[12])\b"
                      r"|\b" + _FISCAL + r"\s*'?\s*" + r"(?P<year_b>(?:19|20)\d{2}|\d{2})"
                      r"(?:'s)?[\s,-]+(?:(?P<w>first|second|1st|2nd)[\s-]+half|h(?P<h_b>[12]))\b")
_RE_HALF = re.compile(
    r"\b(?P<cal0>" + _CALENDAR + r"\s*)?(?P<fiscal0>" + _FISCAL + r"\s+)?"
    r"(?:(?P<w>first|second|1st|2nd)[\s-]+half|h(?P<h>[12])|(?P<h2>[12])h)\s*(?:of\s+)?"
    r"(?:the\s+)?(?P<fiscal>" + _FISCAL + r"\s*)?(?P<cal>" + _CALENDAR + r"\s*)?(?:['/-]\s*|\s*)"
    + _YEAR + r"\b")
# Fiscal year: "fiscal 2026", "FY'23", "FY2026", "FY26", "fiscal year 2026".
_RE_FY = re.compile(r"\b" + _FISCAL + r"\s*'?\s*" + _YEAR + r"\b")
# Calendar year: "CY2025", "calendar 2025", or a bare "2025".
_RE_CY = re.compile(r"^(?:in\s+)?(?:" + _CALENDAR + r"\s*)?'?(?P<year>(?:19|20)\d{2})$"
                    r"|\b" + _CALENDAR + r"\s*'?\s*(?P<year2>(?:19|20)\d{2}|\d{2})\b")
# A quarter number without a year: "Q1 earnings", "first-quarter results", "fiscal Q1".
_RE_Q_ONLY = re.compile(
    r"\b(?P<fiscal>" + _FISCAL + r"\s+)?(?:q(?P<q>[1-4])|(?P<q2>[1-4])q|(?P<w>" + _Q_WORD
    + r")[\s-]+quarter)\b")
_RE_LAST_Q = re.compile(r"\b(?:last|latest|most\s+recent|previous|prior|past|recent|"
                        r"just[\s-]+reported)\s+(?:fiscal\s+)?quarter")
_RE_THIS_Q = re.compile(r"\b(?:this|current|present)\s+(?:fiscal\s+)?quarter")
_RE_NEXT_Q = re.compile(r"\b(?:next|coming|upcoming)\s+(?:fiscal\s+)?quarter")
# Dates: "March 20, 2026", "20 March 2026", "2026-03-20".
_RE_DATE_MDY = re.compile(r"\b(?P<month>" + _MONTH + r")\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?"
                          r"\s+(?P<year>(?:19|20)\d{2})\b")
_RE_DATE_DMY = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>" + _MONTH + r")\.?,?"
                          r"\s+(?P<year>(?:19|20)\d{2})\b")
_RE_DATE_ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")


@dataclass(frozen=True)
class Period:
    """One reading of a period label.

    Attributes
    ----------
    label : str
        The label as written ("Q3 2025").
    ticker : str
        "BABA" or "NVDA".
    fiscal_period : str
        Company fiscal label: "FY2026Q2" for a quarter, "FY2026" for a year, "FY2026H1" for a
        fiscal half; a calendar half or year is the range of fiscal quarters that covers it,
        e.g. "FY2025Q4..FY2026Q1".
    start, end : pandas.Timestamp
        First and last calendar day of the fiscal period (inclusive).
    release_date : pandas.Timestamp or None
        US date of the earnings release that reported the period (the last quarter's release for
        a year, half or range); None if the earnings calendar does not know it.
    day0 : pandas.Timestamp or None
        First NYSE session that could react to that release.
    convention : str
        "fiscal" or "calendar": how the label was read.
    reason : str
        Short explanation, including ambiguity and ranking notes.
    """

    label: str
    ticker: str
    fiscal_period: str
    start: pd.Timestamp
    end: pd.Timestamp
    release_date: pd.Timestamp | None
    day0: pd.Timestamp | None
    convention: str
    reason: str


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------

def resolve_period(label: str, ticker: str, as_of: DateLike | None = None) -> list[Period]:
    """Resolve a period label to its candidate fiscal periods, best first.

    Parameters
    ----------
    label : str
        "Q3 2025", "3Q25", "Q3'25", "Q1 earnings", "last quarter", "the June quarter",
        "September quarter 2025", "March quarter of 2026", "the September 2025 quarter" (Alibaba's
        own wording), "quarter ending September 2025", "fiscal 2026", "FY'23", "FY2026",
        "FY26", "the first half of 2025", "H1 FY2026", or the date of an earnings presentation
        ("March 20, 2026").
    ticker : str
        "BABA" or "NVDA" (any case).
    as_of : date-like, optional
        Date of the document the label comes from. Relative labels ("last quarter", "Q1
        earnings", "the June quarter") need it; for ambiguous labels it demotes readings whose
        results were released after it.

    Returns
    -------
    list of Period
        At least one candidate; more than one when the label is ambiguous (each ``reason``
        says so).

    Raises
    ------
    PeriodError
        The label cannot be parsed, or a relative label has no ``as_of`` to anchor it.
    UnknownTickerError
        The ticker has no fiscal calendar here.
    InvalidTickerError
        The ticker is malformed.
    DateRangeError
        ``as_of`` is not a date.
    """
    symbol = normalize_ticker(ticker)
    if symbol not in COMPANIES:
        raise UnknownTickerError(symbol, COMPANIES, "the fiscal calendars")
    if not isinstance(label, str) or not label.strip():
        raise PeriodError(f"period label {label!r} is empty or not text")
    as_of_ts = None if as_of is None else to_date(as_of, "as_of")
    text = _normalize_label(label)
    context = _Context(label=label, ticker=symbol, as_of=as_of_ts)

    for parser in _PARSERS:
        candidates = parser(text, context)
        if candidates:
            return _rank(candidates, context)
    raise PeriodError(f"cannot parse period label {label!r} (ticker {symbol}): expected {EXPECTED_FORMS}")


def explicit_date(label: object) -> pd.Timestamp | None:
    """The calendar day a label names when it is nothing but a date, else None.

    "August 28, 2025", "on 28 August 2025", "2025-08-28" -> Timestamp("2025-08-28");
    "Friday", "Q3 2025", "the quarter ended June 30, 2025" -> None (a weekday is relative to
    the document date and a quarter end names a period, not a day).

    Raises
    ------
    PeriodError
        The label is a date that does not exist ("February 30, 2025").
    """
    if not isinstance(label, str) or not label.strip():
        return None
    text = _normalize_label(label)
    text = re.sub(r"^(?:on|as\s+of|at\s+the\s+close\s+(?:of|on)|since|by)\s+", "", text)
    text = re.sub(r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)", "", text).strip(" .,")
    for pattern in (_RE_DATE_MDY, _RE_DATE_DMY, _RE_DATE_ISO):
        match = pattern.fullmatch(text)
        if match is not None:
            return _stated_date(match, label)
    return None


# --------------------------------------------------------------------------------------------
# helpers: calendar facts
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Context:
    label: str
    ticker: str
    as_of: pd.Timestamp | None


def _normalize_label(label: str) -> str:
    text = label.strip().lower()
    for curly in ("\u2019", "\u2018", "`", "\u00b4"):
        text = text.replace(curly, "'")
    for dash in ("\u2013", "\u2014", "\u2011", "\u2010"):
        text = text.replace(dash, "-")
    return re.sub(r"\s+", " ", text)


def _full_year(digits: str) -> int:
    """'25' -> 2025, '2025' -> 2025 (two-digit years are this century)."""
    year = int(digits)
    return 2000 + year if len(digits) == 2 else year


def _quarter_number(match: re.Match) -> int:
    groups = match.groupdict()
    for key in ("q", "q2"):
        if groups.get(key):
            return int(groups[key])
    return _QUARTER_WORDS[groups["w"]]


def _releases(ticker: str) -> pd.DataFrame:
    """The ticker's earnings calendar: fiscal_period, release_date, day0 (Timestamps)."""
    from .earnings import earnings_calendar

    table = earnings_calendar(ticker)
    table = table.loc[table["ticker"] == ticker, ["fiscal_period", "release_date", "day0"]]
    table = table.assign(release_date=pd.to_datetime(table["release_date"]),
                         day0=pd.to_datetime(table["day0"]))
    return table.sort_values("release_date").reset_index(drop=True)


def _release_of(ticker: str, fiscal_quarter: str) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    table = _releases(ticker)
    rows = table.loc[table["fiscal_period"] == fiscal_quarter]
    if rows.empty:
        return None, None
    row = rows.iloc[-1]
    day0 = None if pd.isna(row["day0"]) else pd.Timestamp(row["day0"])
    return pd.Timestamp(row["release_date"]), day0


def _bounds(ticker: str, fiscal_label: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    from .calendars import period_bounds

    start, end = period_bounds(ticker, fiscal_label)
    return pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()


def _fiscal_quarter_at(ticker: str, when: pd.Timestamp) -> str:
    from .calendars import fiscal_period

    return fiscal_period(ticker, when)


def _shift_quarter(fiscal_quarter: str, step: int) -> str:
    """'FY2026Q1' shifted by ``step`` quarters ('FY2025Q4' for -1)."""
    year, quarter = _split_quarter(fiscal_quarter)
    index = year * 4 + (quarter - 1) + step
    return f"FY{index // 4}Q{index % 4 + 1}"


def _split_quarter(fiscal_quarter: str) -> tuple[int, int]:
    """(fiscal year, quarter) of a quarter label (:func:`babaresearch.calendars.parse_fiscal_label`);
    a whole year ("FY2026") is no quarter."""
    from .calendars import parse_fiscal_label

    year, quarter = parse_fiscal_label(fiscal_quarter)
    if quarter is None:
        raise PeriodError(f"{fiscal_quarter!r} is not a fiscal quarter label like 'FY2026Q1'")
    return year, quarter


def quarters_between(earlier: str, later: str) -> int:
    """Number of fiscal quarters from ``earlier`` to ``later`` ('FY2026Q1' -> 'FY2026Q2' is 1).

    Raises
    ------
    PeriodError
        Either label is not a fiscal quarter like "FY2026Q1".
    """
    year_a, quarter_a = _split_quarter(earlier)
    year_b, quarter_b = _split_quarter(later)
    return (year_b * 4 + quarter_b) - (year_a * 4 + quarter_a)


def _overlap_days(a_start, a_end, b_start, b_end) -> int:
    first = max(a_start, b_start)
    last = min(a_end, b_end)
    return max((last - first).days + 1, 0)


def _fiscal_quarter_covering(ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> str:
    """Fiscal quarter whose period overlaps the calendar span [start, end] the most."""
    middle = start + (end - start) / 2
    labels = dict.fromkeys(_fiscal_quarter_at(ticker, day) for day in (start, middle.normalize(), end))
    best = max(labels, key=lambda lab: _overlap_days(start, end, *_bounds(ticker, lab)))
    return best


def _calendar_quarter_span(year: int, quarter: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of a calendar quarter (:func:`babaresearch.calendars.calendar_quarter_bounds`)."""
    from .calendars import calendar_quarter_bounds

    return calendar_quarter_bounds(year, quarter)


def _three_months_ending(year: int, month: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    end = pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)
    start = (pd.Timestamp(year=year, month=month, day=1) - pd.DateOffset(months=2)).normalize()
    return start, end.normalize()


def _fmt(day: pd.Timestamp | None) -> str:
    return "unknown" if day is None else f"{day:%Y-%m-%d}"


# --------------------------------------------------------------------------------------------
# helpers: building candidates
# --------------------------------------------------------------------------------------------

def _quarter_period(ctx: _Context, fiscal_quarter: str, convention: str, reason: str) -> Period:
    start, end = _bounds(ctx.ticker, fiscal_quarter)
    release, day0 = _release_of(ctx.ticker, fiscal_quarter)
    return Period(ctx.label, ctx.ticker, fiscal_quarter, start, end, release, day0, convention,
                  reason)


def _span_period(ctx: _Context, first_q: str, last_q: str, fiscal_label: str | None,
                 convention: str, reason: str) -> Period:
    """A period of several fiscal quarters, reported with the release of the last one."""
    start, _ = _bounds(ctx.ticker, first_q)
    _, end = _bounds(ctx.ticker, last_q)
    release, day0 = _release_of(ctx.ticker, last_q)
    label = fiscal_label or (first_q if first_q == last_q else f"{first_q}..{last_q}")
    return Period(ctx.label, ctx.ticker, label, start, end, release, day0, convention, reason)


def _calendar_quarter_candidate(ctx: _Context, year: int, quarter: int, why: str) -> Period:
    cal_start, cal_end = _calendar_quarter_span(year, quarter)
    fiscal_q = _fiscal_quarter_covering(ctx.ticker, cal_start, cal_end)
    reason = (f"{why}: calendar Q{quarter} {year} ({_fmt(cal_start)}..{_fmt(cal_end)}) "
              f"is {ctx.ticker} {fiscal_q}")
    return _quarter_period(ctx, fiscal_q, "calendar", reason)


def _fiscal_quarter_candidate(ctx: _Context, year: int, quarter: int, why: str) -> Period:
    fiscal_q = f"FY{year}Q{quarter}"
    return _quarter_period(ctx, fiscal_q, "fiscal", f"{why}: fiscal quarter {fiscal_q}")


def _both_readings(ctx: _Context, calendar_reading: Period, fiscal_reading: Period) -> list[Period]:
    """Both readings, the ticker's usual convention first; one candidate when they agree."""
    preferred = PREFERRED_CONVENTION[ctx.ticker]
    first, second = ((calendar_reading, fiscal_reading) if preferred == "calendar"
                     else (fiscal_reading, calendar_reading))
    if calendar_reading.fiscal_period == fiscal_reading.fiscal_period:
        return [dataclasses.replace(first, reason=first.reason + "; calendar and fiscal readings agree")]
    note = (f"; ambiguous: calendar reading {calendar_reading.fiscal_period} vs fiscal reading "
            f"{fiscal_reading.fiscal_period} ({preferred} is the usual reading for {ctx.ticker})")
    return [dataclasses.replace(first, reason=first.reason + note),
            dataclasses.replace(second, reason=second.reason + note)]


def _released_quarters(ctx: _Context) -> pd.DataFrame:
    """Quarters released on or before as_of, latest first (needs as_of)."""
    if ctx.as_of is None:
        raise PeriodError(f"period label {ctx.label!r} is relative: it needs the document's as_of date")
    table = _releases(ctx.ticker)
    table = table.loc[table["release_date"] <= ctx.as_of]
    if table.empty:
        raise PeriodError(f"period label {ctx.label!r}: no {ctx.ticker} release known on or before "
                          f"{ctx.as_of:%Y-%m-%d}")
    return table.iloc[::-1].reset_index(drop=True)


def _calendar_quarter_number(ticker: str, fiscal_quarter: str) -> int:
    start, end = _bounds(ticker, fiscal_quarter)
    return (start + (end - start) / 2).quarter


# --------------------------------------------------------------------------------------------
# parsers: each returns candidates (unranked) or [] when the label is not of its form
# --------------------------------------------------------------------------------------------

def _parse_fiscal_quarter(text: str, ctx: _Context) -> list[Period]:
    for pattern in (_RE_FY_Q, _RE_Q_FY, _RE_FISCAL_Q, _RE_FY_YEAR_Q):
        match = pattern.search(text)
        if match:
            year, quarter = _full_year(match.group("year")), _quarter_number(match)
            return [_fiscal_quarter_candidate(ctx, year, quarter, "explicit fiscal label")]
    return []


def _parse_quarter_year(text: str, ctx: _Context) -> list[Period]:
    match = _RE_Q_YEAR.search(text)
    if match is None:
        return []
    year, quarter = _full_year(match.group("year")), _quarter_number(match)
    if match.group("cal1") or match.group("cal2") or match.group(0).startswith("cq"):
        return [_calendar_quarter_candidate(ctx, year, quarter, "explicit calendar label")]
    return _both_readings(
        ctx,
        _calendar_quarter_candidate(ctx, year, quarter, "calendar reading"),
        _fiscal_quarter_candidate(ctx, year, quarter, "fiscal reading"),
    )


def _parse_span_ended(text: str, ctx: _Context) -> list[Period]:
    """'the three months ended September 30, 2025': the fiscal quarter(s) ending on that date.

    A span of three months is one fiscal quarter, six months two (a fiscal half when they are
    Q1-Q2 or Q3-Q4), twelve months four (the fiscal year when they are Q1-Q4); each is reported
    with the release of its last quarter.
    """
    match = _RE_SPAN_ENDED.search(text)
    if match is None:
        return []
    if match.group("n"):
        months = _SPAN_MONTHS[match.group("n")]
    elif match.group("quarter"):
        months = 3
    elif match.group("half"):
        months = 6
    else:
        months = 12
    year, month = _full_year(match.group("year")), _MONTHS[match.group("month")]
    month_end = (pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)).normalize()
    if match.group("day"):
        try:
            stated = pd.Timestamp(year=year, month=month, day=int(match.group("day")))
        except ValueError:
            raise PeriodError(f"period label {ctx.label!r} holds an impossible date "
                              f"({match.group('month')} {match.group('day')}, {year})") from None
    else:
        stated = month_end
    last_span_start = (stated - pd.DateOffset(months=3) + pd.Timedelta(days=1)).normalize()
    last_q = _fiscal_quarter_covering(ctx.ticker, last_span_start, stated)
    first_q = _shift_quarter(last_q, -(months // 3 - 1))
    _, fiscal_end = _bounds(ctx.ticker, last_q)
    off = abs((fiscal_end - stated).days)
    note = ("" if off <= MAX_RELEASE_GAP_DAYS else
            f"; {stated:%Y-%m-%d} is not a {ctx.ticker} fiscal quarter end (nearest: "
            f"{last_q} ends {fiscal_end:%Y-%m-%d})")
    quarters = last_q if first_q == last_q else f"{first_q}..{last_q}"
    reason = f"{months} months ended {stated:%Y-%m-%d}: {ctx.ticker} {quarters}{note}"
    if first_q == last_q:
        return [_quarter_period(ctx, last_q, "calendar", reason)]
    first_year, first_number = _split_quarter(first_q)
    last_year, _ = _split_quarter(last_q)
    fiscal_label = None
    if months == 6 and first_year == last_year and first_number in (1, 3):
        fiscal_label = f"FY{first_year}H{(first_number + 1) // 2}"
    elif months == 12 and first_number == 1:
        fiscal_label = f"FY{first_year}"
    return [_span_period(ctx, first_q, last_q, fiscal_label, "calendar", reason)]


def _parse_month_quarter(text: str, ctx: _Context) -> list[Period]:
    """'the June quarter', 'September quarter 2025', 'the September 2025 quarter', 'quarter
    ended June 30, 2025': the calendar quarter ending in that month, as a fiscal quarter."""
    match = _RE_MONTH_YEAR_Q.search(text) or _RE_Q_ENDED.search(text) or _RE_MONTH_Q.search(text)
    if match is None:
        return []
    month = _MONTHS[match.group("month")]
    year_text = match.group("year") or match.groupdict().get("yy")
    if year_text:
        years = [_full_year(year_text)]
        why = "quarter named by its last month"
    else:
        if ctx.as_of is None:
            raise PeriodError(f"period label {ctx.label!r} has no year: it needs the document's as_of date")
        years = [ctx.as_of.year - 1, ctx.as_of.year]
        why = f"latest such quarter ended on or before as_of {ctx.as_of:%Y-%m-%d}"
    spans = [_three_months_ending(year, month) for year in years]
    if ctx.as_of is not None and not year_text:
        ended = [span for span in spans if span[1] <= ctx.as_of]
        spans = ended[-1:] or spans[:1]
    cal_start, cal_end = spans[-1]
    fiscal_q = _fiscal_quarter_covering(ctx.ticker, cal_start, cal_end)
    reason = (f"{why}: three months {_fmt(cal_start)}..{_fmt(cal_end)} are {ctx.ticker} {fiscal_q}")
    return [_quarter_period(ctx, fiscal_q, "calendar", reason)]


def _parse_half(text: str, ctx: _Context) -> list[Period]:
    match = _RE_FY_H.search(text)
    if match:
        year = _full_year(match.group("year") or match.group("year_b"))
        half = int(match.group("h") or match.group("h_b") or _HALF_WORDS[match.group("w")])
        return [_fiscal_half(ctx, year, half, "explicit fiscal half")]
    match = _RE_HALF.search(text)
    if match is None:
        return []
    year = _full_year(match.group("year"))
    half = int(match.group("h") or match.group("h2") or _HALF_WORDS[match.group("w")])
    if match.group("fiscal") or match.group("fiscal0"):
        return [_fiscal_half(ctx, year, half, "explicit fiscal half")]
    calendar_reading = _calendar_half(ctx, year, half)
    if match.group("cal") or match.group("cal0"):
        return [calendar_reading]
    return _both_readings(ctx, calendar_reading, _fiscal_half(ctx, year, half, "fiscal reading"))


def _fiscal_half(ctx: _Context, year: int, half: int, why: str) -> Period:
    first_q, last_q = f"FY{year}Q{2 * half - 1}", f"FY{year}Q{2 * half}"
    return _span_period(ctx, first_q, last_q, f"FY{year}H{half}", "fiscal",
                        f"{why}: FY{year}H{half} = {first_q}..{last_q}")


def _calendar_half(ctx: _Context, year: int, half: int) -> Period:
    first_start, first_end = _calendar_quarter_span(year, 2 * half - 1)
    last_start, last_end = _calendar_quarter_span(year, 2 * half)
    first_q = _fiscal_quarter_covering(ctx.ticker, first_start, first_end)
    last_q = _fiscal_quarter_covering(ctx.ticker, last_start, last_end)
    reason = (f"calendar half H{half} {year} ({_fmt(first_start)}..{_fmt(last_end)}) "
              f"is {ctx.ticker} {first_q}..{last_q}")
    return _span_period(ctx, first_q, last_q, None, "calendar", reason)


def _parse_fiscal_year(text: str, ctx: _Context) -> list[Period]:
    match = _RE_FY.search(text)
    if match is None:
        return []
    year = _full_year(match.group("year"))
    start, end = _bounds(ctx.ticker, f"FY{year}")
    release, day0 = _release_of(ctx.ticker, f"FY{year}Q4")
    reason = f"fiscal year FY{year}, reported with the FY{year}Q4 release"
    return [Period(ctx.label, ctx.ticker, f"FY{year}", start, end, release, day0, "fiscal", reason)]


def _parse_calendar_year(text: str, ctx: _Context) -> list[Period]:
    match = _RE_CY.search(text)
    if match is None:
        return []
    year = _full_year(match.group("year") or match.group("year2"))
    quarters = [_fiscal_quarter_covering(ctx.ticker, *_calendar_quarter_span(year, q)) for q in (1, 4)]
    reason = f"calendar year {year} is {ctx.ticker} {quarters[0]}..{quarters[1]}"
    return [_span_period(ctx, quarters[0], quarters[1], None, "calendar", reason)]


def _parse_relative_quarter(text: str, ctx: _Context) -> list[Period]:
    if _RE_LAST_Q.search(text):
        latest = _released_quarters(ctx).iloc[0]
        reason = (f"latest quarter released on or before as_of {ctx.as_of:%Y-%m-%d} "
                  f"(released {latest['release_date']:%Y-%m-%d})")
        return [_quarter_period(ctx, latest["fiscal_period"], "fiscal", reason)]
    for pattern, step, what in ((_RE_THIS_Q, 0, "quarter containing"), (_RE_NEXT_Q, 1, "quarter after")):
        if pattern.search(text):
            if ctx.as_of is None:
                raise PeriodError(f"period label {ctx.label!r} is relative: it needs the document's as_of date")
            fiscal_q = _shift_quarter(_fiscal_quarter_at(ctx.ticker, ctx.as_of), step)
            return [_quarter_period(ctx, fiscal_q, "fiscal",
                                    f"{what} as_of {ctx.as_of:%Y-%m-%d}")]
    return []


def _parse_quarter_number(text: str, ctx: _Context) -> list[Period]:
    """'Q1 earnings': the latest release of that quarter number on or before as_of."""
    match = _RE_Q_ONLY.search(text)
    if match is None:
        return []
    quarter = _quarter_number(match)
    released = _released_quarters(ctx)
    fiscal_rows = released.loc[released["fiscal_period"].str.endswith(f"Q{quarter}")]
    candidates = []
    if not fiscal_rows.empty:
        row = fiscal_rows.iloc[0]
        candidates.append(_quarter_period(
            ctx, row["fiscal_period"], "fiscal",
            f"latest fiscal Q{quarter} released on or before as_of {ctx.as_of:%Y-%m-%d}"))
    if match.group("fiscal"):
        return candidates
    for fiscal_q in released["fiscal_period"]:
        if _calendar_quarter_number(ctx.ticker, fiscal_q) == quarter:
            calendar_reading = _quarter_period(
                ctx, fiscal_q, "calendar",
                f"latest calendar Q{quarter} released on or before as_of {ctx.as_of:%Y-%m-%d}")
            if not candidates:
                return [calendar_reading]
            if calendar_reading.fiscal_period == candidates[0].fiscal_period:
                return candidates
            note = (f"; ambiguous: fiscal Q{quarter} is {candidates[0].fiscal_period}, calendar "
                    f"Q{quarter} is {fiscal_q} (a quarter number without a year usually follows "
                    "the company's fiscal numbering)")
            return [dataclasses.replace(candidates[0], reason=candidates[0].reason + note),
                    dataclasses.replace(calendar_reading, reason=calendar_reading.reason + note)]
    return candidates


def _parse_date(text: str, ctx: _Context) -> list[Period]:
    """A bare date (of an earnings presentation): the release nearest to it."""
    match = _RE_DATE_MDY.search(text) or _RE_DATE_DMY.search(text) or _RE_DATE_ISO.search(text)
    if match is None:
        return []
    stated = _stated_date(match, ctx.label)
    table = _releases(ctx.ticker)
    if table.empty:
        raise PeriodError(f"period label {ctx.label!r}: no {ctx.ticker} releases are known, so a "
                          "date cannot be read as an earnings release")
    gaps = (table["release_date"] - stated).dt.days
    nearest = int(gaps.abs().idxmin())
    gap = int(gaps.iloc[nearest])
    row = table.iloc[nearest]
    if abs(gap) > MAX_RELEASE_GAP_DAYS:
        raise PeriodError(_far_date_message(ctx, stated, row, gap))
    release = pd.Timestamp(row["release_date"])
    if gap == 0:
        note = "released that day"
    elif gap == -HK_US_OFFSET_DAYS:
        note = (f"released {release:%Y-%m-%d} US time, one day before the stated date "
                "(the usual Hong Kong/US date offset)")
    else:
        note = f"released {release:%Y-%m-%d}, {abs(gap)} day(s) {'after' if gap > 0 else 'before'} the stated date"
    reason = f"date {stated:%Y-%m-%d} of an earnings presentation: nearest release {row['fiscal_period']}, {note}"
    return [_quarter_period(ctx, row["fiscal_period"], "fiscal", reason)]


def _stated_date(match: re.Match, label: object) -> pd.Timestamp:
    month = match.group("month")
    month_number = int(month) if month.isdigit() else _MONTHS[month]
    try:
        return pd.Timestamp(year=int(match.group("year")), month=month_number,
                            day=int(match.group("day")))
    except ValueError:
        raise PeriodError(f"period label {label!r} holds an impossible date "
                          f"(year {match.group('year')}, month {month}, day {match.group('day')})") from None


def _far_date_message(ctx: _Context, stated: pd.Timestamp, nearest_release: Mapping, gap: int) -> str:
    """Why a bare date is no period: say what it is and what was expected instead."""
    release = f"{nearest_release['fiscal_period']} on {nearest_release['release_date']:%Y-%m-%d}"
    head = (f"period label {ctx.label!r} is a bare date ({stated:%Y-%m-%d}); as a period it must be "
            f"the date of a {ctx.ticker} earnings release (within {MAX_RELEASE_GAP_DAYS} days)")
    try:
        quarter = _fiscal_quarter_at(ctx.ticker, stated)
        _, quarter_end = _bounds(ctx.ticker, quarter)
    except BabaResearchError:
        quarter, quarter_end = None, None
    if quarter is not None and quarter_end == stated:
        quarter_release, _ = _release_of(ctx.ticker, quarter)
        return (f"{head}, but it is the last day of {ctx.ticker} fiscal quarter {quarter}: write "
                f"'the quarter ended {stated:%B} {stated.day}, {stated.year}' to mean that quarter "
                f"(released {_fmt(quarter_release)})")
    return f"{head}; the nearest release is {release}, {abs(gap)} days away"


_PARSERS = (
    _parse_fiscal_quarter,
    _parse_span_ended,      # before halves and dates: "six months ended September 30, 2025"
    _parse_half,            # before quarter-year: "first half of 2025" is no quarter
    _parse_quarter_year,
    _parse_month_quarter,   # before dates: "quarter ended June 30, 2025"
    _parse_relative_quarter,
    _parse_quarter_number,
    _parse_fiscal_year,
    _parse_date,
    _parse_calendar_year,
)


# --------------------------------------------------------------------------------------------
# ranking
# --------------------------------------------------------------------------------------------

def _rank(candidates: list[Period], ctx: _Context) -> list[Period]:
    """Demote readings released after as_of; otherwise keep the parser's order.

    Parsers already list readings in prior order (the ticker's usual convention first), so the
    sort is stable on that order.
    """
    if len(candidates) < 2:
        return candidates

    def is_later(period: Period) -> bool:
        if ctx.as_of is None:
            return False
        if period.release_date is not None:
            return period.release_date > ctx.as_of
        return period.end > ctx.as_of

    ranked = []
    for order, period in enumerate(candidates):
        later = is_later(period)
        reason = period.reason
        if later:
            reason += (f"; released {_fmt(period.release_date)}, after as_of "
                       f"{ctx.as_of:%Y-%m-%d}: less likely")
        ranked.append(((later, order), dataclasses.replace(period, reason=reason)))
    ranked.sort(key=lambda item: item[0])
    return [period for _, period in ranked]
