"""Times stage: find date expressions, resolve them against the publication date, and
date every event.

    doc._.times   list[TimeExpr], every expression in text order (overlaps allowed only for
                  an explicit range and its two ends: "between Jan. 4 and Feb. 7")
    event.date    the expression attached to the event's trigger/clause, else the
                  publication-date fallback TimeExpr(text=None, ..., granularity="day")

Recognition is our own regular expressions (compiled once, over the raw text), with the
parse used only to check ambiguous words ("May", "Sunday Times"), to read the tense of the
clause a bare date sits in, and to attach dates to events. spaCy DATE entities that no
pattern explains are kept as unresolved expressions (null interval), so nothing the model
saw is lost. Nothing here calls dateparser: every absolute form we accept is parsed by the
patterns themselves, which is both cheaper and predictable.

Conventions follow news usage and TimeBank (TimeML) where they agree:
- a month(-day) or weekday without a year is the most recent one not after the
  publication date, unless the clause is about the future ("will", "payable Jan. 2");
- "last week" is the previous Monday-Sunday week; "last month/year" the previous one;
- fiscal years and quarters are labelled by the calendar year they name;
- "the quarter", "a year earlier", "the year-ago period" are anaphoric: they refer to the
  last quarter the story mentioned (earnings reports), else to the calendar.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterable

import yaml

from eventwire.nlp import sentence_of, text_of
from eventwire.records import TimeExpr


# ---------------------------------------------------------------- vocabulary

@lru_cache(maxsize=1)
def vocab() -> dict:
    text = resources.files("eventwire").joinpath("data/times.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


V = vocab()
MONTHS: dict[str, int] = V["months"]
AMBIGUOUS_MONTHS = set(V["ambiguous_months"])
WEEKDAYS: dict[str, int] = V["weekdays"]
NUMBERS: dict[str, int] = V["numbers"]
ORDINALS: dict[str, int] = V["ordinals"]
DECADE_WORDS: dict[str, int] = V["decade_words"]
SEASONS: dict[str, list[int]] = V["seasons"]
PART_WORDS: dict[str, str] = V["part_words"]
FUTURE_AUX = set(V["future_aux"])
FUTURE_GOVERNORS = set(V["future_governors"])
FUTURE_STRONG = set(V["future_cues_strong"])
FUTURE_WEAK = set(V["future_cues_weak"])
REPORTING = set(V["reporting_verbs"])


def _alt(words: Iterable[str]) -> str:
    """A regex alternation, longest first so "june" wins over "jun"."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


UNITS_WORD = ("one|two|three|four|five|six|seven|eight|nine")
TENS_WORD = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
TEENS_WORD = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"

MON = rf"(?:{_alt(MONTHS)})\.?"
WD = rf"(?:{_alt(WEEKDAYS)})"
DAYNUM = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
DAYWORD = rf"(?:{_alt(ORDINALS)})"
YEAR4 = r"(?:1[0-9]\d\d|20\d\d)"
# "nineteen ninety-six", "nineteen oh five", "the year two thousand (and one)": broadcast
# transcripts spell years out.
SPELLED_YEAR = (rf"(?:(?:nineteen|eighteen)[\s-]+(?:(?:{TENS_WORD})(?:[\s-]+(?:{UNITS_WORD}))?|{TEENS_WORD}|hundred"
                rf"|o(?:h)?[\s-]+(?:{UNITS_WORD}))"
                rf"|two\s+thousand(?:(?:\s+and)?[\s-]+(?:{TEENS_WORD}|(?:{TENS_WORD})(?:[\s-]+(?:{UNITS_WORD}))?|{UNITS_WORD}))?)")
YEARX = rf"(?:{YEAR4}|{SPELLED_YEAR})"
NUM = (rf"(?:\d+|a\s+couple\s+of|(?:{TENS_WORD})(?:[\s-]+(?:{UNITS_WORD}))?|{TEENS_WORD}|{UNITS_WORD}|a|an|"
       r"(?:a\s+)?hundred)")
UNIT = r"(?:days?|weeks?|months?|years?|decades?|century|centuries)"
QORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"

B = r"(?<![\w'])"     # a match starts at a word start
E = r"(?![\w])"        # and ends at a word end

_FLAGS = re.I


def _p(rx: str) -> re.Pattern:
    return re.compile(B + "(?:" + rx + ")" + E, _FLAGS)


