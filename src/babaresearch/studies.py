"""Event studies over several windows at once, for the ``babaresearch study`` command.

An analyst asks "how did the stock react on the day, over three days, over the week after, over
the month around it?" in one go. :func:`multi_window_study` runs
:func:`babaresearch.events.event_study` (its public API only) once per event window with the
same estimation window, model and benchmark, and returns one long table (event x window) and
one aggregate table (window x statistic). :func:`read_events_csv` reads a user's own events file
(``ticker, event_date, timing``); :func:`terminal_table` lays the CARs out one column per
window, within a terminal width.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from .errors import BabaResearchError, DataFileError, EventStudyError

#: The windows shown when none is asked for: the day, the three days around it, the week after,
#: and a month around it (sessions relative to day 0).
DEFAULT_WINDOWS: tuple[tuple[int, int], ...] = ((0, 0), (-1, 1), (0, 5), (-5, 20))
#: Fewest usable estimation sessions by default (as :func:`babaresearch.events.event_study`).
MIN_ESTIMATION = 120
#: Columns of an events file; ``timing`` may be empty (before the open is assumed).
EVENT_COLUMNS = ("ticker", "event_date", "timing")
#: Optional columns naming an event.
LABEL_COLUMNS = ("label", "event_id")
#: Widest terminal table, in characters.
TERMINAL_WIDTH = 100
#: Two-sided level that earns a CAR its "*" in the terminal table.
STAR_LEVEL = 0.05
#: Aggregate statistics shown in the terminal, with short headers.
AGGREGATE_SHOWN = (("cross_sectional_t", "cs t"), ("patell_z", "Patell Z"), ("bmp_t", "BMP t"),
                   ("corrado_rank_window", "rank"), ("generalized_sign_z", "sign Z"))
#: Columns of the long (event x window) table, in order.
LONG_COLUMNS = ("event", "ticker", "event_date", "day0", "window", "window_start", "window_end",
                "status", "car", "t", "p", "bhar", "raw_return_day0", "alpha", "beta", "n_est",
                "detail")


def parse_window(text: str, what: str = "window") -> tuple[int, int]:
    """``"-1,+1"`` -> ``(-1, 1)``.

    Raises
    ------
    EventStudyError
        Not two integers separated by a comma, or the first after the second.
    """
    parts = [part.strip() for part in str(text).split(",")]
    try:
        first, last = (int(part) for part in parts)
    except ValueError:
        raise EventStudyError(f"{what} {text!r}: expected two session offsets like -1,+1") from None
    if first > last:
        raise EventStudyError(f"{what} {text!r}: the first session is after the last")
    return first, last


def window_label(window: tuple[int, int]) -> str:
    """``(-1, 1)`` -> ``"(-1,+1)"``; ``(0, 0)`` -> ``"(0,0)"``."""
    def side(value: int) -> str:
        return f"{value:+d}" if value else "0"

    return f"({side(window[0])},{side(window[1])})"


def read_events_csv(path: str | os.PathLike) -> pd.DataFrame:
    """Read an events file: one event per row, columns ``ticker, event_date, timing``.

    Parameters
    ----------
    path : path
        CSV with a header. ``timing`` is one of :data:`babaresearch.calendars.TIMINGS`
        (``bmo``, ``amc``, ``intraday``, ``unknown``) or empty (``bmo``); an optional ``label``
        or ``event_id`` column names each event (default ``"TICKER YYYY-MM-DD"``).

    Returns
    -------
    DataFrame
        Columns ``event_id, ticker, event_date`` (``datetime64[ns]``), ``timing``.

    Raises
    ------
    DataFileError
        The file cannot be read, lacks a column, is empty, or a row has a bad date or timing
        (the message names the file and the line, the header being line 1).
    """
    from .calendars import TIMINGS
    from .dates import to_date

    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip().lower() for name in (reader.fieldnames or [])]
            missing = [name for name in EVENT_COLUMNS[:2] if name not in header]
            if missing:
                raise DataFileError(path, f"missing column(s) {', '.join(missing)}; expected "
                                          f"a header {','.join(EVENT_COLUMNS)}", line=1)
            reader.fieldnames = header
            rows = []
            for record in reader:
                line = reader.line_num
                ticker = (record.get("ticker") or "").strip()
                when = (record.get("event_date") or "").strip()
                timing = (record.get("timing") or "").strip().lower() or "bmo"
                if not ticker and not when:
                    continue  # a blank line
                if not ticker:
                    raise DataFileError(path, "empty ticker", line=line)
                try:
                    date = to_date(when)
                except BabaResearchError as exc:
                    raise DataFileError(path, f"event_date {when!r}: {exc}", line=line) from None
                if date is None:
                    raise DataFileError(path, "empty event_date", line=line)
                if timing not in TIMINGS:
                    raise DataFileError(path, f"timing {timing!r} is not one of "
                                              f"{', '.join(TIMINGS)}", line=line)
                label = next((record[name].strip() for name in LABEL_COLUMNS
                              if (record.get(name) or "").strip()), "")
                rows.append((label or f"{ticker.upper()} {date:%Y-%m-%d}", ticker, date, timing))
    except OSError as exc:
        raise DataFileError(path, f"cannot read the events file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise DataFileError(path, "not a UTF-8 text file") from None
    if not rows:
        raise DataFileError(path, "no events (expected one row per event after the header)")
    frame = pd.DataFrame(rows, columns=["event_id", "ticker", "event_date", "timing"])
    frame["event_date"] = pd.to_datetime(frame["event_date"]).astype("datetime64[ns]")
    return frame


def multi_window_study(events, windows: Iterable[tuple[int, int]] = DEFAULT_WINDOWS, *,
                       estimation: tuple[int, int] = (-250, -11), model: str = "market",
                       benchmark: str = "SPY", source: str = "auto",
                       min_estimation: int | None = None,
                       returns: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run one event study per window (same events, estimation window, model and benchmark).

    Parameters
    ----------
    events : DataFrame or list of dict
        As for :func:`babaresearch.events.event_study`.
    windows : iterable of (int, int)
        Event windows in sessions relative to day 0.
    estimation, model, benchmark, source, returns
        As for :func:`babaresearch.events.event_study`.
    min_estimation : int, optional
        Fewest usable estimation sessions; default :data:`MIN_ESTIMATION` or the length of the
        estimation window when that is shorter (``-120,-11`` then needs all 110 sessions).

    Returns
    -------
    (DataFrame, DataFrame)
        ``long``: one row per event and window, columns :data:`LONG_COLUMNS` (returns in
        decimals); ``aggregate``: one row per window and statistic, columns ``window, name,
        value, p_value, n``. A window in which no event can be measured keeps its events with
        their status and detail, and has no aggregate rows.

    Raises
    ------
    EventStudyError
        No window given, or a bad setting (reported by ``event_study`` for the first window).
    """
    from .events import event_study
    from .prices import returns as load_returns

    windows = [tuple(window) for window in windows]
    if min_estimation is None:
        min_estimation = min(MIN_ESTIMATION, estimation[1] - estimation[0] + 1)
    if not windows:
        raise EventStudyError("no event window given")
    if returns is None:
        frame = pd.DataFrame(events) if not isinstance(events, pd.DataFrame) else events
        tickers = list(dict.fromkeys([*frame["ticker"].astype(str).str.upper(), benchmark]))
        returns = load_returns(tickers, source=source)  # loaded once for every window
    longs, aggregates = [], []
    for window in windows:
        label = window_label(window)
        try:
            result = event_study(events, window=window, estimation=estimation, model=model,
                                 benchmark=benchmark, min_estimation=min_estimation,
                                 returns=returns)
        except EventStudyError as exc:
            if window == windows[0] and not longs and "no event" not in str(exc).lower():
                raise
            longs.append(pd.DataFrame([{"window": label, "window_start": window[0],
                                        "window_end": window[1], "status": "failed",
                                        "detail": str(exc)}]))
            continue
        summary = result.summary.assign(window=label, window_start=window[0],
                                        window_end=window[1])
        longs.append(summary.reindex(columns=list(LONG_COLUMNS)))
        aggregate = result.aggregate.assign(window=label)
        aggregates.append(aggregate.reindex(columns=["window", "name", "value", "p_value", "n"]))
    long = pd.concat(longs, ignore_index=True).reindex(columns=list(LONG_COLUMNS))
    aggregate = (pd.concat(aggregates, ignore_index=True) if aggregates
                 else pd.DataFrame(columns=["window", "name", "value", "p_value", "n"]))
    return long, aggregate


