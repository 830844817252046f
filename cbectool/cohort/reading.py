"""Read a cohort sheet (CSV or XLSX) one row at a time, whatever spreadsheet program saved it.

CSV: UTF-8 with or without a byte-order mark; Windows-1252 (Excel's plain
"CSV (Comma delimited)") is decoded too, with a warning, because its bytes are
unambiguous once they are not UTF-8; UTF-16 ("Unicode Text") is refused with a
message saying how to save as "CSV UTF-8". The separator (comma, semicolon or
tab) is taken from the header row. Rows are streamed: the file is never held
in memory, so a cohort of any size reads in flat memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from cbectool.cohort.columns import BUSINESS_NAME, PROFILE_COLUMNS, CohortLayout
from cbectool.errors import CbecError
from cbectool.notices import AnyWarning, Notice
from cbectool.response import RawAnswer, load_response
from cbectool.text import language_for

LANGUAGE_CELL = ".language"
"""Not a column: the key a response file's language has among a row's cells (it shapes the report)."""
SAVE_AS_UTF8 = 'save it from your spreadsheet as "CSV UTF-8 (Comma delimited)" or as .xlsx'
_CHUNK = 1 << 20
_SEPARATORS = (",", ";", "\t")
_SHEET_NAME = "Cohort"


PROFILE_SET = frozenset(PROFILE_COLUMNS)


class CohortFileError(CbecError):
    """A cohort file that cannot be used at all (exit 2): unreadable, wrong encoding, no usable header."""


@dataclass(frozen=True, slots=True)
class CohortRow:
    """One business as read: where it is, its profile cells and its answers, by column id.

    A sheet row's cells are the texts typed; a response file's are its
    business fields and its answers as written (lists, numbers or texts).
    """

    number: int  # the spreadsheet row (the header is row 1), or the file's place in its folder
    profile: dict[str, str]  # profile column id to text (``columns.PROFILE_COLUMNS``)
    answers: dict[str, RawAnswer]  # question id to the answer as given
    source: str = ""  # a response file's name; "" for a sheet row
    problem: str = ""  # why a response file could not be read as one
    language: str | None = None  # the language a response file records (its report's, unless --lang says otherwise)

    @property
    def cells(self) -> dict[str, RawAnswer]:
        """Every cell by column id, and the response file's language (what a report is made from)."""
        return {**self.profile, **self.answers, **({LANGUAGE_CELL: self.language} if self.language else {})}

    def text(self, column: str) -> str:
        """A profile cell as text ('' when absent)."""
        return self.profile.get(column, "")


@dataclass
class CohortReader:
    """An open cohort sheet: header facts first, then ``rows()`` streams the businesses."""

    path: Path
    layout: CohortLayout
    encoding: str = "utf-8"
    separator: str = ","
    columns: dict[int, str] = field(default_factory=dict)
    missing_columns: tuple[str, ...] = ()
    extra_columns: tuple[str, ...] = ()
    warnings: list[AnyWarning] = field(default_factory=list)
    header_number: int = 1
    _records: Iterator[tuple[int, list[str]]] | None = None
    _closers: list[Any] = field(default_factory=list)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        while self._closers:
            self._closers.pop().close()

    @property
    def index(self) -> dict[str, int]:
        """Column id to record index."""
        return {name: position for position, name in self.columns.items()}

    def rows(self) -> Iterator[CohortRow]:
        """Every non-blank row after the header (and after the question-text row, if present)."""
        assert self._records is not None, "open the sheet with open_cohort()"
        profile_columns = [(position, name) for position, name in self.columns.items() if name in PROFILE_SET]
        answer_columns = [(position, name) for position, name in self.columns.items() if name not in PROFILE_SET]
        text_row_possible = True
        for number, record in self._records:
            if not "".join(record).strip():
                continue  # a blank line
            width = len(record)
            profile = {name: record[position] if position < width else "" for position, name in profile_columns}
            answers: dict[str, RawAnswer] = {
                name: record[position] if position < width else "" for position, name in answer_columns
            }
            if text_row_possible:
                text_row_possible = False
                if self.layout.is_text_row({**profile, **answers}):
                    continue
            yield CohortRow(number, profile, answers)


