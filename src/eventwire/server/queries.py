"""SQL for the web API: validated filters -> parameterised queries over the store's tables.

Nothing from a request is ever put into SQL text: filter values go in as `?` parameters, and
sort keys, group-by dimensions and intervals are looked up in the fixed tables below.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
STATUSES = ["asserted", "claimed", "unconfirmed", "denied", "negated", "threatened", "intended",
            "hypothetical", "historical"]
QUAD_CLASSES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
                4: "material conflict"}
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
    if not v.isdigit() or len(v) > 19 or int(v) >= 2**63:
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

EVENT_SORTS = {
    "date": "e.event_date", "published": "a.date", "type": "e.type", "status": "e.status",
    "country": "coalesce(e.location_country, e.actor1_country)", "article": "e.article_id",
    "killed": "e.killed", "place": "e.location_name", "actor": "e.actor1_name",
}

_ACTOR_COUNTRIES = "json_extract_string(e.{col}, '$[*].country')"


@dataclass
class EventFilter:
    types: list[str] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)          # actor, recipient or place
    actor_countries: list[str] = field(default_factory=list)
    recipient_countries: list[str] = field(default_factory=list)
    location_countries: list[str] = field(default_factory=list)
    place: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    published_from: date | None = None
    published_to: date | None = None
    q: str | None = None
    trigger: str | None = None
    article_id: str | None = None
    cluster_id: int | None = None
    has_location: bool | None = None

    def where(self) -> tuple[str, list]:
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
            w.append(f"""(list_has_any({actor_c}, ?::VARCHAR[]) OR list_has_any({recip_c}, ?::VARCHAR[])
                         OR e.location_country IN (SELECT unnest(?::VARCHAR[])))""")
            p += [self.countries] * 3
        if self.actor_countries:
            w.append(f"list_has_any({actor_c}, ?::VARCHAR[])"); p.append(self.actor_countries)
        if self.recipient_countries:
            w.append(f"list_has_any({recip_c}, ?::VARCHAR[])"); p.append(self.recipient_countries)
        if self.location_countries:
            w.append("e.location_country IN (SELECT unnest(?::VARCHAR[]))"); p.append(self.location_countries)
        if self.place:
            if self.place.isdigit():
                w.append("e.location_geonameid = ?"); p.append(int(self.place[:18]))
            else:
                w.append("(lower(e.location_name) = lower(?) OR lower(e.location_text) = lower(?))")
                p += [self.place, self.place]
        if self.date_from:
            w.append("e.event_date >= ?"); p.append(self.date_from)
        if self.date_to:
            w.append("e.event_date <= ?"); p.append(self.date_to)
        if self.published_from:
            w.append("a.date >= ?"); p.append(self.published_from)
        if self.published_to:
            w.append("a.date <= ?"); p.append(self.published_to)
        if self.trigger:
            w.append("contains(lower(e.trigger_text), lower(?))"); p.append(self.trigger)
        if self.q:
            w.append("""(contains(lower(e.trigger_text), lower(?))
                         OR contains(lower(coalesce(e.actors::VARCHAR, '')), lower(?))
                         OR contains(lower(coalesce(e.recipients::VARCHAR, '')), lower(?))
                         OR contains(lower(coalesce(e.location_name, '')), lower(?))
                         OR contains(lower(coalesce(a.title, '')), lower(?))
                         OR contains(lower(a.text), lower(?)))""")
            p += [self.q] * 6
        if self.article_id is not None:
            w.append("e.article_id = ?"); p.append(self.article_id)
        if self.cluster_id is not None:
            w.append("ec.cluster_id = ?"); p.append(self.cluster_id)
        if self.has_location is True:
            w.append("e.location_lat IS NOT NULL AND e.location_lon IS NOT NULL")
        elif self.has_location is False:
            w.append("(e.location_lat IS NULL OR e.location_lon IS NULL)")
        return (" WHERE " + " AND ".join(w)) if w else "", p


def event_json(r: dict) -> dict:
    rec = json.loads(r["record"]) if isinstance(r["record"], str) else (r["record"] or {})
    key = key_str(r["event_key"])
    aid = r["a_id"]
    out = {"event_key": key}
    out.update(rec if isinstance(rec, dict) else {})
    out.update({
        "event_key": key,
        "article_id": aid,
        "quad_class": r["quad_class"],
        "event_date": iso(r["event_date"]),
        "country": r["country"],
        "cluster_id": key_str(r["cluster_id"]),
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
    rs = rows(cur, f"{EVENT_SELECT} {EVENT_FROM}{where} ORDER BY {sort} LIMIT ? OFFSET ?",
              params + [limit, offset])
    return {"total": total, "limit": limit, "offset": offset,
            "items": [event_json(r) for r in rs]}


def get_event_row(cur, key: int) -> dict | None:
    rs = rows(cur, f"{EVENT_SELECT}, a.text AS a_text {EVENT_FROM} WHERE e.event_key = ?", [key])
    return rs[0] if rs else None


# ---------------------------------------------------------------------------------------------
# evidence: spans of a record checked against the article text

ROLES = ("trigger", "actor", "recipient", "place", "date", "source")


def record_spans(rec: dict, text: str) -> list[dict]:
    """Every span of a record with its role, checked: `ok` when start/end fall inside the text
    and the text there is the span's own text."""
    found: list[tuple[str, int, Any]] = [("trigger", 0, rec.get("trigger"))]
    found += [("actor", i, a) for i, a in enumerate(rec.get("actors") or [])]
    found += [("recipient", i, a) for i, a in enumerate(rec.get("recipients") or [])]
    found += [("place", 0, rec.get("location")), ("date", 0, rec.get("date")),
              ("source", 0, rec.get("attributed_to"))]
    out = []
    n = len(text or "")
    for role, i, s in found:
        if not isinstance(s, dict):
            continue
        start, end, stext = s.get("start"), s.get("end"), s.get("text")
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
            continue
        in_text = 0 <= start < end <= n
        ok = in_text and (stext is None or text[start:end] == stext)
        span = {"role": role, "index": i, "start": start, "end": end, "text": stext, "ok": ok}
        if role in ("actor", "recipient", "source"):
            span.update(name=s.get("name"), country=s.get("country"), sector=s.get("sector"))
        elif role == "place":
            span.update(name=s.get("name"), country=s.get("country"))
        elif role == "date":
            span.update(earliest=s.get("earliest"), latest=s.get("latest"))
        out.append(span)
    return out


