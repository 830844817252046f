"""Every business's PDF report, rendered in parallel worker processes and written atomically.

Workers are started with ``spawn`` (safe beside the progress bar's thread, and
the same on Windows); each loads the questionnaire once and is replaced after
``REPORTS_PER_WORKER`` reports. At most a few jobs per worker are in flight, so
memory does not grow with the cohort. Every future is
collected: a report that fails becomes a ``RowError`` and the batch's exit code
says so. A report already on disk is skipped, and because each is written to a
temporary name and renamed, a file on disk is always complete: rerunning after
an interruption renders only the rest.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cbectool.cohort.outputs import RowError
from cbectool.files import safe_stem, write_bytes_atomic
from cbectool.questionnaire import Questionnaire

if TYPE_CHECKING:
    from cbectool.scoring import Evaluated

REPORTS_DIR = "reports"
LEDGER = ".cbectool-reports"
REPORT_COLUMN = "report"
IN_FLIGHT_PER_WORKER = 4
MAX_RESTARTS = 3
REPORTS_PER_WORKER = 100
"""Workers are replaced after this many reports each: WeasyPrint's caches grow with every document
(measured: about 0.2 MB per report), and a fresh process costs about 2 s, so memory stays flat."""

Renderer = Callable[["Evaluated", "Path | None", str], bytes]
"""(evaluated, template_dir, lang) -> PDF bytes; module-level so worker processes can import it."""


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


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
    """What a worker needs for one report: a response document (plain data) and the file name."""

    row: int
    file_name: str
    response: dict[str, Any]


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

    def fingerprint(self, cells: Mapping[str, str]) -> str:
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
    lang: str
    renderer: Renderer


_setup: _WorkerSetup | None = None


def _init_worker(setup: _WorkerSetup) -> None:
    global _setup
    _setup = setup


def _render_job(job: ReportJob) -> int:
    """Runs in a worker: validate, score, render and atomically write one report."""
    from cbectool.response import parse_response
    from cbectool.scoring import evaluate

    assert _setup is not None, "worker not initialised"
    response = parse_response(job.response, f"row {job.row}")
    evaluated = evaluate(response, _setup.questionnaire, f"row {job.row}")
    pdf = _setup.renderer(evaluated, _setup.template_dir, _setup.lang)
    write_bytes_atomic(_setup.reports_dir / job.file_name, pdf)
    return job.row


def _failure(job: ReportJob, error: BaseException) -> RowError:
    detail = str(error).splitlines()[0] if str(error) else type(error).__name__
    return RowError(job.row, REPORT_COLUMN, job.file_name, f"the report could not be made: {detail}")


def render_reports(
    jobs: Iterable[ReportJob],
    *,
    questionnaire: Questionnaire,
    reports_dir: Path,
    workers: int,
    template_dir: Path | None = None,
    lang: str = "en",
    renderer: Renderer = render_with_report_package,
    on_done: Callable[[], None] = lambda: None,
) -> Iterator[RowError]:
    """Render the jobs (serially for one worker, else in a process pool); yield one error per failed report."""
    setup = _WorkerSetup(questionnaire, reports_dir, template_dir, lang, renderer)
    reports_dir.mkdir(parents=True, exist_ok=True)
    remove_leftovers(reports_dir)
    if workers <= 1:
        yield from _serial(jobs, setup, on_done)
    else:
        yield from _parallel(jobs, setup, workers, on_done)


def _serial(jobs: Iterable[ReportJob], setup: _WorkerSetup, on_done: Callable[[], None]) -> Iterator[RowError]:
    _init_worker(setup)
    for job in jobs:
        try:
            _render_job(job)
        except Exception as error:  # one business's failure never stops the others
            yield _failure(job, error)
        on_done()


def _parallel(
    jobs: Iterable[ReportJob], setup: _WorkerSetup, workers: int, on_done: Callable[[], None]
) -> Iterator[RowError]:
    """Keep a bounded number of jobs in flight, in pools of fresh workers.

    A pool takes ``REPORTS_PER_WORKER`` reports per worker, then is drained and
    replaced (Python 3.11's ``max_tasks_per_child`` can deadlock, so this is done
    by hand). If a worker process dies, the reports the pool held are failures,
    except those whose file is there (finished, their result lost with the pool:
    atomic writes, and no file before the job); a job the dead pool refused or
    cancelled never ran and goes to the next pool, which continues with the rest.
    """
    context = multiprocessing.get_context("spawn")

    def start() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(setup,))

    pending: dict[Future[int], ReportJob] = {}

    broken: BaseException | None = None

    def settle(futures: Iterable[Future[int]]) -> Iterator[RowError]:
        nonlocal broken
        for future in futures:
            job = pending.pop(future)
            if future.cancelled():  # it never ran: the next pool makes it
                unrun.append(job)
                continue
            error = future.exception()
            if isinstance(error, BrokenProcessPool):
                broken = error
                if (setup.reports_dir / job.file_name).is_file():
                    error = None  # made before the pool died, its result lost with it (no file at submit)
            if error is not None:
                yield _failure(job, error)
            on_done()

    queue = iter(jobs)
    unrun: list[ReportJob] = []  # refused or cancelled by a pool that died: they never ran
    limit = workers * IN_FLIGHT_PER_WORKER
    per_pool = workers * REPORTS_PER_WORKER
    restarts = 0
    submitted = 0
    executor = start()
    try:
        while True:
            broken = None
            while submitted < per_pool and len(pending) < limit:
                job = unrun.pop() if unrun else next(queue, None)
                if job is None:
                    break
                (setup.reports_dir / job.file_name).unlink(missing_ok=True)  # a file after a pool dies is this job's
                try:
                    pending[executor.submit(_render_job, job)] = job
                except BrokenProcessPool as error:  # a worker died after the last wait returned
                    unrun.append(job)
                    broken = error
                    break
                submitted += 1
            if broken is None:
                if not pending:
                    if submitted < per_pool:
                        break  # every job is done
                    executor.shutdown(wait=True)  # this pool has done its share: fresh workers, flat memory
                    executor = start()
                    submitted = 0
                    continue
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                yield from settle(done)
            if broken is None:
                continue
            executor.shutdown(wait=True, cancel_futures=True)
            failure = broken
            yield from settle(list(pending))  # the dead pool's other jobs: written or failed, never dropped
            remove_leftovers(setup.reports_dir)  # the dead pool's workers were stopped mid-write
            restarts += 1
            if restarts > MAX_RESTARTS:
                for job in [*unrun, *queue]:
                    yield _failure(job, failure)
                    on_done()
                break
            executor = start()
            submitted = 0
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
