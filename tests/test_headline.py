"""A JSON Lines article's separate `title` is read as its headline (pipeline.with_headline)."""
from __future__ import annotations

from eventwire.article import Article


def coded(coder, title: str | None, text: str) -> list[dict]:
    return coder.code(Article(id="h", title=title, text=text, date="2024-05-15")).events


def test_an_event_told_only_in_the_title_is_coded_with_null_offsets(coder):
    events = coded(coder, "Troops shell rebel villages near Karvia border",
                   "Residents fled on Tuesday. Aid groups said food was short.")
    shelled = [e for e in events if e["type"] == "ASSAULT"]
    assert shelled and shelled[0]["headline"] is True
    assert shelled[0]["trigger"]["start"] is None and shelled[0]["trigger"]["text"] == "shell"
    assert shelled[0]["sentence"] == 0


def test_a_title_repeating_the_body_event_is_one_record_told_in_the_body(coder):
    text = "Police arrested two opposition activists in Lorea on Monday, their lawyer said."
    events = coded(coder, "Police arrest two activists in Lorea", text)
    arrests = [e for e in events if e["type"] == "COERCE"]
    assert len(arrests) == 1 and "headline" not in arrests[0]
    assert text[arrests[0]["trigger"]["start"]:arrests[0]["trigger"]["end"]] == "arrested"


def test_offsets_and_sentences_are_those_of_the_text(coder):
    text = "Police arrested two opposition activists in Lorea on Monday. Protesters then marched."
    with_title = coded(coder, "Arrests in Lorea", text)
    without = coded(coder, None, text)
    key = lambda e: (e["type"], e["trigger"]["start"], e["sentence"])  # noqa: E731
    assert sorted(map(key, without)) == sorted(map(key, [e for e in with_title if "headline" not in e]))


def test_a_title_already_opening_the_text_is_not_read_twice(coder):
    text = "Police arrest two activists\n\nPolice arrested two opposition activists in Lorea on Monday."
    events = coded(coder, "Police arrest two activists", text)
    assert len([e for e in events if e["type"] == "COERCE"]) == 1
    assert all("headline" not in e for e in events)


def test_the_table_says_an_event_is_told_in_the_headline(tmp_path, run_cli):
    src = tmp_path / "feed.jsonl"
    src.write_text('{"id": "h1", "title": "Troops shell rebel villages near Karvia border", '
                   '"text": "Residents fled on Tuesday.", "date": "2024-05-15"}\n', encoding="utf-8")
    r = run_cli("code", "--format", "table", src)
    assert r.returncode == 0, r.stderr
    assert "“shell” (headline)" in r.stdout
