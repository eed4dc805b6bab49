"""SQL for the web API: validated filters -> parameterised queries over the store's tables.

Nothing from a request is ever put into SQL text: filter values go in as `?` parameters, and
sort keys, group-by dimensions and intervals are looked up in the fixed tables below.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable
from urllib.parse import quote

from eventwire.datafiles import load_yaml
from eventwire.records import PLOVER_TYPES
from eventwire.records import STATUSES as RECORD_STATUSES
from eventwire.server.evidence import (ROLES, cue_spans, date_fallback, positions, record_spans,
                                       sentence_around, snippet)

TYPES = list(PLOVER_TYPES)
STATUSES = list(RECORD_STATUSES)
COUNTRY_RE = re.compile(r"^[A-Z]{3}$")

MAX_PAGE = 500
MAX_OFFSET = 1_000_000
MAX_VALUES = 50          # values of one list filter
MAX_TEXT = 200           # characters of a text filter


class BadParameter(ValueError):
    def __init__(self, name: str, msg: str) -> None:
        super().__init__(msg)
        self.name, self.msg = name, msg


# ---------------------------------------------------------------------------------------------
# small helpers

def key_str(v) -> str | None:
    """63-bit keys go out as strings: JavaScript numbers lose precision past 2**53."""
    return None if v is None else str(v)


def parse_key(name: str, value: str) -> int:
    v = value.strip()
    # ASCII digits only: str.isdigit() is also true for '²' or '٣', which int() rejects
    if not (v.isascii() and v.isdigit()) or len(v) > 19 or int(v) >= 2**63:
        raise BadParameter(name, f"{value[:40]!r} is not an event/cluster key (a decimal integer "
                                 f"below 2**63)")
    return int(v)


def iso(d) -> str | None:
    return d.isoformat() if isinstance(d, date) else d


def split_values(name: str, values: list[str] | None) -> list[str]:
    """`?type=A&type=B` and `?type=A,B` both give [A, B]; blanks are dropped."""
    out: list[str] = []
    for v in values or []:
        out.extend(p.strip() for p in v.split(",") if p.strip())
    if len(out) > MAX_VALUES:
        raise BadParameter(name, f"at most {MAX_VALUES} values")
    for v in out:
        if len(v) > MAX_TEXT:
            raise BadParameter(name, f"a value is longer than {MAX_TEXT} characters")
    return out


def enum_values(name: str, values: list[str] | None, allowed: list[str], upper: bool) -> list[str]:
    out = []
    for v in split_values(name, values):
        v2 = v.upper() if upper else v.lower()
        if v2 not in allowed:
            raise BadParameter(name, f"{v!r} is not one of: {', '.join(allowed)}")
        out.append(v2)
    return out


def country_values(name: str, values: list[str] | None) -> list[str]:
    out = []
    for v in split_values(name, values):
        v2 = v.upper()
        if not COUNTRY_RE.match(v2):
            raise BadParameter(name, f"{v!r} is not an ISO 3166-1 alpha-3 country code (e.g. SYR)")
        out.append(v2)
    return out


def confidence_value(name: str, value: str | None) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        v = float(value.strip())
    except ValueError:
        v = float("nan")
    if not 0.0 <= v <= 1.0:                     # also rejects nan and inf
        raise BadParameter(name, f"{value[:40]!r} is not a number between 0 and 1")
    return v


@functools.lru_cache(maxsize=4)
def lexicon_modes(env: str | None = None) -> frozenset[str]:
    """Every mode the lexicon (packaged + the user's files, EVENTWIRE_LEXICON=`env`) can give
    an event."""
    import yaml
    from pathlib import Path

    from eventwire.datafiles import files_for

    found: set[str] = set()

    def walk(x):
        if isinstance(x, dict):
            m = x.get("mode")
            if isinstance(m, str) and m:
                found.add(m.lower())
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    for p in files_for("lexicon.yaml", "EVENTWIRE_LEXICON"):
        try:
            walk(yaml.safe_load(Path(p).read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError):
            continue
    return frozenset(found)


def mode_values(name: str, values: list[str] | None, known: set[str]) -> list[str]:
    """Modes are checked like types: a mode neither in the lexicon nor in the database is an
    error (a typo would otherwise silently give 0 rows)."""
    out = []
    for v in split_values(name, values):
        if v.lower() not in known:
            raise BadParameter(name, f"{v!r} is not a known mode; known: {', '.join(sorted(known)) or 'none'}")
        out.append(v.lower())
    return out


def text_value(name: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) > MAX_TEXT:
        raise BadParameter(name, f"longer than {MAX_TEXT} characters")
    return value.strip()


def date_value(name: str, value: str | None) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadParameter(name, f"{value[:40]!r} is not a date YYYY-MM-DD") from None


def check_range(lo_name: str, lo, hi_name: str, hi) -> None:
    if lo is not None and hi is not None and lo > hi:
        raise BadParameter(hi_name, f"{hi_name} ({hi}) is before {lo_name} ({lo})")


def sort_clause(name: str, value: str | None, allowed: dict[str, str], default: str,
                tiebreak: str) -> str:
    v = (value or default).strip()
    desc = v.startswith("-")
    k = v[1:] if desc else v
    if k not in allowed:
        keys = sorted(allowed)
        raise BadParameter(name, f"{value!r} is not a sort key; use one of {', '.join(keys)} "
                                 f"(prefix '-' for descending)")
    return f"{allowed[k]} {'DESC' if desc else 'ASC'} NULLS LAST, {tiebreak}"


def rows(cur, sql: str, params: list) -> list[dict]:
    res = cur.execute(sql, params)
    cols = [d[0] for d in res.description]
    return [dict(zip(cols, r)) for r in res.fetchall()]


def article_link(aid: str) -> str:
    return "/articles/" + quote(aid, safe="")


# ---------------------------------------------------------------------------------------------
# events

EVENT_FROM = """FROM events e JOIN articles a ON a.id = e.article_id
                LEFT JOIN event_clusters ec ON ec.event_key = e.event_key"""

EVENT_SELECT = """SELECT e.event_key, e.record, e.quad_class, e.event_date,
       coalesce(e.location_country, e.actor1_country) AS country, ec.cluster_id,
       a.id AS a_id, a.title AS a_title, a.date AS a_date, a.outlet AS a_outlet, a.url AS a_url """


def event_select(f: "EventFilter") -> str:
    """EVENT_SELECT plus the event's confidence, read the way this database stores it."""
    return f"{EVENT_SELECT}, {f.confidence_sql} AS confidence "

EVENT_SORTS = {
    "date": "e.event_date", "published": "a.date", "type": "e.type", "status": "e.status",
    "country": "coalesce(e.location_country, e.actor1_country)", "article": "e.article_id",
    "killed": "e.killed", "place": "e.location_name", "actor": "e.actor1_name",
}

_ACTOR_COUNTRIES = "json_extract_string(e.{col}, '$[*].country')"
_ACTOR_NAMES = ("list_concat(json_extract_string(e.{col}, '$[*].name'), "
                "json_extract_string(e.{col}, '$[*].text'))")
# an event's confidence: the store's column when it has one, else the record's field; missing = NULL
CONFIDENCE_COLUMN = ("COALESCE(e.confidence, TRY_CAST(json_extract_string(e.record, '$.confidence') AS DOUBLE))")
CONFIDENCE_FROM_RECORD = "TRY_CAST(json_extract_string(e.record, '$.confidence') AS DOUBLE)"
# One definition of "an event's countries", used by the country filter, the country counts
# and the map: every country it involves (any actor's, any recipient's, its place's).
# (list_distinct also drops NULLs)
EVENT_COUNTRIES = ("list_distinct(list_concat(" + _ACTOR_COUNTRIES.format(col="actors")
                   + ", " + _ACTOR_COUNTRIES.format(col="recipients") + ", [e.location_country]))")


def _any_name_like(col: str, names: list[str], w: list[str], p: list) -> None:
    """Any actor (or recipient) whose name or text contains one of `names` (any case)."""
    ors = []
    for n in names:
        ors.append(f"len(list_filter({_ACTOR_NAMES.format(col=col)}, "
                   f"lambda x: contains(lower(x), lower(?)))) > 0")
        p.append(n)
    w.append("(" + " OR ".join(ors) + ")")


@dataclass
class EventFilter:
    """The filters every list endpoint shares (events, clusters, articles, aggregates, map,
    downloads). Every list filter takes several values (any of them matches)."""
    types: list[str] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)          # actor, recipient or place
    actor_countries: list[str] = field(default_factory=list)
    recipient_countries: list[str] = field(default_factory=list)
    location_countries: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)             # names or GeoNames ids
    actors: list[str] = field(default_factory=list)             # actor name contains
    recipients: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    published_from: date | None = None
    published_to: date | None = None
    q: str | None = None
    trigger: str | None = None
    article_id: str | None = None
    cluster_id: int | None = None
    has_location: bool | None = None
    min_confidence: float | None = None
    confidence_sql: str = CONFIDENCE_FROM_RECORD

    ARTICLE_LEVEL = ("q", "published", "article")

    def where(self, skip: tuple[str, ...] = ()) -> tuple[str, list]:
        """SQL condition over `events e JOIN articles a LEFT JOIN event_clusters ec`; the
        `skip` groups (see ARTICLE_LEVEL) are left to the caller."""
        w: list[str] = []
        p: list[Any] = []
        if self.types:
            w.append("e.type IN (SELECT unnest(?::VARCHAR[]))"); p.append(self.types)
        if self.modes:
            w.append("lower(e.mode) IN (SELECT unnest(?::VARCHAR[]))"); p.append([m.lower() for m in self.modes])
        if self.statuses:
            w.append("e.status IN (SELECT unnest(?::VARCHAR[]))"); p.append(self.statuses)
        actor_c = _ACTOR_COUNTRIES.format(col="actors")
        recip_c = _ACTOR_COUNTRIES.format(col="recipients")
        if self.countries:
            w.append(f"list_has_any({EVENT_COUNTRIES}, ?::VARCHAR[])"); p.append(self.countries)
        if self.actor_countries:
            w.append(f"list_has_any({actor_c}, ?::VARCHAR[])"); p.append(self.actor_countries)
        if self.recipient_countries:
            w.append(f"list_has_any({recip_c}, ?::VARCHAR[])"); p.append(self.recipient_countries)
        if self.location_countries:
            w.append("e.location_country IN (SELECT unnest(?::VARCHAR[]))"); p.append(self.location_countries)
        if self.places:
            ids = [int(x[:18]) for x in self.places if x.isascii() and x.isdigit()]
            names = [x.lower() for x in self.places if not (x.isascii() and x.isdigit())]
            ors = []
            if ids:
                ors.append("e.location_geonameid IN (SELECT unnest(?::BIGINT[]))"); p.append(ids)
            if names:
                ors.append("(lower(e.location_name) IN (SELECT unnest(?::VARCHAR[])) "
                           "OR lower(e.location_text) IN (SELECT unnest(?::VARCHAR[])))")
                p += [names, names]
            w.append("(" + " OR ".join(ors) + ")")
        if self.actors:
            _any_name_like("actors", self.actors, w, p)
        if self.recipients:
            _any_name_like("recipients", self.recipients, w, p)
        if self.date_from:
            w.append("e.event_date >= ?"); p.append(self.date_from)
        if self.date_to:
            w.append("e.event_date <= ?"); p.append(self.date_to)
        if self.published_from and "published" not in skip:
            w.append("a.date >= ?"); p.append(self.published_from)
        if self.published_to and "published" not in skip:
            w.append("a.date <= ?"); p.append(self.published_to)
        if self.trigger:
            w.append("contains(lower(e.trigger_text), lower(?))"); p.append(self.trigger)
        if self.q and "q" not in skip:
            w.append("""(contains(lower(e.trigger_text), lower(?))
                         OR contains(lower(coalesce(e.actors::VARCHAR, '')), lower(?))
                         OR contains(lower(coalesce(e.recipients::VARCHAR, '')), lower(?))
                         OR contains(lower(coalesce(e.location_name, '')), lower(?))
                         OR contains(lower(coalesce(a.title, '')), lower(?))
                         OR contains(lower(a.text), lower(?)))""")
            p += [self.q] * 6
        if self.article_id is not None and "article" not in skip:
            w.append("e.article_id = ?"); p.append(self.article_id)
        if self.cluster_id is not None:
            w.append("ec.cluster_id = ?"); p.append(self.cluster_id)
        if self.has_location is True:
            w.append("e.location_lat IS NOT NULL AND e.location_lon IS NOT NULL")
        elif self.has_location is False:
            w.append("(e.location_lat IS NULL OR e.location_lon IS NULL)")
        if self.min_confidence is not None:
            w.append(f"{self.confidence_sql} >= ?"); p.append(self.min_confidence)
        return (" WHERE " + " AND ".join(w)) if w else "", p


