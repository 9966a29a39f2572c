"""Reports are safe to build and safe to open (issue 11 items 3 and 6, issue 10 "Output is safe").

* hostile document file names never become live markup in any of the five reports;
* the reports folder is updated crash-safely (a process killed between two renames leaves a
  journal the next build rolls forward; killed before the commit point, the old set is intact);
* builds into one folder are serialised; Ctrl-C stops cleanly with the old reports intact;
* a manifest records what babaresearch wrote: foreign folders are refused without --force and
  foreign files are never deleted or overwritten;
* ``--docs`` that is not a readable folder of documents is a one-line error (exit 2);
* ``--live`` without network: the stamps say which tickers fell back and to which session.

Most tests replace notebook execution by a no-op (``report._execute``): they check the folder
handling, not the notebooks. The hostile-names test and the live test run the real notebooks.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

import babaresearch.report as report
import babaresearch.reportdir as reportdir
from babaresearch.cli import main as cli_main
from babaresearch.errors import (DocumentError, LiveDataError, OutputFileError, ReportError,
                                 ReportInterruptedError)
from babaresearch.report import build_reports

HEADER = """\
# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
# ---
"""
QUICK = HEADER + '''
# %% [markdown]
# # Quick report

# %% tags=["parameters"]
source = "snapshot"
docs_dir = None
as_of = None

# %%
print("quick ran", as_of)
'''
SECOND = HEADER + '''
# %% [markdown]
# # Second report

# %%
print("second ran")
'''
SLEEPING = HEADER + '''
# %% [markdown]
# # Sleeping report

# %%
import time
time.sleep(120)
'''

#: Hostile document names (issue 11.3) and a hostile "title" line inside a document.
HOSTILE_NAMES = ["<img src=x onerror=alert(1)>", "[x](javascript:alert(2))"]
# Our own synthetic articles (never third-party text): each makes price claims about BABA's
# 2025-08-29 move that the scorecard contradicts, so the names reach the findings sentences.
HOSTILE_TEXTS = [
    "<b onmouseover=alert(3)>Alibaba</b> reported its June quarter results on Friday, August 29, "
    "2025. Alibaba shares jumped about 30% on Friday to about $150. Cloud revenue grew 26% in "
    "the June quarter.\n",
    "[Alibaba](javascript:alert(4)) reported Q1 earnings on Friday, August 29, 2025. Alibaba "
    "stock rose about 2% on Friday.\n",
]


def write_notebooks(folder: Path, **sources: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, source in sources.items():
        (folder / f"{stem}.py").write_text(source, encoding="utf-8")
    return folder


def snapshot_of(folder: Path) -> dict[str, bytes]:
    """Every visible file of a folder (not the hidden state) and its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())
            if path.is_file() and not path.name.startswith(".")}


def staging_left(out: Path) -> list[str]:
    state = out / reportdir.STATE_DIR_NAME
    return sorted(p.name for p in state.iterdir() if p.name.startswith(reportdir.STAGING_PREFIX)) \
        if state.is_dir() else []


@pytest.fixture
def no_kernels(monkeypatch):
    """Skip notebook execution: these tests check the folder handling."""
    monkeypatch.setattr(report, "_execute", lambda nb, **kw: nb)


def as_of_in(page: bytes) -> str:
    return re.search(rb'id="babaresearch-stamp">.*? as of (\d{4}-\d{2}-\d{2})', page).group(1).decode()


# ------------------------------------------------------------------ hostile names (issue 11.3)

