"""Declarative conditions: when a question is shown, a gate fires, an action applies.

Conditions are data, never code. A leaf compares one answer
(``{question: sells_online, equals: "yes"}``); ``all``, ``any`` and ``not``
combine leaves. An unanswered or skipped question satisfies no comparison,
so ``not`` of a comparison on it is true.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Answer = str | float | tuple[str, ...]
"""A validated answer: a choice value, a number, a tuple of values (multi) or text."""

COMPARISONS = ("equals", "not_equals", "one_of", "includes", "at_least", "below", "answered")
COMBINATIONS = ("all", "any", "not_")


def as_value(raw: object) -> str:
    """Choice values are strings; YAML's ``yes``/``no`` become booleans, so map them back."""
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


class Condition(BaseModel):
    """One comparison on one question, or a combination of conditions."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    question: str | None = Field(None, description="Id of the question whose answer is compared.")
    equals: str | None = Field(None, description="The answer is this choice value.")
    not_equals: str | None = Field(None, description="The question is answered with another value.")
    one_of: tuple[str, ...] | None = Field(None, description="The answer is one of these choice values.")
    includes: str | None = Field(None, description="A multi-choice answer includes this value.")
    at_least: float | None = Field(None, description="A number answer is at least this.")
    below: float | None = Field(None, description="A number answer is below this.")
    answered: bool | None = Field(None, description="The question was (true) or was not (false) answered.")
    all: tuple[Condition, ...] | None = Field(None, description="Every condition holds.")
    any: tuple[Condition, ...] | None = Field(None, description="At least one condition holds.")
    not_: Condition | None = Field(None, alias="not", description="The condition does not hold.")

    @field_validator("equals", "not_equals", "includes", mode="before")
    @classmethod
    def _scalar_as_value(cls, raw: object) -> object:
        return None if raw is None else as_value(raw)

    @field_validator("one_of", mode="before")
    @classmethod
    def _list_as_values(cls, raw: object) -> object:
        if isinstance(raw, list | tuple):
            return tuple(as_value(item) for item in raw)
        return raw

    @model_validator(mode="after")
    def _exactly_one_test(self) -> Condition:
        comparisons = [name for name in COMPARISONS if getattr(self, name) is not None]
        combinations = [name for name in COMBINATIONS if getattr(self, name) is not None]
        if combinations:
            if len(combinations) > 1 or comparisons or self.question is not None:
                raise ValueError("use exactly one of all / any / not, with nothing beside it")
            for name in ("all", "any"):
                if getattr(self, name) == ():
                    raise ValueError(f"'{name}' needs at least one condition")
            return self
        if self.question is None:
            raise ValueError("needs 'question' and one test, or one of all / any / not")
        if len(comparisons) != 1:
            raise ValueError(f"needs exactly one test of: {', '.join(COMPARISONS)}")
        return self

    @property
    def test(self) -> str:
        """The name of this leaf's comparison (for validation messages)."""
        return next(name for name in COMPARISONS if getattr(self, name) is not None)

    def leaves(self) -> Iterator[tuple[str, Condition]]:
        """Every comparison in this condition with its path inside it, for reference checks."""
        if self.all is not None or self.any is not None:
            name = "all" if self.all is not None else "any"
            for index, child in enumerate(getattr(self, name)):
                for path, leaf in child.leaves():
                    yield f".{name}[{index}]{path}", leaf
        elif self.not_ is not None:
            for path, leaf in self.not_.leaves():
                yield f".not{path}", leaf
        else:
            yield "", self

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        """Whether this condition holds for validated answers (question id to answer; a question that was
        skipped or left blank is absent). The one implementation of what a condition means."""
        if self.question is None:  # a combination
            if self.all is not None:
                return all(part.holds(answers) for part in self.all)
            if self.any is not None:
                return any(part.holds(answers) for part in self.any)
            assert self.not_ is not None  # exactly one test (_exactly_one_test)
            return not self.not_.holds(answers)
        answer = answers.get(self.question)
        if self.answered is not None:
            return (answer is not None) == self.answered
        if answer is None:
            return False  # every comparison is false for a missing answer
        if self.equals is not None:
            return _as_text(answer) == self.equals
        if self.includes is not None:
            return any(_as_text(item) == self.includes for item in _chosen(answer))
        if self.one_of is not None:
            return any(_as_text(item) in self.one_of for item in _chosen(answer))
        if self.not_equals is not None:
            return _as_text(answer) != self.not_equals
        if self.at_least is not None:
            return isinstance(answer, float) and answer >= self.at_least
        if self.below is not None:
            return isinstance(answer, float) and answer < self.below
        return False


def _chosen(answer: Answer) -> tuple[Any, ...]:
    return answer if isinstance(answer, tuple) else (answer,)


def _as_text(answer: Answer) -> str:
    if type(answer) is str:
        return answer
    if isinstance(answer, tuple):
        return " ".join(answer)
    return as_value(answer)


Condition.model_rebuild()