def build_filter(raw: dict[str, Any], known_modes: Callable[[], set[str]],
                 names: dict[str, str] | None = None) -> EventFilter:
    """The EventFilter of raw values keyed by the API's parameter names (`type`, `date_from`,
    ...; lists of strings, or strings), checked one by one in that order. A bad value is a
    BadParameter naming the parameter, or `names[parameter]` (the CLI's option name) when given.
    `known_modes()` is asked only when modes are given."""
    def n(param: str) -> str:
        return (names or {}).get(param, param)

    def get(param: str):
        return raw.get(param)
    f = EventFilter(
        types=enum_values(n("type"), get("type"), TYPES, upper=True),
        modes=mode_values(n("mode"), get("mode"), known_modes()) if get("mode") else [],
        statuses=enum_values(n("status"), get("status"), STATUSES, upper=False),
        countries=country_values(n("country"), get("country")),
        actor_countries=country_values(n("actor_country"), get("actor_country")),
        recipient_countries=country_values(n("recipient_country"), get("recipient_country")),
        location_countries=country_values(n("location_country"), get("location_country")),
        places=split_values(n("place"), get("place")),
        actors=split_values(n("actor"), get("actor")),
        recipients=split_values(n("recipient"), get("recipient")),
        date_from=date_value(n("date_from"), get("date_from")),
        date_to=date_value(n("date_to"), get("date_to")),
        published_from=date_value(n("published_from"), get("published_from")),
        published_to=date_value(n("published_to"), get("published_to")),
        min_confidence=confidence_value(n("min_confidence"), get("min_confidence")),
        q=text_value(n("q"), get("q")),
        trigger=text_value(n("trigger"), get("trigger")),
        article_id=get("article") or None,
        cluster_id=parse_key(n("cluster"), get("cluster")) if get("cluster") else None,
        has_location=get("has_location"),
    )
    check_range(n("date_from"), f.date_from, n("date_to"), f.date_to)
    check_range(n("published_from"), f.published_from, n("published_to"), f.published_to)
    return f


