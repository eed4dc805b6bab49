"""Modality and attribution: how sure the report of each event is, and on whose word.

For every event we take its own clause (the trigger verb, or the verb a noun trigger hangs
from), read the cues on it (negation, future, hedging adverbs, "if"), then climb through
the clauses that embed it ("critics claim that ...", "he says he was ...", "denies any ...")
and read the verbs there (speech, claim, denial, threat, intention, hedge). Cue words live
in `data/modality.yaml`. A sentence saying a source "could not be confirmed" makes every
event told with that source unconfirmed.

Statuses (see README): asserted claimed unconfirmed denied negated threatened intended
hypothetical historical. `historical` needs the event's date, so `assemble` sets it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from spacy.tokens import Doc, Token

from eventwire import actors as actor_stage
from eventwire.datafiles import layered
from eventwire.events import subject_of
from eventwire.syntax import is_passive, lemma
from eventwire.nlp import sentences
from eventwire.records import Actor, Event

# Types whose event is an act of saying: when the actor is the one who says it, the
# report of the saying is the event, asserted by the reporter.
SPEECH_ACT_TYPES = {"THREATEN", "AGREE", "REQUEST", "ACCUSE", "REJECT", "SUPPORT", "CONSULT"}
CLAUSE_LINKS = {"ccomp", "xcomp", "conj", "advcl", "pcomp", "csubj", "acl", "relcl", "parataxis"}


@dataclass(frozen=True)
class Cues:
    speech: frozenset[str]
    claim: frozenset[str]
    claim_nouns: frozenset[str]
    denial: frozenset[str]
    threat: frozenset[str]
    intent: frozenset[str]
    hedge_adverbs: frozenset[str]
    hedge_verbs: frozenset[str]
    verify: frozenset[str]
    future: frozenset[str]
    conditional_aux: frozenset[str]
    conditional_marks: frozenset[str]
    presupposing: frozenset[str]
    threat_types: frozenset[str]
    accusable_types: frozenset[str]
    historical_days: int
    historical_cues: frozenset[str]


def _load_cues(paths: tuple[str, ...]) -> Cues:
    merged: dict[str, set] = {}
    days = 365
    for p in paths:
        data = yaml.safe_load(Path(p).read_text(encoding="utf-8")) or {}
        for k, v in data.items():
            if isinstance(v, list):
                # word lists are lemmas (lower case); type lists stay upper case
                merged.setdefault(k, set()).update(str(x) if k.endswith("_types") else str(x).lower() for x in v)
            elif k == "historical_days":
                days = int(v)
    g = lambda k: frozenset(merged.get(k, ()))  # noqa: E731
    return Cues(g("speech_verbs"), g("claim_verbs"), g("claim_nouns"), g("denial_verbs"),
                g("threat_verbs"), g("intent_verbs"), g("hedge_adverbs"), g("hedge_verbs"),
                g("verify_verbs"), g("future_aux"), g("conditional_aux"), g("conditional_marks"),
                g("presupposing_preps"), g("threat_types"), g("accusable_types"), days,
                g("historical_cues"))


def load_cues() -> Cues:
    """The cue lists, with the user's files from EVENTWIRE_MODALITY layered on top."""
    return layered("modality.yaml", "EVENTWIRE_MODALITY", _load_cues)


# ----------------------------------------------------------------------------- clause finding

def clause_verb(doc: Doc, event: Event) -> tuple[Token | None, bool]:
    """The verb whose clause tells the event, and whether the path there presupposes the
    event ("in retaliation for the airstrikes": the airstrikes are not what is threatened)."""
    cues = load_cues()
    tok = doc[event.anchor_i if event.anchor_i >= 0 else event.trigger_i]
    if tok.pos_ in ("VERB", "AUX"):
        return tok, False
    presupposed = False
    node = tok
    for _ in range(8):
        head = node.head
        if head.i == node.i:
            return None, presupposed
        if head.dep_ == "prep" and lemma(head) in cues.presupposing and node.dep_ == "pobj":
            presupposed = True
        if head.pos_ in ("VERB", "AUX"):
            return head, presupposed
        node = head
    return None, presupposed


def _has_child(tok: Token, deps: set[str], lemmas: frozenset[str] | set[str]) -> bool:
    return any(c.dep_ in deps and (c.lower_ in lemmas or lemma(c) in lemmas) for c in tok.children)


