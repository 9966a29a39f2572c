"""Article folders: reading, mojibake repair, boilerplate spans and as-of dating.

:func:`load_documents` turns a folder of ``.txt`` articles into :class:`Document` objects. Each
document keeps the text as read (``raw``) and a repaired ``text`` into which every claim offset
points. Repair is :func:`ftfy.fix_text` (curly quotes kept, so the text stays as written) plus one
pass ftfy does not do: UTF-8 that was decoded as the Thai code page (Windows-874), seen in the
wild as ``"โ€”"`` for an em dash. That pass uses ftfy's own ``sloppy-cp874`` and
``sloppy-windows-1252`` codecs (the mis-decoding software fell back to Windows-1252 for the
bytes Windows-874 leaves undefined), so there is no hand-written table.

None of the articles prints its date, so :func:`estimate_as_of` dates each one from its content:
the latest dated thing it refers to. The rules, in the order they are collected (the latest
candidate wins; ties keep the first rule):

1. **explicit dates** ("March 20, 2026") -> that day; a month ("August 2025") -> its first day
   (a lower bound: the article was written after something happened that month);
2. **calendar-quarter labels** ("Q3 2025", "the March quarter of 2026") -> the release date of
   the primary ticker's results for the fiscal quarter that is that calendar quarter (the
   calendar reading of :func:`babaresearch.periods.resolve_period`: NVIDIA's FY2026Q3, ended
   2025-10-26, for "Q3 2025"): the article quotes those results, so it cannot be older than
   their release; the calendar quarter's end itself if the release is not known.
   **Fiscal-quarter labels** ("fiscal Q4 2025", "Q4 FY25") are not calendar quarters: they name
   the primary ticker's fiscal quarter itself (``FY2025Q4``, the fiscal reading of
   :func:`~babaresearch.periods.resolve_period`) -> its release date (skipped when the calendar
   does not have it);
3. **weekday + fiscal-quarter earnings** ("Friday's trading" after "Q1 earnings") -> the release
   of that fiscal quarter that fell on that weekday (the latest one if several did);
4. **corporate events** (:func:`babaresearch.earnings.corporate_events`) the article matches: by a
   news source named in both with a shared topic word ("WSJ" + "chip"), by a product name or
   model number in the event ("Zhenwu", "M890", "H20"), or by an amount stated in both
   ("380 billion yuan" = "RMB 380bn") -> the event date.

Forward-looking mentions (fiscal-year labels such as "FY'26" with "expected") are not used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DocumentError

#: Share of Thai letters above which a document is taken to be genuinely Thai (no cp874 repair).
THAI_TEXT_SHARE = 0.05
#: ...and above this many Thai letters (a short string of mojibake is mostly "Thai" letters).
THAI_MIN_LETTERS = 20

#: Line-level boilerplate rules: (pattern searched in the line, reason). The whole line is marked.
BOILERPLATE_LINE_RULES = [
    (re.compile(r"Up\s+to\s+\d+\s*%\s+Off\s+Retail|Genuine\s+Microsoft\s+Software"
                r"|\d+(?:\.\d+)?\s*%\s+Off\s+(?:Retail|List\s+Price|MSRP|RRP)\b", re.I),
     "software advert"),
    # a Title Case discount ("Save 70% Off", "Up To 85% Off"); case-sensitive so that prose such
    # as "shares were up to 5% off their high" is not taken for an advert
    (re.compile(r"\b(?:Up\s+[Tt]o|Save|Flat|Now)\s+\d+(?:\.\d+)?\s*%\s+Off\b"), "discount advert"),
    (re.compile(r"Get\s+curated\s+.{0,40}market\s+news", re.I), "newsletter sign-up"),
    (re.compile(r"^\s*Stay\s+ahead\s+of\s+the\s+market\.?\s*$", re.I), "newsletter sign-up"),
    (re.compile(r"\bTrefis\b"), "Trefis advert"),
    (re.compile(r"^\s*Image\s+(?:by|from|credit|courtesy)\b.{0,120}$", re.I), "image credit"),
    (re.compile(r"^\s*AI\s+Writing\s+Agent\b"), "author blurb"),
    (re.compile(r"^\s*Latest\s+Articles\s*$", re.I), "site navigation"),
    (re.compile(r"^\s*(?:Comments|No\s+comments\s+yet)\s*$", re.I), "comments widget"),
    (re.compile(r"^.{0,60}\bTech\s+Desk\s*$"), "author byline"),
    (re.compile(r"^\s*Covering\s+.{0,200}\b(?:analysis|professionals|enthusiasts)\b", re.I),
     "author blurb"),
    (re.compile(r"^\s*[A-Z]{1,3}\s*$"), "author avatar"),
]

#: Sentence-level rules: the sentence holding the match is marked (licence plugs inside prose).
BOILERPLATE_SENTENCE_RULES = [
    (re.compile(r"Windows\s+1[01]\s+key|Office\s+licen[cs]e|enterprise\s+productivity\s+software",
                re.I), "software licence plug"),
]

# A link-like headline glued after the end of a real sentence ("... rivals. Why Acme Stock Can
# Double To $90"): an interrogative / teaser opener, Title Case, about a stock, running to the
# line end.
_GLUED_HEADLINE_RE = re.compile(
    r"(?<=[.!?])[ \t]+(?P<head>(?:How|Why|What|Is|Are|Should|Will|Can|Buy|Sell|Here['’]s|"
    r"Is\s+It)\b[^.!?\n]{4,120}?)[ \t]*$", re.M)
_CAMEL_JOIN_RE = re.compile(r"[a-z][A-Z]")


@dataclass(frozen=True)
class NormalizedText:
    """A whitespace-collapsed view of a text with a map back to the original offsets.

    Attributes
    ----------
    text : str
        The view: every run of whitespace is one space, no leading/trailing whitespace.
    offsets : numpy.ndarray of int64
        ``offsets[i]`` is the index in the original text of ``text[i]``; it has one extra last
        element, the original length, so an end offset maps too.
    """

    text: str
    offsets: np.ndarray

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the view's ``text[start:end]`` (end exclusive)."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span ({start}, {end}) outside the normalized text of length {len(self.text)}")
        if start == end:
            at = int(self.offsets[start])
            return at, at
        return int(self.offsets[start]), int(self.offsets[end - 1]) + 1

    def find_all(self, needle: str) -> list[tuple[int, int]]:
        """Original spans of every occurrence of ``needle`` (its whitespace collapsed too)."""
        wanted = normalize_whitespace(needle).text
        if not wanted:
            return []
        spans, at = [], self.text.find(wanted)
        while at >= 0:
            spans.append(self.to_original(at, at + len(wanted)))
            at = self.text.find(wanted, at + 1)
        return spans


def normalize_whitespace(text: str) -> NormalizedText:
    """Collapse whitespace runs of ``text`` to one space, keeping a map back to ``text``.

    Parameters
    ----------
    text : str

    Returns
    -------
    NormalizedText
    """
    chars: list[str] = []
    offsets: list[int] = []
    for m in re.finditer(r"\s+|\S+", text):
        if m.group()[0].isspace():
            if chars and m.end() < len(text):
                chars.append(" ")
                offsets.append(m.start())
        else:
            chars.append(m.group())
            offsets.extend(range(m.start(), m.end()))
    offsets.append(len(text))
    return NormalizedText("".join(chars), np.asarray(offsets, dtype="int64"))


@dataclass
class Document:
    """One article.

    Attributes
    ----------
    doc_id : str
        File stem (``"003_4c21c17633857167"``).
    path : pathlib.Path or None
        The file read (None for a document built from a string).
    raw : str
        Text as decoded from the file.
    text : str
        Repaired text (ftfy + Thai-code-page repair); whitespace kept. Every offset (claims,
        boilerplate) indexes into this string.
    boilerplate : list of (int, int, str)
        ``(start, end, reason)`` spans of ``text`` that are adverts / site furniture.
    as_of : pandas.Timestamp or None
        Estimated date of the article (see :func:`estimate_as_of`).
    as_of_evidence : str
        Why ``as_of`` is what it is.
    encoding : str
        How the bytes were decoded (``"utf-8"``, ``"utf-16"`` or ``"sloppy-windows-1252"``).
    """

    doc_id: str
    path: Path | None
    raw: str
    text: str
    boilerplate: list[tuple[int, int, str]] = field(default_factory=list)
    as_of: pd.Timestamp | None = None
    as_of_evidence: str = ""
    encoding: str = "utf-8"

    def is_boilerplate(self, start: int, end: int) -> bool:
        """True when ``text[start:end]`` overlaps a boilerplate span (an empty span: lies inside one)."""
        if end <= start:
            return any(lo <= start < hi for lo, hi, _ in self.boilerplate)
        return any(start < hi and lo < end for lo, hi, _ in self.boilerplate)

    def normalized(self) -> NormalizedText:
        """Whitespace-collapsed view of ``text`` with an offset map back (see :class:`NormalizedText`)."""
        return normalize_whitespace(self.text)

    def content(self) -> str:
        """``text`` with boilerplate spans blanked by spaces (same length, offsets unchanged)."""
        chars = list(self.text)
        for lo, hi, _ in self.boilerplate:
            for i in range(lo, hi):
                if chars[i] != "\n":
                    chars[i] = " "
        return "".join(chars)

    @classmethod
    def from_text(cls, doc_id: str, raw: str, path: Path | None = None, *,
                  encoding: str = "utf-8", date: bool = True) -> "Document":
        """Build a document from a string: repair, boilerplate, and (if ``date``) as-of dating."""
        text = repair_text(raw)
        boilerplate = find_boilerplate(text)
        as_of, evidence = estimate_as_of(text, boilerplate=boilerplate) if date else (None, "")
        return cls(doc_id=doc_id, path=path, raw=raw, text=text, boilerplate=boilerplate,
                   as_of=as_of, as_of_evidence=evidence, encoding=encoding)


# --------------------------------------------------------------------------------------------
# decoding and repair
# --------------------------------------------------------------------------------------------
def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode file bytes: UTF-16 by BOM, else UTF-8 (BOM dropped), else byte-per-char.

    Bytes that are not valid UTF-8 are decoded with ftfy's ``sloppy-windows-1252`` (every byte
    maps to a character), and :func:`repair_text` then restores the UTF-8 runs ftfy recognises.

    Returns
    -------
    (str, str)
        The text and the encoding used.
    """
    import ftfy.bad_codecs  # noqa: F401  registers the sloppy-* codecs

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("sloppy-windows-1252"), "sloppy-windows-1252"


