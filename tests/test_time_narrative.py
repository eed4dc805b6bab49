"""The narrative reference time: what relative and anaphoric expressions count from as a
story moves between times ("In 1987 ... that June ... the next day"), and ranges whose two
ends are read together. Sentences are our own; publication date Wednesday 2 December 2015.
"""
from __future__ import annotations

from datetime import date

import pytest

from eventwire import calendar_math as cal
from eventwire import times
from eventwire.nlp import load_model

WED = date(2015, 12, 2)


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def resolved(nlp, text: str, needle: str, pub: date = WED):
    """(earliest, latest) of the first expression holding `needle`; None if it resolves to nothing."""
    doc = nlp(text)
    doc._.pub_date = pub
    doc._.events = None
    times.annotate(doc)
    for t in doc._.times:
        if t.text and needle.lower() in t.text.lower():
            return (t.earliest, t.latest) if t.earliest else None
    return None


# ---------------------------------------------------------------- calendar_math.move_from

def test_move_from_a_day_is_a_day():
    told = cal.day_iv(date(2010, 4, 9))
    assert cal.move_from(told, "day", lambda d: cal.shift_by(d, "day", 1)) == cal.day_iv(date(2010, 4, 10))


def test_move_from_a_month_is_the_range_it_can_reach():
    told = cal.month_iv(1987, 6)
    got = cal.move_from(told, "day", lambda d: cal.shift_by(d, "day", 1))
    assert (got.earliest, got.latest, got.granularity) == (date(1987, 6, 2), date(1987, 7, 1), "range")


def test_move_from_a_finer_time_with_a_coarser_unit_keeps_the_unit():
    told = cal.month_iv(1987, 6)
    assert cal.move_from(told, "year", lambda d: cal.shift_by(d, "year", 1)) == cal.year_iv(1988)


def test_coarser_orders_granularities():
    assert cal.coarser("month", "day") and cal.coarser("range", "year")
    assert not cal.coarser("day", "week") and not cal.coarser("week", "week")


# ---------------------------------------------------------------- a day counted from a month or year

def test_next_day_after_a_month_stays_in_that_month(nlp):
    text = ("In 1987, the militia took the port. That June, sailors mutinied aboard a frigate, "
            "and the next day marines stormed the docks.")
    assert resolved(nlp, text, "next day") == ("1987-06-02", "1987-07-01")


def test_next_day_after_a_named_day_is_that_day_plus_one(nlp):
    text = "The militia took the port on June 9, 1987. The next day, marines stormed the docks."
    assert resolved(nlp, text, "next day") == ("1987-06-10", "1987-06-10")


def test_an_older_day_gives_way_to_a_later_month(nlp):
    # the Friday of the first sentence is not what "the next day" counts from any more
    text = ("The minister quit on Friday. In 1987, the militia took the port. That June, sailors "
            "mutinied, and the next day marines stormed the docks.")
    got = resolved(nlp, text, "next day")
    assert got == ("1987-06-02", "1987-07-01")


def test_a_day_inside_a_later_week_still_counts(nlp):
    # "that week" holds the Monday just named: the next day is the Tuesday
    text = "Strikers marched on Monday. That week, unions met the cabinet. The next day, talks broke down."
    assert resolved(nlp, text, "next day") == ("2015-12-01", "2015-12-01")


def test_days_later_after_a_month(nlp):
    text = "Floods hit the valley in April 2003. Four days later, the dam failed."
    assert resolved(nlp, text, "four days later") == ("2003-04-05", "2003-05-04")


def test_days_later_after_a_day(nlp):
    text = "Floods hit the valley on April 11, 2003. Four days later, the dam failed."
    assert resolved(nlp, text, "four days later") == ("2003-04-15", "2003-04-15")


def test_that_day_of_a_month_is_somewhere_in_it(nlp):
    text = "In March 2004 the envoy landed in the capital. That day, crowds lined the road."
    assert resolved(nlp, text, "that day") == ("2004-03-01", "2004-03-31")


def test_the_same_day_of_a_named_day(nlp):
    text = "The envoy landed on March 8, 2004. The same day, crowds lined the road."
    assert resolved(nlp, text, "same day") == ("2004-03-08", "2004-03-08")


def test_following_weekday_after_a_month_is_a_range(nlp):
    text = "In October 1999 the strike began. The following Monday, the mines closed."
    got = resolved(nlp, text, "following monday")
    assert got == ("1999-10-04", "1999-11-01")


