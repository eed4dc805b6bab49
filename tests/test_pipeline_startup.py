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


def test_model_tokenizer_is_the_saved_one():
    """The model loads over an empty tokenizer (nlp._empty_tokenizer): the rules it ends up
    with are the saved model's, the same as spaCy's own loading gives, and so are the tokens."""
    out = _run("import spacy\n"
               "from eventwire.nlp import MODEL, load_model\n"
               "ours, theirs = load_model().tokenizer, spacy.load(MODEL, exclude=['senter']).tokenizer\n"
               "text = \"Gov. Orlen's aides can't say whether the U.S.-backed plan (drafted 3/4/21) works.\"\n"
               "print(ours.to_bytes(exclude=['vocab']) == theirs.to_bytes(exclude=['vocab']),\n"
               "      [t.text for t in ours(text)] == [t.text for t in theirs(text)], len(ours.rules) > 1000)")
    assert out == "True True True"


def test_plain_aliases_split_like_the_tokenizer():
    """actors._plain_words skips the tokenizer only where it would split at the spaces alone."""
    from eventwire import actors
    from eventwire.nlp import load_model
    tokenizer = load_model().tokenizer
    aliases = ["Varnian Border Guard", "Dostrel", "cannot", "Salvo al-Merrin", "People's Front",
               "St Brannock", "Dr Ilse Morrow", "New  Tamsk", "Ärvik Union"]
    plain = [a for a in aliases if actors._plain_words(a) is not None]
    # special case ("cannot"), punctuation, a double space, a non-ASCII letter: the tokenizer
    assert plain == ["Varnian Border Guard", "Dostrel", "St Brannock", "Dr Ilse Morrow"]
    for alias in aliases:
        assert actors._split(alias) == [t.text for t in tokenizer(alias) if not t.is_space]


def test_parsed_data_files_kept_in_the_cache(tmp_path, monkeypatch):
    from eventwire.datafiles import CACHE_DIR_VAR, parse_yaml
    text = "verbs:\n  - ambush   # a comment\n  - blockade\nweights: {high: 0.9, low: 0.1}\n"
    expected = {"verbs": ["ambush", "blockade"], "weights": {"high": 0.9, "low": 0.1}}
    monkeypatch.setenv(CACHE_DIR_VAR, str(tmp_path / "cache"))
    assert parse_yaml(text) == expected
    kept = list((tmp_path / "cache").glob("*.pickle"))
    assert len(kept) == 1
    first = parse_yaml(text)
    first["verbs"].append("changed by a caller")          # each caller gets its own copy
    assert parse_yaml(text) == expected
    assert parse_yaml(text.replace("blockade", "siege"))["verbs"] == ["ambush", "siege"]
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 2
    kept[0].write_bytes(b"not a pickle")                   # a broken entry is parsed again
    assert parse_yaml(text) == expected
    monkeypatch.setenv(CACHE_DIR_VAR, "off")
    assert parse_yaml(text + "extra: 1\n")["extra"] == 1
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 2


