#!/usr/bin/env python3
"""Throughput, memory and profile bench for eventwire (issue 10).

    python bench/bench.py                    # (a) bare spaCy vs (b) eventwire, 2,000 stories, + scaling
    python bench/bench.py --count 200        # a quick run
    python bench/bench.py --profile          # pyinstrument over the single-process coding path
    python bench/bench.py --stage-cost       # each pipeline component's time relative to parsing
    python bench/bench.py --variants         # also code_parallel with the model preloaded in the parent

What is timed
  (a) bare `nlp.pipe(texts, n_process=W)` with the same spaCy model (model loaded before the
      clock starts; spaCy forks its workers from the loaded parent).
  (b) the whole eventwire coding path as the CLI runs it: `code_parallel(articles, workers=W)`,
      every record serialised to JSON.  Worker start-up (model load per worker) is included,
      because the CLI pays it.
Each measurement runs in a fresh child process; the parent samples /proc every 50 ms and sums
RSS (and PSS, which counts copy-on-write pages shared between forked workers once) over the
child and all its descendants. The peak of that sum is the memory figure.

Input: --input PATH (.txt files, folder or .jsonl), else the sample corpus
src/eventwire/samples/*.txt, else /work/shared/eval/data/geo_gwn_articles.jsonl, else short
generated stories; repeated (ids suffixed #k) up to --count stories.
Stdlib + the project's own dependencies only (pyinstrument for --profile).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "src" / "eventwire" / "samples"
FALLBACK_JSONL = Path("/work/shared/eval/data/geo_gwn_articles.jsonl")

TARGET_RATIO = 0.85            # (b) stories/s ÷ (a) stories/s
TARGET_PEAK_RSS_MB = 1536      # 1.5 GB, summed over all processes, 2 workers
LINEAR_TOLERANCE = 0.15        # per-story time at 4x within ±15 % of 1x counts as linear


# --------------------------------------------------------------------------- corpus

GENERATED = [
    ("Turkish jets strike Kurdish positions",
     "ANKARA -- Turkish warplanes bombed Kurdish militant positions in northern Iraq on Tuesday, "
     "the military said. Kurdish officials accused Ankara of killing three civilians."),
    ("Protesters rally in Caracas",
     "CARACAS, Venezuela (AP) -- Thousands of opposition supporters marched through Caracas on "
     "Saturday to demand the release of political prisoners. Police fired tear gas and arrested 12 people."),
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
    """Peak of Σ RSS and Σ PSS over a process and all its descendants, sampled from /proc."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss_kb = self.peak_pss_kb = self.max_procs = self.largest_kb = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            pids = _tree(self.pid)
            each = [_kb(f"/proc/{p}/status", "VmRSS:") for p in pids]
            rss = sum(each)
            self.largest_kb = max([self.largest_kb, *each])
            pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self.max_procs = max(self.max_procs, len(pids))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


# --------------------------------------------------------------------------- measurements (child side)

def child_measure(kind: str, args) -> dict:
    arts, _ = corpus(args.count, args.input, args.date)
    chars = sum(len(a.text) for a in arts)
    if kind == "spacy":
        import spacy
        from eventwire.nlp import MODEL

        nlp = spacy.load(MODEL)
        texts = [a.text for a in arts]
        bs = args.nlp_batch_size or nlp.batch_size
        t0 = time.perf_counter()
        n = 0
        for _doc in nlp.pipe(texts, n_process=args.workers, batch_size=bs):
            n += 1
        secs = time.perf_counter() - t0
        return {"kind": kind, "stories": n, "chars": chars, "seconds": secs, "batch_size": bs, "events": None}
    # the eventwire path, exactly as `eventwire code` drives it
    from eventwire import pipeline

    if kind in ("eventwire-preloaded", "eventwire-warm"):
        pipeline._shared_coder()   # forked workers inherit the loaded model (the proposed fix)
    if kind == "eventwire-warm":   # ... and every stage's lazily loaded data
        list(pipeline._shared_coder().code_many(arts[:1]))
    t0 = time.perf_counter()
    n = events = problems = 0
    sink = 0
    for r in pipeline.code_parallel(iter(arts), workers=args.workers, batch_size=args.batch_size):
        n += 1
        if r.problem:
            problems += 1
        for ev in r.events:
            sink += len(json.dumps(ev, ensure_ascii=False))
            events += 1
    secs = time.perf_counter() - t0
    return {"kind": kind, "stories": n, "chars": chars, "seconds": secs, "batch_size": args.batch_size,
            "events": events, "problems": problems}


