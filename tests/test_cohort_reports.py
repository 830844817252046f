"""``cbectool batch --reports``: safe names, parallel workers, failures recorded, resume after an interruption.

Most tests use a fake renderer (a module-level function, so spawned workers can
import it) that writes a few bytes; one test renders two real reports.
"""

from __future__ import annotations

import csv
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from cbectool.cli import app
from cbectool.cohort.batch import BatchOptions, run_batch
from cbectool.cohort.reports import ReportNames
from cbectool.errors import ExitCode
from cbectool.scoring import Evaluated

LOG_VARIABLE = "CBECTOOL_TEST_RENDER_LOG"
ANSWERS = "fcy_account,yes,yes,post,,yes,1,none,,,"
HEADER = (
    "business_name,pay_receive_channel,pay_invoice_fcy,pay_refunds,log_channel,log_courier_registered,"
    "log_hs_code,log_dispatch_days,plat_presence,plat_reply_hours,plat_listing_photos,plat_contact_name"
)
runner = CliRunner()


def recording_render(evaluated: Evaluated, template_dir: Path | None, lang: str) -> bytes:
    """Logs each business it renders (one line, appended: safe across processes) and returns a tiny 'PDF'."""
    name = evaluated.response.business.name
    if name == "Boom Traders":
        raise ValueError("boom: the template failed")
    if name == "Crash Co":
        os._exit(7)  # a worker process dying, as on an out-of-memory kill
    with Path(os.environ[LOG_VARIABLE]).open("a", encoding="utf-8") as log:
        log.write(name + "\n")
    return f"%PDF-fake {name}".encode()


def interrupted_render(evaluated: Evaluated, template_dir: Path | None, lang: str) -> bytes:
    """Like Ctrl-C arriving while the third business renders."""
    if evaluated.response.business.name == "Third":
        raise KeyboardInterrupt
    return recording_render(evaluated, template_dir, lang)


def sheet(tmp_path: Path, names: list[str]) -> Path:
    path = tmp_path / "cohort.csv"
    path.write_text("\n".join([HEADER, *(f'"{name}",{ANSWERS}' for name in names)]) + "\n", encoding="utf-8")
    return path


def options(starter_path: Path, cohort: Path, out: Path, workers: int) -> BatchOptions:
    return BatchOptions(cohort, out, str(starter_path), reports=True, workers=workers, summary=False, xlsx=False)


def logged(tmp_path: Path) -> list[str]:
    log = tmp_path / "render.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def errors_of(out: Path) -> list[tuple[str, str, str, str]]:
    with (out / "errors.csv").open(encoding="utf-8-sig", newline="") as stream:
        return [(row["row"], row["column"], row["value"], row["problem"]) for row in csv.DictReader(stream)]


@pytest.fixture(autouse=True)
def _render_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(LOG_VARIABLE, str(tmp_path / "render.log"))


def test_names_are_safe_unique_and_numbered_in_row_order() -> None:
    names = ReportNames()
    allocated = [
        names.allocate(name)
        for name in [
            "Ali Sports",
            "ali sports",
            "Ali Sports 2",
            "Ali Sports",
            "../../etc/passwd",
            "CON",
            "aux.txt",
            "علی اسپورٹس",
            "  ",
            'a<b>c:"d"|e?f*',
            "\u202eevil\u202c",
        ]
    ]
    assert allocated == [
        "Ali-Sports.pdf",
        "ali-sports-2.pdf",
        "Ali-Sports-2-2.pdf",
        "Ali-Sports-3.pdf",
        "etc-passwd.pdf",
        "business-CON.pdf",
        "business-aux.txt.pdf",
        "علی-اسپورٹس.pdf",
        "business.pdf",
        "a-b-c-d-e-f.pdf",
        "evil.pdf",
    ]
    for name in allocated:
        assert "/" not in name and "\\" not in name and not name.startswith(".")


def test_resume_after_interruption_writes_each_report_once(starter_path: Path, tmp_path: Path) -> None:
    cohort = sheet(tmp_path, ["First", "Second", "Third", "Fourth", "Fifth"])
    out = tmp_path / "out"

    with pytest.raises(KeyboardInterrupt):
        run_batch(options(starter_path, cohort, out, workers=1), renderer=interrupted_render)

    reports = out / "reports"
    assert sorted(path.name for path in reports.iterdir()) == ["First.pdf", "Second.pdf"]  # no temporary leftovers
    assert (reports / "Second.pdf").read_bytes() == b"%PDF-fake Second"
    assert not (out / "errors.csv").exists()  # an interrupted run leaves no table that looks finished

    leftover = reports / ".Third.pdf.x1y2z3.tmp"  # what a `kill -9` in the middle of a write leaves
    leftover.write_bytes(b"%PDF-half")
    result = run_batch(options(starter_path, cohort, out, workers=2), renderer=recording_render)

    assert not leftover.exists()
    assert result.exit_code == ExitCode.OK
    assert (result.reports_skipped, result.reports_written, result.reports_failed) == (2, 3, 0)
    assert sorted(logged(tmp_path)) == ["Fifth", "First", "Fourth", "Second", "Third"]
    assert sorted(path.name for path in reports.iterdir()) == [f"{name}.pdf" for name in sorted(logged(tmp_path))]

    again = run_batch(options(starter_path, cohort, out, workers=2), renderer=recording_render)
    assert (again.reports_skipped, again.reports_written) == (5, 0)
    assert len(logged(tmp_path)) == 5


