"""``cbectool report``: the PDF action report of one response file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from cbectool.commands.options import AnswersLanguageOption, QuestionnaireOption, StrictOption, TemplateDirOption


def report(
    response_file: Annotated[Path, typer.Argument(help="A response file (JSON, or YAML).", metavar="FILE")],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="OUT.pdf",
            help="Where to write the PDF; an existing folder, or a name ending in '/', gets the default name "
            "inside. Default: BUSINESS-cbec-report.pdf next to the response file.",
        ),
    ] = None,
    template_dir: TemplateDirOption = None,
    questionnaire_reference: QuestionnaireOption = None,
    lang: AnswersLanguageOption = None,
    strict: StrictOption = False,
) -> None:
    """Make the printable PDF action report: level, scores chart, gaps and a 30/60/90-day plan.

    Example: cbectool report ali-sports.json -o reports/
    """
    from cbectool.render.console import print_warnings
    from cbectool.report import default_report_name, write_report
    from cbectool.scoring import evaluate_file  # the core loads here, not at `cbectool --help`
    from cbectool.text import language_for

    evaluated = evaluate_file(response_file, questionnaire_reference, strict=strict)
    language = language_for(lang, evaluated.response.language, evaluated.questionnaire, str(response_file))
    print_warnings(evaluated.warnings)
    if output is None:
        target = response_file.parent / default_report_name(evaluated)
    elif output.endswith(("/", os.sep)) or Path(output).is_dir():  # Path() would drop the telling slash
        target = Path(output) / default_report_name(evaluated)
    else:
        target = Path(output)
    left_out: list[str] = []
    write_report(evaluated, target, template_dir=template_dir, lang=language, on_refused=left_out.append)
    print_warnings(left_out)
    typer.echo(f"Report written to {target}")
