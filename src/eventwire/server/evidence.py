"""Evidence for an event: every span of its record checked against the article text, the
sentence(s) around them, the words that set its status, and who asserts / who denies a
contested cluster.

Nothing here is coded anew: spans come from the stored record; status cues are only found
(for display) inside the event's own snippet, from the coder's cue lists (data/modality.yaml).
"""
from __future__ import annotations

import re
from typing import Any

from eventwire.datafiles import layered

ROLES = ("trigger", "mention", "actor", "recipient", "place", "date", "source", "cue")

# statuses -> the cue lists (attribute names of modality.Cues) whose words set them; the
# speech verbs ("said", "told") name whose word it is, whatever the status
STATUS_CUES = {
    "asserted": (),
    "claimed": ("claim_verbs", "claim_nouns", "allegation_verbs"),
    "unconfirmed": ("hedge_adverbs", "hedge_verbs", "hedge_adjectives", "verify_verbs"),
    "denied": ("denial_verbs",),
    "negated": ("refusal_verbs",),
    "threatened": ("threat_verbs", "threat_nouns"),
    "intended": ("intent_verbs", "intent_nouns", "future_aux"),
    "hypothetical": ("possibility_aux", "conditional_marks"),
    "historical": ("historical_cues",),
}
ASSERTING = ("asserted", "claimed")
DENYING = ("denied", "negated")


# ---------------------------------------------------------------------------------------------
# spans

def _span(role: str, i: int, s: Any, text: str) -> dict | None:
    if not isinstance(s, dict):
        return None
    start, end, stext = s.get("start"), s.get("end"), s.get("text")
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
        return None
    ok = 0 <= start < end <= len(text) and (stext is None or text[start:end] == stext)
    span = {"role": role, "index": i, "start": start, "end": end, "text": stext, "ok": ok}
    if role in ("actor", "recipient", "source"):
        span.update(name=s.get("name"), country=s.get("country"), sector=s.get("sector"))
    elif role == "place":
        span.update(name=s.get("name"), country=s.get("country"))
    elif role == "date":
        span.update(earliest=s.get("earliest"), latest=s.get("latest"))
    if s.get("inferred_from"):
        span["inferred_from"] = s["inferred_from"]
    return span


def record_spans(rec: dict, text: str) -> list[dict]:
    """Every span of a record with its role, checked: `ok` when start/end fall inside the text
    and the text there is the span's own text. Later mentions of the same event (`mentions`)
    are spans of role 'mention'."""
    found: list[tuple[str, int, Any]] = [("trigger", 0, rec.get("trigger"))]
    found += [("mention", i, m) for i, m in enumerate(rec.get("mentions") or [])]
    found += [("actor", i, a) for i, a in enumerate(rec.get("actors") or [])]
    found += [("recipient", i, a) for i, a in enumerate(rec.get("recipients") or [])]
    found += [("place", 0, rec.get("location")), ("date", 0, rec.get("date")),
              ("source", 0, rec.get("attributed_to"))]
    return [sp for role, i, s in found if (sp := _span(role, i, s, text or "")) is not None]


def date_fallback(rec: dict) -> bool:
    """The record's date is the publication date, not a date told in the text."""
    d = rec.get("date")
    return isinstance(d, dict) and d.get("text") is None and bool(d.get("earliest"))


_SENT_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s|\n\s*\n")


def snippet(text: str, spans: list[dict], context: int = 400) -> dict:
    """The sentence(s) around an event's spans: from the sentence start before the first span
    to the sentence end after the last one (at most `context` characters either side).
    Mentions far from the trigger do not widen it; they are listed on their own."""
    good = [s for s in spans if s["ok"] and s["role"] not in ("mention", "cue")]
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


def sentence_around(text: str, start: int, end: int, context: int = 240) -> dict:
    return snippet(text, [{"ok": True, "role": "trigger", "start": start, "end": end}], context)


# ---------------------------------------------------------------------------------------------
# status cue words

def _load_forms(paths: tuple[str, ...]) -> dict[str, frozenset[str]]:
    import yaml
    from pathlib import Path

    out: dict[str, set[str]] = {}
    for p in paths:
        data = yaml.safe_load(Path(p).read_text(encoding="utf-8")) or {}
        for lemma, forms in data.items():
            out.setdefault(str(lemma).lower(), set()).update(str(f).lower() for f in forms or [])
    return {k: frozenset(v) for k, v in out.items()}


def word_forms(lemma: str) -> set[str]:
    """A lemma's inflected forms: regular ones by rule, irregular ones from word_forms.yaml."""
    w = lemma.lower()
    forms = {w, w + "s", w + "ed", w + "ing"}
    if w.endswith("e"):
        forms |= {w + "d", w[:-1] + "ing"}
    if w.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(w + "es")
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        forms |= {w[:-1] + "ies", w[:-1] + "ied", w[:-1] + "ial"}      # deny: denies, denied, denial
    irregular = layered("word_forms.yaml", "EVENTWIRE_WORD_FORMS", _load_forms)
    return forms | set(irregular.get(w, ()))


def _cue_pattern(status: str) -> re.Pattern | None:
    try:
        from eventwire.modality import load_cues
        cues = load_cues()
    except Exception:                                    # the coder's cue lists are optional here
        return None
    words: set[str] = set()
    for attr in ("speech_verbs",) + STATUS_CUES.get(status, ()):
        for lemma in _cue_list(cues, attr):
            words |= word_forms(str(lemma))
    if not words:
        return None
    alts = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:" + "|".join(alts) + r")(?![\w'])", re.IGNORECASE)


def _cue_list(cues: Any, name: str) -> frozenset[str]:
    """One of the coder's cue lists by its name in data/modality.yaml (empty if unknown)."""
    try:
        return cues[name]
    except (KeyError, TypeError):
        return frozenset(getattr(cues, name, ()) or ())


_CUE_CACHE: dict[tuple[str, int], re.Pattern | None] = {}


def cue_spans(text: str, start: int, end: int, status: str | None) -> list[dict]:
    """Words in text[start:end] that set `status` ('denies', 'claimed', 'could not be
    confirmed', 'said'), as spans of role 'cue'."""
    if not status or not text:
        return []
    from eventwire.modality import load_cues
    key = (status, id(load_cues()))
    if key not in _CUE_CACHE:
        _CUE_CACHE[key] = _cue_pattern(status)
    pat = _CUE_CACHE[key]
    if pat is None:
        return []
    return [{"role": "cue", "index": i, "start": m.start(), "end": m.end(), "text": m.group(0),
             "ok": True, "status": status} for i, m in enumerate(pat.finditer(text, start, end))]


# ---------------------------------------------------------------------------------------------
# contested clusters

def _speaker(ev: dict) -> str:
    src = ev.get("attributed_to")
    if isinstance(src, dict) and (src.get("name") or src.get("text")):
        return src.get("name") or src.get("text")
    art = ev.get("article") or {}
    return art.get("outlet") or art.get("title") or ev.get("article_id") or "?"


def positions(events: list[dict]) -> dict:
    """Who asserts and who denies: per member event, its source (or, failing one, its
    outlet), grouped by whether its status tells the event as happening or not."""
    out: dict[str, list[dict]] = {"asserts": [], "denies": [], "other": []}
    for ev in events:
        st = ev.get("status")
        side = "asserts" if st in ASSERTING else "denies" if st in DENYING else "other"
        out[side].append({"by": _speaker(ev), "status": st, "event_key": ev.get("event_key"),
                          "article_id": ev.get("article_id"),
                          "outlet": (ev.get("article") or {}).get("outlet")})
    return out
