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
# # 5. Scorecard: what the articles got right, wrong, or could not be checked
#
# **Question.** Taking every checkable claim of the five articles, which are supported by the
# data, which are contradicted, and which cannot be checked?
#
# **Method.** Price claims (a day's move, a closing price, a year-to-date return) are measured
# on the price data with a tolerance that depends on the writer's closeness word ("about",
# "close to", "almost"). Other claims (growth rates, cash flow, chip volumes, market shares)
# are set beside reference facts gathered from company reports and industry trackers
# (`data/reference_facts.csv`).

# %% tags=["parameters"]
tickers = ["BABA", "NVDA"]
benchmark = "SPY"  # not used here
windows = {}  # not used here
as_of = None
source = "snapshot"
docs_dir = None  # folder of the articles; None: use the committed ledger

# %%
from babaresearch.report import html_table
from IPython.display import Markdown

from babaresearch.verify import reference_facts, scorecard

from babaresearch import load_ledger, scorecard_findings

ledger = load_ledger(docs_dir)  # the documents folder when given, else the committed ledger
print(f"Claims from {ledger.attrs['origin']}.")
facts = reference_facts()

# %% [markdown]
# ## Every claim and its verdict
#
# One row per figure, in the order the articles make them; a figure an article repeats (the
# 470,000 chips is stated nine times in one article) is one row, with `mentions` saying how
# often it appears. `kind` says how it was checked:
# `price` claims are measured on the price data (`measured_or_fact` is the measured move or
# YTD return in percent, or the close in US$); `fact` claims are set beside the reference fact
# on the same company, metric and period, in the claim's unit (`measured_or_fact` is the fact's
# figure). A fact whose status is "not found", "nearest" or "lower bound" cannot confirm a claim:
# such claims are unverifiable, and the evidence says what was found instead. A claim with no
# matching fact reads "no reference fact".

# %%
table = scorecard(ledger, source=source, facts=facts)
html_table(table, table_id="scorecard", caption="Scorecard of the articles' claims")

# %%
table.groupby(["kind", "verdict"]).size().unstack(fill_value=0)

# %% [markdown]
# ## Reference facts
#
# The figures the business claims are compared with, with their status and source note.

# %%
html_table(facts, table_id="reference-facts", caption="Reference facts (data/reference_facts.csv)")

# %% [markdown]
# ## What the articles got right, wrong, or could not be checked
#
# Counted from the scorecard above:

# %%
Markdown(scorecard_findings(table, ledger))

# %% [markdown]
# **Answer.** The sentence above counts the verdicts. The scorecard gives the verdict on each claim with the measured number or the
# reference figure behind it. Price claims are judged with the tolerance of the writer's
# closeness word; business figures are supported when they round to the published figure, and
# stay unverifiable when no source confirms them (the evidence then names the nearest figure
# found) or when they are forecasts with no outcome to compare with.
