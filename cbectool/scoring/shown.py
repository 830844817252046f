"""Which questions are asked: the one definition, used by validation, scoring, the interview and the cohort.

A question is shown when it has no ``show_if``, or when its ``show_if`` holds
on the answers to the questions shown before it. An answer to a hidden
question is never seen by any later condition.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from cbectool.conditions import Answer
from cbectool.questionnaire import Question, Questionnaire
from cbectool.scoring.compiled import compile


class Shown(NamedTuple):
    """The questions asked, given a set of answers."""

    questions: list[tuple[Question, Answer | None]]  # in order, each with its answer (None: none)
    answers: dict[str, Answer]  # the answers of the shown questions (those of hidden ones dropped)


def walk(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> Shown:
    """The shown questions in order, with their answers from ``answers`` (checked answers). An answer to a
    hidden question is dropped, and no later condition sees it."""
    seen: dict[str, Answer] = {}
    shown: list[tuple[Question, Answer | None]] = []
    for question, show_if in compile(questionnaire).asked_when:
        if show_if is not None and not show_if.holds(seen):
            continue
        answer = answers.get(question.id)
        if answer is not None:
            seen[question.id] = answer
        shown.append((question, answer))
    return Shown(shown, seen)
