"""Shared parse helpers: the small questions every stage asks of a spaCy parse.

One place for them, so that a stage never imports another stage's private helpers and the
same walk ("up to the clause verb", "is this verb passive?") is written once.
Nothing here knows about events, actors or places: only tokens, arcs and the sphere.
"""
from __future__ import annotations

import bisect
import math
from typing import Iterable, Iterator

from spacy.tokens import Token

from eventwire.nlp import sentence_of

SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
# Arcs that start a clause of its own: a verb hanging from one of these heads a clause.
CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "acl", "csubj"}
# spaCy's entity labels for places (countries, cities, regions, features, buildings)
PLACE_LABELS = {"GPE", "LOC", "FAC"}

EARTH_RADIUS_KM = 6371.0


def lemma(tok: Token) -> str:
    """The lower-cased lemma."""
    return tok.lemma_.lower()


# Spellings a lemmatizer may leave undone, as (suffix, replacement): "bombed" -> "bomb",
# "carried" -> "carry", "staged" -> "stage". A doubled last consonant before -ed/-ing is undone
# as well ("stopped" -> "stop").
SUFFIX_RULES = (("ied", "y"), ("ies", "y"), ("ing", ""), ("ing", "e"), ("ed", ""),
                ("ed", "e"), ("d", ""), ("es", ""), ("s", ""))


def suffix_stems(word: str) -> list[str]:
    """The stems `SUFFIX_RULES` give a lower-cased word form, in rule order (may repeat)."""
    out = []
    for suffix, repl in SUFFIX_RULES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: len(word) - len(suffix)] + repl
            if len(base) > 2 and base[-1] == base[-2] and suffix in ("ed", "ing") and not repl:
                out.append(base[:-1])   # "shelled" -> "shell" stays, "stopped" -> "stop"
            out.append(base)
    return out


def pobjs(tok: Token, words: Iterable[str] | None = None, deps: tuple[str, ...] = ("prep",)) -> list[Token]:
    """Objects of the prepositions hanging from `tok` ("of" in "the sale of arms"), only of
    those spelled as in `words` when given."""
    return [p for c in tok.children if c.dep_ in deps and (words is None or c.lower_ in words)
            for p in c.children if p.dep_ == "pobj"]


def is_passive(verb: Token) -> bool:
    """A passive verb has a passive subject or a passive auxiliary ("was arrested")."""
    return any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in verb.children)


def clause_head(tok: Token) -> Token:
    """The verb that heads the clause `tok` is in (the root when there is none)."""
    while tok.dep_ not in CLAUSE_DEPS or tok.pos_ not in ("VERB", "AUX"):
        if tok.head.i == tok.i:
            return tok
        tok = tok.head
    return tok


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def governing_verb(tok: Token, limit: int = 8) -> Token:
    """The nearest verb above `tok` (itself if it is one), walking up through prepositions and
    noun phrases: the verb a date or a noun "hangs off". The root when no verb is found."""
    t = tok
    for _ in range(limit):
        if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT" or t.head.i == t.i:
            return t
        t = t.head
    return t


