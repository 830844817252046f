"""Which questions are asked: the one definition, used by validation, scoring, the interview and the cohort.

A question is shown when it has no ``show_if``, or when its ``show_if`` holds
on the answers to the questions shown before it. An answer to a hidden
question is never seen by any later condition.
"""

from __future__ import annotations

from collections.abc import Mapping

from cbectool.conditions import Answer
from cbectool.questionnaire import Question, Questionnaire
from cbectool.scoring.compiled import compile


def walk(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> list[tuple[Question, Answer | None]]:
    """The shown questions in order, each with its answer (None: none) from ``answers`` (checked answers;
    an answer to a hidden question is dropped, and no later condition sees it)."""
    seen: dict[str, Answer] = {}
    shown: list[tuple[Question, Answer | None]] = []
    for question, show_if in compile(questionnaire).asked_when:
        if show_if is not None and not show_if.holds(seen):
            continue
        answer = answers.get(question.id)
        if answer is not None:
            seen[question.id] = answer
        shown.append((question, answer))
    return shown


def shown_answers(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """The answers of the questions shown, given these answers (answers to hidden questions dropped)."""
    return {question.id: answer for question, answer in walk(questionnaire, answers) if answer is not None}
