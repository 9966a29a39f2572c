"""Documents: loading, mojibake repair, boilerplate, whitespace view, as-of dating.

Adverts, headlines and sentences here are invented for the test; the seed articles are only read
through the ``seeds_dir`` fixture and addressed by short spans.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from babaresearch.documents import (
    Document, decode_bytes, estimate_as_of, find_boilerplate, load_document, load_documents,
    normalize_whitespace, repair_thai_mojibake, repair_text,
)
from babaresearch.errors import BabaResearchError, DocumentError

from pathlib import Path

def resource(*parts: str) -> Path:
    """Path of a committed test fixture (the synthetic articles live in fixtures/articles)."""
    return Path(__file__).resolve().parent.joinpath("fixtures", *parts)


def _thai_mojibake(text: str) -> str:
    """UTF-8 bytes read as Windows-874, undefined bytes as Windows-1252 (stdlib codecs only)."""
    out = []
    for byte in text.encode("utf-8"):
        one = bytes([byte])
        for codec in ("cp874", "cp1252", "latin-1"):
            try:
                out.append(one.decode(codec))
                break
            except UnicodeDecodeError:
                continue
    return "".join(out)


# ------------------------------------------------------------------ loading
def test_load_folder_sorted_by_stem(tmp_path):
    (tmp_path / "b_two.txt").write_text("Second.", encoding="utf-8")
    (tmp_path / "a_one.txt").write_text("First.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    docs = load_documents(tmp_path)
    assert [d.doc_id for d in docs] == ["a_one", "b_two"], "ids are stems, sorted; .md ignored"
    assert docs[0].path == tmp_path / "a_one.txt" and docs[0].raw == "First."
    assert load_documents(str(tmp_path / "a_one.txt"))[0].doc_id == "a_one", "a single file works"


def test_missing_folder_names_path(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(DocumentError, match="nope"):
        load_documents(missing)


def test_folder_without_txt_names_path(tmp_path):
    (tmp_path / "x.csv").write_text("a,b", encoding="utf-8")
    with pytest.raises(DocumentError, match=str(tmp_path.name)) as info:
        load_documents(tmp_path)
    assert isinstance(info.value, BabaResearchError) and "no .txt" in str(info.value)


def test_unreadable_file_names_file(tmp_path):
    with pytest.raises(DocumentError, match="ghost.txt"):
        load_document(tmp_path / "ghost.txt")


def test_invalid_utf8_bytes_decoded_not_crashing(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(b"Caf\xe9 sales grew 12% in Q2 2025.")
    doc = load_documents(tmp_path)[0]
    assert doc.encoding == "sloppy-windows-1252" and doc.text == "Café sales grew 12% in Q2 2025."


def test_utf8_bom_crlf_and_utf16():
    text, enc = decode_bytes("\ufeffA\r\nB".encode("utf-8"))
    assert (text, enc) == ("A\r\nB", "utf-8"), "the BOM is dropped"
    assert repair_text(text) == "A\nB", "ftfy normalises line breaks"
    assert decode_bytes("Hi 5%".encode("utf-16")) == ("Hi 5%", "utf-16")


def test_empty_file(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    doc = load_documents(tmp_path)[0]
    assert doc.text == "" and doc.boilerplate == [] and doc.as_of is None
    assert doc.as_of_evidence == "no dated reference found"


# ------------------------------------------------------------------ mojibake
@pytest.mark.parametrize("clean", ["Licence \u2014 Save", "\U0001f4bb Office", "\u26a1 Short Recap",
                                   "\u2022 bullet and \u201cquotes\u201d"])
def test_thai_code_page_mojibake_repaired(clean):
    broken = _thai_mojibake(clean)
    assert broken != clean or clean.isascii()
    assert repair_text(broken) == clean, f"{broken!r} must repair to {clean!r}"


def test_mojibake_file_roundtrip(tmp_path):
    clean = "Vendor Ships 90,000 Test Boards \u2014 a record \U0001f4bb\nCurly \u2019quote\u2019 kept."
    (tmp_path / "m.txt").write_text(_thai_mojibake(clean), encoding="utf-8")
    doc = load_documents(tmp_path)[0]
    assert doc.text == clean and doc.raw != clean


def test_genuine_thai_text_untouched():
    thai = "ภาษาไทยเป็นภาษาที่สวยงาม " * 3
    assert repair_thai_mojibake(thai) == thai, "a Thai document is not mojibake"


# ------------------------------------------------------------------ boilerplate
def test_fixture_boilerplate_spans():
    doc = {d.doc_id: d for d in load_documents(resource("articles"))}["alpha_results"]
    reasons = {doc.text[lo:hi]: why for lo, hi, why in doc.boilerplate}
    assert reasons == {
        "Why Rocket Stock Could Double To $900": "link headline",
        "Licensed Office Suite Keys \u2014 Save Up to 85% Off List Price": "software advert",
        "Image by Jane Roe from Pixabay": "image credit",
    }
    head = doc.text.index("Why Rocket")
    assert doc.is_boilerplate(head, head + 3) and not doc.is_boilerplate(0, 10)
    assert doc.text[head - 2:head] == ". ", "only the glued headline is marked, not its sentence"
    blank = doc.content()
    assert len(blank) == len(doc.text) and "Rocket" not in blank and "Pixabay" not in blank


def test_boilerplate_rules_on_text():
    text = ("Real sentence here.\nStay ahead of the market.\nGet curated weekly market news by email.\n"
            "Comments\nNo comments yet\nLatest Articles\nAI Writing Agent Someone. Writes.\n"
            "Trefis model portfolios, updated daily\nFirms use them. Staff buy a cheap Windows 10 key "
            "for home PCs. Last sentence.\n")
    spans = find_boilerplate(text)
    marked = [text[lo:hi] for lo, hi, _ in spans]
    assert "Real sentence here." not in marked and "Firms use them." not in " ".join(marked)
    assert "Staff buy a cheap Windows 10 key for home PCs." in marked
    assert len(spans) == 8
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "sorted, non-overlapping"


@pytest.mark.parametrize("advert", [
    "Licensed Office Suite Keys \u2014 Save Up to 85% Off List Price",
    "Pro Photo Editor: Up To 60% Off Today Only",
    "Antivirus bundle, 70% off MSRP",
    "Save 40% Off Annual Plans",
])
def test_invented_discount_adverts_are_boilerplate(advert):
    text = f"Sales rose 5% in the quarter.\n{advert}\nMargins held.\n"
    spans = find_boilerplate(text)
    assert [text[lo:hi] for lo, hi, _ in spans] == [advert], f"{advert!r} is an advert line"


def test_prose_discount_words_are_not_adverts():
    text = "Shares were up to 5% off their high, and the shop was 20% off its peak traffic.\n"
    assert find_boilerplate(text) == [], "lower-case prose with 'off' is not a discount advert"


def test_no_boilerplate_in_plain_text():
    assert find_boilerplate("") == [] and find_boilerplate("Sales rose 5%. How it happened.") == []


# ------------------------------------------------------------------ normalized view
def test_normalized_view_maps_back():
    text = "  Cloud   revenue\n\n grew  34%  "
    view = normalize_whitespace(text)
    assert view.text == "Cloud revenue grew 34%"
    lo, hi = view.to_original(view.text.index("grew 34%"), len(view.text))
    assert text[lo:hi] == "grew  34%"
    assert view.find_all("revenue grew") == [(10, 24)] and text[10:24] == "revenue\n\n grew"
    assert view.find_all("") == [] and view.to_original(0, 0) == (2, 2)
    with pytest.raises(IndexError):
        view.to_original(0, 99)


@settings(max_examples=80, deadline=None)
@given(st.text(st.sampled_from("ab \n\t\u00a0c1%"), max_size=40))
def test_property_normalized_offsets(text):
    view = normalize_whitespace(text)
    assert len(view.offsets) == len(view.text) + 1
    for i, ch in enumerate(view.text):
        original = text[view.offsets[i]]
        assert original == ch or (ch == " " and original.isspace())


# ------------------------------------------------------------------ dating
def test_fixture_dating():
    docs = {d.doc_id: d for d in load_documents(resource("articles"))}
    alpha, beta = docs["alpha_results"], docs["beta_outlook"]
    assert alpha.as_of == pd.Timestamp("2025-08-29"), "Q2 2025 results were released 2025-08-29"
    assert "Q2 2025" in alpha.as_of_evidence and "FY2026Q1" in alpha.as_of_evidence
    assert beta.as_of == pd.Timestamp("2025-11-19") and "November 19, 2025" in beta.as_of_evidence


@pytest.mark.parametrize("text, expected, evidence", [
    ("Shares jumped in Friday's trading after the Q1 earnings report.", "2025-08-29", "Friday"),
    ("Strong figures came for the March quarter of 2026.", "2026-05-13", "FY2026Q4"),
    ("WSJ reported a new chip this week.", "2025-08-29", "WSJ"),
    # a fiscal quarter is the ticker's own fiscal quarter, not the calendar quarter of that name
    ("Nvidia revenue for fiscal Q4 2025 beat.", "2025-02-26", "NVDA FY2025Q4"),
    ("Nvidia results for Q4 FY25 beat.", "2025-02-26", "NVDA FY2025Q4"),
    ("Nvidia: the fourth quarter of fiscal 2026 was big.", "2026-02-25", "NVDA FY2026Q4"),
    ("It pledged RMB 380bn for servers.", "2025-02-24", "amount"),
    ("The December quarter of 2030 will be big.", "2030-12-31", "not in the earnings calendar"),
    # Alibaba's own wording puts the year between month and "quarter"
    ("Cloud sales for the September 2025 quarter were strong.", "2025-11-25", "BABA FY2026Q2"),
    ("Alibaba's June-2025 quarter was strong.", "2025-08-29", "BABA FY2026Q1"),
    # NVIDIA's fiscal quarter covering calendar Q3 2025 ended 2025-10-26, weeks before the
    # calendar quarter's end: periods.resolve_period ties it to the 2025-11-19 release
    ("NVIDIA reported Q3 2025 revenue above forecasts.", "2025-11-19", "NVDA FY2026Q3 results released 2025-11-19"),
    ("NVIDIA's third quarter of 2024 set a record.", "2024-11-20", "NVDA FY2025Q3"),
])
def test_dating_rules(text, expected, evidence):
    as_of, why = estimate_as_of(text)
    assert as_of == pd.Timestamp(expected), why
    assert evidence in why


def test_dating_without_evidence():
    assert estimate_as_of("Nothing dated here at all.") == (None, "no dated reference found")


def test_seed_dating(seeds_dir):
    docs = {d.doc_id[:3]: d for d in load_documents(seeds_dir)}
    expected = {"000": "2026-05-13", "001": "2025-11-25", "002": "2026-03-20",
                "003": "2025-08-29", "004": "2025-08-29"}
    for key, date in expected.items():
        assert docs[key].as_of == pd.Timestamp(date), f"seed {key}: {docs[key].as_of_evidence}"
    assert "Q3 2025" in docs["001"].as_of_evidence
    assert "Friday" in docs["003"].as_of_evidence and "WSJ" in docs["004"].as_of_evidence


def test_seed_text_repaired_and_boilerplate(seeds_dir):
    docs = {d.doc_id[:3]: d for d in load_documents(seeds_dir)}
    assert [d for d in docs] == ["000", "001", "002", "003", "004"]
    text = docs["002"].text
    assert "\u0e42\u20ac" not in text and "\u2014" in text and "90% Off Retail" in text, "cp874 mojibake fixed"
    assert "\U0001f4bb" in text and "\u26a1" in text
    for doc in docs.values():
        assert doc.raw and len(doc.text) > 1000
    covered = {key: [doc.text[lo:hi] for lo, hi, _ in doc.boilerplate] for key, doc in docs.items()}
    assert any("90% Off Retail" in s for s in covered["002"])
    assert any("Windows 11 key" in s for s in covered["002"])
    headlines = [docs["003"].text[lo:hi] for lo, hi, why in docs["003"].boilerplate if why == "link headline"]
    assert len(headlines) == 1 and "$450" in headlines[0] and "Snowflake" in headlines[0]
    start = docs["003"].text.index(headlines[0])
    assert docs["003"].text[start - 2:start] == ". ", "just the glued link headline, not its sentence"
    assert sum("Trefis" in s for s in covered["003"]) == 3
    assert any(s.startswith("Image by") for s in covered["003"])
    assert {"Latest Articles", "Comments", "No comments yet", "Stay ahead of the market."} <= set(covered["001"])
    assert any(s.startswith("AI Writing Agent") for s in covered["001"])
    assert any(s.startswith("Get curated") for s in covered["001"])
    assert covered["000"] == [] and covered["004"] == [], "no adverts in seeds 000 and 004"


def test_from_text_document_methods():
    doc = Document.from_text("t", "Sales rose 5%.\nComments\n")
    assert doc.path is None and doc.boilerplate == [(15, 23, "comments widget")]
    assert doc.is_boilerplate(16, 16) and not doc.is_boilerplate(0, 0)
    assert doc.normalized().text == "Sales rose 5%. Comments"
