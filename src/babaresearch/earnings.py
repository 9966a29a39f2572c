"""Earnings calendar (curated + live refresh) and other dated corporate events.

The curated calendar ``data/earnings.csv`` is the reference: every row names its source and a
confidence, and each ``period_end`` is checked against the fiscal calendar on load. The live
refresh (yfinance) may only *add* releases the curated file lacks; a live date that disagrees
with a curated one is reported as a conflict and warned about, never applied silently.
"""

from __future__ import annotations

import os
import re
import warnings
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .calendars import (
    CalendarRangeError,
    TIMINGS,
    event_day0,
    fiscal_period,
    period_bounds,
    session_hours,
    to_new_york,
)
from .dates import to_date
from .barfiles import file_state
from .csvio import Column, Schema, read_table
from .errors import (
    BabaResearchError,
    DataFileError,
    LiveDataError,
    UnknownTickerError,
)
from .tickers import normalize_ticker, normalize_tickers

#: File names inside the data folder.
EARNINGS_FILE = "earnings.csv"
EVENTS_FILE = "events.csv"

#: Columns of :func:`earnings_calendar`, in order.
EARNINGS_COLUMNS: tuple[str, ...] = (
    "ticker", "fiscal_period", "period_end", "release_date", "release_time", "day0",
    "source", "confidence",
)
#: Columns of :func:`corporate_events`, in order.
EVENTS_COLUMNS: tuple[str, ...] = (
    "date", "ticker", "kind", "description", "timing", "day0", "source", "confidence",
)
#: Columns of the conflicts frame returned by :func:`refresh_earnings_live`.
CONFLICT_COLUMNS: tuple[str, ...] = (
    "ticker", "fiscal_period", "curated_release_date", "live_release_date",
)

#: Source and confidence labels given to rows added by the live refresh.
LIVE_SOURCE = "yfinance get_earnings_dates"
LIVE_CONFIDENCE_REPORTED = "live"       # Yahoo lists a reported EPS: the release happened
LIVE_CONFIDENCE_SCHEDULED = "live-scheduled"  # no reported EPS yet: an expected date
#: Yahoo's cap on ``limit``.
YFINANCE_MAX_LIMIT = 100

_DATE_COLUMNS_EARNINGS = ("period_end", "release_date", "day0")

#: The only date format accepted in the curated files: ``08/10/2023`` is ambiguous (US or
#: European order) and ``20230810`` / ``Aug 10, 2023`` invite silent misreadings.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Longest accepted gap between a quarter's end and its results release, in days. Alibaba
#: and NVIDIA report within ~80 days (SEC deadlines: 40-45 days for 10-Qs, 60-90 for annual
#: reports); a longer gap is almost surely a typo in the year.
MAX_RELEASE_LAG_DAYS = 120


class EarningsConflictWarning(UserWarning):
    """A live release date disagrees with the curated calendar (the curated one is kept)."""


# ---------------------------------------------------------------------------------------------
# CSV reading with exact line numbers (the one reader, babaresearch.csvio)
# ---------------------------------------------------------------------------------------------

