"""Shared fixtures: the seed articles, committed CSV fixtures, an isolated cache."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")  # headless plotting everywhere in the suite

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
FIXTURES_DIR = TESTS_DIR / "fixtures"
# The five seed articles live beside the project, never inside it (third-party text). The same
# variable that points the reports at a documents folder points the tests at the seeds.
SEEDS_DIR = Path(os.environ.get("BABARESEARCH_DOCS") or REPO_ROOT.parent / "shared" / "seeds")


def resource(*parts: str) -> Path:
    """Path of a committed test fixture under ``tests/fixtures``."""
    return FIXTURES_DIR.joinpath(*parts)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """Folder of the seed articles; skips the test with a reason when it is absent."""
    if not SEEDS_DIR.is_dir() or not any(SEEDS_DIR.glob("*.txt")):
        pytest.skip(f"seed articles not found at {SEEDS_DIR} (set BABARESEARCH_DOCS to point at them)")
    return SEEDS_DIR


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own empty price cache: the user's real cache is never touched."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("BABARESEARCH_CACHE", str(cache))
    return cache