# Each pattern names the handler that resolves it. Overlapping matches are settled by
# length (longest wins) and then by this order, so list the specific forms first.
PATTERNS: list[tuple[str, re.Pattern]] = [
    # "Jan. 4-7", "March 3 to 5, 1998": a day range inside one month
    ("mdrange", _p(rf"(?P<mon>{MON})\s+(?P<d1>{DAYNUM})\s*(?:-|–|to|through|and)\s*(?P<d2>{DAYNUM})"
                   rf"(?:,?\s+(?P<year>{YEAR4}))?")),
    # "Sept. 30", "December 2, 2015", "Saturday, April 25", "this coming Sunday, March eighth"
    ("md", _p(rf"(?:(?:(?:this\s+coming|this|next|last)\s+)?(?P<wd>{WD}),?\s+)?(?:the\s+)?(?P<mon>{MON})\s+"
              rf"(?:the\s+)?(?P<day>{DAYNUM}|{DAYWORD})(?![\d.,:]\d)(?:,?\s+(?P<year>{YEARX})(?!\d|'?s\b))?")),
    # "30 September 2015", "the 30th of September"
    ("md", _p(rf"(?:(?P<wd>{WD}),?\s+)?(?:the\s+)?(?P<day>{DAYNUM}|{DAYWORD})(?:\s+of)?\s+(?P<mon>{MON})"
              rf"(?:,?\s+(?P<year>{YEARX})(?!\d|'?s\b))?")),
    # "August 1988", "January nineteen ninety-seven", "mid-March 1990"
    ("my", _p(rf"(?:(?P<part>early|mid|late)[\s-]+)?(?P<mon>{MON}),?\s+(?:of\s+)?(?P<year>{YEARX})(?!\d|'?s\b)")),
    # "January this year", "June last year"
    ("mrel", _p(rf"(?P<mon>{MON})\s+(?:of\s+)?(?P<rel>this|last|next)\s+year")),
    # "last April", "this September", "mid-October", "the end of March", "November"
    ("mon", _p(rf"(?:(?P<mod>last|this\s+past|this\s+coming|this|next|the\s+(?:beginning|start|middle|end)\s+of"
               rf"|(?:early|mid|late)(?:\s+in)?)[\s-]+)?(?P<mon>{MON})")),
    # "between 1990 and 1995", "1990-95", "from 1990 to 1995"
    ("yrange", _p(rf"(?P<y1>{YEAR4})\s*(?:-|–)\s*(?:(?P<y2s>\d\d)(?!\d)|(?P<y2>{YEAR4}))")),
    # decades: "the 1990s", "the '90s", "the nineties", "the late 1970s"
    ("decade", _p(rf"(?:the\s+)?(?:(?P<part>early|mid|late)[\s-]+)?(?P<dec>1\d\d0|20\d0)'?s"
                  rf"|the\s+(?:(?P<part2>early|mid|late)[\s-]+)?(?:'(?P<dec2>\d0)'?s|(?P<dec3>\d0)'?s|(?P<decw>{_alt(DECADE_WORDS)}))"
                  rf"|'(?P<dec4>\d0)'?s")),
    ("reldecade", _p(r"(?P<rel>the\s+last|the\s+past|the\s+previous|this|the\s+next|the\s+coming|the\s+current)\s+decade")),
    # "the 20th century", "the eleventh century", "last century"
    ("century", _p(rf"(?:the\s+)?(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<nw>{DAYWORD}))[\s-]+century")),
    ("relcentury", _p(r"(?P<rel>last|this|next|the\s+last|the\s+past|the\s+previous|the\s+current)\s+century")),
    # "fiscal 1989", "fiscal year 1990", "the year 2000", "mid-1996"
    ("year", _p(rf"(?:(?P<pre>fiscal(?:\s+year)?|the\s+year|calendar(?:\s+year)?|(?:early|mid|late)(?:\s+in)?)[\s-]+)?"
                rf"(?P<year>{YEARX})(?!\s*%|\d|'?s\b|-\d|,\d)")),
    # quarters are found by their core and widened in the handler ("this year's third quarter")
    ("quarter", _p(rf"(?P<ord>{QORD})[\s-]+(?:fiscal[\s-]+)?quarter")),
    ("quarter", _p(r"(?:Q(?P<qn>[1-4])|(?P<qn2>[1-4])Q)(?:\s*(?P<year>" + YEAR4 + r"|'\d\d|\d\d))?")),
    ("anaquarter", _p(r"(?:the|this|that|its|their)\s+(?P<mods>(?:(?:latest|current|comparable|corresponding|year-ago|"
                      r"year-earlier|year-before|prior-year|same|recent|most\s+recent|just-ended|just-completed|"
                      r"\d{4}|fiscal)[\s-]+)*)(?P<unit>quarter|period)(?!-|\s+of\s+(?:a|the)\b)"
                      r"(?:\s+(?P<rel>a\s+year\s+(?:ago|earlier)|last\s+year|a\s+year\s+before))?")),
    ("anaquarter", _p(r"(?P<rel>(?:last|this|next)\s+year's)\s+(?P<unit>quarter|period)")),
    ("half", _p(rf"(?:the\s+)?(?P<h>first|second)[\s-]+half(?:\s+of\s+(?P<year>{YEAR4}|this\s+year|last\s+year|next\s+year))?")),
    ("fiscalyear", _p(r"(?:the\s+)?(?:(?P<rel>current|latest|last|next|previous|new|coming|past|this|same)\s+)?fiscal[\s-]+year(?!\s+\d)")),
    # "today", "yesterday morning", "last night", "the day after tomorrow"
    ("rel", _p(r"(?:the\s+day\s+(?P<dd>before|after)\s+)?(?P<w>today|tonight|yesterday|tomorrow)(?:\s+(?:morning|afternoon|evening|night))?"
               r"|(?P<w2>this|last)\s+(?P<tod>morning|afternoon|evening|night)")),
    # weekdays: "Friday", "last Thursday", "this coming Sunday", "the previous Friday"
    ("weekday", _p(rf"(?:(?P<mod>last|this\s+coming|this\s+past|this|next|the\s+previous|the\s+following|that|the\s+same)\s+)?"
                   rf"(?P<wd>{WD})(?:\s+(?:morning|afternoon|evening|night))?")),
    # "last week", "this month", "the past year", "that year", "the year", "the following month"
    ("relunit", _p(r"(?P<mod>last|this\s+past|this|next|the\s+past|the\s+last|the\s+previous|the\s+prior|the\s+current|"
                   r"the\s+coming|the\s+following|the\s+next|the\s+same|that|the\s+full|the\s+calendar|the)\s+"
                   r"(?P<unit>day|week|month|year)(?![\w-]|\s+(?:old|ago|earlier)\b)")),
    # "the day before," / "a week earlier." on their own; "the day before the vote" is not anaphoric
    ("relunit", _p(r"(?P<unit>day|week|month|year)\s+(?P<mod>before|after|earlier)(?=\s*[,.;:)]|\s*$)")),
    # "year-end", "the end of the year"
    ("yearend", _p(r"(?:the\s+)?year[\s-]+end|the\s+end\s+of\s+(?P<rel>the|this|last|next)\s+(?P<unit>year|month|week)")),
    # "two weeks ago", "a year earlier", "three days later"
    ("ago", _p(rf"(?P<num>{NUM})\s+(?P<unit>{UNIT})\s+(?P<dir>ago|earlier|later|before|after|afterward|afterwards|"
               r"previously|before\s+that|from\s+now|hence|back)")),
    ("ago", _p(r"(?P<unit>year)-(?P<dir>ago|earlier|before)")),
    # "until then", "since then": the date last mentioned
    ("then", _p(r"(?:(?<=until\s)|(?<=since\s)|(?<=by\s)|(?<=till\s)|(?<=before\s))then")),
    # "the past three years", "two decades", "the next six months"
    ("span", _p(rf"(?:the\s+(?P<rel>past|last|previous|next|coming|first|final)\s+)?(?P<num>{NUM})\s+(?P<unit>{UNIT})"
                r"(?![\w-]|\s+(?:old|of\s+age|-old)\b)")),
    # "last summer", "the winter of 1994", "spring 1990"
    ("season", _p(rf"(?:(?P<mod>last|this\s+past|this\s+coming|this|next|early|late|mid|the)[\s-]+)?(?P<s>spring|summer|fall|autumn|winter)"
                  rf"(?:\s+(?:of\s+)?(?P<year>{YEARX})(?!\d|'?s\b))?")),
]

# A range written out around two dates: "between January 4 and February 7", "from March to May".
RANGE_OPEN = re.compile(r"(?:between|from)\s+$", re.I)
RANGE_JOIN = re.compile(r"^\s*(?:and|to|until|till|through|thru|-|–)\s*$", re.I)

# A date entity from spaCy is kept (unresolved) only if it names a stretch of time; ages,
# bare numbers and adjectives ("10-year", "annual") are not dates.
ENT_TIMEWORD = re.compile(r"\b(?:days?|weeks?|months?|years?|decades?|centur(?:y|ies)|recent(?:ly)?|now|ago|"
                          r"season|times|weekend|future|past|present|era|period|quarter|fortnight)\b", re.I)
ENT_JUNK = re.compile(r"\bold\b|^\W*\d{1,3}\W*$|^\d+-|\bof\s+age\b", re.I)

# Newspaper and other names that start with a weekday or month: never dates.
NAME_AFTER = re.compile(r"^\s+(?:Times|Telegraph|Express|Mirror|Herald|Post|Observer|Independent|Star|Tribune|"
                        r"Mail|Morning|Journal|Night\s+Live|Revolution|Offensive|Agreement|War|Massacre)\b")


# How far (characters) after a quarter a bare "a year ago" still compares with that quarter.
NEAR_QUARTER = 800   # about four sentences

# ---------------------------------------------------------------- calendar helpers

@dataclass
class Interval:
    earliest: date
    latest: date
    granularity: str


