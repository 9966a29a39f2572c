"""The check table: every number of every document, read and placed on the calendar.

``read_corpus(path)`` loads a folder (:func:`babaresearch.documents.load_documents`), reads
each document (:func:`babaresearch.reading.read_text`), places price claims on sessions
(:mod:`babaresearch.sessions`) and returns the documents table, the numbers table and the
texts. The numbers table is the public contract documented in the README (columns
:data:`NUMBER_COLUMNS`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from .documents import Document, load_documents
from .reading import PRICE_METRICS, NumberReading, read_text
from .periodref import FiscalResolution, resolve_fiscal
from .sessions import resolve_session


def _next_quarter(label: str) -> str:
    year, q = int(label[2:6]), int(label[7])
    return f"FY{year + (q == 4)}Q{q % 4 + 1}"

#: Columns of the documents table.
DOC_COLUMNS = ("doc_id", "title", "published", "published_confidence", "published_evidence",
               "published_source")

#: Columns of the numbers table (the check table without verdicts).
NUMBER_COLUMNS = ("doc_id", "title", "start", "end", "quote", "value", "unit", "qualifier",
                  "qualifier_kind", "role", "role_reason", "subject", "ticker", "entity_kind",
                  "segment", "metric", "period_label", "comparison", "fiscal_period",
                  "fiscal_period_how", "period_ambiguous", "published", "session",
                  "session_how", "window", "listing", "forecast", "estimate", "decimals", "scale",
                  "evidence")


@lru_cache(maxsize=16)
def _calendar(ticker: str) -> pd.DataFrame:
    from .earnings import earnings_calendar
    return earnings_calendar(ticker)


def _release_day0(doc: Document, ticker: str) -> pd.Timestamp | None:
    if doc.as_of is None or ticker not in {"BABA", "NVDA"}:
        return None
    return _release_day0_on(pd.Timestamp(doc.as_of), ticker)


@lru_cache(maxsize=4096)
def _release_day0_on(as_of: pd.Timestamp, ticker: str) -> pd.Timestamp | None:
    """Day 0 of the ticker's release in the week up to ``as_of`` (the release an article is about)."""
    cal = _calendar(ticker)
    doc_as_of = as_of
    day0 = pd.to_datetime(cal["day0"])
    near = cal[(day0 <= doc_as_of + pd.Timedelta(days=1)) & (day0 >= doc_as_of - pd.Timedelta(days=6))]
    return pd.Timestamp(near["day0"].iloc[-1]) if len(near) else None


def read_document(doc: Document) -> pd.DataFrame:
    """The numbers table of one document (columns :data:`NUMBER_COLUMNS`)."""
    return _frame(_document_rows(doc))


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(NUMBER_COLUMNS))
    frame["session"] = pd.to_datetime(frame["session"])
    frame["published"] = pd.to_datetime(frame["published"])
    return frame


def _document_rows(doc: Document) -> list[dict]:
    readings = read_text(doc.text, doc.furniture)
    rows = []
    anchor = None
    text = doc.text
    for r in readings:
        session, how = pd.NaT, ""
        window = r.window
        if r.role == "claim" and r.metric in PRICE_METRICS and not r.window_stated and window == "close" \
                and r.session_ref.kind in {"none", "relative"} and r.session_ref.offset == 0 \
                and doc.dating.hour is not None and 9.5 <= doc.dating.hour + (doc.dating.minute or 0) / 60 < 16:
            window = "intraday"  # written during the session, no close named: an intraday figure
        metric = r.metric
        if metric in {"share_price", "index_level", "market_cap"} and window in {"ytd", "multi-day"}:
            window = "close"  # a price level is read at a close, never over a span
        if r.role == "claim" and r.window_year is not None and doc.as_of is not None:
            if r.window_year == doc.as_of.year and metric in {"price_move", "multi_day_return", "ytd_return"}:
                window, metric = "ytd", "ytd_return"
            elif r.window_year < doc.as_of.year and window == "ytd":
                window, metric = "multi-day", ("multi_day_return" if metric == "ytd_return" else metric)
        if r.role == "claim" and r.metric in PRICE_METRICS:
            res = resolve_session(r.session_ref, doc.dating, window=window or "close", anchor=anchor,
                                  release_day0=_release_day0(doc, r.ticker))
            session, how = (res.session if res.session is not None else pd.NaT), res.how
            if res.session is not None and how in {"stated_date", "weekday"}:
                anchor = res.session
        period_label = text[r.period.start:r.period.end] if r.period is not None else ""
        fiscal = FiscalResolution("", "")
        if r.role == "claim" and r.metric not in PRICE_METRICS:
            fiscal = resolve_fiscal(r.period, r.ticker, doc.as_of, year_of=r.period_year_of,
                                    prior_year=r.prior_year, forecast=r.forecast and not r.estimate
                                    and r.metric.endswith("guidance"))
            if r.forecast and r.period is None and fiscal.fiscal_period and doc.as_of is not None \
                    and r.metric.endswith("guidance"):
                fiscal = FiscalResolution(_next_quarter(fiscal.fiscal_period), "guided_next")
        rows.append({
            "doc_id": doc.doc_id, "title": doc.title, "start": r.start, "end": r.end, "quote": r.quote,
            "value": r.value, "unit": r.unit, "qualifier": r.qualifier, "qualifier_kind": r.qualifier_kind,
            "role": r.role, "role_reason": r.role_reason, "subject": r.subject, "ticker": r.ticker,
            "entity_kind": r.entity_kind, "segment": r.segment, "metric": metric if r.role == "claim" else "",
            "period_label": period_label, "comparison": r.comparison,
            "fiscal_period": fiscal.fiscal_period, "fiscal_period_how": fiscal.how,
            "period_ambiguous": fiscal.ambiguous, "published": doc.as_of,
            "session": session, "session_how": how, "window": window, "listing": r.listing,
            "forecast": r.forecast, "estimate": r.estimate, "decimals": r.decimals, "scale": r.scale,
            "evidence": " ".join(text[r.sentence_start:r.sentence_end].split()),
        })
    return rows


def documents_table(docs: list[Document]) -> pd.DataFrame:
    """One row per document: id, title, date, its confidence and evidence."""
    rows = [{"doc_id": d.doc_id, "title": d.title, "published": d.as_of,
             "published_confidence": d.dating.confidence, "published_evidence": d.as_of_evidence,
             "published_source": d.dating.source} for d in docs]
    frame = pd.DataFrame(rows, columns=list(DOC_COLUMNS))
    frame["published"] = pd.to_datetime(frame["published"])
    return frame


def read_corpus(path: str | Path, *, dates: str | Path | None = None):
    """Read a folder of documents.

    Returns
    -------
    (DataFrame, DataFrame, dict)
        The documents table (:data:`DOC_COLUMNS`), the numbers table (:data:`NUMBER_COLUMNS`)
        and ``{doc_id: text}`` (the strings the offsets index).
    """
    docs = load_documents(path, dates=dates)
    rows = [row for d in docs for row in _document_rows(d)]
    table = _frame(rows)
    return documents_table(docs), table, {d.doc_id: d.text for d in docs}
