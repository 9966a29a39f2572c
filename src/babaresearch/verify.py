"""Verdicts on articles' price claims: supported, contradicted or unverifiable.

An article says "shares rose close to 13% to about $135, up almost 60% year to date". This module
measures each number on the price snapshot and compares it with the claim under an explicit,
documented tolerance that depends on the closeness word the writer used.

What is measured (all on the session the claim refers to, called *the session* below):

* ``move`` -- close-to-close simple return of the session versus the previous session, on the
  **raw close** (what a newspaper quotes). The dividend/split-adjusted return is reported too.
* ``price`` -- the session's raw close, in the ticker's currency (US$).
* ``ytd`` -- year-to-date **price return**: the session's raw close versus the last close of the
  previous calendar year (2024-12-31 for a 2025 claim). Dividends are not included; the
  total-return figure is reported beside it.

Claimed and measured moves are in **percent** (``12.9`` means +12.9 %), prices in dollars.

Overall verdict: ``contradicted`` if any measured check fails, ``supported`` if every measured
check passes, ``unverifiable`` if no check can be measured (no data for the ticker or date, a
filler bar, a date outside the data). Unverifiable cases never raise; malformed input (bad
ticker, unparseable date, non-numeric claim, unknown closeness word) raises a typed error.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping, NamedTuple

import pandas as pd

from .errors import BabaResearchError, ClaimError
from .dates import to_date
from .tickers import normalize_ticker

SUPPORTED = "supported"
CONTRADICTED = "contradicted"
UNVERIFIABLE = "unverifiable"
VERDICTS: tuple[str, ...] = (SUPPORTED, CONTRADICTED, UNVERIFIABLE)

#: The kinds of price check, with the unit of their claimed/measured numbers.
CHECK_KINDS: dict[str, str] = {"move": "%", "price": "$", "ytd": "%"}

#: Ledger metrics that are price claims, and the check kind each maps to.
PRICE_METRICS: dict[str, str] = {"price move": "move", "share price": "price", "YTD return": "ytd"}

# Comparisons at a boundary ("13.5 vs 13 within 0.5 pp") must not flip on float noise.
_EPS = 1e-9


@dataclass(frozen=True)
class Tolerance:
    """How far a measured number may be from a claimed one for a closeness word.

    Attributes
    ----------
    side : str
        ``"both"``: ``|measured - claimed| <= width``; ``"below"``: ``claimed - width <=
        measured <= claimed`` ("almost", the writer rounds up to a figure not yet reached);
        ``"above"``: ``measured > claimed`` ("over"); ``"at_least"``: ``measured >= claimed``;
        ``"at_most"``: ``measured <= claimed`` ("up to"); ``"under"``: ``measured < claimed``.
        For a negative claimed move or YTD ("fell over 5%") the comparison is made on the
        magnitude, so "over -5%" means a fall of more than 5 %.
    move_pp : float or None
        Width for a one-day move, in percentage points (None: no width, a one-sided bound).
    price_pct : float or None
        Width for a price, in percent of the claimed price.
    ytd_pp : float or None
        Width for a year-to-date return, in percentage points.
    why : str
        The argument for the numbers.
    """

    side: str
    move_pp: float | None
    price_pct: float | None
    ytd_pp: float | None
    why: str = ""

    def width(self, kind: str) -> float | None:
        """Width for check ``kind`` (pp for ``move``/``ytd``, % of claimed price for ``price``)."""
        return {"move": self.move_pp, "price": self.price_pct, "ytd": self.ytd_pp}[kind]


_SIDES = ("both", "below", "above", "at_least", "at_most", "under")

#: Tolerance for each canonical closeness word. The numbers, argued:
#:
#: * ``exact`` (no word): a whole-number percent is a rounding of the true move, so it is right
#:   within +/-0.5 pp; a quoted price ("$135") within +/-0.5 % of the close covers quoting an
#:   intraday or rounded figure.
#: * ``about`` ("around", "roughly", "approximately"): +/-1.0 pp on a move, +/-2 % on a price.
#:   A YTD return is a bigger number that writers round to the nearest 5 (``about 60%``), so
#:   +/-2.5 pp.
#: * ``close to`` ("nearly", "almost", "just under"): the writer rounds *up* to a figure not yet
#:   reached, so the measured value must be at or below the claim and within 1.5 pp (move),
#:   2 % (price) or 5 pp (YTD: "almost 60%" is said of 55-60 %; a measured 58.x % is supported,
#:   61 % is contradicted -- it is past 60 -- and 54 % would be "over 50" or "about 55").
#:   Equality passes: the writer's number may itself be a rounding of the measured one.
#: * ``over`` ("more than", "above"): measured must exceed the claim, no upper bound (a
#:   one-sided claim says nothing about how far beyond).
#: * ``at least``: measured >= claim.
#: * ``up to`` ("at most", "as much as"): must not exceed.
#: * ``under`` ("less than", "below"): measured < claim.
TOLERANCES: dict[str, Tolerance] = {
    "exact": Tolerance("both", 0.5, 0.5, 0.5, "rounding of a whole-number percent / quoted price"),
    "about": Tolerance("both", 1.0, 2.0, 2.5, "approximate figure, rounded to a round number"),
    "close to": Tolerance("below", 1.5, 2.0, 5.0, "a figure approached from below, not reached"),
    "over": Tolerance("above", None, None, None, "a strict lower bound"),
    "at least": Tolerance("at_least", None, None, None, "an inclusive lower bound"),
    "up to": Tolerance("at_most", None, None, None, "an inclusive upper bound"),
    "under": Tolerance("under", None, None, None, "a strict upper bound"),
}

#: Closeness words as written in articles -> canonical key of :data:`TOLERANCES`.
QUALIFIER_SYNONYMS: dict[str, str] = {
    "": "exact", "exact": "exact", "exactly": "exact", "precisely": "exact",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about",
    "approx": "about", "approx.": "about", "some": "about", "circa": "about", "~": "about",
    "close to": "close to", "nearly": "close to", "almost": "close to", "just under": "close to",
    "just shy of": "close to", "near": "close to",
    "over": "over", "more than": "over", "above": "over", "greater than": "over",
    "in excess of": "over", "just over": "over", "upwards of": "over", "north of": "over",
    "at least": "at least",
    "up to": "up to", "at most": "up to", "as much as": "up to", "no more than": "up to",
    "under": "under", "less than": "under", "below": "under", "fewer than": "under",
}


def canonical_qualifier(qualifier: object) -> str:
    """Map a closeness word ("nearly", "More than", None) to a key of :data:`TOLERANCES`.

    Raises
    ------
    ClaimError
        For a word the table does not know (rather than silently treating it as exact).
    """
    if qualifier is None or (isinstance(qualifier, float) and math.isnan(qualifier)):
        return "exact"
    if not isinstance(qualifier, str):
        raise ClaimError(f"qualifier {qualifier!r} is not a string")
    key = " ".join(qualifier.strip().lower().split())
    if key in QUALIFIER_SYNONYMS:
        return QUALIFIER_SYNONYMS[key]
    raise ClaimError(
        f"unknown qualifier {qualifier!r}; known: {', '.join(sorted(k for k in QUALIFIER_SYNONYMS if k))}"
    )


@dataclass(frozen=True)
class Check:
    """One claimed number compared with its measurement.

    Attributes
    ----------
    kind : str
        ``"move"`` (percent), ``"price"`` (US$) or ``"ytd"`` (percent, price return).
    claimed, measured : float
        ``measured`` is NaN when it could not be measured.
    tolerance : float or None
        Width in the table's unit (pp for move/ytd, % of the claimed price for price); None for
        a one-sided bound.
    qualifier : str
        Canonical closeness word (a key of :data:`TOLERANCES`).
    passed : bool or None
        None when the value could not be measured.
    side : str
        Comparison rule (see :class:`Tolerance`).
    measured_adjusted : float
        Same measurement on the dividend/split-adjusted close (NaN if unknown); ``price``
        reports the raw close here too.
    reference_date : Timestamp or None
        The other session used: previous session (move), previous year's last session (ytd).
    note : str
        Why the check could not be measured, or empty.
    word : str
        The closeness word as written ("almost"), empty for none.
    """

    kind: str
    claimed: float
    measured: float
    tolerance: float | None
    qualifier: str
    passed: bool | None
    side: str = "both"
    measured_adjusted: float = float("nan")
    reference_date: pd.Timestamp | None = None
    note: str = ""
    word: str = ""

    def rule(self) -> str:
        """Human form of the comparison, e.g. ``"within 1.5 pp below"``."""
        unit = "% of price" if self.kind == "price" else " pp"
        width = "" if self.tolerance is None else f"{self.tolerance:g}{unit}"
        return {
            "both": f"within +/-{width}",
            "below": f"at or below, within {width}",
            "above": "must exceed",
            "at_least": "must be at least",
            "at_most": "must not exceed",
            "under": "must be below",
        }[self.side]

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (dates as ISO strings) with the rule spelled out."""
        out = asdict(self)
        out["reference_date"] = None if self.reference_date is None else self.reference_date.date().isoformat()
        out["rule"] = self.rule()
        return out


