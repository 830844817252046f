"""Answer sets made from a questionnaire itself (no question ids assumed): the best, the worst, random ones.

Shared by the report's page tests and ``benchmarks/report_speed.py``, so that "the worst case" is one
thing. Answers are raw, as in a response file (choice values, numbers, text).
"""

from __future__ import annotations

import random
import re
from typing import Any

from cbectool.questionnaire import Question, Questionnaire, QuestionType
from cbectool.report import render_report_html
from cbectool.response import parse_response
from cbectool.scoring import Evaluated, evaluate

Answers = dict[str, Any]

BUSINESS = {"name": "Worst Case Traders", "city": "Lahore", "sector": "Home textiles", "products": "Bed linen"}


def response(questionnaire: Questionnaire, answers: Answers, business: dict[str, str] | None = None) -> dict[str, Any]:
    """A response file's data for these answers."""
    return {
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "business": business or BUSINESS,
        "answers": answers,
        "assessed": {"on": "2026-11-23", "by": "self"},
    }


def evaluated(questionnaire: Questionnaire, answers: Answers, business: dict[str, str] | None = None) -> Evaluated:
    return evaluate(parse_response(response(questionnaire, answers, business), "answer set"), questionnaire)


def worst_answers(questionnaire: Questionnaire) -> Answers:
    """Every scored answer at its lowest (never "not applicable"); each routing question (one that scores
    nothing and only decides which questions are asked) answered so as to ask the most questions and
    recommend the most steps: the longest report a business can get."""
    answers = {question.id: _lowest(question) for question in questionnaire.questions()}
    for question in questionnaire.questions():
        if not _routes(question):
            continue
        usable = [choice.value for choice in question.choices if not choice.not_applicable and not choice.exclusive]
        if question.type == QuestionType.MULTI:
            answers[question.id] = usable
            continue
        answers[question.id] = max(usable, key=lambda value: _size(questionnaire, {**answers, question.id: value}))
    return answers


def longest_answers(questionnaire: Questionnaire) -> Answers:
    """The worst answers, then each question in turn given the answer that makes the report's text longest:
    more pages than the worst answers can give (a gap costs as much room as a strength, and a strength
    answered with many choices costs more)."""
    answers = worst_answers(questionnaire)
    longest = _text_length(questionnaire, answers)
    for question in questionnaire.questions():
        for option in _options(question):
            trial = {**answers, question.id: option}
            length = _text_length(questionnaire, trial)
            if length > longest:
                longest, answers = length, trial
    return answers


def best_answers(questionnaire: Questionnaire) -> Answers:
    """Every scored answer at its highest."""
    answers: Answers = {}
    for question in questionnaire.questions():
        if question.type == QuestionType.TEXT:
            answers[question.id] = "Ayesha Khan"
        elif question.type == QuestionType.NUMBER:
            best = max(question.scoring, key=lambda step: (step.points, -step.at_least), default=None)
            answers[question.id] = best.at_least if best is not None else (question.min or 0.0)
        elif question.type == QuestionType.MULTI:
            answers[question.id] = [
                choice.value for choice in question.choices if not choice.exclusive and not choice.not_applicable
            ]
        else:
            usable = [choice for choice in question.choices if not choice.not_applicable]
            answers[question.id] = max(usable, key=lambda choice: choice.points).value
    return answers


def nearly_best_answers(questionnaire: Questionnaire) -> Answers:
    """The best answers with the one change that costs the least: a score just under 100 (the case that used
    to print as 100/100)."""
    best = best_answers(questionnaire)
    candidates = []
    for question in questionnaire.questions():
        if question.type in (QuestionType.SINGLE, QuestionType.YES_NO):
            candidates.extend({**best, question.id: choice.value} for choice in question.choices)
        elif question.type == QuestionType.NUMBER:
            candidates.extend({**best, question.id: step.at_least} for step in question.scoring)
    scored = [
        (evaluated(questionnaire, answers).assessment.overall.score, index) for index, answers in enumerate(candidates)
    ]
    _, index = max((score, index) for score, index in scored if score < 100)
    return candidates[index]


def random_answers(questionnaire: Questionnaire, rng: random.Random) -> Answers:
    """Any valid answer to every question, "not applicable" and "none of these" included."""
    answers: Answers = {}
    for question in questionnaire.questions():
        if question.type == QuestionType.TEXT:
            answers[question.id] = rng.choice(["Ayesha", "Bilal Ahmed", "the owner's son"])
        elif question.type == QuestionType.NUMBER:
            low = question.min if question.min is not None else 0.0
            high = (
                question.max if question.max is not None else max([low + 100, *(s.at_least for s in question.scoring)])
            )
            candidates = [low, high, *(step.at_least for step in question.scoring if low <= step.at_least <= high)]
            answers[question.id] = rng.choice([*candidates, round(rng.uniform(low, high))])
        elif question.type == QuestionType.MULTI:
            alone = [choice.value for choice in question.choices if choice.exclusive]
            combinable = [choice.value for choice in question.choices if not choice.exclusive]
            if alone and (not combinable or rng.random() < 0.2):
                answers[question.id] = [rng.choice(alone)]
            else:
                answers[question.id] = rng.sample(combinable, rng.randint(1, len(combinable)))
        else:
            answers[question.id] = rng.choice(question.choices).value
    return answers


def _options(question: Question) -> list[Any]:
    """A few answers of every kind to one question: each choice, all choices, each number that scores."""
    if question.type == QuestionType.TEXT:
        return ["Ayesha Khan"]
    if question.type == QuestionType.NUMBER:
        return sorted({question.min or 0.0, *(step.at_least for step in question.scoring)})
    if question.type == QuestionType.MULTI:
        combinable = [choice.value for choice in question.choices if not choice.exclusive]
        return [combinable, *([choice.value] for choice in question.choices)]
    return [choice.value for choice in question.choices]


def _text_length(questionnaire: Questionnaire, answers: Answers) -> int:
    html = render_report_html(evaluated(questionnaire, answers))
    return len(" ".join(_TAG.sub(" ", html[html.index("<body>") :]).split()))


_TAG = re.compile(r"<[^>]+>")


def _lowest(question: Question) -> Any:
    if question.type == QuestionType.TEXT:
        return "Nobody yet"
    if question.type == QuestionType.NUMBER:
        return question.min if question.min is not None else 0.0
    usable = [choice for choice in question.choices if not choice.not_applicable]
    lowest = min(usable, key=lambda choice: choice.points)
    return [lowest.value] if question.type == QuestionType.MULTI else lowest.value


def _routes(question: Question) -> bool:
    return question.type in (QuestionType.SINGLE, QuestionType.MULTI) and question.possible_points == 0


def _size(questionnaire: Questionnaire, answers: Answers) -> tuple[int, int]:
    """How much a report holds: steps, then gaps."""
    assessment = evaluated(questionnaire, answers).assessment
    return len(assessment.actions), sum(len(dimension.gaps) for dimension in assessment.dimensions)
