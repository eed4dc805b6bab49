"""Lexicon coverage (issues 14 and 20): whole classes of event words that had no trigger.

Each class has a sentence that must give the type and a similar sentence, with the same word in
another sense or the same shape without the event, that must not. All sentences are the team's
own."""
from __future__ import annotations

import pytest

from eventwire.article import Article


def code(coder, text: str) -> list[dict]:
    return coder.code(Article(id="t", text=text, date="2024-03-06")).events


def types(coder, text: str) -> list[str]:
    return [e["type"] for e in code(coder, text)]


# (class, type, a sentence that must give the type, a similar one that must not)
CLASSES = [
    # armed forces put somewhere: by name of the force, intransitive, arriving, moved
    ("deploy_marines", "MOBILIZE", "The Pentagon will deploy 3,000 marines to the region.",
     "The Pentagon will deploy new software to the region."),
    ("deploy_named_corps", "MOBILIZE", "Washington sent 2,000 Marines to the island.",
     "Washington sent 2,000 Euros to the island."),
    ("deploy_intransitive", "MOBILIZE", "Riot police deployed in the centre of Dakar before the march.",
     "Airbags deployed in the centre of the car before the crash."),
    ("forces_arrive", "MOBILIZE", "The first Nepalese troops arrived in Beirut on Monday.",
     "The first Nepalese tourists arrived in Beirut on Monday."),
    ("forces_moved", "MOBILIZE", "The navy moved two destroyers into the strait.",
     "The company moved two offices into the city."),
    ("ships_patrol", "MOBILIZE", "A Danish frigate is patrolling the strait with two cutters.",
     "A Danish tourist is walking the strait with two friends."),
    ("security_tightened", "MOBILIZE", "Authorities tightened security around the French embassy.",
     "Authorities tightened rules around the French embassy."),
    ("arms_made", "MOBILIZE", "The regime is developing chemical weapons at a secret site.",
     "The company is developing electric cars at a secret site."),
    # meetings and envoys
    ("meet_among_themselves", "CONSULT", "The foreign ministers will meet on Friday in Oslo.",
     "The cabinet met on Friday in Oslo."),
    ("meet_two_sides", "CONSULT", "Kenya and Chad met in Nairobi on Monday.",
     "The governor met in Nairobi on Monday."),
    ("send_envoy", "CONSULT", "Oman sent an envoy to Tehran to ease the crisis.",
     "Oman sent a cargo ship to Tehran to ease the shortage."),
    ("carry_message", "CONSULT", "The Swiss minister carried a message from Washington to Havana.",
     "The Swiss minister carried a suitcase from Washington to Havana."),
    ("join_talks", "CONSULT", "Qatar will join the talks between the two factions.",
     "Qatar will join the celebrations of the two factions."),
    # signing and agreeing
    ("sign_plan", "AGREE", "Kenya and Uganda signed a security cooperation plan on Monday.",
     "Kenya and Uganda drafted a security cooperation plan on Monday."),
    ("signed_by", "AGREE", "The accord signed by the two generals in March collapsed.",
     "The accord discussed by the two generals in March collapsed."),
    # accusations
    ("allege", "ACCUSE", "Peru alleged that the consul was a spy.",
     "Peru said that the consul was a spy."),
    ("lay_blame", "ACCUSE", "The minister laid the blame for the riots on foreign agents.",
     "The minister laid a wreath for the victims at the memorial."),
    ("hold_responsible", "ACCUSE", "Moldova held Russia responsible for the blackout.",
     "Moldova held a referendum on the constitution."),
    ("lash_out", "ACCUSE", "The president lashed out at the European Union over the fines.",
     "The president spoke at the European Union about the fines."),
    # force and coercion
    ("coup", "COERCE", "General Ortega staged a coup against the elected president.",
     "Winning the hosting rights was a diplomatic coup for the small country."),
    ("topple", "COERCE", "The army toppled the president in a bloodless takeover.",
     "The rebels are fighting to topple the president."),
    ("bar_from", "COERCE", "The junta barred opposition candidates from the election.",
     "The junta invited opposition candidates to the election."),
    ("human_shields", "COERCE", "Militants used villagers as human shields during the siege.",
     "Militants used villagers as guides during the trek."),
    ("violate_rights", "COERCE", "The watchdog said the militia had violated the rights of detainees.",
     "The watchdog said the militia had explained the rules to detainees."),
    ("crush_revolt", "ASSAULT", "The Lebanese army crushed the revolt in the camp.",
     "The Lebanese team crushed the visitors in the final."),
    ("weapons_used_against", "ASSAULT", "Government forces used poison gas against the rebel town.",
     "Government forces used poison gas in a training drill."),
    ("force_used", "ASSAULT", "Police used live ammunition in the market square.",
     "The teacher used live examples in the class."),
    ("retaliate", "ASSAULT", "The militia retaliated with mortar fire on the camp.",
     "The militia retaliated by expelling the foreign reporters."),
    ("fight_back", "ASSAULT", "The rebels fought back against the army near the dam.",
     "The rebels looked back at the army near the dam."),
    ("atrocity", "ASSAULT", "Witnesses described atrocities against civilians in the valley.",
     "Witnesses described picnics with civilians in the valley."),
    ("destroy_monument", "ASSAULT", "Militants destroyed the ancient monuments of the city.",
     "Militants visited the ancient monuments of the city."),
    # sanctions and broken-off talks
    ("tariffs", "SANCTION", "Washington imposed new tariffs on steel from Brazil.",
     "Washington reviewed the tariff schedule for steel from Brazil."),
    ("talks_cut_off", "SANCTION", "Seoul cut off all contacts with Pyongyang after the test.",
     "Seoul cut off the power to the building after the fire."),
    # cooperation
    ("join_alliance", "COOPERATE", "Montenegro joined the alliance in 2017.",
     "Montenegro joined the tournament in 2017."),
    ("sell_arms", "COOPERATE", "France sold fighter jets to Egypt last year.",
     "France sold cheese to Egypt last year."),
    # concessions
    ("grant_autonomy", "CONCEDE", "The central government granted autonomy to the northern province.",
     "The central government granted a loan to the northern province."),
    ("drop_charges", "CONCEDE", "Prosecutors dropped the charges against the opposition leader.",
     "Prosecutors dropped the files on the floor of the court."),
    ("back_to_work", "CONCEDE", "The striking miners returned to work on Monday.",
     "The striking miners returned to the city on Monday."),
    ("heed_demands", "CONCEDE", "The governor heeded the demands of the farmers.",
     "The governor read the letters of the farmers."),
    # releases, refusals, requests, support, protest
    ("compromise", "CONCEDE", "Israel and Hamas compromised on the prisoner list.",
     "Israel and Hamas commented on the prisoner list."),
    ("release_person", "RETREAT", "The kidnappers released the provincial governor on Sunday.",
     "The ministry released the provincial budget on Sunday."),
    ("turn_down", "REJECT", "Belgrade turned down the offer of mediation.",
     "Belgrade turned down the volume of the broadcasts."),
    ("ask_to", "REQUEST", "Chile asked Bolivia to return the seized trucks.",
     "Chile asked about the seized trucks."),
    ("pay_tribute", "SUPPORT", "The premier paid tribute to the rescue workers.",
     "The premier paid a visit to the rescue workers."),
    ("take_to_streets", "PROTEST", "Thousands of nurses took to the streets of Lisbon.",
     "Thousands of nurses took to the wards of Lisbon."),
]


