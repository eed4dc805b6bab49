"""Start-up (eventwire.startup): importing eventwire leaves spaCy's command line unloaded,
and spaCy's command-line functions still work when something asks for them."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _run(code: str, **env) -> str:
    environ = dict(os.environ, PYTHONPATH=SRC, **env)
    return subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True,
                          text=True, check=True, timeout=300).stdout.strip()


def test_command_line_modules_not_imported():
    out = _run("import sys, eventwire.cli; print(sorted(m for m in ('typer', 'weasel', 'jinja2') if m in sys.modules))")
    assert out == "[]"


def test_spacy_command_line_loads_on_first_use():
    out = _run("import sys, eventwire, spacy\n"
               "details = spacy.info()\n"
               "from spacy.cli import download\n"
               "print('spacy_version' in details, callable(download), 'typer' in sys.modules)")
    assert out == "True True True"


def test_eager_switch_imports_spacy_as_it_is():
    out = _run("import sys, eventwire; print('typer' in sys.modules)", EVENTWIRE_EAGER_SPACY="1")
    assert out == "True"
