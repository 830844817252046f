"""A questionnaire prepared once for scoring: lookups, exact weights, and a memo per question.

``compile(questionnaire)`` is the only way the engine gets this form; the
questionnaire models know nothing of it. A cohort sheet repeats the same few
answers, so each question remembers what its cells parse to and what its
answers score (a plain dict per question, emptied when it grows large).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from cbectool.conditions import Answer, Condition
from cbectool.questionnaire import RANK, Action, Gate, Question, Questionnaire
from cbectool.response import RawAnswer
from cbectool.scoring.answers import (
    AnswerError,
    AnswerScore,
    AnswerStatus,
    choice_inputs,
    exact,
    is_blank,
    parse_answer,
    score_answer,
)

MEMO_LIMIT = 4096
"""Distinct answers remembered per question; a cohort has a few dozen, a hostile sheet cannot grow it further."""
CACHE_SIZE = 16
"""Questionnaires kept compiled; a run uses one or two."""


@dataclass(slots=True)
class QuestionRules:
    """One question with what scoring needs of it, and its memos."""

    question: Question
    dimension: int  # index of its dimension in the questionnaire
    inputs: dict[str, str]  # typed text to choice value (``answers.choice_inputs``)
    skipped: AnswerScore  # the result when a condition hides it
    _parsed: dict[str, Answer | AnswerError | None] = field(default_factory=dict)
    _scores: dict[Answer | None, AnswerScore] = field(default_factory=dict)

    def parse(self, value: RawAnswer) -> Answer | None:
        """``answers.parse_answer``, or None for a blank answer; a text's outcome (a rejection too) is
        remembered."""
        if type(value) is not str:
            return None if is_blank(value) else parse_answer(self.question, value, self.inputs)
        try:
            outcome = self._parsed[value]
        except KeyError:
            try:
                outcome = None if is_blank(value) else parse_answer(self.question, value, self.inputs)
            except AnswerError as error:
                outcome = error
            _remember(self._parsed, value, outcome)
        if isinstance(outcome, AnswerError):
            raise outcome.copy()
        return outcome

    def score(self, answer: Answer | None) -> AnswerScore:
        """``answers.score_answer`` of a shown question, remembered per distinct answer (a question's answers
        are all of one type: text, a number or a tuple of values)."""
        try:
            return self._scores[answer]
        except KeyError:
            scored = score_answer(self.question, answer)
            _remember(self._scores, answer, scored)
            return scored


@dataclass(slots=True)
class CachedCondition:
    """A condition with a memo of its outcomes. A condition only looks at the answers to ``questions``, so
    those answers decide its outcome; ``Condition.holds`` is still what works it out, once per new set."""

    condition: Condition
    questions: tuple[str, ...]
    outcomes: dict[object, bool] = field(default_factory=dict)  # the memo: answers looked at to the outcome

    @classmethod
    def of(cls, condition: Condition) -> CachedCondition:
        return cls(condition, tuple(sorted({leaf.question for _, leaf in condition.leaves() if leaf.question})))

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        questions = self.questions
        # most conditions look at one question: its answer alone is the key
        key = answers.get(questions[0]) if len(questions) == 1 else tuple(map(answers.get, questions))
        outcome = self.outcomes.get(key)
        return self.decide(answers, key) if outcome is None else outcome

    def decide(self, answers: Mapping[str, Answer], key: object) -> bool:
        """Work the outcome out (``Condition.holds``) and remember it under ``key``."""
        outcome = self.outcomes[key] = self.condition.holds(answers)
        if len(self.outcomes) > MEMO_LIMIT:
            self.outcomes.clear()
        return outcome


_Item = TypeVar("_Item")


def holding(rules: Iterable[tuple[_Item, CachedCondition]], answers: Mapping[str, Answer]) -> list[_Item]:
    """The items whose condition holds: ``CachedCondition.holds`` for many in one loop (a business has dozens)."""
    held = []
    for item, rule in rules:
        questions = rule.questions
        key = answers.get(questions[0]) if len(questions) == 1 else tuple(map(answers.get, questions))
        outcome = rule.outcomes.get(key)
        if outcome is None:
            outcome = rule.decide(answers, key)
        if outcome:
            held.append(item)
    return held


@dataclass(frozen=True, slots=True)
class Compiled:
    questionnaire: Questionnaire
    questions: dict[str, QuestionRules]  # in the order they are asked
    dimension_ids: tuple[str, ...]  # in questionnaire order
    dimension_weights: tuple[float, ...]  # as written
    weights: tuple[Decimal, ...]  # each dimension's weight, exactly, in questionnaire order
    dimension_questions: tuple[tuple[str, ...], ...]  # each dimension's question ids, in order
    skipped: dict[str, AnswerScore]  # every question's result when a condition hides it
    actions: dict[str, Action]
    action_dimensions: dict[str, str]  # action id to the id of its dimension
    asked_when: tuple[tuple[Question, CachedCondition | None], ...]  # every question in order, with its show_if
    gates: tuple[tuple[Gate, CachedCondition], ...]
    conditional_actions: tuple[
        tuple[Action, CachedCondition], ...
    ]  # those with a ``when`` (the others come with a gate)
    rank: dict[str, tuple[int, int, int, int]]  # action id to its order of importance (smaller first)
    timeframes: dict[str, int]  # action id to its own phase, in days
    prerequisites: dict[str, tuple[str, ...]]  # action id to its ``after``, for those that have one
    level_floors: tuple[float, ...]  # each level's min_score, lowest level first
    level_ids: tuple[str, ...]  # lowest first
    level_ranks: dict[str, int]  # level id to its place, lowest first


_cache: OrderedDict[int, tuple[Questionnaire, Compiled]] = OrderedDict()


def compile(questionnaire: Questionnaire) -> Compiled:
    """The questionnaire prepared for scoring, made once per questionnaire object."""
    entry = _cache.get(id(questionnaire))
    if entry is not None and entry[0] is questionnaire:
        _cache.move_to_end(id(questionnaire))
        return entry[1]
    compiled = _build(questionnaire)
    _cache[id(questionnaire)] = (questionnaire, compiled)  # holding the object keeps its id from being reused
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return compiled


def _build(questionnaire: Questionnaire) -> Compiled:
    questions = {
        question.id: QuestionRules(
            question, index, choice_inputs(question), AnswerScore(question.id, AnswerStatus.SKIPPED)
        )
        for index, dimension in enumerate(questionnaire.dimensions)
        for question in dimension.questions
    }
    actions = questionnaire.actions
    return Compiled(
        questionnaire,
        questions,
        tuple(dimension.id for dimension in questionnaire.dimensions),
        tuple(dimension.weight for dimension in questionnaire.dimensions),
        tuple(exact(dimension.weight) for dimension in questionnaire.dimensions),
        tuple(tuple(question.id for question in dimension.questions) for dimension in questionnaire.dimensions),
        {question_id: rules.skipped for question_id, rules in questions.items()},
        {action.id: action for action in actions},
        {action.id: action.dimension for action in actions},
        tuple(
            (question, CachedCondition.of(question.show_if) if question.show_if else None)
            for question in questionnaire.questions()
        ),
        tuple((gate, CachedCondition.of(gate.when)) for gate in questionnaire.gates),
        tuple((action, CachedCondition.of(action.when)) for action in actions if action.when is not None),
        {
            action.id: (-RANK[action.impact], RANK[action.effort], int(action.timeframe), index)
            for index, action in enumerate(actions)
        },
        {action.id: int(action.timeframe) for action in actions},
        {action.id: action.after for action in actions if action.after},
        tuple(level.min_score for level in questionnaire.levels),
        tuple(level.id for level in questionnaire.levels),
        {level.id: index for index, level in enumerate(questionnaire.levels)},
    )


_K = TypeVar("_K")
_V = TypeVar("_V")


def _remember(memo: dict[_K, _V], key: _K, value: _V) -> None:
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = value
