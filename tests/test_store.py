"""Corpus ingestion into DuckDB: idempotence, replacement, crash safety, bad inputs.

Most tests use the stand-in coder of tests/fixtures/store_fakecoder.py (records from a tiny
markup), so they test the storage, not the NLP. The kill -9 test runs a real subprocess
and kills it with SIGKILL in the middle of an ingest.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))

from store_fakecoder import fake_coder, make_corpus  # noqa: E402

from eventwire import store  # noqa: E402


@pytest.fixture(autouse=True)
def _pinned_coder_version(monkeypatch):
    """The coder is being edited by others while tests run: do not let that re-code stories."""
    monkeypatch.setenv("EVENTWIRE_CODER_VERSION", "test")


class Recorder(store.IngestListener):
    """Keeps what an ingest tells its listener, as the CLI would print it."""

    def __init__(self):
        self.lines, self.advanced_by, self.waits = [], 0, []

    def problem(self, problem):
        self.lines.append(f"eventwire: {problem}")

    def warning(self, message):
        self.lines.append(f"eventwire: {message}")

    def waiting(self, message):
        self.waits.append(message)

    def advanced(self, stories=1):
        self.advanced_by += stories


def ingest(paths, db, **kw):
    kw.setdefault("coder", fake_coder())
    listener = kw.setdefault("listener", Recorder())
    s = store.ingest_paths([str(p) for p in paths], db_path=str(db), workers=1, **kw)
    s.stderr = "\n".join(listener.lines)
    s.listener = listener
    return s


def q(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def check_consistent(db, expected: dict[str, int] | None = None, clustered: bool = True):
    """Every article has exactly its events; no duplicates; every event in exactly one cluster
    (`clustered=False` after a crash: clustering runs at the end of an ingest, so the events
    of the interrupted run wait for the next one)."""
    rows = q(db, """SELECT a.id, a.n_events, count(e.event_key) FROM articles a
                    LEFT JOIN events e ON e.article_id = a.id GROUP BY a.id, a.n_events""")
    for aid, n_events, n in rows:
        assert n_events == n, aid
        if expected is not None:
            assert n == expected[aid], aid
    assert q(db, "SELECT count(*) - count(DISTINCT (article_id, seq)) FROM events")[0][0] == 0
    assert q(db, "SELECT count(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)")[0][0] == 0
    assert q(db, "SELECT count(*) FROM places WHERE article_id NOT IN (SELECT id FROM articles)")[0][0] == 0
    # clusters: every event mapped once, no mapping to a missing event, sizes right
    assert not clustered or q(db, """SELECT count(*) FROM events e LEFT JOIN event_clusters c USING (event_key)
                    WHERE c.cluster_id IS NULL""")[0][0] == 0
    assert q(db, """SELECT count(*) FROM event_clusters c LEFT JOIN events e USING (event_key)
                    WHERE e.event_key IS NULL""")[0][0] == 0
    assert q(db, """SELECT count(*) FROM clusters k WHERE n_events <>
                    (SELECT count(*) FROM event_clusters c WHERE c.cluster_id = k.cluster_id)""")[0][0] == 0
    return len(rows)


def test_ingest_then_reingest_is_a_noop(tmp_path):
    expected = make_corpus(tmp_path / "corpus", 12)
    db = tmp_path / "ew.duckdb"
    s1 = ingest([tmp_path / "corpus"], db)
    assert (s1.new, s1.unchanged, s1.replaced, s1.skipped) == (12, 0, 0, 0)
    assert sum(s1.events_by_type.values()) == sum(expected.values())
    before = q(db, "SELECT id, content_hash, ingested_at FROM articles ORDER BY id")
    clusters_before = q(db, "SELECT * FROM clusters ORDER BY cluster_id")
    assert check_consistent(db, expected) == 12

    calls = []

    def counting_coder(articles, workers, batch_size):
        for a in articles:
            calls.append(a.id)
            yield from fake_coder()([a], workers, batch_size)

    s2 = ingest([tmp_path / "corpus"], db, coder=counting_coder)
    assert (s2.new, s2.unchanged, s2.replaced) == (0, 12, 0)
    assert calls == []                       # unchanged stories are not even re-coded
    assert q(db, "SELECT id, content_hash, ingested_at FROM articles ORDER BY id") == before
    assert q(db, "SELECT * FROM clusters ORDER BY cluster_id") == clusters_before
    check_consistent(db, expected)


def test_dates_json_and_outlet(tmp_path):
    make_corpus(tmp_path / "c", 3, date="2019-07-01")
    db = tmp_path / "ew.duckdb"
    ingest([tmp_path / "c"], db, default_date="2000-01-01")
    assert {r[0] for r in q(db, "SELECT date::VARCHAR FROM articles")} == {"2019-07-01"}
    assert {r[0] for r in q(db, "SELECT outlet FROM articles")} == {"AP"}   # from "BAGHDAD (AP) --"


def test_changed_story_replaces_its_events(tmp_path):
    corpus = tmp_path / "corpus"
    expected = make_corpus(corpus, 8)
    db = tmp_path / "ew.duckdb"
    ingest([corpus], db)
    other_before = q(db, "SELECT * EXCLUDE (ingested_at) FROM articles WHERE id <> 'story0003' ORDER BY id")
    # story0003 had 3 events: now 1, of another type
    (corpus / "story0003.txt").write_text("Story 3 again\n\n@ev PROTEST a=FRA d=2020-03-02 p=Paris "
                                          "lat=48.85 lon=2.35 pc=FRA\n", encoding="utf-8")
    s = ingest([corpus], db)
    assert (s.new, s.unchanged, s.replaced) == (0, 7, 1)
    expected["story0003"] = 1
    check_consistent(db, expected)
    assert q(db, "SELECT type FROM events WHERE article_id = 'story0003'") == [("PROTEST",)]
    assert q(db, "SELECT * EXCLUDE (ingested_at) FROM articles WHERE id <> 'story0003' ORDER BY id") == other_before
    # a story whose new version has no events at all
    (corpus / "story0003.txt").write_text("Story 3, quiet\n\nNothing happened.\n", encoding="utf-8")
    ingest([corpus], db)
    expected["story0003"] = 0
    check_consistent(db, expected)


def test_coder_change_recodes_unchanged_text(tmp_path, monkeypatch):
    make_corpus(tmp_path / "c", 4)
    db = tmp_path / "ew.duckdb"
    ingest([tmp_path / "c"], db)
    monkeypatch.setattr(store, "coder_version", lambda: "another-coder")
    s = ingest([tmp_path / "c"], db)
    assert (s.new, s.unchanged, s.recoded) == (0, 0, 4)
    s = ingest([tmp_path / "c"], db)
    assert s.unchanged == 4
    check_consistent(db)


def test_same_id_twice_in_one_run(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.txt").write_text("X\n\n@ev PROTEST a=FRA d=2020-01-02\n", encoding="utf-8")
    (tmp_path / "b" / "x.txt").write_text("X2\n\n@ev AID a=USA d=2020-01-02\n@ev AID a=USA d=2020-01-03\n",
                                          encoding="utf-8")
    (tmp_path / "b" / "same.jsonl").write_text(
        json.dumps({"id": "x", "text": "X2\n\n@ev AID a=USA d=2020-01-02\n@ev AID a=USA d=2020-01-03\n"}) + "\n",
        encoding="utf-8")
    db = tmp_path / "ew.duckdb"
    s = ingest([tmp_path / "a", tmp_path / "b"], db)
    assert any("'x'" in w for w in s.warnings)
    assert q(db, "SELECT count(*) FROM articles")[0][0] == 1
    assert q(db, "SELECT count(*), min(type) FROM events")[0] == (2, "AID")     # the last one read wins
    check_consistent(db)


BAD_INPUTS = {
    "binary.txt": b"\x00\x01\x02\x03ELF",
    "latin1.txt": "Caf\u00e9 attacked\n\nA caf\u00e9 in Paris.".encode("latin-1"),
    "empty.txt": b"   \n",
}


def _bad_corpus(folder: Path) -> Path:
    folder.mkdir()
    for name, raw in BAD_INPUTS.items():
        (folder / name).write_bytes(raw)
    (folder / "good.txt").write_text("Good story\n\n@ev PROTEST a=FRA d=2020-01-02\n", encoding="utf-8")
    (folder / "huge.txt").write_text("Huge\n\n" + "word " * 200_001, encoding="utf-8")   # > 1,000,000 chars
    lines = [json.dumps({"id": "j1", "text": "Line one\n@ev AID a=USA d=2020-01-02"}),
             "{not json",
             json.dumps({"text": "no id"}),
             json.dumps({"id": "j4", "text": "x" * 1_000_001}),
             json.dumps({"id": "j5", "text": "Line five"})]
    (folder / "lines.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    good_gz = gzip.compress((json.dumps({"id": "g1", "text": "gz one"}) + "\n" +
                             json.dumps({"id": "g2", "text": os.urandom(100_000).hex()}) + "\n").encode())
    (folder / "truncated.jsonl.gz").write_bytes(good_gz[: len(good_gz) - 40])
    return folder


EXPECTED_PROBLEMS = [
    ("binary.txt", None, "binary"),
    ("latin1.txt", None, "not UTF-8"),
    ("empty.txt", None, "empty"),
    ("huge.txt", None, "longer than"),
    ("lines.jsonl", 2, "invalid JSON"),
    ("lines.jsonl", 3, "missing id"),
    ("lines.jsonl", 4, "longer than"),
    ("truncated.jsonl.gz", None, "unreadable"),
]


def _assert_problems(text: str, folder: Path):
    for name, line, words in EXPECTED_PROBLEMS:
        where = f"{folder / name}:{line}:" if line else f"{folder / name}"
        hits = [ln for ln in text.splitlines() if where in ln and words in ln]
        assert hits, f"no report for {name}:{line} ({words}) in:\n{text}"


def test_bad_inputs_reported_and_skipped(tmp_path):
    folder = _bad_corpus(tmp_path / "in")
    db = tmp_path / "ew.duckdb"
    s = ingest([folder, tmp_path / "missing.txt"], db)
    _assert_problems(s.stderr, folder)
    assert "missing.txt: no such file or folder" in s.stderr
    stored = {r[0] for r in q(db, "SELECT id FROM articles")}
    assert {"good", "j1", "j5", "g1"} <= stored
    assert not stored & {"binary", "latin1", "empty", "huge", "j4"}
    assert s.skipped >= len(EXPECTED_PROBLEMS)
    check_consistent(db)


def test_coder_failure_is_reported_not_fatal(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("A\n\n@crash\n", encoding="utf-8")
    (tmp_path / "c" / "b.txt").write_text("B\n\n@ev AID a=USA d=2020-01-02\n", encoding="utf-8")
    db = tmp_path / "ew.duckdb"
    s = ingest([tmp_path / "c"], db)
    assert "a.txt: internal error" in s.stderr
    assert q(db, "SELECT id FROM articles") == [("b",)]


def test_bad_record_values_do_not_break_the_story(tmp_path):
    """Typed columns get NULL for malformed values; the record is kept whole as JSON."""
    from eventwire.pipeline import CodedArticle

    def weird(articles, workers, batch_size):
        for a in articles:
            rec = {"id": "w", "article_id": a.id, "sentence": "zero", "type": "ASSAULT",
                   "trigger": {"text": "x", "start": 0, "end": 1},
                   "date": {"earliest": "2020-13-45", "latest": None, "granularity": "day"},
                   "location": {"name": "Nowhere", "lat": 123.0, "lon": "east", "geonameid": "12"},
                   "size": {"killed": -1.5, "injured": True, "arrested": 2}, "status": "asserted",
                   "actors": "not a list", "recipients": None, "attributed_to": None}
            yield CodedArticle(article=a, events=[rec, dict(rec), "not a dict"])

    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("A\n\nbody\n", encoding="utf-8")
    db = tmp_path / "ew.duckdb"
    ingest([tmp_path / "c"], db, coder=weird, default_date="2020-02-02")
    rows = q(db, "SELECT id, sentence, date_earliest, event_date::VARCHAR, location_lat, location_geonameid, "
                 "killed, arrested FROM events ORDER BY seq")
    assert rows == [("w", None, None, "2020-02-02", None, 12, None, 2)] * 2
    assert q(db, "SELECT count(DISTINCT event_key) FROM events")[0][0] == 2   # duplicate ids kept apart
    check_consistent(db)


# other developers may edit the coder while the test runs: pin its version
PINNED_ENV = dict(os.environ, EVENTWIRE_CODER_VERSION="kill-test")


def _kill_once(db, corpus, delay=0.02) -> subprocess.Popen:
    cmd = [sys.executable, str(FIXTURES / "store_fakecoder.py"), str(db), str(corpus),
           "--delay", str(delay), "--commit-stories", "5"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=PINNED_ENV)
    wal = Path(str(db) + ".wal")
    start_count = _articles_if_readable(db)
    deadline = time.monotonic() + 120
    # wait until commits are landing (the WAL grows), then kill in the middle
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 20_000:
            break
        time.sleep(0.05)
    time.sleep(0.3)
    assert proc.poll() is None, "ingest finished before it could be killed: raise --delay"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return start_count


def _articles_if_readable(db):
    if not Path(db).exists():
        return 0
    return q(db, "SELECT count(*) FROM articles")[0][0]


@pytest.mark.slow
def test_kill_9_mid_ingest_then_rerun(tmp_path):
    corpus = tmp_path / "corpus"
    expected = make_corpus(corpus, 200)
    db = tmp_path / "ew.duckdb"

    _kill_once(db, corpus)
    n1 = check_consistent(db, expected, clustered=False)          # whole stories only, each with all its events
    assert 0 < n1 < 200

    _kill_once(db, corpus)                         # a second crash, later in the corpus
    n2 = check_consistent(db, expected, clustered=False)
    assert n1 <= n2 < 200

    done = subprocess.run([sys.executable, str(FIXTURES / "store_fakecoder.py"), str(db), str(corpus)],
                          capture_output=True, text=True, timeout=300, env=PINNED_ENV)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert (summary["new"], summary["unchanged"]) == (200 - n2, n2), (n1, n2, summary)
    assert check_consistent(db, expected) == 200
    assert q(db, "SELECT count(*) FROM events")[0][0] == sum(expected.values())
    assert q(db, "SELECT count(*) FROM places")[0][0] == 200


def test_cli_ingest_reports_bad_inputs(tmp_path, run_cli):
    """Through the real CLI (and the real coder): bad inputs are named on stderr, exit 0."""
    folder = _bad_corpus(tmp_path / "in")
    for f in folder.glob("*"):          # keep the real coder's work tiny
        if f.name in ("good.txt", "lines.jsonl"):
            f.unlink()
    (folder / "dates.json").write_text("{broken", encoding="utf-8")
    (folder / "ok.txt").write_text("Quiet day\n\nNothing happened.\n", encoding="utf-8")
    db = tmp_path / "ew.duckdb"
    r = run_cli("ingest", "--db", db, "--workers", "1", folder, timeout=300)
    assert r.returncode == 0, r.stderr
    for name, line, words in EXPECTED_PROBLEMS:
        if name != "lines.jsonl":
            assert f"{folder / name}" in r.stderr and words in r.stderr, (name, r.stderr)
    assert "dates.json: cannot read publication dates" in r.stderr
    assert "new" in r.stdout and "skipped" in r.stdout
    r2 = run_cli("ingest", "--db", db, "--workers", "1", folder, timeout=300)
    assert r2.returncode == 0


def test_real_coder_two_workers(tmp_path, run_cli):
    """The real pipeline on 2 worker processes; the DB is only opened by the main process."""
    from conftest import sample_paths
    paths = sample_paths()[:3]
    if not paths:
        pytest.skip("no sample stories")
    db = tmp_path / "ew.duckdb"
    r = run_cli("ingest", "--db", db, "--workers", "2", "--date", "2020-01-01", *paths, timeout=600)
    assert r.returncode == 0, r.stderr
    if "internal error" in r.stderr:
        pytest.skip("the coder currently fails on the samples: " + r.stderr.splitlines()[0])
    assert q(db, "SELECT count(*) FROM articles")[0][0] == 3
    check_consistent(db)
    r2 = run_cli("ingest", "--db", db, "--workers", "2", "--date", "2020-01-01", *paths, timeout=600)
    assert "0 new, 3 unchanged" in r2.stdout


def test_the_coder_fingerprint_covers_every_stage_module():
    """A change to any stage (coreference, relevance, the time handlers, ...) re-codes stored
    stories; storage, export and interface modules do not take part."""
    from pathlib import Path

    import eventwire
    from eventwire.pipeline import STAGES

    names = {f.name for f in store._coder_sources(Path(eventwire.__file__).parent)}
    assert {"coref.py", "relevance.py", "time_handlers.py", "syntax.py", "datafiles.py"} <= names
    assert not names & {"cli.py", "store.py", "export.py", "dedup.py"}
    assert not any(n.startswith("server") for n in names)
    stage_modules = {component.__module__.rsplit(".", 1)[-1] + ".py" for _, component in STAGES}
    assert stage_modules <= names
