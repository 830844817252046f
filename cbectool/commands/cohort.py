"""``cbectool template``, ``cbectool batch`` and ``cbectool batch-merge``: score a whole cohort from a sheet."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cbectool.commands.options import AnswersLanguageOption, LanguageOption, QuestionnaireOption, TemplateDirOption
from cbectool.errors import CbecError, ExitCode
from cbectool.invocation import command_name
from cbectool.render.console import print_warnings, stderr, stdout

if TYPE_CHECKING:
    from rich.progress import Progress

    from cbectool.cohort.batch import BatchResult

WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        min=1,
        metavar="N",
        help="Processes that render reports at once (default: one per core; 1: no pool).",
    ),
]
PackOption = Annotated[
    bool,
    typer.Option(
        "--workshop-pack", help="Also write workshop-pack.pdf: the summary and every report, for duplex printing."
    ),
]
SummaryOption = Annotated[
    bool, typer.Option("--summary/--no-summary", help="Write cohort-summary.pdf (the trainer's view).")
]
XlsxOption = Annotated[bool, typer.Option("--xlsx/--no-xlsx", help="Write scores.xlsx beside scores.csv.")]


def template(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="FILE", help="The sheet to write: .xlsx (drop-down lists) or .csv."),
    ] = Path("cohort.xlsx"),
    questionnaire_reference: QuestionnaireOption = None,
    lang: LanguageOption = "en",
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Write a blank cohort sheet: one row per business, one column per question.

    Example: cbectool template -o sialkot-cohort.xlsx
    """
    from cbectool import resources
    from cbectool.cohort.columns import layout_for
    from cbectool.cohort.template import write_template
    from cbectool.text import require_language

    if output.exists() and not force:
        raise CbecError(f"{output}: already exists (it may hold answers); use --force to replace it")
    questionnaire = resources.load(questionnaire_reference)
    require_language(lang, questionnaire)
    write_template(layout_for(questionnaire, lang), output)
    then = f"{command_name()} batch {shlex.quote(str(output))} --out results"
    typer.echo(f"Wrote {output}: fill in one row per business, then run: {then}")


def batch(
    cohort: Annotated[
        Path,
        typer.Argument(
            help="The filled cohort sheet (.csv or .xlsx), or a folder of response files (as workshop mode keeps).",
            metavar="FILE|DIR",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the results.", metavar="DIR")],
    questionnaire_reference: QuestionnaireOption = None,
    reports: Annotated[bool, typer.Option("--reports", help="Render every business's PDF into DIR/reports/.")] = False,
    workers: WorkersOption = None,
    workshop_pack: PackOption = False,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            help="Score only part K of N of the rows (for array jobs); merge with batch-merge.",
            metavar="K/N",
        ),
    ] = None,
    summary: SummaryOption = True,
    xlsx: XlsxOption = True,
    template_dir: TemplateDirOption = None,
    lang: AnswersLanguageOption = None,
) -> None:
    """Score every business in a cohort sheet: scores.csv/.xlsx, errors.csv, cohort-summary.pdf.

    Exit code 0: every row scored; 3: finished, but some rows or reports were
    rejected (see DIR/errors.csv); 2: the sheet cannot be used at all.

    Example: cbectool batch sialkot-cohort.xlsx --out results --reports --workshop-pack
    """
    from cbectool.cohort.batch import BatchOptions, Shard, run_batch
    from cbectool.workers import default_workers

    if lang is not None:
        _require_language(lang, questionnaire_reference)
    options = BatchOptions(
        cohort=cohort,
        out=out,
        questionnaire=questionnaire_reference,
        lang=lang or "en",
        report_language=lang,
        reports=reports or workshop_pack,
        workers=workers or default_workers(),
        workshop_pack=workshop_pack,
        summary=summary,
        xlsx=xlsx,
        shard=Shard.parse(shard) if shard is not None else None,
        template_dir=template_dir,
    )
    _leave_loaded_objects_to_the_end(options.questionnaire)
    result = run_batch(options, progress=_RichProgress())
    _print_result(result)


def batch_merge(
    shards: Annotated[list[Path], typer.Argument(help="The --out folders of the shard runs.", metavar="DIR...")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the merged results.", metavar="DIR")],
    questionnaire_reference: QuestionnaireOption = None,
    workshop_pack: PackOption = False,
    summary: SummaryOption = True,
    xlsx: XlsxOption = True,
    template_dir: TemplateDirOption = None,
    lang: LanguageOption = "en",
) -> None:
    """Merge the results of 'cbectool batch --shard K/N' runs into one, as a single run would have written.

    Example: cbectool batch-merge results/shard-* --out results/all
    """
    from cbectool.cohort.batch import MergeOptions
    from cbectool.cohort.merge import merge_shards

    _require_language(lang, questionnaire_reference)
    options = MergeOptions(
        out=out,
        questionnaire=questionnaire_reference,
        lang=lang,
        workshop_pack=workshop_pack,
        summary=summary,
        xlsx=xlsx,
        template_dir=template_dir,
    )
    _print_result(merge_shards(shards, options))


def _require_language(lang: str, questionnaire_reference: str | None) -> None:
    """Refuse an unknown --lang before any row is read (the questionnaire is cached for the run)."""
    from cbectool import resources
    from cbectool.text import require_language

    require_language(lang, resources.load(questionnaire_reference))


def _leave_loaded_objects_to_the_end(questionnaire_reference: str | None) -> None:
    """The modules, the questionnaire and its compiled form live until this process ends: freezing them keeps
    Python's cycle collector from walking them again and again during a long pass (a large sheet scores about
    10% faster). Loading is cached, so ``run_batch`` gets these same objects."""
    import gc

    from cbectool import resources, scoring

    scoring.compile(resources.load(questionnaire_reference))
    gc.freeze()


def _print_result(result: BatchResult) -> None:
    print_warnings(result.warnings)
    console = stdout()
    console.print(f"Scored {result.scored} of {result.rows} businesses.", markup=False)
    if result.rejected:
        console.print(f"{result.rejected} rows were not scored: see {result.out / 'errors.csv'}", markup=False)
    if result.reports_written or result.reports_skipped or result.reports_failed:
        console.print(
            f"Reports: {result.reports_written} written, {result.reports_skipped} already there, "
            f"{result.reports_failed} failed.",
            markup=False,
        )
    for path in result.files:
        console.print(f"Wrote {path}", markup=False)
    if result.exit_code != ExitCode.OK:
        raise typer.Exit(int(result.exit_code))


class _RichProgress:
    """The report progress bar (on stderr), with the time left."""

    def __init__(self) -> None:
        self._progress: Progress | None = None

    def start(self, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(
            TextColumn("Reports"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("left:"),
            TimeRemainingColumn(),
            console=stderr(),
            transient=False,
        )
        self._progress.start()
        self._task = self._progress.add_task("reports", total=total)

    def advance(self) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
