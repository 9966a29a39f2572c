"""Matplotlib figures for the notebooks and reports.

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot's global figure
manager (so nothing is shown twice in a notebook and nothing leaks when the figure is dropped) and
never calls ``plt.show()``. matplotlib is imported inside each function: importing this module is
cheap. Date indexes may be tz-naive or tz-aware; tz-aware ones are converted to New York wall
time and made naive, so marks given as plain dates line up with the data.

Returns are drawn in percent; inputs are decimal simple returns (0.129 = 12.9 %).
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from .dates import MARKET_TZ, to_date
from .errors import NoDataError, OutOfRangeError, PlotError, UnknownTickerError

#: Default figure size in inches (width, height): fits a report column.
FIGSIZE: tuple[float, float] = (9.0, 4.5)
#: Width of the claims timeline in inches (it carries a legend beside the axes).
TIMELINE_WIDTH = 12.0
#: Colours of the three verdicts.
VERDICT_COLORS: dict[str, str] = {"supported": "tab:green", "contradicted": "tab:red",
                                  "unverifiable": "tab:gray"}
#: Colour of the day-0 bar in :func:`plot_event_window` and of the other bars.
DAY0_COLOR, OTHER_DAY_COLOR = "tab:orange", "tab:blue"
#: Days of padding around the claims when choosing which earnings/events to draw on the timeline.
TIMELINE_PAD_DAYS = 45
#: Major ticks of a log price axis: 1-2-5 of each decade (50, 100, 200, 500, 1,000).
LOG_TICK_SUBS: tuple[float, ...] = (1.0, 2.0, 5.0)
#: Below this ratio of the highest to the lowest value, a log axis gets linear-spaced ticks.
LOG_TICKS_MIN_RATIO = 4.0
#: Tick steps allowed on a relative-session axis (whole sessions: no 2.5) and at most how many
#: intervals it has (21 sessions, -10 to +10, still get one tick each).
RELATIVE_DAY_STEPS: tuple[int, ...] = (1, 2, 5, 10)
MAX_RELATIVE_DAY_TICKS = 24
#: Room (sessions) left either side of the first and last relative session drawn.
RELATIVE_DAY_PAD = 0.6
#: Longest description (characters) used as an event label when the event has no ``kind``.
EVENT_LABEL_CHARS = 30
#: Event tags on the timeline closer than this fraction of the events' date span are stacked.
EVENT_TAG_MIN_GAP = 0.04
#: Offset (points) of the first row of event tags above the axes, and of each further row.
EVENT_TAG_BASE_PT, EVENT_TAG_LEVEL_PT = 4.0, 16.0
#: Columns a verdicts frame may carry its measured value in (verify_ledger, scorecard, verify_facts).
MEASURED_COLUMNS: tuple[str, ...] = ("measured", "measured_or_fact", "fact_value")
#: Label of a value that is missing (nothing measured, no reference fact) in :func:`plot_verdicts`.
NO_FIGURE = "no figure"
#: Height (inches) per claim and per panel in :func:`plot_verdicts`; longest claim label (characters).
VERDICT_ROW_INCHES, VERDICT_PANEL_INCHES, VERDICT_LABEL_CHARS = 0.45, 1.2, 50
#: Room (points) above the axes for mark labels: a base and about one character's height each.
MARK_LABEL_PAD_PT, MARK_CHAR_PT = 8.0, 4.6
#: Colour map of the monthly-returns heatmap (red losses, green gains) and its limit (percent).
HEATMAP_CMAP, HEATMAP_LIMIT_PCT = "RdYlGn", 25.0
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: Fewer than this many valid values in a rolling window leaves the beta undefined (NaN).
MIN_BETA_FRACTION = 0.8


# ----------------------------------------------------------------------------------------------
# helpers


def _figure(nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] = FIGSIZE, **kwargs):
    """A Figure with axes, detached from pyplot (no global state, no double display)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **kwargs)
    return fig, axes


def _naive_index(index: pd.Index, what: str) -> pd.DatetimeIndex:
    """Date index as tz-naive New York wall time."""
    try:
        dates = pd.DatetimeIndex(index)
    except (TypeError, ValueError):
        raise PlotError(f"{what} needs a date index, got {type(index).__name__}") from None
    if dates.tz is not None:
        dates = dates.tz_convert(MARKET_TZ).tz_localize(None)
    return dates


def _wide(frame: pd.DataFrame | pd.Series, what: str) -> pd.DataFrame:
    """Copy of a date x ticker frame (or a named Series) with a tz-naive index, sorted."""
    if isinstance(frame, pd.Series):
        frame = frame.to_frame(name=frame.name if frame.name is not None else "value")
    if not isinstance(frame, pd.DataFrame):
        raise PlotError(f"{what} must be a DataFrame or Series, got {type(frame).__name__}")
    if frame.empty or frame.shape[1] == 0:
        raise NoDataError(f"{what} is empty: nothing to plot")
    out = frame.copy()
    out.index = _naive_index(out.index, what)
    return out.sort_index().apply(pd.to_numeric, errors="coerce").astype(float)


