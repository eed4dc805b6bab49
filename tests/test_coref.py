"""Event coreference (coref.py): the mentions of one event become one record."""
from __future__ import annotations

from eventwire.article import Article

PUB = "2024-05-15"  # a Wednesday


def code(coder, text: str) -> list[dict]:
    return coder.code(Article(id="t", text=text, date=PUB)).events


def of_type(coder, text: str, type_: str) -> list[dict]:
    return [e for e in code(coder, text) if e["type"] == type_]



def test_the_attack_is_the_attack_told_before(coder):
    text = ("Gunmen attacked a police post in northern Burkina Faso on Tuesday, killing three officers.\n"
            "The attack was the third on the post this year, a security source said.")
    assaults = of_type(coder, text, "ASSAULT")
    assert len(assaults) == 1, [e["trigger"]["text"] for e in assaults]
    assert any(m["text"].lower() == "attack" for m in assaults[0]["mentions"])


def test_possessive_description_points_back(coder):
    text = ("Militants bombed a bus depot in Peshawar on Monday.\n"
            "Officials said Monday's bombing had been planned for weeks.")
    assaults = of_type(coder, text, "ASSAULT")
    assert len(assaults) == 1, [e["trigger"]["text"] for e in assaults]


def test_description_with_a_place_of_its_own_is_another_event(coder):
    text = ("Militants bombed a bus depot in Peshawar on Monday.\n"
            "The bombings in Nairobi last year were carried out by a different group.")
    assaults = of_type(coder, text, "ASSAULT")
    assert len(assaults) == 2, [e["trigger"]["text"] for e in assaults]


def test_indefinite_noun_is_a_new_event(coder):
    text = ("Rebels shelled the outskirts of Goma on Friday.\n"
            "In a separate incident, a roadside bomb hit an army truck near Beni.")
    assaults = of_type(coder, text, "ASSAULT")
    assert len(assaults) == 2, [e["trigger"]["text"] for e in assaults]


def test_same_type_twice_in_one_sentence_is_one_event(coder):
    text = "Nurses in Lima walked out on strike on Monday, and the strike shut two hospitals."
    protests = of_type(coder, text, "PROTEST")
    assert len(protests) == 1, [e["trigger"]["text"] for e in protests]


def test_two_parties_acting_alike_in_one_sentence_stay_apart(coder):
    text = "Egypt arrested ten smugglers on Sunday, and Libya arrested six fishermen on Monday."
    arrests = of_type(coder, text, "COERCE")
    assert len(arrests) == 2, [(e["trigger"]["text"], e["actors"]) for e in arrests]


def test_other_people_in_another_count_are_another_arrest(coder):
    text = ("Police in Tromso arrested two men in connection with the arson attack.\n"
            "Later that night police arrested eleven students after a brawl near the harbour.")
    arrests = of_type(coder, text, "COERCE")
    assert len(arrests) == 2, [(e["trigger"]["text"], e["recipients"]) for e in arrests]


def test_the_same_people_told_again_are_one_arrest(coder):
    text = ("Police in Tromso arrested two men in connection with the arson attack.\n"
            "The two men were arrested by police outside a bar, officers said.")
    arrests = of_type(coder, text, "COERCE")
    assert len(arrests) == 1, [(e["trigger"]["text"], e["recipients"]) for e in arrests]


def test_another_count_with_unparsed_victims_is_another_arrest(coder):
    text = ("Police in Tromso arrested two men in connection with the arson attack on Saturday.\n"
            "Police arrested nine more on suspicion of looting.")
    arrests = of_type(coder, text, "COERCE")
    assert len(arrests) == 2, [(e["trigger"]["text"], e["size"]) for e in arrests]


def test_a_denial_is_not_merged_into_the_report_it_denies(coder):
    text = ("Government troops shelled the village of Rasno on Tuesday, residents said.\n"
            "The army denied that its troops had shelled the village.")
    shellings = of_type(coder, text, "ASSAULT")
    assert sorted(e["status"] for e in shellings) == ["asserted", "denied"], \
        [(e["trigger"]["text"], e["status"]) for e in shellings]


