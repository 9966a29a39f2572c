"""The README is part of the product: its quick start runs and its set-up commands are real."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_quick_start_runs_and_is_at_most_a_dozen_lines():
    (block,) = python_blocks()
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
