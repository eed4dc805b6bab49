"""Cross-story de-duplication: one event told by several stories -> one cluster; two events stay two."""
from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))

from store_fakecoder import fake_coder  # noqa: E402

from eventwire import dedup, store  # noqa: E402


@pytest.fixture(autouse=True)
def _pinned_coder_version(monkeypatch):
    monkeypatch.setenv("EVENTWIRE_CODER_VERSION", "test")


def row(key, article, type_="ASSAULT", a=None, r=None, d=None, pub="2015-11-25", dtext="on Tuesday",
        place=None, status="asserted", outlet=None):
    """A stored-event row as dedup reads it. place = (name, geonameid, ISO3, lat, lon)."""
    e = date.fromisoformat(d) if d else None
    actors = [{"name": a[0], "country": a[1], "sector": a[2]}] if a else []
    recips = [{"name": r[0], "country": r[1], "sector": r[2]}] if r else []
    name, gid, country, lat, lon = place or (None,) * 5
    return {"key": key, "article_id": article, "type": type_, "status": status,
            "date_earliest": e, "date_latest": e, "date_text": dtext if d else None,
            "pub_date": date.fromisoformat(pub), "event_date": e or date.fromisoformat(pub),
            "month": (e or date.fromisoformat(pub)).replace(day=1),
            "actors": actors, "recipients": recips,
            "actor1_name": a and a[0], "actor1_country": a and a[1], "actor1_sector": a and a[2],
            "actor2_name": r and r[0], "actor2_country": r and r[1], "actor2_sector": r and r[2],
            "location_name": name, "location_geonameid": gid, "location_country": country,
            "location_lat": lat, "location_lon": lon, "outlet": outlet}


TURKEY = ("Turkey", "TUR", "MIL")
TURKISH_AIR_FORCE = ("Turkish air force", "TUR", "MIL")
RUSSIA = ("Russia", "RUS", "MIL")
RUSSIAN_JET = ("Russian warplane", "RUS", "MIL")
LATAKIA = ("Latakia", 173576, "SYR", 35.52, 35.79)
YAMADI = ("Yamadi", None, "SYR", 35.70, 35.90)       # a village ~22 km away, not in the gazetteer
SYRIA = ("Syria", 163843, "SYR", 35.0, 38.0)
ALEPPO = ("Aleppo", 170063, "SYR", 36.20, 37.16)
DAMASCUS = ("Damascus", 170654, "SYR", 33.51, 36.29)


def clusters_of(rows):
    groups = dedup.cluster_events([dedup.make_ev(r) for r in rows])
    return sorted(sorted(e.key for e in g) for g in groups)


def test_two_reports_of_one_event_merge_and_another_event_stays_apart():
    rows = [
        # AP: "Turkey shot down a Russian warplane near the Syrian border on Tuesday"
        row(1, "ap", a=TURKEY, r=RUSSIAN_JET, d="2015-11-24", place=LATAKIA, outlet="AP"),
        # Reuters, next day, worded differently, place 22 km away, no explicit date
        row(2, "reuters", type_="COERCE", a=TURKISH_AIR_FORCE, r=RUSSIA, place=YAMADI,
            pub="2015-11-25", outlet="Reuters"),
        # a different event the same day: Syrian army shells Aleppo
        row(3, "ap", a=("Syrian army", "SYR", "MIL"), r=("rebels", "SYR", "REB"), d="2015-11-24",
            place=ALEPPO, outlet="AP"),
        # the same dyad but a protest, not an attack: other family
        row(4, "afp", type_="PROTEST", a=RUSSIA, r=TURKEY, d="2015-11-24", outlet="AFP"),
    ]
    assert clusters_of(rows) == [[1, 2], [3], [4]]


def test_same_dyad_different_place_or_day_stays_apart():
    rows = [
        row(1, "s1", a=TURKEY, r=RUSSIA, d="2015-11-24", place=ALEPPO),
        row(2, "s2", a=TURKEY, r=RUSSIA, d="2015-11-24", place=DAMASCUS),   # 300 km away
        row(3, "s3", a=TURKEY, r=RUSSIA, d="2015-11-20", place=ALEPPO),     # four days earlier
        row(4, "s4", a=("Turkey", "TUR", "GOV"), r=("Kurdish rebels", "TUR", "REB"), d="2015-11-24",
            place=ALEPPO),                                                  # other recipient
    ]
    assert clusters_of(rows) == [[1], [2], [3], [4]]


