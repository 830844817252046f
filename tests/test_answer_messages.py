"""A refused answer is told to each reader in their terms: the owner by the numbers and labels on screen, the
trainer by the words of the sheet's drop-downs, a file's writer by labels and the values a file holds."""

from __future__ import annotations

import pickle

import pytest

from cbectool import i18n, resources
from cbectool.cohort.problems import CellWording
from cbectool.errors import ResponseError
from cbectool.interview.flow import MESSAGES, Interview, Outcome, State, refusal
from cbectool.questionnaire import Question, Questionnaire, QuestionType
from cbectool.scoring import AnswerError, Rule, parse_answer, validate_answers
from cbectool.scoring.compiled import compile
from cbectool.text import localize


def refused(question: Question, value: object) -> AnswerError:
    with pytest.raises(AnswerError) as caught:
        parse_answer(question, value)
    return caught.value


@pytest.fixture
def bundled() -> Questionnaire:
    return resources.load(None)


def codes_of(question: Question) -> set[str]:
    """Choice values a person never reads (``fcy_account``); plain words such as ``yes`` are also labels."""
    labels = " ".join(localize(choice.label) for choice in question.choices).casefold()
    return {choice.value for choice in question.choices if choice.value.casefold() not in labels}


def test_the_parser_says_which_rule_with_the_facts(starter: Questionnaire) -> None:
    channel, days = starter.question("pay_receive_channel"), starter.question("log_dispatch_days")
    assert channel is not None and days is not None
    error = refused(channel, "Payoneer; JazzCash")
    assert (error.rule, error.given, error.question) == (Rule.NOT_A_CHOICE, "JazzCash", channel)
    error = refused(channel, ["none", "payoneer"])
    assert (error.rule, error.choice) == (Rule.EXCLUSIVE, "none")
    error = refused(days, 400)
    assert (error.rule, error.limit, error.given) == (Rule.ABOVE_MAX, 365, "400")
    assert isinstance(error, ValueError)  # callers that catch ValueError keep working


def test_errors_survive_the_cohort_memo_and_pickling(starter: Questionnaire) -> None:
    rules = compile(starter).questions["pay_invoice_fcy"]
    for _ in range(2):  # the second time comes from the memo: a fresh error with the same facts
        with pytest.raises(AnswerError) as caught:
            rules.parse("maybe")
        assert (caught.value.rule, caught.value.given) == (Rule.NOT_A_CHOICE, "maybe")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (copy.rule, copy.given, str(copy)) == (caught.value.rule, "maybe", str(caught.value))


def test_the_owner_is_told_in_numbers_and_labels_never_codes(bundled: Questionnaire) -> None:
    asked = 0
    for question in bundled.questions():
        interview = Interview(bundled, State(business={"name": "X"}, position=question.id))
        if question.type not in (QuestionType.SINGLE, QuestionType.MULTI, QuestionType.YES_NO):
            continue
        if interview.state.position != question.id:
            continue  # not shown without earlier answers
        asked += 1
        feedback = interview.submit("JazzCash")
        assert feedback.outcome == Outcome.INVALID
        count = len(question.choices)
        assert feedback.text.startswith("'JazzCash' is not one of the choices. Type one ")
        assert f"from 1 to {count}" in feedback.text
        assert not {code for code in codes_of(question) if code in feedback.text}, question.id
    assert asked >= 20


def test_an_exclusive_choice_is_named_by_its_number_and_label(bundled: Questionnaire) -> None:
    question = bundled.question("pay_receive_channel")
    assert question is not None
    number, none = next((n, c) for n, c in enumerate(question.choices, start=1) if c.exclusive)
    interview = Interview(bundled, State(business={"name": "X"}, position=question.id))
    feedback = interview.submit(f"1, {number}")
    assert feedback.text.startswith(
        f"Choice {number} ({localize(none.label)}) cannot be chosen together with other answers. "
        f"Type one or more numbers from 1 to {len(question.choices)}"
    )
    assert none.value not in feedback.text.replace(localize(none.label), "")


