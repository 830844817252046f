"""`cbectool questionnaire translations`: a review sheet out, corrections back into the YAML, nothing else changed."""

from __future__ import annotations

import csv
import difflib
import io
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from cbectool import cli, resources
from cbectool.errors import ExitCode
from cbectool.loader import load_questionnaire
from cbectool.questionnaire import Questionnaire
from cbectool.text import localize
from cbectool.translations import TEXT_FIELDS, texts

runner = CliRunner()
ARABIC = re.compile(r"[\u0600-\u06ff]")
BUNDLED = resources.bundled_questionnaire_paths()[resources.DEFAULT_QUESTIONNAIRE]


def _invoke(*args: str) -> Any:
    return runner.invoke(cli.app, ["questionnaire", "translations", *args])


@pytest.fixture
def bilingual_starter(tmp_path: Path, starter_path: Path) -> Path:
    """The starter questionnaire (English only, flow-style choices) declaring Urdu, in a file of its own."""
    path = tmp_path / "starter.yaml"
    text = starter_path.read_text(encoding="utf-8").replace("languages: [en]", "languages: [en, ur]")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    path = tmp_path / "tdap.yaml"
    path.write_bytes(BUNDLED.read_bytes())
    return path


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


# ---------------------------------------------------------------------------------------------- the sheet


def _localized_properties(schema: dict[str, Any]) -> set[tuple[str, str]]:
    """(model title, property) for every property whose schema is a text: a string or a mapping of strings."""
    found = set()
    for name, definition in {**schema.get("$defs", {}), "Questionnaire": schema}.items():
        for prop, spec in definition.get("properties", {}).items():
            options = spec.get("anyOf", [spec])
            kinds = {option.get("type") for option in options}
            mapping = any(
                option.get("type") == "object"
                and all(value.get("type") == "string" for value in option.get("patternProperties", {}).values())
                and option.get("patternProperties")
                for option in options
            )
            if "string" in kinds and mapping:
                found.add((name, prop))
    return found


def test_the_sheet_covers_every_text_field_of_the_model() -> None:
    schema = Questionnaire.model_json_schema(by_alias=True)
    covered = {(model.__name__, field) for model, fields in TEXT_FIELDS.items() for field in fields}
    assert _localized_properties(schema) == covered


def test_export_writes_one_row_per_text_with_ids_that_name_the_parts(tmp_path: Path) -> None:
    output = tmp_path / "review.csv"
    result = _invoke("tdap-alibaba-cbec", "--lang", "ur", "-o", str(output))
    bundled = resources.load(None)
    entries = texts(bundled, "ur")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {output}: {len(entries)} texts, {len(entries)} with ur, 0 without\n"
    assert output.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = _rows(output)
    assert rows[0] == ["id", "en", "ur"]
    assert [row[0] for row in rows[1:]] == [entry.id for entry in entries]
    assert len({row[0] for row in rows[1:]}) == len(rows) - 1
    assert not any(re.search(r"\[\d+\]", row[0]) for row in rows[1:])  # ids, never positions: reordering keeps them
    by_id = {row[0]: row for row in rows[1:]}
    question = bundled.question("pay_terms")
    assert question is not None
    assert by_id["dimensions[payments].questions[pay_terms].help"][1:] == [
        localize(question.help),
        localize(question.help, "ur"),
    ]
    assert "dimensions[payments].questions[pay_terms].choices[protected].label" in by_id
    assert {"title", "levels[not_ready].meaning", "gates[no_ntn].reason", "actions[get_ntn].where"} <= set(by_id)


def test_without_output_the_sheet_goes_to_stdout_and_the_only_translation_is_the_default(
    bilingual_starter: Path,
) -> None:
    result = _invoke(str(bilingual_starter))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["id", "en", "ur"]
    assert rows[1] == ["title", "Cross-border e-commerce readiness (TDAP / Alibaba onboarding)", ""]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "en"], "Error: --lang en: English is the text every translation follows; name a translation"),
        (["--lang", "pa"], "Error: --lang pa: questionnaire starter has no texts in 'pa'; it has: en\n"),
        ([], "Error: questionnaire starter declares en: say which to review with --lang\n"),
    ],
)
def test_export_needs_a_declared_translation(starter_path: Path, args: list[str], message: str) -> None:
    result = _invoke(str(starter_path), *args)
    assert result.exit_code == ExitCode.USER
    assert result.stderr.startswith(message)


# ------------------------------------------------------------------------------------------- the round trip