def test_country_level_place_is_compatible_and_placeless_event_cannot_chain():
    rows = [
        row(1, "s1", a=TURKEY, r=RUSSIA, d="2015-11-24", place=ALEPPO),
        row(2, "s2", a=TURKEY, r=RUSSIA, d="2015-11-24", place=SYRIA),      # "in Syria"
    ]
    assert clusters_of(rows) == [[1, 2]]
    rows = [
        row(1, "s1", a=TURKEY, r=RUSSIA, d="2015-11-24", place=ALEPPO),
        row(2, "s2", a=TURKEY, r=RUSSIA, d="2015-11-24"),                   # no place
        row(3, "s3", a=TURKEY, r=RUSSIA, d="2015-11-24", place=DAMASCUS),
    ]
    groups = clusters_of(rows)
    assert len(groups) == 2 and [1, 3] not in groups
    assert sorted(len(g) for g in groups) == [1, 2]


def test_vague_dates_never_merge():
    rows = [row(1, "s1", a=TURKEY, r=RUSSIA, place=ALEPPO, d="2015-01-01"),
            row(2, "s2", a=TURKEY, r=RUSSIA, place=ALEPPO, d="2015-01-01")]
    rows[0]["date_latest"] = rows[1]["date_latest"] = date(2015, 12, 31)     # "in 2015"
    assert clusters_of(rows) == [[1], [2]]


def test_cluster_row_counts_sources_and_flags_contested():
    rows = [row(1, "ap", a=TURKEY, r=RUSSIA, d="2015-11-24", place=LATAKIA, outlet="AP"),
            row(2, "ap2", a=TURKEY, r=RUSSIA, d="2015-11-24", place=LATAKIA, outlet="AP",
                pub="2015-11-26", status="denied"),
            row(3, "rt", a=TURKEY, r=RUSSIA, d="2015-11-24", outlet=None, pub="2015-11-24")]
    (group,) = dedup.cluster_events([dedup.make_ev(r) for r in rows])
    k = dict(zip(dedup.CLUSTER_COLUMNS, dedup.cluster_row(group)))
    assert (k["n_events"], k["n_stories"], k["n_sources"]) == (3, 3, 2)
    assert k["contested"] is True and k["statuses"] == ["asserted", "denied"]
    assert (k["first_report"], k["last_report"]) == (date(2015, 11, 24), date(2015, 11, 26))
    assert k["location_name"] == "Latakia" and k["date_earliest"] == date(2015, 11, 24)


# ---------------------------------------------------------------------------------------------
# through the store (stand-in coder): incremental == full, replacement updates clusters

def _story(folder, name, text):
    (folder / name).write_text(text, encoding="utf-8")


def _ingest(folder, db):
    return store.ingest_paths([str(folder)], db_path=str(db), workers=1, coder=fake_coder(),
                              summary=False, err=io.StringIO())


