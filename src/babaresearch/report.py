"""Execute the jupytext notebooks and render them as self-contained HTML reports.

Each notebook in :func:`babaresearch.resources.notebooks_dir` is a ``py:percent`` file. It is read
with jupytext, its ``parameters`` cell is overridden papermill-style (a new cell tagged
``injected-parameters`` is inserted right after it), it is executed with nbclient in a kernel
running *this* interpreter, and it is exported with nbconvert's ``lab`` template stripped of every
external resource (no require.js, MathJax, widget or mermaid CDN scripts; figures embedded as
``data:`` URIs), so a report opens offline and leaks no request. An ``index.html`` links all
reports. Every page is stamped with the library version, the data-snapshot hash and the as-of date.

Rendering happens in a temporary folder beside ``out``; the finished folder replaces ``out`` only
when every notebook succeeded, so a failure leaves the previous reports in place.

Heavy imports (jupytext, nbclient, nbconvert, jupyter_client) happen inside the functions.
"""

from __future__ import annotations

import ast
import datetime as _dt
import html
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .errors import ReportError

#: Environment variable naming the documents (articles) folder when ``docs`` is not given.
DOCS_ENV = "BABARESEARCH_DOCS"
#: Tag of the notebook cell whose assignments are the notebook's default parameters.
PARAMETERS_TAG = "parameters"
#: Tag of the cell build_reports inserts after the parameters cell.
INJECTED_TAG = "injected-parameters"
#: Name of the index page written beside the reports.
INDEX_NAME = "index.html"
#: Per-notebook time limit in seconds when none is given.
DEFAULT_TIMEOUT_S = 600
#: Notebook files picked up in a notebooks folder (jupytext py:percent).
NOTEBOOK_GLOB = "*.py"
#: Kernel name recorded in the notebooks; always resolved to this interpreter (see below).
KERNEL_NAME = "python3"
#: Extra kernel command-line arguments (see :func:`_execute`).
KERNEL_ARGUMENTS = ["--matplotlib=inline"]
#: Id of the stamp element on every page (tests and readers look it up).
STAMP_ID = "babaresearch-stamp"

# nbconvert template: the JupyterLab look with every block that loads a remote script emptied.
# The stamp goes first in <main> so a reader sees which data and version produced the page.
_TEMPLATE_NAME = "babaresearch_offline.html.j2"
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
{{ super() }}
{{ resources.babaresearch_meta }}
<style type="text/css">
#babaresearch-stamp { font-family: var(--jp-ui-font-family, sans-serif); font-size: 12px;
  color: #555; border-bottom: 1px solid #ddd; padding: 6px 12px; margin-bottom: 8px; }