@pytest.mark.parametrize("name,type_,text,_", CLASSES, ids=[c[0] for c in CLASSES])
def test_class_fires(coder, name, type_, text, _):
    assert type_ in types(coder, text), (text, code(coder, text))


@pytest.mark.parametrize("name,type_,_,text", CLASSES, ids=[c[0] for c in CLASSES])
def test_similar_sentence_does_not(coder, name, type_, _, text):
    assert type_ not in types(coder, text), (text, code(coder, text))


def test_phrase_trigger_covers_its_words(coder):
    """The trigger of a verb phrase entry is the phrase, not the verb alone."""
    got = [e["trigger"]["text"] for e in code(coder, "Settlers set fire to the council offices overnight.")
           if e["type"] == "ASSAULT"]
    assert got == ["set fire"]


def test_relative_clause_object_is_the_antecedent(coder):
    """'a pact which the two leaders signed': the pact is what was signed."""
    from eventwire.events import objects_of
    from eventwire.syntax import lemma
    doc = coder.nlp("Rebels occupied the town which the army had abandoned.")
    verb = next(t for t in doc if t.lemma_ == "abandon")
    assert [lemma(o) for o in objects_of(verb)] == ["town"]


def test_forces_arriving_are_no_state_visit(coder):
    got = [(e["type"], e["mode"]) for e in code(coder, "Indian troops arrived in Juba on Monday.")]
    assert ("MOBILIZE", "troops") in got and not any(t == "CONSULT" for t, _ in got)


def test_refused_deployment_is_coded_beside_the_refusal(coder):
    events = code(coder, "Brazil has refused to deploy peacekeepers in Haiti.")
    assert {"REJECT", "MOBILIZE"} <= {e["type"] for e in events}


def test_bare_on_and_off_in_conditions_are_words_not_booleans():
    """YAML 1.1 reads a bare `on` as true: the lexicon loader turns it back into the word."""
    from eventwire.events import load_lexicon
    preps = [s.needs.get("prep") for s in load_lexicon().verbs["compromise"]]
    assert ["on", "over"] in preps


def test_firing_on_a_crowd_is_an_assault(coder):
    assert "ASSAULT" in types(coder, "Soldiers fired on the crowd outside the stadium.")


def test_a_passive_meeting_is_no_meeting_between_parties(coder):
    """'was met by officers' is a confrontation told in the passive, not a meeting."""
    text = "The marchers tried to leave through a side gate and were met by police officers."
    assert "CONSULT" not in types(coder, text)


def test_keeping_people_from_acting_is_coercion(coder):
    from eventwire.article import Article
    events = coder.code(Article(id="t", text="Guards have blocked lawyers from visiting the jailed editor.", date="2024-05-15")).events
    assert any(e["type"] == "COERCE" and e["trigger"]["text"] == "blocked" for e in events), events


def test_blocking_a_road_from_somewhere_is_no_coercion_of_people(coder):
    from eventwire.article import Article
    events = coder.code(Article(id="t", text="Farmers blocked the highway from the port to the capital.", date="2024-05-15")).events
    assert not any(e["type"] == "COERCE" for e in events), events


def test_regaining_a_town_is_taking_ground(coder):
    from eventwire.article import Article
    events = coder.code(Article(id="t", text="Government forces regained the town of Kidal on Monday.", date="2024-05-15")).events
    assert any(e["trigger"]["text"] == "regained" for e in events), events


def test_regaining_a_majority_is_no_fighting(coder):
    from eventwire.article import Article
    events = coder.code(Article(id="t", text="The party regained its majority in the assembly.", date="2024-05-15")).events
    assert not events, events
