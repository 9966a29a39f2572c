"""build_reports on tiny synthetic notebooks: parameters, stamping, index, offline HTML, escaping,
failures (ReportError naming notebook and cell) and the previous reports left in place."""

from __future__ import annotations

import hashlib
import re
import sys
import textwrap
import tomllib
from pathlib import Path

import nbformat
import numpy as np
import pytest

import babaresearch
from babaresearch.errors import ReportError
from babaresearch.report import (
    INJECTED_TAG,
    STAMP_ID,
    build_reports,
    external_resources,
    html_table,
    inject_parameters,
    parameters_source,
)

REPO_ROOT = Path(__file__).resolve().parent.parent


def snapshot_last_session() -> str:
    """The default as-of date: the last session of the embedded snapshot (latest ticker)."""
    import pandas as pd

    from babaresearch.prices import snapshot_info

    return f"{pd.to_datetime(snapshot_info()['last_session']).max():%Y-%m-%d}"


def visible(folder: Path) -> list[str]:
    """Names in a folder, without babaresearch's hidden state (manifest, lock)."""
    return sorted(p.name for p in folder.iterdir() if p.name != ".babaresearch")

HEADER = """\
# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---
"""

# A synthetic article of our own with markup that must never reach a page as live HTML.
HOSTILE_ARTICLE = "<script>alert('doc')</script> Shares rose close to 13% on <b>Friday</b>."

ALPHA = HEADER + '''
# %% [markdown]
# # Alpha report
# A plain link stays a link: [example](https://example.com/page).

# %% tags=["parameters"]
source = "default-source"
docs_dir = None
as_of = None
answer = 1

# %%
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from babaresearch.report import html_table

print(f"answer={answer!r} source={source!r} as_of={as_of!r}")
print(f"kernel={sys.executable}")

# %%
fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([1, 2, 3], [1, 4, 9])

# %%
article = Path(docs_dir, "article.txt").read_text(encoding="utf-8")
print(article)

# %%
pd.DataFrame({"quote": [article]})

# %%
html_table(pd.DataFrame({"quote": [article], "verdict": ["supported"]}), table_id="quotes",
           caption="Quotes <from> the article")
'''

BETA = HEADER + '''
# %% [markdown]
# # Beta & <i>co</i>

# %%
print("beta ran")
'''

FAILING = HEADER + '''
# %% [markdown]
# # Broken report

# %%
x = 1

# %%
y = x + 1  # first line of the failing cell
raise ValueError("synthetic failure 7")
'''

SLEEPING = HEADER + '''
# %%
import time
time.sleep(60)
'''


