"""Reported fundamentals: the vendored table, its validation, look-ups, and the live refresh.

Expected values are read from ``data/fundamentals.csv`` (the companies' releases); a failure of
the pinned-value tests means the vendored file or the loader changed a reported figure. The live
path mocks yfinance at its one boundary (``yfinance.Ticker``), as ``test_prices_live`` does; one
test runs the real yfinance code with only its HTTP layer scripted, to pin Yahoo's row labels.
"""

from __future__ import annotations

import importlib
import json
import math
import warnings

import pandas as pd
import pytest
import yfinance

import babaresearch
from babaresearch import fundamentals as fundamentals_api
from babaresearch.cli import main
from babaresearch.errors import (DataFileError, InvalidOptionError, LiveDataError, NoDataError,
                                 OutOfRangeError, PeriodError, UnknownTickerError)
from babaresearch.fundamentals import (
    BASES, COLUMNS, CONFLICT_COLUMNS, FILE_COLUMNS, METRICS, FundamentalsConflictWarning,
    fiscal_quarter_of_period_end, fundamentals_cache_dir, latest_reported_quarter, lookup_fact,
    merge_live, metric_vocabulary, prior_year_quarter, refresh_fundamentals_live,
    stated_precision,
)
from babaresearch.prices import CacheWarning
from conftest import REPO_ROOT

module = importlib.import_module("babaresearch.fundamentals")
fundamentals = module.fundamentals
DATA_FILE = REPO_ROOT / "data" / "fundamentals.csv"
HEADER = ",".join(FILE_COLUMNS)
#: Line 199 of data/fundamentals.csv minus its long source URLs: BABA FY2026Q2 revenue.
GOOD_ROW = ("BABA,FY2026Q2,2025-09-30,revenue,,247795000000,CNY,GAAP,5,2025-11-25,"
            "https://markets.ft.com/x,https://aijourn.com/y,")
#: Line 203 likewise: BABA FY2026Q2 net income (a second valid row, single-sourced here).
OTHER_ROW = "BABA,FY2026Q2,2025-09-30,net_income,,20612000000,CNY,GAAP,-53,2025-11-25,https://markets.ft.com/x,,"


