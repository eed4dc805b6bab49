"""Modality and attribution: how sure the report of each event is, and on whose word.

For every event we gather its context (`Context`): its own clause (the trigger verb, the light
verb of a noun trigger, or the verb a noun trigger is subject or object of), the clauses that
embed it up to the sentence root ("critics claim that ...", "refused to ...", "he says he was
..."), the words on the trigger noun ("the alleged attack", "no arrests"), its sentence (a
question? told on a source the story could not confirm?) and the next sentence ("The ministry
denied the report."). Then the rows of `precedence` in `data/modality.yaml` are tried in order:
the first row whose cue fires gives the status. Each cue is one small function in `CUES`.

`attributed_to` is the source the status rests on: the denier, the claimant, else the nearest
source that tells the event (a speaker, "according to ...", the speaker of a quote), as the
text names it, resolved like any actor (country, sector) when the actors stage knows it.

Statuses (see README): asserted claimed unconfirmed denied negated threatened intended
hypothetical historical. `historical` (and `intended` for an event dated after the story)
needs the event's date, so `assemble` asks `dated_status` after dating.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

from spacy.tokens import Doc, Token

from eventwire import actors as actor_stage
from eventwire.datafiles import layered, parse_yaml
from eventwire.events import is_light_verb, subject_of
from eventwire.nlp import sentence_index, sentence_of, sentences
from eventwire.records import Actor, Event
from eventwire.syntax import (CLOSING_QUOTES, in_quotation, is_negated, is_passive, is_past, lemma,
                              misread_closing_sayer, pobjs)

# Types whose event is an act of saying: when the actor is the one who says it, the
# report of the saying is the event, asserted by the reporter.
SPEECH_ACT_TYPES = {"THREATEN", "AGREE", "REQUEST", "ACCUSE", "REJECT", "SUPPORT", "CONSULT"}
# Records that are a threat or a promise made now: their future is their content, not their status.
COMMITMENT_TYPES = {"THREATEN", "AGREE"}
# Arcs along which an event is the content of what governs it.
CLIMB_LINKS = {"ccomp", "xcomp", "conj", "dobj", "obj", "pobj", "pcomp", "prep", "acl", "csubj",
               "attr", "oprd", "appos", "parataxis", "acomp", "nsubj", "nsubjpass", "advcl", "npadvmod"}
# Arcs that end the event's own clause: above them, another clause (the one that tells it).
CLAUSE_BOUNDARIES = {"ccomp", "parataxis", "advcl", "csubj"}
# Arcs by which a verb of saying tells a clause ("said [that] ...", "..., he said").
SAYING_LINKS = {"ccomp", "parataxis", "xcomp", "conj"}
FIRST_PERSON = {"i", "we", "me", "us"}
FIRST_PERSON_POSS = {"my", "our"}


@dataclass(frozen=True)
class Cues:
    lists: dict[str, frozenset[str]]
    precedence: tuple[tuple[str, str], ...]
    historical_days: int
    code_embedded_acts: bool = True

    def __getitem__(self, name: str) -> frozenset[str]:
        return self.lists.get(name, frozenset())

    @property
    def coded_inside(self) -> frozenset[str]:
        return self["coded_inside"]

    @property
    def accusable_types(self) -> frozenset[str]:
        return self["accusable_types"]


def _load_cues(paths: tuple[str, ...]) -> Cues:
    merged: dict[str, set] = {}
    days = 365
    precedence: list[tuple[str, str]] = []
    embedded = True
    for p in paths:
        data = parse_yaml(Path(p).read_text(encoding="utf-8")) or {}
        for k, v in data.items():
            if k == "precedence":
                precedence = [(str(row["cue"]), str(row["status"])) for row in v]
            elif isinstance(v, list):
                # word lists are lemmas (lower case); type lists stay upper case
                upper = k.endswith("_types") or k == "coded_inside"
                merged.setdefault(k, set()).update(str(x) if upper else str(x).lower() for x in v)
            elif k == "historical_days":
                days = int(v)
            elif k == "code_embedded_acts":
                embedded = bool(v)
    unknown = [c for c, _ in precedence if c not in CUES]
    if unknown:
        raise ValueError(f"modality.yaml: unknown cues in precedence: {unknown}")
    return Cues({k: frozenset(v) for k, v in merged.items()}, tuple(precedence), days, embedded)


def load_cues() -> Cues:
    """The cue lists, with the user's files from EVENTWIRE_MODALITY layered on top."""
    return layered("modality.yaml", "EVENTWIRE_MODALITY", _load_cues)


# ----------------------------------------------------------------------------- context

@dataclass
class Context:
    """What the cues look at for one event."""
    doc: Doc
    event: Event
    cues: Cues
    trigger: Token
    locals: list[Token]                  # verbs of the event's own clause (own verb, control verbs)
    chain: list[tuple[Token, str]]       # (governing word, arc from below) up to the root
    path_nouns: list[Token]              # nouns between a noun trigger and its verb
    sentence: int
    story: "StoryCues"
    _sources: dict = field(default_factory=dict)

    def words(self, name: str) -> frozenset[str]:
        return self.cues[name]

    def governing(self) -> list[tuple[Token, str]]:
        """Chain entries that are verbs, not counting a conjunct's first conjunct (it is a
        sibling, not a governor)."""
        return [(h, link) for h, link in self.chain if link != "conj" and h.pos_ in ("VERB", "AUX", "ADJ")]

    def source_of(self, verb: Token) -> Actor | None:
        if verb.i not in self._sources:
            self._sources[verb.i] = _source(self.doc, verb)
        return self._sources[verb.i]


@dataclass
class StoryCues:
    """Story-wide facts: sentences told on an unconfirmed source, reports denied later."""
    unverified: set[int]
    denied: dict[int, Actor | None]      # sentence -> who denies what it reports
    questions: set[int]
    shared_triggers: set[int] = field(default_factory=set)   # a commitment and its act, one word
    # sentence -> (token of a denial, denier) that covers what the sentence told before it
    denied_within: dict[int, tuple[int, Actor | None]] = field(default_factory=dict)


def _presupposes(prep: Token, cues: Cues, clause: bool) -> bool:
    """'in retaliation for the airstrikes', 'after the bombing': the object is a fact told as
    background, unless the preposition introduces the content of a claim, a denial, a plan
    or a threat ("accused X of violating", "pushes for a withdrawal")."""
    words = cues["presupposing_clause_preps"] if clause else cues["presupposing_preps"]
    if prep.lower_ not in words:
        return False
    governor = lemma(prep.head)
    content_words = (cues["claim_verbs"] | cues["claim_nouns"] | cues["denial_verbs"] | cues["intent_verbs"]
                     | cues["intent_nouns"] | cues["threat_verbs"] | cues["threat_nouns"] | cues["hedge_verbs"]
                     | cues["refusal_verbs"] | cues["report_nouns"] | cues["intent_adjectives"]
                     | cues["possibility_nouns"] | cues["request_nouns"] | cues["responsibility_words"]
                     | cues["allegation_verbs"])
    if governor in content_words:
        return False
    # "calls by the opposition for aid": the phrase may hang from the noun before it
    outer = prep.head
    if outer.dep_ == "pobj" and outer.head.dep_ == "prep" and lemma(outer.head.head) in content_words:
        return False
    return True


