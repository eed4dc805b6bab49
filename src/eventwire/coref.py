"""Coreference: who and what a story keeps talking about.

Two spaCy components share this module, because both answer "is this the same one as
before?" for a story:

- `annotate_entities` (after the actors stage): a surname alone ("Mr. Okafor" after "Daniel
  Okafor"), pronouns ("it", "they", "his"), relative pronouns ("rebels who ...") and definite
  descriptions ("the group", "the ambassador") take the name, country and sector of an
  earlier compatible actor mention. It reads the mentions
  the actors stage left on `doc._.actor_mentions` and writes the completed `doc._.actors` and
  the actor index the events stage queries.
- `annotate_events` (after places and times), below.

Event coreference: the mentions of one event in a story become one event.

A story tells its main event several times ("gunmen attacked a bus", "the attack", "Monday's
shooting") and repeats background events. Each telling is a candidate from the events stage;
this component links those that tell the same event and keeps one `Event` per real event, the
others listed in its `mentions` (text, offsets, sentence) as extra evidence.

Two mentions corefer when
- they are *repeated mentions*: same type, compatible mode and trigger word (or the same mode),
  no conflicting countries among their parties, overlapping dates, and a shared participant or
  the same town (`same_event`); or
- the later one is an *anaphoric description*: a noun trigger made definite by "the", a
  demonstrative or a possessive ("the attack", "this week's raid", "Monday's blast") that names
  no party of its own and whose type matches an earlier event that it does not contradict
  (`is_anaphoric`). It links to the nearest such earlier event.

What keeps two mentions apart (`compatible`): other countries, or towns far apart; statuses
that contradict; doers on different sides; other victims, or a toll many times larger. A state
and its organs count as one participant ("Nigeria", "Nigerian troops"), its civilians or rebels
do not.

A headline restates the story's main event in telegraphic English ("Convoy ambushed in
north"): a headline mention joins the first event of its type told in the body, which leads
(its parties come from full sentences).

The first telling leads: later mentions fill its empty fields. Mentions told only as context
("after the shooting") are evidence for an event told elsewhere, never an event alone.

Runs after the places and times stages (their fields decide compatibility); reads and writes
`doc._.events`.
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from eventwire.actors import OBJ, SUBJ, Mention
from eventwire.datafiles import word_sets
from eventwire.nlp import ACTOR_INDEX_KEY, sentence_of
from eventwire.records import Actor, Event, TimeExpr
from eventwire.syntax import km, tokens_where

# Two towns closer than this are one scene (a city and its suburb, a camp beside a town).
SAME_TOWN_KM = 50.0
# ... and a province and a place closer than this may be one (the town may lie in it).
SAME_PROVINCE_KM = 250.0


def words() -> dict:
    """The stage's word lists (data/coref.yaml, user-extensible), as sets."""
    return word_sets("coref.yaml")


def annotate_events(doc: Doc) -> Doc:
    doc._.events = merge_mentions(list(doc._.events or []), doc)
    return doc


# ============================================================================ entities

