"""Actors stage and entity coreference: dictionary, role phrases, terms of office,
coordination, pronouns and descriptions.

Every test parses a real sentence with the project's spaCy model, runs the actors stage and
the entity coreference stage, and asks the API the events stage uses (`actor_for_token` /
`actors_for_token` on a head token).
"""
from datetime import date

import pytest

from eventwire import actors, coref
from eventwire.article import Article
from eventwire.nlp import load_model


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def coded(nlp, text, when=date(2015, 12, 2)):
    doc = nlp.make_doc(text)
    doc._.pub_date = when
    doc = nlp(doc)
    actors.annotate(doc)
    coref.annotate_entities(doc)
    return doc


def tok(doc, word, nth=0):
    hits = [t.i for t in doc if t.text == word]
    return hits[nth]


def at(doc, word, nth=0):
    return actors.actor_for_token(doc, tok(doc, word, nth))


def test_every_mention_has_faithful_offsets(nlp):
    doc = coded(nlp, "Al-Shabaab claims to have killed Ugandan soldier in new video\n"
                     "NAIROBI -- The Islamic State group on Friday published a recording.")
    assert doc._.actors
    for a in doc._.actors:
        assert doc.text[a.start:a.end] == a.text
        assert 0 <= a.i < a.j <= len(doc) and a.i <= a.head < a.j or a.kind == "pronoun"
        assert a.sector is None or a.sector in actors.SECTORS


def test_aliases_share_one_canonical_name(nlp):
    doc = coded(nlp, "ISIS, also called ISIL or Daesh, fought the Islamic State group's rivals.")
    for w in ("ISIS", "ISIL", "Daesh"):
        a = at(doc, w)
        assert (a.name, a.country, a.sector) == ("Islamic State", None, "REB")


def test_abbreviation_needs_capitals(nlp):
    doc = coded(nlp, "They told us the US would help.")
    assert at(doc, "US").country == "USA"
    assert actors.actor_for_token(doc, tok(doc, "us")) is None or at(doc, "us").country != "USA"


def test_role_phrases_take_country_and_sector_from_their_words(nlp):
    doc = coded(nlp, "Turkey shot down a Russian warplane near the border.")
    a = at(doc, "warplane")
    assert (a.country, a.sector, a.text) == ("RUS", "MIL", "a Russian warplane")
    doc = coded(nlp, "The man confessed to spying for Russia's security service.")
    a = at(doc, "service")
    assert (a.country, a.sector) == ("RUS", "SPY")
    assert at(doc, "Russia").country == "RUS"


def test_title_and_name(nlp):
    doc = coded(nlp, "Rebels shelled positions held by Syrian President Bashar Assad near Hama.")
    a = at(doc, "Assad")
    assert (a.name, a.country, a.sector) == ("Bashar Assad", "SYR", "GOV")
    assert at(doc, "Rebels").sector == "REB"


def test_generic_heads_take_sector_from_modifier(nlp):
    doc = coded(nlp, "Mali is pursuing the remaining rebel groups near Timbuktu.")
    assert at(doc, "groups").sector == "REB"
    doc = coded(nlp, "Chinese military officials met Chinese officials.")
    assert (at(doc, "officials", 0).country, at(doc, "officials", 0).sector) == ("CHN", "MIL")
    assert at(doc, "officials", 1).sector == "GOV"


def test_capital_metonyms_are_government(nlp):
    doc = coded(nlp, "Moscow declared its determination, and the Kremlin and the White House agreed.")
    assert (at(doc, "Moscow").country, at(doc, "Moscow").sector) == ("RUS", "GOV")
    assert at(doc, "Kremlin").country == "RUS"
    assert (at(doc, "House").country, at(doc, "House").sector) == ("USA", "GOV")


def test_capital_as_place_loses_metonymy(nlp):
    doc = coded(nlp, "Gunmen killed ten people in Paris on Friday.")
    assert (at(doc, "Paris").country, at(doc, "Paris").sector) == ("FRA", None)


def test_security_agency(nlp):
    doc = coded(nlp, "He was pressured into working for the FSB and the CIA.")
    assert (at(doc, "FSB").country, at(doc, "FSB").sector) == ("RUS", "SPY")
    assert (at(doc, "CIA").country, at(doc, "CIA").sector) == ("USA", "SPY")


def test_leader_inside_and_outside_his_term(nlp):
    text = "Yeltsin met Putin in Moscow."
    doc = coded(nlp, text, when=date(1995, 6, 1))
    assert (at(doc, "Yeltsin").country, at(doc, "Yeltsin").sector) == ("RUS", "GOV")
    doc = coded(nlp, text, when=date(2015, 6, 1))
    assert (at(doc, "Yeltsin").country, at(doc, "Yeltsin").sector) == ("RUS", None)
    assert at(doc, "Putin").sector == "GOV"


def test_shared_surname_picks_the_one_in_office(nlp):
    doc = coded(nlp, "Bush said on Tuesday that talks would resume.", when=date(1990, 3, 1))
    assert at(doc, "Bush").name == "George H. W. Bush"
    doc = coded(nlp, "Bush said on Tuesday that talks would resume.", when=date(2004, 3, 1))
    assert at(doc, "Bush").name == "George W. Bush"


