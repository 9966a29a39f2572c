"""Reading what an analyst saves: front matter, web pages, a dates sidecar and document folders.

Pure functions that :mod:`babaresearch.documents` builds documents from. None of them reads
article prose for meaning; they only take what a file states explicitly.

* :func:`split_front_matter` -- an optional ``---`` block of ``key: value`` lines at the start of a
  ``.txt`` / ``.md`` file.
* :func:`html_document` -- the main text of a saved web page (through trafilatura, imported
  lazily so that ``import babaresearch`` stays light) and its explicit metadata: title,
  description, canonical URL and the publication stamp.
* :func:`read_sidecar` -- a user-supplied ``documents.csv`` (``doc_id, published, url, title``).
* :func:`document_files` -- the documents of a folder, with unique ids and a symlink policy.
* :func:`read_document_bytes` -- a file's bytes, refused beyond a documented size limit.
* :func:`parse_timestamp` -- the one grammar for an explicit publication stamp (front matter,
  sidecar, HTML metadata).

Publication stamps
------------------
A stamp is returned as a :class:`pandas.Timestamp` together with a flag saying whether a time of
day was stated:

* an offset or zone is stated (``2024-08-15T06:19:00-04:00``, ``...Z``, ``GMT``, ``ET``) ->
  a **tz-aware** Timestamp at that instant, in that offset (``ET`` is America/New_York, so it
  follows daylight saving; ``HKT`` is Asia/Hong_Kong);
* a time without an offset (``2024-08-15 06:19``) -> a **tz-naive** Timestamp with that time
  (the zone is unknown, so no conversion is made);
* a date only (``2024-08-15``, ``Aug. 15, 2024``) -> a **tz-naive** Timestamp at midnight, with
  the flag ``False`` (so midnight is not mistaken for a stated time).

Accepted forms: ISO 8601 dates and datetimes (``T`` or a space, optional seconds / fractions,
``Z`` / ``+hh:mm`` / ``+hhmm`` / ``+hh``), ``YYYY/MM/DD``, compact ``YYYYMMDD``, RFC 2822
(``Thu, 15 Aug 2024 10:19:00 GMT``), and dates with an English month name (``August 15, 2024``,
``15 Aug 2024``, optionally a weekday and a time such as ``6:19 a.m. ET``). A purely numeric date
in another order (``08/15/2024``, ``15.08.2024``) is ambiguous between day-first and
month-first and is rejected rather than guessed; so is anything outside pandas' datetime range.
"""

from __future__ import annotations

import csv
import email.utils
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import DocumentError

#: Largest plain-text document (``.txt``, ``.md``, ``documents.csv``) read, in bytes (2 MB, about
#: 300,000 words: some hundred times a long article). Beyond it :func:`read_document_bytes`
#: raises :class:`DocumentError`, which also bounds the time every later text pass can take.
MAX_DOCUMENT_BYTES = 2_000_000
#: Largest saved web page (``.html`` / ``.htm``) read, in bytes (8 MB). Raw pages carry scripts,
#: styles and inline JSON around a small article (2-3 MB is common for a "save page as" of a
#: news site). The caller holds the text extracted from a page to :data:`MAX_DOCUMENT_BYTES`
#: as for any other document.
MAX_HTML_BYTES = 8_000_000

#: File suffixes read as documents (compared case-insensitively).
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
#: The sidecar's file name inside a documents folder (never listed as a document).
SIDECAR_NAME = "documents.csv"

#: Front matter: opening and closing fence lines, and how far the closing fence is looked for.
FRONT_MATTER_FENCE = "---"
FRONT_MATTER_CLOSERS = ("---", "...")
MAX_FRONT_MATTER_LINES = 60

#: Sidecar columns: the one required, and the ones read.
SIDECAR_REQUIRED = "doc_id"
SIDECAR_COLUMNS = ("doc_id", "published", "url", "title")

# --------------------------------------------------------------------------------------------
# errors


def _error(path: object, message: str, line: int | None = None) -> DocumentError:
    """A :class:`DocumentError` naming ``path`` (and ``line``), with both kept as attributes."""
    where = f"{path}, line {line}" if line is not None else f"{path}"
    err = DocumentError(f"{where}: {message}")
    err.path = str(path)
    err.line = line
    return err


# --------------------------------------------------------------------------------------------
# publication stamps

_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for m in names}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
#: Zone names a stamp may end with, and the zone they mean.
ZONE_NAMES = {
    "z": "UTC", "utc": "UTC", "gmt": "UTC",
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "hkt": "Asia/Hong_Kong",
}
_ZONE_RE = r"(?P<zone>[zZ]|[+-]\d{2}(?::?\d{2})?|(?i:utc|gmt|et|est|edt|hkt))"
_TIME_RE = (r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<frac>\d{1,9}))?)?"
            r"\s*(?P<ampm>(?i:[ap]\.?m\.?))?")
_ISO_RE = re.compile(
    r"(?P<year>\d{4})(?P<sep>[-/]?)(?P<month>\d{2})(?P=sep)(?P<day>\d{2})"
    rf"(?:(?:[T ]|,\s*)\s*{_TIME_RE}\s*{_ZONE_RE}?)?")
