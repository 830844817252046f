"""The scoring engine: hand-worked examples on the starter questionnaire, and properties on every questionnaire."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cbectool import resources
from cbectool.questionnaire import Question, Questionnaire, QuestionType
from cbectool.scoring import (
    AnswerStatus,
    Assessment,
    assess,
    format_score,
    parse_answer,
    score_answer,
    validate_answers,
)
from cbectool.scoring.engine import tenths_down

STARTER = Path(__file__).parent / "data" / "questionnaires" / "starter.yaml"


def _assess(questionnaire: Questionnaire, raw: dict[str, Any]) -> Assessment:
    return assess(questionnaire, validate_answers(questionnaire, raw))


# --- worked examples (points read from tests/data/questionnaires/starter.yaml) ---------------------------------


def test_worked_example(starter: Questionnaire, starter_answers: dict[str, object]) -> None:
    result = _assess(starter, starter_answers)
    # payments: fcy_account 8 of 10 + invoices yes 4 of 4 + refunds no 0 of 3 = 12 of 17
    # logistics: courier 5 of 5 + registered 3 of 3 + no PCT code 0 of 4 + 3 days dispatch 4 of 4 = 12 of 16
    # platform: alibaba 6 of 8 + 6 hours reply 4 of 4 + some photos 2 of 4 = 12 of 16
    # Scores are cut to one decimal (README, "How scores are made"): 100 x 12 / 17 = 70.588... is 70.5.
    expected = {"payments": 70.5, "logistics": 75.0, "platform": 75.0}
    assert {dimension.id: dimension.score for dimension in result.dimensions} == expected
    # weights 35/30/35: (35 x 70.5 + 30 x 75 + 35 x 75) / 100 = 73.425, cut to 73.4
    assert result.overall.score == 73.4
    assert result.overall.level == "export_ready"  # 73.4 >= 70, no gate fired
    assert result.gates == ()
    # Triggered: refunds no, PCT code no, photos "some". High impact first (low effort before medium), then medium.
    assert [action.id for action in result.actions] == ["find_pct_code", "improve_listings", "write_refund_policy"]
    assert [action.priority for action in result.actions] == [1, 2, 3]


def test_gate_caps_the_level_whatever_the_total(starter: Questionnaire, starter_answers: dict[str, object]) -> None:
    result = _assess(starter, dict(starter_answers, pay_receive_channel="none", pay_invoice_fcy="yes"))
    # payments now 4 of 17; logistics and platform stay at 75: overall 52.1, band "getting_started"
    assert result.overall.band_level == "getting_started"
    assert result.overall.level == "not_ready"
    assert result.overall.capped_by == ("no_payment_channel",)
    assert result.gates == ("no_payment_channel",)
    first = result.actions[0]
    assert (first.id, first.gate_related, first.priority) == ("open_foreign_remittance_account", True, 1)


def test_skipped_and_not_applicable_questions_do_not_count_against(
    starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    answers = dict(starter_answers, pay_refunds="na", log_channel="post")
    result = _assess(starter, answers)
    payments = result.dimension("payments")
    refunds = next(answer for answer in payments.answers if answer.question_id == "pay_refunds")
    assert refunds.status == AnswerStatus.NOT_APPLICABLE
    assert (payments.earned, payments.possible) == (12, 14)  # the 3 refund points left the total
    logistics = result.dimension("logistics")
    registered = next(answer for answer in logistics.answers if answer.question_id == "log_courier_registered")
    assert registered.status == AnswerStatus.SKIPPED
    assert (logistics.earned, logistics.possible) == (4 + 0 + 4, 5 + 4 + 4)  # post 4 of 5, no code, fast dispatch


@pytest.mark.parametrize(("days", "points"), [(0, 4), (3, 4), (4, 2), (14, 2), (15, 0), (365, 0)])
def test_number_thresholds_score_from_each_step_up_to_the_next(
    starter: Questionnaire, starter_answers: dict[str, object], days: int, points: int
) -> None:
    # starter: dispatch within 0-3 days earns 4, 4-14 days 2, 15 or more 0 (lower is better)
    logistics = _assess(starter, dict(starter_answers, log_dispatch_days=days)).dimension("logistics")
    dispatch = next(answer for answer in logistics.answers if answer.question_id == "log_dispatch_days")
    assert (dispatch.points, dispatch.possible) == (points, 4)


def test_explanation_lists_costly_answers_first(starter: Questionnaire, starter_answers: dict[str, object]) -> None:
    platform = _assess(starter, dict(starter_answers, plat_listing_photos="none")).dimension("platform")
    assert [(gap.question_id, gap.lost) for gap in platform.gaps] == [
        ("plat_listing_photos", 4),
        ("plat_presence", 2),
    ]
    assert [answer.question_id for answer in platform.in_place] == ["plat_reply_hours"]


def test_each_action_is_listed_once_even_when_gate_and_rule_both_trigger_it(starter: Questionnaire) -> None:
    raw = {question.id: _worst_answer(question) for question in starter.questions()}
    result = _assess(starter, raw)
    ids = [action.id for action in result.actions]
    assert len(ids) == len(set(ids))
    assert ids[0] == "open_foreign_remittance_account"


# --- properties -----------------------------------------------------------------------------------------------


def _questionnaires() -> list[Questionnaire]:
    return [resources.load(str(STARTER)), resources.load()]


QUESTIONNAIRES = pytest.mark.parametrize("questionnaire", _questionnaires(), ids=lambda q: q.id)


def _answer_strategy(question: Question) -> st.SearchStrategy[Any]:
    if question.type in (QuestionType.SINGLE, QuestionType.YES_NO):
        strategy: st.SearchStrategy[Any] = st.sampled_from([choice.value for choice in question.choices])
    elif question.type == QuestionType.MULTI:
        exclusive = [choice.value for choice in question.choices if choice.exclusive]
        combinable = [choice.value for choice in question.choices if not choice.exclusive]
        strategy = st.lists(st.sampled_from(combinable), min_size=1, unique=True)
        if exclusive:
            strategy = strategy | st.sampled_from(exclusive).map(lambda value: [value])
    elif question.type == QuestionType.NUMBER:
        low = question.min if question.min is not None else 0
        high = question.max if question.max is not None else 10_000
        strategy = st.integers(int(low), int(high))
    else:
        strategy = st.text(max_size=30)
    return strategy if question.required else st.none() | strategy


def _answers(questionnaire: Questionnaire) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({question.id: _answer_strategy(question) for question in questionnaire.questions()})


def _points(question: Question, raw: Any) -> float:
    return score_answer(question, parse_answer(question, raw)).points


def _best_answer(question: Question) -> Any:
    if question.type == QuestionType.MULTI:
        return [choice.value for choice in question.choices if not choice.exclusive and not choice.not_applicable]
    if question.type == QuestionType.NUMBER:
        return (
            _number_candidates(question)[-1]
            if not question.scoring
            else max(_number_candidates(question), key=lambda value: (_points(question, value), -abs(value)))
        )
    if question.type == QuestionType.TEXT:
        return "text"
    return max(
        (choice for choice in question.choices if not choice.not_applicable), key=lambda choice: choice.points
    ).value


def _worst_answer(question: Question) -> Any:
    if question.type == QuestionType.NUMBER:
        return min(_number_candidates(question), key=lambda value: _points(question, value))
    if question.type == QuestionType.TEXT:
        return "text"
    usable = [choice for choice in question.choices if not choice.not_applicable]
    worst = min(usable, key=lambda choice: choice.points)
    return [worst.value] if question.type == QuestionType.MULTI else worst.value


def _number_candidates(question: Question) -> list[float]:
    low = question.min if question.min is not None else 0.0
    high = question.max if question.max is not None else 10_000.0
    values = {low, high, *(step.at_least for step in question.scoring)}
    return sorted(value for value in values if low <= value <= high)


def _scores(result: Assessment) -> list[float]:
    return [result.overall.score, *(dimension.score for dimension in result.dimensions if dimension.score is not None)]


@QUESTIONNAIRES
def test_all_best_answers_reach_the_top_level_and_all_worst_the_bottom(questionnaire: Questionnaire) -> None:
    best = _assess(questionnaire, {question.id: _best_answer(question) for question in questionnaire.questions()})
    assert best.overall.score == 100.0
    assert best.overall.level == questionnaire.levels[-1].id
    assert best.gates == ()
    worst = _assess(questionnaire, {question.id: _worst_answer(question) for question in questionnaire.questions()})
    assert worst.overall.level == questionnaire.levels[0].id


@QUESTIONNAIRES
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_scores_stay_within_0_and_100_and_are_deterministic(questionnaire: Questionnaire, data: st.DataObject) -> None:
    raw = data.draw(_answers(questionnaire))
    first = _assess(questionnaire, raw)
    assert all(0.0 <= score <= 100.0 for score in _scores(first))
    assert _assess(questionnaire, dict(reversed(list(raw.items())))) == first


def _improvable(questionnaire: Questionnaire) -> list[Question]:
    """Scored questions that no condition depends on (improving them cannot reveal new questions)."""
    referenced = {
        leaf.question
        for question in questionnaire.questions()
        if question.show_if is not None
        for _, leaf in question.show_if.leaves()
    }
    return [question for question in questionnaire.questions() if question.scored and question.id not in referenced]


def _better_answer(question: Question, current: Any, data: st.DataObject) -> Any | None:
    now = _points(question, current)
    if question.type == QuestionType.MULTI:
        chosen = set(current)
        picked = [choice for value in chosen if (choice := question.choice(value)) is not None]
        if any(choice.not_applicable for choice in picked):
            return None  # "not applicable" is not a worse answer: it takes the question out of the score
        if any(choice.exclusive for choice in picked):
            chosen = set()
        options = [c.value for c in question.choices if not c.exclusive and c.points > 0 and c.value not in chosen]
        if not options:
            return None
        better = [*chosen, data.draw(st.sampled_from(options))]
        return better if _points(question, better) > now else None
    if question.type == QuestionType.NUMBER:
        options = [value for value in _number_candidates(question) if _points(question, value) > now]
    else:
        current_choice = question.choice(current)
        if current_choice is not None and current_choice.not_applicable:
            return None
        options = [c.value for c in question.choices if not c.not_applicable and c.points > now]
    return data.draw(st.sampled_from(options)) if options else None


@QUESTIONNAIRES
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_improving_any_single_answer_never_lowers_any_score(questionnaire: Questionnaire, data: st.DataObject) -> None:
    raw = data.draw(_answers(questionnaire))
    question = data.draw(st.sampled_from(_improvable(questionnaire)))
    assume(raw[question.id] is not None)
    better = _better_answer(question, raw[question.id], data)
    assume(better is not None)
    before = _assess(questionnaire, raw)
    after = _assess(questionnaire, dict(raw, **{question.id: better}))
    assert after.overall.score >= before.overall.score
    for old, new in zip(before.dimensions, after.dimensions, strict=True):
        assert (new.score or 0) >= (old.score or 0)


def test_a_compiled_questionnaire_still_pickles_for_report_workers(
    starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    import pickle

    expected = _assess(starter, starter_answers)  # builds the plan and compiles every condition
    copy = pickle.loads(pickle.dumps(starter))
    assert copy == starter
    assert _assess(copy, starter_answers) == expected


@given(st.fractions(min_value=0, max_value=100, max_denominator=10**12))
def test_a_score_is_cut_to_one_decimal_and_shows_100_only_when_it_is_100(exact: Fraction) -> None:
    shown = tenths_down(Decimal(exact.numerator), Decimal(exact.denominator))
    assert Fraction(repr(shown)) <= exact < Fraction(repr(shown)) + Fraction(1, 10)
    assert (format_score(shown) == "100") == (exact == 100)
