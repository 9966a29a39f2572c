"""When was an article written? Publication dates with typed evidence and a confidence.

Explicit evidence first: the user's sidecar (``documents.csv``), front matter, HTML metadata;
then what the text states about itself: a dateline or byline ("Nov 25, 2025 06:19:00 -0500",
"DATE: Feb 21 2025", "Last updated Sep 18, 2025", "(Agency) Feb. 21 --"), a footer stamp
("May 19, 2025 10:13 ET"), a dated URL line. A date written without a year is completed from the
article's other evidence. Only when nothing states the date is it inferred, and only from
past-tense evidence about events: a session the stock closed ("closed the Aug. 27 trading
session"), results reported ("reported ... results on November 19", "results last night", "today
announced ... results for the quarter ended September 30, 2025", a weekday next to a known
release). Never from forward-looking mentions (guidance, "will report", "expected"), quarter-end
dates, historical mentions ("$3 trillion in June 2024"), photo captions or product names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from .grammar import DateMention, PeriodMention, Span, enclosing, find_dates, find_periods, lines, sentences

#: Confidence levels, strongest first.
CONFIDENCE = ("explicit", "dateline", "inferred", "weak", "none")

#: Evidence kinds.
EVIDENCE_KINDS = ("sidecar", "front_matter", "html_meta", "dateline", "footer", "url", "session",
                  "release", "year")


@dataclass(frozen=True)
class DateEvidence:
    """One piece of evidence for an article's date.

    Attributes
    ----------
    kind : str
        One of :data:`EVIDENCE_KINDS`.
    date : pandas.Timestamp
        The calendar day it points at (New York).
    start, end : int
        Offsets in the document text (``-1`` for evidence outside the text).
    confidence : str
        One of :data:`CONFIDENCE`.
    hour, minute : int or None
        Time of day, when stated.
    utc_offset : float or None
        Hours from UTC of the stated time.
    detail : str
        A short note for people (which release, which source).
    """

    kind: str
    date: pd.Timestamp
    start: int = -1
    end: int = -1
    confidence: str = "inferred"
    hour: int | None = None
    minute: int | None = None
    utc_offset: float | None = None
    detail: str = ""
    ny_date: pd.Timestamp | None = None


@dataclass(frozen=True)
class Dating:
    """The date of an article and why.

    ``published`` is the calendar day as stated (None when nothing dates it); ``hour``/``minute``
    the time of day in New York when stated; ``evidence`` the evidence used, strongest first.
    """

    published: pd.Timestamp | None
    confidence: str = "none"
    hour: int | None = None
    minute: int | None = None
    evidence: tuple[DateEvidence, ...] = ()
    ny_date: pd.Timestamp | None = None

    @property
    def new_york_date(self) -> pd.Timestamp | None:
        """The New York calendar day of the stamp (``published`` is the day as stated where the
        article was written: "Wednesday 25 September 2024 - 11:48 HKT" is published 2024-09-25,
        New York day 2024-09-24, 23:48)."""
        return self.ny_date if self.ny_date is not None else self.published

    @property
    def session_closed(self) -> bool | None:
        """Whether the publication day's US session had closed when the article was written:
        True after 16:00 ET or when the text itself says that session closed; False before the
        close; None when the time is unknown."""
        if self.hour is not None:
            return self.hour + (self.minute or 0) / 60 >= 16
        if self.evidence and self.evidence[0].kind in {"session", "sidecar", "front_matter", "html_meta"}:
            # the text says that session closed; or the user / page metadata gives the day an
            # article is filed under, which for a market story is the session it reports
            return True
        return None

    @property
    def source(self) -> str:
        """Kind of the deciding evidence (``""`` when undated)."""
        return self.evidence[0].kind if self.evidence else ""

    def describe(self, text: str | None = None) -> str:
        """One line for people: the date and its deciding evidence."""
        if self.published is None:
            return "undated: no date evidence in the text"
        ev = self.evidence[0]
        quote = f" '{text[ev.start:ev.end]}'" if text is not None and ev.start >= 0 else ""
        return f"{self.published.date()} ({ev.kind}{quote}{'; ' + ev.detail if ev.detail else ''})"


_BYLINE_RE = re.compile(r"\b(?:published|posted|updated|last\s+updated|date|dated|by\s+[A-Z]|ET\b|EST\b|EDT\b|GMT\b|UTC\b|"
                        r"[ap]\.?m\.?\b|source:|\d{1,2}:\d{2})", re.I)
_CAPTION_RE = re.compile(r"\b(?:photo|image|pictured|file\s+photo|getty|reuters/|/ap\b|afp|via\s+getty|"
                         r"speaks\s+(?:during|at)|is\s+seen|are\s+seen|illustration|dreamstime|credit:)", re.I)
_FORWARD_RE = re.compile(r"\b(?:will|would|expected|expects|scheduled|due|set\s+to|plans?\s+to|ahead\s+of|preview|"
                         r"upcoming|next|forecast|guidance|outlook|could|may|might|slated|anticipated)\b", re.I)
_URL_RE = re.compile(r"(?:https?://|www\.)\S*?/(?P<y>20\d\d)/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?:/|\b)")
_DATELINE_LEAD_RE = re.compile(r"^\W{0,3}(?:[A-Z][A-Z .,'-]{1,40},?\s*)?(?:\([A-Za-z .&'-]{2,40}\)\s*)?$")
_DATELINE_TAIL_RE = re.compile(r"^\s*(?:\([A-Za-z .&'-]{2,40}\)\s*)?(?:--|—|–|-\s|:\s|/)")
_PAST_SESSION_RE = re.compile(r"\b(?:closed|close\s+of|closing|ended|finished|settled|fell|rose|dropped|jumped|"
                              r"disclosed|revealed|announced|confirmed|reported|"
                              r"slipped|slid|gained|lost|tumbled|plunged|surged|soared|crashed|rallied|sank|"
                              r"trading\s+session|by\s+the\s+end\s+of|session)\b", re.I)
_REPORTED_RE = re.compile(r"\b(?:reported|posted|announced|released|unveiled|delivered|disclosed|revealed|"
                          r"grew|rose|increased|jumped|surged|climbed|fell|declined|dropped|came\s+in|reached|"
                          r"generated|achieved|recorded|booked|was|were|has\s+seen|have\s+seen|saw|showed|proved|"
                          r"said\s+in\s+an?\s+earnings|"
                          r"today\s+announced|results?\s+(?:on|last|yesterday)|earnings\s+(?:report|release)|"
                          r"held\s+its|beat|topped|missed|came\s+in)\b", re.I)
_RESULTS_RE = re.compile(r"\b(?:results?|earnings|quarter|quarterly|revenue|profit|report|growth|sales)\b", re.I)
#: "as of 12:41 p.m. ET": the time the text was written, during the session
_AS_OF_TIME_RE = re.compile(r"\bas\s+of\s+(?P<h>1[0-2]|0?[1-9])[:.](?P<m>[0-5]\d)\s*(?P<ap>[ap])\.?m\.?\s*(?:ET|EST|EDT)\b", re.I)
_LAST_NIGHT_RE = re.compile(r"\b(?:last\s+night|yesterday|overnight|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday)\s+(?:evening|night))\b", re.I)
_TODAY_RE = re.compile(r"\btoday\b", re.I)


def _tz_to_new_york(day: pd.Timestamp, hour: int | None, minute: int | None, offset: float | None):
    """The New York calendar day and time of a stated local time (offset in hours from UTC)."""
    if hour is None or offset is None:
        return day, hour, minute
    stamp = pd.Timestamp(year=day.year, month=day.month, day=day.day, hour=hour, minute=minute or 0)
    utc = stamp - pd.Timedelta(hours=offset)
    ny = utc.tz_localize("UTC").tz_convert("America/New_York").tz_localize(None)
    return ny.normalize(), ny.hour, ny.minute


def _full(d: DateMention) -> bool:
    return d.kind == "date" and d.year is not None and d.day is not None


def _stamp(year: int, month: int, day: int) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(year=year, month=month, day=day)
    except (ValueError, OverflowError):
        return None


#: Characters before a date or period that the forward-looking and caption rules read.
NEAR_CHARS = 300


def _near(text: str, sent: Span, pos: int) -> str:
    """The sentence text before ``pos``, at most :data:`NEAR_CHARS` of it (bounded work)."""
    return text[max(sent.start, pos - NEAR_CHARS):pos]


def _around(text: str, sent: Span, pos: int) -> str:
    """The sentence around ``pos``, clipped to :data:`NEAR_CHARS` either side."""
    return text[max(sent.start, pos - NEAR_CHARS):min(sent.end, pos + NEAR_CHARS)]


def _in_quarter_end(d: DateMention, periods: list[PeriodMention]) -> bool:
    return any(p.kind == "quarter_end" and p.start <= d.start and d.end <= p.end for p in periods)


@lru_cache(maxsize=8)
def _releases(tickers: tuple[str, ...]) -> pd.DataFrame:
    from .earnings import earnings_calendar
    frames = []
    for t in tickers:
        try:
            frames.append(earnings_calendar(t))
        except Exception:  # noqa: BLE001 - an unknown ticker has no releases to date by
            continue
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["ticker", "fiscal_period", "period_end", "release_date", "release_time", "day0"])


def date_document(text: str, *, explicit: pd.Timestamp | None = None, explicit_kind: str = "sidecar",
                  explicit_detail: str = "", tickers: tuple[str, ...] = ("BABA", "NVDA"),
                  main_ticker: str | None = None, exclude: list | None = None) -> Dating:
    """Date an article.

    Parameters
    ----------
    text : str
        The document text (offsets of the evidence index it).
    explicit : Timestamp, optional
        A date the user or the page's metadata supplies (sidecar, front matter, HTML meta); it
        wins. A tz-aware stamp is converted to New York and keeps its time of day.
    explicit_kind : str
        ``"sidecar"``, ``"front_matter"`` or ``"html_meta"``.
    tickers : tuple of str
        Companies whose releases may date the text.
    main_ticker : str, optional
        The company the article is about (its releases are tried first).

    Returns
    -------
    Dating
    """
    evidence: list[DateEvidence] = []
    if explicit is not None and not pd.isna(explicit):
        stamp = pd.Timestamp(explicit)
        hour = minute = None
        local = stamp.tz_localize(None).normalize() if stamp.tzinfo is not None else stamp.normalize()
        ny = local
        if stamp.tzinfo is not None:
            ny_stamp = stamp.tz_convert("America/New_York").tz_localize(None)
            hour, minute, ny = ny_stamp.hour, ny_stamp.minute, ny_stamp.normalize()
        elif stamp.hour or stamp.minute:
            hour, minute = stamp.hour, stamp.minute
        ev = DateEvidence(explicit_kind, local, confidence="explicit", hour=hour, minute=minute,
                          detail=explicit_detail, ny_date=ny)
        return Dating(ev.date, "explicit", hour, minute, (ev,), ny)
    if not text:
        return Dating(None)
    dates = find_dates(text)
    if exclude:
        dates = [d for d in dates if not any(s <= d.start and d.end <= e for s, e in exclude)]
    periods = find_periods(text)
    line_spans = lines(text)
    sents = sentences(text)
    nonblank = [ln for ln in line_spans if text[ln.start:ln.end].strip()]
    header_end = nonblank[min(7, len(nonblank) - 1)].end if nonblank else 0
    header_end = max(min(header_end, 700), min(400, len(text)))
    footer_start = nonblank[-3].start if len(nonblank) >= 3 else len(text)

    stated: list[DateEvidence] = []
    yearless: list[tuple[DateMention, str]] = []
    quarter_ends = [p for p in periods if p.kind == "quarter_end"]
    for d in dates:
        if d.kind != "date" or d.day is None or _in_quarter_end(d, quarter_ends):
            continue
        ln = enclosing(line_spans, d.start)
        in_header = d.start < header_end
        in_footer = d.start >= footer_start
        if not (in_header or in_footer) and d.start - ln.start > 60:
            continue  # a dateline opens its line; other dates in the body are never datelines
        ln = Span(max(ln.start, d.start - NEAR_CHARS), min(ln.end, d.end + NEAR_CHARS))
        line_text = text[ln.start:ln.end]
        own = enclosing(sents, d.start)
        if _CAPTION_RE.search(_around(text, own, d.start)):
            continue
        before = text[ln.start:d.start]
        after = text[d.end:ln.end]
        short_line = len(line_text.strip()) <= 90
        bylined = bool(_BYLINE_RE.search(line_text)) or d.hour is not None
        lead_ok = bool(_DATELINE_LEAD_RE.match(before)) and bool(_DATELINE_TAIL_RE.match(after))
        sent = enclosing(sents, d.start)
        forward = bool(_FORWARD_RE.search(_near(text, sent, d.start)))
        if forward:
            continue
        if (in_header or in_footer) and (short_line or bylined or lead_ok) or lead_ok:
            if _full(d):
                local = _stamp(d.year, d.month, d.day)
                if local is None:
                    continue
                ny, hour, minute = _tz_to_new_york(local, d.hour, d.minute, d.utc_offset)
                kind = "footer" if in_footer and not in_header else "dateline"
                stated.append(DateEvidence(kind, local, d.start, d.end, "dateline", hour, minute, d.utc_offset,
                                           ny_date=ny))
            else:
                yearless.append((d, "dateline"))
    for m in _URL_RE.finditer(text):
        day = _stamp(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if day is not None:
            stated.append(DateEvidence("url", day, m.start(), m.end(), "weak", detail="a dated URL"))
    datelines = [e for e in stated if e.kind in {"dateline", "footer"}]
    if datelines:
        best = _pick_dateline(text, datelines)
        if best.hour is None:
            best = _with_header_time(text, dates, best, header_end)
        rest = tuple(e for e in stated if e is not best)
        return Dating(best.date, "dateline", best.hour, best.minute, (best,) + rest, best.ny_date)

    # inference from events
    releases = _releases(tickers)
    if main_ticker is None:
        main_ticker = _main_ticker(text, tickers)
    inferred = _infer(text, dates, periods, sents, releases, main_ticker)
    if yearless:
        d, _ = yearless[0]
        main_rel = releases[releases["ticker"] == main_ticker] if main_ticker is not None and len(releases) else releases
        year = _year_for(d, inferred, dates, main_rel)
        if year is not None:
            day = _stamp(year, d.month, d.day)
            if day is not None:
                ny, hour, minute = _tz_to_new_york(day, d.hour, d.minute, d.utc_offset)
                ev = DateEvidence("dateline", day, d.start, d.end, "dateline", hour, minute,
                                  detail=f"year {year} from the article's other evidence", ny_date=ny)
                if ev.hour is None:
                    ev = _with_header_time(text, dates, ev, header_end)
                    hour, minute, ny = ev.hour, ev.minute, ev.ny_date
                return Dating(day, "dateline", hour, minute, (ev,) + tuple(inferred), ny)
    if inferred:
        sessions_seen = [e for e in inferred if e.kind == "session" and e.confidence == "inferred"]
        pool = sessions_seen or [e for e in inferred if e.confidence == "inferred"] or inferred
        best = max(pool, key=lambda e: e.date)
        am = _AS_OF_TIME_RE.search(text)
        if am and best.hour is None:
            hour = int(am.group("h")) % 12 + (12 if am.group("ap").lower() == "p" else 0)
            from dataclasses import replace
            best = replace(best, hour=hour, minute=int(am.group("m")),
                           detail=best.detail + f"; written at {am.group(0)[6:].strip()}")
        return Dating(best.date, best.confidence, best.hour, best.minute,
                      (best,) + tuple(e for e in inferred if e is not best) + tuple(stated))
    urls = [e for e in stated if e.kind == "url"]
    if urls:
        return Dating(urls[0].date, "weak", None, None, tuple(urls))
    return Dating(None)


_FILED_RE = re.compile(r"\b(?:filed|published|posted|updated|as\s+of|at)\s*$", re.I)


def _with_header_time(text: str, dates: list[DateMention], ev: DateEvidence, header_end: int) -> DateEvidence:
    """A dateline without a time takes a time stamp stated on its own in the header or footer
    ("filed 2105 GMT"), when it carries a zone."""
    from dataclasses import replace
    for t in dates:
        if t.kind != "time" or t.utc_offset is None:
            continue
        if not (t.start < header_end or t.start > len(text) - 300):
            continue
        if not _FILED_RE.search(text[max(0, t.start - 12):t.start]) and t.start >= header_end:
            continue
        ny, hour, minute = _tz_to_new_york(ev.date, t.hour, t.minute, t.utc_offset)
        return replace(ev, hour=hour, minute=minute, utc_offset=t.utc_offset, ny_date=ny,
                       detail=(ev.detail + "; " if ev.detail else "") + f"time '{text[t.start:t.end]}'")
    return ev


def _main_ticker(text: str, tickers: tuple[str, ...]) -> str | None:
    """The analysed company the text names most (None when it names none of them)."""
    from .profiles import entity_mentions
    counts: dict[str, int] = {}
    for m in entity_mentions(text):
        if m.entity.company in tickers:
            counts[m.entity.company] = counts.get(m.entity.company, 0) + 1
    return max(counts, key=counts.get) if counts else None


def _pick_dateline(text: str, cands: list[DateEvidence]) -> DateEvidence:
    def rank(e: DateEvidence):
        line_text = text[max(0, e.start - 30):e.end + 5].lower()
        published = 0 if re.search(r"publish|posted|date:", line_text) else 1
        return (published, 0 if e.hour is not None else 1, e.start)
    return min(cands, key=rank)


#: Years a yearless date with a weekday is looked for in ("Tuesday September 30").
WEEKDAY_YEARS = range(2015, 2031)


def _weekday_years(d: DateMention, stated_years: list[int]) -> list[int] | None:
    """Years in :data:`WEEKDAY_YEARS` in which ``d``'s month and day fall on its weekday, nearest
    to the text's latest stated year first (None when the weekday fits no year)."""
    fits = [y for y in WEEKDAY_YEARS if (s := _stamp(y, d.month, d.day)) is not None and s.weekday() == d.weekday]
    if not fits:
        return None
    anchor = max(stated_years) if stated_years else 2025
    fits.sort(key=lambda y: (abs(y - anchor), -y))
    return fits[:1]


