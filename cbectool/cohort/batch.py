"""Score a whole cohort in one pass: one row per business, and a bad row never stops the others.

Each row is read, checked and scored once, by the same engine as
``cbectool score`` (``scoring.rows``). The pass writes its scores.csv line and
errors.csv lines, adds it to the statistics and, with ``--reports``, gives it
its report file name and fingerprint and spools its scored result for the
report workers. Rows stream in and results stream out: memory stays flat.
Very large cohorts are split with ``--shard`` and joined with ``batch-merge``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cbectool import __version__, resources
from cbectool.cohort.columns import BUSINESS_NAME, layout_for
from cbectool.cohort.duplicates import DuplicateName, DuplicateNames
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
from cbectool.cohort.problems import MISSING_COLUMN, NO_SUCH_COLUMN, CellWording
from cbectool.cohort.reading import CohortFileError, CohortRow, open_cohort
from cbectool.cohort.reports import (
    REPORTS_DIR,
    JobSpool,
    Renderer,
    ReportJob,
    ReportLedger,
    ReportNames,
    render_reports,
    render_with_report_package,
)
from cbectool.cohort.stats import STATS_JSON, CohortStats
from cbectool.errors import CbecError, ExitCode
from cbectool.notices import AnyWarning
from cbectool.questionnaire import Questionnaire
from cbectool.response import QuestionnaireRef, Response
from cbectool.scoring.rows import ProfileProblem, RowProblem, ScoredRow, score_row

__all__ = ["BatchOptions", "BatchResult", "MergeOptions", "Shard", "ShardError", "run_batch"]

SUMMARY_PDF = "cohort-summary.pdf"
WORKSHOP_PACK_PDF = "workshop-pack.pdf"
NO_BUSINESSES = (
    "{path}: the sheet has no businesses: no row below the header is filled in; "
    "write one business per row, then run this again"
)


class ShardError(CbecError):
    pass


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``: the data rows whose row number modulo count is index - 1."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match:
            raise ShardError(f"--shard {text!r}: write K/N, for example 2/8")
        index, count = int(match[1]), int(match[2])
        if not 1 <= index <= count:
            raise ShardError(f"--shard {text!r}: K must be between 1 and N")
        return cls(index, count)

    def owns(self, row: int) -> bool:
        return row % self.count == self.index - 1


@dataclass(frozen=True)
class BatchOptions:
    cohort: Path  # a sheet (.csv, .xlsx) or a folder of response files
    out: Path
    questionnaire: str | None = None
    lang: str = "en"  # the sheet's and the trainer's outputs' (scores, summary)
    report_language: str | None = None  # every report's; None: each in its response file's language, else English
    reports: bool = False
    workers: int = 1  # report workers
    workshop_pack: bool = False
    summary: bool = True
    xlsx: bool = True
    shard: Shard | None = None
    template_dir: Path | None = None


@dataclass(frozen=True)
class MergeOptions:
    """``cbectool batch-merge``: the shard folders' results into ``out``."""

    out: Path
    questionnaire: str | None = None
    lang: str = "en"
    workshop_pack: bool = False
    summary: bool = True
    xlsx: bool = True
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
    warnings: list[AnyWarning] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    duplicates: list[DuplicateName] = field(default_factory=list)  # business names on more than one row

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


def run_batch(
    options: BatchOptions, *, progress: ProgressHooks | None = None, renderer: Renderer = render_with_report_package
) -> BatchResult:
    """Score the cohort into ``options.out``; write reports, summary and pack as asked. Raises only for a
    sheet that cannot be used at all (before anything is written)."""
    questionnaire = resources.load(options.questionnaire)
    out = options.out
    result = BatchResult(out)
    with open_cohort(options.cohort, layout_for(questionnaire, options.lang)) as cohort:
        rows = cohort.rows()
        first = next(rows, None)
        if first is None:  # before anything is written: a header alone is a mistake, not an empty cohort
            raise CohortFileError(NO_BUSINESSES.format(path=options.cohort))
        rows = itertools.chain([first], rows)
        result.warnings += cohort.warnings
        _prepare_out(out)
        errors = AtomicCsvWriter(out / ERRORS_CSV, ERROR_COLUMNS)
        spool = JobSpool(out) if options.reports else None
        try:
            for column in cohort.missing_columns:
                errors.write(RowError(1, column, "", NO_SUCH_COLUMN).cells())
            with AtomicCsvWriter(out / SCORES_CSV, ScoreTable(questionnaire, options.lang).header) as scores:
                missing = frozenset(cohort.missing_columns)
                stats = _one_pass(options, questionnaire, rows, missing, scores, errors, spool, result)
            result.files.append(out / SCORES_CSV)
            stats.rejected = result.rejected
            stats.save(out / STATS_JSON)
            if spool is not None and spool.count:
                _render_all(options, questionnaire, spool, errors, result, progress or _Quiet(), renderer)
        except BaseException:
            errors.discard()
            raise
        finally:
            if spool is not None:
                spool.close()
        errors.commit()
    result.files.append(out / ERRORS_CSV)
    if options.xlsx:
        write_scores_xlsx(out / SCORES_CSV, out / SCORES_XLSX)
        result.files.append(out / SCORES_XLSX)
    if options.shard is None:
        finish_outputs(out, questionnaire, stats, options, result)
    return result


