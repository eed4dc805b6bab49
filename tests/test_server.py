"""Web UI and JSON API (eventwire.server): every endpoint, filters, bad parameters, escaping.

The database is made with the store's own ingest and the stand-in coder of
tests/fixtures/store_fakecoder.py (records from a tiny `@ev TYPE key=value` markup), so these
tests are fast and exact; tests/test_browser.py drives the UI in a real browser over a
database coded by the real coder.
"""
from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import duckdb
import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))

from store_fakecoder import fake_coder  # noqa: E402

from eventwire import store  # noqa: E402

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from eventwire.server import create_app  # noqa: E402

STATIC = Path(__file__).resolve().parents[1] / "src" / "eventwire" / "server" / "static"
XSS = "<script>alert(1)</script>"

STORIES = {
    "baghdad-blast.txt": ("2020-03-05", [
        "Blast in Baghdad kills three",
        "",
        "BAGHDAD (AP) -- A bomb went off on Tuesday.",
        "@ev ASSAULT a=IRQ an=Islamic_State as=REB r=IRQ rn=Iraqi_police d=2020-03-03 p=Baghdad "
        "lat=33.34 lon=44.40 pc=IRQ g=98182 k=3 mode=bombing s=claimed",
        "@ev ACCUSE a=USA an=United_States r=IRN d=2020-03-04 s=asserted",
    ]),
    "baghdad-denial.txt": ("2020-03-06", [
        "Group denies Baghdad bombing",
        "",
        "BAGHDAD (Reuters) -- The group said it had nothing to do with it.",
        "@ev ASSAULT a=IRQ an=Islamic_State as=REB r=IRQ rn=Iraqi_police d=2020-03-03 p=Baghdad "
        "lat=33.34 lon=44.40 pc=IRQ g=98182 k=3 mode=bombing s=denied",
    ]),
    "paris-protest.txt": ("2023-03-24", [
        "Strikes in Paris",
        "",
        "PARIS -- Thousands marched against the pension reform.",
        "@ev PROTEST a=FRA an=unions as=CVL r=FRA rn=government d=2023-03-23 p=Paris lat=48.85 "
        "lon=2.35 pc=FRA g=2988507 s=asserted",
        "@ev THREATEN a=FRA an=unions r=FRA d=2023-04-10 s=threatened",
    ]),
    "sudan-talks.txt": ("2023-05-21", [
        "Ceasefire talks in Jeddah",
        "",
        "JEDDAH -- Envoys met for talks.",
        "@ev CONSULT a=SDN an=Sudanese_army r=SDN rn=RSF d=2023-05-20 p=Jeddah lat=21.54 lon=39.17 "
        "pc=SAU g=105343 s=intended",
    ]),
    "no-events.txt": ("2019-01-01", ["Quiet day", "", "Nothing happened at all."]),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    dates = {}
    for name, (d, lines) in STORIES.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        dates[name] = d
    (folder / "dates.json").write_text(json.dumps(dates), encoding="utf-8")
    # a story built to break a careless page: markup in the title, text and ids, a javascript: URL
    (folder / "hostile.jsonl").write_text(json.dumps({
        "id": "wire/1 <b>&amp;", "date": "2021-06-01", "source": XSS,
        "title": f"{XSS} headline <img src=x onerror=alert(2)>",
        "url": "javascript:alert(3)",
        "text": f"{XSS} headline\n\n@ev ASSAULT a=SYR an=<i>Someone</i> p=Idlib lat=35.9 lon=36.6 "
                f"pc=SYR s=unconfirmed\n<img src=x onerror=alert(2)> and more text.",
    }) + "\n", encoding="utf-8")
    path = tmp_path_factory.mktemp("db") / "ui.duckdb"
    old = os.environ.get("EVENTWIRE_CODER_VERSION")
    os.environ["EVENTWIRE_CODER_VERSION"] = "test"
    try:
        s = store.ingest_paths([str(folder)], db_path=str(path), workers=1, summary=False,
                               err=io.StringIO(), coder=fake_coder())
    finally:
        if old is None:
            os.environ.pop("EVENTWIRE_CODER_VERSION", None)
        else:
            os.environ["EVENTWIRE_CODER_VERSION"] = old
    assert s.skipped == 0 and s.new == 6, s.to_json()
    return path


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def get(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.text[:500])
    return r.json() if "json" in r.headers.get("content-type", "") else r


def total(client, query):
    return get(client, f"/api/events?{query}")["total"]


def detail_msg(r) -> str:
    return json.dumps(r.json()["detail"])


# ---------------------------------------------------------------------------------------------
# events

def test_health_index_meta(client):
    h = get(client, "/api/health")
    assert h["ok"] and h["articles"] == 6 and h["events"] == 7
    idx = get(client, "/api")
    assert "/api/events" in idx["endpoints"] and "/api/articles/{article_id}" in idx["endpoints"]
    m = get(client, "/api/meta")
    assert m["counts"] == {"articles": 6, "events": 7, "clusters": m["counts"]["clusters"]}
    assert {c["key"] for c in m["countries"]} >= {"IRQ", "USA", "IRN", "FRA", "SDN", "SAU", "SYR"}
    assert next(c for c in m["countries"] if c["key"] == "FRA")["name"] == "France"
    assert [s["key"] for s in m["statuses"]][:2] == ["asserted", "claimed"]
    assert m["event_dates"] == {"min": "2020-03-03", "max": "2023-05-20"}


def test_events_list_shape_and_paging(client):
    res = get(client, "/api/events?limit=3&sort=date")
    assert res["total"] == 7 and len(res["items"]) == 3 and res["offset"] == 0
    assert res["prev"] is None and "offset=3" in res["next"]
    ev = res["items"][0]
    for k in ("event_key", "id", "article_id", "trigger", "type", "status", "actors", "recipients",
              "location", "date", "size", "attributed_to", "article", "links", "event_date"):
        assert k in ev
    assert isinstance(ev["event_key"], str) and ev["event_key"].isdigit()   # 63-bit: a string
    dates = [e["event_date"] for e in get(client, "/api/events?sort=date&limit=500")["items"]]
    assert dates == sorted(dates)
    dates = [e["event_date"] for e in get(client, "/api/events?sort=-date")["items"]]
    assert dates == sorted(dates, reverse=True)
    page2 = get(client, res["next"])
    assert page2["offset"] == 3 and not ({e["event_key"] for e in page2["items"]}
                                         & {e["event_key"] for e in res["items"]})
    keys = set()
    for off in range(0, 7, 2):
        keys |= {e["event_key"] for e in get(client, f"/api/events?limit=2&offset={off}&sort=type")["items"]}
    assert len(keys) == 7                        # stable order: paging sees every event once


@pytest.mark.parametrize("query,expected", [
    ("type=ASSAULT", 3),
    ("type=assault", 3),
    ("type=ASSAULT,PROTEST", 4),
    ("type=ASSAULT&type=PROTEST", 4),
    ("mode=bombing", 2),
    ("status=claimed", 1),
    ("status=claimed,denied", 2),
    ("country=IRQ", 2),              # actor, recipient or place
    ("country=IRN", 1),              # only as a recipient
    ("actor_country=USA", 1),
    ("recipient_country=IRN", 1),
    ("actor_country=irn", 0),
    ("location_country=SAU", 1),
    ("country=SAU", 1),
    ("country=SDN&location_country=SAU", 1),
    ("place=baghdad", 2),
    ("place=98182", 2),
    ("date_from=2023-01-01", 3),
    ("date_to=2020-12-31", 3),
    ("date_from=2020-03-04&date_to=2020-03-04", 1),
    ("published_from=2020-03-06&published_to=2020-03-06", 1),
    ("q=jeddah", 1),                 # article text
    ("q=ISLAMIC STATE", 2),          # actor name
    ("q=pension", 2),                # article text: both events of that story
    ("trigger=@ev", 7),
    ("trigger=nothing", 0),
    ("has_location=true", 5),
    ("has_location=false", 2),
    ("article=paris-protest", 2),
    ("type=ASSAULT&status=denied&country=IRQ", 1),
])
def test_event_filters(client, query, expected):
    assert total(client, query) == expected, query


def test_cluster_filter_and_contested(client):
    ev = get(client, "/api/events?status=denied")["items"][0]
    cid = ev["cluster_id"]
    assert cid and total(client, f"cluster={cid}") >= 1
    cl = get(client, f"/api/clusters/{cid}")
    assert cl["cluster_id"] == cid and any(e["event_key"] == ev["event_key"] for e in cl["events"])
    assert all(e["links"]["html"].startswith("/events/") for e in cl["events"])


@pytest.mark.parametrize("query,param,words", [
    ("type=FOO", "type", "not one of"),
    ("status=rumoured", "status", "not one of"),
    ("country=US", "country", "alpha-3"),
    ("actor_country=1RQ", "actor_country", "alpha-3"),
    ("date_from=2020-02-30", "date_from", "not a date"),
    ("date_to=yesterday", "date_to", "not a date"),
    ("date_from=2021-01-01&date_to=2020-01-01", "date_to", "before"),
    ("sort=colour", "sort", "not a sort key"),
    ("sort=-", "sort", "not a sort key"),
    ("limit=0", "limit", ""),
    ("limit=501", "limit", "500"),
    ("limit=ten", "limit", ""),
    ("offset=-1", "offset", ""),
    ("offset=99999999", "offset", ""),
    ("has_location=maybe", "has_location", ""),
    ("cluster=abc", "cluster", "key"),
    ("tpye=ASSAULT", "tpye", "unknown parameter"),
    ("q=" + "x" * 201, "q", ""),
    ("type=" + ",".join(["ASSAULT"] * 51), "type", "at most"),
])
def test_bad_event_parameters(client, query, param, words):
    r = client.get(f"/api/events?{query}")
    assert r.status_code == 422, (query, r.status_code, r.text[:300])
    detail = r.json()["detail"]
    assert any(param in d["loc"] for d in detail), detail
    assert words.lower() in detail_msg(r).lower()


def test_bad_paths_and_other_endpoints(client):
    assert client.get("/api/events/notanumber").status_code == 422
    assert client.get("/api/events/99999999999999999999").status_code == 422
    assert client.get("/api/events/12345").status_code == 404
    assert client.get("/api/articles/no-such-story").status_code == 404
    assert client.get("/api/clusters/1").status_code == 404
    r = client.get("/api/stats/colour")
    assert r.status_code == 404 and "timeline" in r.json()["detail"]
    assert client.get("/api/stats/timeline?interval=hour").status_code == 422
    assert client.get("/api/stats/timeline?date_field=ingested").status_code == 422
    assert client.get("/api/articles?sort=length").status_code == 422
    assert client.get("/api/articles?date_from=2020-01-01&date_to=2019-01-01").status_code == 422
    assert client.get("/api/clusters?status=sure").status_code == 422
    assert client.get("/api/clusters?min_stories=0").status_code == 422
    assert client.get("/api/map?limit=0").status_code == 422
    assert client.get("/api/nothing-here").status_code == 404
    assert client.get("/?format=xml").status_code == 422


def test_event_detail_with_evidence(client):
    key = get(client, "/api/events?status=claimed")["items"][0]["event_key"]
    ev = get(client, f"/api/events/{key}")
    assert ev["event_key"] == key and ev["type"] == "ASSAULT" and ev["size"]["killed"] == 3
    art = get(client, f"/api/articles/{ev['article_id']}")
    sn = ev["evidence"]["snippet"]
    assert art["text"][sn["start"]:sn["end"]] == sn["text"] and "@ev ASSAULT" in sn["text"]
    spans = {s["role"]: s for s in ev["evidence"]["spans"]}
    assert set(spans) >= {"trigger", "actor", "recipient", "place", "date"}
    for s in ev["evidence"]["spans"]:
        # the stand-in coder's date span claims "on Tuesday" over the 3 characters "@ev":
        # a span whose text is not the article's text there is flagged, not trusted
        assert s["ok"] == (art["text"][s["start"]:s["end"]] == s["text"]), s
        assert s["ok"] == (s["role"] != "date"), s
    assert spans["actor"]["name"] == "Islamic State" and spans["place"]["country"] == "IRQ"
    assert ev["links"]["article"] == "/articles/baghdad-blast"
    assert ev["cluster"]["n_events"] >= 1


# ---------------------------------------------------------------------------------------------
# articles, clusters, aggregates

def test_articles_list_and_detail(client):
    res = get(client, "/api/articles")
    assert res["total"] == 6
    assert [a["date"] for a in res["items"]] == sorted((a["date"] for a in res["items"]), reverse=True)
    assert get(client, "/api/articles?q=pension")["total"] == 1
    assert get(client, "/api/articles?has_events=false")["items"][0]["id"] == "no-events"
    assert get(client, "/api/articles?date_from=2023-01-01")["total"] == 2
    assert get(client, "/api/articles?outlet=Reuters")["total"] == 1
    assert [a["n_events"] for a in get(client, "/api/articles?sort=-events&limit=1")["items"]] == [2]
    a = get(client, "/api/articles/paris-protest")
    assert a["title"] == "Strikes in Paris" and len(a["events"]) == 2 and a["text"].startswith("Strikes")
    assert {s["role"] for s in a["spans"]} >= {"trigger", "actor", "recipient", "place", "date"}
    cues = [s for s in get(client, "/api/articles/baghdad-denial")["spans"] if s["role"] == "cue"]
    assert cues and all(c["status"] == "denied" and c["ok"] for c in cues)   # "denied" in its sentence
    assert all(s["event_key"] in {e["event_key"] for e in a["events"]} for s in a["spans"])
    assert a["places"] and a["times"]
    assert "path" not in a                          # no server file paths in the API


def test_article_id_with_slash_and_markup(client, db):
    aid = "wire/1 <b>&amp;"
    listed = [a for a in get(client, "/api/articles?q=headline")["items"]]
    assert [a["id"] for a in listed] == [aid]
    assert listed[0]["links"]["api"] == "/api/articles/" + quote(aid, safe="")
    a = get(client, listed[0]["links"]["api"])
    assert a["id"] == aid and len(a["events"]) == 1
    page = client.get(listed[0]["links"]["html"])
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]