def annotate_entities(doc: Doc) -> Doc:
    """Resolve pronouns, relative pronouns and definite descriptions, in text order."""
    mentions: list[Mention] = list(doc._.actor_mentions or [])
    by_head, covered = doc.user_data.get(ACTOR_INDEX_KEY) or ({}, {})
    prons = []
    for tok in tokens_where(doc, "POS", ["PRON"]):
        if _pron_kind(tok) and not _expletive(tok):
            a = Actor(text=tok.text, start=tok.idx, end=tok.idx + len(tok.text), i=tok.i, j=tok.i + 1,
                      head=tok.i, kind="pronoun")
            pm = Mention(a, person=True if _pron_kind(tok) == "person" else None,
                         plural=_pron_kind(tok) == "plural", lemma=tok.lower_)
            prons.append(pm)
    _link_surnames(doc, mentions)
    _link_short_names(doc, mentions)
    all_m = sorted(mentions + prons, key=lambda m: (m.actor.i, -(m.actor.j - m.actor.i)))
    for m in all_m:
        if m.actor.kind == "pronoun":
            ante = _resolve_pronoun(doc, m, by_head, all_m)
            if ante is None and _pron_kind(doc[m.actor.i]) == "plural":
                ante = _resolve_pronoun(doc, m, by_head, all_m, collective=True)
            if ante is not None:
                _adopt(m, ante)
            else:
                m.cluster = -2 - m.actor.i
            by_head[m.actor.i] = m
        elif _is_description(doc, m):
            ante = _resolve_description(doc, m, all_m)
            if ante is not None:
                _adopt(m, ante, keep_sector=True)
                m.actor.kind = "description"
    # possessive pronouns lend their country to the phrase they modify ("its army")
    for m in mentions:
        if m.actor.country is None and not m.nested:
            head = doc[m.actor.head]
            for c in head.lefts:
                if c.dep_ == "poss" and c.i in by_head and by_head[c.i].actor.country:
                    m.actor.country = by_head[c.i].actor.country
                    break
    # relative pronouns: "a warplane that ...", "rebels who ..."
    for tok in tokens_where(doc, "LOWER", words()["relative"]):
        if tok.tag_ in ("WDT", "WP", "WP$") and tok.head.dep_ == "relcl":
            noun = tok.head.head
            ante = by_head.get(noun.i)
            if ante is not None and tok.i not in by_head:
                a = replace(ante.actor, text=tok.text, start=tok.idx, end=tok.idx + len(tok.text),
                            i=tok.i, j=tok.i + 1, head=tok.i, kind="pronoun")
                rm = Mention(a, person=ante.person, plural=ante.plural, entry=ante.entry, lemma=tok.lower_,
                             cluster=ante.cluster)
                all_m.append(rm)
                by_head[tok.i] = rm
    all_m.sort(key=lambda m: (m.actor.i, -(m.actor.j - m.actor.i)))
    doc._.actors = [m.actor for m in all_m]
    doc.user_data[ACTOR_INDEX_KEY] = (by_head, covered)
    return doc


def _pron_kind(tok: Token) -> str | None:
    """What a personal pronoun can stand for: "person", "thing" or "plural" (None: not one)."""
    low = tok.lower_
    return next((kind for kind, forms in words()["pronouns"].items() if low in forms), None)


def _expletive(tok: Token) -> bool:
    if tok.lower_ != "it":
        return False
    if tok.dep_ == "expl":
        return True
    h = tok.head
    kids = {c.dep_ for c in h.children}
    if tok.dep_ == "nsubjpass" and ("ccomp" in kids or "xcomp" in kids):
        return True                                   # "it is believed that ..."
    w = words()
    if any(c.dep_ == "acomp" and c.lemma_.lower() in w["personal_adjectives"] for c in h.children):
        return False                                  # "it is willing to ..." is a real 'it'
    if h.lemma_ in w["linking_verbs"] and ({"acomp", "attr"} & kids) \
            and ({"ccomp", "xcomp", "advcl"} & kids or any(c.dep_ == "acomp" and any(g.dep_ in ("ccomp", "xcomp") for g in c.children) for c in h.children)):
        return True                                   # "it was not clear whether ..."
    if tok.dep_ == "nsubj" and h.lemma_ in w["empty_subject_verbs"]:
        return True
    return False


def _compatible(kind: str, m: Mention, collective: bool = False) -> bool:
    """Can a pronoun of this kind point back to `m`? With `collective`, a plural pronoun may
    also take a body spoken of as "they" (see `collective_nouns`): the second search, only
    when no plural was found."""
    if kind == "plural" and collective and not m.plural and m.person is not True:
        return m.lemma in words()["collective_nouns"] or bool(m.entry and m.entry.kind == "org")
    if kind == "person":
        return m.person is True and not m.plural or (m.person is None and not m.plural)
    if kind == "thing":
        return m.person is not True and not m.plural and not (m.entry and m.entry.kind == "demonym")
    if kind == "plural":
        if m.plural:
            return True
        e = m.entry
        w = words()
        return bool(e and e.kind == "org" and e.sector in w["plural_sectors"]) or m.lemma in w["org_like"]
    return False


def _person_name_words(doc: Doc, m: Mention) -> list[Token]:
    """The words of a person's name the dictionaries do not know, titles left out ("Mr.
    Okafor" -> [Okafor]); empty for known entries, non-persons and names inside a phrase."""
    a = m.actor
    if a.kind != "name" or m.entry is not None or m.person is False or m.nested:
        return []
    titles = word_sets("mentions.yaml")["title_abbreviations"]
    toks = [t for t in doc[a.i:a.j] if t.pos_ == "PROPN" and t.lower_.rstrip(".") not in titles]
    return toks if toks and toks[-1].i == a.head else []


