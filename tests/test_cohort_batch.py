"""``cbectool batch``: a messy real-world sheet scores its good rows right and reports its bad ones exactly."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbectool.cli import app
from cbectool.questionnaire import Questionnaire
from cbectool.scoring import Assessment, assess, parse_answer, validate_answers

COHORTS = Path(__file__).parent / "data" / "cohorts"
MESSY = COHORTS / "messy.csv"
runner = CliRunner()

# The good rows of messy.csv, written cleanly (canonical values); row number -> (name, city, answers).
GOOD_ROWS: dict[int, tuple[str, str, dict[str, object]]] = {
    3: (
        "Ali Sports Works",
        "Sialkot",
        {
            "pay_receive_channel": ["fcy_account", "payoneer"],
            "pay_invoice_fcy": "yes",
            "pay_refunds": "na",
            "log_channel": "courier",
            "log_courier_registered": "no",
            "log_hs_code": "yes",
            "log_dispatch_days": 3,
            "plat_presence": ["alibaba", "daraz"],
            "plat_reply_hours": 10,
            "plat_listing_photos": "all",
        },
    ),
    5: (
        "علی اسپورٹس",
        "سیالکوٹ",
        {
            "pay_receive_channel": ["none"],
            "pay_invoice_fcy": "no",
            "pay_refunds": "no",
            "log_channel": "none",
            "log_hs_code": "no",
            "log_dispatch_days": 20,
            "plat_presence": ["none"],
        },
    ),
    6: (
        "Ali Sports Works",
        "Gujranwala",
        {
            "pay_receive_channel": ["bank_remittance"],
            "pay_invoice_fcy": "yes",
            "pay_refunds": "yes",
            "log_channel": "post",
            "log_hs_code": "yes",
            "log_dispatch_days": 5,
            "plat_presence": ["amazon"],
            "plat_reply_hours": 50,
            "plat_listing_photos": "some",
        },
    ),
    11: (
        "Textile House",
        "Faisalabad",
        {
            "pay_receive_channel": ["payoneer", "trade_assurance"],
            "pay_invoice_fcy": "no",
            "pay_refunds": "no",
            "log_channel": "forwarder",
            "log_hs_code": "no",
            "log_dispatch_days": 15,
            "plat_presence": ["daraz"],
            "plat_reply_hours": 12,
            "plat_listing_photos": "some",
        },
    ),
}


def read_table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def expected_assessment(starter: Questionnaire, answers: dict[str, object]) -> Assessment:
    return assess(starter, validate_answers(starter, answers))


def assert_row_matches(row: dict[str, str], starter: Questionnaire, assessment: Assessment) -> None:
    assert float(row["overall_score"]) == assessment.overall.score
    assert row["overall_level"] == assessment.overall.level
    for dimension in assessment.dimensions:
        assert row[f"{dimension.id}_score"] == ("" if dimension.score is None else str(dimension.score))
        assert row[f"{dimension.id}_level"] == (dimension.level or "")
    assert row["gates"] == "; ".join(assessment.gates)
    for rank, action in enumerate(assessment.actions[:3], start=1):
        assert row[f"action_{rank}"] == action.id
        titles = {item.id: item.title for item in starter.actions}
        assert row[f"action_{rank}_title"] == titles[action.id]


def error(starter: Questionnaire, question_id: str, value: str) -> str:
    question = starter.question(question_id)
    assert question is not None
    with pytest.raises(ValueError) as caught:
        parse_answer(question, value)
    return str(caught.value)


def run_batch(starter_path: Path, cohort: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["batch", str(cohort), "-q", str(starter_path), "--out", str(out), "--no-summary", *extra]
    )
    return result.exit_code, result.stdout, result.stderr


def test_messy_sheet_scores_good_rows_and_lists_every_problem(
    starter_path: Path, starter: Questionnaire, tmp_path: Path
) -> None:
    code, stdout, stderr = run_batch(starter_path, MESSY, tmp_path / "out")

    assert code == 3
    assert "Scored 4 of 8 businesses." in stdout
    assert "ignored 1 column(s) that are not in the questionnaire: notes" in " ".join(stderr.split())
    assert stderr.count("Warning: ") == 3  # extra columns, a missing column, a name on two rows
    assert (
        "Warning: rows 3 and 6 have the same business name, 'Ali Sports Works'; both are kept and scored "
        "(two businesses may share a name)\n" in stderr
    )
    scores = read_table(tmp_path / "out" / "scores.csv")
    assert [int(row["row"]) for row in scores] == sorted(GOOD_ROWS)
    for row in scores:
        name, city, answers = GOOD_ROWS[int(row["row"])]
        assert (row["business_name"], row["city"]) == (name, city)
        assert_row_matches(row, starter, expected_assessment(starter, answers))

    errors = [
        (int(row["row"]), row["column"], row["value"], row["problem"], row["business_name"])
        for row in read_table(tmp_path / "out" / "errors.csv")
    ]
    hs_text = "Do you know the 8-digit PCT (HS) code of your main product?"
    courier_text = "Is your courier registered with Pakistan Customs for e-commerce exports?"
    channels = (
        '"My bank account receives foreign remittances", "An exporter\'s foreign-currency account at my bank", '
        '"Payoneer or a similar payout service", "Alibaba.com Trade Assurance", "None of these yet"'
    )
    # the answers as the sheet's drop-down lists show them, never the codes; the business name beside the row
    assert errors == [
        (1, "plat_contact_name", "", "the sheet has no such column; read as blank", ""),
        (
            7,
            "pay_receive_channel",
            "bogus",
            f"'bogus' is not one of the answers in the list: {channels}; "
            "write several answers in one cell, separated by ';'",
            "Bad Answers Ltd",
        ),
        (
            7,
            "pay_invoice_fcy",
            "maybe",
            '\'maybe\' is not one of the answers in the list: "Yes", "No"',
            "Bad Answers Ltd",
        ),
        (7, "log_dispatch_days", "abc", "'abc' is not a number", "Bad Answers Ltd"),
        (8, "business_name", "", "the business name is missing", ""),
        (9, "plat_presence", "none; alibaba", '"Nowhere yet" cannot be combined with other answers', "Mixed Choices"),
        (10, "log_courier_registered", "", f'missing answer to "{courier_text}"', "Half Done Traders"),
        (10, "log_hs_code", "", f'missing answer to "{hs_text}"', "Half Done Traders"),
        (10, "plat_reply_hours", "1000", "must be at most 720", "Half Done Traders"),
    ]


def test_all_rows_good_exits_zero_and_writes_every_table(starter_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "good.csv"
    sheet.write_text(
        "business_name,pay_receive_channel,pay_invoice_fcy,pay_refunds,log_channel,log_courier_registered,"
        "log_hs_code,log_dispatch_days,plat_presence,plat_reply_hours,plat_listing_photos,plat_contact_name\n"
        "One,fcy_account,yes,yes,post,,yes,1,none,,,\n",
        encoding="utf-8",
    )
    code, stdout, _ = run_batch(starter_path, sheet, tmp_path / "out")

    assert code == 0
    assert "Scored 1 of 1 businesses." in stdout
    out = tmp_path / "out"
    assert read_table(out / "errors.csv") == []
    assert len(read_table(out / "scores.csv")) == 1
    assert (out / "scores.xlsx").is_file()
    stats = json.loads((out / "cohort-stats.json").read_text(encoding="utf-8"))
    assert stats["businesses"] == 1


def test_windows_1252_export_is_decoded_with_a_warning(
    starter_path: Path, starter: Questionnaire, tmp_path: Path
) -> None:
    code, _, stderr = run_batch(starter_path, COHORTS / "windows-1252.csv", tmp_path / "out")

    assert code == 0
    assert "read as Windows-1252" in " ".join(stderr.split())
    scores = read_table(tmp_path / "out" / "scores.csv")
    assert [row["business_name"] for row in scores] == ["Café Crème Exports", "Naïve – Traders"]
    first = {
        "pay_receive_channel": ["fcy_account"], "pay_invoice_fcy": "yes", "pay_refunds": "yes",
        "log_channel": "courier", "log_courier_registered": "yes", "log_hs_code": "yes", "log_dispatch_days": 2,
        "plat_presence": ["alibaba"], "plat_reply_hours": 3, "plat_listing_photos": "all", "plat_contact_name": "José",
    }  # fmt: skip
    assert_row_matches(scores[0], starter, expected_assessment(starter, first))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"name,answer\nA,b\n", "row 1 has no 'business_name' column"),
        (b"business_name,colour\nA,red\n", "row 1 names none of the questions of starter 0.1"),
        ("business_name\n".encode("utf-16"), "is UTF-16 text"),
        (b"business_name,pay_invoice_fcy\n\x81\x8d,yes\n", "is neither UTF-8 nor Windows-1252 text"),
    ],
)
def test_unusable_sheet_exits_2_and_writes_nothing(
    starter_path: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    sheet = tmp_path / "cohort.csv"
    sheet.write_bytes(content)
    code, _, stderr = run_batch(starter_path, sheet, tmp_path / "out")

    assert code == 2
    assert stderr.startswith(f"Error: {sheet}: ")
    assert message in stderr
    assert not (tmp_path / "out").exists()


def test_missing_file_and_wrong_suffix_exit_2(starter_path: Path, tmp_path: Path) -> None:
    code, _, stderr = run_batch(starter_path, tmp_path / "nope.csv", tmp_path / "out")
    assert (code, stderr) == (2, f"Error: {tmp_path / 'nope.csv'}: no such file\n")
    other = tmp_path / "cohort.json"
    other.write_text("{}", encoding="utf-8")
    code, _, stderr = run_batch(starter_path, other, tmp_path / "out")
    assert (code, stderr) == (2, f"Error: {other}: expected a .csv or .xlsx cohort sheet\n")


def test_missing_required_column_fails_the_rows_that_need_it(starter_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "cohort.csv"
    sheet.write_text(
        "business_name,pay_receive_channel,pay_invoice_fcy,pay_refunds,log_channel,log_courier_registered,"
        "log_dispatch_days,plat_presence,plat_reply_hours,plat_listing_photos\n"
        "One,fcy_account,yes,yes,post,,1,none,,\n",
        encoding="utf-8",
    )
    code, _, _ = run_batch(starter_path, sheet, tmp_path / "out")

    assert code == 3
    problems = [(row["row"], row["column"], row["problem"]) for row in read_table(tmp_path / "out" / "errors.csv")]
    text = "Do you know the 8-digit PCT (HS) code of your main product?"
    assert problems == [
        ("1", "log_hs_code", "the sheet has no such column; read as blank"),
        ("1", "plat_contact_name", "the sheet has no such column; read as blank"),
        ("2", "log_hs_code", f"missing answer to \"{text}\" (the sheet has no 'log_hs_code' column)"),
    ]


def test_round_trip_batch_scores_equal_cbectool_score(
    starter_path: Path, starter_response: dict[str, object], tmp_path: Path
) -> None:
    response_file = tmp_path / "response.json"
    response_file.write_text(json.dumps(starter_response), encoding="utf-8")
    scored = runner.invoke(app, ["score", str(response_file), "-q", str(starter_path), "--format", "json"])
    assert scored.exit_code == 0
    single = json.loads(scored.stdout)

    sheet = tmp_path / "cohort.xlsx"
    assert runner.invoke(app, ["template", "-q", str(starter_path), "-o", str(sheet)]).exit_code == 0
    from openpyxl import load_workbook

    workbook = load_workbook(sheet)
    cohort = workbook["Cohort"]
    header = [cell.value for cell in cohort[1]]
    business = starter_response["business"]
    answers = starter_response["answers"]
    assert isinstance(business, dict) and isinstance(answers, dict)
    values = {"business_name": business["name"], "city": business["city"], **answers}
    for column, name in enumerate(header, start=1):
        value = values.get(name)
        cohort.cell(row=3, column=column, value="; ".join(value) if isinstance(value, list) else value)
    workbook.save(sheet)

    code, _, _ = run_batch(starter_path, sheet, tmp_path / "out")
    assert code == 0
    (row,) = read_table(tmp_path / "out" / "scores.csv")
    assert float(row["overall_score"]) == single["overall"]["score"]
    assert row["overall_level"] == single["overall"]["level"]
    for dimension in single["dimensions"]:
        assert float(row[f"{dimension['id']}_score"]) == dimension["score"]
        assert row[f"{dimension['id']}_level"] == dimension["level"]
    assert [row[f"action_{rank}"] for rank in (1, 2, 3)] == [action["id"] for action in single["actions"][:3]]
