"""Event classes from issue 14 on the team's own sentences: each must be coded with its PLOVER
type and mode, and a similar sentence using the same word in another sense, or a similar act of
another kind, must not give that type."""
from __future__ import annotations

import pytest

from eventwire.article import Article


def code(coder, text: str) -> list[dict]:
    return coder.code(Article(id="t", text=text, date="2024-03-06")).events


# (class, type, mode, a sentence that must give type+mode, a similar one that must not give the type)
CLASSES = [
    ("destroy", "ASSAULT", "destroy", "Rioters set fire to the town hall in Bangui.", "The town hall in Bangui caught fire on Sunday."),
    ("destroy2", "ASSAULT", "destroy", "Soldiers demolished the homes of the suspects in Hebron.", "The council demolished an old stadium to build a park."),
    ("vandal", "ASSAULT", "destroy", "Vandals smashed the windows of the party office in Tbilisi.", "Fans smashed the record for attendance in Tbilisi."),
    ("capture", "ASSAULT", None, "Rebels seized the town of Kidal after heavy fighting.", "Rebels seized the initiative in the talks."),
    ("retake", "ASSAULT", None, "Government forces recaptured the airport from the militants.", "The champion recaptured the lead in the last lap."),
    ("base", "MOBILIZE", "troops", "The army set up a military base near the border with Sudan.", "The company set up a factory near the border with Sudan."),
    ("checkpoint", "COERCE", "restrict", "Militiamen erected checkpoints on the road to Sirte.", "Workers erected a monument on the road to Sirte."),
    ("curfew", "COERCE", "curfew", "The governor imposed a curfew on Kaduna after the clashes.", "The governor visited Kaduna after the clashes."),
    ("martial", "COERCE", "martial-law", "The king declared a state of emergency across the country.", "The king declared his support for the team."),
    ("ban", "COERCE", "restrict", "The junta banned all political parties.", "The junta met leaders of all political parties."),
    ("censor", "COERCE", "censor", "The regime shut down two independent newspapers.", "The regime shut the meeting to outsiders."),
    ("cyber", "COERCE", "cyber", "Hackers broke into the ministry's servers in a cyberattack.", "Thieves broke into the ministry's garage."),
    ("disinfo", "COERCE", "misinformation", "State media ran a disinformation campaign against the protesters.", "State media ran a campaign to promote tourism."),
    ("deport", "COERCE", "deport", "Algeria expelled hundreds of migrants to Niger.", "Algeria welcomed hundreds of migrants from Niger."),
    ("crowd", "ASSAULT", "crowd-control", "Police dispersed the demonstrators with water cannon.", "Firefighters used water to put out the blaze."),
    ("execute", "ASSAULT", None, "The authorities executed two prisoners convicted of murder.", "The authorities executed the plan without delay."),
    ("massacre", "ASSAULT", None, "Militiamen massacred dozens of villagers in Ituri.", "Critics said the film massacred the novel."),
    ("hunger", "PROTEST", "hunger", "The jailed activist went on hunger strike in protest.", "The jailed activist went to hospital in protest."),
    ("boycott", "PROTEST", "boycott", "Consumers boycotted goods made in Denmark.", "Consumers bought goods made in Denmark."),
    ("blockade", "PROTEST", "obstruct", "Truckers blockaded the border crossing with Poland.", "Truckers crossed the border with Poland."),
    ("sitin", "PROTEST", "obstruct", "Students staged a sit-in at the education ministry.", "Students sat an exam at the education ministry."),
    ("resign", "RETREAT", "resign", "The defence minister resigned over the scandal.", "The defence minister spoke about the scandal."),
    ("quit", "RETREAT", "resign", "The interior minister quit after the election defeat.", "The striker quit football after the cup defeat."),
    ("release", "RETREAT", "release", "The rebels released twelve hostages on Sunday.", "The rebels released a video on Sunday."),
    ("ceasefire", "RETREAT", "ceasefire", "The two armies halted the fighting in the valley.", "The two companies halted production in the valley."),
    ("disarm", "RETREAT", "disarm", "The guerrillas handed over their weapons to the monitors.", "The guerrillas handed over a letter to the monitors."),
    ("access", "RETREAT", "access", "The government allowed aid workers into the besieged town.", "The government allowed shops to open in the town."),
    ("concede", "CONCEDE", None, "The government lifted the ban on opposition rallies.", "The crane lifted the steel beams onto the roof."),
    ("ease", "CONCEDE", None, "The authorities eased restrictions on travel to the north.", "The medicine eased the pain in his knee."),
    ("pardon", "CONCEDE", None, "The president pardoned 200 prisoners on independence day.", "The president greeted 200 guests on independence day."),
    ("amnesty", "CONCEDE", None, "The junta granted an amnesty to exiled politicians.", "The junta granted a licence to a mining company."),
    ("apology", "SUPPORT", None, "The government apologized to the victims of the massacre.", "The government spoke to the victims of the massacre."),
    ("protest_end", "CONCEDE", None, "The union called off the strike after the pay offer.", "The union called the minister after the pay offer."),
    ("militia_formed", "MOBILIZE", "militia", "A far-right paramilitary group was formed in the breakaway region last year.", "A far-right political party was formed in the breakaway region last year."),
    ("joint", "COOPERATE", None, "Chilean and Peruvian navies held joint exercises off Arica.", "Chilean navies held exercises off Arica."),
    ("intel", "COOPERATE", None, "Jordan and Iraq shared intelligence on smuggling networks.", "Jordan and Iraq shared the costs of the bridge."),
    ("endorse", "SUPPORT", None, "The party endorsed the governor's bid for a second term.", "The party discussed the governor's bid for a second term."),
    ("solidarity", "SUPPORT", None, "Ghana expressed solidarity with the people of Haiti.", "Ghana expressed concern about the people of Haiti."),
]


