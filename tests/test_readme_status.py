"""README's status table: every example in it is coded and gets the status its row names."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventwire.article import Article

README = Path(__file__).resolve().parents[1] / "README.md"
PUB = "2024-03-06"   # the date the README says its examples are coded with


def status_examples() -> list[tuple[str, str, str]]:
    """(status, plain sentence, bold trigger word) for every example of the status table."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Status: how sure"):text.index("## How it works")]
    out = []
    for row in section.splitlines():
        m = re.match(r"\| `(\w+)` \|.*\| (.+) \|$", row)
        if not m:
            continue
        for example in re.findall(r'"([^"]+)"', m.group(2)):
            bold = re.search(r"\*\*(.+?)\*\*", example)
            if bold:
                out.append((m.group(1), example.replace("**", ""), bold.group(1)))
    return out


def test_the_table_has_an_example_for_every_status():
    assert {s for s, _, _ in status_examples()} >= {"asserted", "claimed", "unconfirmed", "denied", "negated",
                                                       "threatened", "intended", "hypothetical", "historical"}


@pytest.mark.parametrize("status,sentence,word", status_examples())
def test_readme_example(coder, status, sentence, word):
    events = coder.code(Article(id="readme", text=sentence, date=PUB)).events
    # the event told by the bold word (a THREATEN/AGREE record on the same word reports the
    # threat or promise itself)
    hits = [e for e in events if word.lower() in e["trigger"]["text"].lower()
            and e["type"] not in ("THREATEN", "AGREE")]
    assert hits, f"no event on '{word}' in {sentence!r}: {[(e['type'], e['trigger']['text']) for e in events]}"
    assert hits[0]["status"] == status, (sentence, [(e["type"], e["status"]) for e in hits])
