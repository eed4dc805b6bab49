"""The coder on Apache Spark: articles (JSONL or Parquet) → event records as Parquet by month.

    eventwire spark --input articles.jsonl --output events/ [--master local[4]] [--partitions N]

    # on a cluster, either client mode from any machine with the package installed:
    eventwire spark --master spark://head:7077 --input hdfs:///news/2024/ --output hdfs:///events/
    # or through spark-submit (YARN, Kubernetes, cluster mode): this file is the application
    spark-submit --master yarn ... "$(python -c 'import eventwire.spark as s; print(s.__file__)')" \
        --input hdfs:///news/ --output hdfs:///events/

pyspark is an optional extra (`pip install 'eventwire[spark]'`) and is imported only here, only
when a job runs. Every executor needs eventwire and its spaCy model installed (see the README).

How the output matches a local `eventwire code` run exactly:
* lines are read as raw bytes split on "\\n" only, and parsed with the same rules and messages
  as `article.read_jsonl` (bad lines are reported on the driver's stderr as `path:line: reason`
  and skipped);
* valid articles are numbered in input order and coded in the very batches `code_parallel`
  forms (consecutive runs of its default batch size), so even batch-dependent numerics agree;
* each record is stored verbatim as `record_json` (= the CLI's output line), beside typed
  columns for querying: scalars as columns, nested fields as JSON strings.
The model is loaded once per Python worker process (module-level cache; Spark reuses workers).
Output: Parquet partitioned by `event_month` = 'YYYY-MM' of `date.earliest`
(null → Spark's `__HIVE_DEFAULT_PARTITION__`).
"""
from __future__ import annotations

import inspect
import itertools
import json
import os
import re
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

import click

from eventwire.article import (JSONL_SUFFIXES, Article, InputProblem, article_from_json,
                               iter_input_files, parse_json_line)

PARQUET_SUFFIX = ".parquet"
MAX_REPORTED_PER_PARTITION = 1000   # input problems listed per partition; the rest are counted

# Column order of the output; nested record fields are stored as JSON text.
SCALAR_FIELDS = ("id", "article_id", "type", "mode", "cameo", "status")
NESTED_FIELDS = ("trigger", "actors", "recipients", "location", "date", "size", "attributed_to")
_MONTH_RE = re.compile(r"^\d{4}-\d{2}")


class SparkUnavailable(click.ClickException):
    """pyspark or Java is missing: a clear message instead of a traceback."""


class SparkJobError(click.ClickException):
    pass


def _require_pyspark():
    try:
        import pyspark  # noqa: F401
        from pyspark.sql import SparkSession  # noqa: F401
    except ImportError as e:
        raise SparkUnavailable(
            "pyspark is not installed; install the extra: pip install 'eventwire[spark]' "
            "(it also needs Java 17 or newer)") from e
    import pyspark
    return pyspark


def _batch_size() -> int:
    """The batch size `eventwire code` codes with (code_parallel's default), so batches agree."""
    from eventwire.pipeline import code_parallel

    return inspect.signature(code_parallel).parameters["batch_size"].default


# --------------------------------------------------------------------------- executor side

_CODER = None


def _worker_coder():
    """One Coder (model + stages) per Python worker process, loaded on first use."""
    global _CODER
    if _CODER is None:
        from eventwire.pipeline import Coder

        _CODER = Coder()
    return _CODER


def parse_line(raw: bytes, path: str, lineno: int, default_date: str | None
               ) -> Article | InputProblem | None:
    """One JSONL line (with its "\n") → Article, InputProblem, or None for a blank line,
    by the same rules and with the same messages as `article.read_jsonl`."""
    if not raw.strip():
        return None
    try:
        obj = parse_json_line(raw)          # bounded depth and numbers, as read_jsonl
    except UnicodeDecodeError:
        return InputProblem(path, lineno, "not UTF-8, skipped")
    except ValueError as e:
        return InputProblem(path, lineno, f"{e}, skipped")
    return article_from_json(obj, path, lineno, default_date)


def parse_row(row: dict, path: str, rowno: int, default_date: str | None) -> Article | InputProblem:
    """One Parquet row (id, text, title?, date?, url?, source?) → Article; nulls count as absent."""
    return article_from_json({k: v for k, v in row.items() if v is not None}, path, rowno, default_date)


def event_month(record: dict) -> str | None:
    earliest = (record.get("date") or {}).get("earliest")
    if isinstance(earliest, str) and _MONTH_RE.match(earliest):
        return earliest[:7]
    return None


def _event_date(record: dict):
    earliest = (record.get("date") or {}).get("earliest")
    try:
        return date.fromisoformat(earliest[:10]) if isinstance(earliest, str) else None
    except ValueError:
        return None


