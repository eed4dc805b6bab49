"""code_parallel hands out the tail of the input in shares, and still yields every story's
result once, in input order, equal to coding in one process."""
from __future__ import annotations

from collections import deque

from eventwire.article import Article
from eventwire.pipeline import _Entry, _Job, _WatchedPool, code_parallel

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


def test_tail_split_into_fair_shares():
    pool = _WatchedPool.__new__(_WatchedPool)      # no worker processes needed for the split
    pool.workers = [object(), object()]
    entry = _Entry(_articles(10), [None] * 10)
    pool.queue = deque([_Job(entry, list(range(8))), _Job(entry, [8, 9])])
    pool._share_the_rest()
    sizes = [len(j.indices) for j in pool.queue]
    assert max(sizes) == 5 and sum(sizes) == 10
    assert [i for j in pool.queue for i in j.indices] == list(range(10))   # order kept
    pool.queue = deque([_Job(entry, [0, 1]), _Job(entry, [2])])
    pool._share_the_rest()                          # already fair: left as it is
    assert [j.indices for j in pool.queue] == [[0, 1], [2]]
