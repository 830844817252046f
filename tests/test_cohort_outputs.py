"""scores.csv rows: one cell per header column, the figures of the assessment, the plan's first steps."""

from __future__ import annotations

import pytest

from cbectool import resources
from cbectool.cohort.outputs import TOP_ACTIONS, ScoreTable
from cbectool.questionnaire import Questionnaire
from cbectool.scoring import assess, validate_answers
from cbectool.text import localize


@pytest.fixture(params=["starter", "bundled"])
def questionnaire(request: pytest.FixtureRequest, starter: Questionnaire) -> Questionnaire:
    return starter if request.param == "starter" else resources.load("tdap-alibaba-cbec")


def test_a_scores_row_has_a_cell_for_every_column_in_header_order(
    starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    assessment = assess(starter, validate_answers(starter, dict(starter_answers, pay_receive_channel="none")))
    table = ScoreTable(starter)
    row = dict(
        zip(table.header, table.cells(7, "Ali, Sons", "Sialkot", "", assessment, "reports/Ali.pdf"), strict=True)
    )
    assert (row["row"], row["business_name"], row["city"], row["report"]) == (
        "7",
        "Ali, Sons",
        "Sialkot",
        "reports/Ali.pdf",
    )
    assert row["overall_score"] == str(assessment.overall.score)
    assert row["overall_level_name"] == localize(starter.level(assessment.overall.level).name)
    for dimension in assessment.dimensions:
        assert row[f"{dimension.id}_score"] == str(dimension.score)
    assert row["gates"] == "no_payment_channel"
    first_steps = assessment.actions[:TOP_ACTIONS]
    assert [row[f"action_{rank}"] for rank in range(1, len(first_steps) + 1)] == [step.id for step in first_steps]
    assert row["action_1"] == "open_foreign_remittance_account"  # the gate's step comes first


def test_a_dimension_without_a_score_leaves_its_cells_blank(questionnaire: Questionnaire) -> None:
    assessment = assess(questionnaire, {})  # nothing answered: no dimension can be scored
    assert all(dimension.score is None for dimension in assessment.dimensions)
    table = ScoreTable(questionnaire)
    cells = table.cells(2, "B", "", "", assessment)
    assert len(cells) == len(table.header)
    assert cells[7 : 7 + 2 * len(questionnaire.dimensions)] == [""] * 2 * len(questionnaire.dimensions)
