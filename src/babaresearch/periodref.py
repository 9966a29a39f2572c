"""Which fiscal period a claim is about, from the typed period mention the reader found.

The reader (:mod:`babaresearch.reading`) hands over a :class:`babaresearch.grammar.PeriodMention`
(never a label to re-parse); this module turns it into the company's fiscal label
(``"FY2026Q2"``) with the article's date and the earnings calendar:

* ``Q2 FY26`` / ``fiscal 2026 second quarter`` -> ``FY2026Q2`` (stated fiscal);
* ``Q3 2025`` without "fiscal" -> the fiscal quarter covering calendar Q3 2025 when that reading
  was released by the article's date, else the fiscal reading (``ambiguous`` is set when both
  readings were released);
* ``the quarter ended September 30, 2025`` / ``the September quarter`` -> the fiscal quarter
  containing that day;
* ``second quarter`` (no year) -> the latest quarter with that number released by the article's
  date;
* ``last quarter`` / no period at all -> the latest quarter reported by the article's date;
  ``next quarter`` -> the one after it (a forecast);
* a level "a year ago" / "a year earlier" -> the prior-year quarter of the above.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .grammar import PeriodMention

#: Companies whose fiscal calendars the library knows.
FISCAL_TICKERS = ("BABA", "NVDA")


@dataclass(frozen=True)
class FiscalResolution:
    """``fiscal_period`` (``""`` when unresolved), ``how`` (a code: ``stated``, ``calendar_quarter``,
    ``quarter_end``, ``latest_with_number``, ``relative``, ``latest_reported``, ``prior_year``,
    ``fiscal_year``, or why none: ``no_ticker``, ``undated``, ``out_of_calendar``) and
    ``ambiguous`` (both fiscal and calendar readings were released by the article's date)."""

    fiscal_period: str
    how: str
    ambiguous: bool = False


@lru_cache(maxsize=4)
def _released(ticker: str) -> pd.DataFrame:
    from .earnings import earnings_calendar
    cal = earnings_calendar(ticker)
    return cal[["fiscal_period", "period_end", "release_date"]].reset_index(drop=True)


def _quarter_at(ticker: str, day: pd.Timestamp) -> str | None:
    from .calendars import fiscal_period
    try:
        return fiscal_period(ticker, day)
    except Exception:  # noqa: BLE001 - outside the fiscal calendar
        return None


def _shift(label: str, step: int) -> str:
    year, q = int(label[2:6]), int(label[7])
    n = year * 4 + (q - 1) + step
    return f"FY{n // 4}Q{n % 4 + 1}"


def _release_of(ticker: str, label: str) -> pd.Timestamp | None:
    rel = _released(ticker)
    row = rel[rel["fiscal_period"] == label]
    return pd.Timestamp(row["release_date"].iloc[0]) if len(row) else None


@lru_cache(maxsize=1024)
def latest_reported(ticker: str, as_of: pd.Timestamp) -> str | None:
    """The latest quarter released on or before ``as_of``."""
    rel = _released(ticker)
    done = rel[pd.to_datetime(rel["release_date"]) <= as_of]
    return str(done["fiscal_period"].iloc[-1]) if len(done) else None


def resolve_fiscal(mention: PeriodMention | None, ticker: str, as_of: pd.Timestamp | None, *,
                   year_of: PeriodMention | None = None, prior_year: bool = False,
                   forecast: bool = False) -> FiscalResolution:
    """The fiscal period a claim is about (see the module docstring). A forecast's yearless
    quarter ("third-quarter revenue is projected...") is the next such quarter after the latest
    reported one."""
    if ticker not in FISCAL_TICKERS:
        return FiscalResolution("", "no_ticker")
    if forecast and mention is not None and mention.kind == "quarter" and mention.year is None \
            and year_of is None and as_of is not None:
        latest = latest_reported(ticker, as_of)
        if latest is not None:
            label = latest
            for _ in range(4):
                label = _shift(label, 1)
                if label.endswith(f"Q{mention.quarter}"):
                    return FiscalResolution(label, "next_with_number")
    res = _resolve(mention, ticker, as_of, year_of)
    if prior_year and res.fiscal_period and "Q" in res.fiscal_period:
        return FiscalResolution(_shift(res.fiscal_period, -4), "prior_year", res.ambiguous)
    return res


@lru_cache(maxsize=4096)
def _resolve(m: PeriodMention | None, ticker: str, as_of, year_of) -> FiscalResolution:
    if m is None or m.kind in {"year_ago", "sequential", "year"}:
        if as_of is None:
            return FiscalResolution("", "undated")
        label = latest_reported(ticker, as_of)
        return FiscalResolution(label or "", "latest_reported" if label else "out_of_calendar")
    if m.kind == "fiscal_year" and m.year:
        return FiscalResolution(f"FY{m.year}", "fiscal_year")
    if m.kind == "quarter":
        year = m.year or (year_of.year if year_of is not None else None)
        fiscal = m.fiscal or (year_of is not None)
        if year is None:
            if as_of is None:
                return FiscalResolution("", "undated")
            rel = _released(ticker)
            done = rel[(pd.to_datetime(rel["release_date"]) <= as_of)
                       & rel["fiscal_period"].str.endswith(f"Q{m.quarter}")]
            if not len(done):
                return FiscalResolution("", "out_of_calendar")
            return FiscalResolution(str(done["fiscal_period"].iloc[-1]), "latest_with_number")
        fiscal_label = f"FY{year}Q{m.quarter}"
        if fiscal:
            return FiscalResolution(fiscal_label, "stated")
        from .calendars import calendar_quarter_bounds
        try:
            _, end = calendar_quarter_bounds(year, m.quarter)
        except Exception:  # noqa: BLE001
            return FiscalResolution(fiscal_label, "stated")
        cal_label = _quarter_at(ticker, end - pd.Timedelta(days=3))
        if cal_label is None or cal_label == fiscal_label:
            return FiscalResolution(fiscal_label, "stated")
        if as_of is None:
            return FiscalResolution(cal_label, "calendar_quarter", True)
        cal_rel, fis_rel = _release_of(ticker, cal_label), _release_of(ticker, fiscal_label)
        cal_ok = cal_rel is not None and cal_rel <= as_of
        fis_ok = fis_rel is not None and fis_rel <= as_of
        if cal_ok:
            return FiscalResolution(cal_label, "calendar_quarter", fis_ok)
        return FiscalResolution(fiscal_label if fis_ok else cal_label, "stated", False)
    if m.kind == "quarter_end":
        year = m.year
        if year is None and as_of is not None:
            year = as_of.year if (m.month, m.day or 28) <= (as_of.month, as_of.day) else as_of.year - 1
        if year is None:
            return FiscalResolution("", "undated")
        try:
            day = pd.Timestamp(year=year, month=m.month, day=m.day or 28)
        except ValueError:
            return FiscalResolution("", "out_of_calendar")
        label = _quarter_at(ticker, day)
        return FiscalResolution(label or "", "quarter_end" if label else "out_of_calendar")
    if m.kind == "quarter_month":
        year = m.year
        if year is None and as_of is not None:
            year = as_of.year if m.month < as_of.month else as_of.year - 1
        if year is None:
            return FiscalResolution("", "undated")
        day = pd.Timestamp(year=year, month=m.month, day=1) + pd.offsets.MonthEnd(0)
        label = _quarter_at(ticker, day - pd.Timedelta(days=3))
        return FiscalResolution(label or "", "quarter_end" if label else "out_of_calendar")
    if m.kind == "relative":
        if as_of is None:
            return FiscalResolution("", "undated")
        label = latest_reported(ticker, as_of)
        if label is None:
            return FiscalResolution("", "out_of_calendar")
        return FiscalResolution(_shift(label, 1) if m.offset > 0 else label, "relative")
    if m.kind == "half":
        return FiscalResolution("", "half_year")
    return FiscalResolution("", "unresolved")