def test_clusters(client):
    res = get(client, "/api/clusters?sort=-stories")
    assert res["total"] >= 5
    assert all(isinstance(c["cluster_id"], str) for c in res["items"])
    assert get(client, "/api/clusters?type=PROTEST")["total"] == 1
    assert get(client, "/api/clusters?country=SAU")["total"] == 1
    assert get(client, "/api/clusters?q=baghdad")["total"] >= 1
    for c in get(client, "/api/clusters?contested=true")["items"]:
        assert c["contested"] is True
    # a cluster whose stories give no date of their own says its date is a publication date
    dated = {c["event_date"]: c["publication_dated"] for c in get(client, "/api/clusters?type=ASSAULT")["items"]}
    assert sorted(dated.values()) == [False, True], dated


def test_aggregates(client):
    for interval in ("day", "week", "month", "year"):
        tl = get(client, f"/api/stats/timeline?interval={interval}")
        assert sum(b["events"] for b in tl["buckets"]) + tl["undated"] == 7
        assert all(sum(b["by_status"].values()) == b["events"] for b in tl["buckets"])
    months = [b["period"] for b in get(client, "/api/stats/timeline?interval=month")["buckets"]]
    assert months[0] == "2020-03-01" and months == sorted(months)
    weeks = get(client, "/api/stats/timeline?interval=week&type=ASSAULT")["buckets"]
    # the hostile story's event gives no date: it is dated by publication, and its bar says so
    assert weeks == [{"period": "2020-03-02", "events": 2, "by_status": {"claimed": 1, "denied": 1},
                      "publication_dated": 0},
                     {"period": "2021-05-31", "events": 1, "by_status": {"unconfirmed": 1}, "publication_dated": 1}]
    pub = get(client, "/api/stats/timeline?interval=year&date_field=published")
    assert {b["period"] for b in pub["buckets"]} == {"2020-01-01", "2021-01-01", "2023-01-01"}
    by_type = {i["key"]: i["events"] for i in get(client, "/api/stats/type")["items"]}
    assert by_type["ASSAULT"] == 3 and sum(by_type.values()) == 7
    by_status = {i["key"]: i["events"] for i in get(client, "/api/stats/status?type=ASSAULT")["items"]}
    assert by_status == {"claimed": 1, "denied": 1, "unconfirmed": 1}
    by_c = get(client, "/api/stats/country")
    assert {i["key"]: i["events"] for i in by_c["items"]}["IRQ"] == 2
    assert next(i for i in by_c["items"] if i["key"] == "FRA")["name"] == "France"
    assert get(client, "/api/stats/location_country?limit=1")["items"][0]["key"] in ("IRQ", "FRA")
    pts = get(client, "/api/map")
    bag = next(p for p in pts["items"] if p["name"] == "Baghdad")
    assert bag["events"] == 2 and bag["by_status"] == {"claimed": 1, "denied": 1}
    assert bag["lat"] == pytest.approx(33.34) and bag["geonameid"] == 98182
    assert get(client, "/api/map?status=intended")["items"][0]["country"] == "SAU"


