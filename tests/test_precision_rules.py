"""Rules that keep opinions, other senses and company news out of the events (each with a
sentence where it must fire and a similar one where it must not)."""
from __future__ import annotations

import pytest

from eventwire.article import Article

PUB = "2023-03-08"


def code(coder, text: str) -> list[dict]:
    # a first line is a headline in a text file, not here: one Article, body only
    return coder.code(Article(id="t", text=text, date=PUB)).events


def confident(coder, text: str) -> list[dict]:
    """What `eventwire code` prints: the records at or above the default confidence cut."""
    from eventwire.relevance import confident as above_cut
    return above_cut(code(coder, text))


def typed(coder, text: str, type_: str) -> list[dict]:
    return [e for e in code(coder, text) if e["type"] == type_]


# -- "X said Y must ...": a demand of a party, or for an act ---------------------------------

def test_a_demand_names_the_party_that_must_act(coder):
    reqs = typed(coder, "The coast guard said Valdoria must release the three detained trawlermen.", "REQUEST")
    assert len(reqs) == 1 and reqs[0]["recipients"], reqs


def test_a_demand_for_an_act_needs_no_addressee(coder):
    events = code(coder, "The envoy said the blockade of the port should be lifted.")
    # the demand's own words are its trigger; the verb of saying only anchors it
    assert [e["type"] for e in events if e["trigger"]["text"] == "should be lifted"] == ["REQUEST"], events
    # what is demanded has not happened
    assert not any(e["trigger"]["text"] == "lifted" and e["status"] == "asserted" for e in events)


def test_an_opinion_about_a_thing_is_no_demand(coder):
    assert not typed(coder, "The envoy said it has to be settled before the summer.", "REQUEST")
    assert not typed(coder, "The envoy said the brand should not be smothered by its owner.", "REQUEST")


# -- "demonstrate" protests only without an object -------------------------------------------

def test_demonstrating_in_the_street_is_a_protest(coder):
    assert typed(coder, "Nurses demonstrated outside the health ministry in Accra on Monday.", "PROTEST")


def test_demonstrating_a_quality_is_no_protest(coder):
    assert not typed(coder, "The governor demonstrated his loyalty by attending the parade in Accra.", "PROTEST")
    assert not typed(coder, "The navy's reach was demonstrated by the long patrol.", "PROTEST")


# -- the office an act is done in --------------------------------------------------------------

def test_leaving_a_company_office_is_company_news(coder):
    text = "Mr. Halvard, the founder of Brintex, resigned as its chief operating officer in May."
    assert not typed(coder, text, "RETREAT")


def test_leaving_a_public_office_is_political(coder):
    text = "Mr. Halvard resigned as interior minister in May."
    assert typed(coder, text, "RETREAT")


# -- predicates that name the doer of an event noun ------------------------------------------

def test_the_one_behind_the_killings_did_them(coder):
    ev = typed(coder, "Police believe the Ndoro militia was behind the killings of four farmers.", "ASSAULT")
    assert ev and any("militia" in a["text"] for a in ev[0]["actors"]), ev


def test_at_war_with_names_both_sides(coder):
    ev = typed(coder, "Valdoria has been at war with Ostravia since the spring.", "ASSAULT")
    assert ev and ev[0]["actors"] and ev[0]["recipients"], ev


def test_standing_behind_a_thing_names_no_doer(coder):
    ev = typed(coder, "The mayor was behind the podium when the bombing of the market began.", "ASSAULT")
    assert all(not any("mayor" in a["text"] for a in e["actors"]) for e in ev), ev


# -- only a party promises ------------------------------------------------------------------

def test_a_party_that_will_act_makes_a_promise(coder):
    assert typed(coder, "The army has said it will stop the shelling of the town.", "AGREE")


def test_an_act_as_subject_makes_a_prediction_not_a_promise(coder):
    assert not typed(coder, "The army has said that retaking the hills would stop the shelling of the town.", "AGREE")


# -- a participle on its patient: under way ("being ...") or with its doer ------------------

