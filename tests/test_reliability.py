"""Bad inputs and hostile sizes: every one is named (`path[:line]: reason`) and skipped, the
rest of the run goes on, and nothing is read whole before it is checked.

Reader tests call the library directly (fast); the CLI tests run the real command.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from eventwire import article as art
from eventwire.article import Article, InputProblem, RunChecks, read_articles, read_checked

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))

from store_fakecoder import fake_coder, make_corpus  # noqa: E402


@contextmanager
def within(seconds: int):
    """Fail (instead of hanging the suite) when the block takes longer than `seconds`."""
    def timeout(signum, frame):
        raise AssertionError(f"blocked for more than {seconds} s")
    old = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def problems_of(items) -> dict[tuple[str, int | None], str]:
    return {(Path(p.path).name, p.line): p.reason for p in items if isinstance(p, InputProblem)}


def articles_of(items) -> list[str]:
    return [a.id for a in items if isinstance(a, Article)]


# ---------------------------------------------------------------- JSON Lines: depth, numbers, ids

def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_deep_nesting_and_huge_integers_are_bad_lines_not_crashes(tmp_path):
    f = _jsonl(tmp_path / "hostile.jsonl", [
        '{"id": "deep", "text": "x", "m": ' + "[" * 2000 + "]" * 2000 + "}",
        '{"id": "big", "text": "x", "n": ' + "7" * 5000 + "}",
        json.dumps({"id": "fine", "text": "Farmers blocked a road near Lyon."}),
        '{"id": "strings", "text": "' + "[" * 3000 + '"}',       # brackets inside a string do not nest
        '{"id": "negative", "text": "y", "n": -' + "3" * 41 + "}",
        json.dumps({"id": "modest", "text": "z", "n": 10 ** 30, "deep": [[[[1]]]]}),
    ])
    items = list(read_articles([f]))
    probs = problems_of(items)
    assert "nested deeper than" in probs[("hostile.jsonl", 1)]
    assert "integer of more than" in probs[("hostile.jsonl", 2)]
    assert "integer of more than" in probs[("hostile.jsonl", 5)]
    assert articles_of(items) == ["fine", "strings", "modest"]


def test_line_longer_than_the_cap_is_skipped_without_reading_it_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(art, "MAX_JSONL_LINE_BYTES", 1000)
    f = _jsonl(tmp_path / "long.jsonl", [
        json.dumps({"id": "a", "text": "short one"}),
        json.dumps({"id": "b", "text": "w " * 5000}),
        json.dumps({"id": "c", "text": "short two"}),
    ])
    items = list(read_articles([f]))
    assert "line longer than 1,000 bytes" in problems_of(items)[("long.jsonl", 2)]
    assert articles_of(items) == ["a", "c"]


@pytest.mark.parametrize("raw_id, words", [
    ("null", "is null, not a string"),
    ("1", "is a number, not a string"),
    ("true", "not a string"),
    ("[\"a\"]", "is an array"),
    ('""', "empty 'id'"),
    ('"   "', "empty 'id'"),
    ('"' + "k" * 600 + '"', "longer than"),
])
def test_ids_must_be_non_empty_strings(tmp_path, raw_id, words):
    f = _jsonl(tmp_path / "ids.jsonl", ['{"id": ' + raw_id + ', "text": "Crowds gathered in Accra."}',
                                        '{"id": "1", "text": "Crowds gathered in Kumasi."}'])
    items = list(read_articles([f]))
    assert words in problems_of(items)[("ids.jsonl", 1)]
    assert articles_of(items) == ["1"]        # the string id is kept as it is


def test_duplicate_ids_in_one_run_are_reported_and_the_later_skipped(tmp_path):
    (tmp_path / "b.txt").write_text("Dockers strike\n\nDockers struck in Durban.\n", encoding="utf-8")
    f = _jsonl(tmp_path / "a.jsonl", [json.dumps({"id": "b", "text": "Nurses marched.", "date": "2021-03-04"}),
                                      json.dumps({"id": "other", "text": "Teachers marched.", "date": "2021-03-04"}),
                                      json.dumps({"id": "other", "text": "Teachers marched again.",
                                                  "date": "2021-03-04"})])
    items = list(read_checked([f, tmp_path / "b.txt"], "2021-03-05"))
    probs = problems_of(items)
    assert "article id 'other' already read from" in probs[("a.jsonl", 3)] and f"{f}:2" in probs[("a.jsonl", 3)]
    assert "article id 'b' already read from" in probs[("b.txt", None)]
    assert articles_of(items) == ["b", "other"]


def test_undated_articles_are_reported_once_per_file(tmp_path):
    f = _jsonl(tmp_path / "u.jsonl", [json.dumps({"id": f"u{k}", "text": "Miners protested."}) for k in range(3)]
               + [json.dumps({"id": "dated", "text": "Miners protested.", "date": "2019-05-06"})])
    (tmp_path / "lone.txt").write_text("Strike\n\nBus drivers struck.\n", encoding="utf-8")
    items = list(read_checked([f, tmp_path / "lone.txt"], None, RunChecks()))
    warnings = [p for p in items if isinstance(p, InputProblem)]
    assert [(Path(w.path).name, w.line) for w in warnings] == [("u.jsonl", 1), ("lone.txt", None)]
    assert all("no publication date" in w.reason and "--date" in w.reason for w in warnings)
    assert articles_of(items) == ["u0", "u1", "u2", "dated", "lone"]   # still coded
    # with --date nothing is undated
    assert not [p for p in read_checked([tmp_path / "lone.txt"], "2020-01-01") if isinstance(p, InputProblem)]


# ---------------------------------------------------------------- files: type and size before reading

def test_devices_and_fifos_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with within(20):
        items = list(read_articles(["/dev/zero", fifo, tmp_path / "pipe.jsonl"]))
    probs = {p.path: p.reason for p in items}
    assert "character device" in probs["/dev/zero"]
    assert "FIFO" in probs[str(fifo)]
    assert "no such file" in probs[str(tmp_path / "pipe.jsonl")]


def test_a_file_too_large_for_a_story_is_refused_by_its_size(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:              # 3 GB, sparse: takes no disk, would take 3 GB to read
        fh.truncate(3 * 2**30)
    html = tmp_path / "huge.html"
    os.link(huge, html)
    import resource
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with within(20):
        items = list(read_articles([huge, html]))
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000     # KB: nothing read
    probs = problems_of(items)
    assert "3,221,225,472 bytes is larger than" in probs[("huge.txt", None)]
    assert "larger than" in probs[("huge.html", None)]


def test_everything_skipped_in_a_folder_is_named(tmp_path):
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("Strike\n\nPilots struck in Lisbon.\n", encoding="utf-8")
    (root / "b.txt").write_text("Rally\n\nFarmers rallied in Porto.\n", encoding="utf-8")
    (root / "notes.md").write_text("not a story", encoding="utf-8")         # passed over quietly
    (root / "sub" / "up").symlink_to(root, target_is_directory=True)       # a loop
    (root / "self.txt").symlink_to(root / "self.txt")                      # a link to itself
    (root / "gone.txt").symlink_to(root / "missing.txt")                   # dangling
    (root / "again").symlink_to(root / "sub", target_is_directory=True)    # a second way into sub/
    os.mkfifo(root / "queue.jsonl")
    with within(20):
        items = list(read_articles([root]))
    probs = problems_of(items)
    assert "symbolic link loop" in probs[("up", None)]
    assert "symbolic link loop" in probs[("self.txt", None)]
    assert "broken symbolic link" in probs[("gone.txt", None)]
    assert "FIFO" in probs[("queue.jsonl", None)]
    assert "already read" in probs[("sub", None)] or "already read" in probs[("again", None)]
    assert not any(name == "notes.md" for name, _ in probs)
    assert sorted(articles_of(items)) == ["a", "b"]          # each story once


def test_folder_order_is_sorted_by_path(tmp_path):
    for rel in ("b/z.txt", "a.txt", "a/y.txt", "c.txt"):
        f = tmp_path / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(f"{rel}\n\nWorkers struck.\n", encoding="utf-8")
    files = [f for f in art.iter_input_files([tmp_path]) if isinstance(f, Path)]
    assert files == sorted(tmp_path.rglob("*.txt"))


# ---------------------------------------------------------------- ingest: no printing, missing paths, locks

class Listener:
    def __init__(self):
        self.problems, self.warnings, self.waits, self.advanced_by = [], [], [], 0

    def problem(self, p):
        self.problems.append(str(p))

    def warning(self, m):
        self.warnings.append(m)

    def waiting(self, m):
        self.waits.append(m)

    def advanced(self, n=1):
        self.advanced_by += n

    def committed(self, stored):
        pass


@pytest.fixture(autouse=True)
def _pinned_coder_version(monkeypatch):
    monkeypatch.setenv("EVENTWIRE_CODER_VERSION", "test")


def test_ingest_is_a_library_call_that_prints_nothing(tmp_path, capfd):
    from eventwire import store
    make_corpus(tmp_path / "c", 5)
    (tmp_path / "c" / "bad.txt").write_bytes(b"\x00\x01")
    listener = Listener()
    report = store.ingest_paths([tmp_path / "c"], db_path=tmp_path / "ew.duckdb", coder=fake_coder(),
                                listener=listener)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert (report.new, report.skipped) == (5, 1)
    assert listener.problems == [str(p) for p in report.problems] and "bad.txt" in listener.problems[0]
    assert listener.advanced_by == 6


def test_ingest_of_missing_paths_creates_no_database(tmp_path):
    from eventwire import store
    db = tmp_path / "x.duckdb"
    report = store.ingest_paths([tmp_path / "nope", tmp_path / "nada.txt"], db_path=db, coder=fake_coder())
    assert not db.exists()
    assert report.missing == [str(tmp_path / "nope"), str(tmp_path / "nada.txt")]
    assert all("no such file" in p.reason for p in report.problems)


HOLD = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
    print("holding", flush=True)
    time.sleep(float(sys.argv[3]))
""")