def verb_tense(verb: Token) -> str | None:
    """What a verb's own form and auxiliaries say about its time, as one word:
    "future" (will/shall/'ll), "perfect" (has/have/had + participle), "past" (past tense),
    "present" (finite present), "infinitive" (to + verb: decided by what governs it),
    "progressive" (be + -ing), or None (no finite verb: a bare participle, a noun)."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    aux_words = {a.lower_ for a in auxes}
    if aux_words & {"will", "'ll", "shall", "wo"} or verb.lower_ in ("will", "shall"):
        return "future"
    if any(a.lemma_.lower() == "have" for a in auxes) and verb.tag_ == "VBN":
        return "perfect"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if any(a.tag_ == "TO" for a in auxes):
        return "infinitive"
    if verb.tag_ == "VBG" and any(a.lemma_.lower() == "be" for a in auxes):
        return "progressive"
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    return None


NEGATORS = {"not", "n't", "never", "no", "neither", "nor"}
OPENING_QUOTES = {"\u201c", "``", "\u2018"}
CLOSING_QUOTES = {"\u201d", "''", "\u2019"}


def is_negated(verb: Token) -> bool:
    """The verb carries its own negation ("did not attack", "never asked")."""
    return any((c.dep_ == "neg" and c.lower_ in NEGATORS) or (c.dep_ == "advmod" and c.lower_ == "never")
               for c in verb.children)


def is_past(verb: Token) -> bool:
    """Told in a past tense: a past form or a past auxiliary ("set off" read as VBD, "had rejected")."""
    return verb.tag_ in ("VBD", "VBN") or any(c.tag_ == "VBD" for c in verb.children if c.dep_ in ("aux", "auxpass"))


def in_quotation(tok: Token) -> bool:
    """Whether the token stands inside quotation marks opened earlier in its sentence."""
    inside = False
    for t in sentence_of(tok.doc, tok.i):
        if t.i >= tok.i:
            break
        if t.text in OPENING_QUOTES:
            inside = True
        elif t.text in CLOSING_QUOTES:
            inside = False
        elif t.text == '"':
            inside = not inside
    return inside


TOKEN_STARTS_KEY = "eventwire.token_starts"


def tokens_starting_in(doc, start: int, end: int) -> list[Token]:
    """The tokens whose first character lies in [start, end), in order: `[t for t in doc if
    start <= t.idx < end]` by bisection over the token offsets (computed once per Doc), so a
    stage asking it per event does not walk the whole story each time."""
    starts = doc.user_data.get(TOKEN_STARTS_KEY)
    if starts is None:
        starts = doc.user_data[TOKEN_STARTS_KEY] = doc.to_array("IDX").tolist()
    lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
    return [doc[i] for i in range(lo, hi)]


def misread_closing_sayer(verb: Token, sayers: frozenset[str] | set[str]) -> Token | None:
    """'Soldiers beat the villagers, a rights group charged on Monday.': the parser may read a
    closing verb of saying (one of `sayers`) as a participle on a noun ("a group charged").
    A noun set off by a comma whose participle ends the sentence with no object of its own is
    then the speaker: that noun is returned."""
    if verb.dep_ != "acl" or verb.tag_ not in ("VBN", "VBD") or lemma(verb) not in sayers:
        return None
    noun = verb.head
    if noun.i > verb.i or noun.left_edge.i == 0 or noun.doc[noun.left_edge.i - 1].text != ",":
        return None
    if any(c.dep_ in ("dobj", "obj", "ccomp", "xcomp", "agent") for c in verb.children):
        return None
    rest = [t for t in sentence_of(verb.doc, verb.i) if t.i > verb.right_edge.i and not t.is_punct]
    return noun if not rest else None


def capitalised_plural_singular(tok: Token) -> str | None:
    """The lower-cased singular of a plural common noun the tagger took for a proper name
    because it is capitalised at the start of a line or sentence ("Rebels attacked ...",
    "Gunmen killed ..."), or of a capitalised plural of people ("six Protestants"): the
    tagger keeps such a word unlemmatised. None for any other
    token, and for words of a longer named entity ("the Philippines", "the Rolling Stones");
    the tagger may also call the one word alone an entity ("Gunmen" as a place)."""
    if tok.pos_ != "PROPN" or not tok.is_title or tok.ent_iob_ == "I" or (
            tok.ent_iob_ == "B" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].ent_iob_ == "I") or not (
            tok.tag_ == "NNPS" or tok.is_sent_start or tok.i == 0 or tok.doc[tok.i - 1].is_space):
        return None
    w = tok.lower_
    for suffix, repl in (("men", "man"), ("ies", "y"), ("sses", "ss"), ("s", "")):
        if w.endswith(suffix) and len(w) > len(suffix) + 2 and not w.endswith("ss"):
            return w[: len(w) - len(suffix)] + repl
    return None


def tokens_where(doc, attr: str, values: Iterable[str]) -> Iterator[Token]:
    """The tokens, in text order, whose `attr` ("POS", "LOWER", "TAG", ...) is one of `values`,
    read from the token table: a Token object is made only for them, not for every token
    (`for tok in doc` makes one per token, a noticeable part of a stage's cost)."""
    strings = doc.vocab.strings
    wanted = {strings[v] for v in values}
    for i, value in enumerate(doc.to_array(attr).tolist()):
        if value in wanted:
            yield doc[i]


# ----------------------------------------------------------------------- headline grammar

# Doc.user_data key: where the story's headline ends (characters), set when the Doc is made
HEADLINE_END = "eventwire.headline_end"


def in_headline(tok: Token) -> bool:
    """`tok` lies in the story's headline."""
    end = tok.doc.user_data.get(HEADLINE_END)
    return end is not None and tok.idx < end


def headline_patients(verb: Token) -> list[Token]:
    """What a headline's bare participle was done to. Headlines drop the "was"/"were" of a
    passive: "Curfew lifted in capital", "Police deployed ahead of vote" (were deployed),
    "Three soldiers killed in ambush" (a participle on the headline's head noun). Their
    subject is the patient: the verb has no object or auxiliary of its own. Empty for any
    other verb."""
    if not in_headline(verb) or verb.pos_ != "VERB" or verb.tag_ not in ("VBD", "VBN"):
        return []
    if any(c.dep_ in ("dobj", "obj", "aux", "auxpass", "nsubjpass", "ccomp", "xcomp", "agent") for c in verb.children):
        return []
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.dep_ == "ROOT" and verb.head.pos_ in ("NOUN", "PROPN"):
        return [verb.head]
    if verb.dep_ == "ROOT":
        return [c for c in verb.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")]
    return []

