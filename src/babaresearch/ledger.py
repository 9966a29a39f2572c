"""Claims ledger: every claim of every document, tied to a fiscal period, a release and a day 0.

One row per claim of :func:`babaresearch.claims.extract_document_claims`, plus

* ``ticker``: BABA or NVDA from the claim's subject (Alibaba, Alibaba Cloud, T-Head, Qwen ->
  BABA; NVIDIA -> NVDA; AWS, Azure and other companies -> None);
* the period of its ``period_label`` resolved with the document's ``as_of`` (top candidate of
  :func:`babaresearch.periods.resolve_period`), ``ambiguous_period`` when more than one reading
  exists, and ``period_candidates`` listing them;
* the event it is tied to (``event``, ``release_date``, ``day0``): a price move to the session
  it names ("Friday", "year-to-date": the document's as-of session), a claim with a resolved
  period to the earnings release of that period, a chip claim to the T-Head product event,
  a capex claim to the capex plan;
* ``contradiction`` / ``contradiction_note``: two claims (in one document or two) that state the
  same figure but date it to periods that cannot overlap, or the same metric for the same
  period with different exact values;
* ``sequence_consistent`` / ``sequence_note``: streak claims ("eighth consecutive quarter")
  checked against each other: consistent when the counts differ by exactly the number of
  quarters between their periods (None where there is nothing to compare with).

:func:`write_ledger_csv` stores the ledger as structured facts (no article sentences) in
``data/claims_ledger.csv``; :func:`ledger_facts` reads it back with typed columns.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .errors import BabaResearchError, DataFileError

#: Columns of a claim (see :data:`babaresearch.claims.CLAIM_COLUMNS`).
CLAIM_COLUMNS: tuple[str, ...] = ("doc_id", "start", "end", "quote", "value", "unit", "qualifier",
                                  "approx", "subject", "metric", "period_label")
#: Columns the ledger adds to the claim columns, in order.
LEDGER_EXTRA_COLUMNS: tuple[str, ...] = (
    "ticker", "fiscal_period", "period_start", "period_end", "release_date", "day0", "event",
    "as_of", "as_of_evidence", "ambiguous_period", "period_candidates", "contradiction",
    "contradiction_note", "sequence_consistent", "sequence_note",
)
#: Every column of :func:`claims_ledger` and of ``data/claims_ledger.csv``, in order.
LEDGER_COLUMNS: tuple[str, ...] = CLAIM_COLUMNS + LEDGER_EXTRA_COLUMNS
#: File name of the committed ledger of the seed articles, inside the data folder.
LEDGER_FILE = "claims_ledger.csv"

_DATE_COLUMNS = ("period_start", "period_end", "release_date", "day0", "as_of")
_BOOL_COLUMNS = ("approx", "ambiguous_period", "contradiction")
_INT_COLUMNS = ("start", "end")
_TEXT_COLUMNS = ("doc_id", "quote", "unit", "qualifier", "subject", "metric", "period_label",
                 "ticker", "fiscal_period", "event", "period_candidates", "contradiction_note",
                 "sequence_note")

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
    claims = pd.concat(frames, ignore_index=True) if frames else _empty_claims()
    as_of = {doc.doc_id: doc.as_of for doc in documents}
    texts = {doc.doc_id: doc.text for doc in documents}
    ledger = ledger_from_claims(claims, as_of=as_of, texts=texts, tickers_hint=tickers_hint)
    evidence = {doc.doc_id: doc.as_of_evidence or None for doc in documents}
    ledger["as_of_evidence"] = ledger["doc_id"].map(evidence).astype(object)
    return ledger


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
        from (the folder, or the committed ledger file).
    """
    if docs is None or (isinstance(docs, (str, os.PathLike)) and not Path(docs).is_dir()):
        ledger = ledger_facts()
        ledger.attrs["origin"] = f"committed ledger {LEDGER_FILE} (structured facts, no article text)"
        return ledger
    ledger = claims_ledger(docs)
    where = str(docs) if isinstance(docs, (str, os.PathLike)) else "the given documents"
    ledger.attrs["origin"] = f"{ledger['doc_id'].nunique()} documents in {where}"
    return ledger


