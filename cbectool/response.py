"""Response files: one business's profile and answers, and their validation against a questionnaire.

The JSON shape is a public contract (README, "Response files"); only
``questionnaire.id``, ``business.name`` and ``answers`` are required.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from cbectool.conditions import Answer
from cbectool.errors import ResponseError
from cbectool.files import describe_binary
from cbectool.invocation import command_name
from cbectool.loader import document_location, format_location, plain_message, yaml_problem
from cbectool.text import LanguageCode

RawAnswer = str | int | float | bool | list[str | int | float | bool] | None
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


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


def business_field_limit(field: str) -> int:
    """The most characters ``Business`` accepts in ``field`` (front ends tell people before they are refused)."""
    info = Business.model_fields[field]
    constraints = [*info.metadata, *_annotated_metadata(info.annotation)]
    limits = [getattr(constraint, "max_length", None) for constraint in constraints]
    return int(next(limit for limit in limits if limit is not None))


def _annotated_metadata(annotation: object) -> list[object]:
    """The ``Annotated`` metadata inside a type such as ``ShortText | None``."""
    found = list(getattr(annotation, "__metadata__", ()))
    for argument in get_args(annotation):
        found += _annotated_metadata(argument)
    return found


def business_field_required(field: str) -> bool:
    return Business.model_fields[field].is_required()


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
    language: LanguageCode | None = Field(
        None, description="The language the owner answered in; reports made from the file use it unless told otherwise."
    )


_EXPECTED = "a response file is JSON or YAML text with questionnaire, business and answers"


def load_response(path: Path) -> Response:
    """Read a response file (JSON, or YAML by its suffix) with errors that name the file and field.

    Another kind of file (a report PDF, a cohort sheet, a photo) is named as what it is.
    """
    source = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ResponseError(source, ["no such file"]) from None
    except IsADirectoryError:
        raise ResponseError(source, [f"is a folder, not a response file; {_EXPECTED}"]) from None
    except OSError as exc:
        raise ResponseError(source, [f"cannot be read ({exc.strerror})"]) from None
    kind = describe_binary(data)
    if kind is not None:
        raise ResponseError(source, [_not_a_response(path, kind)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        encoding = "UTF-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "not UTF-8"
        raise ResponseError(source, [f"is {encoding} text; save it as UTF-8"]) from None
    document = _parse_document(text, source, yaml_syntax=path.suffix.lower() in (".yaml", ".yml"))
    return parse_response(document, source)


def _not_a_response(path: Path, kind: str) -> str:
    message = f"this is {kind}, not a response file; {_EXPECTED}"
    answers = path.with_suffix(".json")
    if kind == "a PDF" and answers.is_file():
        return f"{message}; the answers of this report may be in {answers}"
    if "spreadsheet" in kind:
        return f"{message}; to score a cohort sheet, run: {command_name()} batch {shlex.quote(str(path))} --out results"
    return message


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
    try:
        return _parse_text(text, source, yaml_syntax=yaml_syntax)
    except RecursionError:
        raise ResponseError(source, ["has lists or objects nested too deeply to be a response file"]) from None


def _parse_text(text: str, source: str, *, yaml_syntax: bool) -> object:
    if yaml_syntax:
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            problem, line = yaml_problem(exc, text)
            raise ResponseError(
                source if line is None else f"{source}:{line}", [f"is not valid YAML: {problem}"]
            ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResponseError(f"{source}:{exc.lineno}", [f"is not valid JSON: {exc.msg}"]) from None


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
