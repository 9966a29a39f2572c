"""Event-study engine: normal-return models, AR / CAR / BHAR per event, tests across events.

The core works on a wide frame of simple daily returns (date x ticker, decimal). Pass it as
``returns=`` (synthetic data, another source) or let :func:`event_study` load it with
:func:`babaresearch.prices.returns` (total-return adjusted closes).

Relative days count the sessions (rows) of that frame: day 0 is the session given by
:func:`babaresearch.calendars.event_day0` for the event's date and timing, the event window is
``[day0 + window[0], day0 + window[1]]`` and the estimation window
``[day0 + estimation[0], day0 + estimation[1]]``.

Each event gets a status in the spirit of R's ``eventstudies`` package; only ``"ok"`` events
enter ``.abnormal`` and the aggregate statistics, the others stay visible in ``.summary``:

=================  =====================================================================
``ok``             usable
``wrongspan``      fewer than ``min_estimation`` usable sessions in the estimation window
``wdatamissing``   a missing stock return (NaN, e.g. a filler bar) inside the event window
``nobenchmark``    benchmark unknown or missing inside the event window
``unknownticker``  ticker absent from the data (or without any return)
``outofrange``     day 0 or part of the event window outside the ticker's data
=================  =====================================================================

Statistics (see :mod:`babaresearch.eventstats` for the formulas and references): per event the
CAR t-test with the prediction-error variance of Campbell, Lo & MacKinlay (1997, ch. 4); across
events the cross-sectional t (Brown & Warner 1985), Patell (1976) Z, BMP t (Boehmer, Musumeci &
Poulsen 1991), Corrado (1989) rank test (day 0, and the window per Cowan 1992) and the
generalized sign test (Cowan 1992).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import eventstats
from .dates import to_date
from .errors import (
    BabaResearchError,
    DateRangeError,
    EventStudyError,
    InvalidTickerError,
    LiveDataError,
    NoDataError,
    UnknownTickerError,
)
from .tickers import normalize_ticker

# ---------------------------------------------------------------------------------------------
# Named constants
# ---------------------------------------------------------------------------------------------

STATUS_OK = "ok"
STATUS_WRONGSPAN = "wrongspan"
STATUS_DATA_MISSING = "wdatamissing"
STATUS_NO_BENCHMARK = "nobenchmark"
STATUS_UNKNOWN_TICKER = "unknownticker"
STATUS_OUT_OF_RANGE = "outofrange"
#: Every status an event can get, ``"ok"`` first.
STATUSES: tuple[str, ...] = (
    STATUS_OK, STATUS_WRONGSPAN, STATUS_DATA_MISSING, STATUS_NO_BENCHMARK,
    STATUS_UNKNOWN_TICKER, STATUS_OUT_OF_RANGE,
)

#: Normal-return models and the number of parameters each estimates (``k``): the residual
#: variance uses ddof = k and the t-tests ``n_est - k`` degrees of freedom.
MODEL_PARAMETERS: dict[str, int] = {"market_adjusted": 0, "constant_mean": 1, "market": 2}
#: Models whose expected return needs the benchmark's return.
MODELS_NEEDING_BENCHMARK: frozenset[str] = frozenset({"market_adjusted", "market"})
METHODS: tuple[str, ...] = ("vectorized", "statsmodels")
#: Release timings understood by calendars.event_day0 (``unknown`` is placed like ``bmo``).
TIMINGS: tuple[str, ...] = ("bmo", "amc", "intraday", "unknown")
DEFAULT_TIMING = "bmo"
NEW_YORK = "America/New_York"
#: Calendar days fetched past the last event date, enough to reach the next session after any
#: run of holidays and weekends.
_DAY0_LOOKAHEAD = pd.Timedelta(days=14)
#: The Patell Z needs each standardized CAR's variance (T-k)/(T-k-2) to exist: T - k > 2.
_PATELL_MIN_EXTRA_DOF = 3
#: Two-sided 95% band of the mean CAR path in :meth:`EventStudyResult.plot`.
BAND_LEVEL = 0.95

SUMMARY_COLUMNS: tuple[str, ...] = (
    "event", "ticker", "event_date", "day0", "benchmark", "model", "status", "car", "bhar", "t",
    "p", "alpha", "beta", "r2", "n_est", "sigma", "raw_return_day0", "detail",
)
ABNORMAL_COLUMNS: tuple[str, ...] = (
    "event", "ticker", "rel_day", "date", "ret", "bench_ret", "expected", "ar", "car",
)
AGGREGATE_COLUMNS: tuple[str, ...] = ("name", "value", "p_value", "n", "reference")


# ---------------------------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EventStudyResult:
    """Outcome of :func:`event_study`: three tidy frames and the settings that produced them.

    Attributes
    ----------
    abnormal : DataFrame
        One row per ``"ok"`` event and relative day of the event window: ``event, ticker,
        rel_day, date, ret, bench_ret, expected, ar, car`` (returns in decimal; ``car`` is the
        running sum of ``ar`` from the first day of the window).
    summary : DataFrame
        One row per input event, in input order: ``event, ticker, event_date, day0, benchmark,
        model, status, car, bhar, t, p, alpha, beta, r2, n_est, sigma, raw_return_day0,
        detail``. Numbers are NaN exactly when ``status != "ok"`` (except ``n_est``, the usable
        estimation sessions found, and ``raw_return_day0`` when day 0 has data); ``detail``
        says why an event was excluded.
    aggregate : DataFrame
        One row per statistic across the ``"ok"`` events: ``name, value, p_value, n,
        reference``.
    model, window, estimation, benchmark, min_estimation, method :
        The settings of the run (``benchmark`` is the default one; per-event benchmarks are in
        ``summary.benchmark``).
    extras : dict
        ``"var_car"``: Series of each ok event's CAR variance under the null (decimal squared).
    """

    abnormal: pd.DataFrame
    summary: pd.DataFrame
    aggregate: pd.DataFrame
    model: str
    window: tuple[int, int]
    estimation: tuple[int, int]
    benchmark: str
    min_estimation: int
    method: str
    extras: dict = field(default_factory=dict, repr=False)

    @property
    def n_ok(self) -> int:
        """Number of events that entered the aggregate statistics."""
        return int((self.summary["status"] == STATUS_OK).sum())

    def mean_car_path(self) -> pd.DataFrame:
        """Mean CAR per relative day across ``"ok"`` events with its 95% confidence band.

        Returns
        -------
        DataFrame
            Indexed by ``rel_day``: ``mean_car``, ``lower``, ``upper`` (decimal) and ``n``.
            The band is ``mean +/- t_{0.975, n-1} * s / sqrt(n)`` with ``s`` the
            cross-sectional standard deviation of the CARs that day (NaN when n < 2).
        """
        from scipy import stats

        grouped = self.abnormal.groupby("rel_day")["car"]
        mean = grouped.mean()
        spread = grouped.std(ddof=1)
        count = grouped.count()
        with np.errstate(invalid="ignore", divide="ignore"):
            half = stats.t.ppf(0.5 + BAND_LEVEL / 2.0, count - 1) * spread / np.sqrt(count)
        return pd.DataFrame({"mean_car": mean, "lower": mean - half, "upper": mean + half,
                             "n": count})

    def plot(self, ax=None):
        """Draw the mean CAR path (percent) with its 95% confidence band; return the axes.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Axes to draw on; a new figure is created when omitted.
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        path = self.mean_car_path()
        days = path.index.to_numpy()
        ax.fill_between(days, 100 * path["lower"], 100 * path["upper"], alpha=0.25,
                        label=f"{BAND_LEVEL:.0%} band")
        ax.plot(days, 100 * path["mean_car"], marker="o", label=f"mean CAR ({self.n_ok} events)")
        ax.axhline(0.0, color="grey", linewidth=0.8)
        ax.axvline(0.0, color="grey", linewidth=0.8, linestyle=":")
        ax.set_xlabel("session relative to day 0")
        ax.set_ylabel("cumulative abnormal return (%)")
        ax.set_title(f"Mean CAR, {self.model} model vs {self.benchmark}")
        ax.legend(loc="best")
        return ax


