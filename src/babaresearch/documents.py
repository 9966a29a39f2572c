"""Load articles: plain text, Markdown with front matter, saved web pages; a dates sidecar.

``load_documents(path, dates=None)`` reads a folder (or one file) of ``.txt``, ``.md`` and
``.html`` documents (:func:`babaresearch.pages.document_files`: unique ids, symlinks outside the
folder refused, size limits). Each document's text is repaired (ftfy, then the Thai-code-page
repair for UTF-8 read as Windows-874); a saved web page's main text is taken with trafilatura
(:func:`babaresearch.pages.html_document`). Every offset the library reports indexes
:attr:`Document.text`: for a Markdown / text file with front matter, the text after it; for a
web page, the extracted main text.

Each document has a title (sidecar, front matter, HTML title, else its first line) and a date
(:func:`babaresearch.dating.date_document`): the sidecar's (``documents.csv`` in the folder, or
the file given as ``dates``), else front matter ``date:``, else the page's metadata, else the
text's own dateline, else inference from past-tense evidence -- with typed evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .dating import Dating, date_document
from .errors import DocumentError
from .pages import (HTML_SUFFIXES, SIDECAR_NAME, SidecarEntry, document_files, html_document, main_spans,
                    parse_published, read_document_bytes, read_sidecar, split_front_matter)

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


#: Longest first line used as a title, in characters.
TITLE_MAX_CHARS = 160

THAI_TEXT_SHARE = 0.05
#: ...and above this many Thai letters (a short string of mojibake is mostly "Thai" letters).
THAI_MIN_LETTERS = 20

#: Line-level boilerplate rules: (pattern searched in the line, reason). The whole line is marked.


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
        Text as decoded from the file (for a web page: the HTML).
    text : str
        The text every offset indexes: repaired (ftfy + Thai-code-page repair), front matter
        removed, a web page's main text.
    title : str
        Sidecar title, front matter ``title:``, the page's title, else the first line.
    url : str or None
        Sidecar / front matter / page URL.
    dating : Dating
        The date and its typed evidence (:mod:`babaresearch.dating`).
    kind : str
        ``"text"``, ``"markdown"`` or ``"html"``.
    encoding : str
        How the bytes were decoded.
    """

    doc_id: str
    path: Path | None
    raw: str
    text: str
    title: str = ""
    url: str | None = None
    dating: Dating = field(default_factory=lambda: Dating(None))
    kind: str = "text"
    encoding: str = "utf-8"
    boilerplate: list = field(default_factory=list)
    furniture: list = field(default_factory=list)

    @property
    def as_of(self) -> pd.Timestamp | None:
        """The document's date (New York calendar day), or None."""
        return self.dating.published

    @property
    def as_of_evidence(self) -> str:
        """One line for people saying what dates the document."""
        return self.dating.describe(self.text) if self.dating.published is not None else ""

    def is_boilerplate(self, start: int, end: int) -> bool:
        """True when ``text[start:end]`` overlaps a boilerplate span."""
        return any(start < hi and lo < end for lo, hi, _ in self.boilerplate)

    def normalized(self) -> NormalizedText:
        """Whitespace-collapsed view of ``text`` with an offset map back."""
        return normalize_whitespace(self.text)

    @classmethod
    def from_text(cls, doc_id: str, raw: str, path: Path | None = None, *, encoding: str = "utf-8",
                  date: bool = True, published=None, title: str | None = None,
                  url: str | None = None, kind: str = "text", date_source: str = "sidecar",
                  furniture: list | None = None, repaired: bool = False) -> "Document":
        """Build a document from a string: repair, front matter, title and (if ``date``) dating.

        ``furniture``: spans of the text that are page furniture (a web page's navigation,
        banners, related links, footer); their numbers are never claims and their dates never
        date the article (except a byline above the article)."""
        if not isinstance(raw, str):
            raise DocumentError(f"document {doc_id!r}: text must be a str, got {type(raw).__name__}")
        fixed = raw if repaired else repair_text(raw)
        meta, body = split_front_matter(fixed) if kind != "html" else ({}, 0)
        text = fixed[body:]
        source = date_source if published is not None else ""
        if published is None and meta.get("date"):
            parsed = parse_published(meta["date"], path=path or doc_id)
            if parsed is not None:
                published, source = (parsed[0] if isinstance(parsed, tuple) else parsed), "front_matter"
        title = title or meta.get("title") or _first_line(text)
        url = url or meta.get("url")
        furniture = list(furniture or [])
        dating = date_document(text, explicit=published, explicit_kind=source or "sidecar",
                               exclude=_dating_exclusions(text, furniture)) if date else Dating(None)
        return cls(doc_id=doc_id, path=path, raw=raw, text=text, title=title, url=url, dating=dating,
                   boilerplate=find_boilerplate(text), furniture=furniture,
                   kind="markdown" if meta or (path is not None and path.suffix.lower() in {".md", ".markdown"}) else kind,
                   encoding=encoding)


