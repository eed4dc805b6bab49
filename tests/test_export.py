"""Exports read back: Parquet by DuckDB, CSV by the csv module, GDELT columns, PLOVER JSON."""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import duckdb
import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))

from store_fakecoder import fake_coder  # noqa: E402

from eventwire import export, store  # noqa: E402

EV = "@ev ASSAULT a=TUR an=Turkey as=MIL r=RUS rn=Russian_warplane d=2015-11-24 p=Latakia g=173576 " \
     "lat=35.52 lon=35.79 pc=SYR cameo=190 k=2"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    import os
    os.environ.setdefault("EVENTWIRE_CODER_VERSION", "test")
    c = tmp_path_factory.mktemp("corpus")
    (c / "ap.txt").write_text(f"Jet down\n\nANKARA, Turkey (AP) -- text\n{EV}\n"
                              "@ev PROTEST a=FRA d=2015-11-24 p=Paris lat=48.85 lon=2.35 pc=FRA g=2988507\n",
                              encoding="utf-8")
    (c / "rt.txt").write_text(f"Jet\n\nMOSCOW (Reuters) - text\n{EV} s=denied\n", encoding="utf-8")
    (c / "dates.json").write_text('{"ap.txt": "2015-11-24", "rt.txt": "2015-11-25"}', encoding="utf-8")
    path = c / "ew.duckdb"
    store.ingest_paths([str(c)], db_path=str(path), workers=1, coder=fake_coder(), summary=False,
                       err=io.StringIO())
    return path


def test_jsonl_events_are_the_stored_records(db, tmp_path):
    out = tmp_path / "e.jsonl"
    assert export.export_db(db, fmt="jsonl", output=out) == 3
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["type"] for r in recs} == {"ASSAULT", "PROTEST"}
    assert all({"id", "article_id", "trigger", "actors", "status"} <= set(r) for r in recs)


def test_jsonl_clusters(db, tmp_path):
    out = tmp_path / "c.jsonl"
    assert export.export_db(db, fmt="jsonl", output=out, clusters=True) == 2
    ks = {k["type"]: k for k in map(json.loads, out.read_text().splitlines())}
    assert ks["ASSAULT"]["n_stories"] == 2 and ks["ASSAULT"]["n_sources"] == 2
    assert ks["ASSAULT"]["contested"] is True
    assert sorted(ks["ASSAULT"]["article_ids"]) == ["ap", "rt"]


@pytest.mark.parametrize("clusters", [False, True])
def test_parquet_read_back_by_duckdb(db, tmp_path, clusters):
    out = tmp_path / "x.parquet"
    n = export.export_db(db, fmt="parquet", output=out, clusters=clusters)
    con = duckdb.connect()
    cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{out}')").fetchall()]
    rows = con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0]
    assert rows == n == (2 if clusters else 3)
    if clusters:
        assert {"cluster_id", "type", "n_events", "n_stories", "n_sources", "contested", "first_report",
                "last_report", "location_lat", "event_ids"} <= set(cols)
    else:
        assert {"event_key", "id", "article_id", "type", "mode", "cameo", "status", "actor1_name",
                "actor1_country", "actor2_country", "location_geonameid", "location_lat",
                "date_earliest", "killed", "trigger_text", "actors", "record", "cluster_id",
                "pub_date", "country"} <= set(cols)
        assert con.execute(f"SELECT killed FROM read_parquet('{out}') WHERE type = 'ASSAULT' LIMIT 1"
                           ).fetchone()[0] == 2


@pytest.mark.parametrize("clusters", [False, True])
def test_csv_read_back_by_csv_module(db, tmp_path, clusters):
    out = tmp_path / "x.csv"
    n = export.export_db(db, fmt="csv", output=out, clusters=clusters)
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n == (2 if clusters else 3)
    if clusters:
        a = next(r for r in rows if r["type"] == "ASSAULT")
        assert a["n_stories"] == "2" and a["contested"] == "true"
        assert json.loads(a["statuses"]) == ["asserted", "denied"]
    else:
        a = next(r for r in rows if r["type"] == "ASSAULT")
        assert a["actor1_country"] == "TUR" and a["location_name"] == "Latakia"
        assert json.loads(a["record"])["type"] == "ASSAULT"
        assert json.loads(a["actors"])[0]["name"] == "Turkey"


