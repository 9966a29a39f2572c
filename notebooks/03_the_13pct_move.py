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
# One event study per stock on the same date. `alpha`, `beta` and `r2` describe the market
# model fitted over the estimation window; `car` is the cumulative abnormal return over the
# event window, `t` and `p` its test against zero; `raw_return_day0` is the plain return on
# day 0. Returns are decimals (0.129 = 12.9%).

# %%
study = event_study([{"ticker": ticker, "event_date": event_date, "label": f"{ticker} {event_date}"}
                     for ticker in tickers],
                    window=windows["event"], estimation=windows["estimation"],
                    benchmark=benchmark, returns=daily)
html_table(study.summary, table_id="event-summary", caption="Market-model event study")

# %%
Markdown(event_study_findings(study, subject=f"stocks on {event_date}", include_average=False))

# %%
html_table(study.abnormal, table_id="abnormal", caption="Daily abnormal returns in the event window")

# %% [markdown]
# ## The CAR path of BABA with its confidence band
#
# The same market model, with the CAR followed over the wider plotting window (ten sessions
# either side of day 0), so the run-up and the days after are visible. The band is the range
# the CAR would stay in 95% of the time if the days were ordinary ones (from the market model's
# residual noise, widening with the number of days summed).

# %%
path = event_study([{"ticker": ticker, "event_date": event_date, "label": f"{ticker} {event_date}"}
                    for ticker in tickers],
                   window=windows["plot"], estimation=windows["estimation"],
                   benchmark=benchmark, returns=daily)
plot_car(path, event=f"BABA {event_date}")

# %%
plot_car(path, event=f"NVDA {event_date}")

# %% [markdown]
# ## Verdicts on the articles' price claims
#
# The claim as worded ("close to 13%") checked directly, then every price claim of the
# articles about this date. The tolerance column shows how the closeness word was read.

# %%
print(verify_price_claim("BABA", event_date, move_pct=13, qualifier="close to", source=source).evidence)

# %%
from babaresearch import load_ledger

ledger = load_ledger(docs_dir)  # the documents folder when given, else the committed ledger
verdicts = verify_ledger(ledger, source=source)
html_table(verdicts[verdicts["date"] == event_date], table_id="verdicts",
           caption=f"Price claims about {event_date}")

# %% [markdown]
# **Answer.** The table of abnormal returns gives the size of BABA's move once the market's
# own move is taken out, and its t-statistic whether it stands out from ordinary noise. Because
# the results and the chip report arrived the same morning, the data cannot say how much of
# the move each explains: an article attributing the whole jump to the chip is asserting more
# than prices can show. NVIDIA's row shows how the incumbent traded the same day.
