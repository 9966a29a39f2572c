"""Company / index profiles and the entity matcher (babaresearch.profiles, vocab/profiles.toml).

Sentences are invented for the test. A failure means a number is attributed to a different
company, segment or index (or to none), or a profile lost its listing / proxy / fiscal calendar.
"""

from __future__ import annotations

import pytest

from babaresearch.profiles import (ENTITY_KINDS, analysed_tickers, entities, entity,
                                   entity_mentions, unknown_security_mentions)


def _names(text: str):
    return [(text[m.start:m.end], m.entity.id, m.hk_listing) for m in entity_mentions(text)]


def test_profiles_load_and_are_consistent():
    table = entities()
    assert {"BABA", "NVDA", "AMD", "S&P 500", "Alibaba Cloud"} <= set(table)
    assert all(e.kind in ENTITY_KINDS for e in table.values())
    for seg in (e for e in table.values() if e.kind == "segment"):
        assert seg.parent in table and seg.ticker == table[seg.parent].ticker, seg.id
    assert analysed_tickers() == ("BABA", "NVDA")


def test_alibaba_profile():
    baba = entity("BABA")
    assert (baba.name, baba.kind, baba.fiscal, baba.currency, baba.analysed) == ("Alibaba", "company", "Q-MAR", "CNY", True)
    assert baba.listings == (("9988.HK", "HKEX", "HKD"),)
    assert {"9988.HK", "HKG: 9988"} <= set(baba.hk_aliases)


def test_nvidia_index_and_segment_profiles():
    assert (entity("NVDA").fiscal, entity("NVDA").currency) == ("FY5253-JAN", "USD")
    spx = entity("S&P 500")
    assert (spx.kind, spx.proxy) == ("index", "SPY")
    cloud = entity("Alibaba Cloud")
    assert (cloud.kind, cloud.segment, cloud.company, cloud.ticker) == ("segment", "Cloud Intelligence", "BABA", "BABA")
    with pytest.raises(KeyError):
        entity("NOT-A-PROFILE")


def test_docstring_example():
    assert [m.entity.id for m in entity_mentions("AMD ended 3.6% lower while Nvidia rose.")] == ["AMD", "NVDA"]


def test_longest_name_wins_and_case_matters():
    assert _names("Alibaba Cloud revenue rose.") == [("Alibaba Cloud", "Alibaba Cloud", False)]
    assert _names("Meta and meta") == [("Meta", "META", False)], "'meta' in lower case is not the company"
    assert _names("the cloud unit grew") == [("cloud unit", "Alibaba Cloud", False)]


def test_bare_hong_kong_code_needs_a_cue():
    assert _names("Alibaba 9988") == [("Alibaba", "BABA", False), ("9988", "BABA", True)]
    assert _names("shares of 9988 rose") == [], "a bare 9988 with no exchange cue or company name is no mention"
    assert _names("Alibaba (HKG: 9988)")[-1] == ("HKG: 9988", "BABA", True)


@pytest.mark.parametrize("text, name", [("Zhipu shares rose 4%.", "Zhipu"),
                                        ("Moore Threads shares jumped 5%.", "Moore Threads"),
                                        ("Kingsoft stock rose 3%.", "Kingsoft")])
def test_unknown_security_names(text, name):
    found = unknown_security_mentions(text, entity_mentions(text))
    assert [(text[m.start:m.end], m.entity.id, m.entity.kind) for m in found] == [(name, name, "unknown")]


def test_unknown_security_skips_known_and_generic_words():
    text = "Chinese shares rose while Alibaba shares fell."
    assert unknown_security_mentions(text, entity_mentions(text)) == []


def test_unknown_security_possessive():
    text = "Kingsoft's stock rose 3%."
    assert [text[m.start:m.end] for m in unknown_security_mentions(text, [])] == ["Kingsoft"]