def _clusters(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("""SELECT list(e.article_id ORDER BY e.article_id), k.n_stories, k.contested
                              FROM clusters k JOIN event_clusters c USING (cluster_id)
                              JOIN events e USING (event_key) GROUP BY k.cluster_id, k.n_stories, k.contested
                              ORDER BY 1""").fetchall()
    finally:
        con.close()


def test_incremental_matches_full_and_follows_replacements(tmp_path):
    c = tmp_path / "c"
    c.mkdir()
    ev = "@ev ASSAULT a=TUR an=Turkey r=RUS d=2015-11-24 p=Latakia lat=35.52 lon=35.79 pc=SYR"
    _story(c, "a.txt", f"A\n\n{ev}\n")
    _story(c, "b.txt", f"B\n\n{ev} s=denied\n")
    _story(c, "x.txt", "X\n\n@ev PROTEST a=FRA d=2015-11-24 p=Paris lat=48.85 lon=2.35 pc=FRA\n")
    db = tmp_path / "ew.duckdb"
    _ingest(c, db)
    assert _clusters(db) == [(["a", "b"], 2, True), (["x"], 1, False)]
    # a third report arrives in a later ingest: it joins the cluster
    _story(c, "d.txt", f"D\n\n{ev.replace('d=2015-11-24', 'dt=- ')}\n")
    (c / "dates.json").write_text('{"d.txt": "2015-11-25"}', encoding="utf-8")
    _ingest(c, db)
    assert _clusters(db) == [(["a", "b", "d"], 3, True), (["x"], 1, False)]
    # b is corrected: now it is about another day -> leaves the cluster, which is no longer contested
    _story(c, "b.txt", f"B\n\n{ev.replace('2015-11-24', '2015-11-02')} s=denied\n")
    _ingest(c, db)
    incremental = _clusters(db)
    assert incremental == [(["a", "d"], 2, False), (["b"], 1, False), (["x"], 1, False)]
    con = duckdb.connect(str(db))
    dedup.update_clusters(con, full=True)
    con.close()
    assert _clusters(db) == incremental


def test_end_to_end_two_differently_worded_stories(tmp_path):
    """The real coder on two short stories of one event, and one story of another event."""
    c = tmp_path / "stories"
    c.mkdir()
    _story(c, "ap-jet.txt", "Turkey shoots down Russian warplane near Syrian border\n\n"
           "ANKARA, Turkey (AP) -- Turkish F-16 fighter jets shot down a Russian warplane near "
           "the Syrian border on Tuesday, Turkish officials said.\n")
    _story(c, "reuters-jet.txt", "Russian jet downed by Turkey\n\n"
           "MOSCOW (Reuters) - Turkey shot down a Russian Su-24 bomber near the border with "
           "Syria on Tuesday, the Russian Defence Ministry said.\n")
    _story(c, "afp-kenya.txt", "Kenyan police fire tear gas at protesters in Nairobi\n\n"
           "NAIROBI, Kenya (AFP) - Kenyan police fired tear gas at hundreds of protesters in "
           "Nairobi on Wednesday.\n")
    (c / "dates.json").write_text('{"ap-jet.txt": "2015-11-24", "reuters-jet.txt": "2015-11-25", '
                                  '"afp-kenya.txt": "2015-11-25"}', encoding="utf-8")
    db = tmp_path / "ew.duckdb"
    err = io.StringIO()
    store.ingest_paths([str(c)], db_path=str(db), workers=1, summary=False, err=err)
    con = duckdb.connect(str(db), read_only=True)
    jet = con.execute("""SELECT DISTINCT article_id, type FROM events
                         WHERE article_id LIKE '%jet' AND type IN ('ASSAULT', 'COERCE')""").fetchall()
    if {a for a, _ in jet} != {"ap-jet", "reuters-jet"}:
        pytest.skip(f"the coder does not (yet) find the shoot-down in both stories: {jet} {err.getvalue()[:300]}")
    shared = con.execute("""
        SELECT count(*) FROM clusters k WHERE n_stories = 2 AND n_sources = 2 AND cluster_id IN
          (SELECT c.cluster_id FROM event_clusters c JOIN events e USING (event_key)
           WHERE e.article_id = 'ap-jet' AND e.type IN ('ASSAULT', 'COERCE'))
          AND cluster_id IN
          (SELECT c.cluster_id FROM event_clusters c JOIN events e USING (event_key)
           WHERE e.article_id = 'reuters-jet' AND e.type IN ('ASSAULT', 'COERCE'))""").fetchone()[0]
    assert shared >= 1, "the two reports of the shoot-down were not merged"
    mixed = con.execute("""SELECT count(*) FROM (SELECT c.cluster_id FROM event_clusters c
                           JOIN events e USING (event_key) GROUP BY c.cluster_id
                           HAVING bool_or(e.article_id = 'afp-kenya') AND bool_or(e.article_id <> 'afp-kenya'))
                        """).fetchone()[0]
    assert mixed == 0, "the Nairobi event was merged with the shoot-down"
    con.close()