def _year_for(d: DateMention, inferred: list[DateEvidence], dates: list[DateMention],
              releases: pd.DataFrame) -> int | None:
    """The year of a yearless dateline: the inferred event nearest to that month/day, else the
    year its weekday fixes, else a year stated in the text."""
    if d.weekday is not None and not inferred:
        years = _weekday_years(d, [x.year for x in dates if x.year is not None])
        if years:
            return years[0]
    best = None
    for e in inferred:
        for y in (e.date.year - 1, e.date.year, e.date.year + 1):
            day = _stamp(y, d.month, d.day)
            if day is None:
                continue
            gap = abs((day - e.date).days)
            if best is None or gap < best[0]:
                best = (gap, y)
    if best is not None and best[0] <= 45:
        return best[1]
    if len(releases):
        years = set()
        for day in pd.to_datetime(releases["release_date"]):
            cand = _stamp(day.year, d.month, d.day)
            if cand is not None and 0 <= (cand - day).days <= 3:
                years.add(day.year)
        if len(years) == 1:
            return years.pop()
    years = [x.year for x in dates if x.year is not None and x.kind in {"date", "month"}]
    if years:
        return max(years)
    return None


def _infer(text: str, dates: list[DateMention], periods: list[PeriodMention], sents: list[Span],
           releases: pd.DataFrame, main_ticker: str | None) -> list[DateEvidence]:
    out: list[DateEvidence] = []
    # 1. a session the text says happened: "closed the Aug. 27 trading session", "by the end of Jan. 27"
    session_dates: list[DateMention] = []
    seen_days: set = set()
    quarter_ends = [p for p in periods if p.kind == "quarter_end"]
    for d in dates:
        if d.kind != "date" or d.day is None or (d.year, d.month, d.day) in seen_days \
                or _in_quarter_end(d, quarter_ends):
            continue
        sent = enclosing(sents, d.start)
        s_text = _around(text, sent, d.start)
        if _CAPTION_RE.search(s_text) or _FORWARD_RE.search(_near(text, sent, d.start)):
            continue
        seen_days.add((d.year, d.month, d.day))
        if _PAST_SESSION_RE.search(s_text) or _REPORTED_RE.search(s_text):
            session_dates.append(d)
    # 2. releases the text says were reported
    rel_rows = releases
    if main_ticker is not None and len(rel_rows):
        rel_rows = rel_rows[rel_rows["ticker"] == main_ticker]
    reported: list[tuple[pd.Series, Span, PeriodMention]] = []
    weekday_stated = next((d.weekday for d in dates if d.kind in {"weekday", "date"} and d.weekday is not None
                           and d.start < max(600, len(text) // 3)), None)
    seen_periods: set = set()
    for p in periods:
        if p.kind not in {"quarter", "quarter_end", "quarter_month"}:
            continue
        key = (p.kind, p.fiscal, p.quarter, p.year, p.month, p.day)
        if key in seen_periods:
            continue  # one reading per distinct period: the work is bounded by what the text names
        seen_periods.add(key)
        if p.kind == "quarter" and p.fiscal is None and text[p.start:p.start + 1].isdigit():
            from dataclasses import replace
            p = replace(p, fiscal=True)  # "2026 second-quarter": a company's fiscal label
        sent = enclosing(sents, p.start)
        s_text = _around(text, sent, p.start)
        if not (_REPORTED_RE.search(s_text) and _RESULTS_RE.search(s_text)):
            continue
        if _FORWARD_RE.search(text[max(sent.start, p.start - 40):p.start]) and not _REPORTED_RE.search(_near(text, sent, p.start)):
            continue
        matches = _matching_releases(p, rel_rows)
        if p.kind == "quarter" and p.year is None and len(rel_rows) and weekday_stated is not None:
            # "third-quarter results last night" + "Wednesday": the release whose next day is one
            fq = rel_rows["fiscal_period"].str.extract(r"FY\d{4}Q(\d)")[0].astype(float)
            cands = rel_rows[fq == p.quarter]
            shift = 1 if _LAST_NIGHT_RE.search(s_text) else 0
            days = pd.to_datetime(cands["release_date"]) + pd.offsets.BDay(shift) if shift else pd.to_datetime(cands["release_date"])
            matches = cands[days.dt.day_of_week == weekday_stated]
            if len(matches) != 1:
                continue
        if p.kind == "quarter" and p.fiscal is None and len(matches) > 1:
            # "Q3 2025" without "fiscal": the calendar quarter
            ends = pd.to_datetime(matches["period_end"])
            cal = matches[(ends.dt.year == p.year) & ((ends.dt.month - 1) // 3 + 1 == p.quarter)]
            matches = cal if len(cal) else matches
        for row in matches.to_dict("records"):
            if all(row["fiscal_period"] != r["fiscal_period"] or row["ticker"] != r["ticker"] for r, _, _ in reported):
                reported.append((row, sent, p))
    # resolve yearless session dates with the releases, else with stated years
    stated_years = sorted({d.year for d in dates if d.year is not None})
    for d in session_dates:
        years = [d.year] if d.year is not None else None
        if years is None:
            near = [r for r, _, _ in reported]
            cands = []
            for r in near:
                for y in (r["release_date"].year - 1, r["release_date"].year, r["release_date"].year + 1):
                    day = _stamp(y, d.month, d.day)
                    if day is not None and -3 <= (day - r["release_date"]).days <= 10:
                        cands.append(y)
            years = cands[:1] or None
        if years is None and len(rel_rows):
            # a yearless session next to the main company's release of that month and day
            cands = []
            for r in rel_rows.to_dict("records"):
                for y in (r["release_date"].year,):
                    day = _stamp(y, d.month, d.day)
                    if day is not None and 0 <= (day - r["release_date"]).days <= 2:
                        cands.append(y)
            if len(set(cands)) == 1:
                years = cands[:1]
        weak = False
        if years is None and d.weekday is not None:
            years = _weekday_years(d, stated_years)
        if years is None and stated_years:
            years, weak = [max(stated_years)], True
        if years is None:
            continue
        day = _stamp(years[0], d.month, d.day)
        if day is not None:
            out.append(DateEvidence("session", day, d.start, d.end, "weak" if weak else "inferred",
                                    detail="a session the text says closed or moved"
                                           + ("; year from the text's latest stated year" if weak else "")))
    for row, sent, p in reported:
        day = pd.Timestamp(row["release_date"]).normalize()
        s_text = _around(text, sent, p.start)
        detail = f"{row['ticker']} {row['fiscal_period']} released {day.date()} ({row['release_time']})"
        whole = text
        if _LAST_NIGHT_RE.search(s_text):
            day = day + pd.offsets.BDay(1)
            detail += "; written the next day ('last night' / 'yesterday')"
        out.append(DateEvidence("release", pd.Timestamp(day).normalize(), p.start, p.end, "inferred", detail=detail))
    return out


def _matching_releases(p: PeriodMention, releases: pd.DataFrame) -> pd.DataFrame:
    """Releases a period mention can mean (fiscal and calendar readings)."""
    if not len(releases):
        return releases
    rel = releases
    ends = pd.to_datetime(rel["period_end"])
    if p.kind == "quarter_end":
        if p.year is None:
            mask = (ends.dt.month == p.month) & ((ends.dt.day - p.day).abs() <= 7)
        else:
            target = _stamp(p.year, p.month, p.day)
            mask = (ends - target).abs() <= pd.Timedelta(days=7) if target is not None else ends.isna()
        return rel[mask]
    if p.kind == "quarter_month":
        mask = ends.dt.month == p.month
        if p.year is not None:
            mask &= ends.dt.year == p.year
        return rel[mask] if p.year is not None else rel.iloc[0:0]
    if p.kind == "quarter" and p.quarter is not None:
        fq = rel["fiscal_period"].str.extract(r"FY(\d{4})Q(\d)").astype(float)
        if p.year is None:
            return rel.iloc[0:0]
        fiscal = (fq[0] == p.year) & (fq[1] == p.quarter)
        if p.fiscal:
            return rel[fiscal]
        cal_q = ((ends.dt.month - 1) // 3 + 1)
        calendar = (ends.dt.year == p.year) & (cal_q == p.quarter)
        return rel[fiscal | calendar]
    return rel.iloc[0:0]
