"""Modes from the whole event (modes.py, data/modes.yaml), on the team's own sentences.

Every mode of every type has a sentence that must carry it (the README's table of modes, so the
documentation cannot drift from the behaviour) and a similar sentence that must not.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from eventwire.article import Article
from eventwire.modes import load_modes

README = Path(__file__).resolve().parents[1] / "README.md"
MODES_FILE = Path(__file__).resolve().parents[1] / "src" / "eventwire" / "data" / "modes.yaml"


def code(coder, text: str) -> list[dict]:
    return coder.code(Article(id="t", text=text, date="2024-03-06")).events


def readme_examples() -> list[tuple[str, str, str]]:
    """(type, mode, sentence) rows of the README's table of modes."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Modes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| ([A-Z]+) \| ([a-z-]+) \| (.+?) \|$", section, flags=re.M)
    return [(t, m, s) for t, m, s in rows]


def declared_modes() -> set[tuple[str, str]]:
    data = yaml.safe_load(MODES_FILE.read_text(encoding="utf-8"))
    # a rule may give a mode other than its key (`mode:`), to sit at another place in the order
    return {(t, (spec or {}).get("mode") or m) for t, modes in data["types"].items()
            for m, spec in (modes or {}).items()}


def test_readme_shows_every_mode_once():
    shown = [(t, m) for t, m, _ in readme_examples()]
    assert len(shown) == len(set(shown))
    assert set(shown) == declared_modes()


@pytest.mark.parametrize("type_,mode,text", readme_examples())
def test_readme_example_carries_its_mode(coder, type_, mode, text):
    events = code(coder, text)
    got = [(e["type"], e["mode"]) for e in events]
    assert (type_, mode) in got, f"{text!r}: {got}"


