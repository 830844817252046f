"""What the fuzz tests (tests/test_fuzz.py) found, each kept as a plain test: bad files end in one clear line
and exit 2, never an internal error, a traceback, a hang or an open file."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cbectool.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stderr


def test_a_control_character_in_a_questionnaire_is_one_line_with_its_line(starter_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    lines = starter_path.read_text(encoding="utf-8").splitlines()
    lines[2] = "# Facts and sources: \x1f"
    path.write_text("\n".join(lines), encoding="utf-8")
    code, stderr = run("questionnaire", "validate", str(path))
    assert code == 2
    assert stderr == (
        f"Error: {path}:3: is not valid YAML: holds a character YAML does not allow ('\\x1f', special characters "
        "are not allowed)\n"
    )


@pytest.mark.slow  # recursion to Python's limit: about a second each
def test_a_questionnaire_nested_too_deeply_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("id: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    code, stderr = run("questionnaire", "validate", str(path))
    assert (code, stderr) == (2, f"Error: {path}: is not valid YAML: lists or mappings nested too deeply\n")


def test_nested_aliases_are_refused_before_they_expand(starter_path: Path, tmp_path: Path) -> None:
    """A "billion laughs" of ten million values took 77 s to be refused; now the aliases are counted first."""
    laughs = ["x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    laughs += [f"x{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 8)]
    text = starter_path.read_text(encoding="utf-8").replace("id: starter\n", "\n".join(laughs) + "\nid: starter\n")
    path = tmp_path / "laughs.yaml"
    path.write_text(text.replace("languages: [en]", "languages: *a7"), encoding="utf-8")
    started = time.perf_counter()
    code, stderr = run("questionnaire", "validate", str(path))
    assert time.perf_counter() - started < 20  # a generous bound for a loaded machine; it was 77 s
    assert code == 2
    assert stderr == (f"Error: {path}:9: expands to more than 1,000,000 values through YAML aliases (&name, *name)\n")


@pytest.mark.slow  # recursion to Python's limit: about a second each
@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_response_file_nested_too_deeply_is_refused(starter_path: Path, tmp_path: Path, suffix: str) -> None:
    deep = "[" * 5000 + "]" * 5000
    path = tmp_path / f"deep{suffix}"
    if suffix == ".json":
        path.write_text(f'{{"questionnaire": {{"id": "starter"}}, "answers": {{"a": {deep}}}}}', encoding="utf-8")
    else:
        path.write_text(f"questionnaire: {{id: starter}}\nanswers: {{a: {deep}}}\n", encoding="utf-8")
    code, stderr = run("score", str(path), "-q", str(starter_path))
    assert (code, stderr) == (2, f"Error: {path}: has lists or objects nested too deeply to be a response file\n")


def damaged_workbooks(starter_path: Path, tmp_path: Path) -> list[bytes]:
    """A real template, then: cut short, and with its sheet's XML broken inside an intact zip."""
    template = tmp_path / "template.xlsx"
    assert run("template", "-q", str(starter_path), "-o", str(template))[0] == 0
    data = template.read_bytes()
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<row ", b"<row <<", 1)
            target.writestr(item, content)
    return [data[: len(data) // 2], broken.getvalue()]


@pytest.mark.parametrize("damage", [0, 1], ids=["cut short", "broken sheet XML"])
def test_a_damaged_workbook_is_one_error_and_leaves_no_file_open(
    starter_path: Path, tmp_path: Path, damage: int
) -> None:
    sheet = tmp_path / "cohort.xlsx"
    sheet.write_bytes(damaged_workbooks(starter_path, tmp_path)[damage])
    out = tmp_path / "out"
    code, stderr = run("batch", str(sheet), "-q", str(starter_path), "--out", str(out))  # warnings are errors here:
    assert code == 2  # an unclosed file would fail the test (ResourceWarning)
    assert stderr.startswith(f"Error: {sheet}: ")
    assert "cannot be" in stderr and stderr.count("\n") == 1
    assert not out.exists()


def test_a_text_answer_too_long_is_a_row_error_not_a_crash(starter_path: Path, tmp_path: Path) -> None:
    """Found by the fuzz tests: the limit of 2000 characters was an int, which Python 3.11 cannot print."""
    sheet = tmp_path / "c.csv"
    sheet.write_text(f"business_name,plat_contact_name\nOne,{'x' * 2001}\n", encoding="utf-8")
    code, _ = run("batch", str(sheet), "-q", str(starter_path), "--out", str(tmp_path / "out"), "--no-summary")
    assert code == 3
    errors = (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8-sig")
    assert "plat_contact_name," in errors and "is longer than 2000 characters" in errors


def test_line_breaks_and_control_characters_from_a_sheet_stay_on_one_line(starter_path: Path, tmp_path: Path) -> None:
    """Found by the fuzz tests: a column name holding a line break broke a warning in two."""
    sheet = tmp_path / "c.csv"
    sheet.write_text('business_name,"no\ntes\x1e\x1b[2J",pay_invoice_fcy\nOne,,yes\n', encoding="utf-8")
    code, stderr = run("batch", str(sheet), "-q", str(starter_path), "--out", str(tmp_path / "out"), "--no-summary")
    assert code == 3
    line = next(line for line in stderr.split("\n") if "ignored" in line)
    assert line == (f"Warning: {sheet}: ignored 1 column(s) that are not in the questionnaire: no\\ntes\\x1e\\x1b[2J")


def test_an_unknown_question_id_with_a_line_break_is_one_error_line(starter_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(
        '{"questionnaire": {"id": "starter"}, "business": {"name": "X"}, "answers": {"a\\nb": "yes"}}',
        encoding="utf-8",
    )
    code, stderr = run("score", str(path), "-q", str(starter_path))
    assert code == 2
    assert f"Error: {path}: answers.a\\nb: no such question in starter 0.1\n" in stderr


def test_square_brackets_in_a_name_or_a_questionnaire_are_printed_as_written(
    starter_path: Path, starter_response: dict[str, object], tmp_path: Path
) -> None:
    """Found while fixing the fuzz findings: rich read "[/bold]" as markup, and a stray one was a crash."""
    import json

    questionnaire = tmp_path / "mine.yaml"
    questionnaire.write_text(
        starter_path.read_text(encoding="utf-8").replace("title: Payments", "title: '[/b] Payments :fire:'"),
        encoding="utf-8",
    )
    starter_response["business"] = {"name": "Ali [/bold] Sports [red]"}
    response = tmp_path / "r.json"
    response.write_text(json.dumps(starter_response), encoding="utf-8")
    result = runner.invoke(app, ["score", str(response), "-q", str(questionnaire)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Ali [/bold] Sports [red]\n")
    assert "[/b] Payments :fire:" in result.stdout


def test_control_characters_in_a_name_do_not_stop_scores_xlsx(starter_path: Path, tmp_path: Path) -> None:
    """Found by the fuzz tests: a NUL in a business name made openpyxl refuse scores.xlsx (an internal error)."""
    from openpyxl import load_workbook

    sheet = tmp_path / "c.csv"
    sheet.write_bytes(
        b"business_name,city,pay_receive_channel,pay_invoice_fcy,pay_refunds,log_channel,log_courier_registered,"
        b"log_hs_code,log_dispatch_days,plat_presence,plat_reply_hours,plat_listing_photos,plat_contact_name\n"
        b"\x00Textile\x1b House,\x0bLahore,payoneer,yes,no,post,,yes,3,amazon,6,all,\n"
    )
    code, _ = run("batch", str(sheet), "-q", str(starter_path), "--out", str(tmp_path / "out"), "--no-summary")
    assert code == 0
    row = [cell.value for cell in next(load_workbook(tmp_path / "out" / "scores.xlsx")["Scores"].iter_rows(min_row=2))]
    assert row[1:3] == ["\\x00Textile\\x1b House", "Lahore"]  # the profile strips spaces (\\x0b is one)