@pytest.mark.slow
def test_round_trip_changes_only_the_corrected_texts_and_keeps_every_comment(bundled_copy: Path) -> None:
    sheet = bundled_copy.parent / "review.csv"
    assert _invoke(str(bundled_copy), "--lang", "ur", "-o", str(sheet)).exit_code == 0
    before = bundled_copy.read_text(encoding="utf-8")
    rows = _rows(sheet)
    corrected = {
        "levels[almost_ready].name": "تقریباً تیار ہے",
        "dimensions[payments].questions[pay_terms].help": "پیسے ملنے سے پہلے مال بھیجنا سب سے بڑا خطرہ ہے۔",
        "dimensions[payments].questions[pay_terms].choices[mixed].label": "خریدار کے حساب سے",
        "actions[get_ntn].first_step": "اپنا شناختی کارڈ تیار رکھیں اور FBR کے IRIS پورٹل پر رجسٹر کریں۔",
    }
    for row in rows[1:]:
        row[2] = corrected.get(row[0], row[2])
    _write_rows(sheet, rows)

    result = _invoke(str(bundled_copy), "--apply", str(sheet))

    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote 4 ur texts into {bundled_copy}\n"
    after = bundled_copy.read_text(encoding="utf-8")
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm=""))
    removed = [line[1:].strip() for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:].strip() for line in diff if line.startswith("+") and not line.startswith("+++")]
    # Only the old Urdu of those four texts goes ("ur: >-" and its folded lines), only the new comes.
    assert removed and all(line == "ur: >-" or (ARABIC.search(line) and not line.startswith("en:")) for line in removed)
    assert added == [f"ur: {text}" for text in corrected.values()]
    assert _comments(after) == _comments(before)
    assert runner.invoke(cli.app, ["questionnaire", "validate", str(bundled_copy)]).exit_code == 0
    updated = {entry.id: entry for entry in texts(load_questionnaire(bundled_copy), "ur")}
    assert {text_id: updated[text_id].translation for text_id in corrected} == corrected


def test_a_first_translation_turns_a_plain_text_into_en_and_ur_keeping_layout(bilingual_starter: Path) -> None:
    sheet = bilingual_starter.parent / "review.csv"
    _write_rows(
        sheet,
        [
            ["id", "en", "ur"],
            ["dimensions[payments].title", "Payments", "ادائیگیاں"],
            [
                "dimensions[payments].questions[pay_receive_channel].choices[payoneer].label",
                "Payoneer or a similar payout service",
                "Payoneer یا اس جیسی کوئی پے آؤٹ سروس",
            ],
            [
                "levels[not_ready].meaning",
                "The basics for selling abroad online are not in place. Start with the first steps in your plan: "
                "a legal way to be paid and your registrations.",
                "بیرون ملک آن لائن بیچنے کی بنیادی چیزیں موجود نہیں۔ اپنے پلان کے پہلے قدموں سے شروع کریں: ادائیگی "
                "لینے کا قانونی طریقہ اور اپنی رجسٹریشن۔ یہ جملہ اتنا لمبا ہے کہ اسے کئی لائنوں میں لکھا جائے گا۔",
            ],
        ],
    )
    before = bilingual_starter.read_text(encoding="utf-8")

    result = _invoke(str(bilingual_starter), "--apply", str(sheet))

    assert result.exit_code == 0, result.output
    after = bilingual_starter.read_text(encoding="utf-8")
    assert "    title:\n      en: Payments\n      ur: ادائیگیاں\n" in after
    # A flow-style choice becomes a block, since a {en, ur} text cannot sit inside {...} on one line.
    assert (
        "          - value: payoneer\n            label:\n              en: Payoneer or a similar payout service\n"
        "              ur: Payoneer یا اس جیسی کوئی پے آؤٹ سروس\n            points: 5\n"
    ) in after
    assert (
        "          - {value: fcy_account, label: An exporter's foreign-currency account at my bank, points: 8}\n"
        in after
    )
    meaning = after.split("  - id: not_ready\n", 1)[1].split("  - id: getting_started", 1)[0]
    assert meaning.count("\n        ") >= 3  # the long Urdu folded over lines, like the English (">-")
    assert "\n      ur: >-\n" in meaning
    assert _comments(after) == _comments(before)
    assert after.splitlines()[:5] == before.splitlines()[:5]
    loaded = load_questionnaire(bilingual_starter)
    assert loaded.dimensions[0].title == {"en": "Payments", "ur": "ادائیگیاں"}
    assert localize(loaded.levels[0].meaning, "ur").endswith("یہ جملہ اتنا لمبا ہے کہ اسے کئی لائنوں میں لکھا جائے گا۔")


