"""Every handler of the pattern table, each with a sentence where it fires and one where it
must not; the calendar arithmetic; the tense direction; the narrative date of events.

Sentences are our own. Publication date: Wednesday 2 December 2015 unless a test says so.
"""
from __future__ import annotations

from datetime import date

import pytest

from eventwire import calendar_math as cal
from eventwire import times
from eventwire.nlp import load_model
from eventwire.records import Event
from eventwire.syntax import governing_verb, verb_tense
from eventwire.time_handlers import HANDLERS
from eventwire.time_vocab import pattern_table

WED = date(2015, 12, 2)


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def exprs(nlp, text: str, pub: date = WED):
    doc = nlp(text)
    doc._.pub_date = pub
    doc._.events = None
    times.annotate(doc)
    return doc._.times


def got(nlp, text: str, needle: str, pub: date = WED):
    """(earliest, latest) of the first expression containing `needle`, None if none resolves."""
    for t in exprs(nlp, text, pub):
        if t.text and needle.lower() in t.text.lower() and t.earliest:
            return t.earliest, t.latest
    return None


def test_every_row_names_a_handler_and_every_handler_has_a_row():
    named = {row["handler"] for row in pattern_table()}
    assert named == set(HANDLERS)


# ---------------------------------------------------------------- one test per handler

FIRES = [
    # handler, sentence, needle, (earliest, latest), publication date
    ("md", "The accord was signed on March 3, 2011.", "March 3", ("2011-03-03", "2011-03-03"), WED),
    ("mdrange", "The summit ran Oct. 12-14 in Lima.", "Oct. 12", ("2015-10-12", "2015-10-14"), WED),
    ("my", "The mine closed in June 1984.", "June 1984", ("1984-06-01", "1984-06-30"), WED),
    ("mrel", "The border reopened in March last year.", "March last year", ("2014-03-01", "2014-03-31"), WED),
    ("mon", "The border reopened in March.", "March", ("2015-03-01", "2015-03-31"), WED),
    ("yrange", "He governed the province in 1971-78.", "1971-78", ("1971-01-01", "1978-12-31"), WED),
    ("decade", "The dam was planned in the 1960s.", "1960s", ("1960-01-01", "1969-12-31"), WED),
    ("reldecade", "Wages stagnated over the past decade.", "decade", ("2000-01-01", "2009-12-31"), WED),
    ("century", "The bridge is from the 14th century.", "14th century", ("1300-01-01", "1399-12-31"), WED),
    ("relcentury", "The fort fell early last century.", "last century", ("1900-01-01", "1999-12-31"), WED),
    ("year", "The port was expanded in 2009.", "2009", ("2009-01-01", "2009-12-31"), WED),
    ("quarter", "Exports fell in the second quarter of 2012.", "second quarter", ("2012-04-01", "2012-06-30"), WED),
    ("anaquarter", "Output rose in the third quarter. Costs grew in the year-earlier quarter.",
     "year-earlier quarter", ("2014-07-01", "2014-09-30"), WED),
    ("half", "Imports doubled in the first half of 2013.", "first half", ("2013-01-01", "2013-06-30"), WED),
    ("fiscalyear", "The ministry overspent in the last fiscal year.", "fiscal year", ("2014-01-01", "2014-12-31"), WED),
    ("rel", "The strike ended yesterday.", "yesterday", ("2015-12-01", "2015-12-01"), WED),
    ("weekday", "The strike ended on Monday.", "Monday", ("2015-11-30", "2015-11-30"), WED),
    ("relunit", "The strike ended last month.", "last month", ("2015-11-01", "2015-11-30"), WED),
    ("yearend", "The loan is due by the end of next year.", "end of next year", ("2016-09-01", "2016-12-31"), WED),
    ("ago", "The dam burst three weeks ago.", "three weeks ago", ("2015-11-09", "2015-11-15"), WED),
    ("then", "The rebels took the town on Oct. 4 and have held it since then.", "then",
     ("2015-10-04", "2015-10-04"), WED),
    ("span", "Prices have risen for the past two years.", "two years", ("2013-12-02", "2015-12-02"), WED),
    ("season", "The offensive stalled last winter.", "last winter", ("2014-12-01", "2015-02-28"), WED),
    ("holiday", "The market was shut on Christmas Eve.", "Christmas Eve", ("2014-12-24", "2014-12-24"), WED),
    ("nthday", "Today is the sixth day of the dock strike.", "sixth day", ("2015-12-02", "2015-12-02"), WED),
    ("recent", "Dozens have fled the valley in recent days.", "recent days", ("2015-11-25", "2015-12-02"), WED),
    ("weekend", "Riot police cleared the square over the weekend.", "weekend", ("2015-11-28", "2015-11-29"), WED),
    ("dom", "Ballots were counted on Nov. 24, and the result came on the 26th.", "26th",
     ("2015-11-26", "2015-11-26"), WED),
    ("weekday_of_week", "The ferry sank on Tuesday last week.", "Tuesday", ("2015-11-24", "2015-11-24"), WED),
]


