"""A cohort row (a business's profile and answers as a sheet gives them) to its result, through the same
validation and engine as ``cbectool score``: a business scores the same, however it was entered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from pydantic import ValidationError

from cbectool.conditions import Answer
from cbectool.questionnaire import Questionnaire
from cbectool.response import Assessed, Business, RawAnswer
from cbectool.scoring.engine import Assessment, assess_shown
from cbectool.scoring.validation import AnswerProblem, Checked, check_answers

PROFILE_FIELDS = {
    "business_name": "name",
    "city": "city",
    "sector": "sector",
    "products": "products",
    "contact": "contact",
}
"""Profile column of a cohort sheet to the field of ``response.Business`` it fills."""


@dataclass(frozen=True, slots=True)
class ProfileProblem:
    """A profile cell that ``response.Business`` does not accept; ``column`` is the sheet column."""

    column: str
    message: str


RowProblem = ProfileProblem | AnswerProblem


class ScoredRow(NamedTuple):
    """One business scored: its profile, the answers as given and as checked, and the assessment."""

    business: Business
    assessed: Assessed | None
    raw: Mapping[str, RawAnswer]  # the answers as given, question id to cell text or value
    checked: Checked
    assessment: Assessment

    @property
    def answers(self) -> dict[str, Answer]:
        """The checked answers of the shown questions."""
        return self.checked.answers


def score_row(
    questionnaire: Questionnaire, profile: Mapping[str, str], raw: Mapping[str, RawAnswer]
) -> ScoredRow | list[RowProblem]:
    """Check and score one row; the problems (never an exception) when it cannot be scored.

    ``profile`` holds the row's profile cells by column id (``PROFILE_FIELDS``, ``assessed_on``, ``assessed_by``).
    """
    business = _profile_model(Business, profile, PROFILE_FIELDS)
    assessed = _profile_model(Assessed, profile, ASSESSED_FIELDS)
    checked = check_answers(questionnaire, raw)
    if isinstance(business, list) or isinstance(assessed, list) or checked.problems:
        return [*_problems(business), *_problems(assessed), *checked.problems]
    assessment = assess_shown(questionnaire, checked.shown)
    return ScoredRow(business, assessed if assessed.model_fields_set else None, raw, checked, assessment)


ASSESSED_FIELDS = {"assessed_on": "on", "assessed_by": "by"}

_Model = TypeVar("_Model", Business, Assessed)


def _profile_model(
    model: type[_Model], profile: Mapping[str, str], fields: dict[str, str]
) -> _Model | list[ProfileProblem]:
    """Profile cells as their model (``response.Business``, ``Assessed``): the models' limits are the one rule
    for every way a business is entered. Blank cells are left out."""
    data = {field: profile[column] for column, field in fields.items() if profile.get(column, "").strip()}
    if model is Business and "name" not in data:
        return [ProfileProblem("business_name", "the business name is missing")]
    try:
        return model.model_validate(data)
    except ValidationError as error:
        columns = {field: column for column, field in fields.items()}
        return [
            ProfileProblem(
                columns.get(str(problem["loc"][0]) if problem["loc"] else "", "business_name"), problem["msg"]
            )
            for problem in error.errors()
        ]


def _problems(outcome: Business | Assessed | list[ProfileProblem]) -> list[ProfileProblem]:
    return outcome if isinstance(outcome, list) else []