def test_following_weekday_after_a_day(nlp):
    text = "The strike began on Thursday, Oct. 7, 1999. The following Monday, the mines closed."
    assert resolved(nlp, text, "following monday") == ("1999-10-11", "1999-10-11")


def test_months_later_after_a_year(nlp):
    text = "The dam was finished in 1961. Two months later, it cracked."
    assert resolved(nlp, text, "two months later") == ("1961-03-01", "1962-02-28")


def test_months_later_after_a_month(nlp):
    text = "The dam was finished in July 1961. Two months later, it cracked."
    assert resolved(nlp, text, "two months later") == ("1961-09-01", "1961-09-30")


# ---------------------------------------------------------------- the two ends of a range read together

def test_future_weekday_range_ends_after_it_starts(nlp):
    # alone, "Wednesday" would be the day of publication; as the end of a stretch ahead it follows Monday
    assert resolved(nlp, "The hearings will last from Monday through Wednesday.", "from monday") == \
        ("2015-12-07", "2015-12-09")


def test_past_weekday_range_is_left_alone(nlp):
    assert resolved(nlp, "The hearings lasted from Monday through Wednesday.", "from monday") == \
        ("2015-11-30", "2015-12-02")


def test_past_month_range_over_new_year_moves_its_start_back(nlp):
    assert resolved(nlp, "Snow blocked the passes between November and March, herders said.", "between") == \
        ("2014-11-01", "2015-03-31")


def test_month_range_in_order_is_left_alone(nlp):
    assert resolved(nlp, "Snow blocked the passes between January and March, herders said.", "between") == \
        ("2015-01-01", "2015-03-31")


def test_range_with_written_years_is_not_moved(nlp):
    # the end before the start with both years written: no stretch at all
    assert resolved(nlp, "Fares were frozen from May 2009 to March 2008.", "from may") is None


# ---------------------------------------------------------------- the scene a year sets, and where it ends

def test_year_scene_carries_to_a_past_month_in_the_same_paragraph(nlp):
    text = "In 1987 the militia took the port. In June, sailors mutinied aboard a frigate."
    assert resolved(nlp, text, "june") == ("1987-06-01", "1987-06-30")


def test_year_scene_ends_with_its_paragraph(nlp):
    text = "In 1987 the militia took the port.\nIn June, sailors mutinied aboard a frigate."
    assert resolved(nlp, text, "june") == ("2015-06-01", "2015-06-30")


def test_year_scene_does_not_hold_a_clause_told_ahead(nlp):
    text = "In 1987 the militia took the port. In June, sailors will hold a memorial aboard a frigate."
    assert resolved(nlp, text, "june") == ("2016-06-01", "2016-06-30")


def test_year_inside_a_clause_sets_no_scene(nlp):
    text = "The charter, signed in 1987, lapsed. In June, sailors mutinied aboard a frigate."
    assert resolved(nlp, text, "june") == ("2015-06-01", "2015-06-30")


def test_a_dated_day_sets_no_scene_for_later_sentences(nlp):
    text = "On June 9, 1987, the militia took the port. In October, sailors mutinied aboard a frigate."
    assert resolved(nlp, text, "october") == ("2015-10-01", "2015-10-31")


def test_scene_ends_once_the_story_names_another_time(nlp):
    text = "In 1987 the militia took the port, and the next year it lost the town. In June, sailors mutinied."
    assert resolved(nlp, text, "june") == ("2015-06-01", "2015-06-30")


# ---------------------------------------------------------------- direction of a date that is a subject or a possessor

def test_a_weekday_subject_of_a_future_clause_points_ahead(nlp):
    assert resolved(nlp, "Monday will bring the first flights to the island.", "monday") == \
        ("2015-12-07", "2015-12-07")


def test_a_weekday_subject_of_a_past_clause_points_back(nlp):
    assert resolved(nlp, "Monday brought the first flights to the island.", "monday") == \
        ("2015-11-30", "2015-11-30")


def test_a_possessive_date_of_a_scheduled_thing_in_a_future_clause_points_ahead(nlp):
    assert resolved(nlp, "Saturday's referendum vote will settle the border question.", "saturday") == \
        ("2015-12-05", "2015-12-05")


def test_a_possessive_date_of_a_scheduled_thing_in_a_past_clause_points_back(nlp):
    assert resolved(nlp, "Saturday's referendum vote was calm, monitors said.", "saturday") == \
        ("2015-11-28", "2015-11-28")


def test_a_possessive_date_of_something_done_points_back_even_in_a_future_clause(nlp):
    assert resolved(nlp, "Saturday's shelling will be investigated by the monitors.", "saturday") == \
        ("2015-11-28", "2015-11-28")


