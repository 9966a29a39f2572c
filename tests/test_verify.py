"""Tests of babaresearch.verify: tolerance table, verdict logic, real-snapshot pins, ledger."""

from __future__ import annotations

import csv
import importlib.util
import json
import math

import pandas as pd
import pytest

from babaresearch import verify
from babaresearch.errors import DataFileError, DateRangeError, InvalidTickerError
from babaresearch.verify import (
    CONTRADICTED, SUPPORTED, TOLERANCES, UNVERIFIABLE, VERDICT_COLUMNS, ClaimError, Tolerance,
    canonical_qualifier, compare, verify_ledger, verify_price_claim,
)

from conftest import REPO_ROOT

PRICES_DIR = REPO_ROOT / "data" / "prices"


def _has_module(name: str) -> bool:
    return importlib.util.find_spec(f"babaresearch.{name}") is not None


needs_prices = pytest.mark.skipif(not _has_module("prices"), reason="babaresearch.prices not written yet")


def raw_closes(ticker: str) -> dict[str, float]:
    """Raw closes straight from the snapshot CSV with the csv module (independent of prices.py)."""
    with open(PRICES_DIR / f"{ticker}.csv", newline="") as handle:
        return {row["date"]: float(row["close"]) for row in csv.DictReader(handle)}


# ----------------------------------------------------------------------------------------------
# hand-built bars: the loader is replaced so these tests do not depend on prices.py

def _bars() -> pd.DataFrame:
    # Closes chosen so moves are round: 100 -> 110 (+10%), 110 -> 99 (-10%), filler, 121.
    return pd.DataFrame({
        "date": pd.to_datetime(["2024-12-30", "2024-12-31", "2025-01-02", "2025-01-03",
                                "2025-01-06", "2025-01-07"]),
        "close": [90.0, 100.0, 110.0, 99.0, float("nan"), 121.0],
        "adj_close": [89.0, 99.0, 110.0, 99.0, float("nan"), 121.0],
    })


@pytest.fixture
def fake_bars(monkeypatch):
    calls = []

    def loader(ticker, source):
        calls.append((ticker, source))
        if ticker == "ZZZZ":
            return None, "no price data for ZZZZ (unknown ticker)"
        return _bars(), ""

    monkeypatch.setattr(verify, "_load_bars", loader)
    return calls


# ----------------------------------------------------------------------------------------------
# qualifiers and the tolerance table

@pytest.mark.parametrize("word, key", [
    (None, "exact"), ("", "exact"), ("exactly", "exact"),
    ("about", "about"), ("Around", "about"), ("roughly", "about"), ("approximately", "about"),
    ("close to", "about"), ("  Close   TO ", "about"), ("near", "about"),
    ("nearly", "almost"), ("almost", "almost"), ("just under", "almost"), ("not quite", "almost"),
    ("over", "over"), ("more than", "over"), ("above", "over"), ("at least", "at least"),
    ("up to", "up to"), ("under", "under"), ("less than", "under"), (float("nan"), "exact"),
])
def test_canonical_qualifier_maps_every_word(word, key):
    assert canonical_qualifier(word) == key, f"{word!r} should use the {key!r} tolerance"


@pytest.mark.parametrize("word", ["kinda", "approximately-ish", 5])
def test_canonical_qualifier_rejects_unknown_words(word):
    with pytest.raises(ClaimError, match="qualifier"):
        canonical_qualifier(word)


def test_tolerance_table_numbers_are_the_documented_ones():
    def numbers(key):
        t = TOLERANCES[key]
        return t.side, t.move_pp, t.price_pct, t.ytd_pp

    assert numbers("exact") == ("both", 0.5, 0.5, 0.5), "a whole-number percent carries +/-0.5 pp"
    assert verify.ROUNDING_BAND is TOLERANCES["exact"]
    assert numbers("about") == ("both", 1.0, 2.0, 2.5)
    assert numbers("almost") == ("below", 1.5, 2.0, 5.0), "almost/nearly approach from below"
    assert [numbers(k)[0] for k in ("over", "at least", "up to", "under")] == \
        ["above", "at_least", "at_most", "under"]
    assert all(t.why for t in TOLERANCES.values()), "every tolerance must carry its argument"
    words = [entry.word for entry in verify.QUALIFIER_WORDS]
    assert len(words) == len(set(words)), "each word appears once in the table"
    assert all(entry.why and entry.rule in TOLERANCES for entry in verify.QUALIFIER_WORDS), \
        "every word has its sentence and a known rule"
    assert verify.QUALIFIER_SYNONYMS == {e.word: e.rule for e in verify.QUALIFIER_WORDS}


