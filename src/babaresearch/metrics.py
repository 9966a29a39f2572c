"""Risk and return statistics analysts expect from quantstats or empyrical.

The ratios come from `empyrical-reloaded <https://github.com/stefan-jansen/empyrical-reloaded>`_
(a maintained fork of Quantopian's empyrical); this module chooses the sessions, adds what
empyrical does not give (the dates of the worst drawdown, correlation, a month x year table,
rolling volatility) and returns tidy frames for the reports. Inputs are simple daily returns in
decimal (0.129 = +12.9 %), a date x ticker DataFrame as from :func:`babaresearch.returns`.

Conventions (those of empyrical): 252 sessions a year; volatility is the sample standard
deviation (ddof 1) times sqrt(252); Sharpe is the mean daily return over its standard deviation
times sqrt(252) with a zero risk-free rate unless one is given; Sortino divides the annualised
mean by the annualised downside deviation ``sqrt(mean(min(r, 0)^2))``; CAGR compounds the
returns over ``sessions / 252`` years; beta is ``cov(r, m) / var(m)`` on the sessions both have.

empyrical is imported inside the functions (it is slow to import).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .errors import DataValidationError

#: Sessions per year used to annualise.
TRADING_DAYS = 252
#: Sessions in the default rolling-volatility window (about three months).
ROLLING_VOLATILITY_SESSIONS = 63
#: Columns of :func:`performance_metrics`, in order.
METRIC_COLUMNS = ("ticker", "start", "end", "sessions", "cagr", "annual_volatility", "sharpe",
                  "sortino", "max_drawdown", "peak_date", "trough_date", "recovery_date",
                  "beta", "correlation")


def _check_returns(returns: object) -> pd.DataFrame:
    if isinstance(returns, pd.Series):
        returns = returns.to_frame(returns.name if returns.name is not None else "returns")
    if not isinstance(returns, pd.DataFrame):
        raise DataValidationError("returns", "expected a date x ticker DataFrame of daily "
                                  f"returns, got {type(returns).__name__}")
    for column in returns.columns:
        if not pd.api.types.is_numeric_dtype(returns[column]):
            raise DataValidationError(str(column), f"returns must be numbers, got dtype "
                                                   f"{returns[column].dtype}")
    frame = returns.astype("float64")
    low = frame.lt(-1).any()
    if low.any():
        culprit = low[low].index[0]
        raise DataValidationError(str(culprit), "a daily return below -100% is impossible")
    return frame


def drawdown_dates(returns: pd.Series) -> tuple[float, pd.Timestamp, pd.Timestamp, pd.Timestamp]:
    """The worst drawdown of a return series and its dates.

    Parameters
    ----------
    returns : Series
        Simple daily returns (decimal), date index, no NaN.

    Returns
    -------
    (float, Timestamp, Timestamp, Timestamp)
        ``max_drawdown`` (decimal, <= 0), ``peak_date`` (session of the high before it; the
        first session when the fall starts from the starting value), ``trough_date`` and
        ``recovery_date`` (first session back at the high; NaT when not recovered).
    """
    if returns.empty:
        return math.nan, pd.NaT, pd.NaT, pd.NaT
    wealth = np.concatenate([[1.0], np.cumprod(1.0 + returns.to_numpy())])
    running = np.maximum.accumulate(wealth)
    drawdown = wealth / running - 1.0
    trough = int(np.argmin(drawdown))
    if drawdown[trough] == 0:
        return 0.0, pd.NaT, pd.NaT, pd.NaT
    peak = int(np.argmax(wealth[:trough + 1]))
    dates = returns.index
    recovered = np.flatnonzero(wealth[trough:] >= wealth[peak])
    recovery = dates[trough + recovered[0] - 1] if recovered.size else pd.NaT
    return (float(drawdown[trough]), dates[max(peak - 1, 0)], dates[trough - 1], recovery)


def performance_metrics(returns: pd.DataFrame, benchmark: str | None = "SPY", *,
                        risk_free: float = 0.0, common: bool = True) -> pd.DataFrame:
    """CAGR, volatility, Sharpe, Sortino, worst drawdown with dates, beta and correlation.

    Parameters
    ----------
    returns : DataFrame
        Simple daily returns (decimal), date x ticker.
    benchmark : str, optional
        Column to measure beta and correlation against (its own row shows 1 and 1); None
        leaves them out.
    risk_free : float
        Daily risk-free rate (decimal) for Sharpe and Sortino; default 0.
    common : bool
        Use only the sessions every column has (rows comparable); otherwise each ticker its own.

    Returns
    -------
    DataFrame
        One row per ticker, columns :data:`METRIC_COLUMNS`; returns and ratios in decimal
        (``cagr`` 0.25 = 25 % a year), dates as Timestamps.

    Raises
    ------
    DataValidationError
        Not a DataFrame of numbers, a return below -100 %, an unknown benchmark, or no session
        left.
    """
    import empyrical

    frame = _check_returns(returns)
    if benchmark is not None and benchmark not in frame.columns:
        raise DataValidationError(str(benchmark), "benchmark is not a column of the returns "
                                                  f"({', '.join(map(str, frame.columns))})")
    if common:
        frame = frame.dropna()
    if frame.dropna(how="all").empty:
        raise DataValidationError("returns", "no session with returns to measure")
    rows = []
    for ticker in frame.columns:
        series = frame[ticker].dropna()
        _depth, peak, trough, recovery = drawdown_dates(series)
        row = {"ticker": ticker, "start": series.index.min(), "end": series.index.max(),
               "sessions": int(len(series)),
               "cagr": float(empyrical.cagr(series, period="daily")),
               "annual_volatility": float(empyrical.annual_volatility(series, period="daily")),
               "sharpe": float(empyrical.sharpe_ratio(series, risk_free=risk_free, period="daily")),
               "sortino": float(empyrical.sortino_ratio(series, required_return=risk_free,
                                                        period="daily")),
               "max_drawdown": float(empyrical.max_drawdown(series)),
               "peak_date": peak, "trough_date": trough, "recovery_date": recovery,
               "beta": math.nan, "correlation": math.nan}
        if benchmark is not None:
            pair = pd.concat([series, frame[benchmark]], axis=1, keys=["r", "m"]).dropna()
            row["beta"] = float(empyrical.beta(pair["r"], pair["m"]))
            row["correlation"] = float(pair["r"].corr(pair["m"]))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(METRIC_COLUMNS))


def monthly_returns(returns: pd.Series) -> pd.DataFrame:
    """Compounded return of each calendar month: a year x month table (decimal).

    Parameters
    ----------
    returns : Series
        Simple daily returns (decimal) of one ticker.

    Returns
    -------
    DataFrame
        Index year (int), columns 1..12; NaN for months without a session.
    """
    import empyrical

    series = _check_returns(returns).iloc[:, 0].dropna()
    if series.empty:
        return pd.DataFrame(columns=range(1, 13), dtype="float64")
    monthly = empyrical.aggregate_returns(series, "monthly")
    table = monthly.unstack()
    table.index = table.index.astype(int)
    table.index.name = "year"
    table.columns = table.columns.astype(int)
    return table.reindex(columns=range(1, 13))


def rolling_volatility(returns: pd.DataFrame, window: int = ROLLING_VOLATILITY_SESSIONS) -> pd.DataFrame:
    """Annualised volatility over a rolling window of sessions (decimal; NaN until it fills).

    Parameters
    ----------
    returns : DataFrame
        Simple daily returns (decimal), date x ticker.
    window : int
        Sessions per window (default 63, about three months); needs at least 2.
    """
    if not isinstance(window, (int, np.integer)) or isinstance(window, bool) or window < 2:
        raise DataValidationError("window", f"rolling window must be an integer >= 2 sessions, "
                                            f"got {window!r}")
    frame = _check_returns(returns)
    return frame.rolling(int(window), min_periods=int(window)).std(ddof=1) * math.sqrt(TRADING_DAYS)
