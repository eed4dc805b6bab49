"""Word lists and code tables that live in data/*.yaml (issue 17): they load as sets through the
one layered loader, a user's file of the same name extends them, and the stages read them."""
from __future__ import annotations

from datetime import date

import pytest

from eventwire import dedup, export
from eventwire.datafiles import word_sets
from eventwire.records import PLOVER_TYPES


def user_data(tmp_path, monkeypatch, name: str, text: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("EVENTWIRE_DATA", str(folder))


def test_word_lists_load_as_sets_and_a_users_file_adds_words(tmp_path, monkeypatch):
    shipped = word_sets("coref.yaml")
    assert isinstance(shipped["relative"], frozenset) and "whom" in shipped["relative"]
    assert shipped["pronouns"]["plural"] >= {"they", "them"}
    assert "brigade" not in shipped["org_like"]
    user_data(tmp_path, monkeypatch, "coref.yaml", "org_like: [brigade]\n")
    layered = word_sets("coref.yaml")
    assert "brigade" in layered["org_like"] and "faction" in layered["org_like"]
    monkeypatch.delenv("EVENTWIRE_DATA")
    assert "brigade" not in word_sets("coref.yaml")["org_like"]


def test_a_users_type_family_lets_two_types_cluster(tmp_path, monkeypatch):
    assert dedup.family("ASSAULT") == dedup.family("COERCE")      # shipped: both violence
    assert dedup.family("PROTEST") != dedup.family("COERCE")
    user_data(tmp_path, monkeypatch, "dedup.yaml", "families: {PROTEST: unrest, COERCE: unrest}\n")
    assert dedup.family("PROTEST") == dedup.family("COERCE") == "unrest"
    assert dedup.family("ASSAULT") == "violence"                  # the rest of the table stays


def test_dedup_name_stop_words_are_left_out_of_name_comparison():
    assert dedup._tokens("The Army of the North") == dedup._tokens("army north")
    assert dedup._tokens("Northern Army") != dedup._tokens("army north")


def test_every_plover_type_has_one_quad_class():
    tables = export.code_tables()
    assert set(tables["quad_classes"]) == set(PLOVER_TYPES)
    assert set(tables["quad_classes"].values()) == set(tables["quad_class_names"]) == {1, 2, 3, 4}


def test_goldstein_falls_back_to_the_parent_code():
    assert export.goldstein("1831") == export.goldstein("183") == export.code_tables()["goldstein"]["183"]
    assert export.goldstein("19") < 0 < export.goldstein("057")   # fighting is conflict, an agreement cooperation
    assert export.goldstein("999") is None and export.goldstein(None) is None


@pytest.fixture(scope="module")
def nlp():
    from eventwire.nlp import load_model
    return load_model()


def day_of(nlp, text: str, needle: str, pub: date) -> str | None:
    """The earliest day (ISO) of the first time expression containing `needle`."""
    from eventwire import times
    doc = nlp(text)
    doc._.pub_date = pub
    doc._.events = None
    times.annotate(doc)
    return next((t.earliest for t in doc._.times if t.text and needle in t.text.lower() and t.earliest), None)


def test_modifier_words_of_one_meaning_give_one_day(nlp):
    tue = date(2021, 3, 9)    # a Tuesday
    said = "The union said the depot reopened {} Thursday."
    assert day_of(nlp, said.format("this past"), "thursday", tue) == day_of(nlp, said.format("last"), "thursday", tue) \
        == "2021-03-04"
    plan = "The union said the depot will reopen {} Thursday."
    assert day_of(nlp, plan.format("this coming"), "thursday", tue) == day_of(nlp, plan.format("next"), "thursday", tue) \
        == "2021-03-11"


def test_counting_words_count_from_publication_or_from_the_time_told(nlp):
    pub = date(2019, 6, 20)
    assert day_of(nlp, "The ferry will sail three days from now.", "from now", pub) == "2019-06-23"
    assert day_of(nlp, "The ferry sailed three days ago.", "ago", pub) == "2019-06-17"
    told = "The ferry left Dover on June 3, 2019. Three days later it docked in Bilbao."
    assert day_of(nlp, told, "later", pub) == "2019-06-06"
