"""Status and attribution of acts told inside other constructions: accusations, warnings,
refusals of requests, reports called false. The team's own sentences; each rule has a sentence
where it must fire and a near one where it must not."""
from __future__ import annotations

# the helpers of the cue tests: code a sentence, pick an event, read its source
from test_modality_status import code, event, source  # noqa: F401


def names(actors: list[dict]) -> list[str]:
    return [(a.get("name") or a["text"]) for a in actors]


# --------------------------------------------------------------------------- accusations

def test_the_accused_does_the_act_and_a_bystander_only_alleges_it(coder):
    ev = event(coder, "A watchdog group accused Egypt of torturing detainees in Cairo jails.", "ASSAULT", "tortur")
    assert names(ev["actors"]) == ["Egypt"]
    assert ev["status"] == "unconfirmed" and "watchdog" in source(ev)


def test_one_side_blaming_the_other_claims(coder):
    ev = event(coder, "The ministry blamed Hamas for shelling the market in Sderot.", "ASSAULT", "shelling")
    assert names(ev["actors"]) == ["Hamas"]
    assert ev["status"] == "claimed" and source(ev) == "the ministry"
    ev = event(coder, "The Malian government accused Tuareg rebels of violating the truce.", "ASSAULT", "violat")
    assert ev["status"] == "claimed" and "government" in source(ev)
    # near-miss: a rights group is no side; its charge is an allegation
    ev = event(coder, "A rights group accused Malian troops of torturing prisoners.", "ASSAULT", "tortur")
    assert ev["status"] == "unconfirmed" and "rights group" in source(ev)


def test_passive_accusation_without_accuser_is_unconfirmed(coder):
    ev = event(coder, "Egypt was accused of torturing detainees in Cairo jails.", "ASSAULT", "tortur")
    assert ev["status"] == "unconfirmed"
    # near-miss: the same deed told by the reporter
    ev = event(coder, "Egyptian guards tortured detainees in Cairo jails.", "ASSAULT", "tortur")
    assert ev["status"] == "asserted"


# --------------------------------------------------------------------------- warnings

def test_warning_about_another_partys_act_is_no_threat_of_it(coder):
    ev = event(coder, "Beijing warned that US air strikes on Iran could wreck the talks.", "ASSAULT", "strikes")
    assert ev["status"] == "hypothetical"
    assert "beijing" in source(ev) or "china" in (ev["attributed_to"] or {}).get("name", "").lower()
    # near-miss: the warner's own act is threatened
    ev = event(coder, "Beijing warned that it would bomb Taiwanese bases.", "ASSAULT", "bomb")
    assert ev["status"] == "threatened"


# --------------------------------------------------------------------------- sources

def test_agent_of_a_suspicion_is_its_source(coder):
    ev = event(coder, "Kabul handed over two men suspected by Washington of bombing a convoy.", "ASSAULT", "bombing")
    assert ev["status"] == "unconfirmed" and "washington" in source(ev)


def test_a_participle_on_a_noun_tells_a_deed_of_its_own(coder):
    ev = event(coder, "The junta refused to free activists detained by police last week.", "COERCE", "detained")
    assert ev["status"] == "asserted"
    assert any("police" in a["text"].lower() for a in ev["actors"])
    # near-miss: the act the refusal is about is negated
    ev = event(coder, "The junta refused to free activists detained by police last week.", "RETREAT", "free")
    assert ev["status"] == "negated"


def test_according_to_a_document_names_its_issuer(coder):
    ev = event(coder, "The army shelled three villages, according to a statement by the rebel alliance.", "ASSAULT", "shelled")
    assert source(ev) == "the rebel alliance"
    ev = event(coder, "The army shelled three villages, according to a statement.", "ASSAULT", "shelled")
    assert source(ev) in ("", "a statement")


def test_who_holds_out_a_prospect_or_announces_a_plan_is_the_source(coder):
    ev = event(coder, "The president held out the prospect of more aid to Ghana.", "AID", "aid")
    assert ev["status"] == "hypothetical" and source(ev) == "the president"
    ev = event(coder, "Beijing announced plans to impose sanctions on Lithuania.", "SANCTION", "sanctions")
    assert ev["status"] == "intended" and "beijing" in source(ev)
    assert any("Beijing" in a["text"] for a in ev["actors"])


# --------------------------------------------------------------------------- requests

