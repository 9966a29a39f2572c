"""Validation of daily price bars: hard errors (refused) and warnings (reported).

:func:`validate_bars` is the one checker: every file is validated when it is parsed, every live
answer before it is cached, and :func:`babaresearch.prices.data_quality_report` lists what it
finds. Filler bars (volume 0, flat at the previous close: the source had no data that day) and
placeholder volumes (9999999) are detected here; the loader turns them into missing values.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .dates import to_dates
from .errors import DataValidationError, DateRangeError
from .tickers import normalize_ticker

__all__ = ["ISSUE_COLUMNS", "PLACEHOLDER_VOLUMES", "PRICE_COLUMNS", "validate_bars",
           "glitch_masks", "first_error", "issue_frame"]

#: Columns of :func:`validate_bars` and :func:`babaresearch.prices.data_quality_report`.
ISSUE_COLUMNS: tuple[str, ...] = ("ticker", "date", "check", "severity", "detail")
#: Price columns of a bar, in order.
PRICE_COLUMNS: tuple[str, ...] = ("open", "high", "low", "close")
#: Volumes that data vendors write as "unknown" (9s repeated), never real trading volume.
PLACEHOLDER_VOLUMES: frozenset[int] = frozenset({999_999, 9_999_999, 99_999_999, 999_999_999})
#: Relative slack for high/low checks: KWEB's float32 artifacts differ in the 7th digit.
PRICE_RTOL = 1e-6


def first_error(issues: pd.DataFrame) -> tuple[pd.Series, int] | None:
    """The first hard error among ``issues`` (a :func:`validate_bars` frame) and how many hard
    errors there are, or None when there is none."""
    errors = issues[issues["severity"] == "error"]
    return None if errors.empty else (errors.iloc[0], len(errors))


def glitch_masks(opens: np.ndarray, highs: np.ndarray, lows: np.ndarray, closes_: np.ndarray,
                  volumes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(filler bars, placeholder volumes) as boolean arrays, rows in the given order."""
    previous_close = np.empty_like(closes_)
    previous_close[:1] = np.nan
    previous_close[1:] = closes_[:-1]
    flat = (opens == highs) & (highs == lows) & (lows == closes_)
    filler = (volumes == 0) & flat & np.isclose(closes_, previous_close, rtol=1e-9, atol=0.0)
    placeholder = np.isin(volumes, np.array(sorted(PLACEHOLDER_VOLUMES), dtype="float64"))
    return filler, placeholder


