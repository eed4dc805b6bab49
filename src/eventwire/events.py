"""Events: find event triggers with the lexicon and their actor and recipient in the parse.

What happens here, in order, for each sentence:
  1. every verb and noun is looked up in the lexicon (`data/lexicon.yaml`); sense conditions
     ("fire" needs a weapon or "at", "attack" is not a "heart attack") pick or drop it;
  2. light verbs ("launched airstrikes", "claimed responsibility for bombing") hand their
     subject to the event noun and become its anchor;
  3. events absorbed by an outer event ("agreed to cooperate", "threatened to strike") are
     dropped, and killing/wounding clauses attached to an attack fold into it as its size;
  4. actors and recipients are read off the dependency parse: active and passive voice,
     control ("vowed to retaliate"), coordination, relative clauses, nominal events
     ("Russia's airstrikes in Syria", "sanctions against Turkey", "the bombing of a plane").
The result is `doc._.events`, a list of `records.Event`, refined by the later stages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.tokens import Doc, Token

from eventwire import actors as actor_stage
from eventwire.datafiles import kept_table, layered, parse_yaml, word_sets
from eventwire.nlp import sentence_index, sentence_of, sentences, text_of
from eventwire.records import Actor, Event
from eventwire.syntax import (PASSIVE_SUBJECT_DEPS, SUBJECT_DEPS, headline_patients, is_passive, lemma,
                             misread_closing_sayer, pobjs, suffix_stems)


OBJECT_DEPS = {"dobj", "obj", "dative", "attr"}
# Prepositions that introduce the target of an event, by event type. "with" is a partner.
RECIPIENT_PREPS = {
    "default": {"against", "on", "upon", "at", "toward", "towards", "into", "targeting"},
    "CONSULT": {"with", "to", "between"}, "AGREE": {"with", "between"}, "COOPERATE": {"with", "between"},
    "AID": {"to", "for"}, "REQUEST": {"to", "from"}, "CONCEDE": {"to"}, "SUPPORT": {"for", "to"},
    "ACCUSE": {"against", "of", "to"}, "SANCTION": {"against", "on", "from", "with", "to"},
    "COERCE": {"from", "to"},
    "PROTEST": {"against", "outside", "at"}, "REJECT": {"from", "to", "with"},
}
# Event nouns whose "from" phrase names who acts: "a warning from Moscow", "aid from Japan",
# "a request from the ministry", "rocket fire from the rebels". (For expulsions, sanctions,
# refusals and withdrawals "from" names what is left or kept from: "withdrawal from the pact".)
NOUN_DOER_FROM = {"THREATEN", "REQUEST", "ACCUSE", "SUPPORT", "ASSAULT", "AID", "CONSULT",
                  "AGREE", "CONCEDE", "COOPERATE", "PROTEST"}
# Verbs whose object, not subject, is the doer of their complement: "urged Iran to stop".
OBJECT_CONTROL = {"urge", "ask", "order", "force", "pressure", "press", "tell", "call",
                  "encourage", "allow", "persuade", "compel", "invite", "instruct", "require",
                  "push", "lead", "help", "send"}
# Participles that read as adjectives of attitude: their passive subject is the one who acts.
STATIVE_PASSIVES = {"oppose", "commit", "prepare", "determine", "resolve", "dedicate", "engage",
                    "involve", "opposed", "committed", "prepared", "determined"}
# Passive verbs that raise the subject of their "to" infinitive: "are believed to have
# kidnapped", "is said to have ordered", "is expected to sign", "are set to meet".
RAISING_PASSIVES = {"say", "report", "allege", "claim", "understand", "think", "believe", "suspect",
                    "presume", "know", "expect", "estimate", "rumor", "rumour", "fear", "set",
                    "schedule", "slate", "poise", "due", "consider"}
# Heads that only count or group the people named in their 'of' phrase:
# "thousands of Nigerians", "a group of Chechen refugees", "leaders of the coalition".
GROUP_HEADS = {"thousand", "hundred", "dozen", "million", "ten", "tens", "hundreds", "thousands",
               "group", "number", "crowd", "score", "handful", "band", "some", "many", "most",
               "all", "several", "members", "member", "leader", "leaders", "supporter",
               "supporters", "majority", "part", "one", "two", "three", "dozens", "scores",
               "percent", "per cent", "%", "half", "third", "quarter", "minority", "rest", "bulk"}
RELATIVE_PRONOUNS = {"that", "which", "who", "whom", "whose"}

# Named-entity types that never hold an event word ("mid-March", "the May Day rally" is fine
# because "rally" is not part of a DATE entity).
NON_EVENT_ENTITIES = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"}

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "a dozen": 12, "a hundred": 100,
}
KILL_LEMMAS = {"kill", "die", "dead", "slay", "massacre", "execute", "behead", "murder", "death"}
INJURE_LEMMAS = {"wound", "injure", "hurt", "injured", "wounded"}
ARREST_LEMMAS = {"arrest", "detain", "jail", "imprison", "apprehend", "capture", "round"}


# ----------------------------------------------------------------------------- lexicon

@dataclass
class Sense:
    """One lexicon entry: a word (or phrase) that expresses one event type."""
    words: tuple[str, ...]            # lemmas; words[0] is the trigger for verbs, words[-1] for nouns
    type: str
    mode: str | None
    cameo: str | None
    needs: dict = field(default_factory=dict)
    unless: dict = field(default_factory=dict)
    negated_type: str | None = None
    needs_all: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return " ".join(self.words)


@dataclass
class Lexicon:
    verbs: dict[str, list[Sense]]      # verb lemma -> senses (phrases first)
    nouns: dict[str, list[Sense]]      # squashed noun phrase ("airstrike") -> senses
    noun_heads: dict[str, int]         # last word of a noun entry -> longest entry in tokens
    light_verbs: frozenset[str]
    quantity_nouns: frozenset[str]
    absorbing_types: frozenset[str]
    keep_inner: dict[str, frozenset[str]]
    commitments: dict
    demand_modals: frozenset[str]
    demand_verbs: frozenset[str]
    doer_predicates: dict[str, frozenset[str]] = field(default_factory=dict)
    doer_nouns: frozenset[str] = frozenset()
    patient_nouns: frozenset[str] = frozenset()
    permission_nouns: frozenset[str] = frozenset()
    headline_passive_types: frozenset[str] = frozenset()


def squash(text: str) -> str:
    """'air strike', 'air-strike', 'airstrike' -> 'airstrike': one key for all spellings."""
    return re.sub(r"[\s\-]+", "", text.lower())


# YAML 1.1 reads the bare words on/off (and yes/no) in a list as booleans: in a condition list
# they are the prepositions and particles "on" and "off" ("back down on", "cordon off").
_BARE_WORDS = {True: "on", False: "off"}


def _conditions(raw) -> dict:
    return {k: [(_BARE_WORDS[w] if isinstance(w, bool) else w) for w in v] if isinstance(v, list) else v
            for k, v in (raw or {}).items()}


def _sense(entry, group: dict) -> Sense:
    if isinstance(entry, str):
        entry = {"lemma": entry}
    return Sense(words=tuple(entry["lemma"].lower().split()), type=group["type"],
                 mode=entry.get("mode", group.get("mode")),
                 cameo=str(entry.get("cameo", group.get("cameo"))) if (entry.get("cameo") or group.get("cameo")) else None,
                 needs=_conditions(entry.get("needs")), unless=_conditions(entry.get("unless")),
                 negated_type=entry.get("negated_type"), needs_all=_conditions(entry.get("needs_all")))


def _load_lexicon(paths: tuple[str, ...]) -> Lexicon:
    verbs: dict[str, list[Sense]] = {}
    nouns: dict[str, list[Sense]] = {}
    noun_heads: dict[str, int] = {}
    light: set[str] = set()
    quantity: set[str] = set()
    absorbing: set[str] = set()
    keep_inner: dict[str, frozenset[str]] = {}
    commitments: dict = {}
    demand_modals: set[str] = set()
    demand_verbs: set[str] = set()
    doer_predicates: dict[str, frozenset[str]] = {}
    doer_nouns: set[str] = set()
    patient_nouns: set[str] = set()
    permission_nouns: set[str] = set()
    headline_passive: set[str] = set()
    for path in paths:  # later files win: their senses go first
        data = parse_yaml(Path(path).read_text(encoding="utf-8")) or {}
        # `more_groups`: groups kept in a later section of the same file (same shape)
        for group in (data.get("groups") or []) + (data.get("more_groups") or []):
            for entry in group.get("verbs") or []:
                s = _sense(entry, group)
                verbs.setdefault(s.words[0], []).insert(0, s)
            for entry in group.get("nouns") or []:
                s = _sense(entry, group)
                nouns.setdefault(squash(s.key), []).insert(0, s)
                head = s.words[-1].split("-")[-1]
                noun_heads[head] = max(noun_heads.get(head, 1), len(re.split(r"[\s\-]+", s.key)))
        light |= set(data.get("light_verbs") or [])
        quantity |= set(data.get("quantity_nouns") or [])
        absorbing |= set(data.get("absorbing_types") or [])
        for outer, inner in (data.get("keep_inner") or {}).items():
            keep_inner[outer] = frozenset(inner)
        commitments.update(data.get("commitments") or {})
        demand_modals |= set(data.get("demand_modals") or [])
        demand_verbs |= set(data.get("demand_verbs") or [])
        for pred, preps in (data.get("doer_predicates") or {}).items():
            doer_predicates[pred] = doer_predicates.get(pred, frozenset()) | frozenset(_conditions({"p": preps})["p"])
        doer_nouns |= set(data.get("doer_nouns") or [])
        patient_nouns |= set(data.get("patient_nouns") or [])
        permission_nouns |= set(data.get("permission_nouns") or [])
        headline_passive |= set(data.get("headline_passive_types") or [])
    # phrases before single words (the longer match wins), and a sense with conditions
    # before a plain one for the same word (the more specific sense is tried first)
    for senses in list(verbs.values()) + list(nouns.values()):
        senses.sort(key=lambda s: (-len(s.words), not (s.needs or s.unless or s.needs_all)))
    return Lexicon(verbs, nouns, noun_heads, frozenset(light), frozenset(quantity),
                   frozenset(absorbing), keep_inner, commitments, frozenset(demand_modals),
                   frozenset(demand_verbs), doer_predicates, frozenset(doer_nouns),
                   frozenset(patient_nouns), frozenset(permission_nouns), frozenset(headline_passive))


def _kept_lexicon(paths: tuple[str, ...]) -> Lexicon:
    """`_load_lexicon`, kept between runs (`datafiles.kept_table`): building the senses took
    30 ms of every start-up, unpickling them takes a fifth of that."""
    return kept_table("lexicon", [Path(p).read_bytes() for p in paths], lambda: _load_lexicon(paths))


def load_lexicon() -> Lexicon:
    """The lexicon, with the user's files from EVENTWIRE_LEXICON layered on top."""
    return layered("lexicon.yaml", "EVENTWIRE_LEXICON", _kept_lexicon)


