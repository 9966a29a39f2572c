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
``wdatamissing``   a missing stock return (NaN, e.g. a filler bar) inside the event window,
                   or day 0's session has no row at all in the returns (the date is named;
                   the event is never moved silently to the next row)
``nobenchmark``    benchmark unknown, missing inside the event window, the event's own
                   ticker, or flat (constant) over the estimation window so that the market
                   model's beta cannot be estimated
``unknownticker``  ticker absent from the data (or without any return)
``outofrange``     day 0 or part of the event window outside the ticker's data
``novariance``     the normal-return model fits the estimation window exactly (residual
                   variance zero to rounding, e.g. a stale price with zero returns): every
                   standardised statistic would divide by zero
=================  =====================================================================

Statistics (see :mod:`babaresearch.eventstats` for the formulas and references): per event the
CAR t-test with the prediction-error variance of Campbell, Lo & MacKinlay (1997, ch. 4); across
events the cross-sectional t (Brown & Warner 1985), Patell (1976) Z in the CAR form of Campbell,
Lo & MacKinlay's J2, BMP t (Boehmer, Musumeci & Poulsen 1991), Corrado (1989) rank test (day 0,
and the window per Cowan 1992; days weighted by their share of observed events, Kolari &
Pynnönen 2011) and the generalized sign test (Cowan 1992).

Judgement calls, stated so a reader can tell them from the papers:

* **Patell Z** standardises each event's whole CAR by its full prediction-error variance (the
  J2 statistic of Campbell, Lo & MacKinlay 1997, 4.4.3), not Patell's day-by-day standardised
  ARs summed over the window. The two coincide for a one-day window; over several days they
  differ through the off-diagonal prediction-error terms and the days' unequal variances,
  both of order L/T (small for a 3-day window on 240 estimation sessions).
* **Market-adjusted variance** is the textbook one of Brown & Warner (1985): the sample
  variance of the estimation-window ARs around their mean, ``T - 1`` degrees of freedom
  (``RESIDUAL_DDOF``); the ARs themselves are ``R - Rm`` (not demeaned).
* **BHAR** compounds the model's expected return, ``prod(1 + R) - prod(1 + E[R])``, so it is
  consistent with the AR and CAR; Barber & Lyon (1997) compound the benchmark's (or a matched
  portfolio's) return instead. The two coincide for ``market_adjusted``.
* **No cross-correlation adjustment**: events sharing calendar dates (the same release day
  for several tickers, or one market-wide event) are treated as independent. Their abnormal
  returns are then positively correlated and the cross-sectional t, Patell Z, BMP t, the rank
  tests and the generalized sign test all overstate significance; Kolari & Pynnönen (2010)
  give the adjustment (the per-event CAR t-test is not affected). Cluster such events into one
  portfolio, or read those statistics with that in mind.

Speed (``method="vectorized"``, the default): no step loops over events in Python. Events are
parsed column-wise (one conversion per distinct ticker, date string or label), day 0 is placed
by one ``searchsorted`` on the session calendar, every event's windows are gathered by fancy
indexing of a NaN-padded (tickers x sessions) copy of the returns, usable-day counts come from
running totals, and the fit and the ranks of the rank tests run on blocks of events small
enough to stay in the CPU cache; the output frames are built once from whole columns. 5,000
events with a 250-session estimation window take well under 0.1 s on one core
(``benchmarks/bench_events.py``). ``method="statsmodels"`` fits one OLS per event instead and
gives the same numbers (to about 1e-14); it exists to check the closed forms.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from . import eventstats
from .calendars import TIMINGS, event_day0, event_day0s, new_york_instant
from .dates import MARKET_TZ, to_date
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
STATUS_NO_VARIANCE = "novariance"
#: Every status an event can get, ``"ok"`` first.
STATUSES: tuple[str, ...] = (
    STATUS_OK, STATUS_WRONGSPAN, STATUS_DATA_MISSING, STATUS_NO_BENCHMARK,
    STATUS_UNKNOWN_TICKER, STATUS_OUT_OF_RANGE, STATUS_NO_VARIANCE,
)

#: Normal-return models and the number of parameters each estimates for the expected return.
MODEL_PARAMETERS: dict[str, int] = {"market_adjusted": 0, "constant_mean": 1, "market": 2}
#: Degrees of freedom lost by each model's residual variance (``k`` in the formulas): sigma^2
#: uses ddof = k and the t-tests ``n_est - k`` degrees of freedom. The market-adjusted model
#: estimates no parameter of the expected return, but its variance is taken around the mean AR
#: (Brown & Warner 1985), which costs one degree of freedom.
RESIDUAL_DDOF: dict[str, int] = {"market_adjusted": 1, "constant_mean": 1, "market": 2}
#: Relative size under which a spread counts as zero (rounding noise of a constant series is
#: about 1e-16 of its level, real daily returns vary by far more than 1e-10 of theirs): a
#: benchmark is flat when its estimation-window standard deviation is at most this fraction of
#: its mean's magnitude, and a residual variance is zero when the residual root mean square is
#: at most this fraction of the stock's.
_ZERO_SPREAD_RELATIVE = 1e-10
#: Models whose expected return needs the benchmark's return.
MODELS_NEEDING_BENCHMARK: frozenset[str] = frozenset({"market_adjusted", "market"})
METHODS: tuple[str, ...] = ("vectorized", "statsmodels")
#: Timing of an event that gives none (see :data:`babaresearch.calendars.TIMINGS`).
DEFAULT_TIMING = "bmo"
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