def _one_pass(
    options: BatchOptions,
    questionnaire: Questionnaire,
    rows: Iterator[CohortRow],
    missing: frozenset[str],
    scores: AtomicCsvWriter,
    errors: AtomicCsvWriter,
    spool: JobSpool | None,
    result: BatchResult,
) -> CohortStats:
    """Every row, once: checked and scored, then written, counted and (with reports) spooled."""
    table = ScoreTable(questionnaire, options.lang)
    stats = CohortStats.for_questionnaire(questionnaire)
    names = ReportNames() if spool is not None else None
    ledger = _report_ledger(options, questionnaire) if spool is not None else None
    wording = CellWording(options.lang)
    duplicates = DuplicateNames()
    for row in rows:
        # names are given over every row, in order, so each shard names a business as a single run would
        file_name = names.allocate(row.text(BUSINESS_NAME)) if names is not None else ""
        duplicates.add(row.number, row.text(BUSINESS_NAME))  # every row, so each shard warns of the same
        if options.shard is not None and not options.shard.owns(row.number):
            continue
        result.rows += 1
        scored = _score(questionnaire, row)
        if not isinstance(scored, ScoredRow):
            result.rejected += 1
            for problem in scored:
                errors.write(_row_error(row, problem, missing, wording).cells())
            continue
        result.scored += 1
        business, assessment = scored.business, scored.assessment
        report = f"{REPORTS_DIR}/{file_name}" if file_name else ""
        scores.write(
            table.cells(row.number, business.name, business.city or "", business.sector or "", assessment, report)
        )
        stats.add(row.number, business.name, business.city or "", assessment)
        if spool is not None and ledger is not None:
            fingerprint = ledger.fingerprint(row.cells)
            if ledger.is_current(file_name, fingerprint):
                result.reports_skipped += 1
            else:
                ledger.begin(file_name, fingerprint)
                response = _response(questionnaire, scored, row.language)
                spool.add(ReportJob(row.number, file_name, response, scored.answers, assessment))
    result.duplicates = duplicates.found()
    result.warnings += [duplicate.notice() for duplicate in result.duplicates]
    return stats


def _score(questionnaire: Questionnaire, row: CohortRow) -> ScoredRow | list[RowProblem]:
    if row.problem:
        return [ProfileProblem("", row.problem)]
    return score_row(questionnaire, row.profile, row.answers)


def _row_error(row: CohortRow, problem: RowProblem, missing: frozenset[str], wording: CellWording) -> RowError:
    if isinstance(problem, ProfileProblem):
        column, message = problem.column, problem.message
    else:
        column = problem.question
        message = problem.message if problem.error is None else wording.answer(problem.error)
        if problem.missing and column in missing:
            message += MISSING_COLUMN.format(column=column)
    value = row.source if not column else row.profile[column] if column in row.profile else row.answers.get(column, "")
    text = value if isinstance(value, str) else str(value)
    return RowError(row.number, column, _clip(text), message, _clip(" ".join(row.text(BUSINESS_NAME).split())))


def _clip(value: str, limit: int = 200) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _response(questionnaire: Questionnaire, scored: ScoredRow, language: str | None) -> Response:
    """The business as a response file holds it, for its report."""
    return Response(
        questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
        business=scored.business,
        answers=dict(scored.raw),
        assessed=scored.assessed,
        language=language,
    )


def _report_ledger(options: BatchOptions, questionnaire: Questionnaire) -> ReportLedger:
    language = options.report_language or ""
    context = f"{__version__}|{questionnaire.id}|{questionnaire.version}|{language}|{options.template_dir or ''}"
    return ReportLedger(options.out / REPORTS_DIR, context)


def _render_all(
    options: BatchOptions,
    questionnaire: Questionnaire,
    spool: JobSpool,
    errors: AtomicCsvWriter,
    result: BatchResult,
    progress: ProgressHooks,
    renderer: Renderer,
) -> None:
    progress.start(spool.count)
    failed = 0
    try:
        for error in render_reports(
            spool.jobs(),
            questionnaire=questionnaire,
            reports_dir=options.out / REPORTS_DIR,
            workers=options.workers,
            template_dir=options.template_dir,
            lang=options.report_language,
            renderer=renderer,
            on_done=progress.advance,
        ):
            failed += 1
            errors.write(error.cells())
    finally:
        progress.stop()
    result.reports_failed = failed
    result.reports_written = spool.count - failed


def finish_outputs(
    out: Path,
    questionnaire: Questionnaire,
    stats: CohortStats,
    options: BatchOptions | MergeOptions,
    result: BatchResult,
) -> None:
    """The cohort-level PDFs: the trainer's summary and, if asked, the workshop pack."""
    from cbectool.cohort.summary import write_summary_pdf, write_workshop_pack

    if options.summary or options.workshop_pack:
        write_summary_pdf(
            stats,
            questionnaire,
            out / SUMMARY_PDF,
            lang=options.lang,
            template_dir=options.template_dir,
            duplicates=result.duplicates,
        )
        result.files.append(out / SUMMARY_PDF)
    if options.workshop_pack:
        result.files += write_workshop_pack(out, out / WORKSHOP_PACK_PDF)


def _prepare_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise CbecError(f"{out}: is a file; --out needs a folder")
    out.mkdir(parents=True, exist_ok=True)
