"""Trading and fiscal calendars.

Two different clocks matter when an article says "shares jumped after results":

* the **NYSE session calendar** (``exchange_calendars``' ``XNYS``): which days the US market
  trades, when it opens and closes (including early closes such as the day after Thanksgiving)
  and on which session the market first trades on a piece of news (:func:`event_day0`);
* the companies' **fiscal calendars**: Alibaba's fiscal year ends on March 31 (``FY2026`` =
  2025-04-01 .. 2026-03-31, ``FY2026Q1`` = April-June 2025); NVIDIA's 52/53-week fiscal year
  ends on the last Sunday of January, with 13-week quarters and the extra (14th) week of a
  53-week year added to Q4.

All dates returned are tz-naive midnight :class:`pandas.Timestamp` values (New York session
dates), as everywhere in babaresearch.
"""

from __future__ import annotations

import datetime as _dt
import numbers
import re
import warnings
from functools import lru_cache

import numpy as np
import pandas as pd

from .dates import MARKET_TZ, DateLike, to_date, to_date_range, to_dates
from .errors import CalendarError, DateRangeError, OutOfRangeError, PeriodError, UnknownTickerError
from .tickers import normalize_ticker

# ---------------------------------------------------------------------------------------------
# NYSE sessions
# ---------------------------------------------------------------------------------------------

#: The exchange whose sessions define "a trading day" (both BABA and NVDA list in New York).
EXCHANGE = "XNYS"
#: Local time zone of the exchange (the library's market time zone).
EXCHANGE_TZ = MARKET_TZ
#: First and last dates the cached calendar covers. exchange_calendars only builds a limited
#: window by default (about 20 years back and 1 year ahead of today), so the window is pinned
#: here: estimation windows of a year before 2023 need 2022, and scheduled releases reach 2027.
CALENDAR_START = "2015-01-01"
CALENDAR_END = "2028-12-31"

#: Timing labels accepted by :func:`event_day0`.
#: ``bmo`` before market open, ``amc`` after market close, ``intraday`` while the market is
#: open, ``unknown`` when the time of day was not found (treated like ``bmo``: the earliest
#: session that could have traded on the news, so a window starting at day 0 never misses it).
TIMINGS: tuple[str, ...] = ("bmo", "amc", "intraday", "unknown")


class CalendarRangeError(OutOfRangeError, CalendarError):
    """A date lies outside the sessions the NYSE calendar covers (both an
    :class:`~babaresearch.errors.OutOfRangeError` and a :class:`~babaresearch.errors.CalendarError`)."""


@lru_cache(maxsize=1)
def _xnys():
    """The XNYS calendar over ``CALENDAR_START..CALENDAR_END`` (built once: it takes ~0.5 s)."""
    import exchange_calendars  # heavy import, only when a session is actually needed

    with warnings.catch_warnings():
        # exchange_calendars 4.13 builds its schedule with Series.values, which pandas 3.1
        # deprecates (Pandas4Warning); the warning is theirs, not actionable here.
        warnings.filterwarnings("ignore", message="Series.values returning an ndarray")
        return exchange_calendars.get_calendar(EXCHANGE, start=CALENDAR_START, end=CALENDAR_END)


@lru_cache(maxsize=1)
def _sessions() -> pd.DatetimeIndex:
    """All sessions of the cached calendar, tz-naive ``datetime64[ns]``, ascending."""
    sessions = pd.DatetimeIndex(_xnys().sessions)
    if sessions.tz is not None:  # exchange_calendars 4.x sessions are naive; be safe anyway
        sessions = sessions.tz_localize(None)
    return pd.DatetimeIndex(sessions.as_unit("ns").to_numpy(), name="date")


