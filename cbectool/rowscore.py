"""A cohort row's raw cells straight to what the cohort tables need: the lean twin of validate + assess.

``cbectool batch`` scores up to hundreds of thousands of rows, and building
the full explained ``Assessment`` (an object per answer, a message per problem)
cost more than everything else in the batch together. ``RowScorer`` looks each
cell up in its question's memo (``plan.CellMemo``: the packed int of each
distinct cell text), adds the row up and returns only the overall result, the
dimension results, the gates and the ranked action ids, through the same
``scoring.conclude`` as ``assess``. A row it cannot take whole (a wrong or
missing answer) gives None, and the caller takes the full path, which says
exactly what is wrong. tests/test_rowscore.py holds the two paths equal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

from cbectool.conditions import MaskTest
from cbectool.plan import BlankColumnMemo, CellMemo, QuestionPlan
from cbectool.questionnaire import Questionnaire
from cbectool.scoring import Assessment, DimensionResult, Overall, conclude
from cbectool.scoring.schedule import schedule


@dataclass(frozen=True, slots=True)
class RowResult:
    """One business's result as the cohort tables and statistics use it."""

    overall: Overall
    dimensions: tuple[DimensionResult, ...]  # in questionnaire order
    gates: tuple[str, ...]  # fired gate ids, in questionnaire order
    actions: tuple[str, ...]  # recommended action ids, most important first

    @classmethod
    def of(cls, assessment: Assessment) -> RowResult:
        """The same figures taken from a full assessment."""
        return cls(
            assessment.overall,
            tuple(DimensionResult(dimension.score, dimension.level) for dimension in assessment.dimensions),
            assessment.gates,
            tuple(action.id for action in assessment.actions),
        )


class RowScorer:
    """Scores records (lists of cell texts) laid out as ``columns`` says: question id to record index."""

    def __init__(self, questionnaire: Questionnaire, columns: Mapping[str, int]) -> None:
        self._plan = plan = questionnaire.plan
        self._timeframes = {action.id: int(action.timeframe) for action in questionnaire.actions}
        self._prerequisites = {action.id: action.after for action in questionnaire.actions}
        self._invalid = plan.packing.invalid
        self._width = max(columns.values(), default=0) + 1
        stand_in = min(columns.values(), default=0)  # any real column: a missing one's memo ignores the cell

        def memo(question: QuestionPlan) -> CellMemo:
            return question.cells if question.id in columns else BlankColumnMemo(question)

        always = [question for question in plan.questions if question.shown_bits is None]
        self._always_memos = [memo(question) for question in always]
        self._always_cells = _cells_at([columns.get(question.id, stand_in) for question in always])
        # questions with a condition, in questionnaire order: a condition only looks at earlier questions
        self._sometimes: tuple[tuple[int, CellMemo, MaskTest, int], ...] = tuple(
            (columns.get(question.id, stand_in), memo(question), question.shown_bits, question.absent.packed)
            for question in plan.questions
            if question.shown_bits is not None
        )

    def score(self, record: Sequence[str]) -> RowResult | None:
        """The row's result, or None if any shown question's cell is not an acceptable answer."""
        if len(record) < self._width:  # a short row: the missing cells are blank
            record = [*record, *[""] * (self._width - len(record))]
        # the unconditional questions' cells, added up in one go (``plan``'s packing: an int per cell)
        row: int = sum(map(dict.__getitem__, self._always_memos, self._always_cells(record)))
        for index, cells, shown, absent in self._sometimes:
            row += cells[record[index]] if shown(row) else absent
        if row >= self._invalid:
            return None
        verdict = conclude(self._plan, row)
        steps = schedule(verdict.actions, self._timeframes, self._prerequisites)
        return RowResult(verdict.overall, verdict.dimensions, verdict.gates, tuple(step.id for step in steps))


def _cells_at(indexes: list[int]) -> Callable[[Sequence[str]], tuple[str, ...]]:
    """The cells at these indexes as a tuple (``itemgetter`` gives a bare value for one index)."""
    if not indexes:
        return lambda record: ()
    if len(indexes) == 1:
        index = indexes[0]
        return lambda record: (record[index],)
    return itemgetter(*indexes)
