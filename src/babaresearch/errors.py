"""Typed errors.

Every error the library raises on purpose derives from :class:`BabaResearchError`, so an analyst
can catch one class. Each subclass names what went wrong and carries the culprit (ticker, date,
file, line) as attributes as well as in its message.
"""

from __future__ import annotations


class BabaResearchError(Exception):
    """Base class of every error raised by babaresearch."""


class InvalidTickerError(BabaResearchError, ValueError):
    """A ticker is malformed (empty, path-like such as ``../x``, illegal characters)."""

    def __init__(self, ticker: object, reason: str = "malformed ticker") -> None:
        self.ticker = ticker
        super().__init__(f"invalid ticker {ticker!r}: {reason}")


class UnknownTickerError(BabaResearchError, KeyError):
    """A well-formed ticker that the requested source does not know."""

    def __init__(self, ticker: str, known: list[str] | tuple[str, ...] | None = None,
                 where: str = "the embedded snapshot") -> None:
        self.ticker = ticker
        self.known = tuple(known or ())
        hint = f"; known: {', '.join(self.known)}" if self.known else ""
        super().__init__(f"unknown ticker {ticker!r} in {where}{hint}")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class InvalidOptionError(BabaResearchError, ValueError):
    """A keyword option has a value outside its allowed set (``source``, ``filler``, ``kind``...)."""

    def __init__(self, name: str, value: object, allowed) -> None:
        self.name = name
        self.value = value
        self.allowed = tuple(allowed)
        super().__init__(
            f"invalid {name} {value!r}; expected one of {', '.join(map(str, self.allowed))}"
        )


class DateRangeError(BabaResearchError, ValueError):
    """A date range is malformed: unparseable date or start after end."""


class OutOfRangeError(BabaResearchError, ValueError):
    """A requested date or range lies outside the data (or calendar) available."""


class NoDataError(BabaResearchError, LookupError):
    """No data is available for a request from the sources allowed (e.g. offline)."""


class LiveDataError(BabaResearchError, RuntimeError):
    """The live source (yfinance) failed: empty frame, rate limit, timeout, bad columns."""

    def __init__(self, message: str, ticker: str | None = None) -> None:
        self.ticker = ticker
        super().__init__(message)


class DataFileError(BabaResearchError, ValueError):
    """A data file (snapshot, cache, earnings, events, documents) is malformed.

    Attributes
    ----------
    path : str
        The file.
    line : int or None
        1-based line number in the file (the header is line 1), when known.
    """

    def __init__(self, path: object, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class OutputFileError(BabaResearchError, OSError):
    """An output file (CSV export, report) cannot be written; names the path."""

    def __init__(self, path: object, message: str) -> None:
        self.path = str(path)
        super().__init__(f"{self.path}: {message}")

    def __str__(self) -> str:  # OSError would format its args as (errno, strerror)
        return self.args[0]


class DataValidationError(BabaResearchError, ValueError):
    """Price bars break a hard rule (duplicate or unordered dates, high < low, price <= 0)."""

    def __init__(self, ticker: str, message: str, date: object = None) -> None:
        self.ticker = ticker
        self.date = date
        at = f" on {date}" if date is not None else ""
        super().__init__(f"{ticker}{at}: {message}")


class CalendarError(BabaResearchError, ValueError):
    """A date or timing cannot be placed on the trading or fiscal calendar."""


class PeriodError(BabaResearchError, ValueError):
    """A period label (``FY2026Q1``, ``Q3 2025``...) cannot be parsed or resolved."""


class DocumentError(BabaResearchError, OSError):
    """A documents folder or file cannot be read."""


class ClaimError(BabaResearchError, ValueError):
    """A claim to verify is malformed: no number to check, a non-numeric value, an unknown
    qualifier."""


class PlotError(BabaResearchError, ValueError):
    """Plot arguments are malformed (bad window, wrong input type, unknown event)."""


class EventStudyError(BabaResearchError, ValueError):
    """An event study cannot be run as asked (bad windows, no usable events)."""


class ReportError(BabaResearchError, RuntimeError):
    """Executing or rendering a notebook report failed; names the notebook and cell."""


class ReportInterruptedError(ReportError):
    """A report build was stopped (Ctrl-C); the previous reports were left as they were.

    Attributes
    ----------
    notebook : str or None
        The notebook that was running, when known.
    out : str
        The reports folder.
    """

    def __init__(self, out: object, notebook: str | None = None) -> None:
        self.out = str(out)
        self.notebook = notebook
        during = f" during notebook {notebook}" if notebook else ""
        super().__init__(f"report build interrupted{during}; the previous reports in "
                         f"{self.out} were left as they were")
