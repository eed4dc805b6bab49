"""The command line as a user meets it: exit statuses, messages, limits, tables.

Each test runs the real `eventwire` command in a subprocess (the real model and coder).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import sample_dates, sample_paths

LINE = "Police arrested three dock workers in Mombasa on Friday, their union said.\n"


def long_story(path: Path, chars: int) -> Path:
    """A plausible but endless story: the sample bodies over and over."""
    bodies = [p.read_text(encoding="utf-8").split("\n", 1)[1] for p in sample_paths()]
    text, k = "A very long dispatch\n", 0
    while len(text) < chars:
        text += bodies[k % len(bodies)]
        k += 1
    path.write_text(text[:chars], encoding="utf-8")
    return path


def test_reproductions_are_named_and_the_rest_is_coded(tmp_path, run_cli):
    f = tmp_path / "d.jsonl"
    f.write_text("\n".join([
        '{"id": "d", "text": "x", "m": ' + "[" * 2000 + "]" * 2000 + "}",
        '{"id": "n", "text": "x", "m": ' + "4" * 5000 + "}",
        '{"id": null, "text": "' + LINE.strip() + '"}',
        '{"id": 1, "text": "' + LINE.strip() + '"}',
        '{"id": "", "text": "' + LINE.strip() + '"}',
        json.dumps({"id": "ok", "text": LINE, "date": "2020-05-08"}),
        json.dumps({"id": "ok", "text": LINE, "date": "2020-05-08"}),
        json.dumps({"id": "nodate", "text": LINE}),
    ]) + "\n", encoding="utf-8")
    r = run_cli("code", "--workers", "1", f, tmp_path / "nonexistent.txt", "/dev/zero", timeout=600)
    assert "Traceback" not in r.stderr
    assert r.returncode == 1, r.stderr               # a missing input is an error, after the rest
    expect = {1: "nested deeper", 2: "integer of more than", 3: "'id' is null", 4: "'id' is a number",
              5: "empty 'id'", 7: "article id 'ok' already read", 8: "no publication date"}
    for line, words in expect.items():
        assert any(ln.startswith(f"eventwire: {f}:{line}: ") and words in ln for ln in r.stderr.splitlines()), \
            (line, r.stderr)
    assert f"{tmp_path / 'nonexistent.txt'}: no such file" in r.stderr
    assert "/dev/zero: a character device" in r.stderr
    coded = {json.loads(ln)["article_id"] for ln in r.stdout.splitlines()}
    assert coded == {"ok", "nodate"}


def test_missing_inputs_exit_non_zero_and_ingest_creates_no_database(tmp_path, run_cli):
    r = run_cli("code", tmp_path / "nonexistent.txt", timeout=300)
    assert r.returncode == 1 and "no such file or folder" in r.stderr and r.stdout == ""
    db = tmp_path / "x.duckdb"
    r = run_cli("ingest", "--db", db, tmp_path / "nonexistent", timeout=300)
    assert r.returncode != 0 and "nothing to ingest" in r.stderr
    assert not db.exists()


def test_a_story_over_the_time_limit_is_named_and_skipped(tmp_path, run_cli):
    # a long story is coded in jobs of 100,000 characters (pipeline.pieces), each within the
    # limits: one such job takes several seconds
    big = long_story(tmp_path / "endless.txt", 300_000)
    small = tmp_path / "dock.txt"
    small.write_text("Dock strike\n" + LINE, encoding="utf-8")
    r = run_cli("code", "--workers", "1", "--date", "2020-05-08", "--story-seconds", "1", big, small, timeout=600)
    assert r.returncode == 0, r.stderr
    assert re.search(rf"{re.escape(str(big))}: article 'endless' \(300,000 characters\) took longer than 1 s",
                     r.stderr), r.stderr
    assert {json.loads(ln)["article_id"] for ln in r.stdout.splitlines()} == {"dock"}


def test_a_story_over_the_memory_limit_is_named_and_skipped(tmp_path, run_cli):
    big = long_story(tmp_path / "endless.txt", 300_000)
    small = tmp_path / "dock.txt"
    small.write_text("Dock strike\n" + LINE, encoding="utf-8")
    # one job of a long story's pieces (100,000 characters) needs ~340 MB on a fresh worker, a
    # short story ~300 MB (measured on the shared machine; the pieces needed ~450 MB before the
    # stages stopped making a Token object per token)
    r = run_cli("code", "--workers", "1", "--date", "2020-05-08", "--story-seconds", "600",
                "--story-memory", "320", small, big, timeout=900)
    assert r.returncode == 0, r.stderr
    assert "article 'endless' (300,000 characters) needed more than 320 MB of memory" in r.stderr, r.stderr
    assert {json.loads(ln)["article_id"] for ln in r.stdout.splitlines()} == {"dock"}


# ---------------------------------------------------------------- tables

def _cells_intact(output: str, cells: list[str]) -> list[str]:
    """Words of `cells` that do not appear whole in `output` (a word broken across lines)."""
    flat = " ".join(output.split())
    return [w for c in cells for w in c.split() if w not in flat]


@pytest.mark.parametrize("columns", [100, 120])
def test_places_and_times_tables_keep_words_whole(tmp_path, run_cli, columns, monkeypatch):
    from eventwire.terminal import place_row, time_row
    paths = sample_paths()[:2]
    dates = sample_dates()
    env_date = dates[paths[0].name]
    for command, to_row, footer in (("places", place_row, "character offset"), ("times", time_row, "inclusive")):
        rows = run_cli(command, "--workers", "1", "--date", env_date, *paths, timeout=600)
        monkeypatch.setenv("COLUMNS", str(columns))
        table = run_cli(command, "--workers", "1", "--date", env_date, "--format", "table", *paths,
                        timeout=600)
        assert table.returncode == 0, table.stderr
        mentions = [json.loads(ln) for ln in rows.stdout.splitlines()]
        assert mentions, command
        lines = table.stdout.splitlines()
        assert max(len(ln) for ln in lines) <= columns
        assert not _cells_intact(table.stdout, [c for m in mentions for c in to_row(m)])
        assert footer in table.stdout
        for aid in {m["article_id"] for m in mentions}:
            assert aid in table.stdout


@pytest.mark.parametrize("columns", [100, 120])
def test_event_table_keeps_words_whole_and_explains_the_evidence(tmp_path, run_cli, columns, monkeypatch):
    from eventwire.export import event_table_row
    paths = sample_paths()[:3]
    rows = run_cli("code", "--workers", "1", "--date", "2020-01-01", *paths, timeout=600)
    monkeypatch.setenv("COLUMNS", str(columns))
    table = run_cli("code", "--workers", "1", "--date", "2020-01-01", "--format", "table", *paths,
                    timeout=600)
    records = [json.loads(ln) for ln in rows.stdout.splitlines()]
    assert records
    assert max(len(ln) for ln in table.stdout.splitlines()) <= columns
    assert not _cells_intact(table.stdout, [c for r in records for c in event_table_row(r)])
    flat = " ".join(table.stdout.split())
    assert "@N = character offset of the trigger" in flat and "sN = its sentence" in flat


def test_fit_widths_falls_back_to_blocks_when_too_narrow():
    import io

    from rich.console import Console

    from eventwire.terminal import fit_widths, print_rows_table
    headers = ("#", "a", "b")
    cells = [["1", "Supercalifragilistic expialidocious", "Antidisestablishmentarian"]]
    assert fit_widths(cells, headers, 40) is None
    assert fit_widths(cells, headers, 80) is not None
    buf = io.StringIO()
    print_rows_table("t", headers, [cells[0][1:]], Console(file=buf, width=40), footer="note")
    assert "Supercalifragilistic" in buf.getvalue() and "Antidisestablishmentarian" in buf.getvalue()


# ---------------------------------------------------------------- places/times run only their stages

def test_places_and_times_need_only_their_stages(coder, samples):
    from eventwire.pipeline import Coder
    places, times = Coder("places"), Coder("times")
    assert "eventwire_events" in places.disabled and "eventwire_places" not in places.disabled
    assert "eventwire_events" in times.disabled and "eventwire_times" not in times.disabled
    for a in samples:
        full = coder.code(a)
        assert places.code(a).places == full.places, a.id
        assert times.code(a).times == full.times, a.id
        assert places.code(a).events == []
