"""The small shared pieces: error hierarchy, ticker and date parsing, resources, lazy imports."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import babaresearch
from babaresearch import errors
from babaresearch.dates import to_date, to_date_range
from babaresearch.resources import data_dir, resource, snapshot_hash
from babaresearch.tickers import SNAPSHOT_TICKERS, normalize_ticker, normalize_tickers


def test_every_error_derives_from_the_base_class():
    classes = [obj for obj in vars(errors).values()
               if isinstance(obj, type) and issubclass(obj, Exception)]
    assert len(classes) >= 14
    for cls in classes:
        assert issubclass(cls, errors.BabaResearchError), f"{cls.__name__} escapes the base class"
        assert getattr(babaresearch, cls.__name__) is cls, f"{cls.__name__} not exported"


def test_data_file_error_names_file_and_line():
    exc = errors.DataFileError("data/x.csv", "bad date 'x'", line=7)
    assert str(exc) == "data/x.csv, line 7: bad date 'x'"
    assert (exc.path, exc.line) == ("data/x.csv", 7)


def test_unknown_ticker_error_message_is_not_quoted_like_a_key_error():
    exc = errors.UnknownTickerError("TSLA", known=("BABA",))
    assert str(exc) == "unknown ticker 'TSLA' in the embedded snapshot; known: BABA"


@pytest.mark.parametrize("raw, expected", [("baba", "BABA"), (" nvda ", "NVDA"),
                                           ("BRK-B", "BRK-B"), ("9988.HK", "9988.HK"),
                                           ("^GSPC", "^GSPC")])
def test_normalize_ticker_accepts_yahoo_symbols(raw, expected):
    assert normalize_ticker(raw) == expected


@pytest.mark.parametrize("bad", ["", "   ", "../x", "a/b", "..", "BA BA", "C:\\x", 42, None,
                                 "X" * 20, "$BABA"])
def test_normalize_ticker_rejects_malformed_and_path_like_names(bad):
    with pytest.raises(errors.InvalidTickerError) as info:
        normalize_ticker(bad)
    assert repr(bad) in str(info.value), "the message must name the culprit"


def test_normalize_tickers_keeps_order_and_drops_repeats():
    assert normalize_tickers(["nvda", "BABA", "NVDA"]) == ["NVDA", "BABA"]
    assert normalize_tickers("spy") == ["SPY"]
    with pytest.raises(errors.InvalidTickerError):
        normalize_tickers([])
    with pytest.raises(errors.InvalidTickerError):
        normalize_tickers(5)


def test_to_date_dates_an_instant_by_the_new_york_calendar_day():
    assert to_date("2025-08-29") == pd.Timestamp("2025-08-29")
    eastern = pd.Timestamp("2025-08-29 23:30", tz="America/New_York")
    assert to_date(eastern) == pd.Timestamp("2025-08-29")
    # 21:00 in Los Angeles is midnight in New York: the market's next calendar day.
    pacific = pd.Timestamp("2025-08-28 21:00", tz="America/Los_Angeles")
    assert to_date(pacific) == pd.Timestamp("2025-08-29"), "must not date by the local zone"
    # 01:00 UTC on the 30th is still the evening of the 29th in New York.
    assert to_date("2025-08-30 01:00+00:00") == pd.Timestamp("2025-08-29")


def test_to_date_reads_integers_as_yyyymmdd_never_as_epoch_nanoseconds():
    assert to_date(20250829) == pd.Timestamp("2025-08-29")
    with pytest.raises(errors.DateRangeError, match="YYYYMMDD"):
        to_date(1)
    with pytest.raises(errors.DateRangeError, match="20251301"):
        to_date(20251301)
    with pytest.raises(errors.DateRangeError):
        to_date(True)
    with pytest.raises(errors.DateRangeError, match="not-a-date"):
        to_date("not-a-date")
    with pytest.raises(errors.DateRangeError):
        to_date(None)


def test_to_date_range_rejects_reversed_ranges():
    assert to_date_range(None, None) == (None, None)
    with pytest.raises(errors.DateRangeError, match="2025-09-05 is after end 2025-08-25"):
        to_date_range("2025-09-05", "2025-08-25")


def test_resources_point_at_the_embedded_snapshot():
    assert resource("prices", "BABA.csv").is_file()
    assert {p.stem for p in (data_dir() / "prices").glob("*.csv")} == set(SNAPSHOT_TICKERS)
    digest = snapshot_hash(short=False)
    assert len(digest) == 64 and snapshot_hash() == digest[:12]


def test_import_is_lazy():
    """`import babaresearch` must not pull in the heavy libraries (import-time target < 0.5 s)."""
    code = ("import sys, babaresearch; "
            "heavy = [m for m in ('matplotlib', 'statsmodels', 'yfinance', 'scipy', "
            "'exchange_calendars') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"eagerly imported: {out.stdout.strip()}"


def test_unknown_attribute_raises_attribute_error():
    with pytest.raises(AttributeError):
        babaresearch.no_such_function  # noqa: B018


def test_atomic_write_text_replaces_whole_files_and_keeps_the_old_one_on_failure(tmp_path, monkeypatch):
    import os

    from babaresearch.resources import atomic_write_text

    target = tmp_path / "sub" / "x.csv"
    assert atomic_write_text(target, "a,b\n1,2\n") == target
    assert target.read_text(encoding="utf-8") == "a,b\n1,2\n"
    assert (target.stat().st_mode & 0o777) == 0o644

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "a,b\n1,2\n", "the old file survives"
    assert [p.name for p in target.parent.iterdir()] == ["x.csv"], "no temporary file is left"