def event_json(r: dict) -> dict:
    rec = json.loads(r["record"]) if isinstance(r["record"], str) else (r["record"] or {})
    key = key_str(r["event_key"])
    aid = r["a_id"]
    out = {"event_key": key}
    out.update(rec if isinstance(rec, dict) else {})
    if out.get("confidence") is None and r.get("confidence") is not None:
        out["confidence"] = r["confidence"]          # the store's column (newer databases)
    out.update({
        "event_key": key,
        "article_id": aid,
        "quad_class": r["quad_class"],
        "event_date": iso(r["event_date"]),
        "country": r["country"],
        "cluster_id": key_str(r["cluster_id"]),
        "date_is_publication_date": date_fallback(rec if isinstance(rec, dict) else {}),
        "article": {"id": aid, "title": r["a_title"], "date": iso(r["a_date"]),
                    "outlet": r["a_outlet"], "url": r["a_url"]},
        "links": {"html": f"/events/{key}", "api": f"/api/events/{key}",
                  "article": article_link(aid),
                  "cluster": f"/clusters/{r['cluster_id']}" if r["cluster_id"] is not None else None},
    })
    return out


def list_events(cur, f: EventFilter, sort: str, limit: int, offset: int) -> dict:
    where, params = f.where()
    total = cur.execute(f"SELECT count(*) {EVENT_FROM}{where}", params).fetchone()[0]
    rs = rows(cur, f"{event_select(f)} {EVENT_FROM}{where} ORDER BY {sort} LIMIT ? OFFSET ?",
              params + [limit, offset])
    return {"total": total, "limit": limit, "offset": offset,
            "items": [event_json(r) for r in rs]}