# The accepted measurements for claims of 13% (move), $135 (price) and 60% (YTD), written out
# by hand: (low, low included, high, high included). The exact band is 0.5 pp, or 0.5% of $135
# = $0.675; "about" 1 pp / 2% ($2.70) / 2.5 pp; "almost" 1.5 pp / $2.70 / 5 pp below and the
# exact band above.
INF = math.inf
CLAIMED = {"move": 13.0, "price": 135.0, "ytd": 60.0}
ACCEPTED = {
    "exact": {"move": (12.5, True, 13.5, True), "price": (134.325, True, 135.675, True),
              "ytd": (59.5, True, 60.5, True)},
    "about": {"move": (12.0, True, 14.0, True), "price": (132.3, True, 137.7, True),
              "ytd": (57.5, True, 62.5, True)},
    "almost": {"move": (11.5, True, 13.5, True), "price": (132.3, True, 135.675, True),
               "ytd": (55.0, True, 60.5, True)},
    "over": {kind: (value, False, INF, False) for kind, value in CLAIMED.items()},
    "at least": {kind: (value, True, INF, False) for kind, value in CLAIMED.items()},
    "up to": {kind: (-INF, False, value, True) for kind, value in CLAIMED.items()},
    "under": {kind: (-INF, False, value, False) for kind, value in CLAIMED.items()},
}
RULE_OF_WORD = {"": "exact", "close to": "about", "near": "about", "around": "about",
                "about": "about", "roughly": "about", "approximately": "about",
                "almost": "almost", "nearly": "almost", "just under": "almost", "not quite": "almost",
                "over": "over", "more than": "over", "above": "over", "at least": "at least",
                "up to": "up to", "under": "under", "less than": "under"}
ALL_WORDS = [entry.word for entry in verify.QUALIFIER_WORDS]
HAIR = 0.01  # beyond a boundary by this much must flip the verdict


def _accepts(word, kind, measured):
    side, width, above = verify._resolve_tolerance(canonical_qualifier(word), kind, None)
    return compare(measured, CLAIMED[kind], side, width, kind, above=above)


def test_every_word_of_the_table_has_a_hand_written_interval():
    assert set(RULE_OF_WORD) <= set(ALL_WORDS), "the reviewed words are all in the table"
    assert {canonical_qualifier(w) for w in ALL_WORDS} <= set(ACCEPTED), "every rule has its interval"
    for word, rule in RULE_OF_WORD.items():
        assert canonical_qualifier(word) == rule, f"{word!r} must use the {rule!r} rule"


@pytest.mark.parametrize("kind", list(CLAIMED))
@pytest.mark.parametrize("word", ALL_WORDS)
def test_every_word_at_its_boundaries(word, kind):
    low, low_in, high, high_in = ACCEPTED[canonical_qualifier(word)][kind]
    far = 100.0  # well inside an unbounded side, price stays positive (35 or 235)
    if math.isinf(low):
        assert _accepts(word, kind, CLAIMED[kind] - far), f"{word!r} {kind}: no lower limit"
    else:
        assert _accepts(word, kind, low) is low_in, f"{word!r} {kind}: {low} is the lower edge"
        assert not _accepts(word, kind, low - HAIR), f"{word!r} {kind}: below {low} must fail"
        assert _accepts(word, kind, low + HAIR), f"{word!r} {kind}: just above {low} must pass"
    if math.isinf(high):
        assert _accepts(word, kind, CLAIMED[kind] + far), f"{word!r} {kind}: no upper limit"
    else:
        assert _accepts(word, kind, high) is high_in, f"{word!r} {kind}: {high} is the upper edge"
        assert not _accepts(word, kind, high + HAIR), f"{word!r} {kind}: above {high} must fail"
        assert _accepts(word, kind, high - HAIR), f"{word!r} {kind}: just below {high} must pass"


@pytest.mark.parametrize("kind", list(CLAIMED))
@pytest.mark.parametrize("word", ALL_WORDS)
def test_no_word_is_narrower_than_the_exact_band(word, kind):
    band = 0.5 if kind != "price" else 0.675
    claimed = CLAIMED[kind]
    rule = canonical_qualifier(word)
    if rule in ("over", "at least"):  # a lower bound: the band above the figure is accepted
        points = [claimed + HAIR, claimed + band / 2, claimed + band]
    elif rule in ("up to", "under"):  # an upper bound: the band below the figure
        points = [claimed - band, claimed - band / 2, claimed - HAIR]
    else:  # closeness words accept the whole exact band, both sides
        points = [claimed - band, claimed - band / 2, claimed, claimed + band / 2, claimed + band]
    for point in points:
        assert _accepts(word, kind, point), (
            f"{word!r} rejects {point} for a claimed {claimed} ({kind}) which the exact rule accepts: "
            "a closeness word must never be stricter than no word")


def test_tolerance_table_frame_shows_the_offsets():
    table = verify.tolerance_table().set_index("word")
    assert list(table.index) == ALL_WORDS
    assert tuple(table.loc["almost", ["move_from_pp", "move_to_pp", "price_from_pct", "price_to_pct",
                                      "ytd_from_pp", "ytd_to_pp"]]) == (-1.5, 0.5, -2.0, 0.5, -5.0, 0.5)
    assert tuple(table.loc["close to", ["move_from_pp", "move_to_pp", "ytd_to_pp"]]) == (-1.0, 1.0, 2.5)
    assert table.loc["over", "move_to_pp"] == math.inf and table.loc["under", "move_from_pp"] == -math.inf
    closeness = table[table["side"].isin(["both", "below"])]
    for kind, unit in (("move", "pp"), ("price", "pct"), ("ytd", "pp")):
        assert (closeness[f"{kind}_from_{unit}"] <= -0.5).all() and (closeness[f"{kind}_to_{unit}"] >= 0.5).all(), \
            f"a closeness word's {kind} interval must contain the exact +/-0.5 band"