def _month_end(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def month_iv(y: int, m: int) -> Interval:
    return Interval(date(y, m, 1), date(y, m, _month_end(y, m)), "month")


def year_iv(y: int) -> Interval:
    return Interval(date(y, 1, 1), date(y, 12, 31), "year")


def quarter_iv(y: int, q: int) -> Interval:
    m0 = 3 * (q - 1) + 1
    return Interval(date(y, m0, 1), date(y, m0 + 2, _month_end(y, m0 + 2)), "quarter")


def week_iv(d: date) -> Interval:
    monday = d - timedelta(days=d.weekday())
    return Interval(monday, monday + timedelta(days=6), "week")


def day_iv(d: date) -> Interval:
    return Interval(d, d, "day")


def decade_iv(y0: int) -> Interval:
    return Interval(date(y0, 1, 1), date(y0 + 9, 12, 31), "decade")


def century_iv(n: int) -> Interval:
    # TimeBank reads "the 20th century" as 1900-1999 (value "19"), not 1901-2000.
    y0 = (n - 1) * 100
    return Interval(date(max(y0, 1), 1, 1), date(y0 + 99, 12, 31), "century")


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def shift_years(d: date, n: int) -> date:
    return safe_date(d.year + n, d.month, d.day) or date(d.year + n, d.month, 28)


def shift_iv_years(iv: Interval, n: int) -> Interval:
    """Move an interval by whole years, keeping its shape (a quarter stays that quarter)."""
    if iv.granularity == "month":
        return month_iv(iv.earliest.year + n, iv.earliest.month)
    if iv.granularity == "quarter":
        return quarter_iv(iv.earliest.year + n, (iv.earliest.month - 1) // 3 + 1)
    if iv.granularity == "year":
        return year_iv(iv.earliest.year + n)
    if iv.granularity == "week":
        return week_iv(shift_years(iv.earliest, n))
    return Interval(shift_years(iv.earliest, n), shift_years(iv.latest, n), iv.granularity)


def part_of(iv: Interval, part: str) -> Interval:
    """early/mid/late of a month (days 1-10, 11-20, 21-end) or of a longer span (thirds)."""
    if iv.granularity == "month":
        y, m = iv.earliest.year, iv.earliest.month
        lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, _month_end(y, m))}[part]
        return Interval(date(y, m, lo), date(y, m, hi), "range")
    total = (iv.latest - iv.earliest).days + 1
    third = total // 3
    if part == "early":
        return Interval(iv.earliest, iv.earliest + timedelta(days=third - 1), "range")
    if part == "mid":
        return Interval(iv.earliest + timedelta(days=third), iv.latest - timedelta(days=third), "range")
    return Interval(iv.latest - timedelta(days=third - 1), iv.latest, "range")


def parse_number(text: str) -> int | None:
    t = re.sub(r"\s+", " ", text.lower().strip())
    if t.isdigit():
        return int(t)
    if t in NUMBERS:
        return NUMBERS[t]
    parts = re.split(r"[\s-]+", t)
    if parts and parts[0] == "a":
        parts = parts[1:]
    total = 0
    for p in parts:
        if p not in NUMBERS:
            return None
        total = total * NUMBERS[p] if NUMBERS[p] == 100 else total + NUMBERS[p]
    return total or None


def parse_year(text: str) -> int | None:
    t = re.sub(r"[\s-]+", " ", text.lower().strip())
    if t.isdigit():
        return int(t)
    if t.startswith("'") and t[1:].isdigit():
        return None  # two-digit years need a century: resolved by the caller
    words = t.replace(" and ", " ").split()
    if words[:2] == ["two", "thousand"]:
        return 2000 + (parse_number(" ".join(words[2:])) or 0) if words[2:] else 2000
    head = NUMBERS.get(words[0])
    if head is None or len(words) < 2:
        return None
    rest = words[1:]
    if rest == ["hundred"]:
        return head * 100
    if rest[0] in ("o", "oh"):
        rest = rest[1:]
    tail = parse_number(" ".join(rest))
    return head * 100 + tail if tail is not None and tail < 100 else None


def parse_day(text: str) -> int | None:
    t = text.lower()
    if t in ORDINALS:
        return ORDINALS[t]
    m = re.match(r"\d+", t)
    return int(m.group()) if m else None


def month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


# ---------------------------------------------------------------- the parse: tense and checks

def _clause_verb(tok):
    """The verb a token hangs off: walk up through prepositions and noun phrases."""
    t = tok
    for _ in range(8):
        if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT":
            return t
        if t.head.i == t.i:
            return t
        t = t.head
    return t


def _own_tense(v) -> bool | None:
    """The tense a verb shows by itself: True future, False past, None present/unknown."""
    auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & FUTURE_AUX or v.lower_ in FUTURE_AUX:
        return True
    if v.lemma_.lower() in ("schedule", "slate") and v.tag_ == "VBN":
        return True       # "scheduled for Dec. 10"
    if v.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return False
    present_aux = words & {"is", "are", "am", "'s", "'re", "be"}
    if v.tag_ == "VBN" and not any(a.tag_ == "TO" for a in auxes):
        if present_aux and v.lemma_.lower() in FUTURE_GOVERNORS:
            return True   # "is expected in December", "is planned for May"
        return None if present_aux else False   # "announced Friday", "has extended", "issued July 1"
    if any(a.tag_ == "TO" for a in auxes):
        return None       # an infinitive: decided by what governs it
    if v.tag_ == "VBZ" or v.tag_ == "VBP" and v.lower_ not in SAME_PAST_FORM:
        # news present with a date is a schedule: "the talks resume Monday"
        return True if v.lemma_.lower() not in REPORTING else None
    if v.tag_ == "VBG" and present_aux:
        return True       # "is calling for the redemption on Dec. 7"
    return None


def _verb_is_future(v, depth: int = 0) -> bool | None:
    """Tense of a clause verb, looking through infinitives to what governs them."""
    own = _own_tense(v)
    if own is not None or depth >= 3:
        return own
    if any(c.dep_ in ("aux", "auxpass") and c.tag_ == "TO" for c in v.children):
        gov = v.head
        if gov is v:
            return None
        if gov.lemma_.lower() in FUTURE_GOVERNORS or gov.pos_ in ("NOUN", "PROPN"):
            return True   # "plans to redeem", "is set to resume", "an agreement to acquire"
        if gov.pos_ in ("VERB", "AUX", "ADJ"):
            return _verb_is_future(gov, depth + 1)
    return None


# Verbs whose past form is their present form: a VBP tag on them is often a past tense
# ("stocks hurt the composite on Friday").
SAME_PAST_FORM = {"hurt", "put", "set", "cut", "hit", "let", "cost", "shut", "quit", "spread", "beat", "bet",
                  "cast", "burst", "split", "read", "upset", "broadcast", "forecast", "shed", "slit", "thrust"}

# A date right after "extended to", "postponed until" is the new, later date.
MOVE_VERBS = ("extend", "postpone", "delay", "defer", "push", "move", "adjourn", "reschedule", "put")
AHEAD_NOUNS = ("deadline", "target", "expiration", "expiry", "meeting", "vote", "election", "summit", "date")