def record_row(article: Article, index: int, record: dict) -> tuple:
    """A record as an output row (see `output_schema` for the columns)."""
    sentence = record.get("sentence")
    dump = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
    return (
        event_month(record),
        *(None if record.get(k) is None else str(record.get(k)) for k in SCALAR_FIELDS),
        sentence if isinstance(sentence, int) and not isinstance(sentence, bool) else None,
        _event_date(record),
        *(dump(record.get(k)) for k in NESTED_FIELDS),
        article.date, article.path, article.line, index,
        dump(record),   # exactly the line `eventwire code` prints
    )


def output_schema():
    from pyspark.sql.types import DateType, IntegerType, StringType, StructField, StructType

    return StructType(
        [StructField("event_month", StringType())]
        + [StructField(k, StringType()) for k in SCALAR_FIELDS]
        + [StructField("sentence", IntegerType()), StructField("event_date", DateType())]
        + [StructField(k, StringType()) for k in NESTED_FIELDS]
        + [StructField("article_date", StringType()), StructField("input_path", StringType()),
           StructField("input_line", IntegerType()), StructField("event_index", IntegerType()),
           StructField("record_json", StringType())])


def _code_partition(items: Iterable, counters) -> Iterator[tuple]:
    """Code one partition: items are ((batch, seq), Article) sorted by key; batches coded whole."""
    articles_acc, events_acc, problems_acc = counters
    coder = None
    for _, group in itertools.groupby(items, key=lambda kv: kv[0][0]):
        batch = [a for _, a in group]
        coder = coder or _worker_coder()
        for result in coder.code_many(batch, batch_size=len(batch)):
            articles_acc.add(1)
            if result.problem:   # reported by the driver after the job
                p = result.problem
                problems_acc.add([(p.path, p.line or 0, str(p))])
                continue
            events_acc.add(len(result.events))
            for i, record in enumerate(result.events):
                yield record_row(result.article, i, record)


def _summarise_partition(index: int, items: Iterable) -> Iterator[tuple]:
    valid, problems, extra = 0, [], 0
    for item in items:
        if isinstance(item, Article):
            valid += 1
        elif isinstance(item, InputProblem):
            if len(problems) < MAX_REPORTED_PER_PARTITION:
                problems.append(str(item))
            else:
                extra += 1
    yield index, valid, problems, extra


def _number_valid(index: int, items: Iterable, offsets: list[int], batch: int) -> Iterator[tuple]:
    seq = offsets[index]
    for item in items:
        if isinstance(item, Article):
            yield (seq // batch, seq), item
            seq += 1


class _ListParam:
    """Accumulator of lists (coding problems travel back to the driver); duck-types
    pyspark's AccumulatorParam so this module imports without pyspark."""

    def zero(self, value):
        return []

    def addInPlace(self, a, b):
        a.extend(b)
        return a


# --------------------------------------------------------------------------- driver side

def _is_remote(path: str) -> bool:
    return "://" in path and not path.startswith("file:")


def input_files(input_path: str) -> list[tuple[str, str, str]]:
    """(kind, path to read, path to report) for the input: 'jsonl' per file, or one 'parquet'."""
    if _is_remote(input_path):   # let Spark resolve remote paths, globs and folders
        kind = "parquet" if input_path.rstrip("/").lower().endswith(PARQUET_SUFFIX) else "jsonl"
        return [(kind, input_path, input_path)]
    local = Path(input_path.removeprefix("file:"))
    if not local.exists():
        raise SparkJobError(f"{input_path}: no such file or folder")
    if local.is_dir():
        if any(local.rglob(f"*{PARQUET_SUFFIX}")):
            return [("parquet", str(local.resolve()), str(local))]
        files = [f for f in iter_input_files([local])
                 if isinstance(f, Path) and f.name.lower().endswith(JSONL_SUFFIXES)]
        if not files:
            raise SparkJobError(f"{input_path}: no .jsonl, .jsonl.gz, .ndjson or .parquet files in it")
        return [("jsonl", str(f.resolve()), str(f)) for f in files]
    kind = "parquet" if local.name.lower().endswith(PARQUET_SUFFIX) else "jsonl"
    return [(kind, str(local.resolve()), str(local))]


def _read_input(spark, files: list[tuple[str, str, str]], default_date: str | None):
    """RDD of Article | InputProblem | None in input order (files in order, lines in order)."""
    from pyspark.sql import functions as F

    rdds = []
    for kind, read_path, shown in files:
        if kind == "parquet":
            rows = spark.read.parquet(read_path).rdd.zipWithIndex()
            rdds.append(rows.map(lambda t, p=shown: parse_row(t[0].asDict(), p, t[1] + 1, default_date)))
        else:
            # split on "\n" only and keep the raw bytes (UTF-8 is checked per line, as locally)
            lines = (spark.read.option("lineSep", "\n").text(read_path)
                     .select(F.col("value").cast("binary").alias("raw")).rdd.zipWithIndex())
            # (the "\n" goes back on so JSON error messages read as `read_jsonl`'s do)
            rdds.append(lines.map(lambda t, p=shown: parse_line(bytes(t[0][0]) + b"\n", p, t[1] + 1,
                                                                default_date)))
    return rdds[0] if len(rdds) == 1 else spark.sparkContext.union(rdds)


def make_session(master: str | None = "local[2]", partitions: int | None = None, app_name: str = "eventwire"):
    _require_pyspark()
    from pyspark.sql import SparkSession

    if not os.environ.get("JAVA_HOME") and not shutil.which("java"):
        raise SparkUnavailable("Java was not found (set JAVA_HOME or put java on PATH); Spark needs Java 17+")
    local = master is None or master.startswith("local")
    if local and master is not None:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        # workers must run this interpreter (the one with eventwire and the model installed)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (SparkSession.builder.appName(app_name)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", str(max(2, partitions or 4)))
               .config("spark.python.worker.reuse", "true"))
    if master is not None:
        builder = builder.master(master)
    if local and master is not None:
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("WARN")
    return session