@pytest.mark.parametrize("handler,text,needle,want,pub", FIRES, ids=[f[0] for f in FIRES])
def test_handler_fires(nlp, handler, text, needle, want, pub):
    assert got(nlp, text, needle, pub) == want


def test_every_handler_is_tested_firing():
    assert {f[0] for f in FIRES} == set(HANDLERS)


NOT_DATES = [
    # handler, sentence, words that look like its form but must not resolve to a date
    ("md", "Route 66 runs west.", "66"),
    ("mdrange", "Pages 12-14 of the report were blank.", "12-14"),
    ("my", "The plant makes 1984 cars a day.", "1984"),
    ("mrel", "He may this year reconsider.", "may"),
    ("mon", "Troops may march on the capital.", "may"),
    ("yrange", "The vote was 1971-1200 in favour.", "1971"),
    ("decade", "She is in her 60s.", "60s"),
    ("reldecade", "It was the worst decade for farmers.", "decade"),
    ("century", "He scored a century for the club.", "century"),
    ("relcentury", "It was a century-old feud.", "century"),
    ("year", "The firm paid $2010 in fees.", "2010"),
    ("quarter", "A quarter of the voters stayed home.", "quarter"),
    ("anaquarter", "The period of mourning ended.", "period"),
    ("half", "The second half of the match was dull.", "half"),
    ("fiscalyear", "Fiscal discipline was the year's theme.", "fiscal"),
    ("rel", "Today's youth vote less.", "youth"),
    ("weekday", "The Sunday Times ran the story.", "Sunday"),
    ("relunit", "He was paid $5 a year.", "a year"),
    ("yearend", "Year-ending ceremonies were cancelled.", "ceremonies"),
    ("ago", "The ago principle is unknown.", "ago"),
    ("then", "Then the army moved in.", "Then"),
    ("span", "The 40-year-old was arrested.", "40-year"),
    ("season", "The fall of the city shocked the region.", "fall"),
    ("holiday", "An easter wind blew the sails.", "easter"),
    ("nthday", "The first day of the trial was calm.", "first day"),
    ("recent", "Recent polls show a tie.", "polls"),
    ("weekend", "A weekend bazaar filled the square.", "weekend"),
    ("dom", "The clinic is on the 4th floor of the tower.", "4th"),
    ("weekday_of_week", "Friday that week was calm.", "Friday"),    # which week? no day told before
]


@pytest.mark.parametrize("handler,text,needle", NOT_DATES, ids=[n[0] for n in NOT_DATES])
def test_handler_does_not_fire(nlp, handler, text, needle):
    assert got(nlp, text, needle) is None


def test_every_handler_is_tested_not_firing():
    assert {n[0] for n in NOT_DATES} == set(HANDLERS)


# ---------------------------------------------------------------- direction from tense

@pytest.mark.parametrize("text,needle,want", [
    ("The envoys will meet on Thursday.", "Thursday", "2015-12-03"),
    ("The envoys met on Thursday.", "Thursday", "2015-11-26"),
    ("The vote is scheduled for Oct. 3.", "Oct. 3", "2016-10-03"),
    ("The vote was held on Oct. 3.", "Oct. 3", "2015-10-03"),
    ("The party plans to elect a leader in March.", "March", "2016-03-01"),
    ("The party elected a leader in March.", "March", "2015-03-01"),
    ("Turnout has fallen through Nov. 20, the board said.", "Nov. 20", "2015-11-20"),
])
def test_direction_follows_the_governing_verb(nlp, text, needle, want):
    assert got(nlp, text, needle)[0] == want


def test_a_date_naming_a_noun_takes_the_nearer_year(nlp):
    # no tense speaks for "December auction": the one a few days ahead, not a year back
    assert got(nlp, "Traders prepared for the December auction.", "December", pub=date(2015, 11, 28)) == \
        ("2015-12-01", "2015-12-31")
    assert got(nlp, "Traders recalled the June auction.", "June", pub=date(2015, 11, 28)) == \
        ("2015-06-01", "2015-06-30")


