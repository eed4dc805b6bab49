"""Which way a date without a year points: before or after the publication date.

"Tuesday", "Oct. 3", "in March", "Christmas" name a day or month in some year; the clause
says which. `direction(doc, i, j)` reads, in this order:

1. cue words right at the date: "since May", "last May" (past), "payable Jan. 2", "due
   March 1", "next May" (future), "postponed until June" (future), "Friday's attack"
   (past; but "Sunday's vote will ...", a scheduled thing in a clause ahead, is future);
2. the date's role: a date that names a noun ("the June accord") or is the verb's own
   object ("set Nov. 10 as the deadline") takes no time from the verb; a subject does
   ("Monday will bring ...", "Friday was ..."), and so does the object of a verb of
   keeping a day ("celebrated Christmas", "will mark Independence Day");
3. the tense and aspect of the verb the date hangs off (syntax.verb_tense): will/shall,
   "is expected", "plans to", "is set to" (future); past and perfect (past); a news present
   with a date is a schedule ("the talks resume Monday") unless the verb reports ("says");
4. for an infinitive or a bare clause, the tense of the clause that governs it.

It answers "future", "past" or None (no cue: the caller takes the nearest occurrence).
"""
from __future__ import annotations

from eventwire.syntax import governing_verb, lemma, verb_tense
from eventwire.time_vocab import words

_W = {name: frozenset(value) for name, value in words().items() if isinstance(value, list)}
FUTURE_AUX = _W["future_aux"]
FUTURE_GOVERNORS = _W["future_governors"]      # "plans to ...", "is set to ..."
REPORTING = _W["reporting_verbs"]

# Arcs by which a date is an argument of its verb rather than the time of it. A subject is
# not one of them: "Monday will bring ..." is ahead because its verb is.
ARGUMENT_DEPS = {"dobj", "attr", "oprd"}
# Arcs by which a date names a noun ("a June agreement", "Friday's vote").
NOUN_MODIFIER_DEPS = {"compound", "nmod", "amod", "poss"}


def own_time(verb) -> bool | None:
    """What a verb says by itself: True ahead, False behind, None nothing (or an infinitive)."""
    tense = verb_tense(verb)
    aux_words = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if tense == "future" or aux_words & FUTURE_AUX or verb.lower_ in FUTURE_AUX:
        return True
    if lemma(verb) in _W["scheduling_participles"] and verb.tag_ == "VBN":
        return True                      # "scheduled for Dec. 10"
    if tense in ("past", "perfect"):
        return False
    if verb.tag_ == "VBN" and tense != "infinitive":
        if tense == "present":           # "is expected in December"; "is held" says nothing
            return True if lemma(verb) in FUTURE_GOVERNORS else None
        return False                     # a bare participle: "issued July 1"
    if tense == "infinitive":
        return None
    if verb.tag_ == "VBZ" or (verb.tag_ == "VBP" and verb.lower_ not in _W["same_past_form"]):
        return None if lemma(verb) in REPORTING else True   # "the talks resume Monday"
    if tense == "progressive":
        return True                      # "is calling the bonds on Dec. 7"
    return None


def clause_time(verb, depth: int = 0) -> bool | None:
    """A clause verb's time, looking through infinitives to what governs them."""
    own = own_time(verb)
    if own is not None or depth >= 3 or verb_tense(verb) != "infinitive":
        return own
    gov = verb.head
    if gov.i == verb.i:
        return None
    if lemma(gov) in FUTURE_GOVERNORS or gov.pos_ in ("NOUN", "PROPN"):
        return True                      # "plans to redeem", "an agreement to acquire"
    if gov.pos_ in ("VERB", "AUX", "ADJ"):
        return clause_time(gov, depth + 1)
    return None


def _as_word(ahead: bool | None) -> str | None:
    return None if ahead is None else ("future" if ahead else "past")


def _possessive(doc, mark) -> str:
    """"Friday's attack" has happened; "Sunday's vote will decide ..." has not: a possessive
    date points back unless it owns a noun of something scheduled (ahead_nouns) and the
    clause of that noun is not told in the past."""
    owner = mark.head                    # the date the "'s" marks, a possessor of the noun
    owned = owner.head if owner.dep_ == "poss" and owner.head.i != owner.i else None
    if owned is None or owned.pos_ not in ("NOUN", "PROPN") or lemma(owned) not in _W["ahead_nouns"]:
        return "past"
    verb = governing_verb(owned)
    return "future" if verb.pos_ in ("VERB", "AUX") and own_time(verb) is True else "past"


def direction(doc, i: int, j: int) -> str | None:
    """Does the date at tokens i..j point "future", "past", or is there no cue (None)?"""
    if i < 0 or j <= i:
        return None
    while i < j - 1 and doc[i].lower_ in _W["date_openers"]:
        i += 1
    prev = [t.lower_ for t in doc[max(0, i - 3):i]]
    nxt = doc[j] if j < len(doc) else None
    # 1. cue words at the date
    if prev and prev[-1] in _W["past_cues"]:
        return "past"
    if nxt is not None and nxt.lower_ in ("'s", "’s"):
        return _possessive(doc, nxt)     # "Friday's purchases": something that has happened
    if any(w in _W["future_cues_strong"] for w in prev):
        return "future"
    if len(prev) >= 2 and prev[-1] in _W["move_targets"] and lemma(doc[i - 2]) in _W["move_verbs"]:
        return "future"
    root = doc[i:j].root
    verb = governing_verb(root)
    is_verb = verb.pos_ in ("VERB", "AUX")
    own = own_time(verb) if is_verb else None
    if nxt is not None and lemma(nxt) in _W["ahead_nouns"] and own is not False:
        return "future"                  # "the Nov. 1 deadline", unless it was missed
    # 2. the date's role
    if root.dep_ in NOUN_MODIFIER_DEPS and root.head.pos_ in ("NOUN", "PROPN"):
        return None                      # "a June agreement", "the Feb. 23 accord"
    if is_verb and root.head.i == verb.i and root.dep_ in ARGUMENT_DEPS and lemma(verb) not in REPORTING \
            and (root.dep_ != "dobj" or lemma(verb) not in _W["observing_verbs"]):
        return None                      # "set Nov. 10 as the deadline"; not "celebrated Easter"
    # 3. cue words that mean "ahead" unless the clause is plainly behind
    if prev and prev[-1] in _W["future_cues_weak"] and own is not False:
        return "future"                  # "respond by Oct. 31", "loans through January"
    if prev and prev[-1] in _W["running_until"] and is_verb:
        tense = verb_tense(verb)
        if tense == "perfect":
            return None                  # "has risen through May", "has lent through June": either side
        if tense != "past":
            return "future"              # the end of something still running: "tendered through Nov. 17"
    # 4. the tense of the clause, or of the clause that governs it
    tense = clause_time(verb) if is_verb else None
    if tense is None and verb.dep_ in ("xcomp", "advcl", "conj", "relcl", "acl"):
        up = governing_verb(verb.head)
        if up.i != verb.i and up.pos_ in ("VERB", "AUX"):
            tense = clause_time(up)
    return _as_word(tense)


def is_future(doc, i: int, j: int) -> bool:
    return direction(doc, i, j) == "future"
