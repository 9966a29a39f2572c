"""Execute the jupytext notebooks and render them as self-contained HTML reports.

Each notebook in :func:`babaresearch.resources.notebooks_dir` is a ``py:percent`` file. It is read
with jupytext, its ``parameters`` cell is overridden papermill-style (a new cell tagged
``injected-parameters`` is inserted right after it), it is executed with nbclient in a kernel
running *this* interpreter, and it is exported with nbconvert's ``lab`` template stripped of every
external resource (no require.js, MathJax, widget or mermaid CDN scripts; figures embedded as
``data:`` URIs), so a report opens offline and leaks no request. An ``index.html`` links all
reports. Every page is stamped with the library version, the data-snapshot hash and the as-of date.

The output folder is handled by :mod:`babaresearch.reportdir`: builds into one folder are
serialised by a lock, pages are rendered into a staging folder and committed in one crash-safe
step only when every notebook succeeded (a failure, a crash or Ctrl-C leaves the previous
reports in place), and a manifest records what was written so that files babaresearch did not
write are never touched.

Every value that reaches a page from data goes through :mod:`babaresearch.htmlsafe`.

Heavy imports (jupytext, nbclient, nbconvert, jupyter_client) happen inside the functions.
"""

from __future__ import annotations

import ast
import datetime as _dt
import os
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .errors import DocumentError, ReportError, ReportInterruptedError
from .htmlsafe import escape_html

#: Environment variable naming the documents (articles) folder when ``docs`` is not given.
DOCS_ENV = "BABARESEARCH_DOCS"
#: Tag of the notebook cell whose assignments are the notebook's default parameters.
PARAMETERS_TAG = "parameters"
#: Tag of the cell build_reports inserts after the parameters cell.
INJECTED_TAG = "injected-parameters"
#: Tag of the cell build_reports runs first and removes from the page (figure alt texts).
SETUP_TAG = "babaresearch-setup"
#: That cell: every matplotlib figure is shown with its titles as the image's alternative text,
#: so a reader (and a screen reader, and the browser test) knows what each figure shows.
SETUP_SOURCE = """\
def _babaresearch_png(figure):
    from IPython.core.pylabtools import print_figure

    titles = [figure.get_suptitle()] + [axes.get_title() for axes in figure.axes]
    alt = "; ".join(title for title in titles if title) or "figure without a title"
    return print_figure(figure, "png", bbox_inches="tight"), {"alt": alt}


import matplotlib.figure

get_ipython().display_formatter.formatters["image/png"].for_type(matplotlib.figure.Figure,
                                                                 _babaresearch_png)
del _babaresearch_png
"""
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
#babaresearch-notice { font-family: var(--jp-ui-font-family, sans-serif); font-size: 13px;
  background: #fff8e1; border-left: 3px solid #f0a500; padding: 6px 12px; margin: 0 0 8px 0; }