@pytest.mark.parametrize("text,word,tense", [
    ("The army will withdraw.", "withdraw", "future"),
    ("The army has withdrawn.", "withdrawn", "perfect"),
    ("The army withdrew.", "withdrew", "past"),
    ("The army plans to withdraw.", "withdraw", "infinitive"),
    ("The army is withdrawing.", "withdrawing", "progressive"),
    ("The minister says the army is ready.", "says", "present"),
])
def test_verb_tense(nlp, text, word, tense):
    doc = nlp(text)
    assert verb_tense(next(t for t in doc if t.text == word)) == tense


def test_governing_verb_walks_up_through_prepositions(nlp):
    doc = nlp("The talks ended on Friday.")
    friday = next(t for t in doc if t.text == "Friday")
    assert governing_verb(friday).text == "ended"


# ---------------------------------------------------------------- holidays

@pytest.mark.parametrize("text,needle,want", [
    ("Shops will close for Easter.", "Easter", ("2016-03-27", "2016-03-27")),
    ("Shops closed for Easter.", "Easter", ("2015-04-05", "2015-04-05")),
    ("Pilgrims gathered during Ramadan.", "Ramadan", ("2015-06-18", "2015-07-16")),
    ("Crowds marched on Labor Day.", "Labor Day", ("2015-09-07", "2015-09-07")),
    ("Crowds marched on Mexico's Independence Day.", "Independence Day", ("2015-09-16", "2015-09-16")),
    ("Crowds marched on Independence Day.", "Independence Day", ("2015-07-04", "2015-07-04")),
    ("Fireworks lit the sky on New Year's Eve 1999.", "New Year's Eve", ("1999-12-31", "1999-12-31")),
])
def test_holidays(nlp, text, needle, want):
    assert got(nlp, text, needle) == want


# ---------------------------------------------------------------- comparisons in earnings news

def test_year_to_date_figures_compare_with_the_year_before(nlp):
    text = ("Profit rose in the third quarter. For the nine months, the bank earned $4 million, "
            "up from $3 million a year earlier.")
    assert got(nlp, text, "a year earlier", pub=date(1989, 11, 2)) == ("1988-01-01", "1988-12-31")


def test_last_year_compared_with_the_quarter(nlp):
    text = "In the third quarter the miner earned $9 million, compared with $7 million last year."
    assert got(nlp, text, "last year", pub=date(1989, 11, 2)) == ("1988-07-01", "1988-09-30")
    assert got(nlp, "The miner earned $7 million last year.", "last year", pub=date(1989, 11, 2)) == \
        ("1988-01-01", "1988-12-31")


def test_period_ended_on_a_day_compares_with_that_day(nlp):
    text = "For the quarter ended Aug. 31, the chain earned $2 million, up from $1 million a year earlier."
    assert got(nlp, text, "a year earlier", pub=date(1989, 10, 20)) == ("1988-08-31", "1988-08-31")


def test_two_decades_ago_is_a_year(nlp):
    assert got(nlp, "The mine opened two decades ago.", "two decades ago") == ("1995-01-01", "1995-12-31")


# ---------------------------------------------------------------- events: narrative and clauses

def date_of(nlp, text: str, word: str, pub: date = WED):
    doc = nlp(text)
    doc._.pub_date = pub
    tok = next(t for t in doc if t.text == word)
    ev = Event(type="CONSULT", trigger_i=tok.i, trigger_start=tok.idx, trigger_end=tok.idx + len(tok),
               trigger_text=tok.text)
    doc._.events = [ev]
    times.annotate(doc)
    return ev.date


def test_undated_past_event_takes_the_narrative_date(nlp):
    d = date_of(nlp, "Mediators arrived in Juba on Monday. They met both commanders, aides said.", "met")
    assert (d.text, d.earliest) == ("Monday", "2015-11-30")


def test_present_or_future_event_takes_no_narrative_date(nlp):
    d = date_of(nlp, "Mediators arrived in Juba on Monday. They will meet both commanders.", "meet")
    assert d.text is None and d.earliest == "2015-12-02"
    d = date_of(nlp, "Mediators arrived in Juba on Monday. The government denies any talks.", "denies")
    assert d.text is None


def test_narrative_date_reaches_only_a_few_sentences_back(nlp):
    text = ("Mediators arrived in Juba on Monday. The city was calm. Shops were open. Buses ran. "
            "Schools reopened. They met both commanders.")
    assert date_of(nlp, text, "met").text is None