def test_world_shapes(client):
    r = client.get("/api/world")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    ids = {f["id"] for f in fc["features"]}
    assert len(ids) > 150 and {"FRA", "IRQ", "BRA"} <= ids and "ATA" not in ids
    assert len(r.content) < 1_000_000


# ---------------------------------------------------------------------------------------------
# pages, twins, docs, safety

PAGES = ["/", "/articles", "/articles/paris-protest", "/clusters", "/docs"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_the_static_shell_with_csp(client, path):
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert 'rel="alternate"' in r.headers["link"]
    assert "<script src=\"/static/app.js\"" in r.text and not re.search(r"<script>", r.text)
    assert client.head(path).status_code == 200


def test_json_twins(client):
    key = get(client, "/api/events?limit=1")["items"][0]["event_key"]
    cid = get(client, "/api/clusters?limit=1")["items"][0]["cluster_id"]
    pairs = [("/articles/paris-protest", "/api/articles/paris-protest"),
             (f"/events/{key}", f"/api/events/{key}"), (f"/clusters/{cid}", f"/api/clusters/{cid}"),
             ("/articles?q=paris", "/api/articles?q=paris"), ("/?type=PROTEST", "/api/events?type=PROTEST"),
             ("/clusters", "/api/clusters")]
    for html, api in pairs:
        page = client.get(html)
        # the alternate link keeps the page's query string
        assert page.status_code == 200 and page.headers["link"].startswith(f"<{api}>;"), page.headers["link"]
        sep = "&" if "?" in html else "?"
        twin = client.get(f"{html}{sep}format=json", follow_redirects=False)
        assert twin.status_code == 307 and twin.headers["location"] == api
        assert client.get(f"{html}{sep}format=json").json() == get(client, api)
    assert client.get("/docs?format=json").json()["openapi"].startswith("3.")
    assert client.get("/articles/missing-story").status_code == 404
    assert client.get("/events/1").status_code == 404


def test_openapi_and_offline_docs(client):
    spec = get(client, "/openapi.json")
    for path in ("/api/events", "/api/events/{event_key}", "/api/articles", "/api/articles/{article_id}",
                 "/api/clusters", "/api/clusters/{cluster_id}", "/api/stats/timeline", "/api/stats/{by}",
                 "/api/map", "/api/meta", "/api/world"):
        assert path in spec["paths"], path
    names = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert names >= {"type", "status", "country", "date_from", "date_to", "q", "sort", "limit", "offset"}
    assert client.get("/redoc").status_code == 404          # FastAPI's CDN-based pages are off
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn" not in docs.text.lower()


def test_static_files_only_from_the_package(client):
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/app.css").headers["content-type"].startswith("text/css")
    for bad in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py",
                "/static/%2e%2e/%2e%2e/store.py", "/static//etc/passwd", "/static/../../../../etc/passwd"):
        r = client.get(bad)
        assert r.status_code == 404, bad
        assert b"import" not in r.content and b"root:" not in r.content


