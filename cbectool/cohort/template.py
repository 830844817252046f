"""Blank cohort sheets for trainers: CSV, or XLSX with drop-down lists and an instructions sheet.

The XLSX keeps the drop-down choices on a hidden "Lists" sheet and points the
data validation at those cells, so labels may contain commas (an inline list
may not) and the file opens the same in Excel, LibreOffice and Google Sheets.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cbectool.cohort.columns import MULTI_SEPARATOR, PROFILE_COLUMNS, CohortLayout, allowed_answers
from cbectool.cohort.outputs import save_workbook_atomic, text_cell
from cbectool.errors import CbecError
from cbectool.files import write_bytes_atomic
from cbectool.questionnaire import QuestionType
from cbectool.text import localize

SHEET = "Cohort"
LISTS_SHEET = "Lists"
INSTRUCTIONS_SHEET = "Instructions"
VALIDATED_ROWS = 1000
"""Drop-downs cover this many business rows (rows 3 to 1002); enough for any workshop."""


def write_template(layout: CohortLayout, path: Path) -> None:
    """A blank cohort sheet; the format follows the suffix (.csv or .xlsx)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_bytes_atomic(path, csv_template(layout).encode("utf-8-sig"))
    elif suffix == ".xlsx":
        _write_xlsx(layout, path)
    else:
        raise CbecError(f"{path}: the template is written as .xlsx or .csv; choose one of those suffixes")


def csv_template(layout: CohortLayout) -> str:
    """Header ids, then the question texts; saved with a byte-order mark so Excel reads Urdu correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(layout.columns)
    writer.writerow([layout.texts[column] for column in layout.columns])
    return buffer.getvalue()


def instructions(layout: CohortLayout) -> list[str]:
    """The Instructions sheet, one line per row: how to fill in and use the sheet."""
    questionnaire = layout.questionnaire
    lang = layout.lang
    lines = [
        f"Cohort sheet for {localize(questionnaire.title, lang)} ({questionnaire.id} {questionnaire.version})",
        "",
        "How to fill it in",
        "1. One row per business, from row 3 down. Row 1 holds the column ids: do not change or move it.",
        "2. Row 2 shows each question; you may leave it or delete it.",
        "3. business_name is required; the other profile columns (city, sector, ...) are optional.",
        "4. Pick answers from the drop-down list in each cell, or type their words "
        "(any capitals; extra spaces do not matter).",
        f"5. Questions that allow several answers: write them in one cell separated by '{MULTI_SEPARATOR.strip()}', "
        f"for example: {_multi_example(layout)}. The drop-down offers one answer; type the others after it "
        "(an answer's own commas are fine).",
        "6. Number questions take a plain number (no units).",
        "7. Questions marked 'only if it applies' may be left blank when they do not apply; they are then ignored.",
        "8. Save as .xlsx, or as 'CSV UTF-8 (Comma delimited)' to keep Urdu names.",
        "",
        "Then score everyone: cbectool batch THIS-FILE.xlsx --out results --reports",
        "",
        "Columns",
    ]
    for column in PROFILE_COLUMNS:
        lines.append(f"{column}: {layout.texts[column]}")
    for question in questionnaire.questions():
        accepted = " | ".join(allowed_answers(question, lang))
        kind = {
            QuestionType.MULTI: f"one or more of: {accepted}",
            QuestionType.SINGLE: f"one of: {accepted}",
            QuestionType.YES_NO: f"one of: {accepted}",
            QuestionType.NUMBER: "a number" + _range(question.min, question.max),
            QuestionType.TEXT: "free text (not scored)",
        }[question.type]
        required = "" if question.required else " (optional)"
        lines.append(f"{question.id}: {localize(question.text, lang)} -> {kind}{required}")
    return lines


def _multi_example(layout: CohortLayout) -> str:
    """Two answers as a multi-choice cell holds them: the shortest pair that shows a label with a comma."""
    pairs = []
    for question in layout.questionnaire.questions():
        if question.type == QuestionType.MULTI:
            items = allowed_answers(question, layout.lang)
            plain = sorted((item for item in items if "," not in item), key=len)
            with_comma = sorted((item for item in items if "," in item), key=len)
            pairs.append([*plain[:1], *with_comma[:1]] if plain and with_comma else sorted(items, key=len)[:2])
    if not pairs:
        return f"a{MULTI_SEPARATOR}b"
    best = min(pairs, key=lambda pair: (not any("," in item for item in pair), sum(map(len, pair))))
    return MULTI_SEPARATOR.join(best)


def _range(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return ""
    return f" from {_plain(low) if low is not None else 'any'} to {_plain(high) if high is not None else 'any'}"


def _plain(number: float) -> str:
    return str(int(number)) if number.is_integer() else str(number)


def _write_xlsx(layout: CohortLayout, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    lists = workbook.create_sheet(LISTS_SHEET)
    guide = workbook.create_sheet(INSTRUCTIONS_SHEET)
    bold = Font(bold=True)
    shaded = PatternFill("solid", fgColor="DDDDDD")
    wrapped = Alignment(wrap_text=True, vertical="top")
    questionnaire = layout.questionnaire
    last_row = VALIDATED_ROWS + 2
    list_column = 0
    for index, column in enumerate(layout.columns, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=column)
        header.font = bold
        header.fill = shaded
        text = sheet.cell(row=2, column=index, value=layout.texts[column])
        text.alignment = wrapped
        text.font = Font(italic=True)
        sheet.column_dimensions[letter].width = 28 if column == "business_name" else max(16, min(30, len(column) + 4))
        question = questionnaire.question(column)
        if question is None:
            continue
        cells = f"{letter}3:{letter}{last_row}"
        answers = allowed_answers(question, layout.lang)
        if answers:
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=column).font = bold
            for offset, answer in enumerate(answers, start=2):
                text_cell(lists.cell(row=offset, column=list_column), answer)
            source = f"{quote_sheetname(LISTS_SHEET)}!${list_letter}$2:${list_letter}${len(answers) + 1}"
            validation = DataValidation(type="list", formula1=source, allow_blank=True)
            validation.promptTitle = column[:32]
            if question.type == QuestionType.MULTI:
                validation.showErrorMessage = False  # several answers are typed, separated by ';'
                validation.prompt = f"One or more answers, separated by '{MULTI_SEPARATOR.strip()}'"
            else:
                validation.showErrorMessage = True
                validation.errorTitle = "Not one of the answers"
                validation.error = "Choose an answer from the list."
                validation.prompt = "Choose from the list"
            validation.showInputMessage = True
            validation.add(cells)
            sheet.add_data_validation(validation)
        elif question.type == QuestionType.NUMBER:
            validation = DataValidation(
                type="decimal",
                operator="between",
                formula1=str(question.min if question.min is not None else -1e12),
                formula2=str(question.max if question.max is not None else 1e12),
                allow_blank=True,
            )
            validation.showErrorMessage = True
            validation.errorTitle = "Not a number in range"
            validation.error = f"Write a number{_range(question.min, question.max)}."
            validation.add(cells)
            sheet.add_data_validation(validation)
    sheet.row_dimensions[2].height = 60
    sheet.freeze_panes = "B3"
    lists.sheet_state = "hidden"
    guide.column_dimensions["A"].width = 120
    for number, line in enumerate(instructions(layout), start=1):
        cell = guide.cell(row=number, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if number == 1 or line in ("How to fill it in", "Columns"):
            cell.font = bold
    save_workbook_atomic(workbook, path)
