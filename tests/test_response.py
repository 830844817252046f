"""Response files and answer validation: what is accepted, and the error that names the question."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cbectool import cli, resources
from cbectool.errors import ExitCode, ResponseError
from cbectool.questionnaire import Questionnaire
from cbectool.response import answers_to_json, load_response
from cbectool.scoring import AnswerError, parse_answer, validate_answers


def _problems(questionnaire: Questionnaire, answers: dict[str, object]) -> list[str]:
    with pytest.raises(ResponseError) as caught:
        validate_answers(questionnaire, answers, "r.json")
    return caught.value.problems


def test_complete_answers_validate_to_typed_values(starter: Questionnaire, starter_answers: dict[str, object]) -> None:
    answers = validate_answers(starter, starter_answers)
    assert answers["pay_receive_channel"] == ("fcy_account",)
    assert answers["log_dispatch_days"] == 3.0
    assert answers["plat_contact_name"] == "Ayesha"


def test_unknown_question_bad_choice_and_missing_answer_each_named(
    starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    answers = dict(starter_answers, colour="red", log_channel="camel")
    del answers["log_hs_code"]
    problems = _problems(starter, answers)
    assert "answers.colour: no such question in starter 0.1" in problems
    assert (
        "answers.log_channel: 'camel' is not one of the choices: \"International courier\" (courier), "
        '"Pakistan Post" (post), "Freight forwarder (sea or air cargo)" (forwarder), '
        '"I have not sent goods abroad" (none)'
    ) in problems
    assert any(problem.startswith('answers.log_hs_code: missing answer to "Do you know') for problem in problems)


def test_answers_to_skipped_questions_are_ignored_not_errors(
    starter: Questionnaire, starter_answers: dict[str, object]
) -> None:
    # log_courier_registered is only asked of courier users; a filled-in spreadsheet cell must not fail.
    answers = validate_answers(starter, dict(starter_answers, log_channel="post", log_courier_registered="maybe"))
    assert "log_courier_registered" not in answers
    assert answers["log_channel"] == "post"


def test_optional_question_may_be_blank(starter: Questionnaire, starter_answers: dict[str, object]) -> None:
    answers = validate_answers(starter, dict(starter_answers, plat_contact_name="  "))
    assert "plat_contact_name" not in answers


@pytest.mark.parametrize("given_answer", ["COURIER", "  courier ", "International courier", "international   COURIER"])
def test_choices_match_by_value_or_label_in_any_case(starter: Questionnaire, given_answer: str) -> None:
    question = starter.question("log_channel")
    assert question is not None
    assert parse_answer(question, given_answer) == "courier"


@pytest.mark.parametrize(("given_answer", "expected"), [(True, "yes"), ("Y", "yes"), ("no", "no"), (False, "no")])
def test_yes_no_accepts_booleans_and_short_forms(starter: Questionnaire, given_answer: object, expected: str) -> None:
    question = starter.question("pay_invoice_fcy")
    assert question is not None
    assert parse_answer(question, given_answer) == expected


@pytest.mark.parametrize(
    ("given_answer", "expected"),
    [
        (["payoneer", "fcy_account"], ("fcy_account", "payoneer")),
        ("payoneer, fcy_account", ("fcy_account", "payoneer")),
        ("payoneer;fcy_account", ("fcy_account", "payoneer")),
        ("payoneer fcy_account", ("fcy_account", "payoneer")),  # ODK/Kobo: space separated values
        ("Payoneer or a similar payout service", ("payoneer",)),
        (["payoneer", "payoneer"], ("payoneer",)),
    ],
)
def test_multi_choice_forms(starter: Questionnaire, given_answer: object, expected: tuple[str, ...]) -> None:
    question = starter.question("pay_receive_channel")
    assert question is not None
    assert parse_answer(question, given_answer) == expected


def test_exclusive_choice_cannot_be_combined(starter: Questionnaire) -> None:
    question = starter.question("pay_receive_channel")
    assert question is not None
    with pytest.raises(AnswerError) as caught:
        parse_answer(question, ["none", "payoneer"])
    assert str(caught.value) == '"None of these yet" (none) cannot be combined with other answers'


@pytest.mark.parametrize(
    ("given_answer", "message"),
    [
        ("soon", "'soon' is not a number"),
        (-1, "must be at least 0"),
        (400, "must be at most 365"),
        ("nan", "must be a finite number"),
        (True, "'true' is not a number"),
    ],
)
def test_number_answers_are_checked(starter: Questionnaire, given_answer: object, message: str) -> None:
    question = starter.question("log_dispatch_days")
    assert question is not None
    with pytest.raises(ValueError, match=message):
        parse_answer(question, given_answer)


def test_numbers_accept_thousands_separators(starter: Questionnaire) -> None:
    question = starter.question("log_dispatch_days")
    assert question is not None
    assert parse_answer(question, " 1,5 ".replace(",", "")) == 15.0
    assert parse_answer(question, "12") == 12.0


@given(st.sampled_from(["courier", "post", "forwarder", "none"]), st.text(alphabet=" \t", max_size=3))
def test_value_matching_ignores_case_and_surrounding_space(value: str, padding: str) -> None:
    question = resources.load(str(Path(__file__).parent / "data" / "questionnaires" / "starter.yaml")).question(
        "log_channel"
    )
    assert question is not None
    assert parse_answer(question, padding + value.upper() + padding) == value


def test_answers_round_trip_through_the_file_form(starter: Questionnaire, starter_answers: dict[str, object]) -> None:
    answers = validate_answers(starter, starter_answers)
    assert validate_answers(starter, answers_to_json(answers)) == answers


def test_load_response_reads_json_and_yaml(tmp_path: Path, starter_response: dict[str, object]) -> None:
    json_file = tmp_path / "r.json"
    json_file.write_text(json.dumps(starter_response), encoding="utf-8")
    assert load_response(json_file).business.name == "Ali Sports Works"
    yaml_file = tmp_path / "r.yaml"
    yaml_file.write_text("questionnaire: {id: starter}\nbusiness: {name: Noor Salt}\nanswers: {}\n", encoding="utf-8")
    response = load_response(yaml_file)
    assert (response.business.name, response.questionnaire.version, response.assessed) == ("Noor Salt", None, None)


def test_minimal_hand_written_file_needs_only_id_name_and_answers(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"questionnaire": {"id": "starter"}, "answers": {}}', encoding="utf-8")
    with pytest.raises(ResponseError) as caught:
        load_response(path)
    assert str(caught.value) == f"{path}: business: is required"


def test_broken_json_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{\n  "questionnaire": {"id": "starter"},\n  "business": {"name": "x"}\n  "answers": {}\n}')
    with pytest.raises(ResponseError) as caught:
        load_response(path)
    assert str(caught.value) == f"{path}:4: is not valid JSON: Expecting ',' delimiter"


def test_blank_business_name_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{"questionnaire": {"id": "starter"}, "business": {"name": "   "}, "answers": {}}')
    with pytest.raises(ResponseError, match=r"business\.name: String should have at least 1 character"):
        load_response(path)


def _cli(*args: str) -> Any:
    return CliRunner().invoke(cli.app, list(args))


def test_report_on_a_pdf_says_it_is_a_pdf_and_where_the_answers_are(
    tmp_path: Path, starter_response: dict[str, object]
) -> None:
    pdf = tmp_path / "Ali-Sports-Works.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    result = _cli("report", str(pdf))
    assert result.exit_code == ExitCode.USER
    assert result.stderr == (
        f"Error: {pdf}: this is a PDF, not a response file; "
        "a response file is JSON or YAML text with questionnaire, business and answers\n"
    )
    (tmp_path / "Ali-Sports-Works.json").write_text(json.dumps(starter_response), encoding="utf-8")
    result = _cli("report", str(pdf))
    assert result.stderr.endswith(f"; the answers of this report may be in {tmp_path / 'Ali-Sports-Works.json'}\n")


def test_score_on_a_cohort_sheet_says_it_is_a_spreadsheet_and_how_to_score_it(
    tmp_path: Path, starter_path: Path
) -> None:
    sheet = tmp_path / "cohort.xlsx"
    assert _cli("template", "-q", str(starter_path), "-o", str(sheet)).exit_code == 0
    result = _cli("score", str(sheet))
    assert result.exit_code == ExitCode.USER
    assert result.stderr == (
        f"Error: {sheet}: this is a spreadsheet (.xlsx), not a response file; a response file is JSON or YAML "
        f"text with questionnaire, business and answers; to score a cohort sheet, run: cbectool batch {sheet} "
        "--out results\n"
    )


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "this is an image (PNG), not a response file"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "this is an image (JPEG), not a response file"),
        (b"PK\x05\x06" + bytes(18), "this is a ZIP archive, not a response file"),
        ('{"answers": {}}'.encode("utf-16"), "is UTF-16 text; save it as UTF-8"),
        (b'{"business": {"name": "Caf\xe9"}}', "is not UTF-8 text; save it as UTF-8"),
    ],
)
def test_a_file_that_is_not_a_response_is_named_as_what_it_is(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "ali.json"
    path.write_bytes(content)
    with pytest.raises(ResponseError) as caught:
        load_response(path)
    assert str(caught.value).startswith(f"{path}: {kind}")


def test_a_wrong_questionnaire_id_names_the_response_file(tmp_path: Path, starter_response: dict[str, Any]) -> None:
    path = tmp_path / "ali.json"
    path.write_text(json.dumps({**starter_response, "questionnaire": {"id": "tdap-cbec"}}), encoding="utf-8")
    for command in (["score", str(path)], ["report", str(path)], ["assess", "--answers", str(path), "--no-pdf"]):
        result = _cli(*command)
        assert result.exit_code == ExitCode.USER
        assert result.stderr.startswith(f"Error: {path}: questionnaire.id: no questionnaire 'tdap-cbec' (bundled: ")