# A sentence like the README's example where that mode must not be given.
NEAR_MISSES = [
    ("ASSAULT", "suicide-attack", "A bomb hidden in a parked car exploded outside a police academy in Quetta."),
    ("ASSAULT", "drone", "Government jets struck a compound near Miranshah on Friday."),
    ("ASSAULT", "aerial", "Rebels bombed a bus station outside Idlib."),
    ("ASSAULT", "unconventional", "Troops attacked the village with mortars, witnesses said."),
    ("ASSAULT", "crowd-control", "Riot police arrested students in Santiago."),
    ("ASSAULT", "targeted", "Gunmen killed two farmers in Kandahar."),
    ("ASSAULT", "abduct", "Gunmen shot two aid workers near Gao."),
    ("ASSAULT", "sexual", "Soldiers looted shops in the village, a rights group said."),
    ("ASSAULT", "torture", "Guards beat detainees at the prison, the report said."),
    ("ASSAULT", "destroy", "Protesters stormed a police station in Lagos."),
    ("ASSAULT", "heavy-weapons", "Army snipers shot at the town of Donetsk overnight."),
    ("ASSAULT", "explosives", "Gunmen opened fire near a market in Baghdad."),
    ("ASSAULT", "firearms", "Militants beheaded four villagers in Zamfara."),
    ("ASSAULT", "primitive", "Militants attacked the village with rifles, killing six."),
    ("ASSAULT", "beat", "Soldiers shot a journalist outside his home in Juba."),
    ("COERCE", "martial-law", "The president imposed a curfew in the southern provinces."),
    ("COERCE", "curfew", "The army put the city of Mandalay under a state of emergency."),
    ("COERCE", "cyber", "Soldiers launched an attack on the power plant of Lviv."),
    ("COERCE", "misinformation", "The ministry spread the news of the victory."),
    ("COERCE", "censor", "The authorities arrested three opposition journalists in Minsk."),
    ("COERCE", "withhold", "Authorities cut off the road to three provinces with checkpoints."),
    ("COERCE", "deport", "Malaysia detained 300 migrants from Myanmar."),
    ("COERCE", "arrest", "Police deported 40 protesters to Nairobi on Monday."),
    ("COERCE", "seize", "Customs officers arrested smugglers at the port of Mombasa."),
    ("COERCE", "restrict", "The army arrested dozens around the capital."),
    ("MOBILIZE", "militia", "The army deployed troops in Michoacan."),
    ("MOBILIZE", "police", "The government deployed tanks across the capital."),
    ("MOBILIZE", "weapons", "Russia deployed additional troops near the border."),
    ("MOBILIZE", "troops", "India deployed riot police to the disputed border region."),
    ("PROTEST", "hunger", "Prisoners at the jail began a protest on Monday."),
    ("PROTEST", "boycott", "Opposition parties launched a campaign for the elections."),
    ("PROTEST", "strike", "Unions called a protest rally across the country."),
    ("PROTEST", "riot", "Hundreds of youths marched peacefully in the suburbs of Lyon."),
    ("PROTEST", "obstruct", "Farmers marched to Brussels with tractors."),
    ("PROTEST", "demo", "Hundreds of youths rioted in the suburbs of Lyon."),
    ("THREATEN", "arrest", "The interior minister threatened to sack the strike leaders."),
    ("THREATEN", "expel", "The government threatened to arrest foreign journalists."),
    ("THREATEN", "relations", "Azerbaijan threatened to attack Armenia."),
    ("THREATEN", "territory", "The rebels threatened to attack the northern province."),
    ("THREATEN", "violence", "The president threatened to expel the rebels' envoys."),
    ("THREATEN", "restrict", "The government threatened to arrest protesters in the capital."),
    ("ACCUSE", "investigate", "Prosecutors accused the police of the killings."),
    ("ACCUSE", "allege", "Ghana condemned Togo for its border policy."),
    ("ACCUSE", "disapprove", "France accused the rebels of the attack on the embassy."),
    ("REQUEST", "meet", "The opposition urged the president to release its leaders."),
    ("REQUEST", "yield", "The union demanded a meeting with the minister."),
    ("REQUEST", "assist", "Kenya asked Uganda to withdraw troops from the border."),
    ("REQUEST", "change", "Activists demanded food aid for the refugees."),
    ("REJECT", "meet", "The minister refused to release the rebel leader."),
    ("REJECT", "yield", "The rebels rejected calls for talks."),
    ("REJECT", "assist", "The government refused to hold talks after the floods."),
    ("REJECT", "change", "Parliament rejected calls to send troops abroad."),
    ("CONSULT", "third-party", "Egypt held talks with Palestinian leaders."),
    ("CONSULT", "multilateral", "The president spoke by phone with his Peruvian counterpart."),
    ("CONSULT", "phone", "The two presidents met in Lima on Tuesday."),
    ("CONSULT", "visit", "The Japanese prime minister spoke by phone with Hanoi on Monday."),
    ("CONSULT", "host", "The Chinese president visited his Russian counterpart in Moscow."),
    ("RETREAT", "resign", "French troops withdrew from northern Mali last year."),
    ("RETREAT", "disarm", "The militia withdrew from Medellin."),
    ("RETREAT", "release", "The government arrested 40 political prisoners."),
    ("RETREAT", "access", "The junta expelled inspectors from the country."),
    ("RETREAT", "ceasefire", "The rebels withdrew from the town after heavy losses."),
    ("RETREAT", "withdraw", "The rebels declared a ceasefire in the north."),
    ("SANCTION", "convict", "A court acquitted the former minister of corruption."),
    ("SANCTION", "expel", "Poland imposed sanctions on three Russian officials on Friday."),
    ("SANCTION", "withdraw", "Kenya expelled the Somali ambassador on Monday."),
    ("SANCTION", "discontinue", "A court convicted the former minister of corruption."),
    ("AID", "humanitarian", "Germany granted asylum to the dissident."),
    ("AID", "asylum", "Rescue teams evacuated 2,000 villagers from the flooded valley."),
    ("AID", "economic", "Rescue teams evacuated 2,000 villagers from the flooded valley."),
]


def test_every_mode_has_a_near_miss():
    assert {(t, m) for t, m, _ in NEAR_MISSES} == declared_modes()


