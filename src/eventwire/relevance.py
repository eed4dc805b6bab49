"""Relevance: which coded events are political events, and how sure we are of each.

The events stage finds every mention that *could* be a political event; this stage, after
event coreference, keeps those that are and scores them. Rules and word lists are in
`data/relevance.yaml` (user-extensible with EVENTWIRE_RELEVANCE); the header of that file says
what each rule covers. In short, an event is dropped when

1. it names parties and none is political, while one is a business or its object is an
   economic thing (a market act: offers, sales, bids); or a business does what would be
   force or protest to another business (a rivalry: "a clash between two carmakers");
2. it is an agentless incident: harm with no doer in a clause that tells an accident, a
   disaster or a disease;
3. it is what a document says, not an act: a request or pledge whose subject is a text
   ("the plan calls for joint patrols");
4. it is a warning of a natural hazard or an accident, not a threat by a party;
5. it is a generic mention: an event noun with no party, date or place of its own that no
   verb reports as done (a topic: "peace talks are the only way", "at a news conference");
6. it only characterises a kind of people: a participle on a bare plural ("people accused of
   fraud", "imprisoned reporters", "those detained without trial") with no date or number in
   its own phrase;
7. its trigger is a word of a name: "the Organization of Islamic Cooperation", "Amnesty
   International", "the Trans-Pacific Partnership", a person called Grant (not in a title-case
   headline, where every word looks like a name);
8. it is a trip inside the traveller's own country told as a visit ("the president arrived in
   Chicago"): it names no other party met.

Every kept event gets `confidence` in [0, 1], a logistic score over documented features
(`confidence` in the data file). Dropped events are kept on `doc._.dropped_events` as
(event, rule) pairs, for explanations and for measuring what each rule removes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Iterable

from spacy.tokens import Doc, Token

from eventwire.actors import actors_for_token
from eventwire.datafiles import layered, parse_yaml
from eventwire.nlp import sentence_of
from eventwire.records import Actor, Event
from eventwire.syntax import PLACE_LABELS, lemma, tokens_starting_in

DEFINITE = {"the", "this", "these", "that", "those"}


@dataclass(frozen=True)
class Knowledge:
    political_sectors: frozenset[str]
    affected_sectors: frozenset[str]
    affected_types: frozenset[str]
    economic_objects: frozenset[str]
    authority_types: frozenset[str]
    market_types: frozenset[str]
    victim_verbs: frozenset[str]
    needs_political_party: frozenset[str]
    incident_words: frozenset[str]
    reporting_verbs: frozenset[str]
    sufferer_nouns: frozenset[str]
    document_nouns: frozenset[str]
    speech_types: frozenset[str]
    warning_types: frozenset[str]
    weights: dict[str, float]
    min_confidence: float


def _build(paths: tuple[str, ...]) -> Knowledge:
    lists: dict[str, set[str]] = {}
    weights: dict[str, float] = {}
    min_confidence = 0.0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            data = parse_yaml(f) or {}
        for key, value in data.items():
            if key == "confidence":
                weights.update({k: float(v) for k, v in (value or {}).items()})
            elif key == "default_min_confidence":
                min_confidence = float(value)
            elif isinstance(value, list):
                lists.setdefault(key, set()).update(str(v) for v in value)
    word_lists = {f.name: frozenset(lists.get(f.name, ())) for f in fields(Knowledge)
                  if f.name not in ("weights", "min_confidence")}
    return Knowledge(**word_lists, weights=weights, min_confidence=min_confidence)


def knowledge() -> Knowledge:
    return layered("relevance.yaml", "EVENTWIRE_RELEVANCE", _build)


def annotate(doc: Doc) -> Doc:
    kept, dropped = [], []
    for e in doc._.events or []:
        rule = rejection(doc, e)
        if rule is None:
            e.confidence = confidence(doc, e)
            kept.append(e)
        else:
            dropped.append((e, rule))
    doc._.events = kept
    doc._.dropped_events = dropped
    return doc


def confident(records: Iterable[dict], min_confidence: float | None = None) -> list[dict]:
    """The records at or above `min_confidence` (default: the data file's
    `default_min_confidence`). Records without a confidence are kept."""
    cut = knowledge().min_confidence if min_confidence is None else min_confidence
    return [r for r in records if r.get("confidence") is None or r["confidence"] >= cut]


def rejection(doc: Doc, e: Event) -> str | None:
    """The first rule (in `CHECKS` order) that says `e` is not a political event, or None."""
    return next((name for name, check in CHECKS if check(doc, e)), None)


def unaffiliated(e: Event) -> bool:
    """Statements, meetings and agreements are political events only when a political party
    takes part: a pundit's warning, a lawyer's defence, a pep talk are not. (An authority's
    act on someone, "was charged", "was fined", implies the authority.)"""
    if e.type not in knowledge().needs_political_party or _authority_implied(e):
        return False
    return not any(is_political(a, e.type) for a, _ in parties(e))


def _authority_implied(e: Event) -> bool:
    """An act of an authority told with no doer ("the firm was fined", "he was charged")."""
    return e.type in knowledge().authority_types and not _named_actors(e)


# --------------------------------------------------------------------------- participants

def _named_actors(e: Event) -> list[Actor]:
    return [a for a in e.actors if a.kind != "place"]


def parties(e: Event) -> list[tuple[Actor, str]]:
    """The parties the text names, with their role (the event's place standing in for a
    target does not count)."""
    return [(a, "actor") for a in _named_actors(e)] + \
           [(a, "recipient") for a in e.recipients if a.kind != "place"]


def is_political(a: Actor, etype: str) -> bool:
    """A state, an official body, an armed or organised political group; people affected
    by force or coercion, or protesting, count too. A business never does by itself."""
    k = knowledge()
    if a.sector in k.political_sectors:
        return True
    if a.sector in k.affected_sectors:
        return etype in k.affected_types
    # a country named as a party ("Russia", "the Soviets"), not one of its firms or people
    return a.sector is None and a.country is not None and a.kind == "name"


def _trigger(doc: Doc, e: Event) -> Token | None:
    return doc[e.trigger_i] if 0 <= e.trigger_i < len(doc) else None


def _objects(doc: Doc, e: Event) -> set[str]:
    """Lemmas of what the trigger acts on: its object, the object of its complement
    ("agreed to sell its stake"), and the nouns compounded with them ("share payout")."""
    tok = _trigger(doc, e)
    if tok is None:
        return set()
    heads = [tok] + [c for c in tok.children if c.dep_ == "xcomp"]
    objs = [c for h in heads for c in h.children if c.dep_ in ("dobj", "obj", "nsubjpass", "dative")]
    out = set()
    for o in objs:
        out.add(lemma(o))
        out.update(lemma(t) for t in o.children if t.dep_ in ("compound", "nmod", "nummod"))
        out.update(lemma(t) for t in o.children if t.pos_ == "SYM")
    return out


def _traded(doc: Doc, a: Actor, economic: frozenset[str]) -> bool:
    """A party that is the traded thing or only describes it ("its frozen-food unit",
    "942 million Canadian dollars")."""
    if not 0 <= a.head < len(doc):
        return False
    head = doc[a.head]
    return lemma(head) in economic or (head.dep_ in ("amod", "compound", "nmod") and lemma(head.head) in economic)


def _market_act(doc: Doc, e: Event) -> bool:
    k = knowledge()
    if e.type not in k.market_types:
        # strikes, blockades, attacks by anyone are political acts, unless the one doing it
        # is a firm taking on a firm: a "clash" or "battle" between companies is a rivalry
        return _business_rivalry(e)
    if _authority_implied(e):
        return False   # "the company was fined": the unnamed doer is an authority
    if _threatens_political_act(doc, e):
        return False   # "workers threatened a strike": a threat is as political as its act
    objects = _objects(doc, e) & k.economic_objects
    # the thing traded is no party, whatever its name suggests ("its frozen-food unit")
    named = [a for a, _ in parties(e) if not _traded(doc, a, k.economic_objects)] + _offices(doc, e)
    if any(is_political(a, e.type) for a in named):
        return False
    business = any(a.sector == "BUS" for a in named)
    return business or bool(objects)


def _threatens_political_act(doc: Doc, e: Event) -> bool:
    """A threat whose object or complement is an act political whoever does it: "dock
    workers threatened a strike", "the farmers' union threatened to block the roads" (not
    "the firm threatened to sell its stake": a sale is a market act)."""
    tok = _trigger(doc, e)
    if e.type != "THREATEN" or tok is None:
        return False
    threatened = {c.i for c in tok.children if c.dep_ in ("dobj", "obj", "xcomp")}
    return any(other.trigger_i in threatened and other.type not in knowledge().market_types
               for other in doc._.events or [])


def _business_rivalry(e: Event) -> bool:
    """A business does it to a business, and only businesses take part ("a clash between two
    carmakers", "the bank's takeover battle with its rival"); not "gunmen attacked a bank"
    (the doer is no firm), nor "dock workers blocked the port" (no firm is its target)."""
    sides = [[a for a, role in parties(e) if role == side] for side in ("actor", "recipient")]
    return all(side and all(a.sector == "BUS" for a in side) for side in sides)


def _offices(doc: Doc, e: Event) -> list[Actor]:
    """The office an act is done in ("resigned as chief executive", "was named as interior
    minister"): it says whose act it is when the person is unknown."""
    tok = _trigger(doc, e)
    if tok is None:
        return []
    return [a for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"
            for p in c.children if p.dep_ == "pobj" for a in actors_for_token(doc, p.i)]


# ------------------------------------------------------------------------------ incidents

def _agentless_incident(doc: Doc, e: Event) -> bool:
    k = knowledge()
    tok = _trigger(doc, e)
    if e.type not in ("ASSAULT", "COERCE") or tok is None:
        return False
    # the subject of "died", "drowned" is a victim, not a doer ("nine passengers died")
    if lemma(tok) not in k.victim_verbs and _named_actors(e):
        return False
    means = {c.i for c in tok.children if c.dep_ in ("dobj", "obj")}   # "set fire to": the act's own means
    # the trigger is never its own disaster: "fired shells" is no fire
    means |= {t.i for t in tokens_starting_in(doc, e.trigger_start, e.trigger_end)}
    return any(t.i not in means and _incident_word(t) and not _describes(t, tok)
               for t in sentence_of(doc, tok.i))


def _incident_word(t: Token) -> bool:
    words = knowledge().incident_words
    return lemma(t) in words or t.lower_ in words


def _describes(word: Token, trigger: Token) -> bool:
    """'the outbreak of war', 'a storm of shelling': the word governs the event itself and
    tells its onset or its force, not a disaster beside it."""
    if word.pos_ != "NOUN":
        return False
    return any(p.dep_ == "pobj" and trigger in p.subtree
               for c in word.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children)


# ----------------------------------------------------------------------- document content

def _speaker(tok: Token) -> Token | None:
    """The noun that says what the trigger tells: its subject, the noun a participle or a
    relative clause describes ("a treaty calling for ...", "the plan, which calls for ...")."""
    if tok.dep_ == "acl":
        # "a treaty calling for ..." (the treaty says it); not "the accord signed by the
        # generals" (the accord is what was signed) nor "plans to end the strike" (the
        # infinitive is what the planner intends)
        return tok.head if tok.tag_ == "VBG" else None
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is not None and tok.dep_ == "relcl" and subj.tag_ in ("WDT", "WP"):
        return tok.head
    return subj


def _document_content(doc: Doc, e: Event) -> bool:
    k = knowledge()
    tok = _trigger(doc, e)
    if e.type not in k.speech_types or tok is None or e.nominal:
        return False
    speaker = _speaker(tok)
    # a common noun: "the Charter Party" or "the National Convention" are bodies that speak
    return speaker is not None and speaker.pos_ == "NOUN" and lemma(speaker) in k.document_nouns


def _hazard_warning(doc: Doc, e: Event) -> bool:
    """What the warning is about (the trigger's own subtree) is a flood, a storm, a landslide."""
    k = knowledge()
    tok = _trigger(doc, e)
    if e.type not in k.warning_types or tok is None:
        return False
    return any(_hazard_content(t, tok) for t in tok.subtree if t.i != tok.i)


# Prepositions that set a time or a cause beside an act ("attack after the storm"): what
# they introduce is not the content of a warning.
SETTING_PREPOSITIONS = {"after", "before", "during", "since", "until", "amid", "despite", "following"}


def _hazard_content(t: Token, trigger: Token) -> bool:
    if t.pos_ not in ("NOUN", "PROPN") or not _incident_word(t):
        return False
    if t.dep_ in ("dobj", "obj"):
        return False   # something done to it is a means ("would open fire"), not a hazard
    node = t
    while node.i != trigger.i and node.head.i != node.i:
        if node.dep_ == "pobj" and node.head.lower_ in SETTING_PREPOSITIONS:
            return False
        if node.dep_ == "conj" and node.pos_ in ("VERB", "AUX"):
            return False   # another clause joined to the warning ("threatened ... and fired")
        node = node.head
    return True


# -------------------------------------------------------------------------------- generic

def _reported(doc: Doc, e: Event) -> bool:
    """A verb reports the noun as done or suffered: a light verb anchors it ("launched
    airstrikes"), it is the object of a verb of harm, ending or taking part ("killed in
    clashes", "signed the accord", "attended the talks"), or an existential "there is" tells
    that it happened or did not ("there were clashes", "there have been no arrests")."""
    if e.anchor_i != e.trigger_i:
        return True
    tok = _trigger(doc, e)
    node = tok
    verbs = knowledge().reporting_verbs
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and lemma(tok.head.head) in knowledge().sufferer_nouns:
        return True   # "victims of the shelling", "survivors of the massacre": suffered
    if any(c.dep_ == "acl" and any(g.dep_ == "agent" for g in c.children) for c in tok.children):
        return True   # "concessions made by the government", "a raid carried out by police"
    for _ in range(3):
        head = node.head
        if head.i == node.i:
            return False
        if head.pos_ in ("VERB", "AUX"):
            if node.dep_ in ("dobj", "obj") and e.trigger_start <= node.idx < e.trigger_end:
                return True   # "called a general strike", "declared a state of emergency"
            if lemma(head) == "be" and node.dep_ in ("attr", "nsubj") and \
                    any(c.dep_ == "expl" for c in head.children):
                return True   # "there were clashes", "there have been no arrests": told as (not) happening
            return lemma(head) in verbs and node.dep_ in ("dobj", "obj", "pobj", "nsubj", "nsubjpass", "prep", "agent")
        node = head
    return False


def _generic_mention(doc: Doc, e: Event) -> bool:
    if not e.nominal or parties(e) or e.mentions:
        return False
    if e.status != "asserted":
        return False   # an act someone demands, denies, threatens or plans is not a topic
    if _counted(e):
        return False
    if e.date is not None and e.date.text is not None:
        return False   # "the November attacks": a dated event, not a topic
    tok = _trigger(doc, e)
    if tok is not None and any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in DEFINITE)
                               for c in tok.children):
        return False   # "our warning", "Monday's raid", "the bombings": a particular act
    return not _reported(doc, e)