# ----------------------------------------------------------------------------- sense checks

def verb_keys(tok: Token) -> list[str]:
    """The spaCy lemma first, then spellings undone by rule: the small model's lemmatizer
    slips now and then ("staged" -> "stag"), and a missed verb is a missed event."""
    return list(dict.fromkeys([lemma(tok)] + suffix_stems(tok.lower_)))


def objects_of(tok: Token) -> list[Token]:
    """Direct objects (passive subjects for a passive verb), looking through 'an array of X'."""
    lex = load_lexicon()
    objs = [c for c in tok.children if c.dep_ in ("dobj", "obj")]
    if is_passive(tok):
        objs += [c for c in tok.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
    objs = objs or headline_patients(tok)   # "Curfew lifted in capital": was lifted
    # "the treaty which they signed": the relative pronoun stands for the noun it hangs from
    objs = [(_relative_antecedent(o) or o) if _is_relative_pronoun(o) else o for o in objs]
    if tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ in ("NOUN", "PROPN") and not objs and \
            any(c.dep_ == "agent" or (c.dep_ == "auxpass" and c.lower_ == "being") for c in tok.children):
        # "the accord signed by both leaders": the accord was signed, and by whom is told;
        # "the diplomats being expelled": it is under way ("the deal reached in 2001"
        # without either only refers back to an older act)
        objs.append(tok.head)
    out = []
    for o in objs:
        out.append(o)
        if lemma(o) in lex.quantity_nouns:
            out += pobjs(o, ("of",))
        out += [c for c in o.children if c.dep_ == "conj"]
    return out


def _object_lemmas(tok: Token) -> set[str]:
    out = set()
    for o in objects_of(tok):
        out.add(lemma(o))
        if o.pos_ == "PROPN" and o.lower_.endswith("s"):
            out.add(o.lower_[:-1])   # "deployed Marines", "sent Rangers"
        # "tear gas", "state of emergency": compounds and 'of' phrases count as the object too
        words = [t for t in o.subtree if t.i <= o.i and not t.is_punct and t.dep_ in ("compound", "amod")]
        if words:
            out.add(" ".join(lemma(t) for t in words + [o]))
            out.update(lemma(t) for t in words if t.dep_ == "compound")
            # each modifier with the noun too: "a neo-Nazi paramilitary group" is a "paramilitary group"
            out.update(f"{lemma(t)} {lemma(o)}" for t in words)
        # "a state of emergency", "the sale of arms": the 'of' phrase names the object too
        for p in pobjs(o, ("of",)):
            out.add(lemma(p))
            out.add(f"{lemma(o)} of {lemma(p)}")
    return out


def _preps(tok: Token) -> set[str]:
    """Prepositions hanging from a word, leaving out those that only say when ("on Monday",
    "at dawn"): "fired the minister on Monday" has no "fire on"."""
    return {c.lower_ for c in tok.children if c.dep_ in ("prep", "agent", "dative") and not _only_time(c)}


def _only_time(prep: Token) -> bool:
    objs = [p for p in prep.children if p.dep_ == "pobj"]
    return bool(objs) and all(p.ent_type_ in ("DATE", "TIME") for p in objs)


def _has_actor_object(doc: Doc, tok: Token) -> bool:
    return any(actor_stage.actors_for_token(doc, o.i) for o in objects_of(tok))


def _pobj_lemmas(tok: Token) -> set[str]:
    return {lemma(p) for p in pobjs(tok)}


def _modifier_lemmas(tok: Token) -> set[str]:
    return {lemma(c) for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "npadvmod")}


def _head_lemmas(tok: Token) -> set[str]:
    """The word a noun depends on, and through a preposition the word that governs it too:
    "the outbreak of war" (of, outbreak), "subject to tariffs" (to, subject)."""
    head = tok.head
    if head.i == tok.i:
        return set()
    out = {lemma(head)}
    if tok.dep_ == "pobj" and head.dep_ == "prep" and head.head.i != head.i:
        out.add(lemma(head.head))
    return out


def _subject_lemmas(tok: Token) -> set[str]:
    """The doer's head word and its compounds and modifiers with it ("riot police", "marines")."""
    subj = subject_of(tok) if tok.pos_ in ("VERB", "AUX") else _noun_doer(tok)
    if subj is None:
        return set()
    out = set()
    for s in (subj, *subj.conjuncts):
        out.add(lemma(s))
        out.update(f"{lemma(m)} {lemma(s)}" for m in s.lefts if m.dep_ in ("compound", "amod"))
        # "the vanguard of the contingent", "units of the army": the group named in 'of'
        out.update(lemma(p) for p in pobjs(s, ("of",)))
    return out


def _condition_holds(doc: Doc, tok: Token, key: str, value) -> bool:
    """One `needs` condition of a lexicon entry (see the head of data/lexicon.yaml)."""
    if key == "object":
        return bool(set(value) & _object_lemmas(tok))
    if key == "prep":
        return bool(set(value) & _preps(tok))
    if key == "particle":
        return bool({c.lower_ for c in tok.children if c.dep_ == "prt"} & set(value))
    if key == "modifier":
        return bool(set(value) & _modifier_lemmas(tok))
    if key == "pobj":
        return bool(set(value) & _pobj_lemmas(tok))
    if key == "xcomp":
        return any(c.dep_ == "xcomp" for c in tok.children)
    if key == "complement":
        return any(c.dep_ in ("ccomp", "parataxis") for c in tok.children)
    if key == "head":
        return bool(set(value) & _head_lemmas(tok))
    if key == "actor_object":
        return _has_actor_object(doc, tok)
    if key == "subject":
        return bool(set(value) & _subject_lemmas(tok))
    if key == "plural_subject":   # "the two sides met", "Kenya and Chad will meet", "they met"
        subj = subject_of(tok) if tok.pos_ in ("VERB", "AUX") else None
        return subj is not None and (subj.tag_ in ("NNS", "NNPS") or bool(subj.conjuncts) or
                                     subj.lower_ in ("they", "we", "both", "sides"))
    if key == "infinitive":   # "fighting to topple the regime": an aim, not a deed
        return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
    if key == "direct_object":   # "demonstrated its resolve", "was demonstrated by"
        return is_passive(tok) or bool(objects_of(tok))
    if key == "target_state":   # "a strike against Iraq", "strikes on the rebels": a state named
        # as a whole, or an armed force, is the object of one of these prepositions
        return any(a.sector in ("MIL", "REB") or (a.sector is None and a.country and a.kind == "name")
                   for p in pobjs(tok, value) for a in actor_stage.actors_for_token(doc, p.i))
    if key == "passive":   # "was called to account": mostly in `unless`, for verbs whose passive is another sense
        return is_passive(tok)
    if key == "predicative":   # "called him a liar", "named her envoy": a name or role given
        return any(c.dep_ == "oprd" for c in tok.children)
    if key == "intransitive":   # (a passive "was met by police" has an object, only not here)
        return not is_passive(tok) and not objects_of(tok) and not any(c.dep_ in ("ccomp", "xcomp") for c in tok.children)
    return False


def _sense_ok(doc: Doc, tok: Token, sense: Sense) -> bool:
    unless = sense.unless
    if unless:
        if set(unless.get("object") or ()) & _object_lemmas(tok):
            return False
        if set(unless.get("modifier") or ()) & _modifier_lemmas(tok):
            return False
        if set(unless.get("pobj") or ()) & _pobj_lemmas(tok):
            return False
        if set(unless.get("head") or ()) & {lemma(tok.head)}:
            return False
        if set(unless.get("complement") or ()) & {lemma(c) for c in tok.children if c.dep_ in ("xcomp", "ccomp")}:
            return False
        # any other condition in `unless` (prep, subject, xcomp ...) reads as in `needs`
        if any(v and _condition_holds(doc, tok, k, v) for k, v in unless.items()
               if k not in ("object", "modifier", "pobj", "head", "complement")):
            return False
    if not _actor_ok(doc, tok, sense):
        return False
    # `needs_all`: every condition listed must hold ("use" needs a weapon AND "against")
    if not all(_condition_holds(doc, tok, k, v) for k, v in (sense.needs_all or {}).items()):
        return False
    needs = {k: v for k, v in sense.needs.items() if k not in ("actor", "actor_sector")}
    if not needs:
        return True
    return any(_condition_holds(doc, tok, k, v) for k, v in needs.items() if v)


def _noun_doer(noun: Token) -> Token | None:
    """Who does a noun event: its possessor, or the subject of the verb it is the object of."""
    for c in noun.children:
        if c.dep_ == "poss":
            return c
    if noun.dep_ in ("dobj", "obj") and noun.head.pos_ in ("VERB", "AUX"):
        return subject_of(noun.head)
    return None


def _actor_ok(doc: Doc, tok: Token, sense: Sense) -> bool:
    """`actor_sector: [GOV, ...]` / `actor: true` conditions on who does it: a spy who
    "traveled to Turkey" is no state visit; "the oil trade that funds them" is no aid."""
    wanted = sense.needs.get("actor_sector")
    if not wanted and not sense.needs.get("actor"):
        return True
    subj = subject_of(tok) if tok.pos_ in ("VERB", "AUX") else _noun_doer(tok)
    found = _actors(doc, subj) if subj is not None else []
    if not found:
        return False
    return not wanted or any(a.sector in wanted for a in found)


