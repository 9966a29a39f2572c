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
# figure). Figures are shown in the claim's unit (`unit`): money with its currency and scale
# (US$ 53.0bn, RMB 21.8bn), percent, counts. A fact whose
# status is "not found", "nearest" or "lower bound" cannot confirm a claim:
# such claims are unverifiable, and the evidence says what was found instead. A claim with no
# matching fact reads "no reference fact". `check` says in a few words why each verdict was
# reached ("measured", "fact confirms", "not confirmed by the facts found", "forecast",
# "no reference fact collected").

# %%
table = scorecard(ledger, source=source, facts=facts)
# each figure in the unit its claim was written in (the ledger's unit of that quote)
claim_units = ledger.drop_duplicates(["doc_id", "quote"]).set_index(["doc_id", "quote"])["unit"]
shown = table.join(claim_units, on=["doc_id", "quote"])
html_table(shown[["doc_id", "quote", "metric", "claimed", "measured_or_fact", "unit", "verdict",
                  "mentions", "kind", "check", "evidence"]], table_id="scorecard",
           units={"claimed": "unit", "measured_or_fact": "unit"},
           caption="Scorecard of the articles' claims")

# %% [markdown]
# The verdicts counted by how the claims were checked (number of distinct figures):

# %%
html_table(table.value_counts(["kind", "verdict"]).reset_index(name="figures"),
           table_id="verdict-counts", caption="Verdicts by kind of check")

# %% [markdown]
# ## Reference facts
#
# The figures the business claims are compared with, in their own unit, with their status
# (`confirmed` facts can support a claim; `nearest`, `not found` and `lower bound` cannot) and a
# note on the source.

# %%
html_table(facts[["ticker", "metric", "fiscal_period", "value", "unit", "status", "source_note"]],
           table_id="reference-facts", caption="Reference facts (data/reference_facts.csv)",
           units={"value": "unit"})

# %% [markdown]
# ## What the articles got right, wrong, or could not be checked
#
# Counted from the scorecard above:

# %%
Markdown(scorecard_findings(table, ledger))

# %% [markdown]
# **Answer.** Of the 31 distinct figures the articles state, 16 are supported and none is
# contradicted; the other 15 are unverifiable here, for three different reasons. Every price
# claim (the "close to 13%" move, the "about $135" close and the "almost 60%" year-to-date gain)
# is supported by the price data, and the business figures we have a published source for
# (cloud growth, the AI-revenue streak, free cash flow, the capex plan, NVIDIA's revenue) round
# to it. Two of the unverifiable figures are forecasts. Three were looked for and not confirmed:
# a China market share the trackers put at 33% rather than 34%, a 4% global share, and the
# 470,000-chip figure, which no source states (the figures found bracket it: more than 100,000
# in January 2026, 560,000 in May 2026), and which its own article dates two incompatible ways.
# The remaining ten (model counts, downloads, cost and performance ratios, other companies'
# spending) simply have no reference fact in this project's data: they are neither confirmed
# nor refuted, and an analyst relying on them should source them first. Where the articles can
# be checked they are accurate; the one internal inconsistency is a dating error, not a wrong
# number.