@pytest.mark.parametrize("qualifier, kind, claimed, measured, expected", [
    # exact: +/-0.5 pp, boundary inclusive
    ("exact", "move", 13, 12.5, True), ("exact", "move", 13, 13.5, True),
    ("exact", "move", 13, 12.49, False), ("exact", "move", 13, 13.51, False),
    # exact price: +/-0.5% of the claim (135 -> +/-0.675)
    ("exact", "price", 135, 135.675, True), ("exact", "price", 135, 134.3, False),
    # about: +/-1 pp, +/-2% of price
    ("about", "move", 13, 12.0, True), ("about", "move", 13, 14.0, True), ("about", "move", 13, 11.9, False),
    ("about", "price", 135, 132.3, True), ("about", "price", 135, 137.8, False),
    # almost: from 1.5 pp below to the 0.5 pp rounding band above
    ("almost", "move", 13, 12.90, True), ("almost", "move", 13, 13.5, True),
    ("almost", "move", 13, 11.5, True), ("almost", "move", 13, 11.4, False),
    ("almost", "move", 13, 13.6, False),
    # almost 60% YTD: within 5 pp below, 0.5 pp above
    ("almost", "ytd", 60, 58.3, True), ("almost", "ytd", 60, 55.0, True),
    ("almost", "ytd", 60, 54.9, False), ("almost", "ytd", 60, 60.5, True), ("almost", "ytd", 60, 61.0, False),
    # over: strictly above; at least: inclusive; up to: not above; under: strictly below
    ("over", "move", 10, 10.01, True), ("over", "move", 10, 10.0, False), ("over", "move", 10, 40.0, True),
    ("at least", "move", 10, 10.0, True), ("at least", "move", 10, 9.99, False),
    ("up to", "move", 10, 10.0, True), ("up to", "move", 10, 10.01, False), ("up to", "move", 10, -3.0, True),
    ("under", "price", 100, 99.99, True), ("under", "price", 100, 100.0, False),
    # a claimed fall is judged on its magnitude
    ("almost", "move", -13, -12.9, True), ("almost", "move", -13, -13.6, False),
    ("almost", "move", -13, -11.4, False),
    ("over", "move", -5, -6.0, True), ("over", "move", -5, -4.0, False),
])
def test_compare_each_word_and_boundary(qualifier, kind, claimed, measured, expected):
    table = TOLERANCES[qualifier]
    got = compare(measured, claimed, table.side, table.width(kind), kind)
    assert got is expected, f"{qualifier} {claimed} ({kind}) vs measured {measured}: expected {expected}"


# ----------------------------------------------------------------------------------------------
# verify_price_claim on hand-built bars

def test_supported_move_price_ytd_on_hand_built_bars(fake_bars):
    v = verify_price_claim("baba", "2025-01-02", move_pct=10, price=110, ytd_pct=10)
    assert v.verdict == SUPPORTED, v.evidence
    assert v.ticker == "BABA" and v.date == pd.Timestamp("2025-01-02")
    move, price, ytd = v.checks
    assert move.measured == pytest.approx(10.0) and move.reference_date == pd.Timestamp("2024-12-31")
    assert move.measured_adjusted == pytest.approx((110 / 99 - 1) * 100), "adj-close move must be reported"
    assert price.measured == 110.0
    assert ytd.measured == pytest.approx(10.0) and ytd.reference_date == pd.Timestamp("2024-12-31")
    assert "+10.00%" in v.evidence and "$110.00" in v.evidence and "price return" in v.evidence
    assert fake_bars == [("BABA", "auto")]


def test_negative_move_and_contradiction(fake_bars):
    v = verify_price_claim("BABA", "2025-01-03", move_pct=-10)
    assert v.verdict == SUPPORTED and v.checks[0].measured == pytest.approx(-10.0)
    v = verify_price_claim("BABA", "2025-01-03", move_pct=-10, price=120)
    assert v.verdict == CONTRADICTED, "one failing check makes the whole verdict contradicted"
    assert [c.passed for c in v.checks] == [True, False]


def test_weekend_claim_is_measured_on_previous_session(fake_bars):
    v = verify_price_claim("BABA", "2025-01-04", price=99)  # a Saturday
    assert v.date == pd.Timestamp("2025-01-03") and v.verdict == SUPPORTED
    assert "not a session" in v.evidence


