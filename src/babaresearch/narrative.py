"""Plain-English findings computed from results, for the reports' "Answer" paragraphs.

The notebooks hold the story but no logic: where a paragraph must quote a measured number
("2 of 12 releases moved BABA significantly"), it comes from one of these functions, so the text
is tested and stays true when the data or the parameters change. Each function returns Markdown.

Every value that comes from data (document ids, quotes, evidence, event labels, tickers, notes)
goes through :func:`babaresearch.htmlsafe.escape_markdown` before it is put in a sentence: a
document named ``<img src=x onerror=alert(1)>.txt`` must read as that text in a report.
"""

from __future__ import annotations

import math

import pandas as pd

from .htmlsafe import escape_markdown as _md

#: Significance level used to call a reaction "significant" in the prose (two-sided).
SIGNIFICANCE = 0.05
#: Aggregate statistics quoted in the event-study findings, in order, with their display names.
_QUOTED_STATISTICS = (("cross_sectional_t", "cross-sectional t"), ("patell_z", "Patell Z"),
                      ("bmp_t", "BMP t"), ("corrado_rank_window", "Corrado rank (window)"),
                      ("corrado_rank_day0", "Corrado rank (day 0)"),
                      ("generalized_sign_z", "generalised sign Z"))
#: How each ``check`` outcome of an unverifiable claim reads in a sentence, keyed by the
#: ``verify.CHECK_*`` name (resolved lazily: verify pulls in the ledger, narrative stays light).
_UNVERIFIABLE_REASON_BY_CHECK = {
    "CHECK_NO_FACT": "with no reference fact collected (not looked up, not refuted)",
    "CHECK_NOT_CONFIRMED": "checked against the sources found and not confirmed",
    "CHECK_FORECAST": "forecasts with no outcome to compare with",
    "CHECK_NO_PRICE_DATA": "without price data for their date",
    "CHECK_NOT_CHECKABLE": "not checkable as stated",
}


def _unverifiable_reasons() -> dict[str, str]:
    """``check`` value (verify's constant) -> how it reads in a sentence."""
    from . import verify

    return {getattr(verify, name): text for name, text in _UNVERIFIABLE_REASON_BY_CHECK.items()}


#: An average needs at least this many measured events to be described.
_MIN_EVENTS_FOR_AVERAGE = 2


def _pct(value: float, digits: int = 1) -> str:
    return f"{value * 100:+.{digits}f}%"


def event_study_findings(result, *, subject: str | None = None, alpha: float = SIGNIFICANCE,
                         include_average: bool = True) -> str:
    """Findings of an event study: how many events moved the stock, which, and on average.

    Parameters
    ----------
    result : EventStudyResult
        From :func:`babaresearch.event_study`; uses ``.summary`` (``event, status, car, t, p``,
        ``detail``) and ``.aggregate`` (``name, value, p_value``).
    subject : str, optional
        What the events are, e.g. "BABA earnings releases" (default: "events").
    alpha : float
        Two-sided significance level for "significant" (decimal, default 0.05).
    include_average : bool
        Whether to describe the average (CAAR) and its tests; off when the events are not a
        sample of like events (e.g. two different stocks on one day). Never described for
        fewer than two measured events.

    Returns
    -------
    str
        Markdown: a sentence on the significant events (largest CAR first), one on the average
        (CAAR and the test statistics with p-values), and one naming excluded events and why.
    """
    subject = subject or "events"
    summary = result.summary
    measured = summary[summary["status"] == "ok"]
    excluded = summary[summary["status"] != "ok"]
    lines = []
    if measured.empty:
        return f"No {subject} could be measured: " + _excluded_sentence(excluded)
    significant = measured[measured["p"] < alpha].sort_values("car", key=abs, ascending=False)
    window = _window_text(result)
    if significant.empty:
        lines.append(f"None of the {len(measured)} {subject} measured had a CAR{window} "
                     f"significant at the {alpha:.0%} level.")
    else:
        listed = "; ".join(f"{_md(row.event)} ({_pct(row.car)}, t = {row.t:.2f})"
                           for row in significant.itertuples())
        lines.append(f"{len(significant)} of the {len(measured)} {subject} measured had a "
                     f"CAR{window} significant at the {alpha:.0%} level: {listed}.")
    stats = result.aggregate.set_index("name")
    if include_average and "caar" in stats.index and len(measured) >= _MIN_EVENTS_FOR_AVERAGE:
        lines.append(_average_sentence(stats, alpha))
    if not excluded.empty:
        lines.append(_excluded_sentence(excluded))
    return " ".join(lines)


