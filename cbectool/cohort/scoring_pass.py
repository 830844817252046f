"""The scoring pass of ``cbectool batch``: each sheet row to a scores.csv row or its errors.csv rows.

A row is first offered to the lean ``RowScorer``; a row it declines (a wrong
or missing answer, an unusual profile) goes through the same
``validate_answers`` and ``assess`` as ``cbectool score``, which say exactly
what is wrong. Either way a business gets the result ``cbectool score`` gives.

A large CSV sheet is cut at line ends into one segment per worker
(``reading.split_csv``); the segments are scored at once, each into its own
part files, which are then joined in sheet order. If a cut fell inside a
record (a cell holding a line break), the parts are dropped and the sheet is
scored whole. Memory stays flat either way: rows stream in, results stream out.
"""

from __future__ import annotations

import csv
import multiprocessing
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from pydantic import ValidationError

from cbectool.cohort.columns import BUSINESS_NAME, CohortLayout
from cbectool.cohort.outputs import RowError, ScoreTable
from cbectool.cohort.reading import CsvSegment, SegmentMisaligned, SheetFormat, SheetRow, segment_rows, split_csv
from cbectool.cohort.reports import REPORTS_DIR, ReportLedger, ReportNames
from cbectool.cohort.stats import CohortStats
from cbectool.conditions import Answer
from cbectool.errors import CbecError, ResponseError
from cbectool.response import Business, validate_answers
from cbectool.rowscore import RowResult, RowScorer
from cbectool.scoring import Assessment, assess

PARALLEL_FROM_BYTES = 2 << 20
"""Sheets smaller than this are scored in one process: starting workers would cost more than it saves."""
SEGMENTS_PER_WORKER = 2
MAX_NAME = 200
MAX_PROFILE_TEXT = 500
_PROBLEM = re.compile(r"^answers\.([a-z][a-z0-9_]*): (.*)$", re.DOTALL)
_PROFILE_FIELDS = {"business_name": "name", "city": "city", "sector": "sector", "products": "products"}

CellsWriter = Callable[[Iterable[object]], object]


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


@dataclass(frozen=True, slots=True)
class Scored:
    """A row scored the full way: its profile, raw and parsed answers and the explained assessment."""

    row: int
    profile: dict[str, str]
    answers: dict[str, str]
    parsed: dict[str, Answer]
    assessment: Assessment


def score_row(layout: CohortLayout, row: SheetRow, missing: frozenset[str] = frozenset()) -> Scored | list[RowError]:
    """Validate and score one sheet row the full way; a list of errors (never an exception) when it cannot be
    scored."""
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


Profile = tuple[str, str, str, str, str]
"""business_name, city, sector, products, contact: as the sheet gives them."""
PROFILE_COLUMNS = (BUSINESS_NAME, "city", "sector", "products", "contact")


def profile_reader(index: dict[str, int]) -> Callable[[SheetRow], Profile]:
    """Reads a row's profile cells in one step when the sheet has all their columns."""
    positions = [index.get(column) for column in PROFILE_COLUMNS]

    def each(row: SheetRow) -> Profile:
        name, city, sector, products, contact = (row.get(column) for column in PROFILE_COLUMNS)
        return name, city, sector, products, contact

    if any(position is None for position in positions):
        return each
    together = itemgetter(*positions)
    width = max(position for position in positions if position is not None) + 1

    def read(row: SheetRow) -> Profile:
        return together(row.record) if len(row.record) >= width else each(row)

    return read


def plain_profile(profile: Profile) -> bool:
    """A profile ``Business`` accepts as it stands (others take the full path, which explains what is wrong)."""
    return 0 < len(profile[0].strip()) <= MAX_NAME and max(map(len, profile)) <= MAX_PROFILE_TEXT


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


@dataclass
class Tally:
    """How many rows a pass saw, scored and rejected, and what it found about reports."""

    rows: int = 0
    scored: int = 0
    rejected: int = 0
    reports_skipped: int = 0
    to_render: int = 0

    def merge(self, other: Tally) -> None:
        self.rows += other.rows
        self.scored += other.scored
        self.rejected += other.rejected
        self.reports_skipped += other.reports_skipped
        self.to_render += other.to_render


@dataclass
class PassSettings:
    """What a scoring pass needs besides the rows (plain data, so a worker process can be given it)."""

    layout: CohortLayout
    index: dict[str, int]  # column id to record index, from the sheet's header
    missing: frozenset[str]  # question columns the sheet lacks
    shard: Shard | None = None
    reports: ReportLedger | None = None  # when reports are asked for: name them, and see which are current
    lang: str = "en"


