"""The reader: roles, subjects, metrics, signs, windows, sessions and listings (babaresearch.reading).

Every line here is invented for the test. A failure means a number of an article is now given
a different role (a trap read as a claim, or a claim dropped), or a claim is attributed to a
different company, metric, sign or trading window -- and the check table changes with it.
"""

from __future__ import annotations

import pytest

from babaresearch.reading import ROLES, NumberReading, read_text


def _by_quote(text: str) -> dict[str, NumberReading]:
    out = {}
    for r in read_text(text):
        assert text[r.start:r.end] == r.quote, "quote is text[start:end]"
        out[r.quote] = r
    return out


def _claim(text: str, quote: str) -> NumberReading:
    r = _by_quote(text)[quote]
    assert r.role == "claim", f"{quote!r} in {text!r} should be a claim, got {r.role} ({r.role_reason})"
    return r


def test_rejects_non_str_and_empty():
    with pytest.raises(TypeError):
        read_text(None)  # type: ignore[arg-type]
    assert read_text("   ") == []


# ------------------------------------------------------------------ roles
@pytest.mark.parametrize("text, roles", [
    ("Save 40% today: only $4.99/month", {"40%": "advert", "$4.99": "advert"}),
    ("5 Stocks to Buy Now", {"5": "list_count"}),
    ("1. Facebook is cheap\n2. Google too", {"1": "list_count", "2": "list_count"}),
    ("Shares of tech giants were mixed. AAPL, -0.26%", {"-0.26%": "quote_widget"}),
    ("Chipmakers rallied (NVDA 0.03%) on the news.", {"0.03%": "quote_widget"}),
    ("Nvidia announced a 10-for-1 stock split.", {"10": "ratio", "1": "ratio"}),
    ("Each ADS represents eight ordinary shares of Alibaba.", {"eight": "ratio"}),
    ("Staff use Windows 11 at home.", {"11": "identifier"}),
    ("Alibaba sales in 2024 rose.", {"2024": "year"}),
    ("Alibaba has grown for three years.", {"three": "time"}),
])
def test_trap_roles(text, roles):
    got = {q: r.role for q, r in _by_quote(text).items()}
    assert got == roles
    assert set(got.values()) <= set(ROLES)


@pytest.mark.parametrize("text", ["Alibaba (9988.HK) rose 2% in Hong Kong.",
                                  "Alibaba (HKG: 9988) rose 2% in Hong Kong."])
def test_hong_kong_stock_code_is_an_identifier(text):
    got = _by_quote(text)
    assert got["9988"].role == "identifier"
    move = _claim(text, "2%")
    assert (move.ticker, move.metric, move.listing) == ("BABA", "price_move", "HK")


def test_navigation_block_numbers_are_not_claims():
    text = "Related: Alibaba jumps 5%\nNvidia slips 2%\n\nAlibaba stock rose 3% on the day."
    got = _by_quote(text)
    assert (got["5%"].role, got["2%"].role) == ("navigation", "navigation")
    assert got["3%"].role == "claim" and got["3%"].ticker == "BABA"


def test_product_model_h20_is_an_identifier():
    got = _by_quote("Nvidia's H20 chips are banned in China.")
    assert [r.role for q, r in got.items() if "20" in q] == ["identifier"]


# ------------------------------------------------------------------ subjects
def test_subject_amd_and_fall_word_after_number():
    r = _claim("AMD ended 3.6% lower.", "3.6%")
    assert (r.ticker, r.subject, r.entity_kind, r.metric, r.value) == ("AMD", "AMD", "company", "price_move", -3.6)


def test_subject_index_and_ytd_window():
    text = "Year to date, the S&P 500 has gained around 11%."
    got = _by_quote(text)
    assert got["500"].role == "identifier", "the 500 of S&P 500 is part of the name"
    r = got["around 11%"]
    assert (r.subject, r.entity_kind, r.value, r.qualifier) == ("S&P 500", "index", 11.0, "around")
    assert (r.metric, r.window) == ("ytd_return", "ytd")


def test_unknown_company_is_not_given_to_alibaba():
    r = _claim("Zhipu shares rose 4%.", "4%")
    assert (r.subject, r.ticker, r.entity_kind, r.metric) == ("Zhipu", "Zhipu", "unknown", "price_move")


def test_segment_named_as_alibaba_cloud():
    r = _claim("Alibaba Cloud revenue rose 34%.", "34%")
    assert (r.segment, r.ticker, r.entity_kind, r.metric, r.value) == (
        "Cloud Intelligence", "BABA", "segment", "revenue_growth", 34.0)


def test_possessive_cloud_revenue_is_the_cloud_segment():
    r = _claim("Alibaba's cloud revenue rose 34%.", "34%")
    assert (r.metric, r.segment, r.ticker) == ("revenue_growth", "Cloud Intelligence", "BABA")


def test_possessive_cloud_revenue_metric_and_company():
    r = _claim("Alibaba's cloud revenue rose 34%.", "34%")
    assert (r.metric, r.ticker, r.value) == ("revenue_growth", "BABA", 34.0)