def calendar_bounds() -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last session the NYSE calendar covers.

    Returns
    -------
    (pandas.Timestamp, pandas.Timestamp)
        Tz-naive midnight session dates (the calendar is pinned to ``CALENDAR_START`` ..
        ``CALENDAR_END``, 2015-01-01 .. 2028-12-31).
    """
    sessions = _sessions()
    return sessions[0], sessions[-1]


def _check_in_calendar(date: pd.Timestamp, what: str = "date") -> None:
    first, last = calendar_bounds()
    if date < first or date > last:
        raise CalendarRangeError(
            f"{what} {date.date()} is outside the NYSE calendar "
            f"({first.date()} .. {last.date()})"
        )


def clip_to_calendar(start: DateLike | None, end: DateLike | None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The part of ``[start, end]`` that the NYSE calendar covers.

    The one place that knows where the cached calendar ends: callers that may see dates
    beyond it (user-supplied bars, live requests years ahead) clip here, then ask
    :func:`nyse_sessions` for the covered part and decide themselves about the rest.

    Parameters
    ----------
    start, end : date-like or None
        Inclusive bounds (a time of day is dropped); None means the calendar's own end.

    Returns
    -------
    (pandas.Timestamp, pandas.Timestamp) or None
        ``(max(start, first), min(end, last))`` with ``first``/``last`` from
        :func:`calendar_bounds`, or None when the range lies wholly outside the calendar.

    Raises
    ------
    DateRangeError
        Unparseable or reversed bounds.
    """
    start_ts, end_ts = to_date_range(start, end)
    first, last = calendar_bounds()
    lo = first if start_ts is None else max(start_ts, first)
    hi = last if end_ts is None else min(end_ts, last)
    return (lo, hi) if lo <= hi else None


def nyse_sessions(start: DateLike | None = None, end: DateLike | None = None) -> pd.DatetimeIndex:
    """NYSE sessions from ``start`` to ``end`` (both inclusive).

    Parameters
    ----------
    start, end : date-like or None
        Inclusive bounds; ``None`` means the first / last session of the calendar.

    Returns
    -------
    pandas.DatetimeIndex
        Tz-naive midnight session dates (``datetime64[ns]``), named ``date``; empty when no
        session falls in the range (e.g. a weekend).

    Raises
    ------
    DateRangeError
        Unparseable or reversed bounds.
    CalendarRangeError
        A bound outside the calendar (an ``OutOfRangeError`` and a ``CalendarError``).
    """
    start_ts, end_ts = to_date_range(start, end)
    sessions = _sessions()
    if start_ts is not None:
        _check_in_calendar(start_ts, "start")
    if end_ts is not None:
        _check_in_calendar(end_ts, "end")
    lo = 0 if start_ts is None else sessions.searchsorted(start_ts, side="left")
    hi = len(sessions) if end_ts is None else sessions.searchsorted(end_ts, side="right")
    return sessions[lo:hi]


def is_session(date: DateLike) -> bool:
    """Whether ``date`` (its calendar date) is an NYSE session.

    Parameters
    ----------
    date : date-like
        Any day; a time of day is dropped.

    Returns
    -------
    bool

    Raises
    ------
    CalendarRangeError
        ``date`` is outside the calendar (see :func:`calendar_bounds`).
    DateRangeError
        ``date`` cannot be parsed.
    """
    day = to_date(date)
    _check_in_calendar(day)
    return bool(day in _sessions())


def next_session(date: DateLike) -> pd.Timestamp:
    """The first session strictly **after** ``date`` (whether or not ``date`` is a session).

    Parameters
    ----------
    date : date-like
        Any day; a time of day is dropped.

    Returns
    -------
    pandas.Timestamp
        Tz-naive session date.

    Raises
    ------
    CalendarRangeError
        ``date`` or the answer lies outside the calendar.
    DateRangeError
        ``date`` cannot be parsed.
    """
    return _nearest_session(date, side="right", step=0, relation="after")


def previous_session(date: DateLike) -> pd.Timestamp:
    """The last session strictly **before** ``date`` (whether or not ``date`` is a session).

    Parameters
    ----------
    date : date-like
        Any day; a time of day is dropped.

    Returns
    -------
    pandas.Timestamp
        Tz-naive session date.

    Raises
    ------
    CalendarRangeError
        ``date`` or the answer lies outside the calendar.
    DateRangeError
        ``date`` cannot be parsed.
    """
    return _nearest_session(date, side="left", step=-1, relation="before")