def get_event_row(cur, key: int) -> dict | None:
    rs = rows(cur, f"{EVENT_SELECT}, a.text AS a_text {EVENT_FROM} WHERE e.event_key = ?", [key])
    return rs[0] if rs else None


def event_detail(cur, key: int) -> dict | None:
    r = get_event_row(cur, key)
    if r is None:
        return None
    ev = event_json(r)
    text = r["a_text"] or ""
    spans = record_spans(ev, text)
    sn = snippet(text, spans)
    mentions = [dict(sentence_around(text, m["start"], m["end"]), start_in_text=m["start"],
                     end_in_text=m["end"])
                for m in spans if m["ok"] and m["role"] in ("trigger", "mention")]
    ev["evidence"] = {"snippet": sn, "spans": spans + cue_spans(text, sn["start"], sn["end"], ev.get("status")),
                      "mentions": mentions, "article_chars": len(text),
                      "date_is_publication_date": date_fallback(ev)}
    if r["cluster_id"] is not None:
        c = rows(cur, "SELECT n_events, n_stories, n_sources, contested, statuses FROM clusters "
                      "WHERE cluster_id = ?", [r["cluster_id"]])
        ev["cluster"] = c[0] if c else None
    return ev


# ---------------------------------------------------------------------------------------------
# articles

