"""Command line: a thin layer over the library (see ../shared/eval/CONTRACT.md).

    eventwire code   [--date D] [--format jsonl|table] PATH...   event records
    eventwire places [--date D] [--format jsonl|table] PATH...   toponym mentions
    eventwire times  [--date D] [--format jsonl|table] PATH...   date expressions
    eventwire ingest PATH... [--db F] [--wait S]                 code into DuckDB
    eventwire export --format jsonl|parquet|csv|gdelt|plover     from DuckDB
    eventwire serve  [--db F] [--port P]                         web UI + JSON API
    eventwire spark  --input F --output DIR                      the coder on Apache Spark

Inputs that cannot be read are reported on stderr as `path:line: reason` and skipped; a story
that takes longer or more memory than allowed (--story-seconds, --story-memory) likewise. A
path that does not exist makes the exit status 1 (after the other inputs are done).
"""
from __future__ import annotations

import json
import os
import sys
from datetime import date as _date
from typing import Iterable, Iterator

import click

from eventwire.article import Article, InputProblem, read_checked


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


story_limits_options = [
    click.option("--story-seconds", type=click.FloatRange(min=1), default=None,
                 help="CPU seconds one story may take; a story over it is named and skipped "
                      "(default 30)."),
    click.option("--story-memory", type=click.IntRange(min=256), default=None, metavar="MB",
                 help="Memory a worker may use for a story, in MB (default 1280)."),
]


def limits_options(f):
    for option in reversed(story_limits_options):
        f = option(f)
    return f


def _limits(seconds: float | None, memory_mb: int | None):
    from eventwire.pipeline import DEFAULT_LIMITS, StoryLimits
    return StoryLimits(seconds=seconds or DEFAULT_LIMITS.seconds,
                       memory_mb=memory_mb or DEFAULT_LIMITS.memory_mb,
                       solo_chars=DEFAULT_LIMITS.solo_chars)


def report(problem: InputProblem) -> None:
    click.echo(f"eventwire: {problem}", err=True)


def missing_paths(paths: Iterable[str]) -> list[str]:
    """Paths named on the command line that are not there (a broken link counts as missing)."""
    return [p for p in paths if not os.path.exists(p)]


def exit_if_missing(paths: Iterable[str]) -> None:
    """After the readable inputs are done: a missing input is an error (exit status 1), as
    with `cat`; it has been named on stderr already."""
    if missing_paths(paths):
        sys.exit(1)


def articles_reporting_problems(paths: Iterable[str], pub_date: str | None) -> Iterator[Article]:
    """Readable articles (a `dates.json` beside .txt/.html files dates them, as for ingest);
    problems and warnings go to stderr as `path[:line]: reason`."""
    for item in read_checked(paths, pub_date):
        if isinstance(item, InputProblem):
            report(item)
        else:
            yield item


prepass_option = click.option(
    "--prepass/--no-prepass", "prepass", default=None,
    help="Skip the parse of stories in which no word can be an event trigger (default on; "
         "also EVENTWIRE_PREPASS=0). Their records are the same either way.")


def _set_prepass(setting: bool | None) -> None:
    """The pre-pass setting for this process and the workers it forks (read by the Coder)."""
    if setting is not None:
        os.environ["EVENTWIRE_PREPASS"] = "1" if setting else "0"


def coded(paths, pub_date, workers, output="events", limits=None, mentions=True):
    from eventwire.pipeline import DEFAULT_LIMITS, code_parallel

    for result in code_parallel(articles_reporting_problems(paths, pub_date),
                                workers=workers or _default_workers(), output=output,
                                limits=limits or DEFAULT_LIMITS, mentions=mentions):
        if result.problem:
            report(result.problem)
        else:
            yield result


def _write_jsonl(rows: Iterable[dict]) -> None:
    out = sys.stdout
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    out.flush()


format_option = click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl",
                             help="jsonl (default, one object per line) or readable tables.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="eventwire")
def cli() -> None:
    """eventwire: political events from news text: who did what to whom, when, where, on whose word."""


min_confidence_option = click.option(
    "--min-confidence", type=click.FloatRange(0, 1), default=None,
    help="Leave out records less likely than this to be a real political event "
         "(default: data/relevance.yaml, chosen on the PLOVER gold set).")


