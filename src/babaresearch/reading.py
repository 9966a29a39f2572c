"""Read every number of an article: its role, and for claims the subject, metric, sign, period,
session, trading window and listing.

This is the text layer's extractor. It reads the text only through :mod:`babaresearch.grammar`
(sentences, clauses, dates, periods, numbers) and the vocabularies of
:mod:`babaresearch.vocabulary`; company names come from :mod:`babaresearch.profiles`. It knows
nothing of prices or verdicts: it returns typed :class:`NumberReading` values, which the session
layer (:mod:`babaresearch.sessions`) places on the calendar and the check layer judges.

Roles (``role``): ``claim``, or a reason the number is not one: ``advert`` (a call to action with
an offer: "Save 40%", "only $4.99/month", "Join 25,000 readers"), ``navigation`` (link lines,
"Related: ...", page furniture), ``list_count`` ("5 Stocks to Buy", "1. Facebook"),
``quote_widget`` (inline ticker quotes: "AAPL, -0.26%", "(NVDA 0.03%)"), ``identifier``
(product models H20 / B200, stock codes 9988, index names S&P 500), ``date``, ``time``,
``year``, ``ratio`` ("10-for-1", "each ADS represents eight ordinary shares"), ``footnote``.
Each is decided by general signals of language and layout, never by a site's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from .grammar import (DateMention, NumberMention, PeriodMention, Span, clauses, enclosing,
                      find_dates, find_numbers, find_periods, lines, sentences)
from .profiles import Entity, EntityMention, entity_mentions, unknown_security_mentions
from .vocabulary import alternation, load

#: Roles a number can have.
ROLES = ("claim", "advert", "navigation", "list_count", "quote_widget", "identifier", "date",
         "time", "year", "ratio", "footnote")

#: Metrics whose value is a change: a fall word makes them negative.
CHANGE_METRICS = frozenset({
    "price_move", "index_move", "ytd_return", "multi_day_return", "revenue_growth",
    "net_income_growth", "eps_growth", "operating_income_growth", "capex_growth", "margin_change",
    "market_cap_change"})

#: Metrics about a traded security's price (judged on price data).
PRICE_METRICS = frozenset({"price_move", "share_price", "ytd_return", "multi_day_return",
                           "index_move", "index_level", "market_cap", "market_cap_change"})

_FALL = (r"fell|fall|falls|falling|declined?|declines|declining|decreased?|decreases|dropped|drop|drops|"
         r"dropping|slid|slide|slides|slipped|slip|slips|lost|lose|loses|losing|down|lower|shed|sheds|"
         r"tumbled?|tumbles|plunged?|plunges|plummeted|sank|sink|sinks|slumped?|slumps|dipped|dip|dips|"
         r"eased|eases|retreated|shrank|shrink|shrinks|contracted|contraction|negative|loss|losses|"
         r"outflow|outflows|erased|wiped|wipeout|crashed|crash|sell-off|selloff|cut|cuts|reduced|narrowed|"
         r"weaker|worse|below|off|declining")
_RISE = (r"rose|rise|rises|rising|gained?|gains|gaining|up|higher|increased?|increases|increasing|grew|"
         r"grow|grows|growing|growth|jumped?|jumps|surged?|surges|soared?|soars|climbed?|climbs|rallied|"
         r"rally|rallies|added|adds|advanced?|advances|inflow|inflows|expanded|widened|improved|boosted|"
         r"rocketed|rockets|spiked|spikes|popped|pops|leapt|leaped|beat|topped|exceeded|record|more|"
         r"above|accelerated|doubled|tripled|positive")
_FALL_RE = re.compile(r"\b(?:" + _FALL + r")\b", re.I)
_RISE_RE = re.compile(r"\b(?:" + _RISE + r")\b", re.I)
_DIR_RE = re.compile(r"\b(?P<f>" + _FALL + r")\b|\b(?P<r>" + _RISE + r")\b", re.I)

_SECURITY_RE = re.compile(
    r"\b(?:shares?|stocks?|ADRs?|ADSs?|American\s+depositary\s+(?:shares|receipts)|stock\s+price|"
    r"share\s+price|equity|the\s+stock|its\s+stock|the\s+shares|closed|closing|traded|trading|"
    r"ticker|NYSE|Nasdaq-listed|NASDAQ:|NYSE:|market\s+value|valuation|market\s+cap|last\s+close|"
    r"day(?:'s)?\s+change|price\s+change|previous\s+close|prior\s+close|52-week)\b", re.I)
_PRICE_LEVEL_RE = re.compile(
    r"\b(?:closed|close|closing|ended|finished|settled|opened|traded|trading|changing\s+hands|"
    r"stood|sits|hit|reached|touched|peaked|topped|rose|fell|jumped|climbed|dropped|slid|sank|"
    r"surged|rallied|plunged|priced|price|shares|stock|ADRs?|at|to|from|high|low)\b[^.;]{0,40}$", re.I)
_COUNT_NOUN_RE = re.compile(
    r"^\s*(?:(?:[\w-]+\s+){0,3}?)(?P<noun>[A-Za-z-]{3,}s)\b(?!\s+of\b)", re.I)
_DURATION_RE = re.compile(
    r"^[\s-]*(?:(?:full|straight|consecutive|more|long|short|calendar|fiscal|trading|business)\s+)?"
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|mins?|seconds?|decades?|sessions?|quarters?)\b"
    r"(?![-\s]+(?:in\s+a\s+row))", re.I)
_STREAK_RE = re.compile(r"^\s*(?:straight|consecutive|successive)\s+(?:quarters?|years?)|"
                        r"^\s*(?:quarters?|years?)\s+in\s+a\s+row", re.I)
_RATIO_RE = re.compile(
    r"\b\d+\s*-?\s*(?:for|to)\s*-?\s*\d+\b(?=[^.\n]{0,40}\b(?:split|ratio|reverse)|\s+(?:stock\s+)?split)|"
    r"\b\d+[-‐]for[-‐]\d+\b|"
    r"\b(?:ADS|ADSs|depositary\s+shares?|ADR|ADRs)\b[^.\n]{0,30}\b(?:represents?|equals?|equal\s+to|is\s+equal\s+to)"
    r"\s+(?:\w+\s+){0,2}?(?:ordinary|common)\s+shares|"
    r"\b(?:\w+)\s+(?:ordinary|common)\s+shares\s+(?:per|for\s+(?:each|every|one))\s+(?:ADS|ADR|depositary)", re.I)
_STOCK_CODE_RE = re.compile(
    r"\b\d{4,5}(?=\s*\((?:HKD|RMB|USD|CNY)\s+Counter\))|(?<=[Ss]tock\s[Cc]ode[s:]\s)\d{3,6}|(?<=[Ss]tock\s[Cc]ode:\s)\d{3,6}|\b(?:HKG|HKEX|SEHK|HK|NYSE|NASDAQ|Nasdaq|SZSE|SSE|SHA|SHE|SZ|SH|TPE|TWSE|TYO|KRX|LSE|OTC)\s*:\s*\d{3,6}\b|"
    r"\b\d{3,6}\.(?:HK|SS|SZ|SH|TW|T|KS)\b|(?<=\()\d{4,6}(?=\)|\.HK)")
_WIDGET_RE = re.compile(
    r"(?:(?<=[\s(\[,;])|^)(?:\$?[A-Z]{1,5}(?:\.[A-Z]{1,2})?)(?:\)|\])?[,:]?\s?(?:[+\-−▲▼△▽↑↓]\s?)\$?\d+(?:\.\d+)?%?"
    r"|(?<=\()(?:[A-Z]{1,5})\s[+\-−]?\d+(?:\.\d+)?%(?=\))"
    r"|\b[A-Z]{1,5}(?:\.[A-Z]{1,2})?\s\$?\d+(?:\.\d+)?\s\(?[+\-−]\d+(?:\.\d+)?%\)?"
    r"|[▲▼△▽↑↓]\s?\$?\d+(?:\.\d+)?%?"
    r"|(?:NASDAQ|NYSE|NYSEARCA|HKEX)\s?:\s?[A-Z0-9.]{1,6}\)?\s*\$?\d+(?:\.\d+)?(?:\s*[▲▼+\-−]\s?\d+(?:\.\d+)?%?)*")
_LIST_ITEM_RE = re.compile(r"^\s*(?:#\s*)?(?P<n>\d{1,2})[.)]\s+(?=[A-Z\"“])")
_FOOTNOTE_RE = re.compile(r"(?<=[A-Za-z.,;)\]”\"])\[\d{1,2}\]|(?<=[a-z.,;”\"])\(\d\)(?=[\s.,;]|$)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_HK_CUE_RE = re.compile(r"\bHong\s+Kong\b|\bHKEX\b|\bHK\$|\bHKD\b|\bHang\s+Seng\b|\bHKG\b|\b9988\b|\.HK\b", re.I)
_US_CUE_RE = re.compile(r"\bADRs?\b|\bADSs?\b|American\s+depositary|\bNew\s+York\b|\bNYSE\b|\bU\.?S\.?[-\s]listed\b|"
                        r"\bWall\s+Street\b|\bU\.S\.\s+shares\b|\bNasdaq\b", re.I)
_GUIDANCE_BEFORE = re.compile(r"\b(?:guidance|guided|outlook|expects?|expected\s+to\s+be|projects?|projected|"
                              r"forecasts?\s+(?:revenue|sales)|sees|anticipates?)\b", re.I)
_NOT_GUIDANCE = re.compile(r"\b(?:short\s+of|than|versus|vs\.?|consensus|analysts?|wall\s+street|estimates?|"
                           r"beat(?:ing)?|surpass\w*|exceed\w*|topp?\w*|missed|reported|came\s+in)\b", re.I)
#: Metrics of the whole company even when a segment is named nearby.
GROUP_METRICS = frozenset({"share_price", "price_move", "ytd_return", "multi_day_return", "market_cap",
                           "market_cap_change", "buyback_authorization", "dividend", "eps", "eps_growth",
                           "net_income", "net_income_growth", "adjusted_net_income", "free_cash_flow",
                           "price_target", "valuation_multiple", "capex", "capex_plan"})
_PER_SHARE_AFTER = re.compile(r"^\s*(?:per|a|an|/)\s*(?:diluted\s+)?(?:share|ADS)\b", re.I)


@dataclass(frozen=True)
class SessionRef:
    """The trading session a price claim names, as written (resolved by :mod:`babaresearch.sessions`).

    Attributes
    ----------
    kind : str
        ``"date"`` (a date, possibly without year), ``"weekday"``, ``"relative"`` (an offset in
        sessions from the article's session: "yesterday" -1, "the next day" +1), ``"release"``
        ("on the day of the release", "after the report"), or ``"none"`` (no session written).
    year, month, day, weekday : int or None
        Fields of the date or weekday written.
    offset : int
        Session offset for ``"relative"``.
    start, end : int
        Offsets of the words that name it (``-1`` when none).
    """

    kind: str = "none"
    word: str = ""
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    offset: int = 0
    start: int = -1
    end: int = -1


@dataclass(frozen=True)
class NumberReading:
    """One number of a text and what the extractor makes of it.

    ``quote`` is ``text[start:end]`` (the number with its qualifier). For non-claims only the
    number fields and ``role`` / ``role_reason`` are meaningful.
    """

    start: int
    end: int
    quote: str
    value: float
    unit: str
    unit_kind: str
    decimals: int
    role: str
    role_reason: str
    qualifier: str = ""
    qualifier_kind: str = ""
    subject: str = ""
    ticker: str = ""
    entity_kind: str = ""
    segment: str = ""
    metric: str = "other"
    per_share: bool = False
    period: PeriodMention | None = None
    period_year_of: PeriodMention | None = None
    comparison: str = ""
    prior_year: bool = False
    session_ref: SessionRef = field(default_factory=SessionRef)
    window: str = ""
    window_year: int | None = None
    window_stated: bool = False
    listing: str = ""
    forecast: bool = False
    estimate: bool = False
    sentence_start: int = 0
    sentence_end: int = 0
    range_with: int | None = None
    scale: int = 0


# --------------------------------------------------------------------------------------------
# vocabularies compiled once
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _vocab():
    from .vocabulary import PhraseMatcher
    q = load("qualifiers")
    qual_map: dict[str, str] = {}
    for row in q["qualifier"]:
        for phrase in row["phrases"]:
            qual_map.setdefault(phrase.lower(), row["kind"])
    qual_re = re.compile(r"(?:^|(?<=[\s(\[]))(?P<q>" + alternation(qual_map, words=True) +
                         r")\s*(?:(?:by|of|at|to|from|for)\s+)?(?:a\s+|an\s+|the\s+)?$", re.I)
    est_before = re.compile(r"(?:" + alternation(q["forecast"]["estimate"]) + r")(?:\s+\w+){0,3}?\s*(?:of|at|for|was|is|were|to|by)?\s*(?:the\s+|a\s+|an\s+)?(?:\w+\s+)?$", re.I)
    est_after = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:" + alternation(["projection", "estimate", "estimates", "consensus",
                                                                    "expected", "forecast", "forecasts", "expectations",
                                                                    "predicted", "estimated"]) + r")\b", re.I)
    forecast = PhraseMatcher(q["forecast"]["cues"])
    estimate = PhraseMatcher(q["forecast"]["estimate"])
    guidance = re.compile(alternation(q["forecast"]["guidance"]), re.I)
    r = load("roles")
    from .vocabulary import PhraseMatcher
    adv_verb = PhraseMatcher(r["advert"]["verbs"])
    adv_offer = PhraseMatcher(r["advert"]["offers"])
    adv_strong = PhraseMatcher(r["advert"]["strong"])
    # a subscription price: "only $4.99", "$79/year", "$9.99 a month" (never "$81.6 billion a year")
    price_offer = re.compile(r"(?:only|just)\s+\$\d+(?:\.\d\d)?(?!\d|\s*(?:billion|million|trillion|bn|mn))|"
                             r"\$\d+(?:\.\d\d)?\s*(?:/|per|a)\s*(?:month|mo|year|yr|week)\b", re.I)
    nav_lead = re.compile(r"^\W{0,3}(?:" + alternation(r["navigation"]["leads"]) + r")", re.I)
    list_head = re.compile(r"^\W{0,3}(?:(?:the\s+)?(?:top|best)\s+)?(?P<n>\d{1,3})\s+(?:[\w'’&-]+\s+){0,3}?(?:" +
                           alternation(r["navigation"]["list_nouns"]) + r")(?:\s|$|:)", re.I)
    top_n = re.compile(r"\b(?:top|best)[-\s](?P<n>\d{1,3})\b", re.I)
    m = load("metrics")
    cue_map: dict[str, tuple[str, tuple[str, ...], str, int]] = {}
    for order, row in enumerate(m["metric"]):
        for cue in row["cues"]:
            cue_map.setdefault(cue.lower(), (row["id"], tuple(row["units"]), row.get("change", ""), order))
    from .vocabulary import PhraseMatcher
    cue_re = PhraseMatcher(cue_map, digit_after=True)  # "Gross margin74.9%": flattened tables
    t = load("time")
    window_res = {name: re.compile(alternation(cues), re.I) for name, cues in t["windows"].items()}
    window_matcher = PhraseMatcher([c for cues in t["windows"].values() for c in cues])
    window_of = {}
    for name in ("after-hours", "premarket", "ytd", "intraday", "multi-day", "close"):
        for c in t["windows"][name]:
            window_of.setdefault(c.lower(), name)
    session_words = {k.lower(): v for k, v in t["sessions"].items()}
    session_re = re.compile(alternation(session_words), re.I)
    return dict(qual_map=qual_map, qual_re=qual_re, est_before=est_before, est_after=est_after,
                forecast=forecast, estimate=estimate, guidance=guidance, adv_verb=adv_verb, adv_offer=adv_offer,
                adv_strong=adv_strong, price_offer=price_offer, nav_lead=nav_lead, list_head=list_head,
                top_n=top_n, cue_map=cue_map, cue_re=cue_re, window_res=window_res,
                window_matcher=window_matcher, window_of=window_of,
                session_words=session_words, session_re=session_re)


# --------------------------------------------------------------------------------------------
# the reader
# --------------------------------------------------------------------------------------------
class _Context:
    """Everything the rules need about one text, computed once."""

    def __init__(self, text: str):
        self.text = text
        self.sentences = sentences(text)
        self.lines = lines(text)
        self.dates = find_dates(text)
        self.periods = find_periods(text)
        self.numbers = find_numbers(text)
        known = entity_mentions(text)
        self.entities = sorted(known + unknown_security_mentions(text, known), key=lambda e: e.start)
        v = _vocab()
        self.cues = [(s, e, v["cue_map"][p.lower()]) for s, e, p in v["cue_re"].finditer(text)]
        self.window_cues = [(s, e, v["window_of"][p.lower()]) for s, e, p in v["window_matcher"].finditer(text)]
        self.generic_intraday = {s for s, e, p in v["window_matcher"].finditer(text) if p.lower() in _GENERIC_INTRADAY}
        self.widgets = [(m.start(), m.end()) for m in _WIDGET_RE.finditer(text)]
        self.codes = [(m.start(), m.end()) for m in _STOCK_CODE_RE.finditer(text)]
        self.ratios = [(m.start(), m.end()) for m in _RATIO_RE.finditer(text)]
        self.footnotes = [(m.start(), m.end()) for m in _FOOTNOTE_RE.finditer(text)]
        self.main = _main_entity(self.entities)
        self.adv_strong = [(s, e) for s, e, _ in v["adv_strong"].finditer(text)]
        self.adv_offer = [(s, e) for s, e, _ in v["adv_offer"].finditer(text)]
        self.adv_verb = [(s, e) for s, e, _ in v["adv_verb"].finditer(text)]
        self.forecast_cues = [(s, e) for s, e, _ in v["forecast"].finditer(text)]
        self.estimate_cues = [(s, e) for s, e, _ in v["estimate"].finditer(text)]
        self.number_starts = [n.num_start for n in self.numbers]
        self._line_roles: dict = {}
        self._nav_block = _navigation_blocks(text, self.lines)

    def starts_of(self, span: Span) -> set[int]:
        """Where an imperative may open ``span`` (see :func:`_opening_positions`)."""
        return _opening_positions(self.text, span)


def _opening_positions(text: str, span: Span) -> set[int]:
    """Positions where the first word of ``span`` may start (after up to four bullet or quote
    characters): where an imperative call to action opens a line or sentence."""
    out = set()
    i = span.start
    while i < span.end and i - span.start <= 4:
        if text[i].isalnum():
            out.add(i)
            break
        i += 1
    return out


def _main_entity(mentions: list[EntityMention]) -> Entity | None:
    counts: dict[str, list] = {}
    for m in mentions:
        ent = m.entity
        key = ent.company
        counts.setdefault(key, [0, m.start, ent])
        counts[key][0] += 1
    analysed = [(c, -first, e) for c, first, e in counts.values() if e.company in {"BABA", "NVDA"} or e.analysed]
    if analysed:
        best = max(analysed, key=lambda t: (t[0], t[1]))
        from .profiles import entities
        return entities().get(best[2].company, best[2])
    return None


def _overlaps(spans, s, e) -> bool:
    return any(a < e and s < b for a, b in spans)


def _navigation_blocks(text: str, line_spans: list[Span]) -> list[tuple[int, int]]:
    """Spans of link blocks: a line led by a navigation cue ("Related", "More on", "Read more")
    and the short unpunctuated lines right after it, up to a blank line or a prose line."""
    v = _vocab()
    out = []
    i = 0
    while i < len(line_spans):
        ln = line_spans[i]
        body = text[ln.start:ln.end]
        if v["nav_lead"].match(body) and len(body) < 120:
            start = ln.start
            end = ln.end
            j = i + 1
            while j < len(line_spans):
                nxt = text[line_spans[j].start:line_spans[j].end].strip()
                if not nxt or len(nxt) > 110 or nxt.endswith((".", "!", "?", "\"", "”")) and len(nxt.split()) > 14:
                    break
                if nxt.endswith(".") and len(nxt.split()) > 8:
                    break
                end = line_spans[j].end
                j += 1
            out.append((start, end))
            i = j
        else:
            i += 1
    return out


def read_text(text: str, furniture: list | tuple = ()) -> list[NumberReading]:
    """Every number of ``text`` with its role; claims with subject, metric, period, session,
    window and listing. Offsets index ``text``.

    Raises
    ------
    TypeError
        ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"read_text expects a str, got {type(text).__name__}")
    if not text.strip():
        return []
    ctx = _Context(text)
    ctx.furniture = list(furniture)
    out: list[NumberReading] = []
    date_spans = [(d.start, d.end, d) for d in ctx.dates]
    scale_notes = [(m.end(), {"thousands": 3, "millions": 6, "billions": 9}[m.group(1).lower()])
                   for m in _IN_SCALE_RE.finditer(text)]
    for num in ctx.numbers:
        if scale_notes and num.unit_kind == "money" and not num.scale and not num.per_share and abs(num.value) >= 100:
            note = [p for p in scale_notes if p[0] <= num.start]
            line = enclosing(ctx.lines, num.start)
            line_text = text[line.start:line.end]
            if note and (len(re.findall(r"\d", line_text)) >= 8 and not line_text.rstrip().endswith(".")):
                from dataclasses import replace as _rep
                num = _rep(num, value=num.value.scaleb(note[-1][1]), scale=note[-1][1])
        reading = _read_number(ctx, num, date_spans)
        if reading is not None:
            if reading.role == "claim" and out and _TOLERANCE_BEFORE.search(text[max(0, reading.start - 16):reading.start]):
                prev = next((o for o in reversed(out) if o.role == "claim" and o.sentence_start == reading.sentence_start), None)
                if prev is not None:
                    from dataclasses import replace
                    reading = replace(reading, metric=prev.metric, subject=prev.subject, ticker=prev.ticker,
                                      segment=prev.segment, forecast=prev.forecast, qualifier_kind="tolerance",
                                      qualifier="plus or minus", period=prev.period)
            out.append(reading)
    return _range_metrics(out)


