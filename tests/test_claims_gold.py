"""Independent gold annotation of the five seed articles: precision / recall of the claim extractor.

``tests/fixtures/claims_gold.csv`` was annotated by hand, without looking at the extractor, as an
analyst would underline numbers: one ``kind == "claim"`` row per quantitative statement about the
companies, their products, markets, finances or prices (repeated mentions are separate rows), and
``kind == "trap"`` rows for number-bearing spans that must never be reported as claims (product
names such as "H20", years and dates, period labels such as "Q3 2025", advert text). Offsets index
into ``Document.text`` (the ftfy-repaired text of :func:`babaresearch.load_documents`); the
``quote`` column holds only the short span itself so offsets can be checked.

Scoring: a predicted claim matches a gold claim of the same document when their spans overlap and
their values agree within :data:`VALUE_REL_TOL` (relative); matching is one-to-one and greedy
(largest overlap first). ``score_claims()`` returns ``(precision, recall, missed, spurious)`` so
the numbers can be quoted; ``pytest -s`` prints them.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from conftest import SEEDS_DIR, resource

#: The gold file (hand annotation; see the module docstring).
GOLD_FILE = "claims_gold.csv"
#: Values agree when within this relative tolerance ("$53 billion" vs 53e9).
VALUE_REL_TOL = 1e-6
#: Minimum precision and recall the extractor must reach on the seed articles.
MIN_PRECISION = 0.9
MIN_RECALL = 0.9
GOLD_COLUMNS = ["doc_id", "start", "end", "quote", "value", "unit", "metric", "note", "kind"]


# --------------------------------------------------------------------------------------------
# gold loading and scoring (pure functions; the lead may import score_claims)
# --------------------------------------------------------------------------------------------
def load_gold(path: Path | None = None) -> list[dict]:
    """Rows of the gold CSV with ``start``/``end`` as int and ``value`` as float (NaN for traps)."""
    path = resource(GOLD_FILE) if path is None else Path(path)
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == GOLD_COLUMNS, f"{path}: unexpected header {reader.fieldnames}"
        rows = []
        for row in reader:
            row["start"], row["end"] = int(row["start"]), int(row["end"])
            row["value"] = float(row["value"]) if row["value"] != "" else math.nan
            rows.append(row)
    return rows


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Number of characters two half-open spans share (0 when disjoint)."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def _values_agree(predicted: float, gold: float) -> bool:
    try:
        predicted = float(predicted)
    except (TypeError, ValueError):
        return False
    if math.isnan(predicted) or math.isnan(gold):
        return False
    return math.isclose(predicted, gold, rel_tol=VALUE_REL_TOL, abs_tol=0.0)


def match_claims(gold: list[dict], predicted: list[dict]) -> tuple[list[tuple[int, int]], list[dict], list[dict]]:
    """One-to-one greedy matching of predicted claims to gold claims.

    Parameters
    ----------
    gold : list of dict
        Gold rows (``doc_id, start, end, value``; only ``kind == "claim"`` rows are used).
    predicted : list of dict
        Predicted claims with ``doc_id, start, end, value`` (character offsets, full-magnitude value).

    Returns
    -------
    (pairs, missed, spurious)
        ``pairs`` are ``(gold index, predicted index)`` into the claim-only gold list and
        ``predicted``; ``missed`` the unmatched gold claims; ``spurious`` the unmatched predictions.
    """
    claims = [g for g in gold if g.get("kind", "claim") == "claim"]
    candidates = []
    for gi, g in enumerate(claims):
        for pi, p in enumerate(predicted):
            if p["doc_id"] != g["doc_id"]:
                continue
            shared = _overlap(g["start"], g["end"], int(p["start"]), int(p["end"]))
            if shared and _values_agree(p["value"], g["value"]):
                candidates.append((-shared, g["start"], int(p["start"]), gi, pi))
    candidates.sort()
    used_gold, used_pred, pairs = set(), set(), []
    for _, _, _, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    missed = [g for gi, g in enumerate(claims) if gi not in used_gold]
    spurious = [p for pi, p in enumerate(predicted) if pi not in used_pred]
    return pairs, missed, spurious


def precision_recall(n_matched: int, n_predicted: int, n_gold: int) -> tuple[float, float]:
    """Precision and recall; an empty side counts as perfect (nothing wrong was said / missed)."""
    precision = n_matched / n_predicted if n_predicted else 1.0
    recall = n_matched / n_gold if n_gold else 1.0
    return precision, recall


def trap_hits(gold: list[dict], predicted: list[dict]) -> list[tuple[dict, dict]]:
    """(trap, prediction) pairs where a predicted claim overlaps a trap span."""
    traps = [g for g in gold if g["kind"] == "trap"]
    return [(t, p) for t in traps for p in predicted
            if p["doc_id"] == t["doc_id"] and _overlap(t["start"], t["end"], int(p["start"]), int(p["end"]))]


def predict_seed_claims(seeds: Path | None = None) -> tuple[list, list[dict]]:
    """Load the seed documents and run the extractor on each: (documents, predicted claim dicts)."""
    from babaresearch import load_documents
    from babaresearch.claims import extract_document_claims

    docs = load_documents(SEEDS_DIR if seeds is None else seeds)
    predicted = []
    for doc in docs:
        frame = extract_document_claims(doc)
        for row in frame.to_dict("records"):
            row["doc_id"] = doc.doc_id if row.get("doc_id") in (None, "") else row["doc_id"]
            predicted.append(row)
    return docs, predicted


def score_claims(seeds: Path | None = None) -> tuple[float, float, list[dict], list[dict]]:
    """Precision, recall, missed gold claims and spurious predictions on the seed articles.

    Parameters
    ----------
    seeds : Path, optional
        Folder of the seed articles (default: ``conftest.SEEDS_DIR``).

    Returns
    -------
    (float, float, list of dict, list of dict)
        Precision and recall as fractions in [0, 1], then the missed gold rows and the spurious
        predicted rows.
    """
    gold = load_gold()
    _, predicted = predict_seed_claims(seeds)
    pairs, missed, spurious = match_claims(gold, predicted)
    n_gold = sum(g["kind"] == "claim" for g in gold)
    precision, recall = precision_recall(len(pairs), len(predicted), n_gold)
    return precision, recall, missed, spurious


def _describe(rows: list[dict], text_of: dict[str, str] | None = None) -> str:
    lines = []
    for r in rows:
        where = f"{r['doc_id'][:3]} [{int(r['start'])}:{int(r['end'])}]"
        quote = r.get("quote") or (text_of or {}).get(r["doc_id"], "")[int(r["start"]):int(r["end"])]
        lines.append(f"  {where} {quote!r} value={r['value']!r} unit={r.get('unit', '')!r}")
    return "\n".join(lines) or "  (none)"


# --------------------------------------------------------------------------------------------
# the gold file itself
# --------------------------------------------------------------------------------------------
def test_gold_file_is_well_formed():
    gold = load_gold()
    claims = [g for g in gold if g["kind"] == "claim"]
    traps = [g for g in gold if g["kind"] == "trap"]
    assert {g["kind"] for g in gold} == {"claim", "trap"}, "kind must be 'claim' or 'trap'"
    assert len(claims) == 41 and len(traps) == 34, (
        f"gold has {len(claims)} claims / {len(traps)} traps; the annotation changed without "
        "updating this count")
    for g in gold:
        assert 0 <= g["start"] < g["end"], f"empty or negative span in gold row {g}"
        assert len(g["quote"]) == g["end"] - g["start"], f"quote length disagrees with offsets: {g}"
        assert len(g["note"].split()) <= 8, f"note too long (paraphrase, max 8 words): {g['note']!r}"
    assert all(not math.isnan(g["value"]) and g["unit"] for g in claims), "every claim needs value+unit"
    assert all(math.isnan(g["value"]) for g in traps), "trap rows must have an empty value"
    # spans within a document never overlap (a span is either a claim or a trap)
    ordered = sorted(gold, key=lambda g: (g["doc_id"], g["start"]))
    for a, b in zip(ordered, ordered[1:]):
        assert not (a["doc_id"] == b["doc_id"] and b["start"] < a["end"]), f"overlapping gold rows {a} {b}"


def test_gold_claims_per_document():
    per_doc: dict[str, int] = {}
    for g in load_gold():
        if g["kind"] == "claim":
            per_doc[g["doc_id"][:3]] = per_doc.get(g["doc_id"][:3], 0) + 1
    # 000 and 004 state no figures at all (qualitative commentary); 002 repeats one figure nine times.
    assert per_doc == {"001": 21, "002": 9, "003": 11}, f"claims per document changed: {per_doc}"


def test_gold_offsets_index_into_loaded_document_text(seeds_dir):
    from babaresearch import load_documents

    text_of = {d.doc_id: d.text for d in load_documents(seeds_dir)}
    gold = load_gold()
    assert {g["doc_id"] for g in gold} <= set(text_of), "gold names a document that is not a seed"
    wrong = [g for g in gold if text_of[g["doc_id"]][g["start"]:g["end"]] != g["quote"]]
    assert not wrong, ("gold offsets do not index Document.text (did the text repair change?):\n"
                       + _describe(wrong))


def test_seed_002_text_is_repaired_before_offsets(seeds_dir):
    # The offsets of 002 were taken after the Thai-code-page repair: no mojibake may be left.
    from babaresearch import load_documents

    doc = {d.doc_id[:3]: d for d in load_documents(seeds_dir)}["002"]
    assert "โ€" not in doc.text and "—" in doc.text, "seed 002 still holds cp874 mojibake"
    assert len(doc.text) == 12419, f"repaired 002 text length {len(doc.text)} != 12419 annotated against"


# --------------------------------------------------------------------------------------------
# the scorer (synthetic inputs, so a scoring bug cannot hide behind the extractor)
# --------------------------------------------------------------------------------------------
GOLD_TOY = [
    {"doc_id": "a", "start": 10, "end": 13, "value": 34.0, "kind": "claim"},
    {"doc_id": "a", "start": 40, "end": 51, "value": 53e9, "kind": "claim"},
    {"doc_id": "a", "start": 60, "end": 63, "value": math.nan, "kind": "trap"},
    {"doc_id": "b", "start": 10, "end": 13, "value": 34.0, "kind": "claim"},
]


def test_scorer_perfect_prediction():
    predicted = [{"doc_id": "a", "start": 8, "end": 13, "value": 34.0},
                 {"doc_id": "a", "start": 40, "end": 44, "value": 53e9 * (1 + 1e-9)},
                 {"doc_id": "b", "start": 12, "end": 20, "value": 34}]
    pairs, missed, spurious = match_claims(GOLD_TOY, predicted)
    assert (len(pairs), missed, spurious) == (3, [], []), "overlap + value within 1e-6 must match"
    assert precision_recall(len(pairs), 3, 3) == (1.0, 1.0)
    assert trap_hits(GOLD_TOY, predicted) == []


def test_scorer_wrong_value_other_doc_and_duplicates():
    predicted = [{"doc_id": "a", "start": 10, "end": 13, "value": 34.1},   # value off -> no match
                 {"doc_id": "b", "start": 40, "end": 51, "value": 53e9},   # wrong document
                 {"doc_id": "b", "start": 10, "end": 13, "value": 34.0},   # match
                 {"doc_id": "b", "start": 11, "end": 12, "value": 34.0},   # duplicate -> spurious
                 {"doc_id": "a", "start": 61, "end": 62, "value": 2026.0}]  # trap
    pairs, missed, spurious = match_claims(GOLD_TOY, predicted)
    assert len(pairs) == 1, "only the exact b claim matches; a gold claim is matched once"
    assert [(m["doc_id"], m["start"]) for m in missed] == [("a", 10), ("a", 40)]
    assert len(spurious) == 4
    precision, recall = precision_recall(len(pairs), len(predicted), 3)
    assert (precision, recall) == pytest.approx((1 / 5, 1 / 3))
    assert [(t["start"], p["value"]) for t, p in trap_hits(GOLD_TOY, predicted)] == [(60, 2026.0)]


def test_scorer_greedy_prefers_largest_overlap():
    gold = [{"doc_id": "a", "start": 0, "end": 10, "value": 5.0, "kind": "claim"},
            {"doc_id": "a", "start": 10, "end": 12, "value": 5.0, "kind": "claim"}]
    predicted = [{"doc_id": "a", "start": 8, "end": 12, "value": 5.0},   # 2 chars of each
                 {"doc_id": "a", "start": 0, "end": 9, "value": 5.0}]    # 9 chars of the first
    pairs, missed, spurious = match_claims(gold, predicted)
    assert sorted(pairs) == [(0, 1), (1, 0)] and not missed and not spurious, (
        "greedy by overlap must give the long prediction to the long gold span")


def test_scorer_empty_and_nan():
    assert match_claims(GOLD_TOY, [])[1:] == ([g for g in GOLD_TOY if g["kind"] == "claim"], [])
    assert precision_recall(0, 0, 3) == (1.0, 0.0), "no prediction: precision vacuous, recall 0"
    assert precision_recall(0, 0, 0) == (1.0, 1.0)
    nan_pred = [{"doc_id": "a", "start": 10, "end": 13, "value": math.nan}]
    assert len(match_claims(GOLD_TOY, nan_pred)[0]) == 0, "a NaN value never matches"


# --------------------------------------------------------------------------------------------
# the extractor against the gold
# --------------------------------------------------------------------------------------------
def test_extractor_precision_recall_on_seeds(seeds_dir):
    pytest.importorskip("babaresearch.claims")
    docs, predicted = predict_seed_claims(seeds_dir)
    text_of = {d.doc_id: d.text for d in docs}
    gold = load_gold()
    pairs, missed, spurious = match_claims(gold, predicted)
    n_gold = sum(g["kind"] == "claim" for g in gold)
    precision, recall = precision_recall(len(pairs), len(predicted), n_gold)
    print(f"\nclaims gold: precision {precision:.3f} ({len(pairs)}/{len(predicted)}), "
          f"recall {recall:.3f} ({len(pairs)}/{n_gold})")
    print("missed:\n" + _describe(missed) + "\nspurious:\n" + _describe(spurious, text_of))
    assert recall >= MIN_RECALL and precision >= MIN_PRECISION, (
        f"extractor below the gold bar: precision {precision:.3f} (min {MIN_PRECISION}), "
        f"recall {recall:.3f} (min {MIN_RECALL}).\nmissed gold claims:\n{_describe(missed)}"
        f"\nspurious predictions:\n{_describe(spurious, text_of)}")


def test_extractor_reports_no_trap(seeds_dir):
    pytest.importorskip("babaresearch.claims")
    docs, predicted = predict_seed_claims(seeds_dir)
    text_of = {d.doc_id: d.text for d in docs}
    hits = trap_hits(load_gold(), predicted)
    assert not hits, "claims reported on spans that are not claims (names, dates, adverts):\n" + "\n".join(
        f"  trap {t['doc_id'][:3]} [{t['start']}:{t['end']}] {t['quote']!r} ({t['metric']}) <- predicted "
        f"{text_of[p['doc_id']][int(p['start']):int(p['end'])]!r} value={p['value']!r}"
        for t, p in hits)
