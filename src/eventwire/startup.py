"""Start-up: importing spaCy and loading its model without paying for what eventwire never
uses. `EVENTWIRE_EAGER_SPACY=1` imports spaCy as it is, with none of what follows.

`import spacy` imports `spacy.cli` (only to offer `spacy.info`), and with it typer, weasel,
requests, jinja2 and rich: about 30 % of the CPU time of `import spacy` measured here (0.78 s
-> 0.54 s), paid by every `eventwire` run and every worker start. eventwire never runs spaCy's
command line, so until something uses it, `spacy.cli` and `spacy.cli.info` are stand-ins that
import the real modules on the first use of any of their names (`spacy.info()`,
`spacy.cli.download`, ...).

Loading the model then looks up ~190 names in spaCy's registries (`catalogue`), and every
lookup asks the installed packages' entry points for the registry's group: `select(group=...)`
walks every entry point of every package each time (60 ms of each start measured here). The
entry points are the same for the whole run, so they are filed by group once
(`_index_entry_points`): each lookup is then a dictionary access, with the same entry points
in the same order. Reading the model's files then asks the registry for all the entries of a
namespace ~120 times (`Registry.get_all`, once per msgpack blob: srsly's decoders), and each
time catalogue walks every entry of every registry; the entries are kept per namespace until
the registry changes.

numpy starts OpenBLAS's pool of threads when it is imported, and on two cores that start took
~0.13 s of CPU (a one-story run's CPU exceeded its wall time by that much). The models' matrix
products are thinc's, done with blis, and nothing in eventwire calls numpy's linear algebra:
unless the variable is already set (or numpy already imported), OpenBLAS is told to use one
thread (`OPENBLAS_NUM_THREADS=1`, which the worker processes inherit).

Importing spaCy creates some hundred thousand objects that all stay alive; the cyclic garbage
collector ran ~160 times during the import, walking the growing heap to find next to nothing
(~60 ms of every start). It is paused while spaCy is imported, and what the import made is then
frozen out of its later collections (`collector_paused`; `pipeline.code_parallel` does the same
around the model load and warm-up before it forks its workers).

The model's tokenizer then reads its 1,347 special cases ("don't" -> do n't, "Jan." ...),
and spaCy converts each token's attributes twice (`intify_attrs`, once to check the case and
once to store it) with renaming of deprecated attribute names switched on: 45 name checks, in
three spellings each, that can only match a name written as a string. The saved cases name
their attributes by number, so for them the renaming is skipped (`_numbered_attributes_kept`):
the same call otherwise, the same tokenizer (a fifth of the model load, ~0.1 s measured here).

Compiling regular expressions took an eighth of every start-up (~170 of them: the
tokenizer's prefixes, suffixes and infixes, spaCy's URL pattern, the date table's rows).
Python compiles a pattern in two steps: its parser and compiler (written in Python, the slow
part) turn the text into a list of numbers, the regular expression engine's program, from
which `_sre.compile` makes the pattern object. The programs of the patterns compiled during
one start-up are kept in the cache folder (`RegexKeeper`, named by the Python version and
the engine's version number), and the next start-up puts the pattern objects made from them
straight into `re`'s own cache: `re.compile` of the same text with the same flags then
returns what it would have compiled. Only on Python 3.11 (the program format and the
compile steps copied here are that version's).

spaCy's configuration library (`confection`) imports pydantic's old interface, `pydantic.v1`,
only to recognise settings schemas written with it; spaCy 3.8 and thinc write theirs with
pydantic 2, and building the old interface's classes took a tenth of `import spacy` (0.15 s
of CPU measured here). While spaCy is imported the old interface is made unimportable, so
that `confection` records it as absent (`_pydantic_v1_unseen`); anything that imports it later
gets it as usual.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib
import importlib.util
import marshal
import os
import re
import sys
import types
from array import array

import _sre

_DEFERRED = ("spacy.cli.info", "spacy.cli")


class _Deferred(types.ModuleType):
    """A module that becomes the real one when one of its names is asked for."""

    def __getattr__(self, name: str):
        if name.startswith("__"):       # introspection (copy, pickle, the import system)
            raise AttributeError(name)
        return getattr(_load_real(self.__name__), name)


def _load_real(name: str) -> types.ModuleType:
    for deferred in _DEFERRED:
        if isinstance(sys.modules.get(deferred), _Deferred):
            del sys.modules[deferred]
    module = importlib.import_module(name)
    spacy = sys.modules.get("spacy")
    if spacy is not None:
        spacy.cli = sys.modules["spacy.cli"]
    return module


def _info(*args, **kwargs):
    """`spacy.info`, imported when called."""
    return _load_real("spacy.cli.info").info(*args, **kwargs)


def _index_entry_points() -> None:
    """catalogue's entry points filed by group (see the module): catalogue reads a mapping
    without `select` as {group: entry points}."""
    try:
        import catalogue
    except ImportError:       # pragma: no cover - spaCy depends on it
        return
    available = getattr(catalogue, "AVAILABLE_ENTRY_POINTS", None)
    if not hasattr(available, "select"):
        return                # already a mapping (an older Python, or done before)
    catalogue.AVAILABLE_ENTRY_POINTS = {group: list(available.select(group=group))
                                        for group in available.groups}


def _index_registry() -> None:
    """catalogue's `Registry.get_all` with each namespace's entries kept between changes of
    the registry (see the module): the same entries in the same order, recomputed after any
    registration or removal (catalogue's `_set` and `_remove`, its only writers)."""
    try:
        import catalogue
    except ImportError:       # pragma: no cover - spaCy depends on it
        return
    registry_class = getattr(catalogue, "Registry", None)
    if registry_class is None or getattr(registry_class, "_eventwire_indexed", False) or not all(
            callable(getattr(catalogue, name, None)) for name in ("_set", "_remove")):
        return
    kept: dict[tuple[str, ...], dict] = {}
    set_entry, remove_entry = catalogue._set, catalogue._remove

    def _set(namespace, func):
        kept.clear()
        return set_entry(namespace, func)

    def _remove(namespace):
        kept.clear()
        return remove_entry(namespace)

    def get_all(self) -> dict:
        result = {}
        if self.entry_points:
            result.update(self.get_entry_points())
        namespace = tuple(self.namespace)
        entries = kept.get(namespace)
        if entries is None:
            size = len(namespace)
            entries = kept[namespace] = {keys[-1]: value for keys, value in catalogue.REGISTRY.items()
                                         if len(keys) == size + 1 and keys[:size] == namespace}
        result.update(entries)
        return result

    catalogue._set, catalogue._remove = _set, _remove
    registry_class.get_all = get_all
    registry_class._eventwire_indexed = True


def _numbered_attributes_kept() -> None:
    """spaCy's tokenizer and vocabulary call `intify_attrs` with the deprecated names' renaming
    skipped when every attribute is named by its number (see the module): the renaming looks
    for names written as strings, so for such attributes it finds nothing to do."""
    attrs, tokenizer, vocab = (sys.modules.get(f"spacy.{name}") for name in ("attrs", "tokenizer", "vocab"))
    original = getattr(attrs, "intify_attrs", None)
    if original is None or getattr(original, "_eventwire_numbered", False):
        return

    def intify_attrs(stringy_attrs, strings_map=None, _do_deprecated=False):
        if _do_deprecated and all(type(key) is int for key in stringy_attrs):
            _do_deprecated = False
        return original(stringy_attrs, strings_map, _do_deprecated)

    intify_attrs._eventwire_numbered = True
    for module in (tokenizer, vocab):
        if getattr(module, "intify_attrs", None) is original:
            module.intify_attrs = intify_attrs


class RegexKeeper:
    """Regular expressions compiled during start-up, kept between runs (see the module).

    `start()` puts the kept patterns into `re`'s cache and notes every pattern compiled from
    then on; `keep()` writes the notes (with the earlier ones, at most LIMIT) and stops
    noting. A file that cannot be read or written is skipped: `re` then compiles as usual.
    Programs are held as they are stored: `_sre.compile`'s arguments, the program's numbers
    packed as 4-byte words (`_sre.CODESIZE`, part of the file's name)."""

    LIMIT = 400       # patterns kept (re's cache holds 512)

    def __init__(self) -> None:
        self.kept: dict[tuple, tuple] = {}     # (text, flags) -> the program, as stored
        self.new = 0
        self.path = None
        self.compile = None          # re._compiler.compile, while noting

    @staticmethod
    def usable() -> bool:
        return (sys.version_info[:2] == (3, 11) and isinstance(getattr(re, "_cache", None), dict)
                and hasattr(re, "_compiler") and hasattr(re._compiler, "_code"))

    def _file(self):
        from eventwire.datafiles import cache_folder
        folder = cache_folder()
        if folder is None:
            return None
        version = f"{sys.version} {_sre.MAGIC} {_sre.CODESIZE} {sys.maxunicode}".encode()
        return folder / f"regex-{hashlib.sha256(version).hexdigest()[:24]}.marshal"

    @staticmethod
    def _made(program: tuple) -> re.Pattern:
        text, flags, code, *rest = program
        return _sre.compile(text, flags, array("I", code).tolist(), *rest)

    def start(self) -> None:
        if self.compile is not None or not self.usable():
            return
        self.path = self._file()
        if self.path is None:
            return
        try:
            kept = marshal.loads(self.path.read_bytes())
            made = {key: self._made(program) for key, program in kept.items()}
        except Exception:  # noqa: BLE001 - none kept yet, or an unreadable file
            kept, made = {}, {}
        for (pattern, flags), compiled in made.items():
            re._cache.setdefault((type(pattern), pattern, flags), compiled)
        self.kept = kept
        self.compile = re._compiler.compile
        re._compiler.compile = self._noting

    def _noting(self, p, flags=0):
        """`re._compiler.compile` (Python 3.11's), noting the program of a pattern text."""
        if not isinstance(p, str) or flags & re.DEBUG:
            return self.compile(p, flags)
        parsed = re._parser.parse(p, flags)
        code = re._compiler._code(parsed, flags)
        groupindex = parsed.state.groupdict
        indexgroup = [None] * parsed.state.groups
        for name, number in groupindex.items():
            indexgroup[number] = name
        program = (p, flags | parsed.state.flags, code, parsed.state.groups - 1, dict(groupindex),
                   tuple(indexgroup))
        compiled = _sre.compile(*program)
        if len(self.kept) < 4 * self.LIMIT:
            self.kept[(p, flags)] = (*program[:2], array("I", code).tobytes(), *program[3:])
            self.new += 1
        return compiled

    def keep(self) -> None:
        if self.compile is None:
            return
        re._compiler.compile, self.compile = self.compile, None
        if not self.new:
            return
        self.new = 0
        latest = dict(list(self.kept.items())[-self.LIMIT:])     # when there are too many
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(latest))
            os.replace(tmp, self.path)
        except (OSError, ValueError):
            pass


