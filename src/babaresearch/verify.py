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
from .ledger import PRICE_METRICS as _LEDGER_PRICE_METRICS, is_blank_cell, is_blank_text
from .dates import to_date
from .tickers import normalize_ticker

SUPPORTED = "supported"
CONTRADICTED = "contradicted"
UNVERIFIABLE = "unverifiable"
#: Every verdict, in the order reports tally them.
VERDICTS: tuple[str, ...] = (SUPPORTED, CONTRADICTED, UNVERIFIABLE)

#: The kinds of price check, with the unit of their claimed/measured numbers.
CHECK_KINDS: dict[str, str] = {"move": "%", "price": "$", "ytd": "%"}

#: The check kind of each price metric the ledger knows.
_CHECK_KIND_OF_METRIC = {"price move": "move", "share price": "price", "YTD return": "ytd"}
#: Ledger metrics that are price claims (:data:`babaresearch.ledger.PRICE_METRICS`), and the
#: check kind each maps to (a KeyError at import means the ledger gained a price metric that
#: has no check here).
PRICE_METRICS: dict[str, str] = {metric: _CHECK_KIND_OF_METRIC[metric] for metric in sorted(_LEDGER_PRICE_METRICS)}

# Comparisons at a boundary ("13.5 vs 13 within 0.5 pp") must not flip on float noise.
_EPS = 1e-9