def write_notebooks(folder: Path, **sources: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, source in sources.items():
        (folder / f"{stem}.py").write_text(source, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Render the two good synthetic notebooks once for the whole module."""
    root = tmp_path_factory.mktemp("report")
    notebooks = write_notebooks(root / "notebooks", **{"01_alpha": ALPHA, "02_beta": BETA})
    docs = root / "docs"
    docs.mkdir()
    (docs / "article.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    lines: list[str] = []
    paths = build_reports(root / "out", notebooks=notebooks, docs=docs,
                          parameters={"answer": 42}, progress=lines.append, timeout=120)
    return {"root": root, "out": root / "out", "paths": paths, "lines": lines, "docs": docs}


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def tags(page: str, name: str) -> list[dict[str, str]]:
    """Attributes of every ``<name>`` tag (nbconvert re-serializes HTML: attribute order and
    quoting are not stable, so tests compare parsed attributes)."""
    from html.parser import HTMLParser

    found: list[dict[str, str]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == name:
                found.append({key: value or "" for key, value in attrs})

    Collector().feed(page)
    return found


def meta(page: str) -> dict[str, str]:
    return {tag["name"]: tag["content"] for tag in tags(page, "meta") if "name" in tag}


# ------------------------------------------------------------------ end to end (one render)

def test_returns_reports_in_order_then_index(rendered):
    out = rendered["out"]
    assert rendered["paths"] == [out / "01_alpha.html", out / "02_beta.html", out / "index.html"], \
        "build_reports must return the reports in notebook order, then index.html"
    assert visible(out) == ["01_alpha.html", "02_beta.html", "index.html"], \
        "the output folder must hold exactly the reports and the index (no staging leftovers)"
    state = sorted(p.name for p in (out / ".babaresearch").iterdir())
    assert state == ["build.lock", "manifest.json"], f"staging folders were left behind: {state}"
    leftovers = [p.name for p in rendered["root"].iterdir() if p.name.startswith(".out.")]
    assert leftovers == [], f"temporary folders were left beside the output: {leftovers}"


def test_progress_line_per_notebook(rendered):
    lines = rendered["lines"]
    assert len(lines) == 2, f"one progress line per notebook expected, got {lines}"
    assert re.fullmatch(r"\[1/2\] 01_alpha \.\.\. ok \(\d+\.\d s\)", lines[0]), lines[0]
    assert re.fullmatch(r"\[2/2\] 02_beta \.\.\. ok \(\d+\.\d s\)", lines[1]), lines[1]


def test_parameters_injected_after_parameters_cell(rendered):
    page = read(rendered["out"] / "01_alpha.html")
    # as_of defaults to the snapshot's last session
    last = snapshot_last_session()
    assert f"answer=42 source=&#x27;snapshot&#x27; as_of=&#x27;{last}&#x27;" in page \
        or f"answer=42 source='snapshot' as_of='{last}'" in page, \
        f"the injected parameters (answer=42, source='snapshot', as_of={last}) did not override the defaults"


def test_kernel_runs_this_interpreter(rendered):
    page = read(rendered["out"] / "01_alpha.html")
    assert f"kernel={sys.executable}" in page, \
        "the notebook kernel must run the same Python as the caller (the venv with babaresearch)"


def test_figures_embedded_as_data_uris(rendered):
    page = read(rendered["out"] / "01_alpha.html")
    sources = [tag.get("src", "") for tag in tags(page, "img")]
    assert len(sources) == 1, f"the alpha notebook draws exactly one figure, found {len(sources)} <img>"
    assert sources[0].startswith("data:image/png;base64,"), "figures must be embedded as data URIs"


def test_no_external_resources_in_any_page(rendered):
    for path in rendered["paths"]:
        page = read(path)
        assert external_resources(page) == [], f"{path.name} loads remote resources"
        for name in ("script", "link", "img", "iframe", "source", "video", "audio", "embed", "object"):
            for tag in tags(page, name):
                for attribute in ("src", "href", "data"):
                    assert not tag.get(attribute, "").startswith(("http://", "https://", "//")), \
                        f"{path.name}: <{name} {attribute}={tag[attribute]!r}> loads a remote resource"
        assert "cdnjs" not in page and "require.js" not in page and "mathjax" not in page.lower(), \
            f"{path.name} still references a CDN script (require.js / MathJax)"
    alpha = read(rendered["out"] / "01_alpha.html")
    assert {"href": "https://example.com/page"} in tags(alpha, "a"), "plain links in the narrative must survive"


def test_document_text_is_escaped(rendered):
    page = read(rendered["out"] / "01_alpha.html")
    assert "<script>alert" not in page, "article text reached the page as a live <script>"
    # print() output, the DataFrame repr and html_table: three escaped copies
    assert page.count("&lt;script&gt;alert(") == 3, \
        "the synthetic article should appear escaped once in each of three outputs"
    tables = [tag for tag in tags(page, "table") if tag.get("id") == "quotes"]
    assert len(tables) == 1 and "babaresearch-table" in tables[0]["class"], \
        "html_table must keep the requested table id"
    assert "<caption>Quotes &lt;from&gt; the article</caption>" in page, "captions must be escaped"


def test_stamp_on_every_page(rendered):
    version = tomllib.loads(read(REPO_ROOT / "pyproject.toml"))["project"]["version"]
    assert babaresearch.__version__ == version, "package and pyproject versions disagree"
    digest = babaresearch.snapshot_hash()
    assert re.fullmatch(r"[0-9a-f]{12}", digest), "the stamp carries the 12-digit snapshot hash"
    for path in rendered["paths"]:
        page = read(path)
        stamp = re.search(rf'<div id="{STAMP_ID}">(.*?)</div>', page)
        assert stamp, f"{path.name} has no visible stamp"
        assert f"babaresearch {version}" in stamp.group(1), f"{path.name}: version missing"
        assert f"<code>{digest}</code>" in stamp.group(1), f"{path.name}: snapshot hash missing"
        assert f"as of {snapshot_last_session()}" in stamp.group(1), f"{path.name}: as-of date missing"
        stamped = meta(page)
        assert stamped["babaresearch-snapshot"] == digest, path.name
        assert stamped["babaresearch-version"] == version, path.name
        assert stamped["babaresearch-as-of"] == snapshot_last_session(), path.name
        assert stamped["babaresearch-source"] == "snapshot", path.name


def test_index_links_every_report_with_escaped_titles(rendered):
    index = read(rendered["out"] / "index.html")
    links = re.findall(r'<a href="([^"]+)">([^<]*)</a>', index)
    assert links == [("01_alpha.html", "Alpha report"), ("02_beta.html", "Beta &amp; &lt;i&gt;co&lt;/i&gt;")], \
        f"the index must link each report under its first heading (escaped), got {links}"
    for target, _ in links:
        assert (rendered["out"] / target).is_file(), f"index links a missing file {target}"


# ------------------------------------------------------------------ failures

def test_failing_notebook_names_cell_and_keeps_previous_reports(rendered, tmp_path):
    out = tmp_path / "out"
    build_reports(out, notebooks=[write_notebooks(tmp_path / "old", **{"01_old": BETA}) / "01_old.py"],
                  progress=None)
    previous = {p.name: read(p) for p in out.iterdir() if p.is_file()}
    assert sorted(previous) == ["01_old.html", "index.html"]
    notebooks = write_notebooks(tmp_path / "nbs", **{"01_beta": BETA, "02_broken": FAILING})
    lines: list[str] = []
    with pytest.raises(ReportError) as caught:
        build_reports(out, notebooks=notebooks, progress=lines.append, timeout=120)
    message = str(caught.value)
    # cells of the file: 0 markdown, 1 "x = 1", 2 the raising cell (the injected cell not counted)
    assert "02_broken" in message, f"the error must name the notebook: {message}"
    assert "cell 2 " in message, f"the failing cell is the file's cell 2 (0-based): {message}"
    assert "y = x + 1  # first line of the failing cell" in message, f"first source line missing: {message}"
    assert "ValueError: synthetic failure 7" in message, f"the exception is missing: {message}"
    assert caught.value.notebook == "02_broken" and caught.value.cell_index == 2
    assert {p.name: read(p) for p in out.iterdir() if p.is_file()} == previous, \
        "a failed build must leave the previous reports untouched"
    assert sorted(p.name for p in (out / ".babaresearch").iterdir()) == ["build.lock", "manifest.json"], \
        "the staging folder must be removed after a failure"
    assert lines[0].startswith("[1/2] 01_beta ... ok") and lines[1].startswith("[2/2] 02_broken ... FAILED"), lines


def test_notebook_time_budget(tmp_path):
    notebooks = write_notebooks(tmp_path / "nbs", **{"01_sleep": SLEEPING})
    with pytest.raises(ReportError, match=r"01_sleep: cell 0 \('import time'\) failed: timed out"):
        build_reports(tmp_path / "out", notebooks=notebooks, timeout=3, progress=None)
    assert not (tmp_path / "out").exists(), "no output folder may appear after a timeout"


def test_code_is_hidden_by_default_and_a_new_set_replaces_the_old(tmp_path):
    out = tmp_path / "out"
    notebooks = write_notebooks(tmp_path / "nbs", **{"01_stale": BETA, "02_beta": BETA})
    build_reports(out, notebooks=notebooks, progress=None)
    assert visible(out) == ["01_stale.html", "02_beta.html", "index.html"]
    paths = build_reports(out, notebooks=[notebooks / "02_beta.py"], progress=None,
                          parameters={"as_of": "2025-08-29"})
    page = read(paths[0])
    assert "beta ran" in page, "outputs must stay when inputs are hidden"
    input_areas = [tag for tag in tags(page, "div") if "jp-InputArea-editor" in tag.get("class", "").split()]
    assert input_areas == [] and "beta ran&quot;)" not in page and 'beta ran")' not in page, \
        "code cells are hidden by default"
    assert "as of 2025-08-29" in page, "an as_of parameter must reach the stamp"
    assert visible(out) == ["02_beta.html", "index.html"], \
        "a successful build replaces the previous set (01_stale.html was babaresearch's own)"


@pytest.mark.parametrize("kwargs, match", [
    ({"timeout": 0}, "positive number of seconds"),
    ({"parameters": {"bad name": 1}}, "'bad name' is not a Python identifier"),
    ({"parameters": {"window": object()}}, "'window'.*cannot be written as a Python literal"),
])
def test_bad_arguments_rejected_before_any_kernel(tmp_path, kwargs, match):
    notebooks = write_notebooks(tmp_path / "nbs", **{"02_beta": BETA})
    with pytest.raises(ReportError, match=match):
        build_reports(tmp_path / "out", notebooks=notebooks, progress=None, **kwargs)
    assert not (tmp_path / "out").exists()


def test_missing_or_empty_notebook_folders(tmp_path):
    with pytest.raises(ReportError, match="notebooks folder .*nowhere not found"):
        build_reports(tmp_path / "out", notebooks=tmp_path / "nowhere", progress=None)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ReportError, match=r"no notebooks \(\*\.py\) found"):
        build_reports(tmp_path / "out", notebooks=tmp_path / "empty", progress=None)
    with pytest.raises(ReportError, match="notebook .*ghost.py not found"):
        build_reports(tmp_path / "out", notebooks=[tmp_path / "ghost.py"], progress=None)


def test_syntax_error_names_notebook_and_cell(tmp_path):
    notebooks = write_notebooks(tmp_path / "nbs", **{"01_bad": HEADER + "\n# %%\ndef broken(:\n"})
    with pytest.raises(ReportError, match="01_bad: cell 0 .*SyntaxError"):
        build_reports(tmp_path / "out", notebooks=notebooks, progress=None, timeout=60)


def test_out_that_is_a_file_is_refused(tmp_path, monkeypatch):
    import babaresearch.report as report

    # skip execution: this checks the swap step only
    monkeypatch.setattr(report, "_execute", lambda nb, **kw: nb)
    target = tmp_path / "out"
    target.write_text("not a folder", encoding="utf-8")
    notebooks = write_notebooks(tmp_path / "nbs", **{"02_beta": BETA})
    with pytest.raises(ReportError, match="exists and is not a folder"):
        build_reports(target, notebooks=notebooks, progress=None)
    assert read(target) == "not a folder"


# ------------------------------------------------------------------ docs folder resolution

def test_docs_folder_resolution(tmp_path, monkeypatch):
    from babaresearch.errors import DocumentError
    from babaresearch.report import _resolve_docs

    monkeypatch.delenv("BABARESEARCH_DOCS", raising=False)
    assert _resolve_docs(None) is None, "no docs and no env -> None (the committed ledger)"
    (tmp_path / "a.txt").write_text("Alibaba shares rose 3% on Friday.", encoding="utf-8")
    monkeypatch.setenv("BABARESEARCH_DOCS", str(tmp_path))
    assert _resolve_docs(None) == str(tmp_path.resolve()), "env var is the fallback"
    with pytest.raises(DocumentError, match="absent not found"):
        _resolve_docs(tmp_path / "absent")  # never a silent fallback to the committed ledger


# ------------------------------------------------------------------ pure helpers

def test_parameters_source_writes_literals():
    import datetime as dt

    source = parameters_source({"tickers": ("BABA", "NVDA"), "docs_dir": Path("/tmp/docs"),
                                "as_of": dt.date(2025, 8, 29), "windows": [(-1, 1), (0, 0)],
                                "live": None, "beta_sessions": np.int64(60)})
    namespace: dict = {}
    exec(source, namespace)  # noqa: S102 - our own generated assignments
    assert namespace["tickers"] == ("BABA", "NVDA")
    assert namespace["docs_dir"] == "/tmp/docs", "paths are injected as strings"
    assert namespace["as_of"] == "2025-08-29", "dates are injected as ISO strings"
    assert namespace["windows"] == [(-1, 1), (0, 0)] and namespace["live"] is None
    assert namespace["beta_sessions"] == 60 and type(namespace["beta_sessions"]) is int
    assert parameters_source({}) == "# Parameters injected by babaresearch.build_reports\n"


def test_parameters_source_rejects_non_literals():
    with pytest.raises(ReportError, match="'f'"):
        parameters_source({"f": lambda: 1})
    with pytest.raises(ReportError, match="not a Python identifier"):
        parameters_source({"1x": 1})
    with pytest.raises(ReportError, match="'nan'"):
        parameters_source({"nan": float("nan")})  # repr 'nan' is not a literal


def test_inject_parameters_position_and_replacement():
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("a = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# T"), params, nbformat.v4.new_code_cell("print(a)")]
    inject_parameters(nb, {"a": 2})
    inject_parameters(nb, {"a": 3})  # a second injection replaces the first
    tags = [cell.metadata.get("tags", []) for cell in nb.cells]
    assert tags == [[], ["parameters"], [INJECTED_TAG], []], f"injected cell must follow parameters: {tags}"
    assert nb.cells[2].source.endswith("a = 3\n")
    bare = nbformat.v4.new_notebook()
    bare.cells = [nbformat.v4.new_code_cell("print(a)")]
    inject_parameters(bare, {"a": 2})
    assert bare.cells[0].metadata["tags"] == [INJECTED_TAG], "without a parameters cell it goes first"
    empty = nbformat.v4.new_notebook()
    assert len(inject_parameters(empty, {"a": 1}).cells) == 1


@pytest.mark.parametrize("page, expected", [
    ('<script src="https://cdn.example/x.js"></script>', 1),
    ('<link rel="stylesheet" href="http://fonts.example/f.css">', 1),
    ('<img src="//img.example/a.png">', 1),
    ('<style>@import "https://fonts.example/a.css"; body{}</style>', 1),
    ("<style>.a{background:url('https://x.example/bg.png')}</style>", 1),
    ('<script type="module">const m = await import("https://cdn.example/m.mjs");</script>', 1),
    ('<div style="background: url(https://x.example/a.png)"></div>', 1),
    ('<a href="https://example.com">a plain link</a>', 0),
    ("<style>/* see https://example.com/docs */ body{}</style>", 0),
    ('<img src="data:image/png;base64,AAAA">', 0),
    ("<p>visit https://example.com</p>", 0),
    ("", 0),
])
def test_external_resources(page, expected):
    assert len(external_resources(page)) == expected, f"wrong count of remote resources in {page!r}"


def cell_texts(table: str) -> list[list[str]]:
    """Body rows of an HTML table as cell texts (tags stripped, entities kept)."""
    import re

    body = table.split("<tbody>")[1]
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_html_table_escapes_everything():
    import pandas as pd

    frame = pd.DataFrame({"<th>": ["<script>x</script>", None], "n": [0.12345, 2.0]})
    table = str(html_table(frame, table_id="scorecard", caption="A & B"))
    (opening,) = tags(table, "table")
    assert opening["id"] == "scorecard" and "babaresearch-table" in opening["class"].split(), opening
    assert "<caption>A &amp; B</caption>" in table
    assert "&lt;script&gt;x&lt;/script&gt;" in table and "<script>" not in table
    assert "&lt;th&gt;" in table, "column labels must be escaped too"
    assert cell_texts(table) == [["&lt;script&gt;x&lt;/script&gt;", "0.1235"], ["\u2014", "2"]], \
        "floats use 4 significant digits; a missing value is a dash, never None"
    assert html_table(frame)._repr_html_() == str(html_table(frame)), "displays as HTML in Jupyter"
    empty = str(html_table(pd.DataFrame({"a": []}), table_id="empty"))
    assert 'id="empty"' in empty and "<td" not in empty


def test_snapshot_hash_is_the_data_folder_digest():
    # independent route: hash every CSV under data/ (relative name, NUL, bytes), sorted by path
    data = babaresearch.data_dir()
    digest = hashlib.sha256()
    for path in sorted(data.rglob("*.csv")):
        digest.update(path.relative_to(data).as_posix().encode() + b"\0" + path.read_bytes())
    assert babaresearch.snapshot_hash() == digest.hexdigest()[:12], \
        "the stamped snapshot hash must be the SHA-256 of the data folder's CSVs"


def test_reports_folder_is_readable_by_others(rendered):
    # The staging folder comes from mkdtemp (0700); the published folder must not stay private.
    assert (rendered["out"].stat().st_mode & 0o777) == 0o755


def test_html_table_percent_columns_and_column_selection():
    import pandas as pd

    frame = pd.DataFrame({"ticker": ["A", "B"], "car": [0.1355, float("nan")], "t": [2.7351, 1.0],
                          "note": ["x", "y"]})
    table = str(html_table(frame, columns=["ticker", "car", "t"], percent=["car"]))
    assert cell_texts(table) == [["A", "+13.55%", "2.735"], ["B", "\u2014", "1"]], \
        "decimal returns shown as percent; NaN in a percent column is a dash"
    assert "note" not in table, "only the selected columns"


def test_html_table_formats_for_people():
    """Percent with sign, money with currency and scale, no None/nan/scientific notation, dates
    that never wrap, long text folded (issue 10, "Pages an analyst would rather read")."""
    import pandas as pd

    frame = pd.DataFrame({
        "when": [pd.Timestamp("2025-08-29"), pd.NaT],
        "ret": [0.129, float("nan")],
        "revenue": [46.7e9, 135.0],
        "claimed": [-21.8e9, 34.0], "unit": ["CNY", "%"],
        "shares": [6e8, 1.23e-7],
        "flag": [True, None],
        "evidence": ["short", "a long evidence sentence " * 10],
    })
    table = str(html_table(frame, percent=["ret"], money={"revenue": "USD"},
                           units={"claimed": "unit"}))
    rows = cell_texts(table)
    assert rows[0][:7] == ["2025-08-29", "+12.90%", "US$ 46.7bn", "-RMB 21.8bn", "CNY",
                           "600,000,000", "yes"], rows[0]
    assert rows[1][:7] == ["\u2014", "\u2014", "US$ 135.00", "34%", "%", "0.0000001230", "\u2014"], rows[1]
    text = " ".join(" ".join(row) for row in rows)
    for bad in ("None", "nan", "NaT", "e+", "e-0"):
        assert bad not in text, f"{bad!r} in a table cell: {text}"
    assert 'style="white-space:nowrap">2025-08-29' in table, "dates never wrap"
    assert "<details><summary>a long evidence sentence" in table, "long text is folded"
    assert "<td>short</td>" in table


def test_format_helpers_pin_the_analyst_spellings():
    from babaresearch.tables import format_money, format_number, format_percent, format_quantity

    assert format_money(46.7e9) == "US$ 46.7bn" and format_money(21.8e9, "CNY") == "RMB 21.8bn"
    assert format_money(-1.5e12, "USD") == "-US$ 1.5tn" and format_money(2.5e6, "HKD") == "HK$ 2.5m"
    assert format_percent(-0.0772) == "-7.72%" and format_percent(0.1355, decimals=1) == "+13.6%"
    assert format_number(1270.4) == "1,270" and format_number(2.7351) == "2.735"
    assert format_number(5.3e10) == "53,000,000,000" and format_number(float("nan")) == "\u2014"
    assert format_quantity(470000, "count") == "470,000" and format_quantity(3, "nm") == "3 nm"
    assert format_quantity(6e8, "count") == "600.0m"


def test_show_code_shows_one_parameters_cell_with_the_values_used(tmp_path):
    """Issue 10: no duplicated "injected parameters" cell; the defaults line is replaced."""
    notebooks = write_notebooks(tmp_path / "nbs", **{"01_alpha": ALPHA.replace(
        "article = Path", "article = '' if docs_dir is None else Path").replace(
        'Path(docs_dir, "article.txt").read_text(encoding="utf-8")', 'Path(docs_dir, "a").read_text()')})
    (page_path, _index) = build_reports(tmp_path / "out", notebooks=[notebooks / "01_alpha.py"],
                                        show_code=True, parameters={"answer": 42, "as_of": "2025-08-29"},
                                        progress=None, timeout=120)
    import html as html_module
    import re

    text = html_module.unescape(re.sub(r"<[^>]+>", "", read(page_path)))
    assert "Parameters injected by babaresearch" not in text, "the injected cell is not shown"
    assert text.count("answer = 42") == 1 and "answer = 1" not in text, \
        "one parameters cell, holding the value actually used"
    assert "as_of = '2025-08-29'" in text and "source = 'snapshot'" in text
    inputs = [tag for tag in tags(read(page_path), "div")
              if "jp-InputArea-editor" in tag.get("class", "").split()]
    assert inputs, "--show-code shows the code cells"