def _climb(start: Token, cues: Cues) -> list[tuple[Token, str]]:
    """(governing word, arc) pairs from `start` up to the root, stopping at a relative clause
    (a deed of its own) or at a preposition that presupposes its object."""
    out: list[tuple[Token, str]] = []
    node = start
    for _ in range(14):
        head, link = node.head, node.dep_
        if head.i == node.i or link not in CLIMB_LINKS:
            break
        if link == "advcl" and any(c.dep_ == "mark" for c in node.children):
            break   # "after they attacked", "if he strikes": a clause of its own, read by its mark
        if link == "acl" and node.tag_ == "VBN" and head.pos_ in ("NOUN", "PROPN") and \
                not any(c.dep_ in ("aux", "auxpass", "mark", "nsubj", "nsubjpass") for c in node.children):
            break   # "refused to free activists detained last week": a participle describing a
                    # noun tells a deed of its own, as a relative clause does
        if link in ("pobj", "pcomp") and head.dep_ in ("prep", "agent") and _presupposes(head, cues, link == "pcomp"):
            break
        out.append((head, link))
        node = head
    return out


def _trailing_report(top: Token, cues: Cues) -> list[tuple[Token, str]]:
    """'Troops shelled the town, a rights group charged.': the parser sometimes hangs the verb
    of saying under the clause it tells (parataxis) instead of above it; read it as above."""
    sayers = sayer_words(cues)
    for c in top.children:
        if c.dep_ in ("parataxis", "ccomp", "advcl", "conj") and c.i > top.i and lemma(c) in sayers and \
                not any(g.dep_ in ("ccomp", "xcomp", "dobj") for g in c.children) and \
                any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
            return [(c, "ccomp")]
    sayer = next((v for v in sentence_of(top.doc, top.i) if misread_closing_sayer(v, sayers) is not None), None)
    if sayer is not None and not (sayer.head.left_edge.i <= top.i <= sayer.right_edge.i):
        return [(sayer, "ccomp")]
    return []


def _trailing_participle_speaker(verb: Token, cues: Cues) -> Token | None:
    return misread_closing_sayer(verb, sayer_words(cues))


def sayer_words(cues: Cues) -> frozenset[str]:
    """Verbs whose subject says, claims, alleges or denies what their clause tells."""
    return cues["speech_verbs"] | cues["claim_verbs"] | cues["allegation_verbs"] | cues["denial_verbs"]


def _local_verbs(first: Token | None, chain: list[tuple[Token, str]], cues: Cues) -> list[Token]:
    """The verbs of the event's own clause: its verb, then verbs it is controlled by ("wants to",
    "did not try to"), up to the first clause boundary or verb of saying, claiming or denying."""
    out = [first] if first is not None else []
    stop = cues["speech_verbs"] | cues["claim_verbs"] | cues["denial_verbs"] | cues["hedge_verbs"]
    at = [n for n, (head, _) in enumerate(chain) if first is not None and head.i == first.i]
    for head, link in chain[at[0] + 1 if at else 0:]:
        if link in CLAUSE_BOUNDARIES or link == "conj" or lemma(head) in stop:
            break
        if head.pos_ in ("VERB", "AUX") and link in ("xcomp", "dobj", "acl", "oprd", "acomp", "prep", "pobj", "attr"):
            out.append(head)
    return out


CONTRASTING = {"but", "yet", "while", "whereas", "instead"}


def _sharing_conjuncts(verb: Token) -> list[Token]:
    """'could strike Iran and invade Lebanon', 'has not released the prisoners or lifted the
    curfew': a coordinated verb with no subject, auxiliary or negation of its own shares those
    of the verb it is coordinated with (not across "but": "did not attack but shelled")."""
    out: list[Token] = []
    node = verb
    for _ in range(4):
        head = node.head
        if node.dep_ != "conj" or head.i == node.i or head.pos_ not in ("VERB", "AUX"):
            break
        if any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg") for c in node.children):
            break
        if any(c.dep_ in ("cc", "preconj") and c.lower_ in CONTRASTING for c in head.children):
            break
        out.append(head)
        node = head
    return out


def context(doc: Doc, event: Event, story: StoryCues, cues: Cues, sent_of: dict[int, int]) -> Context:
    """Gather what the cues read for one event (see `Context`)."""
    trigger = doc[event.trigger_i]
    anchor = doc[event.anchor_i] if event.anchor_i >= 0 else trigger
    path_nouns: list[Token] = []
    if anchor.i != trigger.i or trigger.pos_ in ("VERB", "AUX"):
        own: Token | None = anchor          # a verb, or the light verb of a noun ("launched strikes")
        chain = _climb(anchor, cues)
    else:
        chain = _climb(trigger, cues)
        own = None
        below: Token = trigger
        for head, link in chain:            # the verb a noun trigger is subject or object of
            if head.pos_ in ("VERB", "AUX"):
                # the subject, or the means: "could hit Iran with new sanctions"
                instrument = link == "prep" and below.lower_ == "with" and below.head.i == head.i
                if not path_nouns and (link in ("nsubj", "nsubjpass", "attr") or instrument):
                    own = head
                break
            if head.pos_ in ("NOUN", "PROPN"):
                path_nouns.append(head)
            below = head
    locals_ = _local_verbs(own, chain, cues) + _sharing_conjuncts(own) if own is not None else []
    chain += _trailing_report(chain[-1][0] if chain else (own or trigger), cues)
    return Context(doc, event, cues, trigger, locals_, chain, path_nouns,
                   sent_of.get(trigger.i, event.sentence), story)


# ----------------------------------------------------------------------------- sources

def _describe(doc: Doc, tok: Token) -> Actor:
    """A source the actors stage does not know, named as the text names it: the noun with its
    determiners and modifiers ("the newspaper", "a political council")."""
    left = [t for t in tok.lefts if t.dep_ in ("det", "amod", "compound", "nmod", "poss", "nummod", "quantmod")]
    first = min([tok] + [t.left_edge for t in left], key=lambda t: t.i)
    last = tok
    for c in tok.rights:   # "a spokeswoman for the U.S. embassy", "sources on both sides"
        if c.dep_ == "prep" and c.lower_ in ("for", "of", "on", "in", "at", "from") and c.right_edge.i - tok.i <= 6:
            last = c.right_edge
        elif c.dep_ == "acl" and c.tag_ == "VBG" and c.right_edge.i - tok.i <= 8:
            last = c.right_edge   # "a council representing the Albanian community"
    span = doc[first.i:last.i + 1]
    return Actor(text=span.text, start=span.start_char, end=span.end_char, name=None, i=span.start,
                 j=span.end, head=tok.i, kind="description")


def _actor_or_description(doc: Doc, tok: Token | None) -> Actor | None:
    if tok is None:
        return None
    found = actor_stage.actors_for_token(doc, tok.i)
    if found:
        return found[0]
    if tok.pos_ in ("NOUN", "PROPN"):
        return _describe(doc, tok)
    return None


def _issuer(tok: Token, cues: Cues) -> Token | None:
    """'a statement issued by the ministry', 'the ministry's statement': who a document speaks for."""
    if lemma(tok) not in cues["document_nouns"]:
        return None
    for c in tok.children:
        if c.dep_ == "poss":
            return c
        if c.dep_ == "acl":
            for g in c.children:
                if g.dep_ == "agent":
                    return next((p for p in g.children if p.dep_ == "pobj"), None)
        if c.dep_ == "prep" and c.lower_ in ("from", "by"):
            return next((p for p in c.children if p.dep_ == "pobj"), None)
    return None