@dataclass(frozen=True)
class Verdict:
    """Verdict on the price claims about one ticker on one session.

    Attributes
    ----------
    ticker : str
    date : Timestamp or None
        The session measured (the claim date, or the last session before it when the claim date
        is not a trading day); None when no session could be found.
    verdict : str
        ``"supported"``, ``"contradicted"`` or ``"unverifiable"``.
    checks : tuple of Check
    evidence : str
        One line with the measured numbers, or why nothing could be measured.
    """

    ticker: str
    date: pd.Timestamp | None
    verdict: str
    checks: tuple[Check, ...] = field(default_factory=tuple)
    evidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready dict (dates as ISO strings, checks as dicts)."""
        return {
            "ticker": self.ticker,
            "date": None if self.date is None else self.date.date().isoformat(),
            "verdict": self.verdict,
            "checks": [check.to_dict() for check in self.checks],
            "evidence": self.evidence,
        }


# ----------------------------------------------------------------------------------------------
# comparison


def _resolve_tolerance(qualifier: str, kind: str, override: object) -> tuple[str, float | None]:
    """(side, width) for a canonical qualifier, honouring a user ``tolerance`` override."""
    table = TOLERANCES[qualifier]
    width = table.width(kind)
    if override is None:
        return table.side, width
    if isinstance(override, Tolerance):
        if override.side not in _SIDES:
            raise ClaimError(f"tolerance side {override.side!r} is not one of {_SIDES}")
        return override.side, override.width(kind)
    if isinstance(override, Mapping):
        if kind not in override:
            return table.side, width
        override = override[kind]
    value = _as_number(override, "tolerance")
    if value < 0:
        raise ClaimError(f"tolerance {override!r} is negative")
    # A plain number replaces the width but keeps the word's direction ("almost" stays one-sided).
    return table.side, value


def compare(measured: float, claimed: float, side: str, width: float | None, kind: str) -> bool:
    """Whether ``measured`` satisfies ``claimed`` under a rule.

    Parameters
    ----------
    measured, claimed : float
        Percent for ``move``/``ytd``, dollars for ``price``.
    side : str
        See :class:`Tolerance`.
    width : float or None
        pp for ``move``/``ytd``; percent of ``claimed`` for ``price``.
    kind : str
        ``"move"``, ``"price"`` or ``"ytd"``.
    """
    if kind == "price":
        width_abs = None if width is None else abs(claimed) * width / 100.0
    else:
        width_abs = width
    # A claimed fall ("almost -13%", "over -5%") is judged on its magnitude.
    if claimed < 0 and kind != "price":
        measured, claimed = -measured, -claimed
    if side == "both":
        return abs(measured - claimed) <= (width_abs or 0.0) + _EPS
    if side == "below":
        return claimed - (width_abs or 0.0) - _EPS <= measured <= claimed + _EPS
    if side == "above":
        return measured > claimed + _EPS
    if side == "at_least":
        return measured >= claimed - _EPS
    if side == "at_most":
        return measured <= claimed + _EPS
    if side == "under":
        return measured < claimed - _EPS
    raise ClaimError(f"unknown comparison side {side!r}")


def _as_number(value: object, what: str) -> float:
    if isinstance(value, bool):
        raise ClaimError(f"{what} {value!r} is not a number")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ClaimError(f"{what} {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ClaimError(f"{what} {value!r} is not a finite number")
    return number


# ----------------------------------------------------------------------------------------------
# measurement


def _load_bars(ticker: str, source: str) -> tuple[pd.DataFrame | None, str]:
    """Bars of ``ticker`` (columns date, close, adj_close) or ``(None, why)`` when unavailable."""
    from .errors import LiveDataError, NoDataError, OutOfRangeError, UnknownTickerError
    from .prices import load_prices

    try:
        frame = load_prices(ticker, source=source, filler="missing")
    except (UnknownTickerError, NoDataError, LiveDataError, OutOfRangeError) as exc:
        return None, f"no price data for {ticker} ({exc})"
    return _prepare_bars(frame, ticker), ""


def _prepare_bars(frame: pd.DataFrame, ticker: str) -> pd.DataFrame:
    """Keep ``ticker``'s rows as a date-sorted frame of date, close, adj_close."""
    if "ticker" in frame.columns:
        frame = frame[frame["ticker"] == ticker]
    out = pd.DataFrame({
        "date": pd.to_datetime(frame["date"]).to_numpy(),
        "close": pd.to_numeric(frame["close"], errors="coerce").to_numpy(dtype=float),
        "adj_close": (pd.to_numeric(frame["adj_close"], errors="coerce").to_numpy(dtype=float)
                      if "adj_close" in frame.columns else float("nan")),
    })
    return out.sort_values("date", kind="stable").reset_index(drop=True)


