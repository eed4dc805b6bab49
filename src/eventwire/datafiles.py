"""Knowledge files: the packaged data file plus the user's own, layered on top.

A stage names its packaged file (`data/lexicon.yaml`) and an environment variable
(`EVENTWIRE_LEXICON=/path/a.yaml:/path/b.yaml`); `layered` returns what the stage builds
from those files, built once per setting of the variable.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, TypeVar

DATA = Path(__file__).parent / "data"
T = TypeVar("T")

_BUILT: dict[tuple[str, str | None], object] = {}


def files_for(name: str, env_var: str) -> list[Path]:
    """The packaged file, then the user's files in the order given."""
    extra = os.environ.get(env_var)
    return [DATA / name] + [Path(p) for p in (extra or "").split(os.pathsep) if p]


def layered(name: str, env_var: str, build: Callable[[tuple[str, ...]], T]) -> T:
    """`build(paths)` for the current setting of `env_var`, cached (cheap to call per use)."""
    key = (name, os.environ.get(env_var))
    built = _BUILT.get(key)
    if built is None:
        built = _BUILT[key] = build(tuple(str(p) for p in files_for(name, env_var)))
    return built  # type: ignore[return-value]
