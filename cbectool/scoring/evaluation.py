"""From a response to an assessment: pick the questionnaire, validate the answers, score them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cbectool import resources
from cbectool.conditions import Answer
from cbectool.errors import NotFoundError
from cbectool.questionnaire import Questionnaire
from cbectool.response import Response, load_response
from cbectool.scoring.engine import Assessment, assess
from cbectool.scoring.validation import validate_answers


@dataclass(frozen=True)
class Evaluated:
    """A response with its questionnaire, validated answers and scores."""

    questionnaire: Questionnaire
    response: Response
    answers: dict[str, Answer]
    assessment: Assessment
    warnings: list[str] = field(default_factory=list)


def evaluate(response: Response, questionnaire: Questionnaire | None = None, source: str = "response") -> Evaluated:
    """Validate and score; ``questionnaire`` defaults to the one the response names."""
    warnings = []
    if questionnaire is None:
        try:
            questionnaire = resources.load(response.questionnaire.id)
        except NotFoundError as error:  # the message names the file that named the questionnaire
            raise NotFoundError(f"{source}: questionnaire.id: {error}") from None
    elif response.questionnaire.id != questionnaire.id:
        warnings.append(
            f"{source} was made for questionnaire '{response.questionnaire.id}', scored with '{questionnaire.id}'"
        )
    wanted = response.questionnaire.version
    if wanted is not None and wanted != questionnaire.version:
        warnings.append(
            f"{source} was answered on {questionnaire.id} version {wanted}; scored with version "
            f"{questionnaire.version}, so points may differ"
        )
    answers = validate_answers(questionnaire, response.answers, source)
    return Evaluated(questionnaire, response, answers, assess(questionnaire, answers), warnings)


def evaluate_file(path: Path, questionnaire_reference: str | None = None) -> Evaluated:
    response = load_response(path)
    questionnaire = resources.load(questionnaire_reference) if questionnaire_reference else None
    return evaluate(response, questionnaire, str(path))
