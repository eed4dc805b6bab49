"""The Spark job (issue 10): same records as a local `eventwire code` run, bad lines skipped.

One local[2] session for the module; the whole file takes well under 90 s on a quiet machine.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from eventwire import spark as ew_spark
from eventwire.article import read_jsonl

CORPUS = Path(__file__).parent / "fixtures" / "spark_corpus.jsonl"
PUB_DATE = "2015-03-26"          # for the one story without a date
JAVA = os.environ.get("JAVA_HOME") or shutil.which("java")
needs_java = pytest.mark.skipif(not JAVA, reason="Java (17+) is not installed: Spark cannot start a JVM")


# --------------------------------------------------------------------------- no JVM needed

def test_lines_parse_exactly_like_read_jsonl():
    local = [x for x in read_jsonl(CORPUS, PUB_DATE)]
    ours = []
    for lineno, raw in enumerate(CORPUS.read_bytes().split(b"\n")[:-1], 1):
        item = ew_spark.parse_line(raw + b"\n", str(CORPUS), lineno, PUB_DATE)
        if item is not None:
            ours.append(item)
    assert ours == local
    assert sum(1 for x in local if not hasattr(x, "text")) == 2   # the two bad lines


def test_event_month_from_date_earliest():
    assert ew_spark.event_month({"date": {"earliest": "2015-11-24", "latest": "2015-11-24"}}) == "2015-11"
    assert ew_spark.event_month({"date": {"earliest": None}}) is None
    assert ew_spark.event_month({"date": None}) is None
    assert ew_spark.event_month({}) is None


def test_clear_error_without_pyspark(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)   # makes `import pyspark` raise ImportError
    with pytest.raises(ew_spark.SparkUnavailable, match=r"eventwire\[spark\]"):
        ew_spark.run_spark_job(str(CORPUS), "/nonexistent/out")


# --------------------------------------------------------------------------- on local[2]

@pytest.fixture(scope="module")
def local_run():
    """The reference: `eventwire code` as a user runs it (default workers)."""
    proc = subprocess.run([sys.executable, "-m", "eventwire", "code", "--date", PUB_DATE, str(CORPUS)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines(), _problem_lines(proc.stderr)


def _problem_lines(stderr: str) -> set[str]:
    return {line for line in stderr.splitlines() if line.startswith("eventwire: ") and ".jsonl:" in line}


@pytest.fixture(scope="module")
def session():
    if not JAVA:
        pytest.skip("Java (17+) is not installed: Spark cannot start a JVM")
    # a test-only JVM option: the C1 compiler alone starts the short-lived JVM faster
    old = os.environ.get("PYSPARK_SUBMIT_ARGS")
    os.environ["PYSPARK_SUBMIT_ARGS"] = "--driver-java-options -XX:TieredStopAtLevel=1 pyspark-shell"
    spark = ew_spark.make_session("local[2]")
    yield spark
    spark.stop()
    if old is None:
        os.environ.pop("PYSPARK_SUBMIT_ARGS", None)
    else:
        os.environ["PYSPARK_SUBMIT_ARGS"] = old


@pytest.fixture(scope="module")
def spark_run(session, tmp_path_factory):
    out = tmp_path_factory.mktemp("spark") / "events"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        result = ew_spark.run_spark_job(str(CORPUS), str(out), default_date=PUB_DATE, spark=session)
    if list(out.rglob("*.parquet")):
        rows = [r.asDict() for r in session.read.parquet(str(out)).collect()]
    else:   # no events at all: Spark writes only _SUCCESS
        rows = []
    return result, rows, err.getvalue(), out


@needs_java
@pytest.mark.slow
def test_spark_records_identical_to_local_run(local_run, spark_run):
    local_lines, _ = local_run
    result, rows, _, out = spark_run
    assert (out / "_SUCCESS").exists()
    assert result["articles"] == 8
    assert result["events"] == len(local_lines) == len(rows)
    rows.sort(key=lambda r: (r["input_line"], r["event_index"]))
    # record by record, in the local run's order, byte for byte
    assert [r["record_json"] for r in rows] == local_lines
    for r in rows:
        rec = json.loads(r["record_json"])
        assert r["id"] == rec["id"] and r["article_id"] == rec["article_id"]
        assert r["type"] == rec["type"] and r["sentence"] == rec["sentence"]
        assert json.loads(r["actors"]) == rec["actors"] and json.loads(r["date"]) == rec["date"]
        assert r["event_month"] == ew_spark.event_month(rec)   # read back from the partition folder
        assert r["input_path"] == str(CORPUS)


@needs_java
@pytest.mark.slow
def test_spark_reports_and_skips_bad_lines_like_local(local_run, spark_run):
    _, local_problems = local_run
    result, _, stderr, _ = spark_run
    assert result["input_problems"] == 2
    assert f"eventwire: {CORPUS}:3: invalid JSON" in stderr
    assert f"eventwire: {CORPUS}:6: missing text, skipped" in stderr
    # every problem (bad lines and any article a stage fails on) reported exactly as locally
    assert _problem_lines(stderr) == local_problems


@needs_java
@pytest.mark.slow
def test_spark_refuses_to_overwrite_output(session, spark_run):
    out = spark_run[3]
    with pytest.raises(ew_spark.SparkJobError, match="already exists"):
        with contextlib.redirect_stderr(io.StringIO()):
            ew_spark.run_spark_job(str(CORPUS), str(out), default_date=PUB_DATE, spark=session)