def test_front_end_never_parses_data_as_html():
    """The UI builds its DOM with textContent/createElement only and loads nothing remote."""
    for f in STATIC.iterdir():
        if f.suffix not in (".js", ".html", ".css"):
            continue
        src = f.read_text(encoding="utf-8")
        for bad in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                    "new Function", "javascript:"):
            assert bad not in src, (f.name, bad)
        for url in re.findall(r"https?://[^\s\"')]+", src):
            assert url.startswith("http://www.w3.org/"), (f.name, url)       # SVG namespace only
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in html and " on" not in re.sub(r"<!--.*?-->", "", html).replace("noscript", "")


def test_xss_story_is_returned_as_json_text(client):
    aid = "wire/1 <b>&amp;"
    r = client.get("/api/articles/" + quote(aid, safe=""))
    assert r.headers["content-type"].startswith("application/json")
    assert "content-security-policy" in r.headers
    a = r.json()
    assert a["title"].startswith(XSS) and a["text"].startswith(XSS) and a["outlet"] == XSS
    assert a["url"] == "javascript:alert(3)"          # data, as given; the UI never links it
    ev = a["events"][0]
    assert ev["actors"][0]["name"] == "<i>Someone</i>"
    # the HTML page for it is the static shell: the story is never in the HTML itself
    page = client.get("/articles/" + quote(aid, safe=""))
    assert page.status_code == 200 and "alert(" not in page.text and "<i>Someone" not in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    # search results, aggregates and the event view carry it as plain JSON strings too
    hits = get(client, "/api/events?q=" + quote("<script>"))
    assert hits["total"] == 1 and hits["items"][0]["article"]["title"].startswith(XSS)
    detail = get(client, hits["items"][0]["links"]["api"])
    assert "@ev ASSAULT" in detail["evidence"]["snippet"]["text"]
    assert XSS in {i["key"] for i in get(client, "/api/stats/outlet")["items"]}