_SENT_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s|\n\s*\n")


def snippet(text: str, spans: list[dict], context: int = 400) -> dict:
    """The sentence(s) around an event's spans: from the sentence start before the first span
    to the sentence end after the last one (at most `context` characters either side)."""
    good = [s for s in spans if s["ok"]]
    if not text:
        return {"start": 0, "end": 0, "text": ""}
    if not good:
        return {"start": 0, "end": min(len(text), 2 * context), "text": text[:2 * context]}
    lo = min(s["start"] for s in good)
    hi = max(s["end"] for s in good)
    start = max(0, lo - context)
    for m in _SENT_END.finditer(text, start, lo):
        start = m.end()
    end = min(len(text), hi + context)
    m = _SENT_END.search(text, hi, end)
    if m:
        end = m.start() + 1
    return {"start": start, "end": end, "text": text[start:end]}


def event_detail(cur, key: int) -> dict | None:
    r = get_event_row(cur, key)
    if r is None:
        return None
    ev = event_json(r)
    text = r["a_text"] or ""
    spans = record_spans(ev, text)
    ev["evidence"] = {"snippet": snippet(text, spans), "spans": spans,
                      "article_chars": len(text)}
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


def list_articles(cur, q: str | None, date_from, date_to, outlet: str | None, has_events: bool | None,
                  sort: str, limit: int, offset: int) -> dict:
    w, p = [], []
    if q:
        w.append("(contains(lower(coalesce(a.title, '')), lower(?)) OR contains(lower(a.text), lower(?)) "
                 "OR contains(lower(a.id), lower(?)))")
        p += [q, q, q]
    if date_from:
        w.append("a.date >= ?"); p.append(date_from)
    if date_to:
        w.append("a.date <= ?"); p.append(date_to)
    if outlet:
        w.append("lower(a.outlet) = lower(?)"); p.append(outlet)
    if has_events is True:
        w.append("a.n_events > 0")
    elif has_events is False:
        w.append("coalesce(a.n_events, 0) = 0")
    where = (" WHERE " + " AND ".join(w)) if w else ""
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
        ev["spans"] = ev_spans
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


def list_clusters(cur, types, statuses, countries, contested, date_from, date_to, q,
                  min_stories, sort, limit, offset) -> dict:
    w, p = [], []
    if types:
        w.append("k.type IN (SELECT unnest(?::VARCHAR[]))"); p.append(types)
    if statuses:
        w.append("list_has_any(k.statuses, ?::VARCHAR[])"); p.append(statuses)
    if countries:
        w.append("(k.actor1_country IN (SELECT unnest(?::VARCHAR[])) OR k.actor2_country IN "
                 "(SELECT unnest(?::VARCHAR[])) OR k.location_country IN (SELECT unnest(?::VARCHAR[])))")
        p += [countries] * 3
    if contested is not None:
        w.append("k.contested = ?"); p.append(contested)
    if date_from:
        w.append("k.event_date >= ?"); p.append(date_from)
    if date_to:
        w.append("k.event_date <= ?"); p.append(date_to)
    if min_stories:
        w.append("k.n_stories >= ?"); p.append(min_stories)
    if q:
        w.append("""(contains(lower(coalesce(k.trigger_text, '')), lower(?))
                     OR contains(lower(coalesce(k.actor1_name, '')), lower(?))
                     OR contains(lower(coalesce(k.actor2_name, '')), lower(?))
                     OR contains(lower(coalesce(k.location_name, '')), lower(?)))""")
        p += [q] * 4
    where = (" WHERE " + " AND ".join(w)) if w else ""
    total = cur.execute(f"SELECT count(*) FROM clusters k{where}", p).fetchone()[0]
    rs = rows(cur, f"SELECT k.* EXCLUDE (month_min, month_max, first_ingested) FROM clusters k"
                   f"{where} ORDER BY {sort} LIMIT ? OFFSET ?", p + [limit, offset])
    return {"total": total, "limit": limit, "offset": offset, "items": [cluster_json(r) for r in rs]}


