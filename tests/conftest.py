"""Shared fixtures: isolated HOME, fixed terminal, the stable test questionnaire."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest
import starter_data
import typer.testing
from hypothesis import settings

from cbectool import resources
from cbectool.questionnaire import Questionnaire

DATA = Path(__file__).parent / "data"
STARTER = DATA / "questionnaires" / "starter.yaml"


# Property tests run 200 examples each in the full suite (./run test, CI), and 20 in the inner loop
# (pytest -m "not slow"), so that a developer gets an answer in well under a minute.
settings.register_profile("thorough", max_examples=200)
settings.register_profile("inner-loop", max_examples=20)


def pytest_configure(config: pytest.Config) -> None:
    inner_loop = "not slow" in (config.getoption("markexpr") or "")
    settings.load_profile("inner-loop" if inner_loop else "thorough")


@pytest.fixture(autouse=True, scope="session")
def _cli_built_once() -> Iterator[None]:
    """typer builds the click command from every command's signature on each ``CliRunner.invoke`` (about 15 ms,
    some 200 times in the inner loop); the app is the same in every test, so it is built once per app."""
    build = typer.testing._get_command
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", functools.cache(build))
        yield


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads or writes the real home, and output never depends on the terminal."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("CBECTOOL_DEBUG", raising=False)
    monkeypatch.delenv("CBECTOOL_INVOKED_AS", raising=False)  # set by `./run cbectool`; hints must not depend on it


@pytest.fixture
def starter_path() -> Path:
    """A small questionnaire that uses every question type and rule; stable, unlike the bundled content."""
    return STARTER


@pytest.fixture
def starter() -> Questionnaire:
    return resources.load(str(STARTER))


@pytest.fixture
def starter_answers() -> dict[str, object]:
    """A complete, valid set of raw answers to the starter questionnaire."""
    return starter_data.starter_answers()


@pytest.fixture
def starter_response(starter_answers: dict[str, object]) -> dict[str, object]:
    return {**starter_data.starter_response(), "answers": starter_answers}