def _thai_byte_map() -> dict[str, int]:
    """Character -> byte of the mis-decoding: Windows-874, else Windows-1252 (both from ftfy)."""
    import ftfy.bad_codecs  # noqa: F401

    mapping: dict[str, int] = {}
    for codec in ("sloppy-cp874", "sloppy-windows-1252"):
        for byte in range(0x80, 0x100):
            mapping.setdefault(bytes([byte]).decode(codec), byte)
    return mapping


def repair_thai_mojibake(text: str) -> str:
    """Undo UTF-8 decoded as the Thai code page (``"โ€”"`` -> ``"—"``, ``"๐Ÿ’ป"`` -> ``"💻"``).

    Runs of characters that both code pages can produce are re-encoded to bytes and decoded as
    UTF-8 greedily, one complete UTF-8 sequence at a time; a sequence that does not decode is left
    as it is. A text with more than :data:`THAI_MIN_LETTERS` Thai letters making up more than
    :data:`THAI_TEXT_SHARE` of its letters is genuine Thai and is returned unchanged.
    """
    thai = sum(1 for ch in text if "\u0e00" <= ch <= "\u0e7f")
    letters = sum(1 for ch in text if ch.isalpha())
    if not thai or (thai > THAI_TEXT_SHARE * letters and thai > THAI_MIN_LETTERS):
        return text
    mapping = _thai_byte_map()
    run_re = re.compile("[" + "".join(re.escape(ch) for ch in mapping) + "]{2,}")

    def fix_run(m: re.Match) -> str:
        run = m.group()
        data = bytes(mapping[ch] for ch in run)
        out, i = [], 0
        while i < len(run):
            lead = data[i]
            size = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 0
            if size and i + size <= len(data):
                try:
                    out.append(data[i:i + size].decode("utf-8"))
                    i += size
                    continue
                except UnicodeDecodeError:
                    pass
            out.append(run[i])
            i += 1
        return "".join(out)

    return run_re.sub(fix_run, text)