def _source(doc: Doc, verb: Token) -> Actor | None:
    """Who says, claims, denies or threatens with `verb`: its subject, the agent of a
    passive ("was denied by the ministry"), the one "quoted as saying"."""
    subj = subject_of(verb)
    if subj is None:
        subj = _trailing_participle_speaker(verb, load_cues())
    if subj is None and verb.tag_ == "VBN":   # "two men suspected by the West of ...": the agent
        subj = next((p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"), None)
    if subj is None and verb.dep_ in ("advcl", "xcomp") and lemma(verb.head) == "quote":
        subj = next((c for c in verb.head.children if c.dep_ == "nsubjpass"), None)
    if subj is not None:
        subj = _issuer(subj, load_cues()) or subj
    return _actor_or_description(doc, subj)


def _according_to(doc: Doc, verbs: list[Token]) -> Actor | None:
    """'..., according to Iraqi police': the source hangs off a clause as a prep."""
    for verb in verbs:
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ == "according":
                for p in [p for to in c.children for p in to.children if p.dep_ == "pobj"]:
                    # "according to a communique from the army": a document speaks for its issuer
                    return _actor_or_description(doc, _issuer(p, load_cues()) or p)
    return None


def _sentence_sayer(ctx: Context, sent) -> Token | None:
    """A verb of saying that heads a sentence or hangs beside its main clause."""
    for tok in _sayers_of(ctx, sent):
        if tok.i == ctx.trigger.i or any(h.i == tok.i for h, _ in ctx.chain):
            continue
        return tok
    return None


SAYERS_KEY = "eventwire.modality.sayers"


def _sayers_of(ctx: Context, sent) -> list[Token]:
    """The verbs of saying that head the sentence or hang beside its main clause, found once
    per sentence (a sentence is asked about for each event it or its quote tells)."""
    found = ctx.doc.user_data.setdefault(SAYERS_KEY, {})
    sayers = found.get(sent.start)
    if sayers is None:
        speech = ctx.words("speech_verbs")
        sayers = found[sent.start] = [
            tok for tok in sent
            if lemma(tok) in speech and tok.pos_ == "VERB" and (tok.dep_ in ("ROOT", "parataxis") or tok.head.i == tok.i)]
    return sayers


def _quote_speaker(ctx: Context) -> Actor | None:
    """The speaker of a quote the event is told in: a verb of saying that heads the sentence
    (`"...," the minister said.`), or, for a quote that runs over several sentences, the one
    in the sentence that closes it or in the sentence that opens it with a colon."""
    sayer = _sentence_sayer(ctx, sentence_of(ctx.doc, ctx.trigger.i))
    if sayer is not None:
        return ctx.source_of(sayer)
    if not in_quotation(ctx.trigger):
        return None
    sents = sentences(ctx.doc)
    here = sentence_index(ctx.doc, ctx.trigger.i)
    for sent in sents[here + 1:here + 4]:
        if any(t.text in CLOSING_QUOTES or t.text == '"' for t in sent):
            sayer = _sentence_sayer(ctx, sent)
            return ctx.source_of(sayer) if sayer is not None else None
    if here > 0 and any(t.text == ":" for t in sents[here - 1][-3:]):
        sayer = _sentence_sayer(ctx, sents[here - 1])
        return ctx.source_of(sayer) if sayer is not None else None
    return None


def _reported_object(ctx: Context, verb: Token, link: str) -> bool:
    """'The ministry reported the arrest of 20 militants', 'the army confirmed the killing of two
    soldiers': an event noun that is the object of a verb of reporting is told on its subject's
    word (unlike "declared a state of siege", where the object is the act itself)."""
    return link in ("dobj", "obj") and ctx.event.nominal and lemma(verb) in ctx.words("report_object_verbs")


def nearest_source(ctx: Context) -> Actor | None:
    """The nearest source that tells the event: a verb of saying, claiming or denying above
    it, "according to", the speaker of its quote."""
    sayers = ctx.words("speech_verbs") | ctx.words("claim_verbs") | ctx.words("denial_verbs") | ctx.words("threat_verbs")
    for head, link in ctx.governing():
        tells = link in SAYING_LINKS or lemma(head) not in ctx.words("speech_verbs") or _reported_object(ctx, head, link)
        if lemma(head) in sayers and not is_passive(head) and tells:
            src = ctx.source_of(head)
            if src is not None:
                return src
    nouns = ctx.words("threat_nouns") | ctx.words("document_nouns") | ctx.words("report_nouns")
    held = ctx.words("intent_nouns") | ctx.words("possibility_nouns")
    for head, _ in ctx.chain:
        if head.pos_ == "NOUN" and lemma(head) in nouns | held:
            speaker = _noun_speaker(ctx.doc, head) if lemma(head) in nouns else _noun_holder(ctx, head)
            if speaker is not None:
                return speaker   # "warnings from Moscow", "held out the prospect of aid"
    verbs = ctx.locals + [h for h, _ in ctx.chain if h.pos_ in ("VERB", "AUX")] + [sentence_of(ctx.doc, ctx.trigger.i).root]
    return _according_to(ctx.doc, verbs) or _quote_speaker(ctx)


PERSONS = ({"he", "him", "his", "himself"}, {"she", "her", "herself"}, {"i", "me", "my", "myself"},
           {"we", "us", "our", "ourselves"}, {"they", "them", "their", "themselves"})


def _same_party(a: Actor, b: Actor) -> bool:
    if a.start == b.start:
        return True
    if a.kind == b.kind == "pronoun" and any({a.text.lower(), b.text.lower()} <= p for p in PERSONS):
        return True   # "he says he was ...": an unresolved pronoun and its repetition
    if a.name and b.name and a.name.lower() == b.name.lower():
        return True
    if a.sector and a.sector == b.sector and a.sector.lower() in load_cues()["kindred_sectors"] and \
            not (a.country and b.country and a.country != b.country) and not (a.kind == b.kind == "name"):
        return True   # "rebel commanders said the guerrillas were demobilized": the fighters' own side
    return bool(a.country and b.country and a.country == b.country and
                (a.sector == b.sector or not a.sector or not b.sector))


def _speaks_for(doc: Doc | None, speaker: Actor, event: Event) -> bool:
    """'a council representing the Kurdish villagers', 'a spokesman for the rebels': a source
    whose own words name a participant (beyond its head noun) speaks for it."""
    if doc is None or speaker.head < 0:
        return False
    head = doc[speaker.head]
    # only what follows the head: "representing X", "for X" (not "the French police")
    own = {lemma(t) for c in head.rights if c.dep_ in ("acl", "prep") for t in c.subtree
           if t.pos_ in ("NOUN", "PROPN", "ADJ")}
    for x in event.actors + event.recipients:
        if x.kind == "pronoun" or x.start == speaker.start or x.head < 0:
            continue
        words = {lemma(t) for t in doc[x.head].subtree if t.pos_ in ("NOUN", "PROPN", "ADJ")}
        if own & words:
            return True
    return False


def _is_party(speaker: Actor | None, event: Event, doc: Doc | None = None) -> bool:
    """The speaker is the event's actor or target (or on their side). The media report,
    they take no side."""
    if speaker is None:
        return False
    if _speaks_for(doc, speaker, event):
        return True
    if (speaker.sector or "").lower() in load_cues()["neutral_sectors"]:
        # a newspaper is on no country's side; it is a party only to what happened to itself
        return any(x.start == speaker.start or (x.name and x.name == speaker.name) or x.sector == speaker.sector
                   for x in event.actors + event.recipients)
    if any(_same_party(speaker, x) for x in event.actors + event.recipients):
        return True
    return _compatriot_of_a_side(speaker, event)


def _compatriot_of_a_side(speaker: Actor, event: Event) -> bool:
    """'Iraqi farmers said Turkish jets bombed the Iraqi army': between two countries, anyone
    of the target's country speaks for the side wronged, whatever their sector. (Not of the
    doer's country: a country's rebels and its army are compatriots on two sides.)"""
    doers = {a.country for a in event.actors if a.country}
    targets = {r.country for r in event.recipients if r.country}
    return bool(speaker.country) and bool(doers) and bool(targets) and not (doers & targets) and \
        speaker.country in targets


def _tells_own_act(speaker: Actor | None, event: Event) -> bool:
    """'Farmers said they would blockade Paris': saying it is the threat itself."""
    return event.type in SPEECH_ACT_TYPES and speaker is not None and \
        any(_same_party(speaker, a) for a in event.actors)


# ----------------------------------------------------------------------------- cues
# Each cue answers (fires, who it rests on); the source may be None (then the nearest source).

Fired = tuple[bool, Actor | None]
NO: Fired = (False, None)


def _has_child(tok: Token, deps: set[str], words: frozenset[str] | set[str]) -> bool:
    return any(c.dep_ in deps and (c.lower_ in words or lemma(c) in words) for c in tok.children)


def _negated_noun(noun: Token) -> bool:
    """'no arrests', 'not a single attack', 'without any warning'."""
    return _has_child(noun, {"det", "neg", "advmod"}, {"no", "not", "never"}) or \
        (noun.dep_ == "pobj" and noun.head.lower_ == "without")


def _proposal(ctx: Context, tok: Token) -> bool:
    """'rejected calls for aid', 'rejected the peace plan': what is rejected is a request or a
    plan, so its content is refused (`refusal`), not denied."""
    return tok.pos_ in ("NOUN", "PROPN") and lemma(tok) in ctx.words("request_nouns") | ctx.words("intent_nouns")


def _plan_denied(ctx: Context, verb: Token, noun: Token) -> bool:
    """'denied plans to send ground troops', 'denies any intention of closing the border': a
    plan said not to exist is a denial of what it plans (a request denied is refused)."""
    return lemma(verb) == "deny" and lemma(noun) in ctx.words("intent_nouns")


def _called_false(ctx: Context, noun: Token) -> bool:
    """'reports that ... were false', 'claims of ... are baseless', 'turned out to be bogus':
    the report the event is told in is the subject of a predicate of falsity."""
    if noun.dep_ not in ("nsubj", "nsubjpass") or lemma(noun) not in ctx.words("report_nouns"):
        return False
    pred = noun.head
    for _ in range(3):
        if is_negated(pred):
            return False
        if _has_child(pred, {"acomp", "attr", "oprd"}, ctx.words("falsity_words")):
            return True
        pred = next((c for c in pred.children if c.dep_ == "xcomp"), None)   # "turned out to be"
        if pred is None:
            return False
    return False


def cue_denial(ctx: Context) -> Fired:
    for head, link in ctx.chain:
        if link == "conj":
            continue
        if head.pos_ in ("NOUN", "PROPN") and link in ("acl", "ccomp", "prep", "relcl") and _called_false(ctx, head):
            return True, None   # on the word of whoever calls it false (the nearest source)
        if link in CLAUSE_BOUNDARIES:
            break
    below = ctx.trigger
    for head, link in ctx.chain:
        if lemma(head) in ctx.words("denial_verbs") and head.pos_ == "VERB" and link != "conj" and \
                not is_negated(head) and link in ("ccomp", "dobj", "obj", "xcomp") and \
                (not _proposal(ctx, below) or _plan_denied(ctx, head, below)):
            return True, ctx.source_of(head)
        below = head
    if ctx.event.type not in SPEECH_ACT_TYPES and ctx.sentence in ctx.story.denied:
        return True, ctx.story.denied[ctx.sentence]
    within = ctx.story.denied_within.get(ctx.sentence)
    if ctx.event.type not in SPEECH_ACT_TYPES and within is not None and ctx.trigger.i < within[0]:
        return True, within[1]
    return NO


def _checked(ctx: Context) -> bool:
    """'the talks could not be confirmed': the event is the subject of a check, whose negation
    and modal say it is unverified (`unverified`), not that it did not or could happen."""
    return bool(ctx.locals) and lemma(ctx.locals[0]) in ctx.words("verify_verbs") and ctx.locals[0].i != ctx.trigger.i


def _yet_to(verb: Token) -> bool:
    """'has yet to sign the deal': not done so far."""
    head = verb.head
    return verb.dep_ == "xcomp" and lemma(head) == "have" and _has_child(head, {"advmod"}, {"yet"})


NEGATIVE_SUBJECTS = {"nobody", "none", "nothing", "noone"}


def _negative_subject(verb: Token) -> bool:
    """'No aircraft bombed the village', 'none of the soldiers fired', 'nobody was arrested'."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return False
    return subj.lower_ in NEGATIVE_SUBJECTS or _has_child(subj, {"det"}, {"no"})


def _no_plan(ctx: Context) -> bool:
    """'had no plans to attack', 'has no intention of sending troops': a negated noun of intent
    above the event in its own clause."""
    for head, link in ctx.chain:
        if head.pos_ in ("NOUN", "PROPN") and lemma(head) in ctx.words("intent_nouns") and _negated_noun(head):
            return True
        if link in CLAUSE_BOUNDARIES or lemma(head) in ctx.words("speech_verbs"):
            return False
    return False


def _any_negation(ctx: Context) -> bool:
    if _checked(ctx):
        return False
    if _no_plan(ctx):
        return True
    if any(is_negated(v) or _yet_to(v) for v in ctx.locals):
        return True
    if ctx.locals and _negative_subject(ctx.locals[0]):
        return True
    if ctx.event.nominal and _negated_noun(ctx.trigger):
        return True
    # "There is no sign of an attack": a negated noun the trigger hangs from
    return any(_negated_noun(n) for n in ctx.path_nouns[:1] if lemma(n) not in ctx.words("report_nouns"))


def _committed(ctx: Context) -> bool:
    future = ctx.words("future_aux") | ctx.words("reported_future_aux") | ctx.words("possibility_aux")
    return any(_has_child(v, {"aux"}, future) for v in ctx.locals)


def cue_party_negation(ctx: Context) -> Fired:
    if not _any_negation(ctx) or _committed(ctx) or _refusal_record(ctx):
        return NO
    subj = subject_of(ctx.locals[0]) if ctx.locals else None
    if subj is not None and (subj.lower_ in FIRST_PERSON or _has_child(subj, {"poss"}, FIRST_PERSON_POSS)):
        return True, nearest_source(ctx)   # "we never ...", "our troops did not ..."
    if in_quotation(ctx.trigger):
        speaker = nearest_source(ctx)   # a negation in a speaker's own quoted words is his denial
        if speaker is not None and (speaker.sector or "").lower() not in ctx.words("neutral_sectors"):
            return True, speaker
    sayers = ctx.words("speech_verbs") | ctx.words("claim_verbs")
    for head, _ in ctx.governing():
        if lemma(head) in sayers:
            src = ctx.source_of(head)
            return (True, src) if _is_party(src, ctx.event, ctx.doc) else NO
    return NO


def _verb_lemmas(verb: Token) -> set[str]:
    """The verb's lemma, and with its particle: "turn" and "turn down"."""
    return {lemma(verb)} | {f"{lemma(verb)} {c.lower_}" for c in verb.children if c.dep_ == "prt"}


def cue_refusal(ctx: Context) -> Fired:
    refusal = ctx.words("refusal_verbs")
    below = ctx.trigger
    for head, link in ctx.chain:
        if link == "conj" or head.pos_ not in ("VERB", "AUX", "ADJ"):
            below = head
            continue
        if link in CLAUSE_BOUNDARIES and link != "ccomp":
            return NO
        # (also the passive subject: "the strike was called off", "the visit has been cancelled")
        if _verb_lemmas(head) & refusal and link in ("xcomp", "dobj", "obj", "prep", "pcomp", "ccomp", "nsubjpass") \
                and not is_negated(head):
            return True, None
        if link == "prep" and below.lower_ == "against" and lemma(head) in ctx.words("refusal_against_verbs") \
                and not is_negated(head):
            return True, None   # "voted against imposing sanctions"
        if lemma(head) in ctx.words("speech_verbs") | ctx.words("claim_verbs"):
            return NO
        below = head
    return NO


def _refusal_record(ctx: Context) -> bool:
    """'will not accept the plan' is coded as a REJECT: the negation made it, it is not negated."""
    return ctx.event.type == "REJECT" and bool(ctx.locals) and is_negated(ctx.locals[0])


def cue_negation(ctx: Context) -> Fired:
    return (True, None) if _any_negation(ctx) and not _refusal_record(ctx) else NO


def _conditional(verb: Token, marks: frozenset[str]) -> bool:
    """The verb is a condition ("if he strikes") or holds only under one ("would send if ...")."""
    if _has_child(verb, {"mark"}, marks):
        return True
    return any(c.dep_ == "advcl" and (lemma(c) in marks or _has_child(c, {"mark"}, marks)) for c in verb.children)


def cue_condition(ctx: Context) -> Fired:
    if _is_commitment_record(ctx):
        return NO
    marks = ctx.words("conditional_marks")
    verbs = list(ctx.locals)
    if ctx.event.nominal and not verbs:   # the verb a noun event hangs from ("linked to the attacks")
        verbs = [h for h, _ in ctx.chain if h.pos_ in ("VERB", "AUX")][:1]
    if ctx.event.nominal and _conditional(ctx.trigger, marks):
        return True, None
    if ctx.event.type in COMMITMENT_TYPES:
        # "threatened a strike if the deal is not reached", "promised aid if ...": the
        # condition is the threatened or promised act's; the threat or promise was made. Only
        # a threat itself told under a condition ("if they threaten ...") or offered only on
        # one ("would agree to talks if ...") is hypothetical.
        offered = ctx.words("possibility_aux") | ctx.words("conditional_aux")
        return (True, None) if any(_has_child(v, {"mark"}, marks) or
                                   (_conditional(v, marks) and _has_child(v, {"aux"}, offered))
                                   for v in verbs) else NO
    return (True, None) if any(_conditional(v, marks) for v in verbs) else NO


def _has_target(event: Event) -> bool:
    return any(r.country or r.sector or r.name for r in event.recipients)


def _threat_above(ctx: Context) -> tuple[Token, Actor | None] | None:
    """The verb or noun of threatening or warning the event is the content of, and who makes it."""
    threat = ctx.words("threat_verbs") | ctx.words("threat_nouns")
    for head, link in ctx.chain:
        if link == "conj":
            continue
        if lemma(head) in threat and link in ("xcomp", "ccomp", "dobj", "obj", "acl", "prep", "pobj", "pcomp"):
            return head, ctx.source_of(head) if head.pos_ == "VERB" else _noun_speaker(ctx.doc, head)
        if link in CLAUSE_BOUNDARIES:
            break
    return None


def _warned_about(ctx: Context) -> bool:
    """'Moscow warned that US strikes could harm ties', 'warned Iran against attacking
    shipping': another party's act that a warning is about is only possible."""
    above = _threat_above(ctx)
    return above is not None and _someone_elses_act(above[1], ctx.event)


def cue_threat(ctx: Context) -> Fired:
    above = _threat_above(ctx)
    if above is not None:
        head, threatener = above
        if _someone_elses_act(threatener, ctx.event):
            return NO   # a warning about another's act, no threat of it (see `cue_possibility`)
        return True, threatener if head.pos_ == "VERB" else None
    if ctx.event.type in ctx.words("threat_types") and ctx.event.type not in COMMITMENT_TYPES and \
            _has_target(ctx.event) and (cue_intention(ctx)[0] or cue_future(ctx)[0]) and \
            _foreseen_by_another(ctx) is None:
        return True, None   # "vowed to strike the rebels", "Americans will be killed"
    return NO


def _noun_speaker(doc: Doc, noun: Token) -> Actor | None:
    """Who a noun of saying or threatening is from: "Moscow's warning", "a warning from Moscow"."""
    speaker = next((c for c in noun.children if c.dep_ == "poss"), None) or \
        next((p for c in noun.children if c.dep_ == "prep" and c.lower_ in ("from", "by")
              for p in c.children if p.dep_ == "pobj"), None)
    return _actor_or_description(doc, speaker)


def _noun_holder(ctx: Context, noun: Token) -> Actor | None:
    """Who holds a plan, an offer or a prospect told by a noun: its possessor ("Beijing's
    plans"), or the subject of the verb it is the object of ("Beijing announced plans to ...",
    "the president held out the prospect of aid")."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is not None:
        return _actor_or_description(ctx.doc, poss)
    if noun.dep_ in ("dobj", "obj") and noun.head.pos_ in ("VERB", "AUX") and \
            (is_light_verb(noun.head) or lemma(noun.head) == "have"):
        return ctx.source_of(noun.head)   # (not "welcomed the plan": someone else's plan)
    return None


def _someone_elses_act(speaker: Actor | None, event: Event) -> bool:
    """The event's doers are known and none of them is on the speaker's side: a warning about
    what another party may do is no threat by the speaker to do it."""
    known = [a for a in event.actors if a.country or a.name]
    return speaker is not None and (speaker.country or speaker.name) is not None and bool(known) and \
        len(known) == len(event.actors) and not any(_same_party(speaker, a) for a in known)


def _is_commitment_record(ctx: Context) -> bool:
    """A THREATEN or AGREE record whose trigger is the act promised or threatened ("Americans
    will be killed if ...", "will give a grant"): the threat or promise is made now, its
    future and its condition are its content."""
    return ctx.event.type in COMMITMENT_TYPES and ctx.event.trigger_i in ctx.story.shared_triggers


def cue_possibility(ctx: Context) -> Fired:
    if ctx.event.type in COMMITMENT_TYPES or _checked(ctx):
        return NO
    if any(_has_child(v, {"aux"}, ctx.words("possibility_aux")) for v in ctx.locals):
        return True, None
    if _warned_about(ctx):
        return True, None
    if ctx.event.nominal and _has_child(ctx.trigger, {"amod"}, ctx.words("possibility_adjectives")):
        return True, None
    for noun in ctx.path_nouns:
        if lemma(noun) in ctx.words("possibility_nouns"):
            return True, _noun_holder(ctx, noun)   # "the prospect of more aid", "the risk of a war"
    if _option_left_open(ctx):
        return True, None
    foreseer = _foreseen_by_another(ctx)
    if foreseer is not None:
        return True, foreseer
    # "would" in the reporter's own words: a consequence imagined, not a plan announced
    reported = any(lemma(h) in _reporting_words(ctx) for h, _ in ctx.chain)
    if not reported and any(_has_child(v, {"aux"}, ctx.words("reported_future_aux")) for v in ctx.locals):
        return True, None
    return NO


def _option_left_open(ctx: Context) -> bool:
    """Possible, not done: the content of a refusal that is itself negated ("has not ruled out
    military action", "would never renounce the use of force") or of a predicate of likelihood
    ("are unlikely to attack", "is likely to meet"), up to the first clause of its own."""
    refusal, likely = ctx.words("refusal_verbs"), ctx.words("possibility_predicates")
    for head, link in ctx.chain:
        if link == "conj" or head.pos_ not in ("VERB", "AUX", "ADJ"):
            continue
        if link in CLAUSE_BOUNDARIES and link != "ccomp":
            return False
        if link in ("xcomp", "dobj", "obj", "prep", "pcomp", "ccomp") and \
                ((_verb_lemmas(head) & refusal and is_negated(head)) or lemma(head) in likely):
            return True
        if lemma(head) in ctx.words("speech_verbs") | ctx.words("claim_verbs"):
            return False
    return False


def _foreseen_by_another(ctx: Context) -> Actor | None:
    """A future act that someone else only fears or believes will come ("critics fear the junta
    will crack down", "analysts think the rebels would attack"), or that another country says
    will come ("Moscow said Kiev would attack"): a forecast, not the doer's plan. Returns who
    foresees it (the subject of the verb of belief or saying right above the act)."""
    future = ctx.words("future_aux") | ctx.words("reported_future_aux")
    if not any(_has_child(v, {"aux"}, future) for v in ctx.locals):
        return None
    own = {v.i for v in ctx.locals}
    for head, link in ctx.governing():
        if head.i in own:
            continue   # the act's own clause ("would break the law by attacking")
        if link not in ("ccomp", "xcomp"):
            return None
        src = ctx.source_of(head)
        if src is None:
            return None
        if lemma(head) in ctx.words("hedge_verbs"):
            return src if not _is_party(src, ctx.event, ctx.doc) else None
        # "Moscow said Kiev would attack": another country's forecast, not Kiev's plan
        if lemma(head) in ctx.words("speech_verbs") and _of_another_country(src, ctx.event):
            return src
        return None
    return None


def _of_another_country(speaker: Actor, event: Event) -> bool:
    """The speaker's country is known and no doer of the event is of it (every doer's is known)."""
    countries = [a.country for a in event.actors]
    return bool(speaker.country) and bool(countries) and all(countries) and speaker.country not in countries


def _reporting_words(ctx: Context) -> frozenset[str]:
    return (ctx.words("speech_verbs") | ctx.words("claim_verbs") | ctx.words("intent_verbs")
            | ctx.words("threat_verbs") | ctx.words("intent_nouns") | ctx.words("threat_nouns")
            | ctx.words("hedge_verbs") | ctx.words("intent_adjectives"))


def _intent_word(ctx: Context, tok: Token) -> bool:
    """A verb, noun or adjective of intention, as the part of speech its list is for ("is set
    to visit", not "set off on a march")."""
    lem = lemma(tok)
    if tok.pos_ in ("VERB", "AUX") and lem in ctx.words("intent_verbs"):
        return True
    if tok.pos_ in ("NOUN", "PROPN") and lem in ctx.words("intent_nouns"):
        return True
    predicative = tok.pos_ == "ADJ" or (tok.tag_ == "VBN" and any(c.dep_ in ("auxpass", "aux") for c in tok.children)
                                        or tok.dep_ in ("acomp", "amod"))
    return predicative and (lem in ctx.words("intent_adjectives") or tok.lower_ in ctx.words("intent_adjectives"))


def cue_intention(ctx: Context) -> Fired:
    if ctx.event.type in COMMITMENT_TYPES and ctx.trigger.pos_ in ("VERB", "AUX") and \
            lemma(ctx.trigger) in ctx.words("intent_verbs"):
        return NO   # "pledged to ...": the pledge itself is made now
    if ctx.event.type == "THREATEN" and _is_commitment_record(ctx):
        return NO   # "vowed that ... will be killed": the threat is made now (a promise to
                    # cooperate stays `intended`, as AGREE records of plans always were)
    if ctx.event.nominal and _has_child(ctx.trigger, {"amod", "acl"}, ctx.words("intent_adjectives")):
        return True, None   # "a planned visit", "the upcoming talks"
    for head, link in ctx.chain:
        if link == "conj":
            continue
        if _intent_word(ctx, head) and link in ("xcomp", "ccomp", "dobj", "obj", "acl", "prep", "pobj", "pcomp", "acomp"):
            committer = ctx.source_of(head) if head.pos_ in ("VERB", "AUX", "ADJ") else _noun_holder(ctx, head)
            return True, committer   # who plans, decides or promises it
        if link in CLAUSE_BOUNDARIES or lemma(head) in ctx.words("speech_verbs"):
            break
    return NO


def cue_future(ctx: Context) -> Fired:
    if ctx.event.type in COMMITMENT_TYPES or _refusal_record(ctx):
        return NO
    if any(_has_child(v, {"aux"}, ctx.words("future_aux")) for v in ctx.locals):
        return True, None
    if any(_going_to(v) for v in ctx.locals):
        return True, None
    reported = any(lemma(h) in _reporting_words(ctx) for h, _ in ctx.chain)
    if reported and any(_has_child(v, {"aux"}, ctx.words("reported_future_aux")) for v in ctx.locals):
        return True, None
    return NO


def _going_to(verb: Token) -> bool:
    """'is going to strike', 'is to visit'."""
    return verb.dep_ == "xcomp" and lemma(verb.head) in ("go", "be") and \
        any(c.lower_ == "to" for c in verb.children if c.dep_ == "aux") and verb.head.tag_ in ("VBG", "VBZ", "VBP", "VBD")


def cue_request(ctx: Context) -> Fired:
    """What is asked for has not happened: 'called for the release of the prisoners', 'urged
    the army to withdraw', 'demands for a ceasefire'. (A request refused is `refusal`.)"""
    below: Token | None = None
    for head, link in ctx.chain:
        if link == "conj":
            below = head
            continue
        if head.pos_ in ("NOUN", "PROPN") and lemma(head) in ctx.words("request_nouns") and link in ("prep", "acl"):
            if link == "acl" or (below is not None and below.lower_ in ctx.words("request_preps")):
                return True, _noun_speaker(ctx.doc, head) or _noun_holder(ctx, head)
        if head.pos_ in ("VERB", "AUX"):
            asked = lemma(head) in ctx.words("request_verbs") and link in ("xcomp", "ccomp", "dobj", "obj")
            asked_for = link == "prep" and below is not None and below.lower_ in ctx.words("request_preps") and \
                lemma(head) in ctx.words("request_verbs") | ctx.words("request_prep_verbs")
            if asked or asked_for:
                return True, ctx.source_of(head)
            if link in CLAUSE_BOUNDARIES or lemma(head) in ctx.words("speech_verbs"):
                return NO
        below = head
    return NO


def cue_question(ctx: Context) -> Fired:
    return (True, None) if ctx.sentence in ctx.story.questions and not ctx.governing() else NO


def _hearsay(ctx: Context) -> tuple[Token, Actor | None] | None:
    """'allegations that soldiers beat detainees', 'reports of fighting in the north', 'the
    army's claim that it downed a drone': the event is the content of a noun of hearsay.
    Returns the noun and who it is from."""
    below: Token = ctx.trigger
    for head, link in ctx.chain:
        if head.pos_ in ("NOUN", "PROPN") and lemma(head) in ctx.words("hearsay_nouns") and (
                link in ("acl", "ccomp") or (link == "prep" and below.lower_ in ("of", "about"))):
            # who it is from: "the army's claim", "reports from Goma" (not "allegations of abuse
            # by soldiers": the soldiers are the accused)
            speaker = next((c for c in head.children if c.dep_ == "poss"), None) or \
                next((p for p in pobjs(head, ("from",))), None)
            return head, _actor_or_description(ctx.doc, speaker)
        if link in CLAUSE_BOUNDARIES or head.pos_ in ("VERB", "AUX"):
            return None
        below = head
    return None


def cue_hedge(ctx: Context) -> Fired:
    w = ctx.words
    heard = _hearsay(ctx)
    if heard is not None and not _is_party(heard[1], ctx.event, ctx.doc):
        return True, heard[1]   # "allegations of torture by the police"
    if ctx.event.nominal and _has_child(ctx.trigger, {"amod", "advmod", "acl"}, w("hedge_adjectives") | w("hedge_adverbs")):
        return True, None   # "the alleged attack"
    if any(_has_child(n, {"amod"}, w("hedge_adjectives")) for n in ctx.path_nouns):
        return True, None   # "his alleged part in the atrocities", "her possible role in rioting"
    if any(_has_child(v, {"advmod", "npadvmod"}, w("hedge_adverbs")) for v in ctx.locals):
        return True, None
    for head, link in ctx.chain:
        if link == "conj":
            continue
        lem = lemma(head)
        if head.pos_ == "VERB" and lem in w("hedge_verbs") and link in ("ccomp", "xcomp", "prep", "pcomp", "dobj", "oprd"):
            return True, ctx.source_of(head)
        if head.pos_ == "VERB" and is_passive(head) and lem in w("hedge_passive_verbs") and link in ("xcomp", "ccomp", "oprd", "dobj"):
            return True, None   # "is said to have", "were reported killed"
        if lem in w("hedge_raising_verbs") and link == "xcomp":
            return True, None   # "appears to show"
        if _has_child(head, {"advmod"}, w("hedge_adverbs")):
            return True, None
    src = nearest_source(ctx)
    if src is not None and src.kind == "description" and lemma(ctx.doc[src.head]) in w("vague_sources") \
            and not any(t.dep_ in ("compound", "amod") for t in ctx.doc[src.head].lefts):
        return True, src   # "according to reports"
    return NO


def _claims_responsibility(verb: Token, cues: Cues) -> bool:
    return any(lemma(c) in cues["claim_nouns"] for c in verb.children if c.dep_ in ("dobj", "obj"))


def cue_claim(ctx: Context) -> Fired:
    w = ctx.words
    heard = _hearsay(ctx)
    if heard is not None and _is_party(heard[1], ctx.event, ctx.doc):
        return True, heard[1]   # "the army's claim that it downed a drone"
    for verb in ctx.locals[:1]:   # "claimed responsibility for the bombing" (the light verb)
        if verb.i != ctx.trigger.i and _claims_responsibility(verb, ctx.cues):
            return True, ctx.source_of(verb)
    for head, link in ctx.chain:
        if link == "conj":
            continue
        lem = lemma(head)
        if lem in w("claim_nouns") and link in ("prep", "pobj", "pcomp"):
            verb = head.head if head.dep_ in ("dobj", "obj") else None
            return True, ctx.source_of(verb) if verb is not None else None
        if head.pos_ != "VERB":
            continue
        if lem in w("speech_verbs") and link not in SAYING_LINKS and not _reported_object(ctx, head, link):
            continue   # "declared a state of siege": the verb's object is no report
        if lem in w("claim_verbs") | w("speech_verbs") | w("allegation_verbs") and not is_passive(head):
            src = ctx.source_of(head)
            if _tells_own_act(src, ctx.event):
                return NO
            adversary = lem in w("allegation_verbs") and _adversaries(ctx, src, ctx.event.actors)
            return (True, src) if _is_party(src, ctx.event, ctx.doc) or lem in w("claim_verbs") or adversary else NO
    src = _according_to(ctx.doc, ctx.locals + [sentence_of(ctx.doc, ctx.trigger.i).root]) or _quote_speaker(ctx)
    if _is_party(src, ctx.event, ctx.doc) and not _tells_own_act(src, ctx.event):
        return True, src
    subj = subject_of(ctx.locals[0]) if ctx.locals else None
    if src is not None and subj is not None and in_quotation(ctx.trigger) and \
            (subj.lower_ in FIRST_PERSON or _has_child(subj, {"poss"}, FIRST_PERSON_POSS)):
        return True, src   # "'Our troops shelled the camp,' the colonel said": his own side's deed
    return NO


def _partisan(ctx: Context, actor: Actor) -> bool:
    """A side in politics or a conflict: a state, its government, forces, rebels, opposition."""
    if actor.sector:
        return actor.sector.lower() in ctx.words("partisan_sectors")
    return actor.country is not None and actor.kind != "description"


def _adversaries(ctx: Context, accuser: Actor | None, accused: list[Actor]) -> bool:
    """'The government accused the rebels of violating the truce': one side charging another
    makes a claim of its side; a rights group or a newspaper charging anyone alleges."""
    return accuser is not None and _partisan(ctx, accuser) and \
        any(_partisan(ctx, a) and not _same_party(accuser, a) for a in accused)


def cue_allegation(ctx: Context) -> Fired:
    w = ctx.words
    blamed = False   # "... said the group was responsible for the attacks"
    for head, link in ctx.chain:
        if link == "conj":
            continue
        if lemma(head) in w("responsibility_words") and link in ("prep", "pobj", "pcomp"):
            blamed = True
        if head.pos_ != "VERB":
            continue
        if lemma(head) in w("allegation_verbs"):
            src = ctx.source_of(head)   # (the agent of a passive; none: "was accused of ...")
            return (False, None) if _tells_own_act(src, ctx.event) else (True, src)
        if lemma(head) in w("speech_verbs") and link in SAYING_LINKS:
            return (True, ctx.source_of(head)) if blamed else NO
    return NO


def cue_unverified(ctx: Context) -> Fired:
    return (True, None) if ctx.sentence in ctx.story.unverified else NO


def cue_asserted(ctx: Context) -> Fired:
    return True, None


CUES: dict[str, Callable[[Context], Fired]] = {
    "denial": cue_denial, "party_negation": cue_party_negation, "refusal": cue_refusal,
    "negation": cue_negation, "condition": cue_condition, "threat": cue_threat,
    "possibility": cue_possibility, "intention": cue_intention, "future": cue_future,
    "question": cue_question, "request": cue_request, "hedge": cue_hedge, "claim": cue_claim,
    "allegation": cue_allegation,
    "unverified": cue_unverified, "asserted": cue_asserted,
}


def status_of(ctx: Context) -> tuple[str, Actor | None]:
    """The first row of the precedence whose cue fires; the source it names, else the
    nearest source that tells the event."""
    for cue, status in ctx.cues.precedence:
        fired, source = CUES[cue](ctx)
        if fired:
            if source is None:
                source = nearest_source(ctx)
            if source is None and status in ("intended", "threatened") and ctx.event.actors:
                source = ctx.event.actors[0]   # "Finland will give ...": the one who commits
            return status, source
    return "asserted", None


def dated_status(doc: Doc, e: Event) -> str:
    """After dating, by the event's own date: an asserted event dated well before the story is
    `historical`; one dated after the story's day and told in the present or future ("meet on
    Monday" in Friday's paper) is `intended` (scheduled, not yet happened)."""
    cues = load_cues()
    pub_date = doc._.pub_date
    if pub_date is None or e.status != "asserted" or not e.date or e.date.text is None:
        return e.status
    if e.date.latest and date.fromisoformat(e.date.latest) < pub_date - timedelta(days=cues.historical_days):
        return "historical"
    verb = doc[e.anchor_i if e.anchor_i >= 0 else e.trigger_i]
    past = is_past(verb)
    if e.date.earliest and date.fromisoformat(e.date.earliest) > pub_date and not past and \
            e.type not in COMMITMENT_TYPES:   # a threat or promise is made now, whatever its date
        return "intended"
    return e.status


# ----------------------------------------------------------------------------- propagation

def _negated_check(tok: Token, cues: Cues) -> bool:
    """'could not be (independently) confirmed', 'has not been verified', 'unable to verify'."""
    if lemma(tok) not in cues["verify_verbs"] or tok.pos_ != "VERB":
        return False
    if is_negated(tok):
        return True
    head = tok.head
    return tok.dep_ == "xcomp" and (is_negated(head) or lemma(head) in ("unable", "impossible"))


def _points_back(tok: Token, cues: Cues) -> bool:
    return lemma(tok) in cues["report_nouns"] or tok.pos_ == "PRON"


def unverified_sentences(doc: Doc) -> set[int]:
    """Sentences telling something the story says could not be confirmed.

    "The authenticity of the video could not be confirmed": the nouns 'video' (and 'claim',
    'report' ...) are unverified sources; every sentence mentioning them is unverified, and so
    is the sentence before when the subject only points back ("The claim could not be
    verified.", "It could not be independently confirmed.") or when there is none ("This has
    not been confirmed"). A check that fails inside a sentence covers that sentence.
    """
    cues = load_cues()
    sources: set[str] = set()
    out: set[int] = set()
    sents = sentences(doc)
    for n, sent in enumerate(sents):
        for tok in sent:
            if not _negated_check(tok, cues):
                continue
            checked = tok if tok.dep_ != "xcomp" else tok.head
            subjects = [c for c in checked.children if c.dep_ in ("nsubjpass", "nsubj")]
            out.add(n)
            if not subjects or all(_points_back(s, cues) for s in subjects) and n > 0:
                out.add(n - 1)
            for subj in subjects:
                for t in subj.subtree:
                    if t.pos_ == "NOUN" and t.dep_ in ("nsubjpass", "nsubj", "pobj", "conj"):
                        sources.add(lemma(t))
    sources -= {"authenticity", "veracity", "accuracy", "information", "detail", "claim", "report"}
    if sources:
        out |= {n for n, sent in enumerate(sents) if any(lemma(t) in sources for t in sent)}
    return out


def denied_reports(doc: Doc) -> tuple[dict[int, Actor | None], dict[int, tuple[int, Actor | None]]]:
    """'The ministry denied the report.': a denial whose object only points back at what the
    sentence before told makes the events told there `denied`, on the denier's word. A denial
    coordinated after the clause it points back at ("The general said the army took the town,
    but the rebels denied it.") covers what its own sentence told before it. Returns both:
    sentence -> denier, and sentence -> (token of the denial, denier)."""
    cues = load_cues()
    out: dict[int, Actor | None] = {}
    within: dict[int, tuple[int, Actor | None]] = {}
    for n, sent in enumerate(sentences(doc)):
        for tok in sent:
            if tok.pos_ != "VERB" or lemma(tok) not in cues["denial_verbs"] or is_negated(tok):
                continue
            objects = [c for c in tok.children if c.dep_ in ("dobj", "obj", "nsubjpass")]
            if not (objects and all(_points_back(o, cues) and not any(c.dep_ in ("acl", "relcl", "prep") for c in o.children)
                                    for o in objects)):
                continue
            if tok.dep_ in ("conj", "parataxis", "advcl") and tok.head.i < tok.i:
                within.setdefault(n, (tok.i, _source(doc, tok)))
            elif n > 0:
                out.setdefault(n - 1, _source(doc, tok))
    return out, within


def story_cues(doc: Doc) -> StoryCues:
    questions = {n for n, sent in enumerate(sentences(doc))
                 if any(t.text == "?" for t in sent[-3:]) and not any(t.text in ('"', "''", "\u201d") for t in sent[-3:])}
    denied, denied_within = denied_reports(doc)
    return StoryCues(unverified_sentences(doc), denied, questions, denied_within=denied_within)


def derived_accusations(doc: Doc, events: list[Event]) -> list[Event]:
    """A party saying it was wronged accuses the doer: 'Turkey said the plane violated its
    airspace' -> ACCUSE(Turkey -> the plane's side), told by the verb of saying."""
    cues = load_cues()
    sayers = cues["speech_verbs"] | cues["claim_verbs"]
    out = []
    for ev in events:
        if ev.type not in cues.accusable_types or ev.attributed_to is None or not ev.actors \
                or ev.status not in ("claimed", "asserted"):
            continue
        speaker = ev.attributed_to
        if speaker.sector == "CVL" or (speaker.sector is None and speaker.country is None):
            continue  # accusations are between political actors, not private persons
        if not any(_same_party(speaker, r) for r in ev.recipients):
            continue
        start = doc[ev.anchor_i if ev.anchor_i >= 0 else ev.trigger_i]
        head = next((h for h, link in _climb(start, cues) if link != "conj" and lemma(h) in sayers), None)
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
    cues = load_cues()
    story = story_cues(doc)
    types_at: dict[int, set[str]] = {}
    for ev in events:
        types_at.setdefault(ev.trigger_i, set()).add(ev.type)
    story.shared_triggers = {i for i, types in types_at.items() if len(types) > 1}
    sent_of = {t.i: n for n, sent in enumerate(sentences(doc)) for t in sent}
    for ev in events:
        ev.status, ev.attributed_to = status_of(context(doc, ev, story, cues, sent_of))
    doc._.events = events + derived_accusations(doc, events)
    return doc
