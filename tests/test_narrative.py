"""The prose the reports quote is computed, so it is tested like any other number."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from babaresearch.narrative import event_study_findings, performance_findings, scorecard_findings


def plain(markdown: str) -> str:
    """What a reader sees: the Markdown rendered as nbconvert renders it, tags stripped."""
    import html
    import re

    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return html.unescape(re.sub(r"<[^>]+>", "", markdown2html_mistune(markdown))).strip()


def fake_result(rows, aggregate=None, window=(-1, 1)):
    summary = pd.DataFrame(rows, columns=["event", "status", "car", "t", "p", "detail"])
    aggregate = pd.DataFrame(aggregate or [], columns=["name", "value", "p_value"])
    return SimpleNamespace(summary=summary, aggregate=aggregate, window=window)


def test_event_findings_name_significant_events_largest_first_and_the_excluded():
    result = fake_result(
        [("A Q1", "ok", 0.05, 2.5, 0.01, None), ("A Q2", "ok", -0.12, -3.1, 0.002, None),
         ("A Q3", "ok", 0.01, 0.3, 0.70, None),
         ("A Q4", "wrongspan", np.nan, np.nan, np.nan, "24 estimation sessions < 120")],
        [("caar", -0.02, 0.8), ("cross_sectional_t", -0.3, 0.8), ("patell_z", 1.5, 0.13)])
    text = plain(event_study_findings(result, subject="releases"))
    assert text.startswith("2 of the 3 releases measured had a CAR(-1, +1) significant at the 5% level: "
                           "A Q2 (-12.0%, t = -3.10); A Q1 (+5.0%, t = 2.50).")
    assert "CAAR) is -2.00%" in text and "Patell Z 1.50 (p = 0.13)" in text
    assert "the tests disagree (Patell Z" not in text, "p = 0.13 does not reject at 5%"
    assert "no test rejects a zero average" in text
    assert text.endswith("Excluded 1: A Q4 (wrongspan: 24 estimation sessions < 120).")


def test_event_findings_say_when_the_tests_disagree_or_agree():
    rows = [("A", "ok", 0.05, 2.5, 0.01, None), ("B", "ok", 0.03, 1.1, 0.3, None)]
    mixed = fake_result(rows, [("caar", 0.05, 0.2), ("cross_sectional_t", 1.3, 0.2),
                               ("corrado_rank_window", 2.7, 0.007)])
    assert ("the tests disagree (Corrado rank (window) rejects a zero average at the 5% level, "
            "the others do not)") in event_study_findings(mixed)
    strong = fake_result(rows, [("caar", 0.05, 0.01), ("cross_sectional_t", 2.6, 0.01),
                                ("patell_z", 3.0, 0.003)])
    assert "every test rejects a zero average" in event_study_findings(strong)
    assert "CAAR" not in event_study_findings(strong, include_average=False)


def test_one_event_gets_no_average_sentence():
    one = fake_result([("A", "ok", 0.1355, 2.74, 0.007, None)],
                      [("caar", 0.1355, 0.007), ("cross_sectional_t", float("nan"), float("nan"))])
    text = event_study_findings(one)
    assert text == ("1 of the 1 events measured had a CAR(-1, +1) significant at the 5% level: "
                    "A (+13.6%, t = 2.74)."), "an average of one event is not a finding"


def test_event_findings_when_nothing_is_significant_or_measurable():
    quiet = fake_result([("B", "ok", 0.01, 0.5, 0.6, None), ("C", "ok", -0.01, -0.4, 0.7, None)],
                        [("caar", 0.0, 0.9)])
    assert event_study_findings(quiet).startswith("None of the 2 events measured")
    empty = fake_result([("C", "outofrange", np.nan, np.nan, np.nan, "after the data")])
    assert event_study_findings(empty) == ("No events could be measured: Excluded 1: "
                                           "C (outofrange: after the data).")


def test_event_findings_on_the_real_baba_releases():
    from babaresearch import earnings_calendar, event_study

    calendar = earnings_calendar("BABA")
    events = pd.DataFrame({"event_id": calendar["fiscal_period"], "ticker": calendar["ticker"],
                           "event_date": calendar["release_date"],
                           "timing": calendar["release_time"]})
    text = event_study_findings(event_study(events, source="snapshot"), subject="BABA releases")
    # FY2025Q3 (Feb 2025) and FY2026Q1 (the ~13% day) are the two significant reactions.
    assert text.startswith("2 of the 12 BABA releases measured"), text
    assert "FY2025Q3 (+13.9%" in text and "FY2026Q1 (+13.6%" in text


def test_scorecard_findings_count_verdicts_and_list_what_was_wrong():
    card = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "quote": ["13%", "$135", "20%"],
                         "verdict": ["supported", "unverifiable", "contradicted"],
                         "evidence": ["ok", "no data", "measured 12.9%"]})
    text = plain(scorecard_findings(card))
    assert text.startswith("Of 3 checkable claims in 2 documents: 1 supported, 1 contradicted, "
                           "1 unverifiable.")
    assert 'Contradicted: "20%" (d2): measured 12.9%' in text
    assert scorecard_findings(card.iloc[:0]) == "No checkable claims."


def test_scorecard_findings_name_self_contradictions_and_sequence_checks():
    card = pd.DataFrame({"doc_id": ["d2"], "quote": ["470,000"], "verdict": ["unverifiable"],
                         "evidence": ["not found"]})
    ledger = pd.DataFrame({
        "doc_id": ["d2", "d2", "d2", "d1", "d3"],
        "quote": ["470,000", "470,000", "470,000", "eight quarters", "ninth quarter"],
        "period_label": ["March 20, 2026", "Q3 2025", None, "last quarter", "Q3 2025"],
        "fiscal_period": ["FY2026Q3", "FY2026Q2", None, "FY2026Q1", "FY2026Q2"],
        "contradiction": [True, True, False, False, False],
        "sequence_consistent": pd.array([None, None, None, True, True], dtype="boolean"),
    })
    text = plain(scorecard_findings(card, ledger))
    assert ("d2 contradicts itself on \"470,000\": it dates the figure with 'March 20, 2026' and "
            "'Q3 2025', which resolve to different releases (FY2026Q2, FY2026Q3)") in text
    assert "are consistent with each other" in text
    ledger.loc[4, "sequence_consistent"] = False
    assert "NOT consistent" in scorecard_findings(card, ledger)


def test_scorecard_findings_on_the_committed_seed_ledger():
    from babaresearch import load_ledger, scorecard

    ledger = load_ledger()
    text = plain(scorecard_findings(scorecard(ledger, source="snapshot"), ledger))
    assert "0 contradicted" in text, "every price and fact claim of the seeds checks out or is open"
    assert "10 with no reference fact collected" in text, text
    assert "3 checked against the sources found and not confirmed" in text
    assert "2 forecasts" in text
    assert "002_e415cb0bc74b184c contradicts itself on \"470,000\"" in text
    assert "Streak counts across documents" in text and "are consistent" in text


# ------------------------------------------------------------------ hostile values (issue 11.3)

#: Values a document's file name, title or text can carry; none may become live markup.
HOSTILE = ["<img src=x onerror=alert(1)>", "[x](javascript:alert(2))", "![i](javascript:alert(3))",
           "<script>alert(4)</script>", "**bold** _it_ `code` $x$", "# heading\n- list"]


def live_markup(markdown: str) -> list[str]:
    """Tags and links in the rendered Markdown (the findings render as plain paragraphs)."""
    import re

    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    rendered = markdown2html_mistune(markdown)
    return [tag for tag in re.findall(r"<(\w+)", rendered) if tag != "p"]


def test_findings_escape_document_ids_quotes_and_evidence():
    card = pd.DataFrame({"doc_id": HOSTILE, "quote": HOSTILE[::-1], "verdict": ["contradicted"] * 6,
                         "evidence": HOSTILE, "check": ["x"] * 6})
    ledger = pd.DataFrame({"doc_id": HOSTILE[:2] * 2, "quote": HOSTILE[2:4] * 2,
                           "period_label": HOSTILE[:4], "fiscal_period": HOSTILE[2:6],
                           "contradiction": [True] * 4,
                           "sequence_consistent": pd.array([True] * 4, dtype="boolean")})
    text = scorecard_findings(card, ledger)
    assert live_markup(text) == [], f"hostile values became markup: {live_markup(text)}"
    seen = plain(text)
    for value in HOSTILE:
        assert value.replace("\n", " ") in seen, f"{value!r} must read as itself, got {seen!r}"


def test_event_and_performance_findings_escape_labels():
    result = fake_result([(HOSTILE[0], "ok", 0.05, 2.5, 0.01, None),
                          (HOSTILE[1], "wrongspan", np.nan, np.nan, np.nan, HOSTILE[3])])
    text = event_study_findings(result)
    assert live_markup(text) == [], text
    assert HOSTILE[0] in plain(text) and HOSTILE[3] in plain(text)
    summary = pd.DataFrame({"ticker": ["<b>X</b>", "SPY"], "start": pd.Timestamp("2024-01-02"),
                            "end": pd.Timestamp("2024-12-31"), "total_return": [0.5, 0.2],
                            "max_drawdown": [-0.3, -0.1],
                            "max_drawdown_date": pd.Timestamp("2024-08-05")})
    text = performance_findings(summary, companies=("<b>X</b>",))
    assert live_markup(text) == [] and "<b>X</b> returned +50%" in plain(text), text