def _phrase_ok(tok: Token, sense: Sense) -> bool:
    """A verb phrase entry ("shoot down", "claim responsibility", "take into custody"): every
    further word must be a particle, object, preposition or their object near the verb."""
    if len(sense.words) == 1:
        return True
    near = []
    for c in tok.children:
        if c.dep_ in ("prt", "dobj", "obj", "prep", "acomp", "advmod", "compound:prt", "dative", "nsubjpass", "attr", "oprd") \
                and not (c.dep_ == "prep" and _only_time(c)):   # "called them on Monday" is no "call on"
            near.append(c)
            # ("held the ministry responsible": the predicate hangs from the object)
            near += [g for g in c.children if g.dep_ in ("pobj", "compound", "dobj", "amod", "oprd")]
    lemmas = {lemma(t) for t in near} | {t.lower_ for t in near}
    return all(w in lemmas for w in sense.words[1:])


def match_verb(doc: Doc, tok: Token) -> Sense | None:
    lex = load_lexicon()
    for key in verb_keys(tok):
        senses = lex.verbs.get(key)
        if senses:
            for sense in senses:
                if _phrase_ok(tok, sense) and _sense_ok(doc, tok, sense):
                    return sense
            return None
    return None


def is_light_verb(tok: Token) -> bool:
    lex = load_lexicon()
    return any(k in lex.light_verbs for k in verb_keys(tok))


def match_noun(doc: Doc, tok: Token) -> tuple[Sense, int] | None:
    """The longest noun entry ending at `tok`: returns the sense and the first token index."""
    lex = load_lexicon()
    head = lemma(tok).split("-")[-1]
    width = lex.noun_heads.get(head)
    if not width:
        return None
    sent_start = sentence_of(doc, tok.i).start
    for k in range(min(width + 2, tok.i - sent_start + 1), 0, -1):  # +2: hyphens are tokens
        start = tok.i - k + 1
        words = [t.lower_ for t in doc[start:tok.i]] + [lemma(tok)]
        for sense in lex.nouns.get(squash("".join(words)), ()):
            if _sense_ok(doc, tok, sense):
                return sense, start
    return None


# ----------------------------------------------------------------------------- arguments

def _is_relative_pronoun(tok: Token) -> bool:
    return tok.lower_ in RELATIVE_PRONOUNS and tok.tag_ in ("WDT", "WP", "IN", "WP$")


def _relative_antecedent(tok: Token) -> Token | None:
    """'a warplane that it said had violated ...': 'that' stands for 'warplane'."""
    node = tok.head
    while node is not None:
        if node.dep_ in ("relcl", "acl"):
            return node.head
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _is_date_word(tok: Token) -> bool:
    return tok.ent_type_ in ("DATE", "TIME") or tok.lower_ in actor_stage.calendar_names()


def subject_of(verb: Token, depth: int = 0) -> Token | None:
    """Who does `verb`: its subject, the agent of a passive, or one inherited from the verb
    that governs it (coordination, control, participles, 'responsibility for bombing')."""
    if depth > 6:
        return None
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    # "That May, rebels attacked": a date the parser made a second subject is no doer
    for c in [c for c in subjects if not _is_date_word(c)] or subjects:
        return _relative_antecedent(c) if _is_relative_pronoun(c) else c
    if verb.dep_ == "xcomp" and lemma(verb.head) in RAISING_PASSIVES and is_passive(verb.head):
        # "the rebels are believed to have kidnapped ...": the raised subject does it
        raised = next((c for c in verb.head.children if c.dep_ in PASSIVE_SUBJECT_DEPS), None)
        if raised is not None:
            return _relative_antecedent(raised) if _is_relative_pronoun(raised) else raised
    if is_passive(verb) or (verb.dep_ == "acl" and verb.tag_ == "VBN"):
        # ("activists detained by police": a participle is passive without its auxiliary)
        for c in verb.children:
            if c.dep_ == "agent":
                return next((p for p in c.children if p.dep_ == "pobj"), None)
        if not is_passive(verb):
            return None
        if lemma(verb) in STATIVE_PASSIVES:
            # "Israel is opposed to ...", "Vietnam is committed to ...": an attitude, held
            # by the grammatical subject
            return next((c for c in verb.children if c.dep_ in PASSIVE_SUBJECT_DEPS), None)
        return None
    head = verb.head
    if head.i == verb.i:
        return None
    dep = verb.dep_
    if dep == "conj":
        # conjuncts share the surface subject: "he was sent to Iraq ... but arrested by ISIS"
        return surface_subject(head)
    if dep == "xcomp":
        if lemma(head) in OBJECT_CONTROL:
            # "urged Iran to stop"; passive: "police were ordered to arrest"
            deps = PASSIVE_SUBJECT_DEPS if is_passive(head) else {"dobj", "obj"}
            obj = next((c for c in head.children if c.dep_ in deps), None)
            if obj is not None:
                return obj
        return subject_of(head, depth + 1)
    if dep == "advcl" and verb.tag_ in ("VBG", "VBN"):
        return subject_of(head, depth + 1)
    if dep in ("acomp", "oprd") or (dep == "xcomp" and head.pos_ == "ADJ"):
        # "Syria is willing to withdraw", "he is prepared to lift the ban"
        return subject_of(head, depth + 1)
    if dep == "pcomp":
        doer = _prepositional_controller(verb)
        if doer is not None:
            return doer
    if dep in ("pcomp", "pobj"):
        # "claimed responsibility for bombing X": for <- responsibility <- claimed
        node = head
        while node.dep_ in ("prep", "pobj", "dobj", "pcomp") and node.head.i != node.i:
            node = node.head
            if node.pos_ in ("VERB", "AUX"):
                return subject_of(node, depth + 1)
        return None
    if dep in ("relcl", "acl") and verb.tag_ == "VBG":
        return head
    if dep == "acl" and head.pos_ == "NOUN" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return _holder_of_aim(head, depth)
    return None


