"""The pre-pass (eventwire.prepass): a story it lets around the pipeline can hold no event,
and its records are the same with the pre-pass on and off."""
from __future__ import annotations

import pytest

from eventwire import events
from eventwire.article import Article
from eventwire.nlp import load_model
from eventwire.prepass import PrePass, enabled

# Stories in which no word can be an event trigger (weather, nature).
NO_TRIGGER = [
    "Light snow fell on the hills overnight and temperatures stayed low.",
    "Rain is expected over the coast on Friday.",
]
# Stories a trigger word makes worth the full parse.
WITH_TRIGGER = [
    "Rebel fighters shelled the garrison town of Velmora at dawn, officials said.",
    "Dock workers held a sit-in at the harbour office in Portavel on Tuesday.",
    "Light snow fell on the hills overnight while soldiers arrested two smugglers.",
]


@pytest.fixture(scope="module")
def prepass():
    return PrePass(load_model())


def _doc(text: str):
    return load_model().make_doc(text)


@pytest.mark.parametrize("text", NO_TRIGGER)
def test_story_without_trigger_word_is_skipped(prepass, text):
    assert not prepass.can_hold_event(_doc(text))


@pytest.mark.parametrize("text", WITH_TRIGGER)
def test_story_with_trigger_word_is_parsed(prepass, text):
    assert prepass.can_hold_event(_doc(text))


def test_noun_entry_needs_all_its_words(prepass):
    # "in" ends the entry "sit-in": alone, as a preposition, it is no trigger
    assert prepass.can_hold_event(_doc("The sit-in lasted until midnight."))
    assert prepass.can_hold_event(_doc("The sit in lasted until midnight."))
    assert not prepass.can_hold_event(_doc("Light snow fell over the hills in the north overnight."))


def test_demand_needs_a_verb_of_saying_and_a_modal(prepass):
    lex = events.load_lexicon()
    assert "say" in lex.demand_verbs and "say" not in lex.verbs
    assert prepass.can_hold_event(_doc("The mayor said the river must rise slowly."))
    assert prepass.can_hold_event(_doc("The mayor said the river has to rise slowly."))
    assert not prepass.can_hold_event(_doc("The mayor said the river would rise slowly."))


def test_every_lexicon_lookup_of_a_parsed_story_is_foreseen(prepass, samples):
    """On real parses, each token the events stage would look up in the lexicon (its verb
    keys, or a noun entry ending at it) is one the pre-pass flags: it never misses a word."""
    nlp = load_model()
    lex = events.load_lexicon()
    checked = 0
    for article in samples[:12]:
        doc = nlp(article.text)
        for tok in doc:
            verb_hit = any(k in lex.verbs for k in events.verb_keys(tok))
            head = tok.lemma_.lower().split("-")[-1]
            if verb_hit:
                checked += 1
                assert prepass._verdict(tok.lower_)[0] & PrePass._VERB, tok.text
            if head in lex.noun_heads:
                checked += 1
                assert tok.lemma_.lower() in prepass._verdict(tok.lower_)[1], tok.text
    assert checked > 100


def test_switch(monkeypatch):
    monkeypatch.setenv("EVENTWIRE_PREPASS", "0")
    assert not enabled()
    assert enabled(True)
    monkeypatch.setenv("EVENTWIRE_PREPASS", "1")
    assert enabled()
    assert not enabled(False)


def _coded(coder, texts):
    articles = [Article(id=f"s{i}", text=t, date="2021-03-04") for i, t in enumerate(texts)]
    return list(coder.code_many(articles))


def test_same_results_with_and_without_prepass(monkeypatch):
    """Events, places and times of a batch mixing stories with and without triggers."""
    from eventwire.pipeline import Coder

    texts = [WITH_TRIGGER[0], "Snow fell on Oslo and Bergen on Monday.", WITH_TRIGGER[1], NO_TRIGGER[0]]
    off = _coded(Coder(prepass=False), texts)
    on = _coded(Coder(prepass=True), texts)
    assert [(r.events, r.places, r.times) for r in off] == [(r.events, r.places, r.times) for r in on]
    assert off[0].events and off[2].events          # the comparison is not between empty lists
    assert on[1].places and on[1].times             # the skipped story keeps its mentions


def test_events_only_skips_the_parse():
    from eventwire.pipeline import Coder

    coder = Coder(prepass=True, mentions=False)
    docs = list(coder.docs([Article(id="a", text=NO_TRIGGER[0], date="2021-03-04"),
                            Article(id="b", text=WITH_TRIGGER[0], date="2021-03-04")]))
    assert [d._.article.id for d in docs] == ["a", "b"]      # input order kept
    assert not docs[0].has_annotation("DEP") and docs[1].has_annotation("DEP")
    assert coder.code_doc(docs[0]).events == []


def test_follows_a_user_lexicon_added_later(prepass, tmp_path, monkeypatch):
    story = "The crowd flumoxed the square until dusk."
    assert not prepass.can_hold_event(_doc(story))
    mine = tmp_path / "verbs.yaml"
    mine.write_text("groups:\n  - type: PROTEST\n    cameo: '141'\n    verbs: [flumox]\n")
    monkeypatch.setenv("EVENTWIRE_LEXICON", str(mine))
    assert prepass.can_hold_event(_doc(story))


def test_a_skipped_story_has_no_events_rather_than_none():
    from eventwire.article import Article
    from eventwire.pipeline import Coder
    coder = Coder(prepass=True)
    article = Article(id="q", text="Blue skies and a mild breeze.", date="2024-01-01")
    assert not coder.prepass.can_hold_event(coder.make_doc(article))
    doc = next(iter(coder.docs([article])))
    assert doc._.events == [] and doc._.dropped_events == []
