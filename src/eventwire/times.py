"""Times stage: find date expressions, resolve them against the story's reference time, and
date every event.

    doc._.times   list[TimeExpr], every expression in text order (overlaps allowed only for
                  an explicit range and its two ends: "between Jan. 4 and Feb. 7")
    event.date    the expression that governs the event's trigger, else the narrative date
                  of the passage it is told in, else the publication-date fallback
                  TimeExpr(text=None, ..., granularity="day")

How it is built (read in this order):
- data/time_patterns.yaml   the pattern table: regular expressions, each naming a handler;
- time_handlers.py          one small function per handler, and the ReferenceTime (discourse
                            state: the publication date and what the story last talked about);
- time_direction.py         which way a date without a year points (tense, aspect, cue words);
- calendar_math.py          intervals, weeks, quarters, Easter, nth weekdays;
- this module               recognition (match, settle overlaps), the resolution loop that
                            moves the ReferenceTime, ranges, and dating the events.

Recognition is our own regular expressions over the raw text, with the parse used only to
check ambiguous words ("May", "Sunday Times"), to read the tense of the clause, and to attach
dates to events. spaCy DATE entities that no pattern explains are kept as unresolved
expressions (null interval), so nothing the model saw is lost.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable

from eventwire.calendar_math import Interval, shift_iv_years, year_iv
from eventwire.datafiles import kept_table
from eventwire.nlp import sentence_index, sentence_of, sentences, text_of
from eventwire.records import TimeExpr
from eventwire.syntax import governing_verb, verb_tense
from eventwire.time_direction import clause_time
from eventwire.time_handlers import HANDLERS, ONE_TIME_KINDS, Match, ReferenceTime, widen_quarter
from eventwire.time_vocab import holiday_table, pattern_table, words


# ---------------------------------------------------------------- the pattern table

def _alt(items: Iterable[str]) -> str:
    """A regex alternation of the words (a space stands for any run of white space), longest
    first so "june" wins over "jun". For matching only (the table is compiled ignoring case).

    Performance only: written as a tree of shared beginnings ("jun(?:e|)"), so that at each
    word of a text only the words beginning with its letters are tried, not each of a hundred
    holiday names in turn (the holiday row took a fifth of the table's time). The same matches:
    words that can both match at one place are each the beginning of the other, and on their
    path the longer is tried first, as in the flat alternation."""
    tree: dict = {}
    for word in sorted(items):        # the same text in every process (some lists are sets)
        node = tree
        for ch in word.lower():
            node = node.setdefault(ch, {})
        node[""] = {}                 # a word ends here
    return _tree_pattern(tree)


def _tree_pattern(node: dict) -> str:
    branches = [(r"\s+" if ch == " " else re.escape(ch)) + _tree_pattern(child)
                for ch, child in node.items() if ch]
    if "" in node and branches:
        branches.append("")           # the word ending here, tried after every longer one
    if len(branches) <= 1:
        return branches[0] if branches else ""
    return "(?:" + "|".join(branches) + ")"


UNITS_WORD = "one|two|three|four|five|six|seven|eight|nine"
TENS_WORD = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
TEENS_WORD = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
# "nineteen ninety-six", "nineteen oh five", "the year two thousand (and one)": broadcast
# transcripts spell years out.
SPELLED_YEAR = (rf"(?:(?:nineteen|eighteen)[\s-]+(?:(?:{TENS_WORD})(?:[\s-]+(?:{UNITS_WORD}))?|{TEENS_WORD}|hundred"
                rf"|o(?:h)?[\s-]+(?:{UNITS_WORD}))"
                rf"|two\s+thousand(?:(?:\s+and)?[\s-]+(?:{TEENS_WORD}|(?:{TENS_WORD})(?:[\s-]+(?:{UNITS_WORD}))?|{UNITS_WORD}))?)")


def _month_alternation(months: dict[str, int]) -> str:
    """Full month names, or abbreviations with an optional dot ("Sept.", "Sept"): the dot of
    "in August." ends the sentence and is no part of the date."""
    full = {max((k for k, v in months.items() if v == n), key=len) for n in set(months.values())}
    short = set(months) - full
    return rf"(?:(?:{_alt(full)})|(?:{_alt(short)})\.?)"


def macros() -> dict[str, str]:
    """The named pieces the pattern table writes as {NAME}."""
    w = words()
    hol = holiday_table()
    names = [n for h in hol["holidays"] for n in h["names"]]
    countries = [c for h in hol["holidays"] for c in h.get("country_words", [])]
    year4 = r"(?:1[0-9]\d\d|20\d\d)"
    return {
        "MON": _month_alternation(w["months"]),
        "WD": rf"(?:{_alt(w['weekdays'])})",
        "DAYNUM": r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?",
        "DAYWORD": rf"(?:{_alt(w['ordinals'])})",
        "YEAR4": year4,
        "YEARX": rf"(?:{year4}|{SPELLED_YEAR})",
        "NUM": (rf"(?:\d+|a\s+couple\s+of|(?:{TENS_WORD})(?:[\s-]+(?:{UNITS_WORD}))?|{TEENS_WORD}|{UNITS_WORD}"
                r"|a|an|(?:a\s+)?hundred)"),
        "UNIT": r"(?:days?|weeks?|months?|years?|decades?|century|centuries)",
        "QORD": r"(?:first|second|third|fourth|1st|2nd|3rd|4th)",
        "DECADE_WORDS": _alt(w["decade_words"]),
        "HOLIDAY": _alt(names).replace("'", "['’]"),
        "COUNTRY": _alt(countries).replace("'", "['’]"),
    }


def _core(rx: str, pieces: dict[str, str]) -> str:
    """A row's expression with its macros filled in, ending at a word's end."""
    body = re.sub(r"\{([A-Z][A-Z0-9_]*)\}", lambda m: pieces[m.group(1)], rx)
    return r"(?:" + body + r")(?![\w])"


def _compile(core: str, first: str | None) -> re.Pattern:
    # Performance only: the characters a match can begin with (`first`), checked before the
    # pattern's alternatives are tried one by one at every word start (a third of the
    # table's time).
    return re.compile(r"(?<![\w'])" + (f"(?={first})" if first else "") + core, re.I)


def _first_characters_of(cores: list[str]) -> list[str | None]:
    return [first_characters(core, re.I) for core in cores]


try:                                    # the regular expression parser (Python 3.11+, else older)
    from re import _constants as _sre, _parser as _sre_parse
except ImportError:                     # pragma: no cover
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_CATEGORIES = {_sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_NOT_DIGIT: r"\D", _sre.CATEGORY_SPACE: r"\s",
               _sre.CATEGORY_NOT_SPACE: r"\S", _sre.CATEGORY_WORD: r"\w", _sre.CATEGORY_NOT_WORD: r"\W"}
_REPEATS = tuple(op for op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)) if op)


class _Unknown(Exception):
    """A construct whose first characters `first_characters` does not work out."""


def first_characters(pattern: str, flags: int = 0) -> str | None:
    """A character class (`[...]`) holding every character a match of `pattern` can begin
    with, read from the parsed expression; compiled with the same flags, it accepts what the
    first step of the pattern would (case folding included). None when the pattern can match
    the empty string or uses a construct not worked out here (any character, a negated class,
    a backreference, local flags)."""
    found: set[str] = set()
    try:
        if _starts(_sre_parse.parse(pattern, flags).data, found):
            return None
    except _Unknown:
        return None
    return "[" + "".join(sorted(found)) + "]"


def _starts(items, found: set[str]) -> bool:
    """Adds to `found` the class items a match of the sequence `items` can begin with; True
    when the whole sequence can match the empty string (what follows may then begin it)."""
    for op, av in items:
        if op is _sre.LITERAL:
            found.add(f"\\U{av:08x}")
            return False
        if op is _sre.IN:
            for item, value in av:
                if item is _sre.LITERAL:
                    found.add(f"\\U{value:08x}")
                elif item is _sre.RANGE:
                    found.add(f"\\U{value[0]:08x}-\\U{value[1]:08x}")
                elif item is _sre.CATEGORY and value in _CATEGORIES:
                    found.add(_CATEGORIES[value])
                else:
                    raise _Unknown(item)
            return False
        if op is _sre.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise _Unknown("local flags")
            if not _starts(sub.data, found):
                return False
        elif op is _sre.BRANCH:
            empty = False
            for alternative in av[1]:
                empty = _starts(alternative.data, found) or empty
            if not empty:
                return False
        elif op in _REPEATS:
            least, _most, sub = av
            if not _starts(sub.data, found) and least > 0:
                return False
        elif op not in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):     # zero-width: look further
            raise _Unknown(op)
    return True


@lru_cache(maxsize=4)
def _patterns(data_ids: tuple[int, ...]) -> list[tuple[str, re.Pattern]]:
    pieces = macros()
    rows = pattern_table()
    unknown = {row["handler"] for row in rows} - set(HANDLERS)
    if unknown:
        raise ValueError(f"time_patterns.yaml names handlers that do not exist: {sorted(unknown)}")
    cores = [_core(row["regex"], pieces) for row in rows]
    # working out the first characters parses every expression once more (a third of the
    # table's compile time): kept between runs, named by the expressions themselves
    firsts = kept_table("time-first-characters", cores, lambda: _first_characters_of(cores))
    return [(row["handler"], _compile(core, first)) for row, core, first in zip(rows, cores, firsts)]


def patterns() -> list[tuple[str, re.Pattern]]:
    """(handler name, compiled regex) for every row of the pattern table, in table order."""
    # keyed by the loaded tables, so a user's own files (EVENTWIRE_TIME_PATTERNS, ...) recompile
    return _patterns((id(pattern_table()), id(words()), id(holiday_table())))


# A range written out around two dates: "between January 4 and February 7", "from March to May".
RANGE_OPEN = re.compile(r"(?:between|from)\s+$", re.I)
RANGE_JOIN = re.compile(r"^\s*(?:and|to|until|till|through|thru|-|–)\s*$", re.I)

# A date entity from spaCy is kept (unresolved) only if it names a stretch of time; ages,
# bare numbers and adjectives ("10-year", "annual") are not dates.
ENT_TIMEWORD = re.compile(r"\b(?:days?|weeks?|months?|years?|decades?|centur(?:y|ies)|recent(?:ly)?|now|ago|"
                          r"season|times|weekend|future|past|present|era|period|quarter|fortnight)\b", re.I)
ENT_JUNK = re.compile(r"\bold\b|^\W*\d{1,3}\W*$|^\d+-|\bof\s+age\b", re.I)


# ---------------------------------------------------------------- recognition

def find_matches(doc, text: str) -> list[Match]:
    """Every match of every row of the table, overlapping ones included."""
    found: list[Match] = []
    for prio, (kind, rx) in enumerate(patterns()):
        for m in rx.finditer(text):
            if m.end() > m.start():
                found.append(Match(kind, m.start(), m.end(), m, prio, doc=doc, text=text))
    # quarter cores grow to their modifiers before overlaps are settled, so that
    # "the year-ago third quarter" beats "year-ago"
    for mt in found:
        if mt.kind == "quarter" and mt.group("ord"):
            mt.start, mt.end, mt.info = widen_quarter(mt)
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


# ---------------------------------------------------------------- resolution

def resolve(mt: Match, ref: ReferenceTime) -> Interval | None:
    """Run the match's handler; words that only look like a date resolve to None."""
    s0, e0 = mt.start, mt.end
    try:
        return HANDLERS[mt.kind](mt, ref)
    except (ValueError, KeyError, OverflowError, AttributeError, TypeError):
        return None
    finally:
        mt.start, mt.end = s0, e0


# "the nine months", "the first six months": year-to-date figures, compared with the same
# months a year back, which TimeBank (and the reader) take as the year before.
YEAR_TO_DATE = re.compile(r"^(?:the\s+)?(?:first\s+|latest\s+)?(?:six|nine|6|9)\s+months$", re.I)

# "the quarter ended Sept. 30": figures for a period closing on that day.
PERIOD_END = re.compile(r"\b(?:ended|ending)\s+(?:on\s+)?$")


def move_reference(ref: ReferenceTime, mt: Match) -> None:
    """After a date is resolved, the story's reference time moves to it; a quarter or a
    year-to-date period becomes the period that "a year earlier" compares with."""
    iv = mt.iv
    ref.remember(iv, bool(mt.group("year")), comparison=mt.comparison, one_time=mt.kind in ONE_TIME_KINDS)
    if iv is not None and mt.group("year") and not mt.comparison and "fiscal" not in mt.group("pre"):
        ref.tell_year(iv.earliest.year, mt)
    if iv is not None and iv.granularity == "quarter":
        ref.period, ref.period_pos = ref.comparison_base(), mt.end
    elif iv is not None and iv.granularity == "day" and PERIOD_END.search(mt.before(12)):
        ref.period_end_day, ref.period_end_pos = iv, mt.start
    elif mt.kind == "span" and YEAR_TO_DATE.match(mt.text[mt.start:mt.end]):
        year = ref.period.earliest.year if ref.period is not None else ref.pub.year
        ref.period, ref.period_pos = year_iv(year), mt.end


def resolve_all(doc, text: str, pub: date) -> list[Match]:
    """Resolve the chosen matches in text order, one ReferenceTime moving along the story."""
    ref = ReferenceTime(pub)
    out: list[Match] = []
    for mt in _select(find_matches(doc, text)):
        if not _align(doc, mt):
            continue
        mt.iv = resolve(mt, ref)
        if mt.iv is None and mt.kind not in ("span",):
            continue                                       # not a date after all ("May I", "the fall of")
        move_reference(ref, mt)
        if mt.iv is None and not any(t.ent_type_ == "DATE" for t in doc[mt.i:mt.j]):
            continue                                       # "$5 a year": a rate, not a time
        out.append(mt)
    return out


def extract(doc, pub: date) -> list[TimeExpr]:
    """Every date expression in the doc, resolved against `pub`, in text order."""
    text = text_of(doc)          # Doc.text is rebuilt on every access: read it once
    out = resolve_all(doc, text, pub)

    # "between January 4 and February 7", "from March to May": one range over two dates
    ranges: list[Match] = []
    for a, b in zip(out, out[1:]):
        if not (a.iv and b.iv) or a.iv.granularity == "range" or b.iv.granularity == "range":
            continue
        if not RANGE_JOIN.match(text[a.end:b.start]):
            continue
        opener = RANGE_OPEN.search(text[max(0, a.start - 10):a.start])
        if not opener:
            continue
        if b.iv.latest < a.iv.earliest:
            read_ends_together(a, b)
        if b.iv.latest < a.iv.earliest:
            continue
        s = a.start - len(opener.group())
        r = Match("range", s, b.end, a.m, -1, Interval(a.iv.earliest, b.iv.latest, "range"), parts=(a, b),
                  doc=doc, text=text)
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
        mt = Match("ent", s, e, None, 99, None, ent.start, ent.end, doc=doc, text=text)
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


# How far a yearless name recurs: the same weekday a week on, the same month or day a year on.
RECURRING = {"weekday": "week", "mon": "year", "md": "year"}


def _recurs(mt: Match) -> str | None:
    """The cycle of a date named without its year ("Monday", "May", "March 3"), else None."""
    return RECURRING.get(mt.kind) if not mt.group("year") else None


def read_ends_together(a: Match, b: Match) -> None:
    """"from Monday through Wednesday", "between December and February": each end was
    resolved alone, and the end came out before the start. The two are one stretch: when the
    clause points ahead the end is the next one after the start, else the start is the last
    one before the end. Ends with a written year are left as they are."""
    ahead = a.direction() == "future" or b.direction() == "future"
    moving, sign = (b, 1) if ahead else (a, -1)
    cycle = _recurs(moving)
    if cycle is None:
        return
    iv = moving.iv
    for _ in range(2):
        if b.iv.latest >= a.iv.earliest:
            return
        iv = (Interval(iv.earliest + timedelta(days=7 * sign), iv.latest + timedelta(days=7 * sign), iv.granularity)
              if cycle == "week" else shift_iv_years(iv, sign))
        moving.iv = iv


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


@dataclass
class DatingContext:
    """What every dating step needs: the parse, the usable dates with their paths up to a
    verb, and the trigger tokens of all events (a date owned by one event dates no other)."""
    doc: object
    usable: list[TimeExpr]
    info: list[tuple[TimeExpr, list[int], int]]
    triggers: set[int]
    pub: date
    all_times: list[TimeExpr]            # unresolved ones too

    def direct(self, target: int) -> list[TimeExpr]:
        """Dates hanging from `target` with no other event in between: in "the airliner
        bombing and the November attacks", November dates the attacks, not the bombing."""
        out = []
        for t, path, gov in self.info:
            chain = path + [gov]
            if target in chain and not set(chain[:chain.index(target)]) & self.triggers:
                out.append(t)
        return out


def on_the_trigger(ctx: DatingContext, targets: list[int]) -> TimeExpr | None:
    """1. A date on the trigger itself, then on the anchor's clause."""
    for target in targets:
        c = ctx.direct(target)
        if c:
            return min(c, key=lambda t: abs(t.i - target))
    return None


def from_the_host_of_a_when_clause(ctx: DatingContext, targets: list[int]) -> TimeExpr | None:
    """2. "took a blow last week, when gunmen shot down ...": the when-clause takes its
    host's date."""
    doc = ctx.doc
    for target in targets:
        v = doc[target] if doc[target].pos_ in ("VERB", "AUX") else governing_verb(doc[target])
        if v.dep_ in ("advcl", "relcl", "acl") and any(c.lower_ in words()["when_conjunctions"] for c in v.children):
            host = v.head
            c = [t for t in ctx.usable if t.i <= host.i < t.j] or ctx.direct(host.i)
            if c:
                return c[0]
    return None


def from_a_governing_clause(ctx: DatingContext, targets: list[int]) -> TimeExpr | None:
    """3. The nearest clause above the event that has a date."""
    for anc in _ancestors(ctx.doc[targets[-1]]):
        c = ctx.direct(anc.i)
        if c:
            return min(c, key=lambda t: abs(t.i - anc.i))
    return None


def from_the_sentence(ctx: DatingContext, targets: list[int]) -> TimeExpr | None:
    """4. A date elsewhere in the sentence that no other event owns and no relative clause
    keeps to itself, the closest in the tree."""
    doc, trigger = ctx.doc, targets[0]
    sent = sentence_of(doc, trigger)
    cands = []
    for t, path, gov in ctx.info:
        if not (sent.start <= t.i < sent.end):
            continue
        owners = ({gov} | set(path)) & ctx.triggers
        if owners - set(targets) or _walled_off(doc, gov, targets):
            continue
        cands.append((_tree_distance(doc, t.i, trigger), t))
    return min(cands, key=lambda x: x[0])[1] if cands else None


def from_the_narrative(ctx: DatingContext, targets: list[int]) -> TimeExpr | None:
    """5. A past event told in a sentence without any time expression happened when the
    passage around it last said things happened."""
    doc, here = ctx.doc, sentence_index(ctx.doc, targets[0])
    for t in ctx.all_times:
        if t.i >= 0 and sentence_index(doc, t.i) == here and _times_clause_of(doc, t, targets[0]):
            return None                  # the event's clause has a time of its own ("for years")
    return narrative_date(doc, ctx.usable, targets[0], ctx.pub)


def _times_clause_of(doc, t: TimeExpr, trigger: int) -> bool:
    """Does the clause the time expression hangs off hold the trigger?"""
    _, gov = _time_info(doc, t)
    return any(tok.i == trigger for tok in doc[gov].subtree)


DATING_STEPS = (on_the_trigger, from_the_host_of_a_when_clause, from_a_governing_clause,
                from_the_sentence, from_the_narrative)


def date_events(doc, times: list[TimeExpr], pub: date) -> None:
    """Give every event the date of the first step that finds one, else the publication-date
    fallback (text null)."""
    events = doc._.events or []
    if not events:
        return
    # the ends of a range give way to the range; unresolved expressions date nothing
    usable = [t for t in times if t.earliest and t.i >= 0]
    inner = {(a.start, a.end) for r in usable if r.granularity == "range" for a in usable
             if a is not r and r.start <= a.start and a.end <= r.end}
    usable = [t for t in usable if (t.start, t.end) not in inner]
    ctx = DatingContext(doc, usable, [(t, *_time_info(doc, t)) for t in usable],
                        {e.trigger_i for e in events if e.trigger_i is not None and e.trigger_i >= 0}, pub,
                        times)
    for ev in events:
        if ev.trigger_i is None or not (0 <= ev.trigger_i < len(doc)):
            ev.date = fallback(pub)
            continue
        targets = [ev.trigger_i] + ([ev.anchor_i] if ev.anchor_i is not None and 0 <= ev.anchor_i < len(doc)
                                     and ev.anchor_i != ev.trigger_i else [])
        pick = None
        for step in DATING_STEPS:
            pick = step(ctx, targets)
            if pick is not None:
                break
        ev.date = pick or fallback(pub)


# Clauses that keep their dates to themselves: "the trade, which fell last year". An
# adverbial clause does not: "shortly after it took off in May" times the main clause.
SUBORDINATE_DEPS = {"relcl", "acl"}
# How many sentences back a passage's date still dates an undated past event.
NARRATIVE_REACH = 3


def _walled_off(doc, gov: int, targets: list[int]) -> bool:
    """Is the date's verb a subordinate clause that holds none of the event's tokens?"""
    verb = doc[gov]
    if verb.dep_ not in SUBORDINATE_DEPS or verb.pos_ not in ("VERB", "AUX"):
        return False
    inside = {t.i for t in verb.subtree}
    return not any(i in inside for i in targets)


def narrative_date(doc, usable: list[TimeExpr], trigger_i: int, pub: date) -> TimeExpr | None:
    """The last date of the few sentences before the event's, when the event's clause is in
    the past (or has no tense of its own) and that date is not ahead of publication.
    News tells a passage in order: "Inspectors returned on Friday. ... The visit went
    smoothly, the team said." dates the visit Friday."""
    verb = governing_verb(doc[trigger_i])
    if verb.pos_ in ("VERB", "AUX") and (verb_tense(verb) not in NARRATIVE_TENSES or clause_time(verb) is True):
        return None                      # "denies", "will meet", "plans to visit": not told as past
    here = sentence_index(doc, trigger_i)
    for t in sorted(usable, key=lambda t: -t.start):
        k = sentence_index(doc, t.i)
        if k >= here:
            continue
        if here - k > NARRATIVE_REACH or _thread_breaks(doc, k + 1, here):
            return None
        if _narrow(t) and t.latest <= pub.isoformat():
            return t
    return None


def _thread_breaks(doc, first: int, last: int) -> bool:
    """Does a sentence from `first` to `last` (indices) open with a word that leaves the
    passage's time ("Meanwhile", "Earlier", "In the past")?"""
    breaks = words()["narrative_breaks"]
    for k in range(first, last + 1):
        opening = " ".join(t.lower_ for t in sentences(doc)[k][:3])
        if any(opening.startswith(b) for b in breaks):
            return True
    return False


# Verb forms that tell a past narrative (None: a bare participle or gerund, "rejected by").
NARRATIVE_TENSES = {"past", "perfect", None}
# Dates precise enough to carry a narrative: a year or a decade ("in 1992", "the late
# 1970s") is a backdrop, not the time of the next thing told.
NARRATIVE_SPAN_DAYS = 62


def _narrow(t: TimeExpr) -> bool:
    return (date.fromisoformat(t.latest) - date.fromisoformat(t.earliest)).days <= NARRATIVE_SPAN_DAYS


# ---------------------------------------------------------------- the stage

def annotate(doc):
    pub = doc._.pub_date or date.today()
    times = extract(doc, pub)
    doc._.times = times
    date_events(doc, times, pub)
    return doc
