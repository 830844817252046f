"""What the README and the docs state about the questionnaires agrees with the questionnaires."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cbectool import resources

ROOT = Path(__file__).resolve().parent.parent
TEST_QUESTIONNAIRES = sorted((ROOT / "tests" / "data" / "questionnaires").glob("*.yaml"))
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _text(path: Path) -> str:
    return " ".join(path.read_text(encoding="utf-8").split())


@pytest.mark.parametrize("path", [ROOT / "README.md", ROOT / "docs" / "assess.md"], ids=lambda path: path.name)
def test_the_docs_say_how_many_questions_assess_asks(path: Path) -> None:
    bundled = len(resources.load(resources.DEFAULT_QUESTIONNAIRE).questions())
    stated = re.findall(r"up to (\d+) questions", _text(path))
    assert stated
    assert set(stated) == {str(bundled)}


@pytest.mark.parametrize("path", DOCS, ids=lambda path: path.name)
def test_every_question_count_in_the_docs_is_a_questionnaire_s(path: Path) -> None:
    # The bundled questionnaire's, or one the docs measure with (the starter, the bundled 1.0 kept for tests).
    counts = {len(resources.load(reference).questions()) for reference in (None, *map(str, TEST_QUESTIONNAIRES))}
    # "N questions", not a progress line's "12 of 57 questions answered"
    stated = {int(number) for number in re.findall(r"(?<!of )\b(\d+) questions\b", _text(path))}
    assert stated <= counts
