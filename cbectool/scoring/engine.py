"""The scoring engine: validated answers in, an explained assessment out. Pure: no I/O, no printing.

Method (README, "How scores are made"; questionnaires/README.md for trainers):

* each shown, scored question earns the points of its answer out of the most
  it could earn; skipped questions and "not applicable" or blank answers count
  neither way (``answers``);
* a dimension's score is 100 x earned / possible, its level the highest band
  whose ``min_score`` it reaches; the overall score is the weighted mean of the
  assessed dimensions' scores; every score is cut to one decimal (``tenths_down``);
* a fired gate caps the overall level, whatever the total;
* recommended actions: those whose condition holds plus those of fired gates,
  each once, in order of importance (gate actions first, then impact, effort,
  time frame, file order), then scheduled into the plan (``schedule``).

Points are ``Decimal`` sums of the figures as written, so every score is exact.
The results are immutable records (``NamedTuple``: a batch makes dozens per row,
and a frozen dataclass costs several times as much to make).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

from cbectool.conditions import Answer
from cbectool.questionnaire import Questionnaire
from cbectool.scoring.answers import ZERO, AnswerScore, AnswerStatus
from cbectool.scoring.compiled import Compiled, compile, holding
from cbectool.scoring.schedule import Step, schedule
from cbectool.scoring.shown import Shown, walk


class DimensionScore(NamedTuple):
    id: str
    weight: float
    score: float | None  # 0-100, cut to one decimal; None when nothing in the dimension could be scored
    level: str | None
    earned: Decimal
    possible: Decimal
    answers: tuple[AnswerScore, ...]  # every question of the dimension, in order (skipped ones too)

    @property
    def gaps(self) -> list[AnswerScore]:
        """Counted answers that cost points, the costliest first."""
        costly = [answer for answer in self.answers if answer.status == AnswerStatus.COUNTED and answer.lost > 0]
        return sorted(costly, key=lambda answer: -answer.lost)

    @property
    def in_place(self) -> list[AnswerScore]:
        """Counted answers that earned every point."""
        return [answer for answer in self.answers if answer.status == AnswerStatus.COUNTED and answer.lost == 0]


class Overall(NamedTuple):
    score: float  # cut to one decimal
    level: str  # after gates
    band_level: str  # what the score alone would give
    capped_by: tuple[str, ...]  # ids of the fired gates that lowered the level


RecommendedAction = Step
"""A recommended action is a step of the plan (``schedule.Step``)."""


class Assessment(NamedTuple):
    questionnaire_id: str
    questionnaire_version: str
    overall: Overall
    dimensions: tuple[DimensionScore, ...]  # in questionnaire order
    gates: tuple[str, ...]  # fired gate ids, in questionnaire order
    actions: tuple[RecommendedAction, ...]  # the plan, in order

    def dimension(self, dimension_id: str) -> DimensionScore:
        return next(dimension for dimension in self.dimensions if dimension.id == dimension_id)


def assess(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> Assessment:
    """Score validated answers (``validate_answers``): answers to questions that are not shown are ignored."""
    return assess_shown(questionnaire, walk(questionnaire, answers))


def assess_shown(questionnaire: Questionnaire, shown: Shown) -> Assessment:
    """``assess`` of the shown questions with their answers, as ``shown.walk`` gives them (validation has
    walked them already on the cohort path, so they are not walked twice)."""
    compiled = compile(questionnaire)
    scores = dict(compiled.skipped)
    for question, answer in shown.questions:
        scores[question.id] = compiled.questions[question.id].score(answer)
    answered = shown.answers
    dimensions = tuple(
        _dimension_score(compiled, index, tuple([scores[question_id] for question_id in question_ids]))
        for index, question_ids in enumerate(compiled.dimension_questions)
    )
    overall_score = _weighted_mean(compiled, dimensions)
    band_level = level_at(compiled, overall_score)
    fired = holding(compiled.gates, answered)
    ranks = compiled.level_ranks
    capping = [gate for gate in fired if ranks[gate.cap_level] < ranks[band_level]]
    level = min((gate.cap_level for gate in capping), key=ranks.__getitem__, default=band_level)
    overall = Overall(overall_score, level, band_level, tuple(gate.id for gate in capping))
    gate_actions = {action_id for gate in fired for action_id in gate.actions}
    chosen = {action.id for action in holding(compiled.conditional_actions, answered)}
    by_importance = compiled.rank.__getitem__
    ranked = sorted(gate_actions, key=by_importance) + sorted(chosen - gate_actions, key=by_importance)
    return Assessment(
        questionnaire.id,
        questionnaire.version,
        overall,
        dimensions,
        tuple(gate.id for gate in fired),
        _plan(compiled, ranked, gate_actions),
    )


def _dimension_score(compiled: Compiled, index: int, answers: tuple[AnswerScore, ...]) -> DimensionScore:
    earned = possible = ZERO
    for answer in answers:
        if answer.status is COUNTED:
            earned += answer.points
            possible += answer.possible
    score = tenths_down(100 * earned, possible) if possible else None
    level = None if score is None else level_at(compiled, score)
    return DimensionScore(
        compiled.dimension_ids[index], compiled.dimension_weights[index], score, level, earned, possible, answers
    )


COUNTED = AnswerStatus.COUNTED


def _weighted_mean(compiled: Compiled, dimensions: tuple[DimensionScore, ...]) -> float:
    """The assessed dimensions' one-decimal scores, weighted; 0 when none could be assessed."""
    weighted = total = ZERO
    for weight, dimension in zip(compiled.weights, dimensions, strict=True):
        if dimension.score is not None:
            weighted += weight * Decimal(repr(dimension.score))
            total += weight
    return tenths_down(weighted, total) if total else 0.0


def tenths_down(numerator: Decimal, denominator: Decimal) -> float:
    """The one rounding rule for every score: ``numerator / denominator`` cut (never rounded up) to one decimal,
    so a score is never shown higher than it is (99.96 is 99.9, and 100 means 100); levels are read from this
    figure. Exact: the integer division of decimals has no rounding error."""
    return int(10 * numerator // denominator) / 10


def format_score(score: float) -> str:
    """A score as printed everywhere (terminal, PDF, summary): ``99.5``, ``80`` (no trailing ``.0``)."""
    return f"{score:.1f}".removesuffix(".0")


def level_at(compiled: Compiled, score: float) -> str:
    """The highest level whose band the score reaches."""
    return compiled.level_ids[max(0, bisect_right(compiled.level_floors, score) - 1)]


def _plan(compiled: Compiled, ranked: list[str], gate_actions: set[str]) -> tuple[RecommendedAction, ...]:
    return tuple(
        schedule(ranked, compiled.timeframes, compiled.prerequisites, compiled.action_dimensions, gate_actions)
    )