def test_people_being_expelled_is_an_expulsion_under_way(coder):
    text = "Crowds watched some of the 40 Valdorian diplomats being expelled from Norway board a bus."
    assert typed(coder, text, "SANCTION")


def test_people_expelled_long_ago_are_only_described(coder):
    text = "Crowds watched some of the 40 Valdorian diplomats expelled in 1998 board a bus."
    assert not typed(coder, text, "SANCTION")


def test_a_party_named_by_the_verb_and_the_noun_is_listed_once(coder):
    for e in code(coder, "Norland will give Ostravia a grant of ten million euros."):
        spans = [(r["start"], r["end"]) for r in e["recipients"]]
        assert len(spans) == len(set(spans)), e


# -- a force's command speaks as a body; "on his command" is an order ------------------------

def test_an_army_command_is_the_army_speaking(coder):
    ev = typed(coder, "The Malian army command says it has retaken the town of Ber.", "ASSAULT")
    assert ev and any(a["sector"] == "MIL" for a in ev[0]["actors"]), ev


def test_on_his_command_names_no_party(coder):
    ev = typed(coder, "The soldiers opened fire on his command, witnesses in Gao said.", "ASSAULT")
    assert all(not any("command" in r["text"] for r in e["recipients"]) for e in ev), ev


# -- "between X and Y" names both sides of a two-sided event ---------------------------------

def test_talks_between_two_parties_have_both(coder):
    ev = typed(coder, "Talks between Sudan and the rebels resumed in Doha on Monday.", "CONSULT")
    assert ev and ev[0]["actors"] and ev[0]["recipients"], ev
    assert ev[0]["actors"][0]["country"] == "SDN"


def test_one_party_between_places_is_no_second_side(coder):
    ev = typed(coder, "The rebels held talks in the border town between Kassala and Gedaref.", "CONSULT")
    assert all(a["text"] != "Gedaref" for e in ev for a in e["actors"]), ev


# -- "in cooperation with": the clause's subject acts together with the 'with' party ---------

def test_in_cooperation_with_names_the_subject(coder):
    ev = typed(coder, "Kenyan troops swept the forest in cooperation with Somali forces.", "COOPERATE")
    assert ev and ev[0]["actors"] and ev[0]["actors"][0]["country"] == "KEN", ev


def test_a_passive_clause_gives_no_joint_doer(coder):
    ev = typed(coder, "The forest was swept in cooperation with Somali forces.", "COOPERATE")
    assert all(not e["actors"] or e["actors"][0]["country"] != "KEN" for e in ev), ev


# -- who gets what an event noun gives; acts done together -----------------------------------

def test_the_one_who_receives_aid_is_its_recipient(coder):
    ev = typed(coder, "Somalia received humanitarian aid from Japan last week.", "AID")
    assert ev and ev[0]["actors"][0]["country"] == "JPN" and ev[0]["recipients"][0]["country"] == "SOM", ev


def test_the_one_who_gives_aid_is_not_its_recipient(coder):
    ev = typed(coder, "Japan sent humanitarian aid last week.", "AID")
    assert ev and ev[0]["actors"][0]["country"] == "JPN"
    assert not any(r["country"] == "JPN" for r in ev[0]["recipients"]), ev


def test_two_signers_are_actor_and_counterpart(coder):
    ev = typed(coder, "Kenya and Chad signed a border accord on Friday.", "AGREE")
    assert ev and [a["country"] for a in ev[0]["actors"]] == ["KEN"], ev
    assert [r["country"] for r in ev[0]["recipients"]] == ["TCD"], ev


def test_two_forces_arresting_together_both_act(coder):
    ev = typed(coder, "The army and the police arrested six men in Kano.", "COERCE")
    assert ev and len(ev[0]["actors"]) == 2, ev


# -- taking part: "her role in", "linked to", "involved in" name the doer ---------------------

def test_a_role_in_the_riots_names_who_rioted(coder):
    text = "A Danish student was questioned over his possible role in rioting during the summit."
    ev = typed(coder, text, "PROTEST")
    assert ev and ev[0]["actors"], ev


