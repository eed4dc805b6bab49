"""Times stage: recognition, normalisation against the publication date, event dating.

Every test parses real sentences with the project's spaCy model (the tense and attachment
rules read the parse) and runs only the times stage on them.
"""
from __future__ import annotations

import re
from datetime import date

import pytest

from eventwire import calendar_math as cal
from eventwire import times
from eventwire.nlp import load_model
from eventwire.records import Event, TimeExpr

from conftest import SEED_STORY

WED = date(2015, 12, 2)      # the seed story's publication date, a Wednesday


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def run(nlp, text: str, pub: date = WED, events: list[Event] | None = None):
    doc = nlp(text)
    doc._.pub_date = pub
    doc._.events = events
    times.annotate(doc)
    return doc


def find(doc, needle: str) -> TimeExpr:
    hits = [t for t in doc._.times if t.text and needle.lower() in t.text.lower()]
    assert hits, f"{needle!r} not found in {[t.text for t in doc._.times]}"
    return hits[0]


def span(nlp, text: str, needle: str, pub: date = WED) -> tuple[str | None, str | None, str | None]:
    t = find(run(nlp, text, pub), needle)
    return t.earliest, t.latest, t.granularity


def event_at(doc, word: str, anchor: str | None = None, nominal: bool = False) -> Event:
    tok = next(t for t in doc if t.text == word)
    anchor_i = next(t.i for t in doc if t.text == anchor) if anchor else -1
    return Event(type="ASSAULT", trigger_i=tok.i, trigger_start=tok.idx, trigger_end=tok.idx + len(tok),
                 trigger_text=tok.text, nominal=nominal, anchor_i=anchor_i)


def dated(nlp, text: str, word: str, anchor: str | None = None, nominal: bool = False, pub: date = WED):
    doc = nlp(text)
    doc._.pub_date = pub
    ev = event_at(doc, word, anchor, nominal)
    doc._.events = [ev]
    times.annotate(doc)
    return ev.date


# ---------------------------------------------------------------- the records themselves

def test_offsets_and_tokens_match_the_text(nlp):
    text = "Talks resumed on Sept. 30 and again last week in Vienna."
    doc = run(nlp, text)
    assert [t.text for t in doc._.times] == ["Sept. 30", "last week"]
    for t in doc._.times:
        assert text[t.start:t.end] == t.text
        assert doc[t.i:t.j].start_char == t.start and doc[t.i:t.j].end_char == t.end


def test_no_events_is_fine(nlp):
    doc = run(nlp, "Nothing happened yesterday.", events=None)
    assert find(doc, "yesterday").earliest == "2015-12-01"


# ---------------------------------------------------------------- absolute dates

@pytest.mark.parametrize("text,needle,expected", [
    ("Russia on Sept. 30 launched airstrikes.", "Sept. 30", ("2015-09-30", "2015-09-30", "day")),
    ("The treaty was signed on December 2, 2015.", "December 2, 2015", ("2015-12-02", "2015-12-02", "day")),
    ("The law passed on 14 March 2011.", "14 March 2011", ("2011-03-14", "2011-03-14", "day")),
    ("The plant opened in August 1988.", "August 1988", ("1988-08-01", "1988-08-31", "month")),
    ("Elections were held in 1990.", "1990", ("1990-01-01", "1990-12-31", "year")),
    ("In fiscal 1989, the company lost money.", "fiscal 1989", ("1989-01-01", "1989-12-31", "year")),
    ("The war began in nineteen ninety-one.", "nineteen ninety-one", ("1991-01-01", "1991-12-31", "year")),
    ("Unrest grew in the 1990s.", "1990s", ("1990-01-01", "1999-12-31", "decade")),
    ("The castle dates from the 11th century.", "11th century", ("1000-01-01", "1099-12-31", "century")),
])
def test_absolute(nlp, text, needle, expected):
    assert span(nlp, text, needle) == expected


