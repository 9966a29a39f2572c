"""The README is part of the product: its quick start runs and its set-up commands are real."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_quick_start_runs_and_is_at_most_a_dozen_lines():
    block = python_blocks()[0]  # the quick start is the README's first Python block
    assert len(block.strip().splitlines()) <= 12
    namespace: dict = {}
    exec(compile(block, "README quick start", "exec"), namespace)  # noqa: S102
    br = namespace["br"]
    assert br.fiscal_period("BABA", "2025-08-15") == "FY2026Q2"
    assert str(br.event_day0("2025-08-27", timing="amc").date()) == "2025-08-28"
    summary = namespace["study"].summary
    assert len(summary) == 12, "twelve BABA earnings releases in the calendar"


def test_set_up_commands_are_the_makefile_targets_ci_runs():
    text = README.read_text(encoding="utf-8")
    assert "make reports" in text and "make test " in text
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines()
                if line.strip() and not line.strip().startswith("#")]
    assert "make test" in commands, "CI must run exactly the README's test command"
    makefile = (README.parent / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test: venv\n\t\$\(BIN\)/python -m pytest$", makefile, flags=re.M)


def test_numbers_quoted_in_the_readme_are_the_library_s():
    """The README's example figures are measured, not typed in: a drift here means the README
    (or the data) changed without the other."""
    import pandas as pd

    import babaresearch as br

    text = README.read_text(encoding="utf-8")
    study = br.event_study([{"ticker": "BABA", "event_date": "2025-08-29", "timing": "bmo"}],
                           source="snapshot")
    row = study.summary.iloc[0]
    assert f"+{row['raw_return_day0'] * 100:.2f}%" == "+12.90%"
    assert f"beta {row['beta']:.2f}" in text
    assert f"CAR(-1,+1) +{row['car'] * 100:.2f}%, t = {row['t']:.2f}" in text
    assert f"(p = {row['p']:.3f})" in text

    ledger = br.load_ledger()
    card = br.scorecard(ledger, source="snapshot")
    counts = card.groupby(["doc_id", "verdict"]).size()
    assert f"{counts[('001_1cbc6e054e6350fd', 'supported')]} supported, " \
           f"{counts[('001_1cbc6e054e6350fd', 'unverifiable')]} unverifiable" in text
    assert f"{counts[('003_4c21c17633857167', 'supported')]} supported, " \
           f"{counts[('003_4c21c17633857167', 'unverifiable')]} unverifiable" in text
    ytd = card[card["metric"] == "YTD return"].iloc[0]["measured_or_fact"]
    assert f"+{ytd:.2f}%" in text
    assert pd.notna(ytd)


def test_every_name_in_the_api_table_is_importable_from_the_package():
    import babaresearch

    text = README.read_text(encoding="utf-8")
    section = text[text.index("## API at a glance"):text.index("## Layout")]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    names = set(re.findall(r"`([a-z_]+|[A-Z][A-Za-z]+)`", table)) - {"babaresearch"}
    names = {n for n in names if not n.endswith(".py") and not n.startswith(".")}
    assert len(names) > 40
    missing = sorted(n for n in names if not hasattr(babaresearch, n))
    assert not missing, f"README lists names the package does not export: {missing}"