def test_officers_involved_in_a_killing_did_it(coder):
    ev = typed(coder, "Two officers were involved in the killing of the student in Kano.", "ASSAULT")
    assert ev and any("officers" in a["text"] for a in ev[0]["actors"]), ev


def test_a_role_without_a_holder_names_no_doer(coder):
    ev = typed(coder, "Rioting played a part in the fall of the government in Lomé.", "PROTEST")
    assert all(not e["actors"] for e in ev), ev


# -- the violence a sentence punishes happened; the punishment is no second act --------------

def test_the_killing_a_sentence_punishes_is_an_event(coder):
    text = "Oduya is now serving a jail sentence for the 2009 assassination of the mayor of Kisumu."
    assert typed(coder, text, "SANCTION") and typed(coder, text, "ASSAULT")


def test_the_detention_a_court_orders_is_the_sentence_itself(coder):
    text = "A court in Kisumu sentenced the editor to 30 days detention on Monday."
    assert not typed(coder, text, "COERCE")


# -- a description with a name in apposition is that name ------------------------------------

def test_the_name_in_apposition_is_the_actor(coder):
    ev = typed(coder, "Ostravia's biggest opposition party, the Liberal League, is threatening to boycott the vote.", "THREATEN")
    assert ev and "Liberal League" in ev[0]["actors"][0]["text"], ev


def test_a_description_in_apposition_leaves_the_name(coder):
    ev = typed(coder, "The Liberal League, a small party, rejected the plan on Monday.", "REJECT")
    assert ev and "Liberal League" in ev[0]["actors"][0]["text"], ev


def test_a_company_officer_named_in_apposition_resigning_is_company_news(coder):
    text = ("Board changes\nVellor Systems Inc.'s chief financial officer, Ruth Amsel, resigned on Friday. "
            "Ms. Amsel resigned to start a consulting firm, Vellor said.")
    assert not typed(coder, text, "RETREAT")


def test_a_minister_named_in_apposition_resigning_is_political(coder):
    text = ("Cabinet changes\nThe country's finance minister, Ruth Amsel, resigned on Friday. "
            "Ms. Amsel resigned after a row over the budget, officials said.")
    assert typed(coder, text, "RETREAT")


def test_the_possessive_of_an_act_done_to_someone_is_its_target(coder):
    text = "Court ruling\nA judge in Karvia ordered on Monday that the editor Lina Petek's detention be extended."
    held = [e for e in code(coder, text) if e["trigger"]["text"] == "detention"]
    assert held and any("Petek" in r["text"] for r in held[0]["recipients"])
    assert not any("Petek" in a["text"] for a in held[0]["actors"])


def test_the_possessive_of_an_act_someone_does_is_its_doer(coder):
    text = "Border fighting\nKarvia's offensive against the border villages began on Monday."
    found = [e for e in code(coder, text) if e["trigger"]["text"] == "offensive"]
    assert found and any("Karvia" in a["text"] for a in found[0]["actors"])


def test_a_company_called_by_its_short_name_is_still_a_business(coder):
    text = ("Chip deal\nOrvane Semiconductor Corp. reported higher sales on Monday. "
            "Analysts said Orvane agreed on terms with a rival supplier last week.")
    assert not typed(coder, text, "AGREE")


def test_a_short_name_with_no_company_named_in_full_stays_a_party(coder):
    text = ("Border deal\nThe Orvane authorities reported calm on Monday. "
            "Officials said Orvane agreed on a ceasefire with Karvia last week.")
    assert typed(coder, text, "AGREE")


def test_a_clash_between_two_firms_is_a_rivalry(coder):
    text = ("Takeover fight\nHalden Motor Co. and Brisco Industries Inc. both want the plant. "
            "Traders are betting on a clash between Halden and Brisco over the bid.")
    assert not typed(coder, text, "ASSAULT")


def test_workers_blocking_a_road_is_no_rivalry(coder):
    text = ("Road blocked\nHalden Motor Co. closed its plant on Monday. "
            "Angry workers blocked the main road to the plant for six hours on Tuesday.")
    assert typed(coder, text, "PROTEST")