def _speaker(doc: Doc, verb: Token) -> Actor | None:
    subj = subject_of(verb)
    if subj is None:
        return None
    found = actor_stage.actors_for_token(doc, subj.i)
    return found[0] if found else None


def _according_to(doc: Doc, verb: Token) -> Actor | None:
    """'..., according to Iraqi police': the source hangs off the clause as a prep."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "according":
            for to in c.children:
                for p in to.children:
                    if p.dep_ == "pobj":
                        found = actor_stage.actors_for_token(doc, p.i)
                        if found:
                            return found[0]
    return None


def _same_party(a: Actor, b: Actor) -> bool:
    if a.start == b.start:
        return True
    if a.name and b.name and a.name.lower() == b.name.lower():
        return True
    return bool(a.country and b.country and a.country == b.country and
                (a.sector == b.sector or not a.sector or not b.sector))


def _is_party(speaker: Actor, event: Event) -> bool:
    return any(_same_party(speaker, x) for x in event.actors + event.recipients)


# ----------------------------------------------------------------------------- status

def _local_status(verb: Token, event: Event, cues: Cues, embedded_in_speech: bool) -> str | None:
    """Cues on the event's own clause verb."""
    if _has_child(verb, {"advmod", "npadvmod"}, cues.hedge_adverbs):
        return "unconfirmed"
    if _has_child(verb, {"neg"}, {"not", "n't", "never", "no"}):
        return "negated"
    if _has_child(verb, {"mark"}, cues.conditional_marks):
        return "hypothetical"
    if _has_child(verb, {"aux", "auxpass"}, cues.future) and event.type not in ("THREATEN", "AGREE"):
        # (a threat or a promise is made now: its future is its content, not its status)
        return "threatened" if (embedded_in_speech and event.type in cues.threat_types) else "intended"
    if _has_child(verb, {"aux"}, cues.conditional_aux):
        # "would attack if ...": the conditional clause is a sibling advcl with "if"
        if any(c.dep_ == "advcl" and _has_child(c, {"mark"}, cues.conditional_marks) for c in verb.children):
            return "hypothetical"
    return None


def _claims_responsibility(verb: Token, cues: Cues) -> bool:
    return any(lemma(c) in cues.claim_nouns for c in verb.children if c.dep_ in ("dobj", "obj"))


def _embedding_chain(verb: Token):
    """(governing verb, link) pairs from the clause up to the sentence root."""
    node = verb
    for _ in range(10):
        if node.dep_ not in CLAUSE_LINKS and node.dep_ not in ("dobj", "pobj", "prep"):
            return
        head = node.head
        if head.i == node.i:
            return
        yield head, node.dep_
        node = head


def status_of(doc: Doc, event: Event, unverified_sents: set[int]) -> tuple[str, Actor | None]:
    cues = load_cues()
    verb, presupposed = clause_verb(doc, event)
    attributed: Actor | None = None
    status: str | None = None
    trigger = doc[event.trigger_i]
    # a nominal event that is the object of a denial or claim: "denies any violation"
    if event.nominal and trigger.dep_ in ("dobj", "pobj") and verb is not None:
        lem = lemma(verb)
        if lem in cues.denial and trigger.head.i == verb.i:
            return "denied", _speaker(doc, verb)
    if _has_child(trigger, {"amod", "advmod"}, cues.hedge_adverbs):  # "the alleged attack"
        status = "unconfirmed"
    if verb is None:
        return status or "asserted", None
    chain = list(_embedding_chain(verb)) if not presupposed else []
    in_speech = any(lemma(h) in cues.speech | cues.claim for h, _ in chain)
    if status is None and not presupposed:
        status = _local_status(verb, event, cues, in_speech)
    attributed = _according_to(doc, verb)
    if _claims_responsibility(verb, cues) and event.nominal and verb.i != event.trigger_i:
        # "Boko Haram claimed responsibility for the bombing": the noun hangs off the claim
        return "claimed", _speaker(doc, verb)
    for head, link in chain:
        lem = lemma(head)
        if head.pos_ not in ("VERB", "AUX"):
            # "claimed responsibility for bombing": the claim noun sits between
            if lem in cues.claim_nouns and link in ("pobj", "prep", "pcomp"):
                continue
            continue
        if link == "conj":  # a conjunct shares the embedding of its first conjunct
            continue
        if link in ("dobj",) and lem not in cues.denial and lem not in cues.claim:
            continue
        claims_responsibility = _claims_responsibility(head, cues)
        if lem in cues.denial:
            return "denied", _speaker(doc, head) or attributed
        if lem in cues.claim or claims_responsibility:
            speaker = _speaker(doc, head)
            if status in (None, "unconfirmed"):
                status = "claimed"
            attributed = attributed or speaker
            continue
        if lem in cues.speech:
            if is_passive(head) and lem in cues.hedge_verbs and status is None:
                status = "unconfirmed"   # "is said to have ...", "was reported to ..."
                continue
            speaker = _speaker(doc, head)
            if speaker is not None:
                if event.type in SPEECH_ACT_TYPES and any(_same_party(speaker, a) for a in event.actors):
                    # "Farmers said they would blockade Paris": saying it is the threat itself
                    continue
                attributed = attributed or speaker
                if status is None and _is_party(speaker, event):
                    status = "claimed"
            continue
        if lem in cues.hedge_verbs and (lem in ("appear", "seem") or is_passive(head)):
            status = status or "unconfirmed"
            continue
        if lem in cues.threat and link in ("xcomp", "ccomp"):
            status = status or "threatened"
            continue
        if lem in cues.intent and link in ("xcomp", "ccomp"):
            status = status or "intended"
            continue
        local = _local_status(head, event, cues, in_speech)
        if local in ("hypothetical", "negated") and link in ("xcomp",) and status is None:
            status = local
    if status is None and event.sentence in unverified_sents:
        status = "unconfirmed"
    return status or "asserted", attributed


