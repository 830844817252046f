"""The foundation commands through typer's CliRunner: output contracts, exit codes, one-line errors."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cbectool import __version__, cli, resources
from cbectool.errors import ExitCode
from cbectool.questionnaire import Questionnaire

runner = CliRunner()


def invoke(*args: str) -> Any:
    return runner.invoke(cli.app, list(args))


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_version() -> None:
    result = invoke("--version")
    assert (result.exit_code, result.stdout) == (0, f"cbectool {__version__}\n")


def _all_commands() -> list[list[str]]:
    commands: list[list[str]] = []

    def walk(group: Any, prefix: list[str]) -> None:
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                walk(command, [*prefix, name])
            else:
                commands.append([*prefix, name])

    import typer.main

    walk(typer.main.get_command(cli.app), [])
    return commands


@pytest.mark.parametrize("command", _all_commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout, f"'cbectool {' '.join(command)} --help' shows no example"


def test_questionnaire_list_names_the_bundled_default() -> None:
    result = invoke("questionnaire", "list", "--format", "json")
    assert result.exit_code == 0
    listed = {item["id"]: item for item in json.loads(result.stdout)}
    assert "tdap-alibaba-cbec" in listed
    assert listed["tdap-alibaba-cbec"]["questions"] > 0


def test_show_json_is_the_public_contract(starter_path: Path, starter: Questionnaire) -> None:
    result = invoke("questionnaire", "show", str(starter_path), "--format", "json")
    assert result.exit_code == 0
    shown = json.loads(result.stdout)
    assert {"id", "version", "title", "dimensions", "levels", "actions"} <= set(shown)
    assert (shown["id"], shown["version"]) == ("starter", "0.1")
    for dimension, model in zip(shown["dimensions"], starter.dimensions, strict=True):
        assert {"id", "title", "weight", "questions"} <= set(dimension)
        assert dimension["id"] == model.id
        for question in dimension["questions"]:
            assert {"id", "text", "help", "type"} <= set(question)
            if question["type"] in ("single", "multi", "yes_no"):
                assert question["choices"], question["id"]
                assert all({"value", "label", "points"} <= set(choice) for choice in question["choices"])
            else:
                assert "choices" not in question
    yes_no = next(q for d in shown["dimensions"] for q in d["questions"] if q["id"] == "pay_invoice_fcy")
    assert [(c["value"], c["points"]) for c in yes_no["choices"]] == [("yes", 4), ("no", 0)]


def test_show_table_lists_questions_and_levels(starter_path: Path) -> None:
    result = invoke("questionnaire", "show", str(starter_path))
    assert result.exit_code == 0
    assert "pay_receive_channel" in result.stdout
    assert "from 70: Ready to start (export_ready)" in result.stdout


def test_validate_reports_each_file_and_fails_if_any_is_bad(tmp_path: Path, starter_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(starter_path.read_text().replace("    weight: 30", "    weight: heavy"), encoding="utf-8")
    result = invoke("questionnaire", "validate", str(starter_path), str(bad))
    assert result.exit_code == ExitCode.USER
    assert result.stdout.startswith(f"OK {starter_path}: starter 0.1, 3 dimensions, 11 questions, 9 actions")
    line = next(n for n, text in enumerate(bad.read_text().splitlines(), 1) if "weight: heavy" in text)
    errors = [text for text in result.stderr.splitlines() if not text.startswith("Warning: ")]
    assert errors == [f"Error: {bad}:{line}: dimensions[1].weight: must be a number"]
    assert "Traceback" not in result.output


def test_validate_warns_about_each_action_without_a_dated_source(starter_path: Path, starter: Questionnaire) -> None:
    undated = [action.id for action in starter.actions if not action.sources]
    assert undated, "the starter keeps a few actions without sources for this test"
    result = invoke("questionnaire", "validate", str(starter_path))
    assert result.exit_code == 0
    warnings = result.stderr.splitlines()
    assert len(warnings) == len(undated)
    lines = starter_path.read_text(encoding="utf-8").splitlines()
    for action_id, warning in zip(undated, warnings, strict=True):
        assert f"action '{action_id}' has no dated source" in warning
        line = int(warning.split(":")[2])  # "Warning: FILE:LINE: actions[N]: ..."
        assert lines[line - 1].strip() == f"- id: {action_id}"
    assert result.stdout.startswith(f"OK {starter_path}")


def test_schema_describes_questionnaire_files_and_is_committed_for_editors(tmp_path: Path) -> None:
    result = invoke("questionnaire", "schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"id", "version", "dimensions", "levels"} <= set(schema["required"])
    committed = Path(__file__).parent.parent / "docs" / "questionnaire.schema.json"
    assert json.loads(committed.read_text()) == schema, "regenerate: cbectool questionnaire schema -o " + str(committed)
    out = tmp_path / "s.json"
    assert invoke("questionnaire", "schema", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text()) == schema


def test_score_json_contract(tmp_path: Path, starter_path: Path, starter_response: dict[str, Any]) -> None:
    response = _write(tmp_path / "r.json", starter_response)
    result = invoke("score", str(response), "--questionnaire", str(starter_path), "--format", "json")
    assert result.exit_code == 0, result.output
    scored = json.loads(result.stdout)
    assert set(scored["overall"]) >= {"score", "level"}
    assert scored["overall"]["level"] == "export_ready"
    assert [(d["id"], d["level"]) for d in scored["dimensions"]] == [
        ("payments", "export_ready"),  # 12 of 17 = 70.58..., cut to 70.5
        ("logistics", "export_ready"),  # 12 of 16 = 75
        ("platform", "export_ready"),  # 12 of 16 = 75
    ]
    assert scored["gates"] == []
    assert [set(a) >= {"id", "title", "dimension", "priority"} for a in scored["actions"]] == [True] * 3
    assert scored["actions"][0]["title"] == "Find the PCT (HS) code of your main product"


def test_score_table_shows_dimensions_gates_and_steps(
    tmp_path: Path, starter_path: Path, starter_response: dict[str, Any]
) -> None:
    starter_response["answers"]["pay_receive_channel"] = "none"  # type: ignore[index]
    response = _write(tmp_path / "r.json", starter_response)
    result = invoke("score", str(response), "-q", str(starter_path))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Ali Sports Works" in out
    assert "Not ready yet" in out
    assert "What holds you back" in out
    assert "no legal way yet to receive money" in out
    assert "1. Open a bank account that can receive foreign payments" in out


def test_score_table_and_json_print_the_same_one_decimal_figure(
    tmp_path: Path, starter_path: Path, starter_response: dict[str, Any]
) -> None:
    """The rounding rule: cut to one decimal; the table never shows a rounded-up 71 where the JSON says 70.5."""
    response = _write(tmp_path / "r.json", starter_response)
    table = invoke("score", str(response), "-q", str(starter_path)).stdout
    scored = json.loads(invoke("score", str(response), "-q", str(starter_path), "--format", "json").stdout)
    assert scored["overall"]["score"] == 73.4  # (35 x 70.5 + 30 x 75 + 35 x 75) / 100 = 73.425
    assert "73.4/100" in table
    assert [d["score"] for d in scored["dimensions"]] == [70.5, 75.0, 75.0]
    assert "70.5" in table
    assert "75.0" not in table  # whole scores print without ".0"


def test_score_warns_when_the_questionnaire_version_differs(
    tmp_path: Path, starter_path: Path, starter_response: dict[str, Any]
) -> None:
    starter_response["questionnaire"] = {"id": "starter", "version": "0.0.9"}
    result = invoke("score", str(_write(tmp_path / "r.json", starter_response)), "-q", str(starter_path))
    assert result.exit_code == 0
    assert "answered on starter version 0.0.9; scored with version 0.1" in result.stderr


def test_score_bad_answers_name_the_file_and_question(
    tmp_path: Path, starter_path: Path, starter_response: dict[str, Any]
) -> None:
    starter_response["answers"]["log_channel"] = "donkey"  # type: ignore[index]
    response = _write(tmp_path / "r.json", starter_response)
    result = invoke("score", str(response), "-q", str(starter_path))
    assert result.exit_code == ExitCode.USER
    assert result.stderr == (
        f"Error: {response}: answers.log_channel: 'donkey' is not one of the choices: "
        '"International courier" (courier), "Pakistan Post" (post), "Freight forwarder (sea or air cargo)" '
        '(forwarder), "I have not sent goods abroad" (none)\n'
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "nowhere.json"], "Error: nowhere.json: no such file\n"),
        (["questionnaire", "show", "no-such-questionnaire"], "Error: no questionnaire 'no-such-questionnaire'"),
        (["questionnaire", "show", "missing.yaml"], "Error: missing.yaml: no such questionnaire file\n"),
    ],
)
def test_user_errors_are_one_line_on_stderr_with_exit_2(args: list[str], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == ExitCode.USER
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_usage_errors_exit_2() -> None:
    assert invoke("score").exit_code == 2
    assert invoke("score", "x.json", "--format", "xml").exit_code == 2


def test_internal_errors_exit_1_with_a_hint_and_debug_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, starter_path: Path, starter_response: dict[str, Any]
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("cbectool.scoring.evaluate_file", broken)
    response = str(_write(tmp_path / "r.json", starter_response))
    result = invoke("score", response)
    assert result.exit_code == ExitCode.INTERNAL
    assert result.stderr == (
        "Error: Internal error (RuntimeError: boom). This is a bug in cbectool: "
        "re-run with --debug and report what it prints.\n"
    )
    debug = invoke("--debug", "score", response)
    assert debug.exit_code == ExitCode.INTERNAL
    assert "Traceback (most recent call last)" in debug.stderr
    assert 'raise RuntimeError("boom")' in debug.stderr


def test_debug_shows_traceback_for_user_errors_too() -> None:
    result = invoke("--debug", "score", "nowhere.json")
    assert result.exit_code == ExitCode.USER
    assert "Traceback" in result.stderr
    assert result.stderr.rstrip().endswith("Error: nowhere.json: no such file")


@pytest.mark.slow  # a subprocess
def test_python_m_cbectool_runs_the_same_cli() -> None:
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-m", "cbectool", "--version"], capture_output=True, text=True, check=False
    )
    assert (completed.returncode, completed.stdout) == (0, f"cbectool {__version__}\n")


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_questionnaire_list_never_cuts_an_id_short(width: int) -> None:
    from rich.console import Console

    from cbectool.render.terminal import print_questionnaire_list

    bundled = resources.load("tdap-alibaba-cbec")
    longer = bundled.model_copy(update={"id": "tdap-alibaba-cbec-sialkot-2027"})
    console = Console(width=width, record=True, no_color=True, file=io.StringIO())
    print_questionnaire_list(console, [bundled, longer])
    shown = console.export_text()
    assert "…" not in shown
    first_words = [line.split()[0] for line in shown.splitlines() if line.strip()]
    assert "tdap-alibaba-cbec" in first_words
    assert "tdap-alibaba-cbec-sialkot-2027" in first_words
    size = f"{len(bundled.dimensions)} dimensions, {len(bundled.questions())} questions, {len(bundled.actions)} actions"
    assert size in " ".join(shown.split())
