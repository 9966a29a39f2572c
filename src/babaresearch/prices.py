"""Daily price bars: embedded snapshot, on-disk cache, live yfinance, total-return adjustment.

Three stores feed :func:`load_prices`:

* the **snapshot** vendored in ``data/prices/<TICKER>.csv`` (read-only, provenance in
  ``data/sources.csv``);
* the **cache**, one CSV per ticker in :func:`cache_dir` plus a JSON note (``<T>.meta.json``:
  ticker, SHA-256 of the CSV, coverage), written atomically after every successful live fetch.
  A cache CSV whose note is missing, names another ticker or records another hash is refused
  (:class:`DataFileError`), never served and never deleted. Read-merge-replace of one ticker's
  cache is serialised with an advisory ``fcntl.flock`` on ``<T>.csv.lock`` beside it, so
  concurrent processes keep each other's rows (POSIX only: on Windows there is no lock);
* **live** prices from yfinance (:func:`fetch_live`), one ``Ticker.history`` call per ticker,
  only up to the last *completed* NYSE session (a session counts once its close has passed in
  New York), so an unfinished bar is never cached.

Splits: yfinance's raw closes are split-adjusted up to now. When fetched bars carry a split
(``Stock Splits`` = ratio, e.g. 4.0 for 4:1) that older stored rows do not, those older rows are
rescaled on merge (prices and dividends divided by the ratio, volume multiplied), so a split
never shows as a -75 % day. The cache records the split on its date, so it is applied once.

Every file is parsed once per content (keyed on path, size, mtime and inode) and validated with
:func:`validate_bars` at the same time, so warm loads cost a dictionary lookup plus slicing.

Stored bars are *raw*: split-adjusted where the source is, never dividend-adjusted. ``adj_close``
is computed here, the way Yahoo does it: for each ex-dividend date ``t`` with cash dividend ``D``,
every close before ``t`` is multiplied by ``1 - D / close[t-1]`` (cumulative product backwards).
An empty dividend cell means *unknown* and adjusts nothing; ``snapshot_info()`` says up to which
date each ticker's dividends are known.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import io
import json
import logging
import os
import re
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .dates import MARKET_TZ, to_date, to_date_range
from .errors import (
    BabaResearchError,
    InvalidOptionError,
    DataFileError,
    DataValidationError,
    LiveDataError,
    NoDataError,
    OutOfRangeError,
    UnknownTickerError,
)
from .resources import atomic_write_text, read_text_csv, resource
from .tickers import BENCHMARKS, SNAPSHOT_TICKERS, normalize_ticker, normalize_tickers

__all__ = [
    "BENCHMARKS",
    "TICKERS",
    "InvalidOptionError",
    "CacheWarning",
    "ForeignCacheError",
    "MissingDataWarning",
    "adjustment_factors",
    "cache_dir",
    "closes",
    "data_quality_report",
    "fetch_live",
    "load_prices",
    "quiet_yfinance",
    "returns",
    "snapshot_info",
    "summarize_exception",
    "validate_bars",
]

#: Every ticker of the embedded snapshot: the two companies, then the benchmarks (an alias of
#: :data:`babaresearch.tickers.SNAPSHOT_TICKERS`, kept because callers import it from here).
TICKERS: tuple[str, ...] = SNAPSHOT_TICKERS

#: Columns of :func:`load_prices`, in order.
BAR_COLUMNS: tuple[str, ...] = ("date", "ticker", "open", "high", "low", "close", "adj_close", "volume")
#: Columns of :func:`validate_bars` and :func:`data_quality_report`, in order.
ISSUE_COLUMNS: tuple[str, ...] = ("ticker", "date", "check", "severity", "detail")
#: Columns of :func:`fetch_live` (raw bars; ``dividend`` in currency units per share).
LIVE_COLUMNS: tuple[str, ...] = ("date", "ticker", "open", "high", "low", "close", "volume", "dividend")

PRICE_COLUMNS: tuple[str, ...] = ("open", "high", "low", "close")
# Storage form of one ticker's bars, in memory and in cache files. ``split`` is the split ratio
# going effective that day (4.0 = 4:1); 0 or empty = none.
_STORE_COLUMNS: tuple[str, ...] = ("date", "open", "high", "low", "close", "volume", "dividend", "split")
_REQUIRED_FILE_COLUMNS: tuple[str, ...] = ("date", "open", "high", "low", "close", "volume")

SOURCES: tuple[str, ...] = ("auto", "snapshot", "cache", "live")
FILLER_MODES: tuple[str, ...] = ("missing", "keep", "drop")
RETURN_KINDS: tuple[str, ...] = ("simple", "log")

#: First session of the embedded snapshot; the default start of a live fetch.
SNAPSHOT_FIRST_SESSION = pd.Timestamp("2023-01-03")
#: Volumes that data vendors write as "unknown" (9s repeated), never real trading volume.
PLACEHOLDER_VOLUMES: frozenset[int] = frozenset({999_999, 9_999_999, 99_999_999, 999_999_999})
# Relative slack for high/low checks: KWEB's float32 artifacts differ in the 7th digit.
PRICE_RTOL = 1e-6

CACHE_ENV = "BABARESEARCH_CACHE"
CACHE_APP_NAME = "babaresearch"

#: Attempts after the first one when Yahoo rate-limits or times out.
LIVE_RETRIES = 3
#: First back-off pause in seconds; doubles on every retry (2, 4, 8 s).
LIVE_BACKOFF_SECONDS = 2.0
#: Per-request timeout handed to yfinance, in seconds.
LIVE_TIMEOUT_SECONDS = 20.0
# Yahoo's own "Adj Close" may disagree with ours by rounding (2 decimals); beyond this relative
# gap on one day's adjusted return a dividend or split is probably missing and we warn.
ADJ_CROSSCHECK_RTOL = 5e-3

# yfinance column label -> our column name
_YF_COLUMNS = {
    "open": "open", "high": "high", "low": "low", "close": "close", "adj close": "adj_close",
    "adj_close": "adj_close", "volume": "volume", "dividends": "dividend",
    "stock splits": "splits", "capital gains": "capital_gains",
}

# Tests replace this to avoid real pauses; fetch_live(sleep=...) overrides it per call.
_sleep: Callable[[float], None] = time.sleep


def _now_new_york() -> pd.Timestamp:
    return pd.Timestamp.now(tz=MARKET_TZ)


# "Now" as a tz-aware timestamp; tests replace it to place the clock inside or after a session.
_now: Callable[[], pd.Timestamp] = _now_new_york


class MissingDataWarning(UserWarning):
    """Part of a requested range could not be fetched; what the cache/snapshot holds is served."""


class ForeignCacheError(DataFileError):
    """A cache CSV that its meta note does not vouch for: no note, another ticker's, or another
    content hash (copied, edited or truncated). A :class:`DataFileError` naming the file."""


class CacheWarning(UserWarning):
    """The on-disk cache could not be used (unreadable, foreign or not writable) in ``auto`` mode;
    the snapshot and freshly fetched data are served instead and the cache file is left alone."""


def _check_option(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InvalidOptionError(name, value, allowed)
    return value


# --------------------------------------------------------------------------- locations
def cache_dir() -> Path:
    """Folder of the on-disk price cache (not created by this call).

    Returns
    -------
    pathlib.Path
        ``$BABARESEARCH_CACHE`` (``~`` expanded) when that environment variable is set and
        non-empty, else ``platformdirs.user_cache_dir("babaresearch")`` (e.g.
        ``~/.cache/babaresearch`` on Linux); never a folder inside the installed package.
        The folder may not exist yet: it is created by the first cache write.

    Notes
    -----
    Nothing is checked or raised here; an unusable folder (read-only, or a file in its place)
    surfaces as :class:`DataFileError` naming the path when the cache is read or written.
    """
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # only needed when no override is set

    return Path(platformdirs.user_cache_dir(CACHE_APP_NAME))


def _snapshot_path(ticker: str) -> Path:
    return resource("prices", f"{ticker}.csv")


def _cache_path(ticker: str) -> Path:
    return cache_dir() / f"{ticker}.csv"


def _cache_meta_path(ticker: str) -> Path:
    return cache_dir() / f"{ticker}.meta.json"


def _cache_lock_path(ticker: str) -> Path:
    return cache_dir() / f"{ticker}.csv.lock"


@contextlib.contextmanager
def _cache_lock(ticker: str, *, exclusive: bool = True):
    """Advisory lock serialising one ticker's cache read-merge-replace across processes.

    ``fcntl.flock`` on ``<T>.csv.lock`` (POSIX only; where ``fcntl`` is missing this is a no-op
    and concurrent writers may lose rows). A shared lock for reading is skipped when the lock
    file cannot be created (a read-only cache can still be read); an exclusive one raises
    :class:`DataFileError` naming the lock file.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here (documented limitation)
        yield
        return
    path = _cache_lock_path(ticker)
    try:
        if exclusive:
            path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if not exclusive:
            fd = None
        else:
            raise DataFileError(path, f"cannot create the cache lock: {exc.strerror or exc}") from None
    if fd is None:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