def _holder_of_aim(noun: Token, depth: int) -> Token | None:
    """'Kenya's plans to deploy troops', 'Beijing announced plans to impose sanctions': who
    holds the plan, bid or decision does what it aims at. Not 'welcomed the plan to ...' (the
    plan of someone else): only a verb that makes or states the noun passes its subject on."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is not None:
        return poss
    if noun.dep_ in ("dobj", "obj") and noun.head.pos_ in ("VERB", "AUX") and \
            (is_light_verb(noun.head) or lemma(noun.head) == "have"):   # "has plans to", "had no plans to"
        return subject_of(noun.head, depth + 1)
    return None


# Prepositions by which a verb hands its object a gerund the object does: "accused Egypt of
# torturing", "charged Sudan with arming", "blamed the rebels for shelling", "barred the
# party from running", "warned Iran against attacking".
OBJECT_CONTROL_PREPS = {"of", "with", "for", "from", "against"}


def _prepositional_controller(gerund: Token) -> Token | None:
    """The object of the verb a gerund's preposition hangs from, when that object is a party
    ("blamed the rebels for shelling": the rebels shelled); the passive subject of a passive
    verb ("Egypt was accused of torturing"). None when the object is no actor ("won praise for
    rescuing": the one who won it rescued)."""
    prep = gerund.head
    if prep.dep_ != "prep" or prep.lower_ not in OBJECT_CONTROL_PREPS or prep.head.pos_ not in ("VERB", "AUX"):
        return None
    verb = prep.head
    deps = PASSIVE_SUBJECT_DEPS if is_passive(verb) else {"dobj", "obj"}
    obj = next((c for c in verb.children if c.dep_ in deps), None)
    if obj is None or not (obj.pos_ in ("PRON", "PROPN") or actor_stage.actors_for_token(gerund.doc, obj.i)):
        return None
    return obj


def surface_subject(verb: Token, depth: int = 0) -> Token | None:
    """The grammatical subject of a clause (active or passive), shared down conjuncts."""
    for c in verb.children:
        if c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS:
            return _relative_antecedent(c) if _is_relative_pronoun(c) else c
    if depth < 6 and verb.dep_ == "conj" and verb.head.i != verb.i:
        return surface_subject(verb.head, depth + 1)
    if not is_passive(verb):
        return subject_of(verb, depth + 1)
    return None


def _recipient_tokens(tok: Token, etype: str, nominal: bool) -> list[Token]:
    preps = RECIPIENT_PREPS["default"] | RECIPIENT_PREPS.get(etype, set())
    out: list[Token] = []
    if not nominal:
        out += objects_of(tok)
        out += [c for c in tok.children if c.dep_ == "dative" and c.pos_ != "ADP"]
    if nominal:
        preps = preps | {"of"}
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in preps:
            for p in c.children:
                if p.dep_ == "pobj":
                    out.append(p)
                    if c.lower_ == "between":   # "between Syria and the PLO": both sides
                        out += list(p.conjuncts)
    return out


def _actors(doc: Doc, tok: Token | None) -> list[Actor]:
    if tok is None:
        return []
    found = list(actor_stage.actors_for_token(doc, tok.i))
    if tok.pos_ == "NOUN":
        # "the country's biggest party, the Ulster League, said ...": the name in apposition
        # says who the description is
        named = [a for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"
                 for a in actor_stage.actors_for_token(doc, c.i) if a.head == c.i]
        if named:
            return named
    if (lemma(tok) in GROUP_HEADS or tok.lower_ in GROUP_HEADS or tok.pos_ == "NUM") and \
            not any(a.country for a in found):
        # "thousands of Iraqi Kurds": the people are in the 'of' phrase
        for p in pobjs(tok, ("of",)):
            inner = list(actor_stage.actors_for_token(doc, p.i))
            if inner:
                return inner
    return found


def _owner_actors(doc: Doc, tok: Token) -> list[Actor]:
    """'violated Turkey's airspace', 'rejected calls by Belarus's rulers', 'an offer from
    Kabul': an object that is no actor points to its owner or author."""
    # (not "their disapproval", "its decision": a possessive pronoun points back to the doer,
    # not to whom the act is aimed at; but "its airspace" is a state's, whoever violates it)
    state_owned = lemma(tok) in word_sets("coref.yaml")["state_possessions"]
    for c in tok.children:
        if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < tok.i and (c.pos_ != "PRON" or state_owned):
            found = _actors(doc, c)
            if found:
                return found
            body = actor_stage.body_of_modifier(doc, c)   # "a police station": the police's
            if body is not None:
                return [body]
    for p in pobjs(tok, ("by", "from", "of", "for")):
        found = _actors(doc, p)
        if found:
            return found
    for c in tok.children:
        if c.dep_ == "appos":   # "denounced as a crime Serbia's suppression of ..."
            found = _owner_actors(doc, c)
            if found:
                return found
    return []


def _with_context_country(doc: Doc, tok: Token, found: list[Actor]) -> list[Actor]:
    """'a camp for Congolese refugees': an actor with no country of its own takes the country
    of the people its phrase names."""
    if not found or any(a.country for a in found):
        return found
    owners = [o for o in _owner_actors(doc, tok) if o.country]
    if not owners:
        return found
    return [replace(a, country=owners[0].country) for a in found]


def _object_targets(doc: Doc, obj: Token) -> list[Actor]:
    """A verb's object whose own 'with'/'for'/'to' phrase names whom the act is aimed at
    ('cut ties with Peru', 'send grain for Chad and Mali')."""
    out: list[Actor] = []
    for p in pobjs(obj, ("with", "to", "for", "against", "on", "at", "toward", "towards", "between")):
        for q in (p, *p.conjuncts):
            out += _actors(doc, q)
    return out


# Types where the object is the thing given or offered and the target is whom it goes to:
# "offered its troops to Lebanon", "gave Tanzania a grant".
GIVING_TYPES = {"AID", "AGREE", "SUPPORT", "CONCEDE", "COOPERATE"}
# Verbs whose subject is given the event noun, not its doer: "received backing from the US",
# "won the support of", "obtained aid", "accepted the apology".
RECEIVING_VERBS = {"receive", "get", "win", "obtain", "secure", "accept", "gain", "enjoy"}
# Acts done together: "Kenya and Chad signed an accord" is Kenya's act with Chad (the first
# named acts, the others are its counterparts), as PLOVER codes a two-sided act.
MUTUAL_TYPES = {"AGREE", "CONSULT", "COOPERATE"}


def _split_joint_actors(etype: str, actors: list[Actor], recipients: list[Actor]
                        ) -> tuple[list[Actor], list[Actor]]:
    if etype not in MUTUAL_TYPES or recipients or len(actors) < 2:
        return actors, recipients
    first = actors[0]
    return [first], [a for a in actors[1:] if (a.start, a.end) != (first.start, first.end)]


def _beneficiaries(doc: Doc, verb: Token) -> list[Actor]:
    out: list[Actor] = []
    for c in verb.children:
        if c.dep_ == "dative" and c.pos_ != "ADP":
            out += _actors(doc, c)
        elif c.dep_ in ("prep", "dative") and c.lower_ in ("to", "for"):
            for p in c.children:
                if p.dep_ == "pobj":
                    out += _actors(doc, p) or _owner_actors(doc, p)
    return out


def _addressee_of_content(doc: Doc, verb: Token) -> list[Actor]:
    """'demanded that the US cancel the sale': whoever must act in the demanded clause."""
    for c in verb.children:
        if c.dep_ == "ccomp":
            subj = next((g for g in c.children if g.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS), None)
            if subj is not None:
                return _actors(doc, subj)
    return []


def _inherited_patient(verb: Token) -> Token | None:
    """'he ... was sent to Iraq, but was arrested by ISIS': a passive conjunct or participle
    without its own subject takes the subject of the verb it hangs from as its patient."""
    if any(c.dep_ in PASSIVE_SUBJECT_DEPS | SUBJECT_DEPS for c in verb.children):
        return None
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.i != verb.i:
        return surface_subject(verb.head)
    return None


def _arguments_of_verb(doc: Doc, tok: Token, etype: str, sense: Sense | None = None
                       ) -> tuple[list[Actor], list[Actor]]:
    subj = subject_of(tok) or misread_closing_sayer(tok, _sayers())
    # a headline's bare participle ("Opposition leader arrested"): for acts done to someone
    # its subject is whom it was done to, and an object (below); for others the doer
    # ("Police deployed ahead of vote"), and no object
    headline_subject = subj is not None and any(p.i == subj.i for p in headline_patients(tok))
    object_words = set(sense.needs.get("object") or ()) if sense is not None else set()
    if headline_subject and (etype in load_lexicon().headline_passive_types or lemma(subj) in object_words):
        subj = None   # ("Curfew lifted": the thing the sense needs as its object was lifted)
    headline_doer = subj.i if headline_subject and subj is not None else None   # no target too
    # "no aircraft bombed the village": a denied doer is nobody's act
    actors = [] if subj is not None and any(c.dep_ == "det" and c.lower_ == "no" for c in subj.children) \
        else _actors(doc, subj)
    # the objects a sense is recognised by are part of the act, not its target: "launched
    # missiles at Ukraine", "deployed troops to the border", "mobilized reservists"
    theme = set(sense.needs.get("object") or ()) if sense is not None else set()
    if etype in GIVING_TYPES:
        given_to = [a for a in _beneficiaries(doc, tok) if all(a.start != b.start for b in actors)]
        if given_to:
            return actors, given_to
    recipients: list[Actor] = []
    if is_passive(tok):
        patient = _inherited_patient(tok)
        if patient is not None:
            recipients += _actors(doc, patient)
    targets = _recipient_tokens(tok, etype, nominal=False)
    if sense is not None and len(sense.words) > 1 and etype == "ASSAULT":
        targets += pobjs(tok, ("to",))   # "set fire to the offices", "laid siege to the town"
    for r in targets:
        if r.pos_ in ("VERB", "AUX") or _misread_speaker(r) or r.i == headline_doer:
            continue
        instrument = lemma(r) in theme and r.dep_ in ("dobj", "obj", "nsubjpass", "conj")
        found = ([] if instrument else _with_context_country(doc, r, _actors(doc, r))) \
            or _owner_actors(doc, r) or _object_targets(doc, r)
        for a in found:
            if all(a.start != b.start for b in recipients):
                recipients.append(a)
    if not recipients and etype == "REQUEST":
        # "sought U.S. clearance", "asked for Beijing's approval": whoever grants the permission
        # asked for is asked
        granted = load_lexicon().permission_nouns
        recipients = [a for o in objects_of(tok) + pobjs(tok, ("for",)) if lemma(o) in granted
                      for a in _owner_actors(doc, o)]
    if not recipients and etype in ("REQUEST", "ACCUSE", "THREATEN", "AGREE"):
        recipients = _addressee_of_content(doc, tok)
    return actors, recipients


def _misread_speaker(tok: Token) -> bool:
    """'beat the villagers, a rights group charged on Monday': the group the parser hung on
    the verb as an object is the one who says it (see `syntax.misread_closing_sayer`)."""
    return any(misread_closing_sayer(c, _sayers()) is not None for c in tok.children if c.dep_ == "acl")


def _sayers() -> frozenset[str]:
    from eventwire.modality import load_cues, sayer_words   # modality builds on this stage: import late
    return sayer_words(load_cues())


def _arguments_of_noun(doc: Doc, tok: Token, etype: str, anchor: Token | None
                       ) -> tuple[list[Actor], list[Actor]]:
    actors: list[Actor] = []
    recipients: list[Actor] = []
    matched = match_noun(doc, tok)
    first = matched[1] if matched else tok.i   # "air" in "US air strikes" is the trigger's own word
    for c in tok.children:
        if c.dep_ == "poss" and lemma(tok) in load_lexicon().patient_nouns:
            recipients += _actors(doc, c)     # "his arrest", "the envoy's expulsion": done to him
        elif c.dep_ == "poss" and not (c.pos_ == "PRON" and anchor is not None and anchor.i != tok.i):
            # ("continued their hunger strike": the light verb's subject says who, better
            # than the pronoun)
            actors += _actors(doc, c)
        elif c.dep_ == "prep" and c.lower_ == "by":
            actors += [a for p in c.children if p.dep_ == "pobj" for a in _actors(doc, p)]
        elif c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i:
            found = _actors(doc, c)
            # "the Russian airliner bombing": the demonym describes the airliner in between
            describes_next = any(m.dep_ == "compound" and c.i < m.i < first and m.pos_ == "NOUN"
                                 and not _actors(doc, m) for m in tok.children)
            # "Russian airstrikes", "Taliban attack": a modifier naming a party is the doer;
            # "the airliner bombing": a modifier naming a thing or people is the target.
            if found and not describes_next and (c.ent_type_ in ("NORP", "ORG", "GPE") or c.pos_ == "PROPN"):
                actors += found
            elif found:
                recipients += found
            else:
                # "the Russian airliner bombing": look one level down for the owner
                recipients += _owner_actors(doc, c)
    if etype in NOUN_DOER_FROM:
        actors += [a for p in _from_phrase(tok) for a in _actors(doc, p)]
    for r in _recipient_tokens(tok, etype, nominal=True):
        found = _actors(doc, r) or _owner_actors(doc, r) or _object_targets(doc, r)
        recipients += [a for a in found if all(a.start != b.start for b in recipients)]
    getter = tok.head if tok.dep_ in ("dobj", "obj") and lemma(tok.head) in RECEIVING_VERBS else None
    if getter is not None and not recipients:
        # "Kyiv received backing from Washington": the subject gets what the noun gives
        recipients = _actors(doc, subject_of(getter))
    if not actors and anchor is not None and anchor.i != tok.i and getter is None:
        actors = _actors(doc, subject_of(anchor))
    if not actors:
        actors, other_side = _predicate_parties(doc, tok)
        recipients = recipients or other_side
    if not actors:
        actors = _joint_doers(doc, tok)
    if not actors:
        sides = _between_sides(doc, tok)
        if sides:
            actors, recipients = sides[:1], sides[1:]
    if not recipients and anchor is not None and anchor.i != tok.i and anchor.pos_ in ("VERB", "AUX"):
        # "gave Tanzania a grant", "launched strikes against X": the light verb's target
        recipients = _beneficiaries(doc, anchor) + [
            a for r in _recipient_tokens(anchor, etype, nominal=False) if r.i != tok.i and r.pos_ not in ("VERB", "AUX")
            for a in (_actors(doc, r) or _object_targets(doc, r))]
    actors = [a for a in actors if all(a.start != r.start for r in recipients)]
    return _unique(actors), _unique(recipients)


def _unique(actors: list[Actor]) -> list[Actor]:
    """Each mention once ("gave Chad a grant": the light verb and the noun both name Chad)."""
    seen: set[tuple[int, int]] = set()
    return [a for a in actors if (a.start, a.end) not in seen and not seen.add((a.start, a.end))]


def _joint_doers(doc: Doc, noun: Token) -> list[Actor]:
    """'the ministry drew up the plan in consultation with donors', 'troops swept the area
    in cooperation with local militias': the subject of the clause does the event noun
    together with the 'with' party."""
    if noun.dep_ != "pobj" or noun.head.lower_ != "in" or not pobjs(noun, ("with",)):
        return []
    verb = noun.head.head
    if verb.pos_ not in ("VERB", "AUX") or is_passive(verb):
        return []
    return _actors(doc, subject_of(verb))


def _between_sides(doc: Doc, noun: Token) -> list[Actor]:
    """'clashes between police and protesters', 'talks between Syria and the PLO': the
    parties of a two-sided event, the first named first (it acts, the others are its
    counterparts). Empty unless two sides are named. (Each party mention heads its own
    words; the parser often hangs "police and opposition supporters" on the last noun.)"""
    for p in pobjs(noun, ("between",)):
        found = [a for t in p.subtree if not _under_prep(t, p)
                 for a in _actors(doc, t) if a.head == t.i and a.kind != "place"]
        # the innermost mentions: "police" and "opposition supporters", not both together
        sides = [a for a in found if not any(a.start <= b.start and b.end <= a.end
                                             and (b.start, b.end) != (a.start, a.end) for b in found)]
        if len(sides) >= 2:
            return sorted(sides, key=lambda a: a.start)
    return []


def _under_prep(t: Token, top: Token) -> bool:
    """A word inside a prepositional phrase below `top` ("in Kasese" after the parties)."""
    node = t
    while node.i != top.i and node.head.i != node.i:
        if node.dep_ == "prep" or node.head.dep_ == "prep" and node.head.i != top.i:
            return True
        node = node.head
    return False


def _predicate_parties(doc: Doc, noun: Token) -> tuple[list[Actor], list[Actor]]:
    """'the militia was behind the killings', 'it was responsible for the attack', 'the
    country has been at war with its neighbour': the subject of the predicate does the event
    noun (lexicon `doer_predicates`), a "with" phrase names the other side."""
    if noun.dep_ != "pobj" or noun.head.dep_ not in ("prep", "acomp"):
        return [], []
    prep = noun.head
    pred = prep.head
    lex = load_lexicon()
    if prep.lower_ == "in" and lemma(pred) in lex.doer_nouns and pred.pos_ == "NOUN":
        # "her role in the riots", "played a part in the coup"
        holder = next((c for c in pred.children if c.dep_ == "poss"), None)
        if holder is None and pred.dep_ in ("dobj", "obj"):
            holder = subject_of(pred.head)
        return _actors(doc, holder), []
    if prep.lower_ not in lex.doer_predicates.get(lemma(pred), ()):
        return [], []
    if pred.tag_ == "VBN" and lemma(pred) != "be":
        # "the man linked to the bombings", "officers were involved in the killing"
        patient = next((c for c in pred.children if c.dep_ in PASSIVE_SUBJECT_DEPS), None)
        target = patient if patient is not None else (pred.head if pred.dep_ == "acl" else None)
        return _actors(doc, target), []
    verb = pred.head if pred.pos_ == "ADJ" and pred.dep_ == "acomp" else pred
    if lemma(verb) != "be":
        return [], []
    doers = _actors(doc, subject_of(verb))
    sides = [a for p in pobjs(pred, ("with",)) + pobjs(noun, ("with",)) for a in _actors(doc, p)]
    return doers, sides


def _from_phrase(noun: Token) -> list[Token]:
    """The objects of the noun's "from" phrase, also when the parser hung the phrase on the
    verb the noun is the object of ("received aid from Japan", "ignored warnings from Rome")."""
    found = pobjs(noun, ("from",))
    if found or noun.dep_ not in ("dobj", "obj"):
        return found
    after = noun.right_edge.i + 1
    verb = noun.head
    return [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "from" and c.i == after
            for p in c.children if p.dep_ == "pobj"]


# ----------------------------------------------------------------------------- counting

def number_value(tok: Token) -> int | None:
    text = tok.lower_.replace(",", "")
    if text.isdigit():
        return int(text)
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text]
    return None