def _range_metrics(out: list[NumberReading]) -> list[NumberReading]:
    """Both ends of a range take one metric: a price target "between $190 and $210"."""
    from dataclasses import replace
    by_start = {r.start: i for i, r in enumerate(out)}
    weak = {"other", "count", "investment", "share_price"}
    for i, r in enumerate(out):
        if r.role != "claim" or r.range_with is None:
            continue
        j = next((k for k, o in enumerate(out) if o.role == "claim" and abs(o.start - r.range_with) <= 4
                  and o is not r), None)
        if j is None:
            continue
        o = out[j]
        if r.metric in weak and o.metric not in weak:
            out[i] = replace(r, metric=o.metric)
    return out


#: Where the time of day starts inside a date mention ("Nov 25, 2025 06:19:00 -0500").
_TIME_IN_DATE = re.compile(r"(?<![\d])\d{1,2}[:.]\d{2}|(?<![\d])\d{1,2}\s?[ap]\.?m\.?|T\d{2}:", re.I)

#: A table's scale statement: "(in millions, except per share data)", "$ in millions".
_IN_SCALE_RE = re.compile(r"\bin\s+(thousands|millions|billions)\b(?:\s+of\s+\w+)?(?:,?\s+except\b[^)\n]{0,40})?", re.I)

