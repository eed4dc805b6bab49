"""nlp.SteppedParser: the parser and the entity recogniser stepped from Python give exactly
what spaCy's own compiled loop gives (heads, labels, sentence starts, entities)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, SENT_START

from eventwire.nlp import SteppedParser, load_model

SRC = str(Path(__file__).resolve().parents[1] / "src")

TEXTS = [
    "Troops of the Varnian army shelled two villages near Dostrel on Thursday, officials said.",
    "ORVAL, Kestria (Reuters) - The opposition leader Mira Kallan was detained at the airport "
    "late on Sunday.\n\nHer party called the arrest a provocation and said it would appeal to "
    "the constitutional court in Orval.",
    "Talks between the Kestrian and Varnian foreign ministers resumed in Geneva after a "
    "three-month pause; neither side commented.",
    "",
    "   \n\n  ",
    "Rain.",
    "The union's 40,000 members walked out at 6 a.m., and the ports of Lisk, Amber Bay and "
    "North Talmor stood still until the evening, according to the transport ministry.",
]
ATTRS = [HEAD, DEP, SENT_START, ENT_IOB, ENT_TYPE]


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _before(nlp, name: str, texts: list[str]):
    """The texts run through the pipeline up to (not including) component `name`."""
    upto = nlp.pipe_names[:nlp.pipe_names.index(name)]
    return list(nlp.pipe(texts, disable=[n for n in nlp.pipe_names if n not in upto]))


def test_parser_and_recogniser_are_stepped(nlp):
    assert isinstance(nlp.get_pipe("parser"), SteppedParser)
    assert isinstance(nlp.get_pipe("ner"), SteppedParser)


@pytest.mark.parametrize("name", ["parser", "ner"])
def test_same_annotations_as_spacys_loop(nlp, name):
    stepped = nlp.get_pipe(name)
    ours = [d.copy() for d in _before(nlp, name, TEXTS)]
    theirs = [d.copy() for d in ours]
    ours = list(stepped.pipe(ours, batch_size=4))
    theirs = list(stepped.component.pipe(theirs, batch_size=4))     # spaCy's own
    assert [d.to_array(ATTRS).tolist() for d in ours] == [d.to_array(ATTRS).tolist() for d in theirs]
    if name == "ner":
        assert sum(len(d.ents) for d in ours) >= 8
    else:
        assert sum(len(list(d.sents)) for d in ours) >= 8 and ours[0][0].dep_ == "nsubj"


def test_one_document_call_and_empty_documents(nlp):
    doc = nlp("The Varnian envoy met the Kestrian president in Orval.")
    assert [e.text for e in doc.ents] and doc[1].dep_
    assert len(nlp("")) == 0 and not nlp("  ").ents


def test_switch_keeps_spacys_own():
    code = "from eventwire.nlp import load_model; print(type(load_model().get_pipe('ner')).__name__)"
    env = dict(os.environ, PYTHONPATH=SRC, EVENTWIRE_SPACY_PARSER="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, timeout=300).stdout.strip()
    assert out == "EntityRecognizer"
