"""The stages after the events stage are skipped for a story in which it found no event, when
the caller reads event records only (`Coder(mentions=False)`, what `eventwire code` prints),
and only then: the records stay the same."""
from __future__ import annotations

import pytest

from eventwire.article import Article
from eventwire.pipeline import Coder

# Stories with a word the pre-pass lets through ("won", "rose", "sales") but no event.
NO_EVENT = [
    "The striker scored twice as the home side won the cup final in Madrid on Sunday.",
    "Shares of the carmaker rose four percent in Frankfurt after strong sales figures on Monday.",
]
WITH_EVENT = "Police arrested two opposition leaders in Karvik on Tuesday, the ministry said."


@pytest.fixture(scope="module")
def coders():
    return {"code": Coder(mentions=False), "ingest": Coder(mentions=True),
            "everything": Coder(mentions=False, prepass=False)}


def _doc(coder: Coder, text: str):
    return next(coder.docs([Article(id="t", text=text, date="2021-03-02")]))


@pytest.mark.parametrize("text", NO_EVENT)
def test_later_stages_skipped_without_an_event(coders, text):
    coder = coders["code"]
    assert coder.prepass.can_hold_event(coder.make_doc(Article(id="t", text=text, date="2021-03-02")))
    doc = _doc(coder, text)
    assert doc._.events == []
    assert doc._.times is None and doc._.places is None     # places and times did not run


@pytest.mark.parametrize("text", NO_EVENT)
def test_mentions_wanted_keeps_every_stage(coders, text):
    doc = _doc(coders["ingest"], text)
    assert doc._.times and doc._.places                      # "on Sunday", "Madrid"


def test_story_with_an_event_gets_every_stage(coders):
    doc = _doc(coders["code"], WITH_EVENT)
    assert doc._.events and doc._.times is not None and doc._.places is not None


@pytest.mark.parametrize("text", NO_EVENT + [WITH_EVENT])
def test_same_records_as_the_full_pipeline(coders, text):
    article = Article(id="t", text=text, date="2021-03-02")
    assert coders["code"].code(article).events == coders["everything"].code(article).events
