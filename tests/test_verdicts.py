"""Tests of the check table's verdicts (``babaresearch.verdicts``, issue 9).

Every expectation is computed by hand from the embedded data, with the computation in the
comment (``data/prices/<T>.csv`` unadjusted ``close``; ``data/fundamentals.csv``). The numbers
frames are built by hand so the rules are tested apart from the reader's quirks; one end-to-end
test reads ``../shared/corpus`` (skipped with a reason when absent) and asserts that no verdict
is a false contradiction against its gold.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
import pytest

from babaresearch.check import NUMBER_COLUMNS
from babaresearch.verdicts import (REASONS, VERDICT_COLUMNS, band, check_documents, judge,
                                   summary, tolerance_table)

REPO = Path(__file__).resolve().parent.parent
SHARED_CORPUS = REPO.parent / "shared" / "corpus"


def row(**fields) -> dict:
    """A numbers-table row: a BABA close-to-close claim unless told otherwise."""
    base = {c: "" for c in NUMBER_COLUMNS}
    base.update({"doc_id": "t", "title": "t", "start": 0, "end": 1, "role": "claim",
                 "ticker": "BABA", "subject": "Alibaba", "entity_kind": "company",
                 "unit": "%", "metric": "price_move", "window": "close", "listing": "US",
                 "session_how": "weekday", "forecast": False, "estimate": False,
                 "period_ambiguous": False, "decimals": 0, "session": pd.NaT,
                 "published": pd.NaT})
    base.update(fields)
    for key in ("session", "published"):
        base[key] = pd.Timestamp(base[key]) if base[key] is not pd.NaT and base[key] != "" else pd.NaT
    if not base["quote"]:
        base["quote"] = f"{abs(base['value']):g}"
    if not base["evidence"]:
        base["evidence"] = f"The figure was {base['quote']}."
    return base


def one(**fields) -> pd.Series:
    frame = pd.DataFrame([row(**fields)])
    return judge(None, frame).iloc[0]


# ------------------------------------------------------------------------------ the contract
def test_judge_adds_the_verdict_columns_and_codes_are_documented():
    out = judge(None, pd.DataFrame([row(value=12.9, decimals=1, session="2025-08-29",
                                        published="2025-08-30")]))
    assert list(out.columns[-len(VERDICT_COLUMNS):]) == list(VERDICT_COLUMNS)
    assert set(out["reason"]) <= set(REASONS)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [code for code in REASONS if f"`{code}`" not in readme]
    assert not missing, f"reason codes not documented in README.md: {missing}"
    assert len(tolerance_table()) >= 5


def test_not_a_claim_is_never_judged():
    r = one(role="advert", value=40, metric="")
    assert (r.verdict, r.reason) == ("not a claim", "not_a_claim")


# ------------------------------------------------------------------------------ price moves
def test_move_close_to_close_on_the_named_session():
    # BABA 2025-08-29 close 135.00, previous close (2025-08-28) 119.57: 135/119.57-1 = +12.905%
    r = one(value=12.9, decimals=1, session="2025-08-29", published="2025-08-30")
    assert r.verdict == "supported" and r.reason == "measured"
    assert r.measured == pytest.approx(12.9046, abs=1e-3)
    # "nearly 13%": 13 - max(0.5, 1.3) = 11.7 <= 12.90 <= 13.5
    assert one(value=13, qualifier_kind="nearly", qualifier="nearly", session="2025-08-29",
               published="2025-08-30").verdict == "supported"


def test_five_percent_means_four_and_a_half_to_five_and_a_half():
    # BABA 2025-12-01: close/prev - 1 = +4.425% -> outside 4.5..5.5, weekday-pinned: contradicted
    # (neighbours 2025-11-28 and 2025-12-02 are not within 4.5..5.5 either)
    r = one(value=5, session="2025-12-01", published="2025-12-02")
    assert (r.verdict, r.reason) == ("contradicted", "measured"), r.measured_evidence
    assert r.measured == pytest.approx(4.425, abs=1e-3)
    # BABA 2023-08-10: +4.597% -> inside 4.5..5.5
    assert one(value=5, session="2023-08-10", published="2023-08-11").verdict == "supported"
    # "5.1%" means 5.05..5.15: BABA 2023-08-10 (+4.597%) is outside, 2025-11-24 (+5.100%) inside
    assert one(value=5.1, decimals=1, session="2025-11-24",
               published="2025-11-25").verdict == "supported"


def test_about_band_is_half_a_point_or_ten_percent():
    assert band(0.5, "move", "approx", 0.05) == (0.0, 1.0)
    assert band(13, "move", "approx", 0.5) == pytest.approx((11.7, 14.3))
    assert band(135, "price", "approx", 0.5) == pytest.approx((132.3, 137.7))
    # NVDA 2025-01-22 +4.431%: "about 4%" (3.5..4.5) supported, "about 3%" (2.5..3.5) is not
    assert one(ticker="NVDA", value=4, qualifier_kind="approx", session="2025-01-22",
               published="2025-01-23").verdict == "supported"
    r = one(ticker="NVDA", value=3, qualifier_kind="approx", session="2025-01-22",
            published="2025-01-23")
    assert r.verdict == "contradicted", r.measured_evidence


def test_more_than_and_sign():
    # NVDA 2025-01-27: 118.42/142.62 - 1 = -16.968%: "fell more than 15%" supported
    assert one(ticker="NVDA", value=-15, qualifier_kind="lower", session="2025-01-27",
               published="2025-01-28").verdict == "supported"
    # the same size with the other sign is never an accusation (the sign reading is not trusted)
    r = one(ticker="NVDA", value=17, session="2025-01-27", published="2025-01-28")
    assert (r.verdict, r.reason) == ("unverifiable", "sign_mismatch")


def test_inferred_session_supports_but_never_contradicts():
    # NVDA 2025-01-27 -16.97%: a wrong figure on an inferred session is ambiguous_session
    r = one(ticker="NVDA", value=-12, session="2025-01-27", session_how="article_date",
            published="2025-01-27")
    assert (r.verdict, r.reason) == ("unverifiable", "ambiguous_session")
    assert one(ticker="NVDA", value=-17, session="2025-01-27", session_how="article_date",
               published="2025-01-27").verdict == "supported"


def test_a_claim_fitting_the_next_session_is_not_contradicted():
    # BABA 2025-09-02: 138.55/135.00 - 1 = +2.63%; the claimed +12.9% is 2025-08-29's move
    r = one(value=12.9, decimals=1, session="2025-09-02", published="2025-09-03")
    assert (r.verdict, r.reason) == ("unverifiable", "ambiguous_session")


# ------------------------------------------------------------------------------ price levels
def test_price_stated_to_the_cent_must_match_to_the_cent():
    # NVDA 2025-01-27 close 118.42: "$118.51" (118.505..118.515) contradicted
    r = one(ticker="NVDA", metric="share_price", unit="USD", value=118.51, decimals=2,
            session="2025-01-27", session_how="stated_date", published="2025-01-27")
    assert (r.verdict, r.reason) == ("contradicted", "measured")
    assert r.measured == pytest.approx(118.42)
    # "$118" (117.5..118.5) supported; "about $135" vs BABA 2025-08-29 135.00 supported
    assert one(ticker="NVDA", metric="share_price", unit="USD", value=118, session="2025-01-27",
               published="2025-01-28").verdict == "supported"
    assert one(metric="share_price", unit="USD", value=135, qualifier_kind="approx",
               session="2025-08-29", published="2025-08-30").verdict == "supported"


def test_pre_split_nvidia_prices_are_compared_as_traded():
    # NVDA 2024-05-23 split-adjusted close 103.80 -> 1038.00 as traded before 2024-06-10
    r = one(ticker="NVDA", metric="share_price", unit="USD", value=1038, session="2024-05-23",
            published="2024-05-24")
    assert r.verdict == "supported" and r.measured == pytest.approx(1038.0)
    assert "split" in r.measured_evidence
    r = one(ticker="NVDA", metric="share_price", unit="USD", value=1100, session="2024-05-23",
            published="2024-05-24")
    assert r.verdict == "contradicted"   # 1100 vs 1038: 6% off, both neighbours (949.5, 1064.7) too


def test_ytd_from_the_previous_year_end_and_no_base_before_the_data():
    # BABA 2025-08-29: 135.00 / 2024-12-31 close 84.79 - 1 = +59.22%: "almost 60%" supported
    r = one(metric="ytd_return", window="ytd", value=60, qualifier_kind="nearly",
            session="2025-08-29", published="2025-08-30")
    assert r.verdict == "supported" and r.measured == pytest.approx(59.217, abs=1e-3)
    # a 2023 YTD needs the 2022-12-30 close; the data start 2023-01-03
    r = one(ticker="NVDA", metric="ytd_return", window="ytd", value=181,
            session="2023-06-13", published="2023-06-13")
    assert (r.verdict, r.reason) == ("unverifiable", "no_price_base")


def test_windows_listings_and_subjects():
    # an intraday or pre-market figure is not measured on the close
    r = one(value=-2.3, decimals=1, window="intraday", session="2025-05-19", published="2025-05-19")
    assert (r.verdict, r.reason) == ("unverifiable", "intraday_needs_intraday_data")
    assert math.isnan(r.measured)
    # "as much as 4.5%" is an intraday extreme even when the window reads 'close'
    r = one(ticker="NVDA", value=-4.5, decimals=1, qualifier="as much as", qualifier_kind="lower",
            session="2023-11-22", published="2023-11-22")
    assert r.reason == "intraday_needs_intraday_data"
    # with settle_intraday the day's bar settles it: low 47.69 / prev 49.94 - 1 = -4.505%
    frame = pd.DataFrame([row(ticker="NVDA", value=-4.5, decimals=1, qualifier="as much as",
                              qualifier_kind="lower", window="intraday", session="2023-11-22",
                              published="2023-11-22")])
    assert judge(None, frame, settle_intraday=True).iloc[0].verdict == "supported"
    assert one(value=-3.4, decimals=1, listing="HK", session="2025-05-19",
               published="2025-05-19").reason == "other_listing"
    assert one(metric="share_price", unit="HKD", value=138.5, decimals=2, session="2025-02-20",
               published="2025-02-21").reason == "other_listing"
    for ticker in ("Nasdaq Composite", "Hang Seng", "AMD"):
        r = one(ticker=ticker, metric="index_move", entity_kind="index", value=-3,
                session="2025-01-27", published="2025-01-28")
        assert (r.verdict, r.reason) == ("unverifiable", "no_price_data"), ticker
    assert one(ticker="", value=3, session="2025-01-27").reason == "unknown_subject"
    assert one(value=3, session=pd.NaT, session_how="not_a_session").reason == "no_session"
    assert one(metric="market_cap", unit="USD", value=1e12, session="2025-01-27").reason == "no_fact"
    # a market value's change in percent is the price move: NVDA 2025-01-27 -16.97%
    assert one(ticker="NVDA", metric="market_cap_change", value=-17, qualifier_kind="nearly",
               session="2025-01-27", session_how="stated_date",
               published="2025-01-28").verdict == "supported"


def test_sp500_is_measured_on_spy_as_a_proxy():
    # SPY 2025-04-07: close/prev - 1 = -0.178%: "fell about 0.5%" (0..1.0, +0.1 proxy) supported
    r = one(ticker="S&P 500", entity_kind="index", metric="index_move", value=-0.5, decimals=1,
            qualifier_kind="approx", session="2025-04-07", published="2025-04-08")
    assert r.verdict == "supported" and "proxy" in r.measured_evidence
    # an index level is not an ETF price
    assert one(ticker="S&P 500", entity_kind="index", metric="index_level", unit="count",
               value=5000, session="2025-04-07").reason == "no_price_data"


def test_estimates_and_forecasts_of_prices():
    assert one(metric="share_price", unit="USD", value=200, estimate=True,
               session="2025-08-29").reason == "estimate_not_reported"
    assert one(metric="share_price", unit="USD", value=200, forecast=True, session_how="article_date",
               session="2025-08-29", published="2025-08-29").reason == "forecast_pending"


# ------------------------------------------------------------------------------ facts
def fact(**fields) -> pd.Series:
    fields.setdefault("ticker", "NVDA")
    fields.setdefault("unit", "USD")
    fields.setdefault("metric", "revenue")
    fields.setdefault("fiscal_period_how", "stated")
    fields.setdefault("window", "")
    fields.setdefault("session_how", "")
    return one(**fields)


def test_revenue_at_stated_precision():
    # NVDA FY2026Q2 revenue 46,743,000,000 (fundamentals.csv): "$46.7 billion" = 46.65..46.75bn
    r = fact(value=46.7e9, quote="$46.7 billion", decimals=1, fiscal_period="FY2026Q2",
             published="2025-08-27")
    assert (r.verdict, r.reason) == ("supported", "fact_confirms")
    assert r.measured == 46_743_000_000
    # "$48.7 billion": outside, period stated, matches no other figure: contradicted
    r = fact(value=48.7e9, quote="$48.7 billion", decimals=1, fiscal_period="FY2026Q2",
             published="2025-08-28")
    assert (r.verdict, r.reason) == ("contradicted", "fact_contradicts"), r.measured_evidence
    # BABA FY2026Q2 revenue RMB247,795 million: "RMB247.8 billion" (247.75..247.85bn) supported
    r = fact(ticker="BABA", unit="CNY", value=247.8e9, quote="RMB247.8 billion", decimals=1,
             fiscal_period="FY2026Q2", published="2025-11-25")
    assert r.verdict == "supported"
    # its US-dollar translation is not compared
    r = fact(ticker="BABA", unit="USD", value=34.8e9, quote="$34.8 billion", decimals=1,
             fiscal_period="FY2026Q2", published="2025-11-25")
    assert (r.verdict, r.reason) == ("unverifiable", "currency_mismatch")


def test_growth_uses_the_stated_yoy_rate_and_multiples():
    # NVDA FY2026Q2 revenue yoy_pct +56
    assert fact(metric="revenue_growth", unit="%", value=56, fiscal_period="FY2026Q2",
                published="2025-08-27").verdict == "supported"
    # BABA FY2025Q3 net income attributable +239% (3.39x), net income +333% (4.33x):
    # "more than three-fold" supported
    assert fact(ticker="BABA", metric="net_income_growth", unit="x", value=3, quote="three-fold",
                qualifier_kind="lower", fiscal_period="FY2025Q3",
                published="2025-02-21").verdict == "supported"
    # a quarter-on-quarter rate is not held
    assert fact(metric="revenue_growth", unit="%", value=41, comparison="sequential",
                fiscal_period="FY2024Q3", published="2023-11-22").reason == "no_fact"


def test_eps_basis_and_pre_split_eps():
    # NVDA FY2026Q2 diluted EPS: GAAP 1.08, non-GAAP 1.05 -> "$1.05" (basis not stated) supported
    assert fact(metric="eps", value=1.05, decimals=2, quote="$1.05", fiscal_period="FY2026Q2",
                published="2025-08-27").verdict == "supported"
    # "$0.95": both bases disagree, but the basis is not stated -> not an accusation... unless
    # every basis disagrees (1.08 and 1.05 both outside 0.945..0.955): contradicted
    r = fact(metric="eps", value=0.95, decimals=2, quote="$0.95", fiscal_period="FY2026Q2",
             published="2025-08-28")
    assert r.verdict == "contradicted", r.measured_evidence
    # FY2024Q3 non-GAAP 4.02 as reported before the split
    assert fact(metric="eps", value=4.02, decimals=2, quote="$4.02", fiscal_period="FY2024Q3",
                published="2023-11-22").verdict == "supported"


def test_guidance_streak_plan():
    # NVDA FY2026Q3 outlook $54.0B +/- 2%: low end 52.92, high end 55.08
    for value in (52.9e9, 55.1e9, 54e9):
        r = fact(metric="revenue_guidance", value=value, quote=f"${value / 1e9:g} billion",
                 decimals=1, forecast=True, fiscal_period="FY2025Q3",
                 fiscal_period_how="latest_with_number", published="2025-08-28")
        assert r.verdict == "supported", (value, r.measured_evidence)
    # "plus or minus 2%" is the band itself
    assert fact(metric="revenue_guidance", unit="%", value=2, forecast=True,
                fiscal_period="FY2026Q3", fiscal_period_how="guided_next",
                published="2025-08-28").verdict == "supported"
    # BABA ai_revenue_streak FY2026Q2 = 9 ("ninth consecutive quarter")
    assert fact(ticker="BABA", metric="consecutive_quarters", unit="count", value=9,
                quote="ninth", fiscal_period="FY2026Q2", fiscal_period_how="latest_reported",
                published="2025-11-25").verdict == "supported"
    # NVDA buyback authorization $60B announced 2025-08-27
    assert fact(metric="buyback_authorization", value=60e9, quote="$60 billion",
                fiscal_period="FY2026Q2", fiscal_period_how="latest_reported",
                published="2025-08-28").verdict == "supported"


def test_fact_policy_estimates_forecasts_periods():
    assert fact(value=46.06e9, quote="$46.06 billion", decimals=2, estimate=True,
                fiscal_period="FY2026Q2").reason == "estimate_not_reported"
    # an estimate named after its figure: "the roughly $7.2 billion analysts had pencilled in"
    r = fact(value=7.2e9, quote="roughly $7.2 billion", decimals=1, qualifier_kind="approx",
             evidence="It was above the roughly $7.2 billion analysts had pencilled in.",
             fiscal_period="FY2024Q1", published="2023-05-25")
    assert r.reason == "estimate_not_reported"
    # a forecast for a quarter not reported by the article's date (FY2026Q3 released 2025-11-19)
    assert fact(value=55e9, quote="$55 billion", forecast=True, fiscal_period="FY2026Q3",
                published="2025-09-01").reason == "forecast_pending"
    # an inferred period outside a results article: wrong figure is ambiguous_period
    # (NVDA FY2026Q2 released 2025-08-27; the article is of 2025-10-01)
    r = fact(value=48.7e9, quote="$48.7 billion", decimals=1, fiscal_period="FY2026Q2",
             fiscal_period_how="latest_reported", published="2025-10-01")
    assert (r.verdict, r.reason) == ("unverifiable", "ambiguous_period")
    # ... but on the release day it is pinned
    r = fact(value=48.7e9, quote="$48.7 billion", decimals=1, fiscal_period="FY2026Q2",
             fiscal_period_how="latest_reported", published="2025-08-27")
    assert r.verdict == "contradicted"
    # two readings of the label
    r = fact(ticker="BABA", unit="CNY", value=250e9, quote="RMB250 billion",
             fiscal_period="FY2026Q2", period_ambiguous=True, published="2025-11-26")
    assert r.reason == "ambiguous_period"


def test_a_figure_of_another_segment_or_period_is_not_contradicted():
    # NVDA FY2026Q2 Data Center revenue 41,096,000,000: "$41.1 billion" read as total revenue
    r = fact(value=41.1e9, quote="$41.1 billion", decimals=1, fiscal_period="FY2026Q2",
             evidence="Nvidia reported $41.1 billion of revenue.", published="2025-08-27")
    assert (r.verdict, r.reason) == ("unverifiable", "matches_other_figure")
    # ... and supported when the sentence names the segment
    r = fact(value=41.1e9, quote="$41.1 billion", decimals=1, fiscal_period="FY2026Q2",
             evidence="Data center sales came to $41.1 billion.", published="2025-08-27")
    assert r.verdict == "supported"
    # a flattened table's previous-quarter column: NVDA FY2026Q1 revenue 44,062,000,000
    r = fact(value=44.062e9, quote="$44,062", fiscal_period="FY2026Q2", published="2025-08-27")
    assert r.reason == "matches_other_figure"
    # ... supported when the period was only inferred: the figure equals that quarter's revenue
    # to the million (half-unit 0.5m / 44,062m = 0.001% <= 0.5%)
    r = fact(value=44.062e9, quote="$44,062", fiscal_period="FY2026Q2",
             fiscal_period_how="latest_reported", published="2025-08-27")
    assert r.verdict == "supported" and r.measured == 44_062_000_000
    # no reported figures for a metric or a company
    assert fact(metric="market_share", unit="%", value=70, fiscal_period="FY2026Q2").reason == "no_fact"
    assert fact(ticker="AMD", value=7e9, fiscal_period="").reason == "no_fact"


# ------------------------------------------------------------------------------ end to end
NOTE = """---
date: 2025-08-29
title: Alibaba rallies
---
Alibaba shares jumped 12.9% on Friday to close at $135.00. The stock is up almost 60% year to date.
"""


def test_check_documents_on_a_folder(tmp_path):
    (tmp_path / "note.md").write_text(NOTE, encoding="utf-8")
    table = check_documents(tmp_path)
    for column in ("doc_id", "title", "start", "end", "quote", "value", "unit", "role",
                   "subject", "ticker", "metric", "fiscal_period", "session", "window",
                   "claimed", "measured", "verdict", "reason", "evidence"):
        assert column in table.columns, column
    claims = table[table["verdict"] != "not a claim"]
    assert len(claims) >= 2
    assert "contradicted" not in set(claims["verdict"])
    assert (claims["verdict"] == "supported").sum() >= 2, claims[["quote", "verdict", "reason"]]
    text = (tmp_path / "note.md").read_text(encoding="utf-8")
    assert summary(table).iloc[0]["claims"] == len(claims)
    del text


def test_cli_check(tmp_path, capsys):
    from babaresearch.cli import main
    (tmp_path / "note.md").write_text(NOTE, encoding="utf-8")
    out_csv = tmp_path / "check.csv"
    assert main(["check", str(tmp_path), "--csv", str(out_csv)]) == 0
    printed = capsys.readouterr().out
    assert "Alibaba rallies" in printed and "supported" in printed
    assert "verdict" in pd.read_csv(out_csv).columns


@pytest.mark.skipif(not (SHARED_CORPUS / "price_gold.csv").is_file(),
                    reason="../shared/corpus (real articles with gold) is not on this machine")
def test_no_false_contradiction_on_the_shared_corpus():
    from babaresearch.evaluation import default_run, load_gold, score
    docs, table, texts = default_run(SHARED_CORPUS / "articles")
    result = score(load_gold(SHARED_CORPUS), docs, table, texts)
    assert len(result.false_contradictions) == 0, result.false_contradictions.to_string()
    assert result.overall["price_verdict"].iloc[0] >= 0.95
    assert result.overall["fact_verdict"].iloc[0] >= 0.9


def test_sentence_cues_keep_a_mismatch_from_being_an_accusation():
    # BABA FY2026Q2 revenue yoy +5 (released 2025-11-25); "15% like-for-like" is another basis
    r = fact(ticker="BABA", metric="revenue_growth", unit="%", value=15, fiscal_period="FY2026Q2",
             evidence="Revenue grew by 15% year-over-year on a like-for-like basis.",
             quote="15%", published="2025-11-25")
    assert (r.verdict, r.reason) == ("unverifiable", "ambiguous_basis")
    # without the cue the same figure is a pinned contradiction (5 +/- 0.5 vs 15 +/- 0.5)
    r = fact(ticker="BABA", metric="revenue_growth", unit="%", value=15, fiscal_period="FY2026Q2",
             evidence="Revenue grew by 15% year-over-year.", quote="15%", published="2025-11-25")
    assert r.verdict == "contradicted"
    # a full-year figure is never compared with a quarter (NVDA FY2026Q2 revenue 46.743bn)
    r = fact(value=60e9, quote="$60 billion", fiscal_period="FY2026Q2",
             evidence="Full-year revenue reached $60 billion.", published="2025-08-27")
    assert r.reason == "ambiguous_period"
    # NVDA 2025-01-27 close 118.42: "$118.51" is not accused when the sentence is about after hours
    r = one(ticker="NVDA", metric="share_price", unit="USD", value=118.51, decimals=2,
            session="2025-01-27", session_how="stated_date", published="2025-01-28",
            evidence="Shares traded at $118.51 in after-hours trading on Jan. 27.", quote="$118.51")
    assert (r.verdict, r.reason) == ("unverifiable", "intraday_needs_intraday_data")
    # BABA 2025-08-29 close 135.00: "$140" is not accused when the sentence names Hong Kong
    r = one(metric="share_price", unit="USD", value=140, session="2025-08-29",
            published="2025-08-30", quote="$140",
            evidence="Its Hong Kong shares and the ADRs, at $140, rallied on Friday.")
    assert (r.verdict, r.reason) == ("unverifiable", "other_listing")


def test_a_mismatch_next_to_another_company_is_not_an_accusation():
    # NVDA FY2026Q2 revenue yoy +56 (released 2025-08-27): 36% is AMD's in this sentence
    r = fact(metric="revenue_growth", unit="%", value=36, quote="36%", fiscal_period="FY2026Q2",
             evidence="Nvidia's revenue grew 56%, while AMD's rose 36%.", published="2025-08-27")
    assert (r.verdict, r.reason) == ("unverifiable", "ambiguous_subject")
