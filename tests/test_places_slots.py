"""Places the words around a name vouch for ("the town of X", "X province", lists), and
villages at home against towns abroad. Sentences are our own."""
from __future__ import annotations

import pytest

from eventwire import places
from eventwire.nlp import load_model


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def placed(nlp, text):
    doc = nlp.make_doc(text)
    doc._.dateline = None
    doc = nlp(doc)
    places.annotate(doc)
    return {p.text: p for p in doc._.places}


def test_kind_of_word_makes_a_place_and_picks_its_kind(nlp):
    got = placed(nlp, "Wildfires spread across the state of Washington on Monday, and firefighters "
                      "from Oregon and Idaho were sent north.")
    wa = got["Washington"]
    assert wa.level == "province" and wa.lat > 45          # the state, not the capital


def test_city_named_alone_stays_the_capital(nlp):
    got = placed(nlp, "Officials in Washington said on Monday that the talks with Ottawa would resume.")
    assert got["Washington"].lat < 40


def test_unknown_name_after_kind_of_word_is_put_at_the_story_place(nlp):
    got = placed(nlp, "Kenyan health officials said cholera had reached the village of Zorbakeni, "
                      "near Lodwar in Turkana County, and that Lodwar hospital was full.")
    z = got["Zorbakeni"]
    assert z.lat is not None and z.country == "KEN" and z.level == "feature"


def test_department_of_is_no_kind_of_place(nlp):
    got = placed(nlp, "The Department of Transport said the bridge in Leeds would reopen.")
    assert "Transport" not in got


def test_unknown_name_listed_between_two_places(nlp):
    got = placed(nlp, "Cases were reported in Kisumu, Zorbakeni and Eldoret, Kenyan officials said.")
    assert got["Zorbakeni"].country == "KEN"


def test_person_after_a_place_and_a_comma_is_no_list(nlp):
    got = placed(nlp, "In Nairobi, Zorbakeni said the talks had failed and Kenya would walk away.")
    assert "Zorbakeni" not in got


def test_village_at_home_beats_a_small_town_abroad(nlp):
    got = placed(nlp, "New Zealand police said heavy rain flooded homes in Woodridge on Tuesday, "
                      "and Wellington officials opened shelters across New Zealand.")
    assert got["Woodridge"].country == "NZL"


def test_known_town_before_a_site_word_in_the_story_country(nlp):
    got = placed(nlp, "Kenyan officials said the Kakuma camps held more refugees than ever, and "
                      "Kenya asked donors for help.")
    assert got["Kakuma"].country == "KEN"


def test_repeating_a_small_town_abroad_does_not_outvote_the_story(nlp):
    got = placed(nlp, "Storms cut power in Woodridge, New Zealand police said. Woodridge residents "
                      "were told to stay home. Wellington sent crews to Woodridge on Friday.")
    assert got["Woodridge"].country == "NZL"


def test_span_that_starts_too_late_takes_the_whole_name(nlp):
    got = placed(nlp, "Delegates from the People's Republic of China arrived in Geneva on Monday.")
    china = next(p for t, p in got.items() if t.endswith("Republic of China"))
    assert china.country == "CHN" and china.text.startswith("People")


def test_a_peoples_word_that_begins_a_place_name(nlp):
    got = placed(nlp, "Heavy rain flooded roads in French Guiana and Suriname this week.")
    guiana = next(p for t, p in got.items() if "Guiana" in t)
    assert guiana.country == "GUF" and not guiana.adjectival


def test_a_name_listed_with_states_is_the_state(nlp):
    got = placed(nlp, "Tech firms are leaving expensive states such as Oregon or Washington for "
                      "cheaper ones, a Denver study found.")
    assert got["Washington"].level == "province"


def test_a_name_listed_with_countries_is_the_country(nlp):
    got = placed(nlp, "Ministers from Armenia, Georgia and Azerbaijan met in Vienna.")
    assert got["Georgia"].country == "GEO"


def test_a_name_before_based_is_a_place(nlp):
    got = placed(nlp, "The Surrey-based charity said British volunteers would fly out on Monday.")
    assert got["Surrey"].country == "GBR"


def test_a_country_naming_a_currency(nlp):
    got = placed(nlp, "The fund raised 12 billion US dollars last year.")
    assert got["US"].country == "USA"


def test_a_county_named_again_stays_in_the_state_the_text_gave(nlp):
    doc = nlp.make_doc("A tornado struck Bloomfield, in Greene County, Indiana, on Sunday. Officials "
                       "in Greene County said schools would close. Greene County deputies cleared roads.")
    doc._.dateline = None
    doc = nlp(doc)
    places.annotate(doc)
    greene = [p for p in doc._.places if p.text == "Greene County"]
    assert len(greene) == 3
    assert all(38.5 < p.lat < 40 and -87.5 < p.lon < -86.5 for p in greene)   # south-west Indiana