</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.babaresearch_stamp }}
{%- endblock body_header -%}
{% block data_png scoped %}
{%- set alt = output | get_metadata('alt', 'image/png') -%}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- if alt %} alt="{{ alt | escape_html }}"{% endif %} class="">
</div>
{%- endblock data_png %}
"""


#: Id of the live-data notice on a page whose ``--live`` prices fell back for some tickers.
NOTICE_ID = "babaresearch-notice"


@dataclass(frozen=True)
class Vintage:
    """Where one ticker's prices came from in a build and the last session they hold.

    ``origin`` is ``"live"`` (fetched in this build), ``"snapshot"`` / ``"cache"`` (what was
    held) or ``"fallback"`` (a live fetch was asked for and failed; ``reason`` says why and
    ``held`` what was served instead).
    """

    ticker: str
    origin: str
    last_session: str
    held: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Stamp:
    """What produced a report: library version, data-snapshot hash, as-of date, price source
    and, per ticker, where its prices came from and their last session."""

    version: str
    snapshot: str
    as_of: str
    source: str
    vintages: tuple[Vintage, ...] = ()

    def _groups(self) -> list[tuple[str, list[Vintage]]]:
        order = {"live": "live", "snapshot": "snapshot", "cache": "cache",
                 "snapshot+cache": "snapshot and cache", "fallback": "live fetch failed, using"}
        groups: dict[str, list[Vintage]] = {}
        for item in self.vintages:
            groups.setdefault(item.origin, []).append(item)
        return [(order.get(origin, origin), groups[origin]) for origin in order if origin in groups] + \
               [(origin, items) for origin, items in groups.items() if origin not in order]

    def prices_text(self) -> str:
        """E.g. ``"live: BABA, NVDA to 2026-12-03; live fetch failed, using: SPY snapshot to
        2026-10-07"`` (tickers with the same origin and last session are listed together)."""
        if not self.vintages:
            return self.source
        parts = []
        for label, items in self._groups():
            runs: dict[tuple[str, str], list[str]] = {}
            for item in items:
                runs.setdefault((item.held, item.last_session), []).append(item.ticker)
            parts.append(f"{label}: " + ", ".join(
                f"{', '.join(tickers)}{' ' + held if held else ''} to {last}"
                for (held, last), tickers in runs.items()))
        return "; ".join(parts)

    def notice(self) -> str:
        """One short sentence when live prices were asked for and some fell back, else ``""``."""
        failed = [item for item in self.vintages if item.origin == "fallback"]
        if not failed:
            return ""
        reasons = sorted({item.reason for item in failed if item.reason})
        why = f" ({'; '.join(reasons)})" if reasons else ""
        return (f"Live prices were unavailable for {', '.join(item.ticker for item in failed)}"
                f"{why}: their figures use the data held, which ends on the session shown.")

    def meta_tags(self) -> str:
        """``<meta>`` tags carrying the stamp (machine-readable)."""
        fields = {"babaresearch-version": self.version, "babaresearch-snapshot": self.snapshot,
                  "babaresearch-as-of": self.as_of, "babaresearch-source": self.source}
        if self.vintages:
            fields["babaresearch-prices"] = ";".join(
                f"{item.ticker}={item.origin}:{item.last_session}" for item in self.vintages)
        return "\n".join(f'<meta name="{name}" content="{escape_html(value)}">'
                         for name, value in fields.items())

    def html(self) -> str:
        """The visible stamp, ``<div id="babaresearch-stamp">``, every value escaped; a short
        ``<div id="babaresearch-notice">`` follows when live prices fell back."""
        stamp = (f'<div id="{STAMP_ID}">babaresearch {escape_html(self.version)}'
                 f' &middot; data snapshot <code>{escape_html(self.snapshot)}</code>'
                 f' &middot; as of {escape_html(self.as_of)}'
                 f' &middot; prices: {escape_html(self.prices_text())}</div>')
        notice = self.notice()
        if notice:
            stamp += f'\n<div id="{NOTICE_ID}">{escape_html(notice)}</div>'
        return stamp


@dataclass(frozen=True)
class _Rendered:
    stem: str
    title: str
    seconds: float


# --------------------------------------------------------------------------------------------
# HTML helpers shared with the notebooks
# --------------------------------------------------------------------------------------------

# The reports' tables are formatted and escaped in one place, babaresearch.tables; the names
# stay importable from here (the notebooks and older code import them from babaresearch.report).
from .tables import EscapedHTML, html_table  # noqa: E402,F401


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


#: Seconds between checks of a running notebook (how quickly Ctrl-C is noticed).
_POLL_S = 0.2
#: Seconds to wait for a killed kernel's notebook thread to end after Ctrl-C.
_STOP_GRACE_S = 10.0


def _stop_kernel(client) -> None:
    """Kill the kernel process of ``client`` (its own thread then ends with a dead kernel)."""
    import signal as _signal

    manager = getattr(client, "km", None)
    provisioner = getattr(manager, "provisioner", None)
    pid = getattr(provisioner, "pid", None) or getattr(getattr(provisioner, "process", None), "pid", None)
    if pid:
        try:
            os.kill(pid, getattr(_signal, "SIGKILL", _signal.SIGTERM))
        except OSError:
            pass


