"""The ``babaresearch`` command line (also ``python -m babaresearch``).

Each sub-command is a thin shell over one library function; tables are printed with pandas so
they read the same as in a notebook. Errors the library raises on purpose are printed as one
line (``babaresearch: error: ...``) with exit status 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import pandas as pd
from typing import Callable, Sequence

from . import __version__
from .errors import BabaResearchError, OutputFileError
from .tickers import COMPANIES

#: Exit status for an error the library raised on purpose (bad input, missing data).
EXIT_USER_ERROR = 2
#: Display widths for printed tables: wide enough for the ledger, never wrapped.
_DISPLAY_OPTIONS = ("display.width", 200, "display.max_columns", 30, "display.max_rows", 500,
                    "display.max_colwidth", 60)


def _print_table(frame, *, float_format: str = "{:,.4f}") -> None:
    import pandas as pd

    if frame.empty:
        print("(no rows)")
        return
    with pd.option_context(*_DISPLAY_OPTIONS, "display.float_format", float_format.format):
        print(frame.to_string(index=False))


def _write_csv(frame, path: str) -> None:
    """Write ``frame`` to ``path``; an unwritable path is a one-line error, not a traceback."""
    try:
        frame.to_csv(path, index=False)
    except OSError as exc:
        raise OutputFileError(path, f"cannot write: {exc.strerror or exc}") from None


# --------------------------------------------------------------------------- sub-commands
def _cmd_prices(args: argparse.Namespace) -> int:
    import pandas as pd

    from .dates import to_date_range
    from .prices import load_prices, returns

    start, end = to_date_range(args.start, args.end)
    frame = load_prices(args.tickers, start, end, source=args.source)
    if args.csv:
        _write_csv(frame, args.csv)
        print(f"wrote {len(frame)} rows to {args.csv}")
        return 0
    # Day-over-day change of the raw close, per ticker: what articles quote as "the move".
    # returns() already reaches back one session before `start` for the first row's change.
    change = returns(args.tickers, start, end, adjusted=False, source=args.source) * 100
    change = change.stack().rename("change_pct").rename_axis(["date", "ticker"])
    view = frame.copy()
    keys = pd.MultiIndex.from_frame(frame[["date", "ticker"]])
    view["change_pct"] = change.reindex(keys).to_numpy()
    view["date"] = view["date"].dt.strftime("%Y-%m-%d")
    view["volume"] = view["volume"].astype("Int64")
    _print_table(view, float_format="{:,.2f}")
    return 0


def _cmd_data_info(args: argparse.Namespace) -> int:
    from .prices import snapshot_info
    from .resources import data_dir, snapshot_hash

    info = snapshot_info()
    print(f"babaresearch {__version__}")
    print(f"snapshot folder: {data_dir()}")
    print(f"snapshot hash (sha256 of all CSVs): {snapshot_hash(short=False)}")
    print(f"provenance: {data_dir() / 'README.md'}")
    print()
    view = info.copy()
    for column in ("first_session", "last_session", "dividends_known_through"):
        if column in view:
            view[column] = view[column].astype("datetime64[ns]").dt.strftime("%Y-%m-%d")
    _print_table(view)
    return 0


def _cmd_quality(args: argparse.Namespace) -> int:
    from .prices import data_quality_report

    report = data_quality_report(args.tickers or None, source=args.source)
    if not report.empty:
        report = report.assign(date=report["date"].dt.strftime("%Y-%m-%d"))
    _print_table(report)
    return 0


def _cmd_earnings(args: argparse.Namespace) -> int:
    from .earnings import earnings_calendar, refresh_earnings_live

    if args.live:
        # Live rows may add releases; curated ones are never overridden (conflicts listed).
        tickers = [args.ticker] if args.ticker else list(COMPANIES)
        merged, conflicts = [], []
        for ticker in tickers:
            calendar, conflict = refresh_earnings_live(ticker)
            merged.append(calendar)
            conflicts.append(conflict)
        import pandas as pd

        frame = pd.concat(merged, ignore_index=True)
        conflict_frame = pd.concat(conflicts, ignore_index=True)
    else:
        frame = earnings_calendar(args.ticker)
        conflict_frame = None
    for column in ("period_end", "release_date", "day0"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    _print_table(frame.drop(columns=["source"]) if not args.sources else frame)
    if conflict_frame is not None:
        print()
        print(f"{len(conflict_frame)} conflict(s) between the curated calendar and yfinance "
              "(curated dates kept):")
        _print_table(conflict_frame)
    return 0


def _cmd_events(args: argparse.Namespace) -> int:
    from .earnings import corporate_events

    frame = corporate_events(args.ticker)
    for column in ("date", "day0"):
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    _print_table(frame)
    return 0


def _cmd_fundamentals(args: argparse.Namespace) -> int:
    from .fundamentals import fundamentals

    frame = fundamentals(args.ticker)
    if args.csv:
        _write_csv(frame, args.csv)
        print(f"wrote {len(frame)} rows to {args.csv}")
        return 0
    view = frame[["ticker", "fiscal_period", "period_end", "metric", "segment", "basis", "value",
                  "unit", "yoy_pct", "release_date"]].copy()
    for column in ("period_end", "release_date"):
        view[column] = view[column].dt.strftime("%Y-%m-%d").fillna("")
    _print_table(view, float_format="{:,.2f}")
    return 0


def _cmd_claims(args: argparse.Namespace) -> int:
    from .ledger import claims_ledger, write_document_dates_csv, write_ledger_csv

    if args.csv or args.dates_csv:
        # The same writers produce the committed data/claims_ledger.csv and data/documents.csv.
        for target, writer, what in ((args.csv, write_ledger_csv, "claims ledger"),
                                     (args.dates_csv, write_document_dates_csv, "document dates")):
            if not target:
                continue
            try:
                writer(args.docs_dir, Path(target))
            except OSError as exc:
                raise OutputFileError(target, f"cannot write: {exc.strerror or exc}") from None
            print(f"wrote the {what} of {args.docs_dir} to {target}")
        return 0
    ledger = claims_ledger(args.docs_dir)
    columns = [c for c in ("doc_id", "quote", "value", "unit", "qualifier", "subject", "metric",
                           "period_label", "fiscal_period", "release_date", "as_of",
                           "ambiguous_period", "contradiction") if c in ledger]
    view = ledger[columns].copy()
    for column in ("release_date", "as_of"):
        if column in view:
            view[column] = view[column].dt.strftime("%Y-%m-%d")
    _print_table(view, float_format="{:,.6g}")
    return 0


def _cmd_read(args: argparse.Namespace) -> int:
    from .check import read_corpus

    docs, numbers, _ = read_corpus(args.docs, dates=args.dates)
    if args.csv:
        try:
            numbers.to_csv(args.csv, index=False)
        except OSError as exc:
            raise OutputFileError(args.csv, f"cannot write: {exc.strerror or exc}") from None
        print(f"wrote {len(numbers)} numbers of {len(docs)} documents to {args.csv}")
        return 0
    for doc in docs.itertuples(index=False):
        rows = numbers[numbers["doc_id"] == doc.doc_id]
        claims = rows[rows["role"] == "claim"]
        date = doc.published.strftime("%Y-%m-%d") if not pd.isna(doc.published) else "undated"
        print(f"{doc.title[:70]}  [{doc.doc_id}]")
        print(f"  date {date} ({doc.published_confidence}: {doc.published_evidence[:80]})")
        print(f"  {len(rows)} numbers: {len(claims)} claims, {len(rows) - len(claims)} not claims "
              f"({', '.join(f'{k} {v}' for k, v in rows.loc[rows['role'] != 'claim', 'role'].value_counts().items())})")
        if args.all:
            view = claims[["quote", "value", "unit", "subject", "metric", "window", "session"]].copy()
            view["session"] = view["session"].dt.strftime("%Y-%m-%d").fillna("")
            _print_table(view, float_format="{:,.6g}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from .verdicts import check_corpus, summary

    docs, table, _ = check_corpus(args.docs, dates=args.dates, source=args.source)
    if args.csv:
        _write_csv(table, args.csv)
        print(f"wrote {len(table)} numbers of {len(docs)} documents to {args.csv}")
    for doc in summary(table, docs).itertuples(index=False):
        date = doc.published.strftime("%Y-%m-%d") if not pd.isna(doc.published) else "undated"
        print(f"{str(doc.title)[:70]}  [{doc.doc_id}]  {date}")
        print(f"  {doc.claims} claims: {doc.supported} supported, {doc.contradicted} contradicted, "
              f"{doc.unverifiable} unverifiable")
        bad = table[(table["doc_id"] == doc.doc_id) & (table["verdict"] == "contradicted")]
        for r in bad.itertuples(index=False):
            print(f"  CONTRADICTED {r.quote!r} ({r.metric}): {r.measured_evidence}")
            print(f"    evidence: {str(r.evidence)[:160]}")
    return 0


def _cmd_study(args: argparse.Namespace) -> int:
    from .studies import (multi_window_study, parse_window, read_events_csv, terminal_aggregate,
                          terminal_table, windows_from_args)

    if args.events:
        events = read_events_csv(args.events)
    else:
        from .earnings import earnings_calendar

        calendar = earnings_calendar(args.ticker)
        events = calendar.rename(columns={"release_date": "event_date", "release_time": "timing"})
        events["event_id"] = events["ticker"] + " " + events["fiscal_period"]
        events = events[["event_id", "ticker", "event_date", "timing"]]
    long, aggregate = multi_window_study(
        events, windows_from_args(args.window), estimation=parse_window(args.estimation,
                                                                         "estimation window"),
        model=args.model, benchmark=args.benchmark, source=args.source)
    if args.csv:
        view = long.copy()
        for column in ("event_date", "day0"):
            view[column] = view[column].dt.strftime("%Y-%m-%d")
        _write_csv(view, args.csv)
    print(terminal_table(long))
    print()
    print(terminal_aggregate(aggregate))
    if args.csv:
        print(f"\nwrote {len(long)} rows (event x window) to {args.csv}")
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from .verify import verify_price_claim

    # One closeness word per number, as articles write them ("close to 13%", "about $135");
    # --qualifier is the default for the numbers without their own word.
    words = {"move": args.move_qualifier, "price": args.price_qualifier, "ytd": args.ytd_qualifier}
    qualifier = ({kind: word or args.qualifier for kind, word in words.items()}
                 if any(words.values()) else args.qualifier)
    verdict = verify_price_claim(args.ticker, args.date, move_pct=args.move, price=args.price,
                                 ytd_pct=args.ytd, qualifier=qualifier, source=args.source)
    print(f"{verdict.verdict.upper()}: {verdict.evidence}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .errors import ReportInterruptedError
    from .report import EXIT_INTERRUPTED, build_reports

    # docs=None lets build_reports use $BABARESEARCH_DOCS; without either, the committed ledger
    try:
        paths = build_reports(args.out, live=args.live, show_code=args.show_code,
                              docs=args.docs, timeout=args.timeout, force=args.force)
    except ReportInterruptedError as exc:
        print(f"babaresearch: interrupted: {exc}", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"wrote {len(paths)} files; open {Path(args.out) / 'index.html'}")
    return 0


# --------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and for ``--help`` documentation)."""
    parser = argparse.ArgumentParser(
        prog="babaresearch",
        description="Check articles' claims about BABA and NVDA against real prices, calendars "
                    "and event studies.")
    parser.add_argument("--version", action="version", version=f"babaresearch {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str):
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        cmd.set_defaults(func=func)
        return cmd

    def add_source(cmd, default: str = "auto") -> None:
        cmd.add_argument("--source", default=default,
                         choices=("auto", "snapshot", "cache", "live"),
                         help=f"where prices come from (default: {default})")

    cmd = add("prices", _cmd_prices, "print daily bars for tickers over a date range")
    cmd.add_argument("tickers", nargs="+", help="e.g. BABA NVDA SPY")
    cmd.add_argument("--start", help="first date (YYYY-MM-DD), inclusive")
    cmd.add_argument("--end", help="last date (YYYY-MM-DD), inclusive")
    cmd.add_argument("--csv", help="write the long-form table to this CSV instead of printing")
    add_source(cmd)

    add("data-info", _cmd_data_info,
        "print the embedded snapshot's tickers, date ranges, sources and content hash")

    cmd = add("quality", _cmd_quality, "print the data-quality report (filler bars, placeholders)")
    cmd.add_argument("tickers", nargs="*", help="default: every snapshot ticker")
    add_source(cmd, "snapshot")

    cmd = add("earnings", _cmd_earnings, "print the earnings calendar with each release's day 0")
    cmd.add_argument("--ticker", help="BABA or NVDA (default: both)")
    cmd.add_argument("--sources", action="store_true", help="also print where each date was found")
    cmd.add_argument("--live", action="store_true",
                     help="add releases from yfinance (curated rows are never overridden; "
                          "conflicts are listed)")

    cmd = add("events", _cmd_events, "print the dated corporate events with their day 0")
    cmd.add_argument("--ticker", help="restrict to one ticker")

    cmd = add("fundamentals", _cmd_fundamentals,
              "print the curated reported fundamentals (revenue, margins, EPS, guidance...)")
    cmd.add_argument("--ticker", help="BABA or NVDA (default: both)")
    cmd.add_argument("--csv", help="write the full table to this CSV instead of printing")

    cmd = add("claims", _cmd_claims, "extract and print the claims ledger of a documents folder")
    cmd.add_argument("docs_dir", help="folder of .txt articles")
    cmd.add_argument("--csv", help="write the full ledger to this CSV instead of printing")
    cmd.add_argument("--dates-csv",
                     help="write each document's as-of date and its evidence to this CSV")

    cmd = add("read", _cmd_read, "read a folder of .txt/.md/.html documents: dates, numbers, roles, claims")
    cmd.add_argument("docs", help="folder of documents (or one file)")
    cmd.add_argument("--dates", help="sidecar CSV doc_id,published,url,title (default: documents.csv in the folder)")
    cmd.add_argument("--csv", help="write the numbers table to this CSV instead of printing")
    cmd.add_argument("--all", action="store_true", help="also print every claim of every document")

    cmd = add("check", _cmd_check, "judge every claim of a folder of documents: supported, "
                                   "contradicted or unverifiable, with the reason")
    cmd.add_argument("docs", help="folder of documents (or one file)")
    cmd.add_argument("--dates", help="sidecar CSV doc_id,published,url,title (default: documents.csv in the folder)")
    cmd.add_argument("--csv", help="also write the check table (one row per number) to this CSV")
    add_source(cmd, "snapshot")

    cmd = add("study", _cmd_study, "event study of the earnings releases or of your own events, "
                                   "over several windows at once")
    cmd.add_argument("--ticker", help="BABA or NVDA (default: both; earnings releases)")
    cmd.add_argument("--events", metavar="FILE",
                     help="CSV of events instead of the earnings calendar: ticker,event_date,"
                          "timing (bmo/amc/intraday; optional label column)")
    cmd.add_argument("--benchmark", default="SPY", help="market index for the model (default SPY)")
    cmd.add_argument("--model", default="market",
                     choices=("market", "market_adjusted", "constant_mean"))
    cmd.add_argument("--window", action="append", nargs="+", metavar="A,B",
                     help="event window in sessions relative to day 0, repeatable "
                          "(--window=-1,+1 --window=0,5); default (0,0) (-1,+1) (0,+5) (-5,+20)")
    cmd.add_argument("--estimation", default="-250,-11", metavar="A,B",
                     help="estimation window in sessions relative to day 0 (default -250,-11; "
                          "write --estimation=-120,-11)")
    cmd.add_argument("--csv", metavar="FILE",
                     help="also write every event x window row (CAR, t, p, BHAR, status) to FILE")
    add_source(cmd)

    cmd = add("verify", _cmd_verify, "verdict on a price claim (move, price, year-to-date)")
    cmd.add_argument("ticker")
    cmd.add_argument("date", help="session the claim is about (YYYY-MM-DD)")
    cmd.add_argument("--move", type=float, help="claimed one-day move in percent, e.g. 13")
    cmd.add_argument("--price", type=float, help="claimed closing price, e.g. 135")
    cmd.add_argument("--ytd", type=float, help="claimed year-to-date change in percent, e.g. 60")
    cmd.add_argument("--qualifier",
                     help='closeness word for every number, e.g. "about", "close to", "almost"')
    cmd.add_argument("--move-qualifier", help="closeness word of the move only")
    cmd.add_argument("--price-qualifier", help="closeness word of the price only")
    cmd.add_argument("--ytd-qualifier", help="closeness word of the year-to-date change only")
    add_source(cmd)

    cmd = add("report", _cmd_report,
              "execute every notebook and write self-contained HTML reports plus index.html")
    cmd.add_argument("--out", default="reports", help="output folder (default: reports)")
    cmd.add_argument("--live", action="store_true",
                     help="let notebooks fetch missing prices from yfinance (default: snapshot only)")
    cmd.add_argument("--show-code", action="store_true",
                     help="include the code cells (default: narrative, tables and figures only)")
    cmd.add_argument("--no-input", action="store_true",
                     help=argparse.SUPPRESS)  # the old flag; hiding code is now the default
    cmd.add_argument("--docs", help="readable folder of .txt documents (default: "
                                    "$BABARESEARCH_DOCS, else none: the reports use the "
                                    "committed claims ledger)")
    cmd.add_argument("--force", action="store_true",
                     help="write into a non-empty folder babaresearch did not create (its "
                          "files are never deleted or overwritten)")
    cmd.add_argument("--timeout", type=int, default=600, help="seconds per notebook (default 600)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        return _run(args)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings the library issues on purpose (missing ranges, cache trouble) as one line."""
    print(f"babaresearch: warning: {message}", file=sys.stderr if file is None else file)


def _run(args: argparse.Namespace) -> int:
    try:
        return args.func(args)
    except BabaResearchError as exc:
        print(f"babaresearch: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:  # e.g. `babaresearch prices ... | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
