"""A Title Case headline is parsed as sentence case (eventwire.headline_case): its common words
lose their capitals, names keep theirs, and the records keep the headline's own spelling."""
from __future__ import annotations

from eventwire.article import Article
from eventwire.headline_case import is_title_case, names_in, sentence_case


def coded(coder, title: str, text: str, fmt: str | None = None) -> list[dict]:
    meta = {"format": fmt} if fmt else {}
    return coder.code(Article(id="hc", title=None if fmt else title,
                              text=f"{title}\n\n{text}" if fmt else text, date="2024-03-04", meta=meta)).events


def recased(coder, headline: str, body: str) -> str:
    text = f"{headline}\n\n{body}"
    doc = sentence_case(coder.nlp, coder.nlp.make_doc(text), len(headline), body)
    return doc.text[:len(headline)]


def test_title_case_is_told_from_sentence_case_and_from_names_alone():
    assert is_title_case("Harbour Workers Agree To End Week-Long Strike".split())
    assert not is_title_case("Harbour workers agree to end strike in Varna".split())
    assert not is_title_case("Ilona Varga wins".split())          # too few words to tell


def test_common_words_of_a_title_case_headline_lose_their_capitals(coder):
    assert recased(coder, "Harbour Workers Agree To End Strike After Pay Offer",
                   "Dockers in the port said the offer was enough.") == \
        "Harbour workers agree to end strike after pay offer"


def test_names_keep_their_capitals(coder):
    # a country the actor dictionary knows, a name the body writes inside a sentence,
    # and an acronym
    assert recased(coder, "Kenya And Tanzania Sign Border Pact With Help Of Odhiambo Trust",
                   "The deal, brokered by the Odhiambo Trust, was signed in Arusha.") == \
        "Kenya and Tanzania sign border pact with help of Odhiambo Trust"
    assert recased(coder, "NATO Envoys Meet Finnish Ministers", "They met.").startswith("NATO envoys meet")


def test_a_headline_in_sentence_case_is_left_as_written(coder):
    headline = "Harbour workers in Varna agree to end their strike"
    assert recased(coder, headline, "The union said so on Monday.") == headline


def test_a_capital_opening_a_body_sentence_is_no_sign_of_a_name():
    assert "Workers" not in names_in("Workers walked out. They said so.")
    assert "Varna" in names_in("They walked out in Varna on Monday.")


def test_a_title_case_headline_event_is_coded_with_the_headline_spelling(coder):
    events = coded(coder, "Opposition Makes Concessions To Ruling Party In Budget Talks",
                   "The talks in the capital went on into the night.")
    conceded = [e for e in events if e["type"] == "CONCEDE"]
    assert conceded and conceded[0]["headline"] is True
    assert conceded[0]["trigger"]["text"] == "Concessions"


def test_a_plain_text_story_headline_is_recased_too_and_keeps_its_offsets(coder):
    title = "Garrison Commander Agrees To Withdraw Troops From Border Town"
    events = coded(coder, title, "The commander spoke to reporters on Monday.", fmt="txt")
    assert {"AGREE", "RETREAT"} <= {e["type"] for e in events}    # "Withdraw" is a verb again
    for e in events:
        t = e["trigger"]
        assert title[t["start"]:t["end"]] == t["text"]      # the headline's own capitals


# -- headline grammar: a bare participle is a passive ("Curfew lifted" = was lifted) ----------

def roles(coder, title: str, type_: str) -> list[tuple[list[str], list[str]]]:
    events = coded(coder, title, "Residents said the streets were quiet on Monday.")
    return [([a["text"] for a in e["actors"]], [a["text"] for a in e["recipients"]])
            for e in events if e["type"] == type_]


def test_a_headline_participle_of_an_act_done_to_someone_takes_its_subject_as_target(coder):
    assert roles(coder, "Opposition Leader Arrested In Varna", "COERCE") == [([], ["Opposition Leader"])]


def test_a_headline_participle_whose_subject_the_sense_needs_as_object_is_coded(coder):
    # the night curfew was lifted: "lift" is an event only with a restriction as its object
    assert roles(coder, "Night Curfew Lifted In Varna After Talks", "CONCEDE") or \
        roles(coder, "Night Curfew Lifted In Varna After Talks", "RETREAT")


def test_a_headline_verb_that_needs_no_object_keeps_its_subject_as_doer(coder):
    assert roles(coder, "Harbour Minister Resigned After Audit", "RETREAT") == [(["Harbour Minister"], [])]


def test_a_participle_in_the_body_is_no_headline_passive(coder):
    events = coded(coder, "Quiet day", "The curfew lifted in May had been imposed by the army.")
    assert not any(e["type"] in ("CONCEDE", "RETREAT") for e in events), events
