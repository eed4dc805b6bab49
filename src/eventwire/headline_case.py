"""Title Case headlines read as sentence case, before the parse.

Many outlets capitalise every word of a headline ("Rebels Agree To Lay Down Arms", "Capital
Lifts Night Curfew"). The tagger learned capitals as a sign of names, so in such a headline it
reads verbs and common nouns as proper nouns and the parse of the whole line falls apart: no
trigger, no actor. Re-casing the headline the way the same story would be written in a sentence
fixes the parse. Only the letters' case changes, so every character offset stays the same; the
record keeps the headline's own spelling (`restore_spelling`).

A capitalised headline word is lower-cased when it is an English dictionary word (the model's
own lemmatizer index, or a function word) and nothing says it is a name:
- the actor dictionary or the city list knows a name starting there ("United Nations",
  "New York", "Sudan"), or
- the story's body writes the word with a capital inside a sentence (a name the story uses), or
- it is written in capitals throughout ("UN", "NATO").
The headline's first word keeps its capital, as a sentence's first word does. A headline in
sentence case, or one with only a few capitals (names), is left as it is."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import takewhile

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from . import actors
from .records import map_dicts

RECASED_KEY = "eventwire.headline_recased"   # Doc.user_data: True when the headline was re-cased

# A headline is in Title Case when at least this share of its content words (four letters or
# more, no function words) start with a capital; at least MIN_CONTENT of them must be there.
TITLE_SHARE = 0.8
MIN_CONTENT = 2

# what may stand before a capital that only starts a sentence or a quotation
SENTENCE_OPENERS = set(".!?:;\"“”‘’'([—–-\n")


def sentence_case(nlp, doc: Doc, end: int, body: str) -> Doc:
    """`doc` with the Title Case headline ending at character `end` re-cased (see the module);
    `doc` itself when the headline is not in Title Case or no word changes."""
    head = list(takewhile(lambda t: t.idx + len(t.text) <= end, doc))   # not the whole story
    if not is_title_case([t.text for t in head]):
        return doc
    lowered = [t.text.lower() for t in head]
    named = _known_names(lowered)
    in_body = names_in(body)
    words = [t.text for t in doc]
    changed = False
    for k, tok in enumerate(head):
        if k == 0 or k in named or not _capitalised(tok.text) or tok.text in in_body:
            continue
        if lowered[k] in STOP_WORDS or in_dictionary(nlp, lowered[k]):
            words[k] = lowered[k]
            changed = True
    if not changed:
        return doc
    recased = Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])
    recased.user_data[RECASED_KEY] = True
    return recased


def is_title_case(words: list[str]) -> bool:
    content = [w for w in words if len(w) >= 4 and w.isalpha() and w.lower() not in STOP_WORDS]
    if len(content) < MIN_CONTENT:
        return False
    return sum(_capitalised(w) for w in content) >= TITLE_SHARE * len(content)


def _capitalised(word: str) -> bool:
    """A capital first letter followed by at least one small letter ("Agrees", not "UN")."""
    return word[:1].isupper() and any(c.islower() for c in word[1:])


def _known_names(words: list[str]) -> set[int]:
    """Positions of words inside a name the actor dictionary or the city list knows."""
    out: set[int] = set()
    i = 0
    while i < len(words):
        n = actors.known_name_length(words, i) if words[i][:1].isalpha() else 0
        out.update(range(i, i + n))
        i += max(n, 1)
    return out


def names_in(body: str) -> set[str]:
    """Capitalised words the body writes inside a sentence, where a capital marks a name."""
    out = set()
    for m in re.finditer(r"[A-Z][a-z][\w’'-]*", body):
        j = m.start() - 1
        while j >= 0 and body[j] in " \t":   # the character before, spaces and tabs skipped
            j -= 1
        if j >= 0 and body[j] not in SENTENCE_OPENERS:
            out.add(m.group(0))
    return out


@lru_cache(maxsize=4)
def _dictionary(nlp) -> frozenset[str]:
    """The lemmas of the model's rule lemmatizer (nouns, verbs, adjectives, adverbs)."""
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except (KeyError, ValueError):
        return frozenset()
    return frozenset(w for words in table.values() for w in words)


# endings that a dictionary lemma takes in running text, longest first
INFLECTIONS = (("ies", "y"), ("ied", "y"), ("ing", "e"), ("ing", ""), ("ed", "e"), ("ed", ""),
               ("es", ""), ("s", ""))


def in_dictionary(nlp, word: str) -> bool:
    """`word` or its uninflected form is an English dictionary word."""
    words = _dictionary(nlp)
    if word in words:
        return True
    return any(word.endswith(end) and word[:-len(end)] + base in words
               for end, base in INFLECTIONS if len(word) > len(end) + 2)


def restore_spelling(value, text: str, end: int):
    """Records and mentions with the headline's own spelling again: a span that ends inside
    the re-cased headline (the first `end` characters) takes its text from `text`."""
    def respell(out: dict) -> dict:
        start, stop = out.get("start"), out.get("end")
        if isinstance(start, int) and isinstance(stop, int) and stop <= end and isinstance(out.get("text"), str):
            out["text"] = text[start:stop]
        return out
    return map_dicts(value, respell)
