#!/usr/bin/env python3
"""Does the pre-pass lose or change any record? (issue 19, item 2)

    python bench/prepass_diff.py                       # seed, stories, plover, synthetic (first 500)
    python bench/prepass_diff.py --limit 0             # synthetic: all 4,500 stories
    python bench/prepass_diff.py --sets seed,plover --workers 1
    python bench/prepass_diff.py --sentences 200        # what a sentence-level pre-pass could skip

Runs `eventwire code` (the console script next to this python) twice on the inputs of the
scorer's sets, read at run time from the evaluation folder (--eval-dir, default
../shared/eval next to the repository): once with EVENTWIRE_PREPASS=0 (or the --baseline
variables), once as it runs by default (pre-pass on).
Records are compared whole (every field, as printed); a record counts as a difference when it
is in one run only or differs in any field. Prints, per set, the stories, the stories the
pre-pass finds no possible trigger in (the ones it skips), the records of each run and the
difference count, and lists every differing record. Exit status 1 when any set differs.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = next((p for p in (ROOT.parent / "shared" / "eval", Path("/work/shared/eval")) if p.is_dir()),
                ROOT.parent / "shared" / "eval")
EVENTWIRE = Path(sys.executable).with_name("eventwire")
SETS = ("seed", "stories", "plover", "synthetic")
SWITCHES = ("EVENTWIRE_PREPASS", "EVENTWIRE_SPACY_RULER")   # unset in the default run


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def inputs(name: str, data: Path, limit: int) -> tuple[list[str], list[dict] | None]:
    """(extra `eventwire code` arguments, the stories as JSONL rows or None for a plain file),
    built the way the scorer builds them."""
    if name == "seed":
        gold = json.loads((data / "seed_gold.json").read_text(encoding="utf-8"))
        return ["--date", gold["date"], str(data / gold["article"])], None
    if name == "stories":
        gold = json.loads((data / "stories_gold.json").read_text(encoding="utf-8"))
        stories = gold["stories"] if isinstance(gold, dict) else gold
        texts: dict[str, str] = {}
        for file in {s.get("file") for s in stories if s.get("file")} or \
                {"time_timebank_articles.jsonl", "geo_gwn_articles.jsonl"}:
            texts |= {r["id"]: r["text"] for r in _jsonl(data / file)}
        return [], [{"id": s["id"], "text": texts[s["id"]], "date": s["date"]} for s in stories]
    if name == "plover":
        return [], [{"id": g["id"], "text": g["text"], "date": "2000-01-01"}
                    for g in _jsonl(data / "plover_gsr.jsonl")]
    if name == "synthetic":
        rows = _jsonl(data / "plover_synthetic.jsonl")
        rows = rows[:limit] if limit else rows
        return [], [{"id": s["id"], "title": s["title"], "text": s["text"], "date": "2023-10-19"}
                    for s in rows]
    raise ValueError(name)


def run_code(args: list[str], baseline: dict[str, str] | None, workers: int) -> tuple[list[dict], float]:
    """`eventwire code` with the baseline's variables set (None: as it runs by default)."""
    env = {k: v for k, v in os.environ.items() if k not in SWITCHES}
    env.update(baseline or {})
    t = time.monotonic()
    out = subprocess.run([str(EVENTWIRE), "code", "-w", str(workers), *args], env=env,
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()], time.monotonic() - t


def differences(off: list[dict], on: list[dict]) -> list[tuple[str, dict | None, dict | None]]:
    """(why, record without the pre-pass, record with it) for every record not in both runs alike."""
    def keyed(records):
        out: dict[tuple, list[str]] = {}
        for r in records:
            out.setdefault((r["article_id"], r["id"]), []).append(json.dumps(r, sort_keys=True))
        return out
    a, b = keyed(off), keyed(on)
    diffs = []
    for key in sorted(set(a) | set(b)):
        left, right = sorted(a.get(key, [])), sorted(b.get(key, []))
        if left == right:
            continue
        for i in range(max(len(left), len(right))):
            x = json.loads(left[i]) if i < len(left) else None
            y = json.loads(right[i]) if i < len(right) else None
            if x != y:
                why = "only in the baseline" if y is None else "only by default" if x is None else "fields differ"
                diffs.append((why, x, y))
    return diffs


