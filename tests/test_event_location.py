"""Event location stage: clause place, else sentence place, else the story's place (marked)."""
from __future__ import annotations

import json

import pytest

from eventwire import event_location, places
from eventwire.nlp import load_model
from eventwire.records import Event


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def locate(nlp, text, trigger, anchor=None, dateline=None):
    doc = nlp.make_doc(text)
    doc._.dateline = dateline
    doc = nlp(doc)
    t = next(tok for tok in doc if tok.text == trigger)
    a = next(tok for tok in doc if tok.text == anchor) if anchor else t
    doc._.events = [Event(type="ASSAULT", trigger_i=t.i, trigger_start=t.idx, trigger_end=t.idx + len(t),
                          trigger_text=t.text, anchor_i=a.i, sentence=0)]
    places.annotate(doc)
    event_location.annotate(doc)
    return doc._.events[0].location


def test_clause_place_attached_to_the_trigger(nlp):
    loc = locate(nlp, "Militants fired rockets at an army post in Kandahar on Friday.", "fired")
    assert loc.text == "Kandahar" and loc.inferred_from is None


def test_most_specific_attached_place_wins(nlp):
    loc = locate(nlp, "Soldiers raided a warehouse in Mosul, Iraq, at dawn.", "raided")
    assert loc.text == "Mosul" and loc.country == "IRQ"


def test_nominal_event_with_its_place(nlp):
    loc = locate(nlp, "After the bombings in Lahore, the cabinet met for hours.", "bombings")
    assert loc.text == "Lahore"


def test_sentence_place_when_the_clause_has_none(nlp):
    # the place sets the scene of the sentence; the event's own clause names none
    loc = locate(nlp, "In Benghazi, witnesses said gunmen stormed a bank before noon.", "stormed")
    assert loc is not None and loc.text == "Benghazi" and loc.inferred_from is None


def test_story_place_when_the_sentence_has_none(nlp):
    text = ("NAIROBI, Kenya -- Lawmakers debated a new budget on Monday. "
            "Protesters threw stones at the police.")
    loc = locate(nlp, text, "threw", dateline=(0, 6, "NAIROBI"))
    assert loc.text == "NAIROBI" and loc.country == "KEN" and loc.inferred_from == "story"
    assert loc.to_json()["inferred_from"] == "story"


def test_story_focus_without_a_dateline(nlp):
    text = ("Fighting spread across Yemen this week. Later, rebels shot down a drone, "
            "the coalition said.")
    loc = locate(nlp, text, "shot")
    assert loc is not None and loc.country == "YEM" and loc.inferred_from == "story"


def test_an_actor_or_an_adjective_is_not_the_clause_place(nlp):
    loc = locate(nlp, "Canada expelled two Iranian diplomats.", "expelled")
    # Canada does the expelling and "Iranian" only says whose: neither is where it happened
    assert loc is None or loc.inferred_from == "story"


def test_a_place_modifying_another_noun_is_not_the_event_place(nlp):
    loc = locate(nlp, "A longtime Havana ally criticised the vote on Sunday.", "criticised")
    assert loc is None or loc.inferred_from == "story"


def test_no_places_no_location(nlp):
    assert locate(nlp, "The committee rejected the proposal on Tuesday.", "rejected") is None


def test_the_stated_place_stays_in_the_record_without_the_marker():
    from eventwire.records import Place
    p = Place(text="Kandahar", start=0, end=8, name="Kandahar", geonameid=1138336, country="AFG",
              lat=31.6, lon=65.7)
    assert "inferred_from" not in p.to_json()
    json.dumps(p.to_json())


def test_a_place_the_phrase_only_borders_is_not_where_it_happened(nlp):
    loc = locate(nlp, "Police seized rifles on Monday in a village bordering Syria.", "seized")
    assert loc is None or loc.inferred_from == "story"   # only the story's place, never stated


def test_a_place_inside_the_phrase_is_still_where_it_happened(nlp):
    loc = locate(nlp, "Police seized rifles on Monday in a village in northern Syria.", "seized")
    assert loc is not None and loc.country == "SYR" and loc.inferred_from is None


def test_seat_of_government_is_the_building_not_a_namesake_town(nlp):
    doc = nlp("The White House said on Tuesday that the president would visit Ohio.")
    places.annotate(doc)
    wh = next(p for p in doc._.places if p.text == "White House")
    assert wh.country == "USA" and abs(wh.lat - 38.9) < 0.2
