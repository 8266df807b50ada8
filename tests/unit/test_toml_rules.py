"""The rules format (triage/domain/rules/toml_rules.py): the product's own rules and an office's
additions read the same way, and every mistake is named with where it is and the fix."""

import pytest

from triage.domain.rules.classify import CATEGORIES, classify
from triage.domain.rules.defaults import DEFAULT_RULES
from triage.domain.rules.toml_rules import RULE_KEYS, RulesProblems, read

WHOLE = """
format = 1
negations = ["tidak"]
[fragments]
W = '(?:\\w+ )'
[urgent.suicide]
concept = "ending one's life"
language = "id"
phrases = ['ingin {W}{0,2}mati']
[danger_now]
phrases = ['sekarang']
[safe_now]
phrases = ['sudah aman']
"""


def problems(text: str, base=DEFAULT_RULES) -> list:  # noqa: ANN001
    """What is wrong, as the core finds it: (kind, values) each; the shell words them."""
    with pytest.raises(RulesProblems) as caught:
        read(text, base)
    return caught.value.problems


def test_a_whole_rule_set_reads_with_its_fragments_concept_and_language():
    rules = read(WHOLE)
    rule = rules.urgent[0]
    assert (rule.name, rule.concept, rule.language) == ("suicide", "ending one's life", "id")
    assert rule.phrases == ("ingin (?:\\w+ ){0,2}mati",)
    assert classify("aku ingin sekali mati", rules).rules == ("urgent.suicide: ingin sekali mati",)


def test_the_products_rules_define_every_fragment_they_use_and_each_rule_once():
    assert {"W", "HARM"} <= set(DEFAULT_RULES.fragments)
    names = [rule.name for rule in DEFAULT_RULES.urgent]
    assert len(names) == len(set(names)) and "suicide" in names


def test_an_office_file_uses_the_products_fragments_and_its_new_rule_is_topical():
    rules = read('[urgent]\nbahaya = ["dikejar {W}{0,1}preman"]\n', DEFAULT_RULES)
    added = rules.urgent[-1]
    assert added.name == "bahaya" and added.negatable and added.topical
    assert classify("tolong dikejar dua preman", rules).urgent
    assert len(rules.urgent) == len(DEFAULT_RULES.urgent) + 1


def test_a_file_saved_with_a_byte_order_mark_reads():
    assert read('\ufeff[calm]\nphrases = ["lomba poster"]\n', DEFAULT_RULES).calm_context


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("format = 2\n", ("format", {"value": "2", "format": "1"})),
        ('[urgent]\nx = ["{NOPE} mati"]\n', ("fragment_undefined", {"where": "[urgent] x",
                                                                    "name": "NOPE"})),
        ('[urgent.x]\nlevel = "perlu_dicek"\nphrases = ["a"]\n', ("level", {
            "where": "[urgent.x]", "value": "'perlu_dicek'", "allowed": "mendesak"})),
        ('[urgent.x]\nphrase = ["a"]\n', ("rule_key", {"where": "[urgent.x]", "key": "phrase",
                                                      "allowed": ", ".join(RULE_KEYS)})),
        ('[urgent.x]\nnegatable = "yes"\nphrases = ["a"]\n', ("flag", {"where": "[urgent.x]",
                                                                        "key": "negatable"})),
        ("[categories.bayi]\nsusu = 2\n", ("category", {"code": "bayi",
                                                        "allowed": ", ".join(CATEGORIES)})),
        ('urgent_category = "perang"\n', ("urgent_category", {
            "value": "'perang'", "allowed": ", ".join(CATEGORIES)})),
    ],
)  # fmt: skip
def test_a_mistake_is_named_with_what_to_fill_in(text, found):
    assert found in problems(text)


def test_a_file_that_is_no_toml_says_where():
    ((kind, values),) = problems("[urgent\n")
    assert kind == "toml" and "line 1" in values["error"]


def test_a_whole_rule_set_must_have_its_urgent_and_now_rules():
    found = problems('format = 1\nnegations = ["tidak"]\n', base=None)
    assert ("missing", {"section": "urgent"}) in found
    assert ("missing", {"section": "danger_now"}) in found


def test_an_empty_list_in_an_office_file_changes_nothing():
    """An empty rule once matched every text: all urgent, or a trap hiding real danger."""
    rules = read("[urgent]\nbahaya_lokal = []\n[traps]\nphrases = []\n", DEFAULT_RULES)
    assert not classify("halo kak, mau tanya jam buka", rules).urgent
    assert classify("saya mau bunuh diri sekarang", rules).urgent


def test_an_office_framing_word_makes_a_crisis_phrase_after_it_a_topic():
    text = "dengar drama radio yang tokohnya ingin mati"
    assert classify(text, DEFAULT_RULES).risk == "mendesak"
    office = read("[framing]\nphrases = ['drama radio(?: \\w+){0,6}']\n", DEFAULT_RULES)
    assert classify(text, office).risk == "perlu_dicek"
    assert len(office.framing) == len(DEFAULT_RULES.framing) + 1
