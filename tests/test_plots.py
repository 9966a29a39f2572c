"""Smoke and content tests of babaresearch.plots on synthetic data (tz-naive and US/Eastern)."""

from __future__ import annotations

import math
import subprocess
import sys
from statistics import NormalDist
from types import SimpleNamespace

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, MaxNLocator

from babaresearch import plots
from babaresearch.errors import (
    InvalidTickerError, NoDataError, OutOfRangeError, UnknownTickerError,
)
from babaresearch.plots import (
    PlotError, plot_car, plot_claims_timeline, plot_drawdowns, plot_event_window,
    plot_normalized_prices, plot_rolling_beta, plot_verdicts,
)

TZS = [None, "US/Eastern"]


def _needs(*modules: str):
    import importlib.util

    missing = [m for m in modules if importlib.util.find_spec(f"babaresearch.{m}") is None]
    return pytest.mark.skipif(bool(missing), reason=f"babaresearch.{', '.join(missing)} not written yet")


@pytest.fixture(autouse=True)
def no_pyplot_figures():
    """The plots must not register figures with pyplot (nothing to show twice, nothing leaks)."""
    import matplotlib.pyplot as plt

    plt.close("all")
    yield
    leaked = plt.get_fignums()
    plt.close("all")
    assert leaked == [], "a plotting function created a pyplot-managed figure"


def _index(n: int, tz: str | None, start: str = "2025-01-02") -> pd.DatetimeIndex:
    dates = pd.bdate_range(start, periods=n)
    return dates.tz_localize(tz) if tz else dates


def _as_date(value) -> pd.Timestamp:
    """A plotted x value (matplotlib date number or a stored timestamp) as a naive Timestamp."""
    if isinstance(value, (float, np.floating)):
        return pd.Timestamp(matplotlib.dates.num2date(value)).tz_localize(None)
    return pd.Timestamp(value)


def _x_dates(line) -> list[pd.Timestamp]:
    """x data of a line as naive timestamps, whatever matplotlib stored."""
    return [_as_date(x) for x in line.get_xdata()]


def _vlines(ax) -> list:
    """Vertical reference lines (axvline: two equal x values spanning the axes)."""
    out = []
    for line in ax.lines:
        x = line.get_xdata()
        if len(x) == 2 and list(line.get_ydata()) == [0, 1] and x[0] == x[1]:
            out.append(line)
    return out


def _visible_ticks(axis, lo: float, hi: float) -> list[float]:
    """Major tick positions of an axis that fall inside [lo, hi]."""
    return [float(t) for t in axis.get_majorticklocs() if lo - 1e-9 <= t <= hi + 1e-9]


def _assert_integer_session_ticks(ax) -> None:
    lo, hi = ax.get_xlim()
    ticks = _visible_ticks(ax.xaxis, lo, hi)
    assert isinstance(ax.xaxis.get_major_locator(), MaxNLocator), "relative sessions need an integer locator"
    assert ticks, "the relative-session axis must show ticks"
    assert all(t == round(t) for t in ticks), f"fractional session ticks {ticks}: there is no session -0.5"


def _band_by_x(band) -> dict[float, tuple[float, float]]:
    """(lower, upper) of a fill_between band at each x it spans."""
    out: dict[float, list[float]] = {}
    for x, y in band.get_paths()[0].vertices:
        out.setdefault(round(float(x), 9), []).append(float(y))
    return {x: (min(ys), max(ys)) for x, ys in out.items()}


# ----------------------------------------------------------------------------------------------
# prices

@pytest.mark.parametrize("tz", TZS)
def test_normalized_prices_lines_marks_and_base(tz):
    idx = _index(40, tz)
    closes = pd.DataFrame({"BABA": np.linspace(80, 120, 40), "SPY": np.linspace(500, 550, 40)}, index=idx)
    closes.iloc[0, 1] = np.nan  # SPY starts a day late: rebased on its first valid close
    marks = {"2025-01-15": "earnings", pd.Timestamp("2025-02-03", tz="US/Eastern"): "event",
             "2030-01-01": "outside the data"}
    fig = plot_normalized_prices(closes, marks=marks)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(_vlines(ax)) == 2, "marks inside the data draw one vertical line each, outside ones none"
    data_lines = [line for line in ax.lines if line.get_label() in ("BABA", "SPY")]
    assert len(data_lines) == 2
    for line in data_lines:
        assert line.get_ydata()[0] == pytest.approx(100.0), f"{line.get_label()} must start at the base"
    assert data_lines[0].get_ydata()[-1] == pytest.approx(150.0), "BABA 80 -> 120 is 150 on base 100"
    assert _x_dates(data_lines[0])[0] == pd.Timestamp("2025-01-02"), "tz-aware index must become naive NY dates"
    assert _x_dates(_vlines(ax)[0])[0] == pd.Timestamp("2025-01-15"), "a mark sits on its date"
    assert ax.get_title() == "Prices rebased to 100 on the first session (log scale)"
    assert ax.get_yscale() == "log" and "log scale" in ax.get_ylabel(), "log axis by default, and it says so"
    assert [t.get_text().strip() for t in ax.texts] == ["earnings", "event"]
    fig2 = plot_normalized_prices(closes["BABA"], base=1, title="BABA only", marks=pd.Series({"2025-01-15": "x"}))
    assert fig2.axes[0].get_title() == "BABA only" and fig2.axes[0].lines[0].get_ydata()[0] == 1.0
    assert "log scale" in fig2.axes[0].get_ylabel(), "a custom title still leaves the log note in the y label"
    linear = plot_normalized_prices(closes, log_scale=False).axes[0]
    assert linear.get_yscale() == "linear" and linear.get_title() == "Prices rebased to 100 on the first session"
    assert "log" not in linear.get_ylabel()


