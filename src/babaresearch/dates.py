"""Parsing of user-supplied dates and date ranges into tz-naive New York session dates."""

from __future__ import annotations

import datetime as _dt
import numbers

import pandas as pd

from .errors import DateRangeError

DateLike = str | int | _dt.date | _dt.datetime | pd.Timestamp

#: The exchange's time zone: an instant is dated by the New York calendar day it falls on.
MARKET_TZ = "America/New_York"
#: Integers are read as YYYYMMDD (20250829), never as nanoseconds since 1970.
_INT_DATE_FORMAT = "%Y%m%d"


def to_date(value: DateLike, what: str = "date") -> pd.Timestamp:
    """Parse ``value`` into a tz-naive midnight :class:`pandas.Timestamp` (a session date).

    A timezone-aware value is first converted to New York time, so an instant is dated by the
    market's calendar day (2025-08-28 21:00 in Los Angeles is 2025-08-29 in New York). An
    integer is read as ``YYYYMMDD``. Raises :class:`DateRangeError` naming ``what`` and the value.
    """
    if value is None:
        raise DateRangeError(f"{what} is missing")
    if isinstance(value, bool):
        raise DateRangeError(f"{what} {value!r} is not a date")
    try:
        if isinstance(value, numbers.Integral):
            stamp = pd.to_datetime(str(int(value)), format=_INT_DATE_FORMAT)
        else:
            stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError) as exc:
        expected = " (integers are read as YYYYMMDD)" if isinstance(value, numbers.Integral) else ""
        raise DateRangeError(f"{what} {value!r} is not a date{expected}: {exc}") from None
    if stamp is pd.NaT or pd.isna(stamp):
        raise DateRangeError(f"{what} {value!r} is not a date")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(MARKET_TZ).tz_localize(None)
    return stamp.normalize()


def to_date_range(start: DateLike | None, end: DateLike | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Parse an optional ``[start, end]`` pair (both inclusive); raise if start is after end."""
    start_ts = None if start is None else to_date(start, "start")
    end_ts = None if end is None else to_date(end, "end")
    if start_ts is not None and end_ts is not None and start_ts > end_ts:
        raise DateRangeError(
            f"reversed date range: start {start_ts.date()} is after end {end_ts.date()}"
        )
    return start_ts, end_ts
