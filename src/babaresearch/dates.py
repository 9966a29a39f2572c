"""Parsing of user-supplied dates and date ranges into tz-naive session dates."""

from __future__ import annotations

import datetime as _dt

import pandas as pd

from .errors import DateRangeError

DateLike = str | _dt.date | _dt.datetime | pd.Timestamp


def to_date(value: DateLike, what: str = "date") -> pd.Timestamp:
    """Parse ``value`` into a tz-naive midnight :class:`pandas.Timestamp`.

    A timezone-aware value keeps its local calendar date (a New York timestamp on 2025-08-29
    is the session date 2025-08-29). Raises :class:`DateRangeError` naming ``what`` and the value.
    """
    if value is None:
        raise DateRangeError(f"{what} is missing")
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError) as exc:
        raise DateRangeError(f"{what} {value!r} is not a date: {exc}") from None
    if stamp is pd.NaT or pd.isna(stamp):
        raise DateRangeError(f"{what} {value!r} is not a date")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
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
