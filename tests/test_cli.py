"""The command line: every sub-command runs, prints what the README promises, fails cleanly."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from babaresearch.cli import EXIT_USER_ERROR, main
from conftest import REPO_ROOT


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_prices_prints_the_2025_08_29_move(capsys):
    code, out, _ = run_cli(capsys, "prices", "BABA", "NVDA", "--start", "2025-08-20",
                           "--end", "2025-09-05", "--source", "snapshot")
    assert code == 0
    line = next(row for row in out.splitlines() if "2025-08-29" in row and "BABA" in row)
    # 135.00 / 119.57 - 1 = +12.90%: the move the seed article calls "close to 13%".
    assert "135.00" in line and "12.90" in line, line
    assert sum("NVDA" in row for row in out.splitlines()) == 12, "12 NVDA sessions in the range"


def test_prices_csv_round_trips(tmp_path, capsys):
    target = tmp_path / "bars.csv"
    code, out, _ = run_cli(capsys, "prices", "SPY", "--start", "2025-01-02", "--end",
                           "2025-01-10", "--csv", str(target), "--source", "snapshot")
    assert code == 0 and "wrote" in out
    frame = pd.read_csv(target)
    assert list(frame.columns) == ["date", "ticker", "open", "high", "low", "close",
                                   "adj_close", "volume"]
    # 2025-01-09 was a market closure (national day of mourning): 6 sessions, not 7.
    assert len(frame) == 6 and "2025-01-09" not in set(frame["date"])


def test_data_info_lists_every_ticker_with_its_range_and_the_hash(capsys):
    from babaresearch.resources import snapshot_hash

    code, out, _ = run_cli(capsys, "data-info")
    assert code == 0
    assert snapshot_hash(short=False) in out
    # every ticker runs to 2026-10-09 since the prices_extension refresh (issue 9)
    for ticker, last in [("BABA", "2026-10-09"), ("NVDA", "2026-10-09"), ("SPY", "2026-10-09"),
                         ("KWEB", "2026-10-09"), ("MCHI", "2026-10-09")]:
        row = next(r for r in out.splitlines() if r.split() and r.split()[0] == ticker)
        assert "2023-01-03" in row and last in row, row


def test_quality_flags_the_spy_and_fxi_filler_bars(capsys):
    code, out, _ = run_cli(capsys, "quality", "SPY", "FXI", "BABA")
    assert code == 0
    rows = [r for r in out.splitlines() if "2026-04-20" in r]
    assert {r.split()[0] for r in rows} == {"SPY", "FXI"}, out


def test_earnings_prints_day0_after_the_close_for_nvda(capsys):
    code, out, _ = run_cli(capsys, "earnings", "--ticker", "NVDA")
    assert code == 0
    row = next(r for r in out.splitlines() if "FY2026Q2" in r)
    assert "2025-08-27" in row and "2025-08-28" in row, "amc release on 08-27 trades on 08-28"


def test_events_prints_the_chip_report(capsys):
    code, out, _ = run_cli(capsys, "events", "--ticker", "BABA")
    assert code == 0 and "2025-08-29" in out


def test_verify_supports_the_close_to_13_percent_claim(capsys):
    code, out, _ = run_cli(capsys, "verify", "BABA", "2025-08-29", "--move", "13",
                           "--qualifier", "close to", "--source", "snapshot")
    assert code == 0 and out.startswith("SUPPORTED"), out
    assert "12.9" in out


def test_verify_takes_one_closeness_word_per_number(capsys):
    code, out, _ = run_cli(capsys, "verify", "BABA", "2025-08-29", "--move", "13",
                           "--move-qualifier", "close to", "--price", "135", "--price-qualifier",
                           "about", "--ytd", "60", "--ytd-qualifier", "almost",
                           "--source", "snapshot")
    assert code == 0 and out.startswith("SUPPORTED"), out
    assert "close to" in out and "about" in out and "almost" in out, out


def test_study_runs_the_baba_earnings_events(capsys):
    code, out, _ = run_cli(capsys, "study", "--ticker", "BABA", "--source", "snapshot")
    assert code == 0
    assert "FY2026Q1" in out and "2025-08-29" in out


def test_claims_prints_the_seed_ledger(capsys, seeds_dir, tmp_path):
    code, out, _ = run_cli(capsys, "claims", str(seeds_dir))
    assert code == 0 and "470" in out
    target = tmp_path / "ledger.csv"
    code, _, _ = run_cli(capsys, "claims", str(seeds_dir), "--csv", str(target))
    assert code == 0 and len(pd.read_csv(target)) > 20
    dates = tmp_path / "documents.csv"
    code, _, _ = run_cli(capsys, "claims", str(seeds_dir), "--dates-csv", str(dates))
    assert code == 0
    committed = (REPO_ROOT / "data" / "documents.csv").read_text(encoding="utf-8")
    assert dates.read_text(encoding="utf-8") == committed, "the CLI writes the committed file"


@pytest.mark.parametrize("argv, culprit", [
    (["prices", "../etc", "--source", "snapshot"], "../etc"),
    (["prices", "TSLA", "--source", "snapshot"], "TSLA"),
    (["prices", "BABA", "--start", "2025-09-05", "--end", "2025-08-25"], "2025-09-05"),
    (["prices", "BABA", "--start", "2030-01-01", "--end", "2030-02-01", "--source", "snapshot"],
     "BABA"),
    (["claims", "/nonexistent/folder"], "/nonexistent/folder"),
    (["verify", "BABA", "yesterday-ish"], "yesterday-ish"),
    (["prices", "BABA", "--start", "2025-08-25", "--end", "2025-08-29", "--source", "snapshot",
      "--csv", "/nonexistent/dir/x.csv"], "/nonexistent/dir/x.csv"),
    (["prices", "BABA", "--start", "2025-13-01"], "2025-13-01"),
])
def test_bad_input_is_one_clear_line_not_a_traceback(capsys, argv, culprit):
    code, out, err = run_cli(capsys, *argv)
    assert code == EXIT_USER_ERROR
    assert err.startswith("babaresearch: error:") and culprit in err, err
    assert "Traceback" not in err


def test_python_dash_m_entry_point():
    out = subprocess.run([sys.executable, "-m", "babaresearch", "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.startswith("babaresearch ")


def test_earnings_live_adds_rows_and_lists_conflicts(capsys, monkeypatch):
    """`earnings --live` goes through refresh_earnings_live: yfinance mocked at its boundary."""
    import sys
    import types
    import warnings

    stamps = pd.DatetimeIndex(["2026-11-18 16:00", "2026-05-21 16:00"]).tz_localize("America/New_York")
    frame = pd.DataFrame({"EPS Estimate": [1.0, 1.0], "Reported EPS": [float("nan"), 1.0],
                          "Surprise(%)": [2.0, 2.0]}, index=pd.Index(stamps, name="Earnings Date"))

    class FakeTicker:
        def __init__(self, symbol):
            self.symbol = symbol

        def get_earnings_dates(self, limit=12, offset=0):
            return frame

    module = types.ModuleType("yfinance")
    module.Ticker = FakeTicker
    monkeypatch.setitem(sys.modules, "yfinance", module)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code, out, _ = run_cli(capsys, "earnings", "--ticker", "NVDA", "--live")
    assert code == 0
    assert "FY2027Q3" in out and "2026-11-19" in out, "the scheduled release is added with its day 0"
    assert "1 conflict(s)" in out and "2026-05-21" in out, out
    kept = next(r for r in out.splitlines() if "FY2027Q1" in r)
    assert "2026-05-20" in kept, "the curated date is kept"


def test_earnings_live_failure_is_a_one_line_error(capsys, monkeypatch):
    import sys
    import types

    class EmptyTicker:
        def __init__(self, symbol):
            pass

        def get_earnings_dates(self, limit=12, offset=0):
            return None

    module = types.ModuleType("yfinance")
    module.Ticker = EmptyTicker
    monkeypatch.setitem(sys.modules, "yfinance", module)
    code, _, err = run_cli(capsys, "earnings", "--ticker", "BABA", "--live")
    assert code == EXIT_USER_ERROR and "BABA" in err and "Traceback" not in err


def test_warnings_are_one_line_each(capsys, monkeypatch):
    """A range past the snapshot's end: the data served, one warning line naming ticker and range."""
    import babaresearch.prices as prices

    def offline(*args, **kwargs):
        raise ConnectionError("Could not resolve host: query2.finance.yahoo.com")

    monkeypatch.setattr(prices, "_yf_history", offline)  # the one live boundary
    code, out, err = run_cli(capsys, "prices", "BABA", "--start", "2026-10-01", "--end", "2026-10-20")
    assert code == 0 and "2026-10-07" in out
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and all(line.startswith("babaresearch: warning: BABA") for line in lines), err
    assert "2026-10-10" in err and "cli.py" not in err
