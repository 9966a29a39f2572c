"""Company and index profiles (``vocab/profiles.toml``) and the entity matcher.

A profile says who an entity is (company, segment, index, private company), how articles name
it, where it is listed and which ETF proxies an index in the price data. Adding a company is one
entry in ``profiles.toml``; nothing else changes.

Example
-------
>>> [m.entity.id for m in entity_mentions("AMD ended 3.6% lower while Nvidia rose.")]
['AMD', 'NVDA']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import DataFileError
from .vocabulary import load

#: Entity kinds a profile may declare.
ENTITY_KINDS = ("company", "segment", "index", "private", "government", "unknown")


@dataclass(frozen=True)
class Entity:
    """One profile entry.

    Attributes
    ----------
    id : str
        Key (a ticker for US-listed companies: ``"BABA"``; a name otherwise: ``"S&P 500"``).
    name : str
        Display name.
    kind : str
        One of :data:`ENTITY_KINDS`.
    ticker : str
        US ticker in the price data's convention (``""`` when none). For a segment: its parent's.
    parent : str
        For a segment, the id of its company (``""`` otherwise).
    segment : str
        For a segment, its reported segment name (``"Cloud Intelligence"``).
    proxy : str
        For an index, the ETF tracking it in the price data (``"SPY"``), else ``""``.
    listings : tuple of (code, exchange, currency)
        Other listings (``("9988.HK", "HKEX", "HKD")``).
    hk_aliases : tuple of str
        Names of the Hong Kong listing as written (``"9988"``, ``"HKG: 9988"``).
    aliases : tuple of str
        Names as written, case-sensitive.
    fiscal : str
        Fiscal calendar code (``"Q-MAR"``, ``"FY5253-JAN"``, ``""`` when unknown).
    currency : str
        Reporting currency (ISO code) or ``""``.
    analysed : bool
        True for the companies whose prices and figures the library holds (BABA, NVDA).
    """

    id: str
    name: str
    kind: str
    ticker: str = ""
    parent: str = ""
    segment: str = ""
    proxy: str = ""
    listings: tuple = ()
    hk_aliases: tuple = ()
    aliases: tuple = ()
    fiscal: str = ""
    currency: str = ""
    analysed: bool = False

    @property
    def company(self) -> str:
        """Id of the company whose figure this is (the parent for a segment)."""
        return self.parent or self.id


@dataclass(frozen=True)
class EntityMention:
    """An entity named in a text: ``text[start:end]`` is the name as written."""

    start: int
    end: int
    entity: Entity
    hk_listing: bool = False


def unknown_entity(name: str) -> Entity:
    """An entity the profiles do not know (a capitalised name with shares/stock/index)."""
    return Entity(id=name, name=name, kind="unknown")


@lru_cache(maxsize=1)
def entities() -> dict[str, Entity]:
    """Every profile, by id (cached).

    Raises
    ------
    DataFileError
        A profile lacks ``id``/``name``/``kind``, has an unknown kind, a duplicate id, or a segment
        whose parent is not a profile.
    """
    raw = load("profiles").get("entity", [])
    out: dict[str, Entity] = {}
    for i, row in enumerate(raw, start=1):
        missing = {"id", "name", "kind"} - set(row)
        if missing:
            raise DataFileError(f"profiles.toml entity #{i}: missing {', '.join(sorted(missing))}")
        if row["kind"] not in ENTITY_KINDS:
            raise DataFileError(f"profiles.toml entity {row['id']!r}: unknown kind {row['kind']!r}")
        if row["id"] in out:
            raise DataFileError(f"profiles.toml: duplicate entity id {row['id']!r}")
        out[row["id"]] = Entity(
            id=row["id"], name=row["name"], kind=row["kind"], ticker=row.get("ticker", ""),
            parent=row.get("parent", ""), segment=row.get("segment", ""), proxy=row.get("proxy", ""),
            listings=tuple(tuple(x) for x in row.get("listings", [])),
            hk_aliases=tuple(row.get("hk_aliases", [])), aliases=tuple(row.get("aliases", [])),
            fiscal=row.get("fiscal", ""), currency=row.get("currency", ""),
            analysed=bool(row.get("analysed", False)))
    for ent in out.values():
        if ent.kind == "segment":
            if ent.parent not in out:
                raise DataFileError(f"profiles.toml segment {ent.id!r}: parent {ent.parent!r} unknown")
            if not ent.ticker:
                object.__setattr__(ent, "ticker", out[ent.parent].ticker)
    return out


def entity(entity_id: str) -> Entity:
    """The profile ``entity_id`` (KeyError when unknown)."""
    return entities()[entity_id]


def analysed_tickers() -> tuple[str, ...]:
    """Tickers of the companies the library analyses (``("BABA", "NVDA")``)."""
    return tuple(e.ticker for e in entities().values() if e.analysed)


@lru_cache(maxsize=1)
def _matcher():
    from .vocabulary import PhraseMatcher
    table: dict[str, tuple[Entity, bool]] = {}
    for ent in entities().values():
        for alias in ent.aliases:
            table.setdefault(alias, (ent, False))
        for alias in ent.hk_aliases:
            table.setdefault(alias, (ent, True))
    return PhraseMatcher(table, case_sensitive=True, lead="$&.-", trail="&", dot_word=True), table


def entity_mentions(text: str) -> list[EntityMention]:
    """Every profile entity named in ``text``, left to right, longest name first at a position.

    Lower-case segment aliases ("cloud unit") match as written; company names are case-sensitive
    ("Meta" the company, not "meta"). A bare Hong Kong stock code ("9988") counts only next to an
    exchange cue or the company's name within 40 characters.
    """
    matcher, table = _matcher()
    out = []
    for start, end, name in matcher.finditer(text):
        ent, hk = table.get(name, (None, False))
        if ent is None:
            continue
        if hk and name.isdigit():
            window = text[max(0, start - 40):end + 40]
            if not re.search(r"HKG|HKEX|Hong Kong|HK:|SEHK|\.HK|" + "|".join(map(re.escape, ent.aliases)), window):
                continue
        out.append(EntityMention(start, end, ent, hk))
    return out


#: An unknown capitalised name followed by a security word: "Zhipu shares", "Kingsoft's stock".
UNKNOWN_SECURITY_RE = re.compile(
    r"(?<![\w.])((?:[A-Z][\w&.-]*[A-Za-z0-9](?:\s+|$|(?=['’]s\s))){1,3}?)(?:'s\s+|’s\s+)?"
    r"(?=(?:shares|stock|ADRs|ADR|ADSs|index|Index)\b)")


def unknown_security_mentions(text: str, known: list[EntityMention]) -> list[EntityMention]:
    """Capitalised names the profiles do not know, used as the subject of shares/stock/index.

    ``"Zhipu shares rose 4%"`` names the unknown entity ``"Zhipu"``: its numbers are not given
    to a default company.
    """
    out = []
    stop = {"The", "Its", "Their", "His", "Her", "Our", "Your", "These", "Those", "This", "That",
            "Chinese", "China", "US", "U.S.", "American", "Hong", "Kong", "Class", "Common",
            "Tech", "Technology", "Chip", "Chipmaker", "Other", "Shares", "Stock", "A", "An",
            "Asian", "European", "Global", "Its", "Such", "Both", "All", "Many", "Some", "Most",
            "Several", "Few", "When", "While", "After", "Before", "As", "And", "But", "So", "If",
            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
            "Premarket", "Pre-market", "Semiconductor", "Internet", "EV", "AI", "Wall", "Street"}
    for m in UNKNOWN_SECURITY_RE.finditer(text):
        name = m.group(1).strip()
        if re.search(r"-(?:listed|based|traded|headquartered)$|^(?:New\s+York|Hong\s+Kong|Wall\s+Street|Shanghai|Shenzhen|Beijing)\b", name):
            continue  # "New York-listed shares", "Hangzhou-based": a place, not a company
        words = [w for w in name.split() if w not in stop and not re.search(r"-(?:listed|based|traded)$", w)]
        if not words:
            continue
        start = m.start(1) + name.find(words[0])
        end = start + len(" ".join(words))
        if any(k.start < end and start < k.end for k in known):
            continue
        out.append(EntityMention(start, end, unknown_entity(" ".join(words))))
    return out
