"""Reading cohort sheets: encodings, separators, line ends, blank lines, the question-text row, streaming."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbectool.cohort.columns import CohortLayout, layout_for
from cbectool.cohort.reading import CohortFileError, CohortRow, cell_text, detect_encoding, open_cohort
from cbectool.questionnaire import Questionnaire

COLUMNS = ["business_name", "city", "pay_invoice_fcy", "log_dispatch_days"]


def read_all(path: Path, layout: CohortLayout) -> tuple[list[CohortRow], list[str]]:
    with open_cohort(path, layout) as reader:
        return list(reader.rows()), reader.warnings


@pytest.fixture
def layout(starter: Questionnaire) -> CohortLayout:
    return layout_for(starter)


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("separator", [",", ";", "\t"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_any_common_csv_dialect_reads_the_same(
    layout: CohortLayout, tmp_path: Path, bom: bytes, separator: str, newline: str
) -> None:
    lines = [
        separator.join(COLUMNS),
        "",
        separator.join(["علی اسپورٹس", "سیالکوٹ", " Yes ", "3"]),
        separator.join(["", "", "", ""]),
        separator.join(["Two", "Lahore", "no", "10"]),
    ]
    path = tmp_path / "cohort.csv"
    path.write_bytes(bom + newline.join(lines).encode("utf-8") + newline.encode())

    rows, warnings = read_all(path, layout)

    assert [row.number for row in rows] == [3, 5]
    assert rows[0].cells == {
        "business_name": "علی اسپورٹس",
        "city": "سیالکوٹ",
        "pay_invoice_fcy": " Yes ",
        "log_dispatch_days": "3",
    }
    assert rows[1].cells["business_name"] == "Two"
    assert all("no column" in str(warning) for warning in warnings)


def test_question_text_row_is_skipped_only_right_after_the_header(layout: CohortLayout, tmp_path: Path) -> None:
    texts = [layout.texts[column] for column in COLUMNS]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([COLUMNS, texts, ["One", "", "yes", "1"], texts])
    path = tmp_path / "cohort.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")

    rows, _ = read_all(path, layout)

    assert [row.number for row in rows] == [3, 4]


def test_header_names_are_trimmed_and_case_insensitive_extra_and_duplicate_columns_ignored(
    layout: CohortLayout, tmp_path: Path
) -> None:
    path = tmp_path / "cohort.csv"
    path.write_text(" Business_Name ,Notes,city,CITY,PAY_invoice_fcy\nOne,hello,Sialkot,Lahore,no\n", encoding="utf-8")

    with open_cohort(path, layout) as reader:
        rows = list(reader.rows())
        assert reader.extra_columns == ("Notes", "CITY")
        assert reader.warnings[0] == f"{path}: ignored 2 column(s) that are not in the questionnaire: Notes, CITY"
    assert rows[0].cells["business_name"] == "One"
    assert rows[0].cells["city"] == "Sialkot"
    assert rows[0].cells["pay_invoice_fcy"] == "no"


def test_short_rows_read_as_blank_cells(layout: CohortLayout, tmp_path: Path) -> None:
    path = tmp_path / "cohort.csv"
    path.write_text("business_name,city,pay_invoice_fcy\nOne\n", encoding="utf-8")
    rows, _ = read_all(path, layout)
    assert rows[0].cells == {"business_name": "One", "city": "", "pay_invoice_fcy": ""}


def test_encoding_detection(tmp_path: Path) -> None:
    cases = {
        "utf8.csv": ("business_name\nعلی\n".encode(), "utf-8"),
        "bom.csv": (b"\xef\xbb\xbfbusiness_name\nA\n", "utf-8-sig"),
        "cp1252.csv": ("business_name\nCafé – Crème\n".encode("cp1252"), "cp1252"),
    }
    for name, (content, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        assert detect_encoding(path) == expected


def test_a_broken_csv_record_names_its_row(layout: CohortLayout, tmp_path: Path) -> None:
    path = tmp_path / "cohort.csv"
    path.write_text("business_name,pay_invoice_fcy\nOne,yes\n" + '"' + "x" * 200_000 + '"\n', encoding="utf-8")
    with pytest.raises(CohortFileError) as caught, open_cohort(path, layout) as reader:
        list(reader.rows())
    assert str(caught.value).startswith(f"{path}: row 3: cannot be read as CSV (field larger than field limit")


def test_rows_are_streamed_not_loaded(layout: CohortLayout, tmp_path: Path) -> None:
    path = tmp_path / "cohort.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("business_name,pay_invoice_fcy\n")
        for number in range(50_000):
            stream.write(f"B{number},yes\n")
    with open_cohort(path, layout) as reader:
        rows = reader.rows()
        first = next(rows)
        handle = reader._closers[0]
        assert handle.buffer.raw.tell() < path.stat().st_size / 10  # only the start has been read
    assert (first.number, first.cells) == (2, {"business_name": "B0", "pay_invoice_fcy": "yes"})


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (3.0, "3"), (2.5, "2.5"), (7, "7"), (True, "yes"), ("  x ", "  x ")],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_cell_text_dates() -> None:
    import datetime as dt

    assert cell_text(dt.datetime(2026, 11, 23)) == "2026-11-23"
    assert cell_text(dt.date(2026, 11, 23)) == "2026-11-23"


cell_strategy = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",), blacklist_characters="\x00", min_codepoint=1, max_codepoint=0x10FFFF
    )
    | st.sampled_from(list(",;\"'\r\n\t علی اسپورٹس")),
    max_size=30,
)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(cell_strategy, min_size=4, max_size=4), max_size=8),
    separator=st.sampled_from([",", ";"]),
    bom=st.booleans(),
)
def test_reader_round_trips_what_the_csv_writer_wrote(
    starter: Questionnaire, tmp_path: Path, rows: list[list[str]], separator: str, bom: bool
) -> None:
    layout = layout_for(starter)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    path = tmp_path / "cohort.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))

    read, _ = read_all(path, layout)

    filled = [(number, row) for number, row in enumerate(rows, start=2) if any(cell.strip() for cell in row)]
    if filled and layout.is_text_row(dict(zip(COLUMNS, filled[0][1], strict=True))):
        filled = filled[1:]  # the question-text row, as a template writes it
    kept = filled
    assert [(row.number, [row.cells[column] for column in COLUMNS]) for row in read] == kept
