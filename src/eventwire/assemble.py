"""Event assembly: the public records (event.schema.json) from the annotated Doc.

Repeated mentions of one event within a story ("bombing a Russian airliner" ... "the Russian
airliner bombing") become one record: the mention with the richest fields leads, the others
fill its gaps and are kept as extra evidence in `mentions`.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, timedelta

from spacy.tokens import Doc

from eventwire.modality import load_cues
from eventwire.records import Actor, Event, TimeExpr


def _fallback_date(doc: Doc) -> TimeExpr:
    pub = doc._.pub_date.isoformat()
    return TimeExpr(text=None, start=None, end=None, earliest=pub, latest=pub, granularity="day")


def _identity(a: Actor) -> set[str]:
    keys = set()
    if a.name:
        keys.add("n:" + a.name.lower())
    if a.country:
        keys.add("c:" + a.country)
    return keys


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


def same_event(a: Event, b: Event) -> bool:
    if a.type != b.type:
        return False
    if a.mode and b.mode and a.mode != b.mode:
        return False
    if a.lemma != b.lemma and not (a.mode and a.mode == b.mode):
        return False
    if _conflicting(a.actors, b.actors) or _conflicting(a.recipients, b.recipients):
        return False
    if a.location and b.location and a.location.country and b.location.country and \
            a.location.country != b.location.country and \
            not (a.location.inferred_from or b.location.inferred_from):
        return False
    if not _dates_overlap(a.date, b.date):
        return False
    return _shares_participant(a, b) or _same_place(a, b)


def _same_place(a: Event, b: Event) -> bool:
    """'bombed a bus in Quetta' ... 'the Quetta bus bombing': same word, same town."""
    return bool(a.lemma == b.lemma or a.mode) and bool(
        a.location and b.location and a.location.geonameid and
        a.location.geonameid == b.location.geonameid and a.location.level in ("city", "province", "feature")
        and not a.location.inferred_from and not b.location.inferred_from)


def _mention(e: Event) -> dict:
    return {"text": e.trigger_text, "start": e.trigger_start, "end": e.trigger_end,
            "sentence": e.sentence}


def merge_mentions(events: list[Event]) -> list[Event]:
    groups: list[list[Event]] = []
    for e in events:
        for g in groups:
            if all(same_event(e, other) for other in g):
                g.append(e)
                break
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
            if other is lead:
                continue
            lead.actors = lead.actors or other.actors
            lead.recipients = lead.recipients or other.recipients
            if lead.location is None or (lead.location.inferred_from and other.location is not None):
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
        merged.append(lead)
    return sorted(merged, key=lambda e: e.trigger_start)


def _historical(doc: Doc, e: Event) -> bool:
    cues = load_cues()
    if e.status != "asserted" or not e.date or e.date.text is None or not e.date.latest:
        return False
    latest = date.fromisoformat(e.date.latest)
    return latest < doc._.pub_date - timedelta(days=cues.historical_days)


def event_id(article_id: str, e: Event) -> str:
    raw = f"{article_id}\x1f{e.type}\x1f{e.trigger_start}\x1f{e.trigger_end}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]


def to_record(doc: Doc, e: Event) -> dict:
    article_id = doc._.article.id
    date_ = e.date or _fallback_date(doc)
    return {
        "id": event_id(article_id, e),
        "article_id": article_id,
        "sentence": e.sentence,
        "trigger": {"text": e.trigger_text, "start": e.trigger_start, "end": e.trigger_end},
        "type": e.type,
        "mode": e.mode,
        "cameo": e.cameo,
        "actors": [a.to_json() for a in e.actors],
        "recipients": [a.to_json() for a in e.recipients],
        "location": e.location.to_json() if e.location else None,
        "date": date_.to_json(),
        "size": e.size.to_json(),
        "status": e.status,
        "attributed_to": e.attributed_to.to_json() if e.attributed_to else None,
        "mentions": e.mentions,
    }


# The CAMEO/PLOVER convention for an event whose text names no target with a country: the
# target is the state where it happens (a protest in Serbia is aimed at Serbia's authorities,
# a curfew in Cizre is imposed on Turkey's population, a centre set up in Tokyo involves
# Japan). Such a recipient is the place mention itself, marked "inferred_from": "location".
def _place_as_target(e: Event) -> None:
    if not e.location or not e.location.country or e.location.inferred_from:
        return
    if any(r.country for r in e.recipients):
        return
    loc = e.location
    e.recipients.append(Actor(text=loc.text, start=loc.start, end=loc.end,
                              name=loc.name, country=loc.country, sector=None, kind="place"))


def _with_country(actors: list[Actor], country: str, sectors: set[str] | None = None,
                  but_not: set[str] = frozenset()) -> list[Actor]:
    """Mentions named only by role or description, with no country of their own, take
    `country` (their text and name stay); optionally only those of the given sectors."""
    return [replace(a, country=country)
            if a.country is None and a.kind in ("role", "description") and a.sector not in but_not
            and (sectors is None or a.sector in sectors) else a for a in actors]


def _country_from_place(e: Event) -> None:
    """'Prisoners rioted at a jail in Dili', 'police in Sindh province', 'killing one person':
    people named only by their role take the country of the place of the event (their text
    and name stay). Not from a place only inferred from the story."""
    if not e.location or not e.location.country or e.location.inferred_from:
        return
    e.actors = _with_country(e.actors, e.location.country, but_not={"IGO", "NGO"})
    e.recipients = _with_country(e.recipients, e.location.country, but_not={"IGO", "NGO"})


# Sectors of the state's own apparatus at home: whom they coerce or attack, unnamed, are that
# state's people. (Not MIL: armies and militias fight abroad as often as at home.)
STATE_SECTORS = {"GOV", "COP", "JUD", "SPY"}


def _country_from_state_actor(e: Event) -> None:
    """'Egyptian police opened fire on demonstrators': unnamed people coerced or attacked by a
    state's own forces, with no place to say otherwise, are taken to be of that state."""
    if e.type not in ("ASSAULT", "COERCE") or (e.location is not None and not e.location.inferred_from):
        return
    state = next((a.country for a in e.actors if a.country and a.sector in STATE_SECTORS), None)
    if state:
        e.recipients = _with_country(e.recipients, state)


# Sectors of institutions that, named without a country ("outside Parliament", "warned
# that police will ..."), are those of the country of the one who acts on them.
INSTITUTION_SECTORS = {"GOV", "LEG", "JUD", "COP", "SPY"}


def _country_from_own_institutions(e: Event) -> None:
    """'Algerian landowners began a hunger strike outside Parliament': the parliament is
    Algeria's. Only for institutions named by role, only when the actor has a country."""
    home = next((a.country for a in e.actors if a.country), None)
    if home is not None:
        e.recipients = _with_country(e.recipients, home, sectors=INSTITUTION_SECTORS)


def records(doc: Doc) -> list[dict]:
    events = merge_mentions(list(doc._.events or []))
    for e in events:
        if _historical(doc, e):
            e.status = "historical"
        _country_from_place(e)
        _country_from_state_actor(e)
        _country_from_own_institutions(e)
        _place_as_target(e)
    return [to_record(doc, e) for e in events]
