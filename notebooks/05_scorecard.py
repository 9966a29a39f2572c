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
import pandas as pd

from babaresearch import resource, verify_ledger
from babaresearch.ledger import PRICE_METRICS
from babaresearch.report import html_table

if docs_dir:
    from babaresearch import claims_ledger, load_documents

    ledger = claims_ledger(load_documents(docs_dir))
else:
    from babaresearch.ledger import ledger_facts

    ledger = ledger_facts()
    print("The documents folder is not available here: the claims come from the committed "
          "ledger data/claims_ledger.csv.")
facts = pd.read_csv(resource("reference_facts.csv"))

# %% [markdown]
# ## Price claims
#
# One row per price claim: what was claimed, what the data shows, the tolerance applied and
# the verdict. The evidence column gives the measured numbers.

# %%
verdicts = verify_ledger(ledger, source=source)
html_table(verdicts, table_id="scorecard", caption="Scorecard of the articles' price claims")

# %%
verdicts["verdict"].value_counts()

# %% [markdown]
# ## Other claims beside the reference facts
#
# Each non-price claim next to the reference fact on the same metric and period, where one
# exists. A claim with no matching fact could not be checked here.

# %%
others = ledger[~ledger["metric"].isin(list(PRICE_METRICS))]
html_table(others.merge(facts.rename(columns={"value": "reference_value", "unit": "reference_unit"}),
                        on=["ticker", "metric", "fiscal_period"], how="left")
           .filter(["doc_id", "quote", "value", "unit", "metric", "fiscal_period", "reference_value",
                    "reference_unit", "status", "source_note"]),
           table_id="facts-scorecard", caption="Non-price claims and the reference facts")

# %%
html_table(facts, table_id="reference-facts", caption="Reference facts (data/reference_facts.csv)")

# %% [markdown]
# **Answer.** The scorecard table gives the verdict on each price claim; the second table sets
# each business claim beside the figure the companies or trackers published. Figures with
# status "not found" or "nearest" in the reference facts mark claims no source confirms.
