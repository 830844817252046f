"""``cbectool assess``: the guided interview, or the same result from a response file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cbectool.commands.options import AnswersLanguageOption, QuestionnaireOption, StrictOption
from cbectool.errors import ExitCode
from cbectool.render.console import stderr, stdout


def assess(
    draft: Annotated[
        Path | None,
        typer.Argument(metavar="FILE", help="With --resume: the draft file to continue (default: the latest)."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue an unfinished check: the latest draft, or the draft FILE.")
    ] = False,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help="Take the answers from a response file (JSON or YAML) instead of asking.",
        ),
    ] = None,
    questionnaire_reference: QuestionnaireOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Folder for drafts/ and results/ (default: $CBECTOOL_HOME, else ~/cbectool).",
        ),
    ] = None,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="Do not make the PDF report.")] = False,
    lang: AnswersLanguageOption = None,
    strict: StrictOption = False,
) -> None:
    """Check how ready your business is to export online: about 15 minutes of questions.

    Every answer is saved at once; stop with Ctrl-C and continue with --resume.
    At the end: your score, your next steps, the answers as JSON and a PDF report.

    Example: cbectool assess    (or, for trainers: cbectool assess --answers ali-sports.yaml)
    """
    from cbectool.interview import terminal  # the core loads here, not at `cbectool --help`

    options = terminal.AssessOptions(
        questionnaire=questionnaire_reference,
        out=out,
        resume=resume or draft is not None,
        draft=draft,
        answers_file=answers,
        strict=strict,
        pdf=not no_pdf,
        lang=lang,
    )
    console = stdout()
    code = terminal.run(options, console, stderr(), terminal.console_reader(console), interactive=sys.stdin.isatty())
    if code != ExitCode.OK:
        raise typer.Exit(int(code))