@dataclass
class ScoringPass:
    """Scores rows into two writers (scores.csv and errors.csv rows) and keeps the tally and statistics."""

    settings: PassSettings
    write_score: Callable[[str], object]  # a scores.csv line (``ScoreTable.line``)
    write_error: CellsWriter  # the cells of an errors.csv row
    tally: Tally = field(default_factory=Tally)
    stats: CohortStats = field(init=False)

    def __post_init__(self) -> None:
        questionnaire = self.settings.layout.questionnaire
        self.stats = CohortStats.for_questionnaire(questionnaire)
        self._table = ScoreTable(questionnaire, self.settings.lang)
        index = self.settings.index
        columns = {
            question_id: index[question_id] for question_id in self.settings.layout.question_ids if question_id in index
        }
        self._scorer = RowScorer(questionnaire, columns)

    def run(self, rows: Iterable[SheetRow]) -> None:
        settings, tally, stats = self.settings, self.tally, self.stats
        shard, reports = settings.shard, settings.reports
        names = ReportNames() if reports is not None else None
        score, line, write_score = self._scorer.score, self._table.line, self.write_score
        read_profile = profile_reader(settings.index)
        for row in rows:
            profile = read_profile(row)
            file_name = names.allocate(profile[0]) if names is not None else ""
            if shard is not None and not shard.owns(row.number):
                continue
            tally.rows += 1
            result = score(row.record) if plain_profile(profile) else None
            if result is None:
                outcome = score_row(settings.layout, row, settings.missing)
                if isinstance(outcome, list):
                    tally.rejected += 1
                    for error in outcome:
                        self.write_error(error.cells())
                    continue
                result = RowResult.of(outcome.assessment)
            tally.scored += 1
            name, city = profile[0].strip(), profile[1].strip()
            write_score(line(row.number, name, city, profile[2].strip(), result, _report_cell(file_name)))
            stats.add(row.number, name, city, result)
            if reports is not None:
                if reports.is_current(file_name, reports.fingerprint(row.cells)):
                    tally.reports_skipped += 1
                else:
                    tally.to_render += 1


def _report_cell(file_name: str) -> str:
    return f"{REPORTS_DIR}/{file_name}" if file_name else ""


# Segments, scored at once -----------------------------------------------------------


@dataclass(frozen=True)
class SegmentJob:
    sheet: SheetFormat
    segment: CsvSegment
    scores_part: Path
    errors_part: Path


@dataclass
class SegmentOutcome:
    tally: Tally
    stats: CohortStats
    misaligned: bool = False


@dataclass
class Joined:
    """The segments' results in sheet order: counts, statistics and the part files to append."""

    tally: Tally
    stats: CohortStats
    scores_parts: list[Path]
    errors_parts: list[Path]


_settings_in_worker: PassSettings | None = None


def _adopt(settings: PassSettings) -> None:
    global _settings_in_worker
    _settings_in_worker = settings


def _score_segment_in_worker(job: SegmentJob) -> SegmentOutcome:
    assert _settings_in_worker is not None, "the pool's initializer sets the pass settings"
    return score_segment(_settings_in_worker, job)


def score_segment(settings: PassSettings, job: SegmentJob) -> SegmentOutcome:
    """Score one segment of the sheet into its part files."""
    with (
        job.scores_part.open("w", encoding="utf-8", newline="") as scores,
        job.errors_part.open("w", encoding="utf-8", newline="") as errors,
    ):
        scoring = ScoringPass(settings, scores.write, csv.writer(errors).writerow)
        try:
            scoring.run(segment_rows(job.sheet, settings.layout, job.segment))
        except SegmentMisaligned:
            return SegmentOutcome(scoring.tally, scoring.stats, misaligned=True)
    return SegmentOutcome(scoring.tally, scoring.stats)


def score_in_segments(settings: PassSettings, sheet: SheetFormat, workers: int, scratch: Path) -> Joined | None:
    """Score a CSV sheet in segments, ``workers`` at a time; None when it cannot be cut, or a cut fell inside
    a record. Twice as many segments as workers, so that one slow segment does not hold up the end."""
    segments = split_csv(sheet.path, workers * SEGMENTS_PER_WORKER)
    if len(segments) < 2:
        return None
    jobs = [
        SegmentJob(sheet, segment, scratch / f"scores-{number}.csv", scratch / f"errors-{number}.csv")
        for number, segment in enumerate(segments)
    ]
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    joined = Joined(Tally(), CohortStats.for_questionnaire(settings.layout.questionnaire), [], [])
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_adopt, initargs=(settings,)) as pool:
        futures = [pool.submit(_score_segment_in_worker, job) for job in jobs]
        try:
            for job, future in zip(jobs, futures, strict=True):
                outcome = future.result()
                if outcome.misaligned:
                    return None
                joined.tally.merge(outcome.tally)
                joined.stats.merge(outcome.stats)
                joined.scores_parts.append(job.scores_part)
                joined.errors_parts.append(job.errors_part)
        finally:
            for future in futures:
                future.cancel()  # segments not started yet (Ctrl-C, an error, a misaligned cut): not worth starting
    return joined


def scratch_folder(out: Path) -> Path:
    """A hidden folder in the output folder for part files (the same disk, so appending them is cheap)."""
    return Path(tempfile.mkdtemp(prefix=".cbectool-parts-", dir=out))


def remove_scratch(scratch: Path) -> None:
    shutil.rmtree(scratch, ignore_errors=True)