@pytest.mark.parametrize("tz", TZS)
def test_normalized_prices_log_axis_plain_tick_labels(tz):
    # One line up 14x (like NVDA's +1,270%), one down to 0.6x: a wide range gets 1-2-5 ticks.
    idx = _index(50, tz)
    closes = pd.DataFrame({"UP": np.geomspace(10, 140, 50), "DOWN": np.geomspace(50, 30, 50)}, index=idx)
    ax = plot_normalized_prices(closes).axes[0]
    assert ax.get_yscale() == "log"
    assert isinstance(ax.yaxis.get_major_locator(), LogLocator)
    lo, hi = ax.get_ylim()
    ticks = _visible_ticks(ax.yaxis, lo, hi)
    assert ticks == pytest.approx([100.0, 200.0, 500.0, 1000.0]), f"1-2-5 ticks between 60 and 1,400, got {ticks}"
    labels = [ax.yaxis.get_major_formatter()(t, i) for i, t in enumerate(ticks)]
    assert labels == ["100", "200", "500", "1,000"], f"plain-number labels, not 10^3: {labels}"
    assert ax.yaxis.get_minor_formatter()(300.0, 0) == "", "minor ticks stay unlabelled"
    # a narrow range (less than a factor 4) keeps several evenly spaced plain ticks
    narrow = plot_normalized_prices(pd.DataFrame({"A": np.linspace(80, 160, 30)}, index=_index(30, tz))).axes[0]
    lo, hi = narrow.get_ylim()
    ticks = _visible_ticks(narrow.yaxis, lo, hi)
    assert len(ticks) >= 4 and 100.0 in ticks, f"a 100 -> 200 range needs several ticks incl. the base, got {ticks}"
    assert plots._plain_number(0.5) == "0.5" and plots._plain_number(20000.0) == "20,000"


def test_normalized_prices_errors():
    with pytest.raises(NoDataError):
        plot_normalized_prices(pd.DataFrame())
    with pytest.raises(PlotError, match="BAD.*zero or negative"):
        plot_normalized_prices(pd.DataFrame({"OK": [1.0, 2.0], "BAD": [1.0, 0.0]}, index=_index(2, None)))
    assert plot_normalized_prices(pd.DataFrame({"BAD": [1.0, -1.0]}, index=_index(2, None)),
                                  log_scale=False).axes[0].get_yscale() == "linear"
    with pytest.raises(PlotError, match="base"):
        plot_normalized_prices(pd.DataFrame({"A": [1.0, 2.0]}, index=_index(2, None)), base="100")
    with pytest.raises(PlotError, match="base"):
        plot_normalized_prices(pd.DataFrame({"A": [1.0, 2.0]}, index=_index(2, None)), base=0)
    with pytest.raises(PlotError, match="marks"):
        plot_normalized_prices(pd.DataFrame({"A": [1.0, 2.0]}, index=_index(2, None)), marks=["2025-01-02"])
    with pytest.raises(PlotError, match="DataFrame"):
        plot_normalized_prices([1, 2, 3])
    with pytest.raises(PlotError, match="date index"):
        plot_normalized_prices(pd.DataFrame({"A": [1.0]}, index=[object()]))


