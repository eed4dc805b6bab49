"""Pre-pass: tell, from the tokens alone, which stories cannot hold an event.

The full pipeline (tagger, parser, entities, then every eventwire stage) is the whole cost of
coding a story. Most news is not political, and a story in which no word can be an event
trigger yields no event record whatever its parse says. This pass looks at the story's word
forms only (the tokenizer's output, which the full pipeline reuses: the Doc is made once)
and answers one question: could any token be a trigger of the events stage?

It must never say "no" to a story the events stage would code, so it over-approximates:
- a token's possible lemmas are every lemma spaCy's rule lemmatizer could give it under any
  part of speech (its exception table and suffix rules, the attribute ruler's fixed lemmas),
  plus the suffix rules the events stage itself tries when the lemmatizer slips
  (`events.verb_keys`), plus the irregular forms of `data/word_forms.yaml`;
- a story can hold an event when one of those lemmas is a verb of the lexicon; or is the last
  word of a noun entry and the words before it complete the entry, spelled with or without
  spaces and hyphens, exactly the lookup of `events.match_noun` ("sit-in" needs its "sit": the
  "in" of "snow fell in the hills" is no event); or is a verb of saying of `demand_verbs` in a
  story that also has a demand modal ("must", "has to"), which is how the events stage codes
  "X said Y must ..." as a demand.
The word lists are the events stage's own (`events.load_lexicon()`, user layers included),
so a word added to the lexicon is seen here too.

What a story without a possible trigger still gets is the caller's choice (see
`pipeline.Coder`): nothing for `eventwire code`, whose output is event records only; the
place and time stages for `ingest`, which also stores every place and time mention. The
`places` and `times` commands do not use the pre-pass. `EVENTWIRE_PREPASS=0` (or
`--no-prepass`) turns it off, to compare: `bench/prepass_diff.py` counts the records that
differ between the two on the evaluation inputs.
"""
from __future__ import annotations

import os

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc

from eventwire import events
from eventwire.datafiles import load_yaml
from eventwire.syntax import suffix_stems

ENV_VAR = "EVENTWIRE_PREPASS"



def enabled(setting: bool | None = None) -> bool:
    """The pre-pass is on unless switched off here or by EVENTWIRE_PREPASS=0/off/no/false."""
    if setting is not None:
        return setting
    return os.environ.get(ENV_VAR, "1").strip().lower() not in ("0", "off", "no", "false")


def _rule_stems(word: str) -> set[str]:
    """What `events.verb_keys` tries besides the lemma, for a lower-cased word."""
    return set(suffix_stems(word))


class LemmaOracle:
    """Every lemma spaCy's rule lemmatizer could give a word form, whatever its tag."""

    def __init__(self, nlp: Language) -> None:
        self.rules: list[tuple[str, str]] = []
        self.exceptions: dict[str, set[str]] = {}
        if "lemmatizer" in nlp.pipe_names:
            lookups = nlp.get_pipe("lemmatizer").lookups
            rules = lookups.get_table("lemma_rules", {}) if lookups.has_table("lemma_rules") else {}
            for pos in rules.keys():
                self.rules += [(old, new) for old, new in rules[pos]]
            if lookups.has_table("lemma_exc"):
                exc = lookups.get_table("lemma_exc")
                for pos in exc.keys():
                    for form, lemmas in exc[pos].items():
                        self.exceptions.setdefault(form, set()).update(lemmas)
        self.rules = list(dict.fromkeys(self.rules))
        if "attribute_ruler" in nlp.pipe_names:
            self._add_ruler_lemmas(nlp.get_pipe("attribute_ruler"))

    def _add_ruler_lemmas(self, ruler) -> None:
        """Patterns that set a fixed lemma ("goin'" -> "go"): every word form they name may
        take that lemma."""
        for pattern in ruler.patterns:
            lemma = pattern.get("attrs", {}).get("LEMMA")
            if not lemma:
                continue
            for token_patterns in pattern.get("patterns", []):
                for spec in token_patterns:
                    for key in ("LOWER", "ORTH", "TEXT"):
                        value = spec.get(key)
                        forms = value.get("IN", []) if isinstance(value, dict) else [value]
                        for form in forms:
                            if isinstance(form, str):
                                self.exceptions.setdefault(form.lower(), set()).add(lemma.lower())

    def lemmas(self, word: str) -> set[str]:
        out = {word}
        out.update(self.exceptions.get(word, ()))
        for old, new in self.rules:
            if word.endswith(old):
                form = word[: len(word) - len(old)] + new
                if form:
                    out.add(form)
        return out


