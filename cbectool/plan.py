"""A questionnaire compiled once for the hot path: validating and scoring thousands of cohort rows.

Everything here is derived from the questionnaire and the pure functions
``response.parse_answer`` and ``scoring.score_answer``, which keep the
semantics; the plan only remembers their results per distinct answer (a cohort
sheet repeats the same few answers) and packs them so that a row is a sum.

**Packing.** What one answer means for its row is one int (``AnswerFacts.packed``):

* bits from 0: the comparisons on its question that hold (``conditions.LeafBits``);
* then: the actions whose condition looks at this question alone and holds;
* then, per dimension, two fields: points earned and points possible, counted
  in units of ``1 / Packing.scale`` so that they are whole numbers;
* on top: a flag a rejected cell sets (``Packing.invalid``).

Each comparison and each single-question action belongs to one question, so
no bit is set twice and adding the answers of a row ORs their bits while it
adds up the points, exactly and in any order. Conditions are tested on the
sum itself (their bits are the lowest), and ``scoring.conclude`` reads the
sums back. One plan per questionnaire object (``Questionnaire.plan``); memos
are bounded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from cbectool.conditions import Answer, LeafBits, MaskTest, Test
from cbectool.questionnaire import RANK, Question, QuestionType

if TYPE_CHECKING:
    from cbectool.questionnaire import Questionnaire
    from cbectool.scoring import AnswerScore, DimensionResult

MEMO_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class Packing:
    """Where each part of a row's sum sits in one int (see the module docstring)."""

    scale: int  # points are counted in units of 1/scale
    action_shift: int
    action_mask: int
    field_bits: int
    dimension_shifts: tuple[int, ...]  # where each dimension's earned field starts; possible follows
    invalid: int  # what a rejected cell adds

    def pack(self, dimension: int, points: float, possible: float, truths: int, actions: int) -> int:
        shift = self.dimension_shifts[dimension]
        earned, most = round(points * self.scale), round(possible * self.scale)
        return truths | actions << self.action_shift | earned << shift | most << (shift + self.field_bits)

    @property
    def sums_mask(self) -> int:
        """Both fields of a dimension, shifted down: earned in the low half, possible above."""
        return (1 << 2 * self.field_bits) - 1

    def dimension_sums(self, packed: int) -> list[tuple[int, int]]:
        """(earned, possible) per dimension, in units of 1/scale."""
        mask = (1 << self.field_bits) - 1
        return [(packed >> shift & mask, packed >> (shift + self.field_bits) & mask) for shift in self.dimension_shifts]

    def actions(self, packed: int) -> int:
        return packed >> self.action_shift & self.action_mask


class CellMemo(dict[str, int]):
    """Raw cell text to what it adds to its row (``AnswerFacts.packed``, or ``Packing.invalid``).

    A dict, so that the row scorer's lookup is one subscript; a miss is worked
    out by the question's plan, the same way ``validate_answers`` and ``assess`` would.
    """

    def __init__(self, question: QuestionPlan) -> None:
        super().__init__()
        self._question = question

    def __missing__(self, cell: str) -> int:
        packed = self._question.cell_value(cell)
        remember(self, cell, packed)
        return packed


class BlankColumnMemo(CellMemo):
    """Stands in for the memo of a question the sheet has no column for: every cell reads as blank."""

    def __missing__(self, cell: str) -> int:
        return self._question.cells[""]


@dataclass(frozen=True, slots=True)
class AnswerFacts:
    """What one answer to a shown question (None: not answered) means for the row."""

    score: AnswerScore
    truths: int  # the comparisons on this question that hold (``conditions.LeafBits``)
    actions: int  # the actions whose condition is on this question alone and holds (``ActionPlan.bit``)
    packed: int  # all of it, with the points, as the row adds it up