def _date_or_none(value: object) -> pd.Timestamp | None:
    """Session date of ``value`` (:func:`babaresearch.dates.to_date`), None when missing."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return to_date(value)


def _relative_day_axis(ax, first: float, last: float) -> None:
    """x axis of relative sessions ``first..last``: whole-number ticks only (there is no session -0.5).

    The limits hug the sessions drawn (half a bar either side), so no tick names a session
    outside the window.
    """
    from matplotlib.ticker import MaxNLocator

    if math.isfinite(first) and math.isfinite(last):
        ax.set_xlim(first - RELATIVE_DAY_PAD, last + RELATIVE_DAY_PAD)

    # min_n_ticks=1: with the default 2, a one-session window (-0.6..0.6) falls back to 0.5 steps.
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=list(RELATIVE_DAY_STEPS),
                                           nbins=MAX_RELATIVE_DAY_TICKS, min_n_ticks=1))
    ax.set_xlabel("session relative to day 0")


def _legend_outside(ax) -> None:
    """The legend beside the axes, never over the data (constrained layout makes room)."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small",
                  borderaxespad=0.0, frameon=False)


def _study_description(result: Any) -> str:
    """``"market model vs SPY"`` from an EventStudyResult's ``model`` and ``benchmark``."""
    model = getattr(result, "model", None)
    benchmark = getattr(result, "benchmark", None)
    if not isinstance(model, str):
        return ""
    text = f"{model.replace('_', '-')} model"
    return f"{text} vs {benchmark}" if isinstance(benchmark, str) and model != "constant_mean" else text


def _percent_axis(ax, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _: f"{v:g}%")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


# ----------------------------------------------------------------------------------------------
# prices


def plot_normalized_prices(closes: pd.DataFrame | pd.Series, *, base: float = 100, title: str | None = None,
                           marks: Mapping[Any, str] | pd.Series | None = None, log_scale: bool = True):
    """Closes rebased to ``base`` on each series' first valid session, one line per ticker.

    Parameters
    ----------
    closes : DataFrame or Series
        Date x ticker closes (e.g. :func:`babaresearch.prices.closes`), any currency.
    base : float
        Value every line starts at (100: lines read as "index, start = 100").
    title : str, optional
        Axes title; default says what the base is (and that the axis is logarithmic).
    marks : dict or Series, optional
        Dates -> labels drawn as labelled vertical lines (earnings days, events).
    log_scale : bool, default True
        Logarithmic y axis, labelled with plain numbers (50, 100, 200, 500, 1,000): equal
        percentage moves have equal heights, so a stock up 1,270 % does not squash the others
        against the bottom. The y label says "log scale". False gives a linear axis.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: ``len(closes.columns)`` data lines, the base line, then one vertical line per
        mark.

    Raises
    ------
    PlotError
        ``base`` is not a positive number, or (log scale) a close is zero or negative.
    """
    frame = _wide(closes, "closes")
    if isinstance(base, bool) or not isinstance(base, (int, float, np.integer, np.floating)) \
            or not math.isfinite(base) or base <= 0:
        raise PlotError(f"base {base!r} must be a positive number")
    if log_scale:
        bad = [str(c) for c in frame.columns if (frame[c] <= 0).any()]
        if bad:
            raise PlotError(f"close(s) of {', '.join(bad)} are zero or negative: no log scale "
                            f"(pass log_scale=False)")
    fig, axes = _figure()
    ax = axes[0, 0]
    for column in frame.columns:
        series = frame[column].dropna()
        if series.empty:
            continue
        ax.plot(series.index, series / series.iloc[0] * base, label=str(column), linewidth=1.3)
    ax.axhline(base, color="grey", linewidth=0.6, linestyle=":")
    scale_note = ", log scale" if log_scale else ""
    if log_scale:
        _log_axis(ax)
    ax.set_title(title or f"Prices rebased to {base:g} on the first session"
                          f"{' (log scale)' if log_scale else ''}")
    _draw_marks(ax, marks, frame.index)
    ax.set_ylabel(f"rebased close (start = {base:g}{scale_note})")
    _legend_outside(ax)
    return fig


def _plain_number(value: float, _pos: object = None) -> str:
    """Tick label without scientific notation: 0.5, 50, 1,000."""
    if value >= 1 and float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:g}"


def _log_axis(ax) -> None:
    """Log y axis with plain-number labels at 1-2-5 steps, or linear-spaced ticks when narrow."""
    from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

    ax.set_yscale("log")
    lo, hi = ax.dataLim.intervaly
    if math.isfinite(lo) and math.isfinite(hi) and lo > 0 and hi / lo < LOG_TICKS_MIN_RATIO:
        # Less than a factor of LOG_TICKS_MIN_RATIO: 1-2-5 steps would leave one or two ticks.
        ax.yaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 5, 10]))
    else:
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=LOG_TICK_SUBS))
    ax.yaxis.set_major_formatter(FuncFormatter(_plain_number))
    ax.yaxis.set_minor_formatter(NullFormatter())


def _draw_marks(ax, marks, index: pd.DatetimeIndex) -> None:
    """Vertical lines with labels at ``marks`` (dates -> labels) within the plotted range."""
    if marks is None:
        return
    if isinstance(marks, pd.Series):
        items: Iterable = marks.items()
    elif isinstance(marks, Mapping):
        items = marks.items()
    else:
        raise PlotError(f"marks must be a dict or Series of date -> label, got {type(marks).__name__}")
    from matplotlib.transforms import blended_transform_factory

    trans = blended_transform_factory(ax.transData, ax.transAxes)
    lo, hi = (index.min(), index.max()) if len(index) else (None, None)
    longest = 0
    for when, label in items:
        day = to_date(when, "mark date")
        if lo is not None and not (lo <= day <= hi):
            continue  # a mark outside the data would stretch the x axis
        ax.axvline(day, color="tab:purple", linewidth=0.8, linestyle="--", alpha=0.7)
        # above the axes, rotated: off the lines and clear of each other (a quarter apart)
        ax.text(day, 1.01, str(label), transform=trans, rotation=90, va="bottom", ha="center",
                fontsize="x-small", color="tab:purple", clip_on=False)
        longest = max(longest, len(str(label)))
    if longest:
        ax.set_title(ax.get_title(), pad=MARK_LABEL_PAD_PT + MARK_CHAR_PT * longest)


