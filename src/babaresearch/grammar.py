"""One grammar for the text layer: sentences, clauses, dates, times, periods and numbers.

Extraction (:mod:`babaresearch.claims`), dating (:mod:`babaresearch.dating`) and period
resolution (:mod:`babaresearch.periods`) all read text through these functions; none keeps a
grammar of its own. Every function returns typed spans with offsets into the string it was given,
and every pattern is linear in the input (no unbounded look-around, no nested repetition).
Vocabularies come from :mod:`babaresearch.vocabulary`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .vocabulary import alternation, load

# --------------------------------------------------------------------------------------------
# sentences and clauses
# --------------------------------------------------------------------------------------------
#: Words after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    "inc corp co ltd plc mr mrs ms dr st no vs etc jan feb mar apr jun jul aug sep sept oct nov "
    "dec u.s a.m p.m e.g i.e approx est fig jr sr gov sen rep dept univ mt ft u.k u.n calif "
    "wash mass n.y".split())

_SENT_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9$€£¥])|\n+")


@dataclass(frozen=True)
class Span:
    """A span ``text[start:end]``."""

    start: int
    end: int


def sentences(text: str) -> list[Span]:
    """Sentence spans of ``text``: a line break always ends one, and so does ``.``, ``!`` or ``?``
    followed by a capital, digit or currency sign, unless the word before the period is an
    abbreviation (:data:`ABBREVIATIONS`) or a single letter ("U.S.").

    Linear in ``len(text)``. Leading / trailing whitespace is not part of a span.
    """
    out: list[Span] = []
    start = 0
    for m in _SENT_END.finditer(text):
        if m.group(0)[0] == ".":
            j = m.start()
            k = j
            while k > start and (text[k - 1].isalpha() or text[k - 1] == "."):
                k -= 1
            word = text[k:j].lower().rstrip(".")
            if word in ABBREVIATIONS or len(word) == 1:
                continue
        end = m.end() if m.group(0)[0] != "\n" else m.start()
        _push(out, text, start, end)
        start = m.end()
    _push(out, text, start, len(text))
    return out


def _push(out: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start, end))


_CLAUSE_BREAK = re.compile(
    r";|:\s|\s[—–]\s|(?<=\w)—(?=\w)|\s--\s|,\s+(?=(?:while|whereas|but|although|though|even as|as|and|with|after|"
    r"before|compared|versus|which|where)\b)|\s(?=(?:while|whereas|but)\s)|\(|\)")


_RELATIVE_OPEN = re.compile(r",?\s*(?:which|who)\b")


def clauses(text: str, span: Span) -> list[Span]:
    """Clause spans inside sentence ``span`` (split at ``;``, ``:``, dashes, parentheses and
    ``, while / but / and / as / compared ...``)."""
    out: list[Span] = []
    start = span.start
    for m in _CLAUSE_BREAK.finditer(text, span.start, span.end):
        _push(out, text, start, m.start())
        start = m.end() if m.group(0) in {"(", ")", ";"} or m.group(0).startswith((":", " ")) else m.start()
    _push(out, text, start, span.end)
    # a relative clause ", which were up 90% this year through Monday's close, pointed ..." ends
    # at its next comma
    final: list[Span] = []
    for c in out or [span]:
        m = _RELATIVE_OPEN.match(text, c.start, c.end)
        k = text.find(", ", m.end(), c.end) if m else -1
        if m and k > 0:
            final.append(Span(c.start, k))
            _push(final, text, k + 1, c.end)
        else:
            final.append(c)
    return final


def enclosing(spans: list[Span], pos: int) -> Span:
    """The span of ``spans`` (sorted) holding ``pos`` (else the last one starting before it)."""
    lo, hi = 0, len(spans) - 1
    best = spans[0] if spans else Span(0, 0)
    while lo <= hi:
        mid = (lo + hi) // 2
        if spans[mid].start <= pos:
            best = spans[mid]
            lo = mid + 1
        else:
            hi = mid - 1
    return best


def lines(text: str) -> list[Span]:
    """Line spans (without the line break)."""
    out = []
    start = 0
    for m in re.finditer(r"\n", text):
        out.append(Span(start, m.start()))
        start = m.end()
    out.append(Span(start, len(text)))
    return out


# --------------------------------------------------------------------------------------------
# dates and times
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DateMention:
    """A date (possibly without year or day), weekday or time written in a text.

    Attributes
    ----------
    start, end : int
        ``text[start:end]`` is the mention.
    year, month, day : int or None
        Calendar fields as written (``year`` None for "Aug. 27").
    weekday : int or None
        0 = Monday ... 6 = Sunday when a weekday is written.
    hour, minute : int or None
        Time of day (24 h) when written.
    utc_offset : float or None
        Hours from UTC when a zone or offset is written ("ET" -5, "-0500" -5).
    kind : str
        ``"date"`` (day precision), ``"month"`` ("June 2024"), ``"weekday"`` (a weekday alone),
        ``"time"`` (a time alone), ``"year"`` (a year alone).
    """

    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    hour: int | None = None
    minute: int | None = None
    utc_offset: float | None = None
    kind: str = "date"


@lru_cache(maxsize=1)
def _time_vocab():
    t = load("time")
    months = t["months"]
    weekdays = t["weekdays"]
    month_alt = "|".join(sorted({m.capitalize() for m in months} | {m.upper() for m in months},
                                key=lambda s: -len(s)))
    wd_alt = "|".join(sorted({w.capitalize() for w in weekdays} | {w.upper() for w in weekdays},
                             key=lambda s: -len(s)))
    zones = t["timezones"]
    zone_alt = "|".join(sorted(zones, key=lambda s: -len(s)))
    return months, weekdays, month_alt, wd_alt, zones, zone_alt


@lru_cache(maxsize=1)
def _date_patterns():
    months, weekdays, M, W, zones, Z = _time_vocab()
    time_re = (r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::\d{2})?\s*(?P<ap>[ap]\.?\s?m\.?|AM|PM|A\.M\.|P\.M\.)?"
               r"(?:\s*\(?(?P<tz>(?:" + Z + r")\b|[+-]\d{2}:?\d{2}(?!\d))\)?)?")
    patterns = [
        ("iso", re.compile(r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
                           r"(?:[T ](?P<h>[0-2]\d):(?P<mi>[0-5]\d)(?::\d\d(?:\.\d+)?)?"
                           r"(?P<tz>Z|[+-]\d\d:?\d\d)?)?(?![\d])")),
        ("slash", re.compile(r"(?<![\d/])(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>(?:19|20)\d\d)(?![\d/])"
                             r"(?:,?\s+(?P<h>[0-2]?\d):(?P<mi>[0-5]\d)(?::\d\d)?(?:\s*(?P<tz>[A-Z]{1,4}\b))?)?")),
        # day first when the day cannot be a month: "25/09/2025 09:12 BST"
        ("dmy_slash", re.compile(r"(?<![\d/])(?P<d>3[01]|2\d|1[3-9])/(?P<m>1[0-2]|0?[1-9])/(?P<y>(?:19|20)\d\d)(?![\d/])"
                                 r"(?:,?\s+(?P<h>[0-2]?\d):(?P<mi>[0-5]\d)(?::\d\d)?(?:\s*(?P<tz>[A-Z]{1,4}\b))?)?")),
        ("ymd_slash", re.compile(r"(?<![\d/])(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?![\d/])")),
        ("mdy", re.compile(r"(?:(?P<wd>" + W + r")\.?,?\s+)?(?P<mon>" + M + r")\.?\s+(?P<d>3[01]|[12]\d|0?[1-9])"
                           r"(?:st|nd|rd|th)?(?![\d])(?:,?\s+(?P<y>(?:19|20)\d\d)(?!\d))?")),
        ("dmy", re.compile(r"(?:(?P<wd>" + W + r")\.?,?\s+)?(?<![\d])(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\s+"
                           r"(?:of\s+)?(?P<mon>" + M + r")\.?(?:,?\s+(?P<y>(?:19|20)\d\d)(?!\d))?")),
        ("my", re.compile(r"(?P<mon>" + M + r")\.?,?\s+(?P<y>(?:19|20)\d\d)(?!\d)")),
        ("time", re.compile(r"(?<![\d:.])" + time_re)),
        ("time_ap", re.compile(r"(?<![\d:.])(?P<h>1[0-2]|0?[1-9])\s?(?P<ap>[ap]\.m\.|AM|PM|am|pm)"
                               r"(?:\s*(?P<tz>(?:" + Z + r")\b))?")),
        ("mil_time", re.compile(r"(?<![\d:.,$])(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s?(?P<tz>GMT|UTC|ET|EST|EDT|HKT|BST|CET|Z)\b")),
        ("weekday", re.compile(r"(?<![\w])(?P<wd>" + W + r")(?:'s|’s|s)?(?![\w])")),
        ("year", re.compile(r"(?<![\w$.,'’-])(?P<y>(?:19[5-9]\d|20[0-4]\d))(?![\w%]|\.\d|,\d{3})")),
    ]
    return patterns


def _offset(tz: str | None) -> float | None:
    if not tz:
        return None
    zones = _time_vocab()[4]
    if tz in zones:
        return float(zones[tz])
    m = re.fullmatch(r"([+-])(\d\d):?(\d\d)", tz)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        return sign * (int(m.group(2)) + int(m.group(3)) / 60)
    return None


def _hour(h: str, ap: str | None) -> int:
    hour = int(h)
    if ap:
        a = ap.lower().replace(".", "").replace(" ", "")
        if a == "pm" and hour < 12:
            hour += 12
        if a == "am" and hour == 12:
            hour = 0
    return hour


def find_dates(text: str) -> list[DateMention]:
    """Dates written in ``text`` (cached per text; see :func:`_find_dates`)."""
    return list(_find_dates_cached(text))


@lru_cache(maxsize=4096)
def _find_dates_cached(text: str) -> tuple[DateMention, ...]:
    return tuple(_find_dates(text))


def _find_dates(text: str) -> list[DateMention]:
    """Dates, weekdays, times and bare years written in ``text``, left to right, no overlaps.

    Forms: ISO (``2025-02-21``, ``2025-02-21T08:30:00Z``), ``11/25/2025``, ``2025/11/25``,
    ``Nov 25, 2025``, ``Tuesday, Sept. 30``, ``19 May``, ``June 2024`` (month precision),
    times (``06:19:00 -0500``, ``10:13 ET``, ``12:41 p.m. ET``, ``4.59 a.m.``, ``4 PM EST``),
    a weekday alone (``Monday's close``) and a bare year (``2024``). A time right after a date
    (within 12 characters: "Nov 25, 2025 06:19:00 -0500") is merged into it.
    """
    months, weekdays, *_ = _time_vocab()
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for name, pattern in _date_patterns():
        for m in pattern.finditer(text):
            s, e = m.start(), m.end()
            if any(s < b and a < e for a, b in taken):
                continue
            g = m.groupdict()
            wd = weekdays.get(g["wd"].lower().rstrip("s") if g.get("wd") and g["wd"].lower().rstrip("s") in weekdays else (g.get("wd") or "").lower()) if g.get("wd") else None
            if name in {"iso", "slash", "dmy_slash", "ymd_slash", "mdy", "dmy"}:
                month = int(g["m"]) if g.get("m") else months[g["mon"].lower()]
                day = int(g["d"])
                year = int(g["y"]) if g.get("y") else None
                if not 1 <= month <= 12 or not 1 <= day <= 31:
                    continue
                hour = minute = None
                off = None
                if g.get("h"):
                    hour, minute = int(g["h"]), int(g["mi"])
                    off = _offset(g.get("tz"))
                found.append(DateMention(s, e, year, month, day, wd, hour, minute, off, "date"))
            elif name == "my":
                found.append(DateMention(s, e, int(g["y"]), months[g["mon"].lower()], None, None, kind="month"))
            elif name == "mil_time":
                found.append(DateMention(s, e, hour=int(g["h"]), minute=int(g["mi"]),
                                         utc_offset=_offset(g.get("tz")), kind="time"))
            elif name in {"time", "time_ap"}:
                h = int(g["h"])
                mi = int(g["mi"]) if g.get("mi") else 0
                if h > 23 or mi > 59:
                    continue
                if name == "time" and "." in m.group() and not g.get("ap") and not g.get("tz"):
                    continue  # "4.59" alone is a number, not a time
                found.append(DateMention(s, e, hour=_hour(g["h"], g.get("ap")), minute=mi,
                                         utc_offset=_offset(g.get("tz")), kind="time"))
            elif name == "weekday":
                key = g["wd"].lower()
                key = key if key in weekdays else key.rstrip("s")
                if key not in weekdays:
                    continue
                if g["wd"].isupper() and len(g["wd"]) <= 3:
                    continue  # "SAT", "WED" in caps are rarely weekdays in prose
                if len(key) <= 4 and not g["wd"][0].isupper():
                    continue
                if key in {"sun", "sat", "wed", "mon"} and not re.match(r"[A-Z][a-z]{2}\.?(?:,|\s\d)", text[s:e + 3]):
                    continue
                found.append(DateMention(s, e, weekday=weekdays[key], kind="weekday"))
            elif name == "year":
                found.append(DateMention(s, e, year=int(g["y"]), kind="year"))
            taken.append((s, e))
    found.sort(key=lambda d: d.start)
    return _merge_times(text, found)


def _merge_times(text: str, found: list[DateMention]) -> list[DateMention]:
    out: list[DateMention] = []
    for d in found:
        if d.kind == "date" and d.hour is None and out and out[-1].kind == "time" \
                and 0 <= d.start - out[-1].end <= 6 and re.fullmatch(r"[\s,@|·-]*", text[out[-1].end:d.start]):
            t = out[-1]  # "4:05 PM EST Thu November 20, 2025": a time written before its date
            out[-1] = DateMention(t.start, d.end, d.year, d.month, d.day, d.weekday, t.hour, t.minute,
                                  t.utc_offset, "date")
            continue
        if d.kind == "time" and out and out[-1].kind == "date" and out[-1].hour is None \
                and 0 <= d.start - out[-1].end <= 12 and re.fullmatch(r"[\s,@|at·-]*", text[out[-1].end:d.start]):
            p = out[-1]
            out[-1] = DateMention(p.start, d.end, p.year, p.month, p.day, p.weekday, d.hour, d.minute,
                                  d.utc_offset, "date")
            continue
        out.append(d)
    return out


# --------------------------------------------------------------------------------------------
# periods
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PeriodMention:
    """A reporting period written in a text.

    Attributes
    ----------
    start, end : int
        Offsets of the mention.
    kind : str
        ``"quarter"`` (a quarter number with or without year: "Q3 2025", "third quarter"),
        ``"quarter_month"`` ("the September quarter"), ``"quarter_end"`` ("the quarter ended
        September 30, 2025"), ``"half"``, ``"fiscal_year"``, ``"year"`` (a calendar year a
        figure is about: "in 2024"), ``"relative"`` ("last quarter", "next quarter"),
        ``"year_ago"`` ("a year earlier", "year-over-year": a comparison with the prior-year
        quarter), ``"sequential"`` ("quarter over quarter").
    fiscal : bool or None
        True when "fiscal" / "FY" is written, False for "calendar", None when not said.
    quarter, half, year, month, day : int or None
        Fields as written (``year`` in four digits).
    offset : int
        For ``"relative"``: -1 last / previous, 0 this / current, +1 next / coming.
    """

    start: int
    end: int
    kind: str
    fiscal: bool | None = None
    quarter: int | None = None
    half: int | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    offset: int = 0


_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
        "1": 1, "2": 2, "3": 3, "4": 4}


def _year(digits: str | None) -> int | None:
    if not digits:
        return None
    digits = digits.lstrip("'’")
    y = int(digits)
    return 2000 + y if y < 100 else y


@lru_cache(maxsize=1)
def _period_patterns():
    months, _, M, *_ = _time_vocab()
    Y = r"(?:'|’)?(?P<y>(?:19|20)?\d\d)(?!\d)"
    Y4 = r"(?P<y>(?:19|20)\d\d)(?!\d)"
    ORD = r"(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)"
    FISC = r"(?P<f>fiscal(?:\s+year)?|FY)"
    return [
        ("q_fy", re.compile(r"\b(?:fiscal\s+)?Q(?P<q>[1-4])\s*(?:of\s+)?(?P<f>FY|fiscal(?:\s+year)?|F)\s*" + Y, re.I)),
        ("fy_q", re.compile(r"\b(?P<f>FY|fiscal(?:\s+year)?)\s*" + Y + r"\s*Q(?P<q>[1-4])\b", re.I)),
        ("ord_fy", re.compile(r"\b(?:(?P<f1>fiscal)\s+)?(?:(?P<y1>(?:19|20)\d\d)\s+)?(?:fiscal\s+)?" + ORD +
                              r"[-\s]quarter(?:\s+(?:of\s+)?(?:(?P<f>fiscal(?:\s+year)?|FY)\s*)?" + Y + r")?", re.I)),
        ("q_y", re.compile(r"\b(?:(?P<f>fiscal|calendar)\s+)?Q(?P<q>[1-4])(?:\s*[-/]?\s*" + Y + r")?\b", re.I)),
        ("nq_y", re.compile(r"\b(?P<q>[1-4])Q\s*(?:FY)?\s*" + Y + r"\b", re.I)),
        ("ended", re.compile(r"\b(?:quarter|three\s+months|period|fiscal\s+quarter|six\s+months|twelve\s+months|year)"
                             r"\s+end(?:ed|ing)\s+(?:on\s+)?(?P<mon>" + M + r")\.?\s+(?P<d>\d{1,2})(?:,?\s+" + Y4 + r")?")),
        ("month_q", re.compile(r"\b(?:the\s+)?(?P<mon>March|June|September|December|Sept?\.?|Dec\.?|Mar\.?|Jun\.?)"
                               r"(?:\s+" + Y4 + r")?[-\s]quarter(?:\s+(?:of\s+)?(?P<y2>(?:19|20)\d\d))?")),
        ("half", re.compile(r"\b(?:(?P<f>fiscal|FY)\s*)?(?:H(?P<h>[12])|(?P<h2>[12])H)\s*" + Y + r"\b", re.I)),
        ("half_w", re.compile(r"\b(?P<h>first|second)[-\s]half(?:\s+of)?(?:\s+(?P<f>fiscal))?(?:\s+" + Y4 + r")?", re.I)),
        ("fy", re.compile(r"\b(?P<f>FY|fiscal\s+year|fiscal)\s*" + Y + r"\b", re.I)),
        ("relative", re.compile(r"\b(?P<w>last|previous|prior|preceding|this|current|next|coming|upcoming|following|latest|most\s+recent|same)"
                                r"\s+(?:fiscal\s+)?(?P<u>quarter|three\s+months|period)\b", re.I)),
        ("year_ago", re.compile(r"\b(?:(?:from|than|versus|vs\.?|compared\s+(?:with|to))\s+)?(?:a|one|the)\s+year\s+(?:earlier|ago|before)|"
                                r"\byear[-\s](?:over|on)[-\s]year\b|\by/y\b|\byoy\b|\bfrom\s+a\s+year\s+ago\b|"
                                r"\bthe\s+(?:same\s+(?:period|quarter)\s+(?:of\s+|a\s+)?(?:last|the\s+previous|the\s+prior|a)\s+year|"
                                r"year[-\s]ago\s+(?:quarter|period))\b|\bannual(?:ly)?\s+basis\b", re.I)),
        ("sequential", re.compile(r"\b(?:quarter[-\s](?:over|on)[-\s]quarter|sequential(?:ly)?|q/q|qoq)\b", re.I)),
    ]


_REL = {"last": -1, "previous": -1, "prior": -1, "preceding": -1, "latest": 0, "most recent": 0,
        "this": 0, "current": 0, "same": 0, "next": 1, "coming": 1, "upcoming": 1, "following": 1}


def find_periods(text: str) -> list[PeriodMention]:
    """Periods written in ``text`` (cached per text; see :func:`_find_periods`)."""
    return list(_find_periods_cached(text))


@lru_cache(maxsize=4096)
def _find_periods_cached(text: str) -> tuple[PeriodMention, ...]:
    return tuple(_find_periods(text))


def _find_periods(text: str) -> list[PeriodMention]:
    """Reporting periods written in ``text``, left to right, no overlaps (see
    :class:`PeriodMention`). "Fiscal" anywhere in the mention makes it fiscal."""
    months = _time_vocab()[0]
    taken: list[tuple[int, int]] = []
    out: list[PeriodMention] = []
    for name, pattern in _period_patterns():
        for m in pattern.finditer(text):
            s, e = m.start(), m.end()
            if any(s < b and a < e for a, b in taken):
                continue
            g = m.groupdict()
            fiscal_word = (g.get("f") or g.get("f1") or "")
            fiscal = True if fiscal_word.lower().startswith(("fiscal", "fy", "f")) else (
                False if fiscal_word.lower() == "calendar" else None)
            if name in {"q_fy", "fy_q", "ord_fy", "q_y", "nq_y"}:
                q = _ORD[g["q"].lower()]
                y = _year(g.get("y")) or (int(g["y1"]) if g.get("y1") else None)
                if name == "nq_y":
                    fiscal = fiscal if "FY" not in m.group() else True
                out.append(PeriodMention(s, e, "quarter", fiscal, quarter=q, year=y))
            elif name == "ended":
                out.append(PeriodMention(s, e, "quarter_end", None, year=int(g["y"]) if g.get("y") else None,
                                         month=months[g["mon"].lower()], day=int(g["d"])))
            elif name == "month_q":
                mon = months[g["mon"].lower().rstrip(".")]
                y = int(g["y"]) if g.get("y") else (int(g["y2"]) if g.get("y2") else None)
                out.append(PeriodMention(s, e, "quarter_month", None, year=y, month=mon))
            elif name in {"half", "half_w"}:
                h = g.get("h") or g.get("h2")
                h = 1 if h.lower() in {"1", "first"} else 2
                out.append(PeriodMention(s, e, "half", fiscal, half=h, year=_year(g.get("y"))))
            elif name == "fy":
                out.append(PeriodMention(s, e, "fiscal_year", True, year=_year(g["y"])))
            elif name == "relative":
                w = re.sub(r"\s+", " ", g["w"].lower())
                out.append(PeriodMention(s, e, "relative", None, offset=_REL[w]))
            elif name == "year_ago":
                out.append(PeriodMention(s, e, "year_ago"))
            elif name == "sequential":
                out.append(PeriodMention(s, e, "sequential"))
            taken.append((s, e))
    out.sort(key=lambda p: p.start)
    return out


# --------------------------------------------------------------------------------------------
# numbers
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NumberMention:
    """A number written in a text, with what is glued to it.

    Attributes
    ----------
    start, end : int
        The quantity as written, qualifier excluded: ``"$46.7 billion"``, ``"34%"``, ``"-2.3%"``.
    num_start, num_end : int
        The digits (or number word) alone.
    value : Decimal
        Full magnitude, sign as written (``"$46.7 billion"`` -> 46700000000; ``"(2.3%)"`` and
        ``"-2.3%"`` -> -2.3; ``"67 cents"`` -> 0.67 USD).
    unit : str
        ``"%"``, ``"pp"``, ``"bp"``, ``"x"``, an ISO currency, ``"count"`` or a physical unit.
    unit_kind : str
        ``"money"``, ``"pct"``, ``"x"``, ``"count"``, ``"physical"``, ``"bare"`` (a bare number:
        no unit at all).
    per_share : bool
        The amount is per share ("$1.05 a share", "EPS$1.30/share").
    form : str
        How it was written: ``"digits"``, ``"word"`` ("five"), ``"ordinal"`` ("ninth"),
        ``"multiplier"`` ("three-fold", "doubled"), ``"band"`` ("triple-digit").
    signed : str
        ``"+"`` / ``"-"`` when a sign or accounting parentheses were written, else ``""``.
    decimals : int
        Digits after the decimal point as written (stated precision).
    scale : int
        Power of ten of the scale word (0 when none).
    range_with : int or None
        ``num_start`` of the other end of a range ("$52.9 billion to $55.1 billion").
    glued : str
        Letters glued to the digits (``"H"`` for "H20"); non-empty means an identifier.
    """

    start: int
    end: int
    num_start: int
    num_end: int
    value: Decimal
    unit: str
    unit_kind: str
    per_share: bool = False
    form: str = "digits"
    signed: str = ""
    decimals: int = 0
    scale: int = 0
    range_with: int | None = None
    glued: str = ""
    currency_written: str = ""


#: Letters glued to digits that are units, not identifiers ("150bps", "3bn", "2x", "5nm").
_GLUE_UNITS = frozenset({"bps", "bp", "pp", "ppt", "ppts", "pct", "x", "bn", "mn", "tn", "m", "b", "k",
                         "st", "nd", "rd", "th", "s"})


def pct_after(text: str, pos: int) -> bool:
    """Whether a percent form follows ``pos``."""
    return bool(_after_res()[0].match(text[pos:pos + 25]))


def n_phys_units() -> dict:
    """Physical unit symbols of ``units.toml``."""
    return load("units")["physical"]


@lru_cache(maxsize=1)
def _number_vocab():
    n = load("numbers")
    u = load("units")
    scales = n["scales"]
    words = n["words"]
    prefixes: dict[str, str] = {}
    suffixes: dict[str, str] = {}
    for cur in u["currency"]:
        for p in cur.get("prefix", []):
            prefixes.setdefault(p, cur["code"])
        for s in cur.get("suffix", []):
            suffixes.setdefault(s.lower(), cur["code"])
    pct_forms = u["percent"]["suffix"]
    pct_units = {k.lower(): v for k, v in u["percent"]["unit"].items()}
    phys = u["physical"]
    return n, scales, words, prefixes, suffixes, pct_forms, pct_units, phys


@lru_cache(maxsize=1)
def _number_re():
    n, scales, words, prefixes, suffixes, pct_forms, pct_units, phys = _number_vocab()
    pre = "|".join(re.escape(p) for p in sorted(prefixes, key=lambda s: -len(s)))
    scale_alt = "|".join(sorted(scales, key=lambda s: -len(s)))
    digits = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    core = (r"(?P<paren>\()?(?P<sign>[-−–+](?=[\dUSRHCNK$€£¥₹]))?(?P<cur>" + pre + r")?\s?(?P<sign2>[-−+])?" + digits +
            r"(?P<glue>[A-Za-z]+(?=[\s,.;:)\]/!?]|$))?")
    tail = (r"(?:\s?-?(?P<scale>" + scale_alt + r")(?![\w]))?")
    return re.compile(r"(?:(?<![\w.,])|(?=[$€£¥₹])|(?<=[A-Za-z])(?=\d))" + core + tail, re.IGNORECASE), scale_alt


_PCT_RE = None


@lru_cache(maxsize=1)
def _after_res():
    n, scales, words, prefixes, suffixes, pct_forms, pct_units, phys = _number_vocab()
    pct = re.compile(r"\s?(?P<u>" + alternation(pct_forms) + r")", re.IGNORECASE)
    cur = re.compile(r"\s(?P<u>" + alternation(suffixes) + r")", re.IGNORECASE)
    mult = re.compile(r"\s?(?P<u>x|×|times|-fold|fold)(?![\w])", re.IGNORECASE)
    physr = re.compile(r"[\s-]?(?P<u>" + alternation(phys) + r")", 0)
    cents = re.compile(r"\s(?P<u>cents?)\b", re.IGNORECASE)
    share = re.compile(r"\s?(?:/\s?share|(?:per|a|an)\s+(?:diluted\s+)?(?:share|ADS|American\s+depositary\s+share))\b", re.IGNORECASE)
    return pct, cur, mult, physr, cents, share


def _decimal(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None


@lru_cache(maxsize=1)
def _word_number_re():
    n = load("numbers")
    words = alternation(list(n["words"]) + ["a dozen"], words=True)
    ords = alternation(list(n["ordinals"]))
    mults = alternation(list(n["multipliers"]))
    return (re.compile(r"(?<![\w-])(?P<w>" + words + r")(?:[-\s](?P<w2>one|two|three|four|five|six|seven|eight|nine))?(?P<fold>[-\s]?fold|\s+times(?=\s+(?:the|as|more|larger|bigger|higher|faster|cheaper|over|that|its|what)\b))?(?![\w-])", re.I),
            re.compile(r"(?<![\w-])(?P<o>" + ords + r")(?=\s+(?:straight|consecutive|successive)\b|\s+(?:quarter|year)\s+in\s+a\s+row)", re.I),
            re.compile(r"(?<![\w-])(?P<m>" + mults + r")(?![\w-])", re.I),
            re.compile(r"(?<![\w-])(?P<b>double|triple|high[-\s]single|low[-\s]single|single|high[-\s]double|low[-\s]double|mid[-\s]single|mid[-\s]double)[-\s]digits?\b", re.I))


def find_numbers(text: str) -> list[NumberMention]:
    """Every number written in ``text`` with its unit, scale, sign and form, left to right.

    Digits: ``"$46.7 billion"``, ``"RMB247,795 million"``, ``"US$8bn"``, ``"HK$95"``,
    ``"CNY10.4 billion"``, ``"Revenue$57.0 billion"`` (glued), ``"34%"``, ``"56 percent"``,
    ``"1.2 points"`` (pp), ``"150bps"``, ``"2x"``, ``"20 to 50 times"`` (a range, both ends x),
    ``"67 cents per share"`` (0.67 USD per share), ``"(2.3%)"`` (-2.3), ``"+62%"``, ``"5 nm"``.
    Words: ``"five"`` (form word), ``"ninth consecutive"`` (ordinal), ``"three-fold"``,
    ``"doubled"`` (multiplier, unit x), ``"triple-digit"`` (band: at least 100 %). Digits glued to
    letters (``H20``, ``Qwen3``) carry ``glued`` and are identifiers, not quantities.
    """
    number_re, _ = _number_re()
    pct, cur_after, mult, physr, cents, share = _after_res()
    n, scales, words, prefixes, suffixes, pct_forms, pct_units, phys = _number_vocab()
    out: list[NumberMention] = []
    for m in number_re.finditer(text):
        g = m.groupdict()
        raw = g["num"]
        s_num, e_num = m.start("num"), m.end("num")
        # glued letter prefix ("H20", "B200", "Qwen3", "x86"): letters right before the digits
        lead = s_num
        cur_written = g.get("cur") or ""
        glue_before = ""
        if not cur_written and not g.get("sign") and s_num > 0 and text[s_num - 1].isalpha():
            k = s_num
            while k > 0 and (text[k - 1].isalnum() or text[k - 1] in "-"):
                k -= 1
            glue_before = text[k:s_num]
        if cur_written and s_num > 0 and m.start("cur") > 0 and text[m.start("cur") - 1].isalpha() \
                and cur_written.isalpha():
            # "USB3" or a word ending in a currency code; "Revenue$57.0" keeps "$"
            glue_before = text[m.start("cur") - 1]
            cur_written = ""
        value = _decimal(raw)
        if value is None:
            continue
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        glue = g.get("glue") or ""
        scale_word = g.get("scale")
        end = m.end()
        scale = 0
        if glue and glue.lower() in scales and not scale_word:
            scale_word, glue = glue, ""
        if glue and (glue.lower() in _GLUE_UNITS or glue in n_phys_units()):
            glue = ""
        if scale_word:
            sw = scale_word.lower()
            # single-letter scales only glued or after a currency ("$3bn", "$5m"), never "5 m"
            if len(sw) <= 2 and (" " in text[e_num:m.end()] or not (cur_written or len(sw) == 2)) and sw not in {"bn", "mn", "tn"}:
                end = e_num + len(glue)
                scale_word = None
            else:
                scale = scales[sw]
        if glue_before and not any(ch.isupper() for ch in glue_before) and len(glue_before) >= 3 \
                and (scale_word or pct_after(text, end) or cur_written):
            glue_before = ""  # "Gross margin74.9%", "income$58,321": a flattened table, not a model
        if glue or glue_before:
            out.append(NumberMention(m.start(), max(end, e_num + len(glue)), s_num, e_num, value, "", "bare",
                                     glued=glue_before + glue if glue_before else glue, decimals=decimals))
            continue
        if scale_word is None:
            end = e_num
        value = value.scaleb(scale) if scale else value
        unit, kind, per_share = "", "bare", False
        if cur_written:
            unit, kind = prefixes[cur_written] if cur_written in prefixes else prefixes.get(cur_written.upper(), "USD"), "money"
        rest = text[end:end + 40]
        mm = pct.match(rest)
        if mm and not unit:
            form = mm.group("u").lower()
            unit = pct_units.get(re.sub(r"\s+", " ", form), "%")
            kind = "pct"
            end += mm.end()
        elif (mm := cur_after.match(rest)) and not unit:
            unit, kind = suffixes[re.sub(r"\s+", " ", mm.group("u").lower())], "money"
            end += mm.end()
        elif (mm := cents.match(rest)) and not unit:
            unit, kind = "USD", "money"
            value = value / 100
            end += mm.end()
        elif (mm := mult.match(rest)) and not unit and not scale:
            unit, kind = "x", "x"  # "20 times"; but "downloaded 600 million times" is a count
            end += mm.end()
        elif (mm := physr.match(rest)) and not unit:
            unit, kind = phys[mm.group("u")], "physical"
            end += mm.end()
        if kind == "money":
            if (ms := share.match(text, end)):
                per_share = True
                end = ms.end()
        signed = ""
        sign = g.get("sign") or g.get("sign2")
        if g.get("sign") and m.start("sign") > 0 and (text[m.start("sign") - 1].isalnum() or text[m.start("sign") - 1] in "%$)"):
            sign = None  # "2.5%-4.5%", "2024-25": a range dash, not a minus sign
            g = dict(g, sign=None)
        start = min(x for x in (m.start("sign") if g.get("sign") else None,
                                m.start("cur") if cur_written else None, s_num) if x is not None)
        if sign:
            signed = "+" if sign == "+" else "-"
            if signed == "-":
                value = -value
        if g.get("paren") and kind == "bare" and re.match(r"\)\s?(?:pts?|ppts?|pp|points?|%)", text[end:end + 8]):
            mm2 = re.match(r"\)\s?(?P<u>pts?|ppts?|pp|points?|%)", text[end:end + 8])
            unit, kind = ("%" if mm2.group("u") == "%" else "pp"), "pct"
            signed, value = "-", -abs(value)
            start, end = m.start(), end + mm2.end()
        if g.get("paren") and kind == "pct" and text[end:end + 1] == ")":
            signed, value = "-", -abs(value)
            start = m.start()
            end += 1
        if kind == "bare":
            unit, kind = "count", "bare"
        out.append(NumberMention(start, end, s_num, e_num, value, unit, kind, per_share, "digits",
                                 signed, decimals, scale, None, "", cur_written))
    out = _words(text, out)
    out = _ranges(text, out)
    return out


@lru_cache(maxsize=1)
def _word_leads():
    from .vocabulary import PhraseMatcher
    n = load("numbers")
    leads = set(n["words"]) | set(n["ordinals"]) | set(n["multipliers"]) | {
        "a dozen", "double", "triple", "high", "low", "single", "mid"}
    return PhraseMatcher(leads, lead="-")


def _at_leads(pattern: re.Pattern, text: str, starts: list[int]):
    """``pattern.match`` at each candidate start, left to right, never overlapping."""
    last = -1
    for pos in starts:
        if pos < last:
            continue
        m = pattern.match(text, pos)
        if m:
            last = m.end()
            yield m


def _words(text: str, found: list[NumberMention]) -> list[NumberMention]:
    words_re, ords_re, mults_re, band_re = _word_number_re()
    n = load("numbers")
    starts = [s for s, _, _ in _word_leads().finditer(text)]
    spans = [(f.start, f.end) for f in found]
    extra: list[NumberMention] = []

    def free(s, e):
        return not any(s < b and a < e for a, b in spans)

    for m in _at_leads(band_re, text, starts):
        if free(m.start(), m.end()):
            b = m.group("b").lower().replace(" ", "-")
            value = Decimal(100) if b.startswith("triple") else Decimal(10)
            if "single" in b:
                value = Decimal(1)
            extra.append(NumberMention(m.start(), m.end(), m.start(), m.end(), value, "%", "pct", form="band"))
            spans.append((m.start(), m.end()))
    for m in _at_leads(ords_re, text, starts):
        if free(m.start(), m.end()):
            extra.append(NumberMention(m.start(), m.end(), m.start(), m.end(),
                                       Decimal(n["ordinals"][m.group("o").lower()]), "count", "count", form="ordinal"))
            spans.append((m.start(), m.end()))
    for m in _at_leads(mults_re, text, starts):
        if free(m.start(), m.end()):
            extra.append(NumberMention(m.start(), m.end(), m.start(), m.end(),
                                       Decimal(n["multipliers"][m.group("m").lower()]), "x", "x", form="multiplier"))
            spans.append((m.start(), m.end()))
    for m in _HALF_RE.finditer(text):
        if free(m.start(), m.end()):
            extra.append(NumberMention(m.start(), m.start() + 4, m.start(), m.start() + 4, Decimal(50), "%", "pct",
                                       form="fraction"))
            spans.append((m.start(), m.start() + 4))
    for m in _A_SCALE_RE.finditer(text):
        if free(m.start(), m.end()):
            scale = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}[m.group("s").lower()]
            money = (m.group("u") or "").lower().startswith(("dollar", "yuan"))
            unit = ("USD" if m.group("u").lower().startswith("dollar") else "CNY") if money else "count"
            extra.append(NumberMention(m.start(), m.end("s"), m.start(), m.end("s"), Decimal(1).scaleb(scale), unit,
                                       "money" if money else "count", form="word", scale=scale))
            spans.append((m.start(), m.end("s")))
    for m in _FRACTION_POINT_RE.finditer(text):
        if free(m.start(), m.end()):
            value = {"quarter": Decimal("0.25"), "half": Decimal("0.5"), "third": Decimal("0.33")}[m.group("f").lower()]
            extra.append(NumberMention(m.start(), m.end(), m.start(), m.end(), value, "pp", "pct", form="fraction"))
            spans.append((m.start(), m.end()))
    for m in _at_leads(words_re, text, starts):
        if not free(m.start(), m.end()):
            continue
        w = m.group("w").lower()
        value = 12 if w == "a dozen" else n["words"][w]
        if m.group("w2"):
            value += n["words"][m.group("w2").lower()]
        if m.group("fold"):
            extra.append(NumberMention(m.start(), m.end(), m.start(), m.end(), Decimal(value), "x", "x", form="multiplier"))
        else:
            extra.append(NumberMention(m.start(), m.end(), m.start(), m.end(), Decimal(value), "count", "bare", form="word"))
        spans.append((m.start(), m.end()))
    return sorted(found + extra, key=lambda f: f.start)


#: "half the cost", "half of its revenue" (50 %)
_HALF_RE = re.compile(r"(?<![\w-])half\s+(?:the|of|its|their)\b", re.I)
#: "a trillion-parameter model", "a billion dollars" (one of the scale)
_A_SCALE_RE = re.compile(r"(?<![\w$-])(?:a|one)\s+(?P<s>thousand|million|billion|trillion)(?![\w])(?:[-\s](?P<u>dollars?|yuan|[a-z]+))?", re.I)

#: "a quarter of a percentage point", "half a point"
_FRACTION_POINT_RE = re.compile(r"\b(?:a\s+)?(?P<f>quarter|half|third)\s+(?:of\s+)?an?\s+(?:percentage\s+point|point)\b", re.I)

_RANGE_JOIN = re.compile(r"\s?(?:-|–|—|to|and|or)\s?", re.IGNORECASE)


def _ranges(text: str, found: list[NumberMention]) -> list[NumberMention]:
    """Link the two ends of a range; the first end inherits a unit / scale written only on the
    second ("$52.9 to $55.1 billion", "20 to 50 times", "between 2.5 and 4.5%")."""
    out = list(found)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        gap = text[a.end:b.start]
        if b.glued or a.glued or len(gap) > 6 or not _RANGE_JOIN.fullmatch(gap) and gap not in {"-", "–"}:
            continue
        if a.form != "digits" or b.form != "digits":
            continue
        unit, kind, scale = a.unit, a.unit_kind, a.scale
        value = a.value
        if a.unit_kind == "bare" and b.unit_kind != "bare":
            unit, kind = b.unit, b.unit_kind
            if b.scale and not a.scale:
                value = value.scaleb(b.scale)
                scale = b.scale
        elif a.unit_kind == b.unit_kind and b.scale and not a.scale and a.unit_kind == "money" and a.value < 1000:
            value = value.scaleb(b.scale)
            scale = b.scale
        elif a.unit_kind != b.unit_kind and not (a.unit_kind == "bare" or b.unit_kind == "bare"):
            continue
        if b.unit_kind == "bare" and a.unit_kind != "bare":
            out[i + 1] = _replace(b, unit=a.unit, unit_kind=a.unit_kind, range_with=a.num_start,
                                  value=b.value.scaleb(a.scale) if a.scale and not b.scale else b.value)
        else:
            out[i + 1] = _replace(b, range_with=a.num_start)
        out[i] = _replace(a, unit=unit, unit_kind=kind, scale=scale, value=value, range_with=b.num_start)
    return out


def _replace(m: NumberMention, **kw) -> NumberMention:
    from dataclasses import replace
    return replace(m, **kw)