def cluster_detail(cur, cid: int) -> dict | None:
    rs = rows(cur, "SELECT k.* EXCLUDE (month_min, month_max, first_ingested) FROM clusters k "
                   "WHERE k.cluster_id = ?", [cid])
    if not rs:
        return None
    out = cluster_json(rs[0])
    evs = rows(cur, f"{EVENT_SELECT} {EVENT_FROM} WHERE ec.cluster_id = ? "
                    f"ORDER BY a.date NULLS LAST, e.article_id, e.seq", [cid])
    out["events"] = [event_json(r) for r in evs]
    return out


# ---------------------------------------------------------------------------------------------
# aggregates

INTERVALS = {"day": "day", "week": "week", "month": "month", "year": "year"}
DATE_FIELDS = {"event": "e.event_date", "published": "a.date"}

DIMENSIONS = {
    "country": "coalesce(e.location_country, e.actor1_country)",
    "actor_country": "e.actor1_country",
    "recipient_country": "e.actor2_country",
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


def timeline(cur, f: EventFilter, interval: str, date_field: str) -> dict:
    where, params = f.where()
    col = DATE_FIELDS[date_field]
    extra = f"{' AND' if where else ' WHERE'} {col} IS NOT NULL"
    rs = cur.execute(
        f"""SELECT CAST(date_trunc('{INTERVALS[interval]}', {col}) AS DATE) AS period, e.status,
                   count(*) AS n, count(DISTINCT e.article_id) AS arts
            {EVENT_FROM}{where}{extra} GROUP BY ALL ORDER BY period""", params).fetchall()
    buckets: dict[date, dict] = {}
    for period, status, n, arts in rs:
        b = buckets.setdefault(period, {"period": period.isoformat(), "events": 0, "by_status": {}})
        b["events"] += n
        b["by_status"][status or "unknown"] = n
    undated = cur.execute(f"SELECT count(*) {EVENT_FROM}{where}{' AND' if where else ' WHERE'} "
                          f"{col} IS NULL", params).fetchone()[0]
    return {"interval": interval, "date_field": date_field, "undated": undated,
            "buckets": [buckets[k] for k in sorted(buckets)]}


def counts_by(cur, f: EventFilter, dim: str, limit: int) -> dict:
    where, params = f.where()
    col = DIMENSIONS[dim]
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
    rs = cur.execute(
        f"""SELECT e.location_geonameid, e.location_name, e.location_country,
                   round(e.location_lat, 4), round(e.location_lon, 4), e.status, count(*)
            {EVENT_FROM}{where}{extra} GROUP BY ALL""", params).fetchall()
    pts: dict[tuple, dict] = {}
    for gid, name, country, lat, lon, status, n in rs:
        k = (gid, name, lat, lon)
        p = pts.setdefault(k, {"geonameid": gid, "name": name, "country": country, "lat": lat,
                               "lon": lon, "events": 0, "by_status": {}})
        p["events"] += n
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
        """SELECT c, count(*) FROM (
               SELECT unnest(list_distinct(list_concat(
                   json_extract_string(actors, '$[*].country'),
                   json_extract_string(recipients, '$[*].country'),
                   [location_country]))) AS c FROM events)
           WHERE c IS NOT NULL GROUP BY c ORDER BY c""").fetchall()
    present = dict(cur.execute("SELECT type, count(*) FROM events GROUP BY type").fetchall())
    statuses = dict(cur.execute("SELECT status, count(*) FROM events GROUP BY status").fetchall())
    return {
        "counts": n,
        "event_dates": {"min": iso(lo), "max": iso(hi)},
        "published_dates": {"min": iso(plo), "max": iso(phi)},
        "types": [{"key": t, "events": present.get(t, 0)} for t in TYPES],
        "statuses": [{"key": s, "events": statuses.get(s, 0)} for s in STATUSES],
        "quad_classes": [{"key": k, "label": v} for k, v in QUAD_CLASSES.items()],
        "countries": [{"key": c, "events": k} for c, k in countries],
        "roles": list(ROLES),
    }
