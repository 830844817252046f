"""An independent scorer written from the README's "How scores are made" alone, to hold the engine to it.

It shares no code with ``cbectool.scoring`` or ``cbectool.conditions``: it reads
only the questionnaire's data, evaluates conditions itself, adds points as
fractions and follows the README's seven rules in order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from cbectool.questionnaire import Questionnaire

RANK = {"high": 0, "medium": 1, "low": 2}  # impact: high first
EFFORT = {"low": 0, "medium": 1, "high": 2}  # effort: low first


@dataclass
class Result:
    dimensions: list[tuple[str, float | None, str | None]]  # id, score, level
    score: float
    level: str
    band_level: str
    capped_by: list[str]
    gates: list[str]
    plan: list[tuple[str, int | None]]  # action id and phase (None: later), in plan order


def _number(value: Any) -> Fraction:
    return Fraction(repr(float(value)))


def _value(question: Any, given: Any) -> str:
    """A choice value from a value or a label, in any case (values first)."""
    text = " ".join(str(given).split()).casefold()
    for choice in question.choices:
        if choice.value.casefold() == text:
            return str(choice.value)
    labels = {
        " ".join(str(label).split()).casefold(): choice.value
        for choice in question.choices
        for label in (choice.label.values() if isinstance(choice.label, dict) else [choice.label])
    }
    return str(labels[text])


def _holds(condition: Any, answers: dict[str, Any]) -> bool:
    if condition.all is not None:
        return all(_holds(part, answers) for part in condition.all)
    if condition.any is not None:
        return any(_holds(part, answers) for part in condition.any)
    if condition.not_ is not None:
        return not _holds(condition.not_, answers)
    answer = answers.get(condition.question)
    if condition.answered is not None:
        return (answer is not None) == condition.answered
    if answer is None:
        return False
    chosen = answer if isinstance(answer, list) else [answer]
    if condition.at_least is not None or condition.below is not None:
        if not isinstance(answer, Fraction):
            return False
        return (
            answer >= _number(condition.at_least)
            if condition.at_least is not None
            else answer < _number(condition.below)
        )
    if condition.equals is not None:
        return chosen == [condition.equals]
    if condition.not_equals is not None:
        return chosen != [condition.not_equals]
    if condition.includes is not None:
        return condition.includes in chosen
    return any(item in condition.one_of for item in chosen)


def _cut(value: Fraction) -> float:
    return math.floor(value * 10) / 10


def _level(questionnaire: Questionnaire, score: float) -> str:
    return [level.id for level in questionnaire.levels if score >= level.min_score][-1]


def score(questionnaire: Questionnaire, raw: dict[str, Any]) -> Result | None:
    """The README's result for raw answers, or None when a shown, required question has no answer."""
    answers: dict[str, Any] = {}  # rule 1: the shown questions' answers, in the engine's own terms
    points: dict[str, tuple[Fraction, Fraction] | None] = {}  # question id: (earned, possible) when counted
    for dimension in questionnaire.dimensions:
        for question in dimension.questions:
            if question.show_if is not None and not _holds(question.show_if, answers):
                continue
            given = raw.get(question.id)
            if given is None or given == "" or given == []:
                if question.required:
                    return None
                points[question.id] = None
                continue
            if question.type == "number":
                answers[question.id] = _number(given)
            elif question.type == "multi":
                answers[question.id] = [_value(question, item) for item in given]
            elif question.type != "text":
                answers[question.id] = _value(question, given)
            points[question.id] = _points(question, answers.get(question.id))
    dimensions, weighted, weights = [], Fraction(0), Fraction(0)
    for dimension in questionnaire.dimensions:  # rule 3
        counted = [points[q.id] for q in dimension.questions if points.get(q.id)]
        possible = sum((pair[1] for pair in counted if pair), Fraction(0))
        if not possible:
            dimensions.append((dimension.id, None, None))
            continue
        value = _cut(100 * sum((pair[0] for pair in counted if pair), Fraction(0)) / possible)
        dimensions.append((dimension.id, value, _level(questionnaire, value)))
        weighted += _number(dimension.weight) * _number(value)
        weights += _number(dimension.weight)
    overall = _cut(weighted / weights) if weights else 0.0
    band = _level(questionnaire, overall)  # rule 4
    order = [level.id for level in questionnaire.levels]
    fired = [gate for gate in questionnaire.gates if _holds(gate.when, answers)]  # rule 5
    capping = [gate for gate in fired if order.index(gate.cap_level) < order.index(band)]
    level = min((gate.cap_level for gate in capping), key=order.index, default=band)
    return Result(
        dimensions,
        overall,
        level,
        band,
        [g.id for g in capping],
        [g.id for g in fired],
        _plan(questionnaire, fired, answers),
    )


def _points(question: Any, answer: Any) -> tuple[Fraction, Fraction] | None:
    """Rule 2: (earned, possible), or None when the answer counts neither way."""
    if question.type == "number":
        possible = max((_number(step.points) for step in question.scoring), default=Fraction(0))
        reached = [step for step in question.scoring if answer >= _number(step.at_least)]
        earned = _number(max(reached, key=lambda step: step.at_least).points) if reached else Fraction(0)
        return (earned, possible) if possible else None
    if question.type == "text":
        return None
    chosen = [c for c in question.choices if c.value in (answer if isinstance(answer, list) else [answer])]
    if any(choice.not_applicable for choice in chosen):
        return None
    scoring = [_number(c.points) for c in question.choices if not c.not_applicable]
    if question.type == "multi":
        possible = sum(scoring, Fraction(0))
        cap = possible if question.max_points is None else min(possible, _number(question.max_points))
        earned = min(sum((_number(c.points) for c in chosen), Fraction(0)), cap)
        return (earned, cap) if cap else None
    possible = max(scoring, default=Fraction(0))
    return (_number(chosen[0].points), possible) if possible else None


def _plan(questionnaire: Questionnaire, fired: list[Any], answers: dict[str, Any]) -> list[tuple[str, int | None]]:
    """Rules 6 and 7."""
    position = {action.id: index for index, action in enumerate(questionnaire.actions)}
    actions = {action.id: action for action in questionnaire.actions}

    def importance(action_id: str) -> tuple[int, int, int, int]:
        action = actions[action_id]
        return RANK[action.impact], EFFORT[action.effort], int(action.timeframe), position[action_id]

    lifting = {action_id for gate in fired for action_id in gate.actions}
    chosen = {a.id for a in questionnaire.actions if a.when is not None and _holds(a.when, answers)} - lifting
    ranked = sorted(lifting, key=importance) + sorted(chosen, key=importance)
    room, phase_of, placed = {30: 5, 60: 5, 90: 5}, {}, []

    def place(action_id: str) -> None:
        if action_id in phase_of:
            return
        before = sorted((b for b in actions[action_id].after if b in ranked), key=ranked.index)
        for needed in before:
            place(needed)
        earliest = max([int(actions[action_id].timeframe)] + [phase_of[b] or 999 for b in before])
        phase = next((days for days in (30, 60, 90) if days >= earliest and room[days]), None)
        if phase:
            room[phase] -= 1
        phase_of[action_id] = phase
        placed.append(action_id)

    for action_id in ranked:
        place(action_id)
    return sorted(((a, phase_of[a]) for a in placed), key=lambda item: item[1] or 999)
