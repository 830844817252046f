"""The action plan: recommended actions put into phases (30, 60, 90 days, later) in an order that can be followed.

Rules (README, "How scores are made"; questionnaires/README.md):

* actions are taken in order of importance (gate actions first, then impact,
  effort, time frame, file order);
* an action is never scheduled before the recommended actions it names in
  ``after``: those are placed first, in the same phase or an earlier one;
* an action goes into the first phase, from its own ``timeframe`` on, that
  still has room; each phase holds at most ``STEPS_PER_PHASE`` steps, so the
  first month is short and the most important steps come first;
* what does not fit goes to "later" (``phase`` None), with the reason.

A prerequisite that is not recommended (the business has it already) constrains nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

PHASES = (30, 60, 90)
"""The plan's phases in days; a step in none of them is "later"."""
STEPS_PER_PHASE = 5


class Moved(StrEnum):
    """Why a step is not in the phase its own time frame asks for."""

    PHASE_FULL = "phase_full"  # the earlier phases already hold their most important steps
    AFTER = "after"  # it waits for a step it needs first (``Scheduled.waits_for``)


@dataclass(frozen=True, slots=True)
class Scheduled:
    id: str
    phase: int | None  # 30, 60 or 90 days; None: later
    after: tuple[str, ...]  # the recommended actions that must be done first
    moved: Moved | None  # why it is later than its own time frame, if it is
    waits_for: str | None  # with ``Moved.AFTER``: the step it waits for


def schedule(
    ranked: Sequence[str], timeframes: Mapping[str, int], prerequisites: Mapping[str, Sequence[str]]
) -> list[Scheduled]:
    """The plan, in the order to follow it: by phase, and within a phase prerequisites first, then importance.

    ``ranked``: recommended action ids, most important first; ``timeframes``: each action's own phase in days;
    ``prerequisites``: each action's ``after`` list (ids that are not recommended are ignored).
    """
    recommended = set(ranked)
    room = dict.fromkeys(PHASES, STEPS_PER_PHASE)
    placed: dict[str, Scheduled] = {}
    order: list[str] = []

    def place(action_id: str) -> None:
        if action_id in placed:
            return
        needs = tuple(before for before in _by_rank(prerequisites.get(action_id, ()), ranked) if before in recommended)
        for before in needs:
            place(before)
        own = timeframes[action_id]
        earliest, waits_for = own, None
        for before in needs:
            before_phase = placed[before].phase
            if before_phase is None or before_phase > earliest:
                earliest, waits_for = (before_phase if before_phase is not None else _LATER), before
        phase = next((days for days in PHASES if days >= earliest and room[days] > 0), None)
        if phase is not None:
            room[phase] -= 1
        moved: Moved | None = None
        if phase is None or phase > own:
            held_back = phase == earliest or (phase is None and earliest == _LATER)
            moved = Moved.AFTER if waits_for is not None and held_back else Moved.PHASE_FULL
        placed[action_id] = Scheduled(action_id, phase, needs, moved, waits_for if moved == Moved.AFTER else None)
        order.append(action_id)

    for action_id in ranked:
        place(action_id)
    sequence = {action_id: index for index, action_id in enumerate(order)}
    return sorted(placed.values(), key=lambda step: (_LATER if step.phase is None else step.phase, sequence[step.id]))


_LATER = 10**6
"""Sorts after every phase."""


def _by_rank(ids: Sequence[str], ranked: Sequence[str]) -> list[str]:
    position = {action_id: index for index, action_id in enumerate(ranked)}
    return sorted(ids, key=lambda action_id: position.get(action_id, len(position)))
