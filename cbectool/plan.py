"""A questionnaire compiled once for the hot path: validating and scoring thousands of cohort rows.

Everything here is derived from the questionnaire and the pure functions
``response.parse_answer`` and ``scoring.score_answer``, which keep the
semantics: the plan only remembers their results per question (a cohort sheet
repeats the same few answers), and keeps each condition's compiled test and
each action's rank at hand. One plan per questionnaire object
(``Questionnaire.plan``); memos are bounded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from cbectool.conditions import Answer, Test
from cbectool.questionnaire import RANK, Question

if TYPE_CHECKING:
    from cbectool.questionnaire import Questionnaire
    from cbectool.scoring import AnswerScore

MEMO_LIMIT = 4096


@dataclass(slots=True)
class QuestionPlan:
    question: Question
    id: str
    shown: Test | None
    skipped: AnswerScore  # the one result of a question its condition skips
    _scores: dict[object, AnswerScore] = field(default_factory=dict)
    _cells: dict[str, Answer | ValueError] = field(default_factory=dict)

    def score(self, answer: Answer | None) -> AnswerScore:
        """``scoring.score_answer``, remembered."""
        from cbectool.scoring import score_answer

        key = (type(answer), answer)
        scored = self._scores.get(key)
        if scored is None:
            scored = score_answer(self.question, answer)
            _remember(self._scores, key, scored)
        return scored

    def parse_cell(self, cell: str) -> Answer:
        """``response.parse_answer`` of a text cell, remembered (rejections too, with their message)."""
        from cbectool.response import parse_answer

        outcome = self._cells.get(cell)
        if outcome is None:
            try:
                outcome = parse_answer(self.question, cell)
            except ValueError as error:
                outcome = error
            _remember(self._cells, cell, outcome)
        if isinstance(outcome, ValueError):
            raise ValueError(str(outcome))
        return outcome


@dataclass(frozen=True, slots=True)
class ActionPlan:
    rank: tuple[int, int, int, int]  # impact (high first), effort (low first), time frame, order
    id: str
    dimension: str
    when: Test | None


@dataclass(frozen=True, slots=True)
class GatePlan:
    id: str
    when: Test
    cap_rank: int
    cap_level: str
    actions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuestionnairePlan:
    questions: tuple[QuestionPlan, ...]
    dimensions: tuple[tuple[str, float, tuple[QuestionPlan, ...]], ...]
    gates: tuple[GatePlan, ...]
    actions: tuple[ActionPlan, ...]
    levels: tuple[tuple[float, str], ...]  # (min_score, id), lowest first
    level_ranks: Mapping[str, int]


def compile_questionnaire(questionnaire: Questionnaire) -> QuestionnairePlan:
    from cbectool.scoring import AnswerScore, AnswerStatus

    plans: dict[str, QuestionPlan] = {
        question.id: QuestionPlan(
            question,
            question.id,
            question.show_if.evaluator if question.show_if else None,
            AnswerScore(question.id, AnswerStatus.SKIPPED),
        )
        for question in questionnaire.questions()
    }
    dimensions = tuple(
        (dimension.id, dimension.weight, tuple(plans[question.id] for question in dimension.questions))
        for dimension in questionnaire.dimensions
    )
    ranks = {level.id: index for index, level in enumerate(questionnaire.levels)}
    gates = tuple(
        GatePlan(gate.id, gate.when.evaluator, ranks[gate.cap_level], gate.cap_level, gate.actions)
        for gate in questionnaire.gates
    )
    actions = tuple(
        ActionPlan(
            (-RANK[action.impact], RANK[action.effort], int(action.timeframe), index),
            action.id,
            action.dimension,
            action.when.evaluator if action.when is not None else None,
        )
        for index, action in enumerate(questionnaire.actions)
    )
    levels = tuple((level.min_score, level.id) for level in questionnaire.levels)
    return QuestionnairePlan(tuple(plans.values()), dimensions, gates, actions, levels, ranks)


_K = TypeVar("_K")
_V = TypeVar("_V")


def _remember(memo: dict[_K, _V], key: _K, value: _V) -> None:
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = value
