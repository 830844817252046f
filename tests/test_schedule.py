"""The action plan's schedule: prerequisites first, a short first month, nothing earlier than its own time frame."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cbectool.scoring.schedule import PHASES, STEPS_PER_PHASE, Moved, Step
from cbectool.scoring.schedule import schedule as plan_of


@st.composite
def plans(draw: st.DrawFn) -> tuple[list[str], dict[str, int], dict[str, list[str]]]:
    """Random actions in rank order, each with a time frame and prerequisites among the others (no circles:
    an action may only need actions created before it, in any rank), some of which are not recommended."""
    count = draw(st.integers(0, 30))
    created = [f"a{index}" for index in range(count)]
    prerequisites = {
        action: draw(st.lists(st.sampled_from(created[:index]), unique=True, max_size=3)) if index else []
        for index, action in enumerate(created)
    }
    timeframes = {action: draw(st.sampled_from(PHASES)) for action in created}
    recommended = draw(st.lists(st.sampled_from(created), unique=True)) if created else []
    return recommended, timeframes, prerequisites  # the drawn order is the rank order


class _Anywhere(dict[str, str]):
    """Every action's dimension: the schedule does not depend on it."""

    def __missing__(self, action_id: str) -> str:
        return "dimension"


def schedule(ranked: list[str], timeframes: dict[str, int], prerequisites: dict[str, list[str]]) -> list[Step]:
    return plan_of(ranked, timeframes, prerequisites, _Anywhere())


def _position(steps: list[Step]) -> dict[str, int]:
    return {step.id: index for index, step in enumerate(steps)}


def _phase_order(step: Step) -> int:
    return 10**6 if step.phase is None else step.phase


@given(plans())
def test_a_schedule_never_puts_a_step_before_its_prerequisites(
    plan: tuple[list[str], dict[str, int], dict[str, list[str]]],
) -> None:
    ranked, timeframes, prerequisites = plan
    steps = schedule(ranked, timeframes, prerequisites)
    position = _position(steps)
    by_id = {step.id: step for step in steps}
    for step in steps:
        for before in prerequisites[step.id]:
            if before in position:
                assert position[before] < position[step.id]
                assert _phase_order(by_id[before]) <= _phase_order(step)
                assert before in step.after
            else:
                assert before not in step.after  # not recommended: the business has it; it constrains nothing


@given(plans())
def test_the_first_month_and_every_phase_hold_at_most_five_steps(
    plan: tuple[list[str], dict[str, int], dict[str, list[str]]],
) -> None:
    steps = schedule(*plan)
    for days in PHASES:
        assert sum(1 for step in steps if step.phase == days) <= STEPS_PER_PHASE


@given(plans())
def test_every_recommended_step_is_planned_once_and_never_earlier_than_its_own_time_frame(
    plan: tuple[list[str], dict[str, int], dict[str, list[str]]],
) -> None:
    ranked, timeframes, prerequisites = plan
    steps = schedule(ranked, timeframes, prerequisites)
    assert sorted(step.id for step in steps) == sorted(ranked)
    assert [step.priority for step in steps] == list(range(1, len(steps) + 1))
    for step in steps:
        assert _phase_order(step) >= timeframes[step.id]
        assert (step.moved is None) == (step.phase == timeframes[step.id])
        if step.moved == Moved.AFTER:
            assert step.waits_for in step.after


@given(plans())
def test_without_prerequisites_the_most_important_steps_come_first(
    plan: tuple[list[str], dict[str, int], dict[str, list[str]]],
) -> None:
    ranked, timeframes, _ = plan
    steps = schedule(ranked, timeframes, {})
    first_month = [step.id for step in steps if step.phase == 30]
    wanted_now = [action for action in ranked if timeframes[action] == 30]
    assert first_month == wanted_now[:STEPS_PER_PHASE]  # the five most important 30-day steps, in rank order


def test_a_prerequisite_pulls_ahead_and_a_full_month_pushes_back() -> None:
    # Six 30-day steps; the fifth in importance needs "bank" (a 30-day step ranked last).
    ranked = ["gate", "b", "c", "d", "market", "f", "bank"]
    timeframes = dict.fromkeys(ranked, 30)
    steps = schedule(ranked, timeframes, {"market": ["bank"]})
    assert [(step.id, step.phase) for step in steps] == [
        ("gate", 30),
        ("b", 30),
        ("c", 30),
        ("d", 30),
        ("bank", 30),  # placed for "market", before it, and so it takes the fifth place of the first month
        ("market", 60),  # the first month is full: 60 days, after the bank account
        ("f", 60),
    ]
    assert steps[5].moved == Moved.PHASE_FULL
    assert steps[6].moved == Moved.PHASE_FULL


def test_a_step_waits_for_a_later_prerequisite() -> None:
    steps = schedule(["membership", "account"], {"membership": 30, "account": 60}, {"membership": ["account"]})
    assert [(step.id, step.phase, step.moved, step.waits_for) for step in steps] == [
        ("account", 60, None, None),
        ("membership", 60, Moved.AFTER, "account"),
    ]
