"""The live source: yfinance, wrapped at one boundary.

One ``yfinance.Ticker(t).history(...)`` call per ticker (:func:`history`), its answer turned
into storage bars (:func:`normalize_download`), and the retry policy around it
(:func:`download`): rate limits and timeouts are retried with exponential back-off, every other
failure is reported at once, and a **total deadline** bounds the whole fetch, so an unreachable
network costs at most :data:`LIVE_DEADLINE_SECONDS` and is reported as unreachable every time
(yfinance itself logs the network error and then raises "possibly delisted; no timezone found";
its log lines are captured during the call and searched for the real cause).

Every failure becomes a :class:`~babaresearch.errors.LiveDataError` naming the ticker, the
range and a short cause (:func:`summarize_exception`); the original exception stays attached as
``__cause__``.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from .adjust import PRICE_COLUMNS, adjustment_factors
from .errors import LiveDataError
from .validation import first_error, validate_bars

__all__ = ["CAUSE_MAX_CHARS", "LIVE_BACKOFF_SECONDS", "LIVE_DEADLINE_SECONDS", "LIVE_RETRIES",
           "LIVE_TIMEOUT_SECONDS", "MissingDataWarning", "download", "history",
           "normalize_download", "quiet_yfinance", "summarize_exception", "live_failure"]

#: Attempts after the first one when Yahoo rate-limits or times out.
LIVE_RETRIES = 3
#: First back-off pause in seconds; doubles on every retry (2, 4, 8 s).
LIVE_BACKOFF_SECONDS = 2.0
#: Per-request timeout handed to yfinance, in seconds.
LIVE_TIMEOUT_SECONDS = 20.0
#: Total time one live fetch may take, all tickers, attempts and pauses included, in seconds.
LIVE_DEADLINE_SECONDS = 60.0
# Yahoo's own "Adj Close" may disagree with ours by rounding (2 decimals); beyond this relative
# gap on one day's adjusted return a dividend or split is probably missing and we warn.
ADJ_CROSSCHECK_RTOL = 5e-3

# yfinance column label -> our column name
_YF_COLUMNS = {
    "open": "open", "high": "high", "low": "low", "close": "close", "adj close": "adj_close",
    "adj_close": "adj_close", "volume": "volume", "dividends": "dividend",
    "stock splits": "splits", "capital gains": "capital_gains",
}


class MissingDataWarning(UserWarning):
    """Part of a requested range could not be fetched; what the cache/snapshot holds is served."""


def safe_text(value: object) -> str:
    """``str(value)``, or a placeholder naming its type when its ``__str__`` raises."""
    try:
        return str(value)
    except Exception:  # a hostile or broken __str__ must not replace the real error
        try:
            name = type(value).__name__
        except Exception:  # pragma: no cover - type() of anything has a name
            name = "object"
        return f"<{name} with an unprintable message>"


class _Capture(logging.Handler):
    """Hands the text of every yfinance record to each open :func:`quiet_yfinance` block."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.sinks: list[list[str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a record whose arguments do not format
            text = safe_text(record.msg)
        for sink in list(self.sinks):
            sink.append(text)


_QUIET_LOCK = threading.Lock()
_QUIET_STATE: dict = {"depth": 0, "saved": None, "capture": None}


@contextlib.contextmanager
def _quiet_logs():
    """Reference-counted silencing of the ``yfinance`` logger (safe across threads: the state
    before the first block is restored when the last block, in any thread, ends)."""
    logger = logging.getLogger("yfinance")  # yfinance's loggers all are, or descend from, this
    sink: list[str] = []
    with _QUIET_LOCK:
        if _QUIET_STATE["depth"] == 0:
            _QUIET_STATE["saved"] = (logger.level, list(logger.handlers), logger.propagate)
            _QUIET_STATE["capture"] = _Capture()
            logger.handlers = [_QUIET_STATE["capture"]]
            logger.propagate = False  # nothing reaches the root logger's handlers
            logger.setLevel(logging.DEBUG)
        _QUIET_STATE["depth"] += 1
        _QUIET_STATE["capture"].sinks.append(sink)
    try:
        yield sink
    finally:
        with _QUIET_LOCK:
            _QUIET_STATE["capture"].sinks.remove(sink)
            _QUIET_STATE["depth"] -= 1
            if _QUIET_STATE["depth"] == 0:
                level, handlers, propagate = _QUIET_STATE["saved"]
                logger.setLevel(level)
                logger.handlers = handlers
                logger.propagate = propagate


