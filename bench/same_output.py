"""Record what `eventwire code|places|times` print on the samples and the evaluation inputs.

A refactoring that must not change behaviour runs this before and after and diffs the two folders:

    python3 bench/same_output.py --cmd "env PYTHONPATH=src .venv/bin/eventwire" OUT_BEFORE
    ... change ...
    python3 bench/same_output.py --cmd "env PYTHONPATH=src .venv/bin/eventwire" OUT_AFTER
    diff -r OUT_BEFORE OUT_AFTER && echo same

The inputs are built the way /work/shared/eval/score.py builds them (same fields, same dates), so
the outputs are the ones the scorers read.  Standard library only; the project runs as a command.
"""
import argparse
import json
import shlex
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "src" / "eventwire" / "samples"
EVAL = Path("/work/shared/eval/data")
# Dates score.py gives the modality items of sources whose rows carry none (a story without a
# date is dated by the day of the run, which would make two runs differ across midnight).
SOURCE_DATES = {"plover_gsr.jsonl": "2000-01-01", "geo_gwn_articles.jsonl": "2018-06-01"}


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def story_inputs():
    gold = json.loads((EVAL / "stories_gold.json").read_text(encoding="utf-8"))
    texts = {}
    for file in {s["file"] for s in gold["stories"]}:
        texts |= {r["id"]: r["text"] for r in read_jsonl(EVAL / file)}
    return [{"id": s["id"], "text": texts[s["id"]], "date": s["date"]} for s in gold["stories"]]


def modality_inputs():
    items = read_jsonl(EVAL / "modality_gold.jsonl")
    articles = {}
    for source in sorted({i["source"] for i in items}):
        wanted = {i["article_id"] for i in items if i["source"] == source}
        for row in read_jsonl(EVAL / source):
            if row["id"] in wanted:
                date_ = row.get("date") or SOURCE_DATES.get(source)
                articles[row["id"]] = {"id": row["id"], "text": row["text"], **({"date": date_} if date_ else {})}
    return list(articles.values())


def plover_inputs():
    return [{"id": g["id"], "text": g["text"], "date": "2000-01-01"} for g in read_jsonl(EVAL / "plover_gsr.jsonl")]


def synthetic_inputs(limit):
    return [{"id": s["id"], "title": s["title"], "text": s["text"], "date": "2023-10-19"}
            for s in read_jsonl(EVAL / "plover_synthetic.jsonl")[:limit]]


def geo_inputs(corpus):
    return [{k: a[k] for k in ("id", "title", "text") if a.get(k)}
            for a in read_jsonl(EVAL / f"geo_{corpus}_articles.jsonl")]


def runs(tmp, synthetic):
    """(output name, command arguments) for every run."""
    dates = json.loads((SAMPLES / "dates.json").read_text(encoding="utf-8"))
    for name, date in sorted(dates.items()):
        yield f"sample-{name}.code", ["code", "--date", date, SAMPLES / name]
    yield "seed.code", ["code", "--date", "2015-12-02", EVAL / "seed.txt"]
    yield "stories.code", ["code", write_jsonl(tmp / "stories.jsonl", story_inputs())]
    yield "modality.code", ["code", write_jsonl(tmp / "modality.jsonl", modality_inputs())]
    yield "plover.code", ["code", write_jsonl(tmp / "plover.jsonl", plover_inputs())]
    if synthetic:
        yield "synthetic.code", ["code", write_jsonl(tmp / "synthetic.jsonl", synthetic_inputs(synthetic))]
    for corpus in ("gwn", "geovirus"):
        path = write_jsonl(tmp / f"geo_{corpus}.jsonl", geo_inputs(corpus))
        yield f"geo_{corpus}.places", ["places", path]
    timebank = EVAL / "time_timebank_articles.jsonl"
    yield "timebank.times", ["times", timebank]
    yield "timebank.code", ["code", timebank]
    yield "seed.places", ["places", "--date", "2015-12-02", EVAL / "seed.txt"]
    yield "seed.times", ["times", "--date", "2015-12-02", EVAL / "seed.txt"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for one output file per run")
    parser.add_argument("--cmd", default="eventwire", help="the project command, split with shlex")
    parser.add_argument("--synthetic", type=int, default=300, help="how many synthetic stories (0: none)")
    parser.add_argument("--only", default="", help="only the runs whose output name contains this")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="eventwire-same-") as tmp:
        for name, argv in runs(Path(tmp), args.synthetic):
            if args.only not in name:
                continue
            full = shlex.split(args.cmd) + [str(a) for a in argv]
            proc = subprocess.run(full, capture_output=True, encoding="utf-8", stdin=subprocess.DEVNULL)
            (args.out / name).write_text(proc.stdout, encoding="utf-8")
            status = "" if proc.returncode == 0 else f" exit {proc.returncode}: {proc.stderr[-300:]}"
            print(f"{name}: {proc.stdout.count(chr(10))} lines{status}", flush=True)


if __name__ == "__main__":
    main()
