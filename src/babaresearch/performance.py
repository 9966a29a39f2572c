"""Performance of price series: total return and drawdowns (empyrical-style pure functions).

Inputs are closes (ideally total-return adjusted ``adj_close``) as a Series or a date x ticker
DataFrame; outputs are decimals (0.25 = +25%).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import DataValidationError


def _check_closes(closes: object) -> None:
    """Refuse input that is not a Series/DataFrame of positive numbers (NaN = missing is fine).

    A zero or negative close would give a -100 % or sign-flipped "return" that looks like a
    result; a text column would fail deep inside pandas. Both name the culprit column instead.
    """
    if not isinstance(closes, (pd.Series, pd.DataFrame)):
        raise DataValidationError("closes", "expected a pandas Series or a date x ticker "
                                  f"DataFrame of closes, got {type(closes).__name__}")
    frame = closes.to_frame() if isinstance(closes, pd.Series) else closes
    for column in frame.columns:
        series = frame[column]
        name = str(column) if not (isinstance(closes, pd.Series) and closes.name is None) else "closes"
        if not (pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)):
            raise DataValidationError(name, f"closes must be numbers, got dtype {series.dtype}")
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        bad = np.flatnonzero(~np.isnan(values) & ~(values > 0))
        if bad.size:
            where = series.index[bad[0]]
            raise DataValidationError(name, f"close {values[bad[0]]} is not positive",
                                      date=where.date() if isinstance(where, pd.Timestamp) else where)


def total_return(closes: pd.Series | pd.DataFrame) -> float | pd.Series:
    """Total return from the first to the last valid close.

    Parameters
    ----------
    closes : Series or DataFrame
        Closes in currency units, in date order: a Series, or a date x ticker DataFrame (one
        column per ticker). Use total-return adjusted closes (``closes(..., adjusted=True)``,
        ``adj_close``) to count dividends. NaN means missing and is skipped.

    Returns
    -------
    float or Series
        ``last / first - 1`` in decimal (0.25 = +25 %) over the valid closes; NaN when fewer
        than two are valid (empty or one-value input). For a DataFrame, a Series of those
        floats indexed by ticker (each column uses its own first and last valid close: to
        compare tickers over the same sessions, use :func:`performance_summary`).

    Raises
    ------
    DataValidationError
        ``closes`` is not a Series/DataFrame, is not numeric, or holds a close <= 0 (the
        message names the column and date).

    Examples
    --------
    >>> total_return(pd.Series([100.0, 120.0, 90.0, 110.0]))  # doctest: +ELLIPSIS
    0.1000...
    """
    _check_closes(closes)
    return _per_column(_total_return, closes)


def _per_column(statistic, closes: pd.Series | pd.DataFrame) -> float | pd.Series:
    """``statistic`` of a Series, or a float64 Series of it per column of a DataFrame."""
    if isinstance(closes, pd.DataFrame):
        return pd.Series({column: statistic(closes[column]) for column in closes.columns},
                         dtype="float64")
    return statistic(closes)


def _total_return(closes: pd.Series) -> float:
    valid = closes.dropna()
    if len(valid) < 2:
        return float("nan")
    return float(valid.iloc[-1] / valid.iloc[0] - 1.0)


def drawdowns(closes: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Fall from the running high at each date (the "underwater" curve).

    Parameters
    ----------
    closes : Series or DataFrame
        Closes in currency units, in date order (Series, or date x ticker DataFrame); use
        total-return adjusted closes to count dividends. NaN means missing.

    Returns
    -------
    Series or DataFrame
        Same shape and index as ``closes``: ``close / running_max(close) - 1`` in decimal, in
        [-1, 0]: 0 at a new high, -0.5 when half the value at the previous high is lost. The
        running high skips NaN; a missing close gives NaN at its date.

    Raises
    ------
    DataValidationError
        ``closes`` is not a Series/DataFrame, is not numeric, or holds a close <= 0.

    Examples
    --------
    >>> drawdowns(pd.Series([100.0, 120.0, 90.0])).tolist()
    [0.0, 0.0, -0.25]
    """
    _check_closes(closes)
    return _drawdowns(closes)


