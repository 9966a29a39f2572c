"""Article dating with typed evidence (babaresearch.dating.date_document).

Texts are invented for the test. A failure means an article gets a different publication day
(or none), and every session a price claim is checked against shifts with it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from babaresearch.dating import CONFIDENCE, EVIDENCE_KINDS, Dating, date_document

T = pd.Timestamp


def _evidence(text: str, dating: Dating):
    return [(e.kind, str(e.date.date()), text[e.start:e.end] if e.start >= 0 else "") for e in dating.evidence]


def test_dateline_with_time_wins_over_body_dates():
    text = ("Alibaba shares rise on cloud\nNov 25, 2025 06:19:00 -0500\n"
            "Alibaba reported revenue on November 19, 2025. The stock closed higher on Nov. 20, 2025.\n")
    d = date_document(text)
    assert (d.published, d.confidence, d.hour, d.minute, d.source) == (T("2025-11-25"), "dateline", 6, 19, "dateline")
    first = d.evidence[0]
    assert text[first.start:first.end] == "Nov 25, 2025 06:19:00 -0500" and first.utc_offset == -5.0
    assert d.describe(text) == "2025-11-25 (dateline 'Nov 25, 2025 06:19:00 -0500')"


def test_dateline_time_is_converted_to_new_york():
    text = "Markets\n2025-11-25T03:00:00Z\nAlibaba stock fell.\n"
    d = date_document(text)
    assert (d.published, d.new_york_date, d.hour, d.minute) == (T("2025-11-25"), T("2025-11-24"), 22, 0), (
        "published is the day as stated (UTC); in New York 03:00 UTC is 22:00 ET the day before")


def test_agency_dateline_year_from_the_release_it_reports():
    text = ("HANGZHOU (Agency) Feb. 21 -- Alibaba shares jumped 8% after the company reported results "
            "for the quarter ended December 31, 2024.\n")
    d = date_document(text)
    assert (d.published, d.confidence, d.source) == (T("2025-02-21"), "dateline", "dateline")
    assert text[d.evidence[0].start:d.evidence[0].end] == "Feb. 21"
    assert "year 2025" in d.evidence[0].detail


def test_photo_caption_date_is_ignored():
    text = ("Photo: the Alibaba campus in Hangzhou, March 3, 2025.\n"
            "Alibaba shares closed 2% higher on Nov. 20, 2025, after a strong session.\n")
    d = date_document(text)
    assert d.published == T("2025-11-20")
    assert all(e.date != T("2025-03-03") for e in d.evidence), _evidence(text, d)


def test_caption_alone_leaves_the_article_undated():
    text = "Market wrap\nAlibaba stock climbed.\nA trader works on the floor in a photo taken March 3, 2025.\n"
    d = date_document(text)
    assert (d.published, d.confidence, d.evidence) == (None, "none", ())


@pytest.mark.parametrize("text", [
    "Alibaba expects fourth-quarter revenue to grow. Analysts will watch the report.\n",
    "Alibaba expects fourth-quarter fiscal 2025 revenue growth to be strong.\n",
    "Alibaba expects fiscal Q4 2025 revenue to rise, analysts said in a note.\n",
])
def test_guided_future_quarter_never_dates(text):
    assert date_document(text).published is None


def test_will_report_on_a_date_never_dates():
    text = "Alibaba will report results for the quarter ended March 31, 2025 on May 15, 2025.\n"
    assert date_document(text).published is None


def test_reported_fiscal_quarter_dates_by_its_release():
    d = date_document("Alibaba reported fiscal Q4 2025 revenue that rose 7%.\n", main_ticker="BABA")
    assert (d.published, d.confidence, d.source) == (T("2025-05-15"), "inferred", "release")
    assert "BABA FY2025Q4" in d.evidence[0].detail


def test_yearless_weekday_date_takes_the_year_its_weekday_fits():
    tuesday = date_document("Market notes\nTuesday September 30\nAlibaba shares closed up 3% after a strong session.\n")
    assert (tuesday.published, tuesday.confidence) == (T("2025-09-30"), "dateline")
    monday = date_document("Market notes\nMonday September 30\nAlibaba shares closed up 3% after a strong session.\n")
    assert monday.published == T("2024-09-30"), "2024-09-30 was a Monday; 2025-09-30 a Tuesday"


def test_session_the_text_says_closed():
    text = "Alibaba closed the Aug. 27 trading session down 3%, two days before its August 29, 2025 results."
    d = date_document(text)
    assert (d.published, d.confidence, d.source) == (T("2025-08-29"), "inferred", "session")


# ------------------------------------------------------------------ explicit dates
def test_explicit_date_wins_over_the_text():
    text = "Nov 25, 2025 06:19:00 -0500\nAlibaba stock fell.\n"
    d = date_document(text, explicit=T("2025-03-04"))
    assert (d.published, d.confidence, d.source, d.hour) == (T("2025-03-04"), "explicit", "sidecar", None)
    assert d.describe(text) == "2025-03-04 (sidecar)"


def test_explicit_tz_aware_stamp_keeps_new_york_time():
    d = date_document("body", explicit=T("2025-03-04T21:30:00Z"), explicit_kind="front_matter")
    assert (d.published, d.hour, d.minute, d.source) == (T("2025-03-04"), 16, 30, "front_matter")


def test_explicit_nat_is_ignored():
    d = date_document("Nov 25, 2025 06:19:00 -0500\nbody\n", explicit=pd.NaT)
    assert (d.published, d.confidence) == (T("2025-11-25"), "dateline")


# ------------------------------------------------------------------ nothing to date by
@pytest.mark.parametrize("text", ["", "Nothing dated here at all."])
def test_undated(text):
    d = date_document(text)
    assert (d.published, d.confidence, d.source) == (None, "none", "")
    assert d.describe(text) == "undated: no date evidence in the text"


def test_evidence_kinds_and_confidences_are_declared():
    text = ("Alibaba shares rise on cloud\nNov 25, 2025 06:19:00 -0500\n"
            "Alibaba reported fiscal Q4 2025 revenue that rose 7%.\n")
    for d in (date_document(text), date_document("Alibaba reported fiscal Q4 2025 revenue that rose 7%.")):
        assert d.confidence in CONFIDENCE
        assert all(e.kind in EVIDENCE_KINDS and e.confidence in CONFIDENCE for e in d.evidence)


def test_a_dateline_takes_a_filed_time_stated_apart():
    text = "SHANGHAI, Aug 29 2025 (Wire) - Alibaba shares jumped on Friday.\nfiled 2105 GMT\n"
    d = date_document(text)
    assert (d.published, d.hour, d.minute) == (T("2025-08-29"), 17, 5), "21:05 GMT is 17:05 in New York (EDT)"
    assert d.session_closed
