"""Rule-based extraction of quantitative claims (and dated mentions) from article text.

A *claim* is a number an analyst would underline because it can be checked: a price move, a
share price, a growth rate, an amount of money, a count of chips shipped, a process node. Each
claim is one row of :func:`extract_claims` with the columns of :data:`CLAIM_COLUMNS`.

The grammar is small and explicit (regular expressions plus a few context rules):

* **amounts**: ``[qualifier] [currency] number [scale] [currency word] [± tolerance]`` such as
  ``"about $61 billion"``, ``"RMB 12.5 billion"``, ``"RMB247.7 billion"`` (no space, the
  press-release style), ``"$4.5bn"``, ``"US$8bn"``, ``"HK$95"``, ``"240 billion yuan"``,
  ``"$75 billion ±2%"`` (the tolerance is stored in ``qualifier`` as ``"plus or minus 2%"``);
* **percentages**: ``[qualifier] number %`` (also ``"34 %"`` and a no-break / narrow no-break space
  before ``%``) or ``number percent``; **basis points** ``"150bps"`` / ``"150 basis points"``
  (unit ``"bp"``); **multiples** ``"2x faster"``, ``"12x earnings"`` (unit ``"x"``);
* **physical quantities**: ``number unit`` with a unit of :data:`PHYSICAL_UNITS` (``"5 nanometer"``);
* **counts**: a bare number followed (after at most two modifiers such as "AI" or "derivative")
  by a countable noun of :data:`COUNT_NOUNS` (``"90,000 test boards"``, ``"over 250 models"``), or
  a number with a scale word (``"900 million times"``, ``"3bn"``, ``"1.2m chips"``);
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

Values are full magnitudes (``"$61 billion"`` -> ``6.1e10``) computed with :mod:`decimal` so that
``"RMB 21.8 billion"`` is exactly ``2.18e10``. Signs:

* a free-cash-flow *outflow* is reported negative;
* a percentage / basis-point *change* (price move, YTD return, any growth metric, ``"other"``) is
  negative when a fall word governs the number: ``"fell close to 9%"``, ``"slid 4% after hours"``,
  ``"was down 61%"``, ``"a 7% drop"`` (:data:`FALL_WORDS`); ``"rose"``, ``"jumped"``, ``"up"`` and
  unmarked numbers stay positive. ``"fell to 4%"`` is a level, not a change, and stays positive.

Currencies: ``$`` is USD, ``HK$`` HKD, ``US$`` USD, ``RMB``/``yuan`` CNY. The yen sign (``¥``, or
the full-width ``￥`` that ftfy folds to ``¥``) is written for both the Japanese yen and the Chinese
yuan; it is read as **CNY unless the text has more Japan cues ("yen", "Japan", "Japanese", "Tokyo",
"JPY") than China cues ("yuan", "RMB", "China", "Chinese", "Alibaba", "Hong Kong"...)**: an
article about Alibaba means yuan (see :func:`yen_currency`).
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
    "revenue growth": "year-over-year growth (negative: decline) of revenue or sales (group, "
                      "cloud segment...), percent",
    "AI revenue growth": "year-over-year growth of AI-related (product) revenue, percent; for "
                         "Alibaba it is reported inside the cloud segment, so its subject is "
                         "Alibaba Cloud. Kept apart from 'revenue growth' so a band such as "
                         "'triple-digit growth' is never compared with the segment's own growth",
    "net income growth": "year-over-year change of net income / net profit, percent",
    "capex growth": "year-over-year change of capital expenditure, percent",
    "revenue": "revenue / sales amount for a period, in currency",
    "market share": "share of a market, percent",
    "margin": "a profit margin (gross, operating...) or its change, percent or bp (negative when "
              "it narrowed)",
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
    "performance ratio": "performance relative to a reference product, percent (or a multiple "
                         "'x' for '2x faster')",
    "valuation multiple": "a price multiple such as '12x earnings', unit 'x'",
    "cost ratio": "cost relative to a reference product, percent",
    "consecutive quarters": "length of a streak of quarters, count",
    "allocation share": "share of a budget allocated to a use, percent",
    "process node": "semiconductor process node, nanometres",
    "count": "another count of things",
    "other": "a number no metric rule recognised",
}

#: Qualifiers, as they appear in the ``qualifier`` column. All but ``""`` and ``"expected"`` make
#: ``approx`` True: the number is stated as approximate or as a bound. ``"expected"`` marks a
#: forecast: the figure itself is stated exactly, it is just not a fact yet (written before the
#: number, a few words before it, "expected to move onto a 3 nm line", or right after it, "$1.10
#: expected"). Besides these, a stated tolerance gives a qualifier matching
#: :data:`TOLERANCE_QUALIFIER_RE` ("plus or minus 2%", approx True): the claim is a range around
#: its value, not a second claim.
QUALIFIERS = ("about", "around", "approximately", "roughly", "nearly", "almost", "close to",
              "over", "more than", "at least", "up to", "less than", "under", "expected", "")
_APPROX_QUALIFIERS = frozenset(QUALIFIERS) - {"", "expected"}
#: The form of a tolerance qualifier ("plus or minus 2%", "plus or minus 0.5 billion USD").
TOLERANCE_QUALIFIER_RE = re.compile(r"plus or minus \d+(?:\.\d+)?(?:%| bp| [\w ]+)?")

_QUALIFIER_RE = (r"(?:about|around|approximately|roughly|nearly|almost|close\s+to|just\s+over|"
                 r"well\s+over|over|more\s+than|at\s+least|up\s+to|less\s+than|under|"
                 r"(?:an\s+)?expected|(?:an\s+)?estimated|(?:a\s+)?projected|~)")
_QUALIFIER_CANON = {"just over": "over", "well over": "over", "estimated": "expected",
                    "projected": "expected", "~": "about"}

_SCALES = {"thousand": 10**3, "k": 10**3, "million": 10**6, "mn": 10**6, "m": 10**6,
           "mln": 10**6, "billion": 10**9, "bn": 10**9, "b": 10**9, "trillion": 10**12,
           "tn": 10**12}

#: Currency markers -> ISO 4217 code. The yen sign is resolved per text by :func:`yen_currency`.
CURRENCIES = {"$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD",
              "us dollars": "USD", "hk$": "HKD", "hkd": "HKD", "hong kong dollars": "HKD",
              "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "renminbi": "CNY", "¥": "CNY",
              "￥": "CNY", "jpy": "JPY", "yen": "JPY",
              "€": "EUR", "eur": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP"}
#: Written for both the yen and the yuan (see :func:`yen_currency`).
AMBIGUOUS_YEN_SIGNS = frozenset({"¥", "￥"})
_CHINA_CUES_RE = re.compile(r"\b(?:yuan|RMB|CNY|renminbi|China|Chinese|Beijing|Shanghai|Hangzhou|"
                            r"Shenzhen|Hong\s+Kong|Alibaba|BABA|Tencent|Baidu|Huawei|JD\.com)\b",
                            re.IGNORECASE)
_JAPAN_CUES_RE = re.compile(r"\b(?:yen|JPY|Japan|Japanese|Tokyo|Osaka|Nikkei|TOPIX|SoftBank|"
                            r"Toyota|Sony)\b", re.IGNORECASE)

#: Words that, governing a percentage, make it a fall (negative change).
FALL_WORDS = ("fell", "fall", "falls", "falling", "fallen", "dropped", "drop", "drops", "declined",
              "decline", "declines", "declining", "plunged", "plunge", "plunges", "lost", "lose",
              "loses", "shed", "sheds", "slumped", "slump", "slumps", "tumbled", "tumble",
              "tumbles", "sank", "sink", "sinks", "sunk", "decreased", "decrease", "decreases",
              "contracted", "contract", "contracts", "shrank", "shrunk", "shrink", "shrinks", "slid",
              "slide", "slides", "slipped", "slip", "dipped", "dip", "retreated", "narrowed",
              "down", "lower", "crashed", "skidded", "eased")
#: Nouns that, right after a percentage, make it a fall ("a 7% drop").
FALL_NOUNS = ("drop", "decline", "fall", "slide", "plunge", "decrease", "contraction", "slump",
              "loss", "dip", "tumble", "retreat")

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
_CUR_PRE = r"US\$|HK\$|\$|USD\s?|RMB\s?|CNY\s?|HKD\s?|JPY\s?|¥|￥|€|£|EUR\s?|GBP\s?"
_SCALE = r"thousand|trillion|billion|million|mln|bn|mn|tn|[kmb](?![a-z])"
_CUR_POST = r"US\s+dollars|Hong\s+Kong\s+dollars|dollars|yuan|renminbi|RMB|CNY|USD|HKD|JPY|yen|euros"
# "34%", "34 %", and the no-break (U+00A0) / narrow no-break (U+202F) space French-style
# typesetting puts before the sign; never across a line break
_SP = r"[ \u00a0\u202f]"
_PCT = rf"{_SP}?%|\s?percent(?:age\s+points)?\b|\s?per\s?cent\b"
_BP = rf"{_SP}?(?:bps?|basis\s+points?)\b"
_MULT = r"[x×](?!\w)"
_TOLERANCE_RE = re.compile(
    rf"{_SP}*(?:±|\+/-|\+-|plus\s+or\s+minus){_SP}*(?P<num>\d+(?:\.\d+)?)"
    rf"(?P<unit>{_SP}?%|{_SP}?percent\b|{_SP}?(?:bps?|basis\s+points)\b)?", re.IGNORECASE)
# "$1.10 expected" (but not "$5 billion expected to grow", where the expectation is the growth)
_TRAILING_EXPECTED_RE = re.compile(
    r"[ \u00a0]+(?:expected|estimated|forecast|projected)\b(?!\s+(?:to|that)\b)", re.IGNORECASE)
_PHYS = "|".join(sorted((re.escape(u) for u in PHYSICAL_UNITS), key=len, reverse=True))

_AMOUNT_RE = re.compile(
    rf"(?P<qual>\b{_QUALIFIER_RE}\s+)?"
    # a currency prefix may be glued to the number ("RMB247.7 billion"); without one the number
    # must not be glued to a word, a decimal point, a slash or a hyphen ("H20", "24/7")
    rf"(?:(?<![A-Za-z])(?P<cur>{_CUR_PRE})|(?<![\w.,/-]))"
    rf"(?P<num>{_NUM})"
    rf"(?:\s?(?P<scale>{_SCALE})\b)?"
    rf"(?:(?P<pct>{_PCT})"
    rf"|(?P<bp>{_BP})"
    rf"|(?P<mult>{_MULT})"
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
    r"September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?,?\s+"
    r"(?P<year>(?:19|20)\d\d)\b")
_DATE_ISO_RE = re.compile(r"(?<![\w-])(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\w-])")
_DATE_MY_RE = re.compile(
    r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b")

# A written date, for the period patterns that embed one ("the quarter ended June 30, 2025").
_DATE_IN_LABEL = (
    r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    r"|\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?,?\s+(?:19|20)\d\d)")
_MONTH_NAME = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
               r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

# Period labels, most specific first; the label is the named group ``label`` (as written). A
# pattern may also name a group ``whole``: the span the period occupies (used for overlaps and
# distances) when it is longer than the label ("Monday, 24 Feb 2025" -> label "24 Feb 2025").
_PERIOD_PATTERNS = [
    # reporting periods named by their end date: label with the date, never the bare date
    re.compile(r"(?P<label>\b(?:the\s+)?(?:(?:fiscal\s+)?(?:quarter|year)|(?:three|six|nine|twelve)"
               r"\s+months|(?:first|second)\s+half|half[- ]year|(?:fiscal\s+)?period)\s+"
               r"end(?:ed|ing)\s+(?:on\s+)?" + _DATE_IN_LABEL + r")\b", re.IGNORECASE),
    # ... or by their last month only ("the quarter ending September 2025"): that month's end
    re.compile(r"(?P<label>\b(?:the\s+)?(?:(?:fiscal\s+)?(?:quarter|year)|(?:three|six|nine|twelve)"
               r"\s+months|(?:first|second)\s+half|half[- ]year|(?:fiscal\s+)?period)\s+"
               r"end(?:ed|ing)\s+(?:in\s+)?" + _MONTH_NAME + r"\.?,?\s+(?:19|20)\d\d)\b", re.IGNORECASE),
    # Alibaba's own wording, the year between month and "quarter": "the September 2025 quarter"
    re.compile(r"(?P<label>\b(?:the\s+)?(?:March|June|September|December)[\s-](?:19|20)\d\d"
               r"[\s-]quarter)\b"),
    # a weekday in apposition to a date names that date: the date is the label
    re.compile(r"(?P<whole>\b" + _WEEKDAY + r",?\s+(?P<label>" + _DATE_IN_LABEL + r"))\b"),
    # fiscal quarters keep "fiscal": "fiscal Q4 2025" is not calendar Q4 2025
    re.compile(r"(?P<label>\bfiscal\s+(?:year\s+)?(?:Q[1-4]\s?['’]?(?:19|20)?\d\d|(?:19|20)\d\d\s+Q[1-4]"
               r"|(?:first|second|third|fourth)\s+quarter(?:\s+of)?(?:\s+(?:19|20)\d\d)?)"
               r"|\bQ[1-4]\s+(?:of\s+)?fiscal\s+(?:year\s+)?['’]?(?:19|20)?\d\d)\b", re.IGNORECASE),
    # half years: "1H25", "H1 2025", "2H FY25", "the first half of 2025"
    re.compile(r"(?P<label>\b[12]H\s?(?:FY\s?)?['’]?(?:19|20)?\d\d|\bH[12]\s?(?:FY\s?)?['’]?(?:19|20)?\d\d"
               r"|\b(?:first|second)\s+half(?:\s+(?:of\s+)?(?:fiscal\s+(?:year\s+)?)?['’]?(?:19|20)\d\d)?)\b",
               re.IGNORECASE),
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
#: Reporting segments per subject: a number whose own clause names one gets the subject
#: ``"<company> <Segment>"`` (e.g. ``"NVIDIA Data Center"``), so a segment's growth is never
#: compared with the group's. Alibaba's cloud segment is the entity ``"Alibaba Cloud"`` (see
#: :data:`SUBJECT_PATTERNS`); share-price, capex and other group metrics always stay with the group.
COMPANY_SEGMENTS: dict[str, tuple[tuple[re.Pattern, str], ...]] = {
    "NVIDIA": (
        (re.compile(r"\bdata[\s-]?cent(?:er|re)s?\b", re.IGNORECASE), "Data Center"),
        (re.compile(r"\bgaming\b", re.IGNORECASE), "Gaming"),
        (re.compile(r"\bprofessional\s+visuali[sz]ation\b|\bpro\s*viz\b", re.IGNORECASE),
         "Professional Visualization"),
        (re.compile(r"\bautomotive\b", re.IGNORECASE), "Automotive"),
    ),
}
#: Subject used when no entity is found anywhere before the claim.
DEFAULT_SUBJECT = "Alibaba"

# Metrics whose owner is the group, not its cloud segment.
_GROUP_METRICS = frozenset({"capex", "capex growth", "net income growth", "free cash flow",
                            "share price", "price move", "YTD return", "allocation share",
                            "investment", "valuation multiple"})
# Where a clause of a sentence starts: after a clause mark or a conjunction.
_CLAUSE_START_RE = re.compile(r"[,;:—–]|(?:and|while|but|whereas|although|though)", re.IGNORECASE)
_AI_REVENUE_RE = re.compile(r"AI(?:-related)?\s+(?:product\s+)?revenues?", re.IGNORECASE)

# Abbreviations that may also end a sentence ("...listed in the U.S. Last quarter, ..."): they
# end one when the next word is a usual sentence opener (never a name such as "Commerce").
_FINAL_ABBREVIATIONS = frozenset({"u.s", "u.k", "inc", "corp", "co", "ltd", "approx", "est"})
_SENTENCE_OPENERS = frozenset({
    "the", "this", "that", "these", "those", "last", "in", "on", "at", "but", "and", "it", "its",
    "a", "an", "after", "before", "since", "during", "meanwhile", "however", "still", "yet", "for",
    "as", "shares", "investors", "analysts", "we", "they", "he", "she", "there", "while", "over",
    "so", "revenue", "sales", "year", "earlier", "later", "next", "previously", "separately",
})
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


def yen_currency(text: str) -> str:
    """ISO code of the yen sign (``¥`` / ``￥``) in ``text``: ``"CNY"`` unless Japan cues win.

    The sign is written for both the Japanese yen and the Chinese yuan. Cues are counted in the
    whole text: Japan cues ("yen", "JPY", "Japan", "Japanese", "Tokyo", "Nikkei"...) against China
    cues ("yuan", "RMB", "China", "Chinese", "Alibaba", "Hong Kong"...). Only strictly more Japan
    cues give ``"JPY"``: this library reads articles about Alibaba, where the sign means yuan.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        ``"CNY"`` or ``"JPY"``.
    """
    japan = len(_JAPAN_CUES_RE.findall(text))
    china = len(_CHINA_CUES_RE.findall(text))
    return "JPY" if japan > china else "CNY"


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
                following = re.match(r"\s+[\"“‘']?([A-Za-z]+)", text[match.end():match.end() + 40])
                if not (word.group(1).lower() in _FINAL_ABBREVIATIONS and following
                        and following.group(1).lower() in _SENTENCE_OPENERS):
                    continue  # "the U.S. Commerce Department": no sentence end
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
    """All period mentions ``(start, end, label)`` (label as written, whitespace collapsed).

    ``start``/``end`` are the span the mention occupies: the label's, or the pattern's ``whole``
    group when it has one ("Monday, 24 Feb 2025" occupies both words, its label is the date).
    """
    found: list[tuple[int, int, str]] = []
    for pattern in _PERIOD_PATTERNS:
        for m in pattern.finditer(text):
            lo, hi = m.span("whole" if "whole" in pattern.groupindex else "label")
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
    follows: in a title-case headline ("Vendor Ships 90,000 Test Boards") the count stands.
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


def _candidates(text: str, dates: pd.DataFrame | None = None) -> list[dict]:
    """Raw claim candidates: dicts with start, end, value, unit, qualifier, kind.

    ``dates`` is :func:`extract_dates` of ``text`` when the caller has it already.
    """
    out: list[dict] = []
    if dates is None:
        dates = extract_dates(text)
    date_spans = [(int(r.start), int(r.end)) for r in dates.itertuples()]

    def in_date(lo: int, hi: int) -> bool:
        return any(lo < h and l < hi for l, h in date_spans)

    for m in _AMOUNT_RE.finditer(text):
        num_lo, num_hi = m.span("num")
        number = m.group("num")
        if in_date(num_lo, num_hi):
            continue
        # digits glued to letters, slashes or a trailing hyphen-word that is not a unit
        nxt = text[m.end():m.end() + 1]
        if all(m.group(g) is None for g in ("pct", "bp", "mult", "phys", "curpost")):
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
        # a lone "m"/"b"/"k" scale only counts right after a currency amount ("$5m") or before
        # a countable noun ("1.2m chips"); elsewhere it is a letter ("5m tall")
        if scale in {"m", "b", "k"} and not cur_pre and _count_noun_after(text, m.end("scale")) is None:
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
            marker = cur_pre or cur_post
            unit = yen_currency(text) if marker in AMBIGUOUS_YEN_SIGNS else CURRENCIES.get(marker, "USD")
            kind = "amount"
        elif m.group("pct"):
            unit, kind = "%", "percent"
        elif m.group("bp"):
            unit, kind = "bp", "percent"
        elif m.group("mult"):
            unit, kind = "x", "multiple"
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
        tolerance = ""
        if kind in {"amount", "percent"}:
            tol = _TOLERANCE_RE.match(text, quote_end)
            if tol:
                # "$75 billion ±2%": a range around the amount, part of this claim's quote
                tol_unit = (tol.group("unit") or "").strip().lower()
                tol_unit = "%" if tol_unit in {"%", "percent"} else "bp" if tol_unit else ""
                tolerance = (f"plus or minus {tol.group('num')}{tol_unit}" if tol_unit != "bp"
                             else f"plus or minus {tol.group('num')} bp")
                quote_end = tol.end()
        if not qual and not tolerance and _TRAILING_EXPECTED_RE.match(text, quote_end):
            qual = "expected"  # "$1.10 expected": a forecast stated after the figure
        out.append({"start": start, "end": quote_end, "num_start": num_lo, "value": value,
                    "unit": unit, "qualifier": tolerance or qual, "kind": kind})

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


# What a change is a change *of*: the nearest of these nouns before the number (in the last 80
# characters of its sentence) decides; the order inside the alternation does not matter.
_CHANGE_NOUN_RE = re.compile(
    r"(?P<ai>\bai(?:-related)?\s+(?:product\s+)?revenues?\b)"
    r"|(?P<netincome>\bnet\s+(?:income|profits?|earnings)\b|\bprofits?\b(?!-taking))"
    r"|(?P<capex>\bcapex\b|\bcapital\s+(?:expenditures?|spending)\b)"
    r"|(?P<margin>\bmargins?\b)"
    r"|(?P<revenue>\brevenues?\b|\bsales\b|\bturnover\b)"
    r"|(?P<price>\bstocks?\b|\bshares?\b(?!\s+(?:of|in)\s+(?:the\s+)?(?:market|revenue))|\badrs?\b"
    r"|\bshare\s+price\b|\bequity\b)")
_CHANGE_METRIC = {"ai": "AI revenue growth", "netincome": "net income growth",
                  "capex": "capex growth", "revenue": "revenue growth", "price": "price move",
                  "margin": "margin"}
# Cues that a bare move is a share-price move ("slid 4% after hours", "in Friday's trading").
_PRICE_CUE_RE = re.compile(
    r"\b(?:stocks?|shares?|trading|traded|session|after[- ]hours|pre-?market|intraday|rall\w*|"
    r"soar\w*|plung\w*|slump\w*|tumbl\w*|nyse|nasdaq|hkex)\b")
# Growth words of a business measure ("the unit grew 26%", "year-over-year").
_GROWTH_CUE_RE = re.compile(r"\b(?:grew|grow\w*|expand\w*|increas\w*|year[- ](?:over|on)[- ]year|y/y|yoy|"
                            r"from\s+a\s+year\s+(?:earlier|ago))\b|\bup\b")
_MOVE_VERB_RE = re.compile(
    r"\b(?:rose|rise[sn]?|rising|jump\w*|surg\w*|gain\w*|climb\w*|rall\w*|soar\w*|spik\w*|"
    + "|".join(FALL_WORDS) + r")\b")
_FALL_BEFORE_RE = re.compile(
    r"\b(?:" + "|".join(FALL_WORDS) + r")\s+(?:by\s+|some\s+|a\s+further\s+|another\s+|"
    r"as\s+much\s+as\s+)?$")
_FALL_AFTER_RE = re.compile(r"\s*(?:" + "|".join(FALL_NOUNS) + r")s?\b")
#: Metrics whose value is a signed change (a fall is negative).
CHANGE_METRICS = frozenset({"price move", "YTD return", "revenue growth", "AI revenue growth",
                            "net income growth", "capex growth", "margin", "other"})


def _change_metric(before_l: str, after_near: str) -> str:
    """Metric of a percentage change from the nearest metric noun before it, else from cues."""
    last = None
    for m in _CHANGE_NOUN_RE.finditer(before_l[-80:]):
        last = m
    if last is not None:
        return _CHANGE_METRIC[last.lastgroup]
    context = before_l[-70:] + " " + after_near
    if _PRICE_CUE_RE.search(context):
        return "price move"
    if _GROWTH_CUE_RE.search(before_l[-60:] + " " + after_near):
        return "revenue growth"
    if _MOVE_VERB_RE.search(before_l[-30:]):
        return "price move"  # "Tencent slid 3%": a company that moves is its stock
    return "other"


def _is_fall(before: str, after: str) -> bool:
    """True when a fall word governs the number ("fell close to 9%", "down 61%", "a 7% drop")."""
    return bool(_FALL_BEFORE_RE.search(before.lower()) or _FALL_AFTER_RE.match(after.lower()))


#: A share price quote is below this (in its currency): "closed at $140" is a price, "closed at
#: $2 billion" (a deal, a funding round) is not.
MAX_SHARE_PRICE = 100_000
# A session's price level: "closed at roughly $140", "opened at", "ended the day at", "a closing
# price of", "last traded at", "settled near".
_CLOSING_PRICE_RE = re.compile(
    r"\b(?:clos(?:ed|es|ing)|open(?:ed|s|ing)|end(?:ed|s)|finish(?:ed|es)|settl(?:ed|es)|"
    r"trad(?:ed|es|ing))(?:\s+(?:the\s+)?(?:day|session|week|trading))?\s+(?:at|near|around)\s+$"
    r"|\b(?:closing|opening)\s+(?:share\s+|stock\s+)?price\s+(?:of|was|at)\s+(?:just\s+)?$"
    r"|\ba\s+(?:close|closing\s+level)\s+of\s+$")
# Words that make "closed at $X" a deal rather than a session ("the round closed at $2bn").
_DEAL_WORDS_RE = re.compile(r"\b(?:deal|round|funding|acquisition|transaction|offering|ipo|"
                            r"bond|loan|sale|contract|valuation)s?\b")


def _is_closing_price(cand: dict, before_l: str) -> bool:
    """True for a currency amount that is a session's price level ("closed at roughly $140")."""
    if cand["kind"] != "amount" or cand["value"] >= MAX_SHARE_PRICE:
        return False
    if not _CLOSING_PRICE_RE.search(before_l[-45:]):
        return False
    return not _DEAL_WORDS_RE.search(before_l[-60:])