def is_future(doc, i: int, j: int) -> bool:
    """Does the clause around tokens i..j speak of a time after publication?"""
    if i < 0 or j <= i:
        return False
    while i < j - 1 and doc[i].lower_ in ("the", "on", "in"):
        i += 1
    prev = [t.lower_ for t in doc[max(0, i - 3):i]]
    nxt = doc[j] if j < len(doc) else None
    if prev and prev[-1] in ("since", "ago", "last", "past"):
        return False
    if nxt is not None and nxt.lower_ in ("'s", "’s"):
        return False      # "Friday's purchases": something that has happened
    if any(w in FUTURE_STRONG for w in prev):
        return True
    if nxt is not None and nxt.lemma_.lower() in AHEAD_NOUNS:
        return True       # "the Nov. 1 deadline"
    if len(prev) >= 2 and prev[-1] in ("to", "until", "till") and doc[i - 2].lemma_.lower() in MOVE_VERBS:
        return True
    root = doc[i:j].root
    if root.dep_ in ("compound", "nmod", "amod", "poss") and root.head.pos_ in ("NOUN", "PROPN"):
        return False      # "a June agreement", "the Feb. 23 accord": names a past event
    verb = _clause_verb(root)
    is_verb = verb.pos_ in ("VERB", "AUX")
    own = _own_tense(verb) if is_verb else None
    if prev and prev[-1] in FUTURE_WEAK and own is not False:
        return True       # "respond by Oct. 31", "loans through January"
    if prev and prev[-1] in ("until", "till", "through") and verb.tag_ != "VBD" \
            and not any(c.tag_ == "VBD" for c in verb.children if c.dep_ in ("aux", "auxpass")):
        return True       # the end of something still running: "tendered from today through Nov. 17"
    tense = _verb_is_future(verb) if is_verb else None
    if tense is None and verb.dep_ in ("xcomp", "advcl", "conj", "relcl", "acl"):
        up = _clause_verb(verb.head)
        if up is not verb and up.pos_ in ("VERB", "AUX"):
            tense = _verb_is_future(up)
    return bool(tense)


# ---------------------------------------------------------------- matches

@dataclass
class Match:
    kind: str
    start: int
    end: int
    m: re.Match
    prio: int
    iv: Interval | None = None
    i: int = -1
    j: int = -1
    parts: tuple = ()
    info: dict | None = None      # quarter modifiers found when the core was widened
    comparison: bool = False      # a year-back comparison ("a year ago", "the year-earlier quarter")