def _link_surnames(doc: Doc, mentions: list[Mention]) -> None:
    """A surname alone refers to the person last named in full with it: "Daniel Okafor ...
    Okafor said" is one person, who keeps the full name's sector and country."""
    full: dict[str, Mention] = {}
    for m in sorted(mentions, key=lambda m: m.actor.i):
        name = _person_name_words(doc, m)
        if len(name) > 1 and m.person:
            full[name[-1].lower_] = m
        elif len(name) == 1 and name[0].lower_ in full:
            _adopt(m, full[name[0].lower_], keep_sector=True)


def _short_names(doc: Doc, m: Mention) -> tuple[set[str], str | None]:
    """The short names an organisation named in full goes by later, and its sector. A company
    ("Halvorsen Motor Co."): its first word, its words without the legal form, its initials
    ({"halvorsen", "halvorsen motor", "hm"}), a business. Any other organisation of known
    sector named in two or more capitalised words ("the Securities and Exchange Commission"):
    its initials only ("sec"), with its sector. Empty for anything else."""
    a = m.actor
    suffixes = words()["company_suffixes"]
    if a.kind not in ("name", "role") or m.entry is not None:
        return set(), None
    toks = [t for t in doc[a.i:a.j] if t.pos_ == "PROPN" or t.lower_ in suffixes]
    # (a legal form heads its phrase, so the actors stage may have read it as a role word)
    if len(toks) >= 2 and toks[-1].lower_ in suffixes:
        stem = [t.text for t in toks[:-1] if t.lower_ not in suffixes]
        if not stem:
            return set(), None
        aliases = {stem[0].lower(), " ".join(stem).lower()}
        if len(stem) > 1 and all(w[:1].isupper() for w in stem):
            aliases.add("".join(w[0] for w in stem).lower())
        return aliases, "BUS"
    name = [t for t in doc[a.i:a.j] if t.is_alpha and t.lower_ not in words()["name_function_words"]]
    if a.sector is None or len(name) < 2 or not all(t.is_title for t in name):
        return set(), None
    return {"".join(t.text[0] for t in name).lower()}, a.sector


def _link_short_names(doc: Doc, mentions: list[Mention]) -> None:
    """Short names of an organisation the story names in full anywhere ("Halvorsen Motor Co.
    ... Halvorsen said", "the Securities and Exchange Commission ... the SEC"): the same
    organisation, with its sector. Initials count only written in capitals."""
    full: dict[str, tuple[Mention, str]] = {}
    for m in mentions:
        aliases, sector = _short_names(doc, m)
        for alias in aliases:
            full.setdefault(alias, (m, sector))
    if not full:
        return
    for m in mentions:
        a = m.actor
        if a.kind != "name" or m.entry is not None or a.sector is not None:
            continue
        words_of = [t for t in doc[a.i:a.j] if t.pos_ == "PROPN"]
        found = full.get(" ".join(t.lower_ for t in words_of))
        if found is None or found[0] is m:
            continue
        org, sector = found
        if sector != "BUS" and not (len(words_of) == 1 and words_of[0].is_upper):
            continue   # another body's initials must be written as initials ("SEC")
        a.name = org.actor.name or org.actor.text
        a.sector = sector
        a.country = a.country or org.actor.country
        m.cluster = org.cluster


def _adopt(m: Mention, ante: Mention, keep_sector: bool = False) -> None:
    a = m.actor
    a.name = ante.actor.name or ante.actor.text
    a.country = ante.actor.country
    w = words()
    yields_sector = m.lemma in w["org_like"] or m.lemma in w["person_nouns"]
    if not keep_sector or a.sector is None or ante.actor.sector is not None and yields_sector:
        a.sector = ante.actor.sector
    m.cluster = ante.cluster
    m.entry = ante.entry
    if m.person is None:
        m.person = ante.person


def _is_description(doc: Doc, m: Mention) -> bool:
    a = m.actor
    w = words()
    if m.nested or a.kind != "role" or m.lemma not in w["description_heads"]:
        return False
    if doc[a.i].lower_ not in w["definite_determiners"]:
        return False
    return a.country is None or m.lemma in w["descriptions_with_country"]


