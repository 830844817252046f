"""``cbectool template``: blank sheets with the right columns, drop-downs and instructions, that read back."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from cbectool.cli import app
from cbectool.cohort.columns import PROFILE_COLUMNS, allowed_answers, layout_for
from cbectool.cohort.reading import open_cohort
from cbectool.questionnaire import Questionnaire, QuestionType
from cbectool.scoring import choice_inputs
from cbectool.text import localize

runner = CliRunner()


def make_template(starter_path: Path, path: Path) -> None:
    result = runner.invoke(app, ["template", "-q", str(starter_path), "-o", str(path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert (
        result.stdout == f"Wrote {path}: fill in one row per business, then run: cbectool batch {path} --out results\n"
    )


def test_xlsx_template_has_columns_texts_drop_downs_and_instructions(
    starter_path: Path, starter: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "cohort.xlsx"
    make_template(starter_path, path)

    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Cohort", "Lists", "Instructions"]
    sheet = workbook["Cohort"]
    question_ids = [question.id for question in starter.questions()]
    assert [cell.value for cell in sheet[1]] == [*PROFILE_COLUMNS, *question_ids]
    assert sheet.cell(row=2, column=len(PROFILE_COLUMNS) + 1).value.startswith(localize(starter.questions()[0].text))
    assert sheet.freeze_panes == "B3"
    assert workbook["Lists"].sheet_state == "hidden"

    lists = workbook["Lists"]
    validations = {str(item.sqref).split(":")[0]: item for item in sheet.data_validations.dataValidation}
    for index, question in enumerate(starter.questions(), start=len(PROFILE_COLUMNS) + 1):
        letter = sheet.cell(row=1, column=index).column_letter
        validation = validations.get(f"{letter}3")
        if question.type in (QuestionType.SINGLE, QuestionType.MULTI, QuestionType.YES_NO):
            assert validation is not None, question.id
            assert validation.type == "list"
            assert str(validation.sqref) == f"{letter}3:{letter}1002"
            source_column = validation.formula1.split("!")[1].split(":")[0].replace("$", "").rstrip("0123456789")
            offered = [cell.value for (cell,) in lists[f"{source_column}2:{source_column}{len(question.choices) + 1}"]]
            assert offered == allowed_answers(question)
            assert lists[f"{source_column}1"].value == question.id
            assert validation.showErrorMessage is (question.type != QuestionType.MULTI)
        elif question.type == QuestionType.NUMBER:
            assert validation is not None and validation.type == "decimal"
            assert (float(validation.formula1), float(validation.formula2)) == (question.min, question.max)
        else:
            assert validation is None
    instructions = [row[0] for row in workbook["Instructions"].iter_rows(values_only=True)]
    assert any("separated by ';'" in (line or "") for line in instructions)
    assert (
        "plat_presence: Where do you sell online today? -> one or more of: "
        "Alibaba.com | Amazon | Daraz (Pakistan) | My own website | Nowhere yet" in instructions
    )


def test_labels_offered_when_they_read_back_as_their_own_choice(starter: Questionnaire) -> None:
    channel = starter.question("log_channel")
    photos = starter.question("plat_listing_photos")
    assert channel is not None and photos is not None
    assert allowed_answers(channel) == [
        "International courier", "Pakistan Post", "Freight forwarder (sea or air cargo)", "I have not sent goods abroad"
    ]  # fmt: skip
    for question in starter.questions():
        for offered, choice in zip(allowed_answers(question), question.choices, strict=True):
            assert choice_inputs(question)[offered.casefold()] == choice.value


def test_filled_xlsx_template_reads_back(starter_path: Path, starter: Questionnaire, tmp_path: Path) -> None:
    path = tmp_path / "cohort.xlsx"
    make_template(starter_path, path)
    workbook = load_workbook(path)
    sheet = workbook["Cohort"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=3, column=header.index("business_name") + 1, value="علی اسپورٹس")
    sheet.cell(row=3, column=header.index("log_dispatch_days") + 1, value=3)
    sheet.cell(row=3, column=header.index("log_channel") + 1, value="International courier")
    sheet.cell(row=5, column=header.index("business_name") + 1, value="Second")
    workbook.save(path)

    with open_cohort(path, layout_for(starter)) as reader:
        rows = list(reader.rows())
        assert reader.missing_columns == ()
        assert reader.warnings == []
    assert [row.number for row in rows] == [3, 5]
    assert rows[0].cells["business_name"] == "علی اسپورٹس"
    assert rows[0].cells["log_dispatch_days"] == "3"
    assert rows[0].cells["log_channel"] == "International courier"


def test_csv_template_has_ids_and_texts_and_reads_back_empty(
    starter_path: Path, starter: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "cohort.csv"
    make_template(starter_path, path)

    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 2
    with open_cohort(path, layout_for(starter)) as reader:
        assert list(reader.rows()) == []
        assert reader.warnings == []


def test_template_never_overwrites_without_force(starter_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "cohort.xlsx"
    path.write_text("answers already typed", encoding="utf-8")
    result = runner.invoke(app, ["template", "-q", str(starter_path), "-o", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path}: already exists (it may hold answers); use --force to replace it\n"
    assert path.read_text(encoding="utf-8") == "answers already typed"
    assert runner.invoke(app, ["template", "-q", str(starter_path), "-o", str(path), "--force"]).exit_code == 0
    assert load_workbook(path).sheetnames[0] == "Cohort"


def test_template_suffix_must_be_csv_or_xlsx(starter_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "cohort.ods"
    result = runner.invoke(app, ["template", "-q", str(starter_path), "-o", str(path)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path}: the template is written as .xlsx or .csv; choose one of those suffixes\n"