#: A calendar year a return is stated for (year to date when it is the article's year).
_YEAR_WINDOW_RE = re.compile(r"\b(?:so\s+far\s+in|in|for|during|through)\s+(?P<y>(?:19|20)\d\d)\b(?!\s*(?:quarter|Q\d))|"
                             r"\b(?P<y2>(?:19|20)\d\d)\s+(?:gains?|rise|rally|advance|declines?|loss|losses|drop|slide|"
                             r"returns?|performance|run)\b", re.I)

#: A stated tolerance: "$54 billion, plus or minus 2%" (the 2% qualifies the figure before it).
_TOLERANCE_BEFORE = re.compile(r"(?:plus\s+or\s+minus|±|\+/-|\+/−)\s*$", re.I)


def _base(ctx: _Context, num: NumberMention, role: str, reason: str, sent: Span) -> NumberReading:
    return NumberReading(start=num.start, end=num.end, quote=ctx.text[num.start:num.end],
                         value=float(num.value), unit=num.unit, unit_kind=num.unit_kind,
                         decimals=num.decimals, role=role, role_reason=reason,
                         sentence_start=sent.start, sentence_end=sent.end, range_with=num.range_with,
                         scale=num.scale)


def _role(ctx: _Context, num: NumberMention, date_spans, sent: Span, line: Span) -> tuple[str, str] | None:
    text = ctx.text
    s, e = num.num_start, num.num_end
    for d in ctx.dates:
        a, b = d.start, d.end
        if a <= s and e <= b:
            if d.kind == "year" or (d.year is not None and e - s == 4 and text[s:e] == str(d.year)):
                return "year", "a year"
            if d.kind == "time":
                return "time", "a time of day"
            if d.hour is not None:
                tm = _TIME_IN_DATE.search(text, a, b)
                if tm is not None and s >= tm.start():
                    return "time", "a time of day"
            if False:
                return "time", "a time of day"
            return "date", "part of a date"
        if a < e and s < b:
            return ("date", "part of a date") if d.kind != "time" else ("time", "a time of day")
    for p in ctx.periods:
        if p.start <= s and e <= p.end:
            return ("year", "the year of a period label") if e - s == 4 and text[s:e].isdigit() and text[s:e].startswith(("19", "20")) \
                else ("date", "part of a period label")
    if num.glued:
        return "identifier", f"digits glued to letters ({num.glued})"
    for m in ctx.entities:
        if m.start <= s and e <= m.end:
            return "identifier", f"part of the name {m.entity.name}"
    if _overlaps(ctx.codes, s, e):
        return "identifier", "a stock code"
    if _overlaps(ctx.ratios, s, e):
        return "ratio", "a split or depositary-share ratio"
    if _overlaps(ctx.widgets, s, e):
        return "quote_widget", "an inline ticker quote"
    if _overlaps(ctx._nav_block, s, e):
        return "navigation", "a link block"
    if _overlaps(getattr(ctx, "furniture", ()), s, e):
        if _is_advert(ctx, line, sent):
            return "advert", "a call to action with an offer"
        return "navigation", "page furniture outside the article"
    if num.unit_kind == "bare" and _overlaps(ctx.footnotes, num.start, num.end):
        return "footnote", "a footnote marker"
    v = _vocab()
    line_text = text[line.start:line.end]
    if _is_advert(ctx, line, sent):
        return "advert", "a call to action with an offer"
    # listicles and navigation lines
    lm = _LIST_ITEM_RE.match(line_text)
    if lm and line.start + lm.start("n") == s:
        return "list_count", "a list item number"
    hm = v["list_head"].match(line_text)
    if hm and line.start + hm.start("n") == s and len(line_text) < 120 and not line_text.rstrip().endswith("."):
        return "list_count", "a listicle headline count"
    tm = v["top_n"].search(line_text)
    if tm and line.start + tm.start("n") == s:
        return "list_count", "a 'top N' count"
    if v["nav_lead"].match(line_text) and len(line_text) < 100 and num.unit_kind in {"bare", "count"}:
        return "navigation", "page furniture"
    # a product model: a capitalised non-metric word right before a bare number ("Windows 11")
    if num.unit_kind == "bare" and num.form == "digits" and re.search(
            r"(?:^|[\s(])(?:" + "|".join(map(re.escape, _products())) + r")\s$", text[max(0, num.start - 16):num.start]):
        return "identifier", "a product's model or version number"
    if _headline_link(ctx, sent, line):
        return "navigation", "a headline-case link line"
    if num.unit_kind == "bare" and num.form == "digits":
        before = text[max(line.start, num.start - 25):num.start]
        pm = re.search(r"(?:^|\s)([A-Z][A-Za-z]*[A-Z0-9]?[a-z]*|[A-Z]{2,})\s$", before)
        after = text[num.end:num.end + 30]
        if pm and num.decimals and pm.group(1) not in {"The", "A", "In", "On", "At", "By", "Of", "For", "To",
                                                       "And", "Or", "About", "Over", "Nearly", "Some", "Than"}:
            return "identifier", f"a version number after {pm.group(1)!r}"
        if pm and not _COUNT_NOUN_RE.match(after) and pm.group(1) not in {"The", "A", "In", "On", "At", "By", "Of",
                                                                              "For", "To", "And", "Or", "About", "Over",
                                                                              "Nearly", "Some", "Top", "Than", "Around",
                                                                              "Almost", "With", "From", "Just", "Only"} \
                and not re.match(r"\s*(?:million|billion|thousand)", after, re.I):
            return "identifier", f"a model or version number after {pm.group(1)!r}"
    after = text[num.end:num.end + 40]
    if re.match(r"[\s-]*min(?:ute)?s?\.?\s+read\b", after, re.I):
        return "navigation", "a reading-time label"
    # durations: "three years", "16 months", "52-week"
    if num.unit_kind == "bare" and _DURATION_RE.match(after) and not _STREAK_RE.match(after):
        return "time", "a duration"
    return None


