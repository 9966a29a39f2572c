"""Honest verdicts on every number of a corpus: the check table (issue 9).

:func:`judge` takes the numbers table of :func:`babaresearch.check.read_corpus` and adds, per
row, ``claimed`` (the figure as the article states it, in the measurement's unit),
``measured`` (what the data say, same unit; NaN when nothing was measured), ``verdict``
(``supported`` | ``contradicted`` | ``unverifiable`` | ``not a claim``), ``reason`` (a code of
:data:`REASONS`, never free text) and ``measured_evidence`` (one sentence for people).
:func:`check_documents` is ``read_corpus`` + ``judge``: one row per number found.

Price claims (metrics of :data:`babaresearch.reading.PRICE_METRICS`) are measured on the
unadjusted ``close`` of the named session: a move is ``close / previous close - 1`` in percent,
a year-to-date return ``close / last close of the previous calendar year - 1`` in percent, a
price level the close itself. Before NVIDIA's 10-for-1 split of 2024-06-10 a price is compared
as traded (ten times the split-adjusted close of the snapshot). The S&P 500 is measured on SPY
and the Nasdaq-100 on QQQ, as proxies (the band is widened, see :data:`PROXY_EXTRA_PP`).

Reported-figure claims are compared with :func:`babaresearch.fundamentals` rows of the same
ticker, metric, segment, fiscal period and basis (:data:`FACT_METRICS` maps the reader's metric
vocabulary onto the fundamentals' one).

Tolerances (:data:`TOLERANCES`; ``c`` the claimed magnitude, ``r`` half a unit in the claim's
last written digit, e.g. ``r = 0.005`` for "$118.51", ``0.5`` for "5%", ``0.05`` for "5.1%"):

=====================  ==================================================================
qualifier (kind)        accepted measurement (magnitudes; signs must agree)
=====================  ==================================================================
none                    ``c - r <= m <= c + r`` ("5%" = 4.5..5.5; "$118.51" to the cent)
about / around (approx) ``|m - c| <= max(w, r)``; ``w = max(0.5 pp, 10% of c)`` for moves
                        and returns, ``2% of c`` for prices, ``5% of c`` for reported amounts
nearly / almost         ``c - max(w, r) <= m <= c + r``
more than / over        ``m >= c`` (reported figures: ``m + r_fact >= c``)
less than / under       ``m <= c``
as much as / up to      a price move: the day's high / low, which daily closes do not give:
                        ``unverifiable`` (``intraday_needs_intraday_data``)
=====================  ==================================================================

Verdict policy: ``contradicted`` only when subject, metric, period or session, window and basis
are all pinned by explicit evidence (a stated date, weekday or relative session; a stated
fiscal period, or the latest quarter in a results article written on the release day; one
basis) and the measurement is outside the band. Anything less is ``unverifiable`` with its
reason: a false accusation is the worst error this library can make.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from .reading import PRICE_METRICS

# --------------------------------------------------------------------------------------------
# vocabulary
# --------------------------------------------------------------------------------------------
SUPPORTED = "supported"
CONTRADICTED = "contradicted"
UNVERIFIABLE = "unverifiable"
NOT_A_CLAIM = "not a claim"
#: Every verdict of the check table.
VERDICTS = (SUPPORTED, CONTRADICTED, UNVERIFIABLE, NOT_A_CLAIM)

#: Reason codes of the ``reason`` column, each with what it means (the README lists them with
#: an example each).
REASONS: dict[str, str] = {
    "measured": "a price claim measured on the named session's close (supported or contradicted)",
    "fact_confirms": "a reported figure of the same ticker, metric, segment, period and basis agrees",
    "fact_contradicts": "the reported figure is outside the claim's stated precision, everything pinned",
    "no_fact": "no reported figure of that metric / segment / period is held (or no share count "
               "for a market value)",
    "estimate_not_reported": "an analyst estimate or consensus figure, not a company figure",
    "forecast_pending": "a forecast of a period not yet reported by the article's date",
    "intraday_needs_intraday_data": "an intraday, pre-market, after-hours or 'as much as' figure: "
                                    "daily closes cannot settle it",
    "other_listing": "a Hong Kong listing figure (9988, HK$): not in the price data",
    "ambiguous_session": "the session is inferred from the article's date, not written, and the "
                         "measurement there does not agree",
    "ambiguous_period": "the fiscal period is not pinned (two readings of the label, or an "
                        "inferred quarter outside a results article) and the figure does not agree",
    "ambiguous_basis": "several bases or metrics (GAAP / non-GAAP, group / attributable) fit and "
                       "they do not all agree",
    "no_price_base": "the base close (previous year's last close, previous session) is before "
                     "the data",
    "no_price_data": "no price data for that security or session (peers, Nasdaq Composite, Hang "
                     "Seng, index levels, a filler bar)",
    "not_a_claim": "the number is not a claim (advert, identifier, date, quote widget ...)",
    "unknown_subject": "the claim's company or index is not identified",
    "ambiguous_subject": "the figure disagrees, and its sentence names another company or index "
                         "the figure may belong to",
    "no_session": "no session could be placed (no date, a weekend named, a future day)",
    "multi_day_span": "a return over a span whose start is not pinned",
    "currency_mismatch": "the claim's currency differs from the reported one (a US-dollar "
                         "translation of a yuan figure)",
    "sign_mismatch": "the size agrees but the direction does not (the reading of the sign is not "
                     "trusted enough to accuse)",
    "implausible_reading": "the gap is too large to be a misquote of this figure: most likely a "
                           "different quantity was read",
    "split_basis_unclear": "a pre-split NVIDIA price quoted in an article written after the split "
                           "matches neither the as-traded nor the split-adjusted close",
    "no_value": "the number has no value to compare",
    "matches_other_figure": "the figure disagrees with the fact it was read as but agrees with "
                            "another reported figure (another period, segment or metric): the "
                            "reading may have attached it to the wrong one",
}

#: Check-table columns added to :data:`babaresearch.check.NUMBER_COLUMNS`.
VERDICT_COLUMNS = ("claimed", "measured", "verdict", "reason", "measured_evidence")

#: Sessions named by explicit evidence (a contradiction may rest on them).
PINNED_SESSIONS = frozenset({"stated_date", "weekday", "relative", "next_day", "release"})
#: Fiscal periods pinned by the text itself (``latest_reported`` & co. are pinned only in a
#: results article written on, or the day after, the release).
PINNED_PERIODS = frozenset({"stated", "quarter_end", "fiscal_year", "calendar_quarter"})
#: Inferred periods, pinned in a results article published within this many days of the release.
RELEASE_DAY_SLACK = 1

#: Index names measured on an ETF proxy.
INDEX_PROXIES = {"S&P 500": "SPY", "S&P500": "SPY", "SPX": "SPY", "Nasdaq-100": "QQQ",
                 "Nasdaq 100": "QQQ", "NDX": "QQQ"}
#: Extra band for a proxy: daily tracking difference (pp) and, for YTD, the dividends an ETF's
#: price return leaves out (pp).
PROXY_EXTRA_PP = {"move": 0.1, "ytd": 1.5}
#: NVIDIA's 10-for-1 split (first split-adjusted session).
NVDA_SPLIT = pd.Timestamp("2024-06-10")
NVDA_SPLIT_RATIO = 10.0

#: Widths of 'about' (:data:`TOLERANCES` in words).
APPROX_MOVE_PP = 0.5
APPROX_MOVE_REL = 0.10
APPROX_PRICE_REL = 0.02
APPROX_AMOUNT_REL = 0.05
#: Plausibility guards for a contradiction (beyond them: ``implausible_reading``).
MAX_PRICE_GAP_REL = 0.20
MAX_MOVE_GAP_PP = 3.0
MAX_MOVE_GAP_REL = 0.5
MAX_FACT_RATIO = 2.0
MAX_RATE_GAP_PP = 15.0
_EPS = 1e-9

#: How each qualifier kind is read, for the README and :func:`tolerance_table`.
TOLERANCES = (
    ("", "none", "c - r <= m <= c + r", '"5%" vs 4.6% supported, vs 4.4% contradicted; '
     '"$118.51" vs close 118.42 contradicted'),
    ("approx", "about, around, roughly, approximately, some, ~",
     "|m - c| <= max(w, r); w = max(0.5 pp, 10% of c) for moves/YTD, 2% of c for prices, "
     "5% of c for reported amounts",
     '"about 0.5%" accepts 0.0..1.0%; "about $135" accepts 132.30..137.70'),
    ("nearly", "nearly, almost, just under", "c - max(w, r) <= m <= c + r",
     '"nearly 17%" vs -16.97% supported; "nearly 3%" accepts 2.5..3.5%'),
    ("lower", "more than, over, above, at least", "m >= c (a fact: m + r_fact >= c)",
     '"over 2%" vs +2.44% supported'),
    ("upper", "less than, under, up to, at most", "m <= c", '"less than 0.1%" vs 0.05% supported'),
    ("extreme", "as much as (a move)", "needs the day's high/low: unverifiable",
     '"as much as 4.5%" -> intraday_needs_intraday_data'),
)


def tolerance_table() -> pd.DataFrame:
    """The tolerance rules as a table (``kind, words, accepted, example``)."""
    return pd.DataFrame(list(TOLERANCES), columns=["kind", "words", "accepted", "example"])


# --------------------------------------------------------------------------------------------
# price data (loaded once per ticker and source)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Bars:
    ticker: str
    dates: np.ndarray          # datetime64[ns], sorted
    close: np.ndarray
    high: np.ndarray
    low: np.ndarray
    index: dict                # Timestamp -> position
    year_end: dict             # year -> position of the year's last session


@lru_cache(maxsize=32)
def _bars(ticker: str, source: str) -> _Bars | None:
    from .prices import load_prices
    try:
        frame = load_prices(ticker, source=source, filler="missing")
    except Exception:  # noqa: BLE001 - no data for that ticker: the verdict says so
        return None
    if frame.empty:
        return None
    dates = pd.to_datetime(frame["date"]).to_numpy()
    stamps = pd.DatetimeIndex(dates)
    index = {d: i for i, d in enumerate(stamps)}
    years = stamps.year.to_numpy()
    year_end = {int(y): int(np.flatnonzero(years == y)[-1]) for y in np.unique(years)}
    return _Bars(ticker, dates, frame["close"].to_numpy(float), frame["high"].to_numpy(float),
                 frame["low"].to_numpy(float), index, year_end)


@lru_cache(maxsize=1)
def _snapshot_tickers() -> frozenset[str]:
    from .prices import snapshot_info
    try:
        info = snapshot_info()
        names = info["ticker"] if "ticker" in getattr(info, "columns", []) else info.index
        return frozenset(str(t) for t in names)
    except Exception:  # noqa: BLE001
        return frozenset({"BABA", "NVDA", "SPY", "QQQ", "KWEB", "FXI", "MCHI"})


# --------------------------------------------------------------------------------------------
# fundamentals (loaded once per source)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Fact:
    ticker: str
    fiscal_period: str
    metric: str
    segment: str
    basis: str
    value: float
    unit: str
    precision: float
    yoy: float
    release: pd.Timestamp | None


@lru_cache(maxsize=4)
def _facts(source: str) -> tuple[dict, dict, dict]:
    """``(by key, by (ticker, metric), release day of (ticker, period))``."""
    from .fundamentals import fundamentals
    frame = fundamentals(source=source if source in ("snapshot", "cache", "auto") else "snapshot")
    by_key: dict[tuple, list[_Fact]] = {}
    by_metric: dict[tuple, list[_Fact]] = {}
    for r in frame.itertuples(index=False):
        rel = None if pd.isna(r.release_date) else pd.Timestamp(r.release_date)
        fact = _Fact(r.ticker, r.fiscal_period, r.metric, r.segment or "", r.basis or "",
                     float(r.value), r.unit, float(r.precision), float(r.yoy_pct), rel)
        by_key.setdefault((r.ticker, r.metric, r.fiscal_period, fact.segment.casefold()), []).append(fact)
        by_metric.setdefault((r.ticker, r.metric), []).append(fact)
    releases = {}
    try:
        from .earnings import earnings_calendar
        for ticker in ("BABA", "NVDA"):
            cal = earnings_calendar(ticker)
            for fp, day in zip(cal["fiscal_period"], cal["release_date"]):
                releases[(ticker, str(fp))] = pd.Timestamp(day)
    except Exception:  # noqa: BLE001 - without a calendar no inferred period is pinned
        pass
    return by_key, by_metric, releases


#: Reader metric -> (fundamentals metric candidates, what is compared: ``value`` or ``yoy``).
FACT_METRICS: dict[str, tuple[tuple[str, ...], str]] = {
    "revenue": (("revenue",), "value"),
    "revenue_growth": (("revenue",), "yoy"),
    "net_income": (("net_income", "net_income_attributable"), "value"),
    "net_income_growth": (("net_income", "net_income_attributable"), "yoy"),
    "eps": (("eps_diluted",), "value"),
    "eps_growth": (("eps_diluted",), "yoy"),
    "gross_margin": (("gross_margin",), "value"),
    "free_cash_flow": (("free_cash_flow",), "value"),
    "capex": (("capex", "capex_trailing_4q"), "value"),
    "capex_growth": (("capex",), "yoy"),
    "investment": (("capex_plan",), "value"),
    "capex_plan": (("capex_plan",), "value"),
    "buyback_authorization": (("buyback_authorization",), "value"),
    "revenue_guidance": (("revenue_guidance",), "value"),
    "consecutive_quarters": (("ai_revenue_streak",), "value"),
    "revenue_guidance_range": (("revenue_guidance_range_pct",), "value"),
    "units_shipped": (("chip_shipments",), "value"),
    "operating_income": (("adjusted_ebita",), "value"),
    "operating_income_growth": (("adjusted_ebita",), "yoy"),
}
#: Reader level metrics whose percent figures are growth rates ("revenue $57.0 billion +62%").
GROWTH_OF = {"revenue": "revenue_growth", "net_income": "net_income_growth", "eps": "eps_growth",
             "operating_income": "operating_income_growth", "capex": "capex_growth"}
#: Reader metrics judged only for support: their reading is too loose to accuse.
SUPPORT_ONLY = frozenset({"investment", "other"})
#: Fundamentals metrics with a single segment family (the segment the reader gives is ignored).
SEGMENT_FREE = frozenset({"ai_revenue_streak", "capex_plan", "chip_shipments", "chip_customers"})
#: A figure is evidence of a misattached number only when stated this precisely (relative).
OTHER_FIGURE_MAX_PRECISION = 0.01
#: A claim stated this precisely (half-unit / value) that equals the same metric's figure of an
#: adjacent quarter is supported when its own period was only inferred.
SAME_METRIC_MAX_PRECISION = 0.005
#: Quarters around the claim's period searched for the same figure before a contradiction.
NEARBY_QUARTERS = (-4, -1, 0, 1)
_ESTIMATE_AFTER = re.compile(r"^\W{0,3}(?:\w+\s+){0,2}?(?:analysts?|the\s+street|wall\s+street|"
                             r"consensus)\b(?:\s+\w+){0,2}?\s+(?:expected|expect|had|forecast|"
                             r"estimated|projected|pencil+ed|predicted|were|polled)", re.I)
#: Fundamentals metrics announced at a date rather than reported for a quarter: the claim is
#: compared with the latest announcement on or before the article's date.
ANNOUNCED_METRICS = frozenset({"capex_plan", "buyback_authorization", "revenue_guidance",
                               "revenue_guidance_range_pct", "chip_shipments"})
#: Metrics whose basis (GAAP / non-GAAP) matters: a contradiction needs a basis cue or every
#: basis to disagree.
BASIS_METRICS = frozenset({"eps_diluted", "gross_margin", "net_income"})
#: Metrics whose sign is a statement (outflow / loss): a sign error may be contradicted.
SIGNED_FACT_METRICS = frozenset({"free_cash_flow", "net_income", "net_income_attributable"})
_SIGN_CUE = re.compile(r"\b(?:outflow|inflow|loss|losses|profit|negative|positive)\b", re.I)
_NON_GAAP_CUE = re.compile(r"\b(?:non-?\s?GAAP|adjusted)\b", re.I)
_GAAP_CUE = re.compile(r"(?<!non-)(?<!non )\bGAAP\b", re.I)
_EBITA_CUE = re.compile(r"\bEBITA\b", re.I)
_TRAILING_CUE = re.compile(r"\b(?:past|last|trailing)\s+(?:four|4|twelve|12)\s+(?:quarters|months)\b", re.I)
#: Sentence cues that the figure is on another basis than the reported GAAP / y/y one.
_OTHER_BASIS_CUE = re.compile(
    r"\b(?:like[- ]for[- ]like|constant[- ]currency|organic|excluding|ex-|pro[- ]forma|"
    r"non-?\s?GAAP|adjusted|sequential(?:ly)?|quarter[- ](?:over|on)[- ]quarter|q/q|qoq|"
    r"month[- ](?:over|on)[- ]month)\b", re.I)
#: Sentence cues of a span other than one quarter.
_OTHER_SPAN_CUE = re.compile(
    r"\b(?:full[- ]year|annual(?:ly|ized)?|fiscal[- ]year|for\s+the\s+year|twelve\s+months|"
    r"12\s+months|first\s+half|second\s+half|six\s+months|nine\s+months|year[- ]to[- ]date|"
    r"cumulative(?:ly)?|to\s+date|over\s+(?:the\s+)?(?:next|past|last)\s+\w+\s+years?)\b", re.I)
#: Sentence cues of a Hong Kong listing or an extended-hours / intraday figure the reading may
#: have missed: a price claim is never accused next to them.
_HK_CUE = re.compile(r"\bHong\s+Kong\b|\bHK\$|\bHKD\b|\b9988\b|\bHang\s+Seng\b", re.I)
_SESSION_PART_CUE = re.compile(
    r"\b(?:after[- ]hours|after\s+the\s+(?:closing\s+)?bell|extended\s+trading|pre-?market|"
    r"premarket|before\s+the\s+(?:opening\s+)?bell|intraday|early\s+trading|midday|"
    r"in\s+morning\s+trading|afternoon\s+trading|as\s+of\s+\d|at\s+one\s+point|session\s+(?:high|low))\b",
    re.I)
#: Segment words: a claim the reader gives to the company total is not pinned when its
#: sentence names one of these.
_SEGMENT_WORDS = {
    "BABA": re.compile(r"\b(?:cloud|taobao|tmall|international|aidc|cainiao|local\s+services|"
                       r"ele\.me|amap|digital\s+media|sun\s+art|intime|quick\s+commerce|"
                       r"customer\s+management|t-head|segment|unit|division|group's)\b", re.I),
    "NVDA": re.compile(r"\b(?:data\s+cent(?:er|re)|gaming|professional\s+visuali[sz]ation|"
                       r"automotive|networking|compute|edge|hyperscale|segment|unit|division)\b", re.I),
}
_NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CURRENCIES = frozenset({"USD", "CNY", "HKD", "EUR", "JPY", "GBP", "TWD", "KRW", "INR"})


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        pass
    return isinstance(value, str) and not value.strip()


def _text(value) -> str:
    return "" if _blank(value) else str(value)


def _int(value, default=0) -> int:
    try:
        if _blank(value):
            return default
        return int(value)
    except (TypeError, ValueError):
        return default


def _written_scale(quote: str, value: float) -> float:
    """``|value| / number as written`` ("$46.7 billion" -> 1e9; "67 cents" -> 0.01)."""
    m = _NUMBER_RE.search(quote or "")
    if not m:
        return 1.0
    try:
        written = float(m.group(0).replace(",", ""))
    except ValueError:
        return 1.0
    if written == 0 or value == 0:
        return 1.0
    scale = abs(value) / written
    # snap to a power of ten (billion, million, cents); anything else is a percent or a ratio
    power = round(math.log10(scale)) if scale > 0 else 0
    return 10.0 ** power if abs(scale / 10.0 ** power - 1) < 1e-6 else 1.0


def _rounding(decimals: int, scale: float = 1.0) -> float:
    """Half a unit in the last written digit."""
    return 0.5 * 10.0 ** -max(decimals, 0) * scale


def _decimals_of(x: float) -> int:
    text = repr(float(x))
    if "e" in text or "." not in text:
        return 0
    frac = text.split(".", 1)[1].rstrip("0")
    return len(frac)


def _is_extreme(qualifier: str) -> bool:
    q = qualifier.casefold()
    return "as much as" in q or "as high as" in q or "as low as" in q or q.startswith("up to")


def _pct(x: float) -> str:
    return f"{x:+.2f}%"


def _money(x: float, unit: str = "USD") -> str:
    sign = "-" if x < 0 else ""
    x = abs(x)
    for div, word in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if x >= div:
            return f"{sign}{unit} {x / div:,.3f}{word}"
    return f"{sign}{unit} {x:,.2f}" if x < 1e4 else f"{sign}{unit} {x:,.0f}"


# --------------------------------------------------------------------------------------------
# bands
# --------------------------------------------------------------------------------------------
def band(claimed: float, kind: str, qualifier_kind: str, rounding: float, *,
         extra: float = 0.0) -> tuple[float, float]:
    """Accepted interval of the measured magnitude for a claimed magnitude.

    Parameters
    ----------
    claimed : float
        Claimed magnitude (>= 0), in the measurement's unit (percent for moves/YTD, currency
        for prices and amounts).
    kind : {"move", "price", "amount", "rate"}
        What is compared: a move or YTD return in percent, a price level, a reported amount, a
        reported rate (growth or margin, percent).
    qualifier_kind : str
        ``""``, ``approx``, ``nearly``, ``lower`` or ``upper``.
    rounding : float
        Half a unit in the claim's last written digit (same unit).
    extra : float
        Added on both sides (proxy tracking, the fact's own precision).

    Returns
    -------
    (float, float)
        ``(low, high)``, inclusive; ``high`` may be ``inf``.

    Examples
    --------
    >>> band(5.0, "move", "", 0.5)
    (4.5, 5.5)
    >>> band(0.5, "move", "approx", 0.05)
    (0.0, 1.0)
    """
    c = abs(claimed)
    if kind in ("move", "rate"):
        width = max(APPROX_MOVE_PP, APPROX_MOVE_REL * c)
    elif kind == "price":
        width = APPROX_PRICE_REL * c
    else:
        width = APPROX_AMOUNT_REL * c
    width = max(width, rounding)
    if qualifier_kind == "approx":
        lo, hi = c - width, c + width
    elif qualifier_kind == "nearly":
        lo, hi = c - width, c + rounding
    elif qualifier_kind == "lower":
        lo, hi = c, math.inf
    elif qualifier_kind == "upper":
        lo, hi = 0.0, c
    else:
        lo, hi = c - rounding, c + rounding
    return max(lo - extra, 0.0) if lo > 0 else lo - extra, hi + extra


def _inside(m: float, lo: float, hi: float) -> bool:
    tol = _EPS * max(1.0, abs(m))
    return lo - tol <= m <= hi + tol


# --------------------------------------------------------------------------------------------
# one verdict
# --------------------------------------------------------------------------------------------
@dataclass
class Judgement:
    """One row's verdict (the five :data:`VERDICT_COLUMNS`)."""

    claimed: float
    measured: float
    verdict: str
    reason: str
    measured_evidence: str


def _u(claimed, reason, text, measured=math.nan) -> Judgement:
    return Judgement(claimed, measured, UNVERIFIABLE, reason, text)


def _price_subject(row) -> tuple[str | None, str, str]:
    """``(data ticker or None, how, reason if None)``."""
    ticker = _text(row.get("ticker")).strip()
    kind = _text(row.get("entity_kind"))
    if not ticker:
        return None, "", "unknown_subject"
    if ticker in INDEX_PROXIES:
        return INDEX_PROXIES[ticker], "proxy", ""
    if ticker in _snapshot_tickers() and kind not in ("private", "government"):
        return ticker, "direct", ""
    if kind in ("unknown", "private", "government"):
        return None, "", "unknown_subject" if kind == "unknown" else "no_price_data"
    if ticker in _snapshot_tickers():
        return ticker, "direct", ""
    return None, "", "no_price_data"


def _other_company(row) -> str:
    """A company or index other than the claim's named in its sentence ('' if none): the number
    may be that one's, so a mismatch is not an accusation."""
    from .profiles import entity_mentions
    ticker = _text(row.get("ticker"))
    proxy = INDEX_PROXIES.get(ticker, ticker)
    for m in entity_mentions(_text(row.get("evidence"))):
        e = m.entity
        if e.kind == "segment" and (e.ticker == ticker or e.parent == ticker):
            continue
        ids = {e.id, e.ticker, INDEX_PROXIES.get(e.id, e.id)}
        if ticker in ids or proxy in ids or e.kind in ("government",):
            continue
        return e.name or e.id
    return ""


def _judge_price(row: Mapping, source: str, settle_intraday: bool) -> Judgement:
    j = _judge_price_on(row, source, settle_intraday)
    if j.verdict == CONTRADICTED:
        other = _other_company(row)
        if other:
            return _u(j.claimed, "ambiguous_subject", j.measured_evidence.rstrip(".: ") +
                      f"; the sentence also names {other}, so the figure may be its.", j.measured)
        evidence = _text(row.get("evidence"))
        if _HK_CUE.search(evidence) and _text(row.get("ticker")) == "BABA":
            return _u(j.claimed, "other_listing", j.measured_evidence.rstrip(".: ") + "; the "
                      "sentence speaks of the Hong Kong listing too, so it is not accused.", j.measured)
        if _SESSION_PART_CUE.search(evidence):
            return _u(j.claimed, "intraday_needs_intraday_data", j.measured_evidence.rstrip(".: ")
                      + "; the sentence names an intraday or extended-hours moment, so it is "
                      "not accused.", j.measured)
    if j.reason == "ambiguous_session" and _text(row.get("session_how")) == "article_date" \
            and not _blank(row.get("published")) and not _blank(row.get("session")):
        # the session was inferred: the article's own day is the other reading (written after
        # that day's close); a claim that fits it there is supported, never contradicted
        day = pd.Timestamp(row["published"]).normalize()
        if day != pd.Timestamp(row["session"]).normalize():
            alt = _judge_price_on({**row, "session": day, "session_how": "article_day"}, source,
                                  settle_intraday)
            if alt.verdict == SUPPORTED:
                return Judgement(alt.claimed, alt.measured, SUPPORTED, "measured",
                                 alt.measured_evidence + " (on the article's own day: the "
                                 "session is not written)")
    return j


def _judge_price_on(row: Mapping, source: str, settle_intraday: bool) -> Judgement:
    value = float(row["value"])
    metric = row["metric"]
    claimed = value
    quote = _text(row.get("quote"))
    if _text(row.get("unit")).upper() == "HKD" or _text(row.get("listing")) == "HK":
        return _u(claimed, "other_listing", "A Hong Kong listing figure; only the US listing's "
                  "prices are in the data.")
    if bool(row.get("estimate")):
        return _u(claimed, "estimate_not_reported", "An analyst estimate, not a traded price.")
    forecast = bool(row.get("forecast"))
    if forecast and not _past_session(row):
        return _u(claimed, "forecast_pending", "A forecast of a price, not a traded one.")
    ticker, how, why = _price_subject(row)
    name = _text(row.get("ticker")) or _text(row.get("subject")) or "the subject"
    if ticker is None:
        return _u(claimed, why, f"No price data for {name}." if why == "no_price_data"
                  else "The security the claim is about is not identified.")
    if metric == "market_cap_change" and _text(row.get("unit")) == "%":
        # a day's change of market value in percent is the price move (same share count)
        metric = "price_move"
        row = {**row, "metric": metric}
    if metric in ("market_cap", "market_cap_change"):
        return _u(claimed, "no_fact", f"A market value of {name}: the data hold no share counts.")
    if metric == "index_level" or (how == "proxy" and metric == "share_price"):
        return _u(claimed, "no_price_data", f"An index level of {name}: the ETF proxy "
                  f"{ticker} gives moves, not the index's level.")
    window = _text(row.get("window"))
    qualifier = _text(row.get("qualifier"))
    if window in ("intraday", "premarket", "after-hours") or (
            _is_extreme(qualifier) and metric in ("price_move", "index_move")):
        return _judge_intraday(row, ticker, source, settle_intraday, how)
    if window == "multi-day" or metric == "multi_day_return":
        return _u(claimed, "multi_day_span", "A return over a span whose first session is not "
                  "pinned.")
    session = row.get("session")
    if _blank(session):
        return _u(claimed, "no_session", f"No session placed ({_text(row.get('session_how')) or 'none named'}).")
    session = pd.Timestamp(session)
    bars = _bars(ticker, source)
    if bars is None or session not in bars.index:
        return _u(claimed, "no_price_data", f"No {ticker} bar for {session.date()}.")
    i = bars.index[session]
    close = bars.close[i]
    if not np.isfinite(close):
        return _u(claimed, "no_price_data", f"{ticker} {session.date()} is a filler bar (no data).")
    proxy_note = f" ({ticker} as a proxy for the {name})" if how == "proxy" else ""
    decimals = _int(row.get("decimals"))
    qkind = _text(row.get("qualifier_kind"))
    if qkind not in ("approx", "nearly", "lower", "upper"):
        qkind = ""
    pinned_session = _text(row.get("session_how")) in PINNED_SESSIONS
    if metric in ("price_move", "index_move"):
        if i == 0 or not np.isfinite(bars.close[i - 1]):
            return _u(claimed, "no_price_base", f"No {ticker} close before {session.date()} in the data.")
        prev = bars.close[i - 1]
        measured = (close / prev - 1.0) * 100.0
        prev_day = pd.Timestamp(bars.dates[i - 1]).date()
        text = (f"{ticker}{proxy_note} {session.date()}: close {close:.2f} / previous close "
                f"{prev:.2f} ({prev_day}) = {_pct(measured)}")
        def move_at(fits, _b=bars, _i=i):
            return _neighbour_fits(_b, _i, lambda j: j > 0 and fits((_b.close[j] / _b.close[j - 1] - 1) * 100))
        j = _compare_move(claimed, measured, qkind, _rounding(decimals), "move", how,
                          pinned_session and not forecast, text, move_at)
        return _forecast_guard(j, forecast)
    if metric == "ytd_return":
        base_pos = bars.year_end.get(session.year - 1)
        first = pd.Timestamp(bars.dates[0])
        if base_pos is None:
            return _u(claimed, "no_price_base", f"The {session.year - 1} year-end close is before "
                      f"the data ({ticker} starts {first.date()}).")
        base_day = pd.Timestamp(bars.dates[base_pos])
        if base_day.month != 12 or base_day.day < 24:
            return _u(claimed, "no_price_base", f"No {ticker} close in the last days of "
                      f"{session.year - 1} ({base_day.date()}).")
        base = bars.close[base_pos]
        measured = (close / base - 1.0) * 100.0
        text = (f"{ticker}{proxy_note} year to date at the {session.date()} close: {close:.2f} / "
                f"{base_day.date()} close {base:.2f} = {_pct(measured)}")
        def ytd_at(fits, _b=bars, _i=i, _base=base):
            return _neighbour_fits(_b, _i, lambda j: pd.Timestamp(_b.dates[j]).year == session.year
                                   and fits((_b.close[j] / _base - 1) * 100))
        j = _compare_move(claimed, measured, qkind, _rounding(decimals), "ytd", how,
                          pinned_session and not forecast, text, ytd_at)
        return _forecast_guard(j, forecast)
    if metric == "share_price":
        j = _compare_price(row, ticker, session, close, qkind, decimals,
                           pinned_session and not forecast, bars, i)
        return _forecast_guard(j, forecast)
    return _u(claimed, "no_price_data", f"No price measurement for the metric {metric!r}.")


def _past_session(row) -> bool:
    """A pinned session on or before the article's day: a reported price, whatever the
    forecast cues of its sentence (the judgement may support it, never contradict it)."""
    session, published = row.get("session"), row.get("published")
    if _blank(session) or _blank(published) or _text(row.get("session_how")) not in PINNED_SESSIONS:
        return False
    return pd.Timestamp(session).normalize() <= pd.Timestamp(published).normalize()


def _neighbour_fits(bars: _Bars, i: int, fits) -> pd.Timestamp | None:
    """The session next to ``i`` (before or after) where ``fits(pos)`` holds, or None."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(bars.dates):
            try:
                if fits(j):
                    return pd.Timestamp(bars.dates[j])
            except (IndexError, ZeroDivisionError):
                continue
    return None


def _compare_move(claimed, measured, qkind, rounding, kind, how, pinned_session, text,
                  neighbour=None) -> Judgement:
    extra = PROXY_EXTRA_PP[kind] if how == "proxy" else 0.0
    lo, hi = band(abs(claimed), "move", qkind, rounding, extra=extra)
    rule = "" if qkind == "" else f" ({qkind})"
    sign_ok = claimed == 0 or measured == 0 or (claimed > 0) == (measured > 0) or abs(measured) < rounding
    inside = _inside(abs(measured), lo, hi) and (sign_ok or abs(claimed) <= rounding)
    accepted = f"accepted {lo:.2f}..{hi:.2f}%" if math.isfinite(hi) else f"accepted >= {lo:.2f}%"
    if inside:
        return Judgement(claimed, measured, SUPPORTED, "measured", f"{text}; claim {claimed:+g}%{rule}, {accepted}.")
    if not sign_ok:
        return _u(claimed, "sign_mismatch", f"{text}; the claim {claimed:+g}% goes the other way.", measured)
    if not pinned_session:
        return _u(claimed, "ambiguous_session", f"{text} on the session inferred from the "
                  f"article's date; claim {claimed:+g}%{rule} ({accepted}) may be about another session.",
                  measured)
    if neighbour is not None:
        other = neighbour(lambda m: _inside(abs(m), lo, hi) and (claimed > 0) == (m > 0))
        if other is not None:
            return _u(claimed, "ambiguous_session", f"{text}; the claim {claimed:+g}% fits the "
                      f"next session over ({other.date()}): the session may be misplaced.", measured)
    gap = abs(abs(measured) - abs(claimed))
    if gap > max(MAX_MOVE_GAP_PP, MAX_MOVE_GAP_REL * abs(claimed)):
        return _u(claimed, "implausible_reading", f"{text}; claim {claimed:+g}% is too far off to "
                  "be a misquote of this move.", measured)
    return Judgement(claimed, measured, CONTRADICTED, "measured",
                     f"{text}; claim {claimed:+g}%{rule} is outside ({accepted}).")


def _forecast_guard(j: Judgement, forecast: bool) -> Judgement:
    if forecast and j.verdict == UNVERIFIABLE and j.reason == "ambiguous_session":
        return _u(j.claimed, "forecast_pending", j.measured_evidence + " (Its sentence reads as "
                  "a forecast.)", j.measured)
    return j


def _compare_price(row, ticker, session, close, qkind, decimals, pinned_session, bars=None,
                   i=None) -> Judgement:
    claimed = float(row["value"])
    rounding = _rounding(decimals)
    lo, hi = band(claimed, "price", qkind, rounding)
    published = row.get("published")
    published = None if _blank(published) else pd.Timestamp(published)
    candidates = [(close, "close")]
    split_note = ""
    if ticker == "NVDA" and session < NVDA_SPLIT:
        traded = close * NVDA_SPLIT_RATIO
        if published is not None and published < NVDA_SPLIT:
            candidates = [(traded, "as traded before the 10-for-1 split of 2024-06-10 (10 x the "
                                   f"split-adjusted {close:.3f})")]
        else:
            candidates = [(traded, "as traded before the 2024-06-10 split (10 x the split-adjusted "
                                   f"{close:.3f})"), (close, "split-adjusted close")]
        split_note = "pre-split"
    rule = "" if qkind == "" else f" ({qkind})"
    accepted = f"accepted {lo:.2f}..{hi:.2f}" if math.isfinite(hi) else f"accepted >= {lo:.2f}"
    for measured, how in candidates:
        if _inside(measured, lo, hi):
            return Judgement(claimed, measured, SUPPORTED, "measured",
                             f"{ticker} {session.date()} close {measured:.2f} ({how}); claim "
                             f"${claimed:g}{rule}, {accepted}.")
    measured, how = candidates[0]
    text = f"{ticker} {session.date()} close {measured:.2f} ({how}); claim ${claimed:g}{rule}, {accepted}"
    if split_note and len(candidates) > 1:
        return _u(claimed, "split_basis_unclear", text + "; neither the as-traded nor the "
                  "split-adjusted close agrees.", measured)
    if not pinned_session:
        return _u(claimed, "ambiguous_session", text + "; the session is inferred from the "
                  "article's date.", measured)
    if bars is not None:
        factor = NVDA_SPLIT_RATIO if split_note else 1.0
        other = _neighbour_fits(bars, i, lambda j: _inside(bars.close[j] * (
            factor if pd.Timestamp(bars.dates[j]) < NVDA_SPLIT else 1.0), lo, hi))
        if other is not None:
            return _u(claimed, "ambiguous_session", text + f"; the claim fits the close of the "
                      f"next session over ({other.date()}): the session may be misplaced.", measured)
    if abs(claimed / measured - 1.0) > MAX_PRICE_GAP_REL:
        return _u(claimed, "implausible_reading", text + "; too far off to be a misquote of "
                  "this close.", measured)
    return Judgement(claimed, measured, CONTRADICTED, "measured", text + ": outside.")


def _judge_intraday(row, ticker, source, settle, how) -> Judgement:
    claimed = float(row["value"])
    window = _text(row.get("window")) or "intraday"
    qualifier = _text(row.get("qualifier"))
    what = f"'{qualifier}' move" if _is_extreme(qualifier) else f"{window} figure"
    session = row.get("session")
    note = ""
    bars = _bars(ticker, source)
    if not _blank(session) and bars is not None and pd.Timestamp(session) in bars.index:
        i = bars.index[pd.Timestamp(session)]
        hi, lo = bars.high[i], bars.low[i]
        if i > 0 and np.isfinite(hi) and np.isfinite(lo) and np.isfinite(bars.close[i - 1]):
            prev = bars.close[i - 1]
            hi_pct, lo_pct = (hi / prev - 1) * 100, (lo / prev - 1) * 100
            note = (f" The {pd.Timestamp(session).date()} bar ranged {lo:.2f}..{hi:.2f} "
                    f"({_pct(lo_pct)}..{_pct(hi_pct)} on the previous close {prev:.2f}).")
            if settle and window == "intraday" and how == "direct":
                j = _settle_intraday(row, claimed, lo, hi, lo_pct, hi_pct, note)
                if j is not None:
                    return j
    return _u(claimed, "intraday_needs_intraday_data",
              f"An {what}: daily closes cannot settle it.{note}")


def _settle_intraday(row, claimed, lo, hi, lo_pct, hi_pct, note) -> Judgement | None:
    """With ``settle_intraday``: an intraday level inside the day's range, or an 'as much as'
    move equal to the day's extreme at the claim's precision, is supported."""
    decimals = _int(row.get("decimals"))
    r = _rounding(decimals)
    metric = row["metric"]
    if metric == "share_price" and lo - r <= claimed <= hi + r:
        return Judgement(claimed, claimed, SUPPORTED, "measured",
                         f"An intraday level inside the day's range.{note}")
    if metric in ("price_move", "index_move") and _is_extreme(_text(row.get("qualifier"))):
        extreme = hi_pct if claimed > 0 else lo_pct
        if abs(abs(extreme) - abs(claimed)) <= r + _EPS:
            return Judgement(claimed, extreme, SUPPORTED, "measured",
                             f"The day's extreme matches the claim.{note}")
    return None


# --------------------------------------------------------------------------------------------
# facts
# --------------------------------------------------------------------------------------------
def _period_pinned(row, fiscal_period: str, releases: dict) -> bool:
    how = _text(row.get("fiscal_period_how"))
    if bool(row.get("period_ambiguous")):
        return False
    if how in PINNED_PERIODS:
        return True
    if how in ("latest_reported", "latest_with_number", "relative", "prior_year"):
        label = fiscal_period
        if how == "prior_year" and len(label) == 8:
            label = f"FY{int(label[2:6]) + 1}{label[6:]}"
        rel = releases.get((row["ticker"], label))
        published = row.get("published")
        if rel is None or _blank(published):
            return False
        days = (pd.Timestamp(published).normalize() - rel.normalize()).days
        return 0 <= days <= RELEASE_DAY_SLACK
    return False


def _left_context(row, width: int = 90) -> str:
    evidence = _text(row.get("evidence"))
    quote = _text(row.get("quote"))
    pos = evidence.find(quote) if quote else -1
    if pos < 0:
        return evidence
    return evidence[max(0, pos - width):pos + len(quote)]


def _fact_candidates(row, metrics: tuple[str, ...], fiscal_period: str, by_key, by_metric) -> list[_Fact]:
    ticker = row["ticker"]
    segment = _text(row.get("segment")).casefold()
    out: list[_Fact] = []
    published = row.get("published")
    published = None if _blank(published) else pd.Timestamp(published).normalize()
    for metric in metrics:
        if metric in ANNOUNCED_METRICS and _text(row.get("fiscal_period_how")) != "stated":
            pool = [f for f in by_metric.get((ticker, metric), [])
                    if f.release is not None and published is not None and f.release <= published
                    and (f.segment.casefold() == segment or metric in SEGMENT_FREE)]
            if pool:
                latest = max(f.release for f in pool)
                out.extend(f for f in pool if f.release == latest)
            continue
        if metric in SEGMENT_FREE:
            out.extend(f for f in by_metric.get((ticker, metric), []) if f.fiscal_period == fiscal_period)
        else:
            out.extend(by_key.get((ticker, metric, fiscal_period, segment), []))
    return out


def _shift_label(label: str, step: int) -> str | None:
    if len(label) != 8 or label[6] != "Q":
        return None
    n = int(label[2:6]) * 4 + int(label[7]) - 1 + step
    return f"FY{n // 4}Q{n % 4 + 1}"


def _matches_elsewhere(ticker: str, claimed: float, unit: str, compare: str, qkind: str,
                       r_claim: float, fiscal_period: str, by_metric: dict, skip: list) -> _Fact | None:
    """A reported figure of the ticker near the claim's period (any metric, segment or basis)
    that the claim agrees with: a sign the reading attached the number to the wrong fact."""
    periods = {p for p in (_shift_label(fiscal_period, k) for k in NEARBY_QUARTERS) if p}
    periods.add(fiscal_period)
    skip_ids = {id(f) for f in skip}
    for (t, _metric), facts in by_metric.items():
        if t != ticker:
            continue
        for f in facts:
            if id(f) in skip_ids or f.fiscal_period not in periods:
                continue
            if compare == "value" and np.isfinite(f.value) and f.value != 0 \
                    and f.precision > OTHER_FIGURE_MAX_PRECISION * abs(f.value):
                continue  # a round figure ("$50 billion", +/- 5bn) would match anything near it
            ok = _fact_compare(f, claimed, unit, compare, qkind, r_claim, False)[0]
            if ok is True:
                return f
            if compare == "value" and unit in ("%", "pp") and np.isfinite(f.yoy):
                if _fact_compare(f, claimed, unit, "yoy", qkind, r_claim, False)[0] is True:
                    return f
    return None


def _judge_fact(row: Mapping, source: str) -> Judgement:
    value = float(row["value"])
    claimed = value
    metric = row["metric"]
    ticker = _text(row.get("ticker"))
    unit = _text(row.get("unit"))
    if bool(row.get("estimate")) or _estimate_after(row):
        return _u(claimed, "estimate_not_reported", "An analyst estimate or consensus figure, "
                  "not a company figure.")
    if unit in ("%", "x") and metric in GROWTH_OF:
        metric = GROWTH_OF[metric]
    if metric == "revenue_guidance" and unit == "%":
        metric = "revenue_guidance_range"
    if metric == "other" and ticker in ("BABA", "NVDA"):
        return _judge_other(row, claimed, unit, source)
    if metric in ("revenue_line", "revenue_line_growth") and ticker in ("BABA", "NVDA"):
        return _judge_revenue_line(row, claimed, unit, metric.endswith("growth"), source)
    if metric not in FACT_METRICS:
        return _u(claimed, "no_fact", f"No reported figures are held for {metric or 'this metric'}.")
    if ticker not in ("BABA", "NVDA"):
        return _u(claimed, "no_fact", f"No reported figures are held for "
                  f"{ticker or _text(row.get('subject')) or 'this subject'}.")
    by_key, by_metric, releases = _facts(source)
    metrics, compare = FACT_METRICS[metric]
    left = _left_context(row)
    if metric in ("operating_income", "operating_income_growth") and not _EBITA_CUE.search(left):
        return _u(claimed, "no_fact", "Income from operations is not held (only adjusted EBITA).")
    if metric == "capex":
        metrics = ("capex_trailing_4q",) if _TRAILING_CUE.search(left) else ("capex", "capex_trailing_4q")
    fiscal_period = _text(row.get("fiscal_period"))
    guidance = metric in ("revenue_guidance", "revenue_guidance_range")
    if not fiscal_period and not any(m in ANNOUNCED_METRICS for m in metrics):
        return _u(claimed, "ambiguous_period", f"No fiscal period placed "
                  f"({_text(row.get('fiscal_period_how')) or 'none'}).")
    if compare == "yoy" and _text(row.get("comparison")) == "sequential":
        return _u(claimed, "no_fact", "A quarter-on-quarter change: only year-on-year rates are held.")
    published = row.get("published")
    published = None if _blank(published) else pd.Timestamp(published).normalize()
    if bool(row.get("forecast")) and not guidance:
        rel = releases.get((ticker, fiscal_period))
        if rel is None or published is None or rel.normalize() > published:
            return _u(claimed, "forecast_pending", f"A forecast for {fiscal_period or 'a period'} "
                      "not yet reported by the article's date.")
    facts = _fact_candidates(row, metrics, fiscal_period, by_key, by_metric)
    # basis cues
    if any(f.metric in BASIS_METRICS for f in facts):
        if _NON_GAAP_CUE.search(left):
            cued = [f for f in facts if f.basis.casefold().startswith("non-gaap") or f.basis == "adjusted"]
        elif _GAAP_CUE.search(left):
            cued = [f for f in facts if f.basis.casefold().startswith("gaap")]
        else:
            cued = []
        basis_cued = bool(cued)
        facts = cued or facts
    else:
        basis_cued = True
    if compare == "yoy":
        facts = [f for f in facts if np.isfinite(f.yoy)]
    else:
        facts = [f for f in facts if np.isfinite(f.value)]
    what = f"{ticker} {metric}{' ' + _text(row.get('segment')) if _text(row.get('segment')) else ''} {fiscal_period}".strip()
    if not facts:
        return _u(claimed, "no_fact", f"No reported {what} is held.")
    if compare == "value" and unit in _CURRENCIES and facts[0].unit in _CURRENCIES and unit != facts[0].unit:
        f = facts[0]
        return _u(claimed, "currency_mismatch", f"A {unit} figure; {what} is reported in {f.unit} "
                  f"({_money(f.value, f.unit)}): a translation is not compared.")
    decimals = _int(row.get("decimals"))
    scale = _written_scale(_text(row.get("quote")), value)
    r_claim = _rounding(decimals, scale)
    qkind = _text(row.get("qualifier_kind"))
    if qkind not in ("approx", "nearly", "lower", "upper"):
        qkind = ""
    results = []
    for f in facts:
        results.append(_fact_compare(f, claimed, unit, compare, qkind, r_claim,
                                     guidance and f.metric == "revenue_guidance"))
    good = [res for res in results if res[0] is True]
    if good:
        _, measured, text = good[0]
        return Judgement(claimed, measured, SUPPORTED, "fact_confirms", text)
    usable = [res for res in results if res[0] is False]
    if not usable:
        reason, text = results[0][1], results[0][2]
        return _u(claimed, reason, text)
    _, measured, text = usable[0]
    if metric in SUPPORT_ONLY:
        return _u(claimed, "no_fact", text + " (This reading is too loose to accuse.)", measured)
    if any(f.metric in ANNOUNCED_METRICS for f in facts):
        return _u(claimed, "no_fact", text + " The latest announcement held may not be the one "
                  "the article reports (plans, authorizations and cumulative counts are restated).",
                  measured)
    other = _matches_elsewhere(ticker, claimed, unit, compare, qkind, r_claim, fiscal_period,
                               by_metric, facts)
    if other is not None and other.segment and other.fiscal_period == fiscal_period \
            and other.metric in metrics and _names_segment(other.segment, left):
        m = other.yoy if compare == "yoy" else other.value
        return Judgement(claimed, m, SUPPORTED, "fact_confirms",
                         f"{other.ticker} {other.metric} {other.segment} {other.fiscal_period}"
                         f"{' ' + other.basis if other.basis else ''}: "
                         f"{('y/y %+g%%' % m) if compare == 'yoy' else _money(m, other.unit)}; the "
                         f"sentence names {other.segment}, the claim agrees.")
    if other is not None and compare == "value" and other.metric in metrics \
            and other.segment.casefold() == _text(row.get("segment")).casefold() \
            and other.fiscal_period != fiscal_period and claimed != 0 \
            and r_claim / abs(claimed) <= SAME_METRIC_MAX_PRECISION \
            and _text(row.get("fiscal_period_how")) not in ("stated", "fiscal_year"):
        # the same metric's figure of an adjacent quarter, to 3+ significant digits: a table's
        # other column, or a period the reading inferred wrongly; the figure itself is right
        return Judgement(claimed, other.value, SUPPORTED, "fact_confirms",
                         f"{other.ticker} {other.metric}{' ' + other.segment if other.segment else ''} "
                         f"{other.fiscal_period}{' ' + other.basis if other.basis else ''}: "
                         f"{_money(other.value, other.unit) if other.unit in _CURRENCIES else other.value}; "
                         f"the claim agrees with that quarter's figure (the period {fiscal_period} was "
                         "inferred, not stated).")
    if other is not None:
        return _u(claimed, "matches_other_figure", text + f" The claim agrees with {other.ticker} "
                  f"{other.metric}{' ' + other.segment if other.segment else ''} "
                  f"{other.fiscal_period}{' ' + other.basis if other.basis else ''}: the number may "
                  "belong to that figure.", measured)
    # contradiction: everything pinned
    if bool(row.get("period_ambiguous")):
        return _u(claimed, "ambiguous_period", text + " The period label has two readings.", measured)
    if not _period_pinned(row, fiscal_period, releases) or guidance or bool(row.get("forecast")):
        return _u(claimed, "ambiguous_period", text + " The period is inferred, not stated.", measured)
    if len(usable) != len(results):
        return _u(claimed, "ambiguous_basis", text, measured)
    metrics_seen = {f.metric for f in facts}
    if len(metrics_seen) > 1 and len(facts) > 1 and not all(res[0] is False for res in results):
        return _u(claimed, "ambiguous_basis", text, measured)
    if any(f.metric in BASIS_METRICS for f in facts) and not basis_cued and len({f.basis for f in facts}) < 2:
        return _u(claimed, "ambiguous_basis", text + " The basis (GAAP / non-GAAP) is not stated.", measured)
    segment = _text(row.get("segment"))
    pattern = _SEGMENT_WORDS.get(ticker)
    if not segment and pattern is not None and pattern.search(_text(row.get("evidence"))):
        return _u(claimed, "ambiguous_period", text + " The sentence names a segment: the claim "
                  "may not be about the company total.", measured)
    sentence = _text(row.get("evidence"))
    if _OTHER_BASIS_CUE.search(left) or (compare == "yoy" and _OTHER_BASIS_CUE.search(sentence)):
        if not any(f.basis.casefold().startswith("non-gaap") or f.basis == "adjusted" for f in facts) \
                or compare == "yoy":
            return _u(claimed, "ambiguous_basis", text + " The sentence names another basis "
                      "(adjusted, like-for-like, sequential ...).", measured)
    if "Q" in fiscal_period and _OTHER_SPAN_CUE.search(left):
        return _u(claimed, "ambiguous_period", text + " The sentence speaks of a span other than "
                  "the quarter.", measured)
    # plausibility
    for ok, m, _ in usable:
        if compare == "value" and unit != "count":
            if m == 0 or claimed == 0:
                return _u(claimed, "implausible_reading", text, measured)
            ratio = abs(claimed) / abs(m)
            if ratio > MAX_FACT_RATIO or ratio < 1 / MAX_FACT_RATIO:
                return _u(claimed, "implausible_reading", text + " Too far off to be a misquote.", measured)
            if (claimed > 0) != (m > 0):
                if not (f_signed(facts) and _SIGN_CUE.search(_text(row.get("evidence")))):
                    return _u(claimed, "sign_mismatch", text, measured)
        elif compare == "yoy" and unit == "%":
            if abs(claimed - m) > max(MAX_RATE_GAP_PP, 0.5 * abs(m)):
                return _u(claimed, "implausible_reading", text + " Too far off to be a misquote.", measured)
    other_name = _other_company(row)
    if other_name:
        return _u(claimed, "ambiguous_subject", text + f" The sentence also names {other_name}, "
                  "so the figure may be its.", measured)
    return Judgement(claimed, measured, CONTRADICTED, "fact_contradicts", text)


#: How a sentence names a fundamentals segment.
_SEGMENT_NAMES = {
    "Data Center": r"data[\s-]*cent(?:er|re)",
    "Cloud Intelligence": r"cloud",
    "Gaming": r"gaming",
    "Edge Computing": r"edge\s+computing",
    "Data Center - Hyperscale": r"hyperscale",
    "Data Center - AI Clouds, Industrial & Enterprise": r"enterprise|industrial",
    "T-Head": r"t-head",
}


def _names_segment(segment: str, text: str) -> bool:
    pattern = _SEGMENT_NAMES.get(segment)
    return bool(pattern and re.search(r"\b(?:" + pattern + r")", text, re.I))


def _estimate_after(row) -> bool:
    """'the roughly $7.2 billion analysts had pencilled in': an estimate named after its figure."""
    evidence, quote = _text(row.get("evidence")), _text(row.get("quote"))
    pos = evidence.find(quote) if quote else -1
    return pos >= 0 and bool(_ESTIMATE_AFTER.search(evidence[pos + len(quote):pos + len(quote) + 60]))


def _judge_other(row, claimed: float, unit: str, source: str) -> Judgement:
    """A figure the reader could not name: supported when it equals a reported figure of the
    ticker in its period (the evidence names which), else no_fact; never contradicted."""
    fiscal_period = _text(row.get("fiscal_period"))
    if not fiscal_period or unit not in _CURRENCIES | {"%"}:
        return _u(claimed, "no_fact", "A figure of no known metric.")
    _, by_metric, _ = _facts(source)
    decimals = _int(row.get("decimals"))
    r_claim = _rounding(decimals, _written_scale(_text(row.get("quote")), claimed))
    qkind = _text(row.get("qualifier_kind"))
    if qkind not in ("", "approx"):
        return _u(claimed, "no_fact", "A bound on a figure of no known metric.")
    for facts in (v for (t, _), v in by_metric.items() if t == row["ticker"]):
        for f in facts:
            if f.fiscal_period != fiscal_period or f.metric.startswith("revenue_guidance"):
                continue
            compare = "yoy" if unit == "%" and f.unit != "%" else "value"
            ok, measured, text = _fact_compare(f, claimed, unit, compare, qkind, r_claim, False)
            if ok is True:
                return Judgement(claimed, measured, SUPPORTED, "fact_confirms",
                                 text + " (the metric is read from the matching figure)")
    return _u(claimed, "no_fact", f"A figure of no known metric; no {row['ticker']} figure of "
              f"{fiscal_period} agrees.")


def _judge_revenue_line(row, claimed: float, unit: str, growth: bool, source: str) -> Judgement:
    """A revenue line the reader did not tie to a segment: supported when a reported segment
    named before the figure in its sentence agrees; never contradicted."""
    fiscal_period = _text(row.get("fiscal_period"))
    if not fiscal_period:
        return _u(claimed, "ambiguous_period", "A revenue line with no fiscal period placed.")
    by_key, by_metric, _ = _facts(source)
    left = _left_context(row)
    decimals = _int(row.get("decimals"))
    r_claim = _rounding(decimals, _written_scale(_text(row.get("quote")), claimed))
    qkind = _text(row.get("qualifier_kind"))
    qkind = qkind if qkind in ("approx", "nearly", "lower", "upper") else ""
    named = [f for f in by_metric.get((row["ticker"], "revenue"), [])
             if f.fiscal_period == fiscal_period and f.segment and _names_segment(f.segment, left)]
    for f in named:
        ok, measured, text = _fact_compare(f, claimed, unit, "yoy" if growth else "value", qkind,
                                           r_claim, False)
        if ok is True:
            return Judgement(claimed, measured, SUPPORTED, "fact_confirms",
                             text + f" (the sentence names {f.segment})")
    if named:
        return _u(claimed, "no_fact", f"The {named[0].segment} revenue held for {fiscal_period} "
                  "does not agree, and the line may be another one (not accused).")
    return _u(claimed, "no_fact", f"No reported revenue line named in the sentence for {fiscal_period}.")


def f_signed(facts: Iterable[_Fact]) -> bool:
    return all(f.metric in SIGNED_FACT_METRICS for f in facts)


def _fact_compare(f: _Fact, claimed: float, unit: str, compare: str, qkind: str, r_claim: float,
                  guidance: bool):
    """``(True | False | None, measured or reason, text)``: inside, outside, not comparable."""
    label = f"{f.ticker} {f.metric}{' ' + f.segment if f.segment else ''} {f.fiscal_period}" \
            f"{' ' + f.basis if f.basis else ''}"
    if compare == "yoy":
        yoy = f.yoy
        r_fact = _rounding(_decimals_of(yoy))
        if unit == "x":
            measured = 1.0 + yoy / 100.0
            r_fact = r_fact / 100.0
            kind = "amount"
            text_m = f"{measured:.2f}x (y/y {yoy:+g}%)"
        elif unit in ("%", "pp"):
            measured = yoy
            kind = "rate"
            text_m = f"y/y {yoy:+g}%"
        else:
            return None, "no_fact", f"A {unit} growth figure is not comparable with {label}."
    else:
        measured = f.value
        r_fact = f.precision if np.isfinite(f.precision) else 0.0
        if unit in _CURRENCIES or f.unit in _CURRENCIES:
            if unit != f.unit:
                return None, "currency_mismatch", f"A {unit} figure; {label} is in {f.unit}."
            kind = "amount"
            text_m = _money(measured, f.unit)
        elif unit == "%" and f.unit == "%":
            kind = "rate"
            text_m = f"{measured:g}%"
        elif f.unit == "count" and unit in ("count", ""):
            kind = "amount"
            text_m = f"{measured:g}"
        else:
            return None, "no_fact", f"A {unit or 'unitless'} figure is not comparable with {label} ({f.unit})."
    c = claimed
    if guidance:
        values = [(measured, "midpoint")]
        by_key, by_metric, _ = _facts("snapshot")
        rng = by_key.get((f.ticker, "revenue_guidance_range_pct", f.fiscal_period, ""), [])
        if rng:
            pct = rng[0].value
            values += [(measured * (1 - pct / 100), f"low end (-{pct:g}%)"),
                       (measured * (1 + pct / 100), f"high end (+{pct:g}%)")]
        for v, which in values:
            lo, hi = band(abs(c), kind, qkind, r_claim, extra=r_fact)
            if _inside(abs(v), lo, hi):
                return True, v, (f"{label}: outlook {which} {_money(v, f.unit)}, issued "
                                 f"{f.release.date() if f.release is not None else '?'}; claim agrees.")
        return False, measured, (f"{label}: outlook {_money(measured, f.unit)} "
                                 f"(issued {f.release.date() if f.release is not None else '?'}); "
                                 f"claim {_money(c, unit)} matches neither the midpoint nor the range ends.")
    lo, hi = band(abs(c), kind, qkind, r_claim, extra=r_fact)
    same_sign = c == 0 or measured == 0 or (c > 0) == (measured > 0)
    shown_c = _money(c, unit) if kind == "amount" and unit in _CURRENCIES else f"{c:g}{unit if unit in ('%', 'x', 'pp') else ''}"
    if same_sign and _inside(abs(measured), lo, hi):
        return True, measured, f"{label}: {text_m}; claim {shown_c}{' (' + qkind + ')' if qkind else ''} agrees."
    return False, measured, f"{label}: {text_m}; claim {shown_c}{' (' + qkind + ')' if qkind else ''} is outside its stated precision."


# --------------------------------------------------------------------------------------------
# the table
# --------------------------------------------------------------------------------------------
def judge_row(row: Mapping, *, source: str = "snapshot", settle_intraday: bool = False) -> Judgement:
    """The verdict of one numbers-table row (a mapping with the numbers-table columns)."""
    value = row.get("value")
    if _text(row.get("role")) != "claim":
        return Judgement(math.nan if _blank(value) else float(value), math.nan, NOT_A_CLAIM,
                         "not_a_claim", f"Not a claim ({_text(row.get('role')) or 'no role'}).")
    if _blank(value):
        return _u(math.nan, "no_value", "The number has no value.")
    if row.get("metric") in PRICE_METRICS:
        return _judge_price(row, source, settle_intraday)
    return _judge_fact(row, source)


def judge(docs: pd.DataFrame | None, numbers: pd.DataFrame, *, source: str = "snapshot",
          settle_intraday: bool = False) -> pd.DataFrame:
    """Judge every number of a numbers table.

    Parameters
    ----------
    docs : DataFrame or None
        The documents table of :func:`babaresearch.check.read_corpus` (used for ``published``
        when ``numbers`` lacks it); may be None.
    numbers : DataFrame
        The numbers table (:data:`babaresearch.check.NUMBER_COLUMNS`).
    source : {"snapshot", "cache", "live", "auto"}
        Where prices come from (:func:`babaresearch.load_prices`); fundamentals use the curated
        snapshot unless ``"cache"`` or ``"auto"``.
    settle_intraday : bool
        Let the day's bar settle intraday claims (a level inside the day's range, an "as much
        as" move equal to the day's extreme); default False: such claims are unverifiable.

    Returns
    -------
    DataFrame
        ``numbers`` with the columns :data:`VERDICT_COLUMNS` appended: ``claimed`` (float, the
        figure as stated: percent for moves and rates, currency for amounts, 'x' multiples),
        ``measured`` (float in the same unit, NaN when nothing was measured), ``verdict``,
        ``reason`` (a key of :data:`REASONS`) and ``measured_evidence`` (str).
    """
    out = numbers.copy()
    if "published" not in out.columns and docs is not None and "published" in docs:
        out["published"] = out["doc_id"].map(dict(zip(docs["doc_id"], docs["published"])))
    is_claim = (out["role"] == "claim").to_numpy() if "role" in out else np.zeros(len(out), bool)
    results: list[Judgement | None] = [None] * len(out)
    values = out["value"].to_numpy(float) if "value" in out else np.full(len(out), np.nan)
    roles = out["role"].tolist() if "role" in out else [""] * len(out)
    for k in np.flatnonzero(~is_claim):  # non-claims: no record needed
        results[k] = Judgement(values[k], math.nan, NOT_A_CLAIM, "not_a_claim",
                               f"Not a claim ({_text(roles[k]) or 'no role'}).")
    claim_rows = out[is_claim].to_dict("records")
    for k, r in zip(np.flatnonzero(is_claim), claim_rows):
        results[k] = judge_row(r, source=source, settle_intraday=settle_intraday)
    out["claimed"] = [j.claimed for j in results]
    out["measured"] = [j.measured for j in results]
    out["verdict"] = [j.verdict for j in results]
    out["reason"] = [j.reason for j in results]
    out["measured_evidence"] = [j.measured_evidence for j in results]
    return out


def check_corpus(path_or_documents, *, dates=None, source: str = "snapshot",
                 settle_intraday: bool = False):
    """``(docs, check table, texts)``: :func:`babaresearch.check.read_corpus` + :func:`judge`."""
    from .check import _document_rows, _frame, documents_table, read_corpus
    if isinstance(path_or_documents, (str, Path)):
        docs, numbers, texts = read_corpus(path_or_documents, dates=dates)
    else:
        documents = list(path_or_documents)
        numbers = _frame([row for d in documents for row in _document_rows(d)])
        docs, texts = documents_table(documents), {d.doc_id: d.text for d in documents}
    return docs, judge(docs, numbers, source=source, settle_intraday=settle_intraday), texts


def check_documents(path_or_documents, *, dates=None, source: str = "snapshot",
                    settle_intraday: bool = False) -> pd.DataFrame:
    """The check table of a folder, one file, or a list of :class:`babaresearch.documents.Document`.

    One row per number found: the numbers-table columns (``doc_id, title, start, end, quote,
    value, unit, role, subject, ticker, metric, fiscal_period, session, window, evidence`` ...,
    see :data:`babaresearch.check.NUMBER_COLUMNS`) plus ``claimed, measured, verdict, reason,
    measured_evidence`` (:func:`judge`).

    Examples
    --------
    >>> table = check_documents("../shared/seeds")                      # doctest: +SKIP
    >>> table[table.verdict == "contradicted"][["quote", "measured", "evidence"]]  # doctest: +SKIP
    """
    return check_corpus(path_or_documents, dates=dates, source=source,
                        settle_intraday=settle_intraday)[1]


def summary(table: pd.DataFrame, docs: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per document: ``doc_id, title, published, claims, supported, contradicted,
    unverifiable``."""
    claims = table[table["verdict"] != NOT_A_CLAIM]
    ids = list(dict.fromkeys(table["doc_id"])) if docs is None else list(docs["doc_id"])
    rows = []
    for doc_id in ids:
        sub = claims[claims["doc_id"] == doc_id]
        meta = table[table["doc_id"] == doc_id]
        title = _text(meta["title"].iloc[0]) if len(meta) and "title" in meta else ""
        published = meta["published"].iloc[0] if len(meta) and "published" in meta else pd.NaT
        if docs is not None:
            d = docs[docs["doc_id"] == doc_id]
            if len(d):
                title = _text(d["title"].iloc[0]) if "title" in d else title
                published = d["published"].iloc[0]
        counts = sub["verdict"].value_counts()
        rows.append({"doc_id": doc_id, "title": title, "published": published,
                     "claims": len(sub), "supported": int(counts.get(SUPPORTED, 0)),
                     "contradicted": int(counts.get(CONTRADICTED, 0)),
                     "unverifiable": int(counts.get(UNVERIFIABLE, 0))})
    return pd.DataFrame(rows, columns=["doc_id", "title", "published", "claims", "supported",
                                       "contradicted", "unverifiable"])