def _resolve_description(doc: Doc, m: Mention, all_m: list[Mention]) -> Mention | None:
    window = _window_start(doc, m.actor.head, 3)
    w = words()
    member_nouns = w["org_like"] | w["armed_member_nouns"]
    best = None
    for c in reversed(all_m):
        if c.actor.j > m.actor.i or c.actor.i < window or c is m:
            continue
        if c.actor.kind == "pronoun" and c.cluster < 0:
            continue
        lem = m.lemma
        if c.lemma == lem and c.actor.kind != "pronoun":
            return c                                            # same head noun
        if best is None:
            if lem in w["country_nouns"] and c.entry and c.entry.kind == "country" and not c.place:
                best = c
            elif lem in member_nouns and c.entry \
                    and c.entry.kind == "org" and c.entry.sector in w["group_sectors"]:
                best = c
    return best


def _window_start(doc: Doc, i: int, sentences: int) -> int:
    start = sentence_of(doc, i).start
    for _ in range(sentences):
        if start == 0:
            break
        start = sentence_of(doc, start - 1).start
    return start


def _resolve_pronoun(doc: Doc, p: Mention, by_head: dict, all_m: list[Mention],
                     collective: bool = False) -> Mention | None:
    """Hobbs-like search: climb from the pronoun through its ancestors; at each level look at
    the earlier children's phrases (breadth first, left to right), subjects first; the first
    compatible mention wins. An object pronoun never takes the subject of its own clause
    (nor anything in that subject's chain): "the man ... decapitating him" is not the man.
    A reflexive takes exactly that subject. Then earlier sentences, up to three back: their
    subjects first, then the rest left to right. Place mentions ("in Syria") come last."""
    tok = doc[p.actor.i]
    kind = _pron_kind(tok)
    reflexive = tok.lower_ in words()["reflexive"]
    is_object = tok.dep_ in OBJ
    excluded: set[int] = set()
    places: list[Mention] = []

    state_owned = tok.dep_ == "poss" and tok.head.lemma_.lower() in words()["state_possessions"]

    def ok(m: Mention | None) -> bool:
        return m is not None and m is not p and m.actor.j <= p.actor.i and _compatible(kind, m, collective) \
            and not (m.actor.kind == "pronoun" and m.cluster < 0 and m.cluster != -1) \
            and (not state_owned or _a_state(m))

    # same sentence
    child, node = tok, tok.head
    local = True                                     # still inside the pronoun's own clause chain
    seen_levels = 0
    possessive = tok.dep_ == "poss"
    while True:
        if child.dep_ == "conj" and ok(by_head.get(node.i)) and node.i < tok.i:
            return by_head[node.i]
        if possessive and child.dep_ in ("acl", "relcl", "prep") and ok(by_head.get(node.i)) \
                and by_head[node.i].actor.head == node.i:
            return by_head[node.i]
        subjects, others = [], []
        for c in node.children:
            if c.i == child.i or c.i >= tok.i:
                continue
            for t in _bfs(c):
                if t.i >= tok.i:
                    continue
                m = by_head.get(t.i)
                if m is None or not ok(m):
                    continue
                (subjects if t.dep_ in SUBJ and t.head.i == node.i else others).append(m)
        if local and is_object and not reflexive:
            for m in subjects:
                excluded.add(m.cluster)
            subjects = []
        if reflexive and subjects:
            return subjects[0]
        for m in subjects + others:
            if m.cluster in excluded:
                continue
            if m.place:
                places.append(m)
                continue
            return m
        if node.dep_ in ("ROOT",) or node.head.i == node.i:
            break
        if node.dep_ not in ("xcomp", "conj", "aux", "auxpass", "prep", "pobj", "dobj", "advmod", "acomp"):
            local = False
        child, node = node, node.head
        seen_levels += 1
        if seen_levels > 40:
            break
    # earlier sentences
    sent = sentence_of(doc, tok.i)
    for _ in range(3):
        if sent.start == 0:
            break
        sent = sentence_of(doc, sent.start - 1)
        cands = [by_head.get(t.i) for t in sent]
        cands = [m for m in cands if ok(m) and m.cluster not in excluded]
        if not cands:
            continue
        cands.sort(key=lambda m: (m.place, doc[m.actor.head].dep_ not in SUBJ,
                                  doc[m.actor.head].head.dep_ != "ROOT", m.nested, m.actor.i))
        return cands[0]
    return places[0] if places else None


def _a_state(m: Mention) -> bool:
    """A country or its government: what can own an airspace or a border."""
    a = m.actor
    return a.country is not None and (a.sector == "GOV" or (a.sector is None and a.kind == "name"))