# ---------------------------------------------------------------------------------------------
# Input checks and coercion
# ---------------------------------------------------------------------------------------------

def _check_settings(window, estimation, model, min_estimation,
                    method) -> tuple[tuple[int, int], tuple[int, int]]:
    """Validate the study parameters; raise :class:`EventStudyError` naming the culprit."""
    if model not in MODEL_PARAMETERS:
        raise EventStudyError(f"unknown model {model!r}; expected one of {sorted(MODEL_PARAMETERS)}")
    if method not in METHODS:
        raise EventStudyError(f"unknown method {method!r}; expected one of {list(METHODS)}")
    pairs = []
    for name, pair in (("window", window), ("estimation", estimation)):
        try:
            lo, hi = pair
            if int(lo) != lo or int(hi) != hi:
                raise ValueError
            lo, hi = int(lo), int(hi)
        except (TypeError, ValueError):
            raise EventStudyError(
                f"{name} must be a pair of integers (relative sessions), got {pair!r}") from None
        if lo > hi:
            raise EventStudyError(f"{name} {pair!r} is reversed: start {lo} is after end {hi}")
        pairs.append((lo, hi))
    (w0, w1), (e0, e1) = pairs
    if e0 <= w1 and w0 <= e1:
        raise EventStudyError(
            f"estimation window {(e0, e1)} overlaps the event window {(w0, w1)}: the normal-return "
            "model would be fitted on the event it is meant to measure"
        )
    minimum = MODEL_PARAMETERS[model] + _PATELL_MIN_EXTRA_DOF
    if not isinstance(min_estimation, (int, np.integer)) or min_estimation < minimum:
        raise EventStudyError(
            f"min_estimation={min_estimation!r} must be an integer >= {minimum} for the {model} model"
        )
    if min_estimation > e1 - e0 + 1:
        raise EventStudyError(
            f"min_estimation={min_estimation} exceeds the {e1 - e0 + 1} sessions of the "
            f"estimation window {(e0, e1)}"
        )
    return (w0, w1), (e0, e1)


def _missing_mask(values: list) -> np.ndarray:
    """True where a cell is None, NaN, NaT or a blank string."""
    mask = pd.isna(pd.Series(values, dtype=object)).to_numpy(dtype=bool)
    blank = np.fromiter((isinstance(v, str) and not v.strip() for v in values), dtype=bool,
                        count=len(values))
    return mask | blank


_NONE_KEY = ("NoneType", None, "None")


def _cache_key(value) -> tuple:
    """Hashable key of a raw cell; the timezone is part of it (equal instants in two zones
    have different local dates)."""
    tz = str(getattr(value, "tzinfo", None))
    try:
        hash(value)
    except TypeError:
        return (type(value).__name__, repr(value), tz)
    return (type(value).__name__, value, tz)


