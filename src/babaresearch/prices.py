"""Daily price bars: embedded snapshot, on-disk cache, live yfinance, total-return adjustment.

This module is the public face of the price data; each concept lives in its own module:

* :mod:`babaresearch.barfiles` parses a price CSV (through the one CSV reader,
  :mod:`babaresearch.csvio`) once per file content;
* :mod:`babaresearch.validation` checks bars (:func:`validate_bars`);
* :mod:`babaresearch.adjust` computes the dividend adjustment and merges row sets on one split
  basis, so a split is applied exactly once;
* :mod:`babaresearch.store` is the on-disk cache: one self-verifying file per ticker,
  committed with one atomic replace under a :mod:`filelock` lock;
* :mod:`babaresearch.yahoo` is the live source (yfinance) with retries and a total deadline.

Three stores feed :func:`load_prices`:

* the **snapshot** vendored in ``data/prices/<TICKER>.csv`` (read-only, provenance in
  ``data/sources.csv``: among others ``dividends_known_through`` and
  ``split_adjusted_through``; documented repairs in ``data/repairs.csv``);
* the **cache** (:func:`cache_dir`), written after every successful live fetch;
* **live** prices from yfinance (:func:`fetch_live`), one ``Ticker.history`` call per ticker,
  only up to the last *completed* NYSE session (a session counts once its close has passed in
  New York), so an unfinished bar is never cached.

Stored bars are *raw*: split-adjusted as of their basis, never dividend-adjusted. ``adj_close``
is computed here, the way Yahoo does it (:func:`adjustment_factors`). An empty dividend cell
means *unknown* and adjusts nothing; ``snapshot_info()`` says up to which date each ticker's
dividends are known.

The names tests replace (``_now``, ``_sleep``, ``_yf_history``) are looked up here at call
time, so replacing them on this module is enough.
"""

from __future__ import annotations

import numbers
import time
import warnings
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from . import store as _store
from . import yahoo as _yahoo
from .adjust import STORE_COLUMNS as _STORE_COLUMNS
from .adjust import adjustment_factors, empty_store, merge_bars
from .barfiles import file_state, parse_bars, read_bar_file
from .csvio import Column, Schema, read_table
from .dates import MARKET_TZ, to_date, to_date_range
from .errors import (
    BabaResearchError,
    DataFileError,
    DataValidationError,
    InvalidOptionError,
    InvalidTickerError,
    LiveDataError,
    NoDataError,
    OutOfRangeError,
    UnknownTickerError,
)
from .resources import atomic_write_text, resource
from .store import CacheWarning, ForeignCacheError, PriceBasisWarning, cache_dir, checked
from .tickers import BENCHMARKS, SNAPSHOT_TICKERS, normalize_ticker, normalize_tickers
from .validation import ISSUE_COLUMNS, PLACEHOLDER_VOLUMES, PRICE_COLUMNS, glitch_masks, validate_bars
from .yahoo import (
    CAUSE_MAX_CHARS,
    LIVE_BACKOFF_SECONDS,
    LIVE_DEADLINE_SECONDS,
    LIVE_RETRIES,
    LIVE_TIMEOUT_SECONDS,
    MissingDataWarning,
    quiet_yfinance,
    summarize_exception,
)