@pytest.mark.parametrize("name,type_,mode,text,_", CLASSES, ids=[c[0] for c in CLASSES])
def test_class_is_coded(coder, name, type_, mode, text, _):
    got = [(e["type"], e["mode"]) for e in code(coder, text)]
    assert (type_, mode) in got, f"{text!r}: {got}"


@pytest.mark.parametrize("name,type_,mode,_,text", CLASSES, ids=[c[0] for c in CLASSES])
def test_other_sense_is_not(coder, name, type_, mode, _, text):
    got = [e["type"] for e in code(coder, text)]
    assert type_ not in got, f"{text!r}: {got}"


def test_every_event_has_a_cameo_code(coder):
    for _, type_, _, text, _ in CLASSES:
        for ev in code(coder, text):
            assert ev["cameo"] and ev["cameo"].isdigit(), (text, ev["type"], ev["cameo"])


@pytest.mark.parametrize("text", [
    "The protesters torched two police cars and a bank in the city centre.",
    "Protesters burned down the ruling party's headquarters.",
])
def test_arson_by_protesters_is_destruction(coder, text):
    assert ("ASSAULT", "destroy") in [(e["type"], e["mode"]) for e in code(coder, text)]


@pytest.mark.parametrize("text", [
    "A fire broke out at the market in Kano.",
    "The president fired the finance minister on Monday.",
    "The athletes burned a lot of calories in the heat.",
])
def test_fire_in_other_senses_is_no_assault(coder, text):
    assert "ASSAULT" not in [e["type"] for e in code(coder, text)]


def test_gas_used_on_a_crowd_is_crowd_control_once(coder):
    """'used tear gas to disperse': one act, the dispersal, with the gas as its means."""
    text = "In Accra, officers in riot gear used tear gas to disperse a crowd of students."
    assaults = [e for e in code(coder, text) if e["type"] == "ASSAULT"]
    assert [e["mode"] for e in assaults] == ["crowd-control"]


def test_burning_ones_own_bedding_is_no_destruction_of_property(coder):
    assert "ASSAULT" not in [e["type"] for e in code(coder, "Rioting inmates set fire to their mattresses.")]