def test_a_year_is_no_narrative_date(nlp):
    d = date_of(nlp, "The republic was founded in 1991. Its first leaders met in the capital.", "met")
    assert d.text is None


def test_date_in_a_relative_clause_dates_only_that_clause(nlp):
    d = date_of(nlp, "The envoy praised the pact, which critics attacked last year.", "praised")
    assert d.text is None


def test_date_of_a_temporal_clause_dates_the_main_clause(nlp):
    d = date_of(nlp, "Gunmen seized the ship shortly after it left port in mid-August.", "seized")
    assert d.text == "mid-August"


# ---------------------------------------------------------------- calendar arithmetic

def test_easter_and_nth_weekday():
    assert cal.easter(2015) == date(2015, 4, 5)
    assert cal.easter(1998) == date(1998, 4, 12)
    assert cal.easter(2024) == date(2024, 3, 31)
    assert cal.nth_weekday(2015, 9, 0, 1) == date(2015, 9, 7)       # Labor Day
    assert cal.nth_weekday(2015, 5, 0, -1) == date(2015, 5, 25)     # Memorial Day
    assert cal.nth_weekday(2015, 11, 3, 4) == date(2015, 11, 26)    # Thanksgiving


def test_holiday_rules():
    tables = {"fast": {2015: ["12-20", "01-18"]}}
    assert cal.holiday_in({"date": "07-14"}, 2015, {}).earliest == date(2015, 7, 14)
    assert cal.holiday_in({"easter": -2}, 2015, {}).earliest == date(2015, 4, 3)
    assert cal.holiday_in({"nth_weekday": [11, "monday", 1], "offset": 1}, 2016, {}).earliest == date(2016, 11, 8)
    run = cal.holiday_in({"table": "fast"}, 2015, tables)
    assert (run.earliest, run.latest) == (date(2015, 12, 20), date(2016, 1, 18))
    assert cal.holiday_in({"table": "fast"}, 2016, tables) is None


def test_nearest_occurrence():
    pub = date(2015, 12, 2)
    ivs = [cal.month_iv(y, 3) for y in (2014, 2015, 2016)]
    assert cal.nearest_occurrence(ivs, pub, "past").earliest == date(2015, 3, 1)
    assert cal.nearest_occurrence(ivs, pub, "future").earliest == date(2016, 3, 1)
    assert cal.nearest_occurrence(ivs, pub, None).earliest == date(2016, 3, 1)   # 3 months ahead, 9 back
    june = [cal.month_iv(y, 6) for y in (2014, 2015, 2016)]
    assert cal.nearest_occurrence(june, pub, None).earliest == date(2015, 6, 1)  # about as far: the past
    jan = [cal.month_iv(y, 1) for y in (2014, 2015, 2016)]
    assert cal.nearest_occurrence(jan, pub, None).earliest == date(2016, 1, 1)   # a month ahead


def test_shift_by():
    assert cal.shift_by(date(2015, 12, 2), "month", -1).earliest == date(2015, 11, 1)
    assert cal.shift_by(date(2015, 12, 2), "week", 1).earliest == date(2015, 12, 7)
    assert cal.shift_by(date(2015, 12, 2), "century", 1) is None


# ---------------------------------------------------------------- narrative reference time

def test_an_explicit_year_sets_the_scene_for_its_paragraph(nlp):
    # the scene goes on to the end of the paragraph (tests/test_time_narrative.py), not beyond
    text = "In 1994, the militia took the airport in April.\nThe airport reopened in April."
    ts = [t for t in exprs(nlp, text) if t.text == "April"]
    assert (ts[0].earliest, ts[1].earliest) == ("1994-04-01", "2015-04-01")


def test_a_year_inside_a_clause_does_not_set_the_scene(nlp):
    text = "Under a treaty signed in 1994, the navy patrolled the strait in April."
    assert got(nlp, text, "April") == ("2015-04-01", "2015-04-30")


def test_that_month_and_that_season_are_in_the_year_being_told(nlp):
    text = "The uprising began in 1994. That May the army withdrew, and that winter it returned."
    assert got(nlp, text, "That May") == ("1994-05-01", "1994-05-31")
    assert got(nlp, text, "that winter") == ("1993-12-01", "1994-02-28")