def test_month_day_without_year_is_the_latest_one_not_after_publication(nlp):
    assert span(nlp, "The ceasefire collapsed on Dec. 20.", "Dec. 20")[0] == "2014-12-20"
    assert span(nlp, "The ceasefire collapsed on Nov. 20.", "Nov. 20")[0] == "2015-11-20"


def test_month_day_in_a_future_clause_looks_ahead(nlp):
    assert span(nlp, "The envoy will return on Dec. 20.", "Dec. 20")[0] == "2015-12-20"
    assert span(nlp, "The dividend is payable Jan. 2 to holders.", "Jan. 2")[0] == "2016-01-02"


def test_bare_month(nlp):
    assert span(nlp, "The November attacks shocked Paris.", "November") == ("2015-11-01", "2015-11-30", "month")
    assert span(nlp, "Fighting flared in February.", "February")[0] == "2015-02-01"
    assert span(nlp, "Voting will take place in February.", "February")[0] == "2016-02-01"


def test_may_the_modal_is_not_a_month(nlp):
    doc = run(nlp, "Officials said sanctions may be lifted soon.")
    assert not any(t.text == "may" for t in doc._.times)


def test_a_count_is_not_a_year(nlp):
    doc = run(nlp, "The army sent 1500 soldiers and spent $2000.")
    assert doc._.times == []


def test_weekday_in_a_written_date_settles_the_year(nlp):
    assert span(nlp, "The daily argued in its leader column of Saturday, April 25 that the plan was flawed.",
                "April 25", pub=date(1998, 4, 24))[0] == "1998-04-25"


# ---------------------------------------------------------------- relative dates

@pytest.mark.parametrize("text,needle,expected", [
    ("Protesters gathered today.", "today", ("2015-12-02", "2015-12-02", "day")),
    ("Protesters gathered yesterday.", "yesterday", ("2015-12-01", "2015-12-01", "day")),
    ("Protesters will gather tomorrow.", "tomorrow", ("2015-12-03", "2015-12-03", "day")),
    ("Turkey shot down a jet last week.", "last week", ("2015-11-23", "2015-11-29", "week")),
    ("Talks continued this week.", "this week", ("2015-11-30", "2015-12-06", "week")),
    ("Prices fell last month.", "last month", ("2015-11-01", "2015-11-30", "month")),
    ("Exports rose this year.", "this year", ("2015-01-01", "2015-12-31", "year")),
    ("Exports rose last year.", "last year", ("2014-01-01", "2014-12-31", "year")),
    ("Exports rose in the past year.", "the past year", ("2014-01-01", "2014-12-31", "year")),
    ("The raid happened three days ago.", "three days ago", ("2015-11-29", "2015-11-29", "day")),
    ("The raid happened two months ago.", "two months ago", ("2015-10-01", "2015-10-31", "month")),
    ("The raid happened five years ago.", "five years ago", ("2010-01-01", "2010-12-31", "year")),
    ("The airliner crashed in mid-October.", "mid-October", ("2015-10-11", "2015-10-20", "range")),
    ("The airliner crashed in early October.", "early October", ("2015-10-01", "2015-10-10", "range")),
    ("The airliner crashed in late October.", "late October", ("2015-10-21", "2015-10-31", "range")),
    ("The offensive began last summer.", "last summer", ("2015-06-01", "2015-08-31", "range")),
    ("Growth slowed in the third quarter.", "third quarter", ("2015-07-01", "2015-09-30", "quarter")),
    ("Growth slowed in the fourth quarter of 1997.", "fourth quarter of 1997", ("1997-10-01", "1997-12-31", "quarter")),
    ("The ban lasted between January 4 and February 7.", "between January 4 and February 7",
     ("2015-01-04", "2015-02-07", "range")),
])
def test_relative(nlp, text, needle, expected):
    assert span(nlp, text, needle) == expected


def test_range_keeps_its_two_ends(nlp):
    doc = run(nlp, "The ban lasted between January 4 and February 7.")
    assert [t.text for t in doc._.times] == ["January 4", "February 7", "between January 4 and February 7"]


