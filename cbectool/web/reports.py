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
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
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
    write_bytes_atomic(Path(order.pdf), render_report_pdf(evaluated, lang=order.lang), private=True)
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
    """Reports waiting and being made, by participant id: at most ``workers`` at once, in processes of
    their own, the rest waiting here in order (so a burst of finishers never starts extra pools)."""

    def __init__(self, workers: int = 1, maker: Maker = make_report) -> None:
        self.workers = workers
        self._maker = maker
        self._lock = threading.RLock()  # a done callback may run at once, inside submit
        self._waiting: OrderedDict[str, ReportOrder] = OrderedDict()
        self._running: dict[str, Future[str]] = {}
        self._failed: dict[str, str] = {}
        self._tries: dict[str, int] = {}
        self._executor: ProcessPoolExecutor | None = None
        self._given = 0  # reports the current pool has taken
        self._closed = False

    def _start_pool(self) -> ProcessPoolExecutor:
        """A fresh pool; the old one is idle (it is replaced only between reports) and simply ends."""
        if self._executor is not None:
            self._executor.shutdown(wait=False)
        self._executor = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker
        )
        self._given = 0
        return self._executor

    def warm_up(self) -> None:
        with self._lock:
            if not self._closed:
                (self._executor or self._start_pool()).submit(_warm)

    def submit(self, key: str, order: ReportOrder) -> None:
        """Make (or make again) one report, after those already waiting."""
        with self._lock:
            if self._closed:
                return  # stopping: the report is made at the next start (its PDF is missing)
            self._failed.pop(key, None)
            self._tries[key] = 0
            self._waiting[key] = order
            self._feed()

    def _feed(self) -> None:
        """Give waiting reports to free workers (hold the lock)."""
        while self._waiting and len(self._running) < self.workers:
            executor = self._executor
            if executor is None or self._given >= REPORTS_PER_POOL * self.workers:
                if self._running:
                    return  # the pool finishes its last reports first, then is replaced
                executor = self._start_pool()
            key, order = self._waiting.popitem(last=False)
            try:
                future = executor.submit(self._maker, order)
            except BrokenProcessPool:  # a worker died after the last report: a fresh pool
                future = self._start_pool().submit(self._maker, order)
            self._given += 1
            self._running[key] = future
            future.add_done_callback(partial(self._done, key, order))

    def _done(self, key: str, order: ReportOrder, future: Future[str]) -> None:
        error = None if future.cancelled() else future.exception()
        with self._lock:
            if self._running.get(key) is future:
                del self._running[key]
            if self._closed:
                return
            if isinstance(error, BrokenProcessPool):
                self._executor = None  # its worker died (killed, out of memory): never use that pool again
                if self._tries.get(key, 0) == 0 and key not in self._waiting:
                    self._tries[key] = 1
                    self._waiting[key] = order  # one more try, in a fresh pool
                    error = None
            if error is not None:
                self._failed[key] = str(error).splitlines()[0] if str(error) else type(error).__name__
            self._feed()

    def status(self, key: str, pdf: Path) -> str:
        """``making`` (waiting or being made), ``failed`` or ``ready``; ``missing`` if nobody asked for it."""
        with self._lock:
            if key in self._waiting or key in self._running:
                return "making"
            if key in self._failed:
                return "failed"
        return "ready" if pdf.is_file() else "missing"

    def failure(self, key: str) -> str | None:
        with self._lock:
            return self._failed.get(key)

    def busy(self) -> int:
        with self._lock:
            return len(self._waiting) + len(self._running)

    def shutdown(self) -> None:
        """Stop at once: a report being made is abandoned (its PDF is written whole or not at all), and it
        and those waiting are made at the next start, because their PDFs are missing."""
        with self._lock:
            self._closed = True
            self._waiting.clear()
            self._running.clear()  # abandoned: their workers are ended below
            executor, self._executor = self._executor, None
        stop_pools([executor] if executor is not None else [])


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