def mean_car_path(abnormal: pd.DataFrame, confidence: float = BAND_LEVEL) -> pd.DataFrame:
    """Mean CAR per relative day across events, with its confidence band.

    Parameters
    ----------
    abnormal : DataFrame
        One row per event and relative day with ``rel_day`` and ``car`` (decimal), as
        :attr:`EventStudyResult.abnormal`.
    confidence : float
        Two-sided level of the band, in (0, 1); default :data:`BAND_LEVEL` (0.95).

    Returns
    -------
    DataFrame
        Indexed by ``rel_day``: ``mean_car``, ``lower``, ``upper`` (decimal) and ``n``. The
        band is ``mean +/- t_{(1+confidence)/2, n-1} * s / sqrt(n)`` with ``s`` the
        cross-sectional standard deviation of the CARs that day (Student t: event counts are
        small); NaN when n < 2.

    Raises
    ------
    EventStudyError
        ``confidence`` is not a number in (0, 1).
    """
    from scipy import stats

    if isinstance(confidence, bool) or not (isinstance(confidence, (int, float)) and 0 < confidence < 1):
        raise EventStudyError(f"confidence {confidence!r} must be in (0, 1)")
    grouped = abnormal.groupby("rel_day")["car"]
    mean = grouped.mean()
    spread = grouped.std(ddof=1)
    count = grouped.count()
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + confidence / 2.0, count - 1) * spread / np.sqrt(count)
    return pd.DataFrame({"mean_car": mean, "lower": mean - half, "upper": mean + half,
                         "n": count})


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
        detail``. ``day0`` is the session day 0 was placed on, also when that session has no
        row in the returns (status ``"wdatamissing"``); NaT when it cannot be placed or falls
        after the data. Numbers are NaN exactly when ``status != "ok"`` (except ``n_est``, the usable
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

    def mean_car_path(self, confidence: float = BAND_LEVEL) -> pd.DataFrame:
        """Mean CAR per relative day across ``"ok"`` events with its confidence band.

        Parameters
        ----------
        confidence : float
            Two-sided level of the band, in (0, 1); default :data:`BAND_LEVEL` (0.95).

        Returns
        -------
        DataFrame
            See :func:`mean_car_path`.
        """
        return mean_car_path(self.abnormal, confidence)

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

#: Farthest a window bound may lie from day 0, in sessions (about 20 years: more than any
#: price history the library reads; the NYSE calendar itself spans 2015-2028).
MAX_RELATIVE_SESSIONS = 5_000


def _check_settings(window, estimation, model, min_estimation,
                    method) -> tuple[tuple[int, int], tuple[int, int]]:
    """Validate the study parameters; raise :class:`EventStudyError` naming the culprit.

    Window bounds must be whole numbers of sessions within ``MAX_RELATIVE_SESSIONS`` of day 0:
    no data set the library reads holds more sessions than that, and a wider window would only
    allocate memory for days that cannot exist (``window=(-1, 10**9)`` once asked for 22 GiB).
    """
    if not isinstance(model, str) or model not in MODEL_PARAMETERS:
        raise EventStudyError(f"unknown model {model!r}; expected one of {sorted(MODEL_PARAMETERS)}")
    if not isinstance(method, str) or method not in METHODS:
        raise EventStudyError(f"unknown method {method!r}; expected one of {list(METHODS)}")
    pairs = []
    for name, pair in (("window", window), ("estimation", estimation)):
        try:
            lo, hi = pair
            if isinstance(lo, (bool, np.bool_)) or isinstance(hi, (bool, np.bool_)):
                raise TypeError
            if int(lo) != lo or int(hi) != hi:
                raise ValueError
            lo, hi = int(lo), int(hi)
        except (TypeError, ValueError, OverflowError):
            raise EventStudyError(
                f"{name} must be a pair of integers (relative sessions), got {pair!r}") from None
        for bound in (lo, hi):
            if abs(bound) > MAX_RELATIVE_SESSIONS:
                raise EventStudyError(
                    f"{name} {pair!r}: {bound} sessions from day 0 is beyond any data the "
                    f"library holds (at most {MAX_RELATIVE_SESSIONS} sessions, about "
                    f"{MAX_RELATIVE_SESSIONS // 252} years)")
        if lo > hi:
            raise EventStudyError(f"{name} {pair!r} is reversed: start {lo} is after end {hi}")
        pairs.append((lo, hi))
    (w0, w1), (e0, e1) = pairs
    if e0 <= w1 and w0 <= e1:
        raise EventStudyError(
            f"estimation window {(e0, e1)} overlaps the event window {(w0, w1)}: the normal-return "
            "model would be fitted on the event it is meant to measure"
        )
    minimum = RESIDUAL_DDOF[model] + _PATELL_MIN_EXTRA_DOF
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


def _distinct_cells(column: pd.Series) -> tuple[np.ndarray, list]:
    """Codes and distinct values of one events column: ``column[i] == distinct[codes[i]]``.

    ``distinct`` is in order of first appearance (so converting it in order meets a bad value
    at its first row, as a row-by-row loop would) and includes missing cells (None, NaN, NaT).
    Columns of strings, numbers or booleans are deduplicated by one ``pandas.factorize`` hash
    pass. Anything else (timestamps, mixed objects) goes cell by cell through
    :func:`_cache_key`, which keeps the type and the timezone apart: ``1 == 1.0 == True`` and
    equal instants in two zones (different local dates) must not share one conversion.
    """
    dtype = column.dtype
    if dtype == object:
        hashable_by_value = pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty")
    else:
        hashable_by_value = (pd.api.types.is_string_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype)) \
            and not isinstance(dtype, pd.CategoricalDtype)
    if hashable_by_value:
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        codes, distinct = np.asarray(codes, dtype=np.intp), list(uniques.tolist())
        for j in np.flatnonzero(pd.isna(np.asarray(distinct, dtype=object))):
            # factorize merges None / NaN / NA into one value: keep the raw first one
            distinct[j] = column.iat[int(np.argmax(codes == j))]
        return codes, distinct
    keys: dict[tuple, int] = {}
    distinct: list = []
    codes = np.empty(len(column), dtype=np.intp)
    for row, value in enumerate(column.tolist()):
        key = _NONE_KEY if value is None else _cache_key(value)
        code = keys.get(key)
        if code is None:
            code = keys[key] = len(distinct)
            distinct.append(value)
        codes[row] = code
    return codes, distinct


def _first_rows(codes: np.ndarray, n_distinct: int) -> np.ndarray:
    """Row of the first occurrence of each code ``0 .. n_distinct - 1``."""
    _, first = np.unique(codes, return_index=True)
    return first[:n_distinct]