_MONTH_FIRST_RE = re.compile(
    r"(?:(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?P<mname>(?i:{_MONTH_RE}))\.?\s+(?P<day>\d{{1,2}})(?i:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
    rf"(?:(?:,\s*|\s+(?i:at\s+)?|T){_TIME_RE}\s*{_ZONE_RE}?)?")
_DAY_FIRST_RE = re.compile(
    r"(?:(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?P<day>\d{{1,2}})\s+(?P<mname>(?i:{_MONTH_RE}))\.?,?\s+(?P<year>\d{{4}})"
    rf"(?:(?:,\s*|\s+(?i:at\s+)?|T){_TIME_RE}\s*{_ZONE_RE}?)?")
_RFC2822_RE = re.compile(r"(?i:mon|tue|wed|thu|fri|sat|sun),\s+\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d")
#: Longest stamp considered, in characters (a meta value longer than this is not a stamp).
MAX_STAMP_CHARS = 80


def _zone(text: str | None):
    """The zone a stamp's suffix names: a tz name, a fixed offset string, or None."""
    if not text:
        return None
    name = ZONE_NAMES.get(text.lower())
    if name:
        return name
    digits = text.replace(":", "")
    sign, hh, mm = digits[0], int(digits[1:3]), int(digits[3:5] or 0)
    if hh > 23 or mm > 59:
        raise ValueError("bad offset")
    return f"{sign}{hh:02d}:{mm:02d}"


def _build(year, month, day, m: re.Match) -> tuple[pd.Timestamp, bool]:
    hour = m.group("hour")
    if hour is None:
        return pd.Timestamp(year=int(year), month=int(month), day=int(day)), False
    hour, minute = int(hour), int(m.group("minute"))
    ampm = (m.group("ampm") or "").lower().replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError("bad 12-hour time")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    frac = m.group("frac") or ""
    stamp = pd.Timestamp(year=int(year), month=int(month), day=int(day), hour=hour,
                         minute=minute, second=int(m.group("second") or 0),
                         microsecond=int((frac + "000000")[:6]) if frac else 0)
    zone = _zone(m.group("zone"))
    if zone is None:
        return stamp, True
    if zone[0] in "+-":
        return pd.Timestamp(stamp.isoformat() + zone), True
    return stamp.tz_localize(zone, ambiguous=True, nonexistent="shift_forward"), True


def parse_timestamp(value: object) -> tuple[pd.Timestamp, bool] | None:
    """Parse an explicit publication stamp.

    Parameters
    ----------
    value : str
        The stamp as written (a meta ``content``, a JSON-LD ``datePublished``, a front matter or
        sidecar ``published`` value). Surrounding whitespace and quotes are ignored; the whole
        value must be the stamp.

    Returns
    -------
    (pandas.Timestamp, bool) or None
        The stamp and whether a time of day was stated; tz-aware when an offset or zone was
        stated, tz-naive otherwise (see the module notes). ``None`` when ``value`` is not a stamp
        in an accepted form, names an impossible day (``2024-02-30``), or lies outside pandas'
        datetime range.
    """
    if not isinstance(value, str):
        return None
    text = value.strip().strip("\"'").strip()
    if not text or len(text) > MAX_STAMP_CHARS:
        return None
    try:
        parsed = None
        m = _ISO_RE.fullmatch(text)
        if m:
            parsed = _build(m.group("year"), m.group("month"), m.group("day"), m)
        for pattern in (_MONTH_FIRST_RE, _DAY_FIRST_RE):
            m = None if parsed else pattern.fullmatch(text)
            if m:
                parsed = _build(m.group("year"), _MONTHS[m.group("mname").lower()],
                                m.group("day"), m)
        if parsed is None and _RFC2822_RE.match(text):
            parsed = pd.Timestamp(email.utils.parsedate_to_datetime(text)), True
        if parsed is None:
            return None
        # nanoseconds, as every other frame in the library: raises OutOfBoundsDatetime outside
        # 1677-09-21 .. 2262-04-11 (pandas 3 would otherwise hold year 2500 in microseconds)
        return parsed[0].as_unit("ns"), parsed[1]
    except (ValueError, OverflowError, TypeError, IndexError):
        return None  # impossible day or time, out of pandas' range (OutOfBoundsDatetime)


def parse_published(value: str, *, path: object, line: int | None = None,
                    field: str = "published") -> tuple[pd.Timestamp, bool] | None:
    """:func:`parse_timestamp` for a value the user wrote: empty -> None, unparseable -> error.

    Parameters
    ----------
    value : str
        The value (a sidecar cell, a front matter ``date:``).
    path : str or Path
        The file it came from, named in the error.
    line : int, optional
        Its 1-based line in that file.
    field : str
        What the value is, for the message (``"published"``, ``"front matter date"``).

    Raises
    ------
    DocumentError
        ``value`` is not empty and not a stamp in an accepted form; names file and line.
    """
    if value is None or not str(value).strip():
        return None
    parsed = parse_timestamp(str(value))
    if parsed is None:
        raise _error(path, f"{field} {str(value).strip()!r} is not a date; write YYYY-MM-DD or "
                           "an ISO datetime such as 2024-08-15T06:19:00-04:00", line)
    return parsed


# --------------------------------------------------------------------------------------------
# front matter