def _convert_unique(values: list, convert) -> list:
    """``[convert(v, row) for row, v in enumerate(values)]``, calling ``convert`` once per distinct value."""
    cache: dict[tuple, object] = {}
    out = []
    for row, value in enumerate(values):
        key = _NONE_KEY if value is None else _cache_key(value)
        if key not in cache:
            cache[key] = convert(value, row)
        out.append(cache[key])
    return out


def _has_time_of_day(value) -> bool:
    """True if ``value`` carries a time of day (New York wall clock not at midnight).

    Mirrors :func:`babaresearch.calendars.event_day0`: a bare date, or a timestamp at exactly
    midnight New York time, is a date; anything else is an instant placed by the open/close.
    """
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return False
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        return False
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(NEW_YORK)
    return stamp != stamp.normalize()


def _events_frame(events) -> pd.DataFrame:
    """Turn a DataFrame, a list of dicts or one dict into a DataFrame with a RangeIndex."""
    if isinstance(events, pd.DataFrame):
        frame = events.reset_index(drop=True)
    elif isinstance(events, Mapping):
        frame = pd.DataFrame([dict(events)])
    elif isinstance(events, Iterable) and not isinstance(events, (str, bytes)):
        rows = list(events)
        if not all(isinstance(row, Mapping) for row in rows):
            raise EventStudyError(
                "events must be a DataFrame or a list of dicts with 'ticker' and 'event_date'")
        frame = pd.DataFrame([dict(row) for row in rows])
    else:
        raise EventStudyError(f"events must be a DataFrame or a list of dicts, got {type(events).__name__}")
    if frame.empty:
        raise EventStudyError("no events given")
    if "ticker" not in frame.columns:
        raise EventStudyError(f"events need a 'ticker' column; got columns {list(frame.columns)}")
    if "event_date" not in frame.columns and "day0" not in frame.columns:
        raise EventStudyError(
            f"events need an 'event_date' (or 'day0') column; got columns {list(frame.columns)}")
    return frame


def _coerce_events(events, benchmark: str) -> pd.DataFrame:
    """Normalise the events into ``event, ticker, when, timed, event_date, timing, benchmark, day0``.

    ``when`` keeps the user's raw date (a timestamp with a time of day, ``timed``, is placed by
    the calendar's real open and close); ``event_date`` is its tz-naive date; ``day0`` is NaT
    unless given. Work is column-wise with one conversion per distinct value, so thousands of
    events cost milliseconds.
    """
    frame = _events_frame(events)
    n = len(frame)

    def column(name):
        return frame[name].tolist() if name in frame.columns else [None] * n

    raw_tickers, raw_dates, raw_day0 = column("ticker"), column("event_date"), column("day0")
    raw_timing, raw_bench = column("timing"), column("benchmark")
    ids, labels = column("event_id"), column("label")
    id_missing = _missing_mask(ids)
    raw_ids = [lab if gone else i for i, lab, gone in zip(ids, labels, id_missing, strict=True)]

    def ticker_of(what):
        def convert(value, row):
            try:
                return normalize_ticker(value)
            except InvalidTickerError as exc:
                raise InvalidTickerError(value, f"{what} of event row {row}: {exc}") from None
        return convert

    tickers = _convert_unique(raw_tickers, ticker_of("ticker"))

    def date_of(what):
        def convert(value, row):
            try:
                return to_date(value, what)
            except DateRangeError as exc:
                raise EventStudyError(f"event row {row} ({tickers[row]}): {exc}") from None
        return convert

    date_missing, day0_missing = _missing_mask(raw_dates), _missing_mask(raw_day0)
    neither = date_missing & day0_missing
    if neither.any():
        row = int(np.flatnonzero(neither)[0])
        raise EventStudyError(f"event row {row} ({tickers[row]}) has neither event_date nor day0")
    day0s = _convert_unique([None if gone else v for v, gone in zip(raw_day0, day0_missing, strict=True)],
                            lambda v, row: pd.NaT if v is None else date_of("day0")(v, row))
    dates = _convert_unique([None if gone else v for v, gone in zip(raw_dates, date_missing, strict=True)],
                            lambda v, row: None if v is None else (date_of("event_date")(v, row),
                                                                   _has_time_of_day(v)))
    event_dates = [day0s[row] if d is None else d[0] for row, d in enumerate(dates)]
    timed = [False if d is None else d[1] for d in dates]
    when = [day0s[row] if gone else v for row, (v, gone) in enumerate(zip(raw_dates, date_missing, strict=True))]

    timing_missing = _missing_mask(raw_timing)
    timings = [DEFAULT_TIMING if gone else str(t).strip().lower()
               for t, gone in zip(raw_timing, timing_missing, strict=True)]
    bad = [row for row, t in enumerate(timings) if t not in TIMINGS]
    if bad:
        row = bad[0]
        raise EventStudyError(f"event row {row} ({tickers[row]}): timing {raw_timing[row]!r} "
                              f"is not one of {list(TIMINGS)}")
    default_bench = normalize_ticker(benchmark)
    bench_missing = _missing_mask(raw_bench)
    benches = _convert_unique([None if gone else b for b, gone in zip(raw_bench, bench_missing, strict=True)],
                              lambda b, row: default_bench if b is None else ticker_of("benchmark")(b, row))

    day_text = _convert_unique(event_dates, lambda d, row: f"{d:%Y-%m-%d}")
    labels = [f"{t} {d}" if gone else str(i) for t, d, i, gone
              in zip(tickers, day_text, raw_ids, _missing_mask(raw_ids), strict=True)]
    seen: dict[str, int] = {}
    unique_labels = []
    for label in labels:  # repeated events stay distinguishable: "BABA 2025-08-29 #2"
        seen[label] = seen.get(label, 0) + 1
        unique_labels.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    return pd.DataFrame({
        "event": pd.Series(unique_labels, dtype=object),
        "ticker": pd.Series(tickers, dtype=object),
        "when": pd.Series(when, dtype=object),
        "timed": np.asarray(timed, dtype=bool),
        "event_date": pd.to_datetime(pd.Series(event_dates, dtype=object)).astype("datetime64[ns]"),
        "timing": pd.Series(timings, dtype=object),
        "benchmark": pd.Series(benches, dtype=object),
        "day0": pd.to_datetime(pd.Series(day0s, dtype=object)).astype("datetime64[ns]"),
    })


