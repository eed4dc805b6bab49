"""Knowledge files: the packaged data file plus the user's own, layered on top.

Every stage reads its knowledge (word lists, dictionaries, cue tables) from YAML files in
`data/`. A user extends or overrides any of them without touching Python, in two ways:

- `EVENTWIRE_DATA=/path/dir`: a file of the same name in that folder (`lexicon.yaml`,
  `actors.yaml`, `relevance.yaml`, ...) is layered on top of the shipped one;
- a stage's own variable (`EVENTWIRE_LEXICON=/path/a.yaml:/path/b.yaml`) adds more files.

Layering: `layered(name, env_var, build)` hands all the files, shipped first, to the stage's
`build` (which knows how its lists combine); `load_yaml(name)` merges them generically:
mappings merge key by key, lists are concatenated, other values of a later file win.
"""
from __future__ import annotations

import os
from pathlib import Path
from functools import lru_cache
from typing import Any, Callable, Iterable, TypeVar

DATA = Path(__file__).parent / "data"
DATA_DIR_VAR = "EVENTWIRE_DATA"
T = TypeVar("T")

_BUILT: dict[tuple, object] = {}


def files_for(name: str, env_var: str | None = None) -> list[Path]:
    """The packaged file, then the user's: `$EVENTWIRE_DATA/<name>`, then `env_var`'s files."""
    paths = [DATA / name]
    user_dir = os.environ.get(DATA_DIR_VAR)
    if user_dir and (Path(user_dir) / name).is_file():
        paths.append(Path(user_dir) / name)
    extra = os.environ.get(env_var) if env_var else None
    paths += [Path(p) for p in (extra or "").split(os.pathsep) if p]
    return paths


def _env_key(name: str) -> object:
    """A variable's name as `os.environ` keeps it encoded (computed once per name)."""
    key = _ENV_KEYS.get(name)
    if key is None:
        key = _ENV_KEYS[name] = os.environ.encodekey(name)
    return key


_ENV_KEYS: dict[str, object] = {}


def layered(name: str, env_var: str | None, build: Callable[[tuple[str, ...]], T]) -> T:
    """`build(paths)` for the current setting of the variables, cached (cheap to call per use:
    the stages ask for their data per token, tens of thousands of times a long story).

    The cache key holds `build` (two stages may build one file their own way) and the
    variables' values as `os.environ` keeps them, encoded: looked up there directly, an unset
    variable costs no KeyError raised and caught, a set one no decoding (every change of the
    environment goes through that mapping)."""
    env = os.environ
    data = getattr(env, "_data", None)
    if isinstance(data, dict):
        keys = _ENV_KEYS
        key = (name, build, data.get(keys.get(DATA_DIR_VAR) or _env_key(DATA_DIR_VAR)),
               data.get(keys.get(env_var) or _env_key(env_var)) if env_var else None)
    else:            # pragma: no cover - an os.environ replaced by a plain mapping
        key = (name, build, env.get(DATA_DIR_VAR), env.get(env_var) if env_var else None)
    built = _BUILT.get(key)
    if built is None:
        built = _BUILT[key] = build(tuple(str(p) for p in files_for(name, env_var)))
    return built  # type: ignore[return-value]


def merge(base: Any, extra: Any) -> Any:
    """`extra` layered on `base`: mappings key by key, lists concatenated, else `extra` wins."""
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = merge(base[k], v) if k in base else v
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return base + extra
    return extra if extra is not None else base


def parse_yaml(source: Any) -> Any:
    """YAML text or stream -> data, with libyaml's C parser when it is there (ten times faster
    than the pure-Python one: the lexicon alone took 0.37 s to load with it, 0.04 s without).
    A text parsed once is kept in the parse cache (see `_cached_parse`)."""
    text = source if isinstance(source, str) else source.read()
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return _cached_parse(text)


CACHE_DIR_VAR = "EVENTWIRE_CACHE"      # where parsed data files are kept; "off": nowhere


def _parse(text: str) -> Any:
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def cache_folder() -> Path | None:
    """Where files kept between runs go: $EVENTWIRE_CACHE, else the default folder; None
    when the variable says off."""
    setting = os.environ.get(CACHE_DIR_VAR)
    if setting:
        return None if setting.lower() in ("0", "off", "no", "false") else Path(setting)
    return default_cache_folder()


def default_cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "eventwire"


