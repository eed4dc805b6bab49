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
