"""Claims ledger: every claim of every document, tied to a fiscal period, a release and a day 0.

One row per claim of :func:`babaresearch.claims.extract_document_claims`, plus

* ``ticker``: BABA or NVDA from the claim's subject (Alibaba, Alibaba Cloud, T-Head, Qwen ->
  BABA; NVIDIA -> NVDA; AWS, Azure and other companies -> None);
* the period of its ``period_label`` resolved with the document's ``as_of`` (top candidate of
  :func:`babaresearch.periods.resolve_period`), ``ambiguous_period`` when more than one reading
  exists, and ``period_candidates`` listing them;
* the event it is tied to (``event``, ``release_date``, ``day0``) and why (``event_note``):

  - a price claim (price move, share price, YTD return) to the session it names: an explicit
    calendar date ("August 28, 2025") is that session whatever the document date; a weekday
    ("Friday"), "yesterday" or "year-to-date" is read relative to the document's as-of date;
  - a market-share or market-size claim to nothing: it is third-party data (Canalys,
    Synergy), not part of any earnings release; its resolved period is kept;
  - a claim with a resolved period to the earnings release of that period;
  - a claim without a period label (or labelled "to date") in a document dated by an explicit
    date that is an earnings presentation (its as-of evidence reads "explicit date 'March 20,
    2026'" and that date resolves to a release) to that release, unless the claim's own
    sentence points at a corporate event (names the event's distinctive words such as "WSJ" or
    "Zhenwu", states its amount, or dates itself within a few days of it);
  - otherwise a chip claim to the latest T-Head product event, a capex claim to the capex plan;
* ``contradiction`` / ``contradiction_note``: two claims (in one document or two) that state the
  same figure but date it to periods that cannot overlap, or the same metric for the same
  period with different exact values;
* ``sequence_consistent`` / ``sequence_note``: streak claims ("eighth consecutive quarter")
  checked against each other: consistent when the counts differ by exactly the number of
  quarters between their periods (None where there is nothing to compare with);
* ``period_reason``: how the claim's fiscal period was read (the resolver's
  :attr:`babaresearch.periods.Period.reason`, e.g. why "March 20, 2026" is the FY2026Q3 release
  dated 2026-03-19 in New York: the Hong Kong/US one-day offset); None when the claim has no
  fiscal period. ``event_note`` repeats the gist in a few words for the reports;
* ``mention``: 1 for the first time a document states a figure (same ticker, or subject when
  there is no ticker; same metric, unit and value), 2 for the second... Every mention stays a
  row (each has its own offsets and period label); counting claims per document counts rows
  with ``mention == 1`` (the scorecard does), so the 470,000-chip figure repeated nine times in
  one article counts once.

:func:`write_ledger_csv` stores the ledger as structured facts (no article sentences) in
``data/claims_ledger.csv``; :func:`ledger_facts` reads it back with typed columns. Empty text
cells are None in every frame these functions return (never ``""`` nor the string ``"None"``).

:func:`document_dates` is one row per document (also those without claims) with its as-of date
and the evidence for it; :func:`write_document_dates_csv` stores it in ``data/documents.csv``
so reports know every article's date without the articles.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .claims import CLAIM_COLUMNS, empty_claims
from .errors import BabaResearchError, DataFileError
from .resources import atomic_write_text

#: Columns the ledger adds to the claim columns, in order.
LEDGER_EXTRA_COLUMNS: tuple[str, ...] = (
    "ticker", "fiscal_period", "period_start", "period_end", "release_date", "day0", "event",
    "as_of", "as_of_evidence", "ambiguous_period", "period_candidates", "contradiction",
    "contradiction_note", "sequence_consistent", "sequence_note", "event_note", "mention",
    "period_reason",
)
#: Ledger columns a CSV written before they existed may lack: :func:`ledger_facts` fills
#: ``event_note`` and ``period_reason`` with None and recomputes ``mention`` from the other
#: columns.
OPTIONAL_LEDGER_COLUMNS: tuple[str, ...] = ("event_note", "mention", "period_reason")
#: Every column of :func:`claims_ledger` and of ``data/claims_ledger.csv``, in order.
LEDGER_COLUMNS: tuple[str, ...] = CLAIM_COLUMNS + LEDGER_EXTRA_COLUMNS
#: File name of the committed ledger of the seed articles, inside the data folder.
LEDGER_FILE = "claims_ledger.csv"
#: File name of the committed dating of the seed articles, inside the data folder.
DOCUMENTS_FILE = "documents.csv"
#: Columns of :func:`document_dates` and of ``data/documents.csv``, in order.
DOCUMENT_DATE_COLUMNS: tuple[str, ...] = ("doc_id", "as_of", "as_of_evidence", "n_claims", "chars")
#: Longest span the dating evidence may quote from an article (characters): labels such as
#: 'Q3 2025' or 'March 20, 2026', never a sentence. :func:`write_document_dates_csv` refuses more.
MAX_EVIDENCE_QUOTE_CHARS = 40
# A quoted span of the evidence: an opening quote not glued to a word (so the apostrophe of
# "event's" is no quote) up to a closing one that is not followed by a letter or digit.
_RE_EVIDENCE_QUOTE = re.compile(r"(?<!\w)'(?P<span>[^']*(?:'\w[^']*)*)'(?!\w)")

_DATE_COLUMNS = ("period_start", "period_end", "release_date", "day0", "as_of")
_BOOL_COLUMNS = ("approx", "ambiguous_period", "contradiction")
_INT_COLUMNS = ("start", "end", "mention")
_TEXT_COLUMNS = ("doc_id", "quote", "unit", "qualifier", "subject", "metric", "period_label",
                 "ticker", "fiscal_period", "event", "as_of_evidence", "period_candidates",
                 "contradiction_note", "sequence_note", "event_note", "period_reason")

# Subject -> ticker. Order matters: the first pattern that matches wins.
_SUBJECT_TICKERS: tuple[tuple[re.Pattern, str | None], ...] = (
    (re.compile(r"\bnvidia\b|\bnvda\b", re.IGNORECASE), "NVDA"),
    (re.compile(r"alibaba|\bbaba\b|t-hea[dt]|\bqwen|taobao|tmall|\bquark\b|zhenwu|hanguang",
                re.IGNORECASE), "BABA"),
)

#: Metrics measured on a trading session rather than over a fiscal period.
PRICE_METRICS = frozenset({"price move", "share price", "YTD return"})
#: Metrics about a chip (tied to the T-Head product events when no period is given).
CHIP_METRICS = frozenset({"units shipped", "performance ratio", "cost ratio", "process node"})
#: Metric -> corporate-event kind a claim without a resolved period is tied to.
METRIC_EVENT_KINDS: dict[str, str] = {"capex": "capex_plan", **{m: "product" for m in CHIP_METRICS}}
#: Metrics that are third-party market data (Canalys, Synergy...): no earnings release reports
#: them, so they are tied to no release even when their period resolves.
THIRD_PARTY_METRICS = frozenset({"market share", "market size"})
#: Period labels that mean "as of the document date" for a non-price claim ("shipped 470,000
#: chips to date"): treated like no label when the document is dated by a release.
_DOCUMENT_DATE_LABELS = frozenset({"", "to date", "so far", "as of today", "today", "now",
                                   "cumulative", "cumulatively", "in total"})
#: Words of corporate-event descriptions too common to say a sentence is about that event.
_GENERIC_EVENT_WORDS = frozenset({
    "alibaba", "nvidia", "t-head", "ai", "chip", "chips", "new", "reports", "report", "announces",
    "discloses", "states", "launch", "still", "made", "by", "chinese", "china", "compatible",
    "software", "with", "about", "after", "sales", "licence", "license", "requirement", "filed",
    "close", "the", "and", "of", "on", "to", "a", "an", "in", "its", "for", "units", "shipped",
    "customers", "cloud", "infrastructure", "plan", "three-year", "rmb", "us", "s", "alibaba's",
})
#: Metrics too generic to say two equal numbers are the same fact.
GENERIC_METRICS = frozenset({"count", "other", ""})
#: Metric of streak claims ("ninth consecutive quarter").
STREAK_METRIC = "consecutive quarters"
#: An event dated at most this many days after the reference date can still be the one meant
#: (an article written the evening of a US-morning event is dated the next day in Asia).
EVENT_GRACE_DAYS = 3
#: Relative tolerance under which two exact values count as equal (float noise).
VALUE_RTOL = 1e-9

# Period labels that name a trading session relative to the document date.
_WEEKDAYS = {name: number for number, name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_AS_OF_SESSION_LABELS = frozenset({"", "today", "year-to-date", "year to date", "ytd", "this week",
                                   "to date", "so far this year"})
_CHIP_WORDS = re.compile(r"\bchips?\b|t-hea[dt]|zhenwu|semiconductor", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------

def claims_ledger(docs, *, tickers_hint: str | Mapping[str, str] | None = None) -> pd.DataFrame:
    """Ledger of every claim of every document.

    Parameters
    ----------
    docs : str, Path, Document or list of Document
        A documents folder (read with :func:`babaresearch.documents.load_documents`), one
        document, or a list of them.
    tickers_hint : str or mapping of doc_id -> str, optional
        Ticker for claims whose subject is empty (a subject naming another company, e.g. AWS,
        always gives no ticker).

    Returns
    -------
    DataFrame
        Columns :data:`LEDGER_COLUMNS`, sorted by ``doc_id`` then ``start`` (see the module
        docstring for what each added column means). Dates are tz-naive ``datetime64[ns]``;
        empty text (no qualifier, no period label) is None.

    Raises
    ------
    DocumentError
        The folder cannot be read.
    """
    from .claims import extract_document_claims

    documents = _as_documents(docs)
    frames = [extract_document_claims(doc) for doc in documents]
    frames = [frame for frame in frames if len(frame)]
    claims = pd.concat(frames, ignore_index=True) if frames else empty_claims()
    as_of = {doc.doc_id: doc.as_of for doc in documents}
    texts = {doc.doc_id: doc.text for doc in documents}
    evidence = {doc.doc_id: doc.as_of_evidence or None for doc in documents}
    # the dating's own typed evidence: the date quote it stands on, when it is a stated date
    stated = {}
    for doc in documents:
        ev = doc.dating.evidence[0] if doc.dating.evidence else None
        if ev is not None and ev.start >= 0 and ev.kind in {"session", "dateline", "footer"}:
            stated[doc.doc_id] = doc.text[ev.start:ev.end]
    return ledger_from_claims(claims, as_of=as_of, texts=texts, tickers_hint=tickers_hint,
                              as_of_evidence=evidence, dating_quotes=stated)


def load_ledger(docs=None) -> pd.DataFrame:
    """The claims ledger of a documents folder, or the committed one when there is none.

    Notebooks and reports call this so that they run both where the articles are available and
    on a fresh clone without them.

    Parameters
    ----------
    docs : str, Path, Document, list of Document or None
        Documents to extract from. None, or a folder that does not exist, falls back to
        :func:`ledger_facts` (``data/claims_ledger.csv``: structured facts, no article text).

    Returns
    -------
    DataFrame
        Columns :data:`LEDGER_COLUMNS`; ``ledger.attrs["origin"]`` says where the claims came
        from (the folder, or the committed ledger file). Documents without claims have no row:
        :func:`document_dates` lists every document with its date.
    """
    if docs is None or (isinstance(docs, (str, os.PathLike)) and not Path(docs).is_dir()):
        ledger = ledger_facts()
        ledger.attrs["origin"] = f"committed ledger {LEDGER_FILE} (structured facts, no article text)"
        return ledger
    ledger = claims_ledger(docs)
    where = str(docs) if isinstance(docs, (str, os.PathLike)) else "the given documents"
    ledger.attrs["origin"] = f"{ledger['doc_id'].nunique()} documents in {where}"
    return ledger


def document_dates(docs=None) -> pd.DataFrame:
    """One row per document: its as-of date, the evidence for it, its claim count and length.

    Unlike the ledger, this lists documents without any numeric claim too, so reports know
    every article's date.

    Parameters
    ----------
    docs : str, Path, Document, list of Document or None
        Documents to date. None, or a folder that does not exist, falls back to the committed
        ``data/documents.csv`` (:func:`document_dates_facts`: structured facts, no article text).

    Returns
    -------
    DataFrame
        Columns :data:`DOCUMENT_DATE_COLUMNS`, sorted by ``doc_id``: ``doc_id`` (str),
        ``as_of`` (``datetime64[ns]``, NaT when nothing dates the document), ``as_of_evidence``
        (str, None when empty; :attr:`babaresearch.documents.Document.as_of_evidence`),
        ``n_claims`` (int64: claims extracted, every mention counted, i.e. the document's rows
        in :func:`claims_ledger`) and ``chars`` (int64: length of the repaired text, characters).
        ``.attrs["origin"]`` says where the rows came from.

    Raises
    ------
    DocumentError
        A folder that exists cannot be read.
    DataFileError
        The committed file is missing or malformed.
    """
    if docs is None or (isinstance(docs, (str, os.PathLike)) and not Path(docs).is_dir()):
        frame = document_dates_facts()
        frame.attrs["origin"] = (f"committed document dates {DOCUMENTS_FILE} "
                                 "(structured facts, no article text)")
        return frame
    from .claims import extract_document_claims

    documents = _as_documents(docs)
    rows = [{"doc_id": doc.doc_id, "as_of": doc.as_of if doc.as_of is not None else pd.NaT,
             "as_of_evidence": doc.as_of_evidence, "n_claims": len(extract_document_claims(doc)),
             "chars": len(doc.text)} for doc in documents]
    frame = _typed_document_dates(pd.DataFrame(rows, columns=list(DOCUMENT_DATE_COLUMNS)))
    where = str(docs) if isinstance(docs, (str, os.PathLike)) else "the given documents"
    frame.attrs["origin"] = f"{len(frame)} documents in {where}"
    return frame


def write_document_dates_csv(docs, path: str | os.PathLike) -> Path:
    """Write :func:`document_dates` of ``docs`` as CSV (structured facts only), atomically.

    Parameters
    ----------
    docs : str, Path, Document, list of Document or DataFrame
        As for :func:`document_dates` (a folder must exist), or an already built frame with the
        columns :data:`DOCUMENT_DATE_COLUMNS`.
    path : path-like
        Output file (missing parent folders are created).

    Returns
    -------
    Path
        The file written: dates ``YYYY-MM-DD``, so :func:`document_dates_facts` reads back the
        same frame.

    Raises
    ------
    DataFileError
        A frame lacks some of :data:`DOCUMENT_DATE_COLUMNS`, or an evidence string quotes more
        than :data:`MAX_EVIDENCE_QUOTE_CHARS` characters of an article (names the document).
    DocumentError
        The documents folder is missing or cannot be read.
    """
    if isinstance(docs, pd.DataFrame):
        missing = [column for column in DOCUMENT_DATE_COLUMNS if column not in docs.columns]
        if missing:
            raise DataFileError("document dates", f"missing column(s): {', '.join(missing)}")
        try:
            frame = _typed_document_dates(docs.loc[:, list(DOCUMENT_DATE_COLUMNS)])
        except (ValueError, TypeError) as exc:
            raise DataFileError("document dates", f"bad column values: {exc}") from None
    else:
        frame = document_dates(_as_documents(docs))
    for doc_id, evidence in zip(frame["doc_id"], frame["as_of_evidence"]):
        long = [q for q in evidence_quotes(evidence) if len(q) > MAX_EVIDENCE_QUOTE_CHARS]
        if long:
            raise DataFileError(Path(path), f"document {doc_id}: the dating evidence quotes "
                                f"{len(long[0])} characters of the article (more than "
                                f"{MAX_EVIDENCE_QUOTE_CHARS}); only short labels may be stored")
    out = frame.copy()
    out["as_of"] = out["as_of"].dt.strftime("%Y-%m-%d")
    return atomic_write_text(Path(path), out.to_csv(index=False, lineterminator="\n"))


def document_dates_facts(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The committed dating of the seed articles (``data/documents.csv``), with typed columns.

    Parameters
    ----------
    path : path-like, optional
        CSV to read instead of ``documents.csv`` in the data folder.

    Returns
    -------
    DataFrame
        Columns :data:`DOCUMENT_DATE_COLUMNS` typed as :func:`document_dates` returns them.

    Raises
    ------
    DataFileError
        The file is missing or malformed (names the file and, where known, the line).
    """
    from .resources import read_text_csv, resource

    source = Path(path) if path is not None else resource(DOCUMENTS_FILE)
    raw = read_text_csv(source, "document dates")
    missing = [column for column in DOCUMENT_DATE_COLUMNS if column not in raw.columns]
    if missing:
        raise DataFileError(source, f"missing column(s): {', '.join(missing)}", line=1)
    records = _parse_rows(raw, source, DOCUMENT_DATE_COLUMNS, _parse_document_date_cell)
    for offset, doc_id in enumerate(records["doc_id"]):
        if doc_id is None:
            raise DataFileError(source, "column doc_id: empty", line=offset + 2)
    return _typed_document_dates(pd.DataFrame(records, columns=list(DOCUMENT_DATE_COLUMNS)))


