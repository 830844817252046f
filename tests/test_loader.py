"""Questionnaire files: what loads, and the one-line error each kind of mistake gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from cbectool import resources
from cbectool.errors import QuestionnaireError
from cbectool.loader import load_questionnaire, parse_questionnaire
from cbectool.questionnaire import QuestionType


def test_bundled_default_questionnaire_loads_with_the_three_named_dimensions() -> None:
    questionnaire = resources.load()
    assert questionnaire.id == resources.DEFAULT_QUESTIONNAIRE
    assert {"payments", "logistics", "platform"} <= {dimension.id for dimension in questionnaire.dimensions}


def test_starter_exercises_every_question_type_and_rule(starter_path: Path) -> None:
    questionnaire = load_questionnaire(starter_path)
    assert {question.type for question in questionnaire.questions()} == set(QuestionType)
    assert any(question.show_if for question in questionnaire.questions())
    assert any(choice.not_applicable for question in questionnaire.questions() for choice in question.choices)
    assert any(choice.exclusive for question in questionnaire.questions() for choice in question.choices)
    assert questionnaire.gates
    assert all(action.when or action.id in questionnaire.gates[0].actions for action in questionnaire.actions)


def _line_of(text: str, needle: str) -> int:
    """1-based line of the last line containing ``needle`` (a duplicate is reported where it repeats)."""
    return max(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


# Each case: (what to replace in the starter, the replacement, the line the error must point at
# (found by a marker in the mutated text), the path inside the document, words of the message).
MUTATIONS = [
    pytest.param(
        "{value: fcy_account, label: An exporter's foreign-currency account at my bank, points: 8}",
        "{value: fcy_account, label: An exporter's foreign-currency account at my bank, points: lots}",
        "points: lots",
        "dimensions[0].questions[0].choices[1].points",
        "must be a number",
        id="points-not-a-number",
    ),
    pytest.param(
        "      - id: pay_refunds",
        "      - id: pay_invoice_fcy",
        "      - id: pay_invoice_fcy",
        "dimensions[0].questions[2].id",
        "question id 'pay_invoice_fcy' is used twice",
        id="duplicate-question-id",
    ),
    pytest.param(
        "show_if: {question: log_channel, equals: courier}",
        "show_if: {question: log_chanel, equals: courier}",
        "log_chanel",
        "dimensions[1].questions[1].show_if.question",
        "'log_chanel' is not a question",
        id="condition-names-unknown-question",
    ),
    pytest.param(
        "show_if: {question: log_channel, equals: courier}",
        "show_if: {question: log_hs_code, equals: 'yes'}",
        "show_if: {question: log_hs_code",
        "dimensions[1].questions[1].show_if.question",
        "'log_hs_code' must be asked before it",
        id="condition-on-a-later-question",
    ),
    pytest.param(
        "show_if: {question: log_channel, equals: courier}",
        "show_if: {question: log_channel, equals: camel}",
        "equals: camel",
        "dimensions[1].questions[1].show_if.equals",
        "'camel' is not a choice of 'log_channel'",
        id="condition-value-not-a-choice",
    ),
    pytest.param(
        "show_if: {question: log_channel, equals: courier}",
        "show_if: {question: log_channel, at_least: 3}",
        "at_least: 3}",
        "dimensions[1].questions[1].show_if.at_least",
        "'at_least' compares numbers",
        id="number-test-on-a-choice-question",
    ),
    pytest.param(
        "show_if: {question: log_channel, equals: courier}",
        "show_if: {question: log_channel, equals: courier, one_of: [post]}",
        "one_of: [post]",
        "dimensions[1].questions[1].show_if",
        "needs exactly one test",
        id="condition-with-two-tests",
    ),
    pytest.param(
        "show_if: {not: {question: plat_presence, includes: none}}",
        "show_if: {not: {question: plat_presence, includes: nowhere}}",
        "includes: nowhere",
        "dimensions[2].questions[1].show_if.not.includes",
        "'nowhere' is not a choice of 'plat_presence'",
        id="nested-condition-error-path",
    ),
    pytest.param(
        "    cap_level: not_ready",
        "    cap_level: hopeless",
        "cap_level: hopeless",
        "gates[0].cap_level",
        "'hopeless' is not a level",
        id="gate-cap-unknown-level",
    ),
    pytest.param(
        "    actions: [open_foreign_remittance_account]",
        "    actions: [open_account]",
        "actions: [open_account]",
        "gates[0].actions[0]",
        "'open_account' is not an action",
        id="gate-action-unknown",
    ),
    pytest.param(
        "    dimension: logistics\n    why: Faster",
        "    dimension: shipping\n    why: Faster",
        "dimension: shipping",
        "actions[5].dimension",
        "'shipping' is not a dimension",
        id="action-unknown-dimension",
    ),
    pytest.param(
        "    min_score: 70",
        "    min_score: 30",
        "min_score: 30",
        "levels[2].min_score",
        "each min_score must be larger",
        id="levels-not-increasing",
    ),
    pytest.param(
        "      - id: log_hs_code\n        text:",
        "      - id: log_hs_code\n        txt:",
        "        txt:",
        "dimensions[1].questions[2].txt",
        "is not a known field",
        id="misspelt-field",
    ),
    pytest.param(
        '          - {value: "no", label: "No or I don\'t know", points: 0}',
        '          - {value: maybe, label: "No or I don\'t know", points: 0}',
        "id: log_courier_registered",
        "dimensions[1].questions[1]",
        "a yes_no question has the choices 'yes' and 'no'",
        id="yes-no-with-other-choices",
    ),
    pytest.param(
        "    weight: 30",
        "    weight: -30",
        "weight: -30",
        "dimensions[1].weight",
        "greater than 0",
        id="negative-weight",
    ),
    pytest.param(
        "    after: [open_foreign_remittance_account]",
        "    after: [open_foreign_account]",
        "after: [open_foreign_account]",
        "actions[6].after[0]",
        "'open_foreign_account' is not an action",
        id="after-unknown-action",
    ),
    pytest.param(
        "    after: [open_foreign_remittance_account]",
        "    after: [open_alibaba_storefront]",
        "after: [open_alibaba_storefront]",
        "actions[6].after[0]",
        "cannot come after itself",
        id="after-itself",
    ),
    pytest.param(
        "    timeframe: 30\n    sources:\n      - title: SBP guidelines",
        "    timeframe: 30\n    after: [open_alibaba_storefront]\n    sources:\n      - title: SBP guidelines",
        "after: [open_alibaba_storefront]",
        "actions[0].after",
        "goes round in a circle: open_foreign_remittance_account -> open_alibaba_storefront"
        " -> open_foreign_remittance_account",
        id="after-circle",
    ),
    pytest.param(
        "    weight: 30\n",
        "    weight: 30\n    weight: 40\n",
        "weight: 40",
        "",
        "'weight' appears twice",
        id="duplicate-key",
    ),
]


@pytest.mark.parametrize(("old", "new", "marker", "path", "words"), MUTATIONS)
def test_a_broken_questionnaire_gets_one_line_naming_file_line_and_path(
    starter_path: Path, old: str, new: str, marker: str, path: str, words: str
) -> None:
    original = starter_path.read_text(encoding="utf-8")
    assert old in original, "the mutation must apply to the starter"
    broken = original.replace(old, new, 1)
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(broken, "questionnaires/x.yaml")
    message = str(caught.value)
    line = _line_of(broken, marker)
    prefix = f"questionnaires/x.yaml:{line}: " + (f"{path}: " if path else "")
    assert message.startswith(prefix), message
    assert words in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "questionnaires/x.yaml: is empty"),
        ("id: [unclosed\n", "questionnaires/x.yaml:2: is not valid YAML"),
        ("- just\n- a list\n", "questionnaires/x.yaml:1: must be a YAML mapping"),
        ("id: x\nversion: '1'\n", "questionnaires/x.yaml:1: title: is required"),
    ],
)
def test_unusable_documents(text: str, expected: str) -> None:
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text, "questionnaires/x.yaml")
    assert str(caught.value).startswith(expected)


def test_file_problems_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(QuestionnaireError, match=r"missing\.yaml: no such file"):
        load_questionnaire(tmp_path / "missing.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: caf\xe9".encode("latin-1"))
    with pytest.raises(QuestionnaireError, match=r"latin\.yaml: is not UTF-8"):
        load_questionnaire(latin)


def test_texts_may_carry_several_languages_with_english_required(starter_path: Path) -> None:
    original = starter_path.read_text(encoding="utf-8")
    translated = original.replace("    title: Payments\n", '    title: {en: Payments, ur: "ادائیگیاں"}\n', 1)
    questionnaire = parse_questionnaire(translated, "x.yaml")
    assert questionnaire.dimensions[0].title == {"en": "Payments", "ur": "ادائیگیاں"}
    without_english = original.replace("    title: Payments\n", '    title: {ur: "ادائیگیاں"}\n', 1)
    with pytest.raises(QuestionnaireError, match=r"dimensions\[0\]\.title: needs an 'en' \(English\) text"):
        parse_questionnaire(without_english, "x.yaml")


def test_conditions_are_data_never_code(starter_path: Path) -> None:
    original = starter_path.read_text(encoding="utf-8")
    hostile = original.replace(
        "show_if: {question: log_channel, equals: courier}",
        "show_if: \"__import__('os').system('touch /tmp/pwned')\"",
        1,
    )
    with pytest.raises(QuestionnaireError, match=r"show_if: must be a mapping"):
        parse_questionnaire(hostile, "x.yaml")
    python_tag = original.replace("    weight: 30\n", "    weight: !!python/object/apply:os.getcwd []\n", 1)
    with pytest.raises(QuestionnaireError, match="is not valid YAML"):
        parse_questionnaire(python_tag, "x.yaml")