def test_nvidia_data_center_segment():
    r = _claim("Nvidia's data center revenue rose 56%.", "56%")
    assert (r.segment, r.ticker, r.metric) == ("Data Center", "NVDA", "revenue_growth")


# ------------------------------------------------------------------ metrics and signs
def test_decline_of_nearly_17_percent_is_negative():
    r = _claim("Alibaba posted a decline of nearly 17 percent in net income.", "nearly 17 percent")
    assert (r.value, r.qualifier, r.metric) == (-17.0, "nearly", "net_income_growth")


def test_net_loss_is_negative():
    r = _claim("Nvidia posted a net loss of $2 billion.", "$2 billion")
    assert (r.value, r.metric, r.ticker) == (-2e9, "net_income", "NVDA")


@pytest.mark.parametrize("text, quote, fields", [
    ("Revenue$57.0 billion for Nvidia.", "$57.0 billion", (5.7e10, "USD", "revenue", "NVDA")),
    ("Alibaba earned 67 cents per share.", "67 cents per share", (0.67, "USD", "eps", "BABA")),
    ("Alibaba's profit rose three-fold.", "three-fold", (3.0, "x", "net_income_growth", "BABA")),
    ("Alibaba's operating margin widened by 150bps.", "150bps", (150.0, "bp", "margin_change", "BABA")),
    ("Alibaba shares closed at $160.25.", "$160.25", (160.25, "USD", "share_price", "BABA")),
])
def test_metrics(text, quote, fields):
    r = _claim(text, quote)
    assert (r.value, r.unit, r.metric, r.ticker) == fields


def test_per_share_flag():
    assert _claim("Alibaba earned 67 cents per share.", "67 cents per share").per_share is True


def test_valuation_multiple_range_keeps_unit():
    got = _by_quote("Nvidia shares traded at 20 to 50 times earnings.")
    assert (got["20"].unit, got["50 times"].unit) == ("x", "x")
    assert got["20"].metric == "valuation_multiple"


def test_revenue_and_growth_with_year_ago_comparison():
    text = "Alibaba reported revenue of $34.8 billion, up 5% year-over-year."
    got = _by_quote(text)
    assert (got["$34.8 billion"].metric, got["$34.8 billion"].value) == ("revenue", 3.48e10)
    assert (got["5%"].metric, got["5%"].comparison) == ("revenue_growth", "year_ago")


def test_guidance_is_forecast_with_its_quarter():
    r = _claim("Alibaba expects fourth-quarter revenue of $40 billion.", "$40 billion")
    assert (r.metric, r.forecast, r.estimate) == ("revenue_guidance", True, False)
    assert (r.period.kind, r.period.quarter, r.period.year) == ("quarter", 4, None)


def test_analyst_estimate_is_flagged():
    r = _claim("Analysts expect Alibaba revenue of $35 billion.", "$35 billion")
    assert (r.forecast, r.estimate, r.metric) == (True, True, "revenue")


# ------------------------------------------------------------------ windows, sessions, listings
@pytest.mark.parametrize("text, quote, value, window", [
    ("Alibaba shares slipped 2% in after-hours trading.", "2%", -2.0, "after-hours"),
    ("Alibaba shares rose 3% in premarket trading.", "3%", 3.0, "premarket"),
    ("Alibaba shares rose 5% year to date.", "5%", 5.0, "ytd"),
    ("Alibaba stock rose 4% on Monday.", "4%", 4.0, "close"),
])
def test_windows(text, quote, value, window):
    r = _claim(text, quote)
    assert (r.value, r.metric, r.window) == (value, "price_move" if window != "ytd" else "ytd_return", window)


@pytest.mark.parametrize("text, kind, offset, weekday, words", [
    ("Alibaba shares fell 3% the previous session.", "relative", -1, None, "the previous session"),
    ("Alibaba stock rose 4% yesterday.", "relative", -1, None, "yesterday"),
    ("Alibaba stock rose 4% on Monday.", "weekday", 0, 0, "Monday"),
])
def test_session_refs(text, kind, offset, weekday, words):
    quote = next(q for q in _by_quote(text) if q.endswith("%"))
    ref = _claim(text, quote).session_ref
    assert (ref.kind, ref.offset, ref.weekday) == (kind, offset, weekday)
    assert text[ref.start:ref.end] == words


def test_session_ref_stated_date():
    text = "Alibaba shares rose 4% on Nov. 24."
    got = _by_quote(text)
    assert got["24"].role == "date"
    ref = got["4%"].session_ref
    assert (ref.kind, ref.year, ref.month, ref.day) == ("date", None, 11, 24)


def test_non_price_claim_has_no_session_or_window():
    r = _claim("Alibaba's profit rose three-fold.", "three-fold")
    assert r.session_ref.kind == "none" and r.window == ""