@pytest.mark.parametrize("workers", [1, pytest.param(2, marks=pytest.mark.slow)])  # 2: a process pool
def test_a_failing_report_is_recorded_and_the_others_are_written(
    starter_path: Path, tmp_path: Path, workers: int
) -> None:
    cohort = sheet(tmp_path, ["One", "Boom Traders", "Three"])
    out = tmp_path / "out"

    result = run_batch(options(starter_path, cohort, out, workers=workers), renderer=recording_render)

    assert result.exit_code == ExitCode.ROWS_FAILED
    assert (result.scored, result.reports_written, result.reports_failed) == (3, 2, 1)
    assert errors_of(out) == [
        ("3", "report", "Boom-Traders.pdf", "the report could not be made: boom: the template failed")
    ]
    assert sorted(path.name for path in (out / "reports").iterdir()) == ["One.pdf", "Three.pdf"]


@pytest.mark.slow
def test_a_worker_that_dies_is_never_silently_dropped(starter_path: Path, tmp_path: Path) -> None:
    names = ["One", "Two", "Crash Co", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve"]
    cohort = sheet(tmp_path, names)
    out = tmp_path / "out"

    result = run_batch(options(starter_path, cohort, out, workers=2), renderer=recording_render)

    assert result.exit_code == ExitCode.ROWS_FAILED
    failed = {value for _, column, value, _ in errors_of(out) if column == "report"}
    written = {path.name for path in (out / "reports").iterdir()}
    assert "Crash-Co.pdf" in failed
    assert failed | written == {f"{name.replace(' ', '-')}.pdf" for name in names}
    assert not failed & written
    assert result.reports_failed == len(failed)
    assert result.reports_written == len(written)


class _PoolThatDiesOnItsFifthSubmit(ProcessPoolExecutor):
    """A pool that refuses its fifth job the way a pool does whose worker died after the last wait."""

    refusals = 0

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.submitted = getattr(self, "submitted", 0) + 1
        if self.submitted == 5 and _PoolThatDiesOnItsFifthSubmit.refusals == 0:
            _PoolThatDiesOnItsFifthSubmit.refusals += 1
            raise BrokenProcessPool("A child process terminated abruptly")
        return super().submit(fn, *args, **kwargs)


@pytest.mark.slow
def test_a_job_refused_by_a_pool_that_just_died_goes_to_the_next_pool(
    starter_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cbectool.workers as workers

    monkeypatch.setattr(workers, "ProcessPoolExecutor", _PoolThatDiesOnItsFifthSubmit)
    monkeypatch.setattr(_PoolThatDiesOnItsFifthSubmit, "refusals", 0)
    names = [f"Business {number}" for number in range(12)]
    out = tmp_path / "out"

    result = run_batch(options(starter_path, sheet(tmp_path, names), out, workers=2), renderer=recording_render)

    assert _PoolThatDiesOnItsFifthSubmit.refusals == 1
    assert result.exit_code == ExitCode.OK
    assert result.reports_written == len(names)
    assert sorted(logged(tmp_path)) == sorted(names)


class _PoolWhoseResultsDieWithIt:
    """In-process stand-in for a pool: the first one makes its reports but a worker dies before any result is back.

    Later pools hand results back at once. Real pools lose finished results the
    same way when the pool breaks before reading them.
    """

    made = 0

    def __init__(self, max_workers: int, mp_context: Any, initializer: Any, initargs: Any) -> None:
        initializer(*initargs)
        self.first = _PoolWhoseResultsDieWithIt.made == 0
        _PoolWhoseResultsDieWithIt.made += 1
        self.held: list[Future[int]] = []
        self.broken = False

    def submit(self, fn: Any, job: Any) -> Future[int]:
        if self.broken:
            raise BrokenProcessPool("A child process terminated abruptly")
        future: Future[int] = Future()
        if job.file_name == "Crash-Co.pdf":
            self.broken = True
            for held in [*self.held, future]:
                held.set_exception(BrokenProcessPool("A child process terminated abruptly"))
            return future
        future.set_running_or_notify_cancel()
        result = fn(job)  # the report is written...
        if self.first:
            self.held.append(future)  # ...but its result has not come back yet
        else:
            future.set_result(result)
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def test_a_report_finished_before_its_pool_died_counts_as_written(
    starter_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cbectool.workers as workers

    monkeypatch.setattr(workers, "ProcessPoolExecutor", _PoolWhoseResultsDieWithIt)
    monkeypatch.setattr(_PoolWhoseResultsDieWithIt, "made", 0)
    names = ["One", "Two", "Crash Co", "Four", "Five"]
    out = tmp_path / "out"

    result = run_batch(options(starter_path, sheet(tmp_path, names), out, workers=2), renderer=recording_render)

    failed = [value for _, column, value, _ in errors_of(out) if column == "report"]
    assert failed == ["Crash-Co.pdf"]
    assert sorted(path.name for path in (out / "reports").iterdir()) == sorted(
        ["One.pdf", "Two.pdf", "Four.pdf", "Five.pdf"]
    )
    assert (result.reports_written, result.reports_failed) == (4, 1)
    assert _PoolWhoseResultsDieWithIt.made == 2


@pytest.mark.slow
def test_workers_are_replaced_after_a_number_of_reports_without_losing_any(
    starter_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cbectool.cohort.reports as reports

    monkeypatch.setattr(reports, "REPORTS_PER_WORKER", 2)
    names = [f"Business {number}" for number in range(9)]
    out = tmp_path / "out"

    result = run_batch(options(starter_path, sheet(tmp_path, names), out, workers=2), renderer=recording_render)

    assert result.exit_code == ExitCode.OK
    assert result.reports_written == len(names)
    assert sorted(logged(tmp_path)) == sorted(names)
    assert len({path.name for path in (out / "reports").iterdir()}) == len(names)


@pytest.mark.slow
def test_real_reports_and_a_template_error_through_the_cli(starter_path: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html.j2").write_text(
        '{% if report.business.name == "Boom" %}{{ report.no_such_field }}{% endif %}'
        '{% include "cbectool/report.html.j2" %}',
        encoding="utf-8",
    )
    cohort = sheet(tmp_path, ["علی اسپورٹس", "Boom"])
    out = tmp_path / "out"

    result = runner.invoke(
        app,
        ["batch", str(cohort), "-q", str(starter_path), "-o", str(out), "--reports", "--workers", "2",
         "--template-dir", str(templates), "--workshop-pack"],
    )  # fmt: skip

    assert result.exit_code == 3
    assert "Reports: 1 written, 0 already there, 1 failed." in result.stdout
    ((row, column, value, problem),) = errors_of(out)
    assert (row, column, value) == ("3", "report", "Boom.pdf")
    assert problem.startswith("the report could not be made: ")
    report = PdfReader(out / "reports" / "علی-اسپورٹس.pdf")
    assert "Cross-border e-commerce readiness report" in report.pages[0].extract_text()
    pack = PdfReader(out / "workshop-pack.pdf")
    summary_pages = len(PdfReader(out / "cohort-summary.pdf").pages)
    padded = summary_pages + summary_pages % 2
    assert len(pack.pages) == padded + len(report.pages) + len(report.pages) % 2
    assert "Cross-border e-commerce readiness report" in pack.pages[padded].extract_text()


def test_a_rerun_remakes_only_the_reports_whose_answers_changed(starter_path: Path, tmp_path: Path) -> None:
    cohort = sheet(tmp_path, ["First", "Second", "Third"])
    out = tmp_path / "out"
    run_batch(options(starter_path, cohort, out, workers=1), renderer=recording_render)
    assert sorted(logged(tmp_path)) == ["First", "Second", "Third"]

    # the trainer corrects Second's answer to the refund question (yes -> no) and runs the same command
    lines = cohort.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("fcy_account,yes,yes,", "fcy_account,yes,no,")
    cohort.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_batch(options(starter_path, cohort, out, workers=1), renderer=recording_render)

    assert (result.reports_skipped, result.reports_written) == (2, 1)
    assert sorted(logged(tmp_path)) == ["First", "Second", "Second", "Third"]
    assert sorted(path.name for path in (out / "reports").iterdir()) == ["First.pdf", "Second.pdf", "Third.pdf"]


def test_reports_made_before_the_ledger_existed_are_kept(starter_path: Path, tmp_path: Path) -> None:
    cohort = sheet(tmp_path, ["First", "Second"])
    out = tmp_path / "out"
    (out / "reports").mkdir(parents=True)
    (out / "reports" / "First.pdf").write_bytes(b"%PDF-older")
    result = run_batch(options(starter_path, cohort, out, workers=1), renderer=recording_render)
    assert (result.reports_skipped, result.reports_written) == (1, 1)
    assert (out / "reports" / "First.pdf").read_bytes() == b"%PDF-older"