@pytest.mark.parametrize("clusters", [False, True])
def test_gdelt_columns(db, tmp_path, clusters):
    out = tmp_path / "x.tsv"
    n = export.export_db(db, fmt="gdelt", output=out, clusters=clusters, header=True)
    lines = out.read_text(encoding="utf-8").splitlines()
    header, body = lines[0].split("\t"), [ln.split("\t") for ln in lines[1:]]
    assert header == export.GDELT_COLUMNS and len(header) == 61
    assert len(body) == n and all(len(r) == 61 for r in body)
    g = [dict(zip(header, r)) for r in body]
    a = next(r for r in g if r["EventRootCode"] == "19")
    assert a["EventCode"] == "190" and a["EventBaseCode"] == "190" and a["QuadClass"] == "4"
    assert a["GoldsteinScale"] == "-10.0"
    assert a["SQLDATE"] == "20151124" and a["MonthYear"] == "201511" and a["Year"] == "2015"
    assert a["Actor1Code"] == "TURMIL" and a["Actor1CountryCode"] == "TUR" and a["Actor2CountryCode"] == "RUS"
    assert a["ActionGeo_FullName"].startswith("Latakia") and a["ActionGeo_CountryCode"] == "SY"
    assert a["ActionGeo_Type"] == "4" and a["ActionGeo_FeatureID"] == "173576"
    assert float(a["ActionGeo_Lat"]) == pytest.approx(35.52)
    assert a["NumArticles"] == "2" and a["NumSources"] == "2"
    assert len(a["DATEADDED"]) == 14 and a["SOURCEURL"]
    int(a["GLOBALEVENTID"])
    p = next(r for r in g if r["QuadClass"] == "4" and r["EventCode"] == "") if not clusters else None
    if p:
        assert p["Actor1CountryCode"] == "FRA"
    # no header by default, like GDELT's own files
    export.export_db(db, fmt="gdelt", output=out, clusters=clusters)
    assert out.read_text().splitlines()[0].split("\t")[0].isdigit()


def test_plover_json(db, tmp_path):
    out = tmp_path / "p.jsonl"
    export.export_db(db, fmt="plover", output=out)
    evs = [json.loads(x) for x in out.read_text().splitlines()]
    a = next(e for e in evs if e["event_type"] == "ASSAULT")
    for k in ("event_id", "event_date", "event_type", "mode", "context", "source_actor", "source_country",
              "source_agent", "target_actor", "target_country", "placename", "latitude", "longitude",
              "story_id", "story_date", "event_text", "status", "cluster_id"):
        assert k in a, k
    assert (a["source_actor"], a["source_country"], a["target_country"]) == ("Turkey", "TUR", "RUS")
    assert a["quad_class"] == "material conflict" and a["placename"] == "Latakia"
    export.export_db(db, fmt="plover", output=out, clusters=True)
    ks = [json.loads(x) for x in out.read_text().splitlines()]
    assert {k["event_type"] for k in ks} == {"ASSAULT", "PROTEST"}
    assert next(k for k in ks if k["event_type"] == "ASSAULT")["num_stories"] == 2


def test_views_answer_common_questions_in_one_line(db):
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT country, month::VARCHAR, events, clusters FROM events_per_country_month "
                       "ORDER BY country").fetchall() == [("FRA", "2015-11-01", 1, 1), ("SYR", "2015-11-01", 2, 1)]
    assert dict(con.execute("SELECT type, events FROM events_per_type").fetchall()) == {"ASSAULT": 2, "PROTEST": 1}
    assert dict(con.execute("SELECT status, events FROM events_per_status").fetchall()) == {"asserted": 2, "denied": 1}
    assert con.execute("SELECT contested FROM clusters_per_country_month WHERE country = 'SYR'").fetchone()[0] == 1


