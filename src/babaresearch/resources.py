"""Where the embedded data and notebooks live.

A wheel carries the top-level ``data/`` and ``notebooks/`` folders inside the package as
``_data`` and ``_notebooks``; an editable install or a source checkout reads them from the
repository root. ``BABARESEARCH_DATA`` overrides the data folder (used by tests with fixtures).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from .errors import DataFileError

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE_DIR.parent.parent

DATA_ENV = "BABARESEARCH_DATA"


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise DataFileError(candidates[0], "embedded folder not found (is the package installed whole?)")


def data_dir() -> Path:
    """Folder holding the embedded snapshot (``prices/*.csv``, ``earnings.csv``, ``events.csv``)."""
    override = os.environ.get(DATA_ENV)
    if override:
        return _first_existing(Path(override))
    return _first_existing(_PACKAGE_DIR / "_data", _REPO_ROOT / "data")


def notebooks_dir() -> Path:
    """Folder holding the jupytext ``py:percent`` notebooks."""
    return _first_existing(_PACKAGE_DIR / "_notebooks", _REPO_ROOT / "notebooks")


#: Permissions of a file the library writes (rw-r--r--): data files are readable by all.
FILE_MODE = 0o644


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder.

    Readers see either the old file or the new one, never a half-written file: the text is
    flushed and fsynced, then moved over ``path`` with ``os.replace``. On any failure the
    temporary file is removed and the old file is left untouched. The file is made 0644
    (``mkstemp`` would leave it private). Returns ``path``.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, FILE_MODE)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def read_text_csv(path: str | os.PathLike, what: str):
    """Read a small data CSV with every cell as text ("" for empty), for typed parsing after.

    Raises :class:`DataFileError` naming the file and ``what`` it should hold when it is
    missing or unreadable; the caller checks columns and values (with line numbers).
    """
    import pandas as pd

    source = Path(path)
    try:
        return pd.read_csv(source, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataFileError(source, f"{what} not found") from None
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise DataFileError(source, f"cannot read {what}: {exc}") from None


def resource(*parts: str) -> Path:
    """Path of a file inside :func:`data_dir`, e.g. ``resource("prices", "BABA.csv")``."""
    return data_dir().joinpath(*parts)


@lru_cache(maxsize=8)
def _hash_files(root: str, files: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _mtime, _size in files:
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update((Path(root) / name).read_bytes())
    return digest.hexdigest()


def snapshot_hash(short: bool = True) -> str:
    """SHA-256 over every CSV of the embedded snapshot (names and bytes), 12 hex digits if short.

    Cached on the files' names, sizes and modification times, so an edited file is re-hashed.
    """
    root = data_dir()
    files = tuple(
        (path.relative_to(root).as_posix(), path.stat().st_mtime_ns, path.stat().st_size)
        for path in sorted(root.rglob("*.csv"))
    )
    full = _hash_files(str(root), files)
    return full[:12] if short else full
