"""The batch's tables: ``scores.csv``, ``scores.xlsx`` and ``errors.csv``, streamed and written atomically.

Each file is written to a temporary name beside its target and renamed into
place only when complete, so an interrupted run never leaves half a table
that looks finished. Rows go to disk as they are produced: flat memory.

Every text cell is safe to open in a spreadsheet: text that a spreadsheet
would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) gets a leading ``'`` in the CSV files, as OWASP's advice on
CSV injection says, and is a text cell with Excel's own quote prefix in
scores.xlsx. Numbers (row numbers, scores) are written as they are.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from cbectool.files import AtomicFile, atomic_output
from cbectool.questionnaire import Questionnaire
from cbectool.scoring import Assessment
from cbectool.text import localize

SCORES_CSV = "scores.csv"
SCORES_XLSX = "scores.xlsx"
ERRORS_CSV = "errors.csv"
ERROR_COLUMNS = ("row", "column", "value", "problem", "business_name")
"""errors.csv's columns (a public contract: columns are only ever added at the end)."""
TOP_ACTIONS = 3
_NUMERIC_SUFFIX = "_score"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
"""What a spreadsheet may take for the start of a formula (OWASP, "CSV Injection"; ASVS 5.0, 1.2.10)."""
QUOTE = "'"


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could run this text as a formula (leading spaces do not make it safe)."""
    return text.lstrip(" \u00a0").startswith(FORMULA_STARTS)


def spreadsheet_text(text: str) -> str:
    """A text cell for our CSV files that no spreadsheet runs: a ``'`` before text that looks like a formula.

    Applying it twice changes nothing (the result starts with ``'``), so a merge may apply it again.
    """
    return QUOTE + text if is_formula_like(text) else text


def original_text(cell: str) -> str:
    """The text that ``spreadsheet_text`` protected, for a spreadsheet format that marks text as text."""
    return cell[1:] if cell.startswith(QUOTE) and is_formula_like(cell[1:]) else cell


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in errors.csv. ``row`` is the spreadsheet row (1 is the header)."""

    row: int
    column: str
    value: str
    problem: str
    business_name: str = ""  # so a trainer finds the row by the name they know

    def cells(self) -> list[str]:
        """The line of errors.csv (``ERROR_COLUMNS``), each text safe to open in a spreadsheet."""
        texts = (self.column, self.value, self.problem, self.business_name)
        return [str(self.row), *(spreadsheet_text(text) for text in texts)]


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

    def cells(self, row: int, name: str, city: str, sector: str, assessment: Assessment, report: str = "") -> list[str]:
        """One business's scores.csv row, in the order of ``header``; texts safe to open in a spreadsheet."""
        overall = assessment.overall
        text = spreadsheet_text
        level_name = text(self._level_names[overall.level])
        cells = [str(row), text(name), text(city), text(sector), str(overall.score), overall.level, level_name]
        for dimension in assessment.dimensions:
            cells += ["", ""] if dimension.score is None else [str(dimension.score), dimension.level or ""]
        cells.append("; ".join(assessment.gates))
        top = assessment.actions[:TOP_ACTIONS]
        for action in top:
            cells += [action.id, text(self._action_titles[action.id])]
        cells += ["", ""] * (TOP_ACTIONS - len(top))
        cells.append(text(report))
        return cells


def is_number_column(name: str) -> bool:
    """scores.csv's columns that hold numbers (the row and the scores): never changed, numbers in scores.xlsx."""
    return name == "row" or name.endswith(_NUMERIC_SUFFIX)


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
    numeric = [is_number_column(name) for name in header]
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


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters that a workbook (XML 1.0) cannot hold at all; a CSV can."""


def workbook_text(text: str) -> str:
    """Text a workbook can hold: a control character from a sheet or a name is kept as a visible escape."""
    return _NOT_IN_XML.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def _text(sheet: Any, value: str) -> Any:
    """Text stays text: a business name such as '=HYPERLINK(...)' must never become a live formula. The
    CSV's protecting ``'`` gives way to a text cell with Excel's quote prefix (kept when the cell is edited)."""
    text = workbook_text(original_text(value))
    if not is_formula_like(text):
        return text
    cell = _write_only_cell(sheet, text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def text_cell(cell: Any, text: str) -> Any:
    """Put text in a workbook cell as text (openpyxl would take a leading ``=`` for a formula)."""
    text = workbook_text(text)
    cell.value = text
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True
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