def _fmt_pct(value: float) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{value:+.2f}%"


def _measure(kind: str, bars: pd.DataFrame, pos: int, ticker: str) -> tuple[float, float, pd.Timestamp | None, str]:
    """(measured, measured_adjusted, reference_date, note) for check ``kind`` at row ``pos``."""
    row = bars.iloc[pos]
    day = row["date"]
    close, adj = float(row["close"]), float(row["adj_close"])
    if not math.isfinite(close):
        return math.nan, math.nan, None, f"{ticker} {day.date()} is a filler/missing bar (no real close)"
    if kind == "price":
        return close, close, None, ""
    if kind == "move":
        if pos == 0:
            return math.nan, math.nan, None, f"no session before {day.date()} in the {ticker} data"
        prev = bars.iloc[pos - 1]
        ref_close, ref_adj, ref_day = float(prev["close"]), float(prev["adj_close"]), prev["date"]
    else:  # ytd: last session of the previous calendar year
        year_start = pd.Timestamp(year=day.year, month=1, day=1)
        before = bars[bars["date"] < year_start]
        if before.empty:
            return math.nan, math.nan, None, f"{ticker} data start after the end of {day.year - 1}"
        ref_close, ref_adj, ref_day = float(before["close"].iloc[-1]), float(before["adj_close"].iloc[-1]), before["date"].iloc[-1]
    if not math.isfinite(ref_close) or ref_close <= 0:
        return math.nan, math.nan, ref_day, f"{ticker} {ref_day.date()} (reference close) is a filler/missing bar"
    measured = (close / ref_close - 1.0) * 100.0
    adjusted = (adj / ref_adj - 1.0) * 100.0 if math.isfinite(adj) and math.isfinite(ref_adj) and ref_adj > 0 else math.nan
    return measured, adjusted, ref_day, ""


