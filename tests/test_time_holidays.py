"""Holidays as data (data/holidays.yaml): computed dates, year tables with two stretches in
a year, days counted from a table's stretch, the country a national day needs, and the
direction of a holiday kept by a verb. Sentences are our own."""
from __future__ import annotations

from datetime import date

from eventwire import calendar_math as cal
from eventwire.time_vocab import holiday_table
# the model fixture and the resolving helper of the narrative tests (one copy of each)
from test_time_narrative import WED, nlp, resolved  # noqa: F401


# ---------------------------------------------------------------- calendar arithmetic

def test_orthodox_easter():
    assert cal.orthodox_easter(2015) == date(2015, 4, 12)
    assert cal.orthodox_easter(2016) == date(2016, 5, 1)     # five weeks after the Western one
    assert cal.orthodox_easter(2017) == cal.easter(2017)     # some years they fall together


def test_a_table_year_may_hold_two_stretches():
    tables = {"fast": {2001: [["01-05", "02-03"], ["12-25", "01-23"]]}}
    both = cal.holidays_in({"table": "fast"}, 2001, tables)
    assert [(iv.earliest, iv.latest) for iv in both] == [(date(2001, 1, 5), date(2001, 2, 3)),
                                                         (date(2001, 12, 25), date(2002, 1, 23))]
    assert cal.holiday_in({"table": "fast"}, 2001, tables).earliest == date(2001, 1, 5)


def test_a_day_after_a_table_stretch_ends():
    tables = {"fast": {2001: ["03-01", "03-30"]}}
    assert cal.holiday_in({"table": "fast", "after_end": 1}, 2001, tables) == cal.day_iv(date(2001, 3, 31))
    assert cal.holiday_in({"table": "fast", "after_start": 9}, 2001, tables) == cal.day_iv(date(2001, 3, 10))


def test_every_table_row_is_a_pair_of_month_days():
    for name, rows in holiday_table()["tables"].items():
        for year, row in rows.items():
            pairs = [row] if isinstance(row[0], str) else row
            for first, last in pairs:
                cal.holiday_in({"table": name}, year, {name: {year: [first, last]}})   # parses


# ---------------------------------------------------------------- in text

def test_ramadan_under_way_at_publication_is_the_fast_that_began_the_year_before(nlp):
    # a fast that begins at the very end of one year and runs into the next
    assert resolved(nlp, "Curfews were eased during Ramadan, residents said.", "ramadan",
                    pub=date(1998, 1, 15)) == ("1997-12-31", "1998-01-29")


def test_ramadan_with_a_year_is_that_years_fast(nlp):
    assert resolved(nlp, "Curfews were eased in Ramadan 2012.", "ramadan") == ("2012-07-20", "2012-08-18")


def test_eid_is_the_day_after_ramadan(nlp):
    assert resolved(nlp, "Markets reopened after Eid al-Fitr, traders said.", "eid") == ("2015-07-17", "2015-07-17")


def test_lunar_new_year_from_its_table(nlp):
    assert resolved(nlp, "Factories shut for Lunar New Year 2009.", "lunar new year") == \
        ("2009-01-26", "2009-01-26")


def test_a_national_day_takes_the_named_countrys_date(nlp):
    assert resolved(nlp, "Police banned marches on Ghana's Independence Day.", "independence day") == \
        ("2015-03-06", "2015-03-06")


def test_a_national_day_without_a_country_takes_the_default(nlp):
    assert resolved(nlp, "Police banned marches on Independence Day.", "independence day") == \
        ("2015-07-04", "2015-07-04")


def test_a_day_kept_in_the_past_is_behind(nlp):
    assert resolved(nlp, "Pilgrims celebrated Orthodox Christmas in the old cathedral.", "orthodox christmas") == \
        ("2015-01-07", "2015-01-07")


def test_a_day_kept_ahead_is_ahead(nlp):
    assert resolved(nlp, "Pilgrims will celebrate Orthodox Christmas in the old cathedral.", "orthodox christmas") == \
        ("2016-01-07", "2016-01-07")


def test_a_date_chosen_is_not_a_day_kept(nlp):
    # "chose ... as the day": the verb's tense says nothing about the date; the nearer one
    assert resolved(nlp, "The council chose Jan. 7 as the day of the recount.", "jan. 7") == \
        ("2016-01-07", "2016-01-07")
