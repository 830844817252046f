"""The one place where workshop mode reaches the scoring core.

The core is being reorganised (``cbectool.scoring.evaluate`` will replace
``cbectool.evaluation.evaluate``, same signature): only these imports change.
"""

from __future__ import annotations

from cbectool.evaluation import Evaluated, evaluate
from cbectool.export import assessment_to_public

__all__ = ["Evaluated", "assessment_to_public", "evaluate"]
