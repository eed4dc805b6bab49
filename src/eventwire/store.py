"""Corpus storage: code stories into a DuckDB file, one atomic commit per batch of whole stories.

    from eventwire.store import ingest_paths
    report = ingest_paths(["corpus/"], db_path="events.duckdb", workers=4)
    report.new, report.problems, ...

`ingest_paths` prints nothing: it returns an `IngestReport` and tells an optional
`IngestListener` what happens as it happens (the CLI draws its progress bar from that).

Guarantees
- A story and all its events, place and time mentions are committed together (one
  transaction per small batch of *whole* stories): a crash or `kill -9` leaves either the
  whole story or nothing, and a re-run picks up where it stopped.
- Re-ingesting an unchanged story is a no-op: it is recognised by its content hash
  (text + date + title + url + source) and the coder version, and is not even re-coded.
  A story whose id is known but whose content changed replaces its old events.
- Only this (the main) process opens the database: DuckDB allows one writer process.
  Worker processes only code. The database is opened (waiting a bounded time while another
  process holds it) before the first story is coded and held to the end of the ingest.

Tables, columns and views are described in SCHEMA_DOC below (and in `describe()`).
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import urlparse

import duckdb

from eventwire.article import (DATELINE_RE, Article, FolderDates, InputProblem, RunChecks,
                               read_articles)
from eventwire.datafiles import load_yaml

SCHEMA_VERSION = 2

DDL = [
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS articles (
        id            VARCHAR PRIMARY KEY,  -- article id (file name without extension, or JSONL id)
        content_hash  VARCHAR NOT NULL,     -- sha256 of text+date+title+url+source (32 hex)
        coder_version VARCHAR,              -- hash of the coder's code when the story was coded
        title         VARCHAR,
        date          DATE,                 -- publication date
        url           VARCHAR,
        source        VARCHAR,              -- outlet as given by the input (JSONL 'source', HTML site name)
        outlet        VARCHAR,              -- best known outlet: source, else URL host, else dateline agency
        format        VARCHAR,              -- txt | jsonl
        path          VARCHAR,              -- input file it was last read from
        line          INTEGER,              -- line in that file (JSONL), else NULL
        text          VARCHAR,
        n_chars       INTEGER,
        n_events      INTEGER,
        ingested_at   TIMESTAMP             -- UTC
    )""",
    """CREATE TABLE IF NOT EXISTS events (
        event_key      BIGINT PRIMARY KEY,  -- stable 63-bit key from (article_id, id); GDELT GLOBALEVENTID
        id             VARCHAR NOT NULL,    -- the record's own id
        article_id     VARCHAR NOT NULL,
        seq            INTEGER,             -- position among the article's records
        sentence       INTEGER,
        type           VARCHAR,
        mode           VARCHAR,
        cameo          VARCHAR,
        quad_class     TINYINT,             -- from type, see data/codes.yaml
        status         VARCHAR,
        trigger_text   VARCHAR,
        trigger_start  INTEGER,
        trigger_end    INTEGER,
        actor1_text    VARCHAR,  actor1_name VARCHAR,  actor1_country VARCHAR,  actor1_sector VARCHAR,
        actor2_text    VARCHAR,  actor2_name VARCHAR,  actor2_country VARCHAR,  actor2_sector VARCHAR,
        attributed_text VARCHAR, attributed_name VARCHAR, attributed_country VARCHAR, attributed_sector VARCHAR,
        location_text  VARCHAR,
        location_name  VARCHAR,
        location_geonameid BIGINT,
        location_country VARCHAR,
        location_lat   DOUBLE,
        location_lon   DOUBLE,
        date_text      VARCHAR,
        date_start     INTEGER,
        date_end       INTEGER,
        date_earliest  DATE,
        date_latest    DATE,
        date_granularity VARCHAR,
        event_date     DATE,                -- date_earliest, else the article's publication date
        month          DATE,                -- first day of event_date's month
        killed         INTEGER,
        injured        INTEGER,
        arrested       INTEGER,
        actors         JSON,                -- full lists / objects as in the record
        recipients     JSON,
        attributed_to  JSON,
        location       JSON,
        record         JSON,                -- the complete record, exactly as coded
        confidence     DOUBLE               -- the coder's confidence in [0, 1]; NULL for records without one
    )""",
    """CREATE TABLE IF NOT EXISTS places (
        article_id VARCHAR NOT NULL, seq INTEGER, text VARCHAR, span_start INTEGER, span_end INTEGER,
        name VARCHAR, geonameid BIGINT, country VARCHAR, lat DOUBLE, lon DOUBLE
    )""",
    """CREATE TABLE IF NOT EXISTS times (
        article_id VARCHAR NOT NULL, seq INTEGER, text VARCHAR, span_start INTEGER, span_end INTEGER,
        earliest DATE, latest DATE, granularity VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS clusters (
        cluster_id     BIGINT PRIMARY KEY,  -- smallest event_key among its members
        family         VARCHAR,             -- type family used for blocking (data/dedup.yaml)
        type           VARCHAR,             -- most frequent member type
        mode           VARCHAR,
        cameo          VARCHAR,
        quad_class     TINYINT,
        status         VARCHAR,             -- most frequent member status
        statuses       VARCHAR[],           -- every member status, sorted, distinct
        contested      BOOLEAN,             -- one member asserts/claims it, another denies/negates it
        n_events       INTEGER,             -- member events (mentions)
        n_stories      INTEGER,             -- distinct articles
        n_sources      INTEGER,             -- distinct outlets (an article with unknown outlet counts alone)
        first_report   DATE,                -- earliest / latest publication date among its stories
        last_report    DATE,
        first_ingested TIMESTAMP,
        date_earliest  DATE,                -- best estimate of when it happened
        date_latest    DATE,
        event_date     DATE,
        month          DATE,
        month_min      DATE,                -- range of member months (for incremental re-clustering)
        month_max      DATE,
        actor1_name VARCHAR, actor1_country VARCHAR, actor1_sector VARCHAR,
        actor2_name VARCHAR, actor2_country VARCHAR, actor2_sector VARCHAR,
        location_name VARCHAR, location_geonameid BIGINT, location_country VARCHAR,
        location_lat DOUBLE, location_lon DOUBLE,
        killed INTEGER, injured INTEGER, arrested INTEGER,  -- largest reported figure
        rep_event_key  BIGINT,              -- the member whose fields are shown
        trigger_text   VARCHAR              -- trigger of that member
    )""",
    """CREATE TABLE IF NOT EXISTS event_clusters (
        event_key BIGINT PRIMARY KEY, cluster_id BIGINT NOT NULL
    )""",
]