@contextmanager
def held(db: Path, seconds: float, read_only: bool):
    """Another process holding the database, as the web UI (read-only) or an ingest does."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), "ro" if read_only else "rw", str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "holding"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_ingest_waits_for_a_reader_to_let_go(tmp_path):
    from eventwire import store
    make_corpus(tmp_path / "c", 3)
    db = tmp_path / "ew.duckdb"
    store.ingest_paths([tmp_path / "c"], db_path=db, coder=fake_coder())
    make_corpus(tmp_path / "d", 2)
    listener = Listener()
    with held(db, 3, read_only=True):
        t0 = time.monotonic()
        report = store.ingest_paths([tmp_path / "d"], db_path=db, coder=fake_coder(), listener=listener,
                                    lock_timeout=60)
    assert time.monotonic() - t0 >= 1.0
    assert len(listener.waits) == 1 and "in use by another process" in listener.waits[0]
    assert "waiting up to 60 s" in listener.waits[0]
    assert report.unchanged == 2 or report.new == 2


def test_second_ingest_gives_up_before_coding_anything(tmp_path):
    from eventwire import store
    make_corpus(tmp_path / "c", 4)
    db = tmp_path / "ew.duckdb"
    store.ingest_paths([tmp_path / "c"], db_path=db, coder=fake_coder())
    coded = []

    def counting(articles, workers, batch_size):
        for a in articles:
            coded.append(a.id)
            yield from fake_coder()([a], workers, batch_size)

    with held(db, 60, read_only=False) as holder:
        t0 = time.monotonic()
        with pytest.raises(store.DatabaseLocked) as e:
            store.ingest_paths([tmp_path / "c"], db_path=db, coder=counting, lock_timeout=1.5)
    assert 1.0 <= time.monotonic() - t0 < 30
    assert coded == []
    assert f"process {holder.pid}" in str(e.value) and "gave up after waiting" in str(e.value)


def test_confidence_is_a_column_and_old_databases_gain_it(tmp_path):
    from eventwire import store
    from eventwire.pipeline import CodedArticle

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))             # a database from before the column existed
    for stmt in store.DDL:
        con.execute(stmt)
    con.execute("ALTER TABLE events DROP COLUMN confidence")
    con.close()
    assert "confidence" not in [r[0] for r in duckdb.connect(str(db)).execute("DESCRIBE events").fetchall()]

    def sure(articles, workers, batch_size):
        for a in articles:
            recs = fake_coder()([a], workers, batch_size)
            for r in recs:
                for k, ev in enumerate(r.events):
                    ev["confidence"] = [0.25, 1.5, None][k % 3]
                yield CodedArticle(article=r.article, events=r.events, places=r.places, times=r.times)

    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "s.txt").write_text("S\n\n" + "@ev PROTEST a=FRA d=2020-01-02\n" * 3, encoding="utf-8")
    store.ingest_paths([tmp_path / "c"], db_path=db, coder=sure)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT confidence FROM events ORDER BY seq").fetchall() == [(0.25,), (None,), (None,)]
    assert con.execute("SELECT count(confidence) FROM events_full").fetchone()[0] == 1
    con.close()


# ---------------------------------------------------------------- per-story limits in code_parallel

def test_a_story_that_holds_its_worker_is_skipped_and_the_batch_goes_on(coder):
    """The long story shares a batch with short ones: the batch runs over its budget, is split,
    each story is coded alone, and only the long one is given up. Order is kept."""
    from eventwire.pipeline import StoryLimits, code_parallel
    bodies = [p.read_text(encoding="utf-8") for p in sorted(
        (Path(__file__).resolve().parents[1] / "src" / "eventwire" / "samples").glob("*.txt"))]
    long_text = ("An endless dispatch\n" + "".join(bodies * 200))[:300_000]
    short = [Article(id=f"s{k}", text=bodies[k], date="2020-01-01", meta={"format": "txt"}) for k in range(3)]
    articles = [short[0], Article(id="endless", text=long_text, date="2020-01-01", path="endless.txt",
                                  meta={"format": "txt"}), short[1], short[2]]
    limits = StoryLimits(seconds=3, memory_mb=4096, solo_chars=10**9)
    t0 = time.monotonic()
    results = list(code_parallel(iter(articles), workers=2, batch_size=8, limits=limits))
    assert time.monotonic() - t0 < 120
    assert [r.article.id for r in results] == ["s0", "endless", "s1", "s2"]
    assert results[1].problem and "endless.txt: article 'endless' (300,000 characters) took longer than 3 s" \
        in str(results[1].problem)
    for r, a in zip([results[0], results[2], results[3]], short):
        assert r.problem is None and r.events == coder.code(a).events


def test_a_title_url_or_source_that_is_no_string_is_left_out_and_the_story_coded(coder):
    from eventwire.article import article_from_json
    obj = {"id": "t1", "title": 17, "url": ["x"], "source": {"a": 1},
           "text": "Police arrested two organisers of the march in Varna on Monday."}
    article = article_from_json(obj, "in.jsonl", 3, "2024-03-06")
    assert (article.title, article.url, article.source) == (None, None, None)
    assert any(e["type"] == "COERCE" for e in coder.code(article).events)
    kept = article_from_json({**obj, "title": "Arrests in Varna"}, "in.jsonl", 4, "2024-03-06")
    assert kept.title == "Arrests in Varna"