# ----------------------------------------------------------------------------- propagation

def unverified_sentences(doc: Doc) -> set[int]:
    """Sentences telling something the story says could not be confirmed.

    "The authenticity of the video or the claims in it could not be confirmed": the nouns
    'video' and 'claim' are unverified sources; every sentence mentioning them (and the
    sentence that introduced them) is unverified.
    """
    cues = load_cues()
    sources: set[str] = set()
    sents = sentences(doc)
    for sent in sents:
        for tok in sent:
            if lemma(tok) in cues.verify and tok.pos_ == "VERB" and _has_child(tok, {"neg"}, {"not", "n't", "never"}) \
                    or lemma(tok) in cues.verify and any(c.dep_ == "neg" for c in tok.head.children if tok.dep_ == "xcomp"):
                for c in tok.children:
                    if c.dep_ in ("nsubjpass", "nsubj"):
                        for t in c.subtree:
                            if t.pos_ == "NOUN" and t.dep_ in ("nsubjpass", "nsubj", "pobj", "conj"):
                                sources.add(lemma(t))
    sources -= {"authenticity", "veracity", "accuracy", "report", "information", "detail"} \
        if len(sources) > 1 else set()
    if not sources:
        return set()
    return {n for n, sent in enumerate(sents) if any(lemma(t) in sources for t in sent)}


def derived_accusations(doc: Doc, events: list[Event]) -> list[Event]:
    """A party saying it was wronged accuses the doer: 'Turkey said the plane violated its
    airspace' -> ACCUSE(Turkey -> the plane's side), told by the verb of saying."""
    cues = load_cues()
    out = []
    for ev in events:
        if ev.type not in cues.accusable_types or ev.attributed_to is None or not ev.actors:
            continue
        speaker = ev.attributed_to
        if speaker.sector == "CVL" or (speaker.sector is None and speaker.country is None):
            continue  # accusations are between political actors, not private persons
        if not any(_same_party(speaker, r) for r in ev.recipients):
            continue
        verb, _ = clause_verb(doc, ev)
        head = next((h for h, link in _embedding_chain(verb) if lemma(h) in cues.speech | cues.claim), None) \
            if verb is not None else None
        if head is None:
            continue
        out.append(Event(type="ACCUSE", mode=None, cameo="112", trigger_i=head.i,
                         trigger_start=head.idx, trigger_end=head.idx + len(head.text),
                         trigger_text=head.text, sentence=ev.sentence, actors=[speaker],
                         recipients=list(ev.actors), status="asserted", attributed_to=None,
                         lemma=f"accusation:{lemma(head)}", anchor_i=head.i))
    return out


def annotate(doc: Doc) -> Doc:
    events = doc._.events or []
    unverified = unverified_sentences(doc)
    for ev in events:
        ev.status, ev.attributed_to = status_of(doc, ev, unverified)
    doc._.events = events + derived_accusations(doc, events)
    return doc