VIEWS = [
    # every event with its article's publication facts and its cluster
    """CREATE OR REPLACE VIEW events_full AS
       SELECT e.*, coalesce(e.location_country, e.actor1_country) AS country,
              a.date AS pub_date, a.title, a.url, a.outlet, a.path, c.cluster_id
       FROM events e JOIN articles a ON a.id = e.article_id
       LEFT JOIN event_clusters c ON c.event_key = e.event_key""",
    """CREATE OR REPLACE VIEW events_per_country_month AS
       SELECT country, month, count(*) AS events, count(DISTINCT article_id) AS stories,
              count(DISTINCT cluster_id) AS clusters, sum(killed) AS killed
       FROM events_full GROUP BY country, month""",
    """CREATE OR REPLACE VIEW events_per_country_month_type AS
       SELECT country, month, type, count(*) AS events, count(DISTINCT article_id) AS stories,
              count(DISTINCT cluster_id) AS clusters, sum(killed) AS killed
       FROM events_full GROUP BY country, month, type""",
    """CREATE OR REPLACE VIEW events_per_type AS
       SELECT type, count(*) AS events, count(DISTINCT article_id) AS stories,
              count(DISTINCT cluster_id) AS clusters, sum(killed) AS killed
       FROM events_full GROUP BY type""",
    """CREATE OR REPLACE VIEW events_per_status AS
       SELECT status, count(*) AS events, count(DISTINCT article_id) AS stories,
              count(DISTINCT cluster_id) AS clusters
       FROM events_full GROUP BY status""",
    """CREATE OR REPLACE VIEW clusters_full AS
       SELECT *, coalesce(location_country, actor1_country) AS country FROM clusters""",
    """CREATE OR REPLACE VIEW clusters_per_country_month AS
       SELECT country, month, count(*) AS clusters, sum(n_stories) AS stories,
              count(*) FILTER (WHERE contested) AS contested, sum(killed) AS killed
       FROM clusters_full GROUP BY country, month""",
    """CREATE OR REPLACE VIEW clusters_per_type AS
       SELECT type, count(*) AS clusters, sum(n_stories) AS stories,
              count(*) FILTER (WHERE contested) AS contested, sum(killed) AS killed
       FROM clusters GROUP BY type""",
]

