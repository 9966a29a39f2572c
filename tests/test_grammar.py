"""The text grammar: sentences, clauses, dates, periods and numbers (babaresearch.grammar).

Every sentence here is invented for the test. Values are pinned exactly: a failure means the
grammar now reads a written quantity, date or period differently, and every layer above it
(reading, dating, check) changes with it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from babaresearch.grammar import (Span, clauses, find_dates, find_numbers, find_periods, lines,
                                  sentences)


def _one(found, text):
    assert len(found) == 1, f"expected one mention in {text!r}, got {found}"
    return found[0]


def _quote(text, m):
    return text[m.start:m.end]


# ------------------------------------------------------------------ sentences and clauses
def test_sentences_skip_abbreviations_and_split_lines():
    text = "Shares rose 5%. Acme Inc. reported results. It said U.S. sales grew.\nNew line here"
    assert [text[s.start:s.end] for s in sentences(text)] == [
        "Shares rose 5%.", "Acme Inc. reported results.", "It said U.S. sales grew.", "New line here"]


def test_clauses_split_at_while_semicolon_and_parentheses():
    text = "Revenue rose 5%, while margins fell; the stock (BABA) dipped"
    got = [text[c.start:c.end] for c in clauses(text, Span(0, len(text)))]
    assert got == ["Revenue rose 5%", ", while margins fell", "the stock", "BABA", "dipped"]


def test_lines_have_no_line_breaks():
    text = "a\nbc\n"
    assert [(s.start, s.end) for s in lines(text)] == [(0, 1), (2, 4), (5, 5)]


# ------------------------------------------------------------------ numbers
def test_glued_currency_after_a_word():
    text = "Revenue$57.0 billion"
    m = _one(find_numbers(text), text)
    assert _quote(text, m) == "$57.0 billion"
    assert m.value == Decimal("5.70E+10") and float(m.value) == 5.7e10
    assert (m.unit, m.unit_kind, m.scale, m.decimals) == ("USD", "money", 9, 1)


def test_accounting_parentheses_are_negative():
    text = "margin (2.3%) lower"
    m = _one(find_numbers(text), text)
    assert _quote(text, m) == "(2.3%)" and m.value == Decimal("-2.3") and m.signed == "-"
    assert m.unit == "%"


def test_minus_and_plus_signs():
    minus, plus = find_numbers("-2.3%")[0], find_numbers("+62%")[0]
    assert (minus.value, minus.signed) == (Decimal("-2.3"), "-")
    assert (plus.value, plus.signed) == (Decimal("62"), "+")


def test_cents_per_share():
    text = "67 cents per share"
    m = _one(find_numbers(text), text)
    assert _quote(text, m) == text, "the whole per-share phrase belongs to the quantity"
    assert m.value == Decimal("0.67") and m.unit == "USD" and m.per_share is True


@pytest.mark.parametrize("text, value", [("EPS$1.30/share", "1.30"), ("$1.05 a share", "1.05")])
def test_other_per_share_forms(text, value):
    m = _one(find_numbers(text), text)
    assert m.value == Decimal(value) and m.unit == "USD" and m.per_share


def test_range_of_multiples_gives_both_ends_the_unit():
    text = "20 to 50 times"
    low, high = find_numbers(text)
    assert (low.value, low.unit, low.unit_kind) == (Decimal(20), "x", "x")
    assert (high.value, high.unit, high.unit_kind) == (Decimal(50), "x", "x")
    assert low.range_with == high.num_start and high.range_with == low.num_start


def test_money_range_both_scaled():
    text = "$52.9 billion to $55.1 billion"
    low, high = find_numbers(text)
    assert (float(low.value), float(high.value)) == (5.29e10, 5.51e10)
    assert low.range_with == high.num_start


def test_three_fold_is_a_multiplier():
    text = "a three-fold increase"
    m = _one(find_numbers(text), text)
    assert _quote(text, m) == "three-fold"
    assert (m.value, m.unit, m.form) == (Decimal(3), "x", "multiplier")


def test_doubled_is_a_multiplier():
    m = _one(find_numbers("revenue doubled"), "revenue doubled")
    assert (m.value, m.unit, m.form) == (Decimal(2), "x", "multiplier")


def test_basis_points_glued():
    text = "150bps"
    m = _one(find_numbers(text), text)
    assert _quote(text, m) == "150bps" and (m.value, m.unit, m.unit_kind) == (Decimal(150), "bp", "pct")


@pytest.mark.parametrize("text, value, unit, kind", [
    ("RMB247,795 million", Decimal("2.47795E+11"), "CNY", "money"),
    ("US$8bn", Decimal("8E+9"), "USD", "money"),
    ("HK$95", Decimal(95), "HKD", "money"),
    ("56 percent", Decimal(56), "%", "pct"),
    ("1.2 points", Decimal("1.2"), "pp", "pct"),
    ("2x", Decimal(2), "x", "x"),
    ("5 nm", Decimal(5), "nm", "physical"),
])
def test_units_and_scales(text, value, unit, kind):
    m = _one(find_numbers(text), text)
    assert (m.value, m.unit, m.unit_kind) == (value, unit, kind)
    assert _quote(text, m) == text


def test_word_forms():
    band = _one(find_numbers("triple-digit growth"), "triple-digit growth")
    assert (band.value, band.unit, band.form) == (Decimal(100), "%", "band")
    streak = _one(find_numbers("ninth consecutive quarter"), "ninth consecutive quarter")
    assert (streak.value, streak.form) == (Decimal(9), "ordinal")
    word = _one(find_numbers("five data centers"), "five data centers")
    assert (word.value, word.form) == (Decimal(5), "word")


@pytest.mark.parametrize("text, glued", [("H20 chips", "H"), ("Qwen3 model", "Qwen")])
def test_digits_glued_to_letters_are_found_as_identifiers(text, glued):
    m = _one(find_numbers(text), text)
    assert m.glued == glued and m.unit_kind == "bare"


# ------------------------------------------------------------------ dates
def test_dateline_with_time_and_offset():
    text = "Nov 25, 2025 06:19:00 -0500"
    d = _one(find_dates(text), text)
    assert _quote(text, d) == text, "the time is merged into the date"
    assert (d.year, d.month, d.day, d.hour, d.minute, d.utc_offset, d.kind) == (2025, 11, 25, 6, 19, -5.0, "date")


def test_weekday_and_yearless_date():
    text = "Tuesday September 30"
    d = _one(find_dates(text), text)
    assert (d.year, d.month, d.day, d.weekday, d.kind) == (None, 9, 30, 1, "date")


def test_agency_dateline_yearless():
    text = "(Agency) Feb. 21 --"
    d = _one(find_dates(text), text)
    assert _quote(text, d) == "Feb. 21" and (d.year, d.month, d.day) == (None, 2, 21)


@pytest.mark.parametrize("text, fields", [
    ("2025-02-21T08:30:00Z", (2025, 2, 21, 8, 30, 0.0, "date")),
    ("11/25/2025", (2025, 11, 25, None, None, None, "date")),
    ("June 2024", (2024, 6, None, None, None, None, "month")),
    ("19 May", (None, 5, 19, None, None, None, "date")),
    ("4 PM EST", (None, None, None, 16, 0, -5.0, "time")),
    ("at 12:41 p.m. ET", (None, None, None, 12, 41, -5.0, "time")),
])
def test_date_forms(text, fields):
    d = _one(find_dates(text), text)
    assert (d.year, d.month, d.day, d.hour, d.minute, d.utc_offset, d.kind) == fields


def test_weekday_alone_and_bare_year():
    wd = _one(find_dates("Monday's close"), "Monday's close")
    assert (wd.kind, wd.weekday) == ("weekday", 0)
    year = _one(find_dates("in 2024 sales"), "in 2024 sales")
    assert (year.kind, year.year) == ("year", 2024)


def test_decimal_number_is_not_a_time():
    assert find_dates("it cost 4.59 today") == []


# ------------------------------------------------------------------ periods
def test_fiscal_quarter_with_short_year():
    text = "Q3 FY26"
    p = _one(find_periods(text), text)
    assert (p.kind, p.fiscal, p.quarter, p.year) == ("quarter", True, 3, 2026)


def test_quarter_ended_date():
    text = "the quarter ended September 30, 2025"
    p = _one(find_periods(text), text)
    assert _quote(text, p) == "quarter ended September 30, 2025"
    assert (p.kind, p.year, p.month, p.day) == ("quarter_end", 2025, 9, 30)


def test_year_ago_comparison():
    p = _one(find_periods("a year earlier"), "a year earlier")
    assert p.kind == "year_ago"
    assert _one(find_periods("year-over-year"), "year-over-year").kind == "year_ago"


@pytest.mark.parametrize("text, fields", [
    ("third quarter of fiscal 2026", ("quarter", True, 3, 2026, 0)),
    ("Q3 2025", ("quarter", None, 3, 2025, 0)),
    ("calendar Q4", ("quarter", False, 4, None, 0)),
    ("2Q25", ("quarter", None, 2, 2025, 0)),
    ("the September quarter", ("quarter_month", None, None, None, 0)),
    ("last quarter", ("relative", None, None, None, -1)),
    ("next quarter", ("relative", None, None, None, 1)),
    ("quarter over quarter", ("sequential", None, None, None, 0)),
    ("fiscal 2025", ("fiscal_year", True, None, 2025, 0)),
])
def test_period_forms(text, fields):
    p = _one(find_periods(text), text)
    assert (p.kind, p.fiscal, p.quarter, p.year, p.offset) == fields


def test_september_quarter_month_and_half():
    assert find_periods("the September quarter")[0].month == 9
    h = _one(find_periods("H1 2025"), "H1 2025")
    assert (h.kind, h.half, h.year) == ("half", 1, 2025)
