"""The package's import graph respects its layers (read from the source with ast, nothing imported).

Layers, lowest first; a module may import only from its own layer or lower ones. Top-level,
function-level and ``TYPE_CHECKING`` imports all count. A failure names the module and the
import that climbs a layer; a new module must be placed in :data:`LAYERS` before it passes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "babaresearch"

#: Modules by layer, lowest first.
LAYERS: tuple[tuple[str, ...], ...] = (
    # 0 data, errors, resources, dates, tickers and dependency-free helpers
    ("errors", "resources", "dates", "tickers", "adjust", "csvio", "htmlsafe", "eventstats", "tables"),
    # 1 calendars, earnings, prices and the modules built on them
    ("calendars", "validation", "yahoo", "barfiles", "store", "prices", "earnings", "periods",
     "fundamentals", "events", "studies", "performance", "metrics"),
    # 2 the text vocabularies, profiles, grammar and page reading
    ("vocabulary", "profiles", "grammar", "pages"),
    ("dating",),
    ("documents",),
    ("reading",),
    ("sessions", "periodref"),
    # 7 checking against data
    ("check", "verdicts", "claims", "ledger", "verify", "evaluation"),
    ("narrative", "plots"),
    # 9 reports and the command line (the package __init__ re-exports from all layers)
    ("report", "reportdir", "cli", "__main__", "__init__"),
)
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}


def _modules() -> list[str]:
    return sorted(p.stem for p in PACKAGE.glob("*.py"))


def _imports(module: str) -> set[str]:
    """Package modules ``module`` imports anywhere in its body (``from . import x`` of a
    non-module name is an import of ``__init__``)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    names = set(_modules())
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 or (node.level == 0 and (node.module or "").split(".")[0] == "babaresearch"):
                parts = (node.module or "").split(".")
                mod = parts[0] if node.level == 1 else (parts[1] if len(parts) > 1 else "")
                if mod:
                    out.add(mod)
                else:
                    out.update(a.name if a.name in names else "__init__" for a in node.names)
        elif isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if parts[0] == "babaresearch":
                    out.add(parts[1] if len(parts) > 1 else "__init__")
    out.discard(module)
    return out


def _edges() -> list[tuple[str, str]]:
    return sorted((m, dep) for m in _modules() for dep in _imports(m))


def test_every_module_has_a_layer():
    missing = [m for m in _modules() if m not in LAYER]
    assert not missing, f"place these modules in tests/test_layers.py LAYERS: {missing}"
    assert not [m for m in LAYER if m not in _modules()], "LAYERS names a module that no longer exists"


def test_parser_sees_known_imports():
    assert {"dating", "errors", "pages"} <= _imports("documents")
    assert {"calendars", "dating", "reading"} <= _imports("sessions")
    assert "__init__" in _imports("cli"), "cli imports __version__ from the package"


@pytest.mark.parametrize("module, dep", [e for e in _edges() if e[0] in LAYER and e[1] in LAYER])
def test_import_stays_in_its_layer_or_below(module, dep):
    assert LAYER[dep] <= LAYER[module], (
        f"{module} (layer {LAYER[module]}) imports {dep} (layer {LAYER[dep]}): a lower layer may "
        "not depend on a higher one")


@pytest.mark.xfail(strict=True, reason="claims.py imports documents (TYPE_CHECKING Document, and "
                                       "find_boilerplate inside a function near line 1062)")
def test_claims_and_documents_do_not_import_each_other():
    assert "documents" not in _imports("claims")
    assert "claims" not in _imports("documents")


def test_documents_does_not_import_claims():
    assert "claims" not in _imports("documents")
