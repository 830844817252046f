"""A questionnaire's texts as a review sheet, and a reviewed sheet written back into the YAML.

A translator or a native speaker reviews a sheet, not a YAML file: one row per
text, with an id that names the text by the ids around it
(``dimensions[payments].questions[pay_terms].help``, so it survives reordering),
the English and the translation. Corrections go back into the file through a
round-trip YAML library, so the file keeps its layout and comments and differs
only where a translation changed. Nothing is written unless every row is good.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from cbectool import resources
from cbectool.errors import CbecError
from cbectool.files import atomic_output, write_bytes_atomic
from cbectool.i18n import is_right_to_left
from cbectool.loader import parse_questionnaire
from cbectool.questionnaire import Action, Choice, Dimension, Gate, Level, Question, Questionnaire
from cbectool.text import DEFAULT_LANGUAGE, localize, require_language

if TYPE_CHECKING:
    from ruamel.yaml import YAML

Location = tuple[str | int, ...]

# The owner-facing texts of each part of a questionnaire, in the order a reviewer meets them.
# tests/test_translations.py checks this against the questionnaire's schema, so no text is forgotten.
TEXT_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {
    Questionnaire: ("title", "description"),
    Level: ("name", "meaning"),
    Dimension: ("title", "description"),
    Question: ("text", "help", "unit"),
    Choice: ("label",),
    Gate: ("reason",),
    Action: ("title", "why", "first_step", "where"),
}
# The lists that hold parts with texts, and the field that names each item in a text's id.
_PARTS: dict[type[BaseModel], tuple[tuple[str, str], ...]] = {
    Questionnaire: (("levels", "id"), ("dimensions", "id"), ("gates", "id"), ("actions", "id")),
    Dimension: (("questions", "id"),),
    Question: (("choices", "value"),),
}

COLUMNS_HELP = "id, en and the language's code (as exported); further columns are ignored"
SAVE_AS_UTF8 = 'save it as "CSV UTF-8" or as .xlsx'
_WIDTH = 80  # a long translation is folded (YAML ">-") at about this many characters a line
_PLACEHOLDER = re.compile(r"\{[^{}\s]*\}")
# Letters an Arabic keyboard types where Urdu has its own: kaf, yeh and alef maksura.
_URDU_LETTERS = str.maketrans({"\u0643": "\u06a9", "\u064a": "\u06cc", "\u0649": "\u06cc"})


@dataclass(frozen=True, slots=True)
class TextEntry:
    """One text of a questionnaire: its id, where it is in the file, its English and its translation."""

    id: str
    location: Location
    english: str
    translation: str  # '' when the text has none in the language


def texts(questionnaire: Questionnaire, language: str) -> list[TextEntry]:
    """Every owner-facing text of ``questionnaire``, in file order, with its translation into ``language``."""
    return list(_walk(questionnaire, "", (), language))


def _walk(part: BaseModel, prefix: str, location: Location, language: str) -> Iterator[TextEntry]:
    for name in TEXT_FIELDS[type(part)]:
        value = getattr(part, name)
        if value is None:
            continue
        translation = value.get(language, "") if isinstance(value, dict) else ""
        text_id = f"{prefix}.{name}" if prefix else name
        yield TextEntry(text_id, (*location, name), localize(value), translation)
    for name, key in _PARTS.get(type(part), ()):
        for index, item in enumerate(getattr(part, name)):
            item_prefix = f"{prefix}.{name}" if prefix else name
            yield from _walk(item, f"{item_prefix}[{getattr(item, key)}]", (*location, name, index), language)


def review_language(questionnaire: Questionnaire, language: str | None) -> str:
    """The language to review: ``language`` when the questionnaire declares it, else its only translation."""
    others = [code for code in questionnaire.languages if code != DEFAULT_LANGUAGE]
    if language is None:
        if len(others) != 1:
            declared = ", ".join(questionnaire.languages) or DEFAULT_LANGUAGE
            raise CbecError(f"questionnaire {questionnaire.id} declares {declared}: say which to review with --lang")
        return others[0]
    if language == DEFAULT_LANGUAGE:
        raise CbecError("--lang en: English is the text every translation follows; name a translation, e.g. --lang ur")
    require_language(language, questionnaire)
    return language


def placeholders(text: str) -> set[str]:
    """The ``{...}`` placeholders in a text, which a translation must keep."""
    return set(_PLACEHOLDER.findall(text))


def same_text(first: str, second: str) -> bool:
    """Equal once spaces and line breaks are evened out (a spreadsheet may re-wrap a cell)."""
    return " ".join(first.split()) == " ".join(second.split())


# ---------------------------------------------------------------------------------------------- the review sheet


def write_review(entries: Sequence[TextEntry], language: str, path: Path | None) -> str | None:
    """Write the review sheet to ``path`` (.csv or .xlsx), or return it as CSV text when ``path`` is None."""
    if path is not None and path.suffix.lower() == ".xlsx":
        write_bytes_atomic(path, _xlsx(entries, language))
        return None
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(["id", DEFAULT_LANGUAGE, language])
    writer.writerows([entry.id, entry.english, entry.translation] for entry in entries)
    if path is None:
        return stream.getvalue()
    # With a byte-order mark, Excel reads the file as UTF-8 and shows Urdu letters, not mojibake.
    write_bytes_atomic(path, stream.getvalue().encode("utf-8-sig"))
    return None


def _xlsx(entries: Sequence[TextEntry], language: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Translations"
    sheet.append(["id", DEFAULT_LANGUAGE, language])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    right_to_left = Alignment(wrap_text=True, vertical="top", horizontal="right", readingOrder=2)
    translated = right_to_left if is_right_to_left(language) else wrap
    for row, entry in enumerate(entries, start=2):
        for column, (value, alignment) in enumerate(
            ((entry.id, wrap), (entry.english, wrap), (entry.translation, translated)), start=1
        ):
            cell = sheet.cell(row=row, column=column)
            cell.value = value
            cell.data_type = "s"  # text, even when it starts with "=": never a formula
            cell.alignment = alignment
    for letter, width in zip("ABC", (48, 70, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "B2"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


@dataclass(frozen=True, slots=True)
class ReviewRow:
    number: int  # the spreadsheet row; the header is row 1
    id: str
    english: str
    translation: str


@dataclass(frozen=True, slots=True)
class ReviewSheet:
    language: str
    rows: tuple[ReviewRow, ...]


class ReviewError(CbecError):
    """A review sheet that cannot be applied; nothing was written."""

    def __init__(self, source: str, message: str, *, row: int | None = None) -> None:
        where = f"{source} row {row}" if row is not None else source
        super().__init__(f"{where}: {message}")


def read_review(path: Path) -> ReviewSheet:
    """Read a review sheet (.csv or .xlsx) as exported and perhaps edited in a spreadsheet program."""
    source = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReviewError(source, "no such file") from None
    except OSError as exc:
        raise ReviewError(source, f"cannot be read ({exc.strerror})") from None
    records = _xlsx_records(data, source) if data.startswith(b"PK\x03\x04") else _csv_records(data, source)
    header = next(records, None)
    if header is None:
        raise ReviewError(source, f"is empty; a review sheet has the columns {COLUMNS_HELP}")
    language = _language_of(header, source)
    rows = []
    for number, cells in records:
        if not any(isinstance(cell, str) and cell.strip() for cell in cells):
            continue  # a blank line, or a row Excel keeps after the data
        text_id, english, translation = (
            _text(cell, column, source, number)
            for cell, column in zip((*cells, None, None, None), ("id", DEFAULT_LANGUAGE, language), strict=False)
        )
        rows.append(ReviewRow(number, text_id.strip(), english, translation))
    return ReviewSheet(language, tuple(rows))


def _text(cell: object, column: str, source: str, row: int) -> str:
    """A cell as text ('' when blank); a spreadsheet's number or date where text belongs is an error."""
    if cell is None:
        return ""
    if not isinstance(cell, str):
        raise ReviewError(source, f"the {column} cell is not text (a number or a date?)", row=row)
    return cell


