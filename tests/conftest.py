"""Shared fixtures: the coder, the sample corpus, the event schema, and a CLI runner.

Kept small and generic on purpose; test modules add their own specifics.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = REPO_ROOT / "src" / "eventwire" / "samples"
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
# The project's contract lives beside the repository (../shared/eval); a clean clone may not
# have it, so a verbatim copy is kept in tests/fixtures.
SHARED_SCHEMA = REPO_ROOT.parent / "shared" / "eval" / "event.schema.json"
SEED_STORY = REPO_ROOT.parent / "shared" / "eval" / "data" / "seed.txt"


def sample_paths() -> list[Path]:
    """The sample stories (.txt), sorted by name (= by date)."""
    return sorted(SAMPLES_DIR.glob("*.txt"))


def sample_dates() -> dict[str, str]:
    """File name → publication date, from samples/dates.json."""
    return json.loads((SAMPLES_DIR / "dates.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def coder():
    """One `Coder` for the whole session: the model loads once."""
    from eventwire.pipeline import Coder

    return Coder()


@pytest.fixture(scope="session")
def samples():
    """Every sample story as an `Article`, read the way the CLI reads a .txt file, with its date."""
    from eventwire.article import Article, read_text_file

    dates = sample_dates()
    articles = []
    for path in sample_paths():
        items = list(read_text_file(path, dates.get(path.name)))
        assert len(items) == 1 and isinstance(items[0], Article), f"{path.name}: {items}"
        articles.append(items[0])
    return articles


@pytest.fixture(scope="session")
def event_schema() -> dict:
    path = SHARED_SCHEMA if SHARED_SCHEMA.is_file() else FIXTURES_DIR / "event.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def event_validator(event_schema):
    """A jsonschema validator for event records, checking `format: date` too."""
    import jsonschema

    cls = jsonschema.validators.validator_for(event_schema)
    cls.check_schema(event_schema)
    return cls(event_schema, format_checker=cls.FORMAT_CHECKER)


def _run_cli(*args: str, cwd: str | os.PathLike | None = None, timeout: float = 600,
             input: str | None = None) -> subprocess.CompletedProcess:
    """Run `python -m eventwire ARGS...` as a real subprocess; text mode, UTF-8."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "eventwire", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=timeout, input=input)


@pytest.fixture(scope="session")
def run_cli():
    """`run_cli("code", "--date", "2020-01-01", path)` → CompletedProcess (stdout/stderr as str)."""
    return _run_cli
