"""The one place where values become safe to put in HTML or Markdown.

Everything a report shows that does not come from the report's own author (document ids and
file names, titles, quotes, evidence sentences, event labels, notes) may hold markup: a file
named ``<img src=x onerror=alert(1)>.txt`` or ``[x](javascript:alert(2)).txt`` must show as
that text, never as a live element or link. nbconvert passes raw HTML inside Markdown through
to the page, so Markdown needs escaping as much as HTML does.

* :func:`escape_html` for text placed in HTML (element content or a quoted attribute value).
* :func:`escape_markdown` for text placed inside a Markdown paragraph (the findings sentences
  of :mod:`babaresearch.narrative`, ``IPython.display.Markdown`` in the notebooks).

Both turn ``None`` and NaN into an empty string and collapse line breaks to one space (a
value is inline text: it must not open a heading, a list or a code block).

This module imports nothing heavy and is safe to import anywhere.
"""

from __future__ import annotations

import html
import math
import re
import string

__all__ = ["escape_html", "escape_markdown", "text_of"]

#: Characters that open or close inline Markdown anywhere in a line (emphasis, code, links and
#: images, math, strike-through, escapes); each is written with a backslash. ``&``, ``<`` and
#: ``>`` (raw HTML, autolinks, entities) become HTML entities instead. Other punctuation only
#: means something at the start of a line (``#``, ``-``, ``+``, ``=``, ``1.``), where
#: :func:`escape_markdown` escapes it too; values never contain a line break.
_MARKDOWN_INLINE = frozenset("\\`*_[]$~")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ORDERED_LIST_START = re.compile(r"^(\d+)([.)])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c]+")


def text_of(value: object) -> str:
    """``value`` as one line of plain text: ``None``/NaN/NaT -> ``""``, line breaks -> spaces.

    Parameters
    ----------
    value : object
        Anything; ``str()`` is used for non-strings.

    Returns
    -------
    str
    """
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if type(value).__name__ in ("NaTType", "NAType"):
        return ""
    return _LINE_BREAKS.sub(" ", str(value))


def escape_html(value: object) -> str:
    """``value`` as HTML text: ``& < > " '`` become entities (safe in content and attributes).

    Parameters
    ----------
    value : object
        Anything; see :func:`text_of`.

    Returns
    -------
    str

    Examples
    --------
    >>> escape_html('<img src=x onerror=alert(1)>')
    '&lt;img src=x onerror=alert(1)&gt;'
    """
    return html.escape(text_of(value), quote=True)


def escape_markdown(value: object) -> str:
    """``value`` as literal inline Markdown text: no markup, link, image, HTML or math survives.

    Parameters
    ----------
    value : object
        Anything; see :func:`text_of`.

    Returns
    -------
    str
        Renders (CommonMark, mistune, marked) as exactly the characters of ``value``.

    Examples
    --------
    >>> print(escape_markdown('[x](javascript:alert(2))'))
    \\[x\\](javascript:alert(2))
    """
    text = text_of(value)
    out = []
    for position, char in enumerate(text):
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _MARKDOWN_INLINE or (position == 0 and char in string.punctuation):
            out.append("\\" + char)  # any punctuation opening the value: heading, list, quote
        else:
            out.append(char)
    return _ORDERED_LIST_START.sub(r"\1\\\2", "".join(out))