def test_request_limits(client):
    r = client.get("/api/events?q=" + "x" * 5000)
    assert r.status_code == 414
    r = client.get("/api/events/" + "1" * 3000)
    assert r.status_code in (414, 422)
    r = client.post("/api/events", content=b"x" * 10)
    assert r.status_code in (405, 413)
    r = client.request("GET", "/api/events", content=b"{" * 100)
    assert r.status_code == 413
    r = client.put("/api/events")
    assert r.status_code == 405 and "read-only" in r.text
    assert "content-security-policy" in r.headers


# ---------------------------------------------------------------------------------------------
# read-only database handling

def test_database_is_opened_read_only_and_released_when_idle(db, tmp_path):
    import shutil

    db = shutil.copy(db, tmp_path / "copy.duckdb")     # the module's client holds the original
    app = create_app(db, idle_close=0.2)
    with TestClient(app) as c:
        assert c.get("/api/health").status_code == 200
        with app.state.db.cursor() as cur:
            with pytest.raises(duckdb.Error):
                cur.execute("CREATE TABLE hack (x INTEGER)")
        # once idle, the file is free for a writer (eventwire ingest) again
        deadline = time.monotonic() + 10
        while True:
            try:
                con = store.connect(db)
                con.close()
                break
            except store.StoreError:
                assert time.monotonic() < deadline, "server kept the database locked while idle"
                time.sleep(0.2)
        assert c.get("/api/health").status_code == 200      # and re-opens it on demand