@pytest.mark.parametrize("tz", TZS)
def test_drawdowns_depth_and_lines(tz):
    closes = pd.DataFrame({"X": [100.0, 120.0, 90.0, 110.0, 130.0], "Y": [10.0, 9.0, 8.0, 9.0, 10.0]},
                          index=_index(5, tz))
    fig = plot_drawdowns(closes)
    ax = fig.axes[0]
    x_line, y_line = ax.lines[0], ax.lines[1]
    assert min(x_line.get_ydata()) == pytest.approx(-25.0), "120 -> 90 is a 25% drawdown"
    assert min(y_line.get_ydata()) == pytest.approx(-20.0), "10 -> 8 is a 20% drawdown"
    assert "max -25.0% on 2025-01-06" in x_line.get_label()
    assert len(ax.lines) == 3 and ax.get_title() == "Drawdown from running peak"


@pytest.mark.parametrize("tz", TZS)
def test_rolling_beta_recovers_known_beta(tz):
    rng = np.random.default_rng(7)
    bench = rng.normal(0, 0.01, 120)
    returns = pd.DataFrame({"SPY": bench, "baba": 2.0 * bench + 0.001}, index=_index(120, tz))
    returns.iloc[5, 1] = np.nan
    fig = plot_rolling_beta(returns, "BABA", "spy", window=20)
    ax = fig.axes[0]
    beta = np.asarray(ax.lines[0].get_ydata(), dtype=float)
    assert np.nanmax(np.abs(beta - 2.0)) < 1e-9, "returns built as 2 x benchmark must give beta 2"
    assert np.isnan(beta[:15]).all(), "fewer than 80% of a window of paired returns gives no beta"
    assert len(ax.lines) == 3 and ax.get_title() == "Rolling 20-session beta of BABA vs SPY"


def test_rolling_beta_errors():
    returns = pd.DataFrame({"SPY": [0.01, 0.02, -0.01], "BABA": [0.02, 0.01, 0.0]}, index=_index(3, None))
    with pytest.raises(UnknownTickerError, match="NVDA"):
        plot_rolling_beta(returns, "NVDA", "SPY")
    with pytest.raises(PlotError, match="window"):
        plot_rolling_beta(returns, "BABA", "SPY", window=1)
    with pytest.raises(InvalidTickerError):
        plot_rolling_beta(returns, "../x", "SPY")


@pytest.mark.parametrize("tz", TZS)
def test_event_window_bars_from_returns_closes_and_long_prices(tz):
    idx = _index(30, tz)
    rets = pd.Series(np.linspace(-0.02, 0.02, 30), index=idx)
    rets.iloc[15] = 0.129
    closes = (1 + rets).cumprod() * 100
    day0 = idx[15]
    for data, kind in ((pd.DataFrame({"BABA": rets}), "auto"), (pd.DataFrame({"BABA": closes}), "auto"),
                       (rets, "returns")):
        fig = plot_event_window(data, "baba", day0, window=(-5, 5), kind=kind)
        ax = fig.axes[0]
        assert len(ax.patches) == 11, f"11 bars for window (-5, 5) ({kind})"
        heights = [p.get_height() for p in ax.patches]
        assert heights[5] == pytest.approx(12.9), "day-0 bar is the day-0 return in percent"
        assert ax.patches[5].get_facecolor() == to_rgba(plots.DAY0_COLOR)
        assert ax.patches[0].get_facecolor() == to_rgba(plots.OTHER_DAY_COLOR)
        naive_day0 = pd.Timestamp(day0).tz_localize(None) if tz else day0
        assert ax.get_title() == f"BABA daily returns around day 0 = {naive_day0.date()}"
        _assert_integer_session_ticks(ax)
        assert ax.get_xlim() == pytest.approx((-5.6, 5.6)), "the axis hugs the window: no tick at session -6"
    for window in ((-1, 1), (0, 0), (-12, 12)):
        ax = plot_event_window(rets, "BABA", day0, window=window).axes[0]
        _assert_integer_session_ticks(ax)
    long = pd.DataFrame({"date": idx.tz_localize(None) if tz else idx, "ticker": "BABA",
                         "close": closes.to_numpy(), "adj_close": closes.to_numpy()})
    fig = plot_event_window(long, "BABA", "2025-01-23", window=(-2, 40))
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert len(heights) == 2 + 1 + 14, "30 sessions, day 0 the 16th: the window is clipped at the data end"
    assert heights[2] == pytest.approx(12.9)


