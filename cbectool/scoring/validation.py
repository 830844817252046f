"""Raw answers (from a response file, a sheet row or an interview) checked against a questionnaire."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cbectool.conditions import Answer
from cbectool.errors import ResponseError
from cbectool.questionnaire import Questionnaire
from cbectool.response import RawAnswer
from cbectool.scoring.answers import AnswerError
from cbectool.scoring.compiled import compile
from cbectool.scoring.shown import Shown, walk
from cbectool.text import localize


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    """Why one answer cannot be used: ``question`` is its id (also the sheet column). ``message`` is worded for
    a file's reader; ``error`` holds the facts of a rejected answer, for a front end to word its own way."""

    question: str
    message: str
    missing: bool = False  # a shown, required question without an answer
    error: AnswerError | None = None

    def __str__(self) -> str:
        return f"answers.{self.question}: {self.message}"


@dataclass(frozen=True, slots=True)
class Checked:
    """Raw answers checked: the shown questions with their parsed answers, and every problem found."""

    shown: Shown  # as ``shown.walk`` gives them
    problems: list[AnswerProblem]

    @property
    def answers(self) -> dict[str, Answer]:
        """The answers of the shown questions."""
        return self.shown.answers


def check_answers(questionnaire: Questionnaire, raw: Mapping[str, RawAnswer]) -> Checked:
    """Parse the answers of the shown questions and find every problem (in questionnaire order).

    Answers to questions that a condition hides are ignored, so a spreadsheet
    with every column filled still scores. A shown, required question needs an answer.
    """
    rules = compile(questionnaire).questions
    problems: list[AnswerProblem] = []
    parsed: dict[str, Answer] = {}
    rejected: dict[str, AnswerError] = {}
    for question_id, value in raw.items():
        rule = rules.get(question_id)
        if rule is None:
            unknown = f"no such question in {questionnaire.id} {questionnaire.version}"
            problems.append(AnswerProblem(question_id, unknown))
            continue
        try:
            answer = rule.parse(value)
        except AnswerError as error:
            rejected[question_id] = error
            continue
        if answer is not None:
            parsed[question_id] = answer
    shown = walk(questionnaire, parsed)
    if not rejected and len(shown.answers) == len(shown.questions):
        return Checked(shown, problems)  # every shown question has an answer: nothing is missing
    for question, answer in shown.questions:
        if question.id in rejected:
            refused = rejected[question.id]
            problems.append(AnswerProblem(question.id, str(refused), error=refused))
        elif answer is None and question.required:
            problems.append(AnswerProblem(question.id, f'missing answer to "{localize(question.text)}"', True))
    return Checked(shown, problems)


def validate_answers(
    questionnaire: Questionnaire, raw: Mapping[str, RawAnswer], source: str = "answers"
) -> dict[str, Answer]:
    """The answers of the shown questions, parsed; raises ``ResponseError`` (one line per problem, naming
    ``source``) if there is any problem (``check_answers``)."""
    checked = check_answers(questionnaire, raw)
    if checked.problems:
        raise ResponseError(source, [str(problem) for problem in checked.problems])
    return checked.answers