__all__ = [
    "BENCHMARKS",
    "TICKERS",
    "InvalidOptionError",
    "CacheWarning",
    "ForeignCacheError",
    "MissingDataWarning",
    "PriceBasisWarning",
    "adjustment_factors",
    "cache_dir",
    "closes",
    "data_quality_report",
    "fetch_live",
    "file_state",
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
#: Columns of :func:`fetch_live` (raw bars; ``dividend`` in currency units per share).
LIVE_COLUMNS: tuple[str, ...] = ("date", "ticker", "open", "high", "low", "close", "volume", "dividend")

SOURCES: tuple[str, ...] = ("auto", "snapshot", "cache", "live")
FILLER_MODES: tuple[str, ...] = ("missing", "keep", "drop")
RETURN_KINDS: tuple[str, ...] = ("simple", "log")

#: First session of the embedded snapshot; the default start of a live fetch.
SNAPSHOT_FIRST_SESSION = pd.Timestamp("2023-01-03")
CACHE_ENV = _store.CACHE_ENV
CACHE_APP_NAME = _store.CACHE_APP_NAME
#: Provenance table and documented repairs, inside the data folder.
SOURCES_FILE = "sources.csv"
REPAIRS_FILE = "repairs.csv"

# Tests replace these (looked up at call time): the pause between retries, "now" as a
# tz-aware timestamp, the one yfinance call, and the monotonic clock of the live deadline.
_sleep: Callable[[float], None] = time.sleep
_yf_history = _yahoo.history
_clock: Callable[[], float] = time.monotonic


def _now_new_york() -> pd.Timestamp:
    return pd.Timestamp.now(tz=MARKET_TZ)


_now: Callable[[], pd.Timestamp] = _now_new_york


def _check_option(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InvalidOptionError(name, value, allowed)
    return value


def _check_flag(name: str, value: object) -> bool:
    """A keyword that must be a real bool (``adjusted="no"`` would otherwise read as True)."""
    if not isinstance(value, (bool, np.bool_)):
        raise InvalidOptionError(name, value, (True, False))
    return bool(value)


def _snapshot_path(ticker: str):
    return resource("prices", f"{ticker}.csv")


def _cache_path(ticker: str):
    return _store.cache_path(ticker)


def _parse_bars(data: bytes, path: str) -> pd.DataFrame:
    """Storage bars of price-file bytes (see :func:`babaresearch.barfiles.parse_bars`)."""
    return parse_bars(data, path)


def _today_new_york() -> pd.Timestamp:
    """Today's New York calendar day: the split basis of a live answer fetched now."""
    stamp = pd.Timestamp(_now())
    stamp = stamp.tz_localize(MARKET_TZ) if stamp.tzinfo is None else stamp.tz_convert(MARKET_TZ)
    return stamp.normalize().tz_localize(None)


def _merge_store(base: pd.DataFrame | None, newer: pd.DataFrame | None, *,
                 base_basis: pd.Timestamp = pd.NaT, newer_basis: pd.Timestamp = pd.NaT) -> pd.DataFrame:
    """Union of two storage frames by date on one split basis (see
    :func:`babaresearch.adjust.merge_bars`); NaT bases are "unknown"."""
    return merge_bars(base, base_basis, newer, newer_basis).bars


def _write_cache(ticker: str, fetched: pd.DataFrame, basis: pd.Timestamp | None = None) -> pd.DataFrame:
    """Merge freshly fetched bars (split-adjusted as of ``basis``, default today) into the
    ticker's cache file; returns the merged bars (see :func:`babaresearch.store.write_cache`)."""
    merged = _store.write_cache(ticker, fetched, _today_new_york() if basis is None else basis)
    _warn_disagreement(ticker, merged, "the cache", "the fetched bars")
    return merged.bars


def _warn_disagreement(ticker: str, merged, older: str, newer: str) -> None:
    if merged.disagreements:
        warnings.warn(f"{ticker}: {older} and {newer} disagree on {merged.disagreements} "
                      f"shared session(s) even after split adjustment (first "
                      f"{merged.first_disagreement.date()}): an unrecorded split or another "
                      "ticker's prices? The source with the later split basis is served",
                      PriceBasisWarning, stacklevel=4)


# --------------------------------------------------------------------------- snapshot
_SOURCES_SCHEMA = Schema(
    columns=(
        Column("ticker"),
        Column("price_basis"),
        Column("dividends_known_through", "date", empty="allow"),
        Column("split_adjusted_through", "date", required=False, empty="allow"),
        Column("source_repository"),
        Column("source_path"),
        Column("source_commit"),
        Column("extension_repository", required=False, empty="allow"),
        Column("extension_path", required=False, empty="allow"),
        Column("extension_commit", required=False, empty="allow"),
        Column("extension_sessions", required=False, empty="allow"),
    ),
    what="the provenance table",
)

_REPAIRS_SCHEMA = Schema(
    columns=(
        Column("ticker"),
        Column("date", "date"),
        Column("column"),
        Column("old_value"),
        Column("new_value"),
        Column("check"),
        Column("source"),
    ),
    what="the repairs table",
)


def _sources_table() -> pd.DataFrame:
    path = resource(SOURCES_FILE)
    table = read_table(path, _SOURCES_SCHEMA)
    frame = pd.DataFrame({name: list(values) for name, values in table.values.items()})
    frame["line"] = table.lines
    return frame.set_index("ticker")


def _split_basis(name: str, entry) -> pd.Timestamp:
    """Date through which the snapshot file of ``name`` is split-adjusted."""
    last = pd.Timestamp(entry.bars["date"].max())
    try:
        table = _sources_table()
    except DataFileError:
        return last  # the file itself still loads; snapshot_info() reports the table's defect
    if name in table.index and not pd.isna(table.loc[name, "split_adjusted_through"]):
        return pd.Timestamp(table.loc[name, "split_adjusted_through"])
    return last  # documented default: split-adjusted as of its last session


def _snapshot_entry(name: str):
    entry = read_bar_file(_snapshot_path(name), name)
    if entry is None:
        return None
    import dataclasses

    return dataclasses.replace(entry, split_basis=_split_basis(name, entry))


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


def _fetch_many(requests: list[tuple[str, pd.Timestamp, pd.Timestamp]], *, retries: int,
                sleep: Callable[[float], None] | None, progress: bool | None,
                write_cache: bool) -> tuple[dict[str, list[pd.DataFrame]], dict[str, LiveDataError]]:
    """Run several (ticker, start, end) downloads within one total deadline.

    Returns (bars per ticker, errors per ticker). Every answer is split-adjusted as of today
    (New York). Once the deadline has passed, the remaining requests fail at once with the
    same "network unreachable" cause, without a network call.
    """
    pause = sleep if sleep is not None else _sleep
    show = len(requests) > 1 if progress is None else progress
    iterator: Iterable = requests
    if show:
        from tqdm.auto import tqdm

        iterator = tqdm(requests, desc="yfinance", unit="ticker", leave=False)
    fetched: dict[str, list[pd.DataFrame]] = {}
    failed: dict[str, LiveDataError] = {}
    deadline = _clock() + LIVE_DEADLINE_SECONDS
    basis = _today_new_york()
    for ticker, start, end in iterator:
        try:
            bars = _yahoo.download(ticker, start, end, retries=retries, sleep=pause,
                                   history_call=_yf_history, deadline=deadline,
                                   deadline_seconds=LIVE_DEADLINE_SECONDS, clock=_clock)
        except LiveDataError as exc:
            failed.setdefault(ticker, exc)
            continue
        if write_cache:
            _write_cache(ticker, bars, basis)
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
        Extra attempts (>= 0) after a rate limit (``YFRateLimitError``) or a timeout; pauses
        of 2, 4, 8... seconds in between. The whole call (all tickers, attempts and pauses)
        stops after ``LIVE_DEADLINE_SECONDS`` (60 s) with "network unreachable: no answer
        from Yahoo within the 60 s deadline".
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
    InvalidOptionError
        ``retries`` is not an integer >= 0, ``write_cache`` not a bool.
    DataFileError
        The cache cannot be written (naming the path) or its existing file is malformed or
        foreign (see :func:`load_prices`); the file is left untouched.
    """
    names = normalize_tickers(tickers)
    if isinstance(retries, bool) or not isinstance(retries, numbers.Integral) or retries < 0:
        raise InvalidOptionError("retries", retries, ("an integer >= 0",))
    _check_flag("write_cache", write_cache)
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
    fetched, failed = _fetch_many([(name, start_ts, end_ts) for name in names], retries=int(retries),
                                  sleep=sleep, progress=progress, write_cache=write_cache)
    if failed:
        first = next(iter(failed))
        if len(failed) == 1:
            raise failed[first]  # already names the ticker, the range and the cause
        details = "; ".join(_yahoo.safe_text(exc) for exc in failed.values())
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
            entry = _snapshot_entry(name)
            if entry is None:
                raise UnknownTickerError(name, TICKERS)
            result[name] = (checked(entry), "snapshot")
        return result
    if source == "cache":
        for name in names:
            entry = _store.read_cache(name)
            if entry is None:
                raise NoDataError(f"no cached prices for {name} in {cache_dir()} "
                                  "(fetch them with source='live' first)")
            result[name] = (checked(entry), "cache")
        return result
    if source == "live":
        fetch_live(names, start, end)  # raises LiveDataError naming the failed tickers
        for name in names:
            entry = _store.read_cache(name)
            result[name] = (checked(entry), "cache")  # type: ignore[arg-type]
        return result
    # auto: cache over snapshot, live only for explicit ranges they do not cover
    complete = _last_complete_session()
    requests: list[tuple[str, pd.Timestamp, pd.Timestamp]] = []
    cache_usable: dict[str, bool] = {}
    bases: dict[str, pd.Timestamp] = {}
    for name in names:
        snap = _snapshot_entry(name)
        try:
            cached = _store.read_cache(name)
            cached_bars = checked(cached) if cached is not None else None
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
        merged = merge_bars(checked(snap) if snap else None,
                            snap.split_basis if snap else pd.NaT,
                            cached_bars, cached.split_basis if cached is not None else pd.NaT)
        _warn_disagreement(name, merged, "the snapshot", "the cache")
        bars = merged.bars
        bases[name] = merged.basis
        label = "+".join(label for label, part in (("snapshot", snap), ("cache", cached)) if part)
        result[name] = (bars, label)
        requests += [(name, lo, hi) for lo, hi in _missing_pieces(bars, start, end, complete)]
    if not requests:
        return result
    live_basis = _today_new_york()
    fetched, failed = _fetch_many(requests, retries=LIVE_RETRIES, sleep=None, progress=None,
                                  write_cache=False)
    for name, pieces in fetched.items():
        bars, label = result[name]
        for piece in pieces:
            merged = merge_bars(bars, bases[name], piece, live_basis)
            _warn_disagreement(name, merged, f"the {label.replace('+', ' or ')} data",
                               "the fetched bars")
            bars, bases[name] = merged.bars, merged.basis
        result[name] = (bars, "+".join(filter(None, (label, "live"))))
        if not cache_usable[name]:
            continue
        try:
            for piece in pieces:
                _write_cache(name, piece, live_basis)
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
        is_filler, is_placeholder = glitch_masks(*(bars[n].to_numpy() for n in (*PRICE_COLUMNS, "volume")))
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
        A real bool (anything else is an :class:`InvalidOptionError`). ``True``: total-return closes (``adj_close``, dividends reinvested where they are
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
    _check_flag("adjusted", adjusted)
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
        ``kind``, ``source`` outside the allowed values, ``adjusted`` not a bool
        (``adjusted="no"`` would otherwise mean True).
    InvalidTickerError, UnknownTickerError, NoDataError, OutOfRangeError, DateRangeError,
    LiveDataError, DataFileError, DataValidationError
        As :func:`load_prices`; in ``auto`` mode a failed live fetch for part of the range is
        a :class:`MissingDataWarning` instead.
    """
    _check_option("kind", kind, RETURN_KINDS)
    _check_flag("adjusted", adjusted)
    long, names, known = _load_long(tickers, start, end, source, "missing", lookback=1)
    prices = _wide(long, names, "adj_close" if adjusted else "close")
    ratio = prices / prices.shift(1)
    out = np.log(ratio) if kind == "log" else ratio - 1.0
    if start is not None:
        out = out[out.index >= to_date(start, "start")]
    out.attrs["dividends_known_through"] = dict(known)
    return out


# --------------------------------------------------------------------------- reports
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
        checks are listed in :func:`validate_bars`; for ``source="snapshot"`` each documented
        repair of ``data/repairs.csv`` (a filler bar or placeholder volume of the first source
        replaced by a second source's real values) is listed too, as check ``repaired``
        (severity ``warning``) naming the old and new values and their source. Tickers in the
        order asked, each sorted by date. No issue: an empty frame with those columns.

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
        names = _store.cached_tickers() if source == "cache" else list(TICKERS)
        if not names:
            raise NoDataError(f"no cached prices in {cache_dir()}")
    else:
        names = normalize_tickers(tickers)
    parts = []
    for name in names:
        if source in ("snapshot", "cache"):
            entry = (_snapshot_entry(name) if source == "snapshot"
                     else _store.read_cache(name))
            if entry is None:
                if source == "snapshot":
                    raise UnknownTickerError(name, TICKERS)
                raise NoDataError(f"no cached prices for {name} in {cache_dir()}")
            parts.append(entry.issues)
            if source == "snapshot":
                parts.append(_repair_issues(name))
        else:
            bars, _ = _resolve([name], None, None, source)[name]
            parts.append(validate_bars(bars, name))
    report = pd.concat(parts, ignore_index=True)
    report = report.loc[:, list(ISSUE_COLUMNS)]
    order = {name: i for i, name in enumerate(names)}
    report = report.assign(_order=report["ticker"].map(order)).sort_values(
        ["_order", "date", "check"], kind="stable", ignore_index=True)
    return report.drop(columns="_order")


#: Check label of a documented repair in :func:`data_quality_report`.
REPAIRED_CHECK = "repaired"


def _repairs_table() -> pd.DataFrame:
    """``data/repairs.csv``: one row per repaired value (empty frame when the file is absent)."""
    path = resource(REPAIRS_FILE)
    columns = [c.name for c in _REPAIRS_SCHEMA.columns]
    if not path.exists():
        return pd.DataFrame(columns=columns)
    table = read_table(path, _REPAIRS_SCHEMA)
    frame = pd.DataFrame({name: list(table.values[name]) for name in columns})
    for line, ticker in zip(table.lines.tolist(), frame["ticker"]):
        try:
            normalize_ticker(ticker)
        except InvalidTickerError as exc:
            raise DataFileError(path, str(exc), line=line) from None
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    return frame


def _repair_issues(name: str) -> pd.DataFrame:
    """Warnings listing the documented repairs of ``name``'s snapshot file (one per day)."""
    repairs = _repairs_table()
    rows = []
    for day, group in repairs[repairs["ticker"].str.upper() == name].groupby("date", sort=True):
        checks = sorted(set(group["check"]))
        changes = "; ".join(f"{row.column} {row.old_value} -> {row.new_value}"
                            for row in group.itertuples(index=False))
        sources = "; ".join(sorted(set(group["source"])))
        rows.append((name, day, REPAIRED_CHECK, "warning",
                     f"was {' and '.join(checks)} in the first source; repaired from {sources}: "
                     f"{changes} (data/{REPAIRS_FILE})"))
    frame = pd.DataFrame(rows, columns=list(ISSUE_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    return frame


def snapshot_info() -> pd.DataFrame:
    """One row per snapshot ticker: coverage, provenance and file hash.

    Returns
    -------
    DataFrame
        ``ticker, first_session, last_session`` (Timestamps, from the file), ``rows``,
        ``price_basis`` and ``dividends_known_through`` (from ``data/sources.csv``; dividends
        after that date are unknown, so ``adj_close`` is price-only there),
        ``split_adjusted_through`` (the date through which the file's prices are
        split-adjusted; a later split rescales them when merged with newer data), ``source``
        (``repository path@commit``, then ``+`` the source of appended sessions and their
        range), ``sha256`` (first 12 hex digits of the file's SHA-256).
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
        entry = _snapshot_entry(name)
        if entry is None:
            continue
        bars = checked(entry)
        meta = table.loc[name] if name in table.index else None
        known = meta["dividends_known_through"] if meta is not None else pd.NaT
        extension = ""
        if meta is not None and meta.get("extension_repository", ""):
            extension = (f" + {meta['extension_repository']} {meta['extension_path']}"
                         f"@{meta['extension_commit']} ({meta['extension_sessions']})")
        rows.append({
            "ticker": name,
            "first_session": bars["date"].iloc[0],
            "last_session": bars["date"].iloc[-1],
            "rows": len(bars),
            "price_basis": meta["price_basis"] if meta is not None else "",
            "dividends_known_through": pd.Timestamp(known) if not pd.isna(known) else pd.NaT,
            "split_adjusted_through": entry.split_basis,
            "source": (f"{meta['source_repository']} {meta['source_path']}@{meta['source_commit']}"
                       f"{extension}" if meta is not None else ""),
            "sha256": entry.sha256[:12],
        })
    info = pd.DataFrame(rows, columns=["ticker", "first_session", "last_session", "rows",
                                       "price_basis", "dividends_known_through",
                                       "split_adjusted_through", "source", "sha256"])
    for column in ("first_session", "last_session", "dividends_known_through",
                   "split_adjusted_through"):
        info[column] = info[column].astype("datetime64[ns]")
    return info
