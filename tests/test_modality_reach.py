"""Acts that news tells mostly under a modal, a condition, a threat or a denial, reached by the
triggers of issue 20 (the last section of data/lexicon.yaml) and by the events stage. The team's
own sentences; each rule has a sentence where it must fire and a near one where it must not."""
from __future__ import annotations

from test_modality_status import code, event  # noqa: F401


def kinds(coder, text: str) -> set[tuple[str, str]]:
    return {(e["type"], e["trigger"]["text"].lower()) for e in code(coder, text)}


def test_force_used_as_a_weapon_under_a_condition(coder):
    ev = event(coder, "Pretoria said it would use force if the rebels seized the mine.", "ASSAULT", "use force")
    assert ev["status"] == "hypothetical"
    # near-miss: a body of people is no weapon
    assert not any(t == "ASSAULT" for t, _ in kinds(coder, "The retailer said it would use its sales force to win buyers."))


def test_a_blow_answered_or_repeated_by_an_armed_party(coder):
    ev = event(coder, "Officials fear the insurgents could strike again before the vote.", "ASSAULT", "strike")
    assert ev["status"] == "hypothetical"
    # near-miss: workers striking again over pay walk out, they do not attack
    assert not any(t == "ASSAULT" for t, _ in kinds(coder, "The bus drivers said they would strike again over wages."))


def test_disputes_settled_between_parties(coder):
    ev = event(coder, "Lima and Quito resolved their border dispute in 1998.", "AGREE", "resolved")
    assert ev["status"] in ("asserted", "historical")
    # near-miss: one party fixing a problem agrees with no one
    assert not any(t == "AGREE" for t, _ in kinds(coder, "Technicians resolved the problem within an hour."))


def test_trade_blocked_or_taxed_is_a_sanction(coder):
    ev = event(coder, "Ottawa moved to block exports of uranium to the junta.", "SANCTION", "block")
    assert ev["type"] == "SANCTION"
    ev = event(coder, "The ministry announced plans to tax $40 billion in foreign goods.", "SANCTION", "tax")
    assert ev["status"] == "intended"
    # near-miss: a road blocked by protesters, income taxed by a council
    assert not any(t == "SANCTION" for t, _ in kinds(coder, "Farmers blocked the road to the port."))
    assert not any(t == "SANCTION" for t, _ in kinds(coder, "The council will tax incomes above a threshold."))


def test_supplies_cut_and_denied(coder):
    ev = event(coder, "Moscow denied that it had ordered cuts in gas supplies to Kiev.", "SANCTION", "cuts")
    assert ev["status"] == "denied"
    # near-miss: tax cuts cut no one's supplies
    assert not any(t == "SANCTION" for t, _ in kinds(coder, "Parliament approved tax cuts for small firms."))


def test_a_blockade_named_by_how_it_is_enforced(coder):
    ev = event(coder, "The alliance is keeping a naval blockade on the rebel harbour.", "COERCE", "blockade")
    assert ev["type"] == "COERCE"
    # near-miss: a blockade by farmers is a protest
    assert not any(t == "COERCE" for t, _ in kinds(coder, "Angry farmers kept up their blockade of the depot."))


def test_rights_abuses_with_a_doer_are_coded(coder):
    ev = event(coder, "Witnesses described alleged human rights abuses by the militia near Goma.", "COERCE", "abuses")
    assert ev["status"] == "unconfirmed"
    # near-miss: a topic, not an act
    assert not any(t == "COERCE" for t, _ in kinds(coder, "Donations help end human rights abuses everywhere."))


def test_challenging_a_decision_rejects_it(coder):
    ev = event(coder, "The opposition said it would challenge the election results in court.", "REJECT", "challenge")
    assert ev["status"] == "intended"
    # near-miss: a rival challenged is no decision rejected
    assert not any(t == "REJECT" for t, _ in kinds(coder, "The senator challenged the governor in the primary."))


