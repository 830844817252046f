"""The scoring engine: answers in, an explained assessment out. Pure: no files, no printing.

This package is the one seam between the questionnaire data and everything that
shows results (terminal, PDF, cohort tables, the web): import from here.

* ``answers``: read one answer and score it;
* ``shown``: which questions are asked (the one definition);
* ``validation``: raw answers checked against a questionnaire;
* ``engine``: ``assess`` and the result types; ``schedule``: the plan;
* ``rows``: a cohort row's cells to its result, through the same engine;
* ``evaluation``: a response file to its assessment;
* ``compiled``: ``compile(questionnaire)``, the one cached form the others use.
"""

from __future__ import annotations

from cbectool.scoring.answers import (
    AnswerError,
    AnswerScore,
    AnswerStatus,
    Rule,
    choice_inputs,
    is_blank,
    parse_answer,
    score_answer,
    split_choices,
)
from cbectool.scoring.compiled import compile
from cbectool.scoring.engine import (
    Assessment,
    DimensionScore,
    Overall,
    RecommendedAction,
    assess,
    format_score,
)
from cbectool.scoring.evaluation import Evaluated, evaluate, evaluate_file
from cbectool.scoring.schedule import Moved
from cbectool.scoring.shown import Shown, walk
from cbectool.scoring.validation import validate_answers

__all__ = [
    "AnswerError",
    "AnswerScore",
    "AnswerStatus",
    "Assessment",
    "DimensionScore",
    "Evaluated",
    "Moved",
    "Overall",
    "RecommendedAction",
    "Rule",
    "Shown",
    "assess",
    "choice_inputs",
    "compile",
    "evaluate",
    "evaluate_file",
    "format_score",
    "is_blank",
    "parse_answer",
    "score_answer",
    "split_choices",
    "validate_answers",
    "walk",
]