def plot_drawdowns(closes: pd.DataFrame | pd.Series):
    """Drawdown from the running peak, in percent, one line per ticker.

    Parameters
    ----------
    closes : DataFrame or Series
        Date x ticker closes (use adjusted closes for total-return drawdowns).

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one line per ticker; the deepest drawdown is named in the legend.
    """
    from .performance import drawdowns

    frame = _wide(closes, "closes")
    fig, axes = _figure()
    ax = axes[0, 0]
    for column in frame.columns:
        series = frame[column].dropna()
        if series.empty:
            continue
        drawdown = drawdowns(series) * 100.0
        worst = drawdown.idxmin()
        ax.plot(drawdown.index, drawdown,
                label=f"{column} (max {drawdown.min():.1f}% on {worst.date()})", linewidth=1.2)
    ax.axhline(0.0, color="grey", linewidth=0.6)
    _percent_axis(ax)
    ax.set_title("Drawdown from running peak")
    ax.set_ylabel("drawdown")
    _legend_outside(ax)
    return fig


def plot_rolling_beta(returns: pd.DataFrame, ticker: str, benchmark: str, window: int = 60):
    """Rolling OLS beta of ``ticker`` on ``benchmark``: cov / var over ``window`` sessions.

    Parameters
    ----------
    returns : DataFrame
        Date x ticker simple daily returns (decimal), e.g. :func:`babaresearch.prices.returns`.
    ticker, benchmark : str
        Columns of ``returns``.
    window : int
        Sessions per estimate (60 = about three months). A window with fewer than
        ``MIN_BETA_FRACTION * window`` paired returns gives NaN.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: the beta line, plus reference lines at beta 1 and 0.
    """
    from .tickers import normalize_ticker

    frame = _wide(returns, "returns")
    frame.columns = [str(c).upper() for c in frame.columns]
    ticker, benchmark = normalize_ticker(ticker), normalize_ticker(benchmark)
    for name in (ticker, benchmark):
        if name not in frame.columns:
            raise UnknownTickerError(name, list(frame.columns), where="the returns frame")
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 2:
        raise PlotError(f"window {window!r} must be an integer of at least 2 sessions")
    pair = frame[[ticker, benchmark]].dropna()
    min_periods = max(2, int(math.ceil(MIN_BETA_FRACTION * window)))
    cov = pair[ticker].rolling(window, min_periods=min_periods).cov(pair[benchmark])
    var = pair[benchmark].rolling(window, min_periods=min_periods).var()
    beta = (cov / var).replace([np.inf, -np.inf], np.nan)
    fig, axes = _figure()
    ax = axes[0, 0]
    ax.plot(beta.index, beta, label=f"beta of {ticker} on {benchmark}", linewidth=1.3)
    ax.axhline(1.0, color="grey", linewidth=0.6, linestyle="--")
    ax.axhline(0.0, color="grey", linewidth=0.6)
    ax.set_title(f"Rolling {window}-session beta of {ticker} vs {benchmark}")
    ax.set_ylabel("beta")
    _legend_outside(ax)
    return fig


def _returns_of(data: pd.DataFrame | pd.Series, ticker: str, kind: str) -> pd.Series:
    """Daily simple returns of ``ticker`` from long prices, wide closes or wide returns."""
    if isinstance(data, pd.DataFrame) and {"date", "ticker", "close"} <= set(data.columns):
        rows = data[data["ticker"].astype(str).str.upper() == ticker]
        if rows.empty:
            raise UnknownTickerError(ticker, sorted(data["ticker"].astype(str).unique()), where="the prices frame")
        price_col = "adj_close" if "adj_close" in rows.columns and rows["adj_close"].notna().any() else "close"
        series = pd.Series(pd.to_numeric(rows[price_col], errors="coerce").to_numpy(dtype=float),
                           index=_naive_index(pd.to_datetime(rows["date"]), "prices"))
        kind = "prices"
    elif isinstance(data, pd.Series):
        series = _wide(data, "prices_or_returns").iloc[:, 0]  # a single series is the ticker's
    else:
        frame = _wide(data, "prices_or_returns")
        frame.columns = [str(c).strip().upper() for c in frame.columns]
        if ticker not in frame.columns:
            raise UnknownTickerError(ticker, list(frame.columns), where="the frame given")
        series = frame[ticker]
    series = series.sort_index()
    if kind == "auto":
        # Prices are positive and mostly far above 1; daily returns are small and change sign.
        values = series.dropna()
        kind = "returns" if (values.lt(0).any() or values.abs().max() < 1.0) else "prices"
    if kind == "prices":
        return series.pct_change(fill_method=None)
    if kind == "returns":
        return series
    raise PlotError(f"kind {kind!r} must be 'auto', 'prices' or 'returns'")


