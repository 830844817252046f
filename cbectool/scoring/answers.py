"""One answer: read from what a person, a file or a sheet gave, and scored.

Points are kept as ``Decimal`` numbers made from the figures as written in
the questionnaire (``2.5`` is exactly 2.5), so adding them up is exact and a
score never depends on the order of the questions or on float rounding.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from cbectool.conditions import Answer, as_value
from cbectool.questionnaire import Choice, Question, QuestionType
from cbectool.text import localize

MAX_TEXT_ANSWER = 2000
MAX_CHOICE_TEXT = 10_000
"""The longest text read as a choice or a list of choices: every label of a question, in any language, fits
many times over, and a hostile cell cannot make reading it slow."""
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


class Rule(StrEnum):
    """Which rule an answer broke; with ``AnswerError``'s facts, each front end words it for its reader."""

    NOT_A_CHOICE = "not_a_choice"  # ``given``: the text that matches no choice
    ONE_ANSWER = "one_answer"  # several answers to a question that takes one
    NO_ANSWER = "no_answer"  # a multi-choice answer that chooses nothing
    EXCLUSIVE = "exclusive"  # ``choice``: an exclusive choice, given with others
    NOT_A_NUMBER = "not_a_number"  # ``given``: the text that is not a number
    NOT_FINITE = "not_finite"  # infinity or "not a number" written as a number
    BELOW_MIN = "below_min"  # ``limit``: the question's min
    ABOVE_MAX = "above_max"  # ``limit``: the question's max
    TOO_LONG = "too_long"  # ``limit``: the longest text answer


FILE_MESSAGES: dict[Rule, str] = {
    Rule.NOT_A_CHOICE: "{given!r} is not one of the choices: {choices}",
    Rule.ONE_ANSWER: "takes one answer, not a list",
    Rule.NO_ANSWER: "choose at least one answer",
    Rule.EXCLUSIVE: "{choice} cannot be combined with other answers",
    Rule.NOT_A_NUMBER: "{given!r} is not a number",
    Rule.NOT_FINITE: "must be a finite number",
    Rule.BELOW_MIN: "must be at least {limit}",
    Rule.ABOVE_MAX: "must be at most {limit}",
    Rule.TOO_LONG: "is longer than {limit} characters",
}
"""How a file's reader (a response file, a draft) is told, in English: the choices by label, with the value a
file may hold. The interview and the cohort sheet word the same errors their own way (``AnswerError.worded``)."""


class AnswerError(ValueError):
    """An answer that cannot be used, as facts: the question, the rule it broke, what was given and, for some
    rules, the choice or the limit. ``str()`` is the English for a file's reader (``FILE_MESSAGES``)."""

    def __init__(
        self, question: Question, rule: Rule, given: str = "", *, choice: str = "", limit: float | None = None
    ) -> None:
        self.question = question
        self.rule = rule
        self.given = given
        self.choice = choice  # a choice value
        self.limit = limit
        super().__init__(self.worded(FILE_MESSAGES, _file_choice_name))

    def __reduce__(self) -> tuple[object, ...]:
        return _rebuilt, (self.question, self.rule, self.given, self.choice, self.limit)

    def copy(self) -> AnswerError:
        """A fresh error with the same facts (raising one object twice would chain its tracebacks)."""
        return AnswerError(self.question, self.rule, self.given, choice=self.choice, limit=self.limit)

    def worded(self, texts: Mapping[Rule, str], choice_name: Callable[[int, Choice], str]) -> str:
        """The error in ``texts[rule]``, whose ``{given}``, ``{choice}``, ``{choices}``, ``{count}`` and ``{limit}``
        are filled in; ``choice_name(number, choice)`` names a choice for the reader (numbers from 1)."""
        choices = self.question.choices
        named = next((choice_name(n, c) for n, c in enumerate(choices, start=1) if c.value == self.choice), "")
        return texts[self.rule].format(
            given=self.given,
            choice=named,
            choices=", ".join(choice_name(number, choice) for number, choice in enumerate(choices, start=1)),
            count=len(choices),
            limit="" if self.limit is None else plain_number(self.limit),
        )


def _rebuilt(question: Question, rule: Rule, given: str, choice: str, limit: float | None) -> AnswerError:
    return AnswerError(question, rule, given, choice=choice, limit=limit)


def _file_choice_name(number: int, choice: Choice) -> str:
    return f'"{" ".join(localize(choice.label).split())}" ({choice.value})'


def parse_answer(question: Question, value: object, inputs: dict[str, str] | None = None) -> Answer:
    """One answer as given (a value or a label in any case, stray spaces, a list or ``a; b`` for several)
    in its checked form. Raises ``AnswerError`` (a ``ValueError``) saying which rule the answer broke.

    ``inputs`` is ``choice_inputs(question)`` when the caller keeps it (the cohort path does).
    """
    if question.type == QuestionType.NUMBER:
        return _parse_number(question, value)
    if question.type == QuestionType.TEXT:
        text = " ".join(str(value).split()) if not isinstance(value, str) else value.strip()
        if len(text) > MAX_TEXT_ANSWER:
            raise AnswerError(question, Rule.TOO_LONG, limit=MAX_TEXT_ANSWER)
        return text
    if sum(len(as_value(item)) for item in (value if isinstance(value, list) else [value])) > MAX_CHOICE_TEXT:
        raise AnswerError(question, Rule.TOO_LONG, limit=MAX_CHOICE_TEXT)
    if inputs is None:
        inputs = choice_inputs(question)
    if question.type == QuestionType.MULTI:
        return _parse_multi(question, value, inputs)
    if isinstance(value, list):
        raise AnswerError(question, Rule.ONE_ANSWER)
    return _match_choice(question, value, inputs)


