"""Who does an event told by a noun: the "from" phrase of speech, aid and force nouns."""
from __future__ import annotations

import pytest

from eventwire.article import Article


def parties(coder, text: str, etype: str) -> tuple[list[str], list[str]]:
    for e in coder.code(Article(id="t", text=text, date="2024-03-01")).events:
        if e["type"] == etype:
            names = lambda xs: [a.get("name") or a["text"] for a in xs]  # noqa: E731
            return names(e["actors"]), names(e["recipients"])
    raise AssertionError(f"no {etype} in {text!r}")


@pytest.mark.parametrize("text,etype,doer", [
    ("The president dismissed stern warnings from Beijing about the arms sale.", "THREATEN", "China"),
    ("The village received food aid from Japan on Monday.", "AID", "Japan"),
    ("Villagers fled rocket fire from the rebels across the valley.", "ASSAULT", "rebels"),
])
def test_from_phrase_names_the_doer(coder, text, etype, doer):
    actors, recipients = parties(coder, text, etype)
    assert any(doer in a for a in actors)
    assert not any(doer in r for r in recipients)


@pytest.mark.parametrize("text,etype,actor", [
    ("Norway announced its withdrawal from the fishing pact.", "SANCTION", "Norway"),
])
def test_from_phrase_of_withdrawals_and_expulsions_is_not_the_doer(coder, text, etype, actor):
    actors, _ = parties(coder, text, etype)
    assert any(actor in a for a in actors)
    assert all("pact" not in a and "party" not in a for a in actors)


def test_the_expelled_of_an_expulsion_is_its_target_and_the_place_left_no_doer(coder):
    actors, recipients = parties(coder, "The court upheld his expulsion from the ruling party.", "SANCTION")
    assert any("his" in r for r in recipients)
    assert all("party" not in a and "his" not in a for a in actors)


@pytest.mark.parametrize("text,etype,doer,target", [
    ("Israeli air strikes hit Gaza City on Monday night.", "ASSAULT", "Israel", None),
    ("Diplomats fear that US air strikes against Iran would spread the war.", "ASSAULT", "United States", "Iran"),
])
def test_nationality_before_a_two_word_event_noun_is_the_doer(coder, text, etype, doer, target):
    actors, recipients = parties(coder, text, etype)
    assert any(doer in a for a in actors), actors
    assert not any(doer in r for r in recipients)
    assert target is None or any(target in r for r in recipients)


@pytest.mark.parametrize("text,etype,doer", [
    ("Chad charged Sudan with arming the rebels in the east.", "MOBILIZE", "Sudan"),
    ("Rights groups accused Nigerian police of beating students in Lagos.", "ASSAULT", "police"),
])
def test_the_object_of_an_accusation_does_the_gerund(coder, text, etype, doer):
    actors, _ = parties(coder, text, etype)
    assert any(doer in a for a in actors), actors


def test_a_thing_won_for_a_deed_is_not_its_doer(coder):
    actors, _ = parties(coder, "The Kenyan army won praise for rescuing the hostages.", "AID")
    assert not any("praise" in a for a in actors)


def test_holder_of_a_plan_does_what_it_aims_at(coder):
    actors, _ = parties(coder, "Kenya's plans to deploy troops in Haiti were delayed again.", "MOBILIZE")
    assert any("Kenya" in a for a in actors)
    # near-miss: welcoming a plan does not make it yours
    for e in coder.code(Article(id="t", text="Washington welcomed the plan to deploy troops in Haiti.", date="2024-03-01")).events:
        if e["type"] == "MOBILIZE":
            assert not any("Washington" in (a.get("name") or a["text"]) for a in e["actors"])


def test_passive_subject_of_an_order_does_what_is_ordered(coder):
    actors, _ = parties(coder, "Police in Harare were ordered to arrest the strikers.", "COERCE")
    assert any("Police" in a for a in actors), actors


def test_target_of_an_assault_phrase_after_to(coder):
    _, recipients = parties(coder, "Settlers set fire to the school of a Palestinian village near Nablus.", "ASSAULT")
    assert any("school" in r for r in recipients), recipients
    # near-miss: "to" after a one-word verb is no target ("fled to"; a place may still be
    # inferred as the target later, but not read off the phrase)
    ev = next(e for e in coder.code(Article(id="t", text="Gunmen attacked the convoy and fled to Kenya.",
                                            date="2024-03-01")).events if e["type"] == "ASSAULT")
    assert not any("Kenya" in r["text"] and not r.get("inferred_from") for r in ev["recipients"])