EVENT_COLUMNS = [
    "event_key", "id", "article_id", "seq", "sentence", "type", "mode", "cameo", "quad_class",
    "status", "trigger_text", "trigger_start", "trigger_end",
    "actor1_text", "actor1_name", "actor1_country", "actor1_sector",
    "actor2_text", "actor2_name", "actor2_country", "actor2_sector",
    "attributed_text", "attributed_name", "attributed_country", "attributed_sector",
    "location_text", "location_name", "location_geonameid", "location_country",
    "location_lat", "location_lon",
    "date_text", "date_start", "date_end", "date_earliest", "date_latest", "date_granularity",
    "event_date", "month", "killed", "injured", "arrested",
    "actors", "recipients", "attributed_to", "location", "record", "confidence",
]
ARTICLE_COLUMNS = ["id", "content_hash", "coder_version", "title", "date", "url", "source", "outlet",
                   "format", "path", "line", "text", "n_chars", "n_events", "ingested_at"]
PLACE_COLUMNS = ["article_id", "seq", "text", "span_start", "span_end", "name", "geonameid",
                 "country", "lat", "lon"]
TIME_COLUMNS = ["article_id", "seq", "text", "span_start", "span_end", "earliest", "latest",
                "granularity"]


class StoreError(RuntimeError):
    """The database cannot be opened or written (locked by another process, wrong file...)."""


# ---------------------------------------------------------------------------------------------
# connection and schema