def test_a_time_phrase_is_no_preposition_of_a_phrasal_verb(coder):
    text = "Night shift\nReporters called the border post on Friday, and an officer read out a statement."
    assert not typed(coder, text, "REQUEST")


def test_call_on_a_party_is_a_request(coder):
    text = "Mine dispute\nThe miners' union called on the government on Friday to reopen the pits."
    assert typed(coder, text, "REQUEST")


@pytest.mark.parametrize("text", [
    "Bribery case\nThe former governor pleaded guilty to bribery on Monday.",
    "Land case\nThe province filed a contempt petition in the high court on Tuesday.",
    "Jail case\nDefence lawyers petitioned the court to free the two reporters.",
])
def test_court_pleas_and_petitions_are_no_protest_or_request(coder, text):
    assert not [e for e in code(coder, text) if e["type"] in ("REQUEST", "PROTEST")]


@pytest.mark.parametrize("text,etype", [
    ("Hostage appeal\nRelatives pleaded with the kidnappers to free the two engineers.", "REQUEST"),
    ("Dam protest\nFarmers signed a petition against the new dam on Sunday.", "PROTEST"),
    ("Eviction fight\nTenants petitioned the mayor to halt the evictions.", "REQUEST"),
])
def test_pleas_and_petitions_to_parties_are_requests_and_protests(coder, text, etype):
    assert typed(coder, text, etype)


def test_a_trip_inside_ones_own_country_is_no_visit(coder):
    text = "On the road\nGerman Chancellor Ulrike Brandt arrived in Leipzig on Monday."
    assert not typed(coder, text, "CONSULT")


@pytest.mark.parametrize("text", [
    "On the road\nGerman Chancellor Ulrike Brandt arrived in Warsaw on Monday.",
    "On the road\nGerman Chancellor Ulrike Brandt visited Leipzig on Monday to meet the mayor.",
])
def test_a_trip_abroad_or_to_meet_someone_is_a_visit(coder, text):
    assert typed(coder, text, "CONSULT")


def test_an_order_to_another_party_is_coercion(coder):
    text = "The Lorean interior ministry ordered the main opposition party to disband on Monday."
    assert any(e["type"] == "COERCE" and e["trigger"]["text"] == "ordered" for e in code(coder, text))


def test_an_order_to_ones_own_troops_is_the_act_ordered(coder):
    text = "Pullback\nThe Lorean president ordered troops to withdraw from the two border villages."
    events = code(coder, text)
    assert not [e for e in events if e["type"] == "COERCE"]
    assert [e for e in events if e["type"] == "RETREAT"]


@pytest.mark.parametrize("text,sector", [
    ("Gunmen fired rockets at an army base near the border on Monday.", "MIL"),
    ("Rioters threw stones at a police van in the old town.", "COP"),
])
def test_a_thing_hit_points_to_the_body_that_owns_it(coder, text, sector):
    hits = typed(coder, text, "ASSAULT")
    assert hits and any(r["sector"] == sector for r in hits[0]["recipients"])


def test_a_thing_of_no_body_gives_no_target(coder):
    hits = [e for e in code(coder, "Gunmen fired rockets at a wooden bridge near the border on Monday.")
            if e["type"] == "ASSAULT"]
    assert hits and not hits[0]["recipients"]


def test_shots_fired_are_no_fire_disaster(coder):
    text = "Mortar shells were fired at the police post from the hills on Sunday night."
    assert [e for e in code(coder, text) if e["type"] == "ASSAULT" and e["trigger"]["text"] == "fired"]


def test_a_fire_beside_the_harm_is_still_a_disaster(coder):
    text = "Two guards died when a fire swept through the depot on Sunday night."
    assert not typed(coder, text, "ASSAULT")


def test_members_of_a_faith_are_people(coder):
    found = [e for e in code(coder, "Police arrested six Catholics after the march in the city centre.")
             if e["type"] == "COERCE"]
    assert found and any(r["sector"] == "CVL" for r in found[0]["recipients"])


