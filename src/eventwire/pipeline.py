"""Wiring: article → NLP → actors → events → modality → places → times → assembly.

Each stage is a spaCy component in its own module; they talk only through `Doc._`
attributes (see `nlp.DOC_ATTRIBUTES`) and the dataclasses in `records`.
`Coder` is the library entry point; `code_parallel` fans articles out over processes,
each loading the model once.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import sys
import traceback
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from eventwire import actors, assemble, event_location, events, modality, places, times
from eventwire.article import Article, InputProblem
from eventwire.nlp import load_model, parse_date

# Stories parsed together: the model's matrix work is faster on bigger batches (measured:
# 64 beats 16 by ~15%; far bigger batches only cost memory and latency).
BATCH_SIZE = 64

STAGES = (
    ("eventwire_actors", actors.annotate),
    ("eventwire_events", events.annotate),
    ("eventwire_modality", modality.annotate),
    ("eventwire_places", places.annotate),
    ("eventwire_event_location", event_location.annotate),
    ("eventwire_times", times.annotate),
)

def _guarded(name: str, func):
    """A stage that fails on one story records the failure on the Doc instead of raising:
    spaCy would otherwise abort the whole batch. The article is then reported and skipped."""
    def stage(doc: Doc) -> Doc:
        if doc._.error:
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


def build_nlp() -> Language:
    nlp = load_model()
    for name, _ in STAGES:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
    return nlp


class Coder:
    """Codes articles into event records. Load once, reuse: the model load takes ~1 s."""

    def __init__(self) -> None:
        self.nlp = build_nlp()

    def make_doc(self, article: Article) -> Doc:
        doc = self.nlp.make_doc(article.text)
        doc._.article = article
        doc._.pub_date = parse_date(article.date) or date.today()
        doc._.dateline = article.dateline_span()
        return doc

    def docs(self, articles: Iterable[Article], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
        yield from self.nlp.pipe((self.make_doc(a) for a in articles), batch_size=batch_size)

    def code_doc(self, doc: Doc) -> CodedArticle:
        article = doc._.article
        if doc._.error:
            reason = f"internal error while coding article {article.id!r} ({doc._.error}), skipped"
            return CodedArticle(article=article,
                                problem=InputProblem(article.path or article.id, article.line, reason))
        return CodedArticle(
            article=article,
            events=assemble.records(doc),
            places=[dict(article_id=article.id, **p.to_json()) for p in doc._.places or []],
            times=[dict(article_id=article.id, **t.to_json()) for t in doc._.times or []],
        )

    def code(self, article: Article) -> CodedArticle:
        return self.code_doc(next(self.docs([article])))

    def code_many(self, articles: Iterable[Article], batch_size: int = BATCH_SIZE) -> Iterator[CodedArticle]:
        """Code a stream; an article that breaks a stage is reported, never fatal to the batch."""
        for batch in _batches(articles, batch_size):
            yield from self._code_batch(batch)

    def _code_batch(self, batch: list[Article]) -> Iterator[CodedArticle]:
        try:
            results = [self.code_doc(d) for d in self.docs(batch, batch_size=len(batch))]
        except Exception:  # one bad article must not sink its batch: retry one by one
            results = [self._code_one_safely(a) for a in batch]
        yield from results

    def _code_one_safely(self, article: Article) -> CodedArticle:
        try:
            return self.code(article)
        except Exception as e:
            where = article.path or article.id
            reason = f"internal error while coding article {article.id!r}: {type(e).__name__}: {e}"
            if os.environ.get("EVENTWIRE_DEBUG"):
                traceback.print_exc(file=sys.stderr)
            return CodedArticle(article=article, problem=InputProblem(where, article.line, reason))


def code_text(text: str, date: str | None = None, id: str = "text") -> list[dict]:
    """Convenience: code one plain-text story and return its event records."""
    return _shared_coder().code(Article(id=id, text=text, date=date, meta={"format": "txt"})).events


_CODER: Coder | None = None


def _shared_coder() -> Coder:
    global _CODER
    if _CODER is None:
        _CODER = Coder()
    return _CODER


def _worker_code(batch: list[Article]) -> list[CodedArticle]:
    return list(_shared_coder().code_many(batch, batch_size=len(batch)))


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def code_parallel(articles: Iterable[Article], workers: int = 1, batch_size: int = BATCH_SIZE
                  ) -> Iterator[CodedArticle]:
    """Code articles on `workers` processes, results in input order.

    Each worker process loads the model once (fork start method, so the import cost is
    paid once in the parent). With one worker everything runs in this process. At most a few
    batches per worker are read ahead, so a corpus of any size streams in bounded memory.
    """
    if workers <= 1:
        yield from _shared_coder().code_many(articles, batch_size=batch_size)
        return
    # Load the model and every stage's data before forking: the workers then share those
    # pages copy-on-write instead of each loading its own (faster start, less memory).
    _shared_coder().code(Article(id="warm-up", text="Police arrested two men in Paris on Monday.",
                                 date="2000-01-03"))
    ctx = mp.get_context("fork")
    with ctx.Pool(workers) as pool:
        pending: deque = deque()
        for batch in _batches(articles, batch_size):
            pending.append(pool.apply_async(_worker_code, (batch,)))
            if len(pending) >= 3 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