def _count_of(noun: Token) -> int | None:
    """'all 224 people' -> 224; 'six' -> 6; 'dozens' -> None (not a number)."""
    value = number_value(noun)
    if value is not None and noun.pos_ == "NUM":
        return value
    for c in noun.children:
        if c.dep_ == "nummod":
            v = number_value(c)
            if v is not None:
                # "two hundred", "3 million": multiply by a following number word
                for m in c.children:
                    if m.dep_ in ("compound", "quantmod"):
                        mv = number_value(m)
                        if mv and m.i > c.i:
                            v *= mv
                return v
    return None


def _patients(tok: Token) -> list[Token]:
    if tok.lemma_ in ("die",) or (tok.pos_ == "ADJ"):
        return [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
    pats = objects_of(tok) if not is_passive(tok) else [c for c in tok.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
    return pats


def casualty_counts(sent) -> list[tuple[Token, str, int]]:
    """(verb, 'killed'|'injured'|'arrested', n) for each countable clause of a sentence."""
    out = []
    for tok in sent:
        lem = lemma(tok)
        kind = ("killed" if lem in KILL_LEMMAS else "injured" if lem in INJURE_LEMMAS
                else "arrested" if lem in ARREST_LEMMAS else None)
        if kind is None or tok.pos_ not in ("VERB", "ADJ", "NOUN"):
            continue
        if tok.pos_ == "NOUN":  # "the deaths of 12 people"
            patients = pobjs(tok, ("of",))
        elif tok.pos_ == "ADJ" and tok.dep_ == "amod":  # "12 dead"
            patients = [tok.head]
        else:
            patients = _patients(tok)
        for p in patients:
            n = _count_of(p)
            if n is not None:
                out.append((tok, kind, n))
                break
    return out


# ----------------------------------------------------------------------------- the stage

@dataclass
class _Candidate:
    tok: Token
    sense: Sense
    start: int            # first token of the trigger words
    end: int              # one past the last
    nominal: bool
    anchor: Token


def _trigger_span(doc: Doc, tok: Token, sense: Sense, start: int, nominal: bool) -> tuple[int, int]:
    if nominal:
        return start, tok.i + 1
    # a verb plus its particle: "shot down", "carried out"; a phrase entry's words right
    # after the verb belong to the trigger too: "set fire", "opened fire", "taken hostage"
    end = tok.i + 1
    rest = set(sense.words[1:])
    for t in doc[tok.i + 1:tok.i + 1 + len(sense.words)]:
        if t.i == end and (any(c.i == t.i and c.dep_ == "prt" for c in tok.children) or
                           (lemma(t) in rest or t.lower_ in rest)):
            end = t.i + 1
    return tok.i, end


def _light_verb_of(doc: Doc, noun: Token) -> Token | None:
    """The light verb governing an event noun: 'launched airstrikes', 'an array of sanctions',
    'claimed responsibility for the attack'."""
    lex = load_lexicon()
    node = noun
    if noun.dep_ in ("compound", "amod", "nmod") and lemma(noun.head) in FRAME_NOUNS:
        node = noun.head   # "launched a mediation effort": the effort is the object
    for _ in range(4):
        head = node.head
        if head.i == node.i:
            return None
        if node.dep_ in ("dobj", "obj", "nsubjpass") and head.pos_ in ("VERB", "AUX") and is_light_verb(head):
            return head
        # a state entered or kept: "troops remained on alert", "workers went on strike"
        if node.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("on", "under", "into") and \
                head.head.pos_ in ("VERB", "AUX") and any(k in STATE_VERBS for k in verb_keys(head.head)):
            return head.head
        # a gathering for an event: "negotiators return to Geneva for talks"
        if node.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ == "for" and \
                head.head.pos_ in ("VERB", "AUX") and any(k in GATHERING_VERBS for k in verb_keys(head.head)):
            return head.head
        # only through nouns that count, frame or claim the event: "an array of sanctions",
        # "a wave of attacks", "responsibility for the attack"; any other noun is a thing of
        # its own ("imposed a blackout on the withdrawal": the withdrawal is not imposed)
        if node.dep_ == "pobj" and head.dep_ == "prep" and (
                lemma(head.head) in lex.quantity_nouns or lemma(head.head) in FRAME_NOUNS
                or lemma(head.head) in ("responsibility", "credit")):
            node = head.head
            continue
        return None
    return None


# Verbs of entering or keeping a state named by an event noun after "on"/"under"/"into".
STATE_VERBS = {"remain", "stay", "be", "go", "put", "place", "keep", "stage", "begin", "start",
               "continue", "launch", "walk"}

# Verbs of coming together "for" an event noun.
GATHERING_VERBS = {"return", "come", "go", "travel", "arrive", "gather", "head", "fly", "meet",
                   "sit", "convene", "converge", "assemble", "resume"}

# Nouns that frame the event named by their modifier: "a mediation effort", "the bombing
# campaign", "an aid program": the modifier is the event.
FRAME_NOUNS = {"effort", "mission", "campaign", "operation", "bid", "attempt", "process",
               "program", "programme", "initiative", "drive", "plan", "package", "deal", "talk"}


def _is_modifier(tok: Token) -> bool:
    """'war crimes', 'peacekeeping troops', 'aid deliveries': a noun that only describes
    another noun tells no event."""
    return (tok.dep_ in ("compound", "amod", "nmod") and tok.head.i > tok.i and
            tok.head.pos_ in ("NOUN", "PROPN") and lemma(tok.head) not in FRAME_NOUNS)


BACKGROUND_PREPS = {"after", "following", "before", "during", "amid", "since", "despite",
                    "over", "because", "for", "of"}
# ... except after an accusation, a charge or an investigation, where they name what is
# charged: "accused of the killing", "investigated for the bombing", "blamed over the attack".
CHARGE_PREPS = {"for", "of", "over"}


# Subordinators of clauses that tell what came before or caused the main event.
BACKGROUND_MARKS = {"after", "before", "since", "because", "following", "once", "as", "while"}
# Subordinators of conditions: what must happen first is not itself reported as happening.
CONDITION_MARKS = {"if", "unless", "until", "whether"}


def _charges(sense: Sense) -> bool:
    """An accusation, or a sentence or conviction that punishes a deed ("a life sentence for
    the 2009 bombing", "his conviction for the murder of a judge"): the deed is told, not
    background."""
    return sense.type == "ACCUSE" or (sense.type == "SANCTION" and sense.mode == "convict")


def _is_background(cand: "_Candidate", by_token: dict) -> bool:
    """Context, not news: a noun event in a temporal or causal adjunct of another event
    ("suspended aid after the shooting", "shell towns in retaliation for an air raid"), a
    clause "after ..." on another event ("announced a suspension one day after a jet shot
    down a helicopter"), a relative clause describing a place ("the province, where dozens
    have died since May")."""
    clause = _clause_of(cand.anchor)
    if clause.dep_ == "advcl" and clause.head.i in by_token and clause.head.i != cand.tok.i and \
            any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for c in clause.children):
        return True   # "withdraw the force unless Goukouni arranged a ceasefire"
    if not cand.nominal:
        verb = cand.anchor
        if verb.dep_ == "advcl" and verb.head.i in by_token and \
                any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS for c in verb.children):
            return True
        node = verb
        while node.dep_ == "conj" and node.head.i != node.i:
            node = node.head
        if node.dep_ == "relcl" and any(c.lower_ in ("where", "when") for c in node.children if c.dep_ == "advmod"):
            return True
        return False
    if cand.anchor.i != cand.tok.i:
        return False
    node = cand.tok
    for _ in range(6):
        head = node.head
        if head.i == node.i:
            return False
        if node.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in BACKGROUND_PREPS:
            # climb to what the adjunct modifies; background only if that is an event
            target = head.head
            while target.dep_ == "pobj" and target.head.dep_ == "prep":  # "in retaliation for"
                target = target.head.head
            if target.i in by_token and _charges(by_token[target.i].sense) and head.lower_ in CHARGE_PREPS:
                return False   # "investigated for her role in rioting": what is charged, not a cause
            return target.i in by_token and target.i != cand.tok.i
        if node.dep_ not in ("pobj", "prep", "conj", "appos"):
            return False
        node = head
    return False