def test_filler_bar_and_missing_reference_are_unverifiable(fake_bars):
    v = verify_price_claim("BABA", "2025-01-06", move_pct=5, price=100)
    assert v.verdict == UNVERIFIABLE and all(c.passed is None for c in v.checks)
    assert "filler" in v.evidence
    # next day: the price is real, the move's reference is the filler bar -> price only
    v = verify_price_claim("BABA", "2025-01-07", move_pct=5, price=121)
    assert v.verdict == SUPPORTED, "a measurable passing check with an unmeasurable one is supported"
    assert v.checks[0].passed is None and "reference close" in v.checks[0].note
    # first row: no previous session; YTD without a previous year in the data
    v = verify_price_claim("BABA", "2024-12-30", move_pct=1, ytd_pct=1)
    assert v.verdict == UNVERIFIABLE and "no session before" in v.checks[0].note
    assert "data start" in v.checks[1].note


@pytest.mark.parametrize("date, words", [("2025-02-01", "after"), ("2024-01-01", "before")])
def test_out_of_range_dates_are_unverifiable(fake_bars, date, words):
    v = verify_price_claim("BABA", date, price=100)
    assert v.verdict == UNVERIFIABLE and v.date is None and words in v.evidence


def test_unknown_ticker_is_unverifiable_not_an_error(fake_bars):
    v = verify_price_claim("ZZZZ", "2025-01-02", price=1)
    assert v.verdict == UNVERIFIABLE and "no price data" in v.evidence


def test_tolerance_override_and_qualifier_mapping(fake_bars):
    # move +10%: exact claim of 11% fails, passes with a 1.5 pp override
    assert verify_price_claim("BABA", "2025-01-02", move_pct=11).verdict == CONTRADICTED
    assert verify_price_claim("BABA", "2025-01-02", move_pct=11, tolerance=1.5).verdict == SUPPORTED
    # override keeps the direction of "almost": 9% claimed, 10% measured is past 9.5 -> contradicted
    assert verify_price_claim("BABA", "2025-01-02", move_pct=9, qualifier="almost", tolerance=5).verdict == CONTRADICTED
    # ... and its rounding band above: 9.6% claimed, 10% measured is within 0.5 pp above
    v = verify_price_claim("BABA", "2025-01-02", move_pct=9.6, qualifier="almost", tolerance=0.1)
    assert v.verdict == SUPPORTED and v.checks[0].above == 0.5, v.evidence
    v = verify_price_claim("BABA", "2025-01-02", move_pct=10.5, price=112,
                           qualifier={"move": "almost", "price": "about"})
    assert v.verdict == SUPPORTED and [c.qualifier for c in v.checks] == ["almost", "about"]
    assert v.checks[0].rule() == "from 1.5 pp below to 0.5 pp above"
    assert v.checks[1].rule() == "within +/-2% of price"
    v = verify_price_claim("BABA", "2025-01-02", price=112, tolerance=Tolerance("at_most", None, None, None))
    assert v.verdict == SUPPORTED and v.checks[0].side == "at_most"


def test_to_dict_is_json_ready(fake_bars):
    d = verify_price_claim("BABA", "2025-01-02", move_pct=10, qualifier="about").to_dict()
    text = json.dumps(d)
    assert d["date"] == "2025-01-02" and d["checks"][0]["rule"] == "within +/-1 pp"
    assert d["checks"][0]["reference_date"] == "2024-12-31" and "supported" in text


@pytest.mark.parametrize("kwargs, error, match", [
    ({"ticker": "../etc", "date": "2025-01-02", "price": 1}, InvalidTickerError, "path-like"),
    ({"ticker": "", "date": "2025-01-02", "price": 1}, InvalidTickerError, "empty"),
    ({"ticker": "BABA", "date": "not a date", "price": 1}, DateRangeError, "not a date"),
    ({"ticker": "BABA", "date": None, "price": 1}, DateRangeError, "missing"),
    ({"ticker": "BABA", "date": "2025-01-02"}, ClaimError, "no claim"),
    ({"ticker": "BABA", "date": "2025-01-02", "move_pct": "lots"}, ClaimError, "not a number"),
    ({"ticker": "BABA", "date": "2025-01-02", "move_pct": float("inf")}, ClaimError, "finite"),
    ({"ticker": "BABA", "date": "2025-01-02", "move_pct": True}, ClaimError, "not a number"),
    ({"ticker": "BABA", "date": "2025-01-02", "price": -3}, ClaimError, "positive"),
    ({"ticker": "BABA", "date": "2025-01-02", "price": 1, "qualifier": "sorta"}, ClaimError, "unknown qualifier"),
    ({"ticker": "BABA", "date": "2025-01-02", "price": 1, "qualifier": {"volume": "about"}}, ClaimError, "check kinds"),
    ({"ticker": "BABA", "date": "2025-01-02", "price": 1, "tolerance": -1}, ClaimError, "negative"),
    ({"ticker": "BABA", "date": "2025-01-02", "price": 1, "tolerance": "wide"}, ClaimError, "tolerance"),
    ({"ticker": "BABA", "date": "2025-01-02", "price": 1, "tolerance": Tolerance("sideways", 1, 1, 1)}, ClaimError, "side"),
])
def test_malformed_input_raises_typed_errors(fake_bars, kwargs, error, match):
    ticker, date = kwargs.pop("ticker"), kwargs.pop("date")
    with pytest.raises(error, match=match):
        verify_price_claim(ticker, date, **kwargs)
    assert fake_bars == [], "malformed input must be rejected before any data is loaded"