#: Count columns of ``documents.csv`` (non-negative integers).
_DOCUMENT_COUNT_COLUMNS = ("n_claims", "chars")


def _parse_document_date_cell(column: str, cell: str, source: Path, line: int):
    """One cell of ``documents.csv``: counts are non-negative, text is None when blank."""
    if column in _DOCUMENT_COUNT_COLUMNS:
        try:
            value = int(cell)
        except ValueError:
            value = -1
        if value < 0:
            raise DataFileError(source, f"column {column}: bad value {cell!r}", line=line)
        return value
    if column not in _DATE_COLUMNS and not cell.strip():
        return None
    return _parse_cell(column, cell, source, line)


def evidence_quotes(evidence: object) -> list[str]:
    """The spans an as-of evidence string quotes from its article ("'Q3 2025'" -> ["Q3 2025"]).

    An apostrophe inside a word ("the event's amount") is no quote mark.
    """
    if is_blank_text(evidence):
        return []
    return [m.group("span") for m in _RE_EVIDENCE_QUOTE.finditer(str(evidence))]


def _typed_document_dates(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["doc_id"] = pd.Series([str(v) for v in frame["doc_id"]], index=frame.index, dtype=object)
    frame["as_of"] = pd.to_datetime(frame["as_of"]).astype("datetime64[ns]")
    frame["as_of_evidence"] = pd.Series([None if is_blank_text(v) else str(v)
                                         for v in frame["as_of_evidence"]],
                                        index=frame.index, dtype=object)
    for column in ("n_claims", "chars"):
        frame[column] = frame[column].astype("int64")
    return frame.sort_values("doc_id", kind="stable").reset_index(drop=True)


def ledger_from_claims(claims: pd.DataFrame, *, as_of=None, texts: Mapping[str, str] | None = None,
                       tickers_hint: str | Mapping[str, str] | None = None,
                       as_of_evidence: str | Mapping[str, str] | None = None,
                       dating_quotes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Ledger of an already extracted claims frame (see :func:`claims_ledger`).

    ``dating_quotes`` maps a doc id to the stated date its dating stands on (typed evidence of
    :class:`babaresearch.dating.Dating`); without it the release anchor is read from the
    committed ``as_of_evidence`` text of older ledgers.

    Parameters
    ----------
    claims : DataFrame
        Columns :data:`CLAIM_COLUMNS` (extra columns are dropped).
    as_of : date-like or mapping of doc_id -> date-like, optional
        Date of each document (one date for all documents, or per ``doc_id``).
    texts : mapping of doc_id -> str, optional
        Document texts; used to recognise chip claims from the words around them.
    tickers_hint : str or mapping of doc_id -> str, optional
        Ticker for claims with an empty subject.
    as_of_evidence : str or mapping of doc_id -> str, optional
        How each document's ``as_of`` was found (:attr:`Document.as_of_evidence`). When it says
        the date is an explicit date of an earnings presentation ("latest dated reference
        2026-03-20: explicit date 'March 20, 2026'"), claims without a period label are tied to
        that release (see the module docstring).

    Returns
    -------
    DataFrame
        Columns :data:`LEDGER_COLUMNS`.

    Raises
    ------
    DataFileError
        A claim column is missing.
    """
    if not isinstance(claims, pd.DataFrame):
        raise DataFileError("claims", f"expected a DataFrame of claims, got {type(claims).__name__}")
    missing = [column for column in CLAIM_COLUMNS if column not in claims.columns]
    if missing:
        raise DataFileError("claims", f"missing claim column(s): {', '.join(missing)}")
    frame = claims.loc[:, list(CLAIM_COLUMNS)].copy()
    frame = frame.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)
    texts = dict(texts or {})

    rows = []
    resolutions = []
    anchors: dict[tuple[str, str | None], tuple] = {}
    for claim in frame.to_dict("records"):
        doc_as_of = _doc_value(as_of, claim["doc_id"])
        doc_as_of = None if is_blank_cell(doc_as_of) else _to_date(doc_as_of)
        ticker = subject_ticker(claim["subject"])
        if ticker is None and is_blank_text(claim["subject"]):
            hint = _doc_value(tickers_hint, claim["doc_id"])
            ticker = None if is_blank_cell(hint) else _normalize(hint)
        candidates = _resolve(claim["period_label"], ticker, doc_as_of)
        resolutions.append(candidates)
        text = texts.get(claim["doc_id"])
        key = (claim["doc_id"], ticker)
        if key not in anchors:
            quote = (dating_quotes or {}).get(claim["doc_id"])
            anchors[key] = _release_anchor_of_quote(quote, ticker) if quote is not None else \
                _release_anchor(_doc_value(as_of_evidence, claim["doc_id"]), ticker)
        row = _tie(claim, ticker, doc_as_of, candidates, text, anchors[key])
        if claim["metric"] in PRICE_METRICS and row["fiscal_period"] is None:
            resolutions[-1] = []  # a session is not a period: no period contradictions
        rows.append(row)

    extra = pd.DataFrame(rows, columns=[c for c in LEDGER_EXTRA_COLUMNS
                                        if c not in ("contradiction", "contradiction_note",
                                                     "sequence_consistent", "sequence_note",
                                                     "mention")])
    ledger = pd.concat([frame, extra], axis=1)
    evidence = [_doc_value(as_of_evidence, doc_id) for doc_id in ledger["doc_id"]]
    ledger["as_of_evidence"] = pd.Series([None if is_blank_text(e) else str(e) for e in evidence],
                                         index=ledger.index, dtype=object)
    flags, notes = _contradictions(ledger, resolutions)
    ledger["contradiction"] = flags
    ledger["contradiction_note"] = notes
    consistent, sequence_notes = _sequences(ledger)
    ledger["sequence_consistent"] = pd.array(consistent, dtype="boolean")
    ledger["sequence_note"] = sequence_notes
    ledger["mention"] = mention_numbers(ledger)
    return _typed(ledger.loc[:, list(LEDGER_COLUMNS)])


def figure_keys(ledger: pd.DataFrame) -> pd.Series:
    """Key of the figure each claim states: document, owner, metric, unit and value.

    The owner is the ticker, or the subject when there is no ticker (all lower case); the value
    is written with 12 significant digits. The closeness word and the period label are not part
    of the figure ("$53 billion" and "about $53 billion" are one figure).

    Parameters
    ----------
    ledger : DataFrame
        Needs ``doc_id, value, unit, metric`` and ``ticker`` or ``subject`` (a missing
        column counts as empty).

    Returns
    -------
    Series of str
        Aligned with ``ledger``.
    """
    def text(column: str) -> list[str]:
        if column not in ledger.columns:
            return [""] * len(ledger)
        return ["" if is_blank_text(v) else " ".join(str(v).lower().split()) for v in ledger[column]]

    values = (pd.to_numeric(ledger["value"], errors="coerce") if "value" in ledger.columns
              else pd.Series(float("nan"), index=ledger.index))
    value_text = ["" if pd.isna(v) else f"{float(v):.12g}" for v in values]
    owner = [t or s for t, s in zip(text("ticker"), text("subject"))]
    keys = ["\x1f".join(parts) for parts in zip(text("doc_id"), owner, text("metric"), text("unit"),
                                                 value_text)]
    return pd.Series(keys, index=ledger.index, dtype=object)


def mention_numbers(ledger: pd.DataFrame) -> pd.Series:
    """Which mention of its figure each claim is within its document (1 = first).

    A figure is the same when :func:`figure_keys` agree (document, ticker or subject, metric,
    unit, value). Mentions are numbered in offset order.

    Parameters
    ----------
    ledger : DataFrame
        Needs ``doc_id, start, value, unit, metric`` and ``ticker`` or ``subject``.

    Returns
    -------
    Series of int64
        Aligned with ``ledger``; empty for an empty ledger.
    """
    if ledger.empty:
        return pd.Series([], index=ledger.index, dtype="int64")
    keys = pd.DataFrame({"key": figure_keys(ledger),
                         "start": pd.to_numeric(ledger["start"], errors="coerce").to_numpy()},
                        index=ledger.index)
    order = keys.sort_values("start", kind="stable")
    numbers = order.groupby("key", sort=False).cumcount() + 1
    return numbers.reindex(ledger.index).astype("int64")


def subject_ticker(subject: object) -> str | None:
    """Ticker of a claim's subject: NVIDIA -> "NVDA"; Alibaba, Alibaba Cloud, T-Head, Qwen ->
    "BABA"; anything else (AWS, Azure, Amazon..., empty) -> None."""
    if is_blank_text(subject):
        return None
    for pattern, ticker in _SUBJECT_TICKERS:
        if pattern.search(str(subject)):
            return ticker
    return None


def write_ledger_csv(docs, path: str | os.PathLike) -> Path:
    """Write the ledger of ``docs`` as CSV (structured facts only), atomically.

    Parameters
    ----------
    docs : str, Path, Document, list of Document or DataFrame
        As for :func:`claims_ledger`, or an already built ledger (columns :data:`LEDGER_COLUMNS`).
    path : path-like
        Output file (missing parent folders are created).

    Returns
    -------
    Path
        The file written: columns :data:`LEDGER_COLUMNS`, dates ``YYYY-MM-DD``, values in
        Python's shortest round-trip form, so :func:`ledger_facts` reads back the same frame.

    Raises
    ------
    DataFileError
        A ledger frame lacks some of :data:`LEDGER_COLUMNS`.
    """
    if isinstance(docs, pd.DataFrame):
        missing = [column for column in LEDGER_COLUMNS if column not in docs.columns]
        if missing:
            raise DataFileError("ledger", f"missing ledger column(s): {', '.join(missing)}")
        ledger = _typed(docs.loc[:, list(LEDGER_COLUMNS)])
    else:
        ledger = claims_ledger(docs)
    return _write_csv(ledger, Path(path))


def ledger_facts(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The committed claims ledger of the seed articles, with typed columns.

    Parameters
    ----------
    path : path-like, optional
        CSV to read instead of ``claims_ledger.csv`` in the data folder.

    Returns
    -------
    DataFrame
        Columns :data:`LEDGER_COLUMNS`; ``start``/``end``/``mention`` int64, ``value`` float64,
        dates ``datetime64[ns]``, ``approx``/``ambiguous_period``/``contradiction`` bool,
        ``sequence_consistent`` nullable boolean. A file written before ``event_note`` and
        ``mention`` existed (:data:`OPTIONAL_LEDGER_COLUMNS`) is read with ``event_note`` None
        and ``mention`` recomputed with :func:`mention_numbers`.

    Raises
    ------
    DataFileError
        The file is missing or malformed (names the file and, where known, the line).
    """
    if path is None:
        from .resources import resource

        path = resource(LEDGER_FILE)
    from .resources import read_text_csv

    source = Path(path)
    raw = read_text_csv(source, "claims ledger")
    missing = [column for column in LEDGER_COLUMNS
               if column not in raw.columns and column not in OPTIONAL_LEDGER_COLUMNS]
    if missing:
        raise DataFileError(source, f"missing column(s): {', '.join(missing)}", line=1)
    raw = raw.copy()
    for column in ("event_note", "period_reason"):
        if column not in raw.columns:
            raw[column] = ""  # read as None
    recompute_mentions = "mention" not in raw.columns
    if recompute_mentions:
        raw["mention"] = "1"  # placeholder, recomputed from the parsed columns below
    ledger = _parse_csv_frame(raw.loc[:, list(LEDGER_COLUMNS)], source)
    if recompute_mentions:
        ledger["mention"] = mention_numbers(ledger)
    return ledger


# --------------------------------------------------------------------------------------------
# documents and small helpers
# --------------------------------------------------------------------------------------------

def _as_documents(docs) -> list:
    from .documents import Document, load_documents

    if isinstance(docs, (str, os.PathLike)):
        return load_documents(docs)
    if isinstance(docs, Document):
        return [docs]
    return list(docs)


def is_blank_cell(value: object) -> bool:
    """True for a ledger cell that holds nothing: None, NaN, NaT or pandas NA."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def is_blank_text(value: object) -> bool:
    """True for a blank cell or one holding only whitespace (a CSV cannot tell "" from missing)."""
    return is_blank_cell(value) or not str(value).strip()


def _doc_value(values, doc_id):
    if isinstance(values, Mapping):
        return values.get(doc_id)
    return values


def _to_date(value) -> pd.Timestamp:
    from .dates import to_date

    return to_date(value, "as_of")


def _normalize(ticker) -> str:
    from .tickers import normalize_ticker

    return normalize_ticker(ticker)


def _resolve(label: object, ticker: str | None, as_of: pd.Timestamp | None) -> list:
    """Candidates for a claim's period label; [] when there is none or it does not resolve."""
    from .periods import resolve_period

    if ticker is None or is_blank_text(label):
        return []
    try:
        return resolve_period(str(label), ticker, as_of=as_of)
    except BabaResearchError:
        # "three years", "to date", "this year": not a fiscal period; the claim stays unresolved
        return []


def _session_on_or_before(day: pd.Timestamp) -> pd.Timestamp | None:
    from .calendars import is_session, previous_session

    try:
        return day if is_session(day) else previous_session(day)
    except BabaResearchError:
        return None


def _named_session(label: str, as_of: pd.Timestamp | None) -> pd.Timestamp | None:
    """Session a price claim's label names, relative to the document date."""
    if as_of is None:
        return None
    text = label.strip().lower()
    text = re.sub(r"['\u2019]s$", "", text)
    if text in _WEEKDAYS:
        back = (as_of.weekday() - _WEEKDAYS[text]) % 7
        return _session_on_or_before(as_of - pd.Timedelta(days=back))
    if text == "yesterday":
        return _session_on_or_before(as_of - pd.Timedelta(days=1))
    if text in _AS_OF_SESSION_LABELS:
        return _session_on_or_before(as_of)
    return None


def _claim_sentence(text: str | None, start: int, end: int) -> str:
    """The sentence around a claim (cheap split on sentence punctuation and newlines)."""
    if not text:
        return ""
    lo = max(text.rfind(mark, 0, start) for mark in (". ", "? ", "! ", "\n")) + 1
    his = [pos for pos in (text.find(mark, end) for mark in (". ", "? ", "! ", "\n")) if pos >= 0]
    hi = min(his) if his else len(text)
    return text[lo:hi]


def _is_chip_claim(claim: Mapping, text: str | None) -> bool:
    if claim["metric"] in CHIP_METRICS:
        return True
    subject = "" if is_blank_text(claim["subject"]) else str(claim["subject"])
    if re.search(r"t-hea[dt]", subject, re.IGNORECASE):
        return True
    return bool(_CHIP_WORDS.search(_claim_sentence(text, int(claim["start"]), int(claim["end"]))))


def _corporate_events(kind: str, ticker: str, reference: pd.Timestamp | None) -> list[dict]:
    """``ticker`` events of ``kind`` dated at most EVENT_GRACE_DAYS after ``reference``, latest first."""
    from .earnings import corporate_events

    if reference is None:
        return []
    events = corporate_events()
    events = events.loc[(events["kind"] == kind) & (events["ticker"] == ticker)]
    events = events.loc[events["date"] <= reference + pd.Timedelta(days=EVENT_GRACE_DAYS)]
    return events.sort_values("date", ascending=False).to_dict("records")


def _pointed_event(claim: Mapping, sentence: str, events: list[dict]) -> tuple[dict | None, str]:
    """The latest of ``events`` the claim's sentence points at, and why; (None, "") if none."""
    for event in events:
        why = _points_at_event(claim, sentence, event)
        if why:
            return event, why
    return None, ""


_RE_EXPLICIT_EVIDENCE = re.compile(
    r"^latest dated reference (?P<date>\d{4}-\d{2}-\d{2}): explicit date '(?P<quote>[^']+)'")


def _release_anchor_of_quote(quote: str, ticker: str | None) -> tuple:
    """(Period, quote) of the release a stated date is at ("March 20, 2026" -> FY2026Q3), or
    (None, "") when the date is not near a release of ``ticker``."""
    from .periods import resolve_period

    if ticker is None or not quote:
        return None, ""
    try:
        candidates = resolve_period(quote, ticker)
    except BabaResearchError:
        return None, ""
    return (candidates[0], quote) if candidates else (None, "")


def _release_anchor(evidence: object, ticker: str | None) -> tuple:
    """(Period, quote) of the release a document is dated by, or (None, "").

    Only an explicit date that is itself an earnings presentation counts ("explicit date
    'March 20, 2026'" -> the FY2026Q3 release of 2026-03-19 US time): a document dated by a
    quarter label, a weekday or a corporate event is not "at" a release.
    """
    from .periods import resolve_period

    if ticker is None or is_blank_text(evidence):
        return None, ""
    match = _RE_EXPLICIT_EVIDENCE.match(str(evidence))
    if match is None:
        return None, ""
    try:
        candidates = resolve_period(match.group("quote"), ticker)
    except BabaResearchError:
        return None, ""  # the date is not near a release of this ticker
    return (candidates[0], match.group("quote")) if candidates else (None, "")


def _event_words(description: str) -> set[str]:
    """Distinctive words of an event description ("WSJ", "inference", "Zhenwu", "M890")."""
    words = set()
    for token in re.findall(r"[A-Za-z][\w'-]*", description):
        word = re.sub(r"'s$", "", token.lower())
        if len(word) >= 3 and word not in _GENERIC_EVENT_WORDS and not word.startswith("us$"):
            words.add(word)
    return words


@functools.lru_cache(maxsize=1024)
def _event_amounts(description: str) -> tuple[tuple[float, str], ...]:
    """Amounts an event description states, read once per description (not once per claim)."""
    from .claims import extract_claims

    found = extract_claims(description)
    return tuple((float(v), str(u)) for v, u in zip(found["value"], found["unit"]) if not is_blank_cell(v))


@functools.lru_cache(maxsize=4096)
def _sentence_dates(sentence: str) -> tuple[pd.Timestamp, ...]:
    """Dates a claim's sentence states, read once per sentence (not once per event)."""
    from .claims import extract_dates

    return tuple(pd.Timestamp(day) for day in extract_dates(sentence)["date"]) if sentence else ()


def _points_at_event(claim: Mapping, sentence: str, event: Mapping) -> str:
    """Why the claim's own sentence is about ``event`` ("" when it is not)."""
    description = str(event.get("description") or "")
    words = re.findall(r"[a-z][\w-]*", sentence.lower())
    named = sorted(_event_words(description) & {re.sub(r"'s$", "", w) for w in words})
    if named:
        return f"its sentence names {named[0]!r} like the event"
    if not is_blank_cell(claim["value"]):
        for amount, unit in _event_amounts(description):
            if str(claim["unit"]) == unit and _same_value(float(claim["value"]), amount):
                return f"it states the event's amount ({amount:,.0f} {unit})"
    event_day = pd.Timestamp(event["date"])
    for day in _sentence_dates(sentence):
        if abs((day - event_day).days) <= EVENT_GRACE_DAYS:
            return f"its sentence dates it {day:%Y-%m-%d}, the event's date"
    return ""


def _empty_tie(ticker: str | None, as_of: pd.Timestamp | None, candidates: list) -> dict:
    top = candidates[0] if candidates else None
    return {
        "ticker": ticker,
        "fiscal_period": top.fiscal_period if top else None,
        "period_start": top.start if top else pd.NaT,
        "period_end": top.end if top else pd.NaT,
        "release_date": pd.NaT, "day0": pd.NaT, "event": None,
        "as_of": as_of if as_of is not None else pd.NaT,
        "as_of_evidence": None,
        "ambiguous_period": len(candidates) > 1,
        "period_candidates": "|".join(p.fiscal_period for p in candidates) or None,
        "event_note": None,
        "period_reason": top.reason if top else None,
    }


def _tie_release(row: dict, ticker: str, period, note: str) -> dict:
    row.update(release_date=period.release_date if period.release_date is not None else pd.NaT,
               day0=period.day0 if period.day0 is not None else pd.NaT,
               event=f"earnings {ticker} {period.fiscal_period}", event_note=note,
               period_reason=period.reason)
    return row


def _release_gloss(label: str, period) -> str:
    """A few words on how a dated label meets its release ("" when there is nothing to say).

    "March 20, 2026" -> " (US date 2026-03-19; Hong Kong/US one-day offset)": the presentation
    is dated in Asia the day after the New York release date.
    """
    from .periods import HK_US_OFFSET_DAYS, explicit_date

    try:
        stated = explicit_date(label)
    except BabaResearchError:
        return ""
    if stated is None or period.release_date is None:
        return ""
    gap = (stated - pd.Timestamp(period.release_date)).days
    if gap == 0:
        return " (its release day)"
    if gap == HK_US_OFFSET_DAYS:
        return f" (US date {period.release_date:%Y-%m-%d}; Hong Kong/US one-day offset)"
    return f" (released {period.release_date:%Y-%m-%d}, {abs(gap)} day(s) {'before' if gap > 0 else 'after'})"


def _tie_event(row: dict, kind: str, event: Mapping, note: str) -> dict:
    day = pd.Timestamp(event["date"])
    row.update(release_date=day, day0=pd.Timestamp(event["day0"]),
               event=f"event {kind} {day:%Y-%m-%d}", event_note=note)
    return row


def _tie(claim: Mapping, ticker: str | None, as_of: pd.Timestamp | None, candidates: list,
         text: str | None, anchor: tuple = (None, "")) -> dict:
    """The ledger columns of one claim, except the cross-claim flags (rules: module docstring)."""
    from .periods import explicit_date

    row = _empty_tie(ticker, as_of, candidates)
    top = candidates[0] if candidates else None
    label = "" if is_blank_text(claim["period_label"]) else str(claim["period_label"])
    metric = "" if is_blank_text(claim["metric"]) else str(claim["metric"])

    # 1. price claims: the session they name
    if ticker is not None and metric in PRICE_METRICS:
        try:
            stated = explicit_date(label)
        except BabaResearchError:
            stated = None  # an impossible date: no session
        if stated is not None:
            session = _session_on_or_before(stated)
            note = f"price claim dated '{label}': that session"
            if session is not None and session != stated:
                note += f" ({stated:%Y-%m-%d} is no session: the last one before it)"
        else:
            session = _named_session(label, as_of)
            note = (f"price claim labelled '{label or 'no label'}': session read relative to the "
                    f"document date {as_of:%Y-%m-%d}" if as_of is not None else "")
        if session is None and stated is not None:
            # a dated move is never an earnings-release claim, even without a known session
            row.update(fiscal_period=None, period_start=pd.NaT, period_end=pd.NaT,
                       ambiguous_period=False, period_candidates=None, period_reason=None,
                       event_note=f"price claim dated '{label}': no NYSE session known on or before it")
            return row
        if session is not None:
            row.update(release_date=session, day0=session, event=f"session {ticker} {session:%Y-%m-%d}",
                       event_note=note)
            # a session is not a fiscal period
            row.update(fiscal_period=None, period_start=pd.NaT, period_end=pd.NaT,
                       ambiguous_period=False, period_candidates=None, period_reason=None)
            return row

    # 2. third-party market data: no release reports it
    if metric in THIRD_PARTY_METRICS:
        row["event_note"] = (f"{metric}: third-party market data (Canalys, Synergy...), in no "
                             f"earnings release" + (f"; period {top.fiscal_period} kept" if top else ""))
        return row

    # 3. a resolved period: its earnings release
    if top is not None:
        return _tie_release(row, ticker, top, f"period label '{label}' resolved to "
                                              f"{top.fiscal_period}{_release_gloss(label, top)}")

    sentence = _claim_sentence(text, int(claim["start"]), int(claim["end"])) if text else ""
    kind = METRIC_EVENT_KINDS.get(metric)
    if kind is None and ticker is not None and _is_chip_claim(claim, text):
        kind = "product"
    events = _corporate_events(kind, ticker, as_of) if (kind is not None and ticker is not None) else []
    pointed, why = _pointed_event(claim, sentence, events)

    # 4. no period label in a document dated by an earnings presentation: that release, unless
    #    the claim's own sentence points at a corporate event
    period, quote = anchor
    if ticker is not None and period is not None and label.strip().lower() in _DOCUMENT_DATE_LABELS:
        if pointed is None:
            row.update(fiscal_period=period.fiscal_period, period_start=period.start,
                       period_end=period.end)
            return _tie_release(row, ticker, period,
                                f"no period label; dated by the '{quote}' presentation: "
                                f"{period.fiscal_period}"
                                f"{_release_gloss(quote, period)}")
        return _tie_event(row, kind, pointed, f"tied to the {kind} event: {why}")

    # 5. otherwise chip claims to the product event they point at, else the latest one; capex
    #    claims to the capex plan
    if pointed is not None:
        return _tie_event(row, kind, pointed, f"tied to the {kind} event: {why}")
    if events:
        return _tie_event(row, kind, events[0],
                          f"{'chip' if kind == 'product' else metric} claim without a period: "
                          f"latest {kind} event on or before the document date")
    return row


# --------------------------------------------------------------------------------------------
# cross-claim checks
# --------------------------------------------------------------------------------------------

def _overlaps(a, b) -> bool:
    return a.start <= b.end and b.start <= a.end


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= VALUE_RTOL * max(abs(a), abs(b), 1.0)


def _where(row: Mapping, other: Mapping) -> str:
    place = "elsewhere in the same document" if row["doc_id"] == other["doc_id"] else f"in {other['doc_id']}"
    return f"{place} (offset {int(other['start'])})"


def _contradictions(ledger: pd.DataFrame, resolutions: list) -> tuple[list[bool], list[str | None]]:
    """Flag claim pairs that disagree.

    (a) The same exact one-off figure (ticker, value, unit other than %, compatible metric)
        dated to periods that cannot overlap under any reading ("470,000 chips" disclosed at the March-2026 release and at
        "Q3 2025 earnings").
    (b) The same specific metric, subject and unambiguous period with different exact values.
    """
    records = ledger.to_dict("records")
    notes: list[list[str]] = [[] for _ in records]
    usable = [i for i, row in enumerate(records) if row["ticker"] is not None and resolutions[i]
              and not is_blank_cell(row["value"])]
    # (a) only for exact, one-off figures: a percentage or a bound ("triple-digit growth",
    # "34%") can truly recur quarter after quarter; a cumulative count cannot.
    one_off = {i for i in usable if not records[i]["approx"] and records[i]["unit"] != "%"
               and records[i]["metric"] != STREAK_METRIC}
    for pos, i in enumerate(usable):
        for j in usable[pos + 1:]:
            a, b = records[i], records[j]
            if a["ticker"] != b["ticker"] or a["unit"] != b["unit"]:
                continue
            metric_a, metric_b = str(a["metric"] or ""), str(b["metric"] or "")
            if _same_value(a["value"], b["value"]):
                if i not in one_off or j not in one_off:
                    continue
                compatible = (metric_a == metric_b or metric_a in GENERIC_METRICS
                              or metric_b in GENERIC_METRICS)
                if not compatible:
                    continue
                if any(_overlaps(p, q) for p in resolutions[i] for q in resolutions[j]):
                    continue
                for me, other, mine, theirs in ((i, j, resolutions[i], resolutions[j]),
                                                (j, i, resolutions[j], resolutions[i])):
                    notes[me].append(
                        f"{records[me]['quote']} dated to {_describe(mine)} here but to "
                        f"{_describe(theirs)} {_where(records[me], records[other])}")
            elif (metric_a == metric_b and metric_a not in GENERIC_METRICS
                  and a["subject"] == b["subject"]
                  and len(resolutions[i]) == 1 and len(resolutions[j]) == 1
                  and resolutions[i][0].fiscal_period == resolutions[j][0].fiscal_period
                  and not a["approx"] and not b["approx"]):
                for me, other in ((i, j), (j, i)):
                    notes[me].append(
                        f"{metric_a} {records[me]['quote']} for {resolutions[me][0].fiscal_period} "
                        f"but {records[other]['quote']} {_where(records[me], records[other])}")
    flags = [bool(n) for n in notes]
    return flags, ["; ".join(n) if n else None for n in notes]


def _describe(candidates: list) -> str:
    """'FY2026Q3 (release 2026-03-19, from "March 20, 2026")' or 'FY2026Q2 or FY2025Q3 (...)'."""
    first = candidates[0]
    releases = ", ".join(
        f"{p.fiscal_period} release {p.release_date:%Y-%m-%d}" if p.release_date is not None
        else f"{p.fiscal_period}" for p in candidates)
    return f"{' or '.join(p.fiscal_period for p in candidates)} ({releases}; label '{first.label}')"


def _sequences(ledger: pd.DataFrame) -> tuple[list[bool | None], list[str | None]]:
    """Check streak claims ("Nth consecutive quarter") of one ticker against each other."""
    from .periods import quarters_between

    consistent: list[bool | None] = [None] * len(ledger)
    notes: list[str | None] = [None] * len(ledger)
    streaks = []
    for i, row in enumerate(ledger.to_dict("records")):
        if row["metric"] != STREAK_METRIC or row["ticker"] is None or is_blank_cell(row["value"]):
            continue
        period = row["fiscal_period"]
        if is_blank_cell(period) or not re.fullmatch(r"FY\d{4}Q[1-4]", str(period)):
            period = _latest_released(row["ticker"], row["as_of"])
        if period is None:
            continue
        streaks.append((i, row, period))
    for i, row, period in streaks:
        checks = []
        for j, other, other_period in streaks:
            if j == i or other["ticker"] != row["ticker"]:
                continue
            gap = quarters_between(period, other_period)
            diff = other["value"] - row["value"]
            ok = _same_value(diff, gap)
            checks.append(ok)
            here = f"{row['value']:g} at {period} (here)"
            there = (f"{other['value']:g} at {other_period} "
                     f"({'same document' if other['doc_id'] == row['doc_id'] else other['doc_id']})")
            earlier, later = (here, there) if gap >= 0 else (there, here)
            text = (f"{earlier} -> {later}: {abs(gap)} quarter(s) apart, counts differ by "
                    f"{abs(diff):g}: {'consistent' if ok else 'inconsistent'}")
            notes[i] = text if notes[i] is None else f"{notes[i]}; {text}"
        if checks:
            consistent[i] = all(checks)
    return consistent, notes


def _latest_released(ticker: str, as_of) -> str | None:
    """Fiscal quarter of the latest release on or before ``as_of`` (a streak stated without a
    period counts up to the latest reported quarter)."""
    from .periods import resolve_period

    if is_blank_cell(as_of):
        return None
    try:
        return resolve_period("last quarter", ticker, as_of=as_of)[0].fiscal_period
    except BabaResearchError:
        return None


# --------------------------------------------------------------------------------------------
# typing and CSV
# --------------------------------------------------------------------------------------------

def _typed(ledger: pd.DataFrame) -> pd.DataFrame:
    ledger = ledger.copy()
    for column in _INT_COLUMNS:
        ledger[column] = ledger[column].astype("int64")
    ledger["value"] = ledger["value"].astype("float64")
    for column in _BOOL_COLUMNS:
        ledger[column] = ledger[column].astype(bool)
    for column in _DATE_COLUMNS:
        ledger[column] = pd.to_datetime(ledger[column]).astype("datetime64[ns]")
    for column in _TEXT_COLUMNS:
        # one spelling of "nothing": None (the extractor writes "" for no qualifier / label,
        # and a CSV cannot tell "" from missing)
        ledger[column] = pd.Series([None if is_blank_text(v) else str(v) for v in ledger[column]],
                                   index=ledger.index, dtype=object)
    ledger["sequence_consistent"] = ledger["sequence_consistent"].astype("boolean")
    return ledger.reset_index(drop=True)


def _write_csv(ledger: pd.DataFrame, target: Path) -> Path:
    out = ledger.loc[:, list(LEDGER_COLUMNS)].copy()
    for column in _DATE_COLUMNS:
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    out["value"] = [("" if is_blank_cell(v) else repr(float(v))) for v in out["value"]]
    return atomic_write_text(target, out.to_csv(index=False, lineterminator="\n"))


_TRUE = {"true": True, "false": False}


def _parse_rows(raw: pd.DataFrame, source: Path, columns, parse_cell) -> dict[str, list]:
    """``{column: [typed cell, ...]}`` of a text CSV frame, each cell through
    ``parse_cell(column, cell, source, line)`` (lines counted from the header, line 1)."""
    records: dict[str, list] = {column: [] for column in columns}
    for offset, row in enumerate(raw.to_dict("records")):
        line = offset + 2  # the header is line 1
        for column in columns:
            records[column].append(parse_cell(column, row[column], source, line))
    return records


def _parse_csv_frame(raw: pd.DataFrame, source: Path) -> pd.DataFrame:
    records = _parse_rows(raw, source, LEDGER_COLUMNS, _parse_cell)
    frame = pd.DataFrame(records, columns=list(LEDGER_COLUMNS))
    if frame.empty:
        frame = frame.astype({"start": "int64", "end": "int64", "value": "float64"})
    return _typed(frame)


def _parse_cell(column: str, cell: str, source: Path, line: int):
    try:
        if column in _INT_COLUMNS:
            return int(cell)
        if column == "value":
            return float(cell) if cell else float("nan")
        if column in _BOOL_COLUMNS:
            return _TRUE[cell.strip().lower()]
        if column == "sequence_consistent":
            return None if not cell else _TRUE[cell.strip().lower()]
        if column in _DATE_COLUMNS:
            return pd.NaT if not cell else pd.Timestamp(cell)
    except (ValueError, KeyError):
        raise DataFileError(source, f"column {column}: bad value {cell!r}", line=line) from None
    return cell if cell else None

