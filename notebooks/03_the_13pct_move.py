# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 3. The "close to 13%" move of 29 August 2025
#
# **Question.** Articles said Alibaba's US shares jumped close to 13% on Friday 29 August 2025.
# Is that right, how much of it was the stock itself rather than the market, and what drove it?
# Two pieces of news landed that morning before the US open: Alibaba's results for the June
# quarter, and a Wall Street Journal report of a new in-house AI inference chip (T-Head). The
# same day NVIDIA, the incumbent AI-chip supplier, was trading on its own results from two days
# earlier.
#
# **Method.** An event study. A *market model* fitted over about a year of sessions before the
# event (ending two weeks before it) predicts each stock's return from SPY's; the *abnormal
# return* is the actual return minus that prediction, and the *cumulative abnormal return*
# (CAR) adds them up over a short window around day 0. The t-statistic says whether the CAR is
# large compared with the stock's usual day-to-day noise.
#
# **Reading the tables.** Returns are in percent with their sign. `car` is the cumulative
# abnormal return over the event window, `t` the CAR divided by its standard error (beyond
# about ±2 is unusual for an ordinary day) and `p` the two-sided probability of a CAR at least
# that large on an ordinary day (p < 0.05 is what the prose calls *significant*). `status` is
# `ok` when the event could be measured.

# %% tags=["parameters"]
tickers = ["BABA", "NVDA"]
benchmark = "SPY"
windows = {"event": (-1, 1), "estimation": (-250, -11), "plot": (-10, 10)}  # sessions vs day 0
event_date = "2025-08-29"
as_of = None
source = "snapshot"
docs_dir = None

# %%
import pandas as pd

from IPython.display import Markdown

from babaresearch import (corporate_events, earnings_calendar, event_study,
                          event_study_findings, returns, verify_ledger, verify_price_claim)
from babaresearch.plots import plot_car, plot_event_window
from babaresearch.report import html_table

#: columns of an event-study summary a reader needs (the rest are model diagnostics)
SUMMARY_COLUMNS = ["event", "day0", "raw_return_day0", "car", "t", "p", "alpha", "beta", "r2",
                   "n_est", "status"]
#: columns holding returns (decimal in the data, shown in percent)
RETURN_COLUMNS = ["raw_return_day0", "car", "alpha", "ret", "bench_ret", "expected", "ar"]
#: test statistics and fit diagnostics to three decimals
DECIMALS = "{:.3f}"

daily = returns([*tickers, benchmark], end=as_of, source=source)

# %% [markdown]
# ## What happened that day
#
# The results releases and other corporate events whose day 0 (first session able to react)
# is the event date.

# %%
calendar = earnings_calendar(tickers)
events = corporate_events(tickers)
news = pd.concat([calendar[calendar["day0"] == event_date].assign(kind="earnings release"),
                  events[events["day0"] == event_date]])
html_table(news.filter(["ticker", "kind", "fiscal_period", "description", "day0", "source"]),
           table_id="news", caption=f"News with day 0 on {event_date}")

# %% [markdown]
# ## Raw daily returns around the event
#
# Bars are BABA's daily returns in percent, day 0 being the event date.

# %%
plot_event_window(daily, "BABA", event_date, window=windows["plot"])

# %% [markdown]
# ## Abnormal returns and the market-model fit
#
# One event study per stock on the same date, event window sessions -1 to +1. `alpha`,
# `beta` and `r2` describe the market model fitted over the estimation window (`n_est`
# sessions); `car` is the cumulative abnormal return over the event window, `t` and `p` its
# test against zero; `raw_return_day0` is the plain return on day 0 (`alpha` is the model's
# daily intercept). Returns are in percent.
#
# NVIDIA reported after the close on 27 August, so its own results were priced on 28 August,
# day -1 here: NVDA's CAR mixes its results with the chip report. Its day-0 abnormal return
# (`ar` on `rel_day` 0 in the daily table below) is the cleaner reading of the chip day.

