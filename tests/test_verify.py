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
    ("close to", "close to"), ("nearly", "close to"), ("almost", "close to"), ("  Close   TO ", "close to"),
    ("over", "over"), ("more than", "over"), ("at least", "at least"),
    ("up to", "up to"), ("less than", "under"), (float("nan"), "exact"),
])
def test_canonical_qualifier_maps_every_word(word, key):
    assert canonical_qualifier(word) == key, f"{word!r} should use the {key!r} tolerance"


@pytest.mark.parametrize("word", ["kinda", "approximately-ish", 5])
def test_canonical_qualifier_rejects_unknown_words(word):
    with pytest.raises(ClaimError, match="qualifier"):
        canonical_qualifier(word)


def test_tolerance_table_numbers_are_the_documented_ones():
    assert (TOLERANCES["exact"].side, TOLERANCES["exact"].move_pp, TOLERANCES["exact"].price_pct) == ("both", 0.5, 0.5)
    assert (TOLERANCES["about"].move_pp, TOLERANCES["about"].price_pct) == (1.0, 2.0)
    close = TOLERANCES["close to"]
    assert (close.side, close.move_pp, close.ytd_pp) == ("below", 1.5, 5.0), "almost/close to must be one-sided"
    assert TOLERANCES["over"].side == "above" and TOLERANCES["up to"].side == "at_most"
    assert all(t.why for t in TOLERANCES.values()), "every tolerance must carry its argument"


@pytest.mark.parametrize("qualifier, kind, claimed, measured, expected", [
    # exact: +/-0.5 pp, boundary inclusive
    ("exact", "move", 13, 12.5, True), ("exact", "move", 13, 13.5, True),
    ("exact", "move", 13, 12.49, False), ("exact", "move", 13, 13.51, False),
    # exact price: +/-0.5% of the claim (135 -> +/-0.675)
    ("exact", "price", 135, 135.675, True), ("exact", "price", 135, 134.3, False),
    # about: +/-1 pp, +/-2% of price
    ("about", "move", 13, 12.0, True), ("about", "move", 13, 14.0, True), ("about", "move", 13, 11.9, False),
    ("about", "price", 135, 132.3, True), ("about", "price", 135, 137.8, False),
    # close to: at or below, within 1.5 pp; above the claim fails even by a hair
    ("close to", "move", 13, 12.90, True), ("close to", "move", 13, 13.0, True),
    ("close to", "move", 13, 11.5, True), ("close to", "move", 13, 11.4, False),
    ("close to", "move", 13, 13.1, False),
    # almost 60% YTD: within 5 pp below
    ("close to", "ytd", 60, 58.3, True), ("close to", "ytd", 60, 55.0, True),
    ("close to", "ytd", 60, 54.9, False), ("close to", "ytd", 60, 61.0, False),
    # over: strictly above; at least: inclusive; up to: not above; under: strictly below
    ("over", "move", 10, 10.01, True), ("over", "move", 10, 10.0, False), ("over", "move", 10, 40.0, True),
    ("at least", "move", 10, 10.0, True), ("at least", "move", 10, 9.99, False),
    ("up to", "move", 10, 10.0, True), ("up to", "move", 10, 10.01, False), ("up to", "move", 10, -3.0, True),
    ("under", "price", 100, 99.99, True), ("under", "price", 100, 100.0, False),
    # a claimed fall is judged on its magnitude
    ("close to", "move", -13, -12.9, True), ("close to", "move", -13, -13.2, False),
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
    # override keeps the direction of "almost": 9% claimed, 10% measured is above -> contradicted
    assert verify_price_claim("BABA", "2025-01-02", move_pct=9, qualifier="almost", tolerance=5).verdict == CONTRADICTED
    v = verify_price_claim("BABA", "2025-01-02", move_pct=10.5, price=112,
                           qualifier={"move": "almost", "price": "about"})
    assert v.verdict == SUPPORTED and [c.qualifier for c in v.checks] == ["close to", "about"]
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
def test_real_unverifiable_cases():
    closes = raw_closes("BABA")
    last = max(closes)
    after = (pd.Timestamp(last) + pd.Timedelta(days=30)).date().isoformat()
    v = verify_price_claim("BABA", after, move_pct=1, source="snapshot")
    assert v.verdict == UNVERIFIABLE and last in v.evidence, "a date after the data must say where it ends"
    v = verify_price_claim("SPY", "2026-04-20", move_pct=0, price=710.14, source="snapshot")
    assert v.verdict == UNVERIFIABLE, "the SPY 2026-04-20 filler bar must not verify a claim"
    assert "filler" in v.evidence


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
    assert first["evidence"].nunique() == 1, "claims of one document and session share one evidence line"
    assert (first["date"] == pd.Timestamp("2025-01-02")).all()
    assert list(first["qualifier"]) == ["close to", "about", "almost"], "qualifiers are reported as written"
    assert first["tolerance"].iloc[2] == "at or below, within 5 pp"
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