def find_candidates(doc: Doc) -> list[_Candidate]:
    found: list[_Candidate] = []
    taken: set[int] = set()
    for tok in doc:
        if tok.i in taken or tok.is_space or tok.is_punct or tok.ent_type_ in NON_EVENT_ENTITIES:
            continue
        if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT"):
            if tok.dep_ == "amod":
                continue   # "its long-threatened invasion": a participle describing a noun
            sense = match_verb(doc, tok)
            if sense is None:
                continue
            # a light verb with an event noun object is the noun's anchor, not an event
            if is_light_verb(tok) and any(
                    match_noun(doc, o) for o in objects_of(tok)):
                continue
            s, e = _trigger_span(doc, tok, sense, tok.i, nominal=False)
            found.append(_Candidate(tok, sense, s, e, False, tok))
        elif tok.pos_ in ("NOUN", "PROPN", "ADJ") or (tok.pos_ == "VERB" and tok.tag_ == "VBG"):
            if _is_modifier(tok):
                continue
            m = match_noun(doc, tok)
            if m is None:
                continue
            sense, start = m
            anchor = _light_verb_of(doc, tok) or tok
            found.append(_Candidate(tok, sense, start, tok.i + 1, True, anchor))
            taken.update(range(start, tok.i + 1))
    return found


EMBEDDING_DEPS = {"xcomp", "ccomp", "dobj", "obj", "pobj", "pcomp", "prep", "nsubjpass", "acl",
                  "relcl", "attr", "oprd", "dative", "appos", "amod", "compound", "nmod"}


def _governing_event(cand: _Candidate, by_token: dict[int, _Candidate]) -> _Candidate | None:
    """The event whose content embeds this one: complement clauses, 'to' infinitives,
    objects, 'of'/'for' phrases and relative clauses on them, up to the first clause that
    stands on its own. A conjunct of a non-event verb inherits that verb's embedding:
    in 'a plan that seeks to widen an embargo and close the ports', both 'widen' and its
    conjunct 'close' are embedded in the plan."""
    node = cand.anchor
    for _ in range(8):
        head = node.head
        if head.i == node.i:
            return None
        if node.dep_ == "pcomp" and head.lower_ == "by":
            return None   # "retaliated by expelling two diplomats": the means is a deed of its own
        if node.dep_ == "conj":
            if head.i in by_token:
                return None   # coordinated events stand side by side
        elif node.dep_ not in EMBEDDING_DEPS:
            return None
        elif node.dep_ in ("relcl", "acl") and actor_stage.actors_for_token(node.doc, head.i):
            return None   # "detained a man who had attacked a synagogue": a deed of its own
        if head.i in by_token and by_token[head.i] is not cand:
            return by_token[head.i]
        node = head
    return None


def annotate(doc: Doc) -> Doc:
    lex = load_lexicon()
    candidates = find_candidates(doc)
    by_token = {c.tok.i: c for c in candidates}
    # a light verb anchors its noun: "imposed" in "imposed sanctions" stands for the sanctions
    for c in candidates:
        if c.anchor.i != c.tok.i:
            by_token.setdefault(c.anchor.i, c)

    text = text_of(doc)
    events: list[Event] = []
    kept: dict[int, Event] = {}
    absorbed: dict[int, list[_Candidate]] = {}   # outer trigger -> the events it embeds
    embedded: list[Event] = []   # acts refused, denied, threatened or promised: records of their own
    for cand in candidates:
        if _is_purpose_clause(_clause_of(cand.anchor)):
            continue
        background = _is_background(cand, by_token)
        outer = _governing_event(cand, by_token)
        if outer is not None and outer.sense.type in lex.absorbing_types and \
                cand.sense.type not in lex.keep_inner.get(outer.sense.type, ()):
            absorbed.setdefault(outer.tok.i, []).append(cand)
            if not background:
                embedded.extend(_embedded_act(doc, cand, _refused_request(outer, by_token) or outer, text))
            continue
        etype, mode, cameo = cand.sense.type, cand.sense.mode, cand.sense.cameo
        if cand.sense.negated_type and _negated(cand.anchor):
            etype, mode, cameo = cand.sense.negated_type, None, "120"
        else:
            etype, mode, cameo = _promised_harm(cand, by_token) or (etype, mode, cameo)
        commitment = _commitment(doc, cand, etype, mode)
        if commitment is not None:
            etype, mode, cameo = commitment
        if cand.nominal:
            actors, recipients = _arguments_of_noun(doc, cand.tok, etype, cand.anchor)
        else:
            actors, recipients = _arguments_of_verb(doc, cand.tok, etype, cand.sense)
        actors, recipients = _split_joint_actors(etype, actors, recipients)
        if commitment is not None and not actors:
            # "declaring that Russians will be killed": the one who declares it threatens
            actors = _actors(doc, _declarer(cand.anchor))
        start_char = doc[cand.start].idx
        end_tok = doc[cand.end - 1]
        ev = Event(type=etype, mode=mode, cameo=cameo, trigger_i=cand.tok.i,
                   trigger_start=start_char, trigger_end=end_tok.idx + len(end_tok.text),
                   trigger_text=text[start_char:end_tok.idx + len(end_tok.text)],
                   sentence=sentence_index(doc, cand.tok.i), actors=actors, recipients=recipients,
                   nominal=cand.nominal, lemma=cand.sense.key, anchor_i=cand.anchor.i,
                   background=background)
        events.append(ev)
        kept[cand.tok.i] = ev
        if commitment is not None:
            embedded.extend(_embedded_act(doc, cand, None, text))
    _targets_from_content(doc, events, absorbed)
    demands, demanded = _demands(doc, kept)
    events = [e for e in events if id(e) not in demanded] + demands + embedded
    for e in events:
        e.sentence = sentence_index(doc, e.trigger_i)
    events.sort(key=lambda e: e.trigger_start)
    events = _fold_consequences(doc, events)
    _attach_sizes(doc, events)
    doc._.events = events
    return doc


def _embedded_act(doc: Doc, cand: _Candidate, outer: _Candidate | None, text: str) -> list[Event]:
    """The act a refusal, denial, threat, promise or accusation is about, as a record of its
    own beside the outer event ("refused to meet the envoy": REJECT and a CONSULT that did not
    happen; "will give a grant": AGREE and the AID itself). The modality stage gives it its
    status. Which outer types let their content through is listed in `data/modality.yaml`
    (`coded_inside`; any outer verb of refusal counts: "cancelled a planned visit"); `outer`
    None is a commitment's own act."""
    from eventwire.modality import load_cues   # modality builds on this stage: import late
    cues = load_cues()
    if not cues.code_embedded_acts:
        return []
    if outer is not None:
        refused = outer.sense.negated_type and _negated(outer.anchor)   # "would not meet demands to ..."
        outer_type = outer.sense.negated_type if refused else outer.sense.type
        phrasal = {f"{lemma(outer.anchor)} {c.lower_}" for c in outer.anchor.children if c.dep_ == "prt"}
        if outer_type not in cues.coded_inside and not ({lemma(outer.anchor)} | phrasal) & cues["refusal_verbs"]:
            return []
        if cand.sense.type == outer_type or _demanded(cand.anchor):
            return []   # "signed a treaty": one agreement; "must reach a deal": a demand's content
    if cand.nominal:
        actors, recipients = _arguments_of_noun(doc, cand.tok, cand.sense.type, cand.anchor)
    else:
        actors, recipients = _arguments_of_verb(doc, cand.tok, cand.sense.type, cand.sense)
    start_char, end_tok = doc[cand.start].idx, doc[cand.end - 1]
    end_char = end_tok.idx + len(end_tok.text)
    return [Event(type=cand.sense.type, mode=cand.sense.mode, cameo=cand.sense.cameo,
                  trigger_i=cand.tok.i, trigger_start=start_char, trigger_end=end_char,
                  trigger_text=text[start_char:end_char], sentence=sentence_index(doc, cand.tok.i),
                  actors=actors, recipients=recipients, nominal=cand.nominal,
                  lemma=cand.sense.key, anchor_i=cand.anchor.i)]


