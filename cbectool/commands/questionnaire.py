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
    from cbectool.render.console import print_warnings

    failed = 0
    for path in paths:
        warnings: list[str] = []
        try:
            questionnaire = load_questionnaire(path, warnings=warnings)
        except CbecError as error:
            failed += 1
            typer.echo(f"Error: {error}", err=True)
            continue
        print_warnings(warnings)
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


@app.command("translations", cls=HelpCommand)
def translations(
    reference: Annotated[
        str | None, typer.Argument(metavar="ID|PATH", help="Bundled id or .yaml path (default: tdap-alibaba-cbec).")
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="CODE",
            help="The translation to review, e.g. ur (default: the questionnaire's one language besides English).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the sheet to FILE (.csv or .xlsx), not stdout."),
    ] = None,
    apply: Annotated[
        Path | None,
        typer.Option(
            "--apply",
            metavar="FILE",
            help="Write the translations of a reviewed sheet (.csv or .xlsx) back into the questionnaire's file.",
        ),
    ] = None,
) -> None:
    """Export every text with its translation for review (id, English, translation), or apply a reviewed sheet.

    Only the texts whose translation changed are written back; the file keeps its layout and comments.
    A sheet whose English no longer matches the file, an unknown id or a broken cell changes nothing.

    Example: cbectool questionnaire translations tdap-alibaba-cbec --lang ur -o review.xlsx
    """
    from cbectool import resources, translations

    if apply is not None:
        if output is not None:
            raise CbecError("--apply reads a sheet and --output writes one: use one of them")
        applied = translations.apply_review(reference, apply, lang)
        changed = len(applied.changed)
        if changed:
            typer.echo(f"Wrote {changed} {applied.language} text{'s' * (changed != 1)} into {applied.path}")
        else:
            typer.echo(f"No {applied.language} text changed; {applied.path} is as it was")
        return
    questionnaire = resources.load(reference)
    language = translations.review_language(questionnaire, lang)
    entries = translations.texts(questionnaire, language)
    sheet = translations.write_review(entries, language, output)
    if sheet is not None:
        typer.echo(sheet, nl=False)
        return
    done = sum(1 for entry in entries if entry.translation)
    typer.echo(f"Wrote {output}: {len(entries)} texts, {done} with {language}, {len(entries) - done} without")


def _describe(questionnaire: Questionnaire) -> str:
    return (
        f"{questionnaire.id} {questionnaire.version}, {len(questionnaire.dimensions)} dimensions, "
        f"{len(questionnaire.questions())} questions, {len(questionnaire.actions)} actions"
    )