def _metric(cand: dict, before: str, after: str) -> str:
    """Metric from the words right after the number, then from the clause before it."""
    kind, unit = cand["kind"], cand["unit"]
    before_l, after_l = before.lower(), after.lower()
    after_near = after_l[:45]
    ai_revenue = re.search(r"\bai(?:-related)?\s+(?:product\s+)?revenues?\b", before_l[-80:])
    if kind == "streak":
        return "consecutive quarters" if cand["what"].startswith("quarter") else "count"
    if kind == "band":
        return "AI revenue growth" if ai_revenue else _change_metric(before_l, after_near) \
            if _CHANGE_NOUN_RE.search(before_l[-80:]) else "revenue growth"
    if kind == "half":
        return "cost ratio"
    if kind == "parameters":
        return "model parameters"
    if unit == "nm":
        return "process node"
    if unit == "x":
        if re.match(r"\s*(?:its\s+|the\s+)?(?:forward\s+|trailing\s+|next\s+year['’]s\s+)?"
                    r"(?:earnings|sales|revenue|ebitda|book|free\s+cash\s+flow|fcf|p/?e)\b", after_near) \
                or re.search(r"\b(?:p/?e|multiple|valuation|valued|trades?\s+at|trading\s+at)\b", before_l[-40:]):
            return "valuation multiple"
        if re.match(r"\s*(?:\w+\s+){0,2}(?:faster|quicker|more|better|higher|performance|speed|"
                    r"throughput|efficien\w*)", after_near):
            return "performance ratio"
        return "other"
    if unit in {"%", "bp"}:
        if re.match(r"\s*(?:of\s+)?(?:\S+\s+){0,2}(?:domestic\s+|global\s+|cloud\s+)?market\s+share", after_near) \
                or re.search(r"market\s+share\W{0,3}(?:\(|$)", before_l[-60:]) \
                or re.search(r"share\s*\(\s*$", before_l) \
                or re.search(r"market\s+share\s+(?:[\w'’]+\s+){0,3}$", before_l[-45:]) \
                or (re.search(r"\(\s*$", before_l) and "market share" in before_l):
            # "(31%)" after a name in a sentence about market share: "By market share, AWS (31%)"
            return "market share"
        # "70% of the performance of X", "30% more performance"; not "rose 12% on strong
        # performance" (a reason, not a reference)
        if re.match(r"\s*(?:of\s+(?:[\w'’]+\s+){0,3}|(?:more|better|higher|faster)\s+(?:\w+\s+)?)"
                    r"performance", after_near):
            return "performance ratio"
        if re.match(r"\s*(?:of\s+(?:[\w'’]+\s+){0,3}|(?:lower|less|cheaper)\s+(?:\w+\s+)?)(?:cost|price)",
                    after_near):
            return "cost ratio"
        if re.match(r"\s*(?:is\s+|was\s+|will\s+be\s+)?(?:allocated|earmarked|dedicated|"
                    r"going|directed|devoted)", after_near):
            return "allocation share"
        if re.search(r"year[- ]to[- ]date|\bytd\b|so far this year|this year", after_near + " " + before_l[-40:]):
            return "YTD return"
        return _change_metric(before_l, after_near)
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
    if _is_closing_price(cand, before_l):
        return "share price"
    if re.match(r"\s*(?:a|per)\s+share\b|\s*per\s+share", after_near) or \
            re.search(r"\b(?:to|at|hit|hits|reached|touched|topped)\s+(?:about\s+|around\s+|nearly\s+)?$",
                      before_l[-25:]) and re.search(r"stock|shares", before_l):
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
        # "70% of the performance of Nvidia's H100": the product after "of"/"than" is the reference
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
    clause_lo = lo
    for m in _CLAUSE_START_RE.finditer(text, lo, cand["start"]):
        clause_lo = m.end()
    clause = text[clause_lo:cand["start"]]
    if cand["kind"] in {"streak", "band"} or metric == "AI revenue growth":
        # Alibaba reports its AI-related product revenue inside the cloud segment
        if subject == "Alibaba" and (metric == "AI revenue growth"
                                     or _AI_REVENUE_RE.search(text[lo:cand["start"]])):
            subject = "Alibaba Cloud"
    elif subject == "Alibaba Cloud" and not re.search(r"cloud", clause, re.IGNORECASE):
        # "Alibaba Cloud grew 26%, while group revenue grew 5%": the cloud segment owns a number
        # only when the number's own clause names cloud
        subject = "Alibaba"
    elif subject == "Alibaba" and metric not in _GROUP_METRICS and re.search(
            r"\bcloud\s+(?:revenues?|sales|business|division|unit|segment|arm)\b", clause, re.IGNORECASE):
        subject = "Alibaba Cloud"  # "Cloud revenue at Alibaba grew 31%"
    if metric not in _GROUP_METRICS and metric != "market size":
        subject = _segment_subject(subject, clause)
    return subject


