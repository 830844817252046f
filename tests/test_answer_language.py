"""The language travels with the answers (issue 13): a response file records the language the owner answered in,
and what is made from it later (``report``, ``assess --answers``, ``batch --reports``, the workshop pack) is in
that language unless ``--lang`` says otherwise. A recorded language the questionnaire does not declare is an
error naming the file, never silently English.

Reports are laid out as HTML here (the PDF step is replaced): which language a document is in is decided
before WeasyPrint, and test_report_rtl.py reads real Urdu PDFs.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

import cbectool.report
from cbectool import cli
from cbectool.cohort.batch import BatchOptions, run_batch
from cbectool.errors import ExitCode
from cbectool.interview.draft import Draft, load_draft
from cbectool.interview.flow import Interview
from cbectool.interview.terminal import AssessOptions, run
from cbectool.report.render import render_html
from cbectool.scoring import Evaluated

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "docs" / "sample-report" / "not-ready.json"  # the bundled questionnaire, which declares Urdu
LANGUAGE_LOG = "CBECTOOL_TEST_LANGUAGE_LOG"


@pytest.fixture
def html_instead_of_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """``write_report`` writes the report's HTML: the language is decided before the layout."""

    def as_html(
        template_name: str, context: Mapping[str, Any], *, template_dir: Path | None = None, **options: Any
    ) -> bytes:
        return render_html(template_name, context, template_dir=template_dir, lang=options["lang"]).encode()

    monkeypatch.setattr(cbectool.report, "render_template_pdf", as_html)


def response_file(tmp_path: Path, language: str | None, name: str = "owner.json") -> Path:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data.pop("language", None)
    if language is not None:
        data["language"] = language
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def made_in(html: str) -> tuple[str, str]:
    """The ``lang`` and ``dir`` a report was made with."""
    head = html[html.index("<html") : html.index(">", html.index("<html"))]
    attributes = dict(part.split("=", 1) for part in head.split()[1:])
    return attributes["lang"].strip('"'), attributes["dir"].strip('"')