@lru_cache(maxsize=1)
def _products() -> tuple[str, ...]:
    return tuple(load("roles").get("identifier", {}).get("products", []))


_SMALL_WORDS = frozenset("a an the of to in on at for and or by with vs from as is are its".split())
_CLICKBAIT_RE = re.compile(r"^\W{0,3}(?:how|why|what|is|are|should|can|will|here's|here is)\b", re.I)


def _headline_link(ctx: _Context, sent: Span, line: Span) -> bool:
    """A headline-case link glued into the page: a sentence of at least four words, all
    capitalised but the small ones, that is not the page's first line, and either follows prose
    on its own line or reads like a link headline ("How X Stock Surges To $450")."""
    key = ("headline", sent.start, sent.end)
    hit = ctx._line_roles.get(key)
    if hit is not None:
        return hit
    text = ctx.text
    words = re.findall(r"[A-Za-z][\w'’&.-]*|\$?\d[\d.,%$]*", text[sent.start:sent.end])
    content = [w for w in words if w.lower() not in _SMALL_WORDS and w[0].isalpha()]
    titled = len(content) >= 4 and all(w[0].isupper() for w in content) \
        and not text[sent.start:sent.end].rstrip().endswith((".", "!", "?"))
    first_line = ctx.lines[0] if ctx.lines else Span(0, 0)
    hit = False
    if titled and sent.start > first_line.end:
        glued = text[line.start:sent.start].strip() != "" and text[line.start:sent.start].rstrip().endswith((".", "!", "?"))
        hit = glued or bool(_CLICKBAIT_RE.match(text[sent.start:sent.end]))
    ctx._line_roles[key] = hit
    return hit


def _is_advert(ctx: _Context, line: Span, sent: Span) -> bool:
    """A call to action with an offer: a strong offer cue ("free trial", "per month", "use
    code"), or an offer cue with an imperative opening or a subscription price (computed once per
    line and sentence)."""
    key = (line.start, line.end, sent.start, sent.end)
    hit = ctx._line_roles.get(key)
    if hit is None:
        v = _vocab()
        text = ctx.text
        line_text = text[line.start:line.end]
        sent_text = text[sent.start:sent.end]
        unit_text = line_text if len(line_text) < 300 else sent_text
        unit = line if len(line_text) < 300 else sent
        strong = any(unit.start <= s and e <= unit.end for s, e in ctx.adv_strong)
        offer = any(unit.start <= s and e <= unit.end for s, e in ctx.adv_offer)
        verb = any(s in ctx.starts_of(line) or s in ctx.starts_of(sent) for s, _ in ctx.adv_verb)
        hit = strong or (offer and (verb or bool(v["price_offer"].search(unit_text)))) \
            or (verb and bool(v["price_offer"].search(unit_text)))
        ctx._line_roles[key] = hit
    return hit


#: Characters around a number its rules look at (sentences and lines longer than this are
#: clipped): every rule is then bounded, and reading is linear in the text's length.
NEAR_CHARS = 400
#: How far back an earlier sentence's subject may be carried, in characters.
CARRY_CHARS = 3000


class _Local:
    """The context's lists cut to a window around one number (by bisection), so that no rule
    scans the whole text per number."""

    _LISTS = ("cues", "window_cues", "estimate_cues", "forecast_cues", "adv_strong", "adv_offer", "adv_verb")

    def __init__(self, ctx: _Context, lo: int, hi: int):
        self._ctx = ctx
        for name in self._LISTS:
            setattr(self, name, _cut(ctx, name, lo, hi, key=lambda x: x[0]))
        self.dates = _cut(ctx, "dates", lo, hi)
        self.periods = _cut(ctx, "periods", lo, hi)
        self.entities = _cut(ctx, "entities", lo - CARRY_CHARS, hi)
        self.number_starts = _cut(ctx, "number_starts", lo, hi, key=lambda x: x)

    def __getattr__(self, name):
        return getattr(self._ctx, name)


