"""Tables formatted for people: the HTML tables of the reports.

:func:`html_table` writes a DataFrame as an HTML table an analyst can read: returns as percent
with a sign (``+12.90%``), money with its currency and scale (``US$ 46.7bn``, ``RMB 21.8bn``),
plain numbers without scientific notation, dates as ``YYYY-MM-DD`` that never wrap, a dash for
a missing value (never ``None``, ``nan`` or ``NaT``) and long text folded in a ``<details>``
element. Every cell, label and caption goes through :func:`babaresearch.htmlsafe.escape_html`.

The formatters (:func:`format_percent`, :func:`format_money`, :func:`format_quantity`,
:func:`format_number`) are plain functions returning text, usable anywhere.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from .htmlsafe import escape_html

#: Shown for a missing value.
MISSING = "\u2014"
#: Text longer than this many characters is folded in a <details> element.
FOLD_AFTER_CHARS = 120
#: Characters of folded text shown in its <summary>.
SUMMARY_CHARS = 70
#: Display prefix of each currency code (ISO 4217; CNY is written RMB as in company reports).
CURRENCY_PREFIX = {"USD": "US$", "CNY": "RMB", "RMB": "RMB", "HKD": "HK$", "EUR": "\u20ac",
                   "GBP": "\u00a3", "JPY": "\u00a5", "TWD": "NT$"}
#: Scales used for large amounts, largest first: (threshold, suffix).
SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "m"))
#: Units whose values are already in percent points (34 means 34%).
PERCENT_UNITS = ("%", "pct", "percent")
#: Class and inline style of a date cell (inline: a notebook output carries no stylesheet).
_DATE_STYLE = ' class="br-date" style="white-space:nowrap"'
_NUMBER_STYLE = ' class="br-num" style="text-align:right;white-space:nowrap"'


def is_missing(value: object) -> bool:
    """None, NaN, NaT and pandas NA are missing."""
    if value is None:
        return True
    if type(value).__name__ in ("NaTType", "NAType"):
        return True
    try:
        return isinstance(value, float) and math.isnan(value)
    except TypeError:
        return False


def format_number(value: float, *, digits: int = 4) -> str:
    """A plain number: about ``digits`` significant digits, thousands separators, never
    scientific notation (``1,270``, ``2.736``, ``0.0073``, ``0``)."""
    if is_missing(value):
        return MISSING
    value = float(value)
    if not math.isfinite(value):
        return MISSING
    if value == 0:
        return "0"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{value:,.0f}"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = min(max(digits - 1 - magnitude, 0), 12)
    text = f"{value:,.{decimals}f}"
    return "0" if text.strip("-0.,") == "" else text


def format_percent(value: float, *, decimals: int = 2, sign: bool = True) -> str:
    """A decimal return as percent: ``0.129`` -> ``+12.90%``."""
    if is_missing(value) or not math.isfinite(float(value)):
        return MISSING
    return f"{float(value):{'+' if sign else ''}.{decimals}%}"


def _scaled(amount: float) -> str:
    magnitude = abs(amount)
    for threshold, suffix in SCALES:
        if magnitude >= threshold:
            return f"{magnitude / threshold:,.1f}{suffix}"
    return f"{magnitude:,.2f}"


def format_money(value: float, currency: str = "USD") -> str:
    """Money with its currency and scale: ``46.7e9`` -> ``US$ 46.7bn``; ``-21.8e9, "CNY"`` ->
    ``-RMB 21.8bn``; ``135`` -> ``US$ 135.00``."""
    if is_missing(value) or not math.isfinite(float(value)):
        return MISSING
    value = float(value)
    prefix = CURRENCY_PREFIX.get(str(currency).upper(), str(currency).upper())
    return f"{'-' if value < 0 else ''}{prefix} {_scaled(value)}"


def format_quantity(value: float, unit: object) -> str:
    """A value in its own unit: money by currency code, percent points, counts with a scale
    (``600m``), anything else followed by its unit (``4 nm``)."""
    if is_missing(value):
        return MISSING
    unit_text = "" if is_missing(unit) else str(unit).strip()
    if unit_text.upper() in CURRENCY_PREFIX:
        return format_money(value, unit_text)
    if unit_text.lower() in PERCENT_UNITS:
        return f"{format_number(value, digits=3)}%"
    if unit_text.lower() in ("count", ""):
        value = float(value)
        return _scaled(value).replace(".00", "") if abs(value) >= SCALES[-1][0] \
            else format_number(value)
    return f"{format_number(value, digits=3)} {unit_text}"


def _is_date(value: object) -> bool:
    import datetime as _dt

    return isinstance(value, (_dt.date, _dt.datetime)) or type(value).__name__ == "Timestamp"


def format_cell(value: object) -> str:
    """Plain text of any cell value (no HTML): dates, numbers, booleans, text."""
    import numpy as np

    if is_missing(value):
        return MISSING
    if _is_date(value):
        stamp = value
        if hasattr(stamp, "hour") and (stamp.hour or stamp.minute or getattr(stamp, "second", 0)):
            return stamp.strftime("%Y-%m-%d %H:%M")
        return stamp.strftime("%Y-%m-%d")
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        return format_number(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(format_cell(item) for item in value) or MISSING
    return str(value)


class EscapedHTML(str):
    """A string of already-escaped HTML that Jupyter displays as HTML (``_repr_html_``)."""

    def _repr_html_(self) -> str:
        return str(self)


def _text_cell(text: str, fold_after: int) -> str:
    """Escaped text; folded in <details> (first words as the summary) when long."""
    if len(text) <= fold_after:
        return escape_html(text)
    head = text[:SUMMARY_CHARS].rsplit(" ", 1)[0] if " " in text[:SUMMARY_CHARS] else text[:SUMMARY_CHARS]
    return (f"<details><summary>{escape_html(head)}\u2026</summary>{escape_html(text)}"
            "</details>")


def html_table(frame, *, table_id: str | None = None, caption: str | None = None,
               index: bool = False, float_format: str | None = None,
               percent: Sequence[str] = (), columns: Sequence[str] | None = None,
               percent_format: str = "{:+.2%}", money: Mapping[str, str] | None = None,
               units: Mapping[str, str] | None = None, labels: Mapping[str, str] | None = None,
               fold_after: int = FOLD_AFTER_CHARS) -> EscapedHTML:
    """Render a DataFrame as an HTML table formatted for people, every text escaped.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    table_id : str, optional
        ``id`` attribute of the ``<table>`` (e.g. ``"scorecard"`` so a browser test can find it).
    caption : str, optional
        Plain-text caption (escaped).
    index : bool, default False
        Whether to show the index (as the first columns).
    float_format : str, optional
        Format of other float cells, e.g. ``"{:.3f}"``; default :func:`format_number` (about
        four significant digits, never scientific notation).
    percent : sequence of str
        Columns holding decimal returns (0.129) to show as percent (``+12.90%``).
    columns : sequence of str, optional
        Columns to show, in order (default: all).
    percent_format : str, default ``"{:+.2%}"``
        Format of the ``percent`` columns.
    money : mapping of column to currency code, optional
        Columns holding amounts in one currency, e.g. ``{"revenue": "USD"}`` (``US$ 46.7bn``).
    units : mapping of column to column, optional
        Columns whose unit is given row by row in another column, e.g. ``{"claimed": "unit"}``
        (see :func:`format_quantity`).
    labels : mapping of column to header text, optional
        Headers to show instead of column names.
    fold_after : int
        Text cells longer than this many characters are folded in ``<details>``.

    Returns
    -------
    EscapedHTML
        Displays as the table in a notebook; ``str()`` gives the HTML.
    """
    if index:
        frame = frame.reset_index()
    if columns is not None:
        frame = frame.loc[:, list(columns)]
    money = dict(money or {})
    units = dict(units or {})
    labels = dict(labels or {})
    percent = set(percent)
    names = list(frame.columns)
    attributes = ' class="dataframe babaresearch-table"'
    if table_id:
        attributes = f' id="{escape_html(table_id)}"' + attributes
    parts = [f"<table{attributes}>"]
    if caption:
        parts.append(f"  <caption>{escape_html(caption)}</caption>")
    parts.append("  <thead>\n    <tr>" + "".join(
        f"<th>{escape_html(labels.get(name, name))}</th>" for name in names) + "</tr>\n  </thead>")
    parts.append("  <tbody>")
    unit_columns = {name: frame[units[name]] for name in names if name in units
                    and units[name] in frame.columns}
    for position in range(len(frame)):
        cells = []
        for column_number, name in enumerate(names):
            value = frame.iat[position, column_number]
            style = ""
            if is_missing(value):
                text, style = MISSING, ""
            elif name in percent:
                text = percent_format.format(value) if _finite(value) else MISSING
                style = _NUMBER_STYLE
            elif name in money:
                text, style = format_money(value, money[name]), _NUMBER_STYLE
            elif name in unit_columns:
                text = format_quantity(value, unit_columns[name].iat[position])
                style = _NUMBER_STYLE
            elif _is_date(value):
                text, style = format_cell(value), _DATE_STYLE
            elif _is_float(value) and float_format is not None:
                text = float_format.format(value) if _finite(value) else MISSING
                if "e" in text.lower():  # a format that would fall into scientific notation
                    text = format_number(value)
                style = _NUMBER_STYLE
            elif _is_float(value) or _is_int(value):
                text, style = format_cell(value), _NUMBER_STYLE
            else:
                cells.append(f"<td>{_text_cell(format_cell(value), fold_after)}</td>")
                continue
            cells.append(f"<td{style}>{escape_html(text)}</td>")
        parts.append("    <tr>" + "".join(cells) + "</tr>")
    parts.append("  </tbody>\n</table>")
    return EscapedHTML("\n".join(parts))


def _is_float(value: object) -> bool:
    import numpy as np

    return isinstance(value, (float, np.floating))


def _is_int(value: object) -> bool:
    import numpy as np

    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _finite(value: object) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False
