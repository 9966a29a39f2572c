"""``babaresearch study`` over several windows and a user's own events file (issue 10,
"Event-study command line"): the numbers, the 100-column terminal table, the CSV, the errors."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from babaresearch.cli import main
from babaresearch.studies import (DEFAULT_WINDOWS, multi_window_study, parse_window,
                                  read_events_csv, terminal_table, window_label)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def snapshot_close(ticker: str, date: str) -> float:
    from babaresearch.resources import data_dir

    with open(data_dir() / "prices" / f"{ticker}.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["date"] == date:
                return float(row["close"])
    raise AssertionError(f"no {ticker} bar on {date} in the snapshot")


@pytest.fixture
def events_file(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("ticker,event_date,timing,label\n"
                    "BABA,2025-08-29,bmo,BABA results and the T-Head chip report (a long label)\n"
                    "NVDA,2025-04-15,amc,\n"
                    "BABA,2030-01-01,bmo,after the data\n", encoding="utf-8")
    return path


def test_events_file_with_four_windows_fits_100_columns_and_pins_the_numbers(capsys, events_file,
                                                                            tmp_path):
    out_csv = tmp_path / "study.csv"
    code, out, err = run(capsys, "study", "--events", str(events_file), "--source", "snapshot",
                         "--window=0,0", "--window=-1,+1", "--window=0,+5", "--window=-5,+20",
                         "--csv", str(out_csv))
    assert code == 0, err
    assert out.splitlines()[-1] == f"wrote 12 rows (event x window) to {out_csv}"
    widths = [len(line) for line in out.splitlines()[:-1]]  # the tables, not the file name
    assert max(widths) <= 100, f"the terminal table must fit 100 columns, widest {max(widths)}"
    header = out.splitlines()[0]
    for label in ("CAR(0,0)", "CAR(-1,+1)", "CAR(0,+5)", "CAR(-5,+20)"):
        assert label in header, f"one column per window: {header}"
    # README: market model on SPY over -250..-11, CAR(-1,+1) +13.55%, t = 2.74
    baba = next(line for line in out.splitlines() if line.startswith("BABA results"))
    assert "+13.6% (+2.74)*" in baba, baba
    assert "after the data" in out and "outofrange" in out, "an unmeasurable event is named"
    long = pd.read_csv(out_csv)
    assert len(long) == 3 * 4, "one CSV row per event and window"
    assert set(long["window"]) == {"(0,0)", "(-1,+1)", "(0,+5)", "(-5,+20)"}
    row = long[(long["ticker"] == "BABA") & (long["window"] == "(0,0)")
               & (long["status"] == "ok")].iloc[0]
    # independent check of day 0: AR = R - (alpha + beta * R_SPY) from the closes themselves
    stock = snapshot_close("BABA", "2025-08-29") / snapshot_close("BABA", "2025-08-28") - 1
    market = snapshot_close("SPY", "2025-08-29") / snapshot_close("SPY", "2025-08-28") - 1
    assert abs(row["raw_return_day0"] - stock) < 5e-3, "BABA's day-0 return is 135.00/119.57 - 1"
    expected_ar = row["raw_return_day0"] - (row["alpha"] + row["beta"] * market)
    assert abs(row["car"] - expected_ar) < 2e-3, (row["car"], expected_ar)
    assert row["day0"] == "2025-08-29"
    nvda = long[(long["ticker"] == "NVDA") & (long["window"] == "(0,0)")].iloc[0]
    assert nvda["day0"] == "2025-04-16", "an after-the-close event is priced the next session"


def test_default_windows_on_the_earnings_calendar(capsys):
    code, out, _ = run(capsys, "study", "--ticker", "BABA", "--source", "snapshot")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "FY2026Q1" in out and "2025-08-29" in out
    for window in DEFAULT_WINDOWS:
        assert f"CAR{window_label(window)}" in out
    assert "CAAR" in out and "Patell Z" in out, "the aggregate table follows"


def test_the_older_two_number_window_still_works(capsys):
    code, out, _ = run(capsys, "study", "--ticker", "BABA", "--source", "snapshot",
                       "--window", "-1", "1")
    assert code == 0 and "CAR(-1,+1)" in out and "CAR(0,0)" not in out


def test_estimation_window_is_used(capsys):
    full, _ = multi_window_study([{"ticker": "BABA", "event_date": "2025-08-29"}], [(0, 0)],
                                 source="snapshot")
    short, _ = multi_window_study([{"ticker": "BABA", "event_date": "2025-08-29"}], [(0, 0)],
                                  estimation=(-120, -11), source="snapshot")
    assert full["n_est"].iloc[0] > 200 and short["n_est"].iloc[0] == 110, \
        "sessions -120..-11 are 110 estimation days"
    assert full["beta"].iloc[0] != pytest.approx(short["beta"].iloc[0])


@pytest.mark.parametrize("content, message", [
    ("ticker,when\nBABA,2025-08-29\n", "line 1: missing column(s) event_date"),
    ("ticker,event_date\nBABA,2025-13-01\n", "line 2: event_date '2025-13-01'"),
    ("ticker,event_date,timing\nBABA,2025-08-29,bmo\nBABA,2025-08-30,lunch\n", "line 3: timing 'lunch'"),
    ("ticker,event_date\n", "no events"),
])
def test_bad_events_files_are_one_line_naming_file_and_line(capsys, tmp_path, content, message):
    path = tmp_path / "events.csv"
    path.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "study", "--events", str(path), "--source", "snapshot")
    assert code == 2 and err.count("\n") == 1 and str(path) in err and message in err, err


@pytest.mark.parametrize("argv, message", [
    (["--window=3,1"], "first session is after the last"),
    (["--window=a,b"], "expected two session offsets"),
    (["--estimation=-10,-250"], "first session is after the last"),
])
def test_bad_windows_are_one_line(capsys, argv, message):
    code, _, err = run(capsys, "study", "--ticker", "BABA", "--source", "snapshot", *argv)
    assert code == 2 and err.count("\n") == 1 and message in err, err


def test_parse_and_label_windows():
    assert parse_window("-1,+1") == (-1, 1) and parse_window(" 0 , 5 ") == (0, 5)
    assert [window_label(w) for w in DEFAULT_WINDOWS] == ["(0,0)", "(-1,+1)", "(0,+5)", "(-5,+20)"]


def test_read_events_csv_defaults(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("Ticker,Event_Date,Timing\nbaba,2025-08-29,\n\nnvda,2025-08-27,AMC\n",
                    encoding="utf-8")
    frame = read_events_csv(path)
    assert list(frame["event_id"]) == ["BABA 2025-08-29", "NVDA 2025-08-27"]
    assert list(frame["timing"]) == ["bmo", "amc"], "empty timing is before the open"
    assert str(frame["event_date"].dtype) == "datetime64[ns]"


def test_terminal_table_shortens_long_labels_to_fit():
    long = pd.DataFrame({"event": ["x" * 200], "day0": [pd.Timestamp("2025-08-29")],
                         "window": ["(0,0)"], "car": [0.1], "t": [2.0], "p": [0.04],
                         "status": ["ok"], "detail": [None]})
    text = terminal_table(long)
    assert max(len(line) for line in text.splitlines()) <= 100 and "\u2026" in text
