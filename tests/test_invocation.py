"""Every hint that names a command names one that works where the user is (issue 15)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbectool import cli
from cbectool.invocation import INVOKED_AS, command_name

runner = CliRunner()


def _script(folder: Path, name: str = "cbectool") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_run_says_how_it_was_started() -> None:
    environ = {INVOKED_AS: "./run cbectool", "PATH": ""}
    assert command_name(environ, argv0="/repo/.venv/bin/cbectool") == "./run cbectool"


def test_a_venv_script_that_is_not_on_the_path_is_named_by_its_path(tmp_path: Path) -> None:
    script = _script(tmp_path / "repo" / ".venv" / "bin")
    assert command_name({"PATH": str(tmp_path / "empty")}, argv0=str(script)) == str(script)
    assert command_name({"PATH": ""}, argv0=".venv/bin/cbectool") == ".venv/bin/cbectool"


def test_the_cbectool_on_the_path_is_plain_cbectool_when_it_is_this_one(tmp_path: Path) -> None:
    script = _script(tmp_path / "venv" / "bin")
    linked = tmp_path / "local-bin"  # pipx links ~/.local/bin/cbectool to its venv's script
    linked.mkdir()
    (linked / "cbectool").symlink_to(script)
    assert command_name({"PATH": str(script.parent)}, argv0=str(script)) == "cbectool"
    assert command_name({"PATH": str(linked)}, argv0=str(script)) == "cbectool"


def test_another_cbectool_on_the_path_is_not_named(tmp_path: Path) -> None:
    this = _script(tmp_path / "checkout" / ".venv" / "bin")
    other = _script(tmp_path / "other" / "bin")
    assert command_name({"PATH": str(other.parent)}, argv0=str(this)) == str(this)


def test_python_dash_m_names_its_interpreter_unless_its_venv_has_cbectool_on_the_path(tmp_path: Path) -> None:
    bin_dir = tmp_path / "my venv" / "bin"
    python = _script(bin_dir, "python")
    main = "/anywhere/cbectool/__main__.py"
    assert command_name({"PATH": ""}, argv0=main, executable=str(python)) == f"{shlex.quote(str(python))} -m cbectool"
    _script(bin_dir)
    assert command_name({"PATH": str(bin_dir)}, argv0=main, executable=str(python)) == "cbectool"


def test_a_path_with_spaces_is_quoted(tmp_path: Path) -> None:
    script = _script(tmp_path / "my tools" / "bin")
    assert command_name({"PATH": ""}, argv0=str(script)) == shlex.quote(str(script))


def test_under_another_program_it_says_plain_cbectool() -> None:
    assert command_name({"PATH": ""}, argv0="/usr/bin/pytest") == "cbectool"


def test_template_names_the_batch_command_the_way_cbectool_was_started(
    starter_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(INVOKED_AS, "./run cbectool")
    sheet = tmp_path / "cohort.xlsx"
    result = runner.invoke(cli.app, ["template", "-q", str(starter_path), "-o", str(sheet)], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout == (
        f"Wrote {sheet}: fill in one row per business, then run: ./run cbectool batch {sheet} --out results\n"
    )


def test_assess_hints_name_the_command_the_way_cbectool_was_started(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(INVOKED_AS, "/home/ali/cbectool/run cbectool")
    result = runner.invoke(cli.app, ["assess"], input="\n")  # not a terminal
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: cannot ask questions: standard input is not a terminal. Run /home/ali/cbectool/run cbectool assess "
        "in a terminal, or give a response file: /home/ali/cbectool/run cbectool assess --answers FILE\n"
    )