def _cut(ctx: _Context, name: str, lo: int, hi: int, key=lambda x: x.start):
    import bisect
    cache = ctx.__dict__.setdefault("_starts", {})
    items = getattr(ctx, name)
    starts = cache.get(name)
    if starts is None:
        starts = cache[name] = [key(x) for x in items]
    return items[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]


def _read_number(ctx: _Context, num: NumberMention, date_spans) -> NumberReading | None:
    text = ctx.text
    sent = enclosing(ctx.sentences, num.start)
    sent = Span(max(sent.start, num.start - NEAR_CHARS), min(sent.end, num.end + NEAR_CHARS))
    line = enclosing(ctx.lines, num.start)
    line = Span(max(line.start, num.start - NEAR_CHARS), min(line.end, num.end + NEAR_CHARS))
    ctx = _Local(ctx, sent.start - NEAR_CHARS, sent.end + NEAR_CHARS)
    role = _role(ctx, num, date_spans, sent, line)
    if num.form == "word" and role is None and not num.scale:
        # a number word is a quantity only before a plural noun ("five data centers")
        if not _COUNT_NOUN_RE.match(text[num.end:num.end + 40]) or \
                re.match(r"\s+of\b", text[num.end:num.end + 5]):
            return None
    if role is not None:
        return _base(ctx, num, role[0], role[1], sent)
    return _claim(ctx, num, sent)


# --------------------------------------------------------------------------------------------
# claims: qualifier, subject, metric, sign, period, session, window, listing
# --------------------------------------------------------------------------------------------
def _qualifier(ctx: _Context, num: NumberMention, sent: Span) -> tuple[str, str, int]:
    v = _vocab()
    before = ctx.text[max(sent.start, num.start - 40):num.start]
    m = v["qual_re"].search(before)
    if m:
        phrase = re.sub(r"\s+", " ", m.group("q").lower())
        return phrase, v["qual_map"].get(phrase, "approx"), num.start - (len(before) - m.start("q"))
    if num.form == "band":
        return "", "lower", num.start  # "triple-digit growth": at least 100%
    if ctx.text[num.start - 1:num.start] == "~":
        return "~", "approx", num.start - 1
    after = ctx.text[num.end:num.end + 20]
    ma = re.match(r"\s*(?:or\s+(?:more|so)|plus)\b", after, re.I)
    if ma:
        return ("or more" if "more" in ma.group() or "plus" in ma.group() else "or so"), (
            "lower" if "more" in ma.group() or "plus" in ma.group() else "approx"), num.start
    return "", "", num.start


def _clause_of(ctx: _Context, sent: Span, pos: int) -> Span:
    return enclosing(clauses(ctx.text, sent), pos)


def _plausible(ctx: _Context, m: EntityMention, sent: Span) -> bool:
    """A generic lower-case segment name ("cloud unit", "gaming revenue") counts only when its
    company is named in the sentence or is the article's main company."""
    ent = m.entity
    if ent.kind != "segment" or ctx.text[m.start:m.start + 1].isupper():
        return True
    if ctx.main is not None and ctx.main.id == ent.parent:
        return True
    return any(o.entity.company == ent.parent and o.entity.kind == "company"
               for o in ctx.entities if sent.start <= o.start < sent.end)


_ANAPHOR_RE = re.compile(r"^\W{0,3}(?:it|its|the\s+(?:company|firm|group|stock|shares|chipmaker|"
                         r"e-commerce\s+(?:giant|company)|tech\s+giant|giant|business)|shares|they|their)\b", re.I)
_OBJECT_LEAD_RE = re.compile(r"\b(?:for|to|from|with|than|of|by|against|like|including|over|on|"
                             r"and|or|beat|beating|versus|vs\.?|as)\s+(?:both\s+|the\s+|rival\s+|peers?\s+)?$", re.I)


def _subject(ctx: _Context, num: NumberMention, sent: Span, clause: Span) -> EntityMention | None:
    """The entity a number is about.

    In its clause: the nearest name before it, unless that name is the object of a preposition
    ("makes chips for Nvidia and AMD and holds 60%") and the clause opens with another name.
    Else the sentence's names before it, else a name after it in the clause ("...rose 5%, Nvidia
    said") unless the clause opens with a pronoun ("It", "The company", "The stock"), which carries
    the subject of an earlier sentence: the first name of the nearest earlier sentence of the
    paragraph that has one (its grammatical subject), else the first name of the nearest heading
    line before the paragraph ("1. Nvidia").
    """
    ents = [m for m in ctx.entities if _plausible(ctx, m, enclosing(ctx.sentences, m.start))]
    text = ctx.text
    in_clause_before = [m for m in ents if clause.start <= m.start and m.end <= num.start]
    if in_clause_before:
        return _prefer_subject(text, in_clause_before, clause)
    in_sent_before = [m for m in ents if sent.start <= m.start and m.end <= num.start]
    in_clause_after = [m for m in ents if num.end <= m.start and m.end <= clause.end]
    anaphoric = bool(_ANAPHOR_RE.match(text[clause.start:num.start])) or bool(_ANAPHOR_RE.match(text[sent.start:num.start]))
    if in_clause_after and not in_sent_before and not anaphoric:
        return in_clause_after[0]
    if in_sent_before:
        return _prefer_subject(text, in_sent_before, sent)
    if in_clause_after and not anaphoric:
        return in_clause_after[0]
    return _carried_subject(ctx, ents, sent)


def _carried_subject(ctx: _Context, ents: list[EntityMention], sent: Span) -> EntityMention | None:
    text = ctx.text
    para_start = text.rfind("\n\n", 0, sent.start)
    para_start = 0 if para_start < 0 else para_start
    import bisect
    i = bisect.bisect_right([s.start for s in ctx.sentences], sent.start) - 1 if ctx.sentences else -1
    j = i - 1
    while j >= 0 and ctx.sentences[j].start >= para_start:
        s = ctx.sentences[j]
        inside = [m for m in ents if s.start <= m.start < s.end]
        if inside:
            return inside[0]
        j -= 1
    # a heading line before the paragraph ("1. Nvidia", "## Alibaba")
    k = j
    while k >= 0 and sent.start - ctx.sentences[k].start < 3000:
        s = ctx.sentences[k]
        line = text[s.start:s.end]
        inside = [m for m in ents if s.start <= m.start < s.end]
        if inside and len(line) <= 80 and not line.rstrip().endswith("."):
            return inside[0]
        if inside:
            return inside[0]
        k -= 1
    return None


def _prefer_subject(text: str, cands: list[EntityMention], span: Span) -> EntityMention:
    """The nearest mention before the number, unless it is the object of a preposition or a
    conjunction and the span opens with another name (then that one: the grammatical subject)."""
    best = cands[-1]
    first = cands[0]
    if first is not best and _OBJECT_LEAD_RE.search(text[max(span.start, best.start - 25):best.start]) \
            and len(text[span.start:first.start].split()) <= 3 and first.entity.company != best.entity.company:
        return first
    return best


def _direction(ctx: _Context, num: NumberMention, clause: Span) -> str:
    text = ctx.text
    before = text[max(clause.start, num.start - 60):num.start]
    after = text[num.end:min(clause.end, num.end + 25)]
    # the word right after the number wins ("3.6% lower", "a 7% drop", "17% decline")
    ma = _DIR_RE.match(after.lstrip(" ")) or re.match(r"^\s*(?:percent|per\s+cent)?\s*(?P<w>\w+)", after)
    if ma is not None:
        word = after.lstrip(" ")[:20]
        m2 = re.match(r"(?:(?:year[-\s]over[-\s]year|y/y|yoy|annually)\s+)?(\w[\w-]*)", word, re.I)
        if m2:
            w = m2.group(1)
            if _FALL_RE.fullmatch(w):
                return "-"
            if _RISE_RE.fullmatch(w):
                return "+"
    for m in reversed(list(_DIR_RE.finditer(before))):
        word = m.group().lower()
        if word in {"off", "below", "more", "above", "record", "beat", "topped", "exceeded"}:
            continue  # qualifier or comparison words: "fell more than 3%" is a fall
        return "-" if m.group("f") else "+"
    return ""


