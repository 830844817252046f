"""``cbectool score``: score a response file and print the result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cbectool.commands.options import FormatOption, LanguageOption, OutputFormat, QuestionnaireOption, StrictOption


def score(
    response_file: Annotated[Path, typer.Argument(help="A response file (JSON, or YAML).", metavar="FILE")],
    questionnaire_reference: QuestionnaireOption = None,
    output_format: FormatOption = OutputFormat.TABLE,
    top: Annotated[int, typer.Option("--top", min=1, metavar="N", help="How many next steps to list.")] = 5,
    lang: LanguageOption = "en",
    strict: StrictOption = False,
) -> None:
    """Score a response file: a table of dimensions, the gates and the top actions.

    Example: cbectool score ~/cbectool/results/Ali-Sports-Works.json --format json
    """
    from cbectool.export import assessment_to_public
    from cbectool.render import terminal
    from cbectool.render.console import print_warnings, stdout
    from cbectool.scoring import evaluate_file
    from cbectool.text import require_language

    evaluated = evaluate_file(response_file, questionnaire_reference, strict=strict)
    require_language(lang, evaluated.questionnaire)
    print_warnings(evaluated.warnings)
    if output_format == OutputFormat.JSON:
        typer.echo(
            json.dumps(
                assessment_to_public(evaluated.questionnaire, evaluated.assessment, lang), ensure_ascii=False, indent=2
            )
        )
        return
    console = stdout()
    console.print(f"{evaluated.response.business.name}")
    terminal.print_assessment(console, evaluated.questionnaire, evaluated.assessment, top=top, lang=lang)
