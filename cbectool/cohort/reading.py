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
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from cbectool.cohort.columns import BUSINESS_NAME, CohortLayout
from cbectool.errors import CbecError

SAVE_AS_UTF8 = 'save it from your spreadsheet as "CSV UTF-8 (Comma delimited)" or as .xlsx'
_CHUNK = 1 << 20
_SEPARATORS = (",", ";", "\t")
_SHEET_NAME = "Cohort"


class CohortFileError(CbecError):
    """A cohort file that cannot be used at all (exit 2): unreadable, wrong encoding, no usable header."""


class SheetRow:
    """One business: its spreadsheet row number (the header is row 1) and its cells as read.

    The record is kept as the reader gave it; ``cells`` (by column id) is built
    only when asked for, because the batch's hot path reads the record directly.
    """

    __slots__ = ("_index", "number", "record")

    def __init__(self, number: int, record: list[str], index: dict[str, int]) -> None:
        self.number = number
        self.record = record
        self._index = index

    def get(self, column: str) -> str:
        """One cell by column id; blank when the sheet has no such column or the row is short."""
        position = self._index.get(column)
        return self.record[position] if position is not None and position < len(self.record) else ""

    @property
    def cells(self) -> dict[str, str]:
        record, width = self.record, len(self.record)
        return {name: record[position] if position < width else "" for name, position in self._index.items()}

    def __repr__(self) -> str:
        return f"SheetRow({self.number}, {self.cells!r})"


@dataclass(frozen=True)
class SheetFormat:
    """What reading a CSV sheet's header found, for reading its segments elsewhere (plain data: picklable)."""

    path: Path
    encoding: str
    separator: str
    columns: dict[int, str]  # record index to column id
    header_number: int


@dataclass(frozen=True)
class CsvSegment:
    """Bytes ``start`` to ``end`` of a CSV sheet, cut at line ends; ``lines_before`` lines come before it."""

    start: int
    end: int
    lines_before: int
    lines: int
    last: bool


class SegmentMisaligned(Exception):
    """A cut fell inside a record (a cell holding a line break): read the sheet whole instead."""


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
    warnings: list[str] = field(default_factory=list)
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

    @property
    def format(self) -> SheetFormat:
        return SheetFormat(self.path, self.encoding, self.separator, dict(self.columns), self.header_number)

    def rows(self) -> Iterator[SheetRow]:
        """Every non-blank row after the header (and after the question-text row, if present)."""
        assert self._records is not None, "open the sheet with open_cohort()"
        return _sheet_rows(self._records, self.index, self.layout, text_row_possible=True)


def _sheet_rows(
    records: Iterator[tuple[int, list[str]]], index: dict[str, int], layout: CohortLayout, *, text_row_possible: bool
) -> Iterator[SheetRow]:
    name_at = index[BUSINESS_NAME]
    for number, record in records:
        named = name_at < len(record) and record[name_at].strip()
        if not named and not "".join(record).strip():
            continue  # a blank line
        row = SheetRow(number, record, index)
        if text_row_possible:
            text_row_possible = False
            if layout.is_text_row(row.cells):
                continue
        yield row


def open_cohort(path: Path, layout: CohortLayout) -> CohortReader:
    """Open a cohort sheet and check its header; raise ``CohortFileError`` if it cannot be used."""
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
        reader.warnings.append(f"{reader.path}: no column '{column}'; every row is read as if it were blank")


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


def split_csv(path: Path, count: int) -> list[CsvSegment]:
    """Cut a CSV file at line ends into about ``count`` equal segments, to read and score them at once.

    A cut may fall inside a record only if a cell holds a line break;
    ``segment_rows`` notices that (``SegmentMisaligned``) rather than misread.
    """
    size = path.stat().st_size
    cuts = [0]
    with path.open("rb") as stream:
        for part in range(1, count):
            stream.seek(max(size * part // count, cuts[-1]))
            stream.readline()  # on to the next line end
            if cuts[-1] < stream.tell() < size:
                cuts.append(stream.tell())
        cuts.append(size)
        segments = []
        lines_before = 0
        for start, end in itertools.pairwise(cuts):
            lines = _count_line_ends(stream, start, end)
            segments.append(CsvSegment(start, end, lines_before, lines, last=end == size))
            lines_before += lines
    return segments


def _count_line_ends(stream: IO[bytes], start: int, end: int) -> int:
    stream.seek(start)
    count = 0
    while start < end:
        chunk = stream.read(min(_CHUNK, end - start))
        if not chunk:
            break
        count += chunk.count(b"\n")
        start += len(chunk)
    return count


def segment_rows(sheet: SheetFormat, layout: CohortLayout, segment: CsvSegment) -> Iterator[SheetRow]:
    """The businesses in one segment, numbered as in the whole sheet.

    Every record of a segment but the last must be one line, so that the
    record numbers of the next segment follow from line counts; otherwise this
    raises ``SegmentMisaligned`` (the caller reads the sheet whole).
    """
    encoding = "utf-8" if sheet.encoding == "utf-8-sig" and segment.start else sheet.encoding
    raw = io.BufferedReader(_ByteRange(sheet.path, segment.start, segment.end), _CHUNK)
    stream = io.TextIOWrapper(raw, encoding=encoding, newline="")
    index = {name: position for position, name in sheet.columns.items()}
    with stream:
        records = _segment_records(stream, sheet.separator, segment)
        if segment.start == 0:
            records = ((number, record) for number, record in records if number > sheet.header_number)
        yield from _sheet_rows(records, index, layout, text_row_possible=segment.start == 0)


def _segment_records(stream: IO[str], separator: str, segment: CsvSegment) -> Iterator[tuple[int, list[str]]]:
    # strict: a segment that ends inside a quoted cell is an error here, where reading on would mend it
    records = csv.reader(stream, delimiter=separator, strict=True)
    count = 0
    try:
        for record in records:
            count += 1
            if not segment.last and records.line_num != count:
                raise SegmentMisaligned(f"line {segment.lines_before + count}")
            yield segment.lines_before + count, record
    except csv.Error as exc:
        raise SegmentMisaligned(str(exc)) from None
    if not segment.last and records.line_num != segment.lines:
        raise SegmentMisaligned(f"{records.line_num} lines read of {segment.lines}")


class _ByteRange(io.RawIOBase):
    """A file read only from ``start`` up to ``end``."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        super().__init__()
        self._file = path.open("rb")
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        read = self._file.readinto(memoryview(buffer)[: self._left])
        self._left -= read
        return read

    def close(self) -> None:
        self._file.close()
        super().close()


# XLSX ----------------------------------------------------------------------


def _xlsx_records(path: Path, reader: CohortReader) -> Iterator[tuple[int, list[str]]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise CohortFileError(f"{path}: cannot be opened as an Excel workbook ({exc})") from None
    reader._closers.append(workbook)
    sheet = workbook[_SHEET_NAME] if _SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
    reader.encoding = "xlsx"
    return _xlsx_rows(sheet)


def _xlsx_rows(sheet: Any) -> Iterator[tuple[int, list[str]]]:
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # files saved by other programs may state a wrong size
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, [cell_text(value) for value in values]


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
