"""Handlers of the times stage: one small function per row of the pattern table.

`data/time_patterns.yaml` lists the forms we recognise ("Sept. 30", "last week", "the third
quarter"...), each naming a handler here. A handler gets the `Match` (the regex match, the
parse around it) and the story's `ReferenceTime`, and returns the calendar `Interval` the
expression names, or None when the words are not a date after all ("May I", "the fall of
Rome"). Handlers never change the ReferenceTime: the stage does, after each expression, so
that the order of events is visible in one place (`times.extract`).

To add a form: a row in the YAML, a function here decorated with `@handles("name")`, and a
test sentence in tests/test_time_handlers.py where it fires and one where it must not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from eventwire.calendar_math import (ORDINALS, Interval, month_end, add_months, century_iv, day_iv,
                                     decade_iv, holiday_in, holidays_in, month_iv, month_number, nearest_occurrence,
                                     parse_day, parse_number, parse_year, part_of,
                                     quarter_iv, safe_date, shift_by, move_from, shift_iv_years, week_iv, year_iv)
from eventwire.nlp import sentence_of
from eventwire.syntax import governing_verb, lemma
from eventwire.time_direction import direction
from eventwire.time_vocab import holiday_table, words

_W = words()
AMBIGUOUS_MONTHS = set(_W["ambiguous_months"])
WEEKDAYS: dict[str, int] = _W["weekdays"]
DECADE_WORDS: dict[str, int] = _W["decade_words"]
SEASONS: dict[str, list[int]] = _W["seasons"]
PART_WORDS: dict[str, str] = _W["part_words"]
PARTS = tuple(sorted(set(PART_WORDS.values())))          # early, late, mid
FULL_MONTH_NAMES = {max((k for k, v in _W["months"].items() if v == m), key=len) for m in range(1, 13)}
_MOD = {meaning: frozenset(mods) for meaning, mods in _W["modifiers"].items()}
_COUNT = {way: frozenset(words) for way, words in _W["counting"].items()}

# Newspaper and other names that start with a weekday or month: never dates.
NAME_AFTER = re.compile(r"^\s+(?:Times|Telegraph|Express|Mirror|Herald|Post|Observer|Independent|Star|Tribune|"
                        r"Mail|Morning|Journal|Night\s+Live|Revolution|Offensive|Agreement|War|Massacre)\b")

YEAR4 = r"(?:1[0-9]\d\d|20\d\d)"

# A figure compared with its value a year back: "compared with $3 million last year".
COMPARED = re.compile(r"\b(?:compared\s+(?:with|to)|versus|vs\.|up\s+from|down\s+from)\b[^.;]*$")

# How far (characters) after a quarter a bare "a year ago" still compares with that quarter.
NEAR_PERIOD = 800   # about four sentences


# ---------------------------------------------------------------- what handlers get

@dataclass
class Match:
    """One regex match of the pattern table, with the parse it sits in."""
    kind: str                     # the handler's name
    start: int
    end: int
    m: re.Match | None
    prio: int                     # row of the table: earlier rows win ties
    iv: Interval | None = None
    i: int = -1                   # tokens i..j cover the match
    j: int = -1
    parts: tuple = ()             # the two ends of a range
    info: dict | None = None      # quarter modifiers found when the core was widened
    comparison: bool = False      # a year-back comparison ("a year ago", "the year-earlier quarter")
    doc: object = None
    text: str = ""

    def group(self, name: str) -> str:
        """A named group of the match, "" when absent; spaces normalised, lower case."""
        value = self.m.groupdict().get(name) if self.m is not None else None
        return re.sub(r"\s+", " ", value.lower()) if value else ""

    def direction(self) -> str | None:
        return direction(self.doc, self.i, self.j)

    def future(self) -> bool:
        return self.direction() == "future"

    def verb(self):
        """The verb the matched words hang off."""
        return governing_verb(self.doc[self.i:self.j].root)

    def sentence_start(self) -> int:
        """Where the sentence holding the match starts (a character offset)."""
        return sentence_of(self.doc, self.i).start_char

    def paragraph_start(self) -> int:
        """Where the paragraph (the line) holding the match starts (a character offset)."""
        return self.text.rfind("\n", 0, self.start) + 1

    def before(self, n: int) -> str:
        """The n characters of text before the match, lower case."""
        return self.text[max(0, self.start - n):self.start].lower()


# What a date must name to set the scene for the next sentences of its paragraph: a year or
# a month ("In 1987, ...", "In June 1987, ..."), not a single day ("On June 9, 1987, ...").
SCENE_GRAINS = ("month", "year")


# A time longer than this (days) is a backdrop to a story's days, not the next time it tells
# (a year, a season), as `times.NARRATIVE_SPAN_DAYS` for undated events.
BACKDROP_DAYS = 62

# Handlers whose "range" answers are one time with a name ("late 1992", "last summer",
# "Ramadan", "the next day" of a month), not a stretch between two times.
ONE_TIME_KINDS = frozenset({"my", "mon", "year", "decade", "season", "holiday", "weekend"})


@dataclass
class ReferenceTime:
    """The story's discourse time: the publication date and what the story last talked
    about. Relative and anaphoric expressions ("that May", "the next day", "the quarter",
    "a year earlier") resolve against it; `remember` moves it after each resolved date."""
    pub: date
    last: Interval | None = None              # last day/week/month/quarter/year named
    last_day: Interval | None = None
    last_year: int | None = None              # the year the narrative is in, once a date names one
    last_quarter: Interval | None = None
    last_done_quarter: Interval | None = None # the latest ended quarter the story has named
    period: Interval | None = None            # the reporting period a "year-earlier" compares with
    period_pos: int = -10 ** 9                # where the story last named it
    period_end_day: Interval | None = None    # "the quarter ended Sept. 30": that day
    period_end_pos: int = -1                  # and where it was named
    narrative_year: int | None = None         # the year an explicit date last put the story in
    narrative_pos: int = -1                   # and where
    narrative_verb: object = None             # and the verb of the clause it dates

    def remember(self, iv: Interval | None, explicit_year: bool = False, comparison: bool = False,
                 one_time: bool = False) -> None:
        """Move the story's time to `iv`. A comparison ("a year earlier") looks back from the
        story's period and does not move it; nor does a stretch between two times ("from 1990
        to 1995", "the past three years"), unless it names one time of its own (`one_time`:
        "late 1992", "last summer", "Ramadan"), which later counts can start from."""
        if iv is None or comparison or (iv.granularity == "range" and not one_time):
            return
        self.last = iv
        if iv.granularity == "quarter":
            self.last_quarter = iv
            if iv.latest < self.pub and (self.last_done_quarter is None
                                         or iv.earliest > self.last_done_quarter.earliest):
                # the story reports its latest quarter; an earlier one named in passing
                # ("after a flat second quarter") does not replace it
                self.last_done_quarter = iv
        if iv.granularity == "day":
            self.last_day = iv
        if explicit_year or iv.granularity in ("year", "quarter"):
            self.last_year = iv.earliest.year

    def told_day(self) -> Interval | None:
        """What "the next day", "that day", "three days later" count from: the day the story
        last named, unless it has since moved to a month or week that does not hold that day
        ("On Tuesday ... In 1992 ... That May, ... the next day"); then that coarser time,
        from which `calendar_math.move_from` steps to a range instead of a day. A year or a
        season named since is a backdrop and leaves the day in place; with no day named at
        all, it is what the count starts from."""
        day, last = self.last_day, self.last
        if last is None or (day is not None and last.earliest <= day.earliest <= last.latest):
            return day
        if day is not None and (last.latest - last.earliest).days > BACKDROP_DAYS:
            return day                   # "The base, built in 2009, ...": a year is a backdrop
        return last

    def told_for(self, unit: str) -> Interval | None:
        """The time a count of `unit`s ("a week later", "the following month") starts from."""
        return self.told_day() if unit in ("day", "week") else self.last

    def comparison_base(self) -> Interval | None:
        """The period a "year-earlier" figure is compared with: the story's reported quarter."""
        return self.last_done_quarter or self.last_quarter

    def tell_year(self, year: int, mt: Match) -> None:
        """An explicit date put the narrative in `year` ("In 1992, ...")."""
        self.narrative_year, self.narrative_pos, self.narrative_verb = year, mt.start, mt.verb()

    def told_year(self, mt: Match) -> int | None:
        """The year the story has named for the clause `mt` is in. A date on a main clause
        sets the scene for the rest of its sentence, one inside a clause ("a plan approved in
        1987") only for that clause. The scene of a main clause goes on into the following
        sentences of its paragraph, for clauses told in the past ("In 1987 the militia took
        the port. In June, sailors mutinied."); a new paragraph, or a clause that is not
        past, is back at the publication date."""
        if self.narrative_year is None:
            return None
        scene = self.narrative_verb
        main = scene is None or scene.dep_ == "ROOT"
        if self.narrative_pos >= mt.sentence_start():
            return self.narrative_year if main or scene.i == mt.verb().i else None
        if not main or self.narrative_pos < mt.paragraph_start() or mt.direction() != "past":
            return None
        told = self.last
        if told is None or told.granularity not in SCENE_GRAINS or told.earliest.year != self.narrative_year:
            return None                  # a day is a point the story moves on from; or it has moved on
        return self.narrative_year

    def occurrence(self, candidates: Callable[[int], Interval | list[Interval] | None], way: str | None,
                   mt: Match | None = None) -> Interval | None:
        """The one of a yearly recurring day or month (`candidates(year)`: the one, or the
        ones, beginning in a year; a lunar holiday can begin twice) the clause means:
        in the year the sentence has already named ("In 1992, the army took the town in
        May"), else the one the clause's direction picks around the publication date."""
        told = self.told_year(mt) if mt is not None else None
        if told is not None:
            found = candidates(told)
            if isinstance(found, list):
                found = found[0] if found else None
            if found is not None:
                return found
        y = self.pub.year
        ivs: list[Interval] = []
        for found in (candidates(y - 1), candidates(y), candidates(y + 1)):
            ivs += found if isinstance(found, list) else [found] if found is not None else []
        return nearest_occurrence(ivs, self.pub, way)

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

    def default_quarter_year(self, q: int, future: bool) -> int:
        """Quarter N without a year: the latest one already begun (the one ahead if future)."""
        start = quarter_iv(self.pub.year, q).earliest
        if start <= self.pub:
            return self.pub.year   # begun this year: results for it are reported now or later
        return self.pub.year if future else self.pub.year - 1


