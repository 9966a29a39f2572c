"""Reported quarterly fundamentals of NVIDIA and Alibaba (curated file + live refresh).

The curated file ``data/fundamentals.csv`` (provenance, coverage and gaps in
``data/fundamentals_README.md``) holds figures read from the companies' releases and news copies:
revenue (total and segments), margins, net income, EPS, adjusted EBITA, free cash flow, capex,
guidance, buybacks and a few counts. Every row is validated on load; a malformed row raises
:class:`~babaresearch.errors.DataFileError` naming the file and the line.

A fact is identified by ``ticker, fiscal_period, metric, segment, basis``: a claim about
"revenue" is about the company total (empty ``segment``) unless it names a segment, and GAAP and
non-GAAP figures are different facts (NVIDIA restated its non-GAAP comparatives under a new
definition from FY2027Q1: basis ``non-GAAP (FY2027 definition)``).

The live refresh (:func:`refresh_fundamentals_live`) maps yfinance's quarterly income statement
and cash-flow statement to the same metrics and stores them in the cache
(``cache_dir()/fundamentals/<TICKER>.csv``). Live figures may only *add* facts the curated file
lacks; a live figure that disagrees with a curated one is reported as a conflict and warned about,
never applied (the rule of :func:`babaresearch.earnings.refresh_earnings_live`).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import sys
import types
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd

from .calendars import (FISCAL_TICKERS, MIN_FISCAL_YEAR, fiscal_period, parse_fiscal_label,
                        period_bounds)
from .barfiles import file_state
from .csvio import Column, Schema, read_table
from .dates import MARKET_TZ, DateLike, to_date
from .earnings import MAX_RELEASE_LAG_DAYS, earnings_calendar
from .errors import (
    BabaResearchError,
    DataFileError,
    InvalidOptionError,
    LiveDataError,
    NoDataError,
    OutOfRangeError,
    PeriodError,
    UnknownTickerError,
)
from .tickers import normalize_ticker, normalize_tickers

# ---------------------------------------------------------------------------------------------
# Vocabulary (data, not prose: the loader checks every row against it)
# ---------------------------------------------------------------------------------------------

#: File name of the curated table inside the data folder.
FUNDAMENTALS_FILE = "fundamentals.csv"
#: Sub-folder of :func:`babaresearch.cache_dir` holding one live file per ticker (a sub-folder,
#: so the price cache's ``<TICKER>.csv`` files and these never mix).
CACHE_SUBDIR = "fundamentals"
#: Values of ``source`` accepted by :func:`fundamentals`.
SOURCES: tuple[str, ...] = ("snapshot", "cache", "auto")

#: Columns of the curated file and of the cache files, in order.
FILE_COLUMNS: tuple[str, ...] = (
    "ticker", "fiscal_period", "period_end", "metric", "segment", "value", "unit", "basis",
    "yoy_pct", "release_date", "source", "source2", "note",
)
#: Structure and dates as :func:`babaresearch.csvio.read_table` checks them; numbers are kept as
#: text (their stated precision is read from it) and checked by :func:`_parse_row`. ``source2``
#: and ``note`` may be absent (read as empty).
_FILE_SCHEMA = Schema(
    columns=(
        Column("ticker"),
        Column("fiscal_period"),
        Column("period_end", "date", empty="allow"),
        Column("metric"),
        Column("segment", empty="allow"),
        Column("value", empty="allow"),
        Column("unit"),
        Column("basis", empty="allow"),
        Column("yoy_pct", empty="allow"),
        Column("release_date", "date"),
        Column("source", empty="allow"),
        Column("source2", required=False, empty="allow"),
        Column("note", required=False, empty="allow"),
    ),
    what="the fundamentals table",
)

#: Columns of :func:`fundamentals`, in order.
COLUMNS: tuple[str, ...] = (
    "ticker", "fiscal_period", "period_type", "period_end", "metric", "segment", "basis",
    "value", "unit", "precision", "yoy_pct", "release_date", "source", "source2", "note", "origin",
)
#: Columns of the conflicts frame of :func:`refresh_fundamentals_live` / :func:`merge_live`.
CONFLICT_COLUMNS: tuple[str, ...] = (
    "ticker", "fiscal_period", "metric", "segment", "basis", "curated_value", "live_value",
    "unit", "live_unit", "difference", "curated_source", "live_source",
)
#: What identifies one fact: a live row with the same key as a curated one is compared with it.
FACT_KEY: tuple[str, ...] = ("ticker", "fiscal_period", "metric", "segment", "basis")

#: ``origin`` of rows read from the curated file and from the live cache.
ORIGIN_CURATED = "curated"
ORIGIN_LIVE = "live"

#: Currencies (ISO 4217; ``CNY`` is what releases call RMB).
CURRENCIES: tuple[str, ...] = ("USD", "CNY")
#: Every accepted ``unit``: a currency, ``%`` (margins, bands) or ``count``.
UNITS: tuple[str, ...] = CURRENCIES + ("%", "count")
#: Currency of each company's statements (what Yahoo reports them in).
REPORTING_CURRENCY: dict[str, str] = {"BABA": "CNY", "NVDA": "USD"}

#: ``basis`` -> meaning. The empty basis is for figures where GAAP / non-GAAP does not apply.
BASES: dict[str, str] = {
    "GAAP": "as reported under US GAAP",
    "GAAP (split-adjusted)": "GAAP per-share figure restated for NVIDIA's 10-for-1 split of 2024-06-10",
    "non-GAAP": "company non-GAAP measure as originally reported",
    "non-GAAP (FY2027 definition)": ("NVIDIA non-GAAP under the definition used from Q1 FY2027 "
                                     "(includes stock-based compensation); restated comparatives"),
    "adjusted": "Alibaba adjusted EBITA (a non-GAAP measure)",
    "outlook": "guidance for the quarter, as issued (keyed to the quarter guided)",
    "plan": "a multi-year spending plan as announced or restated",
    "reported": "reported by a secondary source, not confirmed by the company",
    "company-stated": "stated by the company outside its results (launch, conference)",
    "derived": ("computed by the data vendor from statement lines, not a company figure "
                "(Yahoo's free cash flow = operating cash flow + capital expenditure)"),
    "": "not applicable (counts, capex, buyback authorizations)",
}

#: ``period_type`` of a quarter label (``FY2026Q2``) and of a fiscal-year label (``FY2026``).
PERIOD_QUARTER = "quarter"
PERIOD_FISCAL_YEAR = "fiscal_year"


@dataclass(frozen=True)
class MetricInfo:
    """One entry of the metric vocabulary.

    Attributes
    ----------
    metric : str
        Name used in the ``metric`` column.
    units : tuple of str
        Units a value of this metric may have.
    sign : str
        ``"positive"`` (> 0), ``"non-negative"`` (>= 0), ``"percent"`` (0 < value < 100) or
        ``"any"`` (losses and outflows are negative).
    integer : bool
        Values are whole numbers (counts).
    description : str
        What the figure is, with its segments where it has some.
    """

    metric: str
    units: tuple[str, ...]
    sign: str
    integer: bool
    description: str


#: The metric vocabulary: every metric the curated file and the live refresh may hold.
METRICS: tuple[MetricInfo, ...] = (
    MetricInfo("revenue", CURRENCIES, "positive", False,
               "total revenue of the quarter or fiscal year (segment empty) or of a segment: "
               "'Data Center', 'Gaming', 'Edge Computing', 'Data Center - Hyperscale', "
               "'Data Center - AI Clouds, Industrial & Enterprise' (NVDA); "
               "'Cloud Intelligence' (BABA)"),
    MetricInfo("gross_margin", ("%",), "percent", False, "gross margin, % of revenue"),
    MetricInfo("net_income", CURRENCIES, "any", False,
               "net income (BABA: including non-controlling interests)"),
    MetricInfo("net_income_attributable", CURRENCIES, "any", False,
               "BABA net income attributable to ordinary shareholders (most news calls it profit)"),
    MetricInfo("eps_diluted", ("USD",), "any", False,
               "diluted EPS per share (NVDA; before the 2024-06-10 split as reported, pre-split)"),
    MetricInfo("adjusted_ebita", CURRENCIES, "any", False, "BABA adjusted EBITA (non-GAAP)"),
    MetricInfo("free_cash_flow", CURRENCIES, "any", False,
               "free cash flow of the quarter; negative = outflow (BABA non-GAAP; live: Yahoo's)"),
    MetricInfo("capex", CURRENCIES, "non-negative", False,
               "capital expenditure in the quarter (positive amount spent)"),
    MetricInfo("capex_trailing_4q", CURRENCIES, "non-negative", False,
               "BABA capital expenditure over the trailing four quarters"),
    MetricInfo("capex_plan", CURRENCIES, "positive", False,
               "BABA multi-year cloud and AI infrastructure plan (segment "
               "'Cloud & AI infrastructure'; 'more than RMB380 billion over three years')"),
    MetricInfo("ai_revenue_streak", ("count",), "non-negative", True,
               "consecutive quarters of triple-digit y/y growth of Alibaba's AI-related product "
               "revenue (segment 'Cloud Intelligence')"),
    MetricInfo("revenue_guidance", CURRENCIES, "positive", False,
               "NVDA next-quarter revenue outlook, midpoint; keyed to the quarter guided, "
               "release_date = when it was issued"),
    MetricInfo("revenue_guidance_range_pct", ("%",), "non-negative", False,
               "NVDA outlook band, plus or minus this % around the midpoint"),
    MetricInfo("buyback_authorization", CURRENCIES, "positive", False,
               "additional NVDA share-repurchase authorization announced"),
    MetricInfo("chip_shipments", ("count",), "non-negative", True,
               "T-Head (segment 'T-Head') cumulative AI-chip shipments"),
    MetricInfo("chip_customers", ("count",), "non-negative", True,
               "T-Head (segment 'T-Head') cumulative AI-chip customers"),
)
_METRIC_INFO: dict[str, MetricInfo] = {info.metric: info for info in METRICS}


def metric_vocabulary() -> pd.DataFrame:
    """The metric vocabulary as a table.

    Returns
    -------
    pandas.DataFrame
        One row per metric: ``metric, units`` (comma-separated), ``sign``, ``integer``,
        ``description``; the same entries as :data:`METRICS`.
    """
    return pd.DataFrame(
        [{"metric": m.metric, "units": ", ".join(m.units), "sign": m.sign, "integer": m.integer,
          "description": m.description} for m in METRICS],
        columns=["metric", "units", "sign", "integer", "description"],
    )


#: Results are never published within this many days of a quarter's end (shortest seen: NVIDIA
#: FY2024Q3, 23 days). :func:`latest_reported_quarter` refuses to answer once the quarter after
#: the calendar's last release has been over this long: it may have been reported unseen.
EARLIEST_RELEASE_DAYS = 14

# A plain decimal number: optional sign, digits, optional fraction. No thousands separators,
# exponents, currency signs, "nan" or "inf": a cell such as "1,234" or "22.6B" is a typo.
_NUMBER_RE = re.compile(r"[+-]?\d+(?:\.\d+)?")


class FundamentalsConflictWarning(UserWarning):
    """A live figure disagrees with the curated one (the curated figure is kept)."""


# ---------------------------------------------------------------------------------------------
# Parsing and validation
# ---------------------------------------------------------------------------------------------

def stated_precision(text: str, unit: str, *, exact: bool = False) -> float:
    """Half a unit in the last digit a figure is stated to: ``value ± precision`` is what it says.

    Parameters
    ----------
    text : str
        The value as written in the file (``"46743000000"``, ``"72.4"``, ``"1.30"``).
    unit : str
        Its unit. Currency amounts written as whole numbers are stated to their last non-zero
        digit (sources give millions or rounded billions: ``"22600000000"`` is "$22.6 billion",
        ± 50,000,000); other whole numbers (counts, %) are exact to ± 0.5.
    exact : bool
        The figure is a vendor's raw value, given to the unit (live rows): a whole number is
        ± 0.5 whatever its trailing zeros.

    Returns
    -------
    float
        In the figure's own unit: ``"72.4"`` -> 0.05, ``"1.30"`` -> 0.005,
        ``"46743000000"`` (USD) -> 500000.0, ``"10"`` (count) -> 0.5.
    """
    digits = text.lstrip("+-")
    if "." in digits:
        return 0.5 * 10.0 ** -len(digits.split(".", 1)[1])
    if unit in CURRENCIES and not exact:
        stripped = digits.rstrip("0")
        zeros = len(digits) - len(stripped) if stripped else 0
        return 0.5 * 10.0 ** zeros
    return 0.5


def _number(path: Path, line: int, column: str, text: str) -> float:
    if not _NUMBER_RE.fullmatch(text):
        raise DataFileError(
            path, f"{column} {text!r} is not a plain number (digits with an optional sign and "
                  "decimal point; no thousands separators, exponents or units)", line=line)
    return float(text)


def _check_value(path: Path, line: int, info: MetricInfo, value: float) -> None:
    sign = info.sign
    bad = ((sign == "positive" and not value > 0)
           or (sign == "non-negative" and not value >= 0)
           or (sign == "percent" and not 0 < value < 100))
    if bad:
        wanted = {"positive": "> 0", "non-negative": ">= 0", "percent": "between 0 and 100"}[sign]
        raise DataFileError(path, f"value {value:g} of {info.metric} must be {wanted}", line=line)
    if info.integer and not float(value).is_integer():
        raise DataFileError(path, f"value {value:g} of {info.metric} must be a whole number",
                            line=line)


def _parse_row(path: Path, line: int, row: dict[str, str], dates: dict[str, pd.Timestamp], *,
               origin: str) -> dict:
    """One validated record (typed values) of a fundamentals file row; ``dates`` holds its
    ``period_end`` (NaT when empty) and ``release_date`` as parsed by the reader.

    Rows of the live cache (``origin == "live"``) are vendor raw values (exact to the unit) and
    may carry their fetch date as ``release_date`` (no 120-day check)."""
    live = origin == ORIGIN_LIVE
    try:
        ticker = normalize_ticker(row["ticker"])
    except BabaResearchError as exc:
        raise DataFileError(path, str(exc), line=line) from None
    label = row["fiscal_period"].strip().upper()
    try:
        _fy, quarter = parse_fiscal_label(label)
        start, end = period_bounds(ticker, label)
    except BabaResearchError as exc:
        raise DataFileError(path, f"fiscal_period {row['fiscal_period']!r}: {exc}", line=line) from None
    label = label.replace(" ", "")

    period_end = dates["period_end"]
    if not pd.isna(period_end):
        if period_end != end:
            raise DataFileError(
                path, f"period_end {period_end.date()} disagrees with the fiscal calendar: "
                      f"{ticker} {label} ends {end.date()}", line=line)

    metric = row["metric"]
    info = _METRIC_INFO.get(metric)
    if info is None:
        raise DataFileError(path, f"unknown metric {metric!r}; known: {', '.join(_METRIC_INFO)}",
                            line=line)
    unit = row["unit"]
    if unit not in info.units:
        raise DataFileError(path, f"unit {unit!r} is not one of {', '.join(info.units)} "
                                  f"for {metric}", line=line)
    basis = row["basis"]
    if basis not in BASES:
        known = ", ".join(repr(name) for name in BASES)
        raise DataFileError(path, f"unknown basis {basis!r}; known: {known}", line=line)

    yoy = _number(path, line, "yoy_pct", row["yoy_pct"]) if row["yoy_pct"] else math.nan
    if row["value"]:
        value = _number(path, line, "value", row["value"])
        _check_value(path, line, info, value)
        precision = stated_precision(row["value"], unit, exact=live)
    elif not math.isnan(yoy):
        value, precision = math.nan, math.nan  # only the growth rate was stated
    else:
        raise DataFileError(path, "empty value and empty yoy_pct: the row states nothing",
                            line=line)

    release_date = dates["release_date"]
    if release_date < start:
        raise DataFileError(
            path, f"release_date {release_date.date()} is before {ticker} {label} began "
                  f"({start.date()}): nothing is published about a period before it starts",
            line=line)
    lag_days = (release_date - end).days
    if not live and lag_days > MAX_RELEASE_LAG_DAYS:
        raise DataFileError(
            path, f"release_date {release_date.date()} is {lag_days} days after {ticker} {label} "
                  f"ended ({end.date()}; at most {MAX_RELEASE_LAG_DAYS}): a typo?", line=line)
    if not row["source"]:
        raise DataFileError(path, "empty source: every figure names where it was read", line=line)
    return {
        "ticker": ticker,
        "fiscal_period": label,
        "period_type": PERIOD_QUARTER if quarter is not None else PERIOD_FISCAL_YEAR,
        "period_end": period_end,
        "metric": metric,
        "segment": row["segment"],
        "basis": basis,
        "value": value,
        "unit": unit,
        "precision": precision,
        "yoy_pct": yoy,
        "release_date": release_date,
        "source": row["source"],
        "source2": row.get("source2", ""),
        "note": row.get("note", ""),
        "origin": origin,
        "_end": end,  # sort key (rows without period_end sort by their label's end)
        "_line": line,
    }


def _empty_frame() -> pd.DataFrame:
    return _to_frame([])


def _to_frame(records: list[dict]) -> pd.DataFrame:
    """Records -> a frame with exactly :data:`COLUMNS` and their documented dtypes."""
    frame = pd.DataFrame(records, columns=list(COLUMNS))
    for column in ("period_end", "release_date"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    for column in ("value", "precision", "yoy_pct"):
        frame[column] = frame[column].astype("float64")
    for column in COLUMNS:
        if column not in ("period_end", "release_date", "value", "precision", "yoy_pct"):
            frame[column] = frame[column].astype(str)
    return frame


@lru_cache(maxsize=16)
def _load_file(key: tuple[str, int, int, int], origin: str) -> pd.DataFrame:
    """Parse and validate one fundamentals file (cached on its :func:`file_state`)."""
    path = Path(key[0])
    records: list[dict] = []
    seen: dict[tuple, int] = {}
    table = read_table(path, _FILE_SCHEMA)
    period_ends = table.values["period_end"]
    release_dates = table.values["release_date"]
    for index, (line, row) in enumerate(table.rows()):
        dates = {"period_end": pd.Timestamp(period_ends[index]),
                 "release_date": pd.Timestamp(release_dates[index])}
        record = _parse_row(path, line, row, dates, origin=origin)
        # Two statements of one fact on different days (a plan restated) are two rows.
        identity = tuple(record[name] for name in FACT_KEY) + (record["release_date"],)
        if identity in seen:
            raise DataFileError(
                path, f"duplicate {record['ticker']} {record['fiscal_period']} {record['metric']} "
                      f"segment {record['segment']!r} basis {record['basis']!r} released "
                      f"{record['release_date'].date()} (first on line {seen[identity]})", line=line)
        seen[identity] = line
        records.append(record)
    records.sort(key=lambda r: (r["ticker"], r["_end"], r["_line"]))
    return _to_frame(records)


def _curated_path(path: str | os.PathLike | None) -> Path:
    from .resources import resource

    return Path(path) if path is not None else resource(FUNDAMENTALS_FILE)


def _read(path: Path, origin: str) -> pd.DataFrame:
    try:
        key = file_state(path)
    except FileNotFoundError:
        raise DataFileError(path, f"{_FILE_SCHEMA.what} not found") from None
    except OSError as exc:
        raise DataFileError(path, f"cannot read: {exc.strerror or exc}") from None
    return _load_file(key, origin).copy()


def fundamentals_cache_dir() -> Path:
    """Folder of the live fundamentals cache: ``cache_dir()/fundamentals`` (may not exist yet)."""
    from .prices import cache_dir

    return cache_dir() / CACHE_SUBDIR


def _cache_path(ticker: str) -> Path:
    return fundamentals_cache_dir() / f"{ticker}.csv"


def _cached_tickers() -> list[str]:
    folder = fundamentals_cache_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.csv") if not p.name.startswith("."))


def _read_cache(tickers: list[str] | None, *, strict: bool) -> pd.DataFrame:
    """Live rows from the cache files of ``tickers`` (``None``: every cached ticker).

    A ticker without a cache file raises :class:`NoDataError` when ``strict``, else is skipped.
    """
    names = _cached_tickers() if tickers is None else tickers
    parts = []
    for name in names:
        path = _cache_path(name)
        if not path.is_file():
            if strict:
                raise NoDataError(f"{name}: no cached fundamentals in {fundamentals_cache_dir()} "
                                  "(run refresh_fundamentals_live first)")
            continue
        part = _read(path, ORIGIN_LIVE)
        foreign = sorted(set(part["ticker"]) - {name})
        if foreign:
            raise DataFileError(path, f"holds rows of {', '.join(foreign)}, not only {name}")
        parts.append(part)
    if not parts:
        if strict:
            raise NoDataError(f"no cached fundamentals in {fundamentals_cache_dir()}")
        return _empty_frame()
    return pd.concat(parts, ignore_index=True)


def _select(frame: pd.DataFrame, tickers: list[str] | None, where: object) -> pd.DataFrame:
    if tickers is None:
        return frame
    known = sorted(set(frame["ticker"]))
    for name in tickers:
        if name not in known:
            raise UnknownTickerError(name, known, where=str(where))
    return frame[frame["ticker"].isin(tickers)].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Merge rule: live adds, never overrides
# ---------------------------------------------------------------------------------------------

def _agrees(curated: pd.Series, live: pd.Series) -> bool:
    """Live and curated figures agree when their stated intervals overlap (same unit)."""
    if curated["unit"] != live["unit"]:
        return False
    if pd.isna(curated["value"]):  # only a growth rate is curated: nothing to contradict
        return True
    slack = curated["precision"] + (0.0 if pd.isna(live["precision"]) else live["precision"])
    return abs(live["value"] - curated["value"]) <= slack


def merge_live(curated: pd.DataFrame, live: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge live rows into curated ones under the calendar's rule: add, never override.

    Parameters
    ----------
    curated : pandas.DataFrame
        Rows of :func:`fundamentals` from the curated file.
    live : pandas.DataFrame
        Rows of the same layout from the live cache.

    Returns
    -------
    merged : pandas.DataFrame
        The curated rows plus every live row whose fact (:data:`FACT_KEY`: ticker,
        fiscal_period, metric, segment, basis) the curated file lacks; sorted by ticker, period
        and metric. A live row that repeats a curated fact is dropped: when the two agree (their
        stated intervals ``value ± precision`` overlap) silently, else as a conflict.
    conflicts : pandas.DataFrame
        Columns :data:`CONFLICT_COLUMNS`: the curated and live values, their units, ``difference``
        (live - curated, in the unit; NaN when the units differ) and both sources.
    """
    if live.empty:
        return curated.copy(), _conflict_frame([])
    groups = {key: rows for key, rows in curated.groupby(list(FACT_KEY), sort=False)}
    added, conflicts = [], []
    for _, row in live.iterrows():
        key = tuple(row[name] for name in FACT_KEY)
        rows = groups.get(key)
        if rows is None:
            added.append(row)
            continue
        if any(_agrees(cur, row) for _, cur in rows.iterrows()):
            continue
        cur = rows.iloc[0]
        same_unit = cur["unit"] == row["unit"]
        conflicts.append({
            **{name: row[name] for name in FACT_KEY},
            "curated_value": cur["value"],
            "live_value": row["value"],
            "unit": cur["unit"],
            "live_unit": row["unit"],
            "difference": row["value"] - cur["value"] if same_unit else math.nan,
            "curated_source": cur["source"],
            "live_source": row["source"],
        })
    merged = curated
    if added:
        merged = pd.concat([curated, pd.DataFrame(added)[list(COLUMNS)]], ignore_index=True)
        merged = _to_frame(merged.to_dict("records"))
    return _sort(merged), _conflict_frame(conflicts)


