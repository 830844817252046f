"""The engine equals an independent scorer written from the README alone (tests/reference_scorer.py).

Random answers as people and files give them: values, labels in any case,
blanks, "not applicable", multi-choice lists, and numbers at and around every
threshold. Both must agree on every figure, level, gate and step of the plan,
and on which answer sets are incomplete.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import reference_scorer
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cbectool import resources
from cbectool.errors import ResponseError
from cbectool.questionnaire import Question, Questionnaire, QuestionType
from cbectool.scoring import assess, validate_answers
from cbectool.text import localize

STARTER = Path(__file__).parent / "data" / "questionnaires" / "starter.yaml"


@pytest.fixture(params=[str(STARTER), "tdap-alibaba-cbec"], ids=["starter", "bundled"], scope="module")
def questionnaire(request: pytest.FixtureRequest) -> Questionnaire:
    return resources.load(request.param)


def _as_typed(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from([text, text.upper(), text.lower(), f"  {text} "])


def _choice(question: Question) -> st.SearchStrategy[str]:
    return st.sampled_from(question.choices).flatmap(
        lambda choice: st.one_of(_as_typed(choice.value), _as_typed(localize(choice.label)))
    )


def _answer(question: Question) -> st.SearchStrategy[Any]:
    """A blank now and then (a blank required answer makes the set incomplete), else a typed answer."""
    blank = st.sampled_from([None, "", []])
    return st.integers(0, 149).flatmap(lambda draw: blank if draw == 0 else _given(question))


def _given(question: Question) -> st.SearchStrategy[Any]:
    if question.type == QuestionType.NUMBER:
        edges = {question.min or 0, question.max or 0}
        for step in question.scoring:
            edges |= {step.at_least - 1, step.at_least - 0.5, step.at_least, step.at_least + 1}
        low = question.min if question.min is not None else -(10**6)
        high = question.max if question.max is not None else 10**6
        numbers = st.sampled_from(sorted(edge for edge in edges if low <= edge <= high))
        return st.one_of(numbers, st.integers(int(max(low, -1000)), int(min(high, 1000))))
    if question.type == QuestionType.TEXT:
        return st.text(min_size=1, max_size=8).filter(str.strip)
    if question.type == QuestionType.MULTI:
        ordinary = [choice for choice in question.choices if not choice.exclusive]
        several = st.lists(st.sampled_from(ordinary), min_size=1, max_size=3, unique=True).flatmap(
            lambda choices: st.tuples(*(_as_typed(choice.value) for choice in choices)).map(list)
        )
        alone = [choice for choice in question.choices if choice.exclusive]
        single = st.sampled_from(alone).map(lambda choice: [choice.value]) if alone else several
        return st.one_of(several, single)
    return _choice(question)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_engine_scores_as_the_readme_says(questionnaire: Questionnaire, data: st.DataObject) -> None:
    raw = {question.id: data.draw(_answer(question), label=question.id) for question in questionnaire.questions()}
    expected = reference_scorer.score(questionnaire, raw)
    event("complete" if expected is not None else "incomplete")
    try:
        assessment = assess(questionnaire, validate_answers(questionnaire, raw))
    except ResponseError as error:
        assert expected is None, error.problems
        return
    assert expected is not None
    assert [(d.id, d.score, d.level) for d in assessment.dimensions] == expected.dimensions
    overall = assessment.overall
    assert (overall.score, overall.level, overall.band_level) == (expected.score, expected.level, expected.band_level)
    assert list(overall.capped_by) == expected.capped_by
    assert list(assessment.gates) == expected.gates
    assert [(step.id, step.phase) for step in assessment.actions] == expected.plan
    assert [step.priority for step in assessment.actions] == list(range(1, len(assessment.actions) + 1))
