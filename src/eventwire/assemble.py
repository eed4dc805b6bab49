"""Event assembly: the public records (event.schema.json) from the annotated Doc.

By now `doc._.events` holds one `Event` per real event (the coref stage merged repeated
mentions, the relevance stage kept only political events and scored them). Assembly adds
what follows from the whole record (historical status, parties' countries from the place)
and writes the JSON record.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace

from spacy.tokens import Doc

from eventwire.datafiles import word_sets
from eventwire.modality import dated_status
from eventwire.records import Actor, Event, TimeExpr


def _fallback_date(doc: Doc) -> TimeExpr:
    pub = doc._.pub_date.isoformat()
    return TimeExpr(text=None, start=None, end=None, earliest=pub, latest=pub, granularity="day")


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
        "confidence": e.confidence,
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


def _knowledge() -> dict:
    """Sector and type groups of the country rules (data/assemble.yaml), as sets."""
    return word_sets("assemble.yaml")


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
    placeless = _knowledge()["placeless_sectors"]
    e.actors = _with_country(e.actors, e.location.country, but_not=placeless)
    e.recipients = _with_country(e.recipients, e.location.country, but_not=placeless)


def _country_from_state_actor(e: Event) -> None:
    """'Egyptian police opened fire on demonstrators': unnamed people coerced or attacked by a
    state's own forces, with no place to say otherwise, are taken to be of that state."""
    k = _knowledge()
    if e.type not in k["home_state_types"] or (e.location is not None and not e.location.inferred_from):
        return
    state = next((a.country for a in e.actors if a.country and a.sector in k["home_state_sectors"]), None)
    if state:
        e.recipients = _with_country(e.recipients, state)


def _country_from_own_institutions(e: Event) -> None:
    """An institution named by role without a country ('nurses from Peru rallied outside the
    Senate') is that of the acting party's country. Only for institutions named by role, only
    when the actor has a country."""
    home = next((a.country for a in e.actors if a.country), None)
    if home is not None:
        e.recipients = _with_country(e.recipients, home, sectors=_knowledge()["institution_sectors"])


def records(doc: Doc) -> list[dict]:
    events = list(doc._.events or [])
    for e in events:
        e.status = dated_status(doc, e)   # historical, or scheduled (intended)
        _country_from_place(e)
        _country_from_state_actor(e)
        _country_from_own_institutions(e)
        _place_as_target(e)
    return [to_record(doc, e) for e in events]
