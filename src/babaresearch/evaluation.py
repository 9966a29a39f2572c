"""Scoring a reading of a corpus against its gold annotation (the measure of issues 8 and 9).

A *corpus* is a folder in the format of ``../shared/corpus`` (see ``.agents/CORPUS_FORMAT.md``):
``articles/`` plus ``gold.csv`` (numbers: claims and traps, each with an exact ``anchor``),
``dates.csv`` (publication day), ``price_gold.csv`` (dated price claims with expected verdicts)
and ``fact_gold.csv`` (reported-figure claims with expected verdicts). :func:`load_gold` reads
it; :func:`load_seed_gold` adapts the seed annotation ``tests/fixtures/claims_gold.csv`` (offsets
instead of anchors).

A *reading* is what the library produces for the same articles, three things:

``docs``
    one row per document: ``doc_id, title, published`` (Timestamp or NaT), ...
``numbers``
    one row per number found: ``doc_id, start, end`` (offsets into that document's text),
    ``value`` (signed float), ``unit, role, subject, ticker, metric, session, window, listing,
    verdict`` ... (only ``doc_id, start, end, value, unit, role`` are required here; a missing
    optional column reads as blank and scores as wrong where it is needed).
``texts``
    ``{doc_id: text}``, the text the offsets index.

Document ids are file stems; a gold ``doc`` is matched to the reading's ``doc_id`` that equals
it, else to the ``doc_id`` whose prefix before the first ``_`` equals it (``r01`` ->
``r01_barrons_baba_fq2``).

Matching (one rule for every gold table)
----------------------------------------
Each anchor is located in its document's text: the FIRST exact occurrence; failing that, the
first occurrence after folding curly quotes, dashes and non-breaking spaces and letting any run
of whitespace match any other (``anchor_how = "folded"``); given offsets (seed gold) are used
when the text there equals the quote, else the occurrence nearest to them. An anchor that is not
found is counted as ``anchor_missing`` (check ``anchor``) and every check of that row fails with
``got = "anchor missing"``; nothing raises.

A predicted row is a *candidate* for a gold row of the same document when

* its ``[start, end)`` overlaps the anchor's span by at least one character, and
* ``| |value| - |gold value| | <= VALUE_REL_TOL * max(1, |gold value|)`` (signs are scored
  separately, by ``sign``); a gold row without a value (seed traps) accepts any value, and a
  trap accepts a predicted row without a value (an identifier ``H20`` may carry none), and
* for claims (not traps) the units agree after :func:`normalize_unit`: currencies by ISO code
  (``$`` = USD, RMB/yuan = CNY, HK$ = HKD), ``%``, ``pp`` (gold ``pp`` also accepts a
  predicted ``%``: "1.2 points" read as a percent figure is the same number; gold ``%`` does not
  accept ``pp``), ``bp``, ``x`` (times, -fold), and every other unit (``count``, blank,
  ``quarters``, ``parameters``, ``shares`` ...) one class "count".

Matching is one-to-one within a gold table and greedy: candidate pairs are taken in order of
largest overlap with the anchor first; at equal overlap a predicted ``claim`` row is preferred
for a gold claim and a non-claim row for a trap; then file order. A predicted row may match one
row of ``gold.csv`` and, independently, one row of ``price_gold.csv`` or ``fact_gold.csv``.

Metrics (exact definitions; every accuracy is over ALL gold rows that state the expectation, a
row without a matched prediction counting as wrong; overall figures pool the rows of all
documents, i.e. micro averages)
-------------------------------------------------------------------------------------------
``recall``
    gold claims (``gold.csv`` kind claim) matched by a predicted row whose role is ``claim``
    / gold claims.
``trap_precision``
    gold traps with NO candidate predicted ``claim`` row (a claim row assigned to a gold claim
    does not count against a trap) / gold traps.
``claim_precision``
    predicted ``claim`` rows assigned to a gold claim / predicted ``claim`` rows whose span
    overlaps ANY located ``gold.csv`` anchor (claim or trap) of their document. Predicted claims
    far from every anchor are not judged (the gold is not exhaustive); they are counted in
    ``n_claims_unjudged``.
``role``
    gold traps with a ``role``: the matched predicted row's role equals it / those traps.
``subject``
    the predicted entity (``ticker``, or ``subject`` when ``ticker`` is blank) equals the gold
    entity after :func:`canonical_entity` (aliases such as Nvidia = NVDA, AWS = AMZN, SPY =
    S&P 500, QQQ = Nasdaq-100; ``9988.HK`` = BABA and also requires the predicted listing
    ``HK``). Source: the ``subject`` column of ``gold.csv`` when the corpus has one, else the
    ``ticker`` of ``price_gold.csv`` and ``fact_gold.csv`` (always reported as
    ``subject_price_fact``).
``metric``
    the predicted ``metric`` equals the gold one. Source: the ``metric`` column of ``gold.csv``
    when the corpus has one, else ``fact_gold.csv``'s fine metric names mapped by
    :data:`FACT_METRIC_MAP` (always reported as ``metric_fact``); names the map leaves out are
    not scored and are counted in ``n_metric_unmapped``.
``sign``
    the sign of the predicted ``value`` (``-`` when < 0, else ``+``) equals the gold sign.
    Source: ``gold.csv``'s ``sign`` column when present, else the signed ``claimed`` of the price
    and fact gold.
``dating``
    documents of ``dates.csv`` whose predicted ``published``, as a calendar day (its own time
    zone's wall date), equals the gold day / documents of ``dates.csv``.
``session``
    ``price_gold.csv`` rows whose matched row's ``session`` day equals the gold ``session``.
``window``
    ``price_gold.csv`` rows whose matched row's ``window`` is the one :data:`BASIS_WINDOW` gives
    for the gold ``basis``/``kind`` (close -> ``close``, or ``ytd`` for kind ytd; intraday,
    premarket, after-hours as named) and whose ``listing`` is not ``HK``; for basis ``hk`` the
    check is ``listing == "HK"`` instead.
``price_verdict`` / ``price_verdict_scored``
    ``price_gold.csv`` rows (all / ``scored == yes``) whose matched row's verdict equals
    ``expected``.
``fact_verdict``
    the same over ``fact_gold.csv``.
``false_contradictions``
    a COUNT: predicted rows with verdict ``contradicted`` that are not assigned to a price or
    fact gold row whose ``expected`` is ``contradicted`` (so: contradicted where the gold expects
    supported/unverifiable, plus contradicted rows that match no price/fact gold row at all).
    Each is listed in :attr:`Score.false_contradictions`.
``anchors_missing``
    a COUNT of gold rows (all tables) whose anchor was not found in the text.
"""

from __future__ import annotations

import csv
import html
import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from .errors import BabaResearchError, DataFileError

# --------------------------------------------------------------------------------------------
# vocabularies (the corpus format's; kept here so the scorer does not depend on what it scores)
# --------------------------------------------------------------------------------------------
#: Metric vocabulary of ``gold.csv`` (CORPUS_FORMAT.md) and of the reading's ``metric`` column.
METRICS = (
    "price_move", "share_price", "ytd_return", "multi_day_return", "market_cap",
    "market_cap_change", "index_move", "index_level", "revenue", "revenue_growth",
    "revenue_guidance", "net_income", "net_income_growth", "adjusted_net_income", "eps",
    "eps_growth", "eps_guidance", "gross_margin", "operating_margin", "margin_change",
    "operating_income", "operating_income_growth", "free_cash_flow", "capex", "capex_plan",
    "buyback_authorization", "dividend", "price_target", "valuation_multiple", "market_share",
    "units_shipped", "users", "downloads", "consecutive_quarters", "deal_value", "investment",
    "employees", "count", "other",
)
#: Roles of numbers that are not claims (gold ``role`` of traps; the reading's ``role``).
TRAP_ROLES = ("advert", "navigation", "quote_widget", "identifier", "date", "time", "ratio",
              "footnote", "list_count", "year")
#: All roles.
ROLES = ("claim",) + TRAP_ROLES
#: Verdicts of the reading.
VERDICTS = ("supported", "contradicted", "unverifiable", "not a claim")
#: Values of ``kind`` in gold.csv.
GOLD_KINDS = ("claim", "trap")
#: price_gold.csv ``kind`` and ``basis``.
PRICE_KINDS = ("move", "price", "ytd")
PRICE_BASES = ("close", "intraday", "premarket", "after-hours", "hk")
#: Expected trading window of the reading for a price_gold (basis, kind); ``hk`` is checked as
#: ``listing == "HK"`` instead (see the module docstring).
BASIS_WINDOW = {
    ("close", "move"): "close", ("close", "price"): "close", ("close", "ytd"): "ytd",
    ("intraday", None): "intraday", ("premarket", None): "premarket",
    ("after-hours", None): "after-hours",
}
#: Windows of the reading (spelling variants are folded onto these by :func:`normalize_window`).
WINDOWS = ("close", "intraday", "premarket", "after-hours", "multi-day", "ytd", "")
_WINDOW_ALIASES = {
    "pre-market": "premarket", "pre market": "premarket", "afterhours": "after-hours",
    "after hours": "after-hours", "post-market": "after-hours", "postmarket": "after-hours",
    "close-to-close": "close", "year-to-date": "ytd", "year to date": "ytd",
    "multiday": "multi-day", "multi day": "multi-day",
}

