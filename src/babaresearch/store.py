"""The on-disk price cache: one self-verifying file per ticker, committed in one step.

Layout (in :func:`cache_dir`)
-----------------------------
``<T>.csv``
    The cache of ticker ``T``. Its first line is a header note, ``#babaresearch-cache``
    followed by JSON: ``format`` (2), ``ticker``, ``sha256`` (of every byte after that line),
    ``split_adjusted_through`` (the date through which the rows are split-adjusted, see
    :mod:`babaresearch.adjust`), ``first_session``, ``last_session``, ``rows``, ``source`` and
    ``updated_utc``. The rest is a price CSV (``date, open, high, low, close, volume, dividend,
    split``); ``pandas.read_csv(path, comment="#")`` reads it.
``<T>.csv.lock``
    The lock file of :mod:`filelock`, serialising writers of one ticker across processes (and
    on Windows, where the former ``fcntl`` lock did nothing).

Commit
------
A write is one ``os.replace`` of a fully written, fsynced temporary file
(:func:`babaresearch.resources.atomic_write_text`), then an fsync of the folder. A crash or a
full disk at any point leaves either the old file or the new one, both self-consistent; the
only debris is a temporary ``.<T>.csv.*.tmp`` file. Every writer, holding the lock, first
removes such debris of dead writers, and moves a cache file whose content no longer matches
its own note (damaged on disk) aside as ``<T>.csv.damaged-<UTC time>`` with a
:class:`CacheWarning` before writing, so one damaged file never blocks the cache for good.
Readers need no lock: they see one committed file or another.

Trust
-----
A cache file is served only when its note names the ticker and its content matches the note's
hash. A file written by another tool or copied from another ticker is refused with
:class:`ForeignCacheError` (a :class:`~babaresearch.errors.DataFileError` naming the file) and
never rewritten or deleted. Caches of the previous layout (a bare CSV plus ``<T>.meta.json``
holding its hash) are still read when the note vouches for them, and are converted on the next
write.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import os
import warnings
from pathlib import Path

import pandas as pd

from .adjust import STORE_COLUMNS, merge_bars
from .barfiles import FileBars, bars_from_bytes, file_state
from .errors import DataFileError, DataValidationError
from .resources import atomic_write_text
from .validation import first_error

__all__ = ["CACHE_ENV", "CacheWarning", "ForeignCacheError", "PriceBasisWarning", "cache_dir",
           "cache_path", "read_cache", "write_cache", "checked", "cached_tickers"]

CACHE_ENV = "BABARESEARCH_CACHE"
CACHE_APP_NAME = "babaresearch"
#: First characters of a cache file's header line.
HEADER_PREFIX = b"#babaresearch-cache "
#: Layout version written in the header.
CACHE_FORMAT = 2
#: Longest wait for another process's write of the same ticker, in seconds.
LOCK_TIMEOUT_SECONDS = 60.0


class ForeignCacheError(DataFileError):
    """A cache CSV that its note does not vouch for: no note, another ticker's, or another
    content hash (copied, edited or truncated). A :class:`DataFileError` naming the file."""


class CacheWarning(UserWarning):
    """The on-disk cache could not be used (unreadable, foreign, damaged or not writable); the
    snapshot and freshly fetched data are served instead, and a foreign file is left alone."""


class PriceBasisWarning(UserWarning):
    """Two sources disagree on bars they both hold even after split adjustment (an unrecorded
    split, or prices of another ticker): the source with the later split basis is served."""


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


def cache_path(ticker: str) -> Path:
    """``<cache_dir>/<T>.csv``."""
    return cache_dir() / f"{ticker}.csv"


def _legacy_meta_path(ticker: str) -> Path:
    return cache_dir() / f"{ticker}.meta.json"


def lock_path(ticker: str) -> Path:
    """``<cache_dir>/<T>.csv.lock``."""
    return cache_dir() / f"{ticker}.csv.lock"


def cached_tickers() -> list[str]:
    """Tickers with a cache file, sorted."""
    folder = cache_dir()
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.csv") if not path.name.startswith("."))


# --------------------------------------------------------------------------- reading
class DamagedCacheError(ForeignCacheError):
    """A cache file of ours whose content no longer matches its own note (cut short or changed
    on disk). Writers move it aside; readers refuse it like a foreign file."""


def _entry(bars: FileBars, basis: pd.Timestamp) -> FileBars:
    return dataclasses.replace(bars, split_basis=basis)


def _header(line: bytes, path: str) -> dict:
    try:
        note = json.loads(line[len(HEADER_PREFIX):].decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ForeignCacheError(path, f"damaged header note (not JSON: {exc})", line=1) from None
    if not isinstance(note, dict):
        raise ForeignCacheError(path, "damaged header note (not a JSON object)", line=1)
    return note


def _basis(text: object, fallback: pd.Timestamp) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(str(text)[:10]) if text else pd.NaT
    except (ValueError, TypeError):
        stamp = pd.NaT
    return fallback if pd.isna(stamp) else stamp.normalize()


_PARSED: dict[tuple, FileBars] = {}
_PARSED_MAX = 64


def _parse_cache_file(key: tuple[str, int, int, int], ticker: str) -> FileBars:
    """Read, verify and parse one cache file (memoised on its state)."""
    cached = _PARSED.get((key, ticker))
    if cached is not None:
        return cached
    path = key[0]
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DataFileError(path, f"cannot read: {exc.strerror or exc}") from None
    if data.startswith(HEADER_PREFIX):
        newline = data.find(b"\n")
        line, body = (data, b"") if newline < 0 else (data[:newline], data[newline + 1:])
        note = _header(line.rstrip(b"\r"), path)
        if str(note.get("ticker", "")).upper() != ticker:
            raise ForeignCacheError(path, f"its note says it holds {note.get('ticker')!r} prices, "
                                          f"not {ticker}", line=1)
        if note.get("sha256") != hashlib.sha256(body).hexdigest():
            raise DamagedCacheError(path, "content differs from the SHA-256 in its own header "
                                          "note (cut short or changed on disk)")
        entry = bars_from_bytes(body, path, ticker, line_offset=1)
        last = entry.bars["date"].max()
        entry = _entry(entry, _basis(note.get("split_adjusted_through"), last))
    else:
        entry = _legacy(data, path, ticker)
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    _PARSED[(key, ticker)] = entry
    return entry


def _legacy(data: bytes, path: str, ticker: str) -> FileBars:
    """A cache of the previous layout: bare CSV vouched for by ``<T>.meta.json``."""
    meta_path = Path(path).with_name(f"{ticker}.meta.json")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        meta = None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(meta_path, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    except ValueError as exc:
        raise DataFileError(meta_path, f"not valid JSON: {exc}") from None
    entry = bars_from_bytes(data, path, ticker)  # malformed files name their line first
    if meta is None:
        raise ForeignCacheError(path, f"no header note and no {meta_path.name} beside it, so "
                                      f"nothing says these are {ticker} prices (written by hand "
                                      "or by another tool?); move it away and fetch again")
    if not isinstance(meta, dict) or str(meta.get("ticker", "")).upper() != ticker:
        named = meta.get("ticker") if isinstance(meta, dict) else None
        raise ForeignCacheError(path, f"{meta_path.name} says it holds {named!r} prices, not {ticker}")
    if meta.get("sha256") != entry.sha256:
        raise ForeignCacheError(path, f"content differs from the SHA-256 recorded in "
                                      f"{meta_path.name} (edited, truncated or copied from another "
                                      "file); move it away and fetch again")
    last = entry.bars["date"].max()
    return _entry(entry, _basis(meta.get("updated_utc"), last))


def read_cache(ticker: str) -> FileBars | None:
    """The ticker's verified cache file; None when there is none.

    The entry's ``split_basis`` is the note's ``split_adjusted_through`` (a legacy cache: the
    day it was written).

    Raises
    ------
    DataFileError
        Unreadable or malformed (names the file and line).
    ForeignCacheError
        The file's note is missing, names another ticker or another content hash
        (:class:`DamagedCacheError` when our own note no longer matches the content).
    """
    path = cache_path(ticker)
    try:
        key = file_state(path)
    except FileNotFoundError:
        return None
    except OSError as exc:  # e.g. the cache "folder" is a file: NotADirectoryError
        raise DataFileError(path, f"cannot read: {exc.strerror or exc}") from None
    return _parse_cache_file(key, ticker)


def checked(entry: FileBars) -> pd.DataFrame:
    """Storage bars of a file after refusing hard validation errors; sorted by date.

    Raises
    ------
    DataValidationError
        The first hard error (duplicate date, high < low...), naming the ticker, date and file.
    """
    found = first_error(entry.issues)
    if found is not None:
        first, count = found
        more = f" (and {count - 1} more)" if count > 1 else ""
        raise DataValidationError(entry.ticker, f"{first['check']}: {first['detail']} in "
                                  f"{entry.path}{more}", date=first["date"].date())
    bars = entry.bars
    if not bars["date"].is_monotonic_increasing:
        bars = bars.sort_values("date", kind="stable", ignore_index=True)
    return bars


# --------------------------------------------------------------------------- writing
def store_to_csv(bars: pd.DataFrame) -> str:
    """CSV text of storage bars (whole-share volumes, repr floats)."""
    out = bars.reindex(columns=list(STORE_COLUMNS)).copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    out["volume"] = out["volume"].round().astype("Int64")  # missing volume stays empty
    return out.to_csv(index=False, lineterminator="\n")


def cache_text(ticker: str, bars: pd.DataFrame, basis: pd.Timestamp, *,
               source: str = "yfinance") -> str:
    """The whole cache file: header note, then the CSV it vouches for."""
    body = store_to_csv(bars)
    note = {
        "format": CACHE_FORMAT,
        "ticker": ticker,
        "sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
        "split_adjusted_through": basis.strftime("%Y-%m-%d") if not pd.isna(basis) else "",
        "first_session": bars["date"].iloc[0].strftime("%Y-%m-%d"),
        "last_session": bars["date"].iloc[-1].strftime("%Y-%m-%d"),
        "rows": len(bars),
        "source": source,
        "updated_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
    return HEADER_PREFIX.decode() + json.dumps(note, separators=(",", ":")) + "\n" + body


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _clean_debris(ticker: str) -> list[Path]:
    """Remove temporary files dead writers of ``ticker`` left (we hold the lock: none is live)."""
    removed = []
    for temp in cache_dir().glob(f".{ticker}.csv.*.tmp"):
        try:
            temp.unlink()
            removed.append(temp)
        except OSError:
            pass
    return removed


def _quarantine(path: Path, reason: str) -> Path:
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    os.replace(path, aside)
    warnings.warn(f"{path}: {reason}; moved aside to {aside.name} and rewritten from the "
                  "fetched bars", CacheWarning, stacklevel=5)
    return aside


def _lock(ticker: str):
    import filelock

    path = lock_path(ticker)
    path.parent.mkdir(parents=True, exist_ok=True)
    return filelock.FileLock(str(path), timeout=LOCK_TIMEOUT_SECONDS)


def write_cache(ticker: str, fetched: pd.DataFrame, basis: pd.Timestamp):
    """Merge freshly fetched bars into the ticker's cache file and commit it in one step.

    Parameters
    ----------
    ticker : str
        Normalised ticker.
    fetched : DataFrame
        Storage bars of one live answer.
    basis : Timestamp
        Date through which ``fetched`` is split-adjusted (the day it was fetched).

    Returns
    -------
    babaresearch.adjust.Merge
        The merged bars now on disk, their basis and the splits applied.

    Raises
    ------
    DataFileError
        The cache cannot be written (read-only, disk full, its folder is a file, the lock is
        held for more than 60 s), naming the path; or the existing file is malformed or
        foreign (:class:`ForeignCacheError`): it is then left exactly as it is.
    DataValidationError
        The existing file breaks a hard rule (left as it is).
    """
    import filelock

    path = cache_path(ticker)
    try:
        with _lock(ticker):
            _clean_debris(ticker)
            try:
                existing = read_cache(ticker)
            except DamagedCacheError as exc:
                _quarantine(path, str(exc).split(": ", 1)[-1])
                existing = None
            base = checked(existing) if existing is not None else None
            base_basis = existing.split_basis if existing is not None else pd.NaT
            merged = merge_bars(base, base_basis, fetched, basis)
            atomic_write_text(path, cache_text(ticker, merged.bars, merged.basis))
            _fsync_folder(path.parent)
            _legacy_meta_path(ticker).unlink(missing_ok=True)  # converted: the header vouches now
    except filelock.Timeout:
        raise DataFileError(lock_path(ticker), f"another process has held the cache lock for "
                                               f"{LOCK_TIMEOUT_SECONDS:.0f} s") from None
    except OSError as exc:  # read-only folder, disk full, cache path is a file...
        where = exc.filename or path
        raise DataFileError(where, f"cannot write the price cache: {exc.strerror or exc}") from None
    return merged