def issue_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(ISSUE_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    return frame.sort_values(["date", "check"], kind="stable", ignore_index=True)


def validate_bars(frame: pd.DataFrame, ticker: str, *, raise_on_error: bool = False) -> pd.DataFrame:
    """Check one ticker's daily bars and list every issue found.

    Parameters
    ----------
    frame : DataFrame
        Bars with a ``date`` column (or a DatetimeIndex) and ``open, high, low, close`` in
        currency units; ``volume`` in shares is optional. A ``ticker`` column, if present,
        selects the rows of ``ticker``. Rows are checked in the order given.
    ticker : str
        The ticker the bars belong to (labels the issues).
    raise_on_error : bool
        Raise :class:`DataValidationError` on the first hard error instead of returning it.

    Returns
    -------
    DataFrame
        Columns ``ticker, date, check, severity, detail``. Errors: ``increasing_dates``,
        ``duplicate_date``, ``positive_prices``, ``high_ge_open_close``, ``low_le_open_close``,
        ``nonnegative_volume``, ``dividend_lt_previous_close``. Warnings: ``nyse_session`` (a
        date the NYSE calendar does not know), ``missing_session`` (an NYSE session without a
        bar), ``filler_bar`` (volume 0 and open = high = low = close = previous close),
        ``placeholder_volume`` (e.g. 9999999), ``missing_bar`` (NaN prices), ``outside_calendar``
        (one note for the bars beyond the NYSE calendar, which cannot be checked against
        sessions). ``date`` is a
        tz-naive ``datetime64[ns]`` (a tz-aware input is converted to New York first); rows
        sorted by date then check; no issue gives an empty frame with those columns.

    Raises
    ------
    InvalidTickerError
        ``ticker`` is malformed.
    DataValidationError
        ``frame`` is not a DataFrame, lacks ``date`` or a price column, a date cannot be
        parsed or lies outside 1677-09-22..2262-04-11 (a number is read as ``YYYYMMDD``), or (with
        ``raise_on_error=True``) the first hard error, naming the ticker and date.
    """
    ticker = normalize_ticker(ticker)
    if not isinstance(frame, pd.DataFrame):
        raise DataValidationError(ticker, f"bars must be a DataFrame, not {type(frame).__name__}")
    if "date" not in frame.columns and isinstance(frame.index, pd.DatetimeIndex):
        frame = frame.rename_axis("date").reset_index()
    if "ticker" in frame.columns:
        frame = frame[frame["ticker"].astype(str).str.upper() == ticker]
    missing = [name for name in ("date", *PRICE_COLUMNS) if name not in frame.columns]
    if missing:
        raise DataValidationError(ticker, f"bars lack column(s) {', '.join(missing)}")
    try:
        dates = to_dates(frame["date"], "bar date")
    except DateRangeError as exc:
        raise DataValidationError(ticker, f"unparseable dates: {exc}") from None
    if dates.isna().any():
        row = int(np.flatnonzero(dates.isna())[0])
        raise DataValidationError(ticker, f"bar {row + 1} has no date")
    values = {name: pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="float64")
              for name in PRICE_COLUMNS}
    volumes = (pd.to_numeric(frame["volume"], errors="coerce").to_numpy(dtype="float64")
               if "volume" in frame.columns else np.full(len(frame), np.nan))
    dividends = (pd.to_numeric(frame["dividend"], errors="coerce").to_numpy(dtype="float64")
                 if "dividend" in frame.columns else np.zeros(len(frame)))
    day = dates.to_numpy()
    rows: list[tuple] = []

    def add(mask: np.ndarray, check: str, severity: str, detail: Callable[[int], str]) -> None:
        for i in np.flatnonzero(mask):
            rows.append((ticker, day[i], check, severity, detail(int(i))))

    o, h, lo, c = (values[name] for name in PRICE_COLUMNS)
    if len(day) > 1:
        backwards = np.zeros(len(day), dtype=bool)
        backwards[1:] = day[1:] < day[:-1]
        add(backwards, "increasing_dates", "error",
            lambda i: f"date {pd.Timestamp(day[i]).date()} comes after {pd.Timestamp(day[i - 1]).date()}")
        add(dates.duplicated(keep="first"), "duplicate_date", "error",
            lambda i: f"date {pd.Timestamp(day[i]).date()} appears more than once")
    all_prices = np.column_stack([o, h, lo, c]) if len(day) else np.zeros((0, 4))
    nan_row = np.isnan(all_prices).any(axis=1)
    with np.errstate(invalid="ignore"):
        add(~nan_row & (all_prices <= 0).any(axis=1), "positive_prices", "error",
            lambda i: f"non-positive price: open {o[i]}, high {h[i]}, low {lo[i]}, close {c[i]}")
        top = np.fmax(o, c)
        bottom = np.fmin(o, c)
        add(~nan_row & (h < top * (1 - PRICE_RTOL)), "high_ge_open_close", "error",
            lambda i: f"high {h[i]} is below max(open {o[i]}, close {c[i]})")
        add(~nan_row & (lo > bottom * (1 + PRICE_RTOL)), "low_le_open_close", "error",
            lambda i: f"low {lo[i]} is above min(open {o[i]}, close {c[i]})")
        add(volumes < 0, "nonnegative_volume", "error", lambda i: f"negative volume {volumes[i]:.0f}")
        previous_close = np.append(np.nan, c[:-1]) if len(c) else c
        add((dividends > 0) & (dividends >= previous_close), "dividend_lt_previous_close", "error",
            lambda i: f"dividend {dividends[i]} is not below the previous close {previous_close[i]}")
        add((dividends < 0), "dividend_lt_previous_close", "error",
            lambda i: f"negative dividend {dividends[i]}")
    add(nan_row, "missing_bar", "warning", lambda i: "price(s) missing (NaN)")
    filler, placeholder = glitch_masks(o, h, lo, c, volumes)
    add(filler, "filler_bar", "warning",
        lambda i: f"volume 0 and open = high = low = close = previous close {c[i]}: "
                  "no real data that day")
    add(placeholder, "placeholder_volume", "warning",
        lambda i: f"volume {volumes[i]:.0f} is a placeholder, not a traded volume")
    if len(day):
        from .calendars import clip_to_calendar, nyse_sessions

        span = clip_to_calendar(dates.min(), dates.max())
        covered = ((dates >= span[0]) & (dates <= span[1]) if span is not None
                   else np.zeros(len(day), dtype=bool))
        sessions = (nyse_sessions(*span) if span is not None
                    else pd.DatetimeIndex([], dtype="datetime64[ns]"))
        add(covered & ~dates.isin(sessions), "nyse_session", "warning",
            lambda i: f"{pd.Timestamp(day[i]).date()} is not an NYSE session")
        beyond = np.flatnonzero(~covered)
        if beyond.size:  # one note, not one per bar: a long history may lie wholly outside
            rows.append((ticker, day[beyond[0]], "outside_calendar", "warning",
                         f"{beyond.size} bar(s) from {pd.Timestamp(day[beyond].min()).date()} to "
                         f"{pd.Timestamp(day[beyond].max()).date()} lie outside the NYSE calendar: "
                         "not checked against sessions"))
        for session in sessions.difference(dates.unique()):
            rows.append((ticker, session.to_datetime64(), "missing_session", "warning",
                         f"NYSE session {session.date()} has no bar"))
    issues = issue_frame(rows)
    found = first_error(issues) if raise_on_error else None
    if found is not None:
        first, _count = found
        raise DataValidationError(ticker, f"{first['check']}: {first['detail']}",
                                  date=first["date"].date())
    return issues
