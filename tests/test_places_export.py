"""Exports keep a place the text states apart from one only inferred from the story."""
from __future__ import annotations

import json
from datetime import date

from eventwire import export

STATED = {"text": "Mosul", "name": "Mosul", "geonameid": 99072, "country": "IRQ", "lat": 36.34, "lon": 43.13}


def _row(location: dict) -> dict:
    return {"event_key": "k1", "event_date": date(2021, 3, 4), "cameo": "190", "type": "ASSAULT",
            "location": json.dumps(location), "location_name": location["name"],
            "location_geonameid": location["geonameid"], "location_country": location["country"],
            "location_lat": location["lat"], "location_lon": location["lon"], "sentence": 2,
            "record": json.dumps({"type": "ASSAULT", "location": location})}


def _action_geo(row: dict) -> dict:
    cols = export.GDELT_COLUMNS
    values = export.gdelt_row(row)
    return {c: v for c, v in zip(cols, values) if c.startswith("ActionGeo_")}


def test_gdelt_keeps_a_stated_place():
    geo = _action_geo(_row(STATED))
    assert geo["ActionGeo_FullName"].startswith("Mosul") and geo["ActionGeo_FeatureID"] == 99072
    assert geo["ActionGeo_Lat"] == 36.34


def test_gdelt_leaves_out_a_place_inferred_from_the_story():
    geo = _action_geo(_row(dict(STATED, inferred_from="story")))
    assert all(v == "" for v in geo.values())


def test_cluster_rows_carry_the_flag_themselves():
    row = _row(STATED)
    row["location_inferred"] = True
    assert export.location_inferred(row)
    row["location_inferred"] = False
    assert not export.location_inferred(row)


def test_plover_marks_an_inferred_place_but_keeps_its_name():
    ev = export.plover_event(_row(dict(STATED, inferred_from="story")))
    assert ev["location_inferred"] is True and ev["placename"] == "Mosul"
    assert export.plover_event(_row(STATED))["location_inferred"] is False


# ---------------------------------------------------------------- through a stored corpus

import io  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    import os

    from store_fakecoder import fake_coder

    from eventwire import store
    os.environ.setdefault("EVENTWIRE_CODER_VERSION", "test")
    c = tmp_path_factory.mktemp("corpus")
    # one story says where the raid was; the other only has a dateline for its protest
    (c / "raid.txt").write_text(
        "Raid\n\nKIRKUK (AP) -- text\n@ev ASSAULT a=IRQ r=IRQ d=2021-03-04 p=Tikrit lat=34.6 lon=43.68 "
        "pc=IRQ g=99131 cameo=190\n", encoding="utf-8")
    (c / "march.txt").write_text(
        "March\n\nKIRKUK (AP) -- text\n@ev PROTEST a=IRQ d=2021-03-05 p=Kirkuk lat=35.47 lon=44.39 "
        "pc=IRQ g=94787 inf=story cameo=141\n", encoding="utf-8")
    (c / "dates.json").write_text('{"raid.txt": "2021-03-05", "march.txt": "2021-03-06"}', encoding="utf-8")
    path = c / "ew.duckdb"
    store.ingest_paths([str(c)], db_path=str(path), workers=1, coder=fake_coder(), summary=False,
                       err=io.StringIO())
    return path


def test_map_counts_the_events_placed_only_by_their_story(db):
    from eventwire.server.queries import EventFilter, map_points
    from eventwire.store import connect
    con = connect(db, read_only=True)
    try:
        pts = {p["name"]: p for p in map_points(con.cursor(), EventFilter(), 100)["items"]}
    finally:
        con.close()
    assert pts["Kirkuk"]["inferred"] == 1 and pts["Kirkuk"]["events"] == 1
    assert pts["Tikrit"]["inferred"] == 0


@pytest.mark.parametrize("clusters", [False, True])
def test_gdelt_export_blanks_only_the_inferred_place(db, tmp_path, clusters):
    out = tmp_path / "g.tsv"
    export.export_db(db, fmt="gdelt", output=out, clusters=clusters, header=True)
    lines = out.read_text(encoding="utf-8").splitlines()
    rows = [dict(zip(lines[0].split("\t"), ln.split("\t"))) for ln in lines[1:]]
    by_root = {r["EventRootCode"]: r for r in rows}
    assert by_root["19"]["ActionGeo_FullName"].startswith("Tikrit")     # ASSAULT: stated
    assert by_root["14"]["ActionGeo_FullName"] == "" and by_root["14"]["ActionGeo_Lat"] == ""   # PROTEST
