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
# # 2. The claims ledger: what the articles said, and when
#
# **Question.** Five articles write about Alibaba and NVIDIA; some make numerical claims: price
# moves, growth rates, chip volumes, market shares. Which claims are there, which period or day
# does each refer to, and when was each article written?
#
# **Method.** The library extracts every number with its unit, qualifier ("about", "close to"),
# subject and metric, resolves phrases such as "the June quarter" to a fiscal quarter and its
# results release, and dates each article from evidence in its text. The result is the
# *claims ledger*: one row per claim.

# %% tags=["parameters"]
tickers = ["BABA", "NVDA"]
benchmark = "SPY"  # not used here
windows = {}  # not used here
as_of = None
source = "snapshot"
docs_dir = None  # folder of the articles; None: use the committed ledger (data/claims_ledger.csv)

# %%
from babaresearch import corporate_events, document_dates, earnings_calendar, load_ledger
from babaresearch.plots import plot_claims_timeline
from babaresearch.report import html_table

# the documents folder when given, else the committed ledger and document dates
ledger = load_ledger(docs_dir)
dating = document_dates(docs_dir)
print(f"Claims from {ledger.attrs['origin']}.")
print(f"{len(dating)} documents, {len(ledger)} claims in {ledger['doc_id'].nunique()} of them")

# %% [markdown]
# ## When was each article written?
#
# An article's *as-of* date bounds what it could know: a claim about "last quarter" means a
# different quarter before and after a results release. The evidence column says what in the
# text fixed the date; `n_claims` counts the numerical claims (repeats included) and `chars`
# the article's length.

# %%
html_table(dating, table_id="dating", caption="Dating of each document")

# %% [markdown]
# ## Claims on a timeline
#
# Each dot is a claim, placed on the results release or event it refers to (or on the
# article's date when it refers to none); vertical lines are earnings releases and other
# corporate events.

# %%
plot_claims_timeline(ledger, earnings_calendar(tickers), corporate_events(tickers))

# %% [markdown]
# ## The ledger
#
# Quotes are short spans of the articles (a number and its qualifier), never whole sentences.

# %%
html_table(ledger[["doc_id", "quote", "value", "unit", "qualifier", "subject", "metric",
                   "period_label", "fiscal_period", "release_date", "day0", "event"]],
           table_id="ledger", caption="Claims ledger")

# %% [markdown]
# ## Ambiguous periods and contradictions
#
# A period is *ambiguous* when its label fits more than one quarter (e.g. a calendar quarter
# versus Alibaba's fiscal quarter, which ends in March). A *contradiction* is two claims about
# the same metric and period with different numbers or dates, or a claim out of step with the
# sequence of reported quarters. `period_label` is the article's wording, `fiscal_period` the
# quarter it was resolved to.

# %%
flagged = ledger[ledger["ambiguous_period"].fillna(False).astype(bool)
                 | ledger["contradiction"].fillna(False).astype(bool)]
html_table(flagged[["doc_id", "quote", "metric", "period_label", "fiscal_period",
                    "ambiguous_period", "contradiction", "contradiction_note"]],
           table_id="flags", caption="Claims with an ambiguous period or a contradiction")

# %% [markdown]
# **Answer.** Three of the five articles make checkable numerical claims (41 in all; the other two
# are commentary without figures). By the evidence in their text they were written on
# 29 August 2025 (the rally and chip article, dated by its "Q1 earnings" and "Friday"),
# 25 November 2025 (the investment case, dated by its "Q3 2025" results) and 20 March 2026 (the
# T-Head chip count). Their claims tie to specific releases: the June-quarter results of
# 29 August 2025 for the price move and the cloud growth, the September-quarter results for the
# investment case. Seven rows deserve care: the investment case's calendar-quarter labels
# ("Q3 2025", "Q2 2025") could also be read as Alibaba's fiscal quarters, which end in March
# (they are resolved to the calendar reading, e.g. the September 2025 quarter, the latest one
# reported before the article), and the chip article dates its 470,000 figure two ways that
# point to different releases. Reports 3 and 5 check these claims against the data.