_CHANGE_WORD_RE = re.compile(r"\b(?:rose|rise|rises|rising|grew|grow|growth|grows|growing|up|increase[sd]?|increasing|"
                             r"jump(?:ed|s)?|surge[sd]?|soar(?:ed|s)?|climb(?:ed|s)?|gain(?:ed|s)?|fell|fall(?:s|ing)?|"
                             r"decline[sd]?|declining|decrease[sd]?|drop(?:ped|s)?|slid|slip(?:ped|s)?|down|lower|higher|"
                             r"year[-\s]over[-\s]year|year[-\s]on[-\s]year|y/y|yoy|from\s+a\s+year|a\s+year\s+(?:earlier|ago)|"
                             r"compared|versus|vs\.?|expanded|contracted|shrank|plunged|tumbled|boost(?:ed)?|"
                             r"accelerat\w+|slow\w*|doubl\w+|tripl\w+|quarter[-\s]over[-\s]quarter|sequential\w*|"
                             r"change|changed|improv\w+|dipped|dip|narrowed|widened|rocket\w*|leap\w*)\b", re.I)


def _metric(ctx: _Context, num: NumberMention, sent: Span, clause: Span, subj: EntityMention | None,
            window: str) -> str:
    text = ctx.text
    kind = num.unit_kind
    if num.per_share or (kind == "money" and _PER_SHARE_AFTER.match(text[num.end:num.end + 20])):
        ukind = "per_share"
    elif kind == "pct":
        ukind = "pct"
    elif kind == "money":
        ukind = "money"
    elif kind in {"x"}:
        ukind = "x"
    else:
        ukind = "count"
    clause_text = text[clause.start:clause.end]
    has_change = bool(_CHANGE_WORD_RE.search(text[max(clause.start, num.start - 80):min(clause.end, num.end + 40)])) \
        or (kind == "pct" and num.signed == "+")  # "+67%" in a results table is a change
    subj_kind = subj.entity.kind if subj else ""
    # candidate cues: in the clause before the number (nearest first), then right after it
    best = None
    for cs, ce, (metric, units, change, order) in ctx.cues:
        if not (sent.start <= cs and ce <= sent.end):
            continue
        if ukind not in units and not (ukind == "per_share" and "money" in units and metric in {"price_target", "dividend"}):
            if not (ukind in {"pct", "x"} and change):
                continue
        if ce <= num.start:
            dist = num.start - ce
            if cs < clause.start:
                dist += 120
        elif cs >= num.end:
            dist = (cs - num.end) * 1.6 + 5
            if ce > clause.end:
                dist += 120
        else:
            continue
        if dist > 200:
            continue
        score = (dist, order)
        if best is None or score < best[0]:
            best = (score, metric, units, change, cs)
    metric = best[1] if best else ""
    change = best[3] if best else ""
    if metric == "revenue" and best and _revenue_sub_line(ctx, sent, num, best[4]):
        metric, change = "revenue_line", "revenue_line_growth"
    # securities: price metrics decided by the security words and the subject
    near = text[max(clause.start, num.start - 70):num.start]
    security = bool(_SECURITY_RE.search(text[max(sent.start, num.start - 90):min(sent.end, num.end + 30)]))
    if ukind == "pct":
        if metric in {"market_share", "gross_margin", "operating_margin"} and not has_change:
            return metric
        if metric in {"gross_margin", "operating_margin"}:
            return "margin_change" if num.unit in {"pp", "bp"} or re.search(r"expand|contract|narrow|widen|dip|fell|rose|point", clause_text, re.I) else metric
        if subj_kind == "index" and (not metric or metric in {"market_cap_change"} or best and best[0][0] > 40):
            return "ytd_return" if window == "ytd" else "index_move"
        price_ctx = security or (subj is not None and subj.entity.kind in {"company", "unknown"} and not metric)
        if window == "ytd" and (price_ctx or not metric or best[0][0] > 30):
            return "ytd_return"
        if window == "multi-day" and (security or not metric) and metric not in {"market_share"}:
            return "multi_day_return"
        if metric and change and has_change and not (security and best[0][0] > 40):
            if metric == "eps" and not re.search(r"earnings|eps|per\s+share", text[max(clause.start, num.start - 80):num.end + 30], re.I):
                pass
            else:
                return change
        if price_ctx and (not metric or best[0][0] > 25 or metric in {"market_cap_change", "market_cap"}):
            return "index_move" if subj_kind == "index" else "price_move"
        if metric and change and not has_change and metric not in {"eps", "revenue", "net_income"}:
            return metric
        if metric in {"revenue", "net_income", "capex", "adjusted_net_income", "operating_income"} and not has_change:
            return "market_share" if re.search(r"\bof\s+(?:total|the|its|all|overall)\b|account", text[num.end:num.end + 40] + near, re.I) else change or metric
        if metric:
            return change if change and has_change else metric
        return "other"
    if ukind == "per_share":
        if metric in {"price_target", "dividend"}:
            return metric
        if re.search(r"\b(?:tops?|topped|tops|trades?|traded|trading|closed|closes|hit|hits|reached|crossed|"
                     r"priced|changing\s+hands|stock|shares)\b[^.;]{0,25}$", near, re.I) \
                and not re.search(r"\b(?:earnings|eps|income|profit|dividend)\b", near, re.I):
            return "share_price"  # "tops $1,000 a share"
        sent_cues = {c[2][0] for c in ctx.cues if sent.start <= c[0] and c[1] <= sent.end}
        if "dividend" in sent_cues and not re.search(r"earnings|eps|income|profit", text[max(clause.start, num.start - 50):num.start], re.I):
            return "dividend"
        if "price_target" in sent_cues:
            return "price_target"
        return "eps"
    if ukind == "money":
        if metric in {"price_target", "dividend", "buyback_authorization"}:
            return metric
        if metric == "market_cap_change" and not re.search(r"market\s+(?:cap|value)|valuation|capitali", text[sent.start:sent.end], re.I):
            metric = ""
        level_ctx = _PRICE_LEVEL_RE.search(near)
        if metric == "eps" and num.value < 100 and not re.search(
                r"\b(?:closed|close|traded|trading|shares\s+(?:rose|fell|jumped|slid)|priced)\b[^.;]{0,30}$", near, re.I):
            return "eps"  # "Earnings per share ... came in at $1.05"
        if subj_kind == "index" and not metric:
            return "index_level"
        if (security or (subj is not None and subj.entity.kind in {"company", "unknown"})) and num.value < 100000 \
                and (not metric or best[0][0] > 25 or metric in {"market_cap_change", "deal_value", "investment"}) \
                and (level_ctx or security):
            return "share_price"
        if metric in {"investment", "capex"} and re.search(r"\b(?:next|over|coming)\s+(?:\w+\s+){0,2}years?\b|\bplan\b|\bpledg", text[sent.start:sent.end], re.I):
            return "capex_plan"  # a multi-year spending plan, not one quarter's outlay
        if (not metric or metric in {"deal_value", "investment"} and best[0][0] > 30) and num.value >= 5e11 \
                and subj is not None and subj.entity.kind in {"company", "unknown"}:
            return "market_cap"  # "the first $5 trillion company", "closed above $4 trillion"
        if metric:
            return metric
        return "other"
    if ukind == "x":
        if metric == "valuation_multiple" or re.match(r"[^.;]{0,30}\b(?:earnings|sales|book\s+value|ebitda|free\s+cash\s+flow|profits?)\b",
                                                     text[num.end:num.end + 45], re.I):
            return "valuation_multiple"
        return change if change and has_change or change and num.form == "multiplier" else "other"
    if metric in {"consecutive_quarters", "downloads", "users", "units_shipped", "employees", "valuation_multiple"}:
        return metric
    if subj_kind == "index" and num.value > 100:
        return "index_level"
    return "count"


_LINE_WORDS_OK = frozenset("the its their his her our total group quarterly annual net record overall company "
                           "company's firm's consolidated reported fiscal adjusted and of in for from a an".split())