def _refused_request(request: _Candidate, by_token: dict[int, _Candidate]) -> _Candidate | None:
    """'rejected calls for the release of prisoners', 'would not meet demands to free them':
    what a refused request asks for did not happen either; the refusal, not the request,
    decides whether it is coded (see `_embedded_act`)."""
    if request.sense.type != "REQUEST":
        return None
    refusal = _governing_event(request, by_token)
    if refusal is None:
        return None
    refused = refusal.sense.type == "REJECT" or (refusal.sense.negated_type == "REJECT" and _negated(refusal.anchor))
    return refusal if refused else None


def _demanded(verb: Token) -> bool:
    """'... must reach an agreement': the clause is what someone demands (see `_demands`)."""
    modals = load_lexicon().demand_modals
    node = _clause_of(verb)
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in modals for c in node.children):
            return True
        if node.dep_ != "xcomp" or node.head.i == node.i:
            return False
        node = node.head
    return False


def _commitment(doc: Doc, cand: _Candidate, etype: str, mode: str | None):
    """(type, mode, cameo) when the event is a promise or a threat rather than an act."""
    lex = load_lexicon()
    conf = lex.commitments
    if not conf:
        return None
    verb = cand.anchor if cand.anchor.pos_ in ("VERB", "AUX") else None
    if verb is None or _asked_whether(verb):
        return None
    future = {w.lower() for w in conf.get("future_aux", [])}
    committed = any(c.dep_ == "aux" and c.lower_ in future for c in verb.children)
    node = verb
    for _ in range(2):  # "is willing to send", "plans to impose", "is prepared to impose"
        if node.dep_ != "xcomp" or node.head.i == node.i:
            break
        head = node.head
        if lemma(head) in conf.get("plan_verbs", []) or lemma(head) in conf.get("willing_adjectives", []):
            committed = True
        node = head
    if not committed or not _party_commits(node) or _foretold_by_another(verb):
        return None
    conditional = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("unless", "if") for m in c.children)
                      for c in verb.children)
    if etype in conf.get("cooperative", []) and not (conditional and etype in conf.get("conditional_types", [])):
        assured = verb.dep_ == "ccomp" and lemma(verb.head) in conf.get("assurance_verbs", [])
        if _negated(verb) and not assured:
            return "REJECT", None, "120"   # "will not lift the sanctions": a refusal, not a promise
        return "AGREE", None, "057"
    conflictual = conf.get("conflictual", {})
    if etype in conflictual:
        return "THREATEN", mode if mode in ("curfew", "martial-law", "ban") else conflictual[etype], "130"
    if conditional and etype in conf.get("conditional_types", []):
        return "THREATEN", None, "130"
    return None


def _promised_harm(cand: _Candidate, by_token: dict[int, _Candidate]):
    """(THREATEN, mode, cameo) for a promise of a conflictual act: "pledged to attack the
    capital", "vowed to keep up the strikes" are threats, as a future conflictual act told by
    its own doer is (`commitments`); a pledge of aid or talks stays an AGREE."""
    conf = load_lexicon().commitments
    if cand.sense.type != "AGREE" or cand.nominal or lemma(cand.anchor) not in conf.get("assurance_verbs", []):
        return None
    conflictual = conf.get("conflictual", {})
    for c in cand.anchor.children:
        inner = by_token.get(c.i) if c.dep_ == "xcomp" else None
        if inner is not None and inner.sense.type in conflictual:
            return "THREATEN", conflictual[inner.sense.type], "130"
    return None


def _asked_whether(verb: Token) -> bool:
    """'asked whether the army would intervene', 'it is unclear if Ankara will send troops': a
    future only asked about is nobody's promise or threat."""
    return any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in verb.children) and \
        verb.dep_ in ("ccomp", "csubj", "xcomp", "pcomp", "dobj", "attr")


def _party_commits(verb: Token) -> bool:
    """Only a party promises or threatens: "the army will stop the shelling" does, "taking
    the suburbs would stop the shelling" (a gerund or a clause as subject) is a prediction."""
    if any(c.dep_ in ("csubj", "csubjpass") for c in verb.children):
        return False
    subj = subject_of(verb)
    return subj is None or subj.pos_ not in ("VERB", "AUX")


def _foretold_by_another(verb: Token) -> bool:
    """'The army said the rebels would attack Goma': a forecast of someone else's act is no
    promise or threat of the doer's (unlike "Iran said it would strike", "we will retaliate")."""
    speaker = _declarer(verb)
    doer = subject_of(verb)
    if speaker is None or doer is None or doer.pos_ == "PRON" or speaker.pos_ == "PRON":
        return False
    speakers, doers = _actors(speaker.doc, speaker), _actors(doer.doc, doer)
    # told apart only by what the text says of both: two countries, or two sectors of one country
    # ("officials said Brazil and Argentina will cooperate": officials may be theirs)
    return bool(speakers and doers) and all(_other_side(a, b) for a in speakers for b in doers)


def _other_side(a: Actor, b: Actor) -> bool:
    if a.country and b.country:
        return a.country != b.country
    return bool(a.sector and b.sector and a.sector != b.sector)


def _targets_from_content(doc: Doc, events: list[Event], absorbed: dict[int, list[_Candidate]]) -> None:
    """'Azerbaijan threatened to break relations with Russia', 'threatened further action
    against Russia': an outer event with no target of its own aims at the target of what it
    threatens, demands or promises."""
    for ev in events:
        if any(r.country for r in ev.recipients):
            continue
        found: list[Actor] = []
        if ev.type == "ACCUSE":
            found += _grievance_doers(doc, doc[ev.anchor_i])
        if ev.type == "THREATEN":
            found += _condition_subjects(doc, doc[ev.anchor_i])
        for inner in ([] if found else absorbed.get(ev.trigger_i, [])):
            if inner.nominal:
                _, rec = _arguments_of_noun(doc, inner.tok, inner.sense.type, inner.anchor)
            else:
                _, rec = _arguments_of_verb(doc, inner.tok, inner.sense.type)
            found += rec
        if not found:
            found += _purpose_targets(doc, doc[ev.anchor_i])
        if not found:
            # a complement that is no event of ours: "threatened to cut off electricity to X"
            trig = doc[ev.trigger_i]
            for comp in trig.children:
                if comp.dep_ in ("xcomp", "ccomp", "dobj") and comp.i != ev.trigger_i:
                    for r in _recipient_tokens(comp, ev.type, nominal=comp.pos_ != "VERB"):
                        if r.pos_ not in ("VERB", "AUX"):
                            found += _actors(doc, r) or _owner_actors(doc, r)
                    if comp.pos_ != "VERB":
                        break
        actor_starts = {a.start for a in ev.actors}
        for a in found:
            if a.start not in actor_starts and all(a.start != b.start for b in ev.recipients):
                ev.recipients.append(a)


def _grievance_doers(doc: Doc, verb: Token) -> list[Actor]:
    """'Lebanon complained to the UN over two Israeli air raids': an accusation aims at
    whoever did what it complains about."""
    return [a for p in pobjs(verb, ("over", "about", "for")) for a in _owner_actors(doc, p)]


def _purpose_targets(doc: Doc, anchor: Token) -> list[Actor]:
    """'began a hunger strike to protest against Sweden's decision', 'blocked roads in
    defiance of the Chinese authorities': whom the act is aimed at, named in its purpose."""
    out: list[Actor] = []
    for c in list(anchor.children) + [c for o in objects_of(anchor) for c in o.children if c.dep_ in ("relcl", "acl")]:
        purpose = (c.dep_ in ("advcl", "xcomp", "relcl", "acl") and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children))
        if purpose:
            for r in _recipient_tokens(c, "PROTEST", nominal=False) + objects_of(c):
                if r.pos_ not in ("VERB", "AUX"):
                    out += _actors(doc, r) or _owner_actors(doc, r)
        elif c.dep_ == "prep" and c.lower_ == "for":
            # "<verb> <object> for <event noun> against <target>": the target of the war
            # or campaign the act prepares for (e.g. "called up troops for a war against Chad")
            out += [a for p in c.children if p.dep_ == "pobj" for a in _object_targets(doc, p)]
        elif c.dep_ == "prep" and c.lower_ in ("in", "against"):
            # "in protest of/against X", "in defiance of X"
            for p in c.children:
                if p.dep_ == "pobj" and lemma(p) in ("protest", "defiance", "opposition", "response"):
                    out += [a for q in pobjs(p, ("of", "against", "to"))
                            for a in (_actors(doc, q) or _owner_actors(doc, q))]
    return out


def _condition_subjects(doc: Doc, verb: Token) -> list[Actor]:
    """'threatened to launch an offensive unless Baghdad accepted its conditions': the one
    who must meet the condition is the one threatened."""
    out: list[Actor] = []
    for node in [verb] + [c for c in verb.children if c.dep_ == "xcomp"]:
        for c in node.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("unless", "if") for m in c.children):
                subj = next((g for g in c.children if g.dep_ in SUBJECT_DEPS), None)
                out += _actors(doc, subj)
    return out


def _declarer(verb: Token) -> Token | None:
    """The subject of the verb of saying that a clause is the content of."""
    node = verb
    for _ in range(4):
        if node.dep_ not in ("ccomp", "xcomp", "conj") or node.head.i == node.i:
            return None
        node = node.head
        subj = subject_of(node)
        if subj is not None:
            return subj
    return None


# Subjects that make "X said we/you should ..." advice or a statement about the speaker's own
# side, not a demand on another party.
SPEAKER_SIDE_PRONOUNS = {"we", "i", "you", "us"}


def _speaker_side(verb: Token) -> bool:
    return any(c.dep_ in SUBJECT_DEPS and c.lower_ in SPEAKER_SIDE_PRONOUNS for c in verb.children)