def write_csv(tmp_path, *lines: str, name: str = "fundamentals.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def one(frame: pd.DataFrame) -> pd.Series:
    assert len(frame) == 1, f"expected exactly one row, got {len(frame)}:\n{frame}"
    return frame.iloc[0]


# ---------------------------------------------------------------------------------------------
# The vendored file
# ---------------------------------------------------------------------------------------------

def test_vendored_file_is_the_shared_one_and_loads_whole():
    shared = REPO_ROOT.parent / "shared" / "data" / "fundamentals.csv"
    if shared.is_file():
        assert DATA_FILE.read_bytes() == shared.read_bytes(), "vendored copy differs from ../shared"
    facts = fundamentals()
    # The README's counts: 227 figures, 184 with a second source; 152 NVIDIA, 75 Alibaba.
    assert len(facts) == 227
    assert (facts["source2"] != "").sum() == 184
    assert facts["ticker"].value_counts().to_dict() == {"NVDA": 152, "BABA": 75}
    assert list(facts.columns) == list(COLUMNS)
    assert (facts["origin"] == "curated").all()


def test_columns_are_typed():
    facts = fundamentals()
    for column in ("period_end", "release_date"):
        assert facts[column].dtype == "datetime64[ns]", column
    for column in ("value", "precision", "yoy_pct"):
        assert facts[column].dtype == "float64", column
    for column in ("ticker", "fiscal_period", "metric", "segment", "basis", "unit", "source"):
        assert pd.api.types.is_string_dtype(facts[column]), column


def test_baba_september_2025_quarter_revenue_and_cloud():
    revenue = one(lookup_fact("BABA", "revenue", "FY2026Q2", segment=""))
    assert revenue.value == 247_795_000_000 and revenue.unit == "CNY"
    assert revenue.yoy_pct == 5 and revenue.basis == "GAAP"
    assert revenue.period_end == pd.Timestamp("2025-09-30")
    assert revenue.release_date == pd.Timestamp("2025-11-25")
    assert revenue.precision == 500_000, "stated in RMB millions"
    cloud = one(lookup_fact("BABA", "revenue", "FY2026Q2", segment="cloud intelligence"))
    assert cloud.value == 39_824_000_000 and cloud.yoy_pct == 34, "cloud +34% (Sep-2025 quarter)"
    june = one(lookup_fact("BABA", "revenue", "FY2026Q1", segment="Cloud Intelligence"))
    assert june.yoy_pct == 26, "cloud +26% (June-2025 quarter)"


def test_baba_free_cash_flow_outflow_and_growth_only_rows():
    fcf = one(lookup_fact("BABA", "free_cash_flow", "FY2026Q2"))
    assert fcf.value == -21_840_000_000 and fcf.basis == "non-GAAP", "outflow of RMB 21.84bn"
    # FY2025Q4 cloud: only "+18%" was found, no RMB amount.
    growth_only = one(lookup_fact("BABA", "revenue", "FY2025Q4", segment="Cloud Intelligence"))
    assert math.isnan(growth_only.value) and math.isnan(growth_only.precision)
    assert growth_only.yoy_pct == 18
    # A documented gap stays a gap: no BABA FY2026Q3 net income.
    assert lookup_fact("BABA", "net_income", "FY2026Q3").empty


def test_nvda_quarter_revenue_segments_and_fiscal_year():
    revenue = one(lookup_fact("NVDA", "revenue", "FY2026Q2", segment=""))
    assert revenue.value == 46_743_000_000 and revenue.unit == "USD" and revenue.yoy_pct == 56
    assert revenue.period_end == pd.Timestamp("2025-07-27")
    data_center = one(lookup_fact("NVDA", "revenue", "FY2026Q2", segment="Data Center"))
    assert data_center.value == 41_096_000_000
    assert len(lookup_fact("NVDA", "revenue", "FY2026Q2")) == 3, "total, Data Center, Gaming"
    year = one(lookup_fact("NVDA", "revenue", "FY2023"))
    assert year.value == 26_970_000_000 and year.period_type == "fiscal_year"
    assert revenue.period_type == "quarter"


def test_nvda_non_gaap_restatement_is_a_separate_basis():
    as_reported = one(lookup_fact("NVDA", "gross_margin", "FY2026Q4", basis="non-GAAP"))
    restated = one(lookup_fact("NVDA", "gross_margin", "FY2026Q4",
                               basis="non-GAAP (FY2027 definition)"))
    assert (as_reported.value, restated.value) == (75.2, 75.1)
    assert len(lookup_fact("NVDA", "gross_margin", "FY2026Q4")) == 3, "GAAP 75.0 as well"
    eps = lookup_fact("NVDA", "eps_diluted", "FY2026Q4", basis="NON-GAAP")
    assert one(eps).value == 1.62 and one(eps).precision == 0.005


def test_nvda_pre_split_eps_and_the_split_adjusted_row():
    assert one(lookup_fact("NVDA", "eps_diluted", "FY2024Q3", basis="GAAP")).value == 3.71
    assert one(lookup_fact("NVDA", "eps_diluted", "FY2024Q3",
                           basis="GAAP (split-adjusted)")).value == 0.37


def test_guidance_is_keyed_to_the_quarter_guided():
    guide = one(lookup_fact("NVDA", "revenue_guidance", "FY2027Q2"))
    band = one(lookup_fact("NVDA", "revenue_guidance_range_pct", "FY2027Q2"))
    assert guide.value == 91_000_000_000 and band.value == 2 and band.unit == "%"
    assert guide.release_date == pd.Timestamp("2026-05-20") < guide.period_end


def test_stand_alone_announcements_have_no_period_end():
    plan = lookup_fact("BABA", "capex_plan", "FY2026Q2")
    assert len(plan) == 2, "380bn plan restated on 2025-09-24 and 2025-11-25"
    assert plan["period_end"].isna().all()
    assert set(plan["release_date"].dt.strftime("%Y-%m-%d")) == {"2025-09-24", "2025-11-25"}
    chips = one(lookup_fact("BABA", "chip_shipments", "FY2027Q1", segment="T-Head"))
    assert chips.value == 560_000 and chips.unit == "count"


def test_results_release_dates_match_the_earnings_calendar():
    facts = fundamentals()
    calendar = babaresearch.earnings_calendar()[["ticker", "fiscal_period", "release_date"]]
    results = facts[(facts["period_type"] == "quarter")
                    & facts["basis"].isin(["GAAP", "non-GAAP", "adjusted", "GAAP (split-adjusted)",
                                           "non-GAAP (FY2027 definition)"])]
    joined = results.merge(calendar, on=["ticker", "fiscal_period"], suffixes=("", "_calendar"))
    assert len(joined) == len(results), "every reported quarter is in the earnings calendar"
    off = joined[joined["release_date"] != joined["release_date_calendar"]]
    assert off.empty, off[["ticker", "fiscal_period", "metric", "release_date"]]


def test_vocabulary_covers_the_file():
    facts = fundamentals()
    vocabulary = metric_vocabulary()
    assert list(vocabulary["metric"]) == [m.metric for m in METRICS]
    assert set(facts["metric"]) <= set(vocabulary["metric"])
    assert set(facts["basis"]) <= set(BASES)
    assert {"revenue", "gross_margin", "eps_diluted", "free_cash_flow", "capex_plan",
            "ai_revenue_streak", "revenue_guidance"} <= set(facts["metric"])


def test_stated_precision():
    assert stated_precision("22600000000", "USD") == 50_000_000  # "$22.6 billion"
    assert stated_precision("46743000000", "USD") == 500_000  # in millions
    assert stated_precision("72.4", "%") == pytest.approx(0.05)
    assert stated_precision("1.30", "USD") == pytest.approx(0.005)
    assert stated_precision("10", "count") == 0.5, "a count of 10 is exact, not ± 5"
    assert stated_precision("-21840000000", "CNY") == 5_000_000
    assert stated_precision("58000000000", "USD", exact=True) == 0.5, "a vendor's raw value"


def test_ticker_selection():
    assert set(fundamentals("baba")["ticker"]) == {"BABA"}
    assert len(fundamentals(["NVDA", "BABA"])) == 227
    with pytest.raises(UnknownTickerError, match="AAPL"):
        fundamentals("AAPL")
    with pytest.raises(InvalidOptionError, match="source"):
        fundamentals(source="live")


# ---------------------------------------------------------------------------------------------
# Bad files
# ---------------------------------------------------------------------------------------------

def test_missing_column_names_the_file_and_line_1(tmp_path):
    header = HEADER.replace(",unit", "")
    row = GOOD_ROW.replace(",CNY", "")
    path = write_csv(tmp_path, header, row)
    with pytest.raises(DataFileError, match="missing column") as info:
        fundamentals(path=path)
    assert info.value.line == 1 and info.value.path == str(path) and "unit" in str(info.value)


@pytest.mark.parametrize("cell", ["247,795", "2.4e11", "RMB247795", "nan"])
def test_bad_number_names_its_line(tmp_path, cell):
    bad = GOOD_ROW.replace("247795000000", f'"{cell}"')
    path = write_csv(tmp_path, HEADER, OTHER_ROW, bad)
    with pytest.raises(DataFileError, match="not a plain number") as info:
        fundamentals(path=path)
    assert info.value.line == 3, "header is line 1, the bad row line 3"
    assert f"{path}, line 3" in str(info.value)


def test_line_numbers_count_quoted_multi_line_notes(tmp_path):
    first = OTHER_ROW + '"two\nlines"'  # the note field, quoted over two physical lines
    bad = GOOD_ROW.replace(",5,", ",five,")
    path = write_csv(tmp_path, HEADER, first, bad)
    with pytest.raises(DataFileError, match="yoy_pct 'five'") as info:
        fundamentals(path=path)
    assert info.value.line == 4, "the quoted note spans lines 2-3"


@pytest.mark.parametrize("change, message", [
    (("revenue", "revenues"), "unknown metric 'revenues'"),
    ((",CNY,", ",RMB,"), "unit 'RMB'"),
    ((",GAAP,", ",IFRS,"), "unknown basis 'IFRS'"),
    (("2025-09-30", "2025-09-28"), "disagrees with the fiscal calendar"),
    (("2025-11-25", "2025/11/25"), "release_date '2025/11/25' is not a YYYY-MM-DD date"),
    (("2025-11-25", "2025-06-30"), "before BABA FY2026Q2 began"),
    (("2025-11-25", "2026-02-01"), "124 days after"),
    (("247795000000", "-247795000000"), "must be > 0"),
    (("FY2026Q2", "FY2026Q5"), "fiscal_period"),
    ((",5,", ",,", "247795000000", ""), "states nothing"),
    (("https://markets.ft.com/x", ""), "empty source"),
])
def test_bad_cells_are_named(tmp_path, change, message):
    row = GOOD_ROW
    for old, new in zip(change[::2], change[1::2]):
        row = row.replace(old, new, 1)
    path = write_csv(tmp_path, HEADER, row)
    with pytest.raises(DataFileError, match=message) as info:
        fundamentals(path=path)
    assert info.value.line == 2


def test_margin_out_of_range_and_fractional_count(tmp_path):
    margin = "NVDA,FY2026Q2,2025-07-27,gross_margin,,724,%,GAAP,,2025-08-27,https://x,,"
    streak = "BABA,FY2026Q2,2025-09-30,ai_revenue_streak,Cloud Intelligence,9.5,count,,,2025-11-25,https://x,,"
    with pytest.raises(DataFileError, match="between 0 and 100"):
        fundamentals(path=write_csv(tmp_path, HEADER, margin, name="m.csv"))
    with pytest.raises(DataFileError, match="whole number"):
        fundamentals(path=write_csv(tmp_path, HEADER, streak, name="s.csv"))


def test_duplicate_fact_names_the_first_line(tmp_path):
    path = write_csv(tmp_path, HEADER, GOOD_ROW, GOOD_ROW.replace("247795000000", "247800000000"))
    with pytest.raises(DataFileError, match="duplicate BABA FY2026Q2 revenue.*first on line 2") as info:
        fundamentals(path=path)
    assert info.value.line == 3


def test_wrong_field_count_and_missing_file(tmp_path):
    path = write_csv(tmp_path, HEADER, GOOD_ROW + ",extra")
    with pytest.raises(DataFileError, match="expected 13 fields, found 14") as info:
        fundamentals(path=path)
    assert info.value.line == 2
    with pytest.raises(DataFileError, match="not found"):
        fundamentals(path=tmp_path / "absent.csv")


def test_header_only_file_gives_an_empty_typed_frame(tmp_path):
    empty = fundamentals(path=write_csv(tmp_path, HEADER))
    assert empty.empty and list(empty.columns) == list(COLUMNS)
    assert empty["value"].dtype == "float64" and empty["period_end"].dtype == "datetime64[ns]"
    blank = tmp_path / "blank.csv"
    blank.write_bytes(b"")
    with pytest.raises(DataFileError, match="empty file"):
        fundamentals(path=blank)


def test_one_row_file_without_optional_columns(tmp_path):
    header = ",".join(FILE_COLUMNS[:11])
    row = ",".join(GOOD_ROW.split(",")[:11])
    facts = fundamentals(path=write_csv(tmp_path, header, row))
    assert len(facts) == 1 and facts.iloc[0].value == 247_795_000_000
    assert facts.iloc[0].source2 == "" and facts.iloc[0].note == ""
    with pytest.raises(UnknownTickerError, match="NVDA"):
        fundamentals("NVDA", path=write_csv(tmp_path, header, row, name="again.csv"))


# ---------------------------------------------------------------------------------------------
# Look-ups and periods
# ---------------------------------------------------------------------------------------------

def test_lookup_rejects_unknown_metric_and_bad_period():
    with pytest.raises(InvalidOptionError, match="metric 'sales'"):
        lookup_fact("BABA", "sales", "FY2026Q2")
    with pytest.raises(PeriodError, match="Q3 2025"):
        lookup_fact("BABA", "revenue", "Q3 2025")
    assert one(lookup_fact("baba", "revenue", "fy2026 q2", segment="")).value == 247_795_000_000


def test_prior_year_quarter():
    assert prior_year_quarter("FY2026Q2") == "FY2025Q2"
    assert prior_year_quarter("fy2026") == "FY2025"
    # The year-earlier quarter of BABA FY2026Q2 cloud holds what +34% grew from.
    earlier = one(lookup_fact("BABA", "revenue", prior_year_quarter("FY2026Q2"),
                              segment="Cloud Intelligence"))
    assert earlier.value == 29_610_000_000
    assert 39_824 / 29_610 - 1 == pytest.approx(0.345, abs=0.001), "consistent with +34%"
    with pytest.raises(PeriodError):
        prior_year_quarter("Q2 2026")
    with pytest.raises(PeriodError, match="1990"):
        prior_year_quarter("FY1990Q1")


def test_latest_reported_quarter():
    assert latest_reported_quarter("BABA", "2025-10-01") == "FY2026Q1"
    # Release day: inclusive (the resolve_period rule) vs strictly before.
    assert latest_reported_quarter("BABA", "2025-11-25") == "FY2026Q2"
    assert latest_reported_quarter("BABA", "2025-11-25", inclusive=False) == "FY2026Q1"
    assert latest_reported_quarter("NVDA", pd.Timestamp("2025-08-28 09:00")) == "FY2026Q2"
    with pytest.raises(OutOfRangeError, match="calendar starts 2023-02-22"):
        latest_reported_quarter("NVDA", "2023-01-15")
    # BABA's calendar ends with FY2026Q4 (2026-05-13); FY2027Q1 ended 2026-06-30: by
    # 2026-07-15 it could have been reported (> 14 days), so no answer rather than a stale one.
    assert latest_reported_quarter("BABA", "2026-07-14") == "FY2026Q4"
    with pytest.raises(OutOfRangeError, match="FY2027Q1"):
        latest_reported_quarter("BABA", "2026-07-15")
    with pytest.raises(UnknownTickerError):
        latest_reported_quarter("SPY", "2025-10-01")


def test_fiscal_quarter_of_vendor_period_ends():
    assert fiscal_quarter_of_period_end("NVDA", "2025-07-31") == "FY2026Q2"  # month-end dating
    assert fiscal_quarter_of_period_end("NVDA", "2025-07-27") == "FY2026Q2"
    assert fiscal_quarter_of_period_end("NVDA", "2026-01-31") == "FY2026Q4"
    assert fiscal_quarter_of_period_end("BABA", "2025-09-30") == "FY2026Q2"
    assert fiscal_quarter_of_period_end("BABA", "2025-08-15") is None


# ---------------------------------------------------------------------------------------------
# Merge rule
# ---------------------------------------------------------------------------------------------

def live_row(**fields) -> dict:
    row = {"ticker": "NVDA", "fiscal_period": "FY2025Q1", "period_type": "quarter",
           "period_end": pd.Timestamp("2024-04-28"), "metric": "revenue", "segment": "",
           "basis": "GAAP", "value": 0.0, "unit": "USD", "precision": 0.5, "yoy_pct": math.nan,
           "release_date": pd.Timestamp("2024-05-22"), "source": "yfinance test", "source2": "",
           "note": "", "origin": "live"}
    row.update(fields)
    return row


def test_merge_adds_agrees_and_reports_conflicts():
    curated = fundamentals("NVDA")
    live = pd.DataFrame([
        # Data Center "$22.6 billion" (± 50M): 22,604M agrees -> dropped, no conflict.
        live_row(segment="Data Center", value=22_604_000_000.0),
        # Total revenue 26,044M curated; 26,144M is outside both stated intervals -> conflict.
        live_row(value=26_144_000_000.0),
        # No curated NVDA capex: added.
        live_row(metric="capex", basis="", value=1_000_000_000.0),
        # Units differ: a conflict, never a silent replacement.
        live_row(metric="net_income", value=14_880_000_000.0, unit="CNY"),
    ])
    merged, conflicts = merge_live(curated, live)
    assert list(conflicts.columns) == list(CONFLICT_COLUMNS)
    assert len(merged) == len(curated) + 1
    added = one(merged[merged["origin"] == "live"])
    assert added.metric == "capex" and added.value == 1_000_000_000
    assert len(conflicts) == 2
    revenue = one(conflicts[conflicts["metric"] == "revenue"])
    assert revenue.curated_value == 26_044_000_000 and revenue.difference == 100_000_000
    units = one(conflicts[conflicts["metric"] == "net_income"])
    assert (units.unit, units.live_unit) == ("USD", "CNY") and math.isnan(units.difference)
    # The curated figure is what the merged table holds.
    kept = merged[(merged["metric"] == "revenue") & (merged["segment"] == "")
                  & (merged["fiscal_period"] == "FY2025Q1")]
    assert one(kept).value == 26_044_000_000 and one(kept).origin == "curated"


def test_merge_with_nothing_live_is_the_curated_table():
    curated = fundamentals("BABA")
    merged, conflicts = merge_live(curated, curated.iloc[0:0])
    pd.testing.assert_frame_equal(merged, curated)
    assert conflicts.empty and list(conflicts.columns) == list(CONFLICT_COLUMNS)


# ---------------------------------------------------------------------------------------------
# Live refresh (yfinance mocked at yfinance.Ticker)
# ---------------------------------------------------------------------------------------------

def statement(lines: dict[str, dict[str, float]]) -> pd.DataFrame:
    """A yfinance-shaped statement: row labels as index, period-end Timestamps as columns
    (newest first), float values (NaN where Yahoo has none)."""
    frame = pd.DataFrame(lines).T
    frame.columns = pd.DatetimeIndex(frame.columns)
    return frame[sorted(frame.columns, reverse=True)].astype(float)


#: NVIDIA as Yahoo might serve it. Revenue, net income and EPS of FY2026Q2 are the reported
#: figures (curated); FY2027Q1 net income is deliberately off by $321M to force a conflict;
#: capex and free cash flow are scripted vendor numbers (no curated NVDA counterpart).
NVDA_INCOME = {
    "Total Revenue": {"2025-07-31": 46_743_000_000, "2026-04-26": 81_615_000_000,
                      "2026-07-26": 92_500_000_000, "2024-04-28": 26_044_000_000},
    "Net Income": {"2025-07-31": 26_422_000_000, "2026-04-26": 58_000_000_000,
                   "2026-07-26": math.nan, "2024-04-28": 14_881_000_000},
    "Diluted EPS": {"2025-07-31": 1.08, "2026-04-26": 2.39, "2026-07-26": math.nan,
                    "2024-04-28": 0.60},
    "Gross Profit": {"2025-07-31": 33_853_000_000, "2026-04-26": math.nan,
                     "2026-07-26": math.nan, "2024-04-28": math.nan},
}
NVDA_CASHFLOW = {
    "Capital Expenditure": {"2025-07-31": -1_894_000_000, "2026-04-26": -2_000_000_000},
    "Free Cash Flow": {"2025-07-31": 13_450_000_000, "2026-04-26": math.nan},
}


class FakeYahoo:
    """Stands in for ``yfinance.Ticker``: ``frames[ticker]`` = (income, cashflow) or an
    exception raised on access; records the tickers asked for."""

    def __init__(self):
        self.frames: dict[str, object] = {}
        self.calls: list[str] = []

    def __call__(self, ticker, session=None):
        owner = self
        owner.calls.append(ticker)
        outcome = owner.frames.get(ticker, (pd.DataFrame(), pd.DataFrame()))

        class _Ticker:
            @property
            def quarterly_income_stmt(self):
                if isinstance(outcome, BaseException):
                    raise outcome
                return outcome[0]

            @property
            def quarterly_cashflow(self):
                return outcome[1]

        return _Ticker()


@pytest.fixture
def yahoo(monkeypatch):
    fake = FakeYahoo()
    monkeypatch.setattr(yfinance, "Ticker", fake)
    monkeypatch.setattr(module, "_today", lambda: pd.Timestamp("2026-09-01"))
    return fake


def refresh(ticker):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        merged, conflicts = refresh_fundamentals_live(ticker)
    return merged, conflicts, [w for w in caught if issubclass(w.category, FundamentalsConflictWarning)]


def test_live_refresh_adds_never_overrides_and_reports_the_conflict(yahoo):
    yahoo.frames["NVDA"] = (statement(NVDA_INCOME), statement(NVDA_CASHFLOW))
    merged, conflicts, warned = refresh("NVDA")

    # FY2027Q1 net income: curated 58,321M kept, live 58,000M reported and warned about.
    conflict = one(conflicts)
    assert (conflict.fiscal_period, conflict.metric) == ("FY2027Q1", "net_income")
    assert conflict.curated_value == 58_321_000_000 and conflict.live_value == 58_000_000_000
    assert len(warned) == 1 and "FY2027Q1 net_income" in str(warned[0].message)
    kept = one(merged[(merged.metric == "net_income") & (merged.fiscal_period == "FY2027Q1")])
    assert kept.value == 58_321_000_000 and kept.origin == "curated"

    live = merged[merged["origin"] == "live"].set_index(["fiscal_period", "metric"])
    # Month-end column 2025-07-31 is NVIDIA's FY2026Q2 (ended 07-27); capex sign flipped.
    assert live.loc[("FY2026Q2", "capex"), "value"] == 1_894_000_000
    assert live.loc[("FY2026Q2", "capex"), "period_end"] == pd.Timestamp("2025-07-27")
    assert live.loc[("FY2026Q2", "free_cash_flow"), "basis"] == "derived"
    # FY2027Q2 revenue is new (curated has only the $91bn guidance); release from the calendar.
    added = live.loc[("FY2027Q2", "revenue")]
    assert added.value == 92_500_000_000 and added.release_date == pd.Timestamp("2026-08-26")
    # FY2026Q2 revenue, net income and EPS equal the curated figures: not duplicated.
    assert ("FY2026Q2", "revenue") not in live.index and ("FY2026Q2", "eps_diluted") not in live.index
    # Pre-split EPS: Yahoo's $0.60 is split-adjusted, so it is no conflict with the pre-split $5.98.
    assert live.loc[("FY2025Q1", "eps_diluted"), "basis"] == "GAAP (split-adjusted)"
    assert live.loc[("FY2025Q1", "eps_diluted"), "value"] == 0.60
    # 14,881M vs "$14.88 billion" (± 5M): agrees, so nothing is added or reported.
    assert ("FY2025Q1", "net_income") not in live.index
    assert "gross_profit" not in set(merged["metric"]), "unmapped Yahoo lines are ignored"
    assert len(live) == 5


def test_live_figures_are_cached_as_their_own_file(yahoo, isolated_cache):
    yahoo.frames["NVDA"] = (statement(NVDA_INCOME), statement(NVDA_CASHFLOW))
    refresh("NVDA")
    path = fundamentals_cache_dir() / "NVDA.csv"
    assert path.parent == isolated_cache / "fundamentals" and path.is_file()
    assert not (isolated_cache / "NVDA.csv").exists(), "the price cache's file name stays free"
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    cached = fundamentals("NVDA", source="cache")
    assert (cached["origin"] == "live").all() and len(cached) == 13
    assert set(cached["source"]) == {"yfinance Ticker.quarterly_income_stmt",
                                     "yfinance Ticker.quarterly_cashflow"}
    eps = one(cached[(cached.metric == "eps_diluted") & (cached.fiscal_period == "FY2026Q2")])
    assert eps.value == 1.08 and eps.precision == 0.005
    # auto = curated + cached additions, with the conflict warned about again.
    with pytest.warns(FundamentalsConflictWarning, match="FY2027Q1 net_income"):
        auto = fundamentals("NVDA", source="auto")
    assert len(auto) == 152 + 5
    # The default stays the curated snapshot.
    assert (fundamentals("NVDA")["origin"] == "curated").all()


def test_second_refresh_keeps_older_quarters_and_replaces_refetched_ones(yahoo):
    yahoo.frames["NVDA"] = (statement(NVDA_INCOME), statement(NVDA_CASHFLOW))
    refresh("NVDA")
    newer = {"Total Revenue": {"2026-07-26": 93_000_000_000}}
    yahoo.frames["NVDA"] = (statement(newer), statement({"Free Cash Flow": {"2026-07-26": 1.0e10}}))
    merged, conflicts, _ = refresh("NVDA")
    cached = fundamentals("NVDA", source="cache").set_index(["fiscal_period", "metric"])
    assert cached.loc[("FY2027Q2", "revenue"), "value"] == 93_000_000_000, "refetched: replaced"
    assert cached.loc[("FY2026Q2", "capex"), "value"] == 1_894_000_000, "not refetched: kept"
    assert len(conflicts) == 1, "the FY2027Q1 conflict is still in the cache"


def test_baba_mapping_keeps_net_income_and_attributable_apart(yahoo):
    income = {
        "Total Revenue": {"2025-09-30": 247_795_000_000, "2025-06-30": 247_652_000_000},
        "Net Income Including Noncontrolling Interests": {"2025-09-30": 20_612_000_000,
                                                          "2025-06-30": math.nan},
        "Net Income": {"2025-09-30": 20_990_000_000, "2025-06-30": 43_110_000_000},
        "Net Income Common Stockholders": {"2025-09-30": 20_990_000_000,
                                           "2025-06-30": 43_110_000_000},
        "Diluted EPS": {"2025-09-30": 8.67, "2025-06-30": 17.7},
    }
    cashflow = {"Capital Expenditure": {"2025-09-30": -31_500_000_000, "2025-06-30": -38_600_000_000}}
    yahoo.frames["BABA"] = (statement(income), statement(cashflow))
    merged, conflicts, warned = refresh("BABA")
    # Every live figure equals a curated one; "Net Income" (attributable, for Alibaba) is never
    # taken as net_income, and BABA's per-share EPS is not mapped.
    assert conflicts.empty and not warned
    cached = fundamentals("BABA", source="cache")
    assert set(cached["unit"]) == {"CNY"}
    june = cached[cached.fiscal_period == "FY2026Q1"]
    assert "net_income" not in set(june["metric"]) and "eps_diluted" not in set(cached["metric"])
    assert (merged["origin"] == "curated").all()


@pytest.mark.parametrize("empty", ["both", "income", "cashflow"])
def test_empty_frames_are_a_failure_naming_the_ticker(yahoo, isolated_cache, empty):
    full = (statement(NVDA_INCOME), statement(NVDA_CASHFLOW))
    yahoo.frames["NVDA"] = (
        pd.DataFrame() if empty in ("both", "income") else full[0],
        pd.DataFrame() if empty in ("both", "cashflow") else full[1],
    )
    with pytest.raises(LiveDataError, match="NVDA: yfinance returned no quarterly_") as info:
        refresh_fundamentals_live("NVDA")
    assert info.value.ticker == "NVDA"
    assert not (isolated_cache / "fundamentals").exists(), "nothing cached on failure"


def test_vendor_exception_is_a_live_data_error(yahoo):
    yahoo.frames["BABA"] = KeyError("timeseries")
    with pytest.raises(LiveDataError, match="BABA: live fundamentals could not be fetched: "
                                            "KeyError") as info:
        refresh_fundamentals_live("BABA")
    assert isinstance(info.value.__cause__, KeyError)


def test_no_known_line_item_is_a_failure(yahoo):
    yahoo.frames["NVDA"] = (statement({"Gross Profit": {"2025-07-31": 1.0}}),
                            statement({"Operating Cash Flow": {"2025-07-31": 1.0}}))
    with pytest.raises(LiveDataError, match="no usable line item"):
        refresh_fundamentals_live("NVDA")


def test_unknown_ticker_fails_before_any_network_call(yahoo):
    with pytest.raises(UnknownTickerError, match="AAPL"):
        refresh_fundamentals_live("AAPL")
    assert yahoo.calls == []


def test_cache_mode_without_cache_and_auto_with_a_broken_cache(isolated_cache):
    with pytest.raises(NoDataError, match="NVDA: no cached fundamentals"):
        fundamentals("NVDA", source="cache")
    broken = isolated_cache / "fundamentals" / "NVDA.csv"
    broken.parent.mkdir()
    broken.write_text(HEADER + "\nNVDA,FY2026Q2,2025-07-27,revenue,,lots,USD,GAAP,,2025-08-27,x,,\n")
    with pytest.raises(DataFileError, match="line 2"):
        fundamentals("NVDA", source="cache")
    with pytest.warns(CacheWarning, match="not used"):
        auto = fundamentals("NVDA", source="auto")
    assert len(auto) == 152


def test_real_yfinance_statements_map_through_the_http_layer(monkeypatch):
    """Real yfinance code; only YfData.cache_get is scripted with fundamentals-timeseries JSON.

    Pins what the mapping relies on: yfinance's "pretty" labels (``Total Revenue``, ``Diluted
    EPS``, ``Capital Expenditure``) and period-end Timestamps as columns.
    """
    import yfinance.data

    def series(key: str, points: dict[str, float]) -> dict:
        stamps = [int(pd.Timestamp(day, tz="UTC").timestamp()) for day in points]
        return {"meta": {"type": [key]}, "timestamp": stamps,
                key: [{"asOfDate": day, "reportedValue": {"raw": value}} for day, value in points.items()]}

    income = [series("quarterlyTotalRevenue", {"2025-07-31": 46_743_000_000.0}),
              series("quarterlyDilutedEPS", {"2025-07-31": 1.08}),
              series("quarterlyNetIncome", {"2025-07-31": 26_422_000_000.0})]
    cashflow = [series("quarterlyCapitalExpenditure", {"2025-07-31": -1_894_000_000.0})]

    class Response:
        def __init__(self, result):
            self.text = json.dumps({"timeseries": {"result": result, "error": None}})
            self.status_code = 200

    def cache_get(self, url, *args, **kwargs):
        if "quarterlyTotalRevenue" in url:
            return Response(income)
        if "quarterlyFreeCashFlow" in url:
            return Response(cashflow)
        raise AssertionError(f"unexpected URL {url[:80]}")

    monkeypatch.setattr(yfinance.data.YfData, "cache_get", cache_get)
    monkeypatch.setattr(yfinance.data.YfData, "get", cache_get)
    monkeypatch.setattr(module, "_today", lambda: pd.Timestamp("2026-09-01"))
    merged, conflicts, _ = refresh("NVDA")
    assert conflicts.empty
    live = one(merged[merged["origin"] == "live"])
    assert (live.fiscal_period, live.metric, live.value) == ("FY2026Q2", "capex", 1_894_000_000)


def test_offline_real_yfinance_returns_empty_and_we_fail(monkeypatch):
    """Premise: offline, yfinance's statements come back empty without raising."""
    import yfinance.data

    def offline(self, url, *args, **kwargs):
        raise ConnectionError("Failed to perform, curl: (6) Could not resolve host: query2.finance.yahoo.com")

    monkeypatch.setattr(yfinance.data.YfData, "cache_get", offline)
    monkeypatch.setattr(yfinance.data.YfData, "get", offline)
    assert yfinance.Ticker("NVDA").quarterly_income_stmt.empty, "premise: empty, no exception"
    with pytest.raises(LiveDataError, match="NVDA: yfinance returned no quarterly_income_stmt"):
        refresh_fundamentals_live("NVDA")


# ---------------------------------------------------------------------------------------------
# Package export and command line
# ---------------------------------------------------------------------------------------------

def test_package_name_is_callable_whichever_object_it_holds():
    # `import babaresearch.fundamentals` binds the package attribute to the module; both the
    # module and the lazily exported function answer babaresearch.fundamentals("BABA").
    assert len(babaresearch.fundamentals("BABA")) == 75
    assert len(module("BABA")) == 75 and len(fundamentals_api("NVDA")) == 152
    assert babaresearch.refresh_fundamentals_live is refresh_fundamentals_live
    assert "fundamentals" in babaresearch.__all__


def test_cli_prints_and_writes_the_table(capsys, tmp_path):
    assert main(["fundamentals", "--ticker", "BABA"]) == 0
    out = capsys.readouterr().out
    line = next(r for r in out.splitlines() if "FY2026Q2" in r and "247,795,000,000" in r)
    assert "CNY" in line and "2025-11-25" in line
    target = tmp_path / "facts.csv"
    assert main(["fundamentals", "--csv", str(target)]) == 0
    assert "wrote 227 rows" in capsys.readouterr().out
    assert list(pd.read_csv(target).columns) == list(COLUMNS)
    assert main(["fundamentals", "--ticker", "AAPL"]) == 2
    assert "unknown ticker 'AAPL'" in capsys.readouterr().err