def test_event_window_weekend_day0_rolls_forward_and_errors():
    rets = pd.DataFrame({"BABA": np.full(10, 0.01)}, index=_index(10, None))  # 2025-01-02 ...
    fig = plot_event_window(rets, "BABA", "2025-01-04", window=(-1, 1))
    assert fig.axes[0].get_title().endswith("2025-01-06"), "a Saturday day 0 uses Monday, never Friday"
    with pytest.raises(PlotError, match="first <= 0 <= last"):
        plot_event_window(rets, "BABA", "2025-01-06", window=(1, 3))
    with pytest.raises(PlotError, match="pair"):
        plot_event_window(rets, "BABA", "2025-01-06", window=5)
    with pytest.raises(PlotError, match="kind"):
        plot_event_window(rets, "BABA", "2025-01-06", kind="volumes")
    with pytest.raises(OutOfRangeError, match="after the data end"):
        plot_event_window(rets, "BABA", "2026-01-06")
    with pytest.raises(UnknownTickerError):
        plot_event_window(rets, "NVDA", "2025-01-06")
    with pytest.raises(NoDataError):
        plot_event_window(pd.DataFrame(), "BABA", "2025-01-06")


# ----------------------------------------------------------------------------------------------
# event studies

def _fake_result(n_events: int, tz: str | None = None) -> SimpleNamespace:
    rows, summary = [], []
    for e in range(n_events):
        ar = np.array([0.01, 0.02, 0.05 + 0.01 * e, -0.01])
        dates = _index(4, tz, start=f"2025-0{e + 2}-03")
        for rel, (a, c, d) in enumerate(zip(ar, np.cumsum(ar), dates), start=-1):
            rows.append({"event": f"E{e}", "ticker": "BABA", "rel_day": rel, "date": d, "ret": a,
                         "bench_ret": 0.0, "expected": 0.0, "ar": a, "car": c})
        summary.append({"event": f"E{e}", "ticker": "BABA", "status": "ok", "sigma": 0.02, "car": ar.sum()})
    return SimpleNamespace(abnormal=pd.DataFrame(rows), summary=pd.DataFrame(summary))


@pytest.mark.parametrize("tz", TZS)
def test_car_single_event_band_is_centred_on_zero(tz):
    fig = plot_car(_fake_result(1, tz), confidence=0.95)
    ax = fig.axes[0]
    assert len(ax.lines) == 3, "CAR line + zero line + day-0 line"
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 1
    car = list(ax.lines[0].get_ydata())
    assert car == pytest.approx([1.0, 3.0, 8.0, 7.0]), "CAR = running sum of 1, 2, 5, -1 percent"
    z = NormalDist().inv_cdf(0.975)
    band = _band_by_x(bands[0])
    assert sorted(band) == [-1.0, 0.0, 1.0, 2.0]
    for k, day in enumerate([-1.0, 0.0, 1.0, 2.0], start=1):
        lower, upper = band[day]
        assert (lower + upper) / 2 == pytest.approx(0.0, abs=1e-12), f"band midpoint at day {day} must be 0 (H0), not the CAR"
        # sigma 2% per day, k sessions summed from the window start (day -1 is k = 1)
        assert upper == pytest.approx(z * 2.0 * math.sqrt(k)), f"half-width at day {day} is z*sigma*sqrt({k})"
    # by hand: half-widths 3.92, 5.54, 6.79, 7.84; the CAR of 8 at day +1 is the only point outside
    assert band[1.0][1] == pytest.approx(6.790, abs=1e-3)
    ringed = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(ringed) == 1 and [tuple(o) for o in ringed[0].get_offsets()] == [(1.0, 8.0)], \
        "exactly the CAR points outside the H0 band are ringed"
    labels = ax.get_legend_handles_labels()[1]
    assert "95% band under no event (H0)" in labels, f"legend must name the null band, got {labels}"
    assert ax.get_title() == "CAR around E0 (BABA)"
    _assert_integer_session_ticks(ax)


def test_car_without_sigma_draws_no_band():
    result = _fake_result(1)
    no_sigma = SimpleNamespace(abnormal=result.abnormal, summary=result.summary.drop(columns=["sigma"]))
    ax = plot_car(no_sigma).axes[0]
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)], "no sigma: no band to draw"
    nan_sigma = SimpleNamespace(abnormal=result.abnormal, summary=result.summary.assign(sigma=np.nan))
    assert not plot_car(nan_sigma).axes[0].collections


