"""The small set of plain dataclasses the stages pass to each other through the Doc.

Every field that ends up in a record carries its evidence: character offsets
(`start`, `end`, end exclusive) into the article text, so `text == article[start:end]`.
Token indices (`i`, `j`) are kept beside them for the stages that walk the parse.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SECTORS = ("GOV", "MIL", "REB", "OPP", "SPY", "COP", "JUD", "LEG", "MED", "BUS",
           "CVL", "REF", "IGO", "NGO", "REL", "INS")

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
                "MOBILIZE", "COERCE", "ASSAULT")

STATUSES = ("asserted", "claimed", "unconfirmed", "denied", "negated", "threatened",
            "intended", "hypothetical", "historical")


@dataclass
class Actor:
    """One mention of a participant, resolved to a canonical name, country and sector."""
    text: str
    start: int
    end: int
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    i: int = -1          # first token of the mention
    j: int = -1          # one past the last token
    head: int = -1       # token index of the syntactic head
    kind: str = "name"   # name | role | pronoun | description: how it was found

    def to_json(self) -> dict[str, Any]:
        out = {"text": self.text, "start": self.start, "end": self.end,
               "name": self.name, "country": self.country, "sector": self.sector}
        if self.kind == "place":
            out["inferred_from"] = "location"   # the place of the event, not a named party
        return out


@dataclass
class Place:
    """One toponym mention resolved (or not) to a GeoNames entry."""
    text: str
    start: int
    end: int
    name: str | None = None
    geonameid: int | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    level: str | None = None      # city | province | country | region | feature
    i: int = -1
    j: int = -1
    dateline: bool = False        # the story's dateline, never an event place by itself
    adjectival: bool = False      # "French", "Russian": a toponym, but never an event location
    inferred_from: str | None = None  # "story": an event's place taken from the story's
                                      # dateline/focus, not from the event's own sentence

    def to_json(self) -> dict[str, Any]:
        out = {"text": self.text, "start": self.start, "end": self.end, "name": self.name,
               "geonameid": self.geonameid, "country": self.country,
               "lat": self.lat, "lon": self.lon}
        if self.inferred_from:
            out["inferred_from"] = self.inferred_from
        return out


@dataclass
class TimeExpr:
    """One date expression normalised to an inclusive calendar interval."""
    text: str | None
    start: int | None
    end: int | None
    earliest: str | None = None   # ISO date
    latest: str | None = None
    granularity: str | None = None
    i: int = -1
    j: int = -1

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end,
                "earliest": self.earliest, "latest": self.latest,
                "granularity": self.granularity}


@dataclass
class Size:
    killed: int | None = None
    injured: int | None = None
    arrested: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"killed": self.killed, "injured": self.injured, "arrested": self.arrested}


@dataclass
class Event:
    """An event as the stages build it up; `assemble` turns it into the public record."""
    type: str
    trigger_i: int                 # token index of the trigger head
    trigger_start: int             # character span of the trigger words
    trigger_end: int
    trigger_text: str
    mode: str | None = None
    cameo: str | None = None
    sentence: int = 0
    actors: list[Actor] = field(default_factory=list)
    recipients: list[Actor] = field(default_factory=list)
    location: Place | None = None
    date: TimeExpr | None = None
    size: Size = field(default_factory=Size)
    status: str = "asserted"
    attributed_to: Actor | None = None
    nominal: bool = False          # trigger is a noun ("the bombing")
    lemma: str = ""                # lexicon key that fired, for explanations
    mentions: list[dict[str, Any]] = field(default_factory=list)  # extra evidence after merging
    background: bool = False       # told only as context ("after the shooting"): evidence for
                                   # an event told elsewhere in the story, never a record alone
    folded: list[int] = field(default_factory=list)  # tokens of clauses merged into this one
    anchor_i: int = -1             # the token whose clause the event belongs to (governing verb
                                   # for nominal events), used for status, place and date
    confidence: float | None = None  # how likely this is a real political event (relevance stage)


def map_dicts(value, fn):
    """A copy of a JSON record (nested lists and dicts) with `fn` applied to every dict, its
    contents first: how spans (`start`/`end`/`text`) and sentence numbers are moved or
    rewritten wherever a record holds them."""
    if isinstance(value, list):
        return [map_dicts(v, fn) for v in value]
    if not isinstance(value, dict):
        return value
    return fn({k: map_dicts(v, fn) for k, v in value.items()})