@dataclass(frozen=True)
class Tolerance:
    """How far a measured number may be from a claimed one for a closeness word.

    Attributes
    ----------
    side : str
        ``"both"``: ``|measured - claimed| <= width``; ``"below"`` ("almost", a figure approached
        from below): ``claimed - width <= measured <= claimed + rounding`` where ``rounding`` is
        the exact rule's band (:data:`ROUNDING_BAND`: the claimed figure is itself a rounding,
        so 13.4 % is "almost 13 %" as much as it is "13 %"); ``"above"``: ``measured >
        claimed`` ("over"); ``"at_least"``: ``measured >= claimed``; ``"at_most"``: ``measured
        <= claimed`` ("up to"); ``"under"``: ``measured < claimed``. For a negative claimed
        move or YTD ("fell over 5%") the comparison is made on the magnitude, so "over -5%"
        means a fall of more than 5 %.
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

#: The exact (no closeness word) rule, which is also the rounding band every closeness word
#: keeps around its figure: a whole-number percent ("13%") is the true move rounded to the
#: nearest point, so it is right within +/-0.5 pp; a quoted price ("$135") within +/-0.5 % of
#: the close covers quoting a rounded or late-intraday figure.
ROUNDING_BAND = Tolerance("both", 0.5, 0.5, 0.5,
                          "a whole-number percent carries +/-0.5 pp of rounding; a quoted price +/-0.5 %")

#: Tolerance rule for each canonical closeness key (the words of :data:`QUALIFIER_WORDS` map
#: onto these). Invariant, tested for every word: no closeness word accepts less than the exact
#: rule on either side, because the figure after the word is itself rounded.
#:
#: * ``exact`` (no word): :data:`ROUNDING_BAND`, +/-0.5 pp (move, YTD), +/-0.5 % (price).
#: * ``about`` ("about", "around", "roughly", "approximately", "close to", "near"): a two-sided
#:   approximation, twice the rounding band on a move (+/-1.0 pp), +/-2 % on a price, and
#:   +/-2.5 pp on a YTD return (a bigger number writers round to the nearest 5: "about 60%").
#: * ``almost`` ("almost", "nearly", "just under", "not quite"): a figure approached from
#:   below: measured at most the claim plus the rounding band (0.5 pp / 0.5 %), at least the
#:   claim minus 1.5 pp (move), 2 % (price) or 5 pp (YTD: "almost 60%" is said of 55-60 %).
#: * ``over`` ("over", "more than", "above"): a strict lower bound, no upper bound (a one-sided
#:   claim says nothing about how far beyond); no rounding slack, the word *is* the claim.
#: * ``at least``: an inclusive lower bound.
#: * ``up to`` ("up to", "at most", "as much as"): an inclusive upper bound.
#: * ``under`` ("under", "less than", "below"): a strict upper bound.
TOLERANCES: dict[str, Tolerance] = {
    "exact": ROUNDING_BAND,
    "about": Tolerance("both", 1.0, 2.0, 2.5,
                       "two-sided approximation: twice the rounding band (move), 2 % (price), "
                       "a YTD figure rounded to the nearest 5 (+/-2.5 pp)"),
    "almost": Tolerance("below", 1.5, 2.0, 5.0,
                        "approached from below: up to the rounding band above the claim, "
                        "1.5 pp / 2 % / 5 pp (YTD) below it"),
    "over": Tolerance("above", None, None, None, "a strict lower bound"),
    "at least": Tolerance("at_least", None, None, None, "an inclusive lower bound"),
    "up to": Tolerance("at_most", None, None, None, "an inclusive upper bound"),
    "under": Tolerance("under", None, None, None, "a strict upper bound"),
}


@dataclass(frozen=True)
class QualifierWord:
    """A closeness word as written in articles, the rule of :data:`TOLERANCES` it uses, and why."""

    word: str
    rule: str
    why: str


#: Every closeness word the verifier knows, one sentence each. The reasoning throughout: the
#: number after the word is itself a rounding (a whole-number percent carries +/-0.5 pp), so
#: a word of approximation widens the exact band, never narrows it.
QUALIFIER_WORDS: tuple[QualifierWord, ...] = (
    QualifierWord("", "exact", "no word: the figure is a rounding of the measurement (+/-0.5 pp, +/-0.5 %)"),
    QualifierWord("exact", "exact", "stated as exact: still a rounded figure, so the rounding band"),
    QualifierWord("exactly", "exact", "as 'exact'"),
    QualifierWord("precisely", "exact", "as 'exact'"),
    QualifierWord("about", "about", "an approximation either side of the figure"),
    QualifierWord("around", "about", "as 'about': either side"),
    QualifierWord("roughly", "about", "as 'about': either side"),
    QualifierWord("approximately", "about", "as 'about': either side"),
    QualifierWord("approx", "about", "abbreviation of 'approximately'"),
    QualifierWord("approx.", "about", "abbreviation of 'approximately'"),
    QualifierWord("some", "about", "'some 13%' is an approximation either side"),
    QualifierWord("circa", "about", "as 'about': either side"),
    QualifierWord("~", "about", "the tilde sign reads 'about'"),
    QualifierWord("close to", "about", "near the figure on either side: 12.9 % and 13.4 % are both close to 13 %"),
    QualifierWord("near", "about", "as 'close to': either side"),
    QualifierWord("almost", "almost", "approached from below: not past the figure beyond its rounding"),
    QualifierWord("nearly", "almost", "as 'almost': from below"),
    QualifierWord("just under", "almost", "from below, and no further off than 'almost'"),
    QualifierWord("not quite", "almost", "as 'almost': from below"),
    QualifierWord("just shy of", "almost", "as 'just under': from below"),
    QualifierWord("over", "over", "a strict lower bound: the measurement exceeds the figure"),
    QualifierWord("more than", "over", "as 'over'"),
    QualifierWord("above", "over", "as 'over'"),
    QualifierWord("greater than", "over", "as 'over'"),
    QualifierWord("in excess of", "over", "as 'over'"),
    QualifierWord("just over", "over", "as 'over' (how far beyond is not checked)"),
    QualifierWord("well over", "over", "as 'over' (how far beyond is not checked)"),
    QualifierWord("upwards of", "over", "as 'over'"),
    QualifierWord("north of", "over", "as 'over'"),
    QualifierWord("at least", "at least", "an inclusive lower bound: the figure itself qualifies"),
    QualifierWord("up to", "up to", "an inclusive upper bound"),
    QualifierWord("at most", "up to", "as 'up to'"),
    QualifierWord("as much as", "up to", "as 'up to'"),
    QualifierWord("no more than", "up to", "as 'up to'"),
    QualifierWord("under", "under", "a strict upper bound: the measurement is below the figure"),
    QualifierWord("less than", "under", "as 'under'"),
    QualifierWord("below", "under", "as 'under'"),
    QualifierWord("fewer than", "under", "as 'under'"),
    QualifierWord("expected", "about", "a forecast: compared with the outcome, when there is one, "
                                        "as 'about' (see FORECAST_QUALIFIERS)"),
    QualifierWord("estimated", "about", "as 'expected': a forecast"),
    QualifierWord("projected", "about", "as 'expected': a forecast"),
    QualifierWord("forecast", "about", "as 'expected': a forecast"),
)

#: Closeness words as written in articles -> canonical key of :data:`TOLERANCES`.
QUALIFIER_SYNONYMS: dict[str, str] = {entry.word: entry.rule for entry in QUALIFIER_WORDS}


def tolerance_table() -> pd.DataFrame:
    """The closeness words and the measured values each accepts, as a table for reports.

    Returns
    -------
    DataFrame
        One row per word of :data:`QUALIFIER_WORDS` with columns ``word, rule, side,
        move_from_pp, move_to_pp, price_from_pct, price_to_pct, ytd_from_pp, ytd_to_pp, why``:
        the accepted measurements as signed offsets from the claimed figure (percentage points
        for move and YTD, percent of the claimed price for the price; -inf / inf for an
        unbounded side). The offsets are inclusive except for the strict sides ``above``
        ("over": the figure itself is excluded from ``(0, inf)``) and ``under``.
    """
    rows = []
    for entry in QUALIFIER_WORDS:
        table = TOLERANCES[entry.rule]
        row: dict[str, Any] = {"word": entry.word, "rule": entry.rule, "side": table.side}
        for kind, unit in (("move", "pp"), ("price", "pct"), ("ytd", "pp")):
            low, high = accepted_offsets(table.side, table.width(kind), ROUNDING_BAND.width(kind))
            row[f"{kind}_from_{unit}"], row[f"{kind}_to_{unit}"] = low, high
        row["why"] = entry.why
        rows.append(row)
    return pd.DataFrame(rows)


def accepted_offsets(side: str, width: float | None, rounding: float | None = None) -> tuple[float, float]:
    """Signed (low, high) offsets from the claimed figure that a rule accepts.

    Parameters
    ----------
    side : str
        See :class:`Tolerance`.
    width : float or None
        The rule's width (pp, or % of the claimed price).
    rounding : float, optional
        How far above the claim a ``"below"`` rule accepts (default the move's rounding band,
        0.5).

    Returns
    -------
    tuple of float
        ``(-1.5, 0.5)`` for "almost" on a move; -inf / inf for an unbounded side.
    """
    inf = math.inf
    width = width or 0.0
    above = ROUNDING_BAND.move_pp if rounding is None else rounding
    return {
        "both": (-width, width),
        "below": (-width, above),
        "above": (0.0, inf),
        "at_least": (0.0, inf),
        "at_most": (-inf, 0.0),
        "under": (-inf, 0.0),
    }[side]


def canonical_qualifier(qualifier: object) -> str:
    """Map a qualifier ("nearly", "More than", None) to a key of :data:`TOLERANCES`.

    Understands every value :func:`babaresearch.claims.extract_claims` writes in its
    ``qualifier`` column: the closeness words of :data:`QUALIFIER_WORDS`, the forecast words
    ("expected": the ``"about"`` rule, see :data:`FORECAST_QUALIFIERS`) and a stated tolerance
    matching :data:`babaresearch.claims.TOLERANCE_QUALIFIER_RE` ("plus or minus 2%"), which is
    two-sided: ``"about"``'s side, with the stated width instead of the table's
    (:func:`stated_tolerance`).

    Raises
    ------
    ClaimError
        For a word the table does not know (rather than silently treating it as exact).
    """
    if is_blank_cell(qualifier):
        return "exact"
    if not isinstance(qualifier, str):
        raise ClaimError(f"qualifier {qualifier!r} is not a string")
    key = " ".join(qualifier.strip().lower().split())
    if key in QUALIFIER_SYNONYMS:
        return QUALIFIER_SYNONYMS[key]
    if stated_tolerance(key) is not None:
        return TOLERANCE_RULE
    raise ClaimError(
        f"unknown qualifier {qualifier!r}; known: {', '.join(sorted(k for k in QUALIFIER_SYNONYMS if k))}"
        " or a tolerance such as 'plus or minus 2%'"
    )


#: Rule (key of :data:`TOLERANCES`) whose side a stated tolerance ("plus or minus 2%") uses; its
#: width is the stated one.
TOLERANCE_RULE = "about"

#: Scale words a stated tolerance may carry ("plus or minus 0.5 billion USD").
_TOLERANCE_SCALES: dict[str, float] = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def stated_tolerance(qualifier: object) -> tuple[float, str] | None:
    """Width and unit of a stated tolerance qualifier, None for any other qualifier.

    Parameters
    ----------
    qualifier : object
        A ``qualifier`` cell; a tolerance has the form of
        :data:`babaresearch.claims.TOLERANCE_QUALIFIER_RE`.

    Returns
    -------
    tuple (width, unit) or None
        ``unit`` is ``"%"`` ("plus or minus 2%": percent of the claimed amount, or percentage
        points for a percent claim), ``"bp"`` (basis points: hundredths of those) or ``""``
        (an absolute width in the claim's own unit, scale words applied: "plus or minus 0.5
        billion USD" -> ``(5e8, "")``; no currency conversion is made).
    """
    from .claims import TOLERANCE_QUALIFIER_RE

    if not isinstance(qualifier, str):
        return None
    key = " ".join(qualifier.strip().lower().split())
    if not TOLERANCE_QUALIFIER_RE.fullmatch(key):
        return None
    rest = key[len("plus or minus "):]
    number = rest.split("%")[0].split(" ")[0]
    width = float(number)
    tail = rest[len(number):].strip()
    if tail == "%":
        return width, "%"
    if tail == "bp":
        return width, "bp"
    first = tail.split(" ")[0] if tail else ""
    return width * _TOLERANCE_SCALES.get(first, 1.0), ""


def stated_width(stated: tuple[float, str], claimed: float, percent_claim: bool) -> float:
    """Absolute width of a stated tolerance around ``claimed``, in the claim's unit.

    ``"%"`` is percentage points for a percent claim (a move "13% plus or minus 1%" allows
    12-14 %) and percent of the claimed number otherwise ("$75 billion plus or minus 2%" allows
    $73.5-76.5bn); ``"bp"`` is a hundredth of that; ``""`` is already absolute.
    """
    width, unit = stated
    if unit == "":
        return width
    scale = 1.0 if unit == "%" else 0.01
    return width * scale if percent_claim else abs(claimed) * width * scale / 100.0


def rule_text(side: str, width: float | None, unit: str, above: float | None = None) -> str:
    """Human form of a comparison rule.

    Parameters
    ----------
    side : str
        See :class:`Tolerance`.
    width : float or None
        The rule's width, a number in ``unit``.
    unit : str
        Appended to the numbers (``" pp"``, ``"% of price"``).
    above : float, optional
        For ``"below"``: how far above the claim is accepted (default the move's rounding band).

    Returns
    -------
    str
        ``"within +/-1 pp"``, ``"from 1.5 pp below to 0.5 pp above"``, ``"must exceed"``...
    """
    amount = "" if width is None else f"{width:g}{unit}"
    upper = ROUNDING_BAND.move_pp if above is None else above
    return {
        "both": f"within +/-{amount}",
        "below": f"from {amount} below to {upper:g}{unit} above",
        "above": "must exceed",
        "at_least": "must be at least",
        "at_most": "must not exceed",
        "under": "must be below",
    }[side]


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
    above : float or None
        For a ``"below"`` rule ("almost"), how far above the claim a measurement may lie, in
        the unit of ``tolerance`` (the rounding band, :data:`ROUNDING_BAND`); None otherwise.
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
    above: float | None = None

    def rule(self) -> str:
        """Human form of the comparison, e.g. ``"from 1.5 pp below to 0.5 pp above"``."""
        return rule_text(self.side, self.tolerance, " pp" if self.kind != "price" else "% of price",
                         self.above)

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


def _resolve_tolerance(qualifier: str, kind: str, override: object) -> tuple[str, float | None, float | None]:
    """(side, width, above) for a canonical qualifier, honouring a user ``tolerance`` override.

    ``above`` is the rounding band a ``"below"`` rule accepts above the claim (None for other
    sides); an override changes the width only, never that band.
    """
    table = TOLERANCES[qualifier]
    side, width = table.side, table.width(kind)
    if override is not None:
        if isinstance(override, Tolerance):
            if override.side not in _SIDES:
                raise ClaimError(f"tolerance side {override.side!r} is not one of {_SIDES}")
            side, width = override.side, override.width(kind)
        else:
            if isinstance(override, Mapping):
                override = override.get(kind)
            if override is not None:
                value = _as_number(override, "tolerance")
                if value < 0:
                    raise ClaimError(f"tolerance {override!r} is negative")
                # A plain number replaces the width but keeps the word's direction ("almost"
                # stays from below).
                width = value
    return side, width, (ROUNDING_BAND.width(kind) if side == "below" else None)


def compare(measured: float, claimed: float, side: str, width: float | None, kind: str, *,
            above: float | None = None) -> bool:
    """Whether ``measured`` satisfies ``claimed`` under a rule.

    Parameters
    ----------
    measured, claimed : float
        Percent for ``move``/``ytd``, dollars for ``price`` (any one unit for reference facts,
        compared as ``"move"``: widths are then absolute).
    side : str
        See :class:`Tolerance`.
    width : float or None
        pp for ``move``/``ytd``; percent of ``claimed`` for ``price``.
    kind : str
        ``"move"``, ``"price"`` or ``"ytd"``.
    above : float, optional
        For ``side="below"``: how far above the claim a measurement may lie, in the unit of
        ``width``. Default: the exact rule's rounding band for ``kind`` (:data:`ROUNDING_BAND`,
        0.5 pp or 0.5 % of the price), so "almost 13%" accepts 13.4 % just as "13%" does.
    """
    if above is None:
        above = ROUNDING_BAND.width(kind)
    if kind == "price":
        width_abs = None if width is None else abs(claimed) * width / 100.0
        above_abs = abs(claimed) * (above or 0.0) / 100.0
    else:
        width_abs, above_abs = width, above or 0.0
    # A claimed fall ("almost -13%", "over -5%") is judged on its magnitude.
    if claimed < 0 and kind != "price":
        measured, claimed = -measured, -claimed
    # Boundaries are inclusive up to float noise, scaled so amounts in billions behave as percents.
    eps = _EPS * max(1.0, abs(claimed))
    if side == "both":
        return abs(measured - claimed) <= (width_abs or 0.0) + eps
    if side == "below":
        return claimed - (width_abs or 0.0) - eps <= measured <= claimed + above_abs + eps
    if side == "above":
        return measured > claimed + eps
    if side == "at_least":
        return measured >= claimed - eps
    if side == "at_most":
        return measured <= claimed + eps
    if side == "under":
        return measured < claimed - eps
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
    after = ""
    if stated_tolerance(check.word) is not None:  # "$75 plus or minus 2%": the range follows the figure
        q, after = "", f" {check.word}"
    if check.kind == "price":
        return f"close ${check.measured:.2f} vs claimed {q}${check.claimed:g}{after} [{check.rule()}] {mark}"
    if check.kind == "move":
        ref = check.reference_date.date() if check.reference_date is not None else "?"
        return (f"move {_fmt_pct(check.measured)} vs {ref} (adj {_fmt_pct(check.measured_adjusted)}) "
                f"vs claimed {q}{check.claimed:g}%{after} [{check.rule()}] {mark}")
    ref = check.reference_date.date() if check.reference_date is not None else "?"
    return (f"YTD price return {_fmt_pct(check.measured)} vs {ref} close "
            f"(total return {_fmt_pct(check.measured_adjusted)}) vs claimed {q}{check.claimed:g}%{after} "
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
    side, width, above = _resolve_tolerance(claim.qualifier, claim.kind, claim.override)
    return Check(claim.kind, claim.claimed, math.nan, width, claim.qualifier, None, side=side,
                 note=why, word=claim.word, above=above)


def _check_verdict(check: Check) -> str:
    return UNVERIFIABLE if check.passed is None else (SUPPORTED if check.passed else CONTRADICTED)


def _session_head(ticker: str, date: pd.Timestamp, session: pd.Timestamp | None) -> str:
    """``"BABA 2025-08-29"``, saying so when the claim date is not a session."""
    if session is None:
        return f"{ticker} {date.date()}"
    moved = "" if session == date else f" (claim date {date.date()} is not a session; last session before it)"
    return f"{ticker} {session.date()}{moved}"


def check_evidence(ticker: str, date: pd.Timestamp, session: pd.Timestamp | None, check: Check) -> str:
    """One line about one check: its measurement, rule and verdict (the row of one claim).

    Parameters
    ----------
    ticker : str
    date : Timestamp
        The claim date.
    session : Timestamp or None
        The session measured (None when none was found).
    check : Check

    Returns
    -------
    str
        e.g. ``"BABA 2025-08-29: close $135.00 vs claimed about $135 [within +/-2% of price] ok
        -> supported"``.
    """
    return f"{_session_head(ticker, date, session)}: {_describe(check)} -> {_check_verdict(check)}"


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
        side, width, above = _resolve_tolerance(claim.qualifier, claim.kind, claim.override)
        measured, adjusted, ref_day, note = _measure(claim.kind, bars, pos, ticker)
        passed = (None if not math.isfinite(measured)
                  else compare(measured, claim.claimed, side, width, claim.kind, above=above))
        checks_list.append(Check(claim.kind, claim.claimed, measured, width, claim.qualifier, passed,
                                 side=side, measured_adjusted=adjusted, reference_date=ref_day,
                                 note=note, word=claim.word, above=above))
    checks = tuple(checks_list)
    verdict = _overall(checks)
    evidence = (f"{_session_head(ticker, date, session)}: " + "; ".join(_describe(c) for c in checks)
                + f" -> {verdict}")
    return Verdict(ticker, session, verdict, checks, evidence)


def _word(qualifier: object) -> str:
    return qualifier.strip() if isinstance(qualifier, str) else ""


class ClaimQualifier(NamedTuple):
    """How a claim's ``qualifier``/``approx`` cells are read (:func:`claim_qualifier`)."""

    rule: str  # key of TOLERANCES
    word: str  # as written ("" for none)
    forecast: bool  # "expected" & co (FORECAST_QUALIFIERS)
    stated: tuple[float, str] | None  # a stated tolerance (stated_tolerance), else None


def claim_qualifier(qualifier: object, approx: object = False) -> ClaimQualifier:
    """Read a ledger claim's qualifier: the one place both verifiers interpret it.

    A blank qualifier with ``approx`` true means the extractor saw an approximation without a
    word: the ``"about"`` rule. Raises :class:`~babaresearch.errors.ClaimError` for an unknown word.
    """
    word = "" if is_blank_text(qualifier) else _word(qualifier)
    if not word and _truthy(approx):
        return ClaimQualifier("about", "", False, None)
    rule = canonical_qualifier(word or None)
    return ClaimQualifier(rule, word, " ".join(word.lower().split()) in FORECAST_QUALIFIERS,
                          stated_tolerance(word))


def _stated_override(stated: tuple[float, str] | None, kind: str, claimed: float) -> float | None:
    """A stated tolerance as a width override for price check ``kind`` (pp, or % of the price),
    never narrower than the exact rule's rounding band (the claimed figure is itself rounded)."""
    if stated is None:
        return None
    width = stated_width(stated, claimed, percent_claim=kind != "price")
    if kind == "price":  # dollars -> percent of the claimed price, the price rule's unit
        width = width / abs(claimed) * 100.0 if claimed else math.inf
    return max(width, ROUNDING_BAND.width(kind) or 0.0)


def _qualifier_for(qualifier: object, kind: str) -> tuple[str, str, tuple[float, str] | None]:
    """(canonical qualifier, word as written, stated tolerance or None) for check ``kind``."""
    if isinstance(qualifier, Mapping):
        unknown = set(qualifier) - set(CHECK_KINDS)
        if unknown:
            raise ClaimError(f"qualifier keys {sorted(unknown)} are not check kinds {sorted(CHECK_KINDS)}")
        qualifier = qualifier.get(kind)
    return canonical_qualifier(qualifier), _word(qualifier), stated_tolerance(qualifier)


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
        :data:`TOLERANCES`. A stated tolerance ("plus or minus 2%") is two-sided with its own
        width (pp for move/ytd, % of the price; never narrower than the exact rule).
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
        canonical, word, stated = _qualifier_for(qualifier, kind)
        override = tolerance if tolerance is not None else _stated_override(stated, kind, number)
        claims.append(_Claim(kind, number, canonical, override, word))
    if not claims:
        raise ClaimError(f"no claim to verify for {ticker} on {day.date()}: give move_pct, price or ytd_pct")
    for claim in claims:  # validate overrides before touching data
        _resolve_tolerance(claim.qualifier, claim.kind, claim.override)
    bars, why = _load_bars(ticker, source)
    return _verify_on_bars(ticker, day, claims, bars, why)


# ----------------------------------------------------------------------------------------------
# ledger

#: How a claim was checked, the ``check`` column of :func:`verify_ledger`, :func:`verify_facts`
#: and :func:`scorecard`. It splits "unverifiable" into its causes, so a report can say "12
#: figures had no reference fact collected; 3 were checked and could not be confirmed".
CHECK_MEASURED = "measured"
CHECK_NO_PRICE_DATA = "no price data"
CHECK_FACT_CONFIRMS = "fact confirms"
CHECK_FACT_CONTRADICTS = "fact contradicts"
CHECK_NOT_CONFIRMED = "not confirmed by the facts found"
CHECK_FORECAST = "forecast"
CHECK_NO_FACT = "no reference fact collected"
CHECK_NOT_CHECKABLE = "claim not checkable"
CHECK_OUTCOMES: dict[str, str] = {
    CHECK_MEASURED: "a price claim measured on the price data (supported or contradicted)",
    CHECK_NO_PRICE_DATA: "a price claim with no usable bar: no data for the ticker, a date "
                         "outside the data, a filler bar or no previous close (unverifiable)",
    CHECK_FACT_CONFIRMS: "a confirmed reference fact supports the claim",
    CHECK_FACT_CONTRADICTS: "a reference fact rules the claim out (contradicted)",
    CHECK_NOT_CONFIRMED: "reference facts on this figure were collected but none settles it: "
                         "not found, nearest, lower bound, a bound that decides nothing, a "
                         "running count between dated figures, another unit (unverifiable)",
    CHECK_FORECAST: "a forecast with no outcome fact that settles it (unverifiable)",
    CHECK_NO_FACT: "no reference fact on this company, metric, subject and period was "
                   "collected (unverifiable)",
    CHECK_NOT_CHECKABLE: "the claim itself cannot be checked: not a number, an unknown "
                         "closeness word, no ticker or no date (unverifiable)",
}

#: Columns of :func:`verify_ledger`'s result.
VERDICT_COLUMNS: tuple[str, ...] = (
    "doc_id", "quote", "metric", "ticker", "date", "claimed", "measured", "qualifier",
    "tolerance", "verdict", "evidence", "check",
)


def _one_line(text: object) -> str:
    """Evidence on one line: any run of whitespace (a newline in a source note) becomes a space."""
    return " ".join(str(text).split())


def _truthy(value: object) -> bool:
    """A ledger flag read from a frame or a CSV ("True", "1", 1, True)."""
    if is_blank_cell(value):
        return False
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _claim_session(row: Mapping[str, Any]) -> object:
    """Session a ledger price claim refers to.

    An explicit calendar date as the period label ("fell 2% on August 28, 2025") is that day,
    whatever the ledger tied the claim to (a ledger written before dated price claims were
    tied to their session resolved such a date to the nearest earnings release); otherwise the
    event's day 0 when linked, else the document's as-of date.
    """
    from .periods import explicit_date

    label = row.get("period_label")
    if isinstance(label, str) and label.strip():
        try:
            stated = explicit_date(label)
        except BabaResearchError:
            stated = None  # an impossible date: fall back to the ledger's tie
        if stated is not None:
            return stated
    for column in ("day0", "as_of"):
        value = row.get(column)
        if not is_blank_cell(value):
            return value
    return None


def verify_ledger(ledger: pd.DataFrame, *, source: str = "auto") -> pd.DataFrame:
    """Verdicts on the price claims of a claims ledger, one row per claim.

    Claims whose ``metric`` is one of :data:`PRICE_METRICS` are checked; the claims of one
    document about the same ticker and session (``day0`` when the claim is tied to an event,
    else the document's ``as_of``) are verified together (the bars are loaded once), each with
    its own qualifier; a row's ``verdict`` and one-line ``evidence`` are its own check's (the move row talks about
    the move, the price row about the price). Non-price claims are not returned.

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
        (price); ``tolerance`` is the rule as text ("from 1.5 pp below to 0.5 pp above");
        ``date`` the session measured (NaT when none); ``check`` is ``"measured"``, ``"no
        price data"`` or ``"claim not checkable"`` (:data:`CHECK_OUTCOMES`).
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
    forecasts: set[int] = set()  # records whose claim is a forecast ("expected")

    for index, row in zip(price_rows.index, price_rows.to_dict("records")):
        kind = PRICE_METRICS[row["metric"]]
        base = {"doc_id": row["doc_id"], "quote": row["quote"], "metric": row["metric"],
                "ticker": None if is_blank_cell(row["ticker"]) else row["ticker"], "date": pd.NaT,
                "claimed": math.nan, "measured": math.nan, "qualifier": row.get("qualifier"),
                "tolerance": "", "verdict": UNVERIFIABLE, "evidence": "", "check": CHECK_NOT_CHECKABLE}
        records.append(base)
        try:
            read = claim_qualifier(row.get("qualifier"), row.get("approx"))
            claimed = _as_number(row["value"], "claimed value")
            ticker = normalize_ticker(row["ticker"]) if not is_blank_cell(row["ticker"]) else None
            session = _claim_session(row)
            day = None if session is None else to_date(session, "claim date")
        except BabaResearchError as exc:
            base["evidence"] = _one_line(f"unverifiable: {exc}")
            continue
        base["claimed"] = claimed
        if ticker is None or day is None:
            base["evidence"] = "unverifiable: " + ("no ticker for the claim" if ticker is None
                                                   else "no date (neither day 0 nor as-of) for the claim")
            continue
        base["ticker"] = ticker
        if read.forecast:
            forecasts.add(len(records) - 1)
        groups.setdefault((row["doc_id"], ticker, day), []).append(
            (len(records) - 1, _Claim(kind, claimed, read.rule,
                                      _stated_override(read.stated, kind, claimed),
                                      read.word or ("about" if read.rule == "about" else "")))
        )

    for (doc_id, ticker, day), members in groups.items():
        if ticker not in bars_cache:
            bars_cache[ticker] = _load_bars(ticker, source)
        bars, why = bars_cache[ticker]
        claims = [claim for _, claim in members]
        verdict = _verify_on_bars(ticker, day, claims, bars, why)
        for (rec_index, _), check in zip(members, verdict.checks):
            rec = records[rec_index]
            forecast = rec_index in forecasts
            # A forecast ("expected to close near $140") about a session with a bar is judged on
            # the outcome; with no bar (a session after the data) it stays a forecast.
            lead = "forecast compared with the outcome: " if forecast and check.passed is not None else ""
            unmeasured = CHECK_FORECAST if forecast else CHECK_NO_PRICE_DATA
            rec.update(
                date=verdict.date if verdict.date is not None else pd.NaT,
                measured=check.measured,
                qualifier=check.word or check.qualifier,  # as written; canonical when inferred
                tolerance=check.rule(),
                verdict=_check_verdict(check),
                evidence=_one_line(lead + check_evidence(ticker, day, verdict.date, check)),
                check=unmeasured if check.passed is None else CHECK_MEASURED,
            )
    out = pd.DataFrame.from_records(records, columns=list(VERDICT_COLUMNS))
    out["date"] = pd.to_datetime(out["date"])
    out["claimed"] = out["claimed"].astype(float)
    out["measured"] = out["measured"].astype(float)
    return out.reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# non-price claims against reference facts
#
# A claim about a business figure ("34% cloud growth in Q3 2025", "RMB 21.8 billion outflow",
# "470,000 chips") is set beside the reference facts of data/reference_facts.csv. The rules:
#
# 1. *Entity*: the claim's ticker (BABA, NVDA) or, when it has none, its subject through
#    :data:`SUBJECT_ENTITIES` ("Azure" -> "Microsoft"); the fact's ``ticker`` column holds the
#    same vocabulary (a ticker, or a company name such as "AWS" for companies without one here).
# 2. *Metric*: the claim's metric through :data:`QUOTE_METRIC_RULES` (first) and
#    :data:`METRIC_EQUIVALENCE` must equal the fact's metric.
# 3. *Subject*: a fact whose ``subject`` column lists subjects ("Alibaba Cloud") matches only
#    claims about one of them: the cloud segment's 34% growth never supports "Alibaba" (group)
#    revenue growth. A claim without a subject, or a fact without subjects, is not held to it.
# 4. *Period*: when both have a ``fiscal_period`` they must be equal; a fact without one (a plan,
#    a count stated on a date, a market share) matches on entity + metric alone, and so does a
#    claim without one (the evidence then says the claim names no period). A ``plan`` fact
#    (``horizon``) matches only claims without a fiscal period: a quarter's capex is not the
#    three-year plan.
# 5. *Unit*: after :data:`UNIT_ALIASES` the units must be equal; there is no currency
#    conversion, a fact in another unit gives "unverifiable (unit mismatch)".
# 6. *Status* (:data:`FACT_STATUSES`): a "not found" fact names a figure no source confirms and
#    matches a claim of that figure (same value within the claim's tolerance); only "confirmed"
#    facts can support or contradict; "nearest" and "lower bound" facts are reported as what was
#    found instead. An unverifiable verdict never reports the claimed figure as ``fact_value``
#    (it would read like a match): it reports the nearest figure found instead (33 for a 34%
#    share) or NaN (no figure, or only dated bounds around a running count), and the evidence
#    says which.
# 7. *Values*: the claim's closeness word gives the set of values it allows
#    (:func:`fact_tolerance`); a point fact inside it supports the claim, outside contradicts;
#    a bound fact ("at least 100%") supports when every value it allows is inside, contradicts
#    when none is, and is otherwise unverifiable.

#: Statuses of a reference fact. Only ``confirmed`` facts can support or contradict a claim.
FACT_STATUSES: tuple[str, ...] = ("confirmed", "lower bound", "nearest", "not found")
CONFIRMED = "confirmed"
NOT_FOUND = "not found"

#: Columns of :func:`reference_facts` (``qualifier`` and ``scope`` may be absent from a file or a
#: hand-built frame; they then default to empty).
FACT_COLUMNS: tuple[str, ...] = (
    "fact_id", "ticker", "metric", "fiscal_period", "period_end", "value", "unit", "as_of",
    "status", "source_note", "qualifier", "scope", "subject", "horizon",
)
_FACT_REQUIRED: tuple[str, ...] = FACT_COLUMNS[:10]
#: Optional fact columns (default empty): ``qualifier`` ("at least"), ``scope`` ("China",
#: "global"), ``subject`` (the claim subjects the fact is about, "|"-separated, e.g.
#: "Alibaba Cloud" for the cloud segment's growth; empty: any subject of the entity) and
#: ``horizon`` (:data:`FACT_HORIZONS`).
_FACT_OPTIONAL: tuple[str, ...] = ("qualifier", "scope", "subject", "horizon")
#: What span a fact covers: "quarter" / "year" (its ``fiscal_period``), "to date" (a running
#: count stated on ``as_of``), "period end" (a share at ``period_end``), "plan" (a multi-year
#: plan: only a claim without a fiscal period can be about it, so a quarter's capex is never
#: compared with the three-year capex plan), or empty (unspecified).
FACT_HORIZONS: tuple[str, ...] = ("", "quarter", "year", "to date", "period end", "plan")

#: File name of the reference facts inside the data folder.
FACTS_FILE = "reference_facts.csv"

#: Columns of :func:`verify_facts`' result.
FACT_VERDICT_COLUMNS: tuple[str, ...] = (
    "doc_id", "quote", "metric", "subject", "ticker", "fiscal_period", "claimed", "unit",
    "qualifier", "fact_id", "fact_value", "verdict", "evidence", "check",
)

#: Columns of :func:`scorecard`'s result.
SCORECARD_COLUMNS: tuple[str, ...] = (
    "doc_id", "quote", "metric", "claimed", "measured_or_fact", "verdict", "evidence", "kind",
    "mentions", "check",
)
#: How :func:`scorecard` treats a figure a document states several times.
REPEAT_MODES: tuple[str, ...] = ("collapse", "keep")

#: Claim subject (lower case) -> the entity name used in the facts' ``ticker`` column, for
#: claims the ledger gives no ticker (companies outside BABA/NVDA). Azure is Microsoft's cloud:
#: the Synergy share is reported under Microsoft.
SUBJECT_ENTITIES: dict[str, str] = {
    "aws": "AWS", "amazon web services": "AWS",
    "azure": "Microsoft", "microsoft azure": "Microsoft", "microsoft": "Microsoft",
    "google cloud": "Google", "google": "Google", "amazon": "Amazon",
}

#: Ledger metric -> reference-fact metric where the vocabularies differ (identity otherwise).
METRIC_EQUIVALENCE: dict[str, str] = {
    "growth": "revenue growth", "yoy growth": "revenue growth", "sales growth": "revenue growth",
    "capital expenditure": "capex", "capex plan": "capex", "investment": "capex",
    "shipments": "units shipped", "chips shipped": "units shipped",
    "share": "market share", "fcf": "free cash flow",
    "streak": "consecutive quarters",
    "ai-related revenue growth": "AI revenue growth", "ai product revenue growth": "AI revenue growth",
    "ai-related product revenue growth": "AI revenue growth", "ai growth": "AI revenue growth",
}


@dataclass(frozen=True)
class QuoteMetricRule:
    """A claim whose quote matches ``pattern`` and whose ledger metric is ``metric`` is about
    ``fact_metric`` (checked before :data:`METRIC_EQUIVALENCE`)."""

    pattern: str
    metric: str
    fact_metric: str
    why: str


#: Quote-based metric rules. "Triple-digit growth" is said of Alibaba's AI-related product
#: revenue, never of the cloud segment as a whole (26% and 34% in the quarters at issue): the
#: ledger files it under "revenue growth" with qualifier "at least" and value 100, and comparing
#: it with the 34% cloud-growth fact would wrongly contradict it.
QUOTE_METRIC_RULES: tuple[QuoteMetricRule, ...] = (
    QuoteMetricRule(r"\b(?:triple|3)[- ]digit", "revenue growth", "AI revenue growth",
                    "triple-digit growth is the AI-product revenue growth, not the cloud segment's"),
)

#: Unit spellings -> canonical unit (no currency conversion is ever made).
UNIT_ALIASES: dict[str, str] = {
    "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "usd": "USD", "$": "USD", "us$": "USD",
    "%": "%", "percent": "%", "pct": "%", "count": "count",
}

#: Closeness words that mark a forecast ("expected $206 billion"): the figure is not a fact
#: yet. Compared with a reference fact on the outcome, if one exists, with the "about" rule.
FORECAST_QUALIFIERS: frozenset[str] = frozenset({"expected", "estimated", "projected", "forecast"})
FORECAST_RULE = "about"

#: Metrics that are running counts stated on a date (chips shipped to date): a count stated on
#: another day is not the same figure, but counts never fall, so dated facts bracket a claim.
CUMULATIVE_METRICS: frozenset[str] = frozenset({"units shipped"})

#: Fact qualifiers that make the fact a bound (the set of values it allows). Two-sided words
#: ("about") only describe the fact's own rounding: the stated figure is used as a point.
_BOUND_SIDES = frozenset({"above", "at_least", "at_most", "under"})


def _text(value: object) -> str:
    return "" if is_blank_cell(value) else str(value).strip()


def _canonical_unit(unit: object) -> str:
    text = _text(unit)
    return UNIT_ALIASES.get(text.lower(), text)


def claim_entity(ticker: object, subject: object) -> str:
    """Entity of a claim: its ticker, else its subject through :data:`SUBJECT_ENTITIES`.

    Returns an empty string when neither is known.
    """
    if _text(ticker):
        return _text(ticker).upper()
    subject_text = " ".join(_text(subject).split())
    return SUBJECT_ENTITIES.get(subject_text.lower(), subject_text)


def fact_metric(metric: object, quote: object = "") -> str:
    """Reference-fact metric of a ledger claim (:data:`QUOTE_METRIC_RULES`, then
    :data:`METRIC_EQUIVALENCE`, else the metric itself)."""
    import re

    name = " ".join(_text(metric).split())
    for rule in QUOTE_METRIC_RULES:
        if name.lower() == rule.metric.lower() and re.search(rule.pattern, _text(quote), re.IGNORECASE):
            return rule.fact_metric
    return METRIC_EQUIVALENCE.get(name.lower(), name)


def _rounding_half_unit(value: float) -> float:
    """Half the place value of the last significant digit of ``value`` (27e9 -> 0.5e9).

    A number written "27 billion" is a rounding to the nearest billion. Trailing zeros are
    ambiguous ("380 billion" may be exact to the billion); they are read as not significant,
    which errs on the lenient side by at most one digit.
    """
    from decimal import Decimal

    magnitude = abs(float(value))
    if magnitude == 0 or not math.isfinite(magnitude):
        return 0.0
    exponent = Decimal(repr(magnitude)).normalize().as_tuple().exponent
    return 0.5 * 10.0 ** int(exponent)


def fact_tolerance(claimed: float, qualifier: str, unit: str, *,
                   stated: tuple[float, str] | None = None) -> tuple[str, float | None]:
    """(side, absolute width) of the values a claim allows, for comparison with a fact.

    Parameters
    ----------
    claimed : float
        The claimed number in its unit (percent as ``34.0``, amounts in currency units).
    qualifier : str
        Canonical closeness word (a key of :data:`TOLERANCES`).
    unit : str
        Canonical unit.
    stated : tuple, optional
        A stated tolerance (:func:`stated_tolerance`, "plus or minus 2%"): two-sided, its width
        (:func:`stated_width`) replaces the table's, never narrower than the exact rule.

    Returns
    -------
    side : str
        As in :class:`Tolerance`.
    width : float or None
        Absolute width in the claim's unit; None for a one-sided bound. Percentages use the
        table's ``move_pp`` (a whole percent is a rounding: +/-0.5 pp exact, 1.0 pp about, 1.5 pp
        below for almost). Amounts and counts use the table's ``price_pct`` of the claimed
        number, widened to half a unit of the claim's last significant digit (``$27 billion``
        allows 26.5-27.5bn, ``RMB 21.8 billion`` 21.75-21.85bn), so no word is narrower than
        the exact rule. A ``"below"`` rule also accepts :func:`fact_rounding_band` above the
        claim.
    """
    if stated is not None:
        exact = fact_tolerance(claimed, "exact", unit)[1] or 0.0
        return "both", max(stated_width(stated, claimed, percent_claim=unit == "%"), exact)
    table = TOLERANCES[qualifier]
    if table.side not in ("both", "below"):
        return table.side, None
    if unit == "%":
        return table.side, table.move_pp
    relative = abs(claimed) * (table.price_pct or 0.0) / 100.0
    return table.side, max(relative, _rounding_half_unit(claimed))


def fact_rounding_band(claimed: float, unit: str) -> float:
    """The exact rule's absolute width for a claim (how far above it "almost" may reach).

    0.5 pp for a percentage; for amounts and counts the larger of 0.5 % of the claim and half a
    unit of its last significant digit.
    """
    return float(fact_tolerance(claimed, "exact", unit)[1] or 0.0)


def _interval(value: float, side: str, width: float | None,
              above: float | None = None) -> tuple[float, bool, float, bool]:
    """(low, low included, high, high included) of the values a rule allows."""
    inf = math.inf
    width = width or 0.0
    return {
        "both": (value - width, True, value + width, True),
        "below": (value - width, True, value + (above or 0.0), True),
        "above": (value, False, inf, False),
        "at_least": (value, True, inf, False),
        "at_most": (-inf, False, value, True),
        "under": (-inf, False, value, False),
    }[side]


def _contains(outer: tuple, inner: tuple, eps: float) -> bool:
    lo_ok = outer[0] < inner[0] - eps or (abs(outer[0] - inner[0]) <= eps and (outer[1] or not inner[1])) \
        or (math.isinf(outer[0]) and outer[0] == inner[0])
    hi_ok = outer[2] > inner[2] + eps or (abs(outer[2] - inner[2]) <= eps and (outer[3] or not inner[3])) \
        or (math.isinf(outer[2]) and outer[2] == inner[2])
    return bool(lo_ok and hi_ok)


def _disjoint(a: tuple, b: tuple, eps: float) -> bool:
    def before(x: tuple, y: tuple) -> bool:  # x entirely below y
        if x[2] < y[0] - eps:
            return True
        return abs(x[2] - y[0]) <= eps and not (x[3] and y[1])
    return before(a, b) or before(b, a)


def compare_with_fact(fact_value: float, fact_qualifier: str, claimed: float, side: str,
                      width: float | None, *, above: float | None = None) -> bool | None:
    """Whether a fact settles a claim: True supports, False contradicts, None cannot tell.

    A point fact (no qualifier, or a two-sided word) is judged with :func:`compare`. A bound fact
    ("at least 100") supports the claim when every value it allows is allowed by the claim,
    contradicts when none is, and otherwise cannot tell. A negative claim is judged on its
    magnitude, as in :func:`compare`. ``above`` is how far above the claim a ``"below"`` rule
    reaches, in the claim's unit (default 0.5, a percentage's rounding band; pass
    :func:`fact_rounding_band` for amounts).
    """
    if above is None:
        above = ROUNDING_BAND.move_pp
    fact_side = TOLERANCES[fact_qualifier].side
    if fact_side not in _BOUND_SIDES:
        return compare(fact_value, claimed, side, width, "move", above=above)
    if claimed < 0:
        fact_value, claimed = -fact_value, -claimed
    eps = _EPS * max(1.0, abs(claimed))
    claim_set = _interval(claimed, side, width, above)
    fact_set = _interval(fact_value, fact_side, None)
    if _contains(claim_set, fact_set, eps):
        return True
    if _disjoint(claim_set, fact_set, eps):
        return False
    return None


def _typed_facts(frame: pd.DataFrame, source: object) -> pd.DataFrame:
    """Validate and type a reference-facts frame (all-text cells or already typed)."""
    from .errors import DataFileError

    missing = [column for column in _FACT_REQUIRED if column not in frame.columns]
    if missing:
        raise DataFileError(source, f"missing column(s): {', '.join(missing)}", line=1)
    out = frame.copy()
    for column in _FACT_OPTIONAL:
        if column not in out.columns:
            out[column] = ""
    records = []
    seen: dict[str, int] = {}
    for position, row in enumerate(out.loc[:, list(FACT_COLUMNS)].to_dict("records")):
        line = position + 2  # header is line 1
        fact_id = _text(row["fact_id"])
        if not fact_id:
            raise DataFileError(source, "empty fact_id", line=line)
        if fact_id in seen:
            raise DataFileError(source, f"duplicate fact_id {fact_id!r} (also line {seen[fact_id]})", line=line)
        seen[fact_id] = line
        status = _text(row["status"]).lower()
        if status not in FACT_STATUSES:
            raise DataFileError(source, f"fact {fact_id}: status {row['status']!r} is not one of "
                                        f"{', '.join(FACT_STATUSES)}", line=line)
        try:
            value = _as_number(row["value"], f"fact {fact_id} value")
        except ClaimError as exc:
            raise DataFileError(source, str(exc), line=line) from None
        dates = {}
        for column in ("period_end", "as_of"):
            cell = row[column]
            if _text(cell) == "":
                dates[column] = pd.NaT
                continue
            try:
                dates[column] = to_date(cell, f"fact {fact_id} {column}")
            except BabaResearchError as exc:
                raise DataFileError(source, str(exc), line=line) from None
        qualifier = _text(row["qualifier"])
        try:
            canonical_qualifier(qualifier)
        except ClaimError as exc:
            raise DataFileError(source, f"fact {fact_id}: {exc}", line=line) from None
        horizon = _text(row["horizon"]).lower()
        if horizon not in FACT_HORIZONS:
            raise DataFileError(source, f"fact {fact_id}: horizon {row['horizon']!r} is not one of "
                                        f"{', '.join(repr(h) for h in FACT_HORIZONS)}", line=line)
        records.append({
            "fact_id": fact_id, "ticker": _text(row["ticker"]), "metric": _text(row["metric"]),
            "fiscal_period": _text(row["fiscal_period"]) or None, "period_end": dates["period_end"],
            "value": value, "unit": _canonical_unit(row["unit"]), "as_of": dates["as_of"],
            "status": status, "source_note": _text(row["source_note"]), "qualifier": qualifier,
            "scope": _text(row["scope"]), "subject": _text(row["subject"]), "horizon": horizon,
        })
    typed = pd.DataFrame.from_records(records, columns=list(FACT_COLUMNS))
    for column in ("period_end", "as_of"):
        typed[column] = pd.to_datetime(typed[column]).astype("datetime64[ns]")
    typed["value"] = typed["value"].astype("float64")
    return typed


def reference_facts(path: object = None) -> pd.DataFrame:
    """The reference facts about the seed articles' claims (``data/reference_facts.csv``).

    Parameters
    ----------
    path : path-like, optional
        CSV to read instead of the embedded file.

    Returns
    -------
    DataFrame
        Columns :data:`FACT_COLUMNS`: ``value`` float64 in ``unit`` (``%`` as 34.0, ``CNY``/``USD``
        in currency units, ``count``), ``period_end``/``as_of`` datetime64[ns] (NaT when not
        stated), ``fiscal_period`` missing (None/NaN, by pandas version) when the fact has no period, ``status`` one of
        :data:`FACT_STATUSES`, ``qualifier`` a closeness word ("at least") or empty, ``scope``
        ("China", "global") or empty.

    Raises
    ------
    DataFileError
        The file is missing, unreadable or malformed (names the file and line).
    """
    from pathlib import Path

    from .resources import read_text_csv, resource

    source = Path(path) if path is not None else resource(FACTS_FILE)
    return _typed_facts(read_text_csv(source, "reference facts"), source)


def _fmt_fact_number(value: float, unit: str, qualifier: str = "") -> str:
    """Human form: ``34%``, ``CNY 380bn``, ``USD -21.8bn``, ``470,000``, with a bound word."""
    if qualifier and stated_tolerance(qualifier) is not None:  # the range follows the figure
        return f"{_fmt_fact_number(value, unit)} {qualifier}"
    canonical = QUALIFIER_SYNONYMS.get(" ".join(qualifier.lower().split()), "") if qualifier else "exact"
    word = {"over": ">", "at least": ">=", "under": "<", "up to": "<="}.get(canonical, "")
    prefix = f"{qualifier} " if qualifier and not word else word
    if unit == "%":
        return f"{prefix}{value:g}%"
    if unit in ("USD", "CNY"):
        magnitude = abs(value)
        scaled = f"{value / 1e9:g}bn" if magnitude >= 1e9 else (
            f"{value / 1e6:g}m" if magnitude >= 1e6 else f"{value:,.0f}")
        return f"{prefix}{unit} {scaled}"
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"
    return f"{prefix}{number}" + ("" if unit in ("count", "") else f" {unit}")


def _fact_rule(side: str, width: float | None, unit: str, above: float | None = None) -> str:
    """Human form of a claim's rule, e.g. ``"within +/-USD 0.5bn"``, ``"must be at least"``."""
    if width is None:
        return rule_text(side, None, "")

    def amount(value: float) -> str:
        if unit == "%":
            return f"{value:g} pp"
        text = _fmt_fact_number(value, unit)
        return text if unit in ("USD", "CNY") or value >= 1 else f"{value:g}"

    if side == "below":
        return f"from {amount(width)} below to {amount(above or 0.0)} above"
    return f"within +/-{amount(width)}"