# ------------------------------------------------------------------ characterising modifiers

# Words that stand for "whoever": "those detained", "anyone arrested".
WHOEVER = {"those", "anyone", "anybody", "everyone", "whoever"}
# Plural nouns that count people rather than describe them: "hundreds killed in the raid".
COUNTS = {"hundreds", "thousands", "dozens", "scores", "millions", "tens", "many", "several"}


def _characterising_modifier(doc: Doc, e: Event) -> bool:
    tok = _trigger(doc, e)
    if tok is None or e.nominal or tok.dep_ not in ("acl", "amod") or tok.tag_ != "VBN":
        return False   # a passive participle: what was done to them, told as what they are
    if _named_actors(e):
        return False   # "militias backed by the army": a doer makes it a particular act
    clause = {t.i for t in tok.subtree}
    if (e.date is not None and e.date.i in clause) or \
            _counted(e):
        return False   # "three reporters detained on Monday": a particular act
    noun = tok.head
    if noun.lower_ in WHOEVER:
        return True
    if noun.tag_ not in ("NNS", "NNPS") or noun.pos_ != "NOUN" or noun.lower_ in COUNTS:
        return False
    # a bare plural: no article, demonstrative, possessive or number makes it particular
    return not any(c.dep_ in ("det", "poss", "nummod") for c in noun.children)


