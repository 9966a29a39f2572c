"""Placing a price claim's session on the NYSE calendar (babaresearch.sessions.resolve_session).

The reference article is dated Tuesday 2025-11-25 at 06:19 ET, before the open: its current
session is 2025-11-25, its latest *closed* session Monday 2025-11-24. Thanksgiving (Thursday
2025-11-27) is a holiday. A failure means a claim is checked against the wrong day's bars.
"""

from __future__ import annotations

import pandas as pd
import pytest

from babaresearch.dating import Dating, date_document
from babaresearch.reading import SessionRef, read_text
from babaresearch.sessions import current_session, last_closed_session, resolve_session

T = pd.Timestamp
#: Tuesday 2025-11-25, 06:19 ET (before the 09:30 open).
EARLY_TUESDAY = Dating(T("2025-11-25"), "dateline", 6, 19)


def _resolve(ref: SessionRef, window: str = "close", **kw):
    res = resolve_session(ref, EARLY_TUESDAY, window=window, **kw)
    return res.session, res.how


def test_current_and_last_closed_session():
    assert current_session(EARLY_TUESDAY) == T("2025-11-25")
    assert last_closed_session(EARLY_TUESDAY) == T("2025-11-24"), "before the open, Monday is the last close"
    after_close = Dating(T("2025-11-25"), "dateline", 17, 0)
    assert last_closed_session(after_close) == T("2025-11-25")
    assert last_closed_session(Dating(T("2025-11-25"))) == T("2025-11-24"), (
        "no time stated: an article dated by its day alone is read as written during that day's "
        "session, so its latest close is the session before")
    assert current_session(Dating(T("2025-11-29"))) == T("2025-11-28"), "a Saturday's session is Friday's"
    assert current_session(Dating(None)) is None


@pytest.mark.parametrize("offset, expected", [(-1, "2025-11-24"), (0, "2025-11-25"), (-2, "2025-11-21")])
def test_relative_sessions(offset, expected):
    assert _resolve(SessionRef("relative", offset=offset)) == (T(expected), "relative")


@pytest.mark.parametrize("weekday, expected", [(0, "2025-11-24"), (4, "2025-11-21"), (1, "2025-11-25")])
def test_weekdays_count_back_from_the_article(weekday, expected):
    assert _resolve(SessionRef("weekday", weekday=weekday)) == (T(expected), "weekday")


@pytest.mark.parametrize("ref, expected", [
    (SessionRef("date", month=11, day=21), (T("2025-11-21"), "stated_date")),
    (SessionRef("date", month=12, day=20), (T("2024-12-20"), "stated_date")),  # a yearless date is not in the future
    (SessionRef("date", month=11, day=22), (None, "not_a_session")),            # a Saturday
    (SessionRef("date", year=2025, month=11, day=27), (None, "future")),
    (SessionRef("date", year=2025, month=12, day=1), (None, "future")),
])
def test_stated_dates(ref, expected):
    assert _resolve(ref) == expected


def test_holiday_is_not_a_session():
    res = resolve_session(SessionRef("date", year=2025, month=11, day=27), Dating(T("2025-12-01")))
    assert (res.session, res.how) == (None, "not_a_session"), "Thanksgiving 2025"


def test_next_day_needs_an_anchor_and_skips_the_holiday():
    assert _resolve(SessionRef("relative", offset=1)) == (None, "no_anchor")
    assert _resolve(SessionRef("relative", offset=1), anchor=T("2025-11-21")) == (T("2025-11-24"), "next_day")
    assert _resolve(SessionRef("relative", offset=1), anchor=T("2025-11-26")) == (T("2025-11-28"), "next_day")


def test_release_day():
    assert _resolve(SessionRef("release")) == (None, "no_anchor")
    assert _resolve(SessionRef("release"), release_day0=T("2025-11-25")) == (T("2025-11-25"), "release")


@pytest.mark.parametrize("window, expected", [("close", "2025-11-24"), ("intraday", "2025-11-25"),
                                              ("premarket", "2025-11-25")])
def test_unnamed_session_by_window(window, expected):
    assert _resolve(SessionRef(), window=window) == (T(expected), "article_date")


def test_unnamed_after_hours_before_the_open_is_the_previous_evening():
    assert _resolve(SessionRef(), window="after-hours") == (T("2025-11-24"), "article_date")


def test_undated_article():
    assert resolve_session(SessionRef("relative", offset=-1), Dating(None)).how == "undated_article"
    assert resolve_session(SessionRef(), Dating(None)).how == "undated_article"
    stated = resolve_session(SessionRef("date", year=2025, month=11, day=24), Dating(None))
    assert (stated.session, stated.how) == (T("2025-11-24"), "stated_date"), "a full date needs no article date"


# ------------------------------------------------------------------ from text to session
ARTICLE = ("Alibaba shares rise on cloud\nNov 25, 2025 06:19:00 -0500\n"
           "Alibaba shares fell 3% the previous session. The stock rose 4% on Monday. "
           "Alibaba stock gained 1% yesterday.\n")


@pytest.mark.parametrize("quote, expected, how", [("3%", "2025-11-24", "relative"),
                                                  ("4%", "2025-11-24", "weekday"),
                                                  ("1%", "2025-11-24", "relative")])
def test_text_to_session(quote, expected, how):
    dating = date_document(ARTICLE)
    assert (dating.published, dating.hour, dating.minute) == (T("2025-11-25"), 6, 19)
    reading = {r.quote: r for r in read_text(ARTICLE)}[quote]
    res = resolve_session(reading.session_ref, dating, window=reading.window)
    assert (res.session, res.how) == (T(expected), how)