# ----------------------------------------------------------------------------------------------
# real snapshot pins (computed here from the raw CSV)

@needs_prices
def test_baba_2025_08_29_claim_is_supported_with_measured_numbers():
    closes = raw_closes("BABA")
    move = (closes["2025-08-29"] / closes["2025-08-28"] - 1) * 100
    ytd = (closes["2025-08-29"] / closes["2024-12-31"] - 1) * 100
    assert round(move, 2) == 12.90 and closes["2025-08-29"] == 135.00, "snapshot changed under the test"
    v = verify_price_claim("BABA", "2025-08-29", move_pct=13, price=135, ytd_pct=60,
                           qualifier={"move": "close to", "price": "about", "ytd": "almost"},
                           source="snapshot")
    assert v.verdict == SUPPORTED, v.evidence
    move_check, price_check, ytd_check = v.checks
    assert move_check.measured == pytest.approx(move, abs=1e-9)
    assert move_check.reference_date == pd.Timestamp("2025-08-28")
    assert price_check.measured == pytest.approx(135.00)
    assert ytd_check.measured == pytest.approx(ytd, abs=1e-9), "YTD must be vs the 2024-12-31 close"
    assert 55 <= ytd_check.measured < 60, "almost 60% means measured just under 60"
    assert "+12.90%" in v.evidence and f"{ytd:+.2f}%" in v.evidence and "$135.00" in v.evidence
    assert "claimed almost 60%" in v.evidence and "claimed close to 13%" in v.evidence, "words as written"
    # no dividend between 2025-08-28 and 08-29: adjusted move equals the raw one
    assert move_check.measured_adjusted == pytest.approx(move, abs=1e-6)


@needs_prices
def test_baba_2025_08_29_claim_of_20_percent_is_contradicted():
    v = verify_price_claim("BABA", "2025-08-29", move_pct=20, source="snapshot")
    assert v.verdict == CONTRADICTED and v.checks[0].measured == pytest.approx(12.9045, abs=1e-3)


@needs_prices
@pytest.mark.parametrize("move, word, expected", [
    # measured +12.90%: the review's case, 12.5 is within the exact 0.5 pp band
    (12.5, None, SUPPORTED), (12.5, "close to", SUPPORTED), (12.5, "near", SUPPORTED),
    (12.5, "about", SUPPORTED), (12.5, "around", SUPPORTED), (12.5, "almost", SUPPORTED),
    # 12 is 0.90 pp off: too far for no word, inside about's 1 pp, below 'almost 12' by more than 0.5
    (12, None, CONTRADICTED), (12, "close to", SUPPORTED), (12, "almost", CONTRADICTED),
    # 14 is 1.10 pp off: too far for 'close to', within 'almost 14' (from 12.5 to 14.5)
    (14, "close to", CONTRADICTED), (14, "almost", SUPPORTED), (13.5, "nearly", SUPPORTED),
    (12, "more than", SUPPORTED), (13, "more than", CONTRADICTED), (13, "under", SUPPORTED),
])
def test_closeness_words_are_never_stricter_than_no_word_on_the_real_move(move, word, expected):
    v = verify_price_claim("BABA", "2025-08-29", move_pct=move, qualifier=word, source="snapshot")
    assert v.checks[0].measured == pytest.approx(12.9045, abs=1e-3)
    assert v.verdict == expected, f"{word!r} {move}% vs measured +12.90%: {v.evidence}"


@needs_prices
def test_real_unverifiable_cases():
    closes = raw_closes("BABA")
    last = max(closes)
    after = (pd.Timestamp(last) + pd.Timedelta(days=30)).date().isoformat()
    v = verify_price_claim("BABA", after, move_pct=1, source="snapshot")
    assert v.verdict == UNVERIFIABLE and last in v.evidence, "a date after the data must say where it ends"
    # the first source's SPY 2026-04-20 filler bar (every price 710.14, volume 0) is replaced by
    # the second source's real bar (data/repairs.csv): the filler value must not verify
    v = verify_price_claim("SPY", "2026-04-20", price=708.72, source="snapshot")
    assert v.verdict == "supported" and "$708.72" in v.evidence, (
        "the repaired close 708.72 (not the filler 710.14) is the session's close")


# ----------------------------------------------------------------------------------------------
# verify_ledger

def _ledger() -> pd.DataFrame:
    rows = [
        # one document, one session: three price claims verified together
        ("d1", "close to 10%", 10, "close to", "price move", "BABA", "2025-01-02", "2025-01-04"),
        ("d1", "about $110", 110, "about", "share price", "BABA", "2025-01-02", "2025-01-04"),
        ("d1", "almost 9% YTD", 9, "almost", "YTD return", "BABA", "2025-01-02", "2025-01-04"),
        # the same document, a claim without day 0: measured on the as-of (Saturday -> Friday)
        ("d1", "$80", 80, None, "share price", "BABA", None, "2025-01-04"),
        ("d1", "revenue 26%", 26, None, "revenue growth", "BABA", None, "2025-01-04"),
        ("d2", "soared 20%", 20, "sorta", "price move", "BABA", None, "2025-01-03"),
        ("d2", "$5", 5, None, "share price", None, None, "2025-01-03"),
        ("d2", "$5", 5, None, "share price", "ZZZZ", None, "2025-01-03"),
        # no closeness word but flagged approximate (as a CSV would store it): "about", +/-2%
        ("d3", "$108", 108, "", "share price", "BABA", "2025-01-02", None),
    ]
    frame = pd.DataFrame(rows, columns=["doc_id", "quote", "value", "qualifier", "metric", "ticker", "day0", "as_of"])
    frame["approx"] = ["False"] * 8 + ["True"]
    frame["day0"] = pd.to_datetime(frame["day0"])
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame


def test_verify_ledger_hand_built(fake_bars):
    out = verify_ledger(_ledger())
    assert list(out.columns) == list(VERDICT_COLUMNS)
    assert len(out) == 8, "only price claims are returned"
    assert "revenue 26%" not in set(out["quote"])
    first = out.iloc[:3]
    assert list(first["verdict"]) == [SUPPORTED, SUPPORTED, CONTRADICTED], first["evidence"].iloc[0]
    # YTD measured +10% is past "almost 9%": contradicted
    assert first["measured"].tolist() == pytest.approx([10.0, 110.0, 10.0])
    move_ev, price_ev, ytd_ev = first["evidence"]
    assert move_ev.startswith("BABA 2025-01-02: move +10.00% vs 2024-12-31") and move_ev.endswith("-> supported")
    assert "close $" not in move_ev and "YTD" not in move_ev, f"the move row talks about the move only: {move_ev}"
    assert "close $110.00 vs claimed about $110" in price_ev and "move " not in price_ev and "YTD" not in price_ev
    assert "YTD price return +10.00%" in ytd_ev and ytd_ev.endswith("FAILS -> contradicted"), ytd_ev
    assert "close $" not in ytd_ev and "move " not in ytd_ev
    assert not out["evidence"].str.contains("\n").any(), "evidence is one line"
    assert (first["date"] == pd.Timestamp("2025-01-02")).all()
    assert list(first["qualifier"]) == ["close to", "about", "almost"], "qualifiers are reported as written"
    assert list(first["tolerance"]) == ["within +/-1 pp", "within +/-2% of price", "from 5 pp below to 0.5 pp above"]
    assert list(out["check"]) == ["measured"] * 4 + ["claim not checkable"] * 2 + ["no price data", "measured"], \
        "check says how each row was checked: unknown word / no ticker are not 'no price data'"
    row = out.iloc[3]
    assert row["date"] == pd.Timestamp("2025-01-03") and row["verdict"] == CONTRADICTED and row["measured"] == 99.0
    assert out.iloc[4]["verdict"] == UNVERIFIABLE and "unknown qualifier" in out.iloc[4]["evidence"]
    assert out.iloc[5]["verdict"] == UNVERIFIABLE and "no ticker" in out.iloc[5]["evidence"]
    assert out.iloc[6]["verdict"] == UNVERIFIABLE and "no price data" in out.iloc[6]["evidence"]
    assert len(fake_bars) == 2, "bars are loaded once per ticker"
    approx = out.iloc[7]
    assert approx["verdict"] == SUPPORTED and approx["qualifier"] == "about", "108 vs 110 is within about's 2%"


def test_verify_ledger_empty_and_errors(fake_bars):
    empty = verify_ledger(_ledger().iloc[0:0])
    assert list(empty.columns) == list(VERDICT_COLUMNS) and empty.empty
    only_other = verify_ledger(_ledger().iloc[[4]])
    assert only_other.empty, "a ledger without price claims gives no rows"
    with pytest.raises(DataFileError, match="ticker"):
        verify_ledger(_ledger().drop(columns=["ticker"]))
    with pytest.raises(DataFileError, match="day0 or as_of"):
        verify_ledger(_ledger().drop(columns=["day0", "as_of"]))
    with pytest.raises(ClaimError, match="DataFrame"):
        verify_ledger([{"doc_id": "x"}])


@needs_prices
def test_verify_ledger_on_seed_articles(seeds_dir):
    if not (_has_module("ledger") and _has_module("documents")):
        pytest.skip("babaresearch.ledger / documents not written yet")
    from babaresearch import claims_ledger, load_documents

    ledger = claims_ledger(load_documents(seeds_dir))
    out = verify_ledger(ledger, source="snapshot")
    assert set(out["verdict"]) <= {SUPPORTED, CONTRADICTED, UNVERIFIABLE}
    baba = out[(out["ticker"] == "BABA") & (out["date"] == pd.Timestamp("2025-08-29"))]
    assert not baba.empty, "the BABA 2025-08-29 rally claims must be found and dated to that session"
    assert (baba["verdict"] == SUPPORTED).all(), baba[["quote", "measured", "verdict"]].to_string()
    assert math.isclose(baba[baba["metric"] == "share price"]["measured"].iloc[0], 135.0)