def _segment_subject(company: str, clause: str) -> str:
    """``"<company> <Segment>"`` when the clause names one of the company's reporting segments.

    The rule: a number whose own clause (the words before it, from the last clause mark or
    conjunction) names a reporting segment of :data:`COMPANY_SEGMENTS` belongs to that segment,
    e.g. "NVIDIA said data center revenue rose 5%" -> ``"NVIDIA Data Center"``; a segment named in
    another clause of the sentence does not count. The first segment named wins.
    """
    segments = COMPANY_SEGMENTS.get(company)
    if not segments:
        return company
    found = [(m.start(), name) for pattern, name in segments for m in [pattern.search(clause)] if m]
    return f"{company} {min(found)[1]}" if found else company


def _is_date_label(label: str) -> bool:
    return bool(re.fullmatch(_DATE_IN_LABEL, label) or re.fullmatch(r"(?:19|20)\d\d-\d\d-\d\d", label))


def _period(periods, cand, sent, claim_starts, text) -> str:
    """The period label of a claim: the nearest eligible period mention of its sentence.

    An explicit date beats a weekday word of the same sentence ("slid 3% in Thursday's trading
    on August 28, 2025" -> the date): the date says which Thursday.
    """
    lo, hi = sent
    eligible: list[tuple[float, str]] = []
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
            # or as the sentence's opening phrase ("In Q1 2025, segment sales grew 31%")
            opening = (re.match(r"\W*(?:In|During|For|On|Over|Through|As\s+of|At|By|Since|After)\b",
                                text[lo:p_lo]) is not None
                       and not re.search(r"[,;:()]", text[lo:p_lo]))
            # a dateline: the sentence opens with the period itself ("24 Feb 2025: ...")
            opening = opening or (not text[lo:p_lo].strip(" \t\"“(") and
                                  re.match(r"\s*[:,—–-]", text[p_hi:]) is not None)
            # an introductory phrase of a clause: "NVIDIA: Last quarter, revenue rose 5%",
            # "...on Friday; last quarter, revenue rose 5%"
            opening = opening or (not re.split(r"[;:—–]", text[lo:p_lo])[-1].strip(" \t\"“‘'(")
                                  and re.match(r"\s*,", text[p_hi:]) is not None)
            gap = cand["start"] - p_hi + 15
            if not opening and re.search(r"[,;:()—–]", text[p_hi:cand["start"]]):
                # another clause of the sentence: only a growth streak / band borrows it ("grew
                # 19% last quarter, and ... double-digit growth for five straight quarters"),
                # and never a future period ("later this year")
                if cand["kind"] not in {"streak", "band"} or re.search(
                        r"\b(?:later|next|coming|upcoming)\s+$", text[max(lo, p_lo - 12):p_lo]):
                    continue
                gap += 1000
            between = [s for s in claim_starts if p_hi <= s < cand["start"]]
        score = gap + 200 * len(between)
        eligible.append((score, label))
    if any(_is_date_label(label) for _, label in eligible):
        eligible = [(score, label) for score, label in eligible
                    if not re.fullmatch(_WEEKDAY, label)]
    best, best_score = "", math.inf
    for score, label in eligible:
        if score < best_score:
            best, best_score = label, score
    return best


