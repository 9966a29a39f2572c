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

from .dates import to_date
from .errors import NoDataError, OutOfRangeError, PlotError, UnknownTickerError

#: Time zone the sessions are dated in.
MARKET_TZ = "America/New_York"
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
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(MARKET_TZ).tz_localize(None)
    return stamp.normalize()


def _percent_axis(ax, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _: f"{v:g}%")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


# ----------------------------------------------------------------------------------------------
# prices


def plot_normalized_prices(closes: pd.DataFrame | pd.Series, *, base: float = 100, title: str | None = None,
                           marks: Mapping[Any, str] | pd.Series | None = None):
    """Closes rebased to ``base`` on each series' first valid session, one line per ticker.

    Parameters
    ----------
    closes : DataFrame or Series
        Date x ticker closes (e.g. :func:`babaresearch.prices.closes`), any currency.
    base : float
        Value every line starts at (100: lines read as "index, start = 100").
    title : str, optional
        Axes title; default says what the base is.
    marks : dict or Series, optional
        Dates -> labels drawn as labelled vertical lines (earnings days, events).

    Returns
    -------
    matplotlib.figure.Figure
        One axes: ``len(closes.columns)`` data lines, then one vertical line per mark.
    """
    frame = _wide(closes, "closes")
    if not math.isfinite(base) or base <= 0:
        raise PlotError(f"base {base!r} must be a positive number")
    fig, axes = _figure()
    ax = axes[0, 0]
    for column in frame.columns:
        series = frame[column].dropna()
        if series.empty:
            continue
        ax.plot(series.index, series / series.iloc[0] * base, label=str(column), linewidth=1.3)
    ax.axhline(base, color="grey", linewidth=0.6, linestyle=":")
    _draw_marks(ax, marks, frame.index)
    ax.set_title(title or f"Prices rebased to {base:g} on the first session")
    ax.set_ylabel(f"rebased close (start = {base:g})")
    ax.legend(loc="best", fontsize="small")
    return fig


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
    for when, label in items:
        day = to_date(when, "mark date")
        if lo is not None and not (lo <= day <= hi):
            continue  # a mark outside the data would stretch the x axis
        ax.axvline(day, color="tab:purple", linewidth=0.8, linestyle="--", alpha=0.7)
        ax.text(day, 0.98, f" {label}", transform=trans, rotation=90, va="top", ha="left",
                fontsize="x-small", color="tab:purple")


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
    frame = _wide(closes, "closes")
    fig, axes = _figure()
    ax = axes[0, 0]
    for column in frame.columns:
        series = frame[column].dropna()
        if series.empty:
            continue
        drawdown = (series / series.cummax() - 1.0) * 100.0
        worst = drawdown.idxmin()
        ax.plot(drawdown.index, drawdown,
                label=f"{column} (max {drawdown.min():.1f}% on {worst.date()})", linewidth=1.2)
    ax.axhline(0.0, color="grey", linewidth=0.6)
    _percent_axis(ax)
    ax.set_title("Drawdown from running peak")
    ax.set_ylabel("drawdown")
    ax.legend(loc="lower left", fontsize="small")
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
    ax.legend(loc="best", fontsize="small")
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
        One axes with one bar per available session in the window; day 0 is highlighted.
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
    ax.set_xticks(rel_days)
    ax.set_xlabel("session relative to day 0")
    _percent_axis(ax)
    ax.set_ylabel("daily return")
    ax.set_title(f"{ticker} daily returns around day 0 = {index[pos0].date()}")
    return fig


# ----------------------------------------------------------------------------------------------
# event studies