def test_an_xlsx_sheet_round_trips_and_its_urdu_column_reads_right_to_left(bilingual_starter: Path) -> None:
    workbook = bilingual_starter.parent / "review.xlsx"
    assert _invoke(str(bilingual_starter), "--lang", "ur", "-o", str(workbook)).exit_code == 0
    book = load_workbook(workbook)
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == ["id", "en", "ur"]
    assert sheet["C2"].alignment.readingOrder == 2
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "levels[export_ready].name":
            row[2].value = "شروع کرنے کے لیے تیار"
    book.save(workbook)

    result = _invoke(str(bilingual_starter), "--apply", str(workbook))

    assert result.exit_code == 0, result.output
    assert localize(load_questionnaire(bilingual_starter).levels[2].name, "ur") == "شروع کرنے کے لیے تیار"


def test_a_sheet_that_changes_nothing_leaves_the_file_alone(bundled_copy: Path) -> None:
    sheet = bundled_copy.parent / "review.xlsx"
    assert _invoke(str(bundled_copy), "-o", str(sheet)).exit_code == 0
    before = bundled_copy.stat()
    result = _invoke(str(bundled_copy), "--apply", str(sheet))
    assert (result.exit_code, result.stdout) == (0, f"No ur text changed; {bundled_copy} is as it was\n")
    assert bundled_copy.stat().st_mtime_ns == before.st_mtime_ns


def test_arabic_keyboard_letters_become_urdu_ones_and_spaces_are_evened(bilingual_starter: Path) -> None:
    sheet = bilingual_starter.parent / "review.csv"
    # ك and ي are Arabic kaf and yeh: Urdu writes ک and ی.
    _write_rows(sheet, [["id", "en", "ur"], ["dimensions[payments].title", "Payments", "  ادائيگياں\nكی فہرست "]])
    assert _invoke(str(bilingual_starter), "--apply", str(sheet)).exit_code == 0
    assert load_questionnaire(bilingual_starter).dimensions[0].title == {"en": "Payments", "ur": "ادائیگیاں کی فہرست"}


YAML_AWKWARD = st.text(
    alphabet=st.sampled_from(list("ابپتٹجچ ہےیکگ۔،؟ :#'\"{}[]-?|>&*!%@`,aZ09")), min_size=1, max_size=120
).filter(lambda text: text.strip() and "??" not in text)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(urdu=YAML_AWKWARD)
def test_any_text_written_back_reads_back_the_same(bilingual_starter: Path, urdu: str) -> None:
    """Colons, hashes, quotes, brackets, long lines: whatever a reviewer types, the YAML keeps it exactly."""
    original = bilingual_starter.read_bytes()
    sheet = bilingual_starter.parent / "review.csv"
    text_id = "dimensions[payments].questions[pay_receive_channel].help"
    english = (
        "Without a legal way to receive foreign payments you cannot be paid for an export order. "
        "PayPal does not serve merchants in Pakistan."
    )
    _write_rows(sheet, [["id", "en", "ur"], [text_id, english, urdu]])
    try:
        result = _invoke(str(bilingual_starter), "--apply", str(sheet))
        assert result.exit_code == 0, result.output
        entry = next(entry for entry in texts(load_questionnaire(bilingual_starter), "ur") if entry.id == text_id)
        assert entry.translation == " ".join(urdu.split())
    finally:
        bilingual_starter.write_bytes(original)


# ------------------------------------------------------------------------------------------------- refusals


def _sheet_with(path: Path, *rows: list[str]) -> Path:
    sheet = path.parent / "review.csv"
    _write_rows(sheet, [["id", "en", "ur"], *rows])
    return sheet