def _fact_when(fact: Mapping[str, Any]) -> str:
    if fact["fiscal_period"]:
        return f" for {fact['fiscal_period']}"
    if not pd.isna(fact["period_end"]):
        return f" for the period ending {fact['period_end'].date()}"
    if not pd.isna(fact["as_of"]):
        return f" stated {fact['as_of'].date()}"
    return ""


def _fact_phrase(fact: Mapping[str, Any]) -> str:
    """``fact_id (status): value for period -- source note``."""
    status = "" if fact["status"] == CONFIRMED else f" ({fact['status']})"
    return (f"{fact['fact_id']}{status}: {_fmt_fact_number(fact['value'], fact['unit'], fact['qualifier'])}"
            f"{_fact_when(fact)} -- {fact['source_note']}")


def _bracket(claimed: float, day: pd.Timestamp | None, dated: list[Mapping[str, Any]]) -> tuple[bool | None, str]:
    """Place a running count stated on ``day`` between dated facts (counts never fall).

    Returns (False, why) when a fact rules the claim out, (None, note) when it lies between
    them or no fact is dated, never True (a count on another day is not the claimed one).
    """
    if day is None:
        return None, ""
    before = [f for f in dated if not pd.isna(f["as_of"]) and f["as_of"] <= day]
    after = [f for f in dated if not pd.isna(f["as_of"]) and f["as_of"] >= day
             and f["status"] == CONFIRMED and canonical_qualifier(f["qualifier"]) in ("exact", "about")]
    for fact in before:
        if claimed < fact["value"] - _EPS * max(1.0, abs(claimed)):
            return False, (f"{_fmt_fact_number(claimed, fact['unit'])} on {day.date()} is below the earlier "
                           f"{_fmt_fact_number(fact['value'], fact['unit'], fact['qualifier'])} "
                           f"({fact['as_of'].date()}), and a running count never falls")
    for fact in after:
        if claimed > fact["value"] + _EPS * max(1.0, abs(claimed)):
            return False, (f"{_fmt_fact_number(claimed, fact['unit'])} on {day.date()} exceeds the later "
                           f"{_fmt_fact_number(fact['value'], fact['unit'])} ({fact['as_of'].date()}), "
                           f"and a running count never falls")
    if before and after:
        low = max(before, key=lambda f: f["as_of"])
        high = min(after, key=lambda f: f["as_of"])
        return None, (f"{_fmt_fact_number(claimed, low['unit'])} on {day.date()} would lie between "
                      f"{_fmt_fact_number(low['value'], low['unit'], low['qualifier'])} ({low['as_of'].date()}) "
                      f"and {_fmt_fact_number(high['value'], high['unit'])} ({high['as_of'].date()}): "
                      f"plausible but unconfirmed")
    return None, ""


