"""The batch's tables: ``scores.csv``, ``scores.xlsx`` and ``errors.csv``, streamed and written atomically.

Each file is written to a temporary name beside its target and renamed into
place only when complete, so an interrupted run never leaves half a table
that looks finished. Rows go to disk as they are produced: flat memory.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from cbectool.files import AtomicFile, atomic_output
from cbectool.questionnaire import Questionnaire
from cbectool.rowscore import RowResult
from cbectool.text import localize

SCORES_CSV = "scores.csv"
SCORES_XLSX = "scores.xlsx"
ERRORS_CSV = "errors.csv"
ERROR_COLUMNS = ("row", "column", "value", "problem")
TOP_ACTIONS = 3
_NUMERIC_SUFFIX = "_score"
_COPY_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in errors.csv. ``row`` is the spreadsheet row (1 is the header)."""

    row: int
    column: str
    value: str
    problem: str

    def cells(self) -> list[str]:
        return [str(self.row), self.column, self.value, self.problem]


class AtomicCsvWriter:
    """A CSV file that appears under its name only once it is complete (UTF-8 with BOM, for Excel)."""

    def __init__(self, path: Path, header: Iterable[str]) -> None:
        self.path = path
        self._file = AtomicFile(path)
        # the mark by hand: a "utf-8-sig" stream would encode every row through Python code, 5 times slower
        self._file.stream.write(codecs.BOM_UTF8)
        self._stream = io.TextIOWrapper(self._file.stream, encoding="utf-8", newline="")
        self._writer = csv.writer(self._stream)
        self._writer.writerow(header)
        self.rows = 0

    def write(self, cells: Iterable[object]) -> None:
        self._writer.writerow(cells)
        self.rows += 1

    def write_line(self, line: str) -> None:
        """A row already written as CSV text (``ScoreTable.line``)."""
        self._stream.write(line)
        self.rows += 1

    def append_file(self, part: Path) -> None:
        """Append rows written elsewhere (UTF-8 CSV without a header), as bytes."""
        self._stream.flush()
        with part.open("rb") as stream:
            shutil.copyfileobj(stream, self._file.stream, _COPY_CHUNK)

    def commit(self) -> None:
        self._stream.flush()
        self._stream.detach()
        self._file.commit()

    def discard(self) -> None:
        with contextlib.suppress(ValueError):  # already detached by a commit that failed
            self._stream.detach()
        self._file.discard()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


class ScoreTable:
    """Turns one business's assessment into a scores.csv row; the columns follow the questionnaire."""

    def __init__(self, questionnaire: Questionnaire, lang: str = "en") -> None:
        self.questionnaire = questionnaire
        self._level_names = {level.id: localize(level.name, lang) for level in questionnaire.levels}
        self._action_titles = {action.id: localize(action.title, lang) for action in questionnaire.actions}
        self._dimension_ids = [dimension.id for dimension in questionnaire.dimensions]

    @property
    def header(self) -> list[str]:
        columns = ["row", "business_name", "city", "sector", "overall_score", "overall_level", "overall_level_name"]
        for dimension_id in self._dimension_ids:
            columns += [f"{dimension_id}_score", f"{dimension_id}_level"]
        columns.append("gates")
        for rank in range(1, TOP_ACTIONS + 1):
            columns += [f"action_{rank}", f"action_{rank}_title"]
        columns.append("report")
        return columns

    def line(self, row: int, name: str, city: str, sector: str, result: RowResult, report: str = "") -> str:
        """One scores.csv line, as ``csv.writer`` would write it (the profile texts already stripped).

        Built by joining: the level and action cells are quoted once, here, and
        ``csv.writer`` would spend most of a row's time copying the long action
        titles character by character. tests/test_cohort_outputs.py holds the two equal.
        """
        overall = result.overall
        parts = [str(row), csv_field(name), csv_field(city), csv_field(sector), str(overall.score)]
        parts.append(self._level_cells[overall.level])
        for dimension in result.dimensions:
            parts.append("," if dimension.score is None else f"{dimension.score},{dimension.level}")
        parts.append(csv_field("; ".join(result.gates)))
        top = result.actions[:TOP_ACTIONS]
        parts += [self._action_cells[action_id] for action_id in top]
        parts += [","] * (TOP_ACTIONS - len(top))
        parts.append(csv_field(report))
        return ",".join(parts) + "\r\n"

    @cached_property
    def _level_cells(self) -> dict[str, str]:
        return {level_id: f"{csv_field(level_id)},{csv_field(name)}" for level_id, name in self._level_names.items()}

    @cached_property
    def _action_cells(self) -> dict[str, str]:
        return {
            action_id: f"{csv_field(action_id)},{csv_field(title)}" for action_id, title in self._action_titles.items()
        }


def csv_field(text: str) -> str:
    """One text cell as ``csv.writer`` writes it by default: quoted when it holds a comma, a quote or a line
    break, with quotes doubled."""
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def read_csv_rows(path: Path) -> Iterator[dict[str, str]]:
    """Stream one of our own CSV outputs back as dicts (for merging and the workshop pack)."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        yield from csv.DictReader(stream)


def csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return next(csv.reader(stream), [])


def write_scores_xlsx(scores_csv: Path, target: Path) -> None:
    """scores.xlsx from scores.csv, streamed (openpyxl write-only), scores as numbers, header frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Scores")
    sheet.freeze_panes = "C2"
    header = csv_header(scores_csv)
    for index, name in enumerate(header):
        width = 28 if name in ("business_name", "gates") or name.endswith("_title") else max(10, len(name) + 2)
        sheet.column_dimensions[_column_letter(index)].width = width
    numeric = [name == "row" or name.endswith(_NUMERIC_SUFFIX) for name in header]
    bold = Font(bold=True)
    header_cells = []
    for name in header:
        cell: Any = _write_only_cell(sheet, name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    with scores_csv.open(encoding="utf-8-sig", newline="") as stream:
        records = csv.reader(stream)
        next(records, None)
        for record in records:
            sheet.append(
                [
                    _number(value) if is_number else _text(sheet, value)
                    for value, is_number in zip(record, numeric, strict=False)
                ]
            )
    save_workbook_atomic(workbook, target)


def _text(sheet: Any, value: str) -> Any:
    """Text stays text: a business name such as '=HYPERLINK(...)' must never become a live formula."""
    if not value.startswith("="):
        return value
    cell = _write_only_cell(sheet, value)
    cell.data_type = "s"
    return cell


def _write_only_cell(sheet: Any, value: object) -> Any:
    from openpyxl.cell import WriteOnlyCell

    return WriteOnlyCell(sheet, value=value)


def _number(value: str) -> float | int | None:
    if not value:
        return None
    number = float(value)
    return int(number) if number.is_integer() and "." not in value else number


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def save_workbook_atomic(workbook: Any, target: Path) -> None:
    """openpyxl saves to a path; save beside the target, then rename into place."""
    with atomic_output(target) as stream:
        workbook.save(stream)
