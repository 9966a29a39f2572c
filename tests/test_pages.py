"""Tests for babaresearch.pages: front matter, saved web pages, the dates sidecar, folders, limits.

The HTML and Markdown fixtures under tests/fixtures/pages/ are written for these tests (no
third-party text). Each test says what a failure means.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from babaresearch import pages
from babaresearch.errors import BabaResearchError, DocumentError
from babaresearch.pages import (
    MAX_DOCUMENT_BYTES, MAX_HTML_BYTES, HtmlPage, SidecarEntry, document_files, html_document,
    parse_published, parse_timestamp, read_document_bytes, read_sidecar, split_front_matter,
)

FIXTURES = Path(__file__).parent / "fixtures" / "pages"


def page(name: str, **kw) -> HtmlPage:
    return html_document((FIXTURES / name).read_text(encoding="utf-8"), **kw)


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


# ------------------------------------------------------------------------------------------
# stamps


@pytest.mark.parametrize("raw, expected, has_time", [
    ("2024-08-15", "2024-08-15 00:00:00", False),
    ("2024-08-15T06:19:00-04:00", "2024-08-15 06:19:00-04:00", True),
    ("2024-08-15 06:19:00 -0400", "2024-08-15 06:19:00-04:00", True),  # Jekyll's form
    ("2024-08-15T21:05:00Z", "2024-08-15 21:05:00+00:00", True),
    ("2024-08-15T06:19", "2024-08-15 06:19:00", True),
    ("20240815", "2024-08-15 00:00:00", False),
    ("2024/08/15", "2024-08-15 00:00:00", False),
    ("Aug. 15, 2024 6:19 a.m. ET", "2024-08-15 06:19:00-04:00", True),
    ("January 9, 2024 4:05 PM ET", "2024-01-09 16:05:00-05:00", True),  # ET follows DST
    ("Thu, 15 Aug 2024 10:19:00 GMT", "2024-08-15 10:19:00+00:00", True),
    ("15 August 2024", "2024-08-15 00:00:00", False),
    ("'2024-08-15'", "2024-08-15 00:00:00", False),
])
def test_parse_timestamp_accepted_forms(raw, expected, has_time):
    # a failure means an explicit stamp in a common form is misread or its zone is lost
    stamp, flag = parse_timestamp(raw)
    assert stamp == pd.Timestamp(expected)
    assert (stamp.tz is not None) == (expected[-6] in "+-")
    assert flag is has_time


@pytest.mark.parametrize("raw", ["08/15/2024", "15.08.2024", "2024-02-30", "2024-13-01",
                                 "2500-01-01", "1600-01-01", "Aug 15", "yesterday", "", "   ",
                                 "2024-08-15T25:00:00", "x" * 500])
def test_parse_timestamp_refuses_ambiguous_impossible_and_out_of_range(raw):
    # a failure means a guessed day-first/month-first order, an impossible day, or a date pandas
    # cannot hold in nanoseconds is let through
    assert parse_timestamp(raw) is None


def test_parse_timestamp_is_nanosecond():
    # a failure means stamps come back in another unit than every other frame in the library
    assert parse_timestamp("2024-08-15")[0].unit == "ns"


def test_parse_published_names_file_and_line():
    # a failure means a bad user-written date is not reported with its file and line
    assert parse_published("", path="x.md") is None
    with pytest.raises(DocumentError, match=r"x\.md, line 3: front matter date 'soon'") as exc:
        parse_published("soon", path="x.md", line=3, field="front matter date")
    assert exc.value.path == "x.md" and exc.value.line == 3


# ------------------------------------------------------------------------------------------
# front matter


def test_front_matter_fixture():
    # a failure means front matter fields or the body offset are misread
    text = (FIXTURES / "article.md").read_text(encoding="utf-8")
    fields, start = split_front_matter(text)
    assert fields == {"title": "Nvidia's split: what changes on Monday",
                      "date": "2024-06-07 18:30:00 -0400",
                      "url": "https://notes.example.com/2024/06/07/nvidia-split", "tags": ""}
    assert text[start:].startswith("# Nvidia's split")
    assert parse_timestamp(fields["date"])[0] == pd.Timestamp("2024-06-07 22:30:00", tz="UTC")


def test_front_matter_bom_blank_lines_quotes_case_and_crlf():
    # a failure means a BOM, leading blank lines, Windows line ends or quoting break front matter
    text = "\ufeff\r\n---\r\nTitle: 'It''s up 5%'\r\nDATE: \"2024-01-02\"\r\nnote: a # c\r\n---\r\nBody"
    fields, start = split_front_matter(text)
    assert fields == {"title": "It's up 5%", "date": "2024-01-02", "note": "a"}
    assert text[start:] == "Body"


def test_front_matter_end_of_text_and_dots_closer():
    # a failure means a file that is only front matter, or the YAML "..." closer, is missed
    text = "---\ndate: 2024-01-02\n..."
    assert split_front_matter(text) == ({"date": "2024-01-02"}, len(text))


@pytest.mark.parametrize("text", [
    "No front matter\n---\ndate: 2024-01-02\n---\n",       # not at the start
    "---\nJust a rule then prose.\n---\nMore prose.",      # a horizontal rule, not fields
    "---\ndate: 2024-01-02\nno closing fence\n",             # never closed
    "---\n" + "k: v\n" * 100 + "---\n",                     # closer too far away
    "",
    "---",
])
def test_malformed_front_matter_is_text(text):
    # a failure means prose is swallowed as front matter (or an exception is raised)
    assert split_front_matter(text) == ({}, 0)


def test_front_matter_date_is_returned_raw():
    # a failure means the documented choice (validate in the caller, naming the file) changed
    fields, start = split_front_matter("---\ndate: next week\n---\nx")
    assert fields["date"] == "next week" and start > 0
    with pytest.raises(DocumentError, match="next week"):
        parse_published(fields["date"], path="a.md", field="front matter date")


# ------------------------------------------------------------------------------------------
# web pages


def test_news_page_main_text_drops_site_furniture():
    # a failure means navigation, cookie banner, related links or footer reach the claim text,
    # or the article's paragraphs / table are lost or glued together
    p = page("news_page.html")
    paras = paragraphs(p.text)
    assert paras[0] == "Alibaba cloud revenue climbs 18% in the June quarter"
    assert paras[1].startswith("Alibaba Group said on Thursday that revenue at its cloud")
    assert "Segment | Revenue (RMB bn) | Growth\nCloud Intelligence | 26.5 | 18%\n" \
           "Taobao and Tmall | 113.4 | -1%" in paras
    assert paras[-1].startswith("Shares listed in New York fell 1.2% in premarket trading")
    assert len(paras) == 6
    for furniture in ("cookie", "Subscribe", "Chip Stocks", "Dividend Stocks", "Harbor Street",
                      "Privacy", "Home", "By A. Writer"):
        assert furniture not in p.text, furniture


def test_news_page_metadata():
    # a failure means the stated publication instant (with its -04:00 offset), the title, the
    # canonical URL or the description is misread; or the modified time is used
    p = page("news_page.html")
    assert p.published == pd.Timestamp("2024-08-15 10:19:00", tz="UTC")
    assert str(p.published.tz) == "UTC-04:00"
    assert p.published_source == "meta article:published_time"
    assert p.published_has_time and p.published_raw == "2024-08-15T06:19:00-04:00"
    assert p.title == "Alibaba cloud revenue climbs 18% in the June quarter"
    assert p.url == "https://news.example.com/markets/alibaba-cloud-june-quarter"
    assert p.description == "The cloud unit grew faster than the group for a third quarter."


def test_in_article_promotions_dropped_and_json_ld_date():
    # a failure means a newsletter box, "Read more" link, share bar or comment inside the page
    # reaches the text, or JSON-LD datePublished (inside @graph, UTC) is missed
    p = page("promo_inside.html")
    assert paragraphs(p.text) == [
        "Nvidia shares slip after record quarter",
        "Nvidia reported first-quarter revenue of $26.0 billion on Wednesday, up 262% from a "
        "year ago, and announced a ten-for-one stock split effective June 7.",
        "Data center revenue reached a record $22.6 billion. The company raised its quarterly "
        "dividend by 150% to $0.10 a share on a pre-split basis.",
        "The stock slipped 0.5% in after-hours trading on Thursday morning after rising as much "
        "as 6% late Wednesday.",
    ]
    assert p.published == pd.Timestamp("2024-05-23 21:05:00", tz="UTC")
    assert p.published_source == "json-ld datePublished"
    assert p.title == "Nvidia shares slip after record quarter"  # " - Chip Daily" cut: h1 matches


def test_dated_url_only():
    # a failure means a /2024/04/09/ URL path is not used as the last-resort stamp, or the
    # footer's "Updated" <time> is taken for the publication date
    p = page("dated_url.html")
    assert p.published == pd.Timestamp("2024-04-09") and p.published.tz is None
    assert p.published_source == "url" and not p.published_has_time
    assert p.title == "Tencent and Alibaba lift Hang Seng tech gauge"
    assert p.text.startswith("Tencent and Alibaba lift Hang Seng tech gauge\n\nHong Kong's")


def test_url_argument_wins_and_dates():
    # a failure means the caller's URL (front matter / sidecar) is ignored
    html = "<html><body><article><p>" + "Revenue rose 5%. " * 20 + "</p></article></body></html>"
    p = html_document(html, url="https://x.example.com/news/2023-11-20/story")
    assert p.url == "https://x.example.com/news/2023-11-20/story"
    assert p.published == pd.Timestamp("2023-11-20") and p.published_source == "url"


def test_no_date_from_body_text_modified_time_or_footer():
    # a failure means a date was guessed from the body ("On March 3, 2024"), from
    # article:modified_time, from an "updated" <time> or from the footer's <time>
    p = page("no_date.html")
    assert p.published is None and p.published_source is None and p.published_raw is None
    assert p.title == "What the H20 export rules mean for Nvidia's China sales"
    assert "This site uses cookies" not in p.text and "Top 7 AI stocks" not in p.text
    assert "On March 3, 2024 the company said" in p.text


def test_time_element_in_header_adds_time_to_date_only_meta():
    # a failure means the header <time> (4:05 PM ET) does not refine the date-only pubdate, a
    # body <time> is taken instead, or the body's <time> text is deleted from the text
    p = page("time_header.html")
    assert p.published == pd.Timestamp("2024-05-14 20:05:00", tz="UTC")
    assert p.published_source == "time element" and p.published_has_time
    assert "The company last paid a dividend on January 11, 2024, and said" in p.text
    assert p.title == "Alibaba raises annual dividend"


def test_meta_date_only_is_naive():
    html = ('<html><head><meta name="DC.date.issued" content="2024-03-01"></head>'
            "<body><p>Hi</p></body></html>")
    p = html_document(html)
    # a failure means a date-only meta is given a time or zone it does not state
    assert p.published == pd.Timestamp("2024-03-01") and p.published.tz is None
    assert p.published_source == "meta dc.date.issued" and not p.published_has_time


def test_malformed_html_never_raises():
    # a failure means an XML declaration, a NUL byte, broken JSON-LD or unclosed tags crash the
    # load or lose the text
    p = page("malformed.html")
    assert p.title == "Broken page" and p.published is None
    for words in ("Shares of Nvidia rose 3% to $131.38 on Tuesday after the split.",
                  "Unclosed paragraph with 12% growth", "Q1", "$26.0B"):
        assert words in p.text
    assert "\x00" not in p.text


@pytest.mark.parametrize("html", ["", "   ", "<<<>>>", "<html></html>", "\x00\x01", "<p>",
                                  "<!-- only a comment -->", b"<p>bytes</p>", None])
def test_empty_and_junk_pages(html):
    # a failure means an empty or junk page raises instead of giving an empty document
    p = html_document(html)
    assert isinstance(p, HtmlPage) and p.published is None
    assert isinstance(p.text, str) and len(p.text) < 20


def test_empty_page_text_is_empty():
    assert page("empty.html") == HtmlPage("", None, None, None, None, None)


def test_fallback_when_trafilatura_finds_nothing(monkeypatch):
    # a failure means a page trafilatura gives up on loses its text, or the fallback keeps
    # scripts / navigation / footers
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    p = page("news_page.html")
    paras = paragraphs(p.text)
    assert "Alibaba cloud revenue climbs 18% in the June quarter" in paras
    assert any(x.startswith("Group revenue was RMB 243.2 billion") for x in paras)
    for furniture in ("Subscribe", "Chip Stocks", "All rights reserved"):
        assert furniture not in p.text
    assert p.published_source == "meta article:published_time"  # metadata is independent


def test_title_suffix_rules():
    # a failure means a headline's own dash is cut, or a "| Site" suffix is kept
    def title(t, extra=""):
        return html_document(f"<html><head><title>{t}</title>{extra}</head>"
                             "<body><p>x</p></body></html>").title
    assert title("Nvidia - a $3 trillion question") == "Nvidia - a $3 trillion question"
    assert title("Chips rally | Markets | The Ledger") == "Chips rally"
    assert title("Chips rally - The Ledger",
                 '<meta property="og:site_name" content="The Ledger">') == "Chips rally"
    assert title("Chips rally — ledger.example.com",
                 '<link rel="canonical" href="https://www.ledger.example.com/a">') == "Chips rally"
    assert title("| Only Site") == "| Only Site"


def test_saved_from_comment_gives_url():
    # a failure means the URL browsers record in a saved page is ignored
    html = ("<!-- saved from url=(0043)https://example.org/2022/01/31/a-story -->\n"
            "<html><body><p>Text</p></body></html>")
    p = html_document(html)
    assert p.url == "https://example.org/2022/01/31/a-story"
    assert p.published == pd.Timestamp("2022-01-31")


def test_import_is_light():
    # a failure means importing the module pulls trafilatura in (about 0.3 s) up front
    code = "import sys, babaresearch.pages; print('trafilatura' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(Path(pages.__file__)
                                                                        .parents[1])})
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------------------------------
# sidecar


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_sidecar_good(tmp_path):
    # a failure means a valid sidecar is misread (columns in any order and case, BOM, blank
    # rows, an id written with its suffix, empty cells, a quoted title with a comma)
    f = tmp_path / "documents.csv"
    f.write_bytes("\ufeffTitle,DOC_ID,published,url,extra\n"
                  '"Beats, again",alpha,2024-08-15,https://a.example/x,z\n'
                  "\n"
                  ",beta.html,2024-05-23T21:05:00Z,,\n"
                  ",gamma,,,\n".encode("utf-8"))
    got = read_sidecar(f)
    assert list(got) == ["alpha", "beta", "gamma"]
    assert got["alpha"] == SidecarEntry("alpha", pd.Timestamp("2024-08-15"), False,
                                        "https://a.example/x", "Beats, again", str(f), 2)
    assert got["beta"].published == pd.Timestamp("2024-05-23 21:05", tz="UTC")
    assert got["beta"].published_has_time and got["beta"].line == 4
    assert got["gamma"].published is None and got["gamma"].title is None


@pytest.mark.parametrize("text, match", [
    ("doc_id,published\na,2024-08-15\nb,15/08/2024\n", r"documents\.csv, line 3: published "
                                                       r"'15/08/2024' is not a date"),
    ("id,published\na,2024-08-15\n", r"documents\.csv, line 1: no doc_id column \(columns: id, "
                                     r"published\)"),
    ("doc_id\na\nb\nA\n", r"line 4: duplicate doc_id 'A' \(first on line 2\)"),
    ("doc_id\na.txt\na\n", r"line 3: duplicate doc_id 'a'"),
    ("doc_id,title\n,x\n", r"line 2: empty doc_id"),
    ("", r"documents\.csv: empty"),
    ('doc_id,title\n"a,b\n', r"documents\.csv"),
])
def test_sidecar_bad(tmp_path, text, match):
    # a failure means a bad sidecar row is accepted, or the error does not name file and line
    with pytest.raises(DocumentError, match=match):
        read_sidecar(write(tmp_path / "documents.csv", text))


def test_sidecar_multiline_cell_keeps_line_numbers(tmp_path):
    # a failure means line numbers drift after a quoted cell spanning lines
    f = write(tmp_path / "documents.csv", 'doc_id,title\na,"two\nlines"\nb,x\nc,y\nc,z\n')
    with pytest.raises(DocumentError, match="line 6: duplicate doc_id 'c'"):
        read_sidecar(f)


def test_sidecar_unreadable(tmp_path):
    # a failure means a missing, non-UTF-8 or wrong-type sidecar raises an untyped error
    with pytest.raises(DocumentError, match="missing.csv: cannot read"):
        read_sidecar(tmp_path / "missing.csv")
    f = tmp_path / "latin.csv"
    f.write_bytes(b"doc_id,title\na,caf\xe9\n")
    with pytest.raises(DocumentError, match=r"latin\.csv, line 2: not UTF-8"):
        read_sidecar(f)
    with pytest.raises(DocumentError, match="file path"):
        read_sidecar(None)
    with pytest.raises(DocumentError, match="cannot read"):
        read_sidecar(tmp_path)  # a folder


# ------------------------------------------------------------------------------------------
# folders


def make(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text("Revenue rose 5%.\n", encoding="utf-8")
    return folder


def test_document_files_lists_documents_sorted(tmp_path):
    # a failure means a document type is missed, or the sidecar, hidden files, other suffixes
    # or sub-folders are taken for documents
    folder = make(tmp_path / "docs", "b.md", "a.txt", "c.HTML", "d.htm", "e.markdown",
                  "documents.csv", ".hidden.txt", "notes.pdf", "f.TXT")
    (folder / "sub.txt").mkdir()
    got = document_files(folder)
    assert [(i, p.name) for i, p in got] == [("a", "a.txt"), ("b", "b.md"), ("c", "c.HTML"),
                                             ("d", "d.htm"), ("e", "e.markdown"),
                                             ("f", "f.TXT")]
    assert all(p.parent == folder for _, p in got)


def test_single_file_path(tmp_path):
    # a failure means a single document path is refused, or a non-document file accepted
    folder = make(tmp_path, "one.html", "x.pdf")
    assert document_files(folder / "one.html") == [("one", folder / "one.html")]
    with pytest.raises(DocumentError, match=r"x\.pdf: not a document"):
        document_files(folder / "x.pdf")


@pytest.mark.parametrize("names", [("a.txt", "a.TXT"), ("a.txt", "a.html"), ("Q3.md", "q3.htm"),
                                   ("caf\u00e9.txt", "cafe\u0301.md")])
def test_doc_id_clash_refused_naming_both(tmp_path, names):
    # a failure means two files with one doc id (case, suffix or Unicode form) are merged
    folder = make(tmp_path / "docs", *names)
    listed = sorted(p.name for p in folder.iterdir())
    with pytest.raises(DocumentError) as exc:
        document_files(folder)
    message = str(exc.value)
    assert listed[0] in message and listed[1] in message and "doc id" in message


def test_symlink_outside_refused_unless_allowed(tmp_path):
    # a failure means a link out of the documents folder is followed by default, or refused
    # when the caller allows it, or a link inside the folder is refused
    outside = make(tmp_path / "elsewhere", "secret.txt")
    folder = make(tmp_path / "docs", "a.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (folder / "leak.txt").symlink_to(outside / "secret.txt")
    with pytest.raises(DocumentError, match=r"leak\.txt: symbolic link to .*secret\.txt, outside"):
        document_files(folder)
    got = document_files(folder, allow_outside_symlinks=True)
    assert [i for i, _ in got] == ["a", "b", "leak"]
    (folder / "leak.txt").unlink()
    assert [i for i, _ in document_files(folder)] == ["a", "b"]


def test_broken_symlink_named(tmp_path):
    folder = make(tmp_path / "docs", "a.txt")
    (folder / "gone.md").symlink_to(tmp_path / "nowhere.md")
    # a failure means a dangling link is skipped silently or raises an untyped error
    with pytest.raises(DocumentError, match=r"gone\.md: broken symbolic link"):
        document_files(folder)


def test_folder_symlink_itself_is_fine(tmp_path):
    # a failure means a documents folder reached through a link is taken as "outside" itself
    folder = make(tmp_path / "docs", "a.txt")
    (tmp_path / "link").symlink_to(folder, target_is_directory=True)
    assert [i for i, _ in document_files(tmp_path / "link")] == ["a"]


def test_missing_empty_and_odd_paths(tmp_path):
    # a failure means a missing / empty / wrong-type path gives an untyped error or no name
    with pytest.raises(DocumentError, match=r"nope: documents folder not found"):
        document_files(tmp_path / "nope")
    empty = make(tmp_path / "empty", "documents.csv", "x.pdf")
    with pytest.raises(DocumentError, match=r"empty: no documents"):
        document_files(empty)
    for bad in (None, "", 3, b"docs"):
        with pytest.raises(DocumentError):
            document_files(bad)
    assert issubclass(DocumentError, BabaResearchError)


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_device_is_neither_folder_nor_file():
    with pytest.raises(DocumentError, match="neither a folder nor a regular file"):
        document_files("/dev/null")


def test_unreadable_folder_monkeypatched(tmp_path, monkeypatch):
    # a failure means a PermissionError from listing escapes as a traceback (works as root too)
    folder = make(tmp_path / "docs", "a.txt")

    def deny(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(pages.os, "scandir", deny)
    with pytest.raises(DocumentError, match=r"docs: cannot read the documents folder: permission"):
        document_files(folder)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root reads a chmod 000 folder anyway; the monkeypatched test covers it")
def test_unreadable_folder_chmod(tmp_path):
    folder = make(tmp_path / "docs", "a.txt")
    folder.chmod(0)
    try:
        with pytest.raises(DocumentError, match="permission denied"):
            document_files(folder)
    finally:
        folder.chmod(0o755)


# ------------------------------------------------------------------------------------------
# size limit


def test_size_limit(tmp_path):
    # a failure means a document beyond the documented limit is read (unbounded text passes)
    # or a document at the limit is refused
    assert MAX_DOCUMENT_BYTES == 2_000_000 and MAX_HTML_BYTES == 8_000_000
    ok = tmp_path / "ok.txt"
    ok.write_bytes(b"a" * MAX_DOCUMENT_BYTES)
    assert len(read_document_bytes(ok)) == MAX_DOCUMENT_BYTES
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_DOCUMENT_BYTES + 1))
    with pytest.raises(DocumentError, match=r"big\.txt: 2,000,001 bytes, more than the "
                                            r"2,000,000-byte limit"):
        read_document_bytes(big)
    page_file = tmp_path / "page.html"
    page_file.write_bytes(b"a" * (MAX_DOCUMENT_BYTES + 1))
    assert len(read_document_bytes(page_file)) == MAX_DOCUMENT_BYTES + 1  # pages may be larger
    with pytest.raises(DocumentError, match="10-byte limit"):
        read_document_bytes(page_file, limit=10)


def test_read_document_bytes_errors(tmp_path):
    # a failure means an unreadable file raises an untyped OSError without the file's name
    with pytest.raises(DocumentError, match=r"gone\.txt: cannot read"):
        read_document_bytes(tmp_path / "gone.txt")
    with pytest.raises(DocumentError, match="cannot read"):
        read_document_bytes(tmp_path)
    with pytest.raises(DocumentError, match="file path"):
        read_document_bytes(None)


def test_sidecar_is_size_limited(tmp_path):
    f = tmp_path / "documents.csv"
    f.write_bytes(b"doc_id\n" + b"a" * MAX_DOCUMENT_BYTES)
    # a failure means an oversized sidecar is read whole
    with pytest.raises(DocumentError, match="limit"):
        read_sidecar(f)


def test_hostile_metadata_is_survived():
    # a failure means JSON-LD nested deeper than Python recurses raises, or a body full of
    # <time> elements after the first paragraph is taken as the publication stamp
    deep = ('<html><head><script type="application/ld+json">' + "[" * 5000 + "]" * 5000
            + '</script><meta name="date" content="2024-02-01"></head><body><article><p>a</p>'
            + '<p>Shares fell <time datetime="2023-01-01">then</time>.</p>' * 2000
            + "</article></body></html>")
    p = html_document(deep)
    assert p.published == pd.Timestamp("2024-02-01") and p.published_source == "meta date"
    assert p.text.count("then") == 2000