def _claim_day(row: Mapping[str, Any]) -> pd.Timestamp | None:
    """Date a claim is stated on (the document's as-of date), for running counts."""
    value = row.get("as_of")
    if is_blank_cell(value):
        return None
    try:
        return to_date(value, "claim as-of date")
    except BabaResearchError:
        return None


def _norm_subject(value: object) -> str:
    return " ".join(_text(value).lower().split())


def _subject_matches(fact: Mapping[str, Any], subject: str) -> bool:
    """Whether a claim about ``subject`` (normalised) can be about ``fact`` (rule 3)."""
    allowed = {_norm_subject(part) for part in _text(fact.get("subject")).split("|") if part.strip()}
    return not allowed or not subject or subject in allowed


def _horizon_matches(fact: Mapping[str, Any], period: str) -> bool:
    """A plan fact is never a fiscal period's figure (rule 4)."""
    return not (fact.get("horizon") == "plan" and period)


def _nearest_instead(claimed: float, pool: list[Mapping[str, Any]], cumulative: bool) -> tuple[float, str]:
    """(fact_value, note) an unverifiable claim reports instead of the claimed figure."""
    if cumulative and pool:
        return math.nan, "fact_value left empty: the counts found are dated bounds, not this figure"
    if not pool:
        return math.nan, "fact_value left empty: no other figure found"
    fact = min(pool, key=lambda f: abs(f["value"] - claimed))
    return float(fact["value"]), f"fact_value is the nearest figure found ({fact['fact_id']})"


