"""Claims ledger: hand-built claim frames (no extractor details), the seeds, the committed CSV."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from babaresearch.errors import DataFileError, DocumentError
from babaresearch.ledger import (
    CLAIM_COLUMNS, LEDGER_COLUMNS, claims_ledger, ledger_facts, ledger_from_claims,
    subject_ticker, write_ledger_csv,
)

from conftest import REPO_ROOT, resource

T = pd.Timestamp
COMMITTED_CSV = REPO_ROOT / "data" / "claims_ledger.csv"


def claims(*rows: dict) -> pd.DataFrame:
    """A claims frame with defaults for every column not given."""
    defaults = {"doc_id": "d1", "quote": "x", "value": 1.0, "unit": "count", "qualifier": "",
                "approx": False, "subject": "Alibaba", "metric": "other", "period_label": ""}
    records = []
    for number, row in enumerate(rows):
        record = {**defaults, "start": 10 * number, "end": 10 * number + 5, **row}
        records.append(record)
    return pd.DataFrame(records, columns=list(CLAIM_COLUMNS))


# ---------------------------------------------------------------------------------------------
# tickers
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("subject,ticker", [
    ("NVIDIA", "NVDA"), ("Nvidia", "NVDA"), ("Alibaba", "BABA"), ("Alibaba Cloud", "BABA"),
    ("T-Head", "BABA"), ("Qwen", "BABA"), ("AWS", None), ("Azure", None), ("Amazon", None),
    ("", None), (None, None),
])
def test_subject_ticker(subject, ticker):
    assert subject_ticker(subject) == ticker


def test_tickers_hint_only_fills_empty_subjects():
    frame = claims({"subject": ""}, {"subject": "AWS"}, {"subject": "", "doc_id": "d2"})
    ledger = ledger_from_claims(frame, tickers_hint={"d1": "baba", "d2": "NVDA"})
    assert ledger["ticker"].tolist() == ["BABA", None, "NVDA"], (
        "the hint fills empty subjects only; AWS stays without a ticker")
    assert ledger_from_claims(frame, tickers_hint="NVDA")["ticker"].tolist() == ["NVDA", None, "NVDA"]


# ---------------------------------------------------------------------------------------------
# periods and events
# ---------------------------------------------------------------------------------------------

def test_period_resolved_with_document_as_of():
    frame = claims({"period_label": "Q3 2025", "metric": "revenue growth", "unit": "%", "value": 34.0})
    row = ledger_from_claims(frame, as_of={"d1": "2025-12-01"}).iloc[0]
    assert row["fiscal_period"] == "FY2026Q2"
    assert (row["period_start"], row["period_end"]) == (T("2025-07-01"), T("2025-09-30"))
    assert (row["release_date"], row["day0"]) == (T("2025-11-25"), T("2025-11-25"))
    assert row["event"] == "earnings BABA FY2026Q2"
    assert row["as_of"] == T("2025-12-01")
    assert bool(row["ambiguous_period"]) and row["period_candidates"] == "FY2026Q2|FY2025Q3"


def test_as_of_changes_the_top_reading():
    frame = claims({"period_label": "Q3 2025", "metric": "revenue growth", "unit": "%"})
    row = ledger_from_claims(frame, as_of="2025-10-01").iloc[0]
    assert row["fiscal_period"] == "FY2025Q3", "on 2025-10-01 the Sep-2025 quarter was unreported"


def test_nvda_fiscal_year_claim():
    frame = claims({"subject": "NVIDIA", "period_label": "FY\u201923", "metric": "revenue",
                    "unit": "USD", "value": 2.7e10})
    row = ledger_from_claims(frame, as_of="2025-08-29").iloc[0]
    assert (row["ticker"], row["fiscal_period"], row["period_end"]) == ("NVDA", "FY2023", T("2023-01-29"))
    assert (row["release_date"], row["day0"]) == (T("2023-02-22"), T("2023-02-23")), (
        "NVIDIA releases after the close: day 0 is the next session")
    assert row["event"] == "earnings NVDA FY2023"


@pytest.mark.parametrize("label,as_of,session", [
    ("Friday", "2025-08-30", "2025-08-29"),         # Saturday article, Friday's session
    ("Friday's", "2025-08-29", "2025-08-29"),       # the as-of date is itself the Friday
    ("year-to-date", "2025-08-31", "2025-08-29"),   # Sunday -> last session
    ("", "2025-08-29", "2025-08-29"),
    ("yesterday", "2025-09-02", "2025-08-29"),      # 2025-09-01 was Labor Day
])
def test_price_claims_tie_to_the_named_session(label, as_of, session):
    frame = claims({"period_label": label, "metric": "price move", "unit": "%", "value": 13.0})
    row = ledger_from_claims(frame, as_of=as_of).iloc[0]
    assert row["day0"] == T(session) and row["release_date"] == T(session)
    assert row["event"] == f"session BABA {session}"
    assert pd.isna(row["fiscal_period"]), "a session is not a fiscal period"


def test_price_claim_without_as_of_has_no_session():
    row = ledger_from_claims(claims({"period_label": "Friday", "metric": "price move"})).iloc[0]
    assert pd.isna(row["day0"]) and row["event"] is None and pd.isna(row["as_of"])


@pytest.mark.parametrize("as_of,event", [
    ("2026-03-20", "event product 2025-08-29"),   # latest T-Head event before the article
    ("2026-05-18", "event product 2026-05-20"),   # within the 3-day grace window
    ("2026-06-01", "event product 2026-05-20"),
    ("2025-08-01", None),                          # before any product event
])
def test_chip_claims_tie_to_product_events(as_of, event):
    frame = claims({"subject": "T-Head", "metric": "units shipped", "value": 470000.0})
    row = ledger_from_claims(frame, as_of=as_of).iloc[0]
    assert row["event"] == event
    if event:
        assert row["release_date"] == T(event[-10:]) and row["day0"] == T(event[-10:])


def test_chip_words_in_text_make_a_chip_claim():
    text = "Intro line.\nIt has shipped 250,000 chips so far. Other news."
    start = text.index("250,000")
    frame = claims({"start": start, "end": start + 7, "quote": "250,000", "metric": "count",
                    "value": 250000.0})
    with_text = ledger_from_claims(frame, as_of="2025-09-01", texts={"d1": text}).iloc[0]
    assert with_text["event"] == "event product 2025-08-29"
    assert ledger_from_claims(frame, as_of="2025-09-01").iloc[0]["event"] is None, (
        "without the text a generic count is not known to be about a chip")


def test_capex_ties_to_the_capex_plan():
    row = ledger_from_claims(claims({"metric": "capex", "unit": "CNY", "value": 3.8e11,
                                     "period_label": "three years"}), as_of="2025-08-29").iloc[0]
    assert (row["event"], row["day0"]) == ("event capex_plan 2025-02-24", T("2025-02-24"))
    assert pd.isna(row["fiscal_period"]), "'three years' is no fiscal period"


def test_unresolvable_label_and_foreign_subject_stay_empty():
    frame = claims({"period_label": "to date"}, {"subject": "AWS", "period_label": "Q3 2025"})
    ledger = ledger_from_claims(frame, as_of="2025-12-01")
    assert ledger["fiscal_period"].isna().all() and ledger["event"].isna().all()
    assert not ledger["ambiguous_period"].any()


# ---------------------------------------------------------------------------------------------
# contradictions
# ---------------------------------------------------------------------------------------------

def test_same_figure_dated_to_two_releases_is_a_contradiction():
    frame = claims(
        {"value": 470000.0, "metric": "units shipped", "subject": "T-Head", "period_label": "March 20, 2026"},
        {"value": 470000.0, "metric": "units shipped", "subject": "T-Head", "period_label": ""},
        {"value": 470000.0, "metric": "count", "subject": "Alibaba", "period_label": "Q3 2025"},
    )
    ledger = ledger_from_claims(frame, as_of="2026-03-20")
    assert ledger["contradiction"].tolist() == [True, False, True], (
        "the two dated mentions disagree (FY2026Q3 vs FY2026Q2/FY2025Q3); the undated one cannot")
    note = ledger["contradiction_note"].iloc[0]
    assert "FY2026Q3" in note and "FY2026Q2" in note and "same document" in note


def test_overlapping_readings_are_not_a_contradiction():
    frame = claims({"value": 5.0, "period_label": "Q3 2025"},
                   {"value": 5.0, "period_label": "September quarter 2025"},
                   {"value": 5.0, "period_label": "FY2026"})
    ledger = ledger_from_claims(frame, as_of="2025-12-01")
    assert not ledger["contradiction"].any() and ledger["contradiction_note"].isna().all()


def test_repeated_percentages_and_bounds_are_not_one_off_facts():
    frame = claims({"value": 100.0, "unit": "%", "qualifier": "at least", "approx": True,
                    "metric": "revenue growth", "period_label": "June quarter 2025"},
                   {"value": 100.0, "unit": "%", "qualifier": "at least", "approx": True,
                    "metric": "revenue growth", "period_label": "September quarter 2025"},
                   {"value": 34.0, "unit": "%", "metric": "market share", "period_label": "June quarter 2025"},
                   {"value": 34.0, "unit": "%", "metric": "revenue growth", "period_label": "September quarter 2025"})
    assert not ledger_from_claims(frame, as_of="2025-12-01")["contradiction"].any()


def test_two_documents_with_different_values_for_one_period():
    frame = claims(
        {"doc_id": "a", "value": 26.0, "unit": "%", "metric": "revenue growth",
         "subject": "Alibaba Cloud", "period_label": "June quarter 2025"},
        {"doc_id": "b", "value": 30.0, "unit": "%", "metric": "revenue growth",
         "subject": "Alibaba Cloud", "period_label": "FY2026Q1"},
        {"doc_id": "c", "value": 31.0, "unit": "%", "metric": "revenue growth", "approx": True,
         "qualifier": "about", "subject": "Alibaba Cloud", "period_label": "FY2026Q1"},
    )
    ledger = ledger_from_claims(frame, as_of="2025-09-01")
    assert ledger["contradiction"].tolist() == [True, True, False], (
        "26% vs 30% for FY2026Q1 disagree; an approximate 'about 31%' is not held to it")
    assert "in b" in ledger["contradiction_note"].iloc[0]


# ---------------------------------------------------------------------------------------------
# streaks
# ---------------------------------------------------------------------------------------------

def streak(doc_id, value, label, start=0) -> dict:
    return {"doc_id": doc_id, "value": float(value), "metric": "consecutive quarters",
            "subject": "Alibaba Cloud", "period_label": label, "start": start, "end": start + 5}


@pytest.mark.parametrize("later_count,expected", [(9, True), (10, False), (8, False)])
def test_streak_counts_must_advance_with_the_quarters(later_count, expected):
    frame = pd.DataFrame([streak("a", 8, "last quarter"), streak("b", later_count, "September quarter 2025")])
    frame = claims(*frame.to_dict("records"))
    ledger = ledger_from_claims(frame, as_of={"a": "2025-08-29", "b": "2025-11-25"})
    assert ledger["sequence_consistent"].tolist() == [expected, expected], (
        f"8 at FY2026Q1 and {later_count} at FY2026Q2 are one quarter apart")
    assert "1 quarter(s) apart" in ledger["sequence_note"].iloc[0]


def test_streak_without_label_counts_to_latest_release_and_lone_streak_is_na():
    frame = claims(streak("a", 8, ""), streak("b", 10, ""))
    ledger = ledger_from_claims(frame, as_of={"a": "2025-09-01", "b": "2026-03-20"})
    # FY2026Q1 (released 2025-08-29) -> FY2026Q3 (released 2026-03-19): two quarters, +2
    assert ledger["sequence_consistent"].tolist() == [True, True]
    lone = ledger_from_claims(claims(streak("a", 8, "last quarter")), as_of="2025-09-01")
    assert lone["sequence_consistent"].isna().all(), "nothing to compare with: NA, not True"


# ---------------------------------------------------------------------------------------------
# shape, empty input, errors, CSV round trip
# ---------------------------------------------------------------------------------------------

def test_empty_claims_give_an_empty_typed_ledger():
    ledger = ledger_from_claims(claims())
    assert list(ledger.columns) == list(LEDGER_COLUMNS) and ledger.empty
    assert str(ledger["day0"].dtype) == "datetime64[ns]"


def test_missing_claim_column_is_reported():
    with pytest.raises(DataFileError, match="period_label"):
        ledger_from_claims(claims({}).drop(columns=["period_label"]))
    with pytest.raises(DataFileError, match="DataFrame"):
        ledger_from_claims([1, 2])  # type: ignore[arg-type]


def test_csv_round_trip(tmp_path):
    frame = claims({"period_label": "Q3 2025", "value": 0.1 + 0.2, "unit": "%", "metric": "revenue growth"},
                   streak("d1", 8, "last quarter", start=40), streak("d1", 9, "FY2026Q2", start=60),
                   {"period_label": "Friday", "metric": "price move", "start": 80, "end": 85})
    ledger = ledger_from_claims(frame, as_of="2025-12-01")
    path = write_ledger_csv(ledger, tmp_path / "sub" / "ledger.csv")
    back = ledger_facts(path)
    pd.testing.assert_frame_equal(back, ledger, check_dtype=True)
    assert back["value"].iloc[0] == 0.1 + 0.2, "values must round-trip exactly"


def test_write_rejects_a_frame_without_ledger_columns(tmp_path):
    with pytest.raises(DataFileError, match="missing ledger column"):
        write_ledger_csv(claims({}), tmp_path / "x.csv")


def test_ledger_facts_errors(tmp_path):
    with pytest.raises(DataFileError, match="not found"):
        ledger_facts(tmp_path / "absent.csv")
    partial = tmp_path / "partial.csv"
    partial.write_text("doc_id,start\nd1,1\n")
    with pytest.raises(DataFileError, match="missing column"):
        ledger_facts(partial)
    good = write_ledger_csv(ledger_from_claims(claims({})), tmp_path / "good.csv")
    text = good.read_text().replace(",False,", ",maybe,", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text(text)
    with pytest.raises(DataFileError, match="line 2"):
        ledger_facts(bad)


def test_claims_ledger_reads_a_folder_of_own_articles():
    folder = resource("ledger", "docs")
    ledger = claims_ledger(folder)
    assert list(ledger.columns) == list(LEDGER_COLUMNS)
    assert set(ledger["doc_id"]) <= {"a_cloud", "b_chips"} and len(ledger) > 0
    texts = {p.stem: p.read_text() for p in Path(folder).glob("*.txt")}
    for row in ledger.itertuples():
        # documents repair whitespace only where needed; the short test articles are clean
        assert texts[row.doc_id][row.start:row.end] == row.quote
    assert ledger.loc[ledger["subject"] == "AWS", "ticker"].isna().all()


def test_claims_ledger_of_no_documents_and_of_a_missing_folder(tmp_path):
    empty = claims_ledger([])
    assert empty.empty and list(empty.columns) == list(LEDGER_COLUMNS)
    with pytest.raises(DocumentError, match="absent"):
        claims_ledger(tmp_path / "absent")


def test_claims_ledger_accepts_one_document():
    from babaresearch.documents import load_documents

    doc = load_documents(resource("ledger", "docs"))[0]
    one_doc = claims_ledger(doc)
    assert set(one_doc["doc_id"]) == {doc.doc_id}
    assert (one_doc["as_of"].isna().all() if doc.as_of is None
            else (one_doc["as_of"] == doc.as_of).all()), "every row carries its document's as_of"


# ---------------------------------------------------------------------------------------------
# the committed CSV and the seed articles
# ---------------------------------------------------------------------------------------------

def test_committed_ledger_is_typed_and_holds_the_chip_contradiction():
    facts = ledger_facts()
    assert list(facts.columns) == list(LEDGER_COLUMNS)
    assert str(facts["release_date"].dtype) == "datetime64[ns]"
    assert str(facts["sequence_consistent"].dtype) == "boolean"
    chips = facts[(facts["value"] == 470000.0) & facts["contradiction"]]
    assert set(chips["fiscal_period"]) == {"FY2026Q3", "FY2026Q2"}, (
        "the 470,000 disclosure is dated to the March-2026 release and to 'Q3 2025 earnings'")
    assert facts["quote"].str.len().max() < 40, "only short quoted spans may be stored"


@pytest.fixture(scope="module")
def seed_ledger(seeds_dir):
    return claims_ledger(seeds_dir)


def test_seed_chip_disclosure_contradiction(seed_ledger):
    chips = seed_ledger[(seed_ledger["value"] == 470000.0) & (seed_ledger["ticker"] == "BABA")]
    dated = chips[chips["period_label"].isin(["March 20, 2026", "Q3 2025"])]
    assert len(dated) == 2 and dated["contradiction"].all()
    by_label = dated.set_index("period_label")
    assert by_label.loc["March 20, 2026", "release_date"] == T("2026-03-19"), (
        "the presentation of 2026-03-20 (Asia) is the 2026-03-19 US release")
    assert by_label.loc["Q3 2025", "release_date"] == T("2025-11-25")
    assert not chips[~chips.index.isin(dated.index)]["contradiction"].any()


def test_seed_streak_eighth_then_ninth_is_consistent(seed_ledger):
    streaks = seed_ledger[seed_ledger["metric"] == "consecutive quarters"].sort_values("value")
    assert streaks["value"].tolist() == [8.0, 9.0]
    assert streaks["fiscal_period"].tolist() == ["FY2026Q1", "FY2026Q2"]
    assert streaks["sequence_consistent"].tolist() == [True, True]


def test_seed_price_moves_tie_to_2025_08_29(seed_ledger):
    prices = seed_ledger[seed_ledger["metric"].isin(["price move", "share price", "YTD return"])]
    assert len(prices) >= 2, "the 13% move and the ~$135 price at least"
    assert (prices["day0"] == T("2025-08-29")).all()
    assert (prices["event"] == "session BABA 2025-08-29").all()


def test_committed_csv_is_in_sync_with_the_extractor(seed_ledger, tmp_path):
    fresh = ledger_facts(write_ledger_csv(seed_ledger, tmp_path / "fresh.csv"))
    committed = ledger_facts(COMMITTED_CSV)
    pd.testing.assert_frame_equal(committed, fresh, obj="data/claims_ledger.csv vs a fresh ledger "
                                  "(regenerate: babaresearch claims SEEDS --csv data/claims_ledger.csv)")


# ------------------------------------------------------------------ load_ledger / document dating
def test_load_ledger_falls_back_to_the_committed_facts_without_a_documents_folder(tmp_path):
    from babaresearch.ledger import load_ledger

    for missing in (None, tmp_path / "no-such-folder"):
        ledger = load_ledger(missing)
        assert "committed ledger" in ledger.attrs["origin"]
        assert len(ledger) == len(ledger_facts()), "the fallback is the committed ledger"


def test_load_ledger_reads_a_documents_folder_and_carries_the_dating_evidence(seeds_dir):
    from babaresearch.ledger import load_ledger

    ledger = load_ledger(seeds_dir)
    assert "documents in" in ledger.attrs["origin"]
    dated = ledger.drop_duplicates("doc_id").set_index("doc_id")
    # The seed with the price claims trades on the FY2026Q1 release day, a Friday.
    row = dated.loc["003_4c21c17633857167"]
    assert row["as_of"] == pd.Timestamp("2025-08-29")
    assert "2025-08-29" in row["as_of_evidence"], row["as_of_evidence"]
    committed = ledger_facts().drop_duplicates("doc_id").set_index("doc_id")
    assert committed.loc["003_4c21c17633857167", "as_of_evidence"] == row["as_of_evidence"]


# ---------------------------------------------------------------------------------------------
# review fixes: dated price claims, release-dated documents, third-party data, mentions
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("label,as_of,session", [
    ("August 28, 2025", "2025-11-25", "2025-08-28"),    # months later: still that session
    ("August 28, 2025", None, "2025-08-28"),            # no document date needed
    ("on 28 August 2025", "2025-08-29", "2025-08-28"),
    ("August 30, 2025", "2025-11-25", "2025-08-29"),    # a Saturday: the last session before it
    ("Friday", "2025-11-25", "2025-11-21"),             # a weekday stays relative to as_of
])
def test_price_claim_with_an_explicit_date_is_that_session(label, as_of, session):
    frame = claims({"period_label": label, "metric": "price move", "unit": "%", "value": -2.0})
    row = ledger_from_claims(frame, as_of=as_of).iloc[0]
    assert row["event"] == f"session BABA {session}", (
        f"{label!r} names a trading day, not the next earnings release; got {row['event']}")
    assert row["day0"] == T(session) and row["release_date"] == T(session)
    assert pd.isna(row["fiscal_period"]) and not row["ambiguous_period"], "a session is no fiscal period"
    assert label.split()[-1] in row["event_note"] or "relative" in row["event_note"], row["event_note"]


def test_dated_price_moves_of_one_period_are_no_contradiction():
    frame = claims({"period_label": "August 28, 2025", "metric": "price move", "unit": "%", "value": -2.0},
                   {"period_label": "August 29, 2025", "metric": "price move", "unit": "%", "value": 13.0})
    ledger = ledger_from_claims(frame, as_of="2025-11-25")
    assert ledger["event"].tolist() == ["session BABA 2025-08-28", "session BABA 2025-08-29"]
    assert not ledger["contradiction"].any(), "two sessions' moves are two facts, not one disagreeing"
    outside = ledger_from_claims(claims({"period_label": "August 28, 1990", "metric": "price move",
                                         "unit": "%", "value": -2.0}), as_of="2025-11-25").iloc[0]
    assert outside["event"] is None and pd.isna(outside["fiscal_period"]), (
        "a date before any known session is still no earnings-release claim")
    assert "no NYSE session" in outside["event_note"]


PRESENTATION_EVIDENCE = "latest dated reference 2026-03-20: explicit date 'March 20, 2026'"


def test_unlabelled_claims_of_a_release_dated_document_tie_to_that_release():
    text = ("Results day.\nThe unit has shipped 470,000 chips. It shipped 470,000 chips to date. "
            "The WSJ chip got 560,000 orders. It said 470,000 chips at Q3 2025 earnings. ")
    spans = [text.index("470,000"), text.index("470,000", text.index("to date") - 20),
             text.index("560,000"), text.rindex("470,000")]
    frame = claims(*({"start": lo, "end": lo + 7, "quote": text[lo:lo + 7], "subject": "T-Head",
                      "metric": "units shipped", "value": float(text[lo:lo + 7].replace(",", "")),
                      "period_label": label}
                     for lo, label in zip(spans, ["", "to date", "", "Q3 2025"])))
    ledger = ledger_from_claims(frame, as_of="2026-03-20", texts={"d1": text},
                                as_of_evidence={"d1": PRESENTATION_EVIDENCE})
    # the presentation of 2026-03-20 (Asia) is the FY2026Q3 release of 2026-03-19 (US)
    assert ledger["event"].tolist() == ["earnings BABA FY2026Q3", "earnings BABA FY2026Q3",
                                        "event product 2025-08-29", "earnings BABA FY2026Q2"], (
        "unlabelled and 'to date' mentions: the release the document is dated by; a sentence naming "
        "the WSJ report: that event; 'Q3 2025': its own release")
    assert ledger["fiscal_period"].iloc[:2].tolist() == ["FY2026Q3", "FY2026Q3"]
    assert (ledger["release_date"].iloc[:2] == T("2026-03-19")).all()
    assert "March 20, 2026" in ledger["event_note"].iloc[0], ledger["event_note"].iloc[0]
    assert "'wsj'" in ledger["event_note"].iloc[2], ledger["event_note"].iloc[2]
    # only labels make contradictions: the undated mentions do not disagree with 'Q3 2025'
    assert ledger["contradiction"].tolist() == [False, False, False, False]


def test_release_anchor_needs_an_explicit_presentation_date():
    frame = claims({"subject": "T-Head", "metric": "units shipped", "value": 470000.0})
    by_event = ledger_from_claims(frame, as_of="2026-03-20",
                                  as_of_evidence="latest dated reference 2026-03-20: corporate event")
    assert by_event.iloc[0]["event"] == "event product 2025-08-29", "no presentation date: old rule"
    far = ledger_from_claims(frame, as_of="2025-07-04",
                             as_of_evidence="latest dated reference 2025-07-04: explicit date 'July 4, 2025'")
    assert far.iloc[0]["event"] is None, "2025-07-04 is no release and precedes every product event"
    assert ledger_from_claims(frame, as_of="2026-03-20").iloc[0]["as_of_evidence"] is None


def test_market_share_is_tied_to_no_release_but_keeps_its_period():
    frame = claims({"subject": "Alibaba Cloud", "metric": "market share", "unit": "%", "value": 34.0,
                    "period_label": "Q2 2025"})
    row = ledger_from_claims(frame, as_of="2025-11-25").iloc[0]
    assert row["fiscal_period"] == "FY2026Q1", "calendar Q2 2025 is BABA FY2026Q1"
    assert row["event"] is None and pd.isna(row["release_date"]) and pd.isna(row["day0"]), (
        "a Canalys share is not in Alibaba's earnings release")
    assert "third-party" in row["event_note"]


def test_mentions_count_each_figure_once_per_document():
    frame = claims({"value": 470000.0, "subject": "Alibaba", "metric": "units shipped", "start": 30},
                   {"value": 470000.0, "subject": "T-Head", "metric": "units shipped", "start": 10},
                   {"value": 470000.0, "subject": "T-Head", "metric": "units shipped", "doc_id": "d2"},
                   {"value": 53e9, "unit": "USD", "metric": "capex", "start": 40},
                   {"value": 53e9, "unit": "USD", "metric": "capex", "qualifier": "about", "start": 50},
                   {"value": 53e9, "unit": "CNY", "metric": "capex", "start": 60})
    ledger = ledger_from_claims(frame)
    got = dict(zip(zip(ledger["doc_id"], ledger["start"]), ledger["mention"]))
    assert got == {("d1", 10): 1, ("d1", 30): 2, ("d2", 20): 1, ("d1", 40): 1, ("d1", 50): 2,
                   ("d1", 60): 1}, (
        "same ticker/metric/unit/value in one document is one figure; another unit or document is not")
    assert str(ledger["mention"].dtype) == "int64"


def test_ledger_csv_without_the_new_columns_still_reads(tmp_path):
    ledger = ledger_from_claims(claims({"value": 5.0}, {"value": 5.0}), as_of="2025-12-01")
    path = write_ledger_csv(ledger, tmp_path / "new.csv")
    old = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["event_note", "mention"])
    old_path = tmp_path / "old.csv"
    old.to_csv(old_path, index=False)
    back = ledger_facts(old_path)
    assert list(back.columns) == list(LEDGER_COLUMNS)
    assert back["mention"].tolist() == [1, 2] and back["event_note"].isna().all()


def test_seed_chip_mentions_tie_to_the_march_2026_release(seed_ledger):
    chips = seed_ledger[(seed_ledger["value"] == 470000.0) & (seed_ledger["ticker"] == "BABA")]
    assert len(chips) == 9, "the chips article states 470,000 nine times"
    assert sorted(chips["mention"]) == list(range(1, 10))
    unlabelled = chips[~chips["period_label"].isin(["March 20, 2026", "Q3 2025"])]
    assert (unlabelled["event"] == "earnings BABA FY2026Q3").all(), unlabelled[["start", "event"]]
    assert (unlabelled["release_date"] == T("2026-03-19")).all()
    assert chips["contradiction"].sum() == 2, "only the March-2026 and Q3-2025 readings disagree"


def test_seed_market_share_has_no_release(seed_ledger):
    share = seed_ledger[(seed_ledger["metric"] == "market share") & (seed_ledger["value"] == 34.0)]
    assert len(share) == 1 and share["event"].isna().all() and share["release_date"].isna().all()
    assert share["fiscal_period"].tolist() == ["FY2026Q1"]


def test_chip_claim_points_at_the_event_its_sentence_names():
    text = "Recap.\nThe chip the WSJ revealed ran 80% as fast. Other news."
    lo = text.index("80%")
    frame = claims({"start": lo, "end": lo + 3, "quote": "80%", "subject": "T-Head", "unit": "%",
                    "metric": "performance ratio", "value": 80.0})
    row = ledger_from_claims(frame, as_of="2026-06-01", texts={"d1": text}).iloc[0]
    assert row["event"] == "event product 2025-08-29", (
        "the sentence names the WSJ report of 2025-08-29, not the latest (2026-05-20) launch")
    assert "'wsj'" in row["event_note"]
    other = ledger_from_claims(frame, as_of="2026-06-01", texts={"d1": text.replace("WSJ", "press")})
    assert other.iloc[0]["event"] == "event product 2026-05-20", "no pointer: the latest product event"


# ---------------------------------------------------------------------------------------------
# user review: period reasons in the ledger, blank text cells, document dates
# ---------------------------------------------------------------------------------------------

#: Report-facing notes stay short enough for a table cell (characters).
MAX_NOTE_CHARS = 120


def test_presentation_date_reason_reaches_the_ledger():
    frame = claims({"subject": "T-Head", "metric": "units shipped", "value": 470000.0,
                    "period_label": "March 20, 2026"},
                   {"subject": "T-Head", "metric": "units shipped", "value": 9.0, "start": 40},
                   {"subject": "Alibaba", "metric": "price move", "unit": "%", "value": 3.0,
                    "period_label": "Friday", "start": 60})
    ledger = ledger_from_claims(frame, as_of="2026-03-20",
                                as_of_evidence={"d1": PRESENTATION_EVIDENCE})
    dated, unlabelled, price = (ledger.iloc[i] for i in range(3))
    for row in (dated, unlabelled):
        assert (row["fiscal_period"], row["release_date"]) == ("FY2026Q3", T("2026-03-19"))
        # why a date of 2026-03-20 is the release of 2026-03-19: the resolver's own reason
        assert "Hong Kong" in row["period_reason"] and "2026-03-19" in row["period_reason"], (
            f"the one-day HK/US offset must reach the ledger: {row['period_reason']!r}")
        assert "Hong Kong/US one-day offset" in row["event_note"], row["event_note"]
        assert "2026-03-19" in row["event_note"] and len(row["event_note"]) <= MAX_NOTE_CHARS, (
            f"the report-facing note must say it briefly: {row['event_note']!r}")
    assert price["period_reason"] is None, "a session is not a fiscal period: no period reason"


def test_release_day_and_other_labels_keep_a_plain_note():
    frame = claims({"metric": "revenue growth", "unit": "%", "value": 5.0, "period_label": "2025-11-25"},
                   {"metric": "revenue growth", "unit": "%", "value": 5.0, "period_label": "Q3 2025",
                    "start": 40})
    ledger = ledger_from_claims(frame, as_of="2025-12-01")
    assert ledger["event_note"].iloc[0].endswith("FY2026Q2 (its release day)"), ledger["event_note"].iloc[0]
    assert ledger["event_note"].iloc[1] == "period label 'Q3 2025' resolved to FY2026Q2"
    assert "ambiguous" in ledger["period_reason"].iloc[1], (
        "the reason keeps the calendar/fiscal ambiguity of 'Q3 2025'")


def test_blank_text_cells_are_none_in_ledger_and_round_trip(tmp_path):
    frame = claims({"qualifier": None, "subject": None, "metric": "", "period_label": "   "},
                   {"qualifier": float("nan"), "period_label": "Q3 2025", "start": 40})
    ledger = ledger_from_claims(frame)  # no as_of, no evidence
    back = ledger_facts(write_ledger_csv(ledger, tmp_path / "l.csv"))
    text_columns = [c for c in LEDGER_COLUMNS if back[c].dtype == object]
    assert "as_of_evidence" in text_columns and "period_reason" in text_columns
    for name, table in (("ledger", ledger), ("read back", back)):
        for column in text_columns:
            for value in table[column]:
                assert value is None or (isinstance(value, str) and value.strip()
                                         and value not in ("None", "nan", "NaN", "<NA>")), (
                    f"{name}: {column} holds {value!r}; empty text must be None")
    assert back["qualifier"].tolist() == [None, None] and back["as_of_evidence"].tolist() == [None, None]
    pd.testing.assert_frame_equal(back, ledger)


def test_committed_ledger_has_no_blank_strings_and_short_notes():
    facts = ledger_facts()
    for column in LEDGER_COLUMNS:
        if facts[column].dtype != object:
            continue
        bad = [v for v in facts[column] if v is not None and (not str(v).strip() or str(v) == "None")]
        assert not bad, f"data/claims_ledger.csv {column}: {bad[:3]} (empty text must read as None)"
    notes = facts["event_note"].dropna()
    assert len(notes) > 0 and notes.str.len().max() <= MAX_NOTE_CHARS, notes[notes.str.len() > MAX_NOTE_CHARS]
    chips = facts[(facts["value"] == 470000.0) & (facts["period_label"] == "March 20, 2026")]
    assert len(chips) == 1 and "Hong Kong" in chips["period_reason"].iloc[0]


def test_ledger_csv_without_period_reason_reads_as_none(tmp_path):
    ledger = ledger_from_claims(claims({"period_label": "Q3 2025", "unit": "%", "metric": "revenue growth"}))
    path = write_ledger_csv(ledger, tmp_path / "new.csv")
    old = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["period_reason"])
    old.to_csv(tmp_path / "old.csv", index=False)
    back = ledger_facts(tmp_path / "old.csv")
    assert list(back.columns) == list(LEDGER_COLUMNS) and back["period_reason"].tolist() == [None]


# ------------------------------------------------------------------ document dates
from babaresearch.ledger import (  # noqa: E402
    DOCUMENT_DATE_COLUMNS, MAX_EVIDENCE_QUOTE_CHARS, document_dates, document_dates_facts,
    evidence_quotes, write_document_dates_csv,
)

COMMITTED_DOCUMENTS_CSV = REPO_ROOT / "data" / "documents.csv"
#: The seeds' dating (the review's expectations; 000 and 004 have no numeric claim).
SEED_DATES = {"000_66de0fb6e4eacad0": "2026-05-13", "001_1cbc6e054e6350fd": "2025-11-25",
              "002_e415cb0bc74b184c": "2026-03-20", "003_4c21c17633857167": "2025-08-29",
              # 004 names the WSJ chip report but states no date: a product or event name never
              # dates an article (issue 8), so it is undated
              "004_b5144025fc034b69": None}


def test_document_dates_of_own_articles_count_claims_and_characters():
    from babaresearch.claims import extract_claims

    folder = resource("ledger", "docs")
    dates = document_dates(folder)
    assert list(dates.columns) == list(DOCUMENT_DATE_COLUMNS)
    assert str(folder) in dates.attrs["origin"]
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(Path(folder).glob("*.txt"))}
    assert dates["doc_id"].tolist() == sorted(texts)
    ledger = claims_ledger(folder)
    for row in dates.itertuples():
        assert row.chars == len(texts[row.doc_id]), "the short test articles need no repair"
        assert row.n_claims == (ledger["doc_id"] == row.doc_id).sum() == len(
            extract_claims(texts[row.doc_id])), f"{row.doc_id}: n_claims is the ledger's row count"
    assert {str(dates[c].dtype) for c in ("n_claims", "chars")} == {"int64"}
    assert str(dates["as_of"].dtype) == "datetime64[ns]"


def test_document_dates_of_no_documents_and_of_an_undated_one():
    from babaresearch.documents import Document

    empty = document_dates([])
    assert empty.empty and list(empty.columns) == list(DOCUMENT_DATE_COLUMNS)
    undated = document_dates([Document.from_text("u1", "Nothing dated here, 12 chips.")])
    row = undated.iloc[0]
    # no date evidence: undated, and the evidence cell is empty (None), never a guess
    assert pd.isna(row["as_of"]) and row["as_of_evidence"] is None
    assert (row["n_claims"], row["chars"]) == (1, 29)
    blank = document_dates([Document.from_text("u2", "Plain words.", date=False)])
    assert blank["as_of_evidence"].tolist() == [None], "an empty evidence string is None"


def test_document_dates_round_trip_and_atomic_write(tmp_path):
    from babaresearch.documents import Document

    docs = [Document.from_text("b", "Alibaba reported results for the September 2025 quarter."),
            Document.from_text("a", "Plain words.", date=False)]
    frame = document_dates(docs)
    assert frame["doc_id"].tolist() == ["a", "b"], "sorted by doc_id"
    assert frame["as_of"].tolist()[1] == T("2025-11-25"), "Alibaba's wording dates the document"
    path = write_document_dates_csv(frame, tmp_path / "sub" / "documents.csv")
    assert path.exists() and not list(path.parent.glob(".documents.csv.*")), "no temp file left"
    back = document_dates_facts(path)
    pd.testing.assert_frame_equal(back, frame)
    assert back["as_of_evidence"].iloc[0] is None and pd.isna(back["as_of"].iloc[0])
    assert write_document_dates_csv(docs, tmp_path / "again.csv").read_text() == path.read_text()


def test_document_dates_write_and_read_errors(tmp_path):
    from babaresearch.documents import Document

    with pytest.raises(DataFileError, match="missing column"):
        write_document_dates_csv(pd.DataFrame({"doc_id": ["a"]}), tmp_path / "x.csv")
    with pytest.raises(DocumentError, match="absent"):
        write_document_dates_csv(tmp_path / "absent", tmp_path / "x.csv")
    bad_counts = pd.DataFrame({"doc_id": ["a"], "as_of": [None], "as_of_evidence": [None],
                               "n_claims": ["many"], "chars": [3]})
    with pytest.raises(DataFileError, match="bad column values"):
        write_document_dates_csv(bad_counts, tmp_path / "x.csv")
    long_quote = "'" + "w" * (MAX_EVIDENCE_QUOTE_CHARS + 1) + "'"
    frame = document_dates([Document.from_text("d9", "Plain words.", date=False)]).assign(
        as_of_evidence=f"latest dated reference 2025-01-01: {long_quote}")
    with pytest.raises(DataFileError, match="d9.*quotes 41 characters"):
        write_document_dates_csv(frame, tmp_path / "long.csv")
    assert not (tmp_path / "long.csv").exists(), "nothing is written when the check fails"

    with pytest.raises(DataFileError, match="not found"):
        document_dates_facts(tmp_path / "absent.csv")
    (tmp_path / "cols.csv").write_text("doc_id,as_of\na,2025-01-01\n")
    with pytest.raises(DataFileError, match="missing column"):
        document_dates_facts(tmp_path / "cols.csv")
    header = ",".join(DOCUMENT_DATE_COLUMNS)
    for body, culprit in (("a,2025-01-01,x,many,10", "n_claims"), ("a,2025-01-01,x,-1,10", "n_claims"),
                          ("a,someday,x,1,10", "as_of"), (",2025-01-01,x,1,10", "doc_id")):
        bad = tmp_path / "bad.csv"
        bad.write_text(f"{header}\nok,2025-01-01,x,1,10\n{body}\n")
        with pytest.raises(DataFileError, match=f"line 3.*{culprit}|{culprit}.*line 3"):
            document_dates_facts(bad)


@pytest.mark.parametrize("evidence,quotes", [
    ("latest dated reference 2025-11-25: 'Q3 2025' (quarter ending 2025-09-30)", ["Q3 2025"]),
    ("text states the event's amount 53 USD; text names 'H20' like the event", ["H20"]),
    ("'Q1 earnings' + 'Friday': released", ["Q1 earnings", "Friday"]),
    ("the label 'FY'26' of the year", ["FY'26"]),
    ("no dated reference found", []), ("", []), (None, []),
])
def test_evidence_quotes(evidence, quotes):
    assert evidence_quotes(evidence) == quotes


def test_document_dates_fall_back_to_the_committed_file(tmp_path):
    for missing in (None, tmp_path / "no-such-folder"):
        dates = document_dates(missing)
        assert "committed document dates documents.csv" in dates.attrs["origin"]
        got = {d: (None if pd.isna(a) else a.strftime("%Y-%m-%d")) for d, a in zip(dates["doc_id"], dates["as_of"])}
        assert got == SEED_DATES, (
            "the seed dates of the committed documents.csv (004 states no date of its own: undated)")
    counts = dict(zip(dates["doc_id"], dates["n_claims"]))
    assert counts["000_66de0fb6e4eacad0"] == counts["004_b5144025fc034b69"] == 0
    ledger_counts = ledger_facts()["doc_id"].value_counts()
    assert {d: n for d, n in counts.items() if n} == ledger_counts.to_dict(), (
        "documents.csv and claims_ledger.csv disagree on the claim counts: regenerate both")
    # only short labels are quoted from the articles ('Q3 2025', 'March 20, 2026')
    quotes = [q for e in dates["as_of_evidence"] for q in evidence_quotes(e)]
    assert quotes and max(map(len, quotes)) <= MAX_EVIDENCE_QUOTE_CHARS, quotes
    assert "Q3 2025" in quotes and "March 20, 2026" in quotes


def test_committed_documents_csv_is_in_sync_with_the_seeds(seeds_dir, tmp_path):
    fresh = document_dates_facts(write_document_dates_csv(seeds_dir, tmp_path / "fresh.csv"))
    committed = document_dates_facts(COMMITTED_DOCUMENTS_CSV)
    pd.testing.assert_frame_equal(committed, fresh, obj="data/documents.csv vs the seeds (regenerate: "
                                  "write_document_dates_csv(SEEDS, 'data/documents.csv'))")


def test_committed_facts_hold_no_article_sentences(seeds_dir):
    """No 41-character stretch of any seed article appears in the committed CSVs."""
    window = MAX_EVIDENCE_QUOTE_CHARS + 1
    for csv_path in (COMMITTED_DOCUMENTS_CSV, COMMITTED_CSV):
        stored = csv_path.read_text(encoding="utf-8")
        pieces = {stored[i:i + window] for i in range(len(stored) - window + 1)}
        from babaresearch.documents import load_documents

        for doc in load_documents(seeds_dir):
            text = " ".join(doc.text.split())
            copied = next((text[i:i + window] for i in range(len(text) - window + 1)
                           if text[i:i + window] in pieces), None)
            assert copied is None, f"{csv_path.name} copies {doc.doc_id}: {copied!r}"
