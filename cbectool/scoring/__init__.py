"""The scoring engine: answers in, an explained assessment out. Pure: no files, no printing.

This package is the one seam between the questionnaire data and everything that
shows results (terminal, PDF, cohort tables, the web): import from here.
"""

from __future__ import annotations

from cbectool.scoring.engine import (
    AnswerScore,
    AnswerStatus,
    Assessment,
    DimensionResult,
    DimensionScore,
    Overall,
    RecommendedAction,
    assess,
    conclude,
    format_score,
    score_answer,
)
from cbectool.scoring.evaluation import Evaluated, evaluate, evaluate_file

__all__ = [
    "AnswerScore",
    "AnswerStatus",
    "Assessment",
    "DimensionResult",
    "DimensionScore",
    "Evaluated",
    "Overall",
    "RecommendedAction",
    "assess",
    "conclude",
    "evaluate",
    "evaluate_file",
    "format_score",
    "score_answer",
]