def repair_text(raw: str) -> str:
    """ftfy's :func:`ftfy.fix_text` (quotes kept curly) followed by :func:`repair_thai_mojibake`."""
    import ftfy

    fixed = ftfy.fix_text(raw, uncurl_quotes=False)
    return repair_thai_mojibake(fixed)


# --------------------------------------------------------------------------------------------
# boilerplate
# --------------------------------------------------------------------------------------------
def _sentence_span(text: str, lo: int, hi: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, lo) + 1
    line_end = text.find("\n", hi)
    line_end = len(text) if line_end < 0 else line_end
    starts = [m.end() for m in re.finditer(r"[.!?]\s+", text[line_start:lo])]
    start = line_start + (starts[-1] if starts else 0)
    m = re.search(r"[.!?](?=\s|$)", text[hi:line_end])
    end = hi + m.end() if m else line_end
    return start, end


def find_boilerplate(text: str) -> list[tuple[int, int, str]]:
    """Advert / site-furniture spans of ``text`` as sorted, non-overlapping ``(start, end, reason)``.

    Lines matching :data:`BOILERPLATE_LINE_RULES` are marked whole; sentences matching
    :data:`BOILERPLATE_SENTENCE_RULES` are marked; a link-like stock headline glued after a real
    sentence is marked alone; a line of tags run together ("AlibabaAI ChipsT-Head...") too.
    """
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        lo = pos + (len(body) - len(body.lstrip()))
        hi = pos + len(body.rstrip())
        pos += len(line)
        if hi <= lo:
            continue
        for pattern, reason in BOILERPLATE_LINE_RULES:
            if pattern.search(body):
                spans.append((lo, hi, reason))
                break
        else:
            stripped = body.strip()
            if (len(stripped) < 160 and not re.search(r"[.!?,:;]", stripped)
                    and len(_CAMEL_JOIN_RE.findall(stripped)) >= 3):
                spans.append((lo, hi, "tag list"))
    for pattern, reason in BOILERPLATE_SENTENCE_RULES:
        for m in pattern.finditer(text):
            start, end = _sentence_span(text, m.start(), m.end())
            spans.append((start, end, reason))
    for m in _GLUED_HEADLINE_RE.finditer(text):
        head = m.group("head")
        words = re.findall(r"[A-Za-z][\w'’]*", head)
        capitalised = sum(1 for w in words if w[0].isupper())
        if (len(words) >= 3 and capitalised >= 0.6 * len(words)
                and re.search(r"\b(?:Stocks?|Shares?)\b|\$\d", head)):
            spans.append((m.start("head"), m.end("head"), "link headline"))
    spans.sort()
    merged: list[tuple[int, int, str]] = []
    for lo, hi, reason in spans:
        if merged and lo < merged[-1][1]:
            plo, phi, preason = merged[-1]
            merged[-1] = (plo, max(phi, hi), preason)
        else:
            merged.append((lo, hi, reason))
    return merged


