"""Score the library's reading of article corpora against their gold (issues 8 and 9).

Run: ``python benchmarks/bench_claims.py [CORPUS_DIR ...] [--per-document] [--errors]
[--speed] [--n 1000] [--strict] [--check-gold]
[--runner MODULE:FUNCTION]`` (``make evaluate`` runs it with no argument).

Corpora: each CORPUS_DIR is a folder in the corpus format (``.agents/CORPUS_FORMAT.md``:
``articles/`` + ``gold.csv`` [+ ``dates.csv``, ``price_gold.csv``, ``fact_gold.csv``]). Without
arguments: ``../shared/corpus`` (if present), ``tests/fixtures/corpus/dev`` and
``tests/fixtures/corpus/heldout`` (if they hold a gold.csv), and the five seeds
(``../shared/seeds`` scored with ``tests/fixtures/claims_gold.csv``; their dates from
``data/documents.csv``, the library's own committed dating, so that column is a regression check).

Each corpus is read with ``babaresearch.reading.read_corpus(articles_folder)`` and scored by
``babaresearch.evaluation.score``; the metric definitions are the docstring of
``src/babaresearch/evaluation.py``. One table is printed, one row per corpus, each figure with
PASS/FAIL against its target (recall, trap precision, dating >= 0.95; subject, metric, session
>= 0.9; price verdict >= 0.95; fact verdict >= 0.9; false contradictions == 0), then every
false contradiction. ``--per-document`` and ``--errors`` print the details (errors: every miss or
mismatch with its gold file line, expected and got).

``--speed``: the first corpus's article files are replicated into a temporary folder up to
``--n`` articles (1,000 by default; a sidecar ``documents.csv`` is replicated with them) and
``read_corpus`` on that folder is timed once, warm (after one read of the corpus itself);
articles per second are printed next to the issues' targets (reading >= 200/s, check >= 100/s).

``--check-gold`` scores each gold against itself (the raw article files; for ``.html`` articles
anchors may be split by tags there): every figure is 1.0 unless the gold files disagree with each
other or with the texts, and ``--errors`` says where. ``--runner MODULE:FUNCTION`` scores another reader with the same contract (a baseline, a branch).

Benchmarks measure; the exit status is 0 unless ``--strict`` is given and a target fails (or an
argument is wrong).
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from babaresearch.evaluation import (
    TARGETS,
    CorpusSpec,
    EvaluationInputError,
    corpus_spec,
    default_run,
    evaluate,
    gold_reading,
    load_seed_gold,
    read_texts,
    target_status,
)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS_DIR = Path(os.environ.get("BABARESEARCH_DOCS") or SHARED / "seeds")
SEED_GOLD = REPO / "tests" / "fixtures" / "claims_gold.csv"
SEED_DATES = REPO / "data" / "documents.csv"
#: Articles the speed benchmark reads (issues 8 and 9).
SPEED_ARTICLES = 1000
#: Speed targets, articles per second (issue 8: documents + reading; issue 9: check, warm).
SPEED_TARGETS = {"reading (issue 8)": 200.0, "check (issue 9)": 100.0}
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")

#: Printed columns: header -> overall metric.
COLUMNS = {
    "docs": "n_documents", "recall": "recall", "trap_p": "trap_precision",
    "claim_p": "claim_precision", "role": "role", "subject": "subject", "metric": "metric",
    "sign": "sign", "dating": "dating", "session": "session", "window": "window",
    "price_v": "price_verdict", "price_v_scored": "price_verdict_scored",
    "fact_v": "fact_verdict", "false_contra": "false_contradictions",
    "anchors_missing": "anchors_missing", "seconds": "seconds",
}
PER_DOCUMENT_COLUMNS = ["recall", "trap_precision", "claim_precision", "role", "subject",
                        "metric", "sign", "published_expected", "published_got", "session",
                        "window", "price_verdict", "fact_verdict", "false_contradictions",
                        "anchors_missing"]


def default_corpora() -> dict[str, object]:
    """The corpora scored when no folder is named (those present on this machine)."""
    corpora: dict[str, object] = {}
    if (SHARED / "corpus" / "gold.csv").is_file():
        corpora["shared"] = SHARED / "corpus"
    for split in ("dev", "heldout"):
        folder = REPO / "tests" / "fixtures" / "corpus" / split
        if (folder / "gold.csv").is_file():
            corpora[split] = folder
    if SEEDS_DIR.is_dir() and any(SEEDS_DIR.glob("*.txt")) and SEED_GOLD.is_file():
        dates = SEED_DATES if SEED_DATES.is_file() else None
        corpora["seeds"] = CorpusSpec("seeds", SEEDS_DIR, load_seed_gold(SEED_GOLD, dates=dates))
    return corpora


def _cell(metric: str, value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if metric in ("n_documents", "false_contradictions", "anchors_missing"):
        shown = f"{int(value)}"
    elif metric == "seconds":
        return f"{value:.2f}"
    else:
        shown = f"{value:.3f}"
    status = target_status(metric, value)
    return shown if status == "n/a" else f"{shown} {status}"


def results_table(table: pd.DataFrame) -> pd.DataFrame:
    """The printed table: one row per corpus, figures with PASS/FAIL."""
    out = pd.DataFrame(index=table.index)
    for header, metric in COLUMNS.items():
        values = table[metric] if metric in table else [math.nan] * len(table)
        out[header] = [_cell(metric, v) for v in values]
    return out


def replicate(source: Path, n: int, dest: Path) -> int:
    """Copy ``source``'s article files cyclically into ``dest`` until ``n`` articles (new stems
    ``sNNNN_<stem>``), with a matching sidecar ``documents.csv`` when the source has one."""
    files = sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
    if not files:
        raise SystemExit(f"--speed: no article files in {source}")
    sidecar = {}
    if (source / "documents.csv").is_file():
        with open(source / "documents.csv", newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            fields = reader.fieldnames or ["doc_id"]
            sidecar = {row["doc_id"]: row for row in reader}
    rows = []
    for i in range(n):
        original = files[i % len(files)]
        stem = f"s{i:04d}_{original.stem}"
        shutil.copyfile(original, dest / f"{stem}{original.suffix}")
        if original.stem in sidecar:
            rows.append(dict(sidecar[original.stem], doc_id=stem))
    if rows:
        with open(dest / "documents.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
    return n


def speed(articles: Path, n: int, run) -> None:
    """Time one warm read of ``n`` replicated articles and print articles/s."""
    run(articles)  # warm: imports, vocabularies, calendars, price data
    with tempfile.TemporaryDirectory(prefix="bench_claims_") as tmp:
        replicate(articles, n, Path(tmp))
        started = time.perf_counter()
        docs, numbers, _ = run(Path(tmp))
        seconds = time.perf_counter() - started
    rate = n / seconds
    print(f"speed: reading {n} articles (replicated from {articles}): {seconds:.2f} s, "
          f"{rate:.0f} articles/s, {len(numbers)} numbers, {len(docs)} documents")
    for name, target in SPEED_TARGETS.items():
        print(f"  target {name}: >= {target:.0f}/s: {'PASS' if rate >= target else 'FAIL'}")


def _runner(spec: str):
    """Import ``module:function`` (the module may be a file path)."""
    import importlib
    import importlib.util

    module_name, _, function = spec.rpartition(":")
    if not module_name or not function:
        raise SystemExit(f"--runner {spec!r}: expected MODULE:FUNCTION")
    if module_name.endswith(".py"):
        loader = importlib.util.spec_from_file_location("bench_runner", module_name)
        module = importlib.util.module_from_spec(loader)
        loader.loader.exec_module(module)
    else:
        module = importlib.import_module(module_name)
    return getattr(module, function)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="*", type=Path, help="corpus folders (default: all known)")
    parser.add_argument("--per-document", action="store_true", help="print per-document figures")
    parser.add_argument("--errors", action="store_true", help="print every miss and mismatch")
    parser.add_argument("--speed", action="store_true", help="time read_corpus on --n articles")
    parser.add_argument("--n", type=int, default=SPEED_ARTICLES, help="articles for --speed")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    parser.add_argument("--check-gold", action="store_true",
                        help="score each gold against itself (read_texts + gold_reading): "
                             "1.0 everywhere unless the gold files disagree")
    parser.add_argument("--runner", metavar="MODULE:FUNCTION",
                        help="reader to score instead of babaresearch.reading.read_corpus: "
                             "FUNCTION(articles_folder) -> (docs, numbers, texts)")
    args = parser.parse_args(argv)

    if args.corpora:
        corpora = {}
        for folder in args.corpora:
            if not (folder / "gold.csv").is_file():
                parser.error(f"{folder}: not a corpus folder (no gold.csv)")
            corpora[folder.name if folder.name not in corpora else str(folder)] = folder
    else:
        corpora = default_corpora()
    if not corpora:
        print("no corpus found (../shared/corpus, tests/fixtures/corpus/*, seeds)")
        return 0
    specs = {name: corpus_spec(name, where) for name, where in corpora.items()}

    run = _runner(args.runner) if args.runner else default_run
    if args.check_gold:
        def run(folder, _specs=specs):
            spec = next(s for s in _specs.values() if s.articles == Path(folder))
            texts = read_texts(folder)
            docs, numbers = gold_reading(spec.gold, texts)
            return docs, numbers, texts
    result = evaluate(specs, run=run, keep_going=True)
    with pd.option_context("display.width", 250, "display.max_columns", 40,
                           "display.max_colwidth", 90):
        print(results_table(result.table).to_string())
        print("targets: " + ", ".join(f"{m} {op} {t}" for m, (op, t) in TARGETS.items()))
        if "failed" in result.table:
            for name, message in result.table["failed"].items():
                if message:
                    print(f"{name}: reading failed: {message}")
        for name, score in result.scores.items():
            false = score.false_contradictions
            if len(false):
                print(f"\n{name}: {len(false)} false contradiction(s)")
                print(false[["doc", "quote", "value", "unit", "ticker", "metric", "why"]]
                      .to_string(index=False))
        if args.per_document:
            for name, score in result.scores.items():
                print(f"\n{name}: per document")
                per = score.per_document[PER_DOCUMENT_COLUMNS]
                print(per.to_string(float_format=lambda v: f"{v:.2f}"))
        if args.errors:
            for name, score in result.scores.items():
                print(f"\n{name}: {len(score.errors)} error(s)")
                if len(score.errors):
                    print(score.errors.to_string(index=False))
    if args.speed:
        first = next(iter(specs.values()))
        try:
            speed(first.articles, args.n, run)
        except EvaluationInputError as exc:
            print(f"speed: {exc}")
    if args.strict:
        statuses = result.targets().to_numpy().ravel().tolist()
        failed = "failed" in result.table and result.table["failed"].astype(bool).any()
        return 1 if failed or "FAIL" in statuses else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