def test_what_a_protest_demands_is_the_protests_content(coder):
    events = code(coder, "About 60 percent of Lorean nurses are out on strike, demanding safer wards.")
    assert [e["type"] for e in events] == ["PROTEST"]
    assert events[0]["actors"] and "nurses" in events[0]["actors"][0]["text"]


def test_a_demand_beside_no_protest_is_a_request(coder):
    events = code(coder, "The Lorean dockers' union wrote to the minister on Monday, demanding safer cranes.")
    assert any(e["type"] == "REQUEST" for e in events)


@pytest.mark.parametrize("text", [
    "The Lorean premier was unwilling to commit to the joint patrols.",
    "Karvia is reluctant to accept the border plan.",
])
def test_an_act_its_doer_is_unwilling_to_do_is_refused(coder, text):
    types = [e["type"] for e in code(coder, text)]
    assert "REJECT" in types and "AGREE" not in types


def test_an_act_its_doer_is_willing_to_do_is_no_refusal(coder):
    assert not typed(coder, "Karvia is willing to accept the border plan.", "REJECT")


def test_a_crowd_turning_out_is_a_gathering(coder):
    assert typed(coder, "Thousands of people turned out to back the jailed mayor outside the court.", "PROTEST")


def test_a_result_turning_out_is_no_gathering(coder):
    assert not typed(coder, "The count turned out closer than the pollsters expected.", "PROTEST")


def test_a_firm_asking_regulators_for_approval_deals_with_the_state(coder):
    found = typed(coder, "The Lorean miner sought antitrust clearance from regulators last week.", "REQUEST")
    assert found and any(r["sector"] == "GOV" for r in found[0]["recipients"])


def test_seeking_to_do_something_is_no_request(coder):
    assert not typed(coder, "The Lorean minister sought to reassure voters on Monday.", "REQUEST")


def test_a_blast_that_rocks_a_place_is_reported_not_a_topic(coder):
    assert typed(coder, "A car bomb blast rocked the centre of Karvia's capital.", "ASSAULT")


def test_a_blast_as_a_topic_is_generic(coder):
    assert not typed(coder, "Bomb blasts are a constant fear for the shopkeepers of the old town.", "ASSAULT")


def test_there_is_tells_an_event_noun_as_happening_or_not(coder):
    found = confident(coder, "Police said there have been no arrests so far.")
    assert any(e["type"] == "COERCE" and e["status"] == "negated" for e in found)


def test_an_event_noun_as_a_topic_is_no_event(coder):
    assert not confident(coder, "Arrests are rare in cases like these, lawyers say.")


def test_victims_of_an_event_report_it_as_suffered(coder):
    assert any(e["type"] == "ASSAULT" for e in confident(coder, "Many children were victims of the shelling, doctors said."))


def test_victims_of_no_event_word_are_no_event(coder):
    assert not confident(coder, "The minister spoke to the victims of the floods on Monday.")


def test_aid_committed_to_is_aid_given(coder):
    found = typed(coder, "The Lorean cabinet has so far refused to commit to direct military assistance for the coalition.", "AID")
    assert found and found[0]["status"] != "asserted"


def test_a_verb_phrase_naming_a_noun_event_is_that_event(coder):
    found = typed(coder, "The jailed blogger Ana Petek went on a hunger strike on Monday.", "PROTEST")
    assert len(found) == 1 and found[0]["mode"] == "hunger"


def test_two_protests_of_one_sentence_stay_two(coder):
    found = typed(coder, "Farmers went on strike on Monday and students staged a sit-in at the ministry.", "PROTEST")
    assert len(found) == 2


def test_a_permission_sought_is_asked_of_whoever_grants_it(coder):
    text = "Halden Motor Co. reported record sales. Halden has sought Canadian antitrust clearance for the deal."
    found = typed(coder, text, "REQUEST")
    assert found and any(r["country"] == "CAN" for r in found[0]["recipients"])


def test_customers_sought_by_a_firm_are_no_request(coder):
    text = "Halden Motor Co. reported record sales. Halden sought new customers in Asia last week."
    assert not typed(coder, text, "REQUEST")