# --------------------------------------------------------------------------------------------
# dating
# --------------------------------------------------------------------------------------------
_QUARTER_END_MONTH = {"march": 3, "june": 6, "september": 9, "december": 12,
                      "first": 3, "second": 6, "third": 9, "fourth": 12}
# A calendar quarter: not when "fiscal" says the quarter is a fiscal one ("fiscal Q4 2025").
_CAL_QUARTER_RE = re.compile(
    r"(?<!fiscal )(?<!fiscal year )"
    r"(?:\bQ(?P<q>[1-4])\s?(?P<year>(?:19|20)\d\d)\b"
    r"|\b(?:the\s+)?(?P<month>March|June|September|December)\s+quarter\s+(?:of\s+)?(?P<year2>(?:19|20)\d\d)\b"
    r"|\b(?P<ord>first|second|third|fourth)\s+quarter\s+of\s+(?P<year3>(?:19|20)\d\d)\b"
    # Alibaba's own wording: "the September 2025 quarter", "the June-2025 quarter"
    r"|\b(?:the\s+)?(?P<month4>March|June|September|December)[\s-](?P<year4>(?:19|20)\d\d)[\s-]quarter\b)",
    re.I)
# A fiscal quarter named with its fiscal year: "fiscal Q4 2025", "Q4 fiscal 2025", "fiscal 2025
# Q4", "the fiscal fourth quarter of 2025", "the fourth quarter of fiscal 2025", "Q4 FY25".
_FISCAL_QUARTER_RE = re.compile(
    r"\bfiscal\s+(?:year\s+)?Q(?P<q1>[1-4])\s?['’]?(?P<y1>(?:19|20)?\d\d)\b"
    r"|\bQ(?P<q2>[1-4])\s+(?:of\s+)?fiscal\s+(?:year\s+)?['’]?(?P<y2>(?:19|20)?\d\d)\b"
    r"|\bfiscal\s+(?:year\s+)?(?P<y3>(?:19|20)\d\d)\s+Q(?P<q3>[1-4])\b"
    r"|\bfiscal\s+(?P<o4>first|second|third|fourth)\s+quarter\s+(?:of\s+)?(?P<y4>(?:19|20)\d\d)\b"
    r"|\b(?P<o5>first|second|third|fourth)\s+quarter\s+of\s+fiscal\s+(?:year\s+)?(?P<y5>(?:19|20)\d\d)\b"
    r"|\bQ(?P<q6>[1-4])\s?FY\s?['’]?(?P<y6>(?:19|20)?\d\d)\b|\bFY\s?['’]?(?P<y7>(?:19|20)?\d\d)\s?Q(?P<q7>[1-4])\b",
    re.I)