def test_what_a_refused_request_asks_for_did_not_happen(coder):
    ev = event(coder, "The government rejected calls for the release of the detained journalists.", "RETREAT", "release")
    assert ev["status"] == "negated"
    ev = event(coder, "Israel said it would not meet demands to withdraw from the hills.", "RETREAT", "withdraw")
    assert ev["status"] == "negated"
    # a phrasal verb of refusal refuses too
    ev = event(coder, "The junta turned down appeals for a ceasefire in the north.", "RETREAT", "ceasefire")
    assert ev["status"] == "negated"


def test_what_is_asked_for_is_only_hypothetical(coder):
    ev = event(coder, "The opposition renewed calls for the release of the detained journalists.", "RETREAT", "release")
    assert ev["status"] == "hypothetical" and source(ev) == "the opposition"
    # near-miss: the release told as done
    ev = event(coder, "The government ordered the release of the detained journalists on Monday.", "RETREAT", "release")
    assert ev["status"] != "hypothetical"


# --------------------------------------------------------------------------- reports

def test_a_report_called_false_denies_what_it_tells(coder):
    ev = event(coder, "The general said reports that rebels shelled the airport were false.", "ASSAULT", "shelled")
    assert ev["status"] == "denied" and source(ev) == "the general"
    ev = event(coder, "Claims that the army bombed the clinic are baseless, the ministry said.", "ASSAULT", "bombed")
    assert ev["status"] == "denied" and source(ev) == "the ministry"
    # near-miss: a report called accurate denies nothing
    ev = event(coder, "The general said reports that rebels shelled the airport were accurate.", "ASSAULT", "shelled")
    assert ev["status"] != "denied"


def test_content_of_hearsay_is_unconfirmed_or_a_partys_claim(coder):
    ev = event(coder, "Rights groups have collected allegations that soldiers beat detainees in Kandahar.", "ASSAULT", "beat")
    assert ev["status"] == "unconfirmed"
    ev = event(coder, "The army's claim that it shot down a Turkish drone was repeated on state TV.", "ASSAULT", "shot down")
    assert ev["status"] == "claimed" and "army" in source(ev)
    # near-miss: the reporter's own telling
    ev = event(coder, "Soldiers beat detainees in Kandahar on Friday.", "ASSAULT", "beat")
    assert ev["status"] == "asserted"


def test_an_event_noun_that_is_the_means_takes_the_verbs_modality(coder):
    ev = event(coder, "China listed goods that it could hit with new tariffs.", "SANCTION", "tariffs")
    assert ev["status"] == "hypothetical"
    ev = event(coder, "Washington will punish Moscow with fresh sanctions.", "SANCTION", "sanctions")
    assert ev["status"] == "intended"
    # near-miss: the same means told as done
    ev = event(coder, "China hit American goods with new tariffs on Monday.", "SANCTION", "tariffs")
    assert ev["status"] == "asserted"


def test_between_two_countries_a_compatriot_of_either_side_is_a_party(coder):
    ev = event(coder, "Turkish jets bombed the Iraqi army near Mosul, Iraqi farmers said.", "ASSAULT", "bombed")
    assert ev["status"] == "claimed" and source(ev) == "iraqi farmers"
    # near-miss: a source from neither country
    ev = event(coder, "Turkish jets bombed the Iraqi army near Mosul, Swiss tourists said.", "ASSAULT", "bombed")
    assert ev["status"] == "asserted" and source(ev) == "swiss tourists"
    # near-miss: a compatriot of the doers of another sector may be their enemy
    ev = event(coder, "Khmer Rouge guerrillas killed a British engineer, a Cambodian army general said.", "ASSAULT", "killed")
    assert ev["status"] == "asserted"


def test_closing_verb_of_saying_misread_as_a_participle_is_still_the_source(coder):
    ev = event(coder, "Soldiers beat the villagers with rifle butts, a rights group charged on Monday.", "ASSAULT", "beat")
    assert ev["status"] == "unconfirmed" and source(ev) == "a rights group"
    ev = event(coder, "Border guards abused migrants with impunity, a rights group charged on Monday.", "ASSAULT", "abused")
    assert all("group" not in r["text"] for r in ev["recipients"])
    assert event(coder, "Border guards abused migrants, a rights group charged on Monday.", "ACCUSE", "charged")["actors"]
    # near-miss: a participle on a noun inside the clause is no source
    ev = event(coder, "Police freed the students charged on Friday.", "RETREAT", "freed")
    assert ev["status"] == "asserted" and source(ev) == ""


