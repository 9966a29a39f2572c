# Two commands on a fresh machine (see README): `make reports` and `make test`.
# Both create the project's own virtual environment first if it is missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= reports

.PHONY: venv reports test test-lower benchmarks evaluate clean

$(BIN)/babaresearch: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

venv: $(BIN)/babaresearch

# The main job: execute every notebook offline from the embedded snapshot, write HTML reports.
reports: venv
	$(BIN)/babaresearch report --out $(OUT)

# The test suite (exactly what CI runs after installing).
test: venv
	$(BIN)/python -m pytest

# The pinned lower bounds (pandas 2.2, numpy 1.26, ...) on the library's core tests.
test-lower:
	$(PYTHON) -m venv .venv-lower
	.venv-lower/bin/python -m pip install --quiet --upgrade pip
	.venv-lower/bin/python -m pip install --quiet -c constraints-lower.txt -e ".[dev]"
	.venv-lower/bin/python -m pytest -m "not slow and not browser" -p no:cacheprovider

benchmarks: venv
	$(BIN)/python benchmarks/run_all.py

# Score the reading of every corpus with a gold (../shared/corpus, tests/fixtures/corpus/*, seeds).
evaluate: venv
	$(BIN)/python benchmarks/bench_claims.py

clean:
	rm -rf $(VENV) .venv-lower $(OUT) .pytest_cache .hypothesis
