"""The scoring engine: answers in, an explained assessment out. Pure: no I/O, no printing.

Method (explained for trainers in questionnaires/README.md):

* each shown, scored question earns the points of its answer out of the most it
  could earn; skipped questions and "not applicable" answers count for nothing
  either way;
* a dimension's score is 100 x earned / possible, its level the highest band
  whose ``min_score`` it reaches;
* the overall score is the weighted mean of the assessed dimensions;
* a fired gate caps the overall level, whatever the total;
* recommended actions: those whose condition holds plus those of fired gates,
  each once, gate actions first, then by impact (high first), effort (low
  first), time frame and questionnaire order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from cbectool.conditions import Answer
from cbectool.plan import QuestionnairePlan
from cbectool.questionnaire import Question, Questionnaire, QuestionType


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
    points: float = 0.0
    possible: float = 0.0

    @property
    def lost(self) -> float:
        """Points this answer cost the business."""
        return self.possible - self.points


@dataclass(frozen=True, slots=True)
class DimensionScore:
    id: str
    weight: float
    score: float | None  # None when every question was skipped or not applicable
    level: str | None
    earned: float
    possible: float
    answers: tuple[AnswerScore, ...]

    @property
    def gaps(self) -> list[AnswerScore]:
        """Counted answers that cost points, the costliest first."""
        costly = [answer for answer in self.answers if answer.status == AnswerStatus.COUNTED and answer.lost > 0]
        return sorted(costly, key=lambda answer: -answer.lost)

    @property
    def in_place(self) -> list[AnswerScore]:
        """Counted answers that earned every point."""
        return [answer for answer in self.answers if answer.status == AnswerStatus.COUNTED and answer.lost == 0]


@dataclass(frozen=True, slots=True)
class Overall:
    score: float
    level: str  # after gates
    band_level: str  # what the score alone would give
    capped_by: tuple[str, ...]  # gate ids that lowered the level


@dataclass(frozen=True, slots=True)
class RecommendedAction:
    id: str
    dimension: str
    priority: int  # 1 is the most important
    gate_related: bool


@dataclass(frozen=True, slots=True)
class Assessment:
    questionnaire_id: str
    questionnaire_version: str
    overall: Overall
    dimensions: tuple[DimensionScore, ...]
    gates: tuple[str, ...]  # fired gate ids, in questionnaire order
    actions: tuple[RecommendedAction, ...]

    def dimension(self, dimension_id: str) -> DimensionScore:
        return next(dimension for dimension in self.dimensions if dimension.id == dimension_id)


def assess(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> Assessment:
    """Score validated answers (see ``response.validate_answers``)."""
    plan = questionnaire.plan
    shown: dict[str, Answer] = {}
    dimensions = []
    for dimension_id, weight, questions in plan.dimensions:
        scores = []
        earned = possible = 0.0
        for question in questions:
            if question.shown is not None and not question.shown(shown):
                scored = question.skipped
            else:
                answer = answers.get(question.id)
                if answer is not None:
                    shown[question.id] = answer
                scored = question.score(answer)
                earned += scored.points
                possible += scored.possible
            scores.append(scored)
        score = _percent(earned, possible) if possible > 0 else None
        level = _level(plan, score) if score is not None else None
        dimensions.append(DimensionScore(dimension_id, weight, score, level, earned, possible, tuple(scores)))

    assessed = [(dimension.weight, dimension.score) for dimension in dimensions if dimension.score is not None]
    total_weight = sum(weight for weight, _ in assessed)
    overall_score = round(sum(weight * score for weight, score in assessed) / total_weight, 1) if total_weight else 0.0
    band_level = _level(plan, overall_score)
    band_rank = plan.level_ranks[band_level]
    fired = [gate for gate in plan.gates if gate.when(shown)]
    capping = [gate for gate in fired if gate.cap_rank < band_rank]
    level = min(capping, key=lambda gate: gate.cap_rank).cap_level if capping else band_level
    overall = Overall(overall_score, level, band_level, tuple(gate.id for gate in capping))
    gate_actions = {action for gate in fired for action in gate.actions}
    return Assessment(
        questionnaire.id,
        questionnaire.version,
        overall,
        tuple(dimensions),
        tuple(gate.id for gate in fired),
        _recommend(plan, shown, gate_actions),
    )


def score_answer(question: Question, answer: Answer | None) -> AnswerScore:
    """Points earned and possible for one shown question (``Questionnaire.plan`` remembers the results)."""
    return _score_answer(question, answer)


def _score_answer(question: Question, answer: Answer | None) -> AnswerScore:
    possible = question.possible_points
    if possible == 0:
        return AnswerScore(question.id, AnswerStatus.UNSCORED)
    if answer is None:
        return AnswerScore(question.id, AnswerStatus.UNANSWERED)
    if question.type == QuestionType.NUMBER:
        assert isinstance(answer, float)
        reached = [step for step in question.scoring if answer >= step.at_least]
        # the highest threshold reached decides ("from this number up, until the next threshold")
        points = max(reached, key=lambda step: step.at_least).points if reached else 0.0
        return AnswerScore(question.id, AnswerStatus.COUNTED, points, possible)
    chosen = answer if isinstance(answer, tuple) else (str(answer),)
    choices = [question.choice(value) for value in chosen]
    if any(choice is not None and choice.not_applicable for choice in choices):
        return AnswerScore(question.id, AnswerStatus.NOT_APPLICABLE)
    points = min(sum(choice.points for choice in choices if choice is not None), possible)
    return AnswerScore(question.id, AnswerStatus.COUNTED, points, possible)


def level_for(questionnaire: Questionnaire, score: float) -> str:
    """The highest level whose band the score reaches."""
    reached = questionnaire.levels[0]
    for level in questionnaire.levels:
        if score >= level.min_score:
            reached = level
    return reached.id


def _percent(earned: float, possible: float) -> float:
    return round(100.0 * earned / possible, 1)


def _recommend(
    plan: QuestionnairePlan, answers: Mapping[str, Answer], gate_actions: set[str]
) -> tuple[RecommendedAction, ...]:
    candidates = [
        ((0 if action.id in gate_actions else 1, *action.rank), action)
        for action in plan.actions
        if action.id in gate_actions or (action.when is not None and action.when(answers))
    ]
    candidates.sort(key=lambda candidate: candidate[0])
    return tuple(
        RecommendedAction(action.id, action.dimension, priority, action.id in gate_actions)
        for priority, (_, action) in enumerate(candidates, start=1)
    )


def _level(plan: QuestionnairePlan, score: float) -> str:
    reached = plan.levels[0][1]
    for min_score, level_id in plan.levels:
        if score >= min_score:
            reached = level_id
    return reached