def plot_event_window(prices_or_returns: pd.DataFrame | pd.Series, ticker: str, day0: object,
                      window: tuple[int, int] = (-5, 5), *, kind: str = "auto"):
    """Bar chart of ``ticker``'s daily returns (percent) from ``window[0]`` to ``window[1]`` sessions around day 0.

    Parameters
    ----------
    prices_or_returns : DataFrame or Series
        Long prices (``load_prices`` output: adjusted close used when present), wide closes or
        wide simple returns (decimal), date x ticker.
    ticker : str
    day0 : date-like
        Event day 0; a non-session date uses the next session in the data (never backwards).
    window : (int, int)
        First and last relative session, ``first <= 0 <= last``.
    kind : str
        ``"auto"`` (returns if any value is negative or all are below 1 in size, else prices),
        ``"prices"`` or ``"returns"``.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with one bar per available session in the window; day 0 is highlighted. The
        x axis (relative sessions) has integer ticks only.
    """
    from .tickers import normalize_ticker

    ticker = normalize_ticker(ticker)
    day = to_date(day0, "day0")
    try:
        first, last = (int(window[0]), int(window[1]))
    except (TypeError, ValueError, IndexError):
        raise PlotError(f"window {window!r} must be a pair of integers") from None
    if not first <= 0 <= last:
        raise PlotError(f"window {window!r} must satisfy first <= 0 <= last")
    if kind not in ("auto", "prices", "returns"):
        raise PlotError(f"kind {kind!r} must be 'auto', 'prices' or 'returns'")
    rets = _returns_of(prices_or_returns, ticker, kind)
    index = rets.index
    pos0 = int(index.searchsorted(day, side="left"))
    if pos0 >= len(index):
        raise OutOfRangeError(f"{ticker}: day 0 {day.date()} is after the data end "
                              f"({index.max().date() if len(index) else 'no data'})")
    lo, hi = max(0, pos0 + first), min(len(index) - 1, pos0 + last)
    rel_days = np.arange(lo, hi + 1) - pos0
    values = rets.iloc[lo:hi + 1].to_numpy(dtype=float) * 100.0
    colors = [DAY0_COLOR if r == 0 else OTHER_DAY_COLOR for r in rel_days]
    fig, axes = _figure()
    ax = axes[0, 0]
    ax.bar(rel_days, np.nan_to_num(values, nan=0.0), color=colors)
    for r, v in zip(rel_days, values):
        label = "n/a" if not math.isfinite(v) else f"{v:+.1f}%"
        ax.annotate(label, (r, 0 if not math.isfinite(v) else v), ha="center",
                    va="bottom" if (math.isfinite(v) and v >= 0) else "top", fontsize="x-small")
    ax.axhline(0.0, color="grey", linewidth=0.6)
    _relative_day_axis(ax, float(rel_days[0]), float(rel_days[-1]))
    _percent_axis(ax)
    ax.set_ylabel("daily return")
    ax.set_title(f"{ticker} daily returns around day 0 = {index[pos0].date()}")
    return fig


# ----------------------------------------------------------------------------------------------
# event studies


def plot_car(result: Any, *, event: str | None = None, confidence: float = 0.95):
    """CAR path(s) in percent against the band a CAR stays in when nothing happens (H0), from an ``EventStudyResult``.

    The band is centred on **zero**, not on the CAR: it is the range the CAR of ordinary days
    (no event, abnormal returns of mean 0) stays in with probability ``confidence``. A CAR point
    outside the band is significant at level ``1 - confidence`` (two-sided) on that day; such
    points are ringed in red.

    Parameters
    ----------
    result : EventStudyResult-like
        Needs ``.abnormal`` (``event, ticker, rel_day, car``) and ``.summary`` (``event,
        ticker, sigma``; sigma is the estimation-window residual standard deviation, decimal).
    event : str, optional
        Plot this event alone. Default: the single event if there is one, else every event's
        path (thin) and the mean path (bold).
    confidence : float
        Two-sided level of the band, in (0, 1).

    Notes
    -----
    Single event: ``0 +/- z * sigma * sqrt(k)``, ``k`` the number of sessions summed from the
    window start (``rel_day - first rel_day + 1``): the CAR of ``k`` independent abnormal
    returns of variance ``sigma^2`` under H0 (the parameter estimation error is ignored). No
    band when the summary has no finite sigma for the event. Mean path: ``0 +/- t_{n-1} * s /
    sqrt(n)`` with ``s`` the cross-sectional standard deviation of the CARs that day (Student t,
    as ``EventStudyResult.mean_car_path``, because event counts are small); no band when n < 2.

    Returns
    -------
    matplotlib.figure.Figure
        One axes; a single event draws one line and one band, the mean view draws one thin line
        per event, the bold mean line and its band. The x axis (relative sessions) has integer
        ticks only.
    """
    from statistics import NormalDist

    if isinstance(confidence, bool) or not (isinstance(confidence, (int, float)) and 0 < confidence < 1):
        raise PlotError(f"confidence {confidence!r} must be in (0, 1)")
    abnormal = getattr(result, "abnormal", None)
    summary = getattr(result, "summary", None)
    if not isinstance(abnormal, pd.DataFrame) or not isinstance(summary, pd.DataFrame):
        raise PlotError("result must have .abnormal and .summary DataFrames (an EventStudyResult)")
    needed = {"event", "ticker", "rel_day", "car"}
    if not needed <= set(abnormal.columns):
        raise PlotError(f"result.abnormal lacks column(s) {sorted(needed - set(abnormal.columns))}")
    if abnormal.empty:
        raise NoDataError("the event study has no usable event (abnormal returns are empty)")
    abn = abnormal.sort_values(["event", "ticker", "rel_day"], kind="stable")
    if event is not None:
        abn = abn[abn["event"].astype(str) == str(event)]
        if abn.empty:
            known = ", ".join(sorted(abnormal["event"].astype(str).unique()))
            raise PlotError(f"event {event!r} not in the result (events: {known})")
    keys = list(dict.fromkeys(zip(abn["event"], abn["ticker"])))
    band_label = f"{confidence:.0%} band under no event (H0)"
    fig, axes = _figure()
    ax = axes[0, 0]
    if len(keys) == 1:
        name, ticker = keys[0]
        path = abn[(abn["event"] == name) & (abn["ticker"] == ticker)]
        days = path["rel_day"].to_numpy(dtype=float)
        car = path["car"].to_numpy(dtype=float) * 100.0
        match = (summary[(summary["event"] == name) & (summary["ticker"] == ticker)]
                 if {"event", "ticker", "sigma"} <= set(summary.columns) else summary.iloc[0:0])
        sigma = float(pd.to_numeric(match["sigma"], errors="coerce").iloc[0]) if len(match) else math.nan
        ax.plot(days, car, marker="o", label=f"CAR {name} ({ticker})")
        if math.isfinite(sigma):
            z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
            k = days - days.min() + 1.0  # sessions summed from the window start up to each day
            half = z * sigma * np.sqrt(k) * 100.0
        else:
            half = None
        title = f"CAR around {name} ({ticker})"
    else:
        from .events import mean_car_path

        for name, ticker in keys:
            path = abn[(abn["event"] == name) & (abn["ticker"] == ticker)]
            ax.plot(path["rel_day"], path["car"] * 100.0, linewidth=0.7, alpha=0.5, color="tab:gray")
        mean_path = mean_car_path(abn, confidence)
        days = mean_path.index.to_numpy(dtype=float)
        car = mean_path["mean_car"].to_numpy(dtype=float) * 100.0
        ax.plot(days, car, marker="o", linewidth=2.0, color="tab:blue",
                label=f"mean CAR ({len(keys)} events)")
        # The band is drawn around 0 (H0); a day with one event has no spread, hence no band.
        half = (mean_path["upper"] - mean_path["mean_car"]).to_numpy(dtype=float) * 100.0
        title = f"Mean CAR across {len(keys)} events"
    if half is not None and np.isfinite(half).any():
        ax.fill_between(days, -half, half, alpha=0.2, color="tab:gray", label=band_label)
        with np.errstate(invalid="ignore"):
            outside = np.isfinite(half) & np.isfinite(car) & (np.abs(car) > half)
        if outside.any():
            ax.scatter(days[outside], car[outside], s=90, facecolors="none", edgecolors="tab:red",
                       linewidths=1.5, zorder=4, label=f"CAR outside the band (p < {1 - confidence:.2g})")
    _relative_day_axis(ax, float(np.nanmin(days)), float(np.nanmax(days)))
    ax.axhline(0.0, color="grey", linewidth=0.6)
    ax.axvline(0.0, color="grey", linewidth=0.6, linestyle=":")
    ax.set_ylabel("cumulative abnormal return")
    _percent_axis(ax)
    described = _study_description(result)
    ax.set_title(f"{title}, {described}" if described else title)
    _legend_outside(ax)
    return fig


