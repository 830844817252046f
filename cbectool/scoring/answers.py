"""One answer: read from what a person, a file or a sheet gave, and scored.

Points are kept as ``Decimal`` numbers made from the figures as written in
the questionnaire (``2.5`` is exactly 2.5), so adding them up is exact and a
score never depends on the order of the questions or on float rounding.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from cbectool.conditions import Answer, as_value
from cbectool.questionnaire import Question, QuestionType

MAX_TEXT_ANSWER = 2000
ZERO = Decimal(0)


def exact(number: float) -> Decimal:
    """A number from the questionnaire as the decimal it was written as (``0.1`` is one tenth, not the float)."""
    return Decimal(repr(float(number)))


def is_blank(value: object) -> bool:
    """No answer: nothing, an empty or all-space text, or an empty list."""
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def choice_inputs(question: Question) -> dict[str, str]:
    """What a typed answer may be, lower-cased, to the choice value it means: the value, or a label in any
    language (values win over labels); ``y``/``n``/``true``/``false`` for yes/no questions."""
    inputs: dict[str, str] = {}
    for choice in question.choices:
        labels = choice.label.values() if isinstance(choice.label, dict) else [choice.label]
        for label in labels:
            inputs.setdefault(_folded(label), choice.value)
    for choice in question.choices:
        inputs[choice.value.casefold()] = choice.value
    if question.type == QuestionType.YES_NO:
        for alias, value in (("y", "yes"), ("n", "no"), ("true", "yes"), ("false", "no")):
            inputs.setdefault(alias, value)
    return inputs


def parse_answer(question: Question, value: object, inputs: dict[str, str] | None = None) -> Answer:
    """One answer as given (a value or a label in any case, stray spaces, a list or ``a; b`` for several)
    in its checked form. Raises ``ValueError`` with a message that says what is accepted.

    ``inputs`` is ``choice_inputs(question)`` when the caller keeps it (the cohort path does).
    """
    if question.type == QuestionType.NUMBER:
        return _parse_number(question, value)
    if question.type == QuestionType.TEXT:
        text = " ".join(str(value).split()) if not isinstance(value, str) else value.strip()
        if len(text) > MAX_TEXT_ANSWER:
            raise ValueError(f"is longer than {MAX_TEXT_ANSWER} characters")
        return text
    if inputs is None:
        inputs = choice_inputs(question)
    if question.type == QuestionType.MULTI:
        return _parse_multi(question, value, inputs)
    if isinstance(value, list):
        raise ValueError("takes one answer, not a list")
    return _match_choice(question, value, inputs)


_LIST_SEPARATORS = re.compile(r"[,;|\n]")


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _match_choice(question: Question, value: object, inputs: dict[str, str]) -> str:
    matched = inputs.get(_folded(as_value(value)))
    if matched is None:
        accepted = ", ".join(choice.value for choice in question.choices)
        raise ValueError(f"{as_value(value)!r} is not a choice (accepted: {accepted})")
    return matched


def _parse_multi(question: Question, value: object, inputs: dict[str, str]) -> tuple[str, ...]:
    if isinstance(value, list):
        tokens = [item for item in value if not is_blank(item)]
    elif _folded(as_value(value)) in inputs:
        tokens = [value]
    else:
        tokens = [token for token in _LIST_SEPARATORS.split(as_value(value)) if token.strip()]
    chosen: set[str] = set()
    for token in tokens:
        try:
            chosen.add(_match_choice(question, token, inputs))
        except ValueError:
            words = as_value(token).split()  # space-separated values, as ODK and Kobo export them
            if len(words) < 2:
                raise
            chosen.update(_match_choice(question, word, inputs) for word in words)
    if not chosen:
        raise ValueError("choose at least one answer")
    exclusive = [value for value in chosen if (choice := question.choice(value)) and choice.exclusive]
    if exclusive and len(chosen) > 1:
        raise ValueError(f"'{exclusive[0]}' cannot be combined with other answers")
    return tuple(choice.value for choice in question.choices if choice.value in chosen)


def _parse_number(question: Question, value: object) -> float:
    if isinstance(value, bool | list):
        raise ValueError("must be a number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "").replace(" ", "")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{str(value)!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    if question.min is not None and number < question.min:
        raise ValueError(f"must be at least {plain_number(question.min)}")
    if question.max is not None and number > question.max:
        raise ValueError(f"must be at most {plain_number(question.max)}")
    return number


def plain_number(number: float) -> str:
    """``3.0`` as ``3``, ``2.5`` as ``2.5``."""
    return str(int(number)) if number.is_integer() else f"{number:g}"


class AnswerStatus(StrEnum):
    COUNTED = "counted"  # earned points out of possible points
    SKIPPED = "skipped"  # a condition did not show the question
    NOT_APPLICABLE = "not_applicable"  # answered "not applicable": out of the score
    UNANSWERED = "unanswered"  # an optional question left blank: out of the score
    UNSCORED = "unscored"  # text, or a question that carries no points


@dataclass(frozen=True, slots=True)
class AnswerScore:
    question_id: str
    status: AnswerStatus
    points: Decimal = ZERO
    possible: Decimal = ZERO

    @property
    def lost(self) -> Decimal:
        """Points this answer cost the business."""
        return self.possible - self.points


def possible_points(question: Question) -> Decimal:
    """The most points an answer to this question can earn."""
    if question.type == QuestionType.NUMBER:
        return max((exact(step.points) for step in question.scoring), default=ZERO)
    earning = [exact(choice.points) for choice in question.choices if not choice.not_applicable]
    if question.type == QuestionType.MULTI:
        total = sum(earning, ZERO)
        return min(total, exact(question.max_points)) if question.max_points is not None else total
    return max(earning, default=ZERO)


def score_answer(question: Question, answer: Answer | None) -> AnswerScore:
    """Points earned and possible for one question that was shown (``None``: left blank)."""
    possible = possible_points(question)
    if possible == 0:
        return AnswerScore(question.id, AnswerStatus.UNSCORED)
    if answer is None:
        return AnswerScore(question.id, AnswerStatus.UNANSWERED)
    if question.type == QuestionType.NUMBER:
        assert isinstance(answer, float)
        reached = [step for step in question.scoring if answer >= step.at_least]
        # the highest threshold reached decides ("from this number up, until the next threshold")
        points = exact(max(reached, key=lambda step: step.at_least).points) if reached else ZERO
        return AnswerScore(question.id, AnswerStatus.COUNTED, points, possible)
    chosen = [question.choice(value) for value in (answer if isinstance(answer, tuple) else (str(answer),))]
    if any(choice is not None and choice.not_applicable for choice in chosen):
        return AnswerScore(question.id, AnswerStatus.NOT_APPLICABLE)
    points = sum((exact(choice.points) for choice in chosen if choice is not None), ZERO)
    return AnswerScore(question.id, AnswerStatus.COUNTED, min(points, possible), possible)
