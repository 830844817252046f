"""scores.csv lines are built by joining pre-quoted cells: they must be exactly what csv.writer would write."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from cbectool import resources
from cbectool.cohort.outputs import TOP_ACTIONS, ScoreTable, csv_field
from cbectool.rowscore import RowResult
from cbectool.scoring import DimensionResult, Overall
from cbectool.text import localize

QUESTIONNAIRE = resources.load("tdap-alibaba-cbec")
TABLE = ScoreTable(QUESTIONNAIRE)
LEVELS = [level.id for level in QUESTIONNAIRE.levels]
ACTIONS = [action.id for action in QUESTIONNAIRE.actions]
GATES = [gate.id for gate in QUESTIONNAIRE.gates]
# what people type into a sheet, including everything CSV must quote
TEXT = st.text(alphabet=st.sampled_from(list("ab ,;\"\r\n\tسیالکوٹ='")), max_size=12) | st.text(max_size=12)


def _written(cells: list[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    return buffer.getvalue()


@given(fields=st.lists(TEXT, min_size=2, max_size=6))
def test_csv_field_quotes_as_csv_writer_does(fields: list[str]) -> None:
    assert ",".join(csv_field(field) for field in fields) + "\r\n" == _written(list(fields))


scores = st.integers(0, 1000).map(lambda tenths: tenths / 10)
dimension_results = st.one_of(
    st.just(DimensionResult(None, None)),
    st.builds(DimensionResult, scores, st.sampled_from(LEVELS)),
)


@settings(max_examples=200)
@given(
    row=st.integers(2, 10**6),
    name=TEXT,
    city=TEXT,
    sector=TEXT,
    score=scores,
    level=st.sampled_from(LEVELS),
    dimensions=st.lists(
        dimension_results, min_size=len(QUESTIONNAIRE.dimensions), max_size=len(QUESTIONNAIRE.dimensions)
    ),
    gates=st.lists(st.sampled_from(GATES), unique=True),
    actions=st.lists(st.sampled_from(ACTIONS), unique=True, max_size=8),
    report=st.sampled_from(["", "reports/Ali-Sports.pdf", "reports/a,b.pdf"]),
)
def test_a_scores_line_is_what_csv_writer_writes_for_its_columns(
    row: int,
    name: str,
    city: str,
    sector: str,
    score: float,
    level: str,
    dimensions: list[DimensionResult],
    gates: list[str],
    actions: list[str],
    report: str,
) -> None:
    result = RowResult(Overall(score, level, level, ()), tuple(dimensions), tuple(gates), tuple(actions))
    titles = {action.id: localize(action.title) for action in QUESTIONNAIRE.actions}
    names = {item.id: localize(item.name) for item in QUESTIONNAIRE.levels}
    cells: list[object] = [row, name, city, sector, score, level, names[level]]
    for dimension in dimensions:
        cells += ["" if dimension.score is None else dimension.score, dimension.level or ""]
    cells.append("; ".join(gates))
    for rank in range(TOP_ACTIONS):
        cells += [actions[rank], titles[actions[rank]]] if rank < len(actions) else ["", ""]
    cells.append(report)
    assert len(cells) == len(TABLE.header)
    assert TABLE.line(row, name, city, sector, result, report) == _written(cells)