HANDLERS: dict[str, Callable[[Match, ReferenceTime], Interval | None]] = {}


def handles(kind: str):
    """Register a handler under the name the pattern table uses."""
    def register(fn):
        HANDLERS[kind] = fn
        return fn
    return register


# ---------------------------------------------------------------- month and day names

@handles("md")
def md(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""Sept. 30", "30 September 2015", "Saturday, April 25": one day; without a year, the one the clause points to."""
    g = mt.m.groupdict()
    mon = month_number(g["mon"])
    day = parse_day(g["day"])
    if not day or day > 31:
        return None
    year = ref.year_value(g.get("year"))
    if year is not None:
        d = safe_date(year, mon, day)
        return day_iv(d) if d else None
    if g.get("wd"):
        # a written weekday settles the year, past or future: "Saturday, April 25"
        wd = WEEKDAYS[g["wd"].lower()]
        fits = [d for d in (safe_date(ref.pub.year + k, mon, day) for k in (-1, 0, 1)) if d and d.weekday() == wd]
        if fits:
            return day_iv(min(fits, key=lambda d: abs((d - ref.pub).days)))
    return ref.occurrence(lambda y: _day(y, mon, day), mt.direction(), mt)


def _day(y: int, m: int, d: int) -> Interval | None:
    found = safe_date(y, m, d)
    return day_iv(found) if found else None


@handles("mdrange")
def mdrange(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""Jan. 4-7", "March 3 to 5, 1998": days of one month."""
    g = mt.m.groupdict()
    mon = month_number(g["mon"])
    d1, d2 = parse_day(g["d1"]), parse_day(g["d2"])
    if not d1 or not d2 or d2 <= d1:
        return None
    year = ref.year_value(g.get("year"))
    if year is None:
        first = ref.occurrence(lambda y: _day(y, mon, d1), mt.direction(), mt)
        if first is None:
            return None
        year = first.earliest.year
    a, b = safe_date(year, mon, d1), safe_date(year, mon, d2)
    return Interval(a, b, "range") if a and b else None


@handles("my")
def my(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""August 1988", "mid-March 1990"."""
    g = mt.m.groupdict()
    year = ref.year_value(g["year"])
    if not year:
        return None
    iv = month_iv(year, month_number(g["mon"]))
    return part_of(iv, g["part"].lower()) if g.get("part") else iv


@handles("mrel")
def mrel(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""January this year", "June last year"."""
    g = mt.m.groupdict()
    if g["mon"].lower().rstrip(".") in AMBIGUOUS_MONTHS and not g["mon"][0].isupper():
        return None                      # "may this year": the modal
    year = ref.pub.year + {"this": 0, "last": -1, "next": 1}[g["rel"].lower()]
    return month_iv(year, month_number(g["mon"]))


@handles("mon")
def mon(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""last April", "this September", "that May", "mid-October", "November". Short and
    ambiguous month words ("May", "Mar") must be capitalised and not be a verb."""
    g = mt.m.groupdict()
    word = g["mon"]
    key = word.lower().rstrip(".")
    mod = re.sub(r"\s+", " ", (g.get("mod") or "").lower())
    if key in AMBIGUOUS_MONTHS or (len(key) <= 4 and key not in FULL_MONTH_NAMES and not word.endswith(".")):
        # short/ambiguous month words need a capital and must not be a modal or verb
        if not word[0].isupper() or key != "may" and len(key) <= 3 and not word.endswith(".") and not mod:
            return None
        tok = mt.doc.char_span(mt.m.start("mon"), mt.m.end("mon"), alignment_mode="expand")
        if tok is not None and tok[0].tag_ in ("MD", "VB", "VBP", "VBZ", "VBD") and not mod:
            return None
        if key == "may" and not mod and not _may_is_month(mt):
            return None
    elif not word[0].isupper() and not mt.text[mt.start:mt.end].isupper():
        return None
    mon = month_number(word)
    pub = ref.pub
    if mod == "last" or mod == "this past":
        y = pub.year if mon < pub.month else pub.year - 1
    elif mod == "next" or mod == "this coming":
        y = pub.year if mon > pub.month else pub.year + 1
    elif mod == "this":
        y = pub.year
    elif mod == "that" and ref.last_year:
        y = ref.last_year                # "that May": May of the year being told
    else:
        y = ref.occurrence(lambda y: month_iv(y, mon), mt.direction(), mt).earliest.year
    iv = month_iv(y, mon)
    part = None
    if mod.startswith(PARTS):
        part = mod.split()[0].rstrip("-")
    elif mod.startswith("the "):
        part = PART_WORDS.get(mod.split()[1])
    return part_of(iv, part) if part else iv


def _may_is_month(mt: Match) -> bool:
    """'May' is the month after a preposition or before a day/year, not before a verb."""
    before = mt.text[max(0, mt.start - 12):mt.start].lower()
    if re.search(r"\b(?:in|since|of|until|by|during|from|through|early|late|mid|last|next|this)\s+$", before):
        return True
    tok = mt.doc.char_span(mt.start, mt.end, alignment_mode="expand")
    return tok is not None and tok[0].ent_type_ == "DATE"


# ---------------------------------------------------------------- years, decades, centuries

@handles("yrange")
def yrange(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""1990-95", "2011-2013": the whole stretch of years."""
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


@handles("decade")
def decade(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""the 1990s", "the '90s", "the nineties", "the late 1970s"."""
    g = mt.m.groupdict()
    if g.get("dec"):
        y0 = int(g["dec"])
    elif g.get("dec2") or g.get("dec3") or g.get("dec4"):
        yy = int(g.get("dec2") or g.get("dec3") or g.get("dec4"))
        y0 = ref.two_digit_year(yy) // 10 * 10
    elif g.get("decw"):
        y0 = ref.two_digit_year(DECADE_WORDS[g["decw"].lower()]) // 10 * 10
    else:
        return None
    iv = decade_iv(y0)
    part = g.get("part") or g.get("part2")
    return part_of(iv, part.lower()) if part else iv


@handles("reldecade")
def reldecade(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""the past decade", "the next decade": the calendar decade before or after."""
    rel = mt.m.group("rel").lower().split()[-1]
    y0 = ref.pub.year // 10 * 10
    return decade_iv(y0 + {"last": -10, "past": -10, "previous": -10, "next": 10, "coming": 10}.get(rel, 0))


@handles("century")
def century(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""the 20th century" (1900-1999, as TimeBank), "the eleventh century"."""
    g = mt.m.groupdict()
    n = int(g["n"]) if g.get("n") else ORDINALS.get(g["nw"].lower())
    return century_iv(n) if n and 1 <= n <= 21 else None


@handles("relcentury")
def relcentury(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""last century", "this century"."""
    rel = mt.m.group("rel").lower().split()[-1]
    n = ref.pub.year // 100 + 1 + {"last": -1, "past": -1, "previous": -1, "next": 1}.get(rel, 0)
    return century_iv(n)


@handles("year")
def year(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""1990", "fiscal 1989", "the year 2000", "mid-1996"; a bare number only where it reads as a year."""
    g = mt.m.groupdict()
    y = ref.year_value(g["year"])
    if y is None:
        return None
    pre = re.sub(r"\s+", " ", (g.get("pre") or "").lower())
    if g["year"].isdigit() and not pre and not _looks_like_year(mt, ref):
        return None
    iv = year_iv(y)
    part = pre.split()[0] if pre.startswith(PARTS) else None
    return part_of(iv, part) if part else iv


def _looks_like_year(mt: Match, ref: ReferenceTime) -> bool:
    """A bare 4-digit number is a year unless it is money, a count or a measure."""
    y = int(mt.m.group("year"))
    before = mt.text[max(0, mt.start - 2):mt.start]
    if re.search(r"[$#£€]\s?$", before):
        return False
    span = mt.doc.char_span(mt.start, mt.end, alignment_mode="expand")
    if span is None:
        return True
    tok = span[-1]
    if tok.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "PRODUCT", "ORG", "FAC"):
        return tok.ent_type_ == "CARDINAL" and 1900 <= y <= ref.pub.year + 5 and _year_context(span)
    nxt = mt.doc[tok.i + 1] if tok.i + 1 < len(mt.doc) else None
    if nxt is not None and (nxt.tag_ == "NNS" or nxt.text in _W["count_units"]) \
            and nxt.lower_ not in _W["year_plural_nouns"]:
        return False
    return 1000 <= y <= ref.pub.year + 100


def _year_context(span) -> bool:
    prev = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    return prev in _W["year_preceders"]


# ---------------------------------------------------------------- quarters, halves, fiscal years (earnings news)

def widen_quarter(mt: Match) -> tuple[int, int, dict]:
    """Widen a quarter core to its modifiers: "this year's", "the 1988", "of 1984", "last year"."""
    s, e = mt.start, mt.end
    info: dict = {}
    left = mt.text[max(0, s - 60):s]
    lm = re.search(r"(?:(?:the|its|a|an|their|his|her|that|this)\s+)?"
                   r"(?:(?P<ypos>(?:this|last|next)\s+year's|\d{4}'s|year-(?:ago|earlier)'s)\s+)?"
                   r"(?P<mods>(?:(?:latest|current|fiscal|comparable|corresponding|year-ago|year-earlier|year-before|"
                   r"prior-year|same|flat|strong|weak|recent|\d{4}|the)[\s-]+)*)$", left, re.I)
    if lm and lm.group():
        s -= len(lm.group())
        info["ypos"] = (lm.group("ypos") or "").lower()
        info["mods"] = (lm.group("mods") or "").lower()
    right = mt.text[e:e + 40]
    rm = re.match(r"\s+of\s+(?:fiscal\s+)?(?P<year>" + YEAR4 + r")|\s+of\s+(?P<rel>this|last|next)\s+year|"
                  r"\s+(?P<rel2>last|this|next)\s+year|,?\s+(?P<year2>" + YEAR4 + r")(?![\d,])", right, re.I)
    if rm:
        e += rm.end()
        info["year"] = rm.group("year") or rm.group("year2")
        info["rel"] = (rm.group("rel") or rm.group("rel2") or "").lower()
    return s, e, info


@handles("quarter")
def quarter(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""the third quarter", "Q3 1998", "the year-ago fourth quarter"; without a year, the
    latest one begun (earnings news reports the quarter just ended)."""
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
        year = int(ytxt) if len(ytxt) == 4 else ref.year_value(ytxt.lstrip("'")) if ytxt.lstrip("'").isdigit() else None
        if ytxt and len(ytxt.lstrip("'")) == 2:
            year = ref.two_digit_year(int(ytxt.lstrip("'")))
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
            year = ref.pub.year
        elif ypos.startswith("next") or rel == "next":
            year = ref.pub.year + 1
        elif ago:
            story_q = ref.comparison_base()
            base = story_q.earliest.year if story_q else ref.default_quarter_year(q, False)
            year = base - 1
            mt.comparison = True
        else:
            year = ref.default_quarter_year(q, mt.future())
    return quarter_iv(year, q)


@handles("anaquarter")
def anaquarter(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""the quarter", "the latest quarter", "the year-earlier period": the story's quarter."""
    g = mt.m.groupdict()
    mods = re.sub(r"\s+", " ", (g.get("mods") or "").lower())
    unit = g["unit"].lower()
    rel = re.sub(r"\s+", " ", (g.get("rel") or "").lower())
    ago = any(w in mods for w in _W["year_ago_modifiers"]) or rel.startswith(tuple(_W["year_ago_phrases"]))
    ym = re.search(r"\d{4}", mods)
    if unit == "period" and not (ago or ym or re.search(r"latest|current|comparable|corresponding|same|recent", mods)):
        return None   # "the period" alone is too vague
    period = reporting_period(mt, ref)
    if period is not None and period.granularity == "year" and (ago or ym):
        # year-to-date figures ("for the nine months ... the year-earlier period")
        mt.comparison = True
        return year_iv(int(ym.group()) if ym else period.earliest.year - 1)
    # the story's quarter, or else the last completed one (what earnings reports are about)
    y, m = add_months(ref.pub.year, ref.pub.month, -3)
    completed = quarter_iv(y, (m - 1) // 3 + 1)
    current = quarter_iv(ref.pub.year, (ref.pub.month - 1) // 3 + 1)
    if "current" in mods:
        base = current
    elif re.search(r"latest|recent|just", mods):
        # "the latest quarter" has ended: the story's quarter if it has, else the last one
        base = ref.last_quarter if ref.last_quarter and ref.last_quarter.latest < ref.pub else completed
    elif ago and ref.comparison_base() is not None:
        base = ref.comparison_base()
    elif ref.last_quarter is not None:
        base = ref.last_quarter
    elif mt.m.group().lower().startswith("this"):
        base = current
    else:
        base = completed
    mt.comparison = ago
    if ym:
        y = int(ym.group())
        # "the 1988 period" beside a 1989 quarter is the comparison, not a new reference
        mt.comparison = ref.last_quarter is not None and y != ref.last_quarter.earliest.year
        if unit == "period" and ref.last_quarter is None:
            return year_iv(y)
        reported = ref.comparison_base() or base      # "the 1989 period": the quarter reported, in 1989
        return quarter_iv(y, (reported.earliest.month - 1) // 3 + 1)
    if g.get("rel") and g["rel"].lower().startswith(("last", "this", "next")) and "'s" in g["rel"]:
        n = {"last": -1, "this": 0, "next": 1}[g["rel"].split()[0].lower()]
        return quarter_iv(ref.pub.year + n, (base.earliest.month - 1) // 3 + 1) if n else base
    return shift_iv_years(base, -1) if ago else base


@handles("half")
def half(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""the first half of 2013", "the second half of this year"."""
    g = mt.m.groupdict()
    ytxt = (g.get("year") or "").lower()
    if ytxt.isdigit():
        y = int(ytxt)
    elif ytxt:
        y = ref.pub.year + {"this": 0, "last": -1, "next": 1}[ytxt.split()[0]]
    else:
        return None   # "the first half" of what? (a match, a season...)
    lo, hi = (1, 6) if g["h"].lower() == "first" else (7, 12)
    return Interval(date(y, lo, 1), date(y, hi, month_end(y, hi)), "range")


@handles("fiscalyear")
def fiscalyear(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""the current fiscal year", "the next fiscal year": labelled by calendar year."""
    rel = (mt.m.group("rel") or "").lower()
    if rel == "same" and ref.last_year:
        return year_iv(ref.last_year)
    # "the latest fiscal year" is the last one closed
    n = {"last": -1, "previous": -1, "past": -1, "latest": -1, "next": 1, "coming": 1, "new": 0}.get(rel, 0)
    return year_iv(ref.pub.year + n)


# ---------------------------------------------------------------- days relative to publication

@handles("rel")
def rel(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""today", "yesterday morning", "last night", "the day after tomorrow"."""
    g = mt.m.groupdict()
    w = (g.get("w") or "").lower()
    if g.get("w2"):
        n = -1 if g["w2"].lower() == "last" else 0
    else:
        n = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[w]
        if g.get("dd"):
            n += -1 if g["dd"].lower() == "before" else 1
    return day_iv(ref.pub + timedelta(days=n))


@handles("nthday")
def nthday(mt: Match, ref: ReferenceTime) -> Interval | None:
    """"today is the eighth day of the strike", "it is the second day of talks": the day of
    writing, counted within something still going on. Elsewhere ("the first day of the
    trial") the words name no calendar day by themselves."""
    verb = mt.doc[mt.i:mt.j].root.head
    if lemma(verb) != "be" or verb.tag_ not in ("VBZ", "VBP"):
        return None
    subjects = [c.lower_ for c in verb.children if c.dep_ == "nsubj"]
    return day_iv(ref.pub) if subjects and subjects[0] in _W["day_of_writing_subjects"] else None


@handles("weekday")
def weekday(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""Friday", "last Thursday", "the following Monday": ahead when the clause points ahead,
    else the latest one (the day of publication itself included)."""
    g = mt.m.groupdict()
    if NAME_AFTER.match(mt.text[mt.end:mt.end + 30]) or not g["wd"][0].isupper():
        return None
    wd = WEEKDAYS[g["wd"].lower()]
    mod = re.sub(r"\s+", " ", (g.get("mod") or "").lower())
    pub = ref.pub
    back = (pub.weekday() - wd) % 7          # days back to the most recent such day (0 = today)
    fwd = (wd - pub.weekday()) % 7
    told = ref.told_day() or day_iv(pub)
    if mod in _MOD["preceding"]:
        return move_from(told, "day", lambda d: day_iv(d - timedelta(days=(d.weekday() - wd) % 7 or 7)))
    if mod in _MOD["following"]:
        return move_from(told, "day", lambda d: day_iv(d + timedelta(days=(wd - d.weekday()) % 7 or 7)))
    if mod in _MOD["same"] and ref.last_day:
        return told if told.granularity == "day" else None    # "that Monday" of a month: which?
    if mod in _MOD["previous"]:
        return day_iv(pub - timedelta(days=back or 7))
    if mod in _MOD["next"]:
        return day_iv(pub + timedelta(days=fwd or 7))
    if back == 0:
        return day_iv(pub)
    if mt.future():
        return day_iv(pub + timedelta(days=fwd))
    return day_iv(pub - timedelta(days=back))


@handles("dom")
def dom(mt: Match, ref: ReferenceTime) -> Interval | None:
    """"on the 15th", "by the 3rd": that day of the month the story is telling (the nearest
    such day to the day or month it last named), else of the months around publication, as
    the clause points."""
    day = parse_day(mt.group("day"))
    ordinal = mt.doc[mt.j - 1]
    if not day or (ordinal.head.i > ordinal.i and ordinal.head.pos_ in ("NOUN", "PROPN")):
        return None                      # "on the 3rd floor", "the 15th century": a noun's ordinal
    told = ref.told_day()

    def around(d: date) -> list[Interval]:
        months = (add_months(d.year, d.month, k) for k in (-1, 0, 1))
        return [iv for iv in (_day(y, m, day) for y, m in months) if iv is not None]

    if told is not None and told.granularity == "month":
        return _day(told.earliest.year, told.earliest.month, day)       # "In May 2009 ... on the 15th"
    if told is not None and told.granularity == "day":
        return nearest_occurrence(around(told.earliest), told.earliest, None)
    return nearest_occurrence(around(ref.pub), ref.pub, mt.direction())


def weekend_of(d: date) -> Interval:
    """The Saturday and Sunday of the week (Monday to Sunday) holding `d`."""
    saturday = d + timedelta(days=5 - d.weekday())
    return Interval(saturday, saturday + timedelta(days=1), "range")


@handles("weekend")
def weekend(mt: Match, ref: ReferenceTime) -> Interval | None:
    """"over the weekend", "last weekend", "next weekend", "the following weekend": the one
    under way, else the one just past or, when the clause points ahead, the one to come."""
    mod = mt.group("mod")
    pub = ref.pub
    before, after = weekend_of(pub - timedelta(days=7)), weekend_of(pub)
    if pub.weekday() >= 5:                       # published on a weekend: that one is under way
        before, after = after, weekend_of(pub + timedelta(days=7))
        if mod in ("the", "this"):
            return before
    told = ref.told_day()
    if mod in _MOD["same"] and told is not None:
        return move_from(told, "day", lambda d: weekend_of(d))
    if mod in _MOD["following"] and told is not None:
        return move_from(told, "day", lambda d: weekend_of(d + timedelta(days=7 if d.weekday() >= 5 else 0)))
    if mod in _MOD["preceding"] and told is not None:
        return move_from(told, "day", lambda d: weekend_of(d - timedelta(days=7)))
    if mod in _MOD["previous"]:
        return before
    if mod in _MOD["next"]:
        return after
    if mod in ("the", "this"):
        return after if mt.future() else before
    return None


@handles("weekday_of_week")
def weekday_of_week(mt: Match, ref: ReferenceTime) -> Interval | None:
    """"Tuesday last week", "the Monday of next week", "Friday that week": the weekday inside
    the week the words name (weeks run Monday to Sunday)."""
    if not mt.m.group("wd")[0].isupper():
        return None
    wd = WEEKDAYS[mt.group("wd")]
    mod = mt.group("mod")
    told = ref.told_day()

    def day_in(week_start: date, weeks: int) -> Interval:
        monday = week_start - timedelta(days=week_start.weekday()) + timedelta(days=7 * weeks)
        return day_iv(monday + timedelta(days=wd))

    if mod in _MOD["previous"]:
        return day_in(ref.pub, -1)
    if mod in _MOD["next"]:
        return day_in(ref.pub, 1)
    if mod == "this":
        return day_in(ref.pub, 0)
    if told is None:
        return None
    weeks = 1 if mod in _MOD["following"] else -1 if mod in _MOD["preceding"] else 0
    return move_from(told, "day", lambda d: day_in(d, weeks))


# ---------------------------------------------------------------- weeks, months, years relative to publication or to the story

@handles("relunit")
def relunit(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""last week", "this month", "that year", "the day before", "the following month"."""
    g = mt.m.groupdict()
    mod = re.sub(r"\s+", " ", g["mod"].lower())
    unit = g["unit"].lower()
    pub = ref.pub
    if mod in _COUNT["back_from_told"] | _COUNT["on_from_told"]:   # "the day before", "a year earlier"
        return _anaphoric_shift(ref, unit, 1 if mod in _COUNT["on_from_told"] else -1)
    if mod in _MOD["same"]:
        said = {"day": ref.told_day(), "year": year_iv(ref.last_year) if ref.last_year else None}.get(unit, ref.last)
        if said is None:
            return None
        if unit == "day":                # "that day" of a story told by the month: a day in it
            return move_from(said, "day", day_iv)
        if unit == "month" and said.granularity in ("day", "month"):
            return month_iv(said.earliest.year, said.earliest.month)
        if unit == "week" and said.granularity in ("day", "week"):
            return week_iv(said.earliest)
        return said if said.granularity == unit else None
    if mod in _MOD["following"]:
        return _anaphoric_shift(ref, unit, 1)
    if mod in _MOD["preceding"]:
        return _anaphoric_shift(ref, unit, -1)
    if mod == "the" and unit != "year":
        if unit == "day":
            told = ref.told_day()
            return move_from(told, "day", day_iv) if told is not None else day_iv(pub)
        return None                                     # "the week", "the month": which?
    if mod == "last" and unit == "year" and COMPARED.search(mt.before(80)):
        period = reporting_period(mt, ref)
        if period is not None and period.granularity == "quarter":
            mt.comparison = True         # "up from $3 million last year": the same quarter then
            return shift_iv_years(period, -1)
    n = {"last": -1, "the past": -1, "the last": -1, "this past": -1, "next": 1, "the coming": 1}.get(mod, 0)
    if unit == "day":
        return day_iv(pub + timedelta(days=n)) if n == 0 else None
    if unit == "week":
        return week_iv(pub + timedelta(days=7 * n))
    if unit == "month":
        y, m = add_months(pub.year, pub.month, n)
        return month_iv(y, m)
    return year_iv(pub.year + n)


def _anaphoric_shift(ref: ReferenceTime, unit: str, n: int) -> Interval | None:
    """"the day before", "the following month": n units from the date last talked about."""
    said = ref.told_for(unit)
    return move_from(said, unit, lambda d: shift_by(d, unit, n)) if said is not None else None


@handles("yearend")
def yearend(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""year-end", "the end of next year"."""
    g = mt.m.groupdict()
    pub = ref.pub
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
    before = mt.text[max(0, mt.start - 8):mt.start].lower()
    y = pub.year - 1 if re.search(r"since\s+$", before) else pub.year
    return day_iv(date(y, 12, 31))


@handles("ago")
def ago(mt: Match, ref: ReferenceTime) -> Interval | None:
    """"two weeks ago", "three days later", "two decades ago" (a year), "a year earlier"."""
    unit = mt.group("unit").rstrip("s")
    way = mt.group("dir")
    n = parse_number(mt.group("num")) if mt.group("num") else 1
    if not n:
        return None
    if unit in ("decade", "century"):
        unit, n = "year", n * (10 if unit == "decade" else 100)   # a point that far back is a year
    if not mt.group("num") or (n == 1 and unit == "year" and way in _COUNT["year_back"]):
        return year_back(mt, ref, way)
    if way in _COUNT["back_from_told"] | _COUNT["on_from_told"]:
        sign = 1 if way in _COUNT["on_from_told"] else -1
        base = ref.told_for(unit)
        return move_from(base, unit, lambda d: shift_by(d, unit, sign * n)) if base is not None else None
    sign = 1 if way in _COUNT["on_from_now"] else -1
    return shift_by(ref.pub, unit, sign * n)


def year_back(mt: Match, ref: ReferenceTime, way: str) -> Interval:
    """"a year ago", "year-earlier": in earnings news the reporting period a year back (a
    quarter, or the year for year-to-date figures), else the year before."""
    mt.comparison = True
    closing = ref.period_end_day
    if closing is not None and ref.period_end_pos >= mt.sentence_start():
        return shift_iv_years(closing, -1)   # "for the quarter ended Sept. 30, ... a year earlier"
    base = reporting_period(mt, ref)
    if base is not None:
        return shift_iv_years(base, -1)
    if way in _COUNT["back_from_told"] and ref.last is not None and ref.last.granularity == "year":
        return year_iv(ref.last.earliest.year - 1)
    return year_iv(ref.pub.year - 1)


def reporting_period(mt: Match, ref: ReferenceTime) -> Interval | None:
    """The period the story reports figures for, while it still talks about it."""
    if ref.period is None or mt.start - ref.period_pos > NEAR_PERIOD:
        return None
    return ref.period


@handles("then")
def then(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""since then", "until then": the day or month last talked about."""
    return ref.last if ref.last is not None and ref.last.granularity in ("day", "month") else None


# ---------------------------------------------------------------- stretches and seasons

@handles("span")
def span(mt: Match, ref: ReferenceTime) -> Interval | None:
    """"the past three years", "for two decades": a stretch ending (or starting) now."""
    g = mt.m.groupdict()
    n = parse_number(g["num"])
    if not n:
        return None
    unit = g["unit"].lower().rstrip("s")
    unit = "century" if unit.startswith("centur") else unit
    rel = (g.get("rel") or "").lower()
    before = mt.text[max(0, mt.start - 12):mt.start].lower()
    prep = re.search(r"(\w+)\s+$", before)
    prep = prep.group(1) if prep else ""
    pub = ref.pub
    days = {"day": 1, "week": 7}.get(unit)
    months = {"month": 1, "year": 12, "decade": 120, "century": 1200}.get(unit)

    def back(k: int) -> date:
        if days:
            return pub - timedelta(days=days * k)
        y, m = add_months(pub.year, pub.month, -(months or 0) * k)
        return safe_date(y, m, pub.day) or date(y, m, month_end(y, m))

    def ahead(k: int) -> date:
        if days:
            return pub + timedelta(days=days * k)
        y, m = add_months(pub.year, pub.month, (months or 0) * k)
        return safe_date(y, m, pub.day) or date(y, m, month_end(y, m))

    over = prep in _W["stretch_back_preps"]
    if rel in _W["stretch_back"] or over or (unit == "decade" and not rel):
        if over and rel == "" and mt.future():
            return None   # "will stay for two years": a duration, not a dated stretch
        return Interval(back(n), pub, "range")
    if rel in _W["stretch_ahead"]:
        return Interval(pub, ahead(n), "range")
    if prep == "in" and mt.future():
        # "redeemed in five years": the point that far ahead
        return shift_by(pub, unit, n) if unit != "century" else None
    return None


# How far back "recent days/weeks/months" reach.
RECENT_REACH = {"day": 7, "week": 28, "month": 183}


@handles("recent")
def recent(mt: Match, ref: ReferenceTime) -> Interval | None:
    """"in recent days", "the past few weeks": a stretch ending at publication."""
    unit = mt.group("unit").rstrip("s")
    return Interval(ref.pub - timedelta(days=RECENT_REACH[unit]), ref.pub, "range")


@handles("season")
def season(mt: Match, ref: ReferenceTime) -> Interval | None:
    """""last summer", "the winter of 1994", "that spring", "the spring"."""
    g = mt.m.groupdict()
    mod = re.sub(r"\s+", " ", (g.get("mod") or "").lower())
    if not mod and not g.get("year"):
        return None
    if mt.text[mt.end:mt.end + 4].lower() == " of " and not g.get("year"):
        return None   # "the fall of Baghdad"
    first, last = SEASONS[g["s"].lower()]
    pub = ref.pub
    wraps = first > last

    def iv_for(y: int) -> Interval:      # the season that ends in year y
        start_y = y - 1 if wraps else y
        return Interval(date(start_y, first, 1), date(y, last, month_end(y, last)), "range")

    if g.get("year"):
        y = ref.year_value(g["year"])
        if not y:
            return None
        iv = iv_for(y)
    elif mod == "that" and ref.last_year:
        iv = iv_for(ref.last_year)       # "that summer": the summer of the year being told
    elif mod in _MOD["previous"]:
        cur = iv_for(pub.year)
        iv = cur if cur.latest < pub else iv_for(pub.year - 1)
    elif mod in _MOD["next"]:
        cur = iv_for(pub.year)
        iv = iv_for(pub.year + 1) if cur.earliest <= pub else cur
    else:
        # "the summer", "this summer": the one under way, else as the clause points
        way = mt.direction() or ("future" if mod == "this" else None)
        iv = ref.occurrence(iv_for, way, mt)
    if mod in PARTS:
        iv = part_of(iv, mod)
    return iv


# ---------------------------------------------------------------- named days

def _holiday_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("’", "'"))


def pick_holiday(name: str, country_word: str) -> dict | None:
    """The holiday a name means: the one of the named country, else the default one."""
    rules = [h for h in holiday_table()["holidays"] if name in (_holiday_key(n) for n in h["names"])]
    if country_word:
        named = [h for h in rules if country_word in (_holiday_key(w) for w in h.get("country_words", []))]
        if named:
            return named[0]
    return next((h for h in rules if h.get("default")), rules[0] if rules else None)


@handles("holiday")
def holiday(mt: Match, ref: ReferenceTime) -> Interval | None:
    """"Christmas Eve", "Easter", "Ramadan", "India's Independence Day", "Labor Day 1990"."""
    raw = mt.m.group("name")
    if not raw[0].isupper():
        return None                      # "easter winds", a name only when capitalised
    country = _holiday_key(mt.group("country")).removesuffix("'s").removesuffix("'")
    rule = pick_holiday(_holiday_key(raw), country)
    if rule is None:
        return None
    tables = holiday_table().get("tables", {})

    def on(y: int) -> list[Interval]:
        return holidays_in(rule, y, tables)

    year = ref.year_value(mt.m.group("year"))
    if year:
        return holiday_in(rule, year, tables)
    mod = mt.group("mod")
    if mod in _MOD["previous"]:
        return ref.occurrence(on, "past")
    if mod in _MOD["next"]:
        return ref.occurrence(on, "future")
    if mod == "this":
        return ref.occurrence(lambda y: on(y) if y == ref.pub.year else [], None)
    return ref.occurrence(on, mt.direction(), mt)