def run_child(kind: str, count: int, args) -> dict:
    """Run one measurement in a fresh interpreter and sample its process tree's memory."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = fh.name
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_child", kind, "--_out", out,
           "--count", str(count), "--workers", str(args.workers), "--batch-size", str(args.batch_size),
           "--date", args.date]
    if args.nlp_batch_size:
        cmd += ["--nlp-batch-size", str(args.nlp_batch_size)]
    if args.input:
        cmd += ["--input", args.input]
    proc = subprocess.Popen(cmd)
    sampler = TreeMemorySampler(proc.pid)
    sampler.start()
    rc = proc.wait()
    sampler.stop()
    # cross-check: ru_maxrss of RUSAGE_CHILDREN = largest single descendant so far (kB on Linux)
    children_maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    try:
        if rc != 0:
            raise SystemExit(f"bench: measurement {kind!r} failed (exit {rc})")
        result = json.loads(Path(out).read_text())
    finally:
        os.unlink(out)
    result.update(
        count=count, workers=args.workers,
        stories_per_s=result["stories"] / result["seconds"],
        peak_rss_mb=sampler.peak_rss_kb / 1024, peak_pss_mb=sampler.peak_pss_kb / 1024,
        processes=sampler.max_procs,
        largest_process_mb=sampler.largest_kb / 1024,
        rusage_children_maxrss_mb=children_maxrss / 1024,
    )
    return result


# --------------------------------------------------------------------------- reporting helpers

def _ok(flag: bool) -> str:
    return "OK " if flag else "MISS"


def print_row(label: str, r: dict) -> None:
    lp = f"{r['largest_process_mb']:.0f}"
    print(f"  {label:<34} {r['stories']:>6} stories {r['seconds']:>8.1f} s {r['stories_per_s']:>8.2f} stories/s"
          f"   peak ΣRSS {r['peak_rss_mb']:>6.0f} MB  ΣPSS {r['peak_pss_mb']:>6.0f} MB"
          f"  (largest proc {lp} MB, {r['processes']} procs)")


def throughput(args) -> dict:
    print(f"== throughput: {args.count} stories, {args.workers} workers "
          f"(code_parallel batch {args.batch_size}, nlp.pipe batch {args.nlp_batch_size or 'model default'})")
    a = run_child("spacy", args.count, args)
    print_row("(a) bare nlp.pipe", a)
    b = run_child("eventwire", args.count, args)
    print_row("(b) eventwire code_parallel", b)
    res = {"a": a, "b": b}
    if args.variants:
        c = run_child("eventwire-preloaded", args.count, args)
        print_row("(b') code_parallel, model preloaded", c)
        res["b_preloaded"] = c
        d = run_child("eventwire-warm", args.count, args)
        print_row("(b'') code_parallel, preloaded + warm", d)
        res["b_warm"] = d
        for key, r in (("b_preloaded", c), ("b_warm", d)):
            print(f"  ratio {key}/a = {r['stories_per_s'] / a['stories_per_s']:.3f}")
    ratio = b["stories_per_s"] / a["stories_per_s"]
    res["ratio"] = ratio
    print(f"  ratio b/a = {ratio:.3f}   target ≥ {TARGET_RATIO}   {_ok(ratio >= TARGET_RATIO)}")
    print(f"  peak ΣRSS (b) = {b['peak_rss_mb']:.0f} MB   target ≤ {TARGET_PEAK_RSS_MB} MB with 2 workers   "
          f"{_ok(b['peak_rss_mb'] <= TARGET_PEAK_RSS_MB)}")
    print(f"  events produced by (b): {b['events']}  (problems: {b['problems']})")
    return res


def scaling(args, main_b: dict | None) -> dict:
    base = args.scale_base or max(1, args.count // 4)
    print(f"== scaling: eventwire code_parallel at 1x, 2x, 4x of {base} stories")
    points = []
    for mult in (1, 2, 4):
        n = base * mult
        if main_b and main_b["count"] == n:
            r = main_b
            label = f"{mult}x (= throughput run)"
        else:
            r = run_child("eventwire", n, args)
            label = f"{mult}x"
        print_row(label, r)
        points.append((n, r["seconds"]))
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = sum(xs) / 3, sum(ys) / 3
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x in xs)
    intercept = my - slope * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    r2 = 1 - sum((y - (intercept + slope * x)) ** 2 for x, y in points) / ss_tot if ss_tot else 1.0
    per_story = [y / x for x, y in points]
    growth = per_story[2] / per_story[0]
    linear = abs(growth - 1) <= LINEAR_TOLERANCE or (r2 >= 0.98 and intercept >= 0)
    print(f"  fit: t = {intercept:.2f} s + {slope * 1000:.1f} ms × stories   R² = {r2:.4f}")
    print(f"  per-story time 4x / 1x = {growth:.3f}  (1.0 = perfectly linear; <1 = fixed start-up amortised)"
          f"   linear: {_ok(linear)}")
    return {"points": points, "slope_s_per_story": slope, "intercept_s": intercept, "r2": r2,
            "per_story_growth_4x": growth, "linear": linear}


# --------------------------------------------------------------------------- stage cost

def stage_cost(args) -> dict:
    """Run the pipeline by hand, component by component over the same batches nlp.pipe would use,
    timing each; report each relative to parsing (tokenizer + the model's own components)."""
    from eventwire.pipeline import Coder

    n = args.stage_count
    arts, source = corpus(n, args.input, args.date)
    coder = Coder()
    names = [name for name, _ in coder.nlp.pipeline]
    totals = defaultdict(float)

    def run(batch, record: bool):
        t = time.perf_counter()
        docs = [coder.make_doc(a) for a in batch]
        t1 = time.perf_counter()
        if record:
            totals["make_doc (tokenizer)"] += t1 - t
        for name, proc in coder.nlp.pipeline:
            t = time.perf_counter()
            if hasattr(proc, "pipe"):
                docs = list(proc.pipe(docs, batch_size=len(batch)))
            else:
                docs = [proc(d) for d in docs]
            if record:
                totals[name] += time.perf_counter() - t
        t = time.perf_counter()
        for d in docs:
            coder.code_doc(d)
        if record:
            totals["code_doc (assemble records)"] += time.perf_counter() - t

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

def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", "-n", type=int, default=2000, help="stories in the throughput run (default 2000)")
    ap.add_argument("--workers", "-w", type=int, default=2, help="worker processes for (a) and (b) (default 2)")
    ap.add_argument("--batch-size", type=int, default=None,
                    help="code_parallel batch size (default: pipeline.BATCH_SIZE, the CLI's)")
    ap.add_argument("--nlp-batch-size", type=int, default=None,
                    help="batch size for bare nlp.pipe (default: the model's own, nlp.batch_size)")
    ap.add_argument("--input", help="stories to repeat: .txt, folder or .jsonl (default: the sample corpus)")
    ap.add_argument("--date", default="2015-11-25", help="publication date for stories without one")
    ap.add_argument("--scale-base", type=int, default=None, help="scaling base size (default count/4)")
    ap.add_argument("--no-scaling", action="store_true", help="skip the 1x/2x/4x scaling run")
    ap.add_argument("--variants", action="store_true",
                    help="also time code_parallel with the model preloaded (and warmed up) in the parent before forking")
    ap.add_argument("--profile", action="store_true", help="pyinstrument over the single-process coding path")
    ap.add_argument("--profile-count", type=int, default=100, help="stories to profile (default 100)")
    ap.add_argument("--profile-html", help="also write pyinstrument's HTML report here")
    ap.add_argument("--top", type=int, default=15, help="hot spots to list (default 15)")
    ap.add_argument("--stage-cost", action="store_true", help="time each pipeline component vs parsing")
    ap.add_argument("--stage-count", type=int, default=200, help="stories for --stage-cost (default 200)")
    ap.add_argument("--throughput", action="store_true",
                    help="run the throughput/scaling bench too when --profile/--stage-cost is given")
    ap.add_argument("--json", help="write all results as JSON to this file")
    ap.add_argument("--_child", help=argparse.SUPPRESS)
    ap.add_argument("--_out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.batch_size is None:
        from eventwire.pipeline import BATCH_SIZE
        args.batch_size = BATCH_SIZE

    if args._child:
        Path(args._out).write_text(json.dumps(child_measure(args._child, args)))
        return

    _, source = corpus(1, args.input, args.date)
    print(f"eventwire bench — input: {source}; python {sys.version.split()[0]}; "
          f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    results: dict = {}
    if args.throughput or not (args.profile or args.stage_cost):
        results["throughput"] = throughput(args)
        if not args.no_scaling:
            results["scaling"] = scaling(args, results["throughput"]["b"])
    if args.stage_cost:
        results["stage_cost"] = stage_cost(args)
    if args.profile:
        results["profile"] = profile(args)
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (timings are noisy when this exceeds the CPU count)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
