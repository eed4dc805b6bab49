"""What the command line shows on a terminal: ingest progress and summary, readable tables.

The library (store, pipeline) returns data and reports; everything drawn or printed for a
person lives here, used only by cli.py.
"""
from __future__ import annotations

import gzip
import os
import sys
from collections import Counter
from typing import Callable, Iterable, Sequence, TextIO

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from eventwire.article import JSONL_SUFFIXES, InputProblem, check_file, iter_input_files
from eventwire.store import IngestListener, IngestReport


def console_for(out: TextIO) -> Console:
    """A console on `out`: the terminal's width on a terminal, else $COLUMNS or 180."""
    width = None if out.isatty() else int(os.environ.get("COLUMNS", 0) or 180)
    return Console(file=out, width=width, highlight=False, soft_wrap=False)


# ---------------------------------------------------------------------------------------------
# ingest: a progress bar and problems printed as they happen, then a summary

def count_inputs(paths: Iterable[str]) -> int:
    """Roughly how many stories the inputs hold (files + JSONL lines), for the ETA. Only
    regular files are opened (a FIFO named here would otherwise block the count)."""
    n = 0
    for f in iter_input_files(paths):
        if isinstance(f, InputProblem):
            n += 1
            continue
        name = f.name.lower()
        if not name.endswith(JSONL_SUFFIXES) or check_file(f, None):
            n += 1
            continue
        n += _count_lines(f, gzip.open if name.endswith(".gz") else open)
    return n


def _count_lines(path, opener) -> int:
    n, last = 0, b"\n"
    try:
        with opener(path, "rb") as fh:
            while buf := fh.read(1 << 20):
                n += buf.count(b"\n")
                last = buf[-1:]
    except (OSError, EOFError):
        return n + 1
    return n + (last != b"\n")


class ProgressListener(IngestListener):
    """Draws the ingest's progress bar on stderr and prints problems above it at once."""

    def __init__(self, total: int | None, err: TextIO | None = None) -> None:
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        self.console = Console(file=err or sys.stderr, highlight=False, soft_wrap=True)
        self.progress = Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]} stories/s"), TextColumn("ETA"),
                                 TimeRemainingColumn(), TimeElapsedColumn(),
                                 TextColumn("{task.fields[info]}"),
                                 console=self.console, transient=False, refresh_per_second=4)
        self.task = self.progress.add_task("ingest", total=total or None, rate="-", info="")

    def __enter__(self) -> "ProgressListener":
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def _say(self, text: str) -> None:
        self.progress.console.print(f"eventwire: {text}", markup=False)

    def problem(self, problem: InputProblem) -> None:
        self._say(str(problem))

    def warning(self, message: str) -> None:
        self._say(message)

    def waiting(self, message: str) -> None:
        self._say(message)

    def advanced(self, stories: int = 1) -> None:
        self.progress.advance(self.task, stories)
        t = self.progress.tasks[0]
        if t.total is not None and t.completed > t.total:     # the pre-count is an estimate
            self.progress.update(self.task, total=t.completed)
        speed = t.speed
        self.progress.update(self.task, rate=f"{speed:.1f}" if speed else "-")

    def committed(self, stored: int) -> None:
        self.progress.update(self.task, info=f"{stored} stored")


def print_ingest_report(r: IngestReport, out: TextIO | None = None) -> None:
    """The summary after an ingest: counts, events by type, skipped inputs by reason."""
    con = Console(file=out or sys.stdout, highlight=False, soft_wrap=True)
    total = sum(r.events_by_type.values())
    head = (f"[bold]{escape(r.db_path)}[/]: {r.new} new, {r.unchanged} unchanged, {r.replaced} replaced"
            + (f", {r.recoded} re-coded (coder changed)" if r.recoded else "")
            + f" stories; {total} events stored; {r.skipped} inputs skipped; "
            f"{r.clusters} event clusters in the database ({r.seconds:.1f} s)"
            + (" [red]INTERRUPTED: re-run to finish[/]" if r.interrupted else ""))
    con.print(head)
    if r.events_by_type:
        t = Table(title="events stored by type", title_justify="left")
        t.add_column("type")
        t.add_column("events", justify="right")
        for typ, n in sorted(r.events_by_type.items(), key=lambda kv: (-kv[1], kv[0])):
            t.add_row(typ, str(n))
        con.print(t)
    if r.problems:
        reasons = Counter(_reason_kind(p.reason) for p in r.problems)
        con.print(f"skipped inputs ({r.skipped}): "
                  + ", ".join(f"{n} {k}" for k, n in reasons.most_common()), markup=False)
        for p in r.problems[:20]:
            con.print(f"  {p}", markup=False)
        if len(r.problems) > 20:
            con.print(f"  ... and {len(r.problems) - 20} more (all are on stderr)", markup=False)


def _reason_kind(reason: str) -> str:
    return reason.split("(")[0].split(",")[0].split(":")[0].strip()


# ---------------------------------------------------------------------------------------------
# tables for `code`, `places` and `times --format table`

EVENT_COLUMNS = ("#", "type/mode", "actor → recipient", "where", "when", "status", "evidence")
EVENT_STYLES = ("dim", "bold cyan", "", "green", "yellow", "magenta", "dim")
EVENT_FOOTER = ("evidence: “trigger words” @N = character offset of the trigger in the story, "
                "sN = its sentence (counted from 0), (headline) = told only in the article's title, "
                "then any casualty figures; "
                "actor [country/sector]; “when” shows the date words, or (pub. date) when none")