def _language_of(header: tuple[int, list[object]], source: str) -> str:
    number, cells = header
    names = [cell.strip() if isinstance(cell, str) else "" for cell in cells[:3]]
    if (
        len(names) < 3
        or names[:2] != ["id", DEFAULT_LANGUAGE]
        or not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)?", names[2])
    ):
        found = ", ".join(name or "(blank)" for name in names) or "nothing"
        raise ReviewError(source, f"the columns must be {COLUMNS_HELP}; found {found}", row=number)
    if names[2] == DEFAULT_LANGUAGE:
        raise ReviewError(source, "the third column must be a translation, not English", row=number)
    return names[2]


def _csv_records(data: bytes, source: str) -> Iterator[tuple[int, list[object]]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReviewError(source, f"is UTF-16 text; {SAVE_AS_UTF8}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReviewError(source, f"is not UTF-8 text, so Urdu letters may be lost; {SAVE_AS_UTF8}") from None
    first_line = text.split("\n", 1)[0]
    separator = next((each for each in (",", ";", "\t") if each in first_line), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        for cells in reader:
            yield reader.line_num, list(cells)
    except csv.Error as exc:
        raise ReviewError(source, f"is not a well-formed CSV file ({exc})", row=reader.line_num) from None


def _xlsx_records(data: bytes, source: str) -> Iterator[tuple[int, list[object]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ReviewError(source, "is not a readable .xlsx workbook") from None
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        book.close()


# --------------------------------------------------------------------------------------------------- applying


@dataclass(frozen=True, slots=True)
class Applied:
    path: Path
    language: str
    changed: tuple[str, ...]  # ids of the texts whose translation changed


def questionnaire_file(reference: str | None) -> Path:
    """The file behind a bundled id or a path (``resources.load`` has already said if there is none)."""
    bundled = resources.bundled_questionnaire_paths()
    return bundled.get(reference or resources.DEFAULT_QUESTIONNAIRE) or Path(reference or "")


def apply_review(reference: str | None, review: Path, language: str | None = None) -> Applied:
    """Write the corrected translations of a review sheet into the questionnaire's YAML file.

    Every row is checked first: an unknown id, English that is no longer the
    questionnaire's, or a broken cell stops with an error naming the row, and the
    file is left as it was. Only texts whose translation changed are rewritten.
    """
    questionnaire = resources.load(reference)
    path = questionnaire_file(reference)
    sheet = read_review(review)
    if language is not None and language != sheet.language:
        raise ReviewError(str(review), f"has texts in '{sheet.language}', not in '{language}' (--lang)", row=1)
    require_language(sheet.language, questionnaire)
    changes = _changes(texts(questionnaire, sheet.language), sheet, str(review))
    if changes:
        _write(path, questionnaire, changes, sheet.language)
    return Applied(path, sheet.language, tuple(entry.id for entry, _ in changes))


def _changes(entries: list[TextEntry], sheet: ReviewSheet, source: str) -> list[tuple[TextEntry, str]]:
    by_id = {entry.id: entry for entry in entries}
    seen: dict[str, int] = {}
    changes = []
    for row in sheet.rows:
        if not row.id:
            raise ReviewError(source, "the id cell is empty", row=row.number)
        entry = by_id.get(row.id)
        if entry is None:
            raise ReviewError(
                source, f"no text '{row.id}' in the questionnaire; export the sheet again", row=row.number
            )
        if row.id in seen:
            raise ReviewError(source, f"'{row.id}' is also on row {seen[row.id]}", row=row.number)
        seen[row.id] = row.number
        if not same_text(row.english, entry.english):
            raise ReviewError(
                source,
                f"the English of '{row.id}' is not the questionnaire's any more (the file changed since the "
                "export); export the sheet again and carry your corrections over",
                row=row.number,
            )
        translation = _clean(row, entry, sheet.language, source)
        if translation is not None and not same_text(translation, entry.translation):
            changes.append((entry, translation))
    return changes


def _clean(row: ReviewRow, entry: TextEntry, language: str, source: str) -> str | None:
    """The row's translation as it will be written, or None for a row that changes nothing."""
    text = " ".join(unicodedata.normalize("NFC", row.translation).split())
    if language == "ur":
        text = text.translate(_URDU_LETTERS)
    if not text:
        if entry.translation:
            raise ReviewError(
                source, f"the {language} cell is empty; to keep the text, leave it as exported", row=row.number
            )
        return None
    if "??" in text:
        raise ReviewError(
            source,
            f"the {language} cell has '??' where letters were: the sheet was saved without them; {SAVE_AS_UTF8}",
            row=row.number,
        )
    if any(unicodedata.category(char) == "Cc" for char in text):
        raise ReviewError(source, f"the {language} cell has a control character", row=row.number)
    missing = sorted(placeholders(entry.english) - placeholders(text))
    if missing:
        raise ReviewError(
            source, f"the {language} text lacks {', '.join(missing)}, which the English has", row=row.number
        )
    return text


def _yaml() -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip: comments, key order, quotes and folded lines are kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line that was not changed
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _write(path: Path, questionnaire: Questionnaire, changes: list[tuple[TextEntry, str]], language: str) -> None:
    yaml = _yaml()
    source = path.read_text(encoding="utf-8")
    document = yaml.load(source)
    for entry, translation in changes:
        _set_translation(document, entry, translation, language)
    stream = io.StringIO()
    yaml.dump(document, stream)
    updated = stream.getvalue()
    _check_written(updated, str(path), questionnaire, {entry.id: text for entry, text in changes}, language)
    with atomic_output(path) as output:
        output.write(updated.encode("utf-8"))


def _set_translation(document: Any, entry: TextEntry, translation: str, language: str) -> None:
    from ruamel.yaml.comments import CommentedBase, CommentedMap

    node = document
    for step in entry.location[:-1]:
        if isinstance(node, CommentedBase):
            node.fa.set_block_style()  # a block value cannot sit inside a flow {...} collection
        node = node[step]
    if isinstance(node, CommentedBase):
        node.fa.set_block_style()
    key = entry.location[-1]
    current = node[key]
    value = _scalar(translation)
    if not isinstance(current, CommentedMap):
        mapping = CommentedMap([(DEFAULT_LANGUAGE, current)])
        _carry_comment(node, key, mapping, DEFAULT_LANGUAGE)
        node[key] = current = mapping
    current.fa.set_block_style()
    if language not in current:
        _carry_comment(current, list(current)[-1], current, language)
    current[language] = value


def _carry_comment(owner: Any, key: object, mapping: Any, new_key: str) -> None:
    """What followed ``owner[key]`` in the file (an end-of-line comment, blank lines) follows ``mapping[new_key]``."""
    comment = owner.ca.items.pop(key, None)
    if comment is not None:
        mapping.ca.items[new_key] = comment


def _scalar(text: str) -> Any:  # a ruamel ScalarString
    """A short translation on the key's line; a long one folded over several lines, as the English texts are."""
    from ruamel.yaml.scalarstring import FoldedScalarString, PlainScalarString

    if len(text) <= _WIDTH:
        # A ScalarString, not a str: ruamel would give a plain str the style of the value it replaces.
        return PlainScalarString(text)
    folded = FoldedScalarString(text)
    folds, start = [], 0
    while len(text) - start > _WIDTH:
        space = text.rfind(" ", start, start + _WIDTH)
        if space <= start:
            space = text.find(" ", start + _WIDTH)
            if space < 0:
                break
        folds.append(space)
        start = space + 1
    folded.fold_pos = folds
    return folded


def _check_written(updated: str, source: str, before: Questionnaire, changed: dict[str, str], language: str) -> None:
    """The new file must load, hold the new translations and be otherwise the same questionnaire.

    Anything else is a bug in this module: it stops before the file is written.
    """
    after = parse_questionnaire(updated, source)
    expected = {entry.id: changed.get(entry.id, entry.translation) for entry in texts(before, language)}
    written = {entry.id: entry.translation for entry in texts(after, language)}
    if written != expected or _without(after.model_dump(), language) != _without(before.model_dump(), language):
        raise AssertionError(f"{source}: writing the translations would change more than them; nothing was written")


def _without(data: object, language: str) -> object:
    """A dumped questionnaire without its texts in ``language`` (a text left with English only is that English)."""
    if isinstance(data, dict):
        if DEFAULT_LANGUAGE in data and all(isinstance(value, str) for value in data.values()):
            kept = {code: text for code, text in data.items() if code != language}
            return kept[DEFAULT_LANGUAGE] if len(kept) == 1 else kept
        return {key: _without(value, language) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_without(value, language) for value in data]
    return data