def _sort(frame: pd.DataFrame) -> pd.DataFrame:
    ends = [period_bounds(t, p)[1] for t, p in zip(frame["ticker"], frame["fiscal_period"])]
    order = frame.assign(_end=ends, _origin=(frame["origin"] != ORIGIN_CURATED).astype(int))
    order = order.sort_values(["ticker", "_end", "_origin"], kind="mergesort")
    return order.drop(columns=["_end", "_origin"]).reset_index(drop=True)


def _conflict_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=list(CONFLICT_COLUMNS))
    for column in ("curated_value", "live_value", "difference"):
        frame[column] = frame[column].astype("float64")
    for column in CONFLICT_COLUMNS:
        if column not in ("curated_value", "live_value", "difference"):
            frame[column] = frame[column].astype(str)
    return frame


def _warn_conflicts(conflicts: pd.DataFrame, stacklevel: int = 3) -> None:
    if conflicts.empty:
        return
    listing = "; ".join(
        f"{r.ticker} {r.fiscal_period} {r.metric}"
        + (f" [{r.segment}]" if r.segment else "")
        + f" ({r.basis or 'no basis'}): curated {r.curated_value:,.6g} vs live {r.live_value:,.6g}"
        for r in conflicts.itertuples(index=False)
    )
    warnings.warn(f"{len(conflicts)} live figure(s) disagree with the curated fundamentals "
                  f"(curated kept): {listing}", FundamentalsConflictWarning, stacklevel=stacklevel)