def _drawdowns(closes: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """:func:`drawdowns` of closes already checked: the one place the formula lives."""
    return closes / closes.cummax() - 1.0


def max_drawdown(closes: pd.Series | pd.DataFrame) -> float | pd.Series:
    """Deepest fall from a previous running high (the minimum of :func:`drawdowns`).

    Parameters
    ----------
    closes : Series or DataFrame
        Closes in currency units, in date order (Series, or date x ticker DataFrame). NaN
        means missing and is skipped.

    Returns
    -------
    float or Series
        In decimal, <= 0 (-0.5 = half lost from the high; 0 when the closes never fall);
        NaN for an empty or all-NaN input, 0.0 for a single close. For a DataFrame, a Series
        indexed by ticker. The date of the trough is ``drawdowns(closes).idxmin()``.

    Raises
    ------
    DataValidationError
        ``closes`` is not a Series/DataFrame, is not numeric, or holds a close <= 0.

    Examples
    --------
    >>> max_drawdown(pd.Series([100.0, 120.0, 90.0, 60.0, 110.0]))
    -0.5
    """
    _check_closes(closes)
    return _per_column(_max_drawdown, closes)


def _max_drawdown(closes: pd.Series) -> float:
    valid = closes.dropna()
    if valid.empty:
        return float("nan")
    return float(_drawdowns(valid).min())


def performance_summary(closes: pd.DataFrame) -> pd.DataFrame:
    """Total return and worst drawdown per ticker over the sessions every ticker has.

    Parameters
    ----------
    closes : DataFrame
        Date x ticker closes in currency units (total-return adjusted to count dividends),
        tz-naive session dates as index. Files end on different dates, so only the sessions on
        which every ticker has a close are used: the rows are then comparable. A Series is
        read as one column.

    Returns
    -------
    DataFrame
        One row per ticker, in column order: ``ticker`` (str), ``start, end`` (first and last
        common session, tz-naive Timestamps), ``total_return`` and ``max_drawdown`` (decimal;
        0.25 = +25 %, -0.5 = half lost), ``max_drawdown_date`` (session of the trough). No
        common session: NaN / NaT in every row.

    Raises
    ------
    DataValidationError
        ``closes`` is not a Series/DataFrame, is not numeric, or holds a close <= 0.
    """
    _check_closes(closes)
    if isinstance(closes, pd.Series):
        closes = closes.to_frame(closes.name if closes.name is not None else "closes")
    common = closes.dropna()
    rows = []
    for ticker in closes.columns:
        series = common[ticker]
        if series.empty:
            rows.append({"ticker": str(ticker), "start": pd.NaT, "end": pd.NaT,
                         "total_return": float("nan"), "max_drawdown": float("nan"),
                         "max_drawdown_date": pd.NaT})
            continue
        depth = _drawdowns(series)
        rows.append({"ticker": str(ticker), "start": series.index[0], "end": series.index[-1],
                     "total_return": _total_return(series), "max_drawdown": float(depth.min()),
                     "max_drawdown_date": depth.idxmin()})
    return pd.DataFrame(rows, columns=["ticker", "start", "end", "total_return", "max_drawdown",
                                       "max_drawdown_date"])


#: Columns of :func:`performance_summary`, the ones :func:`check_summary` requires.
SUMMARY_COLUMNS: tuple[str, ...] = ("ticker", "start", "end", "total_return", "max_drawdown",
                                    "max_drawdown_date")


def check_summary(summary: object) -> pd.DataFrame:
    """Refuse anything but a :func:`performance_summary` frame, naming what is wrong.

    Parameters
    ----------
    summary : object
        What a caller passes on as a performance summary (e.g. to
        :func:`babaresearch.narrative.performance_findings`).

    Returns
    -------
    DataFrame
        ``summary`` itself.

    Raises
    ------
    DataValidationError
        Not a DataFrame, or a column of :data:`SUMMARY_COLUMNS` is missing (an empty
        ``pd.DataFrame()`` names them all).
    """
    if not isinstance(summary, pd.DataFrame):
        raise DataValidationError("summary", f"expected the DataFrame of performance_summary(), "
                                             f"got {type(summary).__name__}")
    missing = [name for name in SUMMARY_COLUMNS if name not in summary.columns]
    if missing:
        raise DataValidationError("summary", f"not a performance_summary() frame: missing "
                                             f"column(s) {', '.join(missing)}")
    return summary