# ----------------------------------------------------------------------------------------------
# claims


def _event_label(row: Mapping[str, Any]) -> str:
    """Short label of a corporate event: ticker, kind (words) and date, e.g. "BABA capex plan, 2025-02-24"."""
    def text(key: str) -> str:
        value = row.get(key)
        try:
            missing = value is None or bool(pd.isna(value))
        except (TypeError, ValueError):  # a list-like cell: not a missing scalar
            missing = False
        return "" if missing else str(value).strip()

    when = _date_or_none(row.get("date", row.get("day0")))
    what = text("kind").replace("_", " ") or text("description")[:EVENT_LABEL_CHARS].rstrip()
    head = " ".join(part for part in (text("ticker"), what) if part) or "event"
    return f"{head}, {when.date()}" if when is not None else head


def _draw_numbered_events(ax, shown: list[tuple[pd.Timestamp, str]], span_days: float) -> int:
    """Dotted line per event, a small numbered tag just above the axes, the label in the legend.

    Tags of events closer than ``EVENT_TAG_MIN_GAP`` of ``span_days`` (the width of the date
    axis) are stacked one level higher, so no two tags overlap however close the events are.
    Returns the points the tags reach above the axes (for the title's padding).
    """
    from matplotlib.dates import date2num
    from matplotlib.transforms import blended_transform_factory

    if not shown:
        return 0
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    last_at_level: dict[int, float] = {}
    top_level = 0
    for number, (when, label) in enumerate(shown, start=1):
        x = float(date2num(when))
        level = 0
        while level in last_at_level and (x - last_at_level[level]) / max(span_days, 1.0) < EVENT_TAG_MIN_GAP:
            level += 1
        last_at_level[level] = x
        top_level = max(top_level, level)
        ax.axvline(when, color="tab:purple", linestyle=":", linewidth=1.2, label=f"({number}) {label}")
        ax.annotate(str(number), xy=(x, 1.0), xycoords=trans,  # a date number: annotate does no unit conversion
                    xytext=(0, EVENT_TAG_BASE_PT + EVENT_TAG_LEVEL_PT * level), textcoords="offset points",
                    ha="center", va="bottom", fontsize="small", color="tab:purple", annotation_clip=False,
                    bbox={"boxstyle": "circle,pad=0.2", "facecolor": "white", "edgecolor": "tab:purple"})
    return EVENT_TAG_BASE_PT + EVENT_TAG_LEVEL_PT * (top_level + 1)