#: fact_gold.csv's fine metric names -> the gold.csv vocabulary (:data:`METRICS`). Names absent
#: here (shares of revenue, beats versus estimates, adjusted-net-income growth) have no faithful
#: word in the vocabulary and are counted as ``n_metric_unmapped`` rather than guessed.
FACT_METRIC_MAP = {
    "revenue": "revenue",
    "revenue_growth": "revenue_growth",
    "revenue_growth_like_for_like": "revenue_growth",
    "revenue_growth_qoq": "revenue_growth",
    "revenue_guidance": "revenue_guidance",
    "net_income": "net_income",
    "net_income_attributable": "net_income",
    "net_income_growth": "net_income_growth",
    "net_income_attributable_growth": "net_income_growth",
    "adjusted_net_income": "adjusted_net_income",
    "eps": "eps",
    "eps_diluted": "eps",
    "eps_growth": "eps_growth",
    "eps_diluted_growth": "eps_growth",
    "eps_guidance": "eps_guidance",
    "gross_margin": "gross_margin",
    "gross_margin_change": "margin_change",
    "operating_margin": "operating_margin",
    "operating_income": "operating_income",
    "income_from_operations": "operating_income",
    "operating_income_growth": "operating_income_growth",
    "income_from_operations_growth": "operating_income_growth",
    "free_cash_flow": "free_cash_flow",
    "capex": "capex",
    "capex_trailing_4q": "capex",
    "capex_plan": "capex_plan",
    "buyback_authorization": "buyback_authorization",
    "dividend": "dividend",
    "market_share": "market_share",
    "investment": "investment",
    "investment_plan": "investment",
    "app_downloads": "downloads",
    "downloads": "downloads",
    "api_users": "users",
    "users": "users",
    "ai_revenue_streak": "consecutive_quarters",
    "consecutive_quarters": "consecutive_quarters",
    "units_shipped": "units_shipped",
}

#: Canonical entity -> aliases (case-insensitive). Tickers of listed companies, index names, a
#: proxy ETF where the price gold uses one (SPY for the S&P 500, QQQ for the Nasdaq-100).
ENTITY_ALIASES = {
    "BABA": ("alibaba", "alibaba group", "alibaba group holding", "alibaba cloud", "baba"),
    "NVDA": ("nvidia", "nvidia corp", "nvidia corporation", "nvda"),
    "AMD": ("advanced micro devices", "amd"),
    "INTC": ("intel", "intc"),
    "TSM": ("tsmc", "taiwan semiconductor", "taiwan semiconductor manufacturing", "tsm"),
    "AVGO": ("broadcom", "avgo"),
    "JD": ("jd.com", "jd", "jingdong"),
    "PDD": ("pdd", "pdd holdings", "pinduoduo", "temu"),
    "BIDU": ("baidu", "bidu"),
    "TCEHY": ("tencent", "tencent holdings", "tcehy"),
    "NIO": ("nio",),
    "XPEV": ("xpeng", "xpev"),
    "AMZN": ("amazon", "amazon.com", "aws", "amazon web services", "amzn"),
    "MSFT": ("microsoft", "azure", "msft"),
    "GOOGL": ("alphabet", "google", "google cloud", "googl", "goog"),
    "META": ("meta", "meta platforms", "facebook"),
    "AAPL": ("apple", "aapl"),
    "TSLA": ("tesla", "tsla"),
    "S&P 500": ("s&p 500", "s&p500", "s&p", "standard & poor's 500", "spx", "^gspc", "spy"),
    "Nasdaq Composite": ("nasdaq composite", "nasdaq", "^ixic", "ixic", "comp"),
    "Nasdaq-100": ("nasdaq-100", "nasdaq 100", "nasdaq100", "ndx", "^ndx", "qqq"),
    "Hang Seng": ("hang seng", "hang seng index", "hsi", "^hsi"),
    "Philadelphia Semiconductor Index": ("philadelphia semiconductor index", "phlx semiconductor",
                                         "phlx semiconductor index", "sox", "^sox"),
    "Dow Jones": ("dow jones", "dow", "djia", "dow jones industrial average", "^dji"),
}
#: Hong Kong (and other non-US) listings -> (canonical entity, listing).
LISTING_ALIASES = {
    "9988.hk": ("BABA", "HK"), "9988": ("BABA", "HK"), "89988": ("BABA", "HK"),
    "89988.hk": ("BABA", "HK"), "0700.hk": ("TCEHY", "HK"), "700.hk": ("TCEHY", "HK"),
    "9618.hk": ("JD", "HK"), "9888.hk": ("BIDU", "HK"), "9866.hk": ("NIO", "HK"),
    "9868.hk": ("XPEV", "HK"),
}
_ALIAS_INDEX = {alias: canon for canon, aliases in ENTITY_ALIASES.items() for alias in aliases}

#: Relative tolerance of value agreement (|v - g| <= tol * max(1, g)).
VALUE_REL_TOL = 1e-6
#: ISO codes read as currencies (unit class = the code itself).
CURRENCIES = ("USD", "CNY", "HKD", "EUR", "JPY", "GBP", "TWD", "KRW", "INR", "CAD", "AUD")
_UNIT_ALIASES = {
    "percent": "%", "per cent": "%", "pct": "%", "percentage": "%",
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "rmb": "CNY", "yuan": "CNY", "cny": "CNY", "¥": "CNY", "renminbi": "CNY",
    "hk$": "HKD", "hkd": "HKD", "€": "EUR", "eur": "EUR", "£": "GBP",
    "times": "x", "×": "x", "fold": "x", "-fold": "x", "multiple": "x",
    "pp": "pp", "percentage point": "pp", "percentage points": "pp", "points": "pp",
    "point": "pp", "pts": "pp", "ppt": "pp", "ppts": "pp",
    "bp": "bp", "bps": "bp", "basis point": "bp", "basis points": "bp",
}

#: Targets of issues 8 and 9: metric -> (comparison, threshold).
TARGETS = {
    "recall": (">=", 0.95),
    "trap_precision": (">=", 0.95),
    "dating": (">=", 0.95),
    "subject": (">=", 0.9),
    "metric": (">=", 0.9),
    "session": (">=", 0.9),
    "price_verdict": (">=", 0.95),
    "fact_verdict": (">=", 0.9),
    "false_contradictions": ("==", 0),
}
#: Rate metrics, in display order; each is the mean of the ``ok`` column of its check.
RATE_METRICS = ("recall", "trap_precision", "claim_precision", "role", "subject", "metric",
                "sign", "dating", "session", "window", "price_verdict", "price_verdict_scored",
                "fact_verdict", "subject_price_fact", "metric_fact")
#: Count metrics.
COUNT_METRICS = ("false_contradictions", "anchors_missing")

# gold file columns
GOLD_REQUIRED = ("doc", "kind", "value", "unit", "anchor")
GOLD_OPTIONAL = ("role", "subject", "metric", "sign")
DATES_REQUIRED = ("doc", "published")
PRICE_REQUIRED = ("doc", "ticker", "session", "kind", "claimed", "basis", "scored", "expected",
                  "anchor")
FACT_REQUIRED = ("doc", "ticker", "metric", "claimed", "unit", "expected", "anchor")
SEED_COLUMNS = ("doc_id", "start", "end", "quote", "value", "unit", "metric", "note", "kind")
#: Columns the reading's numbers table must have; the others default to blank.
NUMBERS_REQUIRED = ("doc_id", "start", "end", "value", "unit", "role")
NUMBERS_OPTIONAL = ("quote", "subject", "ticker", "metric", "listing", "window", "verdict",
                    "session")
#: Columns of :attr:`Score.errors`.
ERROR_COLUMNS = ("doc", "check", "table", "line", "anchor", "expected", "got", "detail")
_CHECK_COLUMNS = ERROR_COLUMNS + ("ok",)


class EvaluationInputError(BabaResearchError, ValueError):
    """A reading (docs / numbers / texts) handed to :func:`score` is malformed; names the column
    or document."""