ARTICLE_SORTS = {"date": "a.date", "title": "a.title", "events": "a.n_events", "id": "a.id",
                 "outlet": "a.outlet", "chars": "a.n_chars"}
ARTICLE_FIELDS = "a.id, a.title, a.date, a.outlet, a.url, a.source, a.format, a.n_chars, a.n_events, a.ingested_at"


def article_json(r: dict) -> dict:
    return {"id": r["id"], "title": r["title"], "date": iso(r["date"]), "outlet": r["outlet"],
            "url": r["url"], "source": r["source"], "format": r["format"],
            "n_chars": r["n_chars"], "n_events": r["n_events"],
            "ingested_at": r["ingested_at"].isoformat() if r.get("ingested_at") else None,
            "links": {"html": article_link(r["id"]),
                      "api": "/api" + article_link(r["id"])}}


def _matching_events(f: EventFilter, skip: tuple[str, ...], column: str, inner: str) -> tuple[str, list]:
    """`column IN (SELECT inner FROM matching events)`, or '' when `f` sets nothing at the
    event level (beyond `skip`)."""
    where, params = f.where(skip)
    if not where:
        return "", []
    return f"{column} IN (SELECT DISTINCT {inner} {EVENT_FROM}{where})", params


def articles_where(f: EventFilter, outlet: str | None, has_events: bool | None) -> tuple[str, list]:
    """Articles: the text search, publication dates and article id apply to the article itself;
    every other filter keeps the articles with at least one matching event."""
    w, p = [], []
    if f.q:
        w.append("(contains(lower(coalesce(a.title, '')), lower(?)) OR contains(lower(a.text), lower(?)) "
                 "OR contains(lower(a.id), lower(?)))")
        p += [f.q, f.q, f.q]
    if f.published_from:
        w.append("a.date >= ?"); p.append(f.published_from)
    if f.published_to:
        w.append("a.date <= ?"); p.append(f.published_to)
    if f.article_id is not None:
        w.append("a.id = ?"); p.append(f.article_id)
    if outlet:
        w.append("lower(a.outlet) = lower(?)"); p.append(outlet)
    if has_events is True:
        w.append("a.n_events > 0")
    elif has_events is False:
        w.append("coalesce(a.n_events, 0) = 0")
    cond, cp = _matching_events(f, EventFilter.ARTICLE_LEVEL, "a.id", "e.article_id")
    if cond:
        w.append(cond); p += cp
    return (" WHERE " + " AND ".join(w)) if w else "", p


def list_articles(cur, f: EventFilter, outlet: str | None, has_events: bool | None,
                  sort: str, limit: int, offset: int) -> dict:
    where, p = articles_where(f, outlet, has_events)
    total = cur.execute(f"SELECT count(*) FROM articles a{where}", p).fetchone()[0]
    rs = rows(cur, f"SELECT {ARTICLE_FIELDS} FROM articles a{where} ORDER BY {sort} LIMIT ? OFFSET ?",
              p + [limit, offset])
    return {"total": total, "limit": limit, "offset": offset, "items": [article_json(r) for r in rs]}


def article_detail(cur, aid: str) -> dict | None:
    rs = rows(cur, f"SELECT {ARTICLE_FIELDS}, a.text FROM articles a WHERE a.id = ?", [aid])
    if not rs:
        return None
    r = rs[0]
    out = article_json(r)
    text = r["text"] or ""
    out["text"] = text
    evs = rows(cur, f"{EVENT_SELECT} {EVENT_FROM} WHERE e.article_id = ? ORDER BY e.seq, e.event_key", [aid])
    events, spans = [], []
    for er in evs:
        ev = event_json(er)
        ev_spans = record_spans(ev, text)
        sn = snippet(text, ev_spans)
        ev_spans += cue_spans(text, sn["start"], sn["end"], ev.get("status"))   # its status words
        ev["spans"] = ev_spans
        ev["date_is_publication_date"] = date_fallback(ev)
        events.append(ev)
        for s in ev_spans:
            spans.append({**s, "event_key": ev["event_key"], "status": ev.get("status"),
                          "type": ev.get("type")})
    out["events"] = events
    out["spans"] = spans
    out["places"] = [{**p, "geonameid": p["geonameid"]} for p in rows(
        cur, "SELECT text, span_start AS start, span_end AS \"end\", name, geonameid, country, lat, lon "
             "FROM places WHERE article_id = ? ORDER BY seq", [aid])]
    out["times"] = [{**t, "earliest": iso(t["earliest"]), "latest": iso(t["latest"])} for t in rows(
        cur, "SELECT text, span_start AS start, span_end AS \"end\", earliest, latest, granularity "
             "FROM times WHERE article_id = ? ORDER BY seq", [aid])]
    return out