def test_command_ends_without_teardown_but_keeps_output_and_status(tmp_path):
    """`eventwire code` ends with os._exit once its output is written (cli._exit_without_teardown):
    every record still reaches stdout, problems reach stderr, and a missing input still makes
    the exit status 1."""
    story = tmp_path / "story.txt"
    story.write_text("Soldiers detained nine smugglers near the Velmar border crossing on Friday.\n",
                     encoding="utf-8")
    environ = dict(os.environ, PYTHONPATH=SRC)
    command = [sys.executable, "-m", "eventwire", "code", "--date", "2021-03-05", str(story)]
    done = subprocess.run(command, env=environ, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0
    records = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(records) == 1 and '"trigger"' in records[0] and "detained" in records[0]
    missing = subprocess.run(command + [str(tmp_path / "absent.txt")], env=environ, capture_output=True,
                             text=True, timeout=300)
    assert missing.returncode == 1
    assert missing.stdout == done.stdout
    assert "absent.txt" in missing.stderr


def test_pydantic_old_interface_skipped_by_spacy_and_still_importable():
    out = _run("import sys, eventwire.pipeline\n"
               "from eventwire.nlp import load_model\n"
               "nlp = load_model()\n"
               "skipped = 'pydantic.v1' not in sys.modules\n"
               "from pydantic.v1 import BaseModel\n"
               "class Point(BaseModel):\n"
               "    x: int\n"
               "print(skipped, Point(x='3').x, len(nlp('Rebels attacked the town.')))")
    assert out == "True 3 5"
    eager = _run("import sys, eventwire.pipeline; print('pydantic.v1' in sys.modules)", EVENTWIRE_EAGER_SPACY="1")
    assert eager == "True"


def test_registry_lookups_kept_per_namespace_give_catalogues_answers():
    out = _run("import catalogue, eventwire.pipeline\n"
               "from eventwire.nlp import load_model\n"
               "import spacy\n"
               "load_model()\n"
               "def walk(namespace):\n"
               "    return {k[-1]: v for k, v in catalogue.REGISTRY.items()\n"
               "            if len(k) == len(namespace) + 1 and k[:len(namespace)] == namespace}\n"
               "def expected(r):\n"
               "    found = dict(r.get_entry_points()) if r.entry_points else {}\n"
               "    found.update(walk(tuple(r.namespace)))\n"
               "    return list(found.items())\n"
               "regs = [getattr(spacy.registry, n) for n in spacy.registry.get_registry_names()]\n"
               "same = all(list(r.get_all().items()) == expected(r) for r in regs)\n"
               "before = set(spacy.registry.misc.get_all())\n"
               "@spacy.registry.misc('eventwire.test_entry.v1')\n"
               "def entry():\n"
               "    return 1\n"
               "added = set(spacy.registry.misc.get_all()) - before\n"
               "catalogue._remove(('spacy', 'misc', 'eventwire.test_entry.v1'))\n"
               "gone = 'eventwire.test_entry.v1' not in spacy.registry.misc.get_all()\n"
               "print(same, sorted(added), gone, catalogue.Registry._eventwire_indexed)")
    assert out == "True ['eventwire.test_entry.v1'] True True"


def test_openblas_told_to_use_one_thread_unless_the_user_says_otherwise():
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}

    def setting(code: str) -> str:
        return subprocess.run([sys.executable, "-c", code + "; print(os.environ.get('OPENBLAS_NUM_THREADS'))"],
                              env=dict(env, PYTHONPATH=SRC), capture_output=True, text=True, check=True,
                              timeout=300).stdout.strip()

    assert setting("import os, eventwire") == "1"
    assert setting("import os, numpy, eventwire") == "None"      # numpy's threads already started
    assert _run("import os, eventwire; print(os.environ['OPENBLAS_NUM_THREADS'])", OPENBLAS_NUM_THREADS="4") == "4"


def test_collector_paused_for_the_import_only():
    code = ("import gc\n{pre}import eventwire\n"
            "class Node:\n"
            "    pass\n"
            "a, b = Node(), Node()\n"
            "a.other, b.other = b, a\n"
            "del a, b\n"
            "print(gc.isenabled(), gc.collect() >= 2, gc.get_freeze_count() > 10000)")
    assert _run(code.format(pre="")) == "True True True"          # a cycle made later is collected
    assert _run(code.format(pre="gc.disable()\n")).startswith("False")


def test_collector_stays_paused_when_a_library_switches_it_on():
    """srsly's msgpack reader ends with gc.enable(): inside the pause no collection runs
    anyway, and the collector is as the caller had it afterwards."""
    code = ("import gc\n"
            "from eventwire.startup import collector_paused\n"
            "import srsly\n"
            "runs = []\n"
            "gc.callbacks.append(lambda phase, info: runs.append(phase))\n"
            "before = gc.get_threshold()\n"
            "with collector_paused():\n"
            "    srsly.msgpack_loads(srsly.msgpack_dumps({'ward': [1, 2, 3]}))\n"
            "    cycles = []\n"
            "    for _ in range(50000):\n"
            "        item = []\n"
            "        item.append(item)\n"
            "        cycles.append(item)\n"
            "print(len(runs), gc.isenabled(), gc.get_threshold() == before)")
    assert _run(code) == "0 True True"