def _locate_session(bars: pd.DataFrame, date: pd.Timestamp, ticker: str) -> tuple[int | None, str]:
    """Row of the session for ``date``: that date, or the last session before a non-trading day.

    The snapshot has one row per NYSE session (filler days are rows with NaN prices), so a date
    inside the data without a row is a weekend or holiday; the claim then refers to the last
    close before it. Dates before the first or after the last row are out of range.
    """
    if bars.empty:
        return None, f"no price data for {ticker}"
    first, last = bars["date"].iloc[0], bars["date"].iloc[-1]
    if date > last:
        return None, f"{date.date()} is after the {ticker} data end ({last.date()})"
    if date < first:
        return None, f"{date.date()} is before the {ticker} data start ({first.date()})"
    pos = int(bars["date"].searchsorted(date, side="right")) - 1
    return pos, ""


def _describe(check: Check) -> str:
    if check.passed is None:
        return f"{check.kind} unmeasured ({check.note})"
    mark = "ok" if check.passed else "FAILS"
    q = f"{check.word} " if check.word else ("" if check.qualifier == "exact" else f"{check.qualifier} ")
    if check.kind == "price":
        return f"close ${check.measured:.2f} vs claimed {q}${check.claimed:g} [{check.rule()}] {mark}"
    if check.kind == "move":
        ref = check.reference_date.date() if check.reference_date is not None else "?"
        return (f"move {_fmt_pct(check.measured)} vs {ref} (adj {_fmt_pct(check.measured_adjusted)}) "
                f"vs claimed {q}{check.claimed:g}% [{check.rule()}] {mark}")
    ref = check.reference_date.date() if check.reference_date is not None else "?"
    return (f"YTD price return {_fmt_pct(check.measured)} vs {ref} close "
            f"(total return {_fmt_pct(check.measured_adjusted)}) vs claimed {q}{check.claimed:g}% "
            f"[{check.rule()}] {mark}")


