"""One layered loader for every data file: a user's folder (EVENTWIRE_DATA) extends the shipped files."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from eventwire.datafiles import merge

STORY = "The Korvani Liberation Front ambushed an army convoy on Monday.\n"


def code(tmp_path, env_extra: dict[str, str]) -> list[dict]:
    story = tmp_path / "story.txt"
    story.write_text("Convoy ambushed\n" + STORY, encoding="utf-8")
    env = dict(os.environ, **env_extra)
    out = subprocess.run([sys.executable, "-m", "eventwire", "code", "--date", "2024-02-07", str(story)],
                         capture_output=True, text=True, check=True, env=env).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_merge_extends_lists_and_mappings():
    assert merge({"a": [1], "b": {"x": 1}}, {"a": [2], "b": {"y": 2}, "c": 3}) == \
        {"a": [1, 2], "b": {"x": 1, "y": 2}, "c": 3}
    assert merge({"a": 1}, {"a": None}) == {"a": 1}


def test_a_users_actor_file_adds_an_actor(tmp_path):
    before = code(tmp_path, {})
    user = tmp_path / "data"
    user.mkdir()
    (user / "actors.yaml").write_text(
        "- {name: Korvani Liberation Front, aliases: [KLF], country: null, sector: REB}\n", encoding="utf-8")
    after = code(tmp_path, {"EVENTWIRE_DATA": str(user)})
    sectors = lambda evs: {a["sector"] for e in evs for a in e["actors"]}  # noqa: E731
    assert "REB" in sectors(after)
    assert before != after


def test_a_users_relevance_file_changes_the_default_cut(tmp_path):
    user = tmp_path / "data"
    user.mkdir()
    (user / "relevance.yaml").write_text("default_min_confidence: 1.0\n", encoding="utf-8")
    assert code(tmp_path, {})
    assert code(tmp_path, {"EVENTWIRE_DATA": str(user)}) == []


def test_one_file_built_two_ways_keeps_both_and_follows_the_environment(tmp_path, monkeypatch):
    # the cache is keyed by the builder too: a stage that builds a file its own way does not
    # get (or give) another stage's build of the same file
    from eventwire.datafiles import layered

    def count_files(paths):
        return len(paths)

    def last_file(paths):
        return os.path.basename(paths[-1])

    monkeypatch.delenv("EVENTWIRE_DATA", raising=False)
    monkeypatch.delenv("EVENTWIRE_TEST_EXTRA", raising=False)
    assert layered("codes.yaml", "EVENTWIRE_TEST_EXTRA", count_files) == 1
    assert layered("codes.yaml", "EVENTWIRE_TEST_EXTRA", last_file) == "codes.yaml"
    extra = tmp_path / "more-codes.yaml"
    extra.write_text("{}\n", encoding="utf-8")
    monkeypatch.setenv("EVENTWIRE_TEST_EXTRA", str(extra))
    assert layered("codes.yaml", "EVENTWIRE_TEST_EXTRA", count_files) == 2
    assert layered("codes.yaml", "EVENTWIRE_TEST_EXTRA", last_file) == "more-codes.yaml"
    monkeypatch.delenv("EVENTWIRE_TEST_EXTRA")
    assert layered("codes.yaml", "EVENTWIRE_TEST_EXTRA", count_files) == 1
