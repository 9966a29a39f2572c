"""Tests of babaresearch.verify's non-price verdicts (verify_facts, reference_facts, scorecard)."""

from __future__ import annotations

import csv
import math

import pandas as pd
import pytest

from babaresearch.errors import ClaimError, DataFileError
from babaresearch.verify import (
    CONTRADICTED, FACT_COLUMNS, FACT_STATUSES, FACT_VERDICT_COLUMNS, SCORECARD_COLUMNS, SUPPORTED,
    UNVERIFIABLE, CHECK_OUTCOMES, claim_entity, compare_with_fact, fact_metric, fact_rounding_band,
    fact_tolerance, reference_facts, scorecard, verify_facts,
)

from conftest import REPO_ROOT

FACTS_CSV = REPO_ROOT / "data" / "reference_facts.csv"
LEDGER_CSV = REPO_ROOT / "data" / "claims_ledger.csv"


# ----------------------------------------------------------------------------------------------
# hand-built frames

def _fact(fact_id, ticker, metric, value, unit, *, fiscal_period="", period_end="", as_of="",
          status="confirmed", note="note", qualifier="", scope=""):
    return {"fact_id": fact_id, "ticker": ticker, "metric": metric, "fiscal_period": fiscal_period,
            "period_end": period_end, "value": value, "unit": unit, "as_of": as_of, "status": status,
            "source_note": note, "qualifier": qualifier, "scope": scope}