@pytest.mark.usefixtures("html_instead_of_pdf")
@pytest.mark.parametrize(
    ("recorded", "option", "expected"),
    [
        ("ur", [], ("ur", "rtl")),  # the owner's language
        ("ur", ["--lang", "en"], ("en", "ltr")),  # unless --lang says otherwise
        ("en", ["--lang", "ur"], ("ur", "rtl")),
        (None, [], ("en", "ltr")),  # a file from before 'language' existed
    ],
)
def test_report_is_in_the_language_the_answers_were_given_in_unless_lang_says_otherwise(
    tmp_path: Path, recorded: str | None, option: list[str], expected: tuple[str, str]
) -> None:
    source = response_file(tmp_path, recorded)
    target = tmp_path / "report.html"
    result = runner.invoke(cli.app, ["report", str(source), "-o", str(target), *option], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert made_in(target.read_text(encoding="utf-8")) == expected


def test_a_recorded_language_the_questionnaire_does_not_declare_is_an_error_naming_the_file(tmp_path: Path) -> None:
    source = response_file(tmp_path, "pa")
    result = runner.invoke(cli.app, ["report", str(source), "-o", str(tmp_path / "out.pdf")])
    assert result.exit_code == ExitCode.USER
    assert result.stderr == (
        f"Error: {source}: language: 'pa': questionnaire tdap-alibaba-cbec has no texts in it; "
        "it has: en, ur (choose one with --lang)\n"
    )
    assert not (tmp_path / "out.pdf").exists()
    allowed = runner.invoke(cli.app, ["report", str(source), "-o", str(tmp_path / "x.pdf"), "--lang", "xx"])
    assert allowed.exit_code == ExitCode.USER and "--lang xx" in allowed.stderr  # --lang is checked the same way


def test_a_language_that_is_not_a_language_code_is_refused_as_the_file_is_read(tmp_path: Path) -> None:
    source = response_file(tmp_path, "Urdu please")
    result = runner.invoke(cli.app, ["report", str(source)])
    assert result.exit_code == ExitCode.USER
    assert "language" in result.stderr and str(source) in result.stderr


@pytest.mark.usefixtures("html_instead_of_pdf")
def test_assess_answers_makes_the_result_and_report_in_the_file_s_language_and_records_it(tmp_path: Path) -> None:
    source = response_file(tmp_path, "ur")
    out = tmp_path / "home"
    console = Console(file=io.StringIO(), width=100)
    code = run(AssessOptions(answers_file=source, out=out), console, console, input, interactive=False)
    assert code == ExitCode.OK
    [result] = (out / "results").glob("*.json")
    assert json.loads(result.read_text(encoding="utf-8"))["language"] == "ur"
    assert made_in(result.with_suffix(".pdf").read_text(encoding="utf-8")) == ("ur", "rtl")


def test_an_interview_records_its_language_and_a_resumed_draft_keeps_it(tmp_path: Path) -> None:
    from cbectool import resources

    questionnaire = resources.load()
    interview = Interview(questionnaire, lang="ur")
    interview.submit("Multan Mangoes")
    draft = Draft(tmp_path / "drafts", "tdap-alibaba-cbec")
    path = draft.save(interview)
    assert path is not None
    assert json.loads(path.read_text(encoding="utf-8"))["response"]["language"] == "ur"
    resumed, _, _ = load_draft(path)
    assert resumed.lang == "ur"
    assert load_draft(path, lang="en")[0].lang == "en"  # --lang still chooses
    assert interview.response(on="2026-12-01").language == "ur"


def record_language(evaluated: Evaluated, template_dir: Path | None, lang: str) -> bytes:
    """A report renderer for batch tests (module level: spawned workers import it): logs the language."""
    with Path(os.environ[LANGUAGE_LOG]).open("a", encoding="utf-8") as log:
        log.write(f"{evaluated.response.business.name}\t{lang}\n")
    return b"%PDF-fake"


@pytest.fixture
def language_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    log = tmp_path / "languages.log"
    monkeypatch.setenv(LANGUAGE_LOG, str(log))
    return log


def _folder_of_owners(tmp_path: Path) -> Path:
    folder = tmp_path / "cohort"
    folder.mkdir()
    for name, language in (("Ali", "ur"), ("Bano", "en"), ("Chand", None)):
        data = json.loads(response_file(tmp_path, language).read_text(encoding="utf-8"))
        data["business"]["name"] = name
        (folder / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_batch_reports_each_owner_in_the_language_they_answered_in(tmp_path: Path, language_log: Path) -> None:
    folder = _folder_of_owners(tmp_path)
    run_batch(BatchOptions(folder, tmp_path / "out", reports=True, summary=False, xlsx=False), renderer=record_language)
    assert sorted(language_log.read_text(encoding="utf-8").splitlines()) == ["Ali\tur", "Bano\ten", "Chand\ten"]


def test_batch_lang_makes_every_report_in_that_language_and_a_change_of_language_remakes_them(
    tmp_path: Path, language_log: Path
) -> None:
    folder = _folder_of_owners(tmp_path)
    out = tmp_path / "out"
    run_batch(BatchOptions(folder, out, reports=True, summary=False, xlsx=False), renderer=record_language)
    language_log.unlink()
    forced = BatchOptions(folder, out, lang="en", report_language="en", reports=True, summary=False, xlsx=False)
    result = run_batch(forced, renderer=record_language)
    assert sorted(language_log.read_text(encoding="utf-8").splitlines()) == ["Ali\ten", "Bano\ten", "Chand\ten"]
    assert result.reports_written == 3  # English reports are new files, not the ones already there


def test_batch_turns_a_file_with_an_undeclared_language_into_a_row_error(tmp_path: Path, language_log: Path) -> None:
    folder = _folder_of_owners(tmp_path)
    data = json.loads((folder / "Bano.json").read_text(encoding="utf-8"))
    (folder / "Bano.json").write_text(json.dumps({**data, "language": "pa"}), encoding="utf-8")
    result = run_batch(
        BatchOptions(folder, tmp_path / "out", reports=True, summary=False, xlsx=False), renderer=record_language
    )
    assert (result.scored, result.rejected, result.exit_code) == (2, 1, ExitCode.ROWS_FAILED)
    errors = (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8-sig")
    assert "Bano.json: language: 'pa': questionnaire tdap-alibaba-cbec has no texts in it" in errors
