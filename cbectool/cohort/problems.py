"""What errors.csv says about a cell, worded for the trainer who fills in the sheet.

Answers are named by the words of the sheet's drop-down lists
(``columns.allowed_answers``), never by codes the sheet does not show. The
texts are kept here, in one place, ready for translation.
"""

from __future__ import annotations

from cbectool.cohort.columns import MULTI_SEPARATOR, allowed_answers
from cbectool.questionnaire import Choice, QuestionType
from cbectool.scoring import AnswerError, Rule

TEXTS: dict[Rule, str] = {
    Rule.NOT_A_CHOICE: "'{given}' is not one of the answers in the list: {choices}",
    Rule.ONE_ANSWER: "takes one answer from the list, not several",
    Rule.NO_ANSWER: "choose at least one answer from the list",
    Rule.EXCLUSIVE: "{choice} cannot be combined with other answers",
    Rule.NOT_A_NUMBER: "'{given}' is not a number",
    Rule.NOT_FINITE: "must be a plain number",
    Rule.BELOW_MIN: "must be at least {limit}",
    Rule.ABOVE_MAX: "must be at most {limit}",
    Rule.TOO_LONG: "is longer than {limit} characters",
}
SEVERAL = "; write several answers in one cell, separated by '{separator}'"
NO_SUCH_COLUMN = "the sheet has no such column; read as blank"
MISSING_COLUMN = " (the sheet has no '{column}' column)"


class CellWording:
    """Words answer errors for errors.csv in one language; the drop-down words of each question are worked
    out once."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self._names: dict[str, list[str]] = {}

    def answer(self, error: AnswerError) -> str:
        question = error.question
        names = self._names.get(question.id)
        if names is None:
            names = self._names[question.id] = allowed_answers(question, self.lang)

        def named(number: int, choice: Choice) -> str:
            return f'"{names[number - 1]}"' if number <= len(names) else choice.value

        text = error.worded(TEXTS, named)
        if error.rule == Rule.NOT_A_CHOICE and question.type == QuestionType.MULTI:
            text += SEVERAL.format(separator=MULTI_SEPARATOR.strip())
        return text