def _clean_returns(returns) -> pd.DataFrame:
    """Validate a user-supplied wide returns frame: DatetimeIndex, ticker columns, floats."""
    if not isinstance(returns, pd.DataFrame):
        raise EventStudyError(f"returns must be a DataFrame (date x ticker), got {type(returns).__name__}")
    try:
        index = pd.DatetimeIndex(pd.to_datetime(returns.index))
    except (TypeError, ValueError) as exc:
        raise EventStudyError(f"returns index must hold dates: {exc}") from None
    if index.tz is not None:
        index = index.tz_localize(None)
    index = index.normalize()
    if index.hasnans:
        raise EventStudyError("returns index has a missing date (NaT)")
    if index.has_duplicates:
        raise EventStudyError(f"returns index has a repeated date: {index[index.duplicated()][0].date()}")
    columns = [normalize_ticker(c) for c in returns.columns]
    if len(set(columns)) != len(columns):
        raise EventStudyError(f"returns has repeated ticker columns: {list(returns.columns)}")
    try:
        values = returns.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise EventStudyError(f"returns must be numeric: {exc}") from None
    values = np.where(np.isfinite(values), values, np.nan)  # an infinite return is missing data
    clean = pd.DataFrame(values, index=index.astype("datetime64[ns]"), columns=columns)
    return clean.sort_index()