@pytest.mark.parametrize("tz", TZS)
def test_car_mean_of_events_band_on_zero_and_selection(tz):
    result = _fake_result(3, tz)
    fig = plot_car(result)
    ax = fig.axes[0]
    assert len(ax.lines) == 3 + 1 + 2, "3 event paths + mean + zero/day-0 lines"
    mean_line = [line for line in ax.lines if line.get_label().startswith("mean CAR")][0]
    assert mean_line.get_ydata()[2] == pytest.approx(9.0), "mean of 8, 9, 10 percent on day +1"
    band = _band_by_x([c for c in ax.collections if isinstance(c, PolyCollection)][0])
    lower, upper = band[1.0]
    assert (lower + upper) / 2 == pytest.approx(0.0, abs=1e-12), "the mean-path band is centred on 0 too"
    # CARs 8, 9, 10 on day +1: s = 1 pp, n = 3, t(0.975, 2 df) = 4.302653 (tables)
    assert upper == pytest.approx(4.302653 / math.sqrt(3), rel=1e-6), "half-width is t * s / sqrt(n)"
    assert ax.get_title() == "Mean CAR across 3 events"
    _assert_integer_session_ticks(ax)
    single = plot_car(result, event="E2", confidence=0.9)
    assert single.axes[0].get_title() == "CAR around E2 (BABA)"
    assert "90% band under no event (H0)" in single.axes[0].get_legend_handles_labels()[1]
    with pytest.raises(PlotError, match="E9"):
        plot_car(result, event="E9")
    with pytest.raises(PlotError, match="confidence"):
        plot_car(result, confidence=1.5)
    with pytest.raises(PlotError, match="confidence"):
        plot_car(result, confidence=True)
    with pytest.raises(PlotError, match="EventStudyResult"):
        plot_car(object())
    with pytest.raises(PlotError, match="rel_day"):
        plot_car(SimpleNamespace(abnormal=result.abnormal.drop(columns=["rel_day"]), summary=result.summary))
    with pytest.raises(NoDataError):
        plot_car(SimpleNamespace(abnormal=result.abnormal.iloc[0:0], summary=result.summary))


# ----------------------------------------------------------------------------------------------
# claims and verdicts

@pytest.mark.parametrize("tz", TZS)
def test_claims_timeline(tz):
    def stamp(text):
        return None if text is None else (pd.Timestamp(text, tz=tz) if tz else pd.Timestamp(text))

    ledger = pd.DataFrame({
        "doc_id": ["a", "a", "b", "b"],
        "day0": [stamp("2025-08-29"), None, stamp("2025-11-25"), None],
        "as_of": [stamp("2025-09-01"), stamp("2025-09-01"), stamp("2025-11-26"), None],
    })
    earnings = pd.DataFrame({"ticker": ["BABA", "BABA", "NVDA", "BABA"],
                             "day0": pd.to_datetime(["2025-08-29", "2025-11-25", "2025-08-28", "2023-05-18"])})
    events = pd.DataFrame({"date": pd.to_datetime(["2025-08-29", "2023-01-01"]),
                           "description": ["chip report", "too early"]})
    fig = plot_claims_timeline(ledger, earnings, events)
    ax = fig.axes[0]
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 2 and [len(s.get_offsets()) for s in scatters] == [2, 1]
    assert len(_vlines(ax)) == 3 + 1, "3 releases and 1 event near the claims; the 2023 ones are left out"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    assert "1 undated claim" in ax.get_title()
    assert [t.get_text() for t in ax.texts] == ["1"], "each event drawn gets a numbered tag"
    assert "(1) chip report, 2025-08-29" in ax.get_legend_handles_labels()[1], \
        "without a kind, the legend names the event by its description and date"
    # without earnings/events, and a ledger with only as-of dates
    fig = plot_claims_timeline(ledger.drop(columns=["day0"]))
    assert len([c for c in fig.axes[0].collections if isinstance(c, PathCollection)]) == 1


@pytest.mark.parametrize("tz", TZS)
def test_claims_timeline_event_labels_short_and_never_overlapping(tz):
    dates = pd.to_datetime(["2025-04-15", "2025-02-24", "2025-02-25", "2025-08-29"])
    ledger = pd.DataFrame({"doc_id": ["a", "b"],
                           "day0": pd.to_datetime(["2025-01-10", "2025-09-30"]).tz_localize(tz)})
    events = pd.DataFrame({
        "date": dates.tz_localize(tz) if tz else dates,
        "ticker": ["NVDA", "BABA", "BABA", "BABA"],
        "kind": ["export_control", "capex_plan", np.nan, "product"],
        "description": ["a long description that must not be drawn on the chart at all"] * 2
                       + ["a second event one day later, described at length", "chip"],
    })
    fig = plot_claims_timeline(ledger, None, events)
    ax = fig.axes[0]
    assert fig.get_figwidth() == plots.TIMELINE_WIDTH == 12.0
    labels = [label for label in ax.get_legend_handles_labels()[1] if label.startswith("(")]
    assert labels == ["(1) BABA capex plan, 2025-02-24", "(2) BABA a second event one day later,, 2025-02-25",
                      "(3) NVDA export control, 2025-04-15", "(4) BABA product, 2025-08-29"], \
        f"events numbered in date order with ticker + kind (or a {plots.EVENT_LABEL_CHARS}-character description) + date"
    tags = {t.get_text(): t for t in ax.texts}
    assert sorted(tags) == ["1", "2", "3", "4"], "only the number is drawn on the chart"
    offsets = {n: tags[n].xyann[1] for n in tags}
    assert offsets["2"] > offsets["1"], "a tag one day after another is stacked above it, not on top of it"
    assert offsets["1"] == offsets["3"] == offsets["4"], "tags far apart stay on the first row"
    assert all(float(tags[n].get_fontsize()) >= 8 for n in tags), "tags are readable (small, not xx-small)"
    assert all(t.get_rotation() == 0 for t in ax.texts), "no rotated event text"