def connect(db_path: str | os.PathLike, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and, when writable, create or migrate) an eventwire database."""
    try:
        con = duckdb.connect(str(db_path), read_only=read_only)
    except duckdb.Error as e:
        msg = str(e)
        if _is_lock_error(msg):
            raise DatabaseLocked(db_path, msg) from e
        raise StoreError(f"{db_path}: cannot open database: {msg.splitlines()[0]}") from e
    if not read_only:
        ensure_schema(con)
    return con


class DatabaseLocked(StoreError):
    """Another process holds the database (DuckDB allows one writer, or readers only)."""

    def __init__(self, db_path, message: str, waited: float = 0.0) -> None:
        m = re.search(r"\(PID (\d+)\)", message)
        self.db_path, self.message, self.pid = db_path, message, int(m.group(1)) if m else None
        holder = f" (process {self.pid})" if self.pid else ""
        after = f" (gave up after waiting {waited:.0f} s)" if waited else ""
        super().__init__(f"{db_path}: database is in use by another process{holder}; DuckDB allows "
                         f"one writer, and no writer while another process reads it{after}")


def _is_lock_error(msg: str) -> bool:
    return "lock" in msg.lower()


def connect_waiting(db_path: str | os.PathLike, timeout: float = 60.0,
                    on_wait: Callable[[str], None] | None = None) -> duckdb.DuckDBPyConnection:
    """`connect` for writing, waiting up to `timeout` seconds while another process holds the
    database (the web UI reading it, another ingest). Retries with a growing pause (0.1 s up
    to 2 s); `on_wait(message)` is told once when the wait begins. Raises DatabaseLocked when
    the time is up."""
    deadline = time.monotonic() + max(0.0, timeout)
    pause = 0.1
    told = False
    while True:
        try:
            return connect(db_path)
        except DatabaseLocked as e:
            left = deadline - time.monotonic()
            if left <= 0:
                raise DatabaseLocked(db_path, e.message, waited=timeout) from e
            if not told and on_wait is not None:
                on_wait(f"{e}; waiting up to {timeout:.0f} s for it to finish")
                told = True
            time.sleep(min(pause, left))
            pause = min(2.0, pause * 2)


# Columns added after a table was first shipped: databases made before get them (NULL) when
# next opened for writing. Appended at the end, so old and new databases have one column order.
MIGRATIONS = [
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS confidence DOUBLE",
]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for stmt in DDL:
        con.execute(stmt)
    for stmt in MIGRATIONS:
        con.execute(stmt)
    for stmt in VIEWS:
        con.execute(stmt)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


# ---------------------------------------------------------------------------------------------
# values: records are written by another stage, so every scalar is checked before it goes
# into a typed column (the full record is always kept as JSON).

def _str(v) -> str | None:
    return v if isinstance(v, str) else (None if v is None else str(v))


def _int(v) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v if -2**31 < v < 2**31 else None
    if isinstance(v, float) and v.is_integer():
        return _int(int(v))
    return None


def _big(v) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int) and -2**63 < v < 2**63:
        return v
    if isinstance(v, str) and v.isdigit():
        return _big(int(v))
    return None


def _float(v, lo=-math.inf, hi=math.inf) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    f = float(v)
    return f if math.isfinite(f) and lo <= f <= hi else None


def _date(v) -> date | None:
    if isinstance(v, date):
        return v
    if not isinstance(v, str):
        return None
    try:
        return date.fromisoformat(v[:10])
    except ValueError:
        return None


def _dict(v) -> dict:
    return v if isinstance(v, dict) else {}


def _json(v) -> str:
    return json.dumps(v, ensure_ascii=False, default=str)


def event_key(article_id: str, record_id: str) -> int:
    """Stable positive 63-bit integer for an event (usable as GDELT GLOBALEVENTID)."""
    h = hashlib.sha256(f"{article_id}\x1f{record_id}".encode("utf-8")).digest()
    return int.from_bytes(h[:8], "big") >> 1


def _actor_cols(a) -> list:
    a = _dict(a)
    return [_str(a.get("text")), _str(a.get("name")), _str(a.get("country")), _str(a.get("sector"))]


def event_row(record: dict, article: Article, seq: int, key: int) -> list:
    r = record
    trig = _dict(r.get("trigger"))
    actors = r.get("actors") if isinstance(r.get("actors"), list) else []
    recips = r.get("recipients") if isinstance(r.get("recipients"), list) else []
    loc = r.get("location") if isinstance(r.get("location"), dict) else None
    lo = _dict(loc)
    d = _dict(r.get("date"))
    size = _dict(r.get("size"))
    earliest, latest = _date(d.get("earliest")), _date(d.get("latest"))
    ev_date = earliest or _date(article.date)
    typ = _str(r.get("type"))
    quad_class = load_yaml("codes.yaml")["quad_classes"].get(typ or "")
    return [
        key, _str(r.get("id")) or f"#{seq}", article.id, seq, _int(r.get("sentence")),
        typ, _str(r.get("mode")), _str(r.get("cameo")), quad_class,
        _str(r.get("status")),
        _str(trig.get("text")), _int(trig.get("start")), _int(trig.get("end")),
        *_actor_cols(actors[0] if actors else None),
        *_actor_cols(recips[0] if recips else None),
        *_actor_cols(r.get("attributed_to")),
        _str(lo.get("text")), _str(lo.get("name")), _big(lo.get("geonameid")), _str(lo.get("country")),
        _float(lo.get("lat"), -90, 90), _float(lo.get("lon"), -180, 180),
        _str(d.get("text")), _int(d.get("start")), _int(d.get("end")), earliest, latest,
        _str(d.get("granularity")),
        ev_date, ev_date.replace(day=1) if ev_date else None,
        _int(size.get("killed")), _int(size.get("injured")), _int(size.get("arrested")),
        _json(actors), _json(recips), _json(r.get("attributed_to")), _json(loc), _json(r),
        _float(r.get("confidence"), 0, 1),
    ]


def _span_cols(p: dict) -> list:
    return [_str(p.get("text")), _int(p.get("start")), _int(p.get("end"))]


def place_row(p: dict, article_id: str, seq: int) -> list:
    p = _dict(p)
    return [article_id, seq, *_span_cols(p), _str(p.get("name")), _big(p.get("geonameid")),
            _str(p.get("country")), _float(p.get("lat"), -90, 90), _float(p.get("lon"), -180, 180)]


def time_row(t: dict, article_id: str, seq: int) -> list:
    t = _dict(t)
    return [article_id, seq, *_span_cols(t), _date(t.get("earliest")), _date(t.get("latest")),
            _str(t.get("granularity"))]


def outlet_of(article: Article) -> str | None:
    """The outlet: the input's source, else the URL's host, else the dateline's agency "(AP)"."""
    if article.source:
        return str(article.source)
    if article.url:
        host = urlparse(str(article.url)).hostname
        if host:
            return host[4:] if host.startswith("www.") else host
    span = article.dateline_span() if article.meta.get("format") == "txt" else None
    if span:
        head = article.headline_span()
        start = head[1] if head else 0
        for line in article.text[start:start + 4000].splitlines():
            if line.strip():
                m = DATELINE_RE.match(line.strip())
                if m and m.group("agency"):
                    return m.group("agency").strip()
                break
    return None