def ledger_from_claims(claims: pd.DataFrame, *, as_of=None, texts: Mapping[str, str] | None = None,
                       tickers_hint: str | Mapping[str, str] | None = None) -> pd.DataFrame:
    """Ledger of an already extracted claims frame (see :func:`claims_ledger`).

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
    for claim in frame.to_dict("records"):
        doc_as_of = _doc_value(as_of, claim["doc_id"])
        doc_as_of = None if _blank(doc_as_of) else _to_date(doc_as_of)
        ticker = subject_ticker(claim["subject"])
        if ticker is None and _blank_text(claim["subject"]):
            hint = _doc_value(tickers_hint, claim["doc_id"])
            ticker = None if _blank(hint) else _normalize(hint)
        candidates = _resolve(claim["period_label"], ticker, doc_as_of)
        resolutions.append(candidates)
        text = texts.get(claim["doc_id"])
        rows.append(_tie(claim, ticker, doc_as_of, candidates, text))

    extra = pd.DataFrame(rows, columns=[c for c in LEDGER_EXTRA_COLUMNS
                                        if c not in ("contradiction", "contradiction_note",
                                                     "sequence_consistent", "sequence_note")])
    ledger = pd.concat([frame, extra], axis=1)
    flags, notes = _contradictions(ledger, resolutions)
    ledger["contradiction"] = flags
    ledger["contradiction_note"] = notes
    consistent, sequence_notes = _sequences(ledger)
    ledger["sequence_consistent"] = pd.array(consistent, dtype="boolean")
    ledger["sequence_note"] = sequence_notes
    return _typed(ledger.loc[:, list(LEDGER_COLUMNS)])


def subject_ticker(subject: object) -> str | None:
    """Ticker of a claim's subject: NVIDIA -> "NVDA"; Alibaba, Alibaba Cloud, T-Head, Qwen ->
    "BABA"; anything else (AWS, Azure, Amazon..., empty) -> None."""
    if _blank_text(subject):
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
        Columns :data:`LEDGER_COLUMNS`; ``start``/``end`` int64, ``value`` float64, dates
        ``datetime64[ns]``, ``approx``/``ambiguous_period``/``contradiction`` bool,
        ``sequence_consistent`` nullable boolean.

    Raises
    ------
    DataFileError
        The file is missing or malformed (names the file and, where known, the line).
    """
    if path is None:
        from .resources import resource

        path = resource(LEDGER_FILE)
    source = Path(path)
    try:
        raw = pd.read_csv(source, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataFileError(source, "claims ledger not found") from None
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise DataFileError(source, f"cannot read claims ledger: {exc}") from None
    missing = [column for column in LEDGER_COLUMNS if column not in raw.columns]
    if missing:
        raise DataFileError(source, f"missing column(s): {', '.join(missing)}", line=1)
    return _parse_csv_frame(raw.loc[:, list(LEDGER_COLUMNS)], source)


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


def _empty_claims() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series([], dtype=object) for column in CLAIM_COLUMNS}).astype(
        {"start": "int64", "end": "int64", "value": "float64", "approx": "bool"})