def plot_car(result: Any, *, event: str | None = None, confidence: float = 0.95):
    """CAR path(s) in percent with a confidence band, from an ``EventStudyResult``.

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
    Single event: ``CAR_k +/- z * sigma * sqrt(k)``, ``k`` the number of sessions summed so far
    (the CAR of ``k`` independent abnormal returns of variance ``sigma^2``; the parameter
    estimation error is ignored). Mean path: ``mean +/- t_{n-1} * s / sqrt(n)`` with ``s`` the
    cross-sectional standard deviation of the CARs that day (Student t, as
    ``EventStudyResult.mean_car_path``, because event counts are small); no band when n < 2.

    Returns
    -------
    matplotlib.figure.Figure
        One axes; a single event draws one line and one band, the mean view draws one thin line
        per event, the bold mean line and its band.
    """
    from statistics import NormalDist

    if not (isinstance(confidence, (int, float)) and 0 < confidence < 1):
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
    z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
    fig, axes = _figure()
    ax = axes[0, 0]
    if len(keys) == 1:
        name, ticker = keys[0]
        path = abn[(abn["event"] == name) & (abn["ticker"] == ticker)]
        days = path["rel_day"].to_numpy(dtype=float)
        car = path["car"].to_numpy(dtype=float) * 100.0
        match = summary[(summary["event"] == name) & (summary["ticker"] == ticker)] if "sigma" in summary.columns else summary.iloc[0:0]
        sigma = float(match["sigma"].iloc[0]) if len(match) else math.nan
        ax.plot(days, car, marker="o", label=f"CAR {name} ({ticker})")
        if math.isfinite(sigma):
            k = np.arange(1, len(days) + 1)  # sessions summed up to each day of the window
            half = z * sigma * np.sqrt(k) * 100.0
            ax.fill_between(days, car - half, car + half, alpha=0.25,
                            label=f"{confidence:.0%} band (+/- z*sigma*sqrt(k))")
        title = f"CAR around {name} ({ticker})"
    else:
        from scipy import stats

        for name, ticker in keys:
            path = abn[(abn["event"] == name) & (abn["ticker"] == ticker)]
            ax.plot(path["rel_day"], path["car"] * 100.0, linewidth=0.7, alpha=0.5, color="tab:gray")
        grouped = abn.groupby("rel_day")["car"]
        mean, spread, count = grouped.mean() * 100.0, grouped.std(ddof=1) * 100.0, grouped.count()
        days = mean.index.to_numpy(dtype=float)
        ax.plot(days, mean.to_numpy(), marker="o", linewidth=2.0, color="tab:blue",
                label=f"mean CAR ({len(keys)} events)")
        with np.errstate(invalid="ignore", divide="ignore"):
            tq = stats.t.ppf(0.5 + confidence / 2.0, count.to_numpy() - 1)
            half = tq * spread.to_numpy() / np.sqrt(count.to_numpy())
        ax.fill_between(days, mean.to_numpy() - half, mean.to_numpy() + half, alpha=0.25,
                        color="tab:blue", label=f"{confidence:.0%} band (cross-sectional)")
        title = f"Mean CAR across {len(keys)} events"
    from matplotlib.ticker import MaxNLocator

    ax.axhline(0.0, color="grey", linewidth=0.6)
    ax.axvline(0.0, color="grey", linewidth=0.6, linestyle=":")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # relative sessions are whole numbers
    ax.set_xlabel("session relative to day 0")
    ax.set_ylabel("cumulative abnormal return")
    _percent_axis(ax)
    ax.set_title(title)
    ax.legend(loc="best", fontsize="small")
    return fig


# ----------------------------------------------------------------------------------------------
# claims


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
        :func:`babaresearch.earnings.corporate_events` (``date`` or ``day0``, ``description``
        or ``kind``): dotted vertical lines with labels. Only releases and events within
        ``TIMELINE_PAD_DAYS`` of the claims are drawn.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: up to two scatter collections (day-0 / as-of claims), one vertical line per
        release and per event drawn.
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

    from matplotlib.transforms import blended_transform_factory

    trans = blended_transform_factory(ax.transData, ax.transAxes)
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
        text_col = next((c for c in ("description", "kind") if c in events.columns), None)
        first = True
        for i, when in enumerate([_date_or_none(v) for v in events[date_col]]):
            if not in_range(when):
                continue
            ax.axvline(when, color="tab:purple", linestyle=":", linewidth=1.0,
                       label="corporate event" if first else None)
            first = False
            if text_col is not None:
                text = str(events[text_col].iloc[i])[:40]
                ax.text(when, 0.99, f" {text}", transform=trans, rotation=90, va="top",
                        ha="left", fontsize="xx-small", color="tab:purple")
    ax.set_yticks(range(len(docs)))
    ax.set_yticklabels(docs)
    ax.set_ylim(-0.7, max(len(docs) - 0.3, 0.7))
    ax.set_xlabel("date (event day 0, else document as-of)")
    suffix = f"; {undated} undated claim(s) not shown" if undated else ""
    ax.set_title(f"Claims by document against earnings and events{suffix}")
    if on_day0 or on_asof:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="x-small")  # outside: never hides a claim
    # Rotate the date labels directly: autofmt_xdate() warns under the constrained layout.
    for label in ax.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    return fig


