"""Load check of a running server: N API requests at concurrency C, errors and latency.

    python -m eventwire.server.bench http://127.0.0.1:8000 [--requests 2000] [--concurrency 8]

The requests mix what the dashboard asks (lists with filters, aggregates, the map, meta) with
single events, clusters and articles picked at random from the database (fixed seed).
"""
from __future__ import annotations

import argparse
import random
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

LISTS = ["/api/events", "/api/events?type=ASSAULT", "/api/events?status=claimed,denied&sort=-published",
         "/api/events?country=SYR,IRQ", "/api/events?q=army", "/api/clusters", "/api/clusters?status=denied",
         "/api/articles?type=PROTEST", "/api/stats/timeline?interval=auto", "/api/stats/country?limit=500",
         "/api/stats/type", "/api/stats/status", "/api/map", "/api/meta", "/api/health",
         "/api/events?actor=police&format=csv", "/api/stats/timeline?interval=auto&type=ASSAULT"]


def plan(client: httpx.Client, n: int, seed: int = 1) -> list[str]:
    keys = [e["links"]["api"] for e in client.get("/api/events?limit=200").json()["items"]]
    clusters = [k["links"]["api"] for k in client.get("/api/clusters?limit=100").json()["items"]]
    articles = [a["links"]["api"] for a in client.get("/api/articles?limit=50").json()["items"]]
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        r = rnd.random()
        pool = keys if r < 0.15 else clusters if r < 0.22 else articles if r < 0.30 else LISTS
        out.append(rnd.choice(pool or LISTS))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("url")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    client = httpx.Client(base_url=args.url.rstrip("/"), timeout=30)
    urls = plan(client, args.requests)

    def one(u: str) -> tuple[bool, float, str]:
        t = time.perf_counter()
        try:
            ok = client.get(u).status_code == 200
        except httpx.HTTPError:
            ok = False
        return ok, (time.perf_counter() - t) * 1000, u

    t0 = time.perf_counter()
    with ThreadPoolExecutor(args.concurrency) as ex:
        res = list(ex.map(one, urls))
    wall = time.perf_counter() - t0
    lat = sorted(x[1] for x in res)
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]  # noqa: E731
    errors = [u for ok, _, u in res if not ok]
    print(f"{len(res)} requests at concurrency {args.concurrency} in {wall:.1f} s: {len(errors)} errors, "
          f"p50 {q(.50):.0f} ms, p95 {q(.95):.0f} ms, p99 {q(.99):.0f} ms, max {lat[-1]:.0f} ms")
    for u in errors[:5]:
        print("  error:", u)


if __name__ == "__main__":
    main()