def _judge_fact_claim(row: Mapping[str, Any], facts: list[dict[str, Any]]) -> dict[str, Any]:
    """Verdict, fact used and evidence for one non-price ledger claim."""
    out: dict[str, Any] = {"fact_id": None, "fact_value": math.nan, "verdict": UNVERIFIABLE,
                           "check": CHECK_NOT_CHECKABLE}
    try:
        claimed = _as_number(row.get("value"), "claimed value")
        read = claim_qualifier(row.get("qualifier"), row.get("approx"))
        word, forecast = read.word, read.forecast
        qualifier = FORECAST_RULE if forecast else read.rule
    except BabaResearchError as exc:
        out["evidence"] = f"unverifiable: {exc}"
        return out
    unit = _canonical_unit(row.get("unit"))
    entity = claim_entity(row.get("ticker"), row.get("subject"))
    metric = fact_metric(row.get("metric"), row.get("quote"))
    period = _text(row.get("fiscal_period"))
    claim_text = _fmt_fact_number(claimed, unit, word)
    period_note = ""
    if not period:
        period_note = " (the claim names no period)"
    elif _truthy(row.get("ambiguous_period")) and _text(row.get("period_candidates")):
        period_note = f" (period read as {period}; candidates {_text(row.get('period_candidates'))})"

    subject = _norm_subject(row.get("subject"))
    same_entity = [f for f in facts
                   if f["ticker"].lower() == entity.lower() and entity
                   and f["metric"].lower() == metric.lower()]
    in_period = [f for f in same_entity
                 if not period or not f["fiscal_period"] or f["fiscal_period"] == period]
    in_horizon = [f for f in in_period if _horizon_matches(f, period)]
    candidates = [f for f in in_horizon if _subject_matches(f, subject)]
    if not candidates:
        what = f"a forecast ({word}), unverifiable as such; " if forecast else ""
        who = entity or "this subject"
        if subject and subject != entity.lower():
            who += f" ({_text(row.get('subject'))})"
        text = f"no reference fact: {what}nothing on {metric or 'this metric'} of {who}" \
               + (f" for {period}" if period else "")
        if in_horizon:
            others = sorted({_text(f["subject"]).replace("|", " or ") for f in in_horizon})
            text += (f"; the {metric} facts ({', '.join(f['fact_id'] for f in in_horizon)}) are about "
                     f"{'; '.join(others)}, not {_text(row.get('subject'))}")
        elif in_period:
            text += (f"; the {metric} facts ({', '.join(f['fact_id'] for f in in_period)}) are a "
                     f"multi-year plan, not a {period} figure")
        out["evidence"] = text
        out["check"] = CHECK_FORECAST if forecast else CHECK_NO_FACT
        return out
    same_unit = [f for f in candidates if f["unit"] == unit]
    if not same_unit:
        other = candidates[0]
        out.update(fact_id=other["fact_id"], fact_value=other["value"])
        out["evidence"] = (f"unit mismatch: the claim is in {unit or 'no unit'} but {_fact_phrase(other)} "
                           f"is in {other['unit']} (no conversion is made)")
        out["check"] = CHECK_FORECAST if forecast else CHECK_NOT_CONFIRMED
        return out

    side, width = fact_tolerance(claimed, qualifier, unit, stated=read.stated)
    above = fact_rounding_band(claimed, unit) if side == "below" else None
    rule = _fact_rule(side, width, unit, above)
    day = _claim_day(row)
    cumulative = metric in CUMULATIVE_METRICS

    def instead_pool(reference: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
        scope = reference["scope"] if reference is not None else ""
        return [f for f in same_entity if f["status"] != NOT_FOUND and f["unit"] == unit
                and _subject_matches(f, subject) and _horizon_matches(f, period)
                and (not scope or not f["scope"] or f["scope"] == scope)]

    def found_instead(pool: list[Mapping[str, Any]]) -> str:
        text = "; found instead: " + "; ".join(_fact_phrase(f) for f in pool) if pool else ""
        if cumulative:
            _, note = _bracket(claimed, day, pool)
            text += f"; {note}" if note else ""
        return text

    # 1. a "not found" fact naming this very figure: report the nearest figure found instead,
    #    never the claimed figure itself
    for fact in same_unit:
        if fact["status"] == NOT_FOUND and compare(fact["value"], claimed, side, width, "move", above=above):
            pool = instead_pool(fact)
            value, note = _nearest_instead(claimed, pool, cumulative)
            out.update(fact_id=fact["fact_id"], fact_value=value)
            out["evidence"] = f"unverifiable: {_fact_phrase(fact)}{found_instead(pool)}; {note}"
            out["check"] = CHECK_FORECAST if forecast else CHECK_NOT_CONFIRMED
            return out

    # 2. confirmed facts (a running count only on the day it is stated)
    confirmed = [f for f in same_unit if f["status"] == CONFIRMED
                 and (not cumulative or (day is not None and f["as_of"] == day))]
    settled = [(f, compare_with_fact(f["value"], canonical_qualifier(f["qualifier"]), claimed, side, width,
                                     above=above))
               for f in confirmed]
    lead = "forecast compared with the outcome: " if forecast else ""
    for verdict_flag, verdict in ((True, SUPPORTED), (False, CONTRADICTED)):
        hits = [f for f, flag in settled if flag is verdict_flag]
        if hits:
            fact = min(hits, key=lambda f: abs(f["value"] - claimed))
            out.update(fact_id=fact["fact_id"], fact_value=fact["value"], verdict=verdict,
                       check=CHECK_FACT_CONFIRMS if verdict == SUPPORTED else CHECK_FACT_CONTRADICTS)
            out["evidence"] = (f"{verdict}: {lead}claimed {claim_text}{period_note} [{rule}] vs "
                               f"{_fact_phrase(fact)}")
            return out
    if settled:
        fact = settled[0][0]
        out.update(fact_id=fact["fact_id"], fact_value=fact["value"])
        out["evidence"] = (f"unverifiable: {lead}claimed {claim_text}{period_note} [{rule}]; "
                           f"{_fact_phrase(fact)} is a bound that neither confirms nor rules it out")
        out["check"] = CHECK_FORECAST if forecast else CHECK_NOT_CONFIRMED
        return out

    # 3. a running count bracketed by dated facts
    usable = [f for f in same_unit if f["status"] != NOT_FOUND]
    if cumulative and usable:
        flag, note = _bracket(claimed, day, usable)
        fact = max(usable, key=lambda f: (f["as_of"] if not pd.isna(f["as_of"]) else pd.Timestamp.min))
        out.update(fact_id=fact["fact_id"], fact_value=fact["value"])
        if flag is False:
            out["verdict"], out["check"] = CONTRADICTED, CHECK_FACT_CONTRADICTS
            out["evidence"] = f"contradicted: {note}; " + "; ".join(_fact_phrase(f) for f in usable)
        else:
            out["check"] = CHECK_FORECAST if forecast else CHECK_NOT_CONFIRMED
            out["evidence"] = ("unverifiable: no count stated on the claim's date; "
                               + "; ".join(_fact_phrase(f) for f in usable) + (f"; {note}" if note else ""))
        return out

    # 4. only nearest / lower-bound facts: report what was found instead
    if usable:
        fact = min(usable, key=lambda f: abs(f["value"] - claimed))
        out.update(fact_id=fact["fact_id"], fact_value=fact["value"])
        out["evidence"] = (f"unverifiable: no confirmed figure for claimed {claim_text}{period_note}; "
                           f"found instead: " + "; ".join(_fact_phrase(f) for f in usable))
        out["check"] = CHECK_FORECAST if forecast else CHECK_NOT_CONFIRMED
        return out
    out["evidence"] = (f"no reference fact: the facts on {metric} of {entity} concern other figures "
                       "(" + ", ".join(f["fact_id"] for f in same_unit) + ")")
    out["check"] = CHECK_FORECAST if forecast else CHECK_NO_FACT
    return out


def verify_facts(ledger: pd.DataFrame, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Verdicts on the non-price claims of a claims ledger against reference facts.

    Parameters
    ----------
    ledger : DataFrame
        Output of :func:`babaresearch.ledger.claims_ledger` or
        :func:`babaresearch.ledger.ledger_facts`. Needs ``doc_id, quote, value, unit, metric``;
        ``subject, ticker, fiscal_period, qualifier, approx, as_of, ambiguous_period,
        period_candidates`` are used when present.
    facts : DataFrame, optional
        Reference facts (columns as :func:`reference_facts`; ``qualifier``/``scope`` optional).
        Defaults to :func:`reference_facts`.

    Returns
    -------
    DataFrame
        One row per non-price claim (``metric`` not in :data:`PRICE_METRICS`), in ledger order,
        columns :data:`FACT_VERDICT_COLUMNS`: ``claimed`` and ``fact_value`` in the claim's
        ``unit`` (percent as 34.0, currency units, counts), ``fact_id`` the fact used (None when
        none matched), ``verdict`` supported / contradicted / unverifiable, ``evidence`` one
        line naming the fact and its source note (or "no reference fact") and ``check`` how the
        claim was checked (:data:`CHECK_OUTCOMES`: "fact confirms", "fact contradicts", "not
        confirmed by the facts found", "forecast", "no reference fact collected", "claim not
        checkable"). The matching
        rules are described above :data:`FACT_STATUSES`.

    Raises
    ------
    ClaimError
        ``ledger`` or ``facts`` is not a DataFrame.
    DataFileError
        A required ledger column is missing, or the facts are malformed.
    """
    from .errors import DataFileError

    if not isinstance(ledger, pd.DataFrame):
        raise ClaimError(f"verify_facts expects a DataFrame ledger, got {type(ledger).__name__}")
    missing = {"doc_id", "quote", "value", "unit", "metric"} - set(ledger.columns)
    if missing:
        raise DataFileError("claims ledger", f"missing column(s): {', '.join(sorted(missing))}")
    if facts is None:
        fact_frame = reference_facts()
    elif isinstance(facts, pd.DataFrame):
        fact_frame = _typed_facts(facts, "reference facts frame")
    else:
        raise ClaimError(f"facts must be a DataFrame, got {type(facts).__name__}")
    fact_records = fact_frame.to_dict("records")
    for fact in fact_records:  # hand-built frames may carry None/NaN text
        fact["fiscal_period"] = _text(fact["fiscal_period"]) or None

    rows = ledger[~ledger["metric"].isin(list(PRICE_METRICS))]
    records = []
    for row in rows.to_dict("records"):
        judged = _judge_fact_claim(row, fact_records)
        claimed = row.get("value")
        try:
            claimed = float(claimed)
        except (TypeError, ValueError):
            claimed = math.nan
        if (judged["verdict"] == UNVERIFIABLE and math.isfinite(claimed)
                and not is_blank_cell(judged["fact_value"]) and judged["fact_value"] == claimed):
            # the claimed figure in the fact column would read like a match (rule 6)
            judged["fact_value"] = math.nan
            judged["evidence"] += "; fact_value left empty: the only figure is the claimed one"
        records.append({
            "doc_id": row["doc_id"], "quote": row["quote"], "metric": row["metric"],
            "subject": None if is_blank_cell(row.get("subject")) else row.get("subject"),
            "ticker": None if is_blank_cell(row.get("ticker")) else row.get("ticker"),
            "fiscal_period": _text(row.get("fiscal_period")) or None,
            "claimed": claimed, "unit": None if is_blank_cell(row.get("unit")) else row.get("unit"),
            "qualifier": _text(row.get("qualifier")) or None, **judged,
        })
        records[-1]["evidence"] = _one_line(records[-1]["evidence"])
    out = pd.DataFrame.from_records(records, columns=list(FACT_VERDICT_COLUMNS))
    out["claimed"] = out["claimed"].astype(float)
    out["fact_value"] = out["fact_value"].astype(float)
    return out.reset_index(drop=True)


def scorecard(ledger: pd.DataFrame, *, source: str = "snapshot", facts: pd.DataFrame | None = None,
              repeats: str = "collapse") -> pd.DataFrame:
    """Every claim of a ledger with its verdict: price claims measured, the rest set beside facts.

    Parameters
    ----------
    ledger : DataFrame
        As for :func:`verify_ledger` and :func:`verify_facts`.
    source : str, default ``"snapshot"``
        Price source for the price claims (see :func:`verify_ledger`).
    facts : DataFrame, optional
        Reference facts for :func:`verify_facts` (default: :func:`reference_facts`).
    repeats : {"collapse", "keep"}, default ``"collapse"``
        A figure one document states several times (the same ticker or subject, metric, unit
        and value: :func:`babaresearch.ledger.figure_keys`) is one claim: ``"collapse"`` keeps
        its first mention per verdict and counts the mentions in ``mentions``, so tallies of
        the scorecard count it once per document; ``"keep"`` keeps every mention
        (``mentions`` 1 each).

    Returns
    -------
    DataFrame
        Columns :data:`SCORECARD_COLUMNS`, sorted by ``doc_id`` then the claim's offset
        (``start``; ledger order when absent). ``kind`` is ``"price"`` (``measured_or_fact`` is
        the measured move/YTD in percent or close in US$) or ``"fact"`` (the reference fact's
        value in the claim's unit; NaN for an unverifiable claim with no other figure);
        ``mentions`` (int64) how many ledger rows the row stands for; ``check`` how the claim
        was checked (:data:`CHECK_OUTCOMES`), which splits "unverifiable" into "no price
        data", "no reference fact collected", "not confirmed by the facts found", "forecast"
        and "claim not checkable".

    Raises
    ------
    ClaimError
        ``ledger`` is not a DataFrame or ``repeats`` is not one of :data:`REPEAT_MODES`.
    """
    from .ledger import figure_keys

    if not isinstance(ledger, pd.DataFrame):
        raise ClaimError(f"scorecard expects a DataFrame ledger, got {type(ledger).__name__}")
    if repeats not in REPEAT_MODES:
        raise ClaimError(f"repeats={repeats!r} is not one of {REPEAT_MODES}")
    offsets = (pd.to_numeric(ledger["start"], errors="coerce") if "start" in ledger.columns
               else pd.Series(range(len(ledger)), index=ledger.index, dtype=float))
    is_price = ledger["metric"].isin(list(PRICE_METRICS)) if "metric" in ledger.columns else None
    keys = (figure_keys(ledger) if repeats == "collapse"
            else pd.Series([f"row {i}" for i in range(len(ledger))], index=ledger.index, dtype=object))
    prices = verify_ledger(ledger, source=source)
    others = verify_facts(ledger, facts)
    # Both functions keep ledger order within their own rows, so offsets align by position.
    price_part = pd.DataFrame({
        "doc_id": prices["doc_id"], "quote": prices["quote"], "metric": prices["metric"],
        "claimed": prices["claimed"], "measured_or_fact": prices["measured"],
        "verdict": prices["verdict"], "evidence": prices["evidence"], "kind": "price",
        "check": prices["check"],
        "_offset": offsets[is_price].to_numpy(dtype=float),
        "_key": keys[is_price].to_numpy(dtype=object),
    })
    fact_part = pd.DataFrame({
        "doc_id": others["doc_id"], "quote": others["quote"], "metric": others["metric"],
        "claimed": others["claimed"], "measured_or_fact": others["fact_value"],
        "verdict": others["verdict"], "evidence": others["evidence"], "kind": "fact",
        "check": others["check"],
        "_offset": offsets[~is_price].to_numpy(dtype=float),
        "_key": keys[~is_price].to_numpy(dtype=object),
    })
    parts = [part for part in (price_part, fact_part) if len(part)]
    if not parts:
        return pd.DataFrame({column: pd.Series(dtype=float if column in ("claimed", "measured_or_fact")
                                               else "int64" if column == "mentions" else object)
                             for column in SCORECARD_COLUMNS})
    table = pd.concat(parts, ignore_index=True)
    table = table.sort_values(["doc_id", "_offset"], kind="stable")
    # one row per figure, verdict and way of checking: mentions judged differently stay apart
    groups = table.groupby(["_key", "verdict", "check"], sort=False)
    table["mentions"] = groups["doc_id"].transform("size").astype("int64")
    table = table[groups.cumcount() == 0].drop(columns=["_offset", "_key"])
    table["claimed"] = table["claimed"].astype(float)
    table["measured_or_fact"] = table["measured_or_fact"].astype(float)
    return table.loc[:, list(SCORECARD_COLUMNS)].reset_index(drop=True)