# --------------------------------------------------------------------------------------------
# gold
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CorpusGold:
    """The gold annotation of one corpus.

    Attributes
    ----------
    name : str
        Corpus name (for tables).
    numbers : DataFrame
        gold.csv rows: ``doc, kind, value`` (unsigned float, NaN when not given), ``unit,
        anchor, role, subject, metric, sign, start, end`` (given offsets or NaN), ``line`` (the
        file line, for people).
    dates : DataFrame
        ``doc, published`` (``datetime.date``), ``in_text, evidence, line``.
    prices : DataFrame
        price_gold.csv rows (``claimed`` signed float, ``session`` a ``datetime.date``).
    facts : DataFrame
        fact_gold.csv rows (``claimed`` signed float).
    has_subject, has_metric, has_sign : bool
        Whether gold.csv states subjects / metrics / signs (then they are the headline source).
    source : str
        Where the gold was read from.
    """

    name: str
    numbers: pd.DataFrame
    dates: pd.DataFrame
    prices: pd.DataFrame
    facts: pd.DataFrame
    has_subject: bool = False
    has_metric: bool = False
    has_sign: bool = False
    source: str = ""

    @property
    def docs(self) -> list[str]:
        """Every doc key named by any gold table, sorted."""
        keys = set()
        for frame in (self.numbers, self.dates, self.prices, self.facts):
            keys.update(frame["doc"].tolist())
        return sorted(keys)


