"""Rule-based extraction of quantitative claims (and dated mentions) from article text.

A *claim* is a number an analyst would underline because it can be checked: a price move, a
share price, a growth rate, an amount of money, a count of chips shipped, a process node. Each
claim is one row of :func:`extract_claims` with the columns of :data:`CLAIM_COLUMNS`.

The grammar is small and explicit (regular expressions plus a few context rules):

* **amounts**: ``[qualifier] [currency] number [scale] [currency word]`` such as
  ``"about $53 billion"``, ``"RMB 21.8 billion"``, ``"380 billion yuan"``, ``"$135"``;
* **percentages**: ``[qualifier] number %`` or ``number percent``;
* **physical quantities**: ``number unit`` with a unit of :data:`PHYSICAL_UNITS` (``"7 nanometer"``);
* **counts**: a bare number followed (after at most two modifiers such as "AI" or "derivative")
  by a countable noun of :data:`COUNT_NOUNS` (``"470,000 AI chips"``, ``"over 300 models"``), or a
  number with a scale word (``"600 million times"``);
* **streaks**: ``"eighth consecutive quarter"`` / ``"eight consecutive quarters"`` (a count);
* **growth bands**: ``"triple-digit growth"`` (at least 100 %), ``"double-digit growth"``;
* **fractions of a reference**: ``"half the cost"`` (50 %).

Numbers that are *not* claims are rejected by rule, not by luck: digits glued to letters or
slashes (``H20``, ``H100s``, ``Qwen3``, ``x86``, ``p50/p95``, ``24/7``), numbers hyphenated to a
word that is not a unit (``30-Second``, ``2026-era``), bare years, bare numbers after a
capitalised product word (``Hanguang 800``, ``Windows 11``, ``S&P 500``, ``Top 10``), bare numbers
with no countable noun, numbers after "per" (``per million tokens``), dates (see
:func:`extract_dates`) and everything inside advert / boilerplate spans found by
:func:`babaresearch.documents.find_boilerplate`.

Values are full magnitudes (``"$53 billion"`` -> ``5.3e10``) computed with :mod:`decimal` so that
``"RMB 21.8 billion"`` is exactly ``2.18e10``. A free-cash-flow *outflow* is reported negative.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from .documents import Document

#: Columns of :func:`extract_claims`, in order (the ledger relies on these names).
CLAIM_COLUMNS = ("doc_id", "start", "end", "quote", "value", "unit", "qualifier", "approx",
                 "subject", "metric", "period_label")

#: Columns of :func:`extract_dates`.
DATE_COLUMNS = ("doc_id", "start", "end", "quote", "date", "precision")

#: The metric vocabulary: every claim's ``metric`` is one of these (``"other"`` when no rule fits).
METRICS = {
    "price move": "one-day (or short-window) percentage move of a share price",
    "share price": "a share price level, in currency",
    "YTD return": "percentage return since the start of the calendar year",
    "revenue growth": "year-over-year growth of revenue (cloud, AI-related...), percent",
    "revenue": "revenue / sales amount for a period, in currency",
    "market share": "share of a market, percent",
    "market size": "size of a whole market, in currency",
    "capex": "capital spending plan or outlay on infrastructure, in currency",
    "deal value": "value of a partnership, contract or deal, in currency",
    "investment": "other investment amount, in currency",
    "free cash flow": "free cash flow (negative for an outflow), in currency",
    "units shipped": "number of hardware units (chips) shipped or deployed",
    "model count": "number of AI models released or open-sourced",
    "model parameters": "parameter count of an AI model",
    "downloads": "number of downloads",
    "derivative models": "number of models derived from a model family",
    "performance ratio": "performance relative to a reference product, percent",
    "cost ratio": "cost relative to a reference product, percent",
    "consecutive quarters": "length of a streak of quarters, count",
    "allocation share": "share of a budget allocated to a use, percent",
    "process node": "semiconductor process node, nanometres",
    "count": "another count of things",
    "other": "a number no metric rule recognised",
}

#: Qualifiers, as they appear in the ``qualifier`` column. All but ``""`` and ``"expected"`` make
#: ``approx`` True: the number is stated as approximate or as a bound. ``"expected"`` marks a
#: forecast: the figure itself is stated exactly, it is just not a fact yet.
QUALIFIERS = ("about", "around", "approximately", "roughly", "nearly", "almost", "close to",
              "over", "more than", "at least", "up to", "less than", "under", "expected", "")
_APPROX_QUALIFIERS = frozenset(QUALIFIERS) - {"", "expected"}

_QUALIFIER_RE = (r"(?:about|around|approximately|roughly|nearly|almost|close\s+to|just\s+over|"
                 r"well\s+over|over|more\s+than|at\s+least|up\s+to|less\s+than|under|"
                 r"(?:an\s+)?expected|(?:an\s+)?estimated|(?:a\s+)?projected|~)")
_QUALIFIER_CANON = {"just over": "over", "well over": "over", "estimated": "expected",
                    "projected": "expected", "~": "about"}

_SCALES = {"thousand": 10**3, "k": 10**3, "million": 10**6, "mn": 10**6, "m": 10**6,
           "mln": 10**6, "billion": 10**9, "bn": 10**9, "b": 10**9, "trillion": 10**12,
           "tn": 10**12}

#: Currency markers -> ISO 4217 code.
CURRENCIES = {"$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD",
              "us dollars": "USD", "hk$": "HKD", "hkd": "HKD", "hong kong dollars": "HKD",
              "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "renminbi": "CNY", "¥": "CNY",
              "€": "EUR", "eur": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP"}

#: Physical units (as written -> symbol used in the ``unit`` column).
PHYSICAL_UNITS = {"nanometer": "nm", "nanometers": "nm", "nanometre": "nm", "nanometres": "nm",
                  "nm": "nm", "gigawatt": "GW", "gigawatts": "GW", "gw": "GW",
                  "megawatt": "MW", "megawatts": "MW", "mw": "MW", "gb": "GB", "tb": "TB",
                  "tflops": "TFLOPS", "pflops": "PFLOPS", "tops": "TOPS", "ghz": "GHz"}

#: Countable nouns that make a bare number a claim (singular and plural forms).
COUNT_NOUNS = ("chip", "chips", "unit", "units", "model", "models", "download", "downloads",
               "customer", "customers", "user", "users", "developer", "developers", "server",
               "servers", "gpu", "gpus", "accelerator", "accelerators", "data centers",
               "data centres", "employee", "employees", "enterprise", "enterprises",
               "client", "clients", "stock", "stocks", "shares", "times", "parameters",
               "tokens", "regions", "countries", "products", "times")

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}

# Words before a bare number that make it a name, not a quantity ("Top 10", "S&P 500").
_NAME_WORDS_BEFORE = frozenset({"top", "s&p", "nasdaq", "ftse", "nikkei", "dax", "cac",
                                "russell", "no", "number", "version", "gen", "generation",
                                "series", "model", "chapter", "section", "page", "phase",
                                "level", "tier", "step"})
# Capitalised words that may precede a bare count without naming a product.
_SENTENCE_WORDS = frozenset({"the", "a", "an", "about", "over", "more", "some", "nearly",
                             "almost", "around", "approximately", "roughly", "with", "by",
                             "and", "to", "of", "in", "its", "their", "all", "at", "up",
                             "under", "less", "close", "just", "well", "only", "another",
                             "than", "expected"})

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTH_ABBR = {m[:3]: i for m, i in _MONTHS.items()} | {"sept": 9}

# --------------------------------------------------------------------------------------------
# regular expressions
# --------------------------------------------------------------------------------------------
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_CUR_PRE = r"US\$|HK\$|\$|USD\s?|RMB\s?|CNY\s?|HKD\s?|¥|€|£|EUR\s?|GBP\s?"
_SCALE = r"thousand|trillion|billion|million|mln|bn|mn|tn|[kmb](?![a-z])"
_CUR_POST = r"US\s+dollars|Hong\s+Kong\s+dollars|dollars|yuan|renminbi|RMB|CNY|USD|HKD|euros"
_PCT = r"%|\s?percent(?:age\s+points)?\b|\s?per\s?cent\b"
_PHYS = "|".join(sorted((re.escape(u) for u in PHYSICAL_UNITS), key=len, reverse=True))

_AMOUNT_RE = re.compile(
    rf"(?P<qual>\b{_QUALIFIER_RE}\s+)?"
    rf"(?P<cur>{_CUR_PRE})?"
    rf"(?P<num>(?<![\w.,/-])(?:{_NUM}))"
    rf"(?:\s?(?P<scale>{_SCALE})\b)?"
    rf"(?:(?P<pct>{_PCT})"
    rf"|\s?(?P<curpost>{_CUR_POST})\b"
    rf"|[\s-]?(?P<phys>{_PHYS})\b)?",
    re.IGNORECASE,
)
_STREAK_RE = re.compile(
    r"(?P<n>\b(?:" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) +
    r")\b|\b\d{1,2}(?:st|nd|rd|th)?\b)\s+(?:consecutive|straight|successive)\s+"
    r"(?P<what>quarters?|years?|months?)\b",
    re.IGNORECASE,
)
_DIGIT_BAND_RE = re.compile(r"\b(?P<band>double|triple)[- ]digit\s+(?:\w+\s+)?growth\b",
                            re.IGNORECASE)
_HALF_RE = re.compile(r"\bhalf\s+the\s+(?P<what>cost|price)\b", re.IGNORECASE)
_PARAM_RE = re.compile(
    r"\b(?P<num>a|one|\d+(?:\.\d+)?)[\s-](?P<scale>trillion|billion|million)[\s-]parameters?\b",
    re.IGNORECASE)

_DATE_MDY_RE = re.compile(
    r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b")
_DATE_DMY_RE = re.compile(
    r"\b(?P<day>\d{1,2})\s+(?P<month>January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\s+(?P<year>(?:19|20)\d\d)\b")
_DATE_ISO_RE = re.compile(r"(?<![\w-])(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\w-])")
_DATE_MY_RE = re.compile(
    r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b")

# Period labels, most specific first; the label is the named group ``label`` (as written).
_PERIOD_PATTERNS = [
    re.compile(r"(?P<label>\b(?:the\s+)?(?:March|June|September|December)\s+quarter"
               r"(?:\s+of)?(?:\s+(?:fiscal\s+)?(?:19|20)\d\d)?)\b"),
    re.compile(r"(?P<label>\b(?:first|second|third|fourth)\s+quarter(?:\s+of)?"
               r"(?:\s+(?:fiscal\s+)?(?:19|20)\d\d)?)\b", re.IGNORECASE),
    re.compile(r"(?P<label>\b[1-4]Q\s?(?:FY)?['’]?\d{2,4}|\bQ[1-4]\s?(?:FY\s?)?['’]?(?:19|20)?\d\d"
               r"|\bQ[1-4]\b(?!\s?(?:FY\s?)?['’]?\d))"),
    re.compile(r"(?P<label>\b(?:FY|fiscal(?:\s+year)?)\s?['’]?(?:19|20)?\d\d)\b", re.IGNORECASE),
    re.compile(r"(?P<label>\byear[- ]to[- ]date\b|\bYTD\b)", re.IGNORECASE),
    re.compile(r"(?P<label>\b(?:last|this|previous|prior|latest|current|past|same|next|coming|the)\s+"
               r"(?:quarter|year|month|week))\b", re.IGNORECASE),
    re.compile(r"(?P<label>\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))"
               r"(?:['’]s)?\b"),
    re.compile(r"\b(?:over|across|in|within|during|for)\s+(?:the\s+)?(?:next|last|past|coming)?\s*"
               r"(?P<label>(?:one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
               r"(?:years|quarters|months))\b", re.IGNORECASE),
    re.compile(r"(?P<label>\bto\s+date)\b", re.IGNORECASE),
    re.compile(r"\b(?:in|for|during|by|through|throughout)\s+(?P<label>(?:19|20)\d\d)\b(?![-/]\d)"),
]

# Entity aliases -> subject (ordered: longer / more specific first). ``\u2019`` is the curly
# apostrophe that most of the articles use.
_POSS = r"(?:['\u2019]s)?"
SUBJECT_PATTERNS = [
    (re.compile(r"\bAlibaba\s+Cloud\b|\bAlibaba" + _POSS + r"\s+(?:global\s+)?cloud\b"
                r"|\b[Ii]ts\s+cloud\s+(?:business|division|unit|segment|arm)\b"
                r"|\bcloud\s+(?:revenue|business|division|unit|segment)\b"), "Alibaba Cloud"),
    (re.compile(r"\bGoogle\s+Cloud\b"), "Google Cloud"),
    (re.compile(r"\bAWS\b|\bAmazon\s+Web\s+Services\b"), "AWS"),
    (re.compile(r"\b(?:Microsoft\s+)?Azure\b"), "Azure"),
    (re.compile(r"\bT-Hea[dt]\b"), "T-Head"),
    (re.compile(r"\bQwen"), "Qwen"),
    (re.compile(r"\bNvidia\b|\bNVIDIA\b|\bNVDA\b"), "NVIDIA"),
    (re.compile(r"\bAmazon\b"), "Amazon"),
    (re.compile(r"\bMicrosoft\b"), "Microsoft"),
    (re.compile(r"\bGoogle\b|\bAlphabet\b"), "Google"),
    (re.compile(r"\bOpenAI\b"), "OpenAI"),
    (re.compile(r"\bHuawei\b"), "Huawei"),
    (re.compile(r"\bBaidu\b"), "Baidu"),
    (re.compile(r"\bTencent\b"), "Tencent"),
    (re.compile(r"\bTSMC\b"), "TSMC"),
    (re.compile(r"\bCambricon\b"), "Cambricon"),
    (re.compile(r"\bAlibaba\b|\bBABA\b"), "Alibaba"),
]
#: Subject used when no entity is found anywhere before the claim.
DEFAULT_SUBJECT = "Alibaba"

# Metrics whose owner is the group, not its cloud segment.
_GROUP_METRICS = frozenset({"capex", "free cash flow", "share price", "price move", "YTD return",
                            "allocation share", "investment"})

_ABBREVIATIONS = frozenset({"u.s", "u.k", "e.g", "i.e", "vs", "inc", "corp", "co", "ltd", "mr",
                            "mrs", "ms", "dr", "no", "st", "jan", "feb", "mar", "apr", "jun",
                            "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est"})


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------
def _to_decimal(number: str) -> Decimal | None:
    try:
        return Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``: split at line breaks and at ``.!?`` + space.

    A period after a known abbreviation (``U.S.``, ``vs.``), inside a number (``21.8``) or
    followed by a lower-case word does not end a sentence.
    """
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in re.finditer(r"\n|[.!?][\"”’)\]]*(?=\s)", text):
        if match.group() == "\n":
            cut = match.start()
        else:
            word = re.search(r"([\w.&]+)$", text[start:match.start()])
            if word and word.group(1).lower() in _ABBREVIATIONS:
                continue
            if text[match.end():match.end() + 3].lstrip()[:1].islower():
                continue
            cut = match.end()
        if cut > start:
            bounds.append((start, cut))
        start = match.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def _enclosing(bounds: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for lo, hi in bounds:
        if lo <= pos < hi:
            return lo, hi
    return pos, pos


def _paragraph_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _entities(text: str) -> list[tuple[int, int, str]]:
    """All entity mentions ``(start, end, subject)``; a span claimed by a longer alias wins."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, subject in SUBJECT_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < hi and lo < m.end() for lo, hi in taken):
                continue
            found.append((m.start(), m.end(), subject))
            taken.append((m.start(), m.end()))
    return sorted(found)


def _periods(text: str) -> list[tuple[int, int, str]]:
    """All period mentions ``(start, end, label)`` (label as written, whitespace collapsed)."""
    found: list[tuple[int, int, str]] = []
    for pattern in _PERIOD_PATTERNS:
        for m in pattern.finditer(text):
            lo, hi = m.span("label")
            if any(lo < h and l < hi for l, h, _ in found):
                continue
            found.append((lo, hi, re.sub(r"\s+", " ", m.group("label")).strip()))
    return sorted(found)


# --------------------------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------------------------
def extract_dates(text: str, doc_id: str | None = None) -> pd.DataFrame:
    """Dated mentions in ``text`` (dates are not claims, but the ledger and the dating use them).

    Parameters
    ----------
    text : str
        The text to scan.
    doc_id : str, optional
        Copied into the ``doc_id`` column.

    Returns
    -------
    DataFrame
        Columns :data:`DATE_COLUMNS`: ``start``/``end`` offsets into ``text`` (``text[start:end] ==
        quote``), ``date`` (tz-naive Timestamp; the first day of the month for a month-only
        mention) and ``precision`` (``"day"`` or ``"month"``). Sorted by ``start``. Impossible
        dates (``February 30, 2025``) are skipped.
    """
    rows: list[dict] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, precision: str) -> None:
        if any(m.start() < hi and lo < m.end() for lo, hi in taken):
            return
        month_text = m.group("month")
        month = int(month_text) if month_text.isdigit() else (
            _MONTHS.get(month_text.lower()) or _MONTH_ABBR.get(month_text.lower()[:4].rstrip("."))
            or _MONTH_ABBR.get(month_text.lower()[:3]))
        day = int(m.group("day")) if precision == "day" else 1
        try:
            date = pd.Timestamp(year=int(m.group("year")), month=int(month), day=day)
        except (ValueError, TypeError):
            return
        taken.append((m.start(), m.end()))
        rows.append({"doc_id": doc_id, "start": m.start(), "end": m.end(), "quote": m.group(),
                     "date": date, "precision": precision})

    for pattern in (_DATE_MDY_RE, _DATE_DMY_RE, _DATE_ISO_RE):
        for m in pattern.finditer(text):
            add(m, "day")
    for m in _DATE_MY_RE.finditer(text):
        add(m, "month")
    frame = pd.DataFrame(rows, columns=list(DATE_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    frame["start"] = frame["start"].astype("int64")
    frame["end"] = frame["end"].astype("int64")
    frame["doc_id"] = frame["doc_id"].astype(object)
    return frame.sort_values("start", kind="mergesort").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# claim candidates
# --------------------------------------------------------------------------------------------
def _bare_number_is_name(text: str, start: int, number: str, has_noun: bool = False) -> bool:
    """True when a bare number is a year, a product or index name ('Hanguang 800', 'S&P 500').

    A capitalised word before the number marks a product name only when no countable noun
    follows: in a title-case headline ("Alibaba Reveals 470,000 AI Chips") the count stands.
    """
    digits = number.replace(",", "")
    if re.fullmatch(r"(?:19|20)\d\d", digits):
        return True
    before = text[max(0, start - 30):start]
    prev = re.search(r"([A-Za-z&][\w&.-]*)\s*$", before)
    if prev:
        word = prev.group(1)
        if word.lower() in _NAME_WORDS_BEFORE:
            return True
        if word[0].isupper() and word.lower() not in _SENTENCE_WORDS:
            if not has_noun:
                return True
            # with a noun after it, a capitalised word names a product unless the whole line
            # is a title-case headline
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
            words = re.findall(r"[A-Za-z][\w'’-]*", text[line_start:line_end if line_end >= 0 else len(text)])
            small = {"a", "an", "the", "of", "to", "in", "on", "and", "or", "for", "with", "at", "by", "while"}
            big = [w for w in words if w.lower() not in small]
            if not big or sum(w[0].isupper() for w in big) < 0.8 * len(big):
                return True
    return False


_COUNT_NOUN_RE = re.compile(
    r"(?:-|\s+(?:[A-Za-z][\w-]*\s+){0,2})(?P<noun>"
    + "|".join(sorted((re.escape(n) for n in set(COUNT_NOUNS)), key=len, reverse=True))
    + r")\b", re.IGNORECASE)


def _count_noun_after(text: str, end: int) -> tuple[int, str] | None:
    """``(end, noun)`` of a countable noun right after ``end`` (allowing 2 modifiers or a hyphen)."""
    m = _COUNT_NOUN_RE.match(text, end, min(len(text), end + 60))
    if not m:
        return None
    return m.end(), m.group("noun").lower()


def _candidates(text: str) -> list[dict]:
    """Raw claim candidates: dicts with start, end, value, unit, qualifier, kind."""
    out: list[dict] = []
    date_spans = [(int(r.start), int(r.end)) for r in extract_dates(text).itertuples()]

    def in_date(lo: int, hi: int) -> bool:
        return any(lo < h and l < hi for l, h in date_spans)

    for m in _AMOUNT_RE.finditer(text):
        num_lo, num_hi = m.span("num")
        number = m.group("num")
        if in_date(num_lo, num_hi):
            continue
        # digits glued to letters, slashes or a trailing hyphen-word that is not a unit
        nxt = text[m.end():m.end() + 1]
        if m.group("pct") is None and m.group("phys") is None and m.group("curpost") is None:
            tail = text[num_hi:num_hi + 2] if m.group("scale") is None else ""
            if tail[:1].isalpha() or tail[:1] in {"/", "_"} or (tail[:1] == "." and tail[1:2].isdigit()):
                continue
            if tail[:1] == ":" and tail[1:2].isdigit():
                continue  # a time or ratio such as 9:30
        if nxt == "/" and text[m.end() + 1:m.end() + 2].isdigit():
            continue  # 24/7, 50/50
        value = _to_decimal(number)
        if value is None:
            continue
        scale = (m.group("scale") or "").lower()
        cur_pre = (m.group("cur") or "").strip().lower()
        cur_post = re.sub(r"\s+", " ", (m.group("curpost") or "")).lower()
        # a lone "m"/"b"/"k" scale only counts right after a currency amount ("$5m")
        if scale in {"m", "b", "k"} and not cur_pre:
            scale = ""
        if scale:
            value *= _SCALES[scale]
        qual = re.sub(r"\s+", " ", (m.group("qual") or "")).strip().lower()
        qual = re.sub(r"^(?:an?|the)\s+", "", qual)
        qual = _QUALIFIER_CANON.get(qual, qual)
        end = m.end()
        if m.group("scale") and not scale:
            # the lone letter was not a scale: end the quote at the number
            end = num_hi
        if cur_pre or cur_post:
            unit = CURRENCIES.get(cur_pre or cur_post, "USD")
            kind = "amount"
        elif m.group("pct"):
            unit, kind = "%", "percent"
        elif m.group("phys"):
            unit, kind = PHYSICAL_UNITS[m.group("phys").lower()], "physical"
        else:
            # bare number: a claim only with a scale word or a countable noun after it
            if text[max(0, num_lo - 4):num_lo].lower().endswith("per "):
                continue
            noun = _count_noun_after(text, end)
            if noun is None and not scale:
                continue
            if not scale and _bare_number_is_name(text, num_lo, number, has_noun=noun is not None):
                continue
            if noun is not None and noun[1] in {"tokens"}:
                continue  # "1 million tokens" is a pricing unit, not a claim
            unit, kind = "count", "count"
            if noun is not None:
                end = max(end, noun[0]) if text[end:end + 1] == "-" else end
        if m.group("scale") and not scale and kind == "amount":
            end = num_hi
        start = m.start("qual") if m.group("qual") else (m.start("cur") if m.group("cur") else num_lo)
        if m.group("qual") and m.group("qual").lower().startswith(("an ", "a ")):
            start = m.start("qual") + m.group("qual").index(" ") + 1
        quote_end = end
        while quote_end > start and text[quote_end - 1].isspace():
            quote_end -= 1
        out.append({"start": start, "end": quote_end, "num_start": num_lo, "value": value,
                    "unit": unit, "qualifier": qual, "kind": kind})

    for m in _STREAK_RE.finditer(text):
        n = m.group("n").lower()
        count = _WORD_NUMBERS.get(n)
        if count is None:
            count = int(re.match(r"\d+", n).group())
        out.append({"start": m.start(), "end": m.end(), "num_start": m.start(),
                    "value": Decimal(count), "unit": "count", "qualifier": "", "kind": "streak",
                    "what": m.group("what").lower()})
    for m in _DIGIT_BAND_RE.finditer(text):
        floor = 100 if m.group("band").lower() == "triple" else 10
        out.append({"start": m.start(), "end": m.end(), "num_start": m.start(),
                    "value": Decimal(floor), "unit": "%", "qualifier": "at least",
                    "kind": "band"})
    for m in _HALF_RE.finditer(text):
        out.append({"start": m.start(), "end": m.end(), "num_start": m.start(),
                    "value": Decimal(50), "unit": "%", "qualifier": "", "kind": "half",
                    "what": m.group("what").lower()})
    for m in _PARAM_RE.finditer(text):
        base = Decimal(1) if m.group("num").lower() in {"a", "one"} else _to_decimal(m.group("num"))
        lo = m.start("scale") if m.group("num").lower() in {"a", "one"} else m.start()
        out.append({"start": lo, "end": m.end(), "num_start": lo,
                    "value": base * _SCALES[m.group("scale").lower()], "unit": "count",
                    "qualifier": "", "kind": "parameters"})

    # overlapping candidates: keep the earliest, then the longest
    out.sort(key=lambda c: (c["start"], -(c["end"] - c["start"])))
    kept: list[dict] = []
    for cand in out:
        if kept and cand["start"] < kept[-1]["end"]:
            continue
        kept.append(cand)
    return kept


# --------------------------------------------------------------------------------------------
# context rules: metric, subject, period, qualifier
# --------------------------------------------------------------------------------------------
def _number_end(text: str, cand: dict) -> int:
    m = re.match(r"[\d,.]+", text[cand["num_start"]:cand["end"]])
    return cand["num_start"] + (m.end() if m else 0)


def _metric(cand: dict, before: str, after: str) -> str:
    """Metric from the words right after the number, then from the clause before it."""
    kind, unit = cand["kind"], cand["unit"]
    before_l, after_l = before.lower(), after.lower()
    after_near = after_l[:45]
    if kind == "streak":
        return "consecutive quarters" if cand["what"].startswith("quarter") else "count"
    if kind == "band":
        return "revenue growth"
    if kind == "half":
        return "cost ratio"
    if kind == "parameters":
        return "model parameters"
    if unit == "nm":
        return "process node"
    if unit == "%":
        if re.match(r"\s*(?:of\s+)?(?:\S+\s+){0,2}(?:domestic\s+|global\s+|cloud\s+)?market\s+share", after_near) \
                or re.search(r"market\s+share\W{0,3}(?:\(|$)", before_l[-60:]) \
                or re.search(r"share\s*\(\s*$", before_l):
            return "market share"
        if re.match(r"\s*(?:of\s+)?(?:[\w'’]+\s+){0,3}performance", after_near):
            return "performance ratio"
        if re.match(r"\s*(?:of\s+)?(?:[\w'’]+\s+){0,3}(?:cost|price)", after_near):
            return "cost ratio"
        if re.match(r"\s*(?:is\s+|was\s+|will\s+be\s+)?(?:allocated|earmarked|dedicated|"
                    r"going|directed|devoted)", after_near):
            return "allocation share"
        if re.search(r"year[- ]to[- ]date|\bytd\b|so far this year|this year", after_near + " " + before_l[-40:]):
            return "YTD return"
        if re.search(r"\b(?:stock|shares?|trading|rall\w*|plunge\w*|slump\w*|tumbl\w*|soar\w*)\b",
                     before_l[-70:] + " " + after_near) and not re.search(r"revenue|sales", before_l[-40:]):
            return "price move"
        if re.search(r"grew|grow|growth|rose|increase|year[- ](?:over|on)[- ]year|y/y|yoy|up\b",
                     before_l[-60:] + " " + after_near):
            return "revenue growth"
        return "other"
    if unit == "count":
        span = after_l[:40]
        if re.search(r"download", before_l[-25:] + span):
            return "downloads"
        if re.match(r"[\s-]*(?:\w+\s+)?derivative", span):
            return "derivative models"
        if re.match(r"[\s-]*(?:\w+\s+){0,2}models?\b", span):
            return "model count"
        if re.match(r"[\s-]*(?:\w+\s+){0,2}(?:chips?|units?|gpus?|accelerators?|servers?)\b", span):
            return "units shipped"
        return "count"
    # currency amounts
    if re.match(r"\s*(?:a|per)\s+share\b|\s*per\s+share", after_near) or \
            re.search(r"\bto\s+(?:about\s+|around\s+|nearly\s+)?$", before_l[-25:]) and \
            re.search(r"stock|shares", before_l):
        return "share price"
    if re.search(r"cash\s+flow|outflow", before_l[-60:] + " " + after_near):
        return "free cash flow"
    if re.match(r"\s*(?:[\w-]+\s+){0,3}market\b", after_near):
        return "market size"
    if re.match(r"\s*(?:[\w-]+\s+){0,2}(?:partnership|deal|contract|agreement)", after_near):
        return "deal value"
    if re.search(r"sales|revenue", before_l[-60:] + " " + after_near[:20]):
        return "revenue"
    if re.search(r"invest|capex|capital|infrastructure|data cent|spend|pledg|plan", before_l[-60:]
                 + " " + after_near):
        return "capex"
    return "other"


def _subject(entities, cand, sent, para_start, metric, text) -> str:
    lo, hi = sent
    pos = cand["num_start"]
    inside_before = [e for e in entities if lo <= e[0] and e[1] <= cand["start"]]
    if metric in {"performance ratio", "cost ratio"}:
        # "80% of Nvidia's H20 performance": the product after "of"/"than" is the reference
        inside_before = [e for e in inside_before
                         if not re.search(r"\b(?:of|than|versus|vs\.?)\s+$", text[max(0, e[0] - 10):e[0]])]
    inside_after = [e for e in entities if e[0] >= cand["end"] and e[1] <= hi
                    and e[0] - cand["end"] <= 40 and not re.search(r"[,;:—–]|\s-", text[cand["end"]:e[0]])]
    if metric == "market size":
        m = re.match(r"\s*((?:[\w-]+\s+){0,3}market)\b", text[cand["end"]:cand["end"] + 60])
        if m:
            return m.group(1).strip()
    if inside_before:
        subject = inside_before[-1][2]
    elif inside_after:
        subject = inside_after[0][2]
    else:
        earlier = [e for e in entities if e[1] <= pos]
        in_para = [e for e in earlier if e[0] >= para_start]
        subject = (in_para or earlier or [(0, 0, DEFAULT_SUBJECT)])[-1][2]
    if metric in _GROUP_METRICS and subject == "Alibaba Cloud":
        subject = "Alibaba"
    return subject


def _period(periods, cand, sent, claim_starts, text) -> str:
    lo, hi = sent
    best, best_score = "", math.inf
    for p_lo, p_hi, label in periods:
        if p_lo < lo or p_hi > hi:
            continue
        if p_lo < cand["end"] and cand["start"] < p_hi:
            continue  # the period is part of the claim itself ("eight consecutive quarters")
        if p_lo >= cand["end"]:
            gap = p_lo - cand["end"]
            between = [s for s in claim_starts if cand["end"] <= s < p_lo]
            if between and re.search(r"[,;:—–]", text[cand["end"]:p_lo]):
                continue  # a period in a later clause with its own number belongs to that number
        else:
            # a period before the number is a weaker match, and only counts in the same clause
            # or as the sentence's opening phrase ("In Q3 2025, cloud revenue grew 34%")
            opening = (re.match(r"\W*(?:In|During|For|On|Over|Through|As\s+of|At|By|Since|After)\b",
                                text[lo:p_lo]) is not None
                       and not re.search(r"[,;:()]", text[lo:p_lo]))
            gap = cand["start"] - p_hi + 15
            if not opening and re.search(r"[,;:()—–]", text[p_hi:cand["start"]]):
                # another clause of the sentence: only a growth streak / band borrows it ("grew
                # 26% last quarter, and ... triple-digit growth for eight consecutive quarters"),
                # and never a future period ("later this year")
                if cand["kind"] not in {"streak", "band"} or re.search(
                        r"\b(?:later|next|coming|upcoming)\s+$", text[max(lo, p_lo - 12):p_lo]):
                    continue
                gap += 1000
            between = [s for s in claim_starts if p_hi <= s < cand["start"]]
        score = gap + 200 * len(between)
        if score < best_score:
            best, best_score = label, score
    return best


def _far_qualifier(text: str, cand: dict, sent_start: int, claim_ends: list[int]) -> str:
    """'expected' stated a few words before the number ('expected to be built on a 7 nm...')."""
    window_start = max([sent_start, cand["start"] - 60] + [e for e in claim_ends if e <= cand["start"]])
    before = text[window_start:cand["start"]]
    if re.search(r"\b(?:expected|forecast|projected|estimated|set)\s+to\b[^.;]*$", before, re.IGNORECASE):
        return "expected"
    return ""


def _empty_claims() -> pd.DataFrame:
    return _typed(pd.DataFrame({c: [] for c in CLAIM_COLUMNS}))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({"start": "int64", "end": "int64", "value": "float64", "approx": "bool"})
    for column in ("doc_id",):
        frame[column] = frame[column].astype(object)
    for column in ("quote", "unit", "qualifier", "subject", "metric", "period_label"):
        frame[column] = frame[column].astype(str) if len(frame) else frame[column].astype(object)
    return frame.reset_index(drop=True)


def extract_claims(text: str, doc_id: str | None = None, *,
                   skip: list[tuple[int, int, str]] | None = None) -> pd.DataFrame:
    """Quantitative claims in ``text``, one row each.

    Parameters
    ----------
    text : str
        Article text. Offsets in the result index into this exact string.
    doc_id : str, optional
        Copied into the ``doc_id`` column.
    skip : list of (start, end, reason), optional
        Spans whose numbers are not claims (adverts, link headlines...). Default: the spans
        :func:`babaresearch.documents.find_boilerplate` finds in ``text``; pass ``[]`` to keep
        every number.

    Returns
    -------
    DataFrame
        Columns :data:`CLAIM_COLUMNS`, sorted by ``start``:

        - ``start``, ``end`` (int) with ``text[start:end] == quote`` (the quote includes an
          adjacent qualifier: ``"close to 13%"``);
        - ``value`` (float, full magnitude: ``"$53 billion"`` -> ``5.3e10``, ``"34%"`` -> ``34.0``,
          ``"ninth consecutive quarter"`` -> ``9.0``; a free-cash-flow outflow is negative);
        - ``unit``: ``"%"``, an ISO currency (``USD``, ``CNY``, ``HKD``...), ``"count"`` or a
          physical unit symbol (``"nm"``);
        - ``qualifier`` (one of :data:`QUALIFIERS`) and ``approx`` (bool);
        - ``subject`` (Alibaba, Alibaba Cloud, NVIDIA, AWS, Azure, Amazon, T-Head, Qwen...; the
          nearest entity before the number in its sentence, else the first after it, else the
          nearest before it in the paragraph / text, else :data:`DEFAULT_SUBJECT`);
        - ``metric`` (one of :data:`METRICS`);
        - ``period_label``: the period the claim refers to, as written in the same sentence
          (``"Q3 2025"``, ``"last quarter"``, ``"FY’23"``, ``"year-to-date"``, ``"Friday"``,
          ``"three years"``, ``"to date"``, a date such as ``"March 20, 2026"``) or ``""``.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_claims expects a str, got {type(text).__name__}")
    if not text:
        return _empty_claims()
    if skip is None:
        from .documents import find_boilerplate  # documents imports claims lazily too
        skip = find_boilerplate(text)
    candidates = [c for c in _candidates(text)
                  if not any(c["start"] < hi and lo < c["end"] for lo, hi, _ in skip)]
    if not candidates:
        return _empty_claims()
    sentences = _sentence_bounds(text)
    entities = _entities(text)
    periods = _periods(text)
    dates = extract_dates(text)
    periods = sorted(periods + [(int(r.start), int(r.end), r.quote) for r in dates.itertuples()
                                if r.precision == "day"
                                and not any(int(r.start) < h and l < int(r.end) for l, h, _ in periods)])
    claim_starts = [c["num_start"] for c in candidates]
    claim_ends = [c["end"] for c in candidates]
    rows = []
    for cand in candidates:
        sent = _enclosing(sentences, cand["start"])
        before = text[sent[0]:cand["start"]]
        # metric words are read from the end of the number on ("470,000-chip figure")
        after = text[cand["end"] if cand["kind"] != "count" else _number_end(text, cand):sent[1]]
        metric = _metric(cand, before, after)
        qualifier = cand["qualifier"] or _far_qualifier(text, cand, sent[0], claim_ends)
        value = cand["value"]
        if metric == "free cash flow" and re.search(r"outflow|negative|burn", (before[-60:] + after[:30]).lower()):
            value = -abs(value)
        value_f = float(value)
        if not math.isfinite(value_f):
            continue
        others = [s for s in claim_starts if s != cand["num_start"]]
        rows.append({
            "doc_id": doc_id, "start": cand["start"], "end": cand["end"],
            "quote": text[cand["start"]:cand["end"]], "value": value_f, "unit": cand["unit"],
            "qualifier": qualifier, "approx": qualifier in _APPROX_QUALIFIERS,
            "subject": _subject(entities, cand, sent, _paragraph_start(text, cand["start"]), metric, text),
            "metric": metric,
            "period_label": _period(periods, cand, sent, others, text),
        })
    if not rows:
        return _empty_claims()
    return _typed(pd.DataFrame(rows, columns=list(CLAIM_COLUMNS)))


def extract_document_claims(doc: "Document") -> pd.DataFrame:
    """Claims of a :class:`~babaresearch.documents.Document`, skipping its boilerplate spans.

    Offsets index into ``doc.text``; ``doc_id`` is ``doc.doc_id``.
    """
    return extract_claims(doc.text, doc.doc_id, skip=list(doc.boilerplate))