def test_tables_kept_between_runs_by_what_they_are_built_from(tmp_path, monkeypatch):
    import os as _os
    import time as _time

    from eventwire import datafiles
    monkeypatch.setenv(datafiles.CACHE_DIR_VAR, str(tmp_path / "cache"))
    builds = []

    def build():
        builds.append(1)
        return {"ambush": ("ATTACK", 2), "blockade": ("COERCE", 1)}

    first = datafiles.kept_table("words", ["ambush: ATTACK\n", b"model 1.0"], build)
    again = datafiles.kept_table("words", ["ambush: ATTACK\n", b"model 1.0"], build)
    assert first == again == build() and len(builds) == 2       # the second call read the file
    kept = list((tmp_path / "cache").glob("table-words-*.pickle"))
    assert len(kept) == 1
    datafiles.kept_table("words", ["ambush: ATTACK\n", b"model 2.0"], build)      # other inputs
    assert len(builds) == 3
    monkeypatch.setattr(datafiles, "code_fingerprint", lambda: b"edited code")
    datafiles.kept_table("words", ["ambush: ATTACK\n", b"model 1.0"], build)      # other code
    assert len(builds) == 4
    kept[0].write_bytes(b"not a pickle")                 # a broken file is built again
    monkeypatch.undo()
    monkeypatch.setenv(datafiles.CACHE_DIR_VAR, str(tmp_path / "cache"))
    assert datafiles.kept_table("words", ["ambush: ATTACK\n", b"model 1.0"], build) == first
    assert len(builds) == 5
    old = _time.time() - datafiles.STALE_AFTER_S - 60      # written long ago: removed by the next write
    for path in (tmp_path / "cache").glob("table-words-*.pickle"):
        _os.utime(path, (old, old))
    datafiles.kept_table("words", ["blockade: COERCE\n"], build)
    assert len(list((tmp_path / "cache").glob("table-words-*.pickle"))) == 1
    monkeypatch.setenv(datafiles.CACHE_DIR_VAR, "off")
    datafiles.kept_table("words", ["blockade: COERCE\n"], build)
    datafiles.kept_table("words", ["blockade: COERCE\n"], build)
    assert len(builds) == 8


def test_kept_actor_dictionary_and_event_lexicon_equal_fresh_builds(tmp_path, monkeypatch):
    from eventwire import actors, datafiles, events
    monkeypatch.setenv(datafiles.CACHE_DIR_VAR, str(tmp_path / "cache"))
    actors.lexicon.cache_clear()
    try:
        actors.lexicon()                                  # built and kept
        actors.lexicon.cache_clear()
        kept = actors.lexicon()                           # read back
        assert kept == actors._build_lexicon()
        assert kept.trie["united"] and kept.roles
    finally:
        actors.lexicon.cache_clear()
    paths = tuple(str(p) for p in datafiles.files_for("lexicon.yaml"))
    events._kept_lexicon(paths)
    assert events._kept_lexicon(paths) == events._load_lexicon(paths)
    assert len(list((tmp_path / "cache").glob("table-*.pickle"))) == 2


def test_date_table_written_the_same_in_every_process():
    """The word lists of the date table come partly from sets, whose order changes from one
    process to the next: the expressions (and so the kept table named by them) must not."""
    code = ("import hashlib, eventwire.times as t\n"
            "print(hashlib.sha256(repr(sorted(t.macros().items())).encode()).hexdigest())")
    assert len({_run(code, PYTHONHASHSEED=str(seed)) for seed in (1, 2, 3)}) == 1


def test_attribute_conversion_same_with_renaming_skipped_for_numbered_attributes():
    import spacy.attrs
    import spacy.tokenizer
    from spacy.attrs import NORM, ORTH
    from spacy.strings import StringStore

    import eventwire.pipeline  # noqa: F401 - installs the tokenizer's conversion
    converted = spacy.tokenizer.intify_attrs
    assert converted is not spacy.attrs.intify_attrs
    for spec in ({ORTH: "wo", NORM: "will"}, {"F": "ca", "morph": "x"}, {"ORTH": "n't", NORM: "not"},
                 {ORTH: "gov."}):
        ours, theirs = StringStore(), StringStore()
        assert (converted(dict(spec), strings_map=ours, _do_deprecated=True)
                == spacy.attrs.intify_attrs(dict(spec), strings_map=theirs, _do_deprecated=True))
        assert list(ours) == list(theirs)
        assert converted(dict(spec)) == spacy.attrs.intify_attrs(dict(spec))
    # the special cases' tokens, as spaCy's own conversion (EVENTWIRE_EAGER_SPACY=1) makes them
    code = ("from eventwire.nlp import load_model\n"
            "doc = load_model().tokenizer(\"Gov. Orlen's aides can't say, y'know, whether Jan. talks 'll go on.\")\n"
            "print([(t.text, t.norm_, t.lower_) for t in doc])")
    assert _run(code) == _run(code, EVENTWIRE_EAGER_SPACY="1")
    assert "'will'" in _run(code) and "'not'" in _run(code)


