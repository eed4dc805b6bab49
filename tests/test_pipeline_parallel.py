"""code_parallel hands out the tail of the input in shares, and still yields every story's
result once, in input order, equal to coding in one process."""
from __future__ import annotations

from collections import deque

from eventwire.article import Article
from eventwire import pipeline
from eventwire.pipeline import PIECE_KEY, _Entry, _Job, _WatchedPool, code_parallel, pieces

TEXTS = [
    "Border guards detained {n} fishermen near the Kelvar strait on Monday.",
    "The trade ministers of Arvenia and Dostrel met in Lunsk to sign a grain deal.",
    "Snow fell over the northern valleys for a {n}th day.",
    "Protesters marched through central Tamsk demanding the release of {n} students.",
]


def _articles(n: int) -> list[Article]:
    return [Article(id=f"a{i}", text=TEXTS[i % len(TEXTS)].format(n=i + 2), date="2022-05-06")
            for i in range(n)]


def test_parallel_results_in_order_and_equal_to_one_process(coder):
    articles = _articles(11)
    alone = list(coder.code_many(articles, batch_size=8))
    parallel = list(code_parallel(articles, workers=2, batch_size=8))
    assert [r.article.id for r in parallel] == [a.id for a in articles]
    assert [r.events for r in parallel] == [r.events for r in alone]
    assert any(r.events for r in alone)


def test_workers_started_only_for_jobs(monkeypatch):
    """A pool of two codes one story on one forked worker, and two stories on two."""
    started = []
    original = pipeline._Worker.__init__

    def counting(self, *args):
        started.append(1)
        original(self, *args)

    monkeypatch.setattr(pipeline._Worker, "__init__", counting)
    one = list(code_parallel(_articles(1), workers=2, batch_size=8))
    assert len(one) == 1 and len(started) == 1
    started.clear()
    two = list(code_parallel(_articles(2), workers=2, batch_size=8))
    assert [r.article.id for r in two] == [a.id for a in _articles(2)] and len(started) == 2


def test_tail_split_into_fair_shares():
    pool = _WatchedPool.__new__(_WatchedPool)      # no worker processes needed for the split
    pool.size = 2
    entry = _Entry(_articles(10), [None] * 10)
    pool.queue = deque([_Job(entry, list(range(8))), _Job(entry, [8, 9])])
    pool._share_the_rest()
    sizes = [len(j.indices) for j in pool.queue]
    assert max(sizes) == 5 and sum(sizes) == 10
    assert [i for j in pool.queue for i in j.indices] == list(range(10))   # order kept
    pool.queue = deque([_Job(entry, [0, 1]), _Job(entry, [2])])
    pool._share_the_rest()                          # already fair: left as it is
    assert [j.indices for j in pool.queue] == [[0, 1], [2]]


# ------------------------------------------------------------------ long stories in pieces

# Two stories of their own, each a paragraph of a few lines; neither has a dateline.
FIRST = ("Riot police in Vessaro fired tear gas at hundreds of dock workers on Tuesday.\n"
         "The workers had blocked the harbour gates for a week over unpaid wages.\n")
SECOND = ("The foreign minister of Dostrel accused Arvenia of shelling two border villages.\n"
          "Arvenian troops arrested 14 farmers near the river crossing, a local official said.\n")


def test_pieces_cover_the_text_and_cut_at_line_breaks(monkeypatch):
    monkeypatch.setattr(pipeline, "LONG_STORY_CHARS", 1000)
    text = (FIRST + "\n") * 30 + "one very long line without any break " * 40
    story = Article(id="long", text=text, title=FIRST.split("\n")[0], date="2022-05-06")
    parts = pieces(story, size=700)
    assert "".join(p.text for p in parts) == text
    assert all(len(p.text) <= 700 for p in parts) and len(parts) > 3
    assert [p.meta[PIECE_KEY][0] for p in parts] == list(range(len(parts)))
    assert all(text.startswith(p.text, p.meta[PIECE_KEY][1]) for p in parts)
    assert parts[0].title == story.title and all(p.title is None for p in parts[1:])
    with_breaks = [p for p in parts if "\n" in p.text]
    assert all(p.text.endswith("\n") for p in with_breaks[:-1])     # cut after a line break
    not_long = Article(id="short", text=FIRST * 6)          # longer than a piece, not a long story
    assert len(not_long.text) > 700 and pieces(not_long, size=700) == [not_long]


