"""Status and attribution, one test per cue of the precedence in data/modality.yaml, each with
a near-miss where the cue must not fire. The team's own sentences."""
from __future__ import annotations

import pytest

from eventwire.article import Article
from eventwire.modality import CUES, load_cues

PUB = "2024-03-06"


def code(coder, text: str) -> list[dict]:
    return coder.code(Article(id="s", text=text, date=PUB)).events


def event(coder, text: str, type_: str, word: str) -> dict:
    evs = code(coder, text)
    hits = [e for e in evs if e["type"] == type_ and word in e["trigger"]["text"].lower()]
    assert hits, f"no {type_} '{word}' in {text!r}: {[(e['type'], e['trigger']['text']) for e in evs]}"
    return hits[0]


def source(ev: dict) -> str:
    return (ev["attributed_to"] or {}).get("text", "").lower()


def test_precedence_is_data_and_names_known_cues():
    cues = load_cues()
    names = [cue for cue, _ in cues.precedence]
    assert names[-1] == "asserted" and set(names) <= set(CUES)
    assert names.index("denial") < names.index("negation") < names.index("future")


# --------------------------------------------------------------------------- asserted / claimed

def test_neutral_source_is_asserted_with_attribution(coder):
    ev = event(coder, "Witnesses said the gunmen attacked the convoy.", "ASSAULT", "attacked")
    assert ev["status"] == "asserted"
    assert source(ev) == "witnesses"


def test_party_saying_it_did_it_claims(coder):
    ev = event(coder, "The rebels said they attacked the convoy.", "ASSAULT", "attacked")
    assert ev["status"] == "claimed"
    assert source(ev) == "the rebels"


def test_victim_saying_it_was_wronged_claims(coder):
    ev = event(coder, "The journalist says she was detained by soldiers in Harare.", "COERCE", "detained")
    assert ev["status"] == "claimed"
    assert source(ev) == "the journalist"


def test_responsibility_claimed(coder):
    ev = event(coder, "The militia claimed responsibility for the bombing of a bus in Kano.", "ASSAULT", "bombing")
    assert ev["status"] == "claimed"
    assert "militia" in source(ev)


def test_object_of_declare_is_no_report(coder):
    # "declared a curfew": the verb of saying takes no clause, so no one's word is involved
    ev = event(coder, "The junta declared a curfew in the capital and detained two ministers, "
                      "an embassy spokesman said.", "COERCE", "detained")
    assert ev["status"] == "asserted"
    assert "spokesman" in source(ev)


# --------------------------------------------------------------------------- denied / negated

def test_denial_codes_the_denied_act(coder):
    text = "The army denied that its soldiers shot at the marchers."
    ev = event(coder, text, "ASSAULT", "shot")
    assert ev["status"] == "denied"
    assert source(ev) == "the army"
    assert event(coder, text, "REJECT", "denied")["status"] == "asserted"


def test_denial_in_the_next_sentence_covers_the_report(coder):
    text = ("Local media said soldiers attacked the village. The army denied the report. "
            "Separately, police arrested two men in the capital.")
    assert event(coder, text, "ASSAULT", "attacked")["status"] == "denied"
    assert source(event(coder, text, "ASSAULT", "attacked")) == "the army"
    assert event(coder, text, "COERCE", "arrested")["status"] == "asserted"   # not covered


def test_negated(coder):
    assert event(coder, "Police did not arrest the organisers of the march.", "COERCE", "arrest")["status"] == "negated"
    assert event(coder, "Police arrested the organisers of the march.", "COERCE", "arrest")["status"] == "asserted"


def test_refusal_codes_the_refused_act(coder):
    text = "The president refused to meet the opposition leader."
    assert event(coder, text, "CONSULT", "meet")["status"] == "negated"
    assert event(coder, text, "REJECT", "refused")["status"] == "asserted"


# --------------------------------------------------------------------------- future and conditions

def test_threat_codes_the_threatened_act(coder):
    text = "The rebels threatened to attack the capital."
    assert event(coder, text, "ASSAULT", "attack")["status"] == "threatened"
    assert event(coder, text, "THREATEN", "threatened")["status"] == "asserted"


