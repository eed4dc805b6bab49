"""Command line: a thin layer over the library (see ../shared/eval/CONTRACT.md).

    eventwire code   [--date D] [--format jsonl|table] PATH...   event records
    eventwire places [--date D] PATH...                          toponym mentions
    eventwire times  [--date D] PATH...                          date expressions
    eventwire ingest PATH... [--db F]                            code into DuckDB
    eventwire export --format jsonl|parquet|csv|gdelt|plover     from DuckDB
    eventwire serve  [--db F] [--port P]                         web UI + JSON API
    eventwire spark  --input F --output DIR                      the coder on Apache Spark

Inputs that cannot be read are reported on stderr as `path:line: reason` and skipped.
"""
from __future__ import annotations

import json
import os
import sys
from datetime import date as _date
from typing import Iterable, Iterator

import click

from eventwire.article import Article, FolderDates, InputProblem, read_articles


def _check_date(ctx, param, value):
    if value is None:
        return None
    try:
        return _date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date of the form YYYY-MM-DD")


def _default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


date_option = click.option("--date", "pub_date", callback=_check_date, default=None,
                           help="Publication date YYYY-MM-DD for inputs that carry none.")
workers_option = click.option("--workers", "-w", type=click.IntRange(1, 64), default=None,
                              help="Worker processes (default: all cores, up to 8).")


def report(problem: InputProblem) -> None:
    click.echo(f"eventwire: {problem}", err=True)


def articles_reporting_problems(paths: Iterable[str], pub_date: str | None) -> Iterator[Article]:
    """Readable articles; a `dates.json` beside .txt/.html files dates them (as for ingest)."""
    dates = FolderDates()
    for item in read_articles(paths, pub_date):
        if isinstance(item, InputProblem):
            report(item)
        else:
            yield dates.apply(item)
        while dates.problems:
            report(dates.problems.pop(0))


def coded(paths, pub_date, workers):
    from eventwire.pipeline import code_parallel

    for result in code_parallel(articles_reporting_problems(paths, pub_date),
                                workers=workers or _default_workers()):
        if result.problem:
            report(result.problem)
        else:
            yield result


def _write_jsonl(rows: Iterable[dict]) -> None:
    out = sys.stdout
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    out.flush()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="eventwire")
def cli() -> None:
    """eventwire: political events from news text: who did what to whom, when, where, on whose word."""


@cli.command()
@date_option
@workers_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl",
              help="jsonl (default, one event per line) or a readable table.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
              help="Leave out records less likely than this to be a real political event "
                   "(default: data/relevance.yaml, chosen on the PLOVER gold set).")
@click.argument("paths", nargs=-1, required=True)
def code(pub_date, workers, fmt, min_confidence, paths):
    """Code stories (.txt, .jsonl, .html) into event records."""
    from eventwire.relevance import confident

    results = coded(paths, pub_date, workers)
    events = (ev for r in results for ev in confident(r.events, min_confidence))
    if fmt == "table":
        from eventwire.export import print_event_table
        print_event_table(events)
    else:
        _write_jsonl(events)


@cli.command()
@date_option
@workers_option
@click.argument("paths", nargs=-1, required=True)
def places(pub_date, workers, paths):
    """Every place mention, resolved to GeoNames."""
    _write_jsonl(p for r in coded(paths, pub_date, workers) for p in r.places)


@cli.command()
@date_option
@workers_option
@click.argument("paths", nargs=-1, required=True)
def times(pub_date, workers, paths):
    """Every date expression, normalised to a calendar interval."""
    _write_jsonl(t for r in coded(paths, pub_date, workers) for t in r.times)


DEFAULT_DB = "eventwire.duckdb"