class _LiveMarkup(HTMLParser):
    """Event-handler attributes, javascript: URLs and text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            compact = (value or "").replace(" ", "").replace("\t", "").lower()
            if name.lower().startswith("on") or compact.startswith("javascript:"):
                self.live.append(f"<{tag} {name}={value!r}>")
            if tag == "img" and (value or "") == "x":
                self.live.append(f"<img {name}=x>")

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.slow
def test_hostile_file_names_and_titles_never_become_markup_in_any_report(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in zip(HOSTILE_NAMES, HOSTILE_TEXTS):
        (docs / f"{name}.txt").write_text(text, encoding="utf-8")
    paths = build_reports(tmp_path / "out", docs=docs, progress=None, timeout=300)
    assert [p.name for p in paths][-1] == "index.html" and len(paths) == 6
    shown_anywhere = set()
    for path in paths:
        parser = _LiveMarkup()
        parser.feed(path.read_text(encoding="utf-8"))
        assert parser.live == [], f"{path.name}: document text became live markup: {parser.live}"
        text = "".join(parser.text)
        shown_anywhere |= {name for name in HOSTILE_NAMES if name in text}
        assert "alert(3)>Alibaba" not in path.read_text(encoding="utf-8"), path.name
    # the names reached the pages (as text): the check above is not vacuous
    assert shown_anywhere == set(HOSTILE_NAMES), f"hostile ids shown as text: {shown_anywhere}"
    scorecard = "".join(_text_of(tmp_path / "out" / "05_scorecard.html"))
    assert "Contradicted" in scorecard and "(<img src=x onerror=alert(1)>)" in scorecard, \
        "the findings must name the document of each contradicted claim, as plain text"


def _text_of(path: Path) -> list[str]:
    parser = _LiveMarkup()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.text


# ------------------------------------------------------------------ crash-safe commit (11.6)

CHILD = textwrap.dedent('''
    import os, sys
    import babaresearch.report as report
    import babaresearch.reportdir as rd

    out, notebooks, mode, as_of = sys.argv[1:5]
    if mode != "real":
        report._execute = lambda nb, **kw: nb
    if mode.startswith("kill-after-renames-"):
        allowed, moved, real = int(mode.rsplit("-", 1)[1]), [0], rd._replace
        def dying(source, target):
            if rd.STAGING_PREFIX in str(source):
                if moved[0] == allowed:
                    os._exit(137)  # a kill -9: no finally block, no clean-up runs
                moved[0] += 1
            return real(source, target)
        rd._replace = dying
    elif mode == "kill-before-commit":
        real_write = rd._write_json_atomic
        def dying_write(path, data):
            if path.name == rd.JOURNAL_NAME:
                os._exit(137)
            return real_write(path, data)
        rd._write_json_atomic = dying_write
    elif mode == "slow":
        import time
        real_render = report._render_html
        def slow_render(*args, **kwargs):
            time.sleep(0.6)
            return real_render(*args, **kwargs)
        report._render_html = slow_render
    try:
        paths = report.build_reports(out, notebooks=notebooks, parameters={"as_of": as_of},
                                     progress=lambda line: print(line, flush=True))
    except report.ReportInterruptedError as error:
        print("INTERRUPTED", error, flush=True)
        sys.exit(130)
    print("built", len(paths), flush=True)
''')


def run_child(out: Path, notebooks: Path, mode: str, as_of: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(out), str(notebooks), mode, as_of],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


@pytest.fixture
def old_set(tmp_path, no_kernels):
    """A reports folder holding a complete old set (as of 2025-01-02) of three files."""
    notebooks = write_notebooks(tmp_path / "nbs", **{"01_quick": QUICK, "02_second": SECOND})
    out = tmp_path / "out"
    build_reports(out, notebooks=notebooks, parameters={"as_of": "2025-01-02"}, progress=None)
    return out, notebooks, snapshot_of(out)


def test_kill_between_renames_is_rolled_forward_to_exactly_the_new_set(old_set, tmp_path):
    out, notebooks, old = old_set
    (notebooks / "02_second.py").unlink()  # the new set drops a report: it must go too
    child = run_child(out, notebooks, "kill-after-renames-1", "2025-03-04")
    child.communicate(timeout=120)
    assert child.returncode == 137, "the child must die between the first and second rename"
    # the crash left a half-moved set, and a journal that names the complete new one
    journal = json.loads((out / ".babaresearch" / "journal.json").read_text(encoding="utf-8"))
    assert journal["files"] == ["01_quick.html", "index.html"] and journal["remove"] == ["02_second.html"]
    assert as_of_in((out / "01_quick.html").read_bytes()) == "2025-03-04", "first rename happened"
    assert (out / "index.html").read_bytes() == old["index.html"], "second rename did not"
    # findable: the next build (or recover) completes the update before doing anything else
    assert reportdir.recover(out) is True
    after = snapshot_of(out)
    assert sorted(after) == ["01_quick.html", "index.html"], f"exactly the new set: {sorted(after)}"
    assert {as_of_in(page) for page in after.values()} == {"2025-03-04"}
    assert reportdir.manifest_files(out) == ["01_quick.html", "index.html"]
    assert not (out / ".babaresearch" / "journal.json").exists() and staging_left(out) == []


def test_kill_before_the_commit_point_leaves_the_old_set(old_set):
    out, notebooks, old = old_set
    child = run_child(out, notebooks, "kill-before-commit", "2025-03-04")
    child.communicate(timeout=120)
    assert child.returncode == 137
    assert snapshot_of(out) == old, "before the journal is written the old set must be untouched"
    assert staging_left(out), "the killed build's staging folder is left (cleaned next time)"
    build_reports(out, notebooks=notebooks, parameters={"as_of": "2025-05-06"}, progress=None)
    assert staging_left(out) == [], "the next build removes a dead build's staging folder"
    assert {as_of_in(page) for page in snapshot_of(out).values()} == {"2025-05-06"}


def test_a_second_build_of_the_same_folder_waits_for_the_first(old_set):
    out, notebooks, _ = old_set
    first = run_child(out, notebooks, "slow", "2025-03-04")
    time.sleep(0.3)
    second = run_child(out, notebooks, "slow", "2025-04-05")
    results = [child.communicate(timeout=180) for child in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], results
    assert any("waiting for another babaresearch build" in stdout for stdout, _ in results), \
        f"one build must have waited for the other's lock: {results}"
    final = snapshot_of(out)
    assert sorted(final) == ["01_quick.html", "02_second.html", "index.html"]
    assert len({as_of_in(page) for page in final.values()}) == 1, "one complete set, not a mix"
    assert staging_left(out) == []


def kernel_of(parent: int, timeout: float = 60) -> int:
    """Pid of the kernel process ``parent`` started (Linux /proc), once it has run 1 s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                if ppid == parent and b"ipykernel_launcher" in (entry / "cmdline").read_bytes():
                    time.sleep(1.0)
                    return int(entry.name)
            except (OSError, IndexError, ValueError):
                continue
        time.sleep(0.2)
    pytest.fail("no kernel started for the second notebook")


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting to be reaped is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc to find the kernel")
def test_ctrl_c_stops_cleanly_and_keeps_the_previous_reports(old_set):
    out, notebooks, old = old_set
    (notebooks / "02_second.py").write_text(SLEEPING, encoding="utf-8")
    child = run_child(out, notebooks, "real", "2025-03-04", start_new_session=True)
    first = child.stdout.readline()
    assert first.startswith("[1/2] 01_quick ... ok"), first + child.stderr.read()
    kernel = kernel_of(child.pid)  # the second notebook's kernel is up and sleeping
    os.killpg(child.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    stdout, stderr = child.communicate(timeout=60)
    assert child.returncode == 130, (stdout, stderr)
    assert "INTERRUPTED report build interrupted during notebook 02_second" in stdout, stdout
    assert "Traceback" not in stderr and "AssertionError" not in stderr, stderr
    assert snapshot_of(out) == old, "Ctrl-C must leave the previous reports untouched"
    assert staging_left(out) == []
    deadline = time.monotonic() + 10
    while running(kernel) and time.monotonic() < deadline:
        time.sleep(0.2)
    if running(kernel):
        pytest.fail("the kernel process outlived the interrupted build")


def test_cli_reports_an_interrupted_build_in_one_line(monkeypatch, capsys):
    def interrupted(out, **kwargs):
        raise ReportInterruptedError(out, notebook="03_the_13pct_move")

    monkeypatch.setattr(report, "build_reports", interrupted)
    assert cli_main(["report", "--out", "somewhere"]) == 130
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("babaresearch: interrupted: report build "
                                                   "interrupted during notebook 03_the_13pct_move")


# ------------------------------------------------------------------ manifest (issue 10)

def test_a_foreign_non_empty_folder_is_refused_without_force(tmp_path, no_kernels, capsys):
    out = tmp_path / "project"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert cli_main(["report", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "holds no babaresearch manifest" in err and "--force" in err, err
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"], "a refused build writes nothing"
    assert cli_main(["report", "--out", str(out), "--force"]) == 0
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert "notes.txt" in names and "index.html" in names and len(names) == 7, names
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    # with a manifest the folder is babaresearch's: the next build needs no --force and still
    # leaves the user's file alone
    assert cli_main(["report", "--out", str(out)]) == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert "notes.txt" not in reportdir.manifest_files(out)


def test_files_it_did_not_write_are_never_deleted_or_overwritten(old_set, tmp_path):
    out, notebooks, _ = old_set
    (out / "my-notes.html").write_text("user file", encoding="utf-8")
    (notebooks / "02_second.py").unlink()
    build_reports(out, notebooks=notebooks, progress=None)
    assert (out / "my-notes.html").read_text(encoding="utf-8") == "user file"
    assert not (out / "02_second.html").exists(), "a report babaresearch wrote before is removed"
    (out / "02_second.html").write_text("user's own page", encoding="utf-8")
    write_notebooks(notebooks, **{"02_second": SECOND})
    with pytest.raises(OutputFileError, match="02_second.html: exists and was not written by "
                                              "babaresearch"):
        build_reports(out, notebooks=notebooks, progress=None, force=True)
    assert (out / "02_second.html").read_text(encoding="utf-8") == "user's own page"


def test_a_folder_from_an_older_version_is_adopted(tmp_path, no_kernels):
    out = tmp_path / "reports"
    out.mkdir()
    stamped = '<html><head><meta name="babaresearch-version" content="0.0.9"></head></html>'
    (out / "index.html").write_text(stamped, encoding="utf-8")
    (out / "99_retired.html").write_text(stamped, encoding="utf-8")
    notebooks = write_notebooks(tmp_path / "nbs", **{"01_quick": QUICK})
    build_reports(out, notebooks=notebooks, progress=None)
    assert sorted(snapshot_of(out)) == ["01_quick.html", "index.html"], \
        "stamped pages of an older build are babaresearch's own and are replaced"


def test_a_failed_first_build_leaves_no_folder(tmp_path, monkeypatch):
    def failing(nb, *, name, **kwargs):
        raise ReportError(f"notebook {name}: cell 1 failed: synthetic")

    monkeypatch.setattr(report, "_execute", failing)
    notebooks = write_notebooks(tmp_path / "nbs", **{"01_quick": QUICK})
    with pytest.raises(ReportError, match="synthetic"):
        build_reports(tmp_path / "new", notebooks=notebooks, progress=None)
    assert not (tmp_path / "new").exists()


def test_out_below_a_file_is_one_line(tmp_path, capsys):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert cli_main(["report", "--out", str(tmp_path / "file" / "reports")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a file" in err, err


# ------------------------------------------------------------------ --docs (issue 10)

@pytest.mark.parametrize("make, message", [
    (lambda root: root / "typo", "not found"),
    (lambda root: (root / "a.txt").write_text("x") and root / "a.txt", "is not a folder"),
    (lambda root: (root / "empty").mkdir() or root / "empty", "no documents"),
])
def test_docs_that_is_not_a_folder_of_documents_is_one_line_exit_2(tmp_path, capsys, monkeypatch,
                                                                  make, message):
    monkeypatch.setattr(report, "_execute", lambda nb, **kw: pytest.fail("no kernel may start"))
    docs = make(tmp_path)
    assert cli_main(["report", "--out", str(tmp_path / "out"), "--docs", str(docs)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and str(docs) in err, err
    assert not (tmp_path / "out").exists()


def test_docs_from_the_environment_is_checked_too(tmp_path, monkeypatch):
    monkeypatch.setenv("BABARESEARCH_DOCS", str(tmp_path / "gone"))
    with pytest.raises(DocumentError, match=r"\$BABARESEARCH_DOCS.*gone not found"):
        build_reports(tmp_path / "out", progress=None)


# ------------------------------------------------------------------ --live offline (issue 10)

def offline(monkeypatch):
    """Every live fetch fails as it does without network."""
    import babaresearch.prices as prices

    def unreachable(tickers, start=None, end=None, **kwargs):
        error = LiveDataError(f"{tickers}: live fetch {start} failed: network unreachable: could "
                              "not resolve the Yahoo host", tickers)
        error.reason = "network unreachable: could not resolve the Yahoo host"
        raise error

    monkeypatch.setattr(prices, "fetch_live", unreachable)


def test_live_without_network_stamps_each_ticker_and_gives_one_notice(tmp_path, monkeypatch,
                                                                      no_kernels):
    offline(monkeypatch)
    notebooks = write_notebooks(tmp_path / "nbs", **{"01_quick": QUICK, "02_second": SECOND})
    lines: list[str] = []
    paths = build_reports(tmp_path / "out", notebooks=notebooks, live=True, progress=lines.append)
    notices = [line for line in lines if not line.startswith("[")]
    assert len(notices) == 1 and "network unreachable" in notices[0], lines
    from babaresearch.prices import snapshot_info

    last = {row.ticker: f"{row.last_session:%Y-%m-%d}" for row in snapshot_info().itertuples()}
    for path in paths:
        page = path.read_text(encoding="utf-8")
        assert page.count('id="babaresearch-notice"') == 1, f"{path.name}: one notice per page"
        stamp = re.search(r'id="babaresearch-stamp">(.*?)</div>', page).group(1)
        fallback = stamp.split("live fetch failed, using: ")[1]
        runs = re.findall(r"((?:[A-Z]+, )*[A-Z]+) snapshot to (\d{4}-\d{2}-\d{2})", fallback)
        shown = {ticker: session for tickers, session in runs for ticker in tickers.split(", ")}
        assert shown == last, f"{path.name}: every ticker fell back to its own last session"
        for ticker, session in last.items():
            assert f"{ticker}=fallback:{session}" in page, f"{path.name}: {ticker} vintage"
        assert "/tmp/" not in page.split('id="babaresearch-notice"')[1][:400], "no temp paths"
    assert as_of_in(paths[0].read_bytes()) == max(last.values()), \
        "the stamp's as-of is the last session in the data, never today's date"


@pytest.mark.slow
def test_live_without_network_real_reports_show_no_stderr(tmp_path, monkeypatch):
    offline(monkeypatch)
    paths = build_reports(tmp_path / "out", live=True, progress=None, timeout=300)
    for path in paths[:-1]:
        page = path.read_text(encoding="utf-8")
        assert 'data-mime-type="application/vnd.jupyter.stderr"' not in page, f"{path.name} shows stderr"
        assert "yfinance" not in page.lower() or "babaresearch-notice" in page
        assert page.count('id="babaresearch-notice"') == 1, path.name
