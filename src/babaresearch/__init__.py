"""babaresearch: check articles' claims about Alibaba (BABA) and NVIDIA (NVDA) against real data.

The public API is re-exported here lazily (PEP 562), so ``import babaresearch`` stays cheap and
never imports matplotlib, statsmodels or yfinance until a function that needs them is called.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .errors import (
    BabaResearchError,
    CalendarError,
    ClaimError,
    DataFileError,
    DataValidationError,
    DateRangeError,
    DocumentError,
    EventStudyError,
    InvalidOptionError,
    InvalidTickerError,
    LiveDataError,
    NoDataError,
    OutOfRangeError,
    OutputFileError,
    PeriodError,
    PlotError,
    ReportError,
    ReportInterruptedError,
    UnknownTickerError,
)

__version__ = "0.1.0"

# public name -> submodule that defines it
_LAZY = {
    # prices
    "load_prices": "prices",
    "closes": "prices",
    "returns": "prices",
    "validate_bars": "prices",
    "data_quality_report": "prices",
    "snapshot_info": "prices",
    "fetch_live": "prices",
    "cache_dir": "prices",
    "TICKERS": "prices",
    "BENCHMARKS": "prices",
    # calendars
    "nyse_sessions": "calendars",
    "event_day0": "calendars",
    "fiscal_period": "calendars",
    "period_bounds": "calendars",
    # earnings and corporate events
    "earnings_calendar": "earnings",
    "corporate_events": "earnings",
    "refresh_earnings_live": "earnings",
    # reported fundamentals
    "fundamentals": "fundamentals",
    "refresh_fundamentals_live": "fundamentals",
    "lookup_fact": "fundamentals",
    "latest_reported_quarter": "fundamentals",
    "prior_year_quarter": "fundamentals",
    # documents and claims
    "load_documents": "documents",
    "Document": "documents",
    "extract_claims": "claims",
    "resolve_period": "periods",
    "Period": "periods",
    "claims_ledger": "ledger",
    "load_ledger": "ledger",
    "ledger_facts": "ledger",
    "write_ledger_csv": "ledger",
    "document_dates": "ledger",
    "write_document_dates_csv": "ledger",
    # event studies and verdicts
    "event_study": "events",
    "EventStudyResult": "events",
    "verify_price_claim": "verify",
    "verify_ledger": "verify",
    "Verdict": "verify",
    "verify_facts": "verify",
    "reference_facts": "verify",
    "scorecard": "verify",
    "tolerance_table": "verify",
    # the check table (issue 9)
    "check_documents": "verdicts",
    "judge": "verdicts",
    "REASONS": "verdicts",
    # plain-English findings for the reports
    "event_study_findings": "narrative",
    "scorecard_findings": "narrative",
    "performance_findings": "narrative",
    # performance of price series
    "total_return": "performance",
    "max_drawdown": "performance",
    "drawdowns": "performance",
    "performance_summary": "performance",
    # risk and return statistics (empyrical-reloaded)
    "performance_metrics": "metrics",
    "monthly_returns": "metrics",
    "rolling_volatility": "metrics",
    # event studies over several windows, events files
    "multi_window_study": "studies",
    "read_events_csv": "studies",
    # figures
    "plot_normalized_prices": "plots",
    "plot_drawdowns": "plots",
    "plot_rolling_beta": "plots",
    "plot_event_window": "plots",
    "plot_car": "plots",
    "plot_claims_timeline": "plots",
    "plot_verdicts": "plots",
    "plot_monthly_returns": "plots",
    "plot_rolling_volatility": "plots",
    # reports: tables for people, one escape for HTML and Markdown
    "build_reports": "report",
    "html_table": "tables",
    "escape_html": "htmlsafe",
    "escape_markdown": "htmlsafe",
    # provenance
    "snapshot_hash": "resources",
    "data_dir": "resources",
    "resource": "resources",
}

__all__ = sorted(
    [*_LAZY, "__version__", "BabaResearchError", "CalendarError", "ClaimError", "DataFileError",
     "DataValidationError", "DateRangeError", "DocumentError", "EventStudyError",
     "InvalidOptionError", "InvalidTickerError", "LiveDataError", "NoDataError",
     "OutOfRangeError", "OutputFileError", "PeriodError", "PlotError", "ReportError", "ReportInterruptedError",
     "UnknownTickerError"]
)


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'babaresearch' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # cache: later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .calendars import event_day0, fiscal_period, nyse_sessions, period_bounds
    from .claims import extract_claims
    from .documents import Document, load_documents
    from .earnings import corporate_events, earnings_calendar, refresh_earnings_live
    from .fundamentals import (fundamentals, latest_reported_quarter, lookup_fact,
                               prior_year_quarter, refresh_fundamentals_live)
    from .events import EventStudyResult, event_study
    from .verdicts import REASONS, check_documents, judge
    from .ledger import (claims_ledger, document_dates, ledger_facts, load_ledger,
                         write_document_dates_csv, write_ledger_csv)
    from .periods import Period, resolve_period
    from .prices import (
        BENCHMARKS, TICKERS, cache_dir, closes, data_quality_report, fetch_live,
        load_prices, returns, snapshot_info, validate_bars,
    )
    from .plots import (plot_car, plot_claims_timeline, plot_drawdowns, plot_event_window,
                        plot_normalized_prices, plot_rolling_beta, plot_verdicts)
    from .report import build_reports
    from .resources import data_dir, resource, snapshot_hash
    from .narrative import event_study_findings, performance_findings, scorecard_findings
    from .performance import drawdowns, max_drawdown, performance_summary, total_return
    from .verify import (Verdict, reference_facts, scorecard, tolerance_table, verify_facts,
                         verify_ledger, verify_price_claim)