</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.babaresearch_stamp }}
{%- endblock body_header -%}
"""


@dataclass(frozen=True)
class Stamp:
    """What produced a report: library version, data-snapshot hash, as-of date and source."""

    version: str
    snapshot: str
    as_of: str
    source: str

    def meta_tags(self) -> str:
        """``<meta>`` tags carrying the stamp (machine-readable)."""
        fields = {"babaresearch-version": self.version, "babaresearch-snapshot": self.snapshot,
                  "babaresearch-as-of": self.as_of, "babaresearch-source": self.source}
        return "\n".join(f'<meta name="{name}" content="{html.escape(value)}">'
                         for name, value in fields.items())

    def html(self) -> str:
        """A one-line visible stamp, ``<div id="babaresearch-stamp">``, every value escaped."""
        return (f'<div id="{STAMP_ID}">babaresearch {html.escape(self.version)}'
                f' &middot; data snapshot <code>{html.escape(self.snapshot)}</code>'
                f' &middot; as of {html.escape(self.as_of)}'
                f' &middot; prices: {html.escape(self.source)}</div>')


@dataclass(frozen=True)
class _Rendered:
    stem: str
    title: str
    seconds: float


# --------------------------------------------------------------------------------------------
# HTML helpers shared with the notebooks
# --------------------------------------------------------------------------------------------

class EscapedHTML(str):
    """A string of already-escaped HTML that Jupyter displays as HTML (``_repr_html_``)."""

    def _repr_html_(self) -> str:
        return str(self)


def html_table(frame, *, table_id: str | None = None, caption: str | None = None,
               index: bool = False, float_format: str = "{:,.4g}",
               percent: tuple[str, ...] | list[str] = (), columns: list[str] | None = None,
               percent_format: str = "{:+.2%}") -> EscapedHTML:
    """Render a DataFrame as an HTML table whose every cell, label and caption is escaped.

    Use this for anything that may contain article text (quotes, notes): pandas' ``Styler`` does
    not escape cell text by default, ``DataFrame.to_html(escape=True)`` does.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    table_id : str, optional
        ``id`` attribute of the ``<table>`` (e.g. ``"scorecard"`` so a browser test can find it).
    caption : str, optional
        Plain-text caption (escaped).
    index : bool, default False
        Whether to show the index.
    float_format : str, default ``"{:,.4g}"``
        Format of float cells.
    percent : sequence of str
        Columns holding decimal returns (0.129) to show as percent (+12.90%).
    columns : list of str, optional
        Columns to show, in order (default: all).
    percent_format : str, default ``"{:+.2%}"``
        Format of the ``percent`` columns.

    Returns
    -------
    EscapedHTML
        Displays as the table in a notebook; ``str()`` gives the HTML.
    """
    if columns is not None:
        frame = frame.loc[:, list(columns)]
    formatters = {column: (lambda v, fmt=percent_format: "" if v != v else fmt.format(v))
                  for column in percent if column in frame.columns}
    table = frame.to_html(escape=True, index=index, table_id=table_id, na_rep="",
                          float_format=float_format.format, formatters=formatters or None,
                          classes="babaresearch-table")  # pandas adds "dataframe" itself
    if caption:
        head, sep, rest = table.partition(">")  # end of the opening <table ...> tag
        table = f"{head}{sep}\n  <caption>{html.escape(caption)}</caption>{rest}"
    return EscapedHTML(table)


class _ExternalResourceFinder(HTMLParser):
    """Collect every attribute or CSS reference that would make a browser fetch a remote URL."""

    # attributes that load something; plain <a href> links are navigation, not loading
    _LOADING = {"src", "srcset", "data", "poster", "background", "action", "formaction"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style_or_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style_or_script = tag in ("style", "script")
        for name, value in attrs:
            if not value:
                continue
            remote = _is_remote(value)
            if remote and (name in self._LOADING or (name == "href" and tag != "a")):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self._scan_css(value, f"<{tag} style>")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._in_style_or_script = False

    def handle_data(self, data: str) -> None:
        if self._in_style_or_script:
            self._scan_css(data, "<style>/<script>")

    def _scan_css(self, text: str, where: str) -> None:
        import re

        # url(...) and @import in CSS, import(...) in module scripts; comments are ignored
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        for match in re.finditer(r"""(?:url\(|@import\s+|import\()\s*['"]?((?:https?:)?//[^'")\s]+)""",
                                 text):
            self.found.append(f"{where} {match.group(1)}")


def _is_remote(value: str) -> bool:
    value = value.strip().lower()
    return value.startswith(("http://", "https://", "//"))


def external_resources(page: str) -> list[str]:
    """Every remote resource an HTML page would load (scripts, styles, images, fonts, frames).

    Plain ``<a href="https://...">`` links are not resources and are not reported.

    Parameters
    ----------
    page : str
        The HTML text.

    Returns
    -------
    list of str
        One description per offending reference (tag, attribute, URL); empty when self-contained.
    """
    finder = _ExternalResourceFinder()
    finder.feed(page)
    finder.close()
    return finder.found


# --------------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------------

def _literal(value: Any) -> Any:
    """``value`` as a plain Python literal (paths and dates become strings)."""
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return value.item()  # numpy scalar -> Python int/float/bool
    if isinstance(value, (_dt.date, _dt.datetime)) or type(value).__name__ == "Timestamp":
        return value.strftime("%Y-%m-%d")
    if isinstance(value, tuple):
        return tuple(_literal(item) for item in value)
    if isinstance(value, list):
        return [_literal(item) for item in value]
    if isinstance(value, dict):
        return {_literal(key): _literal(item) for key, item in value.items()}
    return value


def parameters_source(parameters: Mapping[str, Any]) -> str:
    """Python source assigning each parameter, for the ``injected-parameters`` cell.

    Parameters
    ----------
    parameters : mapping of str to object
        Names must be identifiers; values must be literals (str, numbers, bool, None, lists,
        tuples, dicts of those) or paths / dates, which are written as strings.

    Returns
    -------
    str
        One ``name = literal`` line per parameter.

    Raises
    ------
    ReportError
        A name is not an identifier or a value cannot be written as a literal.
    """
    lines = ["# Parameters injected by babaresearch.build_reports"]
    for name, value in parameters.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise ReportError(f"report parameter name {name!r} is not a Python identifier")
        literal = _literal(value)
        text = repr(literal)
        try:
            round_trip = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            round_trip = object()
        if round_trip != literal:
            raise ReportError(f"report parameter {name!r}: value {value!r} cannot be written as "
                              "a Python literal (use str, numbers, bool, None, lists, tuples)")
        lines.append(f"{name} = {text}")
    return "\n".join(lines) + "\n"


def inject_parameters(nb, parameters: Mapping[str, Any]):
    """Insert a cell tagged ``injected-parameters`` after the cell tagged ``parameters``.

    Papermill's convention: the notebook's defaults stay visible, the injected values override
    them. Without a ``parameters`` cell the injected cell goes first. An earlier injected cell is
    replaced. ``nb`` is modified in place and returned.
    """
    import nbformat

    cells = [cell for cell in nb.cells
             if INJECTED_TAG not in cell.get("metadata", {}).get("tags", [])]
    injected = nbformat.v4.new_code_cell(parameters_source(parameters))
    injected.metadata["tags"] = [INJECTED_TAG]
    position = 0
    for index, cell in enumerate(cells):
        if PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            position = index + 1
            break
    cells.insert(position, injected)
    nb.cells = cells
    return nb


# --------------------------------------------------------------------------------------------
# execution
# --------------------------------------------------------------------------------------------

def _kernel_manager_class():
    """An AsyncKernelManager whose ``python3`` is always *this* interpreter.

    A ``python3`` kernel spec found on the Jupyter path (user or system install) may point at
    another Python without babaresearch; searching no spec folder makes jupyter_client fall back
    to ipykernel's native spec, whose command is ``sys.executable -m ipykernel_launcher``.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ThisInterpreterKernelManager(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _kernel_spec_manager_default(self):
            return KernelSpecManager(kernel_dirs=[], parent=self)

        @default("transport_encryption")
        def _transport_encryption_default(self):
            # CurveZMQ keys when libzmq has them: the kernel then neither talks in plain text
            # over TCP nor prints a warning about it into the first cell's output
            import zmq

            return "auto" if zmq.has("curve") else "disabled"

    return ThisInterpreterKernelManager


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()
    return "<empty cell>"


def _kernel_env() -> dict[str, str]:
    env = dict(os.environ)
    # A forced non-interactive backend (MPLBACKEND=Agg) would keep figures out of the outputs.
    env.pop("MPLBACKEND", None)
    return env


def _execute(nb, *, name: str, timeout: float, cwd: Path):
    """Run every cell of ``nb`` in a fresh kernel; ReportError names the failing cell."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    deadline = time.monotonic() + timeout
    current: dict[str, Any] = {"index": None, "cell": None}

    def on_cell_start(cell, cell_index):
        current["index"], current["cell"] = cell_index, cell

    def remaining(cell) -> int:
        # nbclient's timeout is per cell; this turns it into a budget for the whole notebook
        return max(1, int(deadline - time.monotonic() + 0.999))

    client = NotebookClient(
        nb, timeout=timeout, timeout_func=remaining, kernel_name=KERNEL_NAME,
        kernel_manager_class=_kernel_manager_class(), on_cell_start=on_cell_start,
        allow_errors=False, record_timing=False,
        # inline backend from the start: the plots module returns Figure objects without
        # touching pyplot, and IPython only renders those once the inline backend is active
        extra_arguments=KERNEL_ARGUMENTS,
        resources={"metadata": {"path": str(cwd)}},
    )
    try:
        client.execute(env=_kernel_env())
    except (CellExecutionError, CellTimeoutError, DeadKernelError, TimeoutError,
            RuntimeError) as error:
        index, cell = current["index"], current["cell"]
        if index is not None:
            # number cells as in the notebook file: the injected cell does not count
            injected_at = next((i for i, c in enumerate(nb.cells)
                                if INJECTED_TAG in c.get("metadata", {}).get("tags", [])), None)
            if injected_at == index:
                index = None
            elif injected_at is not None and injected_at < index:
                index -= 1
        if isinstance(error, CellExecutionError):
            what = f"{error.ename}: {error.evalue}"
        elif isinstance(error, (CellTimeoutError, TimeoutError)):
            what = f"timed out (notebook budget {timeout:g} s)"
        else:
            what = f"{type(error).__name__}: {error}"
        if cell is None:
            where = "kernel start-up"
        elif index is None:
            where = f"the injected parameters cell ({_first_line(cell.source)!r})"
        else:
            where = f"cell {index} ({_first_line(cell.source)!r})"
        error_out = ReportError(f"notebook {name}: {where} failed: {what}")
        error_out.notebook = name
        error_out.cell_index = index
        raise error_out from None
    return nb


def _title(nb, fallback: str) -> str:
    """First Markdown heading of the notebook, else ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.lstrip().startswith("#"):
                return line.lstrip("# ").strip() or fallback
    return fallback


def _exporter(no_input: bool):
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab", extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        template_file=_TEMPLATE_NAME, embed_images=True, exclude_input=no_input,
        exclude_input_prompt=no_input, exclude_output_prompt=no_input,
        # belt and braces: empty URLs even though the template drops the blocks using them
        require_js_url="", mathjax_url="", mermaid_js_url="", widget_renderer_url="",
        jupyter_widgets_base_url="",
    )


def _render_html(nb, *, stem: str, stamp: Stamp, exporter) -> str:
    resources = {"metadata": {"name": stem}, "babaresearch_stamp": stamp.html(),
                 "babaresearch_meta": stamp.meta_tags()}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    leaks = external_resources(body)
    if leaks:  # a new nbconvert template or an output may bring remote scripts back
        raise ReportError(f"notebook {stem}: rendered HTML loads external resources: "
                          + "; ".join(leaks[:5]))
    return body


def _index_html(rendered: list[_Rendered], stamp: Stamp) -> str:
    items = "\n".join(
        f'  <li><a href="{html.escape(item.stem)}.html">{html.escape(item.title)}</a>'
        f' <span class="file">({html.escape(item.stem)}, {item.seconds:.1f} s)</span></li>'
        for item in rendered)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
{stamp.meta_tags()}
<title>babaresearch reports</title>
<style type="text/css">
body {{ font-family: system-ui, sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em; }}
#{STAMP_ID} {{ font-size: 12px; color: #555; border-bottom: 1px solid #ddd; padding: 6px 0; }}
.file {{ color: #777; font-size: 90%; }}
</style>
</head>
<body>
{stamp.html()}
<h1>babaresearch reports</h1>
<p>Articles' claims about Alibaba (BABA) and NVIDIA (NVDA) checked against prices, calendars and
event studies. Each report below is a self-contained page.</p>
<ol id="reports">
{items}
</ol>
</body>
</html>
"""


# --------------------------------------------------------------------------------------------
# public entry point
# --------------------------------------------------------------------------------------------

def _default_as_of(source: str) -> str:
    """Live: today. Snapshot: the last session of the embedded snapshot (latest ticker)."""
    if source != "snapshot":
        return _dt.date.today().isoformat()
    import pandas as pd

    from .prices import snapshot_info

    last = pd.to_datetime(snapshot_info()["last_session"]).max()
    return pd.Timestamp(last).strftime("%Y-%m-%d")


def _resolve_docs(docs: str | os.PathLike | None, progress: Callable[[str], Any]) -> str | None:
    if docs is None:
        docs = os.environ.get(DOCS_ENV) or None
    if docs is None:
        return None
    folder = Path(docs).expanduser()
    if not folder.is_dir():
        progress(f"documents folder {folder} not found: claims come from the committed ledger")
        return None
    return str(folder.resolve())


def _notebook_paths(notebooks: str | os.PathLike | Iterable[str | os.PathLike] | None) -> list[Path]:
    if notebooks is None:
        from .resources import notebooks_dir

        notebooks = notebooks_dir()
    if isinstance(notebooks, (str, os.PathLike)):
        folder = Path(notebooks)
        if not folder.is_dir():
            raise ReportError(f"notebooks folder {folder} not found")
        paths = sorted(path for path in folder.glob(NOTEBOOK_GLOB) if not path.name.startswith("_"))
    else:
        paths = [Path(path) for path in notebooks]
    if not paths:
        raise ReportError(f"no notebooks ({NOTEBOOK_GLOB}) found in {notebooks}")
    for path in paths:
        if not path.is_file():
            raise ReportError(f"notebook {path} not found")
    return paths


def _swap_in(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging``; the old folder survives until the new one is in place."""
    if not out.exists():
        os.replace(staging, out)
        return
    if not out.is_dir():
        raise ReportError(f"report output {out} exists and is not a folder")
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    os.replace(out, retired)
    try:
        os.replace(staging, out)
    except OSError:
        os.replace(retired, out)  # put the previous reports back
        raise
    shutil.rmtree(retired, ignore_errors=True)


#: Permissions of the reports folder (rwxr-xr-x), like any folder the user would create.
_REPORTS_DIR_MODE = 0o755


def build_reports(out: str | os.PathLike = "reports", *, live: bool = False,
                  no_input: bool = False, docs: str | os.PathLike | None = None,
                  timeout: float = DEFAULT_TIMEOUT_S,
                  notebooks: str | os.PathLike | Iterable[str | os.PathLike] | None = None,
                  parameters: Mapping[str, Any] | None = None,
                  progress: Callable[[str], Any] | None = print) -> list[Path]:
    """Execute every notebook and write self-contained HTML reports plus an index.

    Parameters
    ----------
    out : path, default ``"reports"``
        Output folder. It is replaced as a whole, and only when every notebook succeeded.
    live : bool, default False
        Pass ``source="auto"`` (cache, then yfinance) to the notebooks instead of
        ``"snapshot"`` (the embedded data only).
    no_input : bool, default False
        Hide code cells and prompts (narrative and outputs only).
    docs : path, optional
        Folder of article documents, passed to the notebooks as ``docs_dir``. Defaults to the
        ``BABARESEARCH_DOCS`` environment variable; a folder that does not exist becomes
        ``None`` (the notebooks then read the committed claims ledger).
    timeout : float, default 600
        Time budget of each notebook in seconds.
    notebooks : path or iterable of paths, optional
        A folder of ``py:percent`` notebooks (``*.py``, run in name order) or explicit files.
        Defaults to :func:`babaresearch.resources.notebooks_dir`.
    parameters : mapping, optional
        Extra or overriding notebook parameters (``tickers``, ``benchmark``, ``windows``,
        ``as_of``...). ``source``, ``docs_dir`` and ``as_of`` are always injected.
    progress : callable, default ``print``
        Receives one line per notebook, e.g. ``"[2/5] 02_claims_ledger ... ok (12.3 s)"``;
        ``None`` silences it.

    Returns
    -------
    list of Path
        The report files in ``out`` in notebook order, then ``out/index.html``.

    Raises
    ------
    ReportError
        A notebook failed (the message names the notebook, the cell index, the cell's first
        line and the exception), timed out, or rendered with an external resource. ``out`` is
        left untouched.
    """
    import jupytext

    from . import __version__
    from .resources import snapshot_hash

    say = progress if progress is not None else (lambda line: None)
    if timeout is None or timeout <= 0:
        raise ReportError(f"report timeout must be a positive number of seconds, got {timeout!r}")
    out = Path(out).expanduser().resolve()
    paths = _notebook_paths(notebooks)
    source = "auto" if live else "snapshot"
    injected: dict[str, Any] = {"source": source, "docs_dir": _resolve_docs(docs, say)}
    injected.update(dict(parameters or {}))
    if injected.get("as_of") is None:
        injected["as_of"] = _default_as_of(injected["source"])
    injected["as_of"] = _literal(injected["as_of"])
    parameters_source(injected)  # reject bad parameters before starting any kernel
    stamp = Stamp(version=__version__, snapshot=snapshot_hash(), as_of=str(injected["as_of"]),
                  source=str(injected["source"]))

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    staging.chmod(_REPORTS_DIR_MODE)  # mkdtemp makes 0700; reports are for sharing
    rendered: list[_Rendered] = []
    try:
        exporter = _exporter(no_input)
        with tempfile.TemporaryDirectory(prefix="babaresearch-kernel-") as scratch:
            for number, path in enumerate(paths, start=1):
                stem = path.stem
                started = time.monotonic()
                head = f"[{number}/{len(paths)}] {stem} ..."
                try:
                    try:
                        nb = jupytext.read(path)
                    except Exception as error:  # jupytext raises assorted parse errors
                        raise ReportError(f"notebook {stem}: cannot be read as a jupytext "
                                          f"notebook ({path}): {error}") from None
                    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "language": "python",
                                                 "display_name": "Python 3 (ipykernel)"}
                    inject_parameters(nb, injected)
                    _execute(nb, name=stem, timeout=timeout, cwd=Path(scratch))
                    page = _render_html(nb, stem=stem, stamp=stamp, exporter=exporter)
                except ReportError:
                    say(f"{head} FAILED ({time.monotonic() - started:.1f} s)")
                    raise
                (staging / f"{stem}.html").write_text(page, encoding="utf-8")
                seconds = time.monotonic() - started
                rendered.append(_Rendered(stem, _title(nb, stem), seconds))
                say(f"{head} ok ({seconds:.1f} s)")
        (staging / INDEX_NAME).write_text(_index_html(rendered, stamp), encoding="utf-8")
        _swap_in(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [out / f"{item.stem}.html" for item in rendered] + [out / INDEX_NAME]