@dataclass
class ResponseFolder:
    """A folder of response files (``*.json``, ``*.yaml``) read as a cohort: one business per file, by name.

    Workshop mode keeps each participant's answers this way, so a trainer can
    score them with ``cbectool batch FOLDER`` like a sheet. A file that is not a
    response for this questionnaire becomes that row's problem, never the end of the run.
    """

    path: Path
    layout: CohortLayout
    files: list[Path] = field(default_factory=list)
    missing_columns: tuple[str, ...] = ()
    warnings: list[AnyWarning] = field(default_factory=list)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass

    def rows(self) -> Iterator[CohortRow]:
        questionnaire = self.layout.questionnaire
        for number, path in enumerate(self.files, start=1):
            try:
                response = load_response(path)
            except CbecError as error:
                yield CohortRow(number, {}, {}, path.name, problem=str(error).splitlines()[0])
                continue
            if response.questionnaire.id != questionnaire.id:
                problem = f"{path.name}: answers questionnaire '{response.questionnaire.id}', not '{questionnaire.id}'"
                yield CohortRow(number, {}, {}, path.name, problem=problem)
                continue
            try:
                language_for(None, response.language, questionnaire, path.name)
            except CbecError as error:
                yield CohortRow(number, {}, {}, path.name, problem=str(error))
                continue
            business = response.business.model_dump(exclude_none=True)
            assessed = response.assessed.model_dump(exclude_none=True) if response.assessed else {}
            profile = {PROFILE_COLUMN_OF[key]: value for key, value in business.items()}
            profile.update({f"assessed_{key}": value for key, value in assessed.items()})
            yield CohortRow(number, profile, dict(response.answers), path.name, language=response.language)


RESPONSE_SUFFIXES = (".json", ".yaml", ".yml")
PROFILE_COLUMN_OF = {
    "name": BUSINESS_NAME,
    "city": "city",
    "sector": "sector",
    "products": "products",
    "contact": "contact",
}


def _open_folder(path: Path, layout: CohortLayout) -> ResponseFolder:
    files = sorted(
        (item for item in path.iterdir() if item.suffix.lower() in RESPONSE_SUFFIXES and not item.name.startswith(".")),
        key=lambda item: item.name.casefold(),
    )
    if not files:
        raise CohortFileError(
            f"{path}: a folder with no response files (*.json); expected a cohort sheet or such a folder"
        )
    return ResponseFolder(path, layout, files)


Cohort = CohortReader | ResponseFolder


def open_cohort(path: Path, layout: CohortLayout) -> Cohort:
    """Open a cohort sheet (checking its header) or a folder of response files; raise ``CohortFileError`` if it
    cannot be used."""
    if path.is_dir():
        return _open_folder(path, layout)
    if not path.is_file():
        raise CohortFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    reader = CohortReader(path, layout)
    try:
        if suffix in (".xlsx", ".xlsm"):
            reader._records = _xlsx_records(path, reader)
        elif suffix in (".csv", ".txt", ".tsv"):
            reader._records = _csv_records(path, reader)
        elif suffix == ".xls":
            raise CohortFileError(f"{path}: old Excel .xls files are not read; {SAVE_AS_UTF8}")
        else:
            raise CohortFileError(f"{path}: expected a .csv or .xlsx cohort sheet")
        _read_header(reader)
    except BaseException:
        reader.close()
        raise
    return reader


def _read_header(reader: CohortReader) -> None:
    assert reader._records is not None
    header: list[str] | None = None
    for number, record in reader._records:
        if any(cell.strip() for cell in record):
            if number != 1:
                reader.warnings.append(f"{reader.path}: the header is on row {number}, not row 1")
            header = record
            reader.header_number = number
            break
    if header is None:
        raise CohortFileError(f"{reader.path}: the file is empty")
    known = set(reader.layout.columns)
    seen: set[str] = set()
    extra: list[str] = []
    for index, raw in enumerate(header):
        name = raw.strip().lower()
        if name in known and name not in seen:
            reader.columns[index] = name
            seen.add(name)
        elif name:
            extra.append(raw.strip())
    if BUSINESS_NAME not in seen:
        raise CohortFileError(
            f"{reader.path}: row 1 has no '{BUSINESS_NAME}' column; row 1 must hold the column ids "
            "(make a sheet with: cbectool template)"
        )
    question_ids = reader.layout.question_ids
    if not seen.intersection(question_ids):
        questionnaire = reader.layout.questionnaire
        raise CohortFileError(
            f"{reader.path}: row 1 names none of the questions of {questionnaire.id} {questionnaire.version}; "
            "is it the sheet for another questionnaire? (make one with: cbectool template)"
        )
    reader.missing_columns = tuple(column for column in question_ids if column not in seen)
    reader.extra_columns = tuple(extra)
    if extra:
        reader.warnings.append(
            f"{reader.path}: ignored {len(extra)} column(s) that are not in the questionnaire: {', '.join(extra)}"
        )
    for column in reader.missing_columns:
        text = f"{reader.path}: no column '{column}'; every row is read as if it were blank"
        grouped = (
            f"{reader.path}: no column for {{count}} questions: {{items}}; every row is read as if they were blank"
        )
        reader.warnings.append(Notice("missing_column", column, text, grouped))