def story_hash(article: Article) -> str:
    """What makes a story 'the same': its text and every input that changes how it is coded."""
    payload = _json([article.text, article.date, article.title, article.url, article.source])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


# Modules of the package that take no part in coding a story (storage, exports, interfaces):
# every other module is part of the coder, so a new stage counts without being listed here.
_NOT_CODER = {"__main__", "cli", "dedup", "export", "server", "spark", "store", "terminal"}


def _coder_sources(pkg: Path) -> list[Path]:
    """The coder's source files: the package's modules and sub-packages, less `_NOT_CODER`."""
    out = []
    for f in sorted(pkg.iterdir()):
        if f.stem in _NOT_CODER:
            continue
        if f.suffix == ".py":
            out.append(f)
        elif (f / "__init__.py").is_file():          # a stage grown into a sub-package
            out += sorted(f.rglob("*.py"))
    return out


def coder_version() -> str:
    """A fingerprint of the coder: its modules' source and its data files' names and sizes.

    Stored with each story; when the coder changes, re-ingesting re-codes (and replaces)
    stories whose text did not change, so the database never mixes stale events in silently.
    The environment variable EVENTWIRE_CODER_VERSION, when set, replaces the fingerprint (to
    keep a big database as it is across a coder change, or to pin it in tests).
    """
    if os.environ.get("EVENTWIRE_CODER_VERSION"):
        return os.environ["EVENTWIRE_CODER_VERSION"]
    pkg = Path(__file__).resolve().parent
    h = hashlib.sha256()
    try:
        from eventwire import __version__
        h.update(__version__.encode())
    except Exception:  # pragma: no cover
        pass
    for f in _coder_sources(pkg):
        h.update(str(f.relative_to(pkg)).encode())
        h.update(f.read_bytes())
    data = pkg / "data"
    if data.is_dir():
        for f in sorted(data.rglob("*")):
            if f.is_file():
                h.update(f"{f.relative_to(data)}:{f.stat().st_size}".encode())
    return h.hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# writing stories

def _insert_many(con, table: str, columns: list[str], rows: list[list], chunk: int = 200) -> None:
    if not rows:
        return
    one = "(" + ",".join("?" * len(columns)) + ")"
    cols = ",".join(columns)
    for i in range(0, len(rows), chunk):
        part = rows[i:i + chunk]
        con.execute(f"INSERT INTO {table} ({cols}) VALUES " + ",".join([one] * len(part)),
                    [v for row in part for v in row])


@dataclass
class PreparedStory:
    """A coded story turned into rows, ready for one transaction."""
    article: Article
    content_hash: str
    coder_version: str
    article_row: list
    event_rows: list[list]
    place_rows: list[list]
    time_rows: list[list]
    types: Counter
    outcome: str = "new"         # new | replaced | recoded


