"""The questionnaire model: dimensions of questions, levels, gates and actions.

These models check what one object can check by itself (types, ranges, choice
sets). Checks that need the whole document (unique ids, references resolved,
bands that make sense) live in ``loader.check_questionnaire`` so that each
problem can be reported with its own line in the file.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cbectool.conditions import Condition, as_value
from cbectool.text import LanguageCode, LocalizedText

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
"""Ids are lower-case snake_case: they become spreadsheet headers and JSON keys."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class QuestionType(StrEnum):
    SINGLE = "single"  # one choice from a list
    MULTI = "multi"  # any number of choices from a list
    YES_NO = "yes_no"  # choices "yes" and "no" (and optionally "na")
    NUMBER = "number"  # a number, scored by thresholds
    TEXT = "text"  # free text, never scored


CHOICE_TYPES = frozenset({QuestionType.SINGLE, QuestionType.MULTI, QuestionType.YES_NO})


class Effort(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Impact(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


RANK = {"low": 1, "medium": 2, "high": 3}


class Choice(_Strict):
    value: Identifier = Field(description="Stored in response files; stable across versions.")
    label: LocalizedText = Field(description="What the owner reads.")
    points: float = Field(0, ge=0, description="Points this choice earns.")
    not_applicable: bool = Field(
        False, description="Answering this removes the question from the score (it neither earns nor costs)."
    )
    exclusive: bool = Field(False, description="Multi-choice only: cannot be combined with other choices.")

    @field_validator("value", mode="before")
    @classmethod
    def _yaml_booleans_are_values(cls, raw: object) -> object:
        return as_value(raw) if isinstance(raw, bool | int | float) else raw


class Threshold(_Strict):
    at_least: float = Field(description="From this number up (until the next threshold)...")
    points: float = Field(ge=0, description="...the answer earns these points.")


class Question(_Strict):
    id: Identifier
    text: LocalizedText
    help: LocalizedText = Field(description="Why we ask, in plain words; shown on '?'.")
    type: QuestionType
    required: bool = Field(True, description="A shown question must be answered.")
    choices: tuple[Choice, ...] = ()
    show_if: Condition | None = Field(None, description="Ask only when this holds; otherwise skipped.")
    min: float | None = Field(None, description="Number questions: the smallest accepted answer.")
    max: float | None = Field(None, description="Number questions: the largest accepted answer.")
    unit: LocalizedText | None = Field(None, description="Number questions: e.g. 'hours' or 'PKR'.")
    scoring: tuple[Threshold, ...] = Field((), description="Number questions: points by threshold.")
    max_points: float | None = Field(
        None, gt=0, description="Multi-choice: cap on the summed points (default: the sum of all choices)."
    )

    @model_validator(mode="after")
    def _fits_its_type(self) -> Question:
        if self.type in CHOICE_TYPES:
            if len(self.choices) < 2:
                raise ValueError(f"a '{self.type}' question needs at least two choices")
            if self.type == QuestionType.YES_NO:
                values = {choice.value for choice in self.choices}
                if not {"yes", "no"} <= values or not values <= {"yes", "no", "na"}:
                    raise ValueError("a yes_no question has the choices 'yes' and 'no' (and optionally 'na')")
            if self.scoring or self.min is not None or self.max is not None:
                raise ValueError("'scoring', 'min' and 'max' are for number questions only")
        else:
            if self.choices:
                raise ValueError(f"a '{self.type}' question has no choices")
        if self.type != QuestionType.MULTI:
            if self.max_points is not None:
                raise ValueError("'max_points' is for multi-choice questions only")
            if any(choice.exclusive for choice in self.choices):
                raise ValueError("'exclusive' choices are for multi-choice questions only")
        if self.type == QuestionType.TEXT and (self.scoring or self.min is not None or self.max is not None):
            raise ValueError("text questions are not scored and take no 'min', 'max' or 'scoring'")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("'min' is larger than 'max'")
        return self

    @property
    def scored(self) -> bool:
        """Whether this question can earn or cost points."""
        return self.possible_points > 0

    @property
    def possible_points(self) -> float:
        """Most points an answer can earn."""
        if self.type == QuestionType.NUMBER:
            return max((step.points for step in self.scoring), default=0.0)
        if self.type == QuestionType.MULTI:
            total = sum(choice.points for choice in self.choices if not choice.not_applicable)
            return min(total, self.max_points) if self.max_points is not None else total
        return max((choice.points for choice in self.choices if not choice.not_applicable), default=0.0)

    def choice(self, value: str) -> Choice | None:
        return self._choices_by_value.get(value)

    @cached_property
    def _choices_by_value(self) -> dict[str, Choice]:
        return {choice.value: choice for choice in self.choices}


class Dimension(_Strict):
    id: Identifier
    title: LocalizedText
    description: LocalizedText | None = None
    weight: float = Field(gt=0, description="Share of the overall score, relative to the other dimensions.")
    questions: tuple[Question, ...] = Field(min_length=1)


class Level(_Strict):
    id: Identifier
    name: LocalizedText
    min_score: float = Field(ge=0, le=100, description="Overall or dimension score from which this level holds.")
    meaning: LocalizedText = Field(description="What a business at this level can do now and should do next.")


class Gate(_Strict):
    id: Identifier
    when: Condition = Field(description="The gate fires when this holds.")
    cap_level: Identifier = Field(description="The overall level can be at most this one while the gate fires.")
    reason: LocalizedText = Field(description="Why, in words the owner understands.")
    actions: tuple[Identifier, ...] = Field((), description="Actions that lift the gate; they come first.")
    legal_barrier: bool = Field(
        False,
        description="The business cannot yet lawfully be paid or registered: in cohort shortlists it never stands "
        "ready and ranks behind every business that can, whatever its score.",
    )


class Source(_Strict):
    title: str
    url: str = Field(pattern=r"^https?://\S+$")
    date: str = Field(description="Date of the source (YYYY, YYYY-MM or YYYY-MM-DD).", pattern=r"^\d{4}(-\d{2}){0,2}$")


class Timeframe(StrEnum):
    DAYS_30 = "30"
    DAYS_60 = "60"
    DAYS_90 = "90"


class Action(_Strict):
    id: Identifier
    title: LocalizedText
    dimension: Identifier
    why: LocalizedText = Field(description="What the owner gains.")
    first_step: LocalizedText = Field(description="The very first thing to do, this week.")
    where: LocalizedText = Field(description="Where to go: the bank, FBR's portal, PSW, TDAP, the chamber...")
    effort: Effort
    impact: Impact
    timeframe: Timeframe = Field(description="Within the first 30, 60 or 90 days.")
    when: Condition | None = Field(
        None, description="Recommended when this holds (gate actions also when their gate fires)."
    )
    sources: tuple[Source, ...] = ()
    after: tuple[Identifier, ...] = Field(
        (), description="Actions that must be done before this one; a plan never schedules it earlier."
    )

    @field_validator("timeframe", mode="before")
    @classmethod
    def _number_to_text(cls, raw: object) -> object:
        return str(raw) if isinstance(raw, int) else raw


class Questionnaire(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, title="cbectool questionnaire")

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]
    version: str = Field(pattern=r"^\d+(\.\d+)*$", description="Increase it whenever scoring changes.")
    title: LocalizedText
    description: LocalizedText | None = None
    languages: tuple[LanguageCode, ...] = ("en",)
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    levels: tuple[Level, ...] = Field(min_length=2, description="Lowest first; the first starts at 0.")
    gates: tuple[Gate, ...] = ()
    actions: tuple[Action, ...] = ()

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, raw: object) -> object:
        return str(raw) if isinstance(raw, int | float) else raw

    def questions(self) -> list[Question]:
        """Every question, in the order they are asked."""
        return list(self._questions_by_id.values())

    def question(self, question_id: str) -> Question | None:
        return self._questions_by_id.get(question_id)

    @cached_property
    def _questions_by_id(self) -> dict[str, Question]:
        return {question.id: question for dimension in self.dimensions for question in dimension.questions}

    def level(self, level_id: str) -> Level:
        return next(level for level in self.levels if level.id == level_id)

    def level_rank(self, level_id: str) -> int:
        return next(index for index, level in enumerate(self.levels) if level.id == level_id)