# ------------------------------------------------------------------------------ names

# Entity types whose words are names, never acts.
NAME_ENTITIES = {"PERSON", "ORG", "GPE", "FAC", "LAW", "WORK_OF_ART", "PRODUCT", "NORP"}


def _part_of_a_name(doc: Doc, e: Event) -> bool:
    tok = _trigger(doc, e)
    if tok is None or tok.ent_type_ not in NAME_ENTITIES or not tok.is_title:
        return False
    ent = next((x for x in doc.ents if x.start <= tok.i < x.end), None)
    if ent is None or (len(ent) < 2 and ent.label_ != "PERSON"):
        return False   # a lone capitalised word may be a sentence's first word
    return not _title_case(sentence_of(doc, tok.i))


# ------------------------------------------------------------------------------ trips

def _domestic_trip(doc: Doc, e: Event) -> bool:
    """A visit whose only "recipients" are places of the visitor's own country ("the
    president arrived in Chicago", "the minister travelled to the capital"): no other party
    is met. Not "arrived in Chicago to meet the mayor" (the mayor is a party), nor a trip
    abroad."""
    if e.type != "CONSULT" or e.mode != "visit":
        return False
    home = {a.country for a in _named_actors(e)}
    if len(home) != 1 or None in home:
        return False
    tok = _trigger(doc, e)
    if tok is None or any(c.dep_ in ("advcl", "xcomp") for c in tok.children):
        return False   # "... to meet the mayor": what the trip is for names the party
    met = [a for a in e.recipients if a.kind != "place"]
    if not met:   # the place only: where the event happens, told in its own clause
        place = e.location
        return place is not None and not place.inferred_from and not place.dateline \
            and place.country in home
    return all(0 <= a.head < len(doc) and doc[a.head].ent_type_ in PLACE_LABELS
               and a.country in home for a in met)


