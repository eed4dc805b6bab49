"""Relevance (relevance.py): which mentions are political events, and the confidence of each.

Each rule has a sentence where it must remove a record and a similar one where it must not.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from eventwire.article import Article
from eventwire.pipeline import Coder

PUB = "2024-05-15"


def code(coder: Coder, text: str) -> list[dict]:
    return coder.code(Article(id="t", text=text, date=PUB)).events


def types(coder: Coder, text: str) -> list[str]:
    return [e["type"] for e in code(coder, text)]


# ------------------------------------------------------------ market acts (no political party)

@pytest.mark.parametrize("text,type_", [
    ("Halvorsen Foods agreed to sell its frozen-pizza unit to Brauer Group for $40 million.", "AGREE"),
    ("The brewer offered $12 a share for its smaller rival.", "AGREE"),
    ("Two rival chipmakers rejected a merger bid from a private equity fund.", "REJECT"),
])
def test_market_acts_are_not_events(coder, text, type_):
    assert type_ not in types(coder, text)


@pytest.mark.parametrize("text,type_", [
    ("Norway agreed to sell two frigates to Chile.", "AGREE"),
    ("The finance ministry rejected a takeover bid for the state airline.", "REJECT"),
    ("Prosecutors charged the bank with money laundering.", "ACCUSE"),
])
def test_states_acting_on_markets_are_events(coder, text, type_):
    assert type_ in types(coder, text)


# ------------------------------------------------------------------------ agentless incidents

@pytest.mark.parametrize("text", [
    "Twelve miners were killed when a tunnel collapsed in the province on Monday.",
    "Floods killed 40 villagers in the delta last week.",
    "Nine passengers died in the crash of a minibus near the border.",
])
def test_disasters_and_accidents_are_not_assaults(coder, text):
    assert "ASSAULT" not in types(coder, text)


@pytest.mark.parametrize("text", [
    "Gunmen killed twelve miners in the province on Monday.",
    "Soldiers set fire to a village and killed 40 villagers, witnesses said.",
])
def test_killings_with_a_doer_are_assaults(coder, text):
    assert "ASSAULT" in types(coder, text)


# ---------------------------------------------------------------------------- generic mentions

@pytest.mark.parametrize("text,type_", [
    ("Talks are the only way out of a war like this, the newspaper argued in an editorial.", "CONSULT"),
    ("The ministry spokesman answered questions at a news conference.", "CONSULT"),
    ("Police found a car bomb near the stadium.", "ASSAULT"),
])
def test_topics_are_not_events(coder, text, type_):
    assert type_ not in types(coder, text)


@pytest.mark.parametrize("text,type_", [
    ("The two governments held talks in Geneva on Friday.", "CONSULT"),
    ("Three soldiers were killed in clashes near the border.", "ASSAULT"),
    ("A car bomb exploded near the stadium, killing four people.", "ASSAULT"),
    ("A roadside bomb hit an army truck near the town.", "ASSAULT"),
])
def test_acts_told_as_nouns_are_events(coder, text, type_):
    assert type_ in types(coder, text)


# ------------------------------------------------------------------------------- lexicon senses

def test_declining_to_comment_is_no_rejection(coder):
    assert "REJECT" not in types(coder, "The interior ministry declined to comment on the report.")
    assert "REJECT" in types(coder, "The rebels declined an offer of talks from the army.")


def test_receiving_things_is_no_visit(coder):
    assert "CONSULT" not in types(coder, "The embassy received dozens of visa applications.")
    assert "CONSULT" in types(coder, "The president received the Iranian foreign minister in Ankara.")


# --------------------------------------------------------------------------------- confidence

def test_every_record_has_a_confidence(coder):
    events = code(coder, "Turkish jets bombed Kurdish militant positions in northern Iraq on Sunday.")
    assert events and all(0.0 <= e["confidence"] <= 1.0 for e in events)


def test_political_parties_raise_confidence(coder):
    named = code(coder, "The Turkish army shelled Syrian government positions on Sunday.")
    vague = code(coder, "Someone mentioned a meeting.")
    assert named and named[0]["confidence"] >= 0.7
    assert all(e["confidence"] < named[0]["confidence"] for e in vague)


def test_min_confidence_filters_the_cli_output(tmp_path):
    story = tmp_path / "s.txt"
    story.write_text("Sudan expels envoy\nSudan expelled the Chadian ambassador on Monday, "
                     "and a spokesman mentioned an earlier meeting.\n", encoding="utf-8")

    def run(*extra: str) -> list[dict]:
        out = subprocess.run([sys.executable, "-m", "eventwire", "code", "--date", PUB, *extra, str(story)],
                             capture_output=True, text=True, check=True).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    everything = run("--min-confidence", "0")
    confident = run("--min-confidence", "0.99")
    assert everything and all(e["confidence"] >= 0.99 for e in confident)
    assert len(confident) < len(everything)


# ---------------------------------------------------------------------------- demands and trade

def test_advice_to_ones_own_side_is_no_demand(coder):
    assert "REQUEST" not in types(coder, "The minister said we should stay calm and wait for the results.")
    assert "REQUEST" in types(coder, "Kenya said Uganda must withdraw its troops from the island.")


def test_a_past_obligation_is_no_demand(coder):
    assert "REQUEST" not in types(coder, "Kenya said Uganda had to withdraw its troops from the island in 2009.")
    assert "REQUEST" in types(coder, "Kenya said Uganda has to withdraw its troops from the island.")


def test_a_currency_is_no_party(coder):
    assert "AGREE" not in types(coder, "The fund offered 300 million Canadian dollars for the mine.")
    assert "AGREE" in types(coder, "Canada offered 300 million dollars in aid to Haiti.")


# ----------------------------------------------------------------------- document content

@pytest.mark.parametrize("text", [
    "The Halden accord calls for a joint border commission within a year.",
    "Ministers signed a trade plan calling for lower tariffs on grain.",
    "Parliament passed the budget, which demands audits of every regional office.",
])
def test_what_a_document_says_is_not_a_request(coder, text):
    assert ("REQUEST", "document-content") in dropped_by(coder, text)
    assert "REQUEST" not in types(coder, text)


@pytest.mark.parametrize("text", [
    "The Finnish foreign minister called for a joint border commission within a year.",
    "A ministry statement urged both sides to respect the ceasefire.",
    "Opposition leaders demanded audits of every regional office.",
])
def test_what_a_party_says_is_a_request(coder, text):
    assert "REQUEST" in types(coder, text)


# --------------------------------------------------------------------------- hazard warnings

@pytest.mark.parametrize("text", [
    "Forecasters warned that heavy rain would bring flooding to the coast on Sunday.",
    "Officials in the province warned residents of possible landslides after the storm.",
    "The weather agency warned of a hurricane approaching the islands.",
])
def test_warnings_of_natural_hazards_are_not_threats(coder, text):
    assert ("THREATEN", "hazard-warning") in dropped_by(coder, text)
    assert "THREATEN" not in types(coder, text)


@pytest.mark.parametrize("text", [
    "The army warned that its troops would open fire on anyone crossing the line.",
    "Rebel commanders threatened to attack the provincial capital after the storm.",
    "The president warned the neighbouring government of severe consequences.",
])
def test_warnings_of_force_stay_threats(coder, text):
    assert "THREATEN" in types(coder, text)


# ------------------------------------------------------------------------------ businesses

@pytest.mark.parametrize("text,sector", [
    ("Lundqvist Holdings Ltd. offered to buy the smaller shipyard.", "BUS"),
    ("A major shareholder agreed to sell her stake.", "BUS"),
])
def test_companies_and_shareholders_are_businesses(coder, text, sector):
    doc = next(iter(coder.docs([Article(id="b", text=text, date=PUB)])))
    assert sector in {a.sector for a in doc._.actors or []}


def test_a_country_is_no_business(coder):
    doc = next(iter(coder.docs([Article(id="b", text="Norway offered to buy two frigates.", date=PUB)])))
    assert "BUS" not in {a.sector for a in doc._.actors or []}


@pytest.mark.parametrize("text,trigger", [
    ("The National Convention of Farmers endorsed the reform on Friday.", "endorsed"),
    ("The cabinet announced plans to end the blockade of the port.", "end"),
])
def test_bodies_and_intentions_are_not_documents(coder, text, trigger):
    assert trigger in [e["trigger"]["text"] for e in code(coder, text)]


# ---------------------------------------------------------------- characterising modifiers

def dropped_by(coder: Coder, text: str) -> list[tuple[str, str]]:
    doc = next(iter(coder.docs([Article(id="t", text=text, date=PUB)])))
    return [(e.type, rule) for e, rule in doc._.dropped_events]


@pytest.mark.parametrize("text,type_", [
    ("The new law lets courts freeze the savings of people convicted of fraud.", "SANCTION"),
    ("Rights groups keep lists of dissidents detained without trial.", "COERCE"),
    ("The amnesty covers soldiers accused of desertion.", "ACCUSE"),
])
def test_participles_that_describe_kinds_of_people_are_not_events(coder, text, type_):
    assert (type_, "characterising-modifier") in dropped_by(coder, text)
    assert type_ not in types(coder, text)


@pytest.mark.parametrize("text,type_", [
    ("Three reporters detained on Monday were freed after a week.", "COERCE"),
    ("Hundreds killed in the shelling were buried in the main square.", "ASSAULT"),
    ("Fighters backed by the army retook the bridge.", "SUPPORT"),
])
def test_participles_that_tell_a_particular_act_stay(coder, text, type_):
    assert type_ in types(coder, text)


# ------------------------------------------------------------------------------ names

@pytest.mark.parametrize("text", [
    "The Organization of Islamic Cooperation met in Jeddah on Sunday.",
    "The Office for Mountain Rescue issued a statement on Monday.",
    "The rally was addressed by Michael Grant, a local councillor.",
])
def test_event_words_inside_names_are_not_events(coder, text):
    assert any(rule == "part-of-a-name" for _, rule in dropped_by(coder, text))


@pytest.mark.parametrize("text,type_", [
    ("The president granted an amnesty to 300 prisoners on Sunday.", "CONCEDE"),
    ("Thousands Protest Against Fuel Prices In Capital", "PROTEST"),
])
def test_event_words_outside_names_stay(coder, text, type_):
    assert type_ in types(coder, text)


def test_a_headline_the_parser_reads_as_a_name_keeps_its_event(coder):
    for headline in ("Protests Against Police Violence", "Thousands March Against New Tax Law"):
        assert "PROTEST" in types(coder, headline)


def test_a_document_that_was_signed_is_no_speaker(coder):
    assert ("AGREE", "document-content") not in dropped_by(coder, "The truce signed by both militias in May broke down.")


@pytest.mark.parametrize("text", [
    "The outbreak of war between the two republics forced thousands to flee.",
    "Trade shrank after the outbreak of clashes along the border.",
])
def test_the_onset_of_fighting_is_no_disaster(coder, text):
    assert not any(rule == "agentless-incident" for _, rule in dropped_by(coder, text))


def test_a_disease_outbreak_still_makes_deaths_agentless(coder):
    text = "An outbreak of cholera killed 30 villagers in the delta last month."
    assert ("ASSAULT", "agentless-incident") in dropped_by(coder, text)


def test_a_collapse_that_kills_is_still_an_incident(coder):
    text = "The mine tunnel collapsed on Monday, killing nine workers."
    assert "ASSAULT" not in types(coder, text)
