"""The one place where workshop mode reaches the scoring core (``cbectool.scoring``, its public seam)."""

from __future__ import annotations

from cbectool.export import assessment_to_public
from cbectool.scoring import Evaluated, evaluate, format_score
from cbectool.scoring.answers import MAX_TEXT_ANSWER

__all__ = ["MAX_TEXT_ANSWER", "Evaluated", "assessment_to_public", "evaluate", "format_score"]