_WEEKDAY_RE = re.compile(r"\b(?P<day>Monday|Tuesday|Wednesday|Thursday|Friday)(?:['’]s)?\b")
_FISCAL_Q_EARNINGS_RE = re.compile(
    r"\b(?:fiscal\s+)?Q(?P<q>[1-4])\b(?!\s?(?:19|20)\d\d)[^.\n]{0,20}?\b(?:earnings|results|report)", re.I)
_NEWS_SOURCES = ("WSJ", "Wall Street Journal", "Reuters", "Bloomberg", "Financial Times", "CNBC",
                 "The Information", "Caixin", "SCMP")
_TOPIC_WORDS = ("chip", "model", "capex", "infrastructure", "export", "cloud", "charge")
# Words in event descriptions too common to identify an event by themselves.
_EVENT_STOPWORDS = frozenset({"alibaba", "nvidia", "ai", "us", "u.s", "china", "chinese", "t-head",
                              "rmb", "us$", "wsj", "the", "announces", "reports", "discloses",
                              "new", "after", "about", "still", "made", "compatible", "software",
                              "sales", "filed", "close", "plan", "chip", "launch", "states",
                              "units", "customers", "shipped", "cloud", "infrastructure",
                              "inference", "testing", "fab", "licence", "requirement", "charge",
                              "three-year", "and", "by", "of", "on", "to", "a", "in", "with"})


