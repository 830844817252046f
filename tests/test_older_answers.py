"""A response file answered on an older questionnaire version is still scored; --strict refuses it instead."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cbectool import resources
from cbectool.cli import app
from cbectool.errors import ExitCode
from cbectool.loader import load_questionnaire
from cbectool.scoring import assess, parse_answer

DATA = Path(__file__).parent / "data"
OLD_RESPONSE = DATA / "responses" / "answered-on-1.0.json"
VERSION_1 = DATA / "questionnaires" / "tdap-alibaba-cbec-1.0.yaml"
runner = CliRunner()


def _fitting_and_not(raw: dict[str, object]) -> tuple[dict[str, object], list[str]]:
    """Worked out from the 2.0 questionnaire alone: the answers it accepts, and those it does not."""
    current = resources.load("tdap-alibaba-cbec")
    fitting, misfits = {}, []
    for question_id, value in raw.items():
        question = current.question(question_id)
        try:
            if question is None:
                raise ValueError("no such question")
            fitting[question_id] = parse_answer(question, value)
        except ValueError:
            misfits.append(question_id)
    return fitting, misfits


def test_a_1_0_file_is_scored_on_2_0_naming_each_answer_that_no_longer_fits() -> None:
    document = json.loads(OLD_RESPONSE.read_text(encoding="utf-8"))
    assert document["questionnaire"]["version"] == load_questionnaire(VERSION_1).version == "1.0"
    fitting, misfits = _fitting_and_not(document["answers"])
    assert misfits, "the file must hold answers that 2.0 no longer takes"

    result = runner.invoke(app, ["score", str(OLD_RESPONSE), "--format", "json"])

    assert result.exit_code == 0, result.output
    warnings = result.stderr.splitlines()
    for question_id in misfits:
        assert sum(f"answers.{question_id}:" in line for line in warnings) == 1, question_id
    assert any("have no answer in this version 1.0 file and count neither way" in line for line in warnings)
    assert all(line.startswith(f"Warning: {OLD_RESPONSE}") for line in warnings)
    expected = assess(resources.load("tdap-alibaba-cbec"), fitting)  # the rest, scored as usual
    assert json.loads(result.stdout)["overall"]["score"] == expected.overall.score


def test_strict_refuses_it_with_one_line_per_answer() -> None:
    _, misfits = _fitting_and_not(json.loads(OLD_RESPONSE.read_text(encoding="utf-8"))["answers"])
    result = runner.invoke(app, ["score", str(OLD_RESPONSE), "--strict"])
    assert result.exit_code == ExitCode.USER
    for question_id in misfits:
        assert f"Error: {OLD_RESPONSE}: answers.{question_id}:" in result.stderr
    assert result.stdout == ""


def test_an_answer_that_does_not_fit_its_own_version_is_still_an_error(tmp_path: Path) -> None:
    document = json.loads((DATA / "personas" / "sialkot-sports-alibaba.json").read_text(encoding="utf-8"))
    document["answers"]["pay_informal"] = "sometimes"  # not a choice of the version it names
    path = tmp_path / "current.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(app, ["report", str(path), "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == ExitCode.USER
    assert f"{path}: answers.pay_informal:" in result.stderr
    assert not (tmp_path / "r.pdf").exists()
