"""Parsing of user-supplied dates and date ranges into tz-naive New York session dates.

Every date the library accepts from a caller goes through :func:`to_date` (one value) or
:func:`to_dates` (a column). Both refuse, with a :class:`DateRangeError` naming the value:
dates pandas cannot hold in nanoseconds (before :data:`DATE_MIN`, 1677-09-22, or after
:data:`DATE_MAX`, 2262-04-11), booleans, and numbers that are not ``YYYYMMDD`` (an integer or a
whole float such as ``20250829.0`` is read as that date, never as nanoseconds since 1970).
"""

from __future__ import annotations

import datetime as _dt
import numbers
import warnings

import numpy as np
import pandas as pd

from .errors import DateRangeError

DateLike = str | int | _dt.date | _dt.datetime | pd.Timestamp

#: The exchange's time zone: an instant is dated by the New York calendar day it falls on.
MARKET_TZ = "America/New_York"
#: Integers (and whole floats) are read as YYYYMMDD (20250829), never as nanoseconds since 1970.
_INT_DATE_FORMAT = "%Y%m%d"
#: First and last whole days a ``datetime64[ns]`` can hold (pandas' bounds, rounded inwards).
DATE_MIN = pd.Timestamp.min.ceil("D")
DATE_MAX = pd.Timestamp.max.floor("D")
_BOUNDS_TEXT = f"{DATE_MIN.date()}..{DATE_MAX.date()}"


def _number_text(value: numbers.Number, what: str) -> str:
    """``YYYYMMDD`` text of an integer or a whole float; DateRangeError otherwise."""
    if isinstance(value, numbers.Integral):
        return str(int(value))
    try:
        as_float = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise DateRangeError(f"{what} {value!r} is not a date") from None
    if not np.isfinite(as_float) or as_float != int(as_float):
        raise DateRangeError(f"{what} {value!r} is not a date (numbers are read as YYYYMMDD)")
    return str(int(as_float))


def _in_bounds(stamp: pd.Timestamp, what: str, value: object) -> pd.Timestamp:
    if stamp.normalize() < DATE_MIN or stamp.normalize() > DATE_MAX:
        raise DateRangeError(f"{what} {value!r} is outside the supported dates ({_BOUNDS_TEXT})")
    return stamp.as_unit("ns")


def to_date(value: DateLike, what: str = "date") -> pd.Timestamp:
    """Parse ``value`` into a tz-naive midnight :class:`pandas.Timestamp` (a session date).

    Parameters
    ----------
    value : str, int, float, date, datetime or Timestamp
        A timezone-aware value is first converted to New York time, so an instant is dated by
        the market's calendar day (2025-08-28 21:00 in Los Angeles is 2025-08-29 in New York).
        An integer, or a float with no fractional part, is read as ``YYYYMMDD``.
    what : str
        What the value is ("start", "event date"...), for the message.

    Returns
    -------
    pandas.Timestamp
        Midnight, tz-naive, nanosecond unit.

    Raises
    ------
    DateRangeError
        Missing, boolean, unparseable, a fractional number, or outside 1677-09-22..2262-04-11;
        the message names ``what`` and the value.
    """
    if value is None:
        raise DateRangeError(f"{what} is missing")
    if isinstance(value, (bool, np.bool_)):
        raise DateRangeError(f"{what} {value!r} is not a date")
    if isinstance(value, (bytes, bytearray)):
        raise DateRangeError(f"{what} {value!r} is not a date (bytes, not text)")
    numeric = isinstance(value, numbers.Number) and not isinstance(value, (bool, np.bool_))
    try:
        if numeric:
            stamp = pd.to_datetime(_number_text(value, what), format=_INT_DATE_FORMAT)
        else:
            stamp = pd.Timestamp(value)
    except DateRangeError:
        raise
    except (ValueError, TypeError, OverflowError) as exc:
        if isinstance(exc, pd.errors.OutOfBoundsDatetime):
            raise DateRangeError(f"{what} {value!r} is outside the supported dates "
                                 f"({_BOUNDS_TEXT})") from None
        expected = " (numbers are read as YYYYMMDD)" if numeric else ""
        raise DateRangeError(f"{what} {value!r} is not a date{expected}: {exc}") from None
    if stamp is pd.NaT or pd.isna(stamp):
        raise DateRangeError(f"{what} {value!r} is not a date")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(MARKET_TZ).tz_localize(None)
    return _in_bounds(stamp, what, value).normalize()