def test_former_title_is_not_government(nlp):
    doc = coded(nlp, "Former President Bush criticized the plan.", when=date(2004, 3, 1))
    assert at(doc, "Bush").sector is None
    doc = coded(nlp, "President Bush criticized the plan.", when=date(2000, 1, 1))
    assert at(doc, "Bush").sector == "GOV"     # the title says so, even between his terms


def test_not_actors(nlp):
    doc = coded(nlp, "Russia denies any violation of Turkey's airspace and banned fruits "
                     "and the illegal oil trade shown in a video.")
    for w in ("airspace", "fruits", "trade", "video"):
        assert at(doc, w) is None, w


def test_unknown_proper_name_is_kept(nlp):
    doc = coded(nlp, "Magomed Khasayev said he was a spy.")
    a = at(doc, "Khasayev")
    assert a is not None and a.name == "Magomed Khasayev"


def test_unknown_organisation_gets_country_from_its_name(nlp):
    doc = coded(nlp, "The Nigerian Union of Teachers called a strike.")
    a = at(doc, "Union")
    assert a is not None and a.country == "NGA"


def test_coordination(nlp):
    doc = coded(nlp, "Hungary and Romania agreed to cooperate.")
    assert [a.country for a in actors.actors_for_token(doc, tok(doc, "Hungary"))] == ["HUN", "ROU"]
    doc = coded(nlp, "Top Polish and Czech officials signed the pact on Friday.")
    got = actors.actors_for_token(doc, tok(doc, "officials"))
    assert [(a.country, a.sector) for a in got] == [("POL", "GOV"), ("CZE", "GOV")]


def test_pronoun_prefers_subject_and_skips_places(nlp):
    doc = coded(nlp, "Iran on March 4 fired missiles into Iraq that it says hit Kurdish militants.")
    a = at(doc, "it")
    assert (a.text, a.country, a.kind) == ("it", "IRN", "pronoun")
    doc = coded(nlp, "Greece intercepted a Turkish drone that it said had entered Greek airspace.")
    assert at(doc, "it").country == "GRC"


def test_possessive_pronoun_lends_country(nlp):
    doc = coded(nlp, "Officials at Egypt's Foreign Ministry and its army declined to comment.")
    assert at(doc, "its").country == "EGY"
    assert (at(doc, "army").country, at(doc, "army").sector) == ("EGY", "MIL")


def test_he_across_sentences_and_object_pronoun_not_own_subject(nlp):
    doc = coded(nlp, "A bearded man is shown speaking. He says he is from Chechnya.\n"
                     "The man then places a knife against the prisoner's throat and begins decapitating him.")
    assert at(doc, "He").name == "bearded man"
    assert at(doc, "he").name == "bearded man"
    assert at(doc, "him").name == "prisoner"           # never the man who holds the knife


def test_definite_description_takes_the_group(nlp):
    doc = coded(nlp, "Boko Haram attacked a village on Monday. The group later released a video.")
    a = at(doc, "group")
    assert (a.name, a.country, a.sector, a.text) == ("Boko Haram", "NGA", "REB", "The group")


def test_relative_pronoun(nlp):
    doc = coded(nlp, "Rebels who attacked the town fled.")
    assert at(doc, "who").sector == "REB"


def test_modifier_name_of_a_non_actor_noun(nlp):
    doc = coded(nlp, "Oman declined a U.S. proposal to host talks.")
    assert at(doc, "proposal") is None
    assert at(doc, "U.S.").country == "USA"


def test_region_adjective_is_no_country():
    """'Latin American governments' are not the United States' (the demonym inside is)."""
    from eventwire.article import Article
    from eventwire.pipeline import Coder
    doc = next(Coder().docs([Article(id="r", text="Nine Latin American governments condemned the vote.",
                                     date="2024-03-06")]))
    govs = [a for a in doc._.actors if a.text.endswith("governments")]
    assert govs and govs[0].country is None and govs[0].sector == "GOV"


def test_a_surname_after_another_first_name_is_another_person(coder):
    from eventwire.article import Article
    doc = next(coder.docs([Article(id="t", text="Gerard Rice, a lawyer, said police had arrested his client.", date="2005-03-03")]))
    assert all(a.name != "Condoleezza Rice" for a in doc._.actors)


def test_a_surname_after_a_title_is_the_known_person(coder):
    from eventwire.article import Article
    doc = next(coder.docs([Article(id="t", text="Secretary Rice said troops had attacked the town.", date="2005-03-03")]))
    assert any(a.name == "Condoleezza Rice" for a in doc._.actors)


def _actor_named(coder, text: str, words: str):
    from eventwire.article import Article
    doc = next(coder.docs([Article(id="t", text=text, date="2024-03-06")]))
    return [a for a in doc._.actors or [] if a.text == words]


def test_a_name_takes_the_office_in_apposition_after_it(coder):
    found = _actor_named(coder, "Headline\nLena Vos, the trade minister, left Brussels on Monday.", "Lena Vos")
    assert found and found[0].sector == "GOV"