def _car_cell(car: float, t: float, p: float) -> str:
    if pd.isna(car):
        return "-"
    star = "*" if pd.notna(p) and p < STAR_LEVEL else " "
    t_text = f"{t:+.2f}" if pd.notna(t) else "n/a"
    return f"{car:+.1%} ({t_text}){star}"


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(1, width - 1)] + "\u2026"


def terminal_table(long: pd.DataFrame, *, width: int = TERMINAL_WIDTH) -> str:
    """CAR (t) per event, one column per window, fitting ``width`` characters.

    Each cell reads ``+13.6% (+2.74)*``: the CAR in percent, its t statistic, and ``*`` when
    p < :data:`STAR_LEVEL`. Event labels are shortened (with ``…``) to fit; excluded events
    show ``-`` and are listed under the table with their reason.
    """
    measured = long.dropna(subset=["event"])
    if measured.empty:
        return "(no events)"
    windows = list(dict.fromkeys(long["window"]))
    grid = {}
    for row in measured.itertuples():
        grid[(row.event, row.window)] = _car_cell(row.car, row.t, row.p)
    events = list(dict.fromkeys(measured["event"]))
    day0 = {row.event: (f"{row.day0:%Y-%m-%d}" if pd.notna(row.day0) else "-")
            for row in measured.itertuples()}
    cells = {window: [grid.get((event, window), "-") for event in events] for window in windows}
    widths = {window: max(len(window) + 4, *(len(cell) for cell in cells[window]))
              for window in windows}
    gap = 2
    fixed = 10 + gap + sum(widths.values()) + gap * len(windows)
    label_width = max(5, min(max(len(event) for event in events), width - fixed))
    header = (f"{'event':<{label_width}}{'':{gap}}{'day 0':<10}"
              + "".join(f"{'':{gap}}{('CAR' + window):>{widths[window]}}" for window in windows))
    lines = [header.rstrip()]
    for index, event in enumerate(events):
        line = (f"{_fit(event, label_width):<{label_width}}{'':{gap}}{day0[event]:<10}"
                + "".join(f"{'':{gap}}{cells[window][index]:>{widths[window]}}"
                          for window in windows))
        lines.append(line.rstrip())
    lines.append(f"CAR in percent, t statistic in brackets; * p < {STAR_LEVEL:g} (two-sided).")
    excluded = measured[measured["status"] != "ok"]
    for (event, status, detail), group in excluded.groupby(["event", "status", "detail"],
                                                           sort=False, dropna=False):
        where = ", ".join(group["window"])
        note = f"- {event} {where}: {status}" + (f" ({detail})" if isinstance(detail, str) else "")
        lines.append(_fit(note, width))
    for row in long[long["event"].isna()].itertuples():
        lines.append(_fit(f"- window {row.window}: {row.detail}", width))
    return "\n".join(lines)