def prepare_story(coded, content_hash: str, version: str, now: datetime) -> PreparedStory:
    a: Article = coded.article
    event_rows, types, used = [], Counter(), Counter()
    for seq, rec in enumerate(r for r in coded.events if isinstance(r, dict)):
        rid = _str(rec.get("id")) or f"#{seq}"
        used[rid] += 1
        key_id = rid if used[rid] == 1 else f"{rid}#{used[rid]}"   # duplicate ids stay apart
        event_rows.append(event_row(rec, a, seq, event_key(a.id, key_id)))
        types[_str(rec.get("type")) or "?"] += 1
    place_rows = [place_row(p, a.id, i) for i, p in enumerate(coded.places or [])]
    time_rows = [time_row(t, a.id, i) for i, t in enumerate(coded.times or [])]
    article_row = [a.id, content_hash, version, _str(a.title), _date(a.date), _str(a.url),
                   _str(a.source), outlet_of(a), a.meta.get("format"), a.path, a.line, a.text,
                   len(a.text), len(event_rows), now]
    return PreparedStory(a, content_hash, version, article_row, event_rows, place_rows,
                         time_rows, types)


def write_stories(con, stories: list[PreparedStory]) -> None:
    """Store whole stories in ONE transaction, replacing whatever each id had before."""
    con.execute("BEGIN TRANSACTION")
    try:
        for s in stories:
            aid = s.article.id
            # the old events leave their clusters now (a new event may reuse an old key);
            # dedup.update_clusters re-makes the clusters that lost members
            con.execute("""DELETE FROM event_clusters WHERE event_key IN
                           (SELECT event_key FROM events WHERE article_id = ?)""", [aid])
            for table, col in (("events", "article_id"), ("places", "article_id"),
                               ("times", "article_id"), ("articles", "id")):
                con.execute(f"DELETE FROM {table} WHERE {col} = ?", [aid])
            _insert_many(con, "articles", ARTICLE_COLUMNS, [s.article_row])
            _insert_many(con, "events", EVENT_COLUMNS, s.event_rows)
            _insert_many(con, "places", PLACE_COLUMNS, s.place_rows)
            _insert_many(con, "times", TIME_COLUMNS, s.time_rows)
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise


# ---------------------------------------------------------------------------------------------
# the ingest

@dataclass
class IngestReport:
    """What an ingest did: counts, every input skipped (with its reason), warnings."""
    db_path: str = ""
    new: int = 0
    unchanged: int = 0
    replaced: int = 0          # same id, content changed
    recoded: int = 0           # same content, coder changed
    events_by_type: Counter = field(default_factory=Counter)
    problems: list[InputProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)   # paths named that do not exist
    clusters: int = 0
    clustered_events: int = 0
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def stored(self) -> int:
        return self.new + self.replaced + self.recoded

    @property
    def skipped(self) -> int:
        return len(self.problems)

    def to_json(self) -> dict:
        return {"db": self.db_path, "new": self.new, "unchanged": self.unchanged,
                "replaced": self.replaced, "recoded": self.recoded,
                "events": sum(self.events_by_type.values()),
                "events_by_type": dict(self.events_by_type), "skipped": self.skipped,
                "problems": [str(p) for p in self.problems], "warnings": list(self.warnings),
                "missing": list(self.missing), "clusters": self.clusters,
                "seconds": round(self.seconds, 2), "interrupted": self.interrupted}


IngestSummary = IngestReport      # the name it had before it became a pure report


class IngestListener:
    """Follows an ingest as it happens; every method does nothing here. The CLI's subclass
    draws the progress bar and prints problems at once (see cli.py)."""

    def problem(self, problem: InputProblem) -> None:
        """An input was skipped (it is also in the report)."""

    def warning(self, message: str) -> None:
        """Something the user should know; nothing was skipped."""

    def advanced(self, stories: int = 1) -> None:
        """`stories` more inputs are done (stored, unchanged or skipped)."""

    def committed(self, stored: int) -> None:
        """A transaction landed; `stored` stories are stored so far in this run."""

    def waiting(self, message: str) -> None:
        """The database is held by another process; the ingest waits (bounded)."""


