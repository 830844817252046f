"""A questionnaire compiled once for the hot path: validating and scoring thousands of cohort rows.

Everything here is derived from the questionnaire and the pure functions
``response.parse_answer`` and ``scoring.score_answer``, which keep the
semantics: the plan only remembers their results per question (a cohort sheet
repeats the same few answers), and keeps each condition compiled twice, as a
test of an answers mapping and as a test of a row's truth bits
(``conditions.LeafBits``), with each action's rank at hand. One plan per
questionnaire object (``Questionnaire.plan``); memos are bounded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from cbectool.conditions import Answer, LeafBits, MaskTest, Test
from cbectool.questionnaire import RANK, Question

if TYPE_CHECKING:
    from cbectool.questionnaire import Questionnaire
    from cbectool.scoring import AnswerScore

MEMO_LIMIT = 4096

CellEntry = tuple[float, float, int, int]
"""What one raw cell contributes to a row: points earned, points possible, truth bits, action bits."""


class CellMemo(dict[str, CellEntry | None]):
    """Raw cell text to its ``CellEntry``, or None when the cell is not an acceptable answer.

    A dict, so that the row scorer's lookup is one subscript; a miss is worked
    out by the question's plan, the same way ``validate_answers`` and ``assess`` would.
    """

    def __init__(self, question: QuestionPlan) -> None:
        super().__init__()
        self._question = question

    def __missing__(self, cell: str) -> CellEntry | None:
        entry = self._question.cell_entry(cell)
        _remember(self, cell, entry)
        return entry


class BlankColumnMemo(CellMemo):
    """Stands in for the memo of a question the sheet has no column for: every cell reads as blank."""

    def __missing__(self, cell: str) -> CellEntry | None:
        return self._question.cells[""]


@dataclass(frozen=True, slots=True)
class AnswerFacts:
    """What one answer to a shown question (None: not answered) means for the row."""

    score: AnswerScore
    truths: int  # the comparisons on this question that hold (``conditions.LeafBits``)
    actions: int  # the actions whose condition is on this question alone and holds (``ActionPlan.bit``)


@dataclass(slots=True)
class QuestionPlan:
    question: Question
    id: str
    shown: Test | None
    shown_bits: MaskTest | None
    skipped: AnswerScore  # the one result of a question its condition skips
    leaf_bits: LeafBits
    action_tests: list[tuple[Test, int]] = field(default_factory=list)  # conditions on this question alone
    cells: CellMemo = field(init=False)
    _facts: dict[object, AnswerFacts] = field(default_factory=dict)
    _parsed: dict[str, Answer | ValueError] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cells = CellMemo(self)

    @property
    def absent(self) -> AnswerFacts:
        """What a question means when it is skipped or left blank (its score aside)."""
        return self.facts(None)

    def score(self, answer: Answer | None) -> AnswerScore:
        """``scoring.score_answer``, remembered."""
        return self.facts(answer).score

    def facts(self, answer: Answer | None) -> AnswerFacts:
        """The answer's score, truth bits and action bits, worked out once per distinct answer."""
        from cbectool.scoring import score_answer

        key = (type(answer), answer)
        facts = self._facts.get(key)
        if facts is None:
            answers: dict[str, Answer] = {} if answer is None else {self.id: answer}
            facts = AnswerFacts(
                score_answer(self.question, answer),
                self.leaf_bits.truths(self.id, answer),
                sum(bit for test, bit in self.action_tests if test(answers)),
            )
            _remember(self._facts, key, facts)
        return facts

    def parse_cell(self, cell: str) -> Answer:
        """``response.parse_answer`` of a text cell, remembered (rejections too, with their message)."""
        from cbectool.response import parse_answer

        outcome = self._parsed.get(cell)
        if outcome is None:
            try:
                outcome = parse_answer(self.question, cell)
            except ValueError as error:
                outcome = error
            _remember(self._parsed, cell, outcome)
        if isinstance(outcome, ValueError):
            raise ValueError(str(outcome))
        return outcome

    def cell_entry(self, cell: str) -> CellEntry | None:
        """A shown question's raw cell as ``validate_answers`` then ``assess`` would take it; None if rejected."""
        from cbectool.response import is_blank

        answer: Answer | None = None
        if is_blank(cell):
            if self.question.required:
                return None
        else:
            try:
                answer = self.parse_cell(cell)
            except ValueError:
                return None
        facts = self.facts(answer)
        return facts.score.points, facts.score.possible, facts.truths, facts.actions


