"""Event classes and mode cues added for issue 14, each on the team's own sentences: one that
must give the class's type and mode, and a similar one (the same word in another sense, or the
same act by someone it does not fit) that must not."""
from __future__ import annotations

import pytest

from eventwire.article import Article


def coded(coder, text: str, title: str | None = None) -> list[tuple[str, str | None]]:
    events = coder.code(Article(id="s3", text=text, title=title, date="2024-03-11")).events
    return [(e["type"], e["mode"]) for e in events]


# (class, type, mode, a sentence that must give type+mode, a similar one that must not)
CLASSES = [
    # raids and searches by the police or agents are search and seizure, not armed assault
    ("police_raid", "COERCE", "seize", "Police raided the headquarters of the opposition party in Minsk.",
     "Rebels raided the headquarters of the ruling party in Minsk."),
    ("raided_by_police", "COERCE", "seize", "The homes of three union leaders were raided by police at dawn.",
     "The homes of three union leaders were raided by gunmen at dawn."),
    ("agents_searched", "COERCE", "seize", "Security agents searched the home of the dissident writer in Baku.",
     "Security agents searched for the missing hikers near Baku."),
    # suits at law
    ("file_suit", "ACCUSE", "allege", "The widow filed suit against the ministry over her husband's death in custody.",
     "The widow wore a dark suit at her husband's funeral."),
    ("sue_body", "ACCUSE", "allege", "The parents are suing the city over the closure of the school.",
     "The parents are visiting the city after the closure of the school."),
    # falsehood as what a campaign carries out
    ("carried_out_propaganda", "COERCE", "misinformation", "The military government carried out propaganda against the exiled opposition.",
     "The military government dismissed the report as propaganda from the exiled opposition."),
    # a person called is a phone call
    ("call_person", "CONSULT", "phone", "The Kenyan president called his Ugandan counterpart on Tuesday.",
     "The Kenyan president called his Ugandan counterpart a coward."),
    ("call_to_discuss", "CONSULT", "phone", "The French president called the German chancellor to discuss the border dispute.",
     "Scholz called off the meeting on the border dispute."),
    # one's own forces called to serve
    ("call_upon_reservists", "MOBILIZE", "troops", "The defence ministry called upon its reservists to report to their bases.",
     "The defence ministry called upon the rebels to report to the ceasefire monitors."),
    ("call_into_action", "MOBILIZE", "militia", "The governor called the village militia into action on Sunday.",
     "The governor called the village elders into his office on Sunday."),
    # a public figure shot or killed is a targeted attack
    ("figure_shot", "ASSAULT", "targeted", "Gunmen shot dead a radio journalist outside his home in Tegucigalpa.",
     "Gunmen shot dead three farmers outside their homes in Tegucigalpa."),
    # armed action named as such, where it is launched or taken
    ("military_operation", "ASSAULT", None, "Ankara launched a military operation against the militants in the mountains.",
     # (an operation of allies together is cooperation, not an attack by one of them)
     "Ankara and Baku planned a joint military operation against the smugglers in the mountains."),
    # foreign monitors sent away
    ("dismiss_observers", "SANCTION", "expel", "The junta dismissed the international observers on Monday.",
     "The junta dismissed the report issued by the international observers on Monday."),
    # online media blocked, suspended or taken down
    ("block_platforms", "COERCE", "censor", "The authorities blocked WhatsApp and Facebook before the election.",
     "The authorities blocked the main road before the election."),
    ("take_down_site", "COERCE", "censor", "Police took down the website of the banned party on Friday.",
     "Workers took down the posters of the banned party on Friday."),
    # force used to break up a crowd, whatever was fired
    ("fired_to_disperse", "ASSAULT", "crowd-control", "Troops fired into the air to disperse the crowd outside the palace.",
     "Troops fired on the crowd outside the palace, killing three."),
    ("deploy_tear_gas", "ASSAULT", "crowd-control", "Riot officers deployed tear gas against the marchers in Quito.",
     "Riot officers deployed outside the ministry in Quito."),
    # pilots are an air attack's doers
    ("pilots_pounded", "ASSAULT", "aerial", "Air force pilots pounded rebel positions near the border.",
     "Artillery crews pounded rebel positions near the border."),
    # protesters gathering
    ("protesters_gathered", "PROTEST", "demo", "Thousands of demonstrators gathered outside the electoral commission in Lusaka.",
     "Thousands of mourners gathered outside the cathedral in Lusaka."),
    # traffic stopped by a crowd
    ("traffic_stopped", "PROTEST", "obstruct", "Angry farmers stopped traffic on the motorway near Lyon with their tractors.",
     "Traffic police stopped traffic on the motorway near Lyon for the cycle race."),
    # the fighting told as ending
    ("fighting_ended", "RETREAT", "ceasefire", "Hostilities in the disputed valley ceased at midnight on Sunday.",
     "Negotiations in the disputed valley ceased at midnight on Sunday."),
    # peacekeepers count where they are sent, not every mention
    ("peacekeepers_sent", "AID", "asylum", "Senegal will contribute 600 peacekeepers to the mission in Darfur.",
     "Two peacekeepers were wounded by a landmine near Darfur."),
    # aid counts where given, sent or received
    ("aid_delivered", "AID", "economic", "Norway delivered aid to the villages cut off by the floods.",
     "Norway warned aid workers to leave the villages cut off by the floods."),
    # a strike by the held is a hunger strike
    ("held_strike", "PROTEST", "hunger", "Hundreds of inmates at the Kigali jail went on strike over their treatment.",
     "Hundreds of nurses at the Kigali hospital went on strike over their pay."),
]