def test_vow_without_a_target_is_no_threat(coder):
    evs = code(coder, "The new mayor vowed to fight corruption.")
    assert all(e["status"] != "threatened" for e in evs)


def test_promise_codes_the_promised_act(coder):
    text = "Japan will send food aid to the flood victims."
    assert event(coder, text, "AID", "aid")["status"] == "intended"
    assert event(coder, text, "AGREE", "aid")["status"] == "asserted"


def test_plan_is_intended(coder):
    ev = event(coder, "The two armies intend to hold joint exercises in May.", "AGREE", "")
    assert ev["status"] == "intended"


def test_condition_is_hypothetical(coder):
    ev = event(coder, "If the talks collapse, the army would attack the rebel stronghold.", "ASSAULT", "attack")
    assert ev["status"] == "hypothetical"


def test_question_is_hypothetical(coder):
    assert event(coder, "Will the army attack the city?", "ASSAULT", "attack")["status"] == "hypothetical"


def test_scheduled_by_its_date_is_intended(coder):
    # published 2024-03-06: a meeting dated four days later has not happened yet
    ev = event(coder, "The two presidents meet for talks in Geneva on March 10.", "CONSULT", "talks")
    assert ev["status"] == "intended"


def test_old_date_is_historical(coder):
    ev = event(coder, "The town was rebuilt after rebels shelled it in 1994.", "ASSAULT", "shelled")
    assert ev["status"] == "historical"


# --------------------------------------------------------------------------- unconfirmed

def test_hedges(coder):
    assert event(coder, "Gunmen reportedly attacked a convoy near Gao.", "ASSAULT", "attacked")["status"] == "unconfirmed"
    assert event(coder, "The army is believed to have shelled the hospital.", "ASSAULT", "shelled")["status"] == "unconfirmed"


def test_unverified_next_sentence_covers_only_its_report(coder):
    text = ("The group posted a video showing fighters executing a soldier. "
            "The footage could not be independently verified. "
            "Separately, police arrested two men in the capital.")
    assert event(coder, text, "ASSAULT", "executing")["status"] == "unconfirmed"
    assert event(coder, text, "COERCE", "arrested")["status"] == "asserted"


def test_checked_event_is_unverified_not_negated(coder):
    ev = event(coder, "Officials said the talks could not be confirmed.", "CONSULT", "talks")
    assert ev["status"] == "unconfirmed"


@pytest.mark.parametrize("cue", sorted(CUES))
def test_every_cue_is_in_the_precedence(cue):
    assert cue in {c for c, _ in load_cues().precedence}


def test_news_agency_is_no_party_of_its_country(coder):
    ev = event(coder, "American troops shot at protesters in Baghdad, the Associated Press reported.", "ASSAULT", "shot")
    assert ev["status"] == "asserted"
    assert "associated press" in source(ev)


def test_condition_before_negation(coder):
    ev = event(coder, "If the army does not attack the rebels, the talks will resume.", "ASSAULT", "attack")
    assert ev["status"] == "hypothetical"
    ev = event(coder, "The army did not attack the rebels.", "ASSAULT", "attack")
    assert ev["status"] == "negated"


def test_negation_in_a_speakers_own_words_is_a_denial(coder):
    ev = event(coder, 'The minister said: "Our soldiers did not attack the village."', "ASSAULT", "attack")
    assert ev["status"] == "denied"
    assert source(ev) == "the minister"
    ev = event(coder, "Witnesses said soldiers did not attack the village.", "ASSAULT", "attack")
    assert ev["status"] == "negated"   # not the witnesses' own act


def test_source_speaking_for_the_victims_claims(coder):
    ev = event(coder, "Army units shelled two Kurdish villages on Friday, a council representing "
                      "the Kurdish villagers said on Sunday.", "ASSAULT", "shelled")
    assert ev["status"] == "claimed"
    ev = event(coder, "Army units shelled two Kurdish villages on Friday, a local official said on Sunday.",
               "ASSAULT", "shelled")
    assert ev["status"] == "asserted"
    assert source(ev) == "a local official"


