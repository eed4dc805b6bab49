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


def test_rule_index_outside_its_match_raises_spacy_error():
    """A rule whose token index falls outside its match fails as spaCy's own ruler fails."""
    import pytest

    def ruler_with_bad_index(fast: bool):
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("attribute_ruler")
        ruler.add([[{"LOWER": "ferry"}]], {"LEMMA": "boat"}, index=2)
        if fast:
            assert TokenRules.install(ruler) is not None
        return nlp

    errors = []
    for fast in (False, True):
        with pytest.raises(ValueError) as caught:
            ruler_with_bad_index(fast)("the ferry left")
        errors.append(str(caught.value))
    assert errors[0] == errors[1]


def test_line_breaks_start_sentences_after_breaks_and_dateline():
    """nlp.line_breaks: a token after a line break starts a sentence (a space token does not),
    and so does the first token after a dateline that ends with its dash or colon."""
    from eventwire.article import Article
    from eventwire.nlp import line_breaks
    from eventwire.pipeline import Coder

    coder = Coder()
    text = "Floods close Orvan road\nORVAN, Kestria -- Rains cut the road on Sunday.\n\n  Crews worked late"

    def starts(dateline_end=None):
        doc = coder.make_doc(Article(id="lb", text=text, date="2020-05-04", meta={"format": "txt"}))
        if dateline_end is not None:
            doc._.dateline = (24, dateline_end, text[24:dateline_end])
        line_breaks(doc)
        return [t.text for t in doc[1:] if t.is_sent_start]

    assert starts() == ["ORVAN", "Crews"]
    assert starts(text.index("Rains")) == ["ORVAN", "Rains", "Crews"]      # "--" closes it
    assert starts(text.index(" --")) == ["ORVAN", "Crews"]                 # a name does not


def test_tokens_where_reads_the_token_table():
    """syntax.tokens_where gives the tokens a loop over the Doc would pick, in text order."""
    from eventwire.nlp import load_model
    from eventwire.syntax import tokens_where

    doc = load_model()("They asked who sent it, and which ferry the Who boarded; who knows.")
    assert [t.i for t in tokens_where(doc, "POS", ["PRON"])] == [t.i for t in doc if t.pos_ == "PRON"]
    assert [t.text for t in tokens_where(doc, "LOWER", {"who", "which"})] == ["who", "which", "Who", "who"]
    assert list(tokens_where(doc, "LOWER", [])) == []