_FM_KEY_RE = re.compile(r"([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*")


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner.replace("''", "'") if value[0] == "'" else inner.replace('\\"', '"')
    if " #" in value:  # a YAML comment after an unquoted value
        value = value.split(" #", 1)[0].rstrip()
    return value


def split_front_matter(text: str) -> tuple[dict[str, str], int]:
    """Split optional front matter off the start of a text document.

    Front matter is a first line ``---`` (after an optional BOM and blank lines), then
    ``key: value`` lines, then a line ``---`` or ``...``, as Jekyll, Hugo and Obsidian write it::

        ---
        title: "Alibaba beats estimates"
        date: 2024-08-15 06:19:00 -0400
        url: https://example.com/a
        ---

    Only flat ``key: value`` lines are read (no YAML library is used): keys are lower-cased;
    values are stripped, one pair of matching quotes is removed, a trailing `` # comment`` after
    an unquoted value is dropped; the last of a repeated key wins. Indented lines and ``- item``
    lines (a YAML list or mapping under a key such as ``tags:``) are skipped, blank lines and
    ``#`` comment lines too.

    The block is **not** front matter, and ``({}, 0)`` is returned (the whole text is the body,
    nothing raised), when the closing fence is missing within :data:`MAX_FRONT_MATTER_LINES`
    lines or any other line is not ``key: value`` -- e.g. a Markdown horizontal rule followed by
    prose.

    Values are returned as written. In particular ``date`` is **not** validated here: the caller
    validates it with :func:`parse_published` (``field="front matter date"``), which raises a
    :class:`DocumentError` naming the file, because this function does not know the file.

    Parameters
    ----------
    text : str
        The document as decoded.

    Returns
    -------
    (dict of str to str, int)
        The fields and the offset in ``text`` (in characters) where the body starts: just after
        the closing fence's line break; 0 when there is no front matter.
    """
    if not isinstance(text, str):
        return {}, 0
    pos = 0
    if text.startswith("\ufeff"):
        pos = 1
    while True:  # blank lines before the fence
        nl = text.find("\n", pos)
        line = text[pos:] if nl < 0 else text[pos:nl]
        if line.strip() or nl < 0:
            break
        pos = nl + 1
    end = text.find("\n", pos)
    if end < 0 or text[pos:end].strip() != FRONT_MATTER_FENCE:
        return {}, 0
    fields: dict[str, str] = {}
    pos = end + 1
    for _ in range(MAX_FRONT_MATTER_LINES):
        nl = text.find("\n", pos)
        line = (text[pos:] if nl < 0 else text[pos:nl]).rstrip("\r")
        body_start = len(text) if nl < 0 else nl + 1
        stripped = line.strip()
        if stripped in FRONT_MATTER_CLOSERS and line == line.lstrip():
            return fields, body_start
        if stripped and not stripped.startswith("#") and not line[:1].isspace() \
                and not stripped.startswith("- "):
            m = _FM_KEY_RE.fullmatch(line)
            if not m:
                return {}, 0
            fields[m.group(1).lower()] = _unquote((m.group(2) or "").strip())
        if nl < 0:
            return {}, 0
        pos = body_start
    return {}, 0


# --------------------------------------------------------------------------------------------
# web pages


@dataclass(frozen=True)
class HtmlPage:
    """What a saved web page states explicitly, and its main text.

    Attributes
    ----------
    text : str
        The main text, paragraphs (and headings, list items, table rows) separated by a blank
        line; navigation, cookie banners, footers, share bars, comments and related-link lists
        dropped. ``""`` for a page with no text.
    title : str or None
        ``og:title``, else ``twitter:title``, else ``<title>`` without a trailing site name
        (``" | Site"``), else the first ``<h1>``.
    published : pandas.Timestamp or None
        The publication stamp from explicit metadata only (see :func:`html_document`); tz-aware
        when the source states an offset, tz-naive otherwise.
    published_source : str or None
        Where it came from: ``"meta article:published_time"``, ``"json-ld datePublished"``,
        ``"meta <name>"`` (e.g. ``"meta pubdate"``), ``"itemprop datePublished"``,
        ``"time element"`` or ``"url"``.
    url : str or None
        The URL passed in, else ``<link rel="canonical">``, else ``og:url``, else the
        ``<!-- saved from url=... -->`` comment browsers write.
    description : str or None
        ``<meta name="description">``, else ``og:description`` / ``twitter:description``.
    published_has_time : bool
        Whether ``published`` carries a stated time of day (False for a date only).
    published_raw : str or None
        The stamp as written in the page (for display as evidence).
    """

    text: str
    title: str | None
    published: pd.Timestamp | None
    published_source: str | None
    url: str | None
    description: str | None
    published_has_time: bool = False
    published_raw: str | None = None
    full_text: str = ""
    main_spans: tuple = ()


#: ``<meta>`` names (``name=`` / ``property=`` / ``itemprop=``, lower-cased) that state the
#: publication stamp, after ``article:published_time``; never modified / updated stamps.
PUBLISHED_META_NAMES = (
    "og:article:published_time", "og:published_time", "published_time", "article.published",
    "article_date_original", "datepublished", "date", "pubdate", "publishdate", "publish-date",
    "publish_date", "published-date", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
    "citation_publication_date", "citation_date", "prism.publicationdate", "originalpublicationdate",
    "displaydate",
)
#: JSON-LD ``@type`` values whose ``datePublished`` is the page's (others only as a fallback).
ARTICLE_TYPES = ("article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
                 "blogposting", "report", "scholarlyarticle", "techarticle", "liveblogposting",
                 "webpage", "opinionnewsarticle")