def _overall(checks: tuple[Check, ...]) -> str:
    measured = [c for c in checks if c.passed is not None]
    if not measured:
        return UNVERIFIABLE
    return SUPPORTED if all(c.passed for c in measured) else CONTRADICTED


class _Claim(NamedTuple):
    kind: str
    claimed: float
    qualifier: str  # canonical key of TOLERANCES
    override: object  # user tolerance override or None
    word: str  # closeness word as written


def _unmeasured(claim: _Claim, why: str) -> Check:
    side, width = _resolve_tolerance(claim.qualifier, claim.kind, claim.override)
    return Check(claim.kind, claim.claimed, math.nan, width, claim.qualifier, None, side=side,
                 note=why, word=claim.word)


def _verify_on_bars(ticker: str, date: pd.Timestamp, claims: list[_Claim],
                    bars: pd.DataFrame | None, why_no_bars: str = "") -> Verdict:
    """Verdict on ``claims`` about ``ticker`` on ``date`` measured on ``bars`` (None: no data)."""
    pos, why = (None, why_no_bars) if bars is None else _locate_session(bars, date, ticker)
    if pos is None:
        checks = tuple(_unmeasured(claim, why) for claim in claims)
        return Verdict(ticker, None, UNVERIFIABLE, checks, f"{ticker} {date.date()}: unverifiable: {why}")
    session = bars["date"].iloc[pos]
    checks_list = []
    for claim in claims:
        side, width = _resolve_tolerance(claim.qualifier, claim.kind, claim.override)
        measured, adjusted, ref_day, note = _measure(claim.kind, bars, pos, ticker)
        passed = None if not math.isfinite(measured) else compare(measured, claim.claimed, side, width, claim.kind)
        checks_list.append(Check(claim.kind, claim.claimed, measured, width, claim.qualifier, passed,
                                 side=side, measured_adjusted=adjusted, reference_date=ref_day,
                                 note=note, word=claim.word))
    checks = tuple(checks_list)
    verdict = _overall(checks)
    moved = "" if session == date else f" (claim date {date.date()} is not a session; last session before it)"
    evidence = (f"{ticker} {session.date()}{moved}: " + "; ".join(_describe(c) for c in checks)
                + f" -> {verdict}")
    return Verdict(ticker, session, verdict, checks, evidence)


def _word(qualifier: object) -> str:
    return qualifier.strip() if isinstance(qualifier, str) else ""


def _qualifier_for(qualifier: object, kind: str) -> tuple[str, str]:
    """(canonical qualifier, word as written) for check ``kind``."""
    if isinstance(qualifier, Mapping):
        unknown = set(qualifier) - set(CHECK_KINDS)
        if unknown:
            raise ClaimError(f"qualifier keys {sorted(unknown)} are not check kinds {sorted(CHECK_KINDS)}")
        qualifier = qualifier.get(kind)
    return canonical_qualifier(qualifier), _word(qualifier)