@pytest.mark.parametrize("type_,mode,text", NEAR_MISSES)
def test_near_miss_does_not_carry_the_mode(coder, type_, mode, text):
    got = [(e["type"], e["mode"]) for e in code(coder, text)]
    assert (type_, mode) not in got, f"{text!r}: {got}"


# ------------------------------------------------------------------------- the mechanism

def test_doer_outranks_the_verb():
    """'bombed' alone says explosives; the jets that did it say an air attack."""
    table = load_modes()
    order = [r.mode for r in table.rules["ASSAULT"]]
    assert order.index("aerial") < order.index("explosives")


def test_instrument_gives_the_mode(coder):
    ev = [e for e in code(coder, "Raiders attacked the market with knives.") if e["type"] == "ASSAULT"]
    assert ev and ev[0]["mode"] == "primitive"
    ev = [e for e in code(coder, "Raiders attacked the market.") if e["type"] == "ASSAULT"]
    assert ev and ev[0]["mode"] is None


def test_mode_sets_its_cameo(coder):
    ev = [e for e in code(coder, "Government jets bombed rebel positions outside Idlib.") if e["type"] == "ASSAULT"][0]
    assert (ev["mode"], ev["cameo"]) == ("aerial", "195")


def test_types_without_modes_carry_none(coder):
    for text, type_ in [("Kenya and Ethiopia signed an agreement on water sharing.", "AGREE"),
                        ("The government lifted the curfew in the capital on Sunday.", "CONCEDE")]:
        evs = [e for e in code(coder, text) if e["type"] == type_]
        assert evs and all(e["mode"] is None for e in evs)


def test_users_modes_are_tried_first(coder, tmp_path, monkeypatch):
    extra = tmp_path / "modes.yaml"
    extra.write_text("types:\n  ASSAULT:\n    primitive:\n      instrument: [slingshot]\n")
    text = "Youths attacked the convoy with slingshots."
    before = [e["mode"] for e in code(coder, text) if e["type"] == "ASSAULT"]
    monkeypatch.setenv("EVENTWIRE_MODES", str(extra))
    after = [e["mode"] for e in code(coder, text) if e["type"] == "ASSAULT"]
    assert "primitive" not in before and "primitive" in after


@pytest.mark.parametrize("text,mode", [
    ("A man armed with a knife attacked worshippers outside the mosque.", "primitive"),
    ("Rebels carried out three attacks using chlorine gas against army posts.", "unconventional"),
])
def test_means_named_by_a_participle(coder, text, mode):
    assert ("ASSAULT", mode) in [(e["type"], e["mode"]) for e in code(coder, text)]


def test_means_of_something_else_is_not_the_instrument(coder):
    """The knife is the thing found, not what the attack was made with."""
    text = "Soldiers attacked the camp where police later found a knife."
    assert ("ASSAULT", "primitive") not in [(e["type"], e["mode"]) for e in code(coder, text)]


@pytest.mark.parametrize("text,type_,mode", [
    ("Rebels shot down a government helicopter near Aleppo.", "ASSAULT", "aerial"),
    ("Angry motorists pelted the police station with rocks.", "ASSAULT", "primitive"),
    ("The army tore down two villages near the border.", "ASSAULT", "destroy"),
    # a promise or threat told as the act itself carries the act's kind
    ("Suriname said it would suspend talks with Venezuela.", "THREATEN", "relations"),
])
def test_more_ways_to_say_a_mode(coder, text, type_, mode):
    assert (type_, mode) in [(e["type"], e["mode"]) for e in code(coder, text)]


@pytest.mark.parametrize("text,type_,mode", [
    ("Rebels shot a government pilot near Aleppo.", "ASSAULT", "aerial"),
    ("Angry motorists pelted the police with insults.", "ASSAULT", "primitive"),
    ("The workers tore down the old fence near the border.", "ASSAULT", "destroy"),
    ("Suriname said it would hold talks with Venezuela.", "THREATEN", "relations"),
])
def test_more_ways_near_misses(coder, text, type_, mode):
    assert (type_, mode) not in [(e["type"], e["mode"]) for e in code(coder, text)]
