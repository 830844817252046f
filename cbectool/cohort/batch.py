"""Score a whole cohort sheet: one row per business, a bad row never stops the others.

Every business gets the result ``cbectool score`` would give it
(``scoring_pass``). The sheet is streamed and results go straight to disk; a
large CSV is scored in segments at once, one per worker. With ``--reports``
the sheet is read a second time to feed the report workers, so that the
progress bar knows its total and memory stays flat.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from cbectool import __version__, resources
from cbectool.cohort import scoring_pass
from cbectool.cohort.columns import BUSINESS_NAME, layout_for
from cbectool.cohort.outputs import (
    ERROR_COLUMNS,
    ERRORS_CSV,
    SCORES_CSV,
    SCORES_XLSX,
    AtomicCsvWriter,
    RowError,
    ScoreTable,
    write_scores_xlsx,
)
from cbectool.cohort.reading import CohortReader, SheetRow, open_cohort
from cbectool.cohort.reports import (
    REPORTS_DIR,
    Renderer,
    ReportJob,
    ReportLedger,
    ReportNames,
    render_reports,
    render_with_report_package,
)
from cbectool.cohort.scoring_pass import (
    PassSettings,
    Scored,
    ScoringPass,
    Shard,
    ShardError,
    Tally,
    remove_scratch,
    score_in_segments,
    score_row,
    scratch_folder,
)
from cbectool.cohort.stats import STATS_JSON, CohortStats
from cbectool.errors import CbecError, ExitCode
from cbectool.questionnaire import Questionnaire

__all__ = ["BatchOptions", "BatchResult", "Shard", "ShardError", "run_batch"]

SUMMARY_PDF = "cohort-summary.pdf"
WORKSHOP_PACK_PDF = "workshop-pack.pdf"


@dataclass(frozen=True)
class BatchOptions:
    cohort: Path
    out: Path
    questionnaire: str | None = None
    lang: str = "en"
    reports: bool = False
    workers: int = 1
    workshop_pack: bool = False
    summary: bool = True
    xlsx: bool = True
    shard: Shard | None = None
    template_dir: Path | None = None


@dataclass
class BatchResult:
    """What happened, for the command to print; ``exit_code`` is 0 or ``ROWS_FAILED``."""

    out: Path
    rows: int = 0
    scored: int = 0
    rejected: int = 0
    reports_written: int = 0
    reports_skipped: int = 0
    reports_failed: int = 0
    warnings: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.ROWS_FAILED if self.rejected or self.reports_failed else ExitCode.OK


class ProgressHooks(Protocol):
    """How the core reports progress without printing: the command passes a rich progress bar."""

    def start(self, total: int) -> None:
        """Rendering is about to start with ``total`` reports to make."""

    def advance(self) -> None:
        """One report finished (written or failed)."""

    def stop(self) -> None:
        """Rendering ended."""


class _Quiet:
    def start(self, total: int) -> None:
        pass

    def advance(self) -> None:
        pass

    def stop(self) -> None:
        pass


def response_document(questionnaire: Questionnaire, scored: Scored) -> dict[str, Any]:
    """The business as a response file's data (what ``cbectool score`` reads), for the report workers."""
    profile = scored.profile
    business = {"name": profile["business_name"]}
    business.update({key: profile[key] for key in ("city", "sector", "products", "contact") if profile[key].strip()})
    document: dict[str, Any] = {
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "business": business,
        "answers": dict(scored.answers),
    }
    assessed = {key: profile[f"assessed_{key}"].strip() for key in ("on", "by") if profile[f"assessed_{key}"].strip()}
    if assessed:
        document["assessed"] = assessed
    return document


class _Cohort:
    """The opened sheet and what every pass over it shares."""

    def __init__(self, options: BatchOptions) -> None:
        self.options = options
        self.questionnaire = resources.load(options.questionnaire)
        self.layout = layout_for(self.questionnaire, options.lang)

    def open(self) -> CohortReader:
        return open_cohort(self.options.cohort, self.layout)

    def report_ledger(self) -> ReportLedger:
        options, questionnaire = self.options, self.questionnaire
        context = (
            f"{__version__}|{questionnaire.id}|{questionnaire.version}|{options.lang}|{options.template_dir or ''}"
        )
        return ReportLedger(options.out / REPORTS_DIR, context)

    def results(self, reader: CohortReader) -> Iterator[tuple[SheetRow, Scored | list[RowError], str]]:
        """Each owned row with its result and report file name (names are given over every row, in order)."""
        shard = self.options.shard
        names = ReportNames() if self.options.reports else None
        missing = frozenset(reader.missing_columns)
        for row in reader.rows():
            file_name = names.allocate(row.cells.get(BUSINESS_NAME, "")) if names is not None else ""
            if shard is not None and not shard.owns(row.number):
                continue
            yield row, score_row(self.layout, row, missing), file_name