def _average_sentence(stats: pd.DataFrame, alpha: float) -> str:
    """The CAAR, every test with its p-value, and whether the tests agree that it is not zero."""
    quoted = [(label, stats.loc[name, "value"], stats.loc[name, "p_value"])
              for name, label in _QUOTED_STATISTICS
              if name in stats.index and _finite(stats.loc[name, "value"])]
    tests = ", ".join(f"{label} {value:.2f} (p = {p:.2f})" for label, value, p in quoted)
    rejecting = [label for label, _value, p in quoted if _finite(p) and p < alpha]
    if not rejecting:
        verdict = ("no test rejects a zero average: on average these days did not move the "
                   "stock beyond its usual noise")
    elif len(rejecting) == len(quoted):
        verdict = "every test rejects a zero average: on average these days moved the stock"
    else:
        verb = "rejects" if len(rejecting) == 1 else "reject"
        verdict = (f"the tests disagree ({', '.join(rejecting)} {verb} a zero average at the "
                   f"{alpha:.0%} level, the others do not): at most a weak average effect")
    return f"The average CAR (CAAR) is {_pct(stats.loc['caar', 'value'], 2)}; {tests}: {verdict}."


def _window_text(result) -> str:
    window = getattr(result, "window", None)
    if window is None:
        return ""
    first, last = window
    return f"({first:+d}, {last:+d})"


def _excluded_sentence(excluded: pd.DataFrame) -> str:
    if excluded.empty:
        return ""
    parts = []
    for row in excluded.itertuples():
        detail = getattr(row, "detail", None)
        reason = (_md(row.status) if not isinstance(detail, str) or not detail
                  else f"{_md(row.status)}: {_md(detail)}")
        parts.append(f"{_md(row.event)} ({reason})")
    return f"Excluded {len(excluded)}: " + "; ".join(parts) + "."


def _finite(value) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def scorecard_findings(scorecard: pd.DataFrame, ledger: pd.DataFrame | None = None) -> str:
    """Findings of a claims scorecard: how many claims each verdict got, and which were wrong.

    Parameters
    ----------
    scorecard : DataFrame
        Columns ``doc_id, quote, verdict`` (and ``evidence``), one row per checked claim, as
        from :func:`babaresearch.verify.scorecard`.
    ledger : DataFrame, optional
        The claims ledger behind the scorecard; when given, the findings also name the
        documents that contradict themselves (``contradiction``) and the claim sequences
        checked across documents (``sequence_consistent``).

    Returns
    -------
    str
        Markdown: the counts per verdict, the contradicted claims with their evidence, and the
        ledger's internal contradictions and sequence checks.
    """
    from .verify import CONTRADICTED, UNVERIFIABLE, VERDICTS

    if scorecard.empty:
        return "No checkable claims."
    counts = scorecard["verdict"].value_counts()
    total = len(scorecard)
    tally = ", ".join(f"{int(counts.get(v, 0))} {v}" for v in VERDICTS)
    lines = [f"Of {total} checkable claims in {scorecard['doc_id'].nunique()} documents: {tally}."]
    if "check" in scorecard.columns and counts.get(UNVERIFIABLE, 0):
        # "unverifiable" mixes claims nobody looked up with claims the sources do not confirm
        why = scorecard.loc[scorecard["verdict"] == UNVERIFIABLE, "check"].value_counts()
        reasons = _unverifiable_reasons()
        lines.append("The unverifiable ones: " + ", ".join(
            f"{int(n)} {reasons.get(reason) or _md(reason)}" for reason, n in why.items()) + ".")
    wrong = scorecard[scorecard["verdict"] == CONTRADICTED]
    if not wrong.empty:
        listed = "; ".join(f"\"{_md(row.quote)}\" ({_md(row.doc_id)}): {_md(row.evidence)}"
                           for row in wrong.itertuples())
        lines.append(f"Contradicted: {listed}")
    if ledger is not None:
        lines.extend(_ledger_flag_sentences(ledger))
    return " ".join(lines)


