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
from .pages import (HTML_SUFFIXES, SIDECAR_NAME, SidecarEntry, document_files, html_document,
                    parse_published, read_document_bytes, read_sidecar, split_front_matter)

#: Longest first line used as a title, in characters.
TITLE_MAX_CHARS = 160

THAI_TEXT_SHARE = 0.05
#: ...and above this many Thai letters (a short string of mojibake is mostly "Thai" letters).
THAI_MIN_LETTERS = 20

#: Line-level boilerplate rules: (pattern searched in the line, reason). The whole line is marked.


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
                  url: str | None = None, kind: str = "text", date_source: str = "sidecar") -> "Document":
        """Build a document from a string: repair, front matter, title and (if ``date``) dating."""
        if not isinstance(raw, str):
            raise DocumentError(f"document {doc_id!r}: text must be a str, got {type(raw).__name__}")
        fixed = repair_text(raw)
        meta, body = split_front_matter(fixed) if kind != "html" else ({}, 0)
        text = fixed[body:]
        source = date_source if published is not None else ""
        if published is None and meta.get("date"):
            parsed = parse_published(meta["date"], path=path or doc_id)
            if parsed is not None:
                published, source = (parsed[0] if isinstance(parsed, tuple) else parsed), "front_matter"
        title = title or meta.get("title") or _first_line(text)
        url = url or meta.get("url")
        dating = date_document(text, explicit=published, explicit_kind=source or "sidecar") if date else Dating(None)
        return cls(doc_id=doc_id, path=path, raw=raw, text=text, title=title, url=url, dating=dating,
                   kind="markdown" if meta or (path is not None and path.suffix.lower() in {".md", ".markdown"}) else kind,
                   encoding=encoding)


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
        doc = Document.from_text(doc_id, page.text, path, encoding=encoding, published=published,
                                 title=title or page.title, url=url or page.url, kind="html",
                                 date_source=source or "html_meta")
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
