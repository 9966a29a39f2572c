"""Price files: parsing daily-bar CSVs into storage form, once per file content.

A price file (a snapshot file in ``data/prices/`` or the body of a cache file) has the columns
``date, open, high, low, close, volume`` and optionally ``dividend`` (empty = unknown) and
``split`` (the ratio going effective that day; BABA's and MCHI's files call it
``split_factor`` and write 1 on days without a split). It is read by the one CSV reader,
:func:`babaresearch.csvio.read_table`, so every defect names the file and the line, and then
validated with :func:`babaresearch.validation.validate_bars`.

Parsed files are kept per content (path, size, mtime and inode), so warm loads cost a
dictionary lookup.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .adjust import STORE_COLUMNS
from .csvio import Column, Schema, read_table
from .errors import DataFileError
from .validation import validate_bars

__all__ = ["BAR_SCHEMA", "FileBars", "file_state", "parse_bars", "read_bar_file"]

#: Columns of a price file: dates ``YYYY-MM-DD``; prices in currency units; volume in shares;
#: ``dividend`` (cash per share going ex that day) empty = unknown; ``split`` empty = none.
BAR_SCHEMA = Schema(
    columns=(
        Column("date", "date"),
        Column("open", "number"),
        Column("high", "number"),
        Column("low", "number"),
        Column("close", "number"),
        Column("volume", "number", empty="allow"),  # empty = not known (never 0)
        Column("dividend", "number", required=False, empty="allow"),
        Column("split", "number", required=False, empty="allow", aliases=("split_factor",)),
    ),
    what="price file",
    blank_lines="trailing",
)


@dataclass(frozen=True)
class FileBars:
    """One parsed and validated price file (immutable: shared through the parse cache).

    Attributes
    ----------
    path : str
    ticker : str
    sha256 : str
        Hex digest of the bytes parsed (for a cache file: of its body, after the header line).
    bars : DataFrame
        Storage form (:data:`babaresearch.adjust.STORE_COLUMNS`), rows in file order.
    issues : DataFrame
        :func:`validate_bars` of ``bars``.
    split_basis : Timestamp or NaT
        Date through which the rows are split-adjusted (see :mod:`babaresearch.adjust`); set
        by whoever knows it (the snapshot's provenance table, a cache file's note).
    """

    path: str
    ticker: str
    sha256: str
    bars: pd.DataFrame
    issues: pd.DataFrame
    split_basis: pd.Timestamp = pd.NaT


def parse_bars(data: bytes, path: str, *, line_offset: int = 0) -> pd.DataFrame:
    """Parse price-file bytes into storage form; every defect raises DataFileError with its line.

    Parameters
    ----------
    data : bytes
        The CSV text (header first).
    path : str
        The file, for messages.
    line_offset : int
        Lines of the real file before ``data`` (1 for a cache file's header line).

    Returns
    -------
    DataFrame
        :data:`~babaresearch.adjust.STORE_COLUMNS`; a file without ``dividend`` reads as all
        unknown (NaN), without ``split`` as none (NaN).

    Raises
    ------
    DataFileError
        See :func:`babaresearch.csvio.read_table`; also a file with a header but no rows.
    """
    table = read_table(data, BAR_SCHEMA, path=path, line_offset=line_offset)
    if not len(table):
        raise DataFileError(path, "no data rows", line=2 + line_offset)
    out = {name: table.values[name] for name in STORE_COLUMNS}
    if "dividend" not in table.present:
        out["dividend"] = np.full(len(table), np.nan)
    if "split" not in table.present:
        out["split"] = np.full(len(table), np.nan)
    return pd.DataFrame(out, columns=list(STORE_COLUMNS))


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


def bars_from_bytes(data: bytes, path: str, ticker: str, *, line_offset: int = 0) -> FileBars:
    """Parse and validate price-file bytes (no caching)."""
    bars = parse_bars(data, path, line_offset=line_offset)
    return FileBars(path=path, ticker=ticker, sha256=hashlib.sha256(data).hexdigest(),
                    bars=bars, issues=validate_bars(bars, ticker))


@lru_cache(maxsize=64)
def _read_cached(key: tuple[str, int, int, int], ticker: str) -> FileBars:
    # Only key[0] (the path) is read; the rest makes a rewritten file a new cache entry.
    path = key[0]
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DataFileError(path, f"cannot read: {exc.strerror or exc}") from None
    return bars_from_bytes(data, path, ticker)


def read_bar_file(path: Path, ticker: str) -> FileBars | None:
    """Parsed snapshot-style file, or None when it does not exist.

    Raises
    ------
    DataFileError
        The file is unreadable (its folder is a file...) or malformed (names the line).
    """
    try:
        key = file_state(path)
    except FileNotFoundError:
        return None
    except OSError as exc:  # e.g. the cache "folder" is a file: NotADirectoryError
        raise DataFileError(path, f"cannot read: {exc.strerror or exc}") from None
    return _read_cached(key, ticker)