def _ledger_flag_sentences(ledger: pd.DataFrame) -> list[str]:
    """Self-contradictions (one per document and figure) and cross-document sequence checks."""
    lines = []
    flagged = ledger[ledger["contradiction"].astype(bool)]
    for (doc_id, quote), group in flagged.groupby(["doc_id", "quote"], sort=True):
        labels = sorted({str(label) for label in group["period_label"].dropna()})
        periods = sorted({str(p) for p in group["fiscal_period"].dropna()})
        lines.append(f"{_md(doc_id)} contradicts itself on \"{_md(quote)}\": it dates the "
                     f"figure with {' and '.join(_md(repr(label)) for label in labels)}, which "
                     f"resolve to different releases ({', '.join(_md(p) for p in periods)}); "
                     "at most one can be right.")
    sequences = ledger[ledger["sequence_consistent"].notna()]
    if not sequences.empty:
        consistent = sequences["sequence_consistent"].astype(bool)
        verdict = ("consistent with each other" if consistent.all() else
                   "NOT consistent with each other")
        quoted = ", ".join(f"\"{_md(q)}\" ({_md(d)})"
                           for q, d in zip(sequences["quote"], sequences["doc_id"]))
        lines.append(f"Streak counts across documents ({quoted}) are {verdict} given the "
                     f"quarters between their periods.")
    return lines


def performance_findings(summary: pd.DataFrame, *, companies: tuple[str, ...] = ("NVDA", "BABA"),
                         benchmark: str = "SPY") -> str:
    """How the companies did against the benchmark, from :func:`performance_summary`.

    Parameters
    ----------
    summary : DataFrame
        Columns ``ticker, start, end, total_return, max_drawdown, max_drawdown_date``.
    companies : tuple of str
        Tickers to describe, in order.
    benchmark : str
        Ticker to compare them with.

    Returns
    -------
    str
        Markdown: the common span, each company's total return (and multiple of the money) and
        worst drawdown with its date, against the benchmark's total return.
    """
    rows = summary.set_index("ticker")
    present = [t for t in companies if t in rows.index and _finite(rows.loc[t, "total_return"])]
    if not present:
        return "No company has prices over the common span."
    first = rows.loc[present[0]]
    span = f"From {first['start']:%Y-%m-%d} to {first['end']:%Y-%m-%d}"
    parts = []
    for ticker in present:
        row = rows.loc[ticker]
        parts.append(f"{_md(ticker)} returned {row['total_return'] * 100:+,.0f}% "
                     f"({1 + row['total_return']:.1f} times the money), with a worst fall of "
                     f"{row['max_drawdown'] * 100:.0f}% from a previous high (trough "
                     f"{row['max_drawdown_date']:%Y-%m-%d})")
    text = f"{span} (the sessions every ticker has), " + "; ".join(parts)
    if benchmark in rows.index and _finite(rows.loc[benchmark, "total_return"]):
        text += f"; the market ({_md(benchmark)}) returned {rows.loc[benchmark, 'total_return'] * 100:+,.0f}%"
    return text + "."