# ---------------------------------------------------------------- named stretches move the story's time; spans do not

def test_a_count_from_part_of_a_year(nlp):
    text = "The garrison surrendered in late 1992, and two years later the rebels returned."
    assert resolved(nlp, text, "two years later") == ("1994-01-01", "1994-12-31")


def test_a_count_from_a_season(nlp):
    text = "The dam broke in the summer of 2001. A year later, the valley was dry."
    assert resolved(nlp, text, "a year later") == ("2002-01-01", "2002-12-31")


def test_a_stretch_between_two_years_counts_on_from_its_end(nlp):
    # the range itself does not move the story's time; its last end, told last, does
    text = "In 1980 the mine opened. Output rose from 1990 to 1995. A year later, the mine closed."
    assert resolved(nlp, text, "a year later") == ("1996-01-01", "1996-12-31")


def test_a_stretch_up_to_now_is_not_counted_from(nlp):
    text = "The mine opened in 1980. Over the past three years output fell. A year later, it closed."
    assert resolved(nlp, text, "a year later") == ("1981-01-01", "1981-12-31")


# ---------------------------------------------------------------- weekends and days of the month

def test_a_weekend_ahead_when_the_clause_points_ahead(nlp):
    assert resolved(nlp, "The ferry will sail at the weekend.", "weekend") == ("2015-12-05", "2015-12-06")


def test_the_weekend_under_way_on_a_saturday(nlp):
    assert resolved(nlp, "Crowds filled the square this weekend.", "weekend", pub=date(2015, 12, 5)) == \
        ("2015-12-05", "2015-12-06")


def test_the_following_weekend_counts_from_the_day_told(nlp):
    text = "The ferry sank on Tuesday, Nov. 10. The following weekend, divers found the hull."
    assert resolved(nlp, text, "following weekend") == ("2015-11-14", "2015-11-15")


def test_a_day_of_the_month_ahead_of_publication(nlp):
    assert resolved(nlp, "The runoff will be held on the 20th.", "20th") == ("2015-12-20", "2015-12-20")


def test_a_day_of_the_month_in_the_month_being_told_runs_into_the_next(nlp):
    text = "Talks opened on Jan. 29, 2009, and broke down on the 3rd."
    assert resolved(nlp, text, "3rd") == ("2009-02-03", "2009-02-03")


def test_an_ordinal_before_a_noun_is_no_day(nlp):
    assert resolved(nlp, "The shrine dates from the 12th century.", "12th") == ("1100-01-01", "1199-12-31")
    assert resolved(nlp, "The minister spoke on the 2nd reading of the bill.", "2nd") is None


# ---------------------------------------------------------------- a year named in passing is a backdrop

def test_a_year_named_since_leaves_the_day_in_place(nlp):
    text = "Gunmen raided the depot on Monday. The depot was opened in 2008. The next day, police arrived."
    assert resolved(nlp, text, "next day") == ("2015-12-01", "2015-12-01")


def test_a_month_named_since_replaces_the_day(nlp):
    text = "Gunmen raided the depot on Monday. In April 2008, looters had emptied it, and the next day it burned."
    assert resolved(nlp, text, "next day") == ("2008-04-02", "2008-05-01")


def test_a_year_with_no_day_before_it_is_what_a_day_counts_from(nlp):
    text = "In 2008, looters emptied the depot, and the next day it burned."
    assert resolved(nlp, text, "next day") == ("2008-01-02", "2009-01-01")


def test_a_day_of_the_month_inside_the_month_being_told(nlp):
    text = "In May 2009 the strike spread, and on the 17th the port closed."
    assert resolved(nlp, text, "17th") == ("2009-05-17", "2009-05-17")


# ---------------------------------------------------------------- a weekday of a named week

def test_a_weekday_of_next_week(nlp):
    assert resolved(nlp, "The envoy will land on Thursday next week.", "thursday") == ("2015-12-10", "2015-12-10")


def test_a_weekday_of_the_week_being_told(nlp):
    text = "The strike began on Oct. 12, 2009. On Friday that week, the mines closed."
    assert resolved(nlp, text, "friday") == ("2009-10-16", "2009-10-16")


def test_a_weekday_alone_is_not_moved_by_a_week_elsewhere(nlp):
    # "last week" in another clause does not make Monday a day of it
    text = "Prices rose last week, and on Monday the bank acted."
    assert resolved(nlp, text, "monday") == ("2015-11-30", "2015-11-30")