#: How many ``<time>`` elements of each kind are considered (the first ones in the page).
MAX_TIME_CANDIDATES = 5
#: A date in a URL path: /2024/04/09/, /2024-04-09/, /2024/04/09-slug.
_URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)([/-])(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?=[/\-_.]|$)")
_SAVED_FROM_RE = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)
#: Strong title separators: the text after the first one is the site (and section) name.
_TITLE_STRONG_SEPS = (" | ", " || ", " :: ", " · ", " • ")
#: Weak separators: a dash is cut only when what follows it is the site's name.
_TITLE_DASH_SEPS = (" - ", " – ", " — ")
#: Largest number of words a site name after a strong separator may have.
MAX_SITE_NAME_WORDS = 6
#: Shortest site name (letters and digits) matched as part of a title's tail.
MIN_SITE_MATCH_CHARS = 4
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
#: ``<time>`` tags: trafilatura deletes them with their text ("paid on <time>Jan. 11</time>"
#: would lose its date), so they are renamed to ``<span>`` in what it is given.
_TIME_TAG_RE = re.compile(r"<(/?)time\b", re.I)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Elements whose text is never page text in the fallback extraction.
_FALLBACK_DROP = ("script", "style", "noscript", "template", "nav", "footer", "aside", "form",
                  "head", "svg", "iframe", "button", "select")
#: ...nor are site headers (a ``<header>`` outside ``<article>`` / ``<main>``) and elements whose
#: class or id names site furniture (generic words, never a site's name).
_FALLBACK_FURNITURE_RE = re.compile(
    r"cookie|consent|gdpr|banner|newsletter|subscri|signup|sign-up|related|recommend|share|"
    r"social|comment|promo|advert|sponsor|popup|modal|breadcrumb|menu|navbar|footer|sidebar",
    re.I)
_FALLBACK_BLOCKS = frozenset(("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li",
                              "blockquote", "pre", "section", "article", "main", "table", "ul",
                              "ol", "dd", "dt", "br", "figcaption", "header"))


def _norm(s: str | None) -> str | None:
    if s is None:
        return None
    s = " ".join(s.split())
    return s or None


def _parse_tree(html: str):
    """The page as an lxml tree, or None when lxml cannot make one."""
    from lxml import html as lxml_html  # lazy: lxml comes with trafilatura

    try:
        return lxml_html.document_fromstring(html)
    except Exception:  # noqa: BLE001 - ValueError, lxml.etree.ParserError on empty / odd input
        return None


def _metas(tree) -> dict[str, list[str]]:
    """``<meta>`` values by lower-cased name / property / itemprop, in document order."""
    out: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None and meta.get("itemprop"):
            content = meta.get("datetime")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                out.setdefault(key.strip().lower(), []).append(content.strip())
    return out


def _json_ld(tree) -> list[dict]:
    """Every JSON-LD object of the page (``@graph`` and lists flattened); bad JSON skipped."""
    objects: list[dict] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        raw = re.sub(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$|^<!--|-->$", "", raw)
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # bad JSON, or nested deeper than Python recurses
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                objects.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))
    return objects


def _types(obj: dict) -> list[str]:
    t = obj.get("@type")
    return [str(x).lower() for x in (t if isinstance(t, list) else [t]) if x]


def _stamp_candidates(tree, metas, ld, url):
    """Explicit publication stamps as ``(source, raw)`` in order of trust."""
    for key in ("article:published_time",):
        for v in metas.get(key, ()):
            yield f"meta {key}", v
    typed = [o for o in ld if any(t in ARTICLE_TYPES for t in _types(o))]
    typed_ids = {id(o) for o in typed}
    for obj in typed + [o for o in ld if id(o) not in typed_ids]:
        v = obj.get("datePublished")
        if isinstance(v, str):
            yield "json-ld datePublished", v
    for key in PUBLISHED_META_NAMES:
        for v in metas.get(key, ()):
            yield ("itemprop datePublished" if key == "datepublished" else f"meta {key}"), v
    if tree is not None:
        marked = tree.xpath('//*[@itemprop="datePublished"][@datetime] | //time[@pubdate]'
                            '[@datetime]')
        for el in marked[:MAX_TIME_CANDIDATES]:
            yield "time element", el.get("datetime")
        yield from _header_times(tree)
    if url:
        m = _URL_DATE_RE.search(url.split("?", 1)[0])
        if m:
            yield "url", f"{m.group(1)}-{int(m.group(3)):02d}-{int(m.group(4)):02d}"


def _header_times(tree):
    """``<time datetime>`` stamps in a header, or in an article before its first paragraph."""
    times = tree.xpath("//time[@datetime][ancestor::header or ancestor::article]")
    if not times:
        return
    order = {el: i for i, el in enumerate(tree.iter())}  # one pass: positions in the page
    first_p = {}
    taken = 0
    for el in times:
        if taken >= MAX_TIME_CANDIDATES:
            return
        if el.xpath("ancestor::footer or ancestor::aside or ancestor::nav"):
            continue
        marks = " ".join((el.get("class") or "", el.get("itemprop") or "")).lower()
        if "modif" in marks or "updat" in marks:
            continue
        if not el.xpath("ancestor::header"):
            article = el.xpath("ancestor::article[1]")[0]
            if article not in first_p:
                p = next(article.iter("p"), None)
                first_p[article] = order.get(p, len(order)) if p is not None else len(order)
            if order.get(el, 0) > first_p[article]:
                continue  # in the article but after its first paragraph: a body date
        taken += 1
        yield "time element", el.get("datetime")


