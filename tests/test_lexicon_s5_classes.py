"""Event classes added in session 5: police sent somewhere (MOBILIZE police), a harm held out
as possible (THREATEN), and threats of acts that are political whoever makes them. Each has a
sentence that must produce it and a similar one that must not."""
from __future__ import annotations

from eventwire.article import Article

PUB = "2024-02-12"


def code(coder, text: str) -> list[dict]:
    return coder.code(Article(id="s5", text=text, date=PUB)).events


def kinds(coder, text: str) -> set[tuple[str, str | None]]:
    return {(e["type"], e["mode"]) for e in code(coder, text)}


def types(coder, text: str) -> set[str]:
    return {e["type"] for e in code(coder, text)}


# -- police sent or standing somewhere ------------------------------------------------------

def test_police_deployed_somewhere_are_a_police_mobilisation(coder):
    assert ("MOBILIZE", "police") in kinds(coder, "The ministry deployed riot police around the harbour on Sunday.")
    assert ("MOBILIZE", "police") in kinds(coder, "Hundreds of police deployed across Tarvos before the vote.")
    assert ("MOBILIZE", "police") in kinds(coder, "The mayor ordered police into the old town.")


def test_police_using_a_weapon_or_ordered_to_act_are_no_mobilisation(coder):
    assert "MOBILIZE" not in types(coder, "Police deployed pepper spray against the marchers.")
    assert "MOBILIZE" not in types(coder, "The mayor ordered police to detain the organisers.")


def test_armed_forces_deployed_stay_troops(coder):
    assert ("MOBILIZE", "troops") in kinds(coder, "The navy deployed marines along the coast of Tarvos.")


# -- a harm held out as possible ------------------------------------------------------------

def test_raising_the_prospect_of_a_penalty_is_a_threat(coder):
    assert "THREATEN" in types(coder, "The trade minister raised the prospect of tariffs on Ostravian steel.")
    assert "THREATEN" in types(coder, "The premier floated the possibility of a night curfew in Lorea.")


def test_raising_the_prospect_of_talks_or_an_issue_is_no_threat(coder):
    assert "THREATEN" not in types(coder, "The trade minister raised the prospect of talks with Ostravia.")
    assert "THREATEN" not in types(coder, "The senator raised the matter of tariffs with the minister.")


# -- a threat is as political as the act it threatens --------------------------------------

def test_workers_threatening_a_strike_make_a_threat(coder):
    events = code(coder, "Dock workers threatened a strike over the new shift rota.")
    assert any(e["type"] == "THREATEN" for e in events), events


def test_workers_threatening_a_market_act_make_no_threat(coder):
    events = code(coder, "The carmaker threatened to sell its stake in the battery plant.")
    assert not any(e["type"] == "THREATEN" for e in events), events


# -- an event noun told as starting, or as done by someone, is no topic ---------------------

def test_an_act_told_as_beginning_or_going_on_is_kept(coder):
    assert "RETREAT" in types(coder, "A truce began at dawn in the Ostravian hills.")
    assert "ACCUSE" in types(coder, "An inquiry started into the prison deaths.")


def test_an_act_named_as_a_topic_is_still_dropped(coder):
    assert "RETREAT" not in types(coder, "A truce is the only way out, the envoy wrote in a column.")


def test_an_act_a_participle_says_someone_did_is_kept(coder):
    assert "CONCEDE" in types(coder, "Concessions made by the cabinet eased the standoff with the unions.")


def test_an_act_a_participle_only_describes_is_still_dropped(coder):
    assert "CONCEDE" not in types(coder, "Concessions seem a sign of weakness to many voters.")


# -- a commission set up to look into wrongs --------------------------------------------------

def test_a_commission_launched_on_abuses_is_an_investigation(coder):
    assert ("ACCUSE", "investigate") in kinds(coder, "The justice ministry launched a commission on police abuses in Tarvos.")


def test_a_commission_on_trade_is_no_investigation(coder):
    assert "ACCUSE" not in types(coder, "The justice ministry launched a commission on trade rules.")


# -- an authority stopping its own contested works -------------------------------------------

def test_an_authority_freezing_its_own_works_concedes(coder):
    assert "CONCEDE" in types(coder, "The Ostravian government agreed to freeze dam construction on the river.")


def test_a_firm_halting_construction_concedes_nothing(coder):
    assert "CONCEDE" not in types(coder, "The mining company halted construction of its smelter.")


# -- the other side's demands granted ---------------------------------------------------------

def test_agreeing_to_the_other_sides_demands_is_a_concession(coder):
    assert "CONCEDE" in types(coder, "The port authority agreed to the dockers' demands on Friday.")
    assert "CONCEDE" in types(coder, "The governor accepted the farmers' demands after a week of blockades.")


def test_agreeing_to_terms_stays_an_agreement(coder):
    found = types(coder, "The port authority agreed to the terms of the new contract.")
    assert "AGREE" in found and "CONCEDE" not in found


# -- an intent to cooperate voiced; fighting told as stopping -----------------------------------

def test_a_willingness_expressed_is_an_agreement(coder):
    assert "AGREE" in types(coder, "The Ostravian premier expressed his willingness to work with the new council.")


def test_a_willingness_asked_about_is_none(coder):
    assert "AGREE" not in types(coder, "Reporters questioned the premier's willingness to compromise.")


def test_fighting_told_as_stopping_is_a_ceasefire(coder):
    assert ("RETREAT", "ceasefire") in kinds(coder, "Fighting stopped on Sunday in the hills above Tarvos.")


def test_a_meeting_that_stopped_is_no_ceasefire(coder):
    assert "RETREAT" not in types(coder, "The council meeting stopped at noon in Tarvos.")


# -- a cooperative act its doer says it will not do is refused; assured not to do, promised ---------

def test_saying_one_will_not_ease_a_measure_is_a_refusal(coder):
    found = kinds(coder, "The ministry said it will not lift the export ban on Tarvos grain.")
    assert "REJECT" in {t for t, _ in found} and "AGREE" not in {t for t, _ in found}


def test_assuring_one_will_not_do_an_act_is_a_promise(coder):
    found = kinds(coder, "The premier assured Ostravia that Karvia would not join the customs bloc.")
    assert "AGREE" in {t for t, _ in found} and "REJECT" not in {t for t, _ in found}


# -- a threat made is an event; a threat as a danger is not -----------------------------------

def test_a_threat_made_is_a_threat(coder):
    assert "THREATEN" in types(coder, "The warlord repeated his threat to burn the granaries of Tarvos.")


def test_a_threat_posed_or_faced_is_a_danger(coder):
    assert "THREATEN" not in types(coder, "The minister said the smugglers pose a threat to the coast.")
    assert "THREATEN" not in types(coder, "Ostravia faces a growing security threat in the east, officials said.")


# -- a promise of a conflictual act is a threat; a promise of a cooperative one an agreement -------

def test_a_pledge_to_attack_is_a_threat(coder):
    found = types(coder, "The militia pledged to attack the Ostravian garrison at Tarvos.")
    assert "THREATEN" in found and "AGREE" not in found


def test_a_pledge_to_free_captives_is_an_agreement(coder):
    found = types(coder, "The militia pledged to free the Ostravian captives at Tarvos.")
    assert "AGREE" in found and "THREATEN" not in found
