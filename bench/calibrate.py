"""Fit and check the confidence of event records (relevance stage).

    .venv/bin/python bench/calibrate.py            # fit on PLOVER, check on stories, print tables
    .venv/bin/python bench/calibrate.py --check    # only the calibration tables, current weights

Fit: the PLOVER gold-standard sentences (../shared/eval/data/plover_gsr.jsonl, the set the
rules were tuned on). A record there counts as right when its type is the sentence's gold
type. A logistic regression over `relevance.features` (L2-regularised, plain numpy) gives the
weights to put under `confidence:` in src/eventwire/data/relevance.yaml.

Check: the whole stories of ../shared/eval/data/stories_gold.json (not tuned on), matched
the way `score.py stories` matches them (a record is right when it matches a gold event,
required or optional, or repeats one). Prints, per confidence band, how many records fall in
it and how many of them are right, and precision/recall at each `--min-confidence` cut, and
the share of mentions each relevance rule removed (stories and the synthetic set).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from eventwire import assemble, relevance
from eventwire.article import Article
from eventwire.pipeline import Coder

def find_eval() -> Path:
    """The shared evaluation folder: $EVENTWIRE_EVAL, or `shared/eval` beside a parent folder."""
    if os.environ.get("EVENTWIRE_EVAL"):
        return Path(os.environ["EVENTWIRE_EVAL"])
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "eval").is_dir():
            return parent / "shared" / "eval"
    return Path(__file__).resolve().parents[2] / "shared" / "eval"


EVAL = find_eval()
DATA = EVAL / "data"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def plover_rows(coder: Coder) -> tuple[list[str], np.ndarray, np.ndarray, list[tuple[int, float, bool]]]:
    """Features and labels of every PLOVER record, and (sentence, confidence, right) rows."""
    rows = read_jsonl(DATA / "plover_gsr.jsonl")
    arts = [Article(id=r["id"], text=r["text"], date="2000-01-01", meta={"format": "jsonl"}) for r in rows]
    names: list[str] = []
    xs, ys, scored = [], [], []
    for n, (row, doc) in enumerate(zip(rows, coder.docs(arts))):
        for e in doc._.events:
            f = relevance.features(doc, e)
            names = list(f)
            xs.append([f[k] for k in names])
            ys.append(1.0 if e.type == row["type"] else 0.0)
            scored.append((n, e.confidence, e.type == row["type"]))
    return names, np.array(xs), np.array(ys), scored


def plover_cuts(scored: list[tuple[int, float, bool]], sentences: int = 322) -> None:
    """Type precision / recall / F1 on PLOVER at each --min-confidence: how the default is chosen."""
    print(f"\nPLOVER (visible set): type precision/recall at each --min-confidence")
    print(f"{'min-conf':>8} {'records':>8} {'precision':>9} {'recall':>7} {'F1':>5}")
    for cut in (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        kept = [(n, right) for n, c, right in scored if c >= cut]
        if not kept:
            continue
        prec = sum(r for _, r in kept) / len(kept)
        rec = len({n for n, r in kept if r}) / sentences
        print(f"{cut:>8.1f} {len(kept):>8} {prec:>9.2f} {rec:>7.2f} {2 * prec * rec / (prec + rec):>5.2f}")


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 3000, rate: float = 0.5) -> tuple[float, np.ndarray]:
    w = np.zeros(x.shape[1])
    b = 0.0
    n = len(y)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        w -= rate * ((x.T @ (p - y)) / n + l2 * w / n)
        b -= rate * float(np.mean(p - y))
    return b, w


def story_labels(coder: Coder) -> tuple[list[tuple[float, str]], Counter, int]:
    """(confidence, label) of every kept record; labels of dropped mentions per rule."""
    sys.path.insert(0, str(EVAL))
    import score  # the evaluation harness's own matching

    gold = json.loads((DATA / "stories_gold.json").read_text(encoding="utf-8"))
    texts = {}
    for f in {s["file"] for s in gold["stories"]}:
        texts |= {r["id"]: r["text"] for r in read_jsonl(DATA / f)}
    arts = [Article(id=s["id"], text=texts[s["id"]], date=s["date"], meta={"format": "jsonl"})
            for s in gold["stories"]]
    kept: list[tuple[float, str]] = []
    removed: Counter = Counter()
    required = 0
    for s, doc in zip(gold["stories"], coder.docs(arts)):
        required += sum(1 for ev in s["events"] if ev["required"])
        items = [(assemble.to_record(doc, e), None) for e in doc._.events] + \
                [(assemble.to_record(doc, e), rule) for e, rule in doc._.dropped_events]
        matched, dups, fps = score.match_story(s["events"], [r for r, _ in items], texts[s["id"]])
        req_keys = {ev["key"] for ev in s["events"] if ev["required"]}
        label = {i: ("required" if k in req_keys else "optional") for k, (i, _, _) in matched.items()}
        label |= {i: "repeat" for i, _ in dups} | {i: "false" for i in fps}
        for i, (rec, rule) in enumerate(items):
            if rule is None:
                kept.append((rec["confidence"], label[i]))
            else:
                removed[(rule, label[i])] += 1
    return kept, removed, required


def synthetic_removed(coder: Coder, limit: int) -> Counter:
    rows = read_jsonl(DATA / "plover_synthetic.jsonl")[:limit]
    arts = [Article(id=str(i), text=r["text"], date="2000-01-01", meta={"format": "jsonl"}) for i, r in enumerate(rows)]
    out: Counter = Counter()
    for doc in coder.docs(arts):
        out["kept"] += len(doc._.events)
        for _, rule in doc._.dropped_events:
            out[rule] += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only check the current weights")
    ap.add_argument("--synthetic", type=int, default=1000, help="synthetic stories for the rule shares")
    args = ap.parse_args()
    coder = Coder()
    names, x, y, scored = plover_rows(coder)
    plover_cuts(scored)
    if not args.check:
        b, w = fit(x, y)
        print(f"fitted on {len(y)} PLOVER records ({int(y.sum())} right); paste under `confidence:`")
        print(f"  intercept: {b:.2f}")
        for k, v in zip(names, w):
            print(f"  {k}: {v:.2f}")
    kept, removed, required = story_labels(coder)
    print("\nstories: calibration of kept records (right = matches a gold event or repeats one)")
    print(f"{'confidence':>12} {'records':>8} {'right':>6}")
    for lo, hi in ((0, .3), (.3, .5), (.5, .6), (.6, .7), (.7, .8), (.8, .9), (.9, 1.01)):
        xs = [lab for c, lab in kept if lo <= c < hi]
        if xs:
            print(f"{lo:>5.1f}-{min(hi, 1):<5.1f} {len(xs):>8} {sum(lab != 'false' for lab in xs) / len(xs):>6.2f}")
    print(f"\n{'min-conf':>8} {'records':>8} {'precision':>9} {'recall':>7}")
    for cut in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        xs = [lab for c, lab in kept if c >= cut]
        if xs:
            prec = sum(lab != "false" for lab in xs) / len(xs)
            rec = sum(lab == "required" for lab in xs) / required
            print(f"{cut:>8.1f} {len(xs):>8} {prec:>9.2f} {rec:>7.2f}")
    total = len(kept) + sum(removed.values())
    print(f"\nstories: mentions removed by each rule (of {total} coded mentions)")
    for rule in relevance.RULES:
        n = sum(v for (r, _), v in removed.items() if r == rule)
        false = removed[(rule, "false")]
        req = removed[(rule, "required")]
        print(f"  {rule:<26} {n:>4} ({n / total:.1%}): {false} false, {req} required events lost")
    syn = synthetic_removed(coder, args.synthetic)
    total = sum(syn.values())
    print(f"\nsynthetic (first {args.synthetic} stories): mentions removed by each rule (of {total})")
    for rule in relevance.RULES:
        print(f"  {rule:<26} {syn[rule]:>4} ({syn[rule] / max(total, 1):.1%})")


if __name__ == "__main__":
    main()