def plot_claims_timeline(ledger: pd.DataFrame, earnings: pd.DataFrame | None = None,
                         events: pd.DataFrame | None = None):
    """Claims on a timeline: one row per document, against earnings releases and corporate events.

    Parameters
    ----------
    ledger : DataFrame
        Claims ledger (``doc_id`` and ``day0`` and/or ``as_of``). A claim tied to an event is
        placed on its day 0 (filled marker), otherwise on the document's as-of date (hollow).
        Claims with neither are left out (the count is in the title).
    earnings : DataFrame, optional
        :func:`babaresearch.earnings.earnings_calendar` (``ticker``, ``day0`` or
        ``release_date``): dashed vertical lines, one colour per ticker.
    events : DataFrame, optional
        :func:`babaresearch.earnings.corporate_events` (``date`` or ``day0``; ``ticker``,
        ``kind`` and/or ``description``): dotted vertical lines, numbered in date order by a
        small tag above the axes; the legend gives each number a short label (ticker, kind,
        date: "(1) BABA capex plan, 2025-02-24"; the description's first
        ``EVENT_LABEL_CHARS`` characters when there is no kind). Tags of events close in time
        are stacked, so labels never overlap. Only releases and events within
        ``TIMELINE_PAD_DAYS`` of the claims are drawn.

    Returns
    -------
    matplotlib.figure.Figure
        ``TIMELINE_WIDTH`` inches wide. One axes: up to two scatter collections (day-0 / as-of
        claims), one vertical line per release and per event drawn, one numbered tag per event.
    """
    if not isinstance(ledger, pd.DataFrame):
        raise PlotError(f"ledger must be a DataFrame, got {type(ledger).__name__}")
    if "doc_id" not in ledger.columns or not ({"day0", "as_of"} & set(ledger.columns)):
        raise PlotError("ledger needs doc_id and day0 and/or as_of columns")
    # Plain lists: a Series.map would turn None back into NaT.
    none = [None] * len(ledger)
    day0 = [_date_or_none(v) for v in ledger["day0"]] if "day0" in ledger.columns else none
    as_of = [_date_or_none(v) for v in ledger["as_of"]] if "as_of" in ledger.columns else none
    docs = list(dict.fromkeys(ledger["doc_id"].astype(str)))
    row_of = {doc: i for i, doc in enumerate(docs)}
    on_day0 = [(d, row_of[str(doc)]) for doc, d in zip(ledger["doc_id"], day0) if d is not None]
    on_asof = [(a, row_of[str(doc)]) for doc, d, a in zip(ledger["doc_id"], day0, as_of)
               if d is None and a is not None]
    undated = len(ledger) - len(on_day0) - len(on_asof)
    # Wide enough for three years of releases and a legend outside the axes.
    fig, axes = _figure(figsize=(TIMELINE_WIDTH, max(3.0, 1.5 + 0.6 * len(docs))))
    ax = axes[0, 0]
    if on_day0:
        x, y = zip(*on_day0)
        ax.scatter(x, y, marker="o", color="tab:blue", zorder=3, label="claim at event day 0")
    if on_asof:
        x, y = zip(*on_asof)
        ax.scatter(x, y, marker="o", facecolors="none", edgecolors="tab:blue", zorder=3,
                   label="claim at document as-of date")
    dated = [d for d, _ in on_day0 + on_asof]
    lo = min(dated) - pd.Timedelta(days=TIMELINE_PAD_DAYS) if dated else None
    hi = max(dated) + pd.Timedelta(days=TIMELINE_PAD_DAYS) if dated else None

    def in_range(day: pd.Timestamp | None) -> bool:
        return day is not None and (lo is None or lo <= day <= hi)

    title_pad = 0.0
    if earnings is not None and not earnings.empty:
        date_col = "day0" if "day0" in earnings.columns else "release_date"
        tickers = earnings["ticker"].astype(str) if "ticker" in earnings.columns else pd.Series("", index=earnings.index)
        palette = ["tab:green", "tab:red", "tab:brown", "tab:olive"]
        colors = {t: palette[i % len(palette)] for i, t in enumerate(dict.fromkeys(tickers))}
        labelled: set[str] = set()
        for ticker, when in zip(tickers, [_date_or_none(v) for v in earnings[date_col]]):
            if not in_range(when):
                continue
            ax.axvline(when, color=colors[ticker], linestyle="--", linewidth=0.9, alpha=0.8,
                       label=None if ticker in labelled else f"{ticker} earnings release".strip())
            labelled.add(ticker)
    if events is not None and not events.empty:
        date_col = "date" if "date" in events.columns else "day0"
        shown = [(when, _event_label(row)) for when, row in
                 zip([_date_or_none(v) for v in events[date_col]], events.to_dict("records"))]
        shown = sorted((item for item in shown if in_range(item[0])), key=lambda item: item[0])
        title_pad = _draw_numbered_events(ax, shown, span_days=(hi - lo).days if dated else 365.0)
    ax.set_yticks(range(len(docs)))
    ax.set_yticklabels(docs)
    ax.set_ylim(-0.7, max(len(docs) - 0.3, 0.7))
    ax.set_xlabel("date (event day 0, else document as-of)")
    suffix = f"; {undated} undated claim(s) not shown" if undated else ""
    ax.set_title(f"Claims by document against earnings and events{suffix}", pad=6.0 + title_pad)
    if ax.get_legend_handles_labels()[0]:
        # Outside the axes: never hides a claim; it also names the numbered events.
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    # Rotate the date labels directly: autofmt_xdate() warns under the constrained layout.
    for label in ax.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    return fig