@cli.command()
@date_option
@workers_option
@format_option
@limits_options
@min_confidence_option
@prepass_option
@click.argument("paths", nargs=-1, required=True)
def code(pub_date, workers, fmt, story_seconds, story_memory, min_confidence, prepass, paths):
    """Code stories (.txt, .jsonl, .html) into event records."""
    from eventwire.relevance import confident

    _set_prepass(prepass)
    results = coded(paths, pub_date, workers, limits=_limits(story_seconds, story_memory), mentions=False)
    records = (ev for r in results for ev in confident(r.events, min_confidence))
    if fmt == "table":
        from eventwire.terminal import print_events
        print_events(records)
    else:
        _write_jsonl(records)
    _output_written()
    exit_if_missing(paths)


def _mentions_command(output: str, printer: str, doc: str):
    """`eventwire places` / `eventwire times`: every mention of one kind, as JSON Lines or a table.
    Only the stages that kind needs run."""
    @date_option
    @workers_option
    @format_option
    @limits_options
    @click.argument("paths", nargs=-1, required=True)
    def command(pub_date, workers, fmt, story_seconds, story_memory, paths):
        results = coded(paths, pub_date, workers, output=output, limits=_limits(story_seconds, story_memory))
        mentions = (m for r in results for m in getattr(r, output))
        if fmt == "table":
            from eventwire import terminal
            getattr(terminal, printer)(mentions)
        else:
            _write_jsonl(mentions)
        _output_written()
        exit_if_missing(paths)
    command.__doc__ = doc
    return cli.command(name=output)(command)


places = _mentions_command("places", "print_places", "Every place mention, resolved to GeoNames.")
times = _mentions_command("times", "print_times", "Every date expression, normalised to a calendar interval.")


DEFAULT_DB = "eventwire.duckdb"


@cli.command()
@date_option
@workers_option
@limits_options
@click.option("--db", default=DEFAULT_DB, show_default=True, help="DuckDB file to store into.")
@click.option("--wait", "lock_wait", type=click.FloatRange(min=0), default=60, show_default=True,
              metavar="SECONDS", help="How long to wait while another process holds the database.")
@min_confidence_option
@prepass_option
@click.argument("paths", nargs=-1, required=True)
def ingest(pub_date, workers, story_seconds, story_memory, db, lock_wait, min_confidence, prepass, paths):
    """Code files and folders (.txt .html .jsonl .jsonl.gz) into a DuckDB database.

    A dates.json ({"story.txt": "YYYY-MM-DD"}) in a folder dates its stories. Unchanged stories
    are skipped, changed ones replaced; an interrupted ingest is finished by running it again.
    """
    from eventwire.pipeline import code_parallel
    from eventwire.store import StoreError, ingest_paths
    from eventwire.terminal import ProgressListener, count_inputs, print_ingest_report

    missing = missing_paths(paths)
    if len(missing) == len(paths):
        for p in missing:
            report(InputProblem(p, None, "no such file or folder"))
        raise click.ClickException(f"nothing to ingest; {db} left as it was")
    limits = _limits(story_seconds, story_memory)
    _set_prepass(prepass)

    def coder(articles, n_workers, batch_size):
        from eventwire.relevance import confident

        for result in code_parallel(articles, workers=n_workers, batch_size=batch_size, limits=limits):
            result.events = confident(result.events, min_confidence)
            yield result

    try:
        with ProgressListener(count_inputs(paths)) as listener:
            result = ingest_paths(paths, db_path=db, workers=workers or _default_workers(),
                                  default_date=pub_date, coder=coder, listener=listener,
                                  lock_timeout=lock_wait)
    except StoreError as e:
        raise click.ClickException(str(e))
    print_ingest_report(result)
    if result.interrupted:
        sys.exit(130)
    exit_if_missing(paths)


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


# Set by the commands that only read files and write stdout/stderr (`code`, `places`, `times`)
# once their output is written: nothing is left to do then but flush those two streams.
_only_streams_left = False


def _output_written() -> None:
    global _only_streams_left
    _only_streams_left = True


def main() -> None:
    try:
        cli()
    except SystemExit as done:
        if _only_streams_left and isinstance(done.code, (int, type(None))):
            _exit_without_teardown(done.code or 0)
        raise


def _exit_without_teardown(status: int) -> None:
    """End the process once stdout and stderr are flushed, skipping the interpreter's
    teardown: freeing the loaded model and every stage's tables object by object took about
    0.2 s of CPU, a sixth of a one-story run, with nothing left to save (the workers are
    stopped by then). A stream that cannot be flushed (a closed pipe) takes the ordinary exit."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(status)


if __name__ == "__main__":
    main()