def _label_reading(label: str, ticker: str, convention: str):
    """The :func:`babaresearch.periods.resolve_period` reading of ``label`` in ``convention``
    ("calendar" or "fiscal"), or None when the label has no such reading here."""
    from .errors import BabaResearchError
    from .periods import resolve_period

    try:
        readings = resolve_period(label, ticker)
    except BabaResearchError:
        return None
    return next((p for p in readings if p.convention == convention), None)


def _primary_ticker(text: str) -> str:
    baba = len(re.findall(r"\bAlibaba\b|\bBABA\b", text))
    nvda = len(re.findall(r"\bNvidia\b|\bNVIDIA\b|\bNVDA\b", text))
    return "NVDA" if nvda > baba else "BABA"


def estimate_as_of(text: str, *, boilerplate: list[tuple[int, int, str]] | None = None,
                   ticker: str | None = None) -> tuple[pd.Timestamp | None, str]:
    """Estimate the date of an article from what it refers to (rules in the module docstring).

    Parameters
    ----------
    text : str
        The (repaired) article text.
    boilerplate : list of (start, end, reason), optional
        Spans to ignore (default: :func:`find_boilerplate` of ``text``).
    ticker : str, optional
        Whose earnings calendar resolves quarter labels (default: the company the text names
        most, BABA on a tie).

    Returns
    -------
    (pandas.Timestamp or None, str)
        The estimate (tz-naive midnight) and the evidence: the winning reference and the rule,
        followed by the other references found. ``(None, "no dated reference found")`` when
        nothing dates the text.
    """
    from .claims import extract_claims, extract_dates
    from .earnings import corporate_events, earnings_calendar

    if boilerplate is None:
        boilerplate = find_boilerplate(text)
    content = list(text)
    for lo, hi, _ in boilerplate:
        content[lo:hi] = " " * (hi - lo)
    body = "".join(content)
    ticker = ticker or _primary_ticker(body)
    releases = earnings_calendar(ticker)
    candidates: list[tuple[pd.Timestamp, str]] = []

    # rule 1: explicit dates
    for row in extract_dates(body).itertuples():
        if row.precision == "day":
            candidates.append((row.date, f"explicit date '{row.quote}'"))
        else:
            candidates.append((row.date, f"month mention '{row.quote}' (first day, a lower bound)"))

    # rule 2: calendar-quarter labels -> the release of the fiscal quarter periods.resolve_period
    # reads as that calendar quarter (NVIDIA's ends on a Sunday weeks before the calendar end)
    for m in _CAL_QUARTER_RE.finditer(body):
        if m.group("q"):
            month, year = 3 * int(m.group("q")), int(m.group("year"))
        elif m.group("month"):
            month, year = _QUARTER_END_MONTH[m.group("month").lower()], int(m.group("year2"))
        elif m.group("month4"):
            month, year = _QUARTER_END_MONTH[m.group("month4").lower()], int(m.group("year4"))
        else:
            month, year = _QUARTER_END_MONTH[m.group("ord").lower()], int(m.group("year3"))
        quarter_end = pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)
        label = re.sub(r"\s+", " ", m.group())
        reading = _label_reading(label, ticker, "calendar")
        if reading is not None and reading.release_date is not None:
            candidates.append((reading.release_date,
                               f"'{label}' (quarter ending {quarter_end.date()}): {ticker} "
                               f"{reading.fiscal_period} results released {reading.release_date.date()}"))
        else:
            candidates.append((quarter_end, f"'{label}': quarter end {quarter_end.date()} "
                                            f"(release not in the earnings calendar)"))

    # rule 2b: fiscal-quarter labels -> the release of exactly that fiscal quarter
    for m in _FISCAL_QUARTER_RE.finditer(body):
        label = re.sub(r"\s+", " ", m.group())
        reading = _label_reading(label, ticker, "fiscal")
        if reading is not None and reading.release_date is not None:
            candidates.append((reading.release_date,
                               f"'{label}': {ticker} {reading.fiscal_period} results released "
                               f"{reading.release_date.date()}"))

    # rule 3: weekday + fiscal-quarter earnings without a year
    weekdays = {m.group("day") for m in _WEEKDAY_RE.finditer(body)}
    for m in _FISCAL_Q_EARNINGS_RE.finditer(body):
        quarter = f"Q{m.group('q')}"
        for day in sorted(weekdays):
            hits = releases[releases["fiscal_period"].str.endswith(quarter)
                            & (releases["release_date"].dt.day_name() == day)]
            if len(hits):
                row = hits.iloc[-1]
                candidates.append((row["release_date"],
                                   f"'{m.group().strip()}' + '{day}': {ticker} {row['fiscal_period']} "
                                   f"results released on {day} {row['release_date'].date()}"))

    # rule 4: corporate events the text matches
    body_lower = body.lower()
    claims = extract_claims(body, skip=[])
    stated = {(round(v, -6), u) for v, u in zip(claims["value"], claims["unit"]) if abs(v) >= 1e6}
    for event in corporate_events().itertuples():
        description = str(event.description)
        why = ""
        sources = [s for s in _NEWS_SOURCES if s in description and s in body]
        topics = [t for t in _TOPIC_WORDS if t in description.lower() and t in body_lower]
        if sources and topics:
            why = f"names {sources[0]} and '{topics[0]}' like the event"
        if not why:
            tokens = {re.sub(r"['’]s$", "", t.strip(",.;()'\"")) for t in description.split()}
            # a name starts with a letter ("H20", "M890", "Zhenwu"); "380bn" is an amount (below)
            names = sorted(t for t in tokens if len(t) >= 3 and t.lower() not in _EVENT_STOPWORDS
                           and t[:1].isalpha() and not t.upper().startswith(("US$", "RMB", "HK$"))
                           and (re.search(r"\d", t) and re.search(r"[A-Za-z]", t) or t[:1].isupper())
                           and re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])", body))
            if names:
                why = f"names {names[0]!r} like the event"
        if not why:
            event_claims = extract_claims(description, skip=[])
            shared = [(v, u) for v, u in zip(event_claims["value"], event_claims["unit"])
                      if abs(v) >= 1e6 and (round(v, -6), u) in stated]
            if shared:
                why = f"states the event's amount {shared[0][0]:,.0f} {shared[0][1]}"
        if why:
            candidates.append((pd.Timestamp(event.date),
                               f"corporate event {pd.Timestamp(event.date).date()} "
                               f"({event.ticker} {event.kind}): text {why}"))

    if not candidates:
        return None, "no dated reference found"
    best_date = max(date for date, _ in candidates)
    winners = [why for date, why in candidates if date == best_date]
    others = sorted({f"{date.date()} {why}" for date, why in candidates if date != best_date})
    evidence = f"latest dated reference {best_date.date()}: " + "; ".join(dict.fromkeys(winners))
    if others:
        evidence += " | earlier references: " + "; ".join(others)
    return pd.Timestamp(best_date).normalize(), evidence


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------
def load_document(path: str | Path, doc_id: str | None = None) -> Document:
    """Read one ``.txt`` article (see :func:`load_documents`)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read document {path}: {exc.strerror or exc}") from None
    raw, encoding = decode_bytes(data)
    return Document.from_text(doc_id or path.stem, raw, path, encoding=encoding)


def load_documents(path: str | Path) -> list[Document]:
    """Read every ``.txt`` article of a folder, sorted by doc id (the file stem).

    Parameters
    ----------
    path : str or Path
        A folder of ``.txt`` files (a single ``.txt`` file is accepted too).

    Returns
    -------
    list of Document

    Raises
    ------
    DocumentError
        The folder does not exist, holds no ``.txt`` file, or a file cannot be read (names it).
    """
    folder = Path(path)
    if folder.is_file() and folder.suffix.lower() == ".txt":
        return [load_document(folder)]
    if not folder.is_dir():
        raise DocumentError(f"documents folder not found: {folder}")
    files = sorted((p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".txt"),
                   key=lambda p: p.stem)
    if not files:
        raise DocumentError(f"no .txt documents in {folder}")
    return [load_document(p) for p in files]
