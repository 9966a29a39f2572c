"""One reader for the project's small CSV files, with one way of numbering lines.

Every data file the library reads (price bars, the provenance and repair tables, the earnings
calendar, corporate events) goes through :func:`read_table` with a :class:`Schema` that names
its columns, their kind (text, date, number) and whether a cell may be empty. The reader checks
the structure (header, one field per column on every record, UTF-8) and the types, and every
defect raises :class:`~babaresearch.errors.DataFileError` naming the file and the line.

Line numbers
------------
Physical and 1-based: the header is line 1 and a record's number is the line on which it
starts (a quoted cell that spans lines keeps the number of its record's first line). A file
whose first lines were consumed by the caller (the price cache's header line) passes
``line_offset`` so the numbers still match the file a person opens.

The reader uses the :mod:`csv` module rather than pandas: pandas pads a short row with empty
cells, which would read a truncated last row ``...,27.0,10`` as a bar with volume 10, and its
line numbers shift with quoted cells. Counting the fields of each parsed record is exact with
or without quotes.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .dates import DATE_MAX, DATE_MIN
from .errors import DataFileError

__all__ = ["Column", "Schema", "Table", "read_table", "DATE_MIN", "DATE_MAX"]

#: Column kinds a schema may declare.
KINDS: tuple[str, ...] = ("text", "date", "number")
#: What an empty cell means: ``"error"`` refuses it, ``"allow"`` keeps it as ``""`` (text),
#: NaN (number) or NaT (date).
EMPTY_POLICIES: tuple[str, ...] = ("error", "allow")
#: Blank-line policies: ``"skip"`` ignores blank lines anywhere; ``"trailing"`` allows them only
#: after the last record (a blank line inside a price file is refused with its line number).
BLANK_POLICIES: tuple[str, ...] = ("skip", "trailing")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Column:
    """One column of a :class:`Schema`.

    Parameters
    ----------
    name : str
        Column name as the caller uses it (lower case).
    kind : {"text", "date", "number"}
        ``date`` cells must be ``YYYY-MM-DD`` inside :data:`DATE_MIN`..:data:`DATE_MAX`;
        ``number`` cells must parse as finite floats.
    required : bool
        The header must contain the column (else line 1 is refused). An absent optional
        column reads as all-empty cells.
    empty : {"error", "allow"}
        Whether a cell may be empty.
    aliases : tuple of str
        Other header names accepted for the column (``split_factor`` for ``split``).
    """

    name: str
    kind: str = "text"
    required: bool = True
    empty: str = "error"
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name!r}: kind must be one of {KINDS}")
        if self.empty not in EMPTY_POLICIES:
            raise ValueError(f"column {self.name!r}: empty must be one of {EMPTY_POLICIES}")


@dataclass(frozen=True)
class Schema:
    """The columns of one kind of data file, and what the file holds (for messages)."""

    columns: tuple[Column, ...]
    what: str = "data file"
    blank_lines: str = "skip"

    def __post_init__(self) -> None:
        if self.blank_lines not in BLANK_POLICIES:
            raise ValueError(f"blank_lines must be one of {BLANK_POLICIES}")


@dataclass(frozen=True)
class Table:
    """A file read by :func:`read_table`.

    Attributes
    ----------
    path : str
        The file (or the name given for bytes).
    header : tuple of str
        The header as written (stripped, lower case).
    present : frozenset of str
        Schema columns found in the header (under their name or an alias).
    lines : numpy.ndarray
        1-based physical line of each record (int64).
    text : dict of str to list of str
        Stripped cell text per schema column ("" when empty or absent).
    values : dict of str to numpy.ndarray
        Typed values per schema column: ``datetime64[ns]`` for dates (NaT when empty),
        ``float64`` for numbers (NaN when empty), ``object`` strings for text.
    """

    path: str
    header: tuple[str, ...]
    present: frozenset
    lines: np.ndarray
    text: dict = field(repr=False)
    values: dict = field(repr=False)

    def __len__(self) -> int:
        return len(self.lines)

    def rows(self):
        """``(line, {column: text})`` per record, for checks that need the whole row."""
        names = list(self.text)
        for i, line in enumerate(self.lines.tolist()):
            yield line, {name: self.text[name][i] for name in names}


def _decode(data: bytes, path: str, line_offset: int = 0) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1 + line_offset
        raise DataFileError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                            line=line) from None


def _records(text: str, path: str, line_offset: int) -> tuple[list[list[str]], list[int]]:
    """Every record of ``text`` with the physical line it starts on (header included)."""
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, strict=True)
    records: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            records.append(record)
            lines.append(start + line_offset)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataFileError(path, f"malformed CSV: {exc}", line=reader.line_num + line_offset) from None
    return records, lines


def read_table(source: str | os.PathLike | bytes, schema: Schema, *, path: str | None = None,
               line_offset: int = 0) -> Table:
    """Read a small CSV file and check it against ``schema``.

    Parameters
    ----------
    source : path-like or bytes
        The file, or its bytes (then ``path`` names it in messages).
    schema : Schema
        Columns, kinds and empty-cell policies.
    path : str, optional
        Name used in errors when ``source`` is bytes.
    line_offset : int
        Lines before ``source``'s first line in the real file (a header the caller consumed).

    Returns
    -------
    Table

    Raises
    ------
    DataFileError
        Missing or unreadable file, not UTF-8, no header, a required column missing (line 1),
        a record with more or fewer fields than the header (a truncated row), a malformed
        quote, a blank line inside the records when the schema refuses one, an empty cell
        where none is allowed, a date not written ``YYYY-MM-DD`` or outside
        1677-09-22..2262-04-11, a number that does not parse or is not finite. The message
        names the file, the line and the column.
    """
    if isinstance(source, (bytes, bytearray)):
        name = path or "<bytes>"
        data = bytes(source)
    else:
        name = str(source)
        try:
            data = Path(source).read_bytes()
        except FileNotFoundError:
            raise DataFileError(name, f"{schema.what} not found") from None
        except OSError as exc:
            raise DataFileError(name, f"cannot read {schema.what}: {exc.strerror or exc}") from None
    text = _decode(data, name, line_offset)
    if not text.strip():
        raise DataFileError(name, "empty file (no header)", line=1 + line_offset)
    records, lines = _records(text, name, line_offset)
    header = tuple(cell.strip().lower() for cell in records[0])
    header_line = lines[0]
    positions: dict[str, int] = {}
    for column in schema.columns:
        for label in (column.name, *column.aliases):
            if label in header:
                positions[column.name] = header.index(label)
                break
    missing = [c.name for c in schema.columns if c.required and c.name not in positions]
    if missing:
        raise DataFileError(name, f"missing column(s) {', '.join(missing)} in header "
                                  f"{', '.join(header)}", line=header_line)
    body, body_lines = records[1:], lines[1:]
    blank = [not any(cell.strip() for cell in record) for record in body]
    if schema.blank_lines == "trailing":
        last = max((i for i, is_blank in enumerate(blank) if not is_blank), default=-1)
        inner = [i for i in range(last) if blank[i]]
        if inner:
            raise DataFileError(name, "blank line inside the records", line=body_lines[inner[0]])
    keep = [i for i, is_blank in enumerate(blank) if not is_blank]
    width = len(header)
    for i in keep:
        if len(body[i]) != width:
            raise DataFileError(name, f"expected {width} fields, found {len(body[i])} "
                                      "(truncated or malformed row)", line=body_lines[i])
    rows = [body[i] for i in keep]
    row_lines = np.array([body_lines[i] for i in keep], dtype=np.int64)
    texts: dict[str, list[str]] = {}
    values: dict[str, np.ndarray] = {}
    for column in schema.columns:
        where = positions.get(column.name)
        cells = ([record[where].strip() for record in rows] if where is not None
                 else [""] * len(rows))
        texts[column.name] = cells
        values[column.name] = _typed(cells, column, name, row_lines, present=where is not None)
    return Table(path=name, header=header, present=frozenset(positions), lines=row_lines,
                 text=texts, values=values)


def _typed(cells: list[str], column: Column, path: str, lines: np.ndarray, *,
           present: bool) -> np.ndarray:
    """Cells of one column as typed values; the first bad cell raises with its line."""
    empty = np.fromiter((cell == "" for cell in cells), dtype=bool, count=len(cells))
    if present and column.empty == "error" and empty.any():
        row = int(np.flatnonzero(empty)[0])
        raise DataFileError(path, f"{column.name} is empty", line=int(lines[row]))
    if column.kind == "text":
        return np.array(cells, dtype=object)
    if column.kind == "number":
        series = pd.Series(cells, dtype=object).where(~empty, "nan")
        numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64")
        bad = np.flatnonzero(np.isnan(numbers) & ~empty)
        if bad.size:
            row = int(bad[0])
            raise DataFileError(path, f"{column.name} {cells[row]!r} is not a number",
                                line=int(lines[row]))
        bad = np.flatnonzero(np.isinf(numbers))
        if bad.size:
            row = int(bad[0])
            raise DataFileError(path, f"{column.name} {cells[row]!r} is not finite",
                                line=int(lines[row]))
        return numbers
    # dates
    series = pd.Series(cells, dtype=object)
    dates = pd.to_datetime(series.where(~empty, None), format="%Y-%m-%d", errors="coerce")
    # pandas 3 parses years beyond datetime64[ns] at a coarser unit: refuse them by name
    outside = ~dates.isna().to_numpy() & ((dates < DATE_MIN) | (dates > DATE_MAX)).to_numpy()
    bad = np.flatnonzero((dates.isna().to_numpy() & ~empty) | outside)
    if bad.size:
        row = int(bad[0])
        cell = cells[row]
        if _ISO_DATE.fullmatch(cell) and _calendar_date(cell):
            reason = (f"{column.name} {cell!r} is outside the dates supported "
                      f"({DATE_MIN.date()}..{DATE_MAX.date()})")
        else:
            reason = f"{column.name} {cell!r} is not a YYYY-MM-DD date"
        raise DataFileError(path, reason, line=int(lines[row]))
    return dates.to_numpy(dtype="datetime64[ns]")


def _calendar_date(text: str) -> bool:
    """Whether ``YYYY-MM-DD`` text is a real calendar day (whatever its year)."""
    import datetime as _dt

    try:
        _dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return False
    return True