def _bfs(root: Token):
    queue = [root]
    while queue:
        t = queue.pop(0)
        yield t
        queue.extend(t.children)





# ============================================================================== events


# ------------------------------------------------------------------------ compatibility

def _identity(a: Actor) -> set[str]:
    """Keys under which two mentions are one party: the name, and the country together with
    the side of it that acts. A state and its organs are one party ("Nigeria", "Nigerian
    troops", "the government"); its civilians, rebels or firms are others ("Nigerian
    protesters" are not the troops who fired on them)."""
    keys = set()
    if a.name:
        keys.add("n:" + a.name.lower())
    if a.country:
        keys.add(f"c:{a.country}/{_side(a)}")
    return keys


def _side(a: Actor) -> str:
    """The side of a country an actor stands for: "state" for the state and its organs (a
    country named as a party is its state), else its sector, else how it was found."""
    if a.sector in word_sets("dedup.yaml")["state_sectors"] or (a.sector is None and a.kind == "name" and a.country):
        return "state"
    return a.sector or a.kind


def _named(actors: list[Actor]) -> list[Actor]:
    """Parties the text names (not the event's place standing in for a target)."""
    return [a for a in actors if a.kind != "place"]


def _conflicting(xs: list[Actor], ys: list[Actor]) -> bool:
    """Two actor lists that both name countries but share none describe different parties."""
    cx = {a.country for a in xs if a.country}
    cy = {a.country for a in ys if a.country}
    return bool(cx and cy and not cx & cy)


def _identities(actors: list[Actor]) -> set[str]:
    """Every name and country the actors go by."""
    return set().union(*(_identity(x) for x in actors))


def _shares_participant(a: Event, b: Event) -> bool:
    return bool(_identities(a.actors + a.recipients) & _identities(b.actors + b.recipients))


def _dates_overlap(a: TimeExpr | None, b: TimeExpr | None) -> bool:
    if not a or not b or a.text is None or b.text is None or not a.earliest or not b.earliest:
        return True
    return a.earliest <= b.latest and b.earliest <= a.latest


def _stated_place(e: Event):
    """The event's place when the text states it (not the story's place standing in)."""
    return e.location if e.location is not None and not e.location.inferred_from else None


def _places_agree(a: Event, b: Event) -> bool:
    """Places stated in two countries, or at two towns far apart ("rallies in Lagos and in
    Abuja"), are two events; a town and its province or country may be one."""
    pa, pb = _stated_place(a), _stated_place(b)
    if not (pa and pb):
        return True
    if pa.country and pb.country and pa.country != pb.country:
        return False
    return not _distinct_towns(pa, pb)


def _distinct_towns(pa, pb) -> bool:
    levels = {pa.level, pb.level}
    if not levels <= {"city", "province"} or pa.geonameid == pb.geonameid:
        return False
    if None in (pa.lat, pa.lon, pb.lat, pb.lon):
        return False
    # a province's centre may lie far from its towns: only a longer distance separates it
    limit = SAME_TOWN_KM if levels == {"city"} else SAME_PROVINCE_KM
    return km(pa.lat, pa.lon, pb.lat, pb.lon) > limit


def _same_kind_who_where_when(a: Event, b: Event) -> bool:
    """Same type, and neither the doers' countries, the places nor the dates disagree."""
    return a.type == b.type and not _conflicting(a.actors, b.actors) and _places_agree(a, b) \
        and _dates_overlap(a.date, b.date)


# How much a toll may grow when a story updates it (see `_different_victims`).
TOLL_UPDATE_FACTOR = 2

# Statuses that tell an event as having happened, on the reporter's word or a party's.
TOLD_AS_FACT = {"asserted", "historical", "claimed", "unconfirmed"}


def compatible(a: Event, b: Event) -> bool:
    """Nothing in the two mentions says they are different events."""
    if a.mode and b.mode and a.mode != b.mode:
        return False
    if a.status != b.status and not (a.status in TOLD_AS_FACT and b.status in TOLD_AS_FACT):
        return False   # "troops shelled the town" and "the army denied shelling it": two reports
    return _same_kind_who_where_when(a, b) and not _conflicting(a.recipients, b.recipients) \
        and not _different_victims(a, b) and not _different_doers(a, b)


