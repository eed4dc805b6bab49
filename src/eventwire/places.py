"""Places stage: find toponyms and resolve them to GeoNames (event location: `event_location`).

Two steps, both in `annotate(doc)`:

1. Recognition. The model's GPE/LOC/FAC entities (extended to the whole gazetteer name when
   the model cuts it short), NORP entities that are demonyms ("French" -> France, marked
   `adjectival`), press abbreviations after a town ("Kingston, Ont."), and a gazetteer scan
   over runs of capitalised tokens for the names the model misses ("Liverpool" in
   "Liverpool FC" is still a toponym for the geoparser). A word of a person's name is not
   a place; a lone division name nobody tagged is kept only in a story set in its country.
2. Resolution. Each mention's normalised name looks up its candidates in the shared
   gazetteer index (`gazetteer.py`: countries, admin1/admin2 divisions, towns with their
   divisions, curated regions). The kind of place the text implies filters them ("X County"
   is a division; a town inside "X Bay" stands for it only near the story), then `_score`
   ranks them: prior (population, admin level) + the story's focus countries + containment
   by divisions named nearby + distance to the story's other towns. Villages are readings
   only inside a division the story names. Features and names the gazetteer lacks are put
   at the story's place (approximate: nameless, never an event location).

The story's own place (dateline, else focus) is left in `doc.user_data[STORY_PLACE_KEY]` for
the event location stage.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from eventwire.event_location import STORY_PLACE_KEY
from eventwire.gazetteer import LEVEL_PRIOR, Candidate, Gazetteer, gazetteer, normalise  # noqa: F401
from eventwire.nlp import text_of
from eventwire.records import Place
# PLACE_LABELS: the entity labels the model uses for places. NORP is only kept when it is a
# known demonym.
from eventwire.syntax import PLACE_LABELS, km, tokens_where


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
    division: bool = False    # "Greene County", "Nyanza Province": the text says a division
    tentative: bool = False   # a lone division name nobody tagged: kept only if the story is there
    slot: str | None = None   # found by its place in the text, not by the model: "kind" ("the
                              # town of X"), "site" ("X camps"), "list" ("A, X and B")


_LOWER_JOINERS = {"of", "and", "de", "del", "la", "le", "du", "al", "el", "upon", "on", "the",
                  # Portuguese, Italian, Dutch and German particles ("Rio Grande do Sul")
                  "do", "da", "dos", "das", "di", "van", "von", "der", "den",
                  # possessives inside official names ("People's Republic of China")
                  "'s", "’s"}


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
            for k in range(_place_before_title(ent, gaz), ent.end):
                person[k] = True
            if len(ent) > 1:
                for t in ent:
                    # "By Ann Lee US-based ...": a short all-capitals word is an abbreviation
                    # the model swept into the name, never a family name
                    if not (t.text.isupper() and len(t.text) <= 3):
                        surnames[t.lower_].add(ent.text.lower())

    if surnames:
        # "Tom Telford said ... Telford added": the person again, wherever the model missed it
        for tok in tokens_where(doc, "LOWER", list(surnames)):
            if not person[tok.i] and not tok.ent_type_ and _surname_of_someone(tok, surnames):
                person[tok.i] = True

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
        if i >= j or any(taken[k] for k in range(i, j)):
            continue
        if label in PLACE_LABELS and j - i == 1 and normalise(doc[i].text) in gaz.modifier and \
                not any(c.curated for c, _ in gaz.index.get(normalise(doc[i].text), [])):
            continue   # "the West", "the South": a direction, not a region of that name abroad
        if label in PLACE_LABELS and j - i == 1 and _surname_of_someone(doc[i], surnames):
            person[i] = True   # "Michael Jordan led the Bulls ... Jordan scored": the person again
            continue
        if label == "NORP":
            longer = _whole_name(doc, i, j, gaz)
            if longer > j:   # "French | Guiana", "South | Sudanese": the people's word starts a place name
                j, label = longer, "GPE"
        else:
            j = _whole_name(doc, i, j, gaz)   # the model cut "the Democratic Republic of the | Congo"
            i = _whole_name_left(doc, i, j, gaz, taken)   # ... or "People's | Republic of China"
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
        end = k + 1
        cand = gaz.abbrevs.get(w) or (gaz.us_states.get(w) if len(w) == 2 and w.isupper() else None)
        if cand is None and end < len(doc) and words[end] == ".":
            cand = gaz.abbrevs.get(w + ".")   # the tokenizer split "Ont." before a comma
            end += 1
        if cand is not None and cand.lat is not None:
            mentions.append(Mention(k, end, "GPE", normalise(w), [(cand, False)]))
            claim(k, end)

    # 3. Names in a place's slot, whatever the model made of them: "the town of X", "X
    # province", "the X camps". Then the gazetteer scan for what the model missed (inside
    # ORG names too), then names listed with places ("A, X and B").
    for m in _slot_mentions(doc, gaz, taken, person, surnames):
        mentions.append(m)
        claim(m.i, m.j)
    mentions.extend(_scan(doc, 0, len(doc), gaz, person, taken, strict=True))
    for m in mentions:
        for k in range(m.i, m.j):
            taken[k] = True
    for m in _listed_mentions(doc, gaz, mentions, taken, person):
        mentions.append(m)
        claim(m.i, m.j)

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
    _mark_within(doc, mentions, gaz)
    for m in mentions:
        _keep_kind_said(m, doc, gaz)
    return mentions


# ------------------------------------------------------------------ names in a place's slot

# joiners inside a name the model may split ("Ceamurlia de Jos", "Al-Minya", "Dogu Beyazit")
_RUN_JOINERS = {"-", "de", "del", "da", "do", "dos", "la", "al", "el", "ul"}
# prepositions that set a scene: "in X", "at X" make a known town of the story's country a
# place whatever the model tagged it (it tags many towns it does not know PERSON, ORG, DATE)
_SCENE_PREPS = {"in", "at", "near", "outside", "on", "into", "throughout", "across"}
# function words capitalised at a sentence's start: never the first word of a name run
_NOT_NAMES = {"the", "a", "an", "in", "at", "on", "for", "and", "but", "this", "that", "its",
              "their", "his", "her", "our", "from", "to", "by", "with", "as", "after", "before"}
# "a Kent-based firm", "the Ohio-born singer": the name before the hyphen is a place
_BASED = {"based", "born", "headquartered", "registered", "bred", "raised"}
# kinds of place that are divisions: "the state of X" keeps X's division readings ("the X
# region" is not one: it is as often the area around the city X)
_DIVISION_KINDS = {"province", "provinces", "state", "county", "counties", "district", "districts",
                   "governorate", "prefecture", "oblast"}
# kinds that are settlements: "the town of X" keeps X's towns
_SETTLEMENT_KINDS = {"town", "towns", "village", "villages", "city", "cities", "hamlet", "hamlets",
                     "community", "suburb", "township", "municipality", "capital", "port"}


def _name_run(words: list[str], caps: list[bool], k: int, n: int, taken: list[bool]) -> int:
    """End of the run of capitalised words starting at k (at most 4 words, joined by hyphens
    and particles: "Ceamurlia de Jos"); k when there is none."""
    j = k
    if words[k].lower() in _NOT_NAMES:
        return k   # "The", "In" capitalised at a sentence's start
    while j < n and j - k < 5 and not taken[j]:
        if caps[j]:
            j += 1
        elif words[j].lower() in _RUN_JOINERS and j > k and j + 1 < n and caps[j + 1] and not taken[j + 1]:
            j += 1
        else:
            break
    while j > k and not caps[j - 1]:
        j -= 1
    return j


def _name_runs(words: list[str], caps: list[bool], taken: list[bool], after_a_name: bool = True):
    """(start, end) of each run of capitalised words not taken yet, left to right (see
    `_name_run`); `taken` may grow between runs. `after_a_name=False` skips a word right after
    another capitalised word not taken (the middle of a longer name)."""
    n = len(words)
    k = 0
    while k < n:
        if taken[k] or not caps[k] or (not after_a_name and k > 0 and caps[k - 1] and not taken[k - 1]):
            k += 1
            continue
        j = _name_run(words, caps, k, n, taken)
        if j <= k:
            k += 1
            continue
        yield k, j
        k = j


def _run_key(text: str, words: list[str], idx: list[int], k: int, j: int) -> str:
    """The normalised text of the words k..j-1 (as the gazetteer's index keys)."""
    return normalise(text[idx[k]:idx[j - 1] + len(words[j - 1])])


class _Lowered:
    """`words[k].lower()` on demand: lower-casing a whole story per mention grew with the
    square of its length (performance only)."""

    def __init__(self, words: list[str]) -> None:
        self.words = words

    def __getitem__(self, k: int) -> str:
        return self.words[k].lower()


def _kind_said(words: list[str], i: int, j: int, gaz: Gazetteer) -> str | None:
    """The kind of place the words around doc[i:j] say it is: "the town of X", "a village
    called X", "the province X", "X province", "X, a farming town"; None when they say none."""
    low = _Lowered(words)
    n = len(words)
    if i >= 2 and low[i - 1] == "of" and low[i - 2] in gaz.kind_of:
        return low[i - 2]
    if i >= 2 and low[i - 1] in ("called", "named"):
        for x in range(max(0, i - 4), i - 1):
            if low[x] in gaz.kind_of:
                return low[x]
    if i >= 2 and low[i - 1] in gaz.kind_of and words[i - 1].islower() and low[i - 2] == "the":
        return low[i - 1]
    if j < n and low[j] in gaz.place_after and words[j].islower():
        return low[j]
    after = low[j].rstrip(".") if j < n else ""
    if after in gaz.state_organs or (j + 1 < n and f"{after} {low[j + 1]}" in gaz.state_organs):
        return "state"   # "the X Governor", "X lawmakers": the state's government
    if after in gaz.city_organs:
        return "city"    # "the X Mayor"
    if i >= 2 and low[i - 1] == "of" and low[i - 2] in gaz.city_organs:
        return "city"    # "the mayor of X"
    if i >= 2 and low[i - 1] == "of" and low[i - 2] in gaz.state_organs:
        return "state"   # "the governor of X"
    if j + 2 < n and low[j] == "," and low[j + 1] in ("a", "an"):
        for x in range(j + 2, min(n, j + 5)):
            if low[x] in gaz.kind_of and words[x].islower():
                return low[x]
            if low[x] in (",", ".", "of", "in"):
                break
    return None


def _of_kind(cands, kind: str | None):
    """Only the readings a kind of place allows ("state" -> divisions and countries)."""
    if kind in _DIVISION_KINDS:
        return [(c, alt) for c, alt in cands if c.level in ("province", "district", "region", "country")]
    if kind in _SETTLEMENT_KINDS:
        return [(c, alt) for c, alt in cands if c.level in ("city", "district")]
    return cands


def _keep_kind_said(m: Mention, doc: Doc, gaz: Gazetteer) -> None:
    """'the state of Washington', 'the city of Mexico': keep the readings of the kind the
    text says, when there are any."""
    if m.demonym is not None or len(m.candidates) < 2:
        return
    words, _c, _j, _i = _token_arrays(doc)
    kept = _of_kind(m.candidates, _kind_said(words, m.i, m.j, gaz))
    if kept:
        m.candidates = kept
        if any(c.level != "city" for c, _ in kept) and all(c.level != "city" for c, _ in kept):
            m.division = True


def _inside_longer_person(doc: Doc, i: int, j: int) -> bool:
    """Is doc[i:j] part of a longer PERSON name ("Mabini Vice-Mayor Ester Tabigue")?"""
    for k in range(i, j):
        t = doc[k]
        if t.ent_type_ == "PERSON":
            ent_start = k if t.ent_iob_ == "B" else None
            x = k
            while ent_start is None and x > 0:
                x -= 1
                if doc[x].ent_iob_ == "B":
                    ent_start = x
            ent_end = k + 1
            while ent_end < len(doc) and doc[ent_end].ent_iob_ == "I":
                ent_end += 1
            if (ent_start is not None and ent_start < i) or ent_end > j:
                return True
    return False


def _slot_mentions(doc: Doc, gaz: Gazetteer, taken: list[bool], person: list[bool],
                   surnames: dict[str, set[str]]) -> list[Mention]:
    """Names the words around them make places ("the town of X", "X province", "X camps").
    Known names take their readings of that kind; an unknown name after a word of a kind of
    place is still a place (put at the story's place later); before a word for a site only a
    known town of the story's country counts (tentative)."""
    words, caps, _joinable, idx = _token_arrays(doc)
    text = _text(doc)
    n = len(doc)
    out: list[Mention] = []
    for k, j in _name_runs(words, caps, taken):
        key = _run_key(text, words, idx, k, j)
        kind = _kind_said(words, k, j, gaz)
        site = kind is None and ((j < n and words[j] in gaz.site_after) or
                                 (k > 0 and words[k - 1].lower() in _SCENE_PREPS and doc[k].ent_type_ != "GPE") or
                                 (j + 1 < n and words[j] in ("-", "–") and words[j + 1].lower() in _BASED))
        if (kind is None and not site) or not key or key in gaz.stop or key in gaz.demonyms or \
                normalise(words[j - 1]) in gaz.feature | gaz.organisation | gaz.division or \
                all(normalise(w) in gaz.modifier for w in words[k:j]) or \
                any(doc[x].like_num for x in range(k, j)) or _inside_longer_person(doc, k, j):
            continue
        if site and ((person[k] and doc[k].ent_type_ != "PERSON") or
                     (j - k == 1 and _surname_of_someone(doc[k], surnames)) or
                     (j < n and caps[j])):
            continue   # "the Smith campaign ... Smith hospital": the person named in full
        cands = _of_kind(gaz.index.get(key, []), kind)
        if site:
            cands = [(c, alt) for c, alt in _acronym_filter(words[k], key, cands) if not alt or c.level != "city"]
        villages = bool(gaz.small.get(key))
        if cands or villages or not site:
            well_known = any(not alt and c.level != "city" and _well_known(c) for c, alt in cands)
            out.append(Mention(k, j, "GPE", key, cands, slot="site" if site else "kind",
                               tentative=site and not well_known,
                               division=kind in _DIVISION_KINDS and bool(cands)))
    return out


def _listed_mentions(doc: Doc, gaz: Gazetteer, mentions: list[Mention], taken: list[bool],
                     person: list[bool]) -> list[Mention]:
    """Names listed with places ("Temryuk and Anapa", "A, X, Y and B"): a name the gazetteer
    knows (a primary name, a village) is a place when the story is in its country
    (tentative); an unknown one only between two places of the list."""
    words, caps, _joinable, idx = _token_arrays(doc)
    text = _text(doc)
    n = len(doc)
    ends = {m.j: m for m in mentions if m.demonym is None and not m.compound}
    starts = {m.i: m for m in mentions if m.demonym is None and not m.compound}
    out: list[Mention] = []
    for _round in range(3):   # chains: "A, X, Y and B" fills in from both ends
        added = False
        for k, j in _name_runs(words, caps, taken, after_a_name=False):
            left = _list_neighbour_end(words, k)
            right = _list_neighbour_start(words, j, n)
            before = left is not None and left in ends
            after = right is not None and right in starts
            # a list, not "In Kabul, X said": separators on both sides, "and"/"or" on one, or
            # a comma before a place that a separator follows ("X, Oslo, Bergen")
            listed = (left is not None and (right is not None or words[k - 1].lower() in ("and", "or"))) or \
                (right is not None and words[j].lower() in ("and", "or")) or \
                (after and _list_neighbour_start(words, starts[right].j, n) is not None)
            if not listed or not (before or after):
                continue
            key = _run_key(text, words, idx, k, j)
            if not key or key in gaz.stop or _inside_longer_person(doc, k, j) or \
                    normalise(words[j - 1]) in gaz.feature | gaz.organisation or \
                    any(doc[x].like_num for x in range(k, j)):
                continue
            cands = [(c, alt) for c, alt in gaz.index.get(key, []) if not alt or c.population >= 100_000]
            if cands or (before and after):   # a village or an unknown name: between two places
                m = Mention(k, j, "GPE", key, cands, slot="list", tentative=bool(cands))
                out.append(m)
                for x in range(k, j):
                    taken[x] = True
                ends[j] = m
                starts[k] = m
                added = True
        if not added:
            break
    return out


def _list_neighbour_end(words: list[str], k: int) -> int | None:
    """Where the list item before doc[k] ends, if a list separator ("," "and" ", and") stands
    right before k."""
    x = k - 1
    if x >= 0 and words[x].lower() in ("and", "or"):
        x -= 1
        if x >= 0 and words[x] == ",":
            x -= 1
        return x + 1 if x >= 0 else None
    if x >= 0 and words[x] == ",":
        return x
    return None


def _list_neighbour_start(words: list[str], j: int, n: int) -> int | None:
    """Where the list item after doc[:j] starts, if a list separator follows."""
    x = j
    if x < n and words[x] == ",":
        x += 1
        if x < n and words[x].lower() in ("and", "or"):
            x += 1
        return x if x < n else None
    if x < n and words[x].lower() in ("and", "or"):
        return x + 1 if x + 1 < n else None
    return None


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
        if m.demonym is None and _names_a_division(m, words, gaz):
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


def _whole_name(doc: Doc, i: int, j: int, gaz: Gazetteer) -> int:
    """End of the longest gazetteer name that starts where the entity starts and reaches at
    least as far ("Newfoundland and Labrador", "Democratic Republic of the Congo" when the
    model ends the entity early); `j` when there is none or the entity's own text is longer."""
    words, caps, joinable, idx = _token_arrays(doc)
    first = normalise(words[i])
    longest = gaz.first_words.get(first.split()[0] if first else "", 0)
    text = _text(doc)
    for end in range(min(len(doc), i + longest + 2), j, -1):
        last = end - 1
        if not caps[last] or not all(joinable[x] for x in range(i, end)):
            continue
        if any(not alt for _, alt in gaz.index.get(normalise(text[idx[i]:idx[last] + len(words[last])]), [])):
            return end
    return j


def _whole_name_left(doc: Doc, i: int, j: int, gaz: Gazetteer, taken: list[bool]) -> int:
    """Start of the longest gazetteer name that ends where the entity ends and begins up to
    three capitalised words (or a possessive "'s") before it ("People's | Republic of China",
    "Mission | Viejo"); `i` when there is none. Only primary names count."""
    words, caps, _joinable, idx = _token_arrays(doc)
    text = _text(doc)
    best = i
    for start in range(i - 1, max(-1, i - 4), -1):
        w = words[start]
        if taken[start] or not (caps[start] or w in ("'s", "’s")) or doc[start].ent_type_ == "PERSON" \
                or w.lower() in _NOT_NAMES:
            break
        if not caps[start]:
            continue
        key = normalise(text[idx[start]:idx[j - 1] + len(words[j - 1])])
        if any(not alt for _, alt in gaz.index.get(key, [])):
            best = start
    return best


def _names_a_division(m: Mention, words: list[str], gaz: Gazetteer) -> bool:
    """'Greene County', 'in Nyanza Province', 'Kherson oblast': the word after the name (or
    its own last word) says it is an administrative division. Then only division readings
    are kept ("County" never makes the name a town); True when there is one."""
    last = normalise(words[m.j - 1])
    nxt = normalise(words[m.j]) if m.j < len(words) else ""
    if last not in gaz.division and nxt not in gaz.division:
        return False
    if last not in gaz.division and words[m.j] == "region" and \
            any(not alt and c.level == "city" and c.population >= 100_000 for c, alt in m.candidates):
        return False   # "the Austin region": the area around the city, not a county of its name
    divisions = [(c, alt) for c, alt in m.candidates if c.level in ("district", "province", "region")]
    if not divisions:
        return False
    m.candidates = divisions
    m.division = True
    return True


def _mark_within(doc: Doc, mentions: list[Mention], gaz: Gazetteer) -> None:
    """'Tacoma, Washington', 'Gainesville, Va.', 'DURBAN, South Africa': a place followed
    by a comma and a larger one lies in it; the larger one is the state or country."""
    words = _token_arrays(doc)[0]
    for n, (a, b) in enumerate(zip(mentions, mentions[1:])):
        if b.i != a.j + 1 or words[a.j] != "," or a.demonym is not None or b.demonym is not None:
            continue
        if _listed_on(words, mentions, n + 1):
            continue   # "visits to Oslo, Bern and Rome": a list, not a town and its state
        outer = [c for c, alt in b.candidates if c.level in ("district", "province", "country") and not alt]
        towns = [c for c, _ in a.candidates if c.level in ("city", "district")]
        may_be_village = a.label in PLACE_LABELS and not a.compound and bool(gaz.small.get(a.key))
        if not outer or not (towns or may_be_village):
            continue
        metro = _metropolis_around(a, b)
        if metro is not None:
            # "the Bronx, New York", "Kowloon, Hong Kong": a district of the city of that name
            a.within, b.candidates = metro, [(metro, False)]
            continue
        # the largest reading of b that holds a reading of a: "Dublin, Georgia" is the US
        # state (no Dublin in the country), a village counts ("Santa Ana, Davao del Norte")
        for big in sorted(outer, key=lambda c: -LEVEL_PRIOR.get(c.level, 0)):
            inside = [c for c in towns if c is not big and _inside(c, big)]
            if not inside and may_be_village:
                inside = [v for v, _ in _villages(gaz, a.key) if _inside(v, big)]
                a.candidates = a.candidates + [(v, False) for v in inside]
            if inside:
                a.within = big
                b.candidates = [(big, False)]
                break


def _listed_on(words: list[str], mentions: list[Mention], n: int) -> bool:
    """Does the list go on after mentions[n] ("A, B and C", "A, B, C")? Then "A, B" are two
    items of the list, not a place and the state or country it lies in."""
    b = mentions[n]
    written = "".join(words[b.i:b.j])
    if written.endswith(".") or (len(written) == 2 and written.isupper()):
        return False   # "Springfield, Ill., and ...": a press abbreviation only ever locates
    if b.j < len(words) and words[b.j].lower() in ("and", "or"):
        return True
    if b.j < len(words) and words[b.j] == "," and n + 1 < len(mentions):
        c = mentions[n + 1]
        if c.i == b.j + 1 and (c.demonym is not None or any(x.level == "country" for x, _ in c.candidates)):
            return False   # "Jackson, Michigan, USA": town, state and country
        return c.i == b.j + 1 or (c.i == b.j + 2 and words[b.j + 1].lower() in ("and", "or"))
    return False


# A town this close to a city of millions that shares its name with a state ("New York")
# is one of the city's districts or suburbs when the text writes "Town, New York".
_METRO_KM = 40


def _metropolis_around(a: Mention, b: Mention) -> Candidate | None:
    """The city of millions among b's readings that one of a's readings lies within
    `_METRO_KM` of ("the Bronx, New York" is New York City; "Rochester, New York" the state)."""
    cities = [c for c, alt in b.candidates if not alt and c.level == "city" and c.population >= 1_000_000
              and c.lat is not None]
    for city in cities:
        if any(c is not city and c.lat is not None and _km(c, city) <= _METRO_KM for c, _ in a.candidates):
            return city
    return None


def _inside(c: Candidate, outer: Candidate) -> bool:
    if outer.level == "country":
        return c.country == outer.country
    if outer.level == "district" and outer.admin2:
        return c.admin2 == outer.admin2
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
    ("Gloucester and Cheltenham"), or followed by a comma and the state or country it lies
    in ("Matias Romero, Oaxaca", "Slidell, La."). Not a word of a person named elsewhere in
    the story ("Bill Nelson ... from Nelson"), nor after a verb of speech ("a statement from
    Nelson")."""
    whole = ent.text.lower()
    if any(surnames.get(t.lower_, set()) - {whole} for t in ent):
        return False
    readings = [(c, alt) for c, alt in gaz.index.get(normalise(ent.text), [])
                if c.level == "city" and c.lat is not None and c.population >= 5000]
    if _followed_by_its_region(ent, [c for c, _ in readings], gaz):
        return True   # the region after it vouches even for an alternate spelling
    if not any(not alt for _, alt in readings):
        return False
    root = ent.root
    if root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPS:
        head = root.head.head   # "close to McGregor", "similar to", "a letter from"
        return head.pos_ != "ADJ" and head.lemma_.lower() not in _SPEECH_HEADS
    if root.dep_ == "conj" and root.head.ent_type_ in ("GPE", "LOC") and root.head.i < ent.start:
        return True
    return False


def _followed_by_its_region(ent: Span, towns: list[Candidate], gaz: Gazetteer) -> bool:
    """'X, Oaxaca', 'X, La.', 'X, Kenya': a comma, then a state, province or country that
    one of the towns named X lies in."""
    doc = ent.doc
    if ent.end + 1 >= len(doc) or doc[ent.end].text != ",":
        return False
    nxt = doc[ent.end + 1]
    written = nxt.text + ("." if ent.end + 2 < len(doc) and doc[ent.end + 2].text == "." else "")
    outer = [gaz.abbrevs[w] for w in (nxt.text, written) if w in gaz.abbrevs]
    if not outer and nxt.ent_type_ in ("GPE", "LOC"):
        ent_span = next((e for e in doc.ents if e.start == nxt.i), None)
        if ent_span is not None:
            outer = [c for c, alt in gaz.index.get(normalise(ent_span.text), [])
                     if not alt and c.level in ("province", "country")]
    return any(_inside(t, o) for t in towns for o in outer)


def _place_before_title(ent: Span, gaz: Gazetteer) -> int:
    """Where the person's name starts in 'Queensland Premier Anna Bligh', 'Texas Governor
    Rick Perry': the model takes the whole run as a PERSON; a country or well-known state
    in front of two or more further capitalised words is the place of the office, not part
    of the name. Returns the first token of the name proper."""
    if len(ent) < 3:
        return ent.start
    for n in (2, 1):
        if len(ent) - n < 2:
            continue
        cands = gaz.index.get(normalise(ent[:n].text), [])
        if any(not alt and c.level in ("country", "province") and _well_known(c) for c, alt in cands):
            return ent.start + n
    return ent.start


def _surname_of_someone(tok: Token, surnames: dict[str, set[str]]) -> bool:
    """A one-word 'place' that is the family name of a person named in full elsewhere in
    the story is that person again, unless a preposition puts it in a place's slot ("flew
    to Jordan", "the King of Jordan"). Only the last word of a name counts ("US President
    Ann Lee" makes no later "US" a person)."""
    names = surnames.get(tok.lower_)
    if not names or not any(n.split()[-1] == tok.lower_ for n in names):
        return False
    return not (tok.dep_ == "pobj" and tok.head.lower_ in _PLACE_PREPS | {"of"})


def _well_known(c: Candidate) -> bool:
    """A division whose bare name news uses without saying what it is: curated ones and the
    US states. Thousands of other divisions share their name with words, firms and surnames
    ("Nelson", "Central", "Meta"): alone, those need the story to be in their country."""
    if c.level in ("country", "region") or c.curated:
        return True
    return c.level == "province" and (c.admin1 or "").startswith("US.")


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
    if ent.label_ == "PERSON" and len(ent) == 1 and _surname_of_someone(ent[0], surnames or {}):
        return None
    named_kind = len(ent) > 1 and key.split()[-1] in gaz.division   # "Sokoto State"
    if any(not alt and (c.level in ("country", "region") or (c.level == "province" and _well_known(c))
                        or (named_kind and c.level in ("province", "district")))
           for c, alt in gaz.index.get(key, [])):
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
    text = _text(doc)
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
            if dem is not None and cands and all(alt for _, alt in cands):
                cands = []   # "Canadian" is the people's word, not an alternate name of a county
            if n == 1 and not dem and (key in gaz.feature or key in gaz.modifier or key in gaz.organisation):
                continue   # "Center", "Federal", "North": a town's name, but a word first
            if n == 1 and cands:
                cands = _acronym_filter(words[k], key, cands)
                if not cands and not dem:
                    continue
            span = doc[k:k + n]
            tentative = False
            if strict and not _plausible(span, key, cands or [], dem, gaz):
                tentative = _lone_division(span, key, cands or [], gaz)
                if not tentative:
                    continue
            if not strict and n == 1 and end - start > 1 and not dem and \
                    not _well_known_part(cands, _rest_is_generic(words, caps, start, end, k, gaz)):
                # one word of a longer name the gazetteer lacks ("Fort Hood", "Abu Shok",
                # "Cyber Tech Career College"): only a well-known place is meant there
                # ("north west London"), or any place before a generic word ("Idlib province")
                continue
            found = Mention(k, k + n, "NORP" if dem and not cands else "SCAN", key,
                            cands or [], demonym=dem if not cands else None, tentative=tentative)
            break
        if found:
            out.append(found)
            k = found.j
        else:
            k += 1
    return out


def _rest_is_generic(words: list[str], caps: list[bool], start: int, end: int, k: int,
                     gaz: Gazetteer) -> bool:
    """Are the other words of the span lower case or kinds of place ("province", "North")?"""
    kinds = gaz.feature | gaz.modifier
    return all(not caps[x] or normalise(words[x]) in kinds for x in range(start, end) if x != k)


def _well_known_part(cands, generic_rest: bool) -> bool:
    """Is a one-word part of a longer unknown name a place by itself? By its primary name
    only (an alternate "Fort" of Augusta is not), and a town only when big or when the
    rest of the name just says what kind of place it is."""
    primary = [c for c, alt in cands if not alt and not c.weak]
    if generic_rest:
        return bool(primary)
    return any(c.level != "city" and _well_known(c) or c.population >= 100_000 for c in primary)


def _text(doc: Doc) -> str:
    """The story's text, joined once per Doc (a Doc without its article re-joins its tokens
    on every `doc.text`)."""
    text = doc.user_data.get("eventwire_places_text")
    if text is None:
        text = doc.user_data["eventwire_places_text"] = text_of(doc)
    return text


def _token_arrays(doc: Doc) -> tuple[list[str], list[bool], list[bool], list[int]]:
    """Per-doc token texts, "is capitalised", and "may sit inside a name" ("Bay of Bengal")."""
    cached = doc.user_data.get("eventwire_places_tokens")
    if cached is None:
        strings = doc.vocab.strings
        words = [strings[o] for o in doc.to_array("ORTH").tolist()]   # no Token objects
        # "'Ayn" counts as capitalised, the possessive "'s" does not ("Peru's" is not "Perus")
        caps = [bool(w) and (w[0].isupper() or (w[0] == "'" and len(w) > 1 and w.lower() != "'s"))
                for w in words]
        joinable = [c or w.lower() in _LOWER_JOINERS or (len(w) == 1 and not w.isalnum() and w != "\n")
                    for w, c in zip(words, caps)]
        cached = (words, caps, joinable, doc.to_array("IDX").tolist())
        doc.user_data["eventwire_places_tokens"] = cached
    return cached


def _lone_division(span: Span, key: str, cands, gaz: Gazetteer) -> bool:
    """A single proper noun that is the primary name of a county, district or province
    ("Telemark", "Manicaland"): a place if the story is in that country (decided after
    resolution, see `_drop_tentative`); thousands of such names are also ordinary words."""
    return (len(span) == 1 and span[0].pos_ == "PROPN" and key not in gaz.stop
            and span[0].ent_type_ in ("", "ORG", "NORP")
            and any(not alt and c.level in ("district", "province") for c, alt in cands))


def _drop_tentative(mentions: list[Mention], resolved: list[Candidate | None],
                    ctx: Counter) -> tuple[list[Mention], list[Candidate | None]]:
    """Keep a tentative division only when other mentions put the story in its country."""
    keep = [(m, c) for m, c in zip(mentions, resolved)
            if not m.tentative or (c is not None and c.country and ctx.get(c.country, 0) >= 1)]
    return [m for m, _ in keep], [c for _, c in keep]


def _plausible(span: Span, key: str, cands, dem, gaz: Gazetteer) -> bool:
    """Is a gazetteer hit outside the model's place entities likely a place?"""
    if key in gaz.stop:
        return False
    if key in gaz.initials and len(span) == 1 and len(cands) > 1:
        # "Repsol SA", "the WA Club": initials of several states are one only where tagged a place
        return False
    if dem is not None and not cands:
        # adjectives only when tagged as such: "French engineer", not "French" the surname
        return span[-1].pos_ in ("ADJ", "PROPN", "NOUN") and span[0].ent_type_ in ("", "NORP", "ORG")
    root = span.root
    if len(span) == 1 and root.pos_ not in ("PROPN",):
        return False
    if span[0].ent_type_ == "MONEY" and len(span) == 1 and \
            any(not alt and c.level == "country" for c, alt in cands):
        return True   # "40 billion US dollars": the currency is named by its country
    if span[0].ent_type_ in ("MONEY", "CARDINAL", "ORDINAL", "PERCENT", "WORK_OF_ART") or \
            any(t.like_num for t in span):
        return False
    best = max((c for c, alt in cands if not c.weak), default=None,
               key=lambda c: (c.level != "city", c.population))
    if best is None:
        return False
    primary = any(not alt and not c.weak for c, alt in cands)
    if best.level != "city" and (len(span) > 1 or any(
            not alt and not c.weak and c.level != "city" and _well_known(c) for c, alt in cands)):
        return True
    # a lone city name the model did not tag: needs to be a primary name, or an alternate
    # spelling of a city of 100,000+ people ("Douma" for Duma)
    if not any(c.level == "city" for c, alt in cands):
        return False
    if not primary:
        # an alternate spelling of a city of 100,000+ ("Douma" for Duma, "Suk Ahras" for Souk
        # Ahras): one word, or a run of capitalised words the model did not call a place
        return any(c.level == "city" and c.population >= 100_000 for c, _ in cands)
    pop = max(c.population for c, alt in cands if c.level == "city")
    return pop >= 100_000 or (len(span) > 1 and pop >= 5000) or span[0].ent_type_ in ("ORG", "FAC", "LOC", "GPE")


# ------------------------------------------------------------------ resolution

def _score(c: Candidate, alt: bool, ctx: Counter, states: Counter, dl_country: str | None,
           label: str, within: Candidate | None = None) -> float:
    """How likely this reading of a name is, given the story. The scoring function:

        score = prior + focus + containment + kind

    prior: what the name usually means, in orders of magnitude of population. A town:
        log10(population), +1.5 for a capital, +0.5 for a city of millions. A county or
        district: log10(its towns' population) - 1, at most 5. A well-known state or
        province (curated, a US state) 6.5, another one log10(population) + 0.5, at most
        6.5; a region 7, a country 7.5 (beats any town of its name bar the capital-sized).
        A curated entry +1; an alternate name -2.5; a weak source -2; no coordinates -5.
    focus: the story's countries. +3 x the share of the story's clear place mentions in the
        candidate's country (a story about Ohio that names Britain once does not turn
        "Birmingham" into Birmingham, Alabama), +1 for the dateline's country.
    containment: places named nearby. +2 when the candidate's state/province (admin1) is
        named in the story ("in Queensland"), +1.5 more for its county/district (admin2);
        +4 when the text puts it in one ("Springfield, Ill.", "Pandi, Bulacan"). An
        alternate name gets no containment bonus ("Mexico" beside "Mexico City" is still
        the country).
    kind: a model FAC (a building) is not a country (-1).

    Distance to the story's other towns (+1.5 within 250 km) is added in `_resolve`, and
    the kind of feature the text implies ("X County", "X Park") filters the candidates
    before scoring (`_names_a_division`, `_stands_alone`). Context (+1.5 to +4) thus
    outweighs a factor of ~30 to 10,000 in population: "London" in a story about Ohio is
    still London, England, but "Paris" near "Texas" is Paris, Texas.
    """
    return _prior(c, alt) + _focus_bonus(c, ctx, dl_country) + \
        _containment_bonus(c, alt, states, within) - (1.0 if label == "FAC" and c.level == "country" else 0.0)


def _prior(c: Candidate, alt: bool) -> float:
    if c.level == "city":
        s = math.log10(c.population + 10)
        if c.capital:
            s += 1.5
        if c.population >= 1_000_000:
            s += 0.5           # a city of millions is the usual reading of its name
    elif c.level == "district":
        s = min(math.log10(c.population + 10) - 1.0, 5.0)
    elif c.level == "province" and not _well_known(c):
        # one of thousands of provinces: as likely as a town of about three times fewer
        # people ("Portland" is the Oregon city, not the Jamaican parish)
        s = min(math.log10(c.population + 10) + 0.5, LEVEL_PRIOR["province"])
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
    return s


def _focus_bonus(c: Candidate, ctx: Counter, dl_country: str | None) -> float:
    if not c.country:
        return 0.0
    s = 3.0 * ctx.get(c.country, 0.0)
    if dl_country and c.country == dl_country:
        s += 1.0
    return s


def _implied(code: str) -> str:
    """The key under which a division only implied by a town in it is counted ("Atlanta"
    implies Georgia; the story does not name Georgia)."""
    return "in:" + code


def _division_weight(code: str | None, states: Counter, town: bool) -> float:
    """How much a story's division speaks for a reading inside it: fully when the story
    names the division; when only a town in it implies it, fully for a division's or a
    city's reading ("Atlanta" makes "Georgia" the state) but half for a small town's (a
    story that names New York City does not make "Boston" the village of Boston, New York)."""
    if not code:
        return 0.0
    if states.get(code):
        return 1.0
    if states.get(_implied(code)):
        return 0.5 if town else 1.0
    return 0.0


def _containment_bonus(c: Candidate, alt: bool, states: Counter, within: Candidate | None) -> float:
    if alt:
        return 0.0
    s = 0.0
    town = c.level == "city" and c.population < 100_000
    w1 = _division_weight(c.admin1, states, town)
    if w1:
        s += 2.0 * w1
        s += 1.5 * _division_weight(c.admin2, states, town)
    if within is not None and _inside(c, within):
        s += 4.0   # "Gainesville, Va.": the text says which one
    return s


def _resolve(m: Mention, ctx: Counter, states: Counter, dl_country: str | None,
             anchors: list[Candidate] = (), peers: tuple[Candidate, ...] = ()) -> Candidate | None:
    if m.demonym is not None:
        return m.demonym
    if not m.candidates:
        return None
    if len(m.candidates) == 1:
        return m.candidates[0][0]
    total = sum(ctx.values())
    if total:
        ctx = {k: v / total for k, v in ctx.items()}   # counts -> shares, once per mention

    # a name that is also a well-known country or state ("California", "Ontario") means it
    # unless the text itself puts a town of that name somewhere ("Ontario, Calif."); only
    # a city of millions or a capital competes on equal terms ("New York")
    famous = any(not alt and c.level != "city" and c.level != "district" and _well_known(c)
                 for c, alt in m.candidates)
    # ... and when it is a country, a region or a current state or province (one GeoNames
    # lists: a former one, such as Kenya's provinces, does not outshine today's towns and
    # districts of its name), the story around the town does not place it either
    current = famous and any(not alt and _well_known(c) and (c.level in ("country", "region") or
                                                             (c.level == "province" and c.geonameid))
                             for c, alt in m.candidates)
    # a country's own divisions of its name ("México" the state) never beat it through peers
    countries = {c.country for c, alt in m.candidates if c.level == "country" and not alt}

    def score(ca) -> float:
        c = ca[0]
        if famous and c.level in ("city", "district") and c.population < 1_000_000 and not c.capital:
            # neither the story's states nor its countries: "Ontario officials" in a story
            # set in New York are still the province's; only the text itself ("Ontario,
            # Calif.") places the town
            if current:
                return _score(c, ca[1], {}, Counter(), None, m.label, m.within)
            return _score(c, ca[1], ctx, Counter(), dl_country, m.label, m.within)
        s = _score(c, ca[1], ctx, states, dl_country, m.label, m.within)
        if anchors and c.level == "city" and c.lat is not None and \
                any(a is not c and _km(c, a) <= 250 for a in anchors):
            s += 1.5   # a town near the story's other towns ("Colchester" near "Manchester")
        if peers and (c.level == "country" or c.country not in countries) and \
                any(p.level == c.level and p.level != "city" and (p.country == c.country or c.level == "country")
                    for p in peers):
            s += 2.0   # listed with places of its kind: "California or Washington" are states
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
    # each name's own votes, so that a name said five times does not confirm itself
    own_ctx: dict[str, Counter] = defaultdict(Counter)
    own_states: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        c = _resolve(m, Counter(), Counter(), None)
        first.append(c)
        if c is None or not c.country or m.tentative:
            continue
        clear = m.demonym is not None or c.level in ("country", "province") or _one_reading(m.candidates) \
            or m.within is not None   # "Austin, Texas": the text says which one
        # a small town's or a county's name repeated is no evidence against a whole story
        # set elsewhere: all the votes of its mentions are its own (a big city's name
        # repeated, or a state's, is what the story is about: only the mention's own vote
        # is left out)
        mine = 1.0 if _small_town(c) else 0.0
        if clear:
            ctx[c.country] += 1
            own_ctx[m.key][c.country] += mine
        elif c.population >= 100_000 and not m.compound:
            # a big town wins its name without context ("Birmingham" is the English one);
            # it speaks for its country, but half as loud as an unambiguous name
            ctx[c.country] += 0.5
            own_ctx[m.key][c.country] += 0.5 * mine
        if clear or c.population >= 100_000:
            # "Atlanta" makes a later "Georgia" the US state; "Bulacan" puts "Pandi" there
            for code in _admin_codes(c):
                code = _implied(code) if c.level == "city" else code
                states[code] += 1
                own_states[m.key][code] += mine
        if m.dateline:
            dl_country = c.country
        if c.level == "city" and c.lat is not None and not m.compound and \
                (len(m.candidates) == 1 or m.dateline or m.within is not None):
            anchors.append(c)

    peers_of = _list_peers(doc, mentions)
    resolved: list[Candidate | None] = []
    for m, c0 in zip(mentions, first):
        villages = _villages_in_context(m, gaz, states, ctx, own_states[m.key], own_ctx[m.key])
        if villages:
            m.candidates = m.candidates + villages
        if villages and len(m.candidates) == 1:
            c = m.candidates[0][0]   # a name only villages bear: the one in the story's places
        elif m.demonym is None and len(m.candidates) > 1:
            # leave this mention's own vote out so a name does not confirm itself (a small
            # town's: every mention's, however often the story repeats it)
            own, own_state = Counter(), Counter()
            if c0 is not None and _small_town(c0):
                own, own_state = own_ctx[m.key], own_states[m.key]
            elif c0 is not None and c0.country:
                own[c0.country] = 1
                for code in _admin_codes(c0):
                    own_state[_implied(code) if c0.level == "city" else code] = 1
            c = _resolve(m, ctx - own, states - own_state, dl_country, anchors,
                         tuple(first[n] for n in peers_of.get(id(m), ()) if first[n] is not None))
        else:
            c = c0
        resolved.append(c)

    mentions, resolved = _drop_tentative(mentions, resolved, ctx)

    # Local features and names the gazetteer lacks lie where the story is.
    focus = _focus(mentions, resolved, gaz)
    places: list[Place] = []
    approximate: set[int] = set()
    for n, (m, c) in enumerate(zip(mentions, resolved)):
        guess = False
        # "Fort Vale, Maryland", "the hamlet of Ardley in Oxfordshire": the place named right
        # after it contains it, whatever the story's place is
        around = _container(doc, mentions, resolved, n)
        if around is None or (focus is not None and around.country != focus.country and
                              around.level != "country" and not (around.level == "city" and
                                                                 around.population >= 100_000)):
            around = focus   # a division or small town abroad named after it is more likely misread
        elif c is not None and _small_town(c) and m.within is None and m.demonym is None and \
                around.level in ("district", "province") and not _inside(c, around):
            # "the Ardley depot in Victoria": a small town of that name elsewhere is not it;
            # a village of the name in the division is, else the division itself
            c = _small_place(m.key, around, gaz)
            if c is None:
                c, guess = around, True
        if around is not None:
            if c is None and m.label in PLACE_LABELS and not m.compound and m.demonym is None:
                c = _small_place(m.key, around, gaz)
            if c is None and (m.label in PLACE_LABELS or m.compound):
                c, guess = around, True
            elif m.compound and c is not None and not _stands_alone(c, m, around):
                c, guess = around, True
        p = _place(doc, m, c)
        if guess:
            p.name, p.geonameid, p.level = None, None, "feature"
            approximate.add(id(p))
        places.append(p)
    doc._.places = places
    doc.user_data.pop("eventwire_places_tokens", None)
    doc.user_data.pop("eventwire_places_text", None)
    doc.user_data[STORY_PLACE_KEY] = story_place(places, resolved, focus, approximate)
    return doc


def _container(doc: Doc, mentions: list[Mention], resolved: list[Candidate | None],
               n: int) -> Candidate | None:
    """The place written right after mentions[n] as the one it lies in: "X, Maryland", "X
    in Oxfordshire" (a town, division or country with coordinates; not a people's name)."""
    if n + 1 >= len(mentions):
        return None
    m, nxt, c = mentions[n], mentions[n + 1], resolved[n + 1]
    if nxt.demonym is not None or nxt.i <= m.j:
        return None
    between = _token_arrays(doc)[0][m.j:nxt.i]
    # "X, Y", "X in Y", or the kind of place in lower case first: "the X quarantine station in Y"
    if between not in ([","], ["in"]) and not (
            between[-1] == "in" and 2 <= len(between) <= 4 and all(w.isalpha() and w.islower() for w in between)):
        return None
    if c is None or c.lat is None or c.level not in ("city", "district", "province", "country"):
        return None
    return c


def story_place(places: list[Place], resolved: list[Candidate | None], focus: Candidate | None,
                approximate: set[int] = frozenset()) -> Place | None:
    """Where the story as a whole happens, for events whose own text names no place: the
    dateline's place when it resolves, else the first mention of the story's focus (a
    people's name when only that names it: "French police" for France)."""
    exact = [(p, c) for p, c in zip(places, resolved) if c is not None and p.lat is not None
             and id(p) not in approximate]
    for p, c in exact:
        if p.dateline and not p.adjectival:
            return p
    if focus is None:
        return None
    same = [p for p, c in exact if c is focus or (c.geonameid is not None and c.geonameid == focus.geonameid)]
    named = [p for p in same if not p.adjectival] or same
    if named:
        return named[0]
    return None


def _list_peers(doc: Doc, mentions: list[Mention]) -> dict[int, list[int]]:
    """Mentions listed together ("Ohio, Texas and Washington", "Georgia or Armenia"): for
    each mention (by id), the indexes of its neighbours in the list. Things listed together
    are mostly of one kind, so a peer's clear reading says which kind an ambiguous name is."""
    words, _caps, _j, _i = _token_arrays(doc)
    out: dict[int, list[int]] = defaultdict(list)
    for n in range(len(mentions) - 1):
        a, b = mentions[n], mentions[n + 1]
        between = [w.lower() for w in words[a.j:b.i]]
        if a.demonym is None and b.demonym is None and between in ([","], ["and"], ["or"], [",", "and"], [",", "or"]):
            out[id(a)].append(n + 1)
            out[id(b)].append(n)
    return out


def _small_town(c: Candidate) -> bool:
    """A reading whose name repeated says little about the story: a town under 100,000
    people or a county (thirty US states have a Scott County)."""
    return c.level == "district" or (c.level == "city" and c.population < 100_000)


def _admin_codes(c: Candidate) -> tuple[str, ...]:
    return tuple(code for code in (c.admin1, c.admin2) if code)


def _one_reading(cands: list[tuple[Candidate, bool]]) -> bool:
    """One candidate, or several that are one place for a map: the primary readings all in
    one country within 50 km of each other (a district and its seat town of the same name)."""
    if len(cands) == 1:
        return True
    located = [(c, alt) for c, alt in cands if c.lat is not None]
    primary = [c for c, alt in located if not alt]
    if not primary:
        return False
    # an alternate spelling is a rival reading only when it is as likely as the name's own
    # bearer (a big city's exonym, not the odd transliteration GeoNames lists for it)
    best = max(_prior(c, False) for c in primary)
    if any(alt and _prior(c, True) >= best for c, alt in located):
        return False
    first = primary[0]
    return all(c.country == first.country and _km(c, first) <= 50 for c in primary[1:])


def _villages_in_context(m: Mention, gaz: Gazetteer, states: Counter, ctx: Counter,
                         own_states: Counter, own_ctx: Counter) -> list[tuple[Candidate, bool]]:
    """Villages (under 5,000 people) of the mention's name that lie in a state, province,
    county or district the story names ("Innisfail" in a story about Queensland), or in the
    country most of the story's places are in when no reading of the name lies there (a
    small town abroad is no better a reading than a village at home). Only for names the
    model tags as places or the text puts in a place's slot; the score then decides. The
    story's counts leave out the mention's own votes (`own_states`, `own_ctx`), worked out
    only for a mention that can be a village (most cannot)."""
    if m.label not in PLACE_LABELS or m.compound or m.demonym is not None or m.division:
        return []
    states, ctx = states - own_states, ctx - own_ctx
    if not states and not ctx:
        return []
    if any(not alt and (c.level in ("country", "province", "region") or c.curated) for c, alt in m.candidates):
        return []   # "Queensland" is the state, not a hamlet of that name in Alberta
    have = {c.geonameid for c, _ in m.candidates}
    abroad = {c.country for c, alt in m.candidates if not alt}
    total = sum(ctx.values())
    home = {a3 for a3, v in ctx.items() if total and v / total >= 0.5 and a3 not in abroad}
    return [(c, alt) for c, alt in _villages(gaz, m.key)
            if c.geonameid not in have and (_division_weight(c.admin1, states, False) or
                                            _division_weight(c.admin2, states, False) or c.country in home)]


def _villages(gaz: Gazetteer, key: str) -> list[tuple[Candidate, bool]]:
    """The villages (under 5,000 people) of a name, as readings."""
    return [(Candidate(gid, name, a3, lat, lon, "city", pop, admin1=a1, admin2=a2), False)
            for gid, name, a3, lat, lon, pop, a1, a2 in gaz.small.get(key, ())]


def _km(a: Candidate, b: Candidate) -> float:
    return km(a.lat, a.lon, b.lat, b.lon)


def _small_place(key: str, focus: Candidate, gaz: Gazetteer) -> Candidate | None:
    """A village or island the model tags as a place and the main index lacks ("Samos"):
    taken only in the story's country, and near the story's town when it has one, so a
    name the model mistook for a place does not land on a hamlet across the world."""
    if not gaz.small or not focus.country or len(key) < 4:
        return None
    best = None
    for gid, name, a3, lat, lon, pop, a1, a2 in gaz.small.get(key, ()):
        if a3 != focus.country:
            continue
        c = Candidate(gid, name, a3, lat, lon, "city", pop, admin1=a1, admin2=a2)
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
    the feature is? Countries, states, capitals and cities of millions are; a town of
    100,000 when it is in the story's country; a smaller town only when it is near the
    story's place ("Kingsley Road" is not in Kingsley, WA).
    A people's name ("the Russian Embassy", "the French Quarter") never places it."""
    if m.demonym is not None:
        return False
    if c.lat is None or c.level != "city":
        return True
    if c.population >= 1_000_000 or c.capital:
        return True
    if focus.country and c.country != focus.country:
        return False   # "Centennial Park" in a story set in Australia is not in Colorado
    if c.population >= 100_000:
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
        if c.level in ("city", "feature"):   # a town, or a named building ("the White House")
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