def test_claims_timeline_errors():
    with pytest.raises(PlotError, match="DataFrame"):
        plot_claims_timeline([1, 2])
    with pytest.raises(PlotError, match="doc_id"):
        plot_claims_timeline(pd.DataFrame({"x": [1]}))


def test_verdicts_from_ledger_frame():
    verdicts = pd.DataFrame({
        "doc_id": ["d1", "d1", "d1", "d2"],
        "quote": ["close to 13%", "about $135", "almost 60%", "20%"],
        "metric": ["price move", "share price", "YTD return", "price move"],
        "claimed": [13.0, 135.0, 60.0, 20.0],
        "measured": [12.9, 135.0, 59.2, np.nan],
        "verdict": ["supported", "supported", "supported", "unverifiable"],
    })
    fig = plot_verdicts(verdicts)
    assert len(fig.axes) == 2, "one axes for percent claims, one for dollar prices"
    pct, usd = fig.axes
    assert len(pct.patches) == 2 * 3 and len(usd.patches) == 2 * 1
    measured_bars = pct.patches[3:]
    assert [b.get_width() for b in measured_bars] == pytest.approx([12.9, 59.2, 0.0])
    assert measured_bars[0].get_facecolor() == to_rgba("tab:green")
    assert measured_bars[2].get_facecolor() == to_rgba("tab:gray")
    assert usd.get_title() == "Price claims: claimed vs measured"
    assert [t.get_text() for t in usd.get_yticklabels()] == ["d1: about $135"]
    assert "no figure" in [t.get_text().strip() for t in pct.texts], "a NaN measurement is labelled no figure"


def _scorecard_frame() -> pd.DataFrame:
    """Columns exactly as babaresearch.verify.scorecard returns them (SCORECARD_COLUMNS)."""
    return pd.DataFrame({
        "doc_id": ["d1", "d1", "d1", "d2", "d2"],
        "quote": ["close to 13%", "about $135", "$53 billion", "470,000", "34%"],
        "metric": ["price move", "share price", "capex", "units shipped", "market share"],
        "claimed": [13.0, 135.0, 53e9, 470_000.0, 34.0],
        "measured_or_fact": [12.9, 135.0, 53e9, np.nan, 33.0],
        "verdict": ["supported", "supported", "supported", "unverifiable", "contradicted"],
        "evidence": ["e"] * 5,
        "kind": ["price", "price", "fact", "fact", "fact"],
        "mentions": pd.array([1, 1, 3, 1, 1], dtype="int64"),
    })


def test_verdicts_from_scorecard_frame():
    fig = plot_verdicts(_scorecard_frame())
    assert len(fig.axes) == 3, "percent, US$ and other-figures panels"
    pct, usd, facts = fig.axes
    assert [b.get_width() for b in pct.patches] == pytest.approx([13.0, 12.9])
    assert [b.get_width() for b in usd.patches] == pytest.approx([135.0, 135.0])
    assert facts.get_title() == "Other figures: claimed vs reference fact"
    widths = [b.get_width() for b in facts.patches]
    # facts in mixed units are drawn relative to their claim: claimed = 100, fact/claimed x 100
    assert widths[:3] == pytest.approx([100.0, 100.0, 100.0])
    assert widths[3:] == pytest.approx([100.0, 0.0, 33 / 34 * 100]), "53B/53B, no fact, 33/34"
    assert [b.get_facecolor() for b in facts.patches[3:]] == [to_rgba("tab:green"), to_rgba("tab:gray"),
                                                              to_rgba("tab:red")]
    texts = [t.get_text().strip() for t in facts.texts]
    assert texts == ["53B", "53B", "470k", "no figure", "34", "33"], "labels give the figures in compact form"
    assert [t.get_text() for t in facts.get_yticklabels()] == ["d1: $53 billion (x3)", "d2: 470,000", "d2: 34%"], \
        "a figure stated three times says so"
    # verify_facts output carries the fact in fact_value
    fact_frame = _scorecard_frame().rename(columns={"measured_or_fact": "fact_value"}).drop(columns=["kind"])
    assert len(plot_verdicts(fact_frame).axes) == 3


