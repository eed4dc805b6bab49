"""Modes: the PLOVER 2.0 mode of each event, read from the whole event, not the verb alone.

Runs right after the events stage. The lexicon gave each event a first mode from its trigger
word; here the event's parts are gathered (its trigger words, its doer, its instrument, its
object and, for threats, demands and refusals, the act they name) and the mode table of
`data/modes.yaml` picks the first mode of the event's type whose cue is among them:
"jets bombed the town" is an air attack (doer), "attacked with machetes" a primitive one
(instrument), "fired tear gas" crowd control (object), "threatened to arrest" a threat of
arrest (content). Where the event names no mode of its own, the story's headline may
("Air strike kills four" over a body that says "the attack"), before the weak cues (general
words such as "protest") and the lexicon's first guess.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Token

from eventwire.coref import headline_end
from eventwire.datafiles import layered, parse_yaml
from eventwire.events import objects_of, subject_of
from eventwire.nlp import load_model
from eventwire.records import Event
from eventwire.syntax import lemma, pobjs, tokens_starting_in

PARTS = ("trigger", "doer", "instrument", "object", "content", "setting")
# Prepositions that name what an act was done with or by.
INSTRUMENT_PREPS = ("with", "by", "using", "via", "through", "from")
# Verbs whose object is the means of the act they go with ("using machetes", "used drones to").
MEANS_VERBS = ("use", "wield", "deploy", "employ")
# Prepositions that name the occasion an act took place at ("met at a summit", "talks on the
# sidelines of the conference", "during the assembly").
SETTING_PREPS = ("at", "during", "on")
# Prepositions on an event noun that name what it was done to or about.
OBJECT_PREPS = ("of", "on", "against", "into")
# Prepositions on an event about another act that name that act ("a threat of arrest",
# "called for the release", "a request for aid").
CONTENT_PREPS = ("of", "for", "to", "on", "about", "with")
# Arcs that hang a clause or a thing told about off an event: the act a threat names.
CONTENT_DEPS = ("xcomp", "ccomp", "dobj", "obj", "attr", "nsubjpass")
# Names are no act: "asked the Court of Human Rights to order a release" asks for a release, not
# for rights. Words inside these entities are left out of the act a threat or demand names (a
# law's name still names a law).
NAME_ENTITIES = ("ORG", "PERSON", "GPE", "FAC", "LOC", "NORP", "WORK_OF_ART")
# How deep the act a threat or demand names is followed through clauses it takes.
CONTENT_DEPTH = 2
# Arcs of that act that tell what it is done to, and the prepositions that do.
CORE_ARG_DEPS = ("dobj", "obj", "attr", "nsubjpass", "dative", "prt", "oprd", "acomp")
CORE_PREPS = CONTENT_PREPS + ("from", "against", "into", "off", "out", "in", "between")
# Clauses that describe a noun rather than name the act: not part of a doer or object.
DESCRIPTIVE_DEPS = ("relcl", "acl", "appos", "punct", "cc", "conj")


@dataclass
class ModeRule:
    mode: str
    cameo: str | None
    cues: dict[str, tuple[str, ...]]   # part -> cues, each its words padded with spaces (see `_cues`)
    # trigger words too general to outrank the headline ("protest" says a demonstration only
    # when nothing more specific is told): tried after the headline
    weak: tuple[str, ...] = ()
    # cues of other parts that must be there too: part -> cues ("strike" for prisoners)
    with_cues: dict[str, tuple[str, ...]] | None = None
    name: str = ""   # the rule's key in the table (several rules may give one mode)


@dataclass
class ModeTable:
    rules: dict[str, list[ModeRule]]     # type -> rules, tried in order
    use_headline: bool = True            # an event with no mode of its own takes the headline's

    def allowed(self, etype: str) -> set[str]:
        # (the modes rules give, whatever their keys)
        return {r.mode for r in self.rules.get(etype, ())}


def _cues(words) -> tuple[str, ...]:
    """Cue words as runs of words, each written as the part's words are (`_words`): one
    space between words and one on either side, so that a cue is found as a substring and
    matches whole words only. The tokenizer splits a hyphenated word ("cease-fire", "sit-in")
    into its parts and a hyphen, which is punctuation and left out of the event's words; the
    cue is split the same way. A list inside the list (a YAML alias of another mode's cues)
    counts its words as if written out."""
    flat = [w for item in words or () for w in (item if isinstance(item, list) else [item])]
    return tuple(f" {' '.join(str(w).lower().replace('-', ' ').split())} " for w in flat)


def _load(paths: tuple[str, ...]) -> ModeTable:
    rules: dict[str, list[ModeRule]] = {}
    use_headline = True
    for path in paths:   # later files first: a user's modes are tried before the packaged ones
        data = parse_yaml(Path(path).read_text(encoding="utf-8")) or {}
        use_headline = bool(data.get("use_headline", use_headline))
        for etype, modes in (data.get("types") or {}).items():
            new = []
            for key, spec in (modes or {}).items():
                spec = spec or {}
                cues = {part: _cues(spec.get(part)) for part in PARTS}
                for part in ("trigger", "doer", "instrument", "object"):
                    cues[part] += _cues(spec.get("any"))
                with_cues = {part: _cues(words) for part, words in (spec.get("with") or {}).items()
                             if part in PARTS} or None
                new.append(ModeRule(mode=str(spec.get("mode") or key), name=str(key),
                                    cameo=str(spec["cameo"]) if spec.get("cameo") else None,
                                    cues=cues, weak=_cues(spec.get("weak")), with_cues=with_cues))
            rules[etype] = new + [r for r in rules.get(etype, []) if r.name not in {n.name for n in new}]
    return ModeTable(rules, use_headline)


def load_modes() -> ModeTable:
    """The mode table, with the user's files from EVENTWIRE_MODES layered on top."""
    return layered("modes.yaml", "EVENTWIRE_MODES", _load)


# ----------------------------------------------------------------------------- event parts

def _phrase(tok: Token) -> list[Token]:
    """A noun with its own modifiers ("a powerful car bomb", "riot police"), not the clauses
    that describe it."""
    out = [tok]
    for c in tok.children:
        if c.dep_ in DESCRIPTIVE_DEPS:
            continue
        if c.dep_ in ("compound", "amod", "nmod", "poss", "nummod", "det", "npadvmod") or (
                c.dep_ == "prep" and c.lower_ == "of"):
            out += _phrase(c) if c.dep_ != "prep" else [t for p in c.children if p.dep_ == "pobj" for t in _phrase(p)]
    return out


def _trigger_tokens(doc: Doc, ev: Event) -> list[Token]:
    toks = tokens_starting_in(doc, ev.trigger_start, ev.trigger_end)
    trig = doc[ev.trigger_i]
    # a noun trigger's own modifiers: "a drone strike", "the general strike"
    if trig.pos_ in ("NOUN", "PROPN"):
        toks += [c for c in trig.children if c.dep_ in ("compound", "amod") and c.i < trig.i]
    # a verb's particle: "blew up", "cut off"
    toks += [c for c in trig.children if c.dep_ == "prt"]
    return toks


def _doer_tokens(doc: Doc, ev: Event) -> list[Token]:
    trig, anchor = doc[ev.trigger_i], doc[ev.anchor_i] if ev.anchor_i >= 0 else doc[ev.trigger_i]
    out: list[Token] = []
    for verb in {trig.i: trig, anchor.i: anchor}.values():
        if verb.pos_ in ("VERB", "AUX"):
            subj = subject_of(verb)
            if subj is not None:
                out += _phrase(subj)
    if trig.pos_ in ("NOUN", "PROPN"):
        out += [t for c in trig.children if c.dep_ in ("poss", "compound", "amod") and c.i < trig.i
                for t in _phrase(c)]
    for verb in (trig, anchor):
        out += [t for p in pobjs(verb, ("by",), deps=("agent", "prep")) for t in _phrase(p)]
    return out


def _instrument_tokens(doc: Doc, ev: Event) -> list[Token]:
    out: list[Token] = []
    trig = doc[ev.trigger_i]
    anchor = doc[ev.anchor_i] if ev.anchor_i >= 0 else trig
    for tok in {trig.i: trig, anchor.i: anchor}.values():
        out += [t for p in pobjs(tok, INSTRUMENT_PREPS, deps=("prep", "agent")) for t in _phrase(p)]
        # "..., using machetes", "attacks using chemicals": a participle naming the means
        for c in tok.children:
            if c.dep_ in ("advcl", "xcomp", "acl") and lemma(c) in MEANS_VERBS:
                out += [t for o in objects_of(c) for t in _phrase(o)]
        # "used drones to fire a rocket": the act is the purpose of using something
        if tok.dep_ in ("xcomp", "advcl") and lemma(tok.head) in MEANS_VERBS:
            out += [t for o in objects_of(tok.head) for t in _phrase(o)]
        # "a gunman armed with a pistol killed ...": what the doer was armed with
        subj = subject_of(tok) if tok.pos_ in ("VERB", "AUX") else None
        for c in (subj.children if subj is not None else ()):
            if c.dep_ in ("acl", "amod") and lemma(c) in ("arm", "equip", "wield", "carry"):
                out += [t for p in pobjs(c, ("with",)) for t in _phrase(p)] + \
                    [t for o in objects_of(c) for t in _phrase(o)]
    return out


def _object_tokens(doc: Doc, ev: Event) -> list[Token]:
    trig = doc[ev.trigger_i]
    anchor = doc[ev.anchor_i] if ev.anchor_i >= 0 else trig
    out: list[Token] = []
    for tok in {trig.i: trig, anchor.i: anchor}.values():
        if tok.pos_ in ("VERB", "AUX"):
            out += [t for o in objects_of(tok) if o.i != trig.i for t in _phrase(o)]
    if trig.pos_ in ("NOUN", "PROPN"):
        out += [t for p in pobjs(trig, OBJECT_PREPS) for t in _phrase(p)]
    return out


def _content_tokens(doc: Doc, ev: Event) -> list[Token]:
    """The act a threat, demand or refusal names: its complement clause or object, or the
    'of'/'for' phrase of a noun ("a threat of arrest", "calls for the release")."""
    trig = doc[ev.trigger_i]
    anchor = doc[ev.anchor_i] if ev.anchor_i >= 0 else trig
    # an act told as a promise or threat ("said it would suspend talks") is its own content
    out: list[Token] = _trigger_tokens(doc, ev) + _object_tokens(doc, ev)
    for tok in {trig.i: trig, anchor.i: anchor}.values():
        for c in tok.children:
            if (c.dep_ in CONTENT_DEPS or _is_to_clause(c)) and c.i != trig.i:
                out += _act_core(c, CONTENT_DEPTH)
        out += [t for p in pobjs(tok, CONTENT_PREPS) for t in _act_core(p, CONTENT_DEPTH)]
    return [t for t in out if t.ent_type_ not in NAME_ENTITIES or t.i == trig.i]


def _act_core(tok: Token, depth: int) -> list[Token]:
    """The act a clause or noun names and what it is done to: the word with its modifiers,
    its particle and objects, its prepositional phrases and, a level or two down, the act of
    a clause it takes ("urged them to agree to release"). Not the clauses that only describe
    ("prisoners held since May", "who criticised the change"), which the whole subtree would
    bring in with their own words."""
    out = _phrase(tok)
    for c in tok.children:
        if c.dep_ in CORE_ARG_DEPS:
            out += [c] if c.dep_ == "prt" else _phrase(c)
        elif c.dep_ == "prep" and c.lower_ in CORE_PREPS:
            out += [c] + [t for p in c.children if p.dep_ == "pobj" for t in _phrase(p)]
        elif depth and (c.dep_ in ("xcomp", "ccomp", "pcomp") or _is_to_clause(c) or _is_to_acl(c)):
            out += _act_core(c, depth - 1)
        elif depth and c.dep_ == "conj" and tok.pos_ in ("NOUN", "PROPN") and c.pos_ in ("NOUN", "PROPN"):
            out += _act_core(c, depth - 1)   # "the release of prisoners and an end to the curfew"
    return out


def _is_to_clause(tok: Token) -> bool:
    """'declined on Friday to meet him': the parser may hang a 'to' infinitive set apart
    from its verb as an adverbial clause; it still names the act."""
    return tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _is_to_acl(tok: Token) -> bool:
    """'calls to reform the law', 'a plan to annex': a 'to' infinitive on a noun names what is
    called for or planned."""
    return tok.dep_ in ("acl", "relcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _setting_tokens(doc: Doc, ev: Event) -> list[Token]:
    """The occasion the act took place at: "met at a summit", "on the sidelines of the
    assembly" (with the 'of' phrase, as any noun's)."""
    trig = doc[ev.trigger_i]
    anchor = doc[ev.anchor_i] if ev.anchor_i >= 0 else trig
    return [t for tok in {trig.i: trig, anchor.i: anchor}.values()
            for p in pobjs(tok, SETTING_PREPS) for t in _phrase(p)]


PART_READERS = {"trigger": _trigger_tokens, "doer": _doer_tokens, "instrument": _instrument_tokens,
                "object": _object_tokens, "content": _content_tokens, "setting": _setting_tokens}


# Tags of words left out of a part's words: articles and possessives sit inside the phrases
# cues name ("lay down their arms", "cut off the internet", "a hunger strike") and say nothing
# of the kind of act.
SKIPPED_TAGS = ("DT", "PRP$")


def _words(tokens: list[Token]) -> tuple[str, str]:
    """The part as two strings to look cues up in: lemmas and lower-cased words, in text
    order, padded with spaces so that a cue matches whole words only."""
    toks = sorted({t.i: t for t in tokens if not t.is_punct and t.tag_ not in SKIPPED_TAGS}.values(),
                  key=lambda t: t.i)
    return (" " + " ".join(lemma(t) for t in toks) + " ", " " + " ".join(t.lower_ for t in toks) + " ")


def _has_cue(texts: tuple[str, str], cues: tuple[str, ...]) -> bool:
    lemmas, words = texts
    return any(cue in lemmas or cue in words for cue in cues)


def _own_mode(doc: Doc, ev: Event, rules: list[ModeRule]) -> ModeRule | None:
    """The first rule of the event's type whose cue is among the event's own parts (with the
    cues of its `with` parts there too)."""
    parts: dict[str, tuple[str, str]] = {}

    def words_of(part: str) -> tuple[str, str]:
        if part not in parts:
            parts[part] = _words(PART_READERS[part](doc, ev))
        return parts[part]

    for rule in rules:
        if rule.with_cues and not all(_has_cue(words_of(p), c) for p, c in rule.with_cues.items()):
            continue
        if any(cues and _has_cue(words_of(part), cues) for part, cues in rule.cues.items()):
            return rule
    return None


def _weak_mode(doc: Doc, ev: Event, rules: list[ModeRule]) -> ModeRule | None:
    """The first rule with a weak cue among the event's trigger words."""
    words = _words(_trigger_tokens(doc, ev))
    return next((r for r in rules if r.weak and _has_cue(words, r.weak)), None)


def mode_of(doc: Doc, ev: Event, table: ModeTable | None = None) -> tuple[str | None, str | None]:
    """(mode, cameo) for one event on its own: the first mode of its type whose cue is in the
    event, else a weak cue's, else the lexicon's mode when the type has it, else no mode
    (cameo None: keep the event's). The headline, which needs the whole story, is `annotate`'s."""
    table = table or load_modes()
    rules = table.rules.get(ev.type)
    if rules is None:
        return ev.mode, None
    rule = _own_mode(doc, ev, rules) or _weak_mode(doc, ev, rules)
    if rule is not None:
        return rule.mode, rule.cameo
    return (ev.mode if ev.mode in table.allowed(ev.type) else None), None


# ----------------------------------------------------------------------------- the headline

HEADLINE_PIPES = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")
# A "title" longer than this is no headline (a pasted lead paragraph, a page's whole caption):
# a bag of that many words names too many things to tell one event's kind.
HEADLINE_MAX_WORDS = 30


def headline_words(doc: Doc) -> tuple[str, str] | None:
    """The story's headline as lemmas and words, or None when it has none.

    Headlines are set in Title Case, which the tagger reads as names ("Air Force Bombs
    Camp": "Bombs" a proper noun, its lemma not "bomb"); lower-cased, the words are tagged
    and lemmatised as the running text they are. Only tagging is needed: the headline's
    cues are looked up as a bag of words, since a headline is one short clause about one
    event."""
    article = doc._.article
    title = ((article.title if article is not None else None) or "").strip()
    if not title or len(title.split()) > HEADLINE_MAX_WORDS:
        return None
    nlp = load_model()   # the shared model, already loaded
    head = nlp.make_doc(title.lower())
    for name in HEADLINE_PIPES:
        if name in nlp.pipe_names:
            head = nlp.get_pipe(name)(head)
    return _words(list(head))


# Parts whose cues are looked for in the headline. An object alone, without the act done to
# it, says little in a bag of words ("ceasefire over border dispute" is no border opened).
HEADLINE_PARTS = ("trigger", "doer", "instrument", "content")


def headline_mode(words: tuple[str, str], rules: list[ModeRule]) -> ModeRule | None:
    """The first rule whose cue, of a part the headline can tell, is a word or run of words
    of the headline."""
    for rule in rules:
        if rule.with_cues and not all(_has_cue(words, c) for c in rule.with_cues.values()):
            continue
        if any(_has_cue(words, rule.cues[part]) for part in HEADLINE_PARTS):
            return rule
    return None


def annotate(doc: Doc) -> Doc:
    """Give every event its mode. An event whose own parts name none may take the headline's:
    a story's headline tells the kind of its lead event ("Air strike kills four") that the
    body often goes on to call just "the attack" or "the killing". The headline's mode of a
    type goes to the body's events of that type that name no mode of their own (mostly
    mentions of that same event, merged later); it outranks the weak cues and the lexicon's
    first guess from the trigger word, never a cue of the event itself."""
    table = load_modes()
    body_start = headline_end(doc)   # a headline in the text is merged into the body's event
    unmarked: dict[str, list[Event]] = {}
    for ev in doc._.events or []:
        rules = table.rules.get(ev.type)
        if rules is None:
            continue
        rule = _own_mode(doc, ev, rules)
        if rule is not None:
            _set(ev, rule)
            continue
        ev.mode = ev.mode if ev.mode in table.allowed(ev.type) else None
        if ev.trigger_start >= body_start:
            unmarked.setdefault(ev.type, []).append(ev)
        elif (weak := _weak_mode(doc, ev, rules)) is not None:
            _set(ev, weak)
    words = headline_words(doc) if unmarked and table.use_headline else None
    for etype, evs in unmarked.items():
        rule = headline_mode(words, table.rules[etype]) if words else None
        for ev in evs:
            chosen = rule or _weak_mode(doc, ev, table.rules[etype])
            if chosen is not None:
                _set(ev, chosen)
    return doc


def _set(ev: Event, rule: ModeRule) -> None:
    ev.mode = rule.mode
    if rule.cameo:
        ev.cameo = rule.cameo
