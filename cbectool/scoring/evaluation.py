"""From a response to an assessment: pick the questionnaire, validate the answers, score them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cbectool import resources
from cbectool.conditions import Answer
from cbectool.errors import NotFoundError, ResponseError
from cbectool.questionnaire import Questionnaire
from cbectool.response import Response, load_response
from cbectool.scoring.engine import Assessment, assess_shown
from cbectool.scoring.validation import AnswerProblem, check_answers


@dataclass(frozen=True)
class Evaluated:
    """A response with its questionnaire, validated answers and scores."""

    questionnaire: Questionnaire
    response: Response
    answers: dict[str, Answer]
    assessment: Assessment
    warnings: list[str] = field(default_factory=list)


def evaluate(
    response: Response, questionnaire: Questionnaire | None = None, source: str = "response", *, strict: bool = False
) -> Evaluated:
    """Validate and score; ``questionnaire`` defaults to the one the response names.

    Answers given on another version of the questionnaire (a 1.0 file scored on 2.0) may no longer fit: each
    such answer is named in one warning and left out, and the rest is scored; ``strict`` makes them errors.
    Answers that do not fit the version they were given on are always errors.
    """
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
    checked = check_answers(questionnaire, response.answers)
    older = wanted is not None and wanted != questionnaire.version
    if checked.problems and (strict or not older):
        raise ResponseError(source, [str(problem) for problem in checked.problems])
    warnings += _no_longer_fit(source, wanted or "", questionnaire, checked.problems)
    return Evaluated(questionnaire, response, checked.answers, assess_shown(questionnaire, checked.shown), warnings)


def _no_longer_fit(source: str, version: str, questionnaire: Questionnaire, problems: list[AnswerProblem]) -> list[str]:
    """One line per answer left out, and one for the questions that are new or went unanswered."""
    lines = [f"{source}: {problem}; left out of the score" for problem in problems if not problem.missing]
    unanswered = [problem.question for problem in problems if problem.missing]
    if unanswered:
        lines.append(
            f"{source}: {len(unanswered)} question(s) of {questionnaire.id} {questionnaire.version} have no answer "
            f"in this version {version} file and count neither way: {', '.join(unanswered)}"
        )
    return lines


def evaluate_file(path: Path, questionnaire_reference: str | None = None, *, strict: bool = False) -> Evaluated:
    response = load_response(path)
    questionnaire = resources.load(questionnaire_reference) if questionnaire_reference else None
    return evaluate(response, questionnaire, str(path), strict=strict)