def _verdict_rows(verdicts: Any) -> pd.DataFrame:
    """Rows ``label, kind, claimed, measured, verdict`` from a verify_ledger frame or Verdicts."""
    from .verify import PRICE_METRICS, Verdict

    if isinstance(verdicts, Verdict):
        verdicts = [verdicts]
    if isinstance(verdicts, pd.DataFrame):
        needed = {"claimed", "measured", "verdict"}
        if not needed <= set(verdicts.columns):
            raise PlotError(f"verdicts frame lacks column(s) {sorted(needed - set(verdicts.columns))}")
        metric = verdicts["metric"] if "metric" in verdicts.columns else pd.Series("price move", index=verdicts.index)
        kind = metric.map(lambda m: PRICE_METRICS.get(m, "move"))
        quote = verdicts["quote"].astype(str) if "quote" in verdicts.columns else metric.astype(str)
        doc = verdicts["doc_id"].astype(str) + ": " if "doc_id" in verdicts.columns else ""
        return pd.DataFrame({"label": (doc + quote).to_numpy() if isinstance(doc, pd.Series) else quote.to_numpy(),
                             "kind": kind.to_numpy(),
                             "claimed": pd.to_numeric(verdicts["claimed"], errors="coerce").to_numpy(dtype=float),
                             "measured": pd.to_numeric(verdicts["measured"], errors="coerce").to_numpy(dtype=float),
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


def plot_verdicts(verdicts: Any):
    """Claimed (hatched grey) against measured (coloured by verdict) for each checked claim.

    Parameters
    ----------
    verdicts : DataFrame or iterable of Verdict
        :func:`babaresearch.verify.verify_ledger` output (``quote, metric, claimed, measured,
        verdict``), or :class:`~babaresearch.verify.Verdict` objects (one bar pair per check).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per unit present (percent for moves and YTD, US$ for prices), each with two
        horizontal bars per claim (claimed, measured; an unmeasured value draws a zero-length
        bar labelled n/a).
    """
    from matplotlib.patches import Patch

    rows = _verdict_rows(verdicts)
    if rows.empty:
        raise NoDataError("no verdicts to plot")
    rows["unit"] = np.where(rows["kind"] == "price", "$", "%")
    units = [u for u in ("%", "$") if (rows["unit"] == u).any()]
    counts = [int((rows["unit"] == u).sum()) for u in units]
    height = max(2.5, 0.6 * sum(counts) + 1.2 * len(units))
    fig, axes = _figure(len(units), 1, figsize=(FIGSIZE[0], height),
                        gridspec_kw={"height_ratios": counts})
    bar = 0.38
    for ax, unit in zip(axes[:, 0], units):
        part = rows[rows["unit"] == unit].reset_index(drop=True)
        y = np.arange(len(part))
        ax.barh(y - bar / 2, part["claimed"].fillna(0.0), height=bar, color="lightgray",
                hatch="//", edgecolor="gray", label="claimed")
        colors = [VERDICT_COLORS.get(v, "tab:gray") for v in part["verdict"]]
        ax.barh(y + bar / 2, part["measured"].fillna(0.0), height=bar, color=colors, label="measured")
        for yi, c, m in zip(y, part["claimed"], part["measured"]):
            fmt = (lambda v: f"${v:,.2f}") if unit == "$" else (lambda v: f"{v:+.2f}%")
            ax.annotate(fmt(c) if math.isfinite(c) else "n/a", (c if math.isfinite(c) else 0, yi - bar / 2),
                        va="center", ha="left", fontsize="x-small")
            ax.annotate(fmt(m) if math.isfinite(m) else "n/a", (m if math.isfinite(m) else 0, yi + bar / 2),
                        va="center", ha="left", fontsize="x-small")
        ax.set_yticks(y)
        ax.set_yticklabels([str(label)[:50] for label in part["label"]], fontsize="small")
        ax.invert_yaxis()
        ax.axvline(0.0, color="grey", linewidth=0.6)
        ax.set_xlabel("US$" if unit == "$" else "percent")
        ax.set_title("Price claims: claimed vs measured" if unit == "$" else "Move and YTD claims: claimed vs measured")
    handles = [Patch(facecolor="lightgray", hatch="//", edgecolor="gray", label="claimed")]
    handles += [Patch(color=color, label=f"measured, {name}") for name, color in VERDICT_COLORS.items()]
    axes[0, 0].legend(handles=handles, loc="best", fontsize="x-small")
    return fig
