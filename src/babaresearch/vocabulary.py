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
