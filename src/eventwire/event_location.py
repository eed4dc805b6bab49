"""Event location stage: give each event the place where it happened.

The places stage has found and resolved every toponym (`doc._.places`) and the story's own
place (its dateline, else its focus: see `places.story_place`). This stage only attaches
them to events, in three steps, the first that yields a place wins:

1. Clause: the place attached to the event's trigger or anchor through the dependency parse
   ("airstrikes in Syria"), the most specific when several are; else the nearest place in a
   locative phrase of the same clause; else, when the sentence tells one event and names one
   place in a locative phrase, that place.
2. Sentence: a place of the sentence in a locative phrase ("in Kherson, rebels said ...
   shelling") that is no participant of the event and not a modifier of another noun.
3. Story: the dateline's place, else the story's focus, copied and marked
   `inferred_from = "story"`: the text does not say so for this event, the story does.

Adjectives ("French") are never a location; neither is a place guessed only approximately
(a local feature put at the story's town) nor, in steps 1-2, the dateline itself.
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from eventwire.nlp import sentence_of
from eventwire.records import Place
from eventwire.syntax import clause_head

# Where the places stage leaves the story's own place (a Place, or None) for this stage.
STORY_PLACE_KEY = "eventwire.story_place"

# How specific a level is: the most specific attached place wins ("in Aleppo, Syria").
LEVEL_SPECIFIC = {"city": 3, "feature": 3, "district": 2, "province": 2, "country": 1, "region": 0}

# Prepositions that put something *at* a place ("in", "near", "from") rather than make the
# place a participant ("against Turkey", "with Russia").
LOCATIVE_PREPS = {"in", "at", "near", "from", "inside", "outside", "across", "throughout",
                  "within", "around", "into", "on", "off", "over", "along", "outside", "onto",
                  "toward", "towards", "to", "through", "between", "of", "by", "north", "south",
                  "east", "west", "beyond", "amid", "nearby"}
# The narrower set that says "here" for a place found only at sentence level.
SENTENCE_PREPS = {"in", "at", "near", "inside", "outside", "across", "throughout", "within",
                  "around", "from"}
# Dependency labels a place may hang from on its way up to the trigger.
PATH_DEPS = {"pobj", "prep", "appos", "compound", "conj", "nmod", "npadvmod", "pcomp", "advmod",
             "dobj", "attr", "acl", "relcl", "advcl", "xcomp", "ccomp", "amod", "cc", "dep", "oprd"}
PARTICIPANT_DEPS = {"nsubj", "nsubjpass", "poss", "agent", "dative", "csubj"}


def annotate(doc: Doc) -> Doc:
    events = doc._.events or []
    if not events:
        return doc
    places = doc._.places or []
    usable = [p for p in places if _usable(p) and not p.dateline]
    story = doc.user_data.get(STORY_PLACE_KEY)
    for ev in events:
        ev.location = (_event_place(doc, ev, usable) or _sentence_place(doc, ev, usable)
                       or _story_place(story))
    return doc


def _usable(p: Place) -> bool:
    """A resolved, non-adjectival place that is not an approximate guess."""
    return not p.adjectival and p.lat is not None and not _approximate(p)


def _approximate(p: Place) -> bool:
    # the places stage puts a local feature it cannot find at the story's place, nameless
    return p.level == "feature" and p.name is None


def _story_place(story: Place | None) -> Place | None:
    if story is None or story.lat is None:
        return None
    return replace(story, inferred_from="story")


# ------------------------------------------------------------------ step 1: the clause

def _attached(place_root: Token, targets: set[int], limit: int = 8,
              others: frozenset[int] = frozenset()) -> int | None:
    """Number of arcs from the place up to the trigger/anchor, if the path is locative and
    does not pass another event ("killed in retaliation for the airstrikes in Syria": Syria
    is where the airstrikes were, not the killing)."""
    tok = place_root
    steps = 0
    locative = False
    while steps < limit:
        if tok.i in targets:
            return steps if (locative or steps == 0) else None
        if tok.i in others:
            return None
        if tok.dep_ in PARTICIPANT_DEPS:
            return None
        if tok.dep_ == "dobj" and tok.head.dep_ in ("acl", "relcl") and tok.head.i not in targets:
            return None   # "in a town bordering Syria": the object of a phrase describing the place
        if tok.dep_ == "prep":
            if tok.lower_ not in LOCATIVE_PREPS:
                return None
            locative = True
        elif tok.dep_ in ("npadvmod", "advmod", "compound"):
            locative = True
        elif tok.dep_ not in PATH_DEPS:
            return None
        if tok.head.i == tok.i:
            return None
        tok = tok.head
        steps += 1
    return None


def _actor_tokens(ev) -> set[int]:
    out: set[int] = set()
    for a in list(ev.actors) + list(ev.recipients):
        if a.i >= 0 and a.j > a.i:
            out.update(range(a.i, a.j))
    return out


def _in_sentence(doc: Doc, ev, usable: list[Place], targets: set[int]) -> list[Place]:
    """The sentence's places that are no part of the event's actors and modify no other noun."""
    sent = sentence_of(doc, ev.trigger_i)
    actor_toks = _actor_tokens(ev)
    return [p for p in usable if sent.start <= p.i < sent.end
            and not (set(range(p.i, p.j)) & actor_toks)
            and not _describes_other_noun(doc[p.i:p.j].root, targets)]


def _targets(doc: Doc, ev) -> set[int]:
    targets = {ev.trigger_i}
    if 0 <= ev.anchor_i < len(doc):
        targets.add(ev.anchor_i)
    return targets


def _event_place(doc: Doc, ev, usable: list[Place]) -> Place | None:
    if ev.trigger_i < 0 or ev.trigger_i >= len(doc):
        return None
    trig = doc[ev.trigger_i]
    targets = _targets(doc, ev)
    in_sent = _in_sentence(doc, ev, usable, targets)
    if not in_sent:
        return None
    others = frozenset(e.trigger_i for e in (doc._.events or []) if e is not ev) - targets
    attached = []
    for p in in_sent:
        steps = _attached(doc[p.i:p.j].root, targets, others=others)
        if steps is not None:
            attached.append((p, steps))
    if attached:
        # most specific first (city over country), then the closest in the tree
        return max(attached, key=lambda ps: (LEVEL_SPECIFIC.get(ps[0].level or "", 0), -ps[1]))[0]
    clause = clause_head(doc[ev.anchor_i] if 0 <= ev.anchor_i < len(doc) else trig)
    same = [p for p in in_sent
            if clause_head(doc[p.i:p.j].root).i == clause.i
            and doc[p.i:p.j].root.dep_ not in PARTICIPANT_DEPS | {"dobj"}]
    # a place that is the subject or owner ("Russia's airstrikes") is an actor, not a location
    same = [p for p in same if not _participant(doc[p.i:p.j].root)
            and _adjunct_of_clause(doc[p.i:p.j].root, set(others))]
    if same:
        return min(same, key=lambda p: abs(p.i - ev.trigger_i))
    return _only_place_of_only_event(doc, ev, in_sent)


def _only_place_of_only_event(doc: Doc, ev, in_sent: list[Place]) -> Place | None:
    """When a sentence tells one event and names one place in a locative phrase, the event
    happened there, whatever clause the place hangs from ("X claimed the bombing of a plane
    soon after it left Y")."""
    others = [e for e in (doc._.events or []) if e is not ev and not getattr(e, "background", False)
              and e.sentence == ev.sentence]
    if others:
        return None
    other_triggers = {e.trigger_i for e in (doc._.events or []) if e is not ev}
    locative = [p for p in in_sent if not _participant(doc[p.i:p.j].root)
                and doc[p.i:p.j].root.dep_ == "pobj"
                and _adjunct_of_clause(doc[p.i:p.j].root, other_triggers)]
    if len({p.geonameid or p.name for p in locative}) != 1:
        return None
    # the most specific mention of that one place
    return max(locative, key=lambda p: LEVEL_SPECIFIC.get(p.level or "", 0))


# ------------------------------------------------------------------ step 2: the sentence

def _sentence_place(doc: Doc, ev, usable: list[Place]) -> Place | None:
    """A place the sentence sets its scene in: the object of a locative preposition ("in",
    "near", "outside") that is neither a participant nor inside another event's phrase.
    Several such places: the one nearest the trigger."""
    if ev.trigger_i < 0 or ev.trigger_i >= len(doc):
        return None
    targets = _targets(doc, ev)
    others = {e.trigger_i for e in (doc._.events or []) if e is not ev} - targets
    scene = []
    for p in _in_sentence(doc, ev, usable, targets):
        root = doc[p.i:p.j].root
        if root.dep_ in ("pobj", "appos", "conj") and _locative_head(root) and \
                _adjunct_of_clause(root, others):
            scene.append(p)
    if not scene:
        return None
    return min(scene, key=lambda p: abs(p.i - ev.trigger_i))


def _locative_head(root: Token) -> bool:
    """The place is the object of a scene-setting preposition (through "X, Y" and "X and Y")."""
    tok = root
    while tok.dep_ in ("appos", "conj") and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ == "pobj" and tok.head.lower_ in SENTENCE_PREPS


# ------------------------------------------------------------------ shared tests on the parse

def _adjunct_of_clause(root: Token, other_triggers: set[int]) -> bool:
    """The place hangs from a verb through prepositions only: not from inside a participant
    ("critics in Syria claim ...") nor from another event ("the airstrikes in Syria")."""
    tok = root
    for _ in range(10):
        head = tok.head
        if head.i == tok.i or head.pos_ in ("VERB", "AUX"):
            return True
        if head.i in other_triggers or head.dep_ in ("nsubj", "nsubjpass", "dobj", "poss", "attr", "appos"):
            return False
        tok = head
    return False


def _describes_other_noun(root: Token, targets: set[int]) -> bool:
    """'a longtime Moscow ally', 'Kabul's mayor': a place name modifying another noun says
    whose or what kind, not where ("the Paris attacks" modifies the event itself: kept)."""
    return root.dep_ in ("compound", "amod", "poss", "nmod") and root.head.i not in targets


def _participant(root: Token) -> bool:
    if root.dep_ in PARTICIPANT_DEPS or root.dep_ == "dobj":
        return True
    if root.dep_ == "pobj" and root.head.lower_ not in LOCATIVE_PREPS:
        return True
    return False