class _Stream:
    """The article stream handed to the coder.

    It never touches the database: it works from a snapshot of the stored hashes. It holds
    back when too many stories are in flight (the pool would otherwise read the whole corpus
    into memory).
    """

    def __init__(self, paths, default_date, known: dict[str, tuple[str, str]], version: str,
                 on_problem: Callable[[InputProblem], None], on_skip: Callable[[], None],
                 on_warning: Callable[[str], None], max_in_flight: int) -> None:
        self.paths, self.default_date, self.known, self.version = paths, default_date, known, version
        self.on_problem, self.on_skip, self.on_warning = on_problem, on_skip, on_warning
        self.slots = threading.Semaphore(max_in_flight)
        self.stop = threading.Event()
        # (article id, content hash) -> outcomes (new | replaced | recoded) of stories in flight;
        # keyed by value because with workers the coded article comes back as a copy
        self.outcome: dict[tuple[str, str], list[str]] = {}
        self.seen: dict[str, tuple[str, str]] = {}   # article id -> (hash, path) in this run
        self.lock = threading.Lock()
        self.unchanged = 0
        self.dates = FolderDates()
        self.checks = RunChecks()

    def __iter__(self) -> Iterator[Article]:
        for item in read_articles(self.paths, self.default_date):
            for p in self.dates.problems:
                self.on_problem(p)
            self.dates.problems.clear()
            if self.stop.is_set():
                return
            if isinstance(item, InputProblem):
                self.on_problem(item)
                continue
            article = self.dates.apply(item)
            h = story_hash(article)
            where = f"{article.path}:{article.line}" if article.line else str(article.path)
            earlier = self.seen.get(article.id)
            if earlier and earlier[0] == h:
                with self.lock:
                    self.unchanged += 1
                self.on_skip()
                continue
            if earlier:
                self.on_warning(f"{where}: article id {article.id!r} also read from "
                                f"{earlier[1]} with other content; this one replaces it")
            self.seen[article.id] = (h, where)
            stored = self.known.get(article.id)
            if earlier is None and stored == (h, self.version):
                with self.lock:
                    self.unchanged += 1
                self.on_skip()
                continue
            undated = self.checks.undated(article)
            if undated:
                self.on_warning(str(undated))
            outcome = ("new" if stored is None and earlier is None
                       else "recoded" if stored and stored[0] == h else "replaced")
            while not self.slots.acquire(timeout=0.2):
                if self.stop.is_set():
                    return
            with self.lock:
                self.outcome.setdefault((article.id, h), []).append(outcome)
            yield article
        for p in self.dates.problems:
            self.on_problem(p)

    def done(self, article: Article) -> tuple[str, str]:
        """The coder is done with `article`: its (content hash, outcome); frees its slot."""
        h = story_hash(article)
        with self.lock:
            waiting = self.outcome.get((article.id, h))
            outcome = waiting.pop(0) if waiting else "new"
            if not waiting:
                self.outcome.pop((article.id, h), None)
        self.slots.release()
        return h, outcome


def _default_coder(articles, workers, batch_size):
    from eventwire.pipeline import code_parallel
    return code_parallel(articles, workers=workers, batch_size=batch_size)


class _Writer:
    """Collects prepared stories and commits them in small transactions of whole stories."""

    def __init__(self, con, report: IngestReport, listener: IngestListener,
                 commit_stories: int, commit_seconds: float) -> None:
        self.con, self.report, self.listener = con, report, listener
        self.commit_stories, self.commit_seconds = commit_stories, commit_seconds
        self.pending: list[PreparedStory] = []
        self.last_commit = time.monotonic()

    def add(self, story: PreparedStory) -> None:
        self.pending.append(story)

    def due(self) -> bool:
        return (len(self.pending) >= self.commit_stories
                or time.monotonic() - self.last_commit >= self.commit_seconds)

    def flush(self) -> None:
        if not self.pending:
            return
        try:
            write_stories(self.con, self.pending)
        except duckdb.Error:
            # something in one story does not fit: store the others one by one, report it
            for s in self.pending:
                try:
                    write_stories(self.con, [s])
                except duckdb.Error as e:
                    self.problem(InputProblem(s.article.path or s.article.id, s.article.line,
                                               f"cannot store article {s.article.id!r}: "
                                               f"{str(e).splitlines()[0]}"))
                    continue
                self._count(s)
        else:
            for s in self.pending:
                self._count(s)
        self.pending = []
        self.last_commit = time.monotonic()
        self.listener.committed(self.report.stored)

    def problem(self, p: InputProblem) -> None:
        self.report.problems.append(p)
        self.listener.problem(p)
        self.listener.advanced()

    def _count(self, s: PreparedStory) -> None:
        setattr(self.report, s.outcome, getattr(self.report, s.outcome) + 1)
        self.report.events_by_type.update(s.types)
        self.listener.advanced()