# %%
study = event_study([{"ticker": ticker, "event_date": event_date, "label": f"{ticker} {event_date}"}
                     for ticker in tickers],
                    window=windows["event"], estimation=windows["estimation"],
                    benchmark=benchmark, returns=daily)
html_table(study.summary[SUMMARY_COLUMNS], table_id="event-summary",
           caption=f"Market-model event study vs {benchmark} (returns in percent)",
           float_format=DECIMALS, percent=RETURN_COLUMNS)

# %%
Markdown(event_study_findings(study, subject=f"stocks on {event_date}", include_average=False))

# %% [markdown]
# Day by day: `ret` is the stock's return, `bench_ret` SPY's, `expected` the market model's
# prediction, `ar` the abnormal return (`ret - expected`) and `car` its running sum, all in
# percent.

# %%
html_table(study.abnormal, table_id="abnormal", caption="Daily abnormal returns in the event window (percent)",
           float_format=DECIMALS, percent=RETURN_COLUMNS)

# %% [markdown]
# ## The CAR path of BABA with its confidence band
#
# The same market model, with the CAR followed over the wider plotting window (ten sessions
# either side of day 0), so the run-up and the days after are visible. The shaded band, centred
# on zero, is where the CAR would stay 95% of the time if nothing happened (H0: ordinary days,
# from the market model's residual noise); it widens with the number of days summed, so a
# one-day jump that is significant over three days can sit inside the band of a 21-day sum.
# Points outside the band are circled.

# %%
path = event_study([{"ticker": ticker, "event_date": event_date, "label": f"{ticker} {event_date}"}
                    for ticker in tickers],
                   window=windows["plot"], estimation=windows["estimation"],
                   benchmark=benchmark, returns=daily)
plot_car(path, event=f"BABA {event_date}")

# %%
plot_car(path, event=f"NVDA {event_date}")

# %%
Markdown(event_study_findings(path, subject=f"stocks over sessions {windows['plot']}",
                              include_average=False))

# %% [markdown]
# ## Verdicts on the articles' price claims
#
# The claim as worded ("close to 13%") checked directly, then every price claim of the
# articles about this date. `claimed` and `measured` are in the claim's own unit (percent for
# a move or a year-to-date return, US$ for a price); the tolerance column shows how the
# closeness word was read. The line printed first is the evidence behind these verdicts.

# %%
print(verify_price_claim("BABA", event_date, move_pct=13, qualifier="close to", source=source).evidence)

# %%
from babaresearch import load_ledger

ledger = load_ledger(docs_dir)  # the documents folder when given, else the committed ledger
verdicts = verify_ledger(ledger, source=source)
html_table(verdicts[verdicts["date"] == event_date][["doc_id", "quote", "metric", "claimed", "measured",
                                                      "qualifier", "tolerance", "verdict"]],
           table_id="verdicts", caption=f"Price claims about {event_date}", float_format="{:,.2f}")

# %% [markdown]
# **Answer.** Yes, the figure is right: BABA closed 12.90% higher on Friday 29 August 2025
# (135.00 after 119.57), which is "close to 13%", and the articles' "about $135" and "almost
# 60%" year to date check out too. Almost all of it was the stock itself, not the market: SPY
# fell slightly that day, and the market model puts BABA's abnormal return at about +13% on
# day 0 and +13.6% over sessions -1 to +1 (t = 2.74, p = 0.007), far outside its ordinary
# noise. What drove it cannot be settled from prices: the June-quarter results and the T-Head
# chip report arrived the same morning, so the data cannot apportion the move between them,
# and an article attributing the whole jump to the chip asserts more than prices can show.
# NVIDIA, the incumbent, fell about 3% that day (abnormal return about -2% on day 0); its CAR
# of about -4% over the window, which also holds its own results day, is not significant
# (p = 0.27), so prices show no clear hit to NVIDIA from the chip report.
