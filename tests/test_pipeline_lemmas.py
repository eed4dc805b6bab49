"""The lemmatizer by table lookup (eventwire.nlp.TableLemmas, index_as_sets) gives spaCy's own
lemmas, fixed lemmas of the attribute ruler included."""
from __future__ import annotations

import spacy

from eventwire.nlp import MODEL, TableLemmas, index_as_sets, load_model

# Own sentences: regular and irregular inflections, words the lemmatizer's index does not
# know, fixed lemmas set by the attribute ruler ("gonna", "ain't"), proper nouns, spaces.
TEXTS = [
    "The ferrymen were carrying crates; two barges sank and the harbourmaster's dogs fled.",
    "Y'all gonna see it, ain't ya? They've gotten better at hiding the quokkas.",
    "Brastow's councillors voted 7-2 on Thursday.\n\n   Smaller towns are voting later, she said.",
    "Flurbing wugs flurbed flurbingly; the wugs' flurbs were flurbier than ever.",
]


def _lemmas(nlp):
    return [[t.lemma_ for t in d] for d in nlp.pipe(TEXTS)]


def test_same_lemmas_as_spacy(samples):
    plain = spacy.load(MODEL, exclude=["senter"])
    expected = _lemmas(plain)
    ours = load_model()
    lemmatizer = ours.get_pipe("lemmatizer")
    assert type(lemmatizer).__name__.startswith("Table")
    assert _lemmas(ours) == expected
    assert _lemmas(ours) == expected             # again, from the table
    assert [[t.lemma_ for t in d] for d in ours.pipe(a.text for a in samples[:8])] == \
        [[t.lemma_ for t in d] for d in plain.pipe(a.text for a in samples[:8])]
    assert expected[0][2:4] == ["be", "carry"]
    assert {t.text: t.lemma_ for t in ours(TEXTS[1])}["gon"] == "go"    # the ruler's fixed lemma


def test_index_as_sets_answers_the_same():
    nlp = spacy.load(MODEL, exclude=["senter"])
    lemmatizer = nlp.get_pipe("lemmatizer")
    table = lemmatizer.lookups.get_table("lemma_index")
    before = {pos: list(words) for pos, words in table.items()}
    index_as_sets(lemmatizer)
    assert all(isinstance(words, frozenset) and words == set(before[pos]) for pos, words in table.items())
    assert _lemmas(nlp) == _lemmas(spacy.load(MODEL, exclude=["senter"]))


def test_other_lemmatizer_modes_left_alone():
    nlp = spacy.blank("en")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    TableLemmas.install(lemmatizer)
    assert not type(lemmatizer).__name__.startswith("Table")