# ---------------------------------------------------------------------------------------------
# clusters

CLUSTER_SORTS = {"date": "k.event_date", "events": "k.n_events", "stories": "k.n_stories",
                 "sources": "k.n_sources", "first_report": "k.first_report", "type": "k.type",
                 "killed": "k.killed", "status": "k.status"}


def cluster_json(r: dict) -> dict:
    out = {}
    for k, v in r.items():
        if k in ("cluster_id", "rep_event_key"):
            v = key_str(v)
        elif isinstance(v, date):
            v = v.isoformat()
        out[k] = v
    out["country"] = r.get("location_country") or r.get("actor1_country")
    cid = key_str(r["cluster_id"])
    out["links"] = {"html": f"/clusters/{cid}", "api": f"/api/clusters/{cid}"}
    return out


def clusters_where(f: EventFilter, contested: bool | None, min_stories: int | None) -> tuple[str, list]:
    """Clusters with at least one member event matching `f`."""
    w, p = [], []
    if contested is not None:
        w.append("k.contested = ?"); p.append(contested)
    if min_stories:
        w.append("k.n_stories >= ?"); p.append(min_stories)
    cond, cp = _matching_events(f, (), "k.cluster_id", "ec.cluster_id")
    if cond:
        w.append(cond); p += cp
    return (" WHERE " + " AND ".join(w)) if w else "", p


# `publication_dated`: no member's story gives the event a date of its own (every member
# carries its article's publication date), so the cluster's date is a publication date
CLUSTER_SELECT = """SELECT k.* EXCLUDE (month_min, month_max, first_ingested),
       (SELECT bool_and(e.date_text IS NULL) FROM event_clusters ec JOIN events e ON e.event_key = ec.event_key
         WHERE ec.cluster_id = k.cluster_id) AS publication_dated
  FROM clusters k"""


def list_clusters(cur, f: EventFilter, contested, min_stories, sort, limit, offset) -> dict:
    where, p = clusters_where(f, contested, min_stories)
    total = cur.execute(f"SELECT count(*) FROM clusters k{where}", p).fetchone()[0]
    rs = rows(cur, f"{CLUSTER_SELECT}{where} ORDER BY {sort} LIMIT ? OFFSET ?", p + [limit, offset])
    return {"total": total, "limit": limit, "offset": offset, "items": [cluster_json(r) for r in rs]}


def cluster_detail(cur, cid: int) -> dict | None:
    rs = rows(cur, f"{CLUSTER_SELECT} WHERE k.cluster_id = ?", [cid])
    if not rs:
        return None
    out = cluster_json(rs[0])
    evs = rows(cur, f"{EVENT_SELECT} {EVENT_FROM} WHERE ec.cluster_id = ? "
                    f"ORDER BY a.date NULLS LAST, e.article_id, e.seq", [cid])
    out["events"] = [event_json(r) for r in evs]
    out["positions"] = positions(out["events"])
    return out


# ---------------------------------------------------------------------------------------------
# aggregates

INTERVALS = {"day": "day", "week": "week", "month": "month", "year": "year"}

DATE_FIELDS = {"event": "e.event_date", "published": "a.date"}

LIST_DIMENSIONS = {
    "country": EVENT_COUNTRIES,
    "actor_country": "list_distinct(" + _ACTOR_COUNTRIES.format(col="actors") + ")",
    "recipient_country": "list_distinct(" + _ACTOR_COUNTRIES.format(col="recipients") + ")",
}