def _facts(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def _claim(quote, value, unit, metric, *, subject="Alibaba", ticker="BABA", fiscal_period=None,
           qualifier=None, as_of="2025-11-25", doc_id="d1", start=0, approx=False):
    return {"doc_id": doc_id, "start": start, "quote": quote, "value": value, "unit": unit,
            "qualifier": qualifier, "approx": approx, "subject": subject, "metric": metric,
            "ticker": ticker, "fiscal_period": fiscal_period, "as_of": as_of}


def _ledger(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


CLOUD_FACTS = _facts(
    _fact("cloud_q1", "BABA", "revenue growth", 26, "%", fiscal_period="FY2026Q1", note="cloud Q1"),
    _fact("cloud_q2", "BABA", "revenue growth", 34, "%", fiscal_period="FY2026Q2", note="cloud Q2"),
    _fact("ai_q2", "BABA", "AI revenue growth", 100, "%", fiscal_period="FY2026Q2",
          qualifier="at least", note="AI triple digit"),
)


def _one(ledger, facts) -> pd.Series:
    out = verify_facts(ledger, facts)
    assert len(out) == 1, f"one non-price claim in, one verdict out; got {len(out)}"
    return out.iloc[0]


# ----------------------------------------------------------------------------------------------
# matching rules

def test_period_match_supports_and_names_fact():
    row = _one(_ledger(_claim("34%", 34.0, "%", "revenue growth", fiscal_period="FY2026Q2")), CLOUD_FACTS)
    assert row["verdict"] == SUPPORTED and row["fact_id"] == "cloud_q2", row.to_dict()
    assert "cloud_q2" in row["evidence"] and "cloud Q2" in row["evidence"], \
        "evidence must name the fact and its source note"


def test_period_mismatch_is_not_compared():
    # 34% claimed for FY2026Q1: the Q1 fact is 26% -> contradicted; the Q2 34% fact must not rescue it
    row = _one(_ledger(_claim("34%", 34.0, "%", "revenue growth", fiscal_period="FY2026Q1")), CLOUD_FACTS)
    assert row["verdict"] == CONTRADICTED and row["fact_id"] == "cloud_q1", row.to_dict()
    # a period no fact covers -> no reference fact
    row = _one(_ledger(_claim("34%", 34.0, "%", "revenue growth", fiscal_period="FY2025Q3")), CLOUD_FACTS)
    assert row["verdict"] == UNVERIFIABLE and pd.isna(row["fact_id"]), row.to_dict()
    assert row["evidence"].startswith("no reference fact"), row["evidence"]


def test_triple_digit_trap_not_compared_with_cloud_growth():
    claim = _claim("triple-digit growth", 100.0, "%", "revenue growth", fiscal_period="FY2026Q2",
                   qualifier="at least", approx=True)
    row = _one(_ledger(claim), CLOUD_FACTS)
    assert row["fact_id"] == "ai_q2" and row["verdict"] == SUPPORTED, \
        f"triple-digit growth is AI revenue growth (>=100), never the 34% cloud growth: {row.to_dict()}"
    # without an AI-growth fact it must be 'no reference fact', not contradicted by 34%
    row = _one(_ledger(claim), CLOUD_FACTS[CLOUD_FACTS["fact_id"] != "ai_q2"])
    assert row["verdict"] == UNVERIFIABLE and row["evidence"].startswith("no reference fact"), row.to_dict()
    assert fact_metric("revenue growth", "Triple-digit growth") == "AI revenue growth"
    assert fact_metric("revenue growth", "34%") == "revenue growth"


def test_unit_mismatch_is_unverifiable_without_conversion():
    facts = _facts(_fact("capex_cny", "BABA", "capex", 380e9, "CNY", note="plan in yuan"))
    row = _one(_ledger(_claim("$53 billion", 53e9, "USD", "capex")), facts)
    assert row["verdict"] == UNVERIFIABLE and row["evidence"].startswith("unit mismatch"), row.to_dict()
    # RMB and yuan spellings are the same unit as CNY
    row = _one(_ledger(_claim("RMB 380 billion", 380e9, "RMB", "capex")), facts)
    assert row["verdict"] == SUPPORTED, row.to_dict()


def test_subject_entities_and_no_period_facts():
    facts = _facts(_fact("aws", "AWS", "market share", 29, "%", period_end="2025-09-30"),
                   _fact("msft", "Microsoft", "market share", 20, "%", period_end="2025-09-30"))
    ledger = _ledger(_claim("29%", 29.0, "%", "market share", subject="AWS", ticker=None),
                     _claim("20%", 20.0, "%", "market share", subject="Azure", ticker=None),
                     _claim("21%", 21.0, "%", "market share", subject="Azure", ticker=None),
                     _claim("29%", 29.0, "%", "market share", subject="Alibaba Cloud", ticker="BABA"))
    out = verify_facts(ledger, facts)
    assert list(out["verdict"]) == [SUPPORTED, SUPPORTED, CONTRADICTED, UNVERIFIABLE], out[["quote", "verdict"]]
    assert "names no period" in out["evidence"].iloc[0], "the evidence must say the claim names no period"
    assert claim_entity(None, " azure ") == "Microsoft" and claim_entity("nvda", "x") == "NVDA"
    assert claim_entity(None, None) == ""


def test_qualifier_tolerances_on_percent_and_amounts():
    facts = _facts(_fact("rev", "NVDA", "revenue", 26.97e9, "USD", fiscal_period="FY2023"),
                   _fact("g", "BABA", "revenue growth", 26, "%", fiscal_period="FY2026Q1"))
    cases = [
        # (claim, expected verdict, why)
        (_claim("$27 billion", 27e9, "USD", "revenue", ticker="NVDA", fiscal_period="FY2023"), SUPPORTED,
         "27bn is 26.97bn rounded to the billion"),
        (_claim("$28 billion", 28e9, "USD", "revenue", ticker="NVDA", fiscal_period="FY2023"), CONTRADICTED,
         "28bn is 1.03bn (3.8%) off"),
        (_claim("over $25 billion", 25e9, "USD", "revenue", ticker="NVDA", fiscal_period="FY2023",
                qualifier="over"), SUPPORTED, "26.97 > 25"),
        (_claim("under $26 billion", 26e9, "USD", "revenue", ticker="NVDA", fiscal_period="FY2023",
                qualifier="under"), CONTRADICTED, "26.97 is not under 26"),
        (_claim("26.4%", 26.4, "%", "revenue growth", fiscal_period="FY2026Q1"), SUPPORTED, "0.4 pp <= 0.5 pp"),
        (_claim("27%", 27.0, "%", "revenue growth", fiscal_period="FY2026Q1"), CONTRADICTED, "1 pp > 0.5 pp"),
        (_claim("about 27%", 27.0, "%", "revenue growth", fiscal_period="FY2026Q1", qualifier="about"),
         SUPPORTED, "about allows 1.0 pp"),
        (_claim("nearly 27%", 27.0, "%", "revenue growth", fiscal_period="FY2026Q1", qualifier="nearly"),
         SUPPORTED, "close to: at or below, within 1.5 pp"),
        (_claim("nearly 25%", 25.0, "%", "revenue growth", fiscal_period="FY2026Q1", qualifier="nearly"),
         CONTRADICTED, "26 is past 25"),
    ]
    out = verify_facts(_ledger(*(c for c, _, _ in cases)), facts)
    for (claim, expected, why), got in zip(cases, out["verdict"]):
        assert got == expected, f"{claim['quote']}: expected {expected} ({why}), got {got}"


def test_fact_tolerance_widths():
    assert fact_tolerance(34.0, "exact", "%") == ("both", 0.5)
    assert fact_tolerance(27e9, "exact", "USD") == ("both", 0.5e9), "half a unit of the last digit"
    side, width = fact_tolerance(-21.8e9, "exact", "CNY")
    assert side == "both" and width == pytest.approx(0.005 * 21.8e9), "0.5% of 21.8bn beats 0.05bn rounding"
    assert fact_tolerance(9.0, "exact", "count") == ("both", 0.5)
    assert fact_tolerance(100.0, "at least", "%") == ("at_least", None)


def test_negative_amount_and_streak():
    facts = _facts(_fact("fcf", "BABA", "free cash flow", -21.8e9, "CNY", fiscal_period="FY2026Q2"),
                   _fact("streak", "BABA", "consecutive quarters", 9, "count", fiscal_period="FY2026Q2"))
    out = verify_facts(_ledger(
        _claim("RMB 21.8 billion", -21.8e9, "CNY", "free cash flow", fiscal_period="FY2026Q2"),
        _claim("RMB 25 billion", -25e9, "CNY", "free cash flow", fiscal_period="FY2026Q2"),
        _claim("ninth", 9.0, "count", "consecutive quarters", fiscal_period="FY2026Q2"),
        _claim("eighth", 8.0, "count", "consecutive quarters", fiscal_period="FY2026Q2")), facts)
    assert list(out["verdict"]) == [SUPPORTED, CONTRADICTED, SUPPORTED, CONTRADICTED], out[["quote", "verdict"]]


def test_bound_fact_compare():
    # fact ">= 100": claim ">= 100" and ">= 50" are implied, "under 90" is ruled out, "150" undecided
    assert compare_with_fact(100, "at least", 100, "at_least", None) is True
    assert compare_with_fact(100, "at least", 50, "above", None) is True
    assert compare_with_fact(100, "at least", 90, "under", None) is False
    assert compare_with_fact(100, "at least", 150, "both", 0.5) is None
    assert compare_with_fact(100, "over", 100, "at_most", None) is False, "(100, inf) and (-inf, 100] are disjoint"
    # a point fact goes through verify.compare
    assert compare_with_fact(26.97e9, "exact", 27e9, "both", 0.5e9) is True


def test_not_found_nearest_and_lower_bound_facts():
    facts = _facts(
        _fact("lb", "BABA", "units shipped", 100000, "count", as_of="2026-01-31", status="lower bound",
              qualifier="over", note="more than 100000"),
        _fact("may", "BABA", "units shipped", 560000, "count", as_of="2026-05-20", note="560000 at launch"),
        _fact("nf", "BABA", "units shipped", 470000, "count", status="not found", note="470000 not found"),
        _fact("near", "BABA", "market share", 33, "%", period_end="2025-03-31", status="nearest",
              note="Canalys Q1", scope="China"),
    )
    out = verify_facts(_ledger(
        _claim("470,000", 470000.0, "count", "units shipped", as_of="2026-03-20"),
        _claim("300,000", 300000.0, "count", "units shipped", as_of="2026-03-20"),
        _claim("600,000", 600000.0, "count", "units shipped", as_of="2026-03-20"),
        _claim("560,000", 560000.0, "count", "units shipped", as_of="2026-05-20"),
        _claim("34%", 34.0, "%", "market share", fiscal_period="FY2026Q1"),
    ), facts)
    first = out.iloc[0]
    assert first["verdict"] == UNVERIFIABLE and first["fact_id"] == "nf", first.to_dict()
    assert "would lie between" in first["evidence"] and "plausible but unconfirmed" in first["evidence"], \
        first["evidence"]
    assert ">100,000 (2026-01-31)" in first["evidence"] and "560,000 (2026-05-20)" in first["evidence"]
    second = out.iloc[1]
    assert second["verdict"] == UNVERIFIABLE and "would lie between" in second["evidence"], \
        "a count between dated facts is plausible, not confirmed"
    third = out.iloc[2]
    assert third["verdict"] == CONTRADICTED and "never falls" in third["evidence"], \
        "600,000 on 2026-03-20 exceeds the 560,000 stated later: a running count never falls"
    assert out.iloc[3]["verdict"] == SUPPORTED, "a count stated on the fact's own date is compared"
    share = out.iloc[4]
    assert share["verdict"] == UNVERIFIABLE and share["fact_id"] == "near", share.to_dict()
    assert "found instead" in share["evidence"] and "Canalys Q1" in share["evidence"], share["evidence"]


def test_forecast_and_unknown_qualifier_and_bad_values():
    facts = _facts(_fact("rev26", "NVDA", "revenue", 200e9, "USD", fiscal_period="FY2026"))
    out = verify_facts(_ledger(
        _claim("expected $206 billion", 206e9, "USD", "revenue", ticker="NVDA", fiscal_period="FY2026",
               qualifier="expected"),
        _claim("expected $206 billion", 206e9, "USD", "revenue", ticker="NVDA", fiscal_period="FY2027",
               qualifier="expected"),
        _claim("zillions", 5.0, "%", "revenue growth", qualifier="zillions"),
        _claim("n/a", "not a number", "%", "revenue growth"),
    ), facts)
    assert out["verdict"].iloc[0] == CONTRADICTED and "forecast compared with the outcome" in out["evidence"].iloc[0], \
        "206 vs 200 is 3% off, beyond the 'about' 2%"
    assert out["verdict"].iloc[1] == UNVERIFIABLE and "forecast" in out["evidence"].iloc[1]
    assert out["evidence"].iloc[1].startswith("no reference fact")
    assert out["verdict"].iloc[2] == UNVERIFIABLE and "unknown qualifier" in out["evidence"].iloc[2]
    assert out["verdict"].iloc[3] == UNVERIFIABLE and "not a number" in out["evidence"].iloc[3]
    assert math.isnan(out["claimed"].iloc[3])


def test_price_claims_skipped_empty_and_errors():
    ledger = _ledger(_claim("close to 13%", 13.0, "%", "price move", qualifier="close to"),
                     _claim("34%", 34.0, "%", "revenue growth", fiscal_period="FY2026Q2"))
    out = verify_facts(ledger, CLOUD_FACTS)
    assert list(out.columns) == list(FACT_VERDICT_COLUMNS)
    assert list(out["quote"]) == ["34%"], "price claims belong to verify_ledger"
    empty = verify_facts(ledger.iloc[0:0], CLOUD_FACTS)
    assert empty.empty and list(empty.columns) == list(FACT_VERDICT_COLUMNS)
    with pytest.raises(ClaimError, match="DataFrame"):
        verify_facts([1, 2], CLOUD_FACTS)
    with pytest.raises(ClaimError, match="facts"):
        verify_facts(ledger, "facts.csv")
    with pytest.raises(DataFileError, match="unit"):
        verify_facts(ledger.drop(columns="unit"), CLOUD_FACTS)
    with pytest.raises(ClaimError, match="DataFrame"):
        scorecard("ledger")


# ----------------------------------------------------------------------------------------------
# reference_facts loader

def test_reference_facts_typed_and_matches_csv():
    facts = reference_facts()
    assert list(facts.columns) == list(FACT_COLUMNS)
    with open(FACTS_CSV, newline="") as handle:
        raw = list(csv.DictReader(handle))
    assert len(facts) == len(raw) and list(facts["fact_id"]) == [r["fact_id"] for r in raw]
    assert facts["value"].dtype == "float64" and str(facts["as_of"].dtype) == "datetime64[ns]"
    assert set(facts["status"]) <= set(FACT_STATUSES)
    by_id = facts.set_index("fact_id")
    assert by_id.loc["nvda_rev_fy2023", "value"] == 26.97e9, "data/README.md: US$26.97bn"
    assert by_id.loc["fcf_sep2025", "value"] == -21.8e9, "data/README.md: outflow of RMB 21.8bn"
    assert by_id.loc["capex_plan_2025_usd", "value"] == 53e9, "data/events.csv: about US$53bn"
    assert by_id.loc["capex_plan_2025", "unit"] == "CNY"
    assert pd.isna(by_id.loc["thead_chips_470k", "as_of"]) and pd.isna(by_id.loc["thead_chips_470k", "fiscal_period"])


@pytest.mark.parametrize("edit, message", [
    (lambda rows: rows[1].__setitem__("status", "rumour"), "status"),
    (lambda rows: rows[1].__setitem__("value", "lots"), "not a number"),
    (lambda rows: rows[1].__setitem__("as_of", "2025-13-45"), "as_of"),
    (lambda rows: rows[2].__setitem__("fact_id", rows[1]["fact_id"]), "duplicate"),
    (lambda rows: rows[1].__setitem__("qualifier", "zillions"), "unknown qualifier"),
])
def test_reference_facts_errors_name_file_and_line(tmp_path, edit, message):
    with open(FACTS_CSV, newline="") as handle:
        rows = list(csv.DictReader(handle))
    edit(rows)
    bad = tmp_path / "facts.csv"
    with open(bad, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(DataFileError, match=message) as info:
        reference_facts(bad)
    assert info.value.path == str(bad) and info.value.line in (3, 4), (info.value.path, info.value.line)


def test_reference_facts_missing_file_and_column(tmp_path):
    with pytest.raises(DataFileError, match="not found"):
        reference_facts(tmp_path / "absent.csv")
    partial = tmp_path / "partial.csv"
    partial.write_text("fact_id,ticker\nx,BABA\n")
    with pytest.raises(DataFileError, match="missing column") as info:
        reference_facts(partial)
    assert info.value.line == 1


# ----------------------------------------------------------------------------------------------
# the committed ledger of the seed articles

@pytest.fixture(scope="module")
def seed_verdicts() -> pd.DataFrame:
    from babaresearch.ledger import ledger_facts

    return verify_facts(ledger_facts(LEDGER_CSV))


# The extractor files "triple-digit growth" under "AI revenue growth"; ledgers written before
# that say "revenue growth" (with qualifier "at least"): both must verify the same way.
AI_GROWTH = ("revenue growth", "AI revenue growth")


def _pick(verdicts, quote, metric, fiscal_period=None):
    metrics = metric if isinstance(metric, tuple) else (metric,)
    rows = verdicts[(verdicts["quote"] == quote) & verdicts["metric"].isin(metrics)]
    if fiscal_period is not None:
        rows = rows[rows["fiscal_period"] == fiscal_period]
    assert len(rows), f"claim {quote!r} ({metric}, {fiscal_period}) missing from the committed ledger"
    return rows


@pytest.mark.parametrize("quote, metric, period, verdict, fact_id", [
    ("$27 billion", "revenue", "FY2023", SUPPORTED, "nvda_rev_fy2023"),
    ("34%", "revenue growth", "FY2026Q2", SUPPORTED, "cloud_growth_sep2025"),
    ("26%", "revenue growth", "FY2026Q1", SUPPORTED, "cloud_growth_jun2025"),
    ("triple-digit growth", AI_GROWTH, "FY2026Q1", SUPPORTED, "ai_growth_jun2025"),
    ("triple-digit growth", AI_GROWTH, "FY2026Q2", SUPPORTED, "ai_growth_sep2025"),
    ("eight consecutive quarters", "consecutive quarters", "FY2026Q1", SUPPORTED, "ai_streak_jun2025"),
    ("ninth consecutive quarter", "consecutive quarters", "FY2026Q2", SUPPORTED, "ai_streak_sep2025"),
    ("RMB 21.8 billion", "free cash flow", "FY2026Q2", SUPPORTED, "fcf_sep2025"),
    ("380 billion yuan", "capex", None, SUPPORTED, "capex_plan_2025"),
    ("about $53 billion", "capex", None, SUPPORTED, "capex_plan_2025_usd"),
    ("$53 billion", "capex", None, SUPPORTED, "capex_plan_2025_usd"),
    ("29%", "market share", None, SUPPORTED, "aws_share_q3_2025"),
    ("20%", "market share", None, SUPPORTED, "azure_share_q3_2025"),
    ("34%", "market share", "FY2026Q1", UNVERIFIABLE, "cn_share_q2_2025_34"),
    ("4%", "market share", None, UNVERIFIABLE, "baba_global_share_4"),
    ("470,000", "units shipped", None, UNVERIFIABLE, "thead_chips_470k"),
    ("expected $206 billion", "revenue", "FY2026", UNVERIFIABLE, None),
    ("over $100 billion", "capex", None, UNVERIFIABLE, None),
])
def test_seed_claim_verdicts(seed_verdicts, quote, metric, period, verdict, fact_id):
    rows = _pick(seed_verdicts, quote, metric, period)
    assert set(rows["verdict"]) == {verdict}, f"{quote} ({metric}, {period}): {rows['evidence'].tolist()}"
    ids = {None if pd.isna(value) else value for value in rows["fact_id"]}
    assert ids == {fact_id}, f"{quote}: expected fact {fact_id}, matched {ids}"


def test_seed_evidence_sentences(seed_verdicts):
    chips = _pick(seed_verdicts, "470,000", "units shipped")
    assert len(chips) >= 5, "the 470,000 figure recurs in the chips article"
    text = chips["evidence"].iloc[0]
    for piece in ("could not be found", ">100,000 (2026-01-31)", "560,000 (2026-05-20)",
                  "470,000 on 2026-03-20 would lie between", "plausible but unconfirmed"):
        assert piece in text, f"470,000 evidence lacks {piece!r}: {text}"
    share = _pick(seed_verdicts, "34%", "market share")["evidence"].iloc[0]
    assert "cn_share_q1_2025 (nearest): 33%" in share and "Canalys" in share, share
    aws = _pick(seed_verdicts, "29%", "market share")["evidence"].iloc[0]
    assert "names no period" in aws and "Synergy Q3 2025" in aws, aws
    forecast = _pick(seed_verdicts, "expected $206 billion", "revenue")["evidence"].iloc[0]
    assert forecast.startswith("no reference fact") and "forecast" in forecast, forecast
    amazon = _pick(seed_verdicts, "over $100 billion", "capex")["evidence"].iloc[0]
    assert amazon.startswith("no reference fact"), "Amazon's capex is not Alibaba's plan"


def test_seed_scorecard_combines_price_and_fact_claims():
    from babaresearch.ledger import ledger_facts

    ledger = ledger_facts(LEDGER_CSV)
    table = scorecard(ledger, source="snapshot", repeats="keep")
    assert list(table.columns) == list(SCORECARD_COLUMNS)
    assert len(table) == len(ledger), "repeats='keep': every ledger claim appears once"
    assert (table["mentions"] == 1).all()
    price = table[table["kind"] == "price"]
    assert set(price["metric"]) == {"price move", "share price", "YTD return"}, price["metric"]
    move = price[price["metric"] == "price move"].iloc[0]
    # data/README.md: BABA 2025-08-28 close 119.57 -> 2025-08-29 close 135.00
    assert move["measured_or_fact"] == pytest.approx((135.00 / 119.57 - 1) * 100, abs=1e-6)
    assert move["verdict"] == SUPPORTED, move["evidence"]
    # order: doc_id, then offset in the ledger
    expected = ledger.sort_values(["doc_id", "start"], kind="stable")["quote"].tolist()
    assert table["quote"].tolist() == expected, "scorecard rows must follow doc_id then offset"
    assert set(table["verdict"]) <= {SUPPORTED, CONTRADICTED, UNVERIFIABLE}


# ----------------------------------------------------------------------------------------------
# review fixes: strict subjects, plan vs quarter, AI revenue growth, no claimed figure as fact

def test_group_revenue_growth_is_not_the_cloud_segment_fact():
    ledger = _ledger(_claim("34%", 34.0, "%", "revenue growth", subject="Alibaba", fiscal_period="FY2026Q2"),
                     _claim("34%", 34.0, "%", "revenue growth", subject="Alibaba Cloud", fiscal_period="FY2026Q2"))
    out = verify_facts(ledger)  # the committed reference facts
    group, cloud = out.iloc[0], out.iloc[1]
    assert group["verdict"] == UNVERIFIABLE and pd.isna(group["fact_id"]), (
        f"Alibaba (group) growth must not be supported by the cloud segment's 34%: {group.to_dict()}")
    assert group["evidence"].startswith("no reference fact") and "Alibaba Cloud" in group["evidence"], \
        group["evidence"]
    assert cloud["verdict"] == SUPPORTED and cloud["fact_id"] == "cloud_growth_sep2025"


def test_quarterly_capex_is_not_compared_with_the_three_year_plan():
    ledger = _ledger(
        _claim("RMB 31.4 billion", 31.4e9, "CNY", "capex", fiscal_period="FY2026Q1"),
        _claim("380 billion yuan", 380e9, "CNY", "capex"),
        _claim("$53 billion", 53e9, "USD", "capex", fiscal_period="FY2026Q1"),
    )
    out = verify_facts(ledger)
    quarter = out.iloc[0]
    assert quarter["verdict"] == UNVERIFIABLE and pd.isna(quarter["fact_id"]), (
        f"a quarter's capex is not the RMB 380bn plan, so it cannot contradict it: {quarter.to_dict()}")
    assert "multi-year plan" in quarter["evidence"] and "capex_plan_2025" in quarter["evidence"]
    assert out.iloc[1]["verdict"] == SUPPORTED and out.iloc[1]["fact_id"] == "capex_plan_2025"
    assert out.iloc[2]["verdict"] == UNVERIFIABLE, "a plan figure given a quarter is not compared either"


@pytest.mark.parametrize("metric, subject, quote, period, fact_id", [
    ("AI revenue growth", "Alibaba Cloud", "triple-digit growth", "FY2026Q1", "ai_growth_jun2025"),
    ("AI revenue growth", "Alibaba", "triple-digit growth", "FY2026Q2", "ai_growth_sep2025"),
    ("revenue growth", "Alibaba Cloud", "triple-digit growth", "FY2026Q2", "ai_growth_sep2025"),  # old ledger
    ("AI-related revenue growth", "Alibaba Cloud", "triple-digit", "FY2026Q1", "ai_growth_jun2025"),
])
def test_ai_revenue_growth_maps_to_the_ai_growth_facts(metric, subject, quote, period, fact_id):
    claim = _claim(quote, 100.0, "%", metric, subject=subject, fiscal_period=period,
                   qualifier="at least", approx=True)
    row = _one(_ledger(claim), reference_facts())
    assert row["verdict"] == SUPPORTED and row["fact_id"] == fact_id, row.to_dict()


def test_cloud_revenue_growth_maps_to_the_cloud_facts():
    row = _one(_ledger(_claim("26%", 26.0, "%", "revenue growth", subject="Alibaba Cloud",
                              fiscal_period="FY2026Q1")), reference_facts())
    assert row["verdict"] == SUPPORTED and row["fact_id"] == "cloud_growth_jun2025", row.to_dict()
    # 26% is no AI growth figure: as AI revenue growth it contradicts "at least 100%"
    row = _one(_ledger(_claim("26%", 26.0, "%", "AI revenue growth", subject="Alibaba Cloud",
                              fiscal_period="FY2026Q1")), reference_facts())
    assert row["verdict"] == CONTRADICTED and row["fact_id"] == "ai_growth_jun2025", row.to_dict()


def test_unverifiable_rows_never_show_the_claimed_figure_as_the_fact():
    out = verify_facts(_ledger(
        _claim("34%", 34.0, "%", "market share", subject="Alibaba Cloud", fiscal_period="FY2026Q1"),
        _claim("470,000", 470000.0, "count", "units shipped", subject="T-Head", as_of="2026-03-20"),
        _claim("4%", 4.0, "%", "market share", subject="Alibaba Cloud"),
    ))
    share, chips, world = out.iloc[0], out.iloc[1], out.iloc[2]
    assert share["verdict"] == UNVERIFIABLE and share["fact_value"] == 33.0, (
        "the nearest figure found is Canalys' 33% (Q1 2025), not the claimed 34%")
    assert "nearest figure found (cn_share_q1_2025)" in share["evidence"], share["evidence"]
    assert chips["verdict"] == UNVERIFIABLE and math.isnan(chips["fact_value"]), chips.to_dict()
    assert "dated bounds" in chips["evidence"] and "560,000 (2026-05-20)" in chips["evidence"]
    assert world["verdict"] == UNVERIFIABLE and math.isnan(world["fact_value"]), world.to_dict()
    assert "no other figure found" in world["evidence"]
    assert (out["fact_value"] != out["claimed"]).all(), "no unverifiable row may echo its own claim"


def test_reference_facts_subject_and_horizon_columns():
    facts = reference_facts().set_index("fact_id")
    assert facts.loc["cloud_growth_sep2025", "subject"] == "Alibaba Cloud"
    assert facts.loc["capex_plan_2025", "horizon"] == "plan"
    # hand-built frames without the optional columns still work (empty = unrestricted)
    row = _one(_ledger(_claim("34%", 34.0, "%", "revenue growth", subject="Alibaba", fiscal_period="FY2026Q2")),
               CLOUD_FACTS)
    assert row["verdict"] == SUPPORTED, "a fact without subjects is not held to one"


def test_reference_facts_reject_an_unknown_horizon(tmp_path):
    with open(FACTS_CSV, newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[1]["horizon"] = "forever"
    bad = tmp_path / "facts.csv"
    with open(bad, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(DataFileError, match="horizon 'forever'") as info:
        reference_facts(bad)
    assert info.value.line == 3


def _repeated_ledger() -> pd.DataFrame:
    rows = [_claim("470,000", 470000.0, "count", "units shipped", subject=subject, start=start,
                   as_of="2026-03-20")
            for subject, start in (("Alibaba", 30), ("T-Head", 10), ("T-Head", 90))]
    rows.append(_claim("RMB 21.8 billion", -21.8e9, "CNY", "free cash flow", fiscal_period="FY2026Q2", start=50))
    rows.append(_claim("470,000", 470000.0, "count", "units shipped", doc_id="d2", as_of="2026-03-20"))
    return _ledger(*rows)


def test_scorecard_counts_a_repeated_figure_once_per_document():
    table = scorecard(_repeated_ledger())
    assert list(table.columns) == list(SCORECARD_COLUMNS)
    assert table[["doc_id", "quote", "mentions"]].values.tolist() == [
        ["d1", "470,000", 3], ["d1", "RMB 21.8 billion", 1], ["d2", "470,000", 1]], (
        "three mentions of 470,000 in d1 are one row (first offset) with mentions 3; d2 counts apart")
    assert str(table["mentions"].dtype) == "int64"
    kept = scorecard(_repeated_ledger(), repeats="keep")
    assert len(kept) == 5 and (kept["mentions"] == 1).all()
    with pytest.raises(ClaimError, match="repeats"):
        scorecard(_repeated_ledger(), repeats="merge")
    empty = scorecard(_repeated_ledger().iloc[0:0])
    assert empty.empty and list(empty.columns) == list(SCORECARD_COLUMNS)


def test_scorecard_keeps_mentions_with_different_verdicts_apart():
    ledger = _ledger(_claim("RMB 21.8 billion", -21.8e9, "CNY", "free cash flow", fiscal_period="FY2026Q2"),
                     _claim("RMB 21.8 billion", -21.8e9, "CNY", "free cash flow", fiscal_period="FY2026Q1",
                            start=40))
    table = scorecard(ledger)
    assert table["verdict"].tolist() == [SUPPORTED, UNVERIFIABLE] and table["mentions"].tolist() == [1, 1]


def test_seed_scorecard_counts_the_470000_figure_once():
    from babaresearch.ledger import ledger_facts

    ledger = ledger_facts(LEDGER_CSV)
    table = scorecard(ledger, source="snapshot")
    chips = table[table["quote"].str.startswith("470,000")]
    assert len(chips) == 1 and chips["mentions"].iloc[0] == 9, chips[["quote", "mentions"]]
    assert table["mentions"].sum() == len(ledger), "collapsed rows still account for every mention"
    assert math.isnan(chips["measured_or_fact"].iloc[0]), "the claimed 470,000 is never shown as the fact"


# ----------------------------------------------------------------------------------------------
# review fixes: "almost" on facts, the check column, one-line evidence

def test_almost_on_amounts_and_percents_reaches_the_rounding_band_above():
    facts = _facts(_fact("rev", "NVDA", "revenue", 27.3e9, "USD", fiscal_period="FY2023"),
                   _fact("rev24", "NVDA", "revenue", 27.6e9, "USD", fiscal_period="FY2024"),
                   _fact("rev25", "NVDA", "revenue", 26.5e9, "USD", fiscal_period="FY2025"),
                   _fact("rev26", "NVDA", "revenue", 26.4e9, "USD", fiscal_period="FY2026"),
                   _fact("g", "BABA", "revenue growth", 26.5, "%", fiscal_period="FY2026Q1"))
    nvda = dict(ticker="NVDA", qualifier="nearly")
    out = verify_facts(_ledger(
        _claim("nearly $27 billion", 27e9, "USD", "revenue", fiscal_period="FY2023", **nvda),
        _claim("nearly $27 billion", 27e9, "USD", "revenue", fiscal_period="FY2024", **nvda),
        _claim("nearly $27 billion", 27e9, "USD", "revenue", fiscal_period="FY2025", **nvda),
        _claim("nearly $27 billion", 27e9, "USD", "revenue", fiscal_period="FY2026", **nvda),
        _claim("almost 26%", 26.0, "%", "revenue growth", fiscal_period="FY2026Q1", qualifier="almost"),
    ), facts)
    # "$27 billion" rounds 26.5-27.5bn; "nearly" reaches 2% (0.54bn) below: 26.46-27.5bn
    assert fact_rounding_band(27e9, "USD") == 0.5e9 and fact_tolerance(27e9, "almost", "USD") == ("below", 0.54e9)
    assert list(out["verdict"]) == [SUPPORTED, CONTRADICTED, SUPPORTED, CONTRADICTED, SUPPORTED], \
        out[["fiscal_period", "verdict", "evidence"]]
    assert "[from USD 540m below to USD 500m above]" in out["evidence"].iloc[0], out["evidence"].iloc[0]
    # a count: "almost 9" is never narrower than the 0.5 rounding of a whole number
    assert fact_tolerance(9.0, "almost", "count") == ("below", 0.5)


CHECK_CASES = [
    # (claim, expected verdict, expected check)
    (_claim("34%", 34.0, "%", "revenue growth", fiscal_period="FY2026Q2"), SUPPORTED, "fact confirms"),
    (_claim("30%", 30.0, "%", "revenue growth", fiscal_period="FY2026Q2"), CONTRADICTED, "fact contradicts"),
    (_claim("150%", 150.0, "%", "AI revenue growth", fiscal_period="FY2026Q2"), UNVERIFIABLE,
     "not confirmed by the facts found"),  # the fact is ">= 100": 150 is neither confirmed nor ruled out
    (_claim("12%", 12.0, "%", "market share", fiscal_period="FY2026Q2"), UNVERIFIABLE,
     "not confirmed by the facts found"),  # only a "nearest" fact
    (_claim("RMB 5 billion", 5e9, "CNY", "capex", fiscal_period="FY2026Q2"), UNVERIFIABLE,
     "not confirmed by the facts found"),  # the fact is in USD
    (_claim("expected 40%", 40.0, "%", "revenue growth", fiscal_period="FY2027Q1", qualifier="expected"),
     UNVERIFIABLE, "forecast"),
    (_claim("expected 33%", 33.0, "%", "revenue growth", fiscal_period="FY2026Q2", qualifier="expected"),
     SUPPORTED, "fact confirms"),  # a forecast settled by the outcome
    (_claim("9%", 9.0, "%", "operating margin", fiscal_period="FY2026Q2"), UNVERIFIABLE,
     "no reference fact collected"),
    (_claim("lots", "lots", "%", "revenue growth", fiscal_period="FY2026Q2"), UNVERIFIABLE,
     "claim not checkable"),
]


def test_check_column_tells_why_a_claim_is_unverifiable():
    facts = pd.concat([CLOUD_FACTS, _facts(
        _fact("share", "BABA", "market share", 10, "%", period_end="2025-06-30", status="nearest"),
        _fact("capex", "BABA", "capex", 5e9, "USD", fiscal_period="FY2026Q2"))], ignore_index=True)
    out = verify_facts(_ledger(*(claim for claim, _, _ in CHECK_CASES)), facts)
    assert "check" in out.columns and list(out.columns) == list(FACT_VERDICT_COLUMNS)
    for (claim, verdict, check), (_, row) in zip(CHECK_CASES, out.iterrows()):
        assert (row["verdict"], row["check"]) == (verdict, check), f"{claim['quote']}: {row.to_dict()}"
    assert set(out["check"]) <= set(CHECK_OUTCOMES)


def test_evidence_is_one_line_even_when_a_source_note_has_newlines():
    facts = _facts(_fact("g", "BABA", "revenue growth", 34, "%", fiscal_period="FY2026Q2",
                         note="results release,\n  page 3\r\nsegment table"))
    row = _one(_ledger(_claim("34%", 34.0, "%", "revenue growth", fiscal_period="FY2026Q2")), facts)
    assert "\n" not in row["evidence"] and "\r" not in row["evidence"], row["evidence"]
    assert "results release, page 3 segment table" in row["evidence"]


def test_seed_scorecard_check_column_splits_unverifiable():
    from babaresearch.ledger import ledger_facts

    ledger = ledger_facts(LEDGER_CSV)
    table = scorecard(ledger, source="snapshot")
    assert list(table.columns) == list(SCORECARD_COLUMNS) and set(table["check"]) <= set(CHECK_OUTCOMES)
    # the check agrees with the verdict
    by_verdict = table.groupby("verdict")["check"].agg(set).to_dict()
    assert by_verdict.get(SUPPORTED, set()) <= {"measured", "fact confirms"}, by_verdict
    assert by_verdict.get(CONTRADICTED, set()) <= {"measured", "fact contradicts"}, by_verdict
    assert not by_verdict.get(UNVERIFIABLE, set()) & {"measured", "fact confirms", "fact contradicts"}
    assert (table.loc[table["kind"] == "price", "check"].isin(["measured", "no price data",
                                                               "claim not checkable"])).all()

    def check_of(quote, metric):
        rows = table[(table["quote"] == quote) & (table["metric"] == metric)]
        assert len(rows), f"{quote!r} ({metric}) missing from the seed scorecard"
        return set(rows["check"])

    assert check_of("470,000", "units shipped") == {"not confirmed by the facts found"}
    assert check_of("expected $206 billion", "revenue") == {"forecast"}
    assert check_of("over $100 billion", "capex") == {"no reference fact collected"}
    assert check_of("$27 billion", "revenue") == {"fact confirms"}
    assert check_of("34%", "market share") == {"not confirmed by the facts found"}
    move = table[table["metric"] == "price move"]
    assert "measured" in set(move["check"]), move[["quote", "check"]]
    assert not table["evidence"].str.contains("\n").any(), "every evidence string is one line"


def test_stated_tolerance_claim_is_checked_with_its_width():
    # "$75 billion plus or minus 2%" allows 73.5-76.5bn (by hand): a 76bn fact supports it, 77bn
    # contradicts it (the exact rule's 74.5-75.5 would have contradicted 76bn too)
    claim = _claim("$75 billion ±2%", 75e9, "USD", "revenue", ticker="NVDA", fiscal_period="FY2026Q3",
                   qualifier="plus or minus 2%")
    for value, verdict in ((76e9, SUPPORTED), (77e9, CONTRADICTED)):
        facts = _facts(_fact("rev", "NVDA", "revenue", value, "USD", fiscal_period="FY2026Q3"))
        row = _one(_ledger(claim), facts)
        assert row["verdict"] == verdict, row["evidence"]
        assert row["check"] != "claim not checkable", "a stated tolerance is a checkable claim"
    assert "USD 75bn plus or minus 2%" in row["evidence"] and "within +/-USD 1.5bn" in row["evidence"], row["evidence"]
    assert fact_tolerance(75e9, "about", "USD", stated=(2.0, "%")) == ("both", pytest.approx(1.5e9))
    assert fact_tolerance(34.0, "about", "%", stated=(0.1, "%")) == ("both", 0.5), "never below the exact band"