@contextlib.contextmanager
def quiet_yfinance():
    """Silence yfinance's own log lines and warnings for the duration of a ``with`` block.

    yfinance logs every failure itself (``Failed to get ticker 'FOO' reason: ...``,
    ``Cookie/crumb fetch failed (DNSError), continuing without crumb``) on the ``"yfinance"``
    logger, and its deprecation notices go through :mod:`warnings`. Callers of this package get
    one typed :class:`LiveDataError` naming the ticker instead, so those lines would only
    repeat it, noisily. The logger's level, handlers and propagation are restored on exit,
    even on an exception, and no global logging or warnings configuration is left changed.

    Yields
    ------
    list of str
        The text of every record yfinance logged inside the block (kept, never printed):
        :func:`download` searches it for the network error yfinance swallowed.

    Examples
    --------
    >>> with quiet_yfinance():  # doctest: +SKIP
    ...     yfinance.Ticker("BABA").get_earnings_dates(limit=12)
    """
    with _quiet_logs() as sink, warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", module=r"yfinance(\.|$)")
        yield sink


#: Longest cause text put into an error or warning message, in characters. The exception
#: itself stays attached as ``__cause__`` for debugging.
CAUSE_MAX_CHARS = 120
# Texts (lower case) by which the HTTP stacks yfinance may use (curl_cffi, requests/urllib3,
# the standard library) say that a host name could not be resolved or connected to.
_DNS_MARKERS = ("could not resolve host", "failed to resolve", "name or service not known",
                "nodename nor servname", "temporary failure in name resolution",
                "getaddrinfo failed", "no address associated with hostname", "nameresolutionerror")
_CONNECT_MARKERS = ("failed to connect", "couldn't connect", "could not connect",
                    "connection refused", "network is unreachable", "no route to host",
                    "connection reset", "connection aborted", "max retries exceeded")
_HOST_RE = re.compile(r"(?:resolve host:?|failed to resolve|host=)\s*'?([A-Za-z0-9][A-Za-z0-9.-]*)",
                      re.IGNORECASE)
# End of the first clause: a sentence end or semicolon followed by white space (the dots of a
# host name such as query2.finance.yahoo.com are not followed by a space).
_CLAUSE_END_RE = re.compile(r"(?<=[.;!?])\s+")