@dataclass(slots=True)
class QuestionPlan:
    question: Question
    id: str
    dimension: int  # index in the questionnaire's dimensions
    shown: Test | None
    shown_bits: MaskTest | None
    skipped: AnswerScore  # the one result of a question its condition skips
    leaf_bits: LeafBits
    packing: Packing | None = None  # set once every condition is compiled
    action_tests: list[tuple[Test, int]] = field(default_factory=list)  # conditions on this question alone
    cells: CellMemo = field(init=False)
    _facts: dict[object, AnswerFacts] = field(default_factory=dict)
    _parsed: dict[str, Answer | ValueError] = field(default_factory=dict)
    _absent: AnswerFacts | None = None

    def __post_init__(self) -> None:
        self.cells = CellMemo(self)

    @property
    def absent(self) -> AnswerFacts:
        """What a skipped question means for the row: its truths and actions when unanswered, no points."""
        if self._absent is None:
            unanswered = self.facts(None)
            truths_and_actions = unanswered.truths | unanswered.actions << self._packing.action_shift
            self._absent = AnswerFacts(self.skipped, unanswered.truths, unanswered.actions, truths_and_actions)
        return self._absent

    @property
    def _packing(self) -> Packing:
        assert self.packing is not None, "compile_questionnaire sets the packing"
        return self.packing

    def facts(self, answer: Answer | None) -> AnswerFacts:
        """What an answer to this shown question means, worked out once per distinct answer."""
        from cbectool.scoring import score_answer

        key = (type(answer), answer)
        facts = self._facts.get(key)
        if facts is None:
            answers: dict[str, Answer] = {} if answer is None else {self.id: answer}
            scored = score_answer(self.question, answer)
            truths = self.leaf_bits.truths(self.id, answer)
            actions = sum(bit for test, bit in self.action_tests if test(answers))
            packed = self._packing.pack(self.dimension, scored.points, scored.possible, truths, actions)
            facts = AnswerFacts(scored, truths, actions, packed)
            remember(self._facts, key, facts)
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
            remember(self._parsed, cell, outcome)
        if isinstance(outcome, ValueError):
            raise ValueError(str(outcome))
        return outcome

    def cell_value(self, cell: str) -> int:
        """A shown question's raw cell as ``validate_answers`` then ``assess`` would take it, packed;
        ``Packing.invalid`` if validation would reject it."""
        from cbectool.response import is_blank

        answer: Answer | None = None
        if is_blank(cell):
            if self.question.required:
                return self._packing.invalid
        else:
            try:
                answer = self.parse_cell(cell)
            except ValueError:
                return self._packing.invalid
        return self.facts(answer).packed


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
    packing: Packing
    dimension_results: tuple[tuple[float, int, dict[int, DimensionResult]], ...]  # weight, shift, memo
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
    plans: dict[str, QuestionPlan] = {}
    for index, dimension in enumerate(questionnaire.dimensions):
        for question in dimension.questions:
            plans[question.id] = QuestionPlan(
                question,
                question.id,
                index,
                question.show_if.evaluator if question.show_if else None,
                leaf_bits.compile(question.show_if) if question.show_if else None,
                AnswerScore(question.id, AnswerStatus.SKIPPED),
                leaf_bits,
            )
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
    packing = _packing(questionnaire, leaf_bits.count, len(actions))
    for plan in plans.values():
        plan.packing = packing
    return QuestionnairePlan(
        tuple(plans.values()),
        dimensions,
        packing,
        tuple((weight, shift, {}) for (_, weight, _), shift in zip(dimensions, packing.dimension_shifts, strict=True)),
        gates,
        {action.id: action for action in actions},
        tuple(action for action in actions if action.when is not None),
        tuple(level.min_score for level in questionnaire.levels),
        tuple(level.id for level in questionnaire.levels),
        ranks,
        _byte_tables(actions),
    )


def _packing(questionnaire: Questionnaire, truth_bits: int, action_count: int) -> Packing:
    scale = _points_scale(questionnaire)
    most = max(
        (
            sum(round(question.possible_points * scale) for question in dimension.questions)
            for dimension in questionnaire.dimensions
        ),
        default=0,
    )
    field_bits = most.bit_length() + 1
    first = truth_bits + action_count
    shifts = tuple(first + 2 * field_bits * index for index in range(len(questionnaire.dimensions)))
    invalid_shift = first + 2 * field_bits * len(questionnaire.dimensions)
    return Packing(scale, truth_bits, (1 << action_count) - 1, field_bits, shifts, 1 << invalid_shift)


def _points_scale(questionnaire: Questionnaire) -> int:
    """A power of ten that makes every point value in the questionnaire whole (1 when all are)."""
    places = 0
    for question in questionnaire.questions():
        values = [question.possible_points] + [choice.points for choice in question.choices]
        if question.type == QuestionType.NUMBER:
            values += [step.points for step in question.scoring]
        places = max([places, *(_decimal_places(value) for value in values)])
    return int(10**places)


def _decimal_places(value: float) -> int:
    """Digits after the point in the shortest decimal form of ``value``: 2.5 has 1, 3.0 none, 1e-05 five."""
    mantissa, _, exponent = repr(float(value)).partition("e")
    fraction = mantissa.partition(".")[2].rstrip("0")
    return max(0, len(fraction) - int(exponent or 0))


def _byte_tables(actions: list[ActionPlan]) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """For each 8 places in rank order, the ids of the actions set in each of the 256 bytes."""
    tables = []
    for start in range(0, len(actions), 8):
        group = actions[start : start + 8]
        table: list[tuple[str, ...]] = [()]
        for byte in range(1, 256):
            lowest = byte & -byte  # the best-ranked action of the byte, then those of the higher bits
            place = lowest.bit_length() - 1
            table.append(((group[place].id,) if place < len(group) else ()) + table[byte ^ lowest])
        tables.append(tuple(table))
    return tuple(tables)


_K = TypeVar("_K")
_V = TypeVar("_V")


def remember(memo: dict[_K, _V], key: _K, value: _V) -> None:
    """Store in a bounded memo (cleared when full: the hot path's few distinct keys come straight back)."""
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = value