def _read_rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict]]:
    """``(line, row)`` of a CSV file whose header must hold ``required``; ``line`` is the 1-based
    line on which the record starts (the header is line 1)."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            try:
                header = next(reader)
            except StopIteration:
                raise DataFileError(path, "empty file (no header)", line=1) from None
            header = [h.strip() for h in header]
            missing = [c for c in required if c not in header]
            if missing:
                raise DataFileError(path, f"missing column(s) {', '.join(missing)}; header is "
                                          f"{','.join(header)}", line=1)
            rows = []
            start = reader.line_num + 1
            for record in reader:
                line, start = start, reader.line_num + 1
                if not record or all(not cell.strip() for cell in record):
                    continue
                if len(record) > len(header):
                    raise DataFileError(path, f"{len(record)} fields for {len(header)} columns "
                                              "(an unquoted comma?)", line=line)
                record = record + [""] * (len(header) - len(record))
                rows.append((line, dict(zip(header, record))))
            return rows
    except UnicodeDecodeError as exc:
        raise DataFileError(path, f"not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise DataFileError(path, f"malformed CSV: {exc}") from exc


def _number(path: Path, line: int, column: str, text: str, *, blank_ok: bool) -> float:
    text = text.strip()
    if text == "":
        if blank_ok:
            return math.nan
        raise DataFileError(path, f"empty {column}", line=line)
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise DataFileError(path, f"{column} {text!r} is not a number", line=line) from None
    if not math.isfinite(value):
        raise DataFileError(path, f"{column} {text!r} is not finite", line=line)
    return value


def _day(path: Path, line: int, column: str, text: str) -> date:
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DataFileError(path, f"{column} {text!r} is not a YYYY-MM-DD date", line=line) from None


def _choice(path: Path, line: int, column: str, text: str, allowed, *, blank_ok=False) -> str:
    text = text.strip()
    if (text == "" and blank_ok) or text in allowed:
        return text
    raise DataFileError(path, f"{column} {text!r} is not one of {', '.join(allowed)}", line=line)


def _anchor(path: Path, line: int, text: str) -> str:
    if text.strip() == "":
        raise DataFileError(path, "empty anchor", line=line)
    return text


def _read_numbers_gold(path: Path) -> tuple[pd.DataFrame, dict[str, bool]]:
    rows, has = [], {c: False for c in GOLD_OPTIONAL}
    for line, row in _read_rows(path, GOLD_REQUIRED):
        kind = _choice(path, line, "kind", row["kind"], GOLD_KINDS)
        value = _number(path, line, "value", row["value"], blank_ok=(kind == "trap"))
        unit = row["unit"].strip()
        if kind == "claim" and unit == "":
            raise DataFileError(path, "empty unit for a claim", line=line)
        role = row.get("role", "").strip()
        if kind == "claim":
            _choice(path, line, "role", role, ("claim",), blank_ok=True)
        else:
            _choice(path, line, "role", role, TRAP_ROLES, blank_ok=True)
        metric = row.get("metric", "").strip()
        if kind == "claim":
            _choice(path, line, "metric", metric, METRICS, blank_ok=True)
        sign = _choice(path, line, "sign", row.get("sign", ""), ("+", "-"), blank_ok=True)
        subject = row.get("subject", "").strip()
        for column, present in (("role", role), ("subject", subject), ("metric", metric),
                                ("sign", sign)):
            has[column] = has[column] or bool(present and kind == "claim")
        rows.append({"doc": row["doc"].strip(), "kind": kind, "value": abs(value), "unit": unit,
                     "anchor": _anchor(path, line, row["anchor"]), "role": role,
                     "subject": subject, "metric": metric, "sign": sign,
                     "start": math.nan, "end": math.nan, "line": line})
    return _frame(rows, ("doc", "kind", "value", "unit", "anchor", "role", "subject", "metric",
                         "sign", "start", "end", "line")), has


def _read_dates(path: Path) -> pd.DataFrame:
    rows = []
    for line, row in _read_rows(path, DATES_REQUIRED):
        rows.append({"doc": row["doc"].strip(),
                     "published": _day(path, line, "published", row["published"]),
                     "in_text": row.get("in_text", "").strip(),
                     "evidence": row.get("evidence", "").strip(), "line": line})
    return _frame(rows, ("doc", "published", "in_text", "evidence", "line"))


def _read_prices(path: Path) -> pd.DataFrame:
    rows = []
    for line, row in _read_rows(path, PRICE_REQUIRED):
        rows.append({
            "doc": row["doc"].strip(), "ticker": row["ticker"].strip(),
            "session": _day(path, line, "session", row["session"]),
            "kind": _choice(path, line, "kind", row["kind"], PRICE_KINDS),
            "claimed": _number(path, line, "claimed", row["claimed"], blank_ok=False),
            "qualifier": row.get("qualifier", "").strip(),
            "basis": _choice(path, line, "basis", row["basis"], PRICE_BASES),
            "scored": _choice(path, line, "scored", row["scored"], ("yes", "no")) == "yes",
            "expected": _choice(path, line, "expected", row["expected"], VERDICTS[:3]),
            "anchor": _anchor(path, line, row["anchor"]), "note": row.get("note", "").strip(),
            "start": math.nan, "end": math.nan, "line": line,
        })
    return _frame(rows, ("doc", "ticker", "session", "kind", "claimed", "qualifier", "basis",
                         "scored", "expected", "anchor", "note", "start", "end", "line"))


def _read_facts(path: Path) -> pd.DataFrame:
    rows = []
    for line, row in _read_rows(path, FACT_REQUIRED):
        unit = row["unit"].strip()
        if unit == "":
            raise DataFileError(path, "empty unit", line=line)
        rows.append({
            "doc": row["doc"].strip(), "ticker": row["ticker"].strip(),
            "fiscal_period": row.get("fiscal_period", "").strip(),
            "metric": row["metric"].strip(), "segment": row.get("segment", "").strip(),
            "claimed": _number(path, line, "claimed", row["claimed"], blank_ok=False),
            "unit": unit, "qualifier": row.get("qualifier", "").strip(),
            "expected": _choice(path, line, "expected", row["expected"], VERDICTS[:3]),
            "anchor": _anchor(path, line, row["anchor"]),
            "start": math.nan, "end": math.nan, "line": line,
        })
    return _frame(rows, ("doc", "ticker", "fiscal_period", "metric", "segment", "claimed", "unit",
                         "qualifier", "expected", "anchor", "start", "end", "line"))


def _frame(rows: list[dict], columns) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def _empty_dates():
    return _frame([], ("doc", "published", "in_text", "evidence", "line"))


def _empty_prices():
    return _frame([], ("doc", "ticker", "session", "kind", "claimed", "qualifier", "basis",
                       "scored", "expected", "anchor", "note", "start", "end", "line"))


def _empty_facts():
    return _frame([], ("doc", "ticker", "fiscal_period", "metric", "segment", "claimed", "unit",
                       "qualifier", "expected", "anchor", "start", "end", "line"))


def load_gold(corpus_dir: str | Path, name: str | None = None) -> CorpusGold:
    """Read a corpus folder's gold (``gold.csv`` required; the other three files optional).

    Parameters
    ----------
    corpus_dir : str or Path
        Folder holding ``gold.csv`` and optionally ``dates.csv``, ``price_gold.csv``,
        ``fact_gold.csv`` (format: ``.agents/CORPUS_FORMAT.md``). ``gold.csv`` may have the extra
        ``role, subject, metric, sign`` columns or not.
    name : str, optional
        Corpus name; default the folder's name.

    Returns
    -------
    CorpusGold

    Raises
    ------
    DataFileError
        A file is missing (gold.csv only), not UTF-8, lacks a column, or a row has an invalid
        value (names the file and the 1-based line; the header is line 1).
    """
    folder = Path(corpus_dir)
    gold_path = folder / "gold.csv"
    if not gold_path.is_file():
        raise DataFileError(gold_path, "gold file not found (a corpus folder holds gold.csv)")
    numbers, has = _read_numbers_gold(gold_path)
    dates = _read_dates(folder / "dates.csv") if (folder / "dates.csv").is_file() else _empty_dates()
    prices = (_read_prices(folder / "price_gold.csv") if (folder / "price_gold.csv").is_file()
              else _empty_prices())
    facts = (_read_facts(folder / "fact_gold.csv") if (folder / "fact_gold.csv").is_file()
             else _empty_facts())
    return CorpusGold(name=name or folder.name, numbers=numbers, dates=dates, prices=prices,
                      facts=facts, has_subject=has["subject"], has_metric=has["metric"],
                      has_sign=has["sign"], source=str(folder))


def load_seed_gold(path: str | Path, dates: str | Path | None = None,
                   name: str = "seeds") -> CorpusGold:
    """Adapt the seed annotation (``tests/fixtures/claims_gold.csv``) to a :class:`CorpusGold`.

    Parameters
    ----------
    path : str or Path
        CSV with ``doc_id,start,end,quote,value,unit,metric,note,kind``: offsets into the
        repaired text of ``../shared/seeds/<doc_id>.txt``, ``value`` signed (outflows negative)
        and blank for traps. The seed ``metric`` is free text (not the corpus vocabulary), so it
        is kept out of the metric check; traps carry no role.
    dates : str or Path, optional
        A ``doc_id,as_of`` file (``data/documents.csv``) giving each seed's date; without it the
        seed corpus has no dating gold. Note that ``data/documents.csv`` is the library's own
        committed dating, so scoring against it is a regression check, not an independent gold.
    name : str
        Corpus name.

    Raises
    ------
    DataFileError
        Missing columns, bad offsets or values (names file and line).
    """
    path = Path(path)
    rows = []
    for line, row in _read_rows(path, SEED_COLUMNS):
        kind = _choice(path, line, "kind", row["kind"], GOLD_KINDS)
        start = _number(path, line, "start", row["start"], blank_ok=False)
        end = _number(path, line, "end", row["end"], blank_ok=False)
        if not (0 <= start < end) or start != int(start) or end != int(end):
            raise DataFileError(path, f"bad offsets start={row['start']} end={row['end']}",
                                line=line)
        value = _number(path, line, "value", row["value"], blank_ok=(kind == "trap"))
        sign = "" if kind == "trap" or math.isnan(value) else ("-" if value < 0 else "+")
        rows.append({"doc": row["doc_id"].strip(), "kind": kind, "value": abs(value),
                     "unit": row["unit"].strip(), "anchor": _anchor(path, line, row["quote"]),
                     "role": "", "subject": "", "metric": "", "sign": sign,
                     "start": int(start), "end": int(end), "line": line})
    numbers = _frame(rows, ("doc", "kind", "value", "unit", "anchor", "role", "subject", "metric",
                            "sign", "start", "end", "line"))
    date_rows = []
    if dates is not None:
        dates = Path(dates)
        for line, row in _read_rows(dates, ("doc_id", "as_of")):
            if not (row["as_of"] or "").strip():
                continue  # an undated seed has no date to score
            date_rows.append({"doc": row["doc_id"].strip(),
                              "published": _day(dates, line, "as_of", row["as_of"]),
                              "in_text": "", "evidence": row.get("as_of_evidence", ""),
                              "line": line})
    date_frame = _frame(date_rows, ("doc", "published", "in_text", "evidence", "line"))
    return CorpusGold(name=name, numbers=numbers, dates=date_frame, prices=_empty_prices(),
                      facts=_empty_facts(), has_sign=True,
                      source=str(path) + (f" + {dates}" if dates is not None else ""))


# --------------------------------------------------------------------------------------------
# normalisation
# --------------------------------------------------------------------------------------------
def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        if value is pd.NaT or pd.isna(value):
            return True
    except (TypeError, ValueError):
        pass
    return isinstance(value, str) and value.strip() == ""


def _text(value) -> str:
    return "" if _blank(value) else str(value).strip()


def normalize_unit(unit) -> str:
    """Canonical spelling of a unit: ISO currency codes, ``%``, ``pp``, ``bp``, ``x``, or the
    lower-cased word (``count``, ``quarters`` ...); blank -> ``""``.

    >>> normalize_unit("RMB"), normalize_unit("percent"), normalize_unit("times")
    ('CNY', '%', 'x')
    """
    text = _text(unit)
    if text == "":
        return ""
    low = text.lower()
    if low in _UNIT_ALIASES:
        return _UNIT_ALIASES[low]
    if text.upper() in CURRENCIES:
        return text.upper()
    return low


def unit_class(unit) -> str:
    """The matching class of a unit: a currency code, ``%``, ``pp``, ``bp``, ``x`` or
    ``count`` (every other unit, blank included)."""
    norm = normalize_unit(unit)
    if norm in CURRENCIES or norm in ("%", "pp", "bp", "x"):
        return norm
    return "count"


def units_compatible(gold_unit, predicted_unit) -> bool:
    """Whether a predicted unit is acceptable for a gold unit (see the module docstring: equal
    classes, and a predicted ``%`` for gold ``pp``; a blank gold unit accepts any)."""
    if _text(gold_unit) == "":
        return True
    gold, pred = unit_class(gold_unit), unit_class(predicted_unit)
    return gold == pred or (gold == "pp" and pred == "%")


def canonical_entity(name) -> tuple[str, str]:
    """``(entity, listing)`` of a subject or ticker name.

    >>> canonical_entity("9988.HK"), canonical_entity("Nvidia"), canonical_entity("SPY")
    (('BABA', 'HK'), ('NVDA', ''), ('S&P 500', ''))

    Unknown names come back lower-cased with blank listing (``"Huawei"`` -> ``("huawei", "")``).
    """
    text = re.sub(r"\s+", " ", _text(name)).strip(" .,;:'\"").lower()
    if text in LISTING_ALIASES:
        return LISTING_ALIASES[text]
    if text in _ALIAS_INDEX:
        return _ALIAS_INDEX[text], ""
    for suffix in (" inc", " inc.", " corp", " corp.", " ltd", " limited", " group", " holdings",
                   "'s", " shares", " stock"):
        if text.endswith(suffix) and text[: -len(suffix)].strip() in _ALIAS_INDEX:
            return _ALIAS_INDEX[text[: -len(suffix)].strip()], ""
    return text, ""


def normalize_window(window) -> str:
    """Canonical trading window (``pre-market`` -> ``premarket`` ...); blank -> ``""``."""
    text = _text(window).lower()
    return _WINDOW_ALIASES.get(text, text)


def normalize_verdict(verdict) -> str:
    """Lower-cased verdict with ``not_a_claim`` spelled ``not a claim``."""
    return _text(verdict).lower().replace("_", " ")


def _as_day(value) -> date | None:
    """Calendar day of a Timestamp / datetime / ISO string in its own time zone; None if blank."""
    if _blank(value):
        return None
    if isinstance(value, date) and not isinstance(value, pd.Timestamp):
        return value if type(value) is date else value.date()
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(stamp) else stamp.date()


def doc_key(doc_id: str, gold_docs) -> str:
    """Gold doc key of a reading's ``doc_id``: itself when the gold names it, else its prefix
    before the first ``_`` (``r01_barrons_baba`` -> ``r01``)."""
    doc_id = str(doc_id)
    return doc_id if doc_id in gold_docs else doc_id.split("_", 1)[0]


_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                       "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
                       "\u202f": " ", "\u2009": " "})


def locate_anchor(anchor: str, text: str, start=None, end=None) -> tuple[int, int, str]:
    """Span of an anchor in a text: ``(start, end, how)``; ``(-1, -1, "missing")`` if absent.

    ``how`` is ``offsets`` (given offsets hold the anchor), ``relocated`` (the occurrence nearest
    the given offsets), ``exact`` (first occurrence), ``folded`` (first occurrence after folding
    quotes, dashes, non-breaking spaces and whitespace runs; see the module docstring).
    """
    given = not (_blank(start) or _blank(end))
    if given:
        start, end = int(start), int(end)
        if text[start:end] == anchor:
            return start, end, "offsets"
        hits = [m.start() for m in re.finditer(re.escape(anchor), text)]
        if hits:
            best = min(hits, key=lambda h: abs(h - start))
            return best, best + len(anchor), "relocated"
    else:
        at = text.find(anchor)
        if at >= 0:
            return at, at + len(anchor), "exact"
    words = anchor.translate(_FOLD).split()
    if words:
        pattern = r"\s+".join(re.escape(w) for w in words)
        found = list(re.finditer(pattern, text.translate(_FOLD)))
        if found:
            best = min(found, key=lambda m: abs(m.start() - start)) if given else found[0]
            return best.start(), best.end(), "folded"
    return -1, -1, "missing"


# --------------------------------------------------------------------------------------------
# the reading
# --------------------------------------------------------------------------------------------
def _prepare_numbers(numbers: pd.DataFrame, gold_docs) -> pd.DataFrame:
    if not isinstance(numbers, pd.DataFrame):
        raise EvaluationInputError(f"numbers must be a DataFrame, not {type(numbers).__name__}")
    missing = [c for c in NUMBERS_REQUIRED if c not in numbers.columns]
    if missing:
        raise EvaluationInputError(f"numbers table lacks column(s) {', '.join(missing)}")
    frame = numbers.reset_index(drop=True)
    out = pd.DataFrame({"doc_id": frame["doc_id"].astype(str)})
    out["doc"] = [doc_key(d, gold_docs) for d in out["doc_id"]]
    for column in ("start", "end"):
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.isna().any():
            bad = out.loc[values.isna(), "doc_id"].iloc[0]
            raise EvaluationInputError(f"numbers table: non-integer {column} (doc {bad})")
        out[column] = values.astype(int)
    out["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    out["unit"] = [normalize_unit(u) for u in frame["unit"]]
    out["role"] = [_text(r).lower() for r in frame["role"]]
    for column in ("quote", "subject", "ticker", "metric", "listing"):
        values = [_text(v) for v in frame[column]] if column in frame.columns else [""] * len(frame)
        if column == "metric":
            values = [v.lower() for v in values]
        elif column == "listing":
            values = [v.upper() for v in values]
        out[column] = pd.Series(values, index=out.index, dtype=object)
    out["window"] = ([normalize_window(v) for v in frame["window"]] if "window" in frame.columns
                     else [""] * len(frame))
    out["verdict"] = ([normalize_verdict(v) for v in frame["verdict"]]
                      if "verdict" in frame.columns else [""] * len(frame))
    out["session"] = ([_as_day(v) for v in frame["session"]] if "session" in frame.columns
                      else [None] * len(frame))
    return out


def _text_map(texts: Mapping[str, str], gold_docs) -> dict[str, str]:
    if not isinstance(texts, Mapping):
        raise EvaluationInputError(f"texts must be a mapping doc_id -> text, not "
                                   f"{type(texts).__name__}")
    out, owner = {}, {}
    for doc_id, text in texts.items():
        key = doc_key(doc_id, gold_docs)
        if key in owner and key in gold_docs:
            raise EvaluationInputError(f"documents {owner[key]!r} and {doc_id!r} both map to "
                                       f"gold doc {key!r}")
        owner[key], out[key] = doc_id, str(text)
    return out


def _locate(table: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
    table = table.copy()
    spans = []
    for row in table.itertuples(index=False):
        text = texts.get(row.doc)
        if text is None:
            spans.append((-1, -1, "no text"))
        else:
            spans.append(locate_anchor(row.anchor, text, row.start, row.end))
    table["a_start"] = [s[0] for s in spans]
    table["a_end"] = [s[1] for s in spans]
    table["anchor_how"] = [s[2] for s in spans]
    return table.reset_index(drop=True)


def _candidates(gold: pd.DataFrame, pred: pd.DataFrame, gold_value: str, *,
                unit_column: str | None, trap_mask: np.ndarray) -> list[tuple]:
    """Candidate pairs ``(overlap, preference, gold_pos, pred_pos)`` over all documents."""
    pairs = []
    pred_by_doc = {doc: grp for doc, grp in pred.groupby("doc", sort=False)}
    for doc, grp in gold.groupby("doc", sort=False):
        if doc not in pred_by_doc:
            continue
        grp = grp[grp["a_start"] >= 0]
        if grp.empty:
            continue
        cand = pred_by_doc[doc]
        gs = grp["a_start"].to_numpy()[:, None]
        ge = grp["a_end"].to_numpy()[:, None]
        overlap = np.minimum(ge, cand["end"].to_numpy()[None, :]) - np.maximum(
            gs, cand["start"].to_numpy()[None, :])
        gv = np.abs(grp[gold_value].to_numpy(dtype=float))[:, None]
        pv = np.abs(cand["value"].to_numpy(dtype=float))[None, :]
        traps = trap_mask[grp.index.to_numpy()][:, None]
        with np.errstate(invalid="ignore"):
            value_ok = np.abs(pv - gv) <= VALUE_REL_TOL * np.maximum(1.0, gv)
        value_ok |= np.isnan(gv) | (traps & np.isnan(pv))
        ok = (overlap > 0) & value_ok
        if unit_column is not None:
            gold_units = grp[unit_column].tolist()
            pred_units = cand["unit"].tolist()
            for i, j in zip(*np.nonzero(ok)):
                if not traps[i, 0] and not units_compatible(gold_units[i], pred_units[j]):
                    ok[i, j] = False
        roles = (cand["role"].to_numpy() == "claim")[None, :]
        preference = np.where(traps, ~roles, roles)
        gpos, ppos = grp.index.to_numpy(), cand.index.to_numpy()
        for i, j in zip(*np.nonzero(ok)):
            pairs.append((int(overlap[i, j]), bool(preference[i, j]), int(gpos[i]), int(ppos[j])))
    return pairs


def _assign(pairs: list[tuple], n_gold: int) -> np.ndarray:
    """Greedy one-to-one assignment: largest overlap, then preference, then file order."""
    assigned = np.full(n_gold, -1, dtype=int)
    used = set()
    for _, _, g, p in sorted(pairs, key=lambda t: (-t[0], not t[1], t[2], t[3])):
        if assigned[g] < 0 and p not in used:
            assigned[g] = p
            used.add(p)
    return assigned


def _describe(pred: pd.DataFrame, pos: int) -> str:
    row = pred.iloc[pos]
    value = "" if math.isnan(row["value"]) else f"{row['value']:.10g}"
    return f"{value} {row['unit']} [{row['role'] or 'no role'}] at {row['start']}-{row['end']}".strip()


def _unmatched(detail: str) -> str:
    """``got`` of a gold row without a match: nothing there, or something that does not fit."""
    return "not extracted" if detail.startswith("no predicted") else "no match (value or unit)"


def _near(pred: pd.DataFrame, doc: str, a_start: int, a_end: int) -> str:
    """What the reading has overlapping an anchor (for the errors table)."""
    rows = pred[(pred["doc"] == doc) & (pred["end"] > a_start) & (pred["start"] < a_end)]
    if rows.empty:
        return "no predicted number overlaps the anchor"
    return "overlapping: " + "; ".join(_describe(pred, int(i)) for i in rows.index[:4])


# --------------------------------------------------------------------------------------------
# score
# --------------------------------------------------------------------------------------------
@dataclass
class Score:
    """The score of one reading against one gold.

    Attributes
    ----------
    name : str
        Corpus name.
    overall : DataFrame
        One row (index = corpus name): every metric of :data:`RATE_METRICS` (a share in [0, 1],
        NaN when nothing to score), the counts of :data:`COUNT_METRICS`, and ``n_<metric>``
        denominators.
    per_document : DataFrame
        The same metrics per gold document (index ``doc``), with ``title``, ``published``
        (expected / got).
    errors : DataFrame
        Every miss or mismatch, for people: ``doc, check, table, line, anchor, expected, got,
        detail`` (``line`` = the gold file's line).
    false_contradictions : DataFrame
        The predicted ``contradicted`` rows that are false (see the module docstring).
    checks : DataFrame
        Every check, passed or not (the errors columns plus ``ok``).
    """

    name: str
    overall: pd.DataFrame
    per_document: pd.DataFrame
    errors: pd.DataFrame
    false_contradictions: pd.DataFrame
    checks: pd.DataFrame = field(repr=False)

    def metric(self, name: str) -> float:
        """One overall figure by name (``recall``, ``false_contradictions`` ...)."""
        return float(self.overall[name].iloc[0])

    def summary(self) -> str:
        """A short text: each metric with its denominator and target."""
        lines = [f"Corpus {self.name}"]
        row = self.overall.iloc[0]
        for metric in RATE_METRICS:
            n = int(row[f"n_{metric}"])
            value = row[metric]
            shown = "n/a" if pd.isna(value) else f"{value:.3f}"
            lines.append(f"  {metric:<22} {shown:>6}  (n={n}){_target_note(metric, value)}")
        for metric in COUNT_METRICS:
            lines.append(f"  {metric:<22} {int(row[metric]):>6}{_target_note(metric, row[metric])}")
        lines.append(f"  {'claims unjudged':<22} {int(row['n_claims_unjudged']):>6}  (predicted "
                     "claims overlapping no gold anchor)")
        if row["n_metric_unmapped"]:
            lines.append(f"  {'fact metrics unmapped':<22} {int(row['n_metric_unmapped']):>6}")
        lines.append(f"  errors listed: {len(self.errors)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        head = f"<h4>Corpus {html.escape(self.name)}</h4>"
        return (head + self.overall.to_html(float_format=lambda v: f"{v:.3f}")
                + f"<p>{len(self.errors)} errors; per document:</p>"
                + self.per_document.to_html(float_format=lambda v: f"{v:.3f}"))


def _target_note(metric: str, value) -> str:
    if metric not in TARGETS:
        return ""
    status = target_status(metric, value)
    op, threshold = TARGETS[metric]
    return f"  target {op} {threshold}: {status}"


def target_status(metric: str, value) -> str:
    """``PASS``, ``FAIL`` or ``n/a`` (no target, or nothing to score) for one figure."""
    if metric not in TARGETS or value is None or pd.isna(value):
        return "n/a"
    op, threshold = TARGETS[metric]
    ok = value >= threshold if op == ">=" else value == threshold
    return "PASS" if ok else "FAIL"


class _Checks:
    """Accumulates check rows."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, doc, check, table, line, anchor, expected, got, ok, detail="") -> None:
        self.rows.append({"doc": doc, "check": check, "table": table, "line": line,
                          "anchor": anchor, "expected": "" if expected is None else str(expected),
                          "got": "" if got is None else str(got), "detail": detail,
                          "ok": bool(ok)})

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=list(_CHECK_COLUMNS))
        frame["line"] = frame["line"].astype("Int64")
        return frame


