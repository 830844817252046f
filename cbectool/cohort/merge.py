"""Join the outputs of ``cbectool batch --shard K/N`` runs into one cohort result.

Each shard folder holds scores.csv and errors.csv in row order and
cohort-stats.json; the merge interleaves the tables by row number (streamed,
``heapq.merge``), adds up the statistics, gathers the reports and then writes
what a single run would have written.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from cbectool import resources
from cbectool.cohort.batch import BatchResult, MergeOptions, finish_outputs
from cbectool.cohort.columns import BUSINESS_NAME
from cbectool.cohort.duplicates import DuplicateNames
from cbectool.cohort.outputs import (
    ERROR_COLUMNS,
    ERRORS_CSV,
    SCORES_CSV,
    SCORES_XLSX,
    AtomicCsvWriter,
    csv_header,
    is_number_column,
    original_text,
    read_csv_rows,
    spreadsheet_text,
    write_scores_xlsx,
)
from cbectool.cohort.reports import REPORT_COLUMN
from cbectool.cohort.stats import STATS_JSON, CohortStats
from cbectool.errors import CbecError


def merge_shards(shards: list[Path], options: MergeOptions) -> BatchResult:
    """Merge shard folders into ``options.out``; the questionnaire must be the one the shards used."""
    out = options.out
    if not shards:
        raise CbecError("name the shard folders to merge")
    for shard in shards:
        for name in (SCORES_CSV, ERRORS_CSV, STATS_JSON):
            if not (shard / name).is_file():
                raise CbecError(f"{shard}: has no {name}; is it the --out folder of a 'cbectool batch --shard' run?")
    headers = {tuple(csv_header(shard / SCORES_CSV)) for shard in shards}
    if len(headers) != 1:
        raise CbecError("the shards' scores.csv files have different columns; were they made with one questionnaire?")
    header = list(headers.pop())
    questionnaire = resources.load(options.questionnaire)
    stats = CohortStats.load(shards[0] / STATS_JSON)
    for shard in shards[1:]:
        stats.merge(CohortStats.load(shard / STATS_JSON))
    if (stats.questionnaire_id, stats.questionnaire_version) != (questionnaire.id, questionnaire.version):
        raise CbecError(
            f"the shards were scored with {stats.questionnaire_id} {stats.questionnaire_version}; "
            f"pass that questionnaire with --questionnaire"
        )
    out.mkdir(parents=True, exist_ok=True)
    result = BatchResult(out, rejected=stats.rejected, scored=stats.businesses)
    result.rows = stats.businesses + stats.rejected
    duplicates = DuplicateNames()
    # text cells are protected again (``spreadsheet_text`` is idempotent), so shards of older versions are too
    texts = [not is_number_column(column) for column in header]
    with AtomicCsvWriter(out / SCORES_CSV, header) as scores:
        for shard, row in heapq.merge(*(_tagged(shard, SCORES_CSV) for shard in shards), key=_row_number):
            report = row.get(REPORT_COLUMN, "")
            if report:
                _gather(shard / report, out / report)
            cells = [row[column] for column in header]
            scores.write(spreadsheet_text(cell) if text else cell for cell, text in zip(cells, texts, strict=True))
            duplicates.add(int(row["row"]), _name(row.get(BUSINESS_NAME, "")))
    seen_header_problems: set[tuple[str, ...]] = set()
    with AtomicCsvWriter(out / ERRORS_CSV, ERROR_COLUMNS) as errors:
        for _, row in heapq.merge(*(_tagged(shard, ERRORS_CSV) for shard in shards), key=_row_number):
            # errors.csv of an older version has no business_name column
            line = (row["row"], *(spreadsheet_text(row.get(column) or "") for column in ERROR_COLUMNS[1:]))
            if row["row"] == "1":  # sheet-level problems: every shard saw the same header
                if line in seen_header_problems:
                    continue
                seen_header_problems.add(line)
            if row["column"] == REPORT_COLUMN:
                result.reports_failed += 1
            errors.write(line)
            duplicates.add(int(row["row"]), _name(row.get(BUSINESS_NAME) or ""))
    result.duplicates = duplicates.found()
    result.warnings += [duplicate.notice() for duplicate in result.duplicates]
    stats.save(out / STATS_JSON)
    result.files += [out / SCORES_CSV, out / ERRORS_CSV]
    if options.xlsx:
        write_scores_xlsx(out / SCORES_CSV, out / SCORES_XLSX)
        result.files.append(out / SCORES_XLSX)
    finish_outputs(out, questionnaire, stats, options, result)
    return result


def _name(cell: str) -> str:
    """A business name as the tables hold it, without the ``'`` that protects a formula-like name."""
    return original_text(cell)


def _tagged(shard: Path, name: str) -> Iterator[tuple[Path, dict[str, str]]]:
    for row in read_csv_rows(shard / name):
        yield shard, row


def _row_number(item: tuple[Path, dict[str, str]]) -> int:
    return int(item[1]["row"])


def _gather(source: Path, target: Path) -> None:
    """Put a shard's report in the merged folder: a hard link where possible, else a copy; never half a file."""
    if not source.is_file() or (target.exists() and target.resolve() == source.resolve()):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    try:
        try:
            os.link(source, temporary)
        except OSError:
            shutil.copyfile(source, temporary)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