def test_for_two_decades_is_a_range_ending_at_publication(nlp):
    e, l, g = span(nlp, "The region has been hit by insurgencies for two decades.", "two decades")
    assert (e, l, g) == ("1995-12-02", "2015-12-02", "range")


def test_unresolvable_expressions_may_stay_open(nlp):
    doc = run(nlp, "The group has grown in recent years.")
    assert all(t.earliest is None for t in doc._.times)


# ---------------------------------------------------------------- weekdays

def test_weekday_of_the_publication_day_is_that_day(nlp):
    assert span(nlp, "The group on Wednesday released a video.", "Wednesday")[0] == "2015-12-02"


def test_past_weekday_is_the_latest_one_before(nlp):
    assert span(nlp, "The minister resigned on Friday.", "Friday")[0] == "2015-11-27"
    assert span(nlp, "The minister resigned last Monday.", "Monday")[0] == "2015-11-30"


def test_future_weekday_is_the_next_one(nlp):
    assert span(nlp, "The ministers will meet on Friday.", "Friday")[0] == "2015-12-04"
    assert span(nlp, "The talks are set to resume Monday.", "Monday")[0] == "2015-12-07"


def test_reported_speech_in_the_present_is_not_future(nlp):
    assert span(nlp, "The ministry says Monday that the border is closed.", "Monday")[0] == "2015-11-30"


def test_newspaper_name_is_not_a_weekday(nlp):
    doc = run(nlp, "The Sunday Times reported the deal.")
    assert not doc._.times


# ---------------------------------------------------------------- anaphora in financial news

def test_year_ago_compares_with_the_story_quarter(nlp):
    doc = run(nlp, "The bank posted a third-quarter loss of $5 million, compared with a profit of "
                   "$2 million a year earlier.", pub=date(1989, 11, 2))
    assert find(doc, "third-quarter").earliest == "1989-07-01"
    assert (find(doc, "a year earlier").earliest, find(doc, "a year earlier").latest) == ("1988-07-01", "1988-09-30")


def test_the_quarter_is_the_last_quarter_named(nlp):
    doc = run(nlp, "Revenue rose in the second quarter. Costs fell during the quarter.", pub=date(1989, 11, 2))
    assert find(doc, "the quarter").earliest == "1989-04-01"


def test_the_latest_quarter_without_context_is_the_last_completed(nlp):
    assert span(nlp, "Sales fell in the latest quarter.", "latest quarter", pub=date(1989, 11, 2))[:2] == \
        ("1989-07-01", "1989-09-30")


def test_a_year_ago_without_a_quarter_is_last_year(nlp):
    assert span(nlp, "The rebels held the town a year ago.", "a year ago")[:2] == ("2014-01-01", "2014-12-31")


# ---------------------------------------------------------------- dating events

def test_event_gets_date_in_its_own_clause(nlp):
    d = dated(nlp, "Chile on Sept. 30 opened talks with Peru.", "opened")
    assert (d.text, d.earliest) == ("Sept. 30", "2015-09-30")


def test_when_clause_takes_the_date_of_its_host(nlp):
    d = dated(nlp, "The ceasefire suffered a setback last week, when gunmen ambushed a "
                   "police patrol.", "ambushed")
    assert (d.text, d.earliest, d.latest) == ("last week", "2015-11-23", "2015-11-29")


def test_nominal_event_with_date_modifier(nlp):
    d = dated(nlp, "After the November bomb attacks in Lagos, the cabinet has vowed a tougher line.",
              "attacks", anchor="vowed", nominal=True)
    assert (d.text, d.earliest, d.latest) == ("November", "2015-11-01", "2015-11-30")


def test_date_of_the_governing_clause(nlp):
    d = dated(nlp, "Russia on Sept. 30 launched airstrikes that targeted rebel groups.", "targeted")
    assert d.text == "Sept. 30"


def test_date_of_another_events_clause_is_not_taken(nlp):
    text = "Rebels, who were arrested in 1990, attacked the convoy."
    doc = nlp(text)
    doc._.pub_date = WED
    arrested, attacked = event_at(doc, "arrested"), event_at(doc, "attacked")
    doc._.events = [arrested, attacked]
    times.annotate(doc)
    assert arrested.date.text == "1990"
    assert attacked.date.text is None and attacked.date.earliest == "2015-12-02"