def _missing_reason(row) -> str:
    return "document not read" if row.anchor_how == "no text" else "anchor missing"


def score(gold: CorpusGold, docs: pd.DataFrame, numbers: pd.DataFrame,
          texts: Mapping[str, str]) -> Score:
    """Score a reading against a gold (metric definitions: the module docstring).

    Parameters
    ----------
    gold : CorpusGold
        From :func:`load_gold` or :func:`load_seed_gold`.
    docs : DataFrame
        One row per document: ``doc_id``, ``published`` (Timestamp / NaT), optionally ``title``.
    numbers : DataFrame
        One row per number found (columns: the module docstring).
    texts : mapping
        ``doc_id -> text`` indexed by ``numbers.start/end``.

    Returns
    -------
    Score

    Raises
    ------
    EvaluationInputError
        A required column is missing, offsets are not integers, or two documents map to one
        gold doc.
    """
    gold_docs = set(gold.docs)
    if not isinstance(docs, pd.DataFrame) or "doc_id" not in docs.columns:
        raise EvaluationInputError("docs must be a DataFrame with a doc_id column")
    text_of = _text_map(texts, gold_docs)
    pred = _prepare_numbers(numbers, gold_docs)
    checks = _Checks()

    G = _locate(gold.numbers, text_of)
    P = _locate(gold.prices, text_of)
    F = _locate(gold.facts, text_of)
    for table_name, table in (("gold", G), ("price_gold", P), ("fact_gold", F)):
        for row in table.itertuples(index=False):
            checks.add(row.doc, "anchor", table_name, row.line, row.anchor, "found",
                       _missing_reason(row) if row.a_start < 0 else row.anchor_how,
                       row.a_start >= 0)

    # ---- gold.csv: claims and traps
    is_trap = (G["kind"] == "trap").to_numpy()
    g_pairs = _candidates(G, pred, "value", unit_column="unit", trap_mask=is_trap)
    g_match = _assign(g_pairs, len(G))
    claim_taken = {int(g_match[i]) for i in range(len(G)) if not is_trap[i] and g_match[i] >= 0}
    trap_hit: dict[int, int] = {}
    for _, _, g, p in sorted(g_pairs, key=lambda t: -t[0]):
        if is_trap[g] and pred.at[p, "role"] == "claim" and p not in claim_taken:
            trap_hit.setdefault(g, p)

    for i, row in enumerate(G.itertuples(index=False)):
        p = int(g_match[i])
        located = row.a_start >= 0
        if row.kind == "claim":
            expected = f"{row.value:.10g} {row.unit}"
            if not located:
                got, ok, detail = _missing_reason(row), False, ""
            elif p < 0:
                detail = _near(pred, row.doc, row.a_start, row.a_end)
                got, ok = _unmatched(detail), False
            else:
                got, ok = _describe(pred, p), pred.at[p, "role"] == "claim"
                detail = "" if ok else "matched number is not read as a claim"
            checks.add(row.doc, "recall", "gold", row.line, row.anchor, expected, got, ok, detail)
            for column, check, enabled in (("subject", "subject", gold.has_subject),
                                           ("metric", "metric", gold.has_metric),
                                           ("sign", "sign", gold.has_sign)):
                want = getattr(row, column)
                if not enabled or want == "":
                    continue
                _attribute_check(checks, check, "gold", row, want, pred, p, located)
        else:
            if row.role:
                if not located:
                    got, ok = _missing_reason(row), False
                elif p < 0:
                    got, ok = "no predicted row", False
                else:
                    got, ok = pred.at[p, "role"] or "no role", pred.at[p, "role"] == row.role
                checks.add(row.doc, "role", "gold", row.line, row.anchor, row.role, got, ok)
            if not located:
                checks.add(row.doc, "trap_precision", "gold", row.line, row.anchor,
                           "not a claim", _missing_reason(row), False)
            else:
                hit = trap_hit.get(i)
                checks.add(row.doc, "trap_precision", "gold", row.line, row.anchor,
                           f"not a claim ({row.role or 'trap'})",
                           "claim: " + _describe(pred, hit) if hit is not None else "not a claim",
                           hit is None)

    # claim precision: predicted claims overlapping any located anchor
    located_G = G[G["a_start"] >= 0]
    spans_by_doc = {doc: grp[["a_start", "a_end"]].to_numpy()
                    for doc, grp in located_G.groupby("doc", sort=False)}
    assigned_claim = {int(g_match[i]): i for i in range(len(G))
                      if not is_trap[i] and g_match[i] >= 0}
    unjudged = 0
    for p, row in pred[pred["role"] == "claim"].iterrows():
        spans = spans_by_doc.get(row["doc"])
        overlaps = spans is not None and bool(
            ((spans[:, 0] < row["end"]) & (spans[:, 1] > row["start"])).any())
        if not overlaps:
            unjudged += 1
            continue
        ok = p in assigned_claim
        anchor = G.at[assigned_claim[p], "anchor"] if ok else ""
        checks.add(row["doc"], "claim_precision", "reading", None, anchor or row["quote"],
                   "a gold claim", _describe(pred, p), ok,
                   "" if ok else "predicted claim overlaps a gold anchor but matches no gold claim")

    # ---- price_gold.csv
    p_match = _assign(_candidates(P.assign(unit=[_price_unit(r) for r in P.itertuples()]), pred,
                                  "claimed", unit_column="unit",
                                  trap_mask=np.zeros(len(P), dtype=bool)), len(P))
    for i, row in enumerate(P.itertuples(index=False)):
        p = int(p_match[i])
        located = row.a_start >= 0
        miss = None if p >= 0 else (_missing_reason(row) if not located else "not extracted")
        detail = "" if p >= 0 or not located else _near(pred, row.doc, row.a_start, row.a_end)

        def add(check, expected, got, ok, row=row, detail=detail):
            checks.add(row.doc, check, "price_gold", row.line, row.anchor, expected, got, ok,
                       detail)

        verdict = miss or (pred.at[p, "verdict"] or "no verdict")
        verdict_ok = miss is None and pred.at[p, "verdict"] == row.expected
        add("price_verdict", row.expected, verdict, verdict_ok)
        if row.scored:
            add("price_verdict_scored", row.expected, verdict, verdict_ok)
        session = None if miss else pred.at[p, "session"]
        add("session", row.session.isoformat(),
            miss or (session.isoformat() if session else "no session"), session == row.session)
        listing = "" if miss else pred.at[p, "listing"]
        if row.basis == "hk":
            add("window", "listing HK", miss or f"listing {listing or '?'}", listing == "HK")
        else:
            want = BASIS_WINDOW.get((row.basis, row.kind), BASIS_WINDOW.get((row.basis, None)))
            got = miss or ((pred.at[p, "window"] or "no window")
                           + (" (listing HK)" if listing == "HK" else ""))
            add("window", want, got,
                miss is None and pred.at[p, "window"] == want and listing != "HK")
        _attribute_check(checks, "subject_price_fact", "price_gold", row, row.ticker, pred, p,
                         located)
        if not gold.has_subject:
            _attribute_check(checks, "subject", "price_gold", row, row.ticker, pred, p, located)
        if not gold.has_sign:
            _attribute_check(checks, "sign", "price_gold", row, "-" if row.claimed < 0 else "+",
                             pred, p, located)

    # ---- fact_gold.csv
    f_match = _assign(_candidates(F, pred, "claimed", unit_column="unit",
                                  trap_mask=np.zeros(len(F), dtype=bool)), len(F))
    unmapped = 0
    for i, row in enumerate(F.itertuples(index=False)):
        p = int(f_match[i])
        located = row.a_start >= 0
        miss = None if p >= 0 else (_missing_reason(row) if not located else "not extracted")
        detail = "" if p >= 0 or not located else _near(pred, row.doc, row.a_start, row.a_end)
        got = miss or (pred.at[p, "verdict"] or "no verdict")
        ok = miss is None and pred.at[p, "verdict"] == row.expected
        checks.add(row.doc, "fact_verdict", "fact_gold", row.line, row.anchor, row.expected, got,
                   ok, detail)
        _attribute_check(checks, "subject_price_fact", "fact_gold", row, row.ticker, pred, p,
                         located)
        if not gold.has_subject:
            _attribute_check(checks, "subject", "fact_gold", row, row.ticker, pred, p, located)
        if not gold.has_sign:
            _attribute_check(checks, "sign", "fact_gold", row, "-" if row.claimed < 0 else "+",
                             pred, p, located)
        mapped = FACT_METRIC_MAP.get(row.metric)
        if mapped is None:
            unmapped += 1
            continue
        _attribute_check(checks, "metric_fact", "fact_gold", row, mapped, pred, p, located)
        if not gold.has_metric:
            _attribute_check(checks, "metric", "fact_gold", row, mapped, pred, p, located)

    # ---- dating
    published = {}
    titles = {}
    for row in docs.itertuples(index=False):
        key = doc_key(row.doc_id, gold_docs)
        published[key] = _as_day(getattr(row, "published", None))
        titles[key] = _text(getattr(row, "title", ""))
    for row in gold.dates.itertuples(index=False):
        if row.doc not in published:
            got = "document not read"
        else:
            got = published[row.doc].isoformat() if published[row.doc] else "not dated"
        checks.add(row.doc, "dating", "dates", row.line, "", row.published.isoformat(), got,
                   published.get(row.doc) == row.published, row.evidence)

    # ---- contradictions
    true_contra = set()
    for table, match in ((P, p_match), (F, f_match)):
        for i, row in enumerate(table.itertuples(index=False)):
            if match[i] >= 0 and row.expected == "contradicted":
                true_contra.add(int(match[i]))
    gold_row_of = {}
    for table, match, name in ((P, p_match, "price_gold"), (F, f_match, "fact_gold"),
                               (G, g_match, "gold")):
        for i, row in enumerate(table.itertuples(index=False)):
            if match[i] >= 0:
                gold_row_of.setdefault(int(match[i]), (name, row))
    false_rows = []
    for p, row in pred[pred["verdict"] == "contradicted"].iterrows():
        ok = p in true_contra
        name, grow = gold_row_of.get(p, (None, None))
        if ok:
            why = "gold expects contradicted"
        elif name in ("price_gold", "fact_gold"):
            why = f"{name} line {grow.line} expects {grow.expected}"
        elif name == "gold":
            why = (f"gold.csv line {grow.line}: a {grow.kind}"
                   f"{' (' + grow.role + ')' if grow.role else ''} with no price/fact gold row")
        else:
            why = "matches no price/fact gold row"
        anchor = grow.anchor if grow is not None else row["quote"]
        checks.add(row["doc"], "contradiction", "reading", grow.line if grow is not None else None,
                   anchor, "not contradicted" if not ok else "contradicted",
                   "contradicted: " + _describe(pred, p), ok, why)
        if not ok:
            false_rows.append({"doc": row["doc"], "doc_id": row["doc_id"], "start": row["start"],
                               "end": row["end"], "quote": row["quote"], "value": row["value"],
                               "unit": row["unit"], "ticker": row["ticker"],
                               "metric": row["metric"], "why": why})

    frame = checks.frame()
    overall, per_doc = _aggregate(frame, gold, titles, published, unjudged, unmapped)
    errors = frame[(~frame["ok"]) & (frame["check"] != "price_verdict_scored")]
    errors = errors[list(ERROR_COLUMNS)].reset_index(drop=True)
    false_frame = pd.DataFrame(false_rows, columns=["doc", "doc_id", "start", "end", "quote",
                                                    "value", "unit", "ticker", "metric", "why"])
    return Score(name=gold.name, overall=overall, per_document=per_doc, errors=errors,
                 false_contradictions=false_frame, checks=frame)