def _blank(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _blank_text(value: object) -> bool:
    return _blank(value) or not str(value).strip()


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

    if ticker is None or _blank_text(label):
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
    subject = "" if _blank_text(claim["subject"]) else str(claim["subject"])
    if re.search(r"t-hea[dt]", subject, re.IGNORECASE):
        return True
    return bool(_CHIP_WORDS.search(_claim_sentence(text, int(claim["start"]), int(claim["end"]))))


def _corporate_event(kind: str, ticker: str, reference: pd.Timestamp | None) -> dict | None:
    """Latest ``ticker`` event of ``kind`` dated at most EVENT_GRACE_DAYS after ``reference``."""
    from .earnings import corporate_events

    if reference is None:
        return None
    events = corporate_events()
    events = events.loc[(events["kind"] == kind) & (events["ticker"] == ticker)]
    events = events.loc[events["date"] <= reference + pd.Timedelta(days=EVENT_GRACE_DAYS)]
    if events.empty:
        return None
    return events.sort_values("date").iloc[-1].to_dict()


def _tie(claim: Mapping, ticker: str | None, as_of: pd.Timestamp | None, candidates: list,
         text: str | None) -> dict:
    """The ledger columns of one claim, except the cross-claim flags."""
    top = candidates[0] if candidates else None
    row = {
        "ticker": ticker,
        "fiscal_period": top.fiscal_period if top else None,
        "period_start": top.start if top else pd.NaT,
        "period_end": top.end if top else pd.NaT,
        "release_date": pd.NaT, "day0": pd.NaT, "event": None,
        "as_of": as_of if as_of is not None else pd.NaT,
        "as_of_evidence": None,
        "ambiguous_period": len(candidates) > 1,
        "period_candidates": "|".join(p.fiscal_period for p in candidates) or None,
    }
    label = "" if _blank_text(claim["period_label"]) else str(claim["period_label"])
    if ticker is not None and claim["metric"] in PRICE_METRICS:
        session = _named_session(label, as_of)
        if session is not None:
            row.update(release_date=session, day0=session, event=f"session {ticker} {session:%Y-%m-%d}")
            return row
    if top is not None:
        row.update(release_date=top.release_date if top.release_date is not None else pd.NaT,
                   day0=top.day0 if top.day0 is not None else pd.NaT,
                   event=f"earnings {ticker} {top.fiscal_period}")
        return row
    kind = METRIC_EVENT_KINDS.get(claim["metric"])
    if kind is None and ticker is not None and _is_chip_claim(claim, text):
        kind = "product"
    if kind is not None and ticker is not None:
        event = _corporate_event(kind, ticker, as_of)
        if event is not None:
            row.update(release_date=pd.Timestamp(event["date"]), day0=pd.Timestamp(event["day0"]),
                       event=f"event {kind} {pd.Timestamp(event['date']):%Y-%m-%d}")
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
              and not _blank(row["value"])]
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
        if row["metric"] != STREAK_METRIC or row["ticker"] is None or _blank(row["value"]):
            continue
        period = row["fiscal_period"]
        if _blank(period) or not re.fullmatch(r"FY\d{4}Q[1-4]", str(period)):
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

    if _blank(as_of):
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
        ledger[column] = pd.Series([None if _blank_text(v) else str(v) for v in ledger[column]],
                                   index=ledger.index, dtype=object)
    ledger["sequence_consistent"] = ledger["sequence_consistent"].astype("boolean")
    return ledger.reset_index(drop=True)


def _write_csv(ledger: pd.DataFrame, target: Path) -> Path:
    out = ledger.loc[:, list(LEDGER_COLUMNS)].copy()
    for column in _DATE_COLUMNS:
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    out["value"] = [("" if _blank(v) else repr(float(v))) for v in out["value"]]
    text = out.to_csv(index=False, lineterminator="\n")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temp, _CSV_MODE)  # mkstemp creates 0600; a data file is readable by all
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


_TRUE = {"true": True, "false": False}
#: Permissions of a written CSV (rw-r--r--).
_CSV_MODE = 0o644


def _parse_csv_frame(raw: pd.DataFrame, source: Path) -> pd.DataFrame:
    records = {column: [] for column in LEDGER_COLUMNS}
    for offset, row in enumerate(raw.to_dict("records")):
        line = offset + 2  # the header is line 1
        for column in LEDGER_COLUMNS:
            cell = row[column]
            records[column].append(_parse_cell(column, cell, source, line))
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

