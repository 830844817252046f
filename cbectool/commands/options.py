"""Options shared by several commands, declared once."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format", "-f", metavar="table|json", help="table for people, json for scripts.", case_sensitive=False
    ),
]
LanguageOption = Annotated[
    str,
    typer.Option(
        "--lang",
        metavar="CODE",
        help="Language of the texts: one the questionnaire declares (English where a text has no translation).",
    ),
]
AnswersLanguageOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="CODE",
        help="Language of the texts: one the questionnaire declares. Default: the language the answers were given in "
        "(a response file's 'language'), else English.",
    ),
]
QuestionnaireOption = Annotated[
    str | None,
    typer.Option(
        "--questionnaire",
        "-q",
        help="A bundled questionnaire id or a path to a .yaml file. Default: the one a response file names, "
        "else tdap-alibaba-cbec. Use the same one for template, batch and batch-merge.",
        metavar="ID|PATH",
    ),
]
TemplateDirOption = Annotated[
    Path | None,
    typer.Option(
        "--template-dir",
        metavar="DIR",
        help="Your own templates or branding (logo, colours), used before the bundled ones. See docs/report.md.",
    ),
]
StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Refuse a response file answered on an older questionnaire version whose answers no longer all fit "
        "(by default they are named, left out, and the rest is scored).",
    ),
]
