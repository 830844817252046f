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

import math
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from cbectool.conditions import Answer
from cbectool.plan import QuestionnairePlan, remember
from cbectool.questionnaire import Question, Questionnaire, QuestionType
from cbectool.scoring.schedule import Moved, schedule


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
    """One step of the plan. ``priority`` is its number in the plan: the order to do them in."""

    id: str
    dimension: str
    priority: int  # 1 is the first step of the plan
    gate_related: bool  # lifts a gate that fired
    phase: int | None = 30  # scheduled in the first 30, 60 or 90 days; None: later (``schedule``)
    after: tuple[str, ...] = ()  # recommended steps that come before it
    moved: Moved | None = None  # why it is later than its own time frame
    waits_for: str | None = None  # with ``Moved.AFTER``: the step it waits for


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
    row = 0  # the answers' facts added up (see ``plan``): conditions test it, ``conclude`` reads it
    answer_scores = []
    for _, _, questions in plan.dimensions:
        scores = []
        for question in questions:
            if question.shown_bits is not None and not question.shown_bits(row):
                facts = question.absent
            else:
                facts = question.facts(answers.get(question.id))
            row += facts.packed
            scores.append(facts.score)
        answer_scores.append(tuple(scores))
    verdict = conclude(plan, row)
    scale = plan.packing.scale
    return Assessment(
        questionnaire.id,
        questionnaire.version,
        verdict.overall,
        tuple(
            DimensionScore(
                dimension_id, weight, dimension.score, dimension.level, earned / scale, possible / scale, scores
            )
            for (dimension_id, weight, _), dimension, (earned, possible), scores in zip(
                plan.dimensions, verdict.dimensions, plan.packing.dimension_sums(row), answer_scores, strict=True
            )
        ),
        verdict.gates,
        _plan_steps(questionnaire, verdict.actions, verdict.gate_actions),
    )


def _plan_steps(
    questionnaire: Questionnaire, ranked: tuple[str, ...], gate_actions: frozenset[str]
) -> tuple[RecommendedAction, ...]:
    library = {action.id: action for action in questionnaire.actions}
    steps = schedule(
        ranked,
        {action_id: int(library[action_id].timeframe) for action_id in ranked},
        {action_id: library[action_id].after for action_id in ranked},
    )
    return tuple(
        RecommendedAction(
            step.id,
            library[step.id].dimension,
            number,
            step.id in gate_actions,
            step.phase,
            step.after,
            step.moved,
            step.waits_for,
        )
        for number, step in enumerate(steps, start=1)
    )


@dataclass(frozen=True, slots=True)
class DimensionResult:
    score: float | None  # None when nothing in the dimension could earn points
    level: str | None


@dataclass(frozen=True, slots=True)
class Verdict:
    """What follows from a row's added-up answers (``plan``): shared by ``assess`` and the cohort row scorer
    (``rowscore``), so both score, rank and cap alike."""

    dimensions: tuple[DimensionResult, ...]
    overall: Overall
    gates: tuple[str, ...]  # fired gate ids, in questionnaire order
    actions: tuple[str, ...]  # ids of the recommended actions, most important first
    gate_actions: frozenset[str]


def conclude(plan: QuestionnairePlan, row: int) -> Verdict:
    """Dimension scores and levels, the overall score and level, the gates that fire and the ranked actions."""
    dimensions = []
    total_weight = weighted_sum = Fraction(0)
    both = plan.packing.sums_mask
    for weight, shift, results in plan.dimension_results:
        sums = row >> shift & both  # earned and possible side by side: a cohort repeats the same few
        result = results.get(sums)
        if result is None:
            result = _dimension_result(plan, sums)
            remember(results, sums, result)
        dimensions.append(result)
        if result.score is not None:
            exact_weight = _exact(weight)
            total_weight += exact_weight
            weighted_sum += exact_weight * _exact(result.score)
    overall_score = tenths_down(weighted_sum / total_weight) if total_weight else 0.0
    band_level = level_of(plan, overall_score)
    level = band_level
    band_rank = cap_rank = plan.level_ranks[band_level]
    fired: list[str] = []
    capped_by: list[str] = []
    gate_bits = 0
    gate_actions: frozenset[str] = frozenset()
    for gate in plan.gates:
        if gate.when(row):
            fired.append(gate.id)
            gate_bits |= gate.action_bits
            gate_actions |= gate.actions
            if gate.cap_rank < band_rank:
                capped_by.append(gate.id)
                if gate.cap_rank < cap_rank:
                    cap_rank, level = gate.cap_rank, gate.cap_level
    actions = plan.packing.actions(row)
    for action in plan.cross_question_actions:
        if action.when is not None and action.when(row):
            actions |= action.bit
    ranked = plan.ranked(gate_bits) + plan.ranked(actions & ~gate_bits) if gate_bits else plan.ranked(actions)
    return Verdict(
        tuple(dimensions),
        Overall(overall_score, level, band_level, tuple(capped_by)),
        tuple(fired),
        tuple(ranked),
        gate_actions,
    )


def _dimension_result(plan: QuestionnairePlan, sums: int) -> DimensionResult:
    field_bits = plan.packing.field_bits
    score = percent(sums & ((1 << field_bits) - 1), sums >> field_bits)
    return DimensionResult(score, None if score is None else level_of(plan, score))


def score_answer(question: Question, answer: Answer | None) -> AnswerScore:
    """Points earned and possible for one shown question (``Questionnaire.plan`` remembers the results)."""
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


def percent(earned: int, possible: int) -> float | None:
    """A dimension's score from whole points (``plan.Packing``): the exact ratio cut to one decimal
    (``tenths_down``); None when nothing in the dimension could earn points."""
    return tenths_down(Fraction(100 * earned, possible)) if possible > 0 else None


def tenths_down(score: Fraction) -> float:
    """The one rounding rule for every score: cut (never round up) to one decimal, so a score is never shown
    higher than it is (99.96 is 99.9, and 100 means 100); levels are read from this figure. Exact: the score
    comes in as a fraction, so no float error can push it over a boundary."""
    return math.floor(score * 10) / 10


def _exact(number: float) -> Fraction:
    """A weight or a one-decimal score as the decimal it was written as (``0.1`` is 1/10, not the float)."""
    return Fraction(repr(number))


def format_score(score: float) -> str:
    """A score as printed everywhere (terminal, PDF, summary): ``99.5``, ``80`` (no trailing ``.0``)."""
    return f"{score:.1f}".removesuffix(".0")


def level_of(plan: QuestionnairePlan, score: float) -> str:
    """The highest level whose band the score reaches."""
    return plan.level_ids[max(0, bisect_right(plan.level_floors, score) - 1)]
