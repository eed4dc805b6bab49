"""Cues of modes.yaml that tell apart modes of one type, each with a sentence where it must
fire and a similar one where it must not (the team's own sentences)."""
from __future__ import annotations

import pytest

from eventwire.article import Article


def coded(coder, text: str) -> list[tuple[str, str | None]]:
    events = coder.code(Article(id="c", text=text, date="2024-05-02")).events
    return [(e["type"], e["mode"]) for e in events]


FIRES = [
    # asking to end a policy is asking for a change, not for yielding
    ("The union urged the government to end its wage policy.", "REQUEST", "change"),
    ("Residents demanded an end to the siege of the town.", "REQUEST", "yield"),
    # talks between two others that a third hosts are third-party mediation
    ("Qatar hosted talks between the Sudanese army and the rebels.", "CONSULT", "third-party"),
    ("Qatar hosted the Sudanese foreign minister in Doha.", "CONSULT", "host"),
    ("A targeted attack killed the mayor of Culiacan on Sunday.", "ASSAULT", "targeted"),
    ("Thugs beat an opposition organiser with a baseball bat in Harare.", "ASSAULT", "primitive"),
    ("An air strike killed four fighters near Marib.", "ASSAULT", "aerial"),
    # an invasion threatens occupation of territory (CAMEO 1382), not force in general
    ("Pretoria threatened to invade the neighbouring kingdom.", "THREATEN", "territory"),
    # refusing a settlement is refusing a change of policy
    ("The parliament rejected the peace agreement with the rebels.", "REJECT", "change"),
    ("The rebels rejected the government's offer of talks.", "REJECT", "meet"),
    # hyphenated cues match the words the tokenizer splits them into
    ("The two sides agreed to a cease-fire on Monday.", "RETREAT", "ceasefire"),
    ("Students staged a sit-in at the ministry.", "PROTEST", "obstruct"),
    # what is asked for is the act named, not the words of a clause describing its object
    ("The group asked for the release of activists who had criticised the reform.", "REQUEST", "yield"),
]

MISSES = [
    ("Residents demanded an end to the siege of the town.", "REQUEST", "change"),
    ("The union urged the government to end the siege.", "REQUEST", "change"),
    ("Qatar hosted the Sudanese foreign minister in Doha.", "CONSULT", "third-party"),
    ("An attack killed the mayor of Culiacan on Sunday.", "ASSAULT", "targeted"),
    ("Students staged a rally at the ministry.", "PROTEST", "obstruct"),
    ("Thugs beat an opposition organiser in Harare.", "ASSAULT", "primitive"),
    ("A roadside bomb killed four fighters near Marib.", "ASSAULT", "aerial"),
    ("Pretoria threatened to bomb the neighbouring kingdom.", "THREATEN", "territory"),
    ("The rebels rejected the government's offer of talks.", "REJECT", "change"),
    ("The group asked for the release of activists who had criticised the reform.", "REQUEST", "change"),
    # soldiers patrol as much as the police do
    ("The army deployed soldiers to patrol the border with Chad.", "MOBILIZE", "police"),
]


@pytest.mark.parametrize("text,type_,mode", FIRES)
def test_cue_fires(coder, text, type_, mode):
    assert (type_, mode) in coded(coder, text)


@pytest.mark.parametrize("text,type_,mode", MISSES)
def test_cue_does_not_fire(coder, text, type_, mode):
    assert (type_, mode) not in coded(coder, text)