def ingest_paths(paths: Iterable[str | os.PathLike], db_path: str | os.PathLike = "eventwire.duckdb",
                 workers: int = 1, default_date: str | None = None, batch_size: int = 16,
                 coder: Callable | None = None, commit_stories: int = 32,
                 commit_seconds: float = 1.0, cluster: bool = True,
                 listener: IngestListener | None = None, lock_timeout: float = 60.0,
                 summary=None, err=None, progress=None) -> IngestReport:
    """Code every story under `paths` into `db_path` and return what happened (nothing is
    printed; `listener` hears of each step).

    `coder(articles, workers, batch_size)` yields `CodedArticle`s (default:
    `pipeline.code_parallel`). Stories are committed in transactions of at most
    `commit_stories` whole stories or `commit_seconds`, whichever comes first.
    The database is opened (waiting up to `lock_timeout` s while another process holds it)
    before anything is coded, and held to the end: a second ingest into the same file waits
    or gives up before it codes a single story. When none of `paths` exists the database is
    not even created. Raises StoreError when the database cannot be opened.
    `summary`, `err` and `progress` are ignored: options of the version that printed.
    """
    paths = [str(p) for p in paths]
    listener = listener or IngestListener()
    t0 = time.monotonic()
    report = IngestReport(db_path=str(db_path))
    report.missing = [p for p in paths if not os.path.lexists(p)]

    def on_problem(p: InputProblem) -> None:
        report.problems.append(p)
        listener.problem(p)
        listener.advanced()

    def on_warning(message: str) -> None:
        report.warnings.append(message)
        listener.warning(message)

    if len(report.missing) == len(paths):
        for p in paths:
            on_problem(InputProblem(p, None, "no such file or folder"))
        report.seconds = time.monotonic() - t0
        return report

    version = coder_version()
    con = connect_waiting(db_path, lock_timeout, listener.waiting)
    try:
        known = {r[0]: (r[1], r[2]) for r in
                 con.execute("SELECT id, content_hash, coder_version FROM articles").fetchall()}
        stream = _Stream(paths, default_date, known, version, on_problem, listener.advanced,
                         on_warning, max_in_flight=max(64, 4 * max(1, workers) * batch_size))
        writer = _Writer(con, report, listener, commit_stories, commit_seconds)
        _code_into(writer, stream, coder or _default_coder, workers, batch_size, version, report)
        report.unchanged = stream.unchanged
        if cluster:
            from eventwire import dedup
            stats = dedup.update_clusters(con)
            report.clustered_events = stats.get("events", 0)
        report.clusters = con.execute("SELECT count(*) FROM clusters").fetchone()[0]
    finally:
        con.close()
    report.seconds = time.monotonic() - t0
    return report


def _code_into(writer: _Writer, stream: _Stream, coder: Callable, workers: int, batch_size: int,
               version: str, report: IngestReport) -> None:
    """Code the stream and store each result; Ctrl-C keeps what was coded (re-run to finish)."""
    results = iter(coder(stream, max(1, workers), batch_size))
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    try:
        for item in results:
            h, outcome = stream.done(item.article)
            if item.problem:
                writer.problem(item.problem)
            else:
                s = prepare_story(item, h, version, now)
                s.outcome = outcome
                writer.add(s)
            if writer.due():
                writer.flush()
                now = datetime.now(timezone.utc).replace(tzinfo=None)
        writer.flush()
    except KeyboardInterrupt:
        report.interrupted = True
        stream.stop.set()
        writer.flush()
    finally:
        stream.stop.set()
        close = getattr(results, "close", None)
        if close:
            try:
                close()
            except Exception:
                pass


# ---------------------------------------------------------------------------------------------
# small read helpers for other layers (web UI, exports, tests)

def counts(db_path_or_con) -> dict[str, int]:
    con, own = _con(db_path_or_con)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "events", "places", "times", "clusters", "event_clusters")}
    finally:
        if own:
            con.close()


def _con(db_path_or_con):
    if isinstance(db_path_or_con, duckdb.DuckDBPyConnection):
        return db_path_or_con, False
    return connect(db_path_or_con, read_only=True), True