def test_fallback_is_the_publication_date(nlp):
    d = dated(nlp, "Russia hotly denies any airspace violation.", "denies")
    assert (d.text, d.start, d.end, d.earliest, d.latest, d.granularity) == \
        (None, None, None, "2015-12-02", "2015-12-02", "day")


def test_seed_story_dates(nlp):
    seed = SEED_STORY
    if not seed.exists():
        pytest.skip("evaluation data not present")
    doc = run(nlp, seed.read_text(encoding="utf-8"))
    got = {t.text: (t.earliest, t.latest) for t in doc._.times}
    assert got["Sept. 30"] == ("2015-09-30", "2015-09-30")
    assert got["mid-October"] == ("2015-10-11", "2015-10-20")
    assert got["last week"] == ("2015-11-23", "2015-11-29")
    assert got["November"] == ("2015-11-01", "2015-11-30")
    assert got["two decades"][1] == "2015-12-02"
    assert "20s" not in " ".join(got)      # "his late 20s" is an age


# ---------------------------------------------------------------- pure helpers

def test_calendar_helpers():
    assert cal.week_iv(date(2015, 12, 2)).earliest == date(2015, 11, 30)
    assert cal.part_of(cal.month_iv(2015, 2), "late").latest == date(2015, 2, 28)
    assert cal.parse_year("nineteen ninety-six") == 1996
    assert cal.parse_year("two thousand and one") == 2001
    assert cal.parse_number("twenty-four") == 24
    assert cal.shift_iv_years(cal.quarter_iv(1989, 3), -1).earliest == date(1988, 7, 1)


def test_first_characters_of_a_pattern():
    from eventwire.times import first_characters
    rx = first_characters(r"(?:the\s+)?(?:jan|feb)\.?\s+\d+", re.I)
    assert rx is not None
    assert all(re.match(rx, w, re.I) for w in ("the", "Jan", "FEB", "tHe"))
    assert not any(re.match(rx, w, re.I) for w in ("march", "1", " "))
    # a pattern that can match nothing, or begins with any character, has no such class
    assert first_characters(r"(?:x)?y*") is None
    assert first_characters(r".x") is None
    assert first_characters(r"[^a]x") is None


def test_table_matches_same_with_first_character_check():
    """times._compile puts the first-character check in front of each pattern of the table:
    every pattern finds the same matches as without it."""
    from eventwire.times import patterns
    text = ("On Tuesday, March 3rd, 2019, and again late last May, the council met; "
            "two weeks ago, in the 1990s, during Ramadan, the third quarter of fiscal 2021, "
            "between Jan. 4 and Feb. 7, mid-2010, the 19th century, that winter, 12/04/2020, "
            "some years ago, this past weekend, the week before, the previous decade, Q3 2022.")
    for kind, rx in patterns():
        plain = re.compile(re.sub(r"^\(\?<!\[\\w'\]\)\(\?=\[[^\]]*\]\)", r"(?<![\\w'])", rx.pattern), rx.flags)
        assert plain.pattern != rx.pattern or "(?=" not in rx.pattern[:12]
        assert [m.span() for m in rx.finditer(text)] == [m.span() for m in plain.finditer(text)], kind


def test_word_alternation_tries_the_longest_word_first():
    from eventwire.times import _alt
    rx = re.compile(rf"(?:{_alt(['jun', 'june', 'july', 'Labour Day', 'labour'])})", re.I)
    assert rx.match("June 3").group() == "June"
    assert rx.match("jun. 3").group() == "jun"
    assert rx.match("labour  day rally").group() == "labour  day"
    assert rx.match("Labour Party").group() == "Labour"
    assert rx.match("jubilee") is None
    # what follows the words can make a shorter one the match, as in a flat alternation
    followed = re.compile(rf"(?:{_alt(['june', 'jun'])})\.", re.I)
    assert followed.match("Jun. 3").group() == "Jun."