def _verdict_rows(verdicts: Any) -> pd.DataFrame:
    """Rows ``label, kind, claimed, measured, verdict`` from a verdicts frame or Verdicts.

    ``kind`` is ``"move"``, ``"ytd"``, ``"price"`` (price checks) or ``"fact"`` (a non-price
    claim set beside a reference fact, in the claim's own unit).
    """
    from .verify import PRICE_METRICS, Verdict

    if isinstance(verdicts, Verdict):
        verdicts = [verdicts]
    if isinstance(verdicts, pd.DataFrame):
        measured_col = next((c for c in MEASURED_COLUMNS if c in verdicts.columns), None)
        missing = [c for c in ("claimed", "verdict") if c not in verdicts.columns]
        if measured_col is None:
            missing.append(" or ".join(MEASURED_COLUMNS))
        if missing:
            raise PlotError(f"verdicts frame lacks column(s) {missing} (a verify_ledger, verify_facts "
                            f"or scorecard frame has them)")
        n = len(verdicts)
        metric = (verdicts["metric"].astype(str).to_numpy() if "metric" in verdicts.columns
                  else np.array([""] * n, dtype=object))
        row_kind = (verdicts["kind"].astype(str).to_numpy() if "kind" in verdicts.columns
                    else np.array([""] * n, dtype=object))
        has_metric = "metric" in verdicts.columns
        # A price metric names its check; any other metric (scorecard/verify_facts rows) is a fact
        # in its own unit; a bare frame with neither metric nor kind keeps the old reading: moves.
        kind = [PRICE_METRICS[m] if m in PRICE_METRICS
                else "fact" if (has_metric or k == "fact") else "move"
                for m, k in zip(metric, row_kind)]
        quote = (verdicts["quote"].astype(str).to_numpy() if "quote" in verdicts.columns
                 else np.where(metric == "", "claim", metric))
        doc = (verdicts["doc_id"].astype(str).to_numpy() if "doc_id" in verdicts.columns else None)
        labels = [f"{d}: {q}" if doc is not None else str(q)
                  for d, q in zip(doc if doc is not None else [None] * n, quote)]
        if "mentions" in verdicts.columns:
            mentions = pd.to_numeric(verdicts["mentions"], errors="coerce").to_numpy(dtype=float)
            labels = [f"{label} (x{m:.0f})" if math.isfinite(m) and m > 1 else label
                      for label, m in zip(labels, mentions)]
        return pd.DataFrame({"label": labels, "kind": kind,
                             "claimed": pd.to_numeric(verdicts["claimed"], errors="coerce").to_numpy(dtype=float),
                             "measured": pd.to_numeric(verdicts[measured_col], errors="coerce").to_numpy(dtype=float),
                             "verdict": verdicts["verdict"].astype(str).to_numpy()})
    try:
        items = list(verdicts)
    except TypeError:
        raise PlotError(f"verdicts must be a DataFrame or Verdicts, got {type(verdicts).__name__}") from None
    rows = []
    for item in items:
        if not isinstance(item, Verdict):
            raise PlotError(f"verdicts must be a DataFrame or Verdicts, got an item {type(item).__name__}")
        for check in item.checks:
            status = "unverifiable" if check.passed is None else ("supported" if check.passed else "contradicted")
            when = "" if item.date is None else f" {item.date.date()}"
            rows.append({"label": f"{item.ticker}{when} {check.kind}", "kind": check.kind,
                         "claimed": check.claimed, "measured": check.measured, "verdict": status})
    return pd.DataFrame(rows, columns=["label", "kind", "claimed", "measured", "verdict"])


def _compact_number(value: float) -> str:
    """A figure of any size in a few characters: 53B, 600M, 170k, 34, -21.8B."""
    size = abs(value)
    for threshold, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if size >= threshold:
            return f"{value / threshold:,.4g}{suffix}"
    return f"{value:,.4g}"


#: Panels of :func:`plot_verdicts`: key -> (check kinds, title, x label).
VERDICT_PANELS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "%": (("move", "ytd"), "Move and YTD claims: claimed vs measured", "percent"),
    "$": (("price",), "Price claims: claimed vs measured", "US$"),
    "fact": (("fact",), "Other figures: claimed vs reference fact",
             "reference fact as % of the claimed figure (claimed = 100%; labels give the figures)"),
}