def test_a_name_takes_the_office_in_apposition_before_it(coder):
    text = "Headline\nOstvik Holdings Ltd.'s chief financial officer, Karl Brun, quit on Friday."
    found = _actor_named(coder, text, "Karl Brun")
    assert found and found[0].sector == "BUS"


def test_a_former_office_in_apposition_is_no_sector(coder):
    found = _actor_named(coder, "Headline\nLena Vos, the former trade minister, left Brussels.", "Lena Vos")
    assert found and found[0].sector is None


def test_a_surname_alone_is_the_person_named_in_full_before(coder):
    text = "Border tour ends\nColonel Aurel Dragan inspected the border post on Monday. Mr. Dragan then left."
    found = _actor_named(coder, text, "Mr. Dragan")
    assert found and found[0].name == "Aurel Dragan" and found[0].sector == "MIL"


def test_a_surname_alone_with_no_full_name_before_stays_itself(coder):
    text = "Border tour ends\nMr. Dragan left on Monday. Colonel Aurel Dragan inspected the border post."
    found = _actor_named(coder, text, "Mr. Dragan")
    assert found and found[0].name != "Aurel Dragan"


@pytest.mark.parametrize("text,words,sector", [
    ("Fighting resumes\nRebels shelled the airport on Monday.", "Rebels", "REB"),
    ("Raid at dawn\nGunmen stormed a checkpoint on Monday.", "Gunmen", "REB"),
])
def test_a_capitalised_plural_role_at_the_start_of_a_line_keeps_its_sector(coder, text, words, sector):
    found = _actor_named(coder, text, words)
    assert found and found[0].sector == sector


def test_a_capitalised_plural_inside_a_name_is_no_role(coder):
    found = [a for a in _actor_named(coder, "Concert review\nThe Rolling Rebels played Oslo on Monday.", "Rebels")]
    assert not found or found[0].sector is None


def _they(coder, text: str) -> list:
    """The actor mentions "They" of a story after entity coreference."""
    doc = next(coder.docs([Article(id="t", text=text, date="2024-03-06")]))
    return [a for a in doc._.actors if a.text == "They"]


def test_they_may_point_back_to_a_body_when_no_plural_came_before(coder):
    they = _they(coder, "Town retaken\nThe Lorean army said on Monday it had retaken the port. They denied shelling homes.")
    assert they and they[0].sector == "MIL"


def test_they_prefers_a_plural_before_a_body(coder):
    they = _they(coder, "Town shelled\nThe Lorean army said rebels had shelled the port. They denied it on Tuesday.")
    assert they and they[0].sector == "REB"


def test_initials_written_in_capitals_are_the_body_named_in_full(coder):
    text = "Fraud suit\nThe Federal Trade Commission sued the dealer on Monday. The FTC said he had hidden losses."
    found = _actor_named(coder, text, "The FTC")
    assert found and found[0].sector == "GOV" and found[0].name == "Federal Trade Commission"


def test_initials_of_no_body_named_in_full_stay_unknown(coder):
    text = "Fraud suit\nRegulators sued the dealer on Monday. The FTC said he had hidden losses."
    found = _actor_named(coder, text, "The FTC")
    assert found and found[0].name != "Federal Trade Commission"


def _events(coder, text: str, published: str) -> list[dict]:
    return coder.code(Article(id="a", text=text, date=published)).events


# -- a month or weekday the tagger took for a name is a date, not a party ---------------------

def test_a_month_opening_a_clause_is_no_actor(coder):
    text = "In 2004, the army took the valley. That May, rebels ambushed the convoy."
    events = _events(coder, text, "2015-12-02")
    ambush = [e for e in events if e["trigger"]["text"] == "ambushed"]
    assert ambush and [a["text"] for a in ambush[0]["actors"]] == ["rebels"], ambush


def test_a_person_named_like_a_month_stays_a_party(coder):
    text = "April Okonjo met the Ghanaian foreign minister in Accra on Monday."
    events = _events(coder, text, "2015-12-02")
    met = [e for e in events if e["type"] == "CONSULT"]
    assert met and any("Okonjo" in a["text"] for a in met[0]["actors"]), met


# -- organised labour is a party; a union of states keeps its own name ------------------------

def test_a_trade_union_is_a_party(coder):
    events = _events(coder, "The dockers' union threatened a walkout over the new shift rota.", "2024-03-06")
    threats = [e for e in events if e["type"] == "THREATEN"]
    assert threats and threats[0]["actors"][0]["sector"] == "CVL", events


def test_a_union_of_states_is_not_labour(coder):
    events = _events(coder, "The African Union imposed sanctions on Karvia on Monday.", "2024-03-06")
    assert events and all(a["sector"] != "CVL" for e in events for a in e["actors"]), events


def test_working_people_are_civilians_and_executives_business(coder):
    events = _events(coder, "Striking miners blocked the main highway near Tarvos on Monday.", "2024-03-06")
    assert any(a["sector"] == "CVL" for e in events for a in e["actors"]), events
    events = _events(coder, "Bank executives met the finance minister in Tarvos on Monday.", "2024-03-06")
    assert any(a["sector"] == "BUS" for e in events for a in e["actors"]), events
