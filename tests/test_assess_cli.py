"""``cbectool assess`` through CliRunner: the response-file route, where files go, and its errors."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cbectool import __version__, cli
from cbectool.errors import ExitCode
from cbectool.interview import terminal
from cbectool.questionnaire import Questionnaire
from cbectool.response import answers_to_json
from cbectool.scoring import validate_answers
from cbectool.text import localize

runner = CliRunner()


def invoke(*args: str) -> Any:
    return runner.invoke(cli.app, ["assess", *args])


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def expected_result(starter: Questionnaire, response: dict[str, Any]) -> dict[str, Any]:
    return {
        "questionnaire": {"id": starter.id, "version": starter.version},
        "business": response["business"],
        "answers": answers_to_json(validate_answers(starter, response["answers"])),
        "assessed": response["assessed"],
        "tool_version": __version__,
        "language": "en",  # the language it was answered in and its report made in
    }


def test_answers_file_saves_the_result_like_an_interactive_run(
    tmp_path: Path, starter_path: Path, starter: Questionnaire, starter_response: dict[str, Any]
) -> None:
    answers = write_json(tmp_path / "ali.json", starter_response)
    out = tmp_path / "out"
    result = invoke("--answers", str(answers), "--questionnaire", str(starter_path), "--out", str(out), "--no-pdf")
    assert result.exit_code == 0, result.output
    saved = out / "results" / "Ali-Sports-Works.json"
    assert json.loads(saved.read_text(encoding="utf-8")) == expected_result(starter, starter_response)
    stdout = " ".join(result.stdout.split())
    assert stdout.startswith("Ali Sports Works ")
    assert "Overall readiness:" in stdout
    first_action = next(action for action in starter.actions if action.id == "open_foreign_remittance_account")
    assert localize(first_action.title) not in stdout  # the business has a foreign-currency account: no such gate
    assert f"Your answers are saved in: {saved}" in result.stdout
    assert "report" not in result.stdout.split("saved in:")[1]  # --no-pdf: no report line


def test_yaml_answers_and_cbectool_home(
    tmp_path: Path, starter_path: Path, starter: Questionnaire, starter_response: dict[str, Any], monkeypatch: Any
) -> None:
    answers = tmp_path / "ali.yaml"
    answers.write_text(yaml.safe_dump(starter_response), encoding="utf-8")
    monkeypatch.setenv("CBECTOOL_HOME", str(tmp_path / "home-folder"))
    result = invoke("--answers", str(answers), "-q", str(starter_path), "--no-pdf")
    assert result.exit_code == 0, result.output
    saved = tmp_path / "home-folder" / "results" / "Ali-Sports-Works.json"
    assert json.loads(saved.read_text(encoding="utf-8")) == expected_result(starter, starter_response)


def test_a_second_result_for_the_same_name_gets_a_new_file(
    tmp_path: Path, starter_path: Path, starter_response: dict[str, Any]
) -> None:
    answers = write_json(tmp_path / "ali.json", starter_response)
    args = ("--answers", str(answers), "-q", str(starter_path), "--out", str(tmp_path), "--no-pdf")
    assert invoke(*args).exit_code == 0
    first = (tmp_path / "results" / "Ali-Sports-Works.json").read_text(encoding="utf-8")
    starter_response["business"]["city"] = "Lahore"
    write_json(answers, starter_response)
    assert invoke(*args).exit_code == 0
    assert (tmp_path / "results" / "Ali-Sports-Works.json").read_text(encoding="utf-8") == first
    second = json.loads((tmp_path / "results" / "Ali-Sports-Works-2.json").read_text(encoding="utf-8"))
    assert second["business"]["city"] == "Lahore"


def test_a_missing_assessment_date_is_today(
    tmp_path: Path, starter_path: Path, starter_response: dict[str, Any]
) -> None:
    from datetime import date

    del starter_response["assessed"]
    answers = write_json(tmp_path / "ali.json", starter_response)
    result = invoke("--answers", str(answers), "-q", str(starter_path), "--out", str(tmp_path), "--no-pdf")
    assert result.exit_code == 0, result.output
    saved = json.loads((tmp_path / "results" / "Ali-Sports-Works.json").read_text(encoding="utf-8"))
    assert saved["assessed"] == {"on": date.today().isoformat()}


def test_answers_file_also_writes_the_pdf_report(
    tmp_path: Path, starter_path: Path, starter_response: dict[str, Any]
) -> None:
    from pypdf import PdfReader

    answers = write_json(tmp_path / "ali.json", starter_response)
    umask = os.umask(0o022)
    try:
        result = invoke("--answers", str(answers), "-q", str(starter_path), "--out", str(tmp_path))
    finally:
        os.umask(umask)
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "results" / "Ali-Sports-Works.pdf"
    assert f"Your report is saved in: {pdf}" in result.stdout
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert starter_response["business"]["name"] in text
    # The result holds the owner's answers and contact: readable by the owner only (docs/assess.md).
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    assert stat.S_IMODE(pdf.with_suffix(".json").stat().st_mode) == 0o600


def test_without_a_terminal_and_without_answers_it_stops_with_exit_2(tmp_path: Path) -> None:
    for args in ([], ["--resume"], ["--out", str(tmp_path)]):
        result = runner.invoke(cli.app, ["assess", *args], input="1\n2\n")
        assert result.exit_code == ExitCode.USER
        assert result.stderr == (
            "Error: cannot ask questions: standard input is not a terminal. Run cbectool assess in a terminal, "
            "or give a response file: cbectool assess --answers FILE\n"
        )
        assert result.stdout == ""
    assert [item.name for item in tmp_path.iterdir()] == ["home"]  # the isolated HOME only: nothing written
    assert not (tmp_path / "home" / "cbectool").exists()


def test_a_bad_answer_is_reported_with_file_and_question_and_nothing_is_saved(
    tmp_path: Path, starter_path: Path, starter_response: dict[str, Any]
) -> None:
    starter_response["answers"]["log_dispatch_days"] = 999
    starter_response["answers"]["pay_invoice_fcy"] = "maybe"
    answers = write_json(tmp_path / "ali.json", starter_response)
    out = tmp_path / "out"
    result = invoke("--answers", str(answers), "-q", str(starter_path), "--out", str(out), "--no-pdf")
    assert result.exit_code == ExitCode.USER
    assert result.stderr == (
        f'Error: {answers}: answers.pay_invoice_fcy: \'maybe\' is not one of the choices: "Yes" (yes), "No" (no)\n'
        f"Error: {answers}: answers.log_dispatch_days: must be at most 365\n"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "{path}: no such file"),
        ("{", "{path}:1: is not valid JSON: Expecting property name enclosed in double quotes"),
        ('{"questionnaire": {"id": "starter"}, "answers": {}}', "{path}: business: is required"),
    ],
)
def test_a_broken_answers_file_is_reported_by_name(
    tmp_path: Path, starter_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "answers.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = invoke("--answers", str(path), "-q", str(starter_path), "--out", str(tmp_path / "out"), "--no-pdf")
    assert result.exit_code == ExitCode.USER
    assert result.stderr.startswith(f"Error: {message.format(path=path)}")


def test_an_unknown_questionnaire_is_a_user_error(tmp_path: Path, starter_response: dict[str, Any]) -> None:
    answers = write_json(tmp_path / "ali.json", starter_response)
    result = invoke("--answers", str(answers), "-q", "no-such-questionnaire", "--no-pdf")
    assert result.exit_code == ExitCode.USER
    assert result.stderr.startswith("Error: no questionnaire 'no-such-questionnaire'")


def test_help_names_every_option() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for option in ("--resume", "--answers", "--questionnaire", "--out", "--no-pdf", "--lang"):
        assert option in result.stdout


@pytest.mark.parametrize(
    ("args", "resume", "draft"),
    [
        ([], False, None),
        (["--resume"], True, None),
        (["--resume", "d/x.json"], True, Path("d/x.json")),
        (["d/x.json"], True, Path("d/x.json")),
    ],
)
def test_resume_takes_an_optional_draft(
    args: list[str], resume: bool, draft: Path | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[terminal.AssessOptions] = []

    def fake_run(options: terminal.AssessOptions, *_: object, interactive: bool) -> ExitCode:
        seen.append(options)
        return ExitCode.OK

    monkeypatch.setattr(terminal, "run", fake_run)
    result = invoke(*args, "--no-pdf")
    assert result.exit_code == 0, result.output
    assert [(options.resume, options.draft, options.pdf) for options in seen] == [(resume, draft, False)]


def test_the_exit_code_of_the_interview_is_the_exit_code_of_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(terminal, "run", lambda *_, **__: ExitCode.INTERRUPTED)
    assert invoke().exit_code == ExitCode.INTERRUPTED