def test_missing_database_is_a_clear_503(tmp_path):
    with TestClient(create_app(tmp_path / "nope.duckdb")) as c:
        r = c.get("/api/events")
        assert r.status_code == 503 and "eventwire ingest" in r.json()["detail"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_serve(db):
    import httpx

    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "eventwire", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.HTTPError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert r.status_code == 200 and r.json()["events"] == 7
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert "server" not in page.headers and "content-security-policy" in page.headers
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_cli_serve_without_database(tmp_path):
    r = subprocess.run([sys.executable, "-m", "eventwire", "serve", "--db", str(tmp_path / "none.duckdb")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "eventwire ingest" in r.stderr


# ---------------------------------------------------------------------------------------------
# reliability: odd keys, crashes, database problems, slow clients

SECURITY = ("content-security-policy", "x-content-type-options", "x-frame-options")


@pytest.mark.parametrize("url", ["/api/events/%C2%B2", "/api/clusters/%D9%A3", "/api/events?cluster=%C2%B2",
                                 "/api/events/%EF%BC%91"])
def test_unicode_digits_in_keys_are_422_not_500(client, url):
    r = client.get(url)
    assert r.status_code == 422, (url, r.status_code, r.text[:200])
    assert all(h in r.headers for h in SECURITY)


def test_unicode_digit_page_key_is_a_page_error(client):
    r = client.get("/events/%C2%B2")
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert all(h in r.headers for h in SECURITY)


def test_a_crash_is_a_json_500_with_security_headers(tmp_path):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()              # a DuckDB file without eventwire's tables
    with TestClient(create_app(empty), raise_server_exceptions=False) as c:
        r = c.get("/api/events")
    assert r.status_code in (500, 503)
    assert all(h in r.headers for h in SECURITY), dict(r.headers)


def test_unavailable_database_hides_its_folder_and_the_lock_holder(db, tmp_path):
    import shutil

    r = TestClient(create_app(tmp_path / "nope.duckdb")).get("/api/events")
    assert r.status_code == 503 and str(tmp_path) not in r.text and "nope.duckdb" in r.text
    locked = shutil.copy(db, tmp_path / "locked.duckdb")
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('locked', flush=True); time.sleep(60)", str(locked)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        r = TestClient(create_app(locked)).get("/api/events")
        assert r.status_code == 503 and r.headers["retry-after"]
        body = r.json()["detail"]
        assert str(tmp_path) not in body and "PID" not in body and str(holder.pid) not in body, body
    finally:
        holder.kill()
        holder.wait()


def _serve(db, port, *extra):
    code = ("import sys; from eventwire.server import serve; "
            "serve(sys.argv[1], port=int(sys.argv[2]), log_level='warning', "
            "header_timeout=float(sys.argv[3]), per_client=int(sys.argv[4]))")
    return subprocess.Popen([sys.executable, "-c", code, str(db), str(port), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_up(port, proc):
    import httpx

    deadline = time.monotonic() + 60
    while True:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
        except httpx.HTTPError:
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.3)


def test_idle_connections_cannot_starve_other_clients(db):
    """63 connections that never finish their headers: another client is still served, and
    the idle ones are closed after the header timeout."""
    import httpx

    port = _free_port()
    proc = _serve(db, port, "1.5", "16")
    idle = []
    try:
        _wait_up(port, proc)
        for _ in range(63):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")        # headers never end
            idle.append(s)
        other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=5)
        r = other.get(f"http://127.0.0.1:{port}/api/health")
        assert r.status_code == 200 and r.json()["events"] == 7
        time.sleep(2.5)
        closed = 0
        for s in idle:
            s.settimeout(2)
            try:
                closed += s.recv(100) == b""
            except (ConnectionResetError, socket.timeout):
                closed += 1
        assert closed == 63
        assert httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).status_code == 200
    finally:
        for s in idle:
            s.close()
        proc.terminate()
        proc.wait(timeout=20)


# ---------------------------------------------------------------------------------------------
# filters shared by every list, several values each, modes checked, confidence

@pytest.mark.parametrize("query,expected", [
    ("place=baghdad,jeddah", 3),
    ("place=98182&place=105343", 3),
    ("actor=islamic", 2),
    ("actor=unions,united", 3),
    ("recipient=police", 2),
    ("recipient=RSF", 1),
    ("location_country=SAU,FRA", 2),
    ("mode=bombing", 2),
    ("mode=aerial", 0),                     # a lexicon mode that no event has: no rows, no error
])
def test_more_event_filters(client, query, expected):
    assert total(client, query) == expected, query


def test_unknown_mode_is_422_like_unknown_type(client):
    for url in ("/api/events?mode=airstrikez", "/api/clusters?mode=airstrikez", "/api/articles?mode=airstrikez",
                "/api/stats/type?mode=airstrikez"):
        r = client.get(url)
        assert r.status_code == 422 and "mode" in r.json()["detail"][0]["loc"], (url, r.text[:200])


@pytest.mark.parametrize("query", ["status=claimed,denied", "type=ASSAULT&country=IRQ", "place=Paris",
                                   "date_from=2023-01-01", "actor=unions", "published_from=2020-03-06"])
def test_the_same_filters_on_events_clusters_and_articles(client, query):
    evs = get(client, f"/api/events?{query}&limit=500")["items"]
    clusters = get(client, f"/api/clusters?{query}&limit=500")["items"]
    arts = get(client, f"/api/articles?{query}&limit=500")["items"]
    assert evs, query
    assert {c["cluster_id"] for c in clusters} == {e["cluster_id"] for e in evs}, query
    assert {a["id"] for a in arts} == {e["article_id"] for e in evs}, query


def test_articles_text_search_and_publication_dates_need_no_event(client):
    assert [a["id"] for a in get(client, "/api/articles?published_to=2019-12-31")["items"]] == ["no-events"]
    assert [a["id"] for a in get(client, "/api/articles?q=nothing happened")["items"]] == ["no-events"]


def test_min_confidence_reads_the_column_or_the_record_and_treats_missing_as_null(db, tmp_path):
    import shutil

    for how in ("record", "column"):
        path = shutil.copy(db, tmp_path / f"{how}.duckdb")
        con = duckdb.connect(str(path))
        keys = [r[0] for r in con.execute("SELECT event_key FROM events ORDER BY event_key").fetchall()]
        if how == "column":
            con.execute("ALTER TABLE events ADD COLUMN IF NOT EXISTS confidence DOUBLE")
            con.execute("UPDATE events SET confidence = 0.9 WHERE event_key = ?", [keys[0]])
            con.execute("UPDATE events SET confidence = 0.4 WHERE event_key = ?", [keys[1]])
        else:
            for k, c in ((keys[0], 0.9), (keys[1], 0.4)):
                con.execute("UPDATE events SET record = json_merge_patch(record, ?) WHERE event_key = ?",
                            [json.dumps({"confidence": c}), k])
        con.close()
        with TestClient(create_app(path)) as c:
            assert get(c, "/api/events?min_confidence=0.5")["total"] == 1, how
            assert get(c, "/api/events?min_confidence=0.4")["total"] == 2, how
            assert get(c, "/api/events?min_confidence=0")["total"] == 2, how      # 5 have none
            assert get(c, "/api/events")["total"] == 7
            assert get(c, "/api/clusters?min_confidence=0.5")["total"] == 1
            assert c.get("/api/events?min_confidence=1.5").status_code == 422
            assert c.get("/api/events?min_confidence=nan").status_code == 422
            rows = _csv(c.get("/api/events?min_confidence=0.5&format=csv"))
            assert [r["confidence"] for r in rows] == ["0.9"]


# ---------------------------------------------------------------------------------------------
# downloads

def _csv(r):
    import csv

    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), r.text[:300]
    assert "attachment" in r.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))