def run_spark_job(input_path: str, output: str, master: str | None = "local[2]", partitions: int | None = None,
                  default_date: str | None = None, mode: str = "errorifexists", spark=None) -> dict:
    """Code `input_path` (JSONL file/folder or Parquet) into Parquet under `output`, by event month.

    `master=None` takes the master from spark-submit. Pass `spark` to use an existing session
    (it is then left running). Returns counts: articles, events, input_problems, coding_problems.
    """
    _require_pyspark()
    from pyspark.errors import AnalysisException

    files = input_files(input_path)   # a missing input fails before a JVM starts
    own = False
    if spark is None:
        from pyspark.sql import SparkSession

        spark = SparkSession.getActiveSession()
        if spark is None:
            spark, own = make_session(master, partitions), True
    sc = spark.sparkContext
    try:
        batch = _batch_size()
        parsed = _read_input(spark, files, default_date)

        # pass 1 (cheap, no NLP): count valid articles per partition, list the bad lines
        summary = sorted(parsed.mapPartitionsWithIndex(_summarise_partition).collect())
        input_problems = 0
        for _, _, problems, extra in summary:
            for p in problems:
                click.echo(f"eventwire: {p}", err=True)
            if extra:
                click.echo(f"eventwire: ... and {extra} more input problems in this part of the input", err=True)
            input_problems += len(problems) + extra
        offsets, total = [], 0
        for _, valid, _, _ in summary:
            offsets.append(total)
            total += valid

        # pass 2: code in code_parallel's batches; batches spread over the partitions
        n_parts = partitions or max(2, sc.defaultParallelism * 2)
        n_parts = max(1, min(n_parts, -(-total // batch) if total else 1))
        keyed = parsed.mapPartitionsWithIndex(
            lambda i, it, o=offsets, b=batch: _number_valid(i, it, o, b))
        ordered = keyed.repartitionAndSortWithinPartitions(
            n_parts, partitionFunc=lambda key, n=n_parts: key[0] % n)
        counters = (sc.accumulator(0), sc.accumulator(0), sc.accumulator([], _ListParam()))
        rows = ordered.mapPartitions(lambda it, c=counters: _code_partition(it, c))
        df = spark.createDataFrame(rows, output_schema(), verifySchema=False)
        try:
            df.write.mode(mode).partitionBy("event_month").parquet(output)
        except AnalysisException as e:
            if "already exists" in str(e).lower() or "PATH_ALREADY_EXISTS" in str(e):
                raise SparkJobError(f"{output} already exists; remove it or choose another --output") from None
            raise
        coding_problems = sorted(set(counters[2].value))   # a retried task may report twice
        for _, _, p in coding_problems:
            click.echo(f"eventwire: {p}", err=True)
        result = {"articles": total, "events": counters[1].value, "input_problems": input_problems,
                  "coding_problems": len(coding_problems), "partitions": n_parts, "output": output}
        click.echo(f"eventwire spark: {total} articles → {result['events']} events in {output} "
                   f"({input_problems} input lines skipped, {len(coding_problems)} articles failed)", err=True)
        return result
    finally:
        if own:
            spark.stop()


def main(argv: list[str] | None = None) -> None:
    """Entry point for spark-submit (master and resources come from spark-submit)."""
    import argparse

    ap = argparse.ArgumentParser(prog="eventwire.spark", description="eventwire on Spark (spark-submit entry)")
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--master", default=None, help="default: from spark-submit")
    ap.add_argument("--partitions", type=int, default=None)
    ap.add_argument("--date", default=None, help="publication date YYYY-MM-DD for articles without one")
    ap.add_argument("--mode", default="errorifexists", choices=["errorifexists", "overwrite", "append"])
    a = ap.parse_args(argv)
    try:
        run_spark_job(a.input, a.output, master=a.master, partitions=a.partitions,
                      default_date=a.date and date.fromisoformat(a.date).isoformat(), mode=a.mode)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)


if __name__ == "__main__":
    main()