DIMENSIONS = {
    "country": EVENT_COUNTRIES,
    "actor_country": LIST_DIMENSIONS["actor_country"],
    "recipient_country": LIST_DIMENSIONS["recipient_country"],
    "location_country": "e.location_country",
    "type": "e.type",
    "status": "e.status",
    "mode": "e.mode",
    "quad_class": "e.quad_class",
    "place": "e.location_name",
    "outlet": "a.outlet",
    "actor": "e.actor1_name",
    "recipient": "e.actor2_name",
}


def auto_interval(lo: date | None, hi: date | None) -> str:
    """Bars of a sensible width for a span: days up to four months, then weeks, months, years."""
    if lo is None or hi is None:
        return "month"
    days = (hi - lo).days
    return "year" if days > 365 * 12 else "month" if days > 540 else "week" if days > 120 else "day"


def timeline(cur, f: EventFilter, interval: str, date_field: str) -> dict:
    """Event counts per period, split by status. `interval='auto'` picks the bar width from the
    span the filter asks for (its dates), else from the dates the matching events have."""
    where, params = f.where()
    col = DATE_FIELDS[date_field]
    extra = f"{' AND' if where else ' WHERE'} {col} IS NOT NULL"
    lo, hi, first_pub = cur.execute(f"SELECT min({col}), max({col}), min(a.date) {EVENT_FROM}{where}{extra}",
                                    params).fetchone()
    want_lo = f.date_from if date_field == "event" else f.published_from
    want_hi = f.date_to if date_field == "event" else f.published_to
    if want_lo is None and lo is not None and first_pub is not None:
        # events told as long past (a war decades ago) are counted, not drawn: the span starts
        # at most three years before the first story
        lo = max(lo, date(first_pub.year - 3, 1, 1))
    span_lo, span_hi = want_lo or lo, want_hi or hi
    if interval == "auto":
        interval = auto_interval(span_lo, span_hi)
    # events whose date is their story's publication date (no date in the text): the bars
    # say how many, as the lists say "publication date"
    rs = cur.execute(
        f"""SELECT CAST(date_trunc('{INTERVALS[interval]}', {col}) AS DATE) AS period, e.status,
                   count(*) AS n, count(*) FILTER (WHERE e.date_text IS NULL) AS pub
            {EVENT_FROM}{where}{extra} GROUP BY ALL ORDER BY period""", params).fetchall()
    buckets: dict[date, dict] = {}
    for period, status, n, pub in rs:
        b = buckets.setdefault(period, {"period": period.isoformat(), "events": 0, "by_status": {},
                                        "publication_dated": 0})
        b["events"] += n
        b["by_status"][status or "unknown"] = n
        b["publication_dated"] += pub if date_field == "event" else 0
    undated = cur.execute(f"SELECT count(*) {EVENT_FROM}{where}{' AND' if where else ' WHERE'} "
                          f"{col} IS NULL", params).fetchone()[0]
    return {"interval": interval, "date_field": date_field, "undated": undated,
            "span": {"from": iso(span_lo), "to": iso(span_hi)},
            "buckets": [buckets[k] for k in sorted(buckets)]}


def counts_by(cur, f: EventFilter, dim: str, limit: int) -> dict:
    """Event counts per value of `dim`. Country dimensions count an event once for every
    country it involves in that role (the same definition as the country filters)."""
    where, params = f.where()
    col = DIMENSIONS[dim]
    if dim in LIST_DIMENSIONS:
        inner = (f"SELECT unnest({LIST_DIMENSIONS[dim]}) AS key, e.article_id, ec.cluster_id, e.killed "
                 f"{EVENT_FROM}{where}")
        total = cur.execute(f"SELECT count(DISTINCT key) FROM ({inner})", params).fetchone()[0]
        rs = cur.execute(
            f"""SELECT key, count(*) AS events, count(DISTINCT article_id), count(DISTINCT cluster_id),
                       sum(killed) FROM ({inner}) GROUP BY key ORDER BY events DESC, key NULLS LAST LIMIT ?""",
            params + [limit]).fetchall()
    else:
        total = cur.execute(f"SELECT count(DISTINCT {col}) {EVENT_FROM}{where}", params).fetchone()[0]
        rs = cur.execute(
            f"""SELECT {col} AS key, count(*) AS events, count(DISTINCT e.article_id) AS articles,
                       count(DISTINCT ec.cluster_id) AS clusters, sum(e.killed) AS killed
                {EVENT_FROM}{where} GROUP BY ALL ORDER BY events DESC, key NULLS LAST LIMIT ?""",
            params + [limit]).fetchall()
    items = [{"key": k, "events": n, "articles": a, "clusters": c, "killed": int(kd) if kd is not None else None}
             for k, n, a, c, kd in rs]
    return {"by": dim, "distinct": total, "items": items}