# --------------------------------------------------------------------------- parsing files
@dataclass(frozen=True)
class _FileBars:
    """One parsed and validated price file (immutable: shared through the parse cache)."""

    path: str
    ticker: str
    sha256: str
    bars: pd.DataFrame  # storage form, rows in file order
    issues: pd.DataFrame  # validate_bars() of ``bars``


def _empty_store() -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series(dtype="float64") for name in _STORE_COLUMNS})
    frame["date"] = frame["date"].astype("datetime64[ns]")
    return frame


_LINE_RE = re.compile(r"line (\d+)")


def _parse_bars(data: bytes, path: str) -> pd.DataFrame:
    """Parse a price CSV into storage form; every defect raises DataFileError with its line."""
    if not data.strip():
        raise DataFileError(path, "empty file (no header)", line=1)
    try:
        raw = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False,
                          skip_blank_lines=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(path, f"not UTF-8 text ({exc.reason})") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        found = _LINE_RE.search(str(exc))
        raise DataFileError(path, f"not a valid CSV: {str(exc).strip()}",
                            line=int(found.group(1)) if found else None) from None
    raw.columns = [str(name).strip().lower() for name in raw.columns]
    missing = [name for name in _REQUIRED_FILE_COLUMNS if name not in raw.columns]
    if missing:
        raise DataFileError(path, f"missing column(s) {', '.join(missing)} in header "
                                  f"{', '.join(raw.columns)}", line=1)
    _check_field_counts(data, path, len(raw.columns))
    raw = raw.astype(str)  # pandas 2 gives object, pandas 3 "str": one code path for both
    # A trailing blank line is harmless; a blank line in the middle is reported below.
    filled = (raw != "").any(axis=1).to_numpy()
    if not filled.any():
        raise DataFileError(path, "no data rows", line=2)
    raw = raw.iloc[: int(np.flatnonzero(filled)[-1]) + 1]

    def first_bad(mask: np.ndarray) -> int | None:
        hits = np.flatnonzero(mask)
        return int(hits[0]) if hits.size else None

    text = {name: raw[name].str.strip() for name in raw.columns}
    dates = pd.to_datetime(text["date"], format="%Y-%m-%d", errors="coerce")
    row = first_bad(dates.isna().to_numpy())
    if row is not None:
        raise DataFileError(path, f"date {text['date'].iloc[row]!r} is not YYYY-MM-DD", line=row + 2)
    out = {"date": dates.astype("datetime64[ns]").to_numpy()}
    for name in ("open", "high", "low", "close", "volume", "dividend", "split"):
        if name not in text:  # no dividend column: dividends unknown; no split column: none known
            out[name] = np.full(len(raw), np.nan)
            continue
        cells = text[name]
        empty = (cells == "").to_numpy()
        values = pd.to_numeric(cells.where(~empty, "nan"), errors="coerce").to_numpy(dtype="float64")
        row = first_bad(np.isnan(values) & ~empty)
        if row is not None:
            raise DataFileError(path, f"{name} {cells.iloc[row]!r} is not a number", line=row + 2)
        row = first_bad(np.isinf(values))
        if row is not None:
            raise DataFileError(path, f"{name} {cells.iloc[row]!r} is not finite", line=row + 2)
        if name not in ("dividend", "split"):  # only these may be empty (= unknown / none)
            row = first_bad(empty)
            if row is not None:
                raise DataFileError(path, f"{name} is empty", line=row + 2)
        out[name] = values
    return pd.DataFrame(out, columns=list(_STORE_COLUMNS))


def _check_field_counts(data: bytes, path: str, expected: int) -> None:
    """Refuse rows with fewer or more fields than the header (e.g. a truncated last row).

    pandas pads a short row with empty cells, which would read a cut-off ``...,27.0,10`` as a
    bar with volume 10; counting separators per line catches it. Quoted fields never occur in
    price files, so a plain comma count is exact.
    """
    if b'"' in data:
        return  # quoted cells: pandas' own parser already checked the structure
    lines = data.split(b"\n")
    counts = np.fromiter((line.count(b",") for line in lines), dtype=np.int64, count=len(lines))
    blank = np.fromiter((not line.strip() for line in lines), dtype=bool, count=len(lines))
    bad = np.flatnonzero((counts != expected - 1) & ~blank)
    if bad.size:
        line = int(bad[0])
        raise DataFileError(path, f"expected {expected} fields, found {int(counts[line]) + 1} "
                                  "(truncated or malformed row)", line=line + 1)


def file_state(path: str | os.PathLike) -> tuple[str, int, int, int]:
    """Cache key of a data file that changes whenever the file does.

    Parameters
    ----------
    path : path-like
        The file.

    Returns
    -------
    (str, int, int, int)
        ``(path, size in bytes, mtime in ns, inode)``: an edited file changes size or mtime, a
        file replaced by ``os.replace`` changes inode. Every loader that caches a parsed file
        (prices here, the earnings and events tables) keys its cache on this.

    Raises
    ------
    OSError
        The file cannot be stat'ed (``FileNotFoundError`` when it does not exist).
    """
    stat = os.stat(path)
    return (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino)


@lru_cache(maxsize=64)
def _read_file_cached(key: tuple[str, int, int, int], ticker: str) -> _FileBars:
    # Only key[0] (the path) is read; the rest makes a rewritten file a new cache entry.
    path = key[0]
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DataFileError(path, f"cannot read: {exc.strerror or exc}") from None
    bars = _parse_bars(data, path)
    issues = validate_bars(bars, ticker)
    return _FileBars(path=path, ticker=ticker, sha256=hashlib.sha256(data).hexdigest(),
                     bars=bars, issues=issues)


def _read_file(path: Path, ticker: str) -> _FileBars | None:
    """Parsed file, or None when it does not exist (DataFileError when it is malformed)."""
    try:
        key = file_state(path)
    except FileNotFoundError:
        return None
    except OSError as exc:  # e.g. the cache "folder" is a file: NotADirectoryError
        raise DataFileError(path, f"cannot read: {exc.strerror or exc}") from None
    return _read_file_cached(key, ticker)


def _read_meta(path: Path) -> dict | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        meta = json.loads(text)
    except ValueError as exc:
        raise DataFileError(path, f"not valid JSON: {exc}") from None
    return meta if isinstance(meta, dict) else {}


def _meta_problem(meta: dict | None, entry: _FileBars, ticker: str, meta_path: Path) -> str | None:
    """Why a cache file cannot be trusted as ``ticker``'s, or None when its note vouches for it."""
    if meta is None:
        return (f"no {meta_path.name} beside it, so nothing says these are {ticker} prices "
                "(written by hand or by an older version?); move it away and fetch again")
    if str(meta.get("ticker", "")).upper() != ticker:
        return f"{meta_path.name} says it holds {meta.get('ticker')!r} prices, not {ticker}"
    if meta.get("sha256") != entry.sha256:
        return (f"content differs from the SHA-256 recorded in {meta_path.name} (edited, "
                "truncated or copied from another file); move it away and fetch again")
    return None


def _read_cache(ticker: str, *, locked: bool = False) -> _FileBars | None:
    """The ticker's cache file after checking its meta note; None when there is no cache file.

    Raises DataFileError naming the file when it is unreadable or malformed, and
    ForeignCacheError when its note is missing or disagrees (ticker or content hash). A mismatch seen without the lock is re-read
    once under a shared lock: a writer may have replaced the CSV but not yet its note.
    """
    path, meta_path = _cache_path(ticker), _cache_meta_path(ticker)
    entry = _read_file(path, ticker)
    if entry is None:
        return None
    problem = _meta_problem(_read_meta(meta_path), entry, ticker, meta_path)
    if problem and not locked:
        with _cache_lock(ticker, exclusive=False):
            entry = _read_file(path, ticker)
            if entry is None:
                return None
            problem = _meta_problem(_read_meta(meta_path), entry, ticker, meta_path)
    if problem:
        raise ForeignCacheError(path, problem)
    return entry


def _first_error(issues: pd.DataFrame) -> tuple[pd.Series, int] | None:
    """The first hard error among ``issues`` (a :func:`validate_bars` frame) and how many hard
    errors there are, or None when there is none."""
    errors = issues[issues["severity"] == "error"]
    return None if errors.empty else (errors.iloc[0], len(errors))