def _exception_chain(exc: BaseException, limit: int = 10) -> list[BaseException]:
    """``exc`` and its causes / contexts, outermost first (at most ``limit``, no cycles)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < limit and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ if current.__cause__ is not None else (
            None if current.__suppress_context__ else current.__context__)
    return chain


def _first_clause(text: str) -> str:
    """First non-empty line of ``text`` up to its first sentence end (trailing dots dropped)."""
    line = next((part.strip() for part in str(text).splitlines() if part.strip()), "")
    return _CLAUSE_END_RE.split(line, maxsplit=1)[0].rstrip(".;: ")


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 3, 1)].rstrip() + "..."


def summarize_exception(exc: BaseException, *, limit: int = CAUSE_MAX_CHARS,
                        context: Iterable[str] = ()) -> str:
    """A short, human cause for an exception chain, for error and warning messages.

    Network stacks write long texts (``Failed to perform, curl: (6) Could not resolve host:
    query2.finance.yahoo.com. See https://curl.se/...``). This names the kind of failure in a
    few words; the caller keeps the full exception as ``__cause__``.

    Parameters
    ----------
    exc : BaseException
        The exception caught; its ``__cause__`` / ``__context__`` chain is searched too.
    limit : int
        Longest text returned, in characters (longer texts end in ``...``).
    context : iterable of str
        Other texts that tell about the same failure (yfinance's captured log lines): a
        network error found there wins over yfinance's "no data" verdict, which it gives when
        it could not reach Yahoo.

    Returns
    -------
    str
        One of ``"rate limited by Yahoo (too many requests)"``, ``"network unreachable: could
        not resolve the Yahoo host"`` (or ``... resolve host <name>`` for another host),
        ``"timed out: Yahoo did not answer in time"``, ``"network unreachable: could not connect
        to Yahoo"``, ``"Yahoo has no data (YFPricesMissingError: unknown or delisted ticker, or
        no prices in the range)"``; otherwise the
        outermost exception's type name and the first clause of its message, e.g.
        ``"KeyError: 'chart'"``.
    """
    chain = _exception_chain(exc)
    texts = [f"{type(item).__name__} {safe_text(item)}".lower() for item in chain]
    texts += [safe_text(line).lower() for line in context]
    names = [cls.__name__.lower() for item in chain for cls in type(item).__mro__]
    if any(_is_rate_limit(item) for item in chain) or any(
            "too many requests" in text or "rate limit" in text for text in texts):
        reason = "rate limited by Yahoo (too many requests)"
    elif any("dnserror" in name or name == "gaierror" for name in names) or any(
            marker in text for text in texts for marker in _DNS_MARKERS):
        host = next((found.group(1).rstrip(".") for item in chain
                     for found in [_HOST_RE.search(safe_text(item))] if found), "")
        where = "the Yahoo host" if not host or "yahoo" in host.lower() else f"host {host}"
        reason = f"network unreachable: could not resolve {where}"
    elif any(_is_timeout(item) for item in chain) or any("timed out" in text for text in texts):
        reason = "timed out: Yahoo did not answer in time"
    elif any(isinstance(item, ConnectionError) for item in chain) or any(
            "connectionerror" in name for name in names) or any(
            marker in text for text in texts for marker in _CONNECT_MARKERS):
        reason = "network unreachable: could not connect to Yahoo"
    elif any(_is_missing_prices(item) for item in chain):
        missing = next(item for item in chain if _is_missing_prices(item))
        reason = (f"Yahoo has no data ({type(missing).__name__}: unknown or delisted ticker, or "
                  "no prices in the range)")
    else:
        clause = _first_clause(safe_text(exc))
        reason = f"{type(exc).__name__}: {clause}" if clause else type(exc).__name__
    return _cap(reason, limit)


def live_failure(ticker: str, reason: str, start: pd.Timestamp | None = None,
                  end: pd.Timestamp | None = None) -> LiveDataError:
    """LiveDataError ``"<T>: live fetch <start>..<end> failed: <reason>"``; ``.reason`` keeps the
    short cause so callers can rephrase without repeating the ticker and range."""
    span = f" {start.date()}..{end.date()}" if start is not None and end is not None else ""
    error = LiveDataError(f"{ticker}: live fetch{span} failed: {reason}", ticker)
    error.reason = reason
    return error


def history(ticker: str, start: pd.Timestamp, end: pd.Timestamp, *,
            timeout: float = LIVE_TIMEOUT_SECONDS) -> pd.DataFrame | None:
    """One ``yfinance.Ticker(t).history`` call: raw daily bars with actions; ``end`` inclusive.

    ``history(raise_errors=True)`` is used rather than ``yf.download``: download catches every
    per-ticker error (rate limit, timeout, missing prices) and returns an empty frame, so a
    rate limit could never be retried. With ``raise_errors=True`` the errors surface here
    (yfinance 1.x marks the flag deprecated in favour of the global
    ``yf.config.debug.hide_exceptions``; the per-call flag keeps global state untouched).
    The frame has flat columns ``Open, High, Low, Close, Adj Close, Volume, Dividends,
    Stock Splits`` (``Capital Gains`` for funds) and a tz-aware exchange-local index.
    """
    import yfinance as yf

    # yfinance logs each failure itself; download() silences and captures those lines.
    with _quiet_logs():
        return yf.Ticker(ticker).history(
            start=start.strftime("%Y-%m-%d"),
            end=(end + pd.Timedelta(days=1)).strftime("%Y-%m-%d"),  # yfinance's end is exclusive
            interval="1d",
            auto_adjust=False,  # raw closes; we adjust for dividends ourselves
            actions=True,  # Dividends and Stock Splits columns
            raise_errors=True,  # rate limits / timeouts / missing prices raise (see above)
            timeout=timeout,
        )


def _is_timeout(exc: BaseException) -> bool:
    # requests, curl_cffi and the standard library each have their own Timeout class
    return isinstance(exc, TimeoutError) or any("timeout" in cls.__name__.lower()
                                                 for cls in type(exc).__mro__)


def _is_missing_prices(exc: BaseException) -> bool:
    """yfinance's "no prices / no timezone" errors: unknown or delisted ticker, or offline."""
    try:
        from yfinance.exceptions import YFTickerMissingError
    except ImportError:  # pragma: no cover - yfinance is a dependency
        return False
    return isinstance(exc, YFTickerMissingError)


def _is_rate_limit(exc: BaseException) -> bool:
    try:
        from yfinance.exceptions import YFRateLimitError
    except ImportError:  # pragma: no cover - yfinance is a dependency
        return False
    return isinstance(exc, YFRateLimitError)


def _select_ticker_columns(frame: pd.DataFrame, ticker: str) -> pd.DataFrame:
    """Flatten yfinance's (Price, Ticker) or (Ticker, Price) MultiIndex columns."""
    if not isinstance(frame.columns, pd.MultiIndex):
        return frame
    for level in range(frame.columns.nlevels):
        labels = [str(label).upper() for label in frame.columns.get_level_values(level)]
        if ticker in labels:
            wanted = [label == ticker for label in labels]
            picked = frame.loc[:, wanted]
            picked.columns = picked.columns.droplevel(level)
            if isinstance(picked.columns, pd.MultiIndex):
                return _select_ticker_columns(picked, ticker)
            return picked
    others = sorted({str(c) for c in frame.columns.get_level_values(-1)})
    raise live_failure(ticker, _cap(f"yfinance returned columns for other tickers only: {others}",
                                     CAUSE_MAX_CHARS))


def normalize_download(frame: object, ticker: str, start: pd.Timestamp,
                        end: pd.Timestamp) -> pd.DataFrame:
    """yfinance frame -> storage bars of session dates in [start, end]; LiveDataError if unusable."""
    if not isinstance(frame, pd.DataFrame) or frame.empty:
        raise live_failure(ticker, "yfinance returned no data (offline, rate limited, or "
                                    "unknown/delisted ticker)", start, end)
    try:
        frame = _select_ticker_columns(frame, ticker)
    except LiveDataError as exc:
        raise live_failure(ticker, exc.reason, start, end) from None
    renamed = {column: _YF_COLUMNS.get(str(column).strip().lower()) for column in frame.columns}
    missing = [name for name in ("open", "high", "low", "close", "volume")
               if name not in renamed.values()]
    if missing:
        found = [str(c) for c in frame.columns]
        raise live_failure(ticker, _cap(f"unexpected yfinance columns (missing {', '.join(missing)})"
                                         f": {found}", CAUSE_MAX_CHARS), start, end)
    frame = frame.loc[:, [c for c, name in renamed.items() if name]].rename(columns=renamed)
    try:
        index = pd.DatetimeIndex(frame.index)
    except (TypeError, ValueError):
        raise live_failure(ticker, _cap(f"yfinance index is not dates: {frame.index[:3].tolist()}",
                                         CAUSE_MAX_CHARS), start, end) from None
    if index.tz is not None:  # exchange-local midnight: its wall-clock date is the session
        index = index.tz_localize(None)
    bars = pd.DataFrame({
        "date": index.normalize().astype("datetime64[ns]"),
        **{name: pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="float64")
           for name in ("open", "high", "low", "close", "volume")},
        # actions=True always sends Dividends; without the column dividends are unknown
        "dividend": (pd.to_numeric(frame["dividend"], errors="coerce").fillna(0.0).to_numpy(dtype="float64")
                     if "dividend" in frame.columns else np.nan),
        # Yahoo writes 0 on days without a split and the ratio (4.0 for 4:1) on the split day
        "split": (pd.to_numeric(frame["splits"], errors="coerce").fillna(0.0).to_numpy(dtype="float64")
                  if "splits" in frame.columns else np.nan),
    })
    yahoo_adj = (pd.to_numeric(frame["adj_close"], errors="coerce").to_numpy(dtype="float64")
                 if "adj_close" in frame.columns else None)
    keep = bars[list(PRICE_COLUMNS)].notna().all(axis=1).to_numpy()
    keep = keep & ((bars["date"] >= start) & (bars["date"] <= end)).to_numpy()
    bars = bars[keep].drop_duplicates("date", keep="last").sort_values("date", ignore_index=True)
    # a NaN volume (Yahoo sends one for some funds' and today's bars) stays missing: writing
    # 0 would claim no share traded, and a 0-volume flat bar reads as a filler bar
    if bars.empty:
        raise live_failure(ticker, "yfinance returned no usable bars (every price NaN or "
                                    "outside the range)", start, end)
    found = first_error(validate_bars(bars, ticker))
    if found is not None:
        first, _count = found
        raise live_failure(ticker, _cap(f"yfinance bars fail validation on {first['date'].date()}: "
                                         f"{first['check']}: {first['detail']}", CAUSE_MAX_CHARS),
                            start, end)
    if yahoo_adj is not None:
        _crosscheck_adjustment(bars, yahoo_adj[keep], ticker)
    return bars


def _crosscheck_adjustment(bars: pd.DataFrame, yahoo_adj: np.ndarray, ticker: str) -> None:
    """Warn when Yahoo's Adj Close implies a different daily return than our adjustment."""
    if len(bars) < 2 or len(yahoo_adj) != len(bars) or np.isnan(yahoo_adj).all():
        return
    ours = bars["close"].to_numpy() * adjustment_factors(bars["close"], bars["dividend"])
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.abs((ours[1:] / ours[:-1]) / (yahoo_adj[1:] / yahoo_adj[:-1]) - 1.0)
    bad = np.flatnonzero(gap > ADJ_CROSSCHECK_RTOL)
    if bad.size:
        day = bars["date"].iloc[int(bad[0]) + 1].date()
        warnings.warn(f"{ticker}: our dividend adjustment and Yahoo's Adj Close disagree on "
                      f"{day} (and {bad.size - 1} other days): a dividend or split may be missing",
                      MissingDataWarning, stacklevel=4)


def _network_reason(texts: Iterable[str]) -> str | None:
    """The network cause yfinance logged (and then reported as "possibly delisted"), if any."""
    probe = RuntimeError("; ".join(texts))
    reason = summarize_exception(probe)
    return reason if reason.startswith(("network unreachable", "timed out")) else None


def deadline_reason(seconds: float) -> str:
    """Cause text of a fetch stopped by the total deadline."""
    return (f"network unreachable: no answer from Yahoo within the {seconds:.0f} s deadline "
            "(offline, or Yahoo is not answering)")


def _call_with_deadline(call: Callable[[], object], remaining: float) -> tuple[bool, object, BaseException | None]:
    """Run ``call`` in a daemon thread; (finished, result, exception) after at most ``remaining`` s.

    An unfinished call is abandoned (yfinance's own per-request timeout ends it later); its
    log lines stay silenced until it ends.
    """
    box: dict = {}

    def run() -> None:
        try:
            box["result"] = call()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, name="babaresearch-yfinance", daemon=True)
    worker.start()
    worker.join(max(remaining, 0.0))
    if worker.is_alive():
        return False, None, None
    return True, box.get("result"), box.get("error")