PAYMENTS = ["dimensions[payments].title", "Payments", "ادائیگیاں"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [PAYMENTS, ["dimensions[payments].questions[pay_nothing].text", "What?", "کیا؟"]],
            "review.csv row 3: no text 'dimensions[payments].questions[pay_nothing].text' in the questionnaire; "
            "export the sheet again",
        ),
        (
            [["dimensions[payments].title", "Payments and money", "ادائیگیاں"]],
            "review.csv row 2: the English of 'dimensions[payments].title' is not the questionnaire's any more "
            "(the file changed since the export); export the sheet again and carry your corrections over",
        ),
        ([PAYMENTS, PAYMENTS], "review.csv row 3: 'dimensions[payments].title' is also on row 2"),
        ([PAYMENTS, ["", "Logistics", "ترسیل"]], "review.csv row 3: the id cell is empty"),
        (
            [["dimensions[payments].title", "Payments", "??????"]],
            "review.csv row 2: the ur cell has '??' where letters were: the sheet was saved without them; "
            'save it as "CSV UTF-8" or as .xlsx',
        ),
    ],
    ids=["unknown-id", "english-changed", "duplicate", "no-id", "code-page"],
)
def test_a_bad_row_is_named_and_nothing_is_written(
    bilingual_starter: Path, rows: list[list[str]], message: str
) -> None:
    before = bilingual_starter.read_bytes()
    sheet = _sheet_with(bilingual_starter, *rows)
    result = _invoke(str(bilingual_starter), "--apply", str(sheet))
    assert (result.exit_code, result.stdout) == (ExitCode.USER, "")
    assert result.stderr == f"Error: {sheet.parent}/{message}\n"
    assert bilingual_starter.read_bytes() == before


def test_emptying_an_existing_translation_is_refused(bundled_copy: Path) -> None:
    before = bundled_copy.read_bytes()
    sheet = _sheet_with(bundled_copy, ["levels[not_ready].name", "Not ready yet", "  "])
    result = _invoke(str(bundled_copy), "--apply", str(sheet))
    assert result.exit_code == ExitCode.USER
    assert result.stderr == (f"Error: {sheet} row 2: the ur cell is empty; to keep the text, leave it as exported\n")
    assert bundled_copy.read_bytes() == before


def test_a_placeholder_of_the_english_must_stay_in_the_translation(bilingual_starter: Path) -> None:
    text = bilingual_starter.read_text(encoding="utf-8").replace("title: Payments", "title: Payments of {business}")
    bilingual_starter.write_text(text, encoding="utf-8")
    sheet = _sheet_with(bilingual_starter, ["dimensions[payments].title", "Payments of {business}", "ادائیگیاں"])
    result = _invoke(str(bilingual_starter), "--apply", str(sheet))
    assert result.exit_code == ExitCode.USER
    assert result.stderr == f"Error: {sheet} row 2: the ur text lacks {{business}}, which the English has\n"
    assert bilingual_starter.read_text(encoding="utf-8") == text


def test_a_number_typed_into_an_xlsx_cell_is_not_text(bilingual_starter: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "en", "ur"])
    sheet.append(["dimensions[payments].title", "Payments", 42])
    path = bilingual_starter.parent / "review.xlsx"
    book.save(path)
    result = _invoke(str(bilingual_starter), "--apply", str(path))
    assert (result.exit_code, result.stderr) == (
        ExitCode.USER,
        f"Error: {path} row 2: the ur cell is not text (a number or a date?)\n",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"id,English,Urdu\n", "row 1: the columns must be id, en and the language's code (as exported)"),
        (b"", "is empty; a review sheet has the columns id, en and the language's code"),
        ("id,en,ur\ntitle,x,\u0627\n".encode("cp1256"), "is not UTF-8 text, so Urdu letters may be lost; save it as"),
        ("id,en,ur\n".encode("utf-16"), 'is UTF-16 text; save it as "CSV UTF-8" or as .xlsx'),
        (b"id,en,en\n", "row 1: the third column must be a translation, not English"),
    ],
    ids=["header", "empty", "code-page", "utf-16", "english-twice"],
)
def test_a_sheet_that_is_not_a_review_sheet_is_refused(
    bilingual_starter: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    sheet = tmp_path / "review.csv"
    sheet.write_bytes(content)
    result = _invoke(str(bilingual_starter), "--apply", str(sheet))
    assert result.exit_code == ExitCode.USER
    assert result.stderr.startswith(f"Error: {sheet}: {message}") or result.stderr.startswith(
        f"Error: {sheet} {message}"
    )


def test_apply_and_output_together_and_a_language_mismatch_are_refused(bilingual_starter: Path) -> None:
    sheet = _sheet_with(bilingual_starter, PAYMENTS)
    both = _invoke(str(bilingual_starter), "--apply", str(sheet), "-o", "x.csv")
    assert (both.exit_code, both.stderr) == (
        ExitCode.USER,
        "Error: --apply reads a sheet and --output writes one: use one of them\n",
    )
    other = _invoke(str(bilingual_starter), "--apply", str(sheet), "--lang", "pa")
    assert (other.exit_code, other.stderr) == (
        ExitCode.USER,
        f"Error: {sheet} row 1: has texts in 'ur', not in 'pa' (--lang)\n",
    )