def _far_qualifier(text: str, cand: dict, sent_start: int, claim_ends: list[int]) -> str:
    """'expected' stated a few words before the number ('expected to move onto a 3 nm line')."""
    window_start = max([sent_start, cand["start"] - 60] + [e for e in claim_ends if e <= cand["start"]])
    before = text[window_start:cand["start"]]
    if re.search(r"\b(?:expected|forecast|projected|estimated|set)\s+to\b[^.;]*$", before, re.IGNORECASE):
        return "expected"
    return ""


def empty_claims() -> pd.DataFrame:
    """A typed claims frame with no rows (columns :data:`CLAIM_COLUMNS`)."""
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
          adjacent qualifier: ``"close to 9%"``, and a tolerance: ``"$75 billion ±2%"``);
        - ``value`` (float, full magnitude: ``"$61 billion"`` -> ``6.1e10``, ``"41%"`` -> ``41.0``,
          ``"ninth consecutive quarter"`` -> ``9.0``; a free-cash-flow outflow is negative);
        - ``unit``: ``"%"``, ``"bp"`` (basis points), ``"x"`` (a multiple), an ISO currency
          (``USD``, ``CNY``, ``HKD``, ``JPY``...; the yen sign per :func:`yen_currency`),
          ``"count"`` or a physical unit symbol (``"nm"``);
        - ``qualifier`` (one of :data:`QUALIFIERS`, or a tolerance matching
          :data:`TOLERANCE_QUALIFIER_RE` such as ``"plus or minus 2%"``) and ``approx`` (bool);
        - ``subject`` (Alibaba, Alibaba Cloud, NVIDIA, AWS, Azure, Amazon, T-Head, Qwen...; the
          nearest entity before the number in its sentence, else the first after it, else the
          nearest before it in the paragraph / text, else :data:`DEFAULT_SUBJECT`). Alibaba
          Cloud owns a number only when the number's own clause names cloud (else Alibaba);
          AI-related revenue growth of Alibaba belongs to Alibaba Cloud. A number whose own
          clause names a reporting segment of :data:`COMPANY_SEGMENTS` belongs to that segment:
          "NVIDIA said data center revenue rose 5%" -> ``"NVIDIA Data Center"`` (group metrics
          such as share price or capex stay with the group);
        - ``metric`` (one of :data:`METRICS`); a change's metric comes from the nearest metric
          noun before it ("capex ..., up 55%" -> ``"capex growth"``); a price level a stock
          closed, opened, ended or traded at ("closed at roughly $140") is ``"share price"``;
        - ``period_label``: the period the claim refers to, as written in the same sentence
          (``"Q3 2025"``, ``"fiscal Q4 2025"``, ``"the quarter ended June 30, 2025"``, ``"1H25"``,
          ``"last quarter"``, ``"FY’22"``, ``"year-to-date"``, ``"Tuesday"``, ``"three years"``,
          ``"to date"``, a date such as ``"March 20, 2026"``, ``"the September 2025 quarter"``)
          or ``""``. An explicit date in the sentence beats a weekday word. A period before the
          number counts when it opens the sentence or a clause ("Last quarter, revenue rose 5%",
          "...; last quarter, revenue rose 5%") or shares the number's clause.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_claims expects a str, got {type(text).__name__}")
    if not text:
        return empty_claims()
    if skip is None:
        from .documents import find_boilerplate  # documents imports claims lazily too
        skip = find_boilerplate(text)
    dates = extract_dates(text)  # once: numbers inside dates are skipped, day dates are periods
    candidates = [c for c in _candidates(text, dates)
                  if not any(c["start"] < hi and lo < c["end"] for lo, hi, _ in skip)]
    if not candidates:
        return empty_claims()
    sentences = _sentence_bounds(text)
    entities = _entities(text)
    periods = _periods(text)
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
        if cand["unit"] in {"%", "bp"} and metric in CHANGE_METRICS \
                and _is_fall(before, text[cand["end"]:sent[1]]):
            value = -abs(value)  # "revenue fell 5.2%" is a change of -5.2%
        value_f = float(value)
        if not math.isfinite(value_f):
            continue
        others = [s for s in claim_starts if s != cand["num_start"]]
        rows.append({
            "doc_id": doc_id, "start": cand["start"], "end": cand["end"],
            "quote": text[cand["start"]:cand["end"]], "value": value_f, "unit": cand["unit"],
            "qualifier": qualifier,
            "approx": qualifier in _APPROX_QUALIFIERS or qualifier.startswith("plus or minus"),
            "subject": _subject(entities, cand, sent, _paragraph_start(text, cand["start"]), metric, text),
            "metric": metric,
            "period_label": _period(periods, cand, sent, others, text),
        })
    if not rows:
        return empty_claims()
    return _typed(pd.DataFrame(rows, columns=list(CLAIM_COLUMNS)))


def extract_document_claims(doc: "Document") -> pd.DataFrame:
    """Claims of a :class:`~babaresearch.documents.Document`, skipping its boilerplate spans.

    Offsets index into ``doc.text``; ``doc_id`` is ``doc.doc_id``.
    """
    return extract_claims(doc.text, doc.doc_id, skip=list(doc.boilerplate))