def _convert_distinct(codes: np.ndarray, distinct: list, convert, *, skip: np.ndarray | None = None,
                      fill=None) -> np.ndarray:
    """``convert(value, row)`` once per distinct value (``row`` = its first row), spread to every row.

    Distinct values flagged in ``skip`` are not converted and become ``fill``.
    """
    first = _first_rows(codes, len(distinct))
    converted = np.empty(len(distinct), dtype=object)
    for j, value in enumerate(distinct):
        converted[j] = fill if skip is not None and skip[j] else convert(value, int(first[j]))
    return converted[codes]


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


_NAT = np.datetime64("NaT", "ns")


class _DateCells:
    """One date column of the events: its missing cells now, its parsed dates on demand.

    Typed datetime columns are parsed in bulk (the same rule as :func:`to_date` and
    :func:`babaresearch.calendars.new_york_instant`, column-wise); other columns once per distinct value.
    """

    def __init__(self, frame: pd.DataFrame, name: str, what: str):
        self.n, self.what = len(frame), what
        self.column = frame[name] if name in frame.columns else None
        dtype = None if self.column is None else self.column.dtype
        self.typed = dtype is not None and (isinstance(dtype, pd.DatetimeTZDtype)
                                            or pd.api.types.is_datetime64_dtype(dtype))
        if self.column is None:
            self.missing = np.ones(self.n, dtype=bool)
        elif self.typed:
            self.missing = self.column.isna().to_numpy(dtype=bool)
        else:
            self.codes, self.distinct = _distinct_cells(self.column)
            self.distinct_missing = _missing_mask(self.distinct)
            self.missing = self.distinct_missing[self.codes]

    def parse(self, tickers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(dates, timed)``: tz-naive midnight datetime64[ns] (NaT where missing) and whether
        the cell carried a New York time of day. Raises naming the first bad row."""
        if self.column is None:
            return np.full(self.n, _NAT), np.zeros(self.n, dtype=bool)
        if self.typed:
            column = self.column
            if isinstance(column.dtype, pd.DatetimeTZDtype):
                # an instant is dated by its New York day, as to_date does cell by cell (the
                # column's own zone may be a day ahead, e.g. Asia/Shanghai before the US open)
                clock = column.dt.tz_convert(MARKET_TZ)
                local = clock.dt.tz_localize(None)
            else:
                local = clock = column
            dates = local.dt.normalize().to_numpy(dtype="datetime64[ns]")
            timed = (clock != clock.dt.normalize()).to_numpy(dtype=bool) & ~self.missing
            return dates, timed

        def convert(value, row):
            try:
                return to_date(value, self.what), new_york_instant(value) is not None
            except DateRangeError as exc:
                raise EventStudyError(f"event row {row} ({tickers[row]}): {exc}") from None

        first = _first_rows(self.codes, len(self.distinct))
        parsed = [(pd.NaT, False) if gone else convert(value, int(row))
                  for value, gone, row in zip(self.distinct, self.distinct_missing, first, strict=True)]
        stamps = pd.to_datetime(pd.Series([p[0] for p in parsed], dtype=object)).astype("datetime64[ns]")
        timed = np.fromiter((p[1] for p in parsed), dtype=bool, count=len(parsed))
        return stamps.to_numpy(dtype="datetime64[ns]")[self.codes], timed[self.codes]


def _text_cells(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
    """``str`` of each cell of an optional column (None where missing) and the missing mask."""
    n = len(frame)
    if name not in frame.columns:
        return np.full(n, None, dtype=object), np.ones(n, dtype=bool)
    codes, distinct = _distinct_cells(frame[name])
    gone = _missing_mask(distinct)
    return _convert_distinct(codes, distinct, lambda v, row: str(v), skip=gone), gone[codes]


def _number_repeats(labels: np.ndarray) -> np.ndarray:
    """Make labels unique: the 2nd, 3rd, ... occurrence of a label gets `` #2``, `` #3``, ..."""
    codes, _ = pd.factorize(labels)
    order = np.argsort(codes, kind="stable")  # rows grouped by label, in row order within
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    group_start = np.repeat(starts, np.diff(np.r_[starts, codes.size]))
    occurrence = np.empty_like(codes)
    occurrence[order] = np.arange(codes.size) - group_start
    out = labels.copy()
    for row in np.flatnonzero(occurrence):
        out[row] = f"{labels[row]} #{occurrence[row] + 1}"
    return out


def _coerce_events(events, benchmark: str) -> pd.DataFrame:
    """Normalise the events into ``event, ticker, when, timed, event_date, timing, benchmark, day0``.

    ``when`` keeps the user's raw date (a timestamp with a time of day, ``timed``, is placed by
    the calendar's real open and close); ``event_date`` is its tz-naive date; ``day0`` is NaT
    unless given. Work is column-wise: datetime columns in bulk, other columns with one
    conversion per distinct value, so thousands of events cost a few milliseconds.
    """
    frame = _events_frame(events)

    def ticker_of(what):
        def convert(value, row):
            try:
                return normalize_ticker(value)
            except InvalidTickerError as exc:
                raise InvalidTickerError(value, f"{what} of event row {row}: {exc}") from None
        return convert

    # every ticker is converted, missing ones too: normalize_ticker names the first bad row
    tickers = _convert_distinct(*_distinct_cells(frame["ticker"]), ticker_of("ticker"))

    date_cells, day0_cells = _DateCells(frame, "event_date", "event_date"), _DateCells(frame, "day0", "day0")
    neither = date_cells.missing & day0_cells.missing
    if neither.any():
        row = int(np.flatnonzero(neither)[0])
        raise EventStudyError(f"event row {row} ({tickers[row]}) has neither event_date nor day0")
    day0s, _ = day0_cells.parse(tickers)
    dates, timed = date_cells.parse(tickers)
    event_dates = np.where(date_cells.missing, day0s, dates)
    timed = timed & ~date_cells.missing
    when = date_cells.column if date_cells.column is not None else pd.Series(day0s)

    if "timing" in frame.columns:
        codes, distinct = _distinct_cells(frame["timing"])
        timings = _convert_distinct(codes, distinct, lambda t, row: str(t).strip().lower(),
                                    skip=_missing_mask(distinct), fill=DEFAULT_TIMING)
        bad = np.flatnonzero(~np.isin(timings, TIMINGS))
        if bad.size:
            row = int(bad[0])
            raise EventStudyError(f"event row {row} ({tickers[row]}): timing {distinct[codes[row]]!r} "
                                  f"is not one of {list(TIMINGS)}")
    else:
        timings = np.full(len(frame), DEFAULT_TIMING, dtype=object)

    default_bench = normalize_ticker(benchmark)
    if "benchmark" in frame.columns:
        codes, distinct = _distinct_cells(frame["benchmark"])
        benches = _convert_distinct(codes, distinct, ticker_of("benchmark"), skip=_missing_mask(distinct),
                                    fill=default_bench)
    else:
        benches = np.full(len(frame), default_bench, dtype=object)

    # name: event_id, else label, else "TICKER YYYY-MM-DD"; repeats get " #2", " #3", ...
    ids, id_missing = _text_cells(frame, "event_id")
    labels, label_missing = _text_cells(frame, "label")
    names = np.where(id_missing, labels, ids)
    unnamed = id_missing & label_missing
    if unnamed.any():
        day_text = np.datetime_as_string(event_dates[unnamed], unit="D").astype(object)
        names[unnamed] = tickers[unnamed] + " " + day_text
    return pd.DataFrame({
        "event": pd.Series(_number_repeats(names), dtype=object),
        "ticker": pd.Series(tickers, dtype=object),
        "when": when.reset_index(drop=True),
        "timed": timed,
        "event_date": pd.Series(event_dates, dtype="datetime64[ns]"),
        "timing": pd.Series(timings, dtype=object),
        "benchmark": pd.Series(benches, dtype=object),
        "day0": pd.Series(day0s, dtype="datetime64[ns]"),
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
    from . import prices  # only here: a study on returns the caller passes never loads prices

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


def _map_day0(table: pd.DataFrame) -> tuple[np.ndarray, dict[int, str]]:
    """Day 0 of every event (datetime64 array, NaT when it cannot be placed) and error notes.

    Bare dates (the usual case) are placed together by
    :func:`babaresearch.calendars.event_day0s`, so thousands of events cost one
    ``searchsorted``; timestamps with a time of day, and dates it cannot place (beyond the
    calendar), go through :func:`babaresearch.calendars.event_day0` once per distinct value,
    which either places them or says why not.
    """
    day0 = table["day0"].to_numpy(dtype="datetime64[ns]").copy()
    todo = np.isnat(day0)
    notes: dict[int, str] = {}
    dates = table["event_date"].to_numpy(dtype="datetime64[ns]")
    timings = table["timing"].to_numpy(dtype=object)
    bare = todo & ~table["timed"].to_numpy(dtype=bool)
    if bare.any():
        day0[bare] = event_day0s(dates[bare], timings[bare]).to_numpy(dtype="datetime64[ns]")

    whens = table["when"]
    cache: dict[tuple, object] = {}
    for row in np.flatnonzero(np.isnat(day0) & todo):
        when = whens.iat[row]
        key = (*_cache_key(when), timings[row])
        if key not in cache:
            try:
                cache[key] = pd.Timestamp(event_day0(when, timings[row])).normalize()
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
    """Returns of the ok events, aligned in relative time (one row per ok event).

    The event windows are small and gathered up front; the (events x sessions) estimation
    windows are gathered on demand by :meth:`estimation`, block by block, so that the vectorized
    fit reads them while they are still in the CPU cache instead of from one large copy.
    """

    y_win: np.ndarray      # (N, L) stock returns in the event window (all finite)
    x_win: np.ndarray      # (N, L) benchmark returns in the event window (NaN if not needed and absent)
    n_est: np.ndarray      # (N,) usable sessions in the estimation window
    windows: "_Windows"    # the padded returns to gather from
    stock_col: np.ndarray  # (N,) column of each event's stock in the returns
    bench_col: np.ndarray  # (N,) column of its benchmark (-1: none)
    p0: np.ndarray         # (N,) row of day 0
    estimation: tuple[int, int]
    needs_bench: bool

    @property
    def n_events(self) -> int:
        return self.y_win.shape[0]

    @property
    def n_est_days(self) -> int:
        return self.estimation[1] - self.estimation[0] + 1

    def estimation_returns(self, rows: slice = slice(None)) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(y_est, x_est, usable)`` of the events in ``rows``, each (n, T).

        ``y_est``/``x_est`` are the stock and benchmark returns over the estimation window and
        ``usable`` flags the days that enter the estimation (stock, and benchmark when the model
        needs it, both present); the other cells hold whatever the data had (NaN or a number).
        """
        p0 = self.p0[rows]
        y_est = self.windows.take(self.stock_col[rows], p0, self.estimation)
        x_est = self.windows.take(self.bench_col[rows], p0, self.estimation)
        usable = np.isfinite(y_est)
        if self.needs_bench:
            usable &= np.isfinite(x_est)
        return y_est, x_est, usable


class _Windows:
    """Every event's windows of a (sessions x tickers) returns array, gathered at once.

    The returns are copied once, transposed and padded with NaN (before the first session,
    after the last, and one all-NaN row for column -1 = unknown ticker), so that each event's
    window is one contiguous slice: a single fancy-indexing copy of a sliding-window view
    gathers all events, with no bounds check per cell. Rows outside the data read NaN, exactly
    like missing data.
    """

    def __init__(self, values: np.ndarray, spans: Iterable[tuple[int, int]]):
        n_dates, self.n_tickers = values.shape
        spans = list(spans)
        self.before = max(0, -min(lo for lo, _ in spans))
        after = max(0, max(hi for _, hi in spans)) + 1  # + 1: unplaced events sit at p0 = n_dates
        self.padded = np.full((self.n_tickers + 1, self.before + n_dates + after), np.nan)
        self.padded[:self.n_tickers, self.before:self.before + n_dates] = values.T

    def _row(self, columns: np.ndarray) -> np.ndarray:
        return np.where(columns < 0, self.n_tickers, columns)

    def take(self, columns: np.ndarray, p0: np.ndarray, span: tuple[int, int]) -> np.ndarray:
        """``(N, width)`` returns of rows ``p0 + span[0] .. p0 + span[1]`` of each event's column."""
        from numpy.lib.stride_tricks import sliding_window_view

        lo, hi = span
        view = sliding_window_view(self.padded, hi - lo + 1, axis=1)  # (tickers + 1, starts, width)
        return view[self._row(columns), p0 + (self.before + lo)]

    def finite_counts(self, columns: np.ndarray, also: np.ndarray | None, p0: np.ndarray,
                      span: tuple[int, int]) -> np.ndarray:
        """Sessions of each event's span where its column (and its ``also`` column) has data.

        Counted from running totals per distinct column pair, so no (events x sessions) array
        is built: the panel is then gathered for the usable events only.
        """
        n_rows = self.n_tickers + 1
        rows = self._row(columns)
        pair = rows * n_rows + (rows if also is None else self._row(also))
        pairs, which = np.unique(pair, return_inverse=True)
        finite = np.isfinite(self.padded)
        both = finite[pairs // n_rows] & finite[pairs % n_rows]
        running = np.zeros((pairs.size, both.shape[1] + 1), dtype=np.intp)
        np.cumsum(both, axis=1, out=running[:, 1:])
        start = p0 + (self.before + span[0])
        which = which.reshape(-1)
        return running[which, start + (span[1] - span[0] + 1)] - running[which, start]


def _gather(table, returns, day0, day0_notes, load_notes, window, estimation, model, min_estimation):
    """Statuses, details, usable-estimation counts and the panel of ok events."""
    values = returns.to_numpy(dtype=float)
    dates = returns.index.to_numpy(dtype="datetime64[ns]")
    n_dates, _ = values.shape
    n_events = len(table)
    finite = np.isfinite(values)
    has_data = finite.any(axis=0)
    first_valid = np.where(has_data, finite.argmax(axis=0), n_dates)
    last_valid = np.where(has_data, n_dates - 1 - finite[::-1].argmax(axis=0), -1)

    tickers = table["ticker"].to_numpy(dtype=object)
    benches = table["benchmark"].to_numpy(dtype=object)
    columns = pd.Index(returns.columns)
    stock_col = columns.get_indexer(tickers)
    stock_col = np.where((stock_col >= 0) & has_data[np.maximum(stock_col, 0)], stock_col, -1)
    bench_col = columns.get_indexer(benches)
    bench_col = np.where((bench_col >= 0) & has_data[np.maximum(bench_col, 0)], bench_col, -1)

    placed = ~np.isnat(day0)
    p0 = np.full(n_events, n_dates, dtype=np.intp)
    p0[placed] = np.searchsorted(dates, day0[placed], side="left")
    # searchsorted lands on the next row when day 0's own session has no row (a source that
    # dropped it, a day0 given on a non-session): never move the event silently
    landed = np.where(p0 < n_dates, dates[np.minimum(p0, n_dates - 1)], _NAT)
    day0_absent = placed & (p0 < n_dates) & (landed != day0)

    windows = _Windows(values, (window, estimation))
    y_win, x_win = windows.take(stock_col, p0, window), windows.take(bench_col, p0, window)
    win_rows = p0[:, None] + np.arange(window[0], window[1] + 1)[None, :]
    needs_bench = model in MODELS_NEEDING_BENCHMARK
    n_est = windows.finite_counts(stock_col, bench_col if needs_bench else None, p0, estimation)

    safe_col = np.maximum(stock_col, 0)
    lo, hi = first_valid[safe_col], last_valid[safe_col]
    # day 0 before the ticker's first return lands on that first row: outside, not absent
    before_first = placed & (lo < n_dates) & (day0 < dates[np.minimum(lo, n_dates - 1)])
    day0_outside = (~placed) | (p0 >= n_dates) | (p0 < lo) | (p0 > hi) | before_first
    out_of_range = day0_outside | (win_rows[:, 0] < lo) | (win_rows[:, -1] > hi)
    unknown = stock_col < 0
    # a stock regressed on itself has zero residuals: no test is possible, so no benchmark
    self_bench = (stock_col >= 0) & (stock_col == bench_col)
    no_bench = needs_bench & ((bench_col < 0) | self_bench | ~np.isfinite(x_win).all(axis=1))
    missing = ~np.isfinite(y_win).all(axis=1)
    short = n_est < min_estimation

    # status codes index STATUSES; later assignments win: the most basic problem is reported
    code = np.zeros(n_events, dtype=np.intp)
    # (an absent day 0 misaligns every window, so it outranks the problems found in them)
    for problem, status_name in ((short, STATUS_WRONGSPAN), (missing, STATUS_DATA_MISSING),
                                 (no_bench, STATUS_NO_BENCHMARK), (day0_absent, STATUS_DATA_MISSING),
                                 (out_of_range, STATUS_OUT_OF_RANGE), (unknown, STATUS_UNKNOWN_TICKER)):
        code[problem] = STATUSES.index(status_name)
    status = np.asarray(STATUSES, dtype=object)[code]

    detail = np.full(n_events, "", dtype=object)
    day_text = np.datetime_as_string(dates, unit="D")  # what str(Timestamp.date()) prints
    for row in np.flatnonzero(code):  # excluded events only: say why, naming dates
        ticker, bench, kind = tickers[row], benches[row], status[row]
        if kind == STATUS_UNKNOWN_TICKER:
            detail[row] = load_notes.get(ticker, f"no returns for {ticker} in the data")
        elif kind == STATUS_OUT_OF_RANGE:
            if row in day0_notes:
                detail[row] = f"day 0 cannot be placed: {day0_notes[row]}"
            else:
                span = f"{day_text[lo[row]]}..{day_text[hi[row]]}"
                where = "day 0" if day0_outside[row] else "event window"
                detail[row] = f"{where} outside {ticker}'s data ({span})"
        elif kind == STATUS_NO_BENCHMARK:
            detail[row] = (f"benchmark {bench} not in the data" if bench_col[row] < 0 else
                           f"benchmark {bench} is the event's own ticker" if self_bench[row] else
                           f"benchmark {bench} has missing returns in the event window on "
                           + ", ".join(day_text[win_rows[row][~np.isfinite(x_win[row])]]))
        elif kind == STATUS_DATA_MISSING and day0_absent[row]:
            previous = f"from {day_text[p0[row] - 1]} " if p0[row] > 0 else ""
            detail[row] = (f"day 0 session {np.datetime_as_string(day0[row], unit='D')} is absent from "
                           f"the returns data (its rows jump {previous}to {day_text[p0[row]]})")
        elif kind == STATUS_DATA_MISSING:
            detail[row] = f"{ticker} has missing returns in the event window on " + ", ".join(
                day_text[win_rows[row][~np.isfinite(y_win[row])]])
        elif kind == STATUS_WRONGSPAN:
            detail[row] = (f"{n_est[row]} usable sessions in the estimation window, "
                           f"fewer than min_estimation={min_estimation}")

    ok = code == 0
    panel = _Panel(y_win=y_win[ok], x_win=x_win[ok], n_est=n_est[ok], windows=windows,
                   stock_col=stock_col[ok], bench_col=bench_col[ok], p0=p0[ok], estimation=estimation,
                   needs_bench=needs_bench)
    raw_day0 = np.full(n_events, np.nan)
    inside = (stock_col >= 0) & placed & (p0 < n_dates) & ~day0_absent  # day 0's own row only
    raw_day0[inside] = values[p0[inside], stock_col[inside]]
    shown_day0 = np.where(placed & (p0 < n_dates), day0, _NAT)  # the placed day 0, even when absent
    return status, detail, n_est, panel, win_rows[ok], raw_day0, shown_day0


# ---------------------------------------------------------------------------------------------
# Fitting the normal-return model
# ---------------------------------------------------------------------------------------------

#: Boolean outputs of the fit marking events no test can use (see :func:`_fit_block`).
_FIT_FLAGS: tuple[str, ...] = ("flat", "no_variance")

#: Events fitted together in one block by :func:`_fit_vectorized`. A block's (events x
#: sessions) temporaries then stay in the CPU cache, which halves the time of the masked sums
#: on thousands of events; the numbers do not depend on it (every sum runs within one event).
_BLOCK_EVENTS = 512


def _zero_spread(sum_of_squares: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """True where a sum of squared deviations is zero relative to ``reference`` (a sum of
    squared levels over the same days), NaN included: see :data:`_ZERO_SPREAD_RELATIVE`."""
    return ~(sum_of_squares > _ZERO_SPREAD_RELATIVE**2 * reference)


def _fit_block(y_est, x_est, usable, n_est, x_win, model: str) -> dict[str, np.ndarray]:
    """Closed-form fit of a block of events (masked sums over the estimation window).

    Also flags the events no test can use: ``"flat"``, a market-model benchmark constant over
    the usable days (beta is 0/0), and ``"no_variance"``, residuals zero to rounding. Their
    numbers are NaN or meaningless; :func:`event_study` excludes them.
    """
    n = n_est.astype(float)
    length = x_win.shape[1]
    y = np.where(usable, y_est, 0.0)
    y_mean = y.sum(axis=1) / n
    dy = np.where(usable, y_est - y_mean[:, None], 0.0)
    syy = (dy * dy).sum(axis=1)
    nan = np.full(n.shape, np.nan)
    flat = np.zeros(n.shape, dtype=bool)
    if model == "market":
        x = np.where(usable, x_est, 0.0)
        x_mean = x.sum(axis=1) / n
        dx = np.where(usable, x_est - x_mean[:, None], 0.0)
        sxx = (dx * dx).sum(axis=1)
        flat = _zero_spread(sxx, n * x_mean**2)
        with np.errstate(divide="ignore", invalid="ignore"):  # flat benchmarks: flagged above
            beta = (dx * dy).sum(axis=1) / sxx
            alpha = y_mean - beta * x_mean
            resid = dy - beta[:, None] * dx
            ssr = (resid * resid).sum(axis=1)
            r2 = 1.0 - ssr / syy
            sigma2 = ssr / (n - 2.0)
            expected = alpha[:, None] + beta[:, None] * x_win
            window_dev = (x_win - x_mean[:, None]).sum(axis=1)
            var_car = sigma2 * (length + length**2 / n + window_dev**2 / sxx)
    elif model == "constant_mean":
        alpha, beta, r2 = y_mean, nan, nan
        resid = dy
        ssr = syy
        sigma2 = ssr / (n - 1.0)
        expected = np.repeat(y_mean[:, None], length, axis=1)
        var_car = sigma2 * (length + length**2 / n)
    else:  # market_adjusted: nothing estimated, AR = R - Rm; variance around the mean AR
        alpha, beta, r2 = np.zeros_like(n), np.ones_like(n), nan
        resid = np.where(usable, y_est - x_est, 0.0)
        centred = np.where(usable, resid - (resid.sum(axis=1) / n)[:, None], 0.0)
        ssr = (centred * centred).sum(axis=1)
        sigma2 = ssr / (n - 1.0)  # Brown & Warner (1985): T - 1
        expected = x_win.copy()
        var_car = sigma2 * length
    return {"alpha": alpha, "beta": beta, "r2": r2, "sigma": np.sqrt(sigma2), "var_car": var_car,
            "expected": expected, "ar_est": np.where(usable, resid, np.nan), "flat": flat,
            "no_variance": _zero_spread(ssr, syy + n * y_mean**2)}


def _fit_vectorized(panel: _Panel, model: str) -> dict[str, np.ndarray]:
    """Closed-form fit of all events, in blocks of :data:`_BLOCK_EVENTS` events.

    For the market model, with centred benchmark returns ``dx`` over the usable days::

        beta = sum(dx dy) / sum(dx^2),  alpha = mean(y) - beta mean(x)
        var(CAR) = sigma^2 (L + L^2/T + (sum_window (x* - mean x))^2 / sum(dx^2))

    which is the matrix form ``sigma^2 1'(I + X*(X'X)^-1 X*')1`` written out for X = [1, x].
    Each block is gathered, fitted and ranked for the rank tests in one go, while its
    arrays are in the CPU cache. The estimation residuals and event-window ARs are written side
    by side into ``"ar_combined"`` (the layout the rank tests read; ``"ar_est"`` and ``"ar"``
    are views of it) and their centred ranks into ``"centred_ranks"``.
    """
    n_events, n_est_days = panel.n_events, panel.n_est_days
    length = panel.y_win.shape[1]
    out = {name: np.empty(n_events) for name in ("alpha", "beta", "r2", "sigma", "var_car")}
    out.update({name: np.empty(n_events, dtype=bool) for name in _FIT_FLAGS})
    out["expected"] = np.empty((n_events, length))
    combined = np.empty((n_events, n_est_days + length))
    centred = np.empty_like(combined)
    for start in range(0, n_events, _BLOCK_EVENTS):
        rows = slice(start, start + _BLOCK_EVENTS)
        y_est, x_est, usable = panel.estimation_returns(rows)
        block = _fit_block(y_est, x_est, usable, panel.n_est[rows], panel.x_win[rows], model)
        for name in ("alpha", "beta", "r2", "sigma", "var_car", "expected", *_FIT_FLAGS):
            out[name][rows] = block[name]
        combined[rows, :n_est_days] = block["ar_est"]
        np.subtract(panel.y_win[rows], block["expected"], out=combined[rows, n_est_days:])
        eventstats.centred_ranks(combined[rows], out=centred[rows])
    out["ar_combined"], out["centred_ranks"] = combined, centred
    out["ar_est"], out["ar"] = combined[:, :n_est_days], combined[:, n_est_days:]
    return out


def _fit_statsmodels(panel: _Panel, model: str) -> dict[str, np.ndarray]:
    """Reference path: one statsmodels OLS per event and the CLM matrix form of var(CAR).

    Slow (a Python loop), kept to check :func:`_fit_vectorized` and for auditing one event.
    """
    import statsmodels.api as sm

    n_events, length = panel.y_win.shape
    y_est, x_est, usable = panel.estimation_returns()
    out = {name: np.full(n_events, np.nan) for name in ("alpha", "beta", "r2", "sigma", "var_car")}
    out.update({name: np.zeros(n_events, dtype=bool) for name in _FIT_FLAGS})
    out["expected"] = np.full((n_events, length), np.nan)
    out["ar_est"] = np.full(y_est.shape, np.nan)
    ones = np.ones(length)
    # a stale stock (zero returns) makes R^2 0/0; such events are flagged and excluded
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(n_events):
            mask = usable[i]
            y = y_est[i, mask]
            if model == "market":
                x = x_est[i, mask]
                if _zero_spread(np.sum((x - x.mean()) ** 2), x.size * x.mean() ** 2):
                    out["flat"][i] = out["no_variance"][i] = True  # beta undefined: excluded, left NaN
                    continue
            if model == "market_adjusted":  # no parameter to estimate: plain arithmetic
                resid = y - x_est[i, mask]
                sigma2 = np.var(resid, ddof=1)  # around the mean AR, T - 1 (Brown & Warner 1985)
                expected = panel.x_win[i]
                var_car = sigma2 * length
                alpha, beta, r2 = 0.0, 1.0, np.nan
                ssr = sigma2 * (resid.size - 1)
            else:
                if model == "market":
                    design = sm.add_constant(x_est[i, mask], has_constant="add")
                    design_win = np.column_stack([ones, panel.x_win[i]])
                else:
                    design = np.ones((y.size, 1))
                    design_win = ones[:, None]
                fit = sm.OLS(y, design).fit()
                resid = fit.resid
                sigma2 = fit.scale  # ssr / (n - k)
                ssr = fit.ssr
                expected = design_win @ fit.params
                covariance = np.eye(length) + design_win @ fit.normalized_cov_params @ design_win.T
                var_car = sigma2 * ones @ covariance @ ones
                alpha = fit.params[0]
                beta = fit.params[1] if model == "market" else np.nan
                r2 = fit.rsquared if model == "market" else np.nan
            out["alpha"][i], out["beta"][i], out["r2"][i] = alpha, beta, r2
            out["no_variance"][i] = _zero_spread(ssr, y @ y)
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
    combined = fit.get("ar_combined")
    if combined is None:
        combined = np.concatenate([fit["ar_est"], fit["ar"]], axis=1)
    centred = fit.get("centred_ranks")  # ranked by the fit, block by block; else ranked here
    n_est_days = fit["ar_est"].shape[1]
    length = fit["ar"].shape[1]
    window_test = np.arange(n_est_days, n_est_days + length)
    if window[0] <= 0 <= window[1]:
        day0_col = n_est_days - window[0]
        day0_test, window_test = eventstats.corrado_rank_tests(combined, [[day0_col], window_test],
                                                               centred=centred)
        rows.append(("aar_day0", float(fit["ar"][:, -window[0]].mean()) if n else np.nan, np.nan, n,
                     "mean abnormal return on day 0 (descriptive)"))
        rows.append(("corrado_rank_day0", *day0_test, eventstats.REF_CORRADO))
    else:
        (window_test,) = eventstats.corrado_rank_tests(combined, [window_test], centred=centred)
    rows.append(("corrado_rank_window", *window_test, eventstats.REF_CORRADO_COWAN))
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

def _require_usable(status: np.ndarray, detail: np.ndarray, table: pd.DataFrame) -> np.ndarray:
    """The mask of ``"ok"`` events; :class:`EventStudyError` with the reasons when there is none."""
    ok = status == STATUS_OK
    if not ok.any():
        counts = pd.Series(status).value_counts().to_dict()
        first = int(np.flatnonzero(~ok)[0])
        raise EventStudyError(
            f"no usable event: statuses {counts}; e.g. {table['event'].iat[first]}: {detail[first]}")
    return ok


def _exclude_degenerate(fit: dict, panel: _Panel, win_rows: np.ndarray, status: np.ndarray,
                        detail: np.ndarray, table: pd.DataFrame, dates: np.ndarray, model: str):
    """Give the fitted events no test can use their status and drop them from the fit.

    A flat benchmark (market model) becomes ``"nobenchmark"``, zero residual variance
    ``"novariance"``; ``status`` and ``detail`` are updated in place (rows of ``table``).
    Returns ``(fit, panel, win_rows)`` restricted to the events that stay ``"ok"``; nothing is
    copied in the usual case where every event is fine.
    """
    flat = fit.pop("flat")
    no_variance = fit.pop("no_variance") & ~flat
    if not (flat.any() or no_variance.any()):
        return fit, panel, win_rows
    rows = np.flatnonzero(status == STATUS_OK)  # fitted events, in the order of the fit
    day_text = np.datetime_as_string(dates, unit="D")
    last = len(dates) - 1
    for i in np.flatnonzero(flat | no_variance):
        row = rows[i]
        first_day = day_text[np.clip(panel.p0[i] + panel.estimation[0], 0, last)]
        last_day = day_text[np.clip(panel.p0[i] + panel.estimation[1], 0, last)]
        span = f"estimation window {first_day}..{last_day}"
        if flat[i]:
            status[row] = STATUS_NO_BENCHMARK
            detail[row] = (f"benchmark {table['benchmark'].iat[row]} is flat (constant return) over "
                           f"the {span}: the market model's beta cannot be estimated")
        else:
            status[row] = STATUS_NO_VARIANCE
            detail[row] = (f"the {model} model fits {table['ticker'].iat[row]} exactly over the {span} "
                           f"(residual standard deviation {fit['sigma'][i]:.3g}): no test statistic exists")
    keep = ~(flat | no_variance)
    fit = {name: value[keep] for name, value in fit.items()}  # ar/ar_est become plain copies
    panel = replace(panel, y_win=panel.y_win[keep], x_win=panel.x_win[keep], n_est=panel.n_est[keep],
                    stock_col=panel.stock_col[keep], bench_col=panel.bench_col[keep], p0=panel.p0[keep])
    return fit, panel, win_rows[keep]


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
        ``R = Rm + e`` with nothing estimated (alpha 0 and beta 1 are imposed; AR = ``R - Rm``;
        sigma is the sample standard deviation of the estimation-window ARs around their mean
        with ``T - 1`` degrees of freedom, as in Brown & Warner 1985, so k = 1 below).
    benchmark : str
        Default benchmark ticker (per-event ``benchmark`` overrides it).
    min_estimation : int
        Fewest usable estimation sessions (days with NaN stock or benchmark returns are
        dropped) for an event to be used; fewer gives status ``"wrongspan"``. At least
        ``k + 3`` (the Patell Z needs ``T - k > 2``).
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
        benchmark itself for ``market_adjusted``; Barber & Lyon 1997 compound the benchmark's
        return instead, which differs for the market and constant-mean models: here the BHAR
        is consistent with the AR and CAR); ``sigma`` = estimation residual standard
        deviation with ddof = k (:data:`RESIDUAL_DDOF`: market 2, constant mean 1,
        market-adjusted 1); ``t``/``p`` = CAR t-test with the prediction-error variance
        ``sigma^2 1'(I + X*(X'X)^-1 X*')1`` (Campbell, Lo & MacKinlay 1997, ch. 4) on
        ``n_est - k`` degrees of freedom. Across ok events (``.aggregate``): ``caar``,
        ``cross_sectional_t`` (Brown & Warner 1985), ``patell_z`` (Patell 1976 in the CAR
        form J2 of Campbell, Lo & MacKinlay, not Patell's day-by-day standardisation),
        ``bmp_t`` (Boehmer, Musumeci & Poulsen 1991), ``aar_day0`` and ``corrado_rank_day0``
        (Corrado 1989; only when day 0 is in the window), ``corrado_rank_window`` (Cowan
        1992), both with the missing-day weights of Kolari & Pynnönen (2011),
        ``generalized_sign_z`` (Cowan 1992), ``mean_bhar``. The cross-event statistics assume
        independent events: there is no adjustment for events clustered on the same dates
        (Kolari & Pynnönen 2010), which over-reject when such events are correlated; the
        per-event ``t`` is unaffected.

    Raises
    ------
    EventStudyError
        Bad settings (unknown model, reversed or overlapping windows, impossible
        ``min_estimation``), malformed events, or no event with status ``"ok"`` (also after a
        flat benchmark or zero residual variance has excluded the fitted ones).
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

    day0, day0_notes = _map_day0(table)
    status, detail, n_est, panel, win_rows, raw_day0, day0_session = _gather(
        table, returns, day0, day0_notes, load_notes, window, estimation, model, min_estimation)
    _require_usable(status, detail, table)
    fit = (_fit_vectorized if method == "vectorized" else _fit_statsmodels)(panel, model)
    dates = returns.index.to_numpy(dtype="datetime64[ns]")
    fit, panel, win_rows = _exclude_degenerate(fit, panel, win_rows, status, detail, table, dates, model)
    ok = _require_usable(status, detail, table)
    k = RESIDUAL_DDOF[model]
    dof = n_est[ok] - k
    car = fit["ar"].sum(axis=1)
    bhar = np.prod(1.0 + panel.y_win, axis=1) - np.prod(1.0 + fit["expected"], axis=1)
    t_stat, p_value = eventstats.car_t_test(car, fit["var_car"], dof)

    def per_event(values) -> np.ndarray:  # ok events' numbers, NaN for the excluded ones
        column = np.full(len(table), np.nan)
        column[ok] = values
        return column

    # built once, from whole columns (object columns stay object, as documented)
    summary = pd.DataFrame({
        "event": table["event"], "ticker": table["ticker"], "event_date": table["event_date"],
        "day0": pd.Series(day0_session, dtype="datetime64[ns]"), "benchmark": table["benchmark"],
        "model": pd.Series(np.full(len(table), model, dtype=object), dtype=object),
        "status": pd.Series(status, dtype=object),
        "car": per_event(car), "bhar": per_event(bhar), "t": per_event(t_stat), "p": per_event(p_value),
        "alpha": per_event(fit["alpha"]), "beta": per_event(fit["beta"]), "r2": per_event(fit["r2"]),
        "n_est": n_est.astype(int), "sigma": per_event(fit["sigma"]), "raw_return_day0": raw_day0,
        "detail": pd.Series(detail, dtype=object),
    })

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
