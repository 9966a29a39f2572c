"""Claim extraction: value grammar, traps, context rules, seed articles, properties."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from babaresearch.claims import (
    CLAIM_COLUMNS, DATE_COLUMNS, METRICS, QUALIFIERS, extract_claims, extract_dates,
    extract_document_claims,
)
from babaresearch.documents import Document, load_documents

from pathlib import Path

def resource(*parts: str) -> Path:
    """Path of a committed test fixture (the synthetic articles live in fixtures/articles)."""
    return Path(__file__).resolve().parent.joinpath("fixtures", *parts)


def one(text: str, **kw) -> pd.Series:
    frame = extract_claims(text, **kw)
    assert len(frame) == 1, f"expected exactly one claim in {text!r}, got {frame['quote'].tolist()}"
    return frame.iloc[0]


# ------------------------------------------------------------------ value grammar
@pytest.mark.parametrize("text, quote, value, unit", [
    ("It pledged $53 billion to the plan.", "$53 billion", 53e9, "USD"),
    ("Downloads hit 600 million this year.", "600 million", 6e8, "count"),
    ("It shipped 470,000 chips.", "470,000", 470_000.0, "count"),
    ("Cloud sales grew 34% in the period.", "34%", 34.0, "%"),
    ("Cash outflow was RMB 21.8 billion.", "RMB 21.8 billion", -21.8e9, "CNY"),
    ("It will spend 380 billion yuan on servers.", "380 billion yuan", 3.8e11, "CNY"),
    ("Sales were $27 billion last year.", "$27 billion", 27e9, "USD"),
    ("The stock closed at $135 a share.", "$135", 135.0, "USD"),
    ("Built on a 7 nanometer process.", "7 nanometer", 7.0, "nm"),
    ("A 5nm part.", "5nm", 5.0, "nm"),
    ("It raised US$1.5bn in bonds.", "US$1.5bn", 1.5e9, "USD"),
    ("Listed at HK$20 in Hong Kong.", "HK$20", 20.0, "HKD"),
    ("Margins rose 2.5 per cent.", "2.5 per cent", 2.5, "%"),
    ("A campus of 12 GW of power.", "12 GW", 12.0, "GW"),
])
def test_value_grammar(text, quote, value, unit):
    row = one(text)
    assert row["quote"] == quote, "the quote must be the matched span"
    assert row["value"] == pytest.approx(value, rel=1e-12), f"{quote} must parse to {value}"
    assert row["unit"] == unit, f"{quote} must have unit {unit}"
    assert text[row["start"]:row["end"]] == row["quote"], "offsets must point at the quote"


def test_decimal_scale_is_exact():
    # 21.8 * 1e9 in binary floating point is 21800000000.000004; Decimal keeps it exact
    assert abs(one("An outflow of RMB 21.8 billion.")["value"]) == 21_800_000_000.0


@pytest.mark.parametrize("text, quote, qualifier, approx", [
    ("The stock rose close to 13% on the day.", "close to 13%", "close to", True),
    ("The stock traded at about $135 a share.", "about $135", "about", True),
    ("Shares are up almost 60% year-to-date.", "almost 60%", "almost", True),
    ("It open-sourced over 300 models.", "over 300", "over", True),
    ("It sold more than 40 servers.", "more than 40", "more than", True),
    ("Discounts of up to 15% apply to cloud plans.", "up to 15%", "up to", True),
    ("Sales rose to an expected $206 billion.", "expected $206 billion", "expected", False),
    ("Revenue grew 34% in the year.", "34%", "", False),
])
def test_qualifiers(text, quote, qualifier, approx):
    row = one(text)
    assert (row["quote"], row["qualifier"], bool(row["approx"])) == (quote, qualifier, approx)


def test_far_expected_qualifier_outside_quote():
    row = one("The chip is expected to be built on a 7 nanometer process.")
    assert row["quote"] == "7 nanometer" and row["qualifier"] == "expected"


@pytest.mark.parametrize("text, value, metric", [
    ("Revenue posted triple-digit growth for the ninth consecutive quarter.", None, None),
])
def test_streak_and_band(text, value, metric):
    frame = extract_claims(text)
    assert frame["quote"].tolist() == ["triple-digit growth", "ninth consecutive quarter"]
    assert frame["value"].tolist() == [100.0, 9.0]
    assert frame["unit"].tolist() == ["%", "count"]
    assert frame["metric"].tolist() == ["revenue growth", "consecutive quarters"]
    assert frame["qualifier"].tolist() == ["at least", ""]


@pytest.mark.parametrize("words, count", [("eight consecutive quarters", 8.0),
                                          ("12th straight quarter", 12.0),
                                          ("third successive year", 3.0)])
def test_streak_counts(words, count):
    assert one(f"Growth held for {words}.")["value"] == count


# ------------------------------------------------------------------ traps
@pytest.mark.parametrize("text", [
    "Nvidia's H20 and H100s and H200 are chips.",
    "The Hanguang 800 aimed at older models.",
    "Its Hanguang 800 AI inference chip was early.",
    "Qwen3-Max is a large model.",
    "Teams run Windows 11 key workstations.",
    "From x86 servers to ARM designs.",
    "In 2019 the company launched a chip; work began in 2018.",
    "The results came on March 20, 2026 and in August 2025.",
    "The 30-Second Verdict",
    "Support is 24/7 and latency p50/p95 is reported.",
    "Our Top 10 picks and the S&P 500 index.",
    "Ask for the cost per million tokens.",
    "The 2026-era workloads will grow.",
    "The EC2 + vLLM stack.",
    "",
    "   \n\n",
])
def test_traps_are_not_claims(text):
    frame = extract_claims(text)
    assert frame.empty, f"no quantitative claim in {text!r}, got {frame['quote'].tolist()}"


def test_advert_and_link_headline_skipped_by_default_but_not_with_empty_skip():
    text = ("The chip is compatible with common tools. How Rocket Stock Soars To $900\n"
            "Genuine Microsoft Software \u2014 Up to 90% Off Retail\n")
    assert extract_claims(text).empty, "adverts and glued link headlines are boilerplate"
    kept = extract_claims(text, skip=[])
    assert set(kept["quote"]) == {"$900", "Up to 90%"}, "skip=[] keeps every number"


# ------------------------------------------------------------------ context rules
def test_subject_metric_period_in_one_sentence():
    text = ("Alibaba stock surged by close to 13% in Friday's trading to about $135 per share. "
            "In Q3 2025, cloud revenue grew 34% year-over-year.")
    frame = extract_claims(text)
    assert frame["metric"].tolist() == ["price move", "share price", "revenue growth"]
    assert frame["period_label"].tolist() == ["Friday", "Friday", "Q3 2025"]
    assert frame["subject"].tolist() == ["Alibaba", "Alibaba", "Alibaba Cloud"]


def test_each_number_takes_its_own_period():
    frame = extract_claims("Nvidia sales rose from $27 billion in FY'23 to an expected $206 billion in FY'26.")
    assert frame["period_label"].tolist() == ["FY'23", "FY'26"]
    assert frame["subject"].tolist() == ["NVIDIA", "NVIDIA"]
    assert frame["metric"].tolist() == ["revenue", "revenue"]


def test_future_period_in_other_clause_is_not_borrowed():
    text = "New chips arrive later this year, with lessons from the 500,000-unit fleet."
    assert one(text)["period_label"] == "", "'later this year' is about the new chips"


def test_market_share_subjects_and_reference_products():
    frame = extract_claims("Alibaba's global cloud market share (4%) lags AWS (29%) and Azure (20%).")
    assert frame["subject"].tolist() == ["Alibaba Cloud", "AWS", "Azure"]
    assert set(frame["metric"]) == {"market share"}
    ratio = extract_claims("The T-Head chip reaches 80% of Nvidia's H20 performance at half the cost.")
    assert ratio["metric"].tolist() == ["performance ratio", "cost ratio"]
    assert ratio["subject"].tolist() == ["T-Head", "T-Head"], "Nvidia is the reference, not the subject"


def test_market_size_subject_is_the_market():
    row = one("It can win in the $400 billion cloud infrastructure market.")
    assert (row["metric"], row["subject"], row["value"]) == ("market size", "cloud infrastructure market", 4e11)


def test_metric_vocabulary_is_closed():
    text = open(resource("articles", "alpha_results.txt"), encoding="utf-8").read()
    frame = extract_claims(text)
    assert set(frame["metric"]) <= set(METRICS) and set(frame["qualifier"]) <= set(QUALIFIERS)


def test_columns_and_dtypes_empty_and_full():
    empty = extract_claims("nothing here")
    assert tuple(empty.columns) == CLAIM_COLUMNS and empty.empty
    full = extract_claims("Sales rose 5%.", doc_id="x")
    assert tuple(full.columns) == CLAIM_COLUMNS
    assert full["start"].dtype == "int64" and full["value"].dtype == "float64"
    assert full["approx"].dtype == bool and full["doc_id"].tolist() == ["x"]


def test_rejects_non_string():
    with pytest.raises(TypeError, match="expects a str"):
        extract_claims(b"5%")  # type: ignore[arg-type]


# ------------------------------------------------------------------ dates
def test_extract_dates():
    text = "Results on March 20, 2026; a chip in August 2025; filed 2025-08-29; bogus February 30, 2025."
    frame = extract_dates(text, doc_id="d")
    assert tuple(frame.columns) == DATE_COLUMNS
    assert frame["quote"].tolist() == ["March 20, 2026", "August 2025", "2025-08-29"]
    assert frame["date"].tolist() == [pd.Timestamp("2026-03-20"), pd.Timestamp("2025-08-01"),
                                      pd.Timestamp("2025-08-29")]
    assert frame["precision"].tolist() == ["day", "month", "day"]
    assert all(text[s:e] == q for s, e, q in zip(frame["start"], frame["end"], frame["quote"]))
    assert extract_dates("").empty


# ------------------------------------------------------------------ synthetic documents
def test_synthetic_article_claims():
    docs = {d.doc_id: d for d in load_documents(resource("articles"))}
    frame = extract_document_claims(docs["alpha_results"])
    assert frame["quote"].tolist() == ["nearly 8%", "about $120", "more than 40%", "18%",
                                       "triple-digit growth", "seventh consecutive quarter", "250,000"]
    assert frame["metric"].tolist() == ["price move", "share price", "YTD return", "revenue growth",
                                        "revenue growth", "consecutive quarters", "units shipped"]
    assert frame["period_label"].tolist()[:4] == ["Thursday", "Thursday", "year-to-date", "Q2 2025"]
    assert frame["subject"].iloc[-1] == "T-Head"
    beta = extract_document_claims(docs["beta_outlook"])
    assert beta["quote"].tolist() == ["$51.2 billion", "about $65 billion", "4 nanometer", "RMB 50 billion"]
    assert beta["period_label"].tolist() == ["the quarter", "next quarter", "", "five years"]
    assert set(beta["subject"]) == {"NVIDIA"}


# ------------------------------------------------------------------ seeds
def _seed_claims(seeds_dir):
    return {d.doc_id[:3]: (d, extract_document_claims(d)) for d in load_documents(seeds_dir)}


def _row(frame, quote, nth=0):
    rows = frame[frame["quote"] == quote]
    assert len(rows) > nth, f"claim {quote!r} missing; got {frame['quote'].tolist()}"
    return rows.iloc[nth]


def test_seed_003_claims(seeds_dir):
    _, frame = _seed_claims(seeds_dir)["003"]
    expect = [  # quote, value, unit, qualifier, metric, period, subject
        ("close to 13%", 13.0, "%", "close to", "price move", "Friday", "Alibaba"),
        ("about $135", 135.0, "USD", "about", "share price", "Friday", "Alibaba"),
        ("almost 60%", 60.0, "%", "almost", "YTD return", "year-to-date", "Alibaba"),
        ("7 nanometer", 7.0, "nm", "expected", "process node", "", "Alibaba"),
        ("$27 billion", 2.7e10, "USD", "", "revenue", "FY\u201923", "NVIDIA"),
        ("expected $206 billion", 2.06e11, "USD", "expected", "revenue", "FY\u201926", "NVIDIA"),
        ("380 billion yuan", 3.8e11, "CNY", "", "capex", "three years", "Alibaba"),
        ("about $53 billion", 5.3e10, "USD", "about", "capex", "three years", "Alibaba"),
        ("26%", 26.0, "%", "", "revenue growth", "last quarter", "Alibaba Cloud"),
        ("eight consecutive quarters", 8.0, "count", "", "consecutive quarters", "last quarter", "Alibaba Cloud"),
    ]
    for quote, value, unit, qualifier, metric, period, subject in expect:
        row = _row(frame, quote)
        got = (row["value"], row["unit"], row["qualifier"], row["metric"], row["period_label"], row["subject"])
        assert got == (value, unit, qualifier, metric, period, subject), f"seed 003 claim {quote!r}"
    assert not frame["quote"].str.contains("450|800|2019|30 stocks|H20").any(), "traps in seed 003"
    assert len(frame) == 11, "10 pinned claims plus 'triple-digit growth'"


def test_seed_001_claims(seeds_dir):
    _, frame = _seed_claims(seeds_dir)["001"]
    expect = [
        ("80%", 0, 80.0, "%", "", "performance ratio", ""),
        ("half the cost", 0, 50.0, "%", "", "cost ratio", ""),
        ("34%", 0, 34.0, "%", "", "market share", "Q2 2025"),
        ("over 300", 0, 300.0, "count", "over", "model count", ""),
        ("600 million", 0, 6e8, "count", "", "downloads", ""),
        ("170,000", 0, 1.7e5, "count", "", "derivative models", ""),
        ("34%", 1, 34.0, "%", "", "revenue growth", "Q3 2025"),
        ("ninth consecutive quarter", 0, 9.0, "count", "", "consecutive quarters", "Q3 2025"),
        ("80%", 1, 80.0, "%", "", "allocation share", ""),
        ("4%", 0, 4.0, "%", "", "market share", ""),
        ("29%", 0, 29.0, "%", "", "market share", ""),
        ("20%", 0, 20.0, "%", "", "market share", ""),
        ("RMB 21.8 billion", 0, -2.18e10, "CNY", "", "free cash flow", "Q3 2025"),
        ("over $100 billion", 0, 1e11, "USD", "over", "capex", "2025"),
        ("$38 billion", 0, 3.8e10, "USD", "", "deal value", ""),
        ("$400 billion", 0, 4e11, "USD", "", "market size", ""),
    ]
    for quote, nth, value, unit, qualifier, metric, period in expect:
        row = _row(frame, quote, nth)
        got = (row["value"], row["unit"], row["qualifier"], row["metric"], row["period_label"])
        assert got == (value, unit, qualifier, metric, period), f"seed 001 claim {quote!r} #{nth}"
    fifty_three = frame[frame["quote"] == "$53 billion"]
    assert len(fifty_three) == 3 and set(fifty_three["metric"]) == {"capex"}, "three $53bn mentions"
    assert fifty_three["period_label"].tolist() == ["three years", "", ""]
    shares = frame[frame["quote"].isin(["4%", "29%", "20%"])]
    assert dict(zip(shares["quote"], shares["subject"])) == {"4%": "Alibaba Cloud", "29%": "AWS", "20%": "Azure"}
    assert dict(zip(frame["metric"], frame["subject"]))["downloads"] == "Qwen"


def test_seed_002_claims(seeds_dir):
    doc, frame = _seed_claims(seeds_dir)["002"]
    assert set(frame["value"]) == {470_000.0}, "only the chip count is a claim (no 90% advert, 800, 11, 2018)"
    assert set(frame["metric"]) == {"units shipped"} and set(frame["unit"]) == {"count"}
    assert len(frame) == 9, "nine mentions of the 470,000 figure"
    labels = set(frame["period_label"])
    assert {"March 20, 2026", "Q3 2025", "to date"} <= labels


def test_seeds_000_and_004_have_no_hard_numbers(seeds_dir):
    claims = _seed_claims(seeds_dir)
    assert claims["000"][1].empty, "seed 000: 'March quarter of 2026' is a period, x86/H100s/30-Second are traps"
    assert claims["004"][1].empty, "seed 004: p50/p95, EC2 and 'per million tokens' are not claims"


def test_seed_offsets_and_boilerplate(seeds_dir):
    for doc, frame in _seed_claims(seeds_dir).values():
        for start, end, quote in zip(frame["start"], frame["end"], frame["quote"]):
            assert doc.text[start:end] == quote, f"{doc.doc_id}: offset mismatch for {quote!r}"
            assert not doc.is_boilerplate(start, end), f"{doc.doc_id}: claim {quote!r} from boilerplate"


# ------------------------------------------------------------------ properties
_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
_PIECES = st.sampled_from(["$", "US$", "RMB ", "%", " billion", " million", "yuan", ",", ".",
                           "about ", "over ", "Q3 2025", " nm", "-", "\n", "Friday", "470,000",
                           "eighth consecutive quarter", "triple-digit growth", " chips", "9",
                           "March 20, 2026", "(", ")", "\u2019", "Alibaba", "AWS"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(_ALPHABET, max_size=12), _PIECES, st.integers(0, 10**15).map(str)),
                max_size=25).map("".join))
def test_property_never_crashes_offsets_point_at_quote(text):
    frame = extract_claims(text)
    assert tuple(frame.columns) == CLAIM_COLUMNS
    for start, end, quote, value in zip(frame["start"], frame["end"], frame["quote"], frame["value"]):
        assert 0 <= start < end <= len(text) and text[start:end] == quote
        assert math.isfinite(value)
    dates = extract_dates(text)
    assert all(text[s:e] == q for s, e, q in zip(dates["start"], dates["end"], dates["quote"]))


@settings(max_examples=60, deadline=None)
@given(st.text(_ALPHABET, max_size=200))
def test_property_document_claims_match_text(raw):
    doc = Document.from_text("prop", raw, date=False)
    frame = extract_document_claims(doc)
    assert all(doc.text[s:e] == q for s, e, q in zip(frame["start"], frame["end"], frame["quote"]))