def to_dates(values, what: str = "date") -> pd.DatetimeIndex:
    """Parse a column of dates into a tz-naive ``datetime64[ns]`` :class:`~pandas.DatetimeIndex`.

    Parameters
    ----------
    values : array-like
        Strings, datetimes, a datetime64 column of any unit, or numbers read as ``YYYYMMDD``
        (integers or whole floats). Tz-aware values are converted to New York first. Times of
        day are kept (callers normalise when they need session dates).
    what : str
        What the values are, for the message.

    Returns
    -------
    pandas.DatetimeIndex
        ``datetime64[ns]``, tz-naive; missing values stay NaT.

    Raises
    ------
    DateRangeError
        A value that cannot be parsed, a fractional number, or a date outside
        1677-09-22..2262-04-11, naming the first such value.
    """
    series = pd.Series(values) if not isinstance(values, pd.Series) else values
    if pd.api.types.is_bool_dtype(series.dtype):
        raise DateRangeError(f"{what}: booleans are not dates")
    if pd.api.types.is_numeric_dtype(series.dtype):
        numbers_ = series.to_numpy(dtype="float64", na_value=np.nan)
        finite = np.isfinite(numbers_)
        whole = finite & (numbers_ == np.floor(np.where(finite, numbers_, 0)))
        bad = np.flatnonzero(~np.isnan(numbers_) & ~whole)
        if bad.size:
            raise DateRangeError(f"{what} {series.iloc[int(bad[0])]!r} is not a date "
                                 "(numbers are read as YYYYMMDD)")
        text = pd.Series([str(int(x)) if ok else None for x, ok in zip(numbers_, whole)],
                         index=series.index, dtype=object)
        parsed = pd.to_datetime(text, format=_INT_DATE_FORMAT, errors="coerce")
        bad = np.flatnonzero(parsed.isna().to_numpy() & whole)
        if bad.size:
            raise DateRangeError(f"{what} {series.iloc[int(bad[0])]!r} is not a YYYYMMDD date "
                                 f"inside {_BOUNDS_TEXT}")
        return pd.DatetimeIndex(parsed).astype("datetime64[ns]")
    try:
        with warnings.catch_warnings():  # mixed formats parse one by one: expected, not news
            warnings.filterwarnings("ignore", message="Could not infer format")
            parsed = pd.to_datetime(series)
    except (ValueError, TypeError, OverflowError) as exc:
        raise DateRangeError(f"{what}: unparseable date(s): {_first_bad(series, what) or exc}") from None
    index = pd.DatetimeIndex(parsed)
    if index.tz is not None:
        index = index.tz_convert(MARKET_TZ).tz_localize(None)
    present = index[~index.isna()]
    if len(present) and (present.min().normalize() < DATE_MIN or present.max().normalize() > DATE_MAX):
        culprit = present.min() if present.min() < DATE_MIN else present.max()
        raise DateRangeError(f"{what} {culprit.date()} is outside the supported dates ({_BOUNDS_TEXT})")
    return index.astype("datetime64[ns]")


def _first_bad(series: pd.Series, what: str) -> str | None:
    for item in series.tolist():
        if item is None or (isinstance(item, float) and np.isnan(item)):
            continue
        try:
            to_date(item, what)
        except DateRangeError as exc:
            return str(exc)
    return None


def to_date_range(start: DateLike | None, end: DateLike | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Parse an optional ``[start, end]`` pair (both inclusive); raise if start is after end.

    Raises
    ------
    DateRangeError
        Either bound is not a date (see :func:`to_date`) or ``start`` is after ``end``.
    """
    start_ts = None if start is None else to_date(start, "start")
    end_ts = None if end is None else to_date(end, "end")
    if start_ts is not None and end_ts is not None and start_ts > end_ts:
        raise DateRangeError(
            f"reversed date range: start {start_ts.date()} is after end {end_ts.date()}"
        )
    return start_ts, end_ts