# --------------------------------------------------------------------------- coordination

def test_coordinated_verbs_share_the_modal_or_negation(coder):
    ev = event(coder, "Israel could strike Iran and invade Lebanon.", "ASSAULT", "invade")
    assert ev["status"] == "hypothetical"
    ev = event(coder, "The junta has not released the prisoners or lifted the curfew in Yangon.", "CONCEDE", "lifted")
    assert ev["status"] == "negated"
    # near-miss: "but" contrasts what was not done with what was done
    ev = event(coder, "The army did not attack the town but shelled the airport.", "ASSAULT", "shelled")
    assert ev["status"] == "asserted"
    # near-miss: a conjunct with a subject of its own is a clause of its own
    ev = event(coder, "Police did not arrest the students and they marched to the palace.", "PROTEST", "marched")
    assert ev["status"] == "asserted"


# --------------------------------------------------------------------------- refusals and denials

def test_ruling_out_voting_against_and_being_unable_negate(coder):
    assert event(coder, "Kenya ruled out sending troops to Somalia.", "MOBILIZE", "sending")["status"] == "negated"
    assert event(coder, "The council voted against imposing sanctions on Iran.", "SANCTION", "sanctions")["status"] == "negated"
    assert event(coder, "The army was unable to retake the town of Kidal.", "ASSAULT", "retake")["status"] == "negated"
    assert event(coder, "The government has yet to sign the peace deal.", "AGREE", "sign")["status"] == "negated"
    # near-misses
    assert event(coder, "The army was able to retake the town of Kidal.", "ASSAULT", "retake")["status"] == "asserted"
    assert event(coder, "The council voted for imposing sanctions on Iran.", "SANCTION", "sanctions")["status"] != "negated"


def test_calling_off_talks_negates_them(coder):
    ev = event(coder, "The UN called off talks with the rebels.", "CONSULT", "talks")
    assert ev["status"] == "negated"


def test_a_warning_to_another_party_against_an_act_makes_it_only_possible(coder):
    ev = event(coder, "The United States warned Iran against attacking shipping in the Gulf.", "ASSAULT", "attacking")
    assert ev["status"] == "hypothetical"
    assert any("Iran" in (a.get("name") or a["text"]) for a in ev["actors"])


def test_a_denial_after_but_covers_what_its_sentence_told_before(coder):
    text = "The general said the army had captured the town, but the rebels denied it."
    ev = event(coder, text, "COERCE", "captured")
    assert ev["status"] == "denied" and source(ev) == "the rebels"
    # near-miss: a coordinated clause that denies nothing
    ev = event(coder, "The general said the army had captured the town, and the rebels fled.", "COERCE", "captured")
    assert ev["status"] != "denied"


def test_rebels_speak_for_rebels(coder):
    ev = event(coder, "Half of the guerrillas have been demobilized since the accord, two rebel commanders told reporters.",
               "RETREAT", "demobilized")
    assert ev["status"] == "claimed" and "rebel commanders" in source(ev)
    # near-miss: the army is no side of an arrest of farmers by the police
    ev = event(coder, "Police arrested two farmers in the north, the army said.", "COERCE", "arrested")
    assert ev["status"] == "asserted"


def test_a_negative_subject_negates_the_act(coder):
    ev = event(coder, "No aircraft had bombed the village, the ministry said.", "ASSAULT", "bombed")
    assert ev["status"] == "negated" and source(ev) == "the ministry" and not ev["actors"]
    assert event(coder, "Nobody was arrested after the riot in Lagos.", "COERCE", "arrested")["status"] == "negated"
    # near-miss: a plain plural subject
    ev = event(coder, "Several aircraft bombed the village, the ministry said.", "ASSAULT", "bombed")
    assert ev["status"] == "asserted" and ev["actors"]


def test_event_noun_reported_as_an_object_rests_on_the_reporter(coder):
    ev = event(coder, "The ministry reported the arrest of 20 militants in Kano.", "COERCE", "arrest")
    assert ev["status"] == "asserted" and source(ev) == "the ministry"


def test_no_plans_to_act_negates_the_act(coder):
    ev = event(coder, "Hamas said it had no plans to attack Israel.", "ASSAULT", "attack")
    assert ev["status"] == "denied" and "hamas" in source(ev)
    # near-miss: plans it has
    ev = event(coder, "Hamas has plans to attack Israel.", "ASSAULT", "attack")
    assert ev["status"] in ("threatened", "intended")
