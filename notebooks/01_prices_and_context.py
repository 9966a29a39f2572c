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
# # 1. Prices and context: BABA and NVDA since 2023
#
# **Question.** Before checking what articles said about Alibaba (BABA) and NVIDIA (NVDA), what
# did the two stocks actually do, and against what backdrop? We compare them with the US market
# (SPY) and two baskets of Chinese stocks (KWEB, internet; MCHI, broad China), mark every
# earnings release, and look at how deep the falls were and how closely each stock followed the
# US market.
#
# **Where the numbers come from.** A price snapshot shipped with the library (provenance and
# checks at the end of this page). Prices are adjusted for dividends and splits so that a line
# shows what an investor actually earned.

# %% tags=["parameters"]
tickers = ["BABA", "NVDA", "SPY", "KWEB", "MCHI"]  # stocks first, then the context ETFs
benchmark = "SPY"  # the "market" for beta
windows = {"start": "2023-01-03", "beta_sessions": 60}  # first session shown; rolling-beta length
as_of = None  # last date used (None: everything in the data)
source = "snapshot"  # "snapshot" = embedded data only; "auto" = cache, then live download
docs_dir = None  # not used here

# %%
from IPython.display import Markdown

from babaresearch import (closes, data_quality_report, earnings_calendar, performance_findings,
                          performance_summary, returns, snapshot_info)
from babaresearch.metrics import monthly_returns, performance_metrics, rolling_volatility
from babaresearch.plots import (plot_drawdowns, plot_monthly_returns, plot_normalized_prices,
                                plot_rolling_beta, plot_rolling_volatility)
from babaresearch.report import html_table

prices = closes(tickers, windows["start"], as_of, source=source)
daily = returns(tickers, windows["start"], as_of, source=source)
releases = earnings_calendar("BABA")
print(f"{len(prices)} sessions from {prices.index.min():%Y-%m-%d} to {prices.index.max():%Y-%m-%d}")

# %% [markdown]
# ## Growth of 100 dollars
#
# Each line starts at 100 on the first session (a log scale, so equal distances are equal
# percentage moves). Prices are adjusted for dividends where the data record them: for the whole
# range for BABA and MCHI, up to 2025-09-29 for the others (see `dividends_known_through` in
# the provenance table), price-only after. Vertical lines mark the day the market could first
# react to each Alibaba earnings release (its *day 0*: Alibaba reports before the US open, so
# that same day).

# %%
plot_normalized_prices(prices, marks=dict(zip(releases["day0"], releases["fiscal_period"])),
                       title=f"{', '.join(tickers)}: dividend-adjusted closes rebased to 100 "
                             "(log scale), Alibaba earnings day 0 marked")

# %% [markdown]
# ## How deep were the falls?
#
# A drawdown is the loss from the highest price reached so far. It tells how much an investor
# who bought at the top was down at each point.

# %%
plot_drawdowns(prices)

# %% [markdown]
# ## How much did each stock follow the US market?
#
# Beta over a rolling window of sessions: 1 means the stock moved one-for-one with SPY on
# average; near 0 means its moves had little to do with the US market.

# %%
plot_rolling_beta(daily, "BABA", benchmark, window=windows["beta_sessions"])

# %%
plot_rolling_beta(daily, "NVDA", benchmark, window=windows["beta_sessions"])

# %% [markdown]
# ## In numbers
#
# For each ticker, in percent: the total return from `start` to `end`, the sessions every
# ticker has (so the rows are comparable: the price files end on different dates, see the
# provenance table), and the worst drawdown, the deepest fall from a previous high, with the
# date of its trough.

# %%
summary = performance_summary(prices)
html_table(summary, columns=["ticker", "start", "end", "total_return", "max_drawdown",
                             "max_drawdown_date"],
           percent=["total_return", "max_drawdown"], percent_format="{:+,.1%}",
           table_id="in-numbers", caption="Total return and worst drawdown (percent)")

# %%
Markdown(performance_findings(summary, benchmark=benchmark))

# %% [markdown]
# ## Risk and return
#
# The statistics of a fund factsheet, over the same common sessions, computed with
# empyrical-reloaded: the compound annual growth rate (CAGR), the annualised volatility of
# daily returns, the Sharpe ratio (mean daily return over its standard deviation, annualised,
# with no risk-free rate) and the Sortino ratio (the same over the downside deviation only),
# the worst drawdown with the sessions of its high, its low and its recovery (none: not yet
# back at the high), and the beta and correlation of daily returns with the benchmark.

# %%
risk = performance_metrics(daily[tickers], benchmark)
html_table(risk, columns=["ticker", "cagr", "annual_volatility", "sharpe", "sortino",
                          "max_drawdown", "peak_date", "trough_date", "recovery_date", "beta",
                          "correlation"],
           percent=["cagr", "annual_volatility", "max_drawdown"], percent_format="{:+.1%}",
           float_format="{:.2f}", table_id="risk-return",
           labels={"cagr": "CAGR", "annual_volatility": "volatility (annual)",
                   "max_drawdown": "max drawdown", "peak_date": "high", "trough_date": "low",
                   "recovery_date": "recovered", "beta": f"beta vs {benchmark}",
                   "correlation": f"correlation with {benchmark}"},
           caption=f"Risk and return, {risk['start'].min():%Y-%m-%d} to {risk['end'].max():%Y-%m-%d}")

# %% [markdown]
# ### Month by month
#
# Each cell is the month's total return in percent (compounded daily returns); green months
# gained, red months lost, colours saturate at 25%.

# %%
plot_monthly_returns(monthly_returns(daily["BABA"]), ticker="BABA")

# %%
plot_monthly_returns(monthly_returns(daily["NVDA"]), ticker="NVDA")

# %% [markdown]
# ### How volatile, and when
#
# Annualised volatility over a rolling window of about three months (63 sessions).

# %%
plot_rolling_volatility(rolling_volatility(daily[["BABA", "NVDA", benchmark]]), window=63)

# %% [markdown]
# ## Data provenance
#
# One row per ticker: the sessions covered, how prices are adjusted, until when dividends are
# known (after that date the adjustment is price-only), the source and a checksum of the file.

# %%
html_table(snapshot_info(), table_id="provenance", caption="Embedded price snapshot")

# %% [markdown]
# ## Data quality
#
# Automatic checks on every bar. The flagged SPY and FXI bars of April 2026 are placeholders
# from the source (a dummy volume of 9,999,999 and a "filler" bar repeating the previous
# close with zero volume). The library treats filler bars as missing, so they never count as
# days on which nothing happened.

# %%
html_table(data_quality_report(source=source), table_id="quality",
           caption="Issues found by validate_bars")

# %% [markdown]
# **Answer.** The two stocks lived in different worlds (every figure is in the computed
# findings and tables above, which follow the data). NVIDIA was the AI boom's winner, many
# times the money and far ahead of the US market, although it too lost more than a third from
# a high in the April 2025 sell-off. Alibaba, like the Chinese baskets, went nowhere for long
# stretches and ended up only modestly, after a fall of about half from a previous high; its
# path resembles KWEB and MCHI far more than SPY, with a beta to SPY mostly well below
# NVIDIA's. So when an article credits a single day or a single piece of news with a big BABA
# move, the backdrop is a volatile stock whose swings are largely Chinese-market swings;
# reports 3 and 4 measure those days against the market.
