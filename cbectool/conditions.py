"""Declarative conditions: when a question is shown, a gate fires, an action applies.

Conditions are data, never code. A leaf compares one answer
(``{question: sells_online, equals: "yes"}``); ``all``, ``any`` and ``not``
combine leaves. An unanswered or skipped question satisfies no comparison,
so ``not`` of a comparison on it is true.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
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
        """Evaluate against validated answers (question id to answer)."""
        return self.evaluator(answers)

    @cached_property
    def evaluator(self) -> Test:
        """This condition compiled to a closure, once (conditions are immutable); ``holds`` without the call."""
        return _compile(self)

    def __getstate__(self) -> dict[Any, Any]:
        return without_compiled(super().__getstate__(), "evaluator")


Test = Callable[[Mapping[str, Answer]], bool]


def without_compiled(state: dict[Any, Any], *names: str) -> dict[Any, Any]:
    """A pickled model's state without the compiled closures (report workers rebuild them on first use)."""
    fields = state["__dict__"]
    return {**state, "__dict__": {key: value for key, value in fields.items() if key not in names}}


def _compile(condition: Condition) -> Test:
    """Semantics (their only implementation): ``all``/``any``/``not`` combine;
    ``answered`` tests presence; every other test is false for a missing answer."""
    if condition.all is not None:
        parts = tuple(child.evaluator for child in condition.all)
        return lambda answers: all(part(answers) for part in parts)
    if condition.any is not None:
        options = tuple(child.evaluator for child in condition.any)
        return lambda answers: any(option(answers) for option in options)
    if condition.not_ is not None:
        inner = condition.not_.evaluator
        return lambda answers: not inner(answers)
    question = condition.question
    assert question is not None  # guaranteed by _exactly_one_test
    if condition.answered is not None:
        expected = condition.answered
        return lambda answers: (answers.get(question) is not None) == expected
    compare = _comparison(condition)

    def leaf(answers: Mapping[str, Answer]) -> bool:
        answer = answers.get(question)
        return False if answer is None else compare(answer)

    return leaf


def _comparison(leaf: Condition) -> Callable[[Answer], bool]:
    """The leaf's one comparison on a present answer."""
    if leaf.equals is not None:
        equals = leaf.equals
        return lambda answer: _as_text(answer) == equals
    if leaf.not_equals is not None:
        not_equals = leaf.not_equals
        return lambda answer: _as_text(answer) != not_equals
    if leaf.one_of is not None:
        one_of = leaf.one_of
        return lambda answer: any(_as_text(item) in one_of for item in _chosen(answer))
    if leaf.includes is not None:
        includes = leaf.includes
        return lambda answer: includes in {_as_text(item) for item in _chosen(answer)}
    if leaf.at_least is not None:
        at_least = leaf.at_least
        return lambda answer: isinstance(answer, float) and answer >= at_least
    if leaf.below is not None:
        below = leaf.below
        return lambda answer: isinstance(answer, float) and answer < below
    return lambda answer: False


def _chosen(answer: Answer) -> tuple[Any, ...]:
    return answer if isinstance(answer, tuple) else (answer,)


def _as_text(answer: Answer) -> str:
    if type(answer) is str:
        return answer
    if isinstance(answer, tuple):
        return " ".join(answer)
    return as_value(answer)


Condition.model_rebuild()


MaskTest = Callable[[int], bool]
"""A condition over a row's truth bits: bit ``n`` set when comparison ``n`` holds (see ``LeafBits``)."""


class LeafBits:
    """Numbers every distinct comparison, so that one int can hold which of them a row satisfies.

    A cohort sheet repeats the same few answers, so the truth of each comparison
    on a question can be worked out once per distinct answer (``truths``) and a
    row's conditions become bit tests. The comparisons themselves are still the
    compiled leaves above: this only changes how their results are combined.
    """

    def __init__(self) -> None:
        self._bits: dict[Condition, int] = {}
        self._by_question: dict[str, list[tuple[Test, int]]] = {}
        self._in_use = False

    @property
    def count(self) -> int:
        """How many bits are given out: bits 0 to count - 1."""
        return len(self._bits)

    def bit(self, leaf: Condition) -> int:
        bit = self._bits.get(leaf)
        if bit is None:
            assert leaf.question is not None, "only comparisons get a bit"
            assert not self._in_use, "compile every condition before working out any truths"
            bit = self._bits[leaf] = 1 << len(self._bits)
            self._by_question.setdefault(leaf.question, []).append((leaf.evaluator, bit))
        return bit

    def truths(self, question: str, answer: Answer | None) -> int:
        """The bits of the comparisons on ``question`` that hold for this answer (None: not answered)."""
        self._in_use = True
        answers: dict[str, Answer] = {} if answer is None else {question: answer}
        return sum(bit for test, bit in self._by_question.get(question, ()) if test(answers))

    def compile(self, condition: Condition) -> MaskTest:
        """The condition as a test of a row's bits; same meaning as ``Condition.holds``."""
        if condition.all is not None or condition.any is not None:
            children = condition.all if condition.all is not None else condition.any
            assert children is not None
            if all(_is_plain(child) for child in children):  # the common case: one test, no calls
                held = sum({self.bit(child) for child in children if child.question is not None})
                failed = sum({self.bit(child.not_) for child in children if child.not_ is not None})
                if condition.all is not None:
                    return lambda mask: mask & held == held and not mask & failed
                return lambda mask: bool(mask & held) or mask & failed != failed
            parts = tuple(self.compile(child) for child in children)
            if condition.all is not None:
                return lambda mask: all(part(mask) for part in parts)
            return lambda mask: any(part(mask) for part in parts)
        if condition.not_ is not None:
            inner = condition.not_
            if inner.question is not None:
                bit = self.bit(inner)
                return lambda mask: not mask & bit
            test = self.compile(inner)
            return lambda mask: not test(mask)
        bit = self.bit(condition)
        return lambda mask: bool(mask & bit)


def _is_plain(condition: Condition) -> bool:
    """A comparison, or ``not`` of one."""
    return condition.question is not None or (condition.not_ is not None and condition.not_.question is not None)