def test_long_story_coded_in_pieces_like_each_piece_alone(coder, monkeypatch):
    monkeypatch.setattr(pipeline, "LONG_STORY_CHARS", len(FIRST) + 5)
    monkeypatch.setattr(pipeline, "PIECE_CHARS", len(FIRST) + 5)
    story = Article(id="two", text=FIRST + "\n" + SECOND, date="2022-05-06")
    whole = coder.code(story)
    assert whole.problem is None
    first = coder.code(Article(id="two", text=FIRST + "\n", date="2022-05-06"))
    second = coder.code(Article(id="two", text=SECOND, date="2022-05-06"))
    assert first.events and second.events
    offset = len(FIRST) + 1
    assert whole.events[:len(first.events)] == first.events
    later = whole.events[len(first.events):]
    assert len(later) == len(second.events)
    for got, alone in zip(later, second.events):
        assert got["trigger"]["start"] == alone["trigger"]["start"] + offset
        assert got["sentence"] == alone["sentence"] + 2          # the first piece's two lines
        assert got["type"] == alone["type"] and got["id"] != alone["id"]
        for a in got["actors"] + got["recipients"]:
            assert story.text[a["start"]:a["end"]] == a["text"]
    assert len({e["id"] for e in whole.events}) == len(whole.events)
    # on two workers the pieces are jobs of their own: the same records
    parallel = list(code_parallel([story, _articles(1)[0]], workers=2))
    assert parallel[0].events == whole.events and parallel[1].article.id == "a0"


def test_piece_jobs_shrink_towards_the_end_on_several_workers():
    from eventwire.pipeline import PIECES_PER_BATCH, piece_jobs
    for pieces in range(1, 260):
        for workers in (1, 2, 3, 8):
            jobs = piece_jobs(pieces, workers)
            counts = [count for _, count in jobs]
            assert [first for first, _ in jobs] == [sum(counts[:k]) for k in range(len(jobs))]
            assert sum(counts) == pieces and max(counts) <= PIECES_PER_BATCH
            if workers == 1:
                assert max(counts) - min(counts) <= 1                # one worker: equal jobs
            else:
                assert counts == sorted(counts, reverse=True)        # never growing
                assert counts[-1] <= 2                               # the last ones small
    assert [c for _, c in piece_jobs(100, 1)] == [10] * 10
    assert [c for _, c in piece_jobs(101, 2)] == [10] * 7 + [8, 6, 5, 3, 3, 2, 2, 2]
    assert [c for _, c in piece_jobs(30, 2)] == [8, 6, 4, 3, 3, 2, 2, 2]


def test_long_story_jobs_hold_a_batch_of_pieces_each(monkeypatch):
    monkeypatch.setattr(pipeline, "LONG_STORY_CHARS", 300)
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 100)
    monkeypatch.setattr(pipeline, "PIECES_PER_BATCH", 3)
    pool = _WatchedPool.__new__(_WatchedPool)              # no worker processes needed
    pool.limits = pipeline.StoryLimits()
    pool.size = 2                                          # two workers, as far as jobs go
    story = Article(id="long", text="".join(f"Line {k} of a long report.\n" for k in range(40)))
    entries = deque()
    jobs = list(pool._jobs([_articles(1)[0], story], 8, entries))
    assert jobs[0].indices == [0] and jobs[0].piece < 0          # the short story's batch
    piece_jobs = jobs[1:]
    sizes = [len(j.articles) for j in piece_jobs]
    assert max(sizes) <= 3 and sizes == sorted(sizes, reverse=True)   # shrinking jobs
    got = [p for j in piece_jobs for p in j.articles]
    assert "".join(p.text for p in got) == story.text
    entry = entries[0]
    for j in reversed(piece_jobs):                                # results may come in any order
        for k, piece in enumerate(j.articles, start=j.piece):
            assert not entry.complete() or k == 0
            entry.store(1, k, pipeline.CodedArticle(article=piece, sentences=1))
    entry.store(0, -1, pipeline.CodedArticle(article=entry.articles[0]))
    assert entry.complete() and entry.results[1].article is story and entry.results[1].problem is None
