"""The corpus scorer (babaresearch.evaluation): exact metric values on hand-built corpora.

Every corpus here is written by the test into ``tmp_path`` (two short articles of our own, gold
files in the corpus format) and every reading is a hand-built DataFrame, so these tests never
depend on the library's extractor. Each expected figure is counted by hand in the comments; a
failure means the scorer's definition (module docstring of ``evaluation.py``) changed or broke.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd
import pytest

from babaresearch.errors import DataFileError
from babaresearch.evaluation import (
    EvaluationInputError,
    canonical_entity,
    default_run,
    evaluate,
    gold_reading,
    load_gold,
    load_seed_gold,
    locate_anchor,
    normalize_unit,
    read_texts,
    score,
    units_compatible,
)

# two articles of our own (not third-party text)
TEXT_A = ("Acme Wire, March 3, 2025. Alibaba shares rose 5% on Monday. Revenue reached 247.8 "
          "billion yuan, and the company beat estimates by $2 billion. Save 40% on a subscription "
          "today! Cloud revenue grew 34% year over year.")
TEXT_B = ("NVIDIA fell 2.1% in early trading and closed at $118.51 on Jan. 27. The S\u0026P 500 "
          "slipped 1.5%. Read next: 5 Stocks to Buy Now")

GOLD_CSV = """doc,kind,value,unit,anchor,role,subject,metric,sign
d01,claim,5,%,rose 5% on Monday,claim,BABA,price_move,+
d01,claim,247800000000,CNY,reached 247.8 billion yuan,claim,BABA,revenue,+
d01,claim,2000000000,USD,estimates by $2 billion,claim,BABA,other,+
d01,claim,34,%,grew 34% year,claim,BABA,revenue_growth,+
d01,trap,40,%,Save 40%,advert,,,
d01,trap,2025,count,"March 3, 2025",date,,,
d02,claim,2.1,%,fell 2.1% in early,claim,NVDA,price_move,-
d02,claim,118.51,USD,closed at $118.51,claim,NVDA,share_price,+
d02,claim,1.5,%,slipped 1.5%,claim,S&P 500,index_move,-
d02,trap,5,count,5 Stocks to Buy,navigation,,,
"""
DATES_CSV = """doc,published,in_text,evidence
d01,2025-03-03,yes,dateline
d02,2025-01-27,partial,'on Jan. 27'
"""
PRICE_CSV = """doc,ticker,session,kind,claimed,qualifier,basis,scored,expected,measured,how,anchor,note
d01,BABA,2025-03-03,move,5,,close,yes,supported,5.01,hand,rose 5% on Monday,
d02,NVDA,2025-01-27,price,118.51,,close,yes,contradicted,118.42,hand,closed at $118.51,
d02,NVDA,2025-01-27,move,-2.1,,intraday,no,unverifiable,-16.97,hand,fell 2.1% in early,
"""
FACT_CSV = """doc,ticker,fiscal_period,metric,segment,claimed,unit,qualifier,expected,reported,how,anchor
d01,BABA,FY2025Q3,revenue,,247800000000,CNY,,supported,247800000000,hand,reached 247.8 billion yuan
d01,BABA,FY2025Q3,revenue_beat,,2000000000,USD,,unverifiable,,estimate,estimates by $2 billion
d01,BABA,FY2025Q3,revenue_growth,Cloud Intelligence,34,%,,supported,34,hand,grew 34% year
"""


def write_corpus(root: Path, gold: str = GOLD_CSV, dates: str | None = DATES_CSV,
                 prices: str | None = PRICE_CSV, facts: str | None = FACT_CSV) -> Path:
    """A two-article corpus folder in the corpus format."""
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "d01_wire.txt").write_text(TEXT_A, encoding="utf-8")
    (root / "articles" / "d02_recap.txt").write_text(TEXT_B, encoding="utf-8")
    for name, content in (("gold.csv", gold), ("dates.csv", dates), ("price_gold.csv", prices),
                          ("fact_gold.csv", facts)):
        if content is not None:
            (root / name).write_text(content, encoding="utf-8")
    return root


def span(text: str, quote: str, after: str = "") -> tuple[int, int]:
    """Offsets of ``quote`` in ``text`` (searched after ``after`` when given)."""
    start = text.index(quote, text.index(after) if after else 0)
    return start, start + len(quote)


def row(doc_id, text, quote, value, unit, role, after="", **extra) -> dict:
    start, end = span(text, quote, after)
    return {"doc_id": doc_id, "start": start, "end": end, "quote": quote, "value": value,
            "unit": unit, "role": role, **extra}


def reading():
    """The hand-built reading scored in :func:`test_every_metric_exact`.

    Right and wrong on purpose (see the counts in that test).
    """
    a, b = "d01_wire", "d02_recap"
    numbers = pd.DataFrame([
        row(a, TEXT_A, "5%", 5.0, "%", "claim", ticker="BABA", metric="price_move",
            session=pd.Timestamp("2025-03-03"), window="close", listing="US", verdict="supported"),
        row(a, TEXT_A, "247.8 billion yuan", 247.8e9, "RMB", "claim", ticker="BABA",
            metric="revenue", verdict="supported"),
        row(a, TEXT_A, "$2 billion", 2e9, "USD", "claim", ticker="NVDA", metric="other",
            verdict="unverifiable"),  # wrong subject
        row(a, TEXT_A, "34%", 34.0, "percent", "claim", ticker="", subject="Alibaba Cloud",
            metric="revenue_growth", verdict="unverifiable"),  # wrong fact verdict
        row(a, TEXT_A, "40%", 40.0, "%", "claim", ticker="", verdict="contradicted"),  # advert
        row(a, TEXT_A, "2025", 2025.0, "", "date", verdict="not a claim"),
        row(b, TEXT_B, "2.1%", -2.1, "%", "claim", ticker="NVDA", metric="price_move",
            session=pd.Timestamp("2025-01-27"), window="close", listing="US",
            verdict="contradicted"),  # intraday read as close, falsely contradicted
        row(b, TEXT_B, "2.1%", 2.1, "%", "claim", ticker="NVDA", verdict="unverifiable"),  # dup
        row(b, TEXT_B, "$118.51", 118.51, "USD", "claim", ticker="NVDA", metric="price_move",
            session=pd.Timestamp("2025-01-24"), window="close", listing="US",
            verdict="contradicted"),  # wrong metric and session, right verdict
        row(b, TEXT_B, "27", 27.0, "", "claim", verdict="unverifiable"),  # no gold anchor
        row(b, TEXT_B, "5", 5.0, "count", "navigation", after="Read next", verdict="not a claim"),
    ])
    docs = pd.DataFrame({
        "doc_id": [a, b], "title": ["Acme Wire", "Recap"],
        "published": [pd.Timestamp("2025-03-03 06:19", tz="America/New_York"), pd.NaT]})
    texts = {a: TEXT_A, b: TEXT_B}
    return docs, numbers, texts


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "mini")


def test_every_metric_exact(corpus):
    gold = load_gold(corpus)
    result = score(gold, *reading())
    o = result.overall.iloc[0]
    # 7 gold claims, 6 matched by a claim row (1.5% not extracted)
    assert o["n_recall"] == 7 and o["recall"] == pytest.approx(6 / 7)
    # 3 traps; the advert 40% is read as a claim
    assert o["n_trap_precision"] == 3 and o["trap_precision"] == pytest.approx(2 / 3)
    # predicted claims overlapping a gold anchor: 5 in d01 (incl. the advert) + 3 in d02 (the
    # duplicate 2.1% included); 6 of them are assigned to gold claims. "27" is unjudged.
    assert o["n_claim_precision"] == 8 and o["claim_precision"] == pytest.approx(6 / 8)
    assert o["n_claims_unjudged"] == 1
    # roles of traps: advert read as claim (wrong), date right, navigation right
    assert o["role"] == pytest.approx(2 / 3)
    # subjects (gold.csv column): $2 billion is NVDA (wrong), 1.5% not extracted; "Alibaba
    # Cloud" counts as BABA
    assert o["n_subject"] == 7 and o["subject"] == pytest.approx(5 / 7)
    # metrics: $118.51 read as price_move (wrong), 1.5% not extracted
    assert o["metric"] == pytest.approx(5 / 7)
    # signs: 2.1% negative as gold says; only the missing 1.5% is wrong
    assert o["sign"] == pytest.approx(6 / 7)
    # dating: d01 right (tz-aware stamp, its own wall date), d02 NaT
    assert o["dating"] == pytest.approx(1 / 2)
    # price gold: session of $118.51 wrong; the intraday 2.1% read as close
    assert o["session"] == pytest.approx(2 / 3)
    assert o["window"] == pytest.approx(2 / 3)
    assert o["price_verdict"] == pytest.approx(2 / 3)
    assert o["n_price_verdict_scored"] == 2 and o["price_verdict_scored"] == 1.0
    # fact gold: 34% unverifiable instead of supported
    assert o["fact_verdict"] == pytest.approx(2 / 3)
    # fact metrics: revenue_beat is unmapped, the two others right
    assert o["n_metric_unmapped"] == 1 and o["n_metric_fact"] == 2 and o["metric_fact"] == 1.0
    # price + fact tickers: the $2 billion row (BABA read as NVDA) is the one miss of 6
    assert o["subject_price_fact"] == pytest.approx(5 / 6)
    # contradicted: the advert (no price/fact row) and the intraday 2.1% (gold unverifiable)
    # are false; $118.51 is a true contradiction
    assert o["false_contradictions"] == 2 and o["true_contradictions"] == 1
    assert o["anchors_missing"] == 0
    assert set(result.false_contradictions["quote"]) == {"40%", "2.1%"}
    why = dict(zip(result.false_contradictions["quote"], result.false_contradictions["why"]))
    assert "a trap (advert)" in why["40%"] and "expects unverifiable" in why["2.1%"]


def test_per_document_and_errors(corpus):
    result = score(load_gold(corpus), *reading())
    per = result.per_document
    assert list(per.index) == ["d01", "d02"]
    assert per.loc["d01", "recall"] == 1.0
    assert per.loc["d02", "recall"] == pytest.approx(2 / 3)
    assert per.loc["d01", "false_contradictions"] == 1 and per.loc["d02", "false_contradictions"] == 1
    assert per.loc["d01", "dating"] == 1.0 and per.loc["d02", "dating"] == 0.0
    assert per.loc["d01", "title"] == "Acme Wire"
    errors = result.errors
    missed = errors[(errors["check"] == "recall")]
    assert list(missed["anchor"]) == ["slipped 1.5%"]
    assert missed["got"].iloc[0] == "not extracted"
    assert missed["detail"].iloc[0] == "no predicted number overlaps the anchor"
    session = errors[errors["check"] == "session"].iloc[0]
    assert (session["expected"], session["got"]) == ("2025-01-27", "2025-01-24")
    window = errors[errors["check"] == "window"].iloc[0]
    assert (window["expected"], window["got"]) == ("intraday", "close")
    # the scored-verdict check is a subset of price_verdict: not listed twice
    assert "price_verdict_scored" not in set(errors["check"])
    # every error names the gold file line (price_gold line 4 is the intraday 2.1% row)
    assert window["line"] == 4
    text = result.summary()
    assert "recall" in text and "0.857" in text and "FAIL" in text
    assert "<table" in result._repr_html_()


def test_perfect_reading_scores_one(corpus):
    gold = load_gold(corpus)
    docs, numbers, texts = reading()
    numbers = numbers[numbers["quote"].ne("27")].copy()
    numbers = numbers.drop(index=7)  # the duplicate 2.1%
    fix = numbers["quote"] == "40%"
    numbers.loc[fix, ["role", "verdict"]] = ["advert", "not a claim"]
    numbers.loc[numbers["quote"] == "$2 billion", "ticker"] = "BABA"
    numbers.loc[numbers["quote"] == "34%", "verdict"] = "supported"
    two = numbers["quote"] == "2.1%"
    numbers.loc[two, ["window", "verdict"]] = ["intraday", "unverifiable"]
    price = numbers["quote"] == "$118.51"
    numbers.loc[price, "metric"] = "share_price"
    numbers.loc[price, "session"] = pd.Timestamp("2025-01-27")
    start, end = span(TEXT_B, "1.5%")
    extra = pd.DataFrame([{"doc_id": "d02_recap", "start": start, "end": end, "value": -1.5,
                           "unit": "%", "role": "claim", "ticker": "S&P 500",
                           "metric": "index_move", "verdict": "unverifiable"}])
    numbers = pd.concat([numbers, extra], ignore_index=True)
    docs["published"] = [pd.Timestamp("2025-03-03"), pd.Timestamp("2025-01-27")]
    o = score(gold, docs, numbers, texts).overall.iloc[0]
    for metric in ("recall", "trap_precision", "claim_precision", "role", "subject", "metric",
                   "sign", "dating", "session", "window", "price_verdict", "fact_verdict"):
        assert o[metric] == 1.0, metric
    assert o["false_contradictions"] == 0 and o["true_contradictions"] == 1


def test_anchor_missing_is_counted_not_raised(tmp_path):
    gold = GOLD_CSV + "d02,claim,7,%,a sentence that is not there,claim,NVDA,price_move,+\n"
    gold += "d03,claim,1,%,an article nobody read,claim,NVDA,price_move,+\n"
    root = write_corpus(tmp_path / "mini", gold=gold)
    result = score(load_gold(root), *reading())
    o = result.overall.iloc[0]
    assert o["anchors_missing"] == 2
    # 9 claims now; the two missing ones count as misses: 6 of 9
    assert o["recall"] == pytest.approx(6 / 9)
    anchors = result.errors[result.errors["check"] == "anchor"]
    assert dict(zip(anchors["doc"], anchors["got"])) == {"d02": "anchor missing",
                                                         "d03": "document not read"}
    assert result.per_document.loc["d03", "anchors_missing"] == 1


def test_overlap_and_value_rules_and_largest_overlap_wins(tmp_path):
    gold = "doc,kind,value,unit,anchor\nd01,claim,5,%,rose 5% on Monday\n"
    root = write_corpus(tmp_path / "mini", gold=gold, dates=None, prices=None, facts=None)
    g = load_gold(root)
    docs = pd.DataFrame({"doc_id": ["d01_wire"], "published": [pd.NaT]})
    texts = {"d01_wire": TEXT_A}
    s, e = span(TEXT_A, "5%")
    def one(*rows):
        numbers = pd.DataFrame([dict(doc_id="d01_wire", unit="%", **r) for r in rows])
        return score(g, docs, numbers, texts).overall.iloc[0]
    # value within 1e-6 relative: matched; 5.01 is another number
    assert one(dict(start=s, end=e, value=5.000001, role="claim"))["recall"] == 1.0
    assert one(dict(start=s, end=e, value=5.01, role="claim"))["recall"] == 0.0
    # touching the anchor's end is no overlap
    a_end = span(TEXT_A, "rose 5% on Monday")[1]
    assert one(dict(start=a_end, end=a_end + 3, value=5, role="claim"))["recall"] == 0.0
    # two candidates: the one overlapping most decides (here a non-claim: recall 0)
    wide = dict(start=s - 5, end=e + 3, value=5, role="identifier")
    narrow = dict(start=s, end=s + 1, value=5, role="claim")
    result = one(narrow, wide)
    assert result["recall"] == 0.0
    # ... and the narrow claim left over is a spurious claim on the anchor
    assert result["claim_precision"] == 0.0


def test_unit_normalisation():
    assert normalize_unit("RMB") == "CNY" and normalize_unit("$") == "USD"
    assert normalize_unit("per cent") == "%" and normalize_unit("times") == "x"
    assert units_compatible("pp", "%") and units_compatible("pp", "percentage points")
    assert not units_compatible("%", "pp")
    assert units_compatible("count", "") and units_compatible("count", "quarters")
    assert not units_compatible("USD", "CNY") and not units_compatible("x", "%")
    assert units_compatible("HKD", "HK$")


def test_subject_aliases_and_hong_kong_listing(tmp_path):
    gold = ("doc,kind,value,unit,anchor,role,subject,metric,sign\n"
            "d01,claim,5,%,rose 5% on Monday,claim,9988.HK,price_move,+\n"
            "d02,claim,1.5,%,slipped 1.5%,claim,S&P 500,index_move,-\n")
    root = write_corpus(tmp_path / "mini", gold=gold, dates=None, prices=None, facts=None)
    g = load_gold(root)
    texts = {"d01_wire": TEXT_A, "d02_recap": TEXT_B}
    docs = pd.DataFrame({"doc_id": list(texts), "published": [pd.NaT, pd.NaT]})
    def subject(listing, index_name):
        numbers = pd.DataFrame([
            row("d01_wire", TEXT_A, "5%", 5, "%", "claim", ticker="BABA", listing=listing),
            row("d02_recap", TEXT_B, "1.5%", -1.5, "%", "claim", ticker=index_name)])
        return score(g, docs, numbers, texts).overall.iloc[0]["subject"]
    assert subject("HK", "S&P 500") == 1.0
    assert subject("US", "SPY") == 0.5  # the HK listing is required for 9988.HK
    assert subject("HK", "Nasdaq") == 0.5
    assert canonical_entity("Nvidia Corp") == ("NVDA", "")
    assert canonical_entity("Huawei") == ("huawei", "")


def test_hong_kong_price_claim_checks_listing_not_window(tmp_path):
    prices = ("doc,ticker,session,kind,claimed,qualifier,basis,scored,expected,measured,how,"
              "anchor,note\nd01,BABA,2025-03-03,move,5,,hk,no,unverifiable,,,rose 5% on Monday,\n")
    root = write_corpus(tmp_path / "mini", prices=prices, facts=None)
    g = load_gold(root)
    texts = {"d01_wire": TEXT_A}
    docs = pd.DataFrame({"doc_id": ["d01_wire"], "published": [pd.NaT]})
    def window(listing):
        numbers = pd.DataFrame([row("d01_wire", TEXT_A, "5%", 5, "%", "claim", ticker="BABA",
                                    listing=listing, window="close", verdict="unverifiable")])
        return score(g, docs, numbers, texts).overall.iloc[0]["window"]
    assert window("HK") == 1.0
    assert window("US") == 0.0


def test_gold_without_extra_columns_takes_subject_and_sign_from_price_and_fact(tmp_path):
    plain = pd.read_csv(io.StringIO(GOLD_CSV), dtype=str)[["doc", "kind", "value", "unit",
                                                            "anchor"]].to_csv(index=False)
    root = write_corpus(tmp_path / "mini", gold=plain)
    g = load_gold(root)
    assert not (g.has_subject or g.has_metric or g.has_sign)
    o = score(g, *reading()).overall.iloc[0]
    # subject: 3 price + 3 fact tickers, 5 right (the $2 billion is NVDA)
    assert o["n_subject"] == 6 and o["subject"] == pytest.approx(5 / 6)
    # metric from fact_gold through the map: 2 mapped rows, both right
    assert o["n_metric"] == 2 and o["metric"] == 1.0
    # sign from the signed claimed column: all 6 right (2.1% is -2.1, claimed -2.1)
    assert o["n_sign"] == 6 and o["sign"] == 1.0
    # traps carry no role here: role accuracy has nothing to score
    assert pd.isna(o["role"]) and o["n_role"] == 0


@pytest.mark.parametrize("name, content, line, message", [
    ("gold.csv", "doc,kind,value,unit,anchor\nd01,claim,5,%,rose 5%\nd01,claim,abc,%,x\n", 3,
     "value 'abc' is not a number"),
    ("gold.csv", "doc,kind,value,unit,anchor\nd01,fact,5,%,rose 5%\n", 2, "kind 'fact'"),
    ("gold.csv", "doc,kind,value,unit\nd01,claim,5,%\n", 1, "missing column(s) anchor"),
    ("gold.csv", 'doc,kind,value,unit,anchor\nd01,claim,5,%,"two\nlines"\nd01,claim,5,%,\n', 4,
     "empty anchor"),
    ("gold.csv", "doc,kind,value,unit,anchor,role,subject,metric,sign\n"
                 "d01,claim,5,%,rose 5%,claim,BABA,price_moves,+\n", 2, "metric 'price_moves'"),
    ("dates.csv", "doc,published\nd01,2025-03-03\nd02,27/01/2025\n", 3, "not a YYYY-MM-DD"),
    ("price_gold.csv", PRICE_CSV.replace("intraday", "overnight"), 4, "basis 'overnight'"),
    ("fact_gold.csv", FACT_CSV.replace("unverifiable", "maybe"), 3, "expected 'maybe'"),
])
def test_bad_gold_file_names_file_and_line(tmp_path, name, content, line, message):
    root = write_corpus(tmp_path / "mini")
    (root / name).write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_gold(root)
    assert info.value.line == line
    assert info.value.path.endswith(name)
    assert message in str(info.value)


def test_optional_gold_files_may_be_absent(tmp_path):
    root = write_corpus(tmp_path / "mini", dates=None, prices=None, facts=None)
    g = load_gold(root)
    assert g.dates.empty and g.prices.empty and g.facts.empty
    o = score(g, *reading()).overall.iloc[0]
    assert pd.isna(o["dating"]) and pd.isna(o["price_verdict"])
    # no price/fact gold: every predicted contradiction is false (advert, 2.1%, $118.51)
    assert o["false_contradictions"] == 3
    with pytest.raises(DataFileError, match="gold file not found"):
        load_gold(tmp_path / "nowhere")


def test_anchor_location_rules():
    text = "It said \u201cup 5%\u201d and\nthen up 5% again"
    assert locate_anchor("up 5%", text) == (9, 14, "exact")
    # curly quotes and line breaks in the text still match a straight, single-spaced anchor
    start, end, how = locate_anchor('"up 5%" and then', text)
    assert (start, how) == (8, "folded") and text[start:end].endswith("then")
    # given offsets: used when they hold the quote, else the nearest occurrence
    assert locate_anchor("up 5%", text, 25, 30) == (25, 30, "offsets")
    assert locate_anchor("up 5%", text, 23, 28) == (25, 30, "relocated")
    assert locate_anchor("down 5%", text) == (-1, -1, "missing")


def test_seed_gold_adapter(tmp_path):
    text = "Capex plan $53 billion; free cash flow was an outflow of RMB 21.8 billion in H20 era."
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "000_abc.txt").write_text(text, encoding="utf-8")
    s53, e53 = span(text, "$53 billion")
    s21, e21 = span(text, "RMB 21.8 billion")
    sh, eh = span(text, "H20")
    seed = tmp_path / "claims_gold.csv"
    seed.write_text(
        "doc_id,start,end,quote,value,unit,metric,note,kind\n"
        f"000_abc,{s53},{e53},$53 billion,53000000000.0,USD,AI capex plan,pledge,claim\n"
        f"000_abc,{s21},{e21},RMB 21.8 billion,-21800000000.0,CNY,free cash flow,outflow,claim\n"
        f"000_abc,{sh},{eh},H20,,,product name,GPU model,trap\n", encoding="utf-8")
    dates = tmp_path / "documents.csv"
    dates.write_text("doc_id,as_of,as_of_evidence,n_claims,chars\n000_abc,2025-11-25,x,2,80\n",
                     encoding="utf-8")
    g = load_seed_gold(seed, dates=dates)
    assert list(g.numbers["sign"]) == ["+", "-", ""]
    assert g.numbers["value"].iloc[1] == 21.8e9
    numbers = pd.DataFrame([
        {"doc_id": "000_abc", "start": s53, "end": e53, "value": 53e9, "unit": "USD",
         "role": "claim"},
        {"doc_id": "000_abc", "start": s21 + 4, "end": e21, "value": -21.8e9, "unit": "CNY",
         "role": "claim"},
        {"doc_id": "000_abc", "start": sh, "end": eh, "value": float("nan"), "unit": "",
         "role": "identifier"}])
    docs = pd.DataFrame({"doc_id": ["000_abc"], "published": [pd.Timestamp("2025-11-25")]})
    o = score(g, docs, numbers, {"000_abc": text}).overall.iloc[0]
    assert o["recall"] == 1.0 and o["trap_precision"] == 1.0 and o["sign"] == 1.0
    assert o["dating"] == 1.0
    bad = tmp_path / "bad.csv"
    bad.write_text("doc_id,start,end,quote,value,unit,metric,note,kind\n000_abc,9,3,x,1,%,m,n,claim\n",
                   encoding="utf-8")
    with pytest.raises(DataFileError, match="bad offsets") as info:
        load_seed_gold(bad)
    assert info.value.line == 2


def test_evaluate_with_a_runner(corpus):
    seen = []

    def run(path):
        seen.append(Path(path))
        return reading()

    result = evaluate({"mini": corpus}, run=run)
    assert seen == [corpus / "articles"]
    assert result.table.loc["mini", "recall"] == pytest.approx(6 / 7)
    targets = result.targets()
    assert targets.loc["mini", "recall"] == "FAIL"
    assert targets.loc["mini", "false_contradictions"] == "FAIL"

    def broken(path):
        raise RuntimeError("reader exploded")

    kept = evaluate({"mini": corpus}, run=broken, keep_going=True)
    assert "reader exploded" in kept.table.loc["mini", "failed"]
    with pytest.raises(RuntimeError):
        evaluate({"mini": corpus}, run=broken)


def test_default_run_explains_a_missing_reader(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "babaresearch.reading", None)  # import fails
    monkeypatch.setitem(sys.modules, "babaresearch.check", None)
    with pytest.raises(EvaluationInputError, match="read_corpus"):
        default_run(tmp_path)


def test_malformed_reading_is_a_typed_error(corpus):
    docs, numbers, texts = reading()
    with pytest.raises(EvaluationInputError, match="role"):
        score(load_gold(corpus), docs, numbers.drop(columns="role"), texts)
    texts = dict(texts, d01_other="x")
    with pytest.raises(EvaluationInputError, match="both map to gold doc 'd01'"):
        score(load_gold(corpus), docs, numbers, texts)


def test_gold_read_as_a_reading_scores_one(corpus):
    gold = load_gold(corpus)
    texts = read_texts(corpus / "articles")
    o = score(gold, *gold_reading(gold, texts), texts).overall.iloc[0]
    for metric in ("recall", "trap_precision", "claim_precision", "role", "subject", "metric",
                   "sign", "dating", "session", "window", "price_verdict", "fact_verdict"):
        assert o[metric] == 1.0, metric
    assert o["false_contradictions"] == 0 and o["true_contradictions"] == 1


SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def test_shared_corpus_gold_is_consistent():
    """The 12 real articles' gold, read as a reading: every anchor is in its text and the price
    and fact rows agree with gold.csv (1.0 everywhere). Failing means the gold files or the
    loader changed."""
    if not (SHARED_CORPUS / "gold.csv").is_file():
        pytest.skip(f"shared corpus not found at {SHARED_CORPUS}")
    gold = load_gold(SHARED_CORPUS)
    assert (len(gold.numbers), len(gold.dates), len(gold.prices), len(gold.facts)) == (217, 12, 32, 75)
    assert (gold.numbers["kind"] == "claim").sum() == 146
    texts = read_texts(SHARED_CORPUS / "articles")
    result = score(gold, *gold_reading(gold, texts), texts)
    o = result.overall.iloc[0]
    assert o["anchors_missing"] == 0
    for metric in ("recall", "trap_precision", "claim_precision", "subject", "sign", "dating",
                   "session", "window", "price_verdict", "price_verdict_scored", "fact_verdict",
                   "metric_fact"):
        assert o[metric] == 1.0, (metric, result.errors.head())
    # fact metrics without a faithful vocabulary word: revenue_share, revenue_beat,
    # eps_diluted_beat, ai_revenue_share, adjusted_net_income_growth
    assert o["n_metric_unmapped"] == 5
    # r10's "$118.51" against a close of 118.42 is the one expected contradiction
    assert o["true_contradictions"] == 1 and o["false_contradictions"] == 0


def test_an_empty_reading_scores_zero_recall_and_no_contradictions(corpus):
    numbers = pd.DataFrame(columns=["doc_id", "start", "end", "value", "unit", "role"])
    docs = pd.DataFrame({"doc_id": ["d01_wire", "d02_recap"]})  # no published column at all
    o = score(load_gold(corpus), docs, numbers, {"d01_wire": TEXT_A, "d02_recap": TEXT_B}).overall.iloc[0]
    assert o["recall"] == 0.0 and o["trap_precision"] == 1.0 and pd.isna(o["claim_precision"])
    assert o["dating"] == 0.0 and o["price_verdict"] == 0.0 and o["false_contradictions"] == 0


def test_default_run_judges_the_numbers(tmp_path):
    # the evaluation scores verdicts: default_run is read_corpus + verdicts.judge. BABA 2025-08-29
    # close 135.00 / 119.57 - 1 = +12.90%, so "12.9% on Friday" is supported on that session.
    (tmp_path / "note.md").write_text(
        "---\ndate: 2025-08-29\ntitle: Alibaba rallies\n---\n"
        "Alibaba shares jumped 12.9% on Friday to close at $135.00.\n", encoding="utf-8")
    docs, numbers, texts = default_run(tmp_path)
    assert {"verdict", "reason", "claimed", "measured"} <= set(numbers.columns)
    move = numbers[(numbers["role"] == "claim") & (numbers["value"] == 12.9)]
    assert move["verdict"].tolist() == ["supported"], numbers[["quote", "verdict", "reason"]]
