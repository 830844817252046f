"""A cohort row's raw cells straight to what the cohort tables need: the lean twin of validate + assess.

``cbectool batch`` scores up to hundreds of thousands of rows, and building
the full explained ``Assessment`` (an object per answer, a message per problem)
cost more than everything else in the batch together. ``RowScorer`` reads
each cell through its question's memo (``plan.CellMemo``: points, possible
points and truth bits per distinct cell text) and returns only the overall
result, the dimension scores, the gates and the ranked action ids, through the
same ``scoring.conclude`` as ``assess``. A row it cannot take whole (a wrong or
missing answer) gives None, and the caller takes the full path, which says
exactly what is wrong. tests/test_rowscore.py holds the two paths equal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

from cbectool.conditions import MaskTest
from cbectool.plan import BlankColumnMemo, CellMemo
from cbectool.questionnaire import Questionnaire
from cbectool.scoring import Assessment, Overall, conclude, level_of, percent


@dataclass(frozen=True, slots=True)
class RowResult:
    """One business's result as the cohort tables and statistics use it."""

    overall: Overall
    dimension_scores: tuple[float | None, ...]  # in questionnaire order; None: nothing assessed
    dimension_levels: tuple[str | None, ...]
    gates: tuple[str, ...]  # fired gate ids, in questionnaire order
    actions: tuple[str, ...]  # recommended action ids, most important first

    @classmethod
    def of(cls, assessment: Assessment) -> RowResult:
        """The same figures taken from a full assessment."""
        return cls(
            assessment.overall,
            tuple(dimension.score for dimension in assessment.dimensions),
            tuple(dimension.level for dimension in assessment.dimensions),
            assessment.gates,
            tuple(action.id for action in assessment.actions),
        )


_Slot = tuple[CellMemo, MaskTest | None, int, int]
"""A question's cell memo, its shown test (None: always shown), and its truth and action bits when skipped."""


class RowScorer:
    """Scores records (lists of cell texts) laid out as ``columns`` says: question id to record index."""

    def __init__(self, questionnaire: Questionnaire, columns: Mapping[str, int]) -> None:
        self._plan = plan = questionnaire.plan
        self._width = max(columns.values(), default=0) + 1
        stand_in = min(columns.values(), default=0)  # any real column: a missing one's memo ignores the cell
        dimensions = []
        for _, weight, questions in plan.dimensions:
            indexes = [columns.get(question.id, stand_in) for question in questions]
            slots: tuple[_Slot, ...] = tuple(
                (
                    question.cells if question.id in columns else BlankColumnMemo(question),
                    question.shown_bits,
                    question.absent.truths,
                    question.absent.actions,
                )
                for question in questions
            )
            dimensions.append((weight, _cells_at(indexes), slots))
        self._dimensions = tuple(dimensions)

    def score(self, record: Sequence[str]) -> RowResult | None:
        """The row's result, or None if any shown question's cell is not an acceptable answer."""
        try:
            return self._score(record)
        except IndexError:  # a row shorter than the header: the missing cells are blank
            return self._score([*record, *[""] * (self._width - len(record))])

    def _score(self, record: Sequence[str]) -> RowResult | None:
        plan = self._plan
        truths = actions = 0
        weighted = []
        scores = []
        levels = []
        for weight, cells_of, slots in self._dimensions:
            earned = possible = 0.0
            for (cells, shown, absent_truths, absent_actions), cell in zip(slots, cells_of(record), strict=False):
                if shown is not None and not shown(truths):
                    truths |= absent_truths
                    actions |= absent_actions
                    continue
                entry = cells[cell]
                if entry is None:
                    return None
                points, most, cell_truths, cell_actions = entry
                earned += points
                possible += most
                truths |= cell_truths
                actions |= cell_actions
            score = percent(earned, possible)
            weighted.append((weight, score))
            scores.append(score)
            levels.append(None if score is None else level_of(plan, score))
        verdict = conclude(plan, weighted, truths, actions)
        return RowResult(verdict.overall, tuple(scores), tuple(levels), verdict.gates, verdict.actions)


def _cells_at(indexes: list[int]) -> Callable[[Sequence[str]], tuple[str, ...]]:
    """The cells at these indexes as a tuple (``itemgetter`` gives a bare value for one index)."""
    if not indexes:
        return lambda record: ()
    if len(indexes) == 1:
        index = indexes[0]
        return lambda record: (record[index],)
    return itemgetter(*indexes)
