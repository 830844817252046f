"""The cohort sheet layout: profile columns, then one column per question id.

Row 1 holds the column ids (what the program reads); row 2 may hold the
question texts for people (what the template writes). The reader recognises
that second row and skips it, so a trainer never has to delete it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from cbectool.questionnaire import CHOICE_TYPES, Question, Questionnaire, QuestionType
from cbectool.scoring import choice_inputs, split_choices
from cbectool.text import localize

BUSINESS_NAME = "business_name"
PROFILE_COLUMNS: tuple[str, ...] = (
    BUSINESS_NAME,
    "city",
    "sector",
    "products",
    "contact",
    "assessed_on",
    "assessed_by",
)
PROFILE_TEXTS: dict[str, str] = {
    BUSINESS_NAME: "Business name (required)",
    "city": "City",
    "sector": "Sector",
    "products": "Main products",
    "contact": "Contact (phone or e-mail)",
    "assessed_on": "Date of the assessment (YYYY-MM-DD)",
    "assessed_by": "Assessed by (trainer's name or 'self')",
}
MULTI_SEPARATOR = "; "
"""How several answers to a multi-choice question are written in one cell."""


@dataclass(frozen=True)
class CohortLayout:
    """The columns of a cohort sheet for one questionnaire, with the texts people read."""

    questionnaire: Questionnaire
    lang: str = "en"

    @cached_property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(question.id for question in self.questionnaire.questions())

    @cached_property
    def columns(self) -> tuple[str, ...]:
        return PROFILE_COLUMNS + self.question_ids

    @cached_property
    def texts(self) -> dict[str, str]:
        """Column id to the text of the second header row."""
        texts = dict(PROFILE_TEXTS)
        for question in self.questionnaire.questions():
            texts[question.id] = question_text(question, self.lang)
        return texts

    @cached_property
    def _normalised_texts(self) -> dict[str, str]:
        return {column: _normalise(text) for column, text in self.texts.items()}

    def is_text_row(self, row: Mapping[str, object]) -> bool:
        """Whether a row is the second header row (question texts), not a business."""
        filled = [(column, value) for column, value in row.items() if isinstance(value, str) and value.strip()]
        if not filled:
            return False
        matching = sum(1 for column, value in filled if _normalise(value) == self._normalised_texts.get(column))
        return matching * 2 >= len(filled)


def layout_for(questionnaire: Questionnaire, lang: str = "en") -> CohortLayout:
    return CohortLayout(questionnaire, lang)


def question_text(question: Question, lang: str = "en") -> str:
    """The question as the second header row shows it, with a hint on how to answer."""
    text = localize(question.text, lang)
    if question.type == QuestionType.MULTI:
        return f"{text} (one or more, separated by ;)"
    if question.type == QuestionType.NUMBER:
        unit = localize(question.unit, lang)
        return f"{text} (a number{', ' + unit if unit else ''})"
    if question.show_if is not None:
        return f"{text} (only if it applies)"
    return text


def allowed_answers(question: Question, lang: str = "en") -> list[str]:
    """What a drop-down offers, one item per choice: the label a person reads, which the sheet reads back
    as that choice (alone, or among others in a multi-choice cell, commas and all); the value only for a
    label that would read back as another choice (two choices with one label)."""
    if question.type not in CHOICE_TYPES:
        return []
    inputs = choice_inputs(question)
    items = []
    for choice in question.choices:
        label = " ".join(localize(choice.label, lang).split())
        items.append(label if split_choices(label, inputs) == [choice.value] else choice.value)
    return items


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()