def _read_rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a small CSV as ``(line_number, {column: text})``; header is line 1.

    :func:`babaresearch.csvio.read_table` checks the structure (header, one field per column on
    every record, UTF-8, quotes) and numbers lines the one way every data file does; the
    columns are read as text and checked row by row below, so each error names the line.
    """
    schema = Schema(columns=tuple(Column(name, "text", empty="allow") for name in required),
                    what="file")
    return list(read_table(path, schema).rows())


def _parse_date(path: Path, line: int, column: str, text: str) -> pd.Timestamp:
    if not text:
        raise DataFileError(path, f"empty {column}", line=line)
    if not _ISO_DATE.fullmatch(text):
        raise DataFileError(path, f"{column} {text!r} is not an ISO date (YYYY-MM-DD)", line=line)
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, TypeError, OverflowError):
        raise DataFileError(path, f"{column} {text!r} is not a date", line=line) from None
    if pd.isna(stamp) or stamp != stamp.normalize() or stamp.tzinfo is not None:
        raise DataFileError(path, f"{column} {text!r} is not a plain date", line=line)
    try:
        return to_date(stamp, column)
    except BabaResearchError as exc:  # e.g. a year pandas cannot hold (2500)
        raise DataFileError(path, str(exc), line=line) from None


def _parse_timing(path: Path, line: int, column: str, text: str) -> str:
    timing = text.strip().lower()
    if timing not in TIMINGS:
        raise DataFileError(
            path, f"{column} {text!r} is not one of {', '.join(TIMINGS)}", line=line
        )
    return timing


def _day0(path: Path, line: int, date: pd.Timestamp, timing: str) -> pd.Timestamp:
    try:
        return event_day0(date, timing)
    except BabaResearchError as exc:
        raise DataFileError(path, f"day 0 of {date.date()} ({timing}): {exc}", line=line) from None


def _ticker(path: Path, line: int, text: str) -> str:
    try:
        return normalize_ticker(text)
    except BabaResearchError as exc:
        raise DataFileError(path, str(exc), line=line) from None


def _frame(records: list[dict], columns: tuple[str, ...], date_columns: tuple[str, ...]) -> pd.DataFrame:
    """A frame with exactly ``columns``; date columns are tz-naive ``datetime64[ns]``."""
    frame = pd.DataFrame(records, columns=list(columns))
    for column in date_columns:
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    for column in columns:
        if column not in date_columns:
            frame[column] = frame[column].astype(str)
    return frame


def _file_key(path: Path) -> tuple[str, int, int, int]:
    """:func:`babaresearch.prices.file_state` of ``path``, or ``(path, -1, -1, -1)`` when it
    cannot be stat'ed (the loader then raises the proper DataFileError)."""
    try:
        return file_state(path)
    except OSError:
        return (str(path), -1, -1, -1)


# ---------------------------------------------------------------------------------------------
# Curated earnings calendar
# ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=8)
def _load_earnings(key: tuple[str, int, int, int]) -> pd.DataFrame:
    path = Path(key[0])
    records: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in _read_rows(path, ("ticker", "fiscal_period", "period_end", "release_date",
                                       "release_time", "source", "confidence")):
        ticker = _ticker(path, line, row["ticker"])
        label = row["fiscal_period"].strip().upper()
        try:
            start, end = period_bounds(ticker, label)
        except BabaResearchError as exc:
            raise DataFileError(path, f"fiscal_period {row['fiscal_period']!r}: {exc}", line=line) from None
        period_end = _parse_date(path, line, "period_end", row["period_end"])
        if period_end != end:
            raise DataFileError(
                path,
                f"period_end {period_end.date()} disagrees with the fiscal calendar: "
                f"{ticker} {label} ends {end.date()}",
                line=line,
            )
        release_date = _parse_date(path, line, "release_date", row["release_date"])
        if release_date <= period_end:
            raise DataFileError(
                path, f"release_date {release_date.date()} is not after period_end {period_end.date()}",
                line=line,
            )
        lag_days = (release_date - period_end).days
        if lag_days > MAX_RELEASE_LAG_DAYS:
            raise DataFileError(
                path, f"release_date {release_date.date()} is {lag_days} days after period_end "
                f"{period_end.date()} of {ticker} {label} (at most {MAX_RELEASE_LAG_DAYS}): a typo?",
                line=line,
            )
        release_time = _parse_timing(path, line, "release_time", row["release_time"])
        if (ticker, label) in seen:
            raise DataFileError(
                path, f"duplicate {ticker} {label} (first on line {seen[(ticker, label)]})", line=line
            )
        seen[(ticker, label)] = line
        records.append({
            "ticker": ticker,
            "fiscal_period": label,
            "period_end": period_end,
            "release_date": release_date,
            "release_time": release_time,
            "day0": _day0(path, line, release_date, release_time),
            "source": row["source"],
            "confidence": row["confidence"],
        })
    frame = _frame(records, EARNINGS_COLUMNS, _DATE_COLUMNS_EARNINGS)
    return frame.sort_values(["ticker", "release_date"], kind="mergesort").reset_index(drop=True)


def _select_tickers(frame: pd.DataFrame, ticker, path: Path, *, strict: bool) -> pd.DataFrame:
    if ticker is None:
        return frame
    wanted = normalize_tickers(ticker)
    known = sorted(set(frame["ticker"]))
    if strict:
        for name in wanted:
            if name not in known:
                raise UnknownTickerError(name, known, where=str(path))
    return frame[frame["ticker"].isin(wanted)].reset_index(drop=True)


