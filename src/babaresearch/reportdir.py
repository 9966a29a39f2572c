"""The reports folder: what babaresearch wrote there, one build at a time, crash-safe updates.

``build_reports`` writes its pages into a folder the user names (``reports/`` by default, maybe
``.`` or a folder holding other files). This module keeps three promises about that folder:

* **Only its own files.** A manifest (``<out>/.babaresearch/manifest.json``) lists the files a
  build wrote. A later build replaces or removes only files listed there; a file it did not
  write is never deleted or overwritten. A non-empty folder without a manifest is refused
  (:class:`~babaresearch.errors.OutputFileError`) unless ``force=True``, and even then only new
  names are added beside the folder's own files. A folder written by an older babaresearch (only
  ``*.html`` pages stamped with ``babaresearch-version``) is adopted as babaresearch's own.
* **One build at a time.** Builds into one folder are serialised by a lock file
  (``<out>/.babaresearch/build.lock``, :mod:`filelock`); a second build waits for the first.
* **Old set or new set, never a mix that nobody can repair.** The new pages are rendered into a
  staging folder inside ``<out>/.babaresearch/``. When all are there, one atomic write of a
  journal (``journal.json``: the staging folder, the new files, the old files to remove) is the
  commit point; then the files are moved into place and the manifest rewritten. A crash before
  the commit point leaves the old set untouched (the stale staging folder is removed by the next
  build); a crash after it leaves a journal that the next build (or :func:`recover`) rolls
  forward to exactly the new set. Ctrl-C during the commit is deferred until it is done.

Everything here is standard library plus :mod:`filelock`.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import shutil
import signal
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import OutputFileError, ReportError

#: Hidden folder inside the reports folder holding the manifest, the lock and staging folders.
STATE_DIR_NAME = ".babaresearch"
#: The list of files a build wrote (JSON: ``{"format", "files", "written", "version"}``).
MANIFEST_NAME = "manifest.json"
#: Written atomically when a new set is complete: the commit point of an update.
JOURNAL_NAME = "journal.json"
#: The lock file serialising builds into one folder.
LOCK_NAME = "build.lock"
#: Prefix of the staging folders (inside the state folder) a build renders into.
STAGING_PREFIX = "staging-"
#: Version of the manifest and journal layout.
FORMAT = 1
#: Seconds to wait silently for another build's lock before saying so.
LOCK_NOTICE_AFTER_S = 0.5
#: Meta tag that marks a page written by babaresearch (older versions had no manifest).
_STAMP_MARK = 'name="babaresearch-version"'
_SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")

#: The rename used to move files into place (a module attribute so crash tests can stop a
#: process between two renames).
_replace = os.replace


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------

def _fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename is durable only then); a no-op where unsupported."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as JSON to ``path`` in one atomic step (temp file, fsync, rename)."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    _replace(temporary, path)
    _fsync_dir(path.parent)


def _check_names(names: Iterable[object], where: Path) -> list[str]:
    """Plain file names only (no folders, no ``..``, no hidden files): a journal or manifest
    edited by hand must not make a build touch anything outside the reports folder."""
    checked = []
    for name in names:
        if not isinstance(name, str) or not _SAFE_NAME.fullmatch(name) or name in (".", ".."):
            raise ReportError(f"{where}: {name!r} is not a report file name; remove the file "
                              "(babaresearch will not touch paths it does not recognise)")
        checked.append(name)
    return checked


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else f"not JSON ({exc})"
        raise ReportError(f"{path}: cannot be read: {reason}; remove it if no build is "
                          "running") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ReportError(f"{path}: not a babaresearch {path.stem} (format {FORMAT})")
    return data


@contextlib.contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Hold Ctrl-C until the block is done (then raise it), so a commit is never cut short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


# --------------------------------------------------------------------------------------------
# manifest and recovery
# --------------------------------------------------------------------------------------------

def state_dir(out: str | os.PathLike) -> Path:
    """The hidden state folder of a reports folder."""
    return Path(out) / STATE_DIR_NAME


def manifest_files(out: str | os.PathLike) -> list[str] | None:
    """The files the last completed build wrote into ``out``, or None without a manifest.

    Raises
    ------
    ReportError
        The manifest exists but is unreadable or malformed (names the file).
    """
    path = state_dir(out) / MANIFEST_NAME
    if not path.exists():
        return None
    data = _read_json(path)
    return _check_names(data.get("files", []), path)


def _apply(out: Path, journal: dict[str, Any], journal_path: Path) -> None:
    """Move a committed set into place, remove the old files it replaces, write the manifest.

    Idempotent: running it again after a crash at any point finishes the same update.
    """
    state = state_dir(out)
    files = _check_names(journal.get("files", []), journal_path)
    remove = _check_names(journal.get("remove", []), journal_path)
    staging = state / _check_names([journal.get("staging")], journal_path)[0]
    for name in files:
        source = staging / name
        if source.exists():
            _replace(source, out / name)
        elif not (out / name).exists():
            raise ReportError(f"{journal_path}: {name} is neither in {staging} nor in {out}; "
                              "the interrupted update cannot be completed (rebuild the reports)")
    for name in remove:
        target = out / name
        if target.is_file() or target.is_symlink():
            target.unlink()
    _fsync_dir(out)
    _write_json_atomic(state / MANIFEST_NAME, {
        "format": FORMAT, "files": files, "written": journal.get("written"),
        "version": journal.get("version")})
    journal_path.unlink()
    shutil.rmtree(staging, ignore_errors=True)


def recover(out: str | os.PathLike) -> bool:
    """Finish an update a crashed build committed but did not complete. Call under the lock.

    Parameters
    ----------
    out : path
        The reports folder.

    Returns
    -------
    bool
        True when an interrupted update was rolled forward.
    """
    journal_path = state_dir(out) / JOURNAL_NAME
    if not journal_path.exists():
        return False
    _apply(Path(out), _read_json(journal_path), journal_path)
    return True


def _clean_stale(out: Path) -> list[str]:
    """Remove staging folders and temporary files a killed build left (call under the lock)."""
    removed = []
    state = state_dir(out)
    if not state.is_dir():
        return removed
    for entry in state.iterdir():
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
        elif entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file():
            entry.unlink(missing_ok=True)
            removed.append(entry.name)
    return removed


def _legacy_pages(out: Path, entries: list[Path]) -> list[str] | None:
    """Names of a folder written by an older babaresearch (stamped pages only), else None."""
    if not entries:
        return None
    for entry in entries:
        if not (entry.is_file() and entry.suffix == ".html" and _SAFE_NAME.fullmatch(entry.name)):
            return None
        try:
            with open(entry, encoding="utf-8", errors="replace") as handle:
                if _STAMP_MARK not in handle.read():
                    return None
        except OSError:
            return None
    return sorted(entry.name for entry in entries)


# --------------------------------------------------------------------------------------------
# the folder of one build
# --------------------------------------------------------------------------------------------

@dataclass
class ReportFolder:
    """A locked reports folder during one build: render into :attr:`staging`, then
    :meth:`commit`. Use :func:`open_report_folder`."""

    out: Path
    staging: Path
    owned: list[str]
    foreign: list[str]
    version: str
    recovered: bool = False
    committed: list[str] = field(default_factory=list)

    def commit(self, files: list[str]) -> None:
        """Make the files in :attr:`staging` the folder's report set (crash-safe, see module).

        Parameters
        ----------
        files : list of str
            Names of the files in the staging folder, all of them, in display order.
        """
        files = _check_names(files, self.staging)
        missing = [name for name in files if not (self.staging / name).is_file()]
        if missing:
            raise ReportError(f"report files missing from the staging folder: {missing}")
        state = state_dir(self.out)
        journal = {"format": FORMAT, "staging": self.staging.name, "files": files,
                   "remove": sorted(set(self.owned) - set(files)),
                   "written": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                   "version": self.version}
        journal_path = state / JOURNAL_NAME
        with _sigint_deferred():
            for name in files:  # the pages' bytes are on disk before the commit point
                with open(self.staging / name, "rb") as handle:
                    os.fsync(handle.fileno())
            _fsync_dir(self.staging)
            _write_json_atomic(journal_path, journal)  # commit point
            _apply(self.out, journal, journal_path)
        self.committed = files


def _prepare(out: Path) -> tuple[bool, bool]:
    """Create ``out`` and its state folder; whether each did not exist before."""
    if out.exists() and not out.is_dir():
        raise ReportError(f"report output {out} exists and is not a folder")
    created = not out.exists()
    state_created = not state_dir(out).exists()
    for parent in (out, *out.parents):
        if parent.exists():
            if not parent.is_dir():
                raise OutputFileError(out, f"cannot create the reports folder: {parent} is a file")
            break
    try:
        state_dir(out).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputFileError(out, f"cannot create the reports folder: "
                                   f"{exc.strerror or exc}") from None
    return created, state_created


def _ownership(out: Path, names: list[str], force: bool) -> tuple[list[str], list[str]]:
    """(files babaresearch wrote here before, other entries of the folder); refuses a foreign
    non-empty folder without ``force`` and any name collision with a file it did not write."""
    try:
        entries = [entry for entry in out.iterdir() if entry.name != STATE_DIR_NAME]
    except OSError as exc:
        raise OutputFileError(out, f"cannot read the reports folder: {exc.strerror or exc}") from None
    owned = manifest_files(out)
    if owned is None:
        owned = _legacy_pages(out, entries)
    if owned is None:
        owned = []
        if entries and not force:
            raise OutputFileError(out, f"folder is not empty ({len(entries)} entries) and holds "
                                       "no babaresearch manifest: refusing to write reports "
                                       "there (pass --force / force=True to add them beside "
                                       "its files; nothing is ever deleted)")
    foreign = sorted(entry.name for entry in entries if entry.name not in set(owned))
    clash = sorted(set(names) & set(foreign))
    if clash:
        raise OutputFileError(out / clash[0], "exists and was not written by babaresearch: "
                                              "refusing to overwrite it (move it away or "
                                              "choose another --out)")
    return owned, foreign


@contextlib.contextmanager
def open_report_folder(out: str | os.PathLike, names: list[str], *, force: bool = False,
                       version: str = "", say: Callable[[str], Any] = lambda line: None,
                       lock_timeout: float = -1) -> Iterator[ReportFolder]:
    """Lock ``out``, finish any interrupted update, check it may hold ``names``, stage a build.

    Parameters
    ----------
    out : path
        The reports folder (created when missing; removed again if the build fails and it
        holds nothing else).
    names : list of str
        File names the build will write (checked for collisions with files it did not write).
    force : bool
        Write into a non-empty folder that has no manifest (its files are left alone).
    version : str
        Library version recorded in the manifest.
    say : callable
        Receives a line when the build waits for another one or completes an interrupted one.
    lock_timeout : float
        Seconds to wait for another build's lock; negative waits for ever.

    Yields
    ------
    ReportFolder
        Render into ``.staging``, then call ``.commit(files)``. Leaving the block without a
        commit (an error, Ctrl-C) leaves the previous reports as they were.

    Raises
    ------
    OutputFileError
        ``out`` cannot be created or read, is a foreign non-empty folder (without ``force``),
        or holds a file of one of ``names`` that babaresearch did not write.
    ReportError
        ``out`` is a file, the lock was not obtained in ``lock_timeout``, or the manifest or
        journal is unreadable.
    """
    from filelock import FileLock, Timeout

    out = Path(out)
    names = _check_names(names, out)
    created, state_created = _prepare(out)
    lock = FileLock(str(state_dir(out) / LOCK_NAME))
    try:
        lock.acquire(timeout=min(LOCK_NOTICE_AFTER_S, lock_timeout) if lock_timeout >= 0
                     else LOCK_NOTICE_AFTER_S)
    except Timeout:
        say(f"waiting for another babaresearch build of {out} to finish ...")
        try:
            lock.acquire(timeout=lock_timeout)
        except Timeout:
            raise ReportError(f"another babaresearch build holds {out} (lock "
                              f"{state_dir(out) / LOCK_NAME}); gave up after "
                              f"{lock_timeout:g} s") from None
    succeeded = False
    try:
        recovered = recover(out)
        if recovered:
            say(f"completed the interrupted update of {out} left by an earlier build")
        _clean_stale(out)
        owned, foreign = _ownership(out, names, force)
        staging = state_dir(out) / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
        staging.mkdir()
        folder = ReportFolder(out=out, staging=staging, owned=owned, foreign=foreign,
                              version=version, recovered=recovered)
        try:
            yield folder
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        succeeded = bool(folder.committed)
    finally:
        lock.release()
        if state_created and not succeeded:
            _remove_idle_state(out, remove_out=created)


def _remove_idle_state(out: Path, *, remove_out: bool) -> None:
    """Undo what a build that wrote nothing created: an idle state folder (only the lock
    file), and ``out`` itself when the build created it and it is empty again."""
    state = state_dir(out)
    try:
        if {entry.name for entry in state.iterdir()} <= {LOCK_NAME}:
            shutil.rmtree(state, ignore_errors=True)
        if remove_out and not any(out.iterdir()):
            out.rmdir()
    except OSError:
        pass