def _load_returns(tickers: list[str], source: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Daily total returns of ``tickers`` via :func:`babaresearch.prices.returns`.

    Each ticker is loaded on its own so that one unknown ticker only marks its events
    ``"unknownticker"`` instead of failing the whole study. Returns the wide frame and, per
    ticker that could not be loaded, the loader's message.
    """
    from . import prices  # imported here: prices.py is a separate module, built concurrently

    series, notes = {}, {}
    for ticker in tickers:
        try:
            frame = prices.returns([ticker], adjusted=True, source=source)
        except (UnknownTickerError, NoDataError, LiveDataError) as exc:
            notes[ticker] = str(exc)
            continue
        if ticker in frame.columns:
            series[ticker] = frame[ticker]
    if not series:
        return pd.DataFrame(index=pd.DatetimeIndex([], dtype="datetime64[ns]")), notes
    return _clean_returns(pd.concat(series, axis=1)), notes


def _day0_by_rule(dates: np.ndarray, timings: np.ndarray, sessions: np.ndarray) -> np.ndarray:
    """Day 0 of bare dates on ``sessions``: ``amc`` -> the next session strictly after the
    date; ``bmo``/``intraday``/``unknown`` -> that date's session if it is one, else the next.
    Returns positions into ``sessions`` (``len(sessions)`` when beyond them)."""
    after_close = timings == "amc"
    positions = np.searchsorted(sessions, dates, side="left")
    positions[after_close] = np.searchsorted(sessions, dates[after_close], side="right")
    return positions


def _map_day0(table: pd.DataFrame, index: pd.DatetimeIndex) -> tuple[np.ndarray, dict[int, str]]:
    """Day 0 of every event (datetime64 array, NaT when it cannot be placed) and error notes.

    Follows :func:`babaresearch.calendars.event_day0`. Bare dates (the usual case) use its
    documented rule on :func:`babaresearch.calendars.nyse_sessions`, fetched once, so that
    thousands of events are placed by one ``searchsorted``; timestamps with a time of day (and
    dates beyond the calendar) go through ``event_day0`` itself, once per distinct value. Until
    calendars.py exists, the same rule is applied to the sessions of the returns frame.
    """
    try:
        from . import calendars
    except ImportError:  # calendars.py not written yet: fall back to the data's own sessions
        calendars = None
    day0 = table["day0"].to_numpy(dtype="datetime64[ns]").copy()
    todo = np.isnat(day0)
    notes: dict[int, str] = {}
    dates = table["event_date"].to_numpy(dtype="datetime64[ns]")
    timings = table["timing"].to_numpy(dtype=object)
    bare = todo & ~table["timed"].to_numpy(dtype=bool)

    if calendars is None:
        sessions = index.to_numpy(dtype="datetime64[ns]")
        positions = _day0_by_rule(dates[todo], timings[todo], sessions)
        placed = positions < len(sessions)
        rows = np.flatnonzero(todo)
        day0[rows[placed]] = sessions[positions[placed]]
        for row in rows[~placed]:
            notes[int(row)] = f"no session after {pd.Timestamp(dates[row]).date()} in the returns data"
        return day0, notes

    if bare.any():
        first, last = dates[bare].min(), dates[bare].max()
        try:
            sessions = calendars.nyse_sessions(pd.Timestamp(first), pd.Timestamp(last) + _DAY0_LOOKAHEAD)
        except BabaResearchError:  # a date near or beyond the calendar's ends: go one by one
            sessions = None
        if sessions is not None:
            sessions = pd.DatetimeIndex(sessions).to_numpy(dtype="datetime64[ns]")
            positions = _day0_by_rule(dates[bare], timings[bare], sessions)
            placed = positions < len(sessions)
            rows = np.flatnonzero(bare)
            day0[rows[placed]] = sessions[positions[placed]]

    whens = table["when"].tolist()
    cache: dict[tuple, object] = {}
    for row in np.flatnonzero(np.isnat(day0) & todo):
        key = (*_cache_key(whens[row]), timings[row])
        if key not in cache:
            try:
                cache[key] = pd.Timestamp(calendars.event_day0(whens[row], timings[row])).normalize()
            except BabaResearchError as exc:
                cache[key] = str(exc)
        value = cache[key]
        if isinstance(value, str):
            notes[int(row)] = value
        else:
            day0[row] = value.tz_localize(None).to_datetime64() if value.tzinfo else value.to_datetime64()
    return day0, notes


# ---------------------------------------------------------------------------------------------
# Gathering the panel
# ---------------------------------------------------------------------------------------------

@dataclass
class _Panel:
    """Returns of the ok events, aligned in relative time (one row per ok event)."""

    y_est: np.ndarray      # (N, T) stock returns in the estimation window, NaN where unusable
    x_est: np.ndarray      # (N, T) benchmark returns, NaN where unusable
    usable: np.ndarray     # (N, T) bool, day enters the estimation
    y_win: np.ndarray      # (N, L) stock returns in the event window (all finite)
    x_win: np.ndarray      # (N, L) benchmark returns in the event window (NaN if not needed and absent)


def _gather(table, returns, day0, day0_notes, load_notes, window, estimation, model, min_estimation):
    """Statuses, details, usable-estimation counts and the panel of ok events."""
    values = returns.to_numpy(dtype=float)
    dates = returns.index.to_numpy(dtype="datetime64[ns]")
    n_dates, _ = values.shape
    n_events = len(table)
    position = {ticker: i for i, ticker in enumerate(returns.columns)}
    finite = np.isfinite(values)
    has_data = finite.any(axis=0)
    first_valid = np.where(has_data, finite.argmax(axis=0), n_dates)
    last_valid = np.where(has_data, n_dates - 1 - finite[::-1].argmax(axis=0), -1)

    stock_col = np.array([position.get(t, -1) for t in table["ticker"]], dtype=int)
    stock_col = np.where((stock_col >= 0) & has_data[np.maximum(stock_col, 0)], stock_col, -1)
    bench_col = np.array([position.get(b, -1) for b in table["benchmark"]], dtype=int)
    bench_col = np.where((bench_col >= 0) & has_data[np.maximum(bench_col, 0)], bench_col, -1)

    placed = ~np.isnat(day0)
    p0 = np.full(n_events, n_dates, dtype=int)
    p0[placed] = np.searchsorted(dates, day0[placed], side="left")

    win_off = np.arange(window[0], window[1] + 1)
    est_off = np.arange(estimation[0], estimation[1] + 1)

    # window and estimation offsets together: one flat gather per column (fast fancy indexing)
    offsets = np.concatenate([win_off, est_off])
    rows = p0[:, None] + offsets[None, :]
    rows_inside = (rows >= 0) & (rows < n_dates)
    flat_rows = np.clip(rows, 0, n_dates - 1) * values.shape[1]
    flat_values = values.ravel()

    def take(column):
        picked = flat_values[flat_rows + np.maximum(column, 0)[:, None]]
        picked[~rows_inside | (column[:, None] < 0)] = np.nan
        return picked[:, :win_off.size], picked[:, win_off.size:]

    y_win, y_est = take(stock_col)
    x_win, x_est = take(bench_col)
    win_rows = rows[:, :win_off.size]

    needs_bench = model in MODELS_NEEDING_BENCHMARK
    usable = np.isfinite(y_est)
    if needs_bench:
        usable &= np.isfinite(x_est)
    n_est = usable.sum(axis=1)

    safe_col = np.maximum(stock_col, 0)
    lo, hi = first_valid[safe_col], last_valid[safe_col]
    out_of_range = ((~placed) | (p0 >= n_dates) | (p0 < lo) | (p0 > hi)
                    | (win_rows.min(axis=1) < lo) | (win_rows.max(axis=1) > hi))
    unknown = stock_col < 0
    # a stock regressed on itself has zero residuals: no test is possible, so no benchmark
    self_bench = (stock_col >= 0) & (stock_col == bench_col)
    no_bench = needs_bench & ((bench_col < 0) | self_bench | ~np.isfinite(x_win).all(axis=1))
    missing = ~np.isfinite(y_win).all(axis=1)
    short = n_est < min_estimation

    status = np.full(n_events, STATUS_OK, dtype=object)
    # Later assignments win: the most basic problem is the one reported.
    status[short] = STATUS_WRONGSPAN
    status[missing] = STATUS_DATA_MISSING
    status[no_bench] = STATUS_NO_BENCHMARK
    status[out_of_range] = STATUS_OUT_OF_RANGE
    status[unknown] = STATUS_UNKNOWN_TICKER

    detail = np.full(n_events, "", dtype=object)
    for row in np.flatnonzero(status != STATUS_OK):
        ticker, bench, kind = table["ticker"].iat[row], table["benchmark"].iat[row], status[row]
        if kind == STATUS_UNKNOWN_TICKER:
            detail[row] = load_notes.get(ticker, f"no returns for {ticker} in the data")
        elif kind == STATUS_OUT_OF_RANGE:
            if row in day0_notes:
                detail[row] = f"day 0 cannot be placed: {day0_notes[row]}"
            else:
                span = f"{pd.Timestamp(dates[lo[row]]).date()}..{pd.Timestamp(dates[hi[row]]).date()}"
                day0_outside = not placed[row] or p0[row] >= n_dates or not lo[row] <= p0[row] <= hi[row]
                where = "day 0" if day0_outside else "event window"
                detail[row] = f"{where} outside {ticker}'s data ({span})"
        elif kind == STATUS_NO_BENCHMARK:
            detail[row] = (f"benchmark {bench} not in the data" if bench_col[row] < 0 else
                           f"benchmark {bench} is the event's own ticker" if self_bench[row] else
                           f"benchmark {bench} has missing returns in the event window on "
                           + ", ".join(str(pd.Timestamp(dates[r]).date())
                                       for r in win_rows[row][~np.isfinite(x_win[row])]))
        elif kind == STATUS_DATA_MISSING:
            detail[row] = f"{ticker} has missing returns in the event window on " + ", ".join(
                str(pd.Timestamp(dates[r]).date()) for r in win_rows[row][~np.isfinite(y_win[row])])
        elif kind == STATUS_WRONGSPAN:
            detail[row] = (f"{n_est[row]} usable sessions in the estimation window, "
                           f"fewer than min_estimation={min_estimation}")

    ok = status == STATUS_OK
    panel = _Panel(
        y_est=np.where(usable, y_est, np.nan)[ok], x_est=np.where(usable, x_est, np.nan)[ok],
        usable=usable[ok], y_win=y_win[ok], x_win=x_win[ok],
    )
    raw_day0 = np.full(n_events, np.nan)
    inside = (stock_col >= 0) & (p0 < n_dates)
    raw_day0[inside] = values[p0[inside], stock_col[inside]]
    return status, detail, n_est, panel, win_rows[ok], raw_day0, np.where(p0 < n_dates, p0, -1)


# ---------------------------------------------------------------------------------------------
# Fitting the normal-return model
# ---------------------------------------------------------------------------------------------

def _fit_vectorized(panel: _Panel, model: str) -> dict[str, np.ndarray]:
    """Closed-form fit of all events at once (masked sums over the estimation window).

    For the market model, with centred benchmark returns ``dx`` over the usable days::

        beta = sum(dx dy) / sum(dx^2),  alpha = mean(y) - beta mean(x)
        var(CAR) = sigma^2 (L + L^2/T + (sum_window (x* - mean x))^2 / sum(dx^2))

    which is the matrix form ``sigma^2 1'(I + X*(X'X)^-1 X*')1`` written out for X = [1, x].
    """
    usable = panel.usable
    n = usable.sum(axis=1).astype(float)
    length = panel.y_win.shape[1]
    y = np.where(usable, panel.y_est, 0.0)
    y_mean = y.sum(axis=1) / n
    dy = np.where(usable, panel.y_est - y_mean[:, None], 0.0)
    nan = np.full(n.shape, np.nan)
    if model == "market":
        x = np.where(usable, panel.x_est, 0.0)
        x_mean = x.sum(axis=1) / n
        dx = np.where(usable, panel.x_est - x_mean[:, None], 0.0)
        sxx = (dx * dx).sum(axis=1)
        beta = (dx * dy).sum(axis=1) / sxx
        alpha = y_mean - beta * x_mean
        resid = dy - beta[:, None] * dx
        ssr = (resid * resid).sum(axis=1)
        r2 = 1.0 - ssr / (dy * dy).sum(axis=1)
        sigma2 = ssr / (n - 2.0)
        expected = alpha[:, None] + beta[:, None] * panel.x_win
        window_dev = (panel.x_win - x_mean[:, None]).sum(axis=1)
        var_car = sigma2 * (length + length**2 / n + window_dev**2 / sxx)
    elif model == "constant_mean":
        alpha, beta, r2 = y_mean, nan, nan
        resid = dy
        sigma2 = (dy * dy).sum(axis=1) / (n - 1.0)
        expected = np.repeat(y_mean[:, None], length, axis=1)
        var_car = sigma2 * (length + length**2 / n)
    else:  # market_adjusted: nothing estimated, AR = R - Rm
        alpha, beta, r2 = np.zeros_like(n), np.ones_like(n), nan
        resid = np.where(usable, panel.y_est - panel.x_est, 0.0)
        sigma2 = (resid * resid).sum(axis=1) / n
        expected = panel.x_win.copy()
        var_car = sigma2 * length
    return {
        "alpha": alpha, "beta": beta, "r2": r2, "sigma": np.sqrt(sigma2), "var_car": var_car,
        "expected": expected, "ar": panel.y_win - expected,
        "ar_est": np.where(usable, resid, np.nan),
    }


def _fit_statsmodels(panel: _Panel, model: str) -> dict[str, np.ndarray]:
    """Reference path: one statsmodels OLS per event and the CLM matrix form of var(CAR).

    Slow (a Python loop), kept to check :func:`_fit_vectorized` and for auditing one event.
    """
    import statsmodels.api as sm

    n_events, length = panel.y_win.shape
    out = {name: np.full(n_events, np.nan) for name in ("alpha", "beta", "r2", "sigma", "var_car")}
    out["expected"] = np.full((n_events, length), np.nan)
    out["ar_est"] = np.full(panel.y_est.shape, np.nan)
    ones = np.ones(length)
    for i in range(n_events):
        mask = panel.usable[i]
        y = panel.y_est[i, mask]
        if model == "market_adjusted":  # no parameter to estimate: plain arithmetic
            resid = y - panel.x_est[i, mask]
            sigma2 = resid @ resid / resid.size
            expected = panel.x_win[i]
            var_car = sigma2 * length
            alpha, beta, r2 = 0.0, 1.0, np.nan
        else:
            if model == "market":
                design = sm.add_constant(panel.x_est[i, mask], has_constant="add")
                design_win = np.column_stack([ones, panel.x_win[i]])
            else:
                design = np.ones((y.size, 1))
                design_win = ones[:, None]
            fit = sm.OLS(y, design).fit()
            resid = fit.resid
            sigma2 = fit.scale  # ssr / (n - k)
            expected = design_win @ fit.params
            covariance = np.eye(length) + design_win @ fit.normalized_cov_params @ design_win.T
            var_car = sigma2 * ones @ covariance @ ones
            alpha = fit.params[0]
            beta = fit.params[1] if model == "market" else np.nan
            r2 = fit.rsquared if model == "market" else np.nan
        out["alpha"][i], out["beta"][i], out["r2"][i] = alpha, beta, r2
        out["sigma"][i], out["var_car"][i] = np.sqrt(sigma2), var_car
        out["expected"][i] = expected
        out["ar_est"][i, mask] = resid
    out["ar"] = panel.y_win - out["expected"]
    return out


# ---------------------------------------------------------------------------------------------
# Aggregates
# ---------------------------------------------------------------------------------------------

def _aggregate(fit: dict, car: np.ndarray, bhar: np.ndarray, dof: np.ndarray, window) -> pd.DataFrame:
    """One row per cross-event statistic (see :mod:`babaresearch.eventstats`)."""
    n = car.size
    rows = []
    t_cs, p_cs, _ = eventstats.cross_sectional_t(car)
    rows.append(("caar", float(car.mean()) if n else np.nan, p_cs, n,
                 "mean CAR over the window; p-value of the cross-sectional t"))
    rows.append(("cross_sectional_t", t_cs, p_cs, n, eventstats.REF_BROWN_WARNER))
    scar = eventstats.standardized_car(car, fit["var_car"])
    rows.append(("patell_z", *eventstats.patell_z(scar, dof), eventstats.REF_PATELL))
    rows.append(("bmp_t", *eventstats.bmp_t(scar), eventstats.REF_BMP))
    combined = np.concatenate([fit["ar_est"], fit["ar"]], axis=1)
    ranks = eventstats.standardized_ranks(combined)  # ranked once, used by both rank tests
    n_est_days = fit["ar_est"].shape[1]
    length = fit["ar"].shape[1]
    if window[0] <= 0 <= window[1]:
        day0_col = n_est_days - window[0]
        rows.append(("aar_day0", float(fit["ar"][:, -window[0]].mean()) if n else np.nan, np.nan, n,
                     "mean abnormal return on day 0 (descriptive)"))
        rows.append(("corrado_rank_day0", *eventstats.corrado_rank(combined, [day0_col], ranks=ranks),
                     eventstats.REF_CORRADO))
    rows.append(("corrado_rank_window",
                 *eventstats.corrado_rank(combined, np.arange(n_est_days, n_est_days + length), ranks=ranks),
                 eventstats.REF_CORRADO_COWAN))
    rows.append(("generalized_sign_z", *eventstats.generalized_sign_z(car, fit["ar_est"]),
                 eventstats.REF_COWAN_SIGN))
    rows.append(("mean_bhar", float(bhar.mean()) if n else np.nan, np.nan, n,
                 "mean buy-and-hold abnormal return (descriptive)"))
    frame = pd.DataFrame(rows, columns=list(AGGREGATE_COLUMNS))
    frame["name"] = frame["name"].astype(object)
    frame["reference"] = frame["reference"].astype(object)
    frame["n"] = frame["n"].astype(int)
    return frame


# ---------------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------------

def event_study(events, *, window: tuple[int, int] = (-1, 1), estimation: tuple[int, int] = (-250, -11),
                model: str = "market", benchmark: str = "SPY", min_estimation: int = 120,
                returns: pd.DataFrame | None = None, source: str = "auto",
                method: str = "vectorized") -> EventStudyResult:
    """Run an event study of daily returns around dated events.

    Parameters
    ----------
    events : DataFrame or list of dict
        One row per event: ``ticker`` and ``event_date`` (or ``day0``, a session already
        mapped); optional ``timing`` (``"bmo"`` default, ``"amc"``, ``"intraday"``), per-event
        ``benchmark``, and ``event_id`` or ``label`` naming the event (default
        ``"TICKER YYYY-MM-DD"``).
    window : (int, int)
        Event window in sessions relative to day 0, both ends included.
    estimation : (int, int)
        Estimation window in sessions relative to day 0; must not overlap ``window``.
    model : {"market", "constant_mean", "market_adjusted"}
        Normal-return model. ``"market"``: OLS ``R = alpha + beta Rm + e`` over the estimation
        window (k = 2); ``"constant_mean"``: ``R = mu + e`` (k = 1); ``"market_adjusted"``:
        ``R = Rm + e`` with nothing estimated (k = 0; alpha 0 and beta 1 are imposed and sigma
        is the root mean square of ``R - Rm``).
    benchmark : str
        Default benchmark ticker (per-event ``benchmark`` overrides it).
    min_estimation : int
        Fewest usable estimation sessions (days with NaN stock or benchmark returns are
        dropped) for an event to be used; fewer gives status ``"wrongspan"``.
    returns : DataFrame, optional
        Wide simple daily returns (date x ticker, decimal). When omitted, loaded with
        :func:`babaresearch.prices.returns` (``adjusted=True``, ``source=source``).
    source : str
        Price source passed to :func:`babaresearch.prices.returns`.
    method : {"vectorized", "statsmodels"}
        ``"vectorized"`` fits every event at once in numpy; ``"statsmodels"`` runs one OLS per
        event (reference path, same numbers to rounding).

    Returns
    -------
    EventStudyResult
        Per event (``.summary``): ``car`` = sum of ARs over the window; ``bhar`` = buy-and-hold
        stock return minus buy-and-hold expected return over the window,
        ``prod(1 + R) - prod(1 + E[R])`` (E[R] = the model's expected return, i.e. the
        benchmark itself for ``market_adjusted``); ``sigma`` = estimation residual standard
        deviation with ddof = k; ``t``/``p`` = CAR t-test with the prediction-error variance
        ``sigma^2 1'(I + X*(X'X)^-1 X*')1`` (Campbell, Lo & MacKinlay 1997, ch. 4) on
        ``n_est - k`` degrees of freedom. Across ok events (``.aggregate``): ``caar``,
        ``cross_sectional_t`` (Brown & Warner 1985), ``patell_z`` (Patell 1976), ``bmp_t``
        (Boehmer, Musumeci & Poulsen 1991), ``aar_day0`` and ``corrado_rank_day0`` (Corrado
        1989; only when day 0 is in the window), ``corrado_rank_window`` (Cowan 1992),
        ``generalized_sign_z`` (Cowan 1992), ``mean_bhar``.

    Raises
    ------
    EventStudyError
        Bad settings (unknown model, reversed or overlapping windows, impossible
        ``min_estimation``), malformed events, or no event with status ``"ok"``.
    InvalidTickerError
        A malformed ticker or benchmark.
    """
    window, estimation = _check_settings(window, estimation, model, min_estimation, method)
    table = _coerce_events(events, benchmark)
    if returns is None:
        needed = list(dict.fromkeys([*table["ticker"], *table["benchmark"]]))
        returns, load_notes = _load_returns(needed, source)
    else:
        returns, load_notes = _clean_returns(returns), {}
    if returns.shape[0] == 0:
        raise EventStudyError("the returns data is empty")

    day0, day0_notes = _map_day0(table, returns.index)
    status, detail, n_est, panel, win_rows, raw_day0, p0 = _gather(
        table, returns, day0, day0_notes, load_notes, window, estimation, model, min_estimation)
    ok = status == STATUS_OK
    if not ok.any():
        counts = pd.Series(status).value_counts().to_dict()
        first = int(np.flatnonzero(~ok)[0])
        raise EventStudyError(
            f"no usable event: statuses {counts}; e.g. {table['event'].iat[first]}: {detail[first]}")

    fit = (_fit_vectorized if method == "vectorized" else _fit_statsmodels)(panel, model)
    k = MODEL_PARAMETERS[model]
    dof = n_est[ok] - k
    car = fit["ar"].sum(axis=1)
    bhar = np.prod(1.0 + panel.y_win, axis=1) - np.prod(1.0 + fit["expected"], axis=1)
    t_stat, p_value = eventstats.car_t_test(car, fit["var_car"], dof)

    dates = returns.index.to_numpy(dtype="datetime64[ns]")
    day0_session = np.where(p0 >= 0, dates[np.maximum(p0, 0)], np.datetime64("NaT"))
    summary = pd.DataFrame({
        "event": table["event"], "ticker": table["ticker"], "event_date": table["event_date"],
        "day0": pd.Series(day0_session, dtype="datetime64[ns]"), "benchmark": table["benchmark"],
        "model": pd.Series([model] * len(table), dtype=object),
        "status": pd.Series(status, dtype=object),
    })
    for name, values in (("car", car), ("bhar", bhar), ("t", t_stat), ("p", p_value),
                         ("alpha", fit["alpha"]), ("beta", fit["beta"]), ("r2", fit["r2"])):
        column = np.full(len(table), np.nan)
        column[ok] = values
        summary[name] = column
    summary["n_est"] = n_est.astype(int)
    sigma = np.full(len(table), np.nan)
    sigma[ok] = fit["sigma"]
    summary["sigma"] = sigma
    summary["raw_return_day0"] = raw_day0
    summary["detail"] = pd.Series(detail, dtype=object)

    n_ok, length = panel.y_win.shape
    rel_days = np.arange(window[0], window[1] + 1)
    abnormal = pd.DataFrame({
        "event": np.repeat(table["event"].to_numpy(dtype=object)[ok], length),
        "ticker": np.repeat(table["ticker"].to_numpy(dtype=object)[ok], length),
        "rel_day": np.tile(rel_days, n_ok),
        "date": pd.Series(dates[win_rows.ravel()], dtype="datetime64[ns]"),
        "ret": panel.y_win.ravel(),
        "bench_ret": panel.x_win.ravel(),
        "expected": fit["expected"].ravel(),
        "ar": fit["ar"].ravel(),
        "car": np.cumsum(fit["ar"], axis=1).ravel(),
    })
    aggregate = _aggregate(fit, car, bhar, dof, window)
    return EventStudyResult(
        abnormal=abnormal, summary=summary, aggregate=aggregate, model=model, window=window,
        estimation=estimation, benchmark=table["benchmark"].iat[0] if len(set(table["benchmark"])) == 1
        else normalize_ticker(benchmark), min_estimation=int(min_estimation), method=method,
        extras={"var_car": pd.Series(fit["var_car"], index=table["event"].to_numpy(dtype=object)[ok])},
    )