def test_model_loaded_without_its_string_list_gives_the_same_annotations():
    """nlp.load_model leaves out the vocabulary's saved strings: every string a token shows
    is still there, the same as with spaCy's own loading."""
    import spacy

    from eventwire.nlp import MODEL, load_model
    text = ("Gov. Orlen's aides can't say whether the U.S.-backed plan, drafted on 3/4/21 by "
            "Kessaria's interior ministry, will survive the vote in Lunsk next Thursday.")
    ours = load_model().make_doc(text)
    for name, component in load_model().pipeline:
        if not name.startswith("eventwire_") or name == "eventwire_line_breaks":   # the model's own
            ours = component(ours)
    theirs = spacy.load(MODEL, exclude=["senter"])(text)
    seen = [(t.text, t.lower_, t.norm_, t.shape_, t.lemma_, t.tag_, t.pos_, t.dep_, t.ent_type_, t.ent_iob_,
             str(t.morph)) for t in ours]
    assert seen == [(t.text, t.lower_, t.norm_, t.shape_, t.lemma_, t.tag_, t.pos_, t.dep_, t.ent_type_,
                     t.ent_iob_, str(t.morph)) for t in theirs]
    assert len(load_model().vocab.strings) < len(theirs.vocab.strings) / 10


def test_regular_expressions_kept_between_runs_behave_as_compiled(tmp_path):
    """The first run compiles and keeps its start-up patterns' programs; the next one finds
    them in re's cache, made from the kept programs, the same patterns as compiled ones."""
    cache = str(tmp_path / "cache")
    code = ("import re, sys\n"
            "from eventwire.startup import REGEXES\n"
            "import eventwire.pipeline as pipeline\n"
            "pipeline._shared_coder('events').code(pipeline.Article(id='w', text=\"Guards held two men in Tamsk on \"\n"
            "    \"Friday, Jan. 8, 2021, after a week-long standoff at https://example.org/a?b=1.\", date='2021-01-09'))\n"
            "print(REGEXES.compile is None, re._compiler.compile.__module__, len(REGEXES.kept))")
    first = _run(code, EVENTWIRE_CACHE=cache).split()
    assert first[:2] == ["True", "re._compiler"] and int(first[2]) > 50   # noted, then put back
    kept = list((tmp_path / "cache").glob("regex-*.marshal"))
    assert len(kept) == 1
    check = ("import re, sys\n"
             "from eventwire.startup import REGEXES\n"
             "import eventwire.pipeline\n"
             "texts = ['Snipers fired on a convoy near Arvel on 3 March 2019 (see www.example.com/x).',\n"
             "         \"Dostrel's envoy can't say if U.S.-led talks resume Jan. 4th or after the holidays.\"]\n"
             "made = [(key, re._cache[(str,) + key]) for key in REGEXES.kept]\n"
             "same = 0\n"
             "for (text, flags), pattern in made:\n"
             "    fresh = re._compiler.compile(text, flags) if REGEXES.compile is None else REGEXES.compile(text, flags)\n"
             "    assert (pattern.pattern, pattern.flags, pattern.groups, pattern.groupindex) == \\\n"
             "        (fresh.pattern, fresh.flags, fresh.groups, fresh.groupindex), text\n"
             "    for t in texts:\n"
             "        assert [m.span() for m in pattern.finditer(t)] == [m.span() for m in fresh.finditer(t)], text\n"
             "    same += 1\n"
             "print(same)")
    assert int(_run(check, EVENTWIRE_CACHE=cache)) == int(first[2])
    kept[0].write_bytes(b"not a program")                     # unreadable: compiled as usual
    assert _run(code, EVENTWIRE_CACHE=cache).split()[:2] == ["True", "re._compiler"]
    assert _run(code, EVENTWIRE_CACHE="off").split()[0] == "True"
    assert len(list((tmp_path / "cache").glob("regex-*.marshal"))) == 1