def plot_verdicts(verdicts: Any):
    """Claimed (hatched grey) against measured (coloured by verdict) for each checked claim.

    Parameters
    ----------
    verdicts : DataFrame or Verdict or iterable of Verdict
        Any of: :func:`babaresearch.verify.verify_ledger` output (``quote, metric, claimed,
        measured, verdict``); :func:`babaresearch.verify.scorecard` output (``doc_id, quote,
        metric, claimed, measured_or_fact, verdict, kind, mentions``: ``measured_or_fact`` is
        the measured value or the reference fact; a figure stated several times gets "(xN)");
        :func:`babaresearch.verify.verify_facts` output (``fact_value``);
        :class:`~babaresearch.verify.Verdict` objects (one bar pair per check).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per group present, in this order: percent (moves, YTD returns), US$ (share
        prices), other figures (any unit: revenue, capex, counts...). Each axes has two
        horizontal bars per claim, claimed and measured/fact. Other figures are drawn relative
        to the claim (claimed = 100 %, fact = fact / claimed x 100 %) since their units differ;
        the labels give the figures themselves. A missing value (NaN: nothing measured, no
        reference fact) draws a zero-length bar labelled "no figure".
    """
    from matplotlib.patches import Patch

    rows = _verdict_rows(verdicts)
    if rows.empty:
        raise NoDataError("no verdicts to plot")
    panel_of = {kind: key for key, (kinds, _, _) in VERDICT_PANELS.items() for kind in kinds}
    rows["panel"] = [panel_of.get(k, "%") for k in rows["kind"]]
    panels = [key for key in VERDICT_PANELS if (rows["panel"] == key).any()]
    counts = [int((rows["panel"] == key).sum()) for key in panels]
    height = max(2.5, VERDICT_ROW_INCHES * sum(counts) + VERDICT_PANEL_INCHES * len(panels))
    fig, axes = _figure(len(panels), 1, figsize=(FIGSIZE[0], height),
                        gridspec_kw={"height_ratios": counts})
    bar = 0.38
    for ax, key in zip(axes[:, 0], panels):
        part = rows[rows["panel"] == key].reset_index(drop=True)
        claimed = part["claimed"].to_numpy(dtype=float)
        measured = part["measured"].to_numpy(dtype=float)
        if key == "fact":
            # Units differ row by row (US$, CNY, counts, percent): draw each fact relative to its claim.
            with np.errstate(invalid="ignore", divide="ignore"):
                drawn_claimed = np.where(np.isfinite(claimed) & (claimed != 0), 100.0, np.nan)
                drawn_measured = np.where(np.isfinite(drawn_claimed), measured / claimed * 100.0, np.nan)
            fmt = _compact_number
        else:
            drawn_claimed, drawn_measured = claimed, measured
            fmt = (lambda v: f"${v:,.2f}") if key == "$" else (lambda v: f"{v:+.2f}%")
        y = np.arange(len(part))
        ax.barh(y - bar / 2, np.nan_to_num(drawn_claimed, nan=0.0), height=bar, color="lightgray",
                hatch="//", edgecolor="gray", label="claimed")
        colors = [VERDICT_COLORS.get(v, "tab:gray") for v in part["verdict"]]
        ax.barh(y + bar / 2, np.nan_to_num(drawn_measured, nan=0.0), height=bar, color=colors, label="measured")
        for yi, raw_c, raw_m, c, m in zip(y, claimed, measured, drawn_claimed, drawn_measured):
            for raw, at, offset in ((raw_c, c, -bar / 2), (raw_m, m, bar / 2)):
                text = fmt(raw) if math.isfinite(raw) else NO_FIGURE
                x = at if math.isfinite(at) else 0.0
                ax.annotate(f" {text} ", (x, yi + offset), va="center", ha="left" if x >= 0 else "right",
                            fontsize="x-small")
        ax.set_yticks(y)
        ax.set_yticklabels([str(label)[:VERDICT_LABEL_CHARS] for label in part["label"]], fontsize="small")
        ax.set_ylim(len(part) - 0.5, -0.5)  # first claim on top, no empty rows
        ax.axvline(0.0, color="grey", linewidth=0.6)
        if key == "fact":
            ax.axvline(100.0, color="grey", linewidth=0.6, linestyle="--")
        ax.margins(x=0.15)  # room for the value labels at the bar ends
        ax.set_xlabel(VERDICT_PANELS[key][2])
        ax.set_title(VERDICT_PANELS[key][1])
    handles = [Patch(facecolor="lightgray", hatch="//", edgecolor="gray", label="claimed")]
    handles += [Patch(color=color, label=f"measured / fact, {name}") for name, color in VERDICT_COLORS.items()]
    # Above the panels, not inside one: a legend inside would hide bars.
    fig.legend(handles=handles, loc="outside upper center", ncols=len(handles), fontsize="x-small")
    return fig


# ----------------------------------------------------------------------------------------------
# performance


def plot_monthly_returns(table: pd.DataFrame, *, ticker: str):
    """Heatmap of monthly returns: years down, months across, each cell labelled in percent.

    Parameters
    ----------
    table : DataFrame
        Year x month (1..12) compounded returns in decimal, from
        :func:`babaresearch.metrics.monthly_returns`.
    ticker : str
        Named in the title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with the image and one text per month with data; colours saturate at
        +/- :data:`HEATMAP_LIMIT_PCT` percent.
    """
    if not isinstance(table, pd.DataFrame) or table.empty:
        raise NoDataError(f"no monthly returns of {ticker} to plot")
    values = table.reindex(columns=range(1, 13)).to_numpy(dtype=float) * 100.0
    fig, axes = _figure(figsize=(FIGSIZE[0], 0.9 + 0.42 * len(table)))
    ax = axes[0, 0]
    image = ax.imshow(np.ma.masked_invalid(values), cmap=HEATMAP_CMAP, vmin=-HEATMAP_LIMIT_PCT,
                      vmax=HEATMAP_LIMIT_PCT, aspect="auto")
    for (row, column), value in np.ndenumerate(values):
        if math.isfinite(value):
            ax.text(column, row, f"{value:+.1f}", ha="center", va="center", fontsize="x-small",
                    color="black" if abs(value) < 0.6 * HEATMAP_LIMIT_PCT else "white")
    ax.set_xticks(range(12), MONTH_NAMES)
    ax.set_yticks(range(len(table)), [str(year) for year in table.index])
    ax.tick_params(length=0)
    from matplotlib.ticker import FuncFormatter

    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.01)
    bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:+g}%"))
    ax.set_title(f"{ticker} monthly total returns (percent, compounded daily returns)")
    return fig


def plot_rolling_volatility(volatility: pd.DataFrame, *, window: int):
    """Annualised rolling volatility, in percent, one line per ticker.

    Parameters
    ----------
    volatility : DataFrame
        Date x ticker annualised volatility in decimal, from
        :func:`babaresearch.metrics.rolling_volatility`.
    window : int
        Sessions per window, named in the title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, one line per ticker, legend beside the axes.
    """
    frame = _wide(volatility, "volatility")
    fig, axes = _figure()
    ax = axes[0, 0]
    for column in frame.columns:
        series = frame[column].dropna()
        if not series.empty:
            ax.plot(series.index, series * 100.0, label=str(column), linewidth=1.1)
    _percent_axis(ax)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("annualised volatility")
    ax.set_title(f"Rolling {window}-session volatility, annualised "
                 f"({', '.join(map(str, frame.columns))})")
    _legend_outside(ax)
    return fig
