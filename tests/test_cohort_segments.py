"""A large CSV sheet is cut into segments scored at once; the outputs must be exactly those of one pass."""

from __future__ import annotations

import csv
import itertools
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbectool import resources
from cbectool.cohort import scoring_pass
from cbectool.cohort.batch import BatchOptions, Shard, run_batch
from cbectool.cohort.columns import layout_for
from cbectool.cohort.reading import SegmentMisaligned, open_cohort, segment_rows, split_csv
from cbectool.questionnaire import Questionnaire, QuestionType
from cbectool.text import localize

STARTER = Path(__file__).parent / "data" / "questionnaires" / "starter.yaml"
NAMES = ["Ali Sports", 'Noor "Best" Leather', "Khan, Sons & Co", "علی اسپورٹس", "  Padded  ", "=HYPERLINK(1)"]


def _sheet(
    path: Path,
    questionnaire: Questionnaire,
    rows: int,
    *,
    seed: int = 6,
    line_break_at: int | None = None,
    as_template: bool = False,
) -> None:
    """A cohort sheet with answers as values or labels, some wrong answers, blank lines and awkward names;
    ``as_template``: with the question-text row under the ids and without the optional last column."""
    rng = random.Random(seed)
    layout = layout_for(questionnaire)
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(layout.columns[:-1] if as_template else layout.columns)
        if as_template:
            writer.writerow([layout.texts[column] for column in layout.columns[:-1]])
        for number in range(rows):
            if number % 97 == 50:
                writer.writerow([])
            name = f"{rng.choice(NAMES)} {number}"
            if number == line_break_at:
                name = f"Two-line\nname {number}"
            profile = [name, rng.choice(["Sialkot", "سیالکوٹ", ""]), "Sports goods", "", "", "", ""]
            answers = []
            for question in questionnaire.questions():
                if rng.random() < 0.01:
                    answers.append("maybe")  # a wrong answer: the row is rejected
                elif question.type == QuestionType.NUMBER:
                    answers.append(str(rng.randint(0, 60)))
                elif question.type == QuestionType.TEXT:
                    answers.append(rng.choice(["", "Ayesha"]))
                elif question.type == QuestionType.MULTI:
                    choices = [choice.value for choice in question.choices if not choice.exclusive]
                    answers.append("; ".join(rng.sample(choices, k=rng.randint(1, 2))))
                else:
                    choice = rng.choice(question.choices)
                    answers.append(choice.value if rng.random() < 0.7 else localize(choice.label).upper())
            writer.writerow((profile + answers)[:-1] if as_template else profile + answers)


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("scores.csv", "errors.csv", "cohort-stats.json")}


@pytest.fixture
def starter() -> Questionnaire:
    return resources.load(str(STARTER))