REGEXES = RegexKeeper()


@contextlib.contextmanager
def collector_paused():
    """The cyclic garbage collector off for as long as this lasts, then as it was; what is
    alive at the end is moved out of its sight (`gc.freeze`: modules, classes and tables that
    live as long as the process; still freed when no longer referenced, only never searched
    for cycles)."""
    was_on = gc.isenabled()
    thresholds = gc.get_threshold()
    gc.disable()
    # A zero threshold keeps automatic collections off even when a library switches the
    # collector back on: srsly's msgpack reader (every file of the model) ends with
    # `gc.enable()`, and the collector then ran ~70 times (~25 ms) during the model load.
    gc.set_threshold(0)
    try:
        yield
    finally:
        gc.freeze()
        gc.set_threshold(*thresholds)
        if was_on:
            gc.enable()
        else:
            gc.disable()


@contextlib.contextmanager
def _pydantic_v1_unseen():
    """`pydantic.v1` unimportable for as long as this lasts, importable again after it (see
    the module): a name set to None in `sys.modules` makes its import fail at once."""
    if "pydantic.v1" in sys.modules:          # already imported by someone: nothing to save
        yield
        return
    sys.modules["pydantic.v1"] = None         # type: ignore[assignment]
    try:
        yield
    finally:
        if "pydantic.v1" in sys.modules and sys.modules["pydantic.v1"] is None:
            del sys.modules["pydantic.v1"]


def import_spacy() -> types.ModuleType:
    """`import spacy`, leaving its command line to be imported when used (see the module)."""
    eager = os.environ.get("EVENTWIRE_EAGER_SPACY", "") not in ("", "0")
    if "spacy" in sys.modules or eager:       # (imported already: only the model load to spare)
        import spacy
        if not eager:
            REGEXES.start()
            _numbered_attributes_kept()
        return spacy
    REGEXES.start()
    spec = importlib.util.find_spec("spacy")
    if spec is not None and spec.submodule_search_locations:
        package = _Deferred("spacy.cli")
        package.__path__ = [os.path.join(p, "cli") for p in spec.submodule_search_locations]
        info = _Deferred("spacy.cli.info")
        info.info = _info
        package.info = info
        sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = package, info
    _index_entry_points()
    _index_registry()
    if "numpy" not in sys.modules:      # (a numpy already imported keeps its threads)
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    with _pydantic_v1_unseen(), collector_paused():
        import spacy

    if "cli" not in vars(spacy) and "spacy.cli" in sys.modules:
        spacy.cli = sys.modules["spacy.cli"]
    _numbered_attributes_kept()
    return spacy