class PrePass:
    """Decides per story whether the full pipeline can find an event in it."""

    def __init__(self, nlp: Language) -> None:
        self.oracle = LemmaOracle(nlp)
        self._source: tuple = ()
        self._refresh()

    def _refresh(self) -> None:
        """Follow the events stage's word lists: a user's lexicon layered on later
        (EVENTWIRE_LEXICON, EVENTWIRE_DATA) is seen here from the next story on."""
        lex = events.load_lexicon()
        forms = load_yaml("word_forms.yaml", "EVENTWIRE_WORD_FORMS") or {}
        if self._source and self._source[0] is lex and self._source[1] is forms:
            return
        self._source = (lex, forms)
        self.verbs = frozenset(lex.verbs)
        self.noun_heads = lex.noun_heads      # last word of a noun entry -> its longest entry
        self.nouns = frozenset(lex.nouns)     # noun entries, squashed ("airstrike")
        self.demand_verbs = frozenset(lex.demand_verbs)
        # "has to" / "have to": the events stage reads "has"/"have" with a "to" complement
        self.demand_modals = frozenset(w for m in lex.demand_modals for w in m.lower().split()
                                       if w != "to")
        self.irregular: dict[str, set[str]] = {}
        for lemma, spellings in forms.items():
            for form in spellings or ():
                self.irregular.setdefault(str(form).lower(), set()).add(str(lemma).lower())
        # LOWER hash -> (_VERB | _NOUN_HEAD | _DEMAND_VERB | _MODAL, the noun-head lemmas)
        self._verdicts: dict[int, tuple[int, tuple[str, ...]]] = {}

    _VERB, _NOUN_HEAD, _DEMAND_VERB, _MODAL = 1, 2, 4, 8

    def _verdict(self, word: str) -> tuple[int, tuple[str, ...]]:
        lemmas = self.oracle.lemmas(word) | _rule_stems(word) | self.irregular.get(word, set())
        verdict = 0
        if lemmas & self.verbs:
            verdict |= self._VERB
        heads = tuple(sorted(lem for lem in lemmas if lem.split("-")[-1] in self.noun_heads))
        if heads:
            verdict |= self._NOUN_HEAD
        if lemmas & self.demand_verbs:
            verdict |= self._DEMAND_VERB
        if word in self.demand_modals:
            verdict |= self._MODAL
        return verdict, heads

    def can_hold_event(self, doc: Doc) -> bool:
        """False only when no token of the story can be a trigger (see the module's doc)."""
        if len(doc) == 0:
            return False
        self._refresh()
        # plain Python, not numpy.unique: that imports numpy.ma on first use (20-30 ms of
        # every start-up) and is no faster on a story's few hundred distinct words
        lowers = doc.to_array(LOWER).tolist()
        seen = 0
        head_keys = set()
        for key in set(lowers):
            verdict, heads = self._verdicts.get(key) or self._remember(key, doc)
            if verdict & self._VERB:
                return True
            seen |= verdict
            if heads:
                head_keys.add(key)
        if head_keys and self._noun_entry_found(doc, lowers, head_keys):
            return True
        return bool(seen & self._DEMAND_VERB and seen & self._MODAL)

    def _remember(self, key: int, doc: Doc) -> tuple[int, tuple[str, ...]]:
        verdict = self._verdicts[key] = self._verdict(doc.vocab.strings[key])
        return verdict

    def _noun_entry_found(self, doc: Doc, lowers: list[int], head_keys: set[int]) -> bool:
        """Whether a noun entry ends at one of the tokens that can be a noun head: the words
        before it (as written) and its lemma, squashed, spell the entry."""
        strings = doc.vocab.strings
        for i in (i for i, key in enumerate(lowers) if key in head_keys):
            for lem in self._verdicts[lowers[i]][1]:
                width = self.noun_heads[lem.split("-")[-1]]
                for k in range(1, min(width + 2, i + 1) + 1):   # +2: hyphens are tokens
                    before = "".join(strings[w] for w in lowers[i - k + 1:i])
                    if events.squash(before + lem) in self.nouns:
                        return True
        return False