def verify_price_claim(ticker: str, date: object, *, move_pct: float | None = None,
                       price: float | None = None, ytd_pct: float | None = None,
                       qualifier: str | Mapping[str, str] | None = None,
                       tolerance: float | Tolerance | Mapping[str, float] | None = None,
                       source: str = "auto") -> Verdict:
    """Check price claims about ``ticker`` on ``date`` against the price data.

    Parameters
    ----------
    ticker : str
        Ticker (normalised; a malformed one raises :class:`~babaresearch.errors.InvalidTickerError`).
    date : str, date or Timestamp
        Session the claim refers to. A weekend or holiday inside the data is measured on the last
        session before it (an article of Saturday talks about Friday's close).
    move_pct : float, optional
        Claimed one-day close-to-close move in percent (``13`` = +13 %, ``-5`` = a 5 % fall).
    price : float, optional
        Claimed closing price in US$.
    ytd_pct : float, optional
        Claimed year-to-date price return in percent (vs the previous year's last close).
    qualifier : str or mapping, optional
        Closeness word for every claim ("about"), or one per check kind
        (``{"move": "close to", "price": "about", "ytd": "almost"}``). None means exact. See
        :data:`TOLERANCES`.
    tolerance : float, Tolerance or mapping, optional
        Overrides the table's width: a number (pp for move/ytd, % of claimed price for price;
        the qualifier's direction is kept), a mapping kind -> number, or a full
        :class:`Tolerance`.
    source : str
        Passed to :func:`babaresearch.prices.load_prices` (``"auto"``, ``"snapshot"``...).

    Returns
    -------
    Verdict
        ``supported`` / ``contradicted`` / ``unverifiable`` with per-check records and a
        one-line evidence sentence holding the measured numbers.

    Raises
    ------
    InvalidTickerError, DateRangeError
        Malformed ticker or date.
    ClaimError
        No claimed number, a non-numeric one, an unknown qualifier or a negative tolerance.
    """
    ticker = normalize_ticker(ticker)
    day = to_date(date, "claim date")
    claims: list[_Claim] = []
    for kind, value in (("move", move_pct), ("price", price), ("ytd", ytd_pct)):
        if value is None:
            continue
        number = _as_number(value, f"claimed {kind}")
        if kind == "price" and number <= 0:
            raise ClaimError(f"claimed price {value!r} must be positive")
        canonical, word = _qualifier_for(qualifier, kind)
        claims.append(_Claim(kind, number, canonical, tolerance, word))
    if not claims:
        raise ClaimError(f"no claim to verify for {ticker} on {day.date()}: give move_pct, price or ytd_pct")
    for claim in claims:  # validate overrides before touching data
        _resolve_tolerance(claim.qualifier, claim.kind, claim.override)
    bars, why = _load_bars(ticker, source)
    return _verify_on_bars(ticker, day, claims, bars, why)


# ----------------------------------------------------------------------------------------------
# ledger

#: Columns of :func:`verify_ledger`'s result.
VERDICT_COLUMNS: tuple[str, ...] = (
    "doc_id", "quote", "metric", "ticker", "date", "claimed", "measured", "qualifier",
    "tolerance", "verdict", "evidence",
)


