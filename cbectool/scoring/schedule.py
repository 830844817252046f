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

from collections.abc import Container, Mapping, Sequence
from enum import StrEnum
from typing import NamedTuple

PHASES = (30, 60, 90)
"""The plan's phases in days; a step in none of them is "later"."""
STEPS_PER_PHASE = 5


class Moved(StrEnum):
    """Why a step is not in the phase its own time frame asks for."""

    PHASE_FULL = "phase_full"  # the earlier phases already hold their most important steps
    AFTER = "after"  # it waits for a step it needs first (``Step.waits_for``)


class Step(NamedTuple):
    """One step of the plan (an immutable record: a batch makes dozens per business)."""

    id: str  # the action's id
    dimension: str  # the id of the action's dimension
    priority: int  # its number in the plan: 1 is the first step
    gate_related: bool  # lifts a gate that fired
    phase: int | None  # scheduled in the first 30, 60 or 90 days; None: later
    after: tuple[str, ...]  # the recommended steps that must be done before it
    moved: Moved | None  # why it is later than its own time frame, if it is
    waits_for: str | None  # with ``Moved.AFTER``: the step it waits for


def schedule(
    ranked: Sequence[str],
    timeframes: Mapping[str, int],
    prerequisites: Mapping[str, Sequence[str]],
    dimensions: Mapping[str, str],
    gate_actions: Container[str] = (),
) -> list[Step]:
    """The plan, in the order to follow it: by phase, and within a phase prerequisites first, then importance.

    ``ranked``: recommended action ids, most important first; ``timeframes``: each action's own phase in days;
    ``prerequisites``: each action's ``after`` list (ids that are not recommended are ignored); ``dimensions``:
    each action's dimension; ``gate_actions``: those that lift a fired gate.
    """
    importance = {action_id: index for index, action_id in enumerate(ranked)}
    room = dict.fromkeys(PHASES, STEPS_PER_PHASE)
    phase_of: dict[str, int | None] = {}
    # per phase (None: later), in the order placed: (id, phase, after, moved, waits_for)
    in_phase: dict[int | None, list[tuple[str, int | None, tuple[str, ...], Moved | None, str | None]]] = {
        days: [] for days in (*PHASES, None)
    }

    def place(action_id: str) -> None:
        needs: tuple[str, ...] = ()
        earliest = own = timeframes[action_id]
        waits_for = None
        if action_id in prerequisites:
            needs = _recommended_in_order(prerequisites[action_id], importance)
            for before in needs:
                if before not in phase_of:
                    place(before)
                before_phase = phase_of[before]
                if before_phase is None or before_phase > earliest:
                    earliest, waits_for = (_LATER if before_phase is None else before_phase), before
        phase = None
        for days in PHASES:
            if days >= earliest and room[days]:
                phase = days
                room[days] -= 1
                break
        moved = None
        if phase != own:  # later than its own time frame: say why
            held_back = waits_for is not None and (phase == earliest or (phase is None and earliest == _LATER))
            moved = _AFTER if held_back else _PHASE_FULL
        phase_of[action_id] = phase
        in_phase[phase].append((action_id, phase, needs, moved, waits_for if moved is _AFTER else None))

    for action_id in ranked:
        if action_id not in phase_of:
            place(action_id)
    # by phase; within a phase in the order placed, which puts every prerequisite before what needs it
    return [
        Step._make(
            (action_id, dimensions[action_id], number, action_id in gate_actions, phase, needs, moved, waits_for)
        )
        for number, (action_id, phase, needs, moved, waits_for) in enumerate(
            (placed for steps in in_phase.values() for placed in steps), start=1
        )
    ]


_AFTER, _PHASE_FULL = Moved.AFTER, Moved.PHASE_FULL
_LATER = 10**6
"""Sorts after every phase."""


def _recommended_in_order(ids: Sequence[str], importance: Mapping[str, int]) -> tuple[str, ...]:
    """The recommended ones of ``ids``, most important first."""
    if not ids:
        return ()
    return tuple(sorted((before for before in ids if before in importance), key=importance.__getitem__))