def test_document_speaks_for_its_issuer(coder):
    ev = event(coder, "Norway will give Malawi a grant of 40 million dollars, a statement issued by "
                      "the Norwegian foreign ministry said.", "AID", "grant")
    assert ev["status"] == "intended"
    assert "ministry" in source(ev)


def test_condition_in_the_verb_a_noun_hangs_from(coder):
    ev = event(coder, "Investigators are checking whether the militia is linked to the bombings.", "ASSAULT", "bombings")
    assert ev["status"] == "hypothetical"


def test_a_later_date_told_in_the_past_is_no_schedule(coder):
    ev = event(coder, "Protesters began a march to the capital on March 10.", "PROTEST", "march")
    assert ev["status"] == "asserted"


def test_rejected_request_refuses_its_content(coder):
    text = "Berlin rejected calls by the opposition for economic aid to the region."
    assert event(coder, text, "AID", "aid")["status"] == "negated"
    assert event(coder, text, "REJECT", "rejected")["status"] == "asserted"
    # a rejected report is a denial of what it reports
    ev = event(coder, "The army rejected reports that its soldiers shot at the marchers.", "ASSAULT", "shot")
    assert ev["status"] == "denied"


def test_no_second_record_for_the_same_act(coder):
    evs = code(coder, "Ghana and Togo signed a treaty of friendship.")
    assert [e["type"] for e in evs].count("AGREE") == 1


def test_demanded_act_is_not_coded_as_happening(coder):
    evs = code(coder, "The envoy said both sides must reach an agreement.")
    assert not [e for e in evs if e["type"] == "AGREE"]


def test_embedded_acts_can_be_switched_off(coder, tmp_path, monkeypatch):
    extra = tmp_path / "modality.yaml"
    extra.write_text("code_embedded_acts: false\n", encoding="utf-8")
    monkeypatch.setenv("EVENTWIRE_MODALITY", str(extra))
    types = [e["type"] for e in code(coder, "The president refused to meet the opposition leader.")]
    assert types == ["REJECT"]


def test_quoted_speaker_is_the_source_across_sentences(coder):
    text = "\u201cOur troops shelled the rebel camp at dawn. We will attack again tomorrow,\u201d the colonel said."
    shelled = event(coder, text, "ASSAULT", "shelled")
    assert shelled["status"] == "claimed" and source(shelled) == "the colonel"
    attack = event(coder, text, "ASSAULT", "attack")
    assert attack["status"] == "intended" and source(attack) == "the colonel"
    # a quote of someone else's deed is his word, not his claim
    ev = event(coder, "\u201cThe rebels shelled the camp at dawn,\u201d the colonel said.", "ASSAULT", "shelled")
    assert ev["status"] == "asserted" and source(ev) == "the colonel"


def test_speaker_of_a_conditional_offer_is_its_source(coder):
    ev = event(coder, "Rebel leaders said they would meet the Kenyan president if he guaranteed their safety.", "CONSULT", "meet")
    assert ev["status"] == "hypothetical"
    assert source(ev) == "rebel leaders"


def test_police_said_is_a_neutral_source(coder):
    ev = event(coder, "Gunmen attacked a convoy near Gao on Monday, police said.", "ASSAULT", "attacked")
    assert ev["status"] == "asserted"
    assert source(ev) == "police"


def test_blame_in_someone_s_words_is_an_allegation(coder):
    ev = event(coder, "Officials say a rebel faction is responsible for the recent bomb attacks.", "ASSAULT", "attacks")
    assert ev["status"] == "unconfirmed"
    assert source(ev) == "officials"
    ev = event(coder, "A rebel faction is responsible for the recent bomb attacks.", "ASSAULT", "attacks")
    assert ev["status"] == "asserted"


# -- a threat or promise made on a condition is made; its act is what is conditional --------

def test_a_threat_with_a_condition_was_made(coder):
    text = "The opposition threatened a boycott of the vote if the election rules are not changed."
    assert event(coder, text, "THREATEN", "threatened")["status"] == "asserted"


def test_an_agreement_offered_only_on_a_condition_is_hypothetical(coder):
    text = "The militia would agree to talks if the army left the valley."
    assert event(coder, text, "AGREE", "agree")["status"] == "hypothetical"