def earnings_calendar(ticker: str | list[str] | None = None, *,
                      path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Curated quarterly results releases.

    Parameters
    ----------
    ticker : str, list of str or None
        Restrict to these tickers (``None``: all).
    path : path-like, optional
        Earnings CSV to read instead of the embedded ``data/earnings.csv`` (tests, forks).

    Returns
    -------
    pandas.DataFrame
        Columns ``ticker, fiscal_period, period_end, release_date, release_time, day0, source,
        confidence``; dates tz-naive ``datetime64[ns]``; ``day0`` is
        ``event_day0(release_date, release_time)``; sorted by ticker then release_date.

    Raises
    ------
    DataFileError
        Malformed file (missing column, a date not written YYYY-MM-DD, unknown release_time,
        a period_end that disagrees with the fiscal calendar, a release not after its
        period_end or more than ``MAX_RELEASE_LAG_DAYS`` (120) days after it, duplicates),
        naming the file and line.
    UnknownTickerError
        ``ticker`` has no row in the file.
    """
    from .resources import resource

    source = Path(path) if path is not None else resource(EARNINGS_FILE)
    frame = _load_earnings(_file_key(source)).copy()
    return _select_tickers(frame, ticker, source, strict=True)


# ---------------------------------------------------------------------------------------------
# Other corporate events
# ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=8)
def _load_events(key: tuple[str, int, int, int]) -> pd.DataFrame:
    path = Path(key[0])
    records: list[dict] = []
    for line, row in _read_rows(path, ("date", "ticker", "kind", "description", "timing",
                                       "source", "confidence")):
        date = _parse_date(path, line, "date", row["date"])
        timing = _parse_timing(path, line, "timing", row["timing"])
        records.append({
            "date": date,
            "ticker": _ticker(path, line, row["ticker"]),
            "kind": row["kind"],
            "description": row["description"],
            "timing": timing,
            # "unknown" timing -> day 0 as bmo (the earliest session that could react).
            "day0": _day0(path, line, date, timing),
            "source": row["source"],
            "confidence": row["confidence"],
        })
    frame = _frame(records, EVENTS_COLUMNS, ("date", "day0"))
    return frame.sort_values(["date", "ticker"], kind="mergesort").reset_index(drop=True)


def corporate_events(ticker: str | list[str] | None = None, *,
                     path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Dated corporate events other than results releases (capex plans, export charges, launches).

    Parameters
    ----------
    ticker : str, list of str or None
        Restrict to these tickers; a ticker without events gives an empty frame (having no
        event is a valid answer, unlike having no earnings calendar).
    path : path-like, optional
        Events CSV to read instead of the embedded ``data/events.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``date, ticker, kind, description, timing, day0, source, confidence``, dates
        tz-naive ``datetime64[ns]``, sorted by date then ticker. ``timing == "unknown"`` gets
        the day 0 of ``bmo``.

    Raises
    ------
    DataFileError
        Malformed file, naming the file and line.
    """
    from .resources import resource

    source = Path(path) if path is not None else resource(EVENTS_FILE)
    frame = _load_events(_file_key(source)).copy()
    return _select_tickers(frame, ticker, source, strict=False)


# ---------------------------------------------------------------------------------------------
# Live refresh (yfinance)
# ---------------------------------------------------------------------------------------------

def release_timing(instant: pd.Timestamp) -> tuple[pd.Timestamp, str]:
    """Release date (New York) and timing label of a release timestamp.

    Parameters
    ----------
    instant : pandas.Timestamp
        Release time; tz-aware in any zone, or naive read as New York time.

    Returns
    -------
    (pandas.Timestamp, str)
        Tz-naive New York calendar date, and the timing: exactly midnight means the vendor
        had no time of day -> ``"unknown"``. Otherwise, on a session: before the open ->
        ``"bmo"``, before the close (13:00 on early-close days) -> ``"intraday"``, else
        ``"amc"``; on a non-session day the regular 09:30 / 16:00 hours are used.

    Raises
    ------
    CalendarRangeError
        The date lies outside the NYSE calendar.
    """
    stamp = to_new_york(pd.Timestamp(instant))
    date = to_date(stamp.tz_localize(None))
    if stamp == stamp.normalize():
        return date, "unknown"
    hours = session_hours(date)
    if hours is not None:
        market_open, market_close = hours
    else:
        local = stamp.normalize()
        market_open = local + pd.Timedelta(hours=9, minutes=30)
        market_close = local + pd.Timedelta(hours=16)
    if stamp < market_open:
        return date, "bmo"
    if stamp < market_close:
        return date, "intraday"
    return date, "amc"


def reported_fiscal_period(ticker: str, release_date) -> str:
    """The fiscal quarter a results release on ``release_date`` reports.

    Parameters
    ----------
    ticker : str
        ``"BABA"`` or ``"NVDA"``.
    release_date : date-like
        Release day (New York).

    Returns
    -------
    str
        Label like ``"FY2026Q1"``: the quarter before the one containing the release
        (companies report within one quarter of the period end).

    Raises
    ------
    UnknownTickerError
        No fiscal calendar for ``ticker``.
    DateRangeError
        ``release_date`` cannot be parsed.
    """
    current = fiscal_period(ticker, release_date)
    start, _end = period_bounds(ticker, current)
    return fiscal_period(ticker, start - pd.Timedelta(days=1))


def _fetch_earnings_dates(ticker: str, limit: int) -> pd.DataFrame:
    """yfinance ``Ticker(t).get_earnings_dates(limit)``, wrapped into :class:`LiveDataError`.

    yfinance's own log lines and warnings are silenced (:func:`prices.quiet_yfinance`): the
    caller gets one error naming the ticker with a short cause, the full vendor exception
    attached as ``__cause__``.
    """
    from .prices import quiet_yfinance, summarize_exception

    try:
        import yfinance
    except ImportError as exc:  # pragma: no cover - yfinance is a dependency
        raise LiveDataError(f"{ticker}: yfinance is not installed ({exc})", ticker=ticker) from None
    try:
        with quiet_yfinance():
            frame = yfinance.Ticker(ticker).get_earnings_dates(limit=limit)
    except Exception as exc:  # any vendor failure (network, rate limit, HTML change)
        raise LiveDataError(
            f"{ticker}: live earnings dates could not be fetched: {summarize_exception(exc)}",
            ticker=ticker,
        ) from exc
    if frame is None or not isinstance(frame, pd.DataFrame) or frame.empty:
        raise LiveDataError(f"{ticker}: yfinance returned no earnings dates", ticker=ticker)
    return frame


def _live_release_rows(ticker: str, frame: pd.DataFrame) -> tuple[list[dict], int]:
    """One candidate row per reported fiscal period (earliest timestamp wins); count skipped."""
    try:
        stamps = pd.to_datetime(pd.Index(frame.index), errors="coerce")
    except (ValueError, TypeError) as exc:
        raise LiveDataError(f"{ticker}: earnings dates index is not dates: {exc}", ticker=ticker) from None
    if stamps.tz is None:  # Yahoo's index is New York time; a naive one is read as such
        stamps = pd.DatetimeIndex([pd.NaT if pd.isna(s) else to_new_york(s) for s in stamps])
    if "Reported EPS" in frame.columns:
        reported = frame["Reported EPS"]
    else:  # a future Yahoo layout without it: every row counts as scheduled
        reported = pd.Series(float("nan"), index=frame.index)
    by_period: dict[str, dict] = {}
    skipped = 0
    for stamp, eps in zip(stamps, reported.to_numpy()):
        if pd.isna(stamp):
            skipped += 1
            continue
        try:
            release_date, release_time = release_timing(stamp)
            label = reported_fiscal_period(ticker, release_date)
            day0 = event_day0(release_date, release_time)
        except CalendarRangeError:
            skipped += 1  # older than the session calendar (Yahoo goes back decades)
            continue
        row = {
            "ticker": ticker,
            "fiscal_period": label,
            "period_end": period_bounds(ticker, label)[1],
            "release_date": release_date,
            "release_time": release_time,
            "day0": day0,
            "source": LIVE_SOURCE,
            "confidence": LIVE_CONFIDENCE_SCHEDULED if pd.isna(eps) else LIVE_CONFIDENCE_REPORTED,
        }
        if label not in by_period or release_date < by_period[label]["release_date"]:
            by_period[label] = row
    return list(by_period.values()), skipped


def refresh_earnings_live(ticker: str, *, limit: int = 12,
                          path: str | os.PathLike | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge yfinance's earnings dates into the curated calendar of one ticker.

    Each Yahoo timestamp (tz-aware, America/New_York) becomes a release date and a timing
    (:func:`release_timing`) and is attributed to the fiscal quarter it reports
    (:func:`reported_fiscal_period`). Releases the curated file lacks are added with
    ``source = "yfinance get_earnings_dates"`` and confidence ``live`` (EPS reported) or
    ``live-scheduled``. A curated release is **never** overridden: when Yahoo's date differs,
    the pair is returned in ``conflicts`` and an :class:`EarningsConflictWarning` is issued.
    Only release dates are compared: Yahoo's time of day is often a placeholder. Live rows
    older than the session calendar are skipped.

    Parameters
    ----------
    ticker : str
        A ticker with a fiscal calendar and a curated calendar (``BABA``, ``NVDA``).
    limit : int
        Number of rows asked from Yahoo (1..100).
    path : path-like, optional
        Curated earnings CSV (default: the embedded one).

    Returns
    -------
    merged : pandas.DataFrame
        Same columns as :func:`earnings_calendar`, sorted by release_date.
    conflicts : pandas.DataFrame
        Columns ``ticker, fiscal_period, curated_release_date, live_release_date``.

    Raises
    ------
    LiveDataError
        yfinance raised, or returned nothing. The message names the ticker and a short cause
        (e.g. ``"BABA: live earnings dates could not be fetched: network unreachable: could
        not resolve the Yahoo host"``); the vendor exception is kept as ``__cause__``.
        yfinance's own log lines are silenced during the call, so nothing else is printed.
    UnknownTickerError
        No fiscal or curated calendar for ``ticker``.
    """
    name = normalize_ticker(ticker)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= YFINANCE_MAX_LIMIT:
        raise LiveDataError(f"{name}: limit must be an integer in 1..{YFINANCE_MAX_LIMIT}, got {limit!r}",
                            ticker=name)
    # Raises UnknownTickerError before any network call; every ticker in the file has a
    # fiscal calendar (the loader checks each period_end against it).
    curated = earnings_calendar(name, path=path)
    live_frame = _fetch_earnings_dates(name, limit)
    live_rows, skipped = _live_release_rows(name, live_frame)
    if not live_rows:
        raise LiveDataError(
            f"{name}: none of yfinance's {len(live_frame)} earnings dates is usable "
            f"({skipped} unparseable or outside the session calendar)",
            ticker=name,
        )

    curated_dates = dict(zip(curated["fiscal_period"], curated["release_date"]))
    added: list[dict] = []
    conflicts: list[dict] = []
    for row in live_rows:
        label = row["fiscal_period"]
        if label not in curated_dates:
            added.append(row)
        elif pd.Timestamp(curated_dates[label]) != row["release_date"]:
            conflicts.append({
                "ticker": name,
                "fiscal_period": label,
                "curated_release_date": pd.Timestamp(curated_dates[label]),
                "live_release_date": row["release_date"],
            })
    conflict_frame = _frame(conflicts, CONFLICT_COLUMNS, ("curated_release_date", "live_release_date"))
    conflict_frame = (conflict_frame.sort_values("curated_release_date", kind="mergesort")
                      .reset_index(drop=True))
    if len(conflict_frame):
        listing = "; ".join(
            f"{row.fiscal_period}: curated {row.curated_release_date.date()} vs live "
            f"{row.live_release_date.date()}"
            for row in conflict_frame.itertuples(index=False)
        )
        warnings.warn(
            f"{name}: {len(conflict_frame)} live earnings date(s) disagree with the curated "
            f"calendar (curated kept): {listing}",
            EarningsConflictWarning,
            stacklevel=2,
        )
    merged = pd.concat([curated, _frame(added, EARNINGS_COLUMNS, _DATE_COLUMNS_EARNINGS)],
                       ignore_index=True) if added else curated
    merged = merged.sort_values(["ticker", "release_date"], kind="mergesort").reset_index(drop=True)
    return merged, conflict_frame