def _cached_parse(text: str) -> Any:
    """Performance only: the data of a YAML text, from a pickle named by the text's hash when
    an earlier run left one (building the YAML objects took a sixth of every start-up), else
    parsed and left there for the next run. A cache that cannot be read or written is skipped."""
    import hashlib

    folder = cache_folder()
    if folder is None:
        return _parse(text)
    path = folder / f"{hashlib.sha256(text.encode('utf-8')).hexdigest()[:40]}.pickle"
    return _pickled(path, lambda: _parse(text))[0]


def _pickled(path: Path, build: Callable[[], T]) -> tuple[T, bool]:
    """(the value pickled in `path`, False), else (`build()`, True) after pickling it there
    (written whole or not at all: parallel runs never read half a file). A file that cannot
    be read is built again; one that cannot be written is skipped."""
    import pickle

    try:
        with open(path, "rb") as f:
            return pickle.load(f), False
    except Exception:  # noqa: BLE001 - not there yet, or a broken file: build
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError):
        pass
    return value, True


# A kept file written this long ago is removed when another of its kind is written (each edit
# of the code or of a data file names a new one); a recent one may still serve another version
# of the program (its forked workers open it by name).
STALE_AFTER_S = 24 * 3600


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """A hash of the Python version and of every eventwire module's source: a table kept
    between runs (`kept_table`) is built again whenever the code that builds it may have
    changed. Reading and hashing the package's ~0.7 MB of source takes about a millisecond."""
    import hashlib
    import sys

    digest = hashlib.sha256(sys.version.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.digest()


def kept_table(kind: str, inputs: Iterable[str | bytes], build: Callable[[], T]) -> T:
    """Performance only: `build()`, kept between runs as a pickle in the cache folder (see
    `_cached_parse`) named by a hash of `kind`, of everything in `inputs` (the data it is
    built from: the files' texts, a model's version) and of eventwire's code
    (`code_fingerprint`). A new process unpickles in a few milliseconds what took tens to
    build (the actor dictionary, the event lexicon). A cache that cannot be read or written
    is skipped; with EVENTWIRE_CACHE=off every call builds."""
    import hashlib

    folder = cache_folder()
    if folder is None:
        return build()
    digest = hashlib.sha256(code_fingerprint() + kind.encode() + b"\0")
    for item in inputs:
        data = item.encode("utf-8") if isinstance(item, str) else item
        digest.update(len(data).to_bytes(8, "little") + data)
    path = folder / f"table-{kind}-{digest.hexdigest()[:40]}.pickle"
    value, built = _pickled(path, build)
    if built:
        remove_stale(folder, f"table-{kind}-*.pickle", path)
    return value


def remove_stale(folder: Path, pattern: str, current: Path) -> None:
    """Removes the files of `pattern` but `current` written more than STALE_AFTER_S ago:
    another version of the program may still be reading a recent one."""
    import time

    now = time.time()
    for old in folder.glob(pattern):
        try:
            if old != current and now - old.stat().st_mtime > STALE_AFTER_S:
                old.unlink()
        except OSError:
            pass


def file_texts(*names: str, env_var: str | None = None) -> list[bytes]:
    """The bytes of every layer of the data files `names` (`files_for`), in order: the
    inputs of a table built from them (`kept_table`)."""
    return [Path(p).read_bytes() for name in names for p in files_for(name, env_var)]


def _read_yaml(path: str) -> Any:
    with open(path, encoding="utf-8") as f:
        return parse_yaml(f)


def _merged(paths: tuple[str, ...]) -> Any:
    data = None
    for path in paths:
        data = merge(data, _read_yaml(path)) if data is not None else _read_yaml(path)
    return data


def load_yaml(name: str, env_var: str | None = None) -> Any:
    """The data file `name` with the user's layers merged in (see `merge`)."""
    return layered(name, env_var, _merged)


_SETS: dict[int, tuple[Any, Any]] = {}


def _as_sets(data: Any) -> Any:
    if isinstance(data, list):
        return frozenset(str(w) for w in data)
    if isinstance(data, dict):
        return {k: _as_sets(v) for k, v in data.items()}
    return data


def word_sets(name: str, env_var: str | None = None) -> dict:
    """`load_yaml(name)` with every list made a frozenset of strings, for membership tests:
    the shape of a stage's word file (`coref.yaml`: `pronouns: {person: [he, ...]}`). Cached
    with the layers it was built from."""
    data = load_yaml(name, env_var)
    hit = _SETS.get(id(data))
    if hit is None or hit[0] is not data:
        hit = _SETS[id(data)] = (data, _as_sets(data))
    return hit[1]
