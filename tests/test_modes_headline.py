"""The headline as a source of an event's mode (modes.annotate): a story's headline tells the
kind of its lead event that the body may go on to call only "the attack" or "the talks"."""
from __future__ import annotations

import pytest

from eventwire.article import Article


def coded(coder, text: str, title: str | None) -> list[tuple[str, str | None]]:
    events = coder.code(Article(id="h", text=text, title=title, date="2024-05-02")).events
    return [(e["type"], e["mode"]) for e in events]


BODY_ATTACK = "Five soldiers were killed in the attack near Gedo on Tuesday, the army said."


@pytest.mark.parametrize("title,mode", [
    ("Air strike kills five soldiers in Gedo", "aerial"),
    ("Shelling kills five soldiers in Gedo", "heavy-weapons"),
    ("Roadside Bomb Kills Five Soldiers in Gedo", "explosives"),
])
def test_headline_names_the_kind_of_a_plain_attack(coder, title, mode):
    assert ("ASSAULT", mode) in coded(coder, BODY_ATTACK, title)


def test_a_headline_without_a_cue_gives_no_mode(coder):
    got = coded(coder, BODY_ATTACK, "Five soldiers killed in Gedo")
    assert ("ASSAULT", None) in got


def test_no_title_no_headline_mode(coder):
    assert ("ASSAULT", None) in coded(coder, BODY_ATTACK, None)


def test_the_events_own_cue_outranks_the_headline(coder):
    """The body says gunmen shot them: the headline's 'bomb' does not overrule that."""
    text = "Gunmen shot dead five soldiers near Gedo on Tuesday, the army said."
    got = coded(coder, text, "Roadside Bomb Kills Five Soldiers in Gedo")
    assert ("ASSAULT", "firearms") in got and ("ASSAULT", "explosives") not in got


def test_headline_only_gives_modes_of_the_events_type(coder):
    """A headline's 'hunger strike' is a PROTEST mode; it says nothing about the attack."""
    got = coded(coder, BODY_ATTACK, "Prisoners in Gedo begin hunger strike")
    # (the hunger strike itself is the headline's own event: pipeline.with_headline)
    assert ("ASSAULT", None) in got and ("ASSAULT", "hunger") not in got


def test_headline_in_the_text_counts_too(coder):
    """A plain-text story's first line is its headline."""
    text = "Air strike kills five soldiers in Gedo\n\n" + BODY_ATTACK
    assert ("ASSAULT", "aerial") in coded(coder, text, "Air strike kills five soldiers in Gedo")


def test_users_can_turn_the_headline_off(coder, tmp_path, monkeypatch):
    extra = tmp_path / "modes.yaml"
    extra.write_text("use_headline: false\n")
    monkeypatch.setenv("EVENTWIRE_MODES", str(extra))
    assert ("ASSAULT", "aerial") not in coded(coder, BODY_ATTACK, "Air strike kills five soldiers in Gedo")


# ------------------------------------------------------------- weak cues: general trigger words

def test_a_general_protest_word_yields_to_the_headline(coder):
    text = "Nurses in Bergen were protesting outside the hospital on Monday over unpaid wages."
    assert ("PROTEST", "strike") in coded(coder, text, "Bergen nurses stage strike over wages")


def test_a_general_protest_word_alone_is_a_demonstration(coder):
    text = "Nurses in Bergen were protesting outside the hospital on Monday over unpaid wages."
    assert ("PROTEST", "demo") in coded(coder, text, "Bergen nurses angry over wages")


def test_a_specific_body_word_outranks_the_headline(coder):
    """'marched' is a demonstration told as such; the headline's 'strike' does not change it."""
    text = "Nurses marched through Bergen on Monday over unpaid wages."
    got = coded(coder, text, "Bergen nurses stage strike over wages")
    assert ("PROTEST", "demo") in got and ("PROTEST", "strike") not in got


def test_headline_verb_of_obstruction(coder):
    text = "Dockers protested at the port of Durban on Monday over pay."
    assert ("PROTEST", "obstruct") in coded(coder, text, "Dockers' protest disrupts port of Durban")
    assert ("PROTEST", "obstruct") not in coded(coder, text, "Dockers' protest continues in Durban")


def test_a_long_title_is_no_headline(coder):
    title = "Air strike kills five soldiers in Gedo " + " ".join(["and the region"] * 10)
    assert ("ASSAULT", "aerial") not in coded(coder, BODY_ATTACK, title)
