"""Wiring: article → NLP → actors → events → modality → places → times → assembly.

Each stage is a spaCy component in its own module; they talk only through `Doc._`
attributes (see `nlp.DOC_ATTRIBUTES`) and the dataclasses in `records`.
`Coder` is the library entry point; `code_parallel` fans articles out over processes,
each loading the model once, and keeps every story within time and memory limits
(`StoryLimits`): a story that exceeds them is named and skipped, never stalls the run.
"""
from __future__ import annotations

import gc
import itertools
import multiprocessing as mp
import os
import signal
import sys
import time
import re
import traceback
from collections import deque
from dataclasses import dataclass, field, replace
from multiprocessing.connection import wait as wait_for
from datetime import date
from typing import Iterable, Iterator

from eventwire.startup import REGEXES, collector_paused, import_spacy

import_spacy()   # before any other spaCy import: leaves spaCy's command line unloaded

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from eventwire import (actors, assemble, coref, event_location, events, modality, modes, places,  # noqa: E402
                       relevance, times)
from eventwire.article import Article, InputProblem  # noqa: E402
from eventwire.nlp import load_model, parse_date, sentences  # noqa: E402
from eventwire.prepass import PrePass  # noqa: E402
from eventwire.prepass import enabled as prepass_enabled  # noqa: E402
from eventwire.records import map_dicts  # noqa: E402
from eventwire.headline_case import RECASED_KEY, restore_spelling, sentence_case  # noqa: E402
from eventwire.syntax import HEADLINE_END  # noqa: E402

# Stories parsed together: the model's matrix work is faster on bigger batches (measured:
# 64 beats 16 by ~15%; far bigger batches only cost memory and latency).
BATCH_SIZE = 64

STAGES = (
    ("eventwire_actors", actors.annotate),
    ("eventwire_entity_coref", coref.annotate_entities),
    ("eventwire_events", events.annotate),
    ("eventwire_modes", modes.annotate),
    ("eventwire_modality", modality.annotate),
    ("eventwire_places", places.annotate),
    ("eventwire_event_location", event_location.annotate),
    ("eventwire_times", times.annotate),
    ("eventwire_event_coref", coref.annotate_events),
    ("eventwire_relevance", relevance.annotate),
)

# The stages after the events stage refine the events it found (modes, status, place, date,
# merging, relevance) or add place and time mentions. When the caller reads event records only
# (`eventwire code`: `Coder(mentions=False)`, pre-pass on) and the events stage found none,
# they have nothing to do: no later stage makes an event out of nothing (modality's
# accusations come from events already found), so they are skipped for that story. Stories
# that are not about politics often get this far (a trigger word, no event): in a mixed news
# stream one in eight.
AFTER_EVENTS = frozenset(("eventwire_modes", "eventwire_modality", "eventwire_places",
                          "eventwire_event_location", "eventwire_times", "eventwire_event_coref",
                          "eventwire_relevance"))
EVENTS_ONLY_KEY = "eventwire.events_only"   # Doc.user_data: the caller reads event records only


def _guarded(name: str, func):
    """A stage that fails on one story records the failure on the Doc instead of raising:
    spaCy would otherwise abort the whole batch. The article is then reported and skipped."""
    after_events = name in AFTER_EVENTS

    def stage(doc: Doc) -> Doc:
        if doc._.error:
            return doc
        if after_events and not doc._.events and doc.user_data.get(EVENTS_ONLY_KEY):
            return doc
        try:
            return func(doc)
        except Exception as e:  # noqa: BLE001 - reported per article, see Coder.code_doc
            if os.environ.get("EVENTWIRE_DEBUG"):
                traceback.print_exc(file=sys.stderr)
            doc._.error = f"{name}: {type(e).__name__}: {e}"
            return doc
    stage.__name__ = name
    return stage


for _name, _func in STAGES:
    if _name not in Language.factories:
        Language.component(_name, func=_guarded(_name, _func))


@dataclass
class CodedArticle:
    """What coding one article yields: plain JSON-ready dicts, cheap to pickle and store."""
    article: Article
    events: list[dict] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)
    times: list[dict] = field(default_factory=list)
    problem: InputProblem | None = None
    sentences: int = 0     # a piece of a long story (see `pieces`): how many sentences it has


