"""The lean cohort row scorer and the truth-bit conditions agree with the full path on every questionnaire.

``RowScorer`` (``cbectool batch``) and ``assess(validate_answers(...))``
(``cbectool score``) must give a business the same result; the row scorer may
only decline a row (None) exactly when validation rejects it.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbectool import resources
from cbectool.conditions import Answer
from cbectool.errors import ResponseError
from cbectool.questionnaire import Question, Questionnaire, QuestionType
from cbectool.response import validate_answers
from cbectool.rowscore import RowResult, RowScorer
from cbectool.scoring import assess
from cbectool.text import localize

STARTER = Path(__file__).parent / "data" / "questionnaires" / "starter.yaml"
QUESTIONNAIRES = [str(STARTER), "tdap-alibaba-cbec"]


@pytest.fixture(params=QUESTIONNAIRES, ids=["starter", "bundled"], scope="module")
def questionnaire(request: pytest.FixtureRequest) -> Questionnaire:
    return resources.load(request.param)


def _cell(question: Question) -> st.SearchStrategy[str]:
    """What a trainer might type: values, labels in any case with stray spaces, lists, blanks and mistakes."""
    junk = st.sampled_from(["", "  ", "maybe", "n/a", "-1", "1e9", "12abc", "yes;no", "۱۲"])
    if question.type == QuestionType.NUMBER:
        low = question.min if question.min is not None else 0
        high = question.max if question.max is not None else 1000
        numbers = st.integers(int(low) - 2, int(min(high, low + 200)) + 2).map(str)
        return st.one_of(numbers, numbers.map(lambda text: f" {text}.0 "), junk)
    if question.type == QuestionType.TEXT:
        return st.one_of(st.text(max_size=12), junk)
    values = [choice.value for choice in question.choices]
    labels = [localize(choice.label) for choice in question.choices]
    one = st.one_of(st.sampled_from(values), st.sampled_from(labels).map(str.upper), st.sampled_from(labels))
    if question.type == QuestionType.MULTI:
        several = st.lists(st.sampled_from(values), min_size=1, max_size=3).map("; ".join)
        return st.one_of(one, several, junk)
    return st.one_of(one, one.map(lambda text: f"  {text} "), junk)


def _full(questionnaire: Questionnaire, answers: dict[str, str]) -> RowResult | None:
    try:
        parsed = validate_answers(questionnaire, answers)
    except ResponseError:
        return None
    return RowResult.of(assess(questionnaire, parsed))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_row_scorer_agrees_with_validate_and_assess(questionnaire: Questionnaire, data: st.DataObject) -> None:
    questions = questionnaire.questions()
    # an extra column first, so that question columns do not start at 0
    record = ["Business"] + [data.draw(_cell(question), label=question.id) for question in questions]
    columns = {question.id: index for index, question in enumerate(questions, start=1)}
    lean = RowScorer(questionnaire, columns).score(record)
    full = _full(questionnaire, {question.id: record[columns[question.id]] for question in questions})
    assert lean == full


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_missing_columns_and_short_rows_read_as_blank(questionnaire: Questionnaire, data: st.DataObject) -> None:
    questions = questionnaire.questions()
    present = data.draw(st.lists(st.sampled_from(questions), unique_by=lambda question: question.id), label="present")
    columns = {question.id: index for index, question in enumerate(present)}
    record = [data.draw(_cell(question), label=question.id) for question in present]
    cut = data.draw(st.integers(0, len(record)), label="cells kept")
    answers = {question.id: record[index] if index < cut else "" for index, question in enumerate(present)}
    assert RowScorer(questionnaire, columns).score(record[:cut]) == _full(questionnaire, answers)


def _answer(question: Question) -> st.SearchStrategy[Answer | None]:
    if question.type == QuestionType.NUMBER:
        return st.one_of(st.none(), st.integers(-5, 500).map(float))
    if question.type == QuestionType.TEXT:
        return st.one_of(st.none(), st.sampled_from(["", "x"]))
    values = [choice.value for choice in question.choices]
    if question.type == QuestionType.MULTI:
        return st.one_of(st.none(), st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True).map(tuple))
    return st.one_of(st.none(), st.sampled_from(values))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_truth_and_action_bits_give_every_condition_its_meaning(
    questionnaire: Questionnaire, data: st.DataObject
) -> None:
    """Any answers at all (shown or not): each compiled test agrees with ``Condition.holds`` on the answers."""
    answers: dict[str, Any] = {}
    for question in questionnaire.questions():
        answer = data.draw(_answer(question), label=question.id)
        if answer is not None:
            answers[question.id] = answer
    plan = questionnaire.plan
    truths = actions = 0
    for question_plan in plan.questions:
        facts = question_plan.facts(answers.get(question_plan.id))
        truths |= facts.truths
        actions |= facts.actions
    for question_plan in plan.questions:
        condition = question_plan.question.show_if
        if condition is not None:
            assert question_plan.shown_bits is not None
            assert question_plan.shown_bits(truths) == condition.holds(answers), question_plan.id
    for gate, gate_plan in zip(questionnaire.gates, plan.gates, strict=True):
        assert gate_plan.when(truths) == gate.when.holds(answers), gate.id
    for action in questionnaire.actions:
        action_plan = plan.actions[action.id]
        held = bool(actions & action_plan.bit) or (action_plan.when is not None and action_plan.when(truths))
        assert held == (action.when is not None and action.when.holds(answers)), action.id


def test_a_missing_required_column_sends_the_row_to_the_full_path(questionnaire: Questionnaire) -> None:
    required = next(question for question in questionnaire.questions() if question.required and not question.show_if)
    others = [question for question in questionnaire.questions() if question.id != required.id]
    columns = {question.id: index for index, question in enumerate(others)}
    record = [_first_value(question) for question in others]
    assert RowScorer(questionnaire, columns).score(record) is None


def _first_value(question: Question) -> str:
    if question.type == QuestionType.NUMBER:
        return str(int(question.min or 0))
    if question.type == QuestionType.TEXT:
        return "text"
    return question.choices[0].value


def _fractional_starter(tmp_path: Path) -> Questionnaire:
    """The starter with points such as 0.1 and 0.35, which binary floats cannot add exactly."""
    text = STARTER.read_text(encoding="utf-8")
    for old, new in [
        (
            "fcy_account, label: An exporter's foreign-currency account at my bank, points: 8",
            "fcy_account, label: An exporter's foreign-currency account at my bank, points: 0.2",
        ),
        (
            "bank_remittance, label: My bank account receives foreign remittances, points: 6",
            "bank_remittance, label: My bank account receives foreign remittances, points: 0.1",
        ),
        (
            "payoneer, label: Payoneer or a similar payout service, points: 5",
            "payoneer, label: Payoneer or a similar payout service, points: 0.3",
        ),
        ('{value: "yes", label: "Yes", points: 4}', '{value: "yes", label: "Yes", points: 0.7}'),
        ('{value: "yes", label: "Yes", points: 3}', '{value: "yes", label: "Yes", points: 0.35}'),
    ]:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "fractional.yaml"
    path.write_text(text, encoding="utf-8")
    return resources.load(str(path))


def test_fractional_points_add_up_exactly(tmp_path: Path, starter_answers: dict[str, object]) -> None:
    questionnaire = _fractional_starter(tmp_path)
    assert questionnaire.plan.packing.scale == 100
    answers = dict(starter_answers, pay_receive_channel=["bank_remittance", "payoneer"], pay_refunds="no")
    result = assess(questionnaire, validate_answers(questionnaire, answers))
    # payments, from the points above: channel 0.1 + 0.3 of 0.1 + 0.2 + 0.3 + 5 (trade assurance),
    # invoices "yes" 0.7 of 0.7, refunds "no" 0 of 0.35
    earned = Fraction("0.1") + Fraction("0.3") + Fraction("0.7")
    possible = Fraction("0.1") + Fraction("0.2") + Fraction("0.3") + 5 + Fraction("0.7") + Fraction("0.35")
    assert result.dimension("payments").score == round(float(100 * earned / possible), 1)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_row_scorer_agrees_on_fractional_points(tmp_path: Path, data: st.DataObject) -> None:
    questionnaire = _fractional_starter(tmp_path)
    questions = questionnaire.questions()
    record = [data.draw(_cell(question), label=question.id) for question in questions]
    columns = {question.id: index for index, question in enumerate(questions)}
    lean = RowScorer(questionnaire, columns).score(record)
    assert lean == _full(questionnaire, {question.id: record[columns[question.id]] for question in questions})