class Resolver:
    """Resolves matches in text order, remembering what the story last talked about."""

    def __init__(self, doc, pub: date, text: str | None = None):
        self.doc = doc
        self.text = doc.text if text is None else text
        self.pub = pub
        self.last: Interval | None = None          # last resolved day/month/quarter/year
        self.last_quarter: Interval | None = None
        self.last_done_quarter: Interval | None = None   # the last one mentioned that has ended
        self.quarter_pos = -10 ** 9                       # where the story last named a quarter
        self.last_day: Interval | None = None
        self.last_year: int | None = None

    # -- helpers
    def future(self, mt: Match) -> bool:
        return is_future(self.doc, mt.i, mt.j)

    def remember(self, iv: Interval | None, explicit_year: bool = False, comparison: bool = False) -> None:
        if iv is None or iv.granularity == "range":
            return
        if comparison:
            return   # "a year earlier" looks back from the story's period; it does not move it
        self.last = iv
        if iv.granularity == "quarter":
            self.last_quarter = iv
            if iv.latest < self.pub:
                self.last_done_quarter = iv
        if iv.granularity == "day":
            self.last_day = iv
        if explicit_year or iv.granularity in ("year", "quarter"):
            self.last_year = iv.earliest.year

    def comparison_base(self) -> Interval | None:
        """The period a "year-earlier" figure is compared with: the story's reported quarter."""
        return self.last_done_quarter or self.last_quarter

    def year_for_month_day(self, mon: int, day: int | None, future: bool, wd: int | None = None) -> int:
        pub = self.pub
        cands = []
        for y in (pub.year - 1, pub.year, pub.year + 1):
            d = safe_date(y, mon, day or 1)
            if d is None:
                continue
            if day is None:
                d_end = date(y, mon, _month_end(y, mon))
                ok = (d <= pub) if not future else (d_end >= pub)
            else:
                ok = (d <= pub) if not future else (d >= pub)
            if ok:
                cands.append((y, d))
        if not cands:
            return pub.year
        if wd is not None:
            # a written weekday settles the year, past or future: "Saturday, April 25"
            both = [(y, safe_date(y, mon, day)) for y in (pub.year - 1, pub.year, pub.year + 1)]
            match = [c for c in both if c[1] is not None and c[1].weekday() == wd]
            if match:
                return min(match, key=lambda c: abs((c[1] - pub).days))[0]
        # the nearest past one, or the nearest future one
        return (max(cands, key=lambda c: c[1]) if not future else min(cands, key=lambda c: c[1]))[0]

    def two_digit_year(self, yy: int) -> int:
        century = self.pub.year // 100 * 100
        y = century + yy
        return y - 100 if y > self.pub.year + 10 else y

    def year_value(self, text: str | None) -> int | None:
        if not text:
            return None
        t = text.strip()
        if t.startswith("'"):
            return self.two_digit_year(int(t[1:]))
        if t.isdigit() and len(t) == 2:
            return self.two_digit_year(int(t))
        return parse_year(t)

    # -- handlers, one per pattern kind; each returns an Interval or None
    def h_md(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        mon = month_number(g["mon"])
        day = parse_day(g["day"])
        if not day or day > 31:
            return None
        year = self.year_value(g.get("year"))
        if year is None:
            wd = WEEKDAYS.get(g["wd"].lower()) if g.get("wd") else None
            year = self.year_for_month_day(mon, day, self.future(mt), wd)
        d = safe_date(year, mon, day)
        return day_iv(d) if d else None

    def h_mdrange(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        mon = month_number(g["mon"])
        d1, d2 = parse_day(g["d1"]), parse_day(g["d2"])
        if not d1 or not d2 or d2 <= d1:
            return None
        year = self.year_value(g.get("year")) or self.year_for_month_day(mon, d1, self.future(mt))
        a, b = safe_date(year, mon, d1), safe_date(year, mon, d2)
        return Interval(a, b, "range") if a and b else None

    def h_my(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        year = self.year_value(g["year"])
        if not year:
            return None
        iv = month_iv(year, month_number(g["mon"]))
        return part_of(iv, g["part"].lower()) if g.get("part") else iv

    def h_mrel(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        year = self.pub.year + {"this": 0, "last": -1, "next": 1}[g["rel"].lower()]
        return month_iv(year, month_number(g["mon"]))

    def h_mon(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        word = g["mon"]
        key = word.lower().rstrip(".")
        mod = re.sub(r"\s+", " ", (g.get("mod") or "").lower())
        if key in AMBIGUOUS_MONTHS or (len(key) <= 4 and key not in ("may", "june", "july") and not word.endswith(".")):
            # short/ambiguous month words need a capital and must not be a modal or verb
            if not word[0].isupper() or key != "may" and len(key) <= 3 and not word.endswith(".") and not mod:
                return None
            tok = self.doc.char_span(mt.m.start("mon"), mt.m.end("mon"), alignment_mode="expand")
            if tok is not None and tok[0].tag_ in ("MD", "VB", "VBP", "VBZ", "VBD") and not mod:
                return None
            if key == "may" and not mod and not self._may_is_month(mt):
                return None
        elif not word[0].isupper() and not self.text[mt.start:mt.end].isupper():
            return None
        mon = month_number(word)
        pub = self.pub
        if mod == "last" or mod == "this past":
            y = pub.year if mon < pub.month else pub.year - 1
        elif mod == "next" or mod == "this coming":
            y = pub.year if mon > pub.month else pub.year + 1
        elif mod == "this":
            y = pub.year
        else:
            y = self.year_for_month_day(mon, None, self.future(mt))
        iv = month_iv(y, mon)
        part = None
        if mod.startswith(("early", "mid", "late")):
            part = mod.split()[0].rstrip("-")
        elif mod.startswith("the "):
            part = PART_WORDS.get(mod.split()[1])
        return part_of(iv, part) if part else iv

    def _may_is_month(self, mt: Match) -> bool:
        """'May' is the month after a preposition or before a day/year, not before a verb."""
        before = self.text[max(0, mt.start - 12):mt.start].lower()
        if re.search(r"\b(?:in|since|of|until|by|during|from|through|early|late|mid|last|next|this)\s+$", before):
            return True
        tok = self.doc.char_span(mt.start, mt.end, alignment_mode="expand")
        return tok is not None and tok[0].ent_type_ == "DATE"

    def h_yrange(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        y1 = int(g["y1"])
        if g.get("y2s"):
            y2 = y1 // 100 * 100 + int(g["y2s"])
            if y2 < y1:
                y2 += 100
        else:
            y2 = int(g["y2"])
        if not (y1 < y2 <= y1 + 100):
            return None
        return Interval(date(y1, 1, 1), date(y2, 12, 31), "range")

    def h_decade(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        if g.get("dec"):
            y0 = int(g["dec"])
        elif g.get("dec2") or g.get("dec3") or g.get("dec4"):
            yy = int(g.get("dec2") or g.get("dec3") or g.get("dec4"))
            y0 = self.two_digit_year(yy) // 10 * 10
        elif g.get("decw"):
            y0 = self.two_digit_year(DECADE_WORDS[g["decw"].lower()]) // 10 * 10
        else:
            return None
        iv = decade_iv(y0)
        part = g.get("part") or g.get("part2")
        return part_of(iv, part.lower()) if part else iv

    def h_reldecade(self, mt: Match) -> Interval | None:
        rel = mt.m.group("rel").lower().split()[-1]
        y0 = self.pub.year // 10 * 10
        return decade_iv(y0 + {"last": -10, "past": -10, "previous": -10, "next": 10, "coming": 10}.get(rel, 0))

    def h_century(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        n = int(g["n"]) if g.get("n") else ORDINALS.get(g["nw"].lower())
        return century_iv(n) if n and 1 <= n <= 21 else None

    def h_relcentury(self, mt: Match) -> Interval | None:
        rel = mt.m.group("rel").lower().split()[-1]
        n = self.pub.year // 100 + 1 + {"last": -1, "past": -1, "previous": -1, "next": 1}.get(rel, 0)
        return century_iv(n)

    def h_year(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        y = self.year_value(g["year"])
        if y is None:
            return None
        pre = re.sub(r"\s+", " ", (g.get("pre") or "").lower())
        if g["year"].isdigit() and not pre and not self._looks_like_year(mt):
            return None
        iv = year_iv(y)
        part = pre.split()[0] if pre.startswith(("early", "mid", "late")) else None
        return part_of(iv, part) if part else iv

    def _looks_like_year(self, mt: Match) -> bool:
        """A bare 4-digit number is a year unless it is money, a count or a measure."""
        y = int(mt.m.group("year"))
        before = self.text[max(0, mt.start - 2):mt.start]
        if re.search(r"[$#£€]\s?$", before):
            return False
        span = self.doc.char_span(mt.start, mt.end, alignment_mode="expand")
        if span is None:
            return True
        tok = span[-1]
        if tok.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "PRODUCT", "ORG", "FAC"):
            return tok.ent_type_ == "CARDINAL" and 1900 <= y <= self.pub.year + 5 and self._year_context(span)
        nxt = self.doc[tok.i + 1] if tok.i + 1 < len(self.doc) else None
        if nxt is not None and (nxt.tag_ == "NNS" or nxt.text in ("%", "percent")) and nxt.lower_ not in ("elections",):
            return False
        return 1000 <= y <= self.pub.year + 100

    @staticmethod
    def _year_context(span) -> bool:
        prev = span.doc[span.start - 1].lower_ if span.start > 0 else ""
        return prev in ("in", "since", "of", "by", "until", "from", "to", "through", "during", "before", "after",
                        "year", "fiscal", "early", "late", "mid")

    def _quarter_widen(self, mt: Match) -> tuple[int, int, dict]:
        """Widen a quarter core to its modifiers: "this year's", "the 1988", "of 1984", "last year"."""
        s, e = mt.start, mt.end
        info: dict = {}
        left = self.text[max(0, s - 60):s]
        lm = re.search(r"(?:(?:the|its|a|an|their|his|her|that|this)\s+)?"
                       r"(?:(?P<ypos>(?:this|last|next)\s+year's|\d{4}'s|year-(?:ago|earlier)'s)\s+)?"
                       r"(?P<mods>(?:(?:latest|current|fiscal|comparable|corresponding|year-ago|year-earlier|year-before|"
                       r"prior-year|same|flat|strong|weak|recent|\d{4}|the)[\s-]+)*)$", left, re.I)
        if lm and lm.group():
            s -= len(lm.group())
            info["ypos"] = (lm.group("ypos") or "").lower()
            info["mods"] = (lm.group("mods") or "").lower()
        right = self.text[e:e + 40]
        rm = re.match(rf"\s+of\s+(?:fiscal\s+)?(?P<year>{YEAR4})|\s+of\s+(?P<rel>this|last|next)\s+year|"
                      r"\s+(?P<rel2>last|this|next)\s+year|,?\s+(?P<year2>" + YEAR4 + r")(?![\d,])", right, re.I)
        if rm:
            e += rm.end()
            info["year"] = rm.group("year") or rm.group("year2")
            info["rel"] = (rm.group("rel") or rm.group("rel2") or "").lower()
        return s, e, info

    def default_quarter_year(self, q: int, future: bool) -> int:
        """Quarter N without a year: the latest one already begun (the one ahead if future)."""
        pub = self.pub
        start = quarter_iv(pub.year, q).earliest
        if start <= pub:
            return pub.year   # begun this year: results for it are reported now or later
        return pub.year if future else pub.year - 1

    def h_quarter(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        if g.get("ord"):
            q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}[g["ord"].lower()]
            info = mt.info or {}
        else:
            q = int(g.get("qn") or g.get("qn2"))
            info = {"year": g.get("year")}
        year = None
        ytxt = info.get("year")
        if ytxt:
            year = int(ytxt) if len(ytxt) == 4 else self.year_value(ytxt.lstrip("'")) if ytxt.lstrip("'").isdigit() else None
            if ytxt and len(ytxt.lstrip("'")) == 2:
                year = self.two_digit_year(int(ytxt.lstrip("'")))
        ypos = info.get("ypos", "")
        mods = info.get("mods", "")
        rel = info.get("rel", "")
        ago = "year-ago" in mods or "year-earlier" in mods or "year-before" in mods or "prior-year" in mods \
            or ypos.startswith("year-") or ypos.startswith("last") or rel == "last"
        ym = re.search(r"\b(\d{4})\b", ypos + " " + mods)
        if year is None and ym:
            year = int(ym.group(1))
        if year is None:
            if ypos.startswith("this") or rel == "this":
                year = self.pub.year
            elif ypos.startswith("next") or rel == "next":
                year = self.pub.year + 1
            elif ago:
                ref = self.comparison_base()
                base = ref.earliest.year if ref else self.default_quarter_year(q, False)
                year = base - 1
                mt.comparison = True
            else:
                year = self.default_quarter_year(q, self.future(mt))
        return quarter_iv(year, q)

    def h_anaquarter(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        mods = re.sub(r"\s+", " ", (g.get("mods") or "").lower())
        unit = g["unit"].lower()
        rel = re.sub(r"\s+", " ", (g.get("rel") or "").lower())
        ago = any(w in mods for w in ("year-ago", "year-earlier", "year-before", "prior-year")) or \
            rel.startswith(("a year", "last year"))
        ym = re.search(r"\d{4}", mods)
        if unit == "period" and not (ago or ym or re.search(r"latest|current|comparable|corresponding|same|recent", mods)):
            return None   # "the period" alone is too vague
        # the story's quarter, or else the last completed one (what earnings reports are about)
        y, m = add_months(self.pub.year, self.pub.month, -3)
        completed = quarter_iv(y, (m - 1) // 3 + 1)
        current = quarter_iv(self.pub.year, (self.pub.month - 1) // 3 + 1)
        if "current" in mods:
            ref = current
        elif re.search(r"latest|recent|just", mods):
            # "the latest quarter" has ended: the story's quarter if it has, else the last one
            ref = self.last_quarter if self.last_quarter and self.last_quarter.latest < self.pub else completed
        elif ago and self.comparison_base() is not None:
            ref = self.comparison_base()
        elif self.last_quarter is not None:
            ref = self.last_quarter
        elif mt.m.group().lower().startswith("this"):
            ref = current
        else:
            ref = completed
        mt.comparison = ago
        if ym:
            y = int(ym.group())
            # "the 1988 period" beside a 1989 quarter is the comparison, not a new reference
            mt.comparison = self.last_quarter is not None and y != self.last_quarter.earliest.year
            if unit == "period" and self.last_quarter is None:
                return year_iv(y)
            return quarter_iv(y, (ref.earliest.month - 1) // 3 + 1)
        if g.get("rel") and g["rel"].lower().startswith(("last", "this", "next")) and "'s" in g["rel"]:
            n = {"last": -1, "this": 0, "next": 1}[g["rel"].split()[0].lower()]
            return quarter_iv(self.pub.year + n, (ref.earliest.month - 1) // 3 + 1) if n else ref
        return shift_iv_years(ref, -1) if ago else ref

    def h_half(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        ytxt = (g.get("year") or "").lower()
        if ytxt.isdigit():
            y = int(ytxt)
        elif ytxt:
            y = self.pub.year + {"this": 0, "last": -1, "next": 1}[ytxt.split()[0]]
        else:
            return None   # "the first half" of what? (a match, a season...)
        lo, hi = (1, 6) if g["h"].lower() == "first" else (7, 12)
        return Interval(date(y, lo, 1), date(y, hi, _month_end(y, hi)), "range")

    def h_fiscalyear(self, mt: Match) -> Interval | None:
        rel = (mt.m.group("rel") or "").lower()
        if rel == "same" and self.last_year:
            return year_iv(self.last_year)
        # "the latest fiscal year" is the last one closed
        n = {"last": -1, "previous": -1, "past": -1, "latest": -1, "next": 1, "coming": 1, "new": 0}.get(rel, 0)
        return year_iv(self.pub.year + n)

    def h_rel(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        w = (g.get("w") or "").lower()
        if g.get("w2"):
            n = -1 if g["w2"].lower() == "last" else 0
        else:
            n = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[w]
            if g.get("dd"):
                n += -1 if g["dd"].lower() == "before" else 1
        return day_iv(self.pub + timedelta(days=n))

    def h_weekday(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        if NAME_AFTER.match(self.text[mt.end:mt.end + 30]) or not g["wd"][0].isupper():
            return None
        wd = WEEKDAYS[g["wd"].lower()]
        mod = re.sub(r"\s+", " ", (g.get("mod") or "").lower())
        pub = self.pub
        back = (pub.weekday() - wd) % 7          # days back to the most recent such day (0 = today)
        fwd = (wd - pub.weekday()) % 7
        if mod in ("the previous",):
            ref = self.last_day.earliest if self.last_day else pub
            b = (ref.weekday() - wd) % 7 or 7
            return day_iv(ref - timedelta(days=b))
        if mod in ("the following",):
            ref = self.last_day.earliest if self.last_day else pub
            f = (wd - ref.weekday()) % 7 or 7
            return day_iv(ref + timedelta(days=f))
        if mod in ("that", "the same") and self.last_day:
            return self.last_day
        if mod in ("last", "this past"):
            return day_iv(pub - timedelta(days=back or 7))
        if mod in ("next", "this coming"):
            return day_iv(pub + timedelta(days=fwd or 7))
        if back == 0:
            return day_iv(pub)
        if self.future(mt):
            return day_iv(pub + timedelta(days=fwd))
        return day_iv(pub - timedelta(days=back))

    def h_relunit(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        mod = re.sub(r"\s+", " ", g["mod"].lower())
        unit = g["unit"].lower()
        pub = self.pub
        if mod in ("before", "earlier", "after"):          # "the day before", "a year earlier"
            return self._anaphoric_shift(unit, 1 if mod == "after" else -1)
        if mod in ("the same", "that"):
            ref = {"day": self.last_day, "year": year_iv(self.last_year) if self.last_year else None}.get(unit, self.last)
            if ref is None:
                return None
            if unit == "month" and ref.granularity in ("day", "month"):
                return month_iv(ref.earliest.year, ref.earliest.month)
            if unit == "week" and ref.granularity in ("day", "week"):
                return week_iv(ref.earliest)
            return ref if ref.granularity == unit else None
        if mod in ("the following", "the next"):
            return self._anaphoric_shift(unit, 1)
        if mod in ("the previous", "the prior"):
            return self._anaphoric_shift(unit, -1)
        if mod == "the" and unit != "year":
            if unit == "day":
                return self.last_day or day_iv(pub)
            return None                                     # "the week", "the month": which?
        n = {"last": -1, "the past": -1, "the last": -1, "this past": -1, "next": 1, "the coming": 1}.get(mod, 0)
        if unit == "day":
            return day_iv(pub + timedelta(days=n)) if n == 0 else None
        if unit == "week":
            return week_iv(pub + timedelta(days=7 * n))
        if unit == "month":
            y, m = add_months(pub.year, pub.month, n)
            return month_iv(y, m)
        return year_iv(pub.year + n)

    def _anaphoric_shift(self, unit: str, n: int) -> Interval | None:
        ref = self.last
        if unit == "day":
            ref = self.last_day
            return day_iv(ref.earliest + timedelta(days=n)) if ref else None
        if ref is None:
            return None
        if unit == "week":
            return week_iv(ref.earliest + timedelta(days=7 * n))
        if unit == "month":
            y, m = add_months(ref.earliest.year, ref.earliest.month, n)
            return month_iv(y, m)
        return year_iv(ref.earliest.year + n)

    def h_yearend(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        pub = self.pub
        if g.get("unit"):
            rel = g["rel"].lower()
            n = {"last": -1, "next": 1}.get(rel, 0)
            unit = g["unit"].lower()
            if unit == "year":
                return part_of(year_iv(pub.year + n), "late")
            if unit == "month":
                y, m = add_months(pub.year, pub.month, n)
                return part_of(month_iv(y, m), "late")
            return None
        before = self.text[max(0, mt.start - 8):mt.start].lower()
        y = pub.year - 1 if re.search(r"since\s+$", before) else pub.year
        return day_iv(date(y, 12, 31))

    def h_ago(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        unit = g["unit"].lower().rstrip("s")
        direction = re.sub(r"\s+", " ", g["dir"].lower())
        n = parse_number(g["num"]) if g.get("num") else 1
        if not n:
            return None
        pub = self.pub
        if g.get("num") is None or (n == 1 and unit == "year" and direction in ("ago", "earlier", "before")):
            # "a year ago", "year-earlier": in earnings news the comparison period a year back
            mt.comparison = True
            ref = self.comparison_base()
            if ref is not None and self._near_quarter(mt):
                return shift_iv_years(ref, -1)
            if direction in ("earlier", "before") and self.last is not None and self.last.granularity == "year":
                return year_iv(self.last.earliest.year - 1)
            return year_iv(pub.year - 1)
        if direction in ("earlier", "before", "later", "after", "afterward", "afterwards", "previously", "before that"):
            sign = 1 if direction in ("later", "after", "afterward", "afterwards") else -1
            ref = self.last_day if unit in ("day", "week") else self.last
            if ref is None:
                return None
            return self._shift(ref.earliest, unit, sign * n)
        sign = 1 if direction in ("from now", "hence") else -1
        return self._shift(pub, unit, sign * n)

    def _near_quarter(self, mt: Match) -> bool:
        """A year-back comparison refers to a quarter only while the story still talks about one."""
        return mt.start - self.quarter_pos <= NEAR_QUARTER

    def h_then(self, mt: Match) -> Interval | None:
        return self.last if self.last is not None and self.last.granularity in ("day", "month") else None

    def _shift(self, d: date, unit: str, n: int) -> Interval | None:
        if unit == "day":
            return day_iv(d + timedelta(days=n))
        if unit == "week":
            return week_iv(d + timedelta(days=7 * n))
        if unit == "month":
            y, m = add_months(d.year, d.month, n)
            return month_iv(y, m)
        if unit == "year":
            return year_iv(d.year + n)
        if unit == "decade":
            return decade_iv((d.year + 10 * n) // 10 * 10)
        return None

    def h_span(self, mt: Match) -> Interval | None:
        """"the past three years", "for two decades": a stretch ending (or starting) now."""
        g = mt.m.groupdict()
        n = parse_number(g["num"])
        if not n:
            return None
        unit = g["unit"].lower().rstrip("s")
        unit = "century" if unit.startswith("centur") else unit
        rel = (g.get("rel") or "").lower()
        before = self.text[max(0, mt.start - 12):mt.start].lower()
        prep = re.search(r"(\w+)\s+$", before)
        prep = prep.group(1) if prep else ""
        pub = self.pub
        days = {"day": 1, "week": 7}.get(unit)
        months = {"month": 1, "year": 12, "decade": 120, "century": 1200}.get(unit)

        def back(k: int) -> date:
            if days:
                return pub - timedelta(days=days * k)
            y, m = add_months(pub.year, pub.month, -(months or 0) * k)
            return safe_date(y, m, pub.day) or date(y, m, _month_end(y, m))

        def ahead(k: int) -> date:
            if days:
                return pub + timedelta(days=days * k)
            y, m = add_months(pub.year, pub.month, (months or 0) * k)
            return safe_date(y, m, pub.day) or date(y, m, _month_end(y, m))

        if rel in ("past", "last", "previous") or prep in ("for", "over") or (unit == "decade" and not rel):
            if prep in ("for", "over") and rel == "" and is_future(self.doc, mt.i, mt.j):
                return None   # "will stay for two years": a duration, not a dated stretch
            return Interval(back(n), pub, "range")
        if rel in ("next", "coming"):
            return Interval(pub, ahead(n), "range")
        if prep == "in" and is_future(self.doc, mt.i, mt.j):
            # "redeemed in five years": the point that far ahead
            return self._shift(pub, unit, n) if unit != "century" else None
        return None

    def h_season(self, mt: Match) -> Interval | None:
        g = mt.m.groupdict()
        mod = re.sub(r"\s+", " ", (g.get("mod") or "").lower())
        if not mod and not g.get("year"):
            return None
        if self.text[mt.end:mt.end + 4].lower() == " of " and not g.get("year"):
            return None   # "the fall of Baghdad"
        first, last = SEASONS[g["s"].lower()]
        pub = self.pub
        wraps = first > last

        def iv_for(y: int) -> Interval:      # the season that ends in year y
            start_y = y - 1 if wraps else y
            return Interval(date(start_y, first, 1), date(y, last, _month_end(y, last)), "range")

        if g.get("year"):
            y = self.year_value(g["year"])
            if not y:
                return None
            iv = iv_for(y)
        else:
            cur = iv_for(pub.year)
            nxt = iv_for(pub.year + 1)
            if mod in ("last", "this past"):
                iv = cur if cur.latest < pub else iv_for(pub.year - 1)
            elif mod in ("next", "this coming"):
                iv = nxt if cur.earliest <= pub else cur
            else:
                # "this summer", "the summer": the one we are in, the one ahead if future, else past
                if cur.earliest <= pub <= cur.latest:
                    iv = cur
                elif nxt.earliest <= pub <= nxt.latest:
                    iv = nxt
                elif mod == "this" or self.future(mt):
                    iv = cur if cur.earliest > pub else nxt
                else:
                    iv = cur if cur.latest < pub else iv_for(pub.year - 1)
        if mod in ("early", "mid", "late"):
            iv = part_of(iv, mod)
        return iv


# ---------------------------------------------------------------- recognition

def find_matches(text: str) -> list[Match]:
    found: list[Match] = []
    for prio, (kind, rx) in enumerate(PATTERNS):
        for m in rx.finditer(text):
            if m.end() > m.start():
                found.append(Match(kind, m.start(), m.end(), m, prio))
    # quarter cores grow to their modifiers before overlaps are settled
    return found


def _select(found: list[Match]) -> list[Match]:
    """Longest match wins; ties go to the earlier (more specific) pattern."""
    chosen: list[Match] = []
    taken: list[tuple[int, int]] = []
    for mt in sorted(found, key=lambda x: (-(x.end - x.start), x.prio, x.start)):
        if any(mt.start < e and s < mt.end for s, e in taken):
            continue
        chosen.append(mt)
        taken.append((mt.start, mt.end))
    return sorted(chosen, key=lambda x: x.start)


def _align(doc, mt: Match) -> bool:
    span = doc.char_span(mt.start, mt.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    mt.i, mt.j = span.start, span.end
    return True


def _to_expr(text: str, mt: Match) -> TimeExpr:
    iv = mt.iv
    return TimeExpr(text=text[mt.start:mt.end], start=mt.start, end=mt.end,
                    earliest=iv.earliest.isoformat() if iv else None,
                    latest=iv.latest.isoformat() if iv else None,
                    granularity=iv.granularity if iv else None, i=mt.i, j=mt.j)


def extract(doc, pub: date) -> list[TimeExpr]:
    """Every date expression in the doc, resolved against `pub`, in text order."""
    text = text_of(doc)          # Doc.text is rebuilt on every access: read it once
    res = Resolver(doc, pub, text)
    found = find_matches(text)
    # quarter cores are widened first so that "the year-ago third quarter" beats "year-ago"
    for mt in found:
        if mt.kind == "quarter" and mt.m.groupdict().get("ord"):
            mt.start, mt.end, mt.info = res._quarter_widen(mt)
    chosen = _select(found)
    out: list[Match] = []
    for mt in chosen:
        if not _align(doc, mt):
            continue
        handler: Callable = getattr(res, "h_" + mt.kind)
        s0, e0 = mt.start, mt.end
        try:
            iv = handler(mt)
        except (ValueError, KeyError, OverflowError):
            iv = None
        mt.start, mt.end = s0, e0
        if iv is None and mt.kind not in ("span",):
            continue                                       # not a date after all ("May I", "the fall of")
        if iv is None and not any(t.ent_type_ == "DATE" for t in doc[mt.i:mt.j]):
            continue                                       # "$5 a year": a rate, not a time
        mt.iv = iv
        explicit = bool(mt.m.groupdict().get("year"))
        res.remember(iv, explicit, comparison=mt.comparison)
        if iv is not None and iv.granularity == "quarter":
            res.quarter_pos = mt.end
        out.append(mt)

    # "between January 4 and February 7", "from March to May": one range over two dates
    ranges: list[Match] = []
    for a, b in zip(out, out[1:]):
        if not (a.iv and b.iv) or a.iv.granularity == "range" or b.iv.granularity == "range":
            continue
        if not RANGE_JOIN.match(text[a.end:b.start]):
            continue
        opener = RANGE_OPEN.search(text[max(0, a.start - 10):a.start])
        if not opener or b.iv.latest < a.iv.earliest:
            continue
        s = a.start - len(opener.group())
        r = Match("range", s, b.end, a.m, -1, Interval(a.iv.earliest, b.iv.latest, "range"), parts=(a, b))
        _align(doc, r)
        ranges.append(r)

    # spaCy DATE entities no pattern explained: kept, unresolved ("recently", "in recent years")
    taken = [(m.start, m.end) for m in out]
    extra: list[Match] = []
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        s, e = ent.start_char, ent.end_char
        if any(s < te and ts < e for ts, te in taken):
            continue
        et = ent.text
        if ENT_JUNK.search(et) or not ENT_TIMEWORD.search(et):
            continue
        mt = Match("ent", s, e, None, 99, None, ent.start, ent.end)
        extra.append(mt)

    # the two ends of a range come before the range itself, each a date in its own right
    allm = sorted(out + extra, key=lambda x: x.start)
    exprs: list[TimeExpr] = [_to_expr(text, m) for m in allm]
    if ranges:
        merged: list[TimeExpr] = []
        pending = sorted(ranges, key=lambda r: r.parts[1].end)
        for m, ex in zip(allm, exprs):
            merged.append(ex)
            while pending and pending[0].parts[1] is m:
                merged.append(_to_expr(text, pending.pop(0)))
        exprs = merged
    return exprs


# ---------------------------------------------------------------- events

def _time_info(doc, t: TimeExpr) -> tuple[list[int], int]:
    """The tokens a date modifies on its way up to a verb (nouns included, nearest first),
    and that verb."""
    span = doc[t.i:t.j]
    root = span.root
    path: list[int] = []
    tok = root
    for _ in range(10):
        if tok.head.i == tok.i:
            return path, tok.i
        tok = tok.head
        if t.i <= tok.i < t.j:
            continue
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT":
            return path, tok.i
        path.append(tok.i)
    return path, tok.i


def _ancestors(tok, limit: int = 12):
    seen = 0
    while tok.head.i != tok.i and seen < limit:
        tok = tok.head
        seen += 1
        yield tok


def _tree_distance(doc, a: int, b: int) -> int:
    up_a = {a: 0}
    for k, t in enumerate(_ancestors(doc[a]), 1):
        up_a[t.i] = k
    if b in up_a:
        return up_a[b]
    for k, t in enumerate(_ancestors(doc[b]), 1):
        if t.i in up_a:
            return up_a[t.i] + k
    return 99


def fallback(pub: date) -> TimeExpr:
    return TimeExpr(text=None, start=None, end=None, earliest=pub.isoformat(), latest=pub.isoformat(),
                    granularity="day")


def date_events(doc, times: list[TimeExpr], pub: date) -> None:
    events = doc._.events or []
    if not events:
        return
    # the ends of a range give way to the range; unresolved expressions date nothing
    usable = [t for t in times if t.earliest and t.i >= 0]
    inner = {(a.start, a.end) for r in usable if r.granularity == "range" for a in usable
             if a is not r and r.start <= a.start and a.end <= r.end}
    usable = [t for t in usable if (t.start, t.end) not in inner]
    info = [(t, *_time_info(doc, t)) for t in usable]
    triggers = {e.trigger_i for e in events if e.trigger_i is not None and e.trigger_i >= 0}

    def direct(target: int) -> list[TimeExpr]:
        """Dates hanging from `target` with no other event in between: in "the airliner
        bombing and the November attacks", November dates the attacks, not the bombing."""
        out = []
        for t, path, gov in info:
            chain = path + [gov]
            if target in chain and not set(chain[:chain.index(target)]) & triggers:
                out.append(t)
        return out

    for ev in events:
        if ev.trigger_i is None or not (0 <= ev.trigger_i < len(doc)):
            ev.date = fallback(pub)
            continue
        targets = [ev.trigger_i] + ([ev.anchor_i] if ev.anchor_i is not None and 0 <= ev.anchor_i < len(doc)
                                     and ev.anchor_i != ev.trigger_i else [])
        pick: TimeExpr | None = None
        # 1. a date on the trigger itself, then on the anchor's clause
        for target in targets:
            c = direct(target)
            if c:
                pick = min(c, key=lambda t: abs(t.i - target))
                break
        # 2. "last week, when Turkey shot down ...": the when-clause takes its host's date
        if pick is None:
            for target in targets:
                v = doc[target] if doc[target].pos_ in ("VERB", "AUX") else doc[_clause_verb(doc[target]).i]
                if v.dep_ in ("advcl", "relcl", "acl") and any(c.lower_ in ("when", "as", "while") for c in v.children):
                    host = v.head
                    c = [t for t in usable if t.i <= host.i < t.j] or direct(host.i)
                    if c:
                        pick = c[0]
                        break
        # 3. the nearest governing clause with a date
        if pick is None:
            start = doc[targets[-1]]
            for anc in _ancestors(start):
                c = direct(anc.i)
                if c:
                    pick = min(c, key=lambda t: abs(t.i - anc.i))
                    break
        # 4. a date elsewhere in the sentence that no other event owns, the closest in the tree
        if pick is None:
            sent = sentence_of(doc, ev.trigger_i)
            cands = []
            for t, path, gov in info:
                if not (sent.start <= t.i < sent.end):
                    continue
                owners = ({gov} | set(path)) & triggers
                if owners - set(targets):
                    continue
                cands.append((_tree_distance(doc, t.i, ev.trigger_i), t))
            if cands:
                pick = min(cands, key=lambda x: x[0])[1]
        ev.date = pick or fallback(pub)


# ---------------------------------------------------------------- the stage

def annotate(doc):
    pub = doc._.pub_date or date.today()
    times = extract(doc, pub)
    doc._.times = times
    date_events(doc, times, pub)
    return doc