@cli.command()
@date_option
@workers_option
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file to store into.")
@click.argument("paths", nargs=-1, required=True)
def ingest(pub_date, workers, db, paths):
    """Code files and folders (.txt .html .jsonl .jsonl.gz) into a DuckDB database.

    A dates.json ({"story.txt": "YYYY-MM-DD"}) in a folder dates its stories. Unchanged stories
    are skipped, changed ones replaced; an interrupted ingest is finished by running it again.
    """
    from eventwire.store import StoreError, ingest_paths

    try:
        summary = ingest_paths(paths, db_path=db, workers=workers or _default_workers(),
                               default_date=pub_date, progress=True)
    except StoreError as e:
        raise click.ClickException(str(e))
    if summary.interrupted:
        sys.exit(130)


def _many(help_text: str):
    return dict(multiple=True, metavar="V[,V...]", help=help_text + " (repeat or comma-separate).")


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file to read.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet", "csv", "gdelt", "plover"]),
              default="jsonl", show_default=True)
@click.option("--output", "-o", default="-", help="Output file ('-' = stdout; required for parquet).")
@click.option("--clusters", is_flag=True, help="One row per de-duplicated cluster instead of per event.")
@click.option("--header", is_flag=True, help="gdelt: write a header line (GDELT's own files have none).")
@click.option("--type", "types", **_many("Event type(s), e.g. ASSAULT"))
@click.option("--mode", "modes", **_many("Mode(s), e.g. aerial"))
@click.option("--status", "statuses", **_many("Status(es), e.g. claimed,denied"))
@click.option("--country", "countries", **_many("ISO3 country the event involves (any actor, recipient or its place)"))
@click.option("--place", "places", **_many("Place name or GeoNames id"))
@click.option("--actor", "actors", **_many("Text in an actor's name"))
@click.option("--recipient", "recipients", **_many("Text in a recipient's name"))
@click.option("--from", "date_from", metavar="YYYY-MM-DD", help="Event date on or after.")
@click.option("--to", "date_to", metavar="YYYY-MM-DD", help="Event date on or before.")
@click.option("--published-from", metavar="YYYY-MM-DD", help="Article published on or after.")
@click.option("--published-to", metavar="YYYY-MM-DD", help="Article published on or before.")
@click.option("--min-confidence", type=float, default=None, help="Only events with confidence >= this (0-1).")
def export(db, fmt, output, clusters, header, types, modes, statuses, countries, places, actors,
           recipients, date_from, date_to, published_from, published_to, min_confidence):
    """Export stored events (or clusters) as JSONL, Parquet, CSV, GDELT 2.0 columns or PLOVER JSON.

    The filter options keep the matching events (with --clusters: the clusters with a matching
    member event); they mean what the web API's filters of the same names mean.
    """
    from eventwire.export import ExportError, export_db, export_filter, known_modes
    from eventwire.store import StoreError

    try:
        where = None
        if any((types, modes, statuses, countries, places, actors, recipients, date_from, date_to,
                published_from, published_to, min_confidence is not None)):
            where = export_filter(types, modes, statuses, countries, places, actors, recipients,
                                  date_from, date_to, published_from, published_to, min_confidence,
                                  known_modes=known_modes(db) if modes else None)
        export_db(db, fmt=fmt, output=output, clusters=clusters, header=header, where=where)
    except (StoreError, ExportError) as e:
        raise click.ClickException(str(e))


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file to serve (read-only).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def serve(db, host, port):
    """Web UI and JSON API over a DuckDB database (read-only)."""
    from eventwire.server import serve as run_server

    run_server(db, host=host, port=port)


@cli.command()
@date_option
@click.option("--input", "input_path", required=True, help="articles.jsonl or a Parquet file/folder.")
@click.option("--output", required=True, help="Output folder for Parquet partitioned by month.")
@click.option("--master", default="local[2]", show_default=True, help="Spark master URL.")
@click.option("--partitions", type=int, default=None, help="Input partitions (default: Spark's).")
def spark(pub_date, input_path, output, master, partitions):
    """Run the coder on Apache Spark (pip install 'eventwire[spark]')."""
    from eventwire.spark import run_spark_job

    run_spark_job(input_path, output, master=master, partitions=partitions, default_date=pub_date)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