def test_cli_export_to_stdout_and_errors(db, run_cli, tmp_path):
    r = run_cli("export", "--db", db, "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert len(list(csv.DictReader(io.StringIO(r.stdout)))) == 3
    r = run_cli("export", "--db", db, "--format", "parquet")
    assert r.returncode != 0 and "-o FILE" in r.stderr
    r = run_cli("export", "--db", tmp_path / "nope.duckdb")
    assert r.returncode != 0 and "no such database" in r.stderr


def test_print_event_table():
    rec = {"id": "e0", "article_id": "ap", "sentence": 1, "type": "ASSAULT", "mode": "aerial",
           "cameo": "190", "trigger": {"text": "shot down", "start": 10, "end": 19},
           "actors": [{"text": "Turkey", "name": "Turkey", "country": "TUR", "sector": "MIL"}],
           "recipients": [{"text": "a Russian jet", "name": "Russia", "country": "RUS", "sector": None}],
           "location": {"name": "Latakia", "country": "SYR", "lat": 35.5, "lon": 35.8, "geonameid": 1},
           "date": {"text": "Tuesday", "earliest": "2015-11-24", "latest": "2015-11-24", "granularity": "day"},
           "size": {"killed": 2, "injured": None, "arrested": None}, "status": "claimed",
           "attributed_to": {"name": "Turkish military", "country": "TUR", "sector": "MIL"}}
    buf = io.StringIO()
    assert export.print_event_table([rec, dict(rec, article_id="rt")], file=buf) == 2
    text = buf.getvalue()
    for s in ("ASSAULT/aerial", "Turkey [TUR/MIL] → Russia [RUS]", "Latakia [SYR]", "2015-11-24",
              "Tuesday", "claimed (per Turkish military", "shot down", "2 killed", "ap", "rt"):
        assert s in text, s
    buf = io.StringIO()
    export.print_event_table([], file=buf)
    assert "no events" in buf.getvalue()


# ---------------------------------------------------------------------------------------------
# filters: the web API's filters, on every format

def _ids(path: Path) -> list[str]:
    return sorted(json.loads(line)["id"] for line in path.read_text().splitlines())


@pytest.mark.parametrize("kw,expected", [
    ({}, 3),
    ({"types": ["ASSAULT"]}, 2),
    ({"types": ["assault,protest"]}, 3),
    ({"statuses": ["denied"]}, 1),
    ({"statuses": ["claimed", "denied"]}, 1),
    ({"countries": ["FRA"]}, 1),
    ({"countries": ["RUS"]}, 2),                 # as a recipient
    ({"places": ["latakia"]}, 2),
    ({"places": ["2988507"]}, 1),
    ({"actors": ["turk"]}, 2),
    ({"date_from": "2015-11-24", "date_to": "2015-11-24"}, 3),
    ({"date_from": "2015-11-25"}, 0),
    ({"published_from": "2015-11-25"}, 1),
    ({"min_confidence": 0.1}, 0),                # no record carries a confidence: none kept
])
def test_filtered_exports(db, tmp_path, kw, expected):
    where = export.export_filter(**kw)
    for fmt in ("jsonl", "csv", "plover", "gdelt"):
        out = tmp_path / f"x.{fmt}"
        assert export.export_db(db, fmt=fmt, output=out, where=where) == expected, (kw, fmt)
    out = tmp_path / "x.parquet"
    assert export.export_db(db, fmt="parquet", output=out, where=where) == expected
    assert duckdb.sql(f"SELECT count(*) FROM '{out}'").fetchall()[0][0] == expected


def test_filtered_cluster_export_keeps_clusters_with_a_matching_member(db, tmp_path):
    out = tmp_path / "c.jsonl"
    assert export.export_db(db, fmt="jsonl", output=out, clusters=True,
                            where=export.export_filter(statuses=["denied"])) == 1
    (k,) = map(json.loads, out.read_text().splitlines())
    assert k["type"] == "ASSAULT" and k["n_events"] == 2           # the whole cluster, both members
    assert export.export_db(db, fmt="csv", output=tmp_path / "c.csv", clusters=True,
                            where=export.export_filter(types=["PROTEST"])) == 1


@pytest.mark.parametrize("kw,words", [
    ({"types": ["FOO"]}, "--type"),
    ({"statuses": ["rumoured"]}, "--status"),
    ({"countries": ["FR"]}, "--country"),
    ({"modes": ["airstrikez"]}, "--mode"),
    ({"date_from": "2015-13-01"}, "--from"),
    ({"date_from": "2016-01-01", "date_to": "2015-01-01"}, "--to"),
    ({"min_confidence": 2}, "--min-confidence"),
])
def test_bad_filter_values_name_the_option(kw, words):
    with pytest.raises(export.ExportError, match=words):
        export.export_filter(**kw)


def test_cli_export_filters(db, run_cli, tmp_path):
    r = run_cli("export", "--db", db, "--format", "csv", "--type", "ASSAULT", "--status", "asserted,denied",
                "--country", "TUR", "--from", "2015-11-01", "--to", "2015-11-30", "--place", "Latakia")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 2 and {x["type"] for x in rows} == {"ASSAULT"}
    r = run_cli("export", "--db", db, "--status", "denied", "--clusters")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 1, r.stderr
    r = run_cli("export", "--db", db, "--min-confidence", "0.5")
    assert r.returncode == 0 and r.stdout == ""
    r = run_cli("export", "--db", db, "--type", "BOMB")
    assert r.returncode != 0 and "--type" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("export", "--db", db, "--mode", "nosuchmode")
    assert r.returncode != 0 and "--mode" in r.stderr
