"""Status and attribution of acts told inside other constructions: accusations, warnings,
refusals of requests, reports called false. The team's own sentences; each rule has a sentence
where it must fire and a near one where it must not."""
from __future__ import annotations

from eventwire.article import Article

PUB = "2024-03-06"


def code(coder, text: str) -> list[dict]:
    return coder.code(Article(id="c", text=text, date=PUB)).events


def event(coder, text: str, type_: str, word: str) -> dict:
    evs = code(coder, text)
    hits = [e for e in evs if e["type"] == type_ and word in e["trigger"]["text"].lower()]
    assert hits, f"no {type_} '{word}' in {text!r}: {[(e['type'], e['trigger']['text']) for e in evs]}"
    return hits[0]


def source(ev: dict) -> str:
    return (ev["attributed_to"] or {}).get("text", "").lower()


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