def test_a_tally_many_times_larger_is_not_the_toll_told_again(coder):
    text = ("Militiamen killed four police officers near Mopti on Saturday.\n"
            "More than 300 police officers have been killed in the region since 2012.")
    assaults = of_type(coder, text, "ASSAULT")
    assert len(assaults) == 2, [e["trigger"]["text"] for e in assaults]


def test_a_toll_updated_by_a_little_is_the_same_attack(coder):
    text = ("Militiamen killed four Malian soldiers near Mopti on Saturday.\n"
            "Officials later said the militiamen had killed six Malian soldiers near Mopti.")
    assaults = of_type(coder, text, "ASSAULT")
    assert len(assaults) == 1, [e["trigger"]["text"] for e in assaults]


def test_protests_in_two_far_apart_towns_are_two_events(coder):
    text = ("Teachers protested in Kisumu on Tuesday against unpaid salaries.\n"
            "Teachers also protested in Mombasa on Tuesday against unpaid salaries.")
    protests = of_type(coder, text, "PROTEST")
    assert len(protests) == 2, [e["trigger"]["text"] for e in protests]


def test_a_protest_told_again_in_the_same_town_is_one_event(coder):
    text = ("Teachers protested in Kisumu on Tuesday against unpaid salaries.\n"
            "The teachers protested in Kisumu until the evening, witnesses said.")
    protests = of_type(coder, text, "PROTEST")
    assert len(protests) == 1, [e["trigger"]["text"] for e in protests]


def test_a_country_and_its_army_are_one_party_but_not_its_protesters(coder):
    from eventwire.coref import _identities
    from eventwire.records import Actor
    state = Actor(text="Chile", start=0, end=5, name="Chile", country="CHL")
    army = Actor(text="Chilean troops", start=0, end=5, name="Chilean troops", country="CHL", sector="MIL", kind="role")
    crowd = Actor(text="Chilean students", start=0, end=5, name="Chilean students", country="CHL", sector="CVL", kind="role")
    assert _identities([state]) & _identities([army])
    assert not _identities([crowd]) & _identities([army])


def test_a_relative_of_a_leader_acts_on_his_own(coder):
    text = ("Officials said the governor's nephew met the union leaders on Friday.\n"
            "The governor himself met the union leaders over the weekend.")
    meetings = of_type(coder, text, "CONSULT")
    assert len(meetings) == 2, [(e["trigger"]["text"], e["actors"]) for e in meetings]


def test_two_names_for_one_side_may_be_one_event(coder):
    text = ("Soldiers fired on protesters in Kisumu on Tuesday.\n"
            "Witnesses said the troops fired on the protesters in Kisumu for an hour.")
    assaults = of_type(coder, text, "ASSAULT")
    assert len(assaults) == 1, [(e["trigger"]["text"], e["actors"]) for e in assaults]


def test_its_airspace_is_the_countrys_not_the_planes(coder):
    evs = code(coder, "Norway said a Russian plane had violated its airspace.")
    violation = [e for e in evs if e["trigger"]["text"] == "violated"]
    assert violation and [r["country"] for r in violation[0]["recipients"]] == ["NOR"], evs
    assert any(e["type"] == "ACCUSE" and e["actors"][0]["country"] == "NOR" for e in evs), evs


def test_its_engine_is_the_planes_and_no_grievance(coder):
    evs = code(coder, "Norway said a Russian plane had lost its engine over the sea.")
    assert not any(e["type"] == "ACCUSE" for e in evs), evs


def test_a_mention_naming_its_parties_leads_one_naming_none(coder):
    text = "In a new mediation effort, Karvia said on Monday it had sent an envoy to Lorea."
    found = of_type(coder, text, "CONSULT")
    assert len(found) == 1 and found[0]["trigger"]["text"] == "sent"
    assert [m["text"] for m in found[0]["mentions"]] == ["mediation"]


def test_the_first_of_two_mentions_naming_parties_leads(coder):
    text = "Karvia sent an envoy to Lorea on Monday. Karvia's envoy held talks in Lorea's capital."
    found = of_type(coder, text, "CONSULT")
    assert found and found[0]["trigger"]["text"] == "sent"