LIST_SEPARATORS = re.compile(r"[,;|\n\u060c\u061b]")
"""Between the answers of a multi-choice cell or line (also the Arabic comma and semicolon of Urdu); a label may
hold them too (``split_choices``)."""


_AROUND_SEPARATORS = re.compile(r"\s*([,;|\u060c\u061b])\s*")


def _folded(text: str) -> str:
    """Text as it is compared with labels: any case, any spacing (also around commas)."""
    return _AROUND_SEPARATORS.sub(r"\1 ", " ".join(text.split()).casefold()).strip()


def _match_choice(question: Question, value: object, inputs: dict[str, str]) -> str:
    matched = inputs.get(_folded(as_value(value)))
    if matched is None:
        raise AnswerError(question, Rule.NOT_A_CHOICE, " ".join(as_value(value).split()))
    return matched


def split_choices(text: str, inputs: Mapping[str, str]) -> list[str] | str:
    """The choice values that ``text`` lists, or the first part of it that is no choice.

    Answers are separated by ``,``, ``;``, ``|`` or a line break, but a label may hold those too
    ("Facebook, Instagram or WhatsApp Business"): the text is read as a list of whole labels or values,
    the longest that fits first (as Google Forms' comma-joined answers must be read), so every label
    comes back as its own choice, whichever separator joins them. A part that is no choice but whose
    words all are is read as those choices (ODK and Kobo export several values separated by spaces).
    """
    parts = _ListText(text, inputs)
    count = len(parts.pieces)
    # ways[i]: how pieces[i:] are read (the values of the first choice and where the rest starts), or None;
    # filled from the end, so a long cell needs no recursion and no copying
    ways: list[tuple[list[str], int] | None] = [None] * (count + 1)
    ways[count] = ([], count)
    for start in range(count - 1, -1, -1):
        if parts.blank(start):
            ways[start] = ([], start + 1) if ways[start + 1] is not None else None
            continue
        for end, values in parts.spans(start):  # shortest first: the longest that fits is kept
            if ways[end + 1] is not None:
                ways[start] = (values, end + 1)
    if ways[0] is not None:
        found: list[str] = []
        start = 0
        while start < count:
            step = ways[start]
            assert step is not None
            found += step[0]
            start = step[1]
        return found
    start = 0  # read from the start by whole choices, to name the first part that is none
    while start < count:
        if not parts.blank(start):
            ends = [end for end, _ in parts.spans(start)]
            if not ends:
                return " ".join(parts.pieces[start].split())
            start = ends[-1]
        start += 1
    return " ".join(text.split())


class _ListText:
    """A multi-choice text cut at every separator, and the choices that can start at each piece."""

    def __init__(self, text: str, inputs: Mapping[str, str]) -> None:
        self.pieces = LIST_SEPARATORS.split(text)
        self.separators = LIST_SEPARATORS.findall(text)
        self.inputs = inputs
        self.longest = 1 + max((len(LIST_SEPARATORS.findall(key)) for key in inputs), default=0)

    def blank(self, index: int) -> bool:
        return not self.pieces[index].strip()

    def spans(self, start: int) -> list[tuple[int, list[str]]]:
        """(last piece, values) of each choice that starts at piece ``start``, shortest first; a piece whose
        words are all choices counts as one span of those."""
        found: list[tuple[int, list[str]]] = []
        words = [self.inputs.get(word.casefold()) for word in self.pieces[start].split()]
        if len(words) > 1 and all(words):
            found.append((start, [word for word in words if word]))
        candidate = self.pieces[start]
        for end in range(start, min(len(self.pieces), start + self.longest)):
            if end > start:
                candidate += self.separators[end - 1] + self.pieces[end]
            value = self.inputs.get(_folded(candidate))
            if value is not None:
                found.append((end, [value]))
        return found


def _parse_multi(question: Question, value: object, inputs: dict[str, str]) -> tuple[str, ...]:
    items = [item for item in value if not is_blank(item)] if isinstance(value, list) else [value]
    chosen: set[str] = set()
    for item in items:
        found = split_choices(as_value(item), inputs)
        if isinstance(found, str):
            raise AnswerError(question, Rule.NOT_A_CHOICE, found)
        chosen.update(found)
    if not chosen:
        raise AnswerError(question, Rule.NO_ANSWER)
    exclusive = [choice for choice in question.choices if choice.exclusive and choice.value in chosen]
    if exclusive and len(chosen) > 1:
        raise AnswerError(question, Rule.EXCLUSIVE, choice=exclusive[0].value)
    return tuple(choice.value for choice in question.choices if choice.value in chosen)


def _parse_number(question: Question, value: object) -> float:
    if isinstance(value, bool | list):
        raise AnswerError(question, Rule.NOT_A_NUMBER, _shown(value))
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "").replace(" ", "")
        try:
            number = float(text)
        except ValueError:
            raise AnswerError(question, Rule.NOT_A_NUMBER, _shown(value)) from None
    if not math.isfinite(number):
        raise AnswerError(question, Rule.NOT_FINITE, _shown(value))
    if question.min is not None and number < question.min:
        raise AnswerError(question, Rule.BELOW_MIN, _shown(value), limit=question.min)
    if question.max is not None and number > question.max:
        raise AnswerError(question, Rule.ABOVE_MAX, _shown(value), limit=question.max)
    return number


def _shown(value: object) -> str:
    """What was given, as one line of text (``true`` as a file writes it)."""
    if isinstance(value, list):
        return ", ".join(_shown(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return " ".join(str(value).split())


def plain_number(number: float) -> str:
    """``3.0`` (or ``3``) as ``3``, ``2.5`` as ``2.5``."""
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


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
