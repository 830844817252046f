"""The cohort row path (``scoring.rows``) is the engine of ``cbectool score``: same answers, same result.

A sheet row and a response file with the same answers must give a business the
same assessment, and a row is rejected exactly when validation rejects it, with
the same problems.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbectool import resources
from cbectool.errors import ResponseError
from cbectool.questionnaire import Question, Questionnaire, QuestionType
from cbectool.response import Business
from cbectool.scoring import assess, validate_answers
from cbectool.scoring.rows import ProfileProblem, ScoredRow, score_row
from cbectool.text import localize

STARTER = Path(__file__).parent / "data" / "questionnaires" / "starter.yaml"
QUESTIONNAIRES = [str(STARTER), "tdap-alibaba-cbec"]
PROFILE = {"business_name": "Ali Sports Works", "city": "Sialkot"}


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


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_row_scores_as_cbectool_score_would(questionnaire: Questionnaire, data: st.DataObject) -> None:
    cells = {question.id: data.draw(_cell(question), label=question.id) for question in questionnaire.questions()}
    outcome = score_row(questionnaire, PROFILE, cells)
    try:
        expected = assess(questionnaire, validate_answers(questionnaire, cells, "row 2"))
    except ResponseError as error:
        assert not isinstance(outcome, ScoredRow)
        assert [str(problem) for problem in outcome] == error.problems
        return
    assert isinstance(outcome, ScoredRow)
    assert outcome.assessment == expected
    assert outcome.business.name == "Ali Sports Works"


def test_profile_limits_are_the_business_models(questionnaire: Questionnaire) -> None:
    """One source for the profile's rules: a name may be as long as ``response.Business`` allows, and no longer."""
    limit = next(meta.max_length for meta in Business.model_fields["name"].metadata if hasattr(meta, "max_length"))
    answers: dict[str, object] = {}
    longest = score_row(questionnaire, {"business_name": "x" * limit}, answers)
    too_long = score_row(questionnaire, {"business_name": "x" * (limit + 1)}, answers)
    assert not any(isinstance(problem, ProfileProblem) for problem in _problems(longest))
    assert [problem.column for problem in _problems(too_long) if isinstance(problem, ProfileProblem)] == [
        "business_name"
    ]
    nameless = score_row(questionnaire, {"business_name": "  ", "city": "Sialkot"}, answers)
    assert ProfileProblem("business_name", "the business name is missing") in _problems(nameless)


def _problems(outcome: object) -> list[object]:
    return outcome if isinstance(outcome, list) else []


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
    answers = dict(starter_answers, pay_receive_channel=["bank_remittance", "payoneer"], pay_refunds="no")
    result = assess(questionnaire, validate_answers(questionnaire, answers))
    # payments, from the points above: channel 0.1 + 0.3 of 0.1 + 0.2 + 0.3 + 5 (trade assurance),
    # invoices "yes" 0.7 of 0.7, refunds "no" 0 of 0.35
    earned = Fraction("0.1") + Fraction("0.3") + Fraction("0.7")
    possible = Fraction("0.1") + Fraction("0.2") + Fraction("0.3") + 5 + Fraction("0.7") + Fraction("0.35")
    payments = result.dimension("payments")
    assert (payments.earned, payments.possible) == (Decimal("1.1"), Decimal("6.65"))  # exact, unlike 0.1 + 0.2
    assert Fraction(payments.earned) == earned and Fraction(payments.possible) == possible
    # 100 x 1.1 / 6.65 = 16.541..., cut to one decimal
    assert payments.score == 16.5
