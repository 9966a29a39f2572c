"""Place a price claim's session on the NYSE calendar.

The text layer says *how* a session is named (:class:`babaresearch.reading.SessionRef`: a date
with or without a year, a weekday, "yesterday", "the next day", "on the day of the release", or
nothing); this module says *which* session that is, relative to the article's date and time of
day (:class:`babaresearch.dating.Dating`) and, for "the next day", to the date the text named
just before.

The article's *current* session: its publication day when that is a session, else the session
before. Written before the open (an article stamped 06:19 ET), its latest *closed* session is
the one before; "today" is still the publication day's session.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .calendars import is_session, next_session, previous_session, session_on_or_before
from .dating import Dating
from .reading import SessionRef

#: NYSE regular-session close and open in New York hours (the early-close days are looked up by
#: the calendar where it matters; for dating a claim the regular hours are enough).
OPEN_HOUR = 9.5
CLOSE_HOUR = 16.0


@dataclass(frozen=True)
class SessionResolution:
    """Which session a claim is about and how it was decided.

    ``session`` is a tz-naive midnight Timestamp, or None. ``how`` is a code: ``stated_date``,
    ``weekday``, ``relative``, ``next_day``, ``release``, ``article_date`` (no session written:
    the article's latest closed session), or why there is none: ``undated_article``,
    ``not_a_session`` (a weekend or holiday named), ``future`` (after the article's date),
    ``out_of_calendar``.
    """

    session: pd.Timestamp | None
    how: str


def _safe(fn, day):
    try:
        return fn(day)
    except Exception:  # noqa: BLE001 - outside the calendar's range
        return None


def current_session(dating: Dating) -> pd.Timestamp | None:
    """The article's current session (see the module docstring), on the New York calendar."""
    day = dating.new_york_date
    if day is None:
        return None
    return _safe(session_on_or_before, pd.Timestamp(day).normalize())


def last_closed_session(dating: Dating) -> pd.Timestamp | None:
    """The latest session whose close the article could know.

    Written after the close (or the text says that day's session closed): the publication day's
    session. Written before the close, or at a time not stated: the session before (an article
    dated only by its day is most often written while that day's session runs).
    """
    cur = current_session(dating)
    if cur is None:
        return None
    day = pd.Timestamp(dating.new_york_date).normalize()
    if cur == day and not dating.session_closed:
        return _safe(previous_session, cur)
    return cur


def resolve_session(ref: SessionRef, dating: Dating, *, window: str = "close",
                    anchor: pd.Timestamp | None = None, release_day0: pd.Timestamp | None = None) -> SessionResolution:
    """The session ``ref`` names, for an article dated ``dating``.

    Parameters
    ----------
    ref : SessionRef
        How the text names the session.
    dating : Dating
        The article's date and time of day.
    window : str
        The claim's trading window (``close``, ``intraday``, ``premarket``, ``after-hours``,
        ``ytd``, ``multi-day``); an unnamed intraday / pre-market claim is about the current
        session, an unnamed close-based one about the latest closed session.
    anchor : Timestamp, optional
        The date the text named just before (for "the next day").
    release_day0 : Timestamp, optional
        Day 0 of the release the article is about (for "on the day of the release").
    """
    if dating.published is None and ref.kind != "date":
        return SessionResolution(None, "undated_article")
    published = pd.Timestamp(dating.published).normalize() if dating.published is not None else None
    if ref.kind == "date":
        year = ref.year
        if year is None:
            if published is None:
                return SessionResolution(None, "undated_article")
            year = published.year
            try:
                if pd.Timestamp(year=year, month=ref.month, day=ref.day) > published + pd.Timedelta(days=1):
                    year -= 1
            except ValueError:
                return SessionResolution(None, "not_a_session")
        try:
            day = pd.Timestamp(year=year, month=ref.month, day=ref.day)
        except (ValueError, OverflowError):
            return SessionResolution(None, "not_a_session")
        if published is not None and day > published + pd.Timedelta(days=1):
            return SessionResolution(None, "future")
        ok = _safe(is_session, day)
        if ok is None:
            return SessionResolution(None, "out_of_calendar")
        return SessionResolution(day, "stated_date") if ok else SessionResolution(None, "not_a_session")
    if ref.kind == "weekday":
        back = (published.weekday() - ref.weekday) % 7
        day = published - pd.Timedelta(days=back)
        ok = _safe(is_session, day)
        if ok is None:
            return SessionResolution(None, "out_of_calendar")
        return SessionResolution(day, "weekday") if ok else SessionResolution(None, "not_a_session")
    if ref.kind == "relative":
        if ref.offset == 1:
            base = anchor if anchor is not None else release_day0
            if base is None:
                return SessionResolution(None, "no_anchor")
            nxt = _safe(next_session, base)
            return SessionResolution(nxt, "next_day") if nxt is not None else SessionResolution(None, "out_of_calendar")
        if ref.word in {"overnight", "last night"}:
            # "overnight" in a morning story (Hong Kong, Europe): the US session that last closed
            day = last_closed_session(dating)
            if day is not None and dating.session_closed is not True and dating.hour is None:
                day = current_session(dating) if ref.word == "overnight" else day
            return SessionResolution(day, "relative") if day is not None else SessionResolution(None, "out_of_calendar")
        cur = current_session(dating)
        if cur is None:
            return SessionResolution(None, "out_of_calendar")
        if ref.offset == 0:
            return SessionResolution(cur, "relative")
        day = cur
        for _ in range(-ref.offset):
            day = _safe(previous_session, day)
            if day is None:
                return SessionResolution(None, "out_of_calendar")
        return SessionResolution(day, "relative")
    if ref.kind == "release":
        if release_day0 is None:
            return SessionResolution(None, "no_anchor")
        return SessionResolution(pd.Timestamp(release_day0), "release")
    # nothing written: intraday-type claims speak of the current session, close-based ones of
    # the latest closed session
    day = current_session(dating) if window in {"intraday", "premarket"} else last_closed_session(dating)
    if day is None:
        return SessionResolution(None, "out_of_calendar")
    if window == "after-hours":
        day = last_closed_session(dating)  # after-hours trading follows the latest close
    return SessionResolution(day, "article_date")
