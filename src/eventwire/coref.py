"""Event coreference: the mentions of one event in a story become one event.

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

The first telling leads: later mentions fill its empty fields. Mentions told only as context
("after the shooting") are evidence for an event told elsewhere, never an event alone.

Runs after the places and times stages (their fields decide compatibility); reads and writes
`doc._.events`.
"""
from __future__ import annotations

from spacy.tokens import Doc

from eventwire.records import Actor, Event, TimeExpr

# Determiners that make a noun point back to something already told.
DEFINITE_DETERMINERS = {"the", "this", "that", "these", "those"}


def annotate(doc: Doc) -> Doc:
    doc._.events = merge_mentions(list(doc._.events or []), doc)
    return doc


# ------------------------------------------------------------------------ compatibility

def _identity(a: Actor) -> set[str]:
    keys = set()
    if a.name:
        keys.add("n:" + a.name.lower())
    if a.country:
        keys.add("c:" + a.country)
    return keys


def _named(actors: list[Actor]) -> list[Actor]:
    """Parties the text names (not the event's place standing in for a target)."""
    return [a for a in actors if a.kind != "place"]


def _conflicting(xs: list[Actor], ys: list[Actor]) -> bool:
    """Two actor lists that both name countries but share none describe different parties."""
    cx = {a.country for a in xs if a.country}
    cy = {a.country for a in ys if a.country}
    return bool(cx and cy and not cx & cy)


def _shares_participant(a: Event, b: Event) -> bool:
    ida = set().union(*(_identity(x) for x in a.actors + a.recipients)) if a.actors + a.recipients else set()
    idb = set().union(*(_identity(x) for x in b.actors + b.recipients)) if b.actors + b.recipients else set()
    return bool(ida & idb)


def _dates_overlap(a: TimeExpr | None, b: TimeExpr | None) -> bool:
    if not a or not b or a.text is None or b.text is None or not a.earliest or not b.earliest:
        return True
    return a.earliest <= b.latest and b.earliest <= a.latest


def _places_agree(a: Event, b: Event) -> bool:
    return not (a.location and b.location and a.location.country and b.location.country and
                a.location.country != b.location.country)


def compatible(a: Event, b: Event) -> bool:
    """Nothing in the two mentions says they are different events."""
    if a.type != b.type:
        return False
    if a.mode and b.mode and a.mode != b.mode:
        return False
    if _conflicting(a.actors, b.actors) or _conflicting(a.recipients, b.recipients):
        return False
    return _places_agree(a, b) and _dates_overlap(a.date, b.date)


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


def _same_place(a: Event, b: Event) -> bool:
    """'bombed a bus in Quetta' ... 'the Quetta bus bombing': same word, same town."""
    return bool(a.lemma == b.lemma or a.mode) and bool(
        a.location and b.location and a.location.geonameid and
        a.location.geonameid == b.location.geonameid and a.location.level in ("city", "province", "feature"))


def is_anaphoric(doc: Doc, e: Event) -> bool:
    """A noun trigger made definite ("the raid", "this attack", "Monday's blast") that names
    no party of its own: it points back to an event already told."""
    if not e.nominal or _named(e.actors) or _named(e.recipients):
        return False
    if not 0 <= e.trigger_i < len(doc):
        return False
    tok = doc[e.trigger_i]
    for child in tok.lefts:
        if child.dep_ == "det" and child.lower_ in DEFINITE_DETERMINERS:
            return True
        if child.dep_ == "poss":
            return True
    return False


# ------------------------------------------------------------------------------ merging

def _mention(e: Event) -> dict:
    return {"text": e.trigger_text, "start": e.trigger_start, "end": e.trigger_end,
            "sentence": e.sentence}


def _group_for(doc: Doc, e: Event, groups: list[list[Event]]) -> list[Event] | None:
    for g in groups:
        if all(same_event(e, other) for other in g):
            return g
    if is_anaphoric(doc, e):
        # the nearest earlier telling of a compatible event
        for g in reversed(groups):
            if any(not o.background for o in g) and all(compatible(e, o) for o in g) and \
                    _specifics_agree(e, g):
                return g
    return None


def _specifics_agree(anaphor: Event, group: list[Event]) -> bool:
    """A description that brings its own place or date ("the attacks in Paris", "Monday's
    blast") points back only to an event told with the same place or date: otherwise it is a
    different event of the same kind."""
    if anaphor.location and anaphor.location.country:
        if not any(o.location and o.location.country == anaphor.location.country for o in group):
            return False
    if anaphor.date and anaphor.date.text is not None:
        if not any(o.date and o.date.text is not None and _dates_overlap(o.date, anaphor.date) for o in group):
            return False
    return True


def _fill(lead: Event, other: Event) -> None:
    """The lead mention keeps its own fields and takes the ones it lacks from another."""
    lead.actors = lead.actors or other.actors
    lead.recipients = lead.recipients or other.recipients
    lead.location = lead.location or other.location
    if (lead.date is None or lead.date.text is None) and other.date and other.date.text:
        lead.date = other.date
    for k in ("killed", "injured", "arrested"):
        if getattr(lead.size, k) is None:
            setattr(lead.size, k, getattr(other.size, k))
    if lead.attributed_to is None and other.attributed_to is not None and lead.status == other.status:
        lead.attributed_to = other.attributed_to
    lead.mentions.append(_mention(other))
    lead.mentions.extend(other.mentions)


def merge_mentions(events: list[Event], doc: Doc | None = None) -> list[Event]:
    """One event per group of coreferent mentions, in text order."""
    groups: list[list[Event]] = []
    for e in sorted(events, key=lambda e: e.trigger_start):
        g = _group_for(doc, e, groups) if doc is not None else next(
            (g for g in groups if all(same_event(e, o) for o in g)), None)
        if g is not None:
            g.append(e)
        else:
            groups.append([e])
    merged = []
    for g in groups:
        told = [e for e in g if not e.background]
        if not told:
            continue  # only ever mentioned as context: no record of its own
        # the first telling leads: later mentions usually refer back to it ("the bombing")
        lead = min(told, key=lambda e: e.trigger_start)
        for other in g:
            if other is not lead:
                _fill(lead, other)
        merged.append(lead)
    return sorted(merged, key=lambda e: e.trigger_start)