def _published(tree, metas, ld, url) -> tuple[pd.Timestamp | None, str | None, bool, str | None]:
    """The first explicit stamp that parses; a later one of the same day adds a missing time."""
    best = None
    for source, raw in _stamp_candidates(tree, metas, ld, url):
        parsed = parse_timestamp(raw)
        if parsed is None:
            continue
        stamp, has_time = parsed
        if best is None:
            best = (stamp, source, has_time, raw.strip())
            if has_time:
                break
        elif has_time and source != "url" and stamp.date() == best[0].date():
            best = (stamp, source, has_time, raw.strip())
            break
    return best if best else (None, None, False, None)


def _site_names(metas, ld, url) -> set[str]:
    names = set(metas.get("og:site_name", ())) | set(metas.get("application-name", ()))
    for obj in ld:
        if "website" in _types(obj) or "organization" in _types(obj):
            if isinstance(obj.get("name"), str):
                names.add(obj["name"])
        pub = obj.get("publisher")
        if isinstance(pub, dict) and isinstance(pub.get("name"), str):
            names.add(pub["name"])
    if url:
        host = re.sub(r"^[a-z]+://(?:www\.)?", "", url.lower()).split("/", 1)[0].split(":", 1)[0]
        if host:
            names.add(host.rsplit(".", 1)[0] if "." in host else host)
            names.add(host)
    return {re.sub(r"[\W_]+", "", n.lower()) for n in names if n} - {""}


def _strip_site(title: str, sites: set[str], h1: str | None = None) -> str:
    """``"Headline | Site"`` -> ``"Headline"``; a dash only when the site's name follows it or
    what precedes it is the page's ``<h1>``."""
    for sep in _TITLE_STRONG_SEPS:
        i = title.find(sep)
        if i > 0:
            tail = title[i + len(sep):]
            if len(tail.split()) <= MAX_SITE_NAME_WORDS * 2:
                title = title[:i].rstrip()
            break
    for sep in _TITLE_DASH_SEPS:
        i = title.rfind(sep)
        if i > 0:
            tail = re.sub(r"[\W_]+", "", title[i + len(sep):].lower())
            if (h1 and title[:i].strip() == h1) or (
                    tail and any(tail == s or (min(len(s), len(tail)) >= MIN_SITE_MATCH_CHARS
                                     and (tail in s or s in tail)) for s in sites)):
                title = title[:i].rstrip()
            break
    return title


def _title(tree, metas, ld, url) -> str | None:
    for key in ("og:title", "twitter:title"):
        for v in metas.get(key, ()):
            if _norm(v):
                return _norm(v)
    if tree is None:
        return None
    h1 = next((t for t in (_norm(el.text_content()) for el in tree.iter("h1")) if t), None)
    for el in tree.iter("title"):
        t = _norm(el.text_content())
        if t:
            return _strip_site(t, _site_names(metas, ld, url), h1) or t
    return h1


def _page_url(tree, metas, html: str, url: str | None) -> str | None:
    if url:
        return url.strip() or None
    if tree is not None:
        for link in tree.iter("link"):
            if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
                return link.get("href").strip()
    for v in metas.get("og:url", ()):
        if v:
            return v
    m = _SAVED_FROM_RE.search(html[:4096])
    return m.group(1) if m else None


def _render_xml(xml: str) -> str:
    """trafilatura's XML output -> plain text, one block per paragraph, blank line between."""
    from lxml import etree

    root = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(recover=True))
    main = root.find("main") if root is not None else None
    if main is None:
        return ""

    def inline(el) -> str:
        parts = [el.text or ""]
        for child in el:
            parts.append("\n" if child.tag == "lb" else inline(child))
            parts.append(child.tail or "")
        return "".join(parts)

    blocks: list[str] = []
    for el in main:
        if el.tag == "list":
            lines = [" ".join(inline(item).split()) for item in el.iter("item")]
            block = "\n".join(line for line in lines if line)
        elif el.tag == "table":
            rows = []
            for row in el.iter("row"):
                cells = [" ".join(inline(c).split()) for c in row.iter("cell")]
                if any(cells):
                    rows.append(" | ".join(cells))
            block = "\n".join(rows)
        else:
            block = "\n".join(" ".join(line.split()) for line in inline(el).split("\n"))
        block = block.strip()
        if block:
            blocks.append(block)
    return "\n\n".join(blocks)