# The stages each kind of output needs; the others are switched off for it. Place and
# time mentions come from their own stage alone (what those stages add to events is not part
# of a mention), so `eventwire places` and `eventwire times` skip the event stages.
OUTPUT_STAGES = {
    "events": None,                       # every stage
    "places": ("eventwire_places",),
    "times": ("eventwire_times",),
}


def build_nlp() -> Language:
    nlp = load_model()
    for name, _ in STAGES:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
    return nlp


# What a story the pre-pass finds no possible event in still gets when its place and time
# mentions are wanted (`ingest` stores them): those two stages, which read no other stage.
MENTION_STAGES = ("eventwire_places", "eventwire_times")


class Coder:
    """Codes articles into event records (or, with `output="places"`/`"times"`, only into
    place or time mentions, running only the stages those need). Load once, reuse: the model
    load takes ~1 s.

    For event records, the pre-pass (`eventwire.prepass`, on unless `prepass=False` or
    EVENTWIRE_PREPASS=0) sends a story in which no word can be an event trigger around the
    pipeline: with `mentions=True` (the default: the result's places and times are kept, as
    `ingest` stores them) it gets the place and time stages only, with `mentions=False` (what
    `eventwire code` prints is events only) nothing but tokenization."""

    def __init__(self, output: str = "events", prepass: bool | None = None, mentions: bool = True) -> None:
        if output not in OUTPUT_STAGES:
            raise ValueError(f"output must be one of {sorted(OUTPUT_STAGES)}, not {output!r}")
        self.output = output
        self.mentions = mentions
        self.nlp = build_nlp()          # one shared pipeline; stages not needed are switched off
        wanted = OUTPUT_STAGES[output]
        self.disabled = [] if wanted is None else [n for n, _ in STAGES if n not in wanted]
        self.mention_disabled = [n for n, _ in STAGES if n not in MENTION_STAGES]
        self.prepass = PrePass(self.nlp) if output == "events" and prepass_enabled(prepass) else None

    def make_doc(self, article: Article) -> Doc:
        if self.output == "events":
            article = with_headline(article)
        doc = self.nlp.make_doc(article.text)
        end = headline_end(article)
        if end:   # a Title Case headline parses as sentence case (eventwire.headline_case)
            doc = sentence_case(self.nlp, doc, end, article.text[end:end + BODY_FOR_NAMES])
            doc.user_data[HEADLINE_END] = end   # headline grammar (syntax.headline_patients)
        if self.prepass is not None and not self.mentions:
            doc.user_data[EVENTS_ONLY_KEY] = True
        doc._.article = article
        doc._.pub_date = parse_date(article.date) or date.today()
        # a later piece of a long story (see `pieces`) starts mid-story: no dateline there
        doc._.dateline = article.dateline_span() if _piece_number(article) == 0 else None
        return doc

    def docs(self, articles: Iterable[Article], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
        if self.prepass is None:
            yield from self.nlp.pipe((self.make_doc(a) for a in articles), batch_size=batch_size,
                                     disable=self.disabled)
            return
        for batch in _batches(articles, batch_size):
            yield from self._docs_after_prepass([self.make_doc(a) for a in batch], batch_size)

    def _docs_after_prepass(self, docs: list[Doc], batch_size: int) -> list[Doc]:
        """The full pipeline for the stories that can hold an event; the others get the place
        and time stages (or nothing, see the class). The Docs are made once, in input order."""
        # the pieces of a long story are always parsed: their records need each piece's
        # sentence count (and a story that long nearly always tells an event)
        full = [PIECE_KEY in d._.article.meta or self.prepass.can_hold_event(d) for d in docs]
        parsed = iter(list(self.nlp.pipe([d for d, f in zip(docs, full) if f], batch_size=batch_size,
                                         disable=self.disabled)))
        rest = [d for d, f in zip(docs, full) if not f]
        if self.mentions and rest:
            rest = list(self.nlp.pipe(rest, batch_size=batch_size, disable=self.mention_disabled))
        for d in rest:   # no event can be told here: say so the way a coded story would
            d._.events = []
            d._.dropped_events = []
        rest_iter = iter(rest)
        return [next(parsed) if f else next(rest_iter) for f in full]

    def code_doc(self, doc: Doc) -> CodedArticle:
        REGEXES.keep()     # a story has been through every stage: the start-up's patterns are made
        article = doc._.article
        if doc._.error:
            reason = f"internal error while coding article {article.id!r} ({doc._.error}), skipped"
            return CodedArticle(article=article,
                                problem=InputProblem(article.path or article.id, article.line, reason))
        # a caller that reads only the events does not get the mentions (nor do the workers
        # pickle them back)
        mentions = self.mentions or self.output != "events"
        coded = CodedArticle(
            article=article,
            events=assemble.records(doc) if self.output == "events" else [],
            places=[dict(article_id=article.id, **p.to_json()) for p in doc._.places or []] if mentions else [],
            times=[dict(article_id=article.id, **t.to_json()) for t in doc._.times or []] if mentions else [],
            sentences=len(sentences(doc)) if PIECE_KEY in article.meta else 0,
        )
        if doc.user_data.get(RECASED_KEY):
            coded = with_headline_spelling(coded, doc.user_data[HEADLINE_END])
        return without_headline(coded, doc) if HEADLINE_KEY in article.meta else coded

    def code(self, article: Article) -> CodedArticle:
        """Code one article (a long one piece by piece, see `pieces`); a failing stage is
        reported in the result, other errors raise."""
        parts = pieces(article)
        if len(parts) == 1:
            return self.code_doc(next(self.docs([article])))
        coded = []
        for batch in _batches(parts, PIECES_PER_BATCH):
            coded += [self.code_doc(d) for d in self.docs(batch, batch_size=len(batch))]
        return join_pieces(article, coded)

    def code_many(self, articles: Iterable[Article], batch_size: int = BATCH_SIZE) -> Iterator[CodedArticle]:
        """Code a stream; an article that breaks a stage is reported, never fatal to the batch."""
        for batch in _batches(articles, batch_size):
            yield from self._code_batch(batch)

    def _code_batch(self, batch: list[Article]) -> Iterator[CodedArticle]:
        """The stories of a batch parsed together; a long one on its own, piece by piece."""
        short = [a for a in batch if not is_long(a)]
        try:
            coded = iter([self.code_doc(d) for d in self.docs(short, batch_size=len(short))] if short else [])
        except Exception:  # one bad article must not sink its batch: retry one by one
            coded = iter([self._code_one_safely(a) for a in short])
        yield from (self._code_one_safely(a) if is_long(a) else next(coded) for a in batch)

    def _code_one_safely(self, article: Article) -> CodedArticle:
        try:
            return self.code(article)
        except Exception as e:
            where = article.path or article.id
            reason = f"internal error while coding article {article.id!r}: {type(e).__name__}: {e}"
            if os.environ.get("EVENTWIRE_DEBUG"):
                traceback.print_exc(file=sys.stderr)
            return CodedArticle(article=article, problem=InputProblem(where, article.line, reason))


# ------------------------------------------------------------------------ headlines

# A JSON Lines article may carry its headline in `title`, apart from `text` (news feeds and
# scrapers do). `code` reads the headline as a plain-text story's first line is read: the
# document coded is the headline, a blank line, then the text, so a headline event joins the
# body event that tells it (event coreference) and stands alone when the body does not tell
# it. Offsets stay those of `text`: a record's spans inside the headline get null offsets (their
# text kept) and the record `"headline": true` when its trigger is there.
HEADLINE_KEY = "eventwire.headline"   # Article.meta: characters the headline put before `text`


def with_headline(article: Article) -> Article:
    """The article to code: `title` + a blank line + `text` when the title is not already the
    text's first line (a piece of a long story after the first has no title)."""
    title = (article.title or "").strip()
    if not title or article.text.lstrip().startswith(title) or _piece_number(article) > 0:
        return article
    shift = len(title) + 2
    return replace(article, text=f"{title}\n\n{article.text}", title=title,
                   meta={**article.meta, HEADLINE_KEY: shift})


# how much of the body `sentence_case` reads for names written with a capital
BODY_FOR_NAMES = 20_000


def headline_end(article: Article) -> int | None:
    """Where the headline coded with the story ends: a separate `title` put before the text,
    or a plain-text story's first line; None when the story has none."""
    if HEADLINE_KEY in article.meta:
        return article.meta[HEADLINE_KEY] - 2
    if _piece_number(article) > 0:
        return None
    span = article.headline_span()
    return span[1] if span else None


def with_headline_spelling(coded: CodedArticle, end: int) -> CodedArticle:
    """`coded` with the spans of a re-cased headline spelt as the article spells them."""
    text = coded.article.text
    return replace(coded, events=restore_spelling(coded.events, text, end),
                   places=restore_spelling(coded.places, text, end),
                   times=restore_spelling(coded.times, text, end))


def without_headline(coded: CodedArticle, doc: Doc) -> CodedArticle:
    """`coded` with offsets and sentence numbers of the article's own `text` again (the
    pieces' shift, `_event_record`, moved back by the headline)."""
    article = coded.article
    shift = article.meta[HEADLINE_KEY]
    meta = {k: v for k, v in article.meta.items() if k != HEADLINE_KEY}
    original = replace(article, text=article.text[shift:], meta=meta)
    title_sents = sum(1 for s in sentences(doc) if s.start_char < shift)
    events = []
    for record in coded.events:
        out = _event_record(original.id, record, -shift, -title_sents)
        # a mention told in the headline is no place in `text` the record can point to
        out["mentions"] = [m for m in out.get("mentions") or [] if m["start"] >= 0]
        if out["trigger"]["start"] < 0:
            out["sentence"] = 0
            out["headline"] = True
        events.append(_headline_spans_null(out))
    places = [m for m in (_shift(x, -shift, 0) for x in coded.places) if (m.get("start") or 0) >= 0]
    times = [m for m in (_shift(x, -shift, 0) for x in coded.times) if (m.get("start") or 0) >= 0]
    return replace(coded, article=original, events=events, places=places, times=times,
                   sentences=max(0, coded.sentences - title_sents) if coded.sentences else 0)


def _headline_spans_null(value):
    """Spans that lie in the headline (negative offsets after the shift) keep their text with
    null offsets."""
    def null_if_in_headline(out: dict) -> dict:
        if isinstance(out.get("start"), int) and out["start"] < 0:
            out["start"] = out["end"] = None
        return out
    return map_dicts(value, null_if_in_headline)


def _piece_number(article: Article) -> int:
    return article.meta[PIECE_KEY][0] if PIECE_KEY in article.meta else 0


def code_text(text: str, date: str | None = None, id: str = "text") -> list[dict]:
    """Convenience: code one plain-text story and return its event records."""
    return _shared_coder().code(Article(id=id, text=text, date=date, meta={"format": "txt"})).events


_CODERS: dict[str, Coder] = {}


def _shared_coder(output: str = "events", mentions: bool = True) -> Coder:
    """One Coder per kind of output and process (the pre-pass setting is read when it is made)."""
    key = f"{output}:{mentions}"
    if key not in _CODERS:
        _CODERS[key] = Coder(output, mentions=mentions)
    return _CODERS[key]


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# ------------------------------------------------------------------------- long stories

# A story longer than LONG_STORY_CHARS is coded as consecutive pieces of at most
# PIECE_CHARS characters, cut at line breaks (sentence ends, spaces only where a paragraph is
# longer), and the pieces' records are put back together with their offsets in the whole
# story. The stages look at a whole story at once (coreference, the story's places and dates,
# the parse of one long document), so their cost grows faster than the text: a
# 250,000-character story took 81 s, a third of it in one stage. Cut into pieces, time and
# memory grow with the length (and the pieces of one story share the workers). News stories
# are shorter than this: what a piece loses is the context of the pieces before it (an event
# told again in another piece stays a record of its own, a relative date resolves against
# the publication date).
LONG_STORY_CHARS = 25_000
# Measured on a 250,000-character story, parse alone: pieces of 25,000 characters 4 at a
# time took 10.3 s, of 10,000 10 at a time 9.3 s, of 5,000 20 at a time 8.3 s (the parser
# steps through a batch's documents side by side, faster than through one long document).
# The batch's characters (PIECES_PER_BATCH x PIECE_CHARS) bound the model's memory.
PIECE_CHARS = 10_000
PIECES_PER_BATCH = 10
PIECE_KEY = "eventwire.piece"      # Article.meta of a piece: (number, offset in the story)

_SENTENCE_END = re.compile(r"[.!?][\"')\]\u201d\u2019]*\s+")


def _cut(text: str, start: int, size: int) -> int:
    """Where the piece starting at `start` ends: after the last line break (and the blank space
    after it) in the second half of the window, else after the last sentence end, else at the
    last space, else at the window's end."""
    end = start + size
    if end >= len(text):
        return len(text)
    half = start + size // 2
    nl = text.rfind("\n", half, end)
    if nl >= 0:
        cut = nl + 1
        while cut < end and text[cut].isspace():
            cut += 1
        return cut
    last = None
    for last in _SENTENCE_END.finditer(text, half, end):
        pass
    if last is not None:
        return last.end()
    space = max(text.rfind(" ", half, end), text.rfind("\t", half, end))
    return space + 1 if space >= 0 else end


def is_long(article: Article) -> bool:
    """Coded in pieces (see `pieces`)."""
    return len(article.text) > LONG_STORY_CHARS


def pieces(article: Article, size: int | None = None) -> list[Article]:
    """A long story (`is_long`) as consecutive pieces of at most `size` characters (default
    PIECE_CHARS); any other story as itself. A piece is an Article with the story's id and
    date; only the first keeps the title, and `meta[PIECE_KEY]` holds (number, character
    offset)."""
    size = size or PIECE_CHARS
    if not is_long(article) or len(article.text) <= size:
        return [article]
    out: list[Article] = []
    start = 0
    while start < len(article.text):
        end = _cut(article.text, start, size)
        out.append(replace(article, text=article.text[start:end], title=article.title if not out else None,
                           meta={**article.meta, PIECE_KEY: (len(out), start)}))
        start = end
    return out


def _shift(value, chars: int, sents: int):
    """A record (or part of one) of a piece, its offsets moved into the whole story: every
    character span (`start`/`end`) by `chars`, every sentence number by `sents`."""
    def move(out: dict) -> dict:
        if isinstance(out.get("start"), int) and isinstance(out.get("end"), int):
            out["start"] += chars
            out["end"] += chars
        if isinstance(out.get("sentence"), int):
            out["sentence"] += sents
        return out
    return map_dicts(value, move)


def _event_record(article_id: str, record: dict, chars: int, sents: int) -> dict:
    out = _shift(record, chars, sents)
    trigger = out["trigger"]
    out["id"] = assemble.event_id(article_id, _TriggerKey(out["type"], trigger["start"], trigger["end"]))
    return out


@dataclass
class _TriggerKey:
    """What an event's id is made of (`assemble.event_id`)."""
    type: str
    trigger_start: int
    trigger_end: int


def join_pieces(article: Article, parts: list[CodedArticle]) -> CodedArticle:
    """One story's result from its pieces' (in order): a problem in any piece is the story's."""
    for part in parts:
        if part.problem is not None:
            return CodedArticle(article=article, problem=part.problem)
    out = CodedArticle(article=article)
    sents = 0
    for part in parts:
        chars = part.article.meta[PIECE_KEY][1] if PIECE_KEY in part.article.meta else 0
        out.events += [_event_record(article.id, r, chars, sents) for r in part.events]
        out.places += [_shift(p, chars, 0) for p in part.places]
        out.times += [_shift(t, chars, 0) for t in part.times]
        sents += part.sentences
    return out


@dataclass(frozen=True)
class StoryLimits:
    """How long and how much memory one story may take. Time is the worker's CPU time, so a
    busy machine does not make stories "slow" (a stage blocked without using CPU is caught
    at ten times the budget of wall time). A worker that exceeds a limit is stopped; the
    story is reported by name and skipped, the others of its batch are coded
    again one by one. A long story (`is_long`) is coded in jobs of PIECES_PER_BATCH pieces
    (100,000 characters): the limits hold for each such job, so its time and memory stay
    bounded however long the story (measured on 2 busy shared cores: 999,000 characters in
    66 s of CPU time on 2 workers, peak 1126 MB summed over the processes; before the pieces,
    a 100,000-character story took 39 s and 653 MB, and a 999,000-character one was stopped
    at 1280 MB)."""
    seconds: float = 30.0          # CPU seconds per story (a batch gets more, see _budget)
    memory_mb: int = 1280          # resident memory of the worker process (checked every 0.2 s)
    solo_chars: int = 100_000      # stories at least this long are coded in a batch of their own


DEFAULT_LIMITS = StoryLimits()
_POLL_SECONDS = 0.2


def code_parallel(articles: Iterable[Article], workers: int = 1, batch_size: int = BATCH_SIZE,
                  output: str = "events", limits: StoryLimits | None = DEFAULT_LIMITS,
                  mentions: bool = True) -> Iterator[CodedArticle]:
    """Code articles on `workers` processes, results in input order.

    Each worker process loads the model once (fork start method, after the model and every
    stage's data are loaded here, so the workers share those pages copy-on-write). At most a
    few batches per worker are read ahead, so a corpus of any size streams in bounded memory.
    With `limits` (the default) every story is coded in a worker watched for time and memory,
    even with one worker; `limits=None` and one worker codes in this process, unwatched.
    `mentions=False` says the caller reads only the event records of `output="events"`
    (the pre-pass may then skip a story that can hold no event altogether, see `Coder`).
    """
    articles = iter(articles)
    first = next(articles, None)
    if first is None:                 # nothing readable: no model to load, no worker to start
        return
    articles = itertools.chain([first], articles)
    if limits is None and workers <= 1:
        yield from _shared_coder(output, mentions).code_many(articles, batch_size=batch_size)
        return
    # Load the model and every stage's data before forking: the workers then share those
    # pages copy-on-write instead of each loading its own (faster start, less memory).
    # Everything alive after that (the model, every stage's tables) lives as long as the
    # workers: the cyclic garbage collector is paused while it is made and then never walks it
    # (3 % of a worker's CPU measured on a long story), nor writes to its pages, which the
    # fork shares.
    with collector_paused():
        _shared_coder(output, mentions).code(Article(id="warm-up", text="Police arrested two men in Paris on Monday.",
                                           date="2000-01-03"))
    pool = _WatchedPool(max(1, workers), (output, mentions), limits or StoryLimits(seconds=float("inf"),
                                                                       memory_mb=1 << 30))
    try:
        yield from pool.run(articles, batch_size)
    finally:
        pool.close()
        gc.unfreeze()


def _worker_main(conn, coder_key: tuple[str, bool], parent: int) -> None:
    """A worker: code each batch it is sent, send the results back; None, EOF or the death
    of the parent ends it (the pipe alone may not tell: other workers hold copies of it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C is the parent's to handle
    coder = _shared_coder(*coder_key)
    while True:
        try:
            while not conn.poll(1.0):
                if os.getppid() != parent:
                    return
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        job_id, batch = job
        conn.send((job_id, list(coder.code_many(batch, batch_size=len(batch)))))


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far (Linux /proc; 0 where unreadable)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    except (OSError, ValueError, IndexError):
        return 0.0


def _rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc; 0 where it cannot be read)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


@dataclass
class _Entry:
    """A batch read from the input, waiting for all its results (yielded in input order).
    A long story's pieces (see `pieces`) are coded in jobs of their own (PIECES_PER_BATCH
    pieces each), perhaps on different workers: their results wait in `parts` until the last
    one is in."""
    articles: list[Article]
    results: list[CodedArticle | None]
    pieces: dict[int, list[Article]] = field(default_factory=dict)
    parts: dict[int, list[CodedArticle | None]] = field(default_factory=dict)

    def complete(self) -> bool:
        return all(r is not None for r in self.results)

    def split(self, i: int) -> int:
        """Cut story `i` into pieces; how many there are."""
        self.pieces[i] = pieces(self.articles[i])
        self.parts[i] = [None] * len(self.pieces[i])
        return len(self.pieces[i])

    def store(self, i: int, piece: int, result: CodedArticle) -> None:
        if piece < 0:
            self.results[i] = result
            return
        if self.results[i] is not None:       # the story already failed in another piece
            return
        self.parts[i][piece] = result
        if all(p is not None for p in self.parts[i]):
            self.results[i] = join_pieces(self.articles[i], self.parts.pop(i))
            del self.pieces[i]


def piece_jobs(pieces: int, workers: int) -> list[tuple[int, int]]:
    """(first piece, number of pieces) of each job of a long story on `workers` workers, in
    order, at most PIECES_PER_BATCH pieces a job. One worker gets jobs of equal size. Several
    get shrinking ones: each job a share of what is left (`left / (2 × workers)`, two pieces at
    least, which step side by side at little more cost than more), so that a worker that
    finishes early takes a small job instead of waiting for another's last big one. With 12
    equal jobs of 8-9 pieces on 2 workers, pieces coding at different speeds left one worker
    idle for up to a whole job (2.5 s of a 25 s story)."""
    if workers <= 1:
        jobs = -(-pieces // PIECES_PER_BATCH)
        counts = [pieces // jobs + (1 if k < pieces % jobs else 0) for k in range(jobs)]
    else:
        counts, left = [], pieces
        while left > 0:
            counts.append(min(left, max(2, min(PIECES_PER_BATCH, -(-left // (2 * workers))))))
            left -= counts[-1]
    out, start = [], 0
    for count in counts:
        out.append((start, count))
        start += count
    return out


@dataclass
class _Job:
    entry: _Entry
    indices: list[int]
    piece: int = -1        # a job for pieces piece, piece + 1, ... of the story indices[0]
    piece_count: int = 0   # (see `_Entry`)

    @property
    def articles(self) -> list[Article]:
        if self.piece >= 0:
            return self.entry.pieces[self.indices[0]][self.piece:self.piece + self.piece_count]
        return [self.entry.articles[i] for i in self.indices]


class _Worker:
    def __init__(self, ctx, coder_key: tuple[str, bool]) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, coder_key, os.getpid()), daemon=True)
        self.proc.start()
        child.close()
        self.job: _Job | None = None
        self.job_id = 0
        self.started = 0.0
        self.cpu_at_start = 0.0

    def give(self, job: _Job, job_id: int) -> None:
        self.job, self.job_id = job, job_id
        self.started, self.cpu_at_start = time.monotonic(), _cpu_seconds(self.proc.pid)
        self.conn.send((job_id, job.articles))

    def spent(self) -> tuple[float, float]:
        """(CPU seconds, wall seconds) spent on the current job."""
        return _cpu_seconds(self.proc.pid) - self.cpu_at_start, time.monotonic() - self.started

    def stop(self) -> None:
        try:
            self.proc.kill()
            self.proc.join(5)
        finally:
            self.conn.close()


class _WatchedPool:
    """Worker processes, each coding one job (a batch, or one story) at a time, watched for
    the job's time budget and the worker's memory. A job over either is stopped by killing
    its worker (a fresh one takes its place): a batch is then split into single stories, and
    a single story is reported and skipped. A worker is started when there is a job for it
    (up to `size`): a one-story run forks one process, not one per core."""

    def __init__(self, workers: int, coder_key: tuple[str, bool], limits: StoryLimits) -> None:
        self.ctx = mp.get_context("fork")
        self.coder_key, self.limits = coder_key, limits
        self.size = workers
        self.workers: list[_Worker] = []
        self.queue: deque[_Job] = deque()
        self.next_id = 0

    def close(self) -> None:
        for w in self.workers:
            if w.job is None:
                try:
                    w.conn.send(None)
                except OSError:
                    pass
            w.stop()

    def run(self, articles: Iterable[Article], batch_size: int) -> Iterator[CodedArticle]:
        entries: deque[_Entry] = deque()
        source = iter(self._jobs(articles, batch_size, entries))
        exhausted = False
        read_ahead = 3 * self.size

        def feed() -> None:
            """Read ahead a few batches and give every idle worker a job."""
            nonlocal exhausted
            while not exhausted and len(entries) < read_ahead:
                job = next(source, None)
                if job is None:
                    exhausted = True
                else:
                    self.queue.append(job)
            if exhausted:
                self._share_the_rest()
            self._dispatch()

        while True:
            feed()
            while entries and entries[0].complete():
                yield from entries.popleft().results
            if exhausted and not entries:
                return
            feed()            # the consumer took its time: no worker should wait for it
            self._collect()

    def _jobs(self, articles: Iterable[Article], batch_size: int, entries: deque) -> Iterator[_Job]:
        """Jobs in input order: long stories alone (a kill then takes no other story along),
        the pieces of a long story in jobs of their own (shared by the workers)."""
        for batch in _batches(articles, batch_size):
            entry = _Entry(batch, [None] * len(batch))
            entries.append(entry)
            alone = [len(a.text) >= self.limits.solo_chars or is_long(a) for a in batch]
            short = [i for i, a in enumerate(alone) if not a]
            if short:
                yield _Job(entry, short)
            for i, a in enumerate(batch):
                if is_long(a):
                    n = entry.split(i)
                    yield from (_Job(entry, [i], piece=first, piece_count=count)
                                for first, count in piece_jobs(n, self.size))
                elif alone[i]:
                    yield _Job(entry, [i])

    def _share_the_rest(self) -> None:
        """Once the input is all read, no queued job is bigger than the workers' fair share of
        what is left: otherwise the last batch runs on one worker while the others wait
        (5 batches on 2 workers took 3 batches' time)."""
        left = sum(len(job.indices) for job in self.queue)
        share = max(1, -(-left // self.size))
        if all(len(job.indices) <= share for job in self.queue):
            return
        split: deque[_Job] = deque()
        for job in self.queue:
            if len(job.indices) <= share:
                split.append(job)
                continue
            for k in range(0, len(job.indices), share):
                split.append(_Job(job.entry, job.indices[k:k + share]))
        self.queue = split

    def _dispatch(self) -> None:
        idle = [w for w in self.workers if w.job is None]
        while len(self.queue) > len(idle) and len(self.workers) < self.size:
            self.workers.append(_Worker(self.ctx, self.coder_key))
            idle.append(self.workers[-1])
        for w in idle:
            if self.queue:
                self.next_id += 1
                w.give(self.queue.popleft(), self.next_id)

    def _budget(self, job: _Job) -> float:
        """CPU seconds a job may take: one story gets the limit, a batch the limit plus 0.5 s a
        story (a typical story takes under 0.1 s). A batch of many long stories may run out
        too: it is then coded one story at a time, each within the limit."""
        n = len(job.indices)
        return self.limits.seconds if n == 1 else self.limits.seconds + 0.5 * n

    def _collect(self) -> None:
        busy = [w for w in self.workers if w.job is not None]
        if not busy:
            return
        ready = wait_for([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=_POLL_SECONDS)
        for w in busy:
            if w.conn in ready or w.proc.sentinel in ready:
                self._receive(w)
        for w in busy:
            if w.job is None:
                continue
            cpu, wall = w.spent()
            budget = self._budget(w.job)
            if cpu > budget or wall > 10 * budget:
                self._fail(w, f"took longer than {self.limits.seconds:g} s")
            elif _rss_mb(w.proc.pid) > self.limits.memory_mb:
                self._fail(w, f"needed more than {self.limits.memory_mb} MB of memory")

    def _receive(self, w: _Worker) -> None:
        try:
            job_id, results = w.conn.recv()
        except (EOFError, OSError):
            code = w.proc.exitcode
            how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            self._fail(w, f"its worker process died ({how})")
            return
        if job_id != w.job_id:       # a late answer to a job already given up: ignore
            return
        if w.job.piece >= 0:
            for k, result in enumerate(results, start=w.job.piece):
                w.job.entry.store(w.job.indices[0], k, result)
        else:
            for i, result in zip(w.job.indices, results):
                w.job.entry.store(i, -1, result)
        w.job = None
        if _rss_mb(w.proc.pid) > 0.8 * self.limits.memory_mb:   # grown too close: start afresh
            self._replace(w)

    def _fail(self, w: _Worker, why: str) -> None:
        job, w.job = w.job, None
        self._replace(w)
        if len(job.indices) > 1:
            # which story was it? each one alone finds out; they go first, in order
            self.queue.extendleft(_Job(job.entry, [i]) for i in reversed(job.indices))
            return
        i = job.indices[0]
        article = job.entry.articles[i]
        if job.piece >= 0:
            why = (f"{why} on its pieces {job.piece + 1}-{job.piece + job.piece_count} of"
                   f" {len(job.entry.pieces[i])}")
        reason = (f"article {article.id!r} ({len(article.text):,} characters) {why} "
                  f"while being coded, skipped")
        job.entry.results[i] = CodedArticle(article=article, problem=InputProblem(
            article.path or article.id, article.line, reason))
        if job.piece >= 0:       # its other pieces need not be coded any more
            self.queue = deque(j for j in self.queue if not (j.entry is job.entry and j.indices == [i]))

    def _replace(self, w: _Worker) -> None:
        w.stop()
        self.workers[self.workers.index(w)] = _Worker(self.ctx, self.coder_key)