def _title_case(sent) -> bool:
    """A headline in title case: most of its words outside names are capitalised (or, when
    the parser took every word for a name, all of them are)."""
    words = [t for t in sent if t.is_alpha and len(t) >= 3 and not t.ent_type_]
    if not words:
        words = [t for t in sent if t.is_alpha and len(t) > 3]
        return bool(words) and all(t.is_title or t.is_upper for t in words)
    return sum(t.is_title for t in words) >= 0.7 * len(words)


def _counted(e: Event) -> bool:
    """The text counts the event's dead, wounded or arrested: a particular act."""
    return any(getattr(e.size, k) for k in ("killed", "injured", "arrested"))


# ----------------------------------------------------------------------------- confidence

def features(doc: Doc, e: Event) -> dict[str, float]:
    named = parties(e)
    political = {role for a, role in named if is_political(a, e.type)}
    return {
        "political_actor": float("actor" in political),
        "political_recipient": float("recipient" in political),
        "any_party": float(bool(named)),
        "nominal": float(e.nominal),
        "anchored_noun": float(e.nominal and _reported(doc, e)),
        "own_date": float(e.date is not None and e.date.text is not None),
        "own_place": float(e.location is not None and not e.location.dateline and
                           not e.location.inferred_from),
        "not_asserted": float(e.status != "asserted"),
        "unknown_persons_only": float(bool(named) and not political and
                                      all(a.sector is None and a.country is None for a, _ in named)),
        "no_political_party": float(unaffiliated(e)),
    }


def confidence(doc: Doc, e: Event) -> float:
    w = knowledge().weights
    score = w.get("intercept", 0.0) + sum(w.get(k, 0.0) * v for k, v in features(doc, e).items())
    return round(1.0 / (1.0 + math.exp(-score)), 3)


# The rules, in the order they are tried; a mention dropped by one is not tried by the next.
CHECKS = (("no-political-participant", _market_act), ("agentless-incident", _agentless_incident),
          ("document-content", _document_content), ("hazard-warning", _hazard_warning),
          ("generic-mention", _generic_mention), ("characterising-modifier", _characterising_modifier),
          ("part-of-a-name", _part_of_a_name), ("domestic-trip", _domestic_trip))
RULES = tuple(name for name, _ in CHECKS)