def _furniture(text: str, main: tuple) -> list[tuple[int, int]]:
    """The spans of ``text`` outside the article's ``main`` spans (merged, blank-trimmed)."""
    out = []
    cursor = 0
    for s, e in sorted(main):
        if s > cursor and text[cursor:s].strip():
            out.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < len(text) and text[cursor:].strip():
        out.append((cursor, len(text)))
    return out


def _dating_exclusions(text: str, furniture: list) -> list[tuple[int, int]]:
    """Furniture after the article has begun (related links, footers): never dates a page.
    Furniture above it (a byline: "By ... · April 16, 2025") may."""
    if not furniture:
        return []
    first_main = next((e for s, e in _complement(furniture, len(text)) if e - s > 120), None)
    if first_main is None:
        return list(furniture)
    return [(s, e) for s, e in furniture if s >= first_main]


def _complement(spans: list, n: int) -> list[tuple[int, int]]:
    out, cursor = [], 0
    for s, e in sorted(spans):
        if s > cursor:
            out.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < n:
        out.append((cursor, n))
    return out


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().strip("#").strip()
        if line:
            return line[:TITLE_MAX_CHARS]
    return ""


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


_THAI_RE = re.compile("[\u0e00-\u0e7f]")


def repair_thai_mojibake(text: str) -> str:
    """Undo UTF-8 decoded as the Thai code page (``"โ€”"`` -> ``"—"``, ``"๐Ÿ’ป"`` -> ``"💻"``).

    Runs of characters that both code pages can produce are re-encoded to bytes and decoded as
    UTF-8 greedily, one complete UTF-8 sequence at a time; a sequence that does not decode is left
    as it is. A text with more than :data:`THAI_MIN_LETTERS` Thai letters making up more than
    :data:`THAI_TEXT_SHARE` of its letters is genuine Thai and is returned unchanged.
    """
    thai = len(_THAI_RE.findall(text))
    if not thai:
        return text
    letters = sum(1 for ch in text if ch.isalpha())
    if (thai > THAI_TEXT_SHARE * letters and thai > THAI_MIN_LETTERS):
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


# --------------------------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------------------------
def load_document(path: str | Path, doc_id: str | None = None, *,
                  sidecar: SidecarEntry | None = None) -> Document:
    """Read one document file (``.txt``, ``.md`` or ``.html``; see :func:`load_documents`)."""
    path = Path(path)
    data = read_document_bytes(path)
    raw, encoding = decode_bytes(data)
    doc_id = doc_id or path.stem
    published = sidecar.published if sidecar is not None else None
    title = sidecar.title if sidecar is not None else None
    url = sidecar.url if sidecar is not None else None
    if path.suffix.lower() in HTML_SUFFIXES:
        page = html_document(raw, url=url)
        source = "sidecar" if published is not None else ("html_meta" if page.published is not None else "")
        published = published if published is not None else page.published
        # the whole visible page, so every number a reader sees has a row; what is not the
        # article (trafilatura's main text) is furniture
        main = repair_text(page.text)
        full = repair_text(page.full_text) if page.full_text else main
        spans = main_spans(full, main)
        if page.title:
            t = " ".join(repair_text(page.title).split())
            at = full.find(t)
            if at >= 0:
                spans = tuple(sorted(set(spans) | {(at, at + len(t))}))
        furniture = _furniture(full, spans) if spans else []
        doc = Document.from_text(doc_id, full, path, encoding=encoding, published=published,
                                 title=title or page.title, url=url or page.url, kind="html",
                                 date_source=source or "html_meta", furniture=furniture, repaired=True)
        doc.raw = raw
        return doc
    return Document.from_text(doc_id, raw, path, encoding=encoding, published=published,
                              title=title, url=url, date_source="sidecar")


def load_documents(path: str | Path, *, dates: str | Path | None = None) -> list[Document]:
    """Read every document of a folder (or one file), sorted by doc id.

    Parameters
    ----------
    path : str or Path
        A folder of ``.txt`` / ``.md`` / ``.html`` files, or one such file.
    dates : str or Path, optional
        A sidecar CSV (``doc_id, published, url, title``); default: ``documents.csv`` inside the
        folder when present. Its dates, titles and URLs win over everything else.

    Raises
    ------
    DocumentError
        The path is missing, unreadable, holds no document, two files share an id, a symlink
        points outside the folder, a file is too large, or the sidecar is malformed (names the
        file and line).
    """
    if path is None or not isinstance(path, (str, Path)) or (isinstance(path, str) and not path.strip()):
        raise DocumentError(f"documents path must be a folder or file path, got {path!r}")
    files = document_files(path)
    folder = Path(path) if Path(path).is_dir() else Path(path).parent
    sidecar_path = Path(dates) if dates is not None else folder / SIDECAR_NAME
    sidecar = read_sidecar(sidecar_path) if (dates is not None or sidecar_path.is_file()) else {}
    return [load_document(p, doc_id, sidecar=sidecar.get(doc_id)) for doc_id, p in files]