def test_the_deed_a_sentence_punishes_is_told(coder):
    ev = event(coder, "The former guard got a life sentence for the 1994 assassination of the mayor.",
               "ASSAULT", "assassination")
    assert ev["status"] == "historical"
    # near-miss: a sentence served in a place punishes nothing named there
    assert not any(t == "ASSAULT" for t, _ in kinds(coder, "The former guard got a life sentence in a court near the capital."))


def test_asking_an_unnamed_person_to_act_is_a_request_even_denied(coder):
    ev = event(coder, "The governor said he never asked anyone to destroy the files.", "REQUEST", "asked")
    assert ev["status"] == "denied" and "governor" in (ev["attributed_to"] or {}).get("text", "").lower()
    # near-miss: a question asked is no request
    assert not any(t == "REQUEST" for t, _ in kinds(coder, "The governor asked why anyone would destroy the files."))


def test_a_gerund_denied_is_a_record_of_its_own(coder):
    ev = event(coder, "Kenya denied sending troops into Somalia.", "MOBILIZE", "sending")
    assert ev["status"] == "denied" and names_of(ev) == ["Kenya"]
    # near-miss: a participle telling how a march went stays part of the march
    evs = code(coder, "Thousands marched through the capital, demanding the release of the prisoners.")
    assert [e["type"] for e in evs] == ["PROTEST"]


def names_of(ev: dict) -> list[str]:
    return [(a.get("name") or a["text"]) for a in ev["actors"]]


def test_a_strike_named_by_weapon_or_target_is_an_attack(coder):
    ev = event(coder, "Minsk threatened a nuclear strike on the rebel bases.", "ASSAULT", "strike")
    assert ev["status"] in ("threatened", "hypothetical")
    ev = event(coder, "The plan for a strike on North Korea was shelved.", "ASSAULT", "strike")
    assert ev["type"] == "ASSAULT"
    # near-miss: a walkout against a reform is a protest
    assert ("PROTEST", "strike") in kinds(coder, "Workers began a strike against the pension reform.")
    assert not any(t == "ASSAULT" for t, _ in kinds(coder, "Workers began a strike against the pension reform."))


def test_an_option_not_ruled_out_is_only_possible(coder):
    ev = event(coder, "Delhi has not ruled out military action against the militants.", "ASSAULT", "military action")
    assert ev["status"] == "hypothetical"
    # near-miss: ruled out, it is refused
    ev = event(coder, "Delhi has ruled out military action against the militants.", "ASSAULT", "military action")
    assert ev["status"] == "negated"


def test_an_act_called_likely_or_unlikely_is_only_possible(coder):
    ev = event(coder, "The guerrillas are unlikely to attack the capital before the rains.", "ASSAULT", "attack")
    assert ev["status"] == "hypothetical"
    # near-miss: the same act told as done
    ev = event(coder, "The guerrillas attacked the capital before the rains.", "ASSAULT", "attack")
    assert ev["status"] == "asserted"


def test_crack_down_is_the_verb_of_a_crackdown(coder):
    ev = event(coder, "Riot police cracked down on the marchers in the port city.", "COERCE", "cracked down")
    assert ev["status"] == "asserted"
    # near-miss: a crack in the ice is no crackdown
    assert not any(t == "COERCE" for t, _ in kinds(coder, "The ice cracked under the weight of the lorry."))


def test_a_future_act_only_feared_by_others_is_a_forecast(coder):
    ev = event(coder, "Villagers fear the militia will attack the village again.", "ASSAULT", "attack")
    assert ev["status"] == "hypothetical" and "villagers" in (ev["attributed_to"] or {}).get("text", "").lower()
    # near-miss: the doer announcing it threatens it
    ev = event(coder, "The militia said it will attack the village again.", "ASSAULT", "attack")
    assert ev["status"] == "threatened"