_REVENUE_CUE_RE = re.compile(r"(?P<pre>(?:[\w'’&-]+\s+){1,2})(?P<cue>revenues?|sales)\b", re.I)


#: Words that, right before "revenue", name a revenue line the library does not hold.
_SUB_LINE_WORDS = frozenset("ai ai-related ai-driven product products advertising ad ads subscription services "
                            "service software hardware licensing license accelerator accelerators gpu chip chips "
                            "international domestic external overseas hyperscale blackwell hopper cloud-ai "
                            "commission commissions membership marketing".split())


def _revenue_sub_line(ctx: "_Context", sent: Span, num: NumberMention, cue_start: int) -> bool:
    """Whether the revenue cue governing the number names a sub-line the library does not hold
    ("AI-related product revenue", "advertising revenue", "Blackwell revenue"): the word right
    before the cue is a known sub-line word, and not part of a segment or company name."""
    if any(m.start < cue_start <= m.end + 1 for m in ctx.entities):
        return False
    m = re.search(r"([\w'’-]+)\s+$", ctx.text[max(sent.start, cue_start - 30):cue_start])
    return bool(m) and m.group(1).lower().strip("'’") in _SUB_LINE_WORDS


def _window(ctx: _Context, num: NumberMention, sent: Span, clause: Span) -> str:
    """The trading window of a price figure: the window cue nearest to the number in its clause
    (a year-to-date or multi-day cue beats a close cue: "up 90% this year through Monday's
    close"), else a pre-market / after-hours cue elsewhere in the sentence, else ``close``."""
    v = _vocab()
    text = ctx.text
    found = []
    generic = set()
    others = [p for p in ctx.number_starts if p != num.num_start]
    for cs, ce, name in ctx.window_cues:
        if clause.start <= cs and ce <= clause.end:
            if cs >= num.end and _separated(ctx, num, cs, others):
                continue  # "up 1% on the session and 1.8% higher so far this year": the other number's
            dist = cs - num.end if cs >= num.end else num.start - ce
            found.append((max(dist, 0), name))
            if cs in ctx.generic_intraday:
                generic.add((max(dist, 0), name))
    if _YEAR_WINDOW_RE.search(text, clause.start, clause.end):
        found.append((0, "ytd"))  # "up 52% in 2025", "a gain of 18.4% for 2026", "its 2026 gain"
    names = {n for _, n in found}
    if found and set(found) <= generic:
        for name in ("after-hours", "premarket"):
            if any(n == name and sent.start <= cs and ce <= sent.end for cs, ce, n in ctx.window_cues):
                return name  # "In pre-market trading ..., the stock was trading 3.9% up"
    if found:
        nearest = min(found)[1]
        if nearest == "intraday" and min(found) in generic and names & {"premarket", "after-hours"}:
            # "in pre-market trading ... was trading 3.9% up": the specific session part wins
            nearest = min((d, n) for d, n in found if n in {"premarket", "after-hours"})[1]
        if nearest in {"close", "ytd"} and "ytd" in names and min(d for d, n in found if n == "ytd") < 45:
            return "ytd"
        if nearest == "close" and "multi-day" in names and min(d for d, n in found if n == "multi-day") < 25:
            return "multi-day"
        return nearest
    if _names_past_session(ctx, clause):
        return "close"  # "after adding 8.1% yesterday": a finished session
    for name in ("after-hours", "premarket"):
        if any(n == name and sent.start <= cs and ce <= sent.end for cs, ce, n in ctx.window_cues):
            return name
    return "close"


#: Intraday cues that only say trading went on ("was trading"), which a named pre-market or
#: after-hours session in the same clause overrides.
_GENERIC_INTRADAY = frozenset({"trading at", "was trading", "were trading", "is trading", "are trading",
                               "traded at", "changing hands", "as of", "currently", "at last check", "last seen"})

_PAIRED_GAP_RE = re.compile(r"\s*(?:[-–,]?\s*(?:to|at|from|near|of)\s+)?(?:about|around|roughly|nearly|a|an)?\s*[$€£¥]?\s*$", re.I)


def _separated(ctx: "_Context", num: NumberMention, pos: int, others: list[int]) -> bool:
    """Whether the cue or date at ``pos`` (after the number) belongs to another number: another
    number stands between them that is not this one's pair ("fell 2.3% to $120.68 in early
    trading" keeps its cue), or the cue is a date written right before another number
    ("Monday's 3% gain")."""
    text = ctx.text
    for p in others:
        if num.end <= p < pos and not _PAIRED_GAP_RE.fullmatch(text[num.end:p]):
            return True
    end = next((d.end for d in ctx.dates if d.start == pos), None)
    if end is not None:
        after = text[end:end + 14]
        if re.match(r"(?:'s|’s)?\s+(?:[-+]?[$€£¥]?\d)", after):
            return True
    return False


def _names_past_session(ctx: "_Context", clause: Span) -> bool:
    """Whether the clause names a past session ("yesterday", "on Monday", "Aug. 27")."""
    v = _vocab()
    for m in v["session_re"].finditer(ctx.text, clause.start, clause.end):
        if v["session_words"].get(re.sub(r"\s+", " ", m.group().lower()), 0) < 0:
            return True
    return any(clause.start <= d.start and d.end <= clause.end and d.kind in {"date", "weekday"} for d in ctx.dates)


def _window_year(text: str, clause: Span) -> int | None:
    """The calendar year a return is stated for, when written ("up 52% in 2025")."""
    m = _YEAR_WINDOW_RE.search(text, clause.start, clause.end)
    if m is None:
        return None
    return int(m.group("y") or m.group("y2"))


def window_cue_stated(ctx: "_Context", clause: Span) -> bool:
    """Whether any trading-window cue is written in the clause."""
    return any(clause.start <= cs and ce <= clause.end for cs, ce, _ in ctx.window_cues)


def _session_ref(ctx: _Context, num: NumberMention, sent: Span, clause: Span) -> SessionRef:
    v = _vocab()
    text = ctx.text
    # explicit dates in the clause, then the sentence (nearest to the number)
    best = None
    others = [p for p in ctx.number_starts if p != num.num_start]

    def owned_by_other(pos: int) -> bool:
        """A date or session word that another number separates from this one, or that stands
        right before another number ("building on Monday's 3% gain"), belongs to that number."""
        return _separated(ctx, num, pos, others)

    sent_clauses = clauses(text, sent)
    for region, penalty in ((clause, 0), (sent, 1000)):
        for d in ctx.dates:
            if region.start <= d.start and d.end <= region.end and d.kind in {"date", "weekday"}:
                if d.start > num.end and owned_by_other(d.start):
                    continue
                if penalty:
                    home = enclosing(sent_clauses, d.start)
                    if any(home.start <= p < home.end for p in others):
                        continue  # "which were up 90% through Monday's close, pointed 0.7% lower"
                if _is_caption_date(ctx, d):
                    continue
                dist = abs(d.start - num.start) + penalty
                # a date inside "quarter ended ..." is not a session
                if any(p.kind == "quarter_end" and p.start <= d.start and d.end <= p.end for p in ctx.periods):
                    continue
                if best is None or dist < best[0]:
                    best = (dist, d)
        if best:
            break
    rel = None
    for m in v["session_re"].finditer(text, clause.start, clause.end):
        if re.search(r"\b(?:from|than|versus|vs\.?|over|compared\s+(?:with|to))\s*$", text[max(clause.start, m.start() - 14):m.start()], re.I):
            continue  # "2.6% higher from the previous day": the comparison base, not the session
        if m.start() > num.end and owned_by_other(m.start()):
            continue
        dist = abs(m.start() - num.start)
        if rel is None or dist < rel[0]:
            rel = (dist, m)
    if rel is not None and (best is None or best[0] >= 1000 or rel[0] + 20 < best[0]):
        m = rel[1]
        word = re.sub(r"\s+", " ", m.group().lower())
        return SessionRef("relative", word=word, offset=int(v["session_words"][word]),
                          start=m.start(), end=m.end())
    if best is not None:
        d = best[1]
        if d.kind == "weekday":
            return SessionRef("weekday", weekday=d.weekday, start=d.start, end=d.end)
        year = d.year
        if year is None:
            # "a 3.9% gain on June 13" in a sentence that says "in 2023": that year
            stated = [x.year for x in ctx.dates if x.year is not None and sent.start <= x.start < sent.end
                      and x is not d]
            year = stated[0] if len(set(stated)) == 1 else None
        return SessionRef("date", year=year, month=d.month, day=d.day, weekday=d.weekday,
                          start=d.start, end=d.end)
    rm = re.search(r"\b(?:on\s+the\s+day\s+of\s+the\s+(?:release|report|results|announcement)|"
                   r"after\s+(?:the|its)\s+(?:earnings\s+)?(?:report|results|release)|"
                   r"following\s+(?:the|its)\s+(?:earnings|results|report)|in\s+response\s+to\s+the\s+(?:results|report))\b",
                   text[sent.start:sent.end], re.I)
    if rm:
        return SessionRef("release", start=sent.start + rm.start(), end=sent.start + rm.end())
    return SessionRef()