PLACE_COLUMNS = ("#", "mention", "@", "resolved to", "country", "geonameid", "lat, lon")
PLACE_FOOTER = ("@N = character offset of the mention in the story; unresolved mentions show —")
TIME_COLUMNS = ("#", "expression", "@", "from", "to", "granularity")
TIME_FOOTER = ("@N = character offset of the expression in the story; from/to are inclusive "
               "dates; — when the expression is not a calendar interval")

# a column never gets narrower than its longest word, up to this: longer "words" (URLs) fold
WORD_CAP = 24
# what rich's SIMPLE_HEAD box adds around n columns: padding of 1 each side of every cell, a
# separator between columns, an edge on each side
def _frame(n: int) -> int:
    return 3 * n + 1


def _dash(v) -> str:
    return "—" if v is None or v == "" else str(v)


def place_row(p: dict) -> list[str]:
    latlon = (f"{p['lat']:.3f}, {p['lon']:.3f}" if isinstance(p.get("lat"), (int, float))
              and isinstance(p.get("lon"), (int, float)) else "—")
    return [_dash(p.get("text")), _dash(p.get("start")), _dash(p.get("name")),
            _dash(p.get("country")), _dash(p.get("geonameid")), latlon]


def time_row(t: dict) -> list[str]:
    return [_dash(t.get("text")), _dash(t.get("start")), _dash(t.get("earliest")),
            _dash(t.get("latest")), _dash(t.get("granularity"))]


def fit_widths(cells: Sequence[Sequence[str]], headers: Sequence[str], total: int) -> list[int] | None:
    """Column widths that fit in `total` characters without breaking a word, or None.

    Each column starts at its natural width (its longest line) and may shrink to its longest
    word (capped at WORD_CAP); the widest columns give way first. None when even the narrowest
    layout does not fit: the caller then prints one block per row instead."""
    cols = list(zip(headers, *cells)) if cells else [(h,) for h in headers]
    natural = [max(len(line) for c in col for line in str(c).split("\n")) for col in cols]
    least = [min(n, max(len(w) for c in col for w in str(c).split()), WORD_CAP) if n else 0
             for n, col in zip(natural, cols)]
    room = total - _frame(len(cols))
    if sum(least) > room:
        return None
    widths = list(natural)
    while sum(widths) > room:
        # shrink the column with the most to give, one character at a time
        i = max(range(len(widths)), key=lambda k: (widths[k] - least[k], widths[k]))
        widths[i] -= 1
    return widths


def print_rows_table(title: str, headers: Sequence[str], rows: list[list[str]], console: Console,
                     styles: Sequence[str] = (), footer: str | None = None) -> None:
    """One table; words are never broken across lines (see fit_widths)."""
    cells = [[str(i), *row] for i, row in enumerate(rows, 1)]
    widths = fit_widths(cells, headers, console.width)
    if widths is None:
        _print_blocks(title, headers, cells, console, footer)
        return
    t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_lines=False,
              expand=False, caption=escape(footer) if footer else None, caption_justify="left")
    for k, (h, w) in enumerate(zip(headers, widths)):
        style = styles[k] if k < len(styles) and styles[k] else None
        t.add_column(h, style=style, width=w, overflow="fold")
    for row in cells:
        t.add_row(*(Text(c) for c in row))
    console.print(t)


def _print_blocks(title: str, headers: Sequence[str], cells: list[list[str]], console: Console,
                  footer: str | None) -> None:
    """Too narrow for columns: each row as a block of `header: value` lines."""
    console.print(title)
    label = max(len(h) for h in headers)
    for row in cells:
        for h, c in zip(headers, row):
            console.print(Text(f"  {h:<{label}}  {c}"))
        console.print("")
    if footer:
        console.print(Text(footer, style="dim"))


def print_grouped_tables(items: Iterable[dict], headers: Sequence[str], to_row: Callable[[dict], list[str]],
                         noun: str, footer: str, styles: Sequence[str] = (), file: TextIO | None = None) -> int:
    """A table per article (streams: an article at a time); returns the number of rows."""
    console = console_for(file or sys.stdout)
    n, current, rows = 0, None, []

    def flush() -> None:
        if rows:
            title = f"[bold]{escape(str(current))}[/]  {len(rows)} {noun}{'s' * (len(rows) != 1)}"
            print_rows_table(title, headers, rows, console, styles, footer)

    for item in items:
        if not isinstance(item, dict):
            continue
        if item.get("article_id") != current:
            flush()
            current, rows = item.get("article_id"), []
        rows.append(to_row(item))
        n += 1
    flush()
    if n == 0:
        console.print(f"no {noun}s", style="dim")
    return n


def print_events(records: Iterable[dict], file: TextIO | None = None) -> int:
    from eventwire.export import event_table_row
    return print_grouped_tables(records, EVENT_COLUMNS, event_table_row, "event", EVENT_FOOTER,
                                EVENT_STYLES, file)


def print_places(places: Iterable[dict], file: TextIO | None = None) -> int:
    return print_grouped_tables(places, PLACE_COLUMNS, place_row, "place mention", PLACE_FOOTER,
                                ("dim", "bold", "dim", "green", "", "dim", "dim"), file)


def print_times(times: Iterable[dict], file: TextIO | None = None) -> int:
    return print_grouped_tables(times, TIME_COLUMNS, time_row, "time expression", TIME_FOOTER,
                                ("dim", "bold", "dim", "yellow", "yellow", ""), file)
