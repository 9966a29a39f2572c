"""The text layer's vocabularies, loaded once from the TOML files in ``babaresearch/vocab/``.

Vocabularies are data, not code (the way quantulum3 keeps its units): number words and scales
(``numbers.toml``), currencies and units (``units.toml``), qualifiers and forecast cues
(``qualifiers.toml``), months, weekdays, time zones, session words and trading-window cues
(``time.toml``), advert / navigation / ratio cues (``roles.toml``), metric cues
(``metrics.toml``) and company / index profiles (``profiles.toml``). Every rule of the grammar
reads these tables; none repeats their words.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

from .errors import DataFileError

#: The vocabulary files, by name.
VOCABULARIES = ("numbers", "units", "qualifiers", "time", "roles", "metrics", "profiles")


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """The parsed TOML vocabulary ``name`` (one of :data:`VOCABULARIES`), cached.

    Raises
    ------
    DataFileError
        The file is missing or not valid TOML (names the file and the parser's line).
    """
    if name not in VOCABULARIES:
        raise DataFileError(f"unknown vocabulary {name!r}; expected one of {', '.join(VOCABULARIES)}")
    path = resources.files("babaresearch") / "vocab" / f"{name}.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(f"vocabulary file missing: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"vocabulary file {path}: {exc}") from None


def alternation(phrases: Iterable[str], *, words: bool = True, flags_ci: bool = True) -> str:
    """A regex alternation of ``phrases``, longest first, spaces matching any whitespace.

    With ``words`` the alternation is wrapped in word boundaries where a phrase starts / ends with
    a word character (so ``"%"`` and ``"$"`` still match).
    """
    out = []
    for phrase in sorted(set(phrases), key=lambda p: (-len(p), p)):
        body = r"\s+".join(re.escape(part) for part in phrase.split())
        if words:
            if phrase[:1].isalnum():
                body = r"(?<![\w$])" + body
            if phrase[-1:].isalnum():
                body = body + r"(?![\w])"
        out.append(body)
    return "(?:" + "|".join(out) + ")" if out else "(?!x)x"


@lru_cache(maxsize=None)
def phrase_regex(vocabulary: str, *path: str, ci: bool = True) -> re.Pattern:
    """Compiled alternation of the phrase list at ``path`` inside ``vocabulary`` (cached)."""
    node: Any = load(vocabulary)
    for key in path:
        node = node[key]
    return re.compile(alternation(node), re.IGNORECASE if ci else 0)


_WORD_START = re.compile(r"(?<![\w])\w")
_SPACE = re.compile(r"\s")


@lru_cache(maxsize=256)
def _haystack(text: str) -> tuple[str, str, tuple[int, ...]]:
    """``text`` with whitespace as spaces, its case fold (same length, else as written) and its
    word starts, computed once per text for every matcher."""
    flat = _SPACE.sub(" ", text)
    lowered = flat.lower()
    if len(lowered) != len(flat):
        lowered = flat
    return flat, lowered, tuple(m.start() for m in _WORD_START.finditer(flat))


class PhraseMatcher:
    """Find many fixed phrases in a text in one linear pass (a word-start index, not a regex
    alternation of hundreds of branches).

    Parameters
    ----------
    phrases : iterable of str
        The phrases; spaces inside a phrase match one whitespace character.
    case_sensitive : bool
        Compare as written (company names) or case-folded (cue words).
    lead : str
        Characters that must not precede an alphanumeric-initial phrase (besides word characters).
    trail : str
        Characters that must not follow an alphanumeric-final phrase (besides word characters).

    ``finditer(text)`` yields ``(start, end, phrase)`` left to right, the longest phrase at a
    position, and no overlapping matches (leftmost-longest), like a regex alternation sorted
    longest first.
    """

    def __init__(self, phrases: Iterable[str], *, case_sensitive: bool = False, lead: str = "$",
                 trail: str = "", dot_word: bool = False, digit_after: bool = False):
        phrases = list(phrases)
        self.dot_word = dot_word
        self.digit_after = digit_after
        self.case_sensitive = case_sensitive
        self.lead = set(lead)
        self.trail = set(trail)
        self.index: dict[str, list[str]] = {}
        self.symbolic: list[str] = []
        for phrase in set(phrases):
            if not phrase:
                continue
            key = phrase if case_sensitive else phrase.lower()
            if not key[0].isalnum() and key[0] != "_":
                self.symbolic.append(phrase)
                continue
            self.index.setdefault(key[:3], []).append(key)
        for bucket in self.index.values():
            bucket.sort(key=len, reverse=True)
        self._symbolic_re = re.compile(alternation(self.symbolic, words=False),
                                       0 if case_sensitive else re.IGNORECASE) if self.symbolic else None
        self._original = {}
        for phrase in phrases:
            self._original.setdefault(phrase if case_sensitive else phrase.lower(), phrase)

    def finditer(self, text: str):
        """``(start, end, phrase)`` of every match (see the class docstring)."""
        flat, lowered, starts = _haystack(text)
        hay = flat if self.case_sensitive else lowered
        hits: list[tuple[int, int, str]] = []
        index = self.index
        for pos in starts:
            bucket = index.get(hay[pos:pos + 3])
            if not bucket:
                continue
            if pos and hay[pos - 1] in self.lead:
                continue
            for key in bucket:
                if hay.startswith(key, pos):
                    end = pos + len(key)
                    if key[-1].isalnum() and end < len(hay) and (
                            (hay[end].isalnum() and not (self.digit_after and hay[end].isdigit()))
                            or hay[end] == "_" or hay[end] in self.trail
                            or (self.dot_word and hay[end] == "." and end + 1 < len(hay) and hay[end + 1].isalnum())):
                        continue
                    hits.append((pos, end, self._original.get(key, key)))
                    break
        if self._symbolic_re is not None:
            for m in self._symbolic_re.finditer(text):
                hits.append((m.start(), m.end(), m.group()))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out = []
        last_end = -1
        for h in hits:
            if h[0] >= last_end:
                out.append(h)
                last_end = h[1]
        return out