def _different_doers(a: Event, b: Event) -> bool:
    """'The president's son met X' and 'the president met X': both name who acted, no name
    or country is shared, and they stand on different sides (a state's organ, an armed
    group, a relative ...): two acts. Two names for one side ("troops", "soldiers") may be
    one, and a person named without a known role may be anyone told of before."""
    da, db = _named(a.actors), _named(b.actors)
    if not da or not db or _identities(da) & _identities(db):
        return False
    sa, sb = {_doer_side(x) for x in da}, {_doer_side(x) for x in db}
    if None in sa or None in sb:
        return False
    return not sa & sb


def _doer_side(a: Actor) -> str | None:
    """`_side`, with rebels and opposition as one side; None for a person known only by name
    or pronoun (who may be anyone), "role" for any other party of no known sector."""
    side = _side(a)
    if side in word_sets("dedup.yaml")["opposition_sectors"]:
        return "opposition"
    if side in ("name", "pronoun"):
        return None
    return "role" if a.sector is None and side != "state" else side


def _different_victims(a: Event, b: Event) -> bool:
    """'Police arrested two men' ... 'police arrested six protesters': another count of
    people not said to be the same ones is another event. (A toll told again for the same
    victims, "the attack killed 12 soldiers ... the 15 soldiers killed", shares them.)"""
    counts = [(getattr(a.size, k), getattr(b.size, k)) for k in ("killed", "injured", "arrested")
              if getattr(a.size, k) is not None and getattr(b.size, k) is not None]
    if not counts or all(x == y for x, y in counts):
        return False
    # a toll corrected or updated later in a story changes by a little; a count several
    # times larger ("3 soldiers killed last week" ... "200 killed since 1985") tallies other acts
    if any(max(x, y) > TOLL_UPDATE_FACTOR * max(min(x, y), 1) for x, y in counts):
        return True
    return not _identities(_named(a.recipients)) & _identities(_named(b.recipients))


def same_event(a: Event, b: Event) -> bool:
    """Repeated mentions: the same word (or mode) and a shared party or town; or, within one
    sentence, the same type where one of the two names no party ("rebels shelled the town,
    and the shelling went on all night")."""
    if not compatible(a, b):
        return False
    if a.sentence == b.sentence and not (_has_parties(a) and _has_parties(b)):
        return True
    if a.lemma != b.lemma and not (a.mode and a.mode == b.mode):
        return False
    return _shares_participant(a, b) or _same_place(a, b)


def _has_parties(e: Event) -> bool:
    return bool(_named(e.actors) or _named(e.recipients))


def _told_of(doc: Doc, subject: Event, e: Event) -> bool:
    """`e`'s verb says what `subject`'s noun did: "a strike killed twelve", "the raid left
    five dead"."""
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.i == subject.trigger_i
               for c in doc[e.trigger_i].children)


def _identified_parties(e: Event) -> bool:
    """The mention names a party the reader can tell (a name, a country or a sector), not
    only an unresolved "he" or "they"."""
    return any(a.name or a.country or a.sector for a in _named(e.actors) + _named(e.recipients)
               if a.kind != "pronoun" or a.country or a.sector)


def _same_place(a: Event, b: Event) -> bool:
    """'bombed a bus in Quetta' ... 'the Quetta bus bombing': same word, same town."""
    pa, pb = _stated_place(a), _stated_place(b)
    return bool(a.lemma == b.lemma or a.mode) and bool(
        pa and pb and pa.geonameid and pa.geonameid == pb.geonameid and
        pa.level in ("city", "province", "feature"))


def is_anaphoric(doc: Doc, e: Event) -> bool:
    """A noun trigger made definite ("the raid", "this attack", "Monday's blast") that names
    no party of its own: it points back to an event already told."""
    if not e.nominal or _named(e.actors) or _named(e.recipients):
        return False
    if not 0 <= e.trigger_i < len(doc):
        return False
    tok = doc[e.trigger_i]
    definite = words()["definite_determiners"]
    for child in tok.lefts:
        if child.dep_ == "det" and child.lower_ in definite:
            return True
        if child.dep_ == "poss":
            return True
    return False


# ------------------------------------------------------------------------------ merging

def _mention(e: Event) -> dict:
    return {"text": e.trigger_text, "start": e.trigger_start, "end": e.trigger_end,
            "sentence": e.sentence}