def _fallback_text(tree) -> str:
    """Plain text of the page body without trafilatura: junk elements dropped, blocks split."""
    if tree is None:
        return ""
    body = tree.find("body")
    root = body if body is not None else tree
    drop = list(root.iter(*_FALLBACK_DROP))
    drop += [el for el in root.iter("header") if not el.xpath("ancestor::article|ancestor::main")]
    drop += [el for el in root.iter() if isinstance(el.tag, str) and el.tag not in
             ("html", "body", "article", "main")
             and _FALLBACK_FURNITURE_RE.search(f"{el.get('class') or ''} {el.get('id') or ''}")]
    for el in drop:
        if el.getparent() is not None:
            el.drop_tree()
    for el in root.iter():
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _FALLBACK_BLOCKS:
            el.tail = "\n\n" + (el.tail or "")
            el.text = "\n\n" + (el.text or "")
        elif tag == "tr":
            el.tail = "\n" + (el.tail or "")
            el.text = "\n" + (el.text or "")
        elif tag in ("td", "th"):
            el.tail = " | " + (el.tail or "")
    text = root.text_content()
    lines = [" ".join(line.split()).strip(" |") for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


#: Elements whose text a reader never sees.
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe", "select", "option")


def visible_text(tree, title: str | None = None) -> str:
    """Every text a reader of the page sees, in page order, one block per line: navigation,
    banners, the article, related links and the footer (scripts, styles and metadata dropped).
    The page title opens it when the body does not repeat it."""
    import copy

    if tree is None:
        return title or ""
    tree = copy.deepcopy(tree)
    body = tree.find("body")
    root = body if body is not None else tree
    for el in list(root.iter(*_INVISIBLE)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in root.iter():
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _FALLBACK_BLOCKS or tag in ("nav", "footer", "aside", "form", "button", "span") and tag != "span":
            el.tail = "\n" + (el.tail or "")
            el.text = "\n" + (el.text or "")
        elif tag == "tr":
            el.tail = "\n" + (el.tail or "")
            el.text = "\n" + (el.text or "")
        elif tag in ("td", "th"):
            el.tail = " | " + (el.tail or "")
    text = root.text_content()
    lines = [" ".join(line.split()).strip(" |") for line in text.split("\n")]
    lines = [line for line in lines if line]
    if title and (not lines or " ".join(title.split()) not in lines[0]):
        lines.insert(0, " ".join(title.split()))
    return "\n".join(lines)


def main_spans(full: str, main: str) -> tuple[tuple[int, int], ...]:
    """Spans of ``full`` holding the lines of ``main`` (found in order; a line not found is
    skipped): where the article is inside the whole visible page."""
    out = []
    cursor = 0
    for line in main.split("\n"):
        line = " ".join(line.split()).strip(" |")
        if len(line) < 2:
            continue
        at = full.find(line, cursor)
        if at < 0:
            at = full.find(line)
            if at < 0:
                continue
        out.append((at, at + len(line)))
        cursor = max(cursor, at + len(line))
    return tuple(sorted(out))


def _main_text(html: str) -> str | None:
    """The main text through trafilatura, or None when it finds none (or fails)."""
    try:
        import trafilatura  # lazy: about 0.3 s to import
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    try:
        xml = trafilatura.extract(
            _TIME_TAG_RE.sub(r"<\1span", html), output_format="xml", include_comments=False, include_tables=True,
            include_images=False, include_links=False, include_formatting=False,
            deduplicate=False, with_metadata=False,
            date_extraction_params={"extensive_search": False})
    except Exception:  # noqa: BLE001 - odd HTML must never end the load
        return None
    if not xml:
        return None
    try:
        return _render_xml(xml) or None
    except Exception:  # noqa: BLE001
        return None


def html_document(html: str, *, url: str | None = None) -> HtmlPage:
    """Main text and explicit metadata of a saved web page.

    The main text is trafilatura's (balanced mode: ``favor_precision`` dropped some headlines in
    our fixtures, ``favor_recall`` keeps more site furniture), rendered from its XML output with a
    blank line between blocks; if trafilatura finds nothing, a simple lxml extraction of the body
    is used (scripts, navigation, headers, footers, asides and forms dropped).

    The publication stamp comes only from what the page states as metadata, first found wins:

    1. ``<meta property="article:published_time">``;
    2. JSON-LD ``datePublished`` (an Article / NewsArticle / BlogPosting / WebPage object first);
    3. other ``<meta>`` names (:data:`PUBLISHED_META_NAMES`: ``date``, ``pubdate``,
       ``publish-date``, ``DC.date.issued``, ``itemprop="datePublished"``...);
    4. ``<time datetime>`` marked ``itemprop="datePublished"`` / ``pubdate``, or in a
       ``<header>``, or in an ``<article>`` before its first paragraph (not in footers, asides,
       navigation, nor marked as updated / modified);
    5. a date in the URL path (``/2024/04/09/``).

    When the first stamp found is a date only and a later one (not the URL) gives a time on the
    same day, the later one is taken. Modified / updated stamps are never used, and no date is
    ever taken from the body text.

    Parameters
    ----------
    html : str
        The page as decoded text. Never raises on odd input: an empty or unparseable page gives
        ``text=""`` and no metadata.
    url : str, optional
        The page's URL when known otherwise (front matter, sidecar); used for the URL date.

    Returns
    -------
    HtmlPage
    """
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not isinstance(html, str):
        html = ""
    clean = _CONTROL_RE.sub("", _XML_DECL_RE.sub("", html, count=1))
    tree = _parse_tree(clean) if clean.strip() else None
    metas = _metas(tree) if tree is not None else {}
    ld = _json_ld(tree) if tree is not None else []
    page_url = _page_url(tree, metas, clean, url)
    published, source, has_time, raw = _published(tree, metas, ld, page_url)
    title = _title(tree, metas, ld, page_url)
    description = None
    for key in ("description", "og:description", "twitter:description"):
        for v in metas.get(key, ()):
            description = description or _norm(v)
    text = _main_text(clean) if clean.strip() else None
    if text is None:
        text = _fallback_text(tree)
    full = visible_text(tree, title) if tree is not None else text
    spans = main_spans(full, text) if full else ()
    if title:
        t = " ".join(title.split())
        at = full.find(t)
        if at >= 0:
            spans = tuple(sorted(set(spans) | {(at, at + len(t))}))
    return HtmlPage(text=text, title=title, published=published, published_source=source,
                    url=page_url, description=description, published_has_time=has_time,
                    published_raw=raw, full_text=full, main_spans=spans)


# --------------------------------------------------------------------------------------------
# sidecar


@dataclass(frozen=True)
class SidecarEntry:
    """One row of a ``documents.csv`` sidecar.

    Attributes
    ----------
    doc_id : str
        The document's id (its file stem) as written.
    published : pandas.Timestamp or None
        The publication stamp (see :func:`parse_timestamp`); None when the cell is empty.
    published_has_time : bool
        Whether a time of day was stated.
    url, title : str or None
        As written; None when empty.
    path : str
        The sidecar file.
    line : int
        The row's 1-based line in the file (the header is line 1).
    """

    doc_id: str
    published: pd.Timestamp | None
    published_has_time: bool
    url: str | None
    title: str | None
    path: str
    line: int


def _sidecar_id(value: str) -> str:
    value = value.strip()
    stem, dot, suffix = value.rpartition(".")
    if dot and stem and f".{suffix.lower()}" in DOCUMENT_SUFFIXES:
        return stem  # "a.html" names the document "a"
    return value


def id_key(doc_id: str) -> str:
    """The key under which doc ids must be unique: NFC-normalised and case-folded."""
    return unicodedata.normalize("NFC", doc_id).casefold()


def read_sidecar(path: str | os.PathLike) -> dict[str, SidecarEntry]:
    """Read a ``documents.csv`` sidecar of publication dates, URLs and titles.

    Columns (a header row, names compared case-insensitively, in any order): ``doc_id``
    (required: the document's file stem; a name with a document suffix such as ``a.html`` is
    taken as its stem), ``published`` (``YYYY-MM-DD`` or an ISO datetime, any form
    :func:`parse_timestamp` accepts), ``url``, ``title`` -- all optional, empty cells mean
    unknown. Other columns are ignored. Blank rows are skipped. UTF-8, with or without BOM.

    Parameters
    ----------
    path : str or PathLike
        The CSV file.

    Returns
    -------
    dict of str to SidecarEntry
        Keyed by the doc id as written.

    Raises
    ------
    DocumentError
        The file is missing, unreadable, larger than :data:`MAX_DOCUMENT_BYTES`, not UTF-8 or
        not CSV; it has no ``doc_id`` column; a row has an empty doc id, a doc id already used
        (compared case-insensitively, as file names are) or a ``published`` value that is not a
        date. The message names the file and, for a row, its line.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise DocumentError(f"sidecar path must be a file path, not {type(path).__name__}")
    path = Path(path)
    data = read_document_bytes(path, limit=MAX_DOCUMENT_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise _error(path, "not UTF-8 text (save it as UTF-8 CSV)", line) from None
    entries: dict[str, SidecarEntry] = {}
    seen: dict[str, int] = {}
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = next(reader, None)
        if header is None:
            raise _error(path, f"empty; expected a header with a {SIDECAR_REQUIRED} column")
        names = [h.strip().lower() for h in header]
        if SIDECAR_REQUIRED not in names:
            raise _error(path, f"no {SIDECAR_REQUIRED} column (columns: "
                               f"{', '.join(h for h in names if h) or 'none'})", 1)
        col = {name: names.index(name) for name in SIDECAR_COLUMNS if name in names}
        line = reader.line_num
        for row in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue

            def cell(name: str) -> str:
                i = col.get(name)
                return row[i].strip() if i is not None and i < len(row) else ""

            doc_id = _sidecar_id(cell("doc_id"))
            if not doc_id:
                raise _error(path, "empty doc_id", start)
            key = id_key(doc_id)
            if key in seen:
                raise _error(path, f"duplicate doc_id {doc_id!r} (first on line {seen[key]})",
                             start)
            seen[key] = start
            parsed = parse_published(cell("published"), path=path, line=start)
            entries[doc_id] = SidecarEntry(
                doc_id=doc_id, published=parsed[0] if parsed else None,
                published_has_time=bool(parsed and parsed[1]), url=cell("url") or None,
                title=cell("title") or None, path=str(path), line=start)
    except csv.Error as exc:
        raise _error(path, f"not valid CSV: {exc}", reader.line_num) from None
    return entries


# --------------------------------------------------------------------------------------------
# folders and files


def _is_document_name(name: str) -> bool:
    return (not name.startswith(".") and name.lower() != SIDECAR_NAME
            and os.path.splitext(name)[1].lower() in DOCUMENT_SUFFIXES)


def _inside(target: Path, root: Path) -> bool:
    return target == root or root in target.parents


def document_files(folder: str | os.PathLike, *,
                   allow_outside_symlinks: bool = False) -> list[tuple[str, Path]]:
    """The documents of a folder (or one file) as ``(doc_id, path)``, sorted by doc id.

    A document is a regular file directly in ``folder`` (no recursion) whose suffix is one of
    :data:`DOCUMENT_SUFFIXES` (any case), except hidden files (name starting with ``.``) and the
    sidecar ``documents.csv``. Its doc id is the file stem.

    Policies:

    * **Unique ids.** Ids are compared NFC-normalised and case-folded, across suffixes: ``a.txt``
      and ``a.TXT`` (distinct on Linux, one file on macOS / Windows), or ``a.txt`` and
      ``a.html`` (the same article saved twice), are refused with an error naming both files
      rather than merged or renamed, because the id is how the sidecar, gold files and reports
      refer to an article and a silently renamed id would point them at the wrong text.
    * **Symbolic links.** A link whose target resolves outside ``folder`` is refused (error
      naming the link and its target) unless ``allow_outside_symlinks=True``; a link inside the
      folder is read. A broken link with a document suffix is an error naming it.

    Parameters
    ----------
    folder : str or PathLike
        A folder of documents, or a single document file.
    allow_outside_symlinks : bool
        Follow links to files outside the folder.

    Returns
    -------
    list of (str, Path)
        ``(doc_id, path)`` sorted by doc id; the paths are as listed (not resolved).

    Raises
    ------
    DocumentError
        ``folder`` is not a path, is missing, is neither a folder nor a regular file, cannot be
        listed (permissions), holds no documents, or breaks a policy above; the message names it.
    """
    if not isinstance(folder, (str, os.PathLike)) or (isinstance(folder, str) and not folder):
        raise DocumentError(f"documents path must be a folder or file path, not {folder!r}")
    folder = Path(folder)
    try:
        if not folder.exists():
            raise _error(folder, "documents folder not found")
        if folder.is_file():
            if not _is_document_name(folder.name):
                raise _error(folder, f"not a document (expected a file ending in "
                                     f"{', '.join(DOCUMENT_SUFFIXES)})")
            return [(folder.stem, folder)]
        if not folder.is_dir():
            raise _error(folder, "neither a folder nor a regular file")
        root = folder.resolve()
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except PermissionError:
        raise _error(folder, "cannot read the documents folder: permission denied") from None
    except OSError as exc:
        if isinstance(exc, DocumentError):
            raise
        raise _error(folder, f"cannot read the documents folder: {exc.strerror or exc}") from None
    found: dict[str, tuple[str, Path]] = {}
    for entry in entries:
        if not _is_document_name(entry.name):
            continue
        path = folder / entry.name
        try:
            if entry.is_symlink():
                target = path.resolve()
                if not target.exists():
                    raise _error(path, f"broken symbolic link (to {os.readlink(path)})")
                if not allow_outside_symlinks and not _inside(target, root):
                    raise _error(path, f"symbolic link to {target}, outside the documents folder "
                                       f"{root}; refused (pass allow_outside_symlinks=True to "
                                       "follow it)")
            if not entry.is_file():
                continue  # a folder named like a document
        except OSError as exc:
            if isinstance(exc, DocumentError):
                raise
            raise _error(path, f"cannot read: {exc.strerror or exc}") from None
        doc_id = Path(entry.name).stem
        key = id_key(doc_id)
        if key in found:
            other = found[key][1]
            raise _error(folder, f"{other.name} and {entry.name} both have doc id "
                                 f"{doc_id!r} (ids are the file stem, compared ignoring case "
                                 "and suffix); rename or remove one")
        found[key] = (doc_id, path)
    if not found:
        raise _error(folder, f"no documents (files ending in {', '.join(DOCUMENT_SUFFIXES)})")
    return sorted(found.values(), key=lambda pair: (pair[0], pair[1].name))


def document_limit(path: str | os.PathLike) -> int:
    """The size limit for a document, in bytes: :data:`MAX_HTML_BYTES` for a web page,
    :data:`MAX_DOCUMENT_BYTES` for anything else."""
    return MAX_HTML_BYTES if Path(path).suffix.lower() in HTML_SUFFIXES else MAX_DOCUMENT_BYTES


def read_document_bytes(path: str | os.PathLike, *, limit: int | None = None) -> bytes:
    """A document's bytes, refused beyond its size limit.

    Parameters
    ----------
    path : str or PathLike
        The file.
    limit : int, optional
        Largest size accepted, in bytes; default :func:`document_limit` (2 MB for text, 8 MB for
        a web page).

    Raises
    ------
    DocumentError
        The file cannot be read (missing, permissions, a folder), or holds more than ``limit``
        bytes; the message names the file and, for the limit, its size and the limit.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise DocumentError(f"document path must be a file path, not {type(path).__name__}")
    limit = document_limit(path) if limit is None else int(limit)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > limit:
                raise _error(path, f"{size:,} bytes, more than the {limit:,}-byte limit per "
                                   "document")
            data = fh.read(limit + 1)  # the size on disk may be wrong (growing file, /proc)
    except DocumentError:
        raise
    except OSError as exc:
        raise _error(path, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise _error(path, f"more than the {limit:,}-byte limit per document")
    return data
