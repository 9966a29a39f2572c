"""Performance of price series: total return and drawdowns (empyrical-style pure functions).

Inputs are closes (ideally total-return adjusted ``adj_close``) as a Series or a date x ticker
DataFrame; outputs are decimals (0.25 = +25%).
"""

from __future__ import annotations

import pandas as pd


def total_return(closes: pd.Series | pd.DataFrame) -> float | pd.Series:
    """Return from the first to the last valid close, in decimal (NaN when fewer than two)."""
    if isinstance(closes, pd.DataFrame):
        return closes.apply(total_return)
    valid = closes.dropna()
    if len(valid) < 2:
        return float("nan")
    return float(valid.iloc[-1] / valid.iloc[0] - 1.0)


def drawdowns(closes: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Fall from the running high at each date, in decimal (0 at a new high, -0.5 = half lost)."""
    return closes / closes.cummax() - 1.0


def max_drawdown(closes: pd.Series | pd.DataFrame) -> float | pd.Series:
    """Deepest fall from a previous high, in decimal (<= 0; NaN for an empty series)."""
    if isinstance(closes, pd.DataFrame):
        return closes.apply(max_drawdown)
    valid = closes.dropna()
    if valid.empty:
        return float("nan")
    return float(drawdowns(valid).min())


def performance_summary(closes: pd.DataFrame) -> pd.DataFrame:
    """Total return and worst drawdown per ticker over the sessions every ticker has.

    Parameters
    ----------
    closes : DataFrame
        Date x ticker closes. Files end on different dates, so only the sessions on which
        every ticker has a close are used: the rows are then comparable.

    Returns
    -------
    DataFrame
        One row per ticker: ``ticker, start, end, total_return, max_drawdown,
        max_drawdown_date`` (returns in decimal; dates of the common span and of the trough).
    """
    common = closes.dropna()
    rows = []
    for ticker in closes.columns:
        series = common[ticker]
        if series.empty:
            rows.append({"ticker": ticker, "start": pd.NaT, "end": pd.NaT,
                         "total_return": float("nan"), "max_drawdown": float("nan"),
                         "max_drawdown_date": pd.NaT})
            continue
        depth = drawdowns(series)
        rows.append({"ticker": str(ticker), "start": series.index[0], "end": series.index[-1],
                     "total_return": total_return(series), "max_drawdown": float(depth.min()),
                     "max_drawdown_date": depth.idxmin()})
    return pd.DataFrame(rows, columns=["ticker", "start", "end", "total_return", "max_drawdown",
                                       "max_drawdown_date"])