def run_batch(
    options: BatchOptions,
    *,
    progress: ProgressHooks | None = None,
    renderer: Renderer = render_with_report_package,
) -> BatchResult:
    """Score the cohort into ``options.out``; write reports, summary and pack as asked. Raises only for a
    sheet that cannot be used at all (before anything is written)."""
    cohort = _Cohort(options)
    out = options.out
    result = BatchResult(out)
    reports_dir = out / REPORTS_DIR
    with cohort.open() as reader:
        result.warnings += reader.warnings
        _prepare_out(out)
        settings = PassSettings(
            cohort.layout,
            reader.index,
            frozenset(reader.missing_columns),
            options.shard,
            cohort.report_ledger() if options.reports else None,
            options.lang,
        )
        errors = AtomicCsvWriter(out / ERRORS_CSV, ERROR_COLUMNS)
        try:
            for column in reader.missing_columns:
                errors.write(RowError(1, column, "", "the sheet has no such column; read as blank").cells())
            with AtomicCsvWriter(out / SCORES_CSV, ScoreTable(cohort.questionnaire, options.lang).header) as scores:
                tally, stats = _score(options, reader, settings, scores, errors)
            result.files.append(out / SCORES_CSV)
            result.rows, result.scored, result.rejected = tally.rows, tally.scored, tally.rejected
            result.reports_skipped = tally.reports_skipped
            stats.rejected = tally.rejected
            stats.save(out / STATS_JSON)
            if options.reports and tally.to_render:
                _render_all(cohort, result, errors, reports_dir, tally.to_render, progress or _Quiet(), renderer)
        except BaseException:
            errors.discard()
            raise
        errors.commit()
    result.files.append(out / ERRORS_CSV)
    if options.xlsx:
        write_scores_xlsx(out / SCORES_CSV, out / SCORES_XLSX)
        result.files.append(out / SCORES_XLSX)
    if options.shard is None:
        finish_outputs(out, cohort.questionnaire, stats, options, result)
    return result


def _score(
    options: BatchOptions,
    reader: CohortReader,
    settings: PassSettings,
    scores: AtomicCsvWriter,
    errors: AtomicCsvWriter,
) -> tuple[Tally, CohortStats]:
    """Every row of the sheet: in segments at once when that pays, else in order in this process."""
    if _worth_segments(options, reader):
        scratch = scratch_folder(options.out)
        try:
            joined = score_in_segments(settings, reader.format, options.workers, scratch)
            if joined is not None:
                for part in joined.scores_parts:
                    scores.append_file(part)
                for part in joined.errors_parts:
                    errors.append_file(part)
                return joined.tally, joined.stats
        finally:
            remove_scratch(scratch)
    scoring = ScoringPass(settings, scores.write_line, errors.write)
    scoring.run(reader.rows())
    return scoring.tally, scoring.stats


def _worth_segments(options: BatchOptions, reader: CohortReader) -> bool:
    """Only a large CSV without reports (report names are given in sheet order; XLSX cannot be cut)."""
    return (
        options.workers > 1
        and not options.reports
        and reader.encoding != "xlsx"
        and options.cohort.stat().st_size >= scoring_pass.PARALLEL_FROM_BYTES
    )


def finish_outputs(
    out: Path, questionnaire: Questionnaire, stats: CohortStats, options: BatchOptions, result: BatchResult
) -> None:
    """The cohort-level PDFs: the trainer's summary and, if asked, the workshop pack."""
    from cbectool.cohort.summary import write_summary_pdf, write_workshop_pack

    if options.summary or options.workshop_pack:
        write_summary_pdf(stats, questionnaire, out / SUMMARY_PDF, lang=options.lang, template_dir=options.template_dir)
        result.files.append(out / SUMMARY_PDF)
    if options.workshop_pack:
        result.files += write_workshop_pack(out, out / WORKSHOP_PACK_PDF)


def _render_all(
    cohort: _Cohort,
    result: BatchResult,
    errors: AtomicCsvWriter,
    reports_dir: Path,
    total: int,
    progress: ProgressHooks,
    renderer: Renderer,
) -> None:
    options = cohort.options

    submitted = 0
    ledger = cohort.report_ledger()

    def jobs() -> Iterator[ReportJob]:
        nonlocal submitted
        with cohort.open() as reader:
            for row, outcome, file_name in cohort.results(reader):
                fingerprint = ledger.fingerprint(row.cells)
                if isinstance(outcome, Scored) and not ledger.is_current(file_name, fingerprint):
                    ledger.begin(file_name, fingerprint)
                    submitted += 1
                    yield ReportJob(outcome.row, file_name, response_document(cohort.questionnaire, outcome))

    progress.start(total)
    try:
        failed = 0
        for error in render_reports(
            jobs(),
            questionnaire=cohort.questionnaire,
            reports_dir=reports_dir,
            workers=options.workers,
            template_dir=options.template_dir,
            lang=options.lang,
            renderer=renderer,
            on_done=progress.advance,
        ):
            failed += 1
            errors.write(error.cells())
    finally:
        progress.stop()
    result.reports_failed = failed
    result.reports_written = submitted - failed


def _prepare_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise CbecError(f"{out}: is a file; --out needs a folder")
    out.mkdir(parents=True, exist_ok=True)