def _execute(nb, *, name: str, timeout: float, cwd: Path):
    """Run every cell of ``nb`` in a fresh kernel; ReportError names the failing cell.

    nbclient runs in a worker thread: it then installs no signal handlers of its own, and
    Ctrl-C reaches this (main) thread as KeyboardInterrupt, which kills the kernel, waits for
    the worker and raises :class:`ReportInterruptedError` (``out`` is filled in by the caller).
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

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
    outcome: dict[str, BaseException] = {}

    def run() -> None:
        try:
            client.execute(env=_kernel_env())
        except BaseException as error:  # noqa: BLE001 - handed to the calling thread
            outcome["error"] = error

    worker = threading.Thread(target=run, name=f"babaresearch-{name}", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(_POLL_S)
    except KeyboardInterrupt:
        _stop_kernel(client)
        worker.join(_STOP_GRACE_S)
        raise ReportInterruptedError("", notebook=name) from None
    error = outcome.get("error")
    if error is None:
        return nb
    if isinstance(error, KeyboardInterrupt):
        raise ReportInterruptedError("", notebook=name) from None
    if not isinstance(error, Exception):
        raise error
    index, cell = current["index"], current["cell"]
    setup = cell is not None and SETUP_TAG in cell.get("metadata", {}).get("tags", [])
    if index is not None:
        # number cells as in the notebook file: the injected and setup cells do not count
        hidden = [i for i, c in enumerate(nb.cells)
                  if {INJECTED_TAG, SETUP_TAG} & set(c.get("metadata", {}).get("tags", []))]
        if index in hidden:
            index = None
        else:
            index -= sum(1 for i in hidden if i < index)
    if isinstance(error, CellExecutionError):
        what = f"{error.ename}: {error.evalue}"
    elif isinstance(error, (CellTimeoutError, TimeoutError)):
        what = f"timed out (notebook budget {timeout:g} s)"
    else:
        what = f"{type(error).__name__}: {error}"
    if cell is None:
        where = "kernel start-up"
    elif setup:
        where = "babaresearch's figure set-up cell"
    elif index is None:
        where = f"the injected parameters cell ({_first_line(cell.source)!r})"
    else:
        where = f"cell {index} ({_first_line(cell.source)!r})"
    error_out = ReportError(f"notebook {name}: {where} failed: {what}")
    error_out.notebook = name
    error_out.cell_index = index
    raise error_out from None


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
        f'  <li><a href="{escape_html(item.stem)}.html">{escape_html(item.title)}</a>'
        f' <span class="file">({escape_html(item.stem)}, {item.seconds:.1f} s)</span></li>'
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
#{NOTICE_ID} {{ font-size: 13px; background: #fff8e1; border-left: 3px solid #f0a500;
  padding: 6px 12px; margin: 8px 0; }}
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
    """The last session of the embedded snapshot (latest ticker): the default as-of date."""
    import pandas as pd

    from .prices import snapshot_info

    last = pd.to_datetime(snapshot_info()["last_session"]).max()
    return pd.Timestamp(last).strftime("%Y-%m-%d")


def _resolve_docs(docs: str | os.PathLike | None) -> str | None:
    """The documents folder as an absolute path, or None when none is given.

    ``docs`` defaults to ``$BABARESEARCH_DOCS``. A folder that is given must be a readable
    folder holding documents: anything else is a :class:`DocumentError` naming it, never a
    silent fallback to the committed ledger.
    """
    what = "documents folder"
    if docs is None:
        docs = os.environ.get(DOCS_ENV) or None
        what = f"documents folder (${DOCS_ENV})"
    if docs is None:
        return None
    folder = Path(docs).expanduser()
    if not folder.exists():
        raise DocumentError(f"{what} {folder} not found")
    if not folder.is_dir():
        raise DocumentError(f"{what} {folder} is not a folder")
    try:
        next(iter(os.scandir(folder)), None)
    except OSError as exc:
        raise DocumentError(f"{what} {folder} cannot be read: {exc.strerror or exc}") from None
    from .documents import load_documents

    load_documents(folder)  # DocumentError naming the folder or file: no .txt, unreadable...
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


def price_vintages(source: str, *, fetch: bool = False,
                   tickers: Iterable[str] | None = None) -> tuple[Vintage, ...]:
    """Where each ticker's prices come from and their last session, fetching live ones first.

    Parameters
    ----------
    source : str
        ``"snapshot"`` (the embedded data only) or ``"auto"`` (snapshot and cache).
    fetch : bool
        Try a live update (yfinance) of every ticker from its last held session on; a failure
        is recorded as ``"fallback"`` with its short reason, never printed or raised.
    tickers : iterable of str, optional
        Default: every snapshot ticker.

    Returns
    -------
    tuple of Vintage
        One per ticker, in snapshot order; ``last_session`` is the last session actually in
        the data served (never today's date).
    """
    import pandas as pd

    from .errors import BabaResearchError, OutOfRangeError
    from .prices import fetch_live, load_prices, snapshot_info

    names = list(tickers) if tickers is not None else list(snapshot_info()["ticker"])
    vintages = []
    for ticker in names:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # what the warnings say is recorded below
            held = load_prices(ticker, source=source)
            origin = "snapshot" if source == "snapshot" else _held_origin(held)
            last = pd.Timestamp(held["date"].max())
            if not fetch:
                vintages.append(Vintage(ticker, origin, f"{last:%Y-%m-%d}"))
                continue
            try:
                fetched = fetch_live(ticker, start=last + pd.Timedelta(days=1), progress=False)
            except OutOfRangeError:  # no completed session after the data held: up to date
                vintages.append(Vintage(ticker, "live", f"{last:%Y-%m-%d}"))
                continue
            except BabaResearchError as exc:
                reason = getattr(exc, "reason", None) or _short_reason(exc)
                vintages.append(Vintage(ticker, "fallback", f"{last:%Y-%m-%d}", held=origin,
                                        reason=reason))
                continue
            newest = pd.Timestamp(fetched["date"].max()) if len(fetched) else last
            vintages.append(Vintage(ticker, "live", f"{max(last, newest):%Y-%m-%d}"))
    return tuple(vintages)


#: Longest live-failure reason quoted on a page, in characters.
_REASON_MAX_CHARS = 80


def _short_reason(exc: BaseException) -> str:
    text = str(exc).split(": ")[-1].strip() or type(exc).__name__
    return text if len(text) <= _REASON_MAX_CHARS else text[:_REASON_MAX_CHARS - 1] + "\u2026"


def _held_origin(frame) -> str:
    """``"snapshot"``, ``"cache"`` or ``"snapshot+cache"``: what a source="auto" load served."""
    from .prices import cache_dir

    ticker = str(frame["ticker"].iloc[0])
    cached = (cache_dir() / f"{ticker}.csv").exists()
    return "snapshot+cache" if cached else "snapshot"


def _render_parameters_once(nb) -> None:
    """Show one parameters cell: the notebook's own, with the injected values written in.

    Execution needs the injected cell after the defaults (papermill's convention); a reader
    needs one cell with the values actually used. Each injected name replaces its default line
    (the line's comment is kept); names the notebook does not define are appended.
    """
    injected_at = next((i for i, cell in enumerate(nb.cells)
                        if INJECTED_TAG in cell.get("metadata", {}).get("tags", [])), None)
    if injected_at is None:
        return
    injected = nb.cells[injected_at]
    defaults_at = next((i for i, cell in enumerate(nb.cells)
                        if PARAMETERS_TAG in cell.get("metadata", {}).get("tags", [])), None)
    del nb.cells[injected_at]
    values = {}
    for node in ast.parse(injected.source).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.get_source_segment(injected.source, node.value)
    if defaults_at is None:
        injected.source = injected.source.replace("# Parameters injected", "# Parameters set", 1)
        nb.cells.insert(0, injected)
        return
    cell = nb.cells[defaults_at]
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        return
    lines = cell.source.splitlines()
    done = set()
    for node in reversed(tree.body):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id in values):
            continue
        name = node.targets[0].id
        last_line = lines[node.end_lineno - 1]
        comment = last_line[node.end_col_offset:].strip()
        text = f"{name} = {values[name]}" + (f"  {comment}" if comment.startswith("#") else "")
        lines[node.lineno - 1:node.end_lineno] = [text]
        done.add(name)
    extra = [f"{name} = {value}" for name, value in values.items() if name not in done]
    cell.source = "\n".join(lines + (["# set by babaresearch.build_reports", *extra] if extra else []))


#: Exit status conventionally reported for a run stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


def build_reports(out: str | os.PathLike = "reports", *, live: bool = False,
                  show_code: bool = False, no_input: bool | None = None,
                  docs: str | os.PathLike | None = None, timeout: float = DEFAULT_TIMEOUT_S,
                  notebooks: str | os.PathLike | Iterable[str | os.PathLike] | None = None,
                  parameters: Mapping[str, Any] | None = None, force: bool = False,
                  progress: Callable[[str], Any] | None = print) -> list[Path]:
    """Execute every notebook and write self-contained HTML reports plus an index.

    Parameters
    ----------
    out : path, default ``"reports"``
        Output folder. Only files listed in its manifest (written by an earlier build) are
        replaced or removed, and only when every notebook succeeded; see
        :mod:`babaresearch.reportdir`.
    live : bool, default False
        Update every ticker's prices from yfinance first (failures fall back to the data held
        and are stated on every page), then run the notebooks on the snapshot and cache
        (``source="auto"``) instead of the embedded snapshot alone.
    show_code : bool, default False
        Include the code cells (one parameters cell, with the values used); by default a
        report shows narrative, tables and figures only.
    no_input : bool, optional
        Older spelling: ``no_input=True`` is ``show_code=False`` and the reverse.
    docs : path, optional
        Folder of article documents, passed to the notebooks as ``docs_dir``. Defaults to the
        ``BABARESEARCH_DOCS`` environment variable. A folder that is given but missing,
        unreadable or without documents is an error.
    timeout : float, default 600
        Time budget of each notebook in seconds.
    notebooks : path or iterable of paths, optional
        A folder of ``py:percent`` notebooks (``*.py``, run in name order) or explicit files.
        Defaults to :func:`babaresearch.resources.notebooks_dir`.
    parameters : mapping, optional
        Extra or overriding notebook parameters (``tickers``, ``benchmark``, ``windows``,
        ``as_of``...). ``source``, ``docs_dir`` and ``as_of`` are always injected.
    force : bool, default False
        Write into a non-empty folder that has no babaresearch manifest (its own files are
        left alone; a file with a report's name is still refused).
    progress : callable, default ``print``
        Receives one line per notebook, e.g. ``"[2/5] 02_claims_ledger ... ok (12.3 s)"``,
        and one short line when live prices fell back; ``None`` silences it.

    Returns
    -------
    list of Path
        The report files in ``out`` in notebook order, then ``out/index.html``.

    Raises
    ------
    ReportError
        A notebook failed (the message names the notebook, the cell index, the cell's first
        line and the exception), timed out, or rendered with an external resource; or another
        build holds the folder. The previous reports are left untouched.
    ReportInterruptedError
        Ctrl-C; the kernel is stopped and the previous reports are left untouched.
    OutputFileError
        ``out`` cannot be created, is a non-empty folder without a manifest (and ``force`` is
        off), or holds a file of a report's name that babaresearch did not write.
    DocumentError
        ``docs`` (or ``$BABARESEARCH_DOCS``) is not a readable folder of documents.
    """
    import jupytext

    from . import __version__
    from .reportdir import open_report_folder
    from .resources import snapshot_hash

    say = progress if progress is not None else (lambda line: None)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ReportError(f"report timeout must be a positive number of seconds, got {timeout!r}")
    if no_input is not None:
        show_code = not no_input
    out = Path(out).expanduser().resolve()
    paths = _notebook_paths(notebooks)
    source = "auto" if live else "snapshot"
    injected: dict[str, Any] = {"source": source, "docs_dir": _resolve_docs(docs)}
    injected.update(dict(parameters or {}))
    parameters_source(injected)  # reject bad parameters before starting any kernel
    names = [f"{path.stem}.html" for path in paths] + [INDEX_NAME]
    rendered: list[_Rendered] = []
    current: dict[str, str | None] = {"notebook": None}
    try:
        with open_report_folder(out, names, force=force, version=__version__, say=say) as folder:
            vintages = price_vintages(str(injected["source"]), fetch=live)
            if injected.get("as_of") is None:
                # live: no end date, so the notebooks use every session held and fetch nothing
                # again; the stamp shows the last session actually in the data
                injected["as_of"] = None if live else _default_as_of(str(injected["source"]))
            stamp_as_of = injected["as_of"] or max(item.last_session for item in vintages)
            injected["as_of"] = _literal(injected["as_of"])
            stamp = Stamp(version=__version__, snapshot=snapshot_hash(), as_of=str(stamp_as_of),
                          source=str(injected["source"]), vintages=vintages)
            if stamp.notice():
                say(stamp.notice())
            exporter = _exporter(not show_code)
            with tempfile.TemporaryDirectory(prefix="babaresearch-kernel-") as scratch:
                for number, path in enumerate(paths, start=1):
                    stem = current["notebook"] = path.stem
                    started = time.monotonic()
                    head = f"[{number}/{len(paths)}] {stem} ..."
                    try:
                        nb = _read_notebook(jupytext, path, stem)
                        inject_parameters(nb, injected)
                        _add_setup_cell(nb)
                        _execute(nb, name=stem, timeout=timeout, cwd=Path(scratch))
                        _remove_setup_cell(nb)
                        _render_parameters_once(nb)
                        page = _render_html(nb, stem=stem, stamp=stamp, exporter=exporter)
                    except ReportInterruptedError:
                        raise
                    except ReportError:
                        say(f"{head} FAILED ({time.monotonic() - started:.1f} s)")
                        raise
                    (folder.staging / f"{stem}.html").write_text(page, encoding="utf-8")
                    seconds = time.monotonic() - started
                    rendered.append(_Rendered(stem, _title(nb, stem), seconds))
                    say(f"{head} ok ({seconds:.1f} s)")
            current["notebook"] = None
            (folder.staging / INDEX_NAME).write_text(_index_html(rendered, stamp), encoding="utf-8")
            folder.commit([f"{item.stem}.html" for item in rendered] + [INDEX_NAME])
    except (ReportInterruptedError, KeyboardInterrupt):
        raise ReportInterruptedError(out, notebook=current["notebook"]) from None
    return [out / f"{item.stem}.html" for item in rendered] + [out / INDEX_NAME]


def _add_setup_cell(nb) -> None:
    """Put the figure set-up cell (:data:`SETUP_SOURCE`) first."""
    import nbformat

    cell = nbformat.v4.new_code_cell(SETUP_SOURCE)
    cell.metadata["tags"] = [SETUP_TAG]
    nb.cells.insert(0, cell)


def _remove_setup_cell(nb) -> None:
    nb.cells = [cell for cell in nb.cells
                if SETUP_TAG not in cell.get("metadata", {}).get("tags", [])]


def _read_notebook(jupytext, path: Path, stem: str):
    try:
        nb = jupytext.read(path)
    except Exception as error:  # jupytext raises assorted parse errors
        raise ReportError(f"notebook {stem}: cannot be read as a jupytext notebook ({path}): "
                          f"{error}") from None
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "language": "python",
                                 "display_name": "Python 3 (ipykernel)"}
    return nb
