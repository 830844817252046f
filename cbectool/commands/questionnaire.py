"""``cbectool questionnaire``: list, show, validate and describe questionnaires."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cbectool.commands.help_format import HelpCommand, HelpGroup
from cbectool.commands.options import FormatOption, LanguageOption, OutputFormat
from cbectool.errors import CbecError, ExitCode

if TYPE_CHECKING:
    from cbectool.questionnaire import Questionnaire

# Core modules (pydantic models, YAML) are imported inside the commands: `cbectool --help` stays fast.

app = typer.Typer(cls=HelpGroup, help="List, show, check and describe questionnaires.", no_args_is_help=True)


@app.command("list", cls=HelpCommand)
def list_questionnaires(output_format: FormatOption = OutputFormat.TABLE, lang: LanguageOption = "en") -> None:
    """List the questionnaires that come with cbectool.

    Example: cbectool questionnaire list
    """
    from cbectool import resources
    from cbectool.render import terminal
    from cbectool.render.console import stdout
    from cbectool.text import require_language

    questionnaires = [resources.load(reference) for reference in resources.bundled_questionnaire_paths()]
    require_language(lang, *questionnaires)
    if output_format == OutputFormat.JSON:
        summary = [terminal.questionnaire_summary(questionnaire, lang) for questionnaire in questionnaires]
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    terminal.print_questionnaire_list(stdout(), questionnaires, lang)


@app.command("show", cls=HelpCommand)
def show(
    reference: Annotated[
        str | None, typer.Argument(metavar="ID|PATH", help="Bundled id or .yaml path (default: tdap-alibaba-cbec).")
    ] = None,
    output_format: FormatOption = OutputFormat.TABLE,
    lang: LanguageOption = "en",
) -> None:
    """Show a questionnaire: its dimensions, questions, points, levels, gates and actions.

    Example: cbectool questionnaire show tdap-alibaba-cbec --format json
    """
    from cbectool import resources
    from cbectool.export import questionnaire_to_public
    from cbectool.render import terminal
    from cbectool.render.console import stdout
    from cbectool.text import require_language

    questionnaire = resources.load(reference)
    require_language(lang, questionnaire)
    if output_format == OutputFormat.JSON:
        typer.echo(json.dumps(questionnaire_to_public(questionnaire, lang), ensure_ascii=False, indent=2))
        return
    terminal.print_questionnaire(stdout(), questionnaire, lang)


@app.command("validate", cls=HelpCommand)
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Questionnaire .yaml files to check.", metavar="FILE...")],
) -> None:
    """Check questionnaire files; print one line per file, and a warning per action without a dated source.
    Exit 2 if any file has a problem.

    Example: cbectool questionnaire validate questionnaires/*.yaml
    """
    from cbectool.loader import load_questionnaire

    failed = 0
    for path in paths:
        warnings: list[str] = []
        try:
            questionnaire = load_questionnaire(path, warnings=warnings)
        except CbecError as error:
            failed += 1
            typer.echo(f"Error: {error}", err=True)
            continue
        for warning in warnings:
            typer.echo(f"Warning: {warning}", err=True)
        typer.echo(f"OK {path}: {_describe(questionnaire)}")
    if failed:
        raise typer.Exit(int(ExitCode.USER))


@app.command("schema", cls=HelpCommand)
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of questionnaire files, so editors can check and complete them.

    Example: cbectool questionnaire schema -o questionnaire.schema.json
    """
    from cbectool.questionnaire import Questionnaire

    text = json.dumps(Questionnaire.model_json_schema(by_alias=True), indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    from cbectool.files import write_text_atomic

    write_text_atomic(output, text)
    typer.echo(f"Wrote {output}")


def _describe(questionnaire: Questionnaire) -> str:
    return (
        f"{questionnaire.id} {questionnaire.version}, {len(questionnaire.dimensions)} dimensions, "
        f"{len(questionnaire.questions())} questions, {len(questionnaire.actions)} actions"
    )