def test_verdicts_fact_rows_with_zero_or_missing_claim():
    frame = pd.DataFrame({"metric": ["capex", "capex"], "claimed": [0.0, np.nan], "measured_or_fact": [5.0, 1.0],
                          "verdict": ["unverifiable", "unverifiable"]})
    ax = plot_verdicts(frame).axes[0]
    assert [b.get_width() for b in ax.patches] == [0.0, 0.0, 0.0, 0.0], "no ratio to a claim of 0 or NaN"
    assert [t.get_text().strip() for t in ax.texts] == ["0", "5", "no figure", "1"]
    assert plots._compact_number(-21.8e9) == "-21.8B" and plots._compact_number(1e12) == "1T"


def test_verdicts_from_verdict_objects_and_errors():
    from babaresearch.verify import Check, Verdict

    v = Verdict("BABA", pd.Timestamp("2025-08-29"), "contradicted",
                (Check("move", 20.0, 12.9, 0.5, "exact", False),), "evidence")
    fig = plot_verdicts([v])
    ax = fig.axes[0]
    assert len(fig.axes) == 1 and len(ax.patches) == 2
    assert ax.patches[1].get_facecolor() == to_rgba("tab:red")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["BABA 2025-08-29 move"]
    assert len(plot_verdicts(v).axes[0].patches) == 2, "a single Verdict is accepted"
    with pytest.raises(NoDataError):
        plot_verdicts([])
    with pytest.raises(PlotError, match="lacks.*verdict.*measured or measured_or_fact or fact_value"):
        plot_verdicts(pd.DataFrame({"claimed": [1.0]}))
    with pytest.raises(PlotError, match="Verdict"):
        plot_verdicts([1, 2])
    with pytest.raises(PlotError, match="Verdict"):
        plot_verdicts(5)


def test_importing_plots_does_not_import_matplotlib():
    code = "import sys, babaresearch.plots; sys.exit('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"babaresearch.plots imported matplotlib at import time: {done.stderr}"


# ----------------------------------------------------------------------------------------------
# on the real snapshot

@_needs("prices", "earnings")
def test_real_prices_with_earnings_marks_tz_aware():
    from babaresearch import closes, earnings_calendar

    frame = closes(["BABA", "SPY"], "2025-06-01", "2025-10-31", adjusted=False, source="snapshot")
    frame.index = frame.index.tz_localize("US/Eastern")
    releases = earnings_calendar("BABA")
    marks = dict(zip(releases["day0"], releases["fiscal_period"]))
    fig = plot_normalized_prices(frame, marks=marks)
    ax = fig.axes[0]
    assert [t.get_text().strip() for t in ax.texts] == ["FY2026Q1"], "one BABA release (2025-08-29) in range"
    assert ax.get_yscale() == "log"
    baba = [line for line in ax.lines if line.get_label() == "BABA"][0]
    x = _x_dates(baba)
    y = dict(zip(x, baba.get_ydata()))
    # 2025-08-29 over 2025-08-28 on the rebased line is the raw +12.90% move
    assert y[pd.Timestamp("2025-08-29")] / y[pd.Timestamp("2025-08-28")] == pytest.approx(135.00 / 119.57)


@_needs("prices", "events", "earnings")
def test_real_event_study_car_plot():
    from babaresearch import earnings_calendar, event_study

    releases = earnings_calendar("BABA")
    result = event_study(releases[["ticker", "day0"]], window=(-1, 3), source="snapshot")
    fig = plot_car(result)
    ax = fig.axes[0]
    n_ok = int((result.summary["status"] == "ok").sum())
    assert len(ax.lines) == n_ok + 1 + 2 and ax.get_title() == f"Mean CAR across {n_ok} events, market model vs SPY"
    single = result.summary["event"].iloc[-1]
    assert plot_car(result, event=single).axes[0].get_title() == \
        f"CAR around {single} (BABA), market model vs SPY", "titles name ticker, model and benchmark"


@_needs("ledger", "documents", "earnings")
def test_real_claims_timeline_on_seed_articles(seeds_dir):
    from babaresearch import claims_ledger, corporate_events, earnings_calendar, load_documents

    ledger = claims_ledger(load_documents(seeds_dir))
    fig = plot_claims_timeline(ledger, earnings_calendar(), corporate_events())
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(dict.fromkeys(ledger["doc_id"].astype(str)))
    plotted = sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))
    dated = int((ledger["day0"].notna() | ledger["as_of"].notna()).sum())
    assert plotted == dated, "every claim with a day 0 or an as-of date is on the timeline"
    assert len(_vlines(ax)) >= 1, "the 2025-08-29 release and chip report lie within the claims' range"