_CAPTION_RE = re.compile(r"\b(?:photo|image|pictured|file\s+photo|getty|reuters/|/ap\b|afp|bloomberg\s+via|"
                         r"speaks\s+(?:during|at)|is\s+seen|are\s+seen|illustration|dreamstime|credit:|©)", re.I)


def _is_caption_date(ctx: _Context, d: DateMention) -> bool:
    line = enclosing(ctx.lines, d.start)
    return bool(_CAPTION_RE.search(ctx.text[line.start:line.end]))


def _period(ctx: _Context, num: NumberMention, sent: Span, clause: Span) -> tuple[PeriodMention | None, PeriodMention | None, str]:
    """The period mention governing the number (clause first, then sentence), a fiscal-year
    mention completing a yearless quarter, and a comparison word ("year_ago", "sequential")."""
    in_clause = [p for p in ctx.periods if clause.start <= p.start and p.end <= clause.end]
    in_sent = [p for p in ctx.periods if sent.start <= p.start and p.end <= sent.end]
    comparison = ""
    for p in in_clause:
        if p.kind in {"year_ago", "sequential"}:
            comparison = p.kind
    main = [p for p in in_clause if p.kind not in {"year_ago", "sequential"}]
    if not main:
        main = [p for p in in_sent if p.kind not in {"year_ago", "sequential"}]
        if not comparison:
            for p in in_sent:
                if p.kind == "sequential" and abs(p.start - num.end) < 30:
                    comparison = p.kind
    chosen = min(main, key=lambda p: abs(p.start - num.start)) if main else None
    year_of = None
    if chosen is not None and chosen.kind == "quarter" and chosen.year is None:
        fy = [p for p in in_sent if p.kind == "fiscal_year"]
        if fy:
            year_of = fy[0]
    return chosen, year_of, comparison


def _listing(ctx: _Context, num: NumberMention, sent: Span, clause: Span, subj: EntityMention | None) -> str:
    text = ctx.text
    region = text[clause.start:clause.end]
    if num.unit == "HKD":
        return "HK"
    if subj is not None and subj.hk_listing:
        return "HK"
    if _HK_CUE_RE.search(region) and not _US_CUE_RE.search(region):
        return "HK"
    if _US_CUE_RE.search(region):
        return "US"
    return ""


def _claim(ctx: _Context, num: NumberMention, sent: Span) -> NumberReading:
    text = ctx.text
    clause = _clause_of(ctx, sent, num.start)
    qualifier, qkind, qstart = _qualifier(ctx, num, sent)
    subj = _subject(ctx, num, sent, clause)
    window = _window(ctx, num, sent, clause)
    metric = _metric(ctx, num, sent, clause, subj, window)
    if subj is not None and metric in PRICE_METRICS and subj.entity.kind in {"private", "government"}:
        # "the DeepSeek scare wiped $600 billion off its value": an unlisted name is not whose
        # shares moved; the listed company named before it is
        listed = [m for m in ctx.entities if m.start < num.start and m.entity.kind in {"company", "index", "segment"}
                  and m.start >= max(0, sent.start - 600)]
        subj = listed[-1] if listed else None
    entity = subj.entity if subj else ctx.main
    if entity is None:
        subject, ticker, ekind, segment = "", "", "", ""
    else:
        from .profiles import entities
        carried = subj is not None and subj.start < sent.start
        if entity.kind == "segment" and (metric in GROUP_METRICS or carried):
            entity = entities()[entity.parent]  # a group figure, or a segment named sentences before
        subject = entity.name
        ekind = entity.kind
        segment = entity.segment
        ticker = entity.ticker or (entity.id if entity.kind in {"index", "unknown", "private", "government"} else "")
        if entity.kind == "segment":
            ticker = entities()[entity.parent].ticker
    value = float(num.value)
    if metric in CHANGE_METRICS or metric in {"free_cash_flow", "net_income", "operating_income"}:
        d = _direction(ctx, num, clause)
        if metric in {"free_cash_flow"}:
            d = "-" if re.search(r"outflow|negative|burn", text[max(clause.start, num.start - 40):num.end + 20], re.I) else ""
        if metric in {"net_income", "operating_income"}:
            d = "-" if re.search(r"\b(?:net|operating)\s+loss|\bloss\s+of\b", text[max(clause.start, num.start - 40):num.end + 5], re.I) else ""
        if d == "-":
            value = -abs(value)
        elif d == "+" and num.signed != "-":
            value = abs(value)
    period, year_of, comparison = _period(ctx, num, sent, clause)
    v = _vocab()
    after = text[num.end:min(sent.end, num.end + 40)]
    lo = max(clause.start, qstart - 45)
    estimate = any(lo <= e <= qstart and not any(e <= p < num.num_start for p in ctx.number_starts)
                   for s, e in ctx.estimate_cues) or bool(v["est_after"].match(after))
    # a forecast cue governs the number when it stands before it in its clause, or right after it
    forecast = estimate or any(clause.start <= s and e <= qstart for s, e in ctx.forecast_cues) \
        or any(num.end <= s <= num.end + 12 and e <= clause.end for s, e in ctx.forecast_cues)
    if metric == "revenue_guidance" and estimate:
        metric = "revenue"  # analysts' expectation of the revenue, not the company's outlook
    if metric == "revenue" and not estimate and _GUIDANCE_BEFORE.search(text[max(sent.start, qstart - 70):qstart]) \
            and not _NOT_GUIDANCE.search(text[max(sent.start, qstart - 70):qstart]):
        metric = "revenue_guidance"  # the company's own outlook: "projected to range from $52.9 billion"
    session = _session_ref(ctx, num, sent, clause) if metric in PRICE_METRICS else SessionRef()
    # a level stated for the year-ago quarter: "from 67 cents per share a year ago",
    # "compared with RMB 1.2 billion a year earlier"
    prior_year = bool(num.unit_kind in {"money", "count"} and (
        re.match(r"[^.;,]{0,25}\b(?:a|one|the)\s+year\s+(?:ago|earlier|before)|[^.;,]{0,25}\bin\s+the\s+(?:same|year-ago)\s+(?:quarter|period)",
                 text[num.end:num.end + 60], re.I)
        or re.search(r"\b(?:from|compared\s+(?:with|to)|versus|vs\.?|up\s+from|down\s+from)\s+(?:\w+\s+){0,2}$",
                     text[max(clause.start, qstart - 40):qstart], re.I) and comparison == "year_ago"))
    return NumberReading(
        start=min(qstart, num.start), end=num.end, quote=text[min(qstart, num.start):num.end],
        value=value, unit=num.unit, unit_kind=num.unit_kind, decimals=num.decimals,
        role="claim", role_reason="", qualifier=qualifier, qualifier_kind=qkind, subject=subject,
        ticker=ticker, entity_kind=ekind, segment=segment, metric=metric,
        per_share=num.per_share, period=period, period_year_of=year_of, comparison=comparison,
        prior_year=prior_year,
        session_ref=session, window=window if metric in PRICE_METRICS else "",
        window_stated=window_cue_stated(ctx, clause),
        window_year=_window_year(text, clause) if metric in PRICE_METRICS else None,
        listing=_listing(ctx, num, sent, clause, subj) if metric in PRICE_METRICS or num.unit == "HKD" else "",
        forecast=forecast, estimate=estimate, sentence_start=sent.start, sentence_end=sent.end,
        range_with=num.range_with, scale=num.scale)