def session_on_or_after(date: DateLike) -> pd.Timestamp:
    """``date`` itself if it is a session, else the next session (never rolls backwards).

    Parameters
    ----------
    date : date-like
        Any day; a time of day is dropped.

    Returns
    -------
    pandas.Timestamp
        Tz-naive session date, on or after ``date``.

    Raises
    ------
    CalendarRangeError
        ``date`` or the answer lies outside the calendar.
    DateRangeError
        ``date`` cannot be parsed.
    """
    return _nearest_session(date, side="left", step=0, relation="on or after")


def session_on_or_before(date: DateLike) -> pd.Timestamp:
    """``date`` itself if it is a session, else the previous session (never rolls forwards).

    Parameters
    ----------
    date : date-like
        Any day; a time of day is dropped.

    Returns
    -------
    pandas.Timestamp
        Tz-naive session date, on or before ``date`` (Saturday 2025-08-30 -> Friday
        2025-08-29).

    Raises
    ------
    CalendarRangeError
        ``date`` or the answer lies outside the calendar.
    DateRangeError
        ``date`` cannot be parsed.
    """
    return _nearest_session(date, side="right", step=-1, relation="on or before")


def _nearest_session(date: DateLike, *, side: str, step: int, relation: str) -> pd.Timestamp:
    """The session at ``searchsorted(day, side) + step``: the one shared lookup behind
    :func:`next_session`, :func:`previous_session` and :func:`session_on_or_after`."""
    day = to_date(date)
    _check_in_calendar(day)
    sessions = _sessions()
    pos = sessions.searchsorted(day, side=side) + step
    if not 0 <= pos < len(sessions):
        edge = "first" if pos < 0 else "last"
        bound = sessions[0] if pos < 0 else sessions[-1]
        raise CalendarRangeError(
            f"no NYSE session {relation} {day.date()} in the calendar ({edge}: {bound.date()})"
        )
    return sessions[pos]


def session_hours(date: DateLike) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Regular-hours open and close of ``date`` if it is an NYSE session, else None.

    Parameters
    ----------
    date : date-like
        Any day; a time of day is dropped.

    Returns
    -------
    (pandas.Timestamp, pandas.Timestamp) or None
        Open and close, tz-aware in America/New_York (early closes are real: 2025-11-28
        closes at 13:00); None on a weekend or holiday.

    Raises
    ------
    CalendarRangeError
        ``date`` lies outside the calendar.
    DateRangeError
        ``date`` cannot be parsed.
    """
    day = to_date(date)
    if not is_session(day):
        return None
    calendar = _xnys()
    return (calendar.session_open(day).tz_convert(EXCHANGE_TZ),
            calendar.session_close(day).tz_convert(EXCHANGE_TZ))


def session_open_close(session: DateLike) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Regular-hours open and close of one NYSE session.

    Parameters
    ----------
    session : date-like
        A session date.

    Returns
    -------
    (pandas.Timestamp, pandas.Timestamp)
        Open and close, tz-aware in America/New_York. Early closes are real (2025-11-28
        closes at 13:00).

    Raises
    ------
    CalendarError
        ``session`` is not an NYSE session.
    CalendarRangeError
        ``session`` lies outside the calendar.
    DateRangeError
        ``session`` cannot be parsed.
    """
    day = to_date(session, "session")
    hours = session_hours(day)
    if hours is None:
        raise CalendarError(f"{day.date()} is not an NYSE session")
    return hours


def _normalize_timing(timing: object) -> str:
    if not isinstance(timing, str) or timing.strip().lower() not in TIMINGS:
        raise CalendarError(f"unknown timing {timing!r}; expected one of {', '.join(TIMINGS)}")
    return timing.strip().lower()