@pytest.mark.parametrize("name,type_,mode,text,_", CLASSES)
def test_class_is_coded(coder, name, type_, mode, text, _):
    assert (type_, mode) in coded(coder, text)


@pytest.mark.parametrize("name,type_,mode,_,text", CLASSES)
def test_other_sense_is_not(coder, name, type_, mode, _, text):
    assert (type_, mode) not in coded(coder, text)


def test_multilateral_is_told_by_its_occasion(coder):
    # "met at a summit" is a meeting of many; "the two leaders met" is not
    assert ("CONSULT", "multilateral") in coded(coder, "The two presidents met at a regional summit in Lima on Tuesday.")
    assert ("CONSULT", "multilateral") not in coded(coder, "The two presidents met in Lima on Tuesday.")


def test_a_figure_beaten_is_still_a_beating(coder):
    # the targeted-figure rule needs a killing or shooting, not any assault on a journalist
    assert ("ASSAULT", "beat") in coded(coder, "Police beat a journalist during the march in Tegucigalpa.")


def test_arms_production_is_arming(coder):
    assert ("MOBILIZE", "weapons") in coded(coder, "The army is strengthening its forces through expanded arms production.")
    assert ("MOBILIZE", "weapons") not in coded(coder, "The army is strengthening its forces along the northern border.")


def test_officers_alone_are_no_police(coder):
    got = coded(coder, "Chad mobilized 900 soldiers, 300 officers and 5,000 reservists on Monday.")
    assert ("MOBILIZE", "troops") in got and ("MOBILIZE", "police") not in got


def test_joint_operation_is_no_assault(coder):
    got = coded(coder, "Kenya and Somalia launched a joint military operation against the smugglers.")
    assert ("ASSAULT", None) not in got


def test_names_are_no_act_asked_for(coder):
    # a court's name holds "rights", a change cue; what is asked for is a release
    got = coded(coder, "The union will ask the African Court on Human and Peoples Rights to order Harare to release its leader.")
    assert ("REQUEST", "yield") in got and ("REQUEST", "change") not in got
    assert ("REQUEST", "change") in coded(coder, "The union demanded respect for human rights in the mines.")


def test_prisoners_who_riot_are_no_hunger_strike(coder):
    # the held-striker rule needs the strike: a riot in a jail stays a riot
    assert ("PROTEST", "hunger") not in coded(coder, "Prisoners rioted at the jail in Mombasa on Sunday.")


def test_call_on_with_an_object_is_no_demand(coder):
    # "called X on Friday" is a call made, "called on X to" a demand
    for text in ("The bishops called on the army to return to barracks.",
                 "Students called on the president and his ministers to step down."):
        got = coded(coder, text)
        assert any(t == "REQUEST" for t, _ in got) and ("CONSULT", "phone") not in got
    assert not any(t == "REQUEST" for t, _ in coded(coder, "The Kenyan president called his Ugandan counterpart on Friday."))


@pytest.mark.parametrize("text", [
    "The king called the rights groups a danger to the nation.",
    "The prime minister was called to account by parliament.",
    "The opposition called human rights groups to a rally on Sunday.",
])
def test_call_that_is_no_phone_call(coder, text):
    assert ("CONSULT", "phone") not in coded(coder, text)


@pytest.mark.parametrize("title,mode", [
    # a protest headline that names the damage done or the crowd's violence: a riot
    ("Protesters smash shop windows in Accra", "riot"),
    ("Violent protesters clash with police in Accra", "riot"),
    ("Protesters gather outside parliament in Accra", "demo"),
])
def test_headline_tells_a_riot(coder, title, mode):
    assert ("PROTEST", mode) in coded(coder, "The crowd protested outside the parliament in Accra on Monday.", title)
