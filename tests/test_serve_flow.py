"""What the web pages add to the interview flow: answers by value (form buttons) and jumps by key.

The terminal keeps ``submit`` (numbers, ``?``, ``b``, Enter keeps); these tests show the two
ways of answering give the same answers and that the web's way reads nothing as a command.
"""

from __future__ import annotations

import pytest
from serve_support import ANSWERS, PROFILE

from cbectool.interview.flow import REVIEW, Interview, Outcome
from cbectool.questionnaire import Questionnaire

BY_VALUE = ANSWERS  # the starter answered with the values a web form sends (the ``starter_answers``)


def answered(interview: Interview, values: list[str | list[str]]) -> Interview:
    for value in values:
        feedback = interview.answer(value)
        assert feedback.outcome == Outcome.ANSWERED, (value, feedback)
    return interview


def test_answers_by_value_give_the_response_file_answers(
    starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    interview = answered(Interview(starter), [*PROFILE, *BY_VALUE])
    assert interview.in_review
    assert interview.submit_review("").outcome == Outcome.FINISH
    response = interview.response(on="2026-11-23")
    assert response.answers == starter_answers
    assert response.business.name == "Ali Sports Works"


def test_a_form_sends_values_never_choice_numbers(starter: Questionnaire) -> None:
    by_value = answered(Interview(starter), [*PROFILE, *BY_VALUE[:3]])
    by_number = answered(Interview(starter), [*PROFILE, *BY_VALUE[:3]])
    assert by_value.state.position == by_number.state.position == "log_channel"
    feedback = by_value.answer("1")
    assert feedback.outcome == Outcome.INVALID
    assert feedback.text == "'1' is not one of the choices."  # the form shows the choices as buttons
    assert by_number.submit("1").outcome == Outcome.ANSWERED  # the terminal's "1" is the first choice shown
    assert by_number.state.answers["log_channel"] == "courier"
    assert by_value.answer("International courier").outcome == Outcome.ANSWERED  # a label, like a response file
    assert by_value.state.answers == by_number.state.answers


def test_commands_are_plain_answers_in_a_form(starter: Questionnaire) -> None:
    interview = Interview(starter)
    assert interview.answer("b").outcome == Outcome.ANSWERED  # a business called "b", not "back"
    assert interview.state.business["name"] == "b"
    assert interview.answer("?").outcome == Outcome.ANSWERED
    assert interview.state.business["city"] == "?"


def test_nothing_sent_is_refused_when_required_and_clears_an_optional_answer(starter: Questionnaire) -> None:
    interview = Interview(starter)
    feedback = interview.answer("  ")
    assert (feedback.outcome, feedback.text) == (Outcome.INVALID, "This question needs an answer.")
    assert interview.state.position == "business.name"
    answered(interview, ["Ali", "Sialkot"])
    assert interview.back().outcome == Outcome.BACK
    assert interview.state.position == "business.city"
    assert interview.answer([]).outcome == Outcome.ANSWERED
    assert "city" not in interview.state.business
    assert interview.state.position == "business.sector"


def test_a_wrong_answer_is_refused_in_a_sentence_and_nothing_moves(starter: Questionnaire) -> None:
    interview = answered(Interview(starter), [*PROFILE, *BY_VALUE[:6]])
    assert interview.state.position == "log_dispatch_days"
    for value, text in [
        ("400", "The largest answer is 365."),
        ("soon", "'soon' is not a number."),
        (["3", "4"], "Takes one answer, not a list."),
    ]:
        feedback = interview.answer(value)
        assert (feedback.outcome, feedback.text) == (Outcome.INVALID, text)
        assert interview.state.position == "log_dispatch_days"
        assert "log_dispatch_days" not in interview.state.answers
    answered(interview, ["3", ["alibaba"]])
    assert interview.back().outcome == Outcome.BACK
    feedback = interview.answer(["alibaba", "none"])
    assert (feedback.outcome, feedback.text) == (
        Outcome.INVALID,
        'Choice "Nowhere yet" cannot be chosen together with other answers.',  # by its label, never its code
    )
    assert interview.state.answers["plat_presence"] == ("alibaba",)


def test_a_jump_changes_one_shown_answer_and_comes_back_to_the_review(starter: Questionnaire) -> None:
    interview = answered(Interview(starter), [*PROFILE, *BY_VALUE])
    assert interview.jump("log_courier_registered").outcome == Outcome.CHANGE
    assert interview.state.position == "log_courier_registered"
    assert interview.jump("log_hs_code").outcome == Outcome.INVALID  # only from the review screen
    assert interview.answer("no").outcome == Outcome.ANSWERED
    assert interview.state.position == REVIEW
    assert interview.state.answers["log_courier_registered"] == "no"


def test_a_jump_to_a_hidden_or_unknown_step_is_refused(starter: Questionnaire) -> None:
    interview = answered(Interview(starter), [*PROFILE, *BY_VALUE])
    interview.jump("log_channel")
    answered(interview, ["post"])  # the courier question is hidden now
    assert interview.in_review
    for key in ("log_courier_registered", "no_such_question", ""):
        feedback = interview.jump(key)
        assert feedback.outcome == Outcome.INVALID
        assert interview.in_review
    assert feedback.text == interview.review_hint()


def test_answer_on_the_review_screen_is_a_programming_error(starter: Questionnaire) -> None:
    interview = answered(Interview(starter), [*PROFILE, *BY_VALUE])
    with pytest.raises(RuntimeError, match="review screen"):
        interview.answer("yes")