# CSV -----------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """``utf-8-sig``, ``utf-8`` or ``cp1252``; anything else raises ``CohortFileError``.

    The whole file is checked in chunks, so a non-UTF-8 byte late in the file is
    found before any row is scored.
    """
    with path.open("rb") as stream:
        start = stream.read(4)
        if start.startswith(codecs.BOM_UTF8):
            candidates = ["utf-8-sig"]
        elif start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise CohortFileError(f"{path}: is UTF-16 text (Excel's 'Unicode Text'); {SAVE_AS_UTF8}")
        else:
            candidates = ["utf-8", "cp1252"]
        for encoding in candidates:
            stream.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                while chunk := stream.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding
    raise CohortFileError(f"{path}: is neither UTF-8 nor Windows-1252 text; {SAVE_AS_UTF8}")


def _csv_records(path: Path, reader: CohortReader) -> Iterator[tuple[int, list[str]]]:
    encoding = detect_encoding(path)
    reader.encoding = encoding
    if encoding == "cp1252":
        reader.warnings.append(
            f"{path}: read as Windows-1252 (Excel's plain 'CSV'); that format cannot hold Urdu, "
            f"so to keep Urdu names {SAVE_AS_UTF8}"
        )
    stream = path.open(encoding=encoding, newline="")
    reader._closers.append(stream)
    reader.separator = _sniff_separator(stream)
    return _csv_rows(path, stream, reader.separator)


def _sniff_separator(stream: IO[str]) -> str:
    """The separator used most in the first line (the ids row holds no quotes); comma on a tie."""
    first = stream.readline()
    stream.seek(0)
    counts = {separator: first.count(separator) for separator in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda separator: counts[separator])
    return best if counts[best] else ","


def _csv_rows(path: Path, stream: IO[str], separator: str) -> Iterator[tuple[int, list[str]]]:
    records = csv.reader(stream, delimiter=separator)
    number = 0
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CohortFileError(f"{path}: row {number + 1}: cannot be read as CSV ({exc})") from None
        number += 1
        yield number, record


# XLSX ----------------------------------------------------------------------


def _xlsx_records(path: Path, reader: CohortReader) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    stream = path.open("rb")  # ours to close, also when openpyxl gives up half-way through the file
    reader._closers.append(stream)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        reader._closers.append(workbook)
        sheet = workbook[_SHEET_NAME] if _SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
    except Exception as exc:  # a damaged file can fail anywhere in openpyxl, zipfile or the XML parser
        raise CohortFileError(f"{path}: cannot be opened as an Excel workbook ({_reason(exc)})") from None
    reader.encoding = "xlsx"
    return _xlsx_rows(path, sheet)


def _xlsx_rows(path: Path, sheet: Any) -> Iterator[tuple[int, list[str]]]:
    number = 0
    try:
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # files saved by other programs may state a wrong size
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(value) for value in values]
    except Exception as exc:  # the sheet's XML is read as the rows are: damage shows up here
        raise CohortFileError(f"{path}: row {number + 1}: cannot be read ({_reason(exc)}); {SAVE_AS_UTF8}") from None


def _reason(error: Exception) -> str:
    """An exception from a damaged file as a few words on one line."""
    text = " ".join(str(error).split())[:160]
    return text or type(error).__name__


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person typed: 3.0 is '3', a date is 2026-11-23."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(timespec="minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