def _group_for(doc: Doc, e: Event, groups: list[list[Event]]) -> list[Event] | None:
    # a group's mentions are all of one type, and only mentions of one type are compatible:
    # the other groups are passed over at once (a long story has hundreds)
    for g in groups:
        if g[0].type == e.type and all(same_event(e, other) for other in g):
            return g
    if is_anaphoric(doc, e):
        # the nearest earlier telling of a compatible event
        for g in reversed(groups):
            if g[0].type == e.type and _told(g) and all(compatible(e, o) for o in g) and _specifics_agree(e, g):
                return g
    return None


def _told(group: list[Event]) -> bool:
    """The group has a mention that tells the event (not only one that refers to it as context)."""
    return any(not o.background for o in group)


def _specifics_agree(anaphor: Event, group: list[Event]) -> bool:
    """A description that brings its own place or date ("the attacks in Paris", "Monday's
    blast") points back only to an event told with the same place or date: otherwise it is a
    different event of the same kind."""
    place = _stated_place(anaphor)
    if place and place.country:
        if not any(_stated_place(o) and _stated_place(o).country == place.country for o in group):
            return False
    if anaphor.date and anaphor.date.text is not None:
        if not any(o.date and o.date.text is not None and _dates_overlap(o.date, anaphor.date) for o in group):
            return False
    return True


def _fill(lead: Event, other: Event) -> None:
    """The lead mention keeps its own fields and takes the ones it lacks from another."""
    lead.actors = lead.actors or other.actors
    lead.recipients = lead.recipients or other.recipients
    if lead.location is None or (lead.location.inferred_from and _stated_place(other) is not None):
        lead.location = other.location   # a place the text states beats the story's
    if (lead.date is None or lead.date.text is None) and other.date and other.date.text:
        lead.date = other.date
    for k in ("killed", "injured", "arrested"):
        if getattr(lead.size, k) is None:
            setattr(lead.size, k, getattr(other.size, k))
    if lead.attributed_to is None and other.attributed_to is not None and lead.status == other.status:
        lead.attributed_to = other.attributed_to
    lead.mentions.append(_mention(other))
    lead.mentions.extend(other.mentions)


def headline_end(doc: Doc) -> int:
    """Character offset where the story's headline ends (0 when it has none)."""
    article = doc._.article
    title = (article.title or "").strip() if article is not None else ""
    if not title or not article.text.lstrip().startswith(title):
        return 0
    return article.text.index(title) + len(title)


def _join_headline(headline: list[Event], groups: list[list[Event]]) -> list[list[Event]]:
    """Each headline mention joins the first body event of its type it does not contradict.
    Looser than `compatible`: a telegraphic headline's mode and recipients are often misread."""
    for h in headline:
        body = next((g for g in groups if _told(g) and
                     all(_same_kind_who_where_when(h, o) for o in g)), None)
        if body is not None:
            body.append(h)
        else:
            groups.insert(0, [h])
    return groups


def merge_mentions(events: list[Event], doc: Doc) -> list[Event]:
    """One event per group of coreferent mentions, in text order."""
    groups: list[list[Event]] = []
    end = headline_end(doc)
    headline = [e for e in events if e.trigger_start < end]
    events = [e for e in events if e.trigger_start >= end]
    for e in sorted(events, key=lambda e: e.trigger_start):
        g = _group_for(doc, e, groups)
        if g is not None:
            g.append(e)
        else:
            groups.append([e])
    groups = _join_headline(headline, groups)
    merged = []
    for g in groups:
        told = [e for e in g if not e.background]
        if not told:
            continue  # only ever mentioned as context: no record of its own
        # the first telling leads: later mentions usually refer back to it ("the bombing");
        # a headline leads only an event the body does not tell
        in_body = [e for e in told if e.trigger_start >= end] or told
        # a mention that names its parties leads one that names none ("a mediation effort ...
        # had sent an envoy"): the record's trigger, date and status come from the lead; but
        # not a verb that tells what the first mention did ("a strike killed twelve")
        lead = min(in_body, key=lambda e: e.trigger_start)
        if not _identified_parties(lead):
            named = [e for e in in_body if _identified_parties(e) and not _told_of(doc, lead, e)]
            lead = min(named, key=lambda e: e.trigger_start) if named else lead
        for other in g:
            if other is not lead:
                _fill(lead, other)
        merged.append(lead)
    return sorted(merged, key=lambda e: e.trigger_start)
