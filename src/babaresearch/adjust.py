"""Dividend and split adjustment of stored bars.

Dividends
---------
Stored bars are *raw*: never dividend-adjusted. ``adj_close`` is computed here, the way Yahoo
does it: for each ex-dividend date ``t`` with cash dividend ``D``, every close before ``t`` is
multiplied by ``1 - D / close[t-1]`` (cumulative product backwards). An empty dividend cell
means *unknown* and adjusts nothing.

Splits: the basis of a row set
------------------------------
Every stored row set (a snapshot file, a cache file, one live answer) is **split-adjusted as
of one date, its basis**: a split effective on or before the basis is already reflected in
every row, a later one is not. The snapshot's basis is recorded per ticker in
``data/sources.csv`` (``split_adjusted_through``, its last session); a cache file records its
own in its header line; a live answer from Yahoo is split-adjusted as of the day it was fetched
(New York calendar day), and carries each split's ratio on the split day (``Stock Splits`` 10.0
for NVIDIA's 10-for-1 of 2024-06-10).

:func:`merge_bars` joins two row sets. Only the one with the **older** basis is rescaled, and
only for splits effective **after** its basis and on or before the other's (prices and
dividends divided by the ratio, volumes multiplied). Before a rescale, bars both sets hold
before the split are compared: when they already agree, the older set had seen the split after
all and is left alone; this is how a split is never applied twice, whatever the recorded basis
says. Where both sets hold a date, the one with the later basis wins (the newer source on a
tie).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["STORE_COLUMNS", "adjustment_factors", "split_ratios", "merge_bars", "Merge",
           "empty_store"]

#: Storage form of one ticker's bars, in memory and in cache files. ``split`` is the split
#: ratio going effective that day (4.0 = 4:1); 0, 1 or empty = none.
STORE_COLUMNS: tuple[str, ...] = ("date", "open", "high", "low", "close", "volume", "dividend",
                                  "split")
PRICE_COLUMNS: tuple[str, ...] = ("open", "high", "low", "close")
#: Two overlapping closes "agree" when they differ by less than this fraction (rounding of
#: two sources is a cent; a split is a factor of 1.5 or more).
OVERLAP_RTOL = 0.02


def empty_store() -> pd.DataFrame:
    """A storage frame with no rows (``date`` is ``datetime64[ns]``, the rest float64)."""
    frame = pd.DataFrame({name: pd.Series(dtype="float64") for name in STORE_COLUMNS})
    frame["date"] = frame["date"].astype("datetime64[ns]")
    return frame


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


def split_ratios(bars: pd.DataFrame | None) -> pd.Series:
    """Split ratios by date (only real splits: finite, positive, not 1; 0 means none)."""
    if bars is None or "split" not in bars.columns or bars.empty:
        return pd.Series(dtype="float64")
    ratios = bars["split"].to_numpy(dtype="float64")
    real = np.isfinite(ratios) & (ratios > 0) & ~np.isclose(ratios, 1.0)
    return pd.Series(ratios[real], index=pd.DatetimeIndex(bars["date"].to_numpy()[real]))


@dataclass(frozen=True)
class Merge:
    """Result of :func:`merge_bars`.

    Attributes
    ----------
    bars : DataFrame
        Storage form, sorted by date, one row per date.
    basis : Timestamp or NaT
        The later of the two bases: the merged rows are split-adjusted as of it.
    applied : tuple of (Timestamp, float)
        Splits used to rescale the older row set.
    skipped : tuple of (Timestamp, float)
        Splits after the older set's basis that overlapping bars showed it had already seen.
    disagreements : int
        Overlapping dates whose closes still differ by more than :data:`OVERLAP_RTOL`.
    first_disagreement : Timestamp or None
        The first of them.
    """

    bars: pd.DataFrame
    basis: pd.Timestamp
    applied: tuple = ()
    skipped: tuple = ()
    disagreements: int = 0
    first_disagreement: pd.Timestamp | None = None


def _later(a: pd.Timestamp, b: pd.Timestamp) -> pd.Timestamp:
    if pd.isna(a):
        return b
    if pd.isna(b):
        return a
    return max(a, b)


def _last_split_day(bars: pd.DataFrame) -> pd.Timestamp:
    days = split_ratios(bars).index
    return pd.Timestamp(days.max()) if len(days) else pd.NaT


def _rescale(bars: pd.DataFrame, scale: np.ndarray) -> pd.DataFrame:
    out = bars.copy()
    for name in (*PRICE_COLUMNS, "dividend"):
        out[name] = out[name].to_numpy(dtype="float64") / scale
    out["volume"] = out["volume"].to_numpy(dtype="float64") * scale
    return out


def _overlap_ratio(old: pd.DataFrame, new: pd.DataFrame, before: pd.Timestamp) -> float | None:
    """Median of new close / old close over dates both hold before ``before``; None if none."""
    left = old.loc[old["date"] < before, ["date", "close"]]
    right = new.loc[new["date"] < before, ["date", "close"]]
    joined = left.merge(right, on="date", suffixes=("_old", "_new"))
    if joined.empty:
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = joined["close_new"].to_numpy() / joined["close_old"].to_numpy()
    ratio = ratio[np.isfinite(ratio)]
    return float(np.median(ratio)) if ratio.size else None


def merge_bars(base: pd.DataFrame | None, base_basis: pd.Timestamp,
               newer: pd.DataFrame | None, newer_basis: pd.Timestamp) -> Merge:
    """Union of two storage row sets by date, on one split basis.

    Parameters
    ----------
    base, newer : DataFrame or None
        Storage-form bars (:data:`STORE_COLUMNS`); ``newer`` is the fresher source (cache
        over snapshot, live over cache) and wins a date when the bases tie.
    base_basis, newer_basis : Timestamp or NaT
        Date through which each set is split-adjusted (see the module notes). NaT means
        "unknown": such a set is never rescaled, only overlap evidence is used.

    Returns
    -------
    Merge
        The merged bars (split-adjusted as of the later basis) and what was done.
    """
    parts = [(part.reindex(columns=list(STORE_COLUMNS)), basis, rank)
             for rank, (part, basis) in enumerate(((base, base_basis), (newer, newer_basis)))
             if part is not None and len(part)]
    if not parts:
        return Merge(empty_store(), _later(base_basis, newer_basis))
    if len(parts) == 1:
        only, basis, _ = parts[0]
        return Merge(only.sort_values("date", kind="stable", ignore_index=True),
                     _later(base_basis, newer_basis))
    (a, a_basis, _), (b, b_basis, _) = parts
    # a set holding the row of a split day is adjusted at least through that day
    a_basis = _later(a_basis, _last_split_day(a))
    b_basis = _later(b_basis, _last_split_day(b))
    # the set with the older basis is the one a later split may not have reached; it goes
    # first, so the later basis wins shared dates (on a tie, ``newer`` does)
    if not pd.isna(a_basis) and (pd.isna(b_basis) or b_basis < a_basis):
        (a, a_basis), (b, b_basis) = (b, b_basis), (a, a_basis)
    old, old_basis, new, new_basis = a, a_basis, b, b_basis
    splits = pd.concat([split_ratios(old), split_ratios(new)])
    splits = splits[~splits.index.duplicated(keep="last")].sort_index()
    applied, skipped = [], []
    scale = np.ones(len(old))
    dates = old["date"].to_numpy()
    for day, ratio in splits.items():
        if pd.isna(old_basis) or day <= old_basis:
            continue  # the older set has seen it (or nothing says it has not)
        if not pd.isna(new_basis) and day > new_basis:
            continue  # not reached by either set
        evidence = _overlap_ratio(old.assign(close=old["close"] / scale), new, day)
        if evidence is not None and abs(evidence - 1.0) <= OVERLAP_RTOL:
            skipped.append((day, float(ratio)))  # overlapping bars agree: already applied
            continue
        scale[dates < day.to_datetime64()] *= ratio
        applied.append((day, float(ratio)))
    if applied:
        old = _rescale(old, scale)
    merged = pd.concat([old, new], ignore_index=True)
    # overlap check after any rescale: closes of shared dates should now agree
    shared = old[["date", "close"]].merge(new[["date", "close"]], on="date", suffixes=("_o", "_n"))
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.abs(shared["close_n"].to_numpy() / shared["close_o"].to_numpy() - 1.0)
    bad = np.flatnonzero(gap > OVERLAP_RTOL)
    merged = merged.drop_duplicates("date", keep="last").sort_values("date", kind="stable",
                                                                     ignore_index=True)
    return Merge(merged, _later(old_basis, new_basis), tuple(applied), tuple(skipped),
                 int(bad.size), pd.Timestamp(shared["date"].iloc[int(bad[0])]) if bad.size else None)