def _demands(doc: Doc, kept: dict[int, Event]) -> tuple[list[Event], set[int]]:
    """'Russia said Sudan must return the helicopter': a REQUEST by the speaker of the one
    who must act; the demanded act is the content of the demand, not an event of its own.
    Returns the demands and the ids of the events they absorb."""
    lex = load_lexicon()
    out: list[Event] = []
    absorbed: set[int] = set()
    if not lex.demand_modals:
        return out, absorbed
    for sent in sentences(doc):
        for verb in sent:
            if verb.dep_ != "ccomp" or verb.head.i == verb.i or lemma(verb.head) not in lex.demand_verbs:
                continue
            # "has to", not "had to" (past): the verb after it carries the act
            after_have = [c for c in verb.children if c.dep_ == "xcomp"] if verb.lower_ in ("has", "have") else []
            modal = any(c.dep_ == "aux" and c.lower_ in lex.demand_modals for c in verb.children) or \
                any(any(g.lower_ == "to" for g in c.children) for c in after_have)
            if not modal or _speaker_side(verb):
                continue
            speaker_verb = verb.head
            if speaker_verb.i in kept and kept[speaker_verb.i].type == "REQUEST":
                continue
            # a demand asks a party to act ("Sudan must return ...") or asks for an act ("the
            # embargo must be lifted"); "it has to be decided", "the firm should not be
            # smothered" ask for neither: an opinion, not a demand
            inside = {t.i for t in verb.subtree}
            # "has to be decided": the voice is the one of the verb after "has to"
            recipients = [] if any(is_passive(v) for v in [verb, *after_have]) else \
                [a for a in _actors(doc, next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None))
                 if a.name or a.country or a.sector]   # an unresolved "it" is nobody
            if not recipients and not any(ev.anchor_i in inside for ev in kept.values()):
                continue
            # drop what the demand embeds: it has not happened
            absorbed.update(id(ev) for ev in kept.values() if ev.anchor_i in inside)
            actors = _actors(doc, subject_of(speaker_verb))
            # the words that make the demand ("must return", "should be lifted", "has to
            # go") are its trigger; the verb of saying anchors its status and date
            said = (after_have or [verb])[-1]
            first = min([verb] + [c for c in verb.children if c.dep_ == "aux" and c.lower_ in lex.demand_modals],
                        key=lambda t: t.i)
            start, end = first.idx, said.idx + len(said.text)
            out.append(Event(type="REQUEST", mode=None, cameo="102", trigger_i=verb.i,
                             trigger_start=start, trigger_end=end,
                             trigger_text=text_of(doc)[start:end], actors=actors, recipients=recipients,
                             sentence=0, lemma="demand:" + lemma(speaker_verb),
                             anchor_i=speaker_verb.i))
    return out, absorbed


def _clause_of(tok: Token) -> Token:
    """The verb heading the clause a token is in (the token itself for a verb)."""
    node = tok
    for _ in range(8):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            return node
        node = node.head
    return node


def _is_purpose_clause(tok: Token) -> bool:
    """'in order to / to <verb> ...' after a main clause: a motive, not an event that happened."""
    if tok.pos_ not in ("VERB", "AUX") or not any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return False
    if tok.dep_ == "advcl":
        return True
    if tok.dep_ in ("relcl", "acl") and tok.head.pos_ == "NOUN" and match_noun(tok.doc, tok.head):
        return True   # "a hunger strike to protest the decision": what the strike is for
    # "in order to", "so as to": spaCy hangs the verb off "order"/"as"
    return tok.dep_ == "acl" and tok.head.lower_ in ("order", "as") and tok.head.head.lower_ in ("in", "so")


def _negated(tok: Token) -> bool:
    """'will not accept', 'did not want to sign', and 'was unwilling to sign' (an adjective of
    refusal governs it: `commitments.unwilling_adjectives`)."""
    unwilling = load_lexicon().commitments.get("unwilling_adjectives", [])
    return any(c.dep_ == "neg" for c in tok.children) or \
        any(c.dep_ == "neg" for c in tok.head.children if tok.dep_ == "xcomp") or \
        (tok.dep_ == "xcomp" and tok.head.pos_ == "ADJ" and lemma(tok.head) in unwilling)


def _fold_consequences(doc: Doc, events: list[Event]) -> list[Event]:
    """Clauses that tell a part or a result of another event are folded into it.

    - 'bombing a plane ..., killing all 224 people' and 'killed in a suicide bombing': the
      killing is the attack's result; it gives the attack its victims and its size.
    - '<sanctions>, including <a ban> and <a halt>' (e.g. measures on Chile that include an
      import ban): the listed parts belong to the sanctions, kept as extra evidence of that event.
    """
    by_tok = {e.trigger_i: e for e in events}
    whole: dict[int, Event] = {}
    for e in events:
        partner = _whole_of(doc, e, events, by_tok)
        if partner is not None and partner is not e:
            whole[id(e)] = partner
    drop: set[int] = set()
    for e in events:
        partner = whole.get(id(e))
        seen = {id(e)}
        while partner is not None and id(partner) in whole and id(partner) not in seen:
            seen.add(id(partner))       # a part of a part: "launched missiles, striking
            partner = whole[id(partner)]  # plants and killing five" all fold into the launch
        if partner is None or partner is e:
            continue
        for r in e.recipients:
            if all(r.start != x.start for x in partner.recipients):
                partner.recipients.append(r)
        if not partner.actors:
            partner.actors = e.actors
        partner.mentions.append({"text": e.trigger_text, "start": e.trigger_start,
                                 "end": e.trigger_end, "sentence": e.sentence, "part": True})
        drop.add(id(e))
        partner.folded.append(e.trigger_i)  # its casualty counts still reach the partner
    return [e for e in events if id(e) not in drop]


def _whole_of(doc: Doc, e: Event, events: list[Event], by_tok: dict[int, Event]) -> Event | None:
    tok = doc[e.trigger_i]
    # a verb phrase whose own last word is a noun event of the same type: "went on a hunger
    # strike", "staged a sit-in strike" name one strike, which the noun tells more exactly
    words = e.lemma.split()
    if not e.nominal and len(words) > 1:
        inside = {t.i for t in tok.subtree}
        noun = next((x for x in events if x is not e and x.nominal and x.type == e.type
                     and x.trigger_i in inside and lemma(doc[x.trigger_i]) == words[-1]), None)
        if noun is not None:
            return noun
    # a part listed under an event noun: "sanctions ..., including a ban ..."
    node = tok
    for _ in range(4):
        if node.dep_ == "conj":
            node = node.head
            continue
        if node.dep_ in ("pobj", "pcomp") and node.head.lower_ in ("including", "like", "as"):
            whole = node.head.head
            if whole.i in by_tok:
                return by_tok[whole.i]
            # "an array of sanctions ..., including a ban": the list hangs off "array"
            for c in whole.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        if p.i in by_tok:
                            return by_tok[p.i]
        break
    # a participle telling how an event went: "thousands demonstrated, calling for
    # independence", "prisoners rioted, setting fire to their mattresses" (not a gerund that
    # is the verb's content: "denied sending troops" is a sending denied, a record of its own)
    if tok.tag_ == "VBG" and tok.dep_ in ("advcl", "acl") and tok.head.i in by_tok and \
            by_tok[tok.head.i] is not e and not (e.type == "ASSAULT" and by_tok[tok.head.i].type != "ASSAULT"):
        return by_tok[tok.head.i]
    # ... also when the protest is a noun of the clause the participle hangs from: "nurses are
    # out on strike, demanding better pay", "went on a hunger strike, calling for his release":
    # what a protest demands is the protest's content, not a request of its own
    if e.type == "REQUEST" and tok.tag_ == "VBG" and tok.dep_ in ("advcl", "xcomp", "conj"):
        protests = [x for x in events if x.type == "PROTEST" and x is not e
                    and _clause_of(doc[x.trigger_i]).i == tok.head.i]
        if protests:
            return protests[0]
    if e.type != "ASSAULT" or e.mode is not None or lemma(tok) not in KILL_LEMMAS | INJURE_LEMMAS:
        return None
    for c in tok.children:  # "killed in a suicide bombing"
        if c.dep_ == "prep" and c.lower_ in ("in", "during", "by"):
            for p in c.children:
                if p.i in by_tok and by_tok[p.i].type == "ASSAULT" and by_tok[p.i] is not e:
                    return by_tok[p.i]
    if tok.dep_ == "attr" and lemma(tok.head) == "be":
        # "the bus bombing was the deadliest attack this year": the same event, renamed
        subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.i in by_tok and by_tok[subj.i].type == e.type:
            return by_tok[subj.i]
    node = tok   # "an air raid in which 20 people were killed": the raid's result
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    if node.dep_ in ("relcl", "acl") and node.head.i in by_tok and by_tok[node.head.i].type == "ASSAULT":
        return by_tok[node.head.i]
    if tok.dep_ in ("advcl", "conj") and tok.tag_ == "VBG":
        # ", killing 224": the nearest attack told before it in the sentence
        before = [x for x in events if x.type == "ASSAULT" and x is not e
                  and sentence_of(doc, tok.i).start <= x.trigger_i < tok.i]
        if before:
            return max(before, key=lambda x: x.trigger_i)
    return None


def _attach_sizes(doc: Doc, events: list[Event]) -> None:
    """Counts of killed/injured/arrested go to the event of their clause, else to the
    nearest attack (or arrest) in the same sentence."""
    if not events:
        return
    for sent in sentences(doc):
        counts = casualty_counts(sent)
        if not counts:
            continue
        sent_events = [e for e in events if sent.start <= e.trigger_i < sent.end]
        for verb, kind, n in counts:
            wanted = ("COERCE",) if kind == "arrested" else ("ASSAULT",)
            target = None
            for e in sent_events:
                if e.trigger_i == verb.i or verb.i in e.folded:
                    target = e
            if target is None:
                near = [e for e in sent_events if e.type in wanted]
                if near:
                    target = min(near, key=lambda e: abs(e.trigger_i - verb.i))
            if target is not None and getattr(target.size, kind) is None:
                setattr(target.size, kind, n)
