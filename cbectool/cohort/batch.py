"""Score a whole cohort sheet: one row per business, a bad row never stops the others.

Each row goes through the same ``validate_answers`` and ``assess`` as
``cbectool score``, so a business gets the same result either way. The sheet
is streamed and results go straight to disk; with ``--reports`` the sheet is
read a second time to feed the report workers, so that the progress bar knows
its total and memory stays flat.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from cbectool import resources
from cbectool.cohort.columns import BUSINESS_NAME, CohortLayout, layout_for
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
    ReportNames,
    render_reports,
    render_with_report_package,
)
from cbectool.cohort.stats import STATS_JSON, CohortStats
from cbectool.conditions import Answer
from cbectool.errors import CbecError, ExitCode, ResponseError
from cbectool.questionnaire import Questionnaire
from cbectool.response import Business, validate_answers
from cbectool.scoring import Assessment, assess

SUMMARY_PDF = "cohort-summary.pdf"
WORKSHOP_PACK_PDF = "workshop-pack.pdf"
_PROBLEM = re.compile(r"^answers\.([a-z][a-z0-9_]*): (.*)$", re.DOTALL)
_PROFILE_FIELDS = {"business_name": "name", "city": "city", "sector": "sector", "products": "products"}


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


@dataclass(frozen=True, slots=True)
class Scored:
    row: int
    profile: dict[str, str]
    answers: dict[str, str]
    parsed: dict[str, Answer]
    assessment: Assessment


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


def score_row(layout: CohortLayout, row: SheetRow, missing: frozenset[str] = frozenset()) -> Scored | list[RowError]:
    """Validate and score one sheet row; a list of errors (never an exception) when it cannot be scored."""
    cells = row.cells
    errors = _profile_errors(row)
    questionnaire = layout.questionnaire
    answers = {question_id: cells[question_id] for question_id in layout.question_ids if question_id in cells}
    try:
        parsed = validate_answers(questionnaire, answers, f"row {row.number}")
    except ResponseError as error:
        errors += [_answer_error(row.number, answers, problem, missing) for problem in error.problems]
        return errors
    if errors:
        return errors
    profile = {column: cells.get(column, "") for column in ("business_name", "city", "sector", "products", "contact")}
    profile.update(assessed_on=cells.get("assessed_on", ""), assessed_by=cells.get("assessed_by", ""))
    return Scored(row.number, profile, answers, parsed, assess(questionnaire, parsed))


def _profile_errors(row: SheetRow) -> list[RowError]:
    cells = row.cells
    data = {field_name: cells[column] for column, field_name in _PROFILE_FIELDS.items() if column in cells}
    data["contact"] = cells.get("contact", "")
    if not cells.get(BUSINESS_NAME, "").strip():
        return [RowError(row.number, BUSINESS_NAME, "", "the business name is missing")]
    try:
        Business.model_validate(data)
    except ValidationError as exc:
        errors = []
        for problem in exc.errors():
            field_name = str(problem["loc"][0]) if problem["loc"] else "name"
            column = "business_name" if field_name == "name" else field_name
            errors.append(RowError(row.number, column, _clip(cells.get(column, "")), problem["msg"]))
        return errors
    return []


def _answer_error(row: int, answers: dict[str, str], problem: str, missing: frozenset[str]) -> RowError:
    match = _PROBLEM.match(problem)
    if match is None:
        return RowError(row, "", "", problem)
    column, message = match[1], match[2]
    if column in missing:
        message += f" (the sheet has no '{column}' column)"
    return RowError(row, column, _clip(answers.get(column, "")), message)


def _clip(value: str, limit: int = 200) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


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

    def results(self, reader: CohortReader) -> Iterator[tuple[Scored | list[RowError], str]]:
        """Each owned row's result with its report file name (names are given over every row, in order)."""
        shard = self.options.shard
        names = ReportNames() if self.options.reports else None
        missing = frozenset(reader.missing_columns)
        for row in reader.rows():
            file_name = names.allocate(row.cells.get(BUSINESS_NAME, "")) if names is not None else ""
            if shard is not None and not shard.owns(row.number):
                continue
            yield score_row(self.layout, row, missing), file_name


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
    stats = CohortStats.for_questionnaire(cohort.questionnaire)
    table = ScoreTable(cohort.questionnaire, options.lang)
    reports_dir = out / REPORTS_DIR
    to_render = 0
    with cohort.open() as reader:
        result.warnings += reader.warnings
        _prepare_out(out)
        errors = AtomicCsvWriter(out / ERRORS_CSV, ERROR_COLUMNS)
        try:
            for column in reader.missing_columns:
                errors.write(RowError(1, column, "", "the sheet has no such column; read as blank").cells())
            with AtomicCsvWriter(out / SCORES_CSV, table.header) as scores:
                for outcome, file_name in cohort.results(reader):
                    result.rows += 1
                    if isinstance(outcome, list):
                        result.rejected += 1
                        for error in outcome:
                            errors.write(error.cells())
                        continue
                    result.scored += 1
                    report = f"{REPORTS_DIR}/{file_name}" if file_name else ""
                    scores.write(table.cells(outcome.row, outcome.profile, outcome.assessment, report))
                    stats.add(
                        outcome.row,
                        outcome.profile["business_name"].strip(),
                        outcome.profile["city"].strip(),
                        outcome.assessment,
                    )
                    if file_name:
                        if (reports_dir / file_name).is_file():
                            result.reports_skipped += 1
                        else:
                            to_render += 1
            result.files.append(out / SCORES_CSV)
            stats.rejected = result.rejected
            stats.save(out / STATS_JSON)
            if options.reports and to_render:
                _render_all(cohort, result, errors, reports_dir, to_render, progress or _Quiet(), renderer)
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

    def jobs() -> Iterator[ReportJob]:
        nonlocal submitted
        with cohort.open() as reader:
            for outcome, file_name in cohort.results(reader):
                if isinstance(outcome, Scored) and not (reports_dir / file_name).is_file():
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