def _price_unit(row) -> str:
    if row.kind in ("move", "ytd"):
        return "%"
    return "HKD" if row.basis == "hk" else "USD"


def _attribute_check(checks: _Checks, check: str, table: str, row, want: str,
                     pred: pd.DataFrame, p: int, located: bool) -> None:
    """One subject / metric / sign check of a gold row against its matched predicted row."""
    if not located:
        checks.add(row.doc, check, table, row.line, row.anchor, want, _missing_reason(row), False)
        return
    if p < 0:
        checks.add(row.doc, check, table, row.line, row.anchor, want, "not extracted", False)
        return
    hit = pred.iloc[p]
    if check in ("subject", "subject_price_fact"):
        name = hit["ticker"] or hit["subject"]
        g_entity, g_listing = canonical_entity(want)
        p_entity, p_listing = canonical_entity(name)
        p_listing = p_listing or hit["listing"]
        ok = g_entity == p_entity and (g_listing != "HK" or p_listing == "HK")
        got = (name or "no subject") + (f" (listing {p_listing})" if p_listing else "")
    elif check in ("metric", "metric_fact"):
        got = hit["metric"] or "no metric"
        ok = hit["metric"] == want
    else:  # sign
        value = hit["value"]
        got = "no value" if math.isnan(value) else ("-" if value < 0 else "+")
        ok = got == want
    checks.add(row.doc, check, table, row.line, row.anchor, want, got, ok)


