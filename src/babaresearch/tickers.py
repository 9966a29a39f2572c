"""Ticker names: the ones the project knows and the validation of user input."""

from __future__ import annotations

import re

from .errors import InvalidTickerError

#: The two companies the articles are about.
COMPANIES: tuple[str, ...] = ("BABA", "NVDA")
#: Benchmarks: US market (SPY), US tech (QQQ), China internet (KWEB), China large caps (FXI, MCHI).
BENCHMARKS: tuple[str, ...] = ("SPY", "QQQ", "KWEB", "FXI", "MCHI")
#: Every ticker in the embedded snapshot.
SNAPSHOT_TICKERS: tuple[str, ...] = COMPANIES + BENCHMARKS

# Yahoo-style symbols: letters, digits, dot, dash, caret, equals (BRK-B, ^GSPC, 9988.HK, EURUSD=X).
_TICKER_RE = re.compile(r"^\^?[A-Z0-9][A-Z0-9.\-=]{0,14}$")


def normalize_ticker(ticker: object) -> str:
    """Return ``ticker`` upper-cased and stripped, or raise :class:`InvalidTickerError`.

    Path-like names (``../x``, ``a/b``), empty strings and non-strings are rejected before they
    can reach a file name in the cache.
    """
    if not isinstance(ticker, str):
        raise InvalidTickerError(ticker, "a ticker must be a string")
    cleaned = ticker.strip().upper()
    if not cleaned:
        raise InvalidTickerError(ticker, "empty ticker")
    if "/" in cleaned or "\\" in cleaned or ".." in cleaned:
        raise InvalidTickerError(ticker, "path-like ticker")
    if not _TICKER_RE.match(cleaned):
        raise InvalidTickerError(ticker, "only letters, digits and . - ^ = are allowed")
    return cleaned


def normalize_tickers(tickers: str | object) -> list[str]:
    """Normalise one ticker or an iterable of tickers, keeping order and dropping repeats."""
    if isinstance(tickers, str):
        items = [tickers]
    elif isinstance(tickers, (bytes, bytearray, memoryview)):
        raise InvalidTickerError(tickers, "bytes, not text (decode it first)")
    else:
        try:
            items = list(tickers)  # type: ignore[arg-type]
        except TypeError:
            raise InvalidTickerError(tickers, "expected a ticker or a list of tickers") from None
    if not items:
        raise InvalidTickerError(tickers, "no ticker given")
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(normalize_ticker(item), None)
    return list(seen)