def test_an_event_called_off_in_the_passive_did_not_happen(coder):
    ev = event(coder, "The dockers' strike has been called off.", "PROTEST", "strike")
    assert ev["status"] == "negated"
    # near-miss: a strike called by the unions is on
    ev = event(coder, "The strike was called by the dock unions.", "PROTEST", "strike")
    assert ev["status"] == "asserted"


def test_an_incursion_is_an_attack_even_when_denied(coder):
    ev = event(coder, "Baku said there had been no incursion into its territory.", "ASSAULT", "incursion")
    assert ev["status"] in ("negated", "denied")
    # near-miss: an excursion is a trip
    assert not any(t == "ASSAULT" for t, _ in kinds(coder, "Baku said the excursion into the mountains was a success."))


def test_giving_way_on_a_point_is_a_concession_mostly_refused_or_possible(coder):
    ev = event(coder, "Tehran refused to budge on enrichment.", "CONCEDE", "budge")
    assert ev["status"] == "negated"
    ev = event(coder, "Seoul might be willing to move on the question of compensation.", "CONCEDE", "move")
    assert ev["status"] == "hypothetical"
    # near-miss: troops moving on a town concede nothing
    assert not any(t == "CONCEDE" for t, _ in kinds(coder, "The convoy moved on the capital at dawn."))


def test_armed_forces_stepping_in_only_asked_about(coder):
    evs = code(coder, "Observers asked whether the army would intervene in the north.")
    assert [(e["type"], e["status"]) for e in evs] == [("ASSAULT", "hypothetical")]
    # near-miss: the army announcing it is a threat; a court stepping in is no attack
    assert ("THREATEN", "intervene") in kinds(coder, "The army said it will intervene if the rebels advance.")
    assert not any(t == "ASSAULT" for t, _ in kinds(coder, "The court intervened to halt the sale."))


def test_a_strike_that_kills_is_an_attack(coder):
    ev = event(coder, "A strike killed twelve fighters near the border.", "ASSAULT", "strike")
    assert ev["status"] == "asserted"
    # near-miss: a walkout that hurts business
    assert not any(t == "ASSAULT" for t, _ in kinds(coder, "The strike hit the port's business hard."))


def test_an_act_prevented_did_not_happen(coder):
    ev = event(coder, "Officials said the raid had been thwarted.", "ASSAULT", "raid")
    assert ev["status"] == "negated"
    # near-miss: a raid told as carried out
    ev = event(coder, "Officials said the raid had been carried out at dawn.", "ASSAULT", "raid")
    assert ev["status"] != "negated"


def test_a_plan_denied_denies_what_it_plans(coder):
    ev = event(coder, "Rome denied plans to send ground troops.", "MOBILIZE", "send")
    assert ev["status"] == "denied"
    # near-miss: a plan rejected is refused, not denied
    ev = event(coder, "The senate rejected plans to send ground troops.", "MOBILIZE", "send")
    assert ev["status"] == "negated"


def test_another_countrys_forecast_is_no_plan_or_threat(coder):
    ev = event(coder, "Minsk said Vilnius would attack the rebels within days.", "ASSAULT", "attack")
    assert ev["status"] == "hypothetical"
    # near-miss: the country announcing its own attack threatens it
    ev = event(coder, "Minsk said it would attack the rebels within days.", "ASSAULT", "attack")
    assert ev["status"] == "threatened"


def test_deaths_laid_at_someones_door_are_an_attack(coder):
    ev = event(coder, "The colonel is considered responsible for the deaths of dozens of students in 1989.",
               "ASSAULT", "deaths")
    assert ev["status"] in ("historical", "asserted")
    # near-miss: deaths mourned, or caused by a flood, tell no attack
    assert not any(t == "ASSAULT" for t, _ in kinds(coder, "Relatives mourned the deaths of the two fishermen."))
    assert not any(t == "ASSAULT" for t, _ in kinds(coder, "The floods caused the deaths of 200 villagers."))
