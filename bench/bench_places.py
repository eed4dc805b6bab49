"""Measure the places stage on GeoWebNews without re-parsing on every iteration.

    .venv/bin/python bench/bench_places.py parse [--set geovirus]   # parse once, cache to /tmp
    .venv/bin/python bench/bench_places.py [--set geovirus] [--limit N] [--show]   # stage only

The parse (nlp.pipe) time is recorded at cache time, so the report can put the stage cost
beside it. Scoring reuses the evaluation harness's own matching (imported from its file),
so the numbers agree with `score.py geo`.
"""
from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

from spacy.tokens import DocBin

from eventwire.article import Article
from eventwire.nlp import load_model

EVAL = Path("/work/shared/eval")
# --set gwn (GeoWebNews, the default) or geovirus: the two toponym sets of the evaluation
SET = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "gwn"
CACHE = Path(f"/tmp/eventwire_{SET}_docs.spacy")
META = Path(f"/tmp/eventwire_{SET}_meta.json")


def read_jsonl(path):
    return [json.loads(line) for line in open(path, encoding="utf-8")]


def parse():
    arts = [Article(id=a["id"], text=a["text"], title=a.get("title"))
            for a in read_jsonl(EVAL / f"data/geo_{SET}_articles.jsonl")]
    nlp = load_model()
    docs = []
    for a in arts:
        d = nlp.make_doc(a.text)
        d._.dateline = a.dateline_span()
        docs.append(d)
    t = time.perf_counter()
    docs = list(nlp.pipe(docs, batch_size=16))
    took = time.perf_counter() - t
    db = DocBin(store_user_data=False)
    for d in docs:
        db.add(d)
    db.to_disk(CACHE)
    META.write_text(json.dumps({"parse_s": took, "ids": [a.id for a in arts],
                                "datelines": [a.dateline_span() for a in arts]}))
    print(f"parsed {len(docs)} articles in {took:.1f} s")


def main():
    limit = None
    if "--limit" in sys.argv:
        limit = int(sys.argv[sys.argv.index("--limit") + 1])
    meta = json.loads(META.read_text())
    nlp = load_model()
    docs = list(DocBin().from_disk(CACHE).get_docs(nlp.vocab))[:limit]
    from eventwire import places
    t0 = time.perf_counter()
    places.gazetteer()
    t_load = time.perf_counter() - t0
    preds = []
    t = time.perf_counter()
    for doc, aid, dl in zip(docs, meta["ids"], meta["datelines"]):
        doc._.dateline = tuple(dl) if dl else None
        places.annotate(doc)
        preds.extend(dict(article_id=aid, **p.to_json()) for p in doc._.places)
    t_stage = time.perf_counter() - t
    print(f"gazetteer load {t_load:.2f} s; stage {t_stage:.2f} s over {len(docs)} docs; "
          f"parse was {meta['parse_s']:.1f} s for {len(meta['ids'])} docs "
          f"(stage = {100 * t_stage / (meta['parse_s'] * len(docs) / len(meta['ids'])):.1f}% of parse)")
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    ids = set(meta["ids"][:len(docs)])
    gold = [g for g in read_jsonl(EVAL / f"data/geo_{SET}_gold.jsonl") if g["article_id"] in ids]
    n = ok = rec = 0
    bad = []
    for g, m in score.match_spans(gold, preds, score.has_coordinates):
        n += 1
        if m is None:
            bad.append(("MISS", g["text"], g["type"], None))
            continue
        rec += 1
        if not score.has_coordinates(m):
            bad.append(("UNRES", g["text"], g["type"], m.get("text")))
            continue
        d = score.km(g["lat"], g["lon"], m["lat"], m["lon"])
        if d <= 161:
            ok += 1
        else:
            bad.append(("FAR", g["text"], g["type"], f"{m['text']}->{m['name']} {m['country']} {round(d)}km"))
    print(f"recall {rec / n:.3f} acc161-matched {ok / max(rec, 1):.3f} acc161-overall {ok / n:.3f} "
          f"predicted {len(preds)} gold {n}")
    if "--show" in sys.argv:
        from collections import Counter
        for (kind, text, typ, m), c in Counter(bad).most_common(150):
            print(c, kind, repr(text), typ, m)


if __name__ == "__main__":
    if sys.argv[1:2] == ["parse"]:
        parse()
    else:
        main()