# ---------------------------------------------------------------------------------------------
# Public readers
# ---------------------------------------------------------------------------------------------

def fundamentals(ticker: str | list[str] | None = None, *, source: str = "snapshot",
                 path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Reported fundamentals, one row per figure.

    Parameters
    ----------
    ticker : str, list of str or None
        Restrict to these tickers (``None``: all).
    source : {"snapshot", "cache", "auto"}
        ``"snapshot"`` (default): the curated ``data/fundamentals.csv`` only, so verdicts are
        reproducible. ``"cache"``: only the live figures stored by
        :func:`refresh_fundamentals_live`. ``"auto"``: curated figures plus the cached live
        figures the curated file lacks (:func:`merge_live`); live figures that disagree with
        curated ones are dropped with a :class:`FundamentalsConflictWarning`; an unreadable cache
        file is skipped with a :class:`babaresearch.prices.CacheWarning`.
    path : path-like, optional
        Curated CSV to read instead of the embedded one (tests, forks).

    Returns
    -------
    pandas.DataFrame
        Columns, in order:

        - ``ticker`` (str): ``"BABA"`` or ``"NVDA"``.
        - ``fiscal_period`` (str): company fiscal label, ``"FY2026Q2"`` (a quarter) or
          ``"FY2026"`` (a fiscal-year total). Alibaba's year ends March 31, NVIDIA's on the last
          Sunday of January (:func:`babaresearch.period_bounds`).
        - ``period_type`` (str): ``"quarter"`` or ``"fiscal_year"``; never compare one with the
          other.
        - ``period_end`` (datetime64[ns]): last day of the period; NaT for stand-alone
          announcements (a plan, chip shipments) dated only by ``release_date``.
        - ``metric`` (str): one of :data:`METRICS` (see :func:`metric_vocabulary`).
        - ``segment`` (str): ``""`` for the company total, else the segment or unit
          (``"Data Center"``, ``"Cloud Intelligence"``, ``"T-Head"``...).
        - ``basis`` (str): one of :data:`BASES`: ``GAAP``, ``non-GAAP``,
          ``non-GAAP (FY2027 definition)`` (NVIDIA's restated comparatives), ``GAAP
          (split-adjusted)``, ``adjusted``, ``outlook``, ``plan``, ``reported``,
          ``company-stated``, ``derived`` or ``""``.
        - ``value`` (float64): full magnitude in ``unit`` (46743000000.0, not 46.7; 72.4 for a
          72.4% margin); NaN when only the growth rate was stated.
        - ``unit`` (str): ``USD``, ``CNY``, ``%`` or ``count``.
        - ``precision`` (float64): half a unit in the last digit stated
          (:func:`stated_precision`), in ``unit``: "$22.6 billion" -> 50000000.0; NaN with
          ``value``.
        - ``yoy_pct`` (float64): the year-on-year growth the source states, in percent
          (56.0 = +56%); NaN when none was stated (never computed here).
        - ``release_date`` (datetime64[ns]): when the figure was published (US date); for
          guidance, when it was issued; for a live figure of a quarter the earnings calendar
          lacks, the day it was fetched.
        - ``source``, ``source2`` (str): where the figure was read, and an independent page
          stating it (``""`` when single-sourced).
        - ``note`` (str): rounding ("as stated"), pre-split EPS, restatements, vendor labels.
        - ``origin`` (str): ``"curated"`` or ``"live"``.

        Sorted by ticker, then period end, curated rows before live ones, then file order.

    Raises
    ------
    DataFileError
        A malformed file, naming it and the line: missing column, a value that is not a plain
        number, an unknown metric / unit / basis, a period_end that disagrees with the fiscal
        calendar, a release before the period began or more than 120 days after it ended,
        duplicate rows.
    InvalidOptionError
        ``source`` is not one of :data:`SOURCES`.
    UnknownTickerError
        ``ticker`` has no row in the source.
    NoDataError
        ``source="cache"`` and nothing is cached (for ``ticker``).

    Examples
    --------
    >>> facts = fundamentals("BABA")
    >>> row = facts[(facts.fiscal_period == "FY2026Q2") & (facts.metric == "revenue")
    ...             & (facts.segment == "")].iloc[0]
    >>> float(row.value), row.unit
    (247795000000.0, 'CNY')
    """
    if not isinstance(source, str) or source not in SOURCES:
        raise InvalidOptionError("source", source, SOURCES)
    tickers = None if ticker is None else normalize_tickers(ticker)
    if source == "cache":
        live = _read_cache(tickers, strict=True)
        return _sort(live)
    curated_path = _curated_path(path)
    curated = _select(_read(curated_path, ORIGIN_CURATED), tickers, curated_path)
    if source == "snapshot":
        return curated
    try:
        live = _read_cache(tickers, strict=False)
    except DataFileError as exc:
        from .prices import CacheWarning

        warnings.warn(f"live fundamentals cache not used: {exc}", CacheWarning, stacklevel=2)
        return curated
    merged, conflicts = merge_live(curated, live)
    _warn_conflicts(conflicts)
    return merged


def _normalize_label(label: object) -> str:
    parse_fiscal_label(label)  # raises PeriodError naming the label
    return str(label).strip().upper().replace(" ", "")


def lookup_fact(ticker: str, metric: str, fiscal_period: str, *, segment: str | None = None,
                basis: str | None = None, source: str = "snapshot",
                path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Figures matching a ticker, metric and fiscal period (and segment / basis when given).

    Parameters
    ----------
    ticker : str
        ``"BABA"`` or ``"NVDA"``.
    metric : str
        A metric of the vocabulary (:func:`metric_vocabulary`), e.g. ``"revenue"``.
    fiscal_period : str
        ``"FY2026Q2"`` or ``"FY2026"`` (case and inner spaces tolerated).
    segment : str, optional
        ``None``: any segment. ``""``: the company total only. Else the segment, compared
        case-insensitively (``"cloud intelligence"``). A verdict should always pass it.
    basis : str, optional
        ``None``: any basis. Else compared case-insensitively and exactly:
        ``"non-GAAP"`` does not match ``"non-GAAP (FY2027 definition)"``.
    source, path
        As for :func:`fundamentals`.

    Returns
    -------
    pandas.DataFrame
        The matching rows of :func:`fundamentals` (same columns), possibly empty. More than one
        row means the question is not pinned down (segments, bases, or a plan restated on
        several days).

    Raises
    ------
    InvalidOptionError
        ``metric`` is not in the vocabulary.
    PeriodError
        ``fiscal_period`` is malformed.
    UnknownTickerError, DataFileError, NoDataError
        As for :func:`fundamentals`.

    Examples
    --------
    >>> lookup_fact("BABA", "revenue", "FY2026Q2", segment="Cloud Intelligence")[
    ...     ["value", "yoy_pct"]].iloc[0].tolist()
    [39824000000.0, 34.0]
    """
    if metric not in _METRIC_INFO:
        raise InvalidOptionError("metric", metric, _METRIC_INFO)
    label = _normalize_label(fiscal_period)
    frame = fundamentals(ticker, source=source, path=path)
    mask = (frame["metric"] == metric) & (frame["fiscal_period"] == label)
    if segment is not None:
        mask &= frame["segment"].str.casefold() == segment.strip().casefold()
    if basis is not None:
        mask &= frame["basis"].str.casefold() == basis.strip().casefold()
    return frame[mask].reset_index(drop=True)


def prior_year_quarter(fiscal_period: str) -> str:
    """The same fiscal quarter (or fiscal year) one year earlier.

    Parameters
    ----------
    fiscal_period : str
        ``"FY2026Q2"`` or ``"FY2026"`` (case and inner spaces tolerated).

    Returns
    -------
    str
        ``"FY2025Q2"`` (or ``"FY2025"``): what a year-on-year comparison is measured against.

    Raises
    ------
    PeriodError
        Malformed label, or the year before falls outside the fiscal calendars' years.

    Examples
    --------
    >>> prior_year_quarter("FY2026Q2")
    'FY2025Q2'
    """
    fy, quarter = parse_fiscal_label(fiscal_period)
    if fy - 1 < MIN_FISCAL_YEAR:
        raise PeriodError(f"{fiscal_period!r}: no fiscal year before {MIN_FISCAL_YEAR}")
    return f"FY{fy - 1}" + (f"Q{quarter}" if quarter is not None else "")


def latest_reported_quarter(ticker: str, as_of: DateLike, *, inclusive: bool = True) -> str:
    """The latest fiscal quarter whose results were released by ``as_of``.

    A claim that names no period ("revenue rose 26%") is about this quarter. Uses the curated
    earnings calendar (:func:`babaresearch.earnings_calendar`).

    Parameters
    ----------
    ticker : str
        ``"BABA"`` or ``"NVDA"``.
    as_of : date-like
        The article's date (New York calendar day; a time of day is dropped).
    inclusive : bool
        Whether a release on ``as_of`` itself counts as reported (default ``True``, the rule of
        :func:`babaresearch.resolve_period`). On a release day an article may be a preview or a
        report: when ``latest_reported_quarter(t, d)`` differs from
        ``latest_reported_quarter(t, d, inclusive=False)`` the period is ambiguous.

    Returns
    -------
    str
        Fiscal label such as ``"FY2026Q1"``.

    Raises
    ------
    OutOfRangeError
        ``as_of`` is before the calendar's first release, or so long after its last one that a
        later quarter may have been reported without the calendar knowing: the quarter after
        the last release ended more than :data:`EARLIEST_RELEASE_DAYS` (14) days before
        ``as_of``.
    UnknownTickerError
        No earnings calendar for ``ticker``.
    DateRangeError
        ``as_of`` cannot be parsed.

    Examples
    --------
    >>> latest_reported_quarter("BABA", "2025-10-01")
    'FY2026Q1'
    >>> latest_reported_quarter("NVDA", "2025-08-27"), latest_reported_quarter(
    ...     "NVDA", "2025-08-27", inclusive=False)
    ('FY2026Q2', 'FY2026Q1')
    """
    name = normalize_ticker(ticker)
    day = to_date(as_of, "as_of")
    calendar = earnings_calendar(name)
    released = calendar["release_date"] <= day if inclusive else calendar["release_date"] < day
    done = calendar[released]
    if done.empty:
        first = calendar["release_date"].min()
        raise OutOfRangeError(f"{name}: no release known {'on or ' if inclusive else ''}before "
                              f"{day.date()} (the earnings calendar starts {first.date()})")
    latest = done.sort_values("period_end", kind="mergesort").iloc[-1]
    if len(done) == len(calendar):  # nothing later is known: was a later quarter reported?
        _, last_end = period_bounds(name, latest["fiscal_period"])
        following = fiscal_period(name, last_end + pd.Timedelta(days=1))
        _, following_end = period_bounds(name, following)
        if (day - following_end).days > EARLIEST_RELEASE_DAYS:
            raise OutOfRangeError(
                f"{name}: on {day.date()} {following} (ended {following_end.date()}) may have been "
                f"reported, but the earnings calendar ends with {latest['fiscal_period']} "
                f"(released {latest['release_date'].date()})")
    return str(latest["fiscal_period"])


# ---------------------------------------------------------------------------------------------
# Live refresh (yfinance)
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LiveItem:
    """How one Yahoo statement line becomes one of our metrics.

    Attributes
    ----------
    statement : str
        ``"income"`` (``Ticker.quarterly_income_stmt``) or ``"cashflow"``
        (``Ticker.quarterly_cashflow``).
    label : str
        Yahoo's row label (yfinance's "pretty" names).
    metric, basis : str
        Where the figure goes.
    tickers : tuple of str
        Tickers the mapping applies to (empty: all).
    sign : int
        Multiplier: ``-1`` turns Yahoo's negative capital expenditure into the amount spent.
    decimals : int
        Decimals written to the cache (0 for amounts, 2 for EPS: Yahoo gives cents).
    """

    statement: str
    label: str
    metric: str
    basis: str
    tickers: tuple[str, ...] = ()
    sign: int = 1
    decimals: int = 0


#: Yahoo line items -> metrics, in order of preference: for each metric and quarter the first
#: line with a value wins (``Net Income`` is NVIDIA's fallback only: for Alibaba it excludes
#: non-controlling interests, which ``net_income`` includes).
LIVE_ITEMS: tuple[LiveItem, ...] = (
    LiveItem("income", "Total Revenue", "revenue", "GAAP"),
    LiveItem("income", "Net Income Including Noncontrolling Interests", "net_income", "GAAP"),
    LiveItem("income", "Net Income", "net_income", "GAAP", tickers=("NVDA",)),
    LiveItem("income", "Net Income Common Stockholders", "net_income_attributable", "GAAP",
             tickers=("BABA",)),
    LiveItem("income", "Diluted EPS", "eps_diluted", "GAAP", tickers=("NVDA",), decimals=2),
    LiveItem("cashflow", "Capital Expenditure", "capex", "", sign=-1),
    LiveItem("cashflow", "Free Cash Flow", "free_cash_flow", "derived"),
)
#: Yahoo dates some quarters by the calendar month's end (2025-07-31 for NVIDIA's quarter ended
#: 2025-07-27); a column dated within this many days of a fiscal quarter's end is that quarter.
PERIOD_END_SLACK_DAYS = 7
#: NVIDIA's 10-for-1 split: Yahoo's EPS of quarters ended before it is split-adjusted, unlike
#: the curated pre-split EPS (basis ``GAAP (split-adjusted)`` keeps them apart).
NVDA_SPLIT_DATE = pd.Timestamp("2024-06-10")
#: ``source`` of live rows, per statement.
LIVE_SOURCES: dict[str, str] = {
    "income": "yfinance Ticker.quarterly_income_stmt",
    "cashflow": "yfinance Ticker.quarterly_cashflow",
}
_STATEMENT_ATTRIBUTES: dict[str, str] = {"income": "quarterly_income_stmt",
                                         "cashflow": "quarterly_cashflow"}


def _today_new_york() -> pd.Timestamp:
    return to_date(pd.Timestamp.now(tz=MARKET_TZ))


# "Today" (tz-naive New York date); tests replace it.
_today: Callable[[], pd.Timestamp] = _today_new_york


def _fetch_statements(ticker: str) -> dict[str, pd.DataFrame]:
    """yfinance's quarterly income and cash-flow statements of ``ticker``.

    Offline, yfinance returns empty frames without raising; an empty (or non-frame) statement is
    a failure here, as is any vendor exception. yfinance's own log lines are silenced.
    """
    from .prices import quiet_yfinance, summarize_exception

    try:
        import yfinance
    except ImportError as exc:  # pragma: no cover - yfinance is a dependency
        raise LiveDataError(f"{ticker}: yfinance is not installed ({exc})", ticker=ticker) from None
    frames: dict[str, pd.DataFrame] = {}
    try:
        with quiet_yfinance():
            handle = yfinance.Ticker(ticker)
            for statement, attribute in _STATEMENT_ATTRIBUTES.items():
                frames[statement] = getattr(handle, attribute)
    except Exception as exc:  # any vendor failure (network, rate limit, layout change)
        raise LiveDataError(
            f"{ticker}: live fundamentals could not be fetched: {summarize_exception(exc)}",
            ticker=ticker,
        ) from exc
    for statement, frame in frames.items():
        if frame is None or not isinstance(frame, pd.DataFrame) or frame.empty:
            raise LiveDataError(
                f"{ticker}: yfinance returned no {_STATEMENT_ATTRIBUTES[statement]} (empty frame: "
                "offline, rate-limited or no data for this ticker)", ticker=ticker)
    return frames


def fiscal_quarter_of_period_end(ticker: str, date: DateLike) -> str | None:
    """The fiscal quarter a vendor's period-end date stands for, or ``None``.

    Parameters
    ----------
    ticker : str
        ``"BABA"`` or ``"NVDA"``.
    date : date-like
        Period end as a data vendor gives it (the exact day, or the calendar month's end).

    Returns
    -------
    str or None
        The quarter (:func:`babaresearch.fiscal_period` of ``date`` or the quarter before) whose
        last day is within :data:`PERIOD_END_SLACK_DAYS` (7) days of ``date``;
        ``fiscal_quarter_of_period_end("NVDA", "2025-07-31")`` is ``"FY2026Q2"`` (ended
        2025-07-27). ``None`` when no quarter ends that close.
    """
    day = to_date(date)
    current = fiscal_period(ticker, day)
    start, _ = period_bounds(ticker, current)
    previous = fiscal_period(ticker, start - pd.Timedelta(days=1))
    best = min(((abs((period_bounds(ticker, label)[1] - day).days), label)
                for label in (current, previous)))
    return best[1] if best[0] <= PERIOD_END_SLACK_DAYS else None


def _format_number(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return "0" if decimals == 0 and text in ("-0", "+0") else text


def _live_records(ticker: str, frames: dict[str, pd.DataFrame],
                  today: pd.Timestamp) -> tuple[list[dict[str, str]], int]:
    """Cache-file rows (text cells, :data:`FILE_COLUMNS`) of the mapped statements; count of
    columns skipped (no fiscal quarter within the slack)."""
    try:
        calendar = earnings_calendar(ticker)
        releases = dict(zip(calendar["fiscal_period"], calendar["release_date"]))
    except UnknownTickerError:
        releases = {}
    currency = REPORTING_CURRENCY[ticker]
    chosen: dict[tuple[str, str], dict[str, str]] = {}
    skipped: set = set()
    for item in LIVE_ITEMS:
        if item.tickers and ticker not in item.tickers:
            continue
        frame = frames[item.statement]
        if item.label not in frame.index:
            continue
        line = frame.loc[item.label]
        if isinstance(line, pd.DataFrame):  # a repeated label: keep the first
            line = line.iloc[0]
        for column, raw in line.items():
            value = pd.to_numeric(raw, errors="coerce")
            if pd.isna(value) or not math.isfinite(float(value)):
                continue
            try:
                stamp = to_date(column)
                label = fiscal_quarter_of_period_end(ticker, stamp)
            except BabaResearchError:
                label = None
            if label is None:
                skipped.add(column)
                continue
            if (item.metric, label) in chosen:
                continue  # a preferred line already gave this quarter
            _, end = period_bounds(ticker, label)
            basis = item.basis
            if item.metric == "eps_diluted" and ticker == "NVDA" and end < NVDA_SPLIT_DATE:
                basis = "GAAP (split-adjusted)"
            release = releases.get(label)
            release_date = pd.Timestamp(release) if release is not None and pd.Timestamp(
                release) <= today else today
            released = ("release date from the earnings calendar" if release_date != today
                        else f"release date = fetch date {today.date()} (not in the earnings calendar)")
            chosen[(item.metric, label)] = {
                "ticker": ticker,
                "fiscal_period": label,
                "period_end": end.strftime("%Y-%m-%d"),
                "metric": item.metric,
                "segment": "",
                "value": _format_number(float(value) * item.sign, item.decimals),
                "unit": "USD" if item.metric == "eps_diluted" else currency,
                "basis": basis,
                "yoy_pct": "",
                "release_date": release_date.strftime("%Y-%m-%d"),
                "source": LIVE_SOURCES[item.statement],
                "source2": "",
                "note": (f"Yahoo line '{item.label}', period end {stamp.date()} as Yahoo dates it; "
                         f"fetched {today.date()}; {released}"),
            }
    return list(chosen.values()), len(skipped)


def _records_to_csv(records: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(FILE_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()


def _frame_to_records(frame: pd.DataFrame) -> list[dict[str, str]]:
    """Rows of a loaded live frame back to cache-file text cells (values as stated)."""
    records = []
    for row in frame.itertuples(index=False):
        decimals = 2 if row.metric == "eps_diluted" else 0
        records.append({
            "ticker": row.ticker, "fiscal_period": row.fiscal_period,
            "period_end": "" if pd.isna(row.period_end) else row.period_end.strftime("%Y-%m-%d"),
            "metric": row.metric, "segment": row.segment,
            "value": "" if pd.isna(row.value) else _format_number(row.value, decimals),
            "unit": row.unit, "basis": row.basis,
            "yoy_pct": "" if pd.isna(row.yoy_pct) else f"{row.yoy_pct:g}",
            "release_date": row.release_date.strftime("%Y-%m-%d"),
            "source": row.source, "source2": row.source2, "note": row.note,
        })
    return records


def _write_cache(ticker: str, records: list[dict[str, str]]) -> Path:
    """Merge ``records`` over the ticker's cache file (new fetch wins per fact) and replace it
    atomically. Quarters Yahoo no longer lists (it serves about five) stay in the cache. An
    unreadable old file is replaced, with a :class:`babaresearch.prices.CacheWarning`."""
    from .prices import CacheWarning
    from .resources import atomic_write_text

    path = _cache_path(ticker)
    keep: list[dict[str, str]] = []
    if path.is_file():
        try:
            old = _read(path, ORIGIN_LIVE)
        except DataFileError as exc:
            warnings.warn(f"{ticker}: unreadable fundamentals cache replaced: {exc}", CacheWarning,
                          stacklevel=3)
        else:
            fresh = {tuple(r[name] for name in FACT_KEY) for r in records}
            keep = [r for r in _frame_to_records(old)
                    if tuple(r[name] for name in FACT_KEY) not in fresh]
    rows = sorted(keep + records,
                  key=lambda r: (r["period_end"], [m.metric for m in METRICS].index(r["metric"])))
    try:
        return atomic_write_text(path, _records_to_csv(rows))
    except OSError as exc:
        raise DataFileError(path, f"cannot write the fundamentals cache: {exc.strerror or exc}") from None


def refresh_fundamentals_live(ticker: str, *, path: str | os.PathLike | None = None
                              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fetch quarterly figures from yfinance, cache them, and merge them with the curated ones.

    yfinance's ``Ticker(t).quarterly_income_stmt`` and ``quarterly_cashflow`` lines are mapped by
    :data:`LIVE_ITEMS`: ``Total Revenue`` -> ``revenue`` (GAAP); ``Net Income Including
    Noncontrolling Interests`` (NVDA: else ``Net Income``) -> ``net_income``; ``Net Income Common
    Stockholders`` -> ``net_income_attributable`` (BABA); ``Diluted EPS`` -> ``eps_diluted``
    (NVDA; quarters ended before the 2024 split get basis ``GAAP (split-adjusted)``);
    ``Capital Expenditure`` -> ``capex`` (sign flipped: amount spent); ``Free Cash Flow`` ->
    ``free_cash_flow`` with basis ``derived`` (Yahoo's, not the company's definition). Each
    column's date becomes a fiscal quarter (:func:`fiscal_quarter_of_period_end`). Amounts are in
    the company's reporting currency (:data:`REPORTING_CURRENCY`); ``release_date`` comes from
    the earnings calendar, or is the fetch date for a quarter it lacks.

    The figures are written atomically to ``cache_dir()/fundamentals/<TICKER>.csv`` (merged
    over what an earlier refresh stored) and then merged with the curated file under
    :func:`merge_live`: live figures only add facts; one that disagrees with a curated figure is
    returned in ``conflicts`` and warned about (:class:`FundamentalsConflictWarning`), never
    applied.

    Parameters
    ----------
    ticker : str
        A ticker with a fiscal calendar: ``"BABA"`` or ``"NVDA"``.
    path : path-like, optional
        Curated CSV (default: the embedded one).

    Returns
    -------
    merged : pandas.DataFrame
        ``fundamentals(ticker, source="auto")`` after the refresh: columns :data:`COLUMNS`.
    conflicts : pandas.DataFrame
        Columns :data:`CONFLICT_COLUMNS`.

    Raises
    ------
    LiveDataError
        yfinance raised, returned an empty statement (what it does offline), or no line item
        mapped to a fiscal quarter; the message names the ticker, the vendor exception is kept as
        ``__cause__``.
    UnknownTickerError
        No fiscal calendar for ``ticker`` (raised before any network call).
    DataFileError
        The curated file is malformed, or the cache cannot be written (names the file).
    """
    name = normalize_ticker(ticker)
    if name not in FISCAL_TICKERS:
        raise UnknownTickerError(name, FISCAL_TICKERS, where="the fiscal calendars")
    curated_path = _curated_path(path)
    curated = _select(_read(curated_path, ORIGIN_CURATED), [name], curated_path)
    frames = _fetch_statements(name)
    records, skipped = _live_records(name, frames, _today())
    if not records:
        found = sorted({str(label) for frame in frames.values() for label in frame.index})[:8]
        raise LiveDataError(
            f"{name}: no usable line item in yfinance's statements ({skipped} column(s) with no "
            f"fiscal quarter; wanted {', '.join(sorted({i.label for i in LIVE_ITEMS}))}; "
            f"found e.g. {', '.join(found) or 'nothing'})", ticker=name)
    cache_file = _write_cache(name, records)
    live = _read(cache_file, ORIGIN_LIVE)
    merged, conflicts = merge_live(curated, live)
    _warn_conflicts(conflicts)
    return merged, conflicts


# ---------------------------------------------------------------------------------------------
# ``babaresearch.fundamentals`` is both this module and the function :func:`fundamentals`.
# ---------------------------------------------------------------------------------------------

class _CallableModule(types.ModuleType):
    """This module, callable as :func:`fundamentals`.

    Importing ``babaresearch.fundamentals`` (as the CLI and other modules do) binds the package
    attribute ``babaresearch.fundamentals`` to the *module*, shadowing the lazily exported
    function of the same name. Making the module callable keeps
    ``babaresearch.fundamentals("BABA")`` working whichever object the name holds.
    """

    def __call__(self, ticker: str | list[str] | None = None, **options) -> pd.DataFrame:
        return fundamentals(ticker, **options)


sys.modules[__name__].__class__ = _CallableModule