def new_york_instant(when: object) -> pd.Timestamp | None:
    """The New York wall-clock instant of ``when`` if it carries a time of day, else None.

    This is the rule :func:`event_day0` uses to tell "a release time was given" (placed by
    the real open and close) from "only a date was given" (placed by ``timing``); callers
    that sort events the same way call it rather than restating it.

    A tz-aware value is converted to New York time. A value at exactly midnight New York time
    (tz-aware or not) is taken as a bare date: data vendors (Yahoo among them) stamp
    "time not known" as 00:00, and no US company releases results at midnight. A tz-naive
    value with a non-midnight time is read as New York wall-clock time (the library's
    convention for naive values).
    """
    if isinstance(when, _dt.date) and not isinstance(when, _dt.datetime):
        return None  # a plain date has no time of day
    if isinstance(when, (numbers.Number, bytes, bytearray)):
        return None  # numbers are YYYYMMDD dates (never nanoseconds): to_date reads them
    try:
        stamp = pd.Timestamp(when)
    except (ValueError, TypeError, OverflowError):
        return None  # to_date will raise the proper error
    if stamp is pd.NaT or pd.isna(stamp):
        return None
    stamp = to_new_york(stamp)
    if stamp == stamp.normalize():
        return None
    return stamp


def to_new_york(stamp: pd.Timestamp) -> pd.Timestamp:
    """``stamp`` as New York time: converted if tz-aware, localized if naive.

    Parameters
    ----------
    stamp : pandas.Timestamp
        Any instant; a naive one is read as New York wall-clock time.

    Returns
    -------
    pandas.Timestamp
        Tz-aware in America/New_York. A naive wall-clock time that does not exist (the
        spring-forward hour) is shifted forward, and an ambiguous one (the repeated autumn
        hour) is read as standard time: either way the answer stays on the same calendar
        date, which is all a session lookup needs.
    """
    if stamp.tzinfo is None:
        return stamp.tz_localize(EXCHANGE_TZ, nonexistent="shift_forward", ambiguous=False)
    return stamp.tz_convert(EXCHANGE_TZ)


def event_day0(when: DateLike, timing: str = "bmo") -> pd.Timestamp:
    """The session on which the market first trades on news released at ``when``.

    Parameters
    ----------
    when : date-like
        Release date, or a timestamp with a time of day. A timestamp with a time of day
        (tz-aware in any zone, or tz-naive read as New York time) is placed by the real open
        and close of that day, and then ``timing`` is only validated, not used: before the
        open -> that session; during the session -> that session; at or after the close
        (13:00 on early-close days) -> the next session. Midnight counts as "no time given".
    timing : {"bmo", "amc", "intraday", "unknown"}
        For a bare date: ``bmo`` (before market open) and ``intraday`` -> that date's session
        if it is one, else the next; ``amc`` (after market close) -> the next session strictly
        after that date; ``unknown`` is treated like ``bmo`` (the earliest session that could
        have reacted, so an event window starting at day 0 cannot miss the reaction).

    Returns
    -------
    pandas.Timestamp
        A tz-naive session date, never earlier than the calendar date of ``when``: weekends
        and holidays roll **forward** (Saturday ``amc`` news -> Monday, not Friday).

    Raises
    ------
    CalendarError
        Unknown ``timing``.
    CalendarRangeError
        ``when`` or its day 0 lies outside the calendar (names the date).
    DateRangeError
        ``when`` is not a date.
    """
    timing = _normalize_timing(timing)
    instant = new_york_instant(when)
    if instant is not None:
        day = instant.tz_localize(None).normalize()
        # At or after the close the next session trades on the news; before the open or
        # during the session (and on a non-session day) it is the first session from ``day``.
        hours = session_hours(day)
        if hours is not None and instant >= hours[1]:
            return next_session(day)
        return session_on_or_after(day)
    day = to_date(when, "release date")
    if timing == "amc":
        return next_session(day)
    return session_on_or_after(day)


