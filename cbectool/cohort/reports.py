"""Every business's PDF report, rendered in worker processes (``workers.in_pool``) and written atomically.

Each job carries the business's scored result from the batch's one pass, so a
worker only lays out and writes the PDF: it never reads or scores again. Jobs
wait in a spool file while the sheet is scored (memory stays flat, and the
progress bar knows its total). A report that fails becomes a ``RowError`` and
the batch's exit code says so. Each report is written to a temporary name and
renamed, so a file on disk is always complete, and the ledger lets a rerun
remake only the reports whose answers changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from cbectool.cohort.outputs import RowError
from cbectool.files import safe_stem, write_bytes_atomic
from cbectool.questionnaire import Questionnaire
from cbectool.scoring import Evaluated
from cbectool.text import DEFAULT_LANGUAGE
from cbectool.workers import in_pool

if TYPE_CHECKING:
    from cbectool.conditions import Answer
    from cbectool.response import Response
    from cbectool.scoring import Assessment

REPORTS_DIR = "reports"
LEDGER = ".cbectool-reports"
REPORT_COLUMN = "report"
REPORTS_PER_WORKER = 100
"""Workers are replaced after this many reports each: WeasyPrint's caches grow with every document
(measured: about 0.2 MB per report), and a fresh process costs about 2 s, so memory stays flat."""

Renderer = Callable[[Evaluated, "Path | None", str], bytes]
"""(evaluated, template_dir, lang) -> PDF bytes; module-level so worker processes can import it."""


class ReportNames:
    """Safe, unique report file names, numbered by row order: ``Ali-Sports.pdf``, ``Ali-Sports-2.pdf``.

    Names are compared case-insensitively, because Windows and macOS file systems do.
    """

    def __init__(self) -> None:
        self._used: set[str] = set()

    def allocate(self, business_name: str) -> str:
        stem = safe_stem(business_name)
        candidate = stem
        number = 1
        while candidate.casefold() in self._used:
            number += 1
            candidate = f"{stem}-{number}"
        self._used.add(candidate.casefold())
        return f"{candidate}.pdf"


@dataclass(frozen=True, slots=True)
class ReportJob:
    """One report to make: the business's scored result (plain data, so a worker can be given it)."""

    row: int
    file_name: str
    response: Response
    answers: dict[str, Answer]
    assessment: Assessment


class JobSpool:
    """Report jobs kept in a temporary file beside the reports while the sheet is scored, then read back once."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".cbectool-jobs-", suffix=".tmp", dir=folder)
        self.path = Path(name)
        self._file: IO[bytes] = os.fdopen(handle, "w+b")
        self.count = 0

    def add(self, job: ReportJob) -> None:
        pickle.dump(job, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def jobs(self) -> Iterator[ReportJob]:
        self._file.flush()
        self._file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self._file)  # our own file, written just now: never data from outside

    def close(self) -> None:
        self._file.close()
        self.path.unlink(missing_ok=True)


class ReportLedger:
    """Which answers each report in the folder was made from, so that a rerun remakes only what changed.

    ``.cbectool-reports`` beside the reports folder (not in it: trainers copy
    and print that folder) holds a line per report begun: the file name
    and a fingerprint of the row's cells and of what else shapes the report
    (tool and questionnaire versions, language, template folder). The line is
    written, and an outdated file deleted, before the report is rendered, so a
    report on disk whose line matches is complete and current. A report with no
    line (made before the ledger existed) is trusted, as before.
    """

    def __init__(self, reports_dir: Path, context: str) -> None:
        self.reports_dir = reports_dir
        self.path = reports_dir.parent / LEDGER
        self._context = context
        self._made: dict[str, str] = {}
        if self.path.is_file():
            for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
                file_name, _, fingerprint = line.partition("\t")
                if fingerprint:
                    self._made[file_name] = fingerprint  # the last line for a file wins

    def fingerprint(self, cells: Mapping[str, object]) -> str:
        data = json.dumps([self._context, sorted(cells.items())], ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]

    def is_current(self, file_name: str, fingerprint: str) -> bool:
        """The report exists and was made from these cells (or from cells nobody recorded)."""
        return (self.reports_dir / file_name).is_file() and self._made.get(file_name, fingerprint) == fingerprint

    def begin(self, file_name: str, fingerprint: str) -> None:
        """Record the report about to be made; an outdated one goes first, so it can never pass for current."""
        (self.reports_dir / file_name).unlink(missing_ok=True)
        with self.path.open("a", encoding="utf-8") as ledger:
            ledger.write(f"{file_name}\t{fingerprint}\n")
        self._made[file_name] = fingerprint


def remove_leftovers(reports_dir: Path) -> None:
    """Delete temporary files of writes that a killed process never finished (never a complete report)."""
    for leftover in reports_dir.glob(".*.pdf.*.tmp"):
        leftover.unlink(missing_ok=True)


def render_with_report_package(evaluated: Evaluated, template_dir: Path | None, lang: str) -> bytes:
    """The standard renderer: ``cbectool.report.render_report_pdf``."""
    from cbectool.report import render_report_pdf

    return render_report_pdf(evaluated, template_dir=template_dir, lang=lang)


@dataclass(frozen=True)
class _WorkerSetup:
    questionnaire: Questionnaire
    reports_dir: Path
    template_dir: Path | None
    lang: str | None  # every report's language; None: each in its response's language, else English
    renderer: Renderer


_setup: _WorkerSetup | None = None


def _init_worker(setup: _WorkerSetup) -> None:
    global _setup
    _setup = setup


def _render_job(job: ReportJob) -> int:
    """Runs in a worker: lay out and atomically write one report from its scored result."""
    assert _setup is not None, "worker not initialised"
    evaluated = Evaluated(_setup.questionnaire, job.response, job.answers, job.assessment)
    lang = _setup.lang or job.response.language or DEFAULT_LANGUAGE
    write_bytes_atomic(_setup.reports_dir / job.file_name, _setup.renderer(evaluated, _setup.template_dir, lang))
    return job.row


def _failure(job: ReportJob, error: BaseException) -> RowError:
    detail = str(error).splitlines()[0] if str(error) else type(error).__name__
    problem = f"the report could not be made: {detail}"
    return RowError(job.row, REPORT_COLUMN, job.file_name, problem, job.response.business.name)


def render_reports(
    jobs: Iterator[ReportJob],
    *,
    questionnaire: Questionnaire,
    reports_dir: Path,
    workers: int,
    template_dir: Path | None = None,
    lang: str | None = None,
    renderer: Renderer = render_with_report_package,
    on_done: Callable[[], None] = lambda: None,
) -> Iterator[RowError]:
    """Render the jobs (each in ``lang``, or in its response's language); yield one error per failed report.

    A job's file is removed before it starts, so after a worker dies a file
    that is there is that job's own complete report (writes are atomic).
    """
    reports_dir.mkdir(parents=True, exist_ok=True)
    remove_leftovers(reports_dir)
    for done in in_pool(
        jobs,
        _render_job,
        workers=workers,
        initializer=_init_worker,
        initargs=(_WorkerSetup(questionnaire, reports_dir, template_dir, lang, renderer),),
        jobs_per_worker=REPORTS_PER_WORKER,
        before_submit=lambda job: (reports_dir / job.file_name).unlink(missing_ok=True),
        finished_anyway=lambda job: (reports_dir / job.file_name).is_file(),
        after_crash=lambda: remove_leftovers(reports_dir),
    ):
        if done.error is not None:
            yield _failure(done.job, done.error)
        on_done()