def _aggregate(frame: pd.DataFrame, gold: CorpusGold, titles, published, unjudged: int,
               unmapped: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rate_frame = frame[frame["check"].isin(RATE_METRICS)]
    overall = {}
    for metric in RATE_METRICS:
        sub = rate_frame.loc[rate_frame["check"] == metric, "ok"]
        overall[metric] = float(sub.mean()) if len(sub) else math.nan
    overall["false_contradictions"] = int(
        (~frame.loc[frame["check"] == "contradiction", "ok"]).sum())
    overall["true_contradictions"] = int(frame.loc[frame["check"] == "contradiction", "ok"].sum())
    overall["anchors_missing"] = int((~frame.loc[frame["check"] == "anchor", "ok"]).sum())
    for metric in RATE_METRICS:
        overall[f"n_{metric}"] = int((rate_frame["check"] == metric).sum())
    overall["n_claims_unjudged"] = int(unjudged)
    overall["n_metric_unmapped"] = int(unmapped)
    overall["n_documents"] = len(gold.docs)
    overall_frame = pd.DataFrame([overall], index=pd.Index([gold.name], name="corpus"))

    docs_index = pd.Index(gold.docs, name="doc")
    per_doc = pd.DataFrame(index=docs_index)
    per_doc["title"] = [titles.get(d, "") for d in gold.docs]
    expected_day = dict(zip(gold.dates["doc"], gold.dates["published"]))
    per_doc["published_expected"] = [expected_day.get(d) for d in gold.docs]
    per_doc["published_got"] = [published.get(d) for d in gold.docs]
    for metric in RATE_METRICS:
        sub = rate_frame[rate_frame["check"] == metric]
        per_doc[metric] = sub.groupby("doc")["ok"].mean().reindex(docs_index).astype(float)
        per_doc[f"n_{metric}"] = (sub.groupby("doc")["ok"].size().reindex(docs_index)
                                  .fillna(0).astype(int))
    contra = frame[frame["check"] == "contradiction"]
    per_doc["false_contradictions"] = ((~contra["ok"]).groupby(contra["doc"]).sum()
                                       .reindex(docs_index).fillna(0).astype(int))
    anchors = frame[frame["check"] == "anchor"]
    per_doc["anchors_missing"] = ((~anchors["ok"]).groupby(anchors["doc"]).sum()
                                  .reindex(docs_index).fillna(0).astype(int))
    return overall_frame, per_doc


def gold_reading(gold: CorpusGold, texts: Mapping[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The gold itself as a reading ``(docs, numbers)``: a consistency check of gold files.

    Each located ``gold.csv`` row becomes a number at its anchor's span (role ``claim`` or the
    trap's role, its subject as ticker, metric, signed value); each price / fact gold row adds
    its ticker, session, window, listing, verdict (and mapped metric) to the ``gold.csv`` claim
    it matches, or becomes a number of its own when ``gold.csv`` lacks that claim. Scoring this
    reading gives 1.0 on every metric when the gold files agree with each other and with the
    texts; anything less names an inconsistency (a missing anchor, a price claim absent from
    gold.csv, two rows disagreeing on a value or sign).
    """
    gold_docs = set(gold.docs)
    text_of = _text_map(texts, gold_docs)
    stem_of = {doc_key(d, gold_docs): d for d in texts}
    rows = []
    for r in _locate(gold.numbers, text_of).itertuples(index=False):
        if r.a_start < 0:
            continue
        value = -r.value if r.sign == "-" else r.value
        rows.append({"doc_id": stem_of[r.doc], "start": r.a_start, "end": r.a_end,
                     "quote": r.anchor, "value": value, "unit": r.unit,
                     "role": "claim" if r.kind == "claim" else (r.role or "identifier"),
                     "ticker": r.subject, "metric": r.metric, "session": None, "window": "",
                     "listing": "HK" if canonical_entity(r.subject)[1] == "HK" else "",
                     "verdict": "unverifiable" if r.kind == "claim" else "not a claim"})
    numbers = pd.DataFrame(rows, columns=["doc_id", "start", "end", "quote", "value", "unit",
                                          "role", "ticker", "metric", "session", "window",
                                          "listing", "verdict"])

    def attach(r, fields):
        hit = numbers.index[(numbers["doc_id"] == stem_of[r.doc]) & (numbers["role"] == "claim")
                            & (numbers["start"] < r.a_end) & (numbers["end"] > r.a_start)
                            & ((numbers["value"].abs() - abs(r.claimed)).abs()
                               <= VALUE_REL_TOL * max(1.0, abs(r.claimed)))]
        if len(hit):
            i = hit[0]
        else:
            i = len(numbers)
            numbers.loc[i, ["doc_id", "start", "end", "quote", "role"]] = [
                stem_of[r.doc], r.a_start, r.a_end, r.anchor, "claim"]
        numbers.at[i, "value"] = r.claimed
        for column, value in fields.items():
            numbers.at[i, column] = value

    for r in _locate(gold.prices, text_of).itertuples(index=False):
        if r.a_start < 0:
            continue
        window = BASIS_WINDOW.get((r.basis, r.kind), BASIS_WINDOW.get((r.basis, None), "close"))
        attach(r, {"ticker": r.ticker, "session": r.session, "window": window,
                   "listing": "HK" if r.basis == "hk" else "US", "verdict": r.expected,
                   "unit": _price_unit(r)})
    for r in _locate(gold.facts, text_of).itertuples(index=False):
        if r.a_start < 0:
            continue
        fields = {"ticker": r.ticker, "verdict": r.expected, "unit": r.unit}
        if not gold.has_metric and r.metric in FACT_METRIC_MAP:
            fields["metric"] = FACT_METRIC_MAP[r.metric]
        attach(r, fields)
    published = dict(zip(gold.dates["doc"], gold.dates["published"]))
    docs = pd.DataFrame({"doc_id": list(texts),
                         "published": [pd.Timestamp(published[doc_key(d, gold_docs)])
                                       if doc_key(d, gold_docs) in published else pd.NaT
                                       for d in texts]})
    return docs, numbers


def read_texts(folder: str | Path) -> dict[str, str]:
    """``{file stem: raw text}`` of a folder's article files (``.txt``, ``.md``, ``.html``),
    read as UTF-8 without any extraction; for :func:`gold_reading` on plain-text corpora."""
    folder = Path(folder)
    return {p.stem: p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(folder.iterdir())
            if p.is_file() and p.suffix.lower() in (".txt", ".md", ".html", ".htm")}


# --------------------------------------------------------------------------------------------
# evaluate several corpora
# --------------------------------------------------------------------------------------------
#: Type of a reader: folder of articles -> (docs, numbers, texts).
Runner = Callable[[Path], tuple[pd.DataFrame, pd.DataFrame, Mapping[str, str]]]


def default_run(path: str | Path):
    """Read and judge a folder of articles with the library: ``babaresearch.check.read_corpus``
    then :func:`babaresearch.verdicts.judge` (so ``numbers`` carries ``verdict`` and ``reason``).

    Raises
    ------
    EvaluationInputError
        ``babaresearch.reading.read_corpus`` does not exist (yet) in this installation.
    """
    try:
        from .check import read_corpus  # imported lazily: the scorer must not need the reader
    except ImportError as exc:
        raise EvaluationInputError(
            "babaresearch.reading.read_corpus(path) -> (docs, numbers, texts) is not available "
            f"({exc}); pass run=... to evaluate(), or install a babaresearch that has it"
        ) from exc
    from .verdicts import judge  # the check table: verdicts are scored too (issue 9)
    path = Path(path)
    docs, numbers, texts = read_corpus(path, dates=_user_sidecar(path))
    return docs, judge(docs, numbers), texts


def _user_sidecar(articles: Path) -> Path | None:
    """A sidecar for the documents the gold says cannot be dated from their text alone.

    ``dates.csv`` beside the articles marks them ``in_text = no`` (the shared corpus's r04 and
    r06): a user supplies such dates in a ``documents.csv`` sidecar, so the evaluation does the
    same, for those documents only. A folder with its own ``documents.csv`` is read as it is.
    """
    import csv
    import tempfile

    if (articles / "documents.csv").is_file():
        return None
    gold_dates = articles.parent / "dates.csv"
    if not gold_dates.is_file():
        return None
    with gold_dates.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get("in_text") or "").strip().lower() == "no"]
    if not rows:
        return None
    stems = {p.stem: p.stem for p in articles.iterdir() if p.is_file()}
    out = Path(tempfile.mkdtemp(prefix="babaresearch-sidecar-")) / "documents.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["doc_id", "published"])
        for r in rows:
            for stem in stems:
                if stem.split("_")[0] == r["doc"]:
                    w.writerow([stem, r["published"]])
    return out


@dataclass(frozen=True)
class CorpusSpec:
    """A corpus to evaluate: where its articles are and its gold."""

    name: str
    articles: Path
    gold: CorpusGold


def corpus_spec(name: str, where) -> CorpusSpec:
    """A :class:`CorpusSpec` from a corpus folder (``gold.csv`` + ``articles/``), an
    ``(articles_folder, CorpusGold)`` pair, or a :class:`CorpusSpec`."""
    if isinstance(where, CorpusSpec):
        return where
    if isinstance(where, tuple) and len(where) == 2 and isinstance(where[1], CorpusGold):
        return CorpusSpec(name, Path(where[0]), where[1])
    folder = Path(where)
    articles = folder / "articles" if (folder / "articles").is_dir() else folder
    return CorpusSpec(name, articles, load_gold(folder, name=name))


@dataclass
class Evaluation:
    """Scores of several corpora.

    Attributes
    ----------
    scores : dict
        corpus name -> :class:`Score` (absent for a corpus whose reading failed).
    table : DataFrame
        One row per corpus: every overall metric, ``seconds`` (reading time), ``failed``
        (the error message when the reading raised and ``keep_going`` was set, else "").
    """

    scores: dict[str, Score]
    table: pd.DataFrame

    def targets(self) -> pd.DataFrame:
        """PASS / FAIL / n/a of each corpus on each metric of :data:`TARGETS`."""
        out = pd.DataFrame(index=self.table.index)
        for metric in TARGETS:
            values = self.table[metric] if metric in self.table else [math.nan] * len(out)
            out[metric] = [target_status(metric, v) for v in values]
        return out

    def summary(self) -> str:
        return "\n\n".join(s.summary() for s in self.scores.values())

    def _repr_html_(self) -> str:
        return self.table.to_html(float_format=lambda v: f"{v:.3f}")


def evaluate(corpora: Mapping[str, object], run: Runner | None = None, *,
             keep_going: bool = False) -> Evaluation:
    """Read and score several corpora.

    Parameters
    ----------
    corpora : mapping
        name -> corpus folder, ``(articles_folder, CorpusGold)`` or :class:`CorpusSpec`.
    run : callable, optional
        ``run(articles_folder) -> (docs, numbers, texts)``; default :func:`default_run`. It
        receives the folder holding the article files (``<corpus>/articles``).
    keep_going : bool
        Record a corpus whose reading raises (``failed`` column) instead of raising.

    Returns
    -------
    Evaluation
    """
    import time

    run = default_run if run is None else run
    scores, rows = {}, []
    for name, where in corpora.items():
        spec = corpus_spec(name, where)
        started = time.perf_counter()
        try:
            docs, numbers, texts = run(spec.articles)
        except Exception as exc:  # noqa: BLE001 - recorded for the table when asked
            if not keep_going:
                raise
            rows.append(pd.DataFrame({"failed": [f"{type(exc).__name__}: {exc}"],
                                      "seconds": [time.perf_counter() - started]},
                                     index=pd.Index([name], name="corpus")))
            continue
        seconds = time.perf_counter() - started
        result = score(spec.gold, docs, numbers, texts)
        result.name = name
        scores[name] = result
        row = result.overall.copy()
        row.index = pd.Index([name], name="corpus")
        row["seconds"] = seconds
        row["failed"] = ""
        rows.append(row)
    table = pd.concat(rows) if rows else pd.DataFrame()
    if "failed" in table:
        table["failed"] = table["failed"].fillna("")
    return Evaluation(scores=scores, table=table)