def test_that_day_and_the_next_day_follow_the_last_day_named(nlp):
    text = "Rebels shelled the town on Oct. 4. The next day they withdrew. That day was cold."
    assert got(nlp, text, "next day") == ("2015-10-05", "2015-10-05")
    assert got(nlp, text, "That day") == ("2015-10-05", "2015-10-05")     # the day just told
    text = "Rebels shelled the town on Oct. 4. Aid arrived the same day."
    assert got(nlp, text, "the same day") == ("2015-10-04", "2015-10-04")


# ---------------------------------------------------------------- ranges and lists

@pytest.mark.parametrize("text,needle,want", [
    ("Talks ran between March and May.", "between March and May", ("2015-03-01", "2015-05-31")),
    ("Talks ran from Monday through Wednesday.", "from Monday through Wednesday", ("2015-11-30", "2015-12-02")),
    ("The drought of 2011-2013 ruined farmers.", "2011-2013", ("2011-01-01", "2013-12-31")),
    ("The 1998-99 season was cancelled.", "1998-99", ("1998-01-01", "1999-12-31")),
])
def test_ranges(nlp, text, needle, want):
    assert got(nlp, text, needle) == want


def test_a_list_of_days_gives_each_its_date(nlp):
    ts = exprs(nlp, "Protesters marched on Monday and Tuesday.")
    assert [(t.text, t.earliest) for t in ts] == [("Monday", "2015-11-30"), ("Tuesday", "2015-12-01")]


def test_seasons_follow_the_clause(nlp):
    assert got(nlp, "The rebels will regroup in the spring.", "the spring") == ("2016-03-01", "2016-05-31")
    assert got(nlp, "The rebels regrouped in the spring.", "the spring") == ("2015-03-01", "2015-05-31")


def test_a_thread_break_stops_the_narrative_date(nlp):
    d = date_of(nlp, "Mediators arrived in Juba on Monday. Meanwhile, troops shelled the border.", "shelled")
    assert d.text is None
    d = date_of(nlp, "Mediators arrived in Juba on Monday. Later, troops shelled the border.", "shelled")
    assert d.text == "Monday"


def test_an_earlier_quarter_named_in_passing_does_not_replace_the_reported_one(nlp):
    text = ("The brewer's third-quarter profit rose 12%. After a weak second quarter, demand "
            "recovered. Costs were lower than a year ago, and margins in the 1989 period widened.")
    pub = date(1989, 11, 1)
    assert got(nlp, text, "a year ago", pub) == ("1988-07-01", "1988-09-30")
    assert got(nlp, text, "the 1989 period", pub) == ("1989-07-01", "1989-09-30")


@pytest.mark.parametrize("text,want", [
    ("The minister is to visit Lagos on Friday.", "2015-12-04"),
    ("The minister is scheduled to visit Lagos on Friday.", "2015-12-04"),
    ("The minister plans to visit Lagos on Friday.", "2015-12-04"),
    ("The minister would visit Lagos on Friday, aides said.", "2015-12-04"),
    ("The minister visited Lagos on Friday.", "2015-11-27"),
    ("The minister has visited Lagos on Friday.", "2015-11-27"),
    ("The minister says Lagos was calm on Friday.", "2015-11-27"),
])
def test_weekday_direction_from_modals_and_governors(nlp, text, want):
    assert got(nlp, text, "Friday")[0] == want


def test_a_users_holiday_file_adds_named_days(nlp, tmp_path, monkeypatch):
    extra = tmp_path / "days.yaml"
    extra.write_text("holidays:\n  - names: [harvest festival]\n    date: 09-21\n", encoding="utf-8")
    monkeypatch.setenv("EVENTWIRE_HOLIDAYS", str(extra))
    assert got(nlp, "Villagers danced at the Harvest Festival.", "Harvest Festival") == \
        ("2015-09-21", "2015-09-21")
    monkeypatch.delenv("EVENTWIRE_HOLIDAYS")
    assert got(nlp, "Villagers danced at the Harvest Festival.", "Harvest Festival") is None


def test_a_sentence_with_its_own_time_takes_no_narrative_date(nlp):
    d = date_of(nlp, "Mediators arrived in Juba on Monday. Since 2013, rebels have fought the army.", "fought")
    assert d.text != "Monday"
    d = date_of(nlp, "Mediators arrived in Juba on Monday. Rebels have fought the army for years.", "fought")
    assert d.text != "Monday"
    # a time inside another clause does not count: "who ruled for years" is not the meeting's
    d = date_of(nlp, "Mediators arrived in Juba on Monday. They met a chief who ruled for years.", "met")
    assert d.text == "Monday"
