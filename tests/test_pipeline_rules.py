"""The attribute ruler's matching by table lookup (eventwire.nlp.TokenRules) gives the very
matches, and so the very tags, parts of speech, morphology and lemmas, of spaCy's Matcher."""
from __future__ import annotations

import spacy

from eventwire.nlp import MODEL, TokenRules

# Own sentences touching the ruler's kinds of rules: tag -> part of speech, fixed lemmas of
# contractions and slang (two-token rules), "there is" (dependency rules), spaces.
TEXTS = [
    "Y'all gonna see it, ain't ya? Let's go, c'mon, we gotta leave.",
    "There are three ferries waiting.\n\n   There was a storm; they're late.",
    "She gets the keys and he got the maps; I'm sure it's theirs, not hers.",
    "The council in Brastow voted 7-2 on Thursday to close the old bridge.",
]


def _parsed(nlp, texts):
    return list(nlp.pipe(texts, disable=["attribute_ruler", "lemmatizer", "ner"]))


def test_same_matches_as_spacy(samples):
    nlp = spacy.load(MODEL, exclude=["senter"])
    ruler = nlp.get_pipe("attribute_ruler")
    texts = TEXTS + [a.text for a in samples[:10]]
    docs = _parsed(nlp, texts)
    expected = [ruler.match(d) for d in docs]
    assert TokenRules.install(ruler) is not None
    assert [ruler.match(d) for d in docs] == expected
    assert [ruler.match(d) for d in docs] == expected        # again, from the cache
    assert any(e - s == 2 for m in expected for _, _, s, e in m)   # two-token rules were tried


def test_same_annotations_as_spacy():
    plain = spacy.load(MODEL, exclude=["senter"])
    fast = spacy.load(MODEL, exclude=["senter"])
    TokenRules.install(fast.get_pipe("attribute_ruler"))

    def attrs(nlp):
        return [[(t.tag_, t.pos_, str(t.morph), t.lemma_) for t in d] for d in nlp.pipe(TEXTS)]
    assert attrs(fast) == attrs(plain)


def test_other_kinds_of_rules_keep_spacy_matcher():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "big", "OP": "+"}]], {"LEMMA": "large"})
    assert TokenRules.install(ruler) is None
    assert nlp("big big dog")[0].lemma_ == "large"
