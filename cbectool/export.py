"""The public JSON shapes of questionnaires and assessments (README, "JSON contracts").

Other tools read these: keys are only ever added, never renamed or removed.
Texts are given in one language (``lang``), falling back to English.
"""

from __future__ import annotations

from typing import Any

from cbectool.questionnaire import CHOICE_TYPES, Action, Questionnaire
from cbectool.scoring import AnswerScore, Assessment
from cbectool.text import localize


def questionnaire_to_public(questionnaire: Questionnaire, lang: str = "en") -> dict[str, Any]:
    """``cbectool questionnaire show --format json``."""
    return {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "title": localize(questionnaire.title, lang),
        "description": localize(questionnaire.description, lang),
        "language": lang,
        "languages": list(questionnaire.languages),
        "dimensions": [
            {
                "id": dimension.id,
                "title": localize(dimension.title, lang),
                "description": localize(dimension.description, lang),
                "weight": dimension.weight,
                "questions": [
                    {
                        "id": question.id,
                        "text": localize(question.text, lang),
                        "help": localize(question.help, lang),
                        "type": str(question.type),
                        "required": question.required,
                        "max_points": question.possible_points,
                        "show_if": _condition(question.show_if),
                        **(
                            {
                                "choices": [
                                    {
                                        "value": choice.value,
                                        "label": localize(choice.label, lang),
                                        "points": choice.points,
                                        "not_applicable": choice.not_applicable,
                                        "exclusive": choice.exclusive,
                                    }
                                    for choice in question.choices
                                ]
                            }
                            if question.type in CHOICE_TYPES
                            else {}
                        ),
                        **(
                            {
                                "min": question.min,
                                "max": question.max,
                                "unit": localize(question.unit, lang),
                                "scoring": [step.model_dump() for step in question.scoring],
                            }
                            if question.type == "number"
                            else {}
                        ),
                    }
                    for question in dimension.questions
                ],
            }
            for dimension in questionnaire.dimensions
        ],
        "levels": [
            {
                "id": level.id,
                "name": localize(level.name, lang),
                "min_score": level.min_score,
                "meaning": localize(level.meaning, lang),
            }
            for level in questionnaire.levels
        ],
        "gates": [
            {
                "id": gate.id,
                "when": _condition(gate.when),
                "cap_level": gate.cap_level,
                "reason": localize(gate.reason, lang),
                "actions": list(gate.actions),
                "legal_barrier": gate.legal_barrier,
            }
            for gate in questionnaire.gates
        ],
        "actions": [action_to_public(action, lang) for action in questionnaire.actions],
    }


def action_to_public(action: Action, lang: str = "en") -> dict[str, Any]:
    return {
        "id": action.id,
        "title": localize(action.title, lang),
        "dimension": action.dimension,
        "why": localize(action.why, lang),
        "first_step": localize(action.first_step, lang),
        "where": localize(action.where, lang),
        "effort": str(action.effort),
        "impact": str(action.impact),
        "timeframe_days": int(action.timeframe),
        "when": _condition(action.when),
        "sources": [source.model_dump() for source in action.sources],
        "after": list(action.after),
    }


def assessment_to_public(questionnaire: Questionnaire, assessment: Assessment, lang: str = "en") -> dict[str, Any]:
    """``cbectool score --format json``."""
    overall = assessment.overall
    return {
        "questionnaire": {"id": assessment.questionnaire_id, "version": assessment.questionnaire_version},
        "overall": {
            "score": overall.score,
            "level": overall.level,
            "level_name": localize(questionnaire.level(overall.level).name, lang),
            "band_level": overall.band_level,
            "capped_by": list(overall.capped_by),
        },
        "dimensions": [
            {
                "id": dimension.id,
                "title": localize(_dimension_title(questionnaire, dimension.id), lang),
                "weight": dimension.weight,
                "score": dimension.score,
                "level": dimension.level,
                "earned": float(dimension.earned),
                "possible": float(dimension.possible),
                "gaps": [_answer(questionnaire, gap, lang) for gap in dimension.gaps],
            }
            for dimension in assessment.dimensions
        ],
        "gates": [
            {
                "id": gate.id,
                "cap_level": gate.cap_level,
                "reason": localize(gate.reason, lang),
                "capped": gate.id in overall.capped_by,
            }
            for gate in questionnaire.gates
            if gate.id in assessment.gates
        ],
        "actions": [
            {
                **action_to_public(_action(questionnaire, recommended.id), lang),
                "priority": recommended.priority,
                "gate_related": recommended.gate_related,
                # the phase the plan scheduled it into (null: later), and why, if later than its own time frame
                "timeframe_days": recommended.phase,
                "moved": None if recommended.moved is None else str(recommended.moved),
                "waits_for": recommended.waits_for,
            }
            for recommended in assessment.actions
        ],
    }


def _answer(questionnaire: Questionnaire, score: AnswerScore, lang: str) -> dict[str, Any]:
    question = questionnaire.question(score.question_id)
    assert question is not None
    return {
        "question": score.question_id,
        "text": localize(question.text, lang),
        "points": float(score.points),
        "possible": float(score.possible),
        "lost": float(score.lost),
    }


def _dimension_title(questionnaire: Questionnaire, dimension_id: str) -> str | dict[str, str]:
    return next(dimension.title for dimension in questionnaire.dimensions if dimension.id == dimension_id)


def _action(questionnaire: Questionnaire, action_id: str) -> Action:
    return next(action for action in questionnaire.actions if action.id == action_id)


def _condition(condition: Any) -> Any:
    return None if condition is None else condition.model_dump(by_alias=True, exclude_none=True)