def map_points(cur, f: EventFilter, limit: int) -> dict:
    where, params = f.where()
    extra = f"{' AND' if where else ' WHERE'} e.location_lat IS NOT NULL AND e.location_lon IS NOT NULL"
    # `inferred`: events placed there only because their story is (the text names no place
    # for them): the map draws such points apart
    rs = cur.execute(
        f"""SELECT e.location_geonameid, e.location_name, e.location_country,
                   round(e.location_lat, 4), round(e.location_lon, 4), e.status, count(*),
                   count(json_extract_string(e.location, '$.inferred_from'))
            {EVENT_FROM}{where}{extra} GROUP BY ALL""", params).fetchall()
    pts: dict[tuple, dict] = {}
    for gid, name, country, lat, lon, status, n, inferred in rs:
        k = (gid, name, lat, lon)
        p = pts.setdefault(k, {"geonameid": gid, "name": name, "country": country, "lat": lat,
                               "lon": lon, "events": 0, "inferred": 0, "by_status": {}})
        p["events"] += n
        p["inferred"] += inferred
        p["by_status"][status or "unknown"] = p["by_status"].get(status or "unknown", 0) + n
    items = sorted(pts.values(), key=lambda p: (-p["events"], p["name"] or ""))
    total = len(items)
    return {"total": total, "truncated": total > limit, "items": items[:limit]}


def meta(cur) -> dict:
    n = {t: cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
         for t in ("articles", "events", "clusters")}
    lo, hi, plo, phi = cur.execute("""SELECT min(e.event_date), max(e.event_date), min(a.date), max(a.date)
                                      FROM events e JOIN articles a ON a.id = e.article_id""").fetchone()
    countries = cur.execute(
        f"""SELECT c, count(*) FROM (SELECT unnest({EVENT_COUNTRIES}) AS c FROM events e)
            GROUP BY c ORDER BY c""").fetchall()
    modes = cur.execute("SELECT lower(mode), count(*) FROM events WHERE mode IS NOT NULL "
                        "GROUP BY ALL ORDER BY 1").fetchall()
    present = dict(cur.execute("SELECT type, count(*) FROM events GROUP BY type").fetchall())
    statuses = dict(cur.execute("SELECT status, count(*) FROM events GROUP BY status").fetchall())
    return {
        "counts": n,
        "event_dates": {"min": iso(lo), "max": iso(hi)},
        "published_dates": {"min": iso(plo), "max": iso(phi)},
        "types": [{"key": t, "events": present.get(t, 0)} for t in TYPES],
        "statuses": [{"key": s, "events": statuses.get(s, 0)} for s in STATUSES],
        "quad_classes": [{"key": k, "label": v} for k, v in load_yaml("codes.yaml")["quad_class_names"].items()],
        "countries": [{"key": c, "events": k} for c, k in countries],
        "modes": [{"key": m, "events": k} for m, k in modes],
        "roles": list(ROLES),
    }


# ---------------------------------------------------------------------------------------------
# every matching row, in order, for downloads (no paging)

def iter_rows(cur, sql: str, params: list, size: int = 1000):
    res = cur.execute(sql, params)
    cols = [d[0] for d in res.description]
    while True:
        chunk = res.fetchmany(size)
        if not chunk:
            return
        for r in chunk:
            yield dict(zip(cols, r))


def iter_events(cur, f: EventFilter, sort: str):
    where, params = f.where()
    for r in iter_rows(cur, f"{event_select(f)} {EVENT_FROM}{where} ORDER BY {sort}", params):
        yield event_json(r)


def iter_clusters(cur, f: EventFilter, contested, min_stories, sort: str):
    where, params = clusters_where(f, contested, min_stories)
    for r in iter_rows(cur, f"{CLUSTER_SELECT}{where} ORDER BY {sort}", params):
        yield cluster_json(r)


def iter_articles(cur, f: EventFilter, outlet, has_events, sort: str):
    where, params = articles_where(f, outlet, has_events)
    for r in iter_rows(cur, f"SELECT {ARTICLE_FIELDS} FROM articles a{where} ORDER BY {sort}", params):
        yield article_json(r)