@needs_prices
def test_verify_ledger_on_committed_ledger_csv():
    path = REPO_ROOT / "data" / "claims_ledger.csv"
    if not path.exists():
        pytest.skip("data/claims_ledger.csv not generated yet")
    ledger = pd.read_csv(path)  # dates as strings, flags as text: what reports see without seeds
    out = verify_ledger(ledger, source="snapshot")
    baba = out[(out["ticker"] == "BABA") & (out["date"] == pd.Timestamp("2025-08-29"))]
    assert sorted(baba["metric"]) == ["YTD return", "price move", "share price"], "the three rally claims"
    assert (baba["verdict"] == SUPPORTED).all(), baba[["quote", "measured", "verdict"]].to_string()


# ----------------------------------------------------------------------------------------------
# review fix: a price claim dated "on August 28, 2025" is measured on that session

def _dated_fall_claim() -> pd.DataFrame:
    """A document of 2025-11-25 saying the stock fell 2% on August 28, 2025 (a claims frame)."""
    return pd.DataFrame([{"doc_id": "d1", "start": 10, "end": 12, "quote": "2%", "value": -2.0,
                          "unit": "%", "qualifier": "", "approx": False, "subject": "Alibaba",
                          "metric": "price move", "period_label": "August 28, 2025"}])


@needs_prices
def test_dated_price_claim_is_measured_on_that_session():
    from babaresearch.ledger import ledger_from_claims

    closes = raw_closes("BABA")
    expected = (closes["2025-08-28"] / closes["2025-08-27"] - 1) * 100  # about -2.18%
    assert expected == pytest.approx(-2.18, abs=0.005), "snapshot: BABA fell about 2.18% on 2025-08-28"
    ledger = ledger_from_claims(_dated_fall_claim(), as_of="2025-11-25")
    assert ledger["event"].iloc[0] == "session BABA 2025-08-28", "tied to the dated session"
    out = verify_ledger(ledger, source="snapshot").iloc[0]
    assert out["date"] == pd.Timestamp("2025-08-28"), "measured on 2025-08-28, not the 08-29 release day"
    assert out["measured"] == pytest.approx(expected, abs=1e-9)
    assert out["verdict"] == SUPPORTED, "|-2.18 - (-2)| = 0.18 pp is within the exact rule's 0.5 pp"


@needs_prices
def test_dated_price_claim_in_a_stale_ledger_uses_the_label_date():
    # A ledger written before the fix tied the date to the next release (day 0 2025-08-29, +12.90%).
    stale = _dated_fall_claim().assign(ticker="BABA", day0=pd.Timestamp("2025-08-29"),
                                       as_of=pd.Timestamp("2025-11-25"))
    out = verify_ledger(stale, source="snapshot").iloc[0]
    assert out["date"] == pd.Timestamp("2025-08-28") and out["verdict"] == SUPPORTED, out["evidence"]
    # a weekday label keeps the ledger's day 0 (it is relative to the document date)
    friday = stale.assign(period_label="Friday", value=13.0, qualifier="close to")
    out = verify_ledger(friday, source="snapshot").iloc[0]
    assert out["date"] == pd.Timestamp("2025-08-29") and out["verdict"] == SUPPORTED, out["evidence"]
    # an impossible date falls back to day 0 rather than raising
    bad = stale.assign(period_label="February 30, 2025", value=13.0, qualifier="close to")
    assert verify_ledger(bad, source="snapshot").iloc[0]["date"] == pd.Timestamp("2025-08-29")


# ----------------------------------------------------------------------------------------------
# review fix: each row's evidence is its own check's, and says why nothing was measured

def test_verify_ledger_rows_of_one_session_have_their_own_evidence_and_check(fake_bars):
    rows = [("d1", "5%", 5.0, "", "price move", "BABA", "2025-01-06"),  # filler bar
            ("d1", "$100", 100.0, "", "share price", "BABA", "2025-01-06"),
            ("d2", "5%", 5.0, "", "price move", "BABA", "2025-01-07"),  # reference close is filler
            ("d2", "$121", 121.0, "", "share price", "BABA", "2025-01-07")]
    ledger = pd.DataFrame(rows, columns=["doc_id", "quote", "value", "qualifier", "metric", "ticker", "as_of"])
    out = verify_ledger(ledger)
    assert list(out["verdict"]) == [UNVERIFIABLE, UNVERIFIABLE, UNVERIFIABLE, SUPPORTED]
    assert list(out["check"]) == ["no price data", "no price data", "no price data", "measured"]
    assert out["evidence"].iloc[0] == ("BABA 2025-01-06: move unmeasured (BABA 2025-01-06 is a filler/missing "
                                       "bar (no real close)) -> unverifiable"), out["evidence"].iloc[0]
    assert out["evidence"].iloc[1].startswith("BABA 2025-01-06: price unmeasured")
    assert "reference close" in out["evidence"].iloc[2] and "$121" not in out["evidence"].iloc[2], \
        "the move row must not carry the price row's measurement"
    assert out["evidence"].iloc[3] == ("BABA 2025-01-07: close $121.00 vs claimed $121 "
                                       "[within +/-0.5% of price] ok -> supported")


# ----------------------------------------------------------------------------------------------
# every qualifier the extractor writes is one the verifier reads