def _checked(entry: _FileBars) -> pd.DataFrame:
    """Storage bars of a file after refusing hard validation errors; sorted by date."""
    found = _first_error(entry.issues)
    if found is not None:
        first, count = found
        more = f" (and {count - 1} more)" if count > 1 else ""
        raise DataValidationError(entry.ticker, f"{first['check']}: {first['detail']} in "
                                  f"{entry.path}{more}", date=first["date"].date())
    bars = entry.bars
    if not bars["date"].is_monotonic_increasing:
        bars = bars.sort_values("date", kind="stable", ignore_index=True)
    return bars


# --------------------------------------------------------------------------- adjustment
def adjustment_factors(close: pd.Series | np.ndarray, dividend: pd.Series | np.ndarray) -> np.ndarray:
    """Yahoo-style total-return factors: ``adj_close = close * factor``.

    Parameters
    ----------
    close : array-like of float
        Raw closes (currency units), in date order.
    dividend : array-like of float
        Cash dividend per share going ex on each date (currency units); 0 or NaN (unknown)
        adjust nothing.

    Returns
    -------
    numpy.ndarray
        Dimensionless factors in (0, 1]: the factor of date ``t`` is the product of
        ``1 - D_s / close[s-1]`` over every ex-date ``s > t``; the last date's factor is 1.
        A dividend on the first row has no previous close and is ignored.

    Raises
    ------
    ValueError
        ``close`` and ``dividend`` differ in length.
    """
    closes_ = np.asarray(close, dtype="float64")
    dividends = np.nan_to_num(np.asarray(dividend, dtype="float64"), nan=0.0)
    if closes_.shape != dividends.shape:
        raise ValueError(f"close and dividend differ in length: {closes_.shape} vs {dividends.shape}")
    if closes_.size == 0:
        return np.ones(0)
    previous = np.empty_like(closes_)
    previous[0] = np.nan
    previous[1:] = closes_[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = 1.0 - dividends / previous
    ratio = np.where((dividends > 0) & np.isfinite(ratio), ratio, 1.0)
    # cumulative product from the end: tail[t] = prod(ratio[t:]); the factor of t excludes t.
    tail = np.cumprod(ratio[::-1])[::-1]
    return np.append(tail[1:], 1.0)


# --------------------------------------------------------------------------- validation
def _glitch_masks(opens: np.ndarray, highs: np.ndarray, lows: np.ndarray, closes_: np.ndarray,
                  volumes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(filler bars, placeholder volumes) as boolean arrays, rows in the given order."""
    previous_close = np.empty_like(closes_)
    previous_close[:1] = np.nan
    previous_close[1:] = closes_[:-1]
    flat = (opens == highs) & (highs == lows) & (lows == closes_)
    filler = (volumes == 0) & flat & np.isclose(closes_, previous_close, rtol=1e-9, atol=0.0)
    placeholder = np.isin(volumes, np.array(sorted(PLACEHOLDER_VOLUMES), dtype="float64"))
    return filler, placeholder


def _issue_frame(rows: list[tuple]) -> pd.DataFrame:
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
        ``frame`` lacks ``date`` or a price column, its dates cannot be parsed, or (with
        ``raise_on_error=True``) the first hard error, naming the ticker and date.
    """
    ticker = normalize_ticker(ticker)
    if "date" not in frame.columns and isinstance(frame.index, pd.DatetimeIndex):
        frame = frame.rename_axis("date").reset_index()
    if "ticker" in frame.columns:
        frame = frame[frame["ticker"].astype(str).str.upper() == ticker]
    missing = [name for name in ("date", *PRICE_COLUMNS) if name not in frame.columns]
    if missing:
        raise DataValidationError(ticker, f"bars lack column(s) {', '.join(missing)}")
    try:
        dates = pd.DatetimeIndex(pd.to_datetime(frame["date"]))
    except (ValueError, TypeError) as exc:
        raise DataValidationError(ticker, f"unparseable dates: {exc}") from None
    if dates.tz is not None:
        dates = dates.tz_convert(MARKET_TZ).tz_localize(None)
    dates = dates.astype("datetime64[ns]")
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
    filler, placeholder = _glitch_masks(o, h, lo, c, volumes)
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
    issues = _issue_frame(rows)
    found = _first_error(issues) if raise_on_error else None
    if found is not None:
        first, _count = found
        raise DataValidationError(ticker, f"{first['check']}: {first['detail']}",
                                  date=first["date"].date())
    return issues


# --------------------------------------------------------------------------- cache writing
def _store_to_csv(bars: pd.DataFrame) -> str:
    out = bars.reindex(columns=list(_STORE_COLUMNS)).copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    # whole-share volumes print without ".0"; repr floats keep prices exact on reading back
    out["volume"] = out["volume"].round().astype("Int64")
    return out.to_csv(index=False, lineterminator="\n")


def _split_ratios(bars: pd.DataFrame) -> pd.Series:
    """Split ratios by date (only real splits: finite, positive, not 1)."""
    if "split" not in bars.columns:
        return pd.Series(dtype="float64")
    ratios = bars["split"].to_numpy(dtype="float64")
    real = np.isfinite(ratios) & (ratios > 0) & ~np.isclose(ratios, 1.0)
    return pd.Series(ratios[real], index=pd.DatetimeIndex(bars["date"].to_numpy()[real]))


def _apply_splits(base: pd.DataFrame, newer: pd.DataFrame) -> pd.DataFrame:
    """Rescale ``base`` rows older than each split recorded in ``newer`` but not in ``base``.

    Prices and dividends are divided by the ratio and volumes multiplied by it, the way Yahoo
    split-adjusts history: a 4:1 split turns a 200.0 close before it into 50.0. A split that
    ``base`` already records on the same date was applied when ``base`` was written: skipped.
    """
    splits = _split_ratios(newer)
    if splits.empty or base.empty:
        return base
    known = _split_ratios(base)
    dates = base["date"].to_numpy()
    scale = np.ones(len(base))
    for day, ratio in splits.items():
        if day in known.index and np.isclose(known[day], ratio):
            continue
        scale[dates < day.to_datetime64()] *= ratio
    if (scale == 1.0).all():
        return base
    base = base.copy()
    for name in (*PRICE_COLUMNS, "dividend"):
        base[name] = base[name].to_numpy(dtype="float64") / scale
    base["volume"] = base["volume"].to_numpy(dtype="float64") * scale
    return base


def _merge_store(base: pd.DataFrame | None, newer: pd.DataFrame | None) -> pd.DataFrame:
    """Union of two storage frames by date; ``newer`` wins where both have a date.

    Splits ``newer`` records that ``base`` lacks rescale ``base``'s older rows (see
    :func:`_apply_splits`).
    """
    parts = [part.reindex(columns=list(_STORE_COLUMNS)) for part in (base, newer)
             if part is not None and len(part)]
    if not parts:
        return _empty_store()
    if len(parts) == 1:
        return parts[0].sort_values("date", kind="stable", ignore_index=True)
    parts[0] = _apply_splits(parts[0], parts[1])
    merged = pd.concat(parts, ignore_index=True)
    merged = merged.drop_duplicates("date", keep="last")
    return merged.sort_values("date", kind="stable", ignore_index=True)


def _write_cache(ticker: str, fetched: pd.DataFrame) -> pd.DataFrame:
    """Merge freshly fetched bars into the ticker's cache file; returns the merged bars.

    An existing cache file that is malformed or foreign raises (DataFileError /
    DataValidationError) and is left as it is: it is never silently replaced. Any OSError
    becomes a DataFileError naming the path.
    """
    path = _cache_path(ticker)
    try:
        # The lock spans read, merge and both replaces: a concurrent writer of the same ticker
        # waits, then merges into our result instead of overwriting it.
        with _cache_lock(ticker, exclusive=True):
            existing = _read_cache(ticker, locked=True)
            merged = _merge_store(_checked(existing) if existing is not None else None, fetched)
            text = _store_to_csv(merged)
            atomic_write_text(path, text)
            meta = {
                "ticker": ticker,
                "source": "yfinance",
                "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "updated_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                "first_session": merged["date"].iloc[0].strftime("%Y-%m-%d"),
                "last_session": merged["date"].iloc[-1].strftime("%Y-%m-%d"),
                "rows": len(merged),
            }
            atomic_write_text(_cache_meta_path(ticker), json.dumps(meta, indent=1) + "\n")
    except OSError as exc:  # read-only folder, disk full, cache path is a file...
        where = exc.filename or path
        raise DataFileError(where, f"cannot write the price cache: {exc.strerror or exc}") from None
    return merged


# --------------------------------------------------------------------------- live (yfinance)
def _last_complete_session(now: pd.Timestamp | None = None) -> pd.Timestamp:
    """The last NYSE session whose regular close has passed at ``now`` (New York).

    Parameters
    ----------
    now : Timestamp, optional
        Tz-aware instant (a naive one is read as New York time); default ``_now()``.

    Returns
    -------
    Timestamp
        Tz-naive session date. During a session (or before its open) that is the previous
        session: its bar is still changing, so it must be neither fetched nor cached. Early
        closes count (13:00 New York). Outside the session calendar, weekdays with a 16:00
        close stand in.
    """
    stamp = pd.Timestamp(_now() if now is None else now)
    stamp = stamp.tz_localize(MARKET_TZ) if stamp.tzinfo is None else stamp.tz_convert(MARKET_TZ)
    today = stamp.normalize().tz_localize(None)
    try:
        from .calendars import is_session, previous_session, session_open_close

        if is_session(today) and stamp >= session_open_close(today)[1]:
            return today
        return previous_session(today)
    except BabaResearchError:  # beyond the calendar's years: approximate
        regular_close = stamp.normalize() + pd.Timedelta(hours=16)
        if today.weekday() < 5 and stamp >= regular_close:
            return today
        return today - pd.offsets.BDay(1)


@contextlib.contextmanager
def quiet_yfinance():
    """Silence yfinance's own log lines and warnings for the duration of a ``with`` block.

    yfinance logs every failure itself (``Failed to get ticker 'FOO' reason: ...``,
    ``Cookie/crumb fetch failed (DNSError), continuing without crumb``) on the ``"yfinance"``
    logger, and its deprecation notices go through :mod:`warnings`. Callers of this package get
    one typed :class:`LiveDataError` naming the ticker instead, so those lines would only
    repeat it, noisily. The logger's level is restored on exit, even on an exception, and no
    global logging or warnings configuration is left changed.

    Yields
    ------
    None

    Examples
    --------
    >>> with quiet_yfinance():  # doctest: +SKIP
    ...     yfinance.Ticker("BABA").get_earnings_dates(limit=12)
    """
    logger = logging.getLogger("yfinance")  # yfinance's loggers all are, or descend from, this
    previous_level = logger.level
    logger.setLevel(logging.CRITICAL + 1)  # above every level: no record reaches a handler
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            warnings.filterwarnings("ignore", module=r"yfinance(\.|$)")
            yield
    finally:
        logger.setLevel(previous_level)


#: Longest cause text put into an error or warning message, in characters. The exception
#: itself stays attached as ``__cause__`` for debugging.
CAUSE_MAX_CHARS = 120
# Texts (lower case) by which the HTTP stacks yfinance may use (curl_cffi, requests/urllib3,
# the standard library) say that a host name could not be resolved or connected to.
_DNS_MARKERS = ("could not resolve host", "failed to resolve", "name or service not known",
                "nodename nor servname", "temporary failure in name resolution",
                "getaddrinfo failed", "no address associated with hostname", "nameresolutionerror")
_CONNECT_MARKERS = ("failed to connect", "couldn't connect", "could not connect",
                    "connection refused", "network is unreachable", "no route to host",
                    "connection reset", "connection aborted", "max retries exceeded")
_HOST_RE = re.compile(r"(?:resolve host:?|failed to resolve|host=)\s*'?([A-Za-z0-9][A-Za-z0-9.-]*)",
                      re.IGNORECASE)
# End of the first clause: a sentence end or semicolon followed by white space (the dots of a
# host name such as query2.finance.yahoo.com are not followed by a space).
_CLAUSE_END_RE = re.compile(r"(?<=[.;!?])\s+")


def _exception_chain(exc: BaseException, limit: int = 10) -> list[BaseException]:
    """``exc`` and its causes / contexts, outermost first (at most ``limit``, no cycles)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < limit and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ if current.__cause__ is not None else (
            None if current.__suppress_context__ else current.__context__)
    return chain


def _first_clause(text: str) -> str:
    """First non-empty line of ``text`` up to its first sentence end (trailing dots dropped)."""
    line = next((part.strip() for part in str(text).splitlines() if part.strip()), "")
    return _CLAUSE_END_RE.split(line, maxsplit=1)[0].rstrip(".;: ")


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 3, 1)].rstrip() + "..."


def summarize_exception(exc: BaseException, *, limit: int = CAUSE_MAX_CHARS) -> str:
    """A short, human cause for an exception chain, for error and warning messages.

    Network stacks write long texts (``Failed to perform, curl: (6) Could not resolve host:
    query2.finance.yahoo.com. See https://curl.se/...``). This names the kind of failure in a
    few words; the caller keeps the full exception as ``__cause__``.

    Parameters
    ----------
    exc : BaseException
        The exception caught; its ``__cause__`` / ``__context__`` chain is searched too.
    limit : int
        Longest text returned, in characters (longer texts end in ``...``).

    Returns
    -------
    str
        One of ``"rate limited by Yahoo (too many requests)"``, ``"network unreachable: could
        not resolve the Yahoo host"`` (or ``... resolve host <name>`` for another host),
        ``"timed out: Yahoo did not answer in time"``, ``"network unreachable: could not connect
        to Yahoo"``, ``"Yahoo has no data (YFPricesMissingError: unknown or delisted ticker, or
        no prices in the range)"``; otherwise the
        outermost exception's type name and the first clause of its message, e.g.
        ``"KeyError: 'chart'"``.
    """
    chain = _exception_chain(exc)
    texts = [f"{type(item).__name__} {item}".lower() for item in chain]
    names = [cls.__name__.lower() for item in chain for cls in type(item).__mro__]
    if any(_is_rate_limit(item) for item in chain) or any(
            "too many requests" in text or "rate limit" in text for text in texts):
        reason = "rate limited by Yahoo (too many requests)"
    elif any("dnserror" in name or name == "gaierror" for name in names) or any(
            marker in text for text in texts for marker in _DNS_MARKERS):
        host = next((found.group(1).rstrip(".") for item in chain
                     for found in [_HOST_RE.search(str(item))] if found), "")
        where = "the Yahoo host" if not host or "yahoo" in host.lower() else f"host {host}"
        reason = f"network unreachable: could not resolve {where}"
    elif any(_is_timeout(item) for item in chain) or any("timed out" in text for text in texts):
        reason = "timed out: Yahoo did not answer in time"
    elif any(isinstance(item, ConnectionError) for item in chain) or any(
            "connectionerror" in name for name in names) or any(
            marker in text for text in texts for marker in _CONNECT_MARKERS):
        reason = "network unreachable: could not connect to Yahoo"
    elif any(_is_missing_prices(item) for item in chain):
        missing = next(item for item in chain if _is_missing_prices(item))
        reason = (f"Yahoo has no data ({type(missing).__name__}: unknown or delisted ticker, or "
                  "no prices in the range)")
    else:
        clause = _first_clause(str(exc))
        reason = f"{type(exc).__name__}: {clause}" if clause else type(exc).__name__
    return _cap(reason, limit)


def _live_failure(ticker: str, reason: str, start: pd.Timestamp | None = None,
                  end: pd.Timestamp | None = None) -> LiveDataError:
    """LiveDataError ``"<T>: live fetch <start>..<end> failed: <reason>"``; ``.reason`` keeps the
    short cause so callers can rephrase without repeating the ticker and range."""
    span = f" {start.date()}..{end.date()}" if start is not None and end is not None else ""
    error = LiveDataError(f"{ticker}: live fetch{span} failed: {reason}", ticker)
    error.reason = reason
    return error


def _yf_history(ticker: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame | None:
    """One ``yfinance.Ticker(t).history`` call: raw daily bars with actions; ``end`` inclusive.

    ``history(raise_errors=True)`` is used rather than ``yf.download``: download catches every
    per-ticker error (rate limit, timeout, missing prices) and returns an empty frame, so a
    rate limit could never be retried. With ``raise_errors=True`` the errors surface here
    (yfinance 1.x marks the flag deprecated in favour of the global
    ``yf.config.debug.hide_exceptions``; the per-call flag keeps global state untouched).
    The frame has flat columns ``Open, High, Low, Close, Adj Close, Volume, Dividends,
    Stock Splits`` (``Capital Gains`` for funds) and a tz-aware exchange-local index.
    """
    import yfinance as yf

    # yfinance logs each failure itself; we raise one LiveDataError naming the ticker instead.
    with quiet_yfinance():
        return yf.Ticker(ticker).history(
            start=start.strftime("%Y-%m-%d"),
            end=(end + pd.Timedelta(days=1)).strftime("%Y-%m-%d"),  # yfinance's end is exclusive
            interval="1d",
            auto_adjust=False,  # raw closes; we adjust for dividends ourselves
            actions=True,  # Dividends and Stock Splits columns
            raise_errors=True,  # rate limits / timeouts / missing prices raise (see above)
            timeout=LIVE_TIMEOUT_SECONDS,
        )


def _is_timeout(exc: BaseException) -> bool:
    # requests, curl_cffi and the standard library each have their own Timeout class
    return isinstance(exc, TimeoutError) or any("timeout" in cls.__name__.lower()
                                                 for cls in type(exc).__mro__)


def _is_missing_prices(exc: BaseException) -> bool:
    """yfinance's "no prices / no timezone" errors: unknown or delisted ticker, or offline."""
    try:
        from yfinance.exceptions import YFTickerMissingError
    except ImportError:  # pragma: no cover - yfinance is a dependency
        return False
    return isinstance(exc, YFTickerMissingError)


def _is_rate_limit(exc: BaseException) -> bool:
    try:
        from yfinance.exceptions import YFRateLimitError
    except ImportError:  # pragma: no cover - yfinance is a dependency
        return False
    return isinstance(exc, YFRateLimitError)


def _select_ticker_columns(frame: pd.DataFrame, ticker: str) -> pd.DataFrame:
    """Flatten yfinance's (Price, Ticker) or (Ticker, Price) MultiIndex columns."""
    if not isinstance(frame.columns, pd.MultiIndex):
        return frame
    for level in range(frame.columns.nlevels):
        labels = [str(label).upper() for label in frame.columns.get_level_values(level)]
        if ticker in labels:
            wanted = [label == ticker for label in labels]
            picked = frame.loc[:, wanted]
            picked.columns = picked.columns.droplevel(level)
            if isinstance(picked.columns, pd.MultiIndex):
                return _select_ticker_columns(picked, ticker)
            return picked
    others = sorted({str(c) for c in frame.columns.get_level_values(-1)})
    raise _live_failure(ticker, _cap(f"yfinance returned columns for other tickers only: {others}",
                                     CAUSE_MAX_CHARS))


def _normalize_download(frame: object, ticker: str, start: pd.Timestamp,
                        end: pd.Timestamp) -> pd.DataFrame:
    """yfinance frame -> storage bars of session dates in [start, end]; LiveDataError if unusable."""
    if not isinstance(frame, pd.DataFrame) or frame.empty:
        raise _live_failure(ticker, "yfinance returned no data (offline, rate limited, or "
                                    "unknown/delisted ticker)", start, end)
    try:
        frame = _select_ticker_columns(frame, ticker)
    except LiveDataError as exc:
        raise _live_failure(ticker, exc.reason, start, end) from None
    renamed = {column: _YF_COLUMNS.get(str(column).strip().lower()) for column in frame.columns}
    missing = [name for name in ("open", "high", "low", "close", "volume")
               if name not in renamed.values()]
    if missing:
        found = [str(c) for c in frame.columns]
        raise _live_failure(ticker, _cap(f"unexpected yfinance columns (missing {', '.join(missing)})"
                                         f": {found}", CAUSE_MAX_CHARS), start, end)
    frame = frame.loc[:, [c for c, name in renamed.items() if name]].rename(columns=renamed)
    try:
        index = pd.DatetimeIndex(frame.index)
    except (TypeError, ValueError):
        raise _live_failure(ticker, _cap(f"yfinance index is not dates: {frame.index[:3].tolist()}",
                                         CAUSE_MAX_CHARS), start, end) from None
    if index.tz is not None:  # exchange-local midnight: its wall-clock date is the session
        index = index.tz_localize(None)
    bars = pd.DataFrame({
        "date": index.normalize().astype("datetime64[ns]"),
        **{name: pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="float64")
           for name in ("open", "high", "low", "close", "volume")},
        # actions=True always sends Dividends; without the column dividends are unknown
        "dividend": (pd.to_numeric(frame["dividend"], errors="coerce").fillna(0.0).to_numpy(dtype="float64")
                     if "dividend" in frame.columns else np.nan),
        # Yahoo writes 0 on days without a split and the ratio (4.0 for 4:1) on the split day
        "split": (pd.to_numeric(frame["splits"], errors="coerce").fillna(0.0).to_numpy(dtype="float64")
                  if "splits" in frame.columns else np.nan),
    })
    yahoo_adj = (pd.to_numeric(frame["adj_close"], errors="coerce").to_numpy(dtype="float64")
                 if "adj_close" in frame.columns else None)
    keep = bars[list(PRICE_COLUMNS)].notna().all(axis=1).to_numpy()
    keep = keep & ((bars["date"] >= start) & (bars["date"] <= end)).to_numpy()
    bars = bars[keep].drop_duplicates("date", keep="last").sort_values("date", ignore_index=True)
    bars["volume"] = bars["volume"].fillna(0.0)
    if bars.empty:
        raise _live_failure(ticker, "yfinance returned no usable bars (every price NaN or "
                                    "outside the range)", start, end)
    found = _first_error(validate_bars(bars, ticker))
    if found is not None:
        first, _count = found
        raise _live_failure(ticker, _cap(f"yfinance bars fail validation on {first['date'].date()}: "
                                         f"{first['check']}: {first['detail']}", CAUSE_MAX_CHARS),
                            start, end)
    if yahoo_adj is not None:
        _crosscheck_adjustment(bars, yahoo_adj[keep], ticker)
    return bars


def _crosscheck_adjustment(bars: pd.DataFrame, yahoo_adj: np.ndarray, ticker: str) -> None:
    """Warn when Yahoo's Adj Close implies a different daily return than our adjustment."""
    if len(bars) < 2 or len(yahoo_adj) != len(bars) or np.isnan(yahoo_adj).all():
        return
    ours = bars["close"].to_numpy() * adjustment_factors(bars["close"], bars["dividend"])
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.abs((ours[1:] / ours[:-1]) / (yahoo_adj[1:] / yahoo_adj[:-1]) - 1.0)
    bad = np.flatnonzero(gap > ADJ_CROSSCHECK_RTOL)
    if bad.size:
        day = bars["date"].iloc[int(bad[0]) + 1].date()
        warnings.warn(f"{ticker}: our dividend adjustment and Yahoo's Adj Close disagree on "
                      f"{day} (and {bad.size - 1} other days): a dividend or split may be missing",
                      MissingDataWarning, stacklevel=4)


def _download_with_retry(ticker: str, start: pd.Timestamp, end: pd.Timestamp, *,
                         retries: int, sleep: Callable[[float], None]) -> pd.DataFrame:
    """Download one ticker, retrying rate limits and timeouts with exponential back-off."""
    for attempt in range(retries + 1):
        try:
            frame = _yf_history(ticker, start, end)
        except Exception as exc:  # the yfinance boundary: everything becomes LiveDataError
            # Messages carry a short cause; the full exception (curl's long text...) stays
            # attached as __cause__ for debugging.
            if _is_missing_prices(exc):  # not transient: retrying would only be slower
                raise _live_failure(ticker, summarize_exception(exc), start, end) from exc
            if not (_is_rate_limit(exc) or _is_timeout(exc)):
                raise _live_failure(ticker, summarize_exception(exc), start, end) from exc
            if attempt == retries:
                raise _live_failure(ticker, f"{summarize_exception(exc)}; gave up after "
                                            f"{retries + 1} attempts", start, end) from exc
            sleep(LIVE_BACKOFF_SECONDS * 2 ** attempt)
            continue
        return _normalize_download(frame, ticker, start, end)
    raise AssertionError("unreachable")  # pragma: no cover


def _fetch_many(requests: list[tuple[str, pd.Timestamp, pd.Timestamp]], *, retries: int,
                sleep: Callable[[float], None] | None, progress: bool | None,
                write_cache: bool) -> tuple[dict[str, list[pd.DataFrame]], dict[str, LiveDataError]]:
    """Run several (ticker, start, end) downloads; returns (bars per ticker, errors per ticker)."""
    pause = sleep if sleep is not None else _sleep
    show = len(requests) > 1 if progress is None else progress
    iterator: Iterable = requests
    if show:
        from tqdm.auto import tqdm

        iterator = tqdm(requests, desc="yfinance", unit="ticker", leave=False)
    fetched: dict[str, list[pd.DataFrame]] = {}
    failed: dict[str, LiveDataError] = {}
    for ticker, start, end in iterator:
        try:
            bars = _download_with_retry(ticker, start, end, retries=retries, sleep=pause)
        except LiveDataError as exc:
            failed.setdefault(ticker, exc)
            continue
        if write_cache:
            _write_cache(ticker, bars)
        fetched.setdefault(ticker, []).append(bars)
    return fetched, failed


def fetch_live(tickers: str | Iterable[str], start=None, end=None, *, write_cache: bool = True,
               retries: int = LIVE_RETRIES, sleep: Callable[[float], None] | None = None,
               progress: bool | None = None) -> pd.DataFrame:
    """Download raw daily bars from yfinance now, one request per ticker.

    Parameters
    ----------
    tickers : str or iterable of str
        E.g. ``"BABA"`` or ``["BABA", "SPY"]`` (normalised, repeats dropped); any ticker
        Yahoo knows, not only the snapshot's.
    start, end : date-like, optional
        Inclusive session dates; default the snapshot's first session (2023-01-03) and the
        last *completed* NYSE session (its close passed in New York). A later ``end`` is cut
        there: an unfinished bar is never fetched or cached.
    write_cache : bool
        Merge each successful download into the ticker's cache file (atomic write).
    retries : int
        Extra attempts after a rate limit (``YFRateLimitError``) or a timeout; pauses of
        2, 4, 8... seconds in between.
    sleep : callable, optional
        Pause function (seconds); tests pass a no-op.
    progress : bool, optional
        tqdm progress bar; default on when several tickers are fetched.

    Returns
    -------
    DataFrame
        Columns ``date`` (tz-naive session date), ``ticker``, ``open, high, low, close``
        (raw, not dividend-adjusted, currency units), ``volume`` (shares, ``Int64``),
        ``dividend`` (currency units per share), sorted by ticker then date.

    Raises
    ------
    LiveDataError
        Any ticker failed (network unreachable, empty frame, unexpected columns, repeated
        rate limits...). The tickers that succeeded are cached before the error is raised.
        The message names each failed ticker, its range and a short cause (e.g. ``"FOO: live
        fetch 2025-06-05..2025-06-13 failed: network unreachable: could not resolve the
        Yahoo host"``); for one failed ticker ``.reason`` holds the cause alone and
        ``__cause__`` the original exception (curl's or requests' full text).
    OutOfRangeError
        ``start`` is after the last completed session.
    DataFileError
        The cache cannot be written (naming the path) or its existing file is malformed or
        foreign (see :func:`load_prices`); the file is left untouched.
    """
    names = normalize_tickers(tickers)
    start_ts, end_ts = to_date_range(start, end)
    start_ts = SNAPSHOT_FIRST_SESSION if start_ts is None else start_ts
    complete = _last_complete_session()
    # never past the last completed session: today's bar is still moving and, once cached,
    # would never be fetched again
    end_ts = complete if end_ts is None else min(end_ts, complete)
    if start_ts > end_ts:
        raise OutOfRangeError(f"{', '.join(names)}: no completed NYSE session from "
                              f"{start_ts.date()} on (the last one is {complete.date()}): "
                              "nothing to fetch")
    fetched, failed = _fetch_many([(name, start_ts, end_ts) for name in names], retries=retries,
                                  sleep=sleep, progress=progress, write_cache=write_cache)
    if failed:
        first = next(iter(failed))
        if len(failed) == 1:
            raise failed[first]  # already names the ticker, the range and the cause
        details = "; ".join(str(exc) for exc in failed.values())
        raise LiveDataError(f"live fetch failed for {', '.join(failed)}: {details}",
                            first) from failed[first]
    parts = [bars.assign(ticker=name) for name in names for bars in fetched[name]]
    out = pd.concat(parts, ignore_index=True).loc[:, list(LIVE_COLUMNS)]
    out["volume"] = _share_counts(out["volume"])
    return out.sort_values(["ticker", "date"], kind="stable", ignore_index=True)


# --------------------------------------------------------------------------- resolving sources
def _sessions_exist(start: pd.Timestamp, end: pd.Timestamp) -> bool:
    """Whether [start, end] holds at least one NYSE session.

    Exact where :func:`babaresearch.calendars.clip_to_calendar` says the calendar covers the
    range; beyond it (a request years ahead) weekdays stand in, as in
    :func:`_last_complete_session`.
    """
    if start > end:
        return False
    from .calendars import clip_to_calendar, nyse_sessions

    span = clip_to_calendar(start, end)
    if span is not None and len(nyse_sessions(*span)):
        return True
    weekdays = pd.bdate_range(start, end)
    if span is not None:
        weekdays = weekdays[(weekdays < span[0]) | (weekdays > span[1])]
    return len(weekdays) > 0


def _missing_pieces(bars: pd.DataFrame, start: pd.Timestamp | None,
                    end: pd.Timestamp | None, today: pd.Timestamp) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Parts of an explicitly requested [start, end] beyond the bars held, up to ``today``
    (the last completed session)."""
    one_day = pd.Timedelta(days=1)
    if bars.empty:
        lo = SNAPSHOT_FIRST_SESSION if start is None else start
        hi = today if end is None else min(end, today)
        return [(lo, hi)] if lo <= hi else []
    first, last = bars["date"].iloc[0], bars["date"].iloc[-1]
    pieces = []
    if start is not None and start < first:
        pieces.append((start, min(first - one_day, today if end is None else end)))
    if end is not None and end > last:
        pieces.append((max(last + one_day, start if start is not None else last), min(end, today)))
    elif end is None and start is not None and start > last:
        pieces.append((start, today))  # open-ended request that starts after the data ends
    return [(lo, hi) for lo, hi in pieces if _sessions_exist(lo, hi)]


def _resolve(names: list[str], start: pd.Timestamp | None, end: pd.Timestamp | None,
             source: str) -> dict[str, tuple[pd.DataFrame, str]]:
    """Full sorted storage bars per ticker, with a label of where they came from."""
    result: dict[str, tuple[pd.DataFrame, str]] = {}
    if source == "snapshot":
        for name in names:
            entry = _read_file(_snapshot_path(name), name)
            if entry is None:
                raise UnknownTickerError(name, TICKERS)
            result[name] = (_checked(entry), "snapshot")
        return result
    if source == "cache":
        for name in names:
            entry = _read_cache(name)
            if entry is None:
                raise NoDataError(f"no cached prices for {name} in {cache_dir()} "
                                  "(fetch them with source='live' first)")
            result[name] = (_checked(entry), "cache")
        return result
    if source == "live":
        fetch_live(names, start, end)  # raises LiveDataError naming the failed tickers
        for name in names:
            entry = _read_cache(name)
            result[name] = (_checked(entry), "cache")  # type: ignore[arg-type]
        return result
    # auto: cache over snapshot, live only for explicit ranges they do not cover
    complete = _last_complete_session()
    requests: list[tuple[str, pd.Timestamp, pd.Timestamp]] = []
    cache_usable: dict[str, bool] = {}
    for name in names:
        snap = _read_file(_snapshot_path(name), name)
        try:
            cached = _read_cache(name)
            cached_bars = _checked(cached) if cached is not None else None
            cache_usable[name] = True
        except ForeignCacheError as exc:
            # serving another ticker's or a tampered file would be worse than serving less:
            # fall back to the snapshot, keep the user's file. (A malformed or unreadable
            # cache still raises: the user must see the file and line to fix.)
            warnings.warn(f"{name}: the price cache is not used ({exc}); serving the snapshot "
                          "and live data instead (the cache file is left as it is)",
                          CacheWarning, stacklevel=4)
            cached, cached_bars = None, None
            cache_usable[name] = False
        bars = _merge_store(_checked(snap) if snap else None, cached_bars)
        label = "+".join(label for label, part in (("snapshot", snap), ("cache", cached)) if part)
        result[name] = (bars, label)
        requests += [(name, lo, hi) for lo, hi in _missing_pieces(bars, start, end, complete)]
    if not requests:
        return result
    fetched, failed = _fetch_many(requests, retries=LIVE_RETRIES, sleep=None, progress=None,
                                  write_cache=False)
    for name, pieces in fetched.items():
        bars, label = result[name]
        for piece in pieces:
            bars = _merge_store(bars, piece)
        result[name] = (bars, "+".join(filter(None, (label, "live"))))
        if not cache_usable[name]:
            continue
        try:
            for piece in pieces:
                _write_cache(name, piece)
        except (DataFileError, DataValidationError) as exc:
            warnings.warn(f"{name}: fetched prices are served but could not be cached ({exc}); "
                          "they will be fetched again next time", CacheWarning, stacklevel=4)
    for name, exc in failed.items():
        bars, label = result[name]
        # exc names the ticker and range already; only its short cause is repeated here
        reason = getattr(exc, "reason", None) or summarize_exception(exc)
        if bars.empty:
            raise UnknownTickerError(
                name, TICKERS,
                where=f"the snapshot or the cache, and the live lookup failed ({reason})",
            ) from exc
        pieces = ", ".join(f"{lo.date()}..{hi.date()}" for who, lo, hi in requests if who == name)
        held = label.replace("+", " or ")
        warnings.warn(f"{name}: prices for {pieces} are not in the {held} data and the live "
                      f"fetch failed ({reason}); serving the {held} data "
                      f"{bars['date'].iloc[0].date()}..{bars['date'].iloc[-1].date()}",
                      MissingDataWarning, stacklevel=4)
    return result


# --------------------------------------------------------------------------- assembling
def _ticker_bars(name: str, bars: pd.DataFrame, origin: str, start: pd.Timestamp | None,
                 end: pd.Timestamp | None, filler: str, lookback: int) -> pd.DataFrame:
    """Long-form bars of one ticker in [start, end] plus ``lookback`` sessions before start."""
    if bars.empty:
        raise NoDataError(f"no prices for {name} in the {origin or 'requested'} data")
    first, last = bars["date"].iloc[0], bars["date"].iloc[-1]
    if (start is not None and start > last) or (end is not None and end < first):
        asked = f"{start.date() if start is not None else '…'}..{end.date() if end is not None else '…'}"
        raise OutOfRangeError(f"{name}: requested {asked} lies outside the {origin} data "
                              f"({first.date()}..{last.date()})")
    closes_ = bars["close"].to_numpy()
    out = pd.DataFrame({
        "date": bars["date"].to_numpy(),
        "ticker": name,
        "open": bars["open"].to_numpy(),
        "high": bars["high"].to_numpy(),
        "low": bars["low"].to_numpy(),
        "close": closes_,
        # factors over the whole series, as Yahoo does: later dividends adjust earlier closes
        "adj_close": closes_ * adjustment_factors(closes_, bars["dividend"].to_numpy()),
        "volume": bars["volume"].to_numpy(),
    }, columns=list(BAR_COLUMNS))
    if filler != "keep":
        is_filler, is_placeholder = _glitch_masks(*(bars[n].to_numpy() for n in (*PRICE_COLUMNS, "volume")))
        out.loc[is_placeholder, "volume"] = np.nan  # prices are fine, the volume is not
        if filler == "missing":
            out.loc[is_filler, ["open", "high", "low", "close", "adj_close", "volume"]] = np.nan
        else:
            out = out[~is_filler]
    dates = out["date"].to_numpy()
    lo = 0 if start is None else int(np.searchsorted(dates, start.to_datetime64(), side="left"))
    hi = len(out) if end is None else int(np.searchsorted(dates, end.to_datetime64(), side="right"))
    return out.iloc[max(lo - lookback, 0):hi]


def _share_counts(volume: pd.Series) -> pd.Series:
    """Volumes (shares, float with NaN for missing) as pandas' nullable integer ``Int64``.

    Volumes are whole shares; a float column would print ``82165134.0`` and hide that a NaN
    means "missing" (filler bar, placeholder volume). Rounding first absorbs float noise such
    as a split rescale (x 1.5) or a float32 artifact, so the cast is always exact.
    """
    values = volume.to_numpy(dtype="float64", na_value=np.nan)
    return pd.Series(pd.array(np.round(values), dtype="Int64"), index=volume.index, name=volume.name)


def _dividends_known_through(bars: pd.DataFrame) -> pd.Timestamp:
    """Last date up to which every bar records its dividend (an empty cell means unknown).

    NaT when the first bar's dividend is already unknown; the last date when none is.
    """
    unknown = np.isnan(bars["dividend"].to_numpy(dtype="float64"))
    if not unknown.any():
        return pd.Timestamp(bars["date"].iloc[-1]) if len(bars) else pd.NaT
    first = int(np.argmax(unknown))
    return pd.Timestamp(bars["date"].iloc[first - 1]) if first else pd.NaT


def _load_long(tickers, start, end, source: str, filler: str,
               lookback: int = 0) -> tuple[pd.DataFrame, list[str], dict[str, pd.Timestamp]]:
    _check_option("source", source, SOURCES)
    _check_option("filler", filler, FILLER_MODES)
    names = normalize_tickers(tickers)
    start_ts, end_ts = to_date_range(start, end)
    resolved = _resolve(names, start_ts, end_ts, source)
    parts = [_ticker_bars(name, *resolved[name], start_ts, end_ts, filler, lookback)
             for name in sorted(names)]
    out = pd.concat(parts, ignore_index=True)
    out["date"] = out["date"].astype("datetime64[ns]")
    out["volume"] = _share_counts(out["volume"])
    known = {name: _dividends_known_through(resolved[name][0]) for name in names}
    out.attrs["dividends_known_through"] = dict(known)
    return out, names, known


def load_prices(tickers: str | Iterable[str], start=None, end=None, *, source: str = "auto",
                filler: str = "missing") -> pd.DataFrame:
    """Daily bars of one or more tickers, long form.

    Parameters
    ----------
    tickers : str or iterable of str
        E.g. ``"BABA"`` or ``["BABA", "SPY"]`` (normalised, repeats dropped).
    start, end : date-like, optional
        Inclusive session dates; default the whole data held.
    source : {"auto", "snapshot", "cache", "live"}
        ``snapshot``: embedded data only. ``cache``: the on-disk cache only. ``live``: fetch
        from yfinance now (then cache). ``auto``: cache over snapshot; live only for the part of
        an explicit range they lack, up to the last completed NYSE session; if that fails, a
        :class:`MissingDataWarning` names the ticker and the missing range and the data held is
        served (its message names the ticker, the missing range and a short cause such as
        "network unreachable: could not resolve the Yahoo host"; a ticker with no data at all
        raises :class:`UnknownTickerError` saying the live lookup failed and why; the full
        exception is kept as ``__cause__``). In ``auto`` a cache file its meta note does not vouch for (another ticker's, a
        changed hash, no note) is skipped with a :class:`CacheWarning` (the file is kept), and
        a cache that cannot be written after a fetch gives a :class:`CacheWarning` while the
        fetched bars are still returned; other modes raise :class:`DataFileError` instead.
    filler : {"missing", "keep", "drop"}
        What to do with filler bars (volume 0, flat at the previous close: the source had no
        data). ``missing`` keeps the row with NaN prices and volume (so returns next to it are
        NaN, never 0); ``keep`` keeps the raw values; ``drop`` removes the row. Except with
        ``keep``, placeholder volumes (9999999) also become NaN.

    Returns
    -------
    DataFrame
        Columns ``date`` (tz-naive datetime64[ns] session date), ``ticker``, ``open, high, low,
        close`` (raw, currency units), ``adj_close`` (total-return adjusted where dividends are
        recorded; equals ``close`` otherwise), ``volume`` (shares, nullable integer ``Int64``;
        ``<NA>`` on filler bars and placeholder volumes), sorted by ticker then date,
        RangeIndex. A range inside the data but without sessions gives an empty frame.
        ``frame.attrs["dividends_known_through"]`` maps each ticker to the last date through
        which its dividends are recorded (NaT: none). Past that date dividends are unknown,
        so ``adj_close`` and adjusted returns there are price-only (NVDA, SPY, QQQ, FXI, KWEB
        after 2025-09-29 in the snapshot); compare it with your window before trusting a
        total return.

    Raises
    ------
    InvalidTickerError, UnknownTickerError, NoDataError, OutOfRangeError, DateRangeError,
    LiveDataError, DataFileError (malformed, unreadable or unwritable cache file, naming the
    path and line; :class:`ForeignCacheError` for a cache file its note does not vouch for),
    DataValidationError, InvalidOptionError
    """
    out, _, _ = _load_long(tickers, start, end, source, filler)
    return out


def _wide(long: pd.DataFrame, names: list[str], column: str) -> pd.DataFrame:
    """date x ticker frame of ``column``; every ticker asked for is a column, even when the
    range holds no session (a 0-row frame, so ``frame["SPY"]`` still works)."""
    wide = long.pivot(index="date", columns="ticker", values=column)
    wide = wide.reindex(columns=list(names)).astype("float64")
    wide.columns = pd.Index([str(c) for c in wide.columns], name="ticker", dtype=object)
    wide.index = pd.DatetimeIndex(wide.index, name="date").astype("datetime64[ns]")
    return wide


def closes(tickers: str | Iterable[str], start=None, end=None, *, adjusted: bool = True,
           source: str = "auto") -> pd.DataFrame:
    """Daily closes as a date x ticker frame.

    Parameters
    ----------
    tickers : str or iterable of str
        E.g. ``"BABA"`` or ``["BABA", "SPY"]`` (normalised, repeats dropped; columns keep
        the order given).
    start, end : date-like, optional
        Inclusive session dates; default the whole data held.
    adjusted : bool
        ``True``: total-return closes (``adj_close``, dividends reinvested where they are
        known); ``False``: raw closes (split-adjusted as stored).
    source : {"auto", "snapshot", "cache", "live"}
        Where bars come from, as in :func:`load_prices`.

    Returns
    -------
    DataFrame
        Closes in currency units (float64), index ``date`` (tz-naive ``datetime64[ns]``
        session dates), one column per ticker (columns named ``ticker``). Filler bars and
        sessions a ticker lacks are NaN. A range without sessions gives a 0-row frame that
        still has every ticker column. ``attrs["dividends_known_through"]`` ({ticker:
        Timestamp}) says through which date dividends are recorded: after it ``adjusted``
        closes are price-only (see :func:`load_prices`).

    Raises
    ------
    InvalidTickerError, UnknownTickerError, NoDataError, OutOfRangeError, DateRangeError,
    LiveDataError, DataFileError, DataValidationError, InvalidOptionError
        As :func:`load_prices`. In ``auto`` mode a failed live fetch for part of the range
        is a :class:`MissingDataWarning` (ticker, missing range, short cause) instead.
    """
    long, names, known = _load_long(tickers, start, end, source, "missing")
    out = _wide(long, names, "adj_close" if adjusted else "close")
    out.attrs["dividends_known_through"] = dict(known)
    return out


def returns(tickers: str | Iterable[str], start=None, end=None, *, kind: str = "simple",
            adjusted: bool = True, source: str = "auto") -> pd.DataFrame:
    """Daily returns as a date x ticker frame, in decimal (0.129 = +12.9 %).

    Parameters
    ----------
    tickers : str or iterable of str
        E.g. ``"BABA"`` or ``["BABA", "SPY"]`` (normalised, repeats dropped; columns keep
        the order given).
    start, end : date-like, optional
        Inclusive session dates of the returns; default the whole data held.
    kind : {"simple", "log"}
        ``simple``: ``p_t / p_{t-1} - 1``; ``log``: ``ln(p_t / p_{t-1})``.
    adjusted : bool
        ``True``: total-return closes (dividends reinvested where known), so an ex-dividend
        day is not a loss; ``False``: raw closes.
    source : {"auto", "snapshot", "cache", "live"}
        Where bars come from, as in :func:`load_prices`.

    Returns
    -------
    DataFrame
        Decimal returns (float64), index ``date`` (tz-naive ``datetime64[ns]`` session
        dates), one column per ticker. The return on date ``t`` uses the previous session's
        close (loaded even when it falls before ``start``); it is NaN next to a missing or
        filler bar and on the first session of the data, never 0. A range without sessions
        gives a 0-row frame with every ticker column. ``attrs["dividends_known_through"]``
        ({ticker: Timestamp}) gives the last date with known dividends, after which adjusted
        returns are price-only.

    Raises
    ------
    InvalidOptionError
        ``kind``, ``source`` outside the allowed values.
    InvalidTickerError, UnknownTickerError, NoDataError, OutOfRangeError, DateRangeError,
    LiveDataError, DataFileError, DataValidationError
        As :func:`load_prices`; in ``auto`` mode a failed live fetch for part of the range is
        a :class:`MissingDataWarning` instead.
    """
    _check_option("kind", kind, RETURN_KINDS)
    long, names, known = _load_long(tickers, start, end, source, "missing", lookback=1)
    prices = _wide(long, names, "adj_close" if adjusted else "close")
    ratio = prices / prices.shift(1)
    out = np.log(ratio) if kind == "log" else ratio - 1.0
    if start is not None:
        out = out[out.index >= to_date(start, "start")]
    out.attrs["dividends_known_through"] = dict(known)
    return out


# --------------------------------------------------------------------------- reports
def _cached_tickers() -> list[str]:
    folder = cache_dir()
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.csv") if not path.name.startswith("."))


def data_quality_report(tickers: str | Iterable[str] | None = None, *,
                        source: str = "snapshot") -> pd.DataFrame:
    """Issues of every ticker's bars (see :func:`validate_bars`), one row per issue.

    Parameters
    ----------
    tickers : str, iterable of str or None
        Tickers to check; ``None``: every snapshot ticker (every cached ticker for
        ``source="cache"``).
    source : {"snapshot", "cache", "auto", "live"}
        ``snapshot`` (default) or ``cache``: each file as stored (results cached per file
        content). ``auto`` / ``live``: the merged bars :func:`load_prices` would use (cache
        over snapshot; ``live`` fetches first).

    Returns
    -------
    DataFrame
        Columns ``ticker, date, check, severity, detail``: ``date`` a tz-naive
        ``datetime64[ns]`` session date, ``severity`` ``"error"`` or ``"warning"``; the
        checks are listed in :func:`validate_bars`. Tickers in the order asked, each sorted by
        date. No issue: an empty frame with those columns.

    Raises
    ------
    InvalidOptionError
        ``source`` outside the allowed values.
    InvalidTickerError
        A malformed ticker.
    UnknownTickerError
        ``source="snapshot"`` and the ticker has no snapshot file.
    NoDataError
        ``source="cache"`` and nothing (or nothing for that ticker) is cached.
    DataFileError
        A file is malformed or unreadable (names the path and line).
    LiveDataError
        ``source="live"`` and the fetch failed.
    """
    _check_option("source", source, SOURCES)
    if tickers is None:
        names = _cached_tickers() if source == "cache" else list(TICKERS)
        if not names:
            raise NoDataError(f"no cached prices in {cache_dir()}")
    else:
        names = normalize_tickers(tickers)
    parts = []
    for name in names:
        if source in ("snapshot", "cache"):
            entry = (_read_file(_snapshot_path(name), name) if source == "snapshot"
                     else _read_cache(name))
            if entry is None:
                if source == "snapshot":
                    raise UnknownTickerError(name, TICKERS)
                raise NoDataError(f"no cached prices for {name} in {cache_dir()}")
            parts.append(entry.issues)
        else:
            bars, _ = _resolve([name], None, None, source)[name]
            parts.append(validate_bars(bars, name))
    report = pd.concat(parts, ignore_index=True)
    return report.loc[:, list(ISSUE_COLUMNS)]


def _sources_table() -> pd.DataFrame:
    path = resource("sources.csv")
    table = read_text_csv(path, "the provenance table")
    needed = {"ticker", "price_basis", "dividends_known_through", "source_repository",
              "source_path", "source_commit"}
    if not needed <= set(table.columns):
        raise DataFileError(path, f"missing column(s) {', '.join(sorted(needed - set(table.columns)))}",
                            line=1)
    return table.set_index("ticker")


def snapshot_info() -> pd.DataFrame:
    """One row per snapshot ticker: coverage, provenance and file hash.

    Returns
    -------
    DataFrame
        ``ticker, first_session, last_session`` (Timestamps, from the file), ``rows``,
        ``price_basis`` and ``dividends_known_through`` (from ``data/sources.csv``; dividends
        after that date are unknown, so ``adj_close`` is price-only there), ``source``
        (``repository path@commit``), ``sha256`` (first 12 hex digits of the file's SHA-256).
        Session dates are tz-naive ``datetime64[ns]``; tickers in :data:`TICKERS` order.

    Raises
    ------
    DataFileError
        ``data/sources.csv`` or a snapshot file is unreadable or malformed (names the path).
    DataValidationError
        A snapshot file breaks a hard rule (duplicate dates, high < low...).
    """
    table = _sources_table()
    rows = []
    for name in TICKERS:
        entry = _read_file(_snapshot_path(name), name)
        if entry is None:
            continue
        bars = _checked(entry)
        meta = table.loc[name] if name in table.index else None
        known = meta["dividends_known_through"] if meta is not None else ""
        rows.append({
            "ticker": name,
            "first_session": bars["date"].iloc[0],
            "last_session": bars["date"].iloc[-1],
            "rows": len(bars),
            "price_basis": meta["price_basis"] if meta is not None else "",
            "dividends_known_through": pd.Timestamp(known) if known else pd.NaT,
            "source": (f"{meta['source_repository']} {meta['source_path']}@{meta['source_commit']}"
                       if meta is not None else ""),
            "sha256": entry.sha256[:12],
        })
    info = pd.DataFrame(rows, columns=["ticker", "first_session", "last_session", "rows",
                                       "price_basis", "dividends_known_through", "source", "sha256"])
    for column in ("first_session", "last_session", "dividends_known_through"):
        info[column] = info[column].astype("datetime64[ns]")
    return info