def terminal_aggregate(aggregate: pd.DataFrame, *, width: int = TERMINAL_WIDTH) -> str:
    """CAAR and its tests per window (statistic with its p-value), fitting ``width``."""
    if aggregate.empty:
        return "(no aggregate: no window had a measurable event)"
    header = f"{'window':<10}{'n':>4}{'CAAR':>9}" + "".join(
        f"{label:>9}{'p':>6}" for _name, label in AGGREGATE_SHOWN)
    lines = [header]
    for window, group in aggregate.groupby("window", sort=False):
        stats = group.set_index("name")
        caar = stats.loc["caar"] if "caar" in stats.index else None
        n = int(caar["n"]) if caar is not None and pd.notna(caar.get("n")) else 0
        line = f"{window:<10}{n:>4}" + (f"{caar['value']:>+9.2%}" if caar is not None else f"{'-':>9}")
        for name, _label in AGGREGATE_SHOWN:
            if name in stats.index and pd.notna(stats.loc[name, "value"]):
                value, p = stats.loc[name, "value"], stats.loc[name, "p_value"]
                line += f"{value:>+9.2f}" + (f"{p:>6.3f}" if pd.notna(p) else f"{'-':>6}")
            else:
                line += f"{'-':>9}{'-':>6}"
        lines.append(line[:width])
    return "\n".join(lines)


def windows_from_args(values: Sequence[Sequence[str]] | None) -> list[tuple[int, int]]:
    """The ``--window`` values of the command line: ``-1,+1`` each, or the older ``-1 1``."""
    if not values:
        return list(DEFAULT_WINDOWS)
    windows = []
    for tokens in values:
        if len(tokens) == 2 and all("," not in token for token in tokens):
            windows.append(parse_window(",".join(tokens)))
        else:
            windows.extend(parse_window(token) for token in tokens)
    return list(dict.fromkeys(windows))


#: Aggregate rows that are average returns (decimal), not test statistics.
RETURN_STATISTICS = ("caar", "aar_day0", "mean_bhar")


def aggregate_table(aggregate: pd.DataFrame) -> pd.DataFrame:
    """An ``EventStudyResult.aggregate`` split for display: average returns in ``return``
    (decimal), test statistics in ``statistic``, with ``p_value`` and ``n``.

    Parameters
    ----------
    aggregate : DataFrame
        Columns ``name, value, p_value, n``.

    Returns
    -------
    DataFrame
        Columns ``name, return, statistic, p_value, n``; each row fills one of ``return`` and
        ``statistic``.
    """
    is_return = aggregate["name"].isin(RETURN_STATISTICS)
    return pd.DataFrame({"name": aggregate["name"],
                         "return": aggregate["value"].where(is_return),
                         "statistic": aggregate["value"].where(~is_return),
                         "p_value": aggregate["p_value"], "n": aggregate.get("n")})