def _blank(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _truthy(value: object) -> bool:
    """A ledger flag read from a frame or a CSV ("True", "1", 1, True)."""
    if _blank(value):
        return False
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _claim_session(row: Mapping[str, Any]) -> object:
    """Session a ledger price claim refers to: the event's day 0 when linked, else the as-of date."""
    for column in ("day0", "as_of"):
        value = row.get(column)
        if not _blank(value):
            return value
    return None


def verify_ledger(ledger: pd.DataFrame, *, source: str = "auto") -> pd.DataFrame:
    """Verdicts on the price claims of a claims ledger, one row per claim.

    Claims whose ``metric`` is one of :data:`PRICE_METRICS` are checked; the claims of one
    document about the same ticker and session (``day0`` when the claim is tied to an event,
    else the document's ``as_of``) are verified together, each with its own qualifier, so the
    evidence line of each row shows the whole group's measurements. A row's ``verdict`` is its
    own check's verdict. Non-price claims are not returned.

    Parameters
    ----------
    ledger : DataFrame
        Output of :func:`babaresearch.ledger.claims_ledger` (needs ``doc_id, quote, value,
        metric, ticker`` and at least one of ``day0`` / ``as_of``; ``qualifier`` and ``approx``
        are used when present).
    source : str
        Price source passed to :func:`babaresearch.prices.load_prices`.

    Returns
    -------
    DataFrame
        Columns :data:`VERDICT_COLUMNS`: ``claimed``/``measured`` in percent (move, YTD) or US$
        (price); ``tolerance`` is the rule as text ("at or below, within 1.5 pp"); ``date`` the
        session measured (NaT when none).
    """
    from .errors import DataFileError

    if not isinstance(ledger, pd.DataFrame):
        raise ClaimError(f"verify_ledger expects a DataFrame, got {type(ledger).__name__}")
    missing = {"doc_id", "quote", "value", "metric", "ticker"} - set(ledger.columns)
    if missing or not ({"day0", "as_of"} & set(ledger.columns)):
        need = sorted(missing) or ["day0 or as_of"]
        raise DataFileError("claims ledger", f"missing column(s): {', '.join(need)}")
    price_rows = ledger[ledger["metric"].isin(list(PRICE_METRICS))]
    records: list[dict[str, Any]] = []
    groups: dict[tuple[Any, Any, Any], list[tuple[int, dict[str, Any]]]] = {}
    bars_cache: dict[str, tuple[pd.DataFrame | None, str]] = {}

    for index, row in zip(price_rows.index, price_rows.to_dict("records")):
        kind = PRICE_METRICS[row["metric"]]
        base = {"doc_id": row["doc_id"], "quote": row["quote"], "metric": row["metric"],
                "ticker": None if _blank(row["ticker"]) else row["ticker"], "date": pd.NaT,
                "claimed": math.nan, "measured": math.nan, "qualifier": row.get("qualifier"),
                "tolerance": "", "verdict": UNVERIFIABLE, "evidence": ""}
        records.append(base)
        try:
            qualifier_raw = row.get("qualifier")
            if (_blank(qualifier_raw) or not str(qualifier_raw).strip()) and _truthy(row.get("approx")):
                qualifier_raw = "about"  # the extractor saw an approximation without a word
            qualifier = canonical_qualifier(qualifier_raw)
            claimed = _as_number(row["value"], "claimed value")
            ticker = normalize_ticker(row["ticker"]) if not _blank(row["ticker"]) else None
            session = _claim_session(row)
            day = None if session is None else to_date(session, "claim date")
        except BabaResearchError as exc:
            base["evidence"] = f"unverifiable: {exc}"
            continue
        base["claimed"] = claimed
        if ticker is None or day is None:
            base["evidence"] = "unverifiable: " + ("no ticker for the claim" if ticker is None
                                                   else "no date (neither day 0 nor as-of) for the claim")
            continue
        base["ticker"] = ticker
        groups.setdefault((row["doc_id"], ticker, day), []).append(
            (len(records) - 1, _Claim(kind, claimed, qualifier, None, _word(qualifier_raw)))
        )

    for (doc_id, ticker, day), members in groups.items():
        if ticker not in bars_cache:
            bars_cache[ticker] = _load_bars(ticker, source)
        bars, why = bars_cache[ticker]
        claims = [claim for _, claim in members]
        verdict = _verify_on_bars(ticker, day, claims, bars, why)
        for (rec_index, _), check in zip(members, verdict.checks):
            rec = records[rec_index]
            rec.update(
                date=verdict.date if verdict.date is not None else pd.NaT,
                measured=check.measured,
                qualifier=check.word or check.qualifier,  # as written; canonical when inferred
                tolerance=check.rule(),
                verdict=UNVERIFIABLE if check.passed is None else (SUPPORTED if check.passed else CONTRADICTED),
                evidence=verdict.evidence,
            )
    out = pd.DataFrame.from_records(records, columns=list(VERDICT_COLUMNS))
    out["date"] = pd.to_datetime(out["date"])
    out["claimed"] = out["claimed"].astype(float)
    out["measured"] = out["measured"].astype(float)
    return out.reset_index(drop=True)