def event_day0s(dates, timings="bmo") -> pd.DatetimeIndex:
    """Vectorised :func:`event_day0` for bare release dates (no time of day).

    Parameters
    ----------
    dates : array-like of date-like
        Release dates; a time of day is dropped (place instants with :func:`event_day0`),
        a tz-aware value is dated by its New York day, a missing value (NaT/None) stays NaT.
    timings : str or array-like of str
        One timing for all dates or one per date (``bmo``, ``amc``, ``intraday``,
        ``unknown``), with :func:`event_day0`'s rule: ``amc`` -> the next session strictly
        after the date, the others -> the date's session if it is one, else the next.

    Returns
    -------
    pandas.DatetimeIndex
        Tz-naive ``datetime64[ns]`` day 0 per date, named ``day0``, equal element-wise to
        ``event_day0(date, timing)``; NaT where the date or its day 0 lies outside the
        calendar (where :func:`event_day0` raises :class:`CalendarRangeError`).

    Raises
    ------
    CalendarError
        An unknown timing, or ``timings`` not one per date.
    DateRangeError
        A date that cannot be parsed.
    """
    days = to_dates(pd.Series(pd.Index(dates)), "release date")  # DateRangeError naming it
    values = days.normalize().to_numpy(dtype="datetime64[ns]")
    if isinstance(timings, str):
        after_close = np.full(len(values), _normalize_timing(timings) == "amc")
    else:
        labels = pd.Series(timings, dtype=object)
        if len(labels) != len(values):
            raise CalendarError(f"{len(labels)} timings for {len(values)} release dates")
        normalized = {label: _normalize_timing(label) for label in pd.unique(labels)}
        after_close = labels.map(normalized).to_numpy(dtype=object) == "amc"
    sessions = _sessions().to_numpy()
    positions = np.searchsorted(sessions, values, side="left")
    positions[after_close] = np.searchsorted(sessions, values[after_close], side="right")
    with np.errstate(invalid="ignore"):
        inside = ~np.isnat(values) & (values >= sessions[0]) & (values <= sessions[-1])
    placed = inside & (positions < len(sessions))
    day0 = np.full(len(values), np.datetime64("NaT", "ns"))
    day0[placed] = sessions[positions[placed]]
    return pd.DatetimeIndex(day0, name="day0")


# ---------------------------------------------------------------------------------------------
# Fiscal calendars
# ---------------------------------------------------------------------------------------------

#: Tickers whose fiscal calendar is known.
FISCAL_TICKERS: tuple[str, ...] = ("BABA", "NVDA")
#: Alibaba: the fiscal year ends on March 31 (FY2026 ends 2026-03-31).
BABA_FY_END_MONTH = 3
#: NVIDIA: 13-week quarters (the 14th week of a 53-week year goes to Q4).
NVDA_QUARTER_WEEKS = 13
#: Fiscal years accepted in labels (guards against typos such as FY0226).
MIN_FISCAL_YEAR = 1990
MAX_FISCAL_YEAR = 2100

_DAY = pd.Timedelta(days=1)
_LABEL_RE = re.compile(r"^FY\s*(\d{4})\s*(?:Q([1-4]))?$", re.IGNORECASE)
_SUNDAY = 6  # pandas/datetime weekday number


def _fiscal_ticker(ticker: object) -> str:
    name = normalize_ticker(ticker)
    if name not in FISCAL_TICKERS:
        raise UnknownTickerError(name, FISCAL_TICKERS, where="the fiscal calendars")
    return name


def _check_fiscal_year(fy: object, label: object = None) -> int:
    if isinstance(fy, bool) or not isinstance(fy, int):
        raise PeriodError(f"fiscal year {fy!r} is not an integer")
    if not MIN_FISCAL_YEAR <= fy <= MAX_FISCAL_YEAR:
        what = f"label {label!r}" if label is not None else f"fiscal year {fy}"
        raise PeriodError(f"{what}: fiscal year outside {MIN_FISCAL_YEAR}..{MAX_FISCAL_YEAR}")
    return fy