def download(ticker: str, start: pd.Timestamp, end: pd.Timestamp, *, retries: int,
             sleep: Callable[[float], None], history_call: Callable[..., object],
             deadline: float, deadline_seconds: float,
             clock: Callable[[], float] = time.monotonic) -> pd.DataFrame:
    """Download one ticker's bars, retrying rate limits and timeouts, within a deadline.

    Parameters
    ----------
    ticker : str
    start, end : Timestamp
        Inclusive session dates.
    retries : int
        Extra attempts after a rate limit or a timeout (>= 0).
    sleep : callable
        Pause function (seconds) between attempts: 2, 4, 8... s.
    history_call : callable
        ``history_call(ticker, start, end, timeout=seconds)`` returning yfinance's frame
        (:func:`history`, or a test's stand-in).
    deadline : float
        ``clock()`` value after which nothing more is tried.
    deadline_seconds : float
        The deadline's length, for the message.
    clock : callable
        Monotonic clock in seconds.

    Returns
    -------
    DataFrame
        Storage bars (see :func:`normalize_download`).

    Raises
    ------
    LiveDataError
        Names the ticker, the range and a short cause; when the network is unreachable the
        cause says so (from the exception, from yfinance's captured log lines, or from the
        deadline), on every attempt and for every ticker.
    """
    last_reason = None
    for attempt in range(retries + 1):
        remaining = deadline - clock()
        if remaining <= 0:
            reason = deadline_reason(deadline_seconds)
            if last_reason:
                reason += f"; last failure: {last_reason}"
            raise live_failure(ticker, reason, start, end)
        timeout = min(LIVE_TIMEOUT_SECONDS, remaining)
        with quiet_yfinance() as log:
            finished, frame, error = _call_with_deadline(
                lambda: history_call(ticker, start, end, timeout=timeout), remaining)
            logged = list(log)
        if not finished:
            raise live_failure(ticker, deadline_reason(deadline_seconds), start, end)
        if error is None:
            return normalize_download(frame, ticker, start, end)
        if not isinstance(error, Exception):  # KeyboardInterrupt, SystemExit: not ours to wrap
            raise error
        # Messages carry a short cause; the full exception (curl's long text...) stays
        # attached as __cause__ for debugging.
        reason = summarize_exception(error, context=logged)
        network = _network_reason(logged) if _is_missing_prices(error) else None
        if network is not None:  # yfinance says "delisted" because it could not reach Yahoo
            reason = network
        transient = _is_rate_limit(error) or _is_timeout(error) or (
            network is not None and network.startswith("timed out"))
        if not transient:
            raise live_failure(ticker, reason, start, end) from error
        last_reason = reason
        pause = LIVE_BACKOFF_SECONDS * 2 ** attempt
        if attempt == retries:
            raise live_failure(ticker, f"{reason}; gave up after {retries + 1} attempts",
                               start, end) from error
        if clock() + pause >= deadline:
            raise live_failure(ticker, f"{reason}; gave up after {attempt + 1} attempt(s): "
                               f"the {deadline_seconds:.0f} s deadline leaves no time for "
                               "another", start, end) from error
        sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover - the loop always returns or raises
