"""--lang accepts only the languages a questionnaire declares (English, the fallback, always), on every command."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from cbectool import cli
from cbectool.errors import CbecError, ExitCode
from cbectool.interview.terminal import AssessOptions, run

runner = CliRunner()


def _refusal(questionnaire_id: str, languages: str = "en") -> str:
    return f"Error: --lang xx: questionnaire {questionnaire_id} has no texts in 'xx'; it has: {languages}\n"


@pytest.fixture
def response_file(tmp_path: Path, starter_response: dict[str, Any]) -> Path:
    path = tmp_path / "ali.json"
    path.write_text(json.dumps(starter_response), encoding="utf-8")
    return path


def _commands(tmp_path: Path, starter_path: Path, response: Path) -> dict[str, list[str]]:
    sheet = tmp_path / "cohort.csv"
    sheet.write_text("business_name\n", encoding="utf-8")
    starter = ["-q", str(starter_path)]
    out = str(tmp_path / "out")
    return {
        "assess": ["assess", "--answers", str(response), *starter, "--out", out],
        "report": ["report", str(response), *starter, "-o", f"{out}/"],
        "score": ["score", str(response), *starter],
        "template": ["template", "-o", f"{out}/cohort.xlsx", *starter],
        "batch": ["batch", str(sheet), "--out", out, *starter],
        "batch-merge": ["batch-merge", str(tmp_path), "--out", out, *starter],
        "questionnaire show": ["questionnaire", "show", str(starter_path)],
    }


@pytest.mark.parametrize(
    "command", ["assess", "report", "score", "template", "batch", "batch-merge", "questionnaire show"]
)
def test_an_unknown_language_is_refused_naming_the_languages_and_nothing_is_written(
    command: str, tmp_path: Path, starter_path: Path, response_file: Path
) -> None:
    args = _commands(tmp_path, starter_path, response_file)[command]
    result = runner.invoke(cli.app, [*args, "--lang", "xx"])
    assert (result.exit_code, result.stdout, result.stderr) == (ExitCode.USER, "", _refusal("starter"))
    assert not (tmp_path / "out").exists()


def test_questionnaire_list_refuses_a_language_no_bundled_questionnaire_has() -> None:
    result = runner.invoke(cli.app, ["questionnaire", "list", "--lang", "xx"])
    assert (result.exit_code, result.stderr) == (ExitCode.USER, _refusal("tdap-alibaba-cbec", "en, ur"))
    assert runner.invoke(cli.app, ["questionnaire", "list", "--lang", "en"]).exit_code == 0


def test_a_declared_language_and_english_are_accepted(
    tmp_path: Path, starter_path: Path, starter_response: dict[str, Any]
) -> None:
    bilingual = tmp_path / "bilingual.yaml"
    bilingual.write_text(
        starter_path.read_text(encoding="utf-8").replace("languages: [en]", "languages: [en, ur]"), encoding="utf-8"
    )
    response = tmp_path / "ali.json"
    response.write_text(json.dumps(starter_response), encoding="utf-8")
    for lang in ("ur", "en"):
        result = runner.invoke(cli.app, ["score", str(response), "-q", str(bilingual), "--lang", lang])
        assert result.exit_code == 0, result.output
    result = runner.invoke(cli.app, ["score", str(response), "-q", str(bilingual), "--lang", "pa"])
    assert result.stderr == "Error: --lang pa: questionnaire starter has no texts in 'pa'; it has: en, ur\n"


def test_the_interview_refuses_an_unknown_language_before_asking_anything(tmp_path: Path, starter_path: Path) -> None:
    asked: list[str] = []

    def reader(prompt: str) -> str:
        asked.append(prompt)
        raise KeyboardInterrupt  # the owner would have been asked something

    options = AssessOptions(questionnaire=str(starter_path), out=tmp_path, pdf=False, lang="xx")
    console = Console(file=io.StringIO())
    with pytest.raises(CbecError, match=r"^--lang xx: questionnaire starter has no texts in 'xx'; it has: en$"):
        run(options, console, console, reader, interactive=True)
    assert asked == []
    assert not tmp_path.joinpath("drafts").exists()