@pytest.mark.parametrize("text, quote, listing", [
    ("Alibaba's Hong Kong shares fell 2.1%.", "2.1%", "HK"),
    ("Alibaba's New York-listed ADRs rose 1.5%.", "1.5%", "US"),
    ("Alibaba shares rose 3% in premarket trading.", "3%", ""),
])
def test_listings(text, quote, listing):
    assert _claim(text, quote).listing == listing


# ------------------------------------------------------------------ rules added for unseen styles
def _one(text, quote):
    rows = [r for r in read_text(text) if r.quote == quote]
    assert rows, f"{quote!r} not read in {text!r}"
    return rows[0]


def test_table_amounts_under_an_in_millions_statement_are_scaled():
    text = ("Summary (in millions, except per share data)\n"
            "Revenue$81,615$68,127$44,062\n")
    assert _one(text, "$81,615").value == 81_615_000_000.0, "a table row under 'in millions' is in millions"


def test_a_pronoun_carries_the_earlier_sentences_subject():
    text = "Alibaba's shares fell 10.2% on Monday. It had gained about 70% this year before Apple said more."
    assert _one(text, "about 70%").ticker == "BABA", "'It' is Alibaba, not the Apple named after the number"


def test_the_object_of_a_preposition_is_not_the_subject():
    text = "TSMC makes the leading-edge chips for both Nvidia and AMD and holds more than 60% of the market."
    assert _one(text, "more than 60%").ticker == "TSM"


def test_a_fall_word_behind_a_qualifier_still_signs_the_number():
    assert _one("The Nasdaq fell more than 3% on Friday.", "more than 3%").value == -3.0


def test_a_trillion_dollar_milestone_is_market_cap():
    r = _one("Nvidia became the first company to close above $4 trillion in July.", "above $4 trillion")
    assert r.metric == "market_cap"


def test_a_return_for_a_stated_year_carries_that_year():
    r = _one("Alibaba's stock is up 52% in 2025 after the rally.", "52%")
    assert (r.window, r.window_year) == ("ytd", 2025)


def test_a_billion_dollar_figure_a_year_is_not_a_subscription_price():
    r = _one("Revenue rose from $44.1 billion to $81.6 billion a year later.", "$81.6 billion")
    assert r.role == "claim"


def test_a_tolerance_takes_the_metric_of_its_figure():
    r = _one("Nvidia expects revenue of $54 billion, plus or minus 2%, in the third quarter.", "2%")
    assert r.metric == "revenue_guidance" and r.qualifier_kind == "tolerance"


def test_analysts_expectation_of_a_guided_figure_is_revenue_and_an_estimate():
    text = ("Third-quarter revenue is projected to range from $52.9 billion to $55.1 billion, "
            "compared to investors' expectations of $53.46 billion.")
    r = _one(text, "$53.46 billion")
    assert r.estimate and r.metric == "revenue"
    assert _one(text, "$52.9 billion").metric == "revenue_guidance"


def test_a_quarter_of_a_percentage_point():
    r = _one("The Fed cut rates by a quarter of a percentage point.", "a quarter of a percentage point")
    assert (r.value, r.unit) == (0.25, "pp")


def test_an_unlisted_name_is_not_whose_shares_moved():
    text = "Nvidia had a rough January. On Jan. 27 the DeepSeek scare wiped $590 billion off its value, a decline of 17 percent."
    assert _one(text, "17 percent").ticker == "NVDA"


def test_a_yearless_session_takes_the_year_its_sentence_states():
    r = _one("In 2023 the stock posted a 3.9% gain on June 13, its best day that month.", "3.9%")
    assert (r.session_ref.kind, r.session_ref.year, r.session_ref.month, r.session_ref.day) == ("date", 2023, 6, 13)


def test_crossing_a_mark_is_a_lower_bound():
    r = _one("Nvidia shares closed at $1,038, crossing the $1,000 mark for the first time.", "crossing the $1,000")
    assert r.qualifier_kind == "lower"


def test_a_forecast_word_after_the_figure_in_another_phrase_does_not_make_it_a_forecast():
    r = _one("Alibaba fell 10.5% on Thursday after it said it would not spin off its cloud unit.", "10.5%")
    assert not r.forecast


def test_headline_case_link_glued_into_prose_is_navigation():
    text = "Intro.\nThe chip reuses existing code. How Snowflake Stock Surges To $450\nThe move comes later."
    assert _one(text, "$450").role == "navigation"


def test_a_discount_headline_is_an_advert():
    assert _one("Genuine Office Software — Up to 90% Off Retail\n", "90%").role == "advert"


def test_a_product_family_number_is_an_identifier_even_before_a_noun():
    assert _one("Firms running genuine Windows 11 key workstations connect to clouds.", "11").role == "identifier"


def test_scale_words_and_halves():
    text = "Qwen3-Max, a trillion-parameter model, was downloaded 600 million times at half the cost."
    assert (_one(text, "a trillion").value, _one(text, "a trillion").unit) == (1e12, "count")
    assert (_one(text, "600 million").value, _one(text, "600 million").unit) == (6e8, "count"), "not a multiple"
    assert (_one(text, "half").value, _one(text, "half").unit) == (50.0, "%")
