"""Response files: one business's profile and answers, and their validation against a questionnaire.

The JSON shape is a public contract (README, "Response files"); only
``questionnaire.id``, ``business.name`` and ``answers`` are required.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from cbectool.conditions import Answer, as_value
from cbectool.errors import ResponseError
from cbectool.loader import document_location, format_location, plain_message
from cbectool.questionnaire import Question, Questionnaire, QuestionType
from cbectool.text import localize

RawAnswer = str | int | float | bool | list[str | int | float | bool] | None
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
MAX_TEXT_ANSWER = 2000


class QuestionnaireRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    version: str | None = None


class Business(BaseModel):
    """The SME's profile, as the owner gave it."""

    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    city: ShortText | None = None
    sector: ShortText | None = None
    products: ShortText | None = None
    contact: ShortText | None = None


class Assessed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on: str | None = Field(None, description="ISO date or date-time of the assessment.")
    by: ShortText | None = Field(None, description="Who assessed: 'self' or a trainer's name.")


class Response(BaseModel):
    """A response file. Unknown top-level keys are kept, so newer tools can add fields."""

    model_config = ConfigDict(extra="allow")
    questionnaire: QuestionnaireRef
    business: Business
    answers: dict[str, RawAnswer]
    assessed: Assessed | None = None
    tool_version: str | None = None


def load_response(path: Path) -> Response:
    """Read a response file (JSON, or YAML by its suffix) with errors that name the file and field."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ResponseError(source, ["no such file"]) from None
    except UnicodeDecodeError:
        raise ResponseError(source, ["is not UTF-8 text; save it as UTF-8"]) from None
    except OSError as exc:
        raise ResponseError(source, [f"cannot be read ({exc.strerror})"]) from None
    data = _parse_document(text, source, yaml_syntax=path.suffix.lower() in (".yaml", ".yml"))
    return parse_response(data, source)


def parse_response(data: object, source: str) -> Response:
    if not isinstance(data, dict):
        raise ResponseError(source, ["must be an object with questionnaire, business and answers"])
    try:
        return Response.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{format_location(document_location(error['loc']))}: {plain_message(error)}" for error in exc.errors()
        ]
        raise ResponseError(source, problems) from None


def _parse_document(text: str, source: str, *, yaml_syntax: bool) -> object:
    if yaml_syntax:
        try:
            return yaml.safe_load(text)
        except yaml.MarkedYAMLError as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
            raise ResponseError(f"{source}:{line}", [f"is not valid YAML: {exc.problem}"]) from None
        except yaml.YAMLError as exc:
            raise ResponseError(source, [f"is not valid YAML: {exc}"]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResponseError(f"{source}:{exc.lineno}", [f"is not valid JSON: {exc.msg}"]) from None


def validate_answers(
    questionnaire: Questionnaire, raw: Mapping[str, Any], source: str = "answers"
) -> dict[str, Answer]:
    """Check raw answers against the questionnaire; return the answers of shown questions, parsed.

    Answers to questions that a condition skips are ignored, so a spreadsheet
    with every column filled still scores. Every problem is reported, not just the first.
    """
    problems = [
        f"answers.{question_id}: no such question in {questionnaire.id} {questionnaire.version}"
        for question_id in raw
        if questionnaire.question(question_id) is None
    ]
    answers: dict[str, Answer] = {}
    for plan in questionnaire.plan.questions:
        if plan.shown is not None and not plan.shown(answers):
            continue
        question = plan.question
        value = raw.get(question.id)
        if is_blank(value):
            if question.required:
                problems.append(f'answers.{question.id}: missing answer to "{localize(question.text)}"')
            continue
        try:
            answers[question.id] = plan.parse_cell(value) if type(value) is str else parse_answer(question, value)
        except ValueError as exc:
            problems.append(f"answers.{question.id}: {exc}")
    if problems:
        raise ResponseError(source, problems)
    return answers


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


_LIST_SEPARATORS = re.compile(r"[,;|\n]")


def parse_answer(question: Question, value: object) -> Answer:
    """One answer as given (value or label, any case, stray spaces) to its validated form.

    Raises ``ValueError`` with a message that says what is accepted.
    """
    if question.type == QuestionType.NUMBER:
        return _parse_number(question, value)
    if question.type == QuestionType.TEXT:
        text = " ".join(str(value).split()) if not isinstance(value, str) else value.strip()
        if len(text) > MAX_TEXT_ANSWER:
            raise ValueError(f"is longer than {MAX_TEXT_ANSWER} characters")
        return text
    if question.type == QuestionType.MULTI:
        return _parse_multi(question, value)
    if isinstance(value, list):
        raise ValueError("takes one answer, not a list")
    return _match_choice(question, value)


def _match_choice(question: Question, value: object) -> str:
    key = " ".join(as_value(value).split()).casefold()
    matched = question.accepted_inputs.get(key)
    if matched is None:
        accepted = ", ".join(choice.value for choice in question.choices)
        raise ValueError(f"{as_value(value)!r} is not a choice (accepted: {accepted})")
    return matched


def _parse_multi(question: Question, value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        tokens = [item for item in value if not is_blank(item)]
    elif " ".join(as_value(value).split()).casefold() in question.accepted_inputs:
        tokens = [value]
    else:
        tokens = [token for token in _LIST_SEPARATORS.split(as_value(value)) if token.strip()]
    chosen: set[str] = set()
    for token in tokens:
        try:
            chosen.add(_match_choice(question, token))
        except ValueError:
            words = as_value(token).split()  # space-separated values, as ODK and Kobo export them
            if len(words) < 2:
                raise
            chosen.update(_match_choice(question, word) for word in words)
    if not chosen:
        raise ValueError("choose at least one answer")
    exclusive = [value for value in chosen if (choice := question.choice(value)) and choice.exclusive]
    if exclusive and len(chosen) > 1:
        raise ValueError(f"'{exclusive[0]}' cannot be combined with other answers")
    return tuple(choice.value for choice in question.choices if choice.value in chosen)


def _parse_number(question: Question, value: object) -> float:
    if isinstance(value, bool | list):
        raise ValueError("must be a number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "").replace(" ", "")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{str(value)!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    if question.min is not None and number < question.min:
        raise ValueError(f"must be at least {_plain_number(question.min)}")
    if question.max is not None and number > question.max:
        raise ValueError(f"must be at most {_plain_number(question.max)}")
    return number


def _plain_number(number: float) -> str:
    return str(int(number)) if number.is_integer() else str(number)


def answers_to_json(answers: Mapping[str, Answer]) -> dict[str, RawAnswer]:
    """Validated answers in the response-file form (lists for multi, ints where whole)."""
    encoded: dict[str, RawAnswer] = {}
    for question_id, answer in answers.items():
        if isinstance(answer, tuple):
            encoded[question_id] = list(answer)
        elif isinstance(answer, float) and answer.is_integer():
            encoded[question_id] = int(answer)
        else:
            encoded[question_id] = answer
    return encoded