def test_every_qualifier_claims_can_emit_maps_in_verify():
    from babaresearch.claims import QUALIFIERS, TOLERANCE_QUALIFIER_RE, extract_claims

    for word in QUALIFIERS:
        assert canonical_qualifier(word) in TOLERANCES, f"claims.QUALIFIERS has {word!r}; verify must read it"
    # the tolerance forms, as the extractor really writes them (synthetic sentences)
    emitted = extract_claims("Revenue of $75 billion ±2% is the target. Margins widened 5% +/- 50 bps. "
                             "A fee of $10 ± 0.5 applies.")["qualifier"].tolist()
    assert emitted == ["plus or minus 2%", "plus or minus 50 bp", "plus or minus 0.5"], emitted
    for word in emitted:
        assert TOLERANCE_QUALIFIER_RE.fullmatch(word), f"{word!r} must have the documented form"
        assert canonical_qualifier(word) == verify.TOLERANCE_RULE, f"{word!r} is a two-sided range"
    assert verify.stated_tolerance("plus or minus 2%") == (2.0, "%")
    assert verify.stated_tolerance("plus or minus 50 bp") == (50.0, "bp")
    assert verify.stated_tolerance("Plus or minus  0.5 billion USD") == (5e8, ""), "scale words apply"
    assert verify.stated_tolerance("about") is None and verify.stated_tolerance(None) is None


def test_stated_width_by_unit():
    # by hand: 2% of $75bn = $1.5bn; 2% of a percent claim is 2 pp; 50 bp = 0.5 pp or 0.5% of the amount
    assert verify.stated_width((2.0, "%"), 75e9, percent_claim=False) == pytest.approx(1.5e9)
    assert verify.stated_width((2.0, "%"), 13.0, percent_claim=True) == 2.0
    assert verify.stated_width((50.0, "bp"), 13.0, percent_claim=True) == pytest.approx(0.5)
    assert verify.stated_width((50.0, "bp"), 200.0, percent_claim=False) == pytest.approx(1.0)
    assert verify.stated_width((0.5, ""), 10.0, percent_claim=False) == 0.5


def test_stated_tolerance_is_the_price_claims_width(fake_bars):
    # 2025-01-02 close 110: "$106 plus or minus 4%" allows 101.76-110.24 -> supported;
    # "$106 plus or minus 3%" allows 102.82-109.18 -> contradicted (the table's "about" 2% would too)
    v = verify_price_claim("BABA", "2025-01-02", price=106, qualifier="plus or minus 4%")
    assert v.verdict == SUPPORTED and v.checks[0].tolerance == 4.0, v.evidence
    assert "claimed $106 plus or minus 4%" in v.evidence, v.evidence
    assert verify_price_claim("BABA", "2025-01-02", price=106, qualifier="plus or minus 3%").verdict == CONTRADICTED
    # an absolute width in dollars: 110 - 106 = 4 <= 4.5
    assert verify_price_claim("BABA", "2025-01-02", price=106, qualifier="plus or minus 4.5").verdict == SUPPORTED
    # a width below the rounding band is widened to it (0.5 % of $110 = $0.55): 110.5 is 0.45% off
    v = verify_price_claim("BABA", "2025-01-02", price=110.5, qualifier="plus or minus 0.1%")
    assert v.verdict == SUPPORTED and v.checks[0].tolerance == 0.5
    # a move "+10% +/- 50 bp" allows 9.5-10.5: measured +10% (2025-01-02) -> supported; 11% claimed fails
    assert verify_price_claim("BABA", "2025-01-02", move_pct=10, qualifier="plus or minus 50 bp").verdict == SUPPORTED
    assert verify_price_claim("BABA", "2025-01-02", move_pct=11, qualifier="plus or minus 50 bp").verdict == CONTRADICTED


def test_ledger_forecast_and_tolerance_price_claims(fake_bars):
    frame = pd.DataFrame([
        # a forecast about a session in the data: judged on the outcome with the "about" rule
        ("f1", "expected $108", 108, "expected", "share price", "BABA", "2025-01-02"),
        ("f2", "expected $130", 130, "expected", "share price", "BABA", "2025-01-02"),
        # a forecast about a session after the data: stays a forecast
        ("f3", "expected $130", 130, "expected", "share price", "BABA", "2025-03-03"),
        # a stated tolerance from the extractor
        ("f4", "$106 ±4%", 106, "plus or minus 4%", "share price", "BABA", "2025-01-02"),
    ], columns=["doc_id", "quote", "value", "qualifier", "metric", "ticker", "as_of"])
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    out = verify_ledger(frame)
    assert list(out["verdict"]) == [SUPPORTED, CONTRADICTED, UNVERIFIABLE, SUPPORTED], out["evidence"].tolist()
    assert list(out["check"]) == ["measured", "measured", "forecast", "measured"], \
        "a forecast past the data is a forecast, not 'no price data' nor 'not checkable'"
    assert out["evidence"].iloc[0].startswith("forecast compared with the outcome: BABA 2025-01-02")
    assert out["tolerance"].iloc[3] == "within +/-4% of price"