def test_csv_and_jsonl_downloads_have_the_rows_of_the_filter(client):
    for query in ("type=ASSAULT,PROTEST&sort=date", "status=claimed,denied", "country=IRQ&sort=-date", ""):
        page = get(client, f"/api/events?{query}&limit=500")
        rows = _csv(client.get(f"/api/events?{query}&format=csv"))
        assert [r["event_key"] for r in rows] == [e["event_key"] for e in page["items"]], query
        lines = client.get(f"/api/events?{query}&format=jsonl")
        assert lines.headers["content-type"].startswith("application/x-ndjson")
        recs = [json.loads(x) for x in lines.text.splitlines()]
        assert [r["event_key"] for r in recs] == [e["event_key"] for e in page["items"]]
        assert recs == page["items"]
    row = _csv(client.get("/api/events?status=claimed&format=csv"))[0]
    assert row["type"] == "ASSAULT" and row["actors"] == "Islamic State" and row["place"] == "Baghdad"
    assert row["killed"] == "3" and row["published"] == "2020-03-05"
    assert [r["cluster_id"] for r in _csv(client.get("/api/clusters?status=denied&format=csv"))] == \
        [c["cluster_id"] for c in get(client, "/api/clusters?status=denied")["items"]]
    arts = _csv(client.get("/api/articles?type=PROTEST&format=csv"))
    assert [a["id"] for a in arts] == ["paris-protest"]
    assert _csv(client.get("/api/events?type=AID&format=csv")) == []       # header only
    assert client.get("/api/events?format=xlsx").status_code == 422