def skipped_stories(rows: list[dict] | None, path: str | None) -> tuple[int, int]:
    """(stories, stories the pre-pass finds no possible trigger in), counted in this process."""
    sys.path.insert(0, str(ROOT / "src"))
    from eventwire.nlp import load_model
    from eventwire.prepass import PrePass
    nlp = load_model()
    prepass = PrePass(nlp)
    texts = [r["text"] for r in rows] if rows is not None else [Path(path).read_text(encoding="utf-8")]
    return len(texts), sum(not prepass.can_hold_event(nlp.make_doc(t)) for t in texts)


def sentence_selectivity(rows: list[dict]) -> tuple[int, float, float]:
    """(sentences, share with a possible trigger, share with one or next to one): what a
    sentence-level pre-pass could leave unparsed, with rule-based sentence splits."""
    sys.path.insert(0, str(ROOT / "src"))
    import spacy
    from eventwire.nlp import load_model
    from eventwire.prepass import PrePass
    nlp = load_model()
    prepass = PrePass(nlp)
    splitter = spacy.blank("en").add_pipe("sentencizer")
    total = hit = near = 0
    for row in rows:
        flags = [prepass.can_hold_event(s.as_doc()) for s in splitter(nlp.make_doc(row["text"])).sents]
        total += len(flags)
        hit += sum(flags)
        near += sum(any(flags[max(0, i - 1):i + 2]) for i in range(len(flags)))
    return total, hit / max(total, 1), near / max(total, 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default=",".join(SETS), help=f"comma-separated, of {', '.join(SETS)}")
    ap.add_argument("--limit", type=int, default=500, help="synthetic stories (0 = all; default 500)")
    ap.add_argument("--workers", "-w", type=int, default=2)
    ap.add_argument("--eval-dir", default=str(EVAL_DIR))
    ap.add_argument("--show", type=int, default=20, help="differences listed per set (default 20)")
    ap.add_argument("--baseline", default="EVENTWIRE_PREPASS=0", metavar="VAR=VALUE[,VAR=VALUE]",
                    help="the variables of the run compared with the default one (default: the "
                         "pre-pass off; EVENTWIRE_SPACY_RULER=1 compares spaCy's own attribute "
                         "ruler matching with eventwire's table lookup)")
    ap.add_argument("--sentences", type=int, default=0, metavar="N",
                    help="instead: for N stories of each mixed-stream source, the share of "
                         "sentences a sentence-level pre-pass would have to parse")
    args = ap.parse_args()
    data = Path(args.eval_dir) / "data"
    if not data.is_dir():
        data = Path("/work/shared/eval/data")
    if args.sentences:
        for file in ("geo_gwn_articles.jsonl", "geo_geovirus_articles.jsonl", "plover_synthetic.jsonl"):
            n, hit, near = sentence_selectivity(_jsonl(data / file)[:args.sentences])
            print(f"{file:30} sentences {n:5}  with a possible trigger {hit:.0%}  "
                  f"with one or next to one {near:.0%}")
        return 0
    baseline = dict(item.split("=", 1) for item in args.baseline.split(",") if item)
    print(f"baseline run: {' '.join(f'{k}={v}' for k, v in baseline.items())}; compared with the default")
    total = 0
    with tempfile.TemporaryDirectory(prefix="eventwire-prepass-") as tmp:
        for name in args.sets.split(","):
            extra, rows = inputs(name.strip(), data, args.limit)
            if rows is not None:
                path = Path(tmp) / f"{name}.jsonl"
                path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                encoding="utf-8")
                extra = [str(path)]
            stories, skipped = skipped_stories(rows, extra[-1])
            off, t_off = run_code(extra, baseline, args.workers)
            on, t_on = run_code(extra, None, args.workers)
            diffs = differences(off, on)
            total += len(diffs)
            print(f"{name:10} stories {stories:5}  no possible trigger {skipped:4}  records baseline {len(off):5} "
                  f"default {len(on):5}  differences {len(diffs)}   ({t_off:.1f} s baseline, {t_on:.1f} s default)")
            for why, x, y in diffs[:args.show]:
                r = x or y
                print(f"    {why}: {r['article_id']} {r['type']} {r['trigger']}")
    print(f"total differences: {total}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