@dataclass(frozen=True, slots=True)
class ActionPlan:
    rank: tuple[int, int, int, int]  # impact (high first), effort (low first), time frame, order
    id: str
    dimension: str
    bit: int  # 1 << the action's place in rank order, so that a row's actions are one int
    when: MaskTest | None  # for a condition on several questions; one on a single question is in its plan


@dataclass(frozen=True, slots=True)
class GatePlan:
    id: str
    when: MaskTest
    cap_rank: int
    cap_level: str
    actions: frozenset[str]
    action_bits: int


@dataclass(frozen=True, slots=True)
class QuestionnairePlan:
    questions: tuple[QuestionPlan, ...]
    dimensions: tuple[tuple[str, float, tuple[QuestionPlan, ...]], ...]
    gates: tuple[GatePlan, ...]
    actions: Mapping[str, ActionPlan]  # by id, best rank first
    cross_question_actions: tuple[ActionPlan, ...]  # whose condition looks at several questions
    level_floors: tuple[float, ...]  # each level's min_score, lowest first
    level_ids: tuple[str, ...]
    level_ranks: Mapping[str, int]
    _by_byte: tuple[tuple[tuple[str, ...], ...], ...]

    def ranked(self, bits: int) -> list[str]:
        """The ids of the actions whose bits are set, best rank first (a table per byte: a row sets dozens)."""
        ranked: list[str] = []
        for table in self._by_byte:
            if not bits:
                break
            ranked += table[bits & 0xFF]
            bits >>= 8
        return ranked


def compile_questionnaire(questionnaire: Questionnaire) -> QuestionnairePlan:
    from cbectool.scoring import AnswerScore, AnswerStatus

    leaf_bits = LeafBits()
    plans: dict[str, QuestionPlan] = {
        question.id: QuestionPlan(
            question,
            question.id,
            question.show_if.evaluator if question.show_if else None,
            leaf_bits.compile(question.show_if) if question.show_if else None,
            AnswerScore(question.id, AnswerStatus.SKIPPED),
            leaf_bits,
        )
        for question in questionnaire.questions()
    }
    dimensions = tuple(
        (dimension.id, dimension.weight, tuple(plans[question.id] for question in dimension.questions))
        for dimension in questionnaire.dimensions
    )
    ranks = {level.id: index for index, level in enumerate(questionnaire.levels)}
    in_order = sorted(
        enumerate(questionnaire.actions),
        key=lambda item: (-RANK[item[1].impact], RANK[item[1].effort], int(item[1].timeframe), item[0]),
    )
    actions: list[ActionPlan] = []
    for place, (index, action) in enumerate(in_order):
        bit = 1 << place
        when: MaskTest | None = None
        if action.when is not None:
            looks_at = {leaf.question for _, leaf in action.when.leaves() if leaf.question is not None}
            if len(looks_at) == 1:
                plans[looks_at.pop()].action_tests.append((action.when.evaluator, bit))
            else:
                when = leaf_bits.compile(action.when)
        rank = (-RANK[action.impact], RANK[action.effort], int(action.timeframe), index)
        actions.append(ActionPlan(rank, action.id, action.dimension, bit, when))
    bits = {action.id: action.bit for action in actions}
    gates = tuple(
        GatePlan(
            gate.id,
            leaf_bits.compile(gate.when),
            ranks[gate.cap_level],
            gate.cap_level,
            frozenset(gate.actions),
            sum(bits[action_id] for action_id in set(gate.actions)),
        )
        for gate in questionnaire.gates
    )
    return QuestionnairePlan(
        tuple(plans.values()),
        dimensions,
        gates,
        {action.id: action for action in actions},
        tuple(action for action in actions if action.when is not None),
        tuple(level.min_score for level in questionnaire.levels),
        tuple(level.id for level in questionnaire.levels),
        ranks,
        _byte_tables(actions),
    )


def _byte_tables(actions: list[ActionPlan]) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """For each 8 places in rank order, the ids of the actions set in each of the 256 bytes."""
    tables = []
    for start in range(0, len(actions), 8):
        group = actions[start : start + 8]
        tables.append(
            tuple(tuple(action.id for place, action in enumerate(group) if byte >> place & 1) for byte in range(256))
        )
    return tuple(tables)


_K = TypeVar("_K")
_V = TypeVar("_V")


def _remember(memo: dict[_K, _V], key: _K, value: _V) -> None:
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = value