def test_csv_cells_never_become_formulas(client):
    rows = _csv(client.get("/api/articles?q=headline&format=csv"))
    assert rows and all(not str(v).startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_list_pages_redirect_to_their_downloads(client):
    for page, api in (("/?status=claimed,denied&view=clusters", "/api/events?status=claimed%2Cdenied&format=csv"),
                      ("/clusters?type=ASSAULT", "/api/clusters?type=ASSAULT&format=csv"),
                      ("/articles?q=paris", "/api/articles?q=paris&format=csv")):
        sep = "&" if "?" in page else "?"
        r = client.get(f"{page}{sep}format=csv", follow_redirects=False)
        assert r.status_code == 307 and r.headers["location"] == api, (page, r.headers.get("location"))
    key = get(client, "/api/events?limit=1")["items"][0]["event_key"]
    for page in ("/docs", f"/events/{key}", "/articles/paris-protest"):    # not lists: no download
        assert client.get(f"{page}?format=csv", follow_redirects=False).status_code == 422, page


def test_downloads_are_not_capped_at_a_page(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    lines = "\n".join(f"@ev PROTEST a=FRA an=group_{i} d=2022-01-{1 + i % 28:02d} s=asserted" for i in range(620))
    (folder / "many.txt").write_text("Many protests\n\n" + lines + "\n", encoding="utf-8")
    (folder / "dates.json").write_text('{"many.txt": "2022-02-01"}', encoding="utf-8")
    path = tmp_path / "many.duckdb"
    store.ingest_paths([str(folder)], db_path=str(path), workers=1, summary=False,
                       err=io.StringIO(), coder=fake_coder())
    with TestClient(create_app(path)) as c:
        assert c.get("/api/events?limit=620").status_code == 422
        assert len(_csv(c.get("/api/events?format=csv"))) == 620
        assert len(c.get("/api/events?format=jsonl&type=PROTEST").text.splitlines()) == 620


# ---------------------------------------------------------------------------------------------
# API description, errors, countries, timeline, evidence

def test_openapi_describes_responses(client):
    spec = get(client, "/openapi.json")
    for path in ("/api/events", "/api/events/{event_key}", "/api/clusters", "/api/clusters/{cluster_id}",
                 "/api/articles", "/api/articles/{article_id}", "/api/map", "/api/stats/timeline",
                 "/api/stats/{by}", "/api/meta"):
        ok = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok != {} and "$ref" in json.dumps(ok), (path, ok)
    assert "text/csv" in spec["paths"]["/api/events"]["get"]["responses"]["200"]["content"]
    ev = spec["components"]["schemas"]["Event"]["properties"]
    assert {"event_key", "type", "status", "actors", "confidence"} <= set(ev)
    names = {p["name"] for p in spec["paths"]["/api/clusters"]["get"]["parameters"]}
    assert names >= {"type", "mode", "status", "place", "actor", "recipient", "min_confidence", "format"}


def test_unknown_paths(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert '<script src="/static/app.js"' in r.text              # the page shows the error itself
    r = client.get("/api/no-such-thing")
    assert r.status_code == 404 and r.json()["detail"]
    r = client.get("/?date_from=2021-01-01&date_to=2020-01-01")
    assert r.status_code == 200                                   # the page; its twin says 422
    assert client.get("/api/events?date_from=2021-01-01&date_to=2020-01-01").status_code == 422


def test_one_country_definition_everywhere(client):
    meta = {c["key"]: c["events"] for c in get(client, "/api/meta")["countries"]}
    card = {i["key"]: i["events"] for i in get(client, "/api/stats/country?limit=500")["items"]}
    assert meta == card
    for code, n in meta.items():
        assert total(client, f"country={code}") == n, code


def test_one_name_per_country():
    from eventwire.server.world import country_names, world_geojson_bytes

    names = country_names()
    assert names["MMR"] == "Myanmar" and names["CIV"] and names["XKX"] == "Kosovo"
    fc = json.loads(world_geojson_bytes())
    ids = [f["id"] for f in fc["features"]]
    assert len(ids) == len(set(ids))
    assert all(f["properties"]["name"] == names[f["id"]] for f in fc["features"])


def test_timeline_follows_the_filter_span(client):
    tl = get(client, "/api/stats/timeline?interval=auto&date_from=2020-03-01&date_to=2020-03-05")
    assert tl["interval"] == "day" and tl["span"] == {"from": "2020-03-01", "to": "2020-03-05"}
    assert [b["period"] for b in tl["buckets"]] == ["2020-03-03", "2020-03-04"]
    assert get(client, "/api/stats/timeline?interval=auto")["interval"] == "month"
    assert get(client, "/api/stats/timeline?interval=auto&type=ASSAULT")["interval"] == "week"


def test_contested_cluster_says_who_asserts_and_who_denies(client):
    ev = get(client, "/api/events?status=denied")["items"][0]
    c = get(client, f"/api/clusters/{ev['cluster_id']}")
    assert c["contested"] is True
    assert [p["by"] for p in c["positions"]["asserts"]] == ["AP"]
    assert [p["by"] for p in c["positions"]["denies"]] == ["Reuters"]


def test_evidence_mentions_cues_and_fallbacks():
    from eventwire.server.evidence import cue_spans, date_fallback, record_spans, word_forms

    text = ("Rebels shelled the depot on Friday, the ministry said. The rebels denied the shelling, "
            "which could not be confirmed.")
    rec = {"trigger": {"text": "shelled", "start": 7, "end": 14},
           "mentions": [{"text": "shelling", "start": text.index("shelling"), "end": text.index("shelling") + 8}],
           "recipients": [{"text": "depot", "start": 19, "end": 24, "name": "depot", "inferred_from": "location"}],
           "date": {"text": None, "start": None, "end": None, "earliest": "2024-01-05", "latest": "2024-01-05"}}
    spans = record_spans(rec, text)
    assert [s["role"] for s in spans] == ["trigger", "mention", "recipient"] and all(s["ok"] for s in spans)
    assert spans[2]["inferred_from"] == "location"
    assert date_fallback(rec) and not date_fallback({"date": {"text": "on Friday", "earliest": "2024-01-05"}})
    assert {"said", "denied"} <= {c["text"] for c in cue_spans(text, 0, len(text), "denied")}
    assert "said" in [c["text"] for c in cue_spans(text, 0, len(text), "asserted")]
    assert "confirmed" in [c["text"] for c in cue_spans(text, 0, len(text), "unconfirmed")]
    assert cue_spans("The talks went ahead.", 0, 21, "denied") == []
    assert {"denies", "denied", "denial"} <= word_forms("deny") and "said" in word_forms("say")


def test_event_detail_lists_every_mention_and_its_status_words(client):
    key = get(client, "/api/events?status=denied")["items"][0]["event_key"]
    ev = get(client, f"/api/events/{key}")
    assert ev["evidence"]["mentions"] and ev["evidence"]["mentions"][0]["text"]
    assert ev["evidence"]["date_is_publication_date"] is False
    said = [s for s in get(client, f"/api/events/{get(client, '/api/events?status=claimed')['items'][0]['event_key']}")
            ["evidence"]["spans"] if s["role"] == "cue"]
    assert all(s["ok"] for s in said)


def test_remembered_answers_are_dropped_when_the_database_is_reopened(db, tmp_path):
    """Answers are kept while the server holds the file (no one can write it then) and
    forgotten once it lets go, so an ingest in between is seen."""
    import shutil

    path = shutil.copy(db, tmp_path / "cache.duckdb")
    app = create_app(path, idle_close=0.2)
    with TestClient(app) as c:
        first = c.get("/api/events?type=AID")
        assert first.json()["total"] == 0 and c.get("/api/events?type=AID").content == first.content
        deadline = time.monotonic() + 10
        while True:                                  # wait until the server lets the file go
            try:
                con = duckdb.connect(str(path))
                break
            except duckdb.Error:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        con.execute("UPDATE events SET type = 'AID' WHERE event_key = (SELECT min(event_key) FROM events)")
        con.close()
        assert c.get("/api/events?type=AID").json()["total"] == 1