def test_the_trainer_is_told_the_words_of_the_drop_down(bundled: Questionnaire) -> None:
    question = bundled.question("plat_channels")
    assert question is not None
    problem = CellWording().answer(refused(question, "Alibaba.com; JazzCash"))
    labels = [localize(choice.label) for choice in question.choices]
    assert problem == (
        "'JazzCash' is not one of the answers in the list: "
        + ", ".join(f'"{label}"' for label in labels)
        + "; write several answers in one cell, separated by ';'"
    )
    assert not {code for code in codes_of(question) if code in problem}


def test_a_file_writer_is_told_the_labels_and_the_values_a_file_holds(starter: Questionnaire) -> None:
    with pytest.raises(ResponseError) as caught:
        validate_answers(starter, {"pay_invoice_fcy": "maybe"}, "ali.json")
    assert (
        'ali.json: answers.pay_invoice_fcy: \'maybe\' is not one of the choices: "Yes" (yes), "No" (no)'
        in str(caught.value).splitlines()
    )


URDU = """
id: bilingual
version: "1"
title: {en: Two languages, ur: دو زبانیں}
description: A questionnaire in English and Urdu.
languages: [en, ur]
dimensions:
  - id: payments
    title: {en: Payments, ur: ادائیگیاں}
    weight: 1
    questions:
      - id: channel
        text: {en: How are you paid?, ur: آپ کو ادائیگی کیسے ہوتی ہے؟}
        help: {en: Why we ask., ur: ہم کیوں پوچھتے ہیں۔}
        type: multi
        choices:
          - {value: bank, label: {en: "Bank account, in my name", ur: "بینک اکاؤنٹ، میرے نام پر"}, points: 5}
          - {value: wallet, label: {en: Mobile wallet, ur: موبائل والیٹ}, points: 2}
          - {value: none, label: {en: Not yet, ur: ابھی نہیں}, points: 0, exclusive: true}
levels:
  - {id: low, name: Low, min_score: 0, meaning: Start here.}
  - {id: high, name: High, min_score: 50, meaning: Well done.}
"""


def test_each_front_end_names_the_choices_in_the_readers_language(tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("q") / "bilingual.yaml"
    path.write_text(URDU, encoding="utf-8")
    questionnaire = resources.load(str(path))
    question = questionnaire.question("channel")
    assert question is not None
    assert parse_answer(question, "بینک اکاؤنٹ، میرے نام پر; Mobile wallet") == ("bank", "wallet")
    assert parse_answer(question, "موبائل والیٹ، بینک اکاؤنٹ، میرے نام پر") == ("bank", "wallet")  # Urdu commas
    clash = refused(question, "ابھی نہیں; bank")
    urdu = i18n.translate(MESSAGES["refused_exclusive"], "ur", choice="3 (ابھی نہیں)")
    assert refusal(clash, "ur") == urdu != refusal(clash, "en")  # the catalogue's Urdu, the choice by number and label
    assert CellWording("ur").answer(clash) == '"ابھی نہیں" cannot be combined with other answers'
    assert CellWording("en").answer(clash) == '"Not yet" cannot be combined with other answers'


def test_a_choice_text_longer_than_any_answer_needs_is_refused_at_once(starter: Questionnaire) -> None:
    """Reading a list of labels is linear, but a hostile 10 MB cell would still take seconds: it is refused."""
    channel = starter.question("pay_receive_channel")
    assert channel is not None
    assert len(parse_answer(channel, "payoneer; " * 900)) == 1  # 9,000 characters: still read
    error = refused(channel, "payoneer; " * 1001)
    assert (error.rule, str(error)) == (Rule.TOO_LONG, "is longer than 10000 characters")
    assert refused(channel, ["payoneer"] * 1300).rule == Rule.TOO_LONG