def _last_sunday_of_january(year: int) -> pd.Timestamp:
    jan31 = pd.Timestamp(year=year, month=1, day=31)
    return jan31 - pd.Timedelta(days=(jan31.weekday() - _SUNDAY) % 7)


def fiscal_year_bounds(ticker: str, fy: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day (inclusive, tz-naive) of fiscal year ``fy`` of ``ticker``.

    Parameters
    ----------
    ticker : str
        ``"BABA"`` or ``"NVDA"``.
    fy : int
        Fiscal year as the company names it (the calendar year in which it ends).

    Returns
    -------
    (pandas.Timestamp, pandas.Timestamp)
        Tz-naive midnight dates: BABA ``fy-1``-04-01 .. ``fy``-03-31; NVDA the Monday after
        the last Sunday of January of ``fy-1`` .. the last Sunday of January of ``fy``.

    Raises
    ------
    UnknownTickerError
        No fiscal calendar for ``ticker``.
    PeriodError
        ``fy`` is not an integer in ``MIN_FISCAL_YEAR..MAX_FISCAL_YEAR``.
    """
    name = _fiscal_ticker(ticker)
    fy = _check_fiscal_year(fy)
    if name == "BABA":
        end = pd.Timestamp(year=fy, month=BABA_FY_END_MONTH, day=31)
        start = pd.Timestamp(year=fy - 1, month=BABA_FY_END_MONTH + 1, day=1)
        return start, end
    # NVDA: 52/53-week year ending on the last Sunday of January.
    return _last_sunday_of_january(fy - 1) + _DAY, _last_sunday_of_january(fy)


def _quarter_bounds(name: str, fy: int, quarter: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    start, end = fiscal_year_bounds(name, fy)
    if name == "BABA":
        q_start = start + pd.DateOffset(months=3 * (quarter - 1))
        q_end = q_start + pd.DateOffset(months=3) - _DAY
        return pd.Timestamp(q_start), pd.Timestamp(q_end)
    weeks = pd.Timedelta(weeks=NVDA_QUARTER_WEEKS)
    q_start = start + weeks * (quarter - 1)
    # Q4 runs to the fiscal year end: 13 weeks, or 14 in a 53-week year.
    q_end = end if quarter == 4 else q_start + weeks - _DAY
    return q_start, q_end


def parse_fiscal_label(label: object) -> tuple[int, int | None]:
    """Split ``"FY2026Q1"`` into ``(2026, 1)`` and ``"FY2026"`` into ``(2026, None)``.

    Parameters
    ----------
    label : str
        Fiscal label; case and inner spaces are tolerated (``"fy2026 q1"``).

    Returns
    -------
    (int, int or None)
        Fiscal year and quarter (1-4), or ``None`` for a whole year.

    Raises
    ------
    PeriodError
        Not a string, malformed, or a year outside 1990..2100 (names the label).
    """
    if not isinstance(label, str):
        raise PeriodError(f"period label {label!r} is not a string like 'FY2026Q1'")
    match = _LABEL_RE.match(label.strip())
    if match is None:
        raise PeriodError(f"malformed period label {label!r}; expected 'FY2026Q1' or 'FY2026'")
    fy = _check_fiscal_year(int(match.group(1)), label)
    quarter = int(match.group(2)) if match.group(2) else None
    return fy, quarter


def period_bounds(ticker: str, label: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day (inclusive, tz-naive) of a fiscal quarter or year.

    Parameters
    ----------
    ticker : str
        ``"BABA"`` or ``"NVDA"``.
    label : str
        ``"FY2026Q1"`` (a quarter) or ``"FY2026"`` (a whole fiscal year); case and inner
        spaces are tolerated.

    Returns
    -------
    (pandas.Timestamp, pandas.Timestamp)
        First and last calendar day of the period, both inclusive, tz-naive midnight.

    Raises
    ------
    UnknownTickerError
        No fiscal calendar for ``ticker``.
    InvalidTickerError
        ``ticker`` is malformed.
    PeriodError
        Malformed label, or a fiscal year outside 1990..2100 (names the label).

    Examples
    --------
    >>> [d.date().isoformat() for d in period_bounds("BABA", "FY2026Q1")]
    ['2025-04-01', '2025-06-30']
    >>> [d.date().isoformat() for d in period_bounds("NVDA", "FY2026Q1")]
    ['2025-01-27', '2025-04-27']
    """
    name = _fiscal_ticker(ticker)
    fy, quarter = parse_fiscal_label(label)
    if quarter is None:
        return fiscal_year_bounds(name, fy)
    return _quarter_bounds(name, fy, quarter)


def fiscal_period(ticker: str, date: DateLike) -> str:
    """The fiscal quarter of ``ticker`` that contains ``date``.

    Parameters
    ----------
    ticker : str
        ``"BABA"`` or ``"NVDA"`` (normalised: ``"baba"`` works).
    date : date-like
        A calendar day (any day, not only sessions); a time of day is dropped.

    Returns
    -------
    str
        Label ``"FY<year>Q<quarter>"`` in the company's own fiscal terms, e.g. ``"FY2026Q1"``.
        Alibaba's fiscal year ends March 31 (FY2026Q1 = 2025-04-01..2025-06-30); NVIDIA's
        ends on the last Sunday of January with 13-week quarters (the 14th week of a 53-week
        year belongs to Q4). ``period_bounds(ticker, label)`` contains ``date``.

    Raises
    ------
    UnknownTickerError
        No fiscal calendar for ``ticker`` (known: BABA, NVDA).
    InvalidTickerError
        ``ticker`` is malformed.
    DateRangeError
        ``date`` cannot be parsed.
    PeriodError
        The fiscal year falls outside ``MIN_FISCAL_YEAR..MAX_FISCAL_YEAR`` (1990..2100).

    Examples
    --------
    >>> fiscal_period("BABA", "2025-08-29")
    'FY2026Q2'
    >>> fiscal_period("NVDA", "2025-08-27")  # the day NVIDIA reported FY2026Q2
    'FY2026Q3'
    """
    name = _fiscal_ticker(ticker)
    day = to_date(date)
    if name == "BABA":
        fy = day.year + 1 if day.month > BABA_FY_END_MONTH else day.year
        _check_fiscal_year(fy)
        quarter = ((day.month - BABA_FY_END_MONTH - 1) % 12) // 3 + 1
        return f"FY{fy}Q{quarter}"
    fy = day.year if day <= _last_sunday_of_january(day.year) else day.year + 1
    _check_fiscal_year(fy)
    start, _end = fiscal_year_bounds(name, fy)
    # Days since the year began // 91; the 14th week of a 53-week year stays in Q4.
    quarter = min((day - start).days // (7 * NVDA_QUARTER_WEEKS) + 1, 4)
    return f"FY{fy}Q{quarter}"


def calendar_quarter_bounds(year: int, quarter: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day (inclusive) of calendar quarter ``quarter`` of ``year``.

    Parameters
    ----------
    year : int
        Calendar year, 1990..2100.
    quarter : int
        1-4.

    Returns
    -------
    (pandas.Timestamp, pandas.Timestamp)
        Tz-naive midnight dates: ``calendar_quarter_bounds(2025, 2)`` -> (2025-04-01,
        2025-06-30).

    Raises
    ------
    PeriodError
        A non-integer year or quarter, a quarter outside 1-4 or a year outside 1990..2100.
    """
    for value, what in ((year, "year"), (quarter, "quarter")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise PeriodError(f"calendar {what} {value!r} is not an integer")
    if not 1 <= quarter <= 4:
        raise PeriodError(f"calendar quarter {quarter} of {year} is not in 1..4")
    if not MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR:
        raise PeriodError(f"calendar year {year} outside {MIN_FISCAL_YEAR}..{MAX_FISCAL_YEAR}")
    start = pd.Timestamp(year=year, month=3 * quarter - 2, day=1)
    end = pd.Timestamp(start + pd.DateOffset(months=3)) - _DAY
    return start, end
