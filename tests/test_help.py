"""Every command's --help reads like a well-kept click tool: no Python types, file arguments as FILE."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from cbectool import cli

runner = CliRunner()
ROOT = typer.main.get_command(cli.app)
PYTHON_TYPE = re.compile(r"<[\w\[\]|., ]+>")  # <bool>, <path>, <list[Path]>, <int range>, <table|json>
USAGE_WORD = re.compile(r"^(\[OPTIONS\]|COMMAND|\[ARGS\]\.\.\.|\[?[A-Z][A-Z|_]*(\.\.\.)?\]?)$")


def _commands(group: Any = ROOT, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    commands: dict[str, Any] = getattr(group, "commands", {})
    for name, command in commands.items():
        yield from _commands(command, (*path, name))


COMMANDS = list(_commands())


def _help(path: tuple[str, ...]) -> str:
    result = runner.invoke(cli.app, [*path, "--help"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_command_is_checked() -> None:
    assert {" ".join(path) for path in COMMANDS} >= {
        "",
        "assess",
        "report",
        "score",
        "template",
        "batch",
        "batch-merge",
        "questionnaire",
        "questionnaire list",
        "questionnaire show",
        "questionnaire validate",
        "questionnaire schema",
        "questionnaire translations",
    }


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "cbectool")
def test_help_shows_no_python_types_and_a_plain_usage_line(path: tuple[str, ...]) -> None:
    shown = _help(path)
    assert PYTHON_TYPE.findall(shown) == []
    assert "{" not in shown and "list[" not in shown
    usage = next(line.strip() for line in shown.splitlines() if line.strip().startswith("Usage:"))
    words = usage.split()[1:]
    assert words[: len(path) + 1] == ["cbectool", *path]
    assert [word for word in words[len(path) + 1 :] if not USAGE_WORD.match(word)] == []


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "cbectool")
def test_flags_have_no_type_and_file_arguments_say_file(path: tuple[str, ...]) -> None:
    shown = _help(path)
    for line in shown.splitlines():
        if re.search(r"│\s+(\*\s+)?--(help|version|debug|resume|no-pdf|force|reports|workshop-pack)\b", line):
            cells = line.split("│")[1].split()
            flag_at = next(n for n, cell in enumerate(cells) if cell.startswith("--"))
            after = [cell for cell in cells[flag_at + 1 :] if cell not in ("-h",)]
            assert after[0][0].isupper(), line  # straight to the help text: no <bool>, no metavar
    usage = next(line for line in shown.splitlines() if "Usage:" in line)
    expected = {
        ("assess",): "[FILE]",
        ("report",): "FILE",
        ("score",): "FILE",
        ("batch",): "FILE|DIR",
        ("batch-merge",): "DIR...",
        ("questionnaire", "validate"): "FILE...",
    }.get(path)
    if expected is not None:
        assert usage.split()[-1] == expected


def test_assess_comes_first_in_the_command_list() -> None:
    shown = _help(())
    panel = shown[shown.index("Commands") :].splitlines()[1:]
    names = [line.split("│")[1].split()[0] for line in panel if line.startswith("│") and line.split("│")[1][1] != " "]
    assert names[0] == "assess"
    assert set(names) == {"assess", "report", "score", "template", "batch", "batch-merge", "serve", "questionnaire"}