@_needs("prices", "events")
def test_real_car_band_on_zero_baba_2025_08_29():
    from babaresearch import event_study

    result = event_study([{"ticker": "BABA", "event_date": "2025-08-29", "label": "BABA 2025-08-29"}],
                         window=(-10, 10), source="snapshot")
    sigma = float(result.summary["sigma"].iloc[0])
    ax = plot_car(result).axes[0]
    band = _band_by_x([c for c in ax.collections if isinstance(c, PolyCollection)][0])
    z = NormalDist().inv_cdf(0.975)
    assert band[0.0] == pytest.approx((-z * sigma * math.sqrt(11) * 100, z * sigma * math.sqrt(11) * 100)), \
        "day 0 is the 11th session summed from -10"
    assert all(abs(lo + hi) < 1e-9 for lo, hi in band.values()), "the band is centred on zero every day"
    car = dict(zip(ax.lines[0].get_xdata(), ax.lines[0].get_ydata()))
    assert car[0] == pytest.approx(float(result.abnormal.set_index("rel_day").loc[0, "car"]) * 100)
    _assert_integer_session_ticks(ax)


@_needs("verify", "ledger")
def test_real_scorecard_plots():
    from babaresearch import load_ledger, scorecard

    card = scorecard(load_ledger())
    fig = plot_verdicts(card)
    assert sum(len(ax.patches) for ax in fig.axes) == 2 * len(card), "two bars per scorecard row"
    assert sum(len(ax.get_yticklabels()) for ax in fig.axes) == len(card)



# ------------------------------------------------------------------ analyst-grade figures (issue 10)

def _drawn(fig):
    """Draw a detached figure on an Agg canvas; return the renderer (for text extents)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _legend_outside_axes(fig) -> bool:
    """Whether the axes' legend sits entirely to the right of the data area."""
    renderer = _drawn(fig)
    ax = fig.axes[0]
    legend = ax.get_legend()
    return legend is not None and legend.get_window_extent(renderer).x0 >= ax.get_window_extent(renderer).x1


def test_legends_sit_beside_the_data_and_mark_labels_above_it():
    from babaresearch import closes, earnings_calendar, returns
    from babaresearch.plots import plot_drawdowns, plot_normalized_prices, plot_rolling_beta

    prices = closes(["BABA", "NVDA", "SPY"], "2023-01-03", "2025-12-31", source="snapshot")
    releases = earnings_calendar("BABA")
    marks = dict(zip(releases["day0"], releases["fiscal_period"]))
    daily = returns(["BABA", "SPY"], "2024-01-02", "2025-12-31", source="snapshot")
    for fig in (plot_normalized_prices(prices, marks=marks), plot_drawdowns(prices),
                plot_rolling_beta(daily, "BABA", "SPY")):
        assert _legend_outside_axes(fig), f"{fig.axes[0].get_title()}: legend over the data"
    fig = plot_normalized_prices(prices, marks=marks)
    renderer = _drawn(fig)
    ax = fig.axes[0]
    top = ax.get_window_extent(renderer).y1
    labels = [text for text in ax.texts if text.get_text().startswith("FY")]
    assert labels and all(text.get_window_extent(renderer).y0 >= top for text in labels), \
        "earnings labels are drawn above the axes, off the price lines"
    boxes = sorted((text.get_window_extent(renderer) for text in labels), key=lambda box: box.x0)
    assert all(left.x1 <= right.x0 for left, right in zip(boxes, boxes[1:])), "labels collide"
    title = ax.title.get_window_extent(renderer)
    assert all(title.y0 >= box.y1 - 1 for box in boxes), "the title sits above the labels"


def test_monthly_heatmap_and_rolling_volatility():
    from babaresearch import returns
    from babaresearch.metrics import monthly_returns, rolling_volatility
    from babaresearch.plots import plot_monthly_returns, plot_rolling_volatility

    daily = returns(["BABA", "SPY"], "2024-01-02", "2025-12-31", source="snapshot")
    table = monthly_returns(daily["BABA"])
    fig = plot_monthly_returns(table, ticker="BABA")
    ax = fig.axes[0]
    assert ax.get_title().startswith("BABA monthly total returns")
    cells = [text.get_text() for text in ax.texts]
    assert len(cells) == 24, "one label per month of 2024 and 2025"
    assert f"{table.loc[2024, 8] * 100:+.1f}" in cells, "cells are the month's return in percent"
    vol = plot_rolling_volatility(rolling_volatility(daily), window=63)
    assert len(vol.axes[0].lines) == 2 and "63-session" in vol.axes[0].get_title()
    assert _legend_outside_axes(vol)
