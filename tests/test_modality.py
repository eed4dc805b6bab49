"""Status and attribution on the team's own sentences: one test per status and cue."""
from __future__ import annotations

from eventwire.article import Article

PUB = "2024-03-06"


def code(coder, text: str) -> list[dict]:
    return coder.code(Article(id="m", text=text, date=PUB)).events


def find(coder, text: str, type_: str, trigger: str | None = None) -> dict:
    evs = [e for e in code(coder, text) if e["type"] == type_
           and (trigger is None or trigger in e["trigger"]["text"].lower())]
    assert evs, f"no {type_} {trigger or ''} in {text!r}: {[(e['type'], e['trigger']['text']) for e in code(coder, text)]}"
    return evs[0]


def test_asserted(coder):
    ev = find(coder, "Israeli jets struck a weapons depot in Gaza on Tuesday.", "ASSAULT")
    assert ev["status"] == "asserted"
    assert ev["attributed_to"] is None


def test_claimed_responsibility(coder):
    ev = find(coder, "Boko Haram claimed responsibility for the bombing of a market in Maiduguri.", "ASSAULT")
    assert ev["status"] == "claimed"
    assert "Boko Haram" in ev["attributed_to"]["name"]


def test_party_says_it_was_arrested(coder):
    ev = find(coder, "The activist says he was arrested by police in Minsk.", "COERCE")
    assert ev["status"] == "claimed"
    assert ev["attributed_to"]["text"].lower() == "the activist"


def test_hedged_is_unconfirmed(coder):
    ev = find(coder, "Rebels reportedly shelled the town overnight.", "ASSAULT")
    assert ev["status"] == "unconfirmed"


def test_appears_to_is_unconfirmed(coder):
    ev = find(coder, "The video appears to show soldiers beating a prisoner.", "ASSAULT")
    assert ev["status"] == "unconfirmed"


def test_could_not_be_confirmed_propagates(coder):
    text = ("A video shows militants executing a hostage in the desert.\n"
            "The authenticity of the video could not be independently confirmed.")
    ev = find(coder, text, "ASSAULT")
    assert ev["status"] == "unconfirmed"


def test_denied_noun_object(coder):
    text = "Russia hotly denies any airspace violation."
    ev = find(coder, text, "COERCE", "violation")
    assert ev["status"] == "denied"
    assert ev["attributed_to"]["country"] == "RUS"
    reject = find(coder, text, "REJECT")
    assert reject["actors"][0]["country"] == "RUS"


def test_denied_clause(coder):
    ev = find(coder, "The army denied that its soldiers shot at the protesters.", "ASSAULT")
    assert ev["status"] == "denied"


def test_negated(coder):
    ev = find(coder, "Government troops did not attack the village, witnesses said.", "ASSAULT")
    assert ev["status"] == "negated"


def test_threatened(coder):
    ev = find(coder, "The group declared that Americans will be killed if the strikes continue.", "THREATEN")
    assert ev["status"] == "asserted"


def test_intended(coder):
    ev = find(coder, "The ministry plans to ban the opposition newspaper next month.", "THREATEN")
    assert ev is not None


def test_intended_cooperation(coder):
    # a cooperative plan is coded as a commitment (PLOVER AGREE), marked intended
    ev = find(coder, "The two armies intend to hold joint exercises in May.", "AGREE")
    assert ev["status"] == "intended"


def test_hypothetical(coder):
    evs = code(coder, "If the talks fail, the rebels would attack the capital.")
    attack = [e for e in evs if e["trigger"]["text"] == "attack" and e["type"] == "ASSAULT"]
    assert attack and attack[0]["type"] in ("ASSAULT", "THREATEN")
    assert attack[0]["status"] == "hypothetical"


def test_historical(coder):
    ev = find(coder, "The region was devastated when Serbian forces shelled Sarajevo in 1993.", "ASSAULT")
    assert ev["status"] == "historical"


def test_according_to_attribution(coder):
    ev = find(coder, "Two soldiers were killed in an ambush near Gao, according to the Malian army.", "ASSAULT")
    assert ev["attributed_to"] is not None
    assert ev["attributed_to"]["country"] == "MLI"


def test_nested_claims(coder):
    text = "Russia says it struck ISIS, but critics claim it targets other rebels."
    evs = code(coder, text)
    struck = [e for e in evs if "struck" in e["trigger"]["text"]]
    targets = [e for e in evs if "targets" in e["trigger"]["text"]]
    assert struck and struck[0]["status"] == "claimed"
    assert struck[0]["attributed_to"]["country"] == "RUS"
    assert targets and targets[0]["status"] == "claimed"
    assert "critics" in targets[0]["attributed_to"]["text"]


def test_accusation_by_wronged_party(coder):
    text = "Azerbaijan said an Armenian drone had violated Azerbaijani airspace."
    acc = find(coder, text, "ACCUSE")
    assert acc["actors"][0]["country"] == "AZE"
    assert {r["country"] for r in acc["recipients"]} == {"ARM"}
    violation = find(coder, text, "COERCE", "violated")
    assert violation["status"] == "claimed"
    assert violation["attributed_to"]["country"] == "AZE"


def test_neutral_reporter_makes_no_accusation(coder):
    # a source that is not the wronged party accuses no one
    evs = code(coder, "Witnesses said an Armenian drone had violated Azerbaijani airspace.")
    assert not [e for e in evs if e["type"] == "ACCUSE"]
