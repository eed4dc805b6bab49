"""More event classes of the lexicon, each on the team's own sentences: a sentence that must be
coded with the class's type and mode, and a similar one (the same word in another sense, or
the same act by someone it does not fit) that must not give that type."""
from __future__ import annotations

import pytest

from eventwire.article import Article


def code(coder, text: str) -> list[dict]:
    return coder.code(Article(id="t", text=text, date="2024-05-14")).events


# (class, type, mode, a sentence that must give type+mode, a similar one that must not give the type)
CLASSES = [
    # attack verbs told of hackers
    ("hackers_hit", "COERCE", "cyber", "The tax office website was hit by hackers overnight.",
     "The tax office website was hit by a storm overnight."),
    ("hackers_access", "COERCE", "cyber", "Hackers gained access to the email accounts of two senators.",
     "Reporters gained access to the email accounts of two senators."),
    ("malware", "COERCE", "cyber", "The energy ministry in Oslo was the target of a malware attack on Sunday.",
     "The energy ministry in Oslo was the target of a lawsuit on Sunday."),
    # falsehood used as a tool
    ("use_falsehood", "COERCE", "misinformation", "The ruling party used false information to smear its rivals before the vote.",
     "The ruling party used new software to count the votes."),
    # disapproval voiced
    ("voice_outrage", "ACCUSE", "disapprove", "The Chilean foreign minister voiced outrage at the treatment of the detained sailors.",
     "Outrage grew in Chile over the treatment of the detained sailors."),
    ("disapproval", "ACCUSE", "disapprove", "The opposition party expressed its disapproval of the new tax.",
     "The opposition party expressed its hope for a lower tax."),
    ("disapprove_of", "ACCUSE", "disapprove", "Most senators disapprove of the minister's handling of the strike.",
     "Most senators approve of the minister's handling of the strike."),
    # esteem voiced for another party
    ("respect", "SUPPORT", None, "Peru expressed its deep respect for the sovereignty of Bolivia.",
     "Peru lost some respect after the defeat against Bolivia."),
    ("approve_of", "SUPPORT", None, "The bishops approve of the president's plan for land reform.",
     "The bishops approved the budget for the new cathedral."),
    ("ties_closer", "SUPPORT", None, "Vietnam and Laos cemented ties during a two-day visit.",
     "Vietnam and Laos cemented the new road during a two-day visit."),
    # forces ordered to a place
    ("order_forces", "MOBILIZE", "troops", "The president ordered troops to the northern border.",
     "The president ordered new books for the northern schools."),
    # concessions: a strike ended, own plans shelved
    ("resume_work", "CONCEDE", None, "The striking nurses resumed work after the hospital raised their pay.",
     "The printing plant resumed work after the holiday."),
    ("shelve_plan", "CONCEDE", None, "The government shelved its plan to raise fuel prices after the protests.",
     "The carmaker shelved its plan to build a plant in Ohio."),
    # workers striking without a stated cause; a promise of harm
    ("workers_strike", "PROTEST", "strike", "The miners are striking at three pits in Silesia.",
     "The miner struck a guard at the pit in Silesia."),
    ("promise_harm", "THREATEN", None, "The junta promised harsh reprisals against the rebels.",
     "The junta promised new schools for the rebels' villages."),
    # investment announced between countries
    ("investment", "COOPERATE", None, "Japan announced new investment in Kenyan railways.",
     "Japan's investment in Kenyan railways was the subject of a documentary."),
    # a restriction told as ending, an armed struggle halted
    ("curfew_ends", "CONCEDE", None, "The curfew in Mombasa ended at dawn on Sunday.",
     "The curfew in Mombasa was imposed at dusk on Sunday."),
    ("struggle_halted", "RETREAT", "ceasefire", "The guerrilla front suspended its armed struggle in May.",
     "The guerrilla front suspended its spokesman in May."),
    # visas refused as a penalty; forces pulled out; seized goods given back
    ("visa_sanction", "SANCTION", "discontinue", "Canada imposed visa restrictions on four Venezuelan officials.",
     "Canada eased visa rules for Venezuelan students."),
    ("pull_forces", "RETREAT", "withdraw", "Ethiopia pulled its soldiers from the disputed district.",
     "Ethiopia pulled its athletes from the marathon in Berlin."),
    ("return_seized", "RETREAT", "release", "The militia returned the confiscated land to the farmers.",
     "The militia rented the land to the farmers."),
    # concessions: punishment lessened, a hard line softened, power or ground given up
    ("commute", "CONCEDE", None, "The emir commuted the death sentence of a jailed poet.",
     "The emir confirmed the death sentence of a jailed poet."),
    ("soften", "CONCEDE", None, "The cabinet softened its stance on street rallies.",
     "The cabinet hardened its stance on street rallies."),
    ("cede", "CONCEDE", None, "The militia ceded control of the port to the coast guard.",
     "The militia ceded a point in the football match."),
    # forces gathering, standing guard, a larger armed presence; checkpoints manned
    ("mass", "MOBILIZE", "troops", "Thousands of soldiers massed near the frontier with Armenia.",
     "Thousands of fans massed near the stadium in Yerevan."),
    ("stand_guard", "MOBILIZE", "troops", "The governor told soldiers to stand guard at the stadium in Kano.",
     "The governor told fans to stand quietly at the stadium in Kano."),
    ("presence", "MOBILIZE", "troops", "Turkey increased its military presence along the Syrian border.",
     "The airline increased its presence along the Syrian border."),
    ("man_checkpoint", "COERCE", "restrict", "Soldiers manned checkpoints on every road into Goma.",
     "Volunteers manned stalls on every road into Goma."),
    # talks by telephone
    ("telephone", "CONSULT", "phone", "The Kenyan president spoke by telephone with the leader of Uganda.",
     "The Kenyan president spoke at length about the leader of Uganda."),
    # phrasal and colloquial verbs of arrest, expulsion and arson
    ("nab", "COERCE", "arrest", "Police in Lagos nabbed two suspects in the kidnapping.",
     "Fans in Lagos nabbed two tickets for the final."),
    ("kick_out", "COERCE", "deport", "The junta kicked out three foreign correspondents.",
     "The club kicked out three foreign players."),
    ("kick_out_envoys", "SANCTION", "expel", "Moscow kicked out two Estonian diplomats.",
     "Moscow welcomed two Estonian diplomats."),
    ("set_alight", "ASSAULT", "destroy", "Rioters set alight a police station in Dakar.",
     "Candles lit up a police station in Dakar."),
    # stones thrown at someone; people burned to death by someone
    ("throw_stones", "ASSAULT", "primitive", "Youths threw bricks at the border guards near Ceuta.",
     "Youths threw flowers into the sea near Ceuta."),
    ("burn_to_death", "ASSAULT", "primitive", "A teacher was burned to death by a mob in Sokoto.",
     "A teacher was burned to death in a house fire in Sokoto."),
    # joint bodies set up; congratulations sent
    ("joint_body", "COOPERATE", None, "Bolivia and Paraguay set up a joint commission to demarcate the border.",
     "Bolivia set up a commission to study the border."),
    ("congratulate", "SUPPORT", None, "The emir sent his congratulations to the newly elected Tunisian president.",
     "The emir sent his ambassador to the newly elected Tunisian president."),
    # coercion needs a coercer
    ("force", "COERCE", None, "Rebels forced the villagers to leave their homes.",
     "The consulate was forced to close after the audit."),
    # walking off the job, refusing food in protest
    ("walk_off", "PROTEST", "strike", "Bus drivers walked off the job in Lagos on Tuesday.",
     "Bus drivers walked to the depot in Lagos on Tuesday."),
    ("refuse_food", "PROTEST", "hunger", "Dozens of detainees refused food to protest their conditions.",
     "Dozens of detainees received food from the Red Cross."),
    ("fast_protest", "PROTEST", "hunger", "The opposition leader fasted in protest against the election result.",
     "The opposition leader spoke in protest against the election result."),
]


@pytest.mark.parametrize("name,type_,mode,text,_", CLASSES, ids=[c[0] for c in CLASSES])
def test_class_is_coded(coder, name, type_, mode, text, _):
    got = [(e["type"], e["mode"]) for e in code(coder, text)]
    assert (type_, mode) in got, f"{text!r}: {got}"


@pytest.mark.parametrize("name,type_,mode,_,text", CLASSES, ids=[c[0] for c in CLASSES])
def test_other_sense_is_not(coder, name, type_, mode, _, text):
    got = [e["type"] for e in code(coder, text)]
    assert type_ not in got, f"{text!r}: {got}"


@pytest.mark.parametrize("text,type_", [
    # a permission nobody is said to grant is no concession
    ("The refugees would be allowed to stay until the spring.", "CONCEDE"),
    # a war ended as an aim is no halt to fighting
    ("The envoy said both sides want to end the war.", "RETREAT"),
])
def test_not_coded(coder, text, type_):
    got = [e["type"] for e in code(coder, text)]
    assert type_ not in got, f"{text!r}: {got}"
