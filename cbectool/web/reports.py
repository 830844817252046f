"""Participants' PDF reports, made in a worker process so that answering never waits for one.

A report takes about a second of WeasyPrint. The worker reads the finished response file
(files are the contract), renders, and writes the PDF beside it atomically, so a PDF on
disk is always whole. It runs at a lower priority than the server: on a two-core laptop
the pages stay quick while reports are made. A report that is not on disk when the
server starts is queued again, so Ctrl-C or a crash loses none.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from cbectool.files import write_bytes_atomic

REPORTS_PER_POOL = 50
"""A worker is replaced after this many reports: WeasyPrint's caches grow a little with every document."""
WORKER_NICENESS = 10


@dataclass(frozen=True)
class ReportOrder:
    """What a worker needs: plain paths and strings (it runs in another process)."""

    result: str  # the finished response file
    pdf: str
    questionnaire: str  # a bundled id or an absolute path (``questionnaire_source``)
    lang: str


def make_report(order: ReportOrder) -> str:
    """Runs in a worker: the response file to its PDF report, written atomically."""
    from cbectool import resources
    from cbectool.report import render_report_pdf
    from cbectool.response import load_response
    from cbectool.web.engine import evaluate

    path = Path(order.result)
    evaluated = evaluate(load_response(path), resources.load(order.questionnaire), str(path))
    write_bytes_atomic(Path(order.pdf), render_report_pdf(evaluated, lang=order.lang))
    return order.pdf


def _start_worker() -> None:
    """Lower priority than the server, and WeasyPrint imported before the first report is asked for."""
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    end_with_parent()
    from cbectool.report.render import load_weasyprint

    load_weasyprint()


def end_with_parent(interval: float = 1.0) -> None:
    """A worker whose server was killed (SIGKILL, a crash) ends too, instead of idling on for hours.

    A pool's workers never see their queue close (they hold an end of it themselves),
    so a thread watches for the parent process to change.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _warm() -> None:
    """A first job, so the worker process starts (and imports WeasyPrint) while owners still answer."""


Maker = Callable[[ReportOrder], str]


class ReportQueue:
    """Reports being made, by participant id; at most ``workers`` at once, in processes of their own."""

    def __init__(self, workers: int = 1, maker: Maker = make_report) -> None:
        self.workers = workers
        self._maker = maker
        self._lock = threading.Lock()
        self._pending: dict[str, Future[str]] = {}
        self._failed: dict[str, str] = {}
        self._executor: ProcessPoolExecutor | None = None
        self._submitted = 0
        self._retired: list[ProcessPoolExecutor] = []
        self._closed = False

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None or self._submitted >= REPORTS_PER_POOL * self.workers:
            if self._executor is not None:
                self._executor.shutdown(wait=False)  # its running reports finish; new ones go to fresh workers
                self._retired.append(self._executor)
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
            )
            self._submitted = 0
        return self._executor

    def warm_up(self) -> None:
        with self._lock:
            if not self._closed:
                self._pool().submit(_warm)

    def submit(self, key: str, order: ReportOrder, *, retry: bool = True) -> None:
        """Make (or make again) one report; if its worker dies, it gets one more try in a fresh pool."""
        with self._lock:
            if self._closed:
                return  # stopping: the report is made at the next start (its PDF is missing)
            self._failed.pop(key, None)
            executor = self._pool()
            try:
                future = executor.submit(self._maker, order)
            except BrokenProcessPool:
                self._retire(executor)
                executor = self._pool()
                future = executor.submit(self._maker, order)
            self._submitted += 1
            self._pending[key] = future

        def done(future: Future[str]) -> None:
            error = None if future.cancelled() else future.exception()
            broken = isinstance(error, BrokenProcessPool)
            with self._lock:
                if self._pending.get(key) is future:
                    del self._pending[key]
                if broken:
                    self._retire(executor)
                if error is not None and not (broken and retry):
                    self._failed[key] = str(error).splitlines()[0] if str(error) else type(error).__name__
            if broken and retry:
                self.submit(key, order, retry=False)

        future.add_done_callback(done)

    def _retire(self, executor: ProcessPoolExecutor) -> None:
        """A pool whose worker died is never used again (hold the lock)."""
        if self._executor is executor:
            self._executor = None
            self._retired.append(executor)

    def status(self, key: str, pdf: Path) -> str:
        """``making``, ``failed`` or ``ready`` (``missing`` for a report nobody asked for)."""
        with self._lock:
            if key in self._pending:
                return "making"
            if key in self._failed:
                return "failed"
        return "ready" if pdf.is_file() else "missing"

    def failure(self, key: str) -> str | None:
        with self._lock:
            return self._failed.get(key)

    def busy(self) -> int:
        with self._lock:
            return len(self._pending)

    def shutdown(self) -> None:
        """Stop at once: a report being made is abandoned (its PDF is written whole or not at all), and it
        and those not yet started are made at the next start, because their PDFs are missing."""
        with self._lock:
            self._closed = True
            executors = [*self._retired, *([self._executor] if self._executor else [])]
            self._executor = None
            self._retired = []
        stop_pools(executors)


def stop_pools(executors: list[ProcessPoolExecutor], patience: float = 5.0) -> None:
    """Cancel the jobs not started and end the worker processes now (Ctrl-C should not wait for a PDF)."""
    workers = [process for executor in executors for process in (executor._processes or {}).values()]
    for executor in executors:
        executor.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        if process.is_alive():
            process.terminate()
    for process in workers:
        process.join(patience)


def remove_leftovers(folder: Path) -> None:
    """Temporary files of PDF writes that a killed worker never finished (never a whole report)."""
    for leftover in folder.glob(".*.pdf.*.tmp"):
        leftover.unlink(missing_ok=True)