@pytest.fixture
def segments_always(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Cut every sheet, however small; record how many segments each cut made."""
    monkeypatch.setattr(scoring_pass, "PARALLEL_FROM_BYTES", 0)
    made: list[int] = []
    real = scoring_pass.split_csv

    def spy(path: Path, count: int) -> list[object]:
        segments = real(path, count)
        made.append(len(segments))
        return segments  # type: ignore[return-value]

    monkeypatch.setattr(scoring_pass, "split_csv", spy)
    return made


def _run(sheet: Path, out: Path, workers: int, shard: Shard | None = None) -> dict[str, bytes]:
    options = BatchOptions(sheet, out, str(STARTER), workers=workers, summary=False, xlsx=False, shard=shard)
    result = run_batch(options)
    assert result.rows > 0
    return _outputs(out)


def test_segments_scored_at_once_give_exactly_the_outputs_of_one_pass(
    starter: Questionnaire, tmp_path: Path, segments_always: list[int]
) -> None:
    sheet = tmp_path / "cohort.csv"
    _sheet(sheet, starter, 3000)
    one_pass = _run(sheet, tmp_path / "serial", workers=1)
    assert segments_always == []
    at_once = _run(sheet, tmp_path / "parallel", workers=3)
    assert segments_always == [3 * scoring_pass.SEGMENTS_PER_WORKER]
    assert at_once == one_pass
    rejected = one_pass["errors.csv"].decode("utf-8-sig").count("maybe")
    assert rejected > 0  # the wrong answers were reported, in sheet order, by both


def test_a_template_sheet_with_a_missing_column_and_a_shard_cuts_the_same(
    starter: Questionnaire, tmp_path: Path, segments_always: list[int]
) -> None:
    sheet = tmp_path / "cohort.csv"
    _sheet(sheet, starter, 2000, as_template=True)
    for shard in (None, Shard(2, 3)):
        label = "all" if shard is None else "shard"
        one_pass = _run(sheet, tmp_path / f"serial-{label}", workers=1, shard=shard)
        assert _run(sheet, tmp_path / f"parallel-{label}", workers=2, shard=shard) == one_pass
        errors = one_pass["errors.csv"].decode("utf-8-sig")
        assert "1,plat_contact_name,,the sheet has no such column" in errors
        assert "Business name" not in one_pass["scores.csv"].decode("utf-8-sig")  # the text row is not a business
    assert segments_always == [2 * scoring_pass.SEGMENTS_PER_WORKER] * 2


def test_a_cell_with_a_line_break_before_a_cut_falls_back_to_one_pass(
    starter: Questionnaire, tmp_path: Path, segments_always: list[int]
) -> None:
    sheet = tmp_path / "cohort.csv"
    _sheet(sheet, starter, 2000, line_break_at=10)
    one_pass = _run(sheet, tmp_path / "serial", workers=1)
    at_once = _run(sheet, tmp_path / "parallel", workers=2)
    assert segments_always == [
        2 * scoring_pass.SEGMENTS_PER_WORKER
    ]  # it was cut, noticed the broken record, and scored the sheet whole
    assert at_once == one_pass
    assert "Two-line\nname 10" in one_pass["scores.csv"].decode("utf-8-sig")
    assert not list((tmp_path / "parallel").glob(".cbectool-parts-*"))


def test_no_part_files_are_left_behind(starter: Questionnaire, tmp_path: Path, segments_always: list[int]) -> None:
    sheet = tmp_path / "cohort.csv"
    _sheet(sheet, starter, 500)
    _run(sheet, tmp_path / "out", workers=2)
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "cohort-stats.json",
        "errors.csv",
        "scores.csv",
    ]


CELLS = st.text(alphabet=st.sampled_from(list('ab ,;"x\r\n')), max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    records=st.lists(st.lists(CELLS, min_size=1, max_size=4), max_size=40),
    count=st.integers(1, 5),
    line_end=st.sampled_from(["\n", "\r\n"]),
)
def test_segments_read_the_rows_of_the_whole_sheet_or_say_they_cannot(
    starter: Questionnaire, tmp_path: Path, records: list[list[str]], count: int, line_end: str
) -> None:
    sheet = tmp_path / "cut.csv"
    with sheet.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator=line_end)
        writer.writerow(["business_name", "pay_invoice_fcy", "pay_refunds", "city"])
        writer.writerows(records)
    layout = layout_for(starter)
    with open_cohort(sheet, layout) as reader:
        whole = [(row.number, row.record) for row in reader.rows()]
        sheet_format = reader.format
    segments = split_csv(sheet, count)
    assert segments[0].start == 0 and segments[-1].end == sheet.stat().st_size
    assert all(before.end == after.start for before, after in itertools.pairwise(segments))
    try:
        parts = [
            (row.number, row.record) for segment in segments for row in segment_rows(sheet_format, layout, segment)
        ]
    except SegmentMisaligned:
        assert any("\n" in cell or "\r" in cell for record in records for cell in record)
        return
    assert parts == whole


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(alphabet=st.sampled_from(list('ab,;" \n\r')), max_size=80), count=st.integers(2, 5))
def test_cut_malformed_text_is_read_as_the_whole_sheet_or_refused(
    starter: Questionnaire, tmp_path: Path, body: str, count: int
) -> None:
    """Stray quotes and bare carriage returns, as hand-edited files have: never a different reading."""
    sheet = tmp_path / "raw.csv"
    sheet.write_text("business_name,pay_invoice_fcy,city\n" + body, encoding="utf-8", newline="")
    layout = layout_for(starter)
    with open_cohort(sheet, layout) as reader:
        whole = [(row.number, row.record) for row in reader.rows()]
        sheet_format = reader.format
    try:
        parts = [
            (row.number, row.record)
            for segment in split_csv(sheet, count)
            for row in segment_rows(sheet_format, layout, segment)
        ]
    except SegmentMisaligned:
        return
    assert parts == whole
